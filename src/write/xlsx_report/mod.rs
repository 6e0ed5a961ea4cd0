//! The xlsx report: a formatted workbook that answers first and stays a working calculator.
//!
//! Sheets, in order, one module each:
//! - **Summary** (`summary_sheet.rs`): per model, the answer in plain words, the provenance, and the
//!   worst scenarios first in a table beside a chart of each one's share of its subnet;
//! - **Outputs** (`outputs_sheet.rs`): one row per scenario and model;
//! - **Inputs** (`inputs_sheet.rs`): one row per scenario and node group, every input;
//! - **Workbook model** / **VPC CNI model** (`workbook_sheet.rs`, `vpc_cni_sheet.rs`): one row per
//!   scenario and node group, every per-instance column of the model;
//! - **Subnets** (`subnets_sheet.rs`, vpc-cni): each node and pod subnet of each scenario;
//! - **Warnings** (`warnings_sheet.rs`): one row per warning;
//! - **Catalog** (`catalog_sheet.rs`): the instance limits used;
//! - **Subnet sizes** (`sizes_sheet.rs`): usable addresses and /28 blocks per prefix length.
//!
//! Figures are formulas over the Inputs, Catalog and Subnet sizes sheets, each written with the
//! engine's value as its cached result: any viewer shows the numbers, and a spreadsheet app that
//! recalculates reproduces them and follows an edited input. Only functions that Excel 2010+ and
//! LibreOffice 7 both evaluate are used (INDEX, MATCH, ROUNDUP, MIN, MAX, IF, IFERROR, SUM,
//! SUMPRODUCT, COUNT, COUNTIF, COUNTIFS, LARGE, ISNUMBER, MOD, INT, AND, OR, NA, LOWER, TRIM).
//! Formulas are written as templates that name columns, not letters (`template.rs`, over the
//! column lists of `column.rs`); cells are in `cell.rs`, the set-up each data sheet shares in
//! `sheet_setup.rs`, formats in `cell_formats.rs`, the Summary's charts in `summary_chart.rs`.
//! Where a figure cannot follow the inputs in cells (the vpc-cni mode and oscillation, IPv6 and
//! security-group rows), the engine's value is written styled as a fixed value. Data sheets are
//! written in constant-memory mode, row by row, so a report of 100,000 scenarios does not hold
//! the workbook in memory. Text from the inputs is always written as text, never as a formula.

mod catalog_sheet;
mod cell;
mod cell_formats;
mod column;
mod fail_once;
mod inputs_sheet;
mod outputs_sheet;
mod row_spans;
mod sheet_setup;
mod sizes_sheet;
mod subnets_sheet;
mod summary_chart;
mod summary_layout;
mod summary_sheet;
mod template;
mod vpc_cni_sheet;
mod warnings_sheet;
mod workbook_sheet;

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, Note, Workbook, XlsxError};

use crate::engine::batch::{self, CHUNK, Job};
use crate::error::{Error, Result};
use crate::evaluation::{Evaluation, MaxPodsSource, Model, NodeGroupResults, Sheet};

pub use crate::report_layout::sheets;
pub use sheet_setup::TABLE_MAX_ROWS;
pub use summary_sheet::{ReportInfo, WORST_ROWS};

use cell::write_row;
use cell_formats::Formats;
use column::index;
use fail_once::FailOnce;
use row_spans::{RowSpans, rows_from};
use sheet_setup::{header_rows, start_sheet};
use workbook_sheet::RowPosition;

/// The most data rows a worksheet holds below its header row.
pub const MAX_DATA_ROWS: usize = 1_048_575;

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Write {
        path: path.to_path_buf(),
        source: crate::write::xlsx_io(e),
    }
}

/// Checks that a report with `node_group_rows` rows on Inputs and the per-instance sheets, and
/// `evaluation_rows` on Outputs, fits Excel's row limit; past it, an error that suggests CSV.
pub fn check_rows(node_group_rows: usize, evaluation_rows: usize) -> Result<()> {
    let largest = node_group_rows.max(evaluation_rows);
    if largest > MAX_DATA_ROWS {
        return Err(Error::TooLarge {
            what: format!(
                "the report would need {largest} rows on one sheet; an xlsx worksheet holds {MAX_DATA_ROWS} below its header"
            ),
            hint: "write CSV (-o results.csv) or JSON for a batch this size, or split the input"
                .into(),
        });
    }
    Ok(())
}

