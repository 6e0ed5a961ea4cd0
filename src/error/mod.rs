//! The library's error type: one variant per rule an input can break.
//!
//! Every variant that comes from an input carries a [`Location`] naming the file and, where it
//! makes sense, the line and column (CSV), the sheet and cell (xlsx) or the entry (JSON), so the
//! binary can print `error: <file>:<line>:<column>: <what> (<hint>)` without knowing the format.
//! [`Error::is_bad_input`] tells the binary which exit code to use.
//!
//! A fault another crate reports (the zip archive's, the XML or JSON parser's, an I/O error) is
//! kept whole as the error's [`source`](std::error::Error::source), never turned into text
//! (`causes.rs`); the error's `Display` still words it, so that a message reads whole on its own
//! (the binary prints the library error's `Display` and its own context, never the chain of
//! sources, so nothing shows twice).

mod causes;

pub use causes::{JsonFault, PartFault, WorkbookFault};

use std::fmt;
use std::path::PathBuf;

use crate::text::cell_name;

/// Where in an input something was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (`-` for standard input).
    pub file: String,
    /// The place inside the file.
    pub place: Place,
}

/// A place inside an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole.
    File,
    /// A line of a text file (1-based), optionally with the column's header name.
    Line {
        /// 1-based line number.
        line: u64,
        /// The column's header name, when the problem is in one field.
        column: Option<String>,
    },
    /// A cell of a workbook, e.g. sheet `WarmENI`, cell `B4`.
    Cell {
        /// Sheet name.
        sheet: String,
        /// A1-style cell reference.
        cell: String,
    },
    /// A whole sheet of a workbook.
    Sheet(String),
    /// An entry of a JSON document, e.g. `InstanceTypes[3] (m5.large)`.
    Entry(String),
}

impl Location {
    /// The whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            place: Place::File,
        }
    }

    /// A line of a text file, with an optional column name.
    pub fn line(file: impl Into<String>, line: u64, column: Option<&str>) -> Self {
        Location {
            file: file.into(),
            place: Place::Line {
                line,
                column: column.map(str::to_owned),
            },
        }
    }

    /// A cell of a workbook sheet; `row` and `col` are 0-based.
    pub fn cell(file: impl Into<String>, sheet: &str, row: u32, col: u32) -> Self {
        Location {
            file: file.into(),
            place: Place::Cell {
                sheet: sheet.to_owned(),
                cell: cell_name(row, col),
            },
        }
    }

    /// A whole sheet of a workbook.
    pub fn sheet(file: impl Into<String>, sheet: &str) -> Self {
        Location {
            file: file.into(),
            place: Place::Sheet(sheet.to_owned()),
        }
    }

    /// An entry of a structured document.
    pub fn entry(file: impl Into<String>, entry: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            place: Place::Entry(entry.into()),
        }
    }

    /// The same file and line, naming another column.
    pub fn with_column(&self, column: &str) -> Self {
        let place = match &self.place {
            Place::Line { line, .. } => Place::Line {
                line: *line,
                column: Some(column.to_owned()),
            },
            other => other.clone(),
        };
        Location {
            file: self.file.clone(),
            place,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::File => write!(f, "{}", self.file),
            Place::Line { line, column: None } => write!(f, "{}:{line}", self.file),
            Place::Line {
                line,
                column: Some(c),
            } => write!(f, "{}:{line}:{c}", self.file),
            // A sheet name is the workbook's text: cut and escaped as echoed values are (Excel's
            // are at most 31 characters; a crafted one may be megabytes).
            Place::Cell { sheet, cell } => write!(f, "{}:{}!{cell}", self.file, Short(sheet)),
            Place::Sheet(sheet) => write!(f, "{}:{}", self.file, Short(sheet)),
            Place::Entry(entry) => write!(f, "{}:{entry}", self.file),
        }
    }
}

/// The most characters of a value a message echoes.
pub const ECHO_LIMIT: usize = 80;

/// A value as a message quotes it: escaped like a Rust string, and cut after [`ECHO_LIMIT`]
/// characters (with the full length said), so that a huge bad field does not make a huge error
/// line and control characters never reach the terminal.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(ECHO_LIMIT) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => write!(
                f,
                "{:?}… ({} characters)",
                &self.0[..cut],
                self.0.chars().count()
            ),
        }
    }
}

