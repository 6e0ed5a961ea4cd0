//! The layout of the legacy `subnet-calc.xlsx` workbook, described once for the reader
//! ([`crate::read::legacy_xlsx`]) and the exporter ([`crate::write::legacy_export`]).
//!
//! A calculator sheet (today's `WarmENI` and `WarmIP`, the May-2022 version's `instance-based`,
//! and any copy or renamed sheet) has:
//!
//! | cell | label in column A | holds |
//! |---|---|---|
//! | B4 | Subnet CIDR Size | the subnet's prefix length (input) |
//! | B5 | Total Available IP Addresses | XLOOKUP into the CidrData table |
//! | B8 | Number of IPs Used | SUM of the node-group table's IPs Total |
//! | B9 | Number of Pods Hosted | SUM of its Pods Total |
//! | B10 | # of Subnet IPs Remaining | B5 − B8 |
//! | B13 | WARM_ENI_TARGET or WARM_IP_TARGET | the warm target (input; the defined name of that label points here) |
//! | B14 | Host Networking IPs | input |
//! | B15 | Daemonset Pods | input, read by no formula |
//!
//! and a node-group table whose header row (row 22) starts with [`INPUT_HEADERS`] followed by
//! the sheet's calculated columns ([`computed_headers`]). Three lookup sheets hold the tables the
//! formulas look into ([`LOOKUPS`]). A sheet is recognised as a calculator by these labels and
//! that table ([`recognise`]), whatever its name; WarmENI and WarmIP are told apart by the label
//! of A13 and by the table's columns.

use crate::evaluation::Sheet;
use crate::text::cell_name;

/// A cell of the layout, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
}

const fn at(row: u32, col: u32) -> At {
    At { row, col }
}

impl At {
    /// The A1-style name, e.g. `B4`.
    pub fn name(self) -> String {
        cell_name(self.row, self.col)
    }
}

/// B4: the subnet CIDR size.
pub const CIDR: At = at(3, 1);
/// B5: Total Available IP Addresses.
pub const AVAILABLE: At = at(4, 1);
/// B8: Number of IPs Used.
pub const USED: At = at(7, 1);
/// B9: Number of Pods Hosted.
pub const PODS: At = at(8, 1);
/// B10: # of Subnet IPs Remaining.
pub const REMAINING: At = at(9, 1);
/// B13: the warm target.
pub const WARM_TARGET: At = at(12, 1);
/// B14: Host Networking IPs.
pub const HOST_NETWORKING: At = at(13, 1);
/// B15: Daemonset Pods.
pub const DAEMONSET: At = at(14, 1);

/// The 0-based row of the node-group table's header (row 22).
pub const TABLE_HEADER_ROW: u32 = 21;

/// The title in A1.
pub const TITLE: &str = "EKS Subnet IP Usage Calculator";

/// A label of column A: where it is, the text the original has, and what identifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// The label's cell (column A).
    pub at: At,
    /// The original's text.
    pub text: &'static str,
    /// A part of the text, any case, that identifies the label when it has been reworded.
    pub needle: &'static str,
}

/// The labels of the input cells that every calculator sheet has, the warm target's aside.
pub const INPUT_LABELS: [Label; 3] = [
    Label {
        at: at(3, 0),
        text: "Subnet CIDR Size",
        needle: "cidr",
    },
    Label {
        at: at(13, 0),
        text: "Host Networking IPs",
        needle: "host networking",
    },
    Label {
        at: at(14, 0),
        text: "Daemonset Pods",
        needle: "daemonset",
    },
];

/// The label of B13 on a sheet of `kind`: `WARM_ENI_TARGET` or `WARM_IP_TARGET`, which is also
/// the defined name pointing at B13.
pub fn warm_label(kind: Sheet) -> Label {
    let text = warm_target_name(kind);
    Label {
        at: at(12, 0),
        text,
        needle: text,
    }
}

/// The section headings and captions of a calculator sheet, which the reader does not need and
/// the exporter writes as the original has them.
pub const CAPTIONS: [(At, &str); 5] = [
    (
        at(1, 0),
        "This tool calculates the number of IP addresses consumed by ENIs in an EKS cluster \
         based on the comprising EC2 instances. Input fields are highlighted in blue",
    ),
    (at(2, 0), "Subnet Information:"),
    (at(6, 0), "Calculation Results:"),
    (at(11, 0), "Cluster Configuration:"),
    (at(20, 4), "PI (Per Instance)"),
];

