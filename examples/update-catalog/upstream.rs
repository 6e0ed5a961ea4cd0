//! Readers for the upstream files the built-in catalogue is made from, each into typed rows by
//! instance type. Every fault names the file's line.

use std::collections::BTreeMap;

use crate::go_literal::{self, Element, Value};

/// A fault in an upstream file: its line and what is wrong.
pub type Fault = String;

/// What the VPC CNI's or the resource controller's table says of a type's network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// ENIs per network card, by card index (0, 1, ...).
    pub card_enis: Vec<u32>,
    /// The default network card's index.
    pub default_card: u32,
    /// IPv4 addresses per ENI, the primary included.
    pub ipv4_per_eni: u32,
    /// `nitro` or `xen`; `None` where the table says `unknown` or nothing (bare metal, old types).
    pub hypervisor: Option<String>,
    /// Whether the type is bare metal.
    pub bare_metal: bool,
}

impl Network {
    /// The ENIs of the default network card: the ENIs ipamd and the max-pods calculator use.
    pub fn max_enis(&self) -> u32 {
        self.card_enis[self.default_card as usize]
    }
}

/// A type of the VPC CNI's `pkg/vpc/vpc_ip_resource_limit.go`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CniLimits {
    pub network: Network,
    /// `ENILimit`, which must be the default card's ENIs.
    pub eni_limit: u32,
}

/// A type of the resource controller's `pkg/aws/vpc/limits.go`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControllerLimits {
    pub network: Network,
    /// `IsTrunkingCompatible`.
    pub trunking_compatible: bool,
    /// `BranchInterface`.
    pub branch_interfaces: u32,
}

/// The map literal `var_name` of a Go file, entry by entry: the instance type, the struct
/// literal, and its line.
fn entries<'a>(value: &'a Value, var_name: &str) -> Result<Vec<(String, &'a Value, usize)>, Fault> {
    let elements = value
        .elements()
        .ok_or_else(|| format!("`{var_name}` is not a map literal"))?;
    let mut seen = BTreeMap::new();
    let mut out = Vec::with_capacity(elements.len());
    for Element { key, value, line } in elements {
        let Some(Value::Str(name)) = key else {
            return Err(format!(
                "line {line}: an entry of `{var_name}` without a string key"
            ));
        };
        if let Some(first) = seen.insert(name.clone(), *line) {
            return Err(format!(
                "line {line}: {name} is listed again (first on line {first})"
            ));
        }
        out.push((name.clone(), value, *line));
    }
    Ok(out)
}

/// A struct literal's whole-number field.
fn whole(entry: &Value, field: &str, at: &str) -> Result<u32, Fault> {
    match entry.field(field) {
        Some(Value::Int(n)) => u32::try_from(*n).map_err(|_| format!("{at}: {field} is {n}")),
        Some(other) => Err(format!("{at}: {field} is not a whole number: {other:?}")),
        None => Err(format!("{at}: no {field}")),
    }
}

/// A struct literal's boolean field.
fn boolean(entry: &Value, field: &str, at: &str) -> Result<bool, Fault> {
    match entry.field(field) {
        Some(Value::Ident(b)) if b == "true" => Ok(true),
        Some(Value::Ident(b)) if b == "false" => Ok(false),
        Some(other) => Err(format!("{at}: {field} is not true or false: {other:?}")),
        None => Err(format!("{at}: no {field}")),
    }
}

/// The network fields both tables share (`NetworkCards`, `DefaultNetworkCardIndex`, the
/// hypervisor and bare metal), with the IPv4 field named as the table names it.
fn network(
    entry: &Value,
    ipv4_field: &str,
    hypervisor_field: &str,
    at: &str,
) -> Result<Network, Fault> {
    let cards = match entry.field("NetworkCards") {
        Some(list @ Value::Composite(..)) => list.elements().unwrap_or_default(),
        Some(other) => return Err(format!("{at}: NetworkCards is not a list: {other:?}")),
        None => return Err(format!("{at}: no NetworkCards")),
    };
    let mut card_enis = Vec::with_capacity(cards.len());
    for (position, card) in cards.iter().enumerate() {
        let card_at = format!("{at}, network card on line {}", card.line);
        let index = whole(&card.value, "NetworkCardIndex", &card_at)?;
        if index as usize != position {
            return Err(format!(
                "{card_at}: card index {index} in position {position} (the cards must be listed \
                 0, 1, 2... as the max-pods calculator indexes them by position)"
            ));
        }
        card_enis.push(whole(&card.value, "MaximumNetworkInterfaces", &card_at)?);
    }
    let default_card = whole(entry, "DefaultNetworkCardIndex", at)?;
    if default_card as usize >= card_enis.len() {
        return Err(format!(
            "{at}: default network card {default_card}, but {} card(s) listed",
            card_enis.len()
        ));
    }
    let hypervisor = match entry.field(hypervisor_field) {
        Some(Value::Str(h)) => match h.as_str() {
            "nitro" | "xen" => Some(h.clone()),
            // Upstream's spelling for "EC2 does not say" (ipamd writes "unknown" for an empty
            // value): not a hypervisor.
            "" | "unknown" => None,
            other => return Err(format!("{at}: unexpected {hypervisor_field} {other:?}")),
        },
        other => {
            return Err(format!(
                "{at}: {hypervisor_field} is not a string: {other:?}"
            ));
        }
    };
    Ok(Network {
        card_enis,
        default_card,
        ipv4_per_eni: whole(entry, ipv4_field, at)?,
        hypervisor,
        bare_metal: boolean(entry, "IsBareMetal", at)?,
    })
}

