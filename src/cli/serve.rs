//! `dengar serve`: the review web page. Refuses to start without a user account and says how to
//! create the first admin.

use super::{Env, Outcome};
use crate::web::{self, AppState};
use anyhow::{bail, Context as _};
use std::net::SocketAddr;
use std::time::Instant;

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port to listen on (default: `[web] bind`, 127.0.0.1:8080).
    #[arg(long)]
    pub bind: Option<String>,
}

/// What to tell someone who starts the server before creating any account.
pub const NO_USERS: &str = "no user accounts yet: nobody could log in.\n\
Create the first admin, then start the server again:\n\n    \
dengar user add admin --role admin          (types the password on stdin)\n    \
DENGAR_PASSWORD='…' dengar user add admin --role admin\n";

pub fn run(env: &Env, args: Args) -> anyhow::Result<Outcome> {
    let bind = args.bind.unwrap_or_else(|| env.config.web.bind.clone());
    let addr: SocketAddr = bind.parse().with_context(|| {
        format!("--bind `{bind}` is not an address:port such as 127.0.0.1:8080")
    })?;
    let store = env.store()?;
    let catalog = env.catalog()?;
    let started = Instant::now();
    let state = AppState::new(store, catalog, env.config.web.clone())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("preparing the review page")?;
    if state.users.is_empty() {
        bail!("{NO_USERS}");
    }
    eprintln!(
        "review index: {} items in {:.1} s",
        state.index.len(),
        started.elapsed().as_secs_f64()
    );
    if !env.config.web.secure_cookies && !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving on {addr} without `[web] secure_cookies = true`; put HTTPS in front and turn it on"
        );
    }
    eprintln!("dengar review page on http://{addr}/ (Ctrl-C to stop)");
    let app = web::router(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(web::serve(app, addr))
        .with_context(|| format!("serving on {addr}"))?;
    Ok(Outcome::Ok)
}
