//! Catalogue sources: where instance limits come from.
//!
//! Four formats are read, told apart by their content (the extension only breaks ties):
//! - a legacy workbook (`.xlsx`): its `maxENI`, `maxPods` and `CidrData` tables;
//! - the JSON printed by `aws ec2 describe-instance-types --output json`: one page per file, or
//!   several pages concatenated in one file;
//! - a limits CSV: `instance_type` plus `eni_limit` (or `max_enis`) and `ipv4_per_eni`, and/or
//!   `max_pods`, `hypervisor`, `is_bare_metal`, `vcpus`. Other columns are ignored, so the
//!   upstream `instance-limits.csv` loads as it is;
//! - the VPC CNI's `misc/eni-max-pods.txt` as AWS publishes it: `#` comment lines, then one
//!   `<instance type> <max pods>` per line, whatever the file is called.

use std::path::Path;

use serde::Deserialize;

use crate::catalog::rules::Limit;
use crate::catalog::{Catalog, InstanceLimits};
use crate::error::first_fault;
use crate::error::{Error, JsonFault, Location, Result};
use crate::read::io::{ReadLimits, lf_line_ends};
use crate::read::io::{csv_error, record_line};
use crate::read::quotes::{self, QuoteTracker};
use crate::read::sniff::wrong_kind;
use crate::read::sniff::{FileKind, sniff};
use crate::read::{fields, legacy_xlsx, separator};

/// The catalogue formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    /// A legacy `subnet-calc.xlsx` workbook.
    LegacyWorkbook,
    /// `aws ec2 describe-instance-types --output json`.
    DescribeInstanceTypes,
    /// A limits CSV.
    LimitsCsv,
    /// The VPC CNI's `eni-max-pods.txt`: `<instance type> <max pods>` per line.
    EniMaxPodsTxt,
}

impl CatalogFormat {
    /// Tells the format from the file's content; the extension decides only between text
    /// formats that could both be meant.
    pub fn detect(name: &str, bytes: &[u8]) -> Result<Self> {
        match sniff(bytes) {
            FileKind::Xlsx => Ok(CatalogFormat::LegacyWorkbook),
            FileKind::Json => Ok(CatalogFormat::DescribeInstanceTypes),
            FileKind::Text => {
                let first = first_data_line(bytes);
                let csv_ext = Path::new(name)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
                // A header naming limits columns, whatever separates them (a semicolon or a tab
                // from a spreadsheet), Excel's `sep=;` line, or any comma- or
                // semicolon-separated .csv.
                let (_, known) = separator::of_header(first.as_bytes(), limits_columns::is_known);
                let excel_sep_line = separator::directive(bytes).is_some();
                if known > 0
                    || excel_sep_line
                    || first.contains(',')
                    || (csv_ext && first.contains(';'))
                {
                    Ok(CatalogFormat::LimitsCsv)
                } else if looks_like_max_pods_line(first) {
                    Ok(CatalogFormat::EniMaxPodsTxt)
                } else {
                    Err(Error::UnknownCatalogFormat {
                        location: Location::file(name),
                        hint: CATALOG_FORMATS.into(),
                    })
                }
            }
            other => Err(wrong_kind(
                name,
                other,
                "an instance catalogue",
                CATALOG_FORMATS,
            )),
        }
    }
}

/// The instance types one catalogue file lists, to refuse one listed again with other limits
/// (listed again with the same limits, it is only said twice).
#[derive(Default)]
struct Listed(hashbrown::HashMap<String, (Location, InstanceLimits)>);

