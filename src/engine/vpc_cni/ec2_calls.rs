//! ipamd's EC2 calls: how many calls a node's ipamd makes to grow its pool from boot to its
//! steady state, derived from the model's own allocation ([`NodeUse`]). Fewer calls mean pods
//! that start without waiting for EC2, and less risk of throttling.
//!
//! The rule (aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` and `pkg/awsutils/awsutils.go`): every
//! growth step is one *chunk*, either a top-up of an attached ENI (one
//! `AssignPrivateIpAddresses`, ipamd.go 1115-1175 for addresses, 1217-1264 for prefixes;
//! awsutils.go 2044-2094) or a new ENI created already holding its chunk
//! (`CreateNetworkInterface`, `AttachNetworkInterface` and `ModifyNetworkInterfaceAttribute` for
//! delete-on-termination: ipamd.go 1050-1100, awsutils.go 978-1019, 1090-1092). A chunk never
//! spans two ENIs, so with `Nnew` new ENIs the mutating calls are `chunks + 2·Nnew`. Each new ENI
//! also reads: `DescribeInstances` once (awsutils.go 930-936) and `DescribeSubnets` twice with
//! subnet discovery on, the default (awsutils.go 1156, 1238; ipamd.go 1297), once under custom
//! networking.
//!
//! Chunks, with pods arriving one at a time: under `WARM_ENI_TARGET` (no warm IP targets, no
//! prefixes) every pod ENI is filled by one chunk, so `chunks = Np`; otherwise boot fills its
//! `boot` CIDRs one ENI at a time and every later CIDR is its own chunk:
//! `chunks = ceil(boot / S) + (C − boot)`. Calls made once per node whatever the settings
//! (describing the primary ENI, tagging it) are left out; IPv6 nodes keep no IPv4 pool: 0.

use serde::Serialize;

use super::pool::NodeUse;
use super::settings::EffectiveSettings;
use crate::evaluation::Mode;

/// `DescribeSubnets` calls per new ENI with subnet discovery on (ipamd's default).
const DESCRIBE_SUBNETS_PER_ENI: u32 = 2;

/// The EC2 calls one node's ipamd makes from boot to its steady state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Ec2Calls {
    /// Calls that change something: `AssignPrivateIpAddresses`, `CreateNetworkInterface`,
    /// `AttachNetworkInterface`, `ModifyNetworkInterfaceAttribute`.
    pub mutating: u32,
    /// Calls that read: `DescribeInstances` and `DescribeSubnets`, per new ENI.
    pub read: u32,
    /// ENIs ipamd creates and attaches (`Nnew`).
    pub new_enis: u32,
}

/// The EC2 calls of a node whose pool the model worked out as `node`, under `settings`.
pub fn ec2_calls(node: &NodeUse, settings: &EffectiveSettings) -> Ec2Calls {
    if node.mode == Mode::Ipv6 || node.pod_enis == 0 {
        return Ec2Calls::default();
    }
    let on_primary = u32::from(!settings.custom_networking_applies());
    let new_enis = node.pod_enis.saturating_sub(on_primary);
    let chunks = if node.mode == Mode::SecondaryIp && !settings.warm_ip_targets_defined() {
        u64::from(node.pod_enis)
    } else {
        let boot = node.closed_form.boot.min(u64::from(node.cidrs));
        boot.div_ceil(u64::from(node.slots_per_eni.max(1))) + (u64::from(node.cidrs) - boot)
    };
    let describe_subnets = if settings.custom_networking_applies() {
        1
    } else {
        DESCRIBE_SUBNETS_PER_ENI
    };
    let mutating = chunks.saturating_add(2 * u64::from(new_enis));
    Ec2Calls {
        mutating: u32::try_from(mutating).unwrap_or(u32::MAX),
        read: new_enis.saturating_mul(1 + describe_subnets),
        new_enis,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{NodeLimits, PodLoad, Trunking, node};
    use super::*;

    fn limits(max_enis: u32, ipv4_per_eni: u32, max_pods: u32) -> NodeLimits {
        NodeLimits {
            max_enis,
            ipv4_per_eni,
            max_pods,
            prefix_delegation_supported: true,
            trunking: Trunking::default(),
        }
    }

    fn calls(limits: NodeLimits, settings: EffectiveSettings, pods: u32) -> Ec2Calls {
        ec2_calls(&node(limits, &settings, PodLoad::pool(pods)), &settings)
    }

    const M5_LARGE: (u32, u32, u32) = (3, 10, 29);

    #[test]
    fn warm_eni_target_fills_each_eni_in_one_chunk() {
        // m5.large, 20 pods: the primary topped up once, two ENIs created full.
        let (e, l, mp) = M5_LARGE;
        let c = calls(limits(e, l, mp), EffectiveSettings::default(), 20);
        assert_eq!((c.mutating, c.read, c.new_enis), (7, 6, 2));
    }

    #[test]
    fn warm_ip_targets_add_one_chunk_per_address_after_boot() {
        // t3.small (3 ENIs, 4 addresses each, 11 max pods), WARM_IP_TARGET=2,
        // MINIMUM_IP_TARGET=5: upstream's table row "5 pods, 3 ENIs, 7 IPs, 3,3,1"
        // (docs/eni-and-ip-target.md): Assign 3, Create with 2, Assign 1, Create with 1.
        let settings = EffectiveSettings {
            warm_ip_target: 2,
            minimum_ip_target: 5,
            ..EffectiveSettings::default()
        };
        let five = calls(limits(3, 4, 11), settings, 5);
        assert_eq!((five.mutating, five.new_enis), (8, 2));
        assert_eq!(calls(limits(3, 4, 11), settings, 9).mutating, 10);
    }

    #[test]
    fn prefixes_add_one_chunk_per_prefix_after_boot() {
        let settings = EffectiveSettings {
            prefix_delegation: true,
            ..EffectiveSettings::default()
        };
        // m5.large with prefixes, 110 max pods: 50 pods hold 5 prefixes on the primary.
        let (e, l, _) = M5_LARGE;
        assert_eq!(
            calls(limits(e, l, 110), settings, 50),
            Ec2Calls {
                mutating: 5,
                read: 0,
                new_enis: 0,
            }
        );
        // 100 pods: growth stops at max pods' worth, 7 prefixes.
        assert_eq!(calls(limits(e, l, 110), settings, 100).mutating, 7);
    }

    #[test]
    fn custom_networking_creates_every_pod_eni() {
        let settings = EffectiveSettings {
            custom_networking: true,
            ..EffectiveSettings::default()
        };
        let (e, l, mp) = M5_LARGE;
        // 15 pods on the two secondary ENIs, each created full: 2 × 3 calls, 2 × 2 reads.
        let c = calls(limits(e, l, mp), settings, 15);
        assert_eq!((c.mutating, c.read, c.new_enis), (6, 4, 2));
    }
}
