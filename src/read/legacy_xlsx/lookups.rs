//! The lookup tables (`maxENI`, `maxPods`, `CidrData`) as the workbook's own [`Catalog`].
//!
//! Each is found by the table name the calculator's formulas use (`Table1`, `Table2`,
//! `Table4`), else by a table with its headers, else on the sheet of its name by a header row
//! within the first ten rows. As XLOOKUP returns the first match, the first row of an instance
//! type listed twice wins.

use std::collections::BTreeMap;

use hashbrown::HashSet;

use crate::catalog::rules::Limit;
use crate::catalog::{Catalog, InstanceLimits, SourceKind};
use crate::error::{Error, Location, Result};
use crate::legacy_layout::{self as layout, LookupTable, same_text};
use crate::read::fields::whole_from_f64;
use crate::read::xlsx::cells::{SheetCells, Window};
use crate::read::xlsx::package;

use super::book::{Book, Place, shown};

/// Where a lookup table is: its sheet, first and last data rows, and the column of each header.
struct Found {
    sheet: usize,
    first: u32,
    last: u32,
    cols: Vec<u32>,
}

fn find(book: &mut Book, lookup: &LookupTable) -> Result<Found> {
    // The table the formulas name, or a table with its headers (a renamed table).
    let mut best: Option<(u8, Found)> = None;
    for (index, sheet) in book.package.sheets.iter().enumerate() {
        for table in &sheet.tables {
            let cols: Option<Vec<u32>> = lookup
                .headers
                .iter()
                .map(|h| {
                    table
                        .columns
                        .iter()
                        .position(|c| same_text(c, h))
                        .map(|p| table.area.first_col + p as u32)
                })
                .collect();
            let (Some(cols), Some((first, last))) = (cols, table.data_rows()) else {
                continue;
            };
            let rank = if same_text(&table.name, lookup.table) {
                0
            } else if same_text(&sheet.name, lookup.sheet) {
                1
            } else {
                2
            };
            if best.as_ref().is_none_or(|b| rank < b.0) {
                let found = Found {
                    sheet: index,
                    first,
                    last,
                    cols,
                };
                best = Some((rank, found));
            }
        }
    }
    match best {
        Some((_, found)) => Ok(found),
        None => find_header_row(book, lookup),
    }
}

/// No table: the sheet of that name, and its header row within the first ten rows.
fn find_header_row(book: &mut Book, lookup: &LookupTable) -> Result<Found> {
    let index = book
        .package
        .sheets
        .iter()
        .position(|s| s.is_worksheet && same_text(&s.name, lookup.sheet))
        .ok_or_else(|| Error::MissingSheet {
            location: Location::file(&book.name),
            sheet: lookup.sheet.to_owned(),
            hint: format!(
                "the lookup table {} ({}) the calculator's formulas read",
                lookup.table,
                lookup.headers.join(", ")
            ),
        })?;
    let cells = book.cells(
        index,
        Window {
            last_row: 9,
            cols: (0, layout::RECOGNITION_COLS - 1),
        },
    )?;
    // The headers a row lacks are named from the row that has the most of them.
    let mut fewest_missing: Option<Vec<String>> = None;
    for row in 0..10 {
        let cols: Vec<Option<u32>> = lookup
            .headers
            .iter()
            .map(|h| {
                (0..layout::RECOGNITION_COLS)
                    .find(|&c| shown(cells.get(row, c)).is_some_and(|t| same_text(&t, h)))
            })
            .collect();
        if let Some(cols) = cols.iter().copied().collect::<Option<Vec<u32>>>() {
            return Ok(Found {
                sheet: index,
                first: row + 1,
                last: package::LAST_ROW,
                cols,
            });
        }
        let missing: Vec<String> = lookup
            .headers
            .iter()
            .zip(&cols)
            .filter(|(_, c)| c.is_none())
            .map(|(h, _)| h.to_string())
            .collect();
        if fewest_missing
            .as_ref()
            .is_none_or(|m| missing.len() < m.len())
        {
            fewest_missing = Some(missing);
        }
    }
    let sheet = book.package.sheets[index].name.clone();
    Err(Error::MissingColumns {
        location: Location::sheet(&book.name, &sheet),
        columns: fewest_missing.unwrap_or_default(),
        hint: format!(
            "the {sheet} sheet needs a header row with {}, within its first ten rows",
            lookup.headers.join(", ")
        ),
    })
}

/// A lookup table's cells and where its columns are.
struct Lookup {
    file: String,
    sheet: String,
    first: u32,
    last: u32,
    cols: Vec<u32>,
    cells: SheetCells,
}

impl Lookup {
    fn read(book: &mut Book, lookup: &LookupTable) -> Result<Lookup> {
        let found = find(book, lookup)?;
        let first_col = *found.cols.iter().min().expect("lookup tables have headers");
        let last_col = *found.cols.iter().max().expect("lookup tables have headers");
        let cells = book.cells(found.sheet, Window::columns(first_col, last_col))?;
        Ok(Lookup {
            file: book.name.clone(),
            sheet: book.package.sheets[found.sheet].name.clone(),
            first: found.first,
            last: found.last,
            cols: found.cols,
            cells,
        })
    }

