//! The scenario ids of a run, kept compactly, so that an id used twice (a scenario's rows apart
//! in one CSV, or the same id in two inputs) is an error naming both places, without holding the
//! scenarios themselves: a run of millions streams through in chunks.

use std::sync::Arc;

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

use crate::error::{Error, Location, Place, Result};
use crate::scenario::{LocatedScenario, Origin, Position};

/// Marks an entry's `seen` as an index into [`IdSet::others`] rather than a CSV line.
const OTHER: u64 = 1 << 63;

/// One id: where it starts in the arena (it ends where the next one starts) and where it was
/// first seen, a CSV line or, with [`OTHER`] set, an index into [`IdSet::others`]. Sixteen bytes:
/// a million ids are 16 MB of these.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u64,
    seen: u64,
}

/// The ids seen so far, in one string arena (no allocation per id), with where each was seen.
#[derive(Debug, Default)]
pub struct IdSet {
    arena: String,
    /// For each id: its place in the arena and where it was seen.
    ids: Vec<Entry>,
    /// Where the ids seen elsewhere than on a CSV line (a workbook sheet) were seen.
    others: Vec<Location>,
    /// The file of the ids from each index on, as (first index, file index): inputs come one
    /// after another, so this holds a run per input.
    file_runs: Vec<(u32, u32)>,
    /// Each id's index in `ids`, beside 32 bits of its hash: a lookup compares strings only when
    /// those agree, and growing the table rehashes without reading the ids (a million ids are
    /// claimed on the reading thread, which every batch waits for).
    table: HashTable<(u32, u32)>,
    hasher: DefaultHashBuilder,
    /// File names, so that a line costs two integers.
    files: Vec<Arc<str>>,
}

impl IdSet {
    /// An empty set.
    pub fn new() -> Self {
        IdSet::default()
    }

    /// Makes room for `ids` more ids of `bytes` bytes in all, so that a run whose size is known
    /// ahead does not grow (and rehash) the set id by id on its reading thread.
    pub fn reserve(&mut self, ids: usize, bytes: usize) {
        self.arena.reserve(bytes);
        self.ids.reserve(ids);
        self.table.reserve(ids, |&(_, h)| spread(h));
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Bytes of the ids added.
    pub fn arena_len(&self) -> usize {
        self.arena.len()
    }

    /// Whether no id was added.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn id(&self, index: u32) -> &str {
        let i = index as usize;
        let start = self.ids[i].start as usize;
        let end = self
            .ids
            .get(i + 1)
            .map_or(self.arena.len(), |next| next.start as usize);
        &self.arena[start..end]
    }

    /// Adds `id`, read at the start of `origin`. When it was seen before, nothing is added and
    /// the place where it was first seen is returned.
    pub fn insert(&mut self, id: &str, origin: &Origin) -> Option<Location> {
        self.insert_with(id, || match origin.scenario {
            Position::Line(line) => (Some(&origin.file), line, None),
            _ => (None, 0, Some(origin.scenario_location(None))),
        })
    }

    /// [`IdSet::insert`], with where the id is seen made only when it is new: a CSV line
    /// (`Some(file)`, line) or any other place.
    fn insert_with<'a>(
        &mut self,
        id: &str,
        seen: impl FnOnce() -> (Option<&'a Arc<str>>, u64, Option<Location>),
    ) -> Option<Location> {
        let short = self.short_hash(id);
        if let Some(i) = self.find(id, short) {
            return Some(self.place(i));
        }
        let index = u32::try_from(self.ids.len()).expect("fewer than 2^32 scenarios");
        let seen = match seen() {
            (Some(file), line, _) => {
                let file = self.file_index(file);
                if self.file_runs.last().is_none_or(|&(_, f)| f != file) {
                    self.file_runs.push((index, file));
                }
                line.min(OTHER - 1)
            }
            (None, _, location) => {
                self.others.push(location.expect("a place"));
                OTHER | (self.others.len() - 1) as u64
            }
        };
        self.ids.push(Entry {
            start: self.arena.len() as u64,
            seen,
        });
        self.arena.push_str(id);
        self.table
            .insert_unique(spread(short), (index, short), |&(_, h)| spread(h));
        None
    }

    /// 32 bits of `id`'s hash: what the table keeps of it.
    fn short_hash(&self, id: &str) -> u32 {
        (self.hasher.hash_one(id) >> 32) as u32
    }

    /// The index of `id`, whose short hash is `short`, if it was added.
    fn find(&self, id: &str, short: u32) -> Option<u32> {
        self.table
            .find(spread(short), |&(i, h)| h == short && self.id(i) == id)
            .map(|&(i, _)| i)
    }

    /// Adds the id of a scenario that starts on `line` of CSV `file`; see [`IdSet::claim`].
    pub fn claim_line(&mut self, id: &str, file: &Arc<str>, line: u64) -> Result<()> {
        match self.insert_with(id, || (Some(file), line, None)) {
            None => Ok(()),
            Some(first) => Err(taken(
                id,
                Location::line(&**file, line, Some("scenario")),
                first,
            )),
        }
    }

