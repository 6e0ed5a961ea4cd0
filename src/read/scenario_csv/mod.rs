//! The scenario CSV: one row per node group; the rows of one scenario, one after another, share
//! its `scenario` id.
//!
//! Header names are matched without regard to case or surrounding blanks, in any order. The
//! columns are listed in [`COLUMNS`] and documented in `docs/formats.md`. Scenario-level values
//! may be left blank on all rows of a scenario but one; two rows that disagree are an error naming
//! both lines. An id that comes back after other scenarios is an error naming both lines. A
//! UTF-8 byte-order mark and CRLF or CR line ends are accepted.
//!
//! [`ScenarioReader`] streams a file scenario by scenario (a run of millions holds one at a
//! time); [`read_bytes`] reads one held in memory.

mod header;
mod row;
mod stream;
#[cfg(test)]
mod tests;

pub use stream::{RawBatch, RecordReader, ScenarioReader};

use crate::error::Result;
use crate::scenario::LocatedScenario;

/// Whether a column describes the whole scenario or one node group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The same for every row of a scenario.
    Scenario,
    /// Per row: one node group.
    NodeGroup,
    /// Free text, ignored by the tool.
    Ignored,
}

/// A column of the scenario CSV.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header name, lower case.
    pub name: &'static str,
    /// Scenario- or node-group-level.
    pub level: Level,
    /// Whether the header must have it.
    pub required: bool,
}

const fn col(name: &'static str, level: Level, required: bool) -> Column {
    Column {
        name,
        level,
        required,
    }
}

/// Every column the scenario CSV takes, in the order the writer emits them (`note`, ignored,
/// last).
pub const COLUMNS: &[Column] = &[
    col("scenario", Level::Scenario, true),
    col("subnet_cidr", Level::Scenario, true),
    col("warm_eni_target", Level::Scenario, false),
    col("warm_ip_target", Level::Scenario, false),
    col("minimum_ip_target", Level::Scenario, false),
    col("warm_prefix_target", Level::Scenario, false),
    col("prefix_delegation", Level::Scenario, false),
    col("custom_networking", Level::Scenario, false),
    col("pod_subnet_cidr", Level::Scenario, false),
    col("ip_family", Level::Scenario, false),
    col("security_groups_for_pods", Level::Scenario, false),
    col("max_eni", Level::Scenario, false),
    col("host_networking_ips", Level::Scenario, false),
    col("daemonset_pods", Level::Scenario, false),
    col("max_pods_rule", Level::Scenario, false),
    col("instance_type", Level::NodeGroup, true),
    col("instances", Level::NodeGroup, true),
    col("pods_per_node", Level::NodeGroup, true),
    col("max_pods", Level::NodeGroup, false),
    col("branch_eni_pods", Level::NodeGroup, false),
    col("note", Level::Ignored, false),
];

/// Reads a whole scenario CSV held in memory. `name` names the file in messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Vec<LocatedScenario>> {
    ScenarioReader::new(name, bytes, u64::MAX)?.collect()
}
