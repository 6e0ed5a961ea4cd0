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
    keep_freed_memory();
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

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t`, mimalloc.h of mimalloc v3,
/// which libmimalloc-sys does not name).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to give freed memory back to the system while the command runs. A big
/// run frees and reallocates its batches' buffers all the time; purging them made the kernel
/// zero the same transparent huge pages again and again (2,700 2 MiB page faults on a million
/// scenarios, 340 without purging: 13 % less CPU). Peak memory is what it was: the batches in
/// flight are bounded, and the memory is the system's again when the command ends.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores the value; mimalloc reads the option when it purges.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}
