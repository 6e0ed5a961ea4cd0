//! Batch evaluation: many scenarios, each with its catalogue, in parallel with rayon.
//!
//! A [`Job`] is a scenario checked against its catalogue, with the models to run on it: every
//! instance type it names is known with its ENI limits, or [`Job::new`] fails naming the file and
//! line of the node group. Jobs are evaluated a chunk at a time ([`CHUNK`], [`chunks`]), so that a
//! batch of millions never holds all its results; within a chunk, [`fold_evaluations`] runs on
//! every core and hands each run of jobs' evaluations to a fold (a writer formatting them, say) on
//! the thread that made them. Results come back in input order, deterministically, whatever the
//! number of threads.

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::engine::advisor::{AdviceRequest, advise};
use crate::engine::evaluate;
use crate::error::{Error, Result};
use crate::evaluation::{Comparison, Evaluation, Model, Status};
use crate::scenario::{LocatedScenario, MaxPodsRule, Scenario, ShownFigures};
use crate::warning::{SheetTotal, SheetTotalDiffers, Warning, WarningKind};

/// Jobs evaluated at a time: enough to keep every core busy, few enough that a batch of millions
/// never holds all its results in memory.
pub const CHUNK: usize = 16 * 1024;

/// Jobs one worker evaluates and folds in a row: small enough to share a chunk out evenly, large
/// enough that each fold's setup (a writer's buffer) is paid rarely.
const RUN: usize = 64;

/// The models a job runs, in output order.
pub type Models = &'static [Model];

/// The workbook model alone.
pub const WORKBOOK: Models = &[Model::Workbook];
/// The vpc-cni model alone.
pub const VPC_CNI: Models = &[Model::VpcCni];
/// Both models, workbook first.
pub const BOTH: Models = &[Model::Workbook, Model::VpcCni];

/// A scenario ready to evaluate, with the catalogue its instance types were checked against.
#[derive(Debug, Clone)]
pub struct Job {
    /// The scenario.
    pub scenario: Scenario,
    /// Its catalogue (shared between the scenarios of one input).
    pub catalog: Arc<Catalog>,
    /// It comes from a hidden sheet of a workbook; its evaluations say so.
    pub hidden: bool,
    /// The totals its legacy sheet shows, which the workbook model's must equal.
    pub shown: Option<ShownFigures>,
    /// The models to run, in output order.
    pub models: Models,
    /// `eval --advise`: the settings advisor runs after the vpc-cni evaluation, on the same
    /// worker, and its answer goes into that evaluation's `advice`.
    pub advise: Option<AdviceRequest>,
}

impl Job {
    /// Checks every node group's instance type against `catalog`: an unknown type, or one without
    /// ENI and IPv4 limits, is an error naming the node group's file and line or cell, the
    /// catalogues searched and close matches. `models` are the models the job runs.
    pub fn new(located: LocatedScenario, catalog: Arc<Catalog>, models: Models) -> Result<Job> {
        Job::with_default_rule(located, catalog, models, None)
    }

    /// [`Job::new`], with the run's max-pods rule (`--max-pods-rule`) for a scenario without its
    /// own. Under the vpc-cni model the table rule needs each type's max pods in the catalogue;
    /// without it the error says where the rule came from.
    pub fn with_default_rule(
        mut located: LocatedScenario,
        catalog: Arc<Catalog>,
        models: Models,
        default_rule: Option<MaxPodsRule>,
    ) -> Result<Job> {
        let rule_named = match (located.scenario.max_pods_rule, default_rule) {
            (None, Some(rule)) => {
                located.scenario.max_pods_rule = Some(rule);
                "--max-pods-rule table"
            }
            _ => "max_pods_rule=table",
        };
        // Only the vpc-cni model reads max pods.
        let table_rule = located.scenario.max_pods_rule == Some(MaxPodsRule::Table)
            && models.contains(&Model::VpcCni);
        let searched = || catalog.searched();
        for (i, group) in located.scenario.node_groups.iter().enumerate() {
            // Built only for a message: a batch of millions checks without allocating.
            let location = || located.origin.node_group_location(i);
            let Some(limits) = catalog.get(&group.instance_type) else {
                return Err(Error::UnknownInstanceType {
                    location: location(),
                    instance_type: group.instance_type.to_string(),
                    catalogs: searched(),
                    hint: catalog.unknown_type_hint(&group.instance_type),
                });
            };
            let missing = match (limits.max_enis, limits.ipv4_per_eni) {
                (None, None) => Some("ENI limit and IPv4-per-ENI limit"),
                (None, Some(_)) => Some("ENI limit"),
                (Some(_), None) => Some("IPv4-per-ENI limit"),
                _ => None,
            };
            if table_rule && group.max_pods.is_none() && limits.max_pods.is_none() {
                return Err(Error::MissingLimits {
                    location: location(),
                    instance_type: group.instance_type.to_string(),
                    missing: "max pods".into(),
                    catalogs: searched(),
                    hint: crate::engine::vpc_cni::max_pods::table_rule_needs(rule_named),
                });
            }
            if let Some(missing) = missing {
                return Err(Error::MissingLimits {
                    location: location(),
                    instance_type: group.instance_type.to_string(),
                    missing: missing.to_owned(),
                    catalogs: searched(),
                    hint: format!(
                        "{}; add a source with both ENI limits via --catalog",
                        known_fields(limits)
                    ),
                });
            }
        }
        Ok(Job {
            scenario: located.scenario,
            catalog,
            hidden: located.origin.hidden,
            shown: located.origin.shown,
            models,
            advise: None,
        })
    }

