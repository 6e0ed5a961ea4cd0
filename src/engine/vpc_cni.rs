//! The `vpc-cni` model: how many subnet addresses the Amazon VPC CNI's ipamd really takes.
//!
//! The legacy workbook multiplies pods by "IPs per ENI"; ipamd instead keeps a pool of
//! secondary IPv4 addresses or /28 prefixes on the node's ENIs, sized by its warm targets. This
//! module reproduces the steady state that pool converges to after a node scales up from empty
//! (the closed form of the shared specification's §6), node by node, and sums it over node groups
//! and subnets.
//!
//! # Per node ([`node`])
//!
//! With `E` the ENI limit (lowered by `MAX_ENI`), `L` the IPv4 addresses per ENI and `S = L − 1`
//! the pod slots per ENI (the primary address never serves pods):
//!
//! * `E_mgd = E − 1` with security groups for pods (the trunk ENI's slot), else `E`;
//!   `K = E_mgd − 1` pod ENIs under custom networking (the primary ENI holds only the node IP),
//!   else `K = E_mgd`. Capacity is `K·S` secondary IPs, or `K·S` /28 prefixes.
//! * **A** (secondary IPs, no `WARM_IP_TARGET`/`MINIMUM_IP_TARGET`): `ceil(p/S) + W_eni` full ENIs
//!   (`floor(p/S) + 1` when `W_eni = 0`), capped at `K` and at `ceil(MP/S)`.
//! * **B** (secondary IPs with warm/minimum IP targets, which replace `WARM_ENI_TARGET`): the pool
//!   holds `max(p + w, m)` addresses (`m` when `w = 0`), never less than its boot chunk, capped at
//!   capacity and max pods.
//! * **C** (prefix delegation, `WARM_PREFIX_TARGET`): `ceil(p/16) + W_pfx` prefixes, capped.
//! * **D** (prefix delegation with warm/minimum IP targets): B's target rounded up to prefixes.
//! * Every pod ENI but the last is full; each ENI has one primary address from its subnet.
//!
//! Prefix delegation requested on a type that cannot use it (neither Nitro nor bare metal) falls
//! back to secondary IPs, with a warning. A type whose hypervisor is unknown is assumed able to.
//!
//! # Pods
//!
//! Pods needing a pool address per node are `pods_per_node + daemonset_pods`. Host-networking pods
//! (`host_networking_ips`) use the node's own address and take none, but count against max pods.
//! With security groups for pods, `branch_eni_pods` are pods *in addition* to `pods_per_node`,
//! each with its own branch ENI (one subnet address) outside the pool; with the feature off they
//! are counted as ordinary pool pods. Pods over `max pods − host-networking pods` are not
//! scheduled; branch pods are placed first. Pods beyond the pool's addresses (ENI capacity, or a
//! `MINIMUM_IP_TARGET` with `WARM_IP_TARGET = 0`) get no address. Both are reported as pods
//! without an IP.
//!
//! # Max pods
//!
//! The node group's `max_pods` when given, otherwise the EKS AMI's max-pods calculator: `E·(L−1)+2`,
//! or `E·(L−1)·16+2` with prefix delegation on a Nitro type (IPv6 counts as prefix delegation),
//! with `E − 1` under custom networking, capped at 110 for up to 30 vCPUs and at 250 above. When the
//! catalogue has no vCPU count and the cap matters, it is guessed from the size name (`Nxlarge`
//! has about `4·N` vCPUs, `large` and smaller at most 2; other names such as `metal` are taken as
//! large, cap 250), and a warning says which cap was assumed.
//!
//! # Subnets
//!
//! A node subnet has `2^(32−n) − 5` usable addresses (AWS reserves five; never below 0; sizes
//! outside /16…/28 are computed but warned about). When a scenario lists several node subnets
//! (one per Availability Zone), each node group's instances are spread evenly over them in list
//! order: with `k` subnets every subnet gets `instances / k` nodes and the first `instances % k`
//! subnets one more. Custom networking's pod subnets are spread the same way, independently.
//! Under custom networking the node subnet pays one address per node and the pod subnet the pod
//! ENIs (their primaries and pool addresses); the trunk and branch ENIs of security groups for
//! pods are assumed to come from the pod subnet too, otherwise from the node subnet.
//!
//! With prefix delegation a subnet offers at most `2^(28−n) − 2` aligned /28 blocks (none for a
//! /27 or /28). When the prefixes needed exceed that, or when the subnet's other addresses (ENI
//! primaries, node IPs, branch ENIs) could each break a block and leave too few, a warning
//! recommends a prefix-type subnet CIDR reservation.
//!
//! # IPv6 and security groups for pods
//!
//! In an IPv6 cluster pods get IPv6 addresses from one /80 prefix per node; the subnet gives only
//! the node's primary IPv4 address (plus the trunk and branch ENIs' IPv4 addresses with security
//! groups for pods, assuming dual-stack subnets). Custom networking is ignored there. With security
//! groups for pods the trunk ENI takes one ENI slot and one address, and every branch-ENI pod one
//! address.

use serde::Serialize;

use crate::catalog::{Catalog, InstanceLimits};
use crate::engine::{Evaluation, Model, NodeGroupResults, Status, SubnetUse};
use crate::scenario::{CniSettings, IpFamily, Scenario, Subnet};

/// Addresses in one /28 prefix.
pub const PREFIX_SIZE: u32 = 16;

/// Per-ENI lists in [`NodeGroupUse`] are left empty beyond this many pod ENIs (no EC2 type has
/// nearly as many), so that absurd inputs cannot exhaust memory.
pub const MAX_LISTED_ENIS: u32 = 1000;

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

/// The CNI settings as ipamd reads them: defaults applied, zero meaning "unset" where ipamd says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EffectiveSettings {
    /// `WARM_ENI_TARGET`; unset reads as 1.
    pub warm_eni_target: u32,
    /// `WARM_IP_TARGET`; 0 is unset.
    pub warm_ip_target: u32,
    /// `MINIMUM_IP_TARGET`; 0 is unset.
    pub minimum_ip_target: u32,
    /// `WARM_PREFIX_TARGET`; unset reads as 1, the shipped manifest's value.
    pub warm_prefix_target: u32,
    /// `ENABLE_PREFIX_DELEGATION` as requested (the type may not support it).
    pub prefix_delegation: bool,
    /// `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`.
    pub custom_networking: bool,
    /// `ENABLE_POD_ENI` (security groups for pods).
    pub security_groups_for_pods: bool,
    /// The cluster's IP family.
    pub ip_family: IpFamily,
    /// `MAX_ENI`; only a value from 1 to below the instance limit lowers it.
    pub max_eni: Option<u32>,
}

impl EffectiveSettings {
    /// Applies ipamd's parsing rules to the settings as written.
    pub fn from_cni(cni: &CniSettings) -> Self {
        EffectiveSettings {
            warm_eni_target: cni.warm_eni_target.unwrap_or(1),
            warm_ip_target: cni.warm_ip_target.unwrap_or(0),
            minimum_ip_target: cni.minimum_ip_target.unwrap_or(0),
            warm_prefix_target: cni.warm_prefix_target.unwrap_or(1),
            prefix_delegation: cni.prefix_delegation,
            custom_networking: cni.custom_networking,
            security_groups_for_pods: cni.security_groups_for_pods,
            ip_family: cni.ip_family,
            max_eni: cni.max_eni.filter(|&m| m >= 1),
        }
    }

    /// Whether `WARM_IP_TARGET` or `MINIMUM_IP_TARGET` is set (ipamd's `warmIPTargetsDefined`);
    /// they then replace `WARM_ENI_TARGET` and, for growth, `WARM_PREFIX_TARGET`.
    pub fn warm_ip_targets_defined(&self) -> bool {
        self.warm_ip_target != 0 || self.minimum_ip_target != 0
    }
}

impl Default for EffectiveSettings {
    /// The shipped defaults: secondary IPs, one warm ENI.
    fn default() -> Self {
        EffectiveSettings::from_cni(&CniSettings::default())
    }
}

