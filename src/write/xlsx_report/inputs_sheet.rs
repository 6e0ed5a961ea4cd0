//! The Inputs sheet: one row per scenario and node group, every field of the scenario schema
//! under its plain-language header ([`crate::report_layout::input_columns`], made from
//! [`crate::scenario::schema`]), as values. The other sheets' formulas read it, and
//! `eval report.xlsx` reads it back.

use std::sync::LazyLock;

use crate::report_layout::{Kind, PREFIX_LEN, input_columns};
use crate::scenario::Scenario;
use crate::scenario::schema::{Field, FieldValue};

use super::cell::{Cell, num, opt_num};
use super::cell_formats::Fmt;
use super::column::{Col, Role, col, lettered};

/// The Inputs sheet's columns; their ids are the scenario CSV's column names.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(
            input_columns()
                .iter()
                .map(|c| {
                    let (format, width) = match (c.kind, c.field) {
                        (_, Some(Field::Scenario)) => (Fmt::Text, 22.0),
                        (_, Some(Field::SubnetCidr | Field::PodSubnetCidr)) => (Fmt::Text, 18.0),
                        (_, Some(Field::InstanceType)) => (Fmt::Text, 14.0),
                        (Kind::Text, _) => (Fmt::Text, 11.0),
                        (Kind::Whole, _) => (Fmt::Int, 10.0),
                        (Kind::Bool, _) => (Fmt::Bool, 11.0),
                    };
                    let column = col(c.name, c.header, width, format).note(c.note);
                    let column = if c.field.is_some() {
                        column.named(c.name)
                    } else {
                        column
                    };
                    if c.fresh_run {
                        column.role(Role::FreshRun)
                    } else {
                        column
                    }
                })
                .collect(),
        )
    });
    &COLS
}

/// The cells of node group `g` of scenario `s`, in [`cols`] order: each field's value
/// ([`Field::value`]), and the first node subnet's size.
pub(super) fn cells(s: &Scenario, g: usize) -> Vec<Cell> {
    input_columns()
        .iter()
        .map(|c| match c.field {
            Some(field) => cell(field.value(s, g)),
            None => {
                debug_assert_eq!(c.name, PREFIX_LEN);
                num(s.subnets.first().map_or(0, |n| n.prefix_len))
            }
        })
        .collect()
}

/// A field's value as a cell: blank text and unset numbers are blank cells.
fn cell(value: FieldValue<'_>) -> Cell {
    match value {
        FieldValue::Text("") => Cell::Blank,
        FieldValue::Text(text) => Cell::Text(text.to_owned()),
        FieldValue::Subnets(_) => Cell::Text(value.to_string()),
        FieldValue::Whole(n) => opt_num(n),
        FieldValue::Bool(b) => Cell::Bool(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value cell, as the spreadsheet shows it.
    fn shown(cell: &Cell) -> String {
        match cell {
            Cell::Num(n) => n.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Bool(b) => b.to_string(),
            Cell::Blank => String::new(),
            Cell::Formula(..) | Cell::Fixed(_) => panic!("the Inputs sheet holds values"),
        }
    }

    #[test]
    fn the_inputs_sheet_has_every_schema_field_but_note() {
        let s = crate::scenario::schema::example();
        let cells = cells(&s, 0);
        assert_eq!(cells.len(), cols().len());
        for field in Field::ALL {
            let at = cols().iter().position(|c| c.id == field.name());
            if field == Field::Note {
                assert_eq!(at, None);
                continue;
            }
            let at = at.unwrap_or_else(|| panic!("{field:?} is not on the Inputs sheet"));
            assert_eq!(cols()[at].header, field.spec().header);
            assert_eq!(cols()[at].name, Some(field.name()));
            assert_eq!(shown(&cells[at]), field.spec().example, "{field:?}");
        }
        let size = cols().iter().position(|c| c.id == PREFIX_LEN).unwrap();
        // The example's first node subnet is 10.0.0.0/24.
        assert_eq!(shown(&cells[size]), "24");
    }
}
