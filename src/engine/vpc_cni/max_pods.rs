//! Max pods: which value kubelet gets, by which of the two upstream rules.
//!
//! * **calculator** (the default): the EKS AMI's `max-pods-calculator.sh` (awslabs/amazon-eks-ami
//!   `templates/al2/runtime/max-pods-calculator.sh` at 0ab84280, the last commit with the AL2
//!   files): `enis·(L−1)+2`, or `enis·(L−1)·16+2` with prefix delegation on a `nitro` type
//!   (lines 97-107, 142-146; the script checks only the hypervisor, so bare metal gets the
//!   first), `enis = min(MAX_ENI, E)` (132-136), minus 1 under custom networking (138-140);
//!   capped at 110 up to 30 vCPUs and 250 above (148-162). EKS managed node groups without a
//!   custom AMI apply it (the EKS user guide's "create-managed-node-group" page).
//! * **table**: the catalogue's max pods, as AL2 nodes bootstrapped with `--use-max-pods` (the
//!   default) read it from `eni-max-pods.txt` (`templates/al2/runtime/bootstrap.sh` 41, 215,
//!   510-532): `E·(L−1)+2`, uncapped (234 for m5.4xlarge where the calculator gives 110). AL2023's
//!   nodeadm computes the same (`nodeadm/internal/kubelet/eni_max_pods.go` 75-77).
//!
//! A node group's own `max_pods` (kubelet `--max-pods`) overrides both.

use serde::Serialize;

use crate::catalog::InstanceLimits;
use crate::evaluation::MaxPodsSource;
use crate::scenario::{MaxPodsRule, NodeGroup, Scenario};
use crate::warning::{About, WarningKind, Warnings};

use super::pool::sat32;
use super::settings::EffectiveSettings;

/// Picks a node group's max pods: its own `max_pods`, else the rule's value. `Err` names what
/// is missing (the table rule on a type whose catalogue entry has no max pods).
pub fn choose(
    node_group: Option<u32>,
    rule: MaxPodsRule,
    table: Option<u32>,
    calculator: u32,
) -> Result<(u32, MaxPodsSource), String> {
    match (node_group, rule) {
        (Some(mp), _) => Ok((mp, MaxPodsSource::NodeGroup)),
        (None, MaxPodsRule::Calculator) => Ok((calculator, MaxPodsSource::Calculator)),
        (None, MaxPodsRule::Table) => table.map(|mp| (mp, MaxPodsSource::Table)).ok_or_else(|| {
            format!(
                "no max pods in the catalogue ({})",
                table_rule_needs("max_pods_rule=table")
            )
        }),
    }
}

/// What [`choose`] says when the table rule finds no max pods; `rule` names where the rule came
/// from (`max_pods_rule=table`, or `--max-pods-rule table`).
pub fn table_rule_needs(rule: &str) -> String {
    format!(
        "{rule} reads the catalogue's max pods, as AL2's bootstrap reads eni-max-pods.txt: add \
         that file (or a limits CSV with a max_pods column) with --catalog, or use the calculator \
         rule"
    )
}

/// The calculator's value for a type with the scenario's settings, as the engine uses it: run
/// with `--cni-max-eni` when `MAX_ENI` lowers the limit, `--cni-custom-networking-enabled` under
/// custom networking, and the prefix formula with prefix delegation (or IPv6) on a `nitro` type
/// (a type whose hypervisor no catalogue gives is not, as the script's `jq` reads a missing
/// `Hypervisor` as `null`). `None` without the type's ENI limits.
pub fn calculator_for(
    l: &InstanceLimits,
    settings: &EffectiveSettings,
) -> Option<CalculatedMaxPods> {
    let (e_inst, ipv4_per_eni) = (l.max_enis?, l.ipv4_per_eni?);
    Some(calculator_max_pods(
        &l.instance_type,
        settings.enis(e_inst),
        ipv4_per_eni,
        prefix_formula(l, settings),
        settings.custom_networking_applies(),
        l.vcpus,
    ))
}

/// Whether the calculator uses its prefix formula for a type: prefix delegation requested (or
/// IPv6) on a `nitro` type (the script checks the hypervisor only, so bare metal, which EC2
/// gives no hypervisor, gets the secondary-IP formula).
fn prefix_formula(l: &InstanceLimits, settings: &EffectiveSettings) -> bool {
    l.is_nitro() && (settings.prefix_delegation_requested() || settings.ipv6())
}

/// A node group's max pods by its scenario's rule, with the warnings that explain it (about node
/// group `index`).
pub(super) fn for_group(
    index: u32,
    g: &NodeGroup,
    l: &InstanceLimits,
    scenario: &Scenario,
    settings: &EffectiveSettings,
    warnings: &mut Warnings,
) -> Result<(u32, MaxPodsSource), String> {
    let name = &g.instance_type;
    let calc = calculator_for(l, settings).unwrap_or_default();
    let rule = scenario.max_pods_rule.unwrap_or_default();
    let (mp, source) =
        choose(g.max_pods, rule, l.max_pods, calc.value).map_err(|why| format!("{name}: {why}"))?;
    match source {
        MaxPodsSource::NodeGroup => {
            let sip = calculator_for(
                l,
                &EffectiveSettings {
                    prefix_delegation: false,
                    ..*settings
                },
            )
            .unwrap_or_default()
            .value;
            if prefix_formula(l, settings) && !settings.ipv6() && mp == sip && calc.value > mp {
                warnings.add(
                    WarningKind::MaxPodsStopsPrefixPool {
                        instance_type: name.clone(),
                        max_pods: mp,
                        prefixes: mp.div_ceil(16),
                        calculator: calc.value,
                    },
                    About::node_group(index),
                );
            }
        }
        MaxPodsSource::Calculator if calc.cap_assumed => warnings.add(
            WarningKind::VcpusUnknown {
                instance_type: name.clone(),
                cap: calc.cap,
                max_pods: calc.value,
            },
            About::node_group(index),
        ),
        _ => {}
    }
    Ok((mp, source))
}

