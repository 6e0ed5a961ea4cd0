//! A report subnet-calc wrote, read back as an input: the scenarios of its Inputs sheet as a
//! person may have edited them, its Catalog sheet as its own catalogue (the bottom layer under
//! `--catalog`, as a legacy workbook's lookup sheets), and the models it was written with.
//!
//! Columns are found by their headers: on the Inputs sheet as the scenario CSV reads its
//! header (the report's plain-language headers, the CSV names, the other names of the scenario
//! schema; [`crate::report_layout::input_column_for_header`]), on the Catalog sheet by its
//! headers or names; columns a person added are not read. Cells are read as the legacy reader reads them: a number typed as text is that number,
//! an error value or a formula without a cached value is an error naming its cell, never 0. Each
//! row then goes through the scenario CSV's own rules (the same checks, the same defaults), and
//! any error names the Inputs cell and its column. The Subnet size (/n) column sets the first
//! node subnet's size, as the report's formulas read it.

use std::sync::Arc;

use crate::catalog::rules::BrokenLimit;
use crate::catalog::{Catalog, InstanceLimits, SourceKind};
use crate::error::{Error, Location, Place, WorkbookFault};
use crate::evaluation::Model;
use crate::read::fields::whole_from_f64;
use crate::read::legacy_xlsx::book::{Book, Place as CellPlace, shown};
use crate::read::report_parts::{self, Parts};
use crate::read::scenario_csv;
use crate::read::xlsx::cells::{SheetCells, Value, Window};
use crate::report_layout::{
    CATALOG_COLUMNS, Column, Kind, MODELS_LABEL, PREFIX_LEN, column_named, input_column_for_header,
    input_columns, sheets,
};
use crate::scenario::{LocatedScenario, Position};
use crate::text::{CsvOptions, cell_name, csv_text};

/// What a report holds as an input.
#[derive(Debug, Clone)]
pub struct Report {
    /// One scenario per run of rows of the Inputs sheet, in order.
    pub scenarios: Vec<LocatedScenario>,
    /// The Catalog sheet's limits.
    pub catalog: Catalog,
    /// The models the report was written with (its Summary says).
    pub models: Vec<Model>,
    /// Things worth knowing about how the report was read.
    pub notes: Vec<String>,
}

/// Columns read at most: the report's and a few a person added.
const COLUMNS_READ: u32 = 40;

/// Which column of the sheet holds each known column: (sheet column, the column).
type Header = Vec<(u32, &'static Column)>;

/// Reads the header row of a sheet's cells, each name read as the column `known` finds for it;
/// columns a person added are noted and left out.
fn header(
    cells: &SheetCells,
    name: &str,
    sheet: &str,
    known: fn(&str) -> Option<&'static Column>,
    notes: &mut Vec<String>,
) -> Result<Header, Error> {
    let mut found: Header = Vec::new();
    for c in 0..COLUMNS_READ {
        let Some(text) = shown(cells.get(0, c)) else {
            continue;
        };
        match known(&text) {
            Some(column) => {
                if found.iter().any(|(_, k)| k.name == column.name) {
                    return Err(Error::DuplicateColumn {
                        location: Location::cell(name, sheet, 0, c),
                        column: text,
                    });
                }
                found.push((c, column));
            }
            None => notes.push(format!(
                "{}: column {text:?} is not one the report reads; left out",
                Location::cell(name, sheet, 0, c)
            )),
        }
    }
    Ok(found)
}

/// The Catalog column a header names (its header or name, any case).
fn catalog_column(text: &str) -> Option<&'static Column> {
    column_named(CATALOG_COLUMNS, text)
}

/// Reads a report from its open workbook, its parts found by their content ([`Parts`]): the
/// sheet of the Inputs table is needed, the others are noted when missing.
pub(crate) fn read(book: &mut Book, parts: &Parts) -> Result<Report, Error> {
    let name = book.name.clone();
    let mut notes = Vec::new();
    let Some(inputs) = parts.inputs else {
        return Err(Error::MissingSheet {
            location: Location::file(&name),
            sheet: sheets::INPUTS.into(),
            hint: format!(
                "this looks like a report subnet-calc wrote ({}), but no sheet's first row is the \
                 header of its Inputs table ({}, …), where its scenarios are",
                parts.seen(book),
                report_parts::input_headers()
            ),
        });
    };
    notes.extend(parts.unread(book));
    let scenarios = read_inputs(book, inputs, &mut notes)?;
    let catalog = read_catalog(book, parts.catalog, &mut notes)?;
    let models = match &parts.models {
        Some((_, models)) => models.clone(),
        None => {
            notes.push(format!(
                "{name}: no sheet names the models the report was written with (the Summary's \
                 {MODELS_LABEL} row); both are evaluated"
            ));
            vec![Model::Workbook, Model::VpcCni]
        }
    };
    Ok(Report {
        scenarios,
        catalog,
        models,
        notes,
    })
}

