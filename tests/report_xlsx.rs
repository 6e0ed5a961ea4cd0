//! The xlsx report, read back: sheets, row counts, formulas and cached values against the engine;
//! text from inputs stays text; and LibreOffice, recalculating the report, finds every cached value
//! unchanged.

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::libreoffice::{recalculate, soffice};
use common::{WorkDir, fixture, number};
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

/// The 0-based column of the header `name` in row `header_row` of `range`.
fn column(range: &calamine::Range<Data>, header_row: u32, name: &str) -> u32 {
    (0..range.width() as u32)
        .find(|&c| range.get_value((header_row, c)) == Some(&Data::String(name.into())))
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

/// The column letters of a 0-based column.
fn letters(c: u32) -> String {
    subnet_calc::text::column_letters(c)
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
            "Warnings",
            "Catalog",
            "Subnet sizes"
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
    let subnet_col = column(&subnets, 0, "Subnet");
    for (r, u) in expected.iter().enumerate() {
        let row = r as u32 + 1;
        assert_eq!(
            subnets.get_value((row, subnet_col)),
            Some(&Data::String(u["subnet"].as_str().unwrap().into()))
        );
        for (name, key) in [
            ("Nodes", "nodes"),
            ("Usable IPs", "ips"),
            ("Used IPs", "used_ips"),
            ("Remaining IPs", "remaining_ips"),
            ("Smallest subnet (/n)", "min_prefix"),
        ] {
            assert_eq!(
                number(subnets.get_value((row, column(&subnets, 0, name)))),
                u[key].as_f64(),
                "subnet row {row} {key}"
            );
        }
    }
    let role = column(&subnets, 0, "Role");
    let pod_subnet = (1..subnets.height() as u32)
        .find(|&r| subnets.get_value((r, role)) == Some(&Data::String("pod".into())))
        .expect("custom-net's pod subnet");
    assert_eq!(
        subnets.get_value((pod_subnet, subnet_col)),
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
        inputs.get_value((1, column(&inputs, 0, "Instance type"))),
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
        for (name, key) in [
            ("Subnet IPs", "subnet_ips"),
            ("Used IPs", "used_ips"),
            ("Remaining IPs", "remaining_ips"),
            ("Pods", "pods"),
            ("Smallest subnet (/n)", "min_subnet_prefix"),
            ("Room for more nodes", "headroom_nodes"),
            ("Smallest pod subnet (/n)", "pod_subnet_min_prefix"),
        ] {
            let col = column(&outputs, 0, name);
            let cached = number(outputs.get_value((row, col)));
            assert_eq!(
                cached,
                e[key].as_f64(),
                "{} {} {key}",
                e["scenario"],
                e["model"]
            );
        }
        if e["status"] == "ok" {
            let (used, remaining) = (
                column(&outputs, 0, "Used IPs"),
                column(&outputs, 0, "Remaining IPs"),
            );
            let sum = formulas.get_value((row, used)).cloned().unwrap_or_default();
            assert!(sum.starts_with("SUM("), "used IPs is a live sum: {sum:?}");
            assert_eq!(
                formulas
                    .get_value((row, remaining))
                    .cloned()
                    .unwrap_or_default(),
                format!(
                    "{}{}-{}{}",
                    letters(column(&outputs, 0, "Subnet IPs")),
                    row + 1,
                    letters(used),
                    row + 1
                )
            );
            // The smallest subnet and the headroom are live too.
            for name in ["Smallest subnet (/n)", "Room for more nodes"] {
                let f = formulas
                    .get_value((row, column(&outputs, 0, name)))
                    .cloned()
                    .unwrap_or_default();
                assert!(
                    !f.is_empty(),
                    "{} {}: {name} is a formula",
                    e["scenario"],
                    e["model"]
                );
            }
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
    let wcol = |name: &str| column(&wb, 0, name);
    assert_eq!(number(wb.get_value((1, wcol("ENIs per node")))), Some(5.0));
    assert_eq!(
        number(wb.get_value((1, wcol("Used IPs per node")))),
        Some(152.0)
    );
    assert_eq!(number(wb.get_value((1, wcol("IPs total")))), Some(304.0));
    let lookup = wb_formulas
        .get_value((1, wcol("Max ENIs")))
        .cloned()
        .unwrap_or_default();
    assert!(
        lookup.starts_with("INDEX(Catalog!$C:$C,MATCH($D2,Catalog!$A:$A,0))"),
        "{lookup:?}"
    );
    assert_eq!(
        wb_formulas
            .get_value((1, wcol("ENIs in use")))
            .cloned()
            .unwrap_or_default(),
        format!(
            "ROUNDUP({}2/{}2,0)",
            letters(wcol("Pods per node")),
            letters(wcol("IPs per ENI"))
        )
    );

    let vpc = book.worksheet_range("VPC CNI model").unwrap();
    assert_eq!(
        vpc.height(),
        2 + 13,
        "a header band, the header and one row per node group"
    );
    // Every vpc-cni node group, in order, against the engine's JSON.
    let vpc_groups: Vec<&Value> = evaluations
        .iter()
        .filter(|e| e["model"] == "vpc-cni")
        .flat_map(|e| e["node_groups"].as_array().unwrap())
        .collect();
    assert_eq!(vpc_groups.len(), 13);
    let header = |name: &str| column(&vpc, 1, name);
    for (r, g) in vpc_groups.iter().enumerate() {
        let row = r as u32 + 2;
        assert_eq!(
            vpc.get_value((row, header("Max pods from"))),
            Some(&Data::String(g["max_pods_source"].as_str().unwrap().into())),
            "row {row}"
        );
        for (name, key) in [
            ("Max pods (MP)", "max_pods"),
            ("ENIs per node", "enis_per_node"),
            ("Prefixes per node", "prefixes_per_node"),
            ("Pod IPs held per node", "pod_ips_per_node"),
            ("Pods with an IP per node", "active_ips_per_node"),
            ("Warm (unused) IPs per node", "unused_ips_per_node"),
            ("Active ENIs", "active_enis_per_node"),
            ("Warm ENIs", "warm_enis_per_node"),
            ("Trunk ENIs per node", "trunk_enis_per_node"),
            ("Branch ENI pods per node", "branch_eni_pods_per_node"),
            (
                "Branch ENI pods pending per node",
                "branch_eni_pods_pending_per_node",
            ),
            ("Pods without IP per node", "pods_without_ip_per_node"),
            ("Node subnet IPs per node", "node_subnet_ips_per_node"),
            ("Pod subnet IPs per node", "pod_subnet_ips_per_node"),
            ("Subnet IPs per node", "ips_per_node"),
            ("IPs total", "ips_total"),
            ("Node subnet IPs total", "node_subnet_ips_total"),
            ("Pods served total", "pods_total"),
        ] {
            let col = header(name);
            assert_eq!(
                number(vpc.get_value((row, col))),
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
        number(vpc.get_value((al2, header("Max pods (MP)")))),
        Some(737.0)
    );
    assert_eq!(
        vpc.get_value((al2, header("Max pods from"))),
        Some(&Data::String("table".into()))
    );
    // The closed form is in cells: pool CIDRs and the ENIs that hold them.
    let vpc_formulas = book.worksheet_formula("VPC CNI model").unwrap();
    for name in ["Max pods (MP)", "Max pods from"] {
        let formula = vpc_formulas
            .get_value((al2, header(name)))
            .cloned()
            .unwrap_or_default();
        assert!(formula.contains("=\"table\""), "{name}: {formula}");
    }
    let f_at = |name: &str| {
        vpc_formulas
            .get_value((2, header(name)))
            .cloned()
            .unwrap_or_default()
    };
    let cidrs = f_at("Pool CIDRs held (C)");
    assert!(
        cidrs.starts_with("IF(Q3=0,0,IF(AND(N3=1,I3=0,J3=0),MIN(Z3,V3,ROUNDUP(S3/Q3,0)*Q3)"),
        "{cidrs:?}"
    );
    assert_eq!(f_at("ENIs per node"), "IF(L3=1,1+AB3,MAX(1,AB3))");

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
    for sheet in [
        "Summary",
        "Outputs",
        "Workbook model",
        "VPC CNI model",
        "Subnets",
    ] {
        let f = book.worksheet_formula(sheet).unwrap();
        for cell in f.used_cells() {
            assert!(
                [
                    "XLOOKUP",
                    "CEILING.MATH",
                    "LOG",
                    "MAXIFS",
                    "LET(",
                    "FILTER(",
                    "SORT("
                ]
                .iter()
                .all(|name| !cell.2.contains(name)),
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
        inputs.get_value((2, column(&inputs, 0, "Instance type"))),
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
    let e = subnet_calc::write::xlsx_report::check_rows(1_048_576, 10)
        .unwrap_err()
        .to_string();
    assert!(e.contains("1048576 rows") && e.contains("write CSV"), "{e}");
    subnet_calc::write::xlsx_report::check_rows(1_048_575, 1_048_575).unwrap();
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
            let same = match (number(Some(va)), number(Some(&vb))) {
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
                    subnet_calc::text::cell_name(row, col)
                ));
            }
        }
    }
    (compared, diffs)
}

#[test]
#[cfg_attr(no_libreoffice, ignore = "needs LibreOffice (soffice on PATH)")]
fn libreoffice_recalculates_every_cached_value_unchanged() {
    let soffice = soffice();
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

    // A limits CSV that gives vCPUs but no hypervisor (alone, without the built-in data that
    // would give it): the engine takes the types for not Nitro, and so must the max-pods formula.
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
            "--no-builtin-catalog",
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

    // A catalogue without max pods (the built-in data left out): the workbook model's max pods
    // are #N/A, as in the legacy sheet.
    let mut cmd = dir.command();
    cmd.args([
        "eval",
        "modes.csv",
        "--model",
        "both",
        "-o",
        "no-max-pods.xlsx",
        "--no-builtin-catalog",
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
    // Subnet lists and pod subnets, one of them short while the total is not; a list with a
    // subnet of no usable address; prefix delegation short of /28 blocks, not of addresses.
    for (id, subnets, pd, pod_subnets, instances, pods) in [
        (
            "list-short",
            "10.1.0.0/28;10.1.4.0/22;10.1.8.0/22",
            false,
            "",
            6,
            25,
        ),
        (
            "list-fits",
            "10.1.0.0/25;10.1.4.0/22;10.1.8.0/22",
            false,
            "",
            6,
            25,
        ),
        ("list-void", "10.1.0.0/32;10.1.4.0/22", false, "", 3, 20),
        (
            "pods-short",
            "10.0.9.0/24",
            false,
            "100.64.0.0/26;100.64.1.0/24",
            6,
            150,
        ),
        ("blocks-short", "24", true, "", 1, 200),
        ("blocks-list", "10.2.0.0/24;10.2.4.0/22", true, "", 3, 100),
    ] {
        let cn = !pod_subnets.is_empty();
        csv.push_str(&format!(
            "{id},{subnets},,,,,{pd},{cn},{pod_subnets},ipv4,false,2,3,m5.12xlarge,{instances},{pods},,0,,\n"
        ));
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

/// Node groups of the edit test: scenario-level columns, then instance type, instances and pods
/// per node.
const EDITED: [(&str, &str, u32, u32); 10] = [
    ("eni,24,,,,,,,2", "m5.large", 3, 20),
    ("eni,,,,,,,,", "c5.2xlarge", 2, 30),
    ("ip,24,,3,10,,,,2", "m5.xlarge", 2, 10),
    ("prefix,22,,,,true,,,2", "m5.2xlarge", 4, 50),
    ("azs,24;24;24,,,,,,,1", "m5.large", 7, 20),
    ("azs,,,,,,,,", "m5.xlarge", 4, 30),
    (
        "cn,24,,,,,true,100.64.0.0/22;100.64.4.0/22,1",
        "m5.xlarge",
        5,
        40,
    ),
    ("pdlist,23;23,,,,true,,,1", "m5.2xlarge", 5, 60),
    ("wb,23,1,,,,,,0", "m5.large", 6, 20),
    ("wb,,,,,,,,", "m5.xlarge", 3, 25),
];

/// The edit test's CSV, with row `r`'s instances, pods per node and first subnet size replaced
/// where `edits` says.
fn edited_csv(edits: &[(usize, u32, u32, Option<u8>)]) -> String {
    let mut csv = String::from(
        "scenario,subnet_cidr,warm_eni_target,warm_ip_target,minimum_ip_target,prefix_delegation,\
         custom_networking,pod_subnet_cidr,daemonset_pods,instance_type,instances,pods_per_node\n",
    );
    for (r, (head, t, instances, pods)) in EDITED.iter().enumerate() {
        let mut head = head.to_string();
        let (mut instances, mut pods) = (*instances, *pods);
        if let Some(&(_, i, p, size)) = edits.iter().find(|e| e.0 == r) {
            (instances, pods) = (i, p);
            if let Some(n) = size {
                let fields: Vec<&str> = head.split(',').collect();
                let mut subnets: Vec<String> = fields[1].split(';').map(str::to_owned).collect();
                subnets[0] = n.to_string();
                let mut fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
                fields[1] = subnets.join(";");
                head = fields.join(",");
            }
        }
        csv.push_str(&format!("{head},{t},{instances},{pods}\n"));
    }
    csv
}

#[test]
#[cfg_attr(no_libreoffice, ignore = "needs LibreOffice (soffice on PATH)")]
fn edits_in_a_spreadsheet_app_move_outputs_and_subnets_to_a_fresh_runs_figures() {
    let soffice = soffice();
    let dir = WorkDir::new();
    let run = |dir: &Path, output: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_subnet-calc"))
            .current_dir(dir)
            .args(["eval", "s.csv", "--model", "both", "-q", "-o", output])
            .args(common::fixture_catalog_args())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Instances, pods per node and the first subnet's size, on rows of every kind: a second
    // node group, WARM_IP_TARGET, prefixes, a subnet list (whose largest node group changes),
    // custom networking's pod subnets, prefixes over a list, the workbook model.
    let edits: [(usize, u32, u32, Option<u8>); 9] = [
        (0, 5, 25, Some(23)),
        (2, 2, 40, None),
        (3, 9, 90, Some(24)),
        (4, 7, 20, Some(25)),
        (5, 9, 31, None),
        (6, 8, 45, Some(26)),
        (7, 12, 70, Some(24)),
        (8, 7, 20, Some(24)),
        (9, 2, 30, None),
    ];
    let (before, after) = (dir.join("before"), dir.join("after"));
    std::fs::create_dir_all(&before).unwrap();
    std::fs::create_dir_all(&after).unwrap();
    std::fs::write(before.join("s.csv"), edited_csv(&[])).unwrap();
    std::fs::write(after.join("s.csv"), edited_csv(&edits)).unwrap();
    run(&before, "report.xlsx");
    run(&after, "report.xlsx");
    run(&after, "engine.json");
    let report = before.join("report.xlsx");

    // A person types the new figures into the Inputs sheet (the third sheet).
    let inputs = open(&report).worksheet_range("Inputs").unwrap();
    let at = |name: &str| letters(column(&inputs, 0, name));
    for &(r, instances, pods, size) in &edits {
        let row = r + 2;
        set_number(
            &report,
            "xl/worksheets/sheet3.xml",
            &format!("{}{row}", at("Instances")),
            instances,
        );
        set_number(
            &report,
            "xl/worksheets/sheet3.xml",
            &format!("{}{row}", at("Pods per node")),
            pods,
        );
        // The subnet size is the scenario's: on each of its rows.
        let id = EDITED[r].0.split(',').next().unwrap();
        for (other, _) in EDITED
            .iter()
            .enumerate()
            .filter(|(_, e)| e.0.starts_with(&format!("{id},")))
        {
            if let Some(n) = size {
                let cell = format!("{}{}", at("Subnet size (/n)"), other + 2);
                set_number(&report, "xl/worksheets/sheet3.xml", &cell, u32::from(n));
            }
        }
    }
    let out_dir = dir.join("recalculated");
    let recalculated = recalculate(&soffice, &dir, &report, &out_dir);

    // Every figure of Outputs and Subnets (and of the Summary, the per-instance sheets...) is
    // the fresh run's: the recalculated workbook equals the report of the edited inputs.
    // Text that does not follow (the warnings, the fullest subnet, the subnets as given) is left out, and so is
    // Inputs, where the subnet lists keep their text.
    let fresh = open(&after.join("report.xlsx"))
        .worksheet_range("Outputs")
        .unwrap();
    let text_columns = [
        format!("Outputs!{}", letters(column(&fresh, 0, "Warnings"))),
        format!("Outputs!{}", letters(column(&fresh, 0, "Fullest subnet"))),
        "Subnets!B".to_owned(),
        "Inputs!".to_owned(),
        "Warnings!".to_owned(),
    ];
    let (compared, diffs) = differences(&after.join("report.xlsx"), &recalculated);
    let diffs: Vec<String> = diffs
        .into_iter()
        .filter(|d| !text_columns.iter().any(|t| d.starts_with(t.as_str())))
        .collect();
    assert!(compared > 1000, "compared only {compared} cells");
    assert!(
        diffs.is_empty(),
        "{} cells differ from a fresh run:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    // And the fresh run's figures are the engine's, which did move.
    let engine: Value =
        serde_json::from_str(&std::fs::read_to_string(after.join("engine.json")).unwrap()).unwrap();
    let mut book = open(&recalculated);
    let outputs = book.worksheet_range("Outputs").unwrap();
    for (i, e) in engine["scenarios"].as_array().unwrap().iter().enumerate() {
        for (name, key) in [
            ("Used IPs", "used_ips"),
            ("Remaining IPs", "remaining_ips"),
            ("Smallest subnet (/n)", "min_subnet_prefix"),
            ("Room for more nodes", "headroom_nodes"),
            ("Smallest pod subnet (/n)", "pod_subnet_min_prefix"),
        ] {
            assert_eq!(
                number(outputs.get_value((i as u32 + 1, column(&outputs, 0, name)))),
                e[key].as_f64(),
                "{} {} {key} after the edits",
                e["scenario"],
                e["model"]
            );
        }
    }
    let (_, moved) = differences(&after.join("report.xlsx"), &before.join("report.xlsx"));
    assert!(moved.len() > 100, "the edits changed little: {moved:?}");
}

/// The print rule of docs/report.md, read from the written sheets: a sheet is fitted to one page
/// wide only where its shown columns (the Summary's print area) are at most 138.9 units wide,
/// which LibreOffice, whose stand-in for Calibri has 7.0 to 7.1-point width units, prints at 73 %
/// or more of 11 points (8 points or larger, on a landscape Letter page between half-inch
/// margins); a wider sheet prints over pages across at 73 %, and the VPC CNI sheet's band runs
/// end at its page breaks.
#[test]
fn sheets_fit_one_page_wide_only_where_the_text_stays_at_8_points() {
    let dir = WorkDir::new();
    eval_fixtures(&dir, "r.xlsx");
    let bytes = std::fs::read(dir.join("r.xlsx")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let tag = format!(" {tag}");
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..].split('"').next()?.to_owned())
    };
    let workbook = part("xl/workbook.xml");
    let names: Vec<String> = workbook
        .split("<sheet ")
        .skip(1)
        .map(|t| attr(t, "name").unwrap())
        .collect();
    let mut fitted = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let xml = part(&format!("xl/worksheets/sheet{}.xml", i + 1));
        // The Summary prints its table and chart: the columns up to its print area's last.
        let last = if name == "Summary" {
            let area = workbook.split("_xlnm.Print_Area").nth(1).unwrap();
            let last = area.split(":$").nth(1).unwrap().split('$').next().unwrap();
            last.bytes()
                .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
        } else {
            16_384
        };
        let width: f64 = xml
            .split("<col ")
            .skip(1)
            .map(|t| t.split("/>").next().unwrap())
            .filter(|t| attr(t, "hidden").is_none())
            .map(|t| {
                let min: u32 = attr(t, "min").unwrap().parse().unwrap();
                let max: u32 = attr(t, "max").unwrap().parse().unwrap();
                let w: f64 = attr(t, "width").unwrap().parse().unwrap();
                w * f64::from(max.min(last) + 1 - min.min(last + 1))
            })
            .sum();
        let setup = xml.split("<pageSetup ").nth(1).unwrap();
        let setup = setup.split("/>").next().unwrap();
        let fits = width * 7.1 * 0.73 <= (11.0 - 1.0) * 72.0;
        assert!(setup.contains("orientation=\"landscape\""), "{name}");
        if fits {
            assert!(
                xml.contains("fitToPage=\"1\""),
                "{name} ({width:.1} wide) fits"
            );
            assert_eq!(attr(setup, "fitToHeight").as_deref(), Some("0"), "{name}");
            fitted.push(name.as_str());
        } else {
            assert!(
                !xml.contains("fitToPage"),
                "{name} ({width:.1} wide) is not fitted"
            );
            assert_eq!(attr(setup, "scale").as_deref(), Some("73"), "{name}");
        }
        if name == "VPC CNI model" {
            // Band runs never cross a page break: each break starts a run.
            let starts: Vec<u32> = xml
                .split("<mergeCell ref=\"")
                .skip(1)
                .map(|t| {
                    let first = t.split(':').next().unwrap().trim_end_matches('1');
                    first
                        .bytes()
                        .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
                        - 1
                })
                .collect();
            let breaks: Vec<u32> = xml
                .split("<brk id=\"")
                .skip(1)
                .map(|t| t.split('"').next().unwrap().parse().unwrap())
                .collect();
            assert!(breaks.len() >= 3, "{breaks:?}");
            for b in &breaks {
                let ends_before = xml.split("<mergeCell ref=\"").skip(1).all(|t| {
                    let range = t.split('"').next().unwrap();
                    let col = |c: &str| {
                        c.trim_end_matches(|ch: char| ch.is_ascii_digit())
                            .bytes()
                            .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
                            - 1
                    };
                    let (a, z) = range.split_once(':').unwrap();
                    !(col(a) < *b && col(z) >= *b)
                });
                assert!(
                    ends_before,
                    "a band crosses the break at column {b}: {starts:?}"
                );
            }
        }
    }
    assert!(
        fitted.contains(&"Summary") && fitted.contains(&"Warnings"),
        "{fitted:?}"
    );
}
