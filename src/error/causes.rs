//! Why a file could not be parsed: the faults beneath an [`Error`](super::Error) that the
//! parsers the readers use (zip, quick-xml, calamine, csv, serde_json) report, each kept whole as
//! the error's [`source`](std::error::Error::source), and worded here, once, with the words the
//! messages have always used.

/// Why a workbook could not be read as one ([`Error::NotAWorkbook`](super::Error::NotAWorkbook)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookFault {
    /// The file is no zip archive, or a damaged one.
    #[error("not a zip archive ({0})")]
    NotAZip(#[source] zip::result::ZipError),
    /// The zip archive cannot be opened a second time (for the checks made beside calamine's).
    #[error("{0}")]
    Archive(#[source] zip::result::ZipError),
    /// A part of the package is missing or cannot be read.
    #[error("{part}: {fault}")]
    Part {
        /// The part's name in the archive, e.g. `xl/workbook.xml`.
        part: String,
        /// What is wrong with it.
        #[source]
        fault: PartFault,
    },
    /// A cell reference that names no cell of a worksheet (calamine would make room for it).
    #[error(
        "cell reference {0:?} is not a cell of a worksheet (columns A to XFD, rows 1 to 1048576)"
    )]
    CellReference(String),
    /// A row number that is no row of a worksheet.
    #[error("row number {0:?} is not a row of a worksheet")]
    RowNumber(String),
    /// calamine could not read the workbook or a sheet's cells.
    #[error("{0}")]
    Cells(#[source] calamine::XlsxError),
    /// Text named as a workbook (`.xlsx`): a CSV saved under the wrong name, or a damaged file.
    #[error(
        "not a zip archive (it starts like a text file; if it is a scenario CSV, name it .csv)"
    )]
    TextNamedXlsx,
    /// A report's Inputs table could not be put into the scenario CSV it is read as.
    #[error("{0}")]
    InputsTable(#[source] csv::Error),
    /// The reader failed on the file (a bug, caught so that it costs one file, not the run): the
    /// panic's message.
    #[error("the reader failed on this file ({0}); please report it")]
    ReaderFailed(String),
}

/// What is wrong with one part of an xlsx package ([`WorkbookFault::Part`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PartFault {
    /// The archive has no part of that name.
    #[error("the part is missing")]
    Missing,
    /// The zip archive could not give the part.
    #[error("{0}")]
    Zip(#[source] zip::result::ZipError),
    /// The part could not be decompressed or is not UTF-8 text.
    #[error("{0}")]
    Io(#[source] std::io::Error),
    /// The part's XML is malformed.
    #[error("{0}")]
    Xml(#[source] quick_xml::Error),
}

/// Why a JSON document could not be read ([`Error::MalformedJson`](super::Error::MalformedJson)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JsonFault {
    /// The document is a list where describe-instance-types' object belongs.
    #[error(
        "a list; expected an object with \"InstanceTypes\", the output of aws ec2 \
         describe-instance-types --output json"
    )]
    List,
    /// The file holds no JSON at all.
    #[error("empty file; expected the output of aws ec2 describe-instance-types --output json")]
    Empty,
    /// The JSON parser's fault.
    #[error("{0}; expected the output of aws ec2 describe-instance-types --output json")]
    Parse(#[source] serde_json::Error),
    /// A describe-subnets file holds no JSON at all.
    #[error("empty file; {SUBNETS}")]
    SubnetsEmpty,
    /// A describe-subnets file whose JSON the parser refuses.
    #[error("{0}; {SUBNETS}")]
    SubnetsParse(#[source] serde_json::Error),
    /// A JSON document of another shape where describe-subnets' belongs.
    #[error("a document without \"Subnets\"; {SUBNETS}")]
    NotSubnets,
    /// A describe-subnets entry whose fields have the wrong types.
    #[error("Subnets[{index}]: {source}; {SUBNETS}")]
    SubnetEntry {
        /// The entry's index, counted over every page of the file.
        index: usize,
        /// The parser's fault.
        #[source]
        source: serde_json::Error,
    },
}

/// What every describe-subnets fault says was expected.
const SUBNETS: &str = "expected the output of aws ec2 describe-subnets --output json (or the list \
                       that --query Subnets prints)";
