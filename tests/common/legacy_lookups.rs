//! The legacy workbook's lookup tables from the figures the tests carry
//! (`tests/data/legacy-workbook/`, written by `examples/legacy_lookups.rs`), without the workbook
//! file: the three sheets are laid out again cell for cell from A1, as tables of the names the
//! calculator's formulas read (`Table1` maxENI, `Table2` maxPods, `Table4` CidrData), and read by
//! the project's legacy reader, so that the catalogue is the one the real workbook gives
//! (`workbook_oracle.rs` checks that it is, where the workbook is present).

use std::sync::OnceLock;

use rust_xlsxwriter::{Table, TableColumn, Workbook};
use subnet_calc::catalog::Catalog;
use subnet_calc::read::legacy_xlsx;

/// Each lookup sheet, its file under `tests/data/legacy-workbook/` and its table's name.
pub const SHEETS: [(&str, &str, &str); 3] = [
    ("CidrData", "CidrData.csv", "Table4"),
    ("maxPods", "maxPods.csv", "Table2"),
    ("maxENI", "maxENI.csv", "Table1"),
];

/// The rows of one carried sheet, header first, as their CSV text.
pub fn rows(file: &str) -> Vec<Vec<String>> {
    let path = super::data(&format!("legacy-workbook/{file}"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// The lookup sheets, laid out as in the legacy workbook, as the bytes of an xlsx file.
pub fn workbook_bytes() -> Vec<u8> {
    let mut book = Workbook::new();
    for (sheet, file, table) in SHEETS {
        let rows = rows(file);
        let ws = book.add_worksheet().set_name(sheet).unwrap();
        let columns: Vec<TableColumn> = rows[0]
            .iter()
            .map(|h| TableColumn::new().set_header(h))
            .collect();
        for (r, row) in rows.iter().enumerate().skip(1) {
            for (c, text) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                // The extractor refuses text that reads as a number, so a number here was one.
                match text.parse::<f64>() {
                    _ if text.is_empty() => {}
                    Ok(n) => {
                        ws.write_number(r, c, n).unwrap();
                    }
                    Err(_) => {
                        ws.write_string(r, c, text).unwrap();
                    }
                }
            }
        }
        let last_row = (rows.len() - 1) as u32;
        let last_col = (columns.len() - 1) as u16;
        let table = Table::new().set_name(table).set_columns(&columns);
        ws.add_table(0, 0, last_row, last_col, &table).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The legacy workbook's own catalogue (its lookup tables), read from the carried figures under
/// the workbook's name, so that its sources (`subnet-calc.xlsx:maxENI!A2`) name the same cells.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        legacy_xlsx::read_catalog("subnet-calc.xlsx", workbook_bytes())
            .expect("the carried lookup figures read as a legacy workbook's lookup tables")
    })
}
