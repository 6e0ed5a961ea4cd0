//! Subnets as AWS describes them: the JSON that `aws ec2 describe-subnets --output json` prints
//! (an object with `"Subnets"`), the bare list that `--query Subnets` prints, or several pages of
//! either concatenated in one file. A scenario may then name its subnets by id
//! (`subnet-0a1b2c3d4e5f60718`); [`resolve`] turns such an entry into its CIDR, Availability Zone
//! and the addresses free in it today.
//!
//! `AvailableIpAddressCount` is taken as it is: AWS already leaves out the five addresses it
//! reserves in every subnet (a fresh /24 shows 251, a fresh /20 4,091), so nothing is subtracted
//! again. Fields the tool does not use are ignored, and an entry without `CidrBlock` (an
//! IPv6-only subnet) is kept: it is an error only when a scenario names it.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Error, JsonFault, Location, Result};
use crate::read::io::line_at;
use crate::scenario::subnet::{Subnet, aws_usable};
use crate::text::close_matches;

/// One subnet of a describe-subnets document: what the tool uses of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedSubnet {
    /// `SubnetId`.
    pub id: String,
    /// `CidrBlock`; `None` for an IPv6-only subnet.
    pub cidr: Option<Subnet>,
    /// `AvailabilityZone`, e.g. `eu-west-1a`.
    pub availability_zone: Option<String>,
    /// `AvailabilityZoneId`, e.g. `euw1-az1`.
    pub availability_zone_id: Option<String>,
    /// `AvailableIpAddressCount`: the addresses free in the subnet today (AWS's reserved five
    /// already left out).
    pub free_ips_now: Option<u32>,
    /// `VpcId`.
    pub vpc_id: Option<String>,
    /// The value of the `Name` tag.
    pub name: Option<String>,
    /// Where the entry is: the file and the line of its opening brace.
    pub at: Location,
}

/// The subnets of one or more describe-subnets files, by id.
#[derive(Debug, Clone, Default)]
pub struct SubnetDirectory {
    by_id: HashMap<String, DescribedSubnet>,
    files: Vec<String>,
}

/// A scenario's subnet entry as written by id: the subnet and what AWS says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSubnet {
    /// The subnet id.
    pub id: String,
    /// Its CIDR.
    pub subnet: Subnet,
    /// Its Availability Zone, when a describe-subnets file gave it.
    pub availability_zone: Option<String>,
    /// The addresses free in it today, when a describe-subnets file gave them.
    pub free_ips_now: Option<u32>,
    /// Its VPC, when a describe-subnets file gave it.
    pub vpc_id: Option<String>,
}