/// What [`node`] needs to know about the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeLimits {
    /// ENI limit of the instance type (`E_inst`).
    pub max_enis: u32,
    /// IPv4 addresses per ENI, primary included (`L`).
    pub ipv4_per_eni: u32,
    /// kubelet max pods (`MP`), which also stops ipamd's pool growth.
    pub max_pods: u32,
    /// Whether the type can use /28 prefixes (Nitro or bare metal).
    pub prefix_delegation_supported: bool,
}

/// The pods on one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PodLoad {
    /// Pods that need an address from ipamd's pool (workload and daemonset pods).
    pub pool_pods: u32,
    /// hostNetwork pods: no pod address, but they count against max pods.
    pub host_network_pods: u32,
    /// Pods with their own branch ENI (security groups for pods), in addition to `pool_pods`.
    pub branch_eni_pods: u32,
}

impl PodLoad {
    /// Only pool pods.
    pub fn pool(pods: u32) -> Self {
        PodLoad {
            pool_pods: pods,
            ..PodLoad::default()
        }
    }
}

/// One node's steady-state address use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeUse {
    /// The effective mode.
    pub mode: Mode,
    /// Prefix delegation was requested but the type cannot use it: secondary IPs instead.
    pub prefix_delegation_fallback: bool,
    /// ENI limit after `MAX_ENI` (`E`).
    pub max_enis: u32,
    /// ENIs that may hold pool addresses (`K`).
    pub pod_eni_limit: u32,
    /// Pool slots per ENI, `S = L − 1`: secondary IPs, or /28 prefixes.
    pub slots_per_eni: u32,
    /// Max pods (`MP`).
    pub max_pods: u32,
    /// Pool pods asked for (branch pods included when security groups for pods is off).
    pub pods_requested: u32,
    /// Pool pods scheduled: capped at max pods less hostNetwork and branch pods (`p`).
    pub pods_scheduled: u32,
    /// Pool CIDRs held (`C`): secondary IPs, or prefixes.
    pub cidrs: u32,
    /// ENIs holding pool CIDRs (`Np`).
    pub pod_enis: u32,
    /// Pod ENIs holding `S` CIDRs (all but possibly the last).
    pub full_pod_enis: u32,
    /// CIDRs on the last pod ENI when it is not full (0 when all are full).
    pub last_pod_eni_cidrs: u32,
    /// ENIs attached: the primary, the pod ENIs, the trunk.
    pub attached_enis: u32,
    /// The trunk ENI of security groups for pods (0 or 1).
    pub trunk_enis: u32,
    /// Pool addresses held (`A`): `C`, or 16·`C` with prefixes.
    pub pool_ips: u32,
    /// Pool pods that get an address.
    pub pods_served: u32,
    /// Pool addresses held but not used by a pod.
    pub unused_ips: u32,
    /// Prefixes without a pod (pods packed), 0 without prefix delegation.
    pub free_prefixes: u32,
    /// Branch-ENI pods that get their branch ENI.
    pub branch_pods_served: u32,
    /// Pods without an address: over max pods, over ENI capacity or over the targets.
    pub pods_without_ip: u32,
    /// ENIs holding at least one pool pod (pods packed ENI by ENI).
    pub active_enis: u32,
    /// Pool-capable ENIs holding no pod.
    pub warm_enis: u32,
    /// Addresses taken from the node subnet.
    pub node_subnet_ips: u32,
    /// Addresses taken from the pod subnet (custom networking), else 0.
    pub pod_subnet_ips: u32,
    /// The pool oscillates (a target of 0, §7.2); the figures are its peak.
    pub oscillating: bool,
    /// When oscillating, the subnet addresses (node + pod subnet) at the trough.
    pub oscillation_low_ips: Option<u32>,
}

impl NodeUse {
    /// All subnet addresses of the node (node and pod subnet).
    pub fn subnet_ips(&self) -> u32 {
        self.node_subnet_ips.saturating_add(self.pod_subnet_ips)
    }

    /// Addresses per pool address unit: 16 for prefixes, else 1.
    fn unit(&self) -> u32 {
        if self.mode == Mode::PrefixDelegation {
            PREFIX_SIZE
        } else {
            1
        }
    }

    /// Pool CIDRs per pod ENI, in fill order (`S, S, …, rest`).
    pub fn cidrs_per_eni(&self) -> Vec<u32> {
        let mut out = vec![self.slots_per_eni; self.full_pod_enis as usize];
        if self.last_pod_eni_cidrs > 0 {
            out.push(self.last_pod_eni_cidrs);
        }
        out
    }

    /// Pool addresses per pod ENI (secondary IPs, or 16 per prefix), in fill order.
    pub fn ips_per_eni(&self) -> Vec<u32> {
        let unit = self.unit();
        self.cidrs_per_eni()
            .into_iter()
            .map(|c| c.saturating_mul(unit))
            .collect()
    }

    /// Pods per pod ENI, pods packed into the ENIs in fill order.
    pub fn pods_per_eni(&self) -> Vec<u32> {
        let mut left = self.pods_served;
        self.ips_per_eni()
            .into_iter()
            .map(|ips| {
                let here = left.min(ips);
                left -= here;
                here
            })
            .collect()
    }

    /// Pods per prefix, pods packed (empty without prefix delegation).
    pub fn pods_per_prefix(&self) -> Vec<u32> {
        if self.mode != Mode::PrefixDelegation {
            return Vec::new();
        }
        let mut left = self.pods_served;
        (0..self.cidrs)
            .map(|_| {
                let here = left.min(PREFIX_SIZE);
                left -= here;
                here
            })
            .collect()
    }
}

fn ceil_div(a: u64, b: u64) -> u64 {
    if b == 0 { 0 } else { a.div_ceil(b) }
}

fn sat32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// ENIs and subnet addresses of a pool of `c` CIDRs: (pod ENIs, pool-capable ENIs, pool subnet
/// addresses without custom networking's node IP).
fn footprint(c: u64, s: u64, unit: u64, custom_networking: bool) -> (u64, u64, u64) {
    let np = ceil_div(c, s);
    let capable = if custom_networking { np } else { np.max(1) };
    (np, capable, capable.saturating_add(c.saturating_mul(unit)))
}

