//! Outputs that appear whole or not at all.
//!
//! An [`AtomicFile`] writes to a temporary file beside its destination and renames it into place
//! on [`AtomicFile::commit`]. A run that fails, or is interrupted, leaves no partial file and an
//! existing file untouched: the temporary file is removed when the `AtomicFile` is dropped.
//!
//! Several files that must appear together (one workbook per scenario) are each written, closed
//! and kept as a [`PendingFile`] with [`AtomicFile::finish_pending`], then renamed into place
//! once all of them are complete.

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
        if !dir.is_dir() {
            let message = if dir.exists() {
                format!("{} is not a directory", dir.display())
            } else {
                format!("the directory {} does not exist", dir.display())
            };
            return Err(Error::Write {
                path: destination.to_path_buf(),
                message,
            });
        }
        if destination.is_dir() {
            return Err(Error::Write {
                path: destination.to_path_buf(),
                message: "a directory is in the way of the file".into(),
            });
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".subnet-calc-").suffix(".partial");
        // Created as any new file is, read-write for all less the umask (tempfile's default is
        // owner-only); an existing destination's permissions are kept at commit.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(&dir)
            .map_err(|e| write_error(destination, &e))?;
        Ok(AtomicFile {
            destination: destination.to_path_buf(),
            temp: BufWriter::new(temp),
        })
    }

    /// The temporary file's path (for writers that need a path rather than a stream).
    pub fn temp_path(&self) -> &Path {
        self.temp.get_ref().path()
    }

    /// Flushes, syncs and renames the file into place. The file keeps the permissions of the file
    /// it replaces; a new one has those of any new file (read-write for all, less the umask).
    pub fn commit(self) -> Result<()> {
        self.finish_pending()?.commit()
    }

    /// Flushes, syncs and closes the temporary file without renaming it into place yet: the
    /// returned [`PendingFile`] does that on [`PendingFile::commit`], and removes the temporary
    /// file when dropped uncommitted. Holds no open file, so many can wait at once.
    pub fn finish_pending(self) -> Result<PendingFile> {
        let destination = self.destination;
        let fail = |e: &std::io::Error| write_error(&destination, e);
        let temp = self.temp.into_inner().map_err(|e| fail(e.error()))?;
        if let Ok(existing) = std::fs::metadata(&destination) {
            std::fs::set_permissions(temp.path(), existing.permissions()).map_err(|e| fail(&e))?;
        }
        temp.as_file().sync_all().map_err(|e| fail(&e))?;
        Ok(PendingFile {
            temp: temp.into_temp_path(),
            destination,
        })
    }
}

/// A complete, closed temporary file waiting to be renamed to its destination.
pub struct PendingFile {
    destination: PathBuf,
    temp: tempfile::TempPath,
}

impl PendingFile {
    /// The destination the file will be renamed to.
    pub fn destination(&self) -> &Path {
        &self.destination
    }

    /// Renames the file into place.
    pub fn commit(self) -> Result<()> {
        let destination = self.destination;
        self.temp
            .persist(&destination)
            .map_err(|e| write_error(&destination, &e.error))
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.path().join("fresh.csv");
            AtomicFile::create(&fresh).unwrap().commit().unwrap();
            // As any new file: what the umask leaves of 0666, not the temporary file's 0600.
            let plain = dir.path().join("plain.csv");
            std::fs::write(&plain, "").unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&fresh), mode(&plain));
            std::fs::remove_file(&plain).unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn pending_files_appear_only_when_committed_and_vanish_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = AtomicFile::create(&dir.path().join("a.xlsx")).unwrap();
        a.write_all(b"a").unwrap();
        let a = a.finish_pending().unwrap();
        let mut b = AtomicFile::create(&dir.path().join("b.xlsx")).unwrap();
        b.write_all(b"b").unwrap();
        let b = b.finish_pending().unwrap();
        assert_eq!(b.destination(), dir.path().join("b.xlsx"));
        drop(b);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        a.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.xlsx")).unwrap(),
            "a"
        );
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
