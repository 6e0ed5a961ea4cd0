//! What [`node`](super::node) is given about one node: the instance type's limits
//! ([`NodeLimits`], with its [`Trunking`]) and the pods it runs ([`PodLoad`]). Plain inputs,
//! imported by the rules that read them (the pool, the trunk).

/// A type's trunking as the catalogue knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Trunking {
    /// Whether the resource controller attaches a trunk ENI to the type; `None` when the
    /// catalogue does not say (taken as compatible, as ipamd takes a type its table lacks).
    pub compatible: Option<bool>,
    /// Branch ENIs a node of the type takes; `None` when the catalogue does not say (no cap).
    pub branch_interfaces: Option<u32>,
}

/// What [`node`](super::node) needs to know about the instance.
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
    /// Whether the type takes a trunk ENI, and how many branch ENIs (security groups for pods).
    pub trunking: Trunking,
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
