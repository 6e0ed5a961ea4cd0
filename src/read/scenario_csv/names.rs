//! How a header name is read: as the column it names, written as the format writes it
//! (`subnet_cidr`, in any case), in other spacing, case or punctuation (`Subnet CIDR`), or as people
//! and the legacy workbook name it (`# of Instances`, the column's [`Column::aliases`], and the
//! report's Inputs header for it, `Node subnet(s)`). Names read the second or third way are
//! listed in a [`HeaderNote`].
//!
//! [`Column::aliases`]: super::Column::aliases

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::error::{Location, Quoted};
use crate::report_layout::INPUT_COLUMNS;
use crate::text::close_matches;

use super::columns::{COLUMNS, Column};

/// A name reduced to what is compared: its letters and digits, in lower case (`# of Instances`
/// is `ofinstances`, `subnet_cidr` and `Subnet CIDR` are `subnetcidr`).
pub(super) fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The names `column` is read under: its own, its aliases and its header on the report's Inputs
/// sheet.
fn names_of(column: &Column) -> impl Iterator<Item = &'static str> {
    let report = INPUT_COLUMNS
        .iter()
        .filter(move |c| c.name == column.name)
        .map(|c| c.header);
    std::iter::once(column.name)
        .chain(column.aliases.iter().copied())
        .chain(report)
}

/// Every name a column is read under ([`names_of`]), normalized, with the column's index in
/// [`COLUMNS`].
fn names() -> &'static HashMap<String, usize> {
    static NAMES: OnceLock<HashMap<String, usize>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = HashMap::new();
        for (index, column) in COLUMNS.iter().enumerate() {
            for name in names_of(column) {
                names.insert(normalized(name), index);
            }
        }
        names
    })
}

/// How a header name was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// The column's own name, in any case, with blanks around it.
    Exact(usize),
    /// Another way of writing a column's name (other spacing, case or punctuation, an alias, the
    /// report's header): worth a note.
    Written(usize),
}

/// The column (its index in [`COLUMNS`]) `name` is read as, and how; `None` for a name the
/// format does not know.
pub(super) fn read(name: &str) -> Option<Reading> {
    let name = name.trim();
    if let Some(index) = COLUMNS
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case(name))
    {
        return Some(Reading::Exact(index));
    }
    names().get(&normalized(name)).map(|&i| Reading::Written(i))
}

/// Whether `name` is read as a column (for telling the separator from the header line).
pub(super) fn is_known(name: &str) -> bool {
    read(name).is_some()
}

/// Up to three columns whose names (or other names) are close to `name`, closest first, for a
/// "did you mean" hint.
pub(super) fn near(name: &str) -> Vec<&'static str> {
    let mut columns: Vec<&'static str> = Vec::new();
    let candidates = names().keys().map(String::as_str);
    for close in close_matches(&normalized(name), candidates) {
        let column = COLUMNS[names()[close]].name;
        if !columns.contains(&column) {
            columns.push(column);
        }
    }
    columns
}

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
    fn names_lose_case_blanks_and_punctuation() {
        assert_eq!(normalized(" Subnet CIDR "), "subnetcidr");
        assert_eq!(normalized("subnet_cidr"), "subnetcidr");
        assert_eq!(normalized("# of Instances"), "ofinstances");
        assert_eq!(normalized("Pods/Node"), "podsnode");
        assert_eq!(normalized("Größe"), "größe");
    }

    #[test]
    fn every_name_stands_for_one_column() {
        // No alias or report header of one column reads as another column's name.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for column in COLUMNS {
            for name in names_of(column) {
                let key = normalized(name);
                assert!(!key.is_empty(), "{name:?} of {}", column.name);
                if let Some(other) = seen.insert(key, column.name) {
                    assert_eq!(other, column.name, "{name:?} reads as both");
                }
            }
        }
    }

    #[test]
    fn the_legacy_sheets_and_the_reports_headers_are_read() {
        let column = |name: &str| match read(name) {
            Some(Reading::Exact(i)) | Some(Reading::Written(i)) => COLUMNS[i].name,
            None => panic!("{name:?} is not read"),
        };
        for (name, expected) in [
            ("Subnet CIDR Size", "subnet_cidr"),
            ("WARM_ENI_TARGET", "warm_eni_target"),
            ("WARM_IP_TARGET", "warm_ip_target"),
            ("MINIMUM_IP_TARGET", "minimum_ip_target"),
            ("Host Networking IPs", "host_networking_ips"),
            ("Daemonset Pods", "daemonset_pods"),
            ("instance type", "instance_type"),
            ("# of Instances", "instances"),
            ("Target Workload Pods per Node", "pods_per_node"),
            ("Prefix Delegation", "prefix_delegation"),
            ("Max Pods", "max_pods"),
        ] {
            assert_eq!(column(name), expected, "{name}");
        }
        // Every Inputs header of the report but the subnet size, which is not a CSV column.
        for c in INPUT_COLUMNS.iter().filter(|c| c.name != "prefix_len") {
            assert_eq!(column(c.header), c.name, "{}", c.header);
        }
        assert_eq!(read("Subnet size (/n)"), None);
    }

    #[test]
    fn exact_names_are_not_noted_other_spellings_are() {
        assert_eq!(read(" SUBNET_CIDR "), Some(Reading::Exact(1)));
        assert_eq!(read("Subnet-CIDR"), Some(Reading::Written(1)));
        assert_eq!(read("colour"), None);
        assert_eq!(read("#"), None);
        assert!(is_known("pods/node") && !is_known("pods_per_nod"));
    }

    #[test]
    fn close_names_are_suggested_once_per_column() {
        assert_eq!(near("pods_per_nod")[0], "pods_per_node");
        assert_eq!(near("Warm ENI")[0], "warm_eni_target");
        assert_eq!(near("# of Instnces")[0], "instances");
        assert!(near("colour").is_empty());
    }

    #[test]
    fn docs_formats_lists_every_alias() {
        let docs = include_str!("../../../docs/formats.md");
        let (_, section) = docs.split_once("### Header names").unwrap();
        for column in COLUMNS.iter().filter(|c| !c.aliases.is_empty()) {
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` | ", column.name)))
                .unwrap_or_else(|| panic!("docs/formats.md has no alias row for {}", column.name));
            for alias in column.aliases {
                assert!(
                    row.to_lowercase().contains(alias),
                    "docs/formats.md: {alias:?} is not in the row of {}",
                    column.name
                );
            }
        }
    }

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
