//! The `dengar` binary under test and what a run of it printed, for the test helpers of every
//! binary (`tests/util` and `tests/ops_util` both include this file).

use std::path::PathBuf;
use std::process::Output;

/// The compiled binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dengar"))
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code (-1 when killed).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
