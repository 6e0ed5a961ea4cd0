//! Legacy `subnet-calc.xlsx` workbooks, as teams really hold them.
//!
//! Every sheet laid out as a calculator ([`crate::legacy_layout`]) is one scenario, whatever its
//! name: `WarmENI`, `WarmIP`, the May-2022 version's `instance-based`, copies (`WarmENI (2)`),
//! renamed and hidden sheets. Its id is `<file stem>#<sheet name>`. A sheet that looks almost
//! like a calculator is returned as a [`NearMiss`] saying what it lacks, so that the caller
//! reports it; a workbook without any calculator sheet is an error listing the sheets it has.
//!
//! The lookup tables (`maxENI`, `maxPods`, `CidrData`) are found by the table names the
//! formulas use (`Table1`, `Table2`, `Table4`), else by sheet name and header row, and become
//! the workbook's own [`Catalog`].
//!
//! Cells are read as the workbook's formulas read them: a blank input reads as 0, a number typed
//! as text as that number, a formula by its cached value. A formula without a cached value (a
//! file written by a script) is evaluated when it is plain arithmetic, and an error naming the
//! cell otherwise; it is never read as 0. The warm target is read where the sheet's formulas
//! read it: the defined name `WARM_ENI_TARGET`/`WARM_IP_TARGET` local to the sheet, else the
//! workbook's (normally the sheet's own B13).

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;
use std::sync::Arc;

use calamine::{Reader, Xlsx};

use crate::catalog::{Catalog, InstanceLimits};
use crate::engine::workbook::Sheet;
use crate::error::{Error, Location, Result};
use crate::legacy_layout::{
    self as layout, LookupTable, NodeGroupTable, Recognition, TableShape, same_text,
};
use crate::read::ReadLimits;
use crate::read::fields::whole_from_f64;
use crate::read::file_stem;
use crate::read::sniff::{FileKind, sniff};
use crate::read::xlsx::cells::{self, CellsError, SheetCells, Value, Window};
use crate::read::xlsx::package::{self, Package, PackageError, Visibility};
use crate::scenario::{
    CniSettings, LocatedScenario, NodeGroup, Origin, Position, Scenario, Subnet,
};

/// What a legacy workbook holds.
#[derive(Debug, Clone)]
pub struct LegacyWorkbook {
    /// One scenario per calculator sheet, in tab order.
    pub scenarios: Vec<LocatedScenario>,
    /// The lookup sheets as a catalogue.
    pub catalog: Catalog,
    /// Sheets that look almost like calculator sheets, left out.
    pub near_misses: Vec<NearMiss>,
    /// Things worth knowing about how the workbook was read.
    pub notes: Vec<String>,
}

/// A sheet that looks almost like a calculator sheet but was not read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    /// The sheet.
    pub location: Location,
    /// What it lacks, or what moved.
    pub missing: Vec<String>,
}

impl std::fmt::Display for NearMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: looks like a calculator sheet but was not read: {}",
            self.location,
            self.missing.join("; ")
        )
    }
}

/// Reads a legacy workbook from memory with the default limits. `name` names the file in
/// messages and gives the scenario ids.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<LegacyWorkbook> {
    read_bytes_with(name, bytes, &ReadLimits::default())
}

