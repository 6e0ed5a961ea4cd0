//! The two questions a planner asks after "does it fit?": what subnet size would hold the
//! scenario, and how many more nodes fit in what is left.
//!
//! - **Minimum subnet prefix**: the longest prefix length /n (smallest subnet), at most /28, whose
//!   usable addresses hold what the scenario takes, by the model's own rules. The vpc-cni model
//!   counts `2^(32−n) − 5` usable addresses (AWS reserves five) and, with prefix delegation, needs
//!   enough aligned /28 blocks (`2^(28−n) − 2`) for its prefixes beside its other addresses packed
//!   into whole blocks (as a prefix-type CIDR reservation keeps them); the workbook model reads its
//!   CidrData table, as its B5 does. Each subnet of a list, and custom networking's pod subnet,
//!   gets its own; the scenario's figure is the one every subnet of its list needs (the
//!   shortest). A result below /16 means no single AWS subnet (/16 to /28) can hold it.
//! - **Headroom**: how many more nodes of the scenario's largest node group (the one with the most
//!   instances; the first on a tie) fit in what its subnets have left: each subnet's remaining
//!   addresses (and free /28 blocks, with prefixes) divided by one node's share; over a subnet
//!   list, the most nodes whose even spread over the list fits in every subnet; under custom
//!   networking, the smaller of the node and pod subnets' figures. 0 when out of addresses in any
//!   subnet.

use crate::catalog::Catalog;
use crate::engine::workbook::WorkbookResult;
use crate::evaluation::SubnetUse;
use crate::scenario::subnet::{aws_prefix_blocks, aws_usable, blocks_taken};

/// The smallest subnet AWS allows, /28.
pub const SMALLEST_PREFIX: u8 = 28;

/// The longest prefix length from /28 down for which `fits` holds (it holds for every shorter
/// one once it holds: bigger subnets hold more); `None` when not even /0 fits.
pub fn longest_fitting(fits: impl Fn(u8) -> bool) -> Option<u8> {
    (0..=SMALLEST_PREFIX).rev().find(|&n| fits(n))
}

/// vpc-cni: the smallest subnet (longest prefix, at most /28) holding `used` addresses of which
/// `prefixes` are /28 prefixes (0 without prefix delegation).
pub fn vpc_cni_min_prefix(used: i64, prefixes: i64) -> Option<u8> {
    longest_fitting(|n| {
        aws_usable(n) >= used
            && (prefixes <= 0 || aws_prefix_blocks(n) >= blocks_taken(used, prefixes))
    })
}

/// Workbook model: the smallest subnet (longest prefix) whose CidrData row ("number of ips",
/// B5) holds `used` addresses.
pub fn workbook_min_prefix(used: i64, catalog: &Catalog) -> Option<u8> {
    longest_fitting(|n| catalog.legacy_subnet_ips(n).is_some_and(|ips| ips >= used))
}

/// Nodes of `per_node` addresses that fit in what `subnet` has left. With prefix delegation the
/// subnet's /28 blocks bound it too: `m` more nodes, `prefixes` of whose addresses are /28
/// prefixes, take [`blocks_taken`]`(used + m·per_node, needed + m·prefixes)` blocks (their ENIs' primary
/// addresses packed into blocks beside the prefixes), which stays within the `available` blocks
/// exactly when `m·per_node ≤ 16·available − used` (the prefixes' 16 addresses a block each
/// cancel out), whether or not the node takes prefixes itself (a Xen type's secondary IPs fill
/// blocks too).
pub fn nodes_that_fit(subnet: &SubnetUse, per_node: u32) -> i64 {
    if per_node == 0 {
        return 0;
    }
    let per_node = i64::from(per_node);
    let by_addresses = subnet.remaining_ips.max(0) / per_node;
    match subnet.prefix_blocks_available {
        Some(available) => {
            let room = available.saturating_mul(16).saturating_sub(subnet.used_ips);
            by_addresses.min(room.max(0) / per_node)
        }
        None => by_addresses,
    }
}

