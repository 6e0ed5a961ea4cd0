//! The Subnets sheet (vpc-cni): one row per node subnet and pod subnet of each scenario, as the
//! engine spreads each node group's instances over a subnet list and, under custom networking,
//! puts pod ENIs in the pod subnet. Its figures are formulas over the Inputs and VPC CNI model
//! sheets: nodes per subnet (`instances / k`, one more for the first `instances mod k`), the
//! addresses they take, the smallest subnet that holds them (counted on the Subnet sizes sheet),
//! and the nodes of the largest node group that still fit.

use std::sync::LazyLock;

use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet, XlsxError};

use crate::engine::sizing;
use crate::evaluation::{NodeGroupUse, SubnetUse, labels};
use crate::report_layout::sheets;
use crate::scenario::SubnetRole;

use super::cell::{Cell, num, write_row};
use super::cell_formats::{Fmt, Formats};
use super::column::{Col, col, index, lettered, range};
use super::template::expand;
use super::{sizes_sheet, vpc_cni_sheet};

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("scenario", "Scenario", 24.0, Fmt::Text).named("scenario"),
            col("subnet", "Subnet", 18.0, Fmt::Text)
                .note("As given: a size (/24) or a CIDR.")
                .named("subnets[].subnet"),
            col("role", "Role", 7.0, Fmt::Text)
                .note("node: a node subnet; pod: custom networking's pod subnet.")
                .named("subnets[].role"),
            col("size", "Subnet size (/n)", 9.0, Fmt::Prefix).note(
                "The first node subnet's follows Subnet size (/n) on Inputs; the others are the sizes given (fixed).",
            ),
            col("nodes", "Nodes", 9.0, Fmt::Int)
                .note("The nodes placed in this subnet: each node group's instances spread evenly over the list, the first subnets taking one more.")
                .named("subnets[].nodes"),
            col("usable", "Usable IPs", 11.0, Fmt::Int)
                .note("2^(32 - n) - 5: AWS reserves five addresses.")
                .named("subnets[].ips"),
            col("used", "Used IPs", 11.0, Fmt::Int)
                .note("The addresses its nodes take: node subnet IPs per node (pod subnet IPs for a pod subnet) × the nodes of each group placed here.")
                .named("subnets[].used_ips"),
            col("remaining", "Remaining IPs", 11.0, Fmt::Int).named("subnets[].remaining_ips"),
            col("use", labels::SUBNET_USE.header, 8.0, Fmt::Pct)
                .note(
                    "Used ÷ usable IPs; with prefix delegation, the /28 blocks its addresses fill (used ÷ 16, rounded up) ÷ the blocks offered when that is more; blank without usable addresses. The largest of an evaluation's is its Fullest subnet % (Outputs), by which the Summary ranks it. (JSON gives it in percent.)",
                )
                .named(labels::SUBNET_USE.field),
            col("needs", "Smallest subnet (/n)", 10.0, Fmt::Prefix)
                .note("The smallest subnet (longest prefix, at most /28) that would hold what this subnet holds, with prefix delegation enough aligned /28 blocks too: counted on the Subnet sizes sheet.")
                .named("subnets[].min_prefix"),
            col("blocks", "/28 blocks offered", 10.0, Fmt::Int)
                .note("Prefix delegation: the aligned /28 blocks the subnet can offer, 2^(28 - n) - 2.")
                .named("subnets[].prefix_blocks_available"),
            col("needed", "/28 prefixes needed", 10.0, Fmt::Int)
                .note("Prefix delegation: the /28 prefixes its nodes take.")
                .named("subnets[].prefix_blocks_needed"),
            col("per_node", "IPs per added node", 10.0, Fmt::Int).note(
                "What one more node of the scenario's largest node group (most instances; the first on a tie) takes from this subnet.",
            ),
            col("per_node_prefixes", "Prefixes per added node", 10.0, Fmt::Int)
                .note("Prefix delegation: the /28 prefixes one more node of the largest node group takes."),
            col("room", "Room for more nodes", 10.0, Fmt::Int).note(
                "How many more nodes of the largest node group fit before this subnet is full. Alone: remaining IPs ÷ IPs per added node, rounded down, and with prefix delegation at most (16 × /28 blocks offered − used IPs) ÷ IPs per added node, as added nodes' prefixes and ENI addresses fill the free blocks (its fit). In a list of k subnets, where added nodes go round the list from subnet (instances mod k): ((position − instances) mod k) + fit × k. Outputs' Room for more nodes is the smallest of a scenario's, 0 when one of its subnets is short.",
            ),
        ])
    });
    &COLS
}

