//! Every class of bad input, run through the binary: the message names file, line or cell and
//! column, the exit code is 2 (1 when an output cannot be written), and no output file appears;
//! an existing output file is left untouched.

mod common;

use std::process::Output;

use common::WorkDir;
use common::workbook::{Cell, LegacyBook};

const HEAD: &str = "scenario,subnet_cidr,instance_type,instances,pods_per_node\n";
const LIMITS: &str = "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\nm5.xlarge,4,15\n";

/// Runs `eval` on `args` in `dir` with `-o out.csv`, and checks the failure: exit code, the start
/// of the message, and that `out.csv` was not written.
fn fails(dir: &WorkDir, args: &[&str], code: i32, message_start: &str) -> String {
    let out: Output = dir
        .command()
        .args(args)
        .args(["-o", "out.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(
        stderr.starts_with(message_start),
        "expected {message_start:?}, got {stderr:?}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.join("out.csv").exists(), "out.csv must not be written");
    let leftovers: Vec<String> = dir
        .files()
        .into_iter()
        .filter(|f| f.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    stderr
}

fn csv_case(dir: &WorkDir, rows: &str) {
    dir.write("s.csv", format!("{HEAD}{rows}"));
    dir.write("limits.csv", LIMITS);
}

#[test]
fn unknown_instance_type_names_line_and_close_matches() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\na,,m5.lareg,1,2\n");
    let e = fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:3:instance_type: unknown instance type \"m5.lareg\" in limits.csv",
    );
    assert!(e.contains("did you mean m5.large"), "{e}");
}

#[test]
fn instance_type_without_eni_limits_is_named() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,t3.small,1,2\n");
    dir.write("pods.csv", "instance_type,max_pods\nt3.small,11\n");
    fails(
        &dir,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--catalog",
            "pods.csv",
            "--no-builtin-catalog",
        ],
        2,
        "error: s.csv:2:instance_type: instance type \"t3.small\" has no ENI limit and IPv4-per-ENI limit",
    );
}

#[test]
fn bad_cidr() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,10.0.0.0/33,m5.large,1,2\n");
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:2:subnet_cidr: bad CIDR \"10.0.0.0/33\" (prefix length 33 is over 32)",
    );
}

#[test]
fn not_a_number() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,many,2\n");
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:2:instances: invalid number \"many\"",
    );
}

#[test]
fn conflicting_rows_name_both_lines() {
    let dir = WorkDir::new();
    dir.write("s.csv", "scenario,subnet_cidr,warm_ip_target,instance_type,instances,pods_per_node\na,23,3,m5.large,1,2\na,23,4,m5.large,1,2\n");
    dir.write("limits.csv", LIMITS);
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:3:warm_ip_target: scenario \"a\" has warm_ip_target=\"4\" here but warm_ip_target=\"3\" on line 2",
    );
}

#[test]
fn several_unknown_header_names_are_named_in_one_message() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_typ,instances,pods_per_node,colour,warm_eni\na,23,m5.large,1,2,red,1\n",
    );
    dir.write("limits.csv", LIMITS);
    let stderr = fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:1: unknown columns \"instance_typ\" (did you mean instance_type",
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one message: {stderr}");
    for part in [
        "\"colour\", ",
        "\"warm_eni\" (did you mean warm_eni_target",
        "; the columns are: scenario, subnet_cidr, ",
    ] {
        assert!(errors[0].contains(part), "{part}: {stderr}");
    }
}

#[test]
fn two_header_names_read_as_one_column_are_both_named() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "Scenario,Subnet CIDR,Instance Type,# of Instances,pods_per_node,subnet_cidr\na,23,m5.large,1,2,24\n",
    );
    dir.write("limits.csv", LIMITS);
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:1: \"Subnet CIDR\" (column 2) and \"subnet_cidr\" (column 6) are both read \
         as subnet_cidr (keep one, or rename the other)\n",
    );
}

