//! Hostile and odd inputs through the binary: zip bombs, far cells, malformed cell references,
//! endless and huge inputs, huge fields, formula injection in CSV outputs, escape sequences on
//! the terminal, files of other kinds. Each fails fast with a message that says what is wrong,
//! or is read correctly; none crashes or exhausts memory.

mod common;

use std::io::Write;

use common::variants::{Calc, Variants, rewrite_part};
use common::{WorkDir, run};
use subnet_calc::evaluation::Sheet;

const SHIPPED: [(&str, f64, f64); 2] = [("m5.12xlarge", 2.0, 100.0), ("c5.2xlarge", 1.0, 30.0)];
const HEAD: &str = "scenario,subnet_cidr,instance_type,instances,pods_per_node\n";
const LIMITS: &str = "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n";

fn shipped_book(dir: &WorkDir, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    }
    .save(&path);
    path
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_decompressed() {
    let dir = WorkDir::new();
    let path = shipped_book(&dir, "bomb.xlsx");
    // A 300 MB part of zeros compresses to a few hundred KB.
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(bytes)).unwrap();
    zip.start_file(
        "xl/media/padding.bin",
        zip::write::SimpleFileOptions::default().large_file(true),
    )
    .unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&chunk).unwrap();
    }
    std::fs::write(&path, zip.finish().unwrap().into_inner()).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 2 << 20);
    let (out, _, stderr) = run(&dir, &["eval", "bomb.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: bomb.xlsx: xl/media/padding.bin would decompress to 300 MB, over the limit of 256 MB (a legacy workbook is a few hundred KB; raise the limit with --max-uncompressed"),
        "{stderr}"
    );
    // Raised, the same workbook is read.
    let (out, stdout, stderr) = run(&dir, &["eval", "bomb.xlsx", "--max-uncompressed", "512M"]);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("bomb#WarmENI"), "{stdout}");
}

#[test]
fn a_value_in_the_last_cell_of_the_sheet_costs_nothing() {
    let dir = WorkDir::new();
    let path = dir.join("far.xlsx");
    let mut book = Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    };
    book.others = vec![("Notes".into(), vec![(1_048_575, 16_383, "the end".into())])];
    book.save(&path);
    // The same far cell on the calculator sheet itself and on a lookup sheet.
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>"#,
        )
    });
    let (out, stdout, stderr) = run(&dir, &["eval", "far.xlsx"]);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("far#WarmENI  workbook  ok             510   351        159"),
        "{stdout}"
    );
}

#[test]
fn malformed_cell_references_are_an_error_or_ignored_never_a_crash() {
    let dir = WorkDir::new();
    for (i, bad) in ["ZZZZZZZZZZZZ1", "A99999999999999", "12", "$%"]
        .iter()
        .enumerate()
    {
        let name = format!("bad{i}.xlsx");
        let path = shipped_book(&dir, &name);
        rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
            xml.replace(
                "</sheetData>",
                &format!(r#"<row r="900"><c r="{bad}"><v>1</v></c></row></sheetData>"#),
            )
        });
        let (out, stdout, stderr) = run(&dir, &["eval", &name]);
        match out.status.code() {
            Some(0) => assert!(stdout.contains("351"), "{bad}: {stdout}"),
            Some(2) => assert!(
                stderr.starts_with(&format!("error: {name}")),
                "{bad}: {stderr}"
            ),
            other => panic!("{bad}: exit {other:?}: {stderr}"),
        }
    }
}

