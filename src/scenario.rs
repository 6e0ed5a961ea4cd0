//! Typed scenarios: what a team asks the calculator about.
//!
//! A [`Scenario`] is one cluster layout: the subnet(s) its nodes draw addresses from, the
//! VPC CNI settings, and one or more [`NodeGroup`]s. The readers build scenarios from legacy
//! workbooks and scenario CSVs; the engine evaluates them; nothing here does I/O.
//! Where a scenario came from (file, line, cell) travels beside it in an [`Origin`], so that
//! two scenarios read from different files compare equal when their content is equal.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;
use std::sync::Arc;

use serde::Serialize;

use crate::error::Location;

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

/// A subnet: its size, and its network address when the user gave a full CIDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Subnet {
    /// The prefix length, 0 to 32 (`23` for a /23).
    pub prefix_len: u8,
    /// The network address when given as `10.0.0.0/23`.
    pub network: Option<Ipv4Addr>,
}

impl Subnet {
    /// A subnet known only by its size.
    pub fn of_size(prefix_len: u8) -> Self {
        Subnet {
            prefix_len,
            network: None,
        }
    }

    /// The first and last address of the block, when the network address is known.
    pub fn range(&self) -> Option<(u32, u32)> {
        let first = u32::from(self.network?);
        let last = first.saturating_add((self.block_size() - 1) as u32);
        Some((first, last))
    }

    /// Whether both subnets are given as CIDRs and share an address.
    pub fn overlaps(&self, other: &Subnet) -> bool {
        match (self.range(), other.range()) {
            (Some(a), Some(b)) => a.0 <= b.1 && b.0 <= a.1,
            _ => false,
        }
    }

    /// All addresses of the block, 2^(32−n).
    pub fn block_size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix_len))
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.network {
            Some(net) => write!(f, "{net}/{}", self.prefix_len),
            None => write!(f, "/{}", self.prefix_len),
        }
    }
}

impl FromStr for Subnet {
    type Err = String;

    /// Parses `23`, `/23` or `10.0.0.0/23`. A full CIDR must have no host bits set.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.contains(':') {
            return Err(
                "an IPv6 CIDR: subnet sizes and CIDRs here are the IPv4 ones nodes take \
                        addresses from, also in an IPv6 cluster (say ip_family=ipv6 for IPv6 pods)"
                    .into(),
            );
        }
        let (net, len) = match s.split_once('/') {
            Some((net, len)) => (Some(net.trim()), len.trim()),
            None => (None, s),
        };
        let prefix_len: u8 = len
            .parse()
            .map_err(|_| format!("prefix length {len:?} is not a whole number"))?;
        if prefix_len > 32 {
            return Err(format!("prefix length {prefix_len} is over 32"));
        }
        let network = match net {
            None | Some("") => None,
            Some(text) => {
                let addr: Ipv4Addr = text
                    .parse()
                    .map_err(|_| format!("{text:?} is not an IPv4 address"))?;
                let mask = if prefix_len == 0 {
                    0
                } else {
                    u32::MAX << (32 - prefix_len)
                };
                if u32::from(addr) & !mask != 0 {
                    let base = Ipv4Addr::from(u32::from(addr) & mask);
                    return Err(format!("host bits set: did you mean {base}/{prefix_len}?"));
                }
                Some(addr)
            }
        };
        if net == Some("") {
            // "/23" is a size, like "23".
            return Ok(Subnet {
                prefix_len,
                network: None,
            });
        }
        Ok(Subnet {
            prefix_len,
            network,
        })
    }
}

