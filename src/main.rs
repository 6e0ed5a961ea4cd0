//! The `subnet-calc` binary: parses the command line and runs a subcommand. The work is done in
//! the `subnet_calc` library; this file only maps outcomes to messages and exit codes.

// See the note in lib.rs: errors are cold, their size does not matter.
#![allow(clippy::result_large_err)]

mod cli;
mod cmd;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    subnet_calc::allocator::keep_freed_memory();
    // Interrupted (Ctrl-C, SIGTERM, SIGHUP): remove the temporary files being written, which
    // would otherwise stay beside the outputs, and end as an interrupted command does.
    let _ = ctrlc::set_handler(|| {
        subnet_calc::write::cleanup::remove_pending();
        std::process::exit(130);
    });
    let cli = cli::Cli::parse();
    match cmd::run(cli.command, &cli.common) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            report::print_error(&e);
            report::exit_code(&e)
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
