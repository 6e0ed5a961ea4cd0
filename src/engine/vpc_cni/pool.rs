//! ipamd's warm pool on one node: the steady state it converges to after the node scales up from
//! empty (the closed form of the shared specification's §6), and what each ENI holds.
//!
//! With `E` the ENI limit (lowered by `MAX_ENI`), `L` the IPv4 addresses per ENI and `S = L − 1`
//! the pool slots per ENI (the primary address never serves pods), the ENIs that may hold pool
//! addresses are `K = [primary] + max(E − 1 − trunk slot, 0)`: the primary ENI counts unless
//! custom networking keeps pods off it, and security groups for pods keep one ENI slot for the
//! trunk (amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` 2592-2621, `hasRoomForEni`). Capacity is `K·S`
//! secondary IPs, or `K·S` /28 prefixes. Then, by mode:
//!
//! * **A** (secondary IPs, no `WARM_IP_TARGET`/`MINIMUM_IP_TARGET`): `ceil(p/S) + W_eni` full ENIs
//!   (`floor(p/S) + 1` when `W_eni = 0`), capped at `K` and at `ceil(MP/S)`.
//! * **B** (secondary IPs with warm/minimum IP targets, which replace `WARM_ENI_TARGET`): the pool
//!   holds `max(p + w, m)` addresses (`m` when `w = 0`), never less than its boot chunk, capped at
//!   capacity and max pods.
//! * **C** (prefix delegation, `WARM_PREFIX_TARGET`): `ceil(p/16) + W_pfx` prefixes, capped.
//! * **D** (prefix delegation with warm/minimum IP targets): B's target rounded up to prefixes.
//!
//! Every pod ENI but the last is full; each ENI has one primary address from its subnet. The
//! intermediate values of the closed form are kept in [`ClosedForm`], so that the xlsx report
//! writes them in cells without a second copy of these rules.

use serde::Serialize;

use crate::evaluation::{ClosedForm, EniFill, Mode};

use super::node_inputs::{NodeLimits, PodLoad};
use super::settings::EffectiveSettings;
use super::trunk::Branches;

