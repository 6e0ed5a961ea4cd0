//! The report's Summary sheet and Warnings sheet, read back: the answer per model (counts never
//! mixed between models), the worst-first tables, the charts' series as their XML names them
//! (worst first, at most 20 bars, evaluations without a figure left out and counted), and one
//! Warnings row per warning.

mod common;

use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use common::{WorkDir, number};
use serde_json::Value;

/// Evaluates `csv` with both models to `out` (any format).
fn eval(dir: &WorkDir, csv: &str, out: &str) {
    let output = dir
        .command()
        .args(["eval", csv, "--model", "both", "-q", "-o", out])
        .args(common::fixture_catalog_args())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name).unwrap()
}

fn text(d: Option<&Data>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The row (0-based) whose column A reads `label`.
fn row_of(range: &Range<Data>, label: &str) -> u32 {
    (0..range.height() as u32 + range.start().unwrap().0)
        .find(|&r| text(range.get_value((r, 0))) == label)
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

/// The engine's evaluations of one model, from its JSON.
fn of_model<'a>(engine: &'a Value, model: &str) -> Vec<&'a Value> {
    engine["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["model"] == model)
        .collect()
}

/// An evaluation's use as the Summary ranks it (a fraction): its JSON `fullest_subnet_pct`,
/// checked against the fullest of its `subnets` worked out here (addresses, or the /28 blocks
/// its addresses fill when more), or without them (workbook) the node subnet's.
fn use_of(e: &Value) -> Option<f64> {
    let fullest = e["fullest_subnet_pct"].as_f64().map(|p| p / 100.0);
    let worked = worked_use(e);
    match (fullest, worked) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{a} != {b}: {e}"),
        (a, b) => assert_eq!(a.is_some(), b.is_some(), "{e}"),
    }
    fullest
}

/// The fullest subnet's use, from the JSON's per-subnet figures.
fn worked_use(e: &Value) -> Option<f64> {
    let (used, subnet) = (e["used_ips"].as_f64()?, e["subnet_ips"].as_f64()?);
    let Some(subnets) = e["subnets"].as_array() else {
        return (subnet > 0.0).then(|| used / subnet);
    };
    let each = subnets.iter().filter_map(|s| {
        let (used, ips) = (s["used_ips"].as_f64()?, s["ips"].as_f64()?);
        let addresses = (ips > 0.0).then(|| used / ips)?;
        Some(match s["prefix_blocks_available"].as_f64() {
            Some(blocks) if blocks > 0.0 => addresses.max((used / 16.0).ceil() / blocks),
            _ => addresses,
        })
    });
    each.reduce(f64::max)
}

/// Whether a figure of the report is `expected`, but for the last bit: the JSON's figures, read
/// back, may differ from the written ones there.
fn close(figure: Option<f64>, expected: f64) -> bool {
    figure.is_some_and(|f| (f - expected).abs() <= 1e-12 * expected.abs().max(1.0))
}

/// Whether an evaluation is out of addresses in any subnet, from the JSON output.
fn short(e: &Value) -> bool {
    let below = |v: &Value| v.as_f64().is_some_and(|r| r < 0.0);
    let empty = Vec::new();
    below(&e["remaining_ips"])
        || below(&e["pod_subnet_remaining_ips"])
        || e["subnets"].as_array().unwrap_or(&empty).iter().any(|s| {
            below(&s["remaining_ips"])
                || s["prefix_blocks_available"]
                    .as_f64()
                    .is_some_and(|blocks| s["used_ips"].as_f64().unwrap() > 16.0 * blocks)
        })
}

