//! One node group under the vpc-cni model: its node's steady state ([`super::node`]), its max
//! pods ([`super::max_pods`]), the group's figures ([`NodeGroupUse`]) and the warnings about its
//! type and its node.

use crate::catalog::InstanceLimits;
use crate::evaluation::{EniFill, Mode, NodeGroupUse};
use crate::scenario::{NodeGroup, Scenario};
use crate::warning::{About, PendingWhy, WarningKind, Warnings};

use super::max_pods;
use super::node_inputs::{NodeLimits, PodLoad, Trunking};
use super::pool::{NodeUse, node};
use super::settings::{self, EffectiveSettings};

/// Per-ENI lists in [`NodeGroupUse`] are left empty beyond this many pod ENIs (no EC2 type has
/// nearly as many), so that absurd inputs cannot exhaust memory.
pub const MAX_LISTED_ENIS: u32 = 1000;

/// A per-node figure for a group of `instances` nodes (saturating).
pub(super) fn times(per_node: u32, instances: u32) -> i64 {
    i64::from(per_node).saturating_mul(i64::from(instances))
}

/// Why a scenario has no figures.
pub(super) enum NoFigures {
    /// A node group's type lacks what the model needs.
    Error(String),
    /// ipamd would refuse the configuration.
    Invalid(String),
}

/// One node group under the model (the scenario's `index`th, 0-based): its node's steady state
/// and the group's figures.
pub(super) fn group_use(
    index: u32,
    g: &NodeGroup,
    l: &InstanceLimits,
    scenario: &Scenario,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) -> Result<(NodeGroupUse, NodeUse), NoFigures> {
    type_warnings(index, g, l, settings, warnings);
    let (max_pods, source) =
        max_pods::for_group(index, g, l, scenario, settings, warnings).map_err(NoFigures::Error)?;
    let limits = NodeLimits {
        max_enis: l.max_enis.unwrap_or(0),
        ipv4_per_eni: l.ipv4_per_eni.unwrap_or(0),
        max_pods,
        prefix_delegation_supported: l.supports_prefix_delegation(),
        trunking: Trunking {
            compatible: l.trunking_compatible,
            branch_interfaces: l.branch_interfaces,
        },
    };
    let load = PodLoad {
        pool_pods: g.pods_per_node.saturating_add(scenario.daemonset_pods),
        host_network_pods: scenario.host_networking_ips,
        branch_eni_pods: g.branch_eni_pods,
    };
    let n = node(limits, settings, load);
    if let Some(why) = settings::type_refusal(
        settings,
        &g.instance_type,
        l.supports_prefix_delegation(),
        n.pod_eni_limit,
    ) {
        return Err(NoFigures::Invalid(why));
    }
    node_warnings(index, g, &n, settings, warnings);
    let listed = n.pod_enis <= MAX_LISTED_ENIS;
    let prefixes = u32::from(n.mode == Mode::PrefixDelegation) * n.cidrs;
    let served = n.pods_served.saturating_add(n.branch_pods_served);
    let calls = super::ec2_calls::ec2_calls(&n, settings);
    let use_ = NodeGroupUse {
        instance_type: g.instance_type.clone(),
        instances: g.instances,
        pods_per_node: g.pods_per_node,
        mode: n.mode,
        max_enis: n.max_enis,
        ips_per_eni: limits.ipv4_per_eni,
        max_pods: n.max_pods,
        max_pods_source: source,
        pod_eni_limit: n.pod_eni_limit,
        pool_pods_per_node: n.pods_requested,
        pool_pods_scheduled_per_node: n.pods_scheduled,
        closed_form: n.closed_form,
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
        ec2_calls_per_node: calls.mutating,
        ec2_read_calls_per_node: calls.read,
        trunk_enis_per_node: n.trunk_enis,
        branch_eni_pods_per_node: n.branch_pods_served,
        branch_eni_pods_pending_per_node: n.branch_pods_pending,
        ipv6_pod_prefixes_per_node: u32::from(n.mode == Mode::Ipv6),
        ips_per_eni_list: if listed {
            n.ip_fill()
        } else {
            EniFill::default()
        },
        prefixes_per_eni: if listed && n.mode == Mode::PrefixDelegation {
            n.cidr_fill()
        } else {
            EniFill::default()
        },
        ips_total: times(n.subnet_ips(), g.instances),
        node_subnet_ips_total: times(n.node_subnet_ips, g.instances),
        pod_subnet_ips_total: times(n.pod_subnet_ips, g.instances),
        pods_total: times(served, g.instances),
        pods_without_ip_total: times(n.pods_without_ip, g.instances),
    };
    Ok((use_, n))
}

/// Warnings about a type's prefix delegation and trunking, for node group `index`.
fn type_warnings(
    index: u32,
    g: &NodeGroup,
    l: &InstanceLimits,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) {
    let instance_type = || g.instance_type.clone();
    let mut warn = |kind| warnings.add(kind, About::node_group(index));
    if settings.prefix_delegation_requested() && !l.supports_prefix_delegation() {
        warn(WarningKind::NoPrefixDelegation {
            instance_type: instance_type(),
        });
    }
    if g.branch_eni_pods > 0 && !settings.security_groups_for_pods {
        warn(WarningKind::BranchPodsCountedAsPoolPods {
            instance_type: instance_type(),
        });
    }
    if settings.security_groups_for_pods {
        match (l.trunking_compatible, l.branch_interfaces) {
            // Said only where it matters: pods that ask for a branch ENI.
            (Some(false), _) if g.branch_eni_pods > 0 => warn(WarningKind::NotTrunkingCompatible {
                instance_type: instance_type(),
            }),
            (Some(false), _) => {}
            (None, _) | (_, None) => warn(WarningKind::TrunkLimitsUnknown {
                instance_type: instance_type(),
            }),
            _ => {}
        }
    }
}

/// Warnings about one node's outcome, for node group `index`.
fn node_warnings(
    index: u32,
    g: &NodeGroup,
    n: &NodeUse,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) {
    let instance_type = || g.instance_type.clone();
    let mut warn = |kind| warnings.add(kind, About::node_group(index));
    if n.branch_pods_pending > 0 {
        let why = if n.trunk_enis == 0 {
            if settings.max_eni == Some(1) && !settings.ipv6() {
                PendingWhy::MaxEni1NoTrunkSlot
            } else {
                PendingWhy::NoTrunk
            }
        } else {
            match n.branch_cap {
                Some(cap) if n.branch_pods_served >= cap => PendingWhy::PastBranchEnis { cap },
                _ => PendingWhy::PastMaxPods {
                    max_pods: n.max_pods,
                },
            }
        };
        warn(WarningKind::BranchPodsPending {
            instance_type: instance_type(),
            pods: n.branch_pods_pending,
            why,
        });
    }
    let pool_without = n.pods_without_ip - n.branch_pods_pending;
    if pool_without > 0 {
        warn(WarningKind::PodsWithoutIp {
            instance_type: instance_type(),
            pods: pool_without,
            max_pods: n.max_pods,
        });
    }
    if n.oscillating {
        warn(WarningKind::PoolOscillates {
            instance_type: instance_type(),
            low: n.oscillation_low_ips.unwrap_or(0),
            high: n.subnet_ips(),
        });
    }
}
