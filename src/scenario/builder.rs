//! Scenarios built in code: [`Scenario::builder`] and [`NodeGroup::new`].
//!
//! The readers build scenarios from files; a program or a test that makes one itself starts
//! from an id and names only what differs from the defaults a blank CSV cell gives (no pod
//! subnet, every VPC CNI setting unset, no host-networking or daemonset pods, the default
//! max-pods rule):
//!
//! ```
//! use subnet_calc::scenario::{NodeGroup, Scenario, Subnet};
//!
//! let s = Scenario::builder("demo")
//!     .subnet(Subnet::of_size(24))
//!     .warm_eni_target(1)
//!     .node_group(NodeGroup::new("c5.2xlarge", 3, 20))
//!     .node_group(NodeGroup::new("m5.large", 2, 10).max_pods(29).branch_eni_pods(2))
//!     .build();
//! assert_eq!(s.cni.warm_eni_target, Some(1));
//! assert_eq!(s.node_groups[1].max_pods, Some(29));
//! assert_eq!(s.daemonset_pods, 0);
//! ```
//!
//! `build` checks nothing: a scenario without a subnet or a node group is one no reader gives,
//! and the engine answers it with a warning or an error status rather than figures.

use std::sync::Arc;

use super::{CniSettings, IpFamily, MaxPodsRule, NodeGroup, Scenario, Subnet};

impl Scenario {
    /// Starts a scenario with the id given and nothing else: add its subnets and node groups,
    /// and any setting that is not the default, then [`build`](ScenarioBuilder::build) it.
    pub fn builder(id: impl Into<Arc<str>>) -> ScenarioBuilder {
        ScenarioBuilder {
            scenario: Scenario {
                id: id.into(),
                subnets: Vec::new(),
                pod_subnets: Vec::new(),
                cni: CniSettings::default(),
                host_networking_ips: 0,
                daemonset_pods: 0,
                max_pods_rule: None,
                node_groups: Vec::new(),
            },
        }
    }
}

/// A [`Scenario`] being built; see [`Scenario::builder`].
///
/// The setters of the VPC CNI settings that may be unset take a value or an `Option`
/// (`.warm_ip_target(3)`, `.warm_ip_target(None)`).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ScenarioBuilder {
    scenario: Scenario,
}

impl ScenarioBuilder {
    /// Adds a node subnet (one per Availability Zone).
    pub fn subnet(mut self, subnet: Subnet) -> Self {
        self.scenario.subnets.push(subnet);
        self
    }

    /// Adds node subnets, in order.
    pub fn subnets(mut self, subnets: impl IntoIterator<Item = Subnet>) -> Self {
        self.scenario.subnets.extend(subnets);
        self
    }

    /// Adds a custom-networking pod subnet (`pod_subnet_cidr`).
    pub fn pod_subnet(mut self, subnet: Subnet) -> Self {
        self.scenario.pod_subnets.push(subnet);
        self
    }

    /// Adds custom-networking pod subnets, in order.
    pub fn pod_subnets(mut self, subnets: impl IntoIterator<Item = Subnet>) -> Self {
        self.scenario.pod_subnets.extend(subnets);
        self
    }

    /// Replaces every VPC CNI setting at once.
    pub fn cni(mut self, cni: CniSettings) -> Self {
        self.scenario.cni = cni;
        self
    }

    /// `WARM_ENI_TARGET`.
    pub fn warm_eni_target(mut self, target: impl Into<Option<u32>>) -> Self {
        self.scenario.cni.warm_eni_target = target.into();
        self
    }

    /// `WARM_IP_TARGET`.
    pub fn warm_ip_target(mut self, target: impl Into<Option<u32>>) -> Self {
        self.scenario.cni.warm_ip_target = target.into();
        self
    }

    /// `MINIMUM_IP_TARGET`.
    pub fn minimum_ip_target(mut self, target: impl Into<Option<u32>>) -> Self {
        self.scenario.cni.minimum_ip_target = target.into();
        self
    }

    /// `WARM_PREFIX_TARGET`.
    pub fn warm_prefix_target(mut self, target: impl Into<Option<u32>>) -> Self {
        self.scenario.cni.warm_prefix_target = target.into();
        self
    }

