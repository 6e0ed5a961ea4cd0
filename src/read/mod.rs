//! Readers: legacy workbooks, scenario CSVs and instance catalogues.
//!
//! Each reader turns a file into typed values ([`crate::scenario::Scenario`],
//! [`crate::catalog::Catalog`]) or an [`crate::Error`] that names the file and the line or cell.
//! [`read_input`] picks the reader for a scenario input by its name or content.

pub mod catalog;
pub mod legacy_xlsx;
pub mod scenario_csv;

pub(crate) mod fields;

use std::path::Path;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::scenario::LocatedScenario;

/// What one scenario input yields.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file as the user named it.
    pub name: String,
    /// Its scenarios, in file order.
    pub scenarios: Vec<LocatedScenario>,
    /// The catalogue the input brings with it (a legacy workbook's lookup sheets).
    pub catalog: Option<Catalog>,
    /// Whether the input is a legacy workbook.
    pub kind: InputKind,
}

/// The kinds of scenario input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A legacy `subnet-calc.xlsx` workbook.
    LegacyWorkbook,
    /// A scenario CSV.
    ScenarioCsv,
}

/// The text with CRLF line ends turned into LF. The csv crate reads both, but counts the lines of
/// a CRLF file one short in its error positions; messages must name the right line.
pub(crate) fn lf_line_ends(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.contains(&b'\r') {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(i) = rest.iter().position(|&b| b == b'\r') {
        out.extend_from_slice(&rest[..i]);
        if rest.get(i + 1) != Some(&b'\n') {
            out.push(b'\r');
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    std::borrow::Cow::Owned(out)
}

/// True when the bytes start like a zip archive (every xlsx file does).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads a scenario input from its bytes: a legacy workbook when it is a zip archive, a scenario
/// CSV otherwise. `name` is how messages name the file (its path, or `-` for standard input).
pub fn read_input(name: &str, bytes: Vec<u8>) -> Result<Input> {
    if looks_like_zip(&bytes) {
        let workbook = legacy_xlsx::read_bytes(name, bytes)?;
        Ok(Input {
            name: name.to_owned(),
            scenarios: workbook.scenarios,
            catalog: Some(workbook.catalog),
            kind: InputKind::LegacyWorkbook,
        })
    } else {
        Ok(Input {
            name: name.to_owned(),
            scenarios: scenario_csv::read_bytes(name, &bytes)?,
            catalog: None,
            kind: InputKind::ScenarioCsv,
        })
    }
}

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })
}

/// The file name without directory and extension, as scenario ids use it.
pub fn file_stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned())
}