/// The "Unsupported Configurations:" list under A17, per sheet.
pub fn unsupported_list(kind: Sheet) -> (At, [&'static str; 4]) {
    let other = match kind {
        Sheet::WarmEni => "WARM_IP_TARGET",
        Sheet::WarmIp => "WARM_ENI_TARGET",
    };
    let list = match kind {
        Sheet::WarmEni => [
            "Unsupported Configurations:",
            other,
            "MINIMUM_IP_TARGET",
            "Prefix Delegation",
        ],
        Sheet::WarmIp => [
            "Unsupported Configurations:",
            "MINIMUM_IP_TARGET",
            other,
            "Prefix Delegation",
        ],
    };
    (at(16, 0), list)
}

/// The labels and formulas of the output cells, as the exporter writes them: (label cell,
/// label, value cell).
pub const OUTPUT_LABELS: [(At, &str, At); 4] = [
    (at(4, 0), "Total Available IP Addresses", AVAILABLE),
    (at(7, 0), "Number of IPs Used", USED),
    (at(8, 0), "Number of Pods Hosted", PODS),
    (at(9, 0), "# of Subnet IPs Remaining", REMAINING),
];

/// The input columns of the node-group table, A to C.
pub const INPUT_HEADERS: [&str; 3] = [
    "instance type",
    "# of Instances",
    "Target Workload Pods per Node",
];

/// The name of the node-group table on the original's calculator sheets (a copy's table gets
/// another name, `Table37`…; the reader finds a sheet's table by its columns).
pub fn table_name(kind: Sheet) -> &'static str {
    match kind {
        Sheet::WarmEni => "Table3",
        Sheet::WarmIp => "Table36",
    }
}

/// The defined name of a calculator sheet's warm target (its cell B13).
pub fn warm_target_name(kind: Sheet) -> &'static str {
    match kind {
        Sheet::WarmEni => "WARM_ENI_TARGET",
        Sheet::WarmIp => "WARM_IP_TARGET",
    }
}

/// The sheet's calculated column headers from D on, in sheet order.
pub fn computed_headers(kind: Sheet) -> &'static [&'static str] {
    match kind {
        Sheet::WarmEni => &[
            "Max ENIs per Instance (PI)",
            "IPs per ENI PI",
            "Max Pods PI",
            "Max IPv4 PI",
            "Raw ENIs needed PI",
            "in use ENIs PI",
            "with warm ENI PI",
            "Actual IPs PI",
            "Used IPs PI",
            "Total Pods PI",
            "IPs Total",
            "Pods Total",
        ],
        Sheet::WarmIp => &[
            "Max ENIs per Instance (PI)",
            "IPs per ENI PI",
            "Max Pods PI",
            "Max IPv4 PI",
            "Raw ENIs needed PI",
            "in use ENIs PI",
            "Actual IPs PI",
            "Used IPs PI",
            "Warm ENIs Needed",
            "in use ENIs PI -",
            "Actual IPs PI -",
            "Used IPs PI -",
            "Total Pods",
            "IPs Total",
        ],
    }
}

/// The column that only a sheet of each kind has, which tells the two apart.
fn distinctive_header(kind: Sheet) -> &'static str {
    match kind {
        Sheet::WarmEni => "with warm ENI PI",
        Sheet::WarmIp => "Warm ENIs Needed",
    }
}

/// The table column summed into B9.
pub fn pods_total_header(kind: Sheet) -> &'static str {
    match kind {
        Sheet::WarmEni => "Pods Total",
        Sheet::WarmIp => "Total Pods",
    }
}

