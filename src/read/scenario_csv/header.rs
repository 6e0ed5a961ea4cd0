//! The scenario CSV's header: which column each known field is in, and how its names were read
//! (see [`super::names`]).

use crate::error::{Error, Location, Result, UNKNOWN_NAMED, UnknownName};

use super::columns::{COLUMNS, Level};
use super::names::{self, HeaderNote, Reading};

/// The columns the reader takes values from, in [`COLUMNS`] order (`note` is not one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub(super) enum Field {
    Scenario,
    SubnetCidr,
    WarmEniTarget,
    WarmIpTarget,
    MinimumIpTarget,
    WarmPrefixTarget,
    PrefixDelegation,
    CustomNetworking,
    PodSubnetCidr,
    IpFamily,
    SecurityGroupsForPods,
    MaxEni,
    HostNetworkingIps,
    DaemonsetPods,
    MaxPodsRule,
    InstanceType,
    Instances,
    PodsPerNode,
    MaxPods,
    BranchEniPods,
}

/// How many [`Field`]s there are.
pub(super) const N_FIELDS: usize = 20;

impl Field {
    /// Every field, in [`COLUMNS`] order.
    const ALL: [Field; N_FIELDS] = [
        Field::Scenario,
        Field::SubnetCidr,
        Field::WarmEniTarget,
        Field::WarmIpTarget,
        Field::MinimumIpTarget,
        Field::WarmPrefixTarget,
        Field::PrefixDelegation,
        Field::CustomNetworking,
        Field::PodSubnetCidr,
        Field::IpFamily,
        Field::SecurityGroupsForPods,
        Field::MaxEni,
        Field::HostNetworkingIps,
        Field::DaemonsetPods,
        Field::MaxPodsRule,
        Field::InstanceType,
        Field::Instances,
        Field::PodsPerNode,
        Field::MaxPods,
        Field::BranchEniPods,
    ];

    /// The column's header name.
    pub(super) fn name(self) -> &'static str {
        COLUMNS[self as usize].name
    }
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

    /// Checks a header row (names read by [`names::read`], in any order): unknown names, else two
    /// names read as one column, else missing required columns, is an error at `at` (the unknown
    /// or missing ones all named in one error); blank names are columns without a name (see
    /// [`ColumnMap::unnamed`]).
    pub(super) fn new<'a>(
        headers: impl IntoIterator<Item = &'a str>,
        at: &Location,
    ) -> Result<ColumnMap> {
        // For each column of COLUMNS read so far: its record index and name as written.
        let mut seen: Vec<Option<(usize, &str)>> = vec![None; COLUMNS.len()];
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
            let position = match names::read(raw) {
                None => {
                    unknown.push(raw);
                    continue;
                }
                Some(Reading::Exact(position)) => position,
                Some(Reading::Written(position)) => {
                    readings.push((raw.trim().to_owned(), COLUMNS[position].name));
                    position
                }
            };
            if let Some(first) = seen[position] {
                clash.get_or_insert_with(|| twice(at, position, first, (index, raw)));
                continue;
            }
            seen[position] = Some((index, raw));
            if COLUMNS[position].level != Level::Ignored {
                present.push((Field::ALL[position], index));
            }
        }
        if !unknown.is_empty() {
            return Err(unknown_columns(at, &unknown));
        }
        if let Some(clash) = clash {
            return Err(clash);
        }
        let missing: Vec<String> = COLUMNS
            .iter()
            .zip(&seen)
            .filter(|(c, s)| c.required && s.is_none())
            .map(|(c, _)| c.name.to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingColumns {
                location: at.clone(),
                columns: missing,
                hint: "required: scenario, subnet_cidr, instance_type, instances, pods_per_node"
                    .into(),
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

/// The error for a second name read as the column `position`: the same name twice, or two
/// names that stand for one column (each with its record index).
fn twice(at: &Location, position: usize, first: (usize, &str), second: (usize, &str)) -> Error {
    let same = first.1.trim().eq_ignore_ascii_case(second.1.trim());
    if same {
        return Error::DuplicateColumn {
            location: at.clone(),
            column: second.1.trim().to_ascii_lowercase(),
        };
    }
    Error::AmbiguousColumns {
        location: at.clone(),
        column: COLUMNS[position].name,
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
                names::near(name)
            } else {
                Vec::new()
            },
        })
        .collect();
    Error::UnknownColumns {
        location: at.clone(),
        columns,
        known: COLUMNS.iter().map(|c| c.name).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_the_columns() {
        assert_eq!(
            COLUMNS.iter().filter(|c| c.level != Level::Ignored).count(),
            N_FIELDS
        );
        for f in Field::ALL {
            assert_eq!(Field::ALL[f as usize], f);
            assert_ne!(COLUMNS[f as usize].level, Level::Ignored, "{}", f.name());
        }
        assert_eq!(Field::BranchEniPods.name(), "branch_eni_pods");
    }

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