/// A value as a message shows it without quotes: cut like [`Quoted`], control characters escaped.
pub struct Short<'a>(pub &'a str);

impl fmt::Display for Short<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, total) = match self.0.char_indices().nth(ECHO_LIMIT) {
            None => (self.0, None),
            Some((cut, _)) => (&self.0[..cut], Some(self.0.chars().count())),
        };
        for c in shown.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        if let Some(total) = total {
            write!(f, "… ({total} characters)")?;
        }
        Ok(())
    }
}

/// A header name a format does not know, with the format's columns close to it (for "did you
/// mean").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The name as written.
    pub name: String,
    /// Up to three columns close to it, closest first.
    pub near: Vec<&'static str>,
}

/// The most unknown names one message lists; the others are counted.
pub(crate) const UNKNOWN_NAMED: usize = 20;

/// The unknown names of a header as a message lists them: each with its "did you mean", then,
/// when one is close to no column, the columns there are.
struct UnknownList<'a>(&'a [UnknownName], &'a [&'static str]);

impl fmt::Display for UnknownList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let UnknownList(columns, known) = self;
        let plural = if columns.len() == 1 { "" } else { "s" };
        write!(f, "unknown column{plural} ")?;
        for (i, unknown) in columns.iter().take(UNKNOWN_NAMED).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}", Quoted(&unknown.name))?;
            if !unknown.near.is_empty() {
                write!(f, " (did you mean {}?)", unknown.near.join(" or "))?;
            }
        }
        if let Some(more) = columns.len().checked_sub(UNKNOWN_NAMED).filter(|&n| n > 0) {
            write!(f, " and {more} more")?;
        }
        let lost = columns.iter().any(|c| c.near.is_empty());
        match (lost, columns.len()) {
            (false, _) => Ok(()),
            (true, 1) => write!(
                f,
                " (the columns are: {}; see docs/formats.md)",
                known.join(", ")
            ),
            (true, _) => write!(
                f,
                "; the columns are: {} (see docs/formats.md)",
                known.join(", ")
            ),
        }
    }
}

/// The required columns a header lacks, as a message names them: `column "a"`, or `columns "a",
/// "b" and "c"`.
struct MissingList<'a>(&'a [String]);

