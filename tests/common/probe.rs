//! Where the two things the repository cannot carry are: the legacy workbook file (its licence
//! is not the project's) and LibreOffice. One definition, read both by `build.rs`, which decides
//! at build time which tests are ignored (`no_legacy_workbook`, `no_libreoffice`,
//! `no_libreoffice_xlookup`), and by the tests that use them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The legacy workbook, relative to the shared reference folder.
pub const LEGACY_WORKBOOK: &str = "fixtures/subnet-calc.xlsx";

/// The first LibreOffice version that evaluates XLOOKUP, which the legacy workbook's formulas use.
pub const XLOOKUP_SINCE: (u32, u32) = (24, 8);

/// The shared reference folder: `SUBNET_CALC_SHARED`, else `../shared` beside the repository at
/// `manifest_dir`.
pub fn shared_dir(manifest_dir: &Path) -> PathBuf {
    match std::env::var_os("SUBNET_CALC_SHARED") {
        Some(dir) => manifest_dir.join(dir),
        None => manifest_dir.join("..").join("shared"),
    }
}

/// Where the legacy workbook is expected (it may be missing).
pub fn legacy_workbook(manifest_dir: &Path) -> PathBuf {
    shared_dir(manifest_dir).join(LEGACY_WORKBOOK)
}

/// LibreOffice's `soffice` (or `libreoffice`) on `PATH`, when installed.
pub fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["soffice", "libreoffice"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The version `soffice --version` reports, as (major, minor): `LibreOffice 25.2.3.2 520(Build:2)`
/// is (25, 2). `None` when it does not run or says something else.
pub fn version(soffice: &Path) -> Option<(u32, u32)> {
    let out = Command::new(soffice).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().nth(1)?.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}
