//! Export to the legacy layout: one scenario as a `subnet-calc.xlsx` workbook of the EKS
//! best-practices guide, for teams who still work in the spreadsheet.
//!
//! The workbook has one calculator sheet, `WarmENI` or `WarmIP` as
//! [`workbook::sheet_for`] picks it, followed by the three lookup sheets of the original
//! (`CidrData`, `maxPods`, `maxENI`). The calculator sheet has the original labels and inputs (B4
//! subnet CIDR size, B13 the warm target, B14 host-networking IPs, B15 daemonset pods), the
//! original summary formulas (B5 XLOOKUP into CidrData, B8/B9 SUMs over the node-group table, B10
//! the remainder) and the node-group table at A22, an Excel table named as in the original
//! (`Table3` on WarmENI, `Table36` on WarmIP) with the same column headers and calculated column
//! formulas (XLOOKUP into `Table1`/`Table2`, CEILING.MATH, structured references). The defined
//! name `WARM_ENI_TARGET` or `WARM_IP_TARGET` points at B13, as the table formulas expect.
//!
//! The lookup sheets hold the catalogue used: `maxENI` (`Table1`: IPv4addr, MaxENI, Type) lists
//! every entry with both ENI limits, `maxPods` (`Table2`: instance type, max pods) every entry
//! with a max pods, so the workbook keeps working when someone changes an instance type;
//! `CidrData` (`Table4`: size, number of ips) holds `/1` to `/30` from
//! [`Catalog::legacy_subnet_ips`].
//!
//! Every formula is written with its cached result from [`workbook::evaluate`], so any viewer
//! shows the numbers without recalculating (a max pods the catalogue lacks is `#N/A`, as in the
//! original). XLOOKUP and CEILING.MATH are stored with their `_xlfn.` prefix, as Excel stores
//! them, and as plain cell formulas: rust_xlsxwriter writes XLOOKUP as a dynamic-array formula,
//! which the original does not use (and which an Excel table does not want), so the sheet's
//! XML is rewritten to the original's form after saving. Text from the inputs (instance types,
//! the scenario id) is always written as text, never as a formula.
//!
//! Reading an exported file back with [`crate::read::legacy_xlsx`] gives the same scenario under
//! the id `<file stem>#<sheet>`, with the settings the layout normalises: the subnet as a size
//! only (a network address is kept only in a note cell), and an unset warm target as the
//! `WARM_ENI_TARGET` of 1 that the workbook model assumes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatBorder, Formula, Table, TableColumn, TableStyle, Workbook,
    Worksheet, XlsxError,
};

use crate::catalog::Catalog;
use crate::engine::workbook::{self, WorkbookResult};
use crate::error::{Error, Result};
use crate::evaluation::Sheet;
use crate::legacy_layout::{
    self as layout, CIDR_DATA, INPUT_HEADERS, INPUT_LABELS, LOOKUPS, LookupTable, MAX_PODS,
    TABLE_HEADER_ROW, column_formulas, table_name, warm_label, warm_target_name,
};
use crate::scenario::Scenario;
use crate::text::column_letters;
use crate::write::{write_error, xlsx_io};

/// The legacy workbook of `scenario` as the bytes of an xlsx file, with `catalog` as its lookup
/// sheets.
///
/// Fails with [`Error::Unsupported`] when the legacy layout cannot express the scenario (see
/// [`workbook::sheet_for`]) or its catalogue lacks an instance type's ENI limits or the subnet
/// size's CidrData row.
pub fn to_bytes(scenario: &Scenario, catalog: &Catalog) -> Result<Vec<u8>> {
    let result = workbook::evaluate(scenario, catalog).map_err(|why| Error::Unsupported {
        what: format!("scenario {:?}: {why}", scenario.id),
        hint: "the legacy layout takes one subnet size, one warm target (WARM_ENI_TARGET or \
               WARM_IP_TARGET) and instance types with ENI limits; evaluate it with --model vpc-cni"
            .into(),
    })?;
    let path = PathBuf::from(format!("{}.xlsx", scenario.id));
    let bytes = build(scenario, catalog, &result).map_err(|e| write_error(&path, xlsx_io(e)))?;
    plain_formulas(bytes).map_err(|e| write_error(&path, e))
}

