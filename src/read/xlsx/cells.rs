//! A sheet's cells, read one by one into a sparse map.
//!
//! calamine's `worksheet_range` allocates the whole rectangle from the first used cell to the
//! last, so one value in XFD1048576 asks for 512 GiB. Here cells are streamed and only those in
//! a [`Window`] are kept, up to a count, so memory follows what the sheet really holds. A formula
//! without a cached value (a file written by a program that does not calculate) is kept as its
//! formula text, never read as blank.

use hashbrown::HashMap;
use std::io::{Read, Seek};

use calamine::{DataRef, Xlsx, XlsxFormulaMetadata};

/// A cell's content as the readers see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A number whose cell is formatted as a date or a time: what the sheet shows is a date,
    /// never a count (a date typed into an instance count is its serial number, 45,303).
    Date {
        /// The number the cell holds (days since the workbook's epoch).
        serial: f64,
        /// The date or time as the sheet shows it, e.g. `2024-01-12`.
        shown: String,
    },
    /// Text.
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value such as `#N/A`.
    Error(String),
    /// A formula whose value the file does not hold, as its formula text (without `=`).
    Uncached(String),
}

/// Which cells to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The last row to read (0-based); reading stops past it.
    pub last_row: u32,
    /// The first and last column to keep (0-based).
    pub cols: (u32, u32),
}

impl Window {
    /// Every cell of the sheet in columns `first..=last`.
    pub fn columns(first: u32, last: u32) -> Self {
        Window {
            last_row: u32::MAX,
            cols: (first, last),
        }
    }
}

/// The cells kept from one sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetCells {
    cells: HashMap<(u32, u32), Value>,
    /// The rows that hold a kept cell, ascending.
    rows: Vec<u32>,
}

impl SheetCells {
    /// The cell at a 0-based position; `None` when blank.
    pub fn get(&self, row: u32, col: u32) -> Option<&Value> {
        self.cells.get(&(row, col))
    }

    /// The rows from `first` to `last` that hold a kept cell, ascending.
    pub fn rows_between(&self, first: u32, last: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.rows.partition_point(|&r| r < first);
        self.rows[start..]
            .iter()
            .copied()
            .take_while(move |&r| r <= last)
    }

    /// The last row holding a kept cell.
    pub fn last_row(&self) -> Option<u32> {
        self.rows.last().copied()
    }

    /// Number of cells kept.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True when no cell was kept.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Every kept cell, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = ((u32, u32), &Value)> {
        self.cells.iter().map(|(p, v)| (*p, v))
    }

    fn insert(&mut self, row: u32, col: u32, value: Value) {
        if self.cells.insert((row, col), value).is_none() {
            // Rows arrive in order in any file a spreadsheet app wrote; keep the list sorted
            // for the others.
            match self.rows.last() {
                Some(&last) if last == row => {}
                Some(&last) if last < row => self.rows.push(row),
                None => self.rows.push(row),
                _ => {
                    if let Err(at) = self.rows.binary_search(&row) {
                        self.rows.insert(at, row);
                    }
                }
            }
        }
    }
}

/// Why a sheet's cells could not be read.
#[derive(Debug)]
pub enum CellsError {
    /// The sheet's XML could not be read: calamine's fault.
    Xml(calamine::XlsxError),
    /// More cells than `limit` in the window.
    TooMany {
        /// The limit.
        limit: usize,
    },
    /// More text in the cells kept than the budget has left.
    TooMuchText,
}

/// What a read may keep: at most `cells` cells, and `text_bytes` bytes of text (shared by the
/// reads of one workbook: a long shared string repeated in cell after cell is kept once per cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The most cells kept from one sheet.
    pub cells: usize,
    /// The bytes of text left to keep.
    pub text_bytes: u64,
}

