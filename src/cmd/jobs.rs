//! The jobs of a run, in input order, made as they are needed: a workbook's once it is read, a
//! scenario CSV's from batches of its rows as it is streamed. Every scenario is checked against
//! its catalogue ([`Job::new`]) and its id claimed for the whole run, so a run of millions of
//! scenarios holds a few batches plus the ids, and a run of thousands of workbooks a few
//! workbooks.
//!
//! A [`BatchStream`] runs on the reading thread and does only what must follow the file order
//! (splitting CSVs into records, grouping them by scenario, claiming ids, saying what was left
//! out); the rest is done on every core: workbook files are read, and their jobs made, a
//! [`read_ahead`] at a time in parallel, each workbook's cells dropped once it is read and its
//! catalogue once its jobs are evaluated; [`Batch::take_jobs`] and the folds parse and check a
//! CSV batch's scenarios.

use std::collections::{HashSet, VecDeque};
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use std::borrow::Cow;
use subnet_calc::catalog::Catalog;
use subnet_calc::catalog::builtin::InstanceData;

use subnet_calc::engine::advisor::AdviceRequest;
use subnet_calc::engine::batch::{self, BOTH, CHUNK, Job, Models, VPC_CNI, WORKBOOK};
use subnet_calc::evaluation::{Evaluation, Model};
use subnet_calc::read::ids::IdSet;
use subnet_calc::read::scenario_csv::{RawBatch, RecordReader};
use subnet_calc::read::{Input, InputKind, ReadLimits};
use subnet_calc::scenario::MaxPodsRule;

use crate::cli::ModelFlag;
use crate::cmd::inputs::{
    Catalogs, CsvSource, Opened, Part, Reading, Unread, catalog_of, jobs_from, take_opened,
};

/// What every job of a run shares.
#[derive(Clone)]
pub struct Settings {
    /// The run's catalogues.
    pub catalogs: Catalogs,
    /// `--model`, when given.
    pub model: Option<ModelFlag>,
    /// `--max-pods-rule`, for scenarios without their own.
    pub max_pods_rule: Option<MaxPodsRule>,
    /// The readers' limits.
    pub limits: ReadLimits,
    /// How the hint of a missing catalogue starts.
    pub needs: &'static str,
    /// `--advise`, when given.
    pub advise: Option<AdviceRequest>,
}

/// The models to run on an input: the flag's, or the input kind's default.
pub fn models_for(flag: Option<ModelFlag>, kind: InputKind) -> Models {
    match (flag, kind) {
        (Some(ModelFlag::Workbook), _) => WORKBOOK,
        (Some(ModelFlag::VpcCni), _) => VPC_CNI,
        (Some(ModelFlag::Both), _) => BOTH,
        (None, InputKind::LegacyWorkbook) => WORKBOOK,
        (None, InputKind::ScenarioCsv) => VPC_CNI,
        (None, InputKind::Report) => BOTH,
    }
}

/// The models to run on a workbook input: the flag's, else the ones the input asks for (a
/// report's, those it was written with), else its kind's default.
fn models_of(flag: Option<ModelFlag>, input: &Input) -> Models {
    let asked = (
        input.models.contains(&Model::Workbook),
        input.models.contains(&Model::VpcCni),
    );
    match (flag, asked) {
        (None, (true, true)) => BOTH,
        (None, (true, false)) => WORKBOOK,
        (None, (false, true)) => VPC_CNI,
        _ => models_for(flag, input.kind),
    }
}

/// Scenarios of a run, in input order, ready to be made into jobs.
pub enum Batch {
    /// A workbook's jobs.
    Ready(Vec<Job>),
    /// Rows of a scenario CSV, not yet parsed.
    Csv(CsvBatch),
    /// A file that could not be read at all (its header, its catalogue): its fault.
    Failed(subnet_calc::Error),
}

/// Rows of a scenario CSV, with what their jobs share.
pub struct CsvBatch {
    raw: RawBatch,
    catalog: Arc<Catalog>,
    models: Models,
    rule: Option<MaxPodsRule>,
    advise: Option<AdviceRequest>,
}

impl Batch {
    /// Evaluates the batch's jobs on every core, a CSV batch's scenarios parsed and checked on
    /// the way, folding each run's evaluations as [`batch::fold_jobs`] does. Scenarios that do
    /// not check out are left out; their faults, and those of rows that could not be read, come
    /// back in line order.
    pub fn fold_evaluations<T: Send>(
        &mut self,
        init: impl Fn() -> T + Sync + Send,
        fold: impl Fn(&mut T, Evaluation) + Sync + Send,
    ) -> (Vec<T>, Vec<subnet_calc::Error>) {
        self.fold_evaluations_in(0..self.len(), init, fold)
    }