/// What [`write_report`] tells its progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// This many more evaluations are done (each is evaluated twice, once per pass).
    Evaluated(usize),
    /// Every row is written; the workbook is being compressed and saved, a step that takes
    /// about a third of a big report's time and reports no count.
    Saving,
}

/// Where a report goes: the file messages name, and the directory for the xlsx writer's
/// temporary files (one per data sheet, without a name, gone when the run ends).
#[derive(Debug, Clone, Copy)]
pub struct ReportTarget<'a> {
    /// The output as messages name it.
    pub path: &'a Path,
    /// Where the temporary files go: beside the output, so that they take the space the output
    /// will (`None`: the system's temporary directory, for an output that is not a file).
    pub temp_dir: Option<&'a Path>,
}

/// Evaluates `jobs` and writes the report to `out` (the caller renames it into place); returns
/// the number of evaluations. `progress` is told how many evaluations each step did (each is
/// evaluated twice, see below), then that the workbook is being saved.
///
/// Memory stays bounded by the size of the inputs: a first pass evaluates chunk by chunk and keeps
/// only each evaluation's summary (for Outputs, Warnings, the Summary and the row positions that
/// their formulas point at); a second pass evaluates again, chunk by chunk, and streams the
/// per-instance and per-subnet rows to constant-memory sheets, through temporary files in
/// `target.temp_dir`. Any failure to write, to `out` or to a temporary file (a full disk), is
/// [`Error::Write`] naming `target.path` and the cause.
pub fn write_report<W: Write + Send>(
    out: W,
    target: ReportTarget<'_>,
    jobs: &[Job],
    info: &ReportInfo,
    progress: &(dyn Fn(ReportStep) + Sync),
) -> Result<usize> {
    // The xlsx writer panics when a write to a temporary file fails: taken back as an error.
    crate::write::xlsx_panic::catching_io_panics(|| {
        write_workbook(out, target, jobs, info, progress)
    })
    .unwrap_or_else(|e| {
        let place = match target.temp_dir {
            Some(_) => "beside it".to_owned(),
            None => format!("in {}", std::env::temp_dir().display()),
        };
        Err(Error::Write {
            path: target.path.to_path_buf(),
            source: crate::write::temp_write_failed(place, e),
        })
    })
}

