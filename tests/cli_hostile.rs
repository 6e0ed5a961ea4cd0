//! Hostile and odd inputs, round 2, through the binary: quotes left open in CSVs, write
//! failures (full disks), count explosions in small workbooks, links in directories, dates where
//! counts belong, renamed report sheets, `.xlsb`. Every input file is built here, in code.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::variants::{Calc, Variants, rewrite_part};
use common::{WorkDir, run};
use subnet_calc::evaluation::Sheet;

const HEAD: &str = "scenario,subnet_cidr,instance_type,instances,pods_per_node,note\n";
const LIMITS: &str = "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\n";

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

const SHIPPED: [(&str, f64, f64); 2] = [("m5.12xlarge", 2.0, 100.0), ("c5.2xlarge", 1.0, 30.0)];

/// A legacy workbook of one calculator sheet (the shipped example: 351 addresses used).
fn legacy_book(dir: &WorkDir, name: &str) -> PathBuf {
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

/// Adds parts to a saved xlsx file.
fn add_parts(path: &Path, parts: impl IntoIterator<Item = (String, String)>) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(bytes)).unwrap();
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    std::fs::write(path, zip.finish().unwrap().into_inner()).unwrap();
}

/// Adds `n` empty worksheets to a saved workbook.
fn add_empty_sheets(path: &Path, n: usize) {
    rewrite_part(path, "xl/workbook.xml", |xml| {
        let sheets: String = (0..n)
            .map(|i| {
                format!(
                    r#"<sheet name="E{i}" sheetId="{}" r:id="rE{i}"/>"#,
                    1000 + i
                )
            })
            .collect();
        xml.replace("</sheets>", &format!("{sheets}</sheets>"))
    });
    rewrite_part(path, "xl/_rels/workbook.xml.rels", |xml| {
        let rels: String = (0..n)
            .map(|i| {
                format!(
                    r#"<Relationship Id="rE{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/e{i}.xml"/>"#
                )
            })
            .collect();
        xml.replace("</Relationships>", &format!("{rels}</Relationships>"))
    });
    let empty = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;
    add_parts(
        path,
        (0..n).map(|i| (format!("xl/worksheets/e{i}.xml"), empty.to_owned())),
    );
}

/// Asserts that `name` is refused for holding too many of something, naming the part, the
/// limit and its flag; then read with the limit raised.
fn refused_then_read(dir: &WorkDir, name: &str, message: &str, raise: &[&str]) {
    let (out, _, stderr) = run(dir, &["eval", name]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {name}: {message}")),
        "{stderr}"
    );
    let mut args = vec!["eval", name];
    args.extend(raise);
    let (out, stdout, stderr) = run(dir, &args);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("#WarmENI  workbook  ok"), "{stdout}");
}

#[test]
fn millions_of_empty_cell_formats_are_refused_before_they_are_read() {
    let dir = WorkDir::new();
    let path = legacy_book(&dir, "styles.xlsx");
    rewrite_part(&path, "xl/styles.xml", |xml| {
        let at = xml.find("<cellXfs").unwrap();
        let at = at + xml[at..].find('>').unwrap() + 1;
        format!(
            "{}{}{}",
            &xml[..at],
            "<xf numFmtId=\"0\"/>".repeat(200_001),
            &xml[at..]
        )
    });
    assert!(std::fs::metadata(&path).unwrap().len() < 200 << 10);
    refused_then_read(
        &dir,
        "styles.xlsx",
        "xl/styles.xml holds more than 200000 cell formats (with their number formats, fonts, \
         fills and borders) (Excel keeps at most 65,490 cell formats in a workbook; raise the \
         limit with --max-cell-formats if this one is genuine)",
        &["--max-cell-formats", "300000"],
    );
    // Fonts count as much.
    let path = legacy_book(&dir, "fonts.xlsx");
    rewrite_part(&path, "xl/styles.xml", |xml| {
        xml.replacen("<font>", &format!("{}<font>", "<font/>".repeat(200_001)), 1)
    });
    let (out, _, stderr) = run(&dir, &["eval", "fonts.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("holds more than 200000 cell formats"),
        "{stderr}"
    );
}

#[test]
fn millions_of_shared_strings_are_refused_and_so_is_room_for_them() {
    let dir = WorkDir::new();
    let path = legacy_book(&dir, "strings.xlsx");
    rewrite_part(&path, "xl/sharedStrings.xml", |xml| {
        xml.replace(
            "</sst>",
            &format!("{}</sst>", "<si><t/></si>".repeat(1_048_577)),
        )
    });
    assert!(std::fs::metadata(&path).unwrap().len() < 200 << 10);
    refused_then_read(
        &dir,
        "strings.xlsx",
        "xl/sharedStrings.xml holds more than 1048576 shared strings (a legacy workbook holds a \
         few hundred; raise the limit with --max-shared-strings if this one is genuine)",
        &["--max-shared-strings", "2000000"],
    );
    // A part that declares room for a quadrillion strings (calamine made room for them: it
    // aborted, out of memory).
    let path = legacy_book(&dir, "declared.xlsx");
    rewrite_part(&path, "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}999999999999999{}", &xml[..at], &xml[end..])
    });
    let (out, _, stderr) = run(&dir, &["eval", "declared.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: declared.xlsx: xl/sharedStrings.xml declares 999999999999999 shared strings \
             (for a reader to make room for), over the limit of 1048576"
        ),
        "{stderr}"
    );
}

