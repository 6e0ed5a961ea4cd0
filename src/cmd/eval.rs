//! `subnet-calc eval`: evaluate scenarios and write a table, CSV, JSON or xlsx report.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use subnet_calc::Error;
use subnet_calc::catalog::builtin::InstanceData;
use subnet_calc::engine::advisor::AdviceRequest;
use subnet_calc::engine::batch::{self, Job};
use subnet_calc::evaluation::{Evaluation, Model};
use subnet_calc::read::ReadLimits;
use subnet_calc::scenario::MaxPodsRule;
use subnet_calc::text::CsvOptions;
use subnet_calc::write::Format;
use subnet_calc::write::json::JsonWriter;
use subnet_calc::write::run_summary::RunSummary;
use subnet_calc::write::summary_csv::{self, SummaryCsvWriter};
use subnet_calc::write::table;
use subnet_calc::write::xlsx_report::{self, ReportInfo, ReportStep, ReportTarget};

use crate::cli::{EvalFlags, FailOn, MaxPodsRuleFlag, ModelFlag};
use crate::cmd::faults::Faults;
use crate::cmd::inputs::{
    Catalogs, InputOptions, Part, Reading, catalog_names, gather, read_catalogs_collecting,
    read_limits,
};
use crate::cmd::jobs::{BatchStream, Settings};
use crate::cmd::pipeline;
use crate::cmd::progress::Progress;
use crate::cmd::{
    Common, Destination, Outcome, Writing, create_output, file_or_stdout, output_format,
    refuse_directory, refuse_output_over_inputs,
};

/// `eval`'s checked arguments.
struct EvalArgs {
    inputs: Vec<String>,
    max_pods_rule: Option<MaxPodsRule>,
    recursive: bool,
    limits: ReadLimits,
    csv: CsvOptions,
    catalogs: Vec<PathBuf>,
    builtin: bool,
    model: Option<ModelFlag>,
    output: Option<PathBuf>,
    format: Format,
    fail_on: Vec<FailOn>,
    advise: Option<AdviceRequest>,
}

impl EvalArgs {
    fn from_flags(mut flags: EvalFlags) -> Result<Self> {
        flags.output = file_or_stdout(flags.output);
        refuse_directory(flags.output.as_deref())?;
        let format = output_format(flags.format, flags.output.as_deref(), Format::Table)?;
        if format == Format::Xlsx && flags.output.is_none() {
            anyhow::bail!(Error::Unsupported {
                what: "the xlsx report is a file".into(),
                hint: "name it with -o report.xlsx".into(),
            });
        }
        if format == Format::Xlsx && flags.advise {
            // Computing advice the report would not show is an answer left out without a word.
            anyhow::bail!(Error::Unsupported {
                what: "--advise with an xlsx report: the report has no Options sheet yet".into(),
                hint: "write the advice as CSV or JSON (-o advice.csv, -o advice.json) or as \
                       the table, and the report without --advise"
                    .into(),
            });
        }
        if let Some(out) = &flags.output {
            let inputs = flags
                .inputs
                .iter()
                .map(PathBuf::from)
                .chain(flags.catalogs.iter().cloned());
            refuse_output_over_inputs(out, inputs)?;
        }
        Ok(EvalArgs {
            max_pods_rule: flags.max_pods_rule.map(|r| match r {
                MaxPodsRuleFlag::Calculator => MaxPodsRule::Calculator,
                MaxPodsRuleFlag::Table => MaxPodsRule::Table,
            }),
            limits: read_limits(&flags.limits),
            csv: CsvOptions {
                escape_formulas: !flags.no_csv_escape,
            },
            inputs: flags.inputs,
            recursive: flags.recursive,
            catalogs: flags.catalogs,
            builtin: !flags.no_builtin_catalog,
            model: flags.model,
            output: flags.output,
            format,
            fail_on: flags.fail_on,
            advise: flags.advise.then(|| AdviceRequest {
                min_warm_ips: flags
                    .min_warm_ips
                    .unwrap_or(AdviceRequest::default().min_warm_ips),
            }),
        })
    }
}

