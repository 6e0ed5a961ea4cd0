//! One node group under the vpc-cni model: its node's steady state ([`super::node`]), its max
//! pods ([`super::max_pods`]), the group's figures ([`NodeGroupUse`]) and the warnings about its
//! type and its node.

use crate::catalog::InstanceLimits;
use crate::evaluation::{EniFill, Mode, NodeGroupUse};
use crate::scenario::{NodeGroup, Scenario};
use crate::warning::{Warning, Warnings};

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

/// One node group under the model: its node's steady state and the group's figures.
pub(super) fn group_use(
    g: &NodeGroup,
    l: &InstanceLimits,
    scenario: &Scenario,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) -> Result<(NodeGroupUse, NodeUse), NoFigures> {
    type_warnings(g, l, settings, warnings);
    let (max_pods, source) =
        max_pods::for_group(g, l, scenario, settings, warnings).map_err(NoFigures::Error)?;
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
    node_warnings(g, &n, settings, warnings);
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

/// Warnings about a type's prefix delegation and trunking.
fn type_warnings(
    g: &NodeGroup,
    l: &InstanceLimits,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) {
    let name = &g.instance_type;
    if settings.prefix_delegation_requested() && !l.supports_prefix_delegation() {
        warnings.add(Warning::NoPrefixDelegation {
            instance_type: name.clone(),
        });
    }
    if g.branch_eni_pods > 0 && !settings.security_groups_for_pods {
        warnings.add(format!(
            "{name}: branch_eni_pods counted as ordinary pods (security groups for pods is off)"
        ));
    }
    if settings.security_groups_for_pods {
        match (l.trunking_compatible, l.branch_interfaces) {
            // Said only where it matters: pods that ask for a branch ENI.
            (Some(false), _) if g.branch_eni_pods > 0 => warnings.add(format!(
                "{name}: not trunking-compatible (the VPC resource controller's limits): no trunk \
                     ENI, so pods with security groups stay Pending on it"
            )),
            (Some(false), _) => {}
            (None, _) | (_, None) => warnings.add(format!(
                "{name}: trunk and branch ENI limits unknown (no catalogue gives them, \
                     the resource controller's table included: give is_trunking_compatible and \
                     branch_interface with --catalog); assumed trunking-compatible with no cap \
                     on branch ENIs"
            )),
            _ => {}
        }
    }
}

/// Warnings about one node's outcome.
fn node_warnings(
    g: &NodeGroup,
    n: &NodeUse,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) {
    let name = &g.instance_type;
    let plural = |n: u32, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if n.branch_pods_pending > 0 {
        let why = if n.trunk_enis == 0 {
            if settings.max_eni == Some(1) && !settings.ipv6() {
                "MAX_ENI=1 leaves no slot for a trunk ENI".to_owned()
            } else {
                "no trunk ENI".to_owned()
            }
        } else {
            match n.branch_cap {
                Some(cap) if n.branch_pods_served >= cap => {
                    format!("past its {cap} branch ENIs")
                }
                _ => format!("past max pods {}", n.max_pods),
            }
        };
        warnings.add(format!(
            "{name}: {} per node {} Pending without an IP ({why})",
            plural(n.branch_pods_pending, "branch-ENI pod", "branch-ENI pods"),
            if n.branch_pods_pending == 1 {
                "stays"
            } else {
                "stay"
            }
        ));
    }
    let pool_without = n.pods_without_ip - n.branch_pods_pending;
    if pool_without > 0 {
        warnings.add(Warning::PodsWithoutIp {
            instance_type: name.clone(),
            pods: pool_without,
            max_pods: n.max_pods,
        });
    }
    if n.oscillating {
        warnings.add(Warning::Oscillating {
            instance_type: name.clone(),
            low: n.oscillation_low_ips.unwrap_or(0),
            high: n.subnet_ips(),
        });
    }
}