/// Nodes a group of `instances` nodes can still add to a subnet list whose subnets can each take
/// `fits[i]` more of its nodes, the group's nodes spread over the list as
/// [`spread`](crate::engine::vpc_cni::subnets::spread) places them (`n / k` each, one more for the
/// first `n % k`): the most `m` for which every subnet's share of the `m` added nodes fits, the
/// smallest of the subnets' [`list_bound`]s. The fullest subnet of a list bounds it, not the
/// list's sum: an Auto Scaling group balances its Availability Zones, it does not fill the
/// emptiest one.
pub fn spread_headroom(fits: &[i64], instances: u32) -> i64 {
    let k = fits.len();
    (0..k)
        .map(|i| list_bound(i, k, instances, fits[i]))
        .min()
        .unwrap_or(0)
}

/// The nodes a group of `instances` nodes can add to a list of `k` subnets before subnet
/// `position`, which can take `fit` more, is full. Added nodes go round the list from subnet
/// `instances mod k` (see [`spread_headroom`]), so subnet `position` takes its `t`-th added node
/// as the `((position − instances) mod k) + (t − 1)·k + 1`-th: the bound is
/// `((position − instances) mod k) + fit·k`.
pub fn list_bound(position: usize, k: usize, instances: u32, fit: i64) -> i64 {
    if k <= 1 {
        return fit.max(0);
    }
    let k = k as i64;
    let first = (position as i64 - i64::from(instances) % k).rem_euclid(k);
    first.saturating_add(fit.max(0).saturating_mul(k))
}

