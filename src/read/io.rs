//! Byte-stream adapters for the streaming readers: line ends as the CSV parser counts them, and a
//! size limit on what a reader takes in (with every reader's limits, [`ReadLimits`]); and the
//! faults of reading a CSV, at the right line.

use std::io::{self, Read};

use crate::error::{Error, Location};

/// How much the readers take in, so that no input can exhaust memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLimits {
    /// The largest input file (or standard input), in bytes.
    pub max_input_bytes: u64,
    /// The largest decompressed parts of an xlsx workbook.
    pub xlsx: crate::read::xlsx::package::Limits,
    /// The most cells kept from one sheet's columns.
    pub max_cells: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_input_bytes: 4 << 30,
            xlsx: crate::read::xlsx::package::Limits::default(),
            // Three columns of every row of a sheet: any lookup or node-group table fits.
            max_cells: 3 * 1_048_576,
        }
    }
}

/// The 1-based line that byte `offset` of `bytes` is on (the end of the input past its last
/// byte).
pub(crate) fn line_at(bytes: &[u8], offset: usize) -> u64 {
    let end = offset.min(bytes.len());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64
}

/// The text with CRLF (and lone CR) line ends turned into LF. The csv crate reads CRLF, but
/// counts the lines of a CRLF file one short in its error positions and a CR-only file as one
/// line; messages must name the right line. The last line gets an LF if it has none (see
/// [`record_line`]).
pub(crate) fn lf_line_ends(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.contains(&b'\r') {
        if bytes.last().is_some_and(|&b| b != b'\n') {
            let mut out = bytes.to_vec();
            out.push(b'\n');
            return std::borrow::Cow::Owned(out);
        }
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(i) = rest.iter().position(|&b| b == b'\r') {
        out.extend_from_slice(&rest[..i]);
        if rest.get(i + 1) != Some(&b'\n') {
            out.push(b'\n');
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    if out.last().is_some_and(|&b| b != b'\n') {
        out.push(b'\n');
    }
    std::borrow::Cow::Owned(out)
}

/// Turns CRLF and lone CR line ends into LF as bytes stream through, and ends the stream with an
/// LF if it does not end with one. The csv crate splits records on CR, LF and CRLF alike, but
/// counts only LFs in the line numbers of its positions: a CR-only file (an old Mac export) would
/// put every fault on line 1. Quoted line ends become LF too. With every record ended by an LF,
/// [`record_line`] can tell the line a record starts on.
pub struct LfLineEnds<R> {
    inner: R,
    /// The last byte passed on was a CR (so an LF right after it is its pair, dropped).
    after_cr: bool,
    /// The last byte passed on, if any.
    last: Option<u8>,
}

impl<R: Read> LfLineEnds<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        LfLineEnds {
            inner,
            after_cr: false,
            last: None,
        }
    }
}

impl<R: Read> Read for LfLineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if buf.is_empty() {
                return Ok(0);
            }
            let n = self.inner.read(buf)?;
            if n == 0 {
                // The last line ends like the others.
                if self.last.is_some_and(|b| b != b'\n') {
                    self.last = Some(b'\n');
                    buf[0] = b'\n';
                    return Ok(1);
                }
                return Ok(0);
            }
            // Most files have LF line ends: nothing to do.
            if !self.after_cr && !buf[..n].contains(&b'\r') {
                self.last = Some(buf[n - 1]);
                return Ok(n);
            }
            // Compacts in place: the output is never longer than the input.
            let mut out = 0;
            for i in 0..n {
                let b = buf[i];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                buf[out] = if self.after_cr { b'\n' } else { b };
                out += 1;
            }
            // A read that held only the LF of a CRLF split across reads is not the end.
            if out > 0 {
                self.last = Some(buf[out - 1]);
                return Ok(out);
            }
        }
    }
}

/// The line a CSV record starts on, from the position the csv crate gives it (`start`, of the
/// record or of its error), the reader's line once the record is read (`end`) and the record's
/// field bytes.
///
/// The csv crate dates a record from the end of the record before it, so blank lines between
/// them would put a fault on the first blank line. Every record of a stream read through
/// [`LfLineEnds`] ends with an LF, so the record starts one line before `end`, less the line ends
/// quoted inside its fields.
pub fn record_line(start: Option<&csv::Position>, end: u64, fields: &[u8]) -> u64 {
    let start = start.map_or(0, csv::Position::line);
    if end <= start.saturating_add(1) {
        return start;
    }
    let inside = fields.iter().filter(|&&b| b == b'\n').count() as u64;
    end.saturating_sub(inside + 1).max(start)
}

