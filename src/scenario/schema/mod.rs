//! The scenario schema: every field a scenario has, declared once in one table ([`Field`], its
//! [`FieldSpec`]), from which the rest derives:
//!
//! - the scenario CSV: its columns, its header matching ([`field_for_header`], with the names
//!   people, the legacy workbook and the report give a column), the reader's parsing (by
//!   [`FieldKind`]) and its writer (by [`Field::value`]);
//! - the xlsx report's Inputs sheet (header, note, what a change to it needs) and its reader;
//! - what the legacy workbook layout does with each field ([`Legacy`]; the cells themselves are
//!   `legacy_layout`'s);
//! - the column table of `docs/formats.md` ([`markdown_table`], checked by `tests/docs_schema.rs`).
//!
//! ```
//! use subnet_calc::scenario::schema::{Field, FieldValue, Level, field_for_header};
//! use subnet_calc::scenario::{NodeGroup, Scenario, Subnet};
//!
//! let s = Scenario::builder("web")
//!     .subnet(Subnet::of_size(23))
//!     .warm_ip_target(5)
//!     .node_group(NodeGroup::new("m5.large", 3, 20))
//!     .build();
//! assert_eq!(Field::WarmIpTarget.value(&s, 0), FieldValue::Whole(Some(5)));
//! assert_eq!(Field::Instances.spec().level, Level::NodeGroup);
//! assert_eq!(field_for_header("# of Instances").map(|(f, _)| f), Some(Field::Instances));
//! // One CSV row per node group: the field values, as the scenario CSV writes them.
//! let row: Vec<String> = Field::ALL.iter().map(|f| f.value(&s, 0).to_string()).collect();
//! assert_eq!(row[..4], ["web", "23", "", "5"]);
//! ```
//!
//! To add a column: a variant and its [`FieldSpec`] in the `schema!` table below (where it sits
//! there is its place in the CSV), and the [`super::Scenario`] or [`super::NodeGroup`] field it
//! reads and sets. Everything listed above follows; see `docs/architecture.md`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use super::{IpFamily, MaxPodsRule, Scenario, Subnet, format_subnets};
use crate::text::close_matches;

/// Whether a field describes the whole scenario or one node group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The same for every row of a scenario (given on one row, or repeated alike).
    Scenario,
    /// Per row: one node group.
    NodeGroup,
    /// Free text, ignored by the tool.
    Ignored,
}

/// What a field holds, and how its text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// The scenario id: text without a NUL byte.
    Id,
    /// Subnets separated by `;`: each a prefix length (`23`, `/23`) or a CIDR (`10.0.0.0/23`).
    Subnets,
    /// A whole number ≥ 0 (blank: required, or 0).
    Whole,
    /// A whole number ≥ 0, or blank (unset).
    OptWhole,
    /// A whole number ≥ 1, or blank (unset).
    OptPositive,
    /// `true`/`false` (also yes/no, on/off, 1/0).
    Bool,
    /// `ipv4` or `ipv6`.
    IpFamily,
    /// `calculator` or `table`, or blank.
    MaxPodsRule,
    /// Text.
    Text,
    /// Free text, not read.
    FreeText,
}

impl FieldKind {
    /// How `docs/formats.md` words what the field takes.
    pub fn described(self) -> &'static str {
        match self {
            FieldKind::Id => "text, no NUL byte (that is a damaged file)",
            FieldKind::Subnets => {
                "prefix length `23`, `/23`, or a CIDR `10.0.0.0/23` (no host bits); several \
                 separated by `;`"
            }
            FieldKind::Whole | FieldKind::OptWhole => "whole number ≥ 0",
            FieldKind::OptPositive => "whole number ≥ 1",
            FieldKind::Bool => "boolean",
            FieldKind::IpFamily => "`ipv4` or `ipv6`",
            FieldKind::MaxPodsRule => "`calculator` or `table`",
            FieldKind::Text => "text",
            FieldKind::FreeText => "free text, ignored",
        }
    }
}

