//! The Summary sheet, the answer first: per model, in plain words, the scenarios evaluated, how
//! many run out of addresses, how many have a subnet above 80 % used, the worst and the subnet
//! size it needs; beside it the report's provenance; then, per model, the 20 worst scenarios by
//! their fullest subnet % in a table beside a chart of the same rows. Every figure is a live formula over
//! the Outputs sheet (counts by model, never mixed; the ranking through LARGE and MATCH on a
//! hidden column of Outputs), with the value the engine's figures give cached.
//!
//! The chart plots each evaluation's fullest subnet %, worst first, as bars over a light band that
//! marks 80 % and 100 %; bars are coloured by band (up to 80 %, 80 to 100 %, over 100 %); its
//! height follows the number of bars, and its axis stops at 160 % at most so that one scenario
//! short by thousands does not flatten the others (its bar runs off the axis, labelled with its
//! real value). Evaluations without a use (unsupported, invalid, errors) are left out and
//! counted in a line of text.

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ExcelDateTime, Format, FormatAlign,
    Worksheet, XlsxError,
};

use crate::catalog::builtin::InstanceData;
use crate::evaluation::{Evaluation, Model, Status};
use crate::report_layout::{MODELS_LABEL, sheets};

use super::cell::{Cell, num, put};
use super::cell_formats::Formats;
use super::outputs_sheet;
use super::sheet_setup;
use super::summary_chart::{chart, chart_height, write_key};
use super::summary_layout::{
    BAND, CHART_COL, CHART_COL_WIDTH, HELPER_COL, LAST_COL, MARK_80, MARK_100, P, TABLE, V,
    printed_width,
};

/// Where the report came from, for the Summary sheet.
#[derive(Debug, Clone)]
pub struct ReportInfo {
    /// The input files, as named on the command line.
    pub inputs: Vec<String>,
    /// The inputs (or sheets) left out because they could not be read, each with why.
    pub left_out: Vec<String>,
    /// The instance data used: the built-in catalogue and the catalogue sources over it.
    pub instance_data: InstanceData,
    /// The models run.
    pub models: Vec<Model>,
    /// When the report was made, in seconds since the Unix epoch (UTC).
    pub generated_at: i64,
}

/// Rows of each model's worst-first table, and bars of its chart.
pub const WORST_ROWS: usize = 20;

/// Counts that the Summary shows for one model, and its evaluations worst first.
pub(super) struct ModelFigures<'a> {
    pub model: Model,
    /// The model's column in the answer block.
    col: u16,
    evaluated: usize,
    out_of_addresses: usize,
    above_80: usize,
    /// The evaluations with a use, worst first (ties in Outputs order, as MATCH finds them):
    /// their position on Outputs (1-based), use, and evaluation.
    pub ranked: Vec<(u32, f64, &'a Evaluation)>,
}

impl<'a> ModelFigures<'a> {
    fn of(model: Model, col: u16, evaluations: &'a [Evaluation]) -> Self {
        let mine = || {
            evaluations
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.model == model)
        };
        let mut ranked: Vec<(u32, f64, &Evaluation)> = mine()
            .filter_map(|(i, e)| outputs_sheet::fullest_use(e).map(|u| (i as u32 + 1, u, e)))
            .collect();
        // Stable: equal uses keep their Outputs order.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ModelFigures {
            model,
            col,
            evaluated: mine().count(),
            out_of_addresses: mine()
                .filter(|(_, e)| e.status == Status::Ok && e.out_of_addresses)
                .count(),
            above_80: mine()
                .filter(|(_, e)| outputs_sheet::fullest_use(e).is_some_and(|u| u > 0.8))
                .count(),
            ranked,
        }
    }

    /// Rows of its table and bars of its chart.
    fn shown(&self) -> usize {
        self.ranked.len().min(WORST_ROWS)
    }

    /// The largest use, a fraction (0 without any).
    fn worst(&self) -> f64 {
        self.ranked.first().map_or(0.0, |r| r.1)
    }
}

/// The models in the order the Summary shows them: what the CNI allocates first.
fn shown_models(models: &[Model]) -> Vec<Model> {
    [Model::VpcCni, Model::Workbook]
        .into_iter()
        .filter(|m| models.contains(m))
        .collect()
}

