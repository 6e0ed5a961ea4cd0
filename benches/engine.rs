//! Engine throughput without I/O: evaluates synthetic scenarios in memory under each model, on
//! one core, and prints scenarios and node-group evaluations per second. Run with `cargo bench --bench engine [-- N]`; figures are
//! recorded in docs/performance.md. (End-to-end timings with peak memory: scripts/bench.sh.)

// The binary's allocator settings, shared with it (they are not the library's).
#[path = "../src/allocator.rs"]
mod allocator;

use std::sync::Arc;
use std::time::Instant;

use subnet_calc::catalog::{Catalog, InstanceLimits};
use subnet_calc::engine::batch::{self, BOTH, Job, VPC_CNI, WORKBOOK};
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
    Scenario::builder(format!("s{i}"))
        .subnet(Subnet::of_size(18 + (pick(4) % 9) as u8))
        .cni(cni)
        .host_networking_ips(2)
        .daemonset_pods((pick(5) % 4) as u32)
        .node_groups((0..groups as u64).map(|g| {
            NodeGroup::new(
                TYPES[(pick(6 + g) % TYPES.len() as u64) as usize].0,
                1 + (pick(9 + g) % 50) as u32,
                (pick(12 + g) % 120) as u32,
            )
        }))
        .build()
}

fn main() {
    allocator::keep_freed_memory();
    let n: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let catalog = catalog();
    let scenarios: Vec<LocatedScenario> = (0..n)
        .map(|i| LocatedScenario {
            scenario: scenario(i),
            origin: Origin::line(&Arc::from("bench"), 1),
        })
        .collect();
    let node_groups: usize = scenarios.iter().map(|s| s.scenario.node_groups.len()).sum();
    println!("{n} scenarios, {node_groups} node groups");
    // Per core: one thread, so the figure does not depend on how busy the machine's others are.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    // A model named on the command line runs alone (for profiling).
    let only: Option<String> = std::env::args()
        .skip(1)
        .find(|a| a.parse::<u64>().is_err() && !a.starts_with('-'));
    for (label, models) in [("workbook", WORKBOOK), ("vpc-cni", VPC_CNI), ("both", BOTH)] {
        if only.as_deref().is_some_and(|o| o != label) {
            continue;
        }
        let jobs: Vec<Job> = scenarios
            .iter()
            .map(|s| Job::new(s.clone(), Arc::clone(&catalog), models).expect("known types"))
            .collect();
        // The fastest of three passes: the machine is shared, and a pass slowed by another
        // process says nothing about the engine.
        let mut secs = f64::INFINITY;
        let mut evaluations = 0;
        for _ in 0..3 {
            let start = Instant::now();
            // Each evaluation is made and dropped, as the streaming writers take them.
            evaluations = one.install(|| {
                jobs.chunks(batch::CHUNK)
                    .map(|chunk| {
                        batch::fold_evaluations(
                            chunk,
                            || 0,
                            |n, e| {
                                std::hint::black_box(e);
                                *n += 1;
                            },
                        )
                        .into_iter()
                        .sum::<usize>()
                    })
                    .sum::<usize>()
            });
            secs = secs.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{label:>9}: {evaluations} evaluations in {secs:.2} s on one core: {:.0} scenarios/s, {:.0} node-group evaluations/s",
            n as f64 / secs,
            (node_groups * models.len()) as f64 / secs
        );
    }
}

// The binary's allocator, set up as the binary sets it (freed memory kept, not purged:
// `src/allocator.rs`), so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
