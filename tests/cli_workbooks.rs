//! Many workbooks at once through the binary: directories, one unreadable workbook among
//! hundreds, near misses and hidden sheets in the outputs, and files of the wrong kind named for
//! what they are.

mod common;

use common::WorkDir;
use common::variants::{Calc, Variants};
use subnet_calc::evaluation::Sheet;

/// A workbook with the shipped example on a WarmENI and a WarmIP sheet, `pods` per node on the
/// first node group.
fn team_book(pods: f64) -> Variants {
    let rows = [("m5.12xlarge", 2.0, pods), ("c5.2xlarge", 1.0, 30.0)];
    Variants {
        calcs: vec![
            Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &rows),
            Calc {
                local_name: true,
                ..Calc::new("WarmIP", Sheet::WarmIp, [23.0, 1.0, 2.0, 2.0], &rows)
            },
        ],
        global_names: vec![("WARM_ENI_TARGET".into(), "=WarmENI!$B$13".into())],
        ..Variants::default()
    }
}

#[test]
fn a_directory_of_300_workbooks_with_3_broken_converts_the_297_others_and_exits_2() {
    let dir = WorkDir::new();
    let books = dir.join("books");
    std::fs::create_dir(&books).unwrap();
    for i in 0..300 {
        let path = books.join(format!("cluster-{i:03}.xlsx"));
        match i {
            17 => std::fs::write(&path, b"PK\x03\x04 truncated by a bad download").unwrap(),
            150 => {
                // A calculator sheet with an error in B4.
                let mut book = team_book(100.0);
                book.calcs[0].inputs[0] = common::variants::Input::Uncached("NA()".into());
                book.save(&path);
            }
            299 => std::fs::write(&path, b"%PDF-1.7 a report saved with the wrong name").unwrap(),
            _ => team_book(10.0 + i as f64).save(&path),
        }
    }
    // Excel's lock file beside an open workbook, and a CSV, are not workbooks of the folder.
    std::fs::write(books.join("~$cluster-001.xlsx"), b"lock").unwrap();
    std::fs::write(books.join("notes.csv"), b"not,an,input\n").unwrap();

    let out = dir
        .command()
        .args(["convert", "books", "-o", "all.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 4, "{stderr}");
    assert!(
        errors[0].starts_with("error: books/cluster-017.xlsx: not a readable xlsx workbook"),
        "{stderr}"
    );
    assert!(
        errors[1].starts_with("error: books/cluster-150.xlsx:WarmENI!B4: the cell holds the formula =NA() without its value"),
        "{stderr}"
    );
    assert!(errors[2].starts_with("error: books/cluster-299.xlsx: this is a PDF document, not a scenario CSV or a legacy xlsx workbook"), "{stderr}");
    assert_eq!(
        errors[3],
        "error: 3 of 300 workbooks could not be read (named above); all.csv holds the scenarios of the others"
    );
    let csv = dir.read("all.csv");
    let ids: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 297 * 2, "two scenarios per readable workbook");
    assert!(ids.contains("cluster-000#WarmENI") && ids.contains("cluster-298#WarmIP"));
    assert!(
        !ids.iter()
            .any(|id| id.starts_with("cluster-017") || id.starts_with("cluster-150"))
    );
    // Each workbook's own numbers: cluster-005 has 15 pods per node on its m5.12xlarge.
    let row = csv
        .lines()
        .find(|l| l.starts_with("cluster-005#WarmENI,"))
        .unwrap();
    assert!(row.contains(",m5.12xlarge,2,15,"), "{row}");
}

#[test]
fn eval_reads_workbooks_and_directories_together_in_order() {
    let dir = WorkDir::new();
    std::fs::create_dir_all(dir.join("teams/nested")).unwrap();
    team_book(100.0).save(&dir.join("teams/b.xlsx"));
    team_book(100.0).save(&dir.join("teams/a.xlsx"));
    team_book(100.0).save(&dir.join("teams/nested/c.xlsx"));
    team_book(100.0).save(&dir.join("single.xlsx"));
    let run = |args: &[&str]| {
        let out = dir.command().args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .filter(|id| id.contains('#'))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        run(&["eval", "single.xlsx", "teams"]),
        [
            "single#WarmENI",
            "single#WarmIP",
            "a#WarmENI",
            "a#WarmIP",
            "b#WarmENI",
            "b#WarmIP"
        ]
    );
    let all = run(&["eval", "teams", "--recursive"]);
    assert_eq!(all.len(), 6);
    // A workbook in a subdirectory has its relative path in its ids.
    assert!(all.contains(&"nested/c#WarmIP".to_owned()), "{all:?}");
    // Two workbooks of the same name in different folders would give the same ids.
    team_book(100.0).save(&dir.join("a.xlsx"));
    let out = dir
        .command()
        .args(["eval", "teams", "a.xlsx"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: a.xlsx:WarmENI: scenario id \"a#WarmENI\" is already used at teams/a.xlsx:WarmENI"),
        "{stderr}"
    );
}

#[test]
fn an_empty_directory_is_named() {
    let dir = WorkDir::new();
    std::fs::create_dir(dir.join("none")).unwrap();
    let out = dir.command().args(["eval", "none"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: none: no scenarios found (the directory holds no .xlsx workbook (add --recursive"),
        "{stderr}"
    );
}

#[test]
fn hidden_sheets_are_marked_and_near_misses_warned_about() {
    let dir = WorkDir::new();
    let mut book = team_book(100.0);
    book.calcs[1].hidden = true;
    book.others = vec![(
        "half done".into(),
        vec![
            (3, 0, "Subnet CIDR Size".into()),
            (12, 0, "WARM_ENI_TARGET".into()),
        ],
    )];
    book.save(&dir.join("team.xlsx"));
    let out = dir.command().args(["eval", "team.xlsx"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("team#WarmIP (hidden)  workbook"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("warning: team.xlsx:half done: looks like a calculator sheet but was not read: no label \"Host Networking IPs\" in A14"),
        "{stderr}"
    );
    let json = dir
        .command()
        .args(["eval", "team.xlsx", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["scenarios"][1]["hidden_sheet"], true);
    assert!(v["scenarios"][0].get("hidden_sheet").is_none());
    // The sheet not read is named in the output too.
    let left_out = v["left_out"][0].as_str().unwrap();
    assert!(
        left_out.starts_with("team.xlsx:half done: looks like a calculator sheet but was not read"),
        "{left_out}"
    );
    dir.command()
        .args(["eval", "team.xlsx", "-o", "out.csv"])
        .output()
        .unwrap();
    let csv = dir.read("out.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "hidden_sheet").unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!((rows[0][col], rows[1][col]), ("", "true"));
}

#[test]
fn files_of_the_wrong_kind_are_named_for_what_they_are() {
    let dir = WorkDir::new();
    let case = |name: &str, bytes: &[u8], args: &[&str], expected: &str| {
        dir.write(name, bytes);
        let out = dir.command().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with(expected), "{stderr}");
    };
    case(
        "types.json",
        br#"{"InstanceTypes": []}"#,
        &["eval", "types.json"],
        "error: types.json: this is a JSON document, not a scenario CSV or a legacy xlsx workbook (an instance catalogue in JSON goes after --catalog)",
    );
    case(
        "old.xls",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 BIFF workbook",
        &["eval", "old.xls"],
        "error: old.xls: this is an Excel 97-2003 workbook (.xls), not a scenario CSV or a legacy xlsx workbook (open it in a spreadsheet app and save it as .xlsx)",
    );
    case(
        "limits.pdf",
        b"%PDF-1.4",
        &["catalog", "--catalog", "limits.pdf"],
        "error: limits.pdf: this is a PDF document, not an instance catalogue",
    );
    // The tool's own report is an input of its own: its scenarios, with its Catalog sheet.
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\na,23,m5.large,2,10\n",
    );
    dir.write(
        "l.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n",
    );
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "l.csv", "-o", "report.xlsx"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = dir
        .command()
        .args(["eval", "report.xlsx"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\na   "), "{stdout}");
}

#[test]
fn eni_max_pods_txt_is_read_as_aws_publishes_it() {
    let dir = WorkDir::new();
    let mut published = String::new();
    for line in [
        "# Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.",
        "#",
        "# Licensed under the Apache License, Version 2.0 (the \"License\"). You may",
        "# not use this file except in compliance with the License.",
        "#",
        "# This file was generated at 2026-08-20T15:22:15-07:00",
        "#",
        "# Mapping is calculated from AWS EC2 API using the following formula:",
        "# * First IP on each ENI is not used for pods",
        "# * +2 for the pods that use host-networking (AWS CNI and kube-proxy)",
        "#",
        "#   # of ENI * (# of IPv4 per ENI - 1) + 2",
        "#",
        "# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html#AvailableIpPerENI",
        "#",
    ] {
        published.push_str(line);
        published.push('\n');
    }
    published.push_str("m5.large 29\nm5.4xlarge 234\n");
    // Any name: the content says what it is.
    dir.write("eni-max-pods.txt", &published);
    dir.write("max-pods", &published);
    dir.write(
        "l.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\nm5.4xlarge,8,30\n",
    );
    for name in ["eni-max-pods.txt", "max-pods"] {
        let out = dir
            .command()
            .args([
                "catalog",
                "m5.4xlarge",
                "--catalog",
                "l.csv",
                "--catalog",
                name,
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let row = stdout.lines().nth(1).unwrap();
        assert!(row.starts_with("m5.4xlarge,8,30,234,"), "{row}");
        assert!(
            row.contains(&format!("{name}:17")),
            "the source names the line: {row}"
        );
    }
    dir.write("bad.txt", "# header\nm5.large twenty-nine\n");
    let out = dir
        .command()
        .args(["catalog", "--catalog", "bad.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: bad.txt: unknown catalogue format"),
        "{stderr}"
    );
    dir.write("bad2.txt", "# header\nm5.large 29\nm5.xlarge 58 x\n");
    let out = dir
        .command()
        .args(["catalog", "--catalog", "bad2.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: bad2.txt:3: invalid value \"m5.xlarge 58 x\" (expected an instance type and its max pods"), "{stderr}");
}

#[test]
fn an_output_never_lands_on_a_workbook_of_an_input_directory() {
    let dir = WorkDir::new();
    std::fs::create_dir(dir.join("L")).unwrap();
    // One calculator sheet: its export would be named L/subnet-calc.xlsx, over the input.
    let mut book = team_book(100.0);
    book.calcs.truncate(1);
    book.global_names.clear();
    book.save(&dir.join("L/subnet-calc.xlsx"));
    let original = std::fs::read(dir.join("L/subnet-calc.xlsx")).unwrap();
    // Exporting a directory's workbooks into that directory would replace them.
    let out = dir
        .command()
        .args(["convert", "L", "-o", "L", "--to", "legacy"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("refusing to write the output over an input file"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.join("L/subnet-calc.xlsx")).unwrap(),
        original
    );
    // A report written into the directory it reads: a legacy workbook of that name is an input
    // and refused; the report of an earlier run is replaced, not read.
    let out = dir
        .command()
        .args(["eval", "L", "-o", "L/subnet-calc.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("refusing to write the output over an input file")
    );
    assert_eq!(
        std::fs::read(dir.join("L/subnet-calc.xlsx")).unwrap(),
        original
    );
    for _ in 0..2 {
        let out = dir
            .command()
            .args(["eval", "L", "-o", "L/report.xlsx"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("wrote 1 evaluation to L/report.xlsx"),
            "{stderr}"
        );
    }
}

#[test]
#[cfg(unix)]
fn copies_of_one_file_name_in_several_folders_stay_apart() {
    let dir = WorkDir::new();
    for team in ["team-a", "team-b"] {
        std::fs::create_dir_all(dir.join(&format!("share/{team}"))).unwrap();
        team_book(100.0).save(&dir.join(&format!("share/{team}/subnet-calc.xlsx")));
    }
    team_book(100.0).save(&dir.join("share/subnet-calc.xlsx"));
    // A link back up the tree is not followed.
    std::os::unix::fs::symlink("..", dir.join("share/team-a/loop")).unwrap();
    let out = dir
        .command()
        .args(["convert", "share", "--recursive", "-o", "all.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let csv = dir.read("all.csv");
    let ids: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        [
            "subnet-calc#WarmENI",
            "subnet-calc#WarmIP",
            "team-a/subnet-calc#WarmENI",
            "team-a/subnet-calc#WarmIP",
            "team-b/subnet-calc#WarmENI",
            "team-b/subnet-calc#WarmIP"
        ]
    );
}

#[test]
fn an_instance_catalogue_given_as_a_scenario_input_is_named() {
    let dir = WorkDir::new();
    dir.write("eni-max-pods.txt", "# Mapping...\nm5.large 29\n");
    dir.write(
        "instance-limits.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n",
    );
    for name in ["eni-max-pods.txt", "instance-limits.csv"] {
        let out = dir.command().args(["eval", name]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr.starts_with(&format!("error: {name}: this is an instance catalogue"))
                && stderr.contains("give it with --catalog"),
            "{stderr}"
        );
    }
}

#[test]
fn figures_the_sheet_shows_are_checked_against_the_model() {
    let dir = WorkDir::new();
    // Formulas written by a program that stores 0 as their value, as scripts do.
    let mut book = team_book(100.0);
    book.formulas = true;
    book.save(&dir.join("stale.xlsx"));
    let out = dir
        .command()
        .args(["eval", "stale.xlsx", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = v["scenarios"][0]["warnings"].as_array().unwrap();
    assert_eq!(warnings[0]["code"], "sheet_totals_differ");
    assert_eq!(warnings[0]["differences"][1]["total"], "used_ips");
    assert_eq!(
        warnings[0]["message"],
        "the sheet shows 0 addresses available (B5) where the formulas give 510, 0 IPs used (B8) \
         where the formulas give 351, 0 pods hosted (B9) where the formulas give 230, 0 IPs \
         remaining (B10) where the formulas give 159: its stored values are stale (saved without \
         recalculating) or its formulas differ from the published workbook's"
    );
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_shipped_workbook_shows_what_its_formulas_give() {
    let dir = WorkDir::new();
    dir.copy(&common::legacy_workbook(), "subnet-calc.xlsx");
    let out = dir
        .command()
        .args(["eval", "subnet-calc.xlsx", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    for s in scenarios {
        assert!(s.get("warnings").is_none(), "{s}");
    }
}

#[test]
fn the_outputs_name_the_workbooks_left_out() {
    use calamine::{DataType, Reader};
    let dir = WorkDir::new();
    let books = dir.join("books");
    std::fs::create_dir(&books).unwrap();
    team_book(10.0).save(&books.join("a.xlsx"));
    std::fs::write(books.join("b.xlsx"), b"PK\x03\x04 truncated").unwrap();
    for out in ["all.json", "all.xlsx", "all.csv"] {
        let run = dir
            .command()
            .args(["eval", "books", "-o", out])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{out}");
    }
    let v: serde_json::Value = serde_json::from_str(&dir.read("all.json")).unwrap();
    assert_eq!(v["scenarios"].as_array().unwrap().len(), 2);
    let left_out = v["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert!(
        left_out[0]
            .as_str()
            .unwrap()
            .starts_with("books/b.xlsx: not a readable xlsx workbook"),
        "{left_out:?}"
    );
    let mut report: calamine::Xlsx<_> = calamine::open_workbook(dir.join("all.xlsx")).unwrap();
    let summary = report.worksheet_range("Summary").unwrap();
    let said = summary
        .cells()
        .filter_map(|(_, _, c)| c.get_string().map(str::to_owned))
        .find(|t| t.contains("LEFT OUT"))
        .expect("the Summary names what was left out");
    assert_eq!(said, "books; LEFT OUT, could not be read: books/b.xlsx");
    // A run that read everything says nothing of the kind.
    std::fs::remove_file(books.join("b.xlsx")).unwrap();
    let run = dir
        .command()
        .args(["eval", "books", "-o", "all.json"])
        .output()
        .unwrap();
    assert!(run.status.success());
    let v: serde_json::Value = serde_json::from_str(&dir.read("all.json")).unwrap();
    assert!(v.get("left_out").is_none());
}

#[test]
fn each_calculator_sheet_of_a_workbook_is_named_by_its_own_fault() {
    let dir = WorkDir::new();
    let mut book = team_book(10.0);
    book.calcs[0].inputs[0] = common::variants::Input::Uncached("NA()".into());
    book.calcs[1].inputs[0] = common::variants::Input::Uncached("B1/0".into());
    book.save(&dir.join("bad.xlsx"));
    for out in ["bad.csv", "bad.json"] {
        let run = dir
            .command()
            .args(["eval", "bad.xlsx", "-o", out])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(errors.len(), 3, "{stderr}");
        assert!(
            errors[0].starts_with(
                "error: bad.xlsx:WarmENI!B4: the cell holds the formula =NA() without its value"
            ),
            "{stderr}"
        );
        assert!(
            errors[1].starts_with(
                "error: bad.xlsx:WarmIP!B4: the cell holds the formula =B1/0 without its value"
            ),
            "{stderr}"
        );
        assert_eq!(
            errors[2],
            "error: the workbook could not be read (each is named above with the reason; nothing was written)"
        );
        assert!(!dir.join(out).exists());
    }
}
