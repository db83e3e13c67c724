//! The page's static files, compiled into the binary: one stylesheet and one script (keyboard
//! shortcuts and bulk selection). Served under `/static/` with a content hash in the URL, so
//! they can be cached for a long time and the CSP can forbid every inline script and style.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The stylesheet.
pub const CSS: &str = include_str!("assets/app.css");
/// The script.
pub const JS: &str = include_str!("assets/app.js");

fn short_hash(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// URL of the stylesheet, versioned by content.
pub fn css_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| format!("/static/app.css?v={}", short_hash(CSS)))
}

/// URL of the script, versioned by content.
pub fn js_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| format!("/static/app.js?v={}", short_hash(JS)))
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /static/app.css`
pub async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

/// `GET /static/app.js`
pub async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}
