//! Writes the figures of a legacy `subnet-calc.xlsx` workbook's lookup sheets (`maxENI`,
//! `maxPods`, `CidrData`) as CSV files, cell for cell from A1, so that the tests can carry the
//! workbook's lookup tables without the workbook (`tests/data/legacy-workbook/`).
//!
//! ```sh
//! cargo run --example legacy_lookups -- ../shared/fixtures/subnet-calc.xlsx tests/data/legacy-workbook
//! ```
//!
//! Each sheet's cells are read with calamine as stored (cached values). A number is written as
//! the shortest text that reads back as the same double; text as it is. A cell that CSV could not
//! carry unambiguously (text that reads as a number, a boolean, an error value) stops the run
//! naming the cell, so that the files never stand for something the sheet does not hold.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

/// The lookup sheets, and the file each is written to.
const SHEETS: [(&str, &str); 3] = [
    ("maxENI", "maxENI.csv"),
    ("maxPods", "maxPods.csv"),
    ("CidrData", "CidrData.csv"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [book, out_dir] = args.as_slice() else {
        return Err("usage: legacy_lookups WORKBOOK.xlsx OUT_DIR".into());
    };
    let mut workbook: Xlsx<_> =
        open_workbook(book).map_err(|e| format!("{book}: cannot open: {e}"))?;
    std::fs::create_dir_all(out_dir)?;
    for (sheet, file) in SHEETS {
        let range = workbook
            .worksheet_range(sheet)
            .map_err(|e| format!("{book}: sheet {sheet}: {e}"))?;
        if range.start() != Some((0, 0)) {
            return Err(format!("{book}: sheet {sheet} does not start at A1").into());
        }
        let path = Path::new(out_dir).join(file);
        let mut writer = csv::Writer::from_path(&path)?;
        let mut rows = 0;
        for (r, row) in range.rows().enumerate() {
            let fields = row
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    text(cell).ok_or_else(|| {
                        format!("{book}: {sheet} row {} column {}: {cell:?}", r + 1, c + 1)
                    })
                })
                .collect::<Result<Vec<String>, String>>()?;
            writer.write_record(&fields)?;
            rows += 1;
        }
        writer.flush()?;
        eprintln!("{}: {rows} rows of {sheet}", path.display());
    }
    Ok(())
}

/// A cell as CSV text, or `None` when the text would not say what the cell holds.
fn text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty => Some(String::new()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::String(s) if s.trim().parse::<f64>().is_err() => Some(s.clone()),
        _ => None,
    }
}