#[test]
fn thousands_of_sheets_are_refused_and_read_in_linear_time_when_allowed() {
    let dir = WorkDir::new();
    let path = legacy_book(&dir, "sheets.xlsx");
    add_empty_sheets(&path, 6_000);
    let start = std::time::Instant::now();
    refused_then_read(
        &dir,
        "sheets.xlsx",
        "xl/workbook.xml holds more than 1000 sheets (a legacy workbook has a few dozen; raise \
         the limit with --max-sheets if this one is genuine)",
        &["--max-sheets", "7000"],
    );
    // 6,000 sheets took over a minute (a debug build; 6 s optimised) when every sheet's
    // missing relationships part was looked for through every part of the archive.
    let took = start.elapsed();
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
}

#[test]
fn thousands_of_defined_names_are_refused() {
    let dir = WorkDir::new();
    let path = legacy_book(&dir, "names.xlsx");
    rewrite_part(&path, "xl/workbook.xml", |xml| {
        let names = r#"<definedName name="N">WarmENI!$B$4</definedName>"#.repeat(10_001);
        if xml.contains("</definedNames>") {
            xml.replace("</definedNames>", &format!("{names}</definedNames>"))
        } else {
            xml.replace(
                "</sheets>",
                &format!("</sheets><definedNames>{names}</definedNames>"),
            )
        }
    });
    refused_then_read(
        &dir,
        "names.xlsx",
        "xl/workbook.xml holds more than 10000 defined names (a legacy workbook has a few dozen; \
         raise the limit with --max-defined-names if this one is genuine)",
        &["--max-defined-names", "20000"],
    );
}

