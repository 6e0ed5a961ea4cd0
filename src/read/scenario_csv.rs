//! The scenario CSV: one row per node group; rows sharing a `scenario` id form one scenario.
//!
//! Header names are matched without regard to case or surrounding blanks, in any order. The
//! columns are listed in [`COLUMNS`] and documented in `docs/formats.md`. Scenario-level values
//! may be left blank on all rows of a scenario but one; two rows that disagree are an error naming
//! both lines. A UTF-8 byte-order mark and CRLF line ends are accepted.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::read::fields::{self, close_matches};
use std::sync::Arc;

use crate::scenario::{
    CniSettings, IpFamily, LocatedScenario, NodeGroup, Origin, Position, Scenario, Subnet,
    format_subnets,
};

/// Whether a column describes the whole scenario or one node group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The same for every row of a scenario.
    Scenario,
    /// Per row: one node group.
    NodeGroup,
    /// Free text, ignored by the tool.
    Ignored,
}

/// A column of the scenario CSV.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header name, lower case.
    pub name: &'static str,
    /// Scenario- or node-group-level.
    pub level: Level,
    /// Whether the header must have it.
    pub required: bool,
}

const fn col(name: &'static str, level: Level, required: bool) -> Column {
    Column {
        name,
        level,
        required,
    }
}

/// Every column the scenario CSV takes, in the order the writer emits them.
pub const COLUMNS: &[Column] = &[
    col("scenario", Level::Scenario, true),
    col("subnet_cidr", Level::Scenario, true),
    col("warm_eni_target", Level::Scenario, false),
    col("warm_ip_target", Level::Scenario, false),
    col("minimum_ip_target", Level::Scenario, false),
    col("warm_prefix_target", Level::Scenario, false),
    col("prefix_delegation", Level::Scenario, false),
    col("custom_networking", Level::Scenario, false),
    col("pod_subnet_cidr", Level::Scenario, false),
    col("ip_family", Level::Scenario, false),
    col("security_groups_for_pods", Level::Scenario, false),
    col("max_eni", Level::Scenario, false),
    col("host_networking_ips", Level::Scenario, false),
    col("daemonset_pods", Level::Scenario, false),
    col("instance_type", Level::NodeGroup, true),
    col("instances", Level::NodeGroup, true),
    col("pods_per_node", Level::NodeGroup, true),
    col("max_pods", Level::NodeGroup, false),
    col("branch_eni_pods", Level::NodeGroup, false),
    col("note", Level::Ignored, false),
];

/// One CSV record, every field as text borrowed from the record (`None` when blank).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRow<'a> {
    #[serde(borrow)]
    scenario: Option<&'a str>,
    #[serde(borrow)]
    subnet_cidr: Option<&'a str>,
    #[serde(borrow)]
    warm_eni_target: Option<&'a str>,
    #[serde(borrow)]
    warm_ip_target: Option<&'a str>,
    #[serde(borrow)]
    minimum_ip_target: Option<&'a str>,
    #[serde(borrow)]
    warm_prefix_target: Option<&'a str>,
    #[serde(borrow)]
    prefix_delegation: Option<&'a str>,
    #[serde(borrow)]
    custom_networking: Option<&'a str>,
    #[serde(borrow)]
    pod_subnet_cidr: Option<&'a str>,
    #[serde(borrow)]
    ip_family: Option<&'a str>,
    #[serde(borrow)]
    security_groups_for_pods: Option<&'a str>,
    #[serde(borrow)]
    max_eni: Option<&'a str>,
    #[serde(borrow)]
    host_networking_ips: Option<&'a str>,
    #[serde(borrow)]
    daemonset_pods: Option<&'a str>,
    #[serde(borrow)]
    instance_type: Option<&'a str>,
    #[serde(borrow)]
    instances: Option<&'a str>,
    #[serde(borrow)]
    pods_per_node: Option<&'a str>,
    #[serde(borrow)]
    max_pods: Option<&'a str>,
    #[serde(borrow)]
    branch_eni_pods: Option<&'a str>,
}

