//! Login and logout.
//!
//! The login form carries a double-submit CSRF token (a random cookie echoed in a hidden field),
//! attempts are throttled per account and per client address before the password is even
//! checked, unknown names cost the same argon2 work as known ones, and the error never says
//! which of name or password was wrong. `next` only ever redirects to a path on this site.

use crate::web::auth::{self, Identity, SESSION_COOKIE};
use crate::web::csrf::{self, LOGIN_COOKIE};
use crate::web::error::WebError;
use crate::web::state::AppState;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use serde::Deserialize;
use std::time::Instant;

/// `?next=`
#[derive(Debug, Deserialize)]
pub struct NextParam {
    pub next: Option<String>,
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub next: Option<String>,
}

/// A local path to go to after login; anything else becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 2048
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

fn form(token: &str, next: &str, user: &str, error: Option<&str>) -> Markup {
    super::bare(
        "Masuk",
        html! {
            div.login-card {
                div.login-brand {
                    span.logo { "d" }
                    div {
                        h1 { "dengar" }
                        p.muted { "Tinjauan aduan warga dari media sosial · Diskominfotik Kota Banjarmasin" }
                    }
                }
                @if let Some(e) = error {
                    p.notice.bad role="alert" { (e) }
                }
                form method="post" action="/login" {
                    input type="hidden" name="csrf" value=(token);
                    input type="hidden" name="next" value=(next);
                    label {
                        span { "Nama pengguna" }
                        input #user type="text" name="user" value=(user) autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus;
                    }
                    label {
                        span { "Kata sandi" }
                        input #password type="password" name="password" autocomplete="current-password" required;
                    }
                    button.primary type="submit" { "Masuk" }
                }
                p.muted.small { "Akun dibuat oleh admin dengan " code { "dengar user add" } "." }
            }
        },
    )
}

/// The browser's login token when it already has a well-formed one (so two tabs or a reload
/// do not invalidate each other's form), else a new one.
fn login_token(headers: &HeaderMap) -> String {
    match auth::cookie(headers, LOGIN_COOKIE) {
        Some(t)
            if t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            t
        }
        _ => auth::random_token(),
    }
}

fn with_login_cookie(state: &AppState, status: StatusCode, token: &str, body: Markup) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(LOGIN_COOKIE, token, 3600, state.config.secure_cookies),
    );
    resp
}

/// `GET /login`
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<NextParam>,
) -> Result<Response, WebError> {
    let next = safe_next(p.next.as_deref());
    if auth::identify(&state, &headers)?.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let token = login_token(&headers);
    Ok(with_login_cookie(
        &state,
        StatusCode::OK,
        &token,
        form(&token, &next, "", None),
    ))
}

/// `POST /login`
pub async fn submit(State(state): State<AppState>, req: Request) -> Result<Response, WebError> {
    let peer = auth::peer_of(&req);
    let headers = req.headers().clone();
    let Form(f): Form<LoginForm> = Form::from_request(req, &())
        .await
        .map_err(|_| WebError::BadRequest("Formulir masuk tidak lengkap.".to_string()))?;
    let next = safe_next(f.next.as_deref());
    let cookie_token = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !csrf::tokens_match(&f.csrf, &cookie_token) {
        return Err(WebError::Csrf);
    }
    let addr = auth::client_addr(&headers, peer, state.config.trust_forwarded_for);
    let name = f.user.trim().to_lowercase();
    let retry = |state: &AppState, status: StatusCode, msg: &str| {
        let token = login_token(&headers);
        with_login_cookie(state, status, &token, form(&token, &next, &name, Some(msg)))
    };
    if let Err(wait) = state.throttle.check(&name, &addr, Instant::now()) {
        tracing::warn!(user = ?name, addr = %addr, "login throttled");
        let msg = WebError::Throttled(wait).public_message();
        let mut resp = retry(&state, StatusCode::TOO_MANY_REQUESTS, &msg);
        if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(resp);
    }
    let password = f.password;
    let lookup = name.clone();
    let user = state
        .blocking(move |s| {
            let user = s
                .users
                .get(&lookup)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            let ok = match &user {
                Some(u) => auth::verify_password(&u.password_hash, &password) && !u.disabled,
                None => {
                    auth::verify_password(auth::dummy_hash(), &password);
                    false
                }
            };
            Ok(user.filter(|_| ok))
        })
        .await?;
    let Some(user) = user else {
        state.throttle.fail(&name, &addr, Instant::now());
        tracing::warn!(user = ?name, addr = %addr, "login failed");
        return Ok(retry(
            &state,
            StatusCode::UNAUTHORIZED,
            "Nama pengguna atau kata sandi salah, atau akun dinonaktifkan.",
        ));
    };
    state.throttle.succeed(&name);
    let (token, _) = state.sessions.create(&user.name)?;
    if let Err(e) = state.users.touch_login(&user.name) {
        tracing::warn!(error = %e, "cannot record last login");
    }
    tracing::info!(user = %user.name, "logged in");
    let mut resp = Redirect::to(&next).into_response();
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        auth::set_cookie(
            SESSION_COOKIE,
            &token,
            state.config.session_ttl_secs,
            state.config.secure_cookies,
        ),
    );
    h.append(
        header::SET_COOKIE,
        auth::set_cookie(LOGIN_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(resp)
}

/// `POST /logout`
pub async fn logout(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = auth::cookie(&headers, SESSION_COOKIE) {
        state.sessions.remove(&token)?;
    }
    tracing::info!(user = %who.user, "logged out");
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/item/x:1?agency=dlh")),
            "/item/x:1?agency=dlh"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
