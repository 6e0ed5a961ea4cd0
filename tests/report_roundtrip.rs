//! The report as an input: `eval report.xlsx` re-evaluates the scenarios of its Inputs sheet (as
//! a person edited them) with its Catalog sheet under `--catalog`, and gives the same numbers as
//! the run that wrote it; `convert report.xlsx` gives the scenario CSV back; a bad cell is an
//! error naming its sheet, cell and column.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::WorkDir;

/// Runs the binary in `dir`; panics with its standard error unless it succeeds.
fn ok(dir: &WorkDir, args: &[&str]) -> String {
    let out = dir.command().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {stderr}");
    stderr
}

/// Runs the binary in `dir` and returns its standard error, expecting exit status 2.
fn fails(dir: &WorkDir, args: &[&str]) -> String {
    let out = dir.command().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `eval INPUT --model both` with the fixtures' catalogues, to `out`.
fn eval_with_catalogs(dir: &WorkDir, input: &str, out: &str) {
    let mut args = vec!["eval", input, "--model", "both", "-q", "-o", out];
    let catalogs = common::fixture_catalog_args();
    args.extend(catalogs.iter().map(String::as_str));
    ok(dir, &args);
}

/// A scenario CSV of every kind of setting: the fixtures' scenarios, and IPv6, security groups
/// for pods, max-pods overrides and rules, MAX_ENI, text that looks like a formula.
fn scenarios(dir: &WorkDir) -> String {
    // The fixtures as convert writes them: every column.
    let fixtures = common::fixture("scenarios.csv").display().to_string();
    ok(dir, &["convert", &fixtures, "-q", "-o", "fixtures.csv"]);
    let mut csv = dir.read("fixtures.csv");
    let header = csv.lines().next().unwrap().to_owned();
    let column = |name: &str| header.split(',').position(|c| c == name).unwrap();
    let row = |values: &[(&str, &str)]| {
        let mut fields = vec![""; header.split(',').count()];
        for (name, value) in values {
            fields[column(name)] = value;
        }
        fields.join(",") + "\n"
    };
    for values in [
        vec![
            ("scenario", "v6"),
            ("subnet_cidr", "10.9.0.0/24"),
            ("ip_family", "ipv6"),
            ("instance_type", "m5.large"),
            ("instances", "3"),
            ("pods_per_node", "20"),
        ],
        vec![
            ("scenario", "sgp"),
            ("subnet_cidr", "23"),
            ("security_groups_for_pods", "true"),
            ("instance_type", "m5.xlarge"),
            ("instances", "4"),
            ("pods_per_node", "20"),
            ("branch_eni_pods", "5"),
        ],
        vec![
            ("scenario", "\"=SUM(1,2)\""),
            ("subnet_cidr", "24"),
            ("max_eni", "2"),
            ("max_pods_rule", "table"),
            ("instance_type", "m5.large"),
            ("instances", "2"),
            ("pods_per_node", "20"),
            ("max_pods", "17"),
        ],
    ] {
        csv.push_str(&row(&values));
    }
    dir.write("all.csv", &csv);
    "all.csv".to_owned()
}

#[test]
fn a_report_evaluates_to_the_same_numbers_and_converts_back_to_its_scenarios() {
    let dir = WorkDir::new();
    let input = scenarios(&dir);
    eval_with_catalogs(&dir, &input, "report.xlsx");
    eval_with_catalogs(&dir, &input, "first.json");
    eval_with_catalogs(&dir, &input, "first.csv");
    // Its own catalogue, the models it was written with.
    ok(&dir, &["eval", "report.xlsx", "-q", "-o", "again.json"]);
    ok(&dir, &["eval", "report.xlsx", "-q", "-o", "again.csv"]);
    assert_eq!(dir.read("again.csv"), dir.read("first.csv"));
    let scenarios = |name: &str| {
        let v: serde_json::Value = serde_json::from_str(&dir.read(name)).unwrap();
        v["scenarios"].clone()
    };
    assert_eq!(scenarios("again.json"), scenarios("first.json"));
    // And a report of the report is the same report (its figures, not its date).
    ok(&dir, &["eval", "report.xlsx", "-q", "-o", "again.xlsx"]);
    ok(&dir, &["eval", "again.xlsx", "-q", "-o", "third.csv"]);
    assert_eq!(dir.read("third.csv"), dir.read("first.csv"));

    // convert gives the scenario CSV back, as converting the CSV itself gives it.
    ok(&dir, &["convert", "report.xlsx", "-q", "-o", "back.csv"]);
    ok(&dir, &["convert", &input, "-q", "-o", "canonical.csv"]);
    assert_eq!(dir.read("back.csv"), dir.read("canonical.csv"));

    // --model still chooses.
    ok(
        &dir,
        &[
            "eval",
            "report.xlsx",
            "--model",
            "workbook",
            "-q",
            "-o",
            "wb.csv",
        ],
    );
    assert!(!dir.read("wb.csv").contains(",vpc-cni,"));
}

/// The XML of `part` in the xlsx at `path`, changed by `edit`.
fn edit_part(path: &Path, part: &str, edit: impl Fn(String) -> String) {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name == part {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(edit(xml).as_bytes()).unwrap();
        } else {
            out.raw_copy_file(entry).unwrap();
        }
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// Replaces cell `cell` of the Inputs sheet (the third) with the XML `new`.
fn set_input(path: &Path, cell: &str, new: &str) {
    edit_part(path, "xl/worksheets/sheet3.xml", |xml| {
        let at = xml
            .find(&format!("<c r=\"{cell}\""))
            .unwrap_or_else(|| panic!("{cell}"));
        let end = match (xml[at..].find("/>"), xml[at..].find("</c>")) {
            (Some(short), Some(long)) if short < long && !xml[at..at + short].contains('>') => {
                at + short + 2
            }
            (_, Some(long)) => at + long + 4,
            (Some(short), None) => at + short + 2,
            (None, None) => panic!("{cell} has no end"),
        };
        format!("{}{new}{}", &xml[..at], &xml[end..])
    });
}

#[test]
fn an_edited_report_run_again_gives_the_edited_scenarios_figures() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         web,10.0.0.0/24,m5.large,3,20\n\
         web,,m5.xlarge,2,30\n\
         api,24;24,m5.large,4,10\n",
    );
    dir.write(
        "edited.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         web,10.0.0.0/23,m5.large,5,25\n\
         web,,c5.2xlarge,2,30\n\
         api,22;24,m5.large,4,12\n",
    );
    eval_with_catalogs(&dir, "s.csv", "report.xlsx");
    eval_with_catalogs(&dir, "edited.csv", "expected.csv");
    // Columns C (Subnet size), D (Instance type), E (Instances), F (Pods per node).
    let report = dir.join("report.xlsx");
    for (cell, xml) in [
        ("C2", "<c r=\"C2\"><v>23</v></c>"),
        ("C3", "<c r=\"C3\"><v>23</v></c>"),
        ("E2", "<c r=\"E2\"><v>5</v></c>"),
        ("F2", "<c r=\"F2\" t=\"inlineStr\"><is><t>25</t></is></c>"),
        (
            "D3",
            "<c r=\"D3\" t=\"inlineStr\"><is><t>C5.2xlarge</t></is></c>",
        ),
        ("C4", "<c r=\"C4\"><v>22</v></c>"),
        ("F4", "<c r=\"F4\"><f>6*2</f><v>12</v></c>"),
    ] {
        set_input(&report, cell, xml);
    }
    // c5.2xlarge is not on the report's Catalog sheet: --catalog brings it.
    let mut args = vec!["eval", "report.xlsx", "-q", "-o", "again.csv"];
    let catalogs = common::fixture_catalog_args();
    args.extend(catalogs.iter().map(String::as_str));
    ok(&dir, &args);
    let expected = dir.read("expected.csv");
    assert_eq!(dir.read("again.csv"), expected);
    // The instance type typed in another case is the same type.
    ok(&dir, &["convert", "report.xlsx", "-q", "-o", "back.csv"]);
    assert!(dir.read("back.csv").contains("C5.2xlarge"));
}