    /// `ENABLE_PREFIX_DELEGATION`.
    pub fn prefix_delegation(mut self, on: bool) -> Self {
        self.scenario.cni.prefix_delegation = on;
        self
    }

    /// `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`.
    pub fn custom_networking(mut self, on: bool) -> Self {
        self.scenario.cni.custom_networking = on;
        self
    }

    /// `ENABLE_POD_ENI` (security groups for pods).
    pub fn security_groups_for_pods(mut self, on: bool) -> Self {
        self.scenario.cni.security_groups_for_pods = on;
        self
    }

    /// `MAX_ENI`.
    pub fn max_eni(mut self, max: impl Into<Option<u32>>) -> Self {
        self.scenario.cni.max_eni = max.into();
        self
    }

    /// The cluster's IP family.
    pub fn ip_family(mut self, family: IpFamily) -> Self {
        self.scenario.cni.ip_family = family;
        self
    }

    /// Host-networking addresses per node.
    pub fn host_networking_ips(mut self, ips: u32) -> Self {
        self.scenario.host_networking_ips = ips;
        self
    }

    /// Daemonset pods per node that need a VPC address.
    pub fn daemonset_pods(mut self, pods: u32) -> Self {
        self.scenario.daemonset_pods = pods;
        self
    }

    /// The rule that gives max pods to node groups without their own.
    pub fn max_pods_rule(mut self, rule: impl Into<Option<MaxPodsRule>>) -> Self {
        self.scenario.max_pods_rule = rule.into();
        self
    }

    /// Adds a node group.
    pub fn node_group(mut self, group: NodeGroup) -> Self {
        self.scenario.node_groups.push(group);
        self
    }

    /// Adds node groups, in order.
    pub fn node_groups(mut self, groups: impl IntoIterator<Item = NodeGroup>) -> Self {
        self.scenario.node_groups.extend(groups);
        self
    }

    /// The scenario.
    pub fn build(self) -> Scenario {
        self.scenario
    }
}

impl NodeGroup {
    /// A node group of `instances` nodes of `instance_type`, each running `pods_per_node`
    /// workload pods, with max pods left to the model and no branch-ENI pods.
    pub fn new(instance_type: impl Into<Arc<str>>, instances: u32, pods_per_node: u32) -> Self {
        NodeGroup {
            instance_type: instance_type.into(),
            instances,
            pods_per_node,
            max_pods: None,
            branch_eni_pods: 0,
        }
    }

    /// With kubelet's `--max-pods` given (or, with `None`, left to the model).
    #[must_use]
    pub fn max_pods(mut self, max_pods: impl Into<Option<u32>>) -> Self {
        self.max_pods = max_pods.into();
        self
    }

    /// With this many pods per node on branch ENIs (security groups for pods).
    #[must_use]
    pub fn branch_eni_pods(mut self, pods: u32) -> Self {
        self.branch_eni_pods = pods;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_scenario_holds_what_was_set_and_the_blank_cell_defaults_elsewhere() {
        let s = Scenario::builder("b")
            .subnets(["10.0.0.0/24".parse().unwrap(), Subnet::of_size(22)])
            .pod_subnet(Subnet::of_size(20))
            .warm_ip_target(3)
            .minimum_ip_target(None)
            .prefix_delegation(true)
            .ip_family(IpFamily::Ipv6)
            .daemonset_pods(2)
            .max_pods_rule(MaxPodsRule::Table)
            .node_groups([NodeGroup::new("m5.large", 2, 10).max_pods(20)])
            .build();
        assert_eq!(&*s.id, "b");
        assert_eq!(super::super::format_subnets(&s.subnets), "10.0.0.0/24;22");
        assert_eq!(s.pod_subnets, [Subnet::of_size(20)]);
        assert_eq!(
            s.cni,
            CniSettings {
                warm_ip_target: Some(3),
                prefix_delegation: true,
                ip_family: IpFamily::Ipv6,
                ..CniSettings::default()
            }
        );
        assert_eq!((s.host_networking_ips, s.daemonset_pods), (0, 2));
        assert_eq!(s.max_pods_rule, Some(MaxPodsRule::Table));
        assert_eq!(
            s.node_groups,
            [NodeGroup {
                instance_type: "m5.large".into(),
                instances: 2,
                pods_per_node: 10,
                max_pods: Some(20),
                branch_eni_pods: 0,
            }]
        );
    }
}
