//! Command-line interface (clap): one file per command group; each returns an [`Outcome`] that
//! `main` maps to the exit code.

mod analyze;
mod backup;
mod classify;
mod eval;
mod forward;
mod harvest;
mod import;
mod init;
mod jsonline;
mod nightly;
mod purge;
mod queue;
mod runs;
mod schedule;
mod serve;
mod status;
mod train;
mod user;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::ops::lock::{LockError, RunLock};
use crate::pipeline::Context;
use crate::store::Store;
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything worked: exit 0.
    Ok,
    /// The command finished but something was skipped or failed: exit 2.
    Partial,
    /// Another run holds the data directory's run lock: exit 75 (EX_TEMPFAIL, try later).
    Busy,
}

/// Log line format on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line (for journald and log collectors).
    Json,
}

/// dengar: turns citizens' complaints on the city's social media into SP4N-LAPOR! reports.
#[derive(Debug, Parser)]
#[command(name = "dengar", version, about, long_about = None)]
pub struct Cli {
    /// Data directory (the sled store and run records).
    #[arg(long, global = true, env = "DENGAR_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file (TOML). Default: none, the embedded default.
    #[arg(long, global = true, env = "DENGAR_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log format on stderr (level from RUST_LOG, default warn).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, env = "DENGAR_LOG_FORMAT")]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Harvest → classify → queue, then print a summary.
    Nightly(nightly::Args),
    /// Harvest the enabled platforms (X, Instagram, Facebook, YouTube, Mastodon) into the store.
    Harvest(harvest::Args),
    /// Import posts from files (JSONL, CSV, twarc2 JSONL) into the store.
    Import(import::Args),
    /// Classify posts from a JSONL file (stateless: no store).
    Classify(classify::Args),
    /// Train a model on a labeled dataset.
    Train(train::Args),
    /// Train on a dataset's train rows and score its test rows.
    Eval(eval::Args),
    /// List or show queued items.
    #[command(subcommand)]
    Queue(queue::QueueCommand),
    /// Accept or reject a flagged item.
    Review(queue::ReviewArgs),
    /// Export items as JSONL or CSV.
    Export(queue::ExportArgs),
    /// Counts per status, agency and platform.
    Stats,
    /// Serve the review web page.
    Serve(serve::Args),
    /// Manage the review page's user accounts and API tokens.
    #[command(subcommand)]
    User(user::UserCommand),
    /// The last run, the review backlog and what needs a person (exit 2 if anything does).
    Status(status::Args),
    /// List nightly runs (`runs list`) or show one (`runs show ID`).
    Runs(runs::RunsArgs),
    /// Install, show or remove the nightly systemd timer, or print a crontab line.
    #[command(subcommand)]
    Schedule(schedule::ScheduleCommand),
    /// Remove text, author and raw JSON of dismissed and rejected posts past retention_days, and
    /// stale per-post comment cursors.
    Purge(purge::Args),
    /// Write a consistent snapshot of the whole store (gzip JSON lines).
    Backup(backup::BackupArgs),
    /// Rebuild a store from a backup into an empty --data-dir.
    Restore(backup::RestoreArgs),
    /// Write a commented config and agency/account templates for a new installation.
    Init(init::Args),
    /// Show the LAPOR report draft of an item (or a report in the outbox).
    Report(forward::ReportArgs),
    /// Turn accepted items into reports and send them to the receiver.
    Forward(forward::ForwardArgs),
    /// List, show or requeue reports in the outbox.
    #[command(subcommand)]
    Reports(forward::ReportsCommand),
    /// Fetch the receiver's status of forwarded reports.
    Sync(forward::SyncArgs),
    /// Show how the text analyzer reads a text (tokens, normalised forms, stems).
    Analyze(analyze::Args),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let config = match &cli.config {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let data_dir = cli
        .data_dir
        .clone()
        .or_else(|| config.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from("dengar-data"));
    let env = Env {
        config,
        data_dir,
        config_path: cli.config.clone(),
        data_dir_flag: cli.data_dir.clone(),
    };
    match cli.command {
        Command::Nightly(a) => nightly::run(&env, a),
        Command::Harvest(a) => harvest::run(&env, a),
        Command::Import(a) => import::run(&env, a),
        Command::Classify(a) => classify::run(&env, a),
        Command::Train(a) => train::run(&env, a),
        Command::Eval(a) => eval::run(&env, a),
        Command::Queue(c) => queue::run_queue(&env, c),
        Command::Review(a) => queue::run_review(&env, a),
        Command::Export(a) => queue::run_export(&env, a),
        Command::Stats => queue::run_stats(&env),
        Command::Serve(a) => serve::run(&env, a),
        Command::User(c) => user::run(&env, c),
        Command::Status(a) => status::run(&env, a),
        Command::Runs(a) => runs::run(&env, a),
        Command::Schedule(c) => schedule::run(&env, c),
        Command::Purge(a) => purge::run(&env, a),
        Command::Backup(a) => backup::run_backup(&env, a),
        Command::Restore(a) => backup::run_restore(&env, a),
        Command::Init(a) => init::run(&env, a),
        Command::Report(a) => forward::run_report(&env, a),
        Command::Forward(a) => forward::run_forward(&env, a),
        Command::Reports(c) => forward::run_reports(&env, c),
        Command::Sync(a) => forward::run_sync(&env, a),
        Command::Analyze(a) => analyze::run(&env, a),
    }
}

/// What every command may need.
pub struct Env {
    pub config: Config,
    pub data_dir: PathBuf,
    /// The config file given on the command line, if any.
    pub config_path: Option<PathBuf>,
    /// The data directory given on the command line (`--data-dir`, `DENGAR_DATA_DIR`), if any.
    pub data_dir_flag: Option<PathBuf>,
}

impl Env {
    /// The reference data named by the config.
    pub fn catalog(&self) -> anyhow::Result<Catalog> {
        Ok(Catalog::load(
            self.config.data.agencies.as_deref(),
            self.config.data.accounts.as_deref(),
        )?)
    }

    /// Opens the store.
    pub fn store(&self) -> anyhow::Result<Store> {
        Store::open(&self.data_dir)
            .with_context(|| format!("opening the store in {}", self.data_dir.display()))
    }

    /// Everything a pipeline stage needs.
    pub fn context(&self) -> anyhow::Result<Context> {
        Ok(Context {
            config: self.config.clone(),
            catalog: self.catalog()?,
            store: self.store()?,
            progress: std::io::stderr().is_terminal(),
        })
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Takes the data directory's run lock for `command`, before the store is opened. `None`
    /// (after printing who holds it) when another run is going.
    pub fn run_lock(&self, command: &str) -> anyhow::Result<Option<RunLock>> {
        let max_age = chrono::Duration::hours(i64::from(self.config.schedule.lock_max_age_hours));
        match RunLock::acquire(&self.data_dir, command, chrono::Utc::now(), max_age) {
            Ok(lock) => {
                if let Some((old, why)) = lock.took_over() {
                    eprintln!(
                        "warning: took over a stale run lock of pid {} on {} ({})",
                        old.pid,
                        old.host,
                        why.describe()
                    );
                }
                Ok(Some(lock))
            }
            Err(e @ LockError::Busy { .. }) => {
                eprintln!("dengar {command}: {e}; not starting");
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }
}
