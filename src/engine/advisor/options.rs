//! The advisor's fixed set of options: what each one sets, and when one cannot be weighed.
//!
//! Settings are per cluster (one `aws-node` daemonset), so `MINIMUM_IP_TARGET` takes one value:
//! the pool pods of the busiest node (workload and daemonset pods, and branch-ENI pods when
//! security groups for pods is off and they use pool addresses), as AWS's best-practices guide
//! asks ("closely match the number of Pods you expect to run on your nodes").

use crate::catalog::Catalog;
use crate::evaluation::advice::{AdvisedSettings, NotPossible, OptionId};
use crate::scenario::Scenario;

/// `MINIMUM_IP_TARGET` for the options that set it: the pool pods of the busiest node of a node
/// group with instances; `None` when no node runs pool pods.
pub fn minimum_ip_target(s: &Scenario) -> Option<u32> {
    let sgp = s.cni.security_groups_for_pods;
    s.node_groups
        .iter()
        .filter(|g| g.instances > 0)
        .map(|g| {
            let branch = if sgp { 0 } else { g.branch_eni_pods };
            g.pods_per_node
                .saturating_add(s.daemonset_pods)
                .saturating_add(branch)
        })
        .max()
        .filter(|&m| m > 0)
}

/// The settings option `id` writes for scenario `s`, or why it cannot be weighed.
pub fn settings_for(
    id: OptionId,
    s: &Scenario,
    catalog: &Catalog,
) -> Result<AdvisedSettings, NotPossible> {
    let settings = settings_of(id, s);
    if id == OptionId::Given {
        // The scenario's own settings are evaluated as they are (a refusal is the evaluation's).
        return Ok(settings);
    }
    if settings.custom_networking && s.pod_subnets.is_empty() {
        return Err(NotPossible::NoPodSubnet);
    }
    if settings.prefix_delegation {
        without_prefixes(s, catalog).map_or(Ok(()), Err)?;
    }
    Ok(settings)
}

/// The settings option `id` would write for scenario `s`, possible or not.
pub(super) fn settings_of(id: OptionId, s: &Scenario) -> AdvisedSettings {
    let minimum = minimum_ip_target(s);
    let warm_eni = AdvisedSettings {
        warm_eni_target: Some(1),
        ..AdvisedSettings::default()
    };
    let warm_ip = |w| AdvisedSettings {
        warm_ip_target: Some(w),
        minimum_ip_target: minimum,
        ..AdvisedSettings::default()
    };
    let prefix = AdvisedSettings {
        prefix_delegation: true,
        warm_prefix_target: Some(1),
        ..AdvisedSettings::default()
    };
    let custom = |settings: AdvisedSettings| AdvisedSettings {
        custom_networking: true,
        ..settings
    };
    match id {
        OptionId::Given => AdvisedSettings::of(&s.cni),
        OptionId::WarmEni1 => warm_eni,
        OptionId::WarmIp1 => warm_ip(1),
        OptionId::WarmIp2 => warm_ip(2),
        OptionId::WarmIp5 => warm_ip(5),
        OptionId::Prefix1 => prefix,
        OptionId::PrefixWarmIp2 => AdvisedSettings {
            prefix_delegation: true,
            ..warm_ip(2)
        },
        OptionId::CustomWarmEni1 => custom(warm_eni),
        OptionId::CustomWarmIp2 => custom(warm_ip(2)),
        OptionId::CustomPrefix1 => custom(prefix),
    }
}

/// The first node group whose type cannot use /28 prefixes.
fn without_prefixes(s: &Scenario, catalog: &Catalog) -> Option<NotPossible> {
    s.node_groups.iter().enumerate().find_map(|(i, g)| {
        let limits = catalog.get(&g.instance_type)?;
        (!limits.supports_prefix_delegation()).then(|| NotPossible::NoPrefixes {
            instance_type: g.instance_type.to_string(),
            node_group: i + 1,
            hypervisor: limits.hypervisor.clone(),
        })
    })
}
