//! Writers: the summary CSV, JSON, readable tables, the xlsx report, scenario CSVs written back
//! and scenarios exported to the legacy workbook layout.
//!
//! The writers write to what they are given (any [`std::io::Write`]) or return bytes: how a file
//! is put in place (whole or not at all) is the binary's concern.

pub mod json;
pub mod legacy_export;
pub mod run_summary;
pub mod scenario_export;
pub mod summary_csv;
pub mod table;
mod xlsx_panic;
pub mod xlsx_report;

use std::path::Path;

use crate::error::{Error, Result};
use crate::evaluation::Evaluation;

/// A writer that takes evaluations one at a time (the summary CSV, JSON), so that a batch is
/// written as it is evaluated.
pub trait EvaluationWriter {
    /// Writes one evaluation.
    fn write(&mut self, evaluation: &Evaluation) -> Result<()>;
    /// Completes the output (closing brackets, flushing).
    fn finish(self) -> Result<()>;
}

/// The output formats of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An aligned text table.
    Table,
    /// The summary CSV.
    Csv,
    /// JSON with every per-node-group column.
    Json,
    /// The xlsx report.
    Xlsx,
}

impl Format {
    /// The format an output file's extension implies.
    pub fn from_extension(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            Some("xlsx") => Ok(Format::Xlsx),
            Some("txt") => Ok(Format::Table),
            _ => Err(Error::Unsupported {
                what: format!(
                    "{}: cannot tell the output format from the file name",
                    path.display()
                ),
                hint: "use a .csv, .json, .xlsx or .txt name, or say --format".into(),
            }),
        }
    }
}

/// A write failure naming the destination.
pub fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// An xlsx writer's failure as the I/O error it is (or wraps).
pub(crate) fn xlsx_io(e: rust_xlsxwriter::XlsxError) -> std::io::Error {
    use rust_xlsxwriter::XlsxError;
    match e {
        XlsxError::IoError(io) | XlsxError::ZipError(zip::result::ZipError::Io(io)) => io,
        XlsxError::TempFileError(dir, io) => {
            std::io::Error::new(io.kind(), TempFileFailed { dir, source: io })
        }
        other => std::io::Error::other(other),
    }
}

/// The xlsx writer could not make a temporary file (in constant-memory mode, one per data sheet).
#[derive(Debug, thiserror::Error)]
#[error("cannot make a temporary file of the xlsx writer in {}: {source}", .dir.display())]
struct TempFileFailed {
    /// Where it tried.
    dir: std::path::PathBuf,
    /// The operating system's reason.
    source: std::io::Error,
}

pub(crate) fn csv_error(e: csv::Error) -> Error {
    Error::Write {
        path: "output".into(),
        source: e.into(),
    }
}

/// A temporary file of the xlsx writer could not be written (`place`: where it is, in words).
pub(crate) fn temp_write_failed(place: String, source: std::io::Error) -> std::io::Error {
    std::io::Error::new(source.kind(), TempWriteFailed { place, source })
}

/// See [`temp_write_failed`].
#[derive(Debug, thiserror::Error)]
#[error("a temporary file of the xlsx writer {place} could not be written: {source}")]
struct TempWriteFailed {
    place: String,
    source: std::io::Error,
}