/// Formats a subnet list the way the CSV holds it: `;` between subnets.
pub fn format_subnets(subnets: &[Subnet]) -> String {
    subnets
        .iter()
        .map(|s| match s.network {
            Some(_) => s.to_string(),
            None => s.prefix_len.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
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

/// Where a scenario was read from, for messages that name the file and line or cell.
///
/// Kept compact (one shared file name, a small position per node group) because a batch of
/// millions of scenarios holds an origin for each until they are checked against the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The file, as the user named it.
    pub file: Arc<str>,
    /// The workbook sheet the scenario was read from (`None` for a CSV line).
    pub sheet: Option<Arc<str>>,
    /// Whether that sheet is hidden in its workbook (outputs mark such scenarios).
    pub hidden: bool,
    /// The figures that sheet shows (its cached totals), when it holds any.
    pub shown: Option<ShownFigures>,
    /// Where the scenario starts (its first CSV line, or its sheet).
    pub scenario: Position,
    /// Where each node group is, in the scenario's order.
    pub node_groups: Vec<Position>,
}

/// The totals a legacy calculator sheet shows (the values cached in B5, B8, B9 and B10), to
/// check the workbook model against: they differ when the file's values are stale or its
/// formulas were changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownFigures {
    /// B5, Total Available IP Addresses.
    pub subnet_ips: Option<f64>,
    /// B8, Number of IPs Used.
    pub used_ips: Option<f64>,
    /// B9, Number of Pods Hosted.
    pub pods: Option<f64>,
    /// B10, # of Subnet IPs Remaining.
    pub remaining_ips: Option<f64>,
}

impl ShownFigures {
    /// Whether any figure is known.
    pub fn any(&self) -> bool {
        [
            self.subnet_ips,
            self.used_ips,
            self.pods,
            self.remaining_ips,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// A position in a scenario input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A line of a CSV file (1-based).
    Line(u64),
    /// The whole sheet of [`Origin::sheet`].
    Sheet,
    /// A cell of the sheet of [`Origin::sheet`] (0-based row and column).
    Cell {
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
    },
}

impl Origin {
    /// The origin of a scenario that starts on `line` of a CSV file.
    pub fn line(file: &Arc<str>, line: u64) -> Self {
        Origin {
            file: Arc::clone(file),
            sheet: None,
            hidden: false,
            shown: None,
            scenario: Position::Line(line),
            node_groups: Vec::new(),
        }
    }

    fn locate(&self, position: Position, column: Option<&str>) -> Location {
        let sheet = self.sheet.as_deref().unwrap_or_default();
        match position {
            Position::Line(line) => Location::line(&*self.file, line, column),
            Position::Sheet => Location::sheet(&*self.file, sheet),
            Position::Cell { row, col } => Location::cell(&*self.file, sheet, row, col),
        }
    }

    /// Where the scenario starts; for a CSV line, naming `column`.
    pub fn scenario_location(&self, column: Option<&str>) -> Location {
        self.locate(self.scenario, column)
    }

    /// Where node group `index` is: its CSV line and `instance_type` column, or its table cell.
    pub fn node_group_location(&self, index: usize) -> Location {
        let position = self
            .node_groups
            .get(index)
            .copied()
            .unwrap_or(self.scenario);
        self.locate(position, Some("instance_type"))
    }
}

/// A scenario with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Where it was read from.
    pub origin: Origin,
}

/// Serializes a value as the text its `Display` gives (a [`Subnet`] as `10.0.0.0/23`), without
/// keeping that text.
pub fn serialize_display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_parse_in_every_spelling() {
        assert_eq!("23".parse::<Subnet>().unwrap(), Subnet::of_size(23));
        assert_eq!("/23".parse::<Subnet>().unwrap(), Subnet::of_size(23));
        let full: Subnet = " 10.0.2.0/23 ".parse().unwrap();
        assert_eq!(full.prefix_len, 23);
        assert_eq!(full.network, Some(Ipv4Addr::new(10, 0, 2, 0)));
        assert_eq!(full.to_string(), "10.0.2.0/23");
        assert_eq!(full.block_size(), 512);
    }

    #[test]
    fn bad_subnets_say_why() {
        assert!("33".parse::<Subnet>().unwrap_err().contains("over 32"));
        assert!(
            "abc"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            "10.0.1.0/23"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("10.0.0.0/23")
        );
        assert!(
            "10.0.0/23"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("not an IPv4")
        );
        let v6 = "2001:db8::/64".parse::<Subnet>().unwrap_err();
        assert!(v6.starts_with("an IPv6 CIDR"), "{v6}");
    }

    #[test]
    fn subnet_lists_format_like_the_csv() {
        let list = [Subnet::of_size(23), "10.0.0.0/24".parse().unwrap()];
        assert_eq!(format_subnets(&list), "23;10.0.0.0/24");
    }
}
