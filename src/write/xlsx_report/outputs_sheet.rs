//! The Outputs sheet: one row per scenario and model, its figures formulas over the
//! per-instance sheets, the Subnets sheet and the Subnet sizes sheet (remaining addresses red when
//! negative, use amber above 80 % and red above 100 %). Two use figures, each under its own
//! header: Use % (node subnets), the node subnets together, and Fullest subnet %, the single
//! subnet closest to exhaustion. Two hidden columns rank each model's evaluations by the latter
//! for the Summary's worst-first tables and charts.

use std::sync::LazyLock;

use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet, XlsxError};

use crate::catalog::Catalog;
use crate::evaluation::{Evaluation, Model, Status, labels};
use crate::report_layout::sheets;
use crate::scenario::subnet::legacy_cidr_ips;
use crate::scenario::{Scenario, SubnetRole};

use super::cell::{Cell, opt_num};
use super::cell_formats::{Fmt, Formats};
use super::column::{Col, Role, col, index, letter, lettered, range};
use super::row_spans::RowSpans;
use super::template::expand;
use super::{sizes_sheet, subnets_sheet, vpc_cni_sheet, workbook_sheet};

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("scenario", "Scenario", 24.0, Fmt::Text).named("scenario"),
            col("model", "Model", 9.0, Fmt::Text)
                .note("workbook: the legacy subnet-calc.xlsx formulas; vpc-cni: what the Amazon VPC CNI allocates.")
                .named("model"),
            col("status", "Status", 9.0, Fmt::Text)
                .note("ok; unsupported (the model cannot express the scenario); invalid (ipamd refuses the configuration); error.")
                .named("status"),
            col("subnet", "Subnet IPs", 11.0, Fmt::Int)
                .note("Usable addresses of the node subnet(s): the sum of the Subnets sheet's (vpc-cni), 2^(32 - n) - 2 (workbook).")
                .named("subnet_ips"),
            col("used", "Used IPs", 11.0, Fmt::Int)
                .note("Addresses the scenario takes from its node subnet(s): the sum of its rows on its model's sheet.")
                .named("used_ips"),
            col("remaining", "Remaining IPs", 11.0, Fmt::Int)
                .note("Subnet IPs - used IPs; red when negative: out of addresses.")
                .named("remaining_ips"),
            col("use", labels::UTILIZATION.header, 9.0, Fmt::Pct)
                .note("Used ÷ subnet IPs: the node subnets together; amber above 80 %, red above 100 %. (CSV and JSON give it in percent.)")
                .named(labels::UTILIZATION.field),
            col("fullest", labels::FULLEST.header, 9.0, Fmt::Pct)
                .note("The single subnet closest to exhaustion: the largest Subnet use % of the evaluation's node and pod subnets (Subnets sheet; one subnet of a list, the pod subnet, /28 blocks under prefix delegation); workbook: its one subnet, = Use % (node subnets). The Summary ranks by it. Amber above 80 %, red above 100 %. (CSV and JSON give it in percent.)")
                .named(labels::FULLEST.field),
            col("fullest_subnet", "Fullest subnet", 34.0, Fmt::Text)
                .note("Which subnet Fullest subnet % is: its role and CIDR (or place and size); (/28 blocks) when counted in blocks.")
                .named("fullest_subnet"),
            col("needs", "Smallest subnet (/n)", 10.0, Fmt::Prefix)
                .note("The smallest subnet (longest prefix, at most /28) that holds what the scenario takes, by the model's rules; with a subnet list, the size each subnet needs (the Subnets sheet's, per subnet). Below /16 no single AWS subnet holds it.")
                .named("min_subnet_prefix"),
            col("room", "Room for more nodes", 10.0, Fmt::Int)
                .note("How many more nodes of the largest node group (most instances) fit in what is left; 0 when out of addresses. vpc-cni: the Subnets sheet's, summed; under custom networking the smaller of the node and pod subnets'.")
                .named("headroom_nodes"),
            col("pods", "Pods", 10.0, Fmt::Int)
                .note("Pods hosted (vpc-cni: pods that get an address).")
                .named("pods"),
            col("without", "Pods without IP", 10.0, Fmt::Int)
                .note("vpc-cni: pods that get no address (over max pods, ENI capacity or the IP targets).")
                .named("pods_without_ip"),
            col("pod_subnet", "Pod subnet IPs", 11.0, Fmt::Int)
                .note("Custom networking: usable addresses of the pod subnet(s).")
                .named("pod_subnet_ips"),
            col("pod_used", "Pod subnet used", 11.0, Fmt::Int).named("pod_subnet_used_ips"),
            col("pod_remaining", "Pod subnet remaining", 11.0, Fmt::Int)
                .named("pod_subnet_remaining_ips"),
            col("pod_needs", "Smallest pod subnet (/n)", 10.0, Fmt::Prefix)
                .note("Custom networking: the smallest pod subnet that holds what the pods take.")
                .named("pod_subnet_min_prefix"),
            col("message", "Message", 40.0, Fmt::Text)
                .note("Why the status is not ok.")
                .named("message"),
            col("warnings", "Warnings", 50.0, Fmt::Text)
                .note("How many, and the first; the Warnings sheet lists every one.")
                .named("warnings"),
            col("hidden", "Hidden sheet", 8.0, Fmt::Text)
                .note("yes when the scenario comes from a hidden sheet of its workbook.")
                .named("hidden_sheet"),
            rank_col(Model::Workbook),
            rank_col(Model::VpcCni),
            col("short", "short", 6.0, Fmt::Int).role(Role::Hidden).note(
                "A helper for the Summary: 1 when the evaluation is out of addresses in a subnet: the node subnets in total, one subnet of a list, a pod subnet, or the /28 blocks prefix delegation needs (addresses past 16 × the blocks offered).",
            ),
        ])
    });
    &COLS
}

