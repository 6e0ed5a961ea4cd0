//! The vpc-cni model against the 36 example rows of the Amazon VPC CNI documentation
//! (`tests/data/golden/vpc-cni-doc-examples.csv`), with the upstream instance limits
//! (`tests/data/upstream/instance-limits.csv`). Where the documentation disagrees with ipamd's code
//! (`model_differs=yes`), the expected values are the code's, given in the row's `note`.

mod common;

use std::collections::HashMap;

use subnet_calc::engine::vpc_cni::{self, EffectiveSettings, NodeLimits, PodLoad};
use subnet_calc::evaluation::Mode;
use subnet_calc::scenario::CniSettings;

fn opt(v: &str) -> Option<u32> {
    if v.trim().is_empty() {
        None
    } else {
        Some(v.trim().parse().expect("a whole number"))
    }
}

fn list(v: &str) -> Option<Vec<u32>> {
    if v.trim().is_empty() {
        None
    } else {
        Some(
            v.split(';')
                .map(|x| x.trim().parse().expect("a whole number"))
                .collect(),
        )
    }
}

/// `key=value` pairs of a note (`enis=1, pods_per_eni=3`); tokens whose key is not a plain
/// name (`ceil(max(7,20)/16)=2`) are skipped.
fn note_values(note: &str) -> HashMap<String, String> {
    note.split(|c: char| c == ',' || c == ':' || c.is_whitespace())
        .filter_map(|tok| tok.split_once('='))
        // A `;` ending a value ends the note's sentence.
        .map(|(k, v)| (k, v.trim_end_matches(';')))
        .filter(|(k, v)| {
            !k.is_empty()
                && !v.is_empty()
                && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && v.chars().all(|c| c.is_ascii_digit() || c == ';')
        })
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

#[test]
fn every_documentation_row_is_reproduced() {
    let path = common::data("golden/vpc-cni-doc-examples.csv");
    let catalog = common::upstream_catalog("instance-limits.csv");
    let mut reader = csv::Reader::from_path(&path).expect("open golden csv");
    let headers = reader.headers().expect("headers").clone();
    let mut rows = 0;
    let mut differs = 0;
    for record in reader.records() {
        let record = record.expect("a csv row");
        let mut row: HashMap<String, String> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_owned(), v.to_owned()))
            .collect();
        let id = format!("{} row {}", row["doc"], row["row"]);
        if row["model_differs"] == "yes" {
            differs += 1;
            let overrides = note_values(&row["note"]);
            assert!(!overrides.is_empty(), "{id}: the note gives no values");
            row.extend(overrides);
        }
        let pd = row["mode"] == "prefix_delegation";
        let cni = CniSettings {
            warm_eni_target: opt(&row["warm_eni_target"]),
            warm_ip_target: opt(&row["warm_ip_target"]),
            minimum_ip_target: opt(&row["minimum_ip_target"]),
            warm_prefix_target: opt(&row["warm_prefix_target"]),
            prefix_delegation: pd,
            ..CniSettings::default()
        };
        let settings = EffectiveSettings::from_cni(&cni);
        let l = catalog
            .get(&row["instance_type"])
            .expect("type in the catalogue");
        let limits = NodeLimits {
            max_enis: l.max_enis.unwrap(),
            ipv4_per_eni: l.ipv4_per_eni.unwrap(),
            max_pods: opt(&row["max_pods"]).unwrap(),
            prefix_delegation_supported: l.supports_prefix_delegation(),
            trunking: Default::default(),
        };
        let pods = opt(&row["pods"]).unwrap();
        let n = vpc_cni::node(limits, &settings, PodLoad::pool(pods));

        assert_eq!(
            n.mode,
            if pd {
                Mode::PrefixDelegation
            } else {
                Mode::SecondaryIp
            },
            "{id}"
        );
        assert_eq!(n.pods_served, pods, "{id}: every pod served");
        assert_eq!(Some(n.attached_enis), opt(&row["enis"]), "{id}: enis");
        assert_eq!(
            Some(n.unused_ips),
            opt(&row["unused_ips"]),
            "{id}: unused_ips"
        );
        if let Some(ips) = opt(&row["attached_secondary_ips"]) {
            assert_eq!(n.pool_ips, ips, "{id}: attached_secondary_ips");
        }
        if let Some(per_eni) = list(&row["ips_per_eni"]) {
            assert_eq!(
                sorted(n.ips_per_eni()),
                sorted(per_eni),
                "{id}: ips_per_eni"
            );
        }
        if let Some(per_eni) = list(&row["pods_per_eni"]) {
            assert_eq!(
                sorted(n.pods_per_eni()),
                sorted(per_eni),
                "{id}: pods_per_eni"
            );
        }
        if let Some(prefixes) = opt(&row["attached_prefixes"]) {
            assert_eq!(n.cidrs, prefixes, "{id}: attached_prefixes");
            assert_eq!(n.pool_ips, 16 * prefixes, "{id}: 16 addresses per prefix");
        }
        if let Some(per_prefix) = list(&row["pods_per_prefix"]) {
            assert_eq!(n.pods_per_prefix(), per_prefix, "{id}: pods_per_prefix");
        }
        if let Some(free) = opt(&row["unused_prefixes"]) {
            assert_eq!(n.free_prefixes, free, "{id}: unused_prefixes");
        }
        if let Some(per_eni) = list(&row["prefixes_per_eni"]) {
            assert_eq!(
                sorted(n.cidrs_per_eni()),
                sorted(per_eni),
                "{id}: prefixes_per_eni"
            );
        }
        // Subnet addresses: one primary per ENI plus the pool.
        assert_eq!(
            n.node_subnet_ips,
            n.attached_enis + n.pool_ips,
            "{id}: subnet addresses"
        );
        rows += 1;
    }
    assert_eq!(rows, 36);
    assert_eq!(differs, 4);
}

#[test]
fn max_pods_of_the_golden_rows_follow_the_calculator() {
    let catalog = common::upstream_catalog("instance-limits.csv");
    let mp = |name: &str, pd: bool| {
        let l = catalog.get(name).unwrap();
        vpc_cni::calculator_max_pods(
            name,
            l.max_enis.unwrap(),
            l.ipv4_per_eni.unwrap(),
            pd,
            false,
            l.vcpus,
        )
        .value
    };
    assert_eq!(mp("t3.small", false), 11);
    assert_eq!(mp("t3.small", true), 110);
    assert_eq!(mp("p3dn.24xlarge", false), 250);
    assert_eq!(mp("p3dn.24xlarge", true), 250);
    assert_eq!(mp("m5.large", false), 29);
    assert_eq!(mp("m5.large", true), 110);
}

#[test]
fn notes_parse_into_values() {
    let v = note_values(
        "code holds ceil(max(7,20)/16)=2 prefixes: attached_prefixes=2, unused_ips=32, enis=1",
    );
    assert_eq!(v.len(), 3);
    let w = note_values("holds S=49 prefixes): enis=1, prefixes_per_eni=2; prefix and IP counts");
    assert_eq!(w.len(), 2);
    assert_eq!(w["prefixes_per_eni"], "2");
    assert_eq!(v["attached_prefixes"], "2");
    assert_eq!(v["unused_ips"], "32");
    assert_eq!(v["enis"], "1");
}
