//! The settings advisor's answer for one scenario ([`Advice`]): the fixed set of VPC CNI
//! settings it weighs ([`OptionId`]), each option's figures and status, the one it recommends,
//! and why, as data ([`Reason`]) worded once, here. The engine's `advice` module fills it.

use std::fmt;

use serde::Serialize;

use crate::scenario::CniSettings;

/// The options the advisor weighs, in the order every output lists them (the index is part of
/// the output contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionId {
    /// The scenario's own settings.
    Given,
    /// `WARM_ENI_TARGET=1`, the shipped default.
    WarmEni1,
    /// `WARM_IP_TARGET=1` with `MINIMUM_IP_TARGET` sized to the node's pods.
    WarmIp1,
    /// `WARM_IP_TARGET=2` with `MINIMUM_IP_TARGET` sized to the node's pods.
    WarmIp2,
    /// `WARM_IP_TARGET=5` with `MINIMUM_IP_TARGET` sized to the node's pods.
    WarmIp5,
    /// Prefix delegation with `WARM_PREFIX_TARGET=1`.
    Prefix1,
    /// Prefix delegation with `WARM_IP_TARGET=2` and `MINIMUM_IP_TARGET`.
    PrefixWarmIp2,
    /// Custom networking into the pod subnet, with `WARM_ENI_TARGET=1`.
    CustomWarmEni1,
    /// Custom networking into the pod subnet, with `WARM_IP_TARGET=2` and `MINIMUM_IP_TARGET`.
    CustomWarmIp2,
    /// Custom networking into the pod subnet, with prefix delegation and `WARM_PREFIX_TARGET=1`.
    CustomPrefix1,
}

impl OptionId {
    /// Every option, in output order.
    pub const ALL: [OptionId; 10] = [
        OptionId::Given,
        OptionId::WarmEni1,
        OptionId::WarmIp1,
        OptionId::WarmIp2,
        OptionId::WarmIp5,
        OptionId::Prefix1,
        OptionId::PrefixWarmIp2,
        OptionId::CustomWarmEni1,
        OptionId::CustomWarmIp2,
        OptionId::CustomPrefix1,
    ];

    /// The option's name as outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            OptionId::Given => "given",
            OptionId::WarmEni1 => "warm_eni_1",
            OptionId::WarmIp1 => "warm_ip_1",
            OptionId::WarmIp2 => "warm_ip_2",
            OptionId::WarmIp5 => "warm_ip_5",
            OptionId::Prefix1 => "prefix_1",
            OptionId::PrefixWarmIp2 => "prefix_warm_ip_2",
            OptionId::CustomWarmEni1 => "custom_warm_eni_1",
            OptionId::CustomWarmIp2 => "custom_warm_ip_2",
            OptionId::CustomPrefix1 => "custom_prefix_1",
        }
    }
}

impl Serialize for OptionId {
    /// As [`OptionId::name`] spells it.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The six settings an option sets; the scenario's other settings stay as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct AdvisedSettings {
    /// `WARM_ENI_TARGET`.
    pub warm_eni_target: Option<u32>,
    /// `WARM_IP_TARGET`.
    pub warm_ip_target: Option<u32>,
    /// `MINIMUM_IP_TARGET`.
    pub minimum_ip_target: Option<u32>,
    /// `WARM_PREFIX_TARGET`.
    pub warm_prefix_target: Option<u32>,
    /// `ENABLE_PREFIX_DELEGATION`.
    pub prefix_delegation: bool,
    /// `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`.
    pub custom_networking: bool,
}

impl AdvisedSettings {
    /// The six settings of `cni`.
    pub fn of(cni: &CniSettings) -> Self {
        AdvisedSettings {
            warm_eni_target: cni.warm_eni_target,
            warm_ip_target: cni.warm_ip_target,
            minimum_ip_target: cni.minimum_ip_target,
            warm_prefix_target: cni.warm_prefix_target,
            prefix_delegation: cni.prefix_delegation,
            custom_networking: cni.custom_networking,
        }
    }

