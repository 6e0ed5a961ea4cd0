//! Subnets: a size (`/23`) or a CIDR (`10.0.0.0/23`), and the arithmetic on them that AWS and
//! the legacy workbook each apply, written once: usable addresses ([`aws_usable`],
//! [`legacy_cidr_ips`]), the aligned /28 blocks prefix delegation can use
//! ([`aws_prefix_blocks`]) and the blocks a subnet's addresses take ([`blocks_taken`]).
//!
//! AWS reserves the first four and the last address of every subnet, so a /n subnet has
//! `2^(32−n) − 5` usable addresses. A /28 prefix needs a whole, aligned, free block; the first and
//! last /28 of a subnet hold reserved addresses, so a /n subnet offers at most `2^(28−n) − 2` of
//! them, and every other address in a block (an ENI's primary, a node IP) takes the block away
//! from prefixes. The legacy workbook's CidrData table reserves 2 addresses: `2^(32−n) − 2`.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use serde::Serialize;

/// A subnet: its size, and its network address when the user gave a full CIDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Subnet {
    /// The prefix length, 0 to 32 (`23` for a /23).
    pub prefix_len: u8,
    /// The network address when given as `10.0.0.0/23`.
    pub network: Option<Ipv4Addr>,
}

impl Subnet {
    /// A subnet known only by its size.
    pub fn of_size(prefix_len: u8) -> Self {
        Subnet {
            prefix_len,
            network: None,
        }
    }

    /// The first and last address of the block, when the network address is known.
    pub fn range(&self) -> Option<(u32, u32)> {
        let first = u32::from(self.network?);
        let last = first.saturating_add((self.block_size() - 1) as u32);
        Some((first, last))
    }

    /// Whether both subnets are given as CIDRs and share an address.
    pub fn overlaps(&self, other: &Subnet) -> bool {
        match (self.range(), other.range()) {
            (Some(a), Some(b)) => a.0 <= b.1 && b.0 <= a.1,
            _ => false,
        }
    }

    /// All addresses of the block, 2^(32−n).
    pub fn block_size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix_len))
    }
}

/// Which of a scenario's subnet lists a subnet is in: the node subnets (`subnet_cidr`) or custom
/// networking's pod subnets (`pod_subnet_cidr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubnetRole {
    /// A node subnet: the nodes' addresses, and their pods' without custom networking.
    Node,
    /// A custom-networking pod subnet.
    Pod,
}

impl SubnetRole {
    /// The role as outputs spell it: `node` or `pod`.
    pub fn name(self) -> &'static str {
        match self {
            SubnetRole::Node => "node",
            SubnetRole::Pod => "pod",
        }
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.network {
            Some(net) => write!(f, "{net}/{}", self.prefix_len),
            None => write!(f, "/{}", self.prefix_len),
        }
    }
}

impl FromStr for Subnet {
    type Err = String;

    /// Parses `23`, `/23` or `10.0.0.0/23`. A full CIDR must have no host bits set.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.contains(':') {
            return Err(
                "an IPv6 CIDR: subnet sizes and CIDRs here are the IPv4 ones nodes take \
                        addresses from, also in an IPv6 cluster (say ip_family=ipv6 for IPv6 pods)"
                    .into(),
            );
        }
        let (net, len) = match s.split_once('/') {
            Some((net, len)) => (Some(net.trim()), len.trim()),
            None => (None, s),
        };
        let prefix_len: u8 = len
            .parse()
            .map_err(|_| format!("prefix length {len:?} is not a whole number"))?;
        if prefix_len > 32 {
            return Err(format!("prefix length {prefix_len} is over 32"));
        }
        let network = match net {
            None | Some("") => None,
            Some(text) => {
                let addr: Ipv4Addr = text
                    .parse()
                    .map_err(|_| format!("{text:?} is not an IPv4 address"))?;
                let mask = if prefix_len == 0 {
                    0
                } else {
                    u32::MAX << (32 - prefix_len)
                };
                if u32::from(addr) & !mask != 0 {
                    let base = Ipv4Addr::from(u32::from(addr) & mask);
                    return Err(format!("host bits set: did you mean {base}/{prefix_len}?"));
                }
                Some(addr)
            }
        };
        if net == Some("") {
            // "/23" is a size, like "23".
            return Ok(Subnet {
                prefix_len,
                network: None,
            });
        }
        Ok(Subnet {
            prefix_len,
            network,
        })
    }
}

