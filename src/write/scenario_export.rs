//! Writes scenarios back as a scenario CSV, the format [`crate::read::scenario_csv`] reads: one
//! column per field of the scenario schema ([`crate::scenario::schema`]), in its order.
//!
//! Every column is written, and scenario-level values are repeated on every row of a scenario, so
//! the file sorts and filters safely in a spreadsheet. Reading the file back gives the same
//! scenarios.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

use crate::error::Result;
use crate::scenario::Scenario;
use crate::scenario::schema::{Field, FieldValue};
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
    let mut text = String::new();
    for s in scenarios {
        for group in 0..s.node_groups.len() {
            for field in Field::ALL {
                let value = field.value(s, group);
                text.clear();
                let _ = write!(text, "{value}");
                let cell = match value {
                    FieldValue::Text(_) => csv_text(&text, options),
                    _ => Cow::Borrowed(text.as_str()),
                };
                csv.write_field(cell.as_bytes()).map_err(csv_error)?;
            }
            csv.write_record(None::<&[u8]>).map_err(csv_error)?;
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
    fn every_field_of_the_schema_is_written_in_its_column() {
        let s = crate::scenario::schema::example();
        let written = String::from_utf8(write(Vec::new(), &[&s]).unwrap()).unwrap();
        let mut lines = written.lines();
        let names: Vec<&str> = Field::ALL.map(Field::name).to_vec();
        assert_eq!(lines.next(), Some(names.join(",").as_str()));
        // Every field but the note (which is not read) holds its example.
        let examples: Vec<&str> = Field::ALL
            .map(|f| {
                if f == Field::Note {
                    ""
                } else {
                    f.spec().example
                }
            })
            .to_vec();
        assert_eq!(lines.next(), Some(examples.join(",").as_str()));
        assert_eq!(lines.next(), None);
        let again = read_bytes("out.csv", written.as_bytes()).unwrap();
        assert_eq!(again[0].scenario, s);
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
