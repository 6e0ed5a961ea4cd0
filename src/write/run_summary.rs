//! What a run found, in a few lines: per model, how many evaluations, how many out of addresses
//! and the worst; and each distinct warning once, with how many evaluations share it and the
//! first few of them (a warning about an instance type would otherwise repeat for every scenario
//! that uses it). Built as evaluations stream past (parts made on several threads merge), so a run
//! of millions keeps only the tallies.
//!
//! Parts made in parallel count against the summary they will be merged into
//! ([`RunSummary::add_against`]): a warning that summary knows already is counted by its place
//! there, and once it holds `DISTINCT` texts a new one is only counted, so that a part keeps
//! no text of its own in steady state and merging it is a few additions.

use hashbrown::HashMap;

use crate::evaluation::{Evaluation, Model, Status, labels};
use crate::warning::WarningKind;

/// Evaluations named per warning.
const NAMED: usize = 3;

/// Distinct warning texts kept; past this, warnings are only counted.
const DISTINCT: usize = 1000;

/// One model's tallies.
#[derive(Debug, Clone, Default)]
pub struct ModelTally {
    /// Evaluations.
    pub evaluations: u64,
    /// Evaluations with figures (status `ok`).
    pub with_figures: u64,
    /// Evaluations that could not be made or that the real system refuses (status `error` or
    /// `invalid`; not `unsupported`, a scenario the model does not express).
    pub failed: u64,
    /// Evaluations out of addresses in a subnet (`Evaluation::out_of_addresses`).
    pub out_of_addresses: u64,
    /// The evaluation whose fullest subnet is fullest (`Evaluation::fullest_subnet_pct`).
    pub worst: Option<Worst>,
}

/// The settings advisor's tallies (`eval --advise`), over the evaluations with advice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdviceTally {
    /// Evaluations with advice.
    pub advised: u64,
    /// Those whose recommendation is not today's settings.
    pub change: u64,
    /// Those whose own settings do not fit today (in some phase known).
    pub not_fitting: u64,
    /// Of those, the ones whose recommended option fits.
    pub would_fit: u64,
}

impl AdviceTally {
    /// Adds one evaluation's advice.
    fn add(&mut self, advice: &crate::evaluation::advice::Advice) {
        self.advised += 1;
        if advice.recommended.is_some_and(|i| i != 0) {
            self.change += 1;
        }
        let fits = |i: usize| {
            let f = advice.options.get(i).and_then(|o| o.figures.as_ref());
            f.map(|f| f.fits.everywhere())
        };
        if fits(0) == Some(false) {
            self.not_fitting += 1;
            if advice.recommended.and_then(fits) == Some(true) {
                self.would_fit += 1;
            }
        }
    }

    fn merge(&mut self, later: AdviceTally) {
        self.advised += later.advised;
        self.change += later.change;
        self.not_fitting += later.not_fitting;
        self.would_fit += later.would_fit;
    }
}

/// The worst evaluation of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Worst {
    /// Its scenario.
    pub scenario: String,
    /// Its fullest subnet's share used, in percent (`fullest_subnet_pct`).
    pub pct: f64,
    /// That share as a closing line words it: `fullest subnet 305.1 %`, or `fullest subnet
    /// 408.3 %: node subnet 10.1.0.0/28` when the scenario has several subnets.
    pub shown: String,
}

/// `fullest subnet 130.7 %`, with the subnet named when the scenario has more than one.
fn worst_shown(e: &Evaluation, pct: f64) -> String {
    // "fullest subnet", the figure's header without its unit.
    let label = labels::FULLEST.header.trim_end_matches(" %").to_lowercase();
    match &e.fullest_subnet {
        Some(at) if e.subnets.len() > 1 => format!("{label} {pct:.1} %: {at}"),
        _ => format!("{label} {pct:.1} %"),
    }
}

impl Worst {
    fn keep_worse(slot: &mut Option<Worst>, other: Option<Worst>) {
        if let Some(o) = other
            && slot.as_ref().is_none_or(|w| o.pct > w.pct)
        {
            *slot = Some(o);
        }
    }
}

/// How many evaluations use more than a share of a subnet (`--fail-on above=N`).
#[derive(Debug, Clone, PartialEq)]
pub struct Above {
    /// The share, in percent.
    pub limit: f64,
    /// Evaluations whose fullest subnet is used beyond it.
    pub count: u64,
}

/// A kind of warning, how many evaluations share it, and the first of them.
#[derive(Debug, Clone)]
struct Shared {
    warning: WarningKind,
    text: String,
    count: u64,
    named: Vec<String>,
}

/// A part's count of a warning the run's summary knows, and the evaluations it names.
#[derive(Debug, Clone, Default)]
struct Known {
    count: u64,
    named: Vec<String>,
}

