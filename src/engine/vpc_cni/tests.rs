//! The vpc-cni model's rules, each with values worked from the specification and upstream
//! sources.

use super::*;
use crate::scenario::{CniSettings, IpFamily, NodeGroup};

const M5: NodeLimits = NodeLimits {
    max_enis: 3,
    ipv4_per_eni: 10,
    max_pods: 29,
    prefix_delegation_supported: true,
    trunking: Trunking {
        compatible: None,
        branch_interfaces: None,
    },
};

fn sip(p: u32) -> NodeUse {
    node(M5, &EffectiveSettings::default(), PodLoad::pool(p))
}

fn pd_settings() -> EffectiveSettings {
    EffectiveSettings {
        prefix_delegation: true,
        ..EffectiveSettings::default()
    }
}

fn limits(
    name: &str,
    enis: u32,
    ips: u32,
    hypervisor: Option<&str>,
    vcpus: Option<u32>,
) -> InstanceLimits {
    InstanceLimits {
        max_enis: Some(enis),
        ipv4_per_eni: Some(ips),
        hypervisor: hypervisor.map(str::to_owned),
        bare_metal: hypervisor.map(|_| false),
        vcpus,
        ..InstanceLimits::named(name)
    }
}

fn catalog() -> Catalog {
    let mut c = Catalog::new();
    c.insert(limits("m5.large", 3, 10, Some("nitro"), Some(2)));
    c.insert(limits("t2.medium", 3, 6, Some("xen"), Some(2)));
    c.insert(limits("t3.small", 3, 4, Some("nitro"), Some(2)));
    c.insert(limits("odd.large", 2, 4, None, None));
    c.insert(limits("big.4xlarge", 8, 30, Some("nitro"), None));
    c
}

fn group(instance_type: &str, instances: u32, pods: u32) -> NodeGroup {
    NodeGroup {
        instance_type: instance_type.into(),
        instances,
        pods_per_node: pods,
        max_pods: None,
        branch_eni_pods: 0,
    }
}

fn scenario(cni: CniSettings, subnets: &[u8], groups: Vec<NodeGroup>) -> Scenario {
    Scenario {
        id: "t".into(),
        subnets: subnets.iter().map(|&n| Subnet::of_size(n)).collect(),
        pod_subnets: Vec::new(),
        cni,
        host_networking_ips: 0,
        daemonset_pods: 0,
        max_pods_rule: None,
        node_groups: groups,
    }
}

fn groups(e: &Evaluation) -> &[NodeGroupUse] {
    match &e.node_groups {
        NodeGroupResults::VpcCni(g) => g,
        NodeGroupResults::Workbook(_) => panic!("not a vpc-cni evaluation"),
    }
}

#[test]
fn quick_check_m5_large_secondary_ip_defaults() {
    let n = sip(0);
    assert_eq!((n.attached_enis, n.pool_ips, n.node_subnet_ips), (1, 9, 10));
    assert_eq!((n.active_enis, n.warm_enis, n.unused_ips), (0, 1, 9));
    for p in 1..=9 {
        let n = sip(p);
        assert_eq!(
            (n.attached_enis, n.pool_ips, n.node_subnet_ips),
            (2, 18, 20),
            "p={p}"
        );
        assert_eq!(
            (n.pods_served, n.unused_ips, n.active_enis, n.warm_enis),
            (p, 18 - p, 1, 1)
        );
    }
    for p in 10..=40 {
        let n = sip(p);
        assert_eq!(
            (n.attached_enis, n.pool_ips, n.node_subnet_ips),
            (3, 27, 30),
            "p={p}"
        );
        assert_eq!(n.pods_served, p.min(27));
        assert_eq!(n.pods_without_ip, p - p.min(27));
        assert_eq!(n.pods_scheduled, p.min(29));
    }
    assert_eq!(sip(12).cidrs_per_eni(), vec![9, 9, 9]);
    assert_eq!(sip(12).pods_per_eni(), vec![9, 3, 0]);
}

