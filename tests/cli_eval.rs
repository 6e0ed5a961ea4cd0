//! `subnet-calc eval` run as a user runs it: the built binary on the project's fixtures and on the
//! legacy workbook of the shared material.

mod common;

use common::{WorkDir, fixture};
use serde_json::{Value, json};

/// `eval` of the fixtures with the fixture catalogues (which give their types the figures the
/// built-in catalogue gives them), minus the output.
fn fixture_args() -> Vec<String> {
    let mut args = vec![
        "eval".to_owned(),
        fixture("scenarios.csv").display().to_string(),
    ];
    args.extend(common::fixture_catalog_args());
    args
}

fn summary_rows(csv_text: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().clone();
    for column in [
        "scenario",
        "model",
        "subnet_ips",
        "used_ips",
        "remaining_ips",
        "pods",
        "status",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "summary CSV lacks {column}: {header:?}"
        );
    }
    r.records().map(Result::unwrap).collect()
}

fn field<'a>(header: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header.iter().position(|h| h == name).unwrap();
    &row[i]
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_legacy_workbook_gives_its_own_totals() {
    let book = common::legacy_workbook();
    let dir = WorkDir::new();
    let input = dir.copy(&book, "subnet-calc.xlsx");
    let out = dir
        .command()
        .args(["eval", input.to_str().unwrap(), "-o", "summary.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = dir.read("summary.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let rows: Vec<_> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let got: Vec<Vec<&str>> = rows
        .iter()
        .map(|row| {
            [
                "scenario",
                "model",
                "subnet_ips",
                "used_ips",
                "pods",
                "remaining_ips",
            ]
            .iter()
            .map(|c| field(&header, row, c))
            .collect()
        })
        .collect();
    assert_eq!(
        got[0],
        [
            "subnet-calc#WarmENI",
            "workbook",
            "510",
            "351",
            "230",
            "159"
        ]
    );
    assert_eq!(
        got[1],
        ["subnet-calc#WarmIP", "workbook", "510", "276", "230", "234"]
    );
    // The subnet size each needs by the sheet's CidrData (/24: 254 < 351, /23: 510), and the
    // nodes of the largest group (2 m5.12xlarge: "Used IPs PI" 5 ENIs × 30 + 2 = 152 on WarmENI,
    // 4 × 30 + 2 = 122 on WarmIP) that fit in what is left: 159 / 152 and 234 / 122.
    let sizing: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| {
            (
                field(&header, row, "min_subnet_prefix"),
                field(&header, row, "headroom_nodes"),
            )
        })
        .collect();
    assert_eq!(sizing, [("23", "1"), ("23", "1")]);
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_table_on_stdout_reads_well() {
    let book = common::legacy_workbook();
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args(["eval", book.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("scenario"), "{text}");
    // Use % (node subnets) and fullest subnet %: one subnet, the same figure.
    let eni: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(
        eni[..9],
        [
            "subnet-calc#WarmENI",
            "workbook",
            "ok",
            "510",
            "351",
            "159",
            "68.8",
            "68.8",
            "230"
        ]
    );
    let ip: Vec<&str> = lines[3].split_whitespace().collect();
    assert_eq!(
        ip[..9],
        [
            "subnet-calc#WarmIP",
            "workbook",
            "ok",
            "510",
            "276",
            "234",
            "54.1",
            "54.1",
            "230"
        ]
    );
}

#[test]
fn the_fixtures_run_without_shared_material() {
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args(fixture_args())
        .args(["--model", "workbook", "-o", "fixtures.csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = dir.read("fixtures.csv");
    let rows = summary_rows(&text);
    assert_eq!(rows.len(), 10, "ten scenarios, one row each");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let legacy = &rows[0];
    assert_eq!(field(&header, legacy, "scenario"), "legacy-defaults");
    assert_eq!(field(&header, legacy, "used_ips"), "351");
    assert_eq!(field(&header, legacy, "status"), "ok");
    // web-warm-eni: 12 × m5.large (ceil(20/10)+1 ENIs × 10 + 2) + 6 × m5.xlarge ((ceil(40/15)+1) × 15 + 2).
    let web = &rows[1];
    assert_eq!(
        field(&header, web, "used_ips"),
        (12 * (3 * 10 + 2) + 6 * (4 * 15 + 2)).to_string()
    );
    assert_eq!(field(&header, web, "subnet_ips"), "1022");
    let pd = rows
        .iter()
        .find(|r| field(&header, r, "scenario") == "dense-prefix")
        .unwrap();
    assert_eq!(field(&header, pd, "status"), "unsupported");
    assert!(field(&header, pd, "message").contains("prefix delegation"));
    assert_eq!(field(&header, pd, "used_ips"), "");
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn json_follows_the_output_extension_and_carries_every_column() {
    let book = common::legacy_workbook();
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args(["eval", book.to_str().unwrap(), "-o", "out.json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_str(&dir.read("out.json")).unwrap();
    let scenarios = doc["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    let eni = &scenarios[0];
    assert_eq!(eni["scenario"], "subnet-calc#WarmENI");
    assert_eq!(eni["model"], "workbook");
    assert_eq!(eni["status"], "ok");
    assert_eq!(
        (
            eni["subnet_ips"].as_i64(),
            eni["used_ips"].as_i64(),
            eni["remaining_ips"].as_i64(),
            eni["pods"].as_i64()
        ),
        (Some(510), Some(351), Some(159), Some(230))
    );
    let g = &eni["node_groups"][0];
    for (key, value) in [
        ("instances", 2.0),
        ("pods_per_node", 100.0),
        ("max_enis", 8.0),
        ("ips_per_eni", 30.0),
        ("max_pods", 234.0),
        ("enis_per_node", 5.0),
        ("ips_per_node", 152.0),
        ("ips_total", 304.0),
        ("pods_total", 200.0),
        ("max_ipv4", 240.0),
        ("in_use_enis", 4.0),
        ("with_warm_eni", 5.0),
        ("actual_ips", 102.0),
        ("used_ips", 152.0),
        ("total_pods_pi", 200.0),
    ] {
        assert_eq!(g[key].as_f64(), Some(value), "{key}");
    }
    assert_eq!(g["instance_type"], "m5.12xlarge");
    assert!((g["raw_enis_needed"].as_f64().unwrap() - 100.0 / 30.0).abs() < 1e-12);
    // WarmIP: enis_per_node is "in use ENIs PI -" (M), ips_per_node "Used IPs PI" (K).
    let c5 = &scenarios[1]["node_groups"][1];
    assert_eq!(
        (
            c5["enis_per_node"].as_i64(),
            c5["ips_per_node"].as_i64(),
            c5["used_ips_with_warm"].as_i64()
        ),
        (Some(3), Some(32), Some(45))
    );
}

#[test]
fn headers_as_people_write_them_are_read_with_a_note() {
    // The legacy sheet's inputs as people copy them into a CSV: its labels and table headers.
    let dir = WorkDir::new();
    dir.write(
        "people.csv",
        "Scenario ID,Subnet CIDR Size,WARM_ENI_TARGET,Host Networking IPs,Daemonset Pods,Instance Type,# of Instances,Target Workload Pods per Node\n\
         legacy,23,1,2,2,m5.12xlarge,2,100\n\
         legacy,,,,,c5.2xlarge,1,30\n",
    );
    dir.write(
        "schema.csv",
        "scenario,subnet_cidr,warm_eni_target,host_networking_ips,daemonset_pods,instance_type,instances,pods_per_node\n\
         legacy,23,1,2,2,m5.12xlarge,2,100\n\
         legacy,,,,,c5.2xlarge,1,30\n",
    );
    let run = |input: &str, output: &str| {
        let out = dir
            .command()
            .args(["eval", input, "--model", "both", "-o", output])
            .args(common::fixture_catalog_args())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = run("people.csv", "people.json");
    let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [
            "note: people.csv:1: header names read as columns: \"Scenario ID\" as scenario, \
             \"Subnet CIDR Size\" as subnet_cidr, \"Host Networking IPs\" as host_networking_ips, \
             \"Daemonset Pods\" as daemonset_pods, \"Instance Type\" as instance_type, \
             \"# of Instances\" as instances, \"Target Workload Pods per Node\" as pods_per_node"
        ],
        "{stderr}"
    );
    // The same scenario, the same figures as with the format's own names, which need no note.
    let schema_stderr = run("schema.csv", "schema.json");
    assert!(!schema_stderr.contains("note:"), "{schema_stderr}");
    let scenarios = |name: &str| {
        let mut doc: Value = serde_json::from_str(&dir.read(name)).unwrap();
        doc["scenarios"].take()
    };
    let people = scenarios("people.json");
    assert_eq!(people, scenarios("schema.json"));
    assert_eq!(people[0]["used_ips"], 351, "the legacy sheet's own figure");

    // Written to standard output (each input read twice), and by convert: the note once.
    let mut to_stdout: Vec<String> = ["eval", "people.csv", "--format", "csv"]
        .map(String::from)
        .to_vec();
    to_stdout.extend(common::fixture_catalog_args());
    let convert = ["convert", "people.csv", "-o", "converted.csv"].map(String::from);
    for command in [&to_stdout[..], &convert[..]] {
        let out = dir.command().args(command).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{command:?}: {stderr}");
        let notes = stderr.matches("header names read as columns").count();
        assert_eq!(notes, 1, "{command:?}: {stderr}");
    }
    assert!(
        dir.read("converted.csv")
            .starts_with("scenario,subnet_cidr,")
    );
}

#[test]
fn format_flag_beats_the_extension_and_stdin_is_read() {
    let dir = WorkDir::new();
    let csv_in = "scenario,subnet_cidr,warm_eni_target,instance_type,instances,pods_per_node\nstdin-case,24,1,m5.large,2,5\n";
    let mut child = dir
        .command()
        .args([
            "eval",
            "-",
            "--catalog",
            fixture("instance-types.json").to_str().unwrap(),
            "--model",
            "workbook",
            "--format",
            "csv",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv_in.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows = summary_rows(&text);
    assert_eq!(&rows[0][0], "stdin-case");
    // (ceil(5/10) + 1) × 10 per node, 2 nodes, of 254.
    assert_eq!(
        (&rows[0][3], &rows[0][4], &rows[0][5]),
        ("254", "40", "214")
    );
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn a_catalog_layered_over_a_workbook_overrides_its_lookup_sheets() {
    let book = common::legacy_workbook();
    let dir = WorkDir::new();
    dir.write(
        "override.csv",
        "instance_type,eni_limit,ipv4_per_eni\nc5.2xlarge,4,20\n",
    );
    let out = dir
        .command()
        .args([
            "eval",
            book.to_str().unwrap(),
            "--catalog",
            "override.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = summary_rows(&String::from_utf8(out.stdout).unwrap());
    // c5.2xlarge now 20 per ENI: (ceil(30/20)+1) × 20 + 2 = 62 instead of 47.
    assert_eq!(&rows[0][4], (351 - 47 + 62).to_string().as_str());
}

#[test]
fn a_reader_gone_before_a_short_output_is_flushed_ends_the_run_quietly() {
    use std::io::Write;
    use std::process::Stdio;
    // A few rows, held in the output buffer until the end: the reader has gone by then.
    let dir = WorkDir::new();
    for format in ["csv", "json", "table"] {
        let mut child = dir
            .command()
            .args(["eval", "-", "--format", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // like `| head -c 0`, before anything is written
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(
                b"scenario,subnet_cidr,instance_type,instances,pods_per_node\na,24,m5.large,3,20\n",
            )
            .unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::Read;
    let dir = WorkDir::new();
    let mut csv_in = String::from("scenario,subnet_cidr,instance_type,instances,pods_per_node\n");
    for i in 0..5000 {
        csv_in.push_str(&format!("s{i},24,m5.large,{},{}\n", 1 + i % 7, i % 40));
    }
    dir.write("many.csv", csv_in);
    let mut child = dir
        .command()
        .args([
            "eval",
            "many.csv",
            "--catalog",
            fixture("instance-types.json").to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert!(first.starts_with(b"{\"tool\":{\"name\":\"subnet-calc\",\"version\":"));
    drop(child.stdout.take()); // like `| head -c 64`
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_help_examples_on_the_fixtures_run() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for command in ["eval", "convert", "catalog"] {
        let help = std::process::Command::new(env!("CARGO_BIN_EXE_subnet-calc"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let text = String::from_utf8(help.stdout).unwrap();
        assert!(text.contains("Examples:"), "{command} --help has examples");
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("subnet-calc ") && l.contains("fixtures/"))
        {
            let args: Vec<&str> = line
                .split_whitespace()
                .skip(1)
                .take_while(|a| !a.starts_with('#'))
                .collect();
            if args.iter().any(|a| *a == "-o" || *a == "--to") {
                continue; // examples that write files are run elsewhere
            }
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_subnet-calc"))
                .args(&args)
                .current_dir(repo)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "`{line}` failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 2, "ran {ran} examples");
}

#[test]
fn the_table_shows_pod_subnets_under_custom_networking() {
    let dir = WorkDir::new();
    let out = dir.command().args(fixture_args()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("pod subnet IPs  pod used  pod remaining  pod needs"),
        "{text}"
    );
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("custom-net "))
        .unwrap()
        .split_whitespace()
        .collect();
    // 6 nodes: 1 node-subnet address each; 100.64.0.0/19 has 8187 usable addresses.
    assert_eq!(row[..5], ["custom-net", "vpc-cni", "ok", "251", "6"]);
    assert_eq!(row[row.len() - 4..], ["8187", "1260", "6927", "/21"]);
    // The node subnet needs a /28 (6 addresses); 32 more m5.12xlarge fit the pod subnet's 6,927.
    assert_eq!(row[row.len() - 6..row.len() - 4], ["/28", "32"]);

    // Each subnet of a list (one per Availability Zone) gets its line: 7 nodes spread 3, 2, 2.
    let per_subnet: Vec<Vec<&str>> = text
        .lines()
        .skip_while(|l| !l.starts_with("per subnet"))
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("multi-az "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    let got: Vec<(&str, &str, &str)> = per_subnet.iter().map(|r| (r[1], r[3], r[5])).collect();
    assert_eq!(
        got,
        [
            ("10.1.0.0/24", "3", "90"),
            ("10.1.1.0/24", "2", "60"),
            ("10.1.2.0/24", "2", "60")
        ]
    );

    // Prefix delegation on one /20: its /28 blocks (2^(28-20) - 2 offered, 170 needed).
    let prefix: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("per subnet"))
        .find(|l| l.starts_with("dense-prefix "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(prefix[prefix.len() - 2..], ["254", "170"]);
}

#[test]
fn max_eni_lowers_the_limit_and_the_calculators_max_pods() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,max_eni,instance_type,instances,pods_per_node\ncapped,24,2,m5.12xlarge,1,100\nignored,24,0,m5.12xlarge,1,100\n",
    );
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--model",
            "both",
            "--format",
            "json",
            "--catalog",
        ])
        .arg(fixture("instance-types-page2.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = doc["scenarios"].as_array().unwrap();
    assert_eq!(s[0]["model"], "workbook");
    assert_eq!(s[0]["status"], "unsupported");
    assert!(s[0]["message"].as_str().unwrap().contains("MAX_ENI"));
    let g = &s[1]["node_groups"][0];
    // m5.12xlarge: 8 ENIs of 30 addresses; MAX_ENI=2 leaves 2 ENIs, 58 pool slots, and the
    // calculator (run with --cni-max-eni 2) gives 2 × 29 + 2 = 60 max pods.
    assert_eq!(
        (g["max_enis"].as_u64(), g["max_pods"].as_u64()),
        (Some(2), Some(60))
    );
    assert_eq!(
        (g["enis_per_node"].as_u64(), g["pod_ips_per_node"].as_u64()),
        (Some(2), Some(58))
    );
    assert_eq!(g["pods_without_ip_per_node"].as_u64(), Some(100 - 58));
    assert_eq!(s[1]["used_ips"].as_i64(), Some(60));
    // MAX_ENI=0 is ignored, as ipamd ignores it: the workbook model runs, the CNI uses 8 ENIs.
    assert_eq!(s[2]["status"], "ok");
    assert_eq!(s[3]["node_groups"][0]["max_enis"].as_u64(), Some(8));
}

#[test]
fn the_max_pods_rule_comes_from_the_column_else_the_flag() {
    let dir = WorkDir::new();
    let run = |extra: &[&str]| -> Value {
        let out = dir
            .command()
            .args(fixture_args())
            .args(["--model", "vpc-cni", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let group = |v: &Value, id: &str| {
        v["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["scenario"] == id)
            .unwrap()["node_groups"][0]
            .clone()
    };
    // al2-metal says table: eni-max-pods' 737 for m5.metal, where the calculator caps at 250.
    let v = run(&[]);
    let metal = group(&v, "al2-metal");
    assert_eq!(
        (
            metal["max_pods"].as_u64(),
            metal["max_pods_source"].as_str()
        ),
        (Some(737), Some("table"))
    );
    assert_eq!(metal["pods_without_ip_per_node"], 0);
    let web = group(&v, "web-warm-eni");
    assert_eq!(web["max_pods_source"], "calculator");
    // The flag sets the rule of the scenarios without one; al2-metal keeps its own.
    let v = run(&["--max-pods-rule", "table"]);
    assert_eq!(group(&v, "web-warm-eni")["max_pods_source"], "table");
    let v = run(&["--max-pods-rule", "calculator"]);
    assert_eq!(group(&v, "al2-metal")["max_pods_source"], "table");
    // dense-prefix sets max_pods 110 on its first node group: that wins over either rule.
    assert_eq!(group(&v, "dense-prefix")["max_pods_source"], "node_group");
    // The summary CSV names the rules used.
    let out = dir
        .command()
        .args(fixture_args())
        .args(["--model", "vpc-cni", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let source = |id: &str| {
        let row = rows
            .iter()
            .find(|r| field(&header, r, "scenario") == id)
            .unwrap();
        field(&header, row, "max_pods_source").to_owned()
    };
    assert_eq!(source("al2-metal"), "table");
    assert_eq!(source("dense-prefix"), "node_group;calculator");
}

#[test]
fn security_groups_for_pods_follow_the_resource_controllers_table() {
    let limits = common::data("upstream/instance-limits.csv");
    let pods = common::data("upstream/eni-max-pods.csv");
    let branches = common::data("upstream/branch-eni-limits.csv");
    let dir = WorkDir::new();
    dir.write(
        "sgp.csv",
        "scenario,subnet_cidr,security_groups_for_pods,instance_type,instances,pods_per_node,branch_eni_pods\n\
         m5,24,true,m5.large,2,5,12\n\
         t3,24,true,t3.medium,2,5,4\n",
    );
    let out = dir
        .command()
        .args(["eval", "sgp.csv", "--format", "json"])
        .arg("--catalog")
        .arg(&limits)
        .arg("--catalog")
        .arg(&pods)
        .arg("--catalog")
        .arg(&branches)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m5 = &v["scenarios"][0];
    let g = &m5["node_groups"][0];
    // m5.large: trunk, 9 branch ENIs (limits.go 7253), 3 branch pods per node Pending.
    assert_eq!(
        (
            g["trunk_enis_per_node"].as_u64(),
            g["branch_eni_pods_per_node"].as_u64(),
            g["branch_eni_pods_pending_per_node"].as_u64()
        ),
        (Some(1), Some(9), Some(3))
    );
    assert_eq!(m5["pods_without_ip"], 6);
    let t3 = &v["scenarios"][1];
    let g = &t3["node_groups"][0];
    // t3.medium: not trunking-compatible, no trunk, all 3 ENIs for the pool.
    assert_eq!(
        (
            g["trunk_enis_per_node"].as_u64(),
            g["pod_eni_limit"].as_u64(),
            g["branch_eni_pods_pending_per_node"].as_u64()
        ),
        (Some(0), Some(3), Some(4))
    );
    let w = &t3["warnings"][0];
    assert_eq!(
        (&w["code"], &w["instance_type"], &w["node_groups"]),
        (
            &json!("not_trunking_compatible"),
            &json!("t3.medium"),
            &json!([0])
        )
    );
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .starts_with("t3.medium: not trunking-compatible")
    );
}

#[test]
fn the_vcpus_unknown_warning_is_shown_once_per_type() {
    // Four scenarios on a type whose vCPUs the catalogue lacks: the cap is guessed once.
    let dir = WorkDir::new();
    dir.write(
        "limits.csv",
        "instance_type,max_enis,ipv4_per_eni\nm5.4xlarge,8,30\n",
    );
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         a,22,m5.4xlarge,2,10\nb,22,m5.4xlarge,2,10\nc,22,m5.4xlarge,3,10\nd,22,m5.4xlarge,1,10\n",
    );
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--no-builtin-catalog",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let warning = "warning: m5.4xlarge: vCPUs unknown; assumed max-pods cap 110";
    assert_eq!(text.matches(warning).count(), 1, "{text}");
    assert!(
        text.contains("a (vpc-cni), b (vpc-cni), c (vpc-cni) and 1 more: warning: m5.4xlarge"),
        "{text}"
    );
}

#[test]
fn a_configuration_ipamd_refuses_is_invalid_in_every_output_and_exits_0() {
    // IPv6 with custom networking: ipamd's isConfigValid refuses it (ipamd.go 2766-2768).
    let dir = WorkDir::new();
    dir.write(
        "limits.csv",
        "instance_type,eni_limit,ipv4_per_eni,hypervisor\nm5.large,3,10,nitro\n",
    );
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,ip_family,custom_networking,instance_type,instances,pods_per_node\n\
         v6cn,24,ipv6,true,m5.large,2,10\nok,24,,,m5.large,2,10\n",
    );
    let run = |args: &[&str]| {
        let out = dir
            .command()
            .args(["eval", "s.csv", "--catalog", "limits.csv"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&[]);
    assert!(table.contains("v6cn      vpc-cni  invalid"), "{table}");
    assert!(
        table.contains("v6cn (vpc-cni): ipamd refuses IPv6 with custom networking"),
        "{table}"
    );
    let csv_out = run(&["--format", "csv"]);
    let rows = summary_rows(&csv_out);
    let mut r = csv::Reader::from_reader(csv_out.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(field(&header, &rows[0], "status"), "invalid");
    assert_eq!(field(&header, &rows[0], "used_ips"), "");
    assert!(field(&header, &rows[0], "message").starts_with("ipamd refuses IPv6"));
    assert_eq!(field(&header, &rows[1], "status"), "ok");
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let v6 = &json["scenarios"][0];
    assert_eq!(
        (v6["status"].as_str(), v6["used_ips"].is_null()),
        (Some("invalid"), true)
    );
    // The report's Outputs sheet says so too.
    run(&["-o", "r.xlsx"]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("r.xlsx")).unwrap();
    use calamine::Reader as _;
    let outputs = book.worksheet_range("Outputs").unwrap();
    let statuses: Vec<String> = (1..outputs.height() as u32)
        .map(|r| outputs.get_value((r, 2)).unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["invalid", "ok"]);
}

#[test]
fn the_table_rule_binds_only_the_vpc_cni_model_and_names_its_origin() {
    // al2-metal says max_pods_rule=table; without eni-max-pods the vpc-cni model cannot run it,
    // but the workbook model never reads max pods.
    let dir = WorkDir::new();
    let mut args = fixture_args();
    args.truncate(args.len() - 2); // the fixtures' max-pods.csv
    args.push("--no-builtin-catalog".into()); // its max pods too
    let out = dir
        .command()
        .args(&args)
        .args(["--model", "workbook", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = dir.command().args(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("m5.metal") && stderr.contains("(max_pods_rule=table reads"),
        "{stderr}"
    );
    // The rule from the flag is named as the flag.
    dir.write(
        "limits.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n",
    );
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\na,24,m5.large,1,5\n",
    );
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--no-builtin-catalog",
            "--max-pods-rule",
            "table",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: s.csv:2:instance_type: instance type \"m5.large\" has no max pods"
        ) && stderr.contains("(--max-pods-rule table reads the catalogue's max pods"),
        "{stderr}"
    );
}

#[test]
fn the_warnings_summed_up_on_standard_error_stop_at_max_warnings() {
    let dir = WorkDir::new();
    dir.write(
        "limits.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n",
    );
    // 30 to 59 pods on an m5.large (27 pod IPs): 30 kinds of "pods per node get no IP".
    let mut csv = String::from("scenario,subnet_cidr,instance_type,instances,pods_per_node\n");
    for pods in 30..60 {
        csv.push_str(&format!("s{pods},20,m5.large,1,{pods}\n"));
    }
    dir.write("s.csv", csv);
    let warnings = |extra: &[&str]| {
        let out = dir
            .command()
            .args(["eval", "s.csv", "--catalog", "limits.csv", "-o", "out.csv"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let default = warnings(&[]);
    assert_eq!(default.len(), 21, "{default:#?}");
    assert!(
        default[0].contains("3 pods per node get no IP"),
        "{default:#?}"
    );
    assert_eq!(
        default[20],
        "warning: 10 more warnings of other kinds (see the output, or --max-warnings 0 for every kind)"
    );
    let three = warnings(&["--max-warnings", "3"]);
    assert_eq!(three.len(), 4);
    assert!(three[3].starts_with("warning: 27 more warnings of other kinds"));
    let all = warnings(&["--max-warnings", "0"]);
    assert_eq!(all.len(), 30);
    assert!(all.iter().all(|w| w.contains("pods per node get no IP")));
    // The output carries every one of them.
    assert_eq!(
        dir.read("out.csv")
            .lines()
            .filter(|l| l.contains("get no IP"))
            .count(),
        30
    );
}
