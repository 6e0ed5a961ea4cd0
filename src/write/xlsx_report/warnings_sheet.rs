//! The Warnings sheet: every warning of every evaluation, one row per scenario, node group and
//! warning. The engine starts a warning about a node group with its instance type and gives each
//! distinct text once; the node groups of that type it is about are found from their own figures
//! ([`groups_of`]). The Outputs sheet's warnings cell shows only the count and the first.

use std::sync::LazyLock;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::evaluation::{Evaluation, NodeGroupResults};
use crate::evaluation::{MaxPodsSource, NodeGroupUse};
use crate::scenario::Scenario;

use super::cell::{Cell, write_row};
use super::cell_formats::{Fmt, Formats};
use super::column::{Col, col, lettered};

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("scenario", "Scenario", 22.0, Fmt::Text).named("scenario"),
            col("model", "Model", 9.0, Fmt::Text).named("model"),
            col("node_group", "Node group", 7.0, Fmt::Int).note(
                "The node group the warning is about (1 = the scenario's first row on Inputs); blank when it is about the scenario. A warning about several node groups has a row for each.",
            ),
            col("instance_type", "Instance type", 14.0, Fmt::Text)
                .note("The node group's instance type, which the warning starts with.")
                .named("instance_type"),
            col("warning", "Warning", 80.0, Fmt::Wrap)
                .note("One of the ;-separated warnings of the CSV's warnings column.")
                .named("warnings"),
        ])
    });
    &COLS
}

/// The node groups (0-based) each warning of `e` is about, in warning order: empty for a warning
/// about the scenario. Needs the evaluation's node groups (call it before they are dropped).
///
/// A warning names a type (`m4.large: …`), not a node group; of the scenario's node groups of
/// that type, those whose own figures the warning states: pods without an IP and max pods,
/// Pending branch-ENI pods, the oscillation's peak, the max pods given or guessed, branch-ENI
/// pods. A warning about the type alone (its hypervisor, its trunk limits) is about each of them.
pub(super) fn groups_of(e: &Evaluation, s: &Scenario) -> Vec<Vec<u32>> {
    let uses: &[NodeGroupUse] = match &e.node_groups {
        NodeGroupResults::VpcCni(rows) => rows,
        NodeGroupResults::Workbook(_) => &[],
    };
    e.warnings
        .iter()
        .map(|w| {
            let w = w.to_string();
            let Some((head, rest)) = w.split_once(": ") else {
                return Vec::new();
            };
            let of_type: Vec<u32> = s
                .node_groups
                .iter()
                .enumerate()
                .filter(|(_, g)| &*g.instance_type == head)
                .map(|(i, _)| i as u32)
                .collect();
            let stated: Vec<u32> = of_type
                .iter()
                .copied()
                .filter(|&i| {
                    let branch_pods = s.node_groups[i as usize].branch_eni_pods;
                    uses.get(i as usize)
                        .is_none_or(|u| states(rest, u, branch_pods))
                })
                .collect();
            // A text the report does not know, or figures it cannot match: each of the type.
            if stated.is_empty() { of_type } else { stated }
        })
        .collect()
}

/// Whether warning text `rest` (after `type: `) states node group `u`'s figures; a warning
/// about the type alone states every group's.
fn states(rest: &str, u: &NodeGroupUse, branch_pods: u32) -> bool {
    let first = leading(rest);
    let after = |marker: &str| rest.split_once(marker).and_then(|(_, t)| leading(t));
    if rest.contains(" per node get no IP") || rest.contains(" per node gets no IP") {
        let without = u.pods_without_ip_per_node - u.branch_eni_pods_pending_per_node;
        first == Some(without) && after("over max pods ") == Some(u.max_pods)
    } else if rest.contains("Pending without an IP") {
        first == Some(u.branch_eni_pods_pending_per_node)
    } else if rest.starts_with("a warm target of 0 makes the pool oscillate") {
        u.oscillating
            && after(" and ") == Some(u.ips_per_node)
            && after("between ") == Some(u.oscillation_low_ips_per_node.unwrap_or(0))
    } else if rest.starts_with("max_pods ") {
        u.max_pods_source == MaxPodsSource::NodeGroup && after("max_pods ") == Some(u.max_pods)
    } else if rest.starts_with("vCPUs unknown") {
        u.max_pods_source == MaxPodsSource::Calculator
            && rest.rsplit_once("max pods ").and_then(|(_, t)| leading(t)) == Some(u.max_pods)
    } else if rest.starts_with("branch_eni_pods counted") || rest.starts_with("not trunking") {
        branch_pods > 0
    } else {
        true
    }
}

/// The whole number `text` starts with.
fn leading(text: &str) -> Option<u32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// How many rows warnings take, given each warning's node groups ([`groups_of`]): one per node
/// group, or one for a warning about the scenario.
pub(super) fn rows_of(groups: &[Vec<u32>]) -> usize {
    groups.iter().map(|g| g.len().max(1)).sum()
}

/// Writes the warnings of evaluation `e` of scenario `s`, whose node groups are `groups`
/// ([`groups_of`]), from sheet row `row`; returns the next free row.
pub(super) fn write(
    ws: &mut Worksheet,
    e: &Evaluation,
    s: &Scenario,
    groups: &[Vec<u32>],
    mut row: u32,
    fmt: &Formats,
) -> Result<u32, XlsxError> {
    for (i, w) in e.warnings.iter().enumerate() {
        let about = groups.get(i).map_or(&[][..], Vec::as_slice);
        let rows: Vec<Option<u32>> = if about.is_empty() {
            vec![None]
        } else {
            about.iter().copied().map(Some).collect()
        };
        for g in rows {
            let (number, instance_type) = match g.and_then(|g| s.node_groups.get(g as usize)) {
                Some(group) => (
                    Cell::Num(f64::from(g.unwrap_or(0) + 1)),
                    Cell::Text(group.instance_type.to_string()),
                ),
                None => (Cell::Blank, Cell::Blank),
            };
            let cells = vec![
                Cell::Text(e.scenario.to_string()),
                Cell::Text(e.model.name().to_owned()),
                number,
                instance_type,
                Cell::Text(w.to_string()),
            ];
            write_row(ws, row, cols(), cells, fmt)?;
            row += 1;
        }
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_where_the_warning_gives_them() {
        assert_eq!(leading("14 pods per node"), Some(14));
        assert_eq!(leading("pods"), None);
        assert_eq!(rows_of(&[vec![], vec![1, 3], vec![0]]), 4);
    }
}
