//! The xlsx report: a formatted workbook that stays a working calculator.
//!
//! Sheets, in order:
//! - **Summary**: title, provenance (tool version, date, models, inputs, catalogue sources), key
//!   counts and a chart of used and remaining addresses per scenario;
//! - **Outputs**: one row per scenario and model, with conditional formatting (remaining < 0 red,
//!   utilisation > 80 % amber);
//! - **Inputs**: one row per scenario and node group, every input, as an Excel table (an
//!   autofiltered range past 20,000 rows);
//! - **Workbook model** / **VPC CNI model**: one row per scenario and node group, every
//!   per-instance column of the model (the vpc-cni closed form step by step);
//! - **Subnets** (vpc-cni): each node and pod subnet of each scenario;
//! - **Catalog**: the instance limits used.
//!
//! Figures are formulas that refer to the Inputs and Catalog sheets, each written with the
//! engine's value as its cached result: any viewer shows the numbers, and a spreadsheet app that
//! recalculates reproduces them. Only functions that Excel 2010+ and LibreOffice 7 both evaluate
//! are used (INDEX, MATCH, ROUNDUP, MIN, MAX, IF, SUM, ISNUMBER, MOD, INT, AND, OR, NA, LOWER,
//! TRIM, COUNTIF). Formulas are written as templates that name columns, not letters. Where a
//! figure has no cell formula (the vpc-cni mode and oscillation, max pods without a vCPU count,
//! IPv6 and security-group rows), the value is written with a note saying so. Every sheet is written in constant-memory mode, row by
//! row, so a report of 100,000 scenarios does not hold the workbook in memory. Text from the
//! inputs is always written as text, never as a formula.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Table, TableColumn,
    TableStyle, Workbook, Worksheet, XlsxError,
};

use crate::catalog::{Catalog, InstanceLimits};
use crate::engine::batch::{self, CHUNK, Job};
use crate::engine::vpc_cni::{EffectiveSettings, MaxPodsSource, Mode, NodeGroupUse};
use crate::engine::{Evaluation, Model, NodeGroupResults, Status};
use crate::error::{Error, Result};
use crate::scenario::{IpFamily, Scenario, format_subnets};
use crate::write::atomic::FailOnce;

/// The most data rows a worksheet holds below its header row.
pub const MAX_DATA_ROWS: usize = 1_048_575;

/// The sheet names.
pub mod sheets {
    /// First sheet: title, provenance, chart.
    pub const SUMMARY: &str = "Summary";
    /// One row per scenario and model.
    pub const OUTPUTS: &str = "Outputs";
    /// One row per scenario and node group.
    pub const INPUTS: &str = "Inputs";
    /// The workbook model's per-instance columns.
    pub const WORKBOOK: &str = "Workbook model";
    /// The vpc-cni model's per-instance columns.
    pub const VPC_CNI: &str = "VPC CNI model";
    /// The vpc-cni model's use of each subnet.
    pub const SUBNETS: &str = "Subnets";
    /// The instance limits used.
    pub const CATALOG: &str = "Catalog";
}

/// Where the report came from, for the Summary sheet.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The input files, as named on the command line.
    pub inputs: Vec<String>,
    /// The catalogue sources, in layering order.
    pub catalog_sources: Vec<String>,
    /// The models run.
    pub models: Vec<Model>,
    /// When the report was made, in seconds since the Unix epoch (UTC).
    pub generated_at: i64,
}

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| Error::Write {
        path: path.to_path_buf(),
        source: crate::write::xlsx_io(e),
    }
}

/// A cell to write: a value, or a formula with its cached result.
enum Out {
    Num(f64),
    Text(String),
    Bool(bool),
    Blank,
    /// A formula and its cached result.
    Formula(String, Cached),
}

/// A formula's cached result.
enum Cached {
    Num(f64),
    Text(String),
}

impl Out {
    /// The cell as a plain value: a formula's cached result.
    fn value_only(self) -> Out {
        match self {
            Out::Formula(_, Cached::Num(v)) => Out::Num(v),
            Out::Formula(_, Cached::Text(t)) => Out::Text(t),
            other => other,
        }
    }
}

fn num(v: impl Into<f64>) -> Out {
    Out::Num(v.into())
}

fn f(formula: String, value: impl Into<f64>) -> Out {
    Out::Formula(formula, Cached::Num(value.into()))
}

fn ftext(formula: String, value: &str) -> Out {
    Out::Formula(formula, Cached::Text(value.to_owned()))
}

fn opt_num(v: Option<impl Into<f64>>) -> Out {
    v.map_or(Out::Blank, |v| Out::Num(v.into()))
}

/// Writes a cell, with its own format or (`None`) its column's: rust_xlsxwriter hashes a format
/// for every cell written with one, so data rows leave it to the column ([`start_sheet`]).
fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    out: Out,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    match (out, format) {
        (Out::Num(v), Some(f)) => ws.write_number_with_format(row, col, v, f).map(|_| ()),
        (Out::Num(v), None) => ws.write_number(row, col, v).map(|_| ()),
        // write_string never interprets its text: "=SUM(A1)" from an input stays text.
        (Out::Text(t), Some(f)) => ws.write_string_with_format(row, col, t, f).map(|_| ()),
        (Out::Text(t), None) => ws.write_string(row, col, t).map(|_| ()),
        (Out::Bool(b), Some(f)) => ws.write_boolean_with_format(row, col, b, f).map(|_| ()),
        (Out::Bool(b), None) => ws.write_boolean(row, col, b).map(|_| ()),
        (Out::Blank, Some(f)) => ws.write_blank(row, col, f).map(|_| ()),
        (Out::Blank, None) => Ok(()),
        (Out::Formula(formula, cached), format) => {
            let result = match cached {
                Cached::Num(v) => format_number(v),
                Cached::Text(t) => t,
            };
            let formula = Formula::new(formula).set_result(result);
            match format {
                Some(f) => ws
                    .write_formula_with_format(row, col, formula, f)
                    .map(|_| ()),
                None => ws.write_formula(row, col, formula).map(|_| ()),
            }
        }
    }
}

/// A number as a cached result: integers without a decimal point.
fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A column of a data sheet: an id that formula templates name it by, header, width, format
/// and, optionally, a note on the header.
struct Col {
    id: &'static str,
    /// The column's letters, filled in when the list is built ([`lettered`]).
    letter: String,
    header: &'static str,
    width: f64,
    format: Fmt,
    note: Option<&'static str>,
}

#[derive(Clone, Copy)]
enum Fmt {
    Text,
    Int,
    Dec,
    Pct,
    Bool,
}

fn col(id: &'static str, header: &'static str, width: f64, format: Fmt) -> Col {
    Col {
        id,
        letter: String::new(),
        header,
        width,
        format,
        note: None,
    }
}

/// The formats of the report.
struct Formats {
    header: Format,
    text: Format,
    int: Format,
    dec: Format,
    pct: Format,
    boolean: Format,
    title: Format,
    label: Format,
    /// Whole numbers beside a label on the Summary sheet.
    int_left: Format,
    red: Format,
    amber: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Self {
        let navy = Color::RGB(0x1F3864);
        Formats {
            header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(navy)
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border_bottom(FormatBorder::Thin),
            text: Format::new(),
            int: Format::new().set_num_format("#,##0"),
            dec: Format::new().set_num_format("0.00"),
            pct: Format::new().set_num_format("0.0%"),
            boolean: Format::new().set_align(FormatAlign::Center),
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_color(navy),
            label: Format::new().set_bold(),
            int_left: Format::new()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Left),
            red: Format::new()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            amber: Format::new()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700)),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }

    fn of(&self, f: Fmt) -> &Format {
        match f {
            Fmt::Text => &self.text,
            Fmt::Int => &self.int,
            Fmt::Dec => &self.dec,
            Fmt::Pct => &self.pct,
            Fmt::Bool => &self.boolean,
        }
    }
}

