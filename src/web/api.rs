//! The JSON API under `/api/v1`: the same reads and decisions as the page, for scripts.
//!
//! Authentication is a session cookie (then state-changing calls need the `X-CSRF-Token`
//! header, checked by the CSRF middleware) or `Authorization: Bearer dgr_…` with a per-user API
//! token (`dengar user token NAME`). Roles are enforced exactly as in the page. Errors are
//! `{"error": "...", "status": N}`.
//!
//! - `GET  /api/v1/me`
//! - `GET  /api/v1/queue?status=&agency=&platform=&from=&to=&q=&page=`
//! - `GET  /api/v1/items/{id}`
//! - `POST /api/v1/items/{id}/accept` `{"agency"?, "category"?, "judul"?, "isi"?, "lokasi"?}`
//! - `POST /api/v1/items/{id}/reject` `{"reason", "note"?}`
//! - `POST /api/v1/items/{id}/merge`  `{"into"}`
//! - `POST /api/v1/items/{id}/undo`
//! - `GET  /api/v1/audit?before=&actor=&action=&item=`
//! - `GET  /api/v1/stats`

use super::actions::{self, AcceptInput};
use super::auth::Identity;
use super::error::ApiError;
use super::filter::{Filter, FilterParams};
use super::pages::audit::{AuditParams, PAGE};
use super::state::AppState;
use crate::model::{AuditEntry, Item, OutboxRecord, ReportDraft};
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One queue line.
#[derive(Debug, Serialize)]
pub struct ApiRow {
    pub id: String,
    pub status: String,
    pub urgent: bool,
    pub urgency: f32,
    pub complaint_score: f32,
    pub agency: Option<String>,
    pub platform: String,
    pub created_at: String,
    pub author: String,
    pub snippet: String,
    pub dup_group: Option<String>,
    /// Ids folded into this line (near-duplicates), the line's own first.
    pub members: Vec<String>,
}

/// `GET /api/v1/me`
pub async fn me(Extension(who): Extension<Identity>) -> Json<Value> {
    Json(json!({
        "user": who.user,
        "role": who.role,
        "csrf_token": who.csrf,
    }))
}

/// `GET /api/v1/queue`
pub async fn queue(
    State(state): State<AppState>,
    Extension(_who): Extension<Identity>,
    Query(p): Query<FilterParams>,
) -> Result<Json<Value>, ApiError> {
    state.index.refresh()?;
    let f = Filter::parse(&p, &state.catalog, state.config.page_size);
    let page = state.index.page(&f.query);
    let rows: Vec<ApiRow> = page
        .entries
        .iter()
        .map(|e| {
            let r = &e.row;
            ApiRow {
                id: r.id.to_string(),
                status: r.status.as_str().to_string(),
                urgent: r.urgent,
                urgency: r.urgency,
                complaint_score: r.score,
                agency: r.agency.clone(),
                platform: r.platform.as_str().to_string(),
                created_at: r.created_at.to_rfc3339(),
                author: r.author.clone(),
                snippet: r.snippet.clone(),
                dup_group: r.dup_group.clone(),
                members: e.members.iter().map(|m| m.to_string()).collect(),
            }
        })
        .collect();
    Ok(Json(json!({
        "total_items": page.total_items,
        "total_rows": page.total_entries,
        "page": page.page,
        "pages": page.pages,
        "ignored_filters": f.errors,
        "rows": rows,
    })))
}

#[derive(Serialize)]
struct ItemView {
    item: Item,
    draft: Option<ReportDraft>,
    /// The report in the outbox this item belongs to, once the forward stage took it.
    report: Option<OutboxRecord>,
    near_duplicates: Vec<String>,
    merged_here: Vec<String>,
    audit: Vec<AuditEntry>,
}

