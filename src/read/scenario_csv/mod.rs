//! The scenario CSV: one row per node group; the rows of one scenario, one after another, share
//! its `scenario` id.
//!
//! The columns are the fields of the scenario schema ([`crate::scenario::schema`], documented in
//! `docs/formats.md`). Header names are matched in any order, without regard to case, blanks or
//! punctuation, and also as people and the legacy workbook write them (`Subnet CIDR`,
//! `# of Instances`: each field's aliases, and the report's Inputs headers), with a
//! [`HeaderNote`] saying how each such name was read. Scenario-level values
//! may be left blank on all rows of a scenario but one; two rows that disagree are an error naming
//! both lines. An id that comes back after other scenarios is an error naming both lines. A
//! UTF-8 byte-order mark and CRLF or CR line ends are accepted.
//!
//! [`ScenarioReader`] streams a file scenario by scenario (a run of millions holds one at a
//! time); [`read_bytes`] reads one held in memory.

mod header;
mod names;
mod row;
mod stream;
#[cfg(test)]
mod tests;

pub use names::HeaderNote;
pub use stream::{RawBatch, RecordReader, ScenarioReader};

use crate::error::Result;
use crate::scenario::LocatedScenario;

/// Reads a whole scenario CSV held in memory. `name` names the file in messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Vec<LocatedScenario>> {
    ScenarioReader::new(name, bytes, u64::MAX)?.collect()
}