/// The id of the hidden column that ranks model `m`'s evaluations.
pub(super) fn rank_id(m: Model) -> &'static str {
    match m {
        Model::Workbook => "rank_workbook",
        Model::VpcCni => "rank_vpc_cni",
    }
}

fn rank_col(m: Model) -> Col {
    col(rank_id(m), rank_id(m), 8.0, Fmt::Pct)
        .role(Role::Hidden)
        .note("A helper for the Summary: this model's Fullest subnet %, where it is a number.")
}

/// The share an evaluation's fullest subnet uses, as the rank column's formula gives it (a
/// fraction; `Evaluation::fullest_subnet_pct`).
pub(super) fn fullest_use(e: &Evaluation) -> Option<f64> {
    if e.status != Status::Ok {
        return None;
    }
    e.fullest_subnet_pct.map(|p| p / 100.0)
}

/// Whether the workbook model's CidrData gives /n the rule's 2^(32 - n) - 2 (a legacy workbook's
/// own table may not).
fn standard_cidr(catalog: &Catalog, n: u8) -> bool {
    n < 32 && catalog.legacy_subnet_ips(n) == Some(legacy_cidr_ips(n))
}

/// An Outputs row: evaluation `e` of scenario `s` (checked against `catalog`), placed as
/// `placed` says, its scenario's first Inputs row `input_row`, at sheet row `row`.
pub(super) fn cells(
    e: &Evaluation,
    s: &Scenario,
    catalog: &Catalog,
    placed: &RowSpans,
    input_row: u32,
    row: u32,
) -> Vec<Cell> {
    let cols = cols();
    let t = |template: &str| expand(template, cols, row + 1, input_row + 1);
    let value = |v: Option<i64>| opt_num(v.map(|v| v as f64));
    let fixed = |v: Option<i64>| value(v).fixed();
    let figure = |v: Option<i64>| v.unwrap_or(0) as f64;
    let mut subnet = value(e.subnet_ips);
    let mut used = value(e.used_ips);
    let mut pods = value(e.pods);
    let mut without = value(e.pods_without_ip);
    let mut remaining = value(e.remaining_ips);
    let mut util = opt_num(e.utilization_pct.map(|p| p / 100.0));
    let mut fullest = opt_num(fullest_use(e));
    let mut needs = value(e.min_subnet_prefix.map(i64::from));
    let mut room = value(e.headroom_nodes);
    let mut pod_subnet = value(e.pod_subnet_ips);
    let mut pod_used = value(e.pod_subnet_used_ips);
    let mut pod_remaining = value(e.pod_subnet_remaining_ips);
    let mut pod_needs = value(e.pod_subnet_min_prefix.map(i64::from));
    let mut rank = Cell::Blank;
    let mut short = Cell::Blank;
    if e.status == Status::Ok {
        if let (Some(d), Some(u)) = (e.subnet_ips, e.used_ips) {
            remaining = Cell::formula(t("{subnet}-{used}"), (d - u) as f64);
            let formula = t("IF({subnet}>0,{used}/{subnet},NA())");
            util = live(formula, e.utilization_pct.map(|p| p / 100.0), "#N/A");
            // The workbook's one subnet is its fullest (vpc-cni's: from Subnets, below).
            fullest = live(t("{use}"), e.utilization_pct.map(|p| p / 100.0), "#N/A");
            short = Cell::formula(
                t("IF({remaining}<0,1,0)"),
                f64::from(u8::from(e.out_of_addresses)),
            );
        }
        // Sums over this evaluation's rows of its model's sheet, and of the Subnets sheet.
        let sum = |sheet: &str, cols: &[Col], id: &str, (a, b): (u32, u32)| {
            format!("SUM({})", range(sheet, cols, id, a + 1, b + 1))
        };
        let on_subnets = |id: &str, rows: (u32, u32), fold: &str| {
            format!(
                "{fold}({})",
                range(
                    sheets::SUBNETS,
                    subnets_sheet::cols(),
                    id,
                    rows.0 + 1,
                    rows.1 + 1
                )
            )
        };
        match (e.model, placed.span) {
            (Model::Workbook, Some(span)) => {
                let w = workbook_sheet::cols();
                let n = s.subnets[0].prefix_len;
                if standard_cidr(catalog, n) {
                    subnet = Cell::formula(t("2^(32-@{prefix_len})-2"), figure(e.subnet_ips));
                } else {
                    subnet = fixed(e.subnet_ips);
                }
                used = Cell::formula(
                    sum(sheets::WORKBOOK, w, "ips_total", span),
                    figure(e.used_ips),
                );
                pods = Cell::formula(sum(sheets::WORKBOOK, w, "pods_total", span), figure(e.pods));
                needs = match e.min_subnet_prefix {
                    Some(p)
                        if sizes_sheet::workbook_formula_value(figure(e.used_ips) as i64)
                            == i64::from(p)
                            && (1..=28).all(|n| standard_cidr(catalog, n)) =>
                    {
                        Cell::formula(
                            t(&format!(
                                "COUNTIF({},\">=\"&{{used}})",
                                sizes_sheet::column("workbook")
                            )),
                            p,
                        )
                    }
                    other => fixed(other.map(i64::from)),
                };
                if let Some(h) = e.headroom_nodes {
                    let (a, b) = (span.0 + 1, span.1 + 1);
                    let wr = |id: &str| range(sheets::WORKBOOK, w, id, a, b);
                    let instances = wr("instances");
                    room = Cell::formula(
                        t(&format!(
                            "INT(MAX({{remaining}},0)/INDEX({},MATCH(MAX({instances}),{instances},0)))",
                            wr("used")
                        )),
                        h as f64,
                    );
                }
            }
            (Model::VpcCni, Some(span)) => {
                let v = vpc_cni_sheet::cols();
                used = Cell::formula(
                    sum(sheets::VPC_CNI, v, "node_total", span),
                    figure(e.used_ips),
                );
                pods = Cell::formula(
                    sum(sheets::VPC_CNI, v, "served_total", span),
                    figure(e.pods),
                );
                without = Cell::formula(
                    sum(sheets::VPC_CNI, v, "without_total", span),
                    figure(e.pods_without_ip),
                );
                let node_rows = placed.subnets;
                let pod_rows = placed.pod_subnets;
                if let Some(rows) = node_rows {
                    subnet = Cell::formula(on_subnets("usable", rows, "SUM"), figure(e.subnet_ips));
                    if e.min_subnet_prefix.is_some()
                        && e.subnets
                            .iter()
                            .filter(|u| u.role == SubnetRole::Node)
                            .all(|u| u.min_prefix.is_some())
                    {
                        needs = Cell::formula(
                            on_subnets("needs", rows, "MIN"),
                            figure(e.min_subnet_prefix.map(i64::from)),
                        );
                    } else {
                        needs = fixed(e.min_subnet_prefix.map(i64::from));
                    }
                }
                if e.pod_subnet_used_ips.is_some() {
                    pod_used = Cell::formula(
                        sum(sheets::VPC_CNI, v, "pod_total", span),
                        figure(e.pod_subnet_used_ips),
                    );
                    // Without a pod subnet given, its smallest size is the engine's figure.
                    pod_needs = fixed(e.pod_subnet_min_prefix.map(i64::from));
                }
                if let Some(rows) = pod_rows {
                    pod_subnet =
                        Cell::formula(on_subnets("usable", rows, "SUM"), figure(e.pod_subnet_ips));
                    pod_remaining = Cell::formula(
                        t("{pod_subnet}-{pod_used}"),
                        figure(e.pod_subnet_remaining_ips),
                    );
                    if e.pod_subnet_min_prefix.is_some()
                        && e.subnets
                            .iter()
                            .filter(|u| u.role == SubnetRole::Pod)
                            .all(|u| u.min_prefix.is_some())
                    {
                        pod_needs = Cell::formula(
                            on_subnets("needs", rows, "MIN"),
                            figure(e.pod_subnet_min_prefix.map(i64::from)),
                        );
                    }
                }
                if let Some(nodes) = node_rows {
                    let all = (nodes.0, pod_rows.map_or(nodes.1, |p| p.1));
                    let within = |id: &str| {
                        range(
                            sheets::SUBNETS,
                            subnets_sheet::cols(),
                            id,
                            all.0 + 1,
                            all.1 + 1,
                        )
                    };
                    let out = f64::from(u8::from(e.out_of_addresses));
                    short = Cell::formula(
                        format!(
                            "IF(OR(MIN({})<0,SUMPRODUCT(({}<>\"\")*({}>16*{}))>0),1,0)",
                            within("remaining"),
                            within("blocks"),
                            within("used"),
                            within("blocks"),
                        ),
                        out,
                    );
                    // Its fullest subnet: the largest of the Subnets sheet's Subnet use % (which
                    // counts /28 blocks too, and is blank for a subnet without usable addresses,
                    // which MAX skips).
                    {
                        let formula = format!("IF(COUNT({0})=0,\"\",MAX({0}))", within("use"));
                        fullest = live(formula, fullest_use(e), "");
                    }
                }
                if let (Some(h), Some(nodes)) = (e.headroom_nodes, node_rows) {
                    // The smallest of its subnets' bounds; 0 when one of them is short of
                    // addresses or of /28 blocks, its addresses past 16 × its blocks (see
                    // SubnetUse::is_short).
                    let all = (nodes.0, pod_rows.map_or(nodes.1, |p| p.1));
                    let within = |id: &str| {
                        range(
                            sheets::SUBNETS,
                            subnets_sheet::cols(),
                            id,
                            all.0 + 1,
                            all.1 + 1,
                        )
                    };
                    room = Cell::formula(
                        format!(
                            "IF(OR(MIN({})<0,SUMPRODUCT(({}<>\"\")*({}>16*{}))>0),0,{})",
                            within("remaining"),
                            within("blocks"),
                            within("used"),
                            within("blocks"),
                            on_subnets("room", all, "MIN")
                        ),
                        h as f64,
                    );
                }
            }
            _ => {}
        }
    }
    if e.status == Status::Ok && !matches!(fullest, Cell::Blank) {
        let formula = t("IF(ISNUMBER({fullest}),{fullest},\"\")");
        rank = live(formula, fullest_use(e), "");
    }
    let (rank_workbook, rank_vpc_cni) = match e.model {
        Model::Workbook => (rank, Cell::Blank),
        Model::VpcCni => (Cell::Blank, rank),
    };
    vec![
        Cell::Text(e.scenario.to_string()),
        Cell::Text(e.model.name().to_owned()),
        Cell::Text(e.status.name().to_owned()),
        subnet,
        used,
        remaining,
        util,
        fullest,
        e.fullest_subnet
            .map_or(Cell::Blank, |at| Cell::Text(at.to_string()).fixed()),
        needs,
        room,
        pods,
        without,
        pod_subnet,
        pod_used,
        pod_remaining,
        pod_needs,
        e.message.clone().map_or(Cell::Blank, Cell::Text),
        warnings_cell(&e.warnings),
        if e.hidden {
            Cell::Text("yes".into())
        } else {
            Cell::Blank
        },
        rank_workbook,
        rank_vpc_cni,
        short,
    ]
}

