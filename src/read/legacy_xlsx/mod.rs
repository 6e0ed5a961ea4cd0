//! Legacy `subnet-calc.xlsx` workbooks, as teams really hold them.
//!
//! Every sheet laid out as a calculator ([`crate::legacy_layout`]) is one scenario, whatever its
//! name: `WarmENI`, `WarmIP`, the May-2022 version's `instance-based`, copies (`WarmENI (2)`),
//! renamed and hidden sheets. Its id is `<file stem>#<sheet name>`. A sheet that looks almost
//! like a calculator (or is one with an empty node-group table) is returned as a [`NearMiss`]
//! saying what it lacks, so that the caller reports it; a workbook without any calculator sheet
//! is an error listing the sheets it has.
//!
//! The lookup tables become the workbook's own [`Catalog`] (`lookups.rs`). Cells are read as the
//! workbook's formulas read them: a blank input reads as 0, a number typed as text as that
//! number, a formula by its cached value. A formula without a cached value (a file written by a
//! script) is evaluated when it is plain arithmetic, and an error naming the cell otherwise; it is
//! never read as 0. The warm target is read where the sheet's formulas read it (`calculator.rs`).
//! The figures the sheet shows (B5, B8, B9, B10) travel with the scenario, so that the workbook
//! model's can be checked against them.

pub(crate) mod book;
mod calculator;
mod lookups;

use crate::catalog::Catalog;
use crate::error::{Error, Location, Result};
use crate::legacy_layout::{self as layout, Recognition, TableShape};
use crate::read::ids::file_stem;
use crate::read::io::ReadLimits;
use crate::read::report_parts::Parts;
use crate::scenario::LocatedScenario;

use book::{Book, shown};
use calculator::CalculatorSheet;

/// What a legacy workbook holds.
#[derive(Debug, Clone)]
pub struct LegacyWorkbook {
    /// One scenario per calculator sheet, in tab order.
    pub scenarios: Vec<LocatedScenario>,
    /// The lookup sheets as a catalogue.
    pub catalog: Catalog,
    /// Sheets that look almost like calculator sheets, left out.
    pub near_misses: Vec<NearMiss>,
    /// Things worth knowing about how the workbook was read.
    pub notes: Vec<String>,
}

/// A sheet that looks almost like a calculator sheet but was not read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    /// The sheet.
    pub location: Location,
    /// What it lacks, or what moved.
    pub missing: Vec<String>,
}

impl std::fmt::Display for NearMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: looks like a calculator sheet but was not read: {}",
            self.location,
            self.missing.join("; ")
        )
    }
}

/// Reads a legacy workbook from memory with the default limits. `name` names the file in
/// messages and gives the scenario ids.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<LegacyWorkbook> {
    read_bytes_with(name, bytes, &ReadLimits::default())
}

