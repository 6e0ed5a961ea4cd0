//! How the binary tells the user what went wrong: `error:`, `warning:` and `note:` lines on
//! standard error, and the exit code an error maps to.

use std::process::ExitCode;

use crate::cmd::faults::FaultList;

/// A message as standard error shows it: characters that would act on a terminal (an escape
/// sequence in a sheet name) escaped; line breaks kept.
fn shown(text: &str) -> String {
    text.lines()
        .map(|line| subnet_calc::write::table::safe(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints an error: the library's message, then the context the binary added ("while …"). A
/// list of faults of the input is printed one `error:` line each.
pub fn print_error(e: &anyhow::Error) {
    if let Some(list) = e.downcast_ref::<FaultList>() {
        for fault in &list.errors {
            eprintln!("error: {}", shown(&fault.to_string()));
        }
        if list.more > 0 {
            eprintln!("error: and {} more (--max-errors N shows more)", list.more);
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
                eprintln!("error: {}", shown(&lib.to_string()));
            } else {
                eprintln!(
                    "error: {}\n  while {}",
                    shown(&lib.to_string()),
                    shown(&context.join(", "))
                );
            }
        }
        None => eprintln!("error: {}", shown(&format!("{e:#}"))),
    }
}

/// Prints a warning: something the user should know about an answer that is still given.
pub fn print_warning(text: &str) {
    eprintln!("warning: {}", shown(text));
}

/// Prints a note: how an input was read, where that is worth knowing.
pub fn print_note(text: &str) {
    eprintln!("note: {}", shown(text));
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
