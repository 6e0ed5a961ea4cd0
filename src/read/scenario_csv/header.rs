//! The scenario CSV's header: which column each field of the schema is in, and how its names
//! were read (see [`schema::field_for_header`]).

use crate::error::{Error, Location, Result, UNKNOWN_NAMED, UnknownName};
use crate::scenario::schema::{self, Field, HeaderMatch, Level};

use super::names::HeaderNote;

/// Whether `name` is read as a column (for telling the separator from the header line).
pub(super) fn is_known(name: &str) -> bool {
    schema::field_for_header(name).is_some()
}

/// Where each field is in a record: the header row, checked.
#[derive(Debug, Clone, Default)]
pub(super) struct ColumnMap {
    /// Field and its index in the record, for the fields the header has.
    pub(super) present: Vec<(Field, usize)>,
    /// The record indexes of columns whose header is blank (the empty columns a spreadsheet
    /// adds at the end): their cells must be blank too.
    pub(super) unnamed: Vec<usize>,
    /// How the names that are not the format's own were read, when there are any.
    pub(super) note: Option<HeaderNote>,
}

impl ColumnMap {
    /// The record index of `field`, when the header has it.
    pub(super) fn index_of(&self, field: Field) -> Option<usize> {
        self.present
            .iter()
            .find(|(f, _)| *f == field)
            .map(|&(_, index)| index)
    }

    /// Checks a header row (names read by [`schema::field_for_header`], in any order): unknown
    /// names, else two names read as one column, else missing required columns, is an error at
    /// `at` (the unknown or missing ones all named in one error); blank names are columns
    /// without a name (see [`ColumnMap::unnamed`]).
    pub(super) fn new<'a>(
        headers: impl IntoIterator<Item = &'a str>,
        at: &Location,
    ) -> Result<ColumnMap> {
        // For each field read so far: its record index and name as written.
        let mut seen: [Option<(usize, &str)>; Field::COUNT] = [None; Field::COUNT];
        let mut present = Vec::new();
        let mut unnamed = Vec::new();
        let mut unknown = Vec::new();
        let mut readings = Vec::new();
        // The first name read as a column read already.
        let mut clash = None;
        for (index, raw) in headers.into_iter().enumerate() {
            if raw.trim().is_empty() {
                unnamed.push(index);
                continue;
            }
            let field = match schema::field_for_header(raw) {
                None => {
                    unknown.push(raw);
                    continue;
                }
                Some((field, HeaderMatch::Exact)) => field,
                Some((field, HeaderMatch::Written)) => {
                    readings.push((raw.trim().to_owned(), field.name()));
                    field
                }
            };
            if let Some(first) = seen[field as usize] {
                clash.get_or_insert_with(|| twice(at, field, first, (index, raw)));
                continue;
            }
            seen[field as usize] = Some((index, raw));
            if field.spec().level != Level::Ignored {
                present.push((field, index));
            }
        }
        if !unknown.is_empty() {
            return Err(unknown_columns(at, &unknown));
        }
        if let Some(clash) = clash {
            return Err(clash);
        }
        let missing: Vec<String> = Field::required()
            .filter(|f| seen[*f as usize].is_none())
            .map(|f| f.name().to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns {
                location: at.clone(),
                columns: missing,
                hint: format!("required: {}", schema::required_names()),
            });
        }
        let note = (!readings.is_empty()).then(|| HeaderNote {
            location: at.clone(),
            readings,
        });
        Ok(ColumnMap {
            present,
            unnamed,
            note,
        })
    }
}

/// The error for a second name read as `field`: the same name twice, or two names that stand for
/// one column (each with its record index).
fn twice(at: &Location, field: Field, first: (usize, &str), second: (usize, &str)) -> Error {
    let same = first.1.trim().eq_ignore_ascii_case(second.1.trim());
    if same {
        return Error::DuplicateColumn {
            location: at.clone(),
            column: second.1.trim().to_ascii_lowercase(),
        };
    }
    Error::AmbiguousColumns {
        location: at.clone(),
        column: field.name(),
        first: (first.0 + 1, first.1.trim().to_owned()),
        second: (second.0 + 1, second.1.trim().to_owned()),
    }
}

/// The error naming every unknown name of a header (with "did you mean" for those the message
/// lists).
fn unknown_columns(at: &Location, unknown: &[&str]) -> Error {
    let columns = unknown
        .iter()
        .enumerate()
        .map(|(i, name)| UnknownName {
            name: (*name).to_owned(),
            near: if i < UNKNOWN_NAMED {
                schema::close_fields(name)
                    .into_iter()
                    .map(Field::name)
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    Error::UnknownColumns {
        location: at.clone(),
        columns,
        known: Field::ALL.iter().map(|f| f.name()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_maps_fields_to_record_indexes() {
        let at = Location::line("s.csv", 1, None);
        let map = ColumnMap::new(
            [
                " Pods_Per_Node",
                "note",
                "scenario",
                "subnet_cidr",
                "instance_type",
                "instances",
            ],
            &at,
        )
        .unwrap();
        assert_eq!(
            map.present,
            [
                (Field::PodsPerNode, 0),
                (Field::Scenario, 2),
                (Field::SubnetCidr, 3),
                (Field::InstanceType, 4),
                (Field::Instances, 5)
            ]
        );
        assert!(map.unnamed.is_empty());
        let names = [
            "scenario",
            "subnet_cidr",
            "instance_type",
            "instances",
            "pods_per_node",
        ];
        let map = ColumnMap::new(names.into_iter().chain(["", " "]), &at).unwrap();
        assert_eq!(map.unnamed, [5, 6]);
        assert_eq!(map.present.len(), 5);
    }
}
