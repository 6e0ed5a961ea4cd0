//! One rule for instance limits, whatever their source: a limits CSV, describe-instance-types
//! JSON, a legacy workbook's lookup sheets (given with --catalog, or a workbook input's own) and a
//! report's Catalog sheet refuse no ENIs or no IPv4 addresses per ENI with the same words, naming
//! the place and the column as the source calls it. Every file is built here, in code.

mod common;

use std::path::Path;

use common::WorkDir;
use common::variants::rewrite_part;
use common::workbook::{Cell, LegacyBook};

const SCENARIOS: &str = "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
                         a,22,m5.large,3,10\n";

/// The run's standard error and status code, which must fail with status 2.
fn refused(dir: &WorkDir, args: &[&str]) -> String {
    let out = dir.command().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing is written");
    stderr
}

/// The words every source's refusal has: the place, then the rule with the source's column.
fn words(place: &str, column: &str) -> String {
    format!("error: {place}: invalid number \"0\" (expected {column} ≥ 1)\n")
}

#[test]
fn a_limits_csv_and_describe_json_refuse_no_enis_and_no_addresses_alike() {
    let dir = WorkDir::new();
    dir.write("s.csv", SCENARIOS);
    for (file, text, place, column) in [
        (
            "enis.csv",
            "instance_type,eni_limit,ipv4_per_eni\nm5.large,0,10\n",
            "enis.csv:2:eni_limit",
            "eni_limit",
        ),
        (
            "ips.csv",
            "instance_type,max_enis,ipv4_per_eni\nm5.large,3,0\n",
            "ips.csv:2:ipv4_per_eni",
            "ipv4_per_eni",
        ),
        (
            "enis.json",
            r#"{"InstanceTypes":[{"InstanceType":"m5.large","NetworkInfo":
               {"MaximumNetworkInterfaces":0,"Ipv4AddressesPerInterface":10}}]}"#,
            "enis.json:InstanceTypes[0] (m5.large)",
            "NetworkInfo.MaximumNetworkInterfaces",
        ),
        (
            "ips.json",
            r#"{"InstanceTypes":[{"InstanceType":"m5.large","NetworkInfo":
               {"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":0}}]}"#,
            "ips.json:InstanceTypes[0] (m5.large)",
            "NetworkInfo.Ipv4AddressesPerInterface",
        ),
        (
            "cpus.json",
            r#"{"InstanceTypes":[{"InstanceType":"m5.large","VCpuInfo":{"DefaultVCpus":0},
               "NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10}}]}"#,
            "cpus.json:InstanceTypes[0] (m5.large)",
            "VCpuInfo.DefaultVCpus",
        ),
    ] {
        dir.write(file, text);
        let expected = words(place, column);
        assert_eq!(refused(&dir, &["catalog", "--catalog", file]), expected);
        assert_eq!(
            refused(&dir, &["eval", "s.csv", "--catalog", file]),
            expected
        );
    }
}

#[test]
fn a_legacy_workbooks_lookup_sheet_refuses_them_alike_as_a_catalogue_and_as_an_input() {
    let dir = WorkDir::new();
    dir.write("s.csv", SCENARIOS);
    // maxENI's row 4 is m5.large: IPv4addr in A, MaxENI in B.
    for (file, col, cell, column) in [
        ("enis.xlsx", 1, "B4", "MaxENI"),
        ("ips.xlsx", 0, "A4", "IPv4addr"),
    ] {
        LegacyBook {
            overrides: vec![("maxENI", 3, col, Cell::Number(0.0))],
            ..LegacyBook::default()
        }
        .save(&dir.join(file));
        let expected = words(&format!("{file}:maxENI!{cell}"), column);
        assert_eq!(refused(&dir, &["catalog", "--catalog", file]), expected);
        assert_eq!(
            refused(&dir, &["eval", "s.csv", "--catalog", file]),
            expected
        );
        // The workbook's own scenarios are refused for it too: the only workbook of the run.
        let stderr = refused(&dir, &["eval", file]);
        assert!(stderr.starts_with(&expected), "{stderr}");
    }
}

#[test]
fn a_reports_catalog_sheet_refuses_them_alike() {
    let dir = WorkDir::new();
    dir.write("s.csv", SCENARIOS);
    dir.write(
        "limits.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n",
    );
    // The Catalog sheet (sheet8, with both models) of a report of one scenario: m5.large on row 2, Max ENIs in C,
    // IPv4 per ENI in D.
    for (file, cell, value, column) in [
        ("enis.xlsx", "C2", 3, "Max ENIs"),
        ("ips.xlsx", "D2", 10, "IPv4 per ENI"),
    ] {
        let out = dir
            .command()
            .args([
                "eval",
                "s.csv",
                "--catalog",
                "limits.csv",
                "--model",
                "both",
                "-o",
                file,
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        zero_cell(&dir.join(file), cell, value);
        let expected = words(&format!("{file}:Catalog!{cell}"), column);
        let stderr = refused(&dir, &["eval", file]);
        assert!(stderr.starts_with(&expected), "{stderr}");
    }
}

/// Sets the number `value` in `cell` of the report's Catalog sheet to 0.
fn zero_cell(path: &Path, cell: &str, value: u32) {
    rewrite_part(path, "xl/worksheets/sheet8.xml", |xml| {
        let from = format!("<c r=\"{cell}\" s=\"2\"><v>{value}</v></c>");
        assert!(xml.contains(&from), "{xml}");
        xml.replace(&from, &format!("<c r=\"{cell}\" s=\"2\"><v>0</v></c>"))
    });
}