impl RawRow<'_> {
    fn is_blank(&self) -> bool {
        [
            &self.scenario,
            &self.subnet_cidr,
            &self.warm_eni_target,
            &self.warm_ip_target,
            &self.minimum_ip_target,
            &self.warm_prefix_target,
            &self.prefix_delegation,
            &self.custom_networking,
            &self.pod_subnet_cidr,
            &self.ip_family,
            &self.security_groups_for_pods,
            &self.max_eni,
            &self.host_networking_ips,
            &self.daemonset_pods,
            &self.instance_type,
            &self.instances,
            &self.pods_per_node,
            &self.max_pods,
            &self.branch_eni_pods,
        ]
        .iter()
        .all(|f| f.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// A scenario-level value and the line that set it.
struct Settled<T> {
    value: T,
    line: u64,
}

/// How a settled value is shown in a message (without keeping the text of every row).
trait Shown {
    fn shown(&self) -> String;
}

impl Shown for u32 {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for bool {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for IpFamily {
    fn shown(&self) -> String {
        self.as_str().to_owned()
    }
}

impl Shown for Vec<Subnet> {
    fn shown(&self) -> String {
        format_subnets(self)
    }
}

/// Scenario-level values gathered over a scenario's rows.
#[derive(Default)]
struct Pending {
    id: String,
    first_line: u64,
    subnets: Option<Settled<Vec<Subnet>>>,
    pod_subnets: Option<Settled<Vec<Subnet>>>,
    warm_eni_target: Option<Settled<u32>>,
    warm_ip_target: Option<Settled<u32>>,
    minimum_ip_target: Option<Settled<u32>>,
    warm_prefix_target: Option<Settled<u32>>,
    prefix_delegation: Option<Settled<bool>>,
    custom_networking: Option<Settled<bool>>,
    security_groups_for_pods: Option<Settled<bool>>,
    max_eni: Option<Settled<u32>>,
    ip_family: Option<Settled<IpFamily>>,
    host_networking_ips: Option<Settled<u32>>,
    daemonset_pods: Option<Settled<u32>>,
    node_groups: Vec<NodeGroup>,
    node_group_lines: Vec<Position>,
}

/// Reads a scenario CSV from memory. `name` names the file in messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Vec<LocatedScenario>> {
    let bytes = &*crate::read::lf_line_ends(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header_at = Location::line(name, 1, None);
    let headers = reader
        .headers()
        .map_err(|e| csv_error(name, &e, bytes))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::NoScenarios {
            location: Location::file(name),
            hint: "the file is empty; the header row needs at least scenario, subnet_cidr, instance_type, instances, pods_per_node".into(),
        });
    }
    let normalized = normalize_headers(&headers, &header_at)?;
    reader.set_headers(normalized);

    let mut order: Vec<Pending> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(name, &e, bytes)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let raw: RawRow<'_> = record
            .deserialize(Some(
                reader.headers().map_err(|e| csv_error(name, &e, bytes))?,
            ))
            .map_err(|e| csv_error(name, &e, bytes))?;
        if raw.is_blank() {
            continue;
        }
        let at = |column: &str| Location::line(name, line, Some(column));
        let id = raw
            .scenario
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::MissingValue {
                location: at("scenario"),
                hint: "every row needs the id of the scenario it belongs to".into(),
            })?;
        // Most rows continue a scenario already seen: look it up without allocating.
        let slot = match index.get(id) {
            Some(&slot) => slot,
            None => {
                index.insert(id.to_owned(), order.len());
                order.push(Pending {
                    id: id.to_owned(),
                    first_line: line,
                    ..Pending::default()
                });
                order.len() - 1
            }
        };
        add_row(&mut order[slot], &raw, name, line)?;
    }
    if order.is_empty() {
        return Err(Error::NoScenarios {
            location: Location::file(name),
            hint: "the header is there but no row follows".into(),
        });
    }
    let file: Arc<str> = Arc::from(name);
    order.into_iter().map(|p| finish(p, &file)).collect()
}

/// Lower-cases and checks the header row: unknown, duplicate and missing columns are errors.
fn normalize_headers(headers: &csv::StringRecord, at: &Location) -> Result<csv::StringRecord> {
    let known: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let mut seen = Vec::new();
    for raw in headers {
        let name = raw.trim().to_ascii_lowercase();
        if !known.contains(&name.as_str()) {
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
        }
        if seen.contains(&name) {
            return Err(Error::DuplicateColumn {
                location: at.clone(),
                column: name,
            });
        }
        seen.push(name);
    }
    for column in COLUMNS.iter().filter(|c| c.required) {
        if !seen.iter().any(|s| s == column.name) {
            return Err(Error::MissingColumn {
                location: at.clone(),
                column: column.name.to_owned(),
                hint: "required: scenario, subnet_cidr, instance_type, instances, pods_per_node"
                    .into(),
            });
        }
    }
    Ok(seen.into_iter().collect())
}

