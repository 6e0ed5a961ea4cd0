//! The xlsx report's layout, shared by its writer ([`crate::write::xlsx_report`]) and its reader
//! (`crate::read::report_input`): sheet names, and the columns of the sheets a person edits and
//! the tool reads back (Inputs, Catalog), each with its plain-language header and the scenario
//! CSV's (or the catalogue's) name for it. The Inputs columns are the fields of the scenario
//! schema ([`crate::scenario::schema`]: header, note, kind, fresh run), plus the subnet size;
//! their headers are read back as the scenario CSV reads its header.

/// The sheet names.
pub mod sheets {
    /// First sheet: the answer, the worst scenarios and their chart, the provenance.
    pub const SUMMARY: &str = "Summary";
    /// One row per scenario and model.
    pub const OUTPUTS: &str = "Outputs";
    /// One row per scenario and node group: every input.
    pub const INPUTS: &str = "Inputs";
    /// The workbook model's per-instance columns.
    pub const WORKBOOK: &str = "Workbook model";
    /// The vpc-cni model's per-instance columns.
    pub const VPC_CNI: &str = "VPC CNI model";
    /// The vpc-cni model's use of each subnet.
    pub const SUBNETS: &str = "Subnets";
    /// One row per warning.
    pub const WARNINGS: &str = "Warnings";
    /// The instance limits used.
    pub const CATALOG: &str = "Catalog";
    /// Each prefix length's usable addresses and /28 blocks, which the size formulas look up.
    pub const SIZES: &str = "Subnet sizes";
}

use std::sync::LazyLock;

use crate::scenario::schema::{self, Field, FieldKind, Level};

/// What a column holds, for writing its cells and reading them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Text,
    /// A whole number.
    Whole,
    /// TRUE or FALSE.
    Bool,
}

/// A column of the Inputs or Catalog sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The scenario CSV's (or catalogue's) name for it; `prefix_len` for the Inputs sheet's
    /// subnet size, which the CSV writes inside `subnet_cidr`.
    pub name: &'static str,
    /// The header the report shows.
    pub header: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// What it means, for the header's note.
    pub note: &'static str,
    /// Whether a change to it needs a fresh run: the report's formulas cannot follow it.
    pub fresh_run: bool,
    /// The scenario field it holds (an Inputs column but the subnet size).
    pub field: Option<Field>,
}

const fn column(
    name: &'static str,
    header: &'static str,
    kind: Kind,
    note: &'static str,
) -> Column {
    Column {
        name,
        header,
        kind,
        note,
        fresh_run: false,
        field: None,
    }
}

/// The name of the Inputs column that holds the first node subnet's prefix length.
pub const PREFIX_LEN: &str = "prefix_len";

/// The Inputs column of the first node subnet's prefix length, which the formulas read: the one
/// Inputs column that is not a field of the scenario schema.
const PREFIX_LEN_COLUMN: Column = column(
    PREFIX_LEN,
    "Subnet size (/n)",
    Kind::Whole,
    "The prefix length of the (first) node subnet, which the formulas read: 24 for a /24. \
     Read back, it sets the first subnet's size. (Written inside subnet_cidr in the CSV.)",
);

/// The fields the Inputs sheet shows first, in this order: those a person edits most, then the
/// IP targets; the schema's other fields (those needing a fresh run, and any new one) follow in
/// the schema's order.
const INPUTS_FIRST: [Field; 14] = [
    Field::Scenario,
    Field::SubnetCidr,
    Field::InstanceType,
    Field::Instances,
    Field::PodsPerNode,
    Field::DaemonsetPods,
    Field::HostNetworkingIps,
    Field::MaxPods,
    Field::MaxPodsRule,
    Field::WarmEniTarget,
    Field::WarmIpTarget,
    Field::MinimumIpTarget,
    Field::WarmPrefixTarget,
    Field::MaxEni,
];

