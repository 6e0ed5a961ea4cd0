//! One subnet's use ([`SubnetUse`]) and which subnet of an evaluation is the fullest
//! ([`FullestSubnet`]). The figures are the engine's (`engine/usage.rs`); these are their types.

use serde::Serialize;

use crate::scenario::{Subnet, SubnetRole};

/// Address use of one subnet (or of a custom-networking pod subnet).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubnetUse {
    /// The subnet as given (`/23` or `10.0.0.0/23`).
    #[serde(serialize_with = "crate::scenario::serialize_display")]
    pub subnet: Subnet,
    /// Its prefix length.
    pub prefix_len: u8,
    /// Usable addresses.
    pub ips: i64,
    /// Addresses the scenario takes from it.
    pub used_ips: i64,
    /// `ips − used_ips`; negative when the subnet is too small.
    pub remaining_ips: i64,
    /// vpc-cni: `node` for a node subnet, `pod` for a custom-networking pod subnet.
    pub role: SubnetRole,
    /// vpc-cni: nodes placed in this subnet (node groups spread evenly over the list).
    pub nodes: i64,
    /// vpc-cni, prefix delegation: aligned /28 blocks the subnet can offer, `2^(28−n) − 2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_blocks_available: Option<i64>,
    /// vpc-cni, prefix delegation: /28 prefixes the scenario takes from the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_blocks_needed: Option<i64>,
    /// The longest prefix length (smallest subnet) that holds what the scenario takes from this
    /// subnet (see [`crate::engine::sizing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_prefix: Option<u8>,
    /// The share of the subnet used, in percent: its addresses, or under prefix delegation the
    /// /28 blocks its addresses fill when that is more; `None` without usable addresses.
    pub use_pct: Option<f64>,
    /// Whether the scenario takes more than the subnet has: addresses, or /28 blocks.
    pub short: bool,
}

/// What a subnet's use is counted in: its addresses, or (prefix delegation) its /28 blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UseBasis {
    /// Its addresses.
    Addresses,
    /// The /28 blocks its addresses fill, when that is the larger share.
    PrefixBlocks,
}

/// The single subnet of an evaluation closest to exhaustion (`fullest_subnet`): one subnet of a
/// list, a custom-networking pod subnet, or the one subnet of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FullestSubnet {
    /// Node or pod subnet.
    pub role: SubnetRole,
    /// Its place in its list (counted from 0).
    pub index: u32,
    /// How many subnets the list has.
    pub of: u32,
    /// The subnet as given.
    #[serde(serialize_with = "crate::scenario::serialize_display")]
    pub subnet: Subnet,
    /// Whether its use is counted in addresses or /28 blocks.
    pub by: UseBasis,
}

impl std::fmt::Display for FullestSubnet {
    /// `node subnet 10.1.0.0/28`, or `node subnet 2 of 3 (/24)` when only its size is given;
    /// ` (/28 blocks)` appended when its use is counted in blocks.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let role = self.role.name();
        if self.subnet.network.is_none() && self.of > 1 {
            write!(
                f,
                "{role} subnet {} of {} ({})",
                self.index + 1,
                self.of,
                self.subnet
            )?;
        } else {
            write!(f, "{role} subnet {}", self.subnet)?;
        }
        if self.by == UseBasis::PrefixBlocks {
            f.write_str(" (/28 blocks)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fullest_subnet_is_named_by_its_cidr_or_its_place() {
        let at = |subnet: &str, index, of, by| FullestSubnet {
            role: SubnetRole::Node,
            index,
            of,
            subnet: subnet.parse().unwrap(),
            by,
        };
        let shown = at("10.1.0.0/28", 0, 3, UseBasis::Addresses).to_string();
        assert_eq!(shown, "node subnet 10.1.0.0/28");
        let shown = at("/24", 1, 3, UseBasis::PrefixBlocks).to_string();
        assert_eq!(shown, "node subnet 2 of 3 (/24) (/28 blocks)");
        assert_eq!(
            at("/24", 0, 1, UseBasis::Addresses).to_string(),
            "node subnet /24"
        );
    }
}
