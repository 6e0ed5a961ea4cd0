//! Outputs that appear whole or not at all, and never damage what the user points at.
//!
//! An [`AtomicFile`] for a regular file (or a new path) writes to a temporary file in the same
//! directory and renames it over the destination on [`AtomicFile::commit`]; a failed run leaves
//! an existing file untouched. On Linux the temporary file has no name until the commit
//! (`O_TMPFILE`), so that even a run killed outright leaves nothing behind; elsewhere, or on a
//! file system without `O_TMPFILE`, it is a hidden `.subnet-calc-<pid>-….partial`, removed when
//! dropped or when the run is interrupted (see [`crate::output::cleanup`]), and those that killed
//! runs left are removed by the next run in that directory. The unnamed file is handed to the
//! disk as it is written ([`crate::output::write_behind`]), and synced before the rename.
//!
//! A destination that is not a regular file (a character device such as `/dev/null`, a FIFO, a
//! socket, `/dev/stdout`) is written through, never replaced. A symbolic link is followed: the
//! file it points at is replaced, the link kept.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use subnet_calc::error::Result;
use subnet_calc::write::write_error;

use crate::output::cleanup::{self, Registered, TEMP_SUFFIX};
#[cfg(target_os = "linux")]
use crate::output::write_behind::WriteBehind;

/// A file being written; it replaces its destination only when committed.
pub struct AtomicFile {
    destination: PathBuf,
    target: Target,
    stale_removed: usize,
}

enum Target {
    /// A device, FIFO or stream of the process: written directly.
    Through { file: BufWriter<File> },
    /// A temporary file without a name, in the destination's directory.
    #[cfg(target_os = "linux")]
    Unnamed {
        file: BufWriter<WriteBehind>,
        dir: PathBuf,
    },
    /// A named temporary file beside the destination.
    Named {
        temp: BufWriter<tempfile::NamedTempFile>,
        _registered: Registered,
    },
}

/// Whether `path` is a stream of this process (`/dev/stdout`, `/dev/fd/3`…), whatever it points
/// at: replacing it would replace the link in `/dev` or `/proc`.
fn is_process_stream(path: &Path) -> bool {
    let text = path.to_string_lossy();
    ["/dev/stdout", "/dev/stderr", "/dev/tty"].contains(&text.as_ref())
        || text.starts_with("/dev/fd/")
        || text.starts_with("/proc/self/fd/")
        || text.starts_with("/proc/thread-self/fd/")
}

/// Whether `path` is to be written through: a process stream, or an existing file that is not a
/// regular file (a device, a FIFO, a socket).
pub fn writes_through(path: &Path) -> bool {
    is_process_stream(path) || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The path a symbolic link leads to (links followed, up to 40), or `path` itself.
fn follow_links(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                }
            }
            Err(_) => break,
        }
    }
    current
}

