//! Legacy workbooks as teams really hold them, built in code: every calculator sheet is read
//! whatever its name (copies with their own tables and names, renamed and hidden sheets, the
//! May-2022 `instance-based` sheet), near misses are reported, LibreOffice's saves are read, and
//! inputs typed as text or formulas are read as the workbook reads them. The numbers are checked
//! against the workbook's own formulas as LibreOffice computes them, and against the oracle.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::libreoffice::{resave, soffice_with_xlookup};
use common::oracle::{self, close};
use common::variants::{Calc, Input, Lookups, Variants, rewrite_part, table_part};
use common::{WorkDir, number};
use subnet_calc::engine::workbook;
use subnet_calc::evaluation::Sheet;
use subnet_calc::read::legacy_xlsx::{self, LegacyWorkbook};

const SHIPPED: [(&str, f64, f64); 2] = [("m5.12xlarge", 2.0, 100.0), ("c5.2xlarge", 1.0, 30.0)];

fn read(dir: &WorkDir, book: &Variants, name: &str) -> Result<LegacyWorkbook, String> {
    let path = dir.join(name);
    book.save(&path);
    legacy_xlsx::read_bytes(name, std::fs::read(&path).unwrap()).map_err(|e| e.to_string())
}

fn ids(wb: &LegacyWorkbook) -> Vec<&str> {
    wb.scenarios.iter().map(|s| &*s.scenario.id).collect()
}

/// The workbook model's (available, used, pods, remaining) for scenario `i`.
fn numbers(wb: &LegacyWorkbook, i: usize) -> (i64, i64, i64, i64) {
    let r = workbook::evaluate(&wb.scenarios[i].scenario, &wb.catalog).unwrap();
    (r.subnet_ips, r.used_ips, r.pods, r.remaining_ips)
}

fn copy_of(name: &str, kind: Sheet, table: &str, warm: f64) -> Calc {
    Calc {
        table: Some(table.to_owned()),
        local_name: true,
        ..Calc::new(name, kind, [23.0, warm, 2.0, 2.0], &SHIPPED)
    }
}

#[test]
fn every_calculator_sheet_is_read_whatever_its_name() {
    let dir = WorkDir::new();
    let mut hidden = copy_of("old draft", Sheet::WarmEni, "Table40", 1.0);
    hidden.hidden = true;
    let book = Variants {
        calcs: vec![
            Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &SHIPPED),
            Calc {
                local_name: true,
                ..Calc::new("WarmIP", Sheet::WarmIp, [23.0, 1.0, 2.0, 2.0], &SHIPPED)
            },
            copy_of("WarmENI (2)", Sheet::WarmEni, "Table37", 3.0),
            copy_of("prod WarmIP", Sheet::WarmIp, "Table38", 5.0),
            copy_of("payments-prod", Sheet::WarmEni, "Table39", 2.0),
            copy_of("Cluster A - warm ENI", Sheet::WarmEni, "Table41", 0.0),
            hidden,
        ],
        others: vec![(
            "Notes".into(),
            vec![(0, 0, "Who owns which cluster".into())],
        )],
        global_names: vec![("WARM_ENI_TARGET".into(), "=WarmENI!$B$13".into())],
        ..Variants::default()
    };
    let wb = read(&dir, &book, "team.xlsx").unwrap();
    assert_eq!(
        ids(&wb),
        [
            "team#WarmENI",
            "team#WarmIP",
            "team#WarmENI (2)",
            "team#prod WarmIP",
            "team#payments-prod",
            "team#Cluster A - warm ENI",
            "team#old draft"
        ]
    );
    let warm: Vec<(Option<u32>, Option<u32>)> = wb
        .scenarios
        .iter()
        .map(|s| {
            (
                s.scenario.cni.warm_eni_target,
                s.scenario.cni.warm_ip_target,
            )
        })
        .collect();
    assert_eq!(
        warm,
        [
            (Some(1), None),
            (None, Some(1)),
            (Some(3), None),
            (None, Some(5)),
            (Some(2), None),
            (Some(0), None),
            (Some(1), None)
        ],
        "each copy reads its own WARM_*_TARGET"
    );
    let hidden: Vec<bool> = wb.scenarios.iter().map(|s| s.origin.hidden).collect();
    assert_eq!(hidden, [false, false, false, false, false, false, true]);
    assert!(
        wb.near_misses.is_empty() && wb.notes.is_empty(),
        "{:?} {:?}",
        wb.near_misses,
        wb.notes
    );
    // The shipped example on both sheets: 351/230/159 and 276/230/234.
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
    assert_eq!(numbers(&wb, 1), (510, 276, 230, 234));
    // WARM_ENI_TARGET 3 on the copy: two more ENIs of 30 and 15 addresses per node.
    assert_eq!(
        numbers(&wb, 2),
        (510, 351 + 2 * (2 * 30 + 15), 230, 159 - 2 * 75)
    );
}

