//! The legacy workbook reader on workbooks built in code: table detection, any number of rows,
//! blank rows, and every way a workbook can be wrong.

mod common;

use common::WorkDir;
use common::workbook::{Cell, LegacyBook};
use subnet_calc::read::legacy_xlsx;

fn read(book: &LegacyBook) -> Result<legacy_xlsx::LegacyWorkbook, String> {
    let dir = WorkDir::new();
    let path = dir.join("team.xlsx");
    book.save(&path);
    legacy_xlsx::read_bytes("team.xlsx", std::fs::read(&path).unwrap()).map_err(|e| e.to_string())
}

#[test]
fn any_number_of_rows_and_trailing_blank_rows() {
    let book = LegacyBook {
        rows: vec![
            ("m5.large", 1.0, 5.0),
            ("m5.large", 2.0, 6.0),
            ("c5.2xlarge", 3.0, 7.0),
            ("m5.12xlarge", 4.0, 8.0),
            ("m5.large", 5.0, 9.0),
        ],
        trailing_blank_rows: 3,
        ..LegacyBook::default()
    };
    let wb = read(&book).unwrap();
    assert_eq!(wb.scenarios.len(), 2);
    let s = &wb.scenarios[0].scenario;
    assert_eq!(&*s.id, "team#WarmENI");
    assert_eq!(s.node_groups.len(), 5);
    assert_eq!(s.node_groups[4].instances, 5);
    assert_eq!(s.node_groups[4].pods_per_node, 9);
}

#[test]
fn the_legacy_table_name_wins_over_other_tables() {
    let wb = read(&LegacyBook {
        decoy_table: true,
        ..LegacyBook::default()
    })
    .unwrap();
    for s in &wb.scenarios {
        let groups: Vec<_> = s
            .scenario
            .node_groups
            .iter()
            .map(|g| g.instance_type.to_string())
            .collect();
        assert_eq!(groups, ["m5.12xlarge", "c5.2xlarge"], "{}", s.scenario.id);
    }
}

#[test]
fn without_a_table_the_header_row_is_found() {
    let wb = read(&LegacyBook {
        as_table: false,
        trailing_blank_rows: 0,
        ..LegacyBook::default()
    })
    .unwrap();
    let groups: Vec<_> = wb.scenarios[1]
        .scenario
        .node_groups
        .iter()
        .map(|g| g.instance_type.to_string())
        .collect();
    assert_eq!(groups, ["m5.12xlarge", "c5.2xlarge"]);
}

#[test]
fn one_calculator_sheet_is_enough() {
    let wb = read(&LegacyBook {
        sheets: vec!["WarmIP"],
        ..LegacyBook::default()
    })
    .unwrap();
    assert_eq!(wb.scenarios.len(), 1);
    assert_eq!(wb.scenarios[0].scenario.cni.warm_ip_target, Some(1));
}

#[test]
fn blank_inputs_read_as_zero_like_the_formulas() {
    let book = LegacyBook {
        overrides: vec![
            ("WarmENI", 12, 1, Cell::Blank),
            ("WarmENI", 13, 1, Cell::Blank),
        ],
        ..LegacyBook::default()
    };
    let s = read(&book).unwrap().scenarios[0].scenario.clone();
    assert_eq!(s.cni.warm_eni_target, Some(0));
    assert_eq!(s.host_networking_ips, 0);
}