impl fmt::Display for MissingList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.0;
        let plural = if names.len() == 1 { "" } else { "s" };
        write!(f, "column{plural} ")?;
        for (i, name) in names.iter().enumerate() {
            match i {
                0 => {}
                _ if i + 1 == names.len() => f.write_str(" and ")?,
                _ => f.write_str(", ")?,
            }
            write!(f, "{:?}", name)?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's (or the writer's) reason.
        source: std::io::Error,
    },
    /// The output would overwrite one of the inputs.
    #[error("{path}: refusing to write the output over an input file (choose another -o)")]
    OutputIsInput {
        /// The path given as both.
        path: PathBuf,
    },
    /// A file is not a workbook that can be read.
    #[error("{location}: not a readable xlsx workbook: {source}")]
    NotAWorkbook {
        /// The file, or the sheet.
        location: Location,
        /// Why: the zip archive's, the XML parser's or calamine's fault.
        source: WorkbookFault,
    },
    /// A sheet the layout requires is missing.
    #[error("{location}: missing sheet {sheet:?} ({hint})")]
    MissingSheet {
        /// The workbook.
        location: Location,
        /// The sheet's name.
        sheet: String,
        /// What the sheet is for.
        hint: String,
    },
    /// A workbook without any sheet laid out as a calculator.
    #[error("{location}: no calculator sheet among the sheets {sheets} ({hint})")]
    NoCalculatorSheet {
        /// The workbook.
        location: Location,
        /// The sheets seen, quoted and comma-separated.
        sheets: String,
        /// What a calculator sheet looks like, and what the near misses lack.
        hint: String,
    },
    /// A formula cell whose value the file does not hold (written by a program that does not
    /// calculate), and that is not plain arithmetic.
    #[error(
        "{location}: the cell holds the formula ={} without its value (the file was saved by a program that does not calculate; open it in Excel or LibreOffice and save it, so that its values are stored)",
        Short(.formula)
    )]
    UncachedFormula {
        /// The cell.
        location: Location,
        /// The formula, without `=`.
        formula: String,
    },
    /// A file of another kind than expected (a PDF, an `.xls`, JSON given as a scenario CSV).
    #[error("{location}: this is {found}, not {expected} ({hint})")]
    WrongFileKind {
        /// The file.
        location: Location,
        /// What it is.
        found: String,
        /// What was expected.
        expected: String,
        /// What to do.
        hint: String,
    },
    /// An input past a size limit.
    #[error("{location}: {what} ({hint})")]
    InputTooLarge {
        /// The file or part.
        location: Location,
        /// What is too large.
        what: String,
        /// Which limit, and how to raise it.
        hint: String,
    },
    /// A cell holds a spreadsheet error value such as `#N/A`.
    #[error("{location}: the cell holds the error {value} ({hint})")]
    ErrorCell {
        /// The cell.
        location: Location,
        /// The error value, e.g. `#N/A`.
        value: String,
        /// What was expected.
        hint: String,
    },
    /// Required columns missing from a header row (or a sheet): every one, in one message, in
    /// the format's order (`missing required column "a"`, `columns "a", "b" and "c"`).
    #[error("{location}: missing required {} ({hint})", MissingList(.columns))]
    MissingColumns {
        /// The header row.
        location: Location,
        /// The missing columns' names, in the format's order.
        columns: Vec<String>,
        /// The columns the format requires.
        hint: String,
    },
    /// Columns that the format does not know: every one of a header row's, in one message.
    #[error("{location}: {}", UnknownList(.columns, .known))]
    UnknownColumns {
        /// The header row.
        location: Location,
        /// Each unknown name as written, in header order, with the columns close to it.
        columns: Vec<UnknownName>,
        /// The format's columns, named when some unknown name is close to none of them.
        known: Vec<&'static str>,
    },
    /// The same column appears twice in a header row.
    #[error("{location}: column {} appears more than once", Quoted(.column))]
    DuplicateColumn {
        /// The header row.
        location: Location,
        /// The column name.
        column: String,
    },
    /// Two names of a header row are read as one column (`Subnet CIDR` and `subnet_cidr`).
    #[error(
        "{location}: {} (column {}) and {} (column {}) are both read as {column} (keep one, or \
         rename the other)",
        Quoted(&.first.1), .first.0, Quoted(&.second.1), .second.0
    )]
    AmbiguousColumns {
        /// The header row.
        location: Location,
        /// The column both are read as.
        column: &'static str,
        /// The first name: its column number (from 1) and the name as written.
        first: (usize, String),
        /// The second.
        second: (usize, String),
    },
    /// A required value is blank.
    #[error("{location}: missing value ({hint})")]
    MissingValue {
        /// The field.
        location: Location,
        /// What belongs there.
        hint: String,
    },
    /// A value that should be a number is not one, or not in range.
    #[error("{location}: invalid number {} (expected {expected})", Quoted(.found))]
    InvalidNumber {
        /// The field.
        location: Location,
        /// The text found.
        found: String,
        /// What the field takes.
        expected: String,
    },
    /// An instance limit below the least its rule allows (no ENIs, no addresses per ENI, no
    /// vCPUs): the same rule and words whatever the catalogue's format (see
    /// [`InstanceLimits::check`](crate::catalog::InstanceLimits::check)).
    #[error("{location}: invalid number \"{found}\" (expected {column} ≥ {minimum})")]
    LimitBelowMinimum {
        /// Where the limit was read.
        location: Location,
        /// The limit's column as its source names it.
        column: String,
        /// The value read.
        found: u32,
        /// The least value allowed.
        minimum: u32,
    },
    /// A value that is not one of the values a field takes.
    #[error("{location}: invalid value {} (expected {expected})", Quoted(.found))]
    InvalidValue {
        /// The field.
        location: Location,
        /// The text found.
        found: String,
        /// What the field takes.
        expected: String,
    },
    /// A subnet CIDR that cannot be parsed or is out of range.
    #[error("{location}: bad CIDR {} ({reason})", Quoted(.found))]
    BadCidr {
        /// The field.
        location: Location,
        /// The text found.
        found: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Two rows of one scenario disagree on a scenario-level value.
    #[error(
        "{location}: scenario {} has {column}={} here but {column}={} on line {first_line} (scenario-level columns must agree or be left blank)",
        Quoted(.scenario),
        Quoted(.second),
        Quoted(.first)
    )]
    ConflictingScenarioValue {
        /// The later row's field.
        location: Location,
        /// The scenario id.
        scenario: String,
        /// The column name.
        column: String,
        /// The line that set the value first.
        first_line: u64,
        /// The value set first.
        first: String,
        /// The disagreeing value.
        second: String,
    },
    /// Two scenarios share an id (across inputs; rows of one CSV with one id form one scenario).
    #[error("{location}: scenario id {} is already used at {first} (rename one of them)", Quoted(.scenario))]
    DuplicateScenario {
        /// The second scenario.
        location: Location,
        /// The id.
        scenario: String,
        /// Where the first one is.
        first: Location,
    },
    /// An instance type listed twice in one catalogue file with other limits the second time:
    /// which one holds would be a guess.
    #[error("{location}: instance type {} is listed again with other limits (first at {first}); keep one of the two", Quoted(.instance_type))]
    ConflictingInstanceType {
        /// The second listing.
        location: Location,
        /// The instance type as written the second time.
        instance_type: String,
        /// Where the first one is.
        first: Location,
    },
    /// A scenario's rows in a CSV are not together: its id comes back after other scenarios.
    #[error("{location}: the rows of scenario {} are apart: it started on line {first_line}, and other scenarios come between (keep a scenario's rows together, or give the later rows another id)", Quoted(.scenario))]
    ScenarioRowsApart {
        /// The row where the id comes back.
        location: Location,
        /// The id.
        scenario: String,
        /// The line the scenario started on.
        first_line: u64,
    },
    /// A file holds no scenario at all.
    #[error("{location}: no scenarios found ({hint})")]
    NoScenarios {
        /// The file.
        location: Location,
        /// What a scenario row looks like.
        hint: String,
    },
    /// A malformed CSV record (bad quoting, wrong field count, invalid UTF-8).
    #[error("{location}: malformed CSV: {message}")]
    MalformedCsv {
        /// The record.
        location: Location,
        /// The CSV parser's reason.
        message: String,
    },
    /// A malformed JSON document.
    #[error("{location}: malformed JSON: {source}")]
    MalformedJson {
        /// The position.
        location: Location,
        /// Why: the JSON parser's fault, or a document of another shape.
        source: JsonFault,
    },
    /// A file whose kind cannot be told from its name or content.
    #[error("{location}: unknown catalogue format ({hint})")]
    UnknownCatalogFormat {
        /// The file.
        location: Location,
        /// The formats taken.
        hint: String,
    },
    /// A describe-subnets entry that says more addresses are free than the subnet has.
    #[error(
        "{location}: {subnet_id}: AvailableIpAddressCount {free} is more than the {usable} usable addresses of {cidr}"
    )]
    FreeAboveUsable {
        /// The entry.
        location: Location,
        /// Its `SubnetId`.
        subnet_id: String,
        /// Its `AvailableIpAddressCount`.
        free: u64,
        /// Its `CidrBlock`.
        cidr: String,
        /// The usable addresses of that CIDR (AWS reserves five).
        usable: i64,
    },
    /// A subnet id listed twice in the describe-subnets files.
    #[error("{location}: subnet id {subnet_id} is listed twice (first at {first})")]
    DuplicateSubnetId {
        /// The second entry.
        location: Location,
        /// The id.
        subnet_id: String,
        /// Where the first entry is.
        first: String,
    },
    /// A scenario names a subnet by id, and no describe-subnets file says what it is.
    #[error(
        "{location}: {} is a subnet id: give the output of aws ec2 describe-subnets with --subnets FILE, or write {}=CIDR",
        Quoted(.subnet_id),
        Short(.subnet_id)
    )]
    SubnetIdWithoutFile {
        /// The field.
        location: Location,
        /// The id.
        subnet_id: String,
    },
    /// A scenario names a subnet id that no describe-subnets file lists.
    #[error(
        "{location}: unknown subnet id {} in {files}{}",
        Quoted(.subnet_id),
        .near.as_deref().map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
    )]
    UnknownSubnetId {
        /// The field.
        location: Location,
        /// The id.
        subnet_id: String,
        /// The describe-subnets files read.
        files: String,
        /// The closest id listed, if one is close.
        near: Option<String>,
    },
    /// A scenario names by id a subnet that has no IPv4 CIDR.
    #[error(
        "{location}: {} has no IPv4 CIDR in {listed_at} (an IPv6-only subnet): nodes take IPv4 addresses from their subnets",
        Short(.subnet_id)
    )]
    SubnetWithoutIpv4 {
        /// The field.
        location: Location,
        /// The id.
        subnet_id: String,
        /// Where the describe-subnets entry is.
        listed_at: String,
    },
    /// A scenario writes `ID=CIDR` with a CIDR the describe-subnets file contradicts.
    #[error(
        "{location}: {} is {listed} in {listed_at}, not {written} as written here",
        Short(.subnet_id)
    )]
    SubnetCidrDisagrees {
        /// The field.
        location: Location,
        /// The id.
        subnet_id: String,
        /// The CIDR the file gives.
        listed: String,
        /// Where the describe-subnets entry is.
        listed_at: String,
        /// The CIDR written in the scenario.
        written: String,
    },
    /// An instance type found in no catalogue.
    #[error("{location}: unknown instance type {} in {catalogs} ({hint})", Quoted(.instance_type))]
    UnknownInstanceType {
        /// The node group that names it.
        location: Location,
        /// The instance type.
        instance_type: String,
        /// The catalogues searched.
        catalogs: String,
        /// Close matches, or how to add the type.
        hint: String,
    },
    /// An instance type that the catalogues know but without the ENI limits the models need.
    #[error("{location}: instance type {} has no {missing} in {catalogs} ({hint})", Quoted(.instance_type))]
    MissingLimits {
        /// The node group that names it.
        location: Location,
        /// The instance type.
        instance_type: String,
        /// The missing field.
        missing: String,
        /// The catalogues searched.
        catalogs: String,
        /// How to add it.
        hint: String,
    },
    /// A catalogue source that lists no instance type.
    #[error("{location}: the catalogue lists no instance types ({hint})")]
    EmptyCatalog {
        /// The source.
        location: Location,
        /// What was expected.
        hint: String,
    },
    /// An input that needs a catalogue was given none.
    #[error("{location}: no instance catalogue for these scenarios ({hint})")]
    NoCatalog {
        /// The input.
        location: Location,
        /// How to give one.
        hint: String,
    },
    /// A request the tool cannot carry out as asked (a model or format that is not available).
    #[error("{what} ({hint})")]
    Unsupported {
        /// What was asked.
        what: String,
        /// What to do instead.
        hint: String,
    },
    /// A report would not fit a worksheet.
    #[error("{what} ({hint})")]
    TooLarge {
        /// What does not fit.
        what: String,
        /// What to do instead.
        hint: String,
    },
    /// Several faults of one input, in its order (a workbook's calculator sheets and lookup
    /// tables, each with its first fault); shown as the first, with the count of the others.
    /// [`Error::faults`] gives them all.
    #[error("{}", several(.0))]
    Several(Vec<Error>),
}