/// The formats of the original, where they are cheap to copy.
struct Formats {
    title: Format,
    bold: Format,
    /// The labels of the input cells: white bold text on the theme's blue (accent 1).
    input_label: Format,
    input: Format,
    header: Format,
}

impl Formats {
    fn new() -> Self {
        let blue = Color::RGB(0x4472C4);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            input_label: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(blue)
                .set_border(FormatBorder::Thin),
            input: Format::new()
                .set_border(FormatBorder::Thin)
                .set_border_color(blue),
            header: Format::new().set_bold(),
        }
    }
}

fn build(
    scenario: &Scenario,
    catalog: &Catalog,
    result: &WorkbookResult,
) -> Result<Vec<u8>, XlsxError> {
    let sheet = result.sheet;
    let fmt = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(layout::TITLE)
            .set_author(format!("subnet-calc {}", env!("CARGO_PKG_VERSION")))
            .set_comment(format!("Scenario {}", scenario.id)),
    );
    let ws = wb.add_worksheet();
    calculator_sheet(ws, sheet, scenario, result, &fmt)?;
    let warm = layout::WARM_TARGET;
    wb.define_name(
        warm_target_name(sheet),
        &format!(
            "={}!${}${}",
            sheet.name(),
            column_letters(warm.col),
            warm.row + 1
        ),
    )?;

    let entries = catalog.entries();
    for lookup in LOOKUPS {
        let ws = wb.add_worksheet();
        ws.set_name(lookup.sheet)?;
        // Every row as the table's columns give them: numbers, and the instance type as text.
        let rows: Vec<Vec<Cell<'_>>> = if lookup == CIDR_DATA {
            (1..=30u8)
                .filter_map(|n| catalog.legacy_subnet_ips(n).map(|ips| (n, ips)))
                .map(|(size, ips)| vec![Cell::Number(f64::from(size)), Cell::Number(ips as f64)])
                .collect()
        } else if lookup == MAX_PODS {
            entries
                .iter()
                .filter_map(|l| {
                    let pods = l.max_pods?;
                    Some(vec![
                        Cell::Text(&l.instance_type),
                        Cell::Number(f64::from(pods)),
                    ])
                })
                .collect()
        } else {
            entries
                .iter()
                .filter_map(|l| {
                    let (ips, enis) = (l.ipv4_per_eni?, l.max_enis?);
                    Some(vec![
                        Cell::Number(f64::from(ips)),
                        Cell::Number(f64::from(enis)),
                        Cell::Text(&l.instance_type),
                    ])
                })
                .collect()
        };
        lookup_table(ws, &lookup, rows.len(), &fmt)?;
        for (r, cells) in rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let (row, col) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Number(n) => ws.write_number(row, col, *n)?,
                    Cell::Text(t) => ws.write_string(row, col, *t)?,
                };
            }
        }
        let wide = lookup
            .headers
            .iter()
            .position(|h| *h == "number of ips" || *h == "instance type" || *h == "Type");
        if let Some(c) = wide {
            ws.set_column_width(c as u16, if lookup == CIDR_DATA { 14 } else { 20 })?;
        }
    }
    wb.save_to_buffer()
}

/// A lookup table cell.
enum Cell<'a> {
    Number(f64),
    Text(&'a str),
}

/// A lookup sheet's table at A1 with `rows` data rows (one blank row when there are none, as a
/// table needs a data row).
fn lookup_table(
    ws: &mut Worksheet,
    lookup: &LookupTable,
    rows: usize,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let columns: Vec<TableColumn> = lookup
        .headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(&fmt.header)
        })
        .collect();
    let table = Table::new()
        .set_name(lookup.table)
        .set_style(TableStyle::Light8)
        .set_columns(&columns);
    ws.add_table(
        0,
        0,
        rows.max(1) as u32,
        lookup.headers.len() as u16 - 1,
        &table,
    )?;
    Ok(())
}