    /// Adds a scenario's id; an id seen before is an error naming both places: the rows of one
    /// scenario apart in a CSV ([`Error::ScenarioRowsApart`]), or one id in two places
    /// ([`Error::DuplicateScenario`]).
    pub fn claim(&mut self, s: &LocatedScenario) -> Result<()> {
        let Some(first) = self.insert(&s.scenario.id, &s.origin) else {
            return Ok(());
        };
        Err(taken(
            &s.scenario.id,
            s.origin.scenario_location(Some("scenario")),
            first,
        ))
    }

    /// Claims the ids of one input's scenarios (a workbook's) together: when any is taken, none
    /// is added, so that an input left out leaves no trace.
    pub fn claim_all(&mut self, scenarios: &[LocatedScenario]) -> Result<()> {
        self.check_all(scenarios)?;
        for s in scenarios {
            self.claim(s)?;
        }
        Ok(())
    }

    /// Fails, as [`IdSet::claim_all`] would, when one of the scenarios' ids is taken; adds none.
    pub fn check_all(&self, scenarios: &[LocatedScenario]) -> Result<()> {
        for s in scenarios {
            if let Some(first) = self.first_place(&s.scenario.id) {
                return Err(Error::DuplicateScenario {
                    location: s.origin.scenario_location(Some("scenario")),
                    scenario: s.scenario.id.to_string(),
                    first,
                });
            }
        }
        Ok(())
    }

    /// Where `id` was first seen, if it was.
    fn first_place(&self, id: &str) -> Option<Location> {
        let i = self.find(id, self.short_hash(id))?;
        Some(self.place(i))
    }

    /// Whether `id` was added.
    pub fn contains(&self, id: &str) -> bool {
        self.first_place(id).is_some()
    }

    fn file_index(&mut self, file: &Arc<str>) -> u32 {
        // Inputs come one after another: the last file is nearly always the one.
        if let Some(i) = self
            .files
            .iter()
            .rposition(|f| Arc::ptr_eq(f, file) || f == file)
        {
            return i as u32;
        }
        self.files.push(Arc::clone(file));
        (self.files.len() - 1) as u32
    }

    fn place(&self, index: u32) -> Location {
        let seen = self.ids[index as usize].seen;
        if seen & OTHER != 0 {
            return self.others[(seen & !OTHER) as usize].clone();
        }
        // The last run that starts at or before `index`.
        let run = self.file_runs.partition_point(|&(first, _)| first <= index) - 1;
        let file = self.file_runs[run].1;
        Location::line(&*self.files[file as usize], seen, None)
    }
}

/// The table's 64-bit hash from the 32 bits kept: multiplied by an odd constant, so that the low
/// bits (the bucket) stay those of the hash and the top bits (the table's tag) depend on all 32.
fn spread(short: u32) -> u64 {
    u64::from(short).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The error for `id`, seen `here`, when it was first seen at `first`: a scenario's rows apart
/// in one CSV, or one id in two places.
fn taken(id: &str, here: Location, first: Location) -> Error {
    match (&first.place, &here.place) {
        (Place::Line { line, .. }, Place::Line { .. }) if first.file == here.file => {
            Error::ScenarioRowsApart {
                location: here,
                scenario: id.to_owned(),
                first_line: *line,
            }
        }
        _ => Error::DuplicateScenario {
            location: here,
            scenario: id.to_owned(),
            first,
        },
    }
}

/// The file name without directory and extension, as scenario ids use it.
pub fn file_stem(name: &str) -> String {
    std::path::Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_seen_twice_names_where_it_was_first() {
        let a: Arc<str> = Arc::from("a.csv");
        let b: Arc<str> = Arc::from("b.csv");
        let mut ids = IdSet::new();
        assert_eq!(ids.insert("web", &Origin::line(&a, 2)), None);
        assert_eq!(ids.insert("api", &Origin::line(&a, 5)), None);
        assert_eq!(
            ids.insert("web", &Origin::line(&b, 9)).unwrap().to_string(),
            "a.csv:2"
        );
        assert!(ids.contains("api") && !ids.contains("batch"));
        assert_eq!(ids.len(), 2);
        // Many ids, one arena.
        for i in 0..10_000 {
            assert_eq!(
                ids.insert(&format!("s{i}"), &Origin::line(&b, i + 10)),
                None
            );
        }
        assert_eq!(
            ids.insert("s9999", &Origin::line(&a, 1))
                .unwrap()
                .to_string(),
            "b.csv:10009"
        );
        assert_eq!(ids.files.len(), 2);
        // Lines of files taken in turn, and a place that is not a line, each named as seen.
        let sheet = Location::file("team.xlsx");
        assert_eq!(
            ids.insert_with("wb", || (None, 0, Some(sheet.clone()))),
            None
        );
        assert_eq!(ids.insert("last", &Origin::line(&a, 77)), None);
        assert_eq!(
            ids.insert_with("wb", || (None, 0, Some(Location::file("x")))),
            Some(sheet)
        );
        assert_eq!(
            ids.insert("last", &Origin::line(&b, 1))
                .unwrap()
                .to_string(),
            "a.csv:77"
        );
        assert_eq!(
            ids.insert("api", &Origin::line(&b, 1)).unwrap().to_string(),
            "a.csv:5"
        );
        assert_eq!(ids.id(0), "web");
        assert_eq!(ids.file_runs, [(0, 0), (2, 1), (10_003, 0)]);
        assert_eq!(std::mem::size_of::<Entry>(), 16);
    }
}
