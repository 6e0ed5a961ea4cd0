//! The structure of an xlsx package, read from its XML parts: the sheets with their visibility,
//! the defined names with their scope, and the tables of each sheet.
//!
//! calamine reads cell values; this module reads what a workbook's formulas depend on beyond
//! them. It is lenient where calamine is strict: a table part that cannot be read (LibreOffice
//! writes a whole-column table as `ref="A:B"`, which calamine's `load_tables` rejects for the
//! whole workbook) is left out with a note, so that the reader falls back to finding the table by
//! its header row. Before anything is decompressed or read, the parts are checked against
//! [`Limits`] ([`super::archive`]: sizes, and the counts of what calamine keeps); the sheets and
//! defined names are counted here, as they are read.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::OnceLock;

use quick_xml::events::Event;

pub use super::archive::{PackageError, human_bytes};
pub use super::limits::{
    Counted, Limits, MAX_CELL_FORMATS, MAX_DEFINED_NAMES, MAX_SHARED_STRINGS, MAX_SHEETS,
    MAX_STYLE_TEXT,
};

use crate::error::{PartFault, WorkbookFault};

use super::archive::{
    Zip, attr_value, check_counts, check_sizes, part_fault, part_index, part_text,
};

/// Whether a sheet is shown in its workbook's tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Shown.
    Visible,
    /// Hidden (Format > Sheet > Hide).
    Hidden,
    /// Hidden so that only a macro can show it again.
    VeryHidden,
}

/// A rectangle of cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    /// First row.
    pub first_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}

/// The last row of a sheet, 0-based (row 1,048,576).
pub const LAST_ROW: u32 = 1_048_575;
/// The last column of a sheet, 0-based (column XFD).
pub const LAST_COL: u32 = 16_383;

impl Area {
    /// Parses an A1-style reference: `A22:O24`, `$A$1:$B$5`, one cell `B4`, whole columns
    /// `A:B` (as LibreOffice writes a whole-column table) or whole rows `3:5`.
    pub fn parse(text: &str) -> Option<Area> {
        let text = text.trim();
        let (a, b) = text.split_once(':').unwrap_or((text, text));
        let (r1, c1) = corner(a)?;
        let (r2, c2) = corner(b)?;
        let (first_row, last_row) = match (r1, r2) {
            (Some(x), Some(y)) => (x, y),
            (None, None) => (0, LAST_ROW),
            _ => return None,
        };
        let (first_col, last_col) = match (c1, c2) {
            (Some(x), Some(y)) => (x, y),
            (None, None) => (0, LAST_COL),
            _ => return None,
        };
        (first_row <= last_row && first_col <= last_col).then_some(Area {
            first_row,
            first_col,
            last_row,
            last_col,
        })
    }

    /// Whether the area holds a cell.
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }
}

/// One corner of a reference: (row, column), each absent for whole rows or columns.
fn corner(text: &str) -> Option<(Option<u32>, Option<u32>)> {
    let text = text.trim().replace('$', "");
    let split = text
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(text.len());
    let (letters, digits) = text.split_at(split);
    if !letters.bytes().all(|b| b.is_ascii_alphabetic()) || letters.len() > 3 {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 7 {
        return None;
    }
    if letters.is_empty() && digits.is_empty() {
        return None;
    }
    let col = if letters.is_empty() {
        None
    } else {
        let n = letters.bytes().fold(0u32, |n, b| {
            n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
        });
        Some(n - 1).filter(|&c| c <= LAST_COL)
    };
    let row = if digits.is_empty() {
        None
    } else {
        let n: u32 = digits.parse().ok()?;
        Some(n.checked_sub(1)?).filter(|&r| r <= LAST_ROW)
    };
    if (!letters.is_empty() && col.is_none()) || (!digits.is_empty() && row.is_none()) {
        return None;
    }
    Some((row, col))
}

/// An Excel table (ListObject) of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePart {
    /// The name formulas use (`displayName`), e.g. `Table3`.
    pub name: String,
    /// The table's cells, header row included.
    pub area: Area,
    /// Header rows (0 or 1).
    pub header_rows: u32,
    /// Totals rows (0 or 1).
    pub totals_rows: u32,
    /// The column names, in order.
    pub columns: Vec<String>,
}

impl TablePart {
    /// The data rows (first, last), without header and totals rows; `None` when there are none.
    pub fn data_rows(&self) -> Option<(u32, u32)> {
        let first = self.area.first_row + self.header_rows;
        let last = self.area.last_row.checked_sub(self.totals_rows)?;
        (first <= last).then_some((first, last))
    }
}