/// The original's calculated column formulas of the node-group table named `table`, columns D
/// on, in the order of [`computed_headers`], without the leading `=`.
pub fn column_formulas(kind: Sheet, table: &str) -> Vec<String> {
    let t = table;
    let this = |column: &str| format!("{t}[[#This Row],[{column}]]");
    let pods = this("Target Workload Pods per Node");
    let instances = this("'# of Instances");
    let ips_per_eni = this("IPs per ENI PI");
    let lookup = |table: &LookupTable, key: &str, value: &str| {
        format!(
            "_xlfn.XLOOKUP({},{}[{key}],{}[{value}])",
            this("instance type"),
            table.table,
            table.table
        )
    };
    let mut formulas = vec![
        lookup(&MAX_ENI, "Type", "MaxENI"),
        lookup(&MAX_ENI, "Type", "IPv4addr"),
        lookup(&MAX_PODS, "instance type", "max pods"),
        format!("{}*{ips_per_eni}", this("Max ENIs per Instance (PI)")),
        format!("{pods}/{ips_per_eni}"),
        format!("_xlfn.CEILING.MATH({pods}/{ips_per_eni})"),
    ];
    let host = format!(
        "${}${}",
        column_letter(HOST_NETWORKING.col),
        HOST_NETWORKING.row + 1
    );
    match kind {
        Sheet::WarmEni => formulas.extend([
            format!("{}+WARM_ENI_TARGET", this("in use ENIs PI")),
            format!("{pods}+{host}"),
            format!("{}*{ips_per_eni}+{host}", this("with warm ENI PI")),
            format!("{pods}*{instances}"),
            format!("{}*{instances}", this("Used IPs PI")),
            format!("{pods}*{instances}"),
        ]),
        Sheet::WarmIp => formulas.extend([
            format!("{pods}+{host}"),
            format!("{}*{ips_per_eni}+{host}", this("in use ENIs PI")),
            format!(
                "IF(({}-{})<WARM_IP_TARGET,1,0)",
                this("Used IPs PI"),
                this("Actual IPs PI")
            ),
            format!("{}+{}", this("in use ENIs PI"), this("Warm ENIs Needed")),
            this("Actual IPs PI"),
            format!("{}*{ips_per_eni}", this("in use ENIs PI -")),
            format!("{pods}*{instances}"),
            format!("{}*{instances}", this("Used IPs PI")),
        ]),
    }
    formulas
}

fn column_letter(col: u32) -> String {
    crate::text::column_letters(col)
}

/// The summary formulas of B5, B8, B9 and B10 for a sheet whose node-group table is `table`.
pub fn summary_formulas(kind: Sheet, table: &str) -> [String; 4] {
    [
        format!(
            "_xlfn.XLOOKUP({},{}[size],{}[number of ips])",
            CIDR.name(),
            CIDR_DATA.table,
            CIDR_DATA.table
        ),
        format!("SUM({table}[IPs Total])"),
        format!("SUM({table}[{}])", pods_total_header(kind)),
        format!("{}-{}", AVAILABLE.name(), USED.name()),
    ]
}

/// A lookup sheet: its name, the name of its table, and the table's headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupTable {
    /// The sheet's name in the original.
    pub sheet: &'static str,
    /// The table's name, which the calculator sheets' formulas use.
    pub table: &'static str,
    /// The table's column headers.
    pub headers: &'static [&'static str],
}

/// `maxENI` (`Table1`): IPv4 addresses per ENI, max ENIs, instance type.
pub const MAX_ENI: LookupTable = LookupTable {
    sheet: "maxENI",
    table: "Table1",
    headers: &["IPv4addr", "MaxENI", "Type"],
};

/// `maxPods` (`Table2`): instance type, max pods.
pub const MAX_PODS: LookupTable = LookupTable {
    sheet: "maxPods",
    table: "Table2",
    headers: &["instance type", "max pods"],
};

/// `CidrData` (`Table4`): prefix length, the number of addresses the sheet counts.
pub const CIDR_DATA: LookupTable = LookupTable {
    sheet: "CidrData",
    table: "Table4",
    headers: &["size", "number of ips"],
};

/// The lookup sheets in the original's tab order.
pub const LOOKUPS: [LookupTable; 3] = [CIDR_DATA, MAX_PODS, MAX_ENI];

/// Two texts equal as a spreadsheet user sees them: any case, blanks around ignored.
pub fn same_text(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn contains_text(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// Where a sheet's node-group table is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeGroupTable {
    /// The Excel table's name, when the rows are one.
    pub name: Option<String>,
    /// The first data row (0-based): below the header row, or a header-less table's first row.
    pub first_row: u32,
    /// The column of "instance type" (0-based).
    pub first_col: u32,
    /// The last data row: the table's, or `None` for rows under a header row (no table).
    pub last_row: Option<u32>,
    /// The header texts from "instance type" on.
    pub headers: Vec<String>,
    /// Other tables of the sheet that look like node-group tables too, and are not read.
    pub others: Vec<String>,
}

impl NodeGroupTable {
    fn kind(&self) -> Option<Sheet> {
        [Sheet::WarmEni, Sheet::WarmIp].into_iter().find(|&k| {
            self.headers
                .iter()
                .any(|h| same_text(h, distinctive_header(k)))
        })
    }
}

/// What a sheet is, by its layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognition {
    /// A calculator sheet of this kind.
    Calculator {
        /// WarmENI or WarmIP.
        kind: Sheet,
        /// Its node-group table.
        table: NodeGroupTable,
    },
    /// Not a calculator, but close enough that leaving it out must be said: what is missing.
    NearMiss(Vec<String>),
    /// Some other sheet (a lookup sheet, notes).
    Other,
}

