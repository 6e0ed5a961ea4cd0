//! One calculator sheet as a scenario: its inputs, its warm target where its formulas read it,
//! its node-group rows, and the figures it shows (to check the workbook model against).

use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::evaluation::Sheet;
use crate::legacy_layout::{self as layout, NodeGroupTable};
use crate::read::xlsx::cells::{SheetCells, Value, Window};
use crate::read::xlsx::package::Visibility;
use crate::scenario::{
    CniSettings, LocatedScenario, NodeGroup, Origin, Position, Scenario, ShownFigures, Subnet,
};
use crate::text::cell_name;

use super::book::{Book, Place, shown};

/// What reading a calculator sheet gives: a scenario, or a reason to leave the sheet out.
pub(super) enum Read {
    /// The sheet's scenario.
    Scenario(Box<LocatedScenario>),
    /// A sheet with the calculator's layout but nothing to evaluate: why.
    Empty(String),
}

/// The sheet's place in its workbook.
pub(super) struct CalculatorSheet<'a> {
    pub index: usize,
    pub kind: Sheet,
    pub table: &'a NodeGroupTable,
    /// The first rows of every sheet of the workbook.
    pub windows: &'a [Option<SheetCells>],
    /// What scenario ids start with.
    pub stem: &'a str,
}

/// Reads the calculator sheet `sheet` as a scenario.
pub(super) fn read(
    book: &mut Book,
    sheet: &CalculatorSheet<'_>,
    notes: &mut Vec<String>,
) -> Result<Read> {
    let info = &book.package.sheets[sheet.index];
    let name: Arc<str> = Arc::from(info.name.as_str());
    let hidden = info.visibility != Visibility::Visible;
    let file = book.name.clone();
    let head = sheet.windows[sheet.index]
        .as_ref()
        .expect("calculators are worksheets");
    let place = Place {
        file: &file,
        sheet: &name,
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
    let warm = warm_target(book, sheet, notes)?;
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

    let (node_groups, places) = node_groups(book, sheet, &place, notes)?;
    if node_groups.is_empty() {
        return Ok(Read::Empty("the node-group table has no rows".into()));
    }
    let cni = match sheet.kind {
        Sheet::WarmEni => CniSettings {
            warm_eni_target: Some(warm),
            ..CniSettings::default()
        },
        Sheet::WarmIp => CniSettings {
            warm_ip_target: Some(warm),
            ..CniSettings::default()
        },
    };
    let figure = |at: layout::At| match head.get(at.row, at.col) {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    };
    let shown_figures = ShownFigures {
        subnet_ips: figure(layout::AVAILABLE),
        used_ips: figure(layout::USED),
        pods: figure(layout::PODS),
        remaining_ips: figure(layout::REMAINING),
    };
    Ok(Read::Scenario(Box::new(LocatedScenario {
        scenario: Scenario {
            id: format!("{}#{name}", sheet.stem).into(),
            subnets: vec![Subnet::of_size(prefix_len)],
            pod_subnets: Vec::new(),
            cni,
            host_networking_ips: host,
            daemonset_pods: daemonset,
            max_pods_rule: None,
            node_groups,
        },
        origin: Origin {
            file: Arc::from(file.as_str()),
            sheet: Some(name),
            hidden,
            shown: Some(shown_figures).filter(ShownFigures::any),
            scenario: Position::Sheet,
            node_groups: places,
        },
    })))
}

/// The node-group rows: the table's rows (blank ones skipped), or without a table the rows under
/// the header row down to the first blank row.
fn node_groups(
    book: &mut Book,
    sheet: &CalculatorSheet<'_>,
    place: &Place<'_>,
    notes: &mut Vec<String>,
) -> Result<(Vec<NodeGroup>, Vec<Position>)> {
    let table = sheet.table;
    let col = table.first_col;
    if !table.others.is_empty() {
        notes.push(format!(
            "{}: more node-group tables than one ({}, {}); {} is read, as the original's name \
             or the first",
            Location::sheet(place.file, place.sheet),
            table.name.as_deref().unwrap_or_default(),
            table.others.join(", "),
            table.name.as_deref().unwrap_or_default(),
        ));
    }
    let rows = book.cells(sheet.index, Window::columns(col, col + 2))?;
    let first = table.first_row;
    let (last, stop_at_blank) = match table.last_row {
        Some(last) => (last, false),
        None => (rows.last_row().unwrap_or(first), true),
    };
    let mut node_groups = Vec::new();
    let mut places = Vec::new();
    let mut previous = first.saturating_sub(1);
    for row in rows.rows_between(first, last) {
        if stop_at_blank && !node_groups.is_empty() && row > previous + 1 {
            notes.push(format!(
                "{}: without an Excel table, the node groups are the rows from {} to the first \
                 blank row; the rows from {} on are not read",
                Location::sheet(place.file, place.sheet),
                cell_name(first, col),
                cell_name(row, col),
            ));
            break;
        }
        previous = row;
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
            instance_type: instance_type.into(),
            instances,
            pods_per_node,
            max_pods: None,
            branch_eni_pods: 0,
        });
        places.push(Position::Cell { row, col });
    }
    // Rows typed under a table without extending it: the workbook's formulas do not count them.
    if let (Some(last), Some(end)) = (table.last_row, rows.last_row()) {
        let below = rows
            .rows_between(last.saturating_add(1), end)
            .find(|&row| (col..col + 3).any(|c| shown(rows.get(row, c)).is_some()));
        if let Some(row) = below {
            notes.push(format!(
                "{}: the rows from {} on are below the table {}, so the workbook's formulas do \
                 not count them, nor does subnet-calc (extend the table to take them in)",
                Location::sheet(place.file, place.sheet),
                cell_name(row, col),
                table.name.as_deref().unwrap_or("of node groups"),
            ));
        }
    }
    Ok((node_groups, places))
}

