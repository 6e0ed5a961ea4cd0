//! One row of a scenario CSV into its scenario: scenario-level values settled (the first
//! non-blank value sets one, later rows must agree), and the row's node group appended.

use std::sync::Arc;

use crate::error::{Error, Location, Result};
use crate::read::fields;
use crate::scenario::{
    CniSettings, IpFamily, LocatedScenario, MaxPodsRule, NodeGroup, Origin, Position, Scenario,
    Subnet, format_subnets,
};

use super::header::{Field, N_FIELDS};

/// One CSV record, each known column's text borrowed from the record (`None` when blank or when
/// the header lacks the column).
#[derive(Debug, Default)]
pub(super) struct RawRow<'a> {
    fields: [Option<&'a str>; N_FIELDS],
}

impl<'a> RawRow<'a> {
    /// Sets a field, its surrounding blanks trimmed (blank text is `None`).
    pub(super) fn set(&mut self, field: Field, text: &'a str) {
        // Most fields of a scenario's later rows are blank.
        if text.is_empty() {
            return;
        }
        let text = trim(text);
        if !text.is_empty() {
            self.fields[field as usize] = Some(text);
        }
    }

    /// A field's text, `None` when blank.
    pub(super) fn get(&self, field: Field) -> Option<&'a str> {
        self.fields[field as usize]
    }
}

/// `text` without surrounding blanks; a field that starts and ends with a visible ASCII
/// character (nearly all) is taken as it is, without decoding it.
pub(super) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
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
pub(super) struct Lines([u32; SCENARIO_FIELDS]);

/// A scenario as its first row starts it: every value unset.
pub(super) fn new_scenario(id: &str, file: &Arc<str>, line: u64) -> LocatedScenario {
    LocatedScenario {
        scenario: Scenario {
            id: Arc::from(id),
            subnets: Vec::new(),
            pod_subnets: Vec::new(),
            cni: CniSettings::default(),
            host_networking_ips: 0,
            daemonset_pods: 0,
            max_pods_rule: None,
            // Most scenarios have a few node groups: room for them at once.
            node_groups: Vec::with_capacity(4),
        },
        origin: Origin {
            node_groups: Vec::with_capacity(4),
            ..Origin::line(file, line)
        },
    }
}

/// Parses a `;`-separated subnet list.
fn parse_subnets(text: &str, location: &Location) -> Result<Vec<Subnet>> {
    // Nearly always a size alone, such as `23`: what `Subnet`'s parser makes of it.
    if let [a @ b'0'..=b'9', rest @ ..] = text.as_bytes()
        && rest.len() <= 1
        && rest.iter().all(u8::is_ascii_digit)
    {
        let len = rest.iter().fold(a - b'0', |n, d| n * 10 + (d - b'0'));
        if len <= 32 {
            return Ok(vec![Subnet::of_size(len)]);
        }
    }
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
    // A field of a `RawRow`: trimmed, and `None` when blank.
    let Some(text) = text else {
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
pub(super) fn add_row(
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
        raw.get(Field::SubnetCidr),
        parse_subnets,
        &row,
        "subnet_cidr",
    )?;
    settle(
        &mut s.pod_subnets,
        pod_subnets,
        raw.get(Field::PodSubnetCidr),
        parse_subnets,
        &row,
        "pod_subnet_cidr",
    )?;
    settle(
        &mut cni.warm_eni_target,
        weni,
        raw.get(Field::WarmEniTarget),
        some_whole,
        &row,
        "warm_eni_target",
    )?;
    settle(
        &mut cni.warm_ip_target,
        wip,
        raw.get(Field::WarmIpTarget),
        some_whole,
        &row,
        "warm_ip_target",
    )?;
    settle(
        &mut cni.minimum_ip_target,
        mip,
        raw.get(Field::MinimumIpTarget),
        some_whole,
        &row,
        "minimum_ip_target",
    )?;
    settle(
        &mut cni.warm_prefix_target,
        wpfx,
        raw.get(Field::WarmPrefixTarget),
        some_whole,
        &row,
        "warm_prefix_target",
    )?;
    settle(
        &mut cni.prefix_delegation,
        pd,
        raw.get(Field::PrefixDelegation),
        boolean,
        &row,
        "prefix_delegation",
    )?;
    settle(
        &mut cni.custom_networking,
        cn,
        raw.get(Field::CustomNetworking),
        boolean,
        &row,
        "custom_networking",
    )?;
    settle(
        &mut cni.security_groups_for_pods,
        sgp,
        raw.get(Field::SecurityGroupsForPods),
        boolean,
        &row,
        "security_groups_for_pods",
    )?;
    settle(
        &mut cni.max_eni,
        max_eni,
        raw.get(Field::MaxEni),
        some_whole,
        &row,
        "max_eni",
    )?;
    settle(
        &mut cni.ip_family,
        family,
        raw.get(Field::IpFamily),
        parse_ip_family,
        &row,
        "ip_family",
    )?;
    settle(
        &mut s.host_networking_ips,
        host,
        raw.get(Field::HostNetworkingIps),
        whole,
        &row,
        "host_networking_ips",
    )?;
    settle(
        &mut s.daemonset_pods,
        ds,
        raw.get(Field::DaemonsetPods),
        whole,
        &row,
        "daemonset_pods",
    )?;
    settle(
        &mut s.max_pods_rule,
        rule,
        raw.get(Field::MaxPodsRule),
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
    if raw.get(Field::SubnetCidr).is_some() || raw.get(Field::PodSubnetCidr).is_some() {
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
    let required = |field: Field, hint: &str| -> Result<&str> {
        raw.get(field).ok_or_else(|| Error::MissingValue {
            location: at(field.name()),
            hint: hint.to_owned(),
        })
    };
    let instance_type = crate::text::csv_unescape(required(
        Field::InstanceType,
        "an EC2 instance type such as m5.large",
    )?);
    let instances = fields::lazily(
        required(
            Field::Instances,
            "the number of instances in the node group",
        )?,
        fields::whole,
        || at("instances"),
    )?;
    let pods_per_node = fields::lazily(
        required(Field::PodsPerNode, "workload pods per node")?,
        fields::whole,
        || at("pods_per_node"),
    )?;
    let max_pods = fields::lazily(raw.get(Field::MaxPods), fields::opt_whole, || {
        at("max_pods")
    })?;
    if max_pods == Some(0) {
        return Err(Error::InvalidNumber {
            location: at("max_pods"),
            found: "0".into(),
            expected:
                "kubelet's --max-pods, at least 1 (leave it blank to use the max-pods calculator)"
                    .into(),
        });
    }
    let branch_eni_pods = fields::lazily(raw.get(Field::BranchEniPods), fields::opt_whole, || {
        at("branch_eni_pods")
    })?
    .unwrap_or(0);
    s.node_groups.push(NodeGroup {
        instance_type: Arc::from(instance_type),
        instances,
        pods_per_node,
        max_pods,
        branch_eni_pods,
    });
    origin.node_groups.push(Position::Line(line));
    Ok(())
}
