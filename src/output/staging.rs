//! Several files that appear together or not at all (one legacy workbook per scenario).
//!
//! [`Staging`] writes every file into a hidden staging directory beside the destinations, then
//! [`Staging::commit`] renames them into place; a file already there is first moved into the
//! staging directory, so that a failure half-way through the renames puts every destination back
//! as it was. The staging directory is removed when the `Staging` is dropped, is registered for
//! removal if the run is interrupted, and one that a killed run left is removed by the next run.

use std::io::Write;
use std::path::{Path, PathBuf};

use subnet_calc::error::Result;
use subnet_calc::write::write_error;

use crate::output::atomic::refuse_read_only;
use crate::output::cleanup::{self, Registered, TEMP_SUFFIX};

/// Files being prepared for a directory.
pub struct Staging {
    stage: PathBuf,
    files: Vec<(PathBuf, PathBuf)>,
    stale_removed: usize,
    _registered: Registered,
}

impl Staging {
    /// Starts preparing files for `dir`, which must exist.
    pub fn new(dir: &Path) -> Result<Self> {
        let stale_removed = cleanup::clean_stale(dir);
        let (stage, registered) = cleanup::create_registered(
            || {
                let mut n = 0u32;
                loop {
                    let candidate =
                        dir.join(format!("{}{}{TEMP_SUFFIX}", cleanup::temp_prefix(), n));
                    match std::fs::create_dir(&candidate) {
                        Ok(()) => break Ok(candidate),
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                            n += 1
                        }
                        Err(e) => break Err(e),
                    }
                }
            },
            PathBuf::clone,
        )
        .map_err(|e| write_error(dir, e))?;
        Ok(Staging {
            stage,
            files: Vec::new(),
            stale_removed,
            _registered: registered,
        })
    }

    /// How many temporary files of earlier, killed runs were removed from the directory.
    pub fn stale_removed(&self) -> usize {
        self.stale_removed
    }

    /// Prepares `destination` with `bytes`.
    pub fn add(&mut self, destination: &Path, bytes: &[u8]) -> Result<()> {
        refuse_read_only(destination)?;
        let staged = self.stage.join(format!("{}.new", self.files.len()));
        let fail = |e| write_error(destination, e);
        // Made with the interruption's cleanup held off: it could not remove a staging
        // directory a file is being created in.
        let mut file = cleanup::exclusive(|| std::fs::File::create(&staged)).map_err(fail)?;
        file.write_all(bytes).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        self.files.push((staged, destination.to_path_buf()));
        Ok(())
    }

    /// Moves every prepared file into place; on a failure, puts back every destination this
    /// commit had touched, and fails naming the file that could not be placed.
    pub fn commit(self) -> Result<()> {
        // An interruption waits until every file is in place (or every one put back).
        cleanup::exclusive(|| self.place_all())
    }

    fn place_all(&self) -> Result<()> {
        let mut done: Vec<(usize, Option<PathBuf>)> = Vec::new();
        for (i, (staged, destination)) in self.files.iter().enumerate() {
            let placed = (|| {
                let existing = std::fs::symlink_metadata(destination).ok();
                if existing.as_ref().is_some_and(|m| !m.is_file()) {
                    // Never move a directory, a device or a link aside: only files are replaced.
                    return Err(std::io::Error::other(
                        "something other than a file is in the way",
                    ));
                }
                let backup = if existing.is_some() {
                    let backup = self.stage.join(format!("{i}.old"));
                    std::fs::rename(destination, &backup)?;
                    Some(backup)
                } else {
                    None
                };
                if let Err(e) = std::fs::rename(staged, destination) {
                    if let Some(b) = &backup {
                        let _ = std::fs::rename(b, destination);
                    }
                    return Err(e);
                }
                Ok(backup)
            })();
            match placed {
                Ok(backup) => done.push((i, backup)),
                Err(e) => {
                    for (j, backup) in done.iter().rev() {
                        let destination = &self.files[*j].1;
                        let _ = std::fs::remove_file(destination);
                        if let Some(b) = backup {
                            let _ = std::fs::rename(b, destination);
                        }
                    }
                    return Err(write_error(destination, e));
                }
            }
        }
        if let Some(dir) = self.files.first().and_then(|(_, d)| d.parent())
            && let Ok(handle) = std::fs::File::open(dir)
        {
            let _ = handle.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.stage);
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
    fn files_appear_together_on_commit_and_not_at_all_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Staging::new(dir.path()).unwrap();
        s.add(&dir.path().join("a.xlsx"), b"a").unwrap();
        s.add(&dir.path().join("b.xlsx"), b"b").unwrap();
        assert!(names(dir.path()).iter().all(|n| n.ends_with(".partial")));
        drop(s);
        assert!(names(dir.path()).is_empty());
        let mut s = Staging::new(dir.path()).unwrap();
        std::fs::write(dir.path().join("a.xlsx"), "old").unwrap();
        s.add(&dir.path().join("a.xlsx"), b"a").unwrap();
        s.add(&dir.path().join("b.xlsx"), b"b").unwrap();
        s.commit().unwrap();
        assert_eq!(names(dir.path()), ["a.xlsx", "b.xlsx"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.xlsx")).unwrap(),
            "a"
        );
    }

    #[test]
    fn a_failure_half_way_puts_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xlsx"), "old a").unwrap();
        // The second destination cannot be placed: a non-empty directory is in its way.
        std::fs::create_dir(dir.path().join("c.xlsx")).unwrap();
        std::fs::write(dir.path().join("c.xlsx").join("x"), "").unwrap();
        let mut s = Staging::new(dir.path()).unwrap();
        s.add(&dir.path().join("a.xlsx"), b"new a").unwrap();
        s.add(&dir.path().join("b.xlsx"), b"new b").unwrap();
        s.add(&dir.path().join("c.xlsx"), b"new c").unwrap();
        let e = s.commit().unwrap_err().to_string();
        assert!(e.contains("c.xlsx"), "{e}");
        assert_eq!(names(dir.path()), ["a.xlsx", "c.xlsx"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.xlsx")).unwrap(),
            "old a"
        );
    }
}
