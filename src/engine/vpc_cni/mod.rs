//! The `vpc-cni` model: how many subnet addresses the Amazon VPC CNI's ipamd really takes.
//!
//! The legacy workbook multiplies pods by "IPs per ENI"; ipamd instead keeps a pool of
//! secondary IPv4 addresses or /28 prefixes on the node's ENIs, sized by its warm targets. This
//! model reproduces the steady state that pool converges to after a node scales up from empty,
//! node by node, and sums it over node groups and subnets. It follows three upstreams that change
//! independently, one module each:
//!
//! - [`pool`]: ipamd's warm pool (the shared specification's §6 closed form), ENI by ENI;
//! - [`trunk`]: security groups for pods, the VPC resource controller's trunk and branch ENIs;
//! - [`max_pods`]: the EKS AMI's max-pods calculator and `eni-max-pods.txt`;
//! - [`subnets`]: AWS's subnet rules (reserved addresses, aligned /28 blocks);
//!
//! with [`settings`] for the CNI settings as ipamd reads them and the configurations it refuses.
//! `node_group.rs` puts one node group together (its node, its max pods, its figures and the
//! warnings about it) from what a node is given (`node_inputs.rs`: [`NodeLimits`], [`PodLoad`]);
//! this module resolves the types, tallies the subnets and sums the groups.
//!
//! # Pods
//!
//! Pods needing a pool address per node are `pods_per_node + daemonset_pods`. Host-networking pods
//! (`host_networking_ips`) use the node's own address and take none, but count against max pods.
//! With security groups for pods, `branch_eni_pods` are pods *in addition* to `pods_per_node`,
//! each with its own branch ENI (one subnet address) outside the pool, placed first; on a type
//! without a trunk, or past the type's branch ENIs, they stay Pending. With the feature off they
//! are counted as ordinary pool pods. Pods over `max pods − host-networking pods` are not
//! scheduled. Pods beyond the pool's addresses (ENI capacity, or a `MINIMUM_IP_TARGET` with
//! `WARM_IP_TARGET = 0`) get no address. All are reported as pods without an IP.
//!
//! # Subnets
//!
//! When a scenario lists several node subnets (one per Availability Zone), each node group's
//! instances are spread evenly over them in list order. Custom networking's pod subnets are spread
//! the same way, independently. Under custom networking the node subnet pays one address per node
//! and the pod subnet the pod ENIs (their primaries and pool addresses), and the trunk and branch
//! ENIs (created in the ENIConfig's subnet); otherwise everything comes from the node subnet.
//!
//! # Refused configurations
//!
//! A configuration ipamd refuses to start with (IPv6 with custom networking, IPv6 on a type that
//! cannot use prefixes, custom networking without an ENI for pods) is evaluated to the status
//! `invalid`, with the reason: a finding about the cluster, not bad input.

pub mod ec2_calls;
pub mod max_pods;
mod node_group;
mod node_inputs;
pub mod pool;
pub mod settings;
pub mod subnets;
pub mod trunk;

use crate::catalog::{Catalog, InstanceLimits};
use crate::engine::{sizing, usage};
use crate::evaluation::{
    Evaluation, Mode, Model, NodeGroupResults, NodeGroupUse, Status, SubnetUse,
};
use crate::scenario::{Scenario, Subnet, SubnetRole};
use crate::warning::{About, WarningKind, Warnings};

pub use max_pods::{CalculatedMaxPods, calculator_for, calculator_max_pods, guessed_vcpus};
pub use node_group::MAX_LISTED_ENIS;
pub use node_inputs::{NodeLimits, PodLoad, Trunking};
pub use pool::{NodeUse, PREFIX_SIZE, node};
pub use settings::EffectiveSettings;
pub use subnets::spread;

use node_group::{NoFigures, group_use};
use subnets::Tally;

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