impl Listed {
    /// Adds `limits`, listed at `at`, to `catalog`, or fails when the file listed the type
    /// before with other limits.
    fn add(&mut self, catalog: &mut Catalog, limits: InstanceLimits, at: Location) -> Result<()> {
        let key = limits.instance_type.to_ascii_lowercase();
        let bare = InstanceLimits {
            sources: Vec::new(),
            instance_type: key.clone(),
            ..limits.clone()
        };
        match self.0.get(&key) {
            Some((first, seen)) if *seen != bare => Err(Error::ConflictingInstanceType {
                location: at,
                instance_type: limits.instance_type,
                first: first.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                self.0.insert(key, (at, bare));
                catalog.insert(limits);
                Ok(())
            }
        }
    }
}

const CATALOG_FORMATS: &str = "give a legacy .xlsx workbook, the .json of aws ec2 \
    describe-instance-types, a .csv with instance_type, eni_limit, ipv4_per_eni, or the VPC \
    CNI's eni-max-pods.txt";

/// Whether text looks like an instance catalogue rather than a scenario CSV: the VPC CNI's
/// `eni-max-pods.txt`, or a CSV whose header has instance limits but no `scenario` column.
pub fn looks_like_catalog(bytes: &[u8]) -> bool {
    let first = first_data_line(bytes);
    if looks_like_max_pods_line(first) {
        return true;
    }
    let header: Vec<String> = first
        .split([',', ';', '\t'])
        .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |names: &[&str]| header.iter().any(|h| names.contains(&h.as_str()));
    !has(&["scenario"])
        && has(limits_columns::TYPE)
        && (has(limits_columns::ENIS) || has(limits_columns::PODS) || has(limits_columns::IPV4))
}

/// The first line that is neither blank, a `#` comment nor Excel's `sep=` line.
fn first_data_line(bytes: &[u8]) -> &str {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(64 << 10)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    // Excel's `sep=;` line says how the lines after it are separated; it is not data.
    text.lines()
        .map(str::trim)
        .find(|l| {
            !l.is_empty() && !l.starts_with('#') && separator::directive(l.as_bytes()).is_none()
        })
        .unwrap_or_default()
}

/// `m5.large 29`: a type and a whole number, separated by blanks.
fn looks_like_max_pods_line(line: &str) -> bool {
    let mut fields = line.split_whitespace();
    matches!(
        (fields.next(), fields.next(), fields.next()),
        (Some(t), Some(n), None) if t.contains('.') && n.bytes().all(|b| b.is_ascii_digit())
    )
}

/// Reads one catalogue source from memory with the default limits.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<Catalog> {
    read_bytes_with(name, bytes, &ReadLimits::default())
}

/// Reads one catalogue source from memory; `name` names the file in messages.
pub fn read_bytes_with(name: &str, bytes: Vec<u8>, limits: &ReadLimits) -> Result<Catalog> {
    read_bytes_all(name, bytes, limits).map_err(first_fault)
}

