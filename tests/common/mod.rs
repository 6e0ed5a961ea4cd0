//! Shared test harness: the shared reference material, and a work directory that runs the
//! built binary.
//!
//! The material of `../shared` (the legacy workbook, the golden files, the upstream limits) is
//! found beside the repository, or where `SUBNET_CALC_SHARED` points. Under CI (`CI=true`) a
//! missing file fails the test; elsewhere the test says it skipped and returns.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder of the shared reference material.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("SUBNET_CALC_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("shared"),
    }
}

/// A file of the shared material, e.g. `golden/legacy-workbook-oracle.jsonl`. `None` (after a
/// note on stderr) when it is missing outside CI; a panic when it is missing under CI.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = shared_dir().join(relative);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "shared file {} is missing (set SUBNET_CALC_SHARED to the shared folder)",
            path.display()
        );
    }
    eprintln!("skipped: shared file {} is missing", path.display());
    None
}

/// The project's own fixtures folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The catalogue files of `fixtures/` that the fixture scenarios need, in layering order.
pub const FIXTURE_CATALOGS: [&str; 3] = [
    "instance-types.json",
    "instance-types-page2.json",
    "max-pods.csv",
];

/// `--catalog PATH` for each of [`FIXTURE_CATALOGS`], with full paths.
pub fn fixture_catalog_args() -> Vec<String> {
    FIXTURE_CATALOGS
        .iter()
        .flat_map(|name| ["--catalog".to_owned(), fixture(name).display().to_string()])
        .collect()
}

/// A scratch directory with helpers to create inputs and run the binary in it.
pub struct WorkDir {
    dir: tempfile::TempDir,
}

impl WorkDir {
    /// A new, empty work directory.
    pub fn new() -> Self {
        WorkDir {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the directory and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        std::fs::write(&path, contents).expect("write test input");
        path
    }

    /// Copies a file into the directory under `name`.
    pub fn copy(&self, from: &Path, name: &str) -> PathBuf {
        let path = self.join(name);
        std::fs::copy(from, &path).expect("copy test input");
        path
    }

    /// Reads a file of the directory as text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.join(name)).expect("read test output")
    }

    /// The names of the files in the directory, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path())
            .expect("list work dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// The built `subnet-calc` binary, to run with this directory as its working directory.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_subnet-calc"));
        cmd.current_dir(self.path());
        cmd
    }
}
pub mod libreoffice;
pub mod oracle;
pub mod variants;
pub mod workbook;