/// The Inputs sheet's columns, in order: every field of the scenario schema but the ignored
/// `note`, each with the schema's header and a note made of its meaning, its blank value and what
/// editing it on the sheet needs, and the subnet size after `subnet_cidr`. One row per scenario
/// and node group; scenario-level values repeated on each of a scenario's rows.
pub fn input_columns() -> &'static [Column] {
    static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
        let rest = Field::ALL
            .into_iter()
            .filter(|f| !INPUTS_FIRST.contains(f) && f.spec().level != Level::Ignored);
        let mut columns = Vec::new();
        for field in INPUTS_FIRST.into_iter().chain(rest) {
            columns.push(input_column(field));
            if field == Field::SubnetCidr {
                columns.push(PREFIX_LEN_COLUMN);
            }
        }
        columns
    });
    &COLUMNS
}

/// The Inputs column of `field`.
fn input_column(field: Field) -> Column {
    static NOTES: LazyLock<Vec<String>> = LazyLock::new(|| Field::ALL.map(note_of).to_vec());
    let spec = field.spec();
    let kind = match spec.kind {
        FieldKind::Whole | FieldKind::OptWhole | FieldKind::OptPositive => Kind::Whole,
        FieldKind::Bool => Kind::Bool,
        FieldKind::Id
        | FieldKind::Subnets
        | FieldKind::IpFamily
        | FieldKind::MaxPodsRule
        | FieldKind::Text
        | FieldKind::FreeText => Kind::Text,
    };
    Column {
        name: spec.name,
        header: spec.header,
        kind,
        note: &NOTES[field as usize],
        fresh_run: spec.fresh_run,
        field: Some(field),
    }
}

/// The header note of `field`'s Inputs column: its meaning, what blank means, and what editing
/// it on the sheet needs.
fn note_of(field: Field) -> String {
    let spec = field.spec();
    let mut meaning = spec.meaning.chars();
    let mut note: String = meaning
        .next()
        .map(|c| c.to_uppercase().chain(meaning).collect())
        .unwrap_or_default();
    note.push('.');
    if !spec.required && spec.level != Level::Ignored {
        note.push_str(&format!(" Blank: {}.", spec.default));
    }
    if !spec.in_report.is_empty() {
        note.push(' ');
        note.push_str(spec.in_report);
    }
    // The schema's words are the docs' Markdown; a cell note shows them plain.
    note.replace('`', "")
}

/// The Inputs column a header names: a field's (its name, header or another name the scenario
/// CSV reads it under, see [`schema::field_for_header`]), or the subnet size's (its header or
/// name, any case).
pub fn input_column_for_header(text: &str) -> Option<&'static Column> {
    match schema::field_for_header(text) {
        Some((field, _)) => input_columns().iter().find(|c| c.field == Some(field)),
        None => column_named(input_columns(), text),
    }
}

/// The Catalog sheet's columns, in order; `key` is what the per-instance sheets look up.
pub const CATALOG_COLUMNS: &[Column] = &[
    column(
        "key",
        "Lookup key",
        Kind::Text,
        "The instance type in lower case, which the formulas look up; type (2) when two \
         catalogues of the run disagree about a type.",
    ),
    column(
        "instance_type",
        "Instance type",
        Kind::Text,
        "The instance type.",
    ),
    column(
        "max_enis",
        "Max ENIs",
        Kind::Whole,
        "ENIs the type can attach (default network card).",
    ),
    column(
        "ipv4_per_eni",
        "IPv4 per ENI",
        Kind::Whole,
        "IPv4 addresses per ENI, its primary included.",
    ),
    column(
        "max_pods",
        "Max pods (table)",
        Kind::Whole,
        "eni-max-pods.txt's max pods.",
    ),
    column("hypervisor", "Hypervisor", Kind::Text, "nitro or xen."),
    column(
        "bare_metal",
        "Bare metal",
        Kind::Bool,
        "Whether the type is bare metal.",
    ),
    column(
        "vcpus",
        "vCPUs",
        Kind::Whole,
        "Default vCPUs (the calculator's 110/250 cap).",
    ),
    column(
        "prefix_delegation",
        "Prefix delegation supported",
        Kind::Bool,
        "Nitro or bare metal (worked out from the two columns before; not read back).",
    ),
    column(
        "trunking_compatible",
        "Trunking compatible",
        Kind::Bool,
        "Whether the VPC resource controller attaches a trunk ENI (security groups for pods).",
    ),
    column(
        "branch_interfaces",
        "Branch ENIs",
        Kind::Whole,
        "Branch ENIs per node (security groups for pods).",
    ),
    column(
        "sources",
        "Sources",
        Kind::Text,
        "Where each value came from.",
    ),
];

