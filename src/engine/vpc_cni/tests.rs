//! The vpc-cni model's rules, each with values worked from the specification and upstream
//! sources.

use super::*;
use crate::scenario::{CniSettings, IpFamily, NodeGroup};
use crate::warning::{Warning, WarningKind};

/// Whether `w` says prefix delegation falls back on `instance_type`.
fn no_prefix_delegation(w: &Warning, instance_type: &str) -> bool {
    matches!(&w.kind, WarningKind::NoPrefixDelegation { instance_type: t } if &**t == instance_type)
}

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

pub(super) fn limits(
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

pub(super) fn catalog() -> Catalog {
    let mut c = Catalog::new();
    c.insert(limits("m5.large", 3, 10, Some("nitro"), Some(2)));
    c.insert(limits("t2.medium", 3, 6, Some("xen"), Some(2)));
    c.insert(limits("t3.small", 3, 4, Some("nitro"), Some(2)));
    c.insert(limits("odd.large", 2, 4, None, None));
    c.insert(limits("big.4xlarge", 8, 30, Some("nitro"), None));
    c
}

pub(super) fn group(instance_type: &str, instances: u32, pods: u32) -> NodeGroup {
    NodeGroup::new(instance_type, instances, pods)
}

pub(super) fn scenario(cni: CniSettings, subnets: &[u8], groups: Vec<NodeGroup>) -> Scenario {
    Scenario::builder("t")
        .subnets(subnets.iter().map(|&n| Subnet::of_size(n)))
        .cni(cni)
        .node_groups(groups)
        .build()
}

pub(super) fn groups(e: &Evaluation) -> &[NodeGroupUse] {
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
            .any(|w| w.kind == WarningKind::CustomNetworkingWithoutPodSubnet)
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
        .filter(|s| s.role == crate::scenario::SubnetRole::Pod)
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
    // Two /24s with 211 and 231 left, 20 addresses a node (fit 10 and 11): added nodes go to
    // the second subnet first (3 mod 2 = 1), so the bounds are 1 + 10·2 = 21 and 0 + 11·2 = 22.
    assert_eq!(e.headroom_nodes, Some(21));
    assert!(!e.out_of_addresses);
}

#[test]
fn one_short_subnet_of_a_list_is_out_of_addresses_and_bounds_the_headroom() {
    // docs/models.md's example: 6 nodes of 30 addresses over a /28 and two /22s.
    let list = |first: u8| {
        let sc = scenario(
            CniSettings::default(),
            &[first, 22, 22],
            vec![group("m5.large", 6, 25)],
        );
        evaluation(&sc, &catalog())
    };
    let e = list(28);
    assert_eq!(e.subnets[0].remaining_ips, -49);
    assert!(e.remaining_ips.unwrap() > 0 && e.out_of_addresses);
    assert_eq!(e.headroom_nodes, Some(0));
    // Two figures: the node subnets together 180 / 2,049; the fullest, the /28, 60 / 11.
    let pct = |p: Option<f64>| p.map(|p| (p * 10.0).round() / 10.0);
    assert_eq!(pct(e.utilization_pct), Some(8.8));
    assert_eq!(pct(e.fullest_subnet_pct), Some(545.5));
    let at = e.fullest_subnet.unwrap();
    assert_eq!((at.index, at.of, at.subnet.prefix_len), (0, 3, 28));
    assert_eq!(at.to_string(), "node subnet 1 of 3 (/28)");
    assert!(e.subnets[0].short && !e.subnets[1].short);
    let e = list(25);
    assert!(!e.out_of_addresses);
    assert_eq!(e.headroom_nodes, Some(6));
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
    assert!(
        e.warnings
            .iter()
            .any(|w| w.kind == WarningKind::Ipv6PodsNotCounted)
    );
    // ipamd refuses IPv6 without prefix delegation: said, and evaluated as with it.
    let pd = |e: &Evaluation| {
        e.warnings
            .iter()
            .any(|w| w.kind == WarningKind::Ipv6WithoutPrefixDelegation)
    };
    assert!(pd(&e));
    let with_pd = evaluation(
        &scenario(
            CniSettings {
                ip_family: IpFamily::Ipv6,
                prefix_delegation: true,
                ..CniSettings::default()
            },
            &[24],
            vec![group("m5.large", 10, 50)],
        ),
        &catalog(),
    );
    assert!(!pd(&with_pd));
    assert_eq!((with_pd.used_ips, with_pd.pods), (e.used_ips, e.pods));
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
            .any(|w| no_prefix_delegation(w, "t2.medium"))
    );
    // No hypervisor given (and not bare metal): not Nitro, as ipamd reads EC2's missing
    // Hypervisor ("unknown"), so it falls back too; nothing is assumed.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("odd.large", 1, 10)]),
        &catalog(),
    );
    assert_eq!(groups(&e)[0].mode, Mode::SecondaryIp);
    assert!(
        e.warnings
            .iter()
            .any(|w| no_prefix_delegation(w, "odd.large"))
    );
    let codes: Vec<&str> = e.warnings.iter().map(Warning::code).collect();
    assert_eq!(codes, ["no_prefix_delegation", "pods_without_ip"]);
}

pub(super) fn cni_pd() -> CniSettings {
    CniSettings {
        prefix_delegation: true,
        ..CniSettings::default()
    }
}

#[test]
fn the_calculators_value_and_its_cap_in_an_evaluation() {
    // odd.large (E=2, L=4, no hypervisor so not Nitro): the secondary-IP formula even with
    // prefix delegation, as the script's `== "nitro"` test fails: 2·3+2 = 8, under any cap.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("odd.large", 1, 10)]),
        &catalog(),
    );
    assert_eq!(groups(&e)[0].max_pods, 8);
    assert!(
        !e.warnings
            .iter()
            .any(|w| matches!(w.kind, WarningKind::VcpusUnknown { .. }))
    );
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
            .any(|w| matches!(w.kind, WarningKind::VcpusUnknown { cap: 110, .. }))
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
            .any(|w| matches!(w.kind, WarningKind::SubnetSizeOutsideAws { .. }))
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
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // 6 nodes: 18 blocks of 14 needed.
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("m5.large", 6, 20)]),
        &catalog(),
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w.kind, WarningKind::PrefixBlocksShort { .. }))
    );
    // 4 nodes: 12 of 14 blocks, 4 primaries may fragment it: reserve a /24 (16 blocks).
    let e = evaluation(
        &scenario(cni_pd(), &[24], vec![group("m5.large", 4, 20)]),
        &catalog(),
    );
    assert!(e.warnings.iter().any(|w| matches!(
        w.kind,
        WarningKind::PrefixBlocksFragmented { reserve: 24, .. }
    )));
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
