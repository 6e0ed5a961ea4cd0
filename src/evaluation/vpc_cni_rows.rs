//! The vpc-cni model's rows: one node group's address use ([`NodeGroupUse`], the JSON contract),
//! with the pool's closed-form steps ([`ClosedForm`]), its ENIs' fill ([`EniFill`]), how pods get
//! addresses ([`Mode`]) and where max pods came from ([`MaxPodsSource`]). The model itself is
//! [`crate::engine::vpc_cni`]'s.

use std::sync::Arc;

use serde::Serialize;

/// One node group's address use under the vpc-cni model (the JSON contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeGroupUse {
    /// Instance type.
    pub instance_type: Arc<str>,
    /// Number of instances.
    pub instances: u32,
    /// Workload pods per node, as given.
    pub pods_per_node: u32,
    /// `secondary_ip`, `prefix_delegation` or `ipv6`.
    pub mode: Mode,
    /// ENI limit (after `MAX_ENI`).
    pub max_enis: u32,
    /// IPv4 addresses per ENI, primary included (`L`).
    pub ips_per_eni: u32,
    /// Max pods used.
    pub max_pods: u32,
    /// Where max pods came from: `node_group`, `calculator` or `table`.
    pub max_pods_source: MaxPodsSource,
    /// ENIs that may hold pool addresses (`K`).
    pub pod_eni_limit: u32,
    /// Pods per node needing a pool address (workload + daemonset pods, plus branch pods when
    /// security groups for pods is off).
    pub pool_pods_per_node: u32,
    /// Pool pods scheduled per node, within max pods (`p`).
    pub pool_pods_scheduled_per_node: u32,
    /// The closed form's steps (pool CIDRs).
    pub closed_form: ClosedForm,
    /// Attached ENIs per node (primary, pod ENIs, trunk).
    pub enis_per_node: u32,
    /// Pod-usable addresses held per node: secondary IPs, or 16 × prefixes.
    pub pod_ips_per_node: u32,
    /// /28 prefixes per node (0 without prefix delegation).
    pub prefixes_per_node: u32,
    /// Held pool addresses without a pod.
    pub unused_ips_per_node: u32,
    /// Pods per node without an address (over ENI capacity, targets or max pods, and branch
    /// pods left Pending).
    pub pods_without_ip_per_node: u32,
    /// All subnet addresses per node (node and pod subnet).
    pub ips_per_node: u32,
    /// Node-subnet addresses per node.
    pub node_subnet_ips_per_node: u32,
    /// Pod-subnet addresses per node (custom networking), else 0.
    pub pod_subnet_ips_per_node: u32,
    /// Whether the pool oscillates (figures are its peak).
    pub oscillating: bool,
    /// When oscillating, the subnet addresses per node at the trough.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oscillation_low_ips_per_node: Option<u32>,
    /// ENIs holding pool pods.
    pub active_enis_per_node: u32,
    /// Pool-capable ENIs holding none.
    pub warm_enis_per_node: u32,
    /// Pool pods served per node.
    pub active_ips_per_node: u32,
    /// Unused pool addresses per node.
    pub warm_ips_per_node: u32,
    /// ipamd's mutating EC2 calls from boot to steady state on a node (see
    /// `engine::vpc_cni::ec2_calls`).
    pub ec2_calls_per_node: u32,
    /// ipamd's reading EC2 calls from boot to steady state on a node.
    pub ec2_read_calls_per_node: u32,
    /// The trunk ENI of security groups for pods (0 or 1).
    pub trunk_enis_per_node: u32,
    /// Branch-ENI pods served per node (security groups for pods).
    pub branch_eni_pods_per_node: u32,
    /// Branch-ENI pods per node left Pending (no trunk, past the branch ENIs, or max pods).
    pub branch_eni_pods_pending_per_node: u32,
    /// IPv6 /80 prefixes per node for pods (1 in IPv6 mode, else 0).
    pub ipv6_pod_prefixes_per_node: u32,
    /// Pool addresses per pod ENI, in fill order (empty beyond
    /// [`MAX_LISTED_ENIS`](crate::engine::vpc_cni::MAX_LISTED_ENIS)).
    pub ips_per_eni_list: EniFill,
    /// Prefixes per pod ENI, in fill order (prefix delegation only).
    pub prefixes_per_eni: EniFill,
    /// `ips_per_node × instances`.
    pub ips_total: i64,
    /// Node-subnet addresses of the group.
    pub node_subnet_ips_total: i64,
    /// Pod-subnet addresses of the group.
    pub pod_subnet_ips_total: i64,
    /// Pods that get an address (pool and branch), × instances.
    pub pods_total: i64,
    /// Pods without an address, × instances.
    pub pods_without_ip_total: i64,
}

/// How a node's pods get their addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Secondary IPv4 addresses on the ENIs (SIP).
    SecondaryIp,
    /// /28 IPv4 prefixes on the ENIs (PD).
    PrefixDelegation,
    /// IPv6 pods from a /80 prefix; only the node's own IPv4 address comes from the subnet.
    Ipv6,
}

impl Mode {
    /// The mode as outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::SecondaryIp => "secondary_ip",
            Mode::PrefixDelegation => "prefix_delegation",
            Mode::Ipv6 => "ipv6",
        }
    }
}

/// Where a node group's max pods came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxPodsSource {
    /// The node group's `max_pods`.
    NodeGroup,
    /// The EKS max-pods calculator.
    Calculator,
    /// The catalogue's max pods (`eni-max-pods.txt`).
    Table,
}

impl MaxPodsSource {
    /// The source as outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            MaxPodsSource::NodeGroup => "node_group",
            MaxPodsSource::Calculator => "calculator",
            MaxPodsSource::Table => "table",
        }
    }
}

/// The closed form's steps for one node, in pool CIDRs (secondary IPs, or /28 prefixes): what
/// the report's cells compute one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ClosedForm {
    /// Addresses per pool CIDR: 1, or 16 with prefixes.
    pub unit: u32,
    /// `K·S`: the CIDRs the pool ENIs can hold.
    pub cap: u64,
    /// `ceil(MP / unit)`: growth stops once the pool holds max pods' worth.
    pub gate: u64,
    /// The warm/minimum IP target in addresses (`max(p + w, m)`, or `m` when `w = 0`), 0 when
    /// neither is set.
    pub target: u64,
    /// The CIDRs a fresh node takes at once (the warm-IP modes and prefix delegation).
    pub boot: u64,
    /// The CIDRs the targets ask for, before the caps.
    pub need: u64,
}

/// How a node's pod ENIs are filled: every one full but the last. A list without the list (it is
/// serialized as one): a batch of millions of node groups allocates none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EniFill {
    /// Full ENIs.
    pub full: u32,
    /// What a full ENI holds.
    pub per_full: u32,
    /// What the last, partly filled ENI holds (0: none).
    pub last: u32,
}

impl EniFill {
    /// Each ENI's figure, in fill order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + use<> {
        let (full, per_full, last) = (self.full, self.per_full, self.last);
        std::iter::repeat_n(per_full, full as usize).chain((last > 0).then_some(last))
    }

    /// The figures as a list.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }

    /// Number of ENIs.
    pub fn len(&self) -> usize {
        self.full as usize + usize::from(self.last > 0)
    }

    /// Whether no ENI is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Serialize for EniFill {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}
