//! The phases of a node group's life that take more addresses than the desired count: the
//! autoscaler's maximum, and a managed node group update, during which EKS launches the new
//! nodes before it removes the old ones. One rule each, pure, over plain figures, so that both
//! models apply the same ones.
//!
//! The update rule is the EKS User Guide's, "Understand each phase of node updates"
//! (<https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html>):
//! in the scale-up phase EKS "increments the Auto Scaling Group's maximum size and desired size
//! by the larger of either: up to twice the number of Availability Zones that the Auto Scaling
//! group is deployed in; the maximum unavailable of upgrade", and it launches the new nodes in
//! the Availability Zones of the nodes they replace. "Up to" is taken at its bound: the model
//! answers for the worst case. How a percentage becomes a node count is not documented; the
//! ceiling is the model's stated assumption (more surge is the safe side).

use crate::scenario::MaxUnavailable;

/// The nodes EKS replaces at once: `maxUnavailable` as it is, or `maxUnavailablePercentage` of
/// the desired count rounded up, within 1 and EKS's quota of 100.
pub fn max_unavailable(setting: Option<MaxUnavailable>, desired: u32) -> u32 {
    let nodes = match setting.unwrap_or_default() {
        MaxUnavailable::Nodes(n) => n,
        MaxUnavailable::Percent(p) => (u64::from(p) * u64::from(desired))
            .div_ceil(100)
            .try_into()
            .unwrap_or(u32::MAX),
    };
    nodes.clamp(1, MaxUnavailable::QUOTA)
}

/// The new nodes an update launches before it removes old ones: the larger of twice the
/// Availability Zones the group spans and its max unavailable. A group with no node has
/// nothing to replace: 0.
pub fn update_surge_nodes(desired: u32, availability_zones: u32, max_unavailable: u32) -> u32 {
    if desired == 0 {
        return 0;
    }
    availability_zones
        .max(1)
        .saturating_mul(2)
        .max(max_unavailable)
}

/// Where an update's `surge` new nodes land, per subnet of a list of `group_nodes.len()`
/// subnets (one per Availability Zone): every subnet gets an equal share (the Auto Scaling group
/// balances its zones, and EKS needs a new node in every zone that has one), and the rest go one
/// each to the subnets that hold the most of the group, ties to the fuller subnet (`fullness`,
/// its share used at the desired count), then list order: the worst case the new nodes can make.
pub fn surge_placement(surge: u32, group_nodes: &[u32], fullness: &[f64]) -> Vec<u32> {
    let k = group_nodes.len();
    let Ok(k32) = u32::try_from(k) else {
        return Vec::new();
    };
    if k == 0 {
        return Vec::new();
    }
    let mut placed = vec![surge / k32; k];
    let mut order: Vec<usize> = (0..k).collect();
    let full = |i: usize| fullness.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| {
        group_nodes[b]
            .cmp(&group_nodes[a])
            .then(full(b).total_cmp(&full(a)))
            .then(a.cmp(&b))
    });
    for &i in order.iter().take((surge % k32) as usize) {
        placed[i] += 1;
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_unavailable_follows_update_config() {
        assert_eq!(max_unavailable(None, 30), 1, "EKS's default is one node");
        assert_eq!(max_unavailable(Some(MaxUnavailable::Nodes(20)), 30), 20);
        assert_eq!(max_unavailable(Some(MaxUnavailable::Nodes(500)), 900), 100);
        // 33 % of 10 nodes is 3.3: rounded up.
        assert_eq!(max_unavailable(Some(MaxUnavailable::Percent(33)), 10), 4);
        assert_eq!(max_unavailable(Some(MaxUnavailable::Percent(1)), 10), 1);
        assert_eq!(
            max_unavailable(Some(MaxUnavailable::Percent(100)), 1_000),
            100
        );
        assert_eq!(max_unavailable(Some(MaxUnavailable::Percent(50)), 0), 1);
    }

    #[test]
    fn the_surge_is_the_user_guides_example() {
        // "if your node group has five Availability Zones and maxUnavailable as one, the
        // upgrade process can launch a maximum of 10 nodes. However when maxUnavailable is 20
        // (or anything higher than 10), the process would launch 20 new nodes."
        assert_eq!(update_surge_nodes(40, 5, 1), 10);
        assert_eq!(update_surge_nodes(40, 5, 20), 20);
        assert_eq!(
            update_surge_nodes(1, 3, 1),
            6,
            "not capped by the group's size"
        );
        assert_eq!(update_surge_nodes(0, 3, 1), 0, "nothing to replace");
    }

    #[test]
    fn surge_nodes_go_where_the_group_is_largest_then_fullest() {
        // 7 new nodes over 3 subnets: 2 each, the one left over to the subnet holding most.
        assert_eq!(surge_placement(7, &[3, 4, 3], &[0.0; 3]), vec![2, 3, 2]);
        // Ties on the group's nodes: to the fuller subnet, then to the first.
        assert_eq!(
            surge_placement(8, &[2, 2, 2], &[10.0, 60.0, 60.0]),
            vec![2, 3, 3]
        );
        assert_eq!(surge_placement(4, &[1, 1, 1], &[]), vec![2, 1, 1]);
        assert_eq!(surge_placement(6, &[5], &[1.0]), vec![6]);
        assert!(surge_placement(6, &[], &[]).is_empty());
        for surge in 0..20 {
            let placed = surge_placement(surge, &[4, 1, 3, 3], &[5.0, 1.0, 2.0, 9.0]);
            assert_eq!(placed.iter().sum::<u32>(), surge);
            let (low, high) = (placed.iter().min().unwrap(), placed.iter().max().unwrap());
            assert!(high - low <= 1, "{placed:?}");
        }
    }
}