/// One node's steady state after scaling up from empty (the specification's §6 closed form).
///
/// `limits.max_pods` must already be the node's kubelet max pods (see [`calculator_max_pods`]).
/// Never panics; absurd inputs saturate.
pub fn node(limits: NodeLimits, settings: &EffectiveSettings, pods: PodLoad) -> NodeUse {
    let e = match settings.max_eni {
        Some(m) if m >= 1 && m < limits.max_enis => m,
        _ => limits.max_enis,
    };
    let ipv6 = settings.ip_family == IpFamily::Ipv6;
    let sgp = settings.security_groups_for_pods;
    let cn = settings.custom_networking && !ipv6;
    let e_mgd = e.saturating_sub(u32::from(sgp));
    let k = e_mgd.saturating_sub(u32::from(cn));
    let s = limits.ipv4_per_eni.saturating_sub(1);
    let mp = limits.max_pods;
    let trunk = u32::from(sgp && e >= 2);

    // Pods: branch pods first, then pool pods, within max pods less hostNetwork pods.
    let (branch_req, pool_req) = if sgp {
        (pods.branch_eni_pods, pods.pool_pods)
    } else {
        (0, pods.pool_pods.saturating_add(pods.branch_eni_pods))
    };
    let room = mp.saturating_sub(pods.host_network_pods);
    let branch_served = if trunk == 1 { branch_req.min(room) } else { 0 };
    let p32 = pool_req.min(room - branch_served);
    let p = u64::from(p32);
    let sgp_ips = u64::from(trunk) + u64::from(branch_served);

    let pd_requested = settings.prefix_delegation && !ipv6;
    let pd = pd_requested && limits.prefix_delegation_supported;
    let mode = if ipv6 {
        Mode::Ipv6
    } else if pd {
        Mode::PrefixDelegation
    } else {
        Mode::SecondaryIp
    };

    if ipv6 {
        let node_ips = 1 + sgp_ips;
        return NodeUse {
            mode,
            prefix_delegation_fallback: false,
            max_enis: e,
            pod_eni_limit: k,
            slots_per_eni: s,
            max_pods: mp,
            pods_requested: pool_req,
            pods_scheduled: p32,
            cidrs: 0,
            pod_enis: 0,
            full_pod_enis: 0,
            last_pod_eni_cidrs: 0,
            attached_enis: 1 + trunk,
            trunk_enis: trunk,
            pool_ips: 0,
            pods_served: p32,
            unused_ips: 0,
            free_prefixes: 0,
            branch_pods_served: branch_served,
            pods_without_ip: (pool_req - p32).saturating_add(branch_req - branch_served),
            active_enis: u32::from(p32 > 0),
            warm_enis: u32::from(p32 == 0),
            node_subnet_ips: sat32(node_ips),
            pod_subnet_ips: 0,
            oscillating: false,
            oscillation_low_ips: None,
        };
    }

    let s64 = u64::from(s);
    let k64 = u64::from(k);
    let mp64 = u64::from(mp);
    let unit: u64 = if pd { 16 } else { 1 };
    let cap = k64 * s64;
    let gate = ceil_div(mp64, unit);
    let w = u64::from(settings.warm_ip_target);
    let m = u64::from(settings.minimum_ip_target);
    // Boot chunks of the warm-IP modes end at multiples of S.
    let boot_of = |first: u64| {
        let b = if first < gate {
            first
        } else {
            first.min(s64 * ceil_div(gate, s64))
        };
        b.min(cap)
    };

    // (pool CIDRs at the peak, pool CIDRs at the trough when oscillating)
    let (c, trough): (u64, Option<u64>) = if settings.warm_ip_targets_defined() {
        // B and D: WARM_IP_TARGET / MINIMUM_IP_TARGET, rounded up to prefixes in PD.
        let t = if w > 0 { (p + w).max(m) } else { m };
        let t0 = w.max(m);
        let (need, need0) = (ceil_div(t, unit), ceil_div(t0, unit));
        (boot_of(need0).max(need.min(cap).min(gate)), None)
    } else if !pd {
        // A: WARM_ENI_TARGET, whole ENIs.
        if s64 == 0 {
            (0, None)
        } else {
            let weni = u64::from(settings.warm_eni_target);
            let n = if weni >= 1 {
                ceil_div(p, s64) + weni
            } else {
                p / s64 + 1
            };
            let capped = n.min(k64).min(ceil_div(mp64, s64));
            let osc = weni == 0 && p % s64 == 0 && (p > 0 || cn) && capped == n;
            (capped * s64, osc.then(|| (capped - 1) * s64))
        }
    } else {
        // C: WARM_PREFIX_TARGET.
        let wpfx = u64::from(settings.warm_prefix_target);
        let u = ceil_div(p, 16);
        let (need, boot) = if wpfx >= 1 {
            let boot = if wpfx < gate {
                wpfx
            } else {
                wpfx.min(s64 * ceil_div(gate, s64))
            };
            (u + wpfx, boot)
        } else {
            (u + u64::from(p % 16 == 0), 1)
        };
        let grown = need.min(cap).min(gate);
        let c = boot.min(cap).max(grown);
        let osc = wpfx == 0 && p % 16 == 0 && grown == need && c == need && c > 0;
        (c, osc.then(|| c - 1))
    };

    let (np, capable, pool_subnet) = footprint(c, s64, unit, cn);
    let a = c.saturating_mul(unit);
    let served = p.min(a);
    let active = ceil_div(served, s64 * unit);
    let (node_ips, pod_ips) = if cn {
        (1, pool_subnet + sgp_ips)
    } else {
        (pool_subnet + sgp_ips, 0)
    };
    let low_ips = trough.map(|tc| {
        let (_, _, t_pool) = footprint(tc, s64, unit, cn);
        sat32(t_pool + sgp_ips + u64::from(cn))
    });
    let full = c.checked_div(s64).unwrap_or(0);
    let last = c.checked_rem(s64).unwrap_or(0);
    let served32 = sat32(served);
    NodeUse {
        mode,
        prefix_delegation_fallback: pd_requested && !pd,
        max_enis: e,
        pod_eni_limit: k,
        slots_per_eni: s,
        max_pods: mp,
        pods_requested: pool_req,
        pods_scheduled: p32,
        cidrs: sat32(c),
        pod_enis: sat32(np),
        full_pod_enis: sat32(full),
        last_pod_eni_cidrs: sat32(last),
        attached_enis: sat32(capable + u64::from(cn) + u64::from(trunk)),
        trunk_enis: trunk,
        pool_ips: sat32(a),
        pods_served: served32,
        unused_ips: sat32(a - served),
        free_prefixes: if pd {
            sat32(c - ceil_div(served, 16))
        } else {
            0
        },
        branch_pods_served: branch_served,
        pods_without_ip: (pool_req - served32).saturating_add(branch_req - branch_served),
        active_enis: sat32(active),
        warm_enis: sat32(capable.saturating_sub(active)),
        node_subnet_ips: sat32(node_ips),
        pod_subnet_ips: sat32(pod_ips),
        oscillating: trough.is_some(),
        oscillation_low_ips: low_ips,
    }
}

/// The EKS AMI max-pods calculator's value for a type (§9), and the cap it applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CalculatedMaxPods {
    /// The value kubelet gets.
    pub value: u32,
    /// The formula's value before the cap.
    pub uncapped: u64,
    /// The cap: 110 (≤ 30 vCPUs) or 250.
    pub cap: u32,
    /// True when the vCPU count was unknown and the cap was assumed (and mattered).
    pub cap_assumed: bool,
}

/// The EKS AMI `max-pods-calculator.sh` rule: `E·(L−1)+2`, or `E·(L−1)·16+2` when
/// `prefix_formula` (prefix delegation on a Nitro type), with `E − 1` under custom networking,
/// capped at 110 for up to 30 vCPUs and 250 above. Without `vcpus` the count is guessed from the
/// size name (see the module docs) and `cap_assumed` is set when the cap changed the value.
pub fn calculator_max_pods(
    instance_type: &str,
    max_enis: u32,
    ipv4_per_eni: u32,
    prefix_formula: bool,
    custom_networking: bool,
    vcpus: Option<u32>,
) -> CalculatedMaxPods {
    let enis = u64::from(max_enis.saturating_sub(u32::from(custom_networking)));
    let per_eni = u64::from(ipv4_per_eni.saturating_sub(1)) * if prefix_formula { 16 } else { 1 };
    let uncapped = enis.saturating_mul(per_eni).saturating_add(2);
    let cpus = vcpus.or_else(|| guessed_vcpus(instance_type));
    let cap = match cpus {
        Some(n) if n <= 30 => 110,
        _ => 250,
    };
    CalculatedMaxPods {
        value: sat32(uncapped.min(u64::from(cap))),
        uncapped,
        cap,
        cap_assumed: vcpus.is_none() && uncapped > 110,
    }
}

/// vCPUs guessed from an instance size name: `Nxlarge` ≈ 4·N, `xlarge` 4, `large` and smaller 2.
/// `None` for other names (`metal`, …).
pub fn guessed_vcpus(instance_type: &str) -> Option<u32> {
    let size = instance_type
        .trim()
        .rsplit('.')
        .next()?
        .to_ascii_lowercase();
    match size.as_str() {
        "nano" | "micro" | "small" | "medium" | "large" => Some(2),
        _ => {
            let n = size.strip_suffix("xlarge")?;
            if n.is_empty() {
                Some(4)
            } else {
                n.parse::<u32>().ok().map(|n| n.saturating_mul(4))
            }
        }
    }
}

