//! Why the two models give different figures for one scenario: each difference worded with the
//! rule that makes it, from what the evaluations know (`+6 pods: daemonset pods counted (the
//! sheet ignores B15)`). Amounts are exact where a rule accounts for them alone; the pool's own
//! rules are what is left of the used-address difference.

use crate::evaluation::{Comparison, Evaluation, NodeGroupResults, NodeGroupUse, WorkbookRow};
use crate::scenario::Scenario;

impl Comparison {
    /// Compares a workbook-model evaluation with a vpc-cni one of `scenario`.
    pub fn of(scenario: &Scenario, workbook: &Evaluation, vpc_cni: &Evaluation) -> Self {
        let diff = |a: Option<i64>, b: Option<i64>| b?.checked_sub(a?);
        Comparison {
            workbook_used_ips: workbook.used_ips,
            vpc_cni_used_ips: vpc_cni.used_ips,
            used_ips_difference: diff(workbook.used_ips, vpc_cni.used_ips),
            workbook_remaining_ips: workbook.remaining_ips,
            vpc_cni_remaining_ips: vpc_cni.remaining_ips,
            remaining_ips_difference: diff(workbook.remaining_ips, vpc_cni.remaining_ips),
            differences: differences(scenario, workbook, vpc_cni),
        }
    }
}

/// A signed amount as people read it: `+6`, `−3` (a minus sign, so that a CSV field starting
/// with it is not taken for a formula).
fn signed(v: i64) -> String {
    if v < 0 {
        format!("\u{2212}{}", v.unsigned_abs())
    } else {
        format!("+{v}")
    }
}

/// The reasons the vpc-cni evaluation `cni` of `scenario` differs from its workbook evaluation
/// `wb`; empty when either has no figures.
pub fn differences(scenario: &Scenario, wb: &Evaluation, cni: &Evaluation) -> Vec<String> {
    let (NodeGroupResults::Workbook(rows), NodeGroupResults::VpcCni(groups)) =
        (&wb.node_groups, &cni.node_groups)
    else {
        return Vec::new();
    };
    let (Some(wb_ips), Some(cni_ips), Some(wb_used), Some(cni_used)) =
        (wb.subnet_ips, cni.subnet_ips, wb.used_ips, cni.used_ips)
    else {
        return Vec::new();
    };
    let nodes: i64 = groups.iter().map(|g| i64::from(g.instances)).sum();
    let mut out = Vec::new();

    let subnet = cni_ips - wb_ips;
    if subnet != 0 {
        out.push(format!(
            "{} subnet IPs: AWS reserves 5 addresses per subnet, the sheet's CidrData 2",
            signed(subnet)
        ));
    }

    let daemonsets = i64::from(scenario.daemonset_pods) * nodes;
    if daemonsets != 0 {
        out.push(format!(
            "{} pods: daemonset pods counted (the sheet ignores B15)",
            signed(daemonsets)
        ));
    }
    let without = cni.pods_without_ip.unwrap_or(0);
    if without != 0 {
        out.push(format!(
            "{} pods: pods that get no IP (ENI limits, max pods or the IP targets; the sheet serves every pod)",
            signed(-without)
        ));
    }

    let host = i64::from(scenario.host_networking_ips) * nodes;
    if host != 0 {
        out.push(format!(
            "{} used: host-network pods take no address (the sheet adds B14 per node)",
            signed(-host)
        ));
    }
    let pool = (cni_used - wb_used) + host;
    if pool != 0 {
        out.push(format!(
            "{} used: ipamd's pool (whole ENIs or the warm targets, a primary address per ENI, \
             daemonset pods) against the sheet's ENIs × IPs per ENI",
            signed(pool)
        ));
    }
    if let Some(capped) = capped(rows, groups) {
        out.push(capped);
    }
    if groups.iter().any(|g| g.oscillating) {
        out.push("warm pool sized at its peak (a warm target of 0 makes it oscillate)".into());
    }
    out
}

/// The first node group the sheet gives more ENIs than the instance type has.
fn capped(rows: &[WorkbookRow], groups: &[NodeGroupUse]) -> Option<String> {
    rows.iter().zip(groups).find_map(|(r, g)| {
        (r.enis_per_node > i64::from(g.max_enis)).then(|| {
            format!(
                "ENIs capped at the instance limit: {} takes {} ENIs, the sheet counts {}",
                g.instance_type, g.max_enis, r.enis_per_node
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_with_their_sign() {
        assert_eq!(signed(6), "+6");
        assert_eq!(signed(-3), "\u{2212}3");
        assert_eq!(signed(0), "+0");
    }
}
