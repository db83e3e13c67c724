//! The review web page served by `dengar serve`: axum, server-rendered HTML (maud) in Bahasa
//! Indonesia, a JSON API under `/api/v1`, and one small script for keyboard shortcuts and bulk
//! selection.
//!
//! [`router`] returns a complete `Router` with its state applied, so the binary (or the lead's
//! wiring) can `.merge()` other routers — webhooks, health, metrics — next to it. Every route but
//! `/login` and `/static/*` requires a session or API token ([`auth::authenticate`]) and, for
//! state-changing requests with a cookie, the session's CSRF token ([`csrf::require_csrf`]);
//! every response carries the security headers ([`headers::security_headers`]).

pub mod actions;
pub mod api;
pub mod assets;
pub mod auth;
pub mod charts;
pub mod csrf;
pub mod error;
pub mod filter;
pub mod headers;
pub mod index;
pub mod pages;
pub mod render;
pub mod state;
pub mod throttle;
pub mod users;

pub use error::WebError;
pub use headers::security_headers;
pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;

/// Largest request body accepted (a report draft quoting a 100 KB post fits).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The whole review site with its state applied.
pub fn router(state: AppState) -> Router {
    use pages::{audit, dashboard, item, login, queue, users};
    let protected = Router::new()
        .route("/", get(queue::show))
        .route("/bulk", post(queue::bulk))
        .route("/item/{id}", get(item::show))
        .route("/item/{id}/accept", post(item::accept))
        .route("/item/{id}/reject", post(item::reject))
        .route("/item/{id}/merge", post(item::merge))
        .route("/item/{id}/undo", post(item::undo))
        .route("/dashboard", get(dashboard::show))
        .route("/audit", get(audit::show))
        .route("/audit.csv", get(audit::csv))
        .route("/users", get(users::show).post(users::add))
        .route("/users/{name}/disable", post(users::disable))
        .route("/users/{name}/token", post(users::token))
        .route("/logout", post(login::logout))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/queue", get(api::queue))
        .route("/api/v1/items/{id}", get(api::item))
        .route("/api/v1/items/{id}/accept", post(api::accept))
        .route("/api/v1/items/{id}/reject", post(api::reject))
        .route("/api/v1/items/{id}/merge", post(api::merge))
        .route("/api/v1/items/{id}/undo", post(api::undo))
        .route("/api/v1/audit", get(api::audit))
        .route("/api/v1/stats", get(api::stats))
        .layer(from_fn(csrf::require_csrf))
        .layer(from_fn_with_state(state.clone(), auth::authenticate));
    Router::new()
        .route("/login", get(login::show).post(login::submit))
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .merge(protected)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(security_headers))
        .with_state(state)
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM, with client addresses available for login
/// throttling.
pub async fn serve(app: Router, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "serving the review page");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
