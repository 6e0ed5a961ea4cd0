//! `subnet-calc convert`: legacy workbooks (or scenario CSVs) to one scenario CSV, or scenarios to
//! legacy workbooks, one per scenario (`--to legacy`).
//!
//! With `--to legacy`, every input and catalogue is read and every scenario checked against its
//! catalogue (unknown instance types are errors, as in `eval`) before anything is written.
//! Scenarios the legacy layout cannot express are named on standard error (`skipped <id>:
//! <reason>`) and left out, never changed to fit; the others are written, each through a
//! temporary file, and renamed into place together once all are complete. The exit status is 0
//! when at least one workbook was written, 2 when none could be (nothing is written then).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use subnet_calc::Error;
use subnet_calc::engine::batch::Job;
use subnet_calc::engine::workbook;
use subnet_calc::read::InputKind;
use subnet_calc::scenario::Scenario;
use subnet_calc::text::CsvOptions;
use subnet_calc::write::{legacy_export, scenario_export, write_error};

use crate::cli::{ConvertFlags, ConvertTo};
use crate::cmd::faults::Faults;
use crate::cmd::inputs::{
    Catalogs, InputOptions, Reading, catalog_names, jobs_of_all, read_catalogs_collecting,
    read_inputs, read_limits,
};
use crate::cmd::{
    Common, Destination, Outcome, Writing, file_or_stdout, refuse_directory,
    refuse_output_over_inputs,
};
use crate::messages;
use crate::output::staging::Staging;

/// Runs `convert`.
pub fn run(flags: ConvertFlags, common: &Common) -> Result<Outcome> {
    match flags.to {
        ConvertTo::Csv => to_csv(flags, common),
        ConvertTo::Legacy => to_legacy(flags, common),
    }
}

/// Every scenario into one scenario CSV.
fn to_csv(flags: ConvertFlags, common: &Common) -> Result<Outcome> {
    if !flags.catalogs.is_empty() || flags.no_builtin_catalog {
        anyhow::bail!(Error::Unsupported {
            what: format!(
                "{} is used only with --to legacy",
                if flags.catalogs.is_empty() {
                    "--no-builtin-catalog"
                } else {
                    "--catalog"
                }
            ),
            hint: "a scenario CSV names instance types without their limits; drop --catalog, or \
                   add --to legacy to export workbooks with lookup sheets"
                .into(),
        });
    }
    // `-o -` writes the CSV to standard output.
    let output = file_or_stdout(Some(flags.output.clone()));
    refuse_directory(output.as_deref())?;
    if let Some(path) = &output {
        refuse_output_over_inputs(path, flags.inputs.iter().map(Into::into))?;
    }
    let options = InputOptions {
        recursive: flags.recursive,
        exclude: output.clone(),
        limits: read_limits(&flags.limits),
    };
    let mut reading = Reading::default();
    let mut faults = Faults::new(common.max_errors);
    let inputs = read_inputs(&flags.inputs, &options, &mut reading, &mut faults)?;
    reading.settle(faults)?;
    reading.check_any(inputs.len())?;
    let scenarios: Vec<&Scenario> = inputs
        .iter()
        .flat_map(|i| i.scenarios.iter().map(|s| &s.scenario))
        .collect();
    let mut out = Destination::open(output.as_deref())?;
    let shown = output
        .as_ref()
        .map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
    let csv = CsvOptions {
        escape_formulas: !flags.no_csv_escape,
    };
    scenario_export::write_with(&mut out, &scenarios, csv).writing(&shown)?;
    out.finish()?;
    let plural = if scenarios.len() == 1 { "" } else { "s" };
    if !common.quiet {
        messages::print_line(&format!(
            "wrote {} scenario{plural} to {shown}",
            scenarios.len()
        ));
    }
    Ok(Outcome::partial_if(reading.finish(&shown)))
}

/// One legacy workbook per scenario, into the directory `-o` names.
fn to_legacy(flags: ConvertFlags, common: &Common) -> Result<Outcome> {
    let dir = flags.output.as_path();
    check_destination(dir)?;
    let options = InputOptions {
        recursive: flags.recursive,
        exclude: None,
        limits: read_limits(&flags.limits),
    };
    // Every fault of the catalogues and the inputs is collected, as `eval` collects them.
    let (files, catalog_faults) = read_catalogs_collecting(&flags.catalogs, &options.limits);
    let catalogs = Catalogs::new(files, !flags.no_builtin_catalog);
    let mut faults = Faults::new(common.max_errors)
        .ordered_by(catalog_names(&flags.catalogs).iter().map(|n| &**n));
    if !catalog_faults.is_empty() {
        faults = faults.without_lookups();
    }
    faults.add(catalog_faults);
    let mut reading = Reading::default();
    let inputs = read_inputs(&flags.inputs, &options, &mut reading, &mut faults)?;
    // Every file read, directories' workbooks included: no export may land on one of them.
    let read_files: Vec<PathBuf> = inputs.iter().map(|i| PathBuf::from(&i.name)).collect();
    // The workbook each scenario was read from, for its export's name.
    let read_from: HashMap<String, String> = inputs
        .iter()
        .filter(|i| i.kind != InputKind::ScenarioCsv)
        .flat_map(|i| {
            i.scenarios
                .iter()
                .map(|s| (s.scenario.id.to_string(), i.name.clone()))
        })
        .collect();

    // Each scenario with its catalogue, checked as `eval` checks it.
    let jobs: Vec<Job> = jobs_of_all(
        inputs,
        &catalogs,
        "the legacy lookup sheets need",
        &mut reading,
        &mut faults,
    );
    reading.settle(faults)?;
    reading.check_any(jobs.len())?;

    // What the layout can express; the rest is named and skipped.
    let exported = exportable(&jobs)?;
    let skipped = jobs.len() - exported.len();
    let names = legacy_export::file_names_from(exported.iter().map(|j| {
        let id = &*j.scenario.id;
        (id, read_from.get(id).map(String::as_str))
    }));
    let sources: Vec<PathBuf> = flags
        .inputs
        .iter()
        .map(PathBuf::from)
        .chain(read_files)
        .chain(flags.catalogs.iter().cloned())
        .collect();
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    for path in &paths {
        refuse_output_over_inputs(path, sources.iter().cloned())?;
    }
    // Every target checked before anything is written: a workbook a team keeps is not replaced
    // unless asked.
    if !flags.force {
        refuse_existing(&paths)?;
    }
    write_exports(&exported, &paths, dir)?;
    if !common.quiet {
        messages::print_line(&format!(
            "wrote {} legacy workbook{} to {}{}",
            paths.len(),
            if paths.len() == 1 { "" } else { "s" },
            dir.display(),
            if skipped > 0 {
                format!(" ({skipped} skipped)")
            } else {
                String::new()
            }
        ));
    }
    Ok(Outcome::partial_if(
        reading.finish(&dir.display().to_string()),
    ))
}