/// The tallies of a run.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    models: [ModelTally; 2],
    warnings: Vec<Shared>,
    index: HashMap<WarningKind, usize>,
    /// A part's warnings that the run's summary knew already when the part was made
    /// ([`RunSummary::add_against`]), by their place there.
    known: HashMap<usize, Known>,
    /// Warnings past [`DISTINCT`] distinct texts, counted only.
    other_warnings: u64,
    /// Every warning (not distinct).
    pub warning_count: u64,
    /// The shares watched for `--fail-on above=N`, with their counts.
    above: Vec<Above>,
    /// The settings advisor's tallies.
    pub advice: AdviceTally,
}

/// An evaluation as messages name it: `scenario (model)`.
pub fn label(e: &Evaluation) -> String {
    format!("{} ({})", e.scenario, e.model.name())
}

fn slot(model: Model) -> usize {
    match model {
        Model::Workbook => 0,
        Model::VpcCni => 1,
    }
}

impl RunSummary {
    /// An empty summary.
    pub fn new() -> Self {
        RunSummary::default()
    }

    /// An empty summary that also counts the evaluations above each share in `limits`
    /// (percent).
    pub fn watching(limits: &[f64]) -> Self {
        RunSummary {
            above: limits
                .iter()
                .map(|&limit| Above { limit, count: 0 })
                .collect(),
            ..RunSummary::default()
        }
    }

    /// Adds one evaluation.
    pub fn add(&mut self, e: &Evaluation) {
        self.add_figures(e);
        for w in &e.warnings {
            self.warn(&w.kind, || label(e), 1);
        }
    }

    /// Adds one evaluation to a part that will be merged into `run` (which must not change in
    /// between, and into which every part made before this one is merged first): the same
    /// result as [`RunSummary::add`] on `run` itself, without a copy of the texts `run` knows.
    pub fn add_against(&mut self, e: &Evaluation, run: &RunSummary) {
        self.add_figures(e);
        for w in &e.warnings {
            match run.index.get(&w.kind) {
                Some(&at) => {
                    self.warning_count += 1;
                    let known = self.known.entry(at).or_default();
                    known.count += 1;
                    if run.warnings[at].named.len() + known.named.len() < NAMED {
                        known.named.push(label(e));
                    }
                }
                // The run keeps no more texts: this one can only be counted.
                None if run.warnings.len() >= DISTINCT => {
                    self.warning_count += 1;
                    self.other_warnings += 1;
                }
                None => self.warn(&w.kind, || label(e), 1),
            }
        }
    }

    /// Adds an evaluation's figures (not its warnings).
    fn add_figures(&mut self, e: &Evaluation) {
        let m = &mut self.models[slot(e.model)];
        m.evaluations += 1;
        match e.status {
            Status::Ok => m.with_figures += 1,
            Status::Error | Status::Invalid => m.failed += 1,
            Status::Unsupported => {}
        }
        if e.out_of_addresses {
            m.out_of_addresses += 1;
        }
        if let Some(advice) = &e.advice {
            self.advice.add(advice);
        }
        if let Some(pct) = e.fullest_subnet_pct {
            if m.worst.as_ref().is_none_or(|w| pct > w.pct) {
                m.worst = Some(Worst {
                    scenario: e.scenario.to_string(),
                    pct,
                    shown: worst_shown(e, pct),
                });
            }
            for a in self.above.iter_mut().filter(|a| pct > a.limit) {
                a.count += 1;
            }
        }
    }

    fn warn(&mut self, warning: &WarningKind, who: impl FnOnce() -> String, count: u64) {
        self.warning_count += count;
        let at = match self.index.get(warning) {
            Some(&at) => at,
            None if self.warnings.len() < DISTINCT => {
                // Worded here, once per distinct warning.
                self.warnings.push(Shared {
                    warning: warning.clone(),
                    text: warning.to_string(),
                    count: 0,
                    named: Vec::new(),
                });
                self.index.insert(warning.clone(), self.warnings.len() - 1);
                self.warnings.len() - 1
            }
            None => {
                self.other_warnings += count;
                return;
            }
        };
        let shared = &mut self.warnings[at];
        shared.count += count;
        if shared.named.len() < NAMED {
            shared.named.push(who());
        }
    }