/// Where a scenario's rows are, for its subnets' formulas.
pub(super) struct Rows<'a> {
    /// The scenario id.
    pub scenario: &'a str,
    /// The scenario's node groups on the VPC CNI model sheet (0-based, first..=last).
    pub groups: (u32, u32),
    /// The scenario's first Inputs row (0-based).
    pub input_row: u32,
    /// The first Subnets row to write (0-based).
    pub first: u32,
}

/// Writes the rows of one evaluation's subnets; returns the next free row.
pub(super) fn write(
    ws: &mut Worksheet,
    subnets: &[SubnetUse],
    groups: &[NodeGroupUse],
    rows: Rows<'_>,
    fmt: &Formats,
) -> Result<u32, XlsxError> {
    let cols = cols();
    let v = vpc_cni_sheet::cols();
    let (a, b) = (rows.groups.0 + 1, rows.groups.1 + 1);
    let vr = |id: &str| range(sheets::VPC_CNI, v, id, a, b);
    let instances = vr("instances");
    // The largest node group (most instances; the first on a tie), as the engine picks it.
    let largest = groups.iter().reduce(|best, g| {
        if g.instances > best.instances {
            g
        } else {
            best
        }
    });
    let of_largest = |id: &str| format!("INDEX({},MATCH(MAX({instances}),{instances},0))", vr(id));
    let mut x = rows.first;
    for role in [SubnetRole::Node, SubnetRole::Pod] {
        let list: Vec<&SubnetUse> = subnets.iter().filter(|u| u.role == role).collect();
        let k = list.len();
        for (j, u) in list.into_iter().enumerate() {
            let t = |template: &str| expand(template, cols, x + 1, rows.input_row + 1);
            // Nodes of each group placed in subnet j of k: instances / k, one more for the first
            // instances mod k.
            let share = format!("(INT({instances}/{k})+(MOD({instances},{k})>{j}))");
            let placed = |id: &str| {
                if k == 1 {
                    format!("SUMPRODUCT({instances},{})", vr(id))
                } else {
                    format!("SUMPRODUCT({share}*{})", vr(id))
                }
            };
            let (ips_col, prefixes) = (
                if role == SubnetRole::Node {
                    "node_ips"
                } else {
                    "pod_ips"
                },
                "prefixes",
            );
            let blocks = u.prefix_blocks_available.is_some();
            let per_node = largest.map_or(0, |g| {
                if role == SubnetRole::Node {
                    g.node_subnet_ips_per_node
                } else {
                    g.pod_subnet_ips_per_node
                }
            });
            let per_node_prefixes = largest.map_or(0, |g| g.prefixes_per_node);
            let size = u.subnet.prefix_len;
            let needs = needs_cell(&t, u, blocks);
            let fit = sizing::nodes_that_fit(u, per_node);
            // Added nodes' prefixes and other addresses fill the free /28 blocks: they fit
            // while their addresses stay within 16 × blocks − used (see sizing::nodes_that_fit).
            let fit_formula = if blocks {
                "IF({per_node}=0,0,MIN(INT(MAX({remaining},0)/{per_node}),\
                 INT(MAX(16*{blocks}-{used},0)/{per_node})))"
            } else {
                "IF({per_node}=0,0,INT(MAX({remaining},0)/{per_node}))"
            };
            // In a list, added nodes go round it from subnet (instances mod k): the nodes the
            // group can add before this subnet is full (see sizing::list_bound).
            let largest_instances = largest.map_or(0, |g| g.instances);
            let room = sizing::list_bound(j, k, largest_instances, fit);
            let room_formula = if k == 1 {
                fit_formula.to_owned()
            } else {
                format!("MOD({j}-MOD(MAX({instances}),{k}),{k})+{k}*{fit_formula}")
            };
            let cells = vec![
                Cell::Text(rows.scenario.to_owned()),
                Cell::Text(u.subnet.to_string()),
                Cell::Text(role.name().to_owned()),
                if role == SubnetRole::Node && j == 0 {
                    Cell::formula(t("@{prefix_len}"), size)
                } else {
                    num(size).fixed()
                },
                Cell::formula(
                    if k == 1 {
                        format!("SUM({instances})")
                    } else {
                        format!("SUMPRODUCT({share})")
                    },
                    u.nodes as f64,
                ),
                Cell::formula(t("MAX(2^(32-{size})-5,0)"), u.ips as f64),
                Cell::formula(placed(ips_col), u.used_ips as f64),
                Cell::formula(t("{usable}-{used}"), u.remaining_ips as f64),
                {
                    // The share of its addresses used, or of its /28 blocks when that is more.
                    let formula = t(
                        "IF({usable}>0,MAX({used}/{usable},IF({blocks}>0,ROUNDUP({used}/16,0)/{blocks},0)),\"\")",
                    );
                    match u.use_pct {
                        Some(pct) => Cell::formula(formula, pct / 100.0),
                        None => Cell::formula_text(formula, ""),
                    }
                },
                needs,
                match u.prefix_blocks_available {
                    Some(n) => Cell::formula(t("IF({size}>28,0,MAX(2^(28-{size})-2,0))"), n as f64),
                    None => Cell::Blank,
                },
                match u.prefix_blocks_needed {
                    Some(n) if blocks => Cell::formula(placed(prefixes), n as f64),
                    _ => Cell::Blank,
                },
                Cell::formula(of_largest(ips_col), per_node),
                if blocks {
                    Cell::formula(of_largest(prefixes), per_node_prefixes)
                } else {
                    Cell::Blank
                },
                Cell::formula(t(&room_formula), room as f64),
            ];
            write_row(ws, x, cols, cells, fmt)?;
            x += 1;
        }
    }
    Ok(x)
}

