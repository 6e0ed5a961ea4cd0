//! Both models on any values the readers accept (every count up to u32::MAX, every prefix length,
//! any limits): never a panic, and figures that are either sound or an `error` status.

use proptest::prelude::*;
use subnet_calc::catalog::{Catalog, InstanceLimits};
use subnet_calc::engine::evaluate;
use subnet_calc::evaluation::{Model, Status};
use subnet_calc::scenario::{CniSettings, IpFamily, NodeGroup, Scenario, Subnet};

fn any_count() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..200, Just(u32::MAX), Just(u32::MAX - 1), any::<u32>()]
}

fn opt_count() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![Just(None), any_count().prop_map(Some)]
}

prop_compose! {
    fn any_cni()(
        warm_eni_target in opt_count(),
        warm_ip_target in opt_count(),
        minimum_ip_target in opt_count(),
        warm_prefix_target in opt_count(),
        max_eni in opt_count(),
        flags in any::<[bool; 4]>(),
    ) -> CniSettings {
        CniSettings {
            warm_eni_target,
            warm_ip_target,
            minimum_ip_target,
            warm_prefix_target,
            prefix_delegation: flags[0],
            custom_networking: flags[1],
            security_groups_for_pods: flags[2],
            ip_family: if flags[3] { IpFamily::Ipv6 } else { IpFamily::Ipv4 },
            max_eni,
        }
    }
}

prop_compose! {
    fn any_group()(
        instances in any_count(),
        pods_per_node in any_count(),
        max_pods in opt_count(),
        branch_eni_pods in any_count(),
    ) -> NodeGroup {
        NodeGroup::new("x.test", instances, pods_per_node)
            .max_pods(max_pods)
            .branch_eni_pods(branch_eni_pods)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_value_panics(
        cni in any_cni(),
        groups in prop::collection::vec(any_group(), 1..4),
        prefix in 0u8..=32,
        subnets in 1usize..4,
        host in any_count(),
        daemonset in any_count(),
        enis in 1u32..=u32::MAX,
        ipv4 in 1u32..=u32::MAX,
        vcpus in opt_count(),
    ) {
        let mut catalog = Catalog::new();
        catalog.insert(InstanceLimits {
            max_enis: Some(enis),
            ipv4_per_eni: Some(ipv4),
            vcpus,
            ..InstanceLimits::named("x.test")
        });
        let scenario = Scenario::builder("extreme")
            .subnets(vec![Subnet::of_size(prefix); subnets])
            .pod_subnet(Subnet::of_size(prefix))
            .cni(cni)
            .host_networking_ips(host)
            .daemonset_pods(daemonset)
            .node_groups(groups)
            .build();
        for model in [Model::Workbook, Model::VpcCni] {
            let e = evaluate(&scenario, &catalog, model);
            if e.status == Status::Ok {
                prop_assert!(e.used_ips.unwrap() >= 0, "{model:?}: {e:?}");
                prop_assert!(e.pods.unwrap() >= 0);
            } else {
                prop_assert!(e.message.is_some() && e.used_ips.is_none());
            }
        }
    }
}

#[test]
fn the_workbook_model_reports_figures_too_large_to_compute() {
    let mut catalog = Catalog::new();
    catalog.insert(InstanceLimits {
        max_enis: Some(3),
        ipv4_per_eni: Some(10),
        ..InstanceLimits::named("m5.large")
    });
    let scenario = Scenario::builder("huge")
        .subnet(Subnet::of_size(23))
        .warm_eni_target(u32::MAX)
        .node_group(NodeGroup::new("m5.large", u32::MAX, u32::MAX))
        .build();
    let e = evaluate(&scenario, &catalog, Model::Workbook);
    assert_eq!(e.status, Status::Error);
    assert!(e.message.unwrap().contains("too large"));
    // The vpc-cni model caps addresses at the ENI limit and max pods, but 4.3 billion nodes each
    // leaving 4.3 billion pods without an address is past i64: an error, not a saturated figure.
    let e = evaluate(&scenario, &catalog, Model::VpcCni);
    assert_eq!(e.status, Status::Error);
    assert!(e.message.unwrap().contains("too large"));
    // With realistic pods the same 4.3 billion nodes give a sound figure.
    let mut sound = scenario.clone();
    sound.node_groups[0].pods_per_node = 25;
    let e = evaluate(&sound, &catalog, Model::VpcCni);
    assert_eq!(e.status, Status::Ok);
    assert_eq!(
        e.used_ips,
        Some(i64::from(u32::MAX) * 30),
        "3 ENIs × 10 addresses per node"
    );
}