/// Rows up to which a data sheet is an Excel table. rust_xlsxwriter keeps a map entry per table
/// cell, which would hold a large report in memory; bigger sheets get a plain autofilter instead.
pub const TABLE_MAX_ROWS: usize = 20_000;

/// Sets up a data sheet: column widths, an Excel table over the header and `rows` data rows (an
/// autofilter past [`TABLE_MAX_ROWS`]), frozen header, print set-up and header notes.
fn start_sheet(
    ws: &mut Worksheet,
    name: &str,
    cols: &[Col],
    rows: usize,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (i, c) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, c.width)?;
        ws.set_column_format(i as u16, fmt.of(c.format))?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = (cols.len() - 1) as u16;
    if rows > 0 && rows <= TABLE_MAX_ROWS {
        let columns: Vec<TableColumn> = cols
            .iter()
            .map(|c| {
                TableColumn::new()
                    .set_header(c.header)
                    .set_header_format(&fmt.header)
            })
            .collect();
        let table = Table::new()
            .set_name(name.replace(' ', ""))
            .set_style(TableStyle::Medium2)
            .set_columns(&columns);
        ws.add_table(0, 0, rows as u32, last_col, &table)?;
    } else {
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, c.header, &fmt.header)?;
        }
        if rows > 0 {
            ws.autofilter(0, 0, rows as u32, last_col)?;
        }
    }
    ws.set_row_height(0, 45)?;
    ws.set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    for (i, c) in cols.iter().enumerate() {
        if let Some(text) = c.note {
            ws.insert_note(
                0,
                i as u16,
                &Note::new(text)
                    .set_author("subnet-calc")
                    .set_width(320)
                    .set_height(120),
            )?;
        }
    }
    Ok(())
}

/// Writes a data row. Cells take their column's format (set once in [`start_sheet`]) rather
/// than one each: rust_xlsxwriter would otherwise hash a format for every cell.
fn write_row(ws: &mut Worksheet, row: u32, cols: &[Col], cells: Vec<Out>) -> Result<(), XlsxError> {
    debug_assert_eq!(cols.len(), cells.len());
    for (i, cell) in cells.into_iter().enumerate() {
        put(ws, row, i as u16, cell, None)?;
    }
    Ok(())
}

/// Quotes a sheet name for a formula reference.
fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric()) {
        name.to_owned()
    } else {
        format!("'{name}'")
    }
}

/// The column letter of column `id` in `cols`. An unknown id is a bug in this module, caught by
/// the report tests.
fn letter<'a>(cols: &'a [Col], id: &str) -> &'a str {
    let col = cols
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no report column {id:?}"));
    &col.letter
}

/// The columns with their letters filled in.
fn lettered(mut cols: Vec<Col>) -> Vec<Col> {
    for (i, c) in cols.iter_mut().enumerate() {
        c.letter = crate::error::column_letters(i as u32);
    }
    cols
}

/// Expands a formula template, so that formulas name columns rather than letters and stay right
/// when columns move: `{id}` is this sheet's column `id` in row `x`, `@{id}` the Inputs sheet's
/// column `id` in row `i` (absolute column), `#{id}` a Catalog lookup of column `id` keyed by this
/// sheet's `key` column in row `x`. (`@` and `#` appear in no formula otherwise.)
fn expand(template: &str, cols: &[Col], x: u32, i: u32) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let id = &rest[open + 1..open + len];
        let (before, kind) = match rest[..open].chars().last() {
            Some(k @ ('@' | '#')) => (&rest[..open - 1], k),
            _ => (&rest[..open], '{'),
        };
        out.push_str(before);
        match kind {
            '@' => {
                let _ = write!(out, "Inputs!${}{i}", letter(input_cols(), id));
            }
            '#' => {
                let c = letter(catalog_cols(), id);
                let key = letter(cols, "key");
                out.push_str(&format!(
                    "INDEX(Catalog!${c}:${c},MATCH(${key}{x},Catalog!$A:$A,0))"
                ));
            }
            _ => {
                let _ = write!(out, "{}{x}", letter(cols, id));
            }
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// The Inputs sheet's columns; their ids are the scenario CSV's column names.
fn input_cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| lettered(build_input_cols()));
    &COLS
}

fn build_input_cols() -> Vec<Col> {
    vec![
        col("scenario", "scenario", 22.0, Fmt::Text),
        col("subnet_cidr", "subnet_cidr", 22.0, Fmt::Text),
        col("prefix_len", "subnet size (/n)", 9.0, Fmt::Int),
        col("warm_eni_target", "warm_eni_target", 9.0, Fmt::Int),
        col("warm_ip_target", "warm_ip_target", 9.0, Fmt::Int),
        col("minimum_ip_target", "minimum_ip_target", 9.0, Fmt::Int),
        col("warm_prefix_target", "warm_prefix_target", 9.0, Fmt::Int),
        col("prefix_delegation", "prefix_delegation", 11.0, Fmt::Bool),
        col("custom_networking", "custom_networking", 11.0, Fmt::Bool),
        col("pod_subnet_cidr", "pod_subnet_cidr", 18.0, Fmt::Text),
        col("ip_family", "ip_family", 8.0, Fmt::Text),
        col(
            "security_groups_for_pods",
            "security_groups_for_pods",
            11.0,
            Fmt::Bool,
        ),
        col("host_networking_ips", "host_networking_ips", 9.0, Fmt::Int),
        col("daemonset_pods", "daemonset_pods", 9.0, Fmt::Int),
        col("instance_type", "instance_type", 15.0, Fmt::Text),
        col("instances", "instances", 9.0, Fmt::Int),
        col("pods_per_node", "pods_per_node", 9.0, Fmt::Int),
        col("max_pods", "max_pods", 9.0, Fmt::Int),
        col("branch_eni_pods", "branch_eni_pods", 9.0, Fmt::Int),
        col("max_eni", "max_eni", 9.0, Fmt::Int),
        col("max_pods_rule", "max_pods_rule", 11.0, Fmt::Text),
    ]
}

fn input_cells(s: &Scenario, g: usize) -> Vec<Out> {
    let group = &s.node_groups[g];
    let first = s.subnets.first().map_or(0, |n| n.prefix_len);
    vec![
        Out::Text(s.id.to_string()),
        Out::Text(format_subnets(&s.subnets)),
        num(first),
        opt_num(s.cni.warm_eni_target),
        opt_num(s.cni.warm_ip_target),
        opt_num(s.cni.minimum_ip_target),
        opt_num(s.cni.warm_prefix_target),
        Out::Bool(s.cni.prefix_delegation),
        Out::Bool(s.cni.custom_networking),
        Out::Text(format_subnets(&s.pod_subnets)),
        Out::Text(s.cni.ip_family.as_str().to_owned()),
        Out::Bool(s.cni.security_groups_for_pods),
        num(s.host_networking_ips),
        num(s.daemonset_pods),
        Out::Text(group.instance_type.to_string()),
        num(group.instances),
        num(group.pods_per_node),
        opt_num(group.max_pods),
        num(group.branch_eni_pods),
        opt_num(s.cni.max_eni),
        s.max_pods_rule
            .map_or(Out::Blank, |r| Out::Text(r.as_str().to_owned())),
    ]
}

// ---------------------------------------------------------------------------------------------
// Catalog