/// Passes at most `limit` bytes through and fails with [`TooLarge`] past them, so that a reader
/// streaming a file (or standard input) stops at the input size limit instead of reading forever.
pub struct Limited<R> {
    inner: R,
    left: u64,
    read: u64,
}

/// The error [`Limited`] returns (as the source of an `io::Error` of kind `Other`) when its
/// source holds more than its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit, in bytes.
    pub limit: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the input is over {} bytes", self.limit)
    }
}

impl std::error::Error for TooLarge {}

impl<R: Read> Limited<R> {
    /// Wraps `inner`, letting `limit` bytes through.
    pub fn new(inner: R, limit: u64) -> Self {
        Limited {
            inner,
            left: limit,
            read: 0,
        }
    }

    /// The bytes passed through so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The limit, in bytes.
    fn limit(&self) -> u64 {
        self.read + self.left
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: one more byte means the source is over it.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(TooLarge {
                    limit: self.limit(),
                })),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        self.read += n as u64;
        Ok(n)
    }
}

/// The [`TooLarge`] an I/O error carries, if it is one.
pub fn too_large(e: &io::Error) -> Option<TooLarge> {
    e.get_ref()?.downcast_ref::<TooLarge>().copied()
}

/// An input error while starting to read.
pub(crate) fn io_error(name: &str, e: &std::io::Error) -> Error {
    match too_large(e) {
        Some(big) => Error::InputTooLarge {
            location: Location::file(name),
            what: format!(
                "the input is over {}",
                crate::read::xlsx::package::human_bytes(big.limit)
            ),
            hint: "raise the limit with --max-input-size if it is genuine".into(),
        },
        None => Error::Read {
            path: name.to_owned(),
            source: std::io::Error::new(e.kind(), e.to_string()),
        },
    }
}

/// A CSV parser error, at `line`; `record` is what was read of the record, if anything.
pub(crate) fn csv_error(
    name: &str,
    e: &csv::Error,
    record: Option<&csv::StringRecord>,
    line: u64,
) -> Error {
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            // A quote left open swallows separators and line ends up to the next quote.
            let open_quote = record.is_some_and(|r| r.iter().any(|f| f.contains(['"', '\n', ','])));
            let hint = if open_quote {
                " (check for a quote left open)"
            } else {
                ""
            };
            let fields = if *len == 1 {
                "1 field".to_owned()
            } else {
                format!("{len} fields")
            };
            format!("{fields} where the header has {expected_len}{hint}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text (save the file as UTF-8 CSV)".into(),
        csv::ErrorKind::Io(io) => return io_error(name, io),
        _ => e.to_string(),
    };
    let location = if line == 0 {
        Location::file(name)
    } else {
        Location::line(name, line, None)
    };
    Error::MalformedCsv { location, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_end_becomes_lf() {
        assert_eq!(&*lf_line_ends(b"a\r\nb\rc\n"), b"a\nb\nc\n");
        assert_eq!(&*lf_line_ends(b"plain\n"), b"plain\n");
        assert_eq!(&*lf_line_ends(b"no end"), b"no end\n");
        assert_eq!(&*lf_line_ends(b""), b"");
    }

    /// Reads through `LfLineEnds` in reads of `chunk` bytes.
    fn lf(input: &[u8], chunk: usize) -> Vec<u8> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LfLineEnds::new(Trickle(input, chunk))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn every_line_end_becomes_lf_across_read_boundaries() {
        for chunk in [1, 2, 3, 64] {
            assert_eq!(lf(b"a\r\nb\rc\n", chunk), b"a\nb\nc\n", "chunk {chunk}");
            assert_eq!(lf(b"\r\n\r\n", chunk), b"\n\n", "chunk {chunk}");
            assert_eq!(lf(b"\r\r\n\n", chunk), b"\n\n\n", "chunk {chunk}");
            assert_eq!(lf(b"plain\n", chunk), b"plain\n", "chunk {chunk}");
            assert_eq!(lf(b"no end", chunk), b"no end\n", "chunk {chunk}");
            assert_eq!(lf(b"cr end\r", chunk), b"cr end\n", "chunk {chunk}");
            assert_eq!(lf(b"", chunk), b"", "chunk {chunk}");
        }
    }

    #[test]
    fn a_source_over_the_limit_fails_and_one_at_it_does_not() {
        let mut out = Vec::new();
        Limited::new(&b"0123456789"[..], 10)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out.len(), 10);
        let e = Limited::new(&b"0123456789A"[..], 10)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(too_large(&e), Some(TooLarge { limit: 10 }));
        // An endless source stops at the limit.
        let e = Limited::new(io::repeat(b'x'), 1 << 20)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(too_large(&e).is_some());
    }
}