/// The scenario-level warnings: ignored settings, subnet sizes.
fn scenario_warnings(scenario: &Scenario, settings: &EffectiveSettings, warnings: &mut Warnings) {
    let ipv6 = settings.ipv6();
    let cn = settings.custom_networking_applies();
    let mut warn = |kind| warnings.add(kind, About::Scenario);
    if !cn && !scenario.pod_subnets.is_empty() {
        warn(WarningKind::PodSubnetsIgnored);
    }
    if ipv6 {
        warn(WarningKind::Ipv6PodsNotCounted);
        // ipamd.go 2765-2769 (isConfigValid): IPv6 without ENABLE_PREFIX_DELEGATION=true is
        // refused. A blank setting cannot be told from `false` here, and an IPv6 cluster's
        // manifest sets it, so the scenario is evaluated as a working IPv6 cluster, with a word.
        if !scenario.cni.prefix_delegation {
            warn(WarningKind::Ipv6WithoutPrefixDelegation);
        }
    }
    if scenario.subnets.is_empty() {
        warn(WarningKind::NoNodeSubnet);
    }
    let pod_subnets: &[Subnet] = if cn { &scenario.pod_subnets } else { &[] };
    let lists = [
        (SubnetRole::Node, &scenario.subnets[..]),
        (SubnetRole::Pod, pod_subnets),
    ];
    for (role, list) in lists {
        for (index, s) in (0u32..).zip(list) {
            if !(16..=28).contains(&s.prefix_len) {
                warnings.add(
                    WarningKind::SubnetSizeOutsideAws { subnet: *s },
                    About::subnet(role, index),
                );
            }
        }
    }
    if cn && pod_subnets.is_empty() {
        warnings.add(
            WarningKind::CustomNetworkingWithoutPodSubnet,
            About::Scenario,
        );
    }
}

/// The smallest node and pod subnets, and the nodes of the largest group that still fit (see
/// [`sizing`]). Without a pod subnet given, the pod subnet's size is worked out from what the
/// scenario takes from it, and the headroom is not known.
fn sizing_of(
    subnets: &[SubnetUse],
    groups: &[NodeGroupUse],
    custom_networking: bool,
    no_pod_subnet: bool,
    pod_used: i64,
) -> (Option<u8>, Option<u8>, Option<i64>) {
    let of_role = |role: SubnetRole| subnets.iter().filter(move |u| u.role == role);
    let shortest = |role| of_role(role).map(|u| u.min_prefix).min().flatten();
    let node_min = shortest(SubnetRole::Node);
    let pod_min = match (custom_networking, no_pod_subnet) {
        (false, _) => None,
        (true, false) => shortest(SubnetRole::Pod),
        (true, true) => {
            let prefixes = groups
                .iter()
                .map(|g| i64::from(g.prefixes_per_node) * i64::from(g.instances))
                .sum();
            sizing::vpc_cni_min_prefix(pod_used, prefixes)
        }
    };
    let largest = groups.iter().reduce(|best, g| {
        if g.instances > best.instances {
            g
        } else {
            best
        }
    });
    let headroom = largest.and_then(|g| {
        let fit = |role, per_node| -> i64 {
            let fits: Vec<i64> = of_role(role)
                .map(|u| sizing::nodes_that_fit(u, per_node))
                .collect();
            sizing::spread_headroom(&fits, g.instances)
        };
        if subnets.iter().any(|u| u.short) {
            return Some(0);
        }
        let nodes = fit(SubnetRole::Node, g.node_subnet_ips_per_node);
        if !custom_networking {
            return Some(nodes);
        }
        (!no_pod_subnet).then(|| nodes.min(fit(SubnetRole::Pod, g.pod_subnet_ips_per_node)))
    });
    (node_min, pod_min, headroom)
}

