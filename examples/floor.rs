//! The floors the end-to-end benchmark (`scripts/bench.sh`) measures subnet-calc against: what
//! the formats themselves cost, with no subnet-calc code in the way.
//!
//! ```sh
//! floor csv FILE                 # the csv crate's ByteRecord pass over FILE
//! floor xlsx REPORT.xlsx OUT.xlsx   # rust_xlsxwriter writing REPORT's cells again, no formats
//! floor read FILE                # subnet-calc's scenario reader alone, for comparison
//! floor workbooks DIR            # calamine reading every sheet of DIR's workbooks, in parallel
//! floor builtin                  # the built-in catalogue's first use: parsed, then copied
//! ```
//!
//! Each prints the seconds the measured part took (reading the report back is not measured).

use std::path::PathBuf;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rayon::prelude::*;
use rust_xlsxwriter::{Formula, Workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["csv", file] => csv_floor(file),
        ["xlsx", report, out] => xlsx_floor(report, out),
        ["read", file] => reader_alone(file),
        ["workbooks", dir] => workbooks_floor(dir),
        ["builtin"] => builtin_catalog(),
        _ => Err(
            "usage: floor csv FILE | floor xlsx REPORT.xlsx OUT.xlsx | floor read FILE | \
             floor workbooks DIR | floor builtin"
                .into(),
        ),
    }
}

/// Reads every record of `file` as bytes: the least any CSV reader must do.
fn csv_floor(file: &str) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut reader = csv::ReaderBuilder::new().from_path(file)?;
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0usize);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        bytes += record.as_slice().len();
    }
    println!(
        "{:.3} s ({rows} records, {bytes} field bytes)",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Opens every `.xlsx` workbook in `dir` (in name order) with calamine and reads the values of
/// every sheet: the cells subnet-calc's legacy reader needs, since a legacy workbook's sheets are
/// its calculator sheets and the three lookup sheets, all of which it reads. The workbooks are
/// read in parallel (rayon, one worker a core, as `eval` reads them), each dropped once read.
fn workbooks_floor(dir: &str) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "xlsx"));
    files.sort();
    let read: Vec<Result<(usize, usize), String>> = files
        .par_iter()
        .map(|path| {
            let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
            let mut book: Xlsx<_> = open_workbook(path).map_err(|e| failed(&e))?;
            let (mut sheets, mut cells) = (0, 0);
            for name in book.sheet_names() {
                let values = book.worksheet_range(&name).map_err(|e| failed(&e))?;
                sheets += 1;
                cells += values.used_cells().count();
            }
            Ok((sheets, cells))
        })
        .collect();
    let (mut sheets, mut cells) = (0, 0);
    for one in read {
        let (s, c) = one?;
        sheets += s;
        cells += c;
    }
    println!(
        "{:.3} s ({} workbooks, {sheets} sheets, {cells} cells)",
        start.elapsed().as_secs_f64(),
        files.len()
    );
    Ok(())
}

/// Reads `file` with subnet-calc's streaming scenario reader: typed, checked scenarios, not
/// evaluated. Not a floor: the part of an `eval` run that the reading thread does.
fn reader_alone(file: &str) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let input = std::fs::File::open(file)?;
    let reader = subnet_calc::read::scenario_csv::ScenarioReader::new(file, input, u64::MAX)?;
    let (mut scenarios, mut groups) = (0u64, 0usize);
    for s in reader {
        let s = s?;
        scenarios += 1;
        groups += s.scenario.node_groups.len();
    }
    println!(
        "{:.3} s ({scenarios} scenarios, {groups} node groups)",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Times the built-in catalogue's first use (its CSV parsed into a catalogue, once per run) and
/// the copy a run layers its `--catalog` files over.
fn builtin_catalog() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let types = subnet_calc::catalog::builtin::catalog().len();
    let parsed = start.elapsed();
    let start = Instant::now();
    let copy = subnet_calc::catalog::Catalog::over_builtin();
    let copied = start.elapsed();
    println!(
        "{:.2} ms to parse {types} types, {:.2} ms to copy them ({})",
        parsed.as_secs_f64() * 1e3,
        copied.as_secs_f64() * 1e3,
        copy.len()
    );
    Ok(())
}

/// A cell at its row and column.
type Placed = (u32, u16, Cell);

/// One cell of a sheet: the kinds the report writes.
enum Cell {
    Number(f64),
    Text(String),
    Bool(bool),
    /// A formula with its cached result.
    Formula(String, Data),
}

/// Writes the sheets, rows, columns and cell kinds of a report subnet-calc wrote (numbers,
/// strings, formulas with their cached results) again, in rust_xlsxwriter's constant-memory mode
/// with no formats: the writer's own cost for the same content.
fn xlsx_floor(report: &str, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut book: Xlsx<_> = open_workbook(report)?;
    let mut sheets: Vec<(String, Vec<Placed>)> = Vec::new();
    for name in book.sheet_names() {
        let values = book.worksheet_range(&name)?;
        let formulas = book.worksheet_formula(&name)?;
        let mut cells = Vec::new();
        for (row, col, value) in values.cells() {
            let origin = values.start().unwrap_or((0, 0));
            let (r, c) = (row as u32 + origin.0, col as u32 + origin.1);
            let formula = formulas
                .get_value((r, c))
                .filter(|f| !f.is_empty())
                .cloned();
            let cell = match (formula, value) {
                (Some(f), v) => Cell::Formula(f, v.clone()),
                (None, Data::Float(x)) => Cell::Number(*x),
                (None, Data::Int(x)) => Cell::Number(*x as f64),
                (None, Data::Bool(b)) => Cell::Bool(*b),
                (None, Data::Empty) => continue,
                (None, other) => Cell::Text(other.to_string()),
            };
            cells.push((r, c as u16, cell));
        }
        sheets.push((name, cells));
    }

    let start = Instant::now();
    let mut workbook = Workbook::new();
    // The report's own zip level for big reports (its rule: level 3 past 20,000 rows).
    if sheets
        .iter()
        .any(|(_, cells)| cells.last().is_some_and(|c| c.0 > 20_000))
    {
        workbook.set_zip_compression_level(3);
    }
    let mut count = 0usize;
    for (name, cells) in &sheets {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        for (row, col, cell) in cells {
            match cell {
                Cell::Number(x) => sheet.write_number(*row, *col, *x)?,
                Cell::Text(t) => sheet.write_string(*row, *col, t)?,
                Cell::Bool(b) => sheet.write_boolean(*row, *col, *b)?,
                Cell::Formula(f, cached) => {
                    let formula = match cached {
                        Data::Float(x) => Formula::new(f).set_result(x.to_string()),
                        Data::Int(x) => Formula::new(f).set_result(x.to_string()),
                        Data::Bool(b) => Formula::new(f).set_result(b.to_string()),
                        other => Formula::new(f).set_result(other.to_string()),
                    };
                    sheet.write_formula(*row, *col, formula)?
                }
            };
            count += 1;
        }
    }
    workbook.save(out)?;
    println!(
        "{:.3} s ({count} cells, {} sheets)",
        start.elapsed().as_secs_f64(),
        sheets.len()
    );
    Ok(())
}