#[test]
fn a_copy_made_by_a_script_follows_the_name_its_formulas_read() {
    // openpyxl's copy_worksheet copies no defined name: the copy's formulas still read the
    // workbook's WARM_ENI_TARGET, i.e. WarmENI!B13, whatever the copy's own B13 says.
    let dir = WorkDir::new();
    let book = Variants {
        calcs: vec![
            Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &SHIPPED),
            Calc {
                table: Some("Table5".into()),
                ..Calc::new(
                    "Copy of WarmENI",
                    Sheet::WarmEni,
                    [23.0, 4.0, 2.0, 2.0],
                    &SHIPPED,
                )
            },
        ],
        global_names: vec![("WARM_ENI_TARGET".into(), "=WarmENI!$B$13".into())],
        ..Variants::default()
    };
    let wb = read(&dir, &book, "scripted.xlsx").unwrap();
    assert_eq!(wb.scenarios[1].scenario.cni.warm_eni_target, Some(1));
    assert_eq!(wb.notes.len(), 1, "{:?}", wb.notes);
    assert!(
        wb.notes[0].starts_with("scripted.xlsx:Copy of WarmENI: the sheet's formulas read WARM_ENI_TARGET from WarmENI!B13 (1), not from its own B13 (4)"),
        "{}",
        wb.notes[0]
    );
}

#[test]
fn the_may_2022_instance_based_workbook_is_a_warm_eni_calculator() {
    let dir = WorkDir::new();
    let book = Variants {
        calcs: vec![Calc::new(
            "instance-based",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        global_names: vec![("WARM_ENI_TARGET".into(), "='instance-based'!$B$13".into())],
        ..Variants::default()
    };
    let wb = read(&dir, &book, "subnet-calc-13MAY2022.xlsx").unwrap();
    assert_eq!(ids(&wb), ["subnet-calc-13MAY2022#instance-based"]);
    assert_eq!(wb.scenarios[0].scenario.cni.warm_eni_target, Some(1));
    // The May-2022 file's own cached values: B5 510, B8 351, B9 230, B10 159.
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
}

#[test]
fn near_misses_are_reported_with_what_is_missing() {
    let dir = WorkDir::new();
    let moved: common::variants::TextCells = [
        (4, "Subnet CIDR Size"),
        (13, "WARM_ENI_TARGET"),
        (14, "Host Networking IPs"),
        (15, "Daemonset Pods"),
    ]
    .iter()
    .map(|(r, t)| (*r, 0, (*t).to_owned()))
    .chain([(13, 1, "1".to_owned())])
    .collect();
    let no_table: common::variants::TextCells = [
        (3, "Subnet CIDR Size"),
        (12, "WARM_IP_TARGET"),
        (13, "Host Networking IPs"),
        (14, "Daemonset Pods"),
    ]
    .iter()
    .map(|(r, t)| (*r, 0, (*t).to_owned()))
    .collect();
    let book = Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        others: vec![
            ("row inserted".into(), moved),
            ("no table".into(), no_table),
            (
                "Notes".into(),
                vec![(3, 0, "Subnet CIDR Size is B4".into())],
            ),
        ],
        ..Variants::default()
    };
    let wb = read(&dir, &book, "team.xlsx").unwrap();
    assert_eq!(ids(&wb), ["team#WarmENI"]);
    let shown: Vec<String> = wb.near_misses.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown[0].starts_with("team.xlsx:row inserted: looks like a calculator sheet but was not read: the label \"Subnet CIDR Size\" is at A5 instead of A4;"),
        "{}",
        shown[0]
    );
    assert!(
        shown[0].contains("the warm-target label is at A14 instead of A13"),
        "{}",
        shown[0]
    );
    assert!(
        shown[1].starts_with("team.xlsx:no table: looks like a calculator sheet but was not read: no node-group table"),
        "{}",
        shown[1]
    );
}

