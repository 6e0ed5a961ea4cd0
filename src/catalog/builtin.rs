//! The built-in instance catalogue: every instance type the upstream tables know, compiled into
//! the binary, so that a scenario CSV needs no `--catalog`.
//!
//! The data is `builtin.csv` beside this file, one row per type, sorted: ENIs per network card
//! (`;`-separated, card 0 first) and the default card, IPv4 addresses per ENI, hypervisor and
//! bare metal from the VPC CNI's `pkg/vpc/vpc_ip_resource_limit.go`; max pods from its
//! `misc/eni-max-pods.txt`; trunking compatibility and branch ENIs from the VPC resource
//! controller's `pkg/aws/vpc/limits.go`; default vCPUs from the sources `vcpus.csv` names. A
//! blank field is one no source gives. `builtin-sources.csv` records each source (repository,
//! path, commit, date); the `sources` column of a row names the sources that gave it. Both files
//! are made by `cargo run --example update-catalog` from checkouts of the upstream repositories
//! (see `docs/formats.md`), never edited by hand.
//!
//! The files are compiled in with `include_str!` and parsed once, on first use.

use std::sync::LazyLock;

use serde::Serialize;

use super::{Catalog, InstanceLimits};

/// The catalogue's rows, as `update-catalog` writes them.
const DATA: &str = include_str!("builtin.csv");
/// The catalogue's sources, as `update-catalog` writes them.
const SOURCES: &str = include_str!("builtin-sources.csv");

/// One upstream source of the built-in catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The id the data's `sources` column uses (`cni`, `pods`, `rc`, `K`, ...).
    pub id: String,
    /// The GitHub repository, `owner/name`.
    pub repository: String,
    /// The file in the repository.
    pub path: String,
    /// The commit the file was read at (the last that changed it, for the VPC CNI and the
    /// resource controller).
    pub commit: String,
    /// That commit's date, `YYYY-MM-DD`.
    pub date: String,
    /// The catalogue columns the source gives.
    pub fields: String,
}

impl Source {
    /// How the outputs name the source's project.
    fn project(&self) -> &str {
        match self.repository.as_str() {
            "aws/amazon-vpc-cni-k8s" => "VPC CNI",
            "aws/amazon-vpc-resource-controller-k8s" => "VPC resource controller",
            "aws/karpenter-provider-aws" => "Karpenter",
            "kubernetes/autoscaler" => "cluster-autoscaler",
            other => other,
        }
    }

    /// The commit, shortened to 12 digits as git shows it.
    pub fn short_commit(&self) -> &str {
        &self.commit[..self.commit.len().min(12)]
    }
}

/// The built-in data, parsed on first use.
struct Builtin {
    catalog: Catalog,
    sources: Vec<Source>,
}

static BUILTIN: LazyLock<Builtin> = LazyLock::new(|| Builtin {
    catalog: parse_data(DATA),
    sources: parse_sources(SOURCES),
});

/// The built-in catalogue, with no file source: every type the upstream tables know.
pub fn catalog() -> &'static Catalog {
    &BUILTIN.catalog
}

/// The sources of the built-in catalogue, in the order its provenance file lists them.
pub fn sources() -> &'static [Source] {
    &BUILTIN.sources
}

/// The date of the built-in catalogue's instance types: that of the VPC CNI's limits table,
/// which lists them.
pub fn date() -> &'static str {
    sources()
        .iter()
        .find(|s| s.id == "cni")
        .map_or("", |s| s.date.as_str())
}

/// The built-in catalogue in a few words, each project with its commits and their dates:
/// `built-in (VPC CNI 6152e01c83bb of 2026-08-11, ...)`.
pub fn describe() -> String {
    let mut projects: Vec<(&str, Vec<String>)> = Vec::new();
    for s in sources() {
        let at = if s.date.is_empty() {
            s.short_commit().to_owned()
        } else {
            format!("{} of {}", s.short_commit(), s.date)
        };
        match projects.iter_mut().find(|(p, _)| *p == s.project()) {
            Some((_, commits)) if !commits.contains(&at) => commits.push(at),
            Some(_) => {}
            None => projects.push((s.project(), vec![at])),
        }
    }
    let parts: Vec<String> = projects
        .into_iter()
        .map(|(project, commits)| format!("{project} {}", commits.join(" and ")))
        .collect();
    format!("built-in ({})", parts.join(", "))
}

