//! The settings advisor: for one scenario, the vpc-cni model's figures under each of a fixed
//! set of VPC CNI settings ([`OptionId::ALL`]), and the one to choose (by the rule of `choose.rs`).
//! Every option's figures are those of a plain vpc-cni evaluation of the scenario with the
//! option's settings written in, so "what the advisor says" and "what `eval` says" are one.

mod choose;
mod options;

use crate::catalog::Catalog;
use crate::evaluation::advice::{
    Advice, AdviceOption, Choice, Fits, NotApplicable, OptionFigures, OptionId, OptionStatus,
    Reason, Risks,
};
use crate::evaluation::{Evaluation, NodeGroupResults, Status};
use crate::scenario::{IpFamily, Scenario};

pub use options::{minimum_ip_target, settings_for};

use super::{usage, vpc_cni};

/// What the user asks of the advisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdviceRequest {
    /// `--min-warm-ips`: the warm addresses per node a recommendation keeps at least.
    pub min_warm_ips: u32,
}

impl Default for AdviceRequest {
    /// Two warm addresses: upstream's own example of `WARM_IP_TARGET` for small subnets
    /// (amazon-vpc-cni-k8s `docs/eni-and-ip-target.md`).
    fn default() -> Self {
        AdviceRequest { min_warm_ips: 2 }
    }
}

/// The advice for scenario `s`, whose vpc-cni evaluation with its own settings is `given`.
pub fn advise(s: &Scenario, catalog: &Catalog, given: &Evaluation, req: AdviceRequest) -> Advice {
    let not_applicable = if s.cni.ip_family == IpFamily::Ipv6 {
        Some(NotApplicable::Ipv6)
    } else if given.status != Status::Ok {
        Some(NotApplicable::GivenFailed)
    } else {
        None
    };
    if not_applicable.is_some() {
        return Advice {
            min_warm_ips: req.min_warm_ips,
            recommended: None,
            options: Vec::new(),
            not_applicable,
        };
    }
    let given_figures = figures(given, None);
    let given_ips = given_figures.all_ips();
    let mut options: Vec<AdviceOption> = OptionId::ALL
        .iter()
        .map(|&id| weigh(id, s, catalog, &given_figures, given_ips))
        .collect();
    let (recommended, lost) = choose::recommend(&options, req.min_warm_ips);
    for (i, reason) in lost {
        if options[i].reason != Reason::SameAsGiven {
            options[i].reason = reason;
        }
    }
    if let Some(i) = recommended {
        let choice = choice(s, &options[i], &given_figures);
        options[i].reason = match (i, options[i].figures.as_ref()) {
            (_, Some(f)) if !f.fits.everywhere() => Reason::NoneFits {
                prefix: f.min_subnet_prefix,
                pod_prefix: f.pod_subnet_min_prefix,
            },
            (0, _) => Reason::KeepToday(choice),
            _ => Reason::Recommended(choice),
        };
    }
    Advice {
        min_warm_ips: req.min_warm_ips,
        recommended,
        options,
        not_applicable: None,
    }
}