#[test]
fn a_workbook_without_a_calculator_sheet_lists_the_sheets_it_has() {
    let dir = WorkDir::new();
    let book = Variants {
        others: vec![("Notes".into(), vec![(0, 0, "nothing here".into())])],
        ..Variants::default()
    };
    let e = read(&dir, &book, "empty.xlsx").unwrap_err();
    assert!(
        e.starts_with("empty.xlsx: no calculator sheet among the sheets \"Notes\", \"CidrData\", \"maxPods\", \"maxENI\""),
        "{e}"
    );
}

#[test]
fn a_whole_column_table_as_libreoffice_writes_it_is_read() {
    let dir = WorkDir::new();
    let path = dir.join("saved-by-lo.xlsx");
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    }
    .save(&path);
    let part = table_part(&path, "Table2");
    rewrite_part(&path, &part, |xml| {
        let start = xml.find(" ref=\"").unwrap() + 6;
        let end = start + xml[start..].find('"').unwrap();
        let xml = format!("{}A:B{}", &xml[..start], &xml[end..]);
        xml.replace("<autoFilter ref=\"A1:B4\"", "<autoFilter ref=\"A:B\"")
    });
    assert!(zip_text(&path, &part).contains("ref=\"A:B\""));
    let wb = legacy_xlsx::read_bytes("saved-by-lo.xlsx", std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(wb.catalog.get("m5.12xlarge").unwrap().max_pods, Some(234));
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
}

fn zip_text(path: &std::path::Path, part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn inputs_typed_as_text_or_formulas_are_read_as_the_workbook_reads_them() {
    let dir = WorkDir::new();
    let mut calc = Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &SHIPPED);
    calc.inputs = [
        Input::Text("23".into()),
        Input::Cached("=0+1".into(), 1.0),
        Input::Uncached("20/10".into()),
        Input::Uncached("=1+1".into()),
    ];
    calc.rows = vec![
        Some((
            "M5.12XLARGE".into(),
            Input::Uncached("2*1".into()),
            Input::Uncached("16*2+68".into()),
        )),
        Some((
            "c5.2xlarge".into(),
            Input::Text(" 1 ".into()),
            Input::Cached("=15*2".into(), 30.0),
        )),
    ];
    let wb = read(
        &dir,
        &Variants {
            calcs: vec![calc.clone()],
            ..Variants::default()
        },
        "typed.xlsx",
    )
    .unwrap();
    let s = &wb.scenarios[0].scenario;
    assert_eq!(s.subnets[0].prefix_len, 23);
    assert_eq!((s.host_networking_ips, s.daemonset_pods), (2, 2));
    assert_eq!(
        (s.node_groups[0].instances, s.node_groups[0].pods_per_node),
        (2, 100)
    );
    assert_eq!(
        (s.node_groups[1].instances, s.node_groups[1].pods_per_node),
        (1, 30)
    );
    // The instance type in another case matches as XLOOKUP matches it.
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));

    // A formula that is more than arithmetic, without its value, is refused by cell.
    calc.inputs[2] = Input::Uncached("B4/10+SUM(1,1)".into());
    let e = read(
        &dir,
        &Variants {
            calcs: vec![calc.clone()],
            ..Variants::default()
        },
        "script.xlsx",
    )
    .unwrap_err();
    assert!(
        e.starts_with(
            "script.xlsx:WarmENI!B14: the cell holds the formula =B4/10+SUM(1,1) without its value"
        ),
        "{e}"
    );
    assert!(
        e.contains("open it in Excel or LibreOffice and save it"),
        "{e}"
    );
    // Never read as 0: the same in a node-group row.
    calc.inputs[2] = Input::Num(2.0);
    calc.rows[1] = Some((
        "c5.2xlarge".into(),
        Input::Uncached("B4-22".into()),
        Input::Num(30.0),
    ));
    let e = read(
        &dir,
        &Variants {
            calcs: vec![calc],
            ..Variants::default()
        },
        "row.xlsx",
    )
    .unwrap_err();
    assert!(
        e.starts_with("row.xlsx:WarmENI!B24: the cell holds the formula =B4-22"),
        "{e}"
    );
}