/// Runs `eval`.
pub fn run(flags: EvalFlags, common: &Common) -> Result<Outcome> {
    let args = EvalArgs::from_flags(flags)?;
    let options = InputOptions {
        recursive: args.recursive,
        exclude: args.output.clone(),
        limits: args.limits.clone(),
    };
    let (files, catalog_faults) = read_catalogs_collecting(&args.catalogs, &options.limits);
    let catalogs = Catalogs::new(files, args.builtin);
    let mut reading = Reading::default();
    let parts = gather(&args.inputs, &options, &mut reading)?;
    // Faults by file: the catalogues', then the inputs' in the order given.
    let mut files = catalog_names(&args.catalogs);
    files.extend(reading.files.iter().cloned());
    let new_faults = || Faults::new(common.max_errors).ordered_by(files.iter().map(|f| &**f));
    let settings = Settings {
        catalogs,
        model: args.model,
        max_pods_rule: args.max_pods_rule,
        limits: options.limits.clone(),
        needs: "a scenario CSV needs",
        advise: args.advise,
    };
    let total_bytes = parts.iter().map(part_size).sum();
    let progress = Progress::new(!common.quiet, total_bytes);
    let inputs = Inputs {
        parts,
        settings,
        reading,
    };

    let mut faults = new_faults();
    if !catalog_faults.is_empty() {
        // A catalogue could not be read: the inputs are still checked, against the others, so
        // that every fault shows in this run; nothing is evaluated.
        faults = faults.without_lookups();
        faults.add(catalog_faults);
        pipeline::check_only(inputs.stream(), faults)?;
        // check_only() returns the catalogues' faults as the run's error; never reached, but an
        // error, not a panic, if it were.
        anyhow::bail!("a catalogue could not be read");
    }
    let mut summary = RunSummary::watching(&above_limits(&args.fail_on));
    let evaluated = match args.format {
        Format::Xlsx => eval_report(&args, inputs, faults, &mut summary, &progress)?,
        Format::Table => eval_table(&args, inputs, faults, &mut summary, &progress)?,
        Format::Csv | Format::Json => {
            eval_streamed(&args, inputs, (faults, new_faults), &mut summary, &progress)?
        }
    };
    let Evaluated {
        written,
        reading,
        instance_data,
    } = evaluated;
    progress.finish();
    print_closing(&args, common, written, &summary, &instance_data);
    if reading.finish(&display(args.output.as_deref())) {
        return Ok(Outcome::PartialInput);
    }
    let read_warnings = reading.near_misses + reading.read_warnings;
    let reasons = failed_conditions(&args.fail_on, &summary, read_warnings as u64);
    for reason in &reasons {
        crate::messages::print_failed(reason);
    }
    Ok(if reasons.is_empty() {
        Outcome::Done
    } else {
        Outcome::FailedCondition
    })
}

/// The run's inputs, gathered and not yet read: the parts, the settings they are read under and
/// the reading so far.
struct Inputs {
    parts: Vec<Part>,
    settings: Settings,
    reading: Reading,
}

impl Inputs {
    /// The batches of the inputs, read from the start.
    fn stream(self) -> BatchStream {
        BatchStream::new(self.parts, self.settings, self.reading)
    }
}

/// What an output format's run leaves: the evaluations written, the reading of the inputs and
/// the instance data used.
struct Evaluated {
    written: usize,
    reading: Reading,
    instance_data: InstanceData,
}

/// The limits of the `--fail-on above=` conditions, for the run's tallies to watch.
fn above_limits(conditions: &[FailOn]) -> Vec<f64> {
    conditions
        .iter()
        .filter_map(|c| match c {
            FailOn::Above(limit) => Some(*limit),
            _ => None,
        })
        .collect()
}

