//! The xlsx report, read back: sheets, row counts, formulas and cached values against the engine;
//! text from inputs stays text; and LibreOffice, recalculating the report, finds every cached value
//! unchanged.

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::libreoffice::{recalculate, soffice};
use common::{WorkDir, fixture};
use serde_json::Value;

fn fixture_catalogs() -> Vec<PathBuf> {
    common::FIXTURE_CATALOGS
        .iter()
        .map(|name| fixture(name))
        .collect()
}

/// Runs eval on the fixtures with both models, to `out` (any format).
fn eval_fixtures(dir: &WorkDir, out: &str) {
    let mut cmd = dir.command();
    cmd.arg("eval").arg(fixture("scenarios.csv"));
    for c in fixture_catalogs() {
        cmd.arg("--catalog").arg(c);
    }
    let status = cmd.args(["--model", "both", "-o", out]).output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap()
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    }
}

#[test]
fn the_report_has_its_sheets_rows_formulas_and_the_engines_values() {
    let dir = WorkDir::new();
    eval_fixtures(&dir, "report.xlsx");
    eval_fixtures(&dir, "engine.json");
    let engine: Value = serde_json::from_str(&dir.read("engine.json")).unwrap();
    let evaluations = engine["scenarios"].as_array().unwrap();

    let mut book = open(&dir.join("report.xlsx"));
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Outputs",
            "Inputs",
            "Workbook model",
            "VPC CNI model",
            "Subnets",
            "Catalog"
        ]
    );

    // Subnets: one row per node and pod subnet of each vpc-cni evaluation, as in the JSON.
    let subnets = book.worksheet_range("Subnets").unwrap();
    let expected: Vec<&Value> = evaluations
        .iter()
        .filter(|e| e["model"] == "vpc-cni")
        .flat_map(|e| e["subnets"].as_array().unwrap())
        .collect();
    assert_eq!(subnets.height(), 1 + expected.len());
    for (r, u) in expected.iter().enumerate() {
        let row = r as u32 + 1;
        assert_eq!(
            subnets.get_value((row, 1)),
            Some(&Data::String(u["subnet"].as_str().unwrap().into()))
        );
        for (col, key) in [
            (3, "nodes"),
            (4, "ips"),
            (5, "used_ips"),
            (6, "remaining_ips"),
        ] {
            assert_eq!(
                subnets.get_value((row, col)).and_then(number),
                u[key].as_f64(),
                "subnet row {row} {key}"
            );
        }
    }
    let pod_subnet = (1..subnets.height() as u32)
        .find(|&r| subnets.get_value((r, 2)) == Some(&Data::String("pod".into())))
        .expect("custom-net's pod subnet");
    assert_eq!(
        subnets.get_value((pod_subnet, 1)),
        Some(&Data::String("100.64.0.0/19".into()))
    );

    let inputs = book.worksheet_range("Inputs").unwrap();
    assert_eq!(
        inputs.height(),
        1 + 13,
        "a header and one row per node group"
    );
    assert_eq!(
        inputs.get_value((1, 0)),
        Some(&Data::String("legacy-defaults".into()))
    );
    assert_eq!(
        inputs.get_value((1, 14)),
        Some(&Data::String("m5.12xlarge".into()))
    );

    let outputs = book.worksheet_range("Outputs").unwrap();
    let formulas = book.worksheet_formula("Outputs").unwrap();
    assert_eq!(outputs.height(), 1 + evaluations.len());
    for (i, e) in evaluations.iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(
            outputs.get_value((row, 0)),
            Some(&Data::String(e["scenario"].as_str().unwrap().into()))
        );
        assert_eq!(
            outputs.get_value((row, 1)),
            Some(&Data::String(e["model"].as_str().unwrap().into()))
        );
        assert_eq!(
            outputs.get_value((row, 2)),
            Some(&Data::String(e["status"].as_str().unwrap().into()))
        );
        for (col, key) in [
            (3, "subnet_ips"),
            (4, "used_ips"),
            (5, "remaining_ips"),
            (7, "pods"),
        ] {
            let cached = outputs.get_value((row, col)).and_then(number);
            assert_eq!(
                cached,
                e[key].as_f64(),
                "{} {} {key}",
                e["scenario"],
                e["model"]
            );
        }
        if e["status"] == "ok" {
            let used = formulas.get_value((row, 4)).cloned().unwrap_or_default();
            assert!(used.starts_with("SUM("), "used IPs is a live sum: {used:?}");
            assert_eq!(
                formulas.get_value((row, 5)).cloned().unwrap_or_default(),
                format!("D{}-E{}", row + 1, row + 1)
            );
        }
    }

    let wb = book.worksheet_range("Workbook model").unwrap();
    let wb_formulas = book.worksheet_formula("Workbook model").unwrap();
    let wb_rows: usize = evaluations
        .iter()
        .filter(|e| e["model"] == "workbook")
        .map(|e| e["node_groups"].as_array().unwrap().len())
        .sum();
    assert_eq!(wb.height(), 1 + wb_rows);
    // legacy-defaults, m5.12xlarge on WarmENI: 5 ENIs, 152 per node, 304 in all.
    assert_eq!(wb.get_value((1, 15)).and_then(number), Some(5.0));
    assert_eq!(wb.get_value((1, 17)).and_then(number), Some(152.0));
    assert_eq!(wb.get_value((1, 19)).and_then(number), Some(304.0));
    let lookup = wb_formulas.get_value((1, 8)).cloned().unwrap_or_default();
    assert!(
        lookup.starts_with("INDEX(Catalog!$C:$C,MATCH($D2,Catalog!$A:$A,0))"),
        "{lookup:?}"
    );
    assert_eq!(
        wb_formulas.get_value((1, 13)).cloned().unwrap_or_default(),
        "ROUNDUP(F2/J2,0)"
    );

    let vpc = book.worksheet_range("VPC CNI model").unwrap();
    assert_eq!(vpc.height(), 1 + 13);
    // Every vpc-cni node group, in order, against the engine's JSON.
    let vpc_groups: Vec<&Value> = evaluations
        .iter()
        .filter(|e| e["model"] == "vpc-cni")
        .flat_map(|e| e["node_groups"].as_array().unwrap())
        .collect();
    assert_eq!(vpc_groups.len(), 13);
    let header = |name: &str| -> u32 {
        (0..vpc.width() as u32)
            .find(|&c| vpc.get_value((0, c)) == Some(&Data::String(name.into())))
            .unwrap_or_else(|| panic!("no column {name:?} on the VPC CNI model sheet"))
    };
    for (r, g) in vpc_groups.iter().enumerate() {
        let row = r as u32 + 1;
        assert_eq!(
            vpc.get_value((row, header("max pods from"))),
            Some(&Data::String(g["max_pods_source"].as_str().unwrap().into())),
            "row {row}"
        );
        for (name, key) in [
            ("max pods (MP)", "max_pods"),
            ("ENIs per node", "enis_per_node"),
            ("prefixes per node", "prefixes_per_node"),
            ("pod IPs held per node", "pod_ips_per_node"),
            ("active IPs (pool pods served)", "active_ips_per_node"),
            ("warm (unused) IPs", "unused_ips_per_node"),
            ("active ENIs", "active_enis_per_node"),
            ("warm ENIs", "warm_enis_per_node"),
            ("trunk ENIs per node", "trunk_enis_per_node"),
            ("branch ENI pods per node", "branch_eni_pods_per_node"),
            (
                "branch ENI pods pending per node",
                "branch_eni_pods_pending_per_node",
            ),
            ("pods without IP per node", "pods_without_ip_per_node"),
            ("node subnet IPs per node", "node_subnet_ips_per_node"),
            ("pod subnet IPs per node", "pod_subnet_ips_per_node"),
            ("subnet IPs per node", "ips_per_node"),
            ("IPs total", "ips_total"),
            ("node subnet IPs total", "node_subnet_ips_total"),
            ("pods served total", "pods_total"),
        ] {
            let col = header(name);
            assert_eq!(
                vpc.get_value((row, col)).and_then(number),
                g[key].as_f64(),
                "row {row} {key}"
            );
        }
    }
    // al2-metal's max pods come from eni-max-pods (m5.metal 737), by a live formula.
    let al2 = (1..vpc.height() as u32)
        .find(|&r| vpc.get_value((r, 0)) == Some(&Data::String("al2-metal".into())))
        .expect("the al2-metal row");
    assert_eq!(
        vpc.get_value((al2, header("max pods (MP)")))
            .and_then(number),
        Some(737.0)
    );
    assert_eq!(
        vpc.get_value((al2, header("max pods from"))),
        Some(&Data::String("table".into()))
    );
    // The closed form is in cells: pool CIDRs and the ENIs that hold them.
    let vpc_formulas = book.worksheet_formula("VPC CNI model").unwrap();
    for name in ["max pods (MP)", "max pods from"] {
        let formula = vpc_formulas
            .get_value((al2, header(name)))
            .cloned()
            .unwrap_or_default();
        assert!(formula.contains("=\"table\""), "{name}: {formula}");
    }
    let cidrs = vpc_formulas.get_value((1, 26)).cloned().unwrap_or_default();
    assert!(
        cidrs.starts_with("IF(Q2=0,0,IF(AND(N2=1,I2=0,J2=0),MIN(Z2,V2,ROUNDUP(S2/Q2,0)*Q2)"),
        "{cidrs:?}"
    );
    assert_eq!(
        vpc_formulas.get_value((1, 28)).cloned().unwrap_or_default(),
        "IF(L2=1,1+AB2,MAX(1,AB2))"
    );

    let catalog = book.worksheet_range("Catalog").unwrap();
    let types: Vec<String> = (1..catalog.height() as u32)
        .map(|r| catalog.get_value((r, 1)).unwrap().to_string())
        .collect();
    assert!(
        types.contains(&"m5.12xlarge".to_owned()) && types.contains(&"m4.large".to_owned()),
        "{types:?}"
    );
    assert!(
        !types.contains(&"p4d.24xlarge".to_owned()),
        "only the types used"
    );

    // No function LibreOffice 7 or Excel 2010 lacks.
    for sheet in ["Summary", "Outputs", "Workbook model", "VPC CNI model"] {
        let f = book.worksheet_formula(sheet).unwrap();
        for cell in f.used_cells() {
            assert!(
                !cell.2.contains("XLOOKUP") && !cell.2.contains("CEILING.MATH"),
                "{sheet}: {}",
                cell.2
            );
        }
    }
}

