//! `subnet-calc eval`: evaluate scenarios and write a table, CSV, JSON or xlsx report.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use subnet_calc::Error;
use subnet_calc::catalog::Catalog;
use subnet_calc::engine::Evaluation;
use subnet_calc::engine::Model;
use subnet_calc::engine::batch::{Job, evaluate_all};
use subnet_calc::read::InputKind;
use subnet_calc::read::ReadLimits;
use subnet_calc::scenario::MaxPodsRule;
use subnet_calc::write::EvaluationWriter;
use subnet_calc::write::json::JsonWriter;
use subnet_calc::write::report_xlsx::{self, Batch, Provenance};
use subnet_calc::write::summary_csv::SummaryCsvWriter;
use subnet_calc::write::table;
use subnet_calc::write::{CsvOptions, Format};

use crate::cli::{EvalFlags, MaxPodsRuleFlag, ModelFlag};
use crate::cmd::inputs::{
    InputOptions, Reading, jobs_of_all, read_catalogs, read_inputs, read_limits,
};
use crate::cmd::{
    Destination, Outcome, create_output, file_or_stdout, output_format, refuse_directory,
    refuse_output_over_inputs,
};

/// Scenarios evaluated at a time: enough to keep every core busy, small enough that a batch of
/// millions never holds all its results in memory.
const CHUNK: usize = 16 * 1024;

/// `eval`'s checked arguments.
struct EvalArgs {
    inputs: Vec<String>,
    max_pods_rule: Option<MaxPodsRule>,
    recursive: bool,
    limits: ReadLimits,
    csv: CsvOptions,
    catalogs: Vec<PathBuf>,
    model: Option<ModelFlag>,
    output: Option<PathBuf>,
    format: Format,
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
            model: flags.model,
            output: flags.output,
            format,
        })
    }
}

/// The models to run on an input: the flag's, or the input kind's default.
fn models_for(flag: Option<ModelFlag>, kind: InputKind) -> Vec<Model> {
    match (flag, kind) {
        (Some(ModelFlag::Workbook), _) => vec![Model::Workbook],
        (Some(ModelFlag::VpcCni), _) => vec![Model::VpcCni],
        (Some(ModelFlag::Both), _) => vec![Model::Workbook, Model::VpcCni],
        (None, InputKind::LegacyWorkbook) => vec![Model::Workbook],
        (None, InputKind::ScenarioCsv) => vec![Model::VpcCni],
    }
}

/// Runs `eval`.
pub fn run(flags: EvalFlags) -> Result<Outcome> {
    let args = EvalArgs::from_flags(flags)?;
    let options = InputOptions {
        recursive: args.recursive,
        exclude: args.output.clone(),
        limits: args.limits.clone(),
    };
    let cli_catalog = Arc::new(read_catalogs(&args.catalogs, &options.limits)?);
    let mut reading = Reading::default();
    let mut inputs = read_inputs(&args.inputs, &options, &mut reading)?;
    // The flag's rule where a scenario has none of its own.
    if let Some(rule) = args.max_pods_rule {
        for s in inputs.iter_mut().flat_map(|i| i.scenarios.iter_mut()) {
            s.scenario.max_pods_rule.get_or_insert(rule);
        }
    }
    // Check every scenario against its catalogue before writing anything.
    let checked = jobs_of_all(inputs, &cli_catalog, "a scenario CSV needs", &mut reading)?;
    let batches: Vec<(Vec<Job>, Vec<Model>)> = checked
        .into_iter()
        .map(|(jobs, kind)| (jobs, models_for(args.model, kind)))
        .collect();

    let shown = display(args.output.as_deref());
    if args.format == Format::Xlsx {
        let path = args
            .output
            .as_deref()
            .expect("checked in EvalArgs::from_flags");
        let written = write_report(path, &batches, &args, &cli_catalog)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {written} evaluations to {}", path.display());
        return Ok(Outcome::partial_if(reading.finish(&shown)));
    }
    let mut out = Destination::open(args.output.as_deref())?;
    let written = write_all(&mut out, args.format, args.csv, &batches)
        .with_context(|| format!("writing {shown}"))?;
    out.finish()?;
    if let Some(path) = &args.output {
        eprintln!("wrote {written} evaluations to {}", path.display());
    }
    Ok(Outcome::partial_if(reading.finish(&shown)))
}

fn display(output: Option<&Path>) -> String {
    output.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string())
}

/// Evaluates chunk by chunk and writes as it goes; returns the number of evaluations.
fn write_all(
    out: &mut Destination,
    format: Format,
    csv: CsvOptions,
    batches: &[(Vec<Job>, Vec<Model>)],
) -> Result<usize> {
    let chunks = || {
        batches
            .iter()
            .flat_map(|(jobs, models)| jobs.chunks(CHUNK).map(move |c| evaluate_all(c, models)))
    };
    match format {
        Format::Table => {
            // A table is read by people: it needs every row to align its columns.
            let all: Vec<_> = chunks().flatten().collect();
            out.write_all(table::summary(&all).as_bytes())?;
            Ok(all.len())
        }
        Format::Csv => stream(SummaryCsvWriter::with_options(&mut *out, csv)?, chunks()),
        Format::Json => stream(JsonWriter::new(&mut *out)?, chunks()),
        Format::Xlsx => unreachable!("written by write_report"),
    }
}

/// Writes each chunk as it is evaluated; returns the number of evaluations.
fn stream(
    mut writer: impl EvaluationWriter,
    chunks: impl Iterator<Item = Vec<Evaluation>>,
) -> Result<usize> {
    let mut count = 0;
    for chunk in chunks {
        for e in &chunk {
            writer.write(e)?;
        }
        count += chunk.len();
    }
    writer.finish()?;
    Ok(count)
}

/// Evaluates everything and writes the xlsx report through a temporary file.
fn write_report(
    path: &Path,
    batches: &[(Vec<Job>, Vec<Model>)],
    args: &EvalArgs,
    cli_catalog: &Catalog,
) -> Result<usize> {
    let report: Vec<Batch> = batches
        .iter()
        .map(|(jobs, models)| Batch { jobs, models })
        .collect();
    let mut models: Vec<Model> = batches
        .iter()
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    models.sort();
    models.dedup();
    let mut sources: Vec<String> = Vec::new();
    let input_sources = batches
        .iter()
        .filter_map(|(jobs, _)| jobs.first())
        .flat_map(|j| j.catalog.sources());
    for source in input_sources.chain(cli_catalog.sources()) {
        if !sources.contains(source) {
            sources.push(source.clone());
        }
    }
    let generated_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let provenance = Provenance {
        inputs: args.inputs.clone(),
        catalog_sources: sources,
        models,
        generated_at,
    };
    let mut file = create_output(path)?;
    let written = report_xlsx::write_report(&mut file, &report, &provenance)?;
    file.commit()?;
    Ok(written)
}