    /// [`Batch::fold_evaluations`] over the scenarios in `range` only, so that a batch whose
    /// output is large can be handed on in slices. The faults of rows that could not be read, and
    /// a batch's failure as a whole, come with the first slice asked for.
    pub fn fold_evaluations_in<T: Send>(
        &mut self,
        range: Range<usize>,
        init: impl Fn() -> T + Sync + Send,
        fold: impl Fn(&mut T, Evaluation) + Sync + Send,
    ) -> (Vec<T>, Vec<subnet_calc::Error>) {
        match self {
            Batch::Ready(jobs) => (
                batch::fold_evaluations(&jobs[range], init, fold),
                Vec::new(),
            ),
            Batch::Csv(csv) => {
                let start = range.start;
                let (values, failed) = batch::fold_jobs(
                    range.len(),
                    |i| csv.job(start + i).map(Cow::Owned),
                    init,
                    fold,
                );
                (values, csv.faults(failed))
            }
            Batch::Failed(e) => (Vec::new(), vec![take_error(e)]),
        }
    }

    /// Parses and checks the batch's scenarios without evaluating them: their faults, in line
    /// order.
    pub fn check(&mut self) -> Vec<subnet_calc::Error> {
        self.check_in(0..self.len())
    }

    /// [`Batch::check`] of the scenarios in `range` only; see [`Batch::fold_evaluations_in`].
    pub fn check_in(&mut self, range: Range<usize>) -> Vec<subnet_calc::Error> {
        match self {
            Batch::Ready(_) => Vec::new(),
            Batch::Csv(csv) => {
                let start = range.start;
                let failed = batch::check_jobs(range.len(), |i| csv.job(start + i).map(Cow::Owned));
                csv.faults(failed)
            }
            Batch::Failed(e) => vec![take_error(e)],
        }
    }

    /// The batch's jobs, in order, and the faults of those that do not check out; a CSV batch's
    /// scenarios are parsed and checked in parallel.
    pub fn take_jobs(&mut self) -> (Vec<Job>, Vec<subnet_calc::Error>) {
        match self {
            Batch::Ready(jobs) => (std::mem::take(jobs), Vec::new()),
            Batch::Csv(csv) => {
                let made: Vec<subnet_calc::Result<Job>> = (0..csv.raw.len())
                    .into_par_iter()
                    .map(|i| csv.job(i))
                    .collect();
                let (mut jobs, mut failed) = (Vec::with_capacity(made.len()), Vec::new());
                for (i, job) in made.into_iter().enumerate() {
                    match job {
                        Ok(job) => jobs.push(job),
                        Err(e) => failed.push((i, e)),
                    }
                }
                (jobs, csv.faults(failed))
            }
            Batch::Failed(e) => (Vec::new(), vec![take_error(e)]),
        }
    }

    /// The spent buffers of a CSV batch, for reuse.
    pub fn into_spare(self) -> Option<RawBatch> {
        match self {
            Batch::Csv(csv) => Some(csv.raw),
            Batch::Ready(_) | Batch::Failed(_) => None,
        }
    }

    /// Number of scenarios.
    pub fn len(&self) -> usize {
        match self {
            Batch::Ready(jobs) => jobs.len(),
            Batch::Csv(csv) => csv.raw.len(),
            Batch::Failed(_) => 0,
        }
    }
}

/// Takes a failed file's fault out of its batch (which is spent).
fn take_error(e: &mut subnet_calc::Error) -> subnet_calc::Error {
    std::mem::replace(
        e,
        subnet_calc::Error::Unsupported {
            what: String::new(),
            hint: String::new(),
        },
    )
}

impl CsvBatch {
    /// Scenario `index`'s job: parsed, given the run's max-pods rule, checked.
    fn job(&self, index: usize) -> subnet_calc::Result<Job> {
        let located = self.raw.build(index)?;
        Job::with_default_rule(located, Arc::clone(&self.catalog), self.models, self.rule)
            .map(|job| job.advising(self.advise))
    }

    /// The batch's faults: its unreadable rows and the scenarios in `failed`.
    fn faults(&mut self, failed: Vec<(usize, subnet_calc::Error)>) -> Vec<subnet_calc::Error> {
        let mut faults = self.raw.take_faults();
        faults.extend(failed.into_iter().map(|(_, e)| e));
        faults.sort_by_key(subnet_calc::Error::line);
        faults
    }
}

/// A CSV being streamed, with what its jobs share.
struct CsvInput {
    reader: RecordReader<Box<dyn Read + Send>>,
    catalog: Arc<Catalog>,
    /// Input bytes of the parts before this one, for progress.
    before: u64,
}