/// Evaluates into the xlsx report at the output path; its jobs are kept until the input is known
/// to be free of faults.
fn eval_report(
    args: &EvalArgs,
    inputs: Inputs,
    mut faults: Faults,
    summary: &mut RunSummary,
    progress: &Progress,
) -> Result<Evaluated> {
    let path = args
        .output
        .as_deref()
        .expect("checked in EvalArgs::from_flags");
    let mut jobs = Vec::new();
    let mut stream = pipeline::run(inputs.stream(), progress, |batch| {
        let (made, failed) = batch.take_jobs();
        faults.add(failed);
        if faults.is_empty() {
            jobs.extend(made);
        }
        Ok(())
    })?;
    stream.reading.settle(faults)?;
    stream.reading.check_any(jobs.len())?;
    let instance_data = stream.instance_data();
    let left_out = &stream.reading.left_out;
    let written = write_report(path, &jobs, left_out, args, &instance_data, progress)?;
    // The report keeps no evaluation: the run's tallies take a pass of their own.
    for part in batch::fold_evaluations(&jobs, || summary.part(), |s, e| s.add(&e)) {
        summary.merge(part);
    }
    Ok(Evaluated {
        written,
        reading: stream.reading,
        instance_data,
    })
}

/// Evaluates everything, then writes the table: it is read by people, and needs every row to
/// align its columns.
fn eval_table(
    args: &EvalArgs,
    inputs: Inputs,
    mut faults: Faults,
    summary: &mut RunSummary,
    progress: &Progress,
) -> Result<Evaluated> {
    let mut all = Vec::new();
    let mut stream = pipeline::run(inputs.stream(), progress, |batch| {
        if faults.is_empty() {
            let (evaluations, failed) = batch.fold_evaluations(Vec::new, Vec::push);
            faults.add(failed);
            all.extend(evaluations.into_iter().flatten());
        } else {
            faults.add(batch.check());
        }
        progress.set_message(format!("{} evaluations", all.len()));
        Ok(())
    })?;
    stream.reading.settle(faults)?;
    stream.reading.check_any(stream.scenarios as usize)?;
    progress.finish();
    let mut out = Destination::open(args.output.as_deref())?;
    out.write_all(table::summary(&all).as_bytes())
        .writing(&display(args.output.as_deref()))?;
    out.finish()?;
    all.iter().for_each(|e| summary.add(e));
    let instance_data = stream.instance_data();
    Ok(Evaluated {
        written: all.len(),
        reading: stream.reading,
        instance_data,
    })
}

/// Evaluates into the summary CSV or JSON, written as it is made; `new_faults` starts the
/// faults of a first pass that only checks the input.
fn eval_streamed(
    args: &EvalArgs,
    inputs: Inputs,
    (mut faults, new_faults): (Faults, impl Fn() -> Faults),
    summary: &mut RunSummary,
    progress: &Progress,
) -> Result<Evaluated> {
    let shown = display(args.output.as_deref());
    let Inputs {
        parts,
        settings,
        reading,
    } = inputs;
    let mut out = Destination::open(args.output.as_deref())?;
    let mut stream = BatchStream::new(parts.clone(), settings.clone(), reading);
    let mut instance_data = stream.instance_data();
    // The JSON output names the workbooks' own catalogues at its start, and workbooks are read
    // only when their turn comes: they are read once before, too.
    let workbooks = parts.iter().any(|p| !matches!(p, Part::Csv(_)));
    if out.writes_through() || (args.format == Format::Json && workbooks) {
        // Standard output, a device or a FIFO cannot take back what it was given: the whole
        // input is checked first (read and checked, not evaluated), so that a bad row anywhere
        // leaves it untouched.
        let checked = pipeline::check_only(stream, new_faults())?;
        instance_data = checked.instance_data();
        stream = BatchStream::new(parts, settings, checked.reading);
        stream.repeat = true;
    }
    let (written, mut stream) = stream_out(
        &mut out,
        &shown,
        stream,
        (&mut faults, summary),
        (args.format, args.csv, &instance_data),
        progress,
        args.advise,
    )?;
    stream.reading.settle(faults)?;
    stream.reading.check_any(stream.scenarios as usize)?;
    progress.finish();
    out.finish()?;
    let instance_data = stream.instance_data();
    Ok(Evaluated {
        written,
        reading: stream.reading,
        instance_data,
    })
}

