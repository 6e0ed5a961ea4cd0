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
    assert_eq!(run(&[]), "wrote 3 evaluations to out.csv\n");
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
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("wrote {SCENARIOS} evaluations to out.csv\n")
    );
    let Some(shown) = on_terminal(&dir, "eval big.csv --catalog limits.csv -o t.csv") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs util-linux's script"
        );
        return;
    };
    assert!(shown.contains("evaluations"), "{shown:?}");
    assert!(
        shown.contains(&format!("wrote {SCENARIOS} evaluations to t.csv")),
        "{shown:?}"
    );
    let quiet = on_terminal(&dir, "eval big.csv --catalog limits.csv -o q.csv --quiet").unwrap();
    assert!(quiet.trim().is_empty(), "{quiet:?}");
}