/// Reads one catalogue source from memory, or gives every fault found in it: one per bad line
/// or entry of a limits CSV, an eni-max-pods.txt or describe-instance-types JSON (a fault that
/// stops the reading, such as a missing column or malformed JSON, is the last one); a legacy
/// workbook's first.
pub fn read_bytes_all(
    name: &str,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> std::result::Result<Catalog, Vec<Error>> {
    match CatalogFormat::detect(name, &bytes).map_err(|e| vec![e])? {
        CatalogFormat::LegacyWorkbook => legacy_xlsx::read_catalog_all(name, bytes, limits),
        CatalogFormat::DescribeInstanceTypes => read_describe_json_all(name, &bytes),
        CatalogFormat::LimitsCsv => read_limits_csv_all(name, &bytes),
        CatalogFormat::EniMaxPodsTxt => read_eni_max_pods_all(name, &bytes),
    }
}

/// The catalogue read, or the faults found (with any fault that stopped the reading last).
fn collected(
    read: Result<Catalog>,
    mut faults: Vec<Error>,
) -> std::result::Result<Catalog, Vec<Error>> {
    match read {
        Ok(catalog) if faults.is_empty() => Ok(catalog),
        Ok(_) => Err(faults),
        Err(e) => {
            faults.push(e);
            Err(faults)
        }
    }
}

/// Reads `eni-max-pods.txt`: `#` comment lines and blank lines skipped, every other line an
/// instance type and its max pods separated by blanks.
pub fn read_eni_max_pods(name: &str, bytes: &[u8]) -> Result<Catalog> {
    read_eni_max_pods_all(name, bytes).map_err(first_fault)
}

/// [`read_eni_max_pods`], with the fault of every bad line.
pub fn read_eni_max_pods_all(name: &str, bytes: &[u8]) -> std::result::Result<Catalog, Vec<Error>> {
    let mut faults = Vec::new();
    let read = eni_max_pods(name, bytes, &mut faults);
    collected(read, faults)
}

fn eni_max_pods(name: &str, bytes: &[u8], faults: &mut Vec<Error>) -> Result<Catalog> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Error::MalformedCsv {
            location: Location::line(name, line as u64, None),
            message: "not valid UTF-8 text".into(),
        }
    })?;
    let mut catalog = Catalog::new();
    catalog.add_source(name.to_owned());
    let mut listed = Listed::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut fields = trimmed.split_whitespace();
        let (Some(instance_type), Some(pods), None) = (fields.next(), fields.next(), fields.next())
        else {
            faults.push(Error::InvalidValue {
                location: Location::line(name, line_no, None),
                found: trimmed.to_owned(),
                expected: "an instance type and its max pods separated by a space, as in \
                           eni-max-pods.txt (m5.large 29)"
                    .into(),
            });
            continue;
        };
        let listed = fields::whole(pods, &Location::line(name, line_no, Some("max pods")))
            .and_then(|max_pods| {
                let limits = InstanceLimits {
                    max_pods: Some(max_pods),
                    sources: vec![format!("{name}:{line_no}")],
                    ..InstanceLimits::named(instance_type)
                };
                let at = Location::line(name, line_no, None);
                // The format gives max pods alone, which may be 0: held to the rules all the same.
                limits
                    .check()
                    .map_err(|broken| broken.at(at.clone(), broken.limit.field()))?;
                listed.add(&mut catalog, limits, at)
            });
        if let Err(e) = listed {
            faults.push(e);
        }
    }
    if !faults.is_empty() {
        return Ok(catalog);
    }
    not_empty(name, catalog)
}

#[derive(Deserialize)]
struct DescribePage {
    #[serde(rename = "InstanceTypes")]
    instance_types: Vec<AwsInstanceType>,
}

#[derive(Deserialize)]
struct AwsInstanceType {
    #[serde(rename = "InstanceType")]
    instance_type: String,
    #[serde(rename = "VCpuInfo")]
    vcpu_info: Option<VCpuInfo>,
    #[serde(rename = "NetworkInfo")]
    network_info: Option<NetworkInfo>,
    #[serde(rename = "Hypervisor")]
    hypervisor: Option<String>,
    #[serde(rename = "BareMetal")]
    bare_metal: Option<bool>,
}

#[derive(Deserialize)]
struct VCpuInfo {
    #[serde(rename = "DefaultVCpus")]
    default_vcpus: Option<u32>,
}

#[derive(Deserialize)]
struct NetworkInfo {
    #[serde(rename = "MaximumNetworkInterfaces")]
    maximum_network_interfaces: Option<u32>,
    #[serde(rename = "Ipv4AddressesPerInterface")]
    ipv4_addresses_per_interface: Option<u32>,
    #[serde(rename = "DefaultNetworkCardIndex")]
    default_network_card_index: Option<u32>,
    #[serde(rename = "NetworkCards", default)]
    network_cards: Vec<NetworkCard>,
}

#[derive(Deserialize)]
struct NetworkCard {
    #[serde(rename = "NetworkCardIndex")]
    network_card_index: u32,
    #[serde(rename = "MaximumNetworkInterfaces")]
    maximum_network_interfaces: u32,
}

/// A catalogue source that lists no instance type is a mistake (a header-only CSV, an empty page).
fn not_empty(name: &str, catalog: Catalog) -> Result<Catalog> {
    if catalog.is_empty() {
        return Err(Error::EmptyCatalog {
            location: Location::file(name),
            hint: "an empty InstanceTypes list, or a CSV with a header and no rows".into(),
        });
    }
    Ok(catalog)
}

/// Reads `describe-instance-types` JSON. ENIs are the default network card's, as ipamd's limits
/// table takes them for multi-card types.
pub fn read_describe_json(name: &str, bytes: &[u8]) -> Result<Catalog> {
    read_describe_json_all(name, bytes).map_err(first_fault)
}

