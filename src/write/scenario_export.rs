//! Writes scenarios back as a scenario CSV, the format [`crate::read::scenario_csv`] reads: one
//! column per field of the scenario schema ([`crate::scenario::schema`]), in its order.
//!
//! Every column is written, and scenario-level values are repeated on every row of a scenario, so
//! the file sorts and filters safely in a spreadsheet. Reading the file back gives the same
//! scenarios.

use std::io::Write;

use crate::error::Result;
use crate::scenario::schema::Field;
use crate::scenario::{Scenario, format_subnets};
use crate::text::{CsvOptions, csv_text};
use crate::write::csv_error;

/// Writes scenarios as a scenario CSV, text fields escaped (see [`csv_text`]).
pub fn write<W: Write>(out: W, scenarios: &[&Scenario]) -> Result<W> {
    write_with(out, scenarios, CsvOptions::default())
}

/// Writes scenarios as a scenario CSV, text fields written as `options` say.
pub fn write_with<W: Write>(out: W, scenarios: &[&Scenario], options: CsvOptions) -> Result<W> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(Field::ALL.map(Field::name))
        .map_err(csv_error)?;
    let opt = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    for s in scenarios {
        for g in &s.node_groups {
            let record = [
                csv_text(&s.id, options).into_owned(),
                format_subnets(&s.subnets),
                opt(s.cni.warm_eni_target),
                opt(s.cni.warm_ip_target),
                opt(s.cni.minimum_ip_target),
                opt(s.cni.warm_prefix_target),
                s.cni.prefix_delegation.to_string(),
                s.cni.custom_networking.to_string(),
                format_subnets(&s.pod_subnets),
                s.cni.ip_family.as_str().to_owned(),
                s.cni.security_groups_for_pods.to_string(),
                opt(s.cni.max_eni),
                s.host_networking_ips.to_string(),
                s.daemonset_pods.to_string(),
                s.max_pods_rule
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                csv_text(&g.instance_type, options).into_owned(),
                g.instances.to_string(),
                g.pods_per_node.to_string(),
                opt(g.max_pods),
                g.branch_eni_pods.to_string(),
                String::new(),
            ];
            debug_assert_eq!(record.len(), Field::COUNT);
            csv.write_record(&record).map_err(csv_error)?;
        }
    }
    csv.into_inner()
        .map_err(|e| csv_error(csv::Error::from(e.into_error())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::scenario_csv::read_bytes;

    #[test]
    fn written_scenarios_read_back_the_same() {
        let text = "scenario,subnet_cidr,instance_type,instances,pods_per_node,warm_ip_target,minimum_ip_target,pod_subnet_cidr,custom_networking,max_pods\n\
                    a,10.0.0.0/23;24,m5.large,3,20,0,,100.64.0.0/16,true,50\n\
                    a,,c5.xlarge,1,10,,,,,\n\
                    b,22,t3.small,2,4,,7,,,\n";
        let first: Vec<Scenario> = read_bytes("in.csv", text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|l| l.scenario)
            .collect();
        let refs: Vec<&Scenario> = first.iter().collect();
        let bytes = write(Vec::new(), &refs).unwrap();
        let again: Vec<Scenario> = read_bytes("out.csv", &bytes)
            .unwrap()
            .into_iter()
            .map(|l| l.scenario)
            .collect();
        assert_eq!(first, again);
        assert_eq!(first[0].cni.warm_ip_target, Some(0));
    }

    #[test]
    fn ids_a_spreadsheet_would_run_are_escaped_and_read_back_unchanged() {
        let text = "scenario,subnet_cidr,instance_type,instances,pods_per_node\n\
                    \"=cmd|' /C calc'!A0\",23,@m5.large,1,2\n";
        let first: Vec<Scenario> = read_bytes("in.csv", text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|l| l.scenario)
            .collect();
        let refs: Vec<&Scenario> = first.iter().collect();
        let bytes = write(Vec::new(), &refs).unwrap();
        let written = String::from_utf8(bytes.clone()).unwrap();
        assert!(written.contains("\n'=cmd|' /C calc'!A0,23,"), "{written}");
        assert!(written.contains(",'@m5.large,"), "{written}");
        let again: Vec<Scenario> = read_bytes("out.csv", &bytes)
            .unwrap()
            .into_iter()
            .map(|l| l.scenario)
            .collect();
        assert_eq!(first, again);
        let raw = write_with(
            Vec::new(),
            &refs,
            CsvOptions {
                escape_formulas: false,
            },
        )
        .unwrap();
        assert!(String::from_utf8(raw).unwrap().contains(",@m5.large,"));
    }
}
