//! The legacy `subnet-calc.xlsx` workbook from the EKS best-practices guide.
//!
//! Its layout: two calculator sheets, `WarmENI` and `WarmIP`, each with the subnet CIDR size in
//! B4, the warm target in B13 (WARM_ENI_TARGET or WARM_IP_TARGET), host-networking IPs in B14,
//! daemonset pods in B15 and a node-group table (instance type, # of instances, target workload
//! pods per node) under a header row at row 22; and three lookup sheets: `maxENI` (IPv4addr,
//! MaxENI, Type), `maxPods` (instance type, max pods) and `CidrData` (size, number of ips).
//!
//! Each calculator sheet becomes one scenario, `<file stem>#<sheet>`; the lookup sheets become the
//! workbook's own [`Catalog`]. A blank input cell reads as 0, as the sheet's formulas read it.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Range, Reader, Xlsx};

use crate::catalog::{Catalog, InstanceLimits};
use crate::error::{Error, Location, Result};
use crate::read::fields::whole_from_f64;
use crate::read::file_stem;
use crate::scenario::{
    CniSettings, LocatedScenario, NodeGroup, Origin, Position, Scenario, Subnet,
};

/// The node-group table's name on each calculator sheet of the legacy workbook.
pub const NODE_GROUP_TABLES: [(&str, &str); 2] = [("WarmENI", "Table3"), ("WarmIP", "Table36")];

/// The calculator sheets, in the order their scenarios are returned.
pub const CALCULATOR_SHEETS: [&str; 2] = ["WarmENI", "WarmIP"];

/// What a legacy workbook holds.
#[derive(Debug, Clone)]
pub struct LegacyWorkbook {
    /// One scenario per calculator sheet present.
    pub scenarios: Vec<LocatedScenario>,
    /// The lookup sheets as a catalogue.
    pub catalog: Catalog,
}

type Book = Xlsx<Cursor<Vec<u8>>>;

/// Reads a legacy workbook from memory. `name` names the file in messages and gives the ids.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<LegacyWorkbook> {
    let mut book = open(name, bytes)?;
    let catalog = read_catalog_from(&mut book, name)?;
    let stem = file_stem(name);
    let mut scenarios = Vec::new();
    for sheet in CALCULATOR_SHEETS {
        if book.sheet_names().iter().any(|s| s == sheet) {
            scenarios.push(read_calculator_sheet(&mut book, name, sheet, &stem)?);
        }
    }
    if scenarios.is_empty() {
        return Err(Error::MissingSheet {
            location: Location::file(name),
            sheet: "WarmENI".into(),
            hint: "a legacy subnet-calc workbook has a WarmENI and a WarmIP sheet; this one has neither".into(),
        });
    }
    Ok(LegacyWorkbook { scenarios, catalog })
}

/// Reads only the lookup sheets of a legacy workbook, as a catalogue source.
pub fn read_catalog(name: &str, bytes: Vec<u8>) -> Result<Catalog> {
    let mut book = open(name, bytes)?;
    read_catalog_from(&mut book, name)
}

fn open(name: &str, bytes: Vec<u8>) -> Result<Book> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| Error::NotAWorkbook {
        location: Location::file(name),
        message: e.to_string(),
    })?;
    book.load_tables().map_err(|e| Error::NotAWorkbook {
        location: Location::file(name),
        message: e.to_string(),
    })?;
    Ok(book)
}

fn sheet_range(book: &mut Book, name: &str, sheet: &str, hint: &str) -> Result<Range<Data>> {
    if !book.sheet_names().iter().any(|s| s == sheet) {
        return Err(Error::MissingSheet {
            location: Location::file(name),
            sheet: sheet.to_owned(),
            hint: hint.to_owned(),
        });
    }
    book.worksheet_range(sheet)
        .map_err(|e| Error::NotAWorkbook {
            location: Location::sheet(name, sheet),
            message: e.to_string(),
        })
}

