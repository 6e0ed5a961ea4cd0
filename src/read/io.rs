//! Byte-stream adapters for the streaming readers: line ends as the CSV parser counts them, and a
//! size limit on what a reader takes in.

use std::io::{self, Read};

/// Turns CRLF and lone CR line ends into LF as bytes stream through. The csv crate splits records
/// on CR, LF and CRLF alike, but counts only LFs in the line numbers of its positions: a CR-only
/// file (an old Mac export) would put every fault on line 1. Quoted line ends become LF too.
pub struct LfLineEnds<R> {
    inner: R,
    /// The last byte passed on was a CR (so an LF right after it is its pair, dropped).
    after_cr: bool,
}

impl<R: Read> LfLineEnds<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        LfLineEnds {
            inner,
            after_cr: false,
        }
    }
}

impl<R: Read> Read for LfLineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            // Most files have LF line ends: nothing to do.
            if !self.after_cr && !buf[..n].contains(&b'\r') {
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
                return Ok(out);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