/// The Catalog sheet's rows: one per distinct (limits) of the instance types used, keyed by the
/// instance type, or `type (2)` when two catalogues of one run disagree about a type.
struct CatalogRows<'a> {
    rows: Vec<(String, &'a InstanceLimits)>,
    keys: HashMap<(*const Catalog, String), String>,
}

impl<'a> CatalogRows<'a> {
    fn build(jobs: impl Iterator<Item = &'a Job>) -> Self {
        let mut rows: Vec<(String, &InstanceLimits)> = Vec::new();
        let mut keys = HashMap::new();
        let mut by_type: HashMap<String, Vec<usize>> = HashMap::new();
        for job in jobs {
            let catalog: &Catalog = &job.catalog;
            for g in &job.scenario.node_groups {
                let lower = g.instance_type.trim().to_ascii_lowercase();
                let id = (catalog as *const Catalog, lower.clone());
                if keys.contains_key(&id) {
                    continue;
                }
                let Some(limits) = catalog.get(&lower) else {
                    continue;
                };
                let same = by_type.get(&lower).and_then(|idx| {
                    idx.iter().find(|&&i| {
                        let l = rows[i].1;
                        (
                            l.max_enis,
                            l.ipv4_per_eni,
                            l.max_pods,
                            &l.hypervisor,
                            l.bare_metal,
                            l.vcpus,
                        ) == (
                            limits.max_enis,
                            limits.ipv4_per_eni,
                            limits.max_pods,
                            &limits.hypervisor,
                            limits.bare_metal,
                            limits.vcpus,
                        )
                    })
                });
                let key = match same {
                    Some(&i) => rows[i].0.clone(),
                    None => {
                        let n = by_type.get(&lower).map_or(0, Vec::len);
                        let key = if n == 0 {
                            lower.clone()
                        } else {
                            format!("{lower} ({})", n + 1)
                        };
                        by_type.entry(lower.clone()).or_default().push(rows.len());
                        rows.push((key.clone(), limits));
                        key
                    }
                };
                keys.insert(id, key);
            }
        }
        CatalogRows { rows, keys }
    }

    fn key(&self, catalog: &Catalog, instance_type: &str) -> String {
        self.keys
            .get(&(
                catalog as *const Catalog,
                instance_type.trim().to_ascii_lowercase(),
            ))
            .cloned()
            .unwrap_or_else(|| instance_type.trim().to_ascii_lowercase())
    }
}

/// The Subnets sheet's columns.
fn subnet_cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| lettered(build_subnet_cols()));
    &COLS
}

fn build_subnet_cols() -> Vec<Col> {
    let v = |id, header, width, format| Col {
        note: Some(SUBNET_NOTE),
        ..col(id, header, width, format)
    };
    vec![
        col("scenario", "scenario", 24.0, Fmt::Text),
        col("subnet", "subnet", 20.0, Fmt::Text),
        col("role", "role", 8.0, Fmt::Text),
        v("nodes", "nodes", 9.0, Fmt::Int),
        col("ips", "usable IPs", 11.0, Fmt::Int),
        v("used", "used IPs", 11.0, Fmt::Int),
        col("remaining", "remaining IPs", 11.0, Fmt::Int),
        col("utilisation", "utilisation", 10.0, Fmt::Pct),
        col("blocks", "/28 blocks offered", 10.0, Fmt::Int),
        v("needed", "/28 blocks needed", 10.0, Fmt::Int),
    ]
}

const SUBNET_NOTE: &str = "A value from subnet-calc's vpc-cni model: how a node group's instances spread over \
a subnet list, and what each subnet then pays (docs/models.md, Subnets).";

/// A per-instance row's Catalog key: a formula on the Inputs sheet's instance type, so that
/// changing the type there changes the lookups, unless two catalogues of the run disagreed about
/// the type and the key names one of them (`type (2)`). Scenario ids and instance types are
/// written as text: a formula's cached text that looks like a number would be stored as one.
fn catalog_key(t: &dyn Fn(&str) -> String, key: String, instance_type: &str) -> Out {
    if key == instance_type.trim().to_ascii_lowercase() {
        ftext(t("LOWER(TRIM(@{instance_type}))"), &key)
    } else {
        Out::Text(key)
    }
}

/// The Catalog sheet's columns; `key` is what the per-instance sheets look up.
fn catalog_cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| lettered(build_catalog_cols()));
    &COLS
}

fn build_catalog_cols() -> Vec<Col> {
    vec![
        col("key", "key", 16.0, Fmt::Text),
        col("instance_type", "instance_type", 16.0, Fmt::Text),
        col("max_enis", "max_enis", 9.0, Fmt::Int),
        col("ipv4_per_eni", "ipv4_per_eni", 9.0, Fmt::Int),
        col("max_pods", "max_pods", 9.0, Fmt::Int),
        col("hypervisor", "hypervisor", 10.0, Fmt::Text),
        col("bare_metal", "bare_metal", 9.0, Fmt::Bool),
        col("vcpus", "vcpus", 8.0, Fmt::Int),
        col("prefix_delegation", "prefix_delegation", 11.0, Fmt::Bool),
        col(
            "trunking_compatible",
            "trunking_compatible",
            11.0,
            Fmt::Bool,
        ),
        col("branch_interfaces", "branch_interfaces", 9.0, Fmt::Int),
        col("sources", "sources", 60.0, Fmt::Text),
    ]
}

// ---------------------------------------------------------------------------------------------
// The workbook model's per-instance sheet

fn workbook_cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| lettered(build_workbook_cols()));
    &COLS
}

fn build_workbook_cols() -> Vec<Col> {
    vec![
        col("scenario", "scenario", 22.0, Fmt::Text),
        col("sheet", "sheet", 9.0, Fmt::Text),
        col("instance_type", "instance type", 15.0, Fmt::Text),
        col("key", "catalog key", 15.0, Fmt::Text),
        col("instances", "# of instances", 9.0, Fmt::Int),
        col("pods", "pods per node", 9.0, Fmt::Int),
        col("warm", "warm target (B13)", 9.0, Fmt::Int),
        col("host", "host networking IPs (B14)", 10.0, Fmt::Int),
        col("max_enis", "max ENIs per instance", 9.0, Fmt::Int),
        col("ips_per_eni", "IPs per ENI", 9.0, Fmt::Int),
        col("max_pods", "max pods", 9.0, Fmt::Int),
        col("max_ipv4", "max IPv4", 9.0, Fmt::Int),
        col("raw_enis", "raw ENIs needed", 9.0, Fmt::Dec),
        col("in_use", "in use ENIs", 9.0, Fmt::Int),
        col(
            "warm_eni",
            "with warm ENI / warm ENIs needed",
            11.0,
            Fmt::Int,
        ),
        col("enis", "ENIs per node", 9.0, Fmt::Int),
        col("actual", "actual IPs", 9.0, Fmt::Int),
        col("used", "used IPs per node", 10.0, Fmt::Int),
        col("used_minus", "used IPs - (WarmIP)", 10.0, Fmt::Int),
        col("ips_total", "IPs total", 10.0, Fmt::Int),
        col("pods_total", "pods total", 10.0, Fmt::Int),
    ]
}

