//! A progress line on standard error for a report that takes a while: what is being done
//! (`reading schools.parquet`, `evaluating 35/70 targets`, `writing the report`), rewritten in
//! place as the work goes on and cleared at the end.
//!
//! `--progress auto` (the default) shows it on a terminal once the work has taken a second (a
//! quick report shows nothing); `always` shows it from the start wherever standard error goes
//! (a CI log: a line per step, a step's new count at most once a second); `never` never does.
//! Standard output carries only the report.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use clap::ValueEnum;

/// When the progress line is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressArg {
    /// On a terminal, once the work has taken a second.
    Auto,
    /// From the start, a line per step, wherever standard error goes.
    Always,
    /// Never.
    Never,
}

/// How long work runs before `auto` shows the line.
const DELAY: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
struct Line {
    /// The step now under way.
    text: String,
    /// Whether the line is being shown (steps are written as they come).
    live: bool,
    /// Whether the work is over (a late timer writes nothing).
    done: bool,
    /// When a line of its own was last written, and its step without the counts (`always`
    /// writes a new step at once, and a count of the same step at most once a second).
    last: Option<(Instant, String)>,
}

/// A step's text up to its first count: `evaluating 3/70 targets` is `evaluating `.
fn stage(text: &str) -> String {
    text.split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The progress of one command, shared by reference with the threads that report to it; the
/// line is cleared when it is dropped (an error message then starts on a line of its own).
#[derive(Debug)]
pub struct Progress {
    line: Arc<Mutex<Line>>,
    /// One line per step (`always`) instead of one line rewritten (a terminal).
    lines: bool,
}

impl Progress {
    /// Progress shown as `when` says; with `auto`, a timer shows it after [`DELAY`].
    pub fn new(when: ProgressArg) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let progress = Progress {
            line: Arc::new(Mutex::new(Line {
                live: when == ProgressArg::Always,
                ..Line::default()
            })),
            lines: !terminal,
        };
        if when == ProgressArg::Auto && terminal {
            let line = Arc::clone(&progress.line);
            // Not joined: a command that ends sooner leaves it asleep, and the process exits.
            let _ = std::thread::Builder::new()
                .name("progress".into())
                .spawn(move || {
                    std::thread::sleep(DELAY);
                    let mut line = line.lock().unwrap_or_else(PoisonError::into_inner);
                    if !line.done {
                        line.live = true;
                        write_line(&line.text, false);
                    }
                });
        }
        progress
    }

    /// The step now under way.
    pub fn step(&self, text: impl Into<String>) {
        let mut line = self.line.lock().unwrap_or_else(PoisonError::into_inner);
        line.text = text.into();
        if !line.live || line.done {
            return;
        }
        if self.lines {
            let now = Instant::now();
            let stage = stage(&line.text);
            if line
                .last
                .as_ref()
                .is_some_and(|(at, s)| *s == stage && now.duration_since(*at) < DELAY)
            {
                return;
            }
            line.last = Some((now, stage));
        }
        write_line(&line.text, self.lines);
    }

    /// The work is over: the line is cleared (a terminal) and no more is written.
    pub fn finish(&self) {
        let mut line = self.line.lock().unwrap_or_else(PoisonError::into_inner);
        if line.live && !line.done && !self.lines {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
        line.done = true;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Writes a step: over the previous one on a terminal, or as a line of its own.
fn write_line(text: &str, lines: bool) {
    let mut err = std::io::stderr().lock();
    let _ = if lines {
        writeln!(err, "{text}")
    } else {
        write!(err, "\r\x1b[K{text}")
    };
    let _ = err.flush();
}
