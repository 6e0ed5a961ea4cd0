//! Big scenario CSVs stream through `eval` in batches: order kept across batches, the first
//! fault named wherever it is, nothing written half-way, progress only on a terminal, `--quiet`
//! and `--threads`.

mod common;

use std::fmt::Write as _;

use common::WorkDir;

const HEAD: &str = "scenario,subnet_cidr,warm_ip_target,instance_type,instances,pods_per_node\n";
const LIMITS: &str = "instance_type,eni_limit,ipv4_per_eni\nm5.large,3,10\nm5.xlarge,4,15\n";

/// More scenarios than one batch holds (16,384), so that a run spans three batches.
const SCENARIOS: usize = 40_000;

/// `n` scenarios of two node groups each (the second row leaves the scenario-level values
/// blank), each scenario's figures depending on its number.
fn scenarios(n: usize) -> String {
    let mut csv = String::from(HEAD);
    for i in 0..n {
        let _ = writeln!(
            csv,
            "s{i:05},{},{},m5.large,{},{}",
            20 + i % 6,
            i % 7,
            1 + i % 9,
            i % 40
        );
        let _ = writeln!(csv, "s{i:05},,,m5.xlarge,{},{}", 1 + i % 3, i % 50);
    }
    csv
}

/// The `scenario` column of a summary CSV.
fn ids(summary: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(summary.as_bytes());
    r.records().map(|row| row.unwrap()[0].to_owned()).collect()
}