/// The legacy sheet's row, rewritten in portable functions. Row `x` of the Workbook model sheet,
/// Inputs row `i`.
fn workbook_cells(
    s: &Scenario,
    r: &crate::engine::workbook::WorkbookRow,
    sheet: crate::engine::workbook::Sheet,
    warm: u32,
    row: u32,
    input_row: u32,
    key: String,
) -> Vec<Out> {
    use crate::engine::workbook::Sheet;
    let cols = workbook_cols();
    let t = |template: &str| expand(template, cols, row + 1, input_row + 1);
    let eni = sheet == Sheet::WarmEni;
    let pick = |on_eni: &'static str, on_ip: &'static str| if eni { on_eni } else { on_ip };
    // WarmENI is the sheet only when WARM_IP_TARGET is unset; a blank WARM_ENI_TARGET then reads
    // as ipamd's default, 1.
    let warm_formula = pick(
        "IF(@{warm_eni_target}=\"\",1,@{warm_eni_target})",
        "@{warm_ip_target}",
    );
    // Missing from the catalogue: #N/A, as the legacy sheet shows it.
    let max_pods = t("IF(ISNUMBER(#{max_pods}),#{max_pods},NA())");
    vec![
        Out::Text(s.id.to_string()),
        Out::Text(sheet.name().to_owned()),
        Out::Text(r.instance_type.to_string()),
        catalog_key(&t, key, &r.instance_type),
        f(t("@{instances}"), r.instances),
        f(t("@{pods_per_node}"), r.pods_per_node),
        f(t(warm_formula), warm),
        f(t("@{host_networking_ips}"), s.host_networking_ips),
        f(t("#{max_enis}"), r.max_enis),
        f(t("#{ipv4_per_eni}"), r.ips_per_eni),
        match r.max_pods {
            Some(p) => f(max_pods, p),
            None => ftext(max_pods, "#N/A"),
        },
        f(t("{max_enis}*{ips_per_eni}"), r.max_ipv4 as f64),
        f(t("{pods}/{ips_per_eni}"), r.raw_enis_needed),
        f(t("ROUNDUP({pods}/{ips_per_eni},0)"), r.in_use_enis as f64),
        match sheet {
            Sheet::WarmEni => f(t("{in_use}+{warm}"), r.with_warm_eni.unwrap_or(0) as f64),
            Sheet::WarmIp => f(
                t("IF(({used}-{actual})<{warm},1,0)"),
                r.warm_enis_needed.unwrap_or(0) as f64,
            ),
        },
        f(
            t(pick("{warm_eni}", "{in_use}+{warm_eni}")),
            r.enis_per_node as f64,
        ),
        f(t("{pods}+{host}"), r.actual_ips as f64),
        f(
            t(pick(
                "{warm_eni}*{ips_per_eni}+{host}",
                "{in_use}*{ips_per_eni}+{host}",
            )),
            r.used_ips as f64,
        ),
        match sheet {
            Sheet::WarmEni => Out::Blank,
            Sheet::WarmIp => f(
                t("{enis}*{ips_per_eni}"),
                r.used_ips_with_warm.unwrap_or(0) as f64,
            ),
        },
        f(t("{used}*{instances}"), r.ips_total as f64),
        f(t("{pods}*{instances}"), r.pods_total as f64),
    ]
}

// ---------------------------------------------------------------------------------------------
// Outputs

fn output_cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| lettered(build_output_cols()));
    &COLS
}

fn build_output_cols() -> Vec<Col> {
    vec![
        col("scenario", "scenario", 24.0, Fmt::Text),
        col("model", "model", 10.0, Fmt::Text),
        col("status", "status", 11.0, Fmt::Text),
        col("subnet", "subnet IPs", 11.0, Fmt::Int),
        col("used", "used IPs", 11.0, Fmt::Int),
        col("remaining", "remaining IPs", 11.0, Fmt::Int),
        col("utilisation", "utilisation", 10.0, Fmt::Pct),
        col("pods", "pods", 10.0, Fmt::Int),
        col("without", "pods without IP", 10.0, Fmt::Int),
        col("pod_subnet", "pod subnet IPs", 11.0, Fmt::Int),
        col("pod_used", "pod subnet used", 11.0, Fmt::Int),
        col("pod_remaining", "pod subnet remaining", 11.0, Fmt::Int),
        col("message", "message", 50.0, Fmt::Text),
        col("warnings", "warnings", 60.0, Fmt::Text),
        col("hidden", "hidden sheet", 8.0, Fmt::Text),
        col("label", "chart label", 30.0, Fmt::Text),
    ]
}

/// Rows of one evaluation on its per-instance sheet (0-based, first..=last), when it has any.
type Span = Option<(u32, u32)>;

