//! One row of a scenario CSV into its scenario: scenario-level values settled (the first
//! non-blank value sets one, later rows must agree), and the row's node group appended. Which
//! fields there are, and where each value goes, is the schema's ([`Field`]); this reads the text.

use std::sync::{Arc, LazyLock};

use crate::error::{Error, Location, Result};
use crate::read::fields;
use crate::scenario::schema::{Field, FieldKind, FieldSlot, Level};
use crate::scenario::{
    CniSettings, IpFamily, LocatedScenario, MaxPodsRule, NodeGroup, Origin, Position, Scenario,
    Subnet,
};

/// One CSV record, each known column's text borrowed from the record (`None` when blank or when
/// the header lacks the column).
#[derive(Debug, Default)]
pub(super) struct RawRow<'a> {
    fields: [Option<&'a str>; Field::COUNT],
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

/// For one scenario being read: the line that set each scenario-level value (0 while unset), by
/// [`Field`], so that a disagreeing row can name it. The values themselves go straight into the
/// scenario, which is built in place: a million scenarios are held once, not twice.
#[derive(Clone, Copy)]
pub(super) struct Lines([u32; Field::COUNT]);

impl Default for Lines {
    fn default() -> Self {
        Lines([0; Field::COUNT])
    }
}

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

fn parse_max_pods_rule(text: &str, location: &Location) -> Result<Option<MaxPodsRule>> {
    text.parse::<MaxPodsRule>()
        .map(Some)
        .map_err(|expected| Error::InvalidValue {
            location: location.clone(),
            found: text.to_owned(),
            expected,
        })
}

/// Where a row is, for its messages.
struct Row<'a> {
    name: &'a str,
    line: u64,
}

impl Row<'_> {
    fn at(&self, field: Field) -> Location {
        Location::line(self.name, self.line, Some(field.name()))
    }
}

/// Settles a value into `value`: the first non-blank text sets it (and its line in
/// `first_line`); later ones must agree: `false` when one does not.
fn settle<T: PartialEq>(
    value: &mut T,
    first_line: &mut u32,
    text: &str,
    parse: impl Fn(&str, &Location) -> Result<T>,
    row: &Row<'_>,
    field: Field,
) -> Result<bool> {
    let parsed = fields::lazily(text, parse, || row.at(field))?;
    if *first_line == 0 {
        *value = parsed;
        *first_line = u32::try_from(row.line).unwrap_or(u32::MAX);
        Ok(true)
    } else {
        Ok(*value == parsed)
    }
}

/// Parses `text` as `field` takes it and settles it into `slot` (see [`settle`]).
fn read_into(
    slot: FieldSlot<'_>,
    first_line: &mut u32,
    text: &str,
    row: &Row<'_>,
    field: Field,
) -> Result<bool> {
    let line = first_line;
    match slot {
        FieldSlot::Subnets(v) => settle(v, line, text, parse_subnets, row, field),
        FieldSlot::Whole(v) => settle(v, line, text, fields::whole, row, field),
        FieldSlot::OptWhole(v) if field.spec().kind == FieldKind::OptPositive => {
            let positive = |t: &str, l: &Location| positive(t, l, field);
            settle(v, line, text, positive, row, field)
        }
        FieldSlot::OptWhole(v) => {
            let some_whole = |t: &str, l: &Location| fields::whole(t, l).map(Some);
            settle(v, line, text, some_whole, row, field)
        }
        FieldSlot::Bool(v) => settle(v, line, text, fields::boolean, row, field),
        FieldSlot::IpFamily(v) => settle(v, line, text, parse_ip_family, row, field),
        FieldSlot::MaxPodsRule(v) => settle(v, line, text, parse_max_pods_rule, row, field),
        FieldSlot::Text(v) => {
            let text_of = |t: &str, _: &Location| Ok(Arc::from(crate::text::csv_unescape(t)));
            settle(v, line, text, text_of, row, field)
        }
        // The id is set as the scenario starts; `note` is not read.
        FieldSlot::Id | FieldSlot::Unread => Ok(true),
    }
}

/// A whole number ≥ 1 (`max_pods`).
fn positive(text: &str, location: &Location, field: Field) -> Result<Option<u32>> {
    match fields::whole(text, location)? {
        0 => Err(Error::InvalidNumber {
            location: location.clone(),
            found: "0".into(),
            expected: format!(
                "{}, at least 1 (leave it blank: {})",
                field.spec().meaning,
                field.spec().default
            ),
        }),
        n => Ok(Some(n)),
    }
}

/// Settles the scenario-level values of a row (`raw`: its fields trimmed, `None` when blank)
/// into `s`.
fn settle_scenario(
    s: &mut Scenario,
    lines: &mut Lines,
    raw: &RawRow<'_>,
    row: &Row<'_>,
) -> Result<()> {
    for field in Field::ALL {
        let Some(text) = raw.get(field) else {
            continue;
        };
        if field.spec().level != Level::Scenario {
            continue;
        }
        let first_line = &mut lines.0[field as usize];
        if !read_into(field.slot(s, 0), first_line, text, row, field)? {
            return Err(Error::ConflictingScenarioValue {
                location: row.at(field),
                scenario: s.id.to_string(),
                column: field.name().to_owned(),
                first_line: u64::from(lines.0[field as usize]),
                first: field.value(s, 0).to_string(),
                second: text.to_owned(),
            });
        }
    }
    Ok(())
}

/// Custom networking's pod subnets are other subnets than the nodes': one that overlaps a node
/// subnet would count the same addresses as extra capacity.
fn check_pod_subnets(s: &Scenario, row: &Row<'_>) -> Result<()> {
    for node in &s.subnets {
        if let Some(pod) = s.pod_subnets.iter().find(|p| p.overlaps(node)) {
            return Err(Error::BadCidr {
                location: row.at(Field::PodSubnetCidr),
                found: pod.to_string(),
                reason: format!(
                    "the pod subnet {pod} overlaps the node subnet {node}; custom networking's \
                     pod subnets are other subnets of the VPC"
                ),
            });
        }
    }
    Ok(())
}

/// A node group with no values yet, which [`add_node_group`] fills.
fn blank_node_group() -> NodeGroup {
    static NO_TYPE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(""));
    NodeGroup::new(Arc::clone(&NO_TYPE), 0, 0)
}

/// Appends the row's node group to `s`.
fn add_node_group(s: &mut Scenario, raw: &RawRow<'_>, row: &Row<'_>) -> Result<()> {
    s.node_groups.push(blank_node_group());
    let g = s.node_groups.len() - 1;
    for field in Field::of_level(Level::NodeGroup) {
        let spec = field.spec();
        let Some(text) = raw.get(field) else {
            if spec.required {
                return Err(Error::MissingValue {
                    location: row.at(field),
                    hint: format!("{}, such as {}", spec.meaning, spec.example),
                });
            }
            continue;
        };
        // Each row is its own node group: every value is a first one.
        read_into(field.slot(s, g), &mut 0, text, row, field)?;
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
    let row = Row { name, line };
    let s = &mut located.scenario;
    settle_scenario(s, lines, raw, &row)?;
    if raw.get(Field::SubnetCidr).is_some() || raw.get(Field::PodSubnetCidr).is_some() {
        check_pod_subnets(s, &row)?;
    }
    add_node_group(s, raw, &row)?;
    located.origin.node_groups.push(Position::Line(line));
    Ok(())
}