/// The parts of the report's charts: (category range, [value ranges]) per chart, in order.
fn chart_ranges(path: &Path) -> Vec<(String, Vec<String>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut charts = Vec::new();
    for n in 1.. {
        let Ok(mut part) = zip.by_name(&format!("xl/charts/chart{n}.xml")) else {
            break;
        };
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        let refs = |tag: &str| -> Vec<String> {
            xml.split(&format!("<c:{tag}>"))
                .skip(1)
                .map(|s| {
                    let f = &s[s.find("<c:f>").unwrap() + 5..];
                    f[..f.find("</c:f>").unwrap()].to_owned()
                })
                .collect()
        };
        let cats = refs("cat");
        assert!(cats.windows(2).all(|w| w[0] == w[1]), "one category range");
        charts.push((cats[0].clone(), refs("val")));
    }
    charts
}

/// `Summary!$A$17:$A$26` as its first and last 0-based rows and its column.
fn rows_of(reference: &str) -> (u32, u32, u32) {
    let cells = reference.split('!').nth(1).unwrap().replace('$', "");
    let (a, b) = cells.split_once(':').unwrap();
    let split = |c: &str| {
        let letters: String = c.chars().take_while(char::is_ascii_alphabetic).collect();
        let row: u32 = c[letters.len()..].parse().unwrap();
        let col = letters
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
            - 1;
        (row - 1, col)
    };
    let ((first, col), (last, _)) = (split(a), split(b));
    (first, last, col)
}

#[test]
fn the_summary_answers_per_model_and_charts_the_worst_first() {
    let dir = WorkDir::new();
    eval(
        &dir,
        &common::fixture("scenarios.csv").display().to_string(),
        "r.xlsx",
    );
    eval(
        &dir,
        &common::fixture("scenarios.csv").display().to_string(),
        "r.json",
    );
    let engine: Value = serde_json::from_str(&dir.read("r.json")).unwrap();
    let summary = sheet(&dir.join("r.xlsx"), "Summary");

    // The answer block: one column per model, vpc-cni first, counted per model.
    let header = row_of(&summary, "The answer");
    assert_eq!(text(summary.get_value((header, 1))), "vpc-cni model");
    assert_eq!(text(summary.get_value((header, 2))), "workbook model");
    for (col, model) in [(1u32, "vpc-cni"), (2, "workbook")] {
        let evaluations = of_model(&engine, model);
        let count = |f: &dyn Fn(&Value) -> bool| evaluations.iter().filter(|e| f(e)).count() as f64;
        let figure = |label: &str| number(summary.get_value((row_of(&summary, label), col)));
        assert_eq!(figure("Scenarios evaluated"), Some(10.0), "{model}");
        assert_eq!(
            figure("Out: a subnet over 100 %"),
            Some(count(&short)),
            "{model}"
        );
        assert_eq!(
            figure("Fullest subnet over 80 %"),
            Some(count(&|e| use_of(e).is_some_and(|u| u > 0.8))),
            "{model}"
        );
        assert_eq!(
            figure("Left out of the chart"),
            Some(count(&|e| use_of(e).is_none())),
            "{model}"
        );
        let worst = evaluations
            .iter()
            .filter_map(|e| use_of(e).map(|u| (u, e)))
            .fold(None::<(f64, &&Value)>, |best, (u, e)| match best {
                Some((b, _)) if b >= u => best,
                _ => Some((u, e)),
            })
            .unwrap();
        assert_eq!(
            text(summary.get_value((row_of(&summary, "The worst scenario"), col))),
            worst.1["scenario"].as_str().unwrap()
        );
        assert!(close(figure("Its fullest subnet %"), worst.0), "{model}");
        assert_eq!(
            figure("The subnet size it needs"),
            worst.1["min_subnet_prefix"].as_f64()
        );
    }
    // Worked values: the fixtures' workbook model cannot express five scenarios; too-small and
    // api-warm-ip run out under both models.
    let left_out = row_of(&summary, "Left out of the chart");
    assert_eq!(number(summary.get_value((left_out, 2))), Some(5.0));
    assert_eq!(
        text(summary.get_value((row_of(&summary, "The worst scenario"), 1))),
        "too-small"
    );

    // One chart per model, its bars the rows of the worst-first table beside it.
    let charts = chart_ranges(&dir.join("r.xlsx"));
    assert_eq!(charts.len(), 2);
    for ((categories, values), model) in charts.iter().zip(["vpc-cni", "workbook"]) {
        let (first, last, col) = rows_of(categories);
        assert_eq!(col, 0, "the scenario names are the categories");
        let ranked: Vec<(f64, &str)> = {
            let mut v: Vec<(f64, &str)> = of_model(&engine, model)
                .iter()
                .filter_map(|e| Some((use_of(e)?, e["scenario"].as_str()?)))
                .collect();
            v.sort_by(|a, b| b.0.total_cmp(&a.0));
            v
        };
        assert_eq!((last - first + 1) as usize, ranked.len().min(20), "{model}");
        for (k, (u, id)) in ranked.iter().enumerate() {
            let r = first + k as u32;
            assert_eq!(text(summary.get_value((r, 0))), *id, "{model} bar {k}");
            assert!(
                close(number(summary.get_value((r, 1))), *u),
                "{model} bar {k}"
            );
        }
        // Three coloured series (by band) and the two marks, over the same rows; each bar in
        // exactly one band.
        assert_eq!(values.len(), 5);
        let bands: Vec<(u32, u32, u32)> = values[2..].iter().map(|v| rows_of(v)).collect();
        for k in first..=last {
            let shown = bands
                .iter()
                .filter(|(a, b, c)| {
                    (*a, *b) == (first, last) && number(summary.get_value((k, *c))).is_some()
                })
                .count();
            assert_eq!(shown, 1, "{model}: row {k} in one band");
        }
    }
}

