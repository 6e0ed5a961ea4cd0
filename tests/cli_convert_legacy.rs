//! `subnet-calc convert --to legacy`, run as a user runs it: the workbooks written, the scenarios
//! skipped by name, the round trip through the legacy workbook, and the errors that write nothing.

mod common;

use std::process::Output;

use common::{WorkDir, fixture};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `eval --model workbook --format csv` of some inputs: (scenario, used IPs) per row.
fn used_ips(dir: &WorkDir, inputs: &[&str], catalogs: &[&str]) -> Vec<(String, String)> {
    let mut cmd = dir.command();
    cmd.arg("eval").args(inputs);
    for c in catalogs {
        cmd.args(["--catalog", c]);
    }
    let out = cmd
        .args(["--model", "workbook", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(&r.headers().unwrap()[4], "used_ips");
    r.records()
        .map(|row| {
            let row = row.unwrap();
            (row[0].to_owned(), row[4].to_owned())
        })
        .collect()
}

fn copy_fixtures(dir: &WorkDir) {
    for name in std::iter::once("scenarios.csv").chain(CATALOGS) {
        dir.copy(&fixture(name), name);
    }
}

const CATALOGS: [&str; 3] = common::FIXTURE_CATALOGS;

#[test]
fn the_fixture_scenarios_export_and_the_inexpressible_ones_are_skipped_by_name() {
    let dir = WorkDir::new();
    copy_fixtures(&dir);
    let out = dir
        .command()
        .args(["convert", "scenarios.csv"])
        .args(CATALOGS.iter().flat_map(|c| ["--catalog", c]))
        .args(["-o", "out", "--to", "legacy"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for (id, reason) in [
        ("batch-min-ip", "MINIMUM_IP_TARGET"),
        ("dense-prefix", "prefix delegation"),
        ("xen-fallback", "prefix delegation"),
        ("custom-net", "custom networking"),
        ("multi-az", "more than one subnet"),
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("skipped {id}: ")))
            .unwrap_or_else(|| panic!("no skip line for {id} in {err}"));
        assert!(line.contains(reason), "{line}");
    }
    assert!(
        err.contains("wrote 5 legacy workbooks to out (5 skipped)"),
        "{err}"
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "al2-metal.xlsx",
            "api-warm-ip.xlsx",
            "legacy-defaults.xlsx",
            "too-small.xlsx",
            "web-warm-eni.xlsx"
        ]
    );

    // Each exported workbook evaluates, with its own lookup sheets, to the numbers of the CSV
    // scenario it came from.
    let from_csv = used_ips(&dir, &["scenarios.csv"], &CATALOGS);
    let exported = used_ips(
        &dir,
        &[
            "out/api-warm-ip.xlsx",
            "out/legacy-defaults.xlsx",
            "out/too-small.xlsx",
            "out/web-warm-eni.xlsx",
        ],
        &[],
    );
    assert_eq!(
        exported
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        [
            "api-warm-ip#WarmIP",
            "legacy-defaults#WarmENI",
            "too-small#WarmENI",
            "web-warm-eni#WarmENI"
        ]
    );
    for (id, used) in &exported {
        let stem = id.split('#').next().unwrap();
        let expected = from_csv
            .iter()
            .find(|(i, _)| i == stem)
            .unwrap_or_else(|| panic!("{stem} not in {from_csv:?}"));
        assert_eq!(used, &expected.1, "{id}");
    }
    assert!(
        exported
            .iter()
            .any(|(id, used)| id == "legacy-defaults#WarmENI" && used == "351")
    );
}

#[test]
#[cfg_attr(
    no_legacy_workbook,
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED)"
)]
fn the_legacy_workbook_round_trips_through_the_export() {
    let book = common::legacy_workbook();
    let dir = WorkDir::new();
    dir.copy(&book, "subnet-calc.xlsx");
    let out = dir
        .command()
        .args([
            "convert",
            "subnet-calc.xlsx",
            "-o",
            "exported",
            "--to",
            "legacy",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("skipped"), "{}", stderr(&out));
    // Both sheets' scenarios come from subnet-calc.xlsx: each export is named after its sheet,
    // and reads back with its original id.
    assert_eq!(
        used_ips(&dir, &["exported/subnet-calc-WarmENI.xlsx"], &[]),
        [("subnet-calc#WarmENI".to_owned(), "351".to_owned())]
    );
    assert_eq!(
        used_ips(&dir, &["exported/subnet-calc-WarmIP.xlsx"], &[]),
        [("subnet-calc#WarmIP".to_owned(), "276".to_owned())]
    );
    // Exporting again is refused, naming the workbooks it would replace; nothing is written.
    let before = std::fs::read(dir.join("exported/subnet-calc-WarmIP.xlsx")).unwrap();
    let refused = dir
        .command()
        .args([
            "convert",
            "subnet-calc.xlsx",
            "-o",
            "exported",
            "--to",
            "legacy",
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).starts_with(
            "error: the export of 2 workbooks would replace exported/subnet-calc-WarmENI.xlsx, exported/subnet-calc-WarmIP.xlsx (add --force"
        ),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read(dir.join("exported/subnet-calc-WarmIP.xlsx")).unwrap(),
        before
    );
    // --force replaces them.
    let again = dir
        .command()
        .args([
            "convert",
            "subnet-calc.xlsx",
            "-o",
            "exported",
            "--to",
            "legacy",
            "--force",
        ])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(std::fs::read_dir(dir.join("exported")).unwrap().count(), 2);
    // Not one marked read-only: nothing is replaced.
    let locked = dir.join("exported/subnet-calc-WarmIP.xlsx");
    let before = std::fs::read(&locked).unwrap();
    let mut read_only = std::fs::metadata(&locked).unwrap().permissions();
    read_only.set_readonly(true);
    std::fs::set_permissions(&locked, read_only).unwrap();
    let refused = dir
        .command()
        .args([
            "convert",
            "subnet-calc.xlsx",
            "-o",
            "exported",
            "--to",
            "legacy",
            "--force",
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("subnet-calc-WarmIP.xlsx: cannot write: the file is read-only"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read(&locked).unwrap(), before);
    assert_eq!(std::fs::read_dir(dir.join("exported")).unwrap().count(), 2);
}

/// Runs a convert that must fail with exit status 2 and `message` on standard error.
fn fails(dir: &WorkDir, args: &[&str], message: &str) {
    let out = dir.command().args(args).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(message), "{args:?}: {err}");
}

#[test]
fn errors_exit_2_and_write_nothing() {
    let dir = WorkDir::new();
    copy_fixtures(&dir);
    let before = dir.files();

    // A scenario CSV without a catalogue (the built-in one left out).
    fails(
        &dir,
        &[
            "convert",
            "scenarios.csv",
            "--no-builtin-catalog",
            "-o",
            "out",
            "--to",
            "legacy",
        ],
        "no instance catalogue",
    );
    // -o names a file.
    dir.write("taken.csv", "keep me");
    fails(
        &dir,
        &[
            "convert",
            "scenarios.csv",
            "--catalog",
            "instance-types.json",
            "-o",
            "taken.csv",
            "--to",
            "legacy",
        ],
        "-o names an existing file",
    );
    assert_eq!(dir.read("taken.csv"), "keep me");
    // An unknown instance type.
    dir.write(
        "typo.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\nt,24,m5.lareg,1,10\n",
    );
    fails(
        &dir,
        &[
            "convert",
            "typo.csv",
            "--catalog",
            "instance-types.json",
            "-o",
            "out",
            "--to",
            "legacy",
        ],
        "unknown instance type \"m5.lareg\"",
    );
    // Nothing the layout can express.
    dir.write(
        "pd.csv",
        "scenario,subnet_cidr,prefix_delegation,instance_type,instances,pods_per_node\npd,24,true,m5.large,1,10\n",
    );
    let out = dir
        .command()
        .args(["convert", "pd.csv", "--catalog", "instance-types.json"])
        .args(["-o", "out", "--to", "legacy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("skipped pd: unsupported by the legacy workbook: prefix delegation")
    );
    assert!(stderr(&out).contains("none of the 1 scenarios can be exported"));
    // --catalog only means something for --to legacy.
    fails(
        &dir,
        &[
            "convert",
            "scenarios.csv",
            "--catalog",
            "instance-types.json",
            "-o",
            "all.csv",
        ],
        "--catalog is used only with --to legacy",
    );

    let mut expected = before;
    expected.extend([
        "pd.csv".to_owned(),
        "taken.csv".to_owned(),
        "typo.csv".to_owned(),
    ]);
    expected.sort();
    assert_eq!(
        dir.files(),
        expected,
        "no output, no directory, no temporary file"
    );
}

#[test]
fn an_export_over_its_own_input_is_refused() {
    let dir = WorkDir::new();
    copy_fixtures(&dir);
    dir.write(
        "team.csv",
        "scenario,subnet_cidr,warm_eni_target,instance_type,instances,pods_per_node\nteam,24,1,m5.large,2,10\n",
    );
    let out = dir
        .command()
        .args(["convert", "team.csv", "--catalog", "instance-types.json"])
        .args(["-o", ".", "--to", "legacy"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("team.xlsx").is_file());
    // team.xlsx, read back, has the id team#WarmENI: exporting it into its own folder would
    // overwrite it.
    let out = dir
        .command()
        .args(["convert", "team.xlsx", "-o", ".", "--to", "legacy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("refusing to write the output over an input"));
}

#[test]
fn exporting_an_export_keeps_its_name() {
    let dir = WorkDir::new();
    copy_fixtures(&dir);
    // One scenario exported: a one-sheet workbook (WarmENI).
    dir.write(
        "one.csv",
        std::fs::read_to_string(dir.join("scenarios.csv"))
            .unwrap()
            .lines()
            .take(3)
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    let out = dir
        .command()
        .args(["convert", "one.csv"])
        .args(CATALOGS.iter().flat_map(|c| ["--catalog", c]))
        .args(["-o", "first", "--to", "legacy"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // As `convert` names the WarmENI export of a two-sheet team.xlsx; read back, its id is
    // team#WarmENI. Exported again it is team-WarmENI.xlsx, not team.xlsx (which, beside it,
    // is the user's two-sheet original).
    dir.copy(&dir.join("first/legacy-defaults.xlsx"), "team-WarmENI.xlsx");
    dir.write("team.xlsx", "the original");
    let out = dir
        .command()
        .args(["convert", "team-WarmENI.xlsx", "-o", ".", "--to", "legacy"])
        .output()
        .unwrap();
    // Into its own folder: it would land on itself, which is refused, even with --force.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "error: ./team-WarmENI.xlsx: refusing to write the output over an input file"
        ),
        "{}",
        stderr(&out)
    );
    let out = dir
        .command()
        .args([
            "convert",
            "team-WarmENI.xlsx",
            "-o",
            "again",
            "--to",
            "legacy",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "wrote 1 legacy workbook to again\n");
    // One workbook in the way is "it".
    let out = dir
        .command()
        .args([
            "convert",
            "team-WarmENI.xlsx",
            "-o",
            "again",
            "--to",
            "legacy",
        ])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&out),
        "error: the export would replace again/team-WarmENI.xlsx (add --force to replace it, or \
         name another directory with -o; nothing was written)\n"
    );
    let names: Vec<String> = std::fs::read_dir(dir.join("again"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["team-WarmENI.xlsx"]);
    assert_eq!(
        used_ips(&dir, &["again/team-WarmENI.xlsx"], &[])[0].0,
        "team#WarmENI"
    );
    assert_eq!(dir.read("team.xlsx"), "the original");
}
