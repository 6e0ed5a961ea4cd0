//! Cells to write: a value, or a formula with the engine's value as its cached result
//! ([`Cell`]), and how they are written ([`put`], [`write_row`]).

use rust_xlsxwriter::{Format, Formula, Worksheet, XlsxError};

use super::cell_formats::Formats;
use super::column::{Col, Role};

/// A cell to write: a value, or a formula with its cached result.
pub(super) enum Cell {
    Num(f64),
    Text(String),
    Bool(bool),
    Blank,
    /// A formula and its cached result.
    Formula(String, CachedResult),
    /// A value in a column of formulas, styled as a fixed value: it does not follow the inputs.
    Fixed(Box<Cell>),
}

/// A formula's cached result.
pub(super) enum CachedResult {
    Num(f64),
    Text(String),
}

impl Cell {
    /// A formula with its cached number.
    pub(super) fn formula(formula: String, value: impl Into<f64>) -> Cell {
        Cell::Formula(formula, CachedResult::Num(value.into()))
    }

    /// A formula with its cached text (or error value such as `#N/A`).
    pub(super) fn formula_text(formula: String, value: &str) -> Cell {
        Cell::Formula(formula, CachedResult::Text(value.to_owned()))
    }

    /// The cell as a fixed value: a formula's cached result, styled as fixed.
    pub(super) fn fixed(self) -> Cell {
        match self {
            Cell::Formula(_, CachedResult::Num(v)) => Cell::Fixed(Box::new(Cell::Num(v))),
            Cell::Formula(_, CachedResult::Text(t)) if t.starts_with('#') => {
                // An error value has no fixed form: it stays as the formula gave it.
                Cell::Formula("NA()".into(), CachedResult::Text(t))
            }
            Cell::Formula(_, CachedResult::Text(t)) => Cell::Fixed(Box::new(Cell::Text(t))),
            Cell::Blank => Cell::Blank,
            Cell::Fixed(v) => Cell::Fixed(v),
            other => Cell::Fixed(Box::new(other)),
        }
    }
}

/// A number.
pub(super) fn num(v: impl Into<f64>) -> Cell {
    Cell::Num(v.into())
}

/// A number, or a blank cell.
pub(super) fn opt_num(v: Option<impl Into<f64>>) -> Cell {
    v.map_or(Cell::Blank, |v| Cell::Num(v.into()))
}

/// Writes a cell, with its own format or (`None`) its column's: rust_xlsxwriter hashes a format
/// for every cell written with one, so data rows leave it to the column
/// ([`start_sheet`](super::sheet_setup::start_sheet)).
pub(super) fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    out: Cell,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    match (out, format) {
        (Cell::Num(v), Some(f)) => ws.write_number_with_format(row, col, v, f).map(|_| ()),
        (Cell::Num(v), None) => ws.write_number(row, col, v).map(|_| ()),
        // write_string never interprets its text: "=SUM(A1)" from an input stays text.
        (Cell::Text(t), Some(f)) => ws.write_string_with_format(row, col, t, f).map(|_| ()),
        (Cell::Text(t), None) => ws.write_string(row, col, t).map(|_| ()),
        (Cell::Bool(b), Some(f)) => ws.write_boolean_with_format(row, col, b, f).map(|_| ()),
        (Cell::Bool(b), None) => ws.write_boolean(row, col, b).map(|_| ()),
        (Cell::Blank, Some(f)) => ws.write_blank(row, col, f).map(|_| ()),
        (Cell::Blank, None) => Ok(()),
        (Cell::Fixed(v), format) => put(ws, row, col, *v, format),
        (Cell::Formula(formula, cached), format) => {
            let result = match cached {
                CachedResult::Num(v) => format_number(v),
                CachedResult::Text(t) => t,
            };
            let formula = Formula::new(formula).set_result(result);
            match format {
                Some(f) => ws
                    .write_formula_with_format(row, col, formula, f)
                    .map(|_| ()),
                None => ws.write_formula(row, col, formula).map(|_| ()),
            }
        }
    }
}

/// A number as a cached result: integers without a decimal point.
pub(super) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Writes a data row. Cells take their column's format (set once in
/// [`start_sheet`](super::sheet_setup::start_sheet)) rather
/// than one each, since rust_xlsxwriter would otherwise hash a format for every cell; only fixed
/// values in a column of formulas get their own.
pub(super) fn write_row(
    ws: &mut Worksheet,
    row: u32,
    cols: &[Col],
    cells: Vec<Cell>,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    debug_assert_eq!(cols.len(), cells.len());
    for (i, (cell, c)) in cells.into_iter().zip(cols).enumerate() {
        match cell {
            Cell::Fixed(v) if c.role != Role::Fixed => {
                put(ws, row, i as u16, *v, Some(fmt.fixed(c.format)))?
            }
            cell => put(ws, row, i as u16, cell, None)?,
        }
    }
    Ok(())
}
