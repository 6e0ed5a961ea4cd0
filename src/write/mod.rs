//! Writers: the summary CSV, JSON, readable tables, the xlsx report, scenario CSVs written back
//! and scenarios exported to the legacy workbook layout.
//!
//! Files are written through [`atomic::AtomicFile`], so a failed run never leaves a partial file.

pub mod atomic;
pub mod cleanup;
pub mod json;
pub mod legacy_export;
pub mod run_summary;
pub mod scenario_export;
pub mod staging;
pub mod summary_csv;
pub mod table;
pub mod write_behind;
mod xlsx_panic;
pub mod xlsx_report;

use std::borrow::Cow;
use std::path::Path;

use crate::engine::Evaluation;
use crate::error::{Error, Result};

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

/// How the CSV writers treat text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Write a `'` before a text field that a spreadsheet would run as a formula.
    pub escape_formulas: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            escape_formulas: true,
        }
    }
}

/// The characters that make a spreadsheet read a CSV field as a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text field as written into a CSV that spreadsheets open: with `'` before it when it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return, so that a scenario id such as
/// `=cmd|' /C calc'!A0` is shown as text rather than run (OWASP's rule against CSV injection).
/// [`crate::read::scenario_csv`] takes the `'` off again. Only text fields go through this:
/// numbers (a negative remainder) are written as they are.
pub fn csv_text(text: &str, options: CsvOptions) -> Cow<'_, str> {
    if options.escape_formulas && text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text field as [`csv_text`] wrote it, `'` taken off.
pub fn csv_unescape(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// An xlsx writer's failure as the I/O error it is (or wraps).
pub(crate) fn xlsx_io(e: rust_xlsxwriter::XlsxError) -> std::io::Error {
    use rust_xlsxwriter::XlsxError;
    match e {
        XlsxError::IoError(io) | XlsxError::ZipError(zip::result::ZipError::Io(io)) => io,
        XlsxError::TempFileError(dir, io) => std::io::Error::new(
            io.kind(),
            format!(
                "cannot make a temporary file of the xlsx writer in {}: {io}",
                dir.display()
            ),
        ),
        other => std::io::Error::other(other.to_string()),
    }
}

pub(crate) fn csv_error(e: csv::Error) -> Error {
    Error::Write {
        path: "output".into(),
        source: e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_escaped_and_unescaped() {
        let on = CsvOptions::default();
        let off = CsvOptions {
            escape_formulas: false,
        };
        for (text, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("web-prod", "web-prod"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(csv_text(text, on), written);
            assert_eq!(csv_unescape(written), text);
            assert_eq!(csv_text(text, off), text);
        }
    }
}