#[test]
fn endless_or_huge_inputs_are_refused_without_reading_them_all() {
    let dir = WorkDir::new();
    let (out, _, stderr) = run(&dir, &["eval", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: /dev/zero: this is a binary file, not a scenario CSV or a legacy xlsx workbook"
        ),
        "{stderr}"
    );
    let (out, _, stderr) = run(&dir, &["catalog", "--catalog", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let rows: String = (0..10).map(|i| format!("s{i},23,m5.large,1,2\n")).collect();
    dir.write("s.csv", format!("{HEAD}{rows}"));
    dir.write("l.csv", LIMITS);
    let (out, _, stderr) = run(
        &dir,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "l.csv",
            "--max-input-size",
            "100",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: s.csv: the input is over 100 bytes (raise the limit with --max-input-size if it is genuine)"),
        "{stderr}"
    );
}

#[test]
fn a_huge_bad_field_gives_a_short_message_quickly() {
    let dir = WorkDir::new();
    let huge = "m5.lareg".repeat(125_000); // 1 MB
    dir.write("s.csv", format!("{HEAD}a,23,{huge},1,2\n"));
    dir.write("l.csv", LIMITS);
    let (out, _, stderr) = run(&dir, &["eval", "s.csv", "--catalog", "l.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.len() < 400, "{} bytes of message", stderr.len());
    assert!(
        stderr
            .starts_with("error: s.csv:2:instance_type: unknown instance type \"m5.laregm5.lareg"),
        "{stderr}"
    );
    assert!(stderr.contains("… (1000000 characters)"), "{stderr}");
    dir.write(
        "n.csv",
        format!("{HEAD}a,23,m5.large,{},2\n", "9".repeat(200_000)),
    );
    let (_, _, stderr) = run(&dir, &["eval", "n.csv", "--catalog", "l.csv"]);
    assert!(stderr.len() < 400, "{stderr}");
    assert!(
        stderr.starts_with("error: n.csv:2:instances: invalid number \"9999"),
        "{stderr}"
    );
}

#[test]
fn csv_outputs_never_carry_a_formula_a_spreadsheet_would_run() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        format!("{HEAD}\"=cmd|' /C calc'!A0\",23,m5.large,1,2\n+plus,23,m5.large,1,2\n@at,23,m5.large,1,2\n-minus,23,m5.large,1,2\nsafe,23,m5.large,1,2\n"),
    );
    dir.write(
        "l.csv",
        "instance_type,eni_limit,ipv4_per_eni,hypervisor\nm5.large,3,10,=HYPERLINK(\"x\")\n",
    );
    let (out, _, stderr) = run(
        &dir,
        &["eval", "s.csv", "--catalog", "l.csv", "-o", "out.csv"],
    );
    assert!(out.status.success(), "{stderr}");
    let csv = dir.read("out.csv");
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["'=cmd|' /C calc'!A0", "'+plus", "'@at", "'-minus", "safe"]
    );
    // Read back as a scenario CSV, the ids are the original ones.
    let (out, _, _) = run(&dir, &["convert", "s.csv", "-o", "back.csv"]);
    assert!(out.status.success());
    assert!(dir.read("back.csv").contains("\n'=cmd|' /C calc'!A0,"));
    let (out, stdout, _) = run(
        &dir,
        &["eval", "back.csv", "--catalog", "l.csv", "--format", "csv"],
    );
    assert!(out.status.success());
    assert!(
        stdout.contains("\n'=cmd|' /C calc'!A0,vpc-cni,ok,"),
        "{stdout}"
    );
    // The catalogue CSV escapes too; --no-csv-escape writes fields as they are.
    let (_, stdout, _) = run(&dir, &["catalog", "--catalog", "l.csv", "--format", "csv"]);
    assert!(stdout.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{stdout}");
    let (_, stdout, _) = run(
        &dir,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "l.csv",
            "--format",
            "csv",
            "--no-csv-escape",
        ],
    );
    assert!(stdout.contains("\n+plus,vpc-cni"), "{stdout}");
}

#[test]
fn escape_sequences_in_ids_do_not_reach_the_terminal() {
    let dir = WorkDir::new();
    dir.write(
        "s.csv",
        format!("{HEAD}\"evil\u{1b}[2J\u{1b}]0;pwned\u{7}\",23,m5.large,1,2\n"),
    );
    dir.write("l.csv", LIMITS);
    let (out, stdout, stderr) = run(&dir, &["eval", "s.csv", "--catalog", "l.csv"]);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(
        stdout.contains("evil\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
        "{stdout}"
    );
}

#[test]
fn spreadsheets_that_are_not_xlsx_are_named_for_what_they_are() {
    let dir = WorkDir::new();
    // An encrypted workbook is an OLE compound file holding an EncryptedPackage stream.
    let mut encrypted = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    encrypted.extend([0u8; 512]);
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    dir.write("locked.xlsx", &encrypted);
    let (out, _, stderr) = run(&dir, &["eval", "locked.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: locked.xlsx: this is a password-protected (encrypted) workbook, not a scenario CSV or a legacy xlsx workbook (remove the password"),
        "{stderr}"
    );
    let mut ods = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    ods.start_file("mimetype", zip::write::SimpleFileOptions::default())
        .unwrap();
    ods.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    dir.write("calc.ods", ods.finish().unwrap().into_inner());
    let (_, _, stderr) = run(&dir, &["eval", "calc.ods"]);
    assert!(
        stderr.starts_with("error: calc.ods: this is an OpenDocument spreadsheet (.ods)"),
        "{stderr}"
    );
}

#[test]
fn ipv6_cidrs_overlapping_subnets_and_cr_only_files_are_named_precisely() {
    let dir = WorkDir::new();
    dir.write("l.csv", LIMITS);
    dir.write("v6.csv", format!("{HEAD}a,2600:1f14::/64,m5.large,1,2\n"));
    let (_, _, stderr) = run(&dir, &["eval", "v6.csv", "--catalog", "l.csv"]);
    assert!(
        stderr
            .starts_with("error: v6.csv:2:subnet_cidr: bad CIDR \"2600:1f14::/64\" (an IPv6 CIDR"),
        "{stderr}"
    );
    dir.write(
        "cn.csv",
        "scenario,subnet_cidr,pod_subnet_cidr,custom_networking,instance_type,instances,pods_per_node\n\
         a,10.0.0.0/20,10.0.8.0/21,true,m5.large,1,2\n",
    );
    let (_, _, stderr) = run(&dir, &["eval", "cn.csv", "--catalog", "l.csv"]);
    assert!(
        stderr.starts_with("error: cn.csv:2:pod_subnet_cidr: bad CIDR \"10.0.8.0/21\" (the pod subnet 10.0.8.0/21 overlaps the node subnet 10.0.0.0/20"),
        "{stderr}"
    );
    dir.write(
        "cr.csv",
        format!("{HEAD}a,23,m5.large,1,2\rb,23,m5.large,x,2\r").replace('\n', "\r"),
    );
    let (_, _, stderr) = run(&dir, &["eval", "cr.csv", "--catalog", "l.csv"]);
    assert!(
        stderr.starts_with("error: cr.csv:3:instances: invalid number \"x\""),
        "{stderr}"
    );
}

#[test]
fn faults_after_blank_lines_name_the_line_they_are_on() {
    let dir = WorkDir::new();
    // Blank lines before a row, a quoted line end inside one, CRLF, no final line end.
    dir.write(
        "l.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n\n\nt3.small,x,4\n",
    );
    dir.write("ok.csv", LIMITS);
    let cases = [
        (
            "a.csv",
            format!("{HEAD}a,23,m5.large,1,2\n\n\nb,23,m5.large,x,2\n"),
            5,
        ),
        (
            "b.csv",
            format!("{HEAD}a,23,m5.large,1,2\n,,,,\n\nb,23,m5.large,x,2\n"),
            5,
        ),
        (
            "c.csv",
            format!(
                "{}note\na,23,m5.large,1,2,\n\nb,23,m5.large,1,2,\"b\nc\"\n\nd,23,m5.large,x,2,\n",
                HEAD.replace('\n', ",")
            ),
            7,
        ),
        (
            "d.csv",
            format!("{HEAD}a,23,m5.large,1,2\n\n\nb,23,m5.large,x,2").replace('\n', "\r\n"),
            5,
        ),
    ];
    for (name, text, line) in cases {
        dir.write(name, text);
        let (_, _, stderr) = run(&dir, &["eval", name, "--catalog", "ok.csv"]);
        assert!(
            stderr.starts_with(&format!(
                "error: {name}:{line}:instances: invalid number \"x\""
            )),
            "{name}: {stderr}"
        );
    }
    dir.write(
        "e.csv",
        format!("{HEAD}a,23,m5.large,1,2\n\n\nb,23,m5.large,1\n"),
    );
    let (_, _, stderr) = run(&dir, &["eval", "e.csv", "--catalog", "ok.csv"]);
    assert!(
        stderr.starts_with("error: e.csv:5: malformed CSV: 4 fields where the header has 5"),
        "{stderr}"
    );
    // The same in a limits CSV.
    let (_, _, stderr) = run(&dir, &["eval", "a.csv", "--catalog", "l.csv"]);
    assert!(
        stderr.contains("error: l.csv:5:eni_limit: invalid number \"x\""),
        "{stderr}"
    );
    dir.write(
        "m.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n\n\nt3.small,3\n",
    );
    let (_, _, stderr) = run(&dir, &["catalog", "m5.large", "--catalog", "m.csv"]);
    assert!(
        stderr.starts_with("error: m.csv:5: malformed CSV: 2 fields where the header has 3"),
        "{stderr}"
    );
}

#[test]
fn a_missing_hypervisor_reads_as_not_nitro_in_every_format() {
    // ipamd reads EC2's missing Hypervisor as "unknown", not Nitro (awsutils.go 1948-1951,
    // 2025-2031), as the EKS max-pods calculator does: a describe-instance-types entry without
    // it, a limits CSV's `unknown` and a blank one all mean the same.
    let dir = WorkDir::new();
    let entry = |hypervisor: &str| {
        format!(
            "{{\"InstanceTypes\":[{{\"InstanceType\":\"m5.large\",{hypervisor}\"BareMetal\":false,\
             \"NetworkInfo\":{{\"MaximumNetworkInterfaces\":3,\"Ipv4AddressesPerInterface\":10}}}}]}}"
        )
    };
    dir.write("nitro.json", entry("\"Hypervisor\":\"nitro\","));
    dir.write("unsaid.json", entry(""));
    dir.write(
        "unknown.csv",
        "instance_type,eni_limit,ipv4_per_eni,hypervisor_type,is_bare_metal\nm5.large,3,10,unknown,false\n",
    );
    dir.write(
        "blank.csv",
        "instance_type,eni_limit,ipv4_per_eni,hypervisor_type,is_bare_metal\nm5.large,3,10,,false\n",
    );
    dir.write(
        "pd.csv",
        "scenario,subnet_cidr,prefix_delegation,instance_type,instances,pods_per_node\n\
         s1,23,true,m5.large,10,50\n",
    );
    let used = |extra: &[&str]| {
        let mut args = vec!["eval", "pd.csv", "--format", "csv"];
        args.extend(extra);
        let (out, stdout, stderr) = run(&dir, &args);
        assert!(out.status.success(), "{stderr}");
        let row = stdout.lines().nth(1).unwrap().to_owned();
        (row.split(',').nth(4).unwrap().to_owned(), stdout, stderr)
    };
    let alone = |file: &'static str| ["--catalog", file, "--no-builtin-catalog"];
    let (nitro, ..) = used(&alone("nitro.json"));
    let (secondary, stdout, _) = used(&alone("unsaid.json"));
    assert_ne!(secondary, nitro, "secondary IPs, not prefixes");
    assert!(
        stdout.contains("prefix delegation needs a Nitro or bare-metal type; ipamd falls back"),
        "{stdout}"
    );
    assert!(!stdout.contains("assumed"), "{stdout}");
    for file in ["unknown.csv", "blank.csv"] {
        assert_eq!(used(&alone(file)).0, secondary, "{file}");
    }
    // Over the built-in data, which knows m5.large is Nitro, a file that does not say leaves it.
    for file in ["unsaid.json", "unknown.csv", "blank.csv"] {
        assert_eq!(used(&["--catalog", file]).0, nitro, "{file}");
    }
}

#[test]
fn catalog_offers_only_the_formats_it_writes() {
    let dir = WorkDir::new();
    dir.write("l.csv", LIMITS);
    let (_, help, _) = run(&dir, &["catalog", "--help"]);
    assert!(help.contains("- json:"), "{help}");
    assert!(!help.contains("xlsx:"), "{help}");
    let (out, _, stderr) = run(&dir, &["catalog", "--catalog", "l.csv", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("invalid value 'xlsx'"), "{stderr}");
    let (out, _, stderr) = run(&dir, &["catalog", "--catalog", "l.csv", "-o", "l.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("catalog writes table, csv or json"),
        "{stderr}"
    );
    assert!(!dir.join("l.xlsx").exists());
}

#[test]
fn a_scenario_csv_given_as_a_catalogue_is_refused_for_what_it_is() {
    let dir = WorkDir::new();
    dir.write("l.csv", LIMITS);
    dir.write(
        "s.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node,max_pods\na,23,m5.large,1,2,110\n",
    );
    let (out, stdout, stderr) = run(
        &dir,
        &[
            "catalog",
            "m5.large",
            "--catalog",
            "l.csv",
            "--catalog",
            "s.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stderr.starts_with(
            "error: s.csv:1: this is a scenario CSV (its header has a scenario column), not an instance catalogue"
        ),
        "{stderr}"
    );
}

#[test]
fn a_read_only_output_file_is_not_replaced() {
    let dir = WorkDir::new();
    dir.write("l.csv", LIMITS);
    dir.write("s.csv", format!("{HEAD}a,23,m5.large,1,2\n"));
    dir.write("out.csv", "keep me\n");
    let path = dir.join("out.csv");
    let mut read_only = std::fs::metadata(&path).unwrap().permissions();
    read_only.set_readonly(true);
    std::fs::set_permissions(&path, read_only).unwrap();
    for out in ["out.csv", "./out.csv"] {
        let (status, _, stderr) = run(&dir, &["eval", "s.csv", "--catalog", "l.csv", "-o", out]);
        assert_eq!(status.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("out.csv: cannot write: the file is read-only (make it writable"),
            "{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me\n");
    }
    assert_eq!(dir.files().len(), 3, "{:?}", dir.files());
}

#[test]
fn empty_columns_a_spreadsheet_adds_are_read_and_a_value_in_one_is_named() {
    let dir = WorkDir::new();
    dir.write("l.csv", LIMITS);
    let head = HEAD.trim_end();
    dir.write(
        "t.csv",
        format!("{head},,\na,23,m5.large,1,2,,\nb,23,m5.large,1,3,,\n"),
    );
    let (out, stdout, stderr) = run(
        &dir,
        &["eval", "t.csv", "--catalog", "l.csv", "--format", "csv"],
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    dir.write(
        "v.csv",
        format!("{head},,\na,23,m5.large,1,2,,\nb,23,m5.large,1,3,,7\n"),
    );
    let (out, stdout, stderr) = run(
        &dir,
        &["eval", "v.csv", "--catalog", "l.csv", "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.starts_with(
            "error: v.csv:3:column 7: malformed CSV: \"7\" is in a column without a name in the header"
        ),
        "{stderr}"
    );
    // A row whose only value is in an unnamed column is not a blank row to skip.
    dir.write("w.csv", format!("{head},\na,23,m5.large,1,2,\n,,,,,9\n"));
    let (out, _, stderr) = run(&dir, &["eval", "w.csv", "--catalog", "l.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: w.csv:3:scenario: missing value"),
        "{stderr}"
    );
}

#[test]
fn a_type_listed_again_with_other_limits_in_one_catalogue_is_an_error() {
    let dir = WorkDir::new();
    dir.write(
        "d.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\nM5.LARGE,2,5\n",
    );
    dir.write(
        "same.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\nm5.large,3,10\n",
    );
    dir.write("eni-max-pods.txt", "m5.large 29\n# comment\nm5.large 30\n");
    let entry = |enis: u32| {
        format!(
            "{{\"InstanceType\":\"m5.large\",\"Hypervisor\":\"nitro\",\"NetworkInfo\":\
             {{\"MaximumNetworkInterfaces\":{enis},\"Ipv4AddressesPerInterface\":10}}}}"
        )
    };
    dir.write(
        "d.json",
        format!("{{\"InstanceTypes\":[{},{}]}}", entry(3), entry(4)),
    );
    for (file, message) in [
        (
            "d.csv",
            "error: d.csv:3: instance type \"M5.LARGE\" is listed again with other limits (first at d.csv:2)",
        ),
        (
            "eni-max-pods.txt",
            "error: eni-max-pods.txt:3: instance type \"m5.large\" is listed again with other limits (first at eni-max-pods.txt:1)",
        ),
        (
            "d.json",
            "error: d.json:InstanceTypes[1] (m5.large): instance type \"m5.large\" is listed again with other limits (first at d.json:InstanceTypes[0] (m5.large))",
        ),
    ] {
        let (out, _, stderr) = run(&dir, &["catalog", "--catalog", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(stderr.starts_with(message), "{file}: {stderr}");
    }
    // Listed twice alike: only said twice.
    let (out, stdout, stderr) = run(
        &dir,
        &["catalog", "--catalog", "same.csv", "--format", "csv"],
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("\nm5.large,3,10,"), "{stdout}");
}

#[test]
fn rows_typed_under_the_table_are_left_out_with_a_note() {
    let dir = WorkDir::new();
    let path = shipped_book(&dir, "under.xlsx");
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="40"><c r="A40" t="inlineStr"><is><t>m5.large</t></is></c><c r="B40"><v>5</v></c><c r="C40"><v>10</v></c></row></sheetData>"#,
        )
    });
    let (out, stdout, stderr) = run(&dir, &["eval", "under.xlsx"]);
    assert!(out.status.success(), "{stderr}");
    // The figures are the workbook's: the row is not counted.
    assert!(
        stdout.contains("under#WarmENI  workbook  ok             510   351        159"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "note: under.xlsx:WarmENI: the rows from A40 on are below the table Table3, so the workbook's formulas do not count them"
        ),
        "{stderr}"
    );
    // The shipped layout alone says nothing of the kind.
    shipped_book(&dir, "plain.xlsx");
    let (_, _, stderr) = run(&dir, &["eval", "plain.xlsx"]);
    assert!(!stderr.contains("below the table"), "{stderr}");
}