    /// Adds the tallies of a later part of the same run.
    pub fn merge(&mut self, later: RunSummary) {
        for (m, l) in self.models.iter_mut().zip(later.models) {
            m.evaluations += l.evaluations;
            m.with_figures += l.with_figures;
            m.failed += l.failed;
            m.out_of_addresses += l.out_of_addresses;
            Worst::keep_worse(&mut m.worst, l.worst);
        }
        for l in later.above {
            match self.above.iter_mut().find(|a| a.limit == l.limit) {
                Some(a) => a.count += l.count,
                None => self.above.push(l),
            }
        }
        // Counted by their place here (see `add_against`); added in place order would do as
        // well as any: each place is counted once.
        for (at, known) in later.known {
            let mine = &mut self.warnings[at];
            mine.count += known.count;
            mine.named.extend(known.named);
            mine.named.truncate(NAMED);
        }
        for shared in later.warnings {
            let mut named = shared.named.into_iter();
            let first = named.next().unwrap_or_default();
            self.warn(&shared.warning, || first, 0);
            let at = self.index.get(&shared.warning).copied();
            match at {
                Some(at) => {
                    let mine = &mut self.warnings[at];
                    mine.count += shared.count;
                    mine.named.extend(named);
                    mine.named.truncate(NAMED);
                }
                None => self.other_warnings += shared.count,
            }
        }
        self.warning_count += later.warning_count;
        self.other_warnings += later.other_warnings;
        self.advice.merge(later.advice);
    }

    /// A model's tallies.
    pub fn model(&self, model: Model) -> &ModelTally {
        &self.models[slot(model)]
    }

    /// Evaluations in all.
    pub fn evaluations(&self) -> u64 {
        self.models.iter().map(|m| m.evaluations).sum()
    }

    /// Evaluations out of addresses, all models.
    pub fn out_of_addresses(&self) -> u64 {
        self.models.iter().map(|m| m.out_of_addresses).sum()
    }

    /// The worst evaluation of any model, with its model.
    pub fn worst(&self) -> Option<(Model, &Worst)> {
        [Model::Workbook, Model::VpcCni]
            .into_iter()
            .filter_map(|m| Some((m, self.model(m).worst.as_ref()?)))
            .reduce(|a, b| if b.1.pct > a.1.pct { b } else { a })
    }

    /// An empty summary watching the same shares as this one (for a part of the run).
    pub fn part(&self) -> RunSummary {
        RunSummary::watching(&self.above.iter().map(|a| a.limit).collect::<Vec<_>>())
    }

    /// The shares watched (see [`RunSummary::watching`]) and how many evaluations exceed each.
    pub fn above(&self) -> &[Above] {
        &self.above
    }

    /// One line per model run: `vpc-cni: 10 evaluations, 2 out of addresses, worst: too-small
    /// (fullest subnet 305.1 %)`.
    pub fn model_lines(&self) -> Vec<String> {
        [Model::Workbook, Model::VpcCni]
            .into_iter()
            .filter(|&m| self.model(m).evaluations > 0)
            .map(|model| {
                let m = self.model(model);
                let plural = |n: u64, one: &str| {
                    if n == 1 {
                        format!("1 {one}")
                    } else {
                        format!("{n} {one}s")
                    }
                };
                let mut line = format!(
                    "{}: {}, {} out of addresses",
                    model.name(),
                    plural(m.evaluations, "evaluation"),
                    m.out_of_addresses
                );
                if let Some(w) = &m.worst {
                    line.push_str(&format!(", worst: {} ({})", w.scenario, w.shown));
                }
                let without = m.evaluations - m.with_figures;
                if without > 0 {
                    line.push_str(&format!(", {without} without figures"));
                }
                line
            })
            .collect()
    }

    /// With `--advise`: `advice: 6 of 10 scenarios would change settings; 3 of the 4 that do
    /// not fit today would fit with the recommended settings`.
    pub fn advice_line(&self) -> Option<String> {
        let a = self.advice;
        if a.advised == 0 {
            return None;
        }
        let scenarios = if a.advised == 1 {
            "scenario"
        } else {
            "scenarios"
        };
        let today = match a.not_fitting {
            0 => "all fit today".to_owned(),
            n => format!(
                "{} of the {n} that do not fit today would fit with the recommended settings",
                a.would_fit
            ),
        };
        Some(format!(
            "advice: {} of {} {scenarios} would change settings; {today}",
            a.change, a.advised
        ))
    }

    /// Each distinct warning once, in the order first met: `text (in a (vpc-cni), b (vpc-cni),
    /// c (vpc-cni) and 159 more)`; at most `max` of them (`None`: all kept), then one line counting
    /// the warnings of the other kinds.
    pub fn warning_lines(&self, max: Option<usize>) -> Vec<String> {
        let shown = max.unwrap_or(usize::MAX).min(self.warnings.len());
        let mut lines: Vec<String> = self.warnings[..shown]
            .iter()
            .map(|w| {
                let more = w.count.saturating_sub(w.named.len() as u64);
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("{} (in {}{tail})", w.text, w.named.join(", "))
            })
            .collect();
        let cut: u64 = self.warnings[shown..].iter().map(|w| w.count).sum();
        let others = self.other_warnings + cut;
        if others > 0 {
            let hint = if cut > 0 {
                "see the output, or --max-warnings 0 for every kind"
            } else {
                "see the output"
            };
            let plural = if others == 1 { "" } else { "s" };
            lines.push(format!(
                "{others} more warning{plural} of other kinds ({hint})"
            ));
        }
        lines
    }