/// Refuses a destination `--to legacy` cannot write into: standard output, or an existing file.
fn check_destination(dir: &Path) -> Result<()> {
    if dir.as_os_str() == "-" {
        anyhow::bail!(Error::Unsupported {
            what: "--to legacy writes one workbook per scenario, which standard output (-o -) cannot hold".into(),
            hint: "name a directory with -o; it is created if missing".into(),
        });
    }
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(Error::Unsupported {
            what: format!(
                "{}: -o names an existing file, but --to legacy writes one workbook per scenario into a directory",
                dir.display()
            ),
            hint: "name a directory with -o; it is created if missing".into(),
        });
    }
    Ok(())
}

/// The scenarios the legacy layout can express; the others are named (`skipped <id>: <why>`) and
/// skipped. None at all is an error.
fn exportable(jobs: &[Job]) -> Result<Vec<&Job>> {
    let mut exported = Vec::new();
    for job in jobs {
        match workbook::evaluate(&job.scenario, &job.catalog) {
            Ok(_) => exported.push(job),
            Err(why) => messages::print_line(&format!("skipped {}: {why}", job.scenario.id)),
        }
    }
    if exported.is_empty() {
        anyhow::bail!(Error::Unsupported {
            what: format!(
                "none of the {} scenarios can be exported to the legacy layout",
                jobs.len()
            ),
            hint:
                "each was skipped for the reason given above; the legacy workbook takes one subnet \
                   size from its CidrData table and one warm target, without prefix delegation, \
                   MINIMUM_IP_TARGET, MAX_ENI, custom networking, security groups for pods, IPv6 \
                   or a max_pods override"
                    .into(),
        });
    }
    Ok(exported)
}

/// Refuses to replace an existing file at any of `paths` (without --force), naming the first
/// five of them.
fn refuse_existing(paths: &[PathBuf]) -> Result<()> {
    let existing: Vec<String> = paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        let shown: Vec<&str> = existing.iter().take(5).map(String::as_str).collect();
        let more = existing.len() - shown.len();
        anyhow::bail!(Error::Unsupported {
            what: format!(
                "{} would replace {}{}",
                if existing.len() == 1 {
                    "the export".to_owned()
                } else {
                    format!("the export of {} workbooks", existing.len())
                },
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
            hint: format!(
                "add --force to replace {}, or name another directory with -o; nothing was written",
                if existing.len() == 1 { "it" } else { "them" }
            ),
        });
    }
    Ok(())
}

/// Writes the workbooks into `dir`, created if missing (and removed again, if still empty, when
/// the writing fails).
fn write_exports(exported: &[&Job], paths: &[PathBuf], dir: &Path) -> Result<()> {
    let created = !dir.exists();
    if created {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    }
    let written = write_all(exported, paths, dir);
    if written.is_err() && created {
        let _ = std::fs::remove_dir(dir); // only if empty: nothing of ours is left in it
    }
    if written? > 0 {
        messages::print_note("removed temporary files that an interrupted earlier run left");
    }
    Ok(())
}

/// Writes every workbook into a staging directory in `dir`, then moves them all into place
/// together (see [`Staging`]); returns how many stale temporary files were cleaned.
fn write_all(jobs: &[&Job], paths: &[PathBuf], dir: &Path) -> Result<usize> {
    let mut staging = Staging::new(dir)?;
    // Built in parallel a batch at a time, so that memory holds a batch of workbooks, not all.
    for batch in jobs.chunks(64).zip(paths.chunks(64)) {
        let built: Vec<Result<Vec<u8>>> = batch
            .0
            .par_iter()
            .zip(batch.1)
            .map(|(job, path)| {
                legacy_export::to_bytes(&job.scenario, &job.catalog)
                    .with_context(|| format!("writing {}", path.display()))
            })
            .collect();
        for (bytes, path) in built.into_iter().zip(batch.1) {
            staging.add(path, &bytes?)?;
        }
    }
    let stale = staging.stale_removed();
    staging.commit()?;
    Ok(stale)
}
