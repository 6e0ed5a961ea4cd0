//! The oracle of `tests/data/golden/legacy-workbook-oracle.jsonl`: 300 scenarios LibreOffice Calc
//! computed with the legacy workbook itself, as typed scenarios.

use serde_json::Value;
use subnet_calc::evaluation::Sheet;
use subnet_calc::scenario::{CniSettings, NodeGroup, Scenario, Subnet};

/// Equal, or within 1e-9 relative.
pub fn close(expected: f64, got: f64) -> bool {
    expected == got || (expected - got).abs() <= 1e-9 * expected.abs().max(got.abs())
}

/// The scenario of one oracle line, and the sheet it was computed on.
pub fn scenario_of(case: &Value) -> (Scenario, Sheet) {
    let sheet = match case["sheet"].as_str().unwrap() {
        "WarmENI" => Sheet::WarmEni,
        "WarmIP" => Sheet::WarmIp,
        other => panic!("unknown sheet {other}"),
    };
    let warm = Some(case["warm"].as_u64().unwrap() as u32);
    let cni = match sheet {
        Sheet::WarmEni => CniSettings {
            warm_eni_target: warm,
            ..CniSettings::default()
        },
        Sheet::WarmIp => CniSettings {
            warm_ip_target: warm,
            ..CniSettings::default()
        },
    };
    let node_groups = case["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| NodeGroup {
            instance_type: g[0].as_str().unwrap().into(),
            instances: g[1].as_u64().unwrap() as u32,
            pods_per_node: g[2].as_u64().unwrap() as u32,
            max_pods: None,
            branch_eni_pods: 0,
        })
        .collect();
    let scenario = Scenario {
        id: case["id"].as_str().unwrap().into(),
        subnets: vec![Subnet::of_size(case["cidr"].as_u64().unwrap() as u8)],
        pod_subnets: vec![],
        cni,
        host_networking_ips: case["host_ips"].as_u64().unwrap() as u32,
        daemonset_pods: case["daemonset"].as_u64().unwrap() as u32,
        max_pods_rule: None,
        node_groups,
    };
    (scenario, sheet)
}

/// Every oracle case, parsed.
pub fn cases() -> Vec<Value> {
    let path = super::data("golden/legacy-workbook-oracle.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
