//! One module per subcommand, plus what they share: reading catalogues and inputs, and the output
//! destination (standard output, or a file written whole or not at all).

pub mod catalog;
pub mod convert;
pub mod eval;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use subnet_calc::catalog::Catalog;
use subnet_calc::engine::batch::Job;
use subnet_calc::read::{self, Input};
use subnet_calc::write::Format;
use subnet_calc::write::atomic::AtomicFile;
use subnet_calc::{Error, Location};

use crate::cli::{Command, FormatFlag};

/// Runs a parsed command line.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Eval(flags) => eval::run(flags),
        Command::Convert(flags) => convert::run(flags),
        Command::Catalog(flags) => catalog::run(flags),
    }
}

/// Reads and layers catalogue sources in the order given.
pub fn read_catalogs(paths: &[PathBuf]) -> Result<Catalog> {
    let mut catalog = Catalog::new();
    for path in paths {
        let name = path.display().to_string();
        let bytes = read::read_file(path)?;
        let source = read::catalog::read_bytes(&name, bytes)?;
        catalog.layer(&source);
    }
    Ok(catalog)
}

/// Reads scenario inputs; `-` is standard input (once). Scenario ids must be unique across inputs.
pub fn read_inputs(names: &[String]) -> Result<Vec<Input>> {
    if names.iter().filter(|n| *n == "-").count() > 1 {
        anyhow::bail!(Error::Unsupported {
            what: "standard input (-) is named more than once".into(),
            hint: "name it once".into(),
        });
    }
    let mut inputs = Vec::with_capacity(names.len());
    let mut seen: HashMap<String, Location> = HashMap::new();
    for name in names {
        let bytes = if name == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("reading standard input")?;
            buf
        } else {
            read::read_file(Path::new(name))?
        };
        let input = read::read_input(name, bytes)?;
        for s in &input.scenarios {
            if let Some(first) =
                seen.insert(s.scenario.id.clone(), s.origin.scenario_location(None))
            {
                anyhow::bail!(Error::DuplicateScenario {
                    location: s.origin.scenario_location(Some("scenario")),
                    scenario: s.scenario.id.clone(),
                    first,
                });
            }
        }
        inputs.push(input);
    }
    Ok(inputs)
}

/// An input's scenarios checked against their catalogue: a workbook's own lookup sheets with the
/// `--catalog` sources layered over them, or the `--catalog` sources alone (shared, not copied).
/// A scenario CSV without any catalogue is the NoCatalog error; `needs` starts its hint.
pub fn jobs_of(input: Input, cli_catalog: &Arc<Catalog>, needs: &str) -> Result<Vec<Job>> {
    let catalog = match input.catalog {
        Some(mut own) => {
            own.layer(cli_catalog);
            Arc::new(own)
        }
        None if cli_catalog.sources().is_empty() => anyhow::bail!(Error::NoCatalog {
            location: Location::file(input.name.clone()),
            hint: format!(
                "{needs} --catalog PATH: a legacy workbook, describe-instance-types JSON or a limits CSV"
            ),
        }),
        None => Arc::clone(cli_catalog),
    };
    let jobs = input
        .scenarios
        .into_iter()
        .map(|s| Job::new(s, Arc::clone(&catalog)));
    Ok(jobs.collect::<subnet_calc::Result<Vec<_>>>()?)
}

/// Refuses an output path that names one of the inputs.
pub fn refuse_output_over_inputs(
    output: &Path,
    inputs: impl IntoIterator<Item = PathBuf>,
) -> Result<()> {
    let canonical = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(parent.join(p.file_name()?))
    };
    let out = canonical(output);
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        if out.is_some() && canonical(&input) == out {
            anyhow::bail!(Error::OutputIsInput {
                path: output.to_path_buf()
            });
        }
    }
    Ok(())
}

/// Refuses an `-o` that names a directory, before any work is done.
pub fn refuse_directory(output: Option<&Path>) -> Result<()> {
    if let Some(path) = output.filter(|p| p.is_dir()) {
        anyhow::bail!(Error::Unsupported {
            what: format!("{} is a directory", path.display()),
            hint: "-o names the output file".into(),
        });
    }
    Ok(())
}

/// `-o -` means standard output, as `-` means standard input among the inputs.
pub fn file_or_stdout(output: Option<PathBuf>) -> Option<PathBuf> {
    output.filter(|p| p.as_os_str() != "-")
}

/// The output format: `--format`, else the output file's extension, else `default`.
pub fn output_format(
    flag: Option<FormatFlag>,
    output: Option<&Path>,
    default: Format,
) -> Result<Format> {
    Ok(match (flag, output) {
        (Some(FormatFlag::Table), _) => Format::Table,
        (Some(FormatFlag::Csv), _) => Format::Csv,
        (Some(FormatFlag::Json), _) => Format::Json,
        (Some(FormatFlag::Xlsx), _) => Format::Xlsx,
        (None, Some(path)) => Format::from_extension(path)?,
        (None, None) => default,
    })
}

/// Where output goes: standard output, or a file that appears only once complete.
pub enum Destination {
    /// Standard output.
    Stdout(std::io::BufWriter<std::io::Stdout>),
    /// A file.
    File(AtomicFile),
}

impl Destination {
    /// Opens the destination: a file when `output` is given.
    pub fn open(output: Option<&Path>) -> Result<Self> {
        Ok(match output {
            Some(path) => Destination::File(AtomicFile::create(path)?),
            None => Destination::Stdout(std::io::BufWriter::new(std::io::stdout())),
        })
    }

    /// Completes the output: flushes standard output, or renames the file into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Destination::Stdout(mut out) => out.flush().context("writing standard output"),
            Destination::File(file) => Ok(file.commit()?),
        }
    }
}

/// Standard output closed by its reader (`subnet-calc eval … | head`) ends the run quietly and
/// successfully, as it does for other filters; nothing else is left to clean up then.
fn quiet_on_broken_pipe<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Destination::Stdout(out) => quiet_on_broken_pipe(out.write(buf)),
            Destination::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::Stdout(out) => quiet_on_broken_pipe(out.flush()),
            Destination::File(file) => file.flush(),
        }
    }
}