    /// The job with the settings advisor asked for (`None`: not).
    pub fn advising(self, advise: Option<AdviceRequest>) -> Job {
        Job { advise, ..self }
    }
}

/// What a catalogue entry does know, for the hint of a missing-limits error.
fn known_fields(limits: &crate::catalog::InstanceLimits) -> String {
    let known: Vec<&str> = [
        (limits.max_enis.is_some(), "its ENI limit"),
        (limits.ipv4_per_eni.is_some(), "its IPv4-per-ENI limit"),
        (limits.max_pods.is_some(), "its max pods"),
        (limits.hypervisor.is_some(), "its hypervisor"),
        (limits.vcpus.is_some(), "its vCPUs"),
    ]
    .into_iter()
    .filter_map(|(present, what)| present.then_some(what))
    .collect();
    if known.is_empty() {
        "nothing else is known of it".to_owned()
    } else {
        format!("only {} known", known.join(", "))
    }
}

/// Evaluates every job with its models, in parallel; the result holds, in input order, one
/// evaluation per job and model. With both models, each of a scenario's two evaluations carries
/// the [`Comparison`] of the two.
pub fn evaluate_all(jobs: &[Job]) -> Vec<Evaluation> {
    fold_evaluations(jobs, Vec::new, Vec::push).concat()
}

/// Evaluates `jobs` a [`CHUNK`] at a time, each chunk in parallel; yields each chunk's
/// evaluations in input order.
pub fn chunks(jobs: &[Job]) -> impl Iterator<Item = Vec<Evaluation>> + '_ {
    jobs.chunks(CHUNK).map(evaluate_all)
}

/// Evaluates `jobs` in parallel, folding the evaluations of each run of consecutive jobs into a
/// value that starts as `init()`; the values come back in input order. A writer folded this way
/// formats its part of the output on the thread that evaluated it.
pub fn fold_evaluations<T: Send>(
    jobs: &[Job],
    init: impl Fn() -> T + Sync + Send,
    fold: impl Fn(&mut T, Evaluation) + Sync + Send,
) -> Vec<T> {
    let (values, _) = fold_jobs(
        jobs.len(),
        |i| Ok::<_, std::convert::Infallible>(Cow::Borrowed(&jobs[i])),
        init,
        fold,
    );
    values
}

/// [`fold_evaluations`] over `count` jobs that `job` makes (or lends) by index, on the worker
/// that evaluates them: a batch read from a file is parsed, checked, evaluated and formatted in
/// one pass over every core. A job that cannot be made is skipped; its index and error come
/// back, in input order, beside the values.
pub fn fold_jobs<'a, T: Send, E: Send>(
    count: usize,
    job: impl Fn(usize) -> std::result::Result<Cow<'a, Job>, E> + Sync + Send,
    init: impl Fn() -> T + Sync + Send,
    fold: impl Fn(&mut T, Evaluation) + Sync + Send,
) -> (Vec<T>, Vec<(usize, E)>) {
    let runs: Vec<(T, Vec<(usize, E)>)> = (0..count.div_ceil(RUN))
        .into_par_iter()
        .map(|run| {
            let mut acc = init();
            let mut failed = Vec::new();
            for i in run * RUN..count.min((run + 1) * RUN) {
                match job(i) {
                    Ok(made) => {
                        each_evaluation(&made, |e| fold(&mut acc, e));
                    }
                    Err(e) => failed.push((i, e)),
                }
            }
            (acc, failed)
        })
        .collect();
    let mut values = Vec::with_capacity(runs.len());
    let mut failed = Vec::new();
    for (acc, errors) in runs {
        values.push(acc);
        failed.extend(errors);
    }
    (values, failed)
}

