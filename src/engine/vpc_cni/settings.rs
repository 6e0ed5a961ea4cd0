//! The CNI settings as ipamd reads them, and the configurations ipamd refuses to start with.

use serde::Serialize;

use crate::scenario::{CniSettings, IpFamily};

/// The CNI settings as ipamd reads them: defaults applied, zero meaning "unset" where ipamd says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EffectiveSettings {
    /// `WARM_ENI_TARGET`; unset reads as 1.
    pub warm_eni_target: u32,
    /// `WARM_IP_TARGET`; 0 is unset.
    pub warm_ip_target: u32,
    /// `MINIMUM_IP_TARGET`; 0 is unset.
    pub minimum_ip_target: u32,
    /// `WARM_PREFIX_TARGET`; unset reads as 1, the shipped manifest's value.
    pub warm_prefix_target: u32,
    /// `ENABLE_PREFIX_DELEGATION` as requested (the type may not support it).
    pub prefix_delegation: bool,
    /// `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`.
    pub custom_networking: bool,
    /// `ENABLE_POD_ENI` (security groups for pods).
    pub security_groups_for_pods: bool,
    /// The cluster's IP family.
    pub ip_family: IpFamily,
    /// `MAX_ENI`; only a value from 1 to below the instance limit lowers it.
    pub max_eni: Option<u32>,
}

impl EffectiveSettings {
    /// Applies ipamd's parsing rules to the settings as written.
    pub fn from_cni(cni: &CniSettings) -> Self {
        EffectiveSettings {
            warm_eni_target: cni.warm_eni_target.unwrap_or(1),
            warm_ip_target: cni.warm_ip_target.unwrap_or(0),
            minimum_ip_target: cni.minimum_ip_target.unwrap_or(0),
            warm_prefix_target: cni.warm_prefix_target.unwrap_or(1),
            prefix_delegation: cni.prefix_delegation,
            custom_networking: cni.custom_networking,
            security_groups_for_pods: cni.security_groups_for_pods,
            ip_family: cni.ip_family,
            max_eni: cni.max_eni.filter(|&m| m >= 1),
        }
    }

    /// Whether pods get IPv6 addresses (ipamd's IPv6 mode: no IPv4 pool).
    pub fn ipv6(&self) -> bool {
        self.ip_family == IpFamily::Ipv6
    }

    /// Custom networking as ipamd applies it: for the IPv4 pool (with IPv6 it is refused).
    pub fn custom_networking_applies(&self) -> bool {
        self.custom_networking && !self.ipv6()
    }

    /// Prefix delegation as requested for the IPv4 pool (IPv6 always uses prefixes).
    pub fn prefix_delegation_requested(&self) -> bool {
        self.prefix_delegation && !self.ipv6()
    }

    /// The ENI limit of a type with `instance` ENIs after `MAX_ENI`: only a value from 1 to below
    /// the limit lowers it (ipamd `getMaxENI`, `pkg/ipamd/ipamd.go` 1406-1422).
    pub fn enis(&self, instance: u32) -> u32 {
        match self.max_eni {
            Some(m) if m < instance => m,
            _ => instance,
        }
    }

    /// Whether `WARM_IP_TARGET` or `MINIMUM_IP_TARGET` is set (ipamd's `warmIPTargetsDefined`);
    /// they then replace `WARM_ENI_TARGET` and, for growth, `WARM_PREFIX_TARGET`.
    pub fn warm_ip_targets_defined(&self) -> bool {
        self.warm_ip_target != 0 || self.minimum_ip_target != 0
    }
}

impl Default for EffectiveSettings {
    /// The shipped defaults: secondary IPs, one warm ENI.
    fn default() -> Self {
        EffectiveSettings::from_cni(&CniSettings::default())
    }
}

