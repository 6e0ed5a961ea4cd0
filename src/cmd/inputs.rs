//! Reading what the subcommands are given: catalogues, and scenario inputs (files, directories of
//! workbooks, standard input).
//!
//! [`gather`] finds every input: a workbook file is left unread ([`Part::Unread`]) until its turn
//! comes in the stream of jobs ([`crate::cmd::jobs`]), which reads a few at a time in parallel
//! and drops each once its jobs are made, so that a directory of thousands holds a few; a scenario
//! CSV is only recognised, to be streamed when its turn comes, since it may hold millions of
//! scenarios. Standard input is first spooled to an unnamed temporary file, so that it can be read
//! more than once; a workbook that can be read only once (standard input, a FIFO) is read at once.
//!
//! Workbooks are read independently: one that cannot be read (not a workbook, a bad cell, an
//! instance type its catalogue lacks) is reported with its path and reason, and the others go on
//! to be evaluated and written; [`Reading::finish`] then says how many could not be read, and the
//! run exits with status 2. Any error in a scenario CSV or a catalogue stops the run before
//! anything is written.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use subnet_calc::catalog::Catalog;
use subnet_calc::engine::batch::{CHUNK, Job, Models, WORKBOOK};
use subnet_calc::read::ids::IdSet;
use subnet_calc::read::scenario_csv::{RawBatch, RecordReader};
use subnet_calc::read::sniff::{FileKind, sniff};
use subnet_calc::read::{self, Input, InputKind, ReadLimits};
use subnet_calc::scenario::LocatedScenario;
use subnet_calc::scenario::MaxPodsRule;
use subnet_calc::{Error, Location};

use crate::cmd::faults::Faults;
pub use crate::cmd::run_catalogs::{
    Catalogs, catalog_names, catalog_of, read_catalogs, read_catalogs_collecting, read_limits,
};
use crate::cmd::same_file;
use crate::messages;

/// How the inputs are gathered.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Look into the subdirectories of directories too.
    pub recursive: bool,
    /// A file a directory may hold but that is not an input: the output being written.
    pub exclude: Option<PathBuf>,
    /// Size limits.
    pub limits: ReadLimits,
}

/// What went wrong while reading the inputs, for the closing count and the exit status.
#[derive(Debug, Default)]
pub struct Reading {
    /// Workbook inputs seen.
    pub workbooks: usize,
    /// Workbooks that could not be read, reported as they were found.
    pub failed: usize,
    /// Subdirectories that could not be listed, reported as they were found.
    pub unlisted: usize,
    /// Sheets that look like calculator sheets but were not read (warnings).
    pub near_misses: usize,
    /// Other warnings about how an input was read (quoted text that took in rows).
    pub read_warnings: usize,
    /// The faults of the workbooks that could not be read, to be reported with the others in
    /// file order ([`Reading::settle`]).
    failures: Vec<Error>,
    /// The files read, in the order given.
    pub files: Vec<String>,
    /// What was left out (workbooks that could not be read, directories that could not be
    /// listed, sheets not read), each with why, for the outputs to say.
    pub left_out: Vec<String>,
}

impl Reading {
    /// Counts a workbook that cannot be used; its fault is reported by [`Reading::settle`].
    pub fn fail(&mut self, error: anyhow::Error) {
        match error.downcast::<Error>() {
            Ok(fault) => {
                self.left_out.push(fault.to_string());
                self.failures.extend(fault.faults());
            }
            Err(other) => {
                self.left_out.push(format!("{other:#}"));
                messages::print_error(&other);
            }
        }
        self.failed += 1;
    }

    /// Ends the reading: with faults of the input, they and the workbooks that could not be read
    /// are the run's error, all in file order; without, the workbooks that could not be read
    /// are named (in file order) and the run goes on with the others.
    pub fn settle(&mut self, mut faults: Faults) -> Result<()> {
        let failures = std::mem::take(&mut self.failures);
        if faults.is_empty() {
            let mut named = Faults::new(usize::MAX).ordered_by(self.files.iter().map(|f| &**f));
            named.add(failures);
            if let Err(e) = named.finish() {
                messages::print_error(&e);
            }
            return Ok(());
        }
        faults.add(failures);
        faults.finish()
    }