/// The lines on standard error that close a run: what was written where (unless quiet), then the
/// warnings, unless a table on standard output listed them itself.
fn print_closing(
    args: &EvalArgs,
    common: &Common,
    written: usize,
    summary: &RunSummary,
    instance_data: &InstanceData,
) {
    if !common.quiet {
        closing_lines(args.output.as_deref(), written, summary, instance_data);
    }
    // A table on standard output lists its warnings itself; elsewhere they are summed up here.
    if args.output.is_some() || args.format != Format::Table {
        for line in summary.warning_lines(common.max_warnings) {
            crate::messages::print_warning(&line);
        }
    }
}

/// What the run found, on standard error: after writing to `output`, the evaluations written,
/// per model, the advisor's tally and the instance data; with the outputs on standard output, the
/// advisor's tally alone.
fn closing_lines(
    output: Option<&Path>,
    written: usize,
    summary: &RunSummary,
    instance_data: &InstanceData,
) {
    let Some(path) = output else {
        if let Some(line) = summary.advice_line() {
            crate::messages::print_line(&line);
        }
        return;
    };
    let plural = if written == 1 { "" } else { "s" };
    crate::messages::print_line(&format!(
        "wrote {written} evaluation{plural} to {}",
        path.display()
    ));
    for line in summary
        .model_lines()
        .into_iter()
        .chain(summary.advice_line())
    {
        crate::messages::print_line(&format!("  {line}"));
    }
    crate::messages::print_line(&format!("  instance data: {}", instance_data.describe()));
}

/// The `--fail-on` conditions that hold, each worded for standard error with the evaluation
/// that makes it hold; `near_misses` are the readers' warnings (sheets that look like calculator
/// sheets but were not read, quoted text that took in rows).
fn failed_conditions(conditions: &[FailOn], summary: &RunSummary, near_misses: u64) -> Vec<String> {
    let warnings = summary.warning_count + near_misses;
    let plural = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let worst = || match summary.worst() {
        Some((model, w)) => format!("; worst: {} ({}), {}", w.scenario, model.name(), w.shown),
        None => String::new(),
    };
    // An evaluation that failed (status error or invalid) cannot be shown to pass; one the
    // model does not express (unsupported, with --model both) is the other model's to check.
    let without_figures: u64 = [Model::Workbook, Model::VpcCni]
        .into_iter()
        .map(|m| summary.model(m).failed)
        .sum();
    let mut reasons = Vec::new();
    for condition in conditions {
        let flag = match *condition {
            FailOn::Exhausted => Some("--fail-on exhausted".to_owned()),
            FailOn::Above(limit) => Some(format!("--fail-on above={limit}")),
            FailOn::Warning => None,
        };
        if let Some(flag) = flag.filter(|_| without_figures > 0) {
            reasons.push(format!(
                "{flag}: {} without figures (status error or invalid) cannot be checked",
                plural(without_figures, "evaluation")
            ));
        }
        match *condition {
            FailOn::Exhausted if summary.out_of_addresses() > 0 => reasons.push(format!(
                "--fail-on exhausted: {} out of addresses (a subnet over 100 %){}",
                plural(summary.out_of_addresses(), "evaluation"),
                worst()
            )),
            FailOn::Above(limit) => {
                let count = summary
                    .above()
                    .iter()
                    .find(|a| a.limit == limit)
                    .map_or(0, |a| a.count);
                if count > 0 {
                    reasons.push(format!(
                        "--fail-on above={limit}: {} whose fullest subnet is above {limit} %{}",
                        plural(count, "evaluation"),
                        worst()
                    ));
                }
            }
            FailOn::Warning if warnings > 0 => reasons.push(format!(
                "--fail-on warning: {} (listed above)",
                plural(warnings, "warning")
            )),
            _ => {}
        }
    }
    reasons.dedup();
    reasons
}

