//! Formula templates that name columns rather than letters ([`expand`]), so that a formula stays
//! right when columns move: this sheet's columns, the Inputs sheet's, and Catalog lookups.

use std::fmt::Write as _;

use crate::report_layout::sheets;

use super::column::{Col, letter};
use super::{catalog_sheet, inputs_sheet};

/// Expands a formula template, so that formulas name columns rather than letters and stay right
/// when columns move: `{id}` is this sheet's column `id` in row `x`, `@{id}` the Inputs sheet's
/// column `id` in row `i` (absolute column), `#{id}` a Catalog lookup of column `id` keyed by this
/// sheet's `key` column in row `x`. (`@` and `#` appear in no formula otherwise.)
pub(super) fn expand(template: &str, cols: &[Col], x: u32, i: u32) -> String {
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
                let _ = write!(
                    out,
                    "{}!${}{i}",
                    sheets::INPUTS,
                    letter(inputs_sheet::cols(), id)
                );
            }
            '#' => {
                let c = letter(catalog_sheet::cols(), id);
                let key = letter(cols, "key");
                let k = letter(catalog_sheet::cols(), "key");
                let _ = write!(
                    out,
                    "INDEX({cat}!${c}:${c},MATCH(${key}{x},{cat}!${k}:${k},0))",
                    cat = sheets::CATALOG
                );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_columns_not_letters() {
        let cols = super::super::workbook_sheet::cols();
        let (pods, per_eni) = (letter(cols, "pods"), letter(cols, "ips_per_eni"));
        assert_eq!(
            expand("ROUNDUP({pods}/{ips_per_eni},0)", cols, 7, 3),
            format!("ROUNDUP({pods}7/{per_eni}7,0)")
        );
        let inputs = super::super::inputs_sheet::cols();
        assert_eq!(
            expand("@{pods_per_node}+@{max_eni}", cols, 7, 3),
            format!(
                "Inputs!${}3+Inputs!${}3",
                letter(inputs, "pods_per_node"),
                letter(inputs, "max_eni")
            )
        );
        assert_eq!(
            expand("#{max_enis}", cols, 7, 3),
            format!(
                "INDEX(Catalog!$C:$C,MATCH(${}7,Catalog!$A:$A,0))",
                letter(cols, "key")
            )
        );
        // Comparison operators stay as they are.
        assert_eq!(
            expand("IF({pods}<{warm},1,0)>=2", cols, 2, 2),
            format!("IF({pods}2<{}2,1,0)>=2", letter(cols, "warm"))
        );
    }

    #[test]
    #[should_panic(expected = "no report column")]
    fn an_unknown_column_is_a_bug_caught_at_once() {
        expand(
            "{no_such_column}",
            super::super::workbook_sheet::cols(),
            2,
            2,
        );
    }
}
