//! The summary CSV: one row per scenario and model.
//!
//! Its columns are an output contract: other tools read them by name, so columns may be added but
//! never renamed. Figures a model does not produce are left blank.

use std::borrow::Cow;
use std::io::Write;

use crate::error::Result;
use crate::evaluation::advice::AdvisedSettings;
use crate::evaluation::{Evaluation, NodeGroupResults};
use crate::text::{CsvOptions, csv_text};
use crate::write::csv_error;

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
    "fullest_subnet_pct",
    "fullest_subnet",
    "warning_codes",
];

/// The columns `eval --advise` appends to [`HEADER`], in order: the recommended option's
/// settings and figures (the JSON's `advice.options[advice.recommended]`), blank on workbook rows.
pub const ADVICE_HEADER: &[&str] = &[
    "advice_option",
    "advice_warm_eni_target",
    "advice_warm_ip_target",
    "advice_minimum_ip_target",
    "advice_warm_prefix_target",
    "advice_prefix_delegation",
    "advice_custom_networking",
    "advice_used_ips",
    "advice_fits_at_desired",
    "advice_fits_at_max",
    "advice_fits_during_update",
    "advice_min_subnet_prefix",
    "advice_headroom_nodes",
    "advice_warm_ips_per_node",
    "advice_ec2_calls_per_node",
    "advice_saving_pct",
    "advice_reason",
];

/// Which columns a summary CSV has: [`HEADER`]'s, and with `advice` [`ADVICE_HEADER`]'s after
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Columns {
    /// `eval --advise`: the advice columns too.
    pub advice: bool,
}

impl Columns {
    /// The header row's names, in order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        let advice: &[&str] = if self.advice { ADVICE_HEADER } else { &[] };
        HEADER.iter().chain(advice).copied()
    }

    /// The header row, with its line end.
    fn header_line(self) -> String {
        let mut header = self.names().collect::<Vec<_>>().join(",");
        header.push('\n');
        header
    }
}

/// A /28-block figure summed over the subnets that report one (prefix delegation only).
fn blocks(
    e: &Evaluation,
    figure: impl Fn(&crate::evaluation::SubnetUse) -> Option<i64>,
) -> Option<i64> {
    e.subnets
        .iter()
        .filter_map(figure)
        .reduce(i64::saturating_add)
}

/// Which rules gave the node groups' max pods (vpc-cni): `calculator`, `table`, `node_group`,
/// each once, `;`-separated in node-group order; written into `out`.
fn max_pods_sources(e: &Evaluation, out: &mut Vec<u8>) {
    let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
        return;
    };
    let mut seen = [""; 3];
    let mut n = 0;
    for g in groups {
        let name = g.max_pods_source.name();
        if !seen[..n].contains(&name) {
            if n > 0 {
                out.push(b';');
            }
            out.extend_from_slice(name.as_bytes());
            if n < seen.len() {
                seen[n] = name;
                n += 1;
            }
        }
    }
}

/// Rows buffered before they are handed to the underlying writer.
const FLUSH_AT: usize = 1 << 16;

/// Writes summary rows as they come.
///
/// Rows are formatted straight into a byte buffer, as the csv crate writes them (a field is
/// quoted when it holds a comma, a quote or a line end, its quotes doubled; `\n` ends a row):
/// a million rows take no allocation and no trip through `fmt` for their figures.
pub struct SummaryCsvWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    options: CsvOptions,
    /// Its columns.
    columns: Columns,
    /// Reused for wording the warnings.
    scratch: String,
}

/// Whether the csv crate would quote a field holding these bytes.
fn needs_quotes(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Appends `text` with its quotes doubled.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    for (i, piece) in text.split('"').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(piece.as_bytes());
    }
}

/// Appends `parts` joined by `sep` as one text field, as [`csv_text`] and the csv crate would
/// write the joined text (a `'` before it when it starts like a formula, quoted when needed).
fn push_joined<S: AsRef<str>>(out: &mut Vec<u8>, parts: &[S], sep: &str, options: CsvOptions) {
    let Some(first) = parts.first() else {
        return;
    };
    let quoted = sep
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        && parts.len() > 1
        || parts.iter().any(|p| needs_quotes(p.as_ref()));
    if quoted {
        out.push(b'"');
    }
    // Only the joined text's start can make it look like a formula: the first part's.
    if let Cow::Owned(_) = csv_text(first.as_ref(), options) {
        out.push(b'\'');
    }
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            push_escaped(out, sep);
        }
        if quoted {
            push_escaped(out, part.as_ref());
        } else {
            out.extend_from_slice(part.as_ref().as_bytes());
        }
    }
    if quoted {
        out.push(b'"');
    }
}