fn display(output: Option<&Path>) -> String {
    output.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string())
}

/// An input's size in bytes, for progress.
fn part_size(part: &Part) -> u64 {
    match part {
        Part::Workbook(_, size) => *size,
        Part::Unread(unread) => unread.size,
        Part::Csv(csv) => csv.size.min(1 << 40),
    }
}

/// Streams the summary CSV or JSON: each chunk evaluated and formatted in parallel, written in
/// input order, until a fault of the input is found (from then on the input is only checked, so
/// that every fault is reported; nothing of the output is kept). Returns the number of
/// evaluations, and the stream used up.
fn stream_out(
    out: &mut Destination,
    shown: &str,
    stream: BatchStream,
    (faults, summary): (&mut Faults, &mut RunSummary),
    (format, csv, instance_data): (Format, CsvOptions, &InstanceData),
    progress: &Progress,
    advise: Option<AdviceRequest>,
) -> Result<(usize, BatchStream)> {
    match format {
        Format::Csv => {
            let columns = summary_csv::Columns {
                advice: advise.is_some(),
            };
            SummaryCsvWriter::write_header(&mut *out, columns).writing(shown)?;
            thread_local! {
                /// Each worker's buffer for wording warnings.
                static SCRATCH: std::cell::RefCell<String> = const {
                    std::cell::RefCell::new(String::new())
                };
            }
            formatted_in_parts(
                stream,
                (faults, summary),
                progress,
                CSV_SLICE,
                |part, e| {
                    SCRATCH.with_borrow_mut(|scratch| {
                        summary_csv::format_row(e, part, scratch, (csv, columns))
                    });
                    Ok(())
                },
                |part| out.write_all(part).writing(shown),
            )
        }
        Format::Json => {
            let mut writer = JsonWriter::new(&mut *out, instance_data).writing(shown)?;
            let done = formatted_in_parts(
                stream,
                (faults, summary),
                progress,
                JSON_SLICE,
                |part, e| JsonWriter::<Vec<u8>>::format(e, part),
                |part| writer.write_part(part).writing(shown),
            )?;
            writer
                .finish_with(&done.1.reading.left_out)
                .writing(shown)?;
            Ok(done)
        }
        Format::Table | Format::Xlsx => unreachable!("not streamed"),
    }
}

/// Bytes a part's buffer starts with: a run of jobs' rows fit without growing it.
const PART_BYTES: usize = 32 * 1024;

/// Part buffers kept for reuse at most: those of about two batches in flight.
const POOLED_PARTS: usize = 2 * batch::CHUNK / 64;

/// Scenarios of a batch evaluated and handed to the writer together, by output format: a batch's
/// summary CSV is a few MB, its JSON about 50 (some 3 KB a scenario), which would double the
/// run's memory if a whole batch were formatted while the one before it is written.
const CSV_SLICE: usize = batch::CHUNK;
const JSON_SLICE: usize = batch::CHUNK / 4;