/// [`read_describe_json`], with the fault of every bad entry.
pub fn read_describe_json_all(
    name: &str,
    bytes: &[u8],
) -> std::result::Result<Catalog, Vec<Error>> {
    let mut faults = Vec::new();
    let read = describe_json(name, bytes, &mut faults);
    collected(read, faults)
}

fn describe_json(name: &str, bytes: &[u8], faults: &mut Vec<Error>) -> Result<Catalog> {
    let mut catalog = Catalog::new();
    catalog.add_source(name.to_owned());
    let mut listed = Listed::default();
    let mut pages = 0;
    let mut index = 0;
    // PowerShell and some editors write a UTF-8 byte-order mark, which JSON parsers refuse.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .filter(|&i| bytes[i] == b'[')
    {
        let line = crate::read::io::line_at(bytes, at);
        return Err(Error::MalformedJson {
            location: Location::line(name, line, None),
            source: JsonFault::List,
        });
    }
    for page in serde_json::Deserializer::from_slice(bytes).into_iter::<DescribePage>() {
        let page = page.map_err(|e| Error::MalformedJson {
            location: Location::line(
                name,
                e.line() as u64,
                Some(&format!("column {}", e.column())),
            ),
            source: JsonFault::Parse(e),
        })?;
        pages += 1;
        for it in page.instance_types {
            let entry = format!("InstanceTypes[{index}] ({})", it.instance_type);
            index += 1;
            let at = Location::entry(name, entry.clone());
            let limits = entry_limits(name, entry, it);
            if let Err(e) = limits.and_then(|limits| listed.add(&mut catalog, limits, at)) {
                faults.push(e);
            }
        }
    }
    if !faults.is_empty() {
        return Ok(catalog);
    }
    if pages == 0 {
        return Err(Error::MalformedJson {
            location: Location::file(name),
            source: JsonFault::Empty,
        });
    }
    not_empty(name, catalog)
}

/// One entry of describe-instance-types (`entry` names it) as instance limits, checked: the
/// default network card's ENIs (else the instance's), IPv4 addresses per ENI, hypervisor, bare
/// metal and default vCPUs.
fn entry_limits(name: &str, entry: String, it: AwsInstanceType) -> Result<InstanceLimits> {
    let network = it.network_info;
    let card_enis = network.as_ref().and_then(|n| {
        let default = n.default_network_card_index.unwrap_or(0);
        n.network_cards
            .iter()
            .find(|c| c.network_card_index == default)
            .map(|c| c.maximum_network_interfaces)
    });
    let max_enis = card_enis.or(network.as_ref().and_then(|n| n.maximum_network_interfaces));
    let ipv4 = network
        .as_ref()
        .and_then(|n| n.ipv4_addresses_per_interface);
    if max_enis.is_none() || ipv4.is_none() {
        return Err(Error::MissingValue {
            location: Location::entry(name, entry),
            hint: "NetworkInfo.MaximumNetworkInterfaces and NetworkInfo.Ipv4AddressesPerInterface \
                   are needed; is this the output of aws ec2 describe-instance-types?"
                .into(),
        });
    }
    let limits = InstanceLimits {
        max_enis,
        ipv4_per_eni: ipv4,
        hypervisor: it
            .hypervisor
            .as_deref()
            .and_then(crate::catalog::hypervisor),
        bare_metal: it.bare_metal,
        vcpus: it.vcpu_info.and_then(|v| v.default_vcpus),
        sources: vec![format!("{name}:{entry}")],
        ..InstanceLimits::named(it.instance_type.trim())
    };
    let at = Location::entry(name, entry);
    limits.check().map_err(|broken| {
        let field = match broken.limit {
            Limit::MaxEnis => "NetworkInfo.MaximumNetworkInterfaces",
            Limit::Ipv4PerEni => "NetworkInfo.Ipv4AddressesPerInterface",
            Limit::Vcpus => "VCpuInfo.DefaultVCpus",
        };
        broken.at(at, field)
    })?;
    Ok(limits)
}