/// The EKS AMI max-pods calculator's value for a type (§9), and the cap it applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CalculatedMaxPods {
    /// The value kubelet gets.
    pub value: u32,
    /// The formula's value before the cap.
    pub uncapped: u64,
    /// The cap: 110 (≤ 30 vCPUs) or 250.
    pub cap: u32,
    /// True when the vCPU count was unknown and the cap was assumed (and mattered).
    pub cap_assumed: bool,
}

/// The EKS AMI `max-pods-calculator.sh` rule: `E·(L−1)+2`, or `E·(L−1)·16+2` when
/// `prefix_formula` (prefix delegation on a Nitro type), with `E − 1` under custom networking,
/// capped at 110 for up to 30 vCPUs and 250 above. Without `vcpus` the count is guessed from the
/// size name (see the module docs) and `cap_assumed` is set when the cap changed the value.
pub fn calculator_max_pods(
    instance_type: &str,
    max_enis: u32,
    ipv4_per_eni: u32,
    prefix_formula: bool,
    custom_networking: bool,
    vcpus: Option<u32>,
) -> CalculatedMaxPods {
    let enis = u64::from(max_enis.saturating_sub(u32::from(custom_networking)));
    let per_eni = u64::from(ipv4_per_eni.saturating_sub(1)) * if prefix_formula { 16 } else { 1 };
    let uncapped = enis.saturating_mul(per_eni).saturating_add(2);
    let cpus = vcpus.or_else(|| guessed_vcpus(instance_type));
    let cap = match cpus {
        Some(n) if n <= 30 => 110,
        _ => 250,
    };
    CalculatedMaxPods {
        value: sat32(uncapped.min(u64::from(cap))),
        uncapped,
        cap,
        cap_assumed: vcpus.is_none() && uncapped > 110,
    }
}

/// vCPUs guessed from an instance size name: `Nxlarge` ≈ 4·N, `xlarge` 4, `large` and smaller 2.
/// `None` for other names (`metal`, …).
pub fn guessed_vcpus(instance_type: &str) -> Option<u32> {
    let size = instance_type
        .trim()
        .rsplit('.')
        .next()?
        .to_ascii_lowercase();
    match size.as_str() {
        "nano" | "micro" | "small" | "medium" | "large" => Some(2),
        _ => {
            let n = size.strip_suffix("xlarge")?;
            if n.is_empty() {
                Some(4)
            } else {
                n.parse::<u32>().ok().map(|n| n.saturating_mul(4))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_pods_calculator_caps() {
        let v = |n: &str, e, l, pd, cn, cpus| calculator_max_pods(n, e, l, pd, cn, cpus);
        assert_eq!(v("t3.small", 3, 4, false, false, Some(2)).value, 11);
        assert_eq!(v("t3.small", 3, 4, true, false, Some(2)).value, 110);
        assert_eq!(v("m5.large", 3, 10, false, true, Some(2)).value, 20);
        let big = v("p3dn.24xlarge", 15, 50, false, false, Some(96));
        assert_eq!(
            (big.value, big.uncapped, big.cap, big.cap_assumed),
            (250, 737, 250, false)
        );
        // Exactly 30 vCPUs is still 110 (`-gt 30`, max-pods-calculator.sh 158).
        assert_eq!(v("c5.9xlarge", 8, 30, false, false, Some(30)).cap, 110);
        // Without vCPUs the cap comes from the size name, with a flag for the warning.
        let guessed = v("p3dn.24xlarge", 15, 50, false, false, None);
        assert_eq!((guessed.value, guessed.cap_assumed), (250, true));
        let guessed = v("c5.4xlarge", 8, 30, false, false, None);
        assert_eq!(
            (guessed.value, guessed.cap, guessed.cap_assumed),
            (110, 110, true)
        );
        assert_eq!(v("c5.metal", 15, 50, false, false, None).value, 250);
        // Below 110 the cap does not matter and nothing is assumed.
        assert!(!v("t3.small", 3, 4, false, false, None).cap_assumed);
        assert_eq!(guessed_vcpus("m5.xlarge"), Some(4));
        assert_eq!(guessed_vcpus("m5.12xlarge"), Some(48));
        assert_eq!(guessed_vcpus("t3.nano"), Some(2));
        assert_eq!(guessed_vcpus("c5.metal"), None);
    }

    #[test]
    fn the_rules_pick_their_value_and_say_which() {
        // m5.4xlarge: eni-max-pods.txt 234 (uncapped), the calculator 110 (16 vCPUs).
        assert_eq!(
            choose(None, MaxPodsRule::Calculator, Some(234), 110),
            Ok((110, MaxPodsSource::Calculator))
        );
        assert_eq!(
            choose(None, MaxPodsRule::Table, Some(234), 110),
            Ok((234, MaxPodsSource::Table))
        );
        assert_eq!(
            choose(Some(58), MaxPodsRule::Table, Some(234), 110),
            Ok((58, MaxPodsSource::NodeGroup))
        );
        assert!(
            choose(None, MaxPodsRule::Table, None, 110)
                .unwrap_err()
                .contains("max_pods_rule=table")
        );
    }
}
