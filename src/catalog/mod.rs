//! The instance catalogue: per instance type, the limits the models look up.
//!
//! A [`Catalog`] is built from one or more sources (a legacy workbook's lookup sheets, the JSON of
//! `aws ec2 describe-instance-types`, a limits CSV; see [`crate::read::catalog_files`]), usually over
//! the [built-in catalogue](builtin). Later sources override earlier ones field by field, so a
//! max-pods-only CSV can be layered over a limits file. Lookups ignore ASCII case, as the legacy
//! workbook's XLOOKUP does.
//!
//! The layers, bottom first: the built-in data, then the catalogue files in the order given. For
//! a legacy workbook's own scenarios the workbook's lookup sheets come between the two, and the
//! built-in data gives only what the workbook has no sheet for ([`Catalog::fill_from_builtin`]):
//! the types the workbook's formulas look up and their max ENIs, IPv4 addresses per ENI and max
//! pods come from the workbook and the files alone, so that the workbook model reproduces the
//! workbook, its `#N/A` included.

pub mod builtin;
pub mod rules;

use std::collections::BTreeMap;

use hashbrown::HashMap;

use serde::Serialize;

use crate::scenario::subnet::legacy_cidr_ips;

/// What the catalogue knows about one instance type. Fields a source did not give are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceLimits {
    /// The instance type as its source spells it.
    pub instance_type: String,
    /// Maximum ENIs (on the default network card).
    pub max_enis: Option<u32>,
    /// IPv4 addresses per ENI, the ENI's primary address included.
    pub ipv4_per_eni: Option<u32>,
    /// Published max pods (`eni-max-pods.txt`, the workbook's maxPods sheet).
    pub max_pods: Option<u32>,
    /// `nitro` or `xen`; `None` where no source gives it (EC2 gives none for bare metal and
    /// some old types), which reads as not Nitro ([`InstanceLimits::is_nitro`]).
    pub hypervisor: Option<String>,
    /// Whether the type is bare metal.
    pub bare_metal: Option<bool>,
    /// Default vCPUs.
    pub vcpus: Option<u32>,
    /// Whether the VPC resource controller attaches a trunk ENI to this type, for security groups
    /// for pods (`IsTrunkingCompatible` in its `pkg/aws/vpc/limits.go`).
    pub trunking_compatible: Option<bool>,
    /// Branch ENIs (security-groups-for-pods pods) a node of this type takes at most
    /// (`BranchInterface`).
    pub branch_interfaces: Option<u32>,
    /// Where each contribution came from (`file:line` or `file:sheet!cell`), oldest first.
    pub sources: Vec<String>,
}

impl InstanceLimits {
    /// An entry with nothing known but its name.
    pub fn named(instance_type: impl Into<String>) -> Self {
        InstanceLimits {
            instance_type: instance_type.into(),
            max_enis: None,
            ipv4_per_eni: None,
            max_pods: None,
            hypervisor: None,
            bare_metal: None,
            vcpus: None,
            trunking_compatible: None,
            branch_interfaces: None,
            sources: Vec::new(),
        }
    }

    /// Whether the hypervisor is Nitro. A hypervisor no source gives is not Nitro: ipamd reads
    /// EC2's missing `Hypervisor` as `"unknown"` (amazon-vpc-cni-k8s `pkg/awsutils/awsutils.go`
    /// 1948-1951) and compares it with `"nitro"` (2025-2031); the EKS max-pods calculator tests
    /// `"$HYPERVISOR_TYPE" == "nitro"` (amazon-eks-ami `max-pods-calculator.sh` 122-126).
    pub fn is_nitro(&self) -> bool {
        self.hypervisor
            .as_deref()
            .is_some_and(|h| h.eq_ignore_ascii_case("nitro"))
    }

