//! AWS subnet rules applied to a scenario: how a node group's instances spread over a subnet
//! list (one subnet per Availability Zone), each subnet's use, and the warnings about /28 blocks
//! for prefixes. The arithmetic itself (usable addresses, aligned /28 blocks, the shared
//! specification's §8) is [`crate::scenario::subnet`]'s.

use crate::engine::{sizing, usage};
use crate::evaluation::SubnetUse;
use crate::scenario::subnet::{aws_prefix_blocks, aws_usable};
use crate::scenario::{Subnet, SubnetRole};
use crate::warning::{About, WarningKind, Warnings};

use super::node_group::times;

/// Per-subnet running totals.
#[derive(Default, Clone, Copy)]
pub(super) struct Tally {
    pub nodes: i64,
    pub used: i64,
    pub prefixes: i64,
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

/// Adds a node group's `instances` nodes, of `ips` addresses and `prefixes` /28 prefixes each,
/// to the subnets of a list, spread as [`spread`] says.
pub(super) fn tally(tallies: &mut [Tally], instances: u32, ips: u32, prefixes: u32) {
    let counts = spread(instances, tallies.len());
    for (t, count) in tallies.iter_mut().zip(counts) {
        t.nodes += i64::from(count);
        t.used = t.used.saturating_add(times(ips, count));
        t.prefixes = t.prefixes.saturating_add(times(prefixes, count));
    }
}

/// Every node and pod subnet's use, with the prefix-block warnings; and the usable addresses of
/// the node subnets and of the pod subnets.
pub(super) fn uses(
    nodes: &[Subnet],
    node_tally: &[Tally],
    pods: &[Subnet],
    pod_tally: &[Tally],
    prefix_delegation: bool,
    custom_networking: bool,
    warnings: &mut Warnings,
) -> (Vec<SubnetUse>, i64, i64) {
    let mut out = Vec::with_capacity(nodes.len() + pods.len());
    let (mut node_ips, mut pod_ips) = (0i64, 0i64);
    for (role, list, tally) in [
        (SubnetRole::Node, nodes, node_tally),
        (SubnetRole::Pod, pods, pod_tally),
    ] {
        for (index, (s, t)) in (0u32..).zip(list.iter().zip(tally)) {
            let ips = aws_usable(s.prefix_len);
            if role == SubnetRole::Node {
                node_ips = node_ips.saturating_add(ips);
            } else {
                pod_ips = pod_ips.saturating_add(ips);
            }
            // Prefixes come from the subnet their ENIs are in: the pod subnet under custom
            // networking, else the node subnet.
            let blocks = prefix_delegation && (role == SubnetRole::Pod || !custom_networking);
            let (available, needed) = if blocks {
                (Some(aws_prefix_blocks(s.prefix_len)), Some(t.prefixes))
            } else {
                (None, None)
            };
            if let (Some(available), Some(needed)) = (available, needed) {
                prefix_warnings(
                    warnings,
                    About::subnet(role, index),
                    s,
                    available,
                    needed,
                    t.used.saturating_sub(needed.saturating_mul(16)),
                );
            }
            out.push(SubnetUse {
                subnet: *s,
                prefix_len: s.prefix_len,
                ips,
                used_ips: t.used,
                remaining_ips: ips.saturating_sub(t.used),
                role,
                nodes: t.nodes,
                prefix_blocks_available: available,
                prefix_blocks_needed: needed,
                min_prefix: sizing::vpc_cni_min_prefix(t.used, needed.unwrap_or(0)),
                use_pct: usage::subnet_use_pct(ips, t.used, needed, available).map(|(p, _)| p),
                short: usage::subnet_is_short(ips, t.used, needed, available),
            });
        }
    }
    (out, node_ips, pod_ips)
}

/// Warns when a subnet cannot give the /28 blocks its prefixes need, or could not once its other
/// addresses (`singles`) each break a block.
pub(super) fn prefix_warnings(
    warnings: &mut Warnings,
    about: About,
    subnet: &Subnet,
    available: i64,
    needed: i64,
    singles: i64,
) {
    if needed <= 0 {
        return;
    }
    if needed > available {
        warnings.add(
            WarningKind::PrefixBlocksShort {
                subnet: *subnet,
                needed,
                available,
            },
            about,
        );
    } else if needed.saturating_add(singles) > available {
        // Smallest power-of-two run of /28 blocks holding `needed`.
        let mut bits = 0u32;
        while (1i64 << bits) < needed {
            bits += 1;
        }
        let len = 28u32.saturating_sub(bits);
        warnings.add(
            WarningKind::PrefixBlocksFragmented {
                subnet: *subnet,
                needed,
                available,
                singles,
                reserve: len,
            },
            about,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_spread_evenly_over_the_subnet_list() {
        assert_eq!(spread(7, 3), vec![3, 2, 2]);
        assert_eq!(spread(2, 3), vec![1, 1, 0]);
        assert_eq!(spread(0, 2), vec![0, 0]);
        assert!(spread(5, 0).is_empty());
    }
}
