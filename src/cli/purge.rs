//! `dengar purge [--dry-run]`: apply the retention policy now (the nightly run does it at its
//! end). Takes the run lock, so it never overlaps a nightly run.

use super::{Env, Outcome};
use crate::ops::retention;
use chrono::Utc;

/// Options of `purge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only count what would be purged.
    #[arg(long)]
    pub dry_run: bool,
    /// Who runs it, for the audit log (default: $USER).
    #[arg(long, env = "USER", default_value = "cli")]
    pub by: String,
}

pub fn run(env: &Env, a: Args) -> anyhow::Result<Outcome> {
    let Some(_lock) = env.run_lock("purge")? else {
        return Ok(Outcome::Busy);
    };
    let store = env.store()?;
    let days = env.config.retention.retention_days;
    let r = retention::purge(&store, days, Utc::now(), a.dry_run, &a.by)?;
    print!("{}", r.render());
    for e in &r.errors {
        eprintln!("error: {e}");
    }
    Ok(if r.errors.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}