    /// `cni` with these six settings in place of its own.
    pub fn applied_to(&self, cni: &CniSettings) -> CniSettings {
        CniSettings {
            warm_eni_target: self.warm_eni_target,
            warm_ip_target: self.warm_ip_target,
            minimum_ip_target: self.minimum_ip_target,
            warm_prefix_target: self.warm_prefix_target,
            prefix_delegation: self.prefix_delegation,
            custom_networking: self.custom_networking,
            ..cni.clone()
        }
    }

    /// The settings as the aws-node daemonset's variables, e.g.
    /// `WARM_IP_TARGET=2 MINIMUM_IP_TARGET=22`; `defaults` when none is set.
    pub fn variables(&self) -> String {
        let numbers = [
            ("WARM_ENI_TARGET", self.warm_eni_target),
            ("WARM_IP_TARGET", self.warm_ip_target),
            ("MINIMUM_IP_TARGET", self.minimum_ip_target),
            ("WARM_PREFIX_TARGET", self.warm_prefix_target),
        ];
        let mut parts: Vec<String> = numbers
            .iter()
            .filter_map(|(name, v)| v.map(|v| format!("{name}={v}")))
            .collect();
        if self.prefix_delegation {
            parts.push("ENABLE_PREFIX_DELEGATION=true".into());
        }
        if self.custom_networking {
            parts.push("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true".into());
        }
        if parts.is_empty() {
            "defaults".into()
        } else {
            parts.join(" ")
        }
    }
}

/// Whether an option was weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionStatus {
    /// Evaluated; its figures are given.
    Ok,
    /// ipamd would refuse the settings (the model's own refusal rules).
    Invalid,
    /// The advisor's preconditions rule it out (no pod subnet, a type without prefixes).
    NotPossible,
    /// Its evaluation failed.
    Error,
}

impl OptionStatus {
    /// The status as outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            OptionStatus::Ok => "ok",
            OptionStatus::Invalid => "invalid",
            OptionStatus::NotPossible => "not_possible",
            OptionStatus::Error => "error",
        }
    }
}

impl Serialize for OptionStatus {
    /// As [`OptionStatus::name`] spells it.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Why an option cannot be weighed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotPossible {
    /// A node group's type cannot use /28 prefixes.
    NoPrefixes {
        /// The type.
        instance_type: String,
        /// Its node group, 1-based.
        node_group: usize,
        /// Its hypervisor, when a source gives it.
        hypervisor: Option<String>,
    },
    /// Custom networking needs a pod subnet (`pod_subnet_cidr`) to move pods to.
    NoPodSubnet,
}

/// The phases an option's figures answer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Fits {
    /// At the desired instance counts.
    pub at_desired: bool,
    /// At the autoscaler's maximum, when the scenario gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_max: Option<bool>,
    /// During a managed node group update, when the model works it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub during_update: Option<bool>,
    /// In the addresses free today, when a describe-subnets file gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_free_now: Option<bool>,
}

impl Fits {
    /// Whether the option fits in every phase known.
    pub fn everywhere(&self) -> bool {
        self.at_desired
            && self.at_max != Some(false)
            && self.during_update != Some(false)
            && self.in_free_now != Some(false)
    }
}

/// What an option's settings risk besides its figures (as the evaluation's warnings say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Risks {
    /// A target of 0 makes ipamd create and release addresses every few seconds: its EC2 calls
    /// never stop.
    pub pool_oscillates: bool,
    /// A subnet holding prefixes has fewer free /28 blocks than the nodes need.
    pub prefix_blocks_short: bool,
}