/// A sheet of the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    /// Its name on the tab.
    pub name: String,
    /// Whether it is shown.
    pub visibility: Visibility,
    /// Whether it is a worksheet (not a chart sheet or a macro sheet).
    pub is_worksheet: bool,
    /// Its part in the package, e.g. `xl/worksheets/sheet1.xml`.
    pub part: String,
    /// Its tables.
    pub tables: Vec<TablePart>,
}

/// A defined name (Formulas > Name Manager).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinedName {
    /// The name, e.g. `WARM_ENI_TARGET`.
    pub name: String,
    /// The sheet it is local to (index into [`Package::sheets`]), `None` for the workbook.
    pub scope: Option<usize>,
    /// What it refers to, e.g. `WarmENI!$B$13`.
    pub refers_to: String,
}

impl DefinedName {
    /// The one cell the name refers to, as (sheet name, row, column), when it is a single cell.
    pub fn cell(&self) -> Option<(String, u32, u32)> {
        let (sheet, cell) = self.refers_to.trim().rsplit_once('!')?;
        let sheet = sheet.trim_start_matches('=');
        let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
            Some(quoted) => quoted.replace("''", "'"),
            None => sheet.to_owned(),
        };
        let area = Area::parse(cell)?;
        (area.first_row == area.last_row && area.first_col == area.last_col).then_some((
            sheet,
            area.first_row,
            area.first_col,
        ))
    }
}

/// The structure of a workbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    /// The sheets in tab order.
    pub sheets: Vec<SheetInfo>,
    /// The defined names.
    pub names: Vec<DefinedName>,
    /// Table parts that could not be read, with the reason (their sheets fall back to header
    /// rows).
    pub unreadable_tables: Vec<String>,
    /// Sheets and names by their name, made on first use, so that looking one up does not go
    /// through them all (a workbook of thousands of sheets, each looking up its names).
    index: OnceLock<Index>,
}

/// Sheets and defined names by name (trimmed, ASCII lower case), in workbook order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Index {
    sheets: HashMap<String, usize>,
    names: HashMap<String, Vec<usize>>,
}

/// A sheet or defined name as the index keys it: any case, blanks around ignored.
fn key(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

impl Package {
    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (i, sheet) in self.sheets.iter().enumerate() {
                index.sheets.entry(key(&sheet.name)).or_insert(i);
            }
            for (i, name) in self.names.iter().enumerate() {
                index.names.entry(key(&name.name)).or_default().push(i);
            }
            index
        })
    }

    /// The defined name `name` as a formula on sheet `sheet` sees it: the sheet's own name
    /// first, then the workbook's. Names ignore case, as in Excel.
    pub fn resolve_name(&self, name: &str, sheet: usize) -> Option<&DefinedName> {
        let named: Vec<&DefinedName> = self
            .index()
            .names
            .get(&key(name))
            .map(|found| found.iter().map(|&i| &self.names[i]).collect())
            .unwrap_or_default();
        named
            .iter()
            .find(|n| n.scope == Some(sheet))
            .or_else(|| named.iter().find(|n| n.scope.is_none()))
            .copied()
    }

    /// Whether the workbook defines `name` (in any scope).
    pub fn has_name(&self, name: &str) -> bool {
        self.index().names.contains_key(&key(name))
    }

    /// The index of the first sheet called `name` (any case, blanks around ignored, as a
    /// spreadsheet user sees sheet names).
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        self.index().sheets.get(&key(name)).copied()
    }
}