#[test]
fn quick_check_m5_large_prefix_delegation() {
    let l = NodeLimits {
        max_pods: 110,
        ..M5
    };
    let n = node(l, &pd_settings(), PodLoad::pool(50));
    assert_eq!(n.mode, Mode::PrefixDelegation);
    assert_eq!(
        (n.cidrs, n.pool_ips, n.node_subnet_ips, n.attached_enis),
        (5, 80, 81, 1)
    );
    assert_eq!((n.free_prefixes, n.unused_ips), (1, 30));
    let n = node(l, &pd_settings(), PodLoad::pool(100));
    assert_eq!((n.cidrs, n.pool_ips, n.node_subnet_ips), (7, 112, 113));
    assert_eq!((n.unused_ips, n.free_prefixes), (12, 0));
    assert_eq!(n.cidrs_per_eni(), vec![7]);
    // §7.4: kubelet max pods left at the secondary-IP value caps the pool at 2 prefixes.
    let n = node(M5, &pd_settings(), PodLoad::pool(29));
    assert_eq!((n.cidrs, n.pods_served), (2, 29));
}

#[test]
fn warm_ip_targets_override_warm_eni_target() {
    let s = EffectiveSettings {
        warm_eni_target: 3,
        warm_ip_target: 2,
        minimum_ip_target: 5,
        ..Default::default()
    };
    let n = node(M5, &s, PodLoad::pool(0));
    assert_eq!((n.cidrs, n.attached_enis, n.node_subnet_ips), (5, 1, 6));
    let n = node(M5, &s, PodLoad::pool(10));
    assert_eq!(
        (n.cidrs, n.cidrs_per_eni(), n.attached_enis),
        (12, vec![9, 3], 2)
    );
    // WARM_IP_TARGET=0 with MINIMUM_IP_TARGET: exactly m addresses; pod m+1 gets none.
    let s = EffectiveSettings {
        warm_ip_target: 0,
        minimum_ip_target: 5,
        ..Default::default()
    };
    let n = node(M5, &s, PodLoad::pool(8));
    assert_eq!(
        (n.cidrs, n.pods_served, n.pods_without_ip, n.unused_ips),
        (5, 5, 3, 0)
    );
    // The same in PD: ceil(m/16) prefixes, whose 32 addresses all serve pods.
    let s = EffectiveSettings {
        minimum_ip_target: 20,
        ..pd_settings()
    };
    let n = node(
        NodeLimits {
            max_pods: 110,
            ..M5
        },
        &s,
        PodLoad::pool(40),
    );
    assert_eq!((n.cidrs, n.pods_served, n.pods_without_ip), (2, 32, 8));
}

#[test]
fn zero_targets_oscillate_and_report_the_peak() {
    let s = EffectiveSettings {
        warm_eni_target: 0,
        ..Default::default()
    };
    let n = node(M5, &s, PodLoad::pool(9));
    assert!(n.oscillating);
    assert_eq!(
        (n.cidrs, n.node_subnet_ips, n.oscillation_low_ips),
        (18, 20, Some(10))
    );
    let n = node(M5, &s, PodLoad::pool(5));
    assert!(!n.oscillating);
    assert_eq!(n.cidrs, 9);
    // p = 0: the primary ENI cannot be freed, so no oscillation without custom networking.
    assert!(!node(M5, &s, PodLoad::pool(0)).oscillating);
    // At the ENI limit the extra ENI never comes.
    assert!(!node(M5, &s, PodLoad::pool(27)).oscillating);

    let s = EffectiveSettings {
        warm_prefix_target: 0,
        ..pd_settings()
    };
    let l = NodeLimits {
        max_pods: 110,
        ..M5
    };
    let n = node(l, &s, PodLoad::pool(16));
    assert!(n.oscillating);
    assert_eq!(
        (n.cidrs, n.node_subnet_ips, n.oscillation_low_ips),
        (2, 33, Some(17))
    );
    let n = node(l, &s, PodLoad::pool(17));
    assert!(!n.oscillating);
    assert_eq!(n.cidrs, 2);
}

