//! Command-line interface (clap): one file per command group; each returns an [`Outcome`] that
//! `main` maps to the exit code.

mod classify;
mod eval;
mod import;
mod jsonline;
mod nightly;
mod queue;
mod train;

use crate::catalog::Catalog;
use crate::config::Config;
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
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Harvest → classify → queue, then print a summary.
    Nightly(nightly::Args),
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
    let env = Env { config, data_dir };
    match cli.command {
        Command::Nightly(a) => nightly::run(&env, a),
        Command::Import(a) => import::run(&env, a),
        Command::Classify(a) => classify::run(&env, a),
        Command::Train(a) => train::run(&env, a),
        Command::Eval(a) => eval::run(&env, a),
        Command::Queue(c) => queue::run_queue(&env, c),
        Command::Review(a) => queue::run_review(&env, a),
        Command::Export(a) => queue::run_export(&env, a),
        Command::Stats => queue::run_stats(&env),
    }
}

/// What every command may need.
pub struct Env {
    pub config: Config,
    pub data_dir: PathBuf,
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
}
