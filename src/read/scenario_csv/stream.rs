//! Reading a scenario CSV as a stream, in file order, holding only the scenarios being read, so
//! that a file of millions of scenarios takes the memory of a few thousand.
//!
//! Reading is split in two so that most of it runs on every core. [`RecordReader`], on one
//! thread, does what must follow the file's order: it splits the file into records (the csv
//! crate's parser), groups the rows of each scenario, and claims each id, into [`RawBatch`]es.
//! [`RawBatch::build`] then turns one scenario's rows into a typed, checked scenario, on its own,
//! so the scenarios of a batch can be built in parallel. [`ScenarioReader`] does both in turn, one
//! scenario at a time.

use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::read::ids::IdSet;
use crate::read::io::{LfLineEnds, Limited, csv_error, io_error, record_line};
use crate::read::quotes::{self, QuoteTracker, SwallowedRows};
use crate::read::separator;
use crate::scenario::LocatedScenario;
use crate::scenario::schema::{self, Field};

use super::header::{ColumnMap, is_known};
use super::names::HeaderNote;
use super::row::{Lines, RawRow, add_row, new_scenario, trim};

/// Splits a scenario CSV into the rows of each scenario, in file order.
///
/// A scenario's rows must follow one another: a new id ends the scenario before it. Every id is
/// claimed in an [`IdSet`] as its scenario starts, so an id that comes back later in the file, or
/// that an earlier input used, is an error naming both places; the set is handed from input to
/// input ([`RecordReader::new`], [`RecordReader::into_ids`]).
pub struct RecordReader<R: Read> {
    name: Arc<str>,
    /// The field separator: `,`, or `;` or a tab.
    separator: u8,
    csv: csv::Reader<QuoteTracker<BufReader<LfLineEnds<Limited<R>>>>>,
    map: Arc<ColumnMap>,
    /// The header's names, trimmed, for messages about a column.
    header: Vec<String>,
    /// Whether each column takes text that runs over lines (`note`, free text).
    may_span: Vec<bool>,
    /// Texts that ran over lines and took in lines that look like rows, to be told.
    warnings: Vec<SwallowedRows>,
    /// The record index of the `scenario` column.
    id_index: usize,
    ids: IdSet,
    /// The first row of the next scenario, read when the batch before it was full.
    carry: Option<csv::StringRecord>,
    /// The id of the scenario being read.
    current_id: String,
    /// The id of a scenario with a broken row, whose other rows are left out.
    faulty_id: Option<String>,
    /// Some row of the file could not be read.
    faulted: bool,
    /// Scenarios read so far.
    count: u64,
    /// The file's size, when known: once the first batch tells the bytes per scenario, the id
    /// set makes room for the rest at once.
    size_hint: Option<u64>,
    done: bool,
}

/// The rows of consecutive scenarios of one CSV, read and grouped but not parsed (an empty one,
/// `RawBatch::default()`, is for [`RecordReader::read_batch`] to fill).
#[derive(Default)]
pub struct RawBatch {
    name: Arc<str>,
    map: Arc<ColumnMap>,
    /// The rows; only the first `used` hold this batch's (the rest are kept for reuse).
    records: Vec<csv::StringRecord>,
    used: usize,
    /// Each scenario's rows, as a range of `records`.
    scenarios: Vec<Range<usize>>,
    /// Rows that could not be read, in file order.
    faults: Vec<Error>,
}

impl RawBatch {
    /// The rows of the batch that could not be read, in file order (see
    /// [`RecordReader::read_batch`]).
    pub fn faults(&self) -> &[Error] {
        &self.faults
    }

