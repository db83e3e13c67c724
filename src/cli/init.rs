//! `dengar init [--city NAME] [--dir DIR]`: a commented config and reference-data templates.
//! The config's `data_dir` is `--data-dir` when given, else `DIR/data`.

use super::{Env, Outcome};
use crate::ops::init;
use std::path::PathBuf;

/// Options of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The city (used in agency names and the example account).
    #[arg(long, default_value = "Banjarmasin")]
    pub city: String,
    /// Where to write config.toml, agencies.toml and accounts.toml.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

pub fn run(env: &Env, a: Args) -> anyhow::Result<Outcome> {
    let w = init::write(&a.dir, &a.city, a.force, env.data_dir_flag.as_deref())?;
    println!("wrote {}", w.config.display());
    println!("wrote {}", w.agencies.display());
    println!("wrote {}", w.accounts.display());
    println!(
        "next: edit them, then `dengar --config {} nightly`",
        w.config.display()
    );
    println!(
        "      and `dengar --config {} schedule install`",
        w.config.display()
    );
    Ok(Outcome::Ok)
}
