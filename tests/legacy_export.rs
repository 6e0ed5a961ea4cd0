//! Export to the legacy layout: every oracle scenario written as a legacy workbook, read back with
//! the legacy reader (same scenario, same numbers) and opened with calamine (the cached values of
//! every written formula are the oracle's, the formulas and defined names are the original's).

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::oracle::{cases, close, scenario_of};
use rayon::prelude::*;
use serde_json::Value;
use subnet_calc::catalog::Catalog;
use subnet_calc::engine::workbook;
use subnet_calc::evaluation::Sheet;
use subnet_calc::legacy_layout::computed_headers;
use subnet_calc::read::legacy_xlsx;
use subnet_calc::scenario::{CniSettings, NodeGroup, Scenario, Subnet};
use subnet_calc::write::legacy_export::{file_names, to_bytes};

/// Writes the legacy workbook of `scenario` at `path` (the binary's `convert --to legacy` puts
/// the same bytes in place whole).
#[allow(clippy::result_large_err)] // as in the library: errors are cold
fn write_legacy(path: &Path, scenario: &Scenario, catalog: &Catalog) -> subnet_calc::Result<()> {
    let bytes = to_bytes(scenario, catalog)?;
    std::fs::write(path, bytes).unwrap();
    Ok(())
}

/// The legacy workbook's own lookup tables, as the tests carry them.
fn fixture_catalog() -> &'static Catalog {
    common::legacy_lookups::catalog()
}

/// A number cell's value, or panics naming the cell.
fn number(data: Option<&Data>, what: &str) -> f64 {
    match data {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("{what}: expected a number, found {other:?}"),
    }
}