#[test]
#[cfg(unix)]
fn a_link_in_a_directory_is_read_once_and_a_loop_is_skipped() {
    use std::os::unix::fs::symlink;
    let dir = WorkDir::new();
    std::fs::create_dir(dir.join("d")).unwrap();
    legacy_book(&dir, "d/v0.xlsx");
    legacy_book(&dir, "d/v1.xlsx");
    symlink("v1.xlsx", dir.join("d/latest.xlsx")).unwrap();
    symlink("loop.xlsx", dir.join("d/loop.xlsx")).unwrap();
    let (out, stdout, stderr) = run(&dir, &["eval", "d", "-o", "out.csv"]);
    assert!(out.status.success(), "{stderr}");
    // The closing lines end with the instance data: the built-in catalogue (whose commits change
    // with each refresh), then the workbooks' own lookup sheets, each once.
    let (head, instance_data) = stderr.split_once("  instance data: ").unwrap();
    assert_eq!(
        head,
        "warning: d/loop.xlsx: a loop of symbolic links, which leads to no file; skipped\n\
         note: d/latest.xlsx and d/v1.xlsx are the same file (a link); read once, as d/v1.xlsx\n\
         wrote 2 evaluations to out.csv\n  workbook: 2 evaluations, 0 out of addresses, worst: \
         v1#WarmENI (fullest subnet 68.8 %)\n"
    );
    assert!(instance_data.starts_with("built-in ("), "{instance_data}");
    assert!(
        instance_data.ends_with("), then d/v1.xlsx, d/v0.xlsx\n"),
        "{instance_data}"
    );
    assert!(stdout.is_empty());
    let csv = dir.read("out.csv");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        csv.contains("\nv0#WarmENI,") && csv.contains("\nv1#WarmENI,"),
        "{csv}"
    );
    // A file named, and found again in a directory named: read once, under the name given.
    let (out, stdout, stderr) = run(&dir, &["eval", "d", "d/latest.xlsx"]);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "note: d/v1.xlsx and d/latest.xlsx are the same file (a link); read once, as \
             d/latest.xlsx"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("latest#WarmENI") && !stdout.contains("v1#WarmENI"),
        "{stdout}"
    );
    // Only inputs named twice on the command line are an error.
    for args in [
        &["eval", "d", "d"][..],
        &["eval", "d/v1.xlsx", "d/latest.xlsx"],
        &["eval", "d/v0.xlsx", "d/v0.xlsx"],
    ] {
        let (out, stdout, stderr) = run(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("is named twice"), "{args:?}: {stderr}");
        assert!(stdout.is_empty());
    }
    // --fail-on warning counts the loop.
    let (out, _, stderr) = run(&dir, &["eval", "d", "--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
}

/// Gives `cell` of the sheet part `sheet` a date format (yyyy-mm-dd, Excel's built-in 14) in a
/// saved workbook.
fn date_formatted(path: &Path, sheet: &str, cell: &str) {
    let mut index = 0;
    rewrite_part(path, "xl/styles.xml", |xml| {
        let start = xml.find("<cellXfs").unwrap();
        let end = start + xml[start..].find("</cellXfs>").unwrap();
        index = xml[start..end].matches("<xf ").count();
        format!(
            "{}<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" applyNumberFormat=\"1\"/>{}",
            &xml[..end],
            &xml[end..]
        )
    });
    rewrite_part(path, sheet, |xml| {
        let open = format!("<c r=\"{cell}\"");
        let at = xml.find(&open).unwrap_or_else(|| panic!("no cell {cell}"));
        let end = at + xml[at..].find('>').unwrap();
        let tag: String = xml[at..end]
            .split(' ')
            .filter(|attr| !attr.starts_with("s="))
            .collect::<Vec<_>>()
            .join(" ");
        format!("{}{tag} s=\"{index}\"{}", &xml[..at], &xml[end..])
    });
}

#[test]
fn a_date_where_a_count_belongs_is_refused_naming_the_cell() {
    let dir = WorkDir::new();
    // A legacy workbook whose first node group's "# of Instances" (B23, 2) is formatted as a
    // date: it would be read as 2 nodes only by chance; a date typed there is its serial number.
    let path = legacy_book(&dir, "dated.xlsx");
    date_formatted(&path, "xl/worksheets/sheet1.xml", "B23");
    let (out, stdout, stderr) = run(&dir, &["eval", "dated.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.starts_with(
            "error: dated.xlsx:WarmENI!B23: invalid number \"1900-01-02\" (expected a number of \
             instances, not a date or time: the cell is formatted as one, and holds 2 (give it \
             the General or Number format if 2 is meant))"
        ),
        "{stderr}"
    );
    // The subnet size (B4) too.
    let path = legacy_book(&dir, "dated-size.xlsx");
    date_formatted(&path, "xl/worksheets/sheet1.xml", "B4");
    let (out, _, stderr) = run(&dir, &["eval", "dated-size.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: dated-size.xlsx:WarmENI!B4: invalid number \"1900-01-23\""),
        "{stderr}"
    );
    // A report's Inputs: Instances (E2).
    dir.write("limits.csv", LIMITS);
    dir.write("s.csv", many_scenarios(1));
    let (out, _, stderr) = run(
        &dir,
        &["eval", "s.csv", "--catalog", "limits.csv", "-o", "r.xlsx"],
    );
    assert!(out.status.success(), "{stderr}");
    date_formatted(&dir.join("r.xlsx"), "xl/worksheets/sheet3.xml", "E2");
    let (out, _, stderr) = run(&dir, &["eval", "r.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: r.xlsx:Inputs!E2: invalid number \"1900-01-01\" (expected Instances: a whole \
             number from 0 to 4294967295, not a date or time"
        ),
        "{stderr}"
    );
}

/// A report of one scenario (m5.large, both models) written in `dir` as `name`.
fn report(dir: &WorkDir, name: &str) -> PathBuf {
    dir.write("limits.csv", LIMITS);
    dir.write("one.csv", many_scenarios(1));
    let (out, _, stderr) = run(
        dir,
        &[
            "eval",
            "one.csv",
            "--catalog",
            "limits.csv",
            "--model",
            "both",
            "-o",
            name,
        ],
    );
    assert!(out.status.success(), "{stderr}");
    dir.join(name)
}

/// Renames the sheets of a saved workbook (its tab names only, as a script might).
fn rename_sheets(path: &Path, renames: &[(&str, &str)]) {
    rewrite_part(path, "xl/workbook.xml", |xml| {
        renames.iter().fold(xml.to_owned(), |xml, (from, to)| {
            xml.replace(&format!("name=\"{from}\""), &format!("name=\"{to}\""))
        })
    });
}

/// Takes a sheet out of a saved workbook's list of sheets.
fn drop_sheet(path: &Path, sheet: &str) {
    rewrite_part(path, "xl/workbook.xml", |xml| {
        let at = xml.find(&format!("<sheet name=\"{sheet}\"")).unwrap();
        let end = at + xml[at..].find("/>").unwrap() + 2;
        format!("{}{}", &xml[..at], &xml[end..])
    });
}

#[test]
fn a_report_is_known_by_its_content_whatever_its_sheets_are_called() {
    let dir = WorkDir::new();
    let path = report(&dir, "r.xlsx");
    let (_, expected, _) = run(&dir, &["eval", "r.xlsx", "--format", "csv"]);
    rename_sheets(
        &path,
        &[
            ("Summary", "Overview"),
            ("Inputs", "What we run"),
            ("Catalog", "Limits"),
            ("Outputs", "Results"),
        ],
    );
    let (out, stdout, stderr) = run(&dir, &["eval", "r.xlsx", "--format", "csv"]);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, expected, "the same scenarios, models and limits");
    assert_eq!(stderr, "");
    // Its cells are named on the sheet as it is called now.
    rewrite_part(&path, "xl/worksheets/sheet3.xml", |xml| {
        xml.replacen("<v>1</v>", "<v>-1</v>", 1)
    });
    let (out, _, stderr) = run(&dir, &["eval", "r.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: r.xlsx:What we run!E2: invalid number \"-1\""),
        "{stderr}"
    );
}