/// How many nodes of a group go to each of `subnets` subnets: `instances / k` each, and one more
/// for the first `instances % k` (empty when there is no subnet).
pub fn spread(instances: u32, subnets: usize) -> Vec<u32> {
    let Ok(k) = u32::try_from(subnets) else {
        return Vec::new();
    };
    if k == 0 {
        return Vec::new();
    }
    (0..k)
        .map(|i| instances / k + u32::from(i < instances % k))
        .collect()
}

/// Usable addresses of a /n subnet: `2^(32−n) − 5`, never below 0.
pub fn usable_ips(subnet: &Subnet) -> i64 {
    let bits = 32u32.saturating_sub(u32::from(subnet.prefix_len));
    ((1i64 << bits) - 5).max(0)
}

/// Aligned /28 blocks a /n subnet can offer to prefixes: `2^(28−n) − 2` (0 for /27 and smaller).
pub fn prefix_blocks_available(subnet: &Subnet) -> i64 {
    if subnet.prefix_len > 28 {
        return 0;
    }
    ((1i64 << (28 - u32::from(subnet.prefix_len))) - 2).max(0)
}

/// One node group's address use under the vpc-cni model (the JSON contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeGroupUse {
    /// Instance type.
    pub instance_type: String,
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
    /// Where max pods came from: `node_group` or `calculator`.
    pub max_pods_source: &'static str,
    /// Pods per node needing a pool address (workload + daemonset pods, plus branch pods when
    /// security groups for pods is off).
    pub pool_pods_per_node: u32,
    /// Attached ENIs per node (primary, pod ENIs, trunk).
    pub enis_per_node: u32,
    /// Pod-usable addresses held per node: secondary IPs, or 16 × prefixes.
    pub pod_ips_per_node: u32,
    /// /28 prefixes per node (0 without prefix delegation).
    pub prefixes_per_node: u32,
    /// Held pool addresses without a pod.
    pub unused_ips_per_node: u32,
    /// Pods per node without an address (over ENI capacity, targets or max pods).
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
    /// Branch-ENI pods served per node (security groups for pods).
    pub branch_eni_pods_per_node: u32,
    /// IPv6 /80 prefixes per node for pods (1 in IPv6 mode, else 0).
    pub ipv6_pod_prefixes_per_node: u32,
    /// Pool addresses per pod ENI, in fill order (empty beyond [`MAX_LISTED_ENIS`]).
    pub ips_per_eni_list: Vec<u32>,
    /// Prefixes per pod ENI, in fill order (prefix delegation only).
    pub prefixes_per_eni: Vec<u32>,
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

fn times(per_node: u32, instances: u32) -> i64 {
    i64::from(per_node).saturating_mul(i64::from(instances))
}

fn warn(warnings: &mut Vec<String>, text: String) {
    if !warnings.contains(&text) {
        warnings.push(text);
    }
}

/// Per-subnet running totals.
#[derive(Default, Clone, Copy)]
struct Tally {
    nodes: i64,
    used: i64,
    prefixes: i64,
}

/// Checks every node group's type; the limits, or the message of a failed evaluation.
fn resolve<'a>(
    scenario: &Scenario,
    catalog: &'a Catalog,
) -> Result<Vec<&'a InstanceLimits>, String> {
    let mut problems = Vec::new();
    let mut found = Vec::new();
    for g in &scenario.node_groups {
        match catalog.get(&g.instance_type) {
            None => problems.push(format!("instance type {:?} is not in the catalogue", g.instance_type)),
            Some(l) if l.max_enis.is_none() || l.ipv4_per_eni.is_none() => problems.push(format!(
                "instance type {:?} has no ENI limits (max ENIs and IPv4 addresses per ENI) in the catalogue",
                g.instance_type
            )),
            Some(l) => found.push(l),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems.join("; "))
    }
}

