//! The rules every instance type's limits are held to, whatever their source: a limits CSV,
//! describe-instance-types JSON, `eni-max-pods.txt`, a legacy workbook's lookup sheets, a
//! report's Catalog sheet or the built-in data. Each reader reads its own format, then calls
//! [`InstanceLimits::check`] on what it read, so that the same limits are refused in every format,
//! with the same words; only the place and the column's name are the source's.

use crate::error::{Error, Location};

use super::InstanceLimits;

/// A limit of an instance type that a rule holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`InstanceLimits::max_enis`].
    MaxEnis,
    /// [`InstanceLimits::ipv4_per_eni`].
    Ipv4PerEni,
    /// [`InstanceLimits::vcpus`].
    Vcpus,
}

impl Limit {
    /// The limit's name in the catalogue ([`InstanceLimits`]' field, the JSON outputs' key).
    pub fn field(self) -> &'static str {
        match self {
            Limit::MaxEnis => "max_enis",
            Limit::Ipv4PerEni => "ipv4_per_eni",
            Limit::Vcpus => "vcpus",
        }
    }
}

/// A limit that breaks its rule: its value, and the least it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenLimit {
    /// Which limit.
    pub limit: Limit,
    /// The value read.
    pub found: u32,
    /// The least value the rule allows.
    pub minimum: u32,
}

impl BrokenLimit {
    /// The error for the broken limit, read at `location`, whose column its source calls
    /// `column` (`eni_limit`, `MaxENI`, `NetworkInfo.MaximumNetworkInterfaces`, `Max ENIs`).
    pub fn at(self, location: Location, column: &str) -> Error {
        Error::LimitBelowMinimum {
            location,
            column: column.to_owned(),
            found: self.found,
            minimum: self.minimum,
        }
    }
}

impl InstanceLimits {
    /// Checks the limits against the rules every source is held to: a node has at least one ENI
    /// (its primary), an ENI at least one IPv4 address (its primary), and an instance at least
    /// one vCPU; a limit of 0 would make the models count addresses for a node that cannot
    /// exist. Max pods and branch ENIs may be 0, and a limit the source does not give is not
    /// checked. The first limit broken, in the order max ENIs, IPv4 addresses per ENI, vCPUs.
    ///
    /// ```
    /// use subnet_calc::catalog::InstanceLimits;
    /// use subnet_calc::catalog::rules::Limit;
    ///
    /// let limits = InstanceLimits { max_enis: Some(0), ..InstanceLimits::named("m5.large") };
    /// assert_eq!(limits.check().unwrap_err().limit, Limit::MaxEnis);
    /// assert!(InstanceLimits::named("m5.large").check().is_ok());
    /// ```
    pub fn check(&self) -> Result<(), BrokenLimit> {
        let rules = [
            (Limit::MaxEnis, self.max_enis, 1),
            (Limit::Ipv4PerEni, self.ipv4_per_eni, 1),
            (Limit::Vcpus, self.vcpus, 1),
        ];
        for (limit, value, minimum) in rules {
            if let Some(found) = value.filter(|&v| v < minimum) {
                return Err(BrokenLimit {
                    limit,
                    found,
                    minimum,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_and_its_words() {
        let named = || InstanceLimits::named("m5.large");
        assert!(
            InstanceLimits {
                max_enis: Some(1),
                ipv4_per_eni: Some(1),
                vcpus: Some(1),
                max_pods: Some(0),
                branch_interfaces: Some(0),
                ..named()
            }
            .check()
            .is_ok()
        );
        let broken = |limits: InstanceLimits| limits.check().unwrap_err().limit;
        assert_eq!(
            broken(InstanceLimits {
                ipv4_per_eni: Some(0),
                vcpus: Some(0),
                ..named()
            }),
            Limit::Ipv4PerEni
        );
        assert_eq!(
            broken(InstanceLimits {
                vcpus: Some(0),
                ..named()
            }),
            Limit::Vcpus
        );
        let e = InstanceLimits {
            max_enis: Some(0),
            ..named()
        }
        .check()
        .unwrap_err()
        .at(Location::line("l.csv", 2, Some("eni_limit")), "eni_limit");
        assert_eq!(
            e.to_string(),
            "l.csv:2:eni_limit: invalid number \"0\" (expected eni_limit ≥ 1)"
        );
    }
}