    /// Takes the faults out of the batch.
    pub fn take_faults(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.faults)
    }

    /// Number of scenarios.
    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    /// Whether the batch holds no scenario.
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }

    /// The file the rows come from, as messages name it.
    pub fn file(&self) -> &str {
        &self.name
    }

    /// Scenario `index`, typed and checked: each value parsed, scenario-level values agreeing
    /// across its rows, a subnet given.
    pub fn build(&self, index: usize) -> Result<LocatedScenario> {
        let rows = &self.records[self.scenarios[index].clone()];
        let line = |r: &csv::StringRecord| r.position().map_or(0, |p| p.line());
        let first = &rows[0];
        let id_index = self.map.index_of(Field::Scenario).unwrap_or(0);
        let id = crate::text::csv_unescape(trim(first.get(id_index).unwrap_or_default()));
        // A NUL byte in an id is a damaged file, not a name to pass on (other control characters
        // are kept, and shown escaped).
        if id.contains('\0') {
            return Err(Error::InvalidValue {
                location: Location::line(&*self.name, line(first), Some(Field::Scenario.name())),
                found: id.to_owned(),
                expected: "an id without a NUL byte (a sign of a damaged file)".into(),
            });
        }
        let mut scenario = new_scenario(id, &self.name, line(first));
        let mut lines = Lines::default();
        for record in rows {
            self.check_unnamed(record)?;
            let mut raw = RawRow::default();
            for &(field, index) in &self.map.present {
                raw.set(field, record.get(index).unwrap_or_default());
            }
            add_row(&mut scenario, &mut lines, &raw, &self.name, line(record))?;
        }
        if scenario.scenario.subnets.is_empty() {
            return Err(Error::MissingValue {
                location: scenario
                    .origin
                    .scenario_location(Some(Field::SubnetCidr.name())),
                hint: format!(
                    "scenario {:?} has no {} on any row; write 23, /23 or 10.0.0.0/23",
                    scenario.scenario.id,
                    Field::SubnetCidr.name()
                ),
            });
        }
        Ok(scenario)
    }

    /// Fails on a value under a column the header leaves unnamed: it would be left out.
    fn check_unnamed(&self, record: &csv::StringRecord) -> Result<()> {
        for &index in &self.map.unnamed {
            let value = trim(record.get(index).unwrap_or_default());
            if !value.is_empty() {
                let line = record.position().map_or(0, |p| p.line());
                let column = format!("column {}", index + 1);
                return Err(Error::MalformedCsv {
                    location: Location::line(&*self.name, line, Some(&column)),
                    message: format!(
                        "{value:?} is in a column without a name in the header (name the column, \
                         or clear it)"
                    ),
                });
            }
        }
        Ok(())
    }

    /// Starts the next record of the batch, reusing an old one's buffers.
    fn next_slot(&mut self) -> &mut csv::StringRecord {
        if self.used == self.records.len() {
            // Room for a typical row at once (rows are reused from batch to batch).
            self.records.push(csv::StringRecord::with_capacity(48, 12));
        }
        self.used += 1;
        &mut self.records[self.used - 1]
    }
}

