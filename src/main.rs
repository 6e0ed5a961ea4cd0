//! The `subnet-calc` binary: parses the command line and runs a subcommand. The work is done in
//! the `subnet_calc` library; this file only maps outcomes to messages and exit codes.

// See the note in lib.rs: errors are cold, their size does not matter.
#![allow(clippy::result_large_err)]

mod allocator;
mod cli;
mod cmd;
mod messages;
mod output;

use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    // Interrupted (Ctrl-C, SIGTERM, SIGHUP): remove the temporary files being written, which
    // would otherwise stay beside the outputs, and end as an interrupted command does.
    let _ = ctrlc::set_handler(|| {
        output::cleanup::remove_pending();
        std::process::exit(130);
    });
    let cli = match cli::Cli::try_parse_checked() {
        Ok(cli) => cli,
        // --help, --version, or a usage error: clap's words, and its status, unless they cannot
        // be written (a full disk behind standard output).
        Err(e) => {
            if let Err(why) = e.print() {
                messages::print_error(&anyhow::Error::from(why).context("writing standard output"));
                return ExitCode::from(1);
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cmd::run(cli.command, &cli.common) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            messages::print_error(&e);
            messages::exit_code(&e)
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