    /// Reports a subdirectory that cannot be listed and counts it.
    pub fn unlisted(&mut self, error: &anyhow::Error) {
        self.left_out.push(format!("{error:#}"));
        messages::print_error(error);
        self.unlisted += 1;
    }

    /// Prints the closing count when inputs were left out; true when some were (exit 2).
    pub fn finish(&self, written_to: &str) -> bool {
        if self.failed == 0 && self.unlisted == 0 {
            return false;
        }
        let mut parts = Vec::new();
        if self.failed > 0 {
            parts.push(if self.failed == 1 && self.workbooks == 1 {
                "the workbook could not be read".to_owned()
            } else {
                format!(
                    "{} of {} workbooks could not be read",
                    self.failed, self.workbooks
                )
            });
        }
        if self.unlisted > 0 {
            parts.push(format!(
                "{} director{} could not be listed",
                self.unlisted,
                if self.unlisted == 1 { "y" } else { "ies" }
            ));
        }
        messages::print_error(&anyhow::anyhow!(
            "{} (named above); {written_to} holds the scenarios of the others",
            parts.join(", ")
        ));
        true
    }

    /// Fails the run when nothing at all could be read: there is nothing to write.
    pub fn check_any(&self, inputs: usize) -> Result<()> {
        if inputs == 0 && self.failed > 0 {
            anyhow::bail!(Error::Unsupported {
                what: if self.failed == 1 {
                    "the workbook could not be read".into()
                } else {
                    format!("none of the {} workbooks could be read", self.failed)
                },
                hint: "each is named above with the reason; nothing was written".into(),
            });
        }
        Ok(())
    }
}

/// One file to read: its path, the start of its scenario ids, whether a directory listed it
/// (rather than the command line naming it), and its spool when it is standard input.
#[derive(Debug, Clone)]
struct Source {
    path: String,
    stem: String,
    listed: bool,
    spool: Option<Arc<std::fs::File>>,
}

impl same_file::Found for Source {
    fn path(&self) -> &str {
        &self.path
    }

    fn listed(&self) -> bool {
        self.listed
    }
}

/// The files an input name stands for: the file itself, or a directory's workbooks (sorted;
/// `~$` lock files Excel leaves beside open workbooks, hidden files, and links to directories
/// left out). A workbook in a subdirectory gets its relative path in its ids
/// (`team-a/subnet-calc#WarmENI`), so that the copies of one file name in several folders stay
/// apart. A subdirectory that cannot be listed is reported and counted in `reading`.
fn expand(name: &str, options: &InputOptions, reading: &mut Reading) -> Result<Vec<Source>> {
    let path = Path::new(name);
    if name == "-" || !path.is_dir() {
        return Ok(vec![Source {
            path: name.to_owned(),
            stem: read::file_stem(name),
            listed: false,
            spool: None,
        }]);
    }
    let mut found = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let listing =
            std::fs::read_dir(&dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
        let mut entries = match listing {
            Ok(entries) => entries,
            Err(source) if dir != path => {
                reading.unlisted(&anyhow::Error::from(Error::Read {
                    path: dir.display().to_string(),
                    source,
                }));
                continue;
            }
            Err(source) => {
                anyhow::bail!(Error::Read {
                    path: dir.display().to_string(),
                    source,
                })
            }
        };
        // In name order, so that what is said of them comes in that order.
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with('.') || file_name.starts_with("~$") {
                continue;
            }
            let child = entry.path();
            // A link to a directory is not followed: it could lead back up the tree.
            let real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if real_dir {
                if options.recursive {
                    dirs.push(child);
                }
                continue;
            }
            if !read::is_workbook_name(&file_name) || child.is_dir() {
                continue;
            }
            if let Some(why) = not_a_file(&child) {
                let warning = format!("{}: {why}; skipped", child.display());
                messages::print_warning(&warning);
                reading.left_out.push(warning);
                reading.read_warnings += 1;
                continue;
            }
            if same_file(&child, options.exclude.as_deref()) {
                // The output itself: a report this command wrote before is replaced; anything
                // else is an input the output must not overwrite.
                if is_report(&child) {
                    continue;
                }
                anyhow::bail!(Error::OutputIsInput { path: child });
            }
            found.push(listed_source(path, &child));
        }
    }
    if found.is_empty() {
        anyhow::bail!(Error::NoScenarios {
            location: Location::file(name),
            hint: if options.recursive {
                "the directory and its subdirectories hold no .xlsx workbook".into()
            } else {
                "the directory holds no .xlsx workbook (add --recursive to look into its \
                 subdirectories)"
                    .into()
            },
        });
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Why a workbook name found in a directory is not a file to read: a link that loops leads to
/// no file; a FIFO, a socket or a device (or a link to one) is no workbook, and opening a FIFO
/// would wait for a writer for ever.
fn not_a_file(child: &Path) -> Option<&'static str> {
    if same_file::is_link_loop(child) {
        Some("a loop of symbolic links, which leads to no file")
    } else if std::fs::metadata(child).is_ok_and(|m| !m.is_file()) {
        Some("not a regular file (a FIFO, a socket or a device)")
    } else {
        None
    }
}