fn item_view(state: &AppState, mut item: Item) -> Result<Value, ApiError> {
    let id = item.post.id().0;
    let draft = actions::default_agency(state, &item).map(|a| actions::draft_for(state, &item, a));
    let near_duplicates = item
        .prediction
        .as_ref()
        .and_then(|p| p.dup_group.as_deref())
        .map(|g| {
            state
                .index
                .group_members(g, &id)
                .iter()
                .map(|r| r.id.to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut audit = Vec::new();
    for seq in state.index.audit_seqs(&id) {
        if let Some(e) = state.store.audit_entry(seq)? {
            audit.push(e);
        }
    }
    item.post.raw = None;
    let view = ItemView {
        merged_here: state.index.merged_into(&id),
        report: state.store.report_for_item(&id)?,
        item,
        draft,
        near_duplicates,
        audit,
    };
    serde_json::to_value(view)
        .map_err(|e| ApiError(super::error::WebError::Internal(e.to_string())))
}

/// `GET /api/v1/items/{id}`
pub async fn item(
    State(state): State<AppState>,
    Extension(_who): Extension<Identity>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    state.index.refresh()?;
    let item = state
        .store
        .get(&id)?
        .ok_or_else(|| super::error::WebError::NotFound(format!("item {id}")))?;
    Ok(Json(item_view(&state, item)?))
}

/// Body of `reject`.
#[derive(Debug, Deserialize)]
pub struct RejectBody {
    pub reason: String,
    pub note: Option<String>,
}

/// Body of `merge`.
#[derive(Debug, Deserialize)]
pub struct MergeBody {
    pub into: String,
}

async fn decided(state: &AppState, item: Item) -> Result<Json<Value>, ApiError> {
    state.index.refresh()?;
    Ok(Json(item_view(state, item)?))
}

/// `POST /api/v1/items/{id}/accept`
pub async fn accept(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    body: Option<Json<AcceptInput>>,
) -> Result<Json<Value>, ApiError> {
    let input = body.map(|Json(b)| b).unwrap_or_default();
    state.index.refresh()?;
    let item = state
        .blocking(move |s| actions::accept(&s, &who, &id, &input))
        .await?;
    decided(&state, item).await
}

/// `POST /api/v1/items/{id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Json(b): Json<RejectBody>,
) -> Result<Json<Value>, ApiError> {
    state.index.refresh()?;
    let item = state
        .blocking(move |s| actions::reject(&s, &who, &id, &b.reason, b.note.as_deref()))
        .await?;
    decided(&state, item).await
}

/// `POST /api/v1/items/{id}/merge`
pub async fn merge(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Json(b): Json<MergeBody>,
) -> Result<Json<Value>, ApiError> {
    state.index.refresh()?;
    let item = state
        .blocking(move |s| actions::merge(&s, &who, &id, &b.into))
        .await?;
    decided(&state, item).await
}

/// `POST /api/v1/items/{id}/undo`
pub async fn undo(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    state.index.refresh()?;
    let item = state
        .blocking(move |s| actions::undo(&s, &who, &id))
        .await?;
    decided(&state, item).await
}

/// `GET /api/v1/audit`
pub async fn audit(
    State(state): State<AppState>,
    Extension(_who): Extension<Identity>,
    Query(p): Query<AuditParams>,
) -> Result<Json<Value>, ApiError> {
    let keep = p.keep();
    let before = p
        .before
        .as_deref()
        .and_then(|b| b.trim().parse::<u64>().ok());
    let entries = state
        .blocking(move |s| Ok(s.store.audit_page(before, PAGE, keep)?))
        .await?;
    let next_before = (entries.len() == PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(
        json!({ "entries": entries, "next_before": next_before }),
    ))
}

/// `GET /api/v1/stats`
pub async fn stats(
    State(state): State<AppState>,
    Extension(_who): Extension<Identity>,
) -> Result<Json<Value>, ApiError> {
    let counts = state.blocking(|s| Ok(s.store.count_by_status()?)).await?;
    let by_status: serde_json::Map<String, Value> = counts
        .into_iter()
        .map(|(k, v)| (k.as_str().to_string(), json!(v)))
        .collect();
    Ok(Json(json!({ "by_status": by_status })))
}