/// The smallest subnet that holds what `u` holds: a count on the Subnet sizes sheet, where it
/// gives the engine's figure; the engine's figure as a fixed value otherwise.
fn needs_cell(t: &dyn Fn(&str) -> String, u: &SubnetUse, blocks: bool) -> Cell {
    let Some(engine) = u.min_prefix else {
        return Cell::Blank;
    };
    let prefixes = if blocks {
        u.prefix_blocks_needed.unwrap_or(0)
    } else {
        0
    };
    if sizes_sheet::vpc_cni_formula_value(u.used_ips, prefixes) != i64::from(engine) {
        return num(engine).fixed();
    }
    let usable = sizes_sheet::column("usable");
    let formula = if blocks {
        t(&format!(
            "COUNTIFS({usable},\">=\"&{{used}},{},\">=\"&IF({{needed}}>0,{{needed}}+ROUNDUP(MAX({{used}}-16*{{needed}},0)/16,0),0))-1",
            sizes_sheet::column("blocks")
        ))
    } else {
        t(&format!("COUNTIF({usable},\">=\"&{{used}})-1"))
    };
    Cell::formula(formula, engine)
}

/// Red for negative remaining addresses, amber above 80 % and red above 100 % used.
pub(super) fn conditional_formats(
    ws: &mut Worksheet,
    rows: u32,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let cols = cols();
    let rule = |rule: ConditionalFormatCellRule<f64>, format| {
        ConditionalFormatCell::new()
            .set_rule(rule)
            .set_format(format)
    };
    let remaining = index(cols, "remaining");
    ws.add_conditional_format(
        1,
        remaining,
        rows,
        remaining,
        &rule(ConditionalFormatCellRule::LessThan(0.0), &fmt.red),
    )?;
    let used = index(cols, "use");
    ws.add_conditional_format(
        1,
        used,
        rows,
        used,
        &rule(ConditionalFormatCellRule::GreaterThan(1.0), &fmt.red).set_stop_if_true(true),
    )?;
    ws.add_conditional_format(
        1,
        used,
        rows,
        used,
        &rule(ConditionalFormatCellRule::GreaterThan(0.8), &fmt.amber),
    )?;
    Ok(())
}