fn csv_error(name: &str, e: &csv::Error, bytes: &[u8]) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len,
            len,
            pos,
        } => {
            // A quote left open swallows separators and line ends up to the next quote.
            let start = pos
                .as_ref()
                .map_or(0, |p| p.byte() as usize)
                .min(bytes.len());
            let record = bytes[start..]
                .split(|&b| b == b'\n')
                .next()
                .unwrap_or_default();
            let hint = if record.contains(&b'"') {
                " (check for a quote left open)"
            } else {
                ""
            };
            let fields = if *len == 1 {
                "1 field".to_owned()
            } else {
                format!("{len} fields")
            };
            format!("{fields} where the header has {expected_len}{hint}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text (save the file as UTF-8 CSV)".into(),
        _ => e.to_string(),
    };
    let location = if line == 0 {
        Location::file(name)
    } else {
        Location::line(name, line, None)
    };
    Error::MalformedCsv { location, message }
}

/// Parses a `;`-separated subnet list.
fn parse_subnets(text: &str, location: &Location) -> Result<Vec<Subnet>> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Subnet>().map_err(|reason| Error::BadCidr {
                location: location.clone(),
                found: s.to_owned(),
                reason,
            })
        })
        .collect()
}

fn parse_ip_family(text: &str, location: &Location) -> Result<IpFamily> {
    match text.trim().to_ascii_lowercase().as_str() {
        "ipv4" | "4" => Ok(IpFamily::Ipv4),
        "ipv6" | "6" => Ok(IpFamily::Ipv6),
        _ => Err(Error::InvalidValue {
            location: location.clone(),
            found: text.to_owned(),
            expected: "ipv4 or ipv6".into(),
        }),
    }
}

/// Settles a scenario-level value: the first non-blank value wins and later ones must agree.
fn settle<T: PartialEq + Shown>(
    slot: &mut Option<Settled<T>>,
    text: Option<&str>,
    parse: impl Fn(&str, &Location) -> Result<T>,
    scenario: &str,
    name: &str,
    line: u64,
    column: &str,
) -> Result<()> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    let location = || Location::line(name, line, Some(column));
    let value = fields::lazily(text, parse, location)?;
    match slot {
        None => *slot = Some(Settled { value, line }),
        Some(first) if first.value != value => {
            return Err(Error::ConflictingScenarioValue {
                location: location(),
                scenario: scenario.to_owned(),
                column: column.to_owned(),
                first_line: first.line,
                first: first.value.shown(),
                second: text.to_owned(),
            });
        }
        Some(_) => {}
    }
    Ok(())
}

fn add_row(p: &mut Pending, raw: &RawRow<'_>, name: &str, line: u64) -> Result<()> {
    let id = std::mem::take(&mut p.id);
    let result = add_fields(p, raw, name, line, &id);
    p.id = id;
    result
}

/// [`add_row`]'s work, with the scenario id moved out of `p` so that `p` can be borrowed mutably.
fn add_fields(p: &mut Pending, raw: &RawRow<'_>, name: &str, line: u64, id: &str) -> Result<()> {
    let whole = |t: &str, l: &Location| fields::whole(t, l);
    let boolean = |t: &str, l: &Location| fields::boolean(t, l);
    macro_rules! settle_field {
        ($field:ident, $parse:expr) => {
            settle(
                &mut p.$field,
                raw.$field,
                $parse,
                id,
                name,
                line,
                stringify!($field),
            )?
        };
    }
    settle(
        &mut p.subnets,
        raw.subnet_cidr,
        parse_subnets,
        id,
        name,
        line,
        "subnet_cidr",
    )?;
    settle(
        &mut p.pod_subnets,
        raw.pod_subnet_cidr,
        parse_subnets,
        id,
        name,
        line,
        "pod_subnet_cidr",
    )?;
    settle_field!(warm_eni_target, whole);
    settle_field!(warm_ip_target, whole);
    settle_field!(minimum_ip_target, whole);
    settle_field!(warm_prefix_target, whole);
    settle_field!(prefix_delegation, boolean);
    settle_field!(custom_networking, boolean);
    settle_field!(security_groups_for_pods, boolean);
    settle_field!(max_eni, whole);
    settle_field!(ip_family, parse_ip_family);
    settle_field!(host_networking_ips, whole);
    settle_field!(daemonset_pods, whole);

    let at = |column: &str| Location::line(name, line, Some(column));
    let required = |value: &Option<&str>, column: &str, hint: &str| -> Result<String> {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| Error::MissingValue {
                location: at(column),
                hint: hint.to_owned(),
            })
    };
    let instance_type = required(
        &raw.instance_type,
        "instance_type",
        "an EC2 instance type such as m5.large",
    )?;
    let instances = fields::lazily(
        required(
            &raw.instances,
            "instances",
            "the number of instances in the node group",
        )?
        .as_str(),
        fields::whole,
        || at("instances"),
    )?;
    let pods_per_node = fields::lazily(
        required(
            &raw.pods_per_node,
            "pods_per_node",
            "workload pods per node",
        )?
        .as_str(),
        fields::whole,
        || at("pods_per_node"),
    )?;
    let max_pods = fields::lazily(raw.max_pods, fields::opt_whole, || at("max_pods"))?;
    if max_pods == Some(0) {
        return Err(Error::InvalidNumber {
            location: at("max_pods"),
            found: "0".into(),
            expected:
                "kubelet's --max-pods, at least 1 (leave it blank to use the max-pods calculator)"
                    .into(),
        });
    }
    let branch_eni_pods = fields::lazily(raw.branch_eni_pods, fields::opt_whole, || {
        at("branch_eni_pods")
    })?
    .unwrap_or(0);
    p.node_groups.push(NodeGroup {
        instance_type,
        instances,
        pods_per_node,
        max_pods,
        branch_eni_pods,
    });
    p.node_group_lines.push(Position::Line(line));
    Ok(())
}

