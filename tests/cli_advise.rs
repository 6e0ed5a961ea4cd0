//! `subnet-calc eval --advise` run as a user runs it: the settings advisor in the JSON, the
//! summary CSV, the table and the closing line, and the usage errors of its flags. The scenario
//! is docs/models.md's first worked example of the advisor: a /24 with 7 × m5.xlarge running 20
//! workload and 2 daemonset pods each, blank settings (WARM_ENI_TARGET=1 exhausts it).

mod common;

use common::{WorkDir, run};
use serde_json::{Value, json};

const SCENARIOS: &str = "\
scenario,subnet_cidr,daemonset_pods,instance_type,instances,pods_per_node,ip_family,prefix_delegation
slash24,10.4.0.0/24,2,m5.xlarge,7,20,,
v6,10.4.0.0/24,2,m5.xlarge,7,20,ipv6,true
";

const RECOMMENDED: &str = "fits today, with 2 more nodes of headroom; keeps 2 addresses warm \
                           per node; 42 % fewer addresses than today's setting (182 against 315)";

/// A work directory holding the scenarios as `s.csv`.
fn scenarios() -> WorkDir {
    let dir = WorkDir::new();
    dir.write("s.csv", SCENARIOS);
    dir
}

/// `eval s.csv ARGS --format json -q`, parsed: the evaluations by scenario id, in order.
fn json_of(dir: &WorkDir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["eval", "s.csv", "--format", "json", "-q"];
    all.extend(args);
    let (out, stdout, stderr) = run(dir, &all);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    doc["scenarios"].as_array().unwrap().clone()
}

#[test]
fn the_json_advice_block_holds_every_option_and_recommends_warm_ip_2() {
    let dir = scenarios();
    let all = json_of(&dir, &["--advise"]);
    let advice = &all[0]["advice"];
    assert_eq!(all[0]["scenario"], "slash24");
    assert_eq!(advice["min_warm_ips"], 2);
    assert_eq!(advice["recommended"], 3);
    let options = advice["options"].as_array().unwrap();
    let ids: Vec<&str> = options.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "given",
            "warm_eni_1",
            "warm_ip_1",
            "warm_ip_2",
            "warm_ip_5",
            "prefix_1",
            "prefix_warm_ip_2",
            "custom_warm_eni_1",
            "custom_warm_ip_2",
            "custom_prefix_1"
        ]
    );
    let chosen = &options[3];
    assert_eq!(
        chosen["settings"],
        json!({"warm_eni_target": null, "warm_ip_target": 2, "minimum_ip_target": 22,
               "warm_prefix_target": null, "prefix_delegation": false, "custom_networking": false})
    );
    assert_eq!(chosen["status"], "ok");
    assert_eq!(chosen["fits"], json!({"at_desired": true}));
    for (key, value) in [
        ("used_ips", 182),
        ("min_subnet_prefix", 24),
        ("headroom_nodes", 2),
        ("pods_without_ip", 0),
        ("warm_ips_per_node", 2),
        ("ec2_calls_per_node", 6),
        ("ec2_read_calls_per_node", 3),
        ("ec2_calls_total", 42),
    ] {
        assert_eq!(chosen[key], value, "{key}");
    }
    let saving = chosen["saving_pct"].as_f64().unwrap();
    assert!((saving - 100.0 * 133.0 / 315.0).abs() < 1e-9, "{saving}");
    assert_eq!(chosen["reason"], RECOMMENDED);
    // Today's settings: 315 addresses, out of addresses.
    assert_eq!(options[0]["used_ips"], 315);
    assert_eq!(options[0]["fits"]["at_desired"], false);
    assert_eq!(
        options[0]["reason"],
        "does not fit (fullest subnet 125.5 %)"
    );
    assert_eq!(options[1]["reason"], "same settings as today's");
    // Not possible: the settings it would write, its status and why; no figures.
    let custom = &options[8];
    assert_eq!(custom["status"], "not_possible");
    assert_eq!(custom["settings"]["custom_networking"], true);
    assert_eq!(
        custom["reason"],
        "no pod subnet (pod_subnet_cidr) to move pods to"
    );
    let mut keys: Vec<&String> = custom.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "reason", "settings", "status"]);
    // Without --advise, no advice at all.
    let plain = json_of(&dir, &[]);
    assert!(plain[0].get("advice").is_none(), "{}", plain[0]);
}

#[test]
fn min_warm_ips_1_switches_the_recommendation_to_warm_ip_1() {
    let dir = scenarios();
    let all = json_of(&dir, &["--advise", "--min-warm-ips", "1"]);
    let advice = &all[0]["advice"];
    assert_eq!(advice["min_warm_ips"], 1);
    assert_eq!(advice["recommended"], 2);
    let chosen = &advice["options"][2];
    assert_eq!(
        (chosen["used_ips"].clone(), chosen["headroom_nodes"].clone()),
        (json!(175), json!(3))
    );
    assert_eq!(
        chosen["reason"],
        "fits today, with 3 more nodes of headroom; keeps 1 address warm per node; 44 % fewer \
         addresses than today's setting (175 against 315)"
    );
}

#[test]
fn an_ipv6_scenario_gets_no_options_and_says_why() {
    let dir = scenarios();
    let all = json_of(&dir, &["--advise"]);
    assert_eq!(all[1]["scenario"], "v6");
    assert_eq!(
        all[1]["advice"],
        json!({"min_warm_ips": 2, "recommended": null, "options": [],
               "not_applicable": "IPv6: ipamd keeps no IPv4 pool to tune"})
    );
}

