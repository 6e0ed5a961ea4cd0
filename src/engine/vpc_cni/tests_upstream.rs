//! The vpc-cni model's rules that follow upstreams beside ipamd's pool: security groups for
//! pods as the VPC resource controller grants them, the configurations ipamd refuses, and the
//! two max-pods rules, each with values worked from the upstream sources (file and line in the
//! comments; see docs/models.md).

use super::tests::{catalog, cni_pd, group, groups, limits, scenario};
use super::*;
use crate::evaluation::MaxPodsSource;
use crate::scenario::{CniSettings, IpFamily, NodeGroup};
use crate::warning::{PendingWhy, WarningKind};

/// Types as the shared limits give them, with the VPC resource controller's trunking
/// (amazon-vpc-resource-controller-k8s `pkg/aws/vpc/limits.go` at b8d42511: m5.large 7249-7253,
/// t3.medium 16524-16528, m6g.medium `Interface: 2`, trunking-compatible, 4 branch ENIs).
fn sgp_catalog() -> Catalog {
    let mut c = catalog();
    let typed = |name, enis, ips, hyp: &str, cpus, trunk, branches, max_pods| InstanceLimits {
        trunking_compatible: Some(trunk),
        branch_interfaces: Some(branches),
        max_pods: Some(max_pods),
        ..limits(name, enis, ips, Some(hyp), Some(cpus))
    };
    c.insert(typed("m5.large", 3, 10, "nitro", 2, true, 9, 29));
    c.insert(typed("t3.medium", 3, 6, "nitro", 2, false, 0, 17));
    c.insert(typed("m6g.medium", 2, 4, "nitro", 1, true, 4, 8));
    c.insert(typed("m5.4xlarge", 8, 30, "nitro", 16, true, 54, 234));
    c
}

fn sgp_cni() -> CniSettings {
    CniSettings {
        security_groups_for_pods: true,
        ..CniSettings::default()
    }
}

fn branch_group(instance_type: &str, pods: u32, branch: u32) -> NodeGroup {
    group(instance_type, 2, pods).branch_eni_pods(branch)
}

#[test]
fn security_groups_on_a_trunking_compatible_type() {
    // m5.large: trunk in one of 3 slots, pool on 2 ENIs (18 IPs), 3 branch ENIs of its 9.
    let e = evaluation(
        &scenario(sgp_cni(), &[24], vec![branch_group("m5.large", 5, 3)]),
        &sgp_catalog(),
    );
    assert_eq!(e.status, Status::Ok);
    let g = &groups(&e)[0];
    assert_eq!(
        (g.trunk_enis_per_node, g.pod_eni_limit, g.enis_per_node),
        (1, 2, 3)
    );
    assert_eq!(
        (
            g.branch_eni_pods_per_node,
            g.branch_eni_pods_pending_per_node
        ),
        (3, 0)
    );
    // 2 ENI primaries + 18 pool IPs + the trunk + 3 branch ENIs.
    assert_eq!(g.ips_per_node, 2 + 18 + 1 + 3);
    assert_eq!((g.pods_without_ip_per_node, e.pods), (0, Some(16)));
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
}