/// Reads the structure of the xlsx package in `bytes`, after checking every part's size, and
/// the counts of the records calamine keeps (see [`Limits`]).
pub fn read(bytes: &[u8], limits: Limits) -> Result<Package, PackageError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(WorkbookFault::NotAZip)?;
    check_sizes(&mut zip, limits)?;
    check_counts(&mut zip, limits)?;
    let workbook_part = office_document(&mut zip)?;
    let workbook_xml = part_text(&mut zip, &workbook_part)?
        .ok_or_else(|| part_fault(&workbook_part, PartFault::Missing))?;
    let rels: HashMap<String, Relationship> = relationships(&mut zip, &workbook_part)?
        .into_iter()
        .rev()
        .map(|r| (r.id.clone(), r))
        .collect();
    let (sheet_entries, names) = parse_workbook(&workbook_xml, &workbook_part, limits)?;
    let mut package = Package {
        names,
        ..Package::default()
    };
    for entry in sheet_entries {
        let target = rels
            .get(&entry.rel_id)
            .map(|r| (r.target.clone(), r.kind.clone()));
        let (part, kind) = target.unwrap_or_default();
        let is_worksheet = kind.ends_with("/worksheet");
        let mut tables = Vec::new();
        if is_worksheet && !part.is_empty() {
            for rel in relationships(&mut zip, &part)?
                .into_iter()
                .filter(|r| r.kind.ends_with("/table"))
            {
                match read_table(&mut zip, &rel.target) {
                    Ok(table) => tables.push(table),
                    Err(why) => package
                        .unreadable_tables
                        .push(format!("{} ({}): {why}", rel.target, entry.name)),
                }
            }
        }
        package.sheets.push(SheetInfo {
            name: entry.name,
            visibility: entry.visibility,
            is_worksheet,
            part,
            tables,
        });
    }
    Ok(package)
}

struct Relationship {
    id: String,
    kind: String,
    /// The target's part name, resolved against the source part.
    target: String,
}

/// The workbook part named by the package's root relationships (`xl/workbook.xml` normally).
fn office_document(zip: &mut Zip<'_>) -> Result<String, PackageError> {
    let rels = relationships(zip, "")?;
    Ok(rels
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_owned(), |r| r.target))
}

/// The relationships of `part` (`""` for the package root), targets resolved to part names.
fn relationships(zip: &mut Zip<'_>, part: &str) -> Result<Vec<Relationship>, PackageError> {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let Some(xml) = part_text(zip, &rels_name)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let (mut id, mut kind, mut target, mut external) =
                    (String::new(), String::new(), String::new(), false);
                for attr in e.attributes().flatten() {
                    let value = attr_value(&attr);
                    match attr.key.local_name().as_ref() {
                        "Id" => id = value,
                        "Type" => kind = value,
                        "Target" => target = value,
                        "TargetMode" => external = value.eq_ignore_ascii_case("External"),
                        _ => {}
                    }
                }
                if !external {
                    out.push(Relationship {
                        id,
                        kind,
                        target: resolve(dir, &target),
                    });
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(part_fault(&rels_name, PartFault::Xml(e))),
            _ => {}
        }
    }
    Ok(out)
}

/// A relationship target as a part name: absolute (`/xl/x.xml`) or relative to `dir`.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if dir.is_empty() => target.to_owned(),
        None => format!("{dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

struct SheetEntry {
    name: String,
    rel_id: String,
    visibility: Visibility,
}

/// The text of an element, entity and character references resolved.
fn element_text(reader: &mut quick_xml::Reader<&[u8]>) -> Result<String, quick_xml::Error> {
    let mut text = String::new();
    loop {
        match reader.read_event()? {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(quick_xml::escape::resolve_predefined_entity(&r).unwrap_or(""));
                }
            }
            Event::End(_) | Event::Eof => return Ok(text),
            _ => {}
        }
    }
}

