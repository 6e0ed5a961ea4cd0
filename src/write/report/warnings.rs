//! The Warnings sheet: every warning of every evaluation, one row each, with the node group it
//! is about when it names one (the engine starts such a warning with the node group's instance
//! type). The Outputs sheet's warnings cell shows only the count and the first.

use std::sync::LazyLock;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::engine::Evaluation;
use crate::scenario::Scenario;

use super::kit::{Col, Fmt, Formats, Out, col, lettered, write_row};

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("scenario", "Scenario", 24.0, Fmt::Text).named("scenario"),
            col("model", "Model", 9.0, Fmt::Text).named("model"),
            col("node_groups", "Node group(s)", 9.0, Fmt::Text).note(
                "The node groups (1 = the scenario's first row on Inputs) of the instance type the warning names; blank when it is about the scenario.",
            ),
            col("instance_type", "Instance type", 14.0, Fmt::Text),
            col("warning", "Warning", 110.0, Fmt::Text)
                .note("One of the ;-separated warnings of the CSV's warnings column.")
                .named("warnings"),
        ])
    });
    &COLS
}

/// How many rows the warnings of these evaluations take.
pub(super) fn rows_of<'a>(evaluations: impl Iterator<Item = &'a Evaluation>) -> usize {
    evaluations.map(|e| e.warnings.len()).sum()
}

/// The node groups a warning is about: those of the instance type it starts with (`m5.large:
/// …`), numbered from 1, and that type.
fn about(s: &Scenario, warning: &str) -> Option<(String, String)> {
    let (head, _) = warning.split_once(": ")?;
    let numbers: Vec<String> = s
        .node_groups
        .iter()
        .enumerate()
        .filter(|(_, g)| &*g.instance_type == head)
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    (!numbers.is_empty()).then(|| (numbers.join(", "), head.to_owned()))
}

/// Writes the warnings of evaluation `e` of scenario `s` from sheet row `row`; returns the next
/// free row.
pub(super) fn write(
    ws: &mut Worksheet,
    e: &Evaluation,
    s: &Scenario,
    mut row: u32,
    fmt: &Formats,
) -> Result<u32, XlsxError> {
    for w in &e.warnings {
        let (groups, instance_type) = about(s, w).unzip();
        let cells = vec![
            Out::Text(e.scenario.to_string()),
            Out::Text(e.model.name().to_owned()),
            groups.map_or(Out::Blank, Out::Text),
            instance_type.map_or(Out::Blank, Out::Text),
            Out::Text(w.clone()),
        ];
        write_row(ws, row, cols(), cells, fmt)?;
        row += 1;
    }
    Ok(row)
}
