//! The scenario CSV reader's tests.

use super::*;
use crate::scenario::IpFamily;
use crate::scenario::schema::Field;

fn read(text: &str) -> Result<Vec<LocatedScenario>> {
    read_bytes("s.csv", text.as_bytes())
}

#[test]
fn rows_with_one_id_form_one_scenario() {
    let got = read(
        "Scenario, SUBNET_CIDR ,instance_type,instances,pods_per_node,warm_ip_target\n\
         a,10.0.0.0/23,m5.large,3,20,5\n\
         a,,m5.xlarge,2,30,\n\
         b,/24,c5.xlarge,1,10,\n",
    )
    .unwrap();
    assert_eq!(got.len(), 2);
    let a = &got[0].scenario;
    assert_eq!(&*a.id, "a");
    assert_eq!(a.subnets[0].to_string(), "10.0.0.0/23");
    assert_eq!(a.cni.warm_ip_target, Some(5));
    assert_eq!(a.node_groups.len(), 2);
    assert_eq!(&*a.node_groups[1].instance_type, "m5.xlarge");
    assert_eq!(
        got[0].origin.node_group_location(1).to_string(),
        "s.csv:3:instance_type"
    );
    assert_eq!(got[1].scenario.subnets[0].prefix_len, 24);
    assert_eq!(got[1].scenario.cni.warm_ip_target, None);
}

#[test]
fn an_id_that_comes_back_after_another_names_both_lines() {
    let e = read(
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
         a,23,m5.large,3,20\n\
         b,24,c5.xlarge,1,10\n\
         a,,m5.xlarge,2,30\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with(
            "s.csv:4:scenario: the rows of scenario \"a\" are apart: it started on line 2"
        ),
        "{e}"
    );
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
        "scenario,subnet_cidr,instance_type,instances,pods_per_node,note\r\na,23,t3.small,1,2,\"two\r\nlines\"\r\nb,23,t3.small,1,2,\r\n",
    );
    assert_eq!(got.unwrap().len(), 2, "a quoted CRLF stays in its note");
    // Only the note runs over lines: elsewhere a line end is a quote left open.
    let e = read(
        "scenario,subnet_cidr,instance_type,instances,pods_per_node\r\n\r\na,23,\"t3.\r\nsmall\",1,2\r\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("s.csv:3:instance_type: malformed CSV: a quoted field here holds a line end, and no field of this file may run over lines"),
        "{e}"
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let got = read("\u{feff}scenario,subnet_cidr,instance_type,instances,pods_per_node\r\nx,23,t3.small,1,2\r\n").unwrap();
    assert_eq!(&*got[0].scenario.id, "x");
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
fn every_unknown_header_name_is_named_in_one_message() {
    let e = read("scenario,subnet_cidr,instance_type,instances,pods_per_nod,colour,warm_eni\n")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "s.csv:1: unknown columns \"pods_per_nod\" (did you mean pods_per_node?), \"colour\", \
             \"warm_eni\" (did you mean warm_eni_target or warm_prefix_target or warm_ip_target?); \
             the columns are: {} (see docs/formats.md)",
            Field::ALL.map(Field::name).join(", ")
        )
    );
    // Each close to a column: no list of them all.
    let e = read("scenario,subnet_cidr,instance_typ,instances,pods_per_nod\n")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "s.csv:1: unknown columns \"instance_typ\" (did you mean instance_type or instances?), \
         \"pods_per_nod\" (did you mean pods_per_node?)"
    );
    // A header of hundreds of unknown names: twenty named, the others counted.
    let wide: Vec<String> = (0..500).map(|i| format!("x{i}")).collect();
    let e = read(&format!("scenario,{}\n", wide.join(",")))
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"x19\" and 480 more; the columns are"), "{e}");
    assert!(!e.contains("\"x20\""), "{e}");
}

#[test]
fn headers_as_people_and_the_legacy_sheet_write_them_read_as_the_columns() {
    let canonical = read(
        "scenario,subnet_cidr,warm_eni_target,host_networking_ips,daemonset_pods,instance_type,instances,pods_per_node\n\
         a,23,1,2,2,m5.12xlarge,2,100\n\
         a,,,,,c5.2xlarge,1,30\n",
    )
    .unwrap();
    let people = "Scenario ID,Subnet CIDR Size,WARM_ENI_TARGET,Host Networking IPs,Daemonset Pods,\
                  Instance Type,# of Instances,Target Workload Pods per Node\n\
                  a,23,1,2,2,m5.12xlarge,2,100\n\
                  a,,,,,c5.2xlarge,1,30\n";
    let mut reader = ScenarioReader::new("s.csv", people.as_bytes(), u64::MAX).unwrap();
    let got = reader.by_ref().collect::<Result<Vec<_>>>().unwrap();
    assert_eq!(got[0].scenario, canonical[0].scenario);
    // Messages name the schema's column.
    assert_eq!(
        got[0].origin.node_group_location(1).to_string(),
        "s.csv:3:instance_type"
    );
    let note = reader.header_note().unwrap();
    assert_eq!(
        note.readings,
        [
            ("Scenario ID".to_owned(), "scenario"),
            ("Subnet CIDR Size".to_owned(), "subnet_cidr"),
            ("Host Networking IPs".to_owned(), "host_networking_ips"),
            ("Daemonset Pods".to_owned(), "daemonset_pods"),
            ("Instance Type".to_owned(), "instance_type"),
            ("# of Instances".to_owned(), "instances"),
            ("Target Workload Pods per Node".to_owned(), "pods_per_node"),
        ]
    );
    // The schema's own names (any case) need no note; semicolons are told with people's names.
    let reader = ScenarioReader::new(
        "s.csv",
        &b"Scenario,SUBNET_CIDR,instance_type,instances,pods_per_node\n"[..],
        u64::MAX,
    )
    .unwrap();
    assert!(reader.header_note().is_none());
    let got = read(
        "Scenario;Subnet CIDR;Instance Type;# of Instances;Pods per node\na;24;m5.large;1;2\n",
    )
    .unwrap();
    assert_eq!(got[0].scenario.node_groups[0].pods_per_node, 2);
}

#[test]
fn two_names_read_as_one_column_are_an_error_naming_both() {
    let e = read("scenario,Subnet CIDR,instance_type,instances,pods_per_node,subnet_cidr\n")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "s.csv:1: \"Subnet CIDR\" (column 2) and \"subnet_cidr\" (column 6) are both read as \
         subnet_cidr (keep one, or rename the other)"
    );
    let e = read("scenario,subnet_cidr,instance_type,# of Instances,Nodes,pods_per_node\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "\"# of Instances\" (column 4) and \"Nodes\" (column 5) are both read as instances"
        ),
        "{e}"
    );
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
    assert!(
        e.starts_with("s.csv:2:subnet_cidr: malformed CSV: a quote opened here is never closed"),
        "{e}"
    );
    // A quote closed too late: wrong field count, with the hint.
    let e = read(&format!("{head}a,\"23,t3.small\n\"b,1,2,\n"))
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