/// Why ipamd would refuse to start with the scenario's settings, whatever the type: IPv6 with
/// custom networking (amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` 2766-2768, `isConfigValid`; aws-node
/// then exits, `cmd/aws-k8s-agent/main.go` 148-156).
pub fn scenario_refusal(settings: &EffectiveSettings) -> Option<String> {
    (settings.ipv6() && settings.custom_networking).then(|| {
        "ipamd refuses IPv6 with custom networking (isConfigValid: \"Custom Networking is not \
         supported in IPv6 mode\"); aws-node does not start"
            .into()
    })
}

/// Why ipamd would refuse to run on a node of `instance_type`: IPv6 on a type that cannot use
/// prefixes (`ipamd.go` 2772-2776), or custom networking with no ENI left for pods (`ipamd.go`
/// 674-693, `handlePreScaling`). `pd_supported` is whether the type can use /28 prefixes;
/// `pod_enis` the ENIs that may hold pod addresses (`K`).
pub fn type_refusal(
    settings: &EffectiveSettings,
    instance_type: &str,
    pd_supported: bool,
    pod_enis: u32,
) -> Option<String> {
    if settings.ipv6() && !pd_supported {
        return Some(format!(
            "{instance_type}: IPv6 needs prefix delegation, which needs a Nitro or bare-metal type; \
             ipamd refuses to start (isConfigValid: \"IPv6 is only supported in Prefix delegation \
             Mode\")"
        ));
    }
    if settings.custom_networking_applies() && pod_enis == 0 {
        let why = if settings.security_groups_for_pods {
            "after the primary ENI and the trunk's slot"
        } else {
            "after the primary ENI"
        };
        return Some(format!(
            "{instance_type}: custom networking leaves no ENI for pods {why}; ipamd's start-up \
             fails (\"Failed to attach any ENIs for custom networking\") and aws-node restarts"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(f: impl FnOnce(&mut EffectiveSettings)) -> EffectiveSettings {
        let mut s = EffectiveSettings::default();
        f(&mut s);
        s
    }

    #[test]
    fn ipv6_with_custom_networking_is_refused() {
        let mut s = settings(|s| {
            s.ip_family = IpFamily::Ipv6;
            s.custom_networking = true;
        });
        assert!(scenario_refusal(&s).unwrap().contains("Custom Networking"));
        s.custom_networking = false;
        assert_eq!(scenario_refusal(&s), None);
    }

    #[test]
    fn ipv6_on_a_type_without_prefixes_is_refused() {
        let s = settings(|s| s.ip_family = IpFamily::Ipv6);
        let why = type_refusal(&s, "t2.medium", false, 3).unwrap();
        assert!(
            why.starts_with("t2.medium: IPv6 needs prefix delegation"),
            "{why}"
        );
        assert_eq!(type_refusal(&s, "m5.large", true, 3), None);
    }

    #[test]
    fn the_max_eni_rule_lowers_the_limit_only_from_1_to_below_it() {
        let s = |m| settings(|s| s.max_eni = m);
        assert_eq!(s(Some(1)).enis(3), 1);
        assert_eq!(s(Some(2)).enis(3), 2);
        assert_eq!(s(Some(3)).enis(3), 3);
        assert_eq!(s(Some(9)).enis(3), 3);
        assert_eq!(s(None).enis(3), 3);
        // 0 is unset, as ipamd reads it.
        assert_eq!(
            EffectiveSettings::from_cni(&CniSettings {
                max_eni: Some(0),
                ..CniSettings::default()
            })
            .enis(3),
            3
        );
    }

    #[test]
    fn custom_networking_without_a_pod_eni_is_refused() {
        // A 2-ENI trunking-compatible type (m6g.medium) with security groups for pods.
        let s = settings(|s| {
            s.custom_networking = true;
            s.security_groups_for_pods = true;
        });
        let why = type_refusal(&s, "m6g.medium", true, 0).unwrap();
        assert!(
            why.contains("after the primary ENI and the trunk's slot"),
            "{why}"
        );
        assert_eq!(type_refusal(&s, "m5.large", true, 1), None);
    }
}