#[test]
fn many_scenarios_chart_the_twenty_worst_and_count_the_rest() {
    let dir = WorkDir::new();
    let mut csv = String::from(
        "scenario,subnet_cidr,prefix_delegation,instance_type,instances,pods_per_node\n",
    );
    // 60 scenarios of rising use; every third uses prefix delegation, which the workbook model
    // cannot express.
    for i in 0..60 {
        let pd = i % 3 == 0;
        csv.push_str(&format!("s{i:02},22,{pd},m5.large,{},20\n", 1 + i % 29));
    }
    dir.write("many.csv", csv);
    eval(&dir, "many.csv", "r.xlsx");
    eval(&dir, "many.csv", "r.json");
    let engine: Value = serde_json::from_str(&dir.read("r.json")).unwrap();
    let summary = sheet(&dir.join("r.xlsx"), "Summary");
    let charts = chart_ranges(&dir.join("r.xlsx"));
    for ((categories, _), model) in charts.iter().zip(["vpc-cni", "workbook"]) {
        let (first, last, _) = rows_of(categories);
        assert_eq!(last - first + 1, 20, "{model}: at most 20 bars");
        let uses: Vec<f64> = (first..=last)
            .map(|r| number(summary.get_value((r, 1))).unwrap())
            .collect();
        assert!(
            uses.windows(2).all(|w| w[0] >= w[1]),
            "{model}: worst first {uses:?}"
        );
        let mut all: Vec<f64> = of_model(&engine, model)
            .iter()
            .filter_map(|e| use_of(e))
            .collect();
        all.sort_by(|a, b| b.total_cmp(a));
        assert_eq!(uses.len(), 20, "{model}");
        assert!(
            uses.iter().zip(&all).all(|(&a, &b)| close(Some(a), b)),
            "{model}: {uses:?} {all:?}"
        );
    }
    let left_out = row_of(&summary, "Left out of the chart");
    assert_eq!(number(summary.get_value((left_out, 1))), Some(0.0));
    assert_eq!(number(summary.get_value((left_out, 2))), Some(20.0));
}

