//! Standard output, where every command's results go. A reader that stops reading — `mestno
//! list contacts | head` — ends what is shown, not the command: the rest of the output is
//! dropped and the command finishes its work as it would have (an import still imports). A
//! write that fails otherwise (a full disk under `> file`) is remembered, the rest dropped, and
//! the command ends with that error.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};
use std::sync::Mutex;

/// What happened to standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Open,
    /// The reader went away: nothing more is written, and that is no error.
    Closed,
    /// A write failed: nothing more is written, and the command fails.
    Failed(ErrorKind),
}

static STATE: Mutex<State> = Mutex::new(State::Open);

/// Writes `args` and a line break, unless output has ended (see the module).
pub(crate) fn line(args: Arguments<'_>) {
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    if *state != State::Open {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        *state = after(&e);
    }
}

/// Sends what was written on, for a line that is not finished yet (a question's prompt).
pub(crate) fn flush() {
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    if *state == State::Open
        && let Err(e) = std::io::stdout().flush()
    {
        *state = after(&e);
    }
}

/// The state after a write failed with `e`.
fn after(e: &std::io::Error) -> State {
    if e.kind() == ErrorKind::BrokenPipe { State::Closed } else { State::Failed(e.kind()) }
}

/// Why writing the output failed, if it did (a reader that went away is no failure).
pub(crate) fn failure() -> Option<std::io::Error> {
    std::io::stdout().flush().ok();
    match *STATE.lock().unwrap_or_else(|e| e.into_inner()) {
        State::Failed(kind) => Some(kind.into()),
        State::Open | State::Closed => None,
    }
}