/// Reads a legacy workbook from memory within `limits`.
pub fn read_bytes_with(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<LegacyWorkbook> {
    let mut book = Book::open(name, bytes, limits)?;
    let windows = book.recognition_windows()?;
    let mut calculators = Vec::new();
    let mut near_misses = Vec::new();
    for (index, cells) in windows.iter().enumerate() {
        let Some(cells) = cells else { continue };
        let info = &book.package.sheets[index];
        let tables: Vec<TableShape<'_>> = info
            .tables
            .iter()
            .filter_map(|t| {
                let (_, last_row) = t.data_rows()?;
                Some(TableShape {
                    name: &t.name,
                    header_row: t.area.first_row,
                    first_col: t.area.first_col,
                    last_row,
                    columns: &t.columns,
                })
            })
            .collect();
        match layout::recognise(&|r, c| shown(cells.get(r, c)), &tables) {
            Recognition::Calculator { kind, table } => calculators.push((index, kind, table)),
            Recognition::NearMiss(missing) => near_misses.push(NearMiss {
                location: Location::sheet(name, &info.name),
                missing,
            }),
            Recognition::Other => {}
        }
    }
    if calculators.is_empty() {
        return Err(book.no_calculator(&near_misses));
    }
    let catalog = book.catalog()?;
    let stem = file_stem(name);
    let mut scenarios = Vec::with_capacity(calculators.len());
    let mut notes = book.notes.clone();
    for (index, kind, table) in calculators {
        scenarios.push(book.calculator(index, kind, &table, &windows, &stem, &mut notes)?);
    }
    Ok(LegacyWorkbook {
        scenarios,
        catalog,
        near_misses,
        notes,
    })
}

/// Reads only the lookup sheets of a legacy workbook, as a catalogue source.
pub fn read_catalog(name: &str, bytes: Vec<u8>) -> Result<Catalog> {
    read_catalog_with(name, bytes, &ReadLimits::default())
}

/// Reads only the lookup sheets of a legacy workbook within `limits`.
pub fn read_catalog_with(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Catalog> {
    Book::open(name, bytes, limits)?.catalog()
}

/// A cell's content as text for recognising labels and headers: numbers rendered, formulas
/// without a value and errors unseen.
fn shown(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        Value::Error(_) | Value::Uncached(_) => None,
    }
}

/// An open workbook: its structure, and calamine for its cells.
struct Book {
    name: String,
    package: Package,
    /// The file, shared with calamine's reader, for the checks calamine does not make.
    bytes: Arc<[u8]>,
    xlsx: Xlsx<Cursor<Arc<[u8]>>>,
    limits: ReadLimits,
    notes: Vec<String>,
}

impl Book {
    fn open(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Self> {
        let kind = sniff(&bytes);
        if kind != FileKind::Xlsx {
            return Err(Error::WrongFileKind {
                location: Location::file(name),
                found: kind.described().into(),
                expected: "an xlsx workbook".into(),
                hint: kind.advice().into(),
            });
        }
        let package = package::read(&bytes, limits.xlsx).map_err(|e| match e {
            PackageError::TooLarge { .. } => Error::InputTooLarge {
                location: Location::file(name),
                what: e.to_string(),
                hint: "a legacy workbook is a few hundred KB; raise the limit with \
                       --max-uncompressed if this one is genuine"
                    .into(),
            },
            other => Error::NotAWorkbook {
                location: Location::file(name),
                message: other.to_string(),
            },
        })?;
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let xlsx = Xlsx::new(Cursor::new(Arc::clone(&bytes))).map_err(|e| Error::NotAWorkbook {
            location: Location::file(name),
            message: e.to_string(),
        })?;
        let notes = package
            .unreadable_tables
            .iter()
            .map(|t| {
                format!(
                    "{name}: table part {t}; its sheet's tables were found by their header rows"
                )
            })
            .collect();
        Ok(Book {
            name: name.to_owned(),
            package,
            bytes,
            xlsx,
            limits: limits.clone(),
            notes,
        })
    }

    /// The cells of sheet `index` within `window`.
    fn cells(&mut self, index: usize, window: Window) -> Result<SheetCells> {
        let sheet = self.package.sheets[index].name.clone();
        let part = &self.package.sheets[index].part;
        package::check_cell_refs(&self.bytes, part, window.last_row).map_err(|message| {
            Error::NotAWorkbook {
                location: Location::sheet(&self.name, &sheet),
                message,
            }
        })?;
        cells::read(&mut self.xlsx, &sheet, window, self.limits.max_cells).map_err(|e| match e {
            CellsError::Xml(message) => Error::NotAWorkbook {
                location: Location::sheet(&self.name, &sheet),
                message,
            },
            CellsError::TooMany { limit } => Error::InputTooLarge {
                location: Location::sheet(&self.name, &sheet),
                what: format!("more than {limit} cells in the columns read"),
                hint: "a calculator or lookup sheet holds far fewer; raise the limit with \
                       --max-cells if this one is genuine"
                    .into(),
            },
        })
    }

    /// The first rows of every worksheet (`None` for chart sheets).
    fn recognition_windows(&mut self) -> Result<Vec<Option<SheetCells>>> {
        let window = Window {
            last_row: layout::RECOGNITION_ROWS - 1,
            cols: (0, layout::RECOGNITION_COLS - 1),
        };
        (0..self.package.sheets.len())
            .map(|i| {
                if self.package.sheets[i].is_worksheet {
                    self.cells(i, window).map(Some)
                } else {
                    Ok(None)
                }
            })
            .collect()
    }

    fn no_calculator(&self, near_misses: &[NearMiss]) -> Error {
        let names: Vec<String> = self
            .package
            .sheets
            .iter()
            .map(|s| format!("{:?}", s.name))
            .collect();
        let is_report = ["Summary", "Outputs", "Inputs"]
            .iter()
            .all(|want| self.package.sheets.iter().any(|s| same_text(&s.name, want)));
        if is_report {
            return Error::WrongFileKind {
                location: Location::file(&self.name),
                found: "an xlsx report written by subnet-calc".into(),
                expected: "a legacy subnet-calc.xlsx workbook".into(),
                hint: "its scenarios are the ones it was written from: evaluate those inputs \
                       again"
                    .into(),
            };
        }
        let hint = if near_misses.is_empty() {
            format!(
                "a calculator sheet has the labels Subnet CIDR Size in A4, WARM_ENI_TARGET or \
                 WARM_IP_TARGET in A13, Host Networking IPs in A14, Daemonset Pods in A15, and \
                 a node-group table headed {:?}, {:?}, {:?}",
                layout::INPUT_HEADERS[0],
                layout::INPUT_HEADERS[1],
                layout::INPUT_HEADERS[2]
            )
        } else {
            near_misses
                .iter()
                .map(|n| match &n.location.place {
                    crate::error::Place::Sheet(s) => format!("{s}: {}", n.missing.join("; ")),
                    _ => n.missing.join("; "),
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        Error::NoCalculatorSheet {
            location: Location::file(&self.name),
            sheets: names.join(", "),
            hint,
        }
    }

    /// Where a lookup table is: its sheet, header row and the column of each header.
    fn find_lookup(&mut self, lookup: &LookupTable) -> Result<(usize, u32, Vec<u32>, u32)> {
        // The table the formulas name, or a table with its headers (a renamed table).
        let mut best: Option<(u8, usize, u32, Vec<u32>, u32)> = None;
        for (index, sheet) in self.package.sheets.iter().enumerate() {
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
                let Some(cols) = cols else { continue };
                let rank = if same_text(&table.name, lookup.table) {
                    0
                } else if same_text(&sheet.name, lookup.sheet) {
                    1
                } else {
                    2
                };
                if best.as_ref().is_none_or(|b| rank < b.0) {
                    let last = table.data_rows().map_or(table.area.first_row, |(_, l)| l);
                    best = Some((rank, index, table.area.first_row, cols, last));
                }
            }
        }
        if let Some((_, index, header, cols, last)) = best {
            return Ok((index, header, cols, last));
        }
        // No table: the sheet of that name, and its header row within the first ten rows.
        let index = self
            .package
            .sheets
            .iter()
            .position(|s| s.is_worksheet && same_text(&s.name, lookup.sheet))
            .ok_or_else(|| Error::MissingSheet {
                location: Location::file(&self.name),
                sheet: lookup.sheet.to_owned(),
                hint: format!(
                    "the lookup table {} ({}) the calculator's formulas read",
                    lookup.table,
                    lookup.headers.join(", ")
                ),
            })?;
        let cells = self.cells(
            index,
            Window {
                last_row: 9,
                cols: (0, layout::RECOGNITION_COLS - 1),
            },
        )?;
        for row in 0..10 {
            let cols: Option<Vec<u32>> = lookup
                .headers
                .iter()
                .map(|h| {
                    (0..layout::RECOGNITION_COLS)
                        .find(|&c| shown(cells.get(row, c)).is_some_and(|t| same_text(&t, h)))
                })
                .collect();
            if let Some(cols) = cols {
                return Ok((index, row, cols, package::LAST_ROW));
            }
        }
        let sheet = self.package.sheets[index].name.clone();
        Err(Error::MissingColumn {
            location: Location::sheet(&self.name, &sheet),
            column: lookup.headers.join(", "),
            hint: format!(
                "the {sheet} sheet needs a header row with {}",
                lookup.headers.join(", ")
            ),
        })
    }

    /// A lookup table's cells: (sheet name, header row, header columns, last row, cells).
    fn lookup_cells(&mut self, lookup: &LookupTable) -> Result<Lookup> {
        let (index, header, cols, last) = self.find_lookup(lookup)?;
        let first = *cols.iter().min().expect("lookup tables have headers");
        let last_col = *cols.iter().max().expect("lookup tables have headers");
        let cells = self.cells(index, Window::columns(first, last_col))?;
        Ok(Lookup {
            file: self.name.clone(),
            sheet: self.package.sheets[index].name.clone(),
            header,
            cols,
            last,
            cells,
        })
    }

    /// The lookup tables as a catalogue. As XLOOKUP returns the first match, the first row of a
    /// duplicated instance type wins.
    fn catalog(&mut self) -> Result<Catalog> {
        let mut catalog = Catalog::new();
        catalog.add_source(self.name.clone());

        let enis = self.lookup_cells(&layout::MAX_ENI)?;
        for (row, instance_type) in enis.first_rows()? {
            let max_enis = enis.whole(row, 1, "a whole number of ENIs ≥ 1")?;
            let ipv4 = enis.whole(row, 0, "a whole number of IPv4 addresses per ENI ≥ 1")?;
            for (value, col) in [(max_enis, 1), (ipv4, 0)] {
                if value == 0 {
                    return Err(Error::InvalidNumber {
                        location: enis.at(row, enis.cols[col]),
                        found: "0".into(),
                        expected: format!("{} ≥ 1", layout::MAX_ENI.headers[col]),
                    });
                }
            }
            catalog.insert(InstanceLimits {
                max_enis: Some(max_enis),
                ipv4_per_eni: Some(ipv4),
                sources: vec![enis.at(row, enis.cols[2]).to_string()],
                ..InstanceLimits::named(instance_type)
            });
        }

        let pods = self.lookup_cells(&layout::MAX_PODS)?;
        for (row, instance_type) in pods.first_rows()? {
            let max_pods = pods.whole(row, 1, "a whole number of max pods")?;
            catalog.insert(InstanceLimits {
                max_pods: Some(max_pods),
                sources: vec![pods.at(row, pods.cols[0]).to_string()],
                ..InstanceLimits::named(instance_type)
            });
        }

        let sizes = self.lookup_cells(&layout::CIDR_DATA)?;
        let mut table = BTreeMap::new();
        for row in sizes.cells.rows_between(sizes.header + 1, sizes.last) {
            let Some(size) = sizes.number(row, 0, "a prefix length")? else {
                continue;
            };
            let size = whole_from_f64(size)
                .and_then(|s| u8::try_from(s).ok())
                .filter(|s| *s <= 32)
                .ok_or_else(|| Error::BadCidr {
                    location: sizes.at(row, sizes.cols[0]),
                    found: size.to_string(),
                    reason: "a prefix length is 0 to 32".into(),
                })?;
            let ips = sizes
                .number(row, 1, "a number of addresses")?
                .ok_or_else(|| Error::MissingValue {
                    location: sizes.at(row, sizes.cols[1]),
                    hint: "the number of addresses of this subnet size".into(),
                })?;
            if ips.fract() != 0.0 || !ips.is_finite() || ips.abs() > 9.0e15 {
                return Err(Error::InvalidNumber {
                    location: sizes.at(row, sizes.cols[1]),
                    found: ips.to_string(),
                    expected: "a whole number of addresses".into(),
                });
            }
            table.entry(size).or_insert(ips as i64);
        }
        catalog.set_cidr_table(table);
        Ok(catalog)
    }

    /// Reads the calculator sheet `index` as a scenario.
    fn calculator(
        &mut self,
        index: usize,
        kind: Sheet,
        table: &NodeGroupTable,
        windows: &[Option<SheetCells>],
        stem: &str,
        notes: &mut Vec<String>,
    ) -> Result<LocatedScenario> {
        let info = &self.package.sheets[index];
        let sheet: Arc<str> = Arc::from(info.name.as_str());
        let hidden = info.visibility != Visibility::Visible;
        let head = windows[index].as_ref().expect("calculators are worksheets");
        let file = self.name.clone();
        let place = Place {
            file: &file,
            sheet: &sheet,
        };
        let cidr = place.whole(head, layout::CIDR, "a subnet CIDR size such as 23", None)?;
        let prefix_len = u8::try_from(cidr)
            .ok()
            .filter(|n| *n <= 32)
            .ok_or_else(|| Error::BadCidr {
                location: place.at(layout::CIDR.row, layout::CIDR.col),
                found: cidr.to_string(),
                reason: "a prefix length is 0 to 32".into(),
            })?;
        let warm = self.warm_target(index, kind, windows, notes)?;
        let host = place.whole(
            head,
            layout::HOST_NETWORKING,
            "host networking IPs, a whole number ≥ 0",
            Some(0),
        )?;
        let daemonset = place.whole(
            head,
            layout::DAEMONSET,
            "daemonset pods, a whole number ≥ 0",
            Some(0),
        )?;

        let col = table.first_col;
        let rows = self.cells(index, Window::columns(col, col + 2))?;
        let first = table.header_row + 1;
        let last = table
            .last_row
            .unwrap_or_else(|| rows.last_row().unwrap_or(first));
        let mut node_groups = Vec::new();
        let mut places = Vec::new();
        for row in rows.rows_between(first, last) {
            let instance_type = place.text(&rows, row, col)?;
            let instances = place.number(&rows, row, col + 1, "a number of instances")?;
            let pods = place.number(&rows, row, col + 2, "a number of pods per node")?;
            let Some(instance_type) = instance_type else {
                if instances.is_some() || pods.is_some() {
                    return Err(Error::MissingValue {
                        location: place.at(row, col),
                        hint: "this node-group row has numbers but no instance type".into(),
                    });
                }
                continue; // a blank row
            };
            let instances = place.whole(
                &rows,
                layout::At { row, col: col + 1 },
                "a whole number of instances",
                None,
            )?;
            let pods_per_node = place.whole(
                &rows,
                layout::At { row, col: col + 2 },
                "a whole number of pods per node",
                None,
            )?;
            node_groups.push(NodeGroup {
                instance_type,
                instances,
                pods_per_node,
                max_pods: None,
                branch_eni_pods: 0,
            });
            places.push(Position::Cell { row, col });
        }
        if node_groups.is_empty() {
            return Err(Error::NoScenarios {
                location: Location::sheet(&file, &sheet),
                hint: "the node-group table has no rows".into(),
            });
        }
        let cni = match kind {
            Sheet::WarmEni => CniSettings {
                warm_eni_target: Some(warm),
                ..CniSettings::default()
            },
            Sheet::WarmIp => CniSettings {
                warm_ip_target: Some(warm),
                ..CniSettings::default()
            },
        };
        Ok(LocatedScenario {
            scenario: Scenario {
                id: format!("{stem}#{sheet}"),
                subnets: vec![Subnet::of_size(prefix_len)],
                pod_subnets: Vec::new(),
                cni,
                host_networking_ips: host,
                daemonset_pods: daemonset,
                node_groups,
            },
            origin: Origin {
                file: Arc::from(file.as_str()),
                sheet: Some(sheet),
                hidden,
                scenario: Position::Sheet,
                node_groups: places,
            },
        })
    }

    /// The warm target as the sheet's formulas read it: through the defined name visible from
    /// the sheet, which is its own B13 in any workbook Excel or LibreOffice saved; a name that
    /// points elsewhere (a copy made by a script keeps the original's) is followed, with a note.
    fn warm_target(
        &self,
        index: usize,
        kind: Sheet,
        windows: &[Option<SheetCells>],
        notes: &mut Vec<String>,
    ) -> Result<u32> {
        let own = &self.package.sheets[index].name;
        let what = format!("{}, a whole number ≥ 0", layout::warm_target_name(kind));
        let target = self
            .package
            .resolve_name(layout::warm_target_name(kind), index)
            .and_then(|n| n.cell())
            .and_then(|(sheet, row, col)| {
                let at = self.package.sheets.iter().position(|s| s.name == sheet)?;
                let in_window = row < layout::RECOGNITION_ROWS && col < layout::RECOGNITION_COLS;
                (in_window && windows[at].is_some()).then_some((at, row, col))
            });
        let (at, row, col) =
            target.unwrap_or((index, layout::WARM_TARGET.row, layout::WARM_TARGET.col));
        let sheet: Arc<str> = Arc::from(self.package.sheets[at].name.as_str());
        let place = Place {
            file: &self.name,
            sheet: &sheet,
        };
        let cells = windows[at].as_ref().expect("checked above");
        let value = place.whole(cells, layout::At { row, col }, &what, Some(0))?;
        if (at, row, col) != (index, layout::WARM_TARGET.row, layout::WARM_TARGET.col) {
            let own_value = windows[index]
                .as_ref()
                .and_then(|c| c.get(layout::WARM_TARGET.row, layout::WARM_TARGET.col))
                .and_then(|v| shown(Some(v)))
                .unwrap_or_else(|| "blank".into());
            notes.push(format!(
                "{}: the sheet's formulas read {} from {}!{} ({value}), not from its own B13 \
                 ({own_value}); evaluated as the workbook computes it",
                Location::sheet(&self.name, own),
                layout::warm_target_name(kind),
                sheet,
                crate::error::cell_name(row, col),
            ));
        }
        Ok(value)
    }
}

/// A file and sheet, for reading cells with messages that name them.
struct Place<'a> {
    file: &'a str,
    sheet: &'a str,
}

impl Place<'_> {
    fn at(&self, row: u32, col: u32) -> Location {
        Location::cell(self.file, self.sheet, row, col)
    }

    /// A cell's value as a number: `None` when blank; text that reads as a number is taken, as
    /// the sheet's arithmetic would; a formula without a value is evaluated when it is plain
    /// arithmetic; error values and other text are errors naming the cell.
    fn number(&self, cells: &SheetCells, row: u32, col: u32, what: &str) -> Result<Option<f64>> {
        let at = || self.at(row, col);
        match cells.get(row, col) {
            None => Ok(None),
            Some(Value::Number(f)) => Ok(Some(*f)),
            Some(Value::Text(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::Text(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| Error::InvalidNumber {
                    location: at(),
                    found: s.clone(),
                    expected: what.to_owned(),
                }),
            Some(Value::Uncached(formula)) => {
                cells::arithmetic(formula)
                    .map(Some)
                    .ok_or_else(|| Error::UncachedFormula {
                        location: at(),
                        formula: formula.clone(),
                    })
            }
            Some(Value::Error(e)) => Err(Error::ErrorCell {
                location: at(),
                value: e.clone(),
                hint: format!("expected {what}"),
            }),
            Some(Value::Bool(b)) => Err(Error::InvalidNumber {
                location: at(),
                found: if *b { "TRUE" } else { "FALSE" }.into(),
                expected: what.to_owned(),
            }),
        }
    }

    /// A cell that must hold a whole number ≥ 0 (blank reads as `blank`).
    fn whole(
        &self,
        cells: &SheetCells,
        cell: layout::At,
        what: &str,
        blank: Option<u32>,
    ) -> Result<u32> {
        let at = || self.at(cell.row, cell.col);
        match self.number(cells, cell.row, cell.col, what)? {
            None => blank.ok_or_else(|| Error::MissingValue {
                location: at(),
                hint: format!("expected {what}"),
            }),
            Some(f) => whole_from_f64(f).ok_or_else(|| Error::InvalidNumber {
                location: at(),
                found: f.to_string(),
                expected: what.to_owned(),
            }),
        }
    }

    /// A cell's text, trimmed; `None` when blank. Numbers are rendered as text.
    fn text(&self, cells: &SheetCells, row: u32, col: u32) -> Result<Option<String>> {
        match cells.get(row, col) {
            None => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Error(e)) => Err(Error::ErrorCell {
                location: self.at(row, col),
                value: e.clone(),
                hint: "expected text".into(),
            }),
            Some(Value::Uncached(formula)) => Err(Error::UncachedFormula {
                location: self.at(row, col),
                formula: formula.clone(),
            }),
            Some(v) => Ok(shown(Some(v))),
        }
    }
}

/// A lookup table's cells and where its columns are.
struct Lookup {
    file: String,
    sheet: String,
    header: u32,
    cols: Vec<u32>,
    last: u32,
    cells: SheetCells,
}

impl Lookup {
    fn place(&self) -> Place<'_> {
        Place {
            file: &self.file,
            sheet: &self.sheet,
        }
    }

    fn at(&self, row: u32, col: u32) -> Location {
        self.place().at(row, col)
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

    /// The rows that name an instance type (the last header column of maxENI, the first of
    /// maxPods), each type's first row only: XLOOKUP returns the first match.
    fn first_rows(&self) -> Result<Vec<(u32, String)>> {
        let type_col = self.type_column();
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        for row in self.cells.rows_between(self.header + 1, self.last) {
            if let Some(instance_type) = self.place().text(&self.cells, row, type_col)?
                && seen.insert(instance_type.to_ascii_lowercase())
            {
                rows.push((row, instance_type));
            }
        }
        Ok(rows)
    }

    fn type_column(&self) -> u32 {
        // maxENI: IPv4addr, MaxENI, Type; maxPods: instance type, max pods.
        if self.cols.len() == 3 {
            self.cols[2]
        } else {
            self.cols[0]
        }
    }
}
