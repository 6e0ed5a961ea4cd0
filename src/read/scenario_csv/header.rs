//! The scenario CSV's header: which column each known field is in.

use crate::error::{Error, Location, Result};
use crate::read::fields::close_matches;

use super::{COLUMNS, Level};

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
}

impl ColumnMap {
    /// The record index of `field`, when the header has it.
    pub(super) fn index_of(&self, field: Field) -> Option<usize> {
        self.present
            .iter()
            .find(|(f, _)| *f == field)
            .map(|&(_, index)| index)
    }

    /// Checks a header row (names matched without regard to case or surrounding blanks, in any
    /// order): unknown, duplicate and missing columns are errors at `at`; blank names are
    /// columns without a name (see [`ColumnMap::unnamed`]).
    pub(super) fn new<'a>(
        headers: impl IntoIterator<Item = &'a str>,
        at: &Location,
    ) -> Result<ColumnMap> {
        let known: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        let mut seen: Vec<String> = Vec::new();
        let mut present = Vec::new();
        let mut unnamed = Vec::new();
        for (index, raw) in headers.into_iter().enumerate() {
            let name = raw.trim().to_ascii_lowercase();
            if name.is_empty() {
                unnamed.push(index);
                continue;
            }
            let Some(position) = known.iter().position(|k| *k == name) else {
                let near = close_matches(&name, known.iter().copied());
                let hint = if near.is_empty() {
                    format!("the columns are: {}; see docs/formats.md", known.join(", "))
                } else {
                    format!("did you mean {}?", near.join(" or "))
                };
                return Err(Error::UnknownColumn {
                    location: at.clone(),
                    column: raw.to_owned(),
                    hint,
                });
            };
            if seen.contains(&name) {
                return Err(Error::DuplicateColumn {
                    location: at.clone(),
                    column: name,
                });
            }
            if COLUMNS[position].level != Level::Ignored {
                present.push((Field::ALL[position], index));
            }
            seen.push(name);
        }
        for column in COLUMNS.iter().filter(|c| c.required) {
            if !seen.iter().any(|s| s == column.name) {
                return Err(Error::MissingColumn {
                    location: at.clone(),
                    column: column.name.to_owned(),
                    hint:
                        "required: scenario, subnet_cidr, instance_type, instances, pods_per_node"
                            .into(),
                });
            }
        }
        Ok(ColumnMap { present, unnamed })
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