    /// The shared warnings, for a table's notes: (text, evaluations named, how many more).
    pub fn warnings(&self) -> impl Iterator<Item = (&str, &[String], u64)> {
        self.warnings.iter().map(|w| {
            (
                w.text.as_str(),
                w.named.as_slice(),
                w.count.saturating_sub(w.named.len() as u64),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Scenario, Subnet};

    /// A warning known by a name of its own.
    fn kind(name: &str) -> WarningKind {
        WarningKind::NoPrefixDelegation {
            instance_type: name.into(),
        }
    }

    /// How `kind(name)` is shown, with what follows it on its line.
    fn line(name: &str, tail: &str) -> String {
        format!("{} {tail}", kind(name))
    }

    fn evaluation(id: &str, model: Model, used: i64, warnings: &[&str]) -> Evaluation {
        let scenario = Scenario::builder(id).subnet(Subnet::of_size(24)).build();
        let mut e = Evaluation::failed(&scenario, model, Status::Ok, String::new());
        (e.subnet_ips, e.used_ips, e.remaining_ips) = (Some(251), Some(used), Some(251 - used));
        let pct = used as f64 * 100.0 / 251.0;
        (e.utilization_pct, e.fullest_subnet_pct) = (Some(pct), Some(pct));
        e.out_of_addresses = used > 251;
        e.warnings = warnings
            .iter()
            .map(|w| crate::warning::Warning::about_scenario(kind(w)))
            .collect();
        e
    }

    #[test]
    fn parts_counted_against_the_run_merge_as_if_made_in_one_pass() {
        let all: Vec<Evaluation> = (0..40)
            .map(|i| {
                let w = format!("w{}", i % 7);
                let v = format!("v{i}");
                evaluation(&format!("s{i}"), Model::VpcCni, i, &[&w, &v])
            })
            .collect();
        let mut one = RunSummary::new();
        all.iter().for_each(|e| one.add(e));
        let mut run = RunSummary::new();
        all[..5].iter().for_each(|e| run.add(e));
        for batch in all[5..].chunks(12) {
            let parts: Vec<RunSummary> = batch
                .chunks(5)
                .map(|part| {
                    let mut tally = RunSummary::new();
                    part.iter().for_each(|e| tally.add_against(e, &run));
                    tally
                })
                .collect();
            parts.into_iter().for_each(|p| run.merge(p));
        }
        assert_eq!(run.warning_lines(None), one.warning_lines(None));
        assert_eq!(run.model_lines(), one.model_lines());
        assert_eq!(run.warning_count, one.warning_count);
    }

    #[test]
    fn tallies_merge_as_if_made_in_one_pass() {
        let all = [
            evaluation("a", Model::VpcCni, 100, &["w1"]),
            evaluation("b", Model::VpcCni, 328, &["w1", "w2"]),
            evaluation("c", Model::Workbook, 10, &[]),
            evaluation("d", Model::VpcCni, 251, &["w1"]),
            evaluation("e", Model::VpcCni, 50, &["w1"]),
        ];
        let mut one = RunSummary::new();
        all.iter().for_each(|e| one.add(e));
        let (mut first, mut second) = (RunSummary::new(), RunSummary::new());
        all[..2].iter().for_each(|e| first.add(e));
        all[2..].iter().for_each(|e| second.add(e));
        first.merge(second);
        for s in [&one, &first] {
            assert_eq!(
                s.model_lines(),
                [
                    "workbook: 1 evaluation, 0 out of addresses, worst: c (fullest subnet 4.0 %)",
                    "vpc-cni: 4 evaluations, 1 out of addresses, worst: b (fullest subnet 130.7 %)"
                ]
            );
            assert_eq!(
                s.warning_lines(None),
                [
                    line(
                        "w1",
                        "(in a (vpc-cni), b (vpc-cni), d (vpc-cni) and 1 more)"
                    ),
                    line("w2", "(in b (vpc-cni))")
                ]
            );
            assert_eq!((s.warning_count, s.out_of_addresses()), (5, 1));
        }
        // At most one kind shown: the other kind's evaluations are counted.
        assert_eq!(
            one.warning_lines(Some(1)),
            [
                line("w1", "(in a (vpc-cni), b (vpc-cni), d (vpc-cni) and 1 more)"),
                "1 more warning of other kinds (see the output, or --max-warnings 0 for every kind)"
                    .to_owned()
            ]
        );
        assert_eq!(one.warning_lines(Some(2)), one.warning_lines(None));
    }
}
