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
    CniSettings, IpFamily, LocatedScenario, MaxPodsRule, NodeGroup, Origin, Position, Scenario,
    Subnet, format_subnets,
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
    col("max_pods_rule", Level::Scenario, false),
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
    max_pods_rule: Option<&'a str>,
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
            &self.max_pods_rule,
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

/// How a settled value is shown in a message (without keeping the text of every row).
trait Shown {
    fn shown(&self) -> String;
}

impl Shown for u32 {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for Option<u32> {
    fn shown(&self) -> String {
        self.map_or_else(String::new, |v| v.to_string())
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

impl Shown for Option<MaxPodsRule> {
    fn shown(&self) -> String {
        self.map_or_else(String::new, |r| r.as_str().to_owned())
    }
}

impl Shown for Vec<Subnet> {
    fn shown(&self) -> String {
        format_subnets(self)
    }
}

/// The scenario-level columns, in the order of [`Lines`]' slots.
const SCENARIO_FIELDS: usize = 14;

/// For one scenario being read: the line that set each scenario-level value (0 while unset), so
/// that a disagreeing row can name it. The values themselves go straight into the scenario, which
/// is built in place: a million scenarios are held once, not twice.
#[derive(Default, Clone, Copy)]
struct Lines([u32; SCENARIO_FIELDS]);

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

    let file: Arc<str> = Arc::from(name);
    let mut scenarios: Vec<LocatedScenario> = Vec::new();
    let mut lines: Vec<Lines> = Vec::new();
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
            .map(|s| crate::write::csv_unescape(s.trim()))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::MissingValue {
                location: at("scenario"),
                hint: "every row needs the id of the scenario it belongs to".into(),
            })?;
        // Most rows continue a scenario already seen: look it up without allocating.
        let slot = match index.get(id) {
            Some(&slot) => slot,
            None => {
                index.insert(id.to_owned(), scenarios.len());
                scenarios.push(new_scenario(id, &file, line));
                lines.push(Lines::default());
                scenarios.len() - 1
            }
        };
        add_row(&mut scenarios[slot], &mut lines[slot], &raw, name, line)?;
    }
    drop(index);
    if scenarios.is_empty() {
        return Err(Error::NoScenarios {
            location: Location::file(name),
            hint: "the header is there but no row follows".into(),
        });
    }
    if let Some(s) = scenarios.iter().find(|s| s.scenario.subnets.is_empty()) {
        return Err(Error::MissingValue {
            location: s.origin.scenario_location(Some("subnet_cidr")),
            hint: format!(
                "scenario {:?} has no subnet_cidr on any row; write 23, /23 or 10.0.0.0/23",
                s.scenario.id
            ),
        });
    }
    Ok(scenarios)
}

/// A scenario as its first row starts it: every value unset.
fn new_scenario(id: &str, file: &Arc<str>, line: u64) -> LocatedScenario {
    LocatedScenario {
        scenario: Scenario {
            id: id.to_owned(),
            subnets: Vec::new(),
            pod_subnets: Vec::new(),
            cni: CniSettings::default(),
            host_networking_ips: 0,
            daemonset_pods: 0,
            max_pods_rule: None,
            node_groups: Vec::new(),
        },
        origin: Origin::line(file, line),
    }
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
    let bad = |found: &str, reason: String| Error::BadCidr {
        location: location.clone(),
        found: found.to_owned(),
        reason,
    };
    let subnets = text
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Subnet>().map_err(|reason| bad(s, reason)))
        .collect::<Result<Vec<_>>>()?;
    if subnets.is_empty() {
        return Err(bad(text, "no subnet in the list".into()));
    }
    // Two full CIDRs of one list must be different subnets: an overlap would count addresses twice.
    for (i, a) in subnets.iter().enumerate() {
        for b in &subnets[i + 1..] {
            if a.overlaps(b) {
                return Err(bad(text, format!("{a} and {b} overlap")));
            }
        }
    }
    Ok(subnets)
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