#[test]
fn long_tables_with_blank_rows_read_every_row() {
    let dir = WorkDir::new();
    let types = ["m5.12xlarge", "c5.2xlarge", "m5.large"];
    let rows: Vec<(&str, f64, f64)> = (0..40)
        .map(|i| (types[i % 3], 1.0 + (i % 5) as f64, 3.0 + i as f64))
        .collect();
    let dense = Calc::new("dense", Sheet::WarmEni, [20.0, 1.0, 2.0, 2.0], &rows);
    let mut sparse = Calc {
        table: Some("Table9".into()),
        local_name: true,
        ..dense.clone()
    };
    sparse.name = "with blank rows".into();
    for at in [0, 7, 8, 25, 43] {
        sparse.rows.insert(at, None);
    }
    sparse.rows.extend([None, None, None]);
    let wb = read(
        &dir,
        &Variants {
            calcs: vec![
                Calc {
                    local_name: true,
                    ..dense
                },
                sparse,
            ],
            ..Variants::default()
        },
        "long.xlsx",
    )
    .unwrap();
    assert_eq!(wb.scenarios[1].scenario.node_groups.len(), 40);
    assert_eq!(
        wb.scenarios[0].scenario.node_groups,
        wb.scenarios[1].scenario.node_groups
    );
    assert_eq!(numbers(&wb, 0), numbers(&wb, 1));
}

#[test]
#[cfg_attr(
    no_libreoffice_xlookup,
    ignore = "needs LibreOffice 24.8 or later (XLOOKUP) as soffice on PATH"
)]
fn every_sheet_matches_what_libreoffice_computes_with_the_workbooks_own_formulas() {
    // The workbook's own lookup tables, as the tests carry them.
    let catalog = common::legacy_lookups::catalog().clone();
    let cases = oracle::cases();
    let soffice = soffice_with_xlookup();
    // Six oracle scenarios, each on a calculator sheet of its kind: the original names, a copy
    // with its own table and local name, a renamed sheet, a hidden one.
    let names = [
        "WarmENI",
        "WarmIP",
        "WarmENI (2)",
        "prod WarmIP",
        "payments-prod",
        "old draft",
    ];
    let mut picked = Vec::new();
    for want in [
        Sheet::WarmEni,
        Sheet::WarmIp,
        Sheet::WarmEni,
        Sheet::WarmIp,
        Sheet::WarmEni,
        Sheet::WarmIp,
    ] {
        let case = cases
            .iter()
            .filter(|c| {
                !picked
                    .iter()
                    .any(|p: &&serde_json::Value| p["id"] == c["id"])
            })
            .find(|c| {
                oracle::scenario_of(c).1 == want && c["groups"].as_array().unwrap().len() >= 2
            })
            .unwrap();
        picked.push(case);
    }
    let calcs: Vec<Calc> = picked
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (case, name))| {
            let (s, kind) = oracle::scenario_of(case);
            let rows: Vec<(String, f64, f64)> = s
                .node_groups
                .iter()
                .map(|g| {
                    (
                        g.instance_type.to_string(),
                        f64::from(g.instances),
                        f64::from(g.pods_per_node),
                    )
                })
                .collect();
            let rows: Vec<(&str, f64, f64)> =
                rows.iter().map(|(t, n, p)| (t.as_str(), *n, *p)).collect();
            let warm = f64::from(s.cni.warm_eni_target.or(s.cni.warm_ip_target).unwrap());
            Calc {
                table: Some(format!("Table{}", 30 + i)),
                local_name: true,
                hidden: name == "old draft",
                ..Calc::new(
                    name,
                    kind,
                    [
                        f64::from(s.subnets[0].prefix_len),
                        warm,
                        f64::from(s.host_networking_ips),
                        f64::from(s.daemonset_pods),
                    ],
                    &rows,
                )
            }
        })
        .collect();
    let dir = WorkDir::new();
    let built = dir.join("team.xlsx");
    Variants {
        calcs,
        formulas: true,
        lookups: Lookups::From(catalog),
        ..Variants::default()
    }
    .save(&built);
    let saved = resave(&soffice, &dir, &built, &dir.join("lo"), true);

    let wb = legacy_xlsx::read_bytes("team.xlsx", std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(wb.scenarios.len(), 6);
    let mut book: Xlsx<_> = open_workbook(&saved).unwrap();
    for (i, (located, case)) in wb.scenarios.iter().zip(&picked).enumerate() {
        let sheet = names[i];
        assert_eq!(&*located.scenario.id, format!("team#{sheet}"));
        let got = workbook::evaluate(&located.scenario, &wb.catalog).unwrap();
        let cells = book.worksheet_range(sheet).unwrap();
        // B5, B8, B9, B10 as LibreOffice computed them with the sheet's own formulas.
        for (row, value) in [
            (4, got.subnet_ips),
            (7, got.used_ips),
            (8, got.pods),
            (9, got.remaining_ips),
        ] {
            let lo = number(cells.get_value((row, 1)))
                .unwrap_or_else(|| panic!("{sheet} B{}: no number", row + 1));
            assert_eq!(lo, value as f64, "{sheet}!B{}", row + 1);
        }
        // Every computed cell of every node-group row.
        for (r, got_row) in got.rows.iter().enumerate() {
            for (c, value) in got_row.sheet_values(got.sheet).into_iter().enumerate() {
                let at = (22 + r as u32, 3 + c as u32);
                match (number(cells.get_value(at)), value) {
                    (Some(lo), Some(v)) => {
                        assert!(close(lo, v), "{sheet} row {r} col {c}: {lo} vs {v}")
                    }
                    (None, None) => {}
                    (lo, v) => panic!("{sheet} row {r} col {c}: LibreOffice {lo:?}, tool {v:?}"),
                }
            }
        }
        // And the oracle's numbers for the same scenario.
        let summary = &case["summary"];
        assert!(
            close(summary["used"].as_f64().unwrap(), got.used_ips as f64),
            "{sheet}"
        );
        assert!(
            close(
                summary["remaining"].as_f64().unwrap(),
                got.remaining_ips as f64
            ),
            "{sheet}"
        );
    }
    assert!(wb.scenarios[5].origin.hidden);
}

