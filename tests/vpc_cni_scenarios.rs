//! The vpc-cni model on the project's example scenarios (`fixtures/scenarios.csv`) with the
//! upstream instance limits (`tests/data/upstream/`): summary figures, per-subnet use and warnings.

mod common;

use subnet_calc::engine::evaluate;
use subnet_calc::evaluation::{Evaluation, Mode, Model, NodeGroupResults, Status};
use subnet_calc::warning::WarningKind;

fn evaluations() -> Vec<Evaluation> {
    // The limits, with eni-max-pods layered on top for the scenarios that read max pods from it.
    let mut catalog = common::upstream_catalog("instance-limits.csv");
    catalog.layer(&common::upstream_catalog("eni-max-pods.csv"));
    let bytes = std::fs::read(common::fixture("scenarios.csv")).expect("read scenarios");
    let scenarios = subnet_calc::read::scenario_csv::read_bytes("scenarios.csv", &bytes)
        .expect("parse scenarios");
    scenarios
        .iter()
        .map(|s| evaluate(&s.scenario, &catalog, Model::VpcCni))
        .collect()
}

fn find<'a>(all: &'a [Evaluation], id: &str) -> &'a Evaluation {
    all.iter()
        .find(|e| &*e.scenario == id)
        .expect("scenario present")
}

#[test]
fn summaries_of_the_example_scenarios() {
    let all = evaluations();
    assert!(all.iter().all(|e| e.status == Status::Ok));
    // (scenario, subnet IPs, used, remaining, pods with an address, pods without)
    let expected = [
        ("legacy-defaults", 507, 360, 147, 236, 0),
        ("web-warm-eni", 1019, 720, 299, 534, 0),
        ("api-warm-ip", 251, 328, -77, 264, 0),
        ("batch-min-ip", 251, 132, 119, 112, 0),
        ("dense-prefix", 4091, 2750, 1341, 2120, 0),
        ("xen-fallback", 251, 80, 171, 68, 0),
        ("custom-net", 251, 6, 245, 918, 0),
        ("multi-az", 753, 210, 543, 189, 7),
        ("too-small", 59, 180, -121, 126, 0),
        // m5.metal with eni-max-pods.txt's 737: 10 ENIs of 49 IPs, 500 addresses a node.
        ("al2-metal", 2043, 1500, 543, 1206, 0),
    ];
    assert_eq!(all.len(), expected.len());
    for (id, subnet, used, remaining, pods, without) in expected {
        let e = find(&all, id);
        let got = (
            e.subnet_ips,
            e.used_ips,
            e.remaining_ips,
            e.pods,
            e.pods_without_ip,
        );
        let want = (
            Some(subnet),
            Some(used),
            Some(remaining),
            Some(pods),
            Some(without),
        );
        assert_eq!(got, want, "{id}");
    }
}

#[test]
fn per_group_and_per_subnet_details() {
    let all = evaluations();
    // 7 m5.large over three subnets: 3, 2, 2 nodes of 30 addresses; 28 pods per node, room for
    // 29 − 2 host-network pods, 27 addresses.
    let e = find(&all, "multi-az");
    let per: Vec<_> = e.subnets.iter().map(|s| (s.nodes, s.used_ips)).collect();
    assert_eq!(per, vec![(3, 90), (2, 60), (2, 60)]);
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(w.kind, WarningKind::PodsWithoutIp { pods: 1, .. }))
    );

    // Custom networking: m5.12xlarge (E=8, L=30), K = 7, max pods 7·29+2 = 205.
    let e = find(&all, "custom-net");
    assert_eq!(
        (
            e.pod_subnet_ips,
            e.pod_subnet_used_ips,
            e.pod_subnet_remaining_ips
        ),
        (Some(8187), Some(1260), Some(6927))
    );
    let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
        panic!("vpc-cni results")
    };
    let g = &groups[0];
    assert_eq!(
        (g.max_pods, g.enis_per_node, g.pod_ips_per_node),
        (205, 8, 203)
    );
    assert_eq!(
        (g.node_subnet_ips_per_node, g.pod_subnet_ips_per_node),
        (1, 210)
    );

    // Prefix delegation: 7 and 3 prefixes per node; 170 of 254 /28 blocks of the /20.
    let e = find(&all, "dense-prefix");
    let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
        panic!("vpc-cni results")
    };
    assert!(groups.iter().all(|g| g.mode == Mode::PrefixDelegation));
    let prefixes: Vec<_> = groups
        .iter()
        .map(|g| (g.prefixes_per_node, g.ips_per_node))
        .collect();
    assert_eq!(prefixes, vec![(7, 113), (3, 49)]);
    let s = &e.subnets[0];
    assert_eq!(
        (s.prefix_blocks_available, s.prefix_blocks_needed),
        (Some(254), Some(170))
    );

    // m4.large is Xen: secondary IPs instead, with a warning.
    let e = find(&all, "xen-fallback");
    let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
        panic!("vpc-cni results")
    };
    assert_eq!(
        (groups[0].mode, groups[0].ips_per_node),
        (Mode::SecondaryIp, 20)
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| matches!(&w.kind, WarningKind::NoPrefixDelegation { instance_type } if &**instance_type == "m4.large"))
    );
}

#[test]
fn the_subnet_size_each_scenario_needs_and_its_headroom() {
    let all = evaluations();
    // (scenario, min node prefix, min pod prefix, headroom nodes)
    for (id, node, pod, headroom) in [
        // 8 m5.xlarge × 41 addresses = 328 > 251 (/24): a /23; out of addresses.
        ("api-warm-ip", Some(23), None, Some(0)),
        ("legacy-defaults", Some(23), None, Some(0)),
        ("dense-prefix", Some(20), None, Some(11)),
        // 1 node address each in the node subnet; 1,260 in the pod subnet: a /21 (/22: 1,019).
        // 6,927 left there / 210 per m5.12xlarge node = 32.
        ("custom-net", Some(28), Some(21), Some(32)),
        ("multi-az", Some(25), None, Some(17)),
    ] {
        let e = find(&all, id);
        assert_eq!(
            (
                e.min_subnet_prefix,
                e.pod_subnet_min_prefix,
                e.headroom_nodes
            ),
            (node, pod, headroom),
            "{id}"
        );
    }
    // With a /22, api-warm-ip has 1,019 − 328 = 691 left: 16 more nodes of 41 addresses.
    let catalog = common::upstream_catalog("instance-limits.csv");
    let csv = "scenario,subnet_cidr,warm_ip_target,host_networking_ips,daemonset_pods,instance_type,instances,pods_per_node\n\
               wide,10.0.4.0/22,5,2,3,m5.xlarge,8,30\n";
    let s = subnet_calc::read::scenario_csv::read_bytes("s.csv", csv.as_bytes()).unwrap();
    let e = evaluate(&s[0].scenario, &catalog, Model::VpcCni);
    assert_eq!(
        (e.used_ips, e.headroom_nodes, e.min_subnet_prefix),
        (Some(328), Some(16), Some(23))
    );
}