#[test]
fn every_warning_has_its_row_and_outputs_gives_the_count_and_the_first() {
    let dir = WorkDir::new();
    // Prefix delegation on a Xen type and pods over max pods: two warnings about node groups;
    // a subnet smaller than AWS allows: one about that subnet.
    dir.write(
        "w.csv",
        "scenario,subnet_cidr,prefix_delegation,instance_type,instances,pods_per_node\n\
         xen,24,true,m4.large,2,40\n\
         xen,,,m5.large,1,10\n\
         tiny,29,,m5.large,1,5\n",
    );
    eval(&dir, "w.csv", "r.xlsx");
    eval(&dir, "w.csv", "r.json");
    let engine: Value = serde_json::from_str(&dir.read("r.json")).unwrap();
    let warnings = sheet(&dir.join("r.xlsx"), "Warnings");
    // A row per node group or subnet a warning is about (its JSON `node_groups`, `subnets`),
    // or one: scenario, model, node group (from 1), instance type, subnet, role, code, text.
    let mut expected: Vec<[String; 8]> = Vec::new();
    for e in engine["scenarios"].as_array().unwrap() {
        let input = |k: &str| e[k].as_str().unwrap().to_owned();
        for w in e["warnings"].as_array().into_iter().flatten() {
            let row = |group: String, instance_type: String, subnet: String, role: String| {
                [
                    input("scenario"),
                    input("model"),
                    group,
                    instance_type,
                    subnet,
                    role,
                    w["code"].as_str().unwrap().to_owned(),
                    w["message"].as_str().unwrap().to_owned(),
                ]
            };
            let mut rows = Vec::new();
            for g in w["node_groups"].as_array().into_iter().flatten() {
                let g = g.as_u64().unwrap() as usize;
                let instance_type = e["node_groups"][g]["instance_type"].as_str().unwrap();
                rows.push(row(
                    (g + 1).to_string(),
                    instance_type.into(),
                    "".into(),
                    "".into(),
                ));
            }
            for r in w["subnets"].as_array().into_iter().flatten() {
                let (role, index) = (r["role"].as_str().unwrap(), r["index"].as_u64().unwrap());
                // The subnet as given: the scenario's, in the order of the JSON's `subnets`.
                let subnet = e["subnets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| s["role"] == role)
                    .nth(index as usize)
                    .unwrap()["subnet"]
                    .as_str()
                    .unwrap();
                rows.push(row("".into(), "".into(), subnet.into(), role.into()));
            }
            if rows.is_empty() {
                rows.push(row("".into(), "".into(), "".into(), "".into()));
            }
            expected.extend(rows);
        }
    }
    let codes: Vec<&str> = expected.iter().map(|r| r[6].as_str()).collect();
    assert_eq!(
        codes,
        [
            "no_prefix_delegation",
            "pods_without_ip",
            "prefix_blocks_fragmented",
            "subnet_size_outside_aws"
        ]
    );
    assert_eq!(expected[0][2..4], ["1", "m4.large"]);
    assert_eq!(expected[2][4..6], ["/24", "node"]);
    assert_eq!(expected[3][4..6], ["/29", "node"]);
    assert_eq!(warnings.height(), 1 + expected.len());
    let headers: Vec<String> = (0..8).map(|c| text(warnings.get_value((0, c)))).collect();
    assert_eq!(
        headers,
        [
            "Scenario",
            "Model",
            "Node group",
            "Instance type",
            "Subnet",
            "Role",
            "Code",
            "Warning"
        ]
    );
    for (i, row) in expected.iter().enumerate() {
        let r = i as u32 + 1;
        let cells: Vec<String> = (0..8).map(|c| text(warnings.get_value((r, c)))).collect();
        assert_eq!(cells, row, "row {r}");
    }
    // Outputs: the count and the first warning, when there are several.
    let outputs = sheet(&dir.join("r.xlsx"), "Outputs");
    let col = (0..outputs.width() as u32)
        .find(|&c| text(outputs.get_value((0, c))) == "Warnings")
        .unwrap();
    let mut several = 0;
    for (i, e) in engine["scenarios"].as_array().unwrap().iter().enumerate() {
        let all: Vec<&str> = e["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| w["message"].as_str().unwrap())
            .collect();
        let cell = text(outputs.get_value((i as u32 + 1, col)));
        match all.as_slice() {
            [] => assert_eq!(cell, ""),
            [one] => assert_eq!(cell, *one),
            [first, ..] => {
                several += 1;
                assert_eq!(
                    cell,
                    format!("{} warnings (see Warnings). First: {first}", all.len())
                )
            }
        }
    }
    assert!(several > 0, "an evaluation with several warnings");
}

#[test]
fn a_short_subnet_of_a_list_or_a_full_pod_subnet_counts_as_out_of_addresses() {
    let dir = WorkDir::new();
    let header = std::fs::read_to_string(common::fixture("scenarios.csv")).unwrap();
    let header = header.lines().next().unwrap().to_owned();
    // maz: a /28 of its list 49 short, 8.8 % of the list used in total. cn: its pod subnet
    // 1,201 short, 2.4 % of its node subnet used. fits: a /22 at 17.7 %, not short.
    dir.write(
        "short.csv",
        format!(
            "{header}\n\
             maz,10.1.0.0/28;10.1.4.0/22;10.1.8.0/22,1,,,,,,,2,3,m5.large,6,25,,,\n\
             cn,10.0.9.0/24,1,,,,,true,100.64.0.0/26,2,3,m5.12xlarge,6,150,,,\n\
             fits,22,1,,,,,,,2,3,m5.large,6,25,,,\n"
        ),
    );
    let out = dir
        .command()
        .args([
            "eval",
            "short.csv",
            "--model",
            "vpc-cni",
            "-q",
            "-o",
            "r.xlsx",
        ])
        .args(common::fixture_catalog_args())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = sheet(&dir.join("r.xlsx"), "Summary");
    let figure = |label: &str| number(summary.get_value((row_of(&summary, label), 1)));
    assert_eq!(figure("Out: a subnet over 100 %"), Some(2.0));
    assert_eq!(figure("Fullest subnet over 80 %"), Some(2.0));
    assert_eq!(
        text(summary.get_value((row_of(&summary, "The worst scenario"), 1))),
        "cn"
    );
    // The pod subnet's 1,260 of 59 addresses.
    let worst = figure("Its fullest subnet %").unwrap();
    assert!((worst - 1260.0 / 59.0).abs() < 1e-9, "{worst}");
    // The worst-first table: cn, then maz at its /28's 60 of 11, then fits.
    let first = row_of(&summary, "Scenario") + 1;
    let ids: Vec<String> = (first..first + 3)
        .map(|r| text(summary.get_value((r, 0))))
        .collect();
    assert_eq!(ids, ["cn", "maz", "fits"]);
    assert!((number(summary.get_value((first + 1, 1))).unwrap() - 60.0 / 11.0).abs() < 1e-9);
}

#[test]
fn warnings_about_node_groups_of_one_type_name_the_group_each_is_about() {
    let dir = WorkDir::new();
    // m4.large as node groups 2 and 4, each over max pods by its own count: a warning each.
    dir.write(
        "w.csv",
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         two,22,m5.large,1,10\n\
         two,,m4.large,2,40\n\
         two,,m5.large,1,10\n\
         two,,m4.large,1,90\n",
    );
    eval(&dir, "w.csv", "r.xlsx");
    let warnings = sheet(&dir.join("r.xlsx"), "Warnings");
    let over: Vec<(String, String)> = (1..warnings.height() as u32)
        .filter(|&r| text(warnings.get_value((r, 6))) == "pods_without_ip")
        .map(|r| {
            (
                text(warnings.get_value((r, 2))),
                text(warnings.get_value((r, 7))),
            )
        })
        .collect();
    assert_eq!(over.len(), 2, "{over:?}");
    assert_eq!(over[0].0, "2", "{over:?}");
    assert_eq!(over[1].0, "4", "{over:?}");
    assert_ne!(over[0].1, over[1].1);
}