/// Workbook model: nodes of the largest node group (most instances) that fit in B10's remaining
/// addresses, each taking its "Used IPs PI".
pub fn workbook_headroom(r: &WorkbookResult) -> Option<i64> {
    let largest = r.rows.iter().reduce(|best, g| {
        if g.instances > best.instances {
            g
        } else {
            best
        }
    })?;
    (largest.ips_per_node > 0).then(|| r.remaining_ips.max(0) / largest.ips_per_node)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, searched by brute force over every prefix length and address count.
    fn brute_force(used: i64, prefixes: i64) -> Option<u8> {
        let mut best = None;
        for n in 0..=SMALLEST_PREFIX {
            let bits = 32 - u32::from(n);
            let usable = (1i64 << bits) - 5;
            let blocks = if n <= 28 {
                (1i64 << (28 - u32::from(n))) - 2
            } else {
                0
            };
            let singles = (used - 16 * prefixes).max(0);
            let taken = prefixes + (singles + 15) / 16;
            if usable >= used && (prefixes == 0 || blocks >= taken) {
                best = Some(n);
            }
        }
        best
    }

    #[test]
    fn headroom_on_a_list_is_bounded_by_its_fullest_subnet() {
        // One subnet: its own figure.
        assert_eq!(spread_headroom(&[7], 4), 7);
        assert_eq!(spread_headroom(&[0], 4), 0);
        // Three subnets, 6 nodes (2 each): the 7th goes to the first subnet, the 8th to the
        // second, the 9th to the third. With room for 1 more in the first: 3 more in all
        // (one each), not 1 + 50 + 50.
        assert_eq!(spread_headroom(&[1, 50, 50], 6), 3);
        // 7 nodes (3, 2, 2): the next go to the second and third subnets first.
        assert_eq!(spread_headroom(&[0, 1, 1], 7), 2);
        assert_eq!(spread_headroom(&[0, 50, 50], 6), 0);
        // By brute force: the most m whose added nodes fit in every subnet.
        for fits in [[3, 0, 5], [2, 2, 2], [9, 1, 4], [0, 0, 0]] {
            for n in 0..10u32 {
                let placed = |n: i64, i: i64| n / 3 + i64::from(i < n % 3);
                let holds = |m: i64| {
                    (0..3)
                        .all(|i| placed(n as i64 + m, i) - placed(n as i64, i) <= fits[i as usize])
                };
                let best = (0..100).take_while(|&m| holds(m)).last().unwrap();
                assert_eq!(spread_headroom(&fits, n), best, "{fits:?} {n}");
            }
        }
    }

    #[test]
    fn the_smallest_subnet_that_holds_the_addresses() {
        // /24 has 251 usable addresses, /25 123: 124..=251 need a /24.
        assert_eq!(vpc_cni_min_prefix(251, 0), Some(24));
        assert_eq!(vpc_cni_min_prefix(252, 0), Some(23));
        assert_eq!(vpc_cni_min_prefix(124, 0), Some(24));
        assert_eq!(vpc_cni_min_prefix(123, 0), Some(25));
        assert_eq!(vpc_cni_min_prefix(0, 0), Some(28));
        assert_eq!(vpc_cni_min_prefix(11, 0), Some(28));
        assert_eq!(vpc_cni_min_prefix(12, 0), Some(27));
        // Prefixes need aligned blocks: 10 prefixes and 30 other addresses take 12 blocks; a /24
        // offers 14, a /25 6.
        assert_eq!(vpc_cni_min_prefix(190, 10), Some(24));
        for used in (0..5000).step_by(7) {
            for prefixes in [0, 1, 5, 40, 200] {
                let prefixes = prefixes.min(used / 16);
                assert_eq!(
                    vpc_cni_min_prefix(used, prefixes),
                    brute_force(used, prefixes),
                    "{used} addresses, {prefixes} prefixes"
                );
            }
        }
    }

    #[test]
    fn nodes_that_fit_in_what_is_left() {
        let subnet = SubnetUse {
            subnet: crate::scenario::Subnet::of_size(24),
            ips: 251,
            used_ips: 180,
            remaining_ips: 71,
            role: crate::scenario::SubnetRole::Node,
            nodes: 6,
            prefix_blocks_available: None,
            prefix_blocks_needed: None,
            min_prefix: None,
            prefix_len: 24,
            use_pct: None,
            short: false,
        };
        assert_eq!(nodes_that_fit(&subnet, 30), 2);
        let full = SubnetUse {
            remaining_ips: -5,
            ..subnet.clone()
        };
        assert_eq!(nodes_that_fit(&full, 30), 0);
        // With prefixes: 14 blocks offered, 8 prefixes and 20 other addresses take 10; 4 free
        // blocks hold 2 nodes of 2 prefixes, though the addresses would hold 3.
        let pd = SubnetUse {
            used_ips: 148,
            remaining_ips: 103,
            prefix_blocks_available: Some(14),
            prefix_blocks_needed: Some(8),
            ..subnet
        };
        assert_eq!(nodes_that_fit(&pd, 34), 2);
        // Against the definition: the most m whose addresses and blocks fit, searched.
        for (used, needed, available, per_node, prefixes) in [
            (148, 8, 14, 34, 2),
            (0, 0, 14, 34, 2),
            (100, 5, 30, 5, 0),
            (200, 12, 14, 20, 1),
            (16 * 30, 30, 62, 19, 1),
            (500, 20, 62, 40, 0),
        ] {
            let sub = SubnetUse {
                used_ips: used,
                remaining_ips: 1019 - used,
                ips: 1019,
                prefix_blocks_available: Some(available),
                prefix_blocks_needed: Some(needed),
                ..pd.clone()
            };
            let fits = |m: i64| {
                used + m * per_node <= 1019
                    && blocks_taken(used + m * per_node, needed + m * prefixes) <= available
            };
            let best = (0..2000).take_while(|&m| fits(m)).last().unwrap_or(0);
            assert_eq!(
                nodes_that_fit(&sub, per_node as u32),
                best,
                "{used} used, {needed} prefixes, {available} blocks, {per_node}/{prefixes} a node"
            );
        }
    }
}
