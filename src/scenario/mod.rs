//! Typed scenarios: what a team asks the calculator about.
//!
//! A [`Scenario`] is one cluster layout: the subnet(s) its nodes draw addresses from, the
//! VPC CNI settings, and one or more [`NodeGroup`]s. The readers build scenarios from legacy
//! workbooks and scenario CSVs; the engine evaluates them; nothing here does I/O.
//! Where a scenario came from (file, line, cell) travels beside it in an [`Origin`], so that
//! two scenarios read from different files compare equal when their content is equal.
//! [`subnet`] holds the subnet arithmetic of AWS and of the legacy workbook, written once.
//! A program builds a scenario with [`Scenario::builder`] and [`NodeGroup::new`]. [`schema`]
//! declares every field once, for the readers, the writers and the docs.

mod builder;
mod origin;
pub mod schema;
pub mod subnet;
mod update;

use std::str::FromStr;
use std::sync::Arc;

use serde::Serialize;

pub use builder::ScenarioBuilder;
pub use origin::{LocatedScenario, Origin, Position, ShownFigures};
pub use subnet::{Subnet, SubnetRole, format_subnets};
pub use update::MaxUnavailable;

/// One cluster layout to evaluate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// The scenario's id, unique within a batch (e.g. `subnet-calc#WarmENI`).
    pub id: Arc<str>,
    /// The node subnets: one per Availability Zone, never empty.
    pub subnets: Vec<Subnet>,
    /// Custom networking's pod subnets (`pod_subnet_cidr`); empty when not given.
    pub pod_subnets: Vec<Subnet>,
    /// The VPC CNI settings of the cluster's `aws-node` daemonset.
    pub cni: CniSettings,
    /// Host-networking addresses per node (the legacy workbook's "Host Networking IPs", B14).
    pub host_networking_ips: u32,
    /// Daemonset pods per node that need a VPC address (the workbook's B15, which it never reads).
    pub daemonset_pods: u32,
    /// Which rule gives a node group's max pods when it has no `max_pods` of its own (`None`:
    /// the default, [`MaxPodsRule::Calculator`]).
    pub max_pods_rule: Option<MaxPodsRule>,
    /// The node groups, at least one.
    pub node_groups: Vec<NodeGroup>,
}

/// Which upstream rule gives kubelet's max pods (see `docs/models.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxPodsRule {
    /// The EKS AMI's max-pods calculator, capped at 110 or 250: what EKS managed node groups set.
    #[default]
    Calculator,
    /// The catalogue's max pods (`eni-max-pods.txt`), uncapped: what AL2 nodes bootstrapped with
    /// `--use-max-pods` (the default) and AL2023's nodeadm set.
    Table,
}

impl MaxPodsRule {
    /// The CSV spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MaxPodsRule::Calculator => "calculator",
            MaxPodsRule::Table => "table",
        }
    }
}

impl FromStr for MaxPodsRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "calculator" => Ok(MaxPodsRule::Calculator),
            "table" | "eni-max-pods" | "eni_max_pods" => Ok(MaxPodsRule::Table),
            _ => Err(
                "calculator (the EKS max-pods calculator, as managed node groups) or table \
                      (the catalogue's max pods, eni-max-pods.txt, as AL2 --use-max-pods)"
                    .into(),
            ),
        }
    }
}

/// A group of identical nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeGroup {
    /// EC2 instance type, e.g. `m5.large`, as written (lookups ignore case).
    pub instance_type: Arc<str>,
    /// Number of instances.
    pub instances: u32,
    /// Workload pods per node (the workbook's "Target Workload Pods per Node").
    pub pods_per_node: u32,
    /// kubelet `--max-pods` when given; otherwise the model derives it.
    pub max_pods: Option<u32>,
    /// Pods per node that use a branch ENI (security groups for pods).
    pub branch_eni_pods: u32,
}

/// The address family of the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IpFamily {
    /// IPv4 pods (the default).
    #[default]
    Ipv4,
    /// IPv6 pods: nodes take only their own IPv4 address from the subnet.
    Ipv6,
}

impl IpFamily {
    /// The CSV spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            IpFamily::Ipv4 => "ipv4",
            IpFamily::Ipv6 => "ipv6",
        }
    }
}

/// The VPC CNI (`aws-node`) settings. `None` is a setting left unset.
///
/// Values are kept as the user wrote them; each model applies its own defaults (ipamd reads an
/// unset `WARM_ENI_TARGET` as 1, the legacy workbook reads a blank cell as 0).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CniSettings {
    /// `WARM_ENI_TARGET`.
    pub warm_eni_target: Option<u32>,
    /// `WARM_IP_TARGET` (0 means unset to ipamd, but the legacy WarmIP sheet takes 0 as a value).
    pub warm_ip_target: Option<u32>,
    /// `MINIMUM_IP_TARGET`.
    pub minimum_ip_target: Option<u32>,
    /// `WARM_PREFIX_TARGET`.
    pub warm_prefix_target: Option<u32>,
    /// `ENABLE_PREFIX_DELEGATION`.
    pub prefix_delegation: bool,
    /// `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`.
    pub custom_networking: bool,
    /// `ENABLE_POD_ENI` (security groups for pods).
    pub security_groups_for_pods: bool,
    /// `MAX_ENI`: lowers the instance's ENI limit when 1 … limit − 1 (ipamd ignores other values).
    pub max_eni: Option<u32>,
    /// The cluster's IP family.
    pub ip_family: IpFamily,
}

/// Serializes a value as the text its `Display` gives (a [`Subnet`] as `10.0.0.0/23`), without
/// keeping that text.
pub fn serialize_display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}