/// Evaluates a scenario with the vpc-cni model.
pub fn evaluation(scenario: &Scenario, catalog: &Catalog) -> Evaluation {
    let limits = match resolve(scenario, catalog) {
        Ok(l) => l,
        Err(message) => return Evaluation::failed(scenario, Model::VpcCni, Status::Error, message),
    };
    let settings = EffectiveSettings::from_cni(&scenario.cni);
    let ipv6 = settings.ip_family == IpFamily::Ipv6;
    let cn = settings.custom_networking && !ipv6;
    let mut warnings = Vec::new();
    if settings.custom_networking && ipv6 {
        warn(
            &mut warnings,
            "custom networking is ignored in an IPv6 cluster".into(),
        );
    }
    if !cn && !scenario.pod_subnets.is_empty() {
        warn(
            &mut warnings,
            "pod subnets are ignored without custom networking (IPv4)".into(),
        );
    }
    if ipv6 {
        warn(
            &mut warnings,
            "IPv6: pods get IPv6 addresses from a /80 prefix per node; only node IPv4 addresses \
             (and trunk/branch ENIs) are counted"
                .into(),
        );
    }
    if scenario.subnets.is_empty() {
        warn(
            &mut warnings,
            "no node subnet given: subnet capacity is 0".into(),
        );
    }
    let pod_subnets: &[Subnet] = if cn { &scenario.pod_subnets } else { &[] };
    for s in scenario.subnets.iter().chain(pod_subnets) {
        if !(16..=28).contains(&s.prefix_len) {
            warn(
                &mut warnings,
                format!("subnet {s}: AWS subnets are /16 to /28"),
            );
        }
    }
    if cn && pod_subnets.is_empty() {
        warn(
            &mut warnings,
            "custom networking without a pod subnet: pod-subnet use is given, its capacity is unknown".into(),
        );
    }

    let mut node_tally = vec![Tally::default(); scenario.subnets.len()];
    let mut pod_tally = vec![Tally::default(); pod_subnets.len()];
    let mut groups = Vec::with_capacity(scenario.node_groups.len());
    let (mut used, mut pod_used, mut pods, mut pods_without) = (0i64, 0i64, 0i64, 0i64);

    for (g, l) in scenario.node_groups.iter().zip(limits) {
        let name = &g.instance_type;
        let (e_inst, ipv4_per_eni) = (l.max_enis.unwrap_or(0), l.ipv4_per_eni.unwrap_or(0));
        let support = l.supports_prefix_delegation();
        let pd_requested = settings.prefix_delegation && !ipv6;
        if pd_requested {
            match support {
                None => warn(
                    &mut warnings,
                    format!(
                        "{name}: hypervisor unknown; assumed Nitro, so prefix delegation is supported"
                    ),
                ),
                Some(false) => warn(
                    &mut warnings,
                    format!(
                        "{name}: prefix delegation needs a Nitro or bare-metal type; ipamd falls back to secondary IPs"
                    ),
                ),
                Some(true) => {}
            }
        }
        let supported = support.unwrap_or(true);
        // The calculator checks only for Nitro (bare metal gets the secondary-IP formula); an
        // unknown type is assumed Nitro, as for prefix delegation.
        let nitro = support.is_none()
            || l.hypervisor
                .as_deref()
                .is_some_and(|h| h.eq_ignore_ascii_case("nitro"));
        let prefix_formula = nitro && ((pd_requested && supported) || ipv6);
        // The calculator is run with --cni-max-eni when MAX_ENI lowers the limit (§9).
        let e_calc = settings.max_eni.map_or(e_inst, |m| m.min(e_inst));
        let calc = calculator_max_pods(name, e_calc, ipv4_per_eni, prefix_formula, cn, l.vcpus);
        let (max_pods, source) = match g.max_pods {
            Some(mp) => {
                let sip_value =
                    calculator_max_pods(name, e_calc, ipv4_per_eni, false, cn, l.vcpus).value;
                if prefix_formula && !ipv6 && mp == sip_value && calc.value > mp {
                    warn(
                        &mut warnings,
                        format!(
                            "{name}: max_pods {mp} with prefix delegation stops the pool at {} prefixes; \
                             the calculator's prefix-delegation value is {}",
                            mp.div_ceil(16),
                            calc.value
                        ),
                    );
                }
                (mp, "node_group")
            }
            None => {
                if calc.cap_assumed {
                    warn(
                        &mut warnings,
                        format!(
                            "{name}: vCPUs unknown; assumed max-pods cap {} ({}), max pods {}",
                            calc.cap,
                            if calc.cap == 110 {
                                "30 vCPUs or fewer, from its size name"
                            } else {
                                "over 30 vCPUs"
                            },
                            calc.value
                        ),
                    );
                }
                (calc.value, "calculator")
            }
        };
        if g.branch_eni_pods > 0 && !settings.security_groups_for_pods {
            warn(
                &mut warnings,
                format!(
                    "{name}: branch_eni_pods counted as ordinary pods (security groups for pods is off)"
                ),
            );
        }
        let load = PodLoad {
            pool_pods: g.pods_per_node.saturating_add(scenario.daemonset_pods),
            host_network_pods: scenario.host_networking_ips,
            branch_eni_pods: g.branch_eni_pods,
        };
        let nl = NodeLimits {
            max_enis: e_inst,
            ipv4_per_eni,
            max_pods,
            prefix_delegation_supported: supported,
        };
        let n = node(nl, &settings, load);
        if cn && n.pod_eni_limit == 0 {
            warn(
                &mut warnings,
                format!(
                    "{name}: under custom networking no pod ENI can be attached; no pod gets an IP"
                ),
            );
        }
        if settings.security_groups_for_pods && n.trunk_enis == 0 && g.branch_eni_pods > 0 {
            warn(
                &mut warnings,
                format!("{name}: no ENI slot for a trunk ENI; branch-ENI pods get no IP"),
            );
        }
        if n.pods_without_ip > 0 {
            warn(
                &mut warnings,
                format!(
                    "{name}: {} per node {} no IP (over max pods {}, ENI capacity or the IP targets)",
                    if n.pods_without_ip == 1 {
                        "1 pod".to_owned()
                    } else {
                        format!("{} pods", n.pods_without_ip)
                    },
                    if n.pods_without_ip == 1 {
                        "gets"
                    } else {
                        "get"
                    },
                    n.max_pods
                ),
            );
        }
        if n.oscillating {
            warn(
                &mut warnings,
                format!(
                    "{name}: a warm target of 0 makes the pool oscillate between {} and {} addresses per node; sized at the peak",
                    n.oscillation_low_ips.unwrap_or(0),
                    n.subnet_ips()
                ),
            );
        }

        // Spread over the subnets.
        let prefixes = u32::from(n.mode == Mode::PrefixDelegation) * n.cidrs;
        for (t, count) in node_tally
            .iter_mut()
            .zip(spread(g.instances, scenario.subnets.len()))
        {
            t.nodes += i64::from(count);
            t.used = t.used.saturating_add(times(n.node_subnet_ips, count));
            if !cn {
                t.prefixes = t.prefixes.saturating_add(times(prefixes, count));
            }
        }
        for (t, count) in pod_tally
            .iter_mut()
            .zip(spread(g.instances, pod_subnets.len()))
        {
            t.nodes += i64::from(count);
            t.used = t.used.saturating_add(times(n.pod_subnet_ips, count));
            t.prefixes = t.prefixes.saturating_add(times(prefixes, count));
        }

        let listed = n.pod_enis <= MAX_LISTED_ENIS;
        let served = n.pods_served.saturating_add(n.branch_pods_served);
        let use_ = NodeGroupUse {
            instance_type: g.instance_type.clone(),
            instances: g.instances,
            pods_per_node: g.pods_per_node,
            mode: n.mode,
            max_enis: n.max_enis,
            ips_per_eni: ipv4_per_eni,
            max_pods: n.max_pods,
            max_pods_source: source,
            pool_pods_per_node: n.pods_requested,
            enis_per_node: n.attached_enis,
            pod_ips_per_node: n.pool_ips,
            prefixes_per_node: prefixes,
            unused_ips_per_node: n.unused_ips,
            pods_without_ip_per_node: n.pods_without_ip,
            ips_per_node: n.subnet_ips(),
            node_subnet_ips_per_node: n.node_subnet_ips,
            pod_subnet_ips_per_node: n.pod_subnet_ips,
            oscillating: n.oscillating,
            oscillation_low_ips_per_node: n.oscillation_low_ips,
            active_enis_per_node: n.active_enis,
            warm_enis_per_node: n.warm_enis,
            active_ips_per_node: n.pods_served,
            warm_ips_per_node: n.unused_ips,
            branch_eni_pods_per_node: n.branch_pods_served,
            ipv6_pod_prefixes_per_node: u32::from(n.mode == Mode::Ipv6),
            ips_per_eni_list: if listed { n.ips_per_eni() } else { Vec::new() },
            prefixes_per_eni: if listed && n.mode == Mode::PrefixDelegation {
                n.cidrs_per_eni()
            } else {
                Vec::new()
            },
            ips_total: times(n.subnet_ips(), g.instances),
            node_subnet_ips_total: times(n.node_subnet_ips, g.instances),
            pod_subnet_ips_total: times(n.pod_subnet_ips, g.instances),
            pods_total: times(served, g.instances),
            pods_without_ip_total: times(n.pods_without_ip, g.instances),
        };
        used = used.saturating_add(use_.node_subnet_ips_total);
        pod_used = pod_used.saturating_add(use_.pod_subnet_ips_total);
        pods = pods.saturating_add(use_.pods_total);
        pods_without = pods_without.saturating_add(use_.pods_without_ip_total);
        groups.push(use_);
    }

    let pd_any = groups.iter().any(|g| g.mode == Mode::PrefixDelegation);
    let mut subnets = Vec::new();
    let mut subnet_ips = 0i64;
    let mut pod_subnet_ips = 0i64;
    let lists = [
        ("node", &scenario.subnets[..], &node_tally),
        ("pod", pod_subnets, &pod_tally),
    ];
    for (role, list, tally) in lists {
        for (s, t) in list.iter().zip(tally.iter()) {
            let ips = usable_ips(s);
            if role == "node" {
                subnet_ips = subnet_ips.saturating_add(ips);
            } else {
                pod_subnet_ips = pod_subnet_ips.saturating_add(ips);
            }
            let (avail, needed) = if pd_any && (role == "pod" || !cn) {
                (Some(prefix_blocks_available(s)), Some(t.prefixes))
            } else {
                (None, None)
            };
            if let (Some(avail), Some(needed)) = (avail, needed) {
                prefix_warnings(
                    &mut warnings,
                    s,
                    avail,
                    needed,
                    t.used.saturating_sub(needed.saturating_mul(16)),
                );
            }
            subnets.push(SubnetUse {
                subnet: s.to_string(),
                ips,
                used_ips: t.used,
                remaining_ips: ips.saturating_sub(t.used),
                role: role.to_owned(),
                nodes: t.nodes,
                prefix_blocks_available: avail,
                prefix_blocks_needed: needed,
            });
        }
    }

    let (pod_ips, pod_used_out, pod_remaining) = if cn {
        if pod_subnets.is_empty() {
            (None, Some(pod_used), None)
        } else {
            (
                Some(pod_subnet_ips),
                Some(pod_used),
                Some(pod_subnet_ips.saturating_sub(pod_used)),
            )
        }
    } else {
        (None, None, None)
    };
    // Sums that reached the top of i64 are not figures: absurd instance or pod counts.
    if [used, pods, pods_without, pod_used].contains(&i64::MAX) {
        return Evaluation::failed(
            scenario,
            Model::VpcCni,
            Status::Error,
            "the figures are too large to compute (check the instance and pod counts)".into(),
        );
    }
    Evaluation {
        scenario: scenario.id.clone(),
        model: Model::VpcCni,
        status: Status::Ok,
        hidden: false,
        message: None,
        subnet_ips: Some(subnet_ips),
        used_ips: Some(used),
        remaining_ips: Some(subnet_ips.saturating_sub(used)),
        pods: Some(pods),
        pods_without_ip: Some(pods_without),
        pod_subnet_ips: pod_ips,
        pod_subnet_used_ips: pod_used_out,
        pod_subnet_remaining_ips: pod_remaining,
        sheet: None,
        subnets,
        warnings,
        comparison: None,
        node_groups: NodeGroupResults::VpcCni(groups),
    }
}