#[test]
fn text_from_the_inputs_is_never_a_formula() {
    let dir = WorkDir::new();
    dir.write(
        "limits.csv",
        "instance_type,eni_limit,ipv4_per_eni\n=m5.large,3,10\n@evil,3,10\n",
    );
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\"=HYPERLINK(\"\"x\"\")\",24,=m5.large,1,5\n+1-2,24,@evil,1,5\n-cmd,24,=m5.large,1,5\n",
    );
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
            "r.xlsx",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut book = open(&dir.join("r.xlsx"));
    let inputs = book.worksheet_range("Inputs").unwrap();
    let formulas = book.worksheet_formula("Inputs").unwrap();
    assert_eq!(
        inputs.get_value((1, 0)),
        Some(&Data::String("=HYPERLINK(\"x\")".into()))
    );
    assert_eq!(inputs.get_value((2, 0)), Some(&Data::String("+1-2".into())));
    assert_eq!(inputs.get_value((3, 0)), Some(&Data::String("-cmd".into())));
    assert_eq!(
        inputs.get_value((2, 14)),
        Some(&Data::String("@evil".into()))
    );
    assert!(
        formulas.used_cells().next().is_none(),
        "Inputs holds no formula"
    );
    let outputs = book.worksheet_range("Outputs").unwrap();
    assert_eq!(
        outputs.get_value((1, 0)),
        Some(&Data::String("=HYPERLINK(\"x\")".into()))
    );
    let out_formulas = book.worksheet_formula("Outputs").unwrap();
    assert!(out_formulas.get_value((1, 0)).is_none_or(|f| f.is_empty()));
}

