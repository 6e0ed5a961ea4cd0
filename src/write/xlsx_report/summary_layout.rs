//! Where things are on the Summary sheet: the worst-first table's columns and widths, the chart's
//! columns and width, and the hidden helper columns its formulas and the chart's series read.
//! Shared by the sheet and its charts.

use super::sheet_setup;

/// Columns of the worst-first table (0-based): scenario, fullest subnet %, remaining, smallest subnet, room.
/// Their widths, with the chart's, keep the Summary one page wide at 8 points or larger
/// ([`sheet_setup::fits_one_page`]).
pub(super) const TABLE: [(&str, f64); 5] = [
    ("Scenario", 28.0),
    ("Fullest subnet %", 10.0),
    ("Remaining IPs", 10.0),
    ("Smallest subnet (/n)", 11.0),
    ("Room for more nodes", 10.0),
];

/// Where the chart starts (column F).
pub(super) const CHART_COL: u16 = 5;
/// The columns the chart spans from [`CHART_COL`], and their width.
pub(super) const CHART_COLS: u16 = 7;
pub(super) const CHART_COL_WIDTH: f64 = 8.6;
/// The last column printed: the chart's last.
pub(super) const LAST_COL: u16 = CHART_COL + CHART_COLS - 1;

/// The chart's width in pixels: its columns less its offset and a gap.
pub(super) fn chart_width() -> u32 {
    u32::from(CHART_COLS) * (CHART_COL_WIDTH * 7.0 + 5.0) as u32 - 20
}

/// The Summary's printed width, in units of column width as written in the file.
pub(super) fn printed_width() -> f64 {
    TABLE
        .iter()
        .map(|(_, w)| sheet_setup::width_in_file(*w))
        .sum::<f64>()
        + f64::from(CHART_COLS) * sheet_setup::width_in_file(CHART_COL_WIDTH)
}

/// Where the hidden helper columns start (column X).
pub(super) const HELPER_COL: u16 = 23;

/// The hidden helper columns: the k-th largest use, its position on Outputs, the three bands'
/// bar values, and the two marks' bands.
pub(super) const V: u16 = HELPER_COL;
pub(super) const P: u16 = HELPER_COL + 1;
pub(super) const BAND: [u16; 3] = [HELPER_COL + 2, HELPER_COL + 3, HELPER_COL + 4];
pub(super) const MARK_100: u16 = HELPER_COL + 5;
pub(super) const MARK_80: u16 = HELPER_COL + 6;
