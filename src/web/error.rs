//! Web errors: one enum for every handler, rendered as a small HTML page for the browser or as
//! `{"error": "..."}` for the JSON API ([`ApiError`]). Messages shown to users are Indonesian;
//! internal details (store errors) are logged, not shown.

use crate::store::StoreError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

/// What can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No valid session or token: the browser goes to the login page.
    #[error("login required")]
    Unauthenticated,
    /// Logged in, but the role does not allow this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The CSRF token is missing or wrong.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// No such item, user or page.
    #[error("not found: {0}")]
    NotFound(String),
    /// The request is malformed or a field is invalid; the message says which.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The action does not fit the item's current state (already decided, final state).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many failed logins; retry after this many seconds.
    #[error("too many attempts, retry in {0} s")]
    Throttled(u64),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(String),
}

impl WebError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            WebError::Store(StoreError::Transition { .. } | StoreError::Purged { .. }) => {
                StatusCode::CONFLICT
            }
            WebError::Store(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the user (Indonesian, no internals).
    pub fn public_message(&self) -> String {
        match self {
            WebError::Unauthenticated => "Silakan masuk terlebih dahulu.".to_string(),
            WebError::Forbidden(what) => format!("Peran Anda tidak mengizinkan ini: {what}."),
            WebError::Csrf => {
                "Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu coba lagi."
                    .to_string()
            }
            WebError::NotFound(what) => format!("Tidak ditemukan: {what}."),
            WebError::BadRequest(msg) | WebError::Conflict(msg) => msg.clone(),
            WebError::Throttled(secs) => format!(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {} menit.",
                secs.div_ceil(60).max(1)
            ),
            WebError::Store(StoreError::NotFound(id)) => format!("Tidak ditemukan: item {id}."),
            WebError::Store(StoreError::Transition { source, .. }) => format!(
                "Status item sudah berubah ({} → {} tidak diizinkan). Muat ulang halaman.",
                source.from, source.to
            ),
            WebError::Store(StoreError::Purged { date, .. }) => format!(
                "Item ini sudah dihapus isinya pada {date} sesuai masa simpan data, \
                 jadi tidak bisa ditinjau ulang."
            ),
            WebError::Store(_) | WebError::Internal(_) => {
                "Terjadi kesalahan di server. Kejadian ini sudah dicatat.".to_string()
            }
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, WebError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        let status = self.status();
        let body = html! {
            (maud::DOCTYPE)
            html lang="id" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { "Kesalahan · dengar" }
                    link rel="stylesheet" href=(super::assets::css_url());
                }
                body.error-page {
                    main.narrow {
                        h1 { (status.as_u16()) " · " (status.canonical_reason().unwrap_or("Kesalahan")) }
                        p.notice.bad { (super::render::visible(&self.public_message())) }
                        p { a href="/" { "← Kembali ke antrean" } }
                    }
                }
            }
        };
        (status, body).into_response()
    }
}

/// A [`WebError`] answered as JSON, for `/api/v1`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        ApiError(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError(WebError::Store(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let body = serde_json::json!({
            "error": self.0.public_message(),
            "status": status.as_u16(),
        });
        let mut resp = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"dengar\""),
            );
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purged_item_is_a_conflict_with_an_indonesian_message() {
        let e = WebError::Store(StoreError::Purged {
            id: "x:1".into(),
            date: "2026-03-01".into(),
        });
        assert_eq!(e.status(), StatusCode::CONFLICT);
        let m = e.public_message();
        assert!(m.contains("2026-03-01") && m.contains("masa simpan"), "{m}");
        assert!(!m.contains("x:1"));
    }
}
