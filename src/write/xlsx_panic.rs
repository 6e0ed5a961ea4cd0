//! The xlsx writer's I/O failures as errors, not panics.
//!
//! In constant-memory mode rust_xlsxwriter writes each worksheet's rows to a temporary file, and
//! it `expect`s those writes to succeed: a full disk there panics ("Couldn't write to xml file:
//! … StorageFull") instead of returning an error. [`catching_io_panics`] runs the writer with the
//! panic caught and turned back into the [`io::Error`] it carried, and keeps the panic hook quiet
//! for it (the run then ends with one message naming the output and the cause, exit status 1). A
//! panic that is not an I/O failure is a bug, and is passed on as it was.

use std::cell::Cell;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Once;

thread_local! {
    /// Whether this thread is in [`catching_io_panics`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// The message rust_xlsxwriter's `expect` puts before the error of a failed write.
const XML_WRITE_ERROR: &str = "Couldn't write to xml file: ";

/// Runs `f`, the xlsx writer at work; a panic on an I/O failure comes back as its error.
pub(crate) fn catching_io_panics<T>(f: impl FnOnce() -> T) -> io::Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let quiet = CATCHING.get() && payload_text(info.payload()).is_some_and(is_io_failure);
            if !quiet {
                previous(info);
            }
        }));
    });
    let was = CATCHING.replace(true);
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.set(was);
    result.or_else(
        |payload| match payload_text(&*payload).and_then(io_failure) {
            Some(e) => Err(e),
            None => resume_unwind(payload),
        },
    )
}

/// A panic's message, when it is text.
fn payload_text(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

fn is_io_failure(message: &str) -> bool {
    io_failure(message).is_some()
}

/// The I/O error a panic message of the writer carries: `expect` and `unwrap` show an
/// [`io::Error`] as its `Debug` form, `Os { code: 28, kind: StorageFull, … }` for an error of
/// the operating system (whose code gives the error back whole), else after the writer's own
/// words. `None` for any other panic.
fn io_failure(message: &str) -> Option<io::Error> {
    if let Some((_, rest)) = message.split_once("Os { code: ") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(code) = digits.parse::<i32>() {
            return Some(io::Error::from_raw_os_error(code));
        }
    }
    message
        .strip_prefix(XML_WRITE_ERROR)
        .map(|rest| io::Error::other(rest.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails as rust_xlsxwriter does when a write fails.
    fn write_as_the_writer_does(result: io::Result<()>) {
        result.expect("Couldn't write to xml file");
    }

    #[test]
    fn an_io_panic_comes_back_as_its_error() {
        let e = catching_io_panics(|| {
            write_as_the_writer_does(Err(io::Error::from_raw_os_error(28)));
        })
        .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert_eq!(e.raw_os_error(), Some(28));
        let e = catching_io_panics(|| {
            write_as_the_writer_does(Err(io::Error::other("device gone")));
        })
        .unwrap_err();
        assert!(e.to_string().contains("device gone"), "{e}");
        assert_eq!(catching_io_panics(|| 7).unwrap(), 7);
    }

    #[test]
    fn any_other_panic_is_passed_on() {
        let outer = catch_unwind(|| catching_io_panics(|| panic!("a bug")));
        let payload = outer.unwrap_err();
        assert_eq!(payload_text(&*payload), Some("a bug"));
        assert!(!CATCHING.get(), "the flag is put back");
    }
}
