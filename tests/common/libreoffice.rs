//! LibreOffice Calc, for the tests that need a real spreadsheet app: recalculating a workbook as
//! a person opening it would, and re-saving it as LibreOffice saves it.
//!
//! XLOOKUP, which the legacy workbook uses, needs LibreOffice 24.8 or later (Debian bookworm's
//! backports have 25.2; `.ci/run` installs it). Outside CI a missing or older LibreOffice skips
//! the test with a note; under `CI=true` it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::WorkDir;

/// LibreOffice's soffice, when installed (any version).
pub fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {name}"))
            .output()
            .ok()?;
        let path = String::from_utf8(out.stdout).ok()?.trim().to_owned();
        (!path.is_empty()).then(|| PathBuf::from(path))
    });
    if found.is_none() {
        missing("LibreOffice (soffice) is not installed");
    }
    found
}

/// LibreOffice when it can evaluate XLOOKUP (24.8 or later).
pub fn soffice_with_xlookup() -> Option<PathBuf> {
    let soffice = soffice()?;
    let out = Command::new(&soffice).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // "LibreOffice 25.2.3.2 520(Build:2)"
    let version: Vec<u32> = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .take(2)
        .filter_map(|p| p.parse().ok())
        .collect();
    if version.len() == 2 && (version[0], version[1]) >= (24, 8) {
        Some(soffice)
    } else {
        missing(&format!(
            "LibreOffice 24.8 or later is needed for XLOOKUP, found {:?}",
            text.trim()
        ));
        None
    }
}

fn missing(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why}: .ci/run installs libreoffice-calc-nogui from bookworm-backports");
    }
    eprintln!("skipped: {why}");
}

/// Opens `input` in LibreOffice (recalculating every formula on load when `recalc`) and saves it
/// as xlsx in `out_dir`; returns the saved file.
pub fn resave(
    soffice: &Path,
    dir: &WorkDir,
    input: &Path,
    out_dir: &Path,
    recalc: bool,
) -> PathBuf {
    resave_all(soffice, dir, &[input], out_dir, recalc).remove(0)
}

/// [`resave`] for several files in one LibreOffice run.
pub fn resave_all(
    soffice: &Path,
    dir: &WorkDir,
    inputs: &[&Path],
    out_dir: &Path,
    recalc: bool,
) -> Vec<PathBuf> {
    let profile = dir.join("lo-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    // Calc keeps the cached values of xlsx files unless told to recalculate them on load
    // (0: always, 1: never).
    let mode = if recalc { 0 } else { 1 };
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"#
        ),
    )
    .unwrap();
    std::fs::create_dir_all(out_dir).unwrap();
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(out_dir)
        .args(inputs)
        .output()
        .unwrap();
    inputs
        .iter()
        .map(|input| {
            let result = out_dir.join(input.file_name().unwrap());
            assert!(
                result.is_file(),
                "LibreOffice did not convert {}: {}",
                input.display(),
                String::from_utf8_lossy(&status.stderr)
            );
            result
        })
        .collect()
}

/// Opens `input` with every formula recalculated on load, and saves it as xlsx in `out_dir`.
pub fn recalculate(soffice: &Path, dir: &WorkDir, input: &Path, out_dir: &Path) -> PathBuf {
    resave(soffice, dir, input, out_dir, true)
}
