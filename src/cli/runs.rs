//! `dengar runs [list]` and `dengar runs show ID`: the record of every nightly run.

use super::{Env, Outcome};
use crate::ops::runs::Runs;
use crate::ops::status::human_duration;
use anyhow::anyhow;
use std::io::Write;

/// `dengar runs …`
#[derive(Debug, clap::Args)]
pub struct RunsArgs {
    #[command(subcommand)]
    pub command: Option<RunsCommand>,
}

/// The `runs` subcommands (default `list`).
#[derive(Debug, clap::Subcommand)]
pub enum RunsCommand {
    /// The newest runs first, with their report files.
    List {
        /// At most this many (0 = all).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// One run in full.
    Show {
        /// Run id (from `runs list`).
        id: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(env: &Env, a: RunsArgs) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let runs = Runs::open(&store)?;
    let mut out = std::io::stdout().lock();
    match a.command.unwrap_or(RunsCommand::List {
        limit: 20,
        json: false,
    }) {
        RunsCommand::List { limit, json } => {
            let list = runs.list(limit)?;
            if json {
                for r in &list {
                    writeln!(out, "{}", serde_json::to_string(r)?)?;
                }
                return Ok(Outcome::Ok);
            }
            if list.is_empty() {
                writeln!(out, "(no runs yet)")?;
            }
            for r in &list {
                writeln!(
                    out,
                    "#{:<5} {:<11} {}  {:>9}  harvested {:>5} new {:>5} flagged {:>4} errors {:>3}  {}",
                    r.id,
                    r.outcome(),
                    r.started_at.format("%Y-%m-%d %H:%M UTC"),
                    r.duration().map(human_duration).unwrap_or_else(|| "-".into()),
                    r.harvest.read,
                    r.harvest.new,
                    r.classify.flagged,
                    r.error_count(),
                    r.report.as_deref().unwrap_or("-")
                )?;
            }
        }
        RunsCommand::Show { id, json } => {
            let r = runs
                .get(id)?
                .ok_or_else(|| anyhow!("no run with id {id}"))?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?;
                return Ok(Outcome::Ok);
            }
            writeln!(out, "run #{} {}", r.id, r.outcome())?;
            writeln!(
                out,
                "  started   {}",
                r.started_at.format("%Y-%m-%d %H:%M:%S UTC")
            )?;
            if let Some(f) = r.finished_at {
                writeln!(out, "  finished  {}", f.format("%Y-%m-%d %H:%M:%S UTC"))?;
            }
            writeln!(
                out,
                "  host      {} pid {} dengar {}",
                r.host, r.pid, r.version
            )?;
            writeln!(out, "  model     {}", r.model_id.as_deref().unwrap_or("-"))?;
            writeln!(
                out,
                "  harvest   read {} new {} known {} errors {}",
                r.harvest.read, r.harvest.new, r.harvest.known, r.harvest.errors
            )?;
            writeln!(
                out,
                "  classify  {} → flagged {} (urgent {}), dismissed {}, errors {}",
                r.classify.classified,
                r.classify.flagged,
                r.classify.urgent,
                r.classify.dismissed,
                r.classify.errors
            )?;
            if let Some(f) = &r.forward {
                writeln!(
                    out,
                    "  forward   {} to {}: refused {} failed {} waiting {}",
                    f.forwarded, f.target, f.failed_permanent, f.failed_retryable, f.not_attempted
                )?;
            }
            if let Some(p) = &r.purge {
                writeln!(
                    out,
                    "  purge     content {} raw {} errors {}",
                    p.content_purged, p.raw_purged, p.errors
                )?;
            }
            for (p, res) in &r.platforms {
                writeln!(
                    out,
                    "  {p:<10} new {:>5} flagged {:>4} dismissed {:>5} errors {}",
                    res.new, res.flagged, res.dismissed, res.errors
                )?;
            }
            for (a, n) in &r.flagged_per_agency {
                writeln!(out, "  agency {a:<22} {n:>5}")?;
            }
            if let Some(t) = &r.took_over {
                writeln!(out, "  took over a stale lock: {t}")?;
            }
            writeln!(out, "  errors    {}", r.error_count())?;
            for e in &r.errors {
                writeln!(
                    out,
                    "    [{}{}] {}",
                    e.stage,
                    e.platform
                        .as_deref()
                        .map(|p| format!(" {p}"))
                        .unwrap_or_default(),
                    e.message
                )?;
            }
            if r.errors_dropped > 0 {
                writeln!(out, "    ... and {} more", r.errors_dropped)?;
            }
            writeln!(out, "  report    {}", r.report.as_deref().unwrap_or("-"))?;
        }
    }
    Ok(Outcome::Ok)
}
