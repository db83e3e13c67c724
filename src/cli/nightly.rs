//! `dengar nightly`: the main job.

use super::{Env, Outcome};
use crate::pipeline::nightly;

/// Options of `nightly`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the summary as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let ctx = env.context()?;
    let summary = nightly::run(&ctx);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", summary.render());
    }
    Ok(if summary.ok() {
        Outcome::Ok
    } else {
        Outcome::Partial
    })
}
