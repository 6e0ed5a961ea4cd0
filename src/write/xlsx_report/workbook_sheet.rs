//! The Workbook model sheet: one row per scenario and node group evaluated by the workbook
//! model, every column of the legacy calculator sheet rewritten in portable functions over the
//! Inputs and Catalog sheets.

use std::sync::LazyLock;

use crate::evaluation::{Sheet, WorkbookRow};
use crate::scenario::Scenario;

use super::catalog_sheet::key_cell;
use super::cell::Cell;
use super::cell_formats::Fmt;
use super::column::{Col, Role, col, lettered};
use super::template::expand;

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("scenario", "Scenario", 22.0, Fmt::Text).named("scenario"),
            col("sheet", "Legacy sheet", 9.0, Fmt::Text)
                .role(Role::Fixed)
                .note("WarmENI or WarmIP: the legacy sheet whose formulas apply (WarmIP when WARM_IP_TARGET is set).")
                .named("sheet"),
            col("instance_type", "Instance type", 14.0, Fmt::Text).named("instance_type"),
            col("key", "Catalog key", 14.0, Fmt::Text)
                .role(Role::Hidden)
                .note("The Catalog row the lookups use: the instance type in lower case."),
            col("instances", "Instances", 9.0, Fmt::Int)
                .note("# of Instances (B).")
                .named("instances"),
            col("pods", "Pods per node", 9.0, Fmt::Int)
                .note("Target Workload Pods per Node (C).")
                .named("pods_per_node"),
            col("warm", "Warm target (B13)", 9.0, Fmt::Int)
                .note("WARM_ENI_TARGET on WarmENI (blank reads as 1), WARM_IP_TARGET on WarmIP."),
            col("host", "Host-network IPs (B14)", 10.0, Fmt::Int)
                .note("Host Networking IPs, added to every node."),
            col("max_enis", "Max ENIs", 9.0, Fmt::Int)
                .note("Max ENIs per Instance (D), from the Catalog.")
                .json("max_enis"),
            col("ips_per_eni", "IPs per ENI", 9.0, Fmt::Int)
                .note("IPs per ENI (E), from the Catalog; the legacy sheet counts the ENI's primary as a pod address.")
                .json("ips_per_eni"),
            col("max_pods", "Max pods", 9.0, Fmt::Int)
                .note("Max Pods (F), from the Catalog; #N/A where it has none, as the legacy sheet shows.")
                .json("max_pods"),
            col("max_ipv4", "Max IPv4", 9.0, Fmt::Int)
                .note("Max IPv4 (G): max ENIs × IPs per ENI.")
                .json("max_ipv4"),
            col("raw_enis", "ENIs needed (raw)", 9.0, Fmt::Dec)
                .note("Raw ENIs needed (H): pods ÷ IPs per ENI.")
                .json("raw_enis_needed"),
            col("in_use", "ENIs in use", 9.0, Fmt::Int)
                .note("in use ENIs (I): the raw figure rounded up.")
                .json("in_use_enis"),
            col("warm_eni", "With warm ENI / warm ENIs needed", 12.0, Fmt::Int)
                .note("WarmENI: with warm ENI (J) = ENIs in use + the warm target. WarmIP: Warm ENIs Needed (L) = 1 when the warm IPs do not fit in the ENIs in use.")
                .json("with_warm_eni / warm_enis_needed"),
            col("enis", "ENIs per node", 9.0, Fmt::Int)
                .note("The ENIs that feed the totals.")
                .json("enis_per_node"),
            col("actual", "Actual IPs", 9.0, Fmt::Int)
                .note("Actual IPs: pods + host-network IPs.")
                .json("actual_ips"),
            col("used", "Used IPs per node", 10.0, Fmt::Int)
                .note("Used IPs PI: ENIs × IPs per ENI + host-network IPs.")
                .json("used_ips"),
            col("used_minus", "Used IPs - (WarmIP)", 10.0, Fmt::Int)
                .note("WarmIP's Used IPs PI - column, which the legacy totals ignore.")
                .json("used_ips_with_warm"),
            col("ips_total", "IPs total", 10.0, Fmt::Int)
                .note("IPs Total: used IPs per node × instances.")
                .json("ips_total"),
            col("pods_total", "Pods total", 10.0, Fmt::Int)
                .note("Pods Total: pods per node × instances.")
                .json("pods_total"),
        ])
    });
    &COLS
}