    /// Whether EC2 lets this type use /28 prefixes: Nitro or bare metal, as ipamd's
    /// `IsPrefixDelegationSupported` decides it (`pkg/awsutils/awsutils.go` 2025-2031); a type
    /// whose hypervisor and bare-metal flag no source gives cannot.
    pub fn supports_prefix_delegation(&self) -> bool {
        self.is_nitro() || self.bare_metal == Some(true)
    }

    /// Layers `newer` over `self`: every field `newer` knows replaces this one's.
    fn overlay(&mut self, newer: InstanceLimits) {
        let InstanceLimits {
            instance_type,
            max_enis,
            ipv4_per_eni,
            max_pods,
            hypervisor,
            bare_metal,
            vcpus,
            trunking_compatible,
            branch_interfaces,
            sources,
        } = newer;
        self.instance_type = instance_type;
        self.max_enis = max_enis.or(self.max_enis);
        self.ipv4_per_eni = ipv4_per_eni.or(self.ipv4_per_eni);
        self.max_pods = max_pods.or(self.max_pods);
        self.hypervisor = hypervisor.or(self.hypervisor.take());
        self.bare_metal = bare_metal.or(self.bare_metal);
        self.vcpus = vcpus.or(self.vcpus);
        self.trunking_compatible = trunking_compatible.or(self.trunking_compatible);
        self.branch_interfaces = branch_interfaces.or(self.branch_interfaces);
        self.sources.extend(sources);
    }
}

/// A hypervisor as a catalogue file gives it: `None` for a blank or `unknown`, upstream's
/// spelling of "EC2 does not say" (ipamd writes `unknown` for a missing value), so that every
/// format reads a missing hypervisor alike.
pub(crate) fn hypervisor(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && !text.eq_ignore_ascii_case("unknown")).then(|| text.to_owned())
}

/// How the built-in catalogue takes part in a [`Catalog`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BuiltinLayer {
    /// Not at all: the catalogue holds its files' data alone (`--no-builtin-catalog`).
    #[default]
    Absent,
    /// As the bottom layer: every type and field it knows, under the files'.
    Bottom,
    /// Under a legacy workbook's own lookup sheets: only the fields the workbook has no sheet
    /// for, of the types listed above it ([`Catalog::fill_from_builtin`]).
    Beneath,
}

/// Which kind of source supplied a catalogue: the layer its scenarios take their instance types
/// from, which says where a type they lack is to be added ([`Catalog::unknown_type_hint`]).
/// Layering other catalogues over it ([`Catalog::layer`]) keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceKind {
    /// Catalogue files (`--catalog`), or nothing yet.
    #[default]
    Files,
    /// The built-in catalogue, with any files over it ([`Catalog::over_builtin`]).
    BuiltIn,
    /// A legacy workbook's lookup sheets (its maxENI, maxPods and CidrData tables).
    WorkbookLookups,
    /// A report's Catalog sheet.
    ReportCatalog,
}

/// Instance limits by type, plus the legacy workbook's CidrData table when a workbook supplied one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    entries: HashMap<String, InstanceLimits>,
    cidr_table: Option<BTreeMap<u8, i64>>,
    sources: Vec<String>,
    kind: SourceKind,
    builtin: BuiltinLayer,
    /// Boxed: a workbook read holds its catalogue, and keeps small.
    hints: Box<HintCache>,
}

/// The hints of unknown instance types already worded: a batch that names one unknown type on a
/// million rows measures its distance to every known type once, not a million times.
#[derive(Debug, Default)]
struct HintCache(std::sync::Mutex<HashMap<String, String>>);

impl HintCache {
    /// Hints kept at most: a batch of distinct unknown types stops being remembered, not checked.
    const MAX: usize = 4096;
}

impl Clone for HintCache {
    /// A copy starts afresh: its catalogue may change.
    fn clone(&self) -> Self {
        HintCache::default()
    }
}