/// The header names a limits CSV's columns go by (in lower case), each column's aliases
/// together: this project's own, the upstream data files' and describe-instance-types' names.
mod limits_columns {
    pub const TYPE: &[&str] = &["instance_type", "instancetype", "type"];
    pub const ENIS: &[&str] = &[
        "eni_limit",
        "max_enis",
        "maxeni",
        "maximum_network_interfaces",
    ];
    pub const IPV4: &[&str] = &["ipv4_per_eni", "ipv4addr", "ipv4_addresses_per_interface"];
    pub const PODS: &[&str] = &["max_pods", "maxpods"];
    pub const HYPERVISOR: &[&str] = &["hypervisor", "hypervisor_type"];
    pub const BARE_METAL: &[&str] = &["is_bare_metal", "bare_metal"];
    pub const VCPUS: &[&str] = &["vcpus", "default_vcpus"];
    /// The VPC resource controller's trunking table (branch-eni-limits.csv); its `interface`
    /// column counts every network card's ENIs, not the default card's ipamd manages, so it is
    /// not read as an ENI limit.
    pub const TRUNKING: &[&str] = &["is_trunking_compatible", "trunking_compatible"];
    pub const BRANCH: &[&str] = &["branch_interface", "branch_interfaces"];

    /// Whether `name` (lower case) is one of the names above.
    pub fn is_known(name: &str) -> bool {
        [
            TYPE, ENIS, IPV4, PODS, HYPERVISOR, BARE_METAL, VCPUS, TRUNKING, BRANCH,
        ]
        .iter()
        .any(|names| names.contains(&name))
    }
}

/// What a limits CSV needs, for the hint of a missing column.
const LIMITS_CSV_COLUMNS: &str = "a limits CSV needs eni_limit (or max_enis) with ipv4_per_eni, \
    and/or max_pods, and/or is_trunking_compatible and branch_interface";

/// Where a limits CSV's columns are: the header's names (in lower case) and the index of each
/// column read.
struct LimitsColumns {
    names: Vec<String>,
    instance_type: usize,
    enis: Option<usize>,
    ipv4: Option<usize>,
    pods: Option<usize>,
    hypervisor: Option<usize>,
    bare_metal: Option<usize>,
    vcpus: Option<usize>,
    trunking: Option<usize>,
    branch: Option<usize>,
}

impl LimitsColumns {
    /// Finds the columns of the header `names` (at `header_at`), or fails when the header is a
    /// scenario CSV's or lacks a column the format needs.
    fn find(names: Vec<String>, header_at: Location) -> Result<Self> {
        let find = |aliases: &[&str]| names.iter().position(|h| aliases.contains(&h.as_str()));
        // A scenario CSV has instance types and may have max_pods: it would pass for a max-pods
        // table, its per-scenario overrides taken for the types' limits.
        if find(&["scenario"]).is_some() {
            return Err(Error::WrongFileKind {
                location: header_at,
                found: "a scenario CSV (its header has a scenario column)".into(),
                expected: "an instance catalogue".into(),
                hint: "give it to eval as an input, not to --catalog".into(),
            });
        }
        let missing = |column: &str, hint: String| Error::MissingColumns {
            location: header_at.clone(),
            columns: vec![column.into()],
            hint,
        };
        let instance_type = find(limits_columns::TYPE).ok_or_else(|| {
            missing(
                "instance_type",
                format!("{LIMITS_CSV_COLUMNS}, each row named by its instance_type"),
            )
        })?;
        let (enis, ipv4, pods) = (
            find(limits_columns::ENIS),
            find(limits_columns::IPV4),
            find(limits_columns::PODS),
        );
        let (trunking, branch) = (find(limits_columns::TRUNKING), find(limits_columns::BRANCH));
        match (enis, ipv4, pods) {
            (Some(_), None, _) => return Err(missing("ipv4_per_eni", LIMITS_CSV_COLUMNS.into())),
            (None, Some(_), _) => return Err(missing("eni_limit", LIMITS_CSV_COLUMNS.into())),
            (None, None, None) if trunking.is_none() && branch.is_none() => {
                return Err(missing("eni_limit", LIMITS_CSV_COLUMNS.into()));
            }
            _ => {}
        }
        Ok(LimitsColumns {
            instance_type,
            enis,
            ipv4,
            pods,
            hypervisor: find(limits_columns::HYPERVISOR),
            bare_metal: find(limits_columns::BARE_METAL),
            vcpus: find(limits_columns::VCPUS),
            trunking,
            branch,
            names,
        })
    }

