//! `dengar schedule install|show|remove`: the systemd timer (or crontab line) for `nightly`.

use super::{Env, Outcome};
use crate::config::parse_hour_minute;
use crate::ops::schedule::{self, Plan};
use anyhow::{bail, Context as _};
use std::path::PathBuf;

/// `dengar schedule …`
#[derive(Debug, clap::Subcommand)]
pub enum ScheduleCommand {
    /// Write a systemd service and timer that run `dengar nightly` every night (or, with
    /// --cron, print the crontab lines instead).
    Install(InstallArgs),
    /// Print the installed unit files.
    Show(UnitArgs),
    /// Delete the unit files written by `install`.
    Remove(UnitArgs),
}

/// Where the units live.
#[derive(Debug, clap::Args)]
pub struct UnitArgs {
    /// Unit directory (default: /etc/systemd/system as root, ~/.config/systemd/user otherwise).
    #[arg(long)]
    pub unit_dir: Option<PathBuf>,
    /// Unit name, without .service/.timer.
    #[arg(long, default_value = "dengar-nightly")]
    pub name: String,
}

/// Options of `schedule install`.
#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub unit: UnitArgs,
    /// Local start time HH:MM (default: `[schedule] at` of the config, 02:00).
    #[arg(long)]
    pub at: Option<String>,
    /// Time zone (default: `[schedule] timezone` of the config, Asia/Makassar).
    #[arg(long)]
    pub timezone: Option<String>,
    /// Print crontab lines instead of writing systemd units.
    #[arg(long)]
    pub cron: bool,
    /// System user the service runs as (system units only).
    #[arg(long)]
    pub user: Option<String>,
    /// The dengar program to run (default: this one).
    #[arg(long)]
    pub exe: Option<PathBuf>,
    /// `KEY=value` file with the tokens the run needs (default: `dengar.env` beside the config
    /// file, when a config is given).
    #[arg(long)]
    pub env_file: Option<PathBuf>,
}

fn plan(env: &Env, a: &InstallArgs) -> anyhow::Result<Plan> {
    let at =
        a.at.clone()
            .unwrap_or_else(|| env.config.schedule.at.clone());
    let Some((hour, minute)) = parse_hour_minute(&at) else {
        bail!("--at must be a time HH:MM, got {at:?}");
    };
    let timezone = a
        .timezone
        .clone()
        .unwrap_or_else(|| env.config.schedule.timezone.clone());
    if !crate::config::valid_timezone(&timezone) {
        bail!("unknown time zone {timezone:?} (use an IANA name such as Asia/Makassar)");
    }
    let exe = match &a.exe {
        Some(p) => schedule::absolute(p),
        None => std::env::current_exe().context("finding the dengar program")?,
    };
    let config = env.config_path.as_deref().map(schedule::absolute);
    let env_file = a.env_file.as_deref().map(schedule::absolute).or_else(|| {
        config
            .as_ref()
            .and_then(|c| c.parent().map(|d| d.join("dengar.env")))
    });
    Ok(Plan {
        name: a.unit.name.clone(),
        exe,
        data_dir: schedule::absolute(env.data_dir()),
        config,
        hour,
        minute,
        timezone,
        user: a.user.clone(),
        timeout_hours: env.config.schedule.lock_max_age_hours,
        env_file,
    })
}

pub fn run(env: &Env, cmd: ScheduleCommand) -> anyhow::Result<Outcome> {
    match cmd {
        ScheduleCommand::Install(a) => {
            let p = plan(env, &a)?;
            if a.cron {
                print!("{}", schedule::cron_lines(&p));
                return Ok(Outcome::Ok);
            }
            let dir = a
                .unit
                .unit_dir
                .clone()
                .unwrap_or_else(schedule::default_unit_dir);
            let written = schedule::install(&p, &dir)?;
            if !p.data_dir.is_dir() {
                eprintln!(
                    "warning: the data directory {} does not exist; the service needs it: \
                     `install -d -o USER -g USER {}` (USER = the service's user)",
                    p.data_dir.display(),
                    p.data_dir.display()
                );
            }
            for w in &written {
                println!("wrote {}", w.display());
            }
            let user_units =
                !dir.starts_with("/etc") && !dir.starts_with("/usr") && !dir.starts_with("/lib");
            let ctl = if user_units {
                "systemctl --user"
            } else {
                "systemctl"
            };
            println!(
                "next: {ctl} daemon-reload && {ctl} enable --now {}.timer",
                p.name
            );
            if user_units {
                println!(
                    "      (and `loginctl enable-linger` so it runs while nobody is logged in)"
                );
            }
            println!("check: {ctl} list-timers {}.timer", p.name);
        }
        ScheduleCommand::Show(u) => {
            let dir = u.unit_dir.unwrap_or_else(schedule::default_unit_dir);
            let units = schedule::show(&u.name, &dir)?;
            if units.is_empty() {
                println!("{} is not installed in {}", u.name, dir.display());
            }
            for (path, text) in units {
                println!("# {}\n{text}", path.display());
            }
        }
        ScheduleCommand::Remove(u) => {
            let dir = u.unit_dir.unwrap_or_else(schedule::default_unit_dir);
            let removed = schedule::remove(&u.name, &dir)?;
            if removed.is_empty() {
                println!("{} is not installed in {}", u.name, dir.display());
            }
            for r in &removed {
                println!("removed {}", r.display());
            }
            if !removed.is_empty() {
                println!("next: systemctl daemon-reload (add --user for user units)");
            }
        }
    }
    Ok(Outcome::Ok)
}
