//! The advisor over docs/models.md's worked examples.

use super::*;
use crate::catalog::InstanceLimits;
use crate::scenario::{CniSettings, NodeGroup, Subnet};

fn limits(name: &str, enis: u32, ips: u32, hypervisor: &str, vcpus: u32) -> InstanceLimits {
    InstanceLimits {
        max_enis: Some(enis),
        ipv4_per_eni: Some(ips),
        hypervisor: Some(hypervisor.into()),
        bare_metal: Some(false),
        vcpus: Some(vcpus),
        ..InstanceLimits::named(name)
    }
}

fn catalog() -> Catalog {
    let mut c = Catalog::new();
    c.insert(limits("m5.xlarge", 4, 15, "nitro", 4));
    c.insert(limits("m5.large", 3, 10, "nitro", 2));
    c.insert(limits("m4.large", 2, 10, "xen", 2));
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

fn scenario(subnet: &str, pod_subnet: Option<&str>, groups: Vec<NodeGroup>) -> Scenario {
    Scenario {
        id: "t".into(),
        subnets: vec![subnet.parse::<Subnet>().unwrap()],
        pod_subnets: pod_subnet.map(|p| p.parse().unwrap()).into_iter().collect(),
        cni: CniSettings::default(),
        host_networking_ips: 0,
        daemonset_pods: 2,
        max_pods_rule: None,
        node_groups: groups,
    }
}

fn advice(s: &Scenario, min_warm_ips: u32) -> Advice {
    let c = catalog();
    let given = vpc_cni::evaluation(s, &c);
    advise(s, &c, &given, AdviceRequest { min_warm_ips })
}

fn figures(a: &Advice, id: OptionId) -> &OptionFigures {
    let o = a.options.iter().find(|o| o.id == id).unwrap();
    o.figures.as_ref().unwrap()
}

#[test]
fn a_slash_24_that_warm_eni_target_exhausts_fits_with_warm_ip_target_2() {
    // docs/models.md, "The settings advisor", example 1: 7 × m5.xlarge, 22 pool pods a node.
    let s = scenario("10.4.0.0/24", None, vec![group("m5.xlarge", 7, 20)]);
    let a = advice(&s, 2);
    assert_eq!(a.options.len(), 10);
    let given = figures(&a, OptionId::Given);
    assert_eq!((given.used_ips, given.fits.at_desired), (315, false));
    assert_eq!(
        (
            given.warm_ips_per_node,
            given.ec2_calls_per_node,
            given.ec2_calls_total
        ),
        (20, 7, 49)
    );
    assert_eq!(
        a.options[1].reason,
        Reason::SameAsGiven,
        "blank settings are WARM_ENI_TARGET=1"
    );
    let ip1 = figures(&a, OptionId::WarmIp1);
    assert_eq!(
        (ip1.used_ips, ip1.headroom_nodes, ip1.warm_ips_per_node),
        (175, Some(3), 1)
    );
    let ip2 = figures(&a, OptionId::WarmIp2);
    assert_eq!(
        (ip2.used_ips, ip2.headroom_nodes, ip2.warm_ips_per_node),
        (182, Some(2), 2)
    );
    assert_eq!((ip2.ec2_calls_per_node, ip2.ec2_calls_total), (6, 42));
    assert_eq!(a.options[3].settings.minimum_ip_target, Some(22));
    assert_eq!(figures(&a, OptionId::WarmIp5).used_ips, 203);
    assert_eq!(figures(&a, OptionId::Prefix1).used_ips, 343);
    let pwip = figures(&a, OptionId::PrefixWarmIp2);
    assert_eq!(
        (pwip.used_ips, pwip.fits.at_desired),
        (231, false),
        "15 /28 blocks of 14"
    );
    assert!(pwip.risks.prefix_blocks_short);
    for o in &a.options[7..] {
        assert_eq!(o.status, OptionStatus::NotPossible);
        assert_eq!(
            o.reason.to_string(),
            "no pod subnet (pod_subnet_cidr) to move pods to"
        );
    }
    assert_eq!(a.recommended, Some(3));
    assert_eq!(
        a.options[3].reason.to_string(),
        "fits today, with 2 more nodes of headroom; keeps 2 addresses warm per node; 42 % fewer \
         addresses than today's setting (182 against 315)"
    );
    assert_eq!(
        a.options[2].reason.to_string(),
        "keeps 1 address warm per node, below --min-warm-ips 2"
    );
    assert_eq!(
        a.options[4].reason.to_string(),
        "less headroom: 1 node against 2"
    );
    assert!(
        a.options[0]
            .reason
            .to_string()
            .starts_with("does not fit (fullest subnet 125.5 %)")
    );
    // Asking for one warm address: the most headroom.
    let one = advice(&s, 1);
    assert_eq!(one.recommended, Some(2));
    assert!(
        one.options[2]
            .reason
            .to_string()
            .ends_with("44 % fewer addresses than today's setting (175 against 315)")
    );
}

#[test]
fn a_xen_type_rules_out_prefixes_and_today_is_kept_once_it_is_the_best() {
    // Example 2: 4 × m5.large and 2 × m4.large (Xen) with 10 workload pods.
    let s = scenario(
        "10.6.0.0/24",
        None,
        vec![group("m5.large", 4, 10), group("m4.large", 2, 10)],
    );
    let a = advice(&s, 2);
    for i in [5, 6] {
        assert_eq!(a.options[i].status, OptionStatus::NotPossible);
        assert!(
            a.options[i]
                .reason
                .to_string()
                .starts_with("m4.large (node group 2) cannot use /28 prefixes (Xen;")
        );
    }
    let given = figures(&a, OptionId::Given);
    assert_eq!(
        (
            given.used_ips,
            given.warm_ips_per_node,
            given.headroom_nodes
        ),
        (160, 6, Some(3))
    );
    assert_eq!(given.ec2_calls_total, 36);
    // MINIMUM_IP_TARGET 12 (10 pods and 2 daemonset pods): 14 addresses and 2 ENIs a node.
    let ip2 = figures(&a, OptionId::WarmIp2);
    assert_eq!(
        (ip2.used_ips, ip2.headroom_nodes, ip2.warm_ips_per_node),
        (96, Some(9), 2)
    );
    assert_eq!((ip2.ec2_calls_per_node, ip2.ec2_calls_total), (6, 36));
    let ip5 = figures(&a, OptionId::WarmIp5);
    assert_eq!(
        (ip5.used_ips, ip5.headroom_nodes, ip5.ec2_calls_total),
        (114, Some(7), 54)
    );
    assert_eq!(a.recommended, Some(3));
    assert_eq!(
        a.options[3].reason.to_string(),
        "fits today, with 9 more nodes of headroom; keeps 2 addresses warm per node; 40 % fewer \
         addresses than today's setting (96 against 160)"
    );
    // With those settings already: keep them.
    let mut today = s.clone();
    today.cni.warm_ip_target = Some(2);
    today.cni.minimum_ip_target = Some(12);
    let kept = advice(&today, 2);
    assert_eq!(kept.recommended, Some(0));
    assert_eq!(kept.options[3].reason, Reason::SameAsGiven);
    assert_eq!(
        kept.options[0].reason.to_string(),
        "keep today's settings: fits today, with 9 more nodes of headroom; keeps 2 addresses \
         warm per node"
    );
    assert_eq!(
        kept.options[1].reason.to_string(),
        "less headroom: 3 nodes against 9"
    );
}

#[test]
fn custom_networking_moves_pods_out_of_a_full_node_subnet() {
    // Example 3: 12 × m5.xlarge on a /24 with a /20 pod subnet.
    let s = scenario(
        "10.5.0.0/24",
        Some("100.64.0.0/20"),
        vec![group("m5.xlarge", 12, 20)],
    );
    let a = advice(&s, 2);
    assert!(
        a.options[..7]
            .iter()
            .all(|o| o.figures.as_ref().is_none_or(|f| !f.fits.at_desired))
    );
    let cn = figures(&a, OptionId::CustomWarmIp2);
    assert_eq!(
        (cn.used_ips, cn.pod_subnet_used_ips, cn.headroom_nodes),
        (12, Some(312), Some(145))
    );
    assert_eq!((cn.ec2_calls_per_node, cn.ec2_read_calls_per_node), (8, 4));
    assert_eq!(
        figures(&a, OptionId::CustomWarmEni1).pod_subnet_used_ips,
        Some(540)
    );
    assert_eq!(a.recommended, Some(8));
    let reason = a.options[8].reason.to_string();
    assert!(
        reason.contains(
            "moves pods to the pod subnet 100.64.0.0/20: 12 node-subnet addresses instead of 540"
        ),
        "{reason}"
    );
}

#[test]
fn ipv6_and_failed_scenarios_get_no_options() {
    let mut s = scenario("10.4.0.0/24", None, vec![group("m5.xlarge", 7, 20)]);
    s.cni.ip_family = IpFamily::Ipv6;
    s.cni.prefix_delegation = true;
    let a = advice(&s, 2);
    assert_eq!(
        (a.options.len(), a.not_applicable),
        (0, Some(NotApplicable::Ipv6))
    );
    let unknown = scenario("10.4.0.0/24", None, vec![group("zz.huge", 1, 1)]);
    assert_eq!(
        advice(&unknown, 2).not_applicable,
        Some(NotApplicable::GivenFailed)
    );
}

#[test]
fn minimum_ip_target_is_the_busiest_nodes_pool_pods() {
    let mut s = scenario(
        "10.4.0.0/24",
        None,
        vec![
            group("m5.large", 3, 10),
            group("m5.xlarge", 0, 40),
            group("m5.large", 1, 15),
        ],
    );
    s.node_groups[2].branch_eni_pods = 4;
    assert_eq!(
        minimum_ip_target(&s),
        Some(2 + 15 + 4),
        "empty groups ignored, branch pods counted"
    );
    s.cni.security_groups_for_pods = true;
    assert_eq!(
        minimum_ip_target(&s),
        Some(17),
        "branch pods have their own ENIs"
    );
    s.daemonset_pods = 0;
    s.node_groups.iter_mut().for_each(|g| g.pods_per_node = 0);
    s.cni.security_groups_for_pods = false;
    s.node_groups[2].branch_eni_pods = 0;
    assert_eq!(minimum_ip_target(&s), None);
}
