//! The Warnings sheet: every warning of every evaluation, one row per scenario, warning and what
//! it is about (each node group, or each subnet, it names; one row for a warning about the
//! scenario). A warning is placed by its data ([`crate::warning::About`]), never by its words. The
//! Outputs sheet's warnings cell shows only the count and the first.

use std::sync::LazyLock;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::evaluation::Evaluation;
use crate::scenario::{Scenario, SubnetRole};
use crate::warning::{About, Warning};

use super::cell::{Cell, write_row};
use super::cell_formats::{Fmt, Formats};
use super::column::{Col, col, lettered};

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("scenario", "Scenario", 18.0, Fmt::Text).named("scenario"),
            col("model", "Model", 9.0, Fmt::Text).named("model"),
            col("node_group", "Node group", 7.0, Fmt::Int)
                .note(
                    "The node group the warning is about (1 = the scenario's first row on Inputs); blank when it is about the scenario or a subnet. A warning about several node groups has a row for each.",
                )
                .json_path("warnings[].node_groups (counted from 0)"),
            col("instance_type", "Instance type", 13.0, Fmt::Text)
                .note("The node group's instance type.")
                .named("instance_type"),
            col("subnet", "Subnet", 13.0, Fmt::Text)
                .note(
                    "The subnet the warning is about, as given (a size or a CIDR), as on the Subnets sheet; blank when it is about the scenario or a node group. A warning about several subnets has a row for each.",
                )
                .json_path("warnings[].subnets (role and index, counted from 0)"),
            col("role", "Role", 7.0, Fmt::Text)
                .note("node: a node subnet; pod: custom networking's pod subnet.")
                .json_path("warnings[].subnets[].role"),
            col("code", "Code", 22.0, Fmt::Text)
                .note("The warning's kind: a stable name, never reworded.")
                .json_path("warnings[].code"),
            col("warning", "Warning", 43.0, Fmt::Wrap)
                .note("One of the ;-separated warnings of the CSV's warnings column.")
                .json_path("warnings[].message"),
        ])
    });
    &COLS
}

/// How many rows a warning takes: one per node group or subnet it is about, or one.
fn rows_of_warning(w: &Warning) -> usize {
    (w.about.node_groups().len() + w.about.subnets().len()).max(1)
}

/// How many rows the warnings of `e` take.
pub(super) fn rows_of(e: &Evaluation) -> usize {
    e.warnings.iter().map(rows_of_warning).sum()
}

/// The cells that say what a row is about: node group, instance type, subnet, role.
fn about_cells(s: &Scenario, about: &About) -> Vec<[Cell; 4]> {
    let blank = || [Cell::Blank, Cell::Blank, Cell::Blank, Cell::Blank];
    match about {
        About::Scenario => vec![blank()],
        About::NodeGroups(groups) => groups
            .as_slice()
            .iter()
            .map(|&g| {
                let instance_type = s.node_groups.get(g as usize).map_or(Cell::Blank, |group| {
                    Cell::Text(group.instance_type.to_string())
                });
                let mut cells = blank();
                cells[0] = Cell::Num(f64::from(g) + 1.0);
                cells[1] = instance_type;
                cells
            })
            .collect(),
        About::Subnets(subnets) => subnets
            .as_slice()
            .iter()
            .map(|r| {
                let list = match r.role {
                    SubnetRole::Node => &s.subnets,
                    SubnetRole::Pod => &s.pod_subnets,
                };
                let mut cells = blank();
                cells[2] = list
                    .get(r.index as usize)
                    .map_or(Cell::Blank, |subnet| Cell::Text(subnet.to_string()));
                cells[3] = Cell::Text(r.role.name().to_owned());
                cells
            })
            .collect(),
    }
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
        for [group, instance_type, subnet, role] in about_cells(s, &w.about) {
            let cells = vec![
                Cell::Text(e.scenario.to_string()),
                Cell::Text(e.model.name().to_owned()),
                group,
                instance_type,
                subnet,
                role,
                Cell::Text(w.code().to_owned()),
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
    use crate::scenario::NodeGroup;
    use crate::warning::{WarningKind, Warnings};

    fn group(instance_type: &str) -> NodeGroup {
        NodeGroup {
            instance_type: instance_type.into(),
            instances: 1,
            pods_per_node: 1,
            max_pods: None,
            branch_eni_pods: 0,
        }
    }

    #[test]
    fn a_warning_takes_a_row_for_each_thing_it_is_about() {
        let s = Scenario {
            id: "s".into(),
            subnets: vec!["10.0.0.0/25".parse().unwrap(), "/24".parse().unwrap()],
            pod_subnets: vec![],
            cni: Default::default(),
            host_networking_ips: 0,
            daemonset_pods: 0,
            max_pods_rule: None,
            node_groups: vec![group("a.large"), group("b.large"), group("a.large")],
        };
        let trunk = || WarningKind::TrunkLimitsUnknown {
            instance_type: "a.large".into(),
        };
        let mut found = Warnings::default();
        found.add(trunk(), About::node_group(0));
        found.add(
            WarningKind::SubnetSizeOutsideAws {
                subnet: "/24".parse().unwrap(),
            },
            About::subnet(SubnetRole::Node, 1),
        );
        found.add(WarningKind::NoNodeSubnet, About::Scenario);
        found.add(trunk(), About::node_group(2));
        let found = found.into_vec();
        assert_eq!(found.iter().map(rows_of_warning).sum::<usize>(), 4);

        let text = |c: &Cell| match c {
            Cell::Text(t) => t.clone(),
            Cell::Num(n) => n.to_string(),
            _ => String::new(),
        };
        let rows: Vec<Vec<String>> = found
            .iter()
            .flat_map(|w| about_cells(&s, &w.about))
            .map(|cells| cells.iter().map(text).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["1", "a.large", "", ""],
                ["3", "a.large", "", ""],
                ["", "", "/24", "node"],
                ["", "", "", ""],
            ]
        );
    }
}