#[test]
fn a_report_without_a_part_is_told_what_it_lacks() {
    let dir = WorkDir::new();
    // No Inputs table: an error that says the workbook looks like a report, and what it lacks.
    let path = report(&dir, "no-inputs.xlsx");
    drop_sheet(&path, "Inputs");
    rename_sheets(&path, &[("Catalog", "Limits")]);
    let (out, stdout, stderr) = run(&dir, &["eval", "no-inputs.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with(
            "error: no-inputs.xlsx: missing sheet \"Inputs\" (this looks like a report \
             subnet-calc wrote (its sheet \"Limits\" holds the report's Catalog table, its sheet \
             \"Summary\" names the models run), but no sheet's first row is the header of its \
             Inputs table (Scenario, Node subnet(s), Instance type, Instances, Pods per node, …), \
             where its scenarios are)\n"
        ),
        "{stderr}"
    );
    // A sheet named Inputs without its header row: the header is named.
    let path = report(&dir, "no-header.xlsx");
    rewrite_part(&path, "xl/worksheets/sheet3.xml", |xml| {
        let at = xml.find("<row r=\"1\"").unwrap();
        let end = at + xml[at..].find("</row>").unwrap() + "</row>".len();
        format!("{}{}", &xml[..at], &xml[end..])
    });
    let (out, _, stderr) = run(&dir, &["eval", "no-header.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: no-header.xlsx:Inputs!A1: missing required column \"Scenario\" (the first \
             row of the report's Inputs sheet is its table's header: Scenario, Node subnet(s), \
             Instance type, Instances, Pods per node, …)"
        ),
        "{stderr}"
    );
    // No Catalog table: read, with a note, the types from --catalog.
    let path = report(&dir, "no-catalog.xlsx");
    drop_sheet(&path, "Catalog");
    rename_sheets(&path, &[("Inputs", "Mine")]);
    let (out, _, stderr) = run(
        &dir,
        &["eval", "no-catalog.xlsx", "--catalog", "limits.csv"],
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "note: no-catalog.xlsx: no Catalog table (no sheet's first row is headed Instance type, \
         Max ENIs, IPv4 per ENI); the instance types come from --catalog alone\n"
    );
    let (out, _, stderr) = run(&dir, &["eval", "no-catalog.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("unknown instance type \"m5.large\""),
        "{stderr}"
    );
    // Without a Catalog sheet there is no sheet to add it to: it is given as a file.
    assert!(
        stderr.contains("to add it: aws ec2") && !stderr.contains("Catalog sheet lacks"),
        "{stderr}"
    );
}