/// A workbook found under directory `dir`, its stem the path relative to `dir` without the
/// extension (`team-a/subnet-calc`).
fn listed_source(dir: &Path, child: &Path) -> Source {
    let relative = child.strip_prefix(dir).unwrap_or(child);
    let stem = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Source {
        path: child.display().to_string(),
        stem,
        listed: true,
        spool: None,
    }
}

/// Whether the file at `path` is an xlsx report subnet-calc wrote.
fn is_report(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        matches!(
            read::legacy_xlsx::read_bytes(&path.display().to_string(), bytes),
            Err(Error::WrongFileKind { ref found, .. }) if found.contains("report written by subnet-calc")
        )
    })
}

/// Whether `path` is `other` (both resolved), for leaving the output out of a directory's inputs.
fn same_file(path: &Path, other: Option<&Path>) -> bool {
    let Some(other) = other else { return false };
    let resolve = |p: &Path| {
        p.canonicalize().ok().or_else(|| {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty())?;
            Some(dir.canonicalize().ok()?.join(p.file_name()?))
        })
    };
    resolve(path).is_some_and(|p| Some(p) == resolve(other))
}

/// A scenario input, opened.
#[derive(Debug, Clone)]
pub enum Part {
    /// A workbook read already (one that can be read only once: standard input, a FIFO; boxed,
    /// as a run may hold many parts), and its size in bytes.
    Workbook(Box<Input>, u64),
    /// A workbook file not read yet: read when its turn comes ([`Unread::read`]).
    Unread(Unread),
    /// A scenario CSV, to be streamed.
    Csv(CsvSource),
}

/// A workbook file (by its name, and a regular file, so that it can be read again) waiting to be
/// read.
#[derive(Debug, Clone)]
pub struct Unread {
    source: Source,
    /// Its size in bytes, for progress.
    pub size: u64,
}

impl Unread {
    /// Reads the workbook whole; what came of it is for [`take_opened`].
    pub fn read(&self, limits: &ReadLimits) -> Opened {
        open_one(self.source.clone(), limits)
    }

    /// The workbook as `source`, when it is one that can be left unread until its turn: a
    /// workbook by its name, and a regular file that opens (a file that does not is read at once,
    /// so that its failure is found where it was before).
    fn of(source: &Source) -> Option<Unread> {
        if source.spool.is_some() || !read::is_workbook_name(&source.path) {
            return None;
        }
        let meta = std::fs::File::open(&source.path).and_then(|f| f.metadata());
        meta.ok().filter(|m| m.is_file()).map(|m| Unread {
            source: source.clone(),
            size: m.len(),
        })
    }
}

