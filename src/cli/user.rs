//! `dengar user add|list|disable|token`: staff accounts of the review page. Passwords are read
//! from `DENGAR_PASSWORD` or stdin (without echo on a terminal), never from an argument, so they
//! do not end up in shell history or the process list. Tokens are printed once.

use super::{Env, Outcome};
use crate::web::users::{Role, Users};
use anyhow::{anyhow, bail, Context as _};
use std::io::{BufRead, IsTerminal, Write};

/// `dengar user …`
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account (password from $DENGAR_PASSWORD or stdin).
    Add {
        /// Login name: lowercase letters, digits, `.`, `_`, `-`.
        name: String,
        /// admin (manages users), reviewer (decides) or viewer (reads).
        #[arg(long, value_parser = ["admin", "reviewer", "viewer"])]
        role: String,
    },
    /// List accounts.
    List,
    /// Disable an account (and revoke its API tokens).
    Disable {
        /// Login name.
        name: String,
    },
    /// Issue an API token for scripts (printed once).
    Token {
        /// Login name.
        name: String,
    },
}

/// Environment variable a password may come from.
pub const PASSWORD_ENV: &str = "DENGAR_PASSWORD";

fn set_echo(on: bool) {
    let _ = std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(std::process::Stdio::inherit())
        .status();
}

fn read_line_hidden(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    set_echo(false);
    let mut line = String::new();
    let r = std::io::stdin().lock().read_line(&mut line);
    set_echo(true);
    eprintln!();
    r.context("reading the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(PASSWORD_ENV) {
        if !p.is_empty() {
            return Ok(p);
        }
    }
    if std::io::stdin().is_terminal() {
        let a = read_line_hidden("Password: ")?;
        let b = read_line_hidden("Again: ")?;
        if a != b {
            bail!("the two passwords differ");
        }
        return Ok(a);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        bail!("no password: set {PASSWORD_ENV} or write it on stdin");
    }
    Ok(p)
}

pub fn run(env: &Env, cmd: UserCommand) -> anyhow::Result<Outcome> {
    let store = env.store()?;
    let users = Users::open(&store)?;
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".to_string());
    let mut out = std::io::stdout().lock();
    match cmd {
        UserCommand::Add { name, role } => {
            let role = Role::parse(&role).ok_or_else(|| anyhow!("unknown role `{role}`"))?;
            let password = read_password()?;
            users.add(&name, role, &password)?;
            store.audit_note(&actor, "user-add", None, Some(&format!("{name} ({role})")))?;
            store.flush()?;
            writeln!(out, "added {name} ({role})")?;
        }
        UserCommand::List => {
            let list = users.list()?;
            if list.is_empty() {
                writeln!(
                    out,
                    "(no users; create one with `dengar user add NAME --role admin`)"
                )?;
            }
            for u in list {
                writeln!(
                    out,
                    "{:<24} {:<9} {:<9} tokens {:<3} created {} last login {}",
                    u.name,
                    u.role.as_str(),
                    if u.disabled { "disabled" } else { "active" },
                    users.tokens_of(&u.name)?.len(),
                    u.created_at.format("%Y-%m-%d"),
                    u.last_login
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "-".into())
                )?;
            }
        }
        UserCommand::Disable { name } => {
            let revoked = users.disable(&name)?;
            store.audit_note(
                &actor,
                "user-disable",
                None,
                Some(&format!("{name}; {revoked} token dicabut")),
            )?;
            store.flush()?;
            writeln!(out, "disabled {name} (revoked {revoked} API tokens)")?;
        }
        UserCommand::Token { name } => {
            let token = users.issue_token(&name)?;
            store.audit_note(
                &actor,
                "token-issue",
                None,
                Some(&format!("token API untuk {name}")),
            )?;
            store.flush()?;
            eprintln!("API token for {name} (shown once; send as `Authorization: Bearer …`):");
            writeln!(out, "{token}")?;
        }
    }
    Ok(Outcome::Ok)
}