impl<R: Read> RecordReader<R> {
    /// Starts reading `input` (its header row is read and checked here); `name` names the file in
    /// messages, at most `limit` bytes are taken, and `ids` holds the ids earlier inputs used.
    pub fn new(name: &str, input: R, limit: u64, ids: IdSet) -> Result<Self> {
        let mut input =
            BufReader::with_capacity(1 << 16, LfLineEnds::new(Limited::new(input, limit)));
        // The separator is told from the header line, read ahead without being consumed.
        let head = input.fill_buf().map_err(|e| io_error(name, &e))?;
        // Excel's `sep=;` line names the separator; it is skipped but for its line end, which
        // the csv crate skips as a blank line, so that lines are counted as in the file.
        let layout = separator::layout(head, is_known);
        let (separator, header_line) = (layout.separator, layout.header_line);
        input.consume(layout.skip);
        let mut csv = csv::ReaderBuilder::new()
            .flexible(false)
            .delimiter(separator)
            .buffer_capacity(1 << 16)
            .from_reader(QuoteTracker::new(input, separator));
        let headers = csv.headers().map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            csv_error(name, &e, None, line)
        })?;
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(Error::NoScenarios {
                location: Location::file(name),
                hint: format!(
                    "the file is empty; the header row needs at least {}",
                    schema::required_names()
                ),
            });
        }
        let map = ColumnMap::new(headers.iter(), &Location::line(name, header_line, None))?;
        let header: Vec<String> = headers.iter().map(|h| h.trim().to_owned()).collect();
        // A column the reader takes no value from, and that has a name, is free text (`note`).
        let may_span = (0..header.len())
            .map(|i| !map.present.iter().any(|&(_, p)| p == i) && !map.unnamed.contains(&i))
            .collect();
        Ok(RecordReader {
            name: Arc::from(name),
            separator,
            csv,
            header,
            may_span,
            warnings: Vec::new(),
            id_index: map.index_of(Field::Scenario).unwrap_or(0),
            map: Arc::new(map),
            ids,
            carry: None,
            current_id: String::new(),
            faulty_id: None,
            faulted: false,
            count: 0,
            size_hint: None,
            done: false,
        })
    }

    /// This reader, told that the file holds about `bytes` bytes (see [`IdSet::reserve`]).
    pub fn with_size_hint(mut self, bytes: u64) -> Self {
        self.size_hint = Some(bytes);
        self
    }

    /// Makes room in the id set for the scenarios the rest of the file holds, at the rate the
    /// file has had so far (a few percent more: rows per scenario vary).
    fn reserve_ids(&mut self, size: u64) {
        let read = self.bytes_read().max(1);
        let (count, ids) = (self.count, self.ids.len() as u64);
        let rest = size.saturating_sub(read);
        let scenarios = u128::from(rest) * u128::from(count) * 21 / (u128::from(read) * 20);
        let id_bytes = self.ids.arena_len() as u128 * scenarios / u128::from(ids.max(1));
        let cap = |n: u128| usize::try_from(n).unwrap_or(usize::MAX).min(1 << 28);
        self.ids.reserve(cap(scenarios), cap(id_bytes));
    }

    /// The ids of the run, this file's added, for the next input.
    pub fn into_ids(self) -> IdSet {
        self.ids
    }

    /// This reader with `ids` as the ids earlier inputs used (in place of those it was made
    /// with, which are dropped).
    pub fn with_ids(mut self, ids: IdSet) -> Self {
        self.ids = ids;
        self
    }

    /// A note on how the file was read when its fields are not separated by commas (Excel
    /// writes CSV with semicolons where the decimal separator is a comma).
    pub fn separator_note(&self) -> Option<String> {
        separator::note(&self.name, self.separator)
    }

    /// How the header's names that are not the format's own (`Subnet CIDR`, `# of Instances`)
    /// were read, when it has any.
    pub fn header_note(&self) -> Option<&HeaderNote> {
        self.map.note.as_ref()
    }

    /// The bytes read so far (about: line ends count as one byte), for progress.
    pub fn bytes_read(&self) -> u64 {
        self.csv.position().byte()
    }

    /// Fills `batch` (emptied first; its buffers are reused) with the rows of the next
    /// scenarios, at most `max`; it is left empty after the last. A scenario is never split
    /// between batches. A row that cannot be read (a malformed record, no id, an id that comes
    /// back) is a fault of the batch ([`RawBatch::faults`]) and reading goes on, so that every
    /// fault of a file can be reported at once; the other rows of its scenario are left out, so
    /// one broken row makes one message. Only a failure to read the file itself is an `Err`.
    pub fn read_batch(&mut self, batch: &mut RawBatch, max: usize) -> Result<()> {
        batch.name = Arc::clone(&self.name);
        batch.map = Arc::clone(&self.map);
        batch.used = 0;
        batch.scenarios.clear();
        batch.faults.clear();
        if let Some(carried) = self.carry.take() {
            let slot = batch.next_slot();
            *slot = carried;
            batch.scenarios.push(0..1);
        }
        while !self.done {
            let slot = batch.next_slot();
            // Read as bytes, then checked as UTF-8 in one go (faster than field by field): a
            // record that is not UTF-8 keeps its bytes, so that its id is still known.
            let mut bytes = std::mem::take(slot).into_byte_record();
            let read = self.csv.read_byte_record(&mut bytes);
            let end = self.csv.position().line();
            let read = match read {
                Ok(more) => Ok((more, csv::StringRecord::from_byte_record(bytes))),
                Err(e) => Err((e, bytes)),
            };
            let more = match read {
                Ok((true, Ok(record))) if let Some(fault) = self.quoting_fault(&record, end) => {
                    let id = record.get(self.id_index).map(|id| trim(id).to_owned());
                    batch.used -= 1;
                    self.fault(batch, fault, id);
                    continue;
                }
                Ok((more, Ok(record))) => {
                    *slot = record;
                    date(slot, end);
                    more
                }
                Ok((_, Err(not_utf8))) => {
                    let field = not_utf8.utf8_error().field();
                    let bytes = not_utf8.into_byte_record();
                    let fault = self.not_utf8(&bytes, field, end);
                    let id = bytes
                        .get(self.id_index)
                        .and_then(|id| std::str::from_utf8(id).ok())
                        .map(|id| trim(id).to_owned());
                    batch.used -= 1;
                    self.fault(batch, fault, id);
                    continue;
                }
                Err((e, bytes)) => {
                    let record = csv::StringRecord::from_byte_record_lossy(bytes);
                    // A quote left open makes a record of the wrong length: the quote is named.
                    let fault = self
                        .open_quote_fault(record.as_byte_record(), end)
                        .unwrap_or_else(|| record_error(&self.name, &e, &record, end));
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(fault);
                    }
                    let id = record.get(self.id_index).map(|id| trim(id).to_owned());
                    batch.used -= 1;
                    self.fault(batch, fault, id);
                    continue;
                }
            };
            if !more {
                batch.used -= 1;
                self.done = true;
                break;
            }
            let at = batch.used - 1;
            let record = &batch.records[at];
            let line = record.position().map_or(0, |p| p.line());
            let id = trim(record.get(self.id_index).unwrap_or_default());
            if id.is_empty() {
                let blank = self
                    .map
                    .present
                    .iter()
                    .map(|&(_, i)| i)
                    .chain(self.map.unnamed.iter().copied())
                    .all(|i| trim(record.get(i).unwrap_or_default()).is_empty());
                batch.used -= 1;
                if !blank {
                    let fault = Error::MissingValue {
                        location: Location::line(&*self.name, line, Some(Field::Scenario.name())),
                        hint: "every row needs the id of the scenario it belongs to".into(),
                    };
                    self.fault(batch, fault, None);
                }
                continue;
            }
            let id = crate::text::csv_unescape(id);
            if self.faulty_id.as_deref() == Some(id) {
                // The rest of a scenario with a broken row: its fault is named already.
                batch.used -= 1;
                continue;
            }
            if !batch.scenarios.is_empty() && id == self.current_id {
                batch.scenarios.last_mut().expect("not empty").end = at + 1;
                continue;
            }
            if let Err(fault) = self.ids.claim_line(id, &self.name, line) {
                let id = id.to_owned();
                batch.used -= 1;
                self.fault(batch, fault, Some(id));
                continue;
            }
            self.faulty_id = None;
            self.current_id.clear();
            self.current_id.push_str(id);
            self.count += 1;
            if batch.scenarios.len() == max {
                // The batch is full: this row starts the next one.
                batch.used -= 1;
                self.carry = Some(std::mem::take(&mut batch.records[at]));
                break;
            }
            batch.scenarios.push(at..at + 1);
        }
        if let Some(size) = self.size_hint.take().filter(|_| self.count > 0) {
            self.reserve_ids(size);
        }
        if self.done && self.count == 0 && !self.faulted {
            return Err(Error::NoScenarios {
                location: Location::file(&*self.name),
                hint: "the header is there but no row follows".into(),
            });
        }
        Ok(())
    }

    /// The name of the column at record index `index`, for messages.
    fn column_name(&self, index: usize) -> String {
        match self.header.get(index).filter(|h| !h.is_empty()) {
            Some(name) => name.to_ascii_lowercase(),
            None => format!("column {}", index + 1),
        }
    }

    /// Texts of fields that ran over lines and took in lines that look like rows, since last
    /// asked, each to be told as a warning.
    pub fn take_warnings(&mut self) -> Vec<SwallowedRows> {
        std::mem::take(&mut self.warnings)
    }

    /// The fault of a record holding the quote left open at the end of the file, if it does;
    /// `end` is the reader's line after it.
    fn open_quote_fault(&self, record: &csv::ByteRecord, end: u64) -> Option<Error> {
        let opened = self.csv.get_ref().open_quote()?;
        let first = record_line(record.position(), end, record.as_slice());
        (first <= opened.line && opened.line < end.max(first + 1)).then(|| {
            quotes::open_quote_fault(
                &self.name,
                opened,
                &self.column_name(opened.field),
                end.saturating_sub(1).max(opened.line),
            )
        })
    }

    /// The fault of a record whose quoting went wrong: a quote still open at the end of the
    /// file, or a line end in a field whose column takes none. A line end in free text (`note`)
    /// is taken; when the lines it takes in look like rows, a warning says so.
    fn quoting_fault(&mut self, record: &csv::StringRecord, end: u64) -> Option<Error> {
        let bytes = record.as_byte_record();
        if let Some(fault) = self.open_quote_fault(bytes, end) {
            return Some(fault);
        }
        let first = record_line(bytes.position(), end, bytes.as_slice());
        quotes::first_line_end(bytes, first)?;
        let mut line = first;
        for (i, field) in bytes.iter().enumerate() {
            let spans = field.contains(&b'\n');
            if spans && self.may_span.get(i).copied().unwrap_or(false) {
                let at = Location::line(&*self.name, line, Some(&self.column_name(i)));
                let row_separators = self.header.len().saturating_sub(1);
                let found = quotes::swallowed_rows(field, self.separator, row_separators, at, line);
                self.warnings.extend(found);
            } else if spans {
                let free_text = self.may_span.iter().position(|&m| m);
                let free_text = free_text.map(|c| self.column_name(c));
                let column = self.column_name(i);
                return Some(quotes::line_end_fault(
                    &self.name,
                    line,
                    &column,
                    free_text.as_deref(),
                ));
            }
            line += field.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        None
    }

    /// The fault of a record whose field `field` is not UTF-8 text; `end` is the reader's line
    /// after it.
    fn not_utf8(&self, bytes: &csv::ByteRecord, field: usize, end: u64) -> Error {
        let line = record_line(bytes.position(), end, bytes.as_slice());
        let column = match self.map.present.iter().find(|(_, index)| *index == field) {
            Some((f, _)) => f.name().to_owned(),
            None => format!("column {}", field + 1),
        };
        Error::MalformedCsv {
            location: Location::line(&*self.name, line, Some(&column)),
            message: "not valid UTF-8 text (save the file as UTF-8 CSV)".into(),
        }
    }

    /// Records a fault of a row whose scenario id is `id` (when it could be read): that
    /// scenario's rows are left out, those of this batch and those that follow.
    fn fault(&mut self, batch: &mut RawBatch, fault: Error, id: Option<String>) {
        self.faulted = true;
        batch.faults.push(fault);
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            if id == self.current_id && !batch.scenarios.is_empty() {
                let dropped = batch.scenarios.pop().expect("not empty");
                // Its rows were the last ones read: give their slots back.
                batch.used = dropped.start;
            }
            self.faulty_id = Some(id);
        }
    }
}