#[derive(Deserialize)]
struct Described<'a> {
    #[serde(rename = "Subnets", borrow)]
    subnets: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Entry {
    subnet_id: Option<String>,
    cidr_block: Option<String>,
    availability_zone: Option<String>,
    availability_zone_id: Option<String>,
    available_ip_address_count: Option<u32>,
    vpc_id: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

impl SubnetDirectory {
    /// An empty directory.
    pub fn new() -> Self {
        SubnetDirectory::default()
    }

    /// Reads one describe-subnets file named `name` into the directory. A subnet id listed twice,
    /// in this file or in one read before, is an error naming both places. Every bad entry is a
    /// fault; with several, [`Error::Several`] holds them all.
    pub fn read_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        // PowerShell and some editors write a UTF-8 byte-order mark, which JSON parsers refuse.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut faults = Vec::new();
        let mut pages = 0;
        let mut index = 0;
        let stream = serde_json::Deserializer::from_slice(bytes).into_iter::<&RawValue>();
        for document in stream {
            let document = document.map_err(|e| {
                let column = format!("column {}", e.column());
                Error::MalformedJson {
                    location: Location::line(name, e.line() as u64, Some(&column)),
                    source: JsonFault::SubnetsParse(e),
                }
            })?;
            let text = document.get();
            let entries = match text.as_bytes().first() {
                Some(b'[') => serde_json::from_str::<Vec<&RawValue>>(text).ok(),
                _ => serde_json::from_str::<Described>(text)
                    .ok()
                    .map(|d| d.subnets),
            };
            let Some(entries) = entries else {
                // Valid JSON of another shape: say what it lacks.
                let line = line_at(bytes, offset_in(bytes, text));
                return Err(Error::MalformedJson {
                    location: Location::line(name, line, None),
                    source: JsonFault::NotSubnets,
                });
            };
            pages += 1;
            for raw in entries {
                let at = Location::line(name, line_at(bytes, offset_in(bytes, raw.get())), None);
                if let Err(e) = self.add_entry(raw, index, at) {
                    faults.push(e);
                }
                index += 1;
            }
        }
        if pages == 0 {
            faults.push(Error::MalformedJson {
                location: Location::file(name),
                source: JsonFault::SubnetsEmpty,
            });
        }
        self.files.push(name.to_owned());
        Error::of_faults(faults).map_or(Ok(()), Err)
    }

    fn add_entry(&mut self, raw: &RawValue, index: usize, at: Location) -> Result<()> {
        let entry: Entry = serde_json::from_str(raw.get()).map_err(|e| Error::MalformedJson {
            location: at.clone(),
            source: JsonFault::SubnetEntry { index, source: e },
        })?;
        let Some(id) = entry.subnet_id.map(|id| id.trim().to_owned()) else {
            return Err(Error::MissingValue {
                location: at,
                hint: format!(
                    "Subnets[{index}] has no SubnetId; is this the output of aws ec2 describe-subnets?"
                ),
            });
        };
        let cidr = match entry.cidr_block.as_deref().map(str::parse::<Subnet>) {
            None => None,
            Some(Ok(cidr)) => Some(cidr),
            Some(Err(reason)) => {
                return Err(Error::BadCidr {
                    location: at.with_column("CidrBlock"),
                    found: entry.cidr_block.unwrap_or_default(),
                    reason,
                });
            }
        };
        if let (Some(cidr), Some(free)) = (cidr, entry.available_ip_address_count) {
            let usable = aws_usable(cidr.prefix_len);
            if i64::from(free) > usable {
                return Err(Error::FreeAboveUsable {
                    location: at,
                    subnet_id: id,
                    free: free.into(),
                    cidr: cidr.to_string(),
                    usable,
                });
            }
        }
        if let Some(first) = self.by_id.get(&id) {
            return Err(Error::DuplicateSubnetId {
                location: at,
                subnet_id: id,
                first: first.at.to_string(),
            });
        }
        let name = entry
            .tags
            .into_iter()
            .find(|t| t.key == "Name")
            .map(|t| t.value);
        let subnet = DescribedSubnet {
            id: id.clone(),
            cidr,
            availability_zone: entry.availability_zone,
            availability_zone_id: entry.availability_zone_id,
            free_ips_now: entry.available_ip_address_count,
            vpc_id: entry.vpc_id,
            name,
            at,
        };
        self.by_id.insert(id, subnet);
        Ok(())
    }

    /// The subnet with id `id`, when a file listed it.
    pub fn get(&self, id: &str) -> Option<&DescribedSubnet> {
        self.by_id.get(id)
    }

    /// How many subnets the files listed.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the files listed no subnet.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The files read, as named, joined for a message.
    pub fn files(&self) -> String {
        self.files.join(", ")
    }
}

/// Whether a scenario's subnet entry names a subnet by id (`subnet-…`, or `subnet-…=CIDR`).
pub fn is_subnet_id(entry: &str) -> bool {
    entry.trim_start().starts_with("subnet-")
}

/// Resolves a subnet entry written by id: `subnet-…` (looked up in `directory`) or
/// `subnet-…=CIDR` (the CIDR the user expects: checked against `directory` when there is one,
/// taken as written when there is none). `at` names the field the entry is in. `None` when the
/// entry is not written by id (a size or a CIDR, read as such).
pub fn resolve(
    entry: &str,
    directory: Option<&SubnetDirectory>,
    at: &Location,
) -> Option<Result<NamedSubnet>> {
    if !is_subnet_id(entry) {
        return None;
    }
    let (id, written) = match entry.trim().split_once('=') {
        Some((id, cidr)) => (id.trim(), Some(cidr.trim())),
        None => (entry.trim(), None),
    };
    Some(resolve_id(id, written, directory, at))
}

fn resolve_id(
    id: &str,
    written: Option<&str>,
    directory: Option<&SubnetDirectory>,
    at: &Location,
) -> Result<NamedSubnet> {
    let written = match written {
        None => None,
        Some(text) => Some(text.parse::<Subnet>().map_err(|reason| Error::BadCidr {
            location: at.clone(),
            found: text.to_owned(),
            reason,
        })?),
    };
    let Some(directory) = directory else {
        return match written {
            Some(subnet) => Ok(NamedSubnet {
                id: id.to_owned(),
                subnet,
                availability_zone: None,
                free_ips_now: None,
                vpc_id: None,
            }),
            None => Err(Error::SubnetIdWithoutFile {
                location: at.clone(),
                subnet_id: id.to_owned(),
            }),
        };
    };
    let Some(described) = directory.get(id) else {
        let near = close_matches(id, directory.by_id.keys().map(String::as_str));
        return Err(Error::UnknownSubnetId {
            location: at.clone(),
            subnet_id: id.to_owned(),
            files: directory.files(),
            near: near.first().map(|s| (*s).to_owned()),
        });
    };
    let Some(subnet) = described.cidr else {
        return Err(Error::SubnetWithoutIpv4 {
            location: at.clone(),
            subnet_id: id.to_owned(),
            listed_at: described.at.to_string(),
        });
    };
    if let Some(written) = written.filter(|w| *w != subnet) {
        return Err(Error::SubnetCidrDisagrees {
            location: at.clone(),
            subnet_id: id.to_owned(),
            listed: subnet.to_string(),
            listed_at: described.at.to_string(),
            written: written.to_string(),
        });
    }
    Ok(NamedSubnet {
        id: id.to_owned(),
        subnet,
        availability_zone: described.availability_zone.clone(),
        free_ips_now: described.free_ips_now,
        vpc_id: described.vpc_id.clone(),
    })
}