/// Formats a subnet list the way the CSV holds it: `;` between subnets.
pub fn format_subnets(subnets: &[Subnet]) -> String {
    subnets
        .iter()
        .map(|s| match s.network {
            Some(_) => s.to_string(),
            None => s.prefix_len.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Usable addresses of a /n subnet under AWS's rules: `2^(32−n) − 5`, never below 0.
pub fn aws_usable(n: u8) -> i64 {
    ((1i64 << (32 - u32::from(n.min(32)))) - 5).max(0)
}

/// Aligned /28 blocks a /n subnet offers to prefixes: `2^(28−n) − 2` (0 past /27).
pub fn aws_prefix_blocks(n: u8) -> i64 {
    if n > 28 {
        return 0;
    }
    ((1i64 << (28 - u32::from(n))) - 2).max(0)
}

/// /28 blocks taken by `used` addresses of which `prefixes` are /28 prefixes: the prefixes, and
/// the other addresses packed into whole blocks.
pub fn blocks_taken(used: i64, prefixes: i64) -> i64 {
    let singles = used.saturating_sub(prefixes.saturating_mul(16)).max(0);
    prefixes.saturating_add(singles / 16 + i64::from(singles % 16 != 0))
}

/// The legacy workbook's CidrData rule for a /n subnet (n ≤ 32): `2^(32−n) − 2` addresses. Which
/// sizes its table has a row for is the catalogue's to say
/// ([`crate::catalog::Catalog::legacy_subnet_ips`]).
pub fn legacy_cidr_ips(n: u8) -> i64 {
    (1i64 << (32 - u32::from(n.min(32)))) - 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_parse_in_every_spelling() {
        assert_eq!("23".parse::<Subnet>().unwrap(), Subnet::of_size(23));
        assert_eq!("/23".parse::<Subnet>().unwrap(), Subnet::of_size(23));
        let full: Subnet = " 10.0.2.0/23 ".parse().unwrap();
        assert_eq!(full.prefix_len, 23);
        assert_eq!(full.network, Some(Ipv4Addr::new(10, 0, 2, 0)));
        assert_eq!(full.to_string(), "10.0.2.0/23");
        assert_eq!(full.block_size(), 512);
    }

    #[test]
    fn bad_subnets_say_why() {
        assert!("33".parse::<Subnet>().unwrap_err().contains("over 32"));
        assert!(
            "abc"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            "10.0.1.0/23"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("10.0.0.0/23")
        );
        assert!(
            "10.0.0/23"
                .parse::<Subnet>()
                .unwrap_err()
                .contains("not an IPv4")
        );
        let v6 = "2001:db8::/64".parse::<Subnet>().unwrap_err();
        assert!(v6.starts_with("an IPv6 CIDR"), "{v6}");
    }

    #[test]
    fn the_arithmetic_of_aws_and_of_the_workbook() {
        assert_eq!(aws_usable(24), 251);
        assert_eq!(aws_usable(28), 11);
        assert_eq!(aws_usable(16), 65_531);
        assert_eq!(aws_usable(31), 0);
        assert_eq!(aws_usable(0), (1i64 << 32) - 5);
        assert_eq!(aws_prefix_blocks(24), 14);
        assert_eq!(aws_prefix_blocks(26), 2);
        assert_eq!(aws_prefix_blocks(27), 0);
        assert_eq!(aws_prefix_blocks(30), 0);
        assert_eq!(legacy_cidr_ips(24), 254);
        assert_eq!(legacy_cidr_ips(1), (1i64 << 31) - 2);
        // 10 prefixes and 30 other addresses: 10 blocks and 2 more.
        assert_eq!(blocks_taken(190, 10), 12);
        assert_eq!(blocks_taken(160, 10), 10);
        assert_eq!(blocks_taken(i64::MAX, i64::MAX), i64::MAX);
    }

    #[test]
    fn subnet_lists_format_like_the_csv() {
        let list = [Subnet::of_size(23), "10.0.0.0/24".parse().unwrap()];
        assert_eq!(format_subnets(&list), "23;10.0.0.0/24");
    }
}