#[test]
fn past_excels_row_limit_the_report_is_refused_with_a_hint() {
    let e = subnet_calc::write::report_xlsx::check_rows(1_048_576, 10)
        .unwrap_err()
        .to_string();
    assert!(e.contains("1048576 rows") && e.contains("write CSV"), "{e}");
    subnet_calc::write::report_xlsx::check_rows(1_048_575, 1_048_575).unwrap();
}

/// Every cell of every sheet of `a`, compared with `b`; returns the differences.
fn differences(a: &Path, b: &Path) -> (usize, Vec<String>) {
    let (mut x, mut y) = (open(a), open(b));
    let mut diffs = Vec::new();
    let mut compared = 0;
    for sheet in x.sheet_names() {
        let (ra, rb) = (
            x.worksheet_range(&sheet).unwrap(),
            y.worksheet_range(&sheet).unwrap(),
        );
        for (r, c, va) in ra.used_cells() {
            let (row, col) = (
                r as u32 + ra.start().unwrap().0,
                c as u32 + ra.start().unwrap().1,
            );
            let vb = rb.get_value((row, col)).cloned().unwrap_or(Data::Empty);
            compared += 1;
            let same = match (number(va), number(&vb)) {
                (Some(p), Some(q)) => p == q || (p - q).abs() <= 1e-9 * p.abs().max(q.abs()),
                _ => match (va, &vb) {
                    (Data::String(s), Data::Empty) | (Data::Empty, Data::String(s)) => s.is_empty(),
                    (Data::DateTime(_), _) => true, // the generation date: LibreOffice rewrites its type
                    _ => va == &vb,
                },
            };
            if !same {
                diffs.push(format!(
                    "{sheet}!{}: {va:?} became {vb:?}",
                    subnet_calc::error::cell_name(row, col)
                ));
            }
        }
    }
    (compared, diffs)
}

