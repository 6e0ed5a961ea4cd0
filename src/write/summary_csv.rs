//! The summary CSV: one row per scenario and model.
//!
//! Its columns are an output contract: other tools read them by name, so columns may be added but
//! never renamed. Figures a model does not produce are left blank.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use crate::engine::{Evaluation, NodeGroupResults};
use crate::error::Result;
use crate::write::{CsvOptions, csv_error, csv_text};

/// The header, in order.
pub const HEADER: &[&str] = &[
    "scenario",
    "model",
    "status",
    "subnet_ips",
    "used_ips",
    "remaining_ips",
    "utilization_pct",
    "pods",
    "pods_without_ip",
    "pod_subnet_ips",
    "pod_subnet_used_ips",
    "pod_subnet_remaining_ips",
    "sheet",
    "prefix_blocks_available",
    "prefix_blocks_needed",
    "workbook_used_ips",
    "vpc_cni_used_ips",
    "used_ips_difference",
    "message",
    "warnings",
    "hidden_sheet",
    "max_pods_source",
];

#[derive(Serialize)]
struct Row<'a> {
    scenario: Cow<'a, str>,
    model: &'static str,
    status: &'static str,
    subnet_ips: Option<i64>,
    used_ips: Option<i64>,
    remaining_ips: Option<i64>,
    utilization_pct: Option<String>,
    pods: Option<i64>,
    pods_without_ip: Option<i64>,
    pod_subnet_ips: Option<i64>,
    pod_subnet_used_ips: Option<i64>,
    pod_subnet_remaining_ips: Option<i64>,
    sheet: Option<&'static str>,
    prefix_blocks_available: Option<i64>,
    prefix_blocks_needed: Option<i64>,
    workbook_used_ips: Option<i64>,
    vpc_cni_used_ips: Option<i64>,
    used_ips_difference: Option<i64>,
    message: Option<Cow<'a, str>>,
    warnings: String,
    hidden_sheet: Option<bool>,
    max_pods_source: String,
}

/// A /28-block figure summed over the subnets that report one (prefix delegation only).
fn blocks(
    e: &Evaluation,
    figure: impl Fn(&crate::engine::SubnetUse) -> Option<i64>,
) -> Option<i64> {
    e.subnets
        .iter()
        .filter_map(figure)
        .reduce(i64::saturating_add)
}

/// Which rules gave the node groups' max pods (vpc-cni): `calculator`, `table`, `node_group`,
/// each once, `;`-separated in node-group order.
fn max_pods_sources(e: &Evaluation) -> String {
    let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
        return String::new();
    };
    let mut seen: Vec<&str> = Vec::new();
    for g in groups {
        if !seen.contains(&g.max_pods_source.name()) {
            seen.push(g.max_pods_source.name());
        }
    }
    seen.join(";")
}

/// Writes summary rows as they come.
pub struct SummaryCsvWriter<W: Write> {
    csv: csv::Writer<W>,
    options: CsvOptions,
}

impl<W: Write> SummaryCsvWriter<W> {
    /// Starts the CSV with its header row; text fields escaped (see [`csv_text`]).
    pub fn new(out: W) -> Result<Self> {
        Self::with_options(out, CsvOptions::default())
    }

    /// Starts the CSV with its header row, text fields written as `options` say.
    pub fn with_options(out: W, options: CsvOptions) -> Result<Self> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        csv.write_record(HEADER).map_err(csv_error)?;
        Ok(SummaryCsvWriter { csv, options })
    }

    /// Writes one evaluation.
    pub fn write(&mut self, e: &Evaluation) -> Result<()> {
        self.csv
            .serialize(Row {
                scenario: csv_text(&e.scenario, self.options),
                model: e.model.name(),
                status: e.status.name(),
                subnet_ips: e.subnet_ips,
                used_ips: e.used_ips,
                remaining_ips: e.remaining_ips,
                utilization_pct: e.utilization_pct().map(|p| format!("{p:.2}")),
                pods: e.pods,
                pods_without_ip: e.pods_without_ip,
                pod_subnet_ips: e.pod_subnet_ips,
                pod_subnet_used_ips: e.pod_subnet_used_ips,
                pod_subnet_remaining_ips: e.pod_subnet_remaining_ips,
                sheet: e.sheet.map(|s| s.name()),
                prefix_blocks_available: blocks(e, |u| u.prefix_blocks_available),
                prefix_blocks_needed: blocks(e, |u| u.prefix_blocks_needed),
                workbook_used_ips: e.comparison.and_then(|c| c.workbook_used_ips),
                vpc_cni_used_ips: e.comparison.and_then(|c| c.vpc_cni_used_ips),
                used_ips_difference: e.comparison.and_then(|c| c.used_ips_difference),
                message: e.message.as_deref().map(|m| csv_text(m, self.options)),
                warnings: csv_text(&e.warnings.join("; "), self.options).into_owned(),
                hidden_sheet: e.hidden.then_some(true),
                max_pods_source: max_pods_sources(e),
            })
            .map_err(csv_error)
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> Result<W> {
        self.csv
            .into_inner()
            .map_err(|e| csv_error(csv::Error::from(e.into_error())))
    }
}

impl<W: Write> crate::write::EvaluationWriter for SummaryCsvWriter<W> {
    fn write(&mut self, evaluation: &Evaluation) -> Result<()> {
        SummaryCsvWriter::write(self, evaluation)
    }

    fn finish(self) -> Result<()> {
        SummaryCsvWriter::finish(self).map(|_| ())
    }
}
