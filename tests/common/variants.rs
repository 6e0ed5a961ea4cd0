//! Builds legacy workbooks as teams really hold them, in code: any number of calculator sheets
//! under any name (copies with their own tables and sheet-local names, hidden sheets, the
//! May-2022 `instance-based` sheet), inputs typed as text or as formulas, and, when asked, the
//! calculator's own formulas so that LibreOffice can compute what the workbook shows.
//!
//! Lookup tables are Excel tables named as in the original (`Table1`, `Table2`, `Table4`), so the
//! formulas find them. [`rewrite_part`] edits the saved file's XML afterwards, for what a
//! spreadsheet writer would not produce (a whole-column table ref, a formula without a value).

use std::io::{Read, Write};
use std::path::Path;

use rust_xlsxwriter::{Formula, Table, TableColumn, Workbook, Worksheet};
use subnet_calc::catalog::Catalog;
use subnet_calc::evaluation::Sheet;
use subnet_calc::legacy_layout as layout;

/// An input cell's content.
#[derive(Debug, Clone)]
pub enum Input {
    /// A number.
    Num(f64),
    /// Text (a number typed with a leading apostrophe, or anything else).
    Text(String),
    /// A formula with its cached value.
    Cached(String, f64),
    /// A formula saved without a value, as scripts write them (see [`Variants::save`]).
    Uncached(String),
    /// Nothing.
    Blank,
}

/// One calculator sheet.
#[derive(Debug, Clone)]
pub struct Calc {
    /// The tab's name.
    pub name: String,
    /// WarmENI or WarmIP layout.
    pub kind: Sheet,
    /// Hidden from the tab bar.
    pub hidden: bool,
    /// B4, B13, B14, B15.
    pub inputs: [Input; 4],
    /// Node-group rows (`None` for a blank row inside the table).
    pub rows: Vec<Option<(String, Input, Input)>>,
    /// The node-group table's name; `None` writes a plain header row instead of a table.
    pub table: Option<String>,
    /// The warm-target name local to this sheet (as Excel's copy makes it), else none here.
    pub local_name: bool,
}

impl Calc {
    /// A calculator sheet of `kind` named `name`, with numbers for inputs.
    pub fn new(name: &str, kind: Sheet, inputs: [f64; 4], rows: &[(&str, f64, f64)]) -> Self {
        Calc {
            name: name.to_owned(),
            kind,
            hidden: false,
            inputs: inputs.map(Input::Num),
            rows: rows
                .iter()
                .map(|(t, n, p)| Some(((*t).to_owned(), Input::Num(*n), Input::Num(*p))))
                .collect(),
            table: Some(layout::table_name(kind).to_owned()),
            local_name: false,
        }
    }
}

/// The lookup sheets' contents.
#[derive(Debug, Clone)]
pub enum Lookups {
    /// m5.12xlarge, c5.2xlarge and m5.large, as the shipped workbook's example needs.
    Small,
    /// Every type of a catalogue (e.g. the shared workbook's own).
    From(Catalog),
}

/// Cells of another sheet: (0-based row, column, text).
pub type TextCells = Vec<(u32, u16, String)>;

/// The maxENI rows (type, ENIs, IPv4 per ENI) and maxPods rows (type, max pods).
type LookupRows = (Vec<(String, f64, f64)>, Vec<(String, f64)>);

/// A workbook of calculator sheets, other sheets and lookup sheets.
#[derive(Debug, Clone)]
pub struct Variants {
    /// The calculator sheets, in tab order.
    pub calcs: Vec<Calc>,
    /// Other sheets after them: name, and (row, col, text) cells.
    pub others: Vec<(String, TextCells)>,
    /// Workbook-scoped names: (name, refers to).
    pub global_names: Vec<(String, String)>,
    /// Write the calculator's formulas (B5, B8–B10 and the table's computed columns).
    pub formulas: bool,
    /// The lookup tables.
    pub lookups: Lookups,
}

impl Default for Variants {
    fn default() -> Self {
        Variants {
            calcs: Vec::new(),
            others: Vec::new(),
            global_names: Vec::new(),
            formulas: false,
            lookups: Lookups::Small,
        }
    }
}

