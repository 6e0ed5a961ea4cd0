//! Bad input reported all at once: the faults of every input file are collected (at most
//! `--max-errors`, then a count of the rest), in file and line order, and the run ends with all
//! of them and nothing written.

use std::fmt;

/// The faults found so far.
#[derive(Debug)]
pub struct Faults {
    errors: Vec<subnet_calc::Error>,
    /// Faults past the limit, counted.
    more: usize,
    max: usize,
}

impl Faults {
    /// Collects at most `max` faults.
    pub fn new(max: usize) -> Self {
        Faults {
            errors: Vec::new(),
            more: 0,
            max,
        }
    }

    /// Whether none was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.more == 0
    }

    /// Adds the faults of one batch of one file (they follow the earlier ones in file order),
    /// sorted by line.
    pub fn add(&mut self, mut faults: Vec<subnet_calc::Error>) {
        faults.sort_by_key(subnet_calc::Error::line);
        for fault in faults {
            if self.errors.len() < self.max {
                self.errors.push(fault);
            } else {
                self.more += 1;
            }
        }
    }

    /// `Ok` when none was found, else the list as the run's error.
    pub fn finish(self) -> anyhow::Result<()> {
        if self.is_empty() {
            return Ok(());
        }
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
