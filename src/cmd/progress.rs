//! Progress on standard error for runs longer than about a second: a bar of the input read, with
//! rate and time left, and the number of scenarios evaluated. Drawn only when standard error is a
//! terminal and `--quiet` is not given, so that piped and redirected output never carry it; it is
//! cleared when the run ends.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this show nothing.
const DELAY: Duration = Duration::from_secs(1);

/// Overrides [`DELAY`], in milliseconds (for tests on a pseudo-terminal, whose runs are short).
const DELAY_VARIABLE: &str = "SUBNET_CALC_PROGRESS_DELAY_MS";

/// The bar being drawn, if any: messages printed while it is on screen go around it.
static DRAWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Runs `print` (a message to standard error) with the bar, if one is drawn, taken off the
/// screen, so that the message is not garbled by it and the bar is drawn again below.
pub fn suspend<R>(print: impl FnOnce() -> R) -> R {
    let bar = DRAWN.lock().ok().and_then(|d| d.clone());
    match bar {
        Some(bar) => bar.suspend(print),
        None => print(),
    }
}

/// A progress display shared by the threads of a run (cheap to clone).
#[derive(Clone)]
pub struct Progress(Option<Arc<Inner>>);

struct Inner {
    bar: ProgressBar,
    start: Instant,
    delay: Duration,
    shown: AtomicBool,
}

impl Progress {
    /// A display for a run reading `total_bytes` of input; drawn only when `wanted` (no
    /// `--quiet`) and standard error is a terminal.
    pub fn new(wanted: bool, total_bytes: u64) -> Self {
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {elapsed:>4} [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec} {eta} left  {msg}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        let delay = std::env::var(DELAY_VARIABLE)
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DELAY, Duration::from_millis);
        Progress(Some(Arc::new(Inner {
            bar,
            start: Instant::now(),
            delay,
            shown: AtomicBool::new(false),
        })))
    }

    /// A display that shows nothing.
    pub fn none() -> Self {
        Progress(None)
    }

    /// Sets the input bytes read so far.
    pub fn set_position(&self, bytes: u64) {
        if let Some(p) = &self.0 {
            p.bar.set_position(bytes);
            p.tick();
        }
    }

    /// Says how many scenarios were evaluated (or, for a phase, what is being done).
    pub fn set_message(&self, message: impl Into<std::borrow::Cow<'static, str>>) {
        if let Some(p) = &self.0 {
            p.bar.set_message(message);
            p.tick();
        }
    }

    /// Starts a phase counted in evaluations rather than bytes (writing the report).
    pub fn start_phase(&self, what: &'static str, total: u64) {
        if let Some(p) = &self.0 {
            p.bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed:>4} [{wide_bar}] {pos}/{len} {msg} {per_sec} {eta} left",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            p.bar.set_message(what);
            p.bar.set_length(total);
            p.bar.set_position(0);
            p.tick();
        }
    }

    /// Starts a phase without a count (saving the report): a spinner, the time so far and what
    /// is being done, so that a long step shows that it is under way rather than a full bar
    /// standing still.
    pub fn start_spinner(&self, what: &'static str) {
        if let Some(p) = &self.0 {
            p.bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .expect("a valid template"),
            );
            p.bar.set_message(what);
            p.tick();
        }
    }

    /// Advances a phase by `n`.
    pub fn advance(&self, n: u64) {
        if let Some(p) = &self.0 {
            p.bar.inc(n);
            p.tick();
        }
    }

    /// Clears the display.
    pub fn finish(&self) {
        if let Some(p) = &self.0 {
            p.bar.finish_and_clear();
            if let Ok(mut drawn) = DRAWN.lock() {
                *drawn = None;
            }
        }
    }
}

impl Inner {
    /// Starts drawing once the run has lasted [`DELAY`].
    fn tick(&self) {
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= self.delay {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
            if let Ok(mut drawn) = DRAWN.lock() {
                *drawn = Some(self.bar.clone());
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