/// A scenario CSV waiting to be read: its name, and how to open it (again).
#[derive(Debug, Clone)]
pub struct CsvSource {
    /// The file as the user named it (`-` for standard input).
    pub name: String,
    /// Its size in bytes, for progress.
    pub size: u64,
    spool: Option<Arc<std::fs::File>>,
}

impl CsvSource {
    /// Opens the CSV from its start.
    pub fn open(&self) -> subnet_calc::Result<Box<dyn Read + Send>> {
        let read_error = |source| Error::Read {
            path: self.name.clone(),
            source,
        };
        let file = match &self.spool {
            Some(spool) => {
                let mut file = spool.try_clone().map_err(read_error)?;
                file.seek(SeekFrom::Start(0)).map_err(read_error)?;
                file
            }
            None => std::fs::File::open(&self.name).map_err(read_error)?,
        };
        Ok(Box::new(file))
    }
}

/// Copies an input that can be read only once (standard input, a FIFO) into an unnamed temporary
/// file (no name, so nothing is left behind however the run ends), within the input size limit.
fn spool(
    name: &str,
    input: impl Read,
    limits: &ReadLimits,
) -> subnet_calc::Result<Arc<std::fs::File>> {
    let read_error = |source| Error::Read {
        path: name.to_owned(),
        source,
    };
    // The copy is written where temporary files go: a failure there is a write failure, named
    // by that directory (exit status 1), not a fault of the input.
    let temp_dir = std::env::temp_dir();
    let write_error = |e: std::io::Error| Error::Write {
        path: temp_dir.clone(),
        source: std::io::Error::new(
            e.kind(),
            format!(
                "cannot keep a temporary copy of {} here: {e}",
                if name == "-" { "standard input" } else { name }
            ),
        ),
    };
    let mut spool = tempfile::tempfile().map_err(write_error)?;
    let mut input = read::io::Limited::new(input, limits.max_input_bytes);
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if read::io::too_large(&e).is_some() => {
                return Err(Error::InputTooLarge {
                    location: Location::file(name),
                    what: format!(
                        "the input is over {}",
                        read::xlsx::package::human_bytes(limits.max_input_bytes)
                    ),
                    hint: "raise the limit with --max-input-size if it is genuine".into(),
                });
            }
            Err(e) => return Err(read_error(e)),
        };
        std::io::Write::write_all(&mut spool, &buf[..n]).map_err(write_error)?;
    }
    Ok(Arc::new(spool))
}

/// One input opened: whether it is taken for a workbook (by name or content), and what came of it.
pub struct Opened {
    /// Taken for a workbook.
    workbook: bool,
    /// Found in a directory (rather than named): even a file that cannot be opened is one
    /// workbook of many.
    listed: bool,
    /// The input, or why it cannot be read.
    pub result: subnet_calc::Result<Part>,
}

/// Finds every scenario input, in order: workbook files left unread ([`Part::Unread`]), other
/// inputs opened (in parallel): CSVs recognised, workbooks that can be read only once read.
/// Workbooks that cannot be read are reported and counted in `reading`; anything else that fails
/// stops the run; see [`take_opened`].
pub fn gather(
    names: &[String],
    options: &InputOptions,
    reading: &mut Reading,
) -> Result<Vec<Part>> {
    if names.iter().filter(|n| *n == "-").count() > 1 {
        anyhow::bail!(Error::Unsupported {
            what: "standard input (-) is named more than once".into(),
            hint: "name it once".into(),
        });
    }
    same_file::refuse_named_twice(names)?;
    let mut sources = Vec::new();
    for name in names {
        sources.extend(expand(name, options, reading)?);
    }
    let (mut sources, notes) = same_file::once_each(sources);
    for note in notes {
        messages::print_note(&note);
    }
    reading.files.extend(sources.iter().map(|s| s.path.clone()));
    if let Some(stdin) = sources.iter_mut().find(|s| s.path == "-") {
        stdin.spool = Some(spool("-", std::io::stdin().lock(), &options.limits)?);
    }
    // Workbook files are left for the stream to read; the rest is opened now.
    let opened: Vec<Result<Opened, Unread>> = sources
        .into_par_iter()
        .map(|source| match Unread::of(&source) {
            Some(unread) => Err(unread),
            None => Ok(open_one(source, &options.limits)),
        })
        .collect();

    let mut parts = Vec::with_capacity(opened.len());
    for one in opened {
        let one = match one {
            Ok(one) => one,
            Err(unread) => {
                reading.workbooks += 1;
                parts.push(Part::Unread(unread));
                continue;
            }
        };
        if one.workbook {
            reading.workbooks += 1;
        }
        parts.extend(take_opened(one, reading, true)?);
    }
    Ok(parts)
}