#[test]
fn branch_pods_past_the_types_branch_enis_stay_pending() {
    // m5.large takes 9 branch ENIs (limits.go 7253); the 10th to 12th pods get none.
    let e = evaluation(
        &scenario(sgp_cni(), &[24], vec![branch_group("m5.large", 5, 12)]),
        &sgp_catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!(
        (
            g.branch_eni_pods_per_node,
            g.branch_eni_pods_pending_per_node
        ),
        (9, 3)
    );
    assert_eq!(g.pods_without_ip_per_node, 3);
    assert_eq!(g.ips_per_node, 2 + 18 + 1 + 9);
    assert_eq!((e.pods, e.pods_without_ip), (Some(28), Some(6)));
    assert!(
        e.warnings.iter().any(|w| w.kind
            == WarningKind::BranchPodsPending {
                instance_type: "m5.large".into(),
                pods: 3,
                why: PendingWhy::PastBranchEnis { cap: 9 }
            }),
        "{:?}",
        e.warnings
    );
}

#[test]
fn a_type_that_is_not_trunking_compatible_gets_no_trunk_and_keeps_its_enis() {
    // t3.medium (limits.go 16527: IsTrunkingCompatible false): no trunk, no slot reserved
    // (ipamd.go 2594), all 3 ENIs for the pool; its branch pods stay Pending.
    let e = evaluation(
        &scenario(sgp_cni(), &[24], vec![branch_group("t3.medium", 12, 4)]),
        &sgp_catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!((g.trunk_enis_per_node, g.pod_eni_limit), (0, 3));
    assert_eq!(
        (
            g.branch_eni_pods_per_node,
            g.branch_eni_pods_pending_per_node
        ),
        (0, 4)
    );
    // 12 pool pods: 3 ENIs of 5 (WARM_ENI_TARGET 1 asks one more than the 3 needed, capped).
    assert_eq!(
        (g.enis_per_node, g.pod_ips_per_node, g.ips_per_node),
        (3, 15, 18)
    );
    assert_eq!(g.pods_without_ip_per_node, 4);
    assert!(
        e.warnings.iter().any(|w| matches!(
            &w.kind,
            WarningKind::NotTrunkingCompatible { instance_type } if &**instance_type == "t3.medium"
        )),
        "{:?}",
        e.warnings
    );
}

#[test]
fn max_eni_1_with_security_groups_fills_the_primary_and_attaches_no_trunk() {
    // ipamd.go 983 (the primary is topped up first), 1469-1471 (no slot for a trunk).
    let cni = CniSettings {
        max_eni: Some(1),
        ..sgp_cni()
    };
    let e = evaluation(
        &scenario(cni, &[24], vec![branch_group("m5.large", 5, 2)]),
        &sgp_catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!(
        (g.max_enis, g.trunk_enis_per_node, g.pod_eni_limit),
        (1, 0, 1)
    );
    assert_eq!(
        (g.enis_per_node, g.pod_ips_per_node, g.active_ips_per_node),
        (1, 9, 5)
    );
    assert_eq!(g.branch_eni_pods_pending_per_node, 2);
    assert!(
        e.warnings.iter().any(|w| matches!(
            w.kind,
            WarningKind::BranchPodsPending {
                why: PendingWhy::MaxEni1NoTrunkSlot,
                ..
            }
        )),
        "{:?}",
        e.warnings
    );
}

#[test]
fn unknown_trunking_is_assumed_compatible_with_a_warning() {
    let e = evaluation(
        &scenario(sgp_cni(), &[24], vec![branch_group("big.4xlarge", 5, 30)]),
        &catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!((g.trunk_enis_per_node, g.branch_eni_pods_per_node), (1, 30));
    assert!(
        e.warnings.iter().any(|w| matches!(
            &w.kind,
            WarningKind::TrunkLimitsUnknown { instance_type } if &**instance_type == "big.4xlarge"
        )),
        "{:?}",
        e.warnings
    );
}

#[test]
fn in_ipv6_max_eni_does_not_remove_the_trunk() {
    let cni = CniSettings {
        ip_family: IpFamily::Ipv6,
        max_eni: Some(1),
        ..sgp_cni()
    };
    let e = evaluation(
        &scenario(cni, &[24], vec![branch_group("m5.large", 20, 3)]),
        &sgp_catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!((g.trunk_enis_per_node, g.branch_eni_pods_per_node), (1, 3));
    // The node's IPv4 address, the trunk's and three branch ENIs'.
    assert_eq!(g.ips_per_node, 5);
}

#[test]
fn configurations_ipamd_refuses_are_invalid_with_the_reason() {
    let invalid = |cni: CniSettings, instance_type: &str| {
        let e = evaluation(
            &scenario(cni, &[24], vec![group(instance_type, 1, 5)]),
            &sgp_catalog(),
        );
        assert_eq!(e.status, Status::Invalid, "{instance_type}");
        assert_eq!(e.used_ips, None);
        e.message.unwrap()
    };
    let v6 = CniSettings {
        ip_family: IpFamily::Ipv6,
        ..CniSettings::default()
    };
    // ipamd.go 2766-2768.
    assert!(
        invalid(
            CniSettings {
                custom_networking: true,
                ..v6.clone()
            },
            "m5.large"
        )
        .contains("IPv6 with custom networking")
    );
    // ipamd.go 2772-2776: t2.medium is Xen.
    assert!(invalid(v6, "t2.medium").starts_with("t2.medium: IPv6 needs prefix delegation"));
    // ipamd.go 686-688: m6g.medium has 2 ENIs, the primary and the trunk's slot.
    let cn_sgp = CniSettings {
        custom_networking: true,
        ..sgp_cni()
    };
    assert!(
        invalid(cn_sgp.clone(), "m6g.medium")
            .contains("no ENI for pods after the primary ENI and the trunk's slot")
    );
    // The same without a trunk: MAX_ENI=1 under custom networking.
    let cn_one = CniSettings {
        custom_networking: true,
        max_eni: Some(1),
        ..CniSettings::default()
    };
    assert!(invalid(cn_one, "m5.large").contains("no ENI for pods after the primary ENI;"));
    // m5.large has room for a pod ENI beside the primary and the trunk.
    let e = evaluation(
        &scenario(cn_sgp, &[24], vec![group("m5.large", 1, 5)]),
        &sgp_catalog(),
    );
    assert_eq!(e.status, Status::Ok);
    // Prefix delegation on Xen stays a fallback with a warning, not invalid.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("t2.medium", 1, 5)]),
        &sgp_catalog(),
    );
    assert_eq!(e.status, Status::Ok);
}

#[test]
fn both_max_pods_rules() {
    // m5.4xlarge: the calculator gives min(8·29+2, 110) = 110 (16 vCPUs,
    // max-pods-calculator.sh 158-162); eni-max-pods.txt gives 234, uncapped (bootstrap.sh 512).
    let mut sc = scenario(
        CniSettings::default(),
        &[22],
        vec![group("m5.4xlarge", 1, 150)],
    );
    let e = evaluation(&sc, &sgp_catalog());
    let g = &groups(&e)[0];
    assert_eq!(
        (g.max_pods, g.max_pods_source),
        (110, MaxPodsSource::Calculator)
    );
    assert_eq!(g.pods_without_ip_per_node, 40);
    sc.max_pods_rule = Some(crate::scenario::MaxPodsRule::Table);
    let e = evaluation(&sc, &sgp_catalog());
    let g = &groups(&e)[0];
    assert_eq!((g.max_pods, g.max_pods_source), (234, MaxPodsSource::Table));
    assert_eq!(
        (g.pods_without_ip_per_node, g.active_ips_per_node),
        (0, 150)
    );
    // The node group's own max_pods wins over either rule.
    sc.node_groups[0].max_pods = Some(58);
    let g = groups(&evaluation(&sc, &sgp_catalog()))[0].clone();
    assert_eq!(
        (g.max_pods, g.max_pods_source),
        (58, MaxPodsSource::NodeGroup)
    );
    // The table rule on a type without a max pods is an error naming it.
    let mut sc = scenario(
        CniSettings::default(),
        &[22],
        vec![group("m5.large", 1, 10)],
    );
    sc.max_pods_rule = Some(crate::scenario::MaxPodsRule::Table);
    let e = evaluation(&sc, &catalog());
    assert_eq!(e.status, Status::Error);
    assert!(
        e.message
            .unwrap()
            .starts_with("m5.large: no max pods in the catalogue")
    );
}

#[test]
fn ipv6_on_bare_metal_without_a_hypervisor_is_valid() {
    // m5.metal: the limits give no hypervisor but bare metal, which takes prefixes
    // (awsutils.go 2025-2031): IPv6 runs. Its own ENI limit shows, as MAX_ENI does nothing.
    let mut c = sgp_catalog();
    c.insert(InstanceLimits {
        bare_metal: Some(true),
        ..limits("m5.metal", 15, 50, None, Some(96))
    });
    let cni = CniSettings {
        ip_family: IpFamily::Ipv6,
        max_eni: Some(2),
        ..CniSettings::default()
    };
    let e = evaluation(&scenario(cni, &[24], vec![group("m5.metal", 2, 100)]), &c);
    assert_eq!(e.status, Status::Ok, "{:?}", e.message);
    let g = &groups(&e)[0];
    assert_eq!((g.mode, g.max_enis, g.pod_eni_limit), (Mode::Ipv6, 15, 0));
    assert_eq!((g.ips_per_node, e.used_ips), (1, Some(2)));
}

#[test]
fn custom_networking_with_security_groups_on_a_two_eni_xen_type_keeps_one_pod_eni() {
    // m4.large (limits.go 7129-7133: 2 ENIs, not trunking-compatible): no trunk slot is kept, so
    // under custom networking one ENI beside the primary holds pods (K = 1): valid.
    let mut c = sgp_catalog();
    c.insert(InstanceLimits {
        trunking_compatible: Some(false),
        branch_interfaces: Some(0),
        ..limits("m4.large", 2, 10, Some("xen"), Some(2))
    });
    let cni = CniSettings {
        custom_networking: true,
        ..sgp_cni()
    };
    let e = evaluation(
        &scenario(cni, &[24], vec![branch_group("m4.large", 5, 0)]),
        &c,
    );
    assert_eq!(e.status, Status::Ok, "{:?}", e.message);
    let g = &groups(&e)[0];
    assert_eq!((g.pod_eni_limit, g.trunk_enis_per_node), (1, 0));
    // 1 node address; a pod ENI of 9 IPs and its primary in the pod subnet.
    assert_eq!(
        (g.node_subnet_ips_per_node, g.pod_subnet_ips_per_node),
        (1, 10)
    );
    // No branch pods: no word about trunking.
    assert!(
        !e.warnings.iter().any(|w| matches!(
            w.kind,
            WarningKind::NotTrunkingCompatible { .. } | WarningKind::TrunkLimitsUnknown { .. }
        )),
        "{:?}",
        e.warnings
    );
}

#[test]
fn branch_pods_over_max_pods_stay_pending_and_say_why() {
    // m5.large with kubelet max pods 4: two host-network pods leave room for 2 branch pods of 3.
    let g = branch_group("m5.large", 0, 3).max_pods(4);
    let mut s = scenario(sgp_cni(), &[24], vec![g]);
    s.host_networking_ips = 2;
    let e = evaluation(&s, &sgp_catalog());
    let g = &groups(&e)[0];
    assert_eq!(
        (
            g.branch_eni_pods_per_node,
            g.branch_eni_pods_pending_per_node
        ),
        (2, 1)
    );
    assert!(
        e.warnings.iter().any(|w| w.kind
            == WarningKind::BranchPodsPending {
                instance_type: "m5.large".into(),
                pods: 1,
                why: PendingWhy::PastMaxPods { max_pods: 4 }
            }),
        "{:?}",
        e.warnings
    );
}