#[test]
fn a_reports_catalog_sheet_with_impossible_limits_is_refused_as_a_limits_csv_is() {
    let dir = WorkDir::new();
    let path = report(&dir, "r.xlsx");
    // Max ENIs 0 for m5.large (C2): used would drop, max pods would be 2.
    rewrite_part(&path, "xl/worksheets/sheet8.xml", |xml| {
        xml.replace(
            "<c r=\"C2\" s=\"2\"><v>3</v></c>",
            "<c r=\"C2\" s=\"2\"><v>0</v></c>",
        )
    });
    let (out, stdout, stderr) = run(&dir, &["eval", "r.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr
            .starts_with("error: r.xlsx:Catalog!C2: invalid number \"0\" (expected Max ENIs ≥ 1)"),
        "{stderr}"
    );
    // The limits CSV's words for the same row.
    dir.write(
        "zero.csv",
        "instance_type,eni_limit,ipv4_per_eni\nm5.large,0,10\n",
    );
    let (out, _, stderr) = run(&dir, &["catalog", "--catalog", "zero.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: zero.csv:2:eni_limit: invalid number \"0\" (expected eni_limit ≥ 1)"
        ),
        "{stderr}"
    );
    // IPv4 per ENI 0 (D2) too.
    let path = report(&dir, "r2.xlsx");
    rewrite_part(&path, "xl/worksheets/sheet8.xml", |xml| {
        xml.replace(
            "<c r=\"D2\" s=\"2\"><v>10</v></c>",
            "<c r=\"D2\" s=\"2\"><v>0</v></c>",
        )
    });
    let (out, _, stderr) = run(&dir, &["eval", "r2.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with(
            "error: r2.xlsx:Catalog!D2: invalid number \"0\" (expected IPv4 per ENI ≥ 1)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_xlsb_workbook_is_named_for_what_it_is_with_the_fix() {
    let dir = WorkDir::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in [
        ("[Content_Types].xml", &b"<Types/>"[..]),
        ("xl/workbook.bin", b"\x83\x01\x00\xff\xfe"),
        ("xl/worksheets/sheet1.bin", b"\x00\x01"),
    ] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    dir.write("book.xlsb", &bytes);
    // Renamed .xlsx, it is still what it is.
    dir.write("renamed.xlsx", &bytes);
    for name in ["book.xlsb", "renamed.xlsx"] {
        let (out, _, stderr) = run(&dir, &["eval", name]);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: {name}: this is an Excel binary workbook (.xlsb), not a scenario CSV or \
                 a legacy xlsx workbook (open it in a spreadsheet app and save it as .xlsx)\n"
            )),
            "{stderr}"
        );
    }
    let (out, _, stderr) = run(&dir, &["catalog", "--catalog", "book.xlsb"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: book.xlsb: this is an Excel binary workbook (.xlsb)"),
        "{stderr}"
    );
}

#[test]
#[cfg(target_os = "linux")]
fn a_fifo_or_device_in_a_directory_is_skipped_not_waited_on() {
    let dir = WorkDir::new();
    std::fs::create_dir(dir.join("d")).unwrap();
    legacy_book(&dir, "d/real.xlsx");
    let fifo = std::ffi::CString::new(dir.join("d/fifo.xlsx").display().to_string()).unwrap();
    // SAFETY: a valid C string, a plain system call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", dir.join("d/zero.xlsx")).unwrap();
    let (out, stdout, stderr) = run(&dir, &["eval", "d"]);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "warning: d/fifo.xlsx: not a regular file (a FIFO, a socket or a device); skipped\n\
         warning: d/zero.xlsx: not a regular file (a FIFO, a socket or a device); skipped\n"
    );
    assert!(stdout.contains("real#WarmENI"), "{stdout}");
}