/// A formula with its cached result: a number, or `#N/A` when the model has none.
fn cached(formula: &str, value: Option<f64>) -> Formula {
    let result = match value {
        Some(v) => v.to_string(),
        None => "#N/A".to_owned(),
    };
    Formula::new(formula).set_result(result)
}

/// The calculator sheet (`WarmENI` or `WarmIP`) as the original has it: column widths, labels
/// and inputs, the summary, the node-group table.
fn calculator_sheet(
    ws: &mut Worksheet,
    sheet: Sheet,
    scenario: &Scenario,
    result: &WorkbookResult,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(sheet.name())?;
    let widths: &[f64] = match sheet {
        Sheet::WarmEni => &[
            25.5, 15.0, 29.8, 25.7, 14.5, 13.7, 13.3, 20.2, 14.7, 18.0, 13.7, 12.7, 14.2, 10.7,
            12.2,
        ],
        Sheet::WarmIp => &[
            25.5, 15.0, 29.8, 25.7, 14.5, 13.7, 13.3, 20.2, 14.7, 13.7, 12.7, 20.0, 20.0, 13.0,
            13.0, 14.2, 10.7,
        ],
    };
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    labels_and_inputs(ws, sheet, scenario, result, fmt)?;
    summary_cells(ws, sheet, result, fmt)?;
    node_group_table(ws, sheet, scenario, result, fmt)
}

/// The title, captions and labels, and the input cells (subnet size, warm target, host-networking
/// IPs, daemonset pods) with the original's notes beside them.
fn labels_and_inputs(
    ws: &mut Worksheet,
    sheet: Sheet,
    scenario: &Scenario,
    result: &WorkbookResult,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, layout::TITLE, &fmt.title)?;
    for (at, text) in layout::CAPTIONS {
        ws.write_string(at.row, at.col as u16, text)?;
    }
    ws.write_string(
        2,
        2,
        format!(
            "Exported by subnet-calc {} from scenario {}",
            env!("CARGO_PKG_VERSION"),
            scenario.id
        ),
    )?;
    let subnet = scenario.subnets[0];
    let input = |ws: &mut Worksheet, label: &layout::Label, value: f64| {
        ws.write_string_with_format(
            label.at.row,
            label.at.col as u16,
            label.text,
            &fmt.input_label,
        )?;
        ws.write_number_with_format(label.at.row, label.at.col as u16 + 1, value, &fmt.input)?;
        Ok::<_, XlsxError>(())
    };
    let [cidr_label, host_label, daemonset_label] = INPUT_LABELS;
    input(ws, &cidr_label, f64::from(subnet.prefix_len))?;
    if subnet.network.is_some() {
        ws.write_string(
            layout::CIDR.row,
            layout::CIDR.col as u16 + 1,
            format!("Subnet {subnet} (the sheet takes only its size)"),
        )?;
    }
    input(ws, &warm_label(sheet), f64::from(result.warm_target))?;
    let other = match sheet {
        Sheet::WarmEni => {
            "If you want to use \"WARM_IP_TARGET\" instead, switch to the WarmIP tab. "
        }
        Sheet::WarmIp => {
            "If you want to use \"WARM_ENI_TARGET\" instead, switch to the WarmENI tab. "
        }
    };
    ws.write_string(
        layout::WARM_TARGET.row,
        layout::WARM_TARGET.col as u16 + 1,
        other,
    )?;
    input(ws, &host_label, f64::from(scenario.host_networking_ips))?;
    input(ws, &daemonset_label, f64::from(scenario.daemonset_pods))?;
    if sheet == Sheet::WarmEni {
        ws.write_string(
            14,
            7,
            "Note: Values slightly over a whole number (3.1 vs 3) are associated with excess IP usage",
        )?;
    }
    let (list_at, list) = layout::unsupported_list(sheet);
    for (i, text) in list.iter().enumerate() {
        ws.write_string(list_at.row + i as u32, list_at.col as u16, *text)?;
    }
    Ok(())
}