fn quoted(sheet: &str) -> String {
    if sheet.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        sheet.to_owned()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

fn write_input(ws: &mut Worksheet, row: u32, col: u16, input: &Input) {
    match input {
        Input::Num(n) => {
            ws.write_number(row, col, *n).unwrap();
        }
        Input::Text(t) => {
            ws.write_string(row, col, t.as_str()).unwrap();
        }
        Input::Cached(f, v) => {
            ws.write_formula(row, col, Formula::new(f.as_str()).set_result(v.to_string()))
                .unwrap();
        }
        Input::Uncached(f) => {
            ws.write_formula(row, col, Formula::new(f.as_str()))
                .unwrap();
        }
        Input::Blank => {}
    }
}

impl Variants {
    /// Writes the workbook, then drops the cached value of every [`Input::Uncached`] cell.
    pub fn save(&self, path: &Path) {
        let mut wb = Workbook::new();
        let mut uncached: Vec<(usize, String)> = Vec::new();
        for (index, calc) in self.calcs.iter().enumerate() {
            let ws = wb.add_worksheet().set_name(&calc.name).unwrap();
            self.calculator(ws, calc);
            if calc.hidden {
                ws.set_hidden(true);
            }
            let cells = [
                layout::CIDR,
                layout::WARM_TARGET,
                layout::HOST_NETWORKING,
                layout::DAEMONSET,
            ];
            for (at, input) in cells.iter().zip(&calc.inputs) {
                if matches!(input, Input::Uncached(_)) {
                    uncached.push((index, at.name()));
                }
            }
            for (r, row) in calc.rows.iter().enumerate() {
                if let Some((_, n, p)) = row {
                    let row = layout::TABLE_HEADER_ROW + 1 + r as u32;
                    for (col, input) in [(1, n), (2, p)] {
                        if matches!(input, Input::Uncached(_)) {
                            uncached.push((index, subnet_calc::text::cell_name(row, col)));
                        }
                    }
                }
            }
        }
        for (name, cells) in &self.others {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            for (r, c, text) in cells {
                ws.write_string(*r, *c, text.as_str()).unwrap();
            }
        }
        self.lookup_sheets(&mut wb);
        for calc in &self.calcs {
            let name = layout::warm_target_name(calc.kind);
            let target = format!("={}!$B$13", quoted(&calc.name));
            if calc.local_name {
                wb.define_name(format!("{}!{name}", quoted(&calc.name)), &target)
                    .unwrap();
            }
        }
        for (name, refers_to) in &self.global_names {
            wb.define_name(name, refers_to).unwrap();
        }
        wb.save(path).unwrap();
        for (index, cell) in uncached {
            let part = format!("xl/worksheets/sheet{}.xml", index + 1);
            rewrite_part(path, &part, |xml| drop_value(xml, &cell));
        }
    }

    fn calculator(&self, ws: &mut Worksheet, calc: &Calc) {
        ws.write_string(0, 0, layout::TITLE).unwrap();
        let [cidr_label, host_label, daemonset_label] = layout::INPUT_LABELS;
        let labels = [
            cidr_label,
            layout::warm_label(calc.kind),
            host_label,
            daemonset_label,
        ];
        for (label, input) in labels.iter().zip(&calc.inputs) {
            let (r, c) = (label.at.row, label.at.col as u16);
            ws.write_string(r, c, label.text).unwrap();
            write_input(ws, r, c + 1, input);
        }
        let table = calc.table.clone().unwrap_or_else(|| "Table3".into());
        let formulas = self.formulas && calc.table.is_some();
        for (i, (label_at, label, cell)) in layout::OUTPUT_LABELS.iter().enumerate() {
            ws.write_string(label_at.row, label_at.col as u16, *label)
                .unwrap();
            if formulas {
                let f = &layout::summary_formulas(calc.kind, &table)[i];
                ws.write_formula(cell.row, cell.col as u16, Formula::new(f.as_str()))
                    .unwrap();
            }
        }
        let header = layout::TABLE_HEADER_ROW;
        let first = header + 1;
        for (r, row) in calc.rows.iter().enumerate() {
            if let Some((t, n, p)) = row {
                let row = first + r as u32;
                ws.write_string(row, 0, t.as_str()).unwrap();
                write_input(ws, row, 1, n);
                write_input(ws, row, 2, p);
            }
        }
        let mut headers: Vec<&str> = layout::INPUT_HEADERS.to_vec();
        let computed = layout::column_formulas(calc.kind, &table);
        if formulas {
            headers.extend(layout::computed_headers(calc.kind));
        }
        match &calc.table {
            Some(name) => {
                let columns: Vec<TableColumn> = headers
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let column = TableColumn::new().set_header(*h);
                        match i.checked_sub(3) {
                            Some(c) => column.set_formula(Formula::new(computed[c].as_str())),
                            None => column,
                        }
                    })
                    .collect();
                let last = first + calc.rows.len().max(1) as u32 - 1;
                let t = Table::new().set_name(name).set_columns(&columns);
                ws.add_table(header, 0, last, headers.len() as u16 - 1, &t)
                    .unwrap();
            }
            None => {
                for (c, h) in headers.iter().enumerate() {
                    ws.write_string(header, c as u16, *h).unwrap();
                }
            }
        }
    }

    fn lookup_sheets(&self, wb: &mut Workbook) {
        let small = [
            ("m5.12xlarge", 8.0, 30.0, 234.0),
            ("c5.2xlarge", 4.0, 15.0, 58.0),
            ("m5.large", 3.0, 10.0, 29.0),
        ];
        let (enis, pods): LookupRows = match &self.lookups {
            Lookups::Small => (
                small
                    .iter()
                    .map(|(t, e, i, _)| ((*t).to_owned(), *e, *i))
                    .collect(),
                small
                    .iter()
                    .map(|(t, _, _, p)| ((*t).to_owned(), *p))
                    .collect(),
            ),
            Lookups::From(catalog) => (
                catalog
                    .entries()
                    .iter()
                    .filter_map(|l| {
                        Some((
                            l.instance_type.clone(),
                            f64::from(l.max_enis?),
                            f64::from(l.ipv4_per_eni?),
                        ))
                    })
                    .collect(),
                catalog
                    .entries()
                    .iter()
                    .filter_map(|l| Some((l.instance_type.clone(), f64::from(l.max_pods?))))
                    .collect(),
            ),
        };
        for lookup in layout::LOOKUPS {
            let ws = wb.add_worksheet().set_name(lookup.sheet).unwrap();
            let rows = if lookup == layout::CIDR_DATA {
                for n in 1..=30u32 {
                    ws.write_number(n, 0, f64::from(n)).unwrap();
                    ws.write_number(n, 1, 2f64.powi(32 - n as i32) - 2.0)
                        .unwrap();
                }
                30
            } else if lookup == layout::MAX_PODS {
                for (r, (t, p)) in pods.iter().enumerate() {
                    ws.write_string(r as u32 + 1, 0, t.as_str()).unwrap();
                    ws.write_number(r as u32 + 1, 1, *p).unwrap();
                }
                pods.len()
            } else {
                for (r, (t, e, i)) in enis.iter().enumerate() {
                    ws.write_number(r as u32 + 1, 0, *i).unwrap();
                    ws.write_number(r as u32 + 1, 1, *e).unwrap();
                    ws.write_string(r as u32 + 1, 2, t.as_str()).unwrap();
                }
                enis.len()
            };
            let columns: Vec<TableColumn> = lookup
                .headers
                .iter()
                .map(|h| TableColumn::new().set_header(*h))
                .collect();
            let t = Table::new().set_name(lookup.table).set_columns(&columns);
            ws.add_table(0, 0, rows as u32, lookup.headers.len() as u16 - 1, &t)
                .unwrap();
        }
    }
}