#[test]
fn unknown_and_missing_columns() {
    let dir = WorkDir::new();
    dir.write("s.csv", "scenario,subnet_cidr,instance_type,instances,pods_per_node,warm_eni\na,23,m5.large,1,2,1\n");
    dir.write("limits.csv", LIMITS);
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:1: unknown column \"warm_eni\" (did you mean warm_eni_target",
    );
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,pods_per_node\na,23,m5.large,2\n",
    );
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:1: missing required column \"instances\"",
    );
    // Several missing: every one named in one message, in the format's order, also when the
    // header names the others as people write them.
    dir.write("s.csv", "Cluster,Instance Type\na,m5.large\n");
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "limits.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: s.csv:1: missing required columns \"subnet_cidr\", \"instances\" and \
         \"pods_per_node\" (required: scenario, subnet_cidr, instance_type, instances, \
         pods_per_node)\n"
    );
}

#[test]
fn malformed_csv() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1\n");
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:2: malformed CSV: 4 fields where the header has 5",
    );
    dir.write(
        "bin.csv",
        b"scenario,subnet_cidr,instance_type,instances,pods_per_node\na,23,m5.\xff,1,2\n",
    );
    fails(
        &dir,
        &["eval", "bin.csv", "--catalog", "limits.csv"],
        2,
        "error: bin.csv:2:instance_type: malformed CSV: not valid UTF-8",
    );
    // A Latin-1 note on the first row of a scenario: that row's fault alone, not a second one
    // for the scenario's other rows, which are left out with it.
    dir.write(
        "latin1.csv",
        b"scenario,subnet_cidr,instance_type,instances,pods_per_node,note
          s1,23,m5.large,2,20,caf\xe9\ns1,,m5.large,1,20,\ns2,23,m5.large,1,20,\n",
    );
    let stderr = fails(
        &dir,
        &["eval", "latin1.csv", "--catalog", "limits.csv"],
        2,
        "error: latin1.csv:2:column 6: malformed CSV: not valid UTF-8 text",
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

#[test]
fn no_catalog_for_a_csv() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    fails(
        &dir,
        &["eval", "s.csv", "--no-builtin-catalog"],
        2,
        "error: s.csv: no instance catalogue for these scenarios (a scenario CSV needs --catalog PATH",
    );
}

#[test]
fn malformed_catalogues() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    dir.write(
        "types.json",
        "{\"InstanceTypes\": [\n {\"InstanceType\": \"m5.large\", }\n]}",
    );
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "types.json"],
        2,
        "error: types.json:2:column ",
    );
    dir.write(
        "bad.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,0,10\n",
    );
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "bad.csv"],
        2,
        "error: bad.csv:2:eni_limit: invalid number \"0\" (expected eni_limit ≥ 1)",
    );
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "missing.json"],
        2,
        "error: missing.json: cannot read",
    );
}

#[test]
fn workbook_problems_name_sheet_and_cell() {
    let dir = WorkDir::new();
    LegacyBook {
        overrides: vec![("WarmENI", 3, 1, Cell::Error("#N/A"))],
        ..LegacyBook::default()
    }
    .save(&dir.join("err.xlsx"));
    fails(
        &dir,
        &["eval", "err.xlsx"],
        2,
        "error: err.xlsx:WarmENI!B4: the cell holds the error #N/A",
    );
    LegacyBook {
        overrides: vec![("WarmIP", 14, 1, Cell::Text("some"))],
        ..LegacyBook::default()
    }
    .save(&dir.join("text.xlsx"));
    fails(
        &dir,
        &["eval", "text.xlsx"],
        2,
        "error: text.xlsx:WarmIP!B15: invalid number \"some\"",
    );
    LegacyBook {
        lookup_sheets: vec!["maxPods", "maxENI"],
        ..LegacyBook::default()
    }
    .save(&dir.join("nocidr.xlsx"));
    fails(
        &dir,
        &["eval", "nocidr.xlsx"],
        2,
        "error: nocidr.xlsx: missing sheet \"CidrData\"",
    );
    LegacyBook {
        rows: vec![("m5.large", 1.0, 5.0), ("m9.huge", 1.0, 5.0)],
        ..LegacyBook::default()
    }
    .save(&dir.join("unknown.xlsx"));
    fails(
        &dir,
        &["eval", "unknown.xlsx"],
        2,
        "error: unknown.xlsx:WarmENI!A24: unknown instance type \"m9.huge\"",
    );
    dir.write("fake.xlsx", b"PK\x03\x04garbage");
    fails(
        &dir,
        &["eval", "fake.xlsx"],
        2,
        "error: fake.xlsx: not a readable xlsx workbook",
    );
}

