//! Where each evaluation's rows land on the other sheets, found in the report's first pass: what
//! the Outputs formulas point at.

/// Where an evaluation's rows are on the other sheets (0-based sheet rows, first..=last).
pub(super) struct RowSpans {
    /// Its node groups on its model's sheet.
    pub span: Option<(u32, u32)>,
    /// Its node subnets on the Subnets sheet.
    pub subnets: Option<(u32, u32)>,
    /// Its pod subnets on the Subnets sheet.
    pub pod_subnets: Option<(u32, u32)>,
}

/// Rows `first..first + n` (0-based), when `n > 0`.
pub(super) fn rows_from(first: u32, n: usize) -> Option<(u32, u32)> {
    (n > 0).then(|| (first, first + n as u32 - 1))
}
