//! Properties of the settings advisor over random scenarios of the 1,391 upstream instance
//! types: every option's figures are those of a plain evaluation of the scenario with the
//! option's settings written into a scenario CSV and read back, and the recommendation fits
//! whenever any option does.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use subnet_calc::catalog::{Catalog, InstanceLimits};
use subnet_calc::engine::advisor::{AdviceRequest, advise};
use subnet_calc::engine::evaluate;
use subnet_calc::evaluation::advice::{Advice, OptionFigures, OptionId, OptionStatus, Reason};
use subnet_calc::evaluation::{Evaluation, Model, NodeGroupResults, Status};
use subnet_calc::scenario::{CniSettings, NodeGroup, Scenario, Subnet};

/// The upstream types, read once.
fn types() -> &'static (Catalog, Vec<InstanceLimits>) {
    static TYPES: OnceLock<(Catalog, Vec<InstanceLimits>)> = OnceLock::new();
    TYPES.get_or_init(|| {
        let read = |name: &str| {
            let bytes = std::fs::read(common::data(&format!("upstream/{name}"))).expect(name);
            subnet_calc::read::catalog_files::read_bytes(name, bytes).expect(name)
        };
        let mut catalog = read("instance-limits.csv");
        catalog.layer(&read("branch-eni-limits.csv"));
        let list = catalog
            .entries()
            .into_iter()
            .filter(|l| l.max_enis.is_some() && l.ipv4_per_eni.is_some())
            .cloned()
            .collect::<Vec<_>>();
        (catalog, list)
    })
}

/// A random cluster: one to three node groups, one to three node subnets, a pod subnet or
/// none, random given settings.
fn scenario() -> impl Strategy<Value = Scenario> {
    let group = (0usize..10_000, 0u32..40, 0u32..120, 0u32..4);
    let cni = (
        prop_oneof![Just(None), (0u32..3).prop_map(Some)],
        prop_oneof![Just(None), (1u32..10).prop_map(Some)],
        prop_oneof![Just(None), (1u32..40).prop_map(Some)],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    (
        prop::collection::vec(group, 1..4),
        prop::collection::vec(19u8..27, 1..4),
        prop_oneof![Just(None), (16u8..24).prop_map(Some)],
        cni,
        0u32..4,
    )
        .prop_map(|(groups, sizes, pod, cni, daemonset_pods)| {
            let (_, list) = types();
            let (warm_eni_target, warm_ip_target, minimum_ip_target, pd, cn, sgp) = cni;
            Scenario {
                id: "p".into(),
                // Consecutive /n subnets of 10.0.0.0/8, each aligned to its size.
                subnets: sizes
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| format!("10.{i}.0.0/{n}").parse::<Subnet>().unwrap())
                    .collect(),
                pod_subnets: pod
                    .map(|n| format!("100.64.0.0/{n}").parse::<Subnet>().unwrap())
                    .into_iter()
                    .collect(),
                cni: CniSettings {
                    warm_eni_target,
                    warm_ip_target,
                    minimum_ip_target,
                    prefix_delegation: pd,
                    custom_networking: cn && pod.is_some(),
                    security_groups_for_pods: sgp,
                    ..CniSettings::default()
                },
                host_networking_ips: 0,
                daemonset_pods,
                max_pods_rule: None,
                node_groups: groups
                    .into_iter()
                    .map(|(t, instances, pods, branch)| NodeGroup {
                        instance_type: list[t % list.len()].instance_type.as_str().into(),
                        instances,
                        pods_per_node: pods,
                        max_pods: None,
                        branch_eni_pods: branch,
                    })
                    .collect(),
            }
        })
}

/// The scenario with the option's settings, written as a scenario CSV and read back.
fn through_csv(s: &Scenario, cni: CniSettings) -> Scenario {
    let with = Scenario { cni, ..s.clone() };
    let csv = subnet_calc::write::scenario_export::write(Vec::new(), &[&with]).unwrap();
    let mut read = subnet_calc::read::scenario_csv::read_bytes("option.csv", &csv).unwrap();
    assert_eq!(read.len(), 1);
    read.remove(0).scenario
}

