//! The use figures, defined once: each subnet's share used and whether it is short, the node
//! subnets together (`utilization_pct`), the single subnet closest to exhaustion
//! (`fullest_subnet_pct`, `fullest_subnet`) and "out of addresses". Every output shows these
//! fields; none works them out again.

use crate::evaluation::{FullestSubnet, SubnetUse, UseBasis};
use crate::scenario::subnet::blocks_taken;

/// An evaluation's use figures (see the fields of the same names on
/// [`crate::evaluation::Evaluation`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UseFigures {
    pub utilization_pct: Option<f64>,
    pub fullest_subnet_pct: Option<f64>,
    pub fullest_subnet: Option<FullestSubnet>,
    pub out_of_addresses: bool,
}

/// One subnet's share used, in percent, and what it is counted in: its addresses, or under
/// prefix delegation the /28 blocks its addresses fill ([`blocks_taken`]) when that is more;
/// `None` without usable addresses.
pub(crate) fn subnet_use_pct(
    ips: i64,
    used_ips: i64,
    blocks_needed: Option<i64>,
    blocks_available: Option<i64>,
) -> Option<(f64, UseBasis)> {
    if ips <= 0 {
        return None;
    }
    let addresses = used_ips as f64 * 100.0 / ips as f64;
    Some(match (blocks_needed, blocks_available) {
        (Some(needed), Some(have)) if have > 0 => {
            let blocks = blocks_taken(used_ips, needed) as f64 * 100.0 / have as f64;
            if blocks > addresses {
                (blocks, UseBasis::PrefixBlocks)
            } else {
                (addresses, UseBasis::Addresses)
            }
        }
        _ => (addresses, UseBasis::Addresses),
    })
}

/// Whether the scenario takes more than a subnet has: addresses, or /28 blocks.
pub(crate) fn subnet_is_short(
    ips: i64,
    used_ips: i64,
    blocks_needed: Option<i64>,
    blocks_available: Option<i64>,
) -> bool {
    used_ips > ips
        || (used_ips > 0 && ips <= 0)
        || prefix_blocks_short(used_ips, blocks_needed, blocks_available)
}

/// Whether a subnet holding prefixes has fewer aligned /28 blocks than the scenario's prefixes
/// and its other addresses take.
pub(crate) fn prefix_blocks_short(
    used_ips: i64,
    blocks_needed: Option<i64>,
    blocks_available: Option<i64>,
) -> bool {
    matches!(
        (blocks_needed, blocks_available),
        (Some(needed), Some(have)) if blocks_taken(used_ips, needed) > have.max(0)
    )
}

/// The node subnets together, in percent.
pub(crate) fn utilization_pct(subnet_ips: Option<i64>, used_ips: Option<i64>) -> Option<f64> {
    match (used_ips, subnet_ips) {
        (Some(u), Some(s)) if s > 0 => Some(u as f64 * 100.0 / s as f64),
        _ => None,
    }
}

/// An evaluation's figures from its node subnets' totals, its pod subnets' remainder and its
/// per-subnet uses (each with `use_pct` and `short` filled). Without per-subnet figures the
/// fullest subnet is the node subnets in total, unnamed (the caller may name it).
pub(crate) fn use_figures(
    subnet_ips: Option<i64>,
    used_ips: Option<i64>,
    pod_remaining: Option<i64>,
    subnets: &[SubnetUse],
) -> UseFigures {
    let negative = |v: Option<i64>| v.is_some_and(|v| v < 0);
    let remaining = subnet_ips.zip(used_ips).map(|(s, u)| s.saturating_sub(u));
    let utilization = utilization_pct(subnet_ips, used_ips);
    let mut fullest: Option<(f64, FullestSubnet)> = None;
    for (i, u) in subnets.iter().enumerate() {
        let Some((pct, by)) = subnet_use_pct(
            u.ips,
            u.used_ips,
            u.prefix_blocks_needed,
            u.prefix_blocks_available,
        ) else {
            continue;
        };
        if fullest.as_ref().is_some_and(|(best, _)| pct <= *best) {
            continue;
        }
        let of_role = subnets.iter().filter(|s| s.role == u.role);
        let index = subnets[..i].iter().filter(|s| s.role == u.role).count();
        let at = FullestSubnet {
            role: u.role,
            index: index as u32,
            of: of_role.count() as u32,
            subnet: u.subnet,
            by,
        };
        fullest = Some((pct, at));
    }
    let (fullest_subnet_pct, fullest_subnet) = match fullest {
        Some((pct, at)) => (Some(pct), Some(at)),
        None if subnets.is_empty() => (utilization, None),
        None => (None, None),
    };
    UseFigures {
        utilization_pct: utilization,
        fullest_subnet_pct,
        fullest_subnet,
        out_of_addresses: negative(remaining)
            || negative(pod_remaining)
            || subnets.iter().any(|u| u.short),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subnet_is_counted_in_blocks_when_they_fill_more() {
        // 190 addresses with 10 prefixes take 12 blocks of 14: 85.7 %, more than 190 / 251.
        let (pct, by) = subnet_use_pct(251, 190, Some(10), Some(14)).unwrap();
        assert_eq!(by, UseBasis::PrefixBlocks);
        assert!((pct - 1200.0 / 14.0).abs() < 1e-9);
        assert_eq!(
            subnet_use_pct(251, 100, None, None),
            Some((100.0 * 100.0 / 251.0, UseBasis::Addresses))
        );
        assert_eq!(subnet_use_pct(0, 0, None, None), None);
        assert!(subnet_is_short(251, 190, Some(10), Some(11)));
        assert!(!subnet_is_short(251, 190, Some(10), Some(12)));
        assert!(subnet_is_short(11, 12, None, None));
        assert!(subnet_is_short(0, 1, None, None));
    }
}
