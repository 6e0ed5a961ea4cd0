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

/// A scenario CSV of `n` scenarios of m5.large node groups.
fn many_scenarios(n: usize) -> String {
    let mut text = String::from(HEAD);
    for i in 0..n {
        text.push_str(&format!("s{i},22,m5.large,{},10,\n", 1 + i % 7));
    }
    text
}

/// Runs the binary with files limited to `max_file_bytes` (RLIMIT_FSIZE, as `ulimit -f` sets
/// it; SIGXFSZ ignored, so that a write past it fails with EFBIG as on a full disk) and its
/// temporary directory in the work directory.
#[cfg(target_os = "linux")]
fn run_with_file_limit(dir: &WorkDir, max_file_bytes: u64, args: &[&str]) -> (Output, String) {
    use std::os::unix::process::CommandExt;
    let mut cmd = dir.command();
    cmd.args(args).env("TMPDIR", dir.path());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: max_file_bytes,
                rlim_max: max_file_bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out, stderr)
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_under_the_xlsx_writers_temporary_files_is_an_error_not_a_panic() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("s.csv", many_scenarios(2000));
    // The report's sheets go through temporary files beside the output: they hit the limit.
    let (out, stderr) = run_with_file_limit(
        &dir,
        64 << 10,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "r.xlsx",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let dir_name = dir.path().display().to_string();
    assert_eq!(
        stderr,
        "error: r.xlsx: cannot write: a temporary file of the xlsx writer beside it could not \
         be written: File too large (os error 27)\n"
    );
    assert_eq!(dir.files(), ["limits.csv", "s.csv"], "nothing left behind");
    // Written through to a device, the temporary files go to the temporary directory.
    let (out, stderr) = run_with_file_limit(
        &dir,
        64 << 10,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "/dev/null",
            "--format",
            "xlsx",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: /dev/null: cannot write: a temporary file of the xlsx writer in {dir_name}"
        )),
        "{stderr}"
    );
    // With room, the same run writes the report.
    let (out, stderr) = run_with_file_limit(
        &dir,
        64 << 20,
        &[
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "r.xlsx",
            "-q",
        ],
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(dir.files(), ["limits.csv", "r.xlsx", "s.csv"]);
}

#[test]
#[cfg(target_os = "linux")]
fn every_output_that_cannot_be_written_is_exit_1_naming_it() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("s.csv", many_scenarios(300));
    let eval = ["eval", "s.csv", "--catalog", "limits.csv", "-q"];
    for (extra, shown) in [
        (&["-o", "r.csv"][..], "r.csv"),
        (&["-o", "r.json"], "r.json"),
        (&["-o", "r.txt"], "r.txt"),
        (&["-o", "r.xlsx"], "r.xlsx"),
        (&["-o", "/dev/full", "--format", "csv"], "/dev/full"),
        (&["-o", "/dev/full", "--format", "json"], "/dev/full"),
        (&["-o", "/dev/full", "--format", "table"], "/dev/full"),
        (&["-o", "/dev/full", "--format", "xlsx"], "/dev/full"),
    ] {
        let args: Vec<&str> = eval.iter().chain(extra).copied().collect();
        let (out, stderr) = run_with_file_limit(&dir, 4 << 10, &args);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {shown}: cannot write: ")),
            "{extra:?}: {stderr}"
        );
        assert!(
            stderr.contains("File too large") || stderr.contains("No space left on device"),
            "{extra:?}: {stderr}"
        );
    }
    // Standard output on a full device, and the other commands.
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for args in [
        &[
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
        ][..],
        &["eval", "s.csv", "--catalog", "limits.csv"],
        &["convert", "s.csv", "-o", "-"],
        &["man"],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
    ] {
        let out = dir.command().args(args).stdout(full()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("standard output") && stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    // Manual pages appear together or not at all.
    let (out, stderr) = run_with_file_limit(&dir, 4 << 10, &["man", "--dir", "man"]);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.join("man")).unwrap().count(), 0);
    // Standard input is copied to the temporary directory: a failure there is named by it.
    let mut child = dir.command();
    child
        .args(["eval", "-", "--catalog", "limits.csv", "-o", "r.csv"])
        .env("TMPDIR", dir.join("missing"))
        .stdin(std::fs::File::open(dir.join("s.csv")).unwrap());
    let out = child.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {}: cannot write: cannot keep a temporary copy of standard input here",
            dir.join("missing").display()
        )),
        "{stderr}"
    );
    // Standard error that cannot be written does not crash the run.
    let out = dir
        .command()
        .args(["eval", "missing.csv"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[cfg(unix)]
fn an_output_that_is_a_loop_of_links_is_refused_and_kept() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("s.csv", many_scenarios(2));
    std::os::unix::fs::symlink("b.csv", dir.join("a.csv")).unwrap();
    std::os::unix::fs::symlink("a.csv", dir.join("b.csv")).unwrap();
    let (out, _, stderr) = run(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv", "-o", "a.csv"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("cannot write: a loop of symbolic links, which leads to no file"),
        "{stderr}"
    );
    assert!(
        std::fs::symlink_metadata(dir.join("a.csv"))
            .unwrap()
            .is_symlink()
    );
}