/// The Summary sheet's label of the row that names the models run.
pub const MODELS_LABEL: &str = "Models";

/// The column of `columns` whose header or name is `text` (any case, surrounding blanks
/// ignored).
pub fn column_named<'a>(columns: &'a [Column], text: &str) -> Option<&'a Column> {
    let text = text.trim();
    columns
        .iter()
        .find(|c| c.header.eq_ignore_ascii_case(text) || c.name.eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_names_are_unique_and_map_back() {
        for columns in [input_columns(), CATALOG_COLUMNS] {
            for c in columns {
                assert_eq!(
                    column_named(columns, c.header).map(|m| m.name),
                    Some(c.name)
                );
                assert_eq!(column_named(columns, c.name).map(|m| m.name), Some(c.name));
                assert_eq!(
                    column_named(columns, &format!(" {} ", c.header.to_uppercase()))
                        .map(|m| m.name),
                    Some(c.name)
                );
            }
        }
    }

    #[test]
    fn the_inputs_sheet_has_every_schema_field_but_note() {
        for field in Field::ALL {
            let spec = field.spec();
            let columns: Vec<&Column> = input_columns()
                .iter()
                .filter(|c| c.field == Some(field))
                .collect();
            if field == Field::Note {
                assert!(columns.is_empty());
                continue;
            }
            assert_eq!(columns.len(), 1, "{field:?}");
            let c = columns[0];
            assert_eq!((c.name, c.header), (spec.name, spec.header));
            assert_eq!(c.fresh_run, spec.fresh_run, "{field:?}");
            assert_eq!(
                input_column_for_header(spec.name).map(|c| c.name),
                Some(c.name)
            );
        }
        assert_eq!(input_columns().len(), Field::COUNT);
        let names: Vec<&str> = input_columns().iter().take(4).map(|c| c.name).collect();
        assert_eq!(
            names,
            ["scenario", "subnet_cidr", PREFIX_LEN, "instance_type"]
        );
    }

    #[test]
    fn inputs_headers_are_read_as_the_scenario_csv_reads_them() {
        let name = |t: &str| input_column_for_header(t).map(|c| c.name);
        assert_eq!(name(" NODE SUBNET(S) "), Some("subnet_cidr"));
        assert_eq!(name("# of Instances"), Some("instances"));
        assert_eq!(name("Subnet size (/n)"), Some(PREFIX_LEN));
        assert_eq!(name("prefix_len"), Some(PREFIX_LEN));
        assert_eq!(name("Note"), None);
        assert_eq!(name("colour"), None);
    }

    #[test]
    fn notes_say_what_the_field_means_and_what_blank_is() {
        let note = |f: Field| {
            input_columns()
                .iter()
                .find(|c| c.field == Some(f))
                .unwrap()
                .note
        };
        assert_eq!(note(Field::Instances), "Nodes in the node group.");
        assert_eq!(
            note(Field::WarmEniTarget),
            "WARM_ENI_TARGET: spare ENIs ipamd keeps attached. Blank: unset (ipamd: 1)."
        );
        assert!(note(Field::IpFamily).contains("Blank: ipv4."));
    }
}
