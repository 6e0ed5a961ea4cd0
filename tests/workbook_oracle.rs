//! The workbook model against the 300 scenarios LibreOffice Calc computed with the legacy
//! workbook itself (`tests/data/golden/legacy-workbook-oracle.jsonl`): every summary figure and
//! every computed cell of every node-group row, to 1e-9 relative, with the workbook's lookup
//! tables as the tests carry them (`tests/data/legacy-workbook/`). Where the workbook file is
//! present, the carried tables are checked against it, and the file is read as it is.

mod common;

use common::oracle::{cases, close, scenario_of};
use serde_json::Value;
use subnet_calc::catalog::Catalog;
use subnet_calc::engine::workbook;
use subnet_calc::legacy_layout::computed_headers;
use subnet_calc::read::legacy_xlsx;
use subnet_calc::scenario::Subnet;

#[test]
fn every_oracle_scenario_reproduces_every_number() {
    let own = common::legacy_lookups::catalog();
    // The workbook's own lookup sheets, and the same with the built-in catalogue beneath them as
    // the binary layers it for a workbook's scenarios: the same figures, the same #N/A.
    let mut beneath = own.clone();
    beneath.fill_from_builtin();
    // What the workbook has no sheet for comes from the built-in data; its #N/A stays.
    assert_eq!(beneath.get("x2idn.16xlarge").unwrap().max_pods, None);
    let m4 = beneath.get("m4.large").unwrap();
    assert_eq!((m4.hypervisor.as_deref(), m4.vcpus), (Some("xen"), Some(2)));
    assert_eq!(beneath.len(), own.len());
    for catalog in [own, &beneath] {
        reproduces_every_number(catalog);
    }
}