/// What came of opening one input (see [`gather`]), in input order: the part to go on with, or
/// `None` for a workbook that cannot be read (reported and counted in `reading`) or a report a
/// directory held (left out, with a note). Sheets that look like calculator sheets but were not
/// read are named in warnings, and the reader's notes given. Unless `say` (a second pass over
/// inputs read before), nothing is said or counted. Any other failure is the run's error.
pub fn take_opened(one: Opened, reading: &mut Reading, say: bool) -> Result<Option<Part>> {
    let part = match one.result {
        Ok(part) => part,
        Err(e) if one.workbook && (one.listed || !matches!(e, Error::Read { .. })) => {
            if say {
                reading.fail(e.into());
            }
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    if let Part::Workbook(input, _) = &part {
        // A report an earlier run left in a directory holds the scenarios of the files beside
        // it: it is left out unless named.
        if input.kind == InputKind::Report && one.listed {
            if say {
                messages::print_note(&format!(
                    "{}: a report subnet-calc wrote; left out (name it to evaluate its scenarios)",
                    input.name
                ));
                reading.workbooks -= 1;
            }
            return Ok(None);
        }
        if say {
            for near_miss in &input.near_misses {
                reading.left_out.push(near_miss.to_string());
                messages::print_warning(&near_miss.to_string());
                reading.near_misses += 1;
            }
            for note in &input.notes {
                messages::print_note(note);
            }
        }
    }
    Ok(Some(part))
}

/// `parts` with every workbook left unread read (in parallel), for a command that needs them all
/// at once; see [`take_opened`].
fn read_unread(parts: Vec<Part>, limits: &ReadLimits, reading: &mut Reading) -> Result<Vec<Part>> {
    let opened: Vec<Result<Part, Opened>> = parts
        .into_par_iter()
        .map(|part| match part {
            Part::Unread(unread) => Err(unread.read(limits)),
            other => Ok(other),
        })
        .collect();
    let mut parts = Vec::with_capacity(opened.len());
    for one in opened {
        match one {
            Ok(part) => parts.push(part),
            Err(one) => parts.extend(take_opened(one, reading, true)?),
        }
    }
    Ok(parts)
}

/// Opens one input: reads its first block to tell what it is, then a workbook whole.
fn open_one(source: Source, limits: &ReadLimits) -> Opened {
    let by_name = read::is_workbook_name(&source.path);
    let listed = source.listed;
    let failed = |workbook, e| Opened {
        workbook,
        listed,
        result: Err(e),
    };
    let opened = open_source(&source);
    let (mut file, size) = match opened {
        Ok(opened) => opened,
        Err(e) => return failed(by_name, e),
    };
    let mut head = Vec::new();
    if let Err(e) = (&mut file).take(64 << 10).read_to_end(&mut head) {
        return failed(
            by_name,
            Error::Read {
                path: source.path.clone(),
                source: e,
            },
        );
    }
    let kind = sniff(&head);
    let workbook = by_name || kind.is_spreadsheet_container() || kind == FileKind::OtherZip;
    if !workbook {
        let result = read::classify(&source.path, &head).and_then(|kind| match kind {
            // A CSV that can be read only once (a FIFO, `<(…)`) is spooled, as standard input is,
            // to be read again.
            InputKind::ScenarioCsv if source.spool.is_none() && size == u64::MAX => {
                let spool = spool(&source.path, std::io::Cursor::new(head).chain(file), limits)?;
                let size = spool.metadata().map_or(0, |m| m.len());
                Ok(Part::Csv(CsvSource {
                    name: source.path.clone(),
                    size,
                    spool: Some(spool),
                }))
            }
            InputKind::ScenarioCsv => Ok(Part::Csv(CsvSource {
                name: source.path.clone(),
                size,
                spool: source.spool.clone(),
            })),
            // Taken for a workbook above.
            InputKind::LegacyWorkbook | InputKind::Report => {
                unreachable!("a zip is read as a workbook")
            }
        });
        return Opened {
            workbook,
            listed,
            result,
        };
    }
    let bytes =
        match read::read_limited(&source.path, std::io::Cursor::new(head).chain(file), limits) {
            Ok(bytes) => bytes,
            Err(e) => return failed(true, e),
        };
    let result = read_guarded(&source, bytes, limits);
    Opened {
        workbook,
        listed,
        result: result.map(|input| Part::Workbook(Box::new(input), size)),
    }
}

/// The input's bytes as a reader, and its size (`u64::MAX` for what has none and reads once:
/// a FIFO, a device, a pipe such as `<(…)`).
fn open_source(source: &Source) -> subnet_calc::Result<(Box<dyn Read + Send>, u64)> {
    match &source.spool {
        Some(spool) => spool
            .try_clone()
            .and_then(|mut f| {
                let size = f.seek(SeekFrom::End(0))?;
                f.seek(SeekFrom::Start(0))?;
                Ok((Box::new(f) as Box<dyn Read + Send>, size))
            })
            .map_err(|source| Error::Read {
                path: "-".into(),
                source,
            }),
        None => std::fs::File::open(&source.path)
            .map(|f| {
                let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
                (
                    Box::new(f) as Box<dyn Read + Send>,
                    size.unwrap_or(u64::MAX),
                )
            })
            .map_err(|e| Error::Read {
                path: source.path.clone(),
                source: e,
            }),
    }
}

/// Reads a workbook's bytes; a reader's bug must cost one workbook, not the whole run.
fn read_guarded(
    source: &Source,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> subnet_calc::Result<Input> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read::read_input_as(&source.path, &source.stem, bytes, limits)
    }))
    .unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::NotAWorkbook {
            location: Location::file(&source.path),
            source: subnet_calc::error::WorkbookFault::ReaderFailed(why),
        })
    })
}