impl AtomicFile {
    /// Starts writing `destination`.
    pub fn create(destination: &Path) -> Result<Self> {
        if writes_through(destination) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(destination)
                .map_err(|e| write_error(destination, e))?;
            return Ok(AtomicFile {
                destination: destination.to_path_buf(),
                target: Target::Through {
                    file: BufWriter::new(file),
                },
                stale_removed: 0,
            });
        }
        let destination = follow_links(destination);
        if std::fs::symlink_metadata(&destination).is_ok_and(|m| m.is_symlink()) {
            // Links that lead back to themselves (or a chain past 40): no file to write, and the
            // link is the user's, not to be replaced.
            return Err(write_error(
                &destination,
                io::Error::other("a loop of symbolic links, which leads to no file"),
            ));
        }
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
            return Err(write_error(&destination, io::Error::other(message)));
        }
        if destination.is_dir() {
            return Err(write_error(
                &destination,
                io::Error::other("a directory is in the way of the file"),
            ));
        }
        refuse_read_only(&destination)?;
        let stale_removed = cleanup::clean_stale(&dir);
        #[cfg(target_os = "linux")]
        if let Some(file) = unnamed_in(&dir) {
            return Ok(AtomicFile {
                destination,
                target: Target::Unnamed {
                    file: BufWriter::new(WriteBehind::new(file)),
                    dir,
                },
                stale_removed,
            });
        }
        let (temp, registered) =
            cleanup::create_registered(|| named_in(&dir), |t| t.path().to_path_buf()).map_err(
                |e| {
                    // Named by the directory, not by the temporary name the user never gave.
                    let why = io::Error::new(
                        e.kind(),
                        format!(
                            "cannot create a file in {} ({}): the output is written beside its \
                             destination, then renamed over it",
                            dir.display(),
                            e.kind()
                        ),
                    );
                    write_error(&destination, why)
                },
            )?;
        Ok(AtomicFile {
            destination,
            target: Target::Named {
                temp: BufWriter::new(temp),
                _registered: registered,
            },
            stale_removed,
        })
    }

    /// The destination.
    pub fn destination(&self) -> &Path {
        &self.destination
    }

    /// The directory the file is written in before it is renamed into place (the
    /// destination's); `None` when it is written through.
    pub fn temp_dir(&self) -> Option<&Path> {
        match &self.target {
            Target::Through { .. } => None,
            #[cfg(target_os = "linux")]
            Target::Unnamed { dir, .. } => Some(dir),
            Target::Named { temp, .. } => temp.get_ref().path().parent(),
        }
    }

    /// How many temporary files of earlier, killed runs were removed from the destination's
    /// directory.
    pub fn stale_removed(&self) -> usize {
        self.stale_removed
    }

    /// Completes the file: flushes it and renames it into place (a file written through is
    /// flushed). The file keeps the permissions of the file it replaces; a new one has those of
    /// any new file (read-write for all, less the umask).
    pub fn commit(self) -> Result<()> {
        let destination = self.destination;
        let fail = |e: io::Error| write_error(&destination, e);
        match self.target {
            Target::Through { mut file } => file.flush().map_err(fail),
            #[cfg(target_os = "linux")]
            Target::Unnamed { file, dir } => {
                let file = file.into_inner().map_err(|e| fail(e.into_error()))?;
                let file = file.into_inner();
                keep_permissions(&file, &destination).map_err(fail)?;
                file.sync_all().map_err(fail)?;
                // Its temporary name is never left behind: an interruption waits for the rename.
                cleanup::exclusive(|| link_into_place(&file, &dir, &destination)).map_err(fail)?;
                sync_dir(&dir);
                Ok(())
            }
            Target::Named { temp, _registered } => {
                let temp = temp.into_inner().map_err(|e| fail(e.into_error()))?;
                keep_permissions(temp.as_file(), &destination).map_err(fail)?;
                temp.as_file().sync_all().map_err(fail)?;
                cleanup::exclusive(|| temp.persist(&destination)).map_err(|e| fail(e.error))?;
                if let Some(dir) = destination.parent() {
                    sync_dir(dir);
                }
                Ok(())
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Through { file, .. } => file.write(buf),
            #[cfg(target_os = "linux")]
            Target::Unnamed { file, .. } => file.write(buf),
            Target::Named { temp, .. } => temp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Through { file, .. } => file.flush(),
            #[cfg(target_os = "linux")]
            Target::Unnamed { file, .. } => file.flush(),
            Target::Named { temp, .. } => temp.flush(),
        }
    }
}

/// A named temporary file in `dir`, created as any new file is (read-write for all less the
/// umask; tempfile's default is owner-only).
fn named_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let prefix = cleanup::temp_prefix();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// An unnamed file in `dir` (`O_TMPFILE`), or `None` where the file system cannot make one.
#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path) -> Option<File> {
    use rustix::fs::{CWD, Mode, OFlags, openat};
    let fd = openat(
        CWD,
        dir,
        OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    )
    .ok()?;
    Some(File::from(fd))
}

