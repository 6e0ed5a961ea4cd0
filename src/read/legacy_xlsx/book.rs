//! An open workbook: its structure ([`Package`]), calamine for its cells, and reading cells as
//! the sheet's formulas read them ([`Place`]).

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Reader, Xlsx};

use crate::error::{Error, Location, Result, WorkbookFault};
use crate::legacy_layout as layout;
use crate::read::fields::whole_from_f64;
use crate::read::io::ReadLimits;
use crate::read::sniff::{FileKind, sniff};
use crate::read::xlsx::cells::{self, Budget, CellsError, SheetCells, Value, Window};
use crate::read::xlsx::package::{self, Package, PackageError};

/// An open workbook.
pub(crate) struct Book {
    pub name: String,
    pub package: Package,
    /// The file, opened once more for the checks calamine does not make (its directory read
    /// once, not once per sheet).
    zip: zip::ZipArchive<Cursor<Arc<[u8]>>>,
    xlsx: Xlsx<Cursor<Arc<[u8]>>>,
    limits: ReadLimits,
    /// The sheets whose cell references were checked, and whether their rows are in order.
    checked: Vec<Option<bool>>,
    /// What the cells read may still keep: the text of all of them together is held to one
    /// part's size (`--max-uncompressed`).
    budget: Budget,
    /// Things worth telling about how the workbook was read.
    pub notes: Vec<String>,
}

impl Book {
    pub fn open(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Self> {
        let kind = sniff(&bytes);
        if kind != FileKind::Xlsx {
            return Err(Error::WrongFileKind {
                location: Location::file(name),
                found: kind.described().into(),
                expected: "an xlsx workbook".into(),
                hint: kind.advice().into(),
            });
        }
        let package = package::read(&bytes, limits.xlsx).map_err(|e| match e {
            PackageError::TooLarge { .. } => Error::InputTooLarge {
                location: Location::file(name),
                what: e.to_string(),
                hint: "a legacy workbook is a few hundred KB; raise the limit with \
                       --max-uncompressed if this one is genuine"
                    .into(),
            },
            PackageError::TooLong { .. } => Error::InputTooLarge {
                location: Location::file(name),
                what: e.to_string(),
                hint: "Excel's font names and number formats are at most 255 characters, and \
                       the reader copies each into every cell format that uses it: a damaged or \
                       crafted workbook"
                    .into(),
            },
            PackageError::TooMany { counted, .. } => Error::InputTooLarge {
                location: Location::file(name),
                what: e.to_string(),
                hint: format!(
                    "{}; raise the limit with {} if this one is genuine",
                    counted.typical(),
                    counted.flag()
                ),
            },
            PackageError::Unreadable(source) => Error::NotAWorkbook {
                location: Location::file(name),
                source,
            },
        })?;
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let not_a_workbook = |source| Error::NotAWorkbook {
            location: Location::file(name),
            source,
        };
        let xlsx = Xlsx::new(Cursor::new(Arc::clone(&bytes)))
            .map_err(|e| not_a_workbook(WorkbookFault::Cells(e)))?;
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| not_a_workbook(WorkbookFault::Archive(e)))?;
        let notes = package
            .unreadable_tables
            .iter()
            .map(|t| {
                format!(
                    "{name}: table part {t}; its sheet's tables were found by their header rows"
                )
            })
            .collect();
        Ok(Book {
            name: name.to_owned(),
            checked: vec![None; package.sheets.len()],
            budget: Budget {
                cells: limits.max_cells,
                text_bytes: limits.xlsx.max_part_bytes,
            },
            package,
            zip,
            xlsx,
            limits: limits.clone(),
            notes,
        })
    }

    /// The error for a report given where a legacy workbook belongs.
    pub fn report_error(&self) -> Error {
        Error::WrongFileKind {
            location: Location::file(&self.name),
            found: "an xlsx report written by subnet-calc".into(),
            expected: "a legacy subnet-calc.xlsx workbook".into(),
            hint: "its scenarios are the ones it was written from: evaluate those inputs again"
                .into(),
        }
    }

    /// The cells of sheet `index` within `window`.
    pub fn cells(&mut self, index: usize, window: Window) -> Result<SheetCells> {
        let sheet = self.package.sheets[index].name.clone();
        let in_order = match self.checked[index] {
            Some(in_order) => in_order,
            None => {
                let part = &self.package.sheets[index].part;
                let in_order = package::check_cell_refs(&mut self.zip, part).map_err(|source| {
                    Error::NotAWorkbook {
                        location: Location::sheet(&self.name, &sheet),
                        source,
                    }
                })?;
                self.checked[index] = Some(in_order);
                in_order
            }
        };
        let limit = self.limits.xlsx.max_part_bytes;
        let read = cells::read(&mut self.xlsx, &sheet, (window, in_order), &mut self.budget);
        read.map_err(|e| match e {
            CellsError::Xml(e) => Error::NotAWorkbook {
                location: Location::sheet(&self.name, &sheet),
                source: WorkbookFault::Cells(e),
            },
            CellsError::TooMany { limit } => Error::InputTooLarge {
                location: Location::sheet(&self.name, &sheet),
                what: format!("more than {limit} cells in the columns read"),
                hint: "a calculator or lookup sheet holds far fewer; raise the limit with \
                       --max-cells if this one is genuine"
                    .into(),
            },
            CellsError::TooMuchText => Error::InputTooLarge {
                location: Location::sheet(&self.name, &sheet),
                what: format!(
                    "the cells read from the workbook hold more than {} of text",
                    package::human_bytes(limit)
                ),
                hint: "one long shared string repeated in cell after cell takes that much once \
                       per cell; raise the limit with --max-uncompressed if this one is genuine"
                    .into(),
            },
        })
    }