/// Reads every scenario input whole (for `convert`): [`gather`], then each CSV read, their faults
/// collected in `faults` (and the inputs' order given to it). Scenario ids must be unique across
/// inputs; a workbook reusing one is reported and left out.
pub fn read_inputs(
    names: &[String],
    options: &InputOptions,
    reading: &mut Reading,
    faults: &mut Faults,
) -> Result<Vec<Input>> {
    let mut ids = IdSet::new();
    let mut inputs = Vec::new();
    let parts = gather(names, options, reading)?;
    let parts = read_unread(parts, &options.limits, reading)?;
    faults.then_order(reading.files.iter().map(|f| &**f));
    for part in parts {
        let input = match part {
            Part::Workbook(input, _) => {
                if let Err(e) = ids.claim_all(&input.scenarios) {
                    reading.fail(e.into());
                    continue;
                }
                *input
            }
            Part::Unread(_) => unreachable!("read above"),
            Part::Csv(csv) => {
                let opened = csv.open().and_then(|input| {
                    RecordReader::new(
                        &csv.name,
                        input,
                        options.limits.max_input_bytes,
                        IdSet::new(),
                    )
                });
                let mut records = match opened {
                    Ok(records) => records.with_ids(std::mem::take(&mut ids)),
                    Err(e) => {
                        faults.add(vec![e]);
                        continue;
                    }
                };
                if let Some(note) = records.separator_note() {
                    messages::print_note(&note);
                }
                if let Some(note) = records.header_note() {
                    messages::print_note(&note.to_string());
                }
                let scenarios = read_all(&mut records, faults);
                ids = records.into_ids();
                Input {
                    name: csv.name,
                    scenarios,
                    catalog: None,
                    kind: InputKind::ScenarioCsv,
                    models: Vec::new(),
                    near_misses: Vec::new(),
                    notes: Vec::new(),
                }
            }
        };
        inputs.push(input);
    }
    Ok(inputs)
}