/// An evaluated option's figures: those of a plain vpc-cni evaluation of the scenario with the
/// option's settings, under the same names.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OptionFigures {
    /// Node-subnet addresses used.
    pub used_ips: i64,
    /// Pod-subnet addresses used (custom networking), else `None`.
    pub pod_subnet_used_ips: Option<i64>,
    /// Whether it fits, by phase.
    pub fits: Fits,
    /// The fullest subnet's share of its addresses (or /28 blocks), in percent.
    pub fullest_subnet_pct: Option<f64>,
    /// The smallest node subnet that fits (`None`: none does).
    pub min_subnet_prefix: Option<u8>,
    /// The smallest pod subnet that fits (custom networking with a pod subnet).
    pub pod_subnet_min_prefix: Option<u8>,
    /// More nodes of the largest node group that would still fit.
    pub headroom_nodes: Option<i64>,
    /// Pods without an address.
    pub pods_without_ip: i64,
    /// Addresses ready for new pods on a node, without an EC2 call: the least over node groups
    /// with nodes (`node_groups[].warm_ips_per_node`).
    pub warm_ips_per_node: u32,
    /// ipamd's mutating EC2 calls from boot to steady state on a node: the most over node
    /// groups (`node_groups[].ec2_calls_per_node`).
    pub ec2_calls_per_node: u32,
    /// ipamd's reading EC2 calls on a node, the most over node groups.
    pub ec2_read_calls_per_node: u32,
    /// Mutating EC2 calls when every node of the cluster starts once.
    pub ec2_calls_total: u64,
    /// Addresses saved against the scenario's own settings, in percent of theirs (node and pod
    /// subnets together); negative when the option takes more.
    pub saving_pct: Option<f64>,
    /// What the settings risk.
    pub risks: Risks,
}

impl OptionFigures {
    /// Node- and pod-subnet addresses together.
    pub fn all_ips(&self) -> i64 {
        self.used_ips
            .saturating_add(self.pod_subnet_used_ips.unwrap_or(0))
    }
}

/// Why an option is, or is not, the one to choose: data, worded by its `Display`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The recommendation.
    Recommended(Choice),
    /// The recommendation is the scenario's own settings.
    KeepToday(Choice),
    /// No option fits; this one needs the smallest subnets.
    NoneFits {
        /// The node-subnet prefix it needs.
        prefix: Option<u8>,
        /// The pod-subnet prefix it needs (custom networking).
        pod_prefix: Option<u8>,
    },
    /// It does not fit.
    DoesNotFit {
        /// Its fullest subnet's share, in percent, when known.
        fullest_pct: Option<f64>,
    },
    /// It leaves pods without an address where another option does not.
    MorePodsWithoutIp {
        /// Its pods without an address.
        pods: i64,
        /// The fewest of another option.
        best: i64,
    },
    /// It keeps fewer addresses warm than `--min-warm-ips`.
    FewerWarm {
        /// Its warm addresses per node.
        warm: u32,
        /// `--min-warm-ips`.
        min: u32,
    },
    /// Another option leaves room for more nodes.
    LessHeadroom {
        /// Its headroom.
        has: i64,
        /// The most of another option.
        best: i64,
    },
    /// Another option makes fewer EC2 calls.
    MoreCalls {
        /// Its calls for the cluster.
        has: u64,
        /// The fewest of another option.
        best: u64,
    },
    /// Another option takes fewer addresses.
    MoreAddresses {
        /// Its addresses.
        has: i64,
        /// The fewest of another option.
        best: i64,
    },
    /// The same figures as an option listed before it.
    Tie {
        /// That option.
        with: OptionId,
    },
    /// Its settings are the scenario's own.
    SameAsGiven,
    /// The advisor's preconditions rule it out.
    NotPossible(NotPossible),
    /// ipamd would refuse the settings.
    Refused {
        /// The model's refusal.
        message: String,
    },
    /// Its evaluation failed.
    Failed {
        /// The failure.
        message: String,
    },
}