/// The rows of a sheet looked at to recognise it (labels, the table's header row).
pub const RECOGNITION_ROWS: u32 = 60;
/// The columns looked at (the widest table, WarmIP's, ends at Q).
pub const RECOGNITION_COLS: u32 = 26;

/// An Excel table of the sheet, as [`recognise`] needs it.
#[derive(Debug, Clone, Copy)]
pub struct TableShape<'a> {
    /// Its name.
    pub name: &'a str,
    /// First data row (0-based; the row under the header, or the first row without one).
    pub first_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last data row.
    pub last_row: u32,
    /// Column names.
    pub columns: &'a [String],
}

/// Whether `headers` start with the node-group table's input columns.
fn starts_like_node_groups<S: AsRef<str>>(headers: &[S]) -> bool {
    headers.len() >= 3
        && headers
            .iter()
            .zip(INPUT_HEADERS)
            .all(|(h, want)| same_text(h.as_ref(), want))
}

/// Recognises a sheet from the text of its cells (`text(row, col)`, numbers rendered) within
/// the first [`RECOGNITION_ROWS`] rows and its Excel tables.
pub fn recognise(
    text: &dyn Fn(u32, u32) -> Option<String>,
    tables: &[TableShape<'_>],
) -> Recognition {
    let label_at = |label: &Label| {
        text(label.at.row, label.at.col).is_some_and(|t| contains_text(&t, label.needle))
    };
    // Where a label is, when not at its cell: column A, the first rows.
    let label_moved = |label: &Label| {
        (0..RECOGNITION_ROWS)
            .filter(|&r| r != label.at.row)
            .find(|&r| text(r, 0).is_some_and(|t| contains_text(&t, label.needle)))
    };

    let table = node_group_table(text, tables);
    let a13 = text(12, 0).unwrap_or_default();
    let label_kind = [Sheet::WarmEni, Sheet::WarmIp]
        .into_iter()
        .find(|&k| contains_text(&a13, warm_target_name(k)));

    let mut missing = Vec::new();
    let mut signals = 0;
    if (0..3).any(|r| text(r, 0).is_some_and(|t| contains_text(&t, "subnet ip usage calculator"))) {
        signals += 1;
    }
    for label in &INPUT_LABELS {
        if label_at(label) {
            signals += 1;
        } else if let Some(row) = label_moved(label) {
            signals += 1;
            missing.push(format!(
                "the label {:?} is at A{} instead of {}",
                label.text,
                row + 1,
                label.at.name()
            ));
        } else {
            missing.push(format!("no label {:?} in {}", label.text, label.at.name()));
        }
    }
    match label_kind {
        Some(_) => signals += 1,
        None => {
            let moved = (0..RECOGNITION_ROWS).filter(|&r| r != 12).find(|&r| {
                text(r, 0).is_some_and(|t| {
                    let t = t.trim();
                    same_text(t, "WARM_ENI_TARGET") || same_text(t, "WARM_IP_TARGET")
                })
            });
            match moved {
                // The original lists the other target under "Unsupported Configurations" (A18):
                // only a label followed by a value counts as moved.
                Some(row) if text(row, 1).is_some() => {
                    signals += 1;
                    missing.push(format!(
                        "the warm-target label is at A{} instead of A13",
                        row + 1
                    ));
                }
                _ => missing.push("no WARM_ENI_TARGET or WARM_IP_TARGET label in A13".into()),
            }
        }
    }
    let table_kind = table.as_ref().and_then(NodeGroupTable::kind);
    match &table {
        // The calculator's full table, computed columns and all, is a strong sign by itself.
        Some(_) if table_kind.is_some() => signals += 2,
        Some(_) => signals += 1,
        None => missing.push(format!(
            "no node-group table (an Excel table or a header row starting {:?}, {:?}, {:?})",
            INPUT_HEADERS[0], INPUT_HEADERS[1], INPUT_HEADERS[2]
        )),
    }
    if let (Some(label), Some(columns)) = (label_kind, table_kind)
        && label != columns
    {
        missing.push(format!(
            "A13 says {} but the node-group table has the {} sheet's columns",
            warm_target_name(label),
            columns.name()
        ));
    }
    match (missing.is_empty(), table, label_kind) {
        (true, Some(table), Some(kind)) => Recognition::Calculator { kind, table },
        _ if signals >= 2 => Recognition::NearMiss(missing),
        _ => Recognition::Other,
    }
}

/// The node-group table: an Excel table of the sheet whose columns start with the input
/// headers (the original's name first), else a header row of those headers.
fn node_group_table(
    text: &dyn Fn(u32, u32) -> Option<String>,
    tables: &[TableShape<'_>],
) -> Option<NodeGroupTable> {
    let mut candidates: Vec<&TableShape<'_>> = tables
        .iter()
        .filter(|t| starts_like_node_groups(t.columns))
        .collect();
    candidates.sort_by_key(|t| {
        !(same_text(t.name, table_name(Sheet::WarmEni))
            || same_text(t.name, table_name(Sheet::WarmIp)))
    });
    if let Some((t, others)) = candidates.split_first() {
        return Some(NodeGroupTable {
            name: Some(t.name.to_owned()),
            first_row: t.first_row,
            first_col: t.first_col,
            last_row: Some(t.last_row),
            headers: t.columns.to_vec(),
            others: others.iter().map(|o| o.name.to_owned()).collect(),
        });
    }
    for row in 0..RECOGNITION_ROWS {
        for col in 0..RECOGNITION_COLS {
            let headers: Vec<String> = (col..RECOGNITION_COLS)
                .map_while(|c| text(row, c))
                .collect();
            if starts_like_node_groups(&headers) {
                return Some(NodeGroupTable {
                    name: None,
                    first_row: row + 1,
                    first_col: col,
                    last_row: None,
                    headers,
                    others: Vec::new(),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn sheet(kind: Sheet) -> HashMap<(u32, u32), String> {
        let mut cells = HashMap::new();
        cells.insert((0, 0), TITLE.to_owned());
        for label in INPUT_LABELS.iter().chain([&warm_label(kind)]) {
            cells.insert((label.at.row, label.at.col), label.text.to_owned());
        }
        for (i, h) in INPUT_HEADERS
            .iter()
            .chain(computed_headers(kind))
            .enumerate()
        {
            cells.insert((TABLE_HEADER_ROW, i as u32), (*h).to_owned());
        }
        cells
    }

    fn run(cells: &HashMap<(u32, u32), String>) -> Recognition {
        recognise(&|r, c| cells.get(&(r, c)).cloned(), &[])
    }

    #[test]
    fn both_calculators_are_recognised_by_labels_and_columns() {
        for kind in [Sheet::WarmEni, Sheet::WarmIp] {
            match run(&sheet(kind)) {
                Recognition::Calculator { kind: k, table } => {
                    assert_eq!(k, kind);
                    assert_eq!(
                        (table.first_row, table.first_col),
                        (TABLE_HEADER_ROW + 1, 0)
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_sheet_with_moved_labels_is_a_near_miss_that_says_what_moved() {
        let mut cells = sheet(Sheet::WarmEni);
        let label = cells.remove(&(3, 0)).unwrap();
        cells.insert((4, 0), label);
        let Recognition::NearMiss(missing) = run(&cells) else {
            panic!()
        };
        assert_eq!(
            missing,
            ["the label \"Subnet CIDR Size\" is at A5 instead of A4"]
        );
    }

    #[test]
    fn labels_that_disagree_with_the_columns_are_a_near_miss() {
        let mut cells = sheet(Sheet::WarmIp);
        cells.insert((12, 0), "WARM_ENI_TARGET".into());
        let Recognition::NearMiss(missing) = run(&cells) else {
            panic!()
        };
        assert!(
            missing[0].contains("A13 says WARM_ENI_TARGET but"),
            "{missing:?}"
        );
    }

    #[test]
    fn lookup_and_note_sheets_are_other() {
        let mut cells = HashMap::new();
        cells.insert((0, 0), "instance type".to_owned());
        cells.insert((0, 1), "max pods".to_owned());
        assert_eq!(run(&cells), Recognition::Other);
        assert_eq!(run(&HashMap::new()), Recognition::Other);
    }

    #[test]
    fn the_full_table_without_labels_is_a_near_miss_but_input_columns_alone_are_not() {
        let mut cells = sheet(Sheet::WarmEni);
        for r in 0..20 {
            cells.remove(&(r, 0));
        }
        assert!(matches!(run(&cells), Recognition::NearMiss(_)));
        for c in 3..20 {
            cells.remove(&(TABLE_HEADER_ROW, c));
        }
        assert_eq!(run(&cells), Recognition::Other);
    }
}
