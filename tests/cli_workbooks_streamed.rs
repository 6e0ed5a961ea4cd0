//! Directories of workbooks streamed through the binary: workbooks are read a few at a time in
//! parallel and handed to the writer as they are ready, so the output must still follow the input
//! order when they finish out of order, and a workbook that cannot be read in the middle must cost
//! that workbook alone.

mod common;

use common::WorkDir;
use common::variants::{Calc, Lookups, Variants};
use subnet_calc::catalog::Catalog;
use subnet_calc::evaluation::Sheet;

/// A small workbook: one WarmENI sheet of two node groups, `pods` per node on the first.
fn small_book(pods: f64) -> Variants {
    let rows = [("m5.12xlarge", 2.0, pods), ("c5.2xlarge", 1.0, 30.0)];
    Variants {
        calcs: vec![Calc::new(
            "WarmENI",
            Sheet::WarmEni,
            [23.0, 1.0, 2.0, 2.0],
            &rows,
        )],
        ..Variants::default()
    }
}

/// A workbook that takes far longer to read than [`small_book`]: two calculator sheets of 1,500
/// node groups each, over lookup sheets holding every type of the built-in catalogue.
fn big_book() -> Variants {
    let rows: Vec<(&str, f64, f64)> = (0..1_500)
        .map(|i| {
            let t = ["m5.large", "c5.2xlarge", "m5.12xlarge"][i % 3];
            (t, 1.0, 5.0)
        })
        .collect();
    Variants {
        calcs: vec![
            Calc::new("WarmENI", Sheet::WarmEni, [16.0, 1.0, 2.0, 2.0], &rows),
            Calc::new("WarmIP", Sheet::WarmIp, [16.0, 1.0, 2.0, 2.0], &rows),
        ],
        lookups: Lookups::From(Catalog::over_builtin()),
        ..Variants::default()
    }
}

/// The scenario ids of a summary CSV's rows, in order.
fn ids(csv: &str) -> Vec<String> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

/// `books/`: the big workbook first, then 40 small ones (`b-00` … `b-39`), so that the small
/// ones read beside the big one are ready long before it. Returns the ids in input order.
fn big_then_small(dir: &WorkDir, broken: Option<usize>) -> Vec<String> {
    let books = dir.join("books");
    std::fs::create_dir(&books).unwrap();
    big_book().save(&books.join("a-big.xlsx"));
    let mut expected = vec!["a-big#WarmENI".to_owned(), "a-big#WarmIP".to_owned()];
    for i in 0..40 {
        let path = books.join(format!("b-{i:02}.xlsx"));
        if Some(i) == broken {
            std::fs::write(&path, b"PK\x03\x04 cut short by a bad download").unwrap();
            continue;
        }
        small_book(10.0 + i as f64).save(&path);
        expected.push(format!("b-{i:02}#WarmENI"));
    }
    expected
}

#[test]
fn a_directory_whose_workbooks_finish_out_of_order_is_written_in_input_order() {
    let dir = WorkDir::new();
    let expected = big_then_small(&dir, None);
    for threads in ["1", "2", "4"] {
        let out = dir
            .command()
            .args(["eval", "-q", "books", "-o", "all.csv", "--threads", threads])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let csv = dir.read("all.csv");
        assert_eq!(ids(&csv), expected, "--threads {threads}");
        // Each row is its own workbook's: b-07 has 17 pods per node on its m5.12xlarge.
        let row = csv.lines().find(|l| l.starts_with("b-07#")).unwrap();
        let pods: u64 = row.split(',').nth(7).unwrap().parse().unwrap();
        assert_eq!(pods, 2 * 17 + 30, "{row}");
    }
    // The same order on standard output, which is checked whole before anything is written.
    let out = dir
        .command()
        .args(["eval", "books", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ids(&String::from_utf8_lossy(&out.stdout)), expected);
}

#[test]
fn a_failing_workbook_in_the_middle_costs_that_workbook_alone() {
    let dir = WorkDir::new();
    let expected = big_then_small(&dir, Some(20));
    let out = dir
        .command()
        .args(["eval", "books", "-o", "all.csv", "--threads", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(
        errors[0].starts_with("error: books/b-20.xlsx: not a readable xlsx workbook"),
        "{stderr}"
    );
    assert_eq!(
        errors[1],
        "error: 1 of 41 workbooks could not be read (named above); all.csv holds the scenarios \
         of the others"
    );
    assert_eq!(ids(&dir.read("all.csv")), expected);

    // JSON names each workbook's own catalogue at its start (the workbooks are read once before
    // for it); the broken one is named once, and among those left out.
    let out = dir
        .command()
        .args(["eval", "books", "-o", "all.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.matches("books/b-20.xlsx").count(), 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&dir.read("all.json")).unwrap();
    let catalogs = json["tool"]["instance_data"]["catalogs"]
        .as_array()
        .unwrap();
    let named: Vec<&str> = catalogs.iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(named.len(), 40, "{named:?}");
    assert_eq!(named[0], "books/a-big.xlsx");
    assert_eq!(named[21], "books/b-21.xlsx");
    let scenarios: Vec<&str> = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(scenarios, expected);
}