/// What the Summary needs to know of the rest of the report.
pub(super) struct Context<'a> {
    pub info: &'a ReportInfo,
    /// The evaluations, in Outputs order (their node groups dropped).
    pub evaluations: &'a [Evaluation],
    pub scenarios: usize,
    pub node_groups: usize,
}

/// The first row of the sections (0-based), below the answer.
const FIRST_SECTION: u32 = 13;

/// Writes the Summary sheet.
pub(super) fn write(ws: &mut Worksheet, cx: &Context<'_>, fmt: &Formats) -> Result<(), XlsxError> {
    ws.set_name(sheets::SUMMARY)?;
    // Every formula is written with its result; an empty one is an empty text, not 0.
    ws.set_formula_result_default("");
    // Printed one page wide, at 8 points or larger (the widths are chosen for it), over the
    // columns of the table and the chart: the text that runs past them is cut.
    ws.set_landscape().set_margins(
        sheet_setup::SIDE_MARGIN,
        sheet_setup::SIDE_MARGIN,
        0.75,
        0.75,
        0.3,
        0.3,
    );
    if sheet_setup::fits_one_page(printed_width()) {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale(sheet_setup::ACROSS_SCALE);
    }
    for (i, (_, width)) in TABLE.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
    }
    for c in CHART_COL..=LAST_COL {
        ws.set_column_width(c, CHART_COL_WIDTH)?;
    }
    for c in HELPER_COL..=MARK_80 {
        ws.set_column_hidden(c)?;
    }
    ws.write_string_with_format(0, 0, "EKS subnet IP usage", &fmt.title)?;
    ws.set_row_height(0, 28)?;
    ws.write_string_with_format(
        1,
        0,
        "How many IPv4 addresses the clusters take from their VPC subnets, and the subnet size they need.",
        &fmt.subtitle,
    )?;
    let rows = cx.evaluations.len() as u32;
    let figures: Vec<ModelFigures> = shown_models(&cx.info.models)
        .into_iter()
        .enumerate()
        .map(|(i, m)| ModelFigures::of(m, 1 + i as u16, cx.evaluations))
        .collect();
    let mut sections = Vec::with_capacity(figures.len());
    let mut top = FIRST_SECTION;
    for fig in &figures {
        sections.push(top);
        top += section_height(fig.shown());
    }
    write_answer(ws, &figures, &sections, rows, fmt)?;
    write_provenance(ws, cx, fmt)?;
    for (fig, &top) in figures.iter().zip(&sections) {
        write_section(ws, fig, top, rows, fmt)?;
    }
    ws.set_print_area(0, 0, top, LAST_COL)?;
    // Each model after the first starts a page.
    if sections.len() > 1 {
        ws.set_page_breaks(&sections[1..])?;
    }
    Ok(())
}

/// The answer block's labels, from row 4 (0-based).
const ANSWER: [&str; 7] = [
    "Scenarios evaluated",
    "Out: a subnet over 100 %",
    "Fullest subnet over 80 %",
    "The worst scenario",
    "Its fullest subnet %",
    "The subnet size it needs",
    "Left out of the chart",
];

/// The lines under the answer: what the models are, and which figure the answer ranks by.
const FOOTNOTE: [&str; 2] = [
    "vpc-cni: what the Amazon VPC CNI really allocates. workbook: the legacy subnet-calc.xlsx \
     formulas, for comparison.",
    "Fullest subnet %: the single subnet closest to exhaustion (of a list, the pod subnet, /28 \
     blocks). Outputs also gives Use % (node subnets), all of them together.",
];

/// Rows of the answer block (0-based).
const EVALUATED: u32 = 4;
const NOT_CHARTED: u32 = 10;