/// The scenarios of one CSV, read and built one at a time ([`Iterator`] of
/// `Result<LocatedScenario>`); see [`RecordReader`] for the rules.
pub struct ScenarioReader<R: Read> {
    records: RecordReader<R>,
    batch: RawBatch,
    done: bool,
}

impl<R: Read> ScenarioReader<R> {
    /// Starts reading `input` (its header row is read and checked here); `name` names the file in
    /// messages, and at most `limit` bytes are taken.
    pub fn new(name: &str, input: R, limit: u64) -> Result<Self> {
        Self::with_ids(name, input, limit, IdSet::new())
    }

    /// [`ScenarioReader::new`] with the ids earlier inputs used.
    pub fn with_ids(name: &str, input: R, limit: u64, ids: IdSet) -> Result<Self> {
        let records = RecordReader::new(name, input, limit, ids)?;
        let batch = RawBatch::default();
        Ok(ScenarioReader {
            records,
            batch,
            done: false,
        })
    }

    /// The ids of the run, this file's added, for the next input.
    pub fn into_ids(self) -> IdSet {
        self.records.into_ids()
    }

    /// See [`RecordReader::separator_note`].
    pub fn separator_note(&self) -> Option<String> {
        self.records.separator_note()
    }

    /// See [`RecordReader::header_note`].
    pub fn header_note(&self) -> Option<&HeaderNote> {
        self.records.header_note()
    }

