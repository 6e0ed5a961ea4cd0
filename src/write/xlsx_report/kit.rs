//! The report's cell and formula kit: cells to write ([`Cell`]), column lists ([`Col`]) that
//! give every column its header, format, note and letters, formula templates that name columns
//! rather than letters ([`expand`]), the formats, and the set-up every data sheet shares
//! ([`start_sheet`]: widths, table, frozen panes, print set-up, header notes).

use std::fmt::Write as _;

use rust_xlsxwriter::{
    Format, Formula, Note, Table, TableColumn, TableStyle, Worksheet, XlsxError,
};

use crate::report_layout::sheets;

pub(super) use super::cell_formats::{Fmt, Formats};

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
/// for every cell written with one, so data rows leave it to the column ([`start_sheet`]).
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

/// What a column holds, for its style and header note.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Inputs, or live formulas.
    Live,
    /// Values that do not follow the inputs (styled as fixed values).
    Fixed,
    /// An input the formulas cannot follow: changing it needs a fresh run.
    FreshRun,
    /// A helper for other formulas, hidden.
    Hidden,
}

/// A column of a data sheet: an id that formula templates name it by, its header, width,
/// format, and what its header note says.
pub(super) struct Col {
    pub id: &'static str,
    /// The column's letters, filled in when the list is built ([`lettered`]).
    pub letter: String,
    pub header: &'static str,
    pub width: f64,
    pub format: Fmt,
    /// Its name in the CSV or JSON outputs, shown in the header's note.
    pub name: Option<&'static str>,
    /// Its field of a node group in the JSON output (`node_groups[].<field>`), in the note.
    pub json: Option<&'static str>,
    /// What it means.
    pub note: Option<&'static str>,
    pub role: Role,
    /// The header band it sits under (the VPC CNI sheet groups its columns).
    pub group: Option<&'static str>,
}

/// A column, live, without a note.
pub(super) fn col(id: &'static str, header: &'static str, width: f64, format: Fmt) -> Col {
    Col {
        id,
        letter: String::new(),
        header,
        width,
        format,
        name: None,
        json: None,
        note: None,
        role: Role::Live,
        group: None,
    }
}

impl Col {
    /// Its CSV or JSON name.
    pub fn named(self, name: &'static str) -> Col {
        Col {
            name: Some(name),
            ..self
        }
    }

    /// Its field of a node group in the JSON output (`node_groups[].<field>`).
    pub fn json(self, field: &'static str) -> Col {
        Col {
            json: Some(field),
            ..self
        }
    }

    /// What it means, for the header's note.
    pub fn note(self, note: &'static str) -> Col {
        Col {
            note: Some(note),
            ..self
        }
    }

    /// Its role.
    pub fn role(self, role: Role) -> Col {
        Col { role, ..self }
    }

    /// The header band it sits under.
    pub fn group(self, group: &'static str) -> Col {
        Col {
            group: Some(group),
            ..self
        }
    }

    /// The header note's text.
    fn note_text(&self) -> Option<String> {
        let mut text = String::new();
        if let Some(note) = self.note {
            text.push_str(note);
        }
        let mut add = |line: String| {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&line);
        };
        match self.role {
            Role::Fixed => add(
                "A fixed value (styled grey and italic): worked out by subnet-calc when the \
                 report was written; it does not follow edits."
                    .into(),
            ),
            Role::FreshRun => add(
                "The formulas cannot follow a change here: run subnet-calc eval on the edited \
                 report for fresh figures."
                    .into(),
            ),
            Role::Live | Role::Hidden => {}
        }
        if let Some(name) = self.name {
            add(format!("CSV/JSON: {name}"));
        }
        if let Some(field) = self.json {
            add(format!("JSON: node_groups[].{field}"));
        }
        (!text.is_empty()).then_some(text)
    }

    /// The width it is given: its own, at least its header's longest word, so that a header
    /// wraps between words, and enough for the header on three lines.
    fn shown_width(&self) -> f64 {
        let longest = self.header.split(' ').map(str::len).max().unwrap_or(0);
        let three_lines = (self.header.len() as f64 / 3.0).ceil() + 2.0;
        self.width.max(longest as f64 + 1.5).max(three_lines)
    }
}

