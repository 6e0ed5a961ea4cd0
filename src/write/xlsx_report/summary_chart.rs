//! The Summary's charts: for one model, the share of each subnet used by its worst scenarios,
//! as horizontal bars over a light band that marks 80 % and 100 % (a bullet chart: two series
//! of constant marks behind three series of bars, one per band of use, overlapping), with the
//! key written as a line of text above the chart.

use rust_xlsxwriter::{
    Chart, ChartAxisLabelPosition, ChartDataLabel, ChartDataLabelPosition, ChartFont, ChartFormat,
    ChartLine, ChartSeries, ChartSolidFill, ChartType, Color, Format, Worksheet, XlsxError,
};

use crate::report_layout::sheets;

use crate::evaluation::Model;

use super::summary_layout::{BAND, CHART_COL, MARK_80, MARK_100, chart_width};

/// The chart's key, above it: the colours of the bars and of the band behind them.
pub(super) fn write_key(ws: &mut Worksheet, row: u32) -> Result<(), XlsxError> {
    let colour = |c: u32| Format::new().set_font_color(Color::RGB(c)).set_bold();
    let (blue, amber, red, band) = (colour(BLUE), colour(AMBER), colour(RED), colour(0xF4B183));
    let plain = &Format::new().set_font_color(Color::RGB(0x595959));
    ws.write_rich_string(
        row,
        CHART_COL,
        &[
            (&blue, "■ up to 80 %  "),
            (&amber, "■ 80 to 100 %  "),
            (&red, "■ over 100 %  "),
            (&band, "■"),
            (plain, " band: 80 to 100 %"),
        ],
    )?;
    Ok(())
}

/// The bars' colours.
const BLUE: u32 = 0x2E75B6;
const AMBER: u32 = 0xED7D31;
const RED: u32 = 0xC00000;

/// The chart of a model's worst-first rows `first..=last` (0-based).
pub(super) fn chart(
    model: Model,
    worst: f64,
    first: u32,
    last: u32,
    bars: usize,
) -> Result<Chart, XlsxError> {
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(&format!(
        "{} model: fullest subnet %, worst first",
        model.name()
    ));
    chart
        .title()
        .set_font(ChartFont::new().set_size(12).set_bold());
    let series = |name: &str, col: u16, color: u32| {
        let mut s = ChartSeries::new();
        s.set_name(name)
            .set_categories((sheets::SUMMARY, first, 0, last, 0))
            .set_values((sheets::SUMMARY, first, col, last, col))
            .set_overlap(100)
            .set_gap(50)
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(color))
                    .set_no_border(),
            );
        s
    };
    // The marks: a light band from 80 % to 100 %, outlined at 100 %, behind every bar.
    let mut mark_100 = series("80 to 100 % zone", MARK_100, 0xFCE4D6);
    mark_100.set_format(
        ChartFormat::new()
            .set_solid_fill(ChartSolidFill::new().set_color(0xFCE4D6))
            .set_border(ChartLine::new().set_color(0x7F7F7F).set_width(0.75)),
    );
    chart.push_series(&mark_100);
    chart.push_series(&series("up to 80 % zone", MARK_80, 0xF2F2F2));
    let labels = |position, font: &ChartFont| {
        let mut l = ChartDataLabel::new();
        l.show_value()
            .set_num_format("0%")
            .set_position(position)
            .set_font(font);
        l
    };
    let bands = [
        ("up to 80 % used", BAND[0], BLUE, false),
        ("80 to 100 % used", BAND[1], AMBER, false),
        ("over 100 %: out of addresses", BAND[2], RED, true),
    ];
    for (name, col, color, over) in bands {
        let mut s = series(name, col, color);
        // A bar past the axis would lose a label at its end: over 100 %, it sits at the base.
        s.set_data_label(&if over {
            labels(
                ChartDataLabelPosition::InsideBase,
                ChartFont::new().set_color(0xFFFFFF).set_bold(),
            )
        } else {
            labels(ChartDataLabelPosition::OutsideEnd, &ChartFont::new())
        });
        chart.push_series(&s);
    }
    chart
        .x_axis()
        .set_min(0)
        .set_max(axis_max(worst))
        .set_major_unit(0.2)
        .set_num_format("0%");
    // In a bar chart the y axis holds the categories: reversed, the worst is on top.
    chart
        .y_axis()
        .set_reverse()
        .set_label_position(ChartAxisLabelPosition::Low);
    // The key is a line of text above the chart: spreadsheet apps disagree on which legend
    // entries a deletion names.
    chart.legend().set_hidden();
    // The bars are in hidden columns, which a chart leaves out unless told.
    chart.show_hidden_data();
    chart
        .set_width(chart_width())
        .set_height(chart_height(bars));
    Ok(chart)
}

/// The chart's height in pixels for `bars` bars: a readable bar whatever their number, and 20 of
/// them below the answer on the first page at 73 %.
pub(super) fn chart_height(bars: usize) -> u32 {
    (80 + 22 * bars as u32).max(160)
}

/// The axis maximum: room past 100 % for the labels, and at most 160 %, past which a bar runs
/// off the axis rather than flatten the others.
fn axis_max(worst: f64) -> f64 {
    if worst <= 1.0 {
        1.2
    } else {
        (((worst + 0.05) / 0.2).ceil() * 0.2).min(1.6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_leaves_room_and_stops_a_shortfall_from_flattening_the_rest() {
        assert_eq!(axis_max(0.7), 1.2);
        assert_eq!(axis_max(1.0), 1.2);
        assert!((axis_max(1.3) - 1.4).abs() < 1e-9);
        assert_eq!(axis_max(3.0), 1.6);
        assert_eq!(axis_max(180.0), 1.6);
        assert!(chart_height(2) >= 160 && chart_height(20) > chart_height(2));
    }
}