/// The built-in catalogue as the JSON outputs give it: `{"date": …, "sources": […]}`.
pub fn to_json() -> serde_json::Value {
    serde_json::json!({ "date": date(), "sources": sources() })
}

/// The instance data a run used, as its outputs name it: the built-in catalogue (unless
/// `--no-builtin-catalog`) and the catalogue sources layered over it (a workbook's own lookup
/// sheets, the `--catalog` files), in layering order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstanceData {
    /// Whether the built-in catalogue was used.
    pub built_in: bool,
    /// The other catalogue sources, in layering order.
    pub catalogs: Vec<String>,
}

impl InstanceData {
    /// In words: `built-in (VPC CNI 6152e01c83bb of 2026-08-11, ...), then x.json`, or the
    /// files alone, or `none`.
    pub fn describe(&self) -> String {
        self.describe_over(&self.catalogs.join(", "))
    }

    /// [`InstanceData::describe`], with the catalogue sources as `files` words them.
    pub(crate) fn describe_over(&self, files: &str) -> String {
        match (self.built_in, files.is_empty()) {
            (true, true) => describe(),
            (true, false) => format!("{}, then {files}", describe()),
            (false, false) => files.to_owned(),
            (false, true) => "none".to_owned(),
        }
    }

    /// As the JSON outputs give it: `{"built_in": {"date": …, "sources": […]} or null,
    /// "catalogs": […]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let built_in = self.built_in.then(to_json);
        serde_json::json!({ "built_in": built_in, "catalogs": self.catalogs })
    }
}

/// The header of `builtin.csv`, in order: the generator (`examples/update-catalog`) writes it,
/// [`catalog`] reads the columns by these names.
pub const COLUMNS: [&str; 11] = [
    "instance_type",
    "network_card_enis",
    "default_network_card",
    "ipv4_per_eni",
    "hypervisor",
    "bare_metal",
    "max_pods",
    "trunking_compatible",
    "branch_interfaces",
    "vcpus",
    "sources",
];

/// Parses `builtin.csv`. The data is the project's own, checked by the tests: a fault in it is a
/// bug, not an input error.
fn parse_data(text: &str) -> Catalog {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("builtin.csv has a header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("builtin.csv has no {name} column"))
    };
    let [
        t,
        cards,
        default,
        ipv4,
        hyp,
        metal,
        pods,
        trunk,
        branch,
        vcpus,
        ids,
    ] = COLUMNS.map(col);
    let mut catalog = Catalog::new();
    for record in reader.records() {
        let record = record.expect("builtin.csv is well-formed CSV");
        let name = &record[t];
        let field = |c: usize| Some(&record[c]).filter(|v| !v.is_empty());
        let number = |c: usize| {
            field(c).map(|v| {
                v.parse::<u32>()
                    .unwrap_or_else(|_| panic!("builtin.csv: {name}: {v:?} is not a number"))
            })
        };
        let boolean = |c: usize| field(c).map(|v| v == "true");
        // ipamd and the max-pods calculator use the default network card's ENIs.
        let max_enis = number(default).and_then(|d| {
            field(cards)?
                .split(';')
                .nth(d as usize)
                .map(|n| n.parse().expect("builtin.csv: ENIs per card are numbers"))
        });
        let limits = InstanceLimits {
            max_enis,
            ipv4_per_eni: number(ipv4),
            max_pods: number(pods),
            hypervisor: field(hyp).map(str::to_owned),
            bare_metal: boolean(metal),
            vcpus: number(vcpus),
            trunking_compatible: boolean(trunk),
            branch_interfaces: number(branch),
            sources: vec![format!("built-in ({})", &record[ids])],
            ..InstanceLimits::named(name)
        };
        // Held to the rules every catalogue is (a test parses the data).
        if let Err(broken) = limits.check() {
            panic!("builtin.csv: {name}: {broken:?}");
        }
        catalog.insert(limits);
    }
    catalog
}

