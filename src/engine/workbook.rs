//! The `workbook` model: the legacy `subnet-calc.xlsx` formulas, exactly, quirks included.
//!
//! Per node-group row (sheet columns in brackets; `C` pods per node, `B` instances, `E` IPs per
//! ENI, `W` the warm target in B13, `h` host-networking IPs in B14):
//!
//! | column | WarmENI | WarmIP |
//! |---|---|---|
//! | Max ENIs, IPs per ENI, Max Pods | XLOOKUP into maxENI / maxPods (D, E, F) | same |
//! | Max IPv4 | D·E (G) | same |
//! | Raw ENIs needed | C/E (H) | same |
//! | in use ENIs | CEILING.MATH(C/E) (I) | same |
//! | with warm ENI | I+W (J) | – |
//! | Actual IPs | C+h (K) | C+h (J) |
//! | Used IPs | J·E+h (L) | I·E+h (K) |
//! | Warm ENIs Needed | – | IF(K−J < W, 1, 0) (L) |
//! | in use ENIs − / Actual IPs − / Used IPs − | – | I+L (M), J (N), M·E (O) |
//! | Total Pods PI, IPs Total, Pods Total | C·B (M), L·B (N), C·B (O) | Total Pods C·B (P), IPs Total K·B (Q) |
//!
//! Totals: available = CidrData(n) = 2^(32−n)−2 (B5), used = ΣIPs Total (B8), pods = ΣPods (B9),
//! remaining = B5−B8 (B10). The quirks, kept on purpose: the ENI's primary address counts as a pod
//! address, ENIs are never capped at the instance limit, B15 (daemonset pods) is never read, B14 is
//! added per node, 2 addresses are reserved instead of AWS's 5, and WarmIP's totals use Used IPs
//! (K), ignoring its own warm-ENI columns M–O.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::evaluation::{Sheet, WorkbookRow};
use crate::scenario::Scenario;

/// The sheet's outputs for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkbookResult {
    /// The sheet whose formulas were used.
    pub sheet: Sheet,
    /// B13: the warm target the sheet used.
    pub warm_target: u32,
    /// B5, Total Available IP Addresses.
    pub subnet_ips: i64,
    /// B8, Number of IPs Used.
    pub used_ips: i64,
    /// B9, Number of Pods Hosted.
    pub pods: i64,
    /// B10, # of Subnet IPs Remaining.
    pub remaining_ips: i64,
    /// The node-group rows.
    pub rows: Vec<WorkbookRow>,
}

/// Why the workbook model cannot evaluate a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsupported {
    /// A setting or input the legacy layout has no cell for.
    NotExpressible(String),
    /// An instance type without ENI limits (the sheet would show `#N/A` in every total).
    MissingLimits(String),
    /// A figure beyond ±9.2·10¹⁸ (absurd instance or pod counts).
    TooLarge,
}

fn mul(a: i64, b: i64) -> Result<i64, Unsupported> {
    a.checked_mul(b).ok_or(Unsupported::TooLarge)
}

fn add(a: i64, b: i64) -> Result<i64, Unsupported> {
    a.checked_add(b).ok_or(Unsupported::TooLarge)
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unsupported::NotExpressible(why) => {
                write!(f, "unsupported by the legacy workbook: {why}")
            }
            Unsupported::TooLarge => write!(
                f,
                "the figures are too large to compute (check the instance and pod counts)"
            ),
            Unsupported::MissingLimits(t) => {
                write!(f, "instance type {t} has no ENI limits in the catalogue")
            }
        }
    }
}

/// Which sheet and warm target the legacy workbook would use for a scenario, or why it cannot
/// express it. Neither warm target set reads as WARM_ENI_TARGET=1, ipamd's default.
pub fn sheet_for(scenario: &Scenario) -> Result<(Sheet, u32), Unsupported> {
    let cni = &scenario.cni;
    let no = |why: &str| Err(Unsupported::NotExpressible(why.to_owned()));
    // IPv6 first: an IPv6 cluster runs with prefix delegation, and IPv6 is the reason.
    if cni.ip_family == crate::scenario::IpFamily::Ipv6 {
        return no("IPv6 clusters");
    }
    if cni.prefix_delegation {
        return no("prefix delegation");
    }
    if cni.minimum_ip_target.is_some_and(|m| m > 0) {
        return no("MINIMUM_IP_TARGET");
    }
    if cni.custom_networking || !scenario.pod_subnets.is_empty() {
        return no("custom networking");
    }
    if cni.max_eni.is_some_and(|m| m >= 1) {
        return no("MAX_ENI");
    }
    if cni.security_groups_for_pods || scenario.node_groups.iter().any(|g| g.branch_eni_pods > 0) {
        return no("security groups for pods");
    }
    if scenario.subnets.len() != 1 {
        return no("more than one subnet");
    }
    if scenario.node_groups.iter().any(|g| g.max_pods.is_some()) {
        return no("a max_pods override (the sheet looks max pods up in its maxPods sheet)");
    }
    match (cni.warm_eni_target, cni.warm_ip_target) {
        (Some(_), Some(_)) => {
            no("both WARM_ENI_TARGET and WARM_IP_TARGET (the sheets take one each)")
        }
        (None, Some(w)) => Ok((Sheet::WarmIp, w)),
        (Some(w), None) => Ok((Sheet::WarmEni, w)),
        (None, None) => Ok((Sheet::WarmEni, 1)),
    }
}