/// Rows up to which a data sheet is an Excel table. rust_xlsxwriter keeps a map entry per table
/// cell, which would hold a large report in memory; bigger sheets get a plain autofilter instead.
pub const TABLE_MAX_ROWS: usize = 20_000;

/// Header rows of a sheet with these columns: the header, and a band above it when the columns
/// are grouped.
pub(super) fn header_rows(cols: &[Col]) -> u32 {
    if cols.iter().any(|c| c.group.is_some()) {
        2
    } else {
        1
    }
}

/// Left and right page margins, in inches (top and bottom stay at 0.75).
pub(super) const SIDE_MARGIN: f64 = 0.5;

/// The printable width of a landscape Letter page (the narrower of Letter and A4) between the
/// side margins, in points.
const PRINTABLE_PT: f64 = (11.0 - 2.0 * SIDE_MARGIN) * 72.0;

/// Points per unit of column width as LibreOffice lays a sheet out without Calibri: a width unit
/// is a digit of the default font, and LibreOffice's stand-in for Calibri 11 where neither
/// Calibri nor Carlito is installed, DejaVu Sans 11, has 7.0-point digits (Calibri's are 7
/// pixels, 5.25 points), which LibreOffice rounds up a little (7.0 to 7.05 measured). Measured
/// on the rendered report (docs/report.md, Printing): the widest of the fonts a reader may
/// have, so that the rule holds with any of them.
const PT_PER_WIDTH_UNIT: f64 = 7.1;

/// The print scale, in percent, of sheets that run over pages across: the smallest that keeps
/// 11-point text at 8 points or larger (11 × 0.73 = 8.03).
pub(super) const ACROSS_SCALE: u16 = 73;

/// The widest sheet, in units of column width, that prints one page wide with its text at 8
/// points or larger: fitted to the page, it is printed at [`ACROSS_SCALE`] % or more.
pub(super) const ONE_PAGE_WIDTH: f64 =
    PRINTABLE_PT / (PT_PER_WIDTH_UNIT * ACROSS_SCALE as f64 / 100.0);

/// A column's width in the file for a width set to `w`: rust_xlsxwriter adds the cell's 5 pixels
/// of padding (of 7 a unit).
pub(super) fn width_in_file(w: f64) -> f64 {
    w + 5.0 / 7.0
}

/// Whether a sheet whose shown columns are `units` wide (as written in the file) prints one page
/// wide with its text at 8 points or larger.
pub(super) fn fits_one_page(units: f64) -> bool {
    units <= ONE_PAGE_WIDTH
}

