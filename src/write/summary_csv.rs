//! The summary CSV: one row per scenario and model.
//!
//! Its columns are an output contract: other tools read them by name, so columns may be added but
//! never renamed. Figures a model does not produce are left blank.

use std::borrow::Cow;
use std::io::Write;

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
    "min_subnet_prefix",
    "pod_subnet_min_prefix",
    "headroom_nodes",
    "differences",
];

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
    /// Reused for formatting numbers.
    scratch: String,
}

/// The fields of one row, written one after another.
struct Fields<'a, W: Write> {
    csv: &'a mut csv::Writer<W>,
    scratch: &'a mut String,
}

impl<W: Write> Fields<'_, W> {
    fn text(&mut self, text: &str) -> Result<()> {
        self.csv.write_field(text).map_err(csv_error)
    }

    fn formatted(&mut self, value: std::fmt::Arguments<'_>) -> Result<()> {
        use std::fmt::Write as _;
        self.scratch.clear();
        let _ = self.scratch.write_fmt(value);
        self.csv.write_field(&*self.scratch).map_err(csv_error)
    }

    /// A figure, blank when there is none.
    fn number(&mut self, value: Option<i64>) -> Result<()> {
        match value {
            // itoa: a figure costs no trip through `fmt` (a tenth of a big run's time).
            Some(v) => self
                .csv
                .write_field(itoa::Buffer::new().format(v))
                .map_err(csv_error),
            None => self.text(""),
        }
    }
}

impl<W: Write> SummaryCsvWriter<W> {
    /// Starts the CSV with its header row; text fields escaped (see [`csv_text`]).
    pub fn new(out: W) -> Result<Self> {
        Self::with_options(out, CsvOptions::default())
    }

    /// Starts the CSV with its header row, text fields written as `options` say.
    pub fn with_options(out: W, options: CsvOptions) -> Result<Self> {
        let mut writer = Self::rows_only(out, options);
        writer.csv.write_record(HEADER).map_err(csv_error)?;
        Ok(writer)
    }

    /// Writes the header row alone, for a CSV whose rows are formatted in parts
    /// ([`SummaryCsvWriter::rows_only`]) and written after it.
    pub fn write_header(out: W) -> Result<()> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        csv.write_record(HEADER).map_err(csv_error)?;
        csv.flush().map_err(|e| csv_error(e.into()))
    }

    /// Writes rows without the header: a part of the CSV formatted on its own (in parallel with
    /// other parts), to be written after the header.
    pub fn rows_only(out: W, options: CsvOptions) -> Self {
        let csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        SummaryCsvWriter {
            csv,
            options,
            scratch: String::new(),
        }
    }

    /// Writes one evaluation: the [`HEADER`]'s fields in order.
    pub fn write(&mut self, e: &Evaluation) -> Result<()> {
        let o = self.options;
        let comparison =
            |f: fn(&crate::engine::Comparison) -> Option<i64>| e.comparison.as_ref().and_then(f);
        let mut row = Fields {
            csv: &mut self.csv,
            scratch: &mut self.scratch,
        };
        row.text(&csv_text(&e.scenario, o))?;
        row.text(e.model.name())?;
        row.text(e.status.name())?;
        row.number(e.subnet_ips)?;
        row.number(e.used_ips)?;
        row.number(e.remaining_ips)?;
        match e.utilization_pct() {
            Some(p) => row.formatted(format_args!("{p:.2}"))?,
            None => row.text("")?,
        }
        row.number(e.pods)?;
        row.number(e.pods_without_ip)?;
        row.number(e.pod_subnet_ips)?;
        row.number(e.pod_subnet_used_ips)?;
        row.number(e.pod_subnet_remaining_ips)?;
        row.text(e.sheet.map_or("", |s| s.name()))?;
        row.number(blocks(e, |u| u.prefix_blocks_available))?;
        row.number(blocks(e, |u| u.prefix_blocks_needed))?;
        row.number(comparison(|c| c.workbook_used_ips))?;
        row.number(comparison(|c| c.vpc_cni_used_ips))?;
        row.number(comparison(|c| c.used_ips_difference))?;
        row.text(
            &e.message
                .as_deref()
                .map_or(Cow::Borrowed(""), |m| csv_text(m, o)),
        )?;
        row.text(&csv_text(&e.warnings.join("; "), o))?;
        row.text(if e.hidden { "true" } else { "" })?;
        row.text(&max_pods_sources(e))?;
        row.number(e.min_subnet_prefix.map(i64::from))?;
        row.number(e.pod_subnet_min_prefix.map(i64::from))?;
        row.number(e.headroom_nodes)?;
        let differences = e.comparison.as_ref().map(|c| c.differences.join("; "));
        row.text(&csv_text(differences.as_deref().unwrap_or_default(), o))?;
        self.csv
            .write_record(std::iter::empty::<&[u8]>())
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