/// Removes the cached value of `cell` from a sheet's XML.
fn drop_value(xml: &str, cell: &str) -> String {
    let start = format!("<c r=\"{cell}\"");
    let Some(at) = xml.find(&start) else {
        panic!("no cell {cell} to uncache")
    };
    let end = at + xml[at..].find("</c>").expect("a closed cell");
    let inner = &xml[at..end];
    let without = match (inner.find("<v>"), inner.find("</v>")) {
        (Some(v), Some(close)) => format!("{}{}", &inner[..v], &inner[close + 4..]),
        _ => inner.to_owned(),
    };
    format!("{}{}{}", &xml[..at], without, &xml[end..])
}

/// Rewrites one part of a saved xlsx file (every other part copied as it is).
pub fn rewrite_part(path: &Path, part: &str, edit: impl FnOnce(&str) -> String) {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    let mut found = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let options = zip::write::SimpleFileOptions::default();
        out.start_file(name.as_str(), options).unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == part {
            found = true;
            let text = String::from_utf8(content).unwrap();
            let edited = (edit.take().unwrap())(&text);
            out.write_all(edited.as_bytes()).unwrap();
        } else {
            out.write_all(&content).unwrap();
        }
    }
    assert!(found, "no part {part}");
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// The part name of the table called `table` in a saved workbook.
pub fn table_part(path: &Path, table: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name.starts_with("xl/tables/") {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            if xml.contains(&format!("displayName=\"{table}\"")) {
                return name;
            }
        }
    }
    panic!("no table {table}")
}