#[test]
fn rows_keep_their_order_across_batches_whatever_the_threads() {
    let dir = WorkDir::new();
    dir.write("big.csv", scenarios(SCENARIOS));
    dir.write("limits.csv", LIMITS);
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = dir
            .command()
            .args([
                "eval",
                "big.csv",
                "--catalog",
                "limits.csv",
                "--threads",
                threads,
            ])
            .args(["-o", &format!("out{threads}.csv")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(dir.read(&format!("out{threads}.csv")));
    }
    let expected: Vec<String> = (0..SCENARIOS).map(|i| format!("s{i:05}")).collect();
    assert_eq!(ids(&outputs[0]), expected);
    assert_eq!(
        outputs[0], outputs[1],
        "one thread and two write the same bytes"
    );
    assert_eq!(outputs[0], outputs[2]);

    // Each scenario's figures are those it has on its own.
    for i in [0, 16_383, 16_384, 16_385, 32_768, SCENARIOS - 1] {
        let mut one = String::from(HEAD);
        let all = scenarios(SCENARIOS);
        one.extend(
            all.lines()
                .filter(|l| l.starts_with(&format!("s{i:05},")))
                .map(|l| format!("{l}\n")),
        );
        dir.write("one.csv", one);
        let out = dir
            .command()
            .args([
                "eval",
                "one.csv",
                "--catalog",
                "limits.csv",
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        let alone = String::from_utf8(out.stdout).unwrap();
        let row = alone.lines().nth(1).unwrap();
        assert!(outputs[0].lines().any(|l| l == row), "s{i:05}: {row}");
    }
}

/// The `scenario` of each evaluation in a JSON output.
fn json_ids(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["scenario"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn json_keeps_its_order_across_slices_and_batches() {
    // A batch's JSON is handed to the writer in slices of a quarter batch (4,096 scenarios):
    // 40,000 scenarios make ten slices over three batches.
    let dir = WorkDir::new();
    dir.write("big.csv", scenarios(SCENARIOS));
    dir.write("limits.csv", LIMITS);
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir
            .command()
            .args(["eval", "big.csv", "--catalog", "limits.csv"])
            .args(["--threads", threads, "-o", &format!("out{threads}.json")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(dir.read(&format!("out{threads}.json")));
    }
    let expected: Vec<String> = (0..SCENARIOS).map(|i| format!("s{i:05}")).collect();
    assert_eq!(json_ids(&outputs[0]), expected);
    assert_eq!(
        outputs[0], outputs[1],
        "one thread and two write the same bytes"
    );
}

#[test]
fn a_bad_row_in_a_later_slice_of_a_batch_leaves_no_json() {
    // Line 2 * 10,000 + 3 is scenario s10000's second row: the third slice of the first batch,
    // after two slices were written to the temporary file. s15000 (a later slice of the same
    // batch, only checked) and s20000 (the second batch) are bad too.
    let dir = WorkDir::new();
    let csv = scenarios(SCENARIOS)
        .replace("s10000,,,m5.xlarge,", "s10000,,,m5.xlarge,lots")
        .replace("\ns15000,", "\ns15000,/99")
        .replace("\ns20000,", "\ns20000,/99");
    dir.write("big.csv", csv);
    dir.write("limits.csv", LIMITS);
    dir.write("out.json", "{\"kept\": true}\n");
    let out = dir
        .command()
        .args([
            "eval",
            "big.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "out.json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "error: big.csv:{}:instances: invalid number \"lots",
            2 + 2 * 10_000 + 1
        )),
        "{stderr}"
    );
    for (line, scenario) in lines[1..3].iter().zip([15_000, 20_000]) {
        assert!(
            line.starts_with(&format!("error: big.csv:{}:subnet_cidr", 2 + 2 * scenario)),
            "{stderr}"
        );
    }
    assert_eq!(dir.read("out.json"), "{\"kept\": true}\n");
    assert_eq!(dir.files(), ["big.csv", "limits.csv", "out.json"]);
}

#[test]
fn an_id_that_comes_back_batches_later_names_both_lines() {
    let dir = WorkDir::new();
    let mut csv = scenarios(SCENARIOS);
    csv.push_str("s00002,24,,m5.large,1,1\n");
    dir.write("big.csv", csv);
    dir.write("limits.csv", LIMITS);
    let out = dir
        .command()
        .args([
            "eval",
            "big.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "out.csv",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let last_line = 1 + 2 * SCENARIOS + 1;
    assert!(
        stderr.starts_with(&format!(
            "error: big.csv:{last_line}:scenario: the rows of scenario \"s00002\" are apart: it started on line 6"
        )),
        "{stderr}"
    );
    assert!(!dir.join("out.csv").exists());

    // In another input, the id is named with both files.
    dir.write("clean.csv", scenarios(SCENARIOS));
    dir.write("more.csv", format!("{HEAD}s00007,24,,m5.large,1,1\n"));
    let out = dir
        .command()
        .args([
            "eval",
            "clean.csv",
            "more.csv",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(
            "error: more.csv:2:scenario: scenario id \"s00007\" is already used at clean.csv:16"
        ),
        "{stderr}"
    );
}

#[test]
fn a_bad_row_in_the_last_batch_writes_nothing_and_keeps_the_old_output() {
    let dir = WorkDir::new();
    let mut csv = scenarios(SCENARIOS);
    csv.push_str("z,24,,m5.large,many,1\n");
    dir.write("big.csv", csv);
    dir.write("limits.csv", LIMITS);
    dir.write("out.csv", "the team's old figures\n");
    for format in [["-o", "out.csv"], ["--format", "json"]] {
        let out = dir
            .command()
            .args(["eval", "big.csv", "--catalog", "limits.csv"])
            .args(format)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: big.csv:{}:instances: invalid number \"many\"",
                2 + 2 * SCENARIOS
            )),
            "{stderr}"
        );
        // Standard output too is left empty: the whole input is checked before any of it.
        assert!(
            out.stdout.is_empty(),
            "{} bytes on stdout",
            out.stdout.len()
        );
    }
    assert_eq!(dir.read("out.csv"), "the team's old figures\n");
    assert_eq!(dir.files(), ["big.csv", "limits.csv", "out.csv"]);
}

#[test]
fn quiet_runs_say_nothing_but_problems() {
    let dir = WorkDir::new();
    dir.write("s.csv", scenarios(3));
    dir.write("limits.csv", LIMITS);
    let run = |extra: &[&str]| {
        let out = dir
            .command()
            .args(["eval", "s.csv", "--catalog", "limits.csv", "-o", "out.csv"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let said = run(&[]);
    let (counts, data) = said.split_at(said.find("  instance data: ").unwrap_or(0));
    assert_eq!(
        counts,
        "wrote 3 evaluations to out.csv\n  vpc-cni: 3 evaluations, 0 out of addresses, worst: s00002 (fullest subnet 2.9 %)\n"
    );
    assert!(
        data.starts_with("  instance data: built-in (VPC CNI ")
            && data.ends_with("), then limits.csv\n"),
        "{data}"
    );
    assert_eq!(run(&["--quiet"]), "");
    // Before the subcommand too.
    let out = dir
        .command()
        .args([
            "-q",
            "eval",
            "s.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "out.csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
}

#[test]
fn threads_must_be_a_positive_number() {
    let dir = WorkDir::new();
    dir.write("s.csv", scenarios(3));
    dir.write("limits.csv", LIMITS);
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "limits.csv", "--threads", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threads"));
}

/// Runs `args` on a pseudo-terminal (util-linux `script`), returning what the terminal showed;
/// `None` where `script` is missing.
fn on_terminal(dir: &WorkDir, args: &str) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let bin = env!("CARGO_BIN_EXE_subnet-calc");
    let out = std::process::Command::new(script)
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(dir.path())
        .env("SUBNET_CALC_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = WorkDir::new();
    dir.write("big.csv", scenarios(SCENARIOS));
    dir.write("limits.csv", LIMITS);
    // Piped: no bar, however long the run, only the closing line.
    let out = dir
        .command()
        .env("SUBNET_CALC_PROGRESS_DELAY_MS", "0")
        .args([
            "eval",
            "big.csv",
            "--catalog",
            "limits.csv",
            "-o",
            "out.csv",
        ])
        .output()
        .unwrap();
    let piped = String::from_utf8(out.stderr).unwrap();
    assert!(
        piped.starts_with(&format!(
            "wrote {SCENARIOS} evaluations to out.csv\n  vpc-cni: "
        )),
        "{piped:?}"
    );
    assert!(
        !piped.contains('\x1b') && !piped.contains('\r'),
        "{piped:?}"
    );
    let Some(shown) = on_terminal(&dir, "eval big.csv --catalog limits.csv -o t.csv") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs util-linux's script"
        );
        return;
    };
    // The bar itself: its frame and the terminal's line-clearing sequence.
    assert!(
        shown.contains("[=") && shown.contains("\x1b[2K"),
        "{shown:?}"
    );
    assert!(
        shown.contains(&format!("wrote {SCENARIOS} evaluations to t.csv")),
        "{shown:?}"
    );
    // Quiet: no bar and no closing line; the warnings still show.
    let quiet = on_terminal(&dir, "eval big.csv --catalog limits.csv -o q.csv --quiet").unwrap();
    assert!(
        !quiet.contains("[=") && !quiet.contains("wrote"),
        "{quiet:?}"
    );
    // (On a terminal the prefix is coloured.)
    assert!(
        quiet.contains("\x1b[1;33mwarning\x1b[0m: m5.large: 1 pod per node"),
        "{quiet:?}"
    );
}

#[test]
fn faults_of_one_batch_come_in_line_order() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    // A bad value on line 2, a malformed row on line 3, an id coming back on line 5.
    dir.write(
        "s.csv",
        format!("{HEAD}a,24,,m5.large,x,1\nb,24,,m5.large,1\nc,24,,m5.large,1,1\nd,24,,m5.large,1,1\nc,,,m5.large,1,1\n"),
    );
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "limits.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with("error: s.csv:2:instances: invalid number \"x\""),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("error: s.csv:3: malformed CSV: 5 fields where the header has 6"),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with("error: s.csv:6:scenario: the rows of scenario \"c\" are apart"),
        "{stderr}"
    );
}

#[test]
fn inputs_that_read_once_are_read_whole() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    let csv = scenarios(50);
    dir.write("s.csv", &csv);
    let expected = {
        let out = dir
            .command()
            .args([
                "eval",
                "s.csv",
                "--catalog",
                "limits.csv",
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // Standard input, streamed to standard output.
    let mut child = dir
        .command()
        .args(["eval", "-", "--catalog", "limits.csv", "--format", "csv"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(csv.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    // A FIFO (as `<(…)` gives): read once, whole.
    let fifo = dir.join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        let csv = csv.clone();
        std::thread::spawn(move || std::fs::write(fifo, csv).unwrap())
    };
    let out = dir
        .command()
        .args([
            "eval",
            "pipe.csv",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn a_file_named_twice_is_refused() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("s.csv", scenarios(2));
    let out = dir
        .command()
        .args(["eval", "s.csv", "./s.csv", "--catalog", "limits.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: ./s.csv is named twice (as s.csv and as ./s.csv)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn csvs_and_workbooks_keep_their_order_and_a_left_out_workbook_is_named_once() {
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    dir.write("a.csv", format!("{HEAD}a1,24,,m5.large,1,5\n"));
    // b.csv takes the id the workbook will have.
    dir.write(
        "b.csv",
        format!("{HEAD}wb#WarmENI,24,,m5.large,1,5\nb2,24,,m5.large,1,5\n"),
    );
    let out = dir
        .command()
        .args([
            "convert",
            "a.csv",
            "--catalog",
            "limits.csv",
            "--to",
            "legacy",
            "-o",
            "books",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::rename(dir.join("books/a1.xlsx"), dir.join("wb.xlsx")).unwrap();
    // In order: a.csv, the workbook, b.csv.
    dir.write("c.csv", format!("{HEAD}c1,24,,m5.large,1,5\n"));
    let out = dir
        .command()
        .args([
            "eval",
            "a.csv",
            "wb.xlsx",
            "c.csv",
            "--catalog",
            "limits.csv",
            "--model",
            "both",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["a1", "a1", "wb#WarmENI", "wb#WarmENI", "c1", "c1"]);
    // Now b.csv, read first, takes the workbook's id: the workbook is left out, named once on
    // standard error although standard output is checked in a first pass; the rest is written.
    let out = dir
        .command()
        .args([
            "eval",
            "b.csv",
            "wb.xlsx",
            "--catalog",
            "limits.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.matches("is already used at b.csv:2").count(),
        1,
        "{stderr}"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn threads_sets_the_worker_pool() {
    // Counted while the run waits for its standard input: the main thread, the workers, and the
    // signal handler's.
    let dir = WorkDir::new();
    dir.write("limits.csv", LIMITS);
    let tasks = |threads: &str| -> usize {
        let mut child = dir
            .command()
            .args(["eval", "-", "--catalog", "limits.csv", "--threads", threads])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let task_dir = format!("/proc/{}/task", child.id());
        let mut count = 0;
        for _ in 0..50 {
            std::thread::sleep(std::time::Duration::from_millis(40));
            count = std::fs::read_dir(&task_dir).map_or(0, |d| d.count());
        }
        drop(child.stdin.take());
        let _ = child.wait();
        count
    };
    if !std::path::Path::new("/proc/self/task").exists() {
        return;
    }
    let (one, three) = (tasks("1"), tasks("3"));
    assert_eq!(three - one, 2, "{one} and {three} threads");
}