/// Every scenario of a CSV, batch by batch; the faults go to `faults`.
fn read_all(
    records: &mut RecordReader<Box<dyn Read + Send>>,
    faults: &mut Faults,
) -> Vec<LocatedScenario> {
    let mut scenarios = Vec::new();
    let mut raw = RawBatch::default();
    loop {
        let read = records.read_batch(&mut raw, CHUNK);
        for warning in records.take_warnings() {
            messages::print_warning(&warning.to_string());
        }
        if let Err(e) = read {
            faults.add(vec![e]);
            break;
        }
        let mut found = raw.take_faults();
        if raw.is_empty() && found.is_empty() {
            break;
        }
        for i in 0..raw.len() {
            match raw.build(i) {
                Ok(s) => scenarios.push(s),
                Err(e) => found.push(e),
            }
        }
        faults.add(found);
    }
    scenarios
}

/// An input's scenarios checked against their catalogue (see [`catalog_of`]). A scenario CSV
/// without any catalogue is the NoCatalog error; `needs` starts its hint.
pub fn jobs_of(
    input: Input,
    catalogs: &Catalogs,
    needs: &str,
    models: Models,
    max_pods_rule: Option<MaxPodsRule>,
) -> Result<Vec<Job>> {
    jobs_from(
        &input.name,
        input.scenarios,
        input.catalog,
        (catalogs, needs),
        models,
        max_pods_rule,
    )
}

/// The jobs of an input named `name` whose scenarios are `scenarios` and own catalogue `own`:
/// see [`jobs_of`].
pub fn jobs_from(
    name: &str,
    scenarios: Vec<LocatedScenario>,
    own: Option<Catalog>,
    (catalogs, needs): (&Catalogs, &str),
    models: Models,
    max_pods_rule: Option<MaxPodsRule>,
) -> Result<Vec<Job>> {
    let catalog = catalog_of(name, own, catalogs, needs)?;
    let jobs = scenarios
        .into_iter()
        .map(|s| Job::with_default_rule(s, Arc::clone(&catalog), models, max_pods_rule));
    Ok(jobs.collect::<subnet_calc::Result<Vec<_>>>()?)
}

/// Every input's jobs; a workbook whose scenarios do not check out is reported and left out (see
/// [`Reading`]); the fault of every scenario of a CSV that does not is collected in `faults`.
pub fn jobs_of_all(
    inputs: Vec<Input>,
    catalogs: &Catalogs,
    needs: &str,
    reading: &mut Reading,
    faults: &mut Faults,
) -> Vec<Job> {
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let kind = input.kind;
        if kind != InputKind::ScenarioCsv {
            match jobs_of(input, catalogs, needs, WORKBOOK, None) {
                Ok(jobs) => out.extend(jobs),
                Err(e) => reading.fail(e),
            }
            continue;
        }
        let catalog = match catalog_of(&input.name, input.catalog, catalogs, needs) {
            Ok(catalog) => catalog,
            Err(e) => {
                faults.add(vec![e]);
                continue;
            }
        };
        let mut found = Vec::new();
        for scenario in input.scenarios {
            match Job::with_default_rule(scenario, Arc::clone(&catalog), WORKBOOK, None) {
                Ok(job) => out.push(job),
                Err(e) => found.push(e),
            }
        }
        faults.add(found);
    }
    out
}