/// What a recommendation's reason says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The option's phases.
    pub fits: Fits,
    /// Its headroom.
    pub headroom_nodes: Option<i64>,
    /// Its warm addresses per node.
    pub warm_ips_per_node: u32,
    /// Its addresses (node and pod subnets) and the scenario's own settings', when those have
    /// figures.
    pub addresses: (i64, Option<i64>),
    /// Under custom networking where the scenario has none: the pod subnet, the node-subnet
    /// addresses with the option, and with today's settings.
    pub moves_pods: Option<(String, i64, i64)>,
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("fits today")?;
        if self.fits.at_max == Some(true) {
            f.write_str(", at the autoscaler's maximum")?;
        }
        if self.fits.during_update == Some(true) {
            f.write_str(" and during a node group update")?;
        }
        if let Some(h) = self.headroom_nodes {
            write!(f, ", with {h} more node{} of headroom", plural(h))?;
        }
        let w = self.warm_ips_per_node;
        write!(
            f,
            "; keeps {w} address{} warm per node",
            if w == 1 { "" } else { "es" }
        )?;
        if let Some((subnet, with, today)) = &self.moves_pods {
            write!(
                f,
                "; moves pods to the pod subnet {subnet}: {with} node-subnet addresses instead of {today}"
            )?;
        }
        match self.addresses {
            (now, Some(today)) if today > 0 && now != today => {
                let pct = (today - now).abs() as f64 * 100.0 / today as f64;
                let word = if now < today { "fewer" } else { "more" };
                write!(
                    f,
                    "; {pct:.0} % {word} addresses than today's setting ({now} against {today})"
                )
            }
            _ => Ok(()),
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl fmt::Display for NotPossible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotPossible::NoPrefixes {
                instance_type,
                node_group,
                hypervisor,
            } => {
                let hv = match hypervisor.as_deref() {
                    Some(h) if h.eq_ignore_ascii_case("xen") => "Xen".to_owned(),
                    Some(h) => h.to_owned(),
                    None => "hypervisor unknown".to_owned(),
                };
                write!(
                    f,
                    "{instance_type} (node group {node_group}) cannot use /28 prefixes ({hv}; \
                     prefix delegation needs a Nitro or bare-metal type): ipamd would fall back \
                     to secondary IPs"
                )
            }
            NotPossible::NoPodSubnet => {
                f.write_str("no pod subnet (pod_subnet_cidr) to move pods to")
            }
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Recommended(choice) => write!(f, "{choice}"),
            Reason::KeepToday(choice) => write!(f, "keep today's settings: {choice}"),
            Reason::NoneFits { prefix, pod_prefix } => {
                f.write_str("no option fits; this one needs the smallest subnets")?;
                if let Some(p) = prefix {
                    write!(f, ": a /{p} for each node subnet")?;
                }
                if let Some(p) = pod_prefix {
                    write!(f, ", a /{p} for each pod subnet")?;
                }
                Ok(())
            }
            Reason::DoesNotFit { fullest_pct } => match fullest_pct {
                Some(pct) => write!(f, "does not fit (fullest subnet {pct:.1} %)"),
                None => f.write_str("does not fit"),
            },
            Reason::MorePodsWithoutIp { pods, best } => write!(
                f,
                "{pods} pod{} get no address (another option: {best})",
                plural(*pods)
            ),
            Reason::FewerWarm { warm, min } => write!(
                f,
                "keeps {warm} address{} warm per node, below --min-warm-ips {min}",
                if *warm == 1 { "" } else { "es" }
            ),
            Reason::LessHeadroom { has, best } => write!(
                f,
                "less headroom: {has} node{} against {best}",
                plural(*has)
            ),
            Reason::MoreCalls { has, best } => write!(f, "more EC2 calls: {has} against {best}"),
            Reason::MoreAddresses { has, best } => {
                write!(f, "more addresses: {has} against {best}")
            }
            Reason::Tie { with } => write!(f, "the same figures as {}, listed first", with.name()),
            Reason::SameAsGiven => f.write_str("same settings as today's"),
            Reason::NotPossible(why) => write!(f, "{why}"),
            Reason::Refused { message } | Reason::Failed { message } => f.write_str(message),
        }
    }
}