fn zip_entry(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The catalogue cut to the instance types a scenario names, with the same CidrData table.
///
/// With the whole fixture catalogue (497 types) a debug build takes about 100 ms per workbook
/// to write and read back, 30 s for the 300 oracle cases; cut, the cases take a few seconds. The
/// whole catalogue is exported and read back in
/// `the_workbook_has_the_original_formulas_tables_and_names`.
fn only_what_it_needs(catalog: &Catalog, scenario: &Scenario) -> Catalog {
    let mut cut = Catalog::new();
    for group in &scenario.node_groups {
        if let Some(limits) = catalog.get(&group.instance_type) {
            cut.insert(limits.clone());
        }
    }
    cut.set_cidr_table(
        (0..=32)
            .filter_map(|n| catalog.legacy_subnet_ips(n).map(|ips| (n, ips)))
            .collect(),
    );
    cut
}

/// Exports one oracle case, reads it back and checks every number; returns the cells checked
/// and how many of them were `#N/A`.
fn check_case(case: &Value, catalog: &Catalog, dir: &Path, name: &str) -> (usize, usize) {
    let (scenario, sheet) = scenario_of(case);
    let id = &scenario.id;
    let path = dir.join(name);
    let catalog = only_what_it_needs(catalog, &scenario);
    write_legacy(&path, &scenario, &catalog).unwrap_or_else(|e| panic!("{id}: {e}"));

    // The legacy reader gives the same scenario back, under the file's id.
    let back = legacy_xlsx::read_bytes(name, std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(back.scenarios.len(), 1, "{id}");
    let read = &back.scenarios[0].scenario;
    let stem = name.strip_suffix(".xlsx").unwrap();
    assert_eq!(&*read.id, format!("{stem}#{}", sheet.name()));
    assert_eq!(
        Scenario {
            id: id.clone(),
            ..read.clone()
        },
        scenario,
        "{id}"
    );

    // Its numbers, from the read-back scenario and catalogue, are the oracle's.
    let summary = &case["summary"];
    let got = workbook::evaluate(read, &back.catalog).unwrap_or_else(|e| panic!("{id}: {e}"));
    let figures = [
        ("available", got.subnet_ips),
        ("used", got.used_ips),
        ("pods", got.pods),
        ("remaining", got.remaining_ips),
    ];
    for (field, value) in figures {
        assert_eq!(
            summary[field].as_f64().unwrap(),
            value as f64,
            "{id} {field}"
        );
    }

    // The cached values of the written formulas (B5, B8, B9, B10, the table) are the oracle's.
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range(sheet.name()).unwrap();
    for ((field, _), cell) in figures.iter().zip([(4, 1), (7, 1), (8, 1), (9, 1)]) {
        let expected = summary[*field].as_f64().unwrap();
        assert_eq!(
            number(range.get_value(cell), &format!("{id} {field}")),
            expected,
            "{id} {field}"
        );
    }
    let (mut cells, mut errors) = (0, 0);
    for (r, expected_row) in case["rows"].as_array().unwrap().iter().enumerate() {
        for (c, expected) in expected_row.as_array().unwrap().iter().enumerate() {
            let at = (22 + r as u32, 3 + c as u32);
            let header = computed_headers(sheet)[c];
            match expected {
                Value::String(s) if s.starts_with("#ERR") => {
                    assert_eq!(
                        range.get_value(at),
                        Some(&Data::Error(calamine::CellErrorType::NA)),
                        "{id} row {r} {header}"
                    );
                    errors += 1;
                }
                Value::Number(n) => {
                    let n = n.as_f64().unwrap();
                    let got = number(range.get_value(at), &format!("{id} row {r} {header}"));
                    assert!(close(n, got), "{id} row {r} {header}: {n} vs {got}");
                }
                other => panic!("{id}: unexpected oracle value {other}"),
            }
            cells += 1;
        }
    }
    (cells, errors)
}

#[test]
fn every_oracle_scenario_exports_reads_back_and_caches_the_oracles_numbers() {
    let (catalog, cases) = (fixture_catalog(), cases());
    assert_eq!(cases.len(), 300);
    let dir = tempfile::tempdir().unwrap();
    let names = file_names(cases.iter().map(|c| c["id"].as_str().unwrap()));
    let (cells, errors) = cases
        .par_iter()
        .zip(&names)
        .map(|(case, name)| check_case(case, catalog, dir.path(), name))
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!(errors, 33, "the oracle's #ERR32767 max-pods cells are #N/A");
    assert!(cells > 10_000, "checked {cells} cells");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 300);
}

fn fixture_scenario(cni: CniSettings) -> Scenario {
    Scenario::builder("team/a#WarmENI")
        .subnet("10.0.0.0/23".parse().unwrap())
        .cni(cni)
        .host_networking_ips(2)
        .daemonset_pods(2)
        .node_group(NodeGroup::new("m5.12xlarge", 2, 100))
        .node_group(NodeGroup::new("x2idn.16xlarge", 1, 30))
        .build()
}

#[test]
fn the_workbook_has_the_original_formulas_tables_and_names() {
    let catalog = fixture_catalog();
    let dir = tempfile::tempdir().unwrap();
    for (cni, sheet) in [
        (CniSettings::default(), Sheet::WarmEni),
        (
            CniSettings {
                warm_ip_target: Some(3),
                ..CniSettings::default()
            },
            Sheet::WarmIp,
        ),
    ] {
        let scenario = fixture_scenario(cni);
        let path = dir.path().join(format!("{}.xlsx", sheet.name()));
        write_legacy(&path, &scenario, catalog).unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(
            book.sheet_names(),
            [sheet.name(), "CidrData", "maxPods", "maxENI"]
        );
        let (table, warm_name) = match sheet {
            Sheet::WarmEni => ("Table3", "WARM_ENI_TARGET"),
            Sheet::WarmIp => ("Table36", "WARM_IP_TARGET"),
        };
        assert_eq!(
            book.defined_names(),
            [(warm_name.to_owned(), format!("{}!$B$13", sheet.name()))]
        );
        let formulas = book.worksheet_formula(sheet.name()).unwrap();
        let f = |row: u32, col: u32| formulas.get_value((row, col)).cloned().unwrap_or_default();
        assert_eq!(
            f(4, 1),
            "_xlfn.XLOOKUP(B4,Table4[size],Table4[number of ips])"
        );
        assert_eq!(f(7, 1), format!("SUM({table}[IPs Total])"));
        assert_eq!(f(9, 1), "B5-B8");
        for row in [22, 23] {
            assert_eq!(
                f(row, 3),
                format!(
                    "_xlfn.XLOOKUP({table}[[#This Row],[instance type]],Table1[Type],Table1[MaxENI])"
                )
            );
            assert_eq!(
                f(row, 5),
                format!(
                    "_xlfn.XLOOKUP({table}[[#This Row],[instance type]],Table2[instance type],Table2[max pods])"
                )
            );
            assert_eq!(
                f(row, 8),
                format!(
                    "_xlfn.CEILING.MATH({table}[[#This Row],[Target Workload Pods per Node]]/{table}[[#This Row],[IPs per ENI PI]])"
                )
            );
        }
        let warm_formula = match sheet {
            Sheet::WarmEni => f(22, 9),
            Sheet::WarmIp => f(22, 11),
        };
        assert!(warm_formula.contains(warm_name), "{warm_formula}");

        // Values: the inputs, the warm target, and #N/A for the max pods the catalogue lacks.
        let range = book.worksheet_range(sheet.name()).unwrap();
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(23.0)));
        let warm = if sheet == Sheet::WarmEni { 1.0 } else { 3.0 };
        assert_eq!(range.get_value((12, 1)), Some(&Data::Float(warm)));
        assert_eq!(
            range.get_value((23, 0)),
            Some(&Data::String("x2idn.16xlarge".into()))
        );
        assert_eq!(
            range.get_value((23, 5)),
            Some(&Data::Error(calamine::CellErrorType::NA))
        );
        assert_eq!(
            range.get_value((3, 2)),
            Some(&Data::String(
                "Subnet 10.0.0.0/23 (the sheet takes only its size)".into()
            ))
        );

        // Plain cell formulas, as in the original, and the table's calculated columns.
        let xml = zip_entry(&path, "xl/worksheets/sheet1.xml");
        assert!(!xml.contains("t=\"array\"") && !xml.contains("cm=\"1\""));
        assert!(xml.contains("<f>_xlfn.XLOOKUP("));
        let table_xml = zip_entry(&path, "xl/tables/table1.xml");
        assert!(
            table_xml.contains(&format!("name=\"{table}\"")),
            "{table_xml}"
        );
        assert!(table_xml.contains("<calculatedColumnFormula>_xlfn.CEILING.MATH("));

        // The lookup sheets hold the whole catalogue.
        let back = legacy_xlsx::read_bytes("x.xlsx", std::fs::read(&path).unwrap()).unwrap();
        let with_limits = catalog
            .entries()
            .iter()
            .filter(|l| l.max_enis.is_some() && l.ipv4_per_eni.is_some())
            .count();
        assert_eq!(
            back.catalog
                .entries()
                .iter()
                .filter(|l| l.max_enis.is_some())
                .count(),
            with_limits
        );
        for l in catalog.entries() {
            let got = back.catalog.get(&l.instance_type).unwrap();
            assert_eq!(got.max_pods, l.max_pods, "{}", l.instance_type);
            if l.max_enis.is_some() && l.ipv4_per_eni.is_some() {
                assert_eq!(
                    (got.max_enis, got.ipv4_per_eni),
                    (l.max_enis, l.ipv4_per_eni)
                );
            }
        }
        for n in 0..=32 {
            assert_eq!(
                back.catalog.legacy_subnet_ips(n),
                catalog.legacy_subnet_ips(n)
            );
        }
    }
}

