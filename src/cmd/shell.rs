//! `subnet-calc completions SHELL` and `subnet-calc man`: the shell's completion script and the
//! manual pages, all made from the command line's own definition (so they never fall behind it).
//!
//! The manual has one page per subcommand, as clap_mangen lays it out and packagers install it:
//! `subnet-calc(1)` lists the subcommands, `subnet-calc-eval(1)` etc. hold their options.
//! `subnet-calc man [COMMAND]` prints one page; `subnet-calc man --dir DIR` writes them all.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use subnet_calc::write::write_error;

use crate::cli::{Cli, ManFlags};
use crate::output::staging::Staging;

/// The name the binary is installed under.
const BIN: &str = "subnet-calc";

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut out);
    if shell == clap_complete::Shell::Bash {
        out = fix_bash_names(&out);
    }
    write_out(&out)
}

/// Works around clap-rs/clap#6421 (still in clap_complete 4.6.12, the newest release; fixed by
/// the unreleased clap-rs/clap#6428): for a binary name with a hyphen, the bash script's loop
/// sets `cmd="subnet__calc__subcmd__eval"` but its case arms test
/// `subnet__subcmd__calc__subcmd__eval`, so no subcommand's options ever complete. The arms are
/// renamed to what the loop sets. Once clap_complete is fixed, this finds nothing to rename.
fn fix_bash_names(script: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let wrong = BIN.replace('-', "__subcmd__");
    let right = BIN.replace('-', "__");
    text.replace(&format!("{wrong}__subcmd__"), &format!("{right}__subcmd__"))
        .replace(&format!("{wrong})"), &format!("{right})"))
        .into_bytes()
}

/// The command line's definition as the manual pages show it: built (so that subcommands know
/// their full names, `subnet-calc-eval`), without the `help` subcommand, which has no page.
fn man_command() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// Prints one manual page (roff, section 1), or with `--dir` writes every page into a directory.
pub fn man(flags: ManFlags) -> Result<()> {
    let command = man_command();
    if let Some(dir) = &flags.dir {
        return write_pages(command, dir);
    }
    let page = match &flags.command {
        None => command,
        Some(name) => command
            .find_subcommand(name)
            .cloned()
            .with_context(|| format!("no subcommand {name}"))?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .context("making the manual page")?;
    write_out(&out)
}

/// Writes `subnet-calc.1` and a page per subcommand into `dir`.
fn write_pages(command: clap::Command, dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        let why = std::io::Error::other("not a directory (--dir names the folder for the pages)");
        return Err(write_error(dir, why).into());
    }
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut pages = vec![command.clone()];
    pages.extend(
        command
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .cloned(),
    );
    // The pages appear together or not at all: a full disk half-way leaves none half-written.
    let mut staging = Staging::new(dir)?;
    for page in pages {
        let man = clap_mangen::Man::new(page);
        let path = dir.join(man.get_filename());
        let mut out = Vec::new();
        man.render(&mut out).context("making the manual page")?;
        staging.add(&path, &out)?;
    }
    Ok(staging.commit()?)
}

fn write_out(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        // `| head` closing the pipe is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing standard output"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_takes_every_subcommand_by_name() {
        let command = man_command();
        let mut names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
        names.sort_unstable();
        let man = command.find_subcommand("man").unwrap();
        let arg = man
            .get_arguments()
            .find(|a| a.get_id() == "command")
            .unwrap();
        let mut accepted: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_owned())
            .collect();
        accepted.sort_unstable();
        assert_eq!(accepted, names);
    }
}