/// The Inputs sheet's scenarios (sheet `index`), through the scenario CSV's rules.
fn read_inputs(
    book: &mut Book,
    index: usize,
    notes: &mut Vec<String>,
) -> Result<Vec<LocatedScenario>, Error> {
    let name = &book.name.clone();
    let sheet_name = book.package.sheets[index].name.clone();
    let cells = book.cells(index, Window::columns(0, COLUMNS_READ - 1))?;
    let header = header(&cells, name, &sheet_name, input_column_for_header, notes)?;
    if header.is_empty() {
        // A sheet named Inputs whose first row is not the table's header (deleted, moved down).
        return Err(Error::MissingColumns {
            location: Location::cell(name, &sheet_name, 0, 0),
            columns: vec!["Scenario".into()],
            hint: format!(
                "the first row of the report's Inputs sheet is its table's header: {}, …",
                report_parts::input_headers()
            ),
        });
    }
    let place = CellPlace {
        file: name,
        sheet: &sheet_name,
    };
    let fields: Vec<&(u32, &Column)> = header
        .iter()
        .filter(|(_, c)| c.name != PREFIX_LEN)
        .collect();
    let size_col = header
        .iter()
        .find(|(_, c)| c.name == PREFIX_LEN)
        .map(|(c, _)| *c);
    let names: Vec<&str> = fields.iter().map(|(_, c)| c.name).collect();
    let mut csv = csv::WriterBuilder::new().from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::NotAWorkbook {
        location: Location::sheet(name, &sheet_name),
        source: WorkbookFault::InputsTable(e),
    };
    csv.write_record(&names).map_err(csv_err)?;
    let last = cells.last_row().unwrap_or(0);
    // One CSV line per sheet row, so that line n is row n; rows left blank are skipped by the
    // CSV reader as blank lines are.
    let mut sizes: Vec<(String, u32, u8)> = Vec::new();
    for row in 1..=last {
        let mut record: Vec<String> = Vec::with_capacity(fields.len());
        for &&(col, column) in &fields {
            record.push(field(&cells, &place, row, col, column)?);
        }
        if let Some(col) = size_col
            && let Some(size) = subnet_size(&cells, &place, row, col)?
        {
            let scenario = fields
                .iter()
                .position(|(_, c)| c.name == "scenario")
                .map(|i| record[i].clone())
                .unwrap_or_default();
            // A scenario's rows must agree on its size, as on its other values.
            if let Some((_, first_row, first)) = sizes.iter().rev().find(|(s, _, _)| *s == scenario)
                && *first != size
            {
                return Err(Error::InvalidValue {
                    location: place.at(row, col),
                    found: size.to_string(),
                    expected: format!(
                        "Subnet size (/n) {first} as on {} (the rows of scenario {scenario:?} must agree: change each of them)",
                        cell_name(*first_row, col)
                    ),
                });
            }
            sizes.push((scenario, row, size));
            if let Some(i) = fields.iter().position(|(_, c)| c.name == "subnet_cidr") {
                record[i] = resized(&record[i], size);
            }
        }
        csv.write_record(&record).map_err(csv_err)?;
    }
    let bytes = csv
        .into_inner()
        .map_err(|e| csv_err(e.into_error().into()))?;
    let at = Location::sheet(name, &sheet_name);
    let scenarios =
        scenario_csv::read_bytes(name, &bytes).map_err(|e| on_the_sheet(e, &at, &header))?;
    let column_of = |wanted: &str| {
        header
            .iter()
            .find(|(_, c)| c.name == wanted)
            .map_or(0, |(col, _)| *col)
    };
    let (scenario_col, type_col) = (column_of("scenario"), column_of("instance_type"));
    let sheet: Arc<str> = Arc::from(sheet_name.as_str());
    let cell = |p: Position, col: u32| match p {
        Position::Line(line) => Position::Cell {
            row: line.saturating_sub(1) as u32,
            col,
        },
        other => other,
    };
    Ok(scenarios
        .into_iter()
        .map(|mut s| {
            s.origin.sheet = Some(Arc::clone(&sheet));
            s.origin.scenario = cell(s.origin.scenario, scenario_col);
            for p in &mut s.origin.node_groups {
                *p = cell(*p, type_col);
            }
            s
        })
        .collect())
}

