//! The queue (`/`): flagged posts in review order (urgent first, then complaint probability),
//! filters, pagination, near-duplicates folded into one line with a count, and the bulk bar
//! (`POST /bulk`) to accept or reject the selected lines.
//!
//! Everything shown comes from the in-memory review index, so the page costs the same at
//! 100,000 items as at 100 (see `benches/web_queue.rs`).

use super::{csrf_field, layout, Nav};
use crate::model::{Platform, Status};
use crate::web::actions;
use crate::web::auth::Identity;
use crate::web::error::WebError;
use crate::web::filter::{Filter, FilterParams};
use crate::web::index::{Entry, Page};
use crate::web::render::{self, item_url, visible, REJECT_REASONS};
use crate::web::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;

/// Query parameters of the queue page: the filter plus the result of a bulk action.
#[derive(Debug, Default, Deserialize)]
pub struct QueueParams {
    #[serde(flatten)]
    pub filter: FilterParams,
    /// `accept` or `reject` after a bulk action.
    pub ok: Option<String>,
    pub n: Option<String>,
    pub failed: Option<String>,
}

fn flash(p: &QueueParams) -> Option<(bool, String)> {
    let n: usize = p.n.as_deref()?.parse().ok()?;
    let failed: usize = p
        .failed
        .as_deref()
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    let verb = match p.ok.as_deref()? {
        "accept" => "diterima",
        "reject" => "ditolak",
        _ => return None,
    };
    let mut msg = format!("{} item {verb}.", render::int(n));
    if failed > 0 {
        msg.push_str(&format!(
            " {} gagal (statusnya sudah berubah atau data tidak lengkap).",
            render::int(failed)
        ));
    }
    Some((failed == 0, msg))
}

/// `GET /`
pub async fn show(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Query(p): Query<QueueParams>,
) -> Result<Response, WebError> {
    state.index.refresh()?;
    let filter = Filter::parse(&p.filter, &state.catalog, state.config.page_size);
    let page = state.index.page(&filter.query);
    Ok(render_page(&state, &who, &filter, &page, flash(&p)).into_response())
}

fn filter_form(state: &AppState, f: &Filter) -> Markup {
    let q = &f.query;
    html! {
        form.filters method="get" action="/" role="search" {
            label {
                span { "Status" }
                select name="status" {
                    @for s in Status::ALL.iter().filter(|s| **s != Status::New) {
                        option value=(s.as_str()) selected[q.status == *s] { (render::status_label(*s)) }
                    }
                }
            }
            label {
                span { "Instansi" }
                select name="agency" {
                    option value="" { "Semua instansi" }
                    @for a in &state.catalog.agencies {
                        option value=(a.code) selected[q.agency.as_deref() == Some(a.code.as_str())] { (a.short) }
                    }
                }
            }
            label {
                span { "Platform" }
                select name="platform" {
                    option value="" { "Semua" }
                    @for pl in Platform::ALL {
                        option value=(pl.as_str()) selected[q.platform == Some(pl)] { (render::platform_label(pl)) }
                    }
                }
            }
            label {
                span { "Dari" }
                input type="date" name="from" value=[f.from_date.map(|d| d.format("%Y-%m-%d").to_string())];
            }
            label {
                span { "Sampai" }
                input type="date" name="to" value=[f.to_date.map(|d| d.format("%Y-%m-%d").to_string())];
            }
            label.grow {
                span { "Cari" }
                input type="search" name="q" value=[q.text.as_deref()] placeholder="kata, @akun, atau id" maxlength="200";
            }
            div.filter-actions {
                button type="submit" { "Terapkan" }
                @if f.is_narrowed() {
                    a.button.ghost href="/" { "Reset" }
                }
            }
        }
    }
}

fn score_class(s: f32) -> &'static str {
    if s >= 0.85 {
        "score hi"
    } else if s >= 0.65 {
        "score mid"
    } else {
        "score lo"
    }
}

fn row(state: &AppState, bulk: bool, f: &Filter, e: &Entry) -> Markup {
    let r = &e.row;
    let href = f.url(&item_url(&r.id), &[]);
    let extra = e.members.len().saturating_sub(1);
    html! {
        tr.urgent[r.urgent] data-id=(&*r.id) data-href=(href) {
            @if bulk {
                td.check {
                    input type="checkbox" name="id" value=(&*r.id) aria-label="Pilih baris";
                }
            }
            td.urg {
                @if r.urgent {
                    span.badge.danger title=(format!("Urgensi {}", render::pct(r.urgency))) { "Darurat" }
                }
            }
            td { span class=(score_class(r.score)) title="Peluang aduan" { (render::pct(r.score)) } }
            td {
                @match &r.agency {
                    Some(a) => span.chip title=(a) { (state.agency_name(a)) },
                    None => span.muted { "—" },
                }
            }
            td.text {
                a.row-link href=(href) { (visible(&r.snippet)) }
                @if extra > 0 {
                    " "
                    span.badge.dup title="Unggahan serupa digabung dalam baris ini" { "+" (extra) " serupa" }
                }
            }
            td.author { bdi { "@" (visible(&r.author)) } }
            td { span.platform { (render::platform_label(r.platform)) } }
            td.time { (render::time(r.created_at)) }
        }
    }
}