/// The answer, per model (one column each), in plain words.
fn write_answer(
    ws: &mut Worksheet,
    figures: &[ModelFigures],
    sections: &[u32],
    rows: u32,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    // Rows whose text wraps get their height set here: a spreadsheet app that fits a row to its
    // text would move everything below, but not the charts.
    ws.set_row_height(3, 30)?;
    ws.write_string_with_format(3, 0, "The answer", &fmt.header)?;
    for (i, label) in ANSWER.iter().enumerate() {
        ws.write_string_with_format(EVALUATED + i as u32, 0, *label, &fmt.label)?;
    }
    let model_col = outputs_sheet::column("model", rows);
    for (fig, &top) in figures.iter().zip(sections) {
        let col = fig.col;
        let m = fig.model.name();
        ws.write_string_with_format(3, col, format!("{m} model"), &fmt.header)?;
        let count = |extra: String| format!("COUNTIFS({model_col},\"{m}\"{extra})");
        let counts = [
            (count(String::new()), fig.evaluated),
            (
                count(format!(",{},1", outputs_sheet::column("short", rows))),
                fig.out_of_addresses,
            ),
            (
                count(format!(
                    ",{},\">0.8\"",
                    outputs_sheet::column(outputs_sheet::rank_id(fig.model), rows)
                )),
                fig.above_80,
            ),
        ];
        for (i, (formula, value)) in counts.into_iter().enumerate() {
            put(
                ws,
                EVALUATED + i as u32,
                col,
                Cell::formula(formula, value as f64),
                Some(&fmt.int_left),
            )?;
        }
        // The worst is the first row of the model's worst-first table.
        let first = top + 3;
        let cell = |c: u16| crate::text::cell_name(first, u32::from(c));
        match fig.ranked.first() {
            Some(&(_, worst, e)) => {
                put(
                    ws,
                    7,
                    col,
                    Cell::formula_text(cell(0), &e.scenario),
                    Some(&fmt.label),
                )?;
                put(
                    ws,
                    8,
                    col,
                    Cell::formula(cell(1), worst),
                    Some(&fmt.pct_left),
                )?;
                let needs = match e.min_subnet_prefix {
                    Some(n) => Cell::formula(cell(3), n),
                    None => Cell::formula_text(cell(3), ""),
                };
                put(ws, 9, col, needs, Some(&fmt.prefix_left))?;
            }
            // Evaluated, but none with a use (unsupported, invalid, errors): not "none evaluated".
            None if fig.evaluated > 0 => {
                ws.write_string(7, col, "none with figures")?;
            }
            None => {
                ws.write_string(7, col, "none evaluated")?;
            }
        }
        let not_charted = format!(
            "{}-COUNT({})",
            crate::text::cell_name(EVALUATED, u32::from(col)),
            outputs_sheet::column(outputs_sheet::rank_id(fig.model), rows)
        );
        let left_out = (fig.evaluated - fig.ranked.len()) as f64;
        put(
            ws,
            NOT_CHARTED,
            col,
            Cell::formula(not_charted, left_out),
            Some(&fmt.int_left),
        )?;
    }
    for (row, line) in (11..).zip(FOOTNOTE) {
        ws.write_string(row, 0, line)?;
    }
    Ok(())
}