/// The offset of `part`, a slice borrowed from `whole`, in `whole`.
fn offset_in(whole: &[u8], part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECTED: &str = "expected the output of aws ec2 describe-subnets --output json (or \
                            the list that --query Subnets prints)";

    const TWO: &str = r#"{
  "Subnets": [
    {
      "AvailabilityZone": "eu-west-1a",
      "AvailabilityZoneId": "euw1-az1",
      "AvailableIpAddressCount": 187,
      "CidrBlock": "10.20.0.0/24",
      "SubnetId": "subnet-0a1b2c3d4e5f60718",
      "VpcId": "vpc-0123456789abcdef0",
      "Ipv6CidrBlockAssociationSet": [],
      "Tags": [{"Key": "team", "Value": "x"}, {"Key": "Name", "Value": "eks-nodes-a"}]
    },
    {
      "AvailabilityZone": "eu-west-1b",
      "AvailableIpAddressCount": 251,
      "CidrBlock": "10.20.1.0/24",
      "SubnetId": "subnet-0b1c2d3e4f5061728",
      "VpcId": "vpc-0123456789abcdef0"
    }
  ],
  "NextToken": "abc"
}"#;

    fn read(name: &str, text: &str) -> Result<SubnetDirectory> {
        let mut dir = SubnetDirectory::new();
        dir.read_bytes(name, text.as_bytes())?;
        Ok(dir)
    }

    fn at() -> Location {
        Location::line("s.csv", 4, Some("subnet_cidr"))
    }

    #[test]
    fn reads_what_describe_subnets_prints() {
        let dir = read("subnets.json", TWO).unwrap();
        assert_eq!(dir.len(), 2);
        let a = dir.get("subnet-0a1b2c3d4e5f60718").unwrap();
        assert_eq!(a.cidr, Some("10.20.0.0/24".parse().unwrap()));
        assert_eq!(a.availability_zone.as_deref(), Some("eu-west-1a"));
        assert_eq!(a.availability_zone_id.as_deref(), Some("euw1-az1"));
        assert_eq!(a.free_ips_now, Some(187));
        assert_eq!(a.name.as_deref(), Some("eks-nodes-a"));
        assert_eq!(a.at.to_string(), "subnets.json:3");
        assert_eq!(
            dir.get("subnet-0b1c2d3e4f5061728").unwrap().at.to_string(),
            "subnets.json:13"
        );
    }

    #[test]
    fn reads_the_list_of_query_subnets_pages_and_a_byte_order_mark() {
        let list = r#"[{"SubnetId": "subnet-01", "CidrBlock": "10.0.0.0/28"}]"#;
        let page = r#"{"Subnets": [{"SubnetId": "subnet-02", "CidrBlock": "10.0.0.16/28"}]}"#;
        let text = format!("\u{feff}{list}\n{page}\n");
        let dir = read("q.json", &text).unwrap();
        assert_eq!(dir.len(), 2);
        assert_eq!(dir.get("subnet-02").unwrap().at.to_string(), "q.json:2");
    }

    #[test]
    fn another_document_or_bad_json_is_refused_naming_the_place() {
        let other = read("t.json", r#"{"InstanceTypes": []}"#).unwrap_err();
        assert_eq!(
            other.to_string(),
            format!("t.json:1: malformed JSON: a document without \"Subnets\"; {EXPECTED}")
        );
        let bad = read("b.json", "{\"Subnets\": [\n  {\"SubnetId\": }\n]}").unwrap_err();
        assert!(
            bad.to_string()
                .starts_with("b.json:2:column 16: malformed JSON:"),
            "{bad}"
        );
        let empty = read("e.json", "  \n").unwrap_err();
        assert_eq!(
            empty.to_string(),
            format!("e.json: malformed JSON: empty file; {EXPECTED}")
        );
    }

    #[test]
    fn every_bad_entry_is_a_fault_of_its_own() {
        let text = r#"{"Subnets": [
  {"CidrBlock": "10.0.0.0/24"},
  {"SubnetId": "subnet-01", "CidrBlock": "10.0.0.0/24", "AvailableIpAddressCount": 300},
  {"SubnetId": "subnet-02", "CidrBlock": "10.0.0.1/24"},
  {"SubnetId": "subnet-03", "CidrBlock": "10.0.1.0/24"},
  {"SubnetId": "subnet-03", "CidrBlock": "10.0.1.0/24"}
]}"#;
        let faults = read("f.json", text).unwrap_err().faults();
        let shown: Vec<String> = faults.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:#?}");
        assert!(shown[0].starts_with("f.json:2: missing value (Subnets[0] has no SubnetId;"));
        assert_eq!(
            shown[1],
            "f.json:3: subnet-01: AvailableIpAddressCount 300 is more than the 251 usable \
             addresses of 10.0.0.0/24"
        );
        assert!(shown[2].starts_with("f.json:4:CidrBlock: bad CIDR \"10.0.0.1/24\""));
        assert_eq!(
            shown[3],
            "f.json:6: subnet id subnet-03 is listed twice (first at f.json:5)"
        );
    }

    #[test]
    fn an_id_listed_in_two_files_is_refused() {
        let mut dir = read("a.json", TWO).unwrap();
        let again = r#"[{"SubnetId": "subnet-0b1c2d3e4f5061728", "CidrBlock": "10.20.1.0/24"}]"#;
        let e = dir.read_bytes("b.json", again.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.json:1: subnet id subnet-0b1c2d3e4f5061728 is listed twice (first at a.json:13)"
        );
    }

    #[test]
    fn entries_by_id_resolve_to_cidr_zone_and_free_addresses() {
        let dir = read("subnets.json", TWO).unwrap();
        assert!(resolve("10.0.0.0/24", Some(&dir), &at()).is_none());
        assert!(resolve("22", None, &at()).is_none());
        let a = resolve(" subnet-0a1b2c3d4e5f60718 ", Some(&dir), &at())
            .unwrap()
            .unwrap();
        assert_eq!(a.subnet.to_string(), "10.20.0.0/24");
        assert_eq!(a.availability_zone.as_deref(), Some("eu-west-1a"));
        assert_eq!(a.free_ips_now, Some(187));
        assert_eq!(a.vpc_id.as_deref(), Some("vpc-0123456789abcdef0"));
        // ID=CIDR: checked against the file, or taken as written without one.
        let same = resolve("subnet-0a1b2c3d4e5f60718=10.20.0.0/24", Some(&dir), &at());
        assert_eq!(same.unwrap().unwrap(), a);
        let alone = resolve("subnet-0a1b2c3d4e5f60718=10.20.0.0/24", None, &at());
        let alone = alone.unwrap().unwrap();
        assert_eq!((alone.subnet, alone.free_ips_now), (a.subnet, None));
    }

    #[test]
    fn entries_by_id_that_cannot_be_resolved_say_why() {
        let mut dir = read("subnets.json", TWO).unwrap();
        let v6 = r#"[{"SubnetId": "subnet-0d6", "Ipv6Native": true}]"#;
        dir.read_bytes("v6.json", v6.as_bytes()).unwrap();
        let error = |entry: &str, dir: Option<&SubnetDirectory>| {
            resolve(entry, dir, &at()).unwrap().unwrap_err().to_string()
        };
        assert_eq!(
            error("subnet-0a1b2c3d4e5f60718", None),
            "s.csv:4:subnet_cidr: \"subnet-0a1b2c3d4e5f60718\" is a subnet id: give the output \
             of aws ec2 describe-subnets with --subnets FILE, or write \
             subnet-0a1b2c3d4e5f60718=CIDR"
        );
        assert_eq!(
            error("subnet-0a1b2c3d4e5f6071", Some(&dir)),
            "s.csv:4:subnet_cidr: unknown subnet id \"subnet-0a1b2c3d4e5f6071\" in \
             subnets.json, v6.json (did you mean subnet-0a1b2c3d4e5f60718?)"
        );
        assert_eq!(
            error("subnet-0a1b2c3d4e5f60718=10.20.0.0/25", Some(&dir)),
            "s.csv:4:subnet_cidr: subnet-0a1b2c3d4e5f60718 is 10.20.0.0/24 in subnets.json:3, \
             not 10.20.0.0/25 as written here"
        );
        assert_eq!(
            error("subnet-0d6", Some(&dir)),
            "s.csv:4:subnet_cidr: subnet-0d6 has no IPv4 CIDR in v6.json:1 (an IPv6-only \
             subnet): nodes take IPv4 addresses from their subnets"
        );
        assert!(error("subnet-01=10.0.0.1/24", None).contains("bad CIDR \"10.0.0.1/24\""));
    }
}
