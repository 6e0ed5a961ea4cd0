//! The Inputs sheet: one row per scenario and node group, every input of the scenario CSV under
//! a plain-language header (the shared list of [`crate::report_layout::INPUT_COLUMNS`]), as
//! values. The other sheets' formulas read it, and `eval report.xlsx` reads it back.

use std::sync::LazyLock;

use crate::report_layout::{INPUT_COLUMNS, Kind, PREFIX_LEN};
use crate::scenario::{Scenario, format_subnets};

use super::cell::{Cell, num, opt_num};
use super::cell_formats::Fmt;
use super::column::{Col, Role, col, lettered};

/// The Inputs sheet's columns; their ids are the scenario CSV's column names.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(
            INPUT_COLUMNS
                .iter()
                .map(|c| {
                    let (format, width) = match (c.kind, c.name) {
                        (_, "scenario") => (Fmt::Text, 22.0),
                        (_, "subnet_cidr" | "pod_subnet_cidr") => (Fmt::Text, 18.0),
                        (_, "instance_type") => (Fmt::Text, 14.0),
                        (Kind::Text, _) => (Fmt::Text, 11.0),
                        (Kind::Whole, _) => (Fmt::Int, 10.0),
                        (Kind::Bool, _) => (Fmt::Bool, 11.0),
                    };
                    let column = col(c.name, c.header, width, format).note(c.note);
                    let column = if c.name == PREFIX_LEN {
                        column
                    } else {
                        column.named(c.name)
                    };
                    if c.fresh_run {
                        column.role(Role::FreshRun)
                    } else {
                        column
                    }
                })
                .collect(),
        )
    });
    &COLS
}

/// The cells of node group `g` of scenario `s`, in [`cols`] order.
pub(super) fn cells(s: &Scenario, g: usize) -> Vec<Cell> {
    let group = &s.node_groups[g];
    let first = s.subnets.first().map_or(0, |n| n.prefix_len);
    cols()
        .iter()
        .map(|c| match c.id {
            "scenario" => Cell::Text(s.id.to_string()),
            "subnet_cidr" => Cell::Text(format_subnets(&s.subnets)),
            PREFIX_LEN => num(first),
            "warm_eni_target" => opt_num(s.cni.warm_eni_target),
            "warm_ip_target" => opt_num(s.cni.warm_ip_target),
            "minimum_ip_target" => opt_num(s.cni.minimum_ip_target),
            "warm_prefix_target" => opt_num(s.cni.warm_prefix_target),
            "prefix_delegation" => Cell::Bool(s.cni.prefix_delegation),
            "custom_networking" => Cell::Bool(s.cni.custom_networking),
            "pod_subnet_cidr" => Cell::Text(format_subnets(&s.pod_subnets)),
            "ip_family" => Cell::Text(s.cni.ip_family.as_str().to_owned()),
            "security_groups_for_pods" => Cell::Bool(s.cni.security_groups_for_pods),
            "host_networking_ips" => num(s.host_networking_ips),
            "daemonset_pods" => num(s.daemonset_pods),
            "instance_type" => Cell::Text(group.instance_type.to_string()),
            "instances" => num(group.instances),
            "pods_per_node" => num(group.pods_per_node),
            "max_pods" => opt_num(group.max_pods),
            "branch_eni_pods" => num(group.branch_eni_pods),
            "max_eni" => opt_num(s.cni.max_eni),
            "max_pods_rule" => s
                .max_pods_rule
                .map_or(Cell::Blank, |r| Cell::Text(r.as_str().to_owned())),
            other => unreachable!("Inputs column {other} has no cell"),
        })
        .collect()
}