/// A formula with its cached value, or the text it gives without one.
fn live(formula: String, value: Option<f64>, without: &str) -> Cell {
    match value {
        Some(v) => Cell::formula(formula, v),
        None => Cell::formula_text(formula, without),
    }
}

/// The warnings cell: the count and the first warning (the Warnings sheet lists them all).
fn warnings_cell(warnings: &[crate::warning::Warning]) -> Cell {
    match warnings {
        [] => Cell::Blank,
        [one] => Cell::Text(one.to_string()),
        [first, ..] => Cell::Text(format!(
            "{} warnings (see Warnings). First: {first}",
            warnings.len()
        )),
    }
}

/// Red for negative remaining addresses, amber above 80 % and red above 100 % used.
pub(super) fn conditional_formats(
    ws: &mut Worksheet,
    rows: u32,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    if rows == 0 {
        return Ok(());
    }
    let cols = cols();
    let red_below_zero = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::LessThan(0))
        .set_format(&fmt.red);
    for id in ["remaining", "pod_remaining"] {
        let c = index(cols, id);
        ws.add_conditional_format(1, c, rows, c, &red_below_zero)?;
    }
    for c in [index(cols, "use"), index(cols, "fullest")] {
        ws.add_conditional_format(
            1,
            c,
            rows,
            c,
            &ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThan(1))
                .set_format(&fmt.red)
                .set_stop_if_true(true),
        )?;
        ws.add_conditional_format(
            1,
            c,
            rows,
            c,
            &ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThan(0.8))
                .set_format(&fmt.amber),
        )?;
    }
    Ok(())
}

/// `Outputs!$X$2:$X$n`: column `id` over `rows` evaluations.
pub(super) fn column(id: &str, rows: u32) -> String {
    range(sheets::OUTPUTS, cols(), id, 2, rows.max(1) + 1)
}

/// `Outputs!$X$n`: column `id`'s last row for `rows` evaluations.
pub(super) fn last_cell(id: &str, rows: u32) -> String {
    format!(
        "{}!${}${}",
        sheets::OUTPUTS,
        letter(cols(), id),
        rows.max(1) + 1
    )
}
