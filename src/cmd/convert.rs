//! `subnet-calc convert`: legacy workbooks (or scenario CSVs) to one scenario CSV.

use anyhow::{Context, Result};
use subnet_calc::scenario::Scenario;
use subnet_calc::write::scenario_csv;

use crate::cli::ConvertFlags;
use crate::cmd::{Destination, read_inputs, refuse_output_over_inputs};

/// Runs `convert`.
pub fn run(flags: ConvertFlags) -> Result<()> {
    refuse_output_over_inputs(&flags.output, flags.inputs.iter().map(Into::into))?;
    let inputs = read_inputs(&flags.inputs)?;
    let scenarios: Vec<&Scenario> = inputs
        .iter()
        .flat_map(|i| i.scenarios.iter().map(|s| &s.scenario))
        .collect();
    let mut out = Destination::open(Some(&flags.output))?;
    scenario_csv::write(&mut out, &scenarios)
        .with_context(|| format!("writing {}", flags.output.display()))?;
    out.finish()?;
    eprintln!(
        "wrote {} scenarios to {}",
        scenarios.len(),
        flags.output.display()
    );
    Ok(())
}
