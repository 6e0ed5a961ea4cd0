//! The schema's tests: the table agrees with itself, the docs and where values go.

use super::*;

#[test]
fn each_field_is_its_own_index_and_names_are_unique() {
    for (i, f) in Field::ALL.into_iter().enumerate() {
        assert_eq!(f as usize, i);
        assert!(!f.name().is_empty() && !f.spec().header.is_empty(), "{f:?}");
    }
    assert_eq!(Field::COUNT, 21);
    assert_eq!(Field::BranchEniPods.name(), "branch_eni_pods");
    assert_eq!(
        required_names(),
        "scenario, subnet_cidr, instance_type, instances, pods_per_node"
    );
}

#[test]
fn every_name_stands_for_one_field() {
    // No alias or report header of one field reads as another field's name.
    let mut seen: HashMap<String, Field> = HashMap::new();
    for field in Field::ALL {
        for name in names_of(field) {
            let key = normalized(name);
            assert!(!key.is_empty(), "{name:?} of {field:?}");
            if let Some(other) = seen.insert(key, field) {
                assert_eq!(other, field, "{name:?} reads as both");
            }
        }
    }
}

#[test]
fn a_value_is_read_back_from_where_its_slot_put_it() {
    let s = example();
    for f in Field::ALL.into_iter().filter(|&f| f != Field::Note) {
        assert_eq!(f.value(&s, 0).to_string(), f.spec().example, "{f:?}");
    }
    assert_eq!(Field::Note.value(&s, 0), FieldValue::Text(""));
}

#[test]
fn kinds_match_where_the_values_go() {
    let mut s = example();
    for f in Field::ALL {
        let kind = f.spec().kind;
        let fits = match f.slot(&mut s, 0) {
            FieldSlot::Id => kind == FieldKind::Id,
            FieldSlot::Subnets(_) => kind == FieldKind::Subnets,
            FieldSlot::Whole(_) => kind == FieldKind::Whole,
            FieldSlot::OptWhole(_) => {
                matches!(kind, FieldKind::OptWhole | FieldKind::OptPositive)
            }
            FieldSlot::Bool(_) => kind == FieldKind::Bool,
            FieldSlot::IpFamily(_) => kind == FieldKind::IpFamily,
            FieldSlot::MaxPodsRule(_) => kind == FieldKind::MaxPodsRule,
            FieldSlot::Text(_) => kind == FieldKind::Text,
            FieldSlot::Unread => kind == FieldKind::FreeText,
        };
        assert!(fits, "{f:?} is {kind:?}");
        let level = f.spec().level;
        assert_eq!(
            kind == FieldKind::FreeText,
            level == Level::Ignored,
            "{f:?}"
        );
    }
}

#[test]
fn headers_are_read_exactly_or_as_written_another_way() {
    let read = |t: &str| field_for_header(t);
    assert_eq!(
        read(" SUBNET_CIDR "),
        Some((Field::SubnetCidr, HeaderMatch::Exact))
    );
    assert_eq!(
        read("Subnet-CIDR"),
        Some((Field::SubnetCidr, HeaderMatch::Written))
    );
    assert_eq!(
        read("Node subnet(s)"),
        Some((Field::SubnetCidr, HeaderMatch::Written))
    );
    assert_eq!(read("colour"), None);
    assert_eq!(read("#"), None);
    assert_eq!(read("Subnet size (/n)"), None);
    for (name, expected) in [
        ("Subnet CIDR Size", Field::SubnetCidr),
        ("WARM_ENI_TARGET", Field::WarmEniTarget),
        ("WARM_IP_TARGET", Field::WarmIpTarget),
        ("MINIMUM_IP_TARGET", Field::MinimumIpTarget),
        ("Host Networking IPs", Field::HostNetworkingIps),
        ("Daemonset Pods", Field::DaemonsetPods),
        ("instance type", Field::InstanceType),
        ("# of Instances", Field::Instances),
        ("Target Workload Pods per Node", Field::PodsPerNode),
        ("Prefix Delegation", Field::PrefixDelegation),
        ("Max Pods", Field::MaxPods),
    ] {
        assert_eq!(read(name).map(|(f, _)| f), Some(expected), "{name}");
    }
}

#[test]
fn names_lose_case_blanks_and_punctuation() {
    assert_eq!(normalized(" Subnet CIDR "), "subnetcidr");
    assert_eq!(normalized("subnet_cidr"), "subnetcidr");
    assert_eq!(normalized("# of Instances"), "ofinstances");
    assert_eq!(normalized("Pods/Node"), "podsnode");
    assert_eq!(normalized("Größe"), "größe");
}

#[test]
fn close_names_are_suggested_once_per_field() {
    assert_eq!(close_fields("pods_per_nod")[0], Field::PodsPerNode);
    assert_eq!(close_fields("Warm ENI")[0], Field::WarmEniTarget);
    assert_eq!(close_fields("# of Instnces")[0], Field::Instances);
    assert!(close_fields("colour").is_empty());
}

#[test]
fn docs_formats_lists_every_alias() {
    let docs = include_str!("../../../docs/formats.md");
    let (_, section) = docs.split_once("### Header names").unwrap();
    for field in Field::ALL
        .into_iter()
        .filter(|f| !f.spec().aliases.is_empty())
    {
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` | ", field.name())))
            .unwrap_or_else(|| panic!("docs/formats.md has no alias row for {field:?}"));
        for alias in field.spec().aliases {
            assert!(
                row.to_lowercase().contains(alias),
                "docs/formats.md: {alias:?} is not in the row of {}",
                field.name()
            );
        }
    }
}

#[test]
fn the_docs_table_has_a_row_per_field() {
    let table = markdown_table();
    assert_eq!(table.lines().count(), 2 + Field::COUNT);
    assert!(table.contains(
        "| `instances` | node group | whole number ≥ 0 | yes | – | nodes in the node group \
         | `12` | a node-group table column |"
    ));
}
