//! The warnings of an evaluation, kept as what they say and worded only when they are shown: a
//! big run makes millions of them, most written into a CSV field or only counted, so a warning is
//! a kind with a few numbers and a shared instance-type name rather than a text.
//!
//! A [`Warning`] is a [`WarningKind`] (what it says, with its figures, and a stable
//! [`code`](WarningKind::code)) and an [`About`] (what it is about: the scenario, some of its node
//! groups, or some of its subnets). Its words are written in one place, `wording.rs` (the
//! kinds' [`std::fmt::Display`]); nothing reads them back: an output places a warning by its
//! `about` and counts it by its kind.

mod wording;

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::scenario::{Subnet, SubnetRole};

/// Something the user should know about an evaluation (a fallback, an assumption, a
/// fragmentation risk): what it says and what it is about. Its text is its kind's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it says.
    pub kind: WarningKind,
    /// What it is about.
    pub about: About,
}

/// What a warning says, with its figures: one variant per kind, each worded by its
/// [`fmt::Display`] and named by its [`code`](WarningKind::code). Two warnings of a kind are equal
/// (and hash alike) exactly when their texts are, so a run counts them by kind without wording
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum WarningKind {
    /// Pod subnets given, but custom networking does not apply (off, or IPv6).
    PodSubnetsIgnored,
    /// IPv6: pods take no subnet IPv4 addresses; only the nodes' are counted.
    Ipv6PodsNotCounted,
    /// IPv6 without prefix delegation, which ipamd refuses: evaluated as if it were on.
    Ipv6WithoutPrefixDelegation,
    /// No node subnet given.
    NoNodeSubnet,
    /// A subnet size AWS does not allow (outside /16 to /28).
    SubnetSizeOutsideAws {
        /// The subnet.
        #[serde(serialize_with = "crate::scenario::serialize_display")]
        subnet: Subnet,
    },
    /// Custom networking without a pod subnet: its use is known, its capacity is not.
    CustomNetworkingWithoutPodSubnet,
    /// Prefix delegation asked for on a type that cannot use it.
    NoPrefixDelegation {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
    },
    /// Branch-ENI pods counted as pool pods: security groups for pods is off.
    BranchPodsCountedAsPoolPods {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
    },
    /// Branch-ENI pods on a type that is not trunking-compatible.
    NotTrunkingCompatible {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
    },
    /// Security groups for pods on a type whose trunk and branch ENI limits no catalogue gives.
    TrunkLimitsUnknown {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
    },
    /// Branch-ENI pods per node that stay Pending.
    BranchPodsPending {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// Pending branch-ENI pods per node.
        pods: u32,
        /// Why they stay Pending.
        why: PendingWhy,
    },
    /// Pool pods per node that get no address.
    PodsWithoutIp {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// Pods per node without an address.
        pods: u32,
        /// The node's max pods.
        max_pods: u32,
    },
    /// A pool that oscillates with a warm target of 0.
    PoolOscillates {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// Subnet addresses per node at the trough.
        low: u32,
        /// Subnet addresses per node at the peak.
        high: u32,
    },
    /// A node group's own max pods, the secondary-IP calculator value, stops a prefix pool short.
    MaxPodsStopsPrefixPool {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// The node group's max pods.
        max_pods: u32,
        /// The /28 prefixes the pool stops at.
        prefixes: u32,
        /// The calculator's prefix-delegation value.
        calculator: u32,
    },
    /// The calculator's cap assumed: the type's vCPUs are unknown.
    VcpusUnknown {
        /// The node group's instance type, as written.
        instance_type: Arc<str>,
        /// The cap assumed: 110 (30 vCPUs or fewer, from the size name) or 250.
        cap: u32,
        /// The max pods that gives.
        max_pods: u32,
    },
    /// A subnet without enough aligned /28 blocks for its prefixes.
    PrefixBlocksShort {
        /// The subnet.
        #[serde(serialize_with = "crate::scenario::serialize_display")]
        subnet: Subnet,
        /// /28 prefixes needed.
        needed: i64,
        /// Aligned /28 blocks it offers.
        available: i64,
    },
    /// A subnet whose /28 blocks its other addresses can fragment.
    PrefixBlocksFragmented {
        /// The subnet.
        #[serde(serialize_with = "crate::scenario::serialize_display")]
        subnet: Subnet,
        /// /28 prefixes needed.
        needed: i64,
        /// Aligned /28 blocks it offers.
        available: i64,
        /// Its other addresses (ENI primaries, node IPs).
        singles: i64,
        /// The prefix length of the reservation that holds the prefixes.
        reserve: u32,
    },
    /// A legacy sheet's stored totals differ from what its formulas give.
    SheetTotalsDiffer {
        /// Each total that differs.
        differences: Box<[SheetTotalDiffers]>,
    },
}

