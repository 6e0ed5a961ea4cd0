//! Quoted fields of a CSV, watched as its bytes stream past: a quote left open swallows every
//! line after it into one field, and the csv crate, at the end of the file, hands that field back
//! as if it had been closed. [`QuoteTracker`] follows the quoting as the csv crate parses it (its
//! default dialect: `"` quotes, `""` inside a quoted field is a quote, a `"` inside an unquoted
//! field is text), so that a reader can tell where a quote that is still open at the end of the
//! file was opened ([`QuoteTracker::open_quote`]). [`line_end_fault`] and [`swallowed_rows`] are
//! the rules for line ends inside a field: only a column whose text may run over lines (a
//! scenario CSV's `note`) takes one, and text in it that holds whole rows' worth of separators is
//! named in a warning.

use std::io::{self, Read};

use crate::error::{Error, Location};

/// Where the parser is, as the csv crate's would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field (or of a record).
    Start,
    /// In a field that did not open with a quote.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: the field's end, or the first of `""`.
    QuoteInQuoted,
}

/// Where a quoted field was opened: its line (from 1, as the csv crate counts them) and field
/// (from 0) in its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    /// The line of the opening quote.
    pub line: u64,
    /// The field's index in its record.
    pub field: usize,
}

/// Passes bytes through unchanged, following the quoting of the CSV they make (see the module
/// documentation). It expects what the csv crate reads: LF line ends (see
/// [`crate::read::io::LfLineEnds`]), a byte-order mark at the start skipped as the csv crate
/// skips it.
pub struct QuoteTracker<R> {
    inner: R,
    separator: u8,
    state: State,
    /// The line being read (from 1).
    line: u64,
    /// The field being read in its record (from 0).
    field: usize,
    /// Where the quoted field being read was opened.
    opened: Opened,
    /// Bytes of a byte-order mark matched at the start of the stream so far; `None` once past it.
    bom: Option<usize>,
    /// The source has ended.
    ended: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl<R: Read> QuoteTracker<R> {
    /// Wraps `inner`, a CSV whose fields are separated by `separator`.
    pub fn new(inner: R, separator: u8) -> Self {
        QuoteTracker {
            inner,
            separator,
            state: State::Start,
            line: 1,
            field: 0,
            opened: Opened { line: 1, field: 0 },
            bom: Some(0),
            ended: false,
        }
    }

    /// Where a quoted field that is still open at the end of the source was opened; `None`
    /// before the end, or when every quote was closed.
    pub fn open_quote(&self) -> Option<Opened> {
        (self.ended && self.state == State::Quoted).then_some(self.opened)
    }

    fn scan(&mut self, mut bytes: &[u8]) {
        if let Some(matched) = self.bom {
            // The csv crate skips a byte-order mark only at the very start.
            let n = bytes.len().min(BOM.len() - matched);
            if bytes[..n] == BOM[matched..matched + n] {
                self.bom = (matched + n < BOM.len()).then_some(matched + n);
                bytes = &bytes[n..];
            } else {
                self.bom = None;
                if matched > 0 {
                    // The start of a mark, then something else: text of the first field.
                    self.state = State::Unquoted;
                }
            }
            if bytes.is_empty() {
                return;
            }
            self.bom = None;
        }
        // Most chunks hold no quote: only the lines and the fields are counted.
        if !bytes.contains(&b'"') {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count();
            self.line += lines as u64;
            if self.state == State::Quoted {
                return;
            }
            let since_last_line = bytes
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(bytes, |i| &bytes[i + 1..]);
            if lines > 0 {
                self.field = 0;
            }
            self.field += since_last_line
                .iter()
                .filter(|&&b| b == self.separator)
                .count();
            if let Some(&last) = bytes.last() {
                self.state = if last == self.separator || last == b'\n' {
                    State::Start
                } else {
                    State::Unquoted
                };
            }
            return;
        }
        for &b in bytes {
            self.step(b);
        }
    }

    fn step(&mut self, b: u8) {
        let end_of_field = |t: &mut Self| {
            if b == b'\n' {
                t.field = 0;
            } else {
                t.field += 1;
            }
            t.state = State::Start;
        };
        match self.state {
            State::Start if b == b'"' => {
                self.state = State::Quoted;
                self.opened = Opened {
                    line: self.line,
                    field: self.field,
                };
            }
            State::Start | State::Unquoted => {
                if b == self.separator || b == b'\n' {
                    end_of_field(self);
                } else {
                    self.state = State::Unquoted;
                }
            }
            State::Quoted => {
                if b == b'"' {
                    self.state = State::QuoteInQuoted;
                }
            }
            State::QuoteInQuoted => {
                if b == b'"' {
                    self.state = State::Quoted;
                } else if b == self.separator || b == b'\n' {
                    end_of_field(self);
                } else {
                    self.state = State::Unquoted;
                }
            }
        }
        if b == b'\n' {
            self.line += 1;
        }
    }
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.ended = true;
        }
        self.scan(&buf[..n]);
        Ok(n)
    }
}

/// The fault of a record that holds the quote left open at the end of the file: the quote's
/// line and column (`column` names the field).
pub fn open_quote_fault(name: &str, opened: Opened, column: &str, last_line: u64) -> Error {
    Error::MalformedCsv {
        location: Location::line(name, opened.line, Some(column)),
        message: format!(
            "a quote opened here is never closed: the field runs to the end of the file (line \
             {last_line}), taking in every row after it (close the quote, or remove it)"
        ),
    }
}