fn output_cells(
    e: &Evaluation,
    s: &Scenario,
    catalog: &Catalog,
    span: Span,
    input_row: u32,
    row: u32,
) -> Vec<Out> {
    let cols = output_cols();
    let t = |template: &str| expand(template, cols, row + 1, input_row + 1);
    let value = |v: Option<i64>| opt_num(v.map(|v| v as f64));
    let mut subnet = value(e.subnet_ips);
    let mut used = value(e.used_ips);
    let mut pods = value(e.pods);
    let mut without = value(e.pods_without_ip);
    let mut remaining = value(e.remaining_ips);
    let mut util = opt_num(e.utilization_pct().map(|p| p / 100.0));
    if e.status == Status::Ok {
        if let (Some(d), Some(u)) = (e.subnet_ips, e.used_ips) {
            remaining = f(t("{subnet}-{used}"), (d - u) as f64);
            let formula = t("IF({subnet}>0,{used}/{subnet},NA())");
            util = match e.utilization_pct() {
                Some(p) => f(formula, p / 100.0),
                None => ftext(formula, "#N/A"),
            };
        }
        if let Some((a, b)) = span {
            // The sum of a column over this evaluation's rows of its model's sheet.
            let sum = |sheet: &str, cols: &[Col], id: &str| {
                let c = letter(cols, id);
                format!("SUM({}!{c}{}:{c}{})", sheet_ref(sheet), a + 1, b + 1)
            };
            let n = s.subnets[0].prefix_len;
            let figure = |v: Option<i64>| v.unwrap_or(0) as f64;
            match e.model {
                Model::Workbook => {
                    let w = workbook_cols();
                    // The CidrData rule, unless a workbook's own table says otherwise.
                    if catalog.legacy_subnet_ips(n) == Some((1i64 << (32 - u32::from(n))) - 2) {
                        subnet = f(t("2^(32-@{prefix_len})-2"), figure(e.subnet_ips));
                    }
                    used = f(sum(sheets::WORKBOOK, w, "ips_total"), figure(e.used_ips));
                    pods = f(sum(sheets::WORKBOOK, w, "pods_total"), figure(e.pods));
                }
                Model::VpcCni => {
                    let v = vpc_cols();
                    if s.subnets.len() == 1 {
                        subnet = f(t("MAX(2^(32-@{prefix_len})-5,0)"), figure(e.subnet_ips));
                    }
                    used = f(sum(sheets::VPC_CNI, v, "node_total"), figure(e.used_ips));
                    pods = f(sum(sheets::VPC_CNI, v, "served_total"), figure(e.pods));
                    without = f(
                        sum(sheets::VPC_CNI, v, "without_total"),
                        figure(e.pods_without_ip),
                    );
                }
            }
        }
    }
    vec![
        Out::Text(e.scenario.to_string()),
        Out::Text(e.model.name().to_owned()),
        Out::Text(e.status.name().to_owned()),
        subnet,
        used,
        remaining,
        util,
        pods,
        without,
        value(e.pod_subnet_ips),
        value(e.pod_subnet_used_ips),
        value(e.pod_subnet_remaining_ips),
        e.message.clone().map_or(Out::Blank, Out::Text),
        if e.warnings.is_empty() {
            Out::Blank
        } else {
            Out::Text(crate::engine::warning::join(&e.warnings, "; "))
        },
        if e.hidden {
            Out::Text("yes".into())
        } else {
            Out::Blank
        },
        ftext(
            t("{scenario}&\" (\"&{model}&\")\""),
            &format!("{} ({})", e.scenario, e.model.name()),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// The vpc-cni model's per-instance sheet

const VALUE_NOTE: &str = "A value from subnet-calc's vpc-cni model, not a live formula: it depends on the \
catalogue's hypervisor and vCPUs, the max-pods calculator or the oscillation rules (docs/models.md).";

const MAX_PODS_NOTE: &str = "The node group's max_pods, else (max_pods_rule table) the catalogue's max pods, \
else the EKS max-pods calculator in cells. A value where the catalogue lacks the vCPU count (the engine \
then guesses the 110/250 cap from the size name).";

const SPECIAL_ROW_NOTE: &str = "IPv6 or security groups for pods: this row's figures are values from \
subnet-calc's vpc-cni model, not live formulas (docs/models.md).";

fn vpc_cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| lettered(build_vpc_cols()));
    &COLS
}

fn build_vpc_cols() -> Vec<Col> {
    let v = |id, header, width, format| Col {
        note: Some(VALUE_NOTE),
        ..col(id, header, width, format)
    };
    vec![
        col("scenario", "scenario", 22.0, Fmt::Text),
        col("instance_type", "instance type", 15.0, Fmt::Text),
        col("key", "catalog key", 15.0, Fmt::Text),
        col("instances", "# of instances", 9.0, Fmt::Int),
        col("pods", "pods per node", 9.0, Fmt::Int),
        col("daemonset", "daemonset pods", 9.0, Fmt::Int),
        col("host", "host-network pods", 9.0, Fmt::Int),
        col("weni", "WARM_ENI_TARGET", 9.0, Fmt::Int),
        col("wip", "WARM_IP_TARGET", 9.0, Fmt::Int),
        col("mip", "MINIMUM_IP_TARGET", 9.0, Fmt::Int),
        col("wpfx", "WARM_PREFIX_TARGET", 9.0, Fmt::Int),
        col("cn", "custom networking (1/0)", 9.0, Fmt::Int),
        v("mode", "mode", 15.0, Fmt::Text),
        col("unit", "addresses per CIDR", 9.0, Fmt::Int),
        col("e", "max ENIs (E)", 8.0, Fmt::Int),
        col("l", "IPv4 per ENI (L)", 8.0, Fmt::Int),
        col("s", "pool slots per ENI (S)", 8.0, Fmt::Int),
        col("k", "pod ENIs allowed (K)", 8.0, Fmt::Int),
        Col {
            note: Some(MAX_PODS_NOTE),
            ..col("mp", "max pods (MP)", 8.0, Fmt::Int)
        },
        col("mp_source", "max pods from", 11.0, Fmt::Text),
        col("p", "pool pods scheduled (p)", 9.0, Fmt::Int),
        col("cap", "capacity in CIDRs (K·S)", 9.0, Fmt::Int),
        col("gate", "max-pods gate in CIDRs", 9.0, Fmt::Int),
        col("target", "IP target", 9.0, Fmt::Int),
        col("boot", "boot CIDRs", 9.0, Fmt::Int),
        col("need", "CIDRs needed", 9.0, Fmt::Int),
        col("c", "pool CIDRs held (C)", 9.0, Fmt::Int),
        col("pod_enis", "pod ENIs", 8.0, Fmt::Int),
        col("enis", "ENIs per node", 8.0, Fmt::Int),
        col("prefixes", "prefixes per node", 9.0, Fmt::Int),
        col("held", "pod IPs held per node", 9.0, Fmt::Int),
        col("served", "active IPs (pool pods served)", 9.0, Fmt::Int),
        col("unused", "warm (unused) IPs", 9.0, Fmt::Int),
        col("active_enis", "active ENIs", 8.0, Fmt::Int),
        col("warm_enis", "warm ENIs", 8.0, Fmt::Int),
        col("trunk", "trunk ENIs per node", 8.0, Fmt::Int),
        col("branch", "branch ENI pods per node", 9.0, Fmt::Int),
        col("pending", "branch ENI pods pending per node", 9.0, Fmt::Int),
        col("without", "pods without IP per node", 9.0, Fmt::Int),
        col("node_ips", "node subnet IPs per node", 10.0, Fmt::Int),
        col("pod_ips", "pod subnet IPs per node", 10.0, Fmt::Int),
        col("ips", "subnet IPs per node", 10.0, Fmt::Int),
        v("oscillating", "oscillating", 10.0, Fmt::Bool),
        col("ips_total", "IPs total", 10.0, Fmt::Int),
        col("pod_total", "pod subnet IPs total", 10.0, Fmt::Int),
        col("node_total", "node subnet IPs total", 10.0, Fmt::Int),
        col("served_total", "pods served total", 10.0, Fmt::Int),
        col("without_total", "pods without IP total", 10.0, Fmt::Int),
    ]
}

/// Whether a node group's vpc-cni figures are written as live formulas: the §6 closed form in
/// cells covers the IPv4 pool without security groups for pods.
fn vpc_row_is_live(s: &Scenario, group: usize) -> bool {
    s.cni.ip_family == IpFamily::Ipv4
        && !s.cni.security_groups_for_pods
        && s.node_groups
            .get(group)
            .is_some_and(|g| g.branch_eni_pods == 0)
}

/// The vpc-cni model's per-node closed form (docs/models.md) in cells. Row `x` of the VPC CNI
/// sheet, Inputs row `i`.
fn vpc_cells(
    s: &Scenario,
    g: &NodeGroupUse,
    group: usize,
    row: u32,
    input_row: u32,
    key: String,
    vcpus_known: bool,
) -> Vec<Out> {
    let eff = EffectiveSettings::from_cni(&s.cni);
    // The closed form's steps, as the engine computed them (docs/models.md).
    let steps = &g.closed_form;
    let unit = if g.mode == Mode::PrefixDelegation {
        16
    } else {
        1
    };
    let slots = g.ips_per_eni.saturating_sub(1);
    let k = g.pod_eni_limit;
    let p = g.pool_pods_scheduled_per_node;
    let cidrs = g.pod_ips_per_node / unit;
    let pod_enis = if slots == 0 { 0 } else { cidrs.div_ceil(slots) };
    let cols = vpc_cols();
    let t = |template: &str| expand(template, cols, row + 1, input_row + 1);
    let live = vpc_row_is_live(s, group);
    let cells = vec![
        Out::Text(s.id.to_string()),
        Out::Text(g.instance_type.to_string()),
        catalog_key(&t, key, &g.instance_type),
        f(t("@{instances}"), g.instances),
        f(t("@{pods_per_node}"), g.pods_per_node),
        f(t("@{daemonset_pods}"), s.daemonset_pods),
        f(t("@{host_networking_ips}"), s.host_networking_ips),
        f(
            t("IF(@{warm_eni_target}=\"\",1,@{warm_eni_target})"),
            eff.warm_eni_target,
        ),
        f(
            t("IF(@{warm_ip_target}=\"\",0,@{warm_ip_target})"),
            eff.warm_ip_target,
        ),
        f(
            t("IF(@{minimum_ip_target}=\"\",0,@{minimum_ip_target})"),
            eff.minimum_ip_target,
        ),
        f(
            t("IF(@{warm_prefix_target}=\"\",1,@{warm_prefix_target})"),
            eff.warm_prefix_target,
        ),
        f(
            t("IF(@{custom_networking},1,0)"),
            u32::from(s.cni.custom_networking),
        ),
        Out::Text(g.mode.name().to_owned()),
        f(t("IF({mode}=\"prefix_delegation\",16,1)"), unit),
        // MAX_ENI lowers the limit when it is 1 … limit − 1.
        f(
            t("IF(AND(@{max_eni}>=1,@{max_eni}<#{max_enis}),@{max_eni},#{max_enis})"),
            g.max_enis,
        ),
        f(t("#{ipv4_per_eni}"), g.ips_per_eni),
        f(t("{l}-1"), slots),
        f(t("MAX({e}-{cn},0)"), k),
        // The node group's max_pods, else the EKS max-pods calculator (§9): (E − custom networking)
        // · (L − 1), ·16 with prefixes on Nitro (or a type the catalogue says nothing about, which
        // the engine takes for Nitro), + 2, capped at 110 up to 30 vCPUs and 250 above. Without
        // the vCPU count the engine guesses the cap from the size name: a value then.
        if vcpus_known {
            f(
                t(
                    "IF(@{max_pods}<>\"\",@{max_pods},IF(@{max_pods_rule}=\"table\",#{max_pods},\
                   MIN(MAX({e}-{cn},0)*({l}-1)*\
                   IF(AND({mode}=\"prefix_delegation\",OR(#{hypervisor}=\"nitro\",#{prefix_delegation}=\"\")),16,1)+2,\
                   IF(#{vcpus}>30,250,110))))",
                ),
                g.max_pods,
            )
        } else {
            num(g.max_pods)
        },
        ftext(
            t(
                "IF(@{max_pods}<>\"\",\"node_group\",IF(@{max_pods_rule}=\"table\",\"table\",\"calculator\"))",
            ),
            g.max_pods_source.name(),
        ),
        f(t("MIN({pods}+{daemonset},MAX({mp}-{host},0))"), p),
        f(t("{k}*{s}"), steps.cap as f64),
        f(t("ROUNDUP({mp}/{unit},0)"), steps.gate as f64),
        f(
            t("IF({wip}>0,MAX({p}+{wip},{mip}),{mip})"),
            steps.target as f64,
        ),
        f(
            t("IF({s}=0,0,IF(OR({wip}>0,{mip}>0),\
               MIN(IF(ROUNDUP(MAX({wip},{mip})/{unit},0)<{gate},ROUNDUP(MAX({wip},{mip})/{unit},0),\
               MIN(ROUNDUP(MAX({wip},{mip})/{unit},0),{s}*ROUNDUP({gate}/{s},0))),{cap}),\
               IF({unit}=16,MIN(IF({wpfx}>=1,IF({wpfx}<{gate},{wpfx},MIN({wpfx},{s}*ROUNDUP({gate}/{s},0))),1),{cap}),0)))"),
            steps.boot as f64,
        ),
        f(
            t(
                "IF({s}=0,0,IF(OR({wip}>0,{mip}>0),ROUNDUP({target}/{unit},0),IF({unit}=1,\
               IF({weni}>=1,ROUNDUP({p}/{s},0)+{weni},INT({p}/{s})+1)*{s},\
               ROUNDUP({p}/16,0)+IF({wpfx}>=1,{wpfx},IF(MOD({p},16)=0,1,0)))))",
            ),
            steps.need as f64,
        ),
        f(
            t(
                "IF({s}=0,0,IF(AND({unit}=1,{wip}=0,{mip}=0),MIN({need},{cap},ROUNDUP({mp}/{s},0)*{s}),\
               MAX({boot},MIN({need},{cap},{gate}))))",
            ),
            cidrs,
        ),
        f(t("IF({s}=0,0,ROUNDUP({c}/{s},0))"), pod_enis),
        f(
            t("IF({cn}=1,1+{pod_enis},MAX(1,{pod_enis}))"),
            g.enis_per_node,
        ),
        f(t("IF({unit}=16,{c},0)"), g.prefixes_per_node),
        f(t("{c}*{unit}"), g.pod_ips_per_node),
        f(t("MIN({p},{held})"), g.active_ips_per_node),
        f(t("{held}-{served}"), g.unused_ips_per_node),
        f(
            t("IF({s}=0,0,ROUNDUP({served}/({s}*{unit}),0))"),
            g.active_enis_per_node,
        ),
        // The ENIs that can hold pool addresses, less the active ones.
        f(
            t("IF({cn}=1,{pod_enis},MAX(1,{pod_enis}))-{active_enis}"),
            g.warm_enis_per_node,
        ),
        num(g.trunk_enis_per_node),
        num(g.branch_eni_pods_per_node),
        num(g.branch_eni_pods_pending_per_node),
        f(t("{pods}+{daemonset}-{served}"), g.pods_without_ip_per_node),
        f(
            t("IF({cn}=1,1,MAX(1,{pod_enis})+{held})"),
            g.node_subnet_ips_per_node,
        ),
        f(
            t("IF({cn}=1,{pod_enis}+{held},0)"),
            g.pod_subnet_ips_per_node,
        ),
        f(t("{node_ips}+{pod_ips}"), g.ips_per_node),
        Out::Bool(g.oscillating),
        f(t("{ips}*{instances}"), g.ips_total as f64),
        f(t("{pod_ips}*{instances}"), g.pod_subnet_ips_total as f64),
        f(t("{node_ips}*{instances}"), g.node_subnet_ips_total as f64),
        f(t("({served}+{branch})*{instances}"), g.pods_total as f64),
        f(t("{without}*{instances}"), g.pods_without_ip_total as f64),
    ];
    debug_assert_eq!(cells.len(), cols.len());
    // Identity and settings stay live on every row; the closed form only where it applies.
    let intermediate = ["target", "boot", "need"].map(|id| cols.iter().position(|c| c.id == id));
    let first_figure = cols
        .iter()
        .position(|c| c.id == "mode")
        .unwrap_or(cols.len());
    cells
        .into_iter()
        .enumerate()
        .map(|(c, cell)| match c {
            _ if live || c < first_figure => cell,
            // The closed form's intermediate steps mean nothing for these rows.
            _ if intermediate.contains(&Some(c)) => Out::Blank,
            _ => cell.value_only(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------

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

/// What the Summary sheet counts.
struct Stats {
    scenarios: usize,
    node_groups: usize,
    out_of_addresses: usize,
    over_80_pct: usize,
    outputs: usize,
}

/// Evaluates `jobs` and writes the report to `out` (the caller renames it into place); returns
/// the number of evaluations. `progress` is told how many evaluations each step did (each is
/// evaluated twice, see below).
///
/// Memory stays bounded by the size of the inputs: a first pass evaluates chunk by chunk and keeps
/// only each evaluation's summary (for Outputs and for the row positions that Outputs' formulas
/// point at); a second pass evaluates again, chunk by chunk, and streams the per-instance rows
/// to constant-memory sheets.
pub fn write_report<W: Write + Send>(
    out: W,
    jobs: &[Job],
    provenance: &Provenance,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<usize> {
    let path = Path::new("report");
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

    // Pass 1: summaries, and where each evaluation's rows will be on its model's sheet.
    let mut summaries: Vec<Evaluation> = Vec::with_capacity(evaluation_rows);
    let (mut wb_rows, mut vpc_rows) = (0u32, 0u32);
    let mut spans: Vec<Span> = Vec::with_capacity(evaluation_rows);
    for (_, evaluations) in chunks() {
        progress(evaluations.len());
        for mut e in evaluations {
            let n = e.node_groups.len() as u32;
            let counter = match e.node_groups {
                NodeGroupResults::Workbook(_) => &mut wb_rows,
                NodeGroupResults::VpcCni(_) => &mut vpc_rows,
            };
            spans.push((n > 0).then(|| (*counter + 1, *counter + n)));
            *counter += n;
            e.node_groups = match e.model {
                Model::Workbook => NodeGroupResults::Workbook(Vec::new()),
                Model::VpcCni => NodeGroupResults::VpcCni(Vec::new()),
            };
            summaries.push(e);
        }
    }

    // Row positions of the Inputs sheet.
    let mut input_rows = Vec::with_capacity(jobs.len());
    let mut next_input = 1u32;
    for job in jobs {
        input_rows.push(next_input);
        next_input += job.scenario.node_groups.len() as u32;
    }
    let catalog_rows = CatalogRows::build(jobs.iter());

    // Pass 2: per-instance sheets and Inputs, row by row.
    let mut wb_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let mut vpc_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let mut in_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let wcols = workbook_cols();
    let vcols = vpc_cols();
    let icols = input_cols();
    start_sheet(
        &mut wb_sheet,
        sheets::WORKBOOK,
        wcols,
        wb_rows as usize,
        &fmt,
    )
    .map_err(&err)?;
    start_sheet(
        &mut vpc_sheet,
        sheets::VPC_CNI,
        vcols,
        vpc_rows as usize,
        &fmt,
    )
    .map_err(&err)?;
    start_sheet(&mut in_sheet, sheets::INPUTS, icols, node_group_rows, &fmt).map_err(&err)?;
    let (mut wrow, mut vrow, mut k) = (1u32, 1u32, 0usize);
    for (chunk, evaluations) in chunks() {
        progress(evaluations.len());
        let mut evaluations = evaluations.into_iter();
        for job in chunk {
            let results: Vec<Evaluation> = evaluations.by_ref().take(job.models.len()).collect();
            let scenario = &job.scenario;
            for g in 0..scenario.node_groups.len() {
                write_row(
                    &mut in_sheet,
                    input_rows[k] + g as u32,
                    icols,
                    input_cells(scenario, g),
                )
                .map_err(&err)?;
            }
            for e in results {
                match &e.node_groups {
                    NodeGroupResults::Workbook(rows) => {
                        let sheet = e.sheet.unwrap_or(crate::engine::workbook::Sheet::WarmEni);
                        let warm = warm_of(scenario);
                        for (g, r) in rows.iter().enumerate() {
                            let key = catalog_rows.key(&job.catalog, &r.instance_type);
                            let cells = workbook_cells(
                                scenario,
                                r,
                                sheet,
                                warm,
                                wrow,
                                input_rows[k] + g as u32,
                                key,
                            );
                            write_row(&mut wb_sheet, wrow, wcols, cells).map_err(&err)?;
                            wrow += 1;
                        }
                    }
                    NodeGroupResults::VpcCni(rows) => {
                        for (g, r) in rows.iter().enumerate() {
                            let key = catalog_rows.key(&job.catalog, &r.instance_type);
                            // The calculator's cap needs the vCPU count; the other sources do not.
                            let vcpus_known = r.max_pods_source != MaxPodsSource::Calculator
                                || job
                                    .catalog
                                    .get(&r.instance_type)
                                    .is_some_and(|l| l.vcpus.is_some());
                            let cells = vpc_cells(
                                scenario,
                                r,
                                g,
                                vrow,
                                input_rows[k] + g as u32,
                                key,
                                vcpus_known,
                            );
                            write_row(&mut vpc_sheet, vrow, vcols, cells).map_err(&err)?;
                            if !vpc_row_is_live(scenario, g) {
                                let note = Note::new(SPECIAL_ROW_NOTE).set_author("subnet-calc");
                                vpc_sheet.insert_note(vrow, 12, &note).map_err(&err)?;
                            }
                            vrow += 1;
                        }
                    }
                }
            }
            k += 1;
        }
    }

    // Outputs, from the summaries.
    let mut out_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let ocols = output_cols();
    start_sheet(
        &mut out_sheet,
        sheets::OUTPUTS,
        ocols,
        evaluation_rows,
        &fmt,
    )
    .map_err(&err)?;
    let mut orow = 1u32;
    let mut next = summaries.iter().zip(&spans);
    for (job, &input_row) in jobs.iter().zip(&input_rows) {
        for _ in job.models {
            let (e, span) = next.next().expect("one summary per job and model");
            let cells = output_cells(e, &job.scenario, &job.catalog, *span, input_row, orow);
            write_row(&mut out_sheet, orow, ocols, cells).map_err(&err)?;
            orow += 1;
        }
    }
    if evaluation_rows > 0 {
        let last = evaluation_rows as u32;
        out_sheet
            .add_conditional_format(
                1,
                5,
                last,
                5,
                &ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::LessThan(0))
                    .set_format(&fmt.red),
            )
            .map_err(&err)?;
        out_sheet
            .add_conditional_format(
                1,
                6,
                last,
                6,
                &ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::GreaterThan(0.8))
                    .set_format(&fmt.amber),
            )
            .map_err(&err)?;
    }

    // Subnets: each node and pod subnet of the vpc-cni evaluations.
    let mut subnet_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let scols = subnet_cols();
    let subnet_rows: usize = summaries.iter().map(|e| e.subnets.len()).sum();
    start_sheet(&mut subnet_sheet, sheets::SUBNETS, scols, subnet_rows, &fmt).map_err(&err)?;
    let mut srow = 1u32;
    for e in &summaries {
        for u in &e.subnets {
            let x = srow + 1;
            let cells = vec![
                Out::Text(e.scenario.to_string()),
                Out::Text(u.subnet.to_string()),
                Out::Text(u.role.to_owned()),
                num(u.nodes as f64),
                num(u.ips as f64),
                num(u.used_ips as f64),
                f(expand("{ips}-{used}", scols, x, 0), u.remaining_ips as f64),
                match u.ips {
                    0 => Out::Blank,
                    ips => f(
                        expand("{used}/{ips}", scols, x, 0),
                        u.used_ips as f64 / ips as f64,
                    ),
                },
                opt_num(u.prefix_blocks_available.map(|v| v as f64)),
                opt_num(u.prefix_blocks_needed.map(|v| v as f64)),
            ];
            write_row(&mut subnet_sheet, srow, scols, cells).map_err(&err)?;
            srow += 1;
        }
    }
    if subnet_rows > 0 {
        let remaining = scols.iter().position(|c| c.id == "remaining").unwrap_or(0) as u16;
        let red = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::LessThan(0))
            .set_format(&fmt.red);
        subnet_sheet
            .add_conditional_format(1, remaining, subnet_rows as u32, remaining, &red)
            .map_err(&err)?;
    }

    // Catalog.
    let mut cat_sheet = wb.new_worksheet_with_constant_memory().map_err(&err)?;
    let ccols = catalog_cols();
    start_sheet(
        &mut cat_sheet,
        sheets::CATALOG,
        ccols,
        catalog_rows.rows.len(),
        &fmt,
    )
    .map_err(&err)?;
    let mut sorted: Vec<&(String, &InstanceLimits)> = catalog_rows.rows.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (r, (key, l)) in sorted.into_iter().enumerate() {
        let cells = vec![
            Out::Text(key.clone()),
            Out::Text(l.instance_type.clone()),
            opt_num(l.max_enis),
            opt_num(l.ipv4_per_eni),
            opt_num(l.max_pods),
            l.hypervisor.clone().map_or(Out::Blank, Out::Text),
            l.bare_metal.map_or(Out::Blank, Out::Bool),
            opt_num(l.vcpus),
            l.supports_prefix_delegation().map_or(Out::Blank, Out::Bool),
            l.trunking_compatible.map_or(Out::Blank, Out::Bool),
            opt_num(l.branch_interfaces),
            Out::Text(l.sources.join("; ")),
        ];
        write_row(&mut cat_sheet, r as u32 + 1, ccols, cells).map_err(&err)?;
    }

    // Summary, first.
    let stats = Stats {
        scenarios: input_rows.len(),
        node_groups: node_group_rows,
        out_of_addresses: summaries
            .iter()
            .filter(|e| e.remaining_ips.is_some_and(|x| x < 0))
            .count(),
        over_80_pct: summaries
            .iter()
            .filter(|e| e.utilization_pct().is_some_and(|u| u > 80.0))
            .count(),
        outputs: evaluation_rows,
    };
    let summary = wb.add_worksheet();
    write_summary(summary, &stats, provenance, &fmt).map_err(&err)?;
    wb.push_worksheet(out_sheet);
    wb.push_worksheet(in_sheet);
    if provenance.models.contains(&Model::Workbook) {
        wb.push_worksheet(wb_sheet);
    }
    if provenance.models.contains(&Model::VpcCni) {
        wb.push_worksheet(vpc_sheet);
    }
    if provenance.models.contains(&Model::VpcCni) {
        wb.push_worksheet(subnet_sheet);
    }
    wb.push_worksheet(cat_sheet);
    // A writer that fails once and then takes everything, so that the zip writer's cleanup after
    // a failure (a full disk) does not print a second message of its own.
    let mut out = FailOnce::new(out);
    wb.save_to_writer(&mut out).map_err(&err)?;
    Ok(evaluation_rows)
}

/// The warm target the workbook model used (B13).
fn warm_of(s: &Scenario) -> u32 {
    crate::engine::workbook::sheet_for(s).map_or(0, |(_, w)| w)
}

/// How many scenario bars the chart shows at most; more would be unreadable.
const CHART_ROWS: u32 = 40;

fn write_summary(
    ws: &mut Worksheet,
    stats: &Stats,
    p: &Provenance,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(sheets::SUMMARY)?;
    ws.set_landscape().set_print_fit_to_pages(1, 1);
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 70)?;
    ws.write_string_with_format(0, 0, "EKS subnet IP usage", &fmt.title)?;
    ws.set_row_height(0, 28)?;
    ws.write_string(
        1,
        0,
        "How many IPv4 addresses the clusters take from their VPC subnets, and what remains.",
    )?;
    let date = ExcelDateTime::from_timestamp(p.generated_at)?;
    let date_format = Format::new()
        .set_num_format("yyyy-mm-dd hh:mm \"UTC\"")
        .set_align(FormatAlign::Left);
    let rows: Vec<(&str, Out)> = vec![
        (
            "Tool",
            Out::Text(format!("subnet-calc {}", env!("CARGO_PKG_VERSION"))),
        ),
        ("Generated", Out::Blank),
        (
            "Models",
            Out::Text(
                p.models
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        ("Inputs", Out::Text(p.inputs.join(", "))),
        ("Catalogue sources", Out::Text(p.catalog_sources.join(", "))),
        ("Scenarios", num(stats.scenarios as f64)),
        ("Node groups", num(stats.node_groups as f64)),
    ];
    let mut r = 3u32;
    for (label, value) in rows {
        ws.write_string_with_format(r, 0, label, &fmt.label)?;
        if label == "Generated" {
            ws.write_datetime_with_format(r, 1, &date, &date_format)?;
        } else if matches!(value, Out::Num(_)) {
            put(ws, r, 1, value, Some(&fmt.int_left))?;
        } else {
            put(ws, r, 1, value, Some(&fmt.wrap))?;
        }
        r += 1;
    }
    let (short, busy, outputs) = (stats.out_of_addresses, stats.over_80_pct, stats.outputs);
    let last = outputs.max(1) + 1;
    ws.write_string_with_format(r, 0, "Evaluations out of addresses", &fmt.label)?;
    put(
        ws,
        r,
        1,
        f(
            format!("COUNTIF(Outputs!$F$2:$F${last},\"<0\")"),
            short as f64,
        ),
        Some(&fmt.int_left),
    )?;
    r += 1;
    ws.write_string_with_format(r, 0, "Evaluations over 80 % used", &fmt.label)?;
    put(
        ws,
        r,
        1,
        f(
            format!("COUNTIF(Outputs!$G$2:$G${last},\">0.8\")"),
            busy as f64,
        ),
        Some(&fmt.int_left),
    )?;
    r += 2;
    ws.write_string(r, 0, "Sheets: Outputs (per scenario and model), Inputs, the per-instance sheet of each model, Subnets, Catalog. Change an input and the formulas follow.")?;
    r += 1;

    if outputs > 0 {
        let shown = (outputs as u32).min(CHART_ROWS);
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Subnet addresses per scenario");
        chart
            .add_series()
            .set_name((sheets::OUTPUTS, 0, 4))
            .set_categories((sheets::OUTPUTS, 1, 14, shown, 14))
            .set_values((sheets::OUTPUTS, 1, 4, shown, 4));
        chart
            .add_series()
            .set_name((sheets::OUTPUTS, 0, 5))
            .set_categories((sheets::OUTPUTS, 1, 14, shown, 14))
            .set_values((sheets::OUTPUTS, 1, 5, shown, 5));
        // In a bar chart the y axis holds the categories: reversed, the first scenario is on top.
        chart
            .y_axis()
            .set_reverse()
            .set_label_position(rust_xlsxwriter::ChartAxisLabelPosition::Low);
        chart
            .x_axis()
            .set_name("IPv4 addresses")
            .set_num_format("#,##0");
        chart
            .legend()
            .set_position(rust_xlsxwriter::ChartLegendPosition::Top);
        chart.set_width(760).set_height(120 + 22 * shown);
        ws.insert_chart(r + 1, 0, &chart)?;
        if outputs as u32 > CHART_ROWS {
            ws.write_string(r, 0, format!("The chart shows the first {CHART_ROWS} of {outputs} evaluations; see Outputs for all."))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_columns_not_letters() {
        let cols = workbook_cols();
        assert_eq!(letter(cols, "in_use"), "N");
        assert_eq!(
            expand("ROUNDUP({pods}/{ips_per_eni},0)", cols, 7, 3),
            "ROUNDUP(F7/J7,0)"
        );
        assert_eq!(
            expand("@{pods_per_node}+@{max_eni}", cols, 7, 3),
            "Inputs!$Q3+Inputs!$T3"
        );
        assert_eq!(
            expand("#{max_enis}", cols, 7, 3),
            "INDEX(Catalog!$C:$C,MATCH($D7,Catalog!$A:$A,0))"
        );
        // Comparison operators stay as they are.
        assert_eq!(
            expand("IF({pods}<{warm},1,0)>=2", cols, 2, 2),
            "IF(F2<G2,1,0)>=2"
        );
    }

    #[test]
    #[should_panic(expected = "no report column")]
    fn an_unknown_column_is_a_bug_caught_at_once() {
        expand("{no_such_column}", workbook_cols(), 2, 2);
    }

    #[test]
    fn every_sheet_has_unique_column_ids() {
        for cols in [
            input_cols(),
            catalog_cols(),
            workbook_cols(),
            output_cols(),
            vpc_cols(),
            subnet_cols(),
        ] {
            let mut ids: Vec<&str> = cols.iter().map(|c| c.id).collect();
            ids.sort_unstable();
            let before = ids.len();
            ids.dedup();
            assert_eq!(before, ids.len(), "duplicate column id");
        }
    }
}
