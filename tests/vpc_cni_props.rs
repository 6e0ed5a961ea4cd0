//! Properties of the vpc-cni model over the 1,391 upstream instance types
//! (`tests/data/upstream/instance-limits.csv`) with random settings and pod counts.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use subnet_calc::catalog::{Catalog, InstanceLimits};
use subnet_calc::engine::evaluate;
use subnet_calc::engine::vpc_cni::{self, EffectiveSettings, NodeLimits, PodLoad};
use subnet_calc::evaluation::{Mode, Model, NodeGroupResults, NodeGroupUse, Status};
use subnet_calc::scenario::{IpFamily, NodeGroup, Scenario, Subnet, SubnetRole};

/// The upstream types, read once.
fn types() -> &'static (Catalog, Vec<InstanceLimits>) {
    static TYPES: OnceLock<(Catalog, Vec<InstanceLimits>)> = OnceLock::new();
    TYPES.get_or_init(|| {
        // The limits, with the resource controller's trunking table layered on top.
        let mut catalog = common::upstream_catalog("instance-limits.csv");
        catalog.layer(&common::upstream_catalog("branch-eni-limits.csv"));
        // The types with ENI limits (the trunking table names one more, without them).
        let list = catalog
            .entries()
            .into_iter()
            .filter(|l| l.max_enis.is_some() && l.ipv4_per_eni.is_some())
            .cloned()
            .collect::<Vec<_>>();
        assert_eq!(list.len(), 1391);
        (catalog, list)
    })
}

