//! LibreOffice Calc, for the tests that need a real spreadsheet app: recalculating a workbook as
//! a person opening it would, and re-saving it as LibreOffice saves it.
//!
//! XLOOKUP, which the legacy workbook uses, needs LibreOffice 24.8 or later (Debian bookworm's
//! backports have 25.2; `.ci/run` installs it). A test that calls [`soffice`] is marked
//! `#[cfg_attr(no_libreoffice, ignore = "...")]`, one that calls [`soffice_with_xlookup`]
//! `#[cfg_attr(no_libreoffice_xlookup, ignore = "...")]` (`build.rs` sets them where LibreOffice
//! was missing or older when the tests were built); run anyway (`CI=true`, `--ignored`), they fail
//! here, saying what is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::WorkDir;
use super::probe;

/// LibreOffice's soffice (any version).
pub fn soffice() -> PathBuf {
    probe::soffice().unwrap_or_else(|| {
        panic!(
            "LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui \
             from bookworm-backports"
        )
    })
}

/// LibreOffice when it can evaluate XLOOKUP (24.8 or later).
pub fn soffice_with_xlookup() -> PathBuf {
    let soffice = soffice();
    let version = probe::version(&soffice);
    assert!(
        version.is_some_and(|v| v >= probe::XLOOKUP_SINCE),
        "LibreOffice {}.{} or later is needed for XLOOKUP, {} is {version:?}: .ci/run installs \
         libreoffice-calc-nogui from bookworm-backports",
        probe::XLOOKUP_SINCE.0,
        probe::XLOOKUP_SINCE.1,
        soffice.display()
    );
    soffice
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
