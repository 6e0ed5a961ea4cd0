//! The Subnet sizes sheet: for each prefix length /0 to /28, its addresses, the usable ones under
//! AWS's rules and under the legacy workbook's, and the aligned /28 blocks it offers to prefixes.
//! A reference for readers, and the table the "smallest subnet" formulas count in: exact whole
//! numbers, where a formula on `LOG` would round. A size fits when its usable addresses (and
//! blocks) are at least what is taken; since they shrink as /n grows, the sizes that fit are /0
//! to /m, and their count gives m.

use std::sync::LazyLock;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::engine::sizing::SMALLEST_PREFIX;
use crate::report_layout::sheets;
use crate::scenario::Subnet;
use crate::scenario::subnet::{aws_prefix_blocks, aws_usable, blocks_taken, legacy_cidr_ips};

use super::cell::{Cell, num, write_row};
use super::cell_formats::{Fmt, Formats};
use super::column::{Col, col, lettered, range};
use super::sheet_setup::start_sheet;

/// The sheet's columns.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(vec![
            col("prefix", "Subnet size (/n)", 10.0, Fmt::Prefix),
            col("addresses", "Addresses", 14.0, Fmt::Int).note("2^(32 - n)."),
            col("usable", "Usable (AWS)", 14.0, Fmt::Int).note(
                "2^(32 - n) - 5: AWS reserves the first four addresses and the last (vpc-cni model).",
            ),
            col("blocks", "/28 blocks for prefixes", 12.0, Fmt::Int).note(
                "2^(28 - n) - 2: the aligned /28 blocks the subnet can offer to prefix delegation (the first and last hold reserved addresses).",
            ),
            col("workbook", "Usable (workbook)", 14.0, Fmt::Int).note(
                "2^(32 - n) - 2: the legacy workbook's CidrData rule (workbook model), /1 and up.",
            ),
        ])
    });
    &COLS
}

/// `'Subnet sizes'!$X$2:$X$30`: column `id` over every size.
pub(super) fn column(id: &str) -> String {
    range(sheets::SIZES, cols(), id, 2, u32::from(SMALLEST_PREFIX) + 2)
}

/// The workbook model's usable addresses of a /n by the CidrData rule, as the sheet lists them
/// (from /1).
fn workbook_usable(n: u8) -> Option<i64> {
    (n >= 1).then(|| legacy_cidr_ips(n))
}

/// What the vpc-cni "smallest subnet" formula gives: the sizes whose usable addresses hold
/// `used` and whose blocks hold the prefixes (when there are any: [`blocks_taken`], the
/// formulas' `prefixes + ROUNDUP(MAX(used - 16·prefixes, 0) / 16, 0)`), counted, less one.
pub(super) fn vpc_cni_formula_value(used: i64, prefixes: i64) -> i64 {
    let taken = if prefixes > 0 {
        blocks_taken(used, prefixes)
    } else {
        0
    };
    let fits = (0..=SMALLEST_PREFIX)
        .filter(|&n| aws_usable(n) >= used && aws_prefix_blocks(n) >= taken)
        .count();
    fits as i64 - 1
}

/// What the workbook model's "smallest subnet" formula gives: the sizes whose CidrData rule
/// holds `used`, counted (the list starts at /1).
pub(super) fn workbook_formula_value(used: i64) -> i64 {
    (0..=SMALLEST_PREFIX)
        .filter(|&n| workbook_usable(n).is_some_and(|ips| ips >= used))
        .count() as i64
}

/// Writes the sheet.
pub(super) fn write(ws: &mut Worksheet, fmt: &Formats) -> Result<(), XlsxError> {
    let cols = cols();
    start_sheet(
        ws,
        sheets::SIZES,
        cols,
        usize::from(SMALLEST_PREFIX) + 1,
        fmt,
    )?;
    for n in 0..=SMALLEST_PREFIX {
        let cells = vec![
            num(n),
            num(Subnet::of_size(n).block_size() as f64),
            num(aws_usable(n) as f64),
            num(aws_prefix_blocks(n) as f64),
            workbook_usable(n).map_or(Cell::Blank, |v| num(v as f64)),
        ];
        write_row(ws, u32::from(n) + 1, cols, cells, fmt)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::engine::sizing;

    #[test]
    fn the_formulas_count_what_the_engine_searches() {
        for used in (0..70_000)
            .step_by(13)
            .chain([0, 11, 12, 251, 252, 507, 508])
        {
            for prefixes in [0i64, 1, 3, 40, 700] {
                let prefixes = prefixes.min(used / 16);
                let engine = sizing::vpc_cni_min_prefix(used, prefixes).map_or(-1, i64::from);
                assert_eq!(
                    vpc_cni_formula_value(used, prefixes),
                    engine,
                    "{used} addresses, {prefixes} prefixes"
                );
            }
            let engine = sizing::workbook_min_prefix(used, &Catalog::new()).map_or(0, i64::from);
            assert_eq!(workbook_formula_value(used), engine, "{used} addresses");
        }
    }
}
