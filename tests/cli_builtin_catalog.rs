//! The built-in instance catalogue through the binary: no catalogue flags needed, `--catalog`
//! files over it field by field, `--no-builtin-catalog`, a type nobody knows, `catalog
//! --sources`, the instance data named in every output, and a legacy workbook's own lookup sheets
//! kept as the workbook has them.

mod common;

use common::workbook::{Cell, LegacyBook};
use common::{WorkDir, run};
use serde_json::Value;
use subnet_calc::catalog::builtin;

fn scenarios_csv() -> String {
    common::fixture("scenarios.csv").display().to_string()
}

/// The start of the instance data's description: the built-in catalogue's first source.
fn builtin_start() -> String {
    let cni = &builtin::sources()[0];
    format!("built-in (VPC CNI {} of {}, ", &cni.commit[..12], cni.date)
}

#[test]
fn the_fixture_scenarios_need_no_catalogue_flag() {
    let dir = WorkDir::new();
    let (out, table, stderr) = run(&dir, &["eval", &scenarios_csv()]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Every type's hypervisor and vCPUs are known: nothing assumed, nothing unknown.
    for said in [&table, &stderr] {
        assert!(!said.contains("unknown"), "{said}");
        assert!(!said.contains("assumed"), "{said}");
    }
    assert!(table.contains("xen-fallback"), "{table}");
    // The built-in data gives these types the figures the fixture catalogues give them.
    let (_, builtin_csv, _) = run(&dir, &["eval", &scenarios_csv(), "--format", "csv"]);
    let mut args = vec![
        "eval".to_owned(),
        scenarios_csv(),
        "--format".into(),
        "csv".into(),
    ];
    args.extend(common::fixture_catalog_args());
    args.push("--no-builtin-catalog".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, fixture_csv, stderr) = run(&dir, &args);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(builtin_csv, fixture_csv);
    assert_eq!(builtin_csv.lines().count(), 11);
}

#[test]
fn a_catalogue_file_overrides_the_builtin_data_field_by_field() {
    let dir = WorkDir::new();
    dir.write("pods.csv", "instance_type,max_pods\nm5.large,17\n");
    let (out, json, stderr) = run(
        &dir,
        &[
            "catalog",
            "m5.large",
            "--catalog",
            "pods.csv",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{stderr}");
    let doc: Value = serde_json::from_str(&json).unwrap();
    let m5 = &doc["instance_types"][0];
    // The file's max pods; the built-in ENIs, vCPUs, hypervisor and trunking.
    assert_eq!(m5["max_pods"], 17);
    assert_eq!(
        (m5["max_enis"].as_u64(), m5["vcpus"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(m5["hypervisor"], "nitro");
    assert_eq!(m5["branch_interfaces"], 9);
    assert_eq!(m5["sources"], "built-in (cni pods rc K); pods.csv:2");
    assert_eq!(doc["sources"], serde_json::json!(["pods.csv"]));
    assert_eq!(doc["built_in"]["sources"][0]["id"], "cni");
    // In an evaluation: the table rule takes the file's max pods, the rest stays built-in.
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node,max_pods_rule\n\
         a,24,m5.large,1,25,table\n",
    );
    let (out, csv, stderr) = run(
        &dir,
        &["eval", "s.csv", "--catalog", "pods.csv", "--format", "csv"],
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        csv.contains("8 pods per node get no IP (over max pods 17"),
        "{csv}"
    );
}

#[test]
fn no_builtin_catalog_uses_only_the_files_given() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\na,24,c5.large,1,10\n",
    );
    // Without it, the built-in catalogue knows c5.large.
    let (out, _, stderr) = run(&dir, &["eval", "s.csv"]);
    assert!(out.status.success(), "{stderr}");
    // With it and no file: no catalogue at all.
    let (out, _, stderr) = run(&dir, &["eval", "s.csv", "--no-builtin-catalog"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: s.csv: no instance catalogue for these scenarios (a scenario CSV needs \
             --catalog PATH when --no-builtin-catalog leaves out the built-in catalogue"
        ),
        "{stderr}"
    );
    // With it and a file that lacks the type: unknown in that file alone.
    dir.write(
        "limits.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n",
    );
    let args = [
        "eval",
        "s.csv",
        "--catalog",
        "limits.csv",
        "--no-builtin-catalog",
    ];
    let (out, _, stderr) = run(&dir, &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: s.csv:2:instance_type: unknown instance type \"c5.large\" in limits.csv ("
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("built-in"), "{stderr}");
    // catalog shows the file's types alone, and needs one.
    let (out, table, _) = run(
        &dir,
        &["catalog", "--catalog", "limits.csv", "--no-builtin-catalog"],
    );
    assert!(out.status.success());
    assert_eq!(table.lines().count(), 3, "{table}");
    let (out, _, stderr) = run(&dir, &["catalog", "--no-builtin-catalog"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("--no-builtin-catalog leaves no catalogue"),
        "{stderr}"
    );
}

#[test]
fn a_type_nobody_knows_says_how_to_add_it() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\na,24,qx7.mega,1,10\n",
    );
    let (out, _, stderr) = run(&dir, &["eval", "s.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let expected = format!(
        "error: s.csv:2:instance_type: unknown instance type \"qx7.mega\" in the built-in \
         catalogue of {} (to add it: aws ec2 describe-instance-types --instance-types qx7.mega \
         > qx7.mega.json, then --catalog qx7.mega.json)\n",
        builtin::date()
    );
    assert_eq!(stderr, expected);
    // Following the advice: the JSON of describe-instance-types, given with --catalog.
    dir.write(
        "qx7.mega.json",
        r#"{"InstanceTypes":[{"InstanceType":"qx7.mega","VCpuInfo":{"DefaultVCpus":2},
            "Hypervisor":"nitro","BareMetal":false,
            "NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10}}]}"#,
    );
    let (out, _, stderr) = run(&dir, &["eval", "s.csv", "--catalog", "qx7.mega.json"]);
    assert!(out.status.success(), "{stderr}");
    // A typo of a known type: close matches first.
    let (_, _, stderr) = run(&dir, &["catalog", "m5.lareg"]);
    assert!(
        stderr.contains("(did you mean m5.large, m5.xlarge, m5d.large? Or, to add it: aws ec2"),
        "{stderr}"
    );
}

#[test]
fn catalog_sources_lists_each_source_with_repository_path_commit_and_date() {
    let dir = WorkDir::new();
    let (out, table, stderr) = run(&dir, &["catalog", "--sources"]);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("source  ")
            && lines[0].contains("repository")
            && lines[0].contains("commit"),
        "{table}"
    );
    for s in builtin::sources() {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{:8}", s.id))
                && l.contains(&s.repository)
                && l.contains(&s.path)
                && l.contains(&s.commit)
                && l.contains(&s.date)),
            "{} missing: {table}",
            s.id
        );
    }
    let cni = lines.iter().find(|l| l.starts_with("cni ")).unwrap();
    assert!(
        cni.contains("aws/amazon-vpc-cni-k8s") && cni.contains("pkg/vpc/vpc_ip_resource_limit.go"),
        "{cni}"
    );
    assert_eq!(lines.len(), 2 + builtin::sources().len());
    // The files given follow; as CSV and JSON too.
    dir.write("pods.csv", "instance_type,max_pods\nm5.large,17\n");
    let (_, csv, _) = run(
        &dir,
        &[
            "catalog",
            "--sources",
            "--catalog",
            "pods.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(
        csv.lines().next(),
        Some("source,repository,path,commit,date,fields")
    );
    assert_eq!(csv.lines().last(), Some("--catalog,,pods.csv,,,"));
    let (_, json, _) = run(&dir, &["catalog", "--sources", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["built_in"]["date"], builtin::date());
    assert_eq!(
        doc["built_in"]["sources"].as_array().unwrap().len(),
        builtin::sources().len()
    );
    let (_, csv, _) = run(
        &dir,
        &[
            "catalog",
            "--sources",
            "--catalog",
            "pods.csv",
            "--no-builtin-catalog",
            "--format",
            "csv",
        ],
    );
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

#[test]
fn every_output_names_the_instance_data_used() {
    let dir = WorkDir::new();
    dir.write("pods.csv", "instance_type,max_pods\nm5.large,29\n");
    let base = ["eval", &scenarios_csv(), "--catalog", "pods.csv"];
    // The summary CSV's closing lines on standard error.
    let (out, _, stderr) = run(&dir, &[&base[..], &["-o", "out.csv"]].concat());
    assert!(out.status.success(), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("  instance data: "))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(
        line,
        format!("  instance data: {}, then pods.csv", builtin::describe())
    );
    assert!(line.contains(&builtin_start()), "{line}");
    // The JSON.
    run(&dir, &[&base[..], &["-o", "out.json"]].concat());
    let doc: Value = serde_json::from_str(&dir.read("out.json")).unwrap();
    // The tool block names the tool, its version and the instance data, and nothing else.
    let tool = doc["tool"].as_object().unwrap();
    assert_eq!(
        tool.keys().map(String::as_str).collect::<Vec<_>>(),
        ["instance_data", "name", "version"]
    );
    assert_eq!(tool["name"], "subnet-calc");
    assert_eq!(tool["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc.get("instance_data"), None);
    let data = &tool["instance_data"];
    assert_eq!(data["catalogs"], serde_json::json!(["pods.csv"]));
    assert_eq!(data["built_in"]["date"], builtin::date());
    let cni = &data["built_in"]["sources"][0];
    assert_eq!(cni["repository"], "aws/amazon-vpc-cni-k8s");
    assert_eq!(cni["commit"], builtin::sources()[0].commit);
    let mut args = vec![
        "eval".to_owned(),
        scenarios_csv(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(common::fixture_catalog_args());
    args.push("--no-builtin-catalog".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, json, _) = run(&dir, &args);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["tool"]["instance_data"]["built_in"], Value::Null);
    assert_eq!(
        doc["tool"]["instance_data"]["catalogs"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The xlsx report's About block.
    let (out, _, stderr) = run(&dir, &[&base[..], &["-o", "r.xlsx"]].concat());
    assert!(out.status.success(), "{stderr}");
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("r.xlsx")).unwrap();
    let summary = book.worksheet_range("Summary").unwrap();
    let (row, col) = summary
        .cells()
        .find(|(_, _, v)| matches!(v, calamine::Data::String(s) if s == "Instance data"))
        .map(|(r, c, _)| (r, c))
        .expect("an Instance data row");
    let value = summary.get((row, col + 1)).unwrap().to_string();
    assert_eq!(value, format!("{}, then pods.csv", builtin::describe()));
}

#[test]
fn a_workbooks_own_lookup_sheets_stay_as_the_workbook_has_them() {
    let dir = WorkDir::new();
    // m5.12xlarge left out of maxPods (its row blanked): the sheet shows #N/A for its max pods.
    LegacyBook {
        overrides: vec![
            ("maxPods", 1, 0, Cell::Blank),
            ("maxPods", 1, 1, Cell::Blank),
        ],
        ..LegacyBook::default()
    }
    .save(&dir.join("book.xlsx"));
    let (out, json, stderr) = run(
        &dir,
        &["eval", "book.xlsx", "--model", "both", "--format", "json"],
    );
    assert!(out.status.success(), "{stderr}");
    let doc: Value = serde_json::from_str(&json).unwrap();
    let scenarios = doc["scenarios"].as_array().unwrap();
    let workbook = scenarios
        .iter()
        .find(|s| s["model"] == "workbook" && s["scenario"] == "book#WarmENI")
        .unwrap();
    let group = &workbook["node_groups"][0];
    assert_eq!(group["instance_type"], "m5.12xlarge");
    // The workbook's #N/A, though the built-in data knows the type's max pods (234).
    assert_eq!(group["max_pods"], Value::Null);
    assert_eq!(
        (group["max_enis"].as_u64(), group["ips_per_eni"].as_u64()),
        (Some(8), Some(30))
    );
    assert_eq!(workbook["used_ips"], 351);
    // The vpc-cni model gets the built-in vCPUs and hypervisor: nothing is guessed.
    assert!(
        !json.contains("vCPUs unknown") && !json.contains("assumed"),
        "{json}"
    );
    assert_eq!(
        doc["tool"]["instance_data"]["catalogs"],
        serde_json::json!(["book.xlsx"])
    );
    // A type the built-in catalogue knows but the workbook's maxENI sheet lacks: the workbook
    // shows #N/A in every total, so its scenarios cannot be evaluated from it.
    LegacyBook {
        rows: vec![("m5.large", 1.0, 5.0), ("c7g.large", 1.0, 5.0)],
        ..LegacyBook::default()
    }
    .save(&dir.join("other.xlsx"));
    let (out, _, stderr) = run(&dir, &["eval", "other.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: other.xlsx:WarmENI!A24: unknown instance type \"c7g.large\" in other.xlsx (the \
             workbook's maxENI sheet lacks it, so the workbook shows #N/A for it; the built-in \
             catalogue knows it"
        ),
        "{stderr}"
    );
    // Given with --catalog, it is the workbook's to use.
    dir.write(
        "c7g.csv",
        "instance_type,eni_limit,ipv4_per_eni,max_pods\nc7g.large,3,10,29\n",
    );
    let (out, _, stderr) = run(&dir, &["eval", "other.xlsx", "--catalog", "c7g.csv"]);
    assert!(out.status.success(), "{stderr}");
}

#[test]
fn a_type_a_reports_catalog_sheet_lacks_is_to_be_added_there() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         a,22,m5.large,3,10\na,,c7g.large,1,5\n",
    );
    let (out, _, stderr) = run(&dir, &["eval", "s.csv", "-o", "r.xlsx"]);
    assert!(out.status.success(), "{stderr}");
    // c7g.large's row taken off the Catalog sheet (the last sheet), as if the type had been
    // added on the Inputs sheet: the built-in catalogue knows it, the report does not.
    let catalog = "xl/worksheets/sheet7.xml";
    common::variants::rewrite_part(&dir.join("r.xlsx"), catalog, |xml| {
        let at = xml
            .find(">c7g.large<")
            .expect("c7g.large on the Catalog sheet");
        let start = xml[..at].rfind("<row ").unwrap();
        let end = at + xml[at..].find("</row>").unwrap() + "</row>".len();
        format!("{}{}", &xml[..start], &xml[end..])
    });
    let (out, _, stderr) = run(&dir, &["eval", "r.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // Named at its row's Instance type cell (row 3 of Inputs).
    assert!(stderr.starts_with("error: r.xlsx:Inputs!"), "{stderr}");
    assert!(
        stderr.contains(
            "3: unknown instance type \"c7g.large\" in r.xlsx:Catalog (the \
             report's Catalog sheet lacks it; the built-in catalogue knows it, but a report's \
             scenarios take their types' limits from its Catalog sheet: add a row for it there, \
             or give its limits with --catalog (aws ec2 describe-instance-types"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("maxENI"), "{stderr}");
}