/// A cell of the Inputs sheet as the scenario CSV would hold it.
fn field(
    cells: &SheetCells,
    place: &CellPlace<'_>,
    row: u32,
    col: u32,
    column: &Column,
) -> Result<String, Error> {
    let what = format!("{}: {}", column.header, expected(column.kind));
    let text = match column.kind {
        Kind::Whole => match place.number(cells, row, col, &what)? {
            None => String::new(),
            Some(f) => whole_from_f64(f)
                .ok_or_else(|| Error::InvalidNumber {
                    location: place.at(row, col),
                    found: f.to_string(),
                    expected: what.clone(),
                })?
                .to_string(),
        },
        Kind::Bool => match cells.get(row, col) {
            Some(Value::Bool(b)) => b.to_string(),
            _ => place.text(cells, row, col)?.unwrap_or_default(),
        },
        Kind::Text => place.text(cells, row, col)?.unwrap_or_default(),
    };
    // A value is on one line (a line break typed into a cell with Alt+Enter is no part of an id,
    // a type or a subnet).
    if text.contains(['\n', '\r']) {
        return Err(Error::InvalidValue {
            location: place.at(row, col),
            found: text,
            expected: format!(
                "{}: text on one line (the cell holds a line break)",
                column.header
            ),
        });
    }
    // Text that a spreadsheet would run as a formula is escaped as the CSV writer escapes it, so
    // that the CSV reader gives it back as it is.
    Ok(csv_text(&text, CsvOptions::default()).into_owned())
}

/// What a kind of column takes, for messages.
fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Whole => "a whole number from 0 to 4294967295",
        Kind::Bool => "true or false",
        Kind::Text => "text",
    }
}

/// The Subnet size (/n) cell: a prefix length from 0 to 32, or `None` when blank.
fn subnet_size(
    cells: &SheetCells,
    place: &CellPlace<'_>,
    row: u32,
    col: u32,
) -> Result<Option<u8>, Error> {
    let what = "Subnet size (/n): a prefix length from 0 to 32, such as 24";
    match place.number(cells, row, col, what)? {
        None => Ok(None),
        Some(f) => whole_from_f64(f)
            .and_then(|n| u8::try_from(n).ok())
            .filter(|&n| n <= 32)
            .map(Some)
            .ok_or_else(|| Error::InvalidNumber {
                location: place.at(row, col),
                found: f.to_string(),
                expected: what.into(),
            }),
    }
}

/// A subnet list with its first subnet's prefix length set to `size` (`10.0.0.0/24` becomes
/// `10.0.0.0/23`, `24` becomes `23`); the CSV reader then checks it (host bits, overlaps).
fn resized(list: &str, size: u8) -> String {
    if list.trim().is_empty() {
        return String::new();
    }
    let mut subnets: Vec<String> = list.split(';').map(|s| s.trim().to_owned()).collect();
    let first = &subnets[0];
    subnets[0] = match first.rsplit_once('/') {
        Some((network, _)) => format!("{network}/{size}"),
        None => size.to_string(),
    };
    subnets.join(";")
}

