//! The Catalog sheet: the instance limits the run used, one row per instance type (per distinct
//! set of limits when two catalogues of the run disagree about a type), which the per-instance
//! sheets look up by key and `eval report.xlsx` reads back as the report's own catalogue.

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::catalog::{Catalog, InstanceLimits};
use crate::engine::batch::Job;
use crate::report_layout::{CATALOG_COLUMNS, Kind, sheets};

use super::cell::{Cell, opt_num, write_row};
use super::cell_formats::{Fmt, Formats};
use super::column::{Col, col, lettered};
use super::sheet_setup::start_sheet;

/// The Catalog sheet's columns; `key` is what the per-instance sheets look up.
pub(super) fn cols() -> &'static [Col] {
    static COLS: LazyLock<Vec<Col>> = LazyLock::new(|| {
        lettered(
            CATALOG_COLUMNS
                .iter()
                .map(|c| {
                    let (format, width) = match (c.kind, c.name) {
                        (_, "key" | "instance_type") => (Fmt::Text, 16.0),
                        (_, "sources") => (Fmt::Text, 60.0),
                        (Kind::Text, _) => (Fmt::Text, 11.0),
                        (Kind::Whole, _) => (Fmt::Int, 9.0),
                        (Kind::Bool, _) => (Fmt::Bool, 11.0),
                    };
                    let column = col(c.name, c.header, width, format).note(c.note);
                    if c.name == "key" {
                        column
                    } else {
                        column.named(c.name)
                    }
                })
                .collect(),
        )
    });
    &COLS
}

/// The Catalog sheet's rows: one per distinct (limits) of the instance types used, keyed by the
/// instance type, or `type (2)` when two catalogues of one run disagree about a type.
pub(super) struct CatalogRows<'a> {
    rows: Vec<(String, &'a InstanceLimits)>,
    keys: HashMap<(*const Catalog, String), String>,
}

/// The limits that tell two catalogue rows apart.
fn limits_key(l: &InstanceLimits) -> impl PartialEq + '_ {
    (
        l.max_enis,
        l.ipv4_per_eni,
        l.max_pods,
        &l.hypervisor,
        l.bare_metal,
        l.vcpus,
        l.trunking_compatible,
        l.branch_interfaces,
    )
}

impl<'a> CatalogRows<'a> {
    pub fn build(jobs: impl Iterator<Item = &'a Job>) -> Self {
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
                    idx.iter()
                        .find(|&&i| limits_key(rows[i].1) == limits_key(limits))
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

    /// The key a node group of `catalog` with this instance type looks up.
    pub fn key(&self, catalog: &Catalog, instance_type: &str) -> String {
        self.keys
            .get(&(
                catalog as *const Catalog,
                instance_type.trim().to_ascii_lowercase(),
            ))
            .cloned()
            .unwrap_or_else(|| instance_type.trim().to_ascii_lowercase())
    }

    /// Writes the Catalog sheet, sorted by key.
    pub fn write(&self, ws: &mut Worksheet, fmt: &Formats) -> Result<(), XlsxError> {
        let cols = cols();
        start_sheet(ws, sheets::CATALOG, cols, self.rows.len(), fmt)?;
        let mut sorted: Vec<&(String, &InstanceLimits)> = self.rows.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (r, (key, l)) in sorted.into_iter().enumerate() {
            let cells = cols
                .iter()
                .map(|c| match c.id {
                    "key" => Cell::Text(key.clone()),
                    "instance_type" => Cell::Text(l.instance_type.clone()),
                    "max_enis" => opt_num(l.max_enis),
                    "ipv4_per_eni" => opt_num(l.ipv4_per_eni),
                    "max_pods" => opt_num(l.max_pods),
                    "hypervisor" => l.hypervisor.clone().map_or(Cell::Blank, Cell::Text),
                    "bare_metal" => l.bare_metal.map_or(Cell::Blank, Cell::Bool),
                    "vcpus" => opt_num(l.vcpus),
                    "prefix_delegation" => Cell::Bool(l.supports_prefix_delegation()),
                    "trunking_compatible" => l.trunking_compatible.map_or(Cell::Blank, Cell::Bool),
                    "branch_interfaces" => opt_num(l.branch_interfaces),
                    "sources" => Cell::Text(l.sources.join("; ")),
                    other => unreachable!("Catalog column {other} has no cell"),
                })
                .collect();
            write_row(ws, r as u32 + 1, cols, cells, fmt)?;
        }
        Ok(())
    }
}

/// A per-instance row's Catalog key: a formula on the Inputs sheet's instance type, so that
/// changing the type there changes the lookups, unless two catalogues of the run disagreed about
/// the type and the key names one of them (`type (2)`). Scenario ids and instance types are
/// written as text: a formula's cached text that looks like a number would be stored as one.
pub(super) fn key_cell(t: &dyn Fn(&str) -> String, key: String, instance_type: &str) -> Cell {
    if key == instance_type.trim().to_ascii_lowercase() {
        Cell::formula_text(t("LOWER(TRIM(@{instance_type}))"), &key)
    } else {
        Cell::Text(key)
    }
}