/// The warm target as the sheet's formulas read it: through the defined name visible from the
/// sheet, which is its own B13 in any workbook Excel or LibreOffice saved. A name that points
/// elsewhere (a copy made by a script keeps the original's) is followed, and a constant name
/// taken, each with a note; where no name can be followed the sheet's B13 is read, with a note
/// saying why.
fn warm_target(
    book: &mut Book,
    sheet: &CalculatorSheet<'_>,
    notes: &mut Vec<String>,
) -> Result<u32> {
    let own = book.package.sheets[sheet.index].name.clone();
    let here = Location::sheet(&book.name, &own);
    let label = layout::warm_target_name(sheet.kind);
    let what = format!("{label}, a whole number ≥ 0");
    let b13 = layout::WARM_TARGET;
    let read_own = |book: &Book| -> Result<u32> {
        let file = book.name.clone();
        let place = Place {
            file: &file,
            sheet: &own,
        };
        let head = sheet.windows[sheet.index].as_ref().expect("a worksheet");
        place.whole(head, b13, &what, Some(0))
    };
    let Some(name) = book.package.resolve_name(label, sheet.index).cloned() else {
        if book.package.has_name(label) {
            notes.push(format!(
                "{here}: no defined name {label} is visible from this sheet (its formulas show \
                 #NAME?, as in a copy a script made of a sheet with a local name); its B13 is read"
            ));
        }
        return read_own(book);
    };
    let refers_to = name.refers_to.trim().trim_start_matches('=').trim();
    if let Ok(constant) = refers_to.parse::<f64>() {
        let value =
            crate::read::fields::whole_from_f64(constant).ok_or_else(|| Error::InvalidNumber {
                location: here.clone(),
                found: refers_to.to_owned(),
                expected: format!("{label} (a defined name) to be {what}"),
            })?;
        notes.push(format!(
            "{here}: {label} is defined as the constant {value}, which the sheet's formulas use \
             instead of its B13"
        ));
        return Ok(value);
    }
    let Some((target_sheet, row, col)) = name.cell() else {
        notes.push(format!(
            "{here}: the defined name {label} refers to {refers_to:?}, not one cell (the sheet's \
             formulas give an error); its B13 is read"
        ));
        return read_own(book);
    };
    let Some(at) = book.sheet_index(&target_sheet) else {
        notes.push(format!(
            "{here}: the defined name {label} refers to the sheet {target_sheet:?}, which the \
             workbook does not have (#REF!); its B13 is read"
        ));
        return read_own(book);
    };
    if (at, row, col) == (sheet.index, b13.row, b13.col) {
        return read_own(book);
    }
    // Elsewhere: that cell, from the first rows already read or from its sheet.
    let in_window = row < layout::RECOGNITION_ROWS && col < layout::RECOGNITION_COLS;
    let far;
    let cells = match &sheet.windows[at] {
        Some(cells) if in_window => cells,
        _ => {
            far = book.cells(
                at,
                Window {
                    last_row: row,
                    cols: (col, col),
                },
            )?;
            &far
        }
    };
    let target_name = book.package.sheets[at].name.clone();
    let file = book.name.clone();
    let place = Place {
        file: &file,
        sheet: &target_name,
    };
    let value = place.whole(cells, layout::At { row, col }, &what, Some(0))?;
    let own_value = sheet.windows[sheet.index]
        .as_ref()
        .and_then(|c| c.get(b13.row, b13.col))
        .and_then(|v| shown(Some(v)))
        .unwrap_or_else(|| "blank".into());
    notes.push(format!(
        "{here}: the sheet's formulas read {label} from {target_name}!{} ({value}), not from its \
         own B13 ({own_value}); evaluated as the workbook computes it",
        cell_name(row, col),
    ));
    Ok(value)
}