/// The summary: its labels, and its formulas (subnet IPs, used IPs, pods, remaining) with their
/// cached results.
fn summary_cells(
    ws: &mut Worksheet,
    sheet: Sheet,
    result: &WorkbookResult,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let outputs = [
        result.subnet_ips,
        result.used_ips,
        result.pods,
        result.remaining_ips,
    ];
    let formulas = layout::summary_formulas(sheet, table_name(sheet));
    for (((label_at, label, cell), formula), value) in
        layout::OUTPUT_LABELS.iter().zip(&formulas).zip(outputs)
    {
        let remaining = *cell == layout::REMAINING;
        if remaining {
            ws.write_string_with_format(label_at.row, label_at.col as u16, *label, &fmt.bold)?;
        } else {
            ws.write_string(label_at.row, label_at.col as u16, *label)?;
        }
        ws.write_formula(
            cell.row,
            cell.col as u16,
            cached(formula, Some(value as f64)),
        )?;
    }
    Ok(())
}

/// The node-group table: the input columns, then the calculated columns, one row per node group
/// with each formula's cached result.
fn node_group_table(
    ws: &mut Worksheet,
    sheet: Sheet,
    scenario: &Scenario,
    result: &WorkbookResult,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let table = table_name(sheet);
    let formulas = column_formulas(sheet, table);
    let mut columns: Vec<TableColumn> = INPUT_HEADERS
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(&fmt.input_label)
        })
        .collect();
    for (header, formula) in layout::computed_headers(sheet).iter().zip(&formulas) {
        columns.push(
            TableColumn::new()
                .set_header(*header)
                .set_header_format(&fmt.header)
                .set_formula(Formula::new(formula)),
        );
    }
    let first = TABLE_HEADER_ROW + 1;
    let last = first + result.rows.len() as u32 - 1;
    let t = Table::new()
        .set_name(table)
        .set_style(TableStyle::Light8)
        .set_columns(&columns);
    ws.add_table(TABLE_HEADER_ROW, 0, last, columns.len() as u16 - 1, &t)?;
    for (i, (group, row)) in scenario.node_groups.iter().zip(&result.rows).enumerate() {
        let r = first + i as u32;
        ws.write_string(r, 0, &*group.instance_type)?;
        ws.write_number(r, 1, f64::from(group.instances))?;
        ws.write_number(r, 2, f64::from(group.pods_per_node))?;
        for (c, (formula, value)) in formulas.iter().zip(row.sheet_values(sheet)).enumerate() {
            ws.write_formula(r, 3 + c as u16, cached(formula, value))?;
        }
    }
    Ok(())
}

/// Rewrites the calculator sheet's dynamic-array formulas (`cm="1"`, `t="array"`) as the plain
/// cell formulas the original workbook holds. Every other part is copied as it is.
fn plain_formulas(bytes: Vec<u8>) -> std::io::Result<Vec<u8>> {
    // The zip archive's faults as the I/O errors they stand for, kept whole.
    let zip = std::io::Error::other;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(zip)?;
        let name = entry.name().map_err(zip)?.into_owned();
        if name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml)?;
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name, options).map_err(zip)?;
            out.write_all(un_array(&xml).as_bytes())?;
        } else {
            out.raw_copy_file(entry).map_err(zip)?;
        }
    }
    Ok(out.finish().map_err(zip)?.into_inner())
}