#[test]
#[cfg_attr(
    any(no_legacy_workbook, no_libreoffice_xlookup),
    ignore = "needs ../shared/fixtures/subnet-calc.xlsx (or SUBNET_CALC_SHARED) and LibreOffice 24.8 or later (XLOOKUP) as soffice on PATH"
)]
fn the_shipped_workbook_saved_by_libreoffice_reads_the_same() {
    let shipped = common::legacy_workbook();
    let soffice = soffice_with_xlookup();
    let dir = WorkDir::new();
    let copy = dir.copy(&shipped, "subnet-calc.xlsx");
    let saved = resave(&soffice, &dir, &copy, &dir.join("lo"), false);
    let part = table_part(&saved, "Table2");
    assert!(
        zip_text(&saved, &part).contains("ref=\"A:B\""),
        "LibreOffice writes the whole-column maxPods table as A:B"
    );
    let wb = legacy_xlsx::read_bytes("subnet-calc.xlsx", std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(ids(&wb), ["subnet-calc#WarmENI", "subnet-calc#WarmIP"]);
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
    assert_eq!(numbers(&wb, 1), (510, 276, 230, 234));
    let original =
        legacy_xlsx::read_bytes("subnet-calc.xlsx", std::fs::read(&shipped).unwrap()).unwrap();
    assert_eq!(wb.catalog.len(), original.catalog.len());
}

#[test]
fn a_table_part_that_cannot_be_read_falls_back_to_header_rows() {
    let dir = WorkDir::new();
    let path = dir.join("odd.xlsx");
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    }
    .save(&path);
    for table in ["Table3", "Table2"] {
        let part = table_part(&path, table);
        rewrite_part(&path, &part, |xml| {
            let start = xml.find(" ref=\"").unwrap() + 6;
            let end = start + xml[start..].find('"').unwrap();
            format!("{}not a range{}", &xml[..start], &xml[end..])
        });
    }
    let wb = legacy_xlsx::read_bytes("odd.xlsx", std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
    assert_eq!(wb.catalog.get("c5.2xlarge").unwrap().max_pods, Some(58));
    assert_eq!(wb.notes.len(), 2, "{:?}", wb.notes);
    assert!(
        wb.notes[0].contains("the table's ref \"not a range\" is not a range")
            && wb.notes[0].contains("found by their header rows"),
        "{}",
        wb.notes[0]
    );
}

/// The shipped example on one WarmENI sheet, the name `WARM_ENI_TARGET` pointing where `refers_to`
/// says; (the scenario's warm target, used IPs, notes).
fn with_warm_name(refers_to: &str, extra: &[(u32, u16, &str)]) -> (Option<u32>, i64, Vec<String>) {
    let dir = WorkDir::new();
    let mut book = Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        global_names: vec![("WARM_ENI_TARGET".into(), refers_to.into())],
        ..Variants::default()
    };
    book.others = vec![(
        "Settings".into(),
        extra
            .iter()
            .map(|(r, c, t)| (*r, *c, (*t).to_owned()))
            .collect(),
    )];
    let wb = read(&dir, &book, "named.xlsx").unwrap();
    (
        wb.scenarios[0].scenario.cni.warm_eni_target,
        numbers(&wb, 0).1,
        wb.notes,
    )
}

