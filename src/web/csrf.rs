//! CSRF protection for cookie sessions.
//!
//! Every state-changing request (POST, PUT, PATCH, DELETE) made with a session cookie must carry
//! the session's token, either in the `X-CSRF-Token` header (JSON API, scripts in the page) or
//! as the `csrf` field of an `application/x-www-form-urlencoded` body (HTML forms). The check is
//! one middleware, so no handler can forget it. Callers with an API token send no cookie and
//! need no CSRF token. The login form, which has no session yet, uses a double-submit cookie
//! ([`LOGIN_COOKIE`]). Comparisons are constant-time.

use super::auth::Identity;
use super::error::{ApiError, WebError};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

/// Form field carrying the token.
pub const FIELD: &str = "csrf";
/// Header carrying the token.
pub const HEADER: &str = "x-csrf-token";
/// Cookie of the login form's double-submit token.
pub const LOGIN_COOKIE: &str = "dengar_login";
/// Largest form body read for the check (a report draft with a 100 KB post fits).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// Constant-time equality of two tokens; empty tokens never match.
pub fn tokens_match(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The value of one field of a urlencoded body.
pub fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn refuse(is_api: bool) -> Response {
    if is_api {
        ApiError(WebError::Csrf).into_response()
    } else {
        WebError::Csrf.into_response()
    }
}

/// Middleware (after [`super::auth::authenticate`]): refuses state-changing cookie requests
/// without the session's token with 403.
pub async fn require_csrf(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let is_api = req.uri().path().starts_with("/api/");
    let expected = match req.extensions().get::<Identity>() {
        Some(id) => id.csrf.clone(),
        None => return refuse(is_api),
    };
    let Some(expected) = expected else {
        return next.run(req).await;
    };
    if safe {
        return next.run(req).await;
    }
    if let Some(sent) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        if tokens_match(sent, &expected) {
            return next.run(req).await;
        }
        return refuse(is_api);
    }
    if !is_form(&req) {
        return refuse(is_api);
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return WebError::BadRequest("Formulir terlalu besar.".to_string()).into_response()
        }
    };
    match form_field(&bytes, FIELD) {
        Some(sent) if tokens_match(&sent, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse(is_api),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "abcd"));
        assert!(!tokens_match("", ""));
    }

    #[test]
    fn form_fields_are_decoded() {
        let body = b"a=1&csrf=x%2By+z&b=2";
        assert_eq!(form_field(body, "csrf").as_deref(), Some("x+y z"));
        assert_eq!(form_field(body, "nope"), None);
    }
}