/// The index of the first field of `record` that holds a line end, and the line it starts on
/// (`first_line` being the record's); `None` when no field does.
pub fn first_line_end(record: &csv::ByteRecord, first_line: u64) -> Option<(usize, u64)> {
    if !record.as_slice().contains(&b'\n') {
        return None;
    }
    let mut line = first_line;
    for (i, field) in record.iter().enumerate() {
        if field.contains(&b'\n') {
            return Some((i, line));
        }
        line += field.iter().filter(|&&b| b == b'\n').count() as u64;
    }
    None
}

/// The fault of a line end inside a field whose column does not take one (every column but a
/// scenario CSV's `note`): a quote left open there swallowed the lines after it.
pub fn line_end_fault(name: &str, line: u64, column: &str, may_span: Option<&str>) -> Error {
    let allowed = match may_span {
        Some(c) => format!("only {c} may run over lines"),
        None => "no field of this file may run over lines".to_owned(),
    };
    Error::MalformedCsv {
        location: Location::line(name, line, Some(column)),
        message: format!(
            "a quoted field here holds a line end, and {allowed} (check for a quote left open, \
             or put the text on one line)"
        ),
    }
}

/// A field whose text runs over lines and takes in lines holding as many separators as a row:
/// rows swallowed by a quote opened too early, or text pasted from the file. The rows are read,
/// but the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwallowedRows {
    /// The field (file, line it starts on, column).
    pub location: Location,
    /// The last line of the field.
    pub last_line: u64,
    /// How many of its lines look like rows.
    pub rows: usize,
}

impl std::fmt::Display for SwallowedRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the quoted text runs to line {} and takes in {} line{} with a row's worth of \
             separators, read as part of this field, not as rows (if a quote was left open, \
             close it)",
            self.location,
            self.last_line,
            self.rows,
            if self.rows == 1 { "" } else { "s" }
        )
    }
}

/// The [`SwallowedRows`] of a field starting on `line` whose text holds line ends: the lines
/// after its first that hold at least `row_separators` separators. `None` when none does.
pub fn swallowed_rows(
    field: &[u8],
    separator: u8,
    row_separators: usize,
    location: Location,
    line: u64,
) -> Option<SwallowedRows> {
    let mut lines = field.split(|&b| b == b'\n');
    lines.next();
    let (mut rows, mut count) = (0, 0u64);
    for text in lines {
        count += 1;
        if row_separators > 0 && text.iter().filter(|&&b| b == separator).count() >= row_separators
        {
            rows += 1;
        }
    }
    (rows > 0).then_some(SwallowedRows {
        location,
        last_line: line + count,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` through a tracker in reads of `chunk` bytes.
    fn tracked(text: &[u8], chunk: usize) -> QuoteTracker<&[u8]> {
        let mut t = QuoteTracker::new(text, b',');
        let mut buf = vec![0u8; chunk];
        while t.read(&mut buf).unwrap() > 0 {}
        t
    }

    #[test]
    fn a_quote_still_open_at_the_end_is_found_where_it_opened() {
        for chunk in [1, 2, 5, 4096] {
            let t = tracked(b"a,b,note\n1,2,x\n3,4,\"open\n5,6,y\n", chunk);
            assert_eq!(
                t.open_quote(),
                Some(Opened { line: 3, field: 2 }),
                "chunk {chunk}"
            );
            for closed in [
                &b"a,b\n1,\"two\nlines\"\n3,4\n"[..],
                b"a,b\n1,\"say \"\"hi\"\"\"\n",
                b"a,b\n1,12\" rack\n",
                b"a,b\n1,\"x\"y\n",
                b"\xEF\xBB\xBF\"a\",b\n1,2\n",
                b"",
            ] {
                let t = tracked(closed, chunk);
                assert_eq!(
                    t.open_quote(),
                    None,
                    "{:?} chunk {chunk}",
                    String::from_utf8_lossy(closed)
                );
            }
            // After a closed quote, an open one further on.
            let t = tracked(b"a,b\n\"1\",\"2\"\n\n3,\"4", chunk);
            assert_eq!(t.open_quote(), Some(Opened { line: 4, field: 1 }));
        }
    }

    #[test]
    fn nothing_is_open_before_the_end() {
        let mut t = QuoteTracker::new(&b"a,\"b"[..], b',');
        let mut buf = [0u8; 16];
        assert_eq!(t.read(&mut buf).unwrap(), 4);
        assert_eq!(t.open_quote(), None);
        assert_eq!(t.read(&mut buf).unwrap(), 0);
        assert_eq!(t.open_quote(), Some(Opened { line: 1, field: 1 }));
    }

    #[test]
    fn line_ends_are_found_in_their_field() {
        let mut r = csv::ByteRecord::new();
        r.push_field(b"a");
        r.push_field(b"b\nc");
        r.push_field(b"d\ne");
        assert_eq!(first_line_end(&r, 7), Some((1, 7)));
        let mut r = csv::ByteRecord::new();
        r.push_field(b"x\ny");
        r.push_field(b"z");
        assert_eq!(first_line_end(&r, 3), Some((0, 3)));
        let mut r = csv::ByteRecord::new();
        r.push_field(b"plain");
        assert_eq!(first_line_end(&r, 3), None);
    }

    #[test]
    fn lines_with_a_rows_worth_of_separators_are_counted() {
        let at = Location::line("s.csv", 4, Some("note"));
        let found = swallowed_rows(b"open\nb,1,2\nc,3,4\nplain text", b',', 2, at.clone(), 4);
        let found = found.unwrap();
        assert_eq!((found.rows, found.last_line), (2, 7));
        assert_eq!(
            found.to_string(),
            "s.csv:4:note: the quoted text runs to line 7 and takes in 2 lines with a row's \
             worth of separators, read as part of this field, not as rows (if a quote was left \
             open, close it)"
        );
        assert_eq!(
            swallowed_rows(b"two\nlines, of prose", b',', 2, at, 4),
            None
        );
    }
}
