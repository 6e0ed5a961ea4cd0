//! Where a scenario was read from ([`Origin`]): its file, sheet and positions, and the figures
//! a legacy sheet shows, kept beside the scenario so that two scenarios read from different files
//! compare equal when their content is equal.

use std::sync::Arc;

use crate::error::Location;

use super::Scenario;

/// Where a scenario was read from, for messages that name the file and line or cell.
///
/// Kept compact (one shared file name, a small position per node group) because a batch of
/// millions of scenarios holds an origin for each until they are checked against the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The file, as the user named it.
    pub file: Arc<str>,
    /// The workbook sheet the scenario was read from (`None` for a CSV line).
    pub sheet: Option<Arc<str>>,
    /// Whether that sheet is hidden in its workbook (outputs mark such scenarios).
    pub hidden: bool,
    /// The figures that sheet shows (its cached totals), when it holds any.
    pub shown: Option<ShownFigures>,
    /// Where the scenario starts (its first CSV line, or its sheet).
    pub scenario: Position,
    /// Where each node group is, in the scenario's order.
    pub node_groups: Vec<Position>,
}

/// The totals a legacy calculator sheet shows (the values cached in B5, B8, B9 and B10), to
/// check the workbook model against: they differ when the file's values are stale or its
/// formulas were changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownFigures {
    /// B5, Total Available IP Addresses.
    pub subnet_ips: Option<f64>,
    /// B8, Number of IPs Used.
    pub used_ips: Option<f64>,
    /// B9, Number of Pods Hosted.
    pub pods: Option<f64>,
    /// B10, # of Subnet IPs Remaining.
    pub remaining_ips: Option<f64>,
}

impl ShownFigures {
    /// Whether any figure is known.
    pub fn any(&self) -> bool {
        [
            self.subnet_ips,
            self.used_ips,
            self.pods,
            self.remaining_ips,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// A position in a scenario input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A line of a CSV file (1-based).
    Line(u64),
    /// The whole sheet of [`Origin::sheet`].
    Sheet,
    /// A cell of the sheet of [`Origin::sheet`] (0-based row and column).
    Cell {
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
    },
}

impl Origin {
    /// The origin of a scenario that starts on `line` of a CSV file.
    pub fn line(file: &Arc<str>, line: u64) -> Self {
        Origin {
            file: Arc::clone(file),
            sheet: None,
            hidden: false,
            shown: None,
            scenario: Position::Line(line),
            node_groups: Vec::new(),
        }
    }

    fn locate(&self, position: Position, column: Option<&str>) -> Location {
        let sheet = self.sheet.as_deref().unwrap_or_default();
        match position {
            Position::Line(line) => Location::line(&*self.file, line, column),
            Position::Sheet => Location::sheet(&*self.file, sheet),
            Position::Cell { row, col } => Location::cell(&*self.file, sheet, row, col),
        }
    }

    /// Where the scenario starts; for a CSV line, naming `column`.
    pub fn scenario_location(&self, column: Option<&str>) -> Location {
        self.locate(self.scenario, column)
    }

    /// Where node group `index` is: its CSV line and `instance_type` column, or its table cell.
    pub fn node_group_location(&self, index: usize) -> Location {
        let position = self
            .node_groups
            .get(index)
            .copied()
            .unwrap_or(self.scenario);
        self.locate(position, Some(super::schema::Field::InstanceType.name()))
    }
}

/// A scenario with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Where it was read from.
    pub origin: Origin,
}