#[test]
fn output_over_an_input_is_refused_and_left_untouched() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    let before = dir.read("s.csv");
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "limits.csv", "-o", "s.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: s.csv: refusing to write the output over an input file")
    );
    assert_eq!(dir.read("s.csv"), before);
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "./limits.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(dir.read("limits.csv"), LIMITS);
}

#[test]
fn a_failed_run_leaves_an_existing_output_untouched() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,x,2\n");
    dir.write("out.csv", "previous results\n");
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "limits.csv", "-o", "out.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(dir.read("out.csv"), "previous results\n");
}

#[test]
fn an_unwritable_output_exits_1() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "no/such/dir/out.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: no/such/dir/out.csv: cannot write")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the directory no/such/dir does not exist"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(".partial"),
        "no temporary file name: {stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = WorkDir::new();
    let out = dir.command().args(["eval"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = dir
        .command()
        .args(["eval", "x.csv", "--model", "magic"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = dir
        .command()
        .args(["eval", "x.csv", "-o", "out.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot tell the output format"));
}

#[test]
fn a_missing_input_is_bad_input() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    fails(
        &dir,
        &["eval", "nope.csv", "--catalog", "limits.csv"],
        2,
        "error: nope.csv: cannot read",
    );
}

#[test]
fn duplicate_scenario_ids_across_inputs_are_refused() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    dir.write("t.csv", format!("{HEAD}a,24,m5.large,1,2\n"));
    fails(
        &dir,
        &["eval", "s.csv", "t.csv", "--catalog", "limits.csv"],
        2,
        "error: t.csv:2:scenario: scenario id \"a\" is already used at s.csv:2 (rename one of them)",
    );
}

#[test]
fn catalogues_that_list_nothing_usable_are_named() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    dir.write("empty.csv", "instance_type,eni_limit,ipv4_per_eni\n");
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "empty.csv"],
        2,
        "error: empty.csv: the catalogue lists no instance types (an empty InstanceTypes list, or a CSV with a header and no rows)",
    );
    dir.write("list.json", "[]");
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "list.json"],
        2,
        "error: list.json:1: malformed JSON: a list; expected an object with \"InstanceTypes\"",
    );
    dir.write(
        "nonet.json",
        r#"{"InstanceTypes":[{"InstanceType":"m5.large","Hypervisor":"nitro"}]}"#,
    );
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "nonet.json"],
        2,
        "error: nonet.json:InstanceTypes[0] (m5.large): missing value (NetworkInfo.MaximumNetworkInterfaces",
    );
    dir.write(
        "pods-only.csv",
        "instance_type,max_pods,vcpus\nm5.large,29,2\n",
    );
    let e = fails(
        &dir,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "pods-only.csv",
            "--no-builtin-catalog",
        ],
        2,
        "error: s.csv:2:instance_type: instance type \"m5.large\" has no ENI limit and IPv4-per-ENI limit",
    );
    assert!(e.contains("only its max pods, its vCPUs known"), "{e}");
}

#[test]
fn output_paths_that_are_directories_or_dashes() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    std::fs::create_dir(dir.join("d.csv")).unwrap();
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "limits.csv", "-o", "d.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: d.csv is a directory (-o names the output file)")
    );
    // `-o -` is standard output, not a file named "-".
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("scenario,model,status,"));
    assert!(!dir.join("-").exists());
    let out = dir
        .command()
        .args(["convert", "s.csv", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("scenario,subnet_cidr,"));
    assert!(!dir.join("-").exists());
}

#[test]
fn catalogue_json_with_a_byte_order_mark_is_read() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    let json = r#"{"InstanceTypes":[{"InstanceType":"m5.large","VCpuInfo":{"DefaultVCpus":2},"Hypervisor":"nitro","NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10}}]}"#;
    dir.write("bom.json", format!("\u{feff}{json}"));
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "bom.json", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.write("list.json", "\n\n  [ {} ]");
    fails(
        &dir,
        &["eval", "s.csv", "--catalog", "list.json"],
        2,
        "error: list.json:3: malformed JSON: a list",
    );
}

#[test]
fn an_output_under_a_file_is_named_as_such() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    dir.write("afile", "x");
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "afile/x.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.starts_with("error: afile/x.csv: cannot write: afile is not a directory"),
        "{e}"
    );
}