/// Appends a share in percent as `{:.2}` writes it. Away from a tie at the third decimal (all
/// but a few values), the product by 100 rounds the same whatever its last bit, so the digits
/// come from an integer; the rest go through `fmt`.
fn push_percent(out: &mut Vec<u8>, pct: f64) {
    let hundredths = pct * 100.0;
    // Below 1e8 the product is within 1e-8 of the exact one: far from the 1e-6 margin.
    if pct.is_sign_positive() && hundredths < 1e8 {
        let fraction = hundredths - hundredths.floor();
        if (fraction - 0.5).abs() > 1e-6 {
            let v = hundredths.round() as u64;
            out.extend_from_slice(itoa::Buffer::new().format(v / 100).as_bytes());
            out.extend_from_slice(&[b'.', b'0' + (v % 100 / 10) as u8, b'0' + (v % 10) as u8]);
            return;
        }
    }
    let _ = write!(out, "{pct:.2}");
}

/// One row being formatted: fields appended to the buffer with their separators.
struct Row<'a> {
    out: &'a mut Vec<u8>,
    options: CsvOptions,
}

impl Row<'_> {
    /// Starts the next field.
    fn next(&mut self) -> &mut Vec<u8> {
        self.out.push(b',');
        self.out
    }

    /// A text field, escaped as [`csv_text`] says and quoted when needed.
    fn text(&mut self, text: &str) {
        let options = self.options;
        push_joined(self.next(), &[text], "", options);
    }

    /// A text field known to need neither escaping nor quotes (a name of the outputs).
    fn plain(&mut self, text: &str) {
        self.next().extend_from_slice(text.as_bytes());
    }

    /// A figure, blank when there is none.
    fn number(&mut self, value: Option<i64>) {
        let out = self.next();
        if let Some(v) = value {
            out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
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
        Self::with_columns(out, options, Columns::default())
    }

    /// Starts the CSV with the header row of `columns`, text fields written as `options` say.
    pub fn with_columns(out: W, options: CsvOptions, columns: Columns) -> Result<Self> {
        let mut writer = Self::rows_only(out, options);
        writer.columns = columns;
        writer
            .buf
            .extend_from_slice(columns.header_line().as_bytes());
        Ok(writer)
    }

    /// Writes the header row of `columns` alone, for a CSV whose rows are formatted in parts
    /// ([`SummaryCsvWriter::rows_only`]) and written after it.
    pub fn write_header(mut out: W, columns: Columns) -> Result<()> {
        out.write_all(columns.header_line().as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| csv_error(e.into()))
    }

    /// Writes rows without the header: a part of the CSV formatted on its own (in parallel with
    /// other parts), to be written after the header.
    pub fn rows_only(out: W, options: CsvOptions) -> Self {
        SummaryCsvWriter {
            out,
            // A part of a big run (64 jobs' rows) fits without growing.
            buf: Vec::with_capacity(FLUSH_AT / 2),
            options,
            columns: Columns::default(),
            scratch: String::new(),
        }
    }

    /// Writes one evaluation: the [`HEADER`]'s fields in order.
    pub fn write(&mut self, e: &Evaluation) -> Result<()> {
        format_row(
            e,
            &mut self.buf,
            &mut self.scratch,
            (self.options, self.columns),
        );
        if self.buf.len() >= FLUSH_AT {
            self.flush_buffer()?;
        }
        Ok(())
    }
}