#[test]
fn the_report_catalogue_is_the_bottom_layer_under_catalog() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\na,24,m5.large,3,20\n",
    );
    eval_with_catalogs(&dir, "s.csv", "report.xlsx");
    // A limits file that gives m5.large fewer addresses per ENI.
    dir.write(
        "fewer.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,6\n",
    );
    ok(
        &dir,
        &[
            "eval",
            "report.xlsx",
            "--catalog",
            "fewer.csv",
            "-q",
            "-o",
            "layered.csv",
        ],
    );
    let mut args = vec![
        "eval",
        "s.csv",
        "--model",
        "both",
        "-q",
        "-o",
        "expected.csv",
    ];
    let catalogs = common::fixture_catalog_args();
    args.extend(catalogs.iter().map(String::as_str));
    args.extend(["--catalog", "fewer.csv"]);
    ok(&dir, &args);
    assert_eq!(dir.read("layered.csv"), dir.read("expected.csv"));
    assert_ne!(dir.read("layered.csv"), {
        ok(&dir, &["eval", "report.xlsx", "-q", "-o", "own.csv"]);
        dir.read("own.csv")
    });
}

#[test]
fn a_bad_cell_is_named_by_sheet_cell_and_column() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         web,24,m5.large,3,20\n\
         web,,m5.xlarge,2,30\n",
    );
    eval_with_catalogs(&dir, "s.csv", "good.xlsx");
    let cases: [(&str, &str, &str); 6] = [
        (
            "E2",
            "<c r=\"E2\" t=\"inlineStr\"><is><t>many</t></is></c>",
            "bad.xlsx:Inputs!E2: invalid number \"many\" (expected Instances: a whole number",
        ),
        (
            "E2",
            "<c r=\"E2\" t=\"e\"><f>NA()</f><v>#N/A</v></c>",
            "bad.xlsx:Inputs!E2: the cell holds the error #N/A (expected Instances",
        ),
        (
            "F3",
            "<c r=\"F3\"><f>VLOOKUP(1,A:A,1)</f></c>",
            "bad.xlsx:Inputs!F3: the cell holds the formula =VLOOKUP(1,A:A,1) without its value",
        ),
        (
            "C3",
            "<c r=\"C3\"><v>22</v></c>",
            "bad.xlsx:Inputs!C3: invalid value \"22\" (expected Subnet size (/n) 24 as on C2",
        ),
        (
            "F2",
            "<c r=\"F2\"><v>2.5</v></c>",
            "bad.xlsx:Inputs!F2: invalid number \"2.5\" (expected Pods per node: a whole number",
        ),
        (
            "D3",
            "<c r=\"D3\" t=\"inlineStr\"><is><t>m5.lareg</t></is></c>",
            "bad.xlsx:Inputs!D3: unknown instance type \"m5.lareg\" in bad.xlsx:Catalog (did you mean m5.large",
        ),
    ];
    for (cell, xml, message) in cases {
        std::fs::copy(dir.join("good.xlsx"), dir.join("bad.xlsx")).unwrap();
        set_input(&dir.join("bad.xlsx"), cell, xml);
        let stderr = fails(&dir, &["eval", "bad.xlsx", "-q", "-o", "out.csv"]);
        assert!(stderr.contains(message), "{cell}: {stderr}");
        assert!(!dir.join("out.csv").exists());
    }
    // A blank Instances cell is a missing value, not 0.
    std::fs::copy(dir.join("good.xlsx"), dir.join("bad.xlsx")).unwrap();
    set_input(&dir.join("bad.xlsx"), "E3", "<c r=\"E3\"/>");
    let stderr = fails(&dir, &["eval", "bad.xlsx", "-q", "-o", "out.csv"]);
    assert!(
        stderr.contains("bad.xlsx:Inputs!E3: missing value (Instances:"),
        "{stderr}"
    );
}