/// Warns when a subnet cannot give the /28 blocks its prefixes need, or could not once its other
/// addresses (`singles`) each break a block.
fn prefix_warnings(
    warnings: &mut Vec<String>,
    subnet: &Subnet,
    available: i64,
    needed: i64,
    singles: i64,
) {
    if needed <= 0 {
        return;
    }
    if needed > available {
        warn(
            warnings,
            format!(
                "subnet {subnet}: {needed} /28 prefixes needed but it offers at most {available} aligned /28 blocks; \
                 prefix allocation will fail (InsufficientCidrBlocks)"
            ),
        );
    } else if needed.saturating_add(singles) > available {
        // Smallest power-of-two run of /28 blocks holding `needed`.
        let mut bits = 0u32;
        while (1i64 << bits) < needed {
            bits += 1;
        }
        let len = 28u32.saturating_sub(bits);
        warn(
            warnings,
            format!(
                "subnet {subnet}: {needed} /28 prefixes needed of {available} blocks, and {singles} other addresses \
                 (ENI primaries, node IPs) can fragment it; reserve a /{len} prefix-type CIDR reservation \
                 (create-subnet-cidr-reservation --reservation-type prefix)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::NodeGroup;

    const M5: NodeLimits = NodeLimits {
        max_enis: 3,
        ipv4_per_eni: 10,
        max_pods: 29,
        prefix_delegation_supported: true,
    };

    fn sip(p: u32) -> NodeUse {
        node(M5, &EffectiveSettings::default(), PodLoad::pool(p))
    }

    fn pd_settings() -> EffectiveSettings {
        EffectiveSettings {
            prefix_delegation: true,
            ..EffectiveSettings::default()
        }
    }

    fn limits(
        name: &str,
        enis: u32,
        ips: u32,
        hypervisor: Option<&str>,
        vcpus: Option<u32>,
    ) -> InstanceLimits {
        InstanceLimits {
            max_enis: Some(enis),
            ipv4_per_eni: Some(ips),
            hypervisor: hypervisor.map(str::to_owned),
            bare_metal: hypervisor.map(|_| false),
            vcpus,
            ..InstanceLimits::named(name)
        }
    }

    fn catalog() -> Catalog {
        let mut c = Catalog::new();
        c.insert(limits("m5.large", 3, 10, Some("nitro"), Some(2)));
        c.insert(limits("t2.medium", 3, 6, Some("xen"), Some(2)));
        c.insert(limits("t3.small", 3, 4, Some("nitro"), Some(2)));
        c.insert(limits("odd.large", 2, 4, None, None));
        c.insert(limits("big.4xlarge", 8, 30, Some("nitro"), None));
        c
    }

    fn group(instance_type: &str, instances: u32, pods: u32) -> NodeGroup {
        NodeGroup {
            instance_type: instance_type.into(),
            instances,
            pods_per_node: pods,
            max_pods: None,
            branch_eni_pods: 0,
        }
    }

    fn scenario(cni: CniSettings, subnets: &[u8], groups: Vec<NodeGroup>) -> Scenario {
        Scenario {
            id: "t".into(),
            subnets: subnets.iter().map(|&n| Subnet::of_size(n)).collect(),
            pod_subnets: Vec::new(),
            cni,
            host_networking_ips: 0,
            daemonset_pods: 0,
            node_groups: groups,
        }
    }

    fn groups(e: &Evaluation) -> &[NodeGroupUse] {
        match &e.node_groups {
            NodeGroupResults::VpcCni(g) => g,
            NodeGroupResults::Workbook(_) => panic!("not a vpc-cni evaluation"),
        }
    }

    #[test]
    fn quick_check_m5_large_secondary_ip_defaults() {
        let n = sip(0);
        assert_eq!((n.attached_enis, n.pool_ips, n.node_subnet_ips), (1, 9, 10));
        assert_eq!((n.active_enis, n.warm_enis, n.unused_ips), (0, 1, 9));
        for p in 1..=9 {
            let n = sip(p);
            assert_eq!(
                (n.attached_enis, n.pool_ips, n.node_subnet_ips),
                (2, 18, 20),
                "p={p}"
            );
            assert_eq!(
                (n.pods_served, n.unused_ips, n.active_enis, n.warm_enis),
                (p, 18 - p, 1, 1)
            );
        }
        for p in 10..=40 {
            let n = sip(p);
            assert_eq!(
                (n.attached_enis, n.pool_ips, n.node_subnet_ips),
                (3, 27, 30),
                "p={p}"
            );
            assert_eq!(n.pods_served, p.min(27));
            assert_eq!(n.pods_without_ip, p - p.min(27));
            assert_eq!(n.pods_scheduled, p.min(29));
        }
        assert_eq!(sip(12).cidrs_per_eni(), vec![9, 9, 9]);
        assert_eq!(sip(12).pods_per_eni(), vec![9, 3, 0]);
    }

    #[test]
    fn quick_check_m5_large_prefix_delegation() {
        let l = NodeLimits {
            max_pods: 110,
            ..M5
        };
        let n = node(l, &pd_settings(), PodLoad::pool(50));
        assert_eq!(n.mode, Mode::PrefixDelegation);
        assert_eq!(
            (n.cidrs, n.pool_ips, n.node_subnet_ips, n.attached_enis),
            (5, 80, 81, 1)
        );
        assert_eq!((n.free_prefixes, n.unused_ips), (1, 30));
        let n = node(l, &pd_settings(), PodLoad::pool(100));
        assert_eq!((n.cidrs, n.pool_ips, n.node_subnet_ips), (7, 112, 113));
        assert_eq!((n.unused_ips, n.free_prefixes), (12, 0));
        assert_eq!(n.cidrs_per_eni(), vec![7]);
        // §7.4: kubelet max pods left at the secondary-IP value caps the pool at 2 prefixes.
        let n = node(M5, &pd_settings(), PodLoad::pool(29));
        assert_eq!((n.cidrs, n.pods_served), (2, 29));
    }

    #[test]
    fn warm_ip_targets_override_warm_eni_target() {
        let s = EffectiveSettings {
            warm_eni_target: 3,
            warm_ip_target: 2,
            minimum_ip_target: 5,
            ..Default::default()
        };
        let n = node(M5, &s, PodLoad::pool(0));
        assert_eq!((n.cidrs, n.attached_enis, n.node_subnet_ips), (5, 1, 6));
        let n = node(M5, &s, PodLoad::pool(10));
        assert_eq!(
            (n.cidrs, n.cidrs_per_eni(), n.attached_enis),
            (12, vec![9, 3], 2)
        );
        // WARM_IP_TARGET=0 with MINIMUM_IP_TARGET: exactly m addresses; pod m+1 gets none.
        let s = EffectiveSettings {
            warm_ip_target: 0,
            minimum_ip_target: 5,
            ..Default::default()
        };
        let n = node(M5, &s, PodLoad::pool(8));
        assert_eq!(
            (n.cidrs, n.pods_served, n.pods_without_ip, n.unused_ips),
            (5, 5, 3, 0)
        );
        // The same in PD: ceil(m/16) prefixes, whose 32 addresses all serve pods.
        let s = EffectiveSettings {
            minimum_ip_target: 20,
            ..pd_settings()
        };
        let n = node(
            NodeLimits {
                max_pods: 110,
                ..M5
            },
            &s,
            PodLoad::pool(40),
        );
        assert_eq!((n.cidrs, n.pods_served, n.pods_without_ip), (2, 32, 8));
    }

    #[test]
    fn zero_targets_oscillate_and_report_the_peak() {
        let s = EffectiveSettings {
            warm_eni_target: 0,
            ..Default::default()
        };
        let n = node(M5, &s, PodLoad::pool(9));
        assert!(n.oscillating);
        assert_eq!(
            (n.cidrs, n.node_subnet_ips, n.oscillation_low_ips),
            (18, 20, Some(10))
        );
        let n = node(M5, &s, PodLoad::pool(5));
        assert!(!n.oscillating);
        assert_eq!(n.cidrs, 9);
        // p = 0: the primary ENI cannot be freed, so no oscillation without custom networking.
        assert!(!node(M5, &s, PodLoad::pool(0)).oscillating);
        // At the ENI limit the extra ENI never comes.
        assert!(!node(M5, &s, PodLoad::pool(27)).oscillating);

        let s = EffectiveSettings {
            warm_prefix_target: 0,
            ..pd_settings()
        };
        let l = NodeLimits {
            max_pods: 110,
            ..M5
        };
        let n = node(l, &s, PodLoad::pool(16));
        assert!(n.oscillating);
        assert_eq!(
            (n.cidrs, n.node_subnet_ips, n.oscillation_low_ips),
            (2, 33, Some(17))
        );
        let n = node(l, &s, PodLoad::pool(17));
        assert!(!n.oscillating);
        assert_eq!(n.cidrs, 2);
    }

    #[test]
    fn custom_networking_moves_pod_enis_to_the_pod_subnet() {
        let s = EffectiveSettings {
            custom_networking: true,
            ..Default::default()
        };
        let l = NodeLimits { max_pods: 20, ..M5 };
        let n = node(l, &s, PodLoad::pool(10));
        assert_eq!(
            (n.pod_eni_limit, n.cidrs, n.pod_enis, n.attached_enis),
            (2, 18, 2, 3)
        );
        assert_eq!(
            (n.node_subnet_ips, n.pod_subnet_ips, n.pods_served),
            (1, 20, 10)
        );
        // A node that can attach no pod ENI serves no pods.
        let tiny = NodeLimits {
            max_enis: 1,
            ipv4_per_eni: 4,
            max_pods: 10,
            prefix_delegation_supported: true,
        };
        let n = node(tiny, &s, PodLoad::pool(4));
        assert_eq!(
            (n.pod_eni_limit, n.cidrs, n.pods_served, n.pods_without_ip),
            (0, 0, 0, 4)
        );
        assert_eq!((n.node_subnet_ips, n.pod_subnet_ips), (1, 0));

        let cni = CniSettings {
            custom_networking: true,
            ..CniSettings::default()
        };
        let mut sc = scenario(cni, &[24], vec![group("m5.large", 4, 10)]);
        let e = evaluation(&sc, &catalog());
        assert_eq!(e.status, Status::Ok);
        let g = &groups(&e)[0];
        assert_eq!(
            (
                g.max_pods,
                g.node_subnet_ips_per_node,
                g.pod_subnet_ips_per_node
            ),
            (20, 1, 20)
        );
        assert_eq!(
            (e.used_ips, e.pod_subnet_used_ips, e.pod_subnet_ips),
            (Some(4), Some(80), None)
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("without a pod subnet"))
        );
        sc.pod_subnets = vec![Subnet::of_size(22), Subnet::of_size(22)];
        let e = evaluation(&sc, &catalog());
        assert_eq!(
            (e.pod_subnet_ips, e.pod_subnet_remaining_ips),
            (Some(2038), Some(2038 - 80))
        );
        let pods: Vec<_> = e
            .subnets
            .iter()
            .filter(|s| s.role == "pod")
            .map(|s| (s.nodes, s.used_ips))
            .collect();
        assert_eq!(pods, vec![(2, 40), (2, 40)]);
    }

    #[test]
    fn nodes_spread_evenly_over_the_subnet_list() {
        assert_eq!(spread(7, 3), vec![3, 2, 2]);
        assert_eq!(spread(2, 3), vec![1, 1, 0]);
        assert_eq!(spread(0, 2), vec![0, 0]);
        assert!(spread(5, 0).is_empty());
        let sc = scenario(
            CniSettings::default(),
            &[24, 24],
            vec![group("m5.large", 3, 5)],
        );
        let e = evaluation(&sc, &catalog());
        let per: Vec<_> = e
            .subnets
            .iter()
            .map(|s| (s.nodes, s.used_ips, s.remaining_ips))
            .collect();
        assert_eq!(per, vec![(2, 40, 211), (1, 20, 231)]);
        assert_eq!(
            (e.subnet_ips, e.used_ips, e.remaining_ips),
            (Some(502), Some(60), Some(442))
        );
        assert_eq!((e.pods, e.pods_without_ip), (Some(15), Some(0)));
        let g = &groups(&e)[0];
        assert_eq!(
            (g.enis_per_node, g.ips_per_node, g.ips_total, g.pods_total),
            (2, 20, 60, 15)
        );
        assert_eq!(g.ips_per_eni_list, vec![9, 9]);
    }

    #[test]
    fn ipv6_takes_only_the_node_address() {
        let cni = CniSettings {
            ip_family: IpFamily::Ipv6,
            ..CniSettings::default()
        };
        let e = evaluation(
            &scenario(cni, &[24], vec![group("m5.large", 10, 50)]),
            &catalog(),
        );
        let g = &groups(&e)[0];
        assert_eq!(g.mode, Mode::Ipv6);
        assert_eq!(
            (
                g.ips_per_node,
                g.pod_ips_per_node,
                g.ipv6_pod_prefixes_per_node
            ),
            (1, 0, 1)
        );
        assert_eq!((g.max_pods, g.active_ips_per_node), (110, 50));
        assert_eq!((e.used_ips, e.pods), (Some(10), Some(500)));
        assert!(e.warnings.iter().any(|w| w.contains("/80")));
    }

    #[test]
    fn security_groups_for_pods_reserve_the_trunk_and_add_branch_addresses() {
        let s = EffectiveSettings {
            security_groups_for_pods: true,
            ..Default::default()
        };
        let n = node(
            M5,
            &s,
            PodLoad {
                pool_pods: 5,
                host_network_pods: 0,
                branch_eni_pods: 3,
            },
        );
        assert_eq!((n.pod_eni_limit, n.trunk_enis, n.attached_enis), (2, 1, 3));
        assert_eq!((n.cidrs, n.branch_pods_served, n.pods_served), (18, 3, 5));
        assert_eq!(n.node_subnet_ips, 2 + 18 + 1 + 3);
        // Capacity shrinks to two ENIs: 18 pool pods at most.
        let n = node(
            M5,
            &s,
            PodLoad {
                pool_pods: 25,
                host_network_pods: 0,
                branch_eni_pods: 0,
            },
        );
        assert_eq!((n.pods_served, n.pods_without_ip), (18, 7));
        // Host-network and branch pods take max-pods room first.
        let n = node(
            M5,
            &s,
            PodLoad {
                pool_pods: 25,
                host_network_pods: 4,
                branch_eni_pods: 10,
            },
        );
        assert_eq!(
            (n.branch_pods_served, n.pods_scheduled, n.pods_served),
            (10, 15, 15)
        );
        assert_eq!(n.pods_without_ip, 10);
    }

    #[test]
    fn prefix_delegation_on_xen_falls_back_to_secondary_ips() {
        let cni = CniSettings {
            prefix_delegation: true,
            ..CniSettings::default()
        };
        let e = evaluation(
            &scenario(cni, &[24], vec![group("t2.medium", 2, 10)]),
            &catalog(),
        );
        let g = &groups(&e)[0];
        assert_eq!(g.mode, Mode::SecondaryIp);
        assert_eq!(
            (
                g.max_pods,
                g.enis_per_node,
                g.pod_ips_per_node,
                g.prefixes_per_node
            ),
            (17, 3, 15, 0)
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("t2.medium") && w.contains("falls back"))
        );
        // Unknown hypervisor: assumed supported, with a warning.
        let e = evaluation(
            &scenario(cni_pd(), &[24], vec![group("odd.large", 1, 10)]),
            &catalog(),
        );
        assert_eq!(groups(&e)[0].mode, Mode::PrefixDelegation);
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("odd.large") && w.contains("assumed Nitro"))
        );
    }

    fn cni_pd() -> CniSettings {
        CniSettings {
            prefix_delegation: true,
            ..CniSettings::default()
        }
    }

    #[test]
    fn max_pods_calculator_caps() {
        let v = |n: &str, e, l, pd, cn, cpus| calculator_max_pods(n, e, l, pd, cn, cpus);
        assert_eq!(v("t3.small", 3, 4, false, false, Some(2)).value, 11);
        assert_eq!(v("t3.small", 3, 4, true, false, Some(2)).value, 110);
        assert_eq!(v("m5.large", 3, 10, false, true, Some(2)).value, 20);
        let big = v("p3dn.24xlarge", 15, 50, false, false, Some(96));
        assert_eq!(
            (big.value, big.uncapped, big.cap, big.cap_assumed),
            (250, 737, 250, false)
        );
        // Without vCPUs the cap comes from the size name, with a flag for the warning.
        let guessed = v("p3dn.24xlarge", 15, 50, false, false, None);
        assert_eq!((guessed.value, guessed.cap_assumed), (250, true));
        let guessed = v("c5.4xlarge", 8, 30, false, false, None);
        assert_eq!(
            (guessed.value, guessed.cap, guessed.cap_assumed),
            (110, 110, true)
        );
        assert_eq!(v("c5.metal", 15, 50, false, false, None).value, 250);
        // Below 110 the cap does not matter and nothing is assumed.
        assert!(!v("t3.small", 3, 4, false, false, None).cap_assumed);
        assert_eq!(guessed_vcpus("m5.xlarge"), Some(4));
        assert_eq!(guessed_vcpus("m5.12xlarge"), Some(48));
        assert_eq!(guessed_vcpus("t3.nano"), Some(2));
        assert_eq!(guessed_vcpus("c5.metal"), None);
        // odd.large (E=2, L=4, hypervisor unknown so assumed Nitro): 2·3·16+2 = 98, under any cap.
        let e = evaluation(
            &scenario(cni_pd(), &[24], vec![group("odd.large", 1, 10)]),
            &catalog(),
        );
        assert_eq!(groups(&e)[0].max_pods, 98);
        assert!(!e.warnings.iter().any(|w| w.contains("max-pods cap")));
        // big.4xlarge (E=8, L=30, no vCPUs): 8·29+2 = 234, capped at 110 from the size name.
        let e = evaluation(
            &scenario(
                CniSettings::default(),
                &[24],
                vec![group("big.4xlarge", 1, 10)],
            ),
            &catalog(),
        );
        assert_eq!(groups(&e)[0].max_pods, 110);
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("assumed max-pods cap 110"))
        );
    }

    #[test]
    fn subnet_arithmetic_and_prefix_blocks() {
        assert_eq!(usable_ips(&Subnet::of_size(24)), 251);
        assert_eq!(usable_ips(&Subnet::of_size(28)), 11);
        assert_eq!(usable_ips(&Subnet::of_size(16)), 65_531);
        assert_eq!(usable_ips(&Subnet::of_size(31)), 0);
        assert_eq!(usable_ips(&Subnet::of_size(0)), (1i64 << 32) - 5);
        assert_eq!(prefix_blocks_available(&Subnet::of_size(24)), 14);
        assert_eq!(prefix_blocks_available(&Subnet::of_size(26)), 2);
        assert_eq!(prefix_blocks_available(&Subnet::of_size(27)), 0);
        assert_eq!(prefix_blocks_available(&Subnet::of_size(30)), 0);

        let e = evaluation(
            &scenario(CniSettings::default(), &[30], vec![group("m5.large", 1, 1)]),
            &catalog(),
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("AWS subnets are /16 to /28"))
        );
        assert_eq!((e.subnet_ips, e.remaining_ips), (Some(0), Some(-20)));

        // 3 PD nodes of 2 prefixes in a /24: 6 blocks of 14, 3 primaries; fine.
        let e = evaluation(
            &scenario(cni_pd(), &[24], vec![group("m5.large", 3, 20)]),
            &catalog(),
        );
        let s = &e.subnets[0];
        assert_eq!(
            (s.prefix_blocks_available, s.prefix_blocks_needed),
            (Some(14), Some(9))
        );
        assert!(!e.warnings.iter().any(|w| w.contains("/28")));
        // 6 nodes: 18 blocks of 14 needed.
        let e = evaluation(
            &scenario(cni_pd(), &[24], vec![group("m5.large", 6, 20)]),
            &catalog(),
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("InsufficientCidrBlocks"))
        );
        // 4 nodes: 12 of 14 blocks, 4 primaries may fragment it: reserve a /24 (16 blocks).
        let e = evaluation(
            &scenario(cni_pd(), &[24], vec![group("m5.large", 4, 20)]),
            &catalog(),
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("reserve a /24 prefix-type CIDR reservation"))
        );
    }

    #[test]
    fn daemonsets_count_on_every_node_and_host_network_pods_only_count_against_max_pods() {
        let mut sc = scenario(CniSettings::default(), &[24], vec![group("m5.large", 2, 8)]);
        sc.daemonset_pods = 2;
        sc.host_networking_ips = 3;
        let e = evaluation(&sc, &catalog());
        let g = &groups(&e)[0];
        assert_eq!(
            (g.pool_pods_per_node, g.enis_per_node, g.ips_per_node),
            (10, 3, 30)
        );
        assert_eq!((e.pods, e.pods_without_ip), (Some(20), Some(0)));
        sc.node_groups[0].pods_per_node = 30;
        let e = evaluation(&sc, &catalog());
        let g = &groups(&e)[0];
        // 32 pool pods, room for 29 − 3 = 26, 27 addresses: 26 served, 6 without an IP.
        assert_eq!(
            (
                g.active_ips_per_node,
                g.pods_without_ip_per_node,
                g.warm_ips_per_node
            ),
            (26, 6, 1)
        );
        assert_eq!(e.pods_without_ip, Some(12));
    }

    #[test]
    fn missing_limits_are_an_error_not_a_panic() {
        let mut c = catalog();
        c.insert(InstanceLimits::named("bare.type"));
        let e = evaluation(
            &scenario(
                CniSettings::default(),
                &[24],
                vec![group("nope.large", 1, 1)],
            ),
            &c,
        );
        assert_eq!(e.status, Status::Error);
        assert!(e.message.unwrap().contains("nope.large"));
        let e = evaluation(
            &scenario(
                CniSettings::default(),
                &[24],
                vec![group("bare.type", 1, 1)],
            ),
            &c,
        );
        assert_eq!(e.status, Status::Error);
        assert!(e.message.unwrap().contains("no ENI limits"));
    }

    #[test]
    fn absurd_inputs_saturate() {
        let huge = NodeLimits {
            max_enis: u32::MAX,
            ipv4_per_eni: u32::MAX,
            max_pods: u32::MAX,
            prefix_delegation_supported: true,
        };
        let s = EffectiveSettings {
            warm_eni_target: u32::MAX,
            warm_ip_target: u32::MAX,
            minimum_ip_target: u32::MAX,
            ..pd_settings()
        };
        let n = node(
            huge,
            &s,
            PodLoad {
                pool_pods: u32::MAX,
                host_network_pods: 0,
                branch_eni_pods: u32::MAX,
            },
        );
        assert_eq!(n.pods_scheduled, u32::MAX);
        let zero = NodeLimits {
            max_enis: 0,
            ipv4_per_eni: 0,
            max_pods: 0,
            prefix_delegation_supported: false,
        };
        let n = node(zero, &EffectiveSettings::default(), PodLoad::pool(5));
        assert_eq!(
            (n.cidrs, n.pods_served, n.pods_without_ip, n.attached_enis),
            (0, 0, 5, 1)
        );
    }
}