    /// The limits of the row `record` (on line `line` of file `name`), checked against the
    /// rules; `None` for a row without an instance type.
    fn row(
        &self,
        record: &csv::StringRecord,
        name: &str,
        line: u64,
    ) -> Result<Option<InstanceLimits>> {
        let field = |col: Option<usize>| col.and_then(|c| record.get(c)).filter(|v| !v.is_empty());
        let at = |col: usize| Location::line(name, line, Some(&self.names[col]));
        let Some(instance_type) = field(Some(self.instance_type)) else {
            return Ok(None);
        };
        let whole = |col: Option<usize>| match col {
            Some(c) => fields::opt_whole(field(col), &at(c)),
            None => Ok(None),
        };
        let boolean = |col: Option<usize>| match col {
            Some(c) => fields::opt_boolean(field(col), &at(c)),
            None => Ok(None),
        };
        let limits = InstanceLimits {
            max_enis: whole(self.enis)?,
            ipv4_per_eni: whole(self.ipv4)?,
            max_pods: whole(self.pods)?,
            hypervisor: field(self.hypervisor).and_then(crate::catalog::hypervisor),
            bare_metal: boolean(self.bare_metal)?,
            vcpus: whole(self.vcpus)?,
            trunking_compatible: boolean(self.trunking)?,
            branch_interfaces: whole(self.branch)?,
            sources: vec![format!("{name}:{line}")],
            ..InstanceLimits::named(instance_type)
        };
        limits.check().map_err(|broken| {
            // A limit that is set was read from its column.
            let col = match broken.limit {
                Limit::MaxEnis => self.enis,
                Limit::Ipv4PerEni => self.ipv4,
                Limit::Vcpus => self.vcpus,
            }
            .unwrap_or(self.instance_type);
            broken.at(at(col), &self.names[col])
        })?;
        Ok(Some(limits))
    }
}

/// Reads a limits CSV. Header names ignore case; columns the tool does not use are ignored.
pub fn read_limits_csv(name: &str, bytes: &[u8]) -> Result<Catalog> {
    read_limits_csv_all(name, bytes).map_err(first_fault)
}

/// [`read_limits_csv`], with the fault of every bad row (its first).
pub fn read_limits_csv_all(name: &str, bytes: &[u8]) -> std::result::Result<Catalog, Vec<Error>> {
    let mut faults = Vec::new();
    let read = limits_csv(name, bytes, &mut faults);
    collected(read, faults)
}

fn limits_csv(name: &str, bytes: &[u8], faults: &mut Vec<Error>) -> Result<Catalog> {
    let bytes = &*lf_line_ends(bytes);
    let (mut reader, columns) = limits_header(name, bytes)?;
    let headers = &columns.names;

    let mut catalog = Catalog::new();
    catalog.add_source(name.to_owned());
    let mut listed = Listed::default();
    let mut record = csv::StringRecord::new();
    loop {
        let read = reader.read_record(&mut record);
        let end = reader.position().line();
        let bytes = record.as_byte_record().as_slice();
        match read {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if let Some(opened) = reader.get_ref().open_quote() {
                    let column = headers.get(opened.field).map_or("", String::as_str);
                    return Err(quotes::open_quote_fault(name, opened, column, end - 1));
                }
                let line = record_line(e.position(), end, bytes);
                return Err(csv_error(name, &e, Some(&record), line));
            }
        }
        let line = record_line(record.position(), end, bytes);
        // No field of a limits CSV runs over lines: a quote left open took in the rows after it.
        if let Some((col, at)) = quotes::first_line_end(record.as_byte_record(), line) {
            let column = |c: usize| headers.get(c).map_or("", String::as_str);
            faults.push(match reader.get_ref().open_quote() {
                Some(opened) => {
                    quotes::open_quote_fault(name, opened, column(opened.field), end - 1)
                }
                None => quotes::line_end_fault(name, at, column(col), None),
            });
            continue;
        }
        let limits = columns
            .row(&record, name, line)
            .and_then(|limits| match limits {
                Some(l) => listed.add(&mut catalog, l, Location::line(name, line, None)),
                None => Ok(()),
            });
        if let Err(e) = limits {
            faults.push(e);
        }
    }
    if !faults.is_empty() {
        return Ok(catalog);
    }
    not_empty(name, catalog)
}

