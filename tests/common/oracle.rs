//! The oracle of `tests/data/golden/legacy-workbook-oracle.jsonl`: 300 scenarios LibreOffice Calc
//! computed with the legacy workbook itself, as typed scenarios.

use serde_json::Value;
use subnet_calc::evaluation::Sheet;
use subnet_calc::scenario::{NodeGroup, Scenario, Subnet};

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
    let number = |v: &Value| v.as_u64().unwrap() as u32;
    let builder = Scenario::builder(case["id"].as_str().unwrap())
        .subnet(Subnet::of_size(number(&case["cidr"]) as u8))
        .host_networking_ips(number(&case["host_ips"]))
        .daemonset_pods(number(&case["daemonset"]))
        .node_groups(
            case["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| NodeGroup::new(g[0].as_str().unwrap(), number(&g[1]), number(&g[2]))),
        );
    let warm = number(&case["warm"]);
    let scenario = match sheet {
        Sheet::WarmEni => builder.warm_eni_target(warm),
        Sheet::WarmIp => builder.warm_ip_target(warm),
    };
    (scenario.build(), sheet)
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