impl PartialEq for HintCache {
    /// Not part of what a catalogue holds.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for HintCache {}

impl HintCache {
    /// Forgets every hint: the catalogue changed.
    fn clear(&mut self) {
        if let Ok(hints) = self.0.get_mut() {
            hints.clear();
        }
    }
}

impl Catalog {
    /// An empty catalogue, for catalogue files.
    pub fn new() -> Self {
        Catalog::default()
    }

    /// An empty catalogue for a source of the kind `kind` to fill.
    pub fn of_kind(kind: SourceKind) -> Self {
        Catalog {
            kind,
            ..Catalog::default()
        }
    }

    /// The built-in catalogue as the bottom layer of a new catalogue, for files to be layered
    /// over ([`Catalog::layer`]).
    pub fn over_builtin() -> Self {
        Catalog {
            builtin: BuiltinLayer::Bottom,
            kind: SourceKind::BuiltIn,
            ..builtin::catalog().clone()
        }
    }

    /// Which kind of source supplied this catalogue.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// How the built-in catalogue takes part in this one.
    pub fn builtin_layer(&self) -> BuiltinLayer {
        self.builtin
    }

    /// Puts the built-in catalogue beneath a legacy workbook's own catalogue (its lookup sheets,
    /// with any files layered over them): each type listed gets, where neither the workbook nor
    /// the files give it, the built-in hypervisor, bare-metal flag, vCPUs, trunking
    /// compatibility and branch ENIs. Its max ENIs, IPv4 addresses per ENI and max pods, and the
    /// types listed, stay the workbook's and the files': the legacy formulas look those up, and
    /// where the workbook lacks one it shows `#N/A`, which the workbook model must show too.
    pub fn fill_from_builtin(&mut self) {
        self.hints.clear();
        let base = builtin::catalog();
        for limits in self.entries.values_mut() {
            let Some(b) = base.get(&limits.instance_type) else {
                continue;
            };
            let before = (
                limits.hypervisor.is_some(),
                limits.bare_metal,
                limits.vcpus,
                limits.trunking_compatible,
                limits.branch_interfaces,
            );
            limits.hypervisor = limits.hypervisor.take().or_else(|| b.hypervisor.clone());
            limits.bare_metal = limits.bare_metal.or(b.bare_metal);
            limits.vcpus = limits.vcpus.or(b.vcpus);
            limits.trunking_compatible = limits.trunking_compatible.or(b.trunking_compatible);
            limits.branch_interfaces = limits.branch_interfaces.or(b.branch_interfaces);
            let after = (
                limits.hypervisor.is_some(),
                limits.bare_metal,
                limits.vcpus,
                limits.trunking_compatible,
                limits.branch_interfaces,
            );
            if after != before {
                limits.sources.insert(0, b.sources.join("; "));
            }
        }
        self.builtin = BuiltinLayer::Beneath;
    }

    /// Adds or overlays one instance type.
    pub fn insert(&mut self, limits: InstanceLimits) {
        self.hints.clear();
        let key = limits.instance_type.to_ascii_lowercase();
        match self.entries.get_mut(&key) {
            Some(existing) => existing.overlay(limits),
            None => {
                self.entries.insert(key, limits);
            }
        }
    }

    /// Sets the legacy workbook's CidrData table (prefix length → "number of ips").
    pub fn set_cidr_table(&mut self, table: BTreeMap<u8, i64>) {
        self.cidr_table = Some(table);
    }

    /// Records the name of a source that contributed to this catalogue.
    pub fn add_source(&mut self, source: impl Into<String>) {
        self.hints.clear();
        self.sources.push(source.into());
    }

    /// Layers `newer` over this catalogue: its types overlay these field by field, and its
    /// CidrData table, if any, replaces this one.
    pub fn layer(&mut self, newer: &Catalog) {
        for limits in newer.entries.values() {
            self.insert(limits.clone());
        }
        if let Some(table) = &newer.cidr_table {
            self.cidr_table = Some(table.clone());
        }
        self.sources.extend(newer.sources.iter().cloned());
    }

