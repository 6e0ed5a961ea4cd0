//! Bad input reported all at once: the faults of every input file are collected (at most
//! `--max-errors`, then a count of the rest), and the run ends with all of them and nothing
//! written.
//!
//! They are listed by file, in the order the files were given: the `--catalog` files first (an
//! instance type a broken catalogue lacks shows up in the inputs), then the inputs as named on the
//! command line (a directory's workbooks in name order); within a file, by line (a workbook's
//! faults in the order they were found).

use std::collections::HashMap;
use std::fmt;

/// The faults found so far.
#[derive(Debug)]
pub struct Faults {
    errors: Vec<subnet_calc::Error>,
    /// Faults past the limit, counted.
    more: usize,
    max: usize,
    /// Each file's place in the order the files were given.
    order: HashMap<String, usize>,
    /// Unknown instance types and missing catalogues left out (a catalogue could not be read).
    without_lookups: bool,
}

impl Faults {
    /// Collects at most `max` faults.
    pub fn new(max: usize) -> Self {
        Faults {
            errors: Vec::new(),
            more: 0,
            max,
            order: HashMap::new(),
            without_lookups: false,
        }
    }

    /// Leaves out the faults that checking against a catalogue gives (unknown instance types, no
    /// catalogue): once a catalogue could not be read, they would be mostly its fault, and they
    /// are checked again when it is fixed.
    pub fn without_lookups(mut self) -> Self {
        self.without_lookups = true;
        self
    }

    /// Lists the faults in the order of `files` (as the faults' locations name them); faults of
    /// other files come after theirs.
    pub fn ordered_by<'a>(mut self, files: impl IntoIterator<Item = &'a str>) -> Self {
        self.then_order(files);
        self
    }

    /// Lists the faults of `files` after those of the files given before, in their order.
    pub fn then_order<'a>(&mut self, files: impl IntoIterator<Item = &'a str>) {
        for file in files {
            let next = self.order.len();
            self.order.entry(file.to_owned()).or_insert(next);
        }
    }

    /// Whether none was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.more == 0
    }

    /// Adds faults, in any order.
    pub fn add(&mut self, faults: Vec<subnet_calc::Error>) {
        let lookups = self.without_lookups;
        self.errors.extend(faults.into_iter().filter(|e| {
            !(lookups
                && matches!(
                    e,
                    subnet_calc::Error::UnknownInstanceType { .. }
                        | subnet_calc::Error::NoCatalog { .. }
                ))
        }));
        // Memory holds at most twice the limit: the first `max` in order are kept.
        if self.errors.len() > self.max.saturating_mul(2).max(64) {
            self.sort_and_cut();
        }
    }

    /// Sorts the faults and keeps the first `max`, counting the others.
    fn sort_and_cut(&mut self) {
        let order = &self.order;
        self.errors.sort_by_cached_key(|e| {
            let file = e
                .location()
                .and_then(|l| order.get(&l.file))
                .copied()
                .unwrap_or(usize::MAX);
            (file, e.line())
        });
        if self.errors.len() > self.max {
            self.more += self.errors.len() - self.max;
            self.errors.truncate(self.max);
        }
    }

    /// `Ok` when none was found, else the list as the run's error.
    pub fn finish(mut self) -> anyhow::Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        self.sort_and_cut();
        Err(FaultList {
            errors: self.errors,
            more: self.more,
        }
        .into())
    }
}

/// Several faults of the input, reported together (exit status 2).
#[derive(Debug)]
pub struct FaultList {
    /// The faults shown, in file and line order.
    pub errors: Vec<subnet_calc::Error>,
    /// How many more there were.
    pub more: usize,
}

impl fmt::Display for FaultList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<String> = self.errors.iter().map(ToString::to_string).collect();
        write!(f, "{}", messages.join("\n"))?;
        if self.more > 0 {
            write!(f, "\nand {} more (--max-errors N shows more)", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for FaultList {}