/// Sets up a data sheet: column widths and formats, the header band and header row, an Excel
/// table over the header and `rows` data rows (an autofilter past [`TABLE_MAX_ROWS`]), frozen
/// header rows and scenario column, header notes, and the print set-up: landscape, the header
/// rows and first column on every page, and one page wide only where the text stays at 8 points
/// or larger (pages across otherwise).
pub(super) fn start_sheet(
    ws: &mut Worksheet,
    name: &str,
    cols: &[Col],
    rows: usize,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    // Every formula is written with its result; an empty one is an empty text, not 0.
    ws.set_formula_result_default("");
    let top = header_rows(cols);
    let header_row = top - 1;
    for (i, c) in cols.iter().enumerate() {
        let i = i as u16;
        ws.set_column_width(i, c.shown_width())?;
        let format = match c.role {
            Role::Fixed => fmt.fixed(c.format),
            _ => fmt.of(c.format),
        };
        ws.set_column_format(i, format)?;
        if c.role == Role::Hidden {
            ws.set_column_hidden(i)?;
        }
    }
    if top == 2 {
        write_bands(ws, name, cols, fmt)?;
    }
    let header_format = |c: &Col| match c.role {
        Role::FreshRun => &fmt.header_fresh,
        _ => &fmt.header,
    };
    let last_col = (cols.len() - 1) as u16;
    if rows > 0 && rows <= TABLE_MAX_ROWS {
        let columns: Vec<TableColumn> = cols
            .iter()
            .map(|c| {
                TableColumn::new()
                    .set_header(c.header)
                    .set_header_format(header_format(c))
            })
            .collect();
        let table = Table::new()
            .set_name(name.replace(' ', ""))
            .set_style(TableStyle::Medium2)
            .set_columns(&columns);
        ws.add_table(header_row, 0, header_row + rows as u32, last_col, &table)?;
    } else {
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(header_row, i as u16, c.header, header_format(c))?;
        }
        if rows > 0 {
            ws.autofilter(header_row, 0, header_row + rows as u32, last_col)?;
        }
    }
    ws.set_row_height(header_row, header_height(cols))?;
    ws.set_freeze_panes(top, 1)?;
    for (i, c) in cols.iter().enumerate() {
        if let Some(text) = c.note_text() {
            let lines = text.len() / 48 + text.matches('\n').count() + 2;
            ws.insert_note(
                header_row,
                i as u16,
                &Note::new(text)
                    .set_author("subnet-calc")
                    .set_width(330)
                    .set_height((lines * 16).clamp(60, 400) as u32),
            )?;
        }
    }
    print_setup(ws, cols, top)
}

/// Landscape, the header rows and the first column repeated on every page, and one page wide
/// when that keeps the text at 8 points or larger ([`fits_one_page`]); otherwise pages across
/// at [`ACROSS_SCALE`] %, with the header band's page breaks ([`band_pages`]).
pub(super) fn print_setup(ws: &mut Worksheet, cols: &[Col], top: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_margins(SIDE_MARGIN, SIDE_MARGIN, 0.75, 0.75, 0.3, 0.3);
    ws.set_repeat_rows(0, top - 1)?;
    ws.set_repeat_columns(0, 0)?;
    if fits_one_page(sheet_width(cols)) {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale(ACROSS_SCALE);
        if top == 2 {
            let breaks: Vec<u32> = band_pages(cols)
                .iter()
                .skip(1)
                .map(|p| u32::from(p[0].0))
                .collect();
            ws.set_vertical_page_breaks(&breaks)?;
        }
    }
    Ok(())
}

/// The width of a sheet's shown columns, in units of column width as written in the file.
fn sheet_width(cols: &[Col]) -> f64 {
    cols.iter()
        .filter(|c| c.role != Role::Hidden)
        .map(|c| width_in_file(c.shown_width()))
        .sum()
}

/// Printed pages across, for a sheet with a header band: each page's bands, as segments
/// `(first column, last column, label)`, after the repeated first column. A band starts a page
/// when it does not fit on the current one, more than half full; otherwise (or when it is wider
/// than a page) it is cut into a segment per page, each with its label, so that no label is cut
/// at a page break.
fn band_pages(cols: &[Col]) -> Vec<Vec<(u16, u16, String)>> {
    let room = ONE_PAGE_WIDTH - width_in_file(cols[0].shown_width());
    let width = |c: &Col| {
        if c.role == Role::Hidden {
            0.0
        } else {
            width_in_file(c.shown_width())
        }
    };
    let mut pages: Vec<Vec<(u16, u16, String)>> = vec![Vec::new()];
    let mut used = 0.0;
    let mut start = 1;
    while start < cols.len() {
        let group = cols[start].group;
        let end = cols[start..]
            .iter()
            .position(|c| c.group != group)
            .map_or(cols.len(), |n| start + n);
        let label = group.unwrap_or("");
        let band: f64 = cols[start..end].iter().map(width).sum();
        // A band that does not fit starts a page, unless that would leave this one half empty:
        // then it is cut, its label on both pages.
        if used >= room / 2.0 && used + band > room && band <= room {
            pages.push(Vec::new());
            used = 0.0;
        }
        let mut first = start;
        for (i, c) in cols.iter().enumerate().take(end).skip(start) {
            let w = width(c);
            if used > 0.0 && used + w > room {
                if i > first {
                    let part = if first == start {
                        label.to_owned()
                    } else {
                        format!("{label} (cont.)")
                    };
                    pages
                        .last_mut()
                        .expect("a page")
                        .push((first as u16, (i - 1) as u16, part));
                }
                pages.push(Vec::new());
                used = 0.0;
                first = i;
            }
            used += w;
        }
        let part = if first == start {
            label.to_owned()
        } else {
            format!("{label} (cont.)")
        };
        pages
            .last_mut()
            .expect("a page")
            .push((first as u16, (end - 1) as u16, part));
        start = end;
    }
    pages
}