    fn place(&self) -> Place<'_> {
        Place {
            file: &self.file,
            sheet: &self.sheet,
        }
    }

    fn at(&self, row: u32, header: usize) -> Location {
        self.place().at(row, self.cols[header])
    }

    fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.cells.rows_between(self.first, self.last)
    }

    fn number(&self, row: u32, header: usize, what: &str) -> Result<Option<f64>> {
        self.place()
            .number(&self.cells, row, self.cols[header], what)
    }

    fn whole(&self, row: u32, header: usize, what: &str) -> Result<u32> {
        let cell = layout::At {
            row,
            col: self.cols[header],
        };
        self.place().whole(&self.cells, cell, what, None)
    }

    /// The rows that name an instance type (in header `type_header`'s column), each type's
    /// first row only: XLOOKUP returns the first match.
    fn first_rows(&self, type_header: usize) -> Result<Vec<(u32, String)>> {
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        for row in self.rows() {
            if let Some(instance_type) =
                self.place()
                    .text(&self.cells, row, self.cols[type_header])?
                && seen.insert(instance_type.to_ascii_lowercase())
            {
                rows.push((row, instance_type));
            }
        }
        Ok(rows)
    }
}

/// The lookup tables as a catalogue, or every fault found in them: one per bad row, and one per
/// table that cannot be read at all (its sheet or headers missing), in table order.
pub(super) fn catalog_all(book: &mut Book) -> std::result::Result<Catalog, Vec<Error>> {
    let mut catalog = Catalog::of_kind(SourceKind::WorkbookLookups);
    catalog.add_source(book.name.clone());
    let mut faults = Vec::new();

    // maxENI: IPv4addr, MaxENI, Type.
    match Lookup::read(book, &layout::MAX_ENI).and_then(|t| Ok((t.first_rows(2)?, t))) {
        Err(e) => faults.push(e),
        Ok((rows, enis)) => {
            for (row, instance_type) in rows {
                match eni_limits(&enis, row, instance_type) {
                    Ok(limits) => catalog.insert(limits),
                    Err(e) => faults.push(e),
                }
            }
        }
    }

    // maxPods: instance type, max pods.
    match Lookup::read(book, &layout::MAX_PODS).and_then(|t| Ok((t.first_rows(0)?, t))) {
        Err(e) => faults.push(e),
        Ok((rows, pods)) => {
            for (row, instance_type) in rows {
                match pods_limits(&pods, row, instance_type) {
                    Ok(limits) => catalog.insert(limits),
                    Err(e) => faults.push(e),
                }
            }
        }
    }

    // CidrData: size, number of ips.
    match Lookup::read(book, &layout::CIDR_DATA) {
        Err(e) => faults.push(e),
        Ok(sizes) => {
            let mut table = BTreeMap::new();
            for row in sizes.rows() {
                match cidr_row(&sizes, row) {
                    Ok(Some((size, ips))) => {
                        table.entry(size).or_insert(ips);
                    }
                    Ok(None) => {}
                    Err(e) => faults.push(e),
                }
            }
            catalog.set_cidr_table(table);
        }
    }
    if faults.is_empty() {
        Ok(catalog)
    } else {
        Err(faults)
    }
}

/// A maxENI row's limits.
fn eni_limits(enis: &Lookup, row: u32, instance_type: String) -> Result<InstanceLimits> {
    let max_enis = enis.whole(row, 1, "a whole number of ENIs ≥ 1")?;
    let ipv4 = enis.whole(row, 0, "a whole number of IPv4 addresses per ENI ≥ 1")?;
    let limits = InstanceLimits {
        max_enis: Some(max_enis),
        ipv4_per_eni: Some(ipv4),
        sources: vec![enis.at(row, 2).to_string()],
        ..InstanceLimits::named(instance_type)
    };
    limits.check().map_err(|broken| {
        // The maxENI table's headers: IPv4addr, MaxENI, Type.
        let header = match broken.limit {
            Limit::Ipv4PerEni => 0,
            // (The table has no vCPUs.)
            Limit::MaxEnis | Limit::Vcpus => 1,
        };
        broken.at(enis.at(row, header), layout::MAX_ENI.headers[header])
    })?;
    Ok(limits)
}

/// A maxPods row's limits.
fn pods_limits(pods: &Lookup, row: u32, instance_type: String) -> Result<InstanceLimits> {
    let limits = InstanceLimits {
        max_pods: Some(pods.whole(row, 1, "a whole number of max pods")?),
        sources: vec![pods.at(row, 0).to_string()],
        ..InstanceLimits::named(instance_type)
    };
    // Max pods alone, which may be 0: held to the rules all the same.
    limits
        .check()
        .map_err(|broken| broken.at(pods.at(row, 1), broken.limit.field()))?;
    Ok(limits)
}

/// A CidrData row: a prefix length and its number of addresses (`None` for a row without a
/// prefix length).
fn cidr_row(sizes: &Lookup, row: u32) -> Result<Option<(u8, i64)>> {
    let Some(size) = sizes.number(row, 0, "a prefix length")? else {
        return Ok(None);
    };
    let size = whole_from_f64(size)
        .and_then(|s| u8::try_from(s).ok())
        .filter(|s| *s <= 32)
        .ok_or_else(|| Error::BadCidr {
            location: sizes.at(row, 0),
            found: size.to_string(),
            reason: "a prefix length is 0 to 32".into(),
        })?;
    let ips = sizes
        .number(row, 1, "a number of addresses")?
        .ok_or_else(|| Error::MissingValue {
            location: sizes.at(row, 1),
            hint: "the number of addresses of this subnet size".into(),
        })?;
    if ips.fract() != 0.0 || !ips.is_finite() || ips.abs() > 9.0e15 {
        return Err(Error::InvalidNumber {
            location: sizes.at(row, 1),
            found: ips.to_string(),
            expected: "a whole number of addresses".into(),
        });
    }
    Ok(Some((size, ips as i64)))
}
