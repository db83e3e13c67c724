//! `dengar harvest [--platform P]`: run the platform collectors alone (no classification),
//! concurrently, and print what each did. Exit code 2 when a platform failed or skipped items.

use super::{Env, Outcome};
use crate::collect::PLATFORMS;
use crate::model::Platform;
use crate::pipeline::harvest::SourceReport;
use crate::pipeline::platforms;
use anyhow::bail;

/// Options of `harvest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this platform (x, instagram, facebook, youtube, mastodon); it must be enabled in
    /// `[collect.<platform>]`. Default: every enabled platform.
    #[arg(long, value_parser = parse_platform)]
    pub platform: Option<Platform>,
    /// Print the reports as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_platform(s: &str) -> Result<Platform, String> {
    Platform::parse(s)
        .filter(|p| PLATFORMS.contains(p))
        .ok_or_else(|| {
            let names: Vec<_> = PLATFORMS.iter().map(|p| p.as_str()).collect();
            format!("unknown platform `{s}` (one of {})", names.join(", "))
        })
}

/// One report as a line.
pub fn render(r: &SourceReport) -> String {
    let mut s = format!(
        "{:<10} read {:>5}  new {:>5}  known {:>5}  errors {}",
        r.source,
        r.read,
        r.new,
        r.known,
        r.errors.len()
    );
    if let Some(p) = &r.platform {
        s.push_str(&format!(
            "  pages {}  requests {}  retries {}  partial {}  {:.1}s",
            p.pages, p.requests, p.retries, p.partial_errors, p.secs
        ));
    }
    s
}

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let ctx = env.context()?;
    let enabled = ctx.config.collect.enabled();
    let platforms = match args.platform {
        Some(p) if enabled.contains(&p) => vec![p],
        Some(p) => bail!("platform {p} is not enabled: set `enabled = true` in [collect.{p}]"),
        None => enabled,
    };
    if platforms.is_empty() {
        eprintln!(
            "no platform is enabled: add a [collect.<platform>] section with `enabled = true` \
             (see docs/platform-tokens.md)"
        );
        return Ok(Outcome::Ok);
    }
    let reports = platforms::run(&ctx, &platforms);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        for r in &reports {
            println!("{}", render(r));
            if let Some(f) = &r.failed {
                println!("    failed: {f}");
            }
            for e in r.errors.iter().take(20) {
                println!("    {e}");
            }
        }
    }
    Ok(if reports.iter().any(|r| r.has_errors()) {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
