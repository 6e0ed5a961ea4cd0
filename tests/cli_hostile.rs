//! Hostile and odd inputs, round 2, through the binary: quotes left open in CSVs, write
//! failures (full disks), count explosions in small workbooks, links in directories, dates where
//! counts belong, renamed report sheets, `.xlsb`. Every input file is built here, in code.

mod common;

use std::process::Output;

use common::WorkDir;

const HEAD: &str = "scenario,subnet_cidr,instance_type,instances,pods_per_node,note\n";
const LIMITS: &str = "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n";

fn run(dir: &WorkDir, args: &[&str]) -> (Output, String, String) {
    let out = dir.command().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out, stdout, stderr)
}

#[test]
fn a_quote_left_open_in_a_note_is_an_error_naming_its_line() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    // The note of b opens a quote that nothing closes: c and d would vanish into it.
    dir.write(
        "s.csv",
        format!(
            "{HEAD}a,24,m5.large,2,10,fine\nb,24,m5.large,2,10,\"oops\nc,24,m5.large,3,10,x\n\
             d,24,m5.large,4,10,y\n"
        ),
    );
    for args in [
        &["eval", "s.csv", "--catalog", "limits.csv"][..],
        &["eval", "s.csv", "--catalog", "limits.csv", "-o", "out.csv"],
        &["convert", "s.csv", "-o", "out.csv"],
    ] {
        let (out, stdout, stderr) = run(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            "error: s.csv:3:note: malformed CSV: a quote opened here is never closed: the field \
             runs to the end of the file (line 5), taking in every row after it (close the \
             quote, or remove it)\n",
            "{args:?}"
        );
        assert!(stdout.is_empty(), "{stdout}");
        assert!(!dir.join("out.csv").exists());
    }
    // Open in another column, a limits CSV: the same.
    dir.write(
        "open-cidr.csv",
        format!("{HEAD}a,\"24,m5.large,2,10,\nb,24,m5.large,2,10,\n"),
    );
    let (out, _, stderr) = run(&dir, &["eval", "open-cidr.csv", "--catalog", "limits.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: open-cidr.csv:2:subnet_cidr: malformed CSV: a quote opened here is never closed"
        ),
        "{stderr}"
    );
    dir.write(
        "open-limits.csv",
        "instance_type,eni_limit,ipv4_per_eni,hypervisor\nm5.large,3,10,\"nitro\nc5.large,3,10,nitro\n",
    );
    let (out, _, stderr) = run(&dir, &["catalog", "--catalog", "open-limits.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: open-limits.csv:2:hypervisor: malformed CSV: a quote opened here is never closed"),
        "{stderr}"
    );
}

#[test]
fn only_the_note_runs_over_lines_and_swallowed_rows_are_named() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    // A note over two lines of prose: read, nothing said.
    dir.write(
        "prose.csv",
        format!("{HEAD}a,24,m5.large,2,10,\"two\nlines, of prose\"\nb,24,m5.large,2,10,\n"),
    );
    let (out, stdout, stderr) = run(&dir, &["eval", "prose.csv", "--catalog", "limits.csv"]);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert!(
        stdout.contains("\na ") && stdout.contains("\nb "),
        "{stdout}"
    );
    // A quote opened too early and closed on a later row: the rows between are in the note,
    // which a warning says; --fail-on warning fails on it.
    dir.write(
        "late.csv",
        format!("{HEAD}a,24,m5.large,2,10,\"oops\nb,24,m5.large,3,10,x\nc,24,m5.large,4,10,\"y\n"),
    );
    let (out, stdout, stderr) = run(
        &dir,
        &[
            "eval",
            "late.csv",
            "--catalog",
            "limits.csv",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with(
            "warning: late.csv:2:note: the quoted text runs to line 4 and takes in 2 lines with \
             a row's worth of separators, read as part of this field, not as rows (if a quote \
             was left open, close it)\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--fail-on warning: 1 warning"), "{stderr}");
    assert!(
        stdout.contains("\na ") && !stdout.contains("\nb "),
        "{stdout}"
    );
    // A line end in any other column is an error naming it.
    dir.write("type.csv", format!("{HEAD}a,24,\"m5.large\nb\",2,10,\n"));
    let (out, _, stderr) = run(&dir, &["eval", "type.csv", "--catalog", "limits.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr,
        "error: type.csv:2:instance_type: malformed CSV: a quoted field here holds a line end, \
         and only note may run over lines (check for a quote left open, or put the text on one \
         line)\n"
    );
}
