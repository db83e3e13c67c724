//! `dengar nightly`: the main job. Takes the run lock before opening the store (a second run
//! exits at once with code 75), records the run, purges what retention says and writes the
//! run's HTML report.

use super::{Env, Outcome};
use crate::ops::nightly;

/// Options of `nightly`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the summary as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let Some(lock) = env.run_lock("nightly")? else {
        return Ok(Outcome::Busy);
    };
    let ctx = env.context()?;
    let done = nightly::run(&ctx, &lock)?;
    drop(ctx);
    lock.release()?;
    if args.json {
        // the summary's own shape, with the run record and the purge added
        let mut v = serde_json::to_value(&done.summary)?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("run".into(), serde_json::to_value(&done.record)?);
            obj.insert("purge".into(), serde_json::to_value(&done.purge)?);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", done.summary.render());
        if let Some(p) = &done.purge {
            print!("{}", p.render());
        }
        println!(
            "  run         #{} {}{}",
            done.record.id,
            done.record.outcome(),
            done.report
                .as_ref()
                .map(|p| format!(", report {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(if done.record.ok {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}
