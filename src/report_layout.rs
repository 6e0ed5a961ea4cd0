//! The xlsx report's layout, shared by its writer ([`crate::write::xlsx_report`]) and its reader
//! (`crate::read::report_input`): sheet names, and the columns of the sheets a person edits and
//! the tool reads back (Inputs, Catalog), each with its plain-language header and the scenario
//! CSV's (or the catalogue's) name for it. This is the one place that maps the report's headers
//! to CSV names; the reader also takes the CSV names themselves as headers (older reports).

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
    }
}

/// A column whose change the formulas cannot follow.
const fn fresh(name: &'static str, header: &'static str, kind: Kind, note: &'static str) -> Column {
    Column {
        fresh_run: true,
        ..column(name, header, kind, note)
    }
}

/// The name of the Inputs column that holds the first node subnet's prefix length.
pub const PREFIX_LEN: &str = "prefix_len";

/// The Inputs sheet's columns, in order: one row per scenario and node group; scenario-level
/// values repeated on each of a scenario's rows.
pub const INPUT_COLUMNS: &[Column] = &[
    column("scenario", "Scenario", Kind::Text, "The scenario id."),
    fresh(
        "subnet_cidr",
        "Node subnet(s)",
        Kind::Text,
        "The node subnet(s), one per Availability Zone, separated by ;. To resize the first \
         one, change Subnet size (/n) instead: the formulas follow that.",
    ),
    column(
        PREFIX_LEN,
        "Subnet size (/n)",
        Kind::Whole,
        "The prefix length of the (first) node subnet, which the formulas read: 24 for a /24. \
         Read back, it sets the first subnet's size. (Written inside subnet_cidr in the CSV.)",
    ),
    column(
        "instance_type",
        "Instance type",
        Kind::Text,
        "The EC2 instance type, looked up on the Catalog sheet. A type of another hypervisor \
         under prefix delegation, or one the Catalog lacks, needs a fresh run.",
    ),
    column(
        "instances",
        "Instances",
        Kind::Whole,
        "Nodes in the node group.",
    ),
    column(
        "pods_per_node",
        "Pods per node",
        Kind::Whole,
        "Workload pods per node.",
    ),
    column(
        "daemonset_pods",
        "DaemonSet pods per node",
        Kind::Whole,
        "DaemonSet pods per node that need a VPC address.",
    ),
    column(
        "host_networking_ips",
        "Host-network pods per node",
        Kind::Whole,
        "Pods on the node's own address (the legacy sheet's Host Networking IPs, B14).",
    ),
    column(
        "max_pods",
        "Max pods (override)",
        Kind::Whole,
        "kubelet's --max-pods for the node group; blank: the max pods rule gives it.",
    ),
    column(
        "max_pods_rule",
        "Max pods rule",
        Kind::Text,
        "calculator (the EKS max-pods calculator) or table (the catalogue's eni-max-pods.txt), \
         as the run applied it.",
    ),
    column(
        "warm_eni_target",
        "Warm ENI target",
        Kind::Whole,
        "WARM_ENI_TARGET; blank reads as ipamd's default, 1.",
    ),
    column(
        "warm_ip_target",
        "Warm IP target",
        Kind::Whole,
        "WARM_IP_TARGET. Setting it where it was blank, or blanking it, switches the workbook \
         model between its WarmENI and WarmIP sheets: that needs a fresh run.",
    ),
    column(
        "minimum_ip_target",
        "Minimum IP target",
        Kind::Whole,
        "MINIMUM_IP_TARGET; blank reads as 0.",
    ),
    column(
        "warm_prefix_target",
        "Warm prefix target",
        Kind::Whole,
        "WARM_PREFIX_TARGET (prefix delegation); blank reads as 1.",
    ),
    column(
        "max_eni",
        "ENI limit (MAX_ENI)",
        Kind::Whole,
        "MAX_ENI: lowers the type's ENI limit when it is 1 to limit - 1.",
    ),
    fresh(
        "prefix_delegation",
        "Prefix delegation",
        Kind::Bool,
        "ENABLE_PREFIX_DELEGATION: /28 prefixes instead of single secondary IPs.",
    ),
    fresh(
        "custom_networking",
        "Custom networking",
        Kind::Bool,
        "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: pod ENIs in the pod subnet.",
    ),
    fresh(
        "pod_subnet_cidr",
        "Pod subnet(s)",
        Kind::Text,
        "Custom networking's pod subnet(s), separated by ;.",
    ),
    fresh("ip_family", "IP family", Kind::Text, "ipv4 or ipv6."),
    fresh(
        "security_groups_for_pods",
        "Security groups for pods",
        Kind::Bool,
        "ENABLE_POD_ENI: pods with their own branch ENI.",
    ),
    fresh(
        "branch_eni_pods",
        "Branch ENI pods per node",
        Kind::Whole,
        "Pods per node, beside Pods per node, that ask for a branch ENI (security groups for \
         pods).",
    ),
];

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
        for columns in [INPUT_COLUMNS, CATALOG_COLUMNS] {
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
    fn every_scenario_csv_column_is_on_the_inputs_sheet() {
        for c in crate::scenario::schema::Field::ALL.map(|f| f.spec()) {
            if c.name != "note" {
                let input = INPUT_COLUMNS.iter().find(|i| i.name == c.name);
                // The schema's header is the one the CSV reader also reads a column under.
                assert_eq!(input.map(|i| i.header), Some(c.header), "{}", c.name);
            }
        }
    }
}
