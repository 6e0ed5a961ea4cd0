//! Security groups for pods: the trunk ENI and its branch ENIs.
//!
//! The VPC resource controller attaches a trunk ENI only to types it marks trunking-compatible
//! (`IsTrunkingCompatible` in aws/amazon-vpc-resource-controller-k8s `pkg/aws/vpc/limits.go`,
//! checked in `pkg/provider/branch/provider.go` 477-492; no `t` family type, not every Nitro
//! type), and advertises `vpc.amazonaws.com/pod-eni` capacity equal to the type's
//! `BranchInterface` (`provider.go` 261-276; `trunk/trunk.go` 725-738 refuses more). A pod
//! with a security group policy asks for that resource, so on a type without a trunk, and past
//! the branch limit, it stays Pending: no address. Each branch ENI takes one IPv4 address from
//! the node's subnet (the ENIConfig's under custom networking; `trunk.go` 432-447), and the
//! trunk one more.
//!
//! ipamd keeps one ENI slot for the trunk while `ENABLE_POD_ENI` is on and the type is
//! compatible (amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` 2594-2595; a type missing from its copy of
//! the controller's table counts as compatible, `pkg/awsutils/awsutils.go` 2036-2038). With
//! `MAX_ENI=1` that slot is kept although no trunk can ever come (`ipamd.go` 1469-1471: "No slot
//! available for a trunk ENI"), and the primary ENI is still filled (`ipamd.go` 983). In IPv6 the
//! trunk slot checks are IPv4-only (`ipamd.go` 1469, 797) and `MAX_ENI` does nothing: the trunk
//! is attached whenever the type has a second ENI.

use super::node_inputs::{PodLoad, Trunking};
use super::settings::EffectiveSettings;

/// What security groups for pods do to one node's ENIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrunkPlan {
    /// Whether the trunk ENI is attached.
    pub attached: bool,
    /// ENIs ipamd may attach beside the primary (after `MAX_ENI` and the trunk's slot).
    pub more_enis: u32,
    /// Branch ENIs the trunk takes (`None`: not known, no cap); 0 without a trunk.
    pub branch_cap: Option<u32>,
}

impl Trunking {
    /// The plan for a node with `e_inst` ENIs, `e` after `MAX_ENI`.
    pub fn plan(&self, settings: &EffectiveSettings, e_inst: u32, e: u32) -> TrunkPlan {
        let ipv6 = settings.ipv6();
        let wanted = settings.security_groups_for_pods && self.compatible.unwrap_or(true);
        // ipamd's slot for the trunk, kept whether or not a trunk can come (IPv4 only).
        let reserved = wanted && !ipv6;
        let attached = wanted && if ipv6 { e_inst >= 2 } else { e >= 2 };
        TrunkPlan {
            attached,
            more_enis: e.saturating_sub(1).saturating_sub(u32::from(reserved)),
            branch_cap: if attached {
                self.branch_interfaces
            } else {
                Some(0)
            },
        }
    }
}

/// Branch-ENI pods on one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Branches {
    /// Branch pods that get their branch ENI (and its address).
    pub served: u32,
    /// Branch pods that stay Pending: no trunk, over the branch limit, or over max pods.
    pub pending: u32,
    /// Max-pods room left for pool pods.
    pub room_left: u32,
}

impl Branches {
    /// Places a node's pods: branch pods first (when security groups for pods is on; else they
    /// are ordinary pool pods), within max pods less the hostNetwork pods. Returns the pool pods
    /// asked for, and the branch pods' outcome.
    pub fn place(
        plan: &TrunkPlan,
        settings: &EffectiveSettings,
        pods: PodLoad,
        max_pods: u32,
    ) -> (u32, Branches) {
        let (branch_req, pool_req) = if settings.security_groups_for_pods {
            (pods.branch_eni_pods, pods.pool_pods)
        } else {
            (0, pods.pool_pods.saturating_add(pods.branch_eni_pods))
        };
        let room = max_pods.saturating_sub(pods.host_network_pods);
        let servable = branch_req.min(plan.branch_cap.unwrap_or(u32::MAX));
        let served = servable.min(room);
        (
            pool_req,
            Branches {
                served,
                pending: branch_req - served,
                room_left: room - served,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::IpFamily;

    fn sgp(family: IpFamily) -> EffectiveSettings {
        EffectiveSettings {
            security_groups_for_pods: true,
            ip_family: family,
            ..EffectiveSettings::default()
        }
    }

    const M5_LARGE: Trunking = Trunking {
        compatible: Some(true),
        branch_interfaces: Some(9),
    };
    const T3_MEDIUM: Trunking = Trunking {
        compatible: Some(false),
        branch_interfaces: Some(0),
    };

    #[test]
    fn a_compatible_type_takes_a_trunk_in_a_reserved_slot() {
        // limits.go 7249-7253: m5.large, 3 ENIs, trunking-compatible, 9 branch ENIs.
        let plan = M5_LARGE.plan(&sgp(IpFamily::Ipv4), 3, 3);
        assert_eq!(
            plan,
            TrunkPlan {
                attached: true,
                more_enis: 1,
                branch_cap: Some(9)
            }
        );
    }

    #[test]
    fn an_incompatible_type_keeps_every_eni_and_gets_no_trunk() {
        // limits.go 16524-16528: t3.medium is Nitro but not trunking-compatible.
        let plan = T3_MEDIUM.plan(&sgp(IpFamily::Ipv4), 3, 3);
        assert_eq!(
            plan,
            TrunkPlan {
                attached: false,
                more_enis: 2,
                branch_cap: Some(0)
            }
        );
    }

    #[test]
    fn max_eni_1_keeps_the_slot_but_no_trunk_comes() {
        // ipamd.go 2594-2595 and 1469-1471.
        let plan = M5_LARGE.plan(&sgp(IpFamily::Ipv4), 3, 1);
        assert_eq!((plan.attached, plan.more_enis), (false, 0));
    }

    #[test]
    fn in_ipv6_max_eni_does_not_remove_the_trunk() {
        let plan = M5_LARGE.plan(&sgp(IpFamily::Ipv6), 3, 1);
        assert!(plan.attached);
    }

    #[test]
    fn unknown_trunking_is_taken_as_compatible_without_a_cap() {
        let plan = Trunking::default().plan(&sgp(IpFamily::Ipv4), 3, 3);
        assert_eq!((plan.attached, plan.branch_cap), (true, None));
    }

    #[test]
    fn branch_pods_past_the_limit_or_without_a_trunk_are_pending() {
        let on = sgp(IpFamily::Ipv4);
        let load = PodLoad {
            pool_pods: 5,
            host_network_pods: 2,
            branch_eni_pods: 12,
        };
        let (pool, b) = Branches::place(&M5_LARGE.plan(&on, 3, 3), &on, load, 29);
        assert_eq!((pool, b.served, b.pending, b.room_left), (5, 9, 3, 18));
        let (_, b) = Branches::place(&T3_MEDIUM.plan(&on, 3, 3), &on, load, 17);
        assert_eq!((b.served, b.pending, b.room_left), (0, 12, 15));
        // With the feature off, branch pods are ordinary pool pods.
        let off = EffectiveSettings::default();
        let (pool, b) = Branches::place(&M5_LARGE.plan(&off, 3, 3), &off, load, 29);
        assert_eq!((pool, b.served, b.pending), (17, 0, 0));
    }
}