/// Where a row is: what [`settle`] needs to parse a value and to name a disagreement.
struct Row<'a> {
    name: &'a str,
    line: u64,
    scenario: &'a str,
}

/// Settles a scenario-level value into `value`: the first non-blank text sets it (and its line in
/// `first_line`), and later ones must agree.
fn settle<T: PartialEq + Shown>(
    value: &mut T,
    first_line: &mut u32,
    text: Option<&str>,
    parse: impl Fn(&str, &Location) -> Result<T>,
    row: &Row<'_>,
    column: &str,
) -> Result<()> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    let location = || Location::line(row.name, row.line, Some(column));
    let parsed = fields::lazily(text, parse, location)?;
    if *first_line == 0 {
        *value = parsed;
        *first_line = u32::try_from(row.line).unwrap_or(u32::MAX);
    } else if *value != parsed {
        return Err(Error::ConflictingScenarioValue {
            location: location(),
            scenario: row.scenario.to_owned(),
            column: column.to_owned(),
            first_line: u64::from(*first_line),
            first: value.shown(),
            second: text.to_owned(),
        });
    }
    Ok(())
}

/// Adds a row to its scenario: settles the scenario-level values and appends the node group.
fn add_row(
    located: &mut LocatedScenario,
    lines: &mut Lines,
    raw: &RawRow<'_>,
    name: &str,
    line: u64,
) -> Result<()> {
    let LocatedScenario {
        scenario: s,
        origin,
    } = located;
    let row = Row {
        name,
        line,
        scenario: &s.id,
    };
    let some_whole = |t: &str, l: &Location| fields::whole(t, l).map(Some);
    let whole = |t: &str, l: &Location| fields::whole(t, l);
    let boolean = |t: &str, l: &Location| fields::boolean(t, l);
    let [
        subnets,
        pod_subnets,
        weni,
        wip,
        mip,
        wpfx,
        pd,
        cn,
        sgp,
        max_eni,
        family,
        host,
        ds,
        rule,
    ] = &mut lines.0;
    let cni = &mut s.cni;
    settle(
        &mut s.subnets,
        subnets,
        raw.subnet_cidr,
        parse_subnets,
        &row,
        "subnet_cidr",
    )?;
    settle(
        &mut s.pod_subnets,
        pod_subnets,
        raw.pod_subnet_cidr,
        parse_subnets,
        &row,
        "pod_subnet_cidr",
    )?;
    settle(
        &mut cni.warm_eni_target,
        weni,
        raw.warm_eni_target,
        some_whole,
        &row,
        "warm_eni_target",
    )?;
    settle(
        &mut cni.warm_ip_target,
        wip,
        raw.warm_ip_target,
        some_whole,
        &row,
        "warm_ip_target",
    )?;
    settle(
        &mut cni.minimum_ip_target,
        mip,
        raw.minimum_ip_target,
        some_whole,
        &row,
        "minimum_ip_target",
    )?;
    settle(
        &mut cni.warm_prefix_target,
        wpfx,
        raw.warm_prefix_target,
        some_whole,
        &row,
        "warm_prefix_target",
    )?;
    settle(
        &mut cni.prefix_delegation,
        pd,
        raw.prefix_delegation,
        boolean,
        &row,
        "prefix_delegation",
    )?;
    settle(
        &mut cni.custom_networking,
        cn,
        raw.custom_networking,
        boolean,
        &row,
        "custom_networking",
    )?;
    settle(
        &mut cni.security_groups_for_pods,
        sgp,
        raw.security_groups_for_pods,
        boolean,
        &row,
        "security_groups_for_pods",
    )?;
    settle(
        &mut cni.max_eni,
        max_eni,
        raw.max_eni,
        some_whole,
        &row,
        "max_eni",
    )?;
    settle(
        &mut cni.ip_family,
        family,
        raw.ip_family,
        parse_ip_family,
        &row,
        "ip_family",
    )?;
    settle(
        &mut s.host_networking_ips,
        host,
        raw.host_networking_ips,
        whole,
        &row,
        "host_networking_ips",
    )?;
    settle(
        &mut s.daemonset_pods,
        ds,
        raw.daemonset_pods,
        whole,
        &row,
        "daemonset_pods",
    )?;
    settle(
        &mut s.max_pods_rule,
        rule,
        raw.max_pods_rule,
        |t: &str, l: &Location| {
            t.parse::<MaxPodsRule>()
                .map(Some)
                .map_err(|expected| Error::InvalidValue {
                    location: l.clone(),
                    found: t.to_owned(),
                    expected,
                })
        },
        &row,
        "max_pods_rule",
    )?;

    // Custom networking's pod subnets are other subnets than the nodes': one that overlaps a
    // node subnet would count the same addresses as extra capacity.
    if raw.subnet_cidr.is_some() || raw.pod_subnet_cidr.is_some() {
        for node in &s.subnets {
            if let Some(pod) = s.pod_subnets.iter().find(|p| p.overlaps(node)) {
                return Err(Error::BadCidr {
                    location: Location::line(name, line, Some("pod_subnet_cidr")),
                    found: pod.to_string(),
                    reason: format!(
                        "the pod subnet {pod} overlaps the node subnet {node}; custom \
                         networking's pod subnets are other subnets of the VPC"
                    ),
                });
            }
        }
    }
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
    let instance_type = match crate::write::csv_unescape(&instance_type) {
        unescaped if unescaped.len() < instance_type.len() => unescaped.to_owned(),
        _ => instance_type,
    };
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
    s.node_groups.push(NodeGroup {
        instance_type,
        instances,
        pods_per_node,
        max_pods,
        branch_eni_pods,
    });
    origin.node_groups.push(Position::Line(line));
    Ok(())
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
    fn subnet_lists_must_name_distinct_subnets() {
        let head = "scenario,subnet_cidr,instance_type,instances,pods_per_node\n";
        let e = read(&format!("{head}a,;,t3.small,1,2\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:2:subnet_cidr: bad CIDR \";\" (no subnet in the list)"),
            "{e}"
        );
        let e = read(&format!("{head}a,10.0.0.0/24;10.0.0.0/25,t3.small,1,2\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("10.0.0.0/24 and 10.0.0.0/25 overlap"), "{e}");
        // Sizes alone are different subnets of that size; adjacent CIDRs do not overlap.
        read(&format!(
            "{head}a,24;24,t3.small,1,2\nb,10.0.0.0/24;10.0.1.0/24,t3.small,1,2\n"
        ))
        .unwrap();
    }

    #[test]
    fn a_pod_subnet_over_the_node_subnet_is_refused_naming_both() {
        let head = "scenario,subnet_cidr,pod_subnet_cidr,custom_networking,instance_type,instances,pods_per_node\n";
        let e = read(&format!(
            "{head}a,10.0.0.0/16,,true,t3.small,1,2\na,,10.0.64.0/18,,t3.small,1,2\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("s.csv:3:pod_subnet_cidr: bad CIDR \"10.0.64.0/18\" (the pod subnet 10.0.64.0/18 overlaps the node subnet 10.0.0.0/16"),
            "{e}"
        );
        read(&format!(
            "{head}b,10.0.0.0/16,100.64.0.0/16,true,t3.small,1,2\n"
        ))
        .unwrap();
    }

    #[test]
    fn an_ipv6_cidr_is_named_as_one() {
        let head = "scenario,subnet_cidr,instance_type,instances,pods_per_node\n";
        let e = read(&format!("{head}a,2600:1f14:abcd::/64,t3.small,1,2\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:2:subnet_cidr: bad CIDR \"2600:1f14:abcd::/64\" (an IPv6 CIDR"),
            "{e}"
        );
    }

    #[test]
    fn a_cr_only_file_names_the_right_line() {
        let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_node\ra,23,t3.small,1,2\ra,23,t3.small,x,2\r")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("s.csv:3:instances: invalid number \"x\""),
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