/// Why branch-ENI pods stay Pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PendingWhy {
    /// `MAX_ENI=1` leaves no slot for the trunk ENI.
    MaxEni1NoTrunkSlot,
    /// The node has no trunk ENI.
    NoTrunk,
    /// Past the type's branch ENIs.
    PastBranchEnis {
        /// The type's branch ENIs.
        cap: u32,
    },
    /// Past the node's max pods.
    PastMaxPods {
        /// The node's max pods.
        max_pods: u32,
    },
}

/// A total of the legacy calculator sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetTotal {
    /// B5, the subnet's addresses.
    SubnetIps,
    /// B8, the IPs used.
    UsedIps,
    /// B9, the pods hosted.
    Pods,
    /// B10, the IPs remaining.
    RemainingIps,
}

impl SheetTotal {
    /// The cell of the calculator sheet that holds it.
    pub fn cell(self) -> &'static str {
        match self {
            SheetTotal::SubnetIps => "B5",
            SheetTotal::UsedIps => "B8",
            SheetTotal::Pods => "B9",
            SheetTotal::RemainingIps => "B10",
        }
    }
}

/// One total a legacy sheet shows that its formulas do not give.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SheetTotalDiffers {
    /// Which total.
    pub total: SheetTotal,
    /// The value the sheet stores.
    pub shown: f64,
    /// The value the formulas give.
    pub computed: i64,
}

// The shown value is a cell's number, never NaN (the reader reads none): equality is total.
impl Eq for SheetTotalDiffers {}

impl std::hash::Hash for SheetTotalDiffers {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.total.hash(state);
        self.shown.to_bits().hash(state);
        self.computed.hash(state);
    }
}

/// What a warning is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// The scenario as a whole.
    Scenario,
    /// Some of its node groups (0-based, in the scenario's order).
    NodeGroups(OneOrMore<u32>),
    /// Some of its subnets.
    Subnets(OneOrMore<SubnetRef>),
}

impl About {
    /// About one node group (0-based).
    pub fn node_group(index: u32) -> Self {
        About::NodeGroups(OneOrMore::one(index))
    }

    /// About one subnet of a list.
    pub fn subnet(role: SubnetRole, index: u32) -> Self {
        About::Subnets(OneOrMore::one(SubnetRef { role, index }))
    }

    /// The node groups it is about (empty for a warning about the scenario or a subnet).
    pub fn node_groups(&self) -> &[u32] {
        match self {
            About::NodeGroups(groups) => groups.as_slice(),
            _ => &[],
        }
    }

    /// The subnets it is about (empty for a warning about the scenario or node groups).
    pub fn subnets(&self) -> &[SubnetRef] {
        match self {
            About::Subnets(subnets) => subnets.as_slice(),
            _ => &[],
        }
    }

    /// Adds what `other` is about (a warning found again about other node groups or subnets).
    fn merge(&mut self, other: About) {
        match (self, other) {
            (About::NodeGroups(mine), About::NodeGroups(theirs)) => mine.extend(theirs),
            (About::Subnets(mine), About::Subnets(theirs)) => mine.extend(theirs),
            // A kind is about one kind of thing: nothing else occurs.
            _ => {}
        }
    }
}

/// One subnet of a scenario: which list, and its place in it (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SubnetRef {
    /// The node subnets (`subnet_cidr`) or the pod subnets (`pod_subnet_cidr`).
    pub role: SubnetRole,
    /// Its place in that list (0-based).
    pub index: u32,
}

/// One value or more, in the order added, each once; one alone takes no allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMore<T> {
    /// The first value, alone.
    one: [T; 1],
    /// Every value, once there are two or more (else empty).
    several: Vec<T>,
}

impl<T: Copy + PartialEq> OneOrMore<T> {
    /// One value.
    pub fn one(value: T) -> Self {
        OneOrMore {
            one: [value],
            several: Vec::new(),
        }
    }

    /// The values, in the order added.
    pub fn as_slice(&self) -> &[T] {
        if self.several.is_empty() {
            &self.one
        } else {
            &self.several
        }
    }