/// Reads a legacy workbook from memory within `limits`; the ids start with the file's stem.
pub fn read_bytes_with(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<LegacyWorkbook> {
    read_bytes_as(name, &file_stem(name), bytes, limits)
}

/// Reads a legacy workbook whose scenario ids start with `stem` (e.g. `team-a/subnet-calc` for a
/// workbook found in a subdirectory). A report subnet-calc wrote is an error saying so.
pub fn read_bytes_as(
    name: &str,
    stem: &str,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> Result<LegacyWorkbook> {
    match read_or_report(name, stem, bytes, limits)? {
        Read::Legacy(workbook) => Ok(workbook),
        Read::Report(book, _) => Err(book.report_error()),
    }
}

/// What an xlsx input turned out to be.
pub(crate) enum Read {
    /// A legacy workbook, read.
    Legacy(LegacyWorkbook),
    /// A report subnet-calc wrote (no calculator sheet, but a report's parts, found by their
    /// content), open for [`crate::read::report_input`].
    Report(Box<Book>, Parts),
}

/// Reads a legacy workbook, or opens a report subnet-calc wrote: a workbook is taken for a
/// report only when no sheet of it is a calculator.
pub(crate) fn read_or_report(
    name: &str,
    stem: &str,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> Result<Read> {
    let mut book = Book::open(name, bytes, limits)?;
    let windows = book.recognition_windows()?;
    let mut calculators = Vec::new();
    let mut near_misses = Vec::new();
    for (index, cells) in windows.iter().enumerate() {
        let Some(cells) = cells else { continue };
        let info = &book.package.sheets[index];
        let tables: Vec<TableShape<'_>> = info
            .tables
            .iter()
            .filter_map(|t| {
                let (first_row, last_row) = t.data_rows()?;
                Some(TableShape {
                    name: &t.name,
                    first_row,
                    first_col: t.area.first_col,
                    last_row,
                    columns: &t.columns,
                })
            })
            .collect();
        match layout::recognise(&|r, c| shown(cells.get(r, c)), &tables) {
            Recognition::Calculator { kind, table } => calculators.push((index, kind, table)),
            Recognition::NearMiss(missing) => near_misses.push(NearMiss {
                location: Location::sheet(name, &info.name),
                missing,
            }),
            Recognition::Other => {}
        }
    }
    if calculators.is_empty() {
        let parts = Parts::find(&book, &windows);
        if parts.look_like_a_report() {
            return Ok(Read::Report(Box::new(book), parts));
        }
        return Err(no_calculator(&book, &near_misses));
    }
    // Every calculator sheet's first fault and every bad lookup row are named at once.
    let mut faults = Vec::new();
    let catalog = lookups::catalog_all(&mut book).unwrap_or_else(|bad| {
        faults.extend(bad);
        Catalog::new()
    });
    let mut scenarios = Vec::with_capacity(calculators.len());
    let mut notes = book.notes.clone();
    // A workbook `convert --to legacy` named `<stem>-<sheet>.xlsx` (its source had several
    // calculator sheets) reads back with its source's id, `<stem>#<sheet>`.
    let stem = match calculators.as_slice() {
        [(index, ..)] => {
            let sheet = &book.package.sheets[*index].name;
            stem.strip_suffix(sheet.as_str())
                .and_then(|s| s.strip_suffix('-'))
                .filter(|s| !s.is_empty())
                .unwrap_or(stem)
        }
        _ => stem,
    };
    for (index, kind, table) in &calculators {
        let sheet = CalculatorSheet {
            index: *index,
            kind: *kind,
            table,
            windows: &windows,
            stem,
        };
        match calculator::read(&mut book, &sheet, &mut notes) {
            Ok(calculator::Read::Scenario(s)) => scenarios.push(*s),
            Ok(calculator::Read::Empty(why)) => near_misses.push(NearMiss {
                location: Location::sheet(name, &book.package.sheets[*index].name),
                missing: vec![why],
            }),
            Err(fault) => faults.push(fault),
        }
    }
    // In the order found: the lookup tables', then each calculator sheet's.
    if let Some(fault) = Error::of_faults(faults) {
        return Err(fault);
    }
    if scenarios.is_empty() {
        if Parts::find(&book, &windows).look_like_a_report() {
            return Err(book.report_error());
        }
        return Err(no_calculator(&book, &near_misses));
    }
    Ok(Read::Legacy(LegacyWorkbook {
        scenarios,
        catalog,
        near_misses,
        notes,
    }))
}

/// Reads only the lookup sheets of a legacy workbook, as a catalogue source.
pub fn read_catalog(name: &str, bytes: Vec<u8>) -> Result<Catalog> {
    read_catalog_with(name, bytes, &ReadLimits::default())
}

/// Reads only the lookup sheets of a legacy workbook within `limits`.
pub fn read_catalog_with(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Catalog> {
    read_catalog_all(name, bytes, limits).map_err(crate::error::first_fault)
}

/// [`read_catalog_with`], with every fault of the lookup tables (one per bad row, one per table
/// that cannot be read), in table order; a workbook that cannot be opened is one fault.
pub fn read_catalog_all(
    name: &str,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> std::result::Result<Catalog, Vec<crate::Error>> {
    let mut book = Book::open(name, bytes, limits).map_err(|e| vec![e])?;
    let windows = book.recognition_windows().map_err(|e| vec![e])?;
    if Parts::find(&book, &windows).look_like_a_report() {
        return Err(vec![book.report_error()]);
    }
    lookups::catalog_all(&mut book)
}

/// The error for a workbook without a calculator sheet: the sheets it has, and what the near
/// misses lack.
fn no_calculator(book: &Book, near_misses: &[NearMiss]) -> crate::Error {
    // At most the first 20 sheets are listed: a crafted workbook may have a thousand.
    let mut names: Vec<String> = book
        .package
        .sheets
        .iter()
        .take(20)
        .map(|s| crate::error::Quoted(&s.name).to_string())
        .collect();
    if book.package.sheets.len() > names.len() {
        names.push(format!(
            "and {} more",
            book.package.sheets.len() - names.len()
        ));
    }
    let hint = if near_misses.is_empty() {
        format!(
            "a calculator sheet has the labels Subnet CIDR Size in A4, WARM_ENI_TARGET or \
             WARM_IP_TARGET in A13, Host Networking IPs in A14, Daemonset Pods in A15, and a \
             node-group table headed {:?}, {:?}, {:?}",
            layout::INPUT_HEADERS[0],
            layout::INPUT_HEADERS[1],
            layout::INPUT_HEADERS[2]
        )
    } else {
        near_misses
            .iter()
            .map(|n| match &n.location.place {
                crate::error::Place::Sheet(s) => format!("{s}: {}", n.missing.join("; ")),
                _ => n.missing.join("; "),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    crate::Error::NoCalculatorSheet {
        location: Location::file(&book.name),
        sheets: names.join(", "),
        hint,
    }
}
