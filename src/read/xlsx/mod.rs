//! The xlsx package beneath the legacy workbook reader: its structure ([`package`]: sheets,
//! defined names, tables), the limits it is held to before it is read ([`limits`]: sizes and
//! counts, checked on the zip [`archive`]) and its cells ([`cells`]: streamed into a sparse map,
//! formulas without a value kept as formulas).

pub mod archive;
pub mod cells;
pub mod limits;
pub mod package;