/// A cell's value as a number: `None` when blank; text that reads as a number is taken, as the
/// sheet's arithmetic would; error values and other text are errors naming the cell.
fn number_at(
    range: &Range<Data>,
    name: &str,
    sheet: &str,
    row: u32,
    col: u32,
    what: &str,
) -> Result<Option<f64>> {
    let at = || Location::cell(name, sheet, row, col);
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::Int(i)) => Ok(Some(*i as f64)),
        Some(Data::Float(f)) => Ok(Some(*f)),
        Some(Data::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Data::String(s)) => {
            s.trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| Error::InvalidNumber {
                    location: at(),
                    found: s.clone(),
                    expected: what.to_owned(),
                })
        }
        Some(Data::Error(e)) => Err(Error::ErrorCell {
            location: at(),
            value: e.to_string(),
            hint: format!("expected {what}"),
        }),
        Some(other) => Err(Error::InvalidNumber {
            location: at(),
            found: other.to_string(),
            expected: what.to_owned(),
        }),
    }
}

/// A cell that must hold a whole number ≥ 0 (blank reads as `blank`).
fn whole_at(
    range: &Range<Data>,
    name: &str,
    sheet: &str,
    row: u32,
    col: u32,
    what: &str,
    blank: Option<u32>,
) -> Result<u32> {
    let at = || Location::cell(name, sheet, row, col);
    match number_at(range, name, sheet, row, col, what)? {
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
fn text_at(
    range: &Range<Data>,
    name: &str,
    sheet: &str,
    row: u32,
    col: u32,
) -> Result<Option<String>> {
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(Data::Error(e)) => Err(Error::ErrorCell {
            location: Location::cell(name, sheet, row, col),
            value: e.to_string(),
            hint: "expected text".into(),
        }),
        Some(other) => Ok(Some(other.to_string())),
    }
}

/// Checks that a label cell reads as the layout expects, so that a moved layout is reported
/// instead of read from the wrong cells.
fn expect_label(
    range: &Range<Data>,
    name: &str,
    sheet: &str,
    row: u32,
    col: u32,
    needle: &str,
    shown: &str,
) -> Result<()> {
    let found = text_at(range, name, sheet, row, col)?.unwrap_or_default();
    if found
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
    {
        Ok(())
    } else {
        Err(Error::UnexpectedLayout {
            location: Location::cell(name, sheet, row, col),
            expected: format!("the label {shown:?}"),
            found: if found.is_empty() {
                "a blank cell".into()
            } else {
                format!("{found:?}")
            },
        })
    }
}

fn read_calculator_sheet(
    book: &mut Book,
    name: &str,
    sheet: &'static str,
    stem: &str,
) -> Result<LocatedScenario> {
    let range = sheet_range(book, name, sheet, "a calculator sheet")?;
    let warm_label = if sheet == "WarmENI" {
        "WARM_ENI_TARGET"
    } else {
        "WARM_IP_TARGET"
    };
    expect_label(&range, name, sheet, 3, 0, "cidr", "Subnet CIDR Size")?;
    expect_label(&range, name, sheet, 12, 0, warm_label, warm_label)?;
    expect_label(&range, name, sheet, 13, 0, "host", "Host Networking IPs")?;
    expect_label(&range, name, sheet, 14, 0, "daemonset", "Daemonset Pods")?;

    let cidr = whole_at(
        &range,
        name,
        sheet,
        3,
        1,
        "a subnet CIDR size such as 23",
        None,
    )?;
    let prefix_len = u8::try_from(cidr)
        .ok()
        .filter(|n| *n <= 32)
        .ok_or_else(|| Error::BadCidr {
            location: Location::cell(name, sheet, 3, 1),
            found: cidr.to_string(),
            reason: "a prefix length is 0 to 32".into(),
        })?;
    let warm = whole_at(
        &range,
        name,
        sheet,
        12,
        1,
        &format!("{warm_label}, a whole number ≥ 0"),
        Some(0),
    )?;
    let host = whole_at(
        &range,
        name,
        sheet,
        13,
        1,
        "host networking IPs, a whole number ≥ 0",
        Some(0),
    )?;
    let daemonset = whole_at(
        &range,
        name,
        sheet,
        14,
        1,
        "daemonset pods, a whole number ≥ 0",
        Some(0),
    )?;

    let (first_row, last_row, col) = node_group_table(book, &range, name, sheet)?;
    let mut node_groups = Vec::new();
    let mut places = Vec::new();
    for row in first_row..=last_row {
        let instance_type = text_at(&range, name, sheet, row, col)?;
        let instances = number_at(&range, name, sheet, row, col + 1, "a number of instances")?;
        let pods = number_at(
            &range,
            name,
            sheet,
            row,
            col + 2,
            "a number of pods per node",
        )?;
        let Some(instance_type) = instance_type else {
            if instances.is_some() || pods.is_some() {
                return Err(Error::MissingValue {
                    location: Location::cell(name, sheet, row, col),
                    hint: "this node-group row has numbers but no instance type".into(),
                });
            }
            continue; // a blank row
        };
        let instances = whole_at(
            &range,
            name,
            sheet,
            row,
            col + 1,
            "a whole number of instances",
            None,
        )?;
        let pods_per_node = whole_at(
            &range,
            name,
            sheet,
            row,
            col + 2,
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
        places.push(Position::Cell { sheet, row, col });
    }
    if node_groups.is_empty() {
        return Err(Error::NoScenarios {
            location: Location::sheet(name, sheet),
            hint: "the node-group table has no rows".into(),
        });
    }
    let cni = if sheet == "WarmENI" {
        CniSettings {
            warm_eni_target: Some(warm),
            ..CniSettings::default()
        }
    } else {
        CniSettings {
            warm_ip_target: Some(warm),
            ..CniSettings::default()
        }
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
            file: Arc::from(name),
            scenario: Position::Sheet(sheet),
            node_groups: places,
        },
    })
}

