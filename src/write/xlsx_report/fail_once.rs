//! The zip writer's output after its first failure (leaf).

use std::io::{self, Write};

/// A writer for a zip archive that, after its first failure, accepts and drops everything: the
/// failure is returned once, and the archive writer's own cleanup then writes into nothing
/// instead of printing its second failure on standard error.
pub(crate) struct FailOnce<W> {
    inner: W,
    failed: Option<io::ErrorKind>,
}

impl<W> FailOnce<W> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: W) -> Self {
        FailOnce {
            inner,
            failed: None,
        }
    }
}

impl<W: Write> Write for FailOnce<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed.is_some() {
            return Ok(buf.len());
        }
        self.inner
            .write(buf)
            .inspect_err(|e| self.failed = Some(e.kind()))
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.failed.is_some() {
            return Ok(());
        }
        self.inner
            .flush()
            .inspect_err(|e| self.failed = Some(e.kind()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_that_failed_once_accepts_the_rest_silently() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::StorageFull))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = FailOnce::new(Full);
        assert!(w.write(b"a").is_err());
        assert_eq!(w.write(b"bc").unwrap(), 2);
        w.flush().unwrap();
    }
}