    /// Adds the values of `other` not held yet.
    fn extend(&mut self, other: OneOrMore<T>) {
        for &v in other.as_slice() {
            if !self.as_slice().contains(&v) {
                if self.several.is_empty() {
                    self.several.push(self.one[0]);
                }
                self.several.push(v);
            }
        }
    }
}

impl WarningKind {
    /// The kind's stable name in the outputs (`pods_without_ip`, …): never reworded.
    pub fn code(&self) -> &'static str {
        match self {
            WarningKind::PodSubnetsIgnored => "pod_subnets_ignored",
            WarningKind::Ipv6PodsNotCounted => "ipv6_pods_not_counted",
            WarningKind::Ipv6WithoutPrefixDelegation => "ipv6_without_prefix_delegation",
            WarningKind::NoNodeSubnet => "no_node_subnet",
            WarningKind::SubnetSizeOutsideAws { .. } => "subnet_size_outside_aws",
            WarningKind::CustomNetworkingWithoutPodSubnet => "custom_networking_without_pod_subnet",
            WarningKind::NoPrefixDelegation { .. } => "no_prefix_delegation",
            WarningKind::BranchPodsCountedAsPoolPods { .. } => "branch_pods_counted_as_pool_pods",
            WarningKind::NotTrunkingCompatible { .. } => "not_trunking_compatible",
            WarningKind::TrunkLimitsUnknown { .. } => "trunk_limits_unknown",
            WarningKind::BranchPodsPending { .. } => "branch_pods_pending",
            WarningKind::PodsWithoutIp { .. } => "pods_without_ip",
            WarningKind::PoolOscillates { .. } => "pool_oscillates",
            WarningKind::MaxPodsStopsPrefixPool { .. } => "max_pods_stops_prefix_pool",
            WarningKind::VcpusUnknown { .. } => "vcpus_unknown",
            WarningKind::PrefixBlocksShort { .. } => "prefix_blocks_short",
            WarningKind::PrefixBlocksFragmented { .. } => "prefix_blocks_fragmented",
            WarningKind::SheetTotalsDiffer { .. } => "sheet_totals_differ",
        }
    }
}

impl Warning {
    /// A warning about the scenario as a whole.
    pub fn about_scenario(kind: WarningKind) -> Self {
        Warning {
            kind,
            about: About::Scenario,
        }
    }

    /// The kind's stable name (see [`WarningKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Writes the warning's text into `f` (a `String` directly, or a formatter).
    pub fn word(&self, f: &mut impl fmt::Write) -> fmt::Result {
        self.kind.word(f)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.word(f)
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.word(f)
    }
}

/// A warning in the JSON output: `{"code", "message", <its figures>, "node_groups" | "subnets"}`.
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The text, worded straight into the output.
        struct Message<'a>(&'a WarningKind);
        impl Serialize for Message<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self.0)
            }
        }
        #[derive(Serialize)]
        struct Json<'a> {
            code: &'static str,
            message: Message<'a>,
            #[serde(flatten)]
            figures: &'a WarningKind,
            #[serde(skip_serializing_if = "<[u32]>::is_empty")]
            node_groups: &'a [u32],
            #[serde(skip_serializing_if = "<[SubnetRef]>::is_empty")]
            subnets: &'a [SubnetRef],
        }
        Json {
            code: self.kind.code(),
            message: Message(&self.kind),
            figures: &self.kind,
            node_groups: self.about.node_groups(),
            subnets: self.about.subnets(),
        }
        .serialize(serializer)
    }
}

/// An evaluation's warnings as the engine collects them: each kind once, in the order found; a
/// kind found again about other node groups or subnets is about those too.
#[derive(Debug, Default)]
pub(crate) struct Warnings(Vec<Warning>);

impl Warnings {
    /// Adds a warning, or what it is about to an equal one already there.
    pub(crate) fn add(&mut self, kind: WarningKind, about: About) {
        match self.0.iter_mut().find(|w| w.kind == kind) {
            Some(w) => w.about.merge(about),
            None => self.0.push(Warning { kind, about }),
        }
    }

    /// The warnings, in the order found.
    pub(crate) fn into_vec(self) -> Vec<Warning> {
        self.0
    }
}

/// The warnings' texts joined by `sep`, appended to `out`.
pub fn join_into(out: &mut String, warnings: &[Warning], sep: &str) {
    for (i, w) in warnings.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let _ = w.word(out);
    }
}

/// The warnings' texts joined by `sep`.
pub fn join(warnings: &[Warning], sep: &str) -> String {
    let mut out = String::new();
    join_into(&mut out, warnings, sep);
    out
}

#[cfg(test)]
mod tests;
