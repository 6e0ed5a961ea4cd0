//! The `subnet-calc` binary: parses the command line and runs a subcommand. The work is done in
//! the `subnet_calc` library; this file only maps failures to messages and exit codes.

// See the note in lib.rs: errors are cold, their size does not matter.
#![allow(clippy::result_large_err)]

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

/// Prints the error and picks the exit code: 2 for bad input, 1 for anything else.
fn report(e: &anyhow::Error) -> ExitCode {
    match e
        .chain()
        .find_map(|c| c.downcast_ref::<subnet_calc::Error>())
    {
        Some(lib) => {
            let context: Vec<String> = e
                .chain()
                .take_while(|c| c.downcast_ref::<subnet_calc::Error>().is_none())
                .map(|c| c.to_string())
                .collect();
            if context.is_empty() {
                eprintln!("error: {lib}");
            } else {
                eprintln!("error: {lib}\n  while {}", context.join(", "));
            }
            ExitCode::from(if lib.is_bad_input() { 2 } else { 1 })
        }
        None => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