/// Makes `count` jobs by index in parallel, without evaluating them: the indexes and errors of
/// those that cannot be made, in input order (a checking pass).
pub fn check_jobs<'a, E: Send>(
    count: usize,
    job: impl Fn(usize) -> std::result::Result<Cow<'a, Job>, E> + Sync + Send,
) -> Vec<(usize, E)> {
    (0..count)
        .into_par_iter()
        .filter_map(|i| job(i).err().map(|e| (i, e)))
        .collect()
}

/// Evaluates one job with each of its models, in order.
pub fn evaluate_job(job: &Job) -> JobEvaluations {
    let mut results = [None, None];
    for (slot, &model) in results.iter_mut().zip(job.models) {
        *slot = Some(evaluate_model(job, model));
    }
    if let [Some(a), Some(b)] = &mut results {
        let (wb, cni) = if a.model == Model::Workbook {
            (a, b)
        } else {
            (b, a)
        };
        let comparison = Comparison::of(&job.scenario, wb, cni);
        wb.comparison = Some(comparison.clone());
        cni.comparison = Some(comparison);
    }
    JobEvaluations(results)
}

/// Hands `take` the job's evaluations, in order: those of [`evaluate_job`], without the list
/// when the job has one model (an evaluation is some 400 bytes; the common case moves it once).
pub fn each_evaluation(job: &Job, mut take: impl FnMut(Evaluation)) {
    match job.models {
        [model] => take(evaluate_model(job, *model)),
        _ => evaluate_job(job).into_iter().for_each(take),
    }
}

/// One model's evaluation of a job, with the job's own checks (before any comparison).
fn evaluate_model(job: &Job, model: Model) -> Evaluation {
    let mut e = evaluate(&job.scenario, &job.catalog, model);
    e.hidden = job.hidden;
    if let (Model::VpcCni, Some(request)) = (model, job.advise) {
        e.advice = Some(Box::new(advise(&job.scenario, &job.catalog, &e, request)));
    }
    if let (Model::Workbook, Status::Ok, Some(shown)) = (e.model, e.status, job.shown) {
        check_shown(&mut e, &shown);
    }
    e
}

/// A job's evaluations, one per model in order (at most two: no allocation for the list).
#[derive(Debug)]
pub struct JobEvaluations([Option<Evaluation>; 2]);

impl IntoIterator for JobEvaluations {
    type Item = Evaluation;
    type IntoIter = std::iter::Flatten<std::array::IntoIter<Option<Evaluation>, 2>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter().flatten()
    }
}

/// Warns when the workbook model's totals differ from those the legacy sheet shows: the file's
/// values are stale (saved without recalculating) or its formulas are not the published ones.
fn check_shown(e: &mut Evaluation, shown: &ShownFigures) {
    let figures = [
        (SheetTotal::SubnetIps, shown.subnet_ips, e.subnet_ips),
        (SheetTotal::UsedIps, shown.used_ips, e.used_ips),
        (SheetTotal::Pods, shown.pods, e.pods),
        (
            SheetTotal::RemainingIps,
            shown.remaining_ips,
            e.remaining_ips,
        ),
    ];
    let differences: Box<[SheetTotalDiffers]> = figures
        .into_iter()
        .filter_map(|(total, sheet, model)| {
            let (shown, computed) = (sheet?, model?);
            (shown != computed as f64).then_some(SheetTotalDiffers {
                total,
                shown,
                computed,
            })
        })
        .collect();
    if !differences.is_empty() {
        e.warnings
            .push(Warning::about_scenario(WarningKind::SheetTotalsDiffer {
                differences,
            }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_that_differ_from_the_sheets_are_named() {
        let scenario = Scenario::builder("x")
            .subnet(crate::scenario::Subnet::of_size(23))
            .build();
        let mut e = Evaluation::failed(&scenario, Model::Workbook, Status::Ok, String::new());
        (e.subnet_ips, e.used_ips, e.pods, e.remaining_ips) =
            (Some(510), Some(351), Some(230), Some(159));
        let same = ShownFigures {
            subnet_ips: Some(510.0),
            used_ips: Some(351.0),
            pods: None,
            remaining_ips: Some(159.0),
        };
        check_shown(&mut e, &same);
        assert!(e.warnings.is_empty());
        check_shown(
            &mut e,
            &ShownFigures {
                used_ips: Some(304.0),
                ..same
            },
        );
        assert_eq!(e.warnings.len(), 1);
        assert_eq!(
            e.warnings[0].kind,
            WarningKind::SheetTotalsDiffer {
                differences: [SheetTotalDiffers {
                    total: SheetTotal::UsedIps,
                    shown: 304.0,
                    computed: 351,
                }]
                .into()
            }
        );
        assert_eq!(
            e.warnings[0].to_string(),
            "the sheet shows 304 IPs used (B8) where the formulas give 351: its stored values are stale (saved without recalculating) or its formulas differ from the published workbook's"
        );
    }
}
