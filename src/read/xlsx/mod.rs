//! The xlsx package beneath the legacy workbook reader: its structure ([`package`]: sheets,
//! defined names, tables, size checks) and its cells ([`cells`]: streamed into a sparse map,
//! formulas without a value kept as formulas).

pub mod cells;
pub mod package;