/// A scenario CSV error about the CSV made of the Inputs sheet (`sheet`), as an error about the
/// sheet: its cell, its column's header, rows rather than lines.
fn on_the_sheet(e: Error, sheet: &Location, header: &Header) -> Error {
    let (name, sheet_name) = match &sheet.place {
        Place::Sheet(s) => (sheet.file.as_str(), s.as_str()),
        _ => (sheet.file.as_str(), sheets::INPUTS),
    };
    let at = |location: Location| -> (Location, Option<&'static str>) {
        match location.place {
            Place::Line { line, column } => {
                let found = column
                    .as_deref()
                    .and_then(|c| header.iter().find(|(_, k)| k.name == c));
                let col = found.map_or(0, |(col, _)| *col);
                (
                    Location::cell(name, sheet_name, line.saturating_sub(1) as u32, col),
                    found.map(|(_, k)| k.header),
                )
            }
            _ => (location, None),
        }
    };
    let named = |header: Option<&str>, text: String| match header {
        Some(h) => format!("{h}: {text}"),
        None => text,
    };
    match e {
        Error::InvalidNumber {
            location,
            found,
            expected,
        } => {
            let (location, h) = at(location);
            Error::InvalidNumber {
                location,
                found,
                expected: named(h, expected),
            }
        }
        Error::InvalidValue {
            location,
            found,
            expected,
        } => {
            let (location, h) = at(location);
            Error::InvalidValue {
                location,
                found,
                expected: named(h, expected),
            }
        }
        Error::MissingValue { location, hint } => {
            let (location, h) = at(location);
            Error::MissingValue {
                location,
                hint: named(h, hint),
            }
        }
        Error::BadCidr {
            location,
            found,
            reason,
        } => {
            let (location, h) = at(location);
            Error::BadCidr {
                location,
                found,
                reason: named(h, reason),
            }
        }
        Error::ConflictingScenarioValue {
            location,
            scenario,
            first_line,
            first,
            second,
            ..
        } => {
            let (location, h) = at(location);
            let first_row = first_line.saturating_sub(1) as u32;
            let cell = match &location.place {
                Place::Cell { cell, .. } => {
                    let letters: String =
                        cell.chars().take_while(char::is_ascii_alphabetic).collect();
                    format!("{letters}{}", first_row + 1)
                }
                _ => format!("row {}", first_row + 1),
            };
            Error::InvalidValue {
                location,
                found: second,
                expected: named(
                    h,
                    format!(
                        "{first:?} as on {cell} (the rows of scenario {scenario:?} must agree, or be left blank)"
                    ),
                ),
            }
        }
        Error::ScenarioRowsApart {
            location,
            scenario,
            first_line,
        } => {
            let (location, _) = at(location);
            Error::InvalidValue {
                location,
                found: scenario.clone(),
                expected: format!(
                    "the rows of scenario {scenario:?} together: it starts on row {first_line} and other scenarios come between (keep its rows together, or give these another id)"
                ),
            }
        }
        Error::DuplicateScenario {
            location,
            scenario,
            first,
        } => Error::DuplicateScenario {
            location: at(location).0,
            scenario,
            first: at(first).0,
        },
        Error::MalformedCsv { location, message } => {
            let (location, h) = at(location);
            Error::MalformedCsv {
                location,
                message: named(h, message),
            }
        }
        Error::NoScenarios { .. } => Error::NoScenarios {
            location: sheet.clone(),
            hint: "the Inputs sheet has no scenario rows below its header".into(),
        },
        Error::MissingColumns { columns, .. } => Error::MissingColumns {
            location: sheet.clone(),
            hint: format!(
                "the report's Inputs sheet has the columns {}",
                input_columns()
                    .iter()
                    .map(|c| c.header)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            columns: columns
                .into_iter()
                .map(|column| {
                    input_columns()
                        .iter()
                        .find(|c| c.name == column)
                        .map_or(column, |c| c.header.to_owned())
                })
                .collect(),
        },
        other => other,
    }
}

/// The Catalog sheet's limits (sheet `index`, when the report has one); a second set of limits
/// for one type (`type (2)`, from another input's catalogue) is noted and left out.
fn read_catalog(
    book: &mut Book,
    index: Option<usize>,
    notes: &mut Vec<String>,
) -> Result<Catalog, Error> {
    let name = &book.name.clone();
    let Some(index) = index else {
        notes.push(format!(
            "{name}: no Catalog table (no sheet's first row is headed {}); the instance types \
             come from --catalog alone",
            report_parts::catalog_headers()
        ));
        // Nothing of the report's own: a type missing is to be given as a file.
        return Ok(Catalog::new());
    };
    let mut catalog = Catalog::of_kind(SourceKind::ReportCatalog);
    let sheet_name = book.package.sheets[index].name.clone();
    catalog.add_source(format!("{name}:{sheet_name}"));
    let cells = book.cells(index, Window::columns(0, COLUMNS_READ - 1))?;
    let header = header(&cells, name, &sheet_name, catalog_column, notes)?;
    let place = CellPlace {
        file: name,
        sheet: &sheet_name,
    };
    let col = |wanted: &str| {
        header
            .iter()
            .find(|(_, c)| c.name == wanted)
            .map(|(c, _)| *c)
    };
    let Some(type_col) = col("instance_type") else {
        return Err(Error::MissingColumns {
            location: Location::sheet(name, &sheet_name),
            columns: vec!["Instance type".into()],
            hint: "the report's Catalog sheet lists one instance type a row".into(),
        });
    };
    for row in 1..=cells.last_row().unwrap_or(0) {
        let Some(instance_type) = place.text(&cells, row, type_col)? else {
            continue;
        };
        let key = match col("key") {
            Some(c) => place.text(&cells, row, c)?,
            None => None,
        };
        if let Some(key) = key.filter(|k| !k.eq_ignore_ascii_case(instance_type.trim())) {
            notes.push(format!(
                "{}: {key} is a second set of limits for {instance_type} (from another input's catalogue); the report is read with the first",
                place.at(row, 0)
            ));
            continue;
        }
        let whole = |id: &str| -> Result<Option<u32>, Error> {
            let Some(c) = col(id) else { return Ok(None) };
            let column = header.iter().find(|(_, k)| k.name == id).map(|(_, k)| *k);
            let what = format!("{}: a whole number", column.map_or(id, |k| k.header));
            match place.number(&cells, row, c, &what)? {
                None => Ok(None),
                Some(f) => whole_from_f64(f)
                    .map(Some)
                    .ok_or_else(|| Error::InvalidNumber {
                        location: place.at(row, c),
                        found: f.to_string(),
                        expected: what.clone(),
                    }),
            }
        };
        let boolean = |id: &str| -> Result<Option<bool>, Error> {
            let Some(c) = col(id) else { return Ok(None) };
            match cells.get(row, c) {
                Some(Value::Bool(b)) => Ok(Some(*b)),
                _ => match place.text(&cells, row, c)? {
                    None => Ok(None),
                    Some(t) => crate::read::fields::boolean(&t, &place.at(row, c)).map(Some),
                },
            }
        };
        let text = |id: &str| -> Result<Option<String>, Error> {
            match col(id) {
                Some(c) => place.text(&cells, row, c),
                None => Ok(None),
            }
        };
        let limits = InstanceLimits {
            max_enis: whole("max_enis")?,
            ipv4_per_eni: whole("ipv4_per_eni")?,
            max_pods: whole("max_pods")?,
            hypervisor: text("hypervisor")?
                .as_deref()
                .and_then(crate::catalog::hypervisor),
            bare_metal: boolean("bare_metal")?,
            vcpus: whole("vcpus")?,
            trunking_compatible: boolean("trunking_compatible")?,
            branch_interfaces: whole("branch_interfaces")?,
            sources: vec![format!("{}", place.at(row, type_col))],
            ..InstanceLimits::named(instance_type.trim())
        };
        // The rules every catalogue is held to.
        limits
            .check()
            .map_err(|b| limit_fault(b, &header, &place, row))?;
        catalog.insert(limits);
    }
    Ok(catalog)
}

/// A limit of row `row` of the Catalog sheet that breaks its rule, at its cell: the sheet's
/// columns are named after the limits.
fn limit_fault(broken: BrokenLimit, header: &Header, place: &CellPlace<'_>, row: u32) -> Error {
    let (col, column) = header
        .iter()
        .find(|(_, k)| k.name == broken.limit.field())
        .map_or((0, broken.limit.field()), |(c, k)| (*c, k.header));
    broken.at(place.at(row, col), column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subnet_size_resizes_the_first_subnet() {
        assert_eq!(resized("10.0.0.0/24", 23), "10.0.0.0/23");
        assert_eq!(resized("24", 22), "22");
        assert_eq!(resized("/24;/24", 25), "/25;/24");
        assert_eq!(
            resized(" 10.0.0.0/24 ; 10.0.1.0/24", 25),
            "10.0.0.0/25;10.0.1.0/24"
        );
        assert_eq!(resized("", 25), "");
    }
}