fn pagination(f: &Filter, page: &Page) -> Markup {
    let link = |n: usize| f.url("/", &[("page", n.to_string())]);
    html! {
        nav.pager aria-label="Halaman" {
            @if page.page > 1 {
                a.button.ghost rel="prev" href=(link(page.page - 1)) { "← Sebelumnya" }
            }
            span.muted { "Halaman " (page.page.min(page.pages)) " dari " (page.pages) }
            @if page.page < page.pages {
                a.button.ghost rel="next" href=(link(page.page + 1)) { "Berikutnya →" }
            }
        }
    }
}

fn render_page(
    state: &AppState,
    who: &Identity,
    f: &Filter,
    page: &Page,
    flash: Option<(bool, String)>,
) -> Markup {
    let status = f.query.status;
    // Bulk decisions apply to items awaiting review only.
    let bulk = who.can_decide() && status == Status::Flagged;
    let content = html! {
        div.page-head {
            h1 { "Antrean · " (render::status_label(status)) }
            p.summary {
                strong { (render::int(page.total_items)) } " item"
                @if page.total_entries != page.total_items {
                    " dalam " (render::int(page.total_entries)) " baris (unggahan serupa digabung)"
                }
                @if status == Status::Flagged { " · urut: darurat dulu, lalu peluang aduan tertinggi" }
            }
        }
        (filter_form(state, f))
        @for e in &f.errors {
            p.notice.warn { (e) }
        }
        @if let Some((good, msg)) = &flash {
            p.notice.good[*good].warn[!*good] role="status" { (msg) }
        }
        @if page.entries.is_empty() {
            div.empty {
                @if f.is_narrowed() {
                    p { "Tidak ada item yang cocok dengan filter ini." }
                    p { a href="/" { "Tampilkan semua yang perlu ditinjau" } }
                } @else {
                    p.big { "Antrean kosong." }
                    p.muted { "Tidak ada unggahan yang perlu ditinjau saat ini." }
                }
            }
        } @else {
            form #bulk method="post" action=(f.url("/bulk", &[])) {
                @if bulk {
                    (csrf_field(who))
                    div.bulkbar {
                        label.selall { input #select-all type="checkbox"; " Pilih semua" }
                        span #selected-count.muted {}
                        button.primary #bulk-accept type="submit" name="action" value="accept" title="Terima baris terpilih dengan instansi hasil prediksi (a)" { "Terima terpilih" }
                        select name="reason" aria-label="Alasan penolakan" {
                            @for (code, label) in REJECT_REASONS {
                                option value=(code) { (label) }
                            }
                        }
                        button.danger #bulk-reject type="submit" name="action" value="reject" title="Tolak baris terpilih dengan alasan di sebelah kiri (r)" { "Tolak terpilih" }
                    }
                }
                table.queue {
                    thead {
                        tr {
                            @if bulk { th.check { span.sr { "Pilih" } } }
                            th { span.sr { "Urgensi" } }
                            th { "Aduan" }
                            th { "Instansi" }
                            th { "Unggahan" }
                            th { "Penulis" }
                            th { "Platform" }
                            th { "Waktu (WITA)" }
                        }
                    }
                    tbody {
                        @for e in &page.entries {
                            (row(state, bulk, f, e))
                        }
                    }
                }
            }
            (pagination(f, page))
        }
        p.keys.muted {
            kbd { "j" } "/" kbd { "k" } " pindah · " kbd { "o" } " buka · " kbd { "x" } " pilih · "
            @if bulk { kbd { "a" } " terima · " kbd { "r" } " tolak · " }
            kbd { "?" } " bantuan"
        }
    };
    layout("Antrean", who, Nav::Queue, "queue", content)
}

/// `POST /bulk` (form: `action=accept|reject`, `reason`, repeated `id`).
pub async fn bulk(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Query(p): Query<FilterParams>,
    body: Bytes,
) -> Result<Response, WebError> {
    who.require(crate::web::users::Role::Reviewer, "memutuskan item")?;
    let mut action = String::new();
    let mut reason = String::new();
    let mut ids = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "action" => action = v.into_owned(),
            "reason" => reason = v.into_owned(),
            "id" if ids.len() < 1000 => ids.push(v.into_owned()),
            _ => {}
        }
    }
    let accept = match action.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return Err(WebError::BadRequest(
                "Pilih tindakan: terima atau tolak.".into(),
            ))
        }
    };
    if ids.is_empty() {
        return Err(WebError::BadRequest("Tidak ada baris yang dipilih.".into()));
    }
    state.index.refresh()?;
    let filter = Filter::parse(&p, &state.catalog, state.config.page_size);
    let out = state
        .blocking(move |s| actions::bulk(&s, &who, accept, &ids, &reason))
        .await?;
    for f in &out.failed {
        tracing::warn!(failure = %f, "bulk action skipped an item");
    }
    let url = filter.url(
        "/",
        &[
            ("ok", action),
            ("n", out.done.to_string()),
            ("failed", out.failed.len().to_string()),
        ],
    );
    Ok(Redirect::to(&url).into_response())
}
