//! Engine throughput without I/O: evaluates synthetic scenarios in memory under each model and
//! prints scenarios per second. Run with `cargo bench --bench engine [-- N]`; figures are
//! recorded in docs/performance.md. (End-to-end timings with peak memory: scripts/bench.sh.)

use std::sync::Arc;
use std::time::Instant;

use subnet_calc::catalog::{Catalog, InstanceLimits};
use subnet_calc::engine::Model;
use subnet_calc::engine::batch::{Job, evaluate_all};
use subnet_calc::scenario::{CniSettings, LocatedScenario, NodeGroup, Origin, Scenario, Subnet};

/// Instance types with their public limits: (type, ENIs, IPv4 per ENI, vCPUs, hypervisor).
const TYPES: &[(&str, u32, u32, u32, &str)] = &[
    ("t3.small", 3, 4, 2, "nitro"),
    ("m5.large", 3, 10, 2, "nitro"),
    ("m5.2xlarge", 4, 15, 8, "nitro"),
    ("m5.12xlarge", 8, 30, 48, "nitro"),
    ("m4.large", 2, 10, 2, "xen"),
];

fn catalog() -> Arc<Catalog> {
    let mut c = Catalog::new();
    for (t, enis, ips, vcpus, hypervisor) in TYPES {
        c.insert(InstanceLimits {
            max_enis: Some(*enis),
            ipv4_per_eni: Some(*ips),
            vcpus: Some(*vcpus),
            hypervisor: Some((*hypervisor).to_owned()),
            bare_metal: Some(false),
            ..InstanceLimits::named(*t)
        });
    }
    Arc::new(c)
}

fn scenario(i: u64) -> Scenario {
    let pick = |k: u64| (i.wrapping_mul(2_654_435_761).rotate_left(k as u32 * 7)) % 1_000;
    let cni = match i % 4 {
        0 => CniSettings {
            warm_eni_target: Some((pick(1) % 3) as u32),
            ..CniSettings::default()
        },
        1 => CniSettings {
            warm_ip_target: Some((pick(1) % 10) as u32),
            minimum_ip_target: Some((pick(2) % 20) as u32),
            ..CniSettings::default()
        },
        2 => CniSettings {
            prefix_delegation: true,
            warm_prefix_target: Some((pick(1) % 3) as u32),
            ..CniSettings::default()
        },
        _ => CniSettings {
            prefix_delegation: true,
            warm_ip_target: Some((pick(1) % 8) as u32),
            ..CniSettings::default()
        },
    };
    let groups = 1 + (pick(3) % 3) as usize;
    Scenario {
        id: format!("s{i}"),
        subnets: vec![Subnet::of_size(18 + (pick(4) % 9) as u8)],
        pod_subnets: vec![],
        cni,
        host_networking_ips: 2,
        daemonset_pods: (pick(5) % 4) as u32,
        max_pods_rule: None,
        node_groups: (0..groups)
            .map(|g| NodeGroup {
                instance_type: TYPES[(pick(6 + g as u64) % TYPES.len() as u64) as usize]
                    .0
                    .to_owned(),
                instances: 1 + (pick(9 + g as u64) % 50) as u32,
                pods_per_node: (pick(12 + g as u64) % 120) as u32,
                max_pods: None,
                branch_eni_pods: 0,
            })
            .collect(),
    }
}

fn main() {
    let n: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let catalog = catalog();
    let jobs: Vec<Job> = (0..n)
        .map(|i| {
            let s = scenario(i);
            let origin = Origin::line(&Arc::from("bench"), 1);
            Job::new(
                LocatedScenario {
                    scenario: s,
                    origin,
                },
                Arc::clone(&catalog),
            )
            .expect("known types")
        })
        .collect();
    println!("{n} scenarios, {} threads", rayon::current_num_threads());
    for (label, models) in [
        ("workbook", vec![Model::Workbook]),
        ("vpc-cni", vec![Model::VpcCni]),
        ("both", vec![Model::Workbook, Model::VpcCni]),
    ] {
        let start = Instant::now();
        let mut evaluations = 0;
        for chunk in jobs.chunks(16 * 1024) {
            evaluations += evaluate_all(chunk, &models).len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{label:>9}: {evaluations} evaluations in {secs:.2} s, {:.0} scenarios/s",
            n as f64 / secs
        );
    }
}