/// Runs `stream` through the evaluation: each batch's evaluations, `slice` scenarios at a time,
/// formatted into parts on the worker threads (`add` formats an evaluation at the end of a
/// part), the parts handed to `put` in input order while no fault has been found. Returns the
/// number of evaluations, and the stream used up.
///
/// `put` runs on a thread of its own, so that a slice is written while the next one is
/// evaluated; it is handed a slice's parts only once the input up to its end is known to be free
/// of faults (a fault found later still leaves no output: see [`Destination`]).
/// Written parts go back to a pool, so that a run of millions formats into the same few hundred
/// buffers instead of allocating, growing and freeing one per run of jobs on another thread.
fn formatted_in_parts(
    stream: BatchStream,
    (faults, summary): (&mut Faults, &mut RunSummary),
    progress: &Progress,
    slice: usize,
    add: impl Fn(&mut Vec<u8>, &Evaluation) -> subnet_calc::Result<()> + Sync + Send,
    mut put: impl FnMut(&[u8]) -> Result<()> + Send,
) -> Result<(usize, BatchStream)> {
    let mut count = 0usize;
    let pool = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
    let start_part = || {
        let spare = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        spare.unwrap_or_else(|| Vec::with_capacity(PART_BYTES))
    };
    std::thread::scope(|scope| {
        // A rendezvous: one slice is written while the next is made, no more held.
        let (to_writer, parts_in) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(0);
        let pool = &pool;
        let writer = std::thread::Builder::new()
            .name("writer".into())
            .spawn_scoped(scope, move || -> Result<()> {
                for parts in parts_in {
                    for mut part in parts {
                        put(&part)?;
                        part.clear();
                        if let Ok(mut pool) = pool.lock()
                            && pool.len() < POOLED_PARTS
                        {
                            pool.push(part);
                        }
                    }
                }
                Ok(())
            })?;
        let run = pipeline::run(stream, progress, |batch| {
            if !faults.is_empty() {
                faults.add(batch.check());
                return Ok(());
            }
            let len = batch.len();
            let mut start = 0;
            loop {
                let end = len.min(start + slice);
                // Each part's tallies count against the run's as it stands before this slice.
                let run: &RunSummary = summary;
                let (parts, failed) = batch.fold_evaluations_in(
                    start..end,
                    || (start_part(), 0usize, None, run.part()),
                    |(part, n, failed, tally), e| {
                        *n += 1;
                        tally.add_against(&e, run);
                        if let Err(error) = add(part, &e) {
                            failed.get_or_insert(error);
                        }
                    },
                );
                faults.add(failed);
                if !faults.is_empty() {
                    if end < len {
                        faults.add(batch.check_in(end..len));
                    }
                    return Ok(());
                }
                let mut formatted = Vec::with_capacity(parts.len());
                for (part, n, failed, tally) in parts {
                    if let Some(e) = failed {
                        return Err(e.into());
                    }
                    formatted.push(part);
                    count += n;
                    summary.merge(tally);
                }
                // Refused only when the writer stopped on an error, which is the one reported.
                to_writer
                    .send(formatted)
                    .map_err(|_| anyhow::anyhow!("the output's writer stopped"))?;
                progress.set_message(format!("{count} evaluations"));
                if end >= len {
                    return Ok(());
                }
                start = end;
            }
        });
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A failure to write comes first: it is why the run stopped.
        written?;
        run.map(|stream| (count, stream))
    })
}

/// Evaluates everything and writes the xlsx report through a temporary file.
fn write_report(
    path: &Path,
    jobs: &[Job],
    left_out: &[String],
    args: &EvalArgs,
    instance_data: &InstanceData,
    progress: &Progress,
) -> Result<usize> {
    let mut models: Vec<Model> = jobs.iter().flat_map(|j| j.models.iter().copied()).collect();
    models.sort();
    models.dedup();
    let generated_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let info = ReportInfo {
        inputs: args.inputs.clone(),
        left_out: left_out.to_vec(),
        instance_data: instance_data.clone(),
        models,
        generated_at,
    };
    let evaluations: usize = jobs.iter().map(|j| j.models.len()).sum();
    progress.start_phase("writing the report", 2 * evaluations as u64);
    let mut file = create_output(path)?;
    let temp_dir = file.temp_dir().map(Path::to_path_buf);
    let target = ReportTarget {
        path,
        temp_dir: temp_dir.as_deref(),
    };
    let written = xlsx_report::write_report(&mut file, target, jobs, &info, &|step| match step {
        ReportStep::Evaluated(n) => progress.advance(n as u64),
        ReportStep::Saving => progress.start_spinner("compressing and saving the report"),
    })?;
    progress.finish();
    file.commit()?;
    Ok(written)
}