/// The header band: the sheet's name over the first column (repeated on every printed page),
/// then each run of columns of one group under one merged cell naming it; where the sheet prints
/// over pages across, a run cut by a page break gets its label on each page ([`band_pages`]).
fn write_bands(
    ws: &mut Worksheet,
    name: &str,
    cols: &[Col],
    fmt: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, name, &fmt.band)?;
    let segments: Vec<(u16, u16, String)> = if fits_one_page(sheet_width(cols)) {
        whole_bands(cols)
    } else {
        band_pages(cols).into_iter().flatten().collect()
    };
    for (first, last, text) in segments {
        if last > first {
            ws.merge_range(0, first, 0, last, &text, &fmt.band)?;
        } else {
            ws.write_string_with_format(0, first, &text, &fmt.band)?;
        }
    }
    ws.set_row_height(0, 20)?;
    Ok(())
}

/// The header band's runs after the first column, whole.
fn whole_bands(cols: &[Col]) -> Vec<(u16, u16, String)> {
    let mut out = Vec::new();
    let mut start = 1;
    while start < cols.len() {
        let group = cols[start].group;
        let end = cols[start..]
            .iter()
            .position(|c| c.group != group)
            .map_or(cols.len(), |n| start + n);
        out.push((
            start as u16,
            (end - 1) as u16,
            group.unwrap_or("").to_owned(),
        ));
        start = end;
    }
    out
}

/// The header row's height: its longest header wrapped at its column's width.
fn header_height(cols: &[Col]) -> f64 {
    let lines = cols
        .iter()
        .map(|c| {
            // Spreadsheet apps fit about 1.1 header characters to a unit of width.
            let room = (c.shown_width() * 1.1).max(1.0) as usize;
            let mut lines = 1;
            let mut used = 0;
            for word in c.header.split(' ') {
                if used > 0 && used + 1 + word.len() > room {
                    lines += 1;
                    used = word.len();
                } else {
                    used += word.len() + usize::from(used > 0);
                }
            }
            lines
        })
        .max()
        .unwrap_or(1);
    15.0 * lines as f64 + 4.0
}

/// Writes a data row. Cells take their column's format (set once in [`start_sheet`]) rather
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

/// Quotes a sheet name for a formula reference.
pub(super) fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric()) {
        name.to_owned()
    } else {
        format!("'{name}'")
    }
}

/// The column letter of column `id` in `cols`. An unknown id is a bug in this module, caught by
/// the report tests.
pub(super) fn letter<'a>(cols: &'a [Col], id: &str) -> &'a str {
    let col = cols
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no report column {id:?}"));
    &col.letter
}

/// The 0-based index of column `id` in `cols` (a bug in this module when it is not there).
pub(super) fn index(cols: &[Col], id: &str) -> u16 {
    cols.iter()
        .position(|c| c.id == id)
        .unwrap_or_else(|| panic!("no report column {id:?}")) as u16
}

