//! The audit log (`/audit`): every decision and change with who, when and what changed, newest
//! first, filterable by user, action and item, paged backwards by sequence number. Admins can
//! export it (`/audit.csv`, same filters); the CSV neutralises cells that a spreadsheet would
//! run as formulas.

use super::{layout, Nav};
use crate::model::AuditEntry;
use crate::web::auth::Identity;
use crate::web::error::WebError;
use crate::web::render::{self, item_url, visible};
use crate::web::state::AppState;
use crate::web::users::Role;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;

/// Entries per page.
pub const PAGE: usize = 100;

/// `?before=&actor=&action=&item=`
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditParams {
    pub before: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub item: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect())
}

impl AuditParams {
    /// Whether an entry passes the filters.
    pub fn keep(&self) -> impl Fn(&AuditEntry) -> bool {
        let actor = nonempty(&self.actor);
        let action = nonempty(&self.action);
        let item = nonempty(&self.item);
        move |e: &AuditEntry| {
            actor.as_deref().is_none_or(|a| e.actor == a)
                && action.as_deref().is_none_or(|a| e.action == a)
                && item.as_deref().is_none_or(|i| e.item.as_deref() == Some(i))
        }
    }

    fn before(&self) -> Option<u64> {
        self.before.as_deref().and_then(|b| b.trim().parse().ok())
    }

    fn query(&self, before: Option<u64>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("item", &self.item),
        ] {
            if let Some(v) = nonempty(v) {
                s.append_pair(k, &v);
            }
        }
        if let Some(b) = before {
            s.append_pair("before", &b.to_string());
        }
        s.finish()
    }
}

/// `GET /audit`
pub async fn show(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Query(p): Query<AuditParams>,
) -> Result<Response, WebError> {
    let keep = p.keep();
    let before = p.before();
    let entries = state
        .blocking(move |s| Ok(s.store.audit_page(before, PAGE, keep)?))
        .await?;
    Ok(render_page(&who, &p, &entries).into_response())
}

fn render_page(who: &Identity, p: &AuditParams, entries: &[AuditEntry]) -> Markup {
    let csv_q = p.query(None);
    let content = html! {
        div.page-head {
            h1 { "Audit" }
            @if who.role >= Role::Admin {
                a.button.ghost #csv href=(if csv_q.is_empty() { "/audit.csv".to_string() } else { format!("/audit.csv?{csv_q}") }) { "Ekspor CSV" }
            }
        }
        form.filters method="get" action="/audit" {
            label { span { "Pengguna" } input type="text" name="actor" value=[nonempty(&p.actor)] maxlength="64"; }
            label { span { "Tindakan" }
                select name="action" {
                    option value="" { "Semua" }
                    @for a in ["accept", "reject", "merge", "undo", "classify", "user-add", "user-disable", "token-issue"] {
                        option value=(a) selected[nonempty(&p.action).as_deref() == Some(a)] { (a) }
                    }
                }
            }
            label.grow { span { "Item" } input type="text" name="item" value=[nonempty(&p.item)] placeholder="platform:id" maxlength="200"; }
            div.filter-actions { button type="submit" { "Terapkan" } }
        }
        @if entries.is_empty() {
            div.empty { p { "Tidak ada catatan." } }
        } @else {
            table.audit {
                thead { tr { th { "#" } th { "Waktu (WITA)" } th { "Pengguna" } th { "Tindakan" } th { "Item" } th { "Perubahan" } th { "Keterangan" } } }
                tbody {
                    @for e in entries {
                        tr data-seq=(e.seq) {
                            td.muted { (e.seq) }
                            td.time { (render::time(e.at)) }
                            td { strong { (e.actor) } }
                            td { span class=(format!("act a-{}", e.action.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>())) { (e.action) } }
                            td.item {
                                @if let Some(i) = &e.item { a href=(item_url(i)) { (visible(i)) } }
                            }
                            td {
                                @if let (Some(a), Some(b)) = (e.from, e.to) {
                                    (render::status_label(a)) " → " (render::status_label(b))
                                }
                            }
                            td.why { (e.why.as_deref().map(visible).unwrap_or_default()) }
                        }
                    }
                }
            }
            @if entries.len() == PAGE {
                @if let Some(last) = entries.last() {
                    nav.pager { a.button.ghost href=(format!("/audit?{}", p.query(Some(last.seq)))) { "Lebih lama →" } }
                }
            }
        }
    };
    layout("Audit", who, Nav::Audit, "audit", content)
}

/// A CSV cell that a spreadsheet will not evaluate (`=`, `+`, `-`, `@`, tab, CR get a `'`).
pub fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `GET /audit.csv` (admins).
pub async fn csv(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Query(p): Query<AuditParams>,
) -> Result<Response, WebError> {
    who.require(Role::Admin, "mengekspor audit")?;
    let keep = p.keep();
    let body = state
        .blocking(move |s| {
            let entries = s.store.audit_page(None, usize::MAX, keep)?;
            let mut w = csv::Writer::from_writer(Vec::new());
            let err = |e: csv::Error| WebError::Internal(e.to_string());
            w.write_record(["seq", "at", "actor", "action", "item", "from", "to", "why"])
                .map_err(err)?;
            for e in entries.iter().rev() {
                w.write_record([
                    e.seq.to_string(),
                    e.at.to_rfc3339(),
                    csv_safe(&e.actor),
                    csv_safe(&e.action),
                    csv_safe(e.item.as_deref().unwrap_or("")),
                    e.from.map(|s| s.as_str().to_string()).unwrap_or_default(),
                    e.to.map(|s| s.as_str().to_string()).unwrap_or_default(),
                    csv_safe(e.why.as_deref().unwrap_or("")),
                ])
                .map_err(err)?;
            }
            w.into_inner()
                .map_err(|e| WebError::Internal(e.to_string()))
        })
        .await?;
    tracing::info!(user = %who.user, "audit exported");
    let name = format!(
        "dengar-audit-{}.csv",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("@cmd"), "'@cmd");
        assert_eq!(csv_safe("rina"), "rina");
    }
}
