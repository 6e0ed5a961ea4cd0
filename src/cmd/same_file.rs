//! Inputs that are one file under two paths. Named twice on the command line (`a.xlsx a.xlsx`, a
//! file and a link to it, a directory twice), they are an error: which was meant is a guess, and
//! every scenario would be read twice. Met again inside a directory (`latest.xlsx -> v1.xlsx`
//! beside `v1.xlsx`, a hard link, a file named and also in a directory named), the file is read
//! once, and a note names both paths. A link that loops leads to no file: it is named in a
//! warning and skipped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use subnet_calc::Error;

/// What makes a file itself, whatever path leads to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    /// Its device and inode (hard links share them).
    #[cfg(unix)]
    Inode(u64, u64),
    /// Its path with every link resolved.
    #[cfg(not(unix))]
    Path(PathBuf),
}

/// The file `path` leads to; `None` when it leads to none (missing, a loop, unreadable): its
/// reader names that.
fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok().map(FileId::Path)
    }
}

/// Whether `path` is a symbolic link whose chain comes back on itself (or runs past 40 links, as
/// the system gives up then): it leads to no file.
pub fn is_link_loop(path: &Path) -> bool {
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut current = path.to_path_buf();
    for _ in 0..=40 {
        let Ok(target) = std::fs::read_link(&current) else {
            return false;
        };
        if seen.contains(&current) {
            return true;
        }
        seen.push(current.clone());
        current = match current.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    true
}

/// Refuses a file or directory named twice on the command line, under one path or two (a link):
/// its scenarios would all be read twice. Standard input (`-`) is left to its own check.
pub fn refuse_named_twice(names: &[String]) -> Result<()> {
    let mut seen: HashMap<FileId, &str> = HashMap::new();
    for name in names.iter().filter(|n| *n != "-") {
        let Some(id) = file_id(Path::new(name)) else {
            continue;
        };
        if let Some(first) = seen.get(&id) {
            let what = if first == name {
                format!("{name} is named twice")
            } else {
                format!("{name} is named twice (as {first} and as {name})")
            };
            anyhow::bail!(Error::Unsupported {
                what,
                hint: "name each input once".into(),
            });
        }
        seen.insert(id, name);
    }
    Ok(())
}

/// A file to read, as [`once_each`] sees it.
pub trait Found {
    /// Its path.
    fn path(&self) -> &str;
    /// Whether a directory listed it (rather than the command line naming it).
    fn listed(&self) -> bool;
}

/// `found` with each file kept once: of the paths that lead to it, the one the command line
/// names, else one that is not a link, else the first, in its own place. Returns a note for each
/// path left out, naming both.
pub fn once_each<T: Found>(found: Vec<T>) -> (Vec<T>, Vec<String>) {
    // Each file's paths, in the order met; the one read is chosen once all are known.
    let mut groups: Vec<Vec<T>> = Vec::with_capacity(found.len());
    let mut at: HashMap<FileId, usize> = HashMap::new();
    for item in found {
        let id = (item.path() != "-")
            .then(|| file_id(Path::new(item.path())))
            .flatten();
        if let Some(&i) = id.as_ref().and_then(|id| at.get(id)) {
            groups[i].push(item);
            continue;
        }
        if let Some(id) = id {
            at.insert(id, groups.len());
        }
        groups.push(vec![item]);
    }
    let rank = |f: &T| (!f.listed(), !is_link(f.path()));
    let mut notes = Vec::new();
    let mut chosen: Vec<T> = Vec::with_capacity(groups.len());
    for mut paths in groups {
        // The best rank, the first of them on a tie.
        let best = (0..paths.len())
            .rev()
            .max_by_key(|&i| rank(&paths[i]))
            .expect("a group holds a path");
        let read = paths.swap_remove(best);
        for other in &paths {
            notes.push(if other.path() == read.path() {
                format!(
                    "{} is named, and found again in a directory named; read once",
                    read.path()
                )
            } else {
                format!(
                    "{} and {} are the same file (a link); read once, as {}",
                    other.path(),
                    read.path(),
                    read.path()
                )
            });
        }
        chosen.push(read);
    }
    (chosen, notes)
}

fn is_link(path: &str) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    struct F(String, bool);

    impl Found for F {
        fn path(&self) -> &str {
            &self.0
        }
        fn listed(&self) -> bool {
            self.1
        }
    }

    #[test]
    fn a_file_met_again_through_a_link_is_kept_once_under_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(at("v0.xlsx"), "0").unwrap();
        std::fs::write(at("v1.xlsx"), "1").unwrap();
        std::os::unix::fs::symlink("v1.xlsx", at("latest.xlsx")).unwrap();
        std::fs::hard_link(at("v0.xlsx"), at("hard.xlsx")).unwrap();
        let found = ["hard.xlsx", "latest.xlsx", "v0.xlsx", "v1.xlsx"]
            .map(|n| F(at(n), true))
            .into_iter()
            .collect();
        let (kept, notes) = once_each(found);
        let kept: Vec<&str> = kept.iter().map(|f| f.path()).collect();
        assert_eq!(kept, [at("hard.xlsx"), at("v1.xlsx")]);
        let note = |other: &str, read: &str| {
            format!(
                "{} and {} are the same file (a link); read once, as {}",
                at(other),
                at(read),
                at(read)
            )
        };
        assert_eq!(
            notes,
            [note("v0.xlsx", "hard.xlsx"), note("latest.xlsx", "v1.xlsx")]
        );
        // Named on the command line, a file is read under that name.
        let (kept, _) = once_each(vec![F(at("v1.xlsx"), true), F(at("latest.xlsx"), false)]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].path(), at("latest.xlsx"));
        let (kept, notes) = once_each(vec![F(at("v1.xlsx"), false), F(at("v1.xlsx"), true)]);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            notes,
            [format!(
                "{} is named, and found again in a directory named; read once",
                at("v1.xlsx")
            )]
        );
    }

    #[test]
    fn loops_are_told_from_chains() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        std::os::unix::fs::symlink("b", at("a")).unwrap();
        std::os::unix::fs::symlink("a", at("b")).unwrap();
        std::os::unix::fs::symlink("self", at("self")).unwrap();
        std::fs::write(at("file"), "").unwrap();
        std::os::unix::fs::symlink("file", at("to-file")).unwrap();
        std::os::unix::fs::symlink("missing", at("dangling")).unwrap();
        assert!(is_link_loop(&at("a")));
        assert!(is_link_loop(&at("self")));
        assert!(!is_link_loop(&at("to-file")));
        assert!(!is_link_loop(&at("dangling")));
        assert!(!is_link_loop(&at("file")));
    }

    #[test]
    fn names_given_twice_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(at("a.xlsx"), "").unwrap();
        std::os::unix::fs::symlink("a.xlsx", at("link.xlsx")).unwrap();
        assert!(refuse_named_twice(&[at("a.xlsx"), "-".into(), "-".into()]).is_ok());
        let e = refuse_named_twice(&[at("a.xlsx"), at("a.xlsx")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{} is named twice (name each input once)", at("a.xlsx"))
        );
        let e = refuse_named_twice(&[at("a.xlsx"), at("link.xlsx")]).unwrap_err();
        assert!(
            e.to_string().contains("link.xlsx is named twice (as "),
            "{e}"
        );
        let e = refuse_named_twice(&[at(""), dir.path().display().to_string()]).unwrap_err();
        assert!(e.to_string().contains("is named twice"), "{e}");
    }
}