/// Reads the cells of `sheet` that fall in `window`, within `budget` (its text bytes are taken
/// from it). With `rows_in_order` (see [`crate::read::xlsx::package::check_cell_refs`]), reading
/// stops at the first cell past the window's last row.
pub fn read<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
    (window, rows_in_order): (Window, bool),
    budget: &mut Budget,
) -> Result<SheetCells, CellsError> {
    let mut reader = book
        .worksheet_cells_reader(sheet)
        .map_err(CellsError::Xml)?;
    let mut out = SheetCells::default();
    // Shared formulas by index: a cell of a shared formula without a value is shown with its
    // anchor's text (the same text for plain arithmetic, which has no references to move).
    // calamine's own expansion of them is not used: it trusts the index to size a vector.
    let mut anchors: HashMap<usize, String> = HashMap::new();
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(CellsError::Xml)?
    {
        if let Some(XlsxFormulaMetadata::Shared {
            shared_index,
            formula,
            ..
        }) = &cell.formula
            && anchors.len() < 10_000
        {
            anchors.insert(*shared_index, formula.clone());
        }
        let (row, col) = cell.pos;
        // Rows are in order in any file a spreadsheet app wrote, but not in every file: unless
        // they were seen to be, the whole sheet is read, and only the window kept.
        if row > window.last_row && rows_in_order {
            break;
        }
        if row > window.last_row || col < window.cols.0 || col > window.cols.1 {
            continue;
        }
        let value = match cell.value {
            // A formula's text is made only for a cell that keeps it: a long anchor's text
            // copied for each of a million cells of its shared formula would take hours.
            DataRef::Empty => match formula_text(cell.formula, &anchors) {
                Some(formula) if !formula.trim().is_empty() => Value::Uncached(formula),
                _ => continue,
            },
            DataRef::Int(i) => Value::Number(i as f64),
            DataRef::Float(f) => Value::Number(f),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                Value::Text(s)
            }
            DataRef::SharedString(s) => Value::Text(s.to_owned()),
            DataRef::Bool(b) => Value::Bool(b),
            DataRef::DateTime(d) => Value::Date {
                serial: d.as_f64(),
                shown: date_shown(&d),
            },
            DataRef::Error(e) => Value::Error(e.to_string()),
        };
        if let Value::Text(s) | Value::Uncached(s) = &value {
            spend(budget, s.len())?;
        }
        if out.len() >= budget.cells {
            return Err(CellsError::TooMany {
                limit: budget.cells,
            });
        }
        out.insert(row, col, value);
    }
    Ok(out)
}

/// Takes `bytes` of text from the budget, or fails when it has not that many left.
fn spend(budget: &mut Budget, bytes: usize) -> Result<(), CellsError> {
    let bytes = bytes as u64;
    if bytes > budget.text_bytes {
        return Err(CellsError::TooMuchText);
    }
    budget.text_bytes -= bytes;
    Ok(())
}

/// The text of a cell's formula: its own, or its shared formula's anchor's.
fn formula_text(
    formula: Option<XlsxFormulaMetadata>,
    anchors: &HashMap<usize, String>,
) -> Option<String> {
    match formula? {
        XlsxFormulaMetadata::Normal { formula } | XlsxFormulaMetadata::Shared { formula, .. } => {
            Some(formula)
        }
        XlsxFormulaMetadata::SharedDerived { shared_index } => Some(
            anchors
                .get(&shared_index)
                .cloned()
                .unwrap_or_else(|| "(a shared formula)".into()),
        ),
        // A kind of formula calamine may add later: kept as a formula, never as blank.
        _ => Some("(a formula)".into()),
    }
}

/// A date or time as a sheet shows it: `2024-01-12`, `2024-01-12 08:30:00`, or a duration's
/// hours, `36:00:00`.
fn date_shown(d: &calamine::ExcelDateTime) -> String {
    if d.is_duration() {
        let seconds = (d.as_f64() * 86_400.0).round();
        let (h, rest) = ((seconds / 3600.0).floor(), seconds % 3600.0);
        return format!("{h}:{:02}:{:02}", (rest / 60.0).floor(), rest % 60.0);
    }
    let (y, mo, day, h, mi, sec, _) = d.to_ymd_hms_milli();
    if (h, mi, sec) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{sec:02}")
    }
}

/// Evaluates a formula of plain arithmetic on numbers (`20+2`, `=16*2`, `(3+1)/2`, `-4^2`), as a
/// script might write an input without its value. `None` for anything else: a cell reference, a
/// function, text.
pub fn arithmetic(formula: &str) -> Option<f64> {
    let text = formula.trim();
    let text = text.strip_prefix('=').unwrap_or(text);
    // Excel's own limits on a formula: 8,192 characters, 64 levels of nesting.
    if text.len() > 8192 {
        return None;
    }
    let mut parser = Arithmetic {
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = parser.sum()?;
    parser.blanks();
    (parser.at == parser.bytes.len() && value.is_finite()).then_some(value)
}

/// A recursive-descent parser for [`arithmetic`]: sums of products of powers of signed atoms,
/// with Excel's precedence (unary minus binds tighter than `^`).
struct Arithmetic<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Parentheses and signs open: bounded, so that no formula can exhaust the stack.
    depth: u32,
}

