//! Writes a scenario CSV of N synthetic scenarios to standard output, for benchmarks
//! (`scripts/bench.sh`): every mode and setting of the vpc-cni model, one to five node groups
//! (three on average) each, over the instance types of `fixtures/`. Deterministic for a given N.
//! With `--legacy`, only scenarios the legacy workbook layout can hold (one subnet size, one warm
//! target, no prefix delegation), for `convert --to legacy`.
//!
//! ```sh
//! cargo run --release --example generate_scenarios -- 1000000 > big.csv
//! cargo run --release --example generate_scenarios -- 500 --legacy > legacy.csv
//! ```

use std::io::{BufWriter, Write};

const TYPES: &[&str] = &[
    "t3.small",
    "t3.medium",
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "c5.2xlarge",
    "m5.12xlarge",
    "m4.large",
    "m5.metal",
];

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

fn main() -> std::io::Result<()> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let legacy = std::env::args().any(|a| a == "--legacy");
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "scenario,subnet_cidr,warm_eni_target,warm_ip_target,minimum_ip_target,warm_prefix_target,prefix_delegation,host_networking_ips,daemonset_pods,instance_type,instances,pods_per_node"
    )?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let cidr = 18 + rng.next(9);
        let (eni, ip, min, pfx, pd) = match rng.next(if legacy { 2 } else { 4 }) {
            0 => (
                format!("{}", rng.next(3)),
                String::new(),
                String::new(),
                String::new(),
                false,
            ),
            1 => (
                String::new(),
                format!("{}", 1 + rng.next(10)),
                if legacy {
                    String::new()
                } else {
                    format!("{}", rng.next(20))
                },
                String::new(),
                false,
            ),
            2 => (
                String::new(),
                String::new(),
                String::new(),
                format!("{}", rng.next(3)),
                true,
            ),
            _ => (
                String::new(),
                format!("{}", rng.next(8)),
                String::new(),
                String::new(),
                true,
            ),
        };
        let groups = 1 + rng.next(5);
        for g in 0..groups {
            let t = TYPES[rng.next(TYPES.len() as u64) as usize];
            let scenario_cols = if g == 0 {
                format!("{cidr},{eni},{ip},{min},{pfx},{pd},2,{}", rng.next(4))
            } else {
                ",,,,,,,".to_owned()
            };
            writeln!(
                out,
                "s{i},{scenario_cols},{t},{},{}",
                1 + rng.next(50),
                rng.next(120)
            )?;
        }
    }
    out.flush()
}
