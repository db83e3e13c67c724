//! `dengar status`: the last run, the backlog and what needs a person. Exits 2 when something
//! needs a person, so monitoring scripts can use it. While a run holds the store (sled lets one
//! process open it), it says which run and when it started.

use super::{Env, Outcome};
use crate::ops::{lock, status};
use chrono::Utc;

/// Options of `status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(env: &Env, a: Args) -> anyhow::Result<Outcome> {
    let store = match env.store() {
        Ok(s) => s,
        Err(e) => {
            let max_age =
                chrono::Duration::hours(i64::from(env.config.schedule.lock_max_age_hours));
            let holder = lock::read(env.data_dir())
                .ok()
                .flatten()
                .filter(|h| !lock::judge(h, Utc::now(), max_age).is_stale());
            let Some(h) = holder else { return Err(e) };
            // the running process has the store open; say what runs instead of failing
            if a.json {
                println!("{}", serde_json::json!({ "running": h, "store": "busy" }));
            } else {
                println!(
                    "running     {} since {} (pid {} on {})",
                    h.command,
                    h.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    h.pid,
                    h.host
                );
                println!("store       in use by that run; details when it ends");
            }
            return Ok(Outcome::Ok);
        }
    };
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