#[test]
fn custom_networking_moves_pod_enis_to_the_pod_subnet() {
    let s = EffectiveSettings {
        custom_networking: true,
        ..Default::default()
    };
    let l = NodeLimits { max_pods: 20, ..M5 };
    let n = node(l, &s, PodLoad::pool(10));
    assert_eq!(
        (n.pod_eni_limit, n.cidrs, n.pod_enis, n.attached_enis),
        (2, 18, 2, 3)
    );
    assert_eq!(
        (n.node_subnet_ips, n.pod_subnet_ips, n.pods_served),
        (1, 20, 10)
    );
    // A node that can attach no pod ENI serves no pods.
    let tiny = NodeLimits {
        max_enis: 1,
        ipv4_per_eni: 4,
        max_pods: 10,
        prefix_delegation_supported: true,
        trunking: Trunking::default(),
    };
    let n = node(tiny, &s, PodLoad::pool(4));
    assert_eq!(
        (n.pod_eni_limit, n.cidrs, n.pods_served, n.pods_without_ip),
        (0, 0, 0, 4)
    );
    assert_eq!((n.node_subnet_ips, n.pod_subnet_ips), (1, 0));

    let cni = CniSettings {
        custom_networking: true,
        ..CniSettings::default()
    };
    let mut sc = scenario(cni, &[24], vec![group("m5.large", 4, 10)]);
    let e = evaluation(&sc, &catalog());
    assert_eq!(e.status, Status::Ok);
    let g = &groups(&e)[0];
    assert_eq!(
        (
            g.max_pods,
            g.node_subnet_ips_per_node,
            g.pod_subnet_ips_per_node
        ),
        (20, 1, 20)
    );
    assert_eq!(
        (e.used_ips, e.pod_subnet_used_ips, e.pod_subnet_ips),
        (Some(4), Some(80), None)
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("without a pod subnet"))
    );
    sc.pod_subnets = vec![Subnet::of_size(22), Subnet::of_size(22)];
    let e = evaluation(&sc, &catalog());
    assert_eq!(
        (e.pod_subnet_ips, e.pod_subnet_remaining_ips),
        (Some(2038), Some(2038 - 80))
    );
    let pods: Vec<_> = e
        .subnets
        .iter()
        .filter(|s| s.role == "pod")
        .map(|s| (s.nodes, s.used_ips))
        .collect();
    assert_eq!(pods, vec![(2, 40), (2, 40)]);
}

#[test]
fn node_groups_spread_evenly_over_the_subnet_list() {
    let sc = scenario(
        CniSettings::default(),
        &[24, 24],
        vec![group("m5.large", 3, 5)],
    );
    let e = evaluation(&sc, &catalog());
    let per: Vec<_> = e
        .subnets
        .iter()
        .map(|s| (s.nodes, s.used_ips, s.remaining_ips))
        .collect();
    assert_eq!(per, vec![(2, 40, 211), (1, 20, 231)]);
    assert_eq!(
        (e.subnet_ips, e.used_ips, e.remaining_ips),
        (Some(502), Some(60), Some(442))
    );
    assert_eq!((e.pods, e.pods_without_ip), (Some(15), Some(0)));
    let g = &groups(&e)[0];
    assert_eq!(
        (g.enis_per_node, g.ips_per_node, g.ips_total, g.pods_total),
        (2, 20, 60, 15)
    );
    assert_eq!(g.ips_per_eni_list.to_vec(), vec![9, 9]);
}