#[test]
fn scenarios_the_layout_cannot_express_are_refused_and_nothing_is_written() {
    let catalog = fixture_catalog();
    let dir = tempfile::tempdir().unwrap();
    let mut s = fixture_scenario(CniSettings {
        prefix_delegation: true,
        ..CniSettings::default()
    });
    let path = dir.path().join("pd.xlsx");
    let e = write_legacy(&path, &s, catalog).unwrap_err();
    assert!(e.to_string().contains("prefix delegation"), "{e}");
    assert!(e.is_bad_input());
    s.cni = CniSettings::default();
    s.subnets.push(Subnet::of_size(24));
    assert!(
        to_bytes(&s, catalog)
            .unwrap_err()
            .to_string()
            .contains("more than one subnet")
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn instance_types_and_ids_are_written_as_text_never_as_formulas() {
    let mut catalog = Catalog::new();
    catalog.insert(subnet_calc::catalog::InstanceLimits {
        max_enis: Some(3),
        ipv4_per_eni: Some(10),
        max_pods: Some(29),
        ..subnet_calc::catalog::InstanceLimits::named("=HYPERLINK(\"x\")")
    });
    let mut s = fixture_scenario(CniSettings::default());
    s.id = "=1+1".into();
    s.node_groups.truncate(1);
    s.node_groups[0].instance_type = "=HYPERLINK(\"x\")".into();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    write_legacy(&path, &s, &catalog).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let formulas = book.worksheet_formula("WarmENI").unwrap();
    assert!(formulas.get_value((22, 0)).is_none_or(|f| f.is_empty()));
    let range = book.worksheet_range("WarmENI").unwrap();
    assert_eq!(
        range.get_value((22, 0)),
        Some(&Data::String("=HYPERLINK(\"x\")".into()))
    );
    let maxeni = book.worksheet_formula("maxENI").unwrap();
    assert!(maxeni.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
#[cfg_attr(
    no_libreoffice_xlookup,
    ignore = "needs LibreOffice 24.8 or later (XLOOKUP) as soffice on PATH"
)]
fn libreoffice_recalculates_the_exported_workbooks_to_the_oracles_numbers() {
    // The exported formulas, not only their cached values: LibreOffice (24.8+ evaluates XLOOKUP)
    // recomputes every exported workbook, and each figure must come out as the oracle's.
    let catalog = fixture_catalog();
    let cases = cases();
    let soffice = common::libreoffice::soffice_with_xlookup();
    let dir = common::WorkDir::new();
    let picked: Vec<&Value> = cases.iter().step_by(10).collect();
    let paths: Vec<std::path::PathBuf> = picked
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let (scenario, _) = scenario_of(case);
            let path = dir.join(&format!("case-{i:02}.xlsx"));
            write_legacy(&path, &scenario, &only_what_it_needs(catalog, &scenario)).unwrap();
            // Zero the cached summary values, so that only LibreOffice's recalculation can give
            // the numbers back.
            let sheet = "xl/worksheets/sheet1.xml";
            common::variants::rewrite_part(&path, sheet, |xml| {
                let mut xml = xml.to_owned();
                for cell in ["B5", "B8", "B9", "B10"] {
                    let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
                    let v = at + xml[at..].find("<v>").unwrap() + 3;
                    let end = v + xml[v..].find("</v>").unwrap();
                    xml.replace_range(v..end, "0");
                }
                xml
            });
            path
        })
        .collect();
    let inputs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let out = dir.join("recalculated");
    let saved = common::libreoffice::resave_all(&soffice, &dir, &inputs, &out, true);
    for ((path, case), (scenario, sheet)) in saved
        .iter()
        .zip(&picked)
        .zip(picked.iter().map(|c| scenario_of(c)))
    {
        let id = &scenario.id;
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        let cells = book.worksheet_range(sheet.name()).unwrap();
        let summary = &case["summary"];
        for (field, row) in [("available", 4), ("used", 7), ("pods", 8), ("remaining", 9)] {
            let got = number(cells.get_value((row, 1)), &format!("{id} B{}", row + 1));
            let expected = summary[field].as_f64().unwrap();
            assert!(
                close(expected, got),
                "{id}: {field} {expected} vs LibreOffice {got}"
            );
        }
        for (r, expected_row) in case["rows"].as_array().unwrap().iter().enumerate() {
            for (c, expected) in expected_row.as_array().unwrap().iter().enumerate() {
                let at = (22 + r as u32, 3 + c as u32);
                match expected.as_f64() {
                    Some(e) => assert!(
                        close(e, number(cells.get_value(at), id)),
                        "{id} row {r} col {c}"
                    ),
                    // #ERR32767 in the oracle: an instance type missing from maxPods.
                    None => assert!(
                        matches!(cells.get_value(at), Some(Data::Error(_))),
                        "{id} row {r} col {c}: {:?}",
                        cells.get_value(at)
                    ),
                }
            }
        }
    }
}