/// The node-group table's data rows (first, last, 0-based) and its first column: the Excel table
/// of the legacy name ([`NODE_GROUP_TABLES`]), else another table on the sheet whose first column
/// is "instance type", else the rows under a header cell "instance type" down to the end of the
/// sheet.
fn node_group_table(
    book: &mut Book,
    range: &Range<Data>,
    name: &str,
    sheet: &str,
) -> Result<(u32, u32, u32)> {
    let is_header = |s: &str| s.trim().eq_ignore_ascii_case("instance type");
    let mut table_names: Vec<String> = book
        .table_names_in_sheet(sheet)
        .into_iter()
        .cloned()
        .collect();
    // The legacy workbook's own names first (Table3 on WarmENI, Table36 on WarmIP), then any
    // table of the sheet whose first column is "instance type".
    let own = NODE_GROUP_TABLES
        .iter()
        .find(|(s, _)| *s == sheet)
        .map(|(_, t)| *t);
    // Excel table names ignore case.
    table_names.sort_by_key(|t| !own.is_some_and(|own| t.eq_ignore_ascii_case(own)));
    for table in table_names {
        let Ok(t) = book.table_by_name(&table) else {
            continue;
        };
        if !t.columns().first().is_some_and(|c| is_header(c)) {
            continue;
        }
        if let (Some(s), Some(e)) = (t.data().start(), t.data().end()) {
            return Ok((s.0, e.0, s.1));
        }
    }
    let (height, width) = range.get_size();
    let start = range.start().unwrap_or((0, 0));
    for r in 0..height as u32 {
        for c in 0..width as u32 {
            let (row, col) = (start.0 + r, start.1 + c);
            if let Some(Data::String(s)) = range.get_value((row, col)) {
                if is_header(s) {
                    let last = range.end().map_or(row, |e| e.0);
                    return Ok((row + 1, last.max(row + 1), col));
                }
            }
        }
    }
    Err(Error::MissingNodeGroupTable {
        location: Location::sheet(name, sheet),
    })
}

/// Finds the header row holding every name in `headers` (any case) within the sheet's first ten
/// rows; returns the row and each header's column.
fn find_header(
    range: &Range<Data>,
    name: &str,
    sheet: &str,
    headers: &[&str],
) -> Result<(u32, Vec<u32>)> {
    let start = range.start().unwrap_or((0, 0));
    let end = range.end().unwrap_or((0, 0));
    for row in start.0..=end.0.min(start.0 + 9) {
        let mut cols = Vec::new();
        for wanted in headers {
            let found = (start.1..=end.1).find(|&c| {
                matches!(range.get_value((row, c)), Some(Data::String(s)) if s.trim().eq_ignore_ascii_case(wanted))
            });
            match found {
                Some(c) => cols.push(c),
                None => break,
            }
        }
        if cols.len() == headers.len() {
            return Ok((row, cols));
        }
    }
    Err(Error::MissingColumn {
        location: Location::sheet(name, sheet),
        column: headers.join(", "),
        hint: format!(
            "the {sheet} sheet needs a header row with {}",
            headers.join(", ")
        ),
    })
}

