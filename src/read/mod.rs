//! Readers: legacy workbooks, scenario CSVs and instance catalogues.
//!
//! Each reader turns a file into typed values ([`crate::scenario::Scenario`],
//! [`crate::catalog::Catalog`]) or an [`crate::Error`] that names the file and the line or cell.
//! [`read_input`] picks the reader for a scenario input by its content ([`sniff()`]), so that a
//! file of another kind is named for what it is: an xlsx file is a legacy workbook, or a report
//! subnet-calc wrote ([`report_input`]). Every reader works within [`ReadLimits`].

pub mod catalog_files;
pub mod describe_subnets;
pub mod ids;
pub mod io;
pub mod legacy_xlsx;
pub mod quotes;
pub mod report_input;
mod report_parts;
pub mod scenario_csv;
pub mod separator;
pub mod sniff;
pub mod xlsx;

pub(crate) mod fields;

use std::io::Read;
use std::path::Path;

use crate::catalog::Catalog;
use crate::error::{Error, Location, Result, WorkbookFault};
use crate::evaluation::Model;
use crate::read::legacy_xlsx::NearMiss;
use crate::read::sniff::{FileKind, sniff, wrong_kind};
use crate::scenario::LocatedScenario;

pub use ids::file_stem;
pub use io::ReadLimits;

/// What one scenario input yields.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file as the user named it.
    pub name: String,
    /// Its scenarios, in file order.
    pub scenarios: Vec<LocatedScenario>,
    /// The catalogue the input brings with it (a legacy workbook's lookup sheets).
    pub catalog: Option<Catalog>,
    /// Whether the input is a legacy workbook, a report or a scenario CSV.
    pub kind: InputKind,
    /// The models the input is evaluated with unless `--model` says otherwise: a report's, the
    /// ones it was written with; empty for the kind's default.
    pub models: Vec<Model>,
    /// Sheets of a workbook that look like calculator sheets but were not read.
    pub near_misses: Vec<NearMiss>,
    /// Things worth knowing about how the input was read.
    pub notes: Vec<String>,
}

/// The kinds of scenario input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A legacy `subnet-calc.xlsx` workbook.
    LegacyWorkbook,
    /// A scenario CSV.
    ScenarioCsv,
    /// An xlsx report subnet-calc wrote: the scenarios of its Inputs sheet.
    Report,
}

/// True when the bytes start like a zip archive (every xlsx file does).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Whether a file is taken for a workbook: by its `.xlsx`/`.xlsm` name, or its content.
pub fn is_workbook_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// Reads a scenario input from its bytes with the default limits; see [`read_input_with`].
pub fn read_input(name: &str, bytes: Vec<u8>) -> Result<Input> {
    read_input_with(name, bytes, &ReadLimits::default())
}

/// Reads a scenario input from its bytes: a legacy workbook when it is an xlsx file, a scenario
/// CSV when it is text, and an error saying what it is otherwise. `name` is how messages name
/// the file (its path, or `-` for standard input); a workbook's scenario ids start with its
/// stem.
pub fn read_input_with(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Input> {
    read_input_as(name, &file_stem(name), bytes, limits)
}

/// [`read_input_with`] with the start of a workbook's scenario ids given (e.g. `team-a/subnet-calc`
/// for a workbook found in a subdirectory, so that copies of one file name stay apart).
pub fn read_input_as(name: &str, stem: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Input> {
    match classify(name, &bytes)? {
        InputKind::LegacyWorkbook | InputKind::Report => {
            match legacy_xlsx::read_or_report(name, stem, bytes, limits)? {
                legacy_xlsx::Read::Legacy(workbook) => Ok(Input {
                    name: name.to_owned(),
                    scenarios: workbook.scenarios,
                    catalog: Some(workbook.catalog),
                    kind: InputKind::LegacyWorkbook,
                    models: Vec::new(),
                    near_misses: workbook.near_misses,
                    notes: workbook.notes,
                }),
                legacy_xlsx::Read::Report(mut book, parts) => {
                    let report = report_input::read(&mut book, &parts)?;
                    Ok(Input {
                        name: name.to_owned(),
                        scenarios: report.scenarios,
                        catalog: Some(report.catalog),
                        kind: InputKind::Report,
                        models: report.models,
                        near_misses: Vec::new(),
                        notes: report.notes,
                    })
                }
            }
        }
        InputKind::ScenarioCsv => {
            let mut reader = scenario_csv::ScenarioReader::new(name, &bytes[..], u64::MAX)?;
            let scenarios = reader.by_ref().collect::<Result<Vec<_>>>()?;
            let warnings = reader.take_warnings().into_iter().map(|w| w.to_string());
            Ok(Input {
                name: name.to_owned(),
                scenarios,
                catalog: None,
                kind: InputKind::ScenarioCsv,
                models: Vec::new(),
                near_misses: Vec::new(),
                notes: reader
                    .separator_note()
                    .into_iter()
                    .chain(reader.header_note().map(ToString::to_string))
                    .chain(warnings)
                    .collect(),
            })
        }
    }
}

/// What kind of scenario input a file is, from its first bytes (its first 64 KiB are enough):
/// a workbook (an xlsx file: a legacy workbook, or a report, which only reading tells apart) or
/// a scenario CSV (text), or an error saying what it is instead (an instance catalogue, a
/// PDF, text named `.xlsx`...).
pub fn classify(name: &str, head: &[u8]) -> Result<InputKind> {
    let kind = sniff(head);
    // Files are named for what they are: text named .xlsx is a mistake (a CSV saved under the
    // wrong name, a workbook damaged), not a scenario CSV to read column by column.
    if is_workbook_name(name)
        && matches!(kind, FileKind::Text | FileKind::Utf16Text | FileKind::Json)
    {
        return Err(Error::NotAWorkbook {
            location: Location::file(name),
            source: WorkbookFault::TextNamedXlsx,
        });
    }
    match kind {
        FileKind::Xlsx => Ok(InputKind::LegacyWorkbook),
        FileKind::Text if catalog_files::looks_like_catalog(head) => Err(Error::WrongFileKind {
            location: Location::file(name),
            found: "an instance catalogue (eni-max-pods.txt, or instance limits without a \
                    scenario column)"
                .into(),
            expected: "a scenario CSV or a legacy xlsx workbook".into(),
            hint: "give it with --catalog".into(),
        }),
        FileKind::Text => Ok(InputKind::ScenarioCsv),
        other => Err(wrong_kind(
            name,
            other,
            "a scenario CSV or a legacy xlsx workbook",
            match other {
                FileKind::Json => "an instance catalogue in JSON goes after --catalog",
                kind => kind.advice(),
            },
        )),
    }
}

/// Reads a whole file with the default limits, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    read_file_with(path, &ReadLimits::default())
}

/// Reads a whole file, naming it in the error: at most `limits.max_input_bytes`, and no more
/// than its first block when that block is binary data that no reader takes (so that
/// `/dev/zero` or a disk image is refused at once rather than read to the end).
pub fn read_file_with(path: &Path, limits: &ReadLimits) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: name.clone(),
        source,
    })?;
    read_limited(&name, file, limits)
}