#[test]
fn a_missing_lookup_sheet_is_named() {
    let e = read(&LegacyBook {
        lookup_sheets: vec!["CidrData", "maxPods"],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(e.starts_with("team.xlsx: missing sheet \"maxENI\""), "{e}");
}

#[test]
fn a_lookup_sheet_without_its_headers_names_the_ones_it_lacks() {
    // maxPods's "max pods" header renamed: its row has the other one.
    let e = read(&LegacyBook {
        overrides: vec![("maxPods", 0, 1, Cell::Text("pods"))],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with(
            "team.xlsx:maxPods: missing required column \"max pods\" (the maxPods sheet needs a \
             header row with instance type, max pods, within its first ten rows)"
        ),
        "{e}"
    );
    // No header row at all: every column is named.
    let e = read(&LegacyBook {
        overrides: vec![
            ("maxENI", 0, 0, Cell::Blank),
            ("maxENI", 0, 1, Cell::Blank),
            ("maxENI", 0, 2, Cell::Blank),
        ],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with(
            "team.xlsx:maxENI: missing required columns \"IPv4addr\", \"MaxENI\" and \"Type\""
        ),
        "{e}"
    );
}

#[test]
fn no_calculator_sheet_is_an_error() {
    let e = read(&LegacyBook {
        sheets: vec![],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with(
            "team.xlsx: no calculator sheet among the sheets \"CidrData\", \"maxPods\", \"maxENI\""
        ),
        "{e}"
    );
}

#[test]
fn an_error_cell_names_sheet_and_cell() {
    let e = read(&LegacyBook {
        overrides: vec![("WarmENI", 3, 1, Cell::Error("#N/A"))],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with("team.xlsx:WarmENI!B4: the cell holds the error #N/A"),
        "{e}"
    );
}

#[test]
fn a_non_numeric_input_names_sheet_and_cell() {
    let e = read(&LegacyBook {
        overrides: vec![("WarmIP", 13, 1, Cell::Text("two"))],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with("team.xlsx:WarmIP!B14: invalid number \"two\""),
        "{e}"
    );
    let e = read(&LegacyBook {
        overrides: vec![("WarmENI", 23, 2, Cell::Number(2.5))],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with("team.xlsx:WarmENI!C24: invalid number \"2.5\""),
        "{e}"
    );
}

#[test]
fn a_row_without_instance_type_is_an_error() {
    let e = read(&LegacyBook {
        overrides: vec![("WarmENI", 22, 0, Cell::Blank)],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(e.starts_with("team.xlsx:WarmENI!A23: missing value"), "{e}");
}

#[test]
fn a_moved_layout_is_reported_not_misread() {
    // WarmENI's A4 no longer says "Subnet CIDR Size": its B4 is not read as one; the sheet is
    // reported, and WarmIP is still read.
    let wb = read(&LegacyBook {
        overrides: vec![("WarmENI", 3, 0, Cell::Text("Region"))],
        ..LegacyBook::default()
    })
    .unwrap();
    assert_eq!(wb.scenarios.len(), 1);
    assert_eq!(&*wb.scenarios[0].scenario.id, "team#WarmIP");
    assert_eq!(
        wb.near_misses[0].to_string(),
        "team.xlsx:WarmENI: looks like a calculator sheet but was not read: no label \"Subnet CIDR Size\" in A4"
    );
}

#[test]
fn a_bad_lookup_value_names_its_cell() {
    let e = read(&LegacyBook {
        overrides: vec![("maxENI", 2, 1, Cell::Text("four"))],
        ..LegacyBook::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with("team.xlsx:maxENI!B3: invalid number \"four\""),
        "{e}"
    );
}

#[test]
fn a_workbook_used_as_a_catalogue_names_every_bad_lookup_row() {
    let dir = WorkDir::new();
    let path = dir.join("team.xlsx");
    LegacyBook {
        overrides: vec![
            ("maxENI", 2, 1, Cell::Text("four")),
            ("maxENI", 3, 0, Cell::Text("ten")),
            ("maxPods", 1, 1, Cell::Text("many")),
        ],
        ..LegacyBook::default()
    }
    .save(&path);
    let faults = subnet_calc::read::catalog_files::read_bytes_all(
        "team.xlsx",
        std::fs::read(&path).unwrap(),
        &subnet_calc::read::ReadLimits::default(),
    )
    .unwrap_err();
    let faults: Vec<String> = faults.iter().map(ToString::to_string).collect();
    let cells: Vec<&str> = faults
        .iter()
        .map(|f| f.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        cells,
        [
            "team.xlsx:maxENI!B3",
            "team.xlsx:maxENI!A4",
            "team.xlsx:maxPods!B2"
        ],
        "{faults:#?}"
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused() {
    let e = legacy_xlsx::read_bytes("x.xlsx", b"PK\x03\x04 not really".to_vec())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("x.xlsx: not a readable xlsx workbook"), "{e}");
}