/// Formats one evaluation as a row of the summary CSV (the fields of `columns` in order, a line
/// end after them) at the end of `out`; `scratch` is reused for wording the warnings. Parts of a
/// big run are formatted this way on every core, each into its own buffer.
pub fn format_row(
    e: &Evaluation,
    out: &mut Vec<u8>,
    scratch: &mut String,
    (options, columns): (CsvOptions, Columns),
) {
    let o = options;
    let comparison =
        |f: fn(&crate::evaluation::Comparison) -> Option<i64>| e.comparison.as_ref().and_then(f);
    // The first field has no separator before it: written here, the rest by `Row`.
    push_joined(out, &[&*e.scenario], "", o);
    let mut row = Row { out, options: o };
    row.plain(e.model.name());
    row.plain(e.status.name());
    row.number(e.subnet_ips);
    row.number(e.used_ips);
    row.number(e.remaining_ips);
    let out = row.next();
    if let Some(p) = e.utilization_pct {
        push_percent(out, p);
    }
    row.number(e.pods);
    row.number(e.pods_without_ip);
    row.number(e.pod_subnet_ips);
    row.number(e.pod_subnet_used_ips);
    row.number(e.pod_subnet_remaining_ips);
    row.text(e.sheet.map_or("", |s| s.name()));
    row.number(blocks(e, |u| u.prefix_blocks_available));
    row.number(blocks(e, |u| u.prefix_blocks_needed));
    row.number(comparison(|c| c.workbook_used_ips));
    row.number(comparison(|c| c.vpc_cni_used_ips));
    row.number(comparison(|c| c.used_ips_difference));
    row.text(e.message.as_deref().unwrap_or_default());
    scratch.clear();
    crate::warning::join_into(scratch, &e.warnings, "; ");
    push_joined(row.next(), &[scratch.as_str()], "", o);
    row.plain(if e.hidden { "true" } else { "" });
    max_pods_sources(e, row.next());
    row.number(e.min_subnet_prefix.map(i64::from));
    row.number(e.pod_subnet_min_prefix.map(i64::from));
    row.number(e.headroom_nodes);
    let out = row.next();
    if let Some(c) = &e.comparison {
        push_joined(out, &c.differences, "; ", o);
    }
    let out = row.next();
    if let Some(p) = e.fullest_subnet_pct {
        push_percent(out, p);
    }
    scratch.clear();
    if let Some(at) = &e.fullest_subnet {
        use std::fmt::Write as _;
        let _ = write!(scratch, "{at}");
    }
    row.text(scratch);
    // The warnings' codes, as the `warnings` column gives their texts: stable names to filter on.
    let out = row.next();
    for (i, w) in e.warnings.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        out.extend_from_slice(w.code().as_bytes());
    }
    if columns.advice {
        advice_fields(e, &mut row, scratch);
    }
    row.out.push(b'\n');
}

/// The [`ADVICE_HEADER`]'s fields: the recommended option's, or only the reason when the advisor
/// did not apply; blank without advice (a workbook row).
fn advice_fields(e: &Evaluation, row: &mut Row<'_>, scratch: &mut String) {
    use std::fmt::Write as _;
    let advice = e.advice.as_deref();
    let chosen = advice.and_then(|a| a.options.get(a.recommended?));
    let settings = chosen.map(|o| o.settings);
    let figures = chosen.and_then(|o| o.figures.as_ref());
    let yes_no = |b: bool| if b { "true" } else { "false" };
    row.plain(chosen.map_or("", |o| o.id.name()));
    for target in [
        |s: AdvisedSettings| s.warm_eni_target,
        |s: AdvisedSettings| s.warm_ip_target,
        |s: AdvisedSettings| s.minimum_ip_target,
        |s: AdvisedSettings| s.warm_prefix_target,
    ] {
        row.number(settings.and_then(target).map(i64::from));
    }
    row.plain(settings.map_or("", |s| yes_no(s.prefix_delegation)));
    row.plain(settings.map_or("", |s| yes_no(s.custom_networking)));
    row.number(figures.map(|f| f.used_ips));
    row.plain(figures.map_or("", |f| yes_no(f.fits.at_desired)));
    row.plain(figures.and_then(|f| f.fits.at_max).map_or("", yes_no));
    row.plain(
        figures
            .and_then(|f| f.fits.during_update)
            .map_or("", yes_no),
    );
    row.number(figures.and_then(|f| f.min_subnet_prefix).map(i64::from));
    row.number(figures.and_then(|f| f.headroom_nodes));
    row.number(figures.map(|f| i64::from(f.warm_ips_per_node)));
    row.number(figures.map(|f| i64::from(f.ec2_calls_per_node)));
    let out = row.next();
    if let Some(p) = figures.and_then(|f| f.saving_pct) {
        push_percent(out, p);
    }
    scratch.clear();
    match (chosen, advice.and_then(|a| a.not_applicable.as_ref())) {
        (Some(o), _) => {
            let _ = write!(scratch, "{}", o.reason);
        }
        (None, Some(why)) => {
            let _ = write!(scratch, "{why}");
        }
        (None, None) => {}
    }
    row.text(scratch);
}