#[test]
fn ipv6_takes_only_the_node_address() {
    let cni = CniSettings {
        ip_family: IpFamily::Ipv6,
        ..CniSettings::default()
    };
    let e = evaluation(
        &scenario(cni, &[24], vec![group("m5.large", 10, 50)]),
        &catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!(g.mode, Mode::Ipv6);
    assert_eq!(
        (
            g.ips_per_node,
            g.pod_ips_per_node,
            g.ipv6_pod_prefixes_per_node
        ),
        (1, 0, 1)
    );
    assert_eq!((g.max_pods, g.active_ips_per_node), (110, 50));
    assert_eq!((e.used_ips, e.pods), (Some(10), Some(500)));
    assert!(e.warnings.iter().any(|w| w.contains("/80")));
}

#[test]
fn security_groups_for_pods_reserve_the_trunk_and_add_branch_addresses() {
    let s = EffectiveSettings {
        security_groups_for_pods: true,
        ..Default::default()
    };
    let n = node(
        M5,
        &s,
        PodLoad {
            pool_pods: 5,
            host_network_pods: 0,
            branch_eni_pods: 3,
        },
    );
    assert_eq!((n.pod_eni_limit, n.trunk_enis, n.attached_enis), (2, 1, 3));
    assert_eq!((n.cidrs, n.branch_pods_served, n.pods_served), (18, 3, 5));
    assert_eq!(n.node_subnet_ips, 2 + 18 + 1 + 3);
    // Capacity shrinks to two ENIs: 18 pool pods at most.
    let n = node(
        M5,
        &s,
        PodLoad {
            pool_pods: 25,
            host_network_pods: 0,
            branch_eni_pods: 0,
        },
    );
    assert_eq!((n.pods_served, n.pods_without_ip), (18, 7));
    // Host-network and branch pods take max-pods room first.
    let n = node(
        M5,
        &s,
        PodLoad {
            pool_pods: 25,
            host_network_pods: 4,
            branch_eni_pods: 10,
        },
    );
    assert_eq!(
        (n.branch_pods_served, n.pods_scheduled, n.pods_served),
        (10, 15, 15)
    );
    assert_eq!(n.pods_without_ip, 10);
}

#[test]
fn prefix_delegation_on_xen_falls_back_to_secondary_ips() {
    let cni = CniSettings {
        prefix_delegation: true,
        ..CniSettings::default()
    };
    let e = evaluation(
        &scenario(cni, &[24], vec![group("t2.medium", 2, 10)]),
        &catalog(),
    );
    let g = &groups(&e)[0];
    assert_eq!(g.mode, Mode::SecondaryIp);
    assert_eq!(
        (
            g.max_pods,
            g.enis_per_node,
            g.pod_ips_per_node,
            g.prefixes_per_node
        ),
        (17, 3, 15, 0)
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("t2.medium") && w.contains("falls back"))
    );
    // Unknown hypervisor: assumed supported, with a warning.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("odd.large", 1, 10)]),
        &catalog(),
    );
    assert_eq!(groups(&e)[0].mode, Mode::PrefixDelegation);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("odd.large") && w.contains("assumed Nitro"))
    );
}

fn cni_pd() -> CniSettings {
    CniSettings {
        prefix_delegation: true,
        ..CniSettings::default()
    }
}

#[test]
fn the_calculators_value_and_its_cap_in_an_evaluation() {
    // odd.large (E=2, L=4, hypervisor unknown so assumed Nitro): 2·3·16+2 = 98, under any cap.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("odd.large", 1, 10)]),
        &catalog(),
    );
    assert_eq!(groups(&e)[0].max_pods, 98);
    assert!(!e.warnings.iter().any(|w| w.contains("max-pods cap")));
    // big.4xlarge (E=8, L=30, no vCPUs): 8·29+2 = 234, capped at 110 from the size name.
    let e = evaluation(
        &scenario(
            CniSettings::default(),
            &[24],
            vec![group("big.4xlarge", 1, 10)],
        ),
        &catalog(),
    );
    assert_eq!(groups(&e)[0].max_pods, 110);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("assumed max-pods cap 110"))
    );
}

#[test]
fn subnets_out_of_range_and_prefix_blocks_are_warned_about() {
    let e = evaluation(
        &scenario(CniSettings::default(), &[30], vec![group("m5.large", 1, 1)]),
        &catalog(),
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("AWS subnets are /16 to /28"))
    );
    assert_eq!((e.subnet_ips, e.remaining_ips), (Some(0), Some(-20)));

    // 3 PD nodes of 2 prefixes in a /24: 6 blocks of 14, 3 primaries; fine.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("m5.large", 3, 20)]),
        &catalog(),
    );
    let s = &e.subnets[0];
    assert_eq!(
        (s.prefix_blocks_available, s.prefix_blocks_needed),
        (Some(14), Some(9))
    );
    assert!(!e.warnings.iter().any(|w| w.contains("/28")));
    // 6 nodes: 18 blocks of 14 needed.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("m5.large", 6, 20)]),
        &catalog(),
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("InsufficientCidrBlocks"))
    );
    // 4 nodes: 12 of 14 blocks, 4 primaries may fragment it: reserve a /24 (16 blocks).
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("m5.large", 4, 20)]),
        &catalog(),
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("reserve a /24 prefix-type CIDR reservation"))
    );
}