/// One option, evaluated when it can be.
fn weigh(
    id: OptionId,
    s: &Scenario,
    catalog: &Catalog,
    given_figures: &OptionFigures,
    given_ips: i64,
) -> AdviceOption {
    let option = |settings, status, figures, reason| AdviceOption {
        id,
        settings,
        status,
        figures,
        reason,
    };
    let settings = match settings_for(id, s, catalog) {
        Ok(settings) => settings,
        Err(why) => {
            return option(
                options::settings_of(id, s),
                OptionStatus::NotPossible,
                None,
                Reason::NotPossible(why),
            );
        }
    };
    // Compared as ipamd reads them: a blank WARM_ENI_TARGET is 1.
    let effective = |cni| vpc_cni::EffectiveSettings::from_cni(cni);
    let same = effective(&settings.applied_to(&s.cni)) == effective(&s.cni);
    if id == OptionId::Given || same {
        let reason = if id == OptionId::Given {
            Reason::Tie { with: id }
        } else {
            Reason::SameAsGiven
        };
        let mut figures = given_figures.clone();
        figures.saving_pct = saving(given_ips, figures.all_ips());
        return option(settings, OptionStatus::Ok, Some(figures), reason);
    }
    let mut scenario = s.clone();
    scenario.cni = settings.applied_to(&s.cni);
    let e = vpc_cni::evaluation(&scenario, catalog);
    match e.status {
        Status::Ok => {
            let f = figures(&e, Some(given_ips));
            option(
                settings,
                OptionStatus::Ok,
                Some(f),
                Reason::Tie { with: id },
            )
        }
        Status::Invalid => option(
            settings,
            OptionStatus::Invalid,
            None,
            Reason::Refused {
                message: e.message.unwrap_or_default(),
            },
        ),
        _ => option(
            settings,
            OptionStatus::Error,
            None,
            Reason::Failed {
                message: e.message.unwrap_or_default(),
            },
        ),
    }
}

/// An evaluation's figures as an option's, with its saving against `given_ips`.
fn figures(e: &Evaluation, given_ips: Option<i64>) -> OptionFigures {
    let groups = match &e.node_groups {
        NodeGroupResults::VpcCni(groups) => groups.as_slice(),
        _ => &[],
    };
    let live = || groups.iter().filter(|g| g.instances > 0);
    let f = OptionFigures {
        used_ips: e.used_ips.unwrap_or(0),
        pod_subnet_used_ips: e.pod_subnet_used_ips,
        fits: Fits {
            at_desired: !e.out_of_addresses,
            ..Fits::default()
        },
        fullest_subnet_pct: e.fullest_subnet_pct,
        min_subnet_prefix: e.min_subnet_prefix,
        pod_subnet_min_prefix: e.pod_subnet_min_prefix,
        headroom_nodes: e.headroom_nodes,
        pods_without_ip: e.pods_without_ip.unwrap_or(0),
        warm_ips_per_node: live().map(|g| g.warm_ips_per_node).min().unwrap_or(0),
        ec2_calls_per_node: live().map(|g| g.ec2_calls_per_node).max().unwrap_or(0),
        ec2_read_calls_per_node: live().map(|g| g.ec2_read_calls_per_node).max().unwrap_or(0),
        ec2_calls_total: live()
            .map(|g| u64::from(g.ec2_calls_per_node) * u64::from(g.instances))
            .sum(),
        saving_pct: None,
        risks: Risks {
            pool_oscillates: live().any(|g| g.oscillating),
            prefix_blocks_short: e.subnets.iter().any(|u| {
                usage::prefix_blocks_short(
                    u.used_ips,
                    u.prefix_blocks_needed,
                    u.prefix_blocks_available,
                )
            }),
        },
    };
    OptionFigures {
        saving_pct: given_ips.and_then(|g| saving(g, f.all_ips())),
        ..f
    }
}

/// The share of `given` addresses an option saves, in percent.
fn saving(given: i64, ips: i64) -> Option<f64> {
    (given > 0).then(|| (given - ips) as f64 * 100.0 / given as f64)
}

/// What the recommendation's reason says of option `o`.
fn choice(s: &Scenario, o: &AdviceOption, given: &OptionFigures) -> Choice {
    let f = o.figures.clone().unwrap_or_default();
    let moves = o.settings.custom_networking && !s.cni.custom_networking;
    Choice {
        fits: f.fits,
        headroom_nodes: f.headroom_nodes,
        warm_ips_per_node: f.warm_ips_per_node,
        addresses: (f.all_ips(), Some(given.all_ips())),
        moves_pods: moves.then(|| {
            let pod_subnet = crate::scenario::format_subnets(&s.pod_subnets);
            (pod_subnet, f.used_ips, given.used_ips)
        }),
    }
}

#[cfg(test)]
mod tests;