#[test]
fn the_summary_csv_gets_the_recommended_options_columns() {
    let dir = scenarios();
    let (out, _, stderr) = run(
        &dir,
        &[
            "eval", "s.csv", "--advise", "--model", "both", "-o", "out.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = dir.read("out.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let advice_columns = [
        "advice_option",
        "advice_warm_eni_target",
        "advice_warm_ip_target",
        "advice_minimum_ip_target",
        "advice_warm_prefix_target",
        "advice_prefix_delegation",
        "advice_custom_networking",
        "advice_used_ips",
        "advice_fits_at_desired",
        "advice_fits_at_max",
        "advice_fits_during_update",
        "advice_min_subnet_prefix",
        "advice_headroom_nodes",
        "advice_warm_ips_per_node",
        "advice_ec2_calls_per_node",
        "advice_saving_pct",
        "advice_reason",
    ];
    let tail: Vec<&str> = header.iter().skip(header.len() - 17).collect();
    assert_eq!(tail, advice_columns);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let field = |row: &csv::StringRecord, name: &str| {
        row[header.iter().position(|h| h == name).unwrap()].to_owned()
    };
    let advice = |row: &csv::StringRecord| -> Vec<String> {
        advice_columns.iter().map(|c| field(row, c)).collect()
    };
    // Workbook first, then vpc-cni, per scenario.
    assert_eq!(field(&rows[0], "model"), "workbook");
    assert!(
        advice(&rows[0]).iter().all(String::is_empty),
        "{:?}",
        rows[0]
    );
    assert_eq!(
        advice(&rows[1]),
        [
            "warm_ip_2",
            "",
            "2",
            "22",
            "",
            "false",
            "false",
            "182",
            "true",
            "",
            "",
            "24",
            "2",
            "2",
            "6",
            "42.22",
            RECOMMENDED
        ]
    );
    let v6 = rows
        .iter()
        .find(|r| &r[0] == "v6" && &r[1] == "vpc-cni")
        .unwrap();
    let v6 = advice(v6);
    assert!(v6[..16].iter().all(String::is_empty), "{v6:?}");
    assert_eq!(v6[16], "IPv6: ipamd keeps no IPv4 pool to tune");
    // The closing line, after the per-model ones.
    assert!(
        stderr.contains(
            "\n  advice: 1 of 2 scenarios would change settings; 1 of the 1 that do not fit \
             today would fit with the recommended settings\n"
        ),
        "{stderr}"
    );
    // Without --advise, no advice column.
    let (out, _, _) = run(&dir, &["eval", "s.csv", "-o", "plain.csv", "-q"]);
    assert!(out.status.success());
    assert!(!dir.read("plain.csv").contains("advice_"));
}

#[test]
fn the_table_lists_every_option_with_the_recommended_one_marked() {
    let dir = scenarios();
    let (out, stdout, stderr) = run(&dir, &["eval", "s.csv", "--advise"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let at = stdout
        .find("\nadvice (vpc-cni; * recommended):\n")
        .unwrap_or_else(|| panic!("{stdout}"));
    // The advice table, up to the blank line before the warnings.
    let table: Vec<&str> = stdout[at..]
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table[0].starts_with("scenario  "), "{}", table[0]);
    assert!(table[0].ends_with("  saving %  reason"), "{}", table[0]);
    let chosen: Vec<&str> = table
        .iter()
        .copied()
        .filter(|l| l.contains("* warm_ip_2"))
        .collect();
    assert_eq!(chosen.len(), 1, "{stdout}");
    let words: Vec<&str> = chosen[0].split_whitespace().collect();
    assert_eq!(
        words[..13],
        [
            "slash24",
            "*",
            "warm_ip_2",
            "WARM_IP_TARGET=2",
            "MINIMUM_IP_TARGET=22",
            "ok",
            "yes",
            "2",
            "2",
            "6",
            "42",
            "42.2",
            "fits"
        ]
    );
    assert!(chosen[0].ends_with(RECOMMENDED), "{}", chosen[0]);
    // Ten rows for slash24, one for v6 saying why it has none.
    assert_eq!(
        table.iter().filter(|l| l.starts_with("slash24 ")).count(),
        10
    );
    let v6: Vec<&&str> = table.iter().filter(|l| l.starts_with("v6 ")).collect();
    assert_eq!(v6.len(), 1);
    assert!(v6[0].ends_with("IPv6: ipamd keeps no IPv4 pool to tune"));
    // On standard error, the closing line alone (the table is on standard output).
    assert!(
        stderr.contains(
            "advice: 1 of 2 scenarios would change settings; 1 of the 1 that do not fit today \
             would fit with the recommended settings"
        ),
        "{stderr}"
    );
    let (_, _, quiet) = run(&dir, &["eval", "s.csv", "--advise", "-q"]);
    assert!(!quiet.contains("advice:"), "{quiet}");
}

#[test]
fn flags_that_make_no_sense_are_usage_errors_and_nothing_is_written() {
    let dir = scenarios();
    let (out, _, stderr) = run(
        &dir,
        &["eval", "s.csv", "--min-warm-ips", "1", "-o", "a.csv"],
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: --min-warm-ips needs --advise"),
        "{stderr}"
    );
    let (out, _, stderr) = run(
        &dir,
        &[
            "eval", "s.csv", "--advise", "--model", "workbook", "-o", "a.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: --advise needs the vpc-cni model (add --model vpc-cni or --model both)"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("a.csv").exists());
    let (out, _, stderr) = run(&dir, &["eval", "s.csv", "--advise", "--min-warm-ips", "x"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // The report has no Options sheet yet: advice it would not show is refused, not dropped.
    let (out, _, stderr) = run(&dir, &["eval", "s.csv", "--advise", "-o", "r.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--advise with an xlsx report: the report has no Options sheet yet"),
        "{stderr}"
    );
    assert!(!dir.path().join("r.xlsx").exists());
}