/// The sheets and defined names of the workbook part `part`, within the limits on their counts.
fn parse_workbook(
    xml: &str,
    part: &str,
    limits: Limits,
) -> Result<(Vec<SheetEntry>, Vec<DefinedName>), PackageError> {
    let malformed = |e: quick_xml::Error| part_fault(part, PartFault::Xml(e));
    let too_many = |counted, limit| PackageError::TooMany {
        part: part.to_owned(),
        counted,
        limit,
        declared: None,
    };
    let mut sheets = Vec::new();
    let mut names = Vec::new();
    let mut empty_names = 0usize;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(malformed)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                if sheets.len() == limits.max_sheets {
                    return Err(too_many(Counted::Sheets, limits.max_sheets));
                }
                let mut entry = SheetEntry {
                    name: String::new(),
                    rel_id: String::new(),
                    visibility: Visibility::Visible,
                };
                for attr in e.attributes().flatten() {
                    let value = attr_value(&attr);
                    match attr.key.local_name().as_ref() {
                        "name" => entry.name = value,
                        "id" => entry.rel_id = value,
                        "state" => {
                            entry.visibility = match value.as_str() {
                                "hidden" => Visibility::Hidden,
                                "veryHidden" => Visibility::VeryHidden,
                                _ => Visibility::Visible,
                            }
                        }
                        _ => {}
                    }
                }
                sheets.push(entry);
            }
            // An empty one is no name a formula can use, but calamine keeps it: it is counted.
            Event::Empty(e) if e.local_name().as_ref() == "definedName" => {
                empty_names += 1;
                if names.len() + empty_names > limits.max_defined_names {
                    return Err(too_many(Counted::DefinedNames, limits.max_defined_names));
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                if names.len() + empty_names == limits.max_defined_names {
                    return Err(too_many(Counted::DefinedNames, limits.max_defined_names));
                }
                let mut name = String::new();
                let mut scope = None;
                for attr in e.attributes().flatten() {
                    let value = attr_value(&attr);
                    match attr.key.local_name().as_ref() {
                        "name" => name = value,
                        "localSheetId" => scope = value.trim().parse().ok(),
                        _ => {}
                    }
                }
                let refers_to = element_text(&mut reader).map_err(malformed)?;
                names.push(DefinedName {
                    name,
                    scope,
                    refers_to,
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((sheets, names))
}

fn read_table(zip: &mut Zip<'_>, part: &str) -> Result<TablePart, String> {
    let xml = part_text(zip, part)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the part is missing".to_owned())?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut table: Option<TablePart> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "table" => {
                let (mut name, mut display, mut reference) = (None, None, None);
                let (mut header_rows, mut totals_rows) = (1u32, 0u32);
                for attr in e.attributes().flatten() {
                    let value = attr_value(&attr);
                    match attr.key.local_name().as_ref() {
                        "name" => name = Some(value),
                        "displayName" => display = Some(value),
                        "ref" => reference = Some(value),
                        "headerRowCount" => header_rows = value.parse().unwrap_or(1).min(1),
                        "totalsRowCount" => totals_rows = value.parse().unwrap_or(0).min(1),
                        _ => {}
                    }
                }
                let reference = reference.ok_or("the table has no ref")?;
                let area = Area::parse(&reference)
                    .ok_or_else(|| format!("the table's ref {reference:?} is not a range"))?;
                table = Some(TablePart {
                    name: display.or(name).ok_or("the table has no name")?,
                    area,
                    header_rows,
                    totals_rows,
                    columns: Vec::new(),
                });
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "tableColumn" => {
                if let Some(t) = table.as_mut() {
                    let name = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "name")
                        .map(|a| attr_value(&a))
                        .unwrap_or_default();
                    t.columns.push(name);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    table.ok_or_else(|| "no table element".to_owned())
}

/// Checks that every row and cell reference of a sheet part is a place on a worksheet (columns A
/// to XFD, rows 1 to 1,048,576): calamine computes positions from them without bounds, so a
/// malformed `r="ZZZZZZZZZZZZ1"` would overflow, or wrap onto another cell's position and be read
/// in its place. Returns whether every row and cell has its reference and they never go back up
/// the sheet (as in any file a spreadsheet app wrote): a reader of the first rows may then stop
/// past them.
pub fn check_cell_refs<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    part: &str,
) -> Result<bool, WorkbookFault> {
    let in_part = |fault| WorkbookFault::Part {
        part: part.to_owned(),
        fault,
    };
    let index = part_index(zip, part).ok_or_else(|| in_part(PartFault::Missing))?;
    let file = zip
        .by_index(index)
        .map_err(|e| in_part(PartFault::Zip(e)))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let mut buf = Vec::new();
    // The row of the last reference met, 0-based; false once one lacks its reference or goes back.
    let (mut last_row, mut in_order) = (0u32, true);
    let mut met = |row: Option<u32>| match row {
        Some(row) if row >= last_row => last_row = row,
        _ => in_order = false,
    };
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let element = e.local_name();
                let is_row = element.as_ref() == "row";
                if !is_row && element.as_ref() != "c" {
                    continue;
                }
                let r = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "r")
                    .map(|a| attr_value(&a));
                if is_row {
                    if r.is_none() {
                        met(None);
                    }
                    if let Some(r) = r {
                        match r.trim().parse::<u32>() {
                            Ok(n) if (1..=LAST_ROW + 1).contains(&n) => met(Some(n - 1)),
                            _ => return Err(WorkbookFault::RowNumber(r)),
                        }
                    }
                    continue;
                }
                if r.is_none() {
                    met(None);
                }
                if let Some(r) = r {
                    match Area::parse(&r) {
                        Some(a)
                            if a.first_row == a.last_row
                                && a.first_col == a.last_col
                                && !r.contains([':', '$']) =>
                        {
                            met(Some(a.first_row))
                        }
                        _ => return Err(WorkbookFault::CellReference(r)),
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => return Ok(in_order),
            Ok(Event::Eof) => return Ok(in_order),
            Err(e) => return Err(in_part(PartFault::Xml(e))),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_parse_in_every_form() {
        let a = Area::parse("A22:O24").unwrap();
        assert_eq!(
            (a.first_row, a.first_col, a.last_row, a.last_col),
            (21, 0, 23, 14)
        );
        let whole = Area::parse("A:B").unwrap();
        assert_eq!((whole.first_row, whole.last_row), (0, LAST_ROW));
        assert_eq!((whole.first_col, whole.last_col), (0, 1));
        assert_eq!(Area::parse("$B$13").unwrap().first_row, 12);
        let rows = Area::parse("3:5").unwrap();
        assert_eq!((rows.first_col, rows.last_col), (0, LAST_COL));
        for bad in [
            "", "A0", "XFE1", "A1048577", "A1:B", "1A", "AAAA1", "A-1", "B2:A1",
        ] {
            assert_eq!(Area::parse(bad), None, "{bad}");
        }
        assert_eq!(Area::parse("XFD1048576").unwrap().last_col, LAST_COL);
    }

    #[test]
    fn names_resolve_local_first_and_name_their_cell() {
        let name = |scope, refers_to: &str| DefinedName {
            name: "WARM_ENI_TARGET".into(),
            scope,
            refers_to: refers_to.into(),
        };
        let package = Package {
            names: vec![
                name(None, "WarmENI!$B$13"),
                name(Some(2), "'WarmENI (2)'!$B$13"),
            ],
            ..Package::default()
        };
        let local = package.resolve_name("warm_eni_target", 2).unwrap();
        assert_eq!(local.cell(), Some(("WarmENI (2)".to_owned(), 12, 1)));
        let global = package.resolve_name("WARM_ENI_TARGET", 0).unwrap();
        assert_eq!(global.cell(), Some(("WarmENI".to_owned(), 12, 1)));
        assert_eq!(name(None, "'It''s'!B4").cell().unwrap().0, "It's");
        assert_eq!(name(None, "WarmENI!$B$13:$B$14").cell(), None);
    }

    #[test]
    fn relationship_targets_resolve_to_part_names() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "../tables/table1.xml"),
            "xl/tables/table1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/worksheets/sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }

    #[test]
    fn cell_references_outside_a_worksheet_are_found() {
        use std::io::Write;
        let sheet = |cells: &str| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            w.start_file("s.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            write!(w, "<worksheet><sheetData>{cells}</sheetData></worksheet>").unwrap();
            w.finish().unwrap().into_inner()
        };
        let check = |bytes: &[u8]| {
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            check_cell_refs(&mut zip, "s.xml")
        };
        let ok = sheet(
            r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"/></row><row r="1048576"><c r="B1048576"/></row>"#,
        );
        assert!(matches!(check(&ok), Ok(true)));
        // Rows that go back up the sheet, or a cell without its reference: read to the end.
        for unordered in [
            r#"<row r="2"><c r="A2"/></row><row r="1"><c r="A1"/></row>"#,
            r#"<row r="2"><c r="A1"/></row>"#,
            r#"<row r="1"><c><v>1</v></c></row>"#,
            r#"<row><c r="A1"/></row>"#,
        ] {
            assert!(matches!(check(&sheet(unordered)), Ok(false)), "{unordered}");
        }
        for bad in [
            r#"<c r="ZZZZZZZZZZZZ1"/>"#,
            r#"<c r="A99999999999999"/>"#,
            r#"<c r="12"/>"#,
            r#"<c r="A1:B2"/>"#,
        ] {
            let e = check(&sheet(&format!("<row r=\"1\">{bad}</row>")))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("cell reference"), "{bad}: {e}");
        }
        let e = check(&sheet(r#"<row r="99999999999"></row>"#))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("row number"), "{e}");
        // Anywhere in the sheet: rows are not always in order.
        let late = sheet(r#"<row r="5"><c r="A5"/></row><row r="900"><c r="ZZZZZZZZ900"/></row>"#);
        assert!(check(&late).is_err());
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_bytes(256 << 20), "256 MB");
        assert_eq!(human_bytes(3 << 29), "1.5 GB");
        assert_eq!(human_bytes(512), "512 bytes");
    }
}