/// A limits CSV's reader, past its header, and the columns the header names.
fn limits_header<'b>(
    name: &str,
    bytes: &'b [u8],
) -> Result<(csv::Reader<QuoteTracker<&'b [u8]>>, LimitsColumns)> {
    // Laid out as a scenario CSV is: Excel's `sep=;` line skipped but for its line end.
    let layout = separator::layout(bytes, limits_columns::is_known);
    let (bytes, header_line) = (&bytes[layout.skip..], layout.header_line);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .delimiter(layout.separator)
        .from_reader(QuoteTracker::new(bytes, layout.separator));
    let malformed = |e: csv::Error| Error::MalformedCsv {
        location: e.position().map_or_else(
            || Location::file(name),
            |p| Location::line(name, p.line(), None),
        ),
        message: e.to_string(),
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(malformed)?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let columns = LimitsColumns::find(headers, Location::line(name, header_line, None))?;
    Ok((reader, columns))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"{"InstanceTypes":[
        {"InstanceType":"m5.large","VCpuInfo":{"DefaultVCpus":2},"Hypervisor":"nitro","BareMetal":false,
         "NetworkInfo":{"MaximumNetworkInterfaces":3,"Ipv4AddressesPerInterface":10}},
        {"InstanceType":"p4d.24xlarge","VCpuInfo":{"DefaultVCpus":96},"Hypervisor":"nitro","BareMetal":false,
         "NetworkInfo":{"MaximumNetworkInterfaces":60,"Ipv4AddressesPerInterface":50,"DefaultNetworkCardIndex":0,
           "NetworkCards":[{"NetworkCardIndex":0,"MaximumNetworkInterfaces":15},{"NetworkCardIndex":1,"MaximumNetworkInterfaces":15}]}}
    ],"NextToken":"abc"}"#;

    #[test]
    fn describe_json_takes_the_default_cards_enis() {
        let c = read_bytes("types.json", PAGE.as_bytes().to_vec()).unwrap();
        let m5 = c.get("m5.large").unwrap();
        assert_eq!(
            (m5.max_enis, m5.ipv4_per_eni, m5.vcpus),
            (Some(3), Some(10), Some(2))
        );
        assert_eq!(m5.hypervisor.as_deref(), Some("nitro"));
        assert_eq!(c.get("p4d.24xlarge").unwrap().max_enis, Some(15));
    }

    #[test]
    fn concatenated_pages_are_read() {
        let two = format!("{PAGE}\n{}", PAGE.replace("m5.large", "m5.xlarge"));
        let c = read_bytes("pages.json", two.into_bytes()).unwrap();
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = read_bytes(
            "bad.json",
            b"{\"InstanceTypes\": [\n  {\"InstanceType\": 5}]}".to_vec(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("bad.json:2:column "), "{e}");
    }

    #[test]
    fn limits_csv_from_a_spreadsheet_in_any_locale() {
        // Semicolons and decimal commas (a German Excel), tabs; a .txt or .tsv name as well.
        for (name, csv) in [
            (
                "limits.csv",
                "Instance_Type;ENI_Limit;IPv4_per_ENI;max_pods\nm5.large;3,0;10;29\n",
            ),
            (
                "limits.tsv",
                "instance_type\teni_limit\tipv4_per_eni\tmax_pods\nm5.large\t3\t10\t29\n",
            ),
            (
                "limits.txt",
                "instance_type;eni_limit;ipv4_per_eni;max_pods\nm5.large;3;10;29\n",
            ),
        ] {
            let c = read_bytes(name, csv.as_bytes().to_vec()).unwrap();
            let m5 = c.get("m5.large").unwrap();
            assert_eq!(
                (m5.max_enis, m5.ipv4_per_eni, m5.max_pods),
                (Some(3), Some(10), Some(29)),
                "{name}"
            );
            assert_eq!(m5.sources, vec![format!("{name}:2")]);
        }
        // Excel's separator line is honoured, and lines are counted as in the file.
        let c = read_bytes(
            "limits.txt",
            b"sep=;\ninstance_type;eni_limit;ipv4_per_eni\nm5.large;3;10\n".to_vec(),
        )
        .unwrap();
        assert_eq!(c.get("m5.large").unwrap().sources, vec!["limits.txt:3"]);
        let e = read_bytes(
            "limits.csv",
            b"sep=,\ninstance_type,ipv4_per_eni\nm5.large,10\n".to_vec(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("limits.csv:2: missing required column \"eni_limit\""),
            "{e}"
        );
        // A faulty row is named by its line and column as in a comma-separated file.
        let e = read_bytes(
            "limits.csv",
            b"instance_type;eni_limit;ipv4_per_eni\nm5.large;3;1.000\n".to_vec(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("limits.csv:2:ipv4_per_eni: invalid number \"1.000\""),
            "{e}"
        );
    }

    #[test]
    fn limits_csv_ignores_extra_columns() {
        let csv = "instance_type,eni_limit,ipv4_per_eni,hypervisor_type,is_bare_metal,derived_x\nm5.large,3,10,nitro,false,9\n";
        let c = read_bytes("limits.csv", csv.as_bytes().to_vec()).unwrap();
        let m5 = c.get("m5.large").unwrap();
        assert_eq!(
            (m5.max_enis, m5.ipv4_per_eni, m5.bare_metal),
            (Some(3), Some(10), Some(false))
        );
        assert_eq!(m5.sources, vec!["limits.csv:2".to_string()]);
    }

    #[test]
    fn the_resource_controllers_trunking_table_is_a_layer() {
        // branch-eni-limits.csv as published: the multi-card `interface` count is not read.
        let csv = "instance_type,is_trunking_compatible,branch_interface,interface,ipv4_per_interface,default_network_card_index\n\
                   m5.large,true,9,3,10,0\nt3.medium,false,0,3,6,0\nc6in.32xlarge,true,107,16,50,0\n";
        let c = read_bytes("branch-eni-limits.csv", csv.as_bytes().to_vec()).unwrap();
        let m5 = c.get("m5.large").unwrap();
        assert_eq!(
            (m5.trunking_compatible, m5.branch_interfaces),
            (Some(true), Some(9))
        );
        assert_eq!(m5.max_enis, None);
        assert_eq!(c.get("t3.medium").unwrap().trunking_compatible, Some(false));
        assert_eq!(c.get("c6in.32xlarge").unwrap().max_enis, None);
        let e = read_bytes(
            "b.csv",
            b"instance_type,is_trunking_compatible\nm5.large,perhaps\n".to_vec(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("b.csv:2:is_trunking_compatible: invalid value"),
            "{e}"
        );
    }

    #[test]
    fn max_pods_only_csv_is_a_layer() {
        let c = read_bytes(
            "pods.csv",
            b"instance_type,max_pods\nm5.large,29\n".to_vec(),
        )
        .unwrap();
        assert_eq!(c.get("m5.large").unwrap().max_pods, Some(29));
        assert_eq!(c.get("m5.large").unwrap().max_enis, None);
    }

    #[test]
    fn limits_csv_errors_name_line_and_column() {
        let e = read_bytes(
            "l.csv",
            b"instance_type,eni_limit,ipv4_per_eni\nm5.large,three,10\n".to_vec(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("l.csv:2:eni_limit: invalid number"),
            "{e}"
        );
        let e = read_bytes("l.csv", b"instance_type,eni_limit\nm5.large,3\n".to_vec()).unwrap_err();
        assert!(
            e.to_string()
                .contains("missing required column \"ipv4_per_eni\""),
            "{e}"
        );
        let e = read_bytes("l.txt", b"hello".to_vec()).unwrap_err();
        assert!(e.to_string().contains("unknown catalogue format"), "{e}");
    }
}