/// The sheet XML with each single-cell dynamic-array formula made a plain formula. Cell text
/// lives in the shared strings and formula text is XML-escaped, so the markup searched for
/// cannot occur inside a value.
fn un_array(xml: &str) -> Cow<'_, str> {
    if !xml.contains(r#"<f t="array""#) {
        return Cow::Borrowed(xml);
    }
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("<c ") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        out.push_str(&tag.replace(r#" cm="1""#, ""));
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix(r#"<f t="array" ref=""#)
            && let Some(close) = after.find("\">")
        {
            out.push_str("<f>");
            rest = &after[close + 2..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// File names for exported scenarios, in order. A scenario read from a workbook (id
/// `<stem>#<sheet>`) exports to `<stem>.xlsx` when it is the only one of its workbook, and to
/// `<stem>-<sheet>.xlsx` when the workbook had several calculator sheets (which reads back with
/// the id `<stem>#<sheet>`); any other id exports to `<id>.xlsx`. Characters unsafe in file names
/// are replaced by `_`; a name still taken (ignoring case, for case-insensitive file systems)
/// gets `-2`, `-3`… before the extension. Windows device names (`CON`, `NUL`, `COM1`…, with any
/// extension) get a leading `_`.
pub fn file_names<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    file_names_from(ids.into_iter().map(|id| (id, None)))
}

/// [`file_names`] for scenarios with the file each was read from, when known: a scenario read
/// back from an export named `<stem>-<sheet>.xlsx` (id `<stem>#<sheet>`) is named so again, even
/// alone of its stem, so that exporting an export keeps its name (and never lands on the
/// several-sheet `<stem>.xlsx` it came from).
pub fn file_names_from<'a>(
    scenarios: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<String> {
    let scenarios: Vec<(&str, Option<&str>)> = scenarios.into_iter().collect();
    let ids: Vec<&str> = scenarios.iter().map(|(id, _)| *id).collect();
    let split = |id: &'a str| {
        id.rsplit_once('#')
            .filter(|(stem, sheet)| !stem.is_empty() && !sheet.is_empty())
    };
    let mut per_stem: HashMap<String, usize> = HashMap::new();
    for (stem, _) in ids.iter().filter_map(|id| split(id)) {
        *per_stem.entry(stem.to_lowercase()).or_default() += 1;
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = Vec::new();
    for (id, source) in scenarios {
        // Read back from `<stem>-<sheet>.xlsx`: the name it was exported under.
        let exported_as = |stem: &str, sheet: &str| {
            let file_stem = source
                .map(std::path::Path::new)
                .and_then(std::path::Path::file_stem)
                .map(|s| s.to_string_lossy());
            let own = stem.rsplit('/').next().unwrap_or(stem);
            file_stem.is_some_and(|f| f == format!("{own}-{sheet}"))
        };
        let base = match split(id) {
            Some((stem, sheet)) if exported_as(stem, sheet) => format!("{stem}-{sheet}"),
            Some((stem, _)) if per_stem[&stem.to_lowercase()] == 1 => stem.to_owned(),
            Some((stem, sheet)) => format!("{stem}-{sheet}"),
            None => id.to_owned(),
        };
        let stem = safe_stem(&base);
        let mut name = format!("{stem}.xlsx");
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{stem}-{n}.xlsx");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The file stem for a scenario id (see [`file_names`]).
fn safe_stem(id: &str) -> String {
    let mut stem: String = id
        .trim()
        .chars()
        // Bidirectional controls would make the name read differently from what it is.
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    // No hidden files, no "." or "..", no trailing dots or blanks (Windows drops them).
    while stem.starts_with('.') {
        stem.replace_range(..1, "_");
    }
    // Keep names within common file-system limits (255 bytes with the suffix and extension).
    if stem.len() > 200 {
        let mut cut = 200;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    let trimmed = stem.trim_end_matches(['.', ' ']).len();
    stem.truncate(trimmed);
    if stem.is_empty() {
        stem.push_str("scenario");
    }
    // Windows reserves device names, with any extension and trailing blanks: CON, CON.txt,
    // com1, and COM¹, COM², COM³ (and LPT) with superscript digits.
    let device = stem
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_uppercase();
    let numbered = |prefix: &str| {
        device.strip_prefix(prefix).is_some_and(|n| {
            matches!(
                n,
                "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    };
    let reserved = matches!(
        device.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || numbered("COM")
        || numbered("LPT");
    if reserved {
        stem.insert(0, '_');
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_drop_the_sheet_replace_unsafe_characters_and_number_duplicates() {
        // A workbook's two calculator sheets keep their names apart; a lone one is dropped.
        let names = file_names([
            "team#WarmENI",
            "team#WarmIP",
            "solo#WarmIP",
            "a/b:c",
            "Team-WarmENI",
            "..",
            "web prod",
        ]);
        assert_eq!(
            names,
            [
                "team-WarmENI.xlsx",
                "team-WarmIP.xlsx",
                "solo.xlsx",
                "a_b_c.xlsx",
                "Team-WarmENI-2.xlsx",
                "_.xlsx",
                "web prod.xlsx",
            ]
        );
        assert_eq!(file_names([".hidden"]), ["_hidden.xlsx"]);
        assert_eq!(
            file_names(["", "#WarmIP"]),
            ["scenario.xlsx", "#WarmIP.xlsx"]
        );
    }

    #[test]
    fn an_export_read_back_keeps_its_name() {
        // team-WarmENI.xlsx reads back as team#WarmENI: it exports to team-WarmENI.xlsx again,
        // not to team.xlsx, the two-sheet workbook it came from.
        assert_eq!(
            file_names_from([
                ("team#WarmENI", Some("out/team-WarmENI.xlsx")),
                ("solo#WarmENI", Some("solo.xlsx")),
                ("a/b#WarmIP", Some("x/a/b-WarmIP.xlsx")),
            ]),
            ["team-WarmENI.xlsx", "solo.xlsx", "a_b-WarmIP.xlsx"]
        );
    }

    #[test]
    fn file_names_avoid_windows_device_names_and_trailing_dots_after_truncation() {
        assert_eq!(
            file_names(["CON", "nul", "con.txt", "COM1", "LPT9", "COM0", "console"]),
            [
                "_CON.xlsx",
                "_nul.xlsx",
                "_con.txt.xlsx",
                "_COM1.xlsx",
                "_LPT9.xlsx",
                "COM0.xlsx",
                "console.xlsx"
            ]
        );
        assert_eq!(
            file_names(["COM¹", "lpt³.old", "COM¹0", "conin$"]),
            ["_COM¹.xlsx", "_lpt³.old.xlsx", "COM¹0.xlsx", "_conin$.xlsx"]
        );
        assert_eq!(
            file_names(["team\u{202E}xslx.exe", "a\u{200F}b\u{7}c"]),
            ["teamxslx.exe.xlsx", "ab_c.xlsx"]
        );
        let long = format!("{}.{}", "a".repeat(199), "b".repeat(50));
        let name = &file_names([long.as_str()])[0];
        assert_eq!(
            name,
            &format!("{}.xlsx", "a".repeat(199)),
            "cut at 200 bytes, then the trailing dot dropped"
        );
    }

    #[test]
    fn dynamic_array_formulas_become_plain_formulas() {
        let xml = r#"<row><c r="D23" s="1" cm="1"><f t="array" ref="D23">_xlfn.XLOOKUP(A1,B:B,C:C)</f><v>8</v></c><c r="E23"><f>A1</f><v>1</v></c></row>"#;
        assert_eq!(
            un_array(xml),
            r#"<row><c r="D23" s="1"><f>_xlfn.XLOOKUP(A1,B:B,C:C)</f><v>8</v></c><c r="E23"><f>A1</f><v>1</v></c></row>"#
        );
    }

    #[test]
    fn the_formulas_are_the_originals() {
        let eni = column_formulas(Sheet::WarmEni, table_name(Sheet::WarmEni));
        assert_eq!(eni.len(), layout::computed_headers(Sheet::WarmEni).len());
        assert_eq!(
            eni[0],
            "_xlfn.XLOOKUP(Table3[[#This Row],[instance type]],Table1[Type],Table1[MaxENI])"
        );
        assert_eq!(
            eni[11],
            "Table3[[#This Row],[Target Workload Pods per Node]]*Table3[[#This Row],['# of Instances]]"
        );
        let ip = column_formulas(Sheet::WarmIp, table_name(Sheet::WarmIp));
        assert_eq!(ip.len(), layout::computed_headers(Sheet::WarmIp).len());
        assert_eq!(
            ip[8],
            "IF((Table36[[#This Row],[Used IPs PI]]-Table36[[#This Row],[Actual IPs PI]])<WARM_IP_TARGET,1,0)"
        );
    }
}
