//! The README's set-up, as the project's rule has it: on a fresh clone two commands do it all,
//! one running the main job on `fixtures/` with no other file, one running the tests, and
//! `.ci/run` calls the README's test command. The output the README shows for the first is the
//! tool's.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(relative)).unwrap()
}

/// The lines of the first fenced block of `lang` after the heading `heading`.
fn block<'a>(text: &'a str, heading: &str, lang: &str) -> Vec<&'a str> {
    let section = &text[text.find(heading).unwrap_or_else(|| panic!("no {heading}"))..];
    let fence = format!("```{lang}\n");
    let start = section.find(&fence).unwrap_or_else(|| panic!("no {fence}")) + fence.len();
    let end = start + section[start..].find("```").unwrap();
    section[start..end].lines().collect()
}

/// The README's two set-up commands, comments left out.
fn setup_commands(readme: &str) -> Vec<String> {
    block(readme, "## Try it", "sh")
        .iter()
        .map(|line| line.split(" #").next().unwrap().trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn the_first_command_runs_the_main_job_on_the_fixtures_alone_and_shows_its_output() {
    let readme = read("README.md");
    let commands = setup_commands(&readme);
    assert_eq!(commands.len(), 2, "{commands:?}");
    let args: Vec<&str> = commands[0]
        .strip_prefix("cargo run --release -- ")
        .unwrap_or_else(|| panic!("{}", commands[0]))
        .split_whitespace()
        .collect();
    assert_eq!(args[0], "eval");
    // Every file it names is in the repository: no catalogue or other file to fetch first.
    for arg in args.iter().skip(1) {
        assert!(!arg.starts_with('-'), "a flag in the first command: {arg}");
        assert!(Path::new(ROOT).join(arg).is_file(), "{arg}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_subnet-calc"))
        .args(&args)
        .current_dir(ROOT)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for said in [&stdout, &stderr] {
        assert!(
            !said.contains("unknown") && !said.contains("assumed"),
            "{said}"
        );
    }
    // The README's console block of that command: its lines up to the first trimmed one are
    // the output's first lines, as they are.
    let shown = block(&readme, "## Try it", "console");
    assert_eq!(shown[0], format!("$ {}", commands[0]));
    let kept: Vec<&str> = shown[1..]
        .iter()
        .copied()
        .take_while(|line| *line != "…")
        .collect();
    assert!(kept.len() > 10, "{kept:?}");
    let actual: Vec<&str> = stdout.lines().take(kept.len()).collect();
    assert_eq!(kept, actual);
    // And its last lines, after the trimmed part, are the output's last lines.
    let tail: Vec<&str> = shown
        .iter()
        .copied()
        .skip_while(|line| *line != "…")
        .skip(1)
        .collect();
    assert!(!tail.is_empty());
    let actual: Vec<&str> = stdout.lines().collect();
    assert_eq!(tail, actual[actual.len() - tail.len()..]);
}

#[test]
fn ci_runs_the_readmes_test_command() {
    let commands = setup_commands(&read("README.md"));
    assert_eq!(commands[1], "cargo test");
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|line| line.trim() == commands[1]),
        ".ci/run does not run {:?}",
        commands[1]
    );
}