    /// The first rows of every worksheet (`None` for chart sheets).
    pub fn recognition_windows(&mut self) -> Result<Vec<Option<SheetCells>>> {
        let window = Window {
            last_row: layout::RECOGNITION_ROWS - 1,
            cols: (0, layout::RECOGNITION_COLS - 1),
        };
        (0..self.package.sheets.len())
            .map(|i| {
                if self.package.sheets[i].is_worksheet {
                    self.cells(i, window).map(Some)
                } else {
                    Ok(None)
                }
            })
            .collect()
    }

    /// The index of the sheet called `name` (any case, as Excel compares sheet names).
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        self.package.sheet_index(name)
    }
}

/// A cell's content as text for recognising labels and headers: numbers rendered, formulas
/// without a value and errors unseen.
pub(crate) fn shown(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Date { shown, .. } => Some(shown.clone()),
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        Value::Error(_) | Value::Uncached(_) => None,
    }
}

/// A file and sheet, for reading cells with messages that name them.
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub sheet: &'a str,
}

impl Place<'_> {
    pub fn at(&self, row: u32, col: u32) -> Location {
        Location::cell(self.file, self.sheet, row, col)
    }

    /// A cell's value as a number: `None` when blank; text that reads as a number is taken, as
    /// the sheet's arithmetic would; a formula without a value is evaluated when it is plain
    /// arithmetic; error values, TRUE and FALSE, dates and times (a number in a cell formatted
    /// as one: every number read is a count or a size) and other text are errors naming the
    /// cell.
    pub fn number(
        &self,
        cells: &SheetCells,
        row: u32,
        col: u32,
        what: &str,
    ) -> Result<Option<f64>> {
        let at = || self.at(row, col);
        match cells.get(row, col) {
            None => Ok(None),
            Some(Value::Number(f)) => Ok(Some(*f)),
            Some(Value::Text(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::Text(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| Error::InvalidNumber {
                    location: at(),
                    found: s.clone(),
                    expected: what.to_owned(),
                }),
            Some(Value::Uncached(formula)) => {
                cells::arithmetic(formula)
                    .map(Some)
                    .ok_or_else(|| Error::UncachedFormula {
                        location: at(),
                        formula: formula.clone(),
                    })
            }
            Some(Value::Error(e)) => Err(Error::ErrorCell {
                location: at(),
                value: e.clone(),
                hint: format!("expected {what}"),
            }),
            Some(Value::Bool(b)) => Err(Error::InvalidNumber {
                location: at(),
                found: if *b { "TRUE" } else { "FALSE" }.into(),
                expected: what.to_owned(),
            }),
            Some(Value::Date { serial, shown }) => Err(Error::InvalidNumber {
                location: at(),
                found: shown.clone(),
                expected: format!(
                    "{what}, not a date or time: the cell is formatted as one, and holds \
                     {serial} (give it the General or Number format if {serial} is meant)"
                ),
            }),
        }
    }

    /// A cell that must hold a whole number ≥ 0 (blank reads as `blank`).
    pub fn whole(
        &self,
        cells: &SheetCells,
        cell: layout::At,
        what: &str,
        blank: Option<u32>,
    ) -> Result<u32> {
        let at = || self.at(cell.row, cell.col);
        match self.number(cells, cell.row, cell.col, what)? {
            None => blank.ok_or_else(|| Error::MissingValue {
                location: at(),
                hint: format!("expected {what}"),
            }),
            Some(f) => whole_from_f64(f).ok_or_else(|| Error::InvalidNumber {
                location: at(),
                found: f.to_string(),
                expected: what.to_owned(),
            }),
        }
    }

    /// A cell's text, trimmed; `None` when blank. Numbers are rendered as text.
    pub fn text(&self, cells: &SheetCells, row: u32, col: u32) -> Result<Option<String>> {
        match cells.get(row, col) {
            None => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Error(e)) => Err(Error::ErrorCell {
                location: self.at(row, col),
                value: e.clone(),
                hint: "expected text".into(),
            }),
            Some(Value::Uncached(formula)) => Err(Error::UncachedFormula {
                location: self.at(row, col),
                formula: formula.clone(),
            }),
            Some(v) => Ok(shown(Some(v))),
        }
    }
}