impl Arithmetic<'_> {
    fn blanks(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, op: u8) -> bool {
        self.blanks();
        if self.bytes.get(self.at) == Some(&op) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn sum(&mut self) -> Option<f64> {
        let mut value = self.product()?;
        loop {
            if self.eat(b'+') {
                value += self.product()?;
            } else if self.eat(b'-') {
                value -= self.product()?;
            } else {
                return Some(value);
            }
        }
    }

    fn product(&mut self) -> Option<f64> {
        let mut value = self.power()?;
        loop {
            if self.eat(b'*') {
                value *= self.power()?;
            } else if self.eat(b'/') {
                let divisor = self.power()?;
                if divisor == 0.0 {
                    return None; // #DIV/0!
                }
                value /= divisor;
            } else {
                return Some(value);
            }
        }
    }

    fn power(&mut self) -> Option<f64> {
        let mut value = self.signed()?;
        while self.eat(b'^') {
            value = value.powf(self.signed()?);
        }
        Some(value)
    }

    fn signed(&mut self) -> Option<f64> {
        if self.depth >= 64 {
            return None;
        }
        self.depth += 1;
        let value = if self.eat(b'-') {
            self.signed().map(|v| -v)
        } else if self.eat(b'+') {
            self.signed()
        } else if self.eat(b'(') {
            let value = self.sum()?;
            self.eat(b')').then_some(value)
        } else {
            self.number()
        };
        self.depth -= 1;
        value
    }

    fn number(&mut self) -> Option<f64> {
        self.blanks();
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.bytes.get(p.at).is_some_and(u8::is_ascii_digit) {
                p.at += 1;
            }
            p.at > from
        };
        let whole = digits(self);
        let mut fraction = false;
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            fraction = digits(self);
        }
        if !whole && !fraction {
            return None;
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        std::str::from_utf8(&self.bytes[start..self.at])
            .ok()?
            .parse()
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_arithmetic_is_evaluated() {
        assert_eq!(arithmetic("20+2"), Some(22.0));
        assert_eq!(arithmetic("=16*2"), Some(32.0));
        assert_eq!(arithmetic(" (3 + 1) / 2 "), Some(2.0));
        assert_eq!(
            arithmetic("2^3^2"),
            Some(64.0),
            "Excel's ^ is left-associative"
        );
        assert_eq!(
            arithmetic("-2^2"),
            Some(4.0),
            "Excel's unary minus binds first"
        );
        assert_eq!(arithmetic("1.5e1-0.5"), Some(14.5));
        assert_eq!(arithmetic("23"), Some(23.0));
    }

    #[test]
    fn nesting_and_length_are_bounded_like_excels() {
        let deep = format!("{}1{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(arithmetic(&deep), None);
        let fine = format!("{}1{}", "(".repeat(60), ")".repeat(60));
        assert_eq!(arithmetic(&fine), Some(1.0));
        assert_eq!(arithmetic(&"(".repeat(20_000)), None, "no stack overflow");
        assert_eq!(arithmetic(&"-".repeat(100_000)), None);
        assert_eq!(
            arithmetic(&format!("1{}", "+1".repeat(5000))),
            None,
            "over 8,192 characters"
        );
    }

    #[test]
    fn anything_else_is_not() {
        for f in [
            "B4*2",
            "SUM(1,2)",
            "1/0",
            "\"23\"",
            "",
            "1+",
            "(1",
            "2 3",
            "1e",
            "WARM_ENI_TARGET",
        ] {
            assert_eq!(arithmetic(f), None, "{f}");
        }
    }

    #[test]
    fn dates_and_times_are_shown_as_a_sheet_shows_them() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date = |serial, kind| date_shown(&ExcelDateTime::new(serial, kind, false));
        assert_eq!(date(45303.0, ExcelDateTimeType::DateTime), "2024-01-12");
        assert_eq!(
            date(45303.5, ExcelDateTimeType::DateTime),
            "2024-01-12 12:00:00"
        );
        assert_eq!(date(1.5, ExcelDateTimeType::TimeDelta), "36:00:00");
    }

    #[test]
    fn rows_stay_sorted_whatever_the_order() {
        let mut cells = SheetCells::default();
        for (r, c) in [(5, 0), (5, 1), (2, 0), (9, 0), (2, 1)] {
            cells.insert(r, c, Value::Number(1.0));
        }
        assert_eq!(cells.rows_between(0, 100).collect::<Vec<_>>(), [2, 5, 9]);
        assert_eq!(cells.rows_between(3, 9).collect::<Vec<_>>(), [5, 9]);
        assert_eq!(cells.last_row(), Some(9));
        assert_eq!(cells.len(), 5);
    }
}