fn reproduces_every_number(catalog: &Catalog) {
    let mut scenarios = 0;
    let mut cells = 0;
    let mut missing_max_pods = 0;
    for case in cases() {
        let (scenario, sheet) = scenario_of(&case);
        let id = &scenario.id;
        let got = workbook::evaluate(&scenario, catalog).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(got.sheet, sheet, "{id}");
        let summary = &case["summary"];
        for (field, value) in [
            ("available", got.subnet_ips),
            ("used", got.used_ips),
            ("pods", got.pods),
            ("remaining", got.remaining_ips),
        ] {
            let expected = summary[field].as_f64().unwrap();
            assert!(
                close(expected, value as f64),
                "{id}: {field} expected {expected}, got {value}"
            );
        }
        let rows = case["rows"].as_array().unwrap();
        assert_eq!(rows.len(), got.rows.len(), "{id}: row count");
        for (r, (expected_row, got_row)) in rows.iter().zip(&got.rows).enumerate() {
            let values = got_row.sheet_values(sheet);
            let expected_row = expected_row.as_array().unwrap();
            assert_eq!(
                expected_row.len(),
                values.len(),
                "{id} row {r}: column count"
            );
            assert_eq!(values.len(), computed_headers(sheet).len());
            for (c, (expected, got)) in expected_row.iter().zip(&values).enumerate() {
                let header = computed_headers(sheet)[c];
                match (expected, got) {
                    (Value::String(s), None) if s.starts_with("#ERR") => missing_max_pods += 1,
                    (Value::Number(n), Some(v)) => {
                        let n = n.as_f64().unwrap();
                        assert!(close(n, *v), "{id} row {r} {header}: expected {n}, got {v}");
                    }
                    _ => panic!("{id} row {r} {header}: expected {expected}, got {got:?}"),
                }
                cells += 1;
            }
        }
        scenarios += 1;
    }
    assert_eq!(scenarios, 300);
    assert_eq!(
        missing_max_pods, 33,
        "the oracle holds 33 #ERR32767 max-pods cells"
    );
    assert!(cells > 10_000, "checked {cells} cells");
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_carried_lookup_figures_are_the_workbooks() {
    let real = legacy_xlsx::read_catalog(
        "subnet-calc.xlsx",
        std::fs::read(common::legacy_workbook()).unwrap(),
    )
    .unwrap();
    let carried = common::legacy_lookups::catalog();
    // Every type with every field and the cells it came from, the sources, and CidrData.
    assert_eq!(carried, &real);
    assert_eq!(real.len(), 507);
    for n in 0..=32 {
        assert_eq!(
            carried.legacy_subnet_ips(n),
            real.legacy_subnet_ips(n),
            "/{n}"
        );
    }
}

#[test]
fn the_carried_lookup_tables_hold_the_workbooks_figures() {
    let catalog = common::legacy_lookups::catalog();
    let entries = catalog.entries();
    // 497 maxENI rows and 495 maxPods rows, naming 507 types between them.
    assert_eq!(entries.len(), 507);
    let with_enis = entries.iter().filter(|l| l.max_enis.is_some()).count();
    let with_max_pods = entries.iter().filter(|l| l.max_pods.is_some()).count();
    assert_eq!((with_enis, with_max_pods), (497, 495));
    let m5 = catalog.get("m5.12xlarge").unwrap();
    assert_eq!(
        (m5.max_enis, m5.ipv4_per_eni, m5.max_pods),
        (Some(8), Some(30), Some(234))
    );
    assert_eq!(
        m5.sources,
        [
            "subnet-calc.xlsx:maxENI!C17",
            "subnet-calc.xlsx:maxPods!A219"
        ]
    );
    // In maxENI only (the oracle's #ERR32767), and in maxPods only.
    assert_eq!(catalog.get("x2idn.16xlarge").unwrap().max_pods, None);
    assert_eq!(catalog.get("c5a.metal").unwrap().max_enis, None);
    // CidrData: /1 to /30.
    assert_eq!(catalog.legacy_subnet_ips(1), Some(2_147_483_646));
    assert_eq!(catalog.legacy_subnet_ips(23), Some(510));
    assert_eq!(catalog.legacy_subnet_ips(30), Some(2));
    assert_eq!(catalog.legacy_subnet_ips(31), None);
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_fixture_workbook_reads_as_two_scenarios_with_its_own_numbers() {
    let path = common::legacy_workbook();
    let wb = legacy_xlsx::read_bytes("subnet-calc.xlsx", std::fs::read(path).unwrap()).unwrap();
    assert_eq!(wb.scenarios.len(), 2);
    let eni = &wb.scenarios[0].scenario;
    assert_eq!(&*eni.id, "subnet-calc#WarmENI");
    assert_eq!(eni.subnets, vec![Subnet::of_size(23)]);
    assert_eq!(eni.cni.warm_eni_target, Some(1));
    assert_eq!((eni.host_networking_ips, eni.daemonset_pods), (2, 2));
    let groups: Vec<_> = eni
        .node_groups
        .iter()
        .map(|g| (&*g.instance_type, g.instances, g.pods_per_node))
        .collect();
    assert_eq!(groups, [("m5.12xlarge", 2, 100), ("c5.2xlarge", 1, 30)]);
    assert_eq!(
        wb.scenarios[0].origin.node_group_location(1).to_string(),
        "subnet-calc.xlsx:WarmENI!A24"
    );
    let ip = &wb.scenarios[1].scenario;
    assert_eq!(&*ip.id, "subnet-calc#WarmIP");
    assert_eq!(ip.cni.warm_ip_target, Some(1));
    assert_eq!(ip.cni.warm_eni_target, None);

    let r = workbook::evaluate(eni, &wb.catalog).unwrap();
    assert_eq!(
        (r.subnet_ips, r.used_ips, r.pods, r.remaining_ips),
        (510, 351, 230, 159)
    );
    let r = workbook::evaluate(ip, &wb.catalog).unwrap();
    assert_eq!(
        (r.subnet_ips, r.used_ips, r.pods, r.remaining_ips),
        (510, 276, 230, 234)
    );
    // The lookup sheets: 497 maxENI rows, 495 maxPods rows, CidrData /1 to /30.
    assert_eq!(wb.catalog.get("m5.12xlarge").unwrap().max_pods, Some(234));
    assert_eq!(wb.catalog.get("x2idn.16xlarge").unwrap().max_pods, None);
    assert_eq!(wb.catalog.get("c5a.metal").unwrap().max_enis, None);
    assert_eq!(wb.catalog.legacy_subnet_ips(23), Some(510));
    assert_eq!(wb.catalog.legacy_subnet_ips(31), None);
}