/// Evaluates a scenario with the vpc-cni model.
pub fn evaluation(scenario: &Scenario, catalog: &Catalog) -> Evaluation {
    let failed = |status, message| Evaluation::failed(scenario, Model::VpcCni, status, message);
    let limits = match resolve(scenario, catalog) {
        Ok(l) => l,
        Err(message) => return failed(Status::Error, message),
    };
    let settings = EffectiveSettings::from_cni(&scenario.cni);
    let cn = settings.custom_networking_applies();
    if let Some(why) = settings::scenario_refusal(&settings) {
        return failed(Status::Invalid, why);
    }
    let mut warnings = Warnings::default();
    scenario_warnings(scenario, &settings, &mut warnings);

    let pod_subnets: &[Subnet] = if cn { &scenario.pod_subnets } else { &[] };
    let mut node_tally = vec![Tally::default(); scenario.subnets.len()];
    let mut pod_tally = vec![Tally::default(); pod_subnets.len()];
    let mut groups = Vec::with_capacity(scenario.node_groups.len());
    let (mut used, mut pod_used, mut pods, mut pods_without) = (0i64, 0i64, 0i64, 0i64);
    for (index, (g, l)) in (0u32..).zip(scenario.node_groups.iter().zip(limits)) {
        let (use_, n) = match group_use(index, g, l, scenario, &settings, &mut warnings) {
            Ok(done) => done,
            Err(NoFigures::Error(why)) => return failed(Status::Error, why),
            Err(NoFigures::Invalid(why)) => return failed(Status::Invalid, why),
        };
        let prefixes = use_.prefixes_per_node;
        subnets::tally(
            &mut node_tally,
            g.instances,
            n.node_subnet_ips,
            if cn { 0 } else { prefixes },
        );
        subnets::tally(&mut pod_tally, g.instances, n.pod_subnet_ips, prefixes);
        used = used.saturating_add(use_.node_subnet_ips_total);
        pod_used = pod_used.saturating_add(use_.pod_subnet_ips_total);
        pods = pods.saturating_add(use_.pods_total);
        pods_without = pods_without.saturating_add(use_.pods_without_ip_total);
        groups.push(use_);
    }

    let pd_any = groups.iter().any(|g| g.mode == Mode::PrefixDelegation);
    let (subnet_uses, subnet_ips, pod_subnet_ips) = subnets::uses(
        &scenario.subnets,
        &node_tally,
        pod_subnets,
        &pod_tally,
        pd_any,
        cn,
        &mut warnings,
    );
    // Custom networking: the pod subnets' figures (their size unknown when none is given).
    let pod_ips = (cn && !pod_subnets.is_empty()).then_some(pod_subnet_ips);
    let pod_used_out = cn.then_some(pod_used);
    let pod_remaining = pod_ips.map(|ips| ips.saturating_sub(pod_used));
    let (min_subnet_prefix, pod_subnet_min_prefix, headroom_nodes) =
        sizing_of(&subnet_uses, &groups, cn, pod_subnets.is_empty(), pod_used);
    // Sums that reached the top of i64 are not figures: absurd instance or pod counts.
    if [used, pods, pods_without, pod_used].contains(&i64::MAX) {
        return failed(
            Status::Error,
            "the figures are too large to compute (check the instance and pod counts)".into(),
        );
    }
    let figures = usage::use_figures(Some(subnet_ips), Some(used), pod_remaining, &subnet_uses);
    Evaluation {
        scenario: scenario.id.clone(),
        model: Model::VpcCni,
        status: Status::Ok,
        hidden: false,
        message: None,
        subnet_ips: Some(subnet_ips),
        used_ips: Some(used),
        remaining_ips: Some(subnet_ips.saturating_sub(used)),
        utilization_pct: figures.utilization_pct,
        fullest_subnet_pct: figures.fullest_subnet_pct,
        fullest_subnet: figures.fullest_subnet,
        out_of_addresses: figures.out_of_addresses,
        pods: Some(pods),
        pods_without_ip: Some(pods_without),
        pod_subnet_ips: pod_ips,
        pod_subnet_used_ips: pod_used_out,
        pod_subnet_remaining_ips: pod_remaining,
        sheet: None,
        min_subnet_prefix,
        pod_subnet_min_prefix,
        headroom_nodes,
        subnets: subnet_uses,
        warnings: warnings.into_vec(),
        comparison: None,
        advice: None,
        node_groups: NodeGroupResults::VpcCni(groups),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_upstream;
