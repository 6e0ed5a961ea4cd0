//! The engine's calculator rule against the EKS AMI's `max-pods-calculator.sh` itself: the
//! script was run on every type of the built-in catalogue it can run on (every one with its
//! vCPUs), with each column's flags, and its answers kept in `tests/data/max-pods-calculator.csv`
//! (its first line says which script, where and at which commit, and how it was run). With no
//! `--catalog`, the engine must give the same number for every type in every case.

use subnet_calc::catalog::builtin;
use subnet_calc::engine::vpc_cni::{EffectiveSettings, calculator_for};

const GOLDEN: &str = include_str!("data/max-pods-calculator.csv");

/// A column's case: the settings the engine gets for the script's flags (`prefix_delegation` for
/// `--cni-prefix-delegation-enabled`, `custom_networking` for `--cni-custom-networking-enabled`,
/// `max_eni=N` for `--cni-max-eni N`), and whether the script showed the uncapped value
/// (`show_max_allowed`, `--show-max-allowed`).
fn case(header: &str) -> (EffectiveSettings, bool) {
    let mut settings = EffectiveSettings::default();
    let mut uncapped = false;
    for flag in header.split('+') {
        match flag.split_once('=') {
            None if flag == "default" => {}
            None if flag == "prefix_delegation" => settings.prefix_delegation = true,
            None if flag == "custom_networking" => settings.custom_networking = true,
            None if flag == "show_max_allowed" => uncapped = true,
            Some(("max_eni", n)) => settings.max_eni = Some(n.parse().unwrap()),
            _ => panic!("unknown case {header:?}"),
        }
    }
    (settings, uncapped)
}

#[test]
fn the_calculator_rule_agrees_with_the_script_for_every_type_and_case() {
    let provenance = GOLDEN.lines().next().unwrap();
    assert!(
        provenance.starts_with(
            "# awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh at "
        ),
        "{provenance}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(GOLDEN.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "instance_type");
    let cases: Vec<(EffectiveSettings, bool)> = headers.iter().skip(1).map(case).collect();
    assert!(cases.len() >= 8, "{headers:?}");
    let catalog = builtin::catalog();
    let mut checked = Vec::new();
    let mut differ = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let name = &record[0];
        let limits = catalog
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not built in"));
        for (i, (settings, uncapped)) in cases.iter().enumerate() {
            let script: u64 = record[i + 1].parse().unwrap_or_else(|_| {
                panic!(
                    "{name} {}: the script said {:?}",
                    &headers[i + 1],
                    &record[i + 1]
                )
            });
            let calculated = calculator_for(limits, settings).unwrap();
            let engine = if *uncapped {
                calculated.uncapped
            } else {
                u64::from(calculated.value)
            };
            if engine != script {
                differ.push(format!(
                    "{name} {}: script {script}, engine {engine}",
                    &headers[i + 1]
                ));
            }
        }
        checked.push(name.to_owned());
    }
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
    // Every built-in type with its vCPUs (the script cannot run without them: its stand-in for
    // describe-instance-types had no DefaultVCpus to give), each once.
    let runnable: Vec<String> = catalog
        .entries()
        .into_iter()
        .filter(|l| l.vcpus.is_some())
        .map(|l| l.instance_type.clone())
        .collect();
    assert_eq!(checked, runnable);
    assert_eq!(checked.len(), 1384);
}

#[test]
fn the_cases_read_as_the_scripts_flags() {
    let (s, uncapped) = case("max_eni=3+prefix_delegation+custom_networking");
    assert_eq!(
        (
            s.max_eni,
            s.prefix_delegation,
            s.custom_networking,
            uncapped
        ),
        (Some(3), true, true, false)
    );
    assert_eq!(case("default").0, EffectiveSettings::default());
    assert!(case("show_max_allowed+prefix_delegation").1);
}
