//! How the header's names were read, when some are not the format's own (`Subnet CIDR`,
//! `# of Instances`, the report's `Node subnet(s)`: see
//! [`field_for_header`](crate::scenario::schema::field_for_header)): a [`HeaderNote`].

use std::fmt;

use crate::error::{Location, Quoted};

/// How the header names that are not the format's own were read: each as the column it stands
/// for. Printed on standard error as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderNote {
    /// The header row.
    pub location: Location,
    /// Each name as written, and the column read under it, in header order.
    pub readings: Vec<(String, &'static str)>,
}

impl fmt::Display for HeaderNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: header names read as columns: ", self.location)?;
        for (i, (written, column)) in self.readings.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} as {column}", Quoted(written))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_each_reading() {
        let note = HeaderNote {
            location: Location::line("s.csv", 1, None),
            readings: vec![
                ("Subnet CIDR".into(), "subnet_cidr"),
                ("# of Instances".into(), "instances"),
            ],
        };
        assert_eq!(
            note.to_string(),
            "s.csv:1: header names read as columns: \"Subnet CIDR\" as subnet_cidr, \
             \"# of Instances\" as instances"
        );
    }
}