#[test]
fn a_copy_of_a_reports_inputs_sheet_is_named_not_read_in_silence() {
    let dir = WorkDir::new();
    let path = report(&dir, "r.xlsx");
    // The Catalog sheet's place taken by a copy of Inputs.
    rewrite_part(&path, "xl/workbook.xml", |xml| {
        xml.replace("name=\"Catalog\"", "name=\"Inputs (2)\"")
    });
    let inputs = {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet3.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    rewrite_part(&path, "xl/worksheets/sheet8.xml", |_| inputs);
    let (out, _, stderr) = run(&dir, &["eval", "r.xlsx", "--catalog", "limits.csv"]);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(
            "note: r.xlsx: the sheet \"Inputs (2)\" is headed as the Inputs table too; only the \
             first, \"Inputs\", is read\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_long_text_copied_into_every_cell_or_format_that_uses_it_is_refused() {
    let dir = WorkDir::new();
    // A font name of a megabyte used by a thousand cell formats: the reader copies it into each
    // (a 15 KB file took 1.1 GB).
    let path = legacy_book(&dir, "font.xlsx");
    rewrite_part(&path, "xl/styles.xml", |xml| {
        let xml = xml.replacen(
            "<name val=\"Calibri\"/>",
            &format!("<name val=\"{}\"/>", "A".repeat(1 << 20)),
            1,
        );
        let at = xml.find("<cellXfs").unwrap();
        let at = at + xml[at..].find('>').unwrap() + 1;
        format!(
            "{}{}{}",
            &xml[..at],
            "<xf numFmtId=\"0\" fontId=\"0\"/>".repeat(1000),
            &xml[at..]
        )
    });
    let (out, _, stderr) = run(&dir, &["eval", "font.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: font.xlsx: xl/styles.xml holds a style's text (name val) of 1048576 bytes, \
             over the limit of 512 (Excel's font names and number formats are at most 255 \
             characters"
        ),
        "{stderr}"
    );
    // A shared string of a megabyte in 208 cells of a sheet's first rows: a copy for each cell
    // (16 KB took 965 MB), held to --max-uncompressed for the workbook.
    let path = legacy_book(&dir, "strings.xlsx");
    let mut index = 0;
    rewrite_part(&path, "xl/sharedStrings.xml", |xml| {
        index = xml.matches("<si>").count();
        xml.replace(
            "</sst>",
            &format!("<si><t>{}</t></si></sst>", "B".repeat(1 << 20)),
        )
    });
    let cells: String = (30..38)
        .map(|r| {
            let row: String = (b'A'..=b'Z')
                .map(|c| format!("<c r=\"{}{r}\" t=\"s\"><v>{index}</v></c>", c as char))
                .collect();
            format!("<row r=\"{r}\">{row}</row>")
        })
        .collect();
    add_parts(
        &path,
        [(
            "xl/worksheets/notes.xml".to_owned(),
            format!(
                "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
                 <sheetData>{cells}</sheetData></worksheet>"
            ),
        )],
    );
    rewrite_part(&path, "xl/workbook.xml", |xml| {
        xml.replace(
            "</sheets>",
            "<sheet name=\"Notes\" sheetId=\"99\" r:id=\"rNotes\"/></sheets>",
        )
    });
    rewrite_part(&path, "xl/_rels/workbook.xml.rels", |xml| {
        xml.replace(
            "</Relationships>",
            "<Relationship Id=\"rNotes\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/notes.xml\"/></Relationships>",
        )
    });
    let (out, _, stderr) = run(&dir, &["eval", "strings.xlsx", "--max-uncompressed", "64M"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: strings.xlsx:Notes: the cells read from the workbook hold more than 64 MB of \
             text"
        ),
        "{stderr}"
    );
    // Within the limit, the same workbook is read.
    let (out, stdout, stderr) = run(&dir, &["eval", "strings.xlsx"]);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("strings#WarmENI"), "{stdout}");
}

#[test]
fn empty_defined_names_are_counted_too() {
    let dir = WorkDir::new();
    let path = legacy_book(&dir, "names.xlsx");
    rewrite_part(&path, "xl/workbook.xml", |xml| {
        let names = r#"<definedName name="N"/>"#.repeat(10_001);
        if xml.contains("</definedNames>") {
            xml.replace("</definedNames>", &format!("{names}</definedNames>"))
        } else {
            xml.replace(
                "</sheets>",
                &format!("</sheets><definedNames>{names}</definedNames>"),
            )
        }
    });
    let (out, _, stderr) = run(&dir, &["eval", "names.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .starts_with("error: names.xlsx: xl/workbook.xml holds more than 10000 defined names"),
        "{stderr}"
    );
}