/// Addresses in one /28 prefix.
pub const PREFIX_SIZE: u32 = 16;

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
    /// The closed form's steps.
    pub closed_form: ClosedForm,
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
    /// Branch-ENI pods that stay Pending (no trunk, or over the type's branch ENIs).
    pub branch_pods_pending: u32,
    /// Branch ENIs the node's trunk takes (`None`: not known, no cap; 0 without a trunk).
    pub branch_cap: Option<u32>,
    /// Pods without an address: over max pods, over ENI capacity or the targets, or branch pods
    /// without a branch ENI.
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
        self.cidr_fill().to_vec()
    }

    /// Pool CIDRs per pod ENI, as an [`EniFill`].
    pub fn cidr_fill(&self) -> EniFill {
        EniFill {
            full: self.full_pod_enis,
            per_full: self.slots_per_eni,
            last: self.last_pod_eni_cidrs,
        }
    }

    /// Pool addresses per pod ENI (secondary IPs, or 16 per prefix), as an [`EniFill`].
    pub fn ip_fill(&self) -> EniFill {
        let unit = self.unit();
        EniFill {
            full: self.full_pod_enis,
            per_full: self.slots_per_eni.saturating_mul(unit),
            last: self.last_pod_eni_cidrs.saturating_mul(unit),
        }
    }

    /// Pool addresses per pod ENI (secondary IPs, or 16 per prefix), in fill order.
    pub fn ips_per_eni(&self) -> Vec<u32> {
        self.ip_fill().to_vec()
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

pub(super) fn sat32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// ENIs and subnet addresses of a pool of `c` CIDRs: (pod ENIs, pool-capable ENIs, pool subnet
/// addresses without custom networking's node IP).
fn footprint(c: u64, s: u64, unit: u64, custom_networking: bool) -> (u64, u64, u64) {
    let np = ceil_div(c, s);
    let capable = if custom_networking { np } else { np.max(1) };
    (np, capable, capable.saturating_add(c.saturating_mul(unit)))
}

/// The pool's CIDRs at its peak, and at its trough when it oscillates, with the closed form's
/// steps.
fn pool_cidrs(
    settings: &EffectiveSettings,
    pd: bool,
    cn: bool,
    p: u64,
    k: u64,
    s: u64,
    mp: u64,
) -> (u64, Option<u64>, ClosedForm) {
    let unit: u64 = if pd { 16 } else { 1 };
    let cap = k * s;
    let gate = ceil_div(mp, unit);
    let w = u64::from(settings.warm_ip_target);
    let m = u64::from(settings.minimum_ip_target);
    let mut steps = ClosedForm {
        unit: unit as u32,
        cap,
        gate,
        ..ClosedForm::default()
    };
    // Boot chunks of the warm-IP modes and of prefix delegation end at multiples of S.
    let boot_of = |first: u64| {
        let b = if first < gate {
            first
        } else {
            first.min(s * ceil_div(gate, s))
        };
        b.min(cap)
    };
    // The warm/minimum IP target in addresses (0 when neither is set).
    let t = if w > 0 { (p + w).max(m) } else { m };
    steps.target = t;
    if s == 0 {
        return (0, None, steps);
    }
    if settings.warm_ip_targets_defined() {
        // B and D: WARM_IP_TARGET / MINIMUM_IP_TARGET, rounded up to prefixes in PD.
        let (need, need0) = (ceil_div(t, unit), ceil_div(w.max(m), unit));
        steps.boot = boot_of(need0);
        steps.need = need;
        (steps.boot.max(need.min(cap).min(gate)), None, steps)
    } else if !pd {
        // A: WARM_ENI_TARGET, whole ENIs.
        let weni = u64::from(settings.warm_eni_target);
        let n = if weni >= 1 {
            ceil_div(p, s) + weni
        } else {
            p / s + 1
        };
        steps.need = n.saturating_mul(s);
        let capped = n.min(k).min(ceil_div(mp, s));
        let osc = weni == 0 && p.is_multiple_of(s) && (p > 0 || cn) && capped == n;
        (capped * s, osc.then(|| (capped - 1) * s), steps)
    } else {
        // C: WARM_PREFIX_TARGET.
        let wpfx = u64::from(settings.warm_prefix_target);
        let u = ceil_div(p, 16);
        let (need, boot) = if wpfx >= 1 {
            (u + wpfx, boot_of(wpfx))
        } else {
            (u + u64::from(p.is_multiple_of(16)), 1u64.min(cap))
        };
        steps.boot = boot;
        steps.need = need;
        let grown = need.min(cap).min(gate);
        let c = boot.max(grown);
        let osc = wpfx == 0 && p.is_multiple_of(16) && grown == need && c == need && c > 0;
        (c, osc.then(|| c - 1), steps)
    }
}

/// One node's steady state after scaling up from empty.
///
/// `limits.max_pods` must already be the node's kubelet max pods (see
/// [`super::max_pods::calculator_max_pods`]). Never panics; absurd inputs saturate.
pub fn node(limits: NodeLimits, settings: &EffectiveSettings, pods: PodLoad) -> NodeUse {
    let e = settings.enis(limits.max_enis);
    let ipv6 = settings.ipv6();
    let cn = settings.custom_networking_applies();
    let s = limits.ipv4_per_eni.saturating_sub(1);
    let mp = limits.max_pods;
    let trunk = limits.trunking.plan(settings, limits.max_enis, e);
    // The ENIs that may hold pool addresses: the primary (unless custom networking keeps pods off
    // it), and those ipamd may attach next to it.
    let k = u32::from(!cn).saturating_add(trunk.more_enis);

    let (pool_req, branch) = Branches::place(&trunk, settings, pods, mp);
    let p32 = pool_req.min(branch.room_left);
    let p = u64::from(p32);
    let sgp_ips = u64::from(trunk.attached) + u64::from(branch.served);

    let pd_requested = settings.prefix_delegation_requested();
    let pd = pd_requested && limits.prefix_delegation_supported;
    let mode = if ipv6 {
        Mode::Ipv6
    } else if pd {
        Mode::PrefixDelegation
    } else {
        Mode::SecondaryIp
    };
    let branch_without = branch.pending;

    if ipv6 {
        let node_ips = 1 + sgp_ips;
        // No IPv4 pool, and MAX_ENI does nothing in IPv6 (ipamd.go 2749-2751).
        return NodeUse {
            mode,
            prefix_delegation_fallback: false,
            max_enis: limits.max_enis,
            pod_eni_limit: 0,
            slots_per_eni: s,
            max_pods: mp,
            pods_requested: pool_req,
            pods_scheduled: p32,
            closed_form: ClosedForm::default(),
            cidrs: 0,
            pod_enis: 0,
            full_pod_enis: 0,
            last_pod_eni_cidrs: 0,
            attached_enis: 1 + u32::from(trunk.attached),
            trunk_enis: u32::from(trunk.attached),
            pool_ips: 0,
            pods_served: p32,
            unused_ips: 0,
            free_prefixes: 0,
            branch_pods_served: branch.served,
            branch_pods_pending: branch.pending,
            branch_cap: trunk.branch_cap,
            pods_without_ip: (pool_req - p32).saturating_add(branch_without),
            active_enis: u32::from(p32 > 0),
            warm_enis: u32::from(p32 == 0),
            node_subnet_ips: sat32(node_ips),
            pod_subnet_ips: 0,
            oscillating: false,
            oscillation_low_ips: None,
        };
    }

    let s64 = u64::from(s);
    let unit: u64 = if pd { 16 } else { 1 };
    let (c, trough, closed_form) =
        pool_cidrs(settings, pd, cn, p, u64::from(k), s64, u64::from(mp));
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
        closed_form,
        cidrs: sat32(c),
        pod_enis: sat32(np),
        full_pod_enis: sat32(full),
        last_pod_eni_cidrs: sat32(last),
        attached_enis: sat32(capable + u64::from(cn) + u64::from(trunk.attached)),
        trunk_enis: u32::from(trunk.attached),
        pool_ips: sat32(a),
        pods_served: served32,
        unused_ips: sat32(a - served),
        free_prefixes: if pd {
            sat32(c - ceil_div(served, 16))
        } else {
            0
        },
        branch_pods_served: branch.served,
        branch_pods_pending: branch.pending,
        branch_cap: trunk.branch_cap,
        pods_without_ip: (pool_req - served32).saturating_add(branch_without),
        active_enis: sat32(active),
        warm_enis: sat32(capable.saturating_sub(active)),
        node_subnet_ips: sat32(node_ips),
        pod_subnet_ips: sat32(pod_ips),
        oscillating: trough.is_some(),
        oscillation_low_ips: low_ips,
    }
}