/// One option the advisor weighed. In JSON its figures are fields of its own, and its reason
/// the text [`Reason`]'s `Display` words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdviceOption {
    /// Which option.
    pub id: OptionId,
    /// Its six settings.
    pub settings: AdvisedSettings,
    /// Whether it was weighed.
    pub status: OptionStatus,
    /// Its figures, when evaluated.
    #[serde(flatten)]
    pub figures: Option<OptionFigures>,
    /// Why it is, or is not, the one to choose.
    #[serde(serialize_with = "as_text")]
    pub reason: Reason,
}

/// Serializes a value as the text its `Display` words (the one wording place).
fn as_text<T: fmt::Display, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// [`as_text`] of an optional value (`null` when absent).
fn as_optional_text<T: fmt::Display, S: serde::Serializer>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// Why a scenario gets no options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotApplicable {
    /// IPv6 pods: ipamd keeps no IPv4 pool to tune.
    Ipv6,
    /// The scenario's own evaluation failed.
    GivenFailed,
}

impl fmt::Display for NotApplicable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotApplicable::Ipv6 => "IPv6: ipamd keeps no IPv4 pool to tune",
            NotApplicable::GivenFailed => "the scenario's own settings have no figures",
        })
    }
}

/// The advisor's answer for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    /// `--min-warm-ips`.
    pub min_warm_ips: u32,
    /// The index of the recommended option in `options`.
    pub recommended: Option<usize>,
    /// Every option, in [`OptionId::ALL`] order (empty when not applicable).
    pub options: Vec<AdviceOption>,
    /// Why there are no options.
    #[serde(
        serialize_with = "as_optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub not_applicable: Option<NotApplicable>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_the_models_doc_says() {
        let choice = Choice {
            fits: Fits {
                at_desired: true,
                at_max: None,
                during_update: Some(true),
                in_free_now: None,
            },
            headroom_nodes: Some(2),
            warm_ips_per_node: 2,
            addresses: (182, Some(315)),
            moves_pods: None,
        };
        assert_eq!(
            Reason::Recommended(choice.clone()).to_string(),
            "fits today and during a node group update, with 2 more nodes of headroom; keeps 2 \
             addresses warm per node; 42 % fewer addresses than today's setting (182 against 315)"
        );
        let same = Choice {
            addresses: (315, Some(315)),
            fits: Fits {
                at_desired: true,
                ..Fits::default()
            },
            headroom_nodes: Some(1),
            warm_ips_per_node: 1,
            ..choice
        };
        assert_eq!(
            Reason::KeepToday(same).to_string(),
            "keep today's settings: fits today, with 1 more node of headroom; keeps 1 address \
             warm per node"
        );
        let xen = NotPossible::NoPrefixes {
            instance_type: "m4.large".into(),
            node_group: 2,
            hypervisor: Some("xen".into()),
        };
        assert_eq!(
            xen.to_string(),
            "m4.large (node group 2) cannot use /28 prefixes (Xen; prefix delegation needs a \
             Nitro or bare-metal type): ipamd would fall back to secondary IPs"
        );
        assert_eq!(
            Reason::NoneFits {
                prefix: Some(23),
                pod_prefix: None
            }
            .to_string(),
            "no option fits; this one needs the smallest subnets: a /23 for each node subnet"
        );
    }

    #[test]
    fn settings_show_as_the_daemonsets_variables() {
        let s = AdvisedSettings {
            warm_ip_target: Some(2),
            minimum_ip_target: Some(22),
            ..AdvisedSettings::default()
        };
        assert_eq!(s.variables(), "WARM_IP_TARGET=2 MINIMUM_IP_TARGET=22");
        assert_eq!(AdvisedSettings::default().variables(), "defaults");
        let cni = CniSettings {
            security_groups_for_pods: true,
            warm_eni_target: Some(3),
            ..CniSettings::default()
        };
        let applied = s.applied_to(&cni);
        assert!(applied.security_groups_for_pods);
        assert_eq!(applied.warm_eni_target, None);
        assert_eq!(AdvisedSettings::of(&applied), s);
    }
}