/// How [`Error::Several`] shows: its first fault and the count of the others.
fn several(faults: &[Error]) -> String {
    match faults {
        [] => "no fault".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!(
            "{first} (and {} more fault{} in this file)",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

impl Error {
    /// `faults` as one error: the fault itself when there is one, else [`Error::Several`].
    /// `None` when there is none.
    pub fn of_faults(mut faults: Vec<Error>) -> Option<Error> {
        match faults.len() {
            0 => None,
            1 => faults.pop(),
            _ => Some(Error::Several(faults)),
        }
    }

    /// Every fault this error holds: those of [`Error::Several`], else the error itself.
    pub fn faults(self) -> Vec<Error> {
        match self {
            Error::Several(faults) => faults,
            other => vec![other],
        }
    }
}

impl Error {
    /// Where in an input the error is, when it is in one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::NotAWorkbook { location, .. }
            | Error::MissingSheet { location, .. }
            | Error::NoCalculatorSheet { location, .. }
            | Error::UncachedFormula { location, .. }
            | Error::WrongFileKind { location, .. }
            | Error::InputTooLarge { location, .. }
            | Error::ErrorCell { location, .. }
            | Error::MissingColumns { location, .. }
            | Error::UnknownColumns { location, .. }
            | Error::DuplicateColumn { location, .. }
            | Error::AmbiguousColumns { location, .. }
            | Error::MissingValue { location, .. }
            | Error::InvalidNumber { location, .. }
            | Error::InvalidValue { location, .. }
            | Error::LimitBelowMinimum { location, .. }
            | Error::BadCidr { location, .. }
            | Error::ConflictingScenarioValue { location, .. }
            | Error::DuplicateScenario { location, .. }
            | Error::ConflictingInstanceType { location, .. }
            | Error::ScenarioRowsApart { location, .. }
            | Error::NoScenarios { location, .. }
            | Error::MalformedCsv { location, .. }
            | Error::MalformedJson { location, .. }
            | Error::FreeAboveUsable { location, .. }
            | Error::DuplicateSubnetId { location, .. }
            | Error::SubnetIdWithoutFile { location, .. }
            | Error::UnknownSubnetId { location, .. }
            | Error::SubnetWithoutIpv4 { location, .. }
            | Error::SubnetCidrDisagrees { location, .. }
            | Error::UnknownCatalogFormat { location, .. }
            | Error::UnknownInstanceType { location, .. }
            | Error::MissingLimits { location, .. }
            | Error::EmptyCatalog { location, .. }
            | Error::NoCatalog { location, .. } => Some(location),
            Error::Several(faults) => faults.first().and_then(Error::location),
            _ => None,
        }
    }

    /// The line of a text input the error is on (0 when it is not on a line), for sorting.
    pub fn line(&self) -> u64 {
        match self.location().map(|l| &l.place) {
            Some(Place::Line { line, .. }) => *line,
            _ => 0,
        }
    }

    /// True when the error comes from the user's input (exit code 2): a value, a file that cannot
    /// be read or parsed, a request that cannot be met. False when an output cannot be written
    /// (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Write { .. })
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The first of a reader's faults, for the readers that stop at one (every reader that collects
/// faults fails with at least one).
pub(crate) fn first_fault(faults: Vec<Error>) -> Error {
    faults
        .into_iter()
        .next()
        .expect("a reader fails with a fault")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_faults_show_the_first_and_count_the_others() {
        let fault = |line| Error::MissingValue {
            location: Location::line("s.csv", line, Some("scenario")),
            hint: "h".into(),
        };
        assert!(Error::of_faults(Vec::new()).is_none());
        let one = Error::of_faults(vec![fault(2)]).unwrap();
        assert!(matches!(one, Error::MissingValue { .. }));
        let three = Error::of_faults(vec![fault(2), fault(3), fault(4)]).unwrap();
        assert_eq!(
            three.to_string(),
            "s.csv:2:scenario: missing value (h) (and 2 more faults in this file)"
        );
        assert_eq!(
            three.location().map(|l| l.to_string()).as_deref(),
            Some("s.csv:2:scenario")
        );
        assert_eq!(three.faults().len(), 3);
        assert_eq!(Error::Several(Vec::new()).to_string(), "no fault");
    }

    #[test]
    fn locations_render_as_file_line_column() {
        assert_eq!(
            Location::line("a.csv", 4, Some("instances")).to_string(),
            "a.csv:4:instances"
        );
        assert_eq!(
            Location::cell("w.xlsx", "WarmENI", 3, 1).to_string(),
            "w.xlsx:WarmENI!B4"
        );
        assert_eq!(Location::file("x").to_string(), "x");
        let long = Location::sheet("w.xlsx", &"W".repeat(300_000)).to_string();
        assert!(long.ends_with("… (300000 characters)"), "{long}");
        assert!(long.len() < 120);
    }

    #[test]
    fn echoed_values_are_cut_and_escaped() {
        assert_eq!(Quoted("m5.lareg").to_string(), "\"m5.lareg\"");
        let long = "x".repeat(200_000);
        let shown = Quoted(&long).to_string();
        assert!(shown.len() < 120, "{shown}");
        assert!(shown.ends_with("… (200000 characters)"), "{shown}");
        assert_eq!(Quoted("a\u{1b}[31m").to_string(), "\"a\\u{1b}[31m\"");
        assert_eq!(Short("B4\u{7}*2").to_string(), "B4\\u{7}*2");
        let e = Error::InvalidNumber {
            location: Location::line("s.csv", 2, Some("instances")),
            found: "9".repeat(1_000_000),
            expected: "a whole number".into(),
        };
        assert!(e.to_string().len() < 200);
    }

    #[test]
    fn only_write_failures_are_not_input_errors() {
        let e = Error::Write {
            path: "x".into(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        };
        assert!(!e.is_bad_input());
        let e = Error::MissingValue {
            location: Location::file("x"),
            hint: "h".into(),
        };
        assert!(e.is_bad_input());
        let e = Error::Read {
            path: "missing.csv".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(
            e.is_bad_input(),
            "a mistyped input path is the user's input"
        );
    }
}