#[test]
fn daemonsets_count_on_every_node_and_host_network_pods_only_count_against_max_pods() {
    let mut sc = scenario(CniSettings::default(), &[24], vec![group("m5.large", 2, 8)]);
    sc.daemonset_pods = 2;
    sc.host_networking_ips = 3;
    let e = evaluation(&sc, &catalog());
    let g = &groups(&e)[0];
    assert_eq!(
        (g.pool_pods_per_node, g.enis_per_node, g.ips_per_node),
        (10, 3, 30)
    );
    assert_eq!((e.pods, e.pods_without_ip), (Some(20), Some(0)));
    sc.node_groups[0].pods_per_node = 30;
    let e = evaluation(&sc, &catalog());
    let g = &groups(&e)[0];
    // 32 pool pods, room for 29 − 3 = 26, 27 addresses: 26 served, 6 without an IP.
    assert_eq!(
        (
            g.active_ips_per_node,
            g.pods_without_ip_per_node,
            g.warm_ips_per_node
        ),
        (26, 6, 1)
    );
    assert_eq!(e.pods_without_ip, Some(12));
}

#[test]
fn missing_limits_are_an_error_not_a_panic() {
    let mut c = catalog();
    c.insert(InstanceLimits::named("bare.type"));
    let e = evaluation(
        &scenario(
            CniSettings::default(),
            &[24],
            vec![group("nope.large", 1, 1)],
        ),
        &c,
    );
    assert_eq!(e.status, Status::Error);
    assert!(e.message.unwrap().contains("nope.large"));
    let e = evaluation(
        &scenario(
            CniSettings::default(),
            &[24],
            vec![group("bare.type", 1, 1)],
        ),
        &c,
    );
    assert_eq!(e.status, Status::Error);
    assert!(e.message.unwrap().contains("no ENI limits"));
}

#[test]
fn absurd_inputs_saturate() {
    let huge = NodeLimits {
        max_enis: u32::MAX,
        ipv4_per_eni: u32::MAX,
        max_pods: u32::MAX,
        prefix_delegation_supported: true,
        trunking: Trunking::default(),
    };
    let s = EffectiveSettings {
        warm_eni_target: u32::MAX,
        warm_ip_target: u32::MAX,
        minimum_ip_target: u32::MAX,
        ..pd_settings()
    };
    let n = node(
        huge,
        &s,
        PodLoad {
            pool_pods: u32::MAX,
            host_network_pods: 0,
            branch_eni_pods: u32::MAX,
        },
    );
    assert_eq!(n.pods_scheduled, u32::MAX);
    let zero = NodeLimits {
        max_enis: 0,
        ipv4_per_eni: 0,
        max_pods: 0,
        prefix_delegation_supported: false,
        trunking: Trunking::default(),
    };
    let n = node(zero, &EffectiveSettings::default(), PodLoad::pool(5));
    assert_eq!(
        (n.cidrs, n.pods_served, n.pods_without_ip, n.attached_enis),
        (0, 0, 5, 1)
    );
}

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
    NodeGroup {
        branch_eni_pods: branch,
        ..group(instance_type, 2, pods)
    }
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
        e.warnings
            .contains(&"m5.large: 3 branch-ENI pods per node stay Pending without an IP (past its 9 branch ENIs)".to_owned()),
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
        e.warnings
            .iter()
            .any(|w| w.starts_with("t3.medium: not trunking-compatible")),
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
        e.warnings
            .iter()
            .any(|w| w.contains("MAX_ENI=1 leaves no slot for a trunk ENI")),
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
        e.warnings
            .iter()
            .any(|w| w.starts_with("big.4xlarge: trunk and branch ENI limits unknown")),
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
        !e.warnings.iter().any(|w| w.contains("trunking")),
        "{:?}",
        e.warnings
    );
}

#[test]
fn branch_pods_over_max_pods_stay_pending_and_say_why() {
    // m5.large with kubelet max pods 4: two host-network pods leave room for 2 branch pods of 3.
    let g = NodeGroup {
        max_pods: Some(4),
        ..branch_group("m5.large", 0, 3)
    };
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
        e.warnings.contains(
            &"m5.large: 1 branch-ENI pod per node stays Pending without an IP (past max pods 4)"
                .to_owned()
        ),
        "{:?}",
        e.warnings
    );
}