/// The provenance, beside the answer.
fn write_provenance(ws: &mut Worksheet, cx: &Context<'_>, fmt: &Formats) -> Result<(), XlsxError> {
    let p = cx.info;
    // Labels in column D, values from E (read::report_input reads the value beside the Models label).
    let (label_col, value_col) = (3u16, 4u16);
    ws.write_string_with_format(3, label_col, "About this report", &fmt.header)?;
    for c in value_col..=LAST_COL {
        ws.write_blank(3, c, &fmt.header)?;
    }
    let date = ExcelDateTime::from_timestamp(p.generated_at)?;
    let date_format = Format::new()
        .set_num_format("yyyy-mm-dd hh:mm \"UTC\"")
        .set_align(FormatAlign::Left);
    // A run over hundreds of workbooks names them all on one line: cut, with their count.
    let list = |items: &[String]| {
        let text = items.join(", ");
        if text.chars().count() > 80 {
            let cut: String = text.chars().take(70).collect();
            format!("{cut}… ({} in all)", items.len())
        } else {
            text
        }
    };
    let models: Vec<&str> = p.models.iter().map(|m| m.name()).collect();
    // What could not be read is said where the inputs are named: the figures leave it out.
    let inputs = if p.left_out.is_empty() {
        list(&p.inputs)
    } else {
        // Each by its place (the message's head); standard error and the JSON say why.
        let places: Vec<String> = p
            .left_out
            .iter()
            .map(|why| {
                why.split_once(": ")
                    .map_or(why.as_str(), |(at, _)| at)
                    .to_owned()
            })
            .collect();
        format!(
            "{}; LEFT OUT, could not be read: {}",
            list(&p.inputs),
            list(&places)
        )
    };
    let rows: [(&str, Cell); 7] = [
        (
            "Tool",
            Cell::Text(format!("subnet-calc {}", env!("CARGO_PKG_VERSION"))),
        ),
        ("Generated", Cell::Blank),
        (MODELS_LABEL, Cell::Text(models.join(", "))),
        ("Inputs", Cell::Text(inputs)),
        // A run over hundreds of workbooks names each one's lookup sheets: cut as the inputs.
        (
            "Instance data",
            Cell::Text(
                p.instance_data
                    .describe_over(&list(&p.instance_data.catalogs)),
            ),
        ),
        ("Scenarios", num(cx.scenarios as f64)),
        ("Node groups", num(cx.node_groups as f64)),
    ];
    for (i, (label, value)) in rows.into_iter().enumerate() {
        let r = EVALUATED + i as u32;
        ws.write_string_with_format(r, label_col, label, &fmt.label)?;
        if label == "Generated" {
            // Merged over the chart's columns: wider than its own column, a date would show ###.
            ws.merge_range(r, value_col, r, LAST_COL, "", &date_format)?;
            ws.write_datetime_with_format(r, value_col, &date, &date_format)?;
        } else if matches!(value, Cell::Num(_)) {
            put(ws, r, value_col, value, Some(&fmt.int_left))?;
        } else {
            put(ws, r, value_col, value, None)?;
        }
    }
    Ok(())
}

/// Rows a model's section takes: its heading and sentence, the table or the chart (rows of 20
/// pixels), and a gap.
fn section_height(bars: usize) -> u32 {
    let chart_rows = chart_height(bars).div_ceil(20);
    2 + chart_rows.max(bars as u32 + 1) + 2
}

/// The start of a section's sentence for `shown` rows: in words for none and one.
fn lead(shown: usize) -> String {
    match shown {
        0 => "No scenario with a figure to show".into(),
        1 => "The one scenario with a figure".into(),
        n => format!("The {n} whose fullest subnet is fullest"),
    }
}

