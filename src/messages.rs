//! How the binary tells the user what went wrong: `error:`, `warning:` and `note:` lines on
//! standard error, and the exit code an error maps to.

use std::process::ExitCode;

use crate::cmd::faults::FaultList;

/// A message as standard error shows it: characters that would act on a terminal (an escape
/// sequence in a sheet name) escaped; line breaks kept.
fn shown(text: &str) -> String {
    text.lines()
        .map(|line| subnet_calc::text::terminal_safe(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints one message, `prefix: text`, around a progress bar that may be on screen; the prefix
/// coloured on a terminal (as clap colours its own errors), unless `NO_COLOR` is set.
fn say(prefix: &str, text: &str) {
    let prefix = if colour() {
        let code = match prefix {
            "error" => "1;31",
            "warning" => "1;33",
            "failed" => "1;35",
            _ => "1;36",
        };
        format!("\x1b[{code}m{prefix}\x1b[0m")
    } else {
        prefix.to_owned()
    };
    plain(&format!("{prefix}: {}", shown(text)));
}

/// Writes a line to standard error around the progress bar. A standard error that cannot be
/// written (closed, a full disk) is let be: there is nowhere left to say so, and the exit
/// status still tells.
fn plain(line: &str) {
    use std::io::Write;
    crate::cmd::progress::suspend(|| {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    });
}

/// Prints a line without a prefix (the closing "wrote …" lines), escaped as messages are.
pub fn print_line(text: &str) {
    plain(&shown(text));
}

/// Whether standard error takes colours: a terminal, and no `NO_COLOR` (<https://no-color.org>).
fn colour() -> bool {
    static COLOUR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *COLOUR.get_or_init(|| {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    })
}

/// Prints an error: the library's message, then the context the binary added ("while …"). A
/// list of faults of the input is printed one `error:` line each.
pub fn print_error(e: &anyhow::Error) {
    if let Some(list) = e.downcast_ref::<FaultList>() {
        for fault in &list.errors {
            say("error", &fault.to_string());
        }
        if list.more > 0 {
            say(
                "error",
                &format!("and {} more (--max-errors N shows more)", list.more),
            );
        }
        return;
    }
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
                say("error", &lib.to_string());
            } else {
                say("error", &format!("{}\n  while {}", lib, context.join(", ")));
            }
        }
        None => say("error", &format!("{e:#}")),
    }
}

/// Prints a warning: something the user should know about an answer that is still given.
pub fn print_warning(text: &str) {
    say("warning", text);
}

/// Prints why a `--fail-on` condition fails the run (exit status 3).
pub fn print_failed(text: &str) {
    say("failed", text);
}

/// Prints a note: how an input was read, where that is worth knowing.
pub fn print_note(text: &str) {
    say("note", text);
}

/// The exit code of a failed run: 2 for bad input, 1 for anything else (an output that cannot
/// be written).
pub fn exit_code(e: &anyhow::Error) -> ExitCode {
    if e.downcast_ref::<FaultList>().is_some() {
        return ExitCode::from(2);
    }
    let bad_input = e
        .chain()
        .find_map(|c| c.downcast_ref::<subnet_calc::Error>())
        .is_some_and(subnet_calc::Error::is_bad_input);
    ExitCode::from(if bad_input { 2 } else { 1 })
}
