//! The columns of the scenario CSV ([`COLUMNS`]): each one's name, level, whether the header
//! must have it, and the other names people and the legacy workbook give it. Documented in
//! `docs/formats.md`.

/// Whether a column describes the whole scenario or one node group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The same for every row of a scenario.
    Scenario,
    /// Per row: one node group.
    NodeGroup,
    /// Free text, ignored by the tool.
    Ignored,
}

/// A column of the scenario CSV.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header name, lower case.
    pub name: &'static str,
    /// Scenario- or node-group-level.
    pub level: Level,
    /// Whether the header must have it.
    pub required: bool,
    /// Other names it is read under, as people and the legacy workbook write them (matched, like
    /// the name, without regard to case, blanks or punctuation), beside the report's Inputs
    /// header for it.
    pub aliases: &'static [&'static str],
}

const fn col(
    name: &'static str,
    level: Level,
    required: bool,
    aliases: &'static [&'static str],
) -> Column {
    Column {
        name,
        level,
        required,
        aliases,
    }
}

/// Every column the scenario CSV takes, in the order the writer emits them (`note`, ignored,
/// last).
pub const COLUMNS: &[Column] = &[
    col(
        "scenario",
        Level::Scenario,
        true,
        &["scenario id", "scenario name", "cluster", "cluster name"],
    ),
    col(
        "subnet_cidr",
        Level::Scenario,
        true,
        // "Subnet CIDR Size" is the legacy sheet's A4 label: a prefix length, which this takes.
        &[
            "subnet cidr size",
            "subnet size",
            "subnet",
            "subnets",
            "subnet cidrs",
            "cidr",
            "node subnet",
            "node subnet cidr",
        ],
    ),
    col("warm_eni_target", Level::Scenario, false, &[]),
    col("warm_ip_target", Level::Scenario, false, &[]),
    col(
        "minimum_ip_target",
        Level::Scenario,
        false,
        &["min ip target"],
    ),
    col("warm_prefix_target", Level::Scenario, false, &[]),
    col(
        "prefix_delegation",
        Level::Scenario,
        false,
        &["enable_prefix_delegation"],
    ),
    col(
        "custom_networking",
        Level::Scenario,
        false,
        &["aws_vpc_k8s_cni_custom_network_cfg", "custom network"],
    ),
    col(
        "pod_subnet_cidr",
        Level::Scenario,
        false,
        &["pod subnet", "pod subnet cidrs", "pod cidr"],
    ),
    col("ip_family", Level::Scenario, false, &[]),
    col(
        "security_groups_for_pods",
        Level::Scenario,
        false,
        &[
            "enable_pod_eni",
            "security group for pods",
            "sg for pods",
            "sgs for pods",
            "pod security groups",
        ],
    ),
    col("max_eni", Level::Scenario, false, &[]),
    col(
        "host_networking_ips",
        Level::Scenario,
        false,
        &[
            "host network pods",
            "host networking pods",
            "host network ips",
            "hostnetwork pods",
        ],
    ),
    col(
        "daemonset_pods",
        Level::Scenario,
        false,
        &["daemonsets", "daemonsets per node"],
    ),
    col("max_pods_rule", Level::Scenario, false, &[]),
    col(
        "instance_type",
        Level::NodeGroup,
        true,
        &[
            "type",
            "instance",
            "instance size",
            "ec2 instance type",
            "node type",
            "node instance type",
        ],
    ),
    col(
        "instances",
        Level::NodeGroup,
        true,
        // "# of Instances" is the legacy node-group table's header.
        &[
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
    ),
    col(
        "pods_per_node",
        Level::NodeGroup,
        true,
        // "Target Workload Pods per Node" is the legacy node-group table's header.
        &[
            "target workload pods per node",
            "workload pods per node",
            "target pods per node",
            "pods per instance",
            "pods/node",
            "pods",
        ],
    ),
    col("max_pods", Level::NodeGroup, false, &["kubelet max pods"]),
    col(
        "branch_eni_pods",
        Level::NodeGroup,
        false,
        &["sgp pods", "security group pods"],
    ),
    col(
        "note",
        Level::Ignored,
        false,
        &["notes", "comment", "comments", "description"],
    ),
];
