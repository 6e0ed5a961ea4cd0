//! The command line in scripts and shells: exit codes for pipelines (`--fail-on`), the closing
//! lines, why the models differ, completions and the manual page.

mod common;

use common::{WorkDir, fixture, fixture_catalog_args};

/// `eval` of the fixtures with `extra` arguments, in `dir`.
fn eval(dir: &WorkDir, extra: &[&str]) -> std::process::Output {
    dir.command()
        .arg("eval")
        .arg(fixture("scenarios.csv"))
        .args(fixture_catalog_args())
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn fail_on_exits_3_after_writing_the_outputs() {
    let dir = WorkDir::new();
    // The fixtures: api-warm-ip and too-small run out of addresses (130.7 % and 305.1 % used
    // under vpc-cni), xen-fallback and multi-az warn.
    for (condition, reason) in [
        (
            "exhausted",
            "failed: --fail-on exhausted: 2 evaluations out of addresses (a subnet over 100 %); worst: too-small (vpc-cni), fullest subnet 305.1 %",
        ),
        (
            "above=80",
            "failed: --fail-on above=80: 2 evaluations whose fullest subnet is above 80 %; worst: too-small (vpc-cni), fullest subnet 305.1 %",
        ),
        (
            "warning",
            "failed: --fail-on warning: 2 warnings (listed above)",
        ),
    ] {
        let out = eval(&dir, &["--fail-on", condition, "-o", "out.csv"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{condition}: {stderr}");
        assert!(
            stderr.ends_with(&format!("{reason}\n")),
            "{condition}: {stderr}"
        );
        assert_eq!(dir.read("out.csv").lines().count(), 11, "written first");
        std::fs::remove_file(dir.join("out.csv")).unwrap();
    }
    // Conditions that do not hold: 0.
    let out = eval(&dir, &["--fail-on", "above=400", "-o", "out.csv"]);
    assert_eq!(out.status.code(), Some(0));
    // A bad condition is a usage error.
    let out = eval(&dir, &["--fail-on", "sometimes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected exhausted, above=N"));
}

#[test]
fn fail_on_sees_every_subnet_of_a_list_and_the_pod_subnet() {
    let dir = WorkDir::new();
    let header = std::fs::read_to_string(fixture("scenarios.csv")).unwrap();
    let header = header.lines().next().unwrap();
    // Two ample /22s and a /28 that the 2 nodes placed in it overflow: 8.8 % of the list in
    // total. A pod subnet of 59 addresses under custom networking asked for 1,260: 2.4 % of the
    // node subnet.
    dir.write(
        "list.csv",
        format!("{header}\nmaz,10.1.0.0/28;10.1.4.0/22;10.1.8.0/22,1,,,,,,,2,3,m5.large,6,25,,,\n"),
    );
    dir.write(
        "pods.csv",
        format!("{header}\ncn,10.0.9.0/24,1,,,,,true,100.64.0.0/26,2,3,m5.12xlarge,6,150,,,\n"),
    );
    for (file, condition, reason, closing) in [
        (
            "list.csv",
            "exhausted",
            "--fail-on exhausted: 1 evaluation out of addresses (a subnet over 100 %); worst: maz (vpc-cni), fullest subnet 545.5 %: node subnet 10.1.0.0/28",
            "  vpc-cni: 1 evaluation, 1 out of addresses, worst: maz (fullest subnet 545.5 %: node subnet 10.1.0.0/28)",
        ),
        (
            "list.csv",
            "above=80",
            "--fail-on above=80: 1 evaluation whose fullest subnet is above 80 %; worst: maz (vpc-cni), fullest subnet 545.5 %: node subnet 10.1.0.0/28",
            "  vpc-cni: 1 evaluation, 1 out of addresses, worst: maz (fullest subnet 545.5 %: node subnet 10.1.0.0/28)",
        ),
        (
            "pods.csv",
            "above=80",
            "--fail-on above=80: 1 evaluation whose fullest subnet is above 80 %; worst: cn (vpc-cni), fullest subnet 2135.6 %: pod subnet 100.64.0.0/26",
            "  vpc-cni: 1 evaluation, 1 out of addresses, worst: cn (fullest subnet 2135.6 %: pod subnet 100.64.0.0/26)",
        ),
    ] {
        let out = dir
            .command()
            .args(["eval", file, "--fail-on", condition, "-o", "out.csv"])
            .args(fixture_catalog_args())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file} {condition}: {stderr}");
        assert!(stderr.contains(&format!("failed: {reason}\n")), "{stderr}");
        assert!(stderr.contains(&format!("{closing}\n")), "{stderr}");
    }
    // Several conditions that hold are each given a line.
    let out = dir
        .command()
        .args([
            "eval",
            "list.csv",
            "--fail-on",
            "exhausted",
            "--fail-on",
            "above=80",
            "-o",
            "out.csv",
        ])
        .args(fixture_catalog_args())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("failed: --fail-on").count(), 2, "{stderr}");
}

#[test]
fn fail_on_fails_on_an_evaluation_without_figures_but_not_on_an_unsupported_one() {
    let dir = WorkDir::new();
    let head = "scenario,subnet_cidr,prefix_delegation,instance_type,instances,pods_per_node";
    // Absurd counts: status error, nothing to check against the subnets.
    dir.write(
        "absurd.csv",
        format!("{head}\nhuge,16,,m5.large,4294967295,4294967295\nfine,23,,m5.large,1,2\n"),
    );
    // Prefix delegation: the workbook model does not express it (unsupported).
    dir.write("pd.csv", format!("{head}\npd,22,true,m5.large,2,20\n"));
    let run = |args: &[&str]| {
        let out = dir
            .command()
            .arg("eval")
            .args(args)
            .args(fixture_catalog_args())
            .args(["-o", "out.csv"])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for condition in ["exhausted", "above=80"] {
        let (code, stderr) = run(&["absurd.csv", "--fail-on", condition]);
        assert_eq!(code, Some(3), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "failed: --fail-on {condition}: 1 evaluation without figures (status error or invalid) cannot be checked\n"
            )),
            "{stderr}"
        );
    }
    let (code, stderr) = run(&["pd.csv", "--model", "both", "--fail-on", "exhausted"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("workbook: 1 evaluation, 0 out of addresses"),
        "{stderr}"
    );
}

#[test]
fn the_closing_lines_say_what_was_found_per_model() {
    let dir = WorkDir::new();
    let out = eval(&dir, &["--model", "both", "-o", "out.json"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "wrote 20 evaluations to out.json",
            "  workbook: 10 evaluations, 2 out of addresses, worst: too-small (fullest subnet 300.0 %), 5 without figures",
            "  vpc-cni: 10 evaluations, 2 out of addresses, worst: too-small (fullest subnet 305.1 %)",
        ]
    );
    // Then the instance data used: the built-in catalogue, the --catalog files over it.
    assert!(
        lines[3].starts_with("  instance data: built-in (VPC CNI ")
            && lines[3].ends_with("fixtures/max-pods.csv"),
        "{}",
        lines[3]
    );
    // Then each distinct warning once, with the evaluations that share it.
    assert_eq!(
        lines[4],
        "warning: m4.large: prefix delegation needs a Nitro or bare-metal type; ipamd falls back to secondary IPs (in xen-fallback (vpc-cni))"
    );
}

#[test]
fn both_models_say_why_they_differ() {
    let dir = WorkDir::new();
    // legacy-defaults: 2 m5.12xlarge and 1 c5.2xlarge, 2 daemonset pods, 2 host-network pods, a /23.
    let out = eval(&dir, &["--model", "both"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let why = text.split("why they differ:\n").nth(1).unwrap();
    assert!(
        why.starts_with(
            "legacy-defaults:\n  \u{2212}3 subnet IPs: AWS reserves 5 addresses per subnet, the sheet's CidrData 2\n  +6 pods: daemonset pods counted (the sheet ignores B15)\n  \u{2212}6 used: host-network pods take no address (the sheet adds B14 per node)\n  +15 used: ipamd's pool"
        ),
        "{why}"
    );
    // The amounts add up to the differences the table shows: 236 − 230 pods, 360 − 351 used.
    assert!(
        text.contains("legacy-defaults            351           360          +9"),
        "{text}"
    );
    // In the CSV, on both rows of the scenario; in JSON, as a list.
    let out = eval(&dir, &["--model", "both", "--format", "csv"]);
    let csv_text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().clone();
    let at = header.iter().position(|h| h == "differences").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(
        rows[0][at].starts_with("\u{2212}3 subnet IPs"),
        "{}",
        &rows[0][at]
    );
    assert_eq!(rows[0][at], rows[1][at]);
    let out = eval(&dir, &["--model", "both", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = json["scenarios"][1]["comparison"]["differences"]
        .as_array()
        .unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(
        list[1],
        "+6 pods: daemonset pods counted (the sheet ignores B15)"
    );
}

#[test]
fn completions_and_the_manual_page() {
    let dir = WorkDir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = dir.command().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("max-pods-rule"),
            "{shell}: the eval flags are there"
        );
        if shell == "bash" {
            dir.write("subnet-calc.bash", &script);
            let checked = std::process::Command::new("bash")
                .args(["-n", "subnet-calc.bash"])
                .current_dir(dir.path())
                .status();
            if let Ok(status) = checked {
                assert!(status.success(), "bash -n rejects the completion script");
            }
        }
    }
    let out = dir.command().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq") || page.contains(".TH subnet-calc 1"),
        "{page}"
    );
    dir.write("subnet-calc.1", &page);
    // Rendered by man, where it is installed.
    if let Ok(rendered) = std::process::Command::new("man")
        .args(["-l", "subnet-calc.1"])
        .current_dir(dir.path())
        .env("MANWIDTH", "80")
        .output()
        && rendered.status.success()
    {
        // Justified text: compare words.
        let text = String::from_utf8_lossy(&rendered.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("subnet-calc - How many IPv4 addresses"),
            "{text}"
        );
        assert!(text.contains("SYNOPSIS subnet-calc"), "{text}");
    }
    // The top command's help shows examples and the exit codes.
    let out = dir.command().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert_eq!(help.matches("  subnet-calc eval ").count(), 3, "{help}");
    assert!(
        help.contains("3 when a --fail-on condition holds"),
        "{help}"
    );
}

/// What bash's completion offers for `words` (the last one being completed), with the script
/// `subnet-calc completions bash` prints; `None` when bash is not installed.
fn bash_completes(dir: &WorkDir, words: &[&str]) -> Option<Vec<String>> {
    let out = dir
        .command()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    dir.write("subnet-calc.bash", &out.stdout);
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.len() - 1;
    // As bash calls a completion function: the command, the word being completed, the one
    // before it.
    let script = format!(
        "source ./subnet-calc.bash\n\
         COMP_WORDS=({words})\nCOMP_CWORD={current}\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n\
         _subnet__calc subnet-calc '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = quoted.join(" "),
        cur = words[current],
        prev = words[current - 1],
    );
    let run = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir.path())
        .output()
        .ok()?;
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    Some(
        String::from_utf8(run.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn bash_completes_the_subcommands_options_and_values() {
    let dir = WorkDir::new();
    // The subcommands' flags (clap-rs/clap#6421 broke every one of them for a hyphenated name).
    let Some(offered) = bash_completes(&dir, &["subnet-calc", "eval", "--mo"]) else {
        eprintln!("skipped: bash is not installed");
        return;
    };
    assert_eq!(offered, ["--model"]);
    let offered = bash_completes(&dir, &["subnet-calc", "eval", "--model", ""]).unwrap();
    assert_eq!(offered, ["workbook", "vpc-cni", "both"]);
    let offered = bash_completes(&dir, &["subnet-calc", "convert", "--t"]).unwrap();
    assert_eq!(offered, ["--to", "--threads"]);
    let offered = bash_completes(&dir, &["subnet-calc", "man", "ev"]).unwrap();
    assert_eq!(offered, ["eval"]);
    // And the top level, as before.
    let offered = bash_completes(&dir, &["subnet-calc", "con"]).unwrap();
    assert_eq!(offered, ["convert"]);
}

/// A manual page as `man -l` renders it, its words joined by single spaces; `None` when man is
/// not installed.
fn rendered(dir: &WorkDir, page: &str) -> Option<String> {
    let out = std::process::Command::new("man")
        .args(["-l", page])
        .current_dir(dir.path())
        .env("MANWIDTH", "200")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[test]
fn every_subcommand_has_its_manual_page() {
    let dir = WorkDir::new();
    let out = dir
        .command()
        .args(["man", "--dir", "man1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages: Vec<String> = std::fs::read_dir(dir.join("man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "subnet-calc-catalog.1",
            "subnet-calc-completions.1",
            "subnet-calc-convert.1",
            "subnet-calc-eval.1",
            "subnet-calc-man.1",
            "subnet-calc.1",
        ]
    );
    // A file where the folder should be is named as such.
    dir.write("taken", "a file");
    let out = dir
        .command()
        .args(["man", "--dir", "taken"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: taken: cannot write: not a directory"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each subcommand's options are on its page, and `man COMMAND` prints the same page.
    for (command, flags) in [
        (
            "eval",
            &["--model", "--fail-on", "--catalog", "--max-pods-rule"][..],
        ),
        ("convert", &["--to", "--force", "--catalog"]),
        ("catalog", &["--catalog", "--format"]),
        ("completions", &["powershell"]),
        ("man", &["--dir"]),
    ] {
        let file = format!("man1/subnet-calc-{command}.1");
        let page = std::fs::read_to_string(dir.join(&file)).unwrap();
        for flag in flags {
            assert!(
                page.contains(&flag.replace('-', "\\-")),
                "{command}: {flag}"
            );
        }
        let printed = dir.command().args(["man", command]).output().unwrap();
        assert!(printed.status.success());
        assert_eq!(
            String::from_utf8(printed.stdout).unwrap(),
            page,
            "{command}"
        );
        if let Some(text) = rendered(&dir, &file) {
            assert!(
                text.contains(&format!("subnet-calc-{command} - ")),
                "{text}"
            );
            for flag in flags {
                assert!(text.contains(flag), "{command}: {flag} in {text}");
            }
        }
    }
    // The top page names them all, and they all exist.
    let top = std::fs::read_to_string(dir.join("man1/subnet-calc.1")).unwrap();
    for command in ["eval", "convert", "catalog", "completions", "man"] {
        assert!(
            top.contains(&format!("subnet\\-calc\\-{command}(1)")),
            "{top}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = WorkDir::new();
    let mut child = dir
        .command()
        .arg("eval")
        .arg(fixture("scenarios.csv"))
        .args(fixture_catalog_args())
        .args(["--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing: close the pipe at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("error"));
}