/// The rows below `header` that name an instance type (in column `col`), each type's first row
/// only: XLOOKUP returns the first match, so later rows of a type are never read.
fn first_rows(
    range: &Range<Data>,
    name: &str,
    sheet: &str,
    header: u32,
    col: u32,
) -> Result<Vec<(u32, String)>> {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for row in header + 1..=range.end().map_or(header, |e| e.0) {
        if let Some(instance_type) = text_at(range, name, sheet, row, col)? {
            if seen.insert(instance_type.to_ascii_lowercase()) {
                rows.push((row, instance_type));
            }
        }
    }
    Ok(rows)
}

/// The lookup sheets `maxENI`, `maxPods` and `CidrData` as a catalogue. As XLOOKUP returns the
/// first match, the first row of a duplicated instance type wins.
fn read_catalog_from(book: &mut Book, name: &str) -> Result<Catalog> {
    let mut catalog = Catalog::new();
    catalog.add_source(name.to_owned());

    let sheet = "maxENI";
    let range = sheet_range(
        book,
        name,
        sheet,
        "the lookup table of ENIs and IPv4 addresses per instance type",
    )?;
    let (header, cols) = find_header(&range, name, sheet, &["Type", "MaxENI", "IPv4addr"])?;
    for (row, instance_type) in first_rows(&range, name, sheet, header, cols[0])? {
        let max_enis = whole_at(
            &range,
            name,
            sheet,
            row,
            cols[1],
            "a whole number of ENIs ≥ 1",
            None,
        )?;
        let ipv4 = whole_at(
            &range,
            name,
            sheet,
            row,
            cols[2],
            "a whole number of IPv4 addresses per ENI ≥ 1",
            None,
        )?;
        for (value, col, what) in [(max_enis, cols[1], "MaxENI"), (ipv4, cols[2], "IPv4addr")] {
            if value == 0 {
                return Err(Error::InvalidNumber {
                    location: Location::cell(name, sheet, row, col),
                    found: "0".into(),
                    expected: format!("{what} ≥ 1"),
                });
            }
        }
        catalog.insert(InstanceLimits {
            max_enis: Some(max_enis),
            ipv4_per_eni: Some(ipv4),
            sources: vec![Location::cell(name, sheet, row, cols[0]).to_string()],
            ..InstanceLimits::named(instance_type)
        });
    }

    let sheet = "maxPods";
    let range = sheet_range(
        book,
        name,
        sheet,
        "the lookup table of max pods per instance type",
    )?;
    let (header, cols) = find_header(&range, name, sheet, &["instance type", "max pods"])?;
    for (row, instance_type) in first_rows(&range, name, sheet, header, cols[0])? {
        let max_pods = whole_at(
            &range,
            name,
            sheet,
            row,
            cols[1],
            "a whole number of max pods",
            None,
        )?;
        catalog.insert(InstanceLimits {
            max_pods: Some(max_pods),
            sources: vec![Location::cell(name, sheet, row, cols[0]).to_string()],
            ..InstanceLimits::named(instance_type)
        });
    }

    let sheet = "CidrData";
    let range = sheet_range(
        book,
        name,
        sheet,
        "the lookup table of addresses per subnet size",
    )?;
    let (header, cols) = find_header(&range, name, sheet, &["size", "number of ips"])?;
    let mut table = BTreeMap::new();
    for row in header + 1..=range.end().map_or(header, |e| e.0) {
        let Some(size) = number_at(&range, name, sheet, row, cols[0], "a prefix length")? else {
            continue;
        };
        let at = Location::cell(name, sheet, row, cols[0]);
        let size = whole_from_f64(size)
            .and_then(|s| u8::try_from(s).ok())
            .filter(|s| *s <= 32)
            .ok_or_else(|| Error::BadCidr {
                location: at,
                found: size.to_string(),
                reason: "a prefix length is 0 to 32".into(),
            })?;
        let ips = number_at(&range, name, sheet, row, cols[1], "a number of addresses")?
            .ok_or_else(|| Error::MissingValue {
                location: Location::cell(name, sheet, row, cols[1]),
                hint: "the number of addresses of this subnet size".into(),
            })?;
        if ips.fract() != 0.0 || !ips.is_finite() {
            return Err(Error::InvalidNumber {
                location: Location::cell(name, sheet, row, cols[1]),
                found: ips.to_string(),
                expected: "a whole number of addresses".into(),
            });
        }
        table.entry(size).or_insert(ips as i64);
    }
    catalog.set_cidr_table(table);
    Ok(catalog)
}
