//! User management for admins (`/users`): list accounts, add one, disable one, issue an API
//! token (shown once). Every change is written to the audit log. The same operations exist in
//! the CLI (`dengar user …`).

use super::{csrf_field, layout, Nav};
use crate::web::auth::Identity;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::state::AppState;
use crate::web::users::{Role, User, UserError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use serde::Deserialize;

/// The add-user form.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password2: String,
}

fn user_error(e: UserError) -> WebError {
    match e {
        UserError::InvalidName(_)
        | UserError::WeakPassword { .. }
        | UserError::LongPassword { .. }
        | UserError::Disabled(_) => WebError::BadRequest(e.to_string()),
        UserError::Exists(_) => WebError::Conflict(e.to_string()),
        UserError::NotFound(n) => WebError::NotFound(format!("pengguna {n}")),
        other => WebError::Internal(other.to_string()),
    }
}

fn page(state: &AppState, who: &Identity, notice: Option<Markup>) -> Result<Markup, WebError> {
    let users: Vec<User> = state.users.list().map_err(user_error)?;
    let content = html! {
        div.page-head { h1 { "Pengguna" } }
        @if let Some(n) = notice { (n) }
        section.card {
            table.users {
                thead { tr { th { "Nama" } th { "Peran" } th { "Status" } th { "Dibuat" } th { "Terakhir masuk" } th { "Token API" } th {} } }
                tbody {
                    @for u in &users {
                        tr.disabled[u.disabled] {
                            td { strong { (u.name) } }
                            td { (u.role.label()) }
                            td { @if u.disabled { span.status.s-rejected { "Nonaktif" } } @else { span.status.s-accepted { "Aktif" } } }
                            td.time { (render::time(u.created_at)) }
                            td.time { (u.last_login.map(render::time).unwrap_or_else(|| "—".into())) }
                            td { (state.users.tokens_of(&u.name).map(|t| t.len()).unwrap_or(0)) }
                            td.actions {
                                @if !u.disabled {
                                    form.inline method="post" action=(format!("/users/{}/token", u.name)) {
                                        (csrf_field(who))
                                        button.ghost type="submit" { "Buat token" }
                                    }
                                    @if u.name != who.user {
                                        form.inline method="post" action=(format!("/users/{}/disable", u.name)) {
                                            (csrf_field(who))
                                            button.danger type="submit" { "Nonaktifkan" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card.narrow-card {
            h2 { "Tambah pengguna" }
            form method="post" action="/users" {
                (csrf_field(who))
                label { span { "Nama pengguna" } input type="text" name="name" required maxlength="32" pattern="[a-z0-9][a-z0-9._\\-]{0,31}" autocomplete="off"; }
                label { span { "Peran" }
                    select name="role" {
                        @for r in Role::ALL { option value=(r.as_str()) selected[r == Role::Reviewer] { (r.label()) } }
                    }
                }
                label { span { "Kata sandi (min. 10 karakter)" } input type="password" name="password" required minlength="10" autocomplete="new-password"; }
                label { span { "Ulangi kata sandi" } input type="password" name="password2" required minlength="10" autocomplete="new-password"; }
                div.actions { button.primary type="submit" { "Tambah" } }
            }
        }
    };
    Ok(layout("Pengguna", who, Nav::Users, "users", content))
}

/// `GET /users`
pub async fn show(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
) -> Result<Response, WebError> {
    who.require(Role::Admin, "mengelola pengguna")?;
    Ok(page(&state, &who, None)?.into_response())
}

/// `POST /users`
pub async fn add(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Form(f): Form<AddForm>,
) -> Result<Response, WebError> {
    who.require(Role::Admin, "mengelola pengguna")?;
    let role =
        Role::parse(&f.role).ok_or_else(|| WebError::BadRequest("Peran tidak dikenal.".into()))?;
    if f.password != f.password2 {
        return Err(WebError::BadRequest("Kedua kata sandi tidak sama.".into()));
    }
    let name = f.name.trim().to_string();
    let actor = who.user.clone();
    state
        .blocking(move |s| {
            s.users.add(&name, role, &f.password).map_err(user_error)?;
            s.store
                .audit_note(&actor, "user-add", None, Some(&format!("{name} ({role})")))?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/users").into_response())
}

/// `POST /users/{name}/disable`
pub async fn disable(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    who.require(Role::Admin, "mengelola pengguna")?;
    if name == who.user {
        return Err(WebError::BadRequest(
            "Anda tidak bisa menonaktifkan akun sendiri.".into(),
        ));
    }
    let actor = who.user.clone();
    state
        .blocking(move |s| {
            let revoked = s.users.disable(&name).map_err(user_error)?;
            s.store.audit_note(
                &actor,
                "user-disable",
                None,
                Some(&format!("{name}; {revoked} token dicabut")),
            )?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/users").into_response())
}

/// `POST /users/{name}/token`: shows the new token once.
pub async fn token(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    who.require(Role::Admin, "mengelola pengguna")?;
    let actor = who.user.clone();
    let n = name.clone();
    let token = state
        .blocking(move |s| {
            let t = s.users.issue_token(&n).map_err(user_error)?;
            s.store.audit_note(
                &actor,
                "token-issue",
                None,
                Some(&format!("token API untuk {n}")),
            )?;
            Ok(t)
        })
        .await?;
    let notice = html! {
        div.notice.good {
            p { "Token API baru untuk " strong { (name) } ". Salin sekarang: token ini tidak akan ditampilkan lagi." }
            pre.token { (token) }
            p.muted.small { "Pakai sebagai " code { "Authorization: Bearer …" } " untuk /api/v1." }
        }
    };
    Ok((StatusCode::OK, page(&state, &who, Some(notice))?).into_response())
}