/// One model's worst-first table, beside its chart.
fn write_section(
    ws: &mut Worksheet,
    fig: &ModelFigures,
    top: u32,
    rows: u32,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let m = fig.model.name();
    ws.write_string_with_format(
        top,
        0,
        format!("{m} model: the scenarios whose fullest subnet is fullest"),
        &fmt.section,
    )?;
    for c in 1..=LAST_COL {
        ws.write_blank(top, c, &fmt.section)?;
    }
    let shown = fig.shown();
    // A sentence of live counts: how many are shown, of how many, and how many are left out.
    let evaluated = crate::text::cell_name(EVALUATED, u32::from(fig.col));
    let left_out = crate::text::cell_name(NOT_CHARTED, u32::from(fig.col));
    let lead = lead(shown);
    let sentence = format!(
        "\"{lead}, of \"&{evaluated}&\" evaluated; \"&{left_out}&\" without a figure left out.\""
    );
    let text = format!(
        "{lead}, of {} evaluated; {} without a figure left out.",
        fig.evaluated,
        fig.evaluated - fig.ranked.len()
    );
    put(ws, top + 1, 0, Cell::formula_text(sentence, &text), None)?;
    if shown > 0 {
        write_key(ws, top + 1)?;
    }
    let header = top + 2;
    ws.set_row_height(header, 45)?;
    for (i, (title, _)) in TABLE.iter().enumerate() {
        ws.write_string_with_format(header, i as u16, *title, &fmt.header)?;
    }
    if shown == 0 {
        ws.write_string(header + 1, 0, "No scenario has a figure under this model.")?;
        return Ok(());
    }
    let key = outputs_sheet::column(outputs_sheet::rank_id(fig.model), rows);
    let at = |id: &str| outputs_sheet::column(id, rows);
    let key_last = outputs_sheet::last_cell(outputs_sheet::rank_id(fig.model), rows);
    for (k, &(pos, use_, e)) in fig.ranked.iter().take(shown).enumerate() {
        let r = header + 1 + k as u32;
        let (v, p) = (
            crate::text::cell_name(r, u32::from(V)),
            crate::text::cell_name(r, u32::from(P)),
        );
        put(
            ws,
            r,
            V,
            Cell::formula(format!("IFERROR(LARGE({key},{}),\"\")", k + 1), use_),
            None,
        )?;
        // The k-th largest's position: the first with its value, or, when it ties with the
        // one before, the next with its value after that one.
        let find = if k == 0 {
            format!("MATCH({v},{key},0)")
        } else {
            let (pv, pp) = (
                crate::text::cell_name(r - 1, u32::from(V)),
                crate::text::cell_name(r - 1, u32::from(P)),
            );
            format!(
                "IF({v}={pv},{pp}+MATCH({v},INDEX({key},{pp}+1):{key_last},0),MATCH({v},{key},0))"
            )
        };
        put(
            ws,
            r,
            P,
            Cell::formula(format!("IF({v}=\"\",\"\",{find})"), pos),
            None,
        )?;
        let pick = |id: &str| format!("INDEX({},{p})", at(id));
        let number_or_blank = |id: &str, value: Option<f64>| {
            let formula = format!(
                "IF({p}=\"\",\"\",IF(ISNUMBER({}),{},\"\"))",
                pick(id),
                pick(id)
            );
            match value {
                Some(v) => Cell::formula(formula, v),
                None => Cell::formula_text(formula, ""),
            }
        };
        put(
            ws,
            r,
            0,
            Cell::formula_text(
                format!("IF({p}=\"\",\"\",{})", pick("scenario")),
                &e.scenario,
            ),
            None,
        )?;
        put(
            ws,
            r,
            1,
            Cell::formula(format!("IF({p}=\"\",\"\",{v})"), use_),
            Some(&fmt.pct),
        )?;
        put(
            ws,
            r,
            2,
            number_or_blank("remaining", e.remaining_ips.map(|v| v as f64)),
            Some(&fmt.int),
        )?;
        put(
            ws,
            r,
            3,
            number_or_blank("needs", e.min_subnet_prefix.map(f64::from)),
            Some(&fmt.prefix),
        )?;
        put(
            ws,
            r,
            4,
            number_or_blank("room", e.headroom_nodes.map(|v| v as f64)),
            Some(&fmt.int),
        )?;
        // The chart's bars, one series per band, #N/A (no bar) outside it.
        let bands = [
            ("IF({v}<=0.8,{v},NA())", use_ <= 0.8),
            (
                "IF(AND({v}>0.8,{v}<=1),{v},NA())",
                use_ > 0.8 && use_ <= 1.0,
            ),
            ("IF({v}>1,{v},NA())", use_ > 1.0),
        ];
        for (c, (template, inside)) in BAND.iter().zip(bands) {
            let formula = format!("IF(ISNUMBER({v}),{},NA())", template.replace("{v}", &v));
            let cell = if inside {
                Cell::formula(formula, use_)
            } else {
                Cell::formula_text(formula, "#N/A")
            };
            put(ws, r, *c, cell, None)?;
        }
        put(ws, r, MARK_100, num(1.0), None)?;
        put(ws, r, MARK_80, num(0.8), None)?;
    }
    let (first, last) = (header + 1, header + shown as u32);
    let use_red = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(1))
        .set_format(&fmt.red)
        .set_stop_if_true(true);
    let use_amber = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(0.8))
        .set_format(&fmt.amber);
    ws.add_conditional_format(first, 1, last, 1, &use_red)?;
    ws.add_conditional_format(first, 1, last, 1, &use_amber)?;
    let chart = chart(fig.model, fig.worst(), first, last, shown)?;
    ws.insert_chart_with_offset(header, CHART_COL, &chart, 10, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::xlsx_report::summary_layout::chart_width;

    #[test]
    fn the_summary_prints_one_page_wide_at_8_points_and_says_none_and_one_in_words() {
        assert!(
            sheet_setup::fits_one_page(printed_width()),
            "{}",
            printed_width()
        );
        assert!(chart_width() >= 400);
        assert_eq!(lead(0), "No scenario with a figure to show");
        assert_eq!(lead(1), "The one scenario with a figure");
        assert_eq!(lead(7), "The 7 whose fullest subnet is fullest");
    }
}
