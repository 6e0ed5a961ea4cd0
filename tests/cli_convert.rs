//! `subnet-calc convert` and `subnet-calc catalog`, run as a user runs them, with the round trip
//! workbook → scenario CSV → the same scenarios and the same numbers.

mod common;

use common::workbook::LegacyBook;
use common::{WorkDir, fixture};
use subnet_calc::read::{legacy_xlsx, scenario_csv};
use subnet_calc::scenario::Scenario;

fn scenarios_of_csv(path: &std::path::Path) -> Vec<Scenario> {
    scenario_csv::read_bytes("converted.csv", &std::fs::read(path).unwrap())
        .unwrap()
        .into_iter()
        .map(|l| l.scenario)
        .collect()
}

fn scenarios_of_workbook(path: &std::path::Path) -> Vec<Scenario> {
    let name = path.file_name().unwrap().to_str().unwrap();
    legacy_xlsx::read_bytes(name, std::fs::read(path).unwrap())
        .unwrap()
        .scenarios
        .into_iter()
        .map(|l| l.scenario)
        .collect()
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_legacy_workbook_converts_losslessly() {
    let book = common::legacy_workbook();
    let dir = WorkDir::new();
    let input = dir.copy(&book, "subnet-calc.xlsx");
    let out = dir
        .command()
        .args(["convert", "subnet-calc.xlsx", "-o", "converted.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let converted = scenarios_of_csv(&dir.join("converted.csv"));
    assert_eq!(converted, scenarios_of_workbook(&input));
    assert_eq!(converted.len(), 2);

    // The same numbers from the CSV, with the workbook as its catalogue.
    let out = dir
        .command()
        .args([
            "eval",
            "converted.csv",
            "--catalog",
            "subnet-calc.xlsx",
            "--model",
            "workbook",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let got: Vec<(String, String)> = r
        .records()
        .map(|row| {
            let row = row.unwrap();
            (row[0].to_owned(), row[4].to_owned())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("subnet-calc#WarmENI".to_owned(), "351".to_owned()),
            ("subnet-calc#WarmIP".to_owned(), "276".to_owned())
        ]
    );
}

#[test]
fn built_workbooks_convert_losslessly_with_warm_ip_zero_and_many_rows() {
    let dir = WorkDir::new();
    let book = LegacyBook {
        rows: vec![
            ("m5.large", 3.0, 0.0),
            ("c5.2xlarge", 10.0, 58.0),
            ("m5.12xlarge", 1.0, 234.0),
        ],
        inputs: (20.0, 0.0, 0.0, 7.0),
        ..LegacyBook::default()
    };
    book.save(&dir.join("team-a.xlsx"));
    LegacyBook::default().save(&dir.join("team-b.xlsx"));
    let out = dir
        .command()
        .args(["convert", "team-a.xlsx", "team-b.xlsx", "-o", "all.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let converted = scenarios_of_csv(&dir.join("all.csv"));
    let mut expected = scenarios_of_workbook(&dir.join("team-a.xlsx"));
    expected.extend(scenarios_of_workbook(&dir.join("team-b.xlsx")));
    assert_eq!(converted, expected);
    assert_eq!(&*converted[1].id, "team-a#WarmIP");
    assert_eq!(converted[1].cni.warm_ip_target, Some(0));
    assert_eq!(converted[0].daemonset_pods, 7);
}

#[test]
fn convert_refuses_to_overwrite_its_input() {
    let dir = WorkDir::new();
    LegacyBook::default().save(&dir.join("a.xlsx"));
    let out = dir
        .command()
        .args(["convert", "a.xlsx", "-o", "a.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        scenarios_of_workbook(&dir.join("a.xlsx")).len() == 2,
        "the input is intact"
    );
}

#[test]
fn catalog_shows_the_limits_in_use() {
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args(["catalog", "M5.LARGE", "m4.large"])
        .args(common::fixture_catalog_args())
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(
        r.headers().unwrap().iter().take(8).collect::<Vec<_>>(),
        [
            "instance_type",
            "max_enis",
            "ipv4_per_eni",
            "max_pods",
            "hypervisor",
            "bare_metal",
            "vcpus",
            "prefix_delegation"
        ]
    );
    assert_eq!(
        rows[0].iter().take(8).collect::<Vec<_>>(),
        ["m5.large", "3", "10", "29", "nitro", "false", "2", "true"]
    );
    assert_eq!(
        rows[1].iter().take(8).collect::<Vec<_>>(),
        ["m4.large", "2", "10", "20", "xen", "false", "2", "false"]
    );
    // Both max-pods rules side by side: the table's (eni-max-pods) and the calculator's, without
    // and with prefix delegation (a Xen type keeps the secondary-IP formula, as eval uses it).
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let calc = col("calculator_max_pods");
    let pd = col("calculator_max_pods_prefix_delegation");
    assert_eq!((&rows[0][calc], &rows[0][pd]), ("29", "110"));
    assert_eq!((&rows[1][calc], &rows[1][pd]), ("20", "20"));
}

#[test]
fn catalog_names_an_unknown_type() {
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args(["catalog", "m5.lrage", "--catalog"])
        .arg(fixture("instance-types.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("unknown instance type \"m5.lrage\"") && e.contains("did you mean m5.large"),
        "{e}"
    );
}

#[test]
fn the_upstream_limits_csv_loads_as_it_is() {
    let limits = common::data("upstream/instance-limits.csv");
    let pods = common::data("upstream/eni-max-pods.csv");
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args([
            "catalog",
            "--no-builtin-catalog",
            "--format",
            "json",
            "--catalog",
        ])
        .arg(&limits)
        .arg("--catalog")
        .arg(&pods)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let types = doc["instance_types"].as_array().unwrap();
    assert_eq!(types.len(), 1391);
    let p4d = types
        .iter()
        .find(|t| t["instance_type"] == "p4d.24xlarge")
        .unwrap();
    assert_eq!(
        (
            p4d["max_enis"].as_u64(),
            p4d["ipv4_per_eni"].as_u64(),
            p4d["max_pods"].as_u64()
        ),
        (Some(15), Some(50), Some(737))
    );
    let metal = types
        .iter()
        .find(|t| t["instance_type"] == "m5.metal")
        .unwrap();
    assert_eq!(metal["bare_metal"], true);
    assert_eq!(metal["prefix_delegation"], true);
}