/// Gives the unnamed `file` a temporary name in `dir`, then renames it over `destination`.
#[cfg(target_os = "linux")]
fn link_into_place(file: &File, dir: &Path, destination: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;

    use rustix::fs::{AtFlags, CWD, linkat};
    let source = format!("/proc/self/fd/{}", file.as_raw_fd());
    for attempt in 0..100u32 {
        let name = format!(
            "{}{:x}{attempt}{TEMP_SUFFIX}",
            cleanup::temp_prefix(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        let temp = dir.join(name);
        match linkat(CWD, source.as_str(), CWD, &temp, AtFlags::SYMLINK_FOLLOW) {
            Ok(()) => {
                return std::fs::rename(&temp, destination).inspect_err(|_| {
                    let _ = std::fs::remove_file(&temp);
                });
            }
            Err(rustix::io::Errno::EXIST) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(io::Error::other("no free temporary name"))
}

/// Refuses to replace a file the user may not write, or marked read-only: `>` in a shell would
/// refuse it, and renaming over it would not ask (a read-only mark is the user's protection).
pub(crate) fn refuse_read_only(destination: &Path) -> Result<()> {
    let Ok(existing) = std::fs::metadata(destination) else {
        return Ok(());
    };
    #[cfg(target_os = "linux")]
    let writable = !existing.permissions().readonly()
        && rustix::fs::access(destination, rustix::fs::Access::WRITE_OK).is_ok();
    #[cfg(not(target_os = "linux"))]
    let writable = !existing.permissions().readonly();
    if writable {
        return Ok(());
    }
    Err(write_error(
        destination,
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only (make it writable, or choose another -o)",
        ),
    ))
}

/// Gives the new file the permissions of the file it replaces, if any, and on Unix its group
/// (best effort: only a member of the group may give it).
fn keep_permissions(file: &File, destination: &Path) -> io::Result<()> {
    if let Ok(existing) = std::fs::metadata(destination) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::fchown(file, None, Some(existing.gid()));
        }
        file.set_permissions(existing.permissions())?;
    }
    Ok(())
}

/// Makes a rename durable (best effort: not every platform can sync a directory).
fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

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
        assert_eq!(names(dir.path()), ["out.csv"]);
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.path().join("fresh.csv");
            AtomicFile::create(&fresh).unwrap().commit().unwrap();
            // As any new file: what the umask leaves of 0666, not a temporary file's 0600.
            let plain = dir.path().join("plain.csv");
            std::fs::write(&plain, "").unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&fresh), mode(&plain));
            std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o600)).unwrap();
            AtomicFile::create(&dest).unwrap().commit().unwrap();
            assert_eq!(mode(&dest), 0o600, "a replaced file keeps its permissions");
            std::fs::remove_file(&plain).unwrap();
        }
        assert_eq!(names(dir.path()), ["fresh.csv", "out.csv"]);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_temporary_file_has_no_name_while_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("big.csv")).unwrap();
        f.write_all(&[b'x'; 100_000]).unwrap();
        f.flush().unwrap();
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        f.commit().unwrap();
        assert_eq!(names(dir.path()), ["big.csv"]);
    }

    #[test]
    #[cfg(unix)]
    fn links_are_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    #[cfg(unix)]
    fn a_loop_of_links_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("one.csv");
        std::os::unix::fs::symlink("two.csv", &one).unwrap();
        std::os::unix::fs::symlink("one.csv", dir.path().join("two.csv")).unwrap();
        let e = AtomicFile::create(&one).err().unwrap();
        assert!(!e.is_bad_input());
        assert!(e.to_string().contains("a loop of symbolic links"), "{e}");
        assert!(std::fs::symlink_metadata(&one).unwrap().is_symlink());
    }

    #[test]
    #[cfg(unix)]
    fn devices_and_streams_are_written_through() {
        assert!(writes_through(Path::new("/dev/null")));
        assert!(writes_through(Path::new("/dev/stdout")));
        assert!(!writes_through(Path::new("/nonexistent/out.csv")));
        let mut f = AtomicFile::create(Path::new("/dev/null")).unwrap();
        f.write_all(b"gone").unwrap();
        f.commit().unwrap();
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(kind.is_char_device(), "/dev/null is still a device");
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