fn finish(p: Pending, file: &Arc<str>) -> Result<LocatedScenario> {
    let scenario_at = Location::line(&**file, p.first_line, None);
    let subnets = p.subnets.map(|s| s.value).unwrap_or_default();
    if subnets.is_empty() {
        return Err(Error::MissingValue {
            location: scenario_at.with_column("subnet_cidr"),
            hint: format!(
                "scenario {:?} has no subnet_cidr on any row; write 23, /23 or 10.0.0.0/23",
                p.id
            ),
        });
    }
    let value = |s: Option<Settled<u32>>| s.map(|s| s.value);
    let flag = |s: Option<Settled<bool>>| s.is_some_and(|s| s.value);
    let scenario = Scenario {
        id: p.id,
        subnets,
        pod_subnets: p.pod_subnets.map(|s| s.value).unwrap_or_default(),
        cni: CniSettings {
            warm_eni_target: value(p.warm_eni_target),
            warm_ip_target: value(p.warm_ip_target),
            minimum_ip_target: value(p.minimum_ip_target),
            warm_prefix_target: value(p.warm_prefix_target),
            prefix_delegation: flag(p.prefix_delegation),
            custom_networking: flag(p.custom_networking),
            security_groups_for_pods: flag(p.security_groups_for_pods),
            max_eni: value(p.max_eni),
            ip_family: p.ip_family.map(|s| s.value).unwrap_or_default(),
        },
        host_networking_ips: value(p.host_networking_ips).unwrap_or(0),
        daemonset_pods: value(p.daemonset_pods).unwrap_or(0),
        node_groups: p.node_groups,
    };
    Ok(LocatedScenario {
        scenario,
        origin: Origin {
            file: Arc::clone(file),
            scenario: Position::Line(p.first_line),
            node_groups: p.node_group_lines,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<LocatedScenario>> {
        read_bytes("s.csv", text.as_bytes())
    }

    #[test]
    fn rows_with_one_id_form_one_scenario() {
        let got = read(
            "Scenario, SUBNET_CIDR ,instance_type,instances,pods_per_node,warm_ip_target\n\
             a,10.0.0.0/23,m5.large,3,20,5\n\
             b,/24,c5.xlarge,1,10,\n\
             a,,m5.xlarge,2,30,\n",
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        let a = &got[0].scenario;
        assert_eq!(a.id, "a");
        assert_eq!(a.subnets[0].to_string(), "10.0.0.0/23");
        assert_eq!(a.cni.warm_ip_target, Some(5));
        assert_eq!(a.node_groups.len(), 2);
        assert_eq!(a.node_groups[1].instance_type, "m5.xlarge");
        assert_eq!(
            got[0].origin.node_group_location(1).to_string(),
            "s.csv:4:instance_type"
        );
        assert_eq!(got[1].scenario.subnets[0].prefix_len, 24);
        assert_eq!(got[1].scenario.cni.warm_ip_target, None);
    }

    #[test]
    fn crlf_files_name_the_right_lines() {
        let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_node\r\na,23,t3.small,1,2\r\na,23,t3.small,1,x\r\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.csv:3:pods_per_node:"), "{e}");
        let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_node\r\na,23,t3.small,1,2\r\na,24,t3.small,1,2\r\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:3:subnet_cidr:") && e.contains("on line 2"),
            "{e}"
        );
        let got = read(
            "scenario,subnet_cidr,instance_type,instances,pods_per_node\r\na,23,\"t3.\r\nsmall\",1,2\r\n",
        );
        assert!(got.is_ok(), "a quoted CR stays in its field");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let got = read("\u{feff}scenario,subnet_cidr,instance_type,instances,pods_per_node\r\nx,23,t3.small,1,2\r\n").unwrap();
        assert_eq!(got[0].scenario.id, "x");
        assert_eq!(got[0].scenario.node_groups[0].pods_per_node, 2);
    }

    #[test]
    fn disagreeing_rows_name_both_lines() {
        let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_node\na,23,t3.small,1,2\na,24,t3.small,1,2\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.csv:3:subnet_cidr:"), "{e}");
        assert!(e.contains("on line 2"), "{e}");
        // The same value spelt differently is no conflict.
        read("scenario,subnet_cidr,instance_type,instances,pods_per_node\na,23,t3.small,1,2\na,/23,t3.small,1,2\n").unwrap();
    }

    #[test]
    fn header_problems_are_named() {
        let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_nod\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown column \"pods_per_nod\"") && e.contains("pods_per_node"),
            "{e}"
        );
        let e = read("scenario,subnet_cidr,instance_type,instances\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("missing required column \"pods_per_node\""),
            "{e}"
        );
        let e = read("scenario,scenario,subnet_cidr,instance_type,instances,pods_per_node\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("appears more than once"), "{e}");
    }

    #[test]
    fn bad_values_are_named_by_line_and_column() {
        let head = "scenario,subnet_cidr,instance_type,instances,pods_per_node,prefix_delegation\n";
        let e = read(&format!("{head}a,23,t3.small,-1,2,\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:2:instances: invalid number \"-1\""),
            "{e}"
        );
        let e = read(&format!("{head}a,10.0.0.1/23,t3.small,1,2,\n"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.csv:2:subnet_cidr: bad CIDR"), "{e}");
        let e = read(&format!("{head}a,23,t3.small,1,2,maybe\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:2:prefix_delegation: invalid value"),
            "{e}"
        );
        let e = read(&format!("{head}a,23,,1,2,\n"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.csv:2:instance_type: missing value"), "{e}");
        let e = read(&format!("{head}a,,t3.small,1,2,\n"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.csv:2:subnet_cidr: missing value"), "{e}");
        let e = read(&format!("{head}a,\"23,t3.small,1,2,\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("check for a quote left open"), "{e}");
        let e = read(&format!("{head}a,23,t3.small,1\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:2: malformed CSV: 4 fields where the header has 6"),
            "{e}"
        );
    }

    #[test]
    fn blank_rows_are_skipped_and_empty_files_refused() {
        let got = read("scenario,subnet_cidr,instance_type,instances,pods_per_node\n,,,,\na,23,t3.small,1,2\n,,,,\n").unwrap();
        assert_eq!(got.len(), 1);
        assert!(read("").unwrap_err().to_string().contains("no scenarios"));
        assert!(
            read("scenario,subnet_cidr,instance_type,instances,pods_per_node\n")
                .unwrap_err()
                .to_string()
                .contains("no row follows")
        );
    }

    #[test]
    fn max_pods_of_zero_is_refused() {
        let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_node,max_pods\na,23,t3.small,1,2,0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:2:max_pods: invalid number \"0\""),
            "{e}"
        );
    }

    #[test]
    fn subnet_lists_and_settings_parse() {
        let got = read(
            "scenario,subnet_cidr,instance_type,instances,pods_per_node,prefix_delegation,ip_family,pod_subnet_cidr,max_pods\n\
             a,10.0.0.0/24;10.0.1.0/24,m5.large,1,2,yes,IPv6,100.64.0.0/16,110\n",
        )
        .unwrap();
        let s = &got[0].scenario;
        assert_eq!(s.subnets.len(), 2);
        assert!(s.cni.prefix_delegation);
        assert_eq!(s.cni.ip_family, IpFamily::Ipv6);
        assert_eq!(s.pod_subnets[0].prefix_len, 16);
        assert_eq!(s.node_groups[0].max_pods, Some(110));
    }
}