#[test]
fn the_table_rule_on_a_type_without_max_pods_is_named() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node,max_pods_rule\nb,23,m5.large,1,2,sometimes\na,23,m5.large,1,2,table\n",
    );
    dir.write("limits.csv", LIMITS);
    // The first fault in file order is the one named.
    let stderr = fails(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv"],
        2,
        "error: s.csv:2:max_pods_rule: invalid value \"sometimes\" (expected calculator",
    );
    assert!(!stderr.contains("panicked"));
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node,max_pods_rule\na,23,m5.large,1,2,table\n",
    );
    fails(
        &dir,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--no-builtin-catalog",
        ],
        2,
        "error: s.csv:2:instance_type: instance type \"m5.large\" has no max pods in limits.csv (max_pods_rule=table reads the catalogue's max pods",
    );
}

#[test]
fn every_fault_of_every_input_is_reported_at_once() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    // Three faults in two files, and a good row between them: each named, in file and line
    // order, one per row; nothing written.
    dir.write(
        "a.csv",
        format!("{HEAD}a1,24,m5.lareg,1,2\na2,24,m5.large,1,2\na3,24,m5.large,many,2\n"),
    );
    dir.write("b.csv", format!("{HEAD}b1,24,m8x.large,1,2\n"));
    let out = dir
        .command()
        .args([
            "eval",
            "a.csv",
            "b.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "out.csv",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(
        errors[0].starts_with("error: a.csv:2:instance_type: unknown instance type \"m5.lareg\"")
    );
    assert!(errors[1].starts_with("error: a.csv:4:instances: invalid number \"many\""));
    assert!(
        errors[2].starts_with("error: b.csv:2:instance_type: unknown instance type \"m8x.large\"")
    );
    assert!(!dir.join("out.csv").exists());

    // --max-errors caps the list.
    let out = dir
        .command()
        .args([
            "eval",
            "a.csv",
            "b.csv",
            "--catalog",
            "limits.csv",
            "--max-errors",
            "2",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.ends_with("error: and 1 more (--max-errors N shows more)\n"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    // A file with a broken header is one fault; its rows are not checked. The other file's are.
    dir.write(
        "c.csv",
        "scenario,subnet_cidr,instance_typ,instances,pods_per_node\nc1,24,x,y,z\n",
    );
    let out = dir
        .command()
        .args(["eval", "c.csv", "b.csv", "--catalog", "limits.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(
        errors[0].starts_with("error: c.csv:1: unknown column \"instance_typ\""),
        "{stderr}"
    );
    assert!(
        errors[1].starts_with("error: b.csv:2:instance_type"),
        "{stderr}"
    );
}

#[test]
fn csvs_from_excel_in_any_locale_are_read() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    // Semicolons (a decimal-comma locale) and tabs, told from the header, with a note.
    dir.write(
        "semi.csv",
        "scenario;subnet_cidr;instance_type;instances;pods_per_node\r\nweb;10.0.0.0/24;m5.large;3;20\r\n",
    );
    dir.write(
        "tabs.csv",
        "scenario\tsubnet_cidr\tinstance_type\tinstances\tpods_per_node\nweb\t10.0.0.0/24\tm5.large\t3\t20\n",
    );
    let mut used = Vec::new();
    for file in ["semi.csv", "tabs.csv"] {
        let out = dir
            .command()
            .args(["eval", file, "--catalog", "limits.csv", "--format", "csv"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let sep = if file == "semi.csv" {
            "semicolons"
        } else {
            "tabs"
        };
        assert!(
            stderr.contains(&format!("note: {file}: fields separated by {sep}")),
            "{stderr}"
        );
        let text = String::from_utf8(out.stdout).unwrap();
        used.push(
            text.lines()
                .nth(1)
                .unwrap()
                .split(',')
                .nth(4)
                .unwrap()
                .to_owned(),
        );
    }
    // 3 m5.large of 20 pods: 3 ENIs (the limit), 27 IPs and 3 primaries each.
    assert_eq!(used, ["90", "90"]);
    // A decimal comma where a whole number belongs is named as one; a zero fraction is taken.
    dir.write(
        "comma.csv",
        "scenario;subnet_cidr;instance_type;instances;pods_per_node\nweb;24;m5.large;3,0;2,5\n",
    );
    let out = dir
        .command()
        .args(["eval", "comma.csv", "--catalog", "limits.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "\nerror: comma.csv:2:pods_per_node: invalid number \"2,5\" (expected a whole number from 0 to 4294967295; this one has a decimal comma (write 2 or 3, not 2,5))\n"
    ));
    // A thousands separator (or three zero decimals) is not a value that can be known: 1.000
    // from a German Excel is a thousand, from an English one it is 1.
    dir.write(
        "thousands.csv",
        "scenario;subnet_cidr;instance_type;instances;pods_per_node\nweb;24;m5.large;1.000;2\n",
    );
    let out = dir
        .command()
        .args(["eval", "thousands.csv", "--catalog", "limits.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "\nerror: thousands.csv:2:instances: invalid number \"1.000\" (expected a whole number from 0 to 4294967295; 1.000 reads as 1 with three zero decimals or as 1000 with a thousands separator (write 1 or 1000))\n"
    ), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn excel_separator_lines_are_honoured_in_scenarios_and_catalogues() {
    let dir = WorkDir::new();
    // Excel's `sep=;` first line, in a catalogue with semicolons and a scenario CSV with a BOM.
    dir.write(
        "limits.csv",
        "sep=;\ninstance_type;eni_limit;ipv4_per_eni\nm5.large;3;10\n",
    );
    dir.write(
        "s.csv",
        "\u{feff}sep=;\r\nscenario;subnet_cidr;instance_type;instances;pods_per_node\r\nweb;24;m5.large;3;20\r\nbad;24;m5.large;3;x\r\n",
    );
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    // Lines are counted as in the file: the bad row is line 4.
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        error_lines(&out),
        [
            "error: s.csv:4:pods_per_node: invalid number \"x\" (expected a whole number from 0 to 4294967295)"
        ]
    );
    dir.write(
        "s.csv",
        "sep=;\nscenario;subnet_cidr;instance_type;instances;pods_per_node\nweb;24;m5.large;3;20\n",
    );
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // 3 m5.large of 20 pods: 90 addresses, as in the comma-separated file.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().nth(1).unwrap().split(',').nth(4), Some("90"));
    // A catalogue given where scenarios belong is recognised behind its separator line too.
    let out = dir.command().args(["eval", "limits.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        error_lines(&out)[0].contains("an instance catalogue")
            && error_lines(&out)[0].contains("give it with --catalog"),
        "{:?}",
        error_lines(&out)
    );
}

/// The `error:` lines of a run's standard error.
fn error_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn convert_reports_every_fault_at_once() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    // An unknown type, a bad number and another unknown type: all three, in line order.
    dir.write(
        "ub.csv",
        format!("{HEAD}a,24,m5.lareg,1,2\nb,24,m5.large,x,2\nc,24,m8x.large,1,2\n"),
    );
    let out = dir
        .command()
        .args(["convert", "ub.csv", "--catalog", "limits.csv"])
        .args(["--to", "legacy", "-o", "workbooks"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].starts_with("error: ub.csv:2:instance_type: unknown instance type \"m5.lareg\"")
    );
    assert!(errors[1].starts_with("error: ub.csv:3:instances: invalid number \"x\""));
    assert!(
        errors[2].starts_with("error: ub.csv:4:instance_type: unknown instance type \"m8x.large\"")
    );
    assert!(!dir.join("workbooks").exists(), "nothing written");
    // To a CSV: every bad row of every file.
    dir.write("b2.csv", format!("{HEAD}d,24,m5.large,y,2\n"));
    let out = dir
        .command()
        .args(["convert", "ub.csv", "b2.csv", "-o", "all.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].starts_with("error: ub.csv:3:instances"));
    assert!(errors[1].starts_with("error: b2.csv:2:instances"));
    assert!(!dir.join("all.csv").exists());
}

#[test]
fn every_fault_of_every_catalogue_and_the_inputs_is_reported() {
    let dir = WorkDir::new();
    dir.write(
        "badcat.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,x,10\nm5.xlarge,4,15\nc5.large,3,y\n",
    );
    dir.write("other.json", r#"{"InstanceTypes": [{"InstanceType": 5}]}"#);
    dir.write("pods.txt", "m5.large 29\nbogus\nm5.xlarge many\n");
    // A bad row of the input, independent of the catalogues; its unknown instance types are
    // not checked while a catalogue is broken (they may be the broken catalogue's).
    dir.write(
        "b.csv",
        format!("{HEAD}a,24,m5.large,1,2\nb,24,m5.large,x,2\nc,24,m9.huge,1,2\n"),
    );
    for command in ["eval", "convert"] {
        let mut cmd = dir.command();
        cmd.args([command, "b.csv"]);
        for catalog in ["badcat.csv", "other.json", "pods.txt"] {
            cmd.args(["--catalog", catalog]);
        }
        if command == "convert" {
            cmd.args(["--to", "legacy"]);
        }
        let output = if command == "eval" { "out.csv" } else { "out" };
        let out = cmd.args(["-o", output]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        let errors = error_lines(&out);
        let starts = [
            "error: badcat.csv:2:eni_limit: invalid number \"x\"",
            "error: badcat.csv:4:ipv4_per_eni: invalid number \"y\"",
            "error: other.json:1:column 37: malformed JSON",
            "error: pods.txt:2: invalid value \"bogus\"",
            "error: pods.txt:3:max pods: invalid number \"many\"",
            "error: b.csv:3:instances: invalid number \"x\"",
        ];
        assert_eq!(errors.len(), starts.len(), "{command}: {errors:#?}");
        for (error, start) in errors.iter().zip(starts) {
            assert!(error.starts_with(start), "{command}: {error} vs {start}");
        }
        assert!(!dir.join(output).exists());
    }
}

#[test]
fn faults_are_listed_in_the_order_the_files_were_given() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("b.csv", format!("{HEAD}b1,24,m5.large,x,2\n"));
    dir.write(
        "a.csv",
        format!("{HEAD}a1,24,m5.large,1,2\na2,24,m5.lareg,1,2\n"),
    );
    // Text named .xlsx: read as a workbook, which it is not.
    dir.write("bad.xlsx", "junk,stuff\n1,2\n");
    let out = dir
        .command()
        .args([
            "eval",
            "b.csv",
            "bad.xlsx",
            "a.csv",
            "--catalog",
            "limits.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].starts_with("error: b.csv:2:instances"),
        "{errors:#?}"
    );
    assert_eq!(
        errors[1],
        "error: bad.xlsx: not a readable xlsx workbook: not a zip archive (it starts like a text \
         file; if it is a scenario CSV, name it .csv)"
    );
    assert!(
        errors[2].starts_with("error: a.csv:3:instance_type"),
        "{errors:#?}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn text_named_xlsx_is_not_read_as_a_csv() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("s.xlsx", format!("{HEAD}a,24,m5.large,1,2\n"));
    let e = fails(
        &dir,
        &["eval", "s.xlsx", "--catalog", "limits.csv"],
        2,
        "error: s.xlsx: not a readable xlsx workbook: not a zip archive (it starts like a text file",
    );
    assert!(!e.contains("unknown column"), "{e}");
}

#[test]
fn an_output_that_is_a_directory_is_a_usage_error() {
    // Found before anything runs, and fixed by the user: exit 2 (bad input or usage), as the
    // table of docs/cli.md defines it; 1 is for an output that fails while it is written.
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    std::fs::create_dir(dir.join("existing")).unwrap();
    for args in [
        &["eval", "s.csv", "--catalog", "limits.csv", "-o", "existing"][..],
        &["convert", "s.csv", "-o", "existing"],
        &["catalog", "--catalog", "limits.csv", "-o", "existing"],
    ] {
        let out = dir.command().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .starts_with("error: existing is a directory (-o names the output file)"),
            "{args:?}"
        );
    }
    let reference =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    assert!(!reference.contains("a directory in the way"));
    assert!(reference.contains("`-o` naming an existing directory for a file output"));
}

#[test]
fn a_nul_byte_in_an_id_past_the_first_block_is_a_fault_not_an_output() {
    let dir = WorkDir::new();
    csv_case(&dir, "a,23,m5.large,1,2\n");
    // Far past the first 64 KiB, where binary files are told apart.
    let mut text = String::from("scenario,subnet_cidr,instance_type,instances,pods_per_node\n");
    for i in 0..5000 {
        text.push_str(&format!("s{i},23,m5.large,1,2\n"));
    }
    text.push_str("bad\0id,23,m5.large,1,2\n");
    dir.write("nul.csv", text);
    fails(
        &dir,
        &["eval", "nul.csv", "--catalog", "limits.csv"],
        2,
        "error: nul.csv:5002:scenario: invalid value \"bad\\0id\" (expected an id without a NUL byte",
    );
}
