//! `dengar backup FILE` and `dengar restore FILE --data-dir DIR`.

use super::{Env, Outcome};
use crate::ops::backup;
use chrono::Utc;
use std::path::PathBuf;

/// Options of `backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Output file (gzip-compressed JSON lines; `.jsonl.gz` is a good name).
    pub file: PathBuf,
}

/// Options of `restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A file written by `dengar backup`.
    pub file: PathBuf,
}

pub fn run_backup(env: &Env, a: BackupArgs) -> anyhow::Result<Outcome> {
    let Some(_lock) = env.run_lock("backup")? else {
        return Ok(Outcome::Busy);
    };
    let store = env.store()?;
    let s = backup::backup(&store, &a.file, Utc::now())?;
    println!(
        "backup {}: {} records in {} trees, {} bytes{}",
        a.file.display(),
        s.records,
        s.trees.len(),
        s.bytes,
        if s.quiescent {
            ""
        } else {
            " (the store changed while it was read)"
        }
    );
    for (t, n) in &s.trees {
        println!("  {t:<24} {n:>8}");
    }
    Ok(if s.quiescent {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}

pub fn run_restore(env: &Env, a: RestoreArgs) -> anyhow::Result<Outcome> {
    let s = backup::restore(&a.file, env.data_dir())?;
    println!(
        "restored {} records in {} trees into {}",
        s.records,
        s.trees.len(),
        env.data_dir().display()
    );
    Ok(Outcome::Ok)
}
