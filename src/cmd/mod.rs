//! One module per subcommand, plus what they share: reading catalogues and inputs
//! ([`inputs`]), and the output destination (standard output, or a file written whole or not at
//! all).

pub mod convert;
pub mod eval;
pub mod faults;
pub mod inputs;
pub mod jobs;
pub mod pipeline;
pub mod progress;
pub mod run_catalogs;
pub mod same_file;
pub mod shell;
pub mod show_catalog;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use subnet_calc::Error;
use subnet_calc::write::Format;

use crate::cli::{Command, CommonFlags, FormatFlag};
use crate::output::atomic::AtomicFile;

/// How a run that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read and written.
    Done,
    /// The outputs were written, but some inputs could not be read (named on standard error).
    PartialInput,
    /// The outputs were written, and a `--fail-on` condition holds (said on standard error).
    FailedCondition,
}

impl Outcome {
    /// The exit code: 0; 2 when inputs were left out; 3 when a `--fail-on` condition holds.
    pub fn exit_code(self) -> std::process::ExitCode {
        match self {
            Outcome::Done => std::process::ExitCode::SUCCESS,
            Outcome::PartialInput => std::process::ExitCode::from(2),
            Outcome::FailedCondition => std::process::ExitCode::from(3),
        }
    }

    /// [`Outcome::PartialInput`] when `partial`.
    pub fn partial_if(partial: bool) -> Self {
        if partial {
            Outcome::PartialInput
        } else {
            Outcome::Done
        }
    }
}

/// What every subcommand is told, checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Common {
    /// No progress and no closing "wrote N ..." line.
    pub quiet: bool,
    /// The most faults of the input reported.
    pub max_errors: usize,
    /// The most kinds of warning summed up on standard error (`None`: every kind).
    pub max_warnings: Option<usize>,
}

/// Runs a parsed command line.
pub fn run(command: Command, flags: &CommonFlags) -> Result<Outcome> {
    if let Some(threads) = flags.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(threads))
            .build_global()
            .context("starting the worker threads")?;
    }
    let common = Common {
        quiet: flags.quiet,
        max_errors: flags.max_errors as usize,
        max_warnings: (flags.max_warnings > 0).then_some(flags.max_warnings as usize),
    };
    match command {
        Command::Eval(flags) => eval::run(flags, &common),
        Command::Convert(flags) => convert::run(flags, &common),
        Command::Catalog(flags) => show_catalog::run(flags).map(|()| Outcome::Done),
        Command::Completions(flags) => shell::completions(flags.shell).map(|()| Outcome::Done),
        Command::Man(flags) => shell::man(flags).map(|()| Outcome::Done),
    }
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

/// Starts an output file (see [`AtomicFile`]), saying so when temporary files that a killed
/// earlier run left beside it were removed.
pub fn create_output(path: &Path) -> Result<AtomicFile> {
    let file = AtomicFile::create(path)?;
    if file.stale_removed() > 0 {
        crate::messages::print_note(&format!(
            "removed {} temporary file(s) that an interrupted earlier run left beside {}",
            file.stale_removed(),
            path.display()
        ));
    }
    Ok(file)
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
            Some(path) => Destination::File(create_output(path)?),
            None => Destination::Stdout(std::io::BufWriter::new(std::io::stdout())),
        })
    }

    /// Whether what is written cannot be taken back: standard output, or a device or FIFO the
    /// output path names (written through, see [`AtomicFile`]).
    pub fn writes_through(&self) -> bool {
        match self {
            Destination::Stdout(_) => true,
            Destination::File(file) => crate::output::atomic::writes_through(file.destination()),
        }
    }

    /// Completes the output: flushes standard output, or renames the file into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Destination::Stdout(mut out) => {
                quiet_on_broken_pipe(out.flush()).context("writing standard output")
            }
            Destination::File(file) => Ok(file.commit()?),
        }
    }
}

/// A result of writing an output, its failure named by the output (`shown`: its path, or
/// "standard output"): the library's stream writers do not know where their bytes go.
pub trait Writing<T> {
    /// The result, a failure to write named `shown` with its cause (exit status 1).
    fn writing(self, shown: &str) -> Result<T>;
}

impl<T> Writing<T> for std::io::Result<T> {
    fn writing(self, shown: &str) -> Result<T> {
        self.map_err(|source| {
            subnet_calc::Error::Write {
                path: shown.into(),
                source,
            }
            .into()
        })
    }
}

impl<T> Writing<T> for subnet_calc::Result<T> {
    fn writing(self, shown: &str) -> Result<T> {
        self.map_err(|e| match e {
            subnet_calc::Error::Write { source, .. } => subnet_calc::Error::Write {
                path: shown.into(),
                source,
            }
            .into(),
            other => anyhow::Error::from(other).context(format!("writing {shown}")),
        })
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