#[test]
fn the_warm_target_is_read_wherever_its_name_points() {
    // A cell far below or to the right of the first rows, on another sheet.
    let (warm, used, notes) = with_warm_name("=Settings!$B$70", &[(69, 1, "3")]);
    assert_eq!(
        (warm, used),
        (Some(3), 501),
        "WARM_ENI_TARGET 3: 351 + 2 × 75"
    );
    assert!(
        notes[0].contains("read WARM_ENI_TARGET from Settings!B70 (3)"),
        "{notes:?}"
    );
    let (warm, _, _) = with_warm_name("=Settings!$AA$13", &[(12, 26, "2")]);
    assert_eq!(warm, Some(2));
    // A constant.
    let (warm, used, notes) = with_warm_name("=3", &[]);
    assert_eq!((warm, used), (Some(3), 501));
    assert!(
        notes[0].contains("WARM_ENI_TARGET is defined as the constant 3"),
        "{notes:?}"
    );
    // Nothing that can be followed: B13, with a note saying why.
    let (warm, _, notes) = with_warm_name("=Nowhere!$B$13", &[]);
    assert_eq!(warm, Some(1));
    assert!(
        notes[0].contains("the sheet \"Nowhere\", which the workbook does not have"),
        "{notes:?}"
    );
    let (warm, _, notes) = with_warm_name("=WarmENI!$B$13:$B$14", &[]);
    assert_eq!(warm, Some(1));
    assert!(notes[0].contains("not one cell"), "{notes:?}");
}

#[test]
fn a_sheet_without_its_warm_name_is_noted() {
    // WarmIP's name is local to WarmIP; a script's copy of it sees none (#NAME? in Excel).
    let dir = WorkDir::new();
    let book = Variants {
        calcs: vec![
            Calc {
                local_name: true,
                ..Calc::new("WarmIP", Sheet::WarmIp, [23.0, 1.0, 2.0, 2.0], &SHIPPED)
            },
            Calc {
                table: Some("Table5".into()),
                ..Calc::new(
                    "WarmIP copy",
                    Sheet::WarmIp,
                    [23.0, 2.0, 2.0, 2.0],
                    &SHIPPED,
                )
            },
        ],
        ..Variants::default()
    };
    let wb = read(&dir, &book, "copy.xlsx").unwrap();
    assert_eq!(wb.scenarios[1].scenario.cni.warm_ip_target, Some(2));
    assert_eq!(wb.notes.len(), 1, "{:?}", wb.notes);
    assert!(
        wb.notes[0].starts_with(
            "copy.xlsx:WarmIP copy: no defined name WARM_IP_TARGET is visible from this sheet"
        ),
        "{}",
        wb.notes[0]
    );
}

#[test]
fn a_table_without_a_header_row_starts_at_its_first_row() {
    let dir = WorkDir::new();
    let path = dir.join("headless.xlsx");
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    }
    .save(&path);
    // Table3 without its header row: A23:C24, headerRowCount="0" (the header cells stay as text).
    let part = table_part(&path, "Table3");
    rewrite_part(&path, &part, |xml| {
        xml.replace("ref=\"A22:C24\"", "ref=\"A23:C24\" headerRowCount=\"0\"")
            .replace("<autoFilter ref=\"A22:C24\"/>", "")
    });
    assert!(
        zip_text(&path, &part).contains("headerRowCount=\"0\""),
        "{}",
        zip_text(&path, &part)
    );
    let wb = legacy_xlsx::read_bytes("headless.xlsx", std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(wb.scenarios[0].scenario.node_groups.len(), 2);
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
}