/// Reads `pkg/vpc/vpc_ip_resource_limit.go` of aws/amazon-vpc-cni-k8s.
pub fn vpc_cni_limits(source: &str) -> Result<BTreeMap<String, CniLimits>, Fault> {
    const VAR: &str = "instanceNetworkingLimits";
    let value = go_literal::variable(source, VAR).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    for (name, entry, line) in entries(&value, VAR)? {
        let at = format!("line {line} ({name})");
        let limits = CniLimits {
            network: network(entry, "IPv4Limit", "HypervisorType", &at)?,
            eni_limit: whole(entry, "ENILimit", &at)?,
        };
        if limits.eni_limit != limits.network.max_enis() {
            return Err(format!(
                "{at}: ENILimit {} differs from the default card's {} ENIs",
                limits.eni_limit,
                limits.network.max_enis()
            ));
        }
        out.insert(name, limits);
    }
    Ok(out)
}

/// Reads `pkg/aws/vpc/limits.go` of aws/amazon-vpc-resource-controller-k8s.
pub fn resource_controller_limits(
    source: &str,
) -> Result<BTreeMap<String, ControllerLimits>, Fault> {
    const VAR: &str = "Limits";
    let value = go_literal::variable(source, VAR).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    for (name, entry, line) in entries(&value, VAR)? {
        let at = format!("line {line} ({name})");
        out.insert(
            name,
            ControllerLimits {
                network: network(entry, "IPv4PerInterface", "Hypervisor", &at)?,
                trunking_compatible: boolean(entry, "IsTrunkingCompatible", &at)?,
                branch_interfaces: whole(entry, "BranchInterface", &at)?,
            },
        );
    }
    Ok(out)
}

/// Reads `misc/eni-max-pods.txt`: `#` comments, then `<instance type> <max pods>` per line.
pub fn eni_max_pods(source: &str) -> Result<BTreeMap<String, u32>, Fault> {
    let mut out = BTreeMap::new();
    for (i, line) in source.lines().enumerate() {
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let mut fields = text.split_whitespace();
        let (Some(name), Some(pods), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(format!(
                "line {}: expected a type and its max pods: {text:?}",
                i + 1
            ));
        };
        let pods: u32 = pods
            .parse()
            .map_err(|_| format!("line {}: max pods {pods:?} is not a whole number", i + 1))?;
        if out.insert(name.to_owned(), pods).is_some() {
            return Err(format!("line {}: {name} is listed again", i + 1));
        }
    }
    Ok(out)
}

/// One row of `vcpus.csv`: the default vCPUs and where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vcpus {
    pub vcpus: u32,
    /// The source as the file names it: `LABEL owner/repo@commit:path`.
    pub source: String,
}

/// Reads `vcpus.csv` (`instance_type,default_vcpus,source,also_in`).
pub fn vcpus(source: &str) -> Result<BTreeMap<String, Vcpus>, Fault> {
    let mut reader = csv::Reader::from_reader(source.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("line 1: no {name} column"))
    };
    let (t, v, s) = (
        column("instance_type")?,
        column("default_vcpus")?,
        column("source")?,
    );
    let mut out = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        let name = &record[t];
        let vcpus = record[v].parse().map_err(|_| {
            format!(
                "line {line}: default_vcpus {:?} is not a whole number",
                &record[v]
            )
        })?;
        let row = Vcpus {
            vcpus,
            source: record[s].to_owned(),
        };
        if out.insert(name.to_owned(), row).is_some() {
            return Err(format!("line {line}: {name} is listed again"));
        }
    }
    Ok(out)
}