/// Parses `builtin-sources.csv`.
fn parse_sources(text: &str) -> Vec<Source> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("builtin-sources.csv is well-formed CSV");
            let field = |i: usize| r.get(i).unwrap_or_default().to_owned();
            Source {
                id: field(0),
                repository: field(1),
                path: field(2),
                commit: field(3),
                date: field(4),
                fields: field(5),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_parses_with_every_type_the_upstream_tables_know() {
        let c = catalog();
        // 1,391 types of the VPC CNI's table, and i3.metal from the resource controller's.
        assert_eq!(c.len(), 1392);
        let count =
            |f: &dyn Fn(&InstanceLimits) -> bool| c.entries().into_iter().filter(|l| f(l)).count();
        assert_eq!(
            count(&|l| l.max_enis.is_some() && l.ipv4_per_eni.is_some()),
            1392
        );
        assert_eq!(count(&|l| l.max_pods.is_some()), 1391);
        assert_eq!(count(&|l| l.trunking_compatible.is_some()), 1164);
        assert_eq!(count(&|l| l.vcpus.is_some()), 1384);
        assert_eq!(count(&|l| l.hypervisor.as_deref() == Some("nitro")), 1150);
        assert_eq!(count(&|l| l.hypervisor.as_deref() == Some("xen")), 80);
        // Every row's sources are listed in the provenance.
        for l in c.entries() {
            let ids = l.sources[0]
                .trim_start_matches("built-in (")
                .trim_end_matches(')');
            for id in ids.split(' ') {
                assert!(
                    sources().iter().any(|s| s.id == id),
                    "{}: {id}",
                    l.instance_type
                );
            }
        }
    }

    #[test]
    fn rows_read_as_upstream_gives_them() {
        let c = catalog();
        let m5 = c.get("m5.large").unwrap();
        assert_eq!(
            (m5.max_enis, m5.ipv4_per_eni, m5.max_pods, m5.vcpus),
            (Some(3), Some(10), Some(29), Some(2))
        );
        assert_eq!(
            (m5.trunking_compatible, m5.branch_interfaces),
            (Some(true), Some(9))
        );
        assert_eq!(m5.hypervisor.as_deref(), Some("nitro"));
        // Xen, no trunking.
        let m4 = c.get("m4.large").unwrap();
        assert_eq!(m4.hypervisor.as_deref(), Some("xen"));
        assert_eq!(m4.trunking_compatible, Some(false));
        // Bare metal: EC2 gives no hypervisor.
        let metal = c.get("c5.metal").unwrap();
        assert_eq!(
            (metal.hypervisor.as_deref(), metal.bare_metal),
            (None, Some(true))
        );
        // 32 network cards of 2 ENIs: the default card's count.
        let p5 = c.get("p5.48xlarge").unwrap();
        assert_eq!(
            (p5.max_enis, p5.max_pods, p5.vcpus),
            (Some(2), Some(100), Some(192))
        );
        assert_eq!(p5.sources, ["built-in (cni pods rc K)"]);
        // Known to the resource controller alone.
        let i3 = c.get("i3.metal").unwrap();
        assert_eq!(
            (i3.max_enis, i3.ipv4_per_eni, i3.max_pods),
            (Some(15), Some(50), None)
        );
    }

    #[test]
    fn the_provenance_names_each_source() {
        let cni = sources().iter().find(|s| s.id == "cni").unwrap();
        assert_eq!(
            (cni.repository.as_str(), cni.path.as_str()),
            ("aws/amazon-vpc-cni-k8s", "pkg/vpc/vpc_ip_resource_limit.go")
        );
        assert_eq!(cni.commit.len(), 40);
        assert_eq!(date(), cni.date);
        assert!(
            sources().iter().all(|s| s.date.len() == 10),
            "{:?}",
            sources()
        );
        let text = describe();
        assert!(
            text.starts_with(&format!(
                "built-in (VPC CNI {} of {}, VPC resource controller ",
                cni.short_commit(),
                cni.date
            )),
            "{text}"
        );
        let data = InstanceData {
            built_in: true,
            catalogs: vec!["x.json".into()],
        };
        assert!(
            data.describe().ends_with("), then x.json"),
            "{}",
            data.describe()
        );
        let json = data.to_json();
        assert_eq!(json["built_in"]["sources"][0]["id"], "cni");
        assert_eq!(json["catalogs"][0], "x.json");
        assert_eq!(
            InstanceData::default().to_json()["built_in"],
            serde_json::Value::Null
        );
    }
}