/// [`write_report`], its panics on failed writes not caught.
fn write_workbook<W: Write + Send>(
    out: W,
    target: ReportTarget<'_>,
    jobs: &[Job],
    info: &ReportInfo,
    progress: &(dyn Fn(ReportStep) + Sync),
) -> Result<usize> {
    let path = target.path;
    let node_group_rows: usize = jobs.iter().map(|j| j.scenario.node_groups.len()).sum();
    let evaluation_rows: usize = jobs.iter().map(|j| j.models.len()).sum();
    // The Subnets sheet: at most every node and pod subnet of each vpc-cni evaluation.
    let subnet_rows_at_most: usize = jobs
        .iter()
        .filter(|j| j.models.contains(&Model::VpcCni))
        .map(|j| {
            let s = &j.scenario;
            s.subnets.len()
                + if s.cni.custom_networking {
                    s.pod_subnets.len()
                } else {
                    0
                }
        })
        .sum();
    check_rows(node_group_rows.max(subnet_rows_at_most), evaluation_rows)?;
    let err = xlsx_error(path);
    let fmt = Formats::new();
    let mut wb = Workbook::new();
    if let Some(dir) = target.temp_dir {
        wb.set_tempdir(dir).map_err(&err)?;
    }
    wb.set_properties(
        &DocProperties::new()
            .set_title("EKS subnet IP usage")
            .set_subject("IPv4 addresses taken from VPC subnets by Amazon EKS clusters")
            .set_author(format!("subnet-calc {}", env!("CARGO_PKG_VERSION")))
            .set_comment(
                "Generated by subnet-calc; figures are live formulas with cached results.",
            ),
    );
    // A big report spends a third of its time in deflate: level 3 instead of 6 saves about a third
    // of the time for a file about a quarter larger (100,000 scenarios: 18 s and 173 MiB instead
    // of 28 s and 137 MiB).
    if node_group_rows > TABLE_MAX_ROWS {
        wb.set_zip_compression_level(3);
    }
    let chunks = || jobs.chunks(CHUNK).zip(batch::chunks(jobs));
    let wcols = workbook_sheet::cols();
    let vcols = vpc_cni_sheet::cols();

    // Pass 1: summaries, and where each evaluation's rows will be on the other sheets.
    let mut summaries: Vec<Evaluation> = Vec::with_capacity(evaluation_rows);
    let mut placed: Vec<RowSpans> = Vec::with_capacity(evaluation_rows);
    let mut next_wb = header_rows(wcols);
    let mut next_vpc = header_rows(vcols);
    let mut next_subnet = 1u32;
    for (_, evaluations) in chunks() {
        progress(ReportStep::Evaluated(evaluations.len()));
        for mut e in evaluations {
            let n = e.node_groups.len();
            let next = match e.node_groups {
                NodeGroupResults::Workbook(_) => &mut next_wb,
                NodeGroupResults::VpcCni(_) => &mut next_vpc,
            };
            let span = rows_from(*next, n);
            *next += n as u32;
            let nodes = e
                .subnets
                .iter()
                .filter(|u| u.role == crate::scenario::SubnetRole::Node)
                .count();
            let pods = e.subnets.len() - nodes;
            let subnets = rows_from(next_subnet, nodes);
            let pod_subnets = rows_from(next_subnet + nodes as u32, pods);
            next_subnet += e.subnets.len() as u32;
            placed.push(RowSpans {
                span,
                subnets,
                pod_subnets,
            });
            e.node_groups = match e.model {
                Model::Workbook => NodeGroupResults::Workbook(Vec::new()),
                Model::VpcCni => NodeGroupResults::VpcCni(Vec::new()),
            };
            summaries.push(e);
        }
    }
    let warning_rows: usize = summaries.iter().map(warnings_sheet::rows_of).sum();
    if warning_rows > MAX_DATA_ROWS {
        return Err(Error::TooLarge {
            what: format!(
                "the report would need {warning_rows} rows of warnings; an xlsx worksheet holds {MAX_DATA_ROWS} below its header"
            ),
            hint: "write CSV (-o results.csv) or JSON for a batch this size, or split the input"
                .into(),
        });
    }

    // Row positions of the Inputs sheet.
    let mut input_rows = Vec::with_capacity(jobs.len());
    let mut next_input = 1u32;
    for job in jobs {
        input_rows.push(next_input);
        next_input += job.scenario.node_groups.len() as u32;
    }
    let catalog_rows = catalog_sheet::CatalogRows::build(jobs.iter());

    // Pass 2: per-instance sheets, Inputs and Subnets, row by row.
    let mut wb_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let mut vpc_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let mut in_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let mut subnet_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let icols = inputs_sheet::cols();
    let wb_rows = (next_wb - header_rows(wcols)) as usize;
    let vpc_rows = (next_vpc - header_rows(vcols)) as usize;
    start_sheet(&mut wb_sheet, sheets::WORKBOOK, wcols, wb_rows, &fmt).map_err(&err)?;
    start_sheet(&mut vpc_sheet, sheets::VPC_CNI, vcols, vpc_rows, &fmt).map_err(&err)?;
    start_sheet(&mut in_sheet, sheets::INPUTS, icols, node_group_rows, &fmt).map_err(&err)?;
    let subnet_rows = (next_subnet - 1) as usize;
    start_sheet(
        &mut subnet_sheet,
        sheets::SUBNETS,
        subnets_sheet::cols(),
        subnet_rows,
        &fmt,
    )
    .map_err(&err)?;
    let mode_col = index(vcols, "mode");
    let (mut wrow, mut vrow, mut srow, mut k) =
        (header_rows(wcols), header_rows(vcols), 1u32, 0usize);
    for (chunk, evaluations) in chunks() {
        progress(ReportStep::Evaluated(evaluations.len()));
        let mut evaluations = evaluations.into_iter();
        for job in chunk {
            let results: Vec<Evaluation> = evaluations.by_ref().take(job.models.len()).collect();
            let scenario = &job.scenario;
            for g in 0..scenario.node_groups.len() {
                let cells = inputs_sheet::cells(scenario, g);
                write_row(&mut in_sheet, input_rows[k] + g as u32, icols, cells, &fmt)
                    .map_err(&err)?;
            }
            for e in results {
                match &e.node_groups {
                    NodeGroupResults::Workbook(rows) => {
                        let sheet = e.sheet.unwrap_or(Sheet::WarmEni);
                        let warm = warm_of(scenario);
                        for (g, r) in rows.iter().enumerate() {
                            let key = catalog_rows.key(&job.catalog, &r.instance_type);
                            let at = RowPosition {
                                row: wrow,
                                input_row: input_rows[k] + g as u32,
                            };
                            let cells = workbook_sheet::cells(scenario, r, sheet, warm, at, key);
                            write_row(&mut wb_sheet, wrow, wcols, cells, &fmt).map_err(&err)?;
                            wrow += 1;
                        }
                    }
                    NodeGroupResults::VpcCni(rows) => {
                        let first = vrow;
                        for (g, r) in rows.iter().enumerate() {
                            let key = catalog_rows.key(&job.catalog, &r.instance_type);
                            // The calculator's cap needs the vCPU count; the other sources do not.
                            let vcpus_known = r.max_pods_source != MaxPodsSource::Calculator
                                || job
                                    .catalog
                                    .get(&r.instance_type)
                                    .is_some_and(|l| l.vcpus.is_some());
                            let at = RowPosition {
                                row: vrow,
                                input_row: input_rows[k] + g as u32,
                            };
                            let cells = vpc_cni_sheet::cells(scenario, r, g, at, key, vcpus_known);
                            write_row(&mut vpc_sheet, vrow, vcols, cells, &fmt).map_err(&err)?;
                            if !vpc_cni_sheet::row_is_live(scenario, g) {
                                let note = Note::new(vpc_cni_sheet::SPECIAL_ROW_NOTE)
                                    .set_author("subnet-calc");
                                vpc_sheet.insert_note(vrow, mode_col, &note).map_err(&err)?;
                            }
                            vrow += 1;
                        }
                        if !rows.is_empty() && !e.subnets.is_empty() {
                            let at = subnets_sheet::Rows {
                                scenario: &e.scenario,
                                groups: (first, vrow - 1),
                                input_row: input_rows[k],
                                first: srow,
                            };
                            srow =
                                subnets_sheet::write(&mut subnet_sheet, &e.subnets, rows, at, &fmt)
                                    .map_err(&err)?;
                        }
                    }
                }
            }
            k += 1;
        }
    }

    // Outputs and Warnings, from the summaries.
    let mut out_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let ocols = outputs_sheet::cols();
    start_sheet(
        &mut out_sheet,
        sheets::OUTPUTS,
        ocols,
        evaluation_rows,
        &fmt,
    )
    .map_err(&err)?;
    let mut warn_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    start_sheet(
        &mut warn_sheet,
        sheets::WARNINGS,
        warnings_sheet::cols(),
        warning_rows,
        &fmt,
    )
    .map_err(&err)?;
    let (mut orow, mut warn_row) = (1u32, 1u32);
    let mut next = summaries.iter().zip(&placed);
    for (job, &input_row) in jobs.iter().zip(&input_rows) {
        for _ in job.models {
            let Some((e, at)) = next.next() else {
                break;
            };
            let cells = outputs_sheet::cells(e, &job.scenario, &job.catalog, at, input_row, orow);
            write_row(&mut out_sheet, orow, ocols, cells, &fmt).map_err(&err)?;
            warn_row = warnings_sheet::write(&mut warn_sheet, e, &job.scenario, warn_row, &fmt)
                .map_err(&err)?;
            orow += 1;
        }
    }
    outputs_sheet::conditional_formats(&mut out_sheet, evaluation_rows as u32, &fmt)
        .map_err(&err)?;
    if subnet_rows > 0 {
        subnets_sheet::conditional_formats(&mut subnet_sheet, subnet_rows as u32, &fmt)
            .map_err(&err)?;
    }

    let mut cat_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    catalog_rows.write(&mut cat_sheet, &fmt).map_err(&err)?;
    let mut sizes_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    sizes_sheet::write(&mut sizes_sheet, &fmt).map_err(&err)?;

    // Summary, first.
    let summary_sheet = wb.add_worksheet();
    let cx = summary_sheet::Context {
        info,
        evaluations: &summaries,
        scenarios: jobs.len(),
        node_groups: node_group_rows,
    };
    summary_sheet::write(summary_sheet, &cx, &fmt).map_err(&err)?;
    wb.push_worksheet(out_sheet);
    wb.push_worksheet(in_sheet);
    if info.models.contains(&Model::Workbook) {
        wb.push_worksheet(wb_sheet);
    }
    if info.models.contains(&Model::VpcCni) {
        wb.push_worksheet(vpc_sheet);
        wb.push_worksheet(subnet_sheet);
    }
    wb.push_worksheet(warn_sheet);
    wb.push_worksheet(cat_sheet);
    wb.push_worksheet(sizes_sheet);
    // A writer that fails once and then takes everything, so that the zip writer's cleanup after
    // a failure (a full disk) does not print a second message of its own.
    let mut out = FailOnce::new(out);
    progress(ReportStep::Saving);
    wb.save_to_writer(&mut out).map_err(&err)?;
    Ok(evaluation_rows)
}