/// Random settings: targets often unset (0), modes on or off.
fn settings() -> impl Strategy<Value = EffectiveSettings> {
    (
        0u32..4,
        prop_oneof![Just(0u32), 1u32..40],
        prop_oneof![Just(0u32), 1u32..80],
        0u32..5,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(weni, w, m, wpfx, pd, cn, sgp)| EffectiveSettings {
            warm_eni_target: weni,
            warm_ip_target: w,
            minimum_ip_target: m,
            warm_prefix_target: wpfx,
            prefix_delegation: pd,
            custom_networking: cn,
            security_groups_for_pods: sgp,
            ..EffectiveSettings::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_node_stays_within_its_limits(
        index in 0usize..10_000,
        s in settings(),
        pool in 0u32..900,
        host in 0u32..6,
        branch in 0u32..12,
        max_pods in prop_oneof![Just(None), (1u32..400).prop_map(Some)],
    ) {
        let (_, list) = types();
        let l = &list[index % list.len()];
        let (e, big_l) = (l.max_enis.unwrap(), l.ipv4_per_eni.unwrap());
        let supported = l.supports_prefix_delegation();
        let pd = s.prefix_delegation && supported;
        let mp = max_pods.unwrap_or_else(|| {
            let nitro = l.hypervisor.as_deref() == Some("nitro");
            vpc_cni::calculator_max_pods(&l.instance_type, e, big_l, pd && nitro, s.custom_networking, l.vcpus).value
        });
        let limits = NodeLimits {
            max_enis: e,
            ipv4_per_eni: big_l,
            max_pods: mp,
            prefix_delegation_supported: supported,
            trunking: Default::default(),
        };
        let load = PodLoad { pool_pods: pool, host_network_pods: host, branch_eni_pods: branch };
        let n = vpc_cni::node(limits, &s, load);

        let unit = if pd { 16 } else { 1 };
        prop_assert_eq!(n.mode, if pd { Mode::PrefixDelegation } else { Mode::SecondaryIp });
        prop_assert_eq!(n.prefix_delegation_fallback, s.prefix_delegation && !supported);
        let slots = big_l - 1;
        // K: the primary unless custom networking keeps pods off it, and the ENIs ipamd may attach
        // beside it, one slot kept for the trunk (a type the catalogue says nothing of is taken
        // as trunking-compatible); a one-ENI type with a trunk still fills its primary.
        let k = u32::from(!s.custom_networking)
            + e.saturating_sub(1).saturating_sub(u32::from(s.security_groups_for_pods));
        prop_assert_eq!((n.slots_per_eni, n.pod_eni_limit), (slots, k));

        // ENIs never exceed the limit; pool CIDRs never exceed K·S.
        prop_assert!(n.attached_enis <= e, "{} ENIs of {}", n.attached_enis, e);
        prop_assert!(n.pod_enis <= k);
        prop_assert!(n.cidrs <= k * slots);
        prop_assert_eq!(n.pool_ips, n.cidrs * unit);

        // Max pods: overshoot by at most one ENI (SIP without WIT) or the boot chunk.
        let wit = s.warm_ip_targets_defined();
        if !pd && !wit {
            prop_assert!(n.pool_ips < mp + slots, "{} addresses, max pods {}", n.pool_ips, mp);
        } else {
            prop_assert!(n.cidrs < mp.div_ceil(unit) + slots, "{} CIDRs, max pods {}", n.cidrs, mp);
        }

        // Every pod ENI but the last is full.
        let per_eni = n.cidrs_per_eni();
        prop_assert_eq!(per_eni.len() as u32, n.pod_enis);
        prop_assert_eq!(per_eni.iter().sum::<u32>(), n.cidrs);
        if let Some((last, full)) = per_eni.split_last() {
            prop_assert!(full.iter().all(|&c| c == slots));
            prop_assert!(*last >= 1 && *last <= slots);
        }

        // Pods: served within what is scheduled and held; everyone accounted for.
        prop_assert!(n.pods_served <= n.pods_scheduled.min(n.pool_ips));
        prop_assert_eq!(n.unused_ips, n.pool_ips - n.pods_served);
        let branch_req = if s.security_groups_for_pods { branch } else { 0 };
        prop_assert_eq!(n.pods_requested + branch_req, pool + branch);
        prop_assert_eq!(n.pods_served + n.branch_pods_served + n.pods_without_ip, pool + branch);
        prop_assert!(n.pods_scheduled + n.branch_pods_served + host.min(mp) <= mp.max(host.min(mp)));
        prop_assert_eq!(n.pods_per_eni().iter().sum::<u32>(), n.pods_served);
        if pd {
            prop_assert_eq!(n.free_prefixes, n.cidrs - n.pods_served.div_ceil(16));
        }
        prop_assert!(n.active_enis + n.warm_enis <= n.attached_enis);

        // Subnet addresses: one primary per ENI, the pool, one per branch pod.
        prop_assert_eq!(n.subnet_ips(), n.attached_enis + n.pool_ips + n.branch_pods_served);
        if s.custom_networking {
            prop_assert_eq!(n.node_subnet_ips, 1);
        } else {
            prop_assert_eq!(n.pod_subnet_ips, 0);
        }
    }

    /// `headroom_nodes` is exact: that many more nodes of the largest group still fit every
    /// subnet (addresses and /28 blocks), one more does not (docs/models.md).
    #[test]
    fn the_headroom_is_exactly_what_fits(
        picks in proptest::collection::vec((0usize..10_000, 1u32..30, 0u32..120), 1..4),
        subnets in proptest::collection::vec(18u8..=26, 1..4),
        pod_subnets in proptest::collection::vec(18u8..=26, 1..3),
        pd in any::<bool>(),
        cn in any::<bool>(),
        warm in prop_oneof![Just(None), (0u32..20).prop_map(Some)],
    ) {
        let (catalog, list) = types();
        let with_instances = |largest: Option<(usize, u32)>| {
            Scenario::builder("headroom")
                .subnets(subnets.iter().map(|&n| Subnet::of_size(n)))
                .pod_subnets(pod_subnets.iter().map(|&n| Subnet::of_size(n)))
                .warm_ip_target(warm)
                .prefix_delegation(pd)
                .custom_networking(cn)
                .host_networking_ips(1)
                .daemonset_pods(2)
                .node_groups(picks.iter().enumerate().map(|(at, &(i, instances, pods))| {
                    let instances = match largest {
                        Some((which, more)) if which == at => instances + more,
                        _ => instances,
                    };
                    NodeGroup::new(list[i % list.len()].instance_type.as_str(), instances, pods)
                }))
                .build()
        };
        let e = evaluate(&with_instances(None), catalog, Model::VpcCni);
        let Some(h) = e.headroom_nodes else { return Ok(()) };
        if e.out_of_addresses {
            prop_assert_eq!(h, 0);
            return Ok(());
        }
        // The largest group: most instances, the first on a tie.
        let largest = (0..picks.len()).rev().max_by_key(|&i| picks[i].1).unwrap();
        let more = |m: i64| {
            let m = u32::try_from(m).unwrap();
            evaluate(&with_instances(Some((largest, m))), catalog, Model::VpcCni).out_of_addresses
        };
        prop_assert!(!more(h), "{} more nodes should fit", h);
        prop_assert!(more(h + 1), "{} more nodes should not fit", h + 1);
    }

    #[test]
    fn scenarios_evaluate_and_add_up(
        picks in proptest::collection::vec((0usize..10_000, 0u32..50, 0u32..300, 0u32..4), 1..4),
        subnets in proptest::collection::vec(0u8..=32, 1..4),
        pod_subnets in proptest::collection::vec(14u8..=28, 0..3),
        daemonsets in 0u32..6,
        host in 0u32..4,
        pd in any::<bool>(),
        cn in any::<bool>(),
        sgp in any::<bool>(),
        ipv6 in any::<bool>(),
        warm in prop_oneof![Just(None), (0u32..20).prop_map(Some)],
    ) {
        let (catalog, list) = types();
        let scenario = Scenario::builder("prop")
            .subnets(subnets.iter().map(|&n| Subnet::of_size(n)))
            .pod_subnets(pod_subnets.iter().map(|&n| Subnet::of_size(n)))
            .warm_ip_target(warm)
            .prefix_delegation(pd)
            .custom_networking(cn)
            .security_groups_for_pods(sgp)
            .ip_family(if ipv6 { IpFamily::Ipv6 } else { IpFamily::Ipv4 })
            .host_networking_ips(host)
            .daemonset_pods(daemonsets)
            .node_groups(picks.iter().map(|&(i, instances, pods, branch)| {
                NodeGroup::new(list[i % list.len()].instance_type.as_str(), instances, pods)
                    .branch_eni_pods(branch)
            }))
            .build();
        let e = evaluate(&scenario, catalog, Model::VpcCni);
        // The configurations ipamd refuses (docs/models.md): IPv6 with custom networking, IPv6
        // on a type without prefixes, custom networking with no ENI left for pods.
        let limits: Vec<_> = picks.iter().map(|&(i, ..)| &list[i % list.len()]).collect();
        let refused = if ipv6 {
            cn || limits.iter().any(|l| !l.supports_prefix_delegation())
        } else {
            // K = E − 1 − the trunk's slot, kept only on a trunking-compatible type.
            cn && limits.iter().any(|l| {
                let slot = sgp && l.trunking_compatible.unwrap_or(true);
                l.max_enis.unwrap().saturating_sub(1).saturating_sub(u32::from(slot)) == 0
            })
        };
        if refused {
            prop_assert_eq!(e.status, Status::Invalid);
            prop_assert!(e.message.as_deref().is_some_and(|m| m.contains("ipamd")), "{:?}", e.message);
            prop_assert_eq!(e.used_ips, None);
            return Ok(());
        }
        prop_assert_eq!(e.status, Status::Ok);
        let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
            return Err(TestCaseError::fail("not vpc-cni results"));
        };
        let total = |f: fn(&NodeGroupUse) -> i64| groups.iter().map(f).sum::<i64>();
        prop_assert_eq!(e.used_ips, Some(total(|g| g.node_subnet_ips_total)));
        prop_assert_eq!(e.pods, Some(total(|g| g.pods_total)));
        prop_assert_eq!(e.pods_without_ip, Some(total(|g| g.pods_without_ip_total)));
        let node_used: i64 = e.subnets.iter().filter(|s| s.role == SubnetRole::Node).map(|s| s.used_ips).sum();
        prop_assert_eq!(Some(node_used), e.used_ips);
        let instances: i64 = groups.iter().map(|g| i64::from(g.instances)).sum();
        let nodes: i64 = e.subnets.iter().filter(|s| s.role == SubnetRole::Node).map(|s| s.nodes).sum();
        prop_assert_eq!(nodes, instances);
        // The two figures (docs/models.md): the fullest single subnet is never less full than
        // the node subnets together, and is them when there is one; out of addresses exactly
        // when it is over 100 %. Where every subnet has usable addresses (and /28 blocks, when
        // counted in them).
        let usable = e.subnets.iter().all(|s| s.ips > 0 && s.prefix_blocks_available.is_none_or(|b| b > 0));
        let no_pod_no_pd = e.subnets.iter().all(|s| s.role == SubnetRole::Node && s.prefix_blocks_needed.is_none());
        if usable && no_pod_no_pd {
            let (util, fullest) = (e.utilization_pct.unwrap(), e.fullest_subnet_pct.unwrap());
            prop_assert!(fullest >= util - 1e-9, "fullest {} < utilization {}", fullest, util);
            if e.subnets.len() == 1 {
                prop_assert!((fullest - util).abs() < 1e-9, "{} != {}", fullest, util);
            }
        }
        if usable {
            prop_assert_eq!(e.out_of_addresses, e.fullest_subnet_pct.is_some_and(|p| p > 100.0));
        }
        for (g, l) in groups.iter().zip(&limits) {
            // Security groups for pods as the resource controller grants them: no trunk on an
            // incompatible type, never more branch ENIs than the type's limit, and every branch
            // pod either served or Pending.
            if l.trunking_compatible == Some(false) || !sgp {
                prop_assert_eq!(g.trunk_enis_per_node, 0);
                prop_assert_eq!(g.branch_eni_pods_per_node, 0);
            }
            if let Some(cap) = l.branch_interfaces {
                prop_assert!(g.branch_eni_pods_per_node <= cap);
            }
            prop_assert!(g.branch_eni_pods_pending_per_node <= g.pods_without_ip_per_node);
            prop_assert_eq!(g.ips_total, i64::from(g.ips_per_node) * i64::from(g.instances));
            prop_assert_eq!(g.ips_per_node, g.node_subnet_ips_per_node + g.pod_subnet_ips_per_node);
            if ipv6 {
                prop_assert_eq!(g.mode, Mode::Ipv6);
                prop_assert_eq!(g.pod_ips_per_node, 0);
            }
        }
        if cn && !ipv6 {
            prop_assert_eq!(e.pod_subnet_used_ips, Some(total(|g| g.pod_subnet_ips_total)));
            prop_assert_eq!(e.pod_subnet_ips.is_some(), !pod_subnets.is_empty());
        } else {
            prop_assert_eq!(e.pod_subnet_used_ips, None);
        }
    }
}
