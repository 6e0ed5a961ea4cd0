//! Outputs that cannot destroy anything, through the binary: a device or a FIFO named by `-o` is
//! written through and stays what it was; a run killed outright leaves nothing beside its
//! output; an interrupted legacy export leaves no half set; stale files of killed runs are
//! cleaned.

#![cfg(unix)]

mod common;

use std::os::unix::fs::FileTypeExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::WorkDir;

const LIMITS: &str =
    "instance_type,eni_limit,ipv4_per_eni,max_pods\nm5.large,3,10,29\nm5.xlarge,4,15,58\n";

/// A scenario CSV of `n` scenarios, two node groups each.
fn scenarios(n: usize) -> String {
    let mut csv = String::from(
        "scenario,subnet_cidr,warm_eni_target,instance_type,instances,pods_per_node\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "s{i},22,1,m5.large,{},{}\n",
            1 + i % 7,
            3 + i % 20
        ));
        csv.push_str(&format!("s{i},,,m5.xlarge,{},{}\n", 1 + i % 3, 10 + i % 30));
    }
    csv
}

fn partials(dir: &WorkDir) -> Vec<String> {
    dir.files()
        .into_iter()
        .filter(|f| f.contains("partial"))
        .collect()
}

#[test]
fn a_device_named_by_o_is_written_through_and_stays_a_device() {
    let dir = WorkDir::new();
    dir.write("s.csv", scenarios(3));
    dir.write("l.csv", LIMITS);
    for (output, format) in [
        ("/dev/null", "csv"),
        ("/dev/null", "xlsx"),
        ("/dev/null", "json"),
    ] {
        let out = dir
            .command()
            .args([
                "eval",
                "s.csv",
                "--catalog",
                "l.csv",
                "-o",
                output,
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let kind = std::fs::metadata(output).unwrap().file_type();
        assert!(
            kind.is_char_device(),
            "{output} is still a device after --format {format}"
        );
    }
    // A device node of the test's own, where the system lets us make one (root, or CAP_MKNOD).
    let node = dir.join("null-device");
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let out = dir
            .command()
            .args([
                "eval",
                "s.csv",
                "--catalog",
                "l.csv",
                "--format",
                "csv",
                "-o",
                "null-device",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::metadata(&node)
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(partials(&dir).is_empty());
    } else {
        eprintln!("note: mknod is not permitted here; /dev/null was checked instead");
    }
}

#[test]
fn a_fifo_named_by_o_gets_the_output_and_stays_a_fifo() {
    let dir = WorkDir::new();
    dir.write("s.csv", scenarios(5));
    dir.write("l.csv", LIMITS);
    let fifo = dir.join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "l.csv",
            "--format",
            "csv",
            "-o",
            "pipe",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = reader.join().unwrap();
    assert!(got.starts_with("scenario,model,status"), "{got}");
    assert_eq!(got.lines().count(), 6);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn dev_stdout_is_standard_output_not_a_file_to_replace() {
    let dir = WorkDir::new();
    dir.write("s.csv", scenarios(2));
    dir.write("l.csv", LIMITS);
    let out = dir
        .command()
        .args([
            "eval",
            "s.csv",
            "--catalog",
            "l.csv",
            "--format",
            "csv",
            "-o",
            "/dev/stdout",
        ])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(
        std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn a_run_killed_outright_leaves_nothing_beside_its_output() {
    let dir = WorkDir::new();
    dir.write("big.csv", scenarios(30_000));
    dir.write("l.csv", LIMITS);
    // How long a whole run takes here, so that the kills fall while it reads, evaluates and
    // writes (most of a run is writing 50 MB of JSON).
    let start = std::time::Instant::now();
    let whole = dir
        .command()
        .args(["eval", "big.csv", "--catalog", "l.csv", "-o", "timing.json"])
        .output()
        .unwrap();
    assert!(whole.status.success());
    let run = start.elapsed().as_millis() as u64;
    std::fs::remove_file(dir.join("timing.json")).unwrap();
    std::fs::write(dir.join("out.json"), "the user's old file").unwrap();
    for delay in [run * 3 / 10, run * 6 / 10, run * 9 / 10] {
        let mut child = dir
            .command()
            .args(["eval", "big.csv", "--catalog", "l.csv", "-o", "out.json"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert!(
            partials(&dir).is_empty(),
            "after {delay} ms: {:?}",
            dir.files()
        );
        let kept = std::fs::read_to_string(dir.join("out.json")).unwrap();
        assert!(
            kept == "the user's old file" || kept.ends_with("]}\n"),
            "out.json is the old file or a whole new one"
        );
        std::fs::write(dir.join("out.json"), "the user's old file").unwrap();
    }
}

#[test]
fn an_interrupted_legacy_export_leaves_no_half_set_and_no_litter() {
    let dir = WorkDir::new();
    dir.write("many.csv", scenarios(400));
    dir.write("l.csv", LIMITS);
    std::fs::create_dir(dir.join("books")).unwrap();
    for delay in [100, 300, 600] {
        let mut child = dir
            .command()
            .args([
                "convert",
                "many.csv",
                "--catalog",
                "l.csv",
                "--to",
                "legacy",
                "-o",
                "books",
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        // SIGTERM, as a service manager or `timeout` sends it.
        let _ = Command::new("kill").arg(child.id().to_string()).status();
        let status = child.wait().unwrap();
        let files: Vec<String> = std::fs::read_dir(dir.join("books"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().all(|f| !f.contains("partial")),
            "after {delay} ms: {files:?}"
        );
        assert!(
            files.is_empty() || files.len() == 400,
            "all workbooks or none, after {delay} ms: {} ({status:?})",
            files.len()
        );
        for f in files {
            std::fs::remove_file(dir.join("books").join(f)).unwrap();
        }
    }
}

#[test]
fn stale_temporary_files_of_killed_runs_are_cleaned() {
    let dir = WorkDir::new();
    dir.write("s.csv", scenarios(2));
    dir.write("l.csv", LIMITS);
    // Left by a run whose process is gone (ids above the kernel's pid_max never run), and one of
    // another user's tool, which is not ours to touch.
    dir.write(".subnet-calc-4999999-abc.partial", "half a file");
    dir.write(".other-tool.partial", "not ours");
    let out = dir
        .command()
        .args(["eval", "s.csv", "--catalog", "l.csv", "-o", "out.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "note: removed 1 temporary file(s) that an interrupted earlier run left beside out.csv"
        ),
        "{stderr}"
    );
    assert_eq!(partials(&dir), [".other-tool.partial"]);
}