/// The batches of a run, in input order. Workbooks whose scenarios do not check out are reported
/// and left out (see [`Reading`]); any other failure ends the stream with that error.
pub struct BatchStream {
    parts: VecDeque<Part>,
    /// Workbooks read ahead, made into batches, in input order (with the input bytes read up to
    /// the end of each).
    ready: VecDeque<(Batch, u64)>,
    /// The sources of the workbooks' own catalogues, each once, in input order, and the same as
    /// a set (a run may hold thousands).
    own_sources: (Vec<String>, HashSet<String>),
    settings: Settings,
    /// The ids of the run; lent to the CSV being read.
    ids: Option<IdSet>,
    csv: Option<CsvInput>,
    /// Inputs left out, for the closing count.
    pub reading: Reading,
    /// Scenarios handed out.
    pub scenarios: u64,
    /// Input bytes of the parts done.
    done_bytes: u64,
    /// A second pass over inputs checked already: what the first said (notes, workbooks left
    /// out) is not said again.
    pub repeat: bool,
}

impl BatchStream {
    /// The batches of `parts`, with `reading` counting what is left out (workbooks that could
    /// not be read are in it already).
    pub fn new(parts: Vec<Part>, settings: Settings, reading: Reading) -> Self {
        BatchStream {
            parts: parts.into(),
            ready: VecDeque::new(),
            own_sources: Default::default(),
            settings,
            ids: Some(IdSet::new()),
            csv: None,
            reading,
            scenarios: 0,
            done_bytes: 0,
            repeat: false,
        }
    }

    /// The next batch, `None` at the end, with the input bytes read up to its end (for
    /// progress); `spare` is a spent batch whose buffers may be reused.
    pub fn next_batch(&mut self, spare: Option<RawBatch>) -> Result<Option<(Batch, u64)>> {
        let batch = self.next_inner(spare);
        if let Ok(Some((b, _))) = &batch {
            self.scenarios += b.len() as u64;
        }
        if batch.is_err() {
            // Nothing follows an error.
            self.parts.clear();
            self.ready.clear();
            self.csv = None;
        }
        batch
    }

    fn next_inner(&mut self, mut spare: Option<RawBatch>) -> Result<Option<(Batch, u64)>> {
        loop {
            if let Some(ready) = self.ready.pop_front() {
                return Ok(Some(ready));
            }
            if let Some(csv) = &mut self.csv {
                let mut raw = spare.take().unwrap_or_default();
                let read = csv.reader.read_batch(&mut raw, CHUNK);
                let position = csv.before + csv.reader.bytes_read();
                for warning in csv.reader.take_warnings() {
                    if !self.repeat {
                        crate::messages::print_warning(&warning.to_string());
                        self.reading.read_warnings += 1;
                    }
                }
                match read {
                    Ok(()) if raw.is_empty() && raw.faults().is_empty() => {}
                    Ok(()) => {
                        let batch = Batch::Csv(CsvBatch {
                            raw,
                            catalog: Arc::clone(&csv.catalog),
                            models: models_for(self.settings.model, InputKind::ScenarioCsv),
                            rule: self.settings.max_pods_rule,
                            advise: self.settings.advise,
                        });
                        return Ok(Some((batch, position)));
                    }
                    // The file cannot be read on: its fault, and on to the next input.
                    Err(e) => {
                        let done = self.csv.take().expect("being read");
                        self.ids = Some(done.reader.into_ids());
                        return Ok(Some((Batch::Failed(e), position)));
                    }
                }
                let done = self.csv.take().expect("being read");
                self.ids = Some(done.reader.into_ids());
                continue;
            }
            match self.parts.pop_front() {
                None => return Ok(None),
                Some(Part::Workbook(input, size)) => {
                    self.done_bytes += size;
                    if let Some(jobs) = self.workbook_jobs(*input, None) {
                        return Ok(Some((Batch::Ready(jobs), self.done_bytes)));
                    }
                }
                Some(Part::Unread(first)) => self.read_ahead(first)?,
                Some(Part::Csv(source)) => {
                    self.done_bytes += source.size;
                    match self.open_csv(&source) {
                        Ok(csv) => self.csv = Some(csv),
                        // A file whose header (or catalogue) is wrong: its rows are not checked.
                        Err(e) => return Ok(Some((Batch::Failed(e), self.done_bytes))),
                    }
                }
            }
        }
    }

    /// Starts reading a scenario CSV: its catalogue, its header.
    fn open_csv(&mut self, source: &CsvSource) -> subnet_calc::Result<CsvInput> {
        let catalog = catalog_of(
            &source.name,
            None,
            &self.settings.catalogs,
            self.settings.needs,
        )?;
        let ids = self.ids.take().expect("not lent");
        let reader = match source.open().and_then(|input| {
            RecordReader::new(
                &source.name,
                input,
                self.settings.limits.max_input_bytes,
                IdSet::new(),
            )
        }) {
            Ok(reader) => reader.with_ids(ids).with_size_hint(source.size),
            Err(e) => {
                self.ids = Some(ids);
                return Err(e);
            }
        };
        if !self.repeat {
            if let Some(note) = reader.separator_note() {
                crate::messages::print_note(&note);
            }
            if let Some(note) = reader.header_note() {
                crate::messages::print_note(&note.to_string());
            }
        }
        Ok(CsvInput {
            reader,
            catalog,
            before: self.done_bytes - source.size,
        })
    }

