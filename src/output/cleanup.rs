//! Temporary files that must not outlive the run: a registry the binary's signal handler empties
//! on SIGINT or SIGTERM, and the cleaning of those that earlier runs, killed outright, left.
//!
//! A temporary path is created and registered in one step under the registry's lock
//! ([`create_registered`]), and the moves that put outputs in place run under it too
//! ([`exclusive`]): a signal's cleanup waits for them, so it never finds a file created but not
//! yet registered, nor a set of outputs half moved into place.
//!
//! Every temporary path is named `.subnet-calc-<pid>-<random>.partial`, so that a later run can
//! tell one whose process is gone (stale: removed) from one another run is writing right now
//! (left alone).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Paths (files, or staging directories) to remove if the run is interrupted.
static PENDING: Mutex<Pending> = Mutex::new(Pending {
    paths: Vec::new(),
    closed: false,
});

/// The registry.
struct Pending {
    paths: Vec<PathBuf>,
    /// The run is being interrupted: nothing more may be created.
    closed: bool,
}

/// The registry, locked (a panic elsewhere while it was held does not lose it).
fn pending() -> std::sync::MutexGuard<'static, Pending> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The start of this process's temporary names.
pub fn temp_prefix() -> String {
    format!(".subnet-calc-{}-", std::process::id())
}

/// The end of every temporary name.
pub const TEMP_SUFFIX: &str = ".partial";

/// A registered temporary path; unregistered when dropped (its owner removes it).
#[derive(Debug)]
pub struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        let mut pending = pending();
        if let Some(at) = pending.paths.iter().position(|p| *p == self.0) {
            pending.paths.swap_remove(at);
        }
    }
}

/// Creates a temporary file or directory with `create` and registers it (at `path_of` what was
/// created) for removal on interruption, in one step: an interruption cleans up either before
/// the path exists or after it is registered. Fails once the run is being interrupted.
pub fn create_registered<T>(
    create: impl FnOnce() -> std::io::Result<T>,
    path_of: impl FnOnce(&T) -> PathBuf,
) -> std::io::Result<(T, Registered)> {
    let mut pending = pending();
    if pending.closed {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "the run is being interrupted",
        ));
    }
    let made = create()?;
    let path = path_of(&made);
    pending.paths.push(path.clone());
    Ok((made, Registered(path)))
}

/// Runs `f` (moving outputs into place) with interruption's cleanup held off until it is done,
/// so that a set of outputs is never left half moved. `f` must not create temporary paths.
pub fn exclusive<T>(f: impl FnOnce() -> T) -> T {
    let _held = pending();
    f()
}

/// Removes every registered temporary path, and lets none be created after. For a signal
/// handler: the run is ending.
pub fn remove_pending() {
    pending().close();
}

impl Pending {
    /// Removes every path and lets none be created after.
    fn close(&mut self) {
        self.closed = true;
        for path in std::mem::take(&mut self.paths) {
            if path.is_dir() {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The process id a temporary name was made by, if it is one of ours.
fn owner(name: &str) -> Option<u32> {
    let rest = name
        .strip_prefix(".subnet-calc-")?
        .strip_suffix(TEMP_SUFFIX)?;
    rest.split('-').next()?.parse().ok()
}

/// Whether process `pid` is running (Linux: `/proc/<pid>`). Elsewhere every process is taken as
/// running, so nothing is removed.
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists() || !Path::new("/proc/self").exists()
    } else {
        true
    }
}

/// Removes the temporary files and staging directories that runs killed outright (SIGKILL, a
/// power cut) left in `dir`; returns how many.
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = owner(&name.to_string_lossy()) else {
            continue;
        };
        if pid == std::process::id() || running(pid) {
            continue;
        }
        let path = entry.path();
        let gone = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_tell_their_process() {
        assert_eq!(owner(".subnet-calc-1234-aB3x.partial"), Some(1234));
        assert_eq!(owner(".subnet-calc-1234-aB3x"), None);
        assert_eq!(owner("report.xlsx"), None);
        assert!(temp_prefix().starts_with(&format!(".subnet-calc-{}-", std::process::id())));
    }

    #[test]
    fn stale_files_of_dead_runs_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids above the kernel's pid_max (4,194,304 at most) never run.
        let dead = dir.path().join(".subnet-calc-4999999-x.partial");
        let mine = dir.path().join(format!("{}y{TEMP_SUFFIX}", temp_prefix()));
        let dead_dir = dir.path().join(".subnet-calc-4999998-z.partial");
        std::fs::write(&dead, "old").unwrap();
        std::fs::write(&mine, "now").unwrap();
        std::fs::create_dir(&dead_dir).unwrap();
        std::fs::write(dead_dir.join("a.xlsx"), "old").unwrap();
        std::fs::write(dir.path().join("keep.csv"), "user's").unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(clean_stale(dir.path()), 2);
            assert!(!dead.exists() && !dead_dir.exists());
        }
        assert!(mine.exists() && dir.path().join("keep.csv").exists());
    }

    #[test]
    fn registered_paths_are_removed_when_the_run_is_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.partial");
        let ((), guard) =
            create_registered(|| std::fs::write(&file, "x"), |()| file.clone()).unwrap();
        assert_eq!(guard.0, file);
        assert!(pending().paths.contains(&file));
        // What the signal handler does, on a registry of its own (the global one stays open for
        // the other tests).
        let mut interrupted = Pending {
            paths: pending().paths.clone(),
            closed: false,
        };
        interrupted.close();
        assert!(!file.exists() && interrupted.closed);
        drop(guard);
        assert!(!pending().paths.contains(&file));
        // A creation that fails registers nothing.
        let failed = create_registered(
            || Err::<(), _>(std::io::Error::other("no")),
            |()| dir.path().join("never"),
        );
        assert!(failed.is_err());
        assert!(!pending().paths.iter().any(|p| p.ends_with("never")));
    }
}