#[test]
fn rows_out_of_order_are_read_all_the_same() {
    let dir = WorkDir::new();
    let path = dir.join("ooo.xlsx");
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    }
    .save(&path);
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "<sheetData>",
            r#"<sheetData><row r="100"><c r="A100" t="inlineStr"><is><t>written first</t></is></c></row>"#,
        )
    });
    let wb = legacy_xlsx::read_bytes("ooo.xlsx", std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
}

#[test]
fn crafted_formulas_cost_an_error_not_the_process() {
    let dir = WorkDir::new();
    let mut calc = Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &SHIPPED);
    calc.inputs[2] = Input::Uncached("(".repeat(20_000));
    let e = read(
        &dir,
        &Variants {
            calcs: vec![calc],
            ..Variants::default()
        },
        "deep.xlsx",
    )
    .unwrap_err();
    assert!(
        e.starts_with("deep.xlsx:WarmENI!B14: the cell holds the formula =((((("),
        "{e}"
    );
    assert!(e.len() < 600, "the formula is cut in the message: {e}");
    // A shared formula whose index would size a vector of 4 billion entries.
    let path = shipped(&dir, "shared.xlsx");
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="40"><c r="H40"><f t="shared" ref="H40:H41" si="4000000000">1+1</f><v>2</v></c></row><row r="41"><c r="H41"><f t="shared" si="4000000000"/><v>2</v></c></row><row r="42"><c r="H42"><f t="shared" si="18446744073709551615"/><v>2</v></c></row></sheetData>"#,
        )
    });
    let wb = legacy_xlsx::read_bytes("shared.xlsx", std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
}

fn shipped(dir: &WorkDir, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &SHIPPED,
        )],
        ..Variants::default()
    }
    .save(&path);
    path
}

#[test]
fn an_empty_calculator_sheet_is_a_near_miss_and_the_others_are_read() {
    let dir = WorkDir::new();
    let mut empty = Calc::new("WarmIP", Sheet::WarmIp, [23.0, 1.0, 2.0, 2.0], &SHIPPED);
    empty.rows = vec![None];
    let wb = read(
        &dir,
        &Variants {
            calcs: vec![
                Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &SHIPPED),
                empty,
            ],
            ..Variants::default()
        },
        "half.xlsx",
    )
    .unwrap();
    assert_eq!(ids(&wb), ["half#WarmENI"]);
    assert_eq!(
        wb.near_misses[0].to_string(),
        "half.xlsx:WarmIP: looks like a calculator sheet but was not read: the node-group table has no rows"
    );
}

#[test]
fn without_a_table_the_rows_stop_at_the_first_blank_row() {
    let dir = WorkDir::new();
    let mut calc = Calc::new("WarmENI", Sheet::WarmEni, [23.0, 1.0, 2.0, 2.0], &SHIPPED);
    calc.table = None;
    calc.rows.extend([
        None,
        Some(("Total".into(), Input::Num(3.0), Input::Num(130.0))),
    ]);
    let wb = read(
        &dir,
        &Variants {
            calcs: vec![calc],
            ..Variants::default()
        },
        "plain.xlsx",
    )
    .unwrap();
    assert_eq!(numbers(&wb, 0), (510, 351, 230, 159));
    assert_eq!(wb.notes.len(), 1, "{:?}", wb.notes);
    assert!(
        wb.notes[0].contains("the node groups are the rows from A23 to the first blank row; the rows from A26 on are not read"),
        "{}",
        wb.notes[0]
    );
}

#[test]
fn a_report_given_as_a_catalogue_is_named_as_one() {
    let dir = WorkDir::new();
    let path = dir.join("fake-report.xlsx");
    Variants {
        others: vec![
            ("Summary".into(), vec![(0, 0, "EKS subnet IP usage".into())]),
            ("Outputs".into(), vec![]),
            ("Inputs".into(), vec![]),
        ],
        ..Variants::default()
    }
    .save(&path);
    let e = legacy_xlsx::read_catalog("fake-report.xlsx", std::fs::read(&path).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("fake-report.xlsx: this is an xlsx report written by subnet-calc"),
        "{e}"
    );
}
