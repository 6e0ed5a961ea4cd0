//! Shared test harness: the data the tests carry, the two things they cannot carry, and a work
//! directory that runs the built binary.
//!
//! The figures the proving tests need are in `tests/data/` (see its README for their
//! provenance), so those tests run in any clone. The legacy workbook file and LibreOffice cannot
//! be carried: the tests that need them are ignored where they were missing when the tests were
//! built (`build.rs`, `tests/common/probe.rs`), and fail loudly where they are run anyway
//! (`CI=true`, or `--ignored`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file the tests carry, e.g. `golden/legacy-workbook-oracle.jsonl` for
/// `tests/data/golden/legacy-workbook-oracle.jsonl`.
pub fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(relative)
}

/// An upstream instance data file (`tests/data/upstream/NAME`, e.g. `instance-limits.csv`), read
/// as a catalogue.
pub fn upstream_catalog(name: &str) -> subnet_calc::catalog::Catalog {
    let bytes = std::fs::read(data(&format!("upstream/{name}"))).expect(name);
    subnet_calc::read::catalog_files::read_bytes(name, bytes).expect(name)
}

/// The legacy workbook file (`../shared/fixtures/subnet-calc.xlsx`, or under
/// `SUBNET_CALC_SHARED`). A test that calls this is marked
/// `#[cfg_attr(no_legacy_workbook, ignore = "...")]`; if it runs without the file (`CI=true`,
/// `--ignored`) it fails here, naming the path.
pub fn legacy_workbook() -> PathBuf {
    let path = probe::legacy_workbook(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        path.is_file(),
        "the legacy workbook {} is missing: put the shared reference material in ../shared or \
         set SUBNET_CALC_SHARED to its folder",
        path.display()
    );
    path
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

/// Runs the binary in `dir` with `args`: its output, stdout and stderr (as text); fails if it
/// panicked.
pub fn run(dir: &WorkDir, args: &[&str]) -> (Output, String, String) {
    let out = dir.command().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out, stdout, stderr)
}

/// A spreadsheet cell's number, if it holds one.
pub fn number(d: Option<&calamine::Data>) -> Option<f64> {
    match d? {
        calamine::Data::Int(i) => Some(*i as f64),
        calamine::Data::Float(f) => Some(*f),
        _ => None,
    }
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
pub mod legacy_lookups;
pub mod libreoffice;
pub mod oracle;
pub mod probe;
pub mod variants;
pub mod workbook;