/// The figures an option must show, derived from a plain evaluation here.
fn expected(e: &Evaluation) -> (i64, Option<i64>, bool, Option<u8>, Option<i64>, u32, u64) {
    let NodeGroupResults::VpcCni(groups) = &e.node_groups else {
        panic!("a vpc-cni evaluation");
    };
    let live = || groups.iter().filter(|g| g.instances > 0);
    (
        e.used_ips.unwrap(),
        e.pod_subnet_used_ips,
        !e.out_of_addresses,
        e.min_subnet_prefix,
        e.headroom_nodes,
        live().map(|g| g.warm_ips_per_node).min().unwrap_or(0),
        live()
            .map(|g| u64::from(g.ec2_calls_per_node) * u64::from(g.instances))
            .sum(),
    )
}

fn shown(f: &OptionFigures) -> (i64, Option<i64>, bool, Option<u8>, Option<i64>, u32, u64) {
    (
        f.used_ips,
        f.pod_subnet_used_ips,
        f.fits.at_desired,
        f.min_subnet_prefix,
        f.headroom_nodes,
        f.warm_ips_per_node,
        f.ec2_calls_total,
    )
}

fn advice_of(s: &Scenario) -> Option<Advice> {
    let (catalog, _) = types();
    let given = evaluate(s, catalog, Model::VpcCni);
    (given.status == Status::Ok).then(|| advise(s, catalog, &given, AdviceRequest::default()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_option_is_a_plain_evaluation_of_its_settings(s in scenario()) {
        let advice = advice_of(&s);
        prop_assume!(advice.is_some(), "the scenario's own settings are refused");
        let advice = advice.unwrap();
        let (catalog, _) = types();
        let ids: Vec<OptionId> = advice.options.iter().map(|o| o.id).collect();
        prop_assert_eq!(ids, OptionId::ALL.to_vec());
        for o in &advice.options {
            let Some(f) = &o.figures else {
                prop_assert_ne!(o.status, OptionStatus::Ok);
                continue;
            };
            let read_back = through_csv(&s, o.settings.applied_to(&s.cni));
            let plain = evaluate(&read_back, catalog, Model::VpcCni);
            prop_assert_eq!(plain.status, Status::Ok);
            prop_assert_eq!(shown(f), expected(&plain), "option {}", o.id.name());
        }
        // Custom networking needs a pod subnet; prefixes need types that can hold them.
        let prefixes_everywhere = s.node_groups.iter().all(|g| {
            catalog.get(&g.instance_type).is_some_and(|l| l.supports_prefix_delegation())
        });
        for o in &advice.options {
            let not_possible = o.status == OptionStatus::NotPossible;
            let needs_pods = o.id.name().starts_with("custom_");
            let needs_prefixes = o.id.name().contains("prefix");
            let expected = (needs_pods && s.pod_subnets.is_empty())
                || (needs_prefixes && !prefixes_everywhere);
            prop_assert_eq!(not_possible, expected, "option {}", o.id.name());
        }
    }

    #[test]
    fn the_recommendation_fits_whenever_an_option_fits(s in scenario()) {
        let advice = advice_of(&s);
        prop_assume!(advice.is_some(), "the scenario's own settings are refused");
        let advice = advice.unwrap();
        let fits = |i: usize| {
            advice.options[i].figures.as_ref().is_some_and(|f| f.fits.everywhere())
        };
        let any_fits = (0..advice.options.len()).any(fits);
        let any_figures = advice.options.iter().any(|o| o.figures.is_some());
        prop_assert_eq!(advice.recommended.is_some(), any_figures);
        if let Some(r) = advice.recommended {
            prop_assert_eq!(advice.options[r].status, OptionStatus::Ok);
            prop_assert_eq!(fits(r), any_fits);
            let recommended = matches!(
                advice.options[r].reason,
                Reason::Recommended(_) | Reason::KeepToday(_) | Reason::NoneFits { .. }
            );
            prop_assert!(recommended, "{:?}", advice.options[r].reason);
        }
        // An option with today's settings shows today's figures.
        for o in advice.options.iter().filter(|o| o.reason == Reason::SameAsGiven) {
            prop_assert_eq!(
                o.figures.as_ref().map(shown),
                advice.options[0].figures.as_ref().map(shown)
            );
        }
    }
}