/// Reads `source` whole within the limits; see [`read_file_with`].
pub fn read_limited(name: &str, mut source: impl Read, limits: &ReadLimits) -> Result<Vec<u8>> {
    let read_error = |source| Error::Read {
        path: name.to_owned(),
        source,
    };
    let mut bytes = Vec::new();
    let mut head = (&mut source).take(64 << 10);
    head.read_to_end(&mut bytes).map_err(read_error)?;
    // A kind no reader takes is refused from its first block, however large the file.
    let kind = sniff(&bytes);
    if bytes.len() == 64 << 10
        && matches!(
            kind,
            FileKind::Binary
                | FileKind::Pdf
                | FileKind::Gzip
                | FileKind::Xls
                | FileKind::EncryptedWorkbook
                | FileKind::Html
                | FileKind::Utf16Text
        )
    {
        return Err(wrong_kind(
            name,
            kind,
            "a scenario CSV, a workbook or an instance catalogue",
            kind.advice(),
        ));
    }
    let left = limits.max_input_bytes.saturating_sub(bytes.len() as u64);
    source
        .take(left.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::InputTooLarge {
            location: Location::file(name),
            what: format!(
                "the input is over {}",
                xlsx::package::human_bytes(limits.max_input_bytes)
            ),
            hint: "raise the limit with --max-input-size if it is genuine".into(),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_read_within_their_limit() {
        let limits = ReadLimits {
            max_input_bytes: 10,
            ..ReadLimits::default()
        };
        assert_eq!(
            read_limited("x", &b"0123456789"[..], &limits)
                .unwrap()
                .len(),
            10
        );
        let e = read_limited("x", &b"0123456789A"[..], &limits).unwrap_err();
        assert!(
            e.to_string().starts_with("x: the input is over 10 bytes"),
            "{e}"
        );
        // Binary data is refused after its first block, however long the source.
        let zeros = std::io::repeat(0).take(1 << 40);
        let e = read_limited("/dev/zero", zeros, &ReadLimits::default()).unwrap_err();
        assert!(e.to_string().contains("this is a binary file"), "{e}");
        // So is a kind no reader takes, however large.
        let pdf = std::io::Read::chain(&b"%PDF-1.7\n"[..], std::io::repeat(b'x').take(1 << 40));
        let e = read_limited("huge.pdf", pdf, &ReadLimits::default()).unwrap_err();
        assert!(e.to_string().contains("this is a PDF document"), "{e}");
    }

    #[test]
    fn a_parsers_fault_is_kept_whole_as_the_source() {
        use std::error::Error as _;
        let e = read_input("x.xlsx", b"PK\x03\x04 not really".to_vec()).unwrap_err();
        let Error::NotAWorkbook { source, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(matches!(source, WorkbookFault::NotAZip(_)), "{source:?}");
        let zip = e.source().and_then(|s| s.source()).expect("the zip fault");
        assert!(zip.is::<zip::result::ZipError>(), "{zip:?}");
        assert!(
            e.to_string()
                .starts_with("x.xlsx: not a readable xlsx workbook: not a zip")
        );

        let e =
            catalog_files::read_bytes("t.json", b"{\"InstanceTypes\": 5}".to_vec()).unwrap_err();
        let json = e.source().and_then(|s| s.source()).expect("the JSON fault");
        assert!(json.is::<serde_json::Error>(), "{json:?}");
        assert!(
            e.to_string().ends_with(
                "; expected the output of aws ec2 describe-instance-types --output json"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_file_of_another_kind_is_named_for_what_it_is() {
        let e = read_input("doc.pdf", b"%PDF-1.4 ...".to_vec()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("doc.pdf: this is a PDF document, not a scenario CSV"),
            "{e}"
        );
        let e = read_input("types.json", b"{\"InstanceTypes\":[]}".to_vec()).unwrap_err();
        assert!(e.to_string().contains("goes after --catalog"), "{e}");
    }
}