/// Where a workbook-model row is: its sheet row (0-based) and its Inputs row (0-based).
pub(super) struct RowPosition {
    pub row: u32,
    pub input_row: u32,
}

/// The legacy sheet's row, rewritten in portable functions.
pub(super) fn cells(
    s: &Scenario,
    r: &WorkbookRow,
    sheet: Sheet,
    warm: u32,
    at: RowPosition,
    key: String,
) -> Vec<Cell> {
    let cols = cols();
    let t = |template: &str| expand(template, cols, at.row + 1, at.input_row + 1);
    let eni = sheet == Sheet::WarmEni;
    let pick = |on_eni: &'static str, on_ip: &'static str| if eni { on_eni } else { on_ip };
    // WarmENI is the sheet only when WARM_IP_TARGET is unset; a blank WARM_ENI_TARGET then reads
    // as ipamd's default, 1.
    let warm_formula = pick(
        "IF(@{warm_eni_target}=\"\",1,@{warm_eni_target})",
        "@{warm_ip_target}",
    );
    // Missing from the catalogue: #N/A, as the legacy sheet shows it.
    let max_pods = t("IF(ISNUMBER(#{max_pods}),#{max_pods},NA())");
    vec![
        Cell::Text(s.id.to_string()),
        Cell::Text(sheet.name().to_owned()),
        Cell::Text(r.instance_type.to_string()),
        key_cell(&t, key, &r.instance_type),
        Cell::formula(t("@{instances}"), r.instances),
        Cell::formula(t("@{pods_per_node}"), r.pods_per_node),
        Cell::formula(t(warm_formula), warm),
        Cell::formula(t("@{host_networking_ips}"), s.host_networking_ips),
        Cell::formula(t("#{max_enis}"), r.max_enis),
        Cell::formula(t("#{ipv4_per_eni}"), r.ips_per_eni),
        match r.max_pods {
            Some(p) => Cell::formula(max_pods, p),
            None => Cell::formula_text(max_pods, "#N/A"),
        },
        Cell::formula(t("{max_enis}*{ips_per_eni}"), r.max_ipv4 as f64),
        Cell::formula(t("{pods}/{ips_per_eni}"), r.raw_enis_needed),
        Cell::formula(t("ROUNDUP({pods}/{ips_per_eni},0)"), r.in_use_enis as f64),
        match sheet {
            Sheet::WarmEni => {
                Cell::formula(t("{in_use}+{warm}"), r.with_warm_eni.unwrap_or(0) as f64)
            }
            Sheet::WarmIp => Cell::formula(
                t("IF(({used}-{actual})<{warm},1,0)"),
                r.warm_enis_needed.unwrap_or(0) as f64,
            ),
        },
        Cell::formula(
            t(pick("{warm_eni}", "{in_use}+{warm_eni}")),
            r.enis_per_node as f64,
        ),
        Cell::formula(t("{pods}+{host}"), r.actual_ips as f64),
        Cell::formula(
            t(pick(
                "{warm_eni}*{ips_per_eni}+{host}",
                "{in_use}*{ips_per_eni}+{host}",
            )),
            r.used_ips as f64,
        ),
        match sheet {
            Sheet::WarmEni => Cell::Blank,
            Sheet::WarmIp => Cell::formula(
                t("{enis}*{ips_per_eni}"),
                r.used_ips_with_warm.unwrap_or(0) as f64,
            ),
        },
        Cell::formula(t("{used}*{instances}"), r.ips_total as f64),
        Cell::formula(t("{pods}*{instances}"), r.pods_total as f64),
    ]
}
