//! `dengar import FILE…`: bring exported posts into the store.

use super::{Env, Outcome};
use crate::pipeline::harvest;
use std::path::PathBuf;

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to import: `.jsonl` (our Post shape or twarc2 output) or `.csv`.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let ctx = env.context()?;
    let mut outcome = Outcome::Ok;
    for f in &args.files {
        let r = harvest::import_file(&ctx, f);
        println!(
            "{}: read {}, new {}, already known {}, skipped {}",
            r.source,
            r.read,
            r.new,
            r.known,
            r.errors.len()
        );
        if let Some(e) = &r.failed {
            eprintln!("error: {e}");
        }
        for e in &r.errors {
            eprintln!("{}: skipped {e}", r.source);
        }
        if r.has_errors() {
            outcome = Outcome::Partial;
        }
    }
    Ok(outcome)
}
