//! Outputs that appear whole or not at all.
//!
//! An [`AtomicFile`] writes to a temporary file beside its destination and renames it into place
//! on [`AtomicFile::commit`]. A run that fails, or is interrupted, leaves no partial file and an
//! existing file untouched: the temporary file is removed when the `AtomicFile` is dropped.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written; it replaces its destination only when committed.
pub struct AtomicFile {
    destination: PathBuf,
    temp: BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `destination`, through a temporary file in the same directory.
    pub fn create(destination: &Path) -> Result<Self> {
        let dir = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".subnet-calc-")
            .suffix(".partial")
            .tempfile_in(&dir)
            .map_err(|e| write_error(destination, &e))?;
        Ok(AtomicFile {
            destination: destination.to_path_buf(),
            temp: BufWriter::new(temp),
        })
    }

    /// The writer to write the contents into.
    pub fn writer(&mut self) -> &mut BufWriter<tempfile::NamedTempFile> {
        &mut self.temp
    }

    /// The temporary file's path (for writers that need a path rather than a stream).
    pub fn temp_path(&self) -> &Path {
        self.temp.get_ref().path()
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<()> {
        let destination = self.destination;
        let temp = self
            .temp
            .into_inner()
            .map_err(|e| write_error(&destination, e.error()))?;
        temp.as_file()
            .sync_all()
            .map_err(|e| write_error(&destination, &e))?;
        temp.persist(&destination)
            .map_err(|e| write_error(&destination, &e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
    }
}

/// A write failure naming the destination.
pub fn write_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        std::fs::write(&dest, "old").unwrap();
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"new").unwrap();
            // Dropped without commit: the old file stays, no temporary file is left.
        }
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_a_write_error() {
        let e = AtomicFile::create(Path::new("/nonexistent-dir-for-test/out.csv"))
            .err()
            .unwrap();
        assert!(!e.is_bad_input());
        assert!(e.to_string().contains("out.csv"));
    }
}
