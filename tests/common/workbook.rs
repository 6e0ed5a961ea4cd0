//! Builds small workbooks in the legacy `subnet-calc.xlsx` layout, in code, so that reader and
//! error tests can vary one thing at a time (a missing sheet, an error cell, a moved table).

use std::path::Path;

use rust_xlsxwriter::{Formula, Table, TableColumn, Workbook, Worksheet};

/// A cell override: sheet, 0-based row and column, and what to put there.
pub enum Cell {
    /// A number.
    Number(f64),
    /// Text.
    Text(&'static str),
    /// A formula whose cached result is a spreadsheet error such as `#N/A`.
    Error(&'static str),
    /// Nothing.
    Blank,
}

/// What to build.
pub struct LegacyBook {
    /// The calculator sheets to include.
    pub sheets: Vec<&'static str>,
    /// Node-group rows: instance type, instances, pods per node.
    pub rows: Vec<(&'static str, f64, f64)>,
    /// Blank rows left at the end of the node-group table.
    pub trailing_blank_rows: u32,
    /// Whether the node-group rows are an Excel table (else a plain header row).
    pub as_table: bool,
    /// Adds a second table with an "instance type" column below the node-group table, named so
    /// that it sorts first, to check that the legacy table name wins.
    pub decoy_table: bool,
    /// Whether to include the lookup sheets.
    pub lookup_sheets: Vec<&'static str>,
    /// Cells to set after the layout is written.
    pub overrides: Vec<(&'static str, u32, u16, Cell)>,
    /// CIDR size, warm target, host IPs, daemonset pods.
    pub inputs: (f64, f64, f64, f64),
}

impl Default for LegacyBook {
    fn default() -> Self {
        LegacyBook {
            sheets: vec!["WarmENI", "WarmIP"],
            rows: vec![("m5.12xlarge", 2.0, 100.0), ("c5.2xlarge", 1.0, 30.0)],
            trailing_blank_rows: 0,
            as_table: true,
            decoy_table: false,
            lookup_sheets: vec!["CidrData", "maxPods", "maxENI"],
            overrides: Vec::new(),
            inputs: (23.0, 1.0, 2.0, 2.0),
        }
    }
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell) {
    match cell {
        Cell::Number(n) => {
            ws.write_number(row, col, *n).expect("write number");
        }
        Cell::Text(t) => {
            ws.write_string(row, col, *t).expect("write text");
        }
        Cell::Error(e) => {
            ws.write_formula(row, col, Formula::new("=NA()").set_result(*e))
                .expect("write formula");
        }
        Cell::Blank => {
            ws.clear_cell(row, col);
        }
    }
}

impl LegacyBook {
    /// Writes the workbook to `path`.
    pub fn save(&self, path: &Path) {
        let mut wb = Workbook::new();
        for sheet in &self.sheets {
            let ws = wb.add_worksheet().set_name(*sheet).unwrap();
            let warm = if *sheet == "WarmENI" {
                "WARM_ENI_TARGET"
            } else {
                "WARM_IP_TARGET"
            };
            ws.write_string(0, 0, "EKS Subnet IP Usage Calculator")
                .unwrap();
            ws.write_string(3, 0, "Subnet CIDR Size").unwrap();
            ws.write_number(3, 1, self.inputs.0).unwrap();
            ws.write_string(4, 0, "Total Available IP Addresses")
                .unwrap();
            ws.write_string(12, 0, warm).unwrap();
            ws.write_number(12, 1, self.inputs.1).unwrap();
            ws.write_string(13, 0, "Host Networking IPs").unwrap();
            ws.write_number(13, 1, self.inputs.2).unwrap();
            ws.write_string(14, 0, "Daemonset Pods").unwrap();
            ws.write_number(14, 1, self.inputs.3).unwrap();
            let headers = [
                "instance type",
                "# of Instances",
                "Target Workload Pods per Node",
            ];
            let first_data = 22u32;
            for (i, (ty, n, p)) in self.rows.iter().enumerate() {
                let r = first_data + i as u32;
                ws.write_string(r, 0, *ty).unwrap();
                ws.write_number(r, 1, *n).unwrap();
                ws.write_number(r, 2, *p).unwrap();
            }
            let last = first_data + self.rows.len() as u32 + self.trailing_blank_rows - 1;
            if self.as_table {
                let columns: Vec<TableColumn> = headers
                    .iter()
                    .map(|h| TableColumn::new().set_header(*h))
                    .collect();
                let name = if *sheet == "WarmENI" {
                    "Table3"
                } else {
                    "Table36"
                };
                let table = Table::new().set_name(name).set_columns(&columns);
                ws.add_table(21, 0, last, 2, &table).unwrap();
                if self.decoy_table {
                    let first = last + 3;
                    ws.write_string(first + 1, 0, "t3.small").unwrap();
                    ws.write_number(first + 1, 1, 9.0).unwrap();
                    ws.write_number(first + 1, 2, 9.0).unwrap();
                    let decoy = Table::new()
                        .set_name(format!("A{}Decoy", sheet))
                        .set_columns(&columns);
                    ws.add_table(first, 0, first + 1, 2, &decoy).unwrap();
                }
            } else {
                for (c, h) in headers.iter().enumerate() {
                    ws.write_string(21, c as u16, *h).unwrap();
                }
            }
            for (s, row, col, cell) in &self.overrides {
                if s == sheet {
                    write_cell(ws, *row, *col, cell);
                }
            }
        }
        for sheet in &self.lookup_sheets {
            let ws = wb.add_worksheet().set_name(*sheet).unwrap();
            match *sheet {
                "CidrData" => {
                    ws.write_string(0, 0, "size").unwrap();
                    ws.write_string(0, 1, "number of ips").unwrap();
                    for n in 1..=30u32 {
                        ws.write_number(n, 0, n as f64).unwrap();
                        ws.write_number(n, 1, (2f64).powi(32 - n as i32) - 2.0)
                            .unwrap();
                    }
                }
                "maxPods" => {
                    ws.write_string(0, 0, "instance type").unwrap();
                    ws.write_string(0, 1, "max pods").unwrap();
                    for (r, (t, p)) in [
                        ("m5.12xlarge", 234.0),
                        ("c5.2xlarge", 58.0),
                        ("m5.large", 29.0),
                    ]
                    .iter()
                    .enumerate()
                    {
                        ws.write_string(r as u32 + 1, 0, *t).unwrap();
                        ws.write_number(r as u32 + 1, 1, *p).unwrap();
                    }
                }
                "maxENI" => {
                    for (c, h) in ["IPv4addr", "MaxENI", "Type"].iter().enumerate() {
                        ws.write_string(0, c as u16, *h).unwrap();
                    }
                    for (r, (ip, eni, t)) in [
                        (30.0, 8.0, "m5.12xlarge"),
                        (15.0, 4.0, "c5.2xlarge"),
                        (10.0, 3.0, "m5.large"),
                    ]
                    .iter()
                    .enumerate()
                    {
                        ws.write_number(r as u32 + 1, 0, *ip).unwrap();
                        ws.write_number(r as u32 + 1, 1, *eni).unwrap();
                        ws.write_string(r as u32 + 1, 2, *t).unwrap();
                    }
                }
                other => panic!("unknown lookup sheet {other}"),
            }
            for (s, row, col, cell) in &self.overrides {
                if s == sheet {
                    write_cell(ws, *row, *col, cell);
                }
            }
        }
        wb.save(path).expect("save test workbook");
    }
}
