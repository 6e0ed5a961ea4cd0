//! Decides, when the package is built, which tests cannot run here, so that `cargo test` lists
//! them as ignored with the reason instead of passing them unrun (docs/testing.md):
//!
//! - `no_legacy_workbook`: the legacy workbook (`../shared/fixtures/subnet-calc.xlsx`, or under
//!   `SUBNET_CALC_SHARED`) is missing;
//! - `no_libreoffice`: LibreOffice is not installed;
//! - `no_libreoffice_xlookup`: no LibreOffice 24.8 or later, which the legacy workbook's XLOOKUP
//!   needs.
//!
//! Under `CI=true` none is set, so a missing file or program fails its tests. Nothing else in the
//! package reads these settings.

#[path = "tests/common/probe.rs"]
mod probe;

use std::path::{Path, PathBuf};

fn main() {
    for cfg in [
        "no_legacy_workbook",
        "no_libreoffice",
        "no_libreoffice_xlookup",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=tests/common/probe.rs");
    for var in ["CI", "SUBNET_CALC_SHARED", "PATH"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");

    let workbook = probe::legacy_workbook(&manifest_dir);
    watch(&workbook);
    if !ci && !workbook.is_file() {
        println!("cargo::rustc-cfg=no_legacy_workbook");
    }

    let soffice = probe::soffice();
    if let Some(path) = &soffice {
        watch(path);
    }
    let version = soffice.as_deref().and_then(probe::version);
    if !ci && soffice.is_none() {
        println!("cargo::rustc-cfg=no_libreoffice");
    }
    if !ci && version.is_none_or(|v| v < probe::XLOOKUP_SINCE) {
        println!("cargo::rustc-cfg=no_libreoffice_xlookup");
    }
}

/// Asks cargo to decide again when `path` changes, appears or goes. A file that exists is watched
/// itself; for one that does not, the nearest existing folder of the shared material's own
/// (`fixtures/`) is, as cargo rebuilds on every run while a watched path is missing and scans a
/// watched folder whole. With no such folder, setting `SUBNET_CALC_SHARED` or `touch build.rs`
/// decides again.
fn watch(path: &Path) {
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    } else if let Some(folder) = path.parent().filter(|f| f.is_dir()) {
        println!("cargo::rerun-if-changed={}", folder.display());
    }
}