#[test]
fn libreoffice_recalculates_every_cached_value_unchanged() {
    let Some(soffice) = soffice() else { return };
    let dir = WorkDir::new();

    // First, prove that the recalculation really happens: a formula with a wrong cached value.
    let control = dir.join("control.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .write_formula(0, 0, rust_xlsxwriter::Formula::new("=1+1").set_result("3"))
        .unwrap();
    wb.save(&control).unwrap();
    let out_dir = dir.join("recalculated");
    std::fs::create_dir_all(&out_dir).unwrap();
    let recalculated = recalculate(&soffice, &dir, &control, &out_dir);
    let (_, diffs) = differences(&control, &recalculated);
    assert_eq!(
        diffs.len(),
        1,
        "LibreOffice must replace the wrong cached 3 by 2: {diffs:?}"
    );

    eval_fixtures(&dir, "report.xlsx");
    let recalculated = recalculate(&soffice, &dir, &dir.join("report.xlsx"), &out_dir);
    let (compared, diffs) = differences(&dir.join("report.xlsx"), &recalculated);
    assert!(compared > 500, "compared only {compared} cells");
    assert!(
        diffs.is_empty(),
        "{} cells changed when LibreOffice recalculated:\n{}",
        diffs.len(),
        diffs.join("\n")
    );

    // Every mode and edge case of the vpc-cni closed form, written as formulas.
    dir.write("modes.csv", modes_csv(true));
    let mut cmd = dir.command();
    cmd.args(["eval", "modes.csv", "--model", "both", "-o", "modes.xlsx"]);
    for c in fixture_catalogs() {
        cmd.arg("--catalog").arg(c);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recalculated = recalculate(&soffice, &dir, &dir.join("modes.xlsx"), &out_dir);
    let (compared, diffs) = differences(&dir.join("modes.xlsx"), &recalculated);
    assert!(compared > 20_000, "compared only {compared} cells");
    assert!(
        diffs.is_empty(),
        "{} cells changed when LibreOffice recalculated:\n{}",
        diffs.len(),
        diffs.join("\n")
    );

    // A limits CSV that gives vCPUs but no hypervisor: the engine takes the types for Nitro, and
    // so must the max-pods formula.
    dir.write(
        "vcpus-only.csv",
        "instance_type,eni_limit,ipv4_per_eni,vcpus\nt3.small,3,4,2\nm5.large,3,10,2\nm5.12xlarge,8,30,48\nm4.large,2,10,2\nm5.metal,15,50,96\n",
    );
    // Without max pods in that catalogue, the calculator rule only.
    dir.write("modes.csv", modes_csv(false));
    let out = dir
        .command()
        .args([
            "eval",
            "modes.csv",
            "--model",
            "vpc-cni",
            "-o",
            "vcpus-only.xlsx",
            "--catalog",
            "vcpus-only.csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = dir.join("vcpus-only.xlsx");
    let recalculated = recalculate(&soffice, &dir, &written, &out_dir);
    let (_, diffs) = differences(&written, &recalculated);
    assert!(
        diffs.is_empty(),
        "{} cells changed when LibreOffice recalculated:\n{}",
        diffs.len(),
        diffs.join("\n")
    );

    // A catalogue without max pods: the workbook model's max pods are #N/A, as in the legacy sheet.
    let mut cmd = dir.command();
    cmd.args([
        "eval",
        "modes.csv",
        "--model",
        "both",
        "-o",
        "no-max-pods.xlsx",
    ]);
    for c in &fixture_catalogs()[..2] {
        cmd.arg("--catalog").arg(c);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = dir.join("no-max-pods.xlsx");
    let max_pods = open(&written)
        .worksheet_range("Workbook model")
        .unwrap()
        .get_value((1, 10))
        .cloned();
    assert_eq!(
        max_pods,
        Some(Data::Error(calamine::CellErrorType::NA)),
        "cached #N/A, not 0"
    );
    let recalculated = recalculate(&soffice, &dir, &written, &out_dir);
    let (compared, diffs) = differences(&written, &recalculated);
    assert!(compared > 20_000, "compared only {compared} cells");
    assert!(
        diffs.is_empty(),
        "{} cells changed when LibreOffice recalculated:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// Scenarios over every setting combination the closed form distinguishes, on types with small
/// and large ENIs, a Xen type (prefix delegation falls back) and a bare-metal one, at pod counts
/// around the ENI and prefix boundaries; with `max_pods_rule` table on every fifth scenario when
/// `table` (the catalogue has max pods).
fn modes_csv(table: bool) -> String {
    let mut csv = String::from(
        "scenario,subnet_cidr,warm_eni_target,warm_ip_target,minimum_ip_target,warm_prefix_target,prefix_delegation,\
         custom_networking,pod_subnet_cidr,ip_family,security_groups_for_pods,host_networking_ips,daemonset_pods,\
         instance_type,instances,pods_per_node,max_pods,branch_eni_pods,max_eni,max_pods_rule\n",
    );
    // warm_eni, warm_ip, min_ip, warm_prefix, prefix delegation, custom networking, ip family,
    // security groups for pods, max_pods, branch pods
    type Variant = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        bool,
        bool,
        &'static str,
        bool,
        &'static str,
        u32,
    );
    let variants: &[Variant] = &[
        ("", "", "", "", false, false, "ipv4", false, "", 0),
        ("0", "", "", "", false, false, "ipv4", false, "", 0),
        ("2", "", "", "", false, false, "ipv4", false, "", 0),
        ("", "3", "", "", false, false, "ipv4", false, "", 0),
        ("", "0", "20", "", false, false, "ipv4", false, "", 0),
        ("1", "2", "10", "", false, false, "ipv4", false, "", 0),
        ("", "", "", "", true, false, "ipv4", false, "", 0),
        ("", "", "", "0", true, false, "ipv4", false, "", 0),
        ("", "", "", "3", true, false, "ipv4", false, "", 0),
        ("", "5", "10", "", true, false, "ipv4", false, "", 0),
        ("", "", "20", "", true, false, "ipv4", false, "", 0),
        ("", "", "", "", true, false, "ipv4", false, "29", 0),
        ("1", "", "", "", false, true, "ipv4", false, "", 0),
        ("0", "", "", "", false, true, "ipv4", false, "", 0),
        ("", "", "", "1", true, true, "ipv4", false, "", 0),
        ("", "", "", "", false, false, "ipv4", false, "7", 0),
        ("", "", "", "", false, false, "ipv6", false, "", 0),
        ("", "", "", "", false, false, "ipv4", true, "", 3),
        ("", "", "", "", false, false, "ipv4", false, "", 2),
    ];
    let types = [
        "t3.small",
        "m5.large",
        "m5.12xlarge",
        "m4.large",
        "m5.metal",
    ];
    let pods = [0u32, 1, 9, 16, 17, 30, 58, 120];
    let mut n = 0;
    for (v, (weni, wip, mip, wpfx, pd, cn, family, sgp, max_pods, branch)) in
        variants.iter().enumerate()
    {
        for t in types {
            for p in pods {
                let pod_subnet = if *cn { "100.64.0.0/16" } else { "" };
                let (host, daemonset, instances) = (n % 3, n % 4, 1 + n % 5);
                // Mostly /22; every so often a subnet too small to hold anything, down to /32.
                let subnet = [22, 22, 22, 28, 29, 30, 31, 32][n % 8];
                // MAX_ENI on every seventh scenario: 2 lowers most limits, 0 is ignored.
                let max_eni = match n % 7 {
                    0 => "2",
                    3 => "0",
                    _ => "",
                };
                // The catalogue's max pods (eni-max-pods) on every fifth scenario.
                let rule = match n % 5 {
                    0 if table => "table",
                    2 => "calculator",
                    _ => "",
                };
                csv.push_str(&format!(
                    "v{v}-{t}-{p},{subnet},{weni},{wip},{mip},{wpfx},{pd},{cn},{pod_subnet},{family},{sgp},{host},{daemonset},\
                     {t},{instances},{p},{max_pods},{branch},{max_eni},{rule}\n"
                ));
                n += 1;
            }
        }
    }
    csv
}

/// Replaces the number in `cell` of the worksheet part `part` (e.g. `xl/worksheets/sheet3.xml`).
fn set_number(path: &Path, part: &str, cell: &str, value: u32) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name == part {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            let at = xml
                .find(&format!("<c r=\"{cell}\""))
                .unwrap_or_else(|| panic!("{cell} in {part}"));
            let v = at + xml[at..].find("<v>").unwrap() + 3;
            let end = v + xml[v..].find("</v>").unwrap();
            xml.replace_range(v..end, &value.to_string());
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(xml.as_bytes()).unwrap();
        } else {
            out.raw_copy_file(entry).unwrap();
        }
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn changing_an_input_in_a_spreadsheet_app_moves_the_outputs_to_the_engines_values() {
    let Some(soffice) = soffice() else { return };
    let dir = WorkDir::new();
    let csv = |pods: [u32; 3]| {
        format!(
            "scenario,subnet_cidr,warm_ip_target,minimum_ip_target,prefix_delegation,daemonset_pods,instance_type,instances,pods_per_node\n\
             eni,24,,,,2,m5.large,3,{}\n\
             ip,24,3,10,,2,m5.xlarge,2,{}\n\
             prefix,22,,,true,2,m5.2xlarge,4,{}\n",
            pods[0], pods[1], pods[2]
        )
    };
    let catalogs: Vec<String> = fixture_catalogs()
        .iter()
        .flat_map(|c| ["--catalog".to_owned(), c.display().to_string()])
        .collect();
    let run = |input: &str, output: &str| {
        let out = dir
            .command()
            .args(["eval", input, "--model", "both", "-o", output])
            .args(&catalogs)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    dir.write("before.csv", csv([20, 10, 50]));
    dir.write("after.csv", csv([25, 40, 90]));
    run("before.csv", "report.xlsx");
    run("after.csv", "after.json");
    assert_eq!(open(&dir.join("report.xlsx")).sheet_names()[2], "Inputs");

    // A user types new pod counts into the Inputs sheet (column Q, rows 2 to 4).
    for (row, pods) in [(2, 25), (3, 40), (4, 90)] {
        set_number(
            &dir.join("report.xlsx"),
            "xl/worksheets/sheet3.xml",
            &format!("Q{row}"),
            pods,
        );
    }
    let out_dir = dir.join("recalculated");
    std::fs::create_dir_all(&out_dir).unwrap();
    let recalculated = recalculate(&soffice, &dir, &dir.join("report.xlsx"), &out_dir);

    let engine: Value = serde_json::from_str(&dir.read("after.json")).unwrap();
    let mut book = open(&recalculated);
    let outputs = book.worksheet_range("Outputs").unwrap();
    let evaluations = engine["scenarios"].as_array().unwrap();
    assert_eq!(evaluations.len(), 6);
    for (i, e) in evaluations.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, key) in [(4, "used_ips"), (5, "remaining_ips"), (7, "pods")] {
            let got = outputs.get_value((row, col)).and_then(number);
            assert_eq!(
                got,
                e[key].as_f64(),
                "{} {} {key} after the change",
                e["scenario"],
                e["model"]
            );
        }
    }
    // The figures did move: the WARM_IP_TARGET scenario's vpc-cni addresses grew with its pods
    // (and so did the ones the engine gives for the new input).
    let before: f64 = open(&dir.join("report.xlsx"))
        .worksheet_range("Outputs")
        .unwrap()
        .get_value((4, 4))
        .and_then(number)
        .unwrap();
    assert!(outputs.get_value((4, 4)).and_then(number).unwrap() > before);
    let vpc = book.worksheet_range("VPC CNI model").unwrap();
    let groups: Vec<&Value> = evaluations
        .iter()
        .filter(|e| e["model"] == "vpc-cni")
        .map(|e| &e["node_groups"][0])
        .collect();
    for (r, g) in groups.iter().enumerate() {
        let row = r as u32 + 1;
        for (col, key) in [
            (28, "enis_per_node"),
            (29, "prefixes_per_node"),
            (30, "pod_ips_per_node"),
            (39, "ips_per_node"),
        ] {
            assert_eq!(
                vpc.get_value((row, col)).and_then(number),
                g[key].as_f64(),
                "row {row} {key}"
            );
        }
    }
}