/// The warm target the workbook model used (B13).
fn warm_of(s: &crate::scenario::Scenario) -> u32 {
    crate::engine::workbook::sheet_for(s).map_or(0, |(_, w)| w)
}

#[cfg(test)]
mod tests {
    use super::column::Col;
    use super::*;
    use crate::catalog::builtin::InstanceData;
    use crate::catalog::{Catalog, InstanceLimits};
    use crate::scenario::{NodeGroup, Scenario, Subnet};
    use std::sync::{Arc, Mutex};

    #[test]
    fn progress_counts_both_passes_then_says_the_workbook_is_being_saved() {
        let mut catalog = Catalog::new();
        catalog.insert(InstanceLimits {
            max_enis: Some(3),
            ipv4_per_eni: Some(10),
            max_pods: Some(29),
            ..InstanceLimits::named("m5.large")
        });
        let catalog = Arc::new(catalog);
        let jobs: Vec<Job> = (0..3)
            .map(|i| Job {
                scenario: Scenario::builder(format!("s{i}"))
                    .subnet(Subnet::of_size(24))
                    .node_group(NodeGroup::new("m5.large", 2 + i, 10))
                    .build(),
                catalog: Arc::clone(&catalog),
                hidden: false,
                shown: None,
                models: batch::BOTH,
                advise: None,
            })
            .collect();
        let info = ReportInfo {
            inputs: vec!["s.csv".into()],
            left_out: Vec::new(),
            instance_data: InstanceData {
                built_in: true,
                catalogs: vec!["limits.csv".into()],
            },
            models: vec![Model::Workbook, Model::VpcCni],
            generated_at: 0,
        };
        let steps = Mutex::new(Vec::new());
        let mut out = Vec::new();
        let target = ReportTarget {
            path: Path::new("report.xlsx"),
            temp_dir: None,
        };
        let written = write_report(&mut out, target, &jobs, &info, &|step| {
            steps.lock().unwrap().push(step)
        })
        .unwrap();
        assert_eq!(written, 6);
        assert!(out.starts_with(b"PK"), "a zip");
        let steps = steps.into_inner().unwrap();
        assert_eq!(steps.last(), Some(&ReportStep::Saving));
        let evaluated: usize = steps
            .iter()
            .map(|s| match s {
                ReportStep::Evaluated(n) => *n,
                ReportStep::Saving => 0,
            })
            .sum();
        assert_eq!(evaluated, 2 * 6, "each evaluation counted once per pass");
        assert_eq!(
            steps.iter().filter(|s| **s == ReportStep::Saving).count(),
            1
        );
    }

    #[test]
    fn every_sheet_has_unique_column_ids_and_headers() {
        let lists: [&[Col]; 9] = [
            super::inputs_sheet::cols(),
            super::catalog_sheet::cols(),
            super::workbook_sheet::cols(),
            super::outputs_sheet::cols(),
            super::vpc_cni_sheet::cols(),
            super::subnets_sheet::cols(),
            super::warnings_sheet::cols(),
            super::sizes_sheet::cols(),
            super::inputs_sheet::cols(),
        ];
        for cols in lists {
            for key in [|c: &Col| c.id, |c: &Col| c.header] {
                let mut ids: Vec<&str> = cols.iter().map(key).collect();
                ids.sort_unstable();
                let before = ids.len();
                ids.dedup();
                assert_eq!(before, ids.len(), "duplicate column id or header");
            }
        }
    }
}