impl<W: Write> SummaryCsvWriter<W> {
    /// Hands the buffered rows to the underlying writer.
    fn flush_buffer(&mut self) -> Result<()> {
        self.out
            .write_all(&self.buf)
            .map_err(|e| csv_error(e.into()))?;
        self.buf.clear();
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(mut self) -> Result<W> {
        self.flush_buffer()?;
        self.out.flush().map_err(|e| csv_error(e.into()))?;
        Ok(self.out)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate writes for `text` as a field of a row of two.
    fn by_the_csv_crate(text: &str) -> Vec<u8> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        csv.write_record([text, "x"]).unwrap();
        let mut out = csv.into_inner().unwrap();
        out.truncate(out.len() - 3);
        out
    }

    #[test]
    fn text_fields_are_written_as_the_csv_crate_writes_them() {
        let texts = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "=1+1",
            "-5",
            "@x,y",
            "'quoted",
            "\"",
            ";",
            "a; b",
        ];
        for options in [
            CsvOptions::default(),
            CsvOptions {
                escape_formulas: false,
            },
        ] {
            for a in texts {
                for parts in [vec![a], vec![a, "b"], vec![a, "c,\"d\""], vec!["", a]] {
                    let joined = parts.join("; ");
                    let mut out = Vec::new();
                    push_joined(&mut out, &parts, "; ", options);
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        String::from_utf8(by_the_csv_crate(&csv_text(&joined, options))).unwrap(),
                        "{parts:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_fullest_subnet_and_the_warning_codes_have_their_columns() {
        use crate::evaluation::{FullestSubnet, Model, Status, UseBasis};
        use crate::scenario::{Scenario, SubnetRole};
        use crate::warning::{Warning, WarningKind};
        let scenario = Scenario {
            id: "maz".into(),
            subnets: vec!["10.1.0.0/28".parse().unwrap()],
            pod_subnets: vec![],
            cni: Default::default(),
            host_networking_ips: 0,
            daemonset_pods: 0,
            max_pods_rule: None,
            node_groups: vec![],
        };
        let mut e = Evaluation::failed(&scenario, Model::VpcCni, Status::Ok, String::new());
        (e.utilization_pct, e.fullest_subnet_pct) =
            (Some(180.0 * 100.0 / 2049.0), Some(6000.0 / 11.0));
        e.fullest_subnet = Some(FullestSubnet {
            role: SubnetRole::Node,
            index: 0,
            of: 3,
            subnet: scenario.subnets[0],
            by: UseBasis::Addresses,
        });
        e.warnings = vec![
            Warning::about_scenario(WarningKind::NoNodeSubnet),
            Warning::about_scenario(WarningKind::TrunkLimitsUnknown {
                instance_type: "m5.large".into(),
            }),
        ];
        let (mut out, mut scratch) = (Vec::new(), String::new());
        format_row(
            &e,
            &mut out,
            &mut scratch,
            (CsvOptions::default(), Columns::default()),
        );
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&out[..]);
        let row = rows.records().next().unwrap().unwrap();
        assert_eq!(row.len(), HEADER.len());
        let field = |name: &str| &row[HEADER.iter().position(|h| *h == name).unwrap()];
        assert_eq!(field("utilization_pct"), "8.78");
        assert_eq!(field("fullest_subnet_pct"), "545.45");
        assert_eq!(field("fullest_subnet"), "node subnet 10.1.0.0/28");
        assert_eq!(
            field("warning_codes"),
            "no_node_subnet;trunk_limits_unknown"
        );
        let texts: Vec<String> = e.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(field("warnings"), texts.join("; "));
    }

    #[test]
    fn advice_columns_follow_and_are_blank_without_advice() {
        use crate::evaluation::{Model, Status};
        let columns = Columns { advice: true };
        let names: Vec<&str> = columns.names().collect();
        assert_eq!(names.len(), HEADER.len() + 17);
        assert_eq!(names[HEADER.len()], "advice_option");
        assert_eq!(names.last(), Some(&"advice_reason"));
        let scenario = crate::scenario::Scenario::builder("wb").build();
        let e = Evaluation::failed(&scenario, Model::Workbook, Status::Ok, String::new());
        let (mut out, mut scratch) = (Vec::new(), String::new());
        format_row(&e, &mut out, &mut scratch, (CsvOptions::default(), columns));
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&out[..]);
        let row = rows.records().next().unwrap().unwrap();
        assert_eq!(row.len(), names.len());
        assert!(row.iter().skip(HEADER.len()).all(str::is_empty), "{row:?}");
    }

    #[test]
    fn percentages_are_written_as_fmt_writes_them() {
        let mut values = vec![
            0.0,
            0.005,
            0.015,
            0.125,
            1.0 / 3.0,
            99.995,
            100.0,
            1e7,
            2e8,
            -0.0,
        ];
        for used in (0..3000).step_by(7) {
            for size in [1i64, 3, 11, 27, 59, 123, 251, 507, 1019, 2043, 8187] {
                values.push(used as f64 * 100.0 / size as f64);
            }
        }
        values.extend([-1.5, -0.004, f64::INFINITY, f64::NAN]);
        for v in values {
            let mut out = Vec::new();
            push_percent(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), format!("{v:.2}"), "{v:e}");
        }
    }
}