/// What the legacy workbook's calculator sheet does with a field (where it holds one is
/// `legacy_layout`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// The sheet's name gives it: a sheet's scenario is `<file stem>#<sheet name>`.
    SheetName,
    /// An input cell of the sheet holds it.
    Cell,
    /// A column of the sheet's node-group table holds it.
    TableColumn,
    /// The sheet has no place for it: the workbook model refuses a scenario that sets it
    /// (`engine::workbook::sheet_for`), and so does the export.
    Refused,
    /// The sheet has no place for it and its formulas need none: left out.
    Unused,
}

impl Legacy {
    /// How `docs/formats.md` words it.
    fn described(self) -> &'static str {
        match self {
            Legacy::SheetName => "the sheet's name",
            Legacy::Cell => "an input cell",
            Legacy::TableColumn => "a node-group table column",
            Legacy::Refused => "refused",
            Legacy::Unused => "left out",
        }
    }
}

/// A field's value in a scenario, as the outputs show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// Text (empty when blank); ids and instance types as written, the IP family and the
    /// max-pods rule as the CSV spells them.
    Text(&'a str),
    /// A subnet list (empty when none).
    Subnets(&'a [Subnet]),
    /// A whole number, `None` when unset.
    Whole(Option<u32>),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for FieldValue<'_> {
    /// The value as the scenario CSV holds it (text unescaped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Text(t) => f.write_str(t),
            FieldValue::Subnets(s) => f.write_str(&format_subnets(s)),
            FieldValue::Whole(Some(n)) => write!(f, "{n}"),
            FieldValue::Whole(None) => Ok(()),
            FieldValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Where a field's value goes in a scenario being read (see [`Field::slot`]).
#[derive(Debug)]
pub(crate) enum FieldSlot<'a> {
    /// The scenario id, which the reader sets as it groups a scenario's rows.
    Id,
    /// A subnet list.
    Subnets(&'a mut Vec<Subnet>),
    /// A whole number.
    Whole(&'a mut u32),
    /// A whole number that may be unset.
    OptWhole(&'a mut Option<u32>),
    /// A boolean.
    Bool(&'a mut bool),
    /// The IP family.
    IpFamily(&'a mut IpFamily),
    /// The max-pods rule.
    MaxPodsRule(&'a mut Option<MaxPodsRule>),
    /// Text.
    Text(&'a mut Arc<str>),
    /// Nothing: the field is not read.
    Unread,
}

/// One field of the schema: its names, what it holds, what it means, and how each output shows
/// it.
#[derive(Debug)]
pub struct FieldSpec {
    /// The scenario CSV's column name, also the JSON field and the name notes and messages use.
    pub name: &'static str,
    /// Scenario- or node-group-level.
    pub level: Level,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether the CSV must have the column (and a row, or one row of the scenario, a value).
    pub required: bool,
    /// What a blank value means (`–` where a value is required).
    pub default: &'static str,
    /// What it means (lower case, no full stop), for `docs/formats.md`, the report's header
    /// note and messages about a missing value.
    pub meaning: &'static str,
    /// An example value.
    pub example: &'static str,
    /// The header of the report's Inputs sheet.
    pub header: &'static str,
    /// What the report's note adds about editing it there (empty when nothing).
    pub in_report: &'static str,
    /// Whether an edit on the report's Inputs sheet needs a fresh run: its formulas cannot
    /// follow it.
    pub fresh_run: bool,
    /// Other names the CSV header is read under, as people and the legacy workbook write them
    /// (matched, like the name, without regard to case, blanks or punctuation).
    pub aliases: &'static [&'static str],
    /// What the legacy workbook does with it.
    pub legacy: Legacy,
    value: for<'a> fn(&'a Scenario, usize) -> FieldValue<'a>,
    slot: for<'a> fn(&'a mut Scenario, usize) -> FieldSlot<'a>,
}

/// What most scenario-level settings share; each entry below says what is its own.
const SETTING: FieldSpec = FieldSpec {
    name: "",
    level: Level::Scenario,
    kind: FieldKind::OptWhole,
    required: false,
    default: "unset",
    meaning: "",
    example: "",
    header: "",
    in_report: "",
    fresh_run: false,
    aliases: &[],
    legacy: Legacy::Refused,
    value: |_, _| FieldValue::Text(""),
    slot: |_, _| FieldSlot::Unread,
};

/// Declares [`Field`], [`Field::ALL`] and the table of their specs, in one order.
macro_rules! schema {
    ($($(#[$doc:meta])* $field:ident => $spec:expr,)*) => {
        /// A field of the scenario schema, in the order of the CSV's columns; its
        /// [`spec`](Field::spec) says everything about it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(usize)]
        pub enum Field {
            $($(#[$doc])* $field,)*
        }

        impl Field {
            /// Every field, in the CSV's order.
            pub const ALL: [Field; [$(Field::$field),*].len()] = [$(Field::$field),*];
        }

        /// The specs, in [`Field::ALL`] order.
        static SPECS: [FieldSpec; Field::COUNT] = [$($spec),*];
    };
}

schema! {
    /// `scenario`: the scenario id.
    Scenario => FieldSpec {
        name: "scenario",
        kind: FieldKind::Id,
        required: true,
        default: "–",
        meaning: "the scenario id; its rows follow one another",
        example: "web-prod",
        header: "Scenario",
        aliases: &["scenario id", "scenario name", "cluster", "cluster name"],
        legacy: Legacy::SheetName,
        value: |s, _| FieldValue::Text(&s.id),
        slot: |_, _| FieldSlot::Id,
        ..SETTING
    },
    /// `subnet_cidr`: the node subnets.
    SubnetCidr => FieldSpec {
        name: "subnet_cidr",
        kind: FieldKind::Subnets,
        required: true,
        default: "–",
        meaning: "the node subnet(s), one per Availability Zone",
        example: "10.0.0.0/24;10.0.1.0/24",
        header: "Node subnet(s)",
        in_report: "To resize the first one, change Subnet size (/n) instead: the formulas \
                    follow that.",
        fresh_run: true,
        // "Subnet CIDR Size" is the legacy sheet's A4 label: a prefix length, which this takes.
        aliases: &[
            "subnet cidr size",
            "subnet size",
            "subnet",
            "subnets",
            "subnet cidrs",
            "cidr",
            "node subnet",
            "node subnet cidr",
        ],
        legacy: Legacy::Cell,
        value: |s, _| FieldValue::Subnets(&s.subnets),
        slot: |s, _| FieldSlot::Subnets(&mut s.subnets),
        ..SETTING
    },
    /// `warm_eni_target`: `WARM_ENI_TARGET`.
    WarmEniTarget => FieldSpec {
        name: "warm_eni_target",
        default: "unset (ipamd: 1)",
        meaning: "WARM_ENI_TARGET: spare ENIs ipamd keeps attached",
        example: "1",
        header: "Warm ENI target",
        legacy: Legacy::Cell,
        value: |s, _| FieldValue::Whole(s.cni.warm_eni_target),
        slot: |s, _| FieldSlot::OptWhole(&mut s.cni.warm_eni_target),
        ..SETTING
    },
    /// `warm_ip_target`: `WARM_IP_TARGET`.
    WarmIpTarget => FieldSpec {
        name: "warm_ip_target",
        default: "unset (`0` is kept as written: the legacy WarmIP sheet takes it as a value, \
                  ipamd as unset)",
        meaning: "WARM_IP_TARGET: spare addresses ipamd keeps",
        example: "5",
        header: "Warm IP target",
        in_report: "Setting it where it was blank, or blanking it, switches the workbook model \
                    between its WarmENI and WarmIP sheets: that needs a fresh run.",
        legacy: Legacy::Cell,
        value: |s, _| FieldValue::Whole(s.cni.warm_ip_target),
        slot: |s, _| FieldSlot::OptWhole(&mut s.cni.warm_ip_target),
        ..SETTING
    },
    /// `minimum_ip_target`: `MINIMUM_IP_TARGET`.
    MinimumIpTarget => FieldSpec {
        name: "minimum_ip_target",
        default: "unset (ipamd: 0)",
        meaning: "MINIMUM_IP_TARGET: addresses ipamd holds at least",
        example: "20",
        header: "Minimum IP target",
        aliases: &["min ip target"],
        value: |s, _| FieldValue::Whole(s.cni.minimum_ip_target),
        slot: |s, _| FieldSlot::OptWhole(&mut s.cni.minimum_ip_target),
        ..SETTING
    },
    /// `warm_prefix_target`: `WARM_PREFIX_TARGET`.
    WarmPrefixTarget => FieldSpec {
        name: "warm_prefix_target",
        default: "unset (the shipped manifest's 1)",
        meaning: "WARM_PREFIX_TARGET: spare /28 prefixes under prefix delegation",
        example: "1",
        header: "Warm prefix target",
        legacy: Legacy::Unused,
        value: |s, _| FieldValue::Whole(s.cni.warm_prefix_target),
        slot: |s, _| FieldSlot::OptWhole(&mut s.cni.warm_prefix_target),
        ..SETTING
    },
    /// `prefix_delegation`: `ENABLE_PREFIX_DELEGATION`.
    PrefixDelegation => FieldSpec {
        name: "prefix_delegation",
        kind: FieldKind::Bool,
        default: "false",
        meaning: "ENABLE_PREFIX_DELEGATION: /28 prefixes instead of single secondary IPs",
        example: "true",
        header: "Prefix delegation",
        fresh_run: true,
        aliases: &["enable_prefix_delegation"],
        value: |s, _| FieldValue::Bool(s.cni.prefix_delegation),
        slot: |s, _| FieldSlot::Bool(&mut s.cni.prefix_delegation),
        ..SETTING
    },
    /// `custom_networking`: `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`.
    CustomNetworking => FieldSpec {
        name: "custom_networking",
        kind: FieldKind::Bool,
        default: "false",
        meaning: "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: pod ENIs in the pod subnet",
        example: "true",
        header: "Custom networking",
        fresh_run: true,
        aliases: &["aws_vpc_k8s_cni_custom_network_cfg", "custom network"],
        value: |s, _| FieldValue::Bool(s.cni.custom_networking),
        slot: |s, _| FieldSlot::Bool(&mut s.cni.custom_networking),
        ..SETTING
    },
    /// `pod_subnet_cidr`: custom networking's pod subnets.
    PodSubnetCidr => FieldSpec {
        name: "pod_subnet_cidr",
        kind: FieldKind::Subnets,
        default: "none",
        meaning: "custom networking's pod subnet(s)",
        example: "100.64.0.0/19",
        header: "Pod subnet(s)",
        fresh_run: true,
        aliases: &["pod subnet", "pod subnet cidrs", "pod cidr"],
        value: |s, _| FieldValue::Subnets(&s.pod_subnets),
        slot: |s, _| FieldSlot::Subnets(&mut s.pod_subnets),
        ..SETTING
    },
    /// `ip_family`: the cluster's IP family.
    IpFamily => FieldSpec {
        name: "ip_family",
        kind: FieldKind::IpFamily,
        default: "`ipv4`",
        meaning: "the cluster's IP family",
        example: "ipv6",
        header: "IP family",
        fresh_run: true,
        value: |s, _| FieldValue::Text(s.cni.ip_family.as_str()),
        slot: |s, _| FieldSlot::IpFamily(&mut s.cni.ip_family),
        ..SETTING
    },
    /// `security_groups_for_pods`: `ENABLE_POD_ENI`.
    SecurityGroupsForPods => FieldSpec {
        name: "security_groups_for_pods",
        kind: FieldKind::Bool,
        default: "false",
        meaning: "ENABLE_POD_ENI: pods with their own branch ENI (security groups for pods)",
        example: "true",
        header: "Security groups for pods",
        fresh_run: true,
        aliases: &[
            "enable_pod_eni",
            "security group for pods",
            "sg for pods",
            "sgs for pods",
            "pod security groups",
        ],
        value: |s, _| FieldValue::Bool(s.cni.security_groups_for_pods),
        slot: |s, _| FieldSlot::Bool(&mut s.cni.security_groups_for_pods),
        ..SETTING
    },
    /// `max_eni`: `MAX_ENI`.
    MaxEni => FieldSpec {
        name: "max_eni",
        meaning: "MAX_ENI: lowers the type's ENI limit when 1 … limit − 1, otherwise ignored \
                  as ipamd ignores it",
        example: "2",
        header: "ENI limit (MAX_ENI)",
        value: |s, _| FieldValue::Whole(s.cni.max_eni),
        slot: |s, _| FieldSlot::OptWhole(&mut s.cni.max_eni),
        ..SETTING
    },
    /// `host_networking_ips`: host-network pods per node.
    HostNetworkingIps => FieldSpec {
        name: "host_networking_ips",
        kind: FieldKind::Whole,
        default: "0",
        meaning: "host-network pods per node, on the node's own address (the legacy sheet's \
                  Host Networking IPs)",
        example: "2",
        header: "Host-network pods per node",
        aliases: &[
            "host network pods",
            "host networking pods",
            "host network ips",
            "hostnetwork pods",
        ],
        legacy: Legacy::Cell,
        value: |s, _| FieldValue::Whole(Some(s.host_networking_ips)),
        slot: |s, _| FieldSlot::Whole(&mut s.host_networking_ips),
        ..SETTING
    },
    /// `daemonset_pods`: daemonset pods per node.
    DaemonsetPods => FieldSpec {
        name: "daemonset_pods",
        kind: FieldKind::Whole,
        default: "0",
        meaning: "DaemonSet pods per node that need a VPC address",
        example: "3",
        header: "DaemonSet pods per node",
        aliases: &["daemonsets", "daemonsets per node"],
        legacy: Legacy::Cell,
        value: |s, _| FieldValue::Whole(Some(s.daemonset_pods)),
        slot: |s, _| FieldSlot::Whole(&mut s.daemonset_pods),
        ..SETTING
    },
    /// `max_pods_rule`: which rule gives max pods.
    MaxPodsRule => FieldSpec {
        name: "max_pods_rule",
        kind: FieldKind::MaxPodsRule,
        default: "`eval --max-pods-rule`, else `calculator`",
        meaning: "which rule gives max pods where a node group has no max_pods: calculator \
                  (the EKS max-pods calculator, capped at 110/250) or table (the catalogue's \
                  eni-max-pods.txt value, uncapped, as AL2 nodes take it)",
        example: "table",
        header: "Max pods rule",
        in_report: "As the run applied it.",
        legacy: Legacy::Unused,
        value: |s, _| FieldValue::Text(s.max_pods_rule.map_or("", MaxPodsRule::as_str)),
        slot: |s, _| FieldSlot::MaxPodsRule(&mut s.max_pods_rule),
        ..SETTING
    },
    /// `instance_type`: the node group's EC2 instance type.
    InstanceType => FieldSpec {
        name: "instance_type",
        level: Level::NodeGroup,
        kind: FieldKind::Text,
        required: true,
        default: "–",
        meaning: "the EC2 instance type (lookups ignore case)",
        example: "m5.large",
        header: "Instance type",
        in_report: "Looked up on the Catalog sheet. A type of another hypervisor under prefix \
                    delegation, or one the Catalog lacks, needs a fresh run.",
        aliases: &[
            "type",
            "instance",
            "instance size",
            "ec2 instance type",
            "node type",
            "node instance type",
        ],
        legacy: Legacy::TableColumn,
        value: |s, g| FieldValue::Text(&s.node_groups[g].instance_type),
        slot: |s, g| FieldSlot::Text(&mut s.node_groups[g].instance_type),
        ..SETTING
    },
    /// `instances`: nodes in the node group.
    Instances => FieldSpec {
        name: "instances",
        level: Level::NodeGroup,
        kind: FieldKind::Whole,
        required: true,
        default: "–",
        meaning: "nodes in the node group",
        example: "12",
        header: "Instances",
        // "# of Instances" is the legacy node-group table's header.
        aliases: &[
            "# of instances",
            "number of instances",
            "no. of instances",
            "instance count",
            "nodes",
            "# of nodes",
            "number of nodes",
            "node count",
            "count",
            "desired size",
            "desired capacity",
        ],
        legacy: Legacy::TableColumn,
        value: |s, g| FieldValue::Whole(Some(s.node_groups[g].instances)),
        slot: |s, g| FieldSlot::Whole(&mut s.node_groups[g].instances),
        ..SETTING
    },
    /// `pods_per_node`: workload pods per node.
    PodsPerNode => FieldSpec {
        name: "pods_per_node",
        level: Level::NodeGroup,
        kind: FieldKind::Whole,
        required: true,
        default: "–",
        meaning: "workload pods per node",
        example: "20",
        header: "Pods per node",
        // "Target Workload Pods per Node" is the legacy node-group table's header.
        aliases: &[
            "target workload pods per node",
            "workload pods per node",
            "target pods per node",
            "pods per instance",
            "pods/node",
            "pods",
        ],
        legacy: Legacy::TableColumn,
        value: |s, g| FieldValue::Whole(Some(s.node_groups[g].pods_per_node)),
        slot: |s, g| FieldSlot::Whole(&mut s.node_groups[g].pods_per_node),
        ..SETTING
    },
    /// `max_pods`: kubelet's `--max-pods`.
    MaxPods => FieldSpec {
        name: "max_pods",
        level: Level::NodeGroup,
        kind: FieldKind::OptPositive,
        default: "the max-pods rule gives it",
        meaning: "kubelet's --max-pods for the node group",
        example: "110",
        header: "Max pods (override)",
        aliases: &["kubelet max pods"],
        value: |s, g| FieldValue::Whole(s.node_groups[g].max_pods),
        slot: |s, g| FieldSlot::OptWhole(&mut s.node_groups[g].max_pods),
        ..SETTING
    },
    /// `branch_eni_pods`: pods per node on branch ENIs.
    BranchEniPods => FieldSpec {
        name: "branch_eni_pods",
        level: Level::NodeGroup,
        kind: FieldKind::Whole,
        default: "0",
        meaning: "pods per node, beside pods_per_node, that ask for a branch ENI (security \
                  groups for pods)",
        example: "4",
        header: "Branch ENI pods per node",
        fresh_run: true,
        aliases: &["sgp pods", "security group pods"],
        value: |s, g| FieldValue::Whole(Some(s.node_groups[g].branch_eni_pods)),
        slot: |s, g| FieldSlot::Whole(&mut s.node_groups[g].branch_eni_pods),
        ..SETTING
    },
    /// `note`: free text, ignored.
    Note => FieldSpec {
        name: "note",
        level: Level::Ignored,
        kind: FieldKind::FreeText,
        default: "–",
        meaning: "free text, ignored; the one column whose quoted text may run over lines",
        example: "from team-a.xlsx",
        header: "Note",
        aliases: &["notes", "comment", "comments", "description"],
        legacy: Legacy::Unused,
        ..SETTING
    },
}

impl Field {
    /// How many fields there are.
    pub const COUNT: usize = Field::ALL.len();

    /// Everything about the field.
    pub fn spec(self) -> &'static FieldSpec {
        &SPECS[self as usize]
    }

    /// The CSV column's name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The field's value in `scenario`; a node-group field's in its node group `group` (which
    /// must exist), a scenario-level field's whatever `group` is.
    pub fn value(self, scenario: &Scenario, group: usize) -> FieldValue<'_> {
        (self.spec().value)(scenario, group)
    }

    /// Where the field's value goes in `scenario` (node group `group` for a node-group field).
    pub(crate) fn slot(self, scenario: &mut Scenario, group: usize) -> FieldSlot<'_> {
        (self.spec().slot)(scenario, group)
    }

    /// The fields of one level, in order.
    pub fn of_level(level: Level) -> impl Iterator<Item = Field> {
        Field::ALL
            .into_iter()
            .filter(move |f| f.spec().level == level)
    }

    /// The fields a CSV header must have, in order.
    pub fn required() -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(|f| f.spec().required)
    }
}

/// The names of the fields a CSV header must have, as messages list them
/// (`scenario, subnet_cidr, …`).
pub fn required_names() -> String {
    Field::required()
        .map(Field::name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a header name was read as a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderMatch {
    /// The field's own name, in any case, with blanks around it.
    Exact,
    /// Another way of writing it: other spacing, case or punctuation, an alias, the report's
    /// Inputs header.
    Written,
}

/// A name reduced to what is compared: its letters and digits, in lower case (`# of Instances`
/// is `ofinstances`, `subnet_cidr` and `Subnet CIDR` are `subnetcidr`).
pub fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The names a field is read under: its own, its aliases and its report header.
fn names_of(field: Field) -> impl Iterator<Item = &'static str> {
    let spec = field.spec();
    [spec.name, spec.header]
        .into_iter()
        .chain(spec.aliases.iter().copied())
}

/// Every name a field is read under, normalized.
fn names() -> &'static HashMap<String, Field> {
    static NAMES: OnceLock<HashMap<String, Field>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashMap::new();
        for field in Field::ALL {
            for name in names_of(field) {
                names.insert(normalized(name), field);
            }
        }
        names
    })
}

/// The field a header name is read as, and how; `None` for a name the schema does not know.
/// Names are compared without regard to case, blanks and punctuation, and a field is also read
/// under its aliases and its header on the report's Inputs sheet.
pub fn field_for_header(text: &str) -> Option<(Field, HeaderMatch)> {
    let text = text.trim();
    if let Some(field) = Field::ALL
        .into_iter()
        .find(|f| f.name().eq_ignore_ascii_case(text))
    {
        return Some((field, HeaderMatch::Exact));
    }
    names()
        .get(&normalized(text))
        .map(|&f| (f, HeaderMatch::Written))
}

/// Up to three fields whose names (or other names) are close to `text`, closest first, for a
/// "did you mean" hint.
pub fn close_fields(text: &str) -> Vec<Field> {
    let mut fields = Vec::new();
    for close in close_matches(&normalized(text), names().keys().map(String::as_str)) {
        let field = names()[close];
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    fields
}

/// The scenario CSV's column table, as `docs/formats.md` holds it (`tests/docs_schema.rs`).
pub fn markdown_table() -> String {
    let mut table = String::from(
        "| column | level | takes | required | when blank | meaning | example | legacy \
         workbook |\n|---|---|---|---|---|---|---|---|\n",
    );
    for field in Field::ALL {
        let s = field.spec();
        let level = match s.level {
            Level::Scenario => "scenario",
            Level::NodeGroup => "node group",
            Level::Ignored => "–",
        };
        let required = match (s.required, s.level) {
            (false, _) => "no",
            (true, Level::Scenario) if s.kind != FieldKind::Id => "yes (on one row)",
            (true, _) => "yes",
        };
        table.push_str(&format!(
            "| `{}` | {level} | {} | {required} | {} | {} | `{}` | {} |\n",
            s.name,
            s.kind.described(),
            s.default,
            s.meaning,
            s.example,
            s.legacy.described(),
        ));
    }
    table
}

/// A scenario of one node group whose every field holds its [`FieldSpec::example`] (for the
/// tests of what reads and writes through the schema).
#[cfg(test)]
pub(crate) fn example() -> Scenario {
    use super::NodeGroup;
    let mut s = Scenario::builder("x")
        .node_group(NodeGroup::new("t", 0, 0))
        .build();
    for f in Field::ALL {
        set_example(&mut s, f);
    }
    s
}

/// Sets `field` of `s` (of its first node group, for a node-group field) to the field's
/// [`FieldSpec::example`].
#[cfg(test)]
pub(crate) fn set_example(s: &mut Scenario, field: Field) {
    let example = field.spec().example;
    match field.slot(s, 0) {
        FieldSlot::Id => s.id = example.into(),
        FieldSlot::Subnets(v) => *v = example.split(';').map(|t| t.parse().unwrap()).collect(),
        FieldSlot::Whole(v) => *v = example.parse().unwrap(),
        FieldSlot::OptWhole(v) => *v = Some(example.parse().unwrap()),
        FieldSlot::Bool(v) => *v = example.parse().unwrap(),
        FieldSlot::IpFamily(v) => {
            assert_eq!(example, "ipv6");
            *v = IpFamily::Ipv6;
        }
        FieldSlot::MaxPodsRule(v) => *v = Some(example.parse().unwrap()),
        FieldSlot::Text(v) => *v = example.into(),
        FieldSlot::Unread => assert_eq!(field, Field::Note),
    }
}

#[cfg(test)]
mod tests;
