//! The set-up every data sheet shares ([`start_sheet`]): column widths and formats, the header
//! band and row, the table or autofilter, frozen panes, header notes, and the print set-up that
//! keeps text at 8 points or larger (one page wide, or pages across cut at the header band).

use rust_xlsxwriter::{Note, Table, TableColumn, TableStyle, Worksheet, XlsxError};

use super::cell_formats::Formats;
use super::column::{Col, Role};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::xlsx_report::cell_formats::Fmt;
    use crate::write::xlsx_report::column::col;

    #[test]
    fn headers_wrap_between_words() {
        let c = col("x", "Pool CIDRs held (C)", 5.0, Fmt::Int);
        assert!(c.shown_width() >= "CIDRs".len() as f64);
        assert_eq!(header_height(&[col("x", "a b", 30.0, Fmt::Int)]), 19.0);
        assert!(header_height(&[col("x", "one two three four", 6.0, Fmt::Int)]) > 19.0);
    }
}