    /// The limits of an instance type, ignoring ASCII case and surrounding blanks.
    pub fn get(&self, instance_type: &str) -> Option<&InstanceLimits> {
        let t = match instance_type.as_bytes() {
            // Nearly always written without surrounding blanks: no Unicode trim then.
            [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => {
                instance_type
            }
            _ => instance_type.trim(),
        };
        // Types are nearly always written in lower case: look them up without allocating.
        if t.bytes().any(|b| b.is_ascii_uppercase()) {
            self.entries.get(&t.to_ascii_lowercase())
        } else {
            self.entries.get(t)
        }
    }

    /// Number of instance types.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no instance type is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sources layered over the built-in data (workbooks, catalogue files), in the order
    /// they were layered.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The catalogues an instance type was looked up in, for a message: `limits.csv or the
    /// built-in catalogue of 2026-08-11`, `team.xlsx`, or `no catalogue`.
    pub fn searched(&self) -> String {
        let files = self.sources.join(", ");
        let builtin = format!("the built-in catalogue of {}", builtin::date());
        match (self.builtin, files.is_empty()) {
            (BuiltinLayer::Bottom, true) => builtin,
            (BuiltinLayer::Bottom, false) => format!("{files} or {builtin}"),
            (_, false) => files,
            (_, true) => "no catalogue".to_owned(),
        }
    }

    /// The hint of an unknown instance type: close matches, and how to add the type.
    pub fn unknown_type_hint(&self, instance_type: &str) -> String {
        let cached = self
            .hints
            .0
            .lock()
            .ok()
            .and_then(|h| h.get(instance_type).cloned());
        if let Some(hint) = cached {
            return hint;
        }
        let hint = self.word_unknown_type_hint(instance_type);
        if let Some(mut hints) = self
            .hints
            .0
            .lock()
            .ok()
            .filter(|h| h.len() < HintCache::MAX)
        {
            hints.insert(instance_type.to_owned(), hint.clone());
        }
        hint
    }

    fn word_unknown_type_hint(&self, instance_type: &str) -> String {
        let t = instance_type.trim();
        // Named in a command only when it looks like an instance type: a value that would not
        // (a long or odd one) is not echoed into something to paste into a shell.
        let looks_like_a_type = t.len() <= 40
            && t.split_once('.').is_some_and(|(family, size)| {
                [family, size].iter().all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
            });
        let t = if looks_like_a_type { t } else { "TYPE" };
        let command = format!(
            "aws ec2 describe-instance-types --instance-types {t} > {t}.json, then --catalog {t}.json"
        );
        // Beneath a workbook's or report's own catalogue the built-in data lists no type of its
        // own: a type only it knows is to be added where that source lists its types.
        if self.builtin == BuiltinLayer::Beneath && builtin::catalog().get(instance_type).is_some()
        {
            match self.kind {
                SourceKind::WorkbookLookups => {
                    return format!(
                        "the workbook's maxENI sheet lacks it, so the workbook shows #N/A for \
                         it; the built-in catalogue knows it, but a workbook's scenarios take \
                         their types' limits from the workbook: add it to the maxENI sheet, or \
                         give its limits with --catalog ({command})"
                    );
                }
                SourceKind::ReportCatalog => {
                    return format!(
                        "the report's Catalog sheet lacks it; the built-in catalogue knows it, \
                         but a report's scenarios take their types' limits from its Catalog \
                         sheet: add a row for it there, or give its limits with --catalog \
                         ({command})"
                    );
                }
                SourceKind::Files | SourceKind::BuiltIn => {}
            }
        }
        let near = self.suggestions(instance_type);
        if near.is_empty() {
            format!("to add it: {command}")
        } else {
            format!("did you mean {}? Or, to add it: {command}", near.join(", "))
        }
    }

    /// Every entry, sorted by instance type.
    pub fn entries(&self) -> Vec<&InstanceLimits> {
        let mut all: Vec<_> = self.entries.values().collect();
        all.sort_by(|a, b| a.instance_type.cmp(&b.instance_type));
        all
    }

    /// The legacy workbook's "Total Available IP Addresses" for a /n: the CidrData table's entry
    /// when a workbook supplied one, otherwise the same table's rule 2^(32−n)−2 for n = 1…30.
    /// `None` where the table has no row (the workbook shows `#N/A`).
    pub fn legacy_subnet_ips(&self, prefix_len: u8) -> Option<i64> {
        match &self.cidr_table {
            Some(table) => table.get(&prefix_len).copied(),
            None if (1..=30).contains(&prefix_len) => Some(legacy_cidr_ips(prefix_len)),
            None => None,
        }
    }

    /// Up to three known instance types that look like `instance_type`, closest first.
    pub fn suggestions(&self, instance_type: &str) -> Vec<String> {
        let wanted = instance_type.trim().to_ascii_lowercase();
        let known = self.entries.values().map(|l| l.instance_type.as_str());
        crate::text::close_matches(&wanted, known)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(
        name: &str,
        enis: Option<u32>,
        ips: Option<u32>,
        pods: Option<u32>,
    ) -> InstanceLimits {
        InstanceLimits {
            max_enis: enis,
            ipv4_per_eni: ips,
            max_pods: pods,
            ..InstanceLimits::named(name)
        }
    }

    #[test]
    fn later_sources_override_field_by_field() {
        let mut base = Catalog::new();
        base.insert(limits("m5.large", Some(3), Some(10), None));
        let mut pods = Catalog::new();
        pods.insert(limits("M5.LARGE", None, None, Some(29)));
        base.layer(&pods);
        let got = base.get("m5.large").unwrap();
        assert_eq!(
            (got.max_enis, got.ipv4_per_eni, got.max_pods),
            (Some(3), Some(10), Some(29))
        );
        assert_eq!(base.len(), 1);
    }

    #[test]
    fn lookups_ignore_case_and_blanks() {
        let mut c = Catalog::new();
        c.insert(limits("c5.2xlarge", Some(4), Some(15), Some(58)));
        assert!(c.get(" C5.2XLarge ").is_some());
        assert!(c.get("c5.xlarge").is_none());
    }

    #[test]
    fn default_cidr_rule_matches_the_workbook_table() {
        let c = Catalog::new();
        assert_eq!(c.legacy_subnet_ips(23), Some(510));
        assert_eq!(c.legacy_subnet_ips(1), Some(2_147_483_646));
        assert_eq!(c.legacy_subnet_ips(30), Some(2));
        assert_eq!(c.legacy_subnet_ips(31), None);
        assert_eq!(c.legacy_subnet_ips(0), None);
    }

    #[test]
    fn suggestions_find_typos() {
        let mut c = Catalog::new();
        for name in ["m5.large", "m5.xlarge", "c5.large", "t3.small"] {
            c.insert(limits(name, Some(3), Some(10), None));
        }
        let s = c.suggestions("m5.lareg");
        assert_eq!(s.first().map(String::as_str), Some("m5.large"));
        assert!(c.suggestions("zzzz").is_empty());
    }

    #[test]
    fn prefix_delegation_support_follows_ipamd() {
        let mut l = InstanceLimits::named("x");
        // No hypervisor and no bare-metal flag: ipamd's "unknown", not Nitro.
        assert!(!l.is_nitro());
        assert!(!l.supports_prefix_delegation());
        l.hypervisor = Some("xen".into());
        assert!(!l.supports_prefix_delegation());
        l.bare_metal = Some(true);
        assert!(l.supports_prefix_delegation());
        l.hypervisor = Some("nitro".into());
        l.bare_metal = Some(false);
        assert!(l.supports_prefix_delegation());
        l.hypervisor = None;
        assert!(!l.supports_prefix_delegation());
        // Every format reads a blank or "unknown" hypervisor as none given.
        assert_eq!(hypervisor(" Unknown "), None);
        assert_eq!(hypervisor(""), None);
        assert_eq!(hypervisor("nitro").as_deref(), Some("nitro"));
    }

    #[test]
    fn files_layer_over_the_builtin_data_field_by_field() {
        let mut c = Catalog::over_builtin();
        let mut file = Catalog::new();
        file.add_source("pods.csv");
        file.insert(InstanceLimits {
            sources: vec!["pods.csv:2".into()],
            ..limits("m5.large", None, None, Some(20))
        });
        c.layer(&file);
        let m5 = c.get("m5.large").unwrap();
        assert_eq!(
            (m5.max_enis, m5.max_pods, m5.vcpus),
            (Some(3), Some(20), Some(2))
        );
        assert_eq!(m5.sources, ["built-in (cni pods rc K)", "pods.csv:2"]);
        assert_eq!(c.builtin_layer(), BuiltinLayer::Bottom);
        assert!(
            c.searched()
                .starts_with("pods.csv or the built-in catalogue of 20")
        );
        assert!(c.get("c7g.large").is_some());
    }

    #[test]
    fn a_hint_is_worded_once_and_forgotten_when_the_catalogue_changes() {
        let mut c = Catalog::new();
        c.insert(limits("m5.large", Some(3), Some(10), None));
        assert!(
            c.unknown_type_hint("m5.lareg")
                .starts_with("did you mean m5.large?")
        );
        assert_eq!(c.hints.0.lock().unwrap().len(), 1);
        c.insert(limits("m5.larger", Some(3), Some(10), None));
        assert!(c.hints.0.lock().unwrap().is_empty());
        assert!(c.unknown_type_hint("m5.lareg").contains("m5.larger"));
    }

    #[test]
    fn under_a_workbook_the_builtin_data_gives_only_what_it_has_no_sheet_for() {
        let mut book = Catalog::of_kind(SourceKind::WorkbookLookups);
        book.add_source("team.xlsx");
        // In maxENI but not in maxPods: the sheet shows #N/A for its max pods.
        book.insert(limits("m5.large", Some(3), Some(10), None));
        book.fill_from_builtin();
        let m5 = book.get("m5.large").unwrap();
        assert_eq!((m5.max_enis, m5.max_pods), (Some(3), None));
        assert_eq!(
            (m5.hypervisor.as_deref(), m5.vcpus),
            (Some("nitro"), Some(2))
        );
        assert_eq!(m5.sources[0], "built-in (cni pods rc K)");
        // A type the workbook does not list stays unknown to its scenarios.
        assert!(book.get("c5.large").is_none());
        assert_eq!(book.searched(), "team.xlsx");
        assert!(
            book.unknown_type_hint("c5.large")
                .contains("maxENI sheet lacks it")
        );
        assert!(
            book.unknown_type_hint("zz9.huge")
                .starts_with("to add it: aws ec2")
        );
        // Files layered over it keep the kind of the source it came from.
        book.layer(&Catalog::new());
        assert_eq!(book.kind(), SourceKind::WorkbookLookups);
    }

    #[test]
    fn the_hint_of_a_type_only_the_builtin_data_knows_follows_the_kind_of_source() {
        let hint = |kind| {
            let mut own = Catalog::of_kind(kind);
            own.add_source("x.xlsx");
            own.insert(limits("m5.large", Some(3), Some(10), None));
            own.fill_from_builtin();
            own.unknown_type_hint("c5.large")
        };
        assert!(hint(SourceKind::WorkbookLookups).contains("add it to the maxENI sheet"));
        let report = hint(SourceKind::ReportCatalog);
        assert!(
            report.starts_with("the report's Catalog sheet lacks it;")
                && !report.contains("maxENI"),
            "{report}"
        );
        assert!(hint(SourceKind::Files).starts_with("did you mean"));
        assert_eq!(Catalog::over_builtin().kind(), SourceKind::BuiltIn);
    }
}