/// A vCPU source as `vcpus.csv` names it (`K aws/karpenter-provider-aws@1d927085dd81:path`):
/// its label, repository, commit (as written, perhaps `abc^`) and path.
pub fn split_source(spec: &str) -> Result<(&str, &str, &str, &str), Fault> {
    let bad = || format!("source {spec:?} is not `LABEL owner/repo@commit:path`");
    let (label, rest) = spec.split_once(' ').ok_or_else(bad)?;
    let (repository, rest) = rest.split_once('@').ok_or_else(bad)?;
    let (commit, path) = rest.split_once(':').ok_or_else(bad)?;
    Ok((label, repository, commit, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two entries in the VPC CNI's layout (made-up types and figures).
    const CNI: &str = r#"
package vpc

var instanceNetworkingLimits = map[string]InstanceTypeLimits{
	"zz1.large": {
		ENILimit:                3,
		IPv4Limit:               10,
		DefaultNetworkCardIndex: 0,
		NetworkCards: []NetworkCard{
			{
				MaximumNetworkInterfaces: 3,
				NetworkCardIndex:         0,
			},
		},
		HypervisorType: "nitro",
		IsBareMetal:    false,
	},
	"zz1.metal": {
		ENILimit:                8,
		IPv4Limit:               50,
		DefaultNetworkCardIndex: 0,
		NetworkCards: []NetworkCard{
			{
				MaximumNetworkInterfaces: 8,
				NetworkCardIndex:         0,
			},
			{
				MaximumNetworkInterfaces: 4,
				NetworkCardIndex:         1,
			},
		},
		HypervisorType: "unknown",
		IsBareMetal:    true,
	},
}
"#;

    #[test]
    fn reads_the_vpc_cni_table() {
        let t = vpc_cni_limits(CNI).unwrap();
        assert_eq!(t.len(), 2);
        let large = &t["zz1.large"].network;
        assert_eq!(
            (
                large.max_enis(),
                large.ipv4_per_eni,
                large.hypervisor.as_deref(),
                large.bare_metal
            ),
            (3, 10, Some("nitro"), false)
        );
        let metal = &t["zz1.metal"].network;
        assert_eq!(metal.card_enis, [8, 4]);
        assert_eq!(
            (metal.hypervisor.as_deref(), metal.bare_metal),
            (None, true)
        );
    }

    #[test]
    fn the_vpc_cni_tables_faults_name_the_type_and_line() {
        let e =
            vpc_cni_limits(&CNI.replace("ENILimit:                8", "ENILimit: 9")).unwrap_err();
        assert!(
            e.starts_with("line 18 (zz1.metal): ENILimit 9 differs"),
            "{e}"
        );
        let e = vpc_cni_limits(&CNI.replace("\"nitro\"", "\"kvm\"")).unwrap_err();
        assert!(
            e.contains("(zz1.large): unexpected HypervisorType \"kvm\""),
            "{e}"
        );
        let e = vpc_cni_limits(&CNI.replace("NetworkCardIndex:         1", "NetworkCardIndex: 2"))
            .unwrap_err();
        assert!(e.contains("card index 2 in position 1"), "{e}");
        let e = vpc_cni_limits(&CNI.replace("zz1.metal", "zz1.large")).unwrap_err();
        assert!(
            e.contains("zz1.large is listed again (first on line 5)"),
            "{e}"
        );
        let e = vpc_cni_limits(&CNI.replace("IPv4Limit:               10,", "")).unwrap_err();
        assert!(e.contains("(zz1.large): no IPv4Limit"), "{e}");
    }

    #[test]
    fn reads_the_resource_controllers_table() {
        let rc = r#"
var Limits = map[string]*VPCLimits{
	"zz1.large": {
		Interface:               3,
		IPv4PerInterface:        10,
		IsTrunkingCompatible:    true,
		BranchInterface:         9,
		DefaultNetworkCardIndex: 0,
		NetworkCards: []NetworkCard{
			{
				MaximumNetworkInterfaces: 3,
				NetworkCardIndex:         0,
			},
		},
		Hypervisor:  "",
		IsBareMetal: false,
	},
}"#;
        let t = resource_controller_limits(rc).unwrap();
        let l = &t["zz1.large"];
        assert_eq!((l.trunking_compatible, l.branch_interfaces), (true, 9));
        assert_eq!(
            (l.network.max_enis(), l.network.hypervisor.as_deref()),
            (3, None)
        );
    }

    #[test]
    fn reads_eni_max_pods_txt_and_vcpus_csv() {
        let pods = eni_max_pods("# comment\n#\nzz1.large 29\n\nzz1.metal 394\n").unwrap();
        assert_eq!(pods["zz1.metal"], 394);
        assert!(
            eni_max_pods("zz1.large twenty\n")
                .unwrap_err()
                .starts_with("line 1:")
        );
        let v = vcpus(
            "instance_type,default_vcpus,source,also_in\n\
             zz1.large,2,K owner/repo@0123abcd:docs/types.md,CA\n",
        )
        .unwrap();
        assert_eq!(v["zz1.large"].vcpus, 2);
        assert_eq!(
            split_source(&v["zz1.large"].source).unwrap(),
            ("K", "owner/repo", "0123abcd", "docs/types.md")
        );
        let e = vcpus("instance_type,default_vcpus,source\nzz1.large,two,K a/b@c:d\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
    }
}