/// Evaluates a scenario with the legacy workbook's formulas, looking instance types up in
/// `catalog` as the sheet's XLOOKUPs do.
pub fn evaluate(scenario: &Scenario, catalog: &Catalog) -> Result<WorkbookResult, Unsupported> {
    let (sheet, warm) = sheet_for(scenario)?;
    let prefix_len = scenario.subnets[0].prefix_len;
    let subnet_ips = catalog.legacy_subnet_ips(prefix_len).ok_or_else(|| {
        Unsupported::NotExpressible(format!(
            "a /{prefix_len} subnet (the CidrData table has no row for it)"
        ))
    })?;
    let w = i64::from(warm);
    let h = i64::from(scenario.host_networking_ips);
    let mut rows = Vec::with_capacity(scenario.node_groups.len());
    for group in &scenario.node_groups {
        let limits = catalog.get(&group.instance_type);
        let (Some(d), Some(e)) = (
            limits.and_then(|l| l.max_enis),
            limits.and_then(|l| l.ipv4_per_eni),
        ) else {
            return Err(Unsupported::MissingLimits(group.instance_type.to_string()));
        };
        let (b, c, ei) = (
            i64::from(group.instances),
            i64::from(group.pods_per_node),
            i64::from(e),
        );
        let in_use = c.div_euclid(ei) + i64::from(c.rem_euclid(ei) != 0);
        let base = WorkbookRow {
            instance_type: group.instance_type.clone(),
            instances: group.instances,
            pods_per_node: group.pods_per_node,
            max_enis: d,
            ips_per_eni: e,
            max_pods: limits.and_then(|l| l.max_pods),
            enis_per_node: 0,
            ips_per_node: 0,
            ips_total: 0,
            pods_total: mul(c, b)?,
            max_ipv4: mul(i64::from(d), ei)?,
            raw_enis_needed: c as f64 / ei as f64,
            in_use_enis: in_use,
            with_warm_eni: None,
            actual_ips: c + h,
            used_ips: 0,
            total_pods_pi: None,
            warm_enis_needed: None,
            in_use_enis_with_warm: None,
            actual_ips_with_warm: None,
            used_ips_with_warm: None,
        };
        let row = match sheet {
            Sheet::WarmEni => {
                let with_warm = in_use + w;
                let used = add(mul(with_warm, ei)?, h)?;
                WorkbookRow {
                    enis_per_node: with_warm,
                    ips_per_node: used,
                    ips_total: mul(used, b)?,
                    with_warm_eni: Some(with_warm),
                    used_ips: used,
                    total_pods_pi: Some(mul(c, b)?),
                    ..base
                }
            }
            Sheet::WarmIp => {
                let used = add(mul(in_use, ei)?, h)?;
                let warm_needed = i64::from(used - base.actual_ips < w);
                let enis = in_use + warm_needed;
                WorkbookRow {
                    enis_per_node: enis,
                    ips_per_node: used,
                    ips_total: mul(used, b)?,
                    used_ips: used,
                    warm_enis_needed: Some(warm_needed),
                    in_use_enis_with_warm: Some(enis),
                    actual_ips_with_warm: Some(base.actual_ips),
                    used_ips_with_warm: Some(mul(enis, ei)?),
                    ..base
                }
            }
        };
        rows.push(row);
    }
    let used_ips = rows.iter().try_fold(0, |sum, r| add(sum, r.ips_total))?;
    let pods = rows.iter().try_fold(0, |sum, r| add(sum, r.pods_total))?;
    Ok(WorkbookResult {
        sheet,
        warm_target: warm,
        subnet_ips,
        used_ips,
        pods,
        remaining_ips: subnet_ips
            .checked_sub(used_ips)
            .ok_or(Unsupported::TooLarge)?,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::InstanceLimits;
    use crate::scenario::{CniSettings, NodeGroup, Subnet};

    fn catalog() -> Catalog {
        let mut c = Catalog::new();
        for (t, d, e, p) in [
            ("m5.12xlarge", 8, 30, Some(234)),
            ("c5.2xlarge", 4, 15, Some(58)),
            ("x2idn.16xlarge", 15, 50, None),
        ] {
            c.insert(InstanceLimits {
                max_enis: Some(d),
                ipv4_per_eni: Some(e),
                max_pods: p,
                ..InstanceLimits::named(t)
            });
        }
        c
    }

    /// The fixture workbook's own inputs: /23, warm target 1, host IPs 2, daemonset 2.
    fn fixture(cni: CniSettings) -> Scenario {
        Scenario::builder("fixture")
            .subnet(Subnet::of_size(23))
            .cni(cni)
            .host_networking_ips(2)
            .daemonset_pods(2)
            .node_group(NodeGroup::new("m5.12xlarge", 2, 100))
            .node_group(NodeGroup::new("c5.2xlarge", 1, 30))
            .build()
    }

    #[test]
    fn warm_eni_sheet_matches_the_fixture_workbook() {
        let s = fixture(CniSettings {
            warm_eni_target: Some(1),
            ..Default::default()
        });
        let r = evaluate(&s, &catalog()).unwrap();
        assert_eq!(
            (r.subnet_ips, r.used_ips, r.pods, r.remaining_ips),
            (510, 351, 230, 159)
        );
        let row = &r.rows[0];
        assert_eq!(
            row.sheet_values(Sheet::WarmEni),
            [
                8.0,
                30.0,
                234.0,
                240.0,
                100.0 / 30.0,
                4.0,
                5.0,
                102.0,
                152.0,
                200.0,
                304.0,
                200.0
            ]
            .map(Some)
        );
    }

    #[test]
    fn the_sheet_refuses_exactly_the_fields_the_schema_says_it_refuses() {
        use crate::scenario::schema::{Field, Legacy, set_example};
        for field in Field::ALL {
            let mut s = fixture(CniSettings::default());
            set_example(&mut s, field);
            let refused = match sheet_for(&s) {
                Ok(_) => false,
                Err(Unsupported::NotExpressible(_)) => true,
                Err(e) => panic!("{field:?}: {e:?}"),
            };
            // B4 holds one subnet: the example, a list of two, is refused; one is taken.
            let expected = field.spec().legacy == Legacy::Refused || field == Field::SubnetCidr;
            assert_eq!(
                refused,
                expected,
                "{field:?} set to {}",
                field.spec().example
            );
        }
        assert!(sheet_for(&fixture(CniSettings::default())).is_ok());
    }

    #[test]
    fn an_ipv6_cluster_is_named_as_such_with_or_without_prefix_delegation() {
        for prefix_delegation in [false, true] {
            let s = fixture(CniSettings {
                ip_family: crate::scenario::IpFamily::Ipv6,
                prefix_delegation,
                ..Default::default()
            });
            let e = evaluate(&s, &catalog()).unwrap_err();
            assert_eq!(e, Unsupported::NotExpressible("IPv6 clusters".into()));
        }
    }

    #[test]
    fn warm_ip_sheet_matches_the_fixture_workbook() {
        let s = fixture(CniSettings {
            warm_ip_target: Some(1),
            ..Default::default()
        });
        let r = evaluate(&s, &catalog()).unwrap();
        assert_eq!(
            (r.subnet_ips, r.used_ips, r.pods, r.remaining_ips),
            (510, 276, 230, 234)
        );
        assert_eq!(
            r.rows[1].sheet_values(Sheet::WarmIp),
            [
                4.0, 15.0, 58.0, 60.0, 2.0, 2.0, 32.0, 32.0, 1.0, 3.0, 32.0, 45.0, 30.0, 32.0
            ]
            .map(Some)
        );
        // The totals ignore the warm-ENI columns: IPs Total is Used IPs (K), not Used IPs - (O).
        assert_eq!(r.rows[1].ips_total, 32);
        assert_eq!(r.rows[1].used_ips_with_warm, Some(45));
    }

    #[test]
    fn missing_max_pods_is_reported_missing_and_totals_still_add_up() {
        let mut s = fixture(CniSettings::default());
        s.node_groups[0].instance_type = "x2idn.16xlarge".into();
        let r = evaluate(&s, &catalog()).unwrap();
        assert_eq!(r.rows[0].max_pods, None);
        assert_eq!(r.rows[0].sheet_values(Sheet::WarmEni)[2], None);
        // ceil(100/50) = 2 ENIs in use + 1 warm, 50 addresses each, + 2 host IPs, on 2 nodes.
        assert_eq!(r.rows[0].ips_total, ((2 + 1) * 50 + 2) * 2);
    }

    #[test]
    fn what_the_workbook_cannot_express_is_unsupported() {
        let cases = [
            CniSettings {
                prefix_delegation: true,
                ..Default::default()
            },
            CniSettings {
                minimum_ip_target: Some(5),
                ..Default::default()
            },
            CniSettings {
                warm_eni_target: Some(1),
                warm_ip_target: Some(1),
                ..Default::default()
            },
            CniSettings {
                custom_networking: true,
                ..Default::default()
            },
        ];
        for cni in cases {
            let e = evaluate(&fixture(cni.clone()), &catalog()).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("unsupported by the legacy workbook"),
                "{cni:?}: {e}"
            );
        }
        let mut s = fixture(CniSettings::default());
        s.subnets = vec![Subnet::of_size(31)];
        assert!(
            evaluate(&s, &catalog())
                .unwrap_err()
                .to_string()
                .contains("/31")
        );
    }

    #[test]
    fn no_warm_target_reads_as_ipamds_default() {
        assert_eq!(
            sheet_for(&fixture(CniSettings::default())).unwrap(),
            (Sheet::WarmEni, 1)
        );
    }
}