#[test]
fn input_columns_renamed_away_are_all_named_as_missing() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\nweb,24,m5.large,3,20\n",
    );
    eval_with_catalogs(&dir, "s.csv", "bad.xlsx");
    // Instances and Pods per node renamed: columns a person added, not read.
    set_input(
        &dir.join("bad.xlsx"),
        "E1",
        "<c r=\"E1\" t=\"inlineStr\"><is><t>Colour</t></is></c>",
    );
    set_input(
        &dir.join("bad.xlsx"),
        "F1",
        "<c r=\"F1\" t=\"inlineStr\"><is><t>Shade</t></is></c>",
    );
    let stderr = fails(&dir, &["eval", "bad.xlsx", "-q", "-o", "out.csv"]);
    assert!(
        stderr.starts_with(
            "error: bad.xlsx:Inputs: missing required columns \"Instances\" and \"Pods per node\" \
             (the report's Inputs sheet has the columns Scenario, "
        ),
        "{stderr}"
    );
    assert!(!dir.join("out.csv").exists());
}

#[test]
fn a_report_in_a_directory_is_left_out_unless_named() {
    let dir = WorkDir::new();
    std::fs::create_dir_all(dir.join("d")).unwrap();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\na,24,m5.large,3,20\n",
    );
    eval_with_catalogs(&dir, "s.csv", "d/old-report.xlsx");
    // Only the report in the directory: nothing to evaluate, and a note says why.
    let out = dir
        .command()
        .args(["eval", "d", "-o", "x.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("d/old-report.xlsx: a report subnet-calc wrote; left out"),
        "{stderr}"
    );
    // Named, it is evaluated.
    ok(&dir, &["eval", "d/old-report.xlsx", "-q", "-o", "y.csv"]);
    assert!(dir.read("y.csv").contains("\na,workbook,ok,"));
}
