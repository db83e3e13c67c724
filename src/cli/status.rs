//! `dengar status`: the last run, the backlog and what needs a person. Exits 2 when something
//! needs a person, so monitoring scripts can use it.

use super::{Env, Outcome};
use crate::ops::status;
use chrono::Utc;

/// Options of `status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(env: &Env, a: Args) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let s = status::gather(&store, env.data_dir(), &env.config, Utc::now())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print!("{}", s.render());
    }
    Ok(if s.attention.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}
