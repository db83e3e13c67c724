//! Shared helpers for integration tests: run the `dengar` binary on a temporary data dir; the
//! forward receivers live in `forward`.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A temporary data directory with the binary pointed at it.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path inside the temp dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file in the temp dir and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// A command with `--data-dir` set.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        c.arg("--data-dir").arg(self.data_dir());
        c.env_remove("DENGAR_CONFIG").env_remove("DENGAR_DATA_DIR");
        c
    }

    /// Runs `dengar ARGS…` and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run dengar")
    }
}

/// The items of `dengar export --format jsonl --reveal-authors` (authors are pseudonymised
/// unless revealed).
pub fn exported(env: &Env) -> Vec<serde_json::Value> {
    let o = env.run(&["export", "--format", "jsonl", "--reveal-authors"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    jsonl_items(&stdout(&o))
}

mod binary;
pub mod forward;
mod items;
pub use binary::*;
pub use items::*;