    /// Reads `first` and the workbook files after it, up to [`read_ahead`] of them, in parallel
    /// (their jobs made on the same workers), and queues their batches in input order; what is
    /// said of them (left out, notes, warnings) is said here, in that order.
    fn read_ahead(&mut self, first: Unread) -> Result<()> {
        let mut unread = vec![first];
        while unread.len() < read_ahead() {
            match self.parts.pop_front() {
                Some(Part::Unread(next)) => unread.push(next),
                Some(other) => {
                    self.parts.push_front(other);
                    break;
                }
                None => break,
            }
        }
        let settings = &self.settings;
        let read: Vec<(Opened, Option<Prepared>)> = unread
            .par_iter()
            .map(|u| {
                let mut opened = u.read(&settings.limits);
                let prepared = match &mut opened.result {
                    Ok(Part::Workbook(input, _)) => Some(Prepared {
                        sources: own_sources(input.as_ref()).to_vec(),
                        jobs: prepare(settings, input.as_mut()),
                    }),
                    _ => None,
                };
                (opened, prepared)
            })
            .collect();
        for (size, (opened, prepared)) in unread.iter().map(|u| u.size).zip(read) {
            self.done_bytes += size;
            let say = !self.repeat;
            let Some(Part::Workbook(input, _)) = take_opened(opened, &mut self.reading, say)?
            else {
                continue;
            };
            if let Some(jobs) = self.workbook_jobs(*input, prepared) {
                self.ready.push_back((Batch::Ready(jobs), self.done_bytes));
            }
        }
        Ok(())
    }

    /// A workbook's jobs (`prepared` already, or made here), or `None` when it is reported and
    /// left out: its ids taken, or its scenarios not checking out. Its own catalogue's sources
    /// are counted among the run's instance data either way.
    fn workbook_jobs(&mut self, mut input: Input, prepared: Option<Prepared>) -> Option<Vec<Job>> {
        let (sources, prepared) = match prepared {
            Some(Prepared { sources, jobs }) => (sources, Some(jobs)),
            None => (own_sources(&input).to_vec(), None),
        };
        for source in sources {
            if self.own_sources.1.insert(source.clone()) {
                self.own_sources.0.push(source);
            }
        }
        // Its ids are claimed only once its scenarios check out: one left out leaves no trace.
        let ids = self.ids.as_mut().expect("not lent");
        let settings = &self.settings;
        let checked = ids
            .check_all(&input.scenarios)
            .map_err(anyhow::Error::from)
            .and_then(|()| prepared.unwrap_or_else(|| prepare(settings, &mut input)))
            .and_then(|jobs| Ok(ids.claim_all(&input.scenarios).map(|()| jobs)?));
        match checked {
            Ok(jobs) => Some(jobs),
            Err(e) => {
                if !self.repeat {
                    self.reading.fail(e);
                }
                None
            }
        }
    }

    /// The instance data of the run so far: the built-in catalogue (if used), the workbooks' own
    /// catalogues met so far and the `--catalog` files.
    pub fn instance_data(&self) -> InstanceData {
        self.settings.catalogs.instance_data(&self.own_sources.0)
    }
}

/// Workbook files read at once, in parallel: enough to keep every core busy whatever their
/// sizes, few enough that a run holds a few workbooks, whatever their number.
fn read_ahead() -> usize {
    (4 * rayon::current_num_threads()).max(16)
}

/// A workbook read ahead, with what was made of it on the worker that read it.
struct Prepared {
    /// Its own catalogue's sources (the catalogue itself is in the jobs).
    sources: Vec<String>,
    /// Its jobs, or why they cannot be made.
    jobs: Result<Vec<Job>>,
}

/// The sources of a workbook's own catalogue (its lookup sheets), if it has one.
fn own_sources(input: &Input) -> &[String] {
    input.catalog.as_ref().map_or(&[], Catalog::sources)
}

/// A workbook's jobs, made from its scenarios (copied: the stream still needs them, to claim
/// their ids) and its own catalogue (taken).
fn prepare(settings: &Settings, input: &mut Input) -> Result<Vec<Job>> {
    let models = models_of(settings.model, input);
    let jobs = jobs_from(
        &input.name,
        input.scenarios.clone(),
        input.catalog.take(),
        (&settings.catalogs, settings.needs),
        models,
        settings.max_pods_rule,
    )?;
    Ok(jobs
        .into_iter()
        .map(|job| job.advising(settings.advise))
        .collect())
}
