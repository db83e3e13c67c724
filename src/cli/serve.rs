//! `dengar serve`: the review web page, with `/healthz` and `/metrics` for monitoring and, when
//! Instagram is enabled and its webhook secrets are set, the mentions webhook at
//! `/webhooks/instagram`. Refuses to start without a user account and says how to create the
//! first admin.

use super::{Env, Outcome};
use crate::collect::instagram::webhook::{self, WebhookSecrets};
use crate::config::Config;
use crate::ops::http as ops_http;
use crate::ops::latency::{HttpMetrics, LatencyLayer};
use crate::pipeline::mentions::StoreInbox;
use crate::store::Store;
use crate::web::{self, AppState};
use anyhow::{bail, Context as _};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
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
    let store_for_ops = store.clone();
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
    let app = app(state, &store_for_ops, &env.config)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(web::serve(app, addr))
        .with_context(|| format!("serving on {addr}"))?;
    Ok(Outcome::Ok)
}

/// The whole served app: the review page, the monitoring routes and (when Instagram is enabled
/// and its secrets are set) the mentions webhook, all timed by one latency layer whose numbers
/// `/metrics` reports.
pub fn app(state: AppState, store: &Store, config: &Config) -> anyhow::Result<Router> {
    let metrics = HttpMetrics::new();
    let mut app =
        web::router(state).merge(ops_http::router(store.clone(), config, metrics.clone()));
    if config.collect.instagram.enabled {
        match WebhookSecrets::from_env(&config.collect.instagram) {
            Ok(secrets) => {
                let inbox =
                    StoreInbox::open(store).context("opening the Instagram mentions inbox")?;
                app = app.nest(
                    "/webhooks/instagram",
                    webhook::router(secrets, Arc::new(inbox)),
                );
                eprintln!("Instagram mentions webhook on /webhooks/instagram");
            }
            Err(e) => eprintln!("Instagram mentions webhook off: {e}"),
        }
    }
    Ok(app.layer(LatencyLayer::new(metrics)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[tokio::test]
    async fn served_app_has_review_page_health_and_metrics() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let config = Config::default();
        let state = AppState::new(store.clone(), Catalog::embedded(), config.web.clone()).unwrap();
        let app = app(state, &store, &config).unwrap();
        let get = |uri: &str| Request::builder().uri(uri).body(Body::empty()).unwrap();
        let health = app.clone().oneshot(get("/healthz")).await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        // the review page wants a login
        let queue = app.clone().oneshot(get("/")).await.unwrap();
        assert!(queue.status().is_redirection(), "{}", queue.status());
        let metrics = app.clone().oneshot(get("/metrics")).await.unwrap();
        assert_eq!(metrics.status(), StatusCode::OK);
        let body = metrics.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8(body.to_vec()).unwrap();
        // the latency layer saw the two earlier requests
        assert!(text.contains("healthz"), "{text}");
        // no webhook unless Instagram is enabled
        let hook = app.oneshot(get("/webhooks/instagram")).await.unwrap();
        assert_eq!(hook.status(), StatusCode::NOT_FOUND);
    }
}
