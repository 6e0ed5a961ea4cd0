//! A report subnet-calc wrote, recognised by what it holds rather than by its sheets' names: a
//! person may rename the Summary or the Inputs sheet, and the report is still theirs to read
//! back. Its parts ([`Parts`]) are found in the first rows of its sheets: the Inputs table's
//! header row (the scenarios), the Catalog table's header row (the instance limits), and the
//! Summary's Models label (the models it was written with). A workbook with any of them, or with
//! the report's sheet names, looks like a report; [`crate::read::report_input`] reads it, and
//! says what it lacks.

use crate::evaluation::Model;
use crate::legacy_layout::same_text;
use crate::read::legacy_xlsx::book::{Book, shown};
use crate::read::xlsx::cells::SheetCells;
use crate::report_layout::{
    CATALOG_COLUMNS, Column, MODELS_LABEL, column_named, input_columns, sheets,
};
use crate::scenario::schema::Field;

/// The Inputs columns whose headers make a first row the Inputs table's header: those a scenario
/// cannot do without (the schema's required fields).
fn input_keys() -> Vec<&'static str> {
    Field::required().map(Field::name).collect()
}

/// The Catalog columns whose headers make a first row the Catalog table's header: the type, and
/// an ENI limit beside it.
const CATALOG_KEYS: [&str; 3] = ["instance_type", "max_enis", "ipv4_per_eni"];

/// Where a report's parts are, by sheet index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parts {
    /// The sheet whose first row is the Inputs table's header.
    pub inputs: Option<usize>,
    /// The sheet whose first row is the Catalog table's header.
    pub catalog: Option<usize>,
    /// The sheet with the Summary's Models label, and the models it names.
    pub models: Option<(usize, Vec<Model>)>,
    /// Whether the workbook has sheets named Summary, Outputs and Inputs, as a report does.
    pub named: bool,
    /// Later sheets headed as the Inputs or the Catalog table (a copy of the sheet), which are
    /// not read: (sheet, the table's name).
    pub also: Vec<(usize, &'static str)>,
}

impl Parts {
    /// Finds the parts in the first rows of each worksheet (`windows`, as
    /// [`Book::recognition_windows`] reads them).
    pub fn find(book: &Book, windows: &[Option<SheetCells>]) -> Parts {
        let mut parts = Parts {
            named: [sheets::SUMMARY, sheets::OUTPUTS, sheets::INPUTS]
                .iter()
                .all(|want| book.sheet_index(want).is_some()),
            ..Parts::default()
        };
        for (index, cells) in windows.iter().enumerate() {
            let Some(cells) = cells else { continue };
            if headed(cells, input_columns(), &input_keys()) {
                match parts.inputs {
                    None => parts.inputs = Some(index),
                    Some(_) => parts.also.push((index, "Inputs")),
                }
            } else if headed(cells, CATALOG_COLUMNS, &CATALOG_KEYS) {
                match parts.catalog {
                    None => parts.catalog = Some(index),
                    Some(_) => parts.also.push((index, "Catalog")),
                }
            }
            if parts.models.is_none()
                && let Some(models) = models_named(cells)
            {
                parts.models = Some((index, models));
            }
        }
        // A sheet named Inputs is the Inputs sheet, even if its header was damaged: its reader
        // then says what it lacks.
        if parts.inputs.is_none() && parts.named {
            parts.inputs = book.sheet_index(sheets::INPUTS);
        }
        parts
    }

    /// Whether the workbook looks like a report: it has any of the parts, or the sheet names.
    pub fn look_like_a_report(&self) -> bool {
        self.inputs.is_some() || self.catalog.is_some() || self.models.is_some() || self.named
    }

    /// A note for each sheet headed as a table already found on an earlier sheet: it is not
    /// read, and is named so.
    pub fn unread(&self, book: &Book) -> Vec<String> {
        let name = |i: usize| format!("{:?}", book.package.sheets[i].name);
        self.also
            .iter()
            .map(|&(i, table)| {
                let read = match table {
                    "Inputs" => self.inputs,
                    _ => self.catalog,
                };
                format!(
                    "{}: the sheet {} is headed as the {table} table too; only the first, {}, is \
                     read",
                    book.name,
                    name(i),
                    read.map_or_else(String::new, name)
                )
            })
            .collect()
    }

    /// What makes the workbook look like a report, for a message about what it lacks.
    pub fn seen(&self, book: &Book) -> String {
        let name = |i: usize| format!("{:?}", book.package.sheets[i].name);
        let mut seen = Vec::new();
        if let Some(i) = self.catalog {
            seen.push(format!(
                "its sheet {} holds the report's Catalog table",
                name(i)
            ));
        }
        if let Some((i, _)) = &self.models {
            seen.push(format!("its sheet {} names the models run", name(*i)));
        }
        if self.named {
            seen.push("it has sheets named Summary, Outputs and Inputs".to_owned());
        }
        seen.join(", ")
    }
}

/// The headers of the columns `keys` of `columns`, for a message.
pub(crate) fn headers(columns: &[Column], keys: &[&str]) -> String {
    keys.iter()
        .filter_map(|k| columns.iter().find(|c| c.name == *k))
        .map(|c| c.header)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Inputs table's header, as a message names it.
pub(crate) fn input_headers() -> String {
    headers(input_columns(), &input_keys())
}

/// The Catalog table's header, as a message names it.
pub(crate) fn catalog_headers() -> String {
    headers(CATALOG_COLUMNS, &CATALOG_KEYS)
}

/// Whether the first row of `cells` has a header of each column `keys` of `columns` (the
/// report's header or the CSV's name, any case).
fn headed(cells: &SheetCells, columns: &[Column], keys: &[&str]) -> bool {
    let found: Vec<&str> = cells
        .iter()
        .filter(|((row, _), _)| *row == 0)
        .filter_map(|(_, v)| column_named(columns, &shown(Some(v))?).map(|c| c.name))
        .collect();
    keys.iter().all(|k| found.contains(k))
}

/// The models named beside a Models label in `cells`, when there is one that names any.
fn models_named(cells: &SheetCells) -> Option<Vec<Model>> {
    let mut labels: Vec<(u32, u32)> = cells
        .iter()
        .filter(|(_, v)| shown(Some(v)).is_some_and(|t| same_text(&t, MODELS_LABEL)))
        .map(|(at, _)| at)
        .collect();
    labels.sort_unstable();
    labels.into_iter().find_map(|(r, c)| {
        let models: Vec<Model> = shown(cells.get(r, c + 1))?
            .split(',')
            .filter_map(|m| match m.trim() {
                "workbook" => Some(Model::Workbook),
                "vpc-cni" => Some(Model::VpcCni),
                _ => None,
            })
            .collect();
        (!models.is_empty()).then_some(models)
    })
}