    /// See [`RecordReader::take_warnings`].
    pub fn take_warnings(&mut self) -> Vec<SwallowedRows> {
        self.records.take_warnings()
    }

    /// The next scenario, `None` after the last.
    pub fn next_scenario(&mut self) -> Result<Option<LocatedScenario>> {
        if self.done {
            return Ok(None);
        }
        self.records.read_batch(&mut self.batch, 1)?;
        let fault = self.batch.take_faults().into_iter().next();
        let built = (!self.batch.is_empty()).then(|| self.batch.build(0));
        // The first fault in file order is the one returned.
        match (fault, built) {
            (None, None) => {
                self.done = true;
                Ok(None)
            }
            (None, Some(built)) => built.map(Some),
            (Some(fault), Some(Err(e))) if e.line() < fault.line() => Err(e),
            (Some(fault), _) => Err(fault),
        }
    }
}

impl<R: Read> Iterator for ScenarioReader<R> {
    type Item = Result<LocatedScenario>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_scenario() {
            Ok(s) => s.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Puts on `record` the line it starts on (see [`record_line`]), `end` being the reader's line
/// once it was read.
fn date(record: &mut csv::StringRecord, end: u64) {
    let Some(position) = record.position() else {
        return;
    };
    let line = record_line(Some(position), end, record.as_byte_record().as_slice());
    if line != position.line() {
        let mut position = position.clone();
        position.set_line(line);
        record.set_position(Some(position));
    }
}

/// The fault of a record the csv crate could not read; `end` is the reader's line after it.
fn record_error(name: &str, e: &csv::Error, record: &csv::StringRecord, end: u64) -> Error {
    let line = record_line(e.position(), end, record.as_byte_record().as_slice());
    csv_error(name, e, Some(record), line)
}