/// The columns with their letters filled in.
pub(super) fn lettered(mut cols: Vec<Col>) -> Vec<Col> {
    for (i, c) in cols.iter_mut().enumerate() {
        c.letter = crate::text::column_letters(i as u32);
    }
    cols
}

/// `Sheet!$X$a:$X$b`: column `id` of another sheet over rows `a..=b` (1-based).
pub(super) fn range(sheet: &str, cols: &[Col], id: &str, a: u32, b: u32) -> String {
    let c = letter(cols, id);
    format!("{}!${c}${a}:${c}${b}", sheet_ref(sheet))
}

/// Expands a formula template, so that formulas name columns rather than letters and stay right
/// when columns move: `{id}` is this sheet's column `id` in row `x`, `@{id}` the Inputs sheet's
/// column `id` in row `i` (absolute column), `#{id}` a Catalog lookup of column `id` keyed by this
/// sheet's `key` column in row `x`. (`@` and `#` appear in no formula otherwise.)
pub(super) fn expand(template: &str, cols: &[Col], x: u32, i: u32) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let id = &rest[open + 1..open + len];
        let (before, kind) = match rest[..open].chars().last() {
            Some(k @ ('@' | '#')) => (&rest[..open - 1], k),
            _ => (&rest[..open], '{'),
        };
        out.push_str(before);
        match kind {
            '@' => {
                let _ = write!(
                    out,
                    "{}!${}{i}",
                    sheets::INPUTS,
                    letter(super::inputs_sheet::cols(), id)
                );
            }
            '#' => {
                let c = letter(super::catalog_sheet::cols(), id);
                let key = letter(cols, "key");
                let k = letter(super::catalog_sheet::cols(), "key");
                let _ = write!(
                    out,
                    "INDEX({cat}!${c}:${c},MATCH(${key}{x},{cat}!${k}:${k},0))",
                    cat = sheets::CATALOG
                );
            }
            _ => {
                let _ = write!(out, "{}{x}", letter(cols, id));
            }
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_columns_not_letters() {
        let cols = super::super::workbook_sheet::cols();
        let (pods, per_eni) = (letter(cols, "pods"), letter(cols, "ips_per_eni"));
        assert_eq!(
            expand("ROUNDUP({pods}/{ips_per_eni},0)", cols, 7, 3),
            format!("ROUNDUP({pods}7/{per_eni}7,0)")
        );
        let inputs = super::super::inputs_sheet::cols();
        assert_eq!(
            expand("@{pods_per_node}+@{max_eni}", cols, 7, 3),
            format!(
                "Inputs!${}3+Inputs!${}3",
                letter(inputs, "pods_per_node"),
                letter(inputs, "max_eni")
            )
        );
        assert_eq!(
            expand("#{max_enis}", cols, 7, 3),
            format!(
                "INDEX(Catalog!$C:$C,MATCH(${}7,Catalog!$A:$A,0))",
                letter(cols, "key")
            )
        );
        // Comparison operators stay as they are.
        assert_eq!(
            expand("IF({pods}<{warm},1,0)>=2", cols, 2, 2),
            format!("IF({pods}2<{}2,1,0)>=2", letter(cols, "warm"))
        );
    }

    #[test]
    #[should_panic(expected = "no report column")]
    fn an_unknown_column_is_a_bug_caught_at_once() {
        expand(
            "{no_such_column}",
            super::super::workbook_sheet::cols(),
            2,
            2,
        );
    }

    #[test]
    fn headers_wrap_between_words() {
        let c = col("x", "Pool CIDRs held (C)", 5.0, Fmt::Int);
        assert!(c.shown_width() >= "CIDRs".len() as f64);
        assert_eq!(header_height(&[col("x", "a b", 30.0, Fmt::Int)]), 19.0);
        assert!(header_height(&[col("x", "one two three four", 6.0, Fmt::Int)]) > 19.0);
    }
}
