//! Temporary files that must not outlive the run: a registry the binary's signal handler empties
//! on SIGINT or SIGTERM, and the cleaning of those that earlier runs, killed outright, left.
//!
//! Every temporary path is named `.subnet-calc-<pid>-<random>.partial`, so that a later run can
//! tell one whose process is gone (stale: removed) from one another run is writing right now
//! (left alone).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Paths (files, or staging directories) to remove if the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The start of this process's temporary names.
pub fn temp_prefix() -> String {
    format!(".subnet-calc-{}-", std::process::id())
}

/// The end of every temporary name.
pub const TEMP_SUFFIX: &str = ".partial";

/// A registered temporary path; unregistered when dropped (its owner removes it).
#[derive(Debug)]
pub struct Registered(PathBuf);

impl Registered {
    /// The path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut pending) = PENDING.lock()
            && let Some(at) = pending.iter().position(|p| *p == self.0)
        {
            pending.swap_remove(at);
        }
    }
}

/// Registers `path` for removal on interruption.
pub fn register(path: &Path) -> Registered {
    if let Ok(mut pending) = PENDING.lock() {
        pending.push(path.to_path_buf());
    }
    Registered(path.to_path_buf())
}

/// Removes every registered temporary path. For a signal handler: the run is ending.
pub fn remove_pending() {
    let pending = match PENDING.lock() {
        Ok(mut p) => std::mem::take(&mut *p),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    };
    for path in pending {
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
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
        std::fs::write(&file, "x").unwrap();
        let guard = register(&file);
        assert_eq!(guard.path(), file);
        remove_pending();
        assert!(!file.exists());
        drop(guard);
        assert!(PENDING.lock().unwrap().iter().all(|p| *p != file));
    }
}
