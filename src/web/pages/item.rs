//! One item (`/item/{id}`): the post as the citizen wrote it (reasons highlighted, links only
//! when http/https), author, time, platform and a link to the original; the prediction
//! (complaint probability, top agencies, urgency, reasons); its near-duplicates; the editable
//! LAPOR draft; and the decision forms — accept, reject, merge, undo. After a decision the next
//! item of the same filtered queue opens, with a banner to undo what was just done.

use super::{csrf_field, layout, Nav};
use crate::model::{AuditEntry, Item, OutboxRecord, ReportState, Status};
use crate::web::actions::{self, AcceptInput};
use crate::web::auth::Identity;
use crate::web::error::WebError;
use crate::web::filter::{Filter, FilterParams};
use crate::web::index::Row;
use crate::web::render::{self, item_url, safe_href, visible, REJECT_REASONS};
use crate::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use serde::Deserialize;

/// Query parameters of the item page: the queue filter plus the decision just made.
#[derive(Debug, Default, Deserialize)]
pub struct ItemParams {
    #[serde(flatten)]
    pub filter: FilterParams,
    /// Id of the item just decided.
    pub done: Option<String>,
    /// What was done to it (`accept`, `reject`, `merge`, `undo`).
    pub act: Option<String>,
}

/// The accept form.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    pub agency: Option<String>,
    pub category: Option<String>,
    /// The category the form was rendered with (an unchanged category follows the agency).
    pub initial_category: Option<String>,
    pub judul: Option<String>,
    pub isi: Option<String>,
    pub lokasi: Option<String>,
}

/// The reject form.
#[derive(Debug, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    pub reason: String,
    pub note: Option<String>,
}

/// The merge form: a near-duplicate from the list, or any id typed in.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    pub into: Option<String>,
    pub into_other: Option<String>,
}

fn act_label(act: &str) -> Option<&'static str> {
    Some(match act {
        "accept" => "diterima",
        "reject" => "ditolak",
        "merge" => "digabungkan",
        "undo" => "dikembalikan ke antrean",
        _ => return None,
    })
}

/// `GET /item/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Query(p): Query<ItemParams>,
) -> Result<Response, WebError> {
    state.index.refresh()?;
    let filter = Filter::parse(&p.filter, &state.catalog, state.config.page_size);
    let item = state
        .store
        .get(&id)?
        .ok_or_else(|| WebError::NotFound(format!("item {id}")))?;
    let mut audit: Vec<AuditEntry> = Vec::new();
    for seq in state.index.audit_seqs(&id) {
        if let Some(e) = state.store.audit_entry(seq)? {
            audit.push(e);
        }
    }
    // the report this item went out in (main or merged), as the forward stage recorded it
    let outbox = state.store.report_for_item(&id)?;
    let done = match (&p.done, p.act.as_deref().and_then(act_label)) {
        (Some(d), Some(label)) if state.store.contains(d)? => Some((d.clone(), label)),
        _ => None,
    };
    Ok(render_page(&state, &who, &filter, &item, &audit, outbox.as_ref(), done).into_response())
}

fn prediction_card(state: &AppState, item: &Item) -> Markup {
    let Some(p) = &item.prediction else {
        return html! { section.card { h2 { "Prediksi" } p.muted { "Belum diklasifikasi." } } };
    };
    let mut reasons = p.reasons.clone();
    reasons.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    html! {
        section.card.prediction {
            h2 { "Prediksi model" }
            div.prediction-grid {
                div {
                    div.kpis {
                        div.kpi {
                            span.kpi-label { "Peluang aduan" }
                            span.kpi-value { (render::pct(p.complaint_score)) }
                        }
                        div.kpi.danger[p.urgent] {
                            span.kpi-label { "Urgensi" }
                            span.kpi-value { (render::pct(p.urgency)) }
                            span.kpi-note { @if p.urgent { "Darurat" } @else { "Tidak mendesak" } }
                        }
                    }
                    h3 { "Instansi teratas" }
                    ol.agency-scores {
                        @for (code, score) in p.agency_scores.iter().take(3) {
                            li {
                                span.name title=(code) { (state.agency_name(code)) }
                                meter min="0" max="1" value=(format!("{score:.3}")) {}
                                span.pct { (render::pct(*score)) }
                            }
                        }
                    }
                }
                div {
                    h3.first { "Alasan (kata paling berpengaruh)" }
                    @if reasons.is_empty() {
                        p.muted { "Model tidak mencatat alasan." }
                    } @else {
                        ul.reasons {
                            @for r in reasons.iter().take(8) {
                                li.up[r.weight >= 0.0].down[r.weight < 0.0] {
                                    span.feature { (visible(&r.feature)) }
                                    span.weight { (format!("{:+.2}", r.weight)) }
                                }
                            }
                        }
                    }
                    p.muted.small { "Model " (p.model_id) }
                }
            }
        }
    }
}

fn decision_summary(state: &AppState, item: &Item) -> Markup {
    let Some(d) = &item.decision else {
        return html! {};
    };
    if !matches!(
        item.status,
        Status::Accepted | Status::Rejected | Status::Reported | Status::Forwarded
    ) {
        return html! {};
    }
    html! {
        div.decision {
            strong { (render::status_label(item.status)) }
            " oleh " (d.by)
            @if let Some(at) = d.at { " · " (render::time(at)) " WITA" }
            @if let Some(into) = &d.merged_into {
                " · digabung ke " a href=(item_url(into)) { (into) }
            } @else if let Some(a) = &d.agency {
                " · " (state.agency_name(a))
                @if let Some(c) = &d.category { " · " (c) }
            }
            @if let Some(r) = &d.reason { " · alasan: " (render::reason_label(r)) }
        }
    }
}

fn post_card(state: &AppState, item: &Item) -> Markup {
    let post = &item.post;
    let reasons = item
        .prediction
        .as_ref()
        .map(|p| p.reasons.as_slice())
        .unwrap_or(&[]);
    html! {
        section.card.post {
            div.post-meta {
                span.platform { (render::platform_label(post.platform)) }
                span.author { bdi { "@" (visible(&post.author_handle)) } }
                @if let Some(acc) = &post.account {
                    span.muted { "kepada " bdi { "@" (visible(acc)) } }
                }
                span.time { (render::time(post.created_at)) " WITA" }
                span class=(format!("status s-{}", item.status.as_str())) { (render::status_label(item.status)) }
            }
            div.post-text dir="auto" lang="id" { (render::post_body(&post.text, reasons)) }
            div.post-foot {
                @if let Some(u) = post.url.as_deref() {
                    @if let Some(href) = safe_href(u) {
                        a.original href=(href) rel="noopener noreferrer nofollow" target="_blank" { "Lihat unggahan asli ↗" }
                    } @else {
                        span.muted { "Tautan asli tidak ditautkan (bukan http/https): " code { (visible(u)) } }
                    }
                } @else {
                    span.muted { "Tidak ada tautan ke unggahan asli." }
                }
                span.muted.id { "ID " code { (visible(&post.id().0)) } }
                @if let Some(parent) = &post.reply_to {
                    span.muted { "balasan untuk " code { (visible(parent)) } }
                }
            }
            (decision_summary(state, item))
        }
    }
}

fn related_card(title: &str, rows: &[Row], f: &Filter) -> Markup {
    if rows.is_empty() {
        return html! {};
    }
    html! {
        section.card.related {
            h2 { (title) " (" (rows.len()) ")" }
            ul {
                @for r in rows.iter().take(50) {
                    li {
                        a href=(f.url(&item_url(&r.id), &[])) { (visible(&r.snippet)) }
                        span class=(format!("status s-{}", r.status.as_str())) { (render::status_label(r.status)) }
                        span.muted { bdi { "@" (visible(&r.author)) } " · " (render::time(r.created_at)) }
                    }
                }
            }
        }
    }
}

fn audit_card(audit: &[AuditEntry]) -> Markup {
    html! {
        section.card.trail {
            h2 { "Riwayat" }
            @if audit.is_empty() {
                p.muted { "Belum ada riwayat." }
            } @else {
                ol {
                    @for e in audit.iter().rev() {
                        li {
                            span.time { (render::time(e.at)) }
                            " " strong { (e.actor) } " · " (e.action)
                            @if let (Some(a), Some(b)) = (e.from, e.to) {
                                " · " (render::status_label(a)) " → " (render::status_label(b))
                            }
                            @if let Some(w) = &e.why { div.muted { (visible(w)) } }
                        }
                    }
                }
            }
        }
    }
}

fn state_label(s: &ReportState) -> (&'static str, &'static str) {
    match s {
        ReportState::Ready => ("Siap dikirim", "s-flagged"),
        ReportState::Sending { .. } => ("Sedang dikirim", "s-flagged"),
        ReportState::Forwarded { .. } => ("Diteruskan", "s-forwarded"),
        ReportState::Failed {
            permanent: true, ..
        } => ("Ditolak penerima", "s-rejected"),
        ReportState::Failed { .. } => ("Gagal, dicoba lagi", "s-rejected"),
    }
}

fn outbox_card(r: &OutboxRecord) -> Markup {
    let (label, class) = state_label(&r.state);
    html! {
        section.card.outbox {
            h2 { "Laporan di kotak keluar" }
            dl.facts {
                dt { "Status" } dd { span class=(format!("status {class}")) { (label) } }
                dt { "ID laporan" } dd { code { (r.id) } }
                @if let Some(t) = r.tracking_id() { dt { "Nomor pelacakan" } dd { code { (visible(t)) } } }
                @if let Some(t) = &r.target { dt { "Penerima" } dd { (t) } }
                dt { "Percobaan" } dd { (r.attempts) }
                @if let Some(m) = r.receiver_message() { dt { "Pesan penerima" } dd { (visible(m)) } }
                @if r.items.len() > 1 {
                    dt { "Unggahan" } dd {
                        @for (i, it) in r.items.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(item_url(it)) { (visible(it)) }
                        }
                    }
                }
            }
            @if let Some(last) = r.remote.last() {
                p.remote {
                    "Tindak lanjut: " strong { (visible(&last.status)) }
                    @if let Some(n) = &last.note { " — " (visible(n)) }
                    span.muted { " (" (render::time(last.fetched_at)) ")" }
                }
            }
        }
    }
}

fn decision_forms(
    state: &AppState,
    who: &Identity,
    item: &Item,
    f: &Filter,
    dups: &[Row],
    outbox: Option<&OutboxRecord>,
) -> Markup {
    let id = item.post.id().0;
    let base = item_url(&id);
    let Some(agency) = actions::default_agency(state, item) else {
        return html! { p.notice.bad { "Daftar instansi kosong: periksa konfigurasi." } };
    };
    let editable = item.status == Status::Flagged && who.can_decide();
    // once in the outbox, the draft shown is the one that is (or will be) sent
    let draft = match outbox {
        Some(r) if !editable => r.draft.clone(),
        _ => actions::draft_for(state, item, agency),
    };
    let targets: Vec<&Row> = dups
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                Status::Flagged | Status::Accepted | Status::Reported | Status::Forwarded
            )
        })
        .collect();
    html! {
        @if editable {
            section.card.accept {
                h2 { "Terima dan buat laporan LAPOR!" }
                form #accept-form method="post" action=(f.url(&format!("{base}/accept"), &[])) {
                    (csrf_field(who))
                    input type="hidden" name="initial_category" value=(draft.kategori);
                    div.row2 {
                        label {
                            span { "Instansi tujuan" }
                            select #agency name="agency" {
                                @for a in &state.catalog.agencies {
                                    option value=(a.code) data-category=(a.lapor_category) selected[a.code == draft.agency] { (a.short) " — " (a.code) }
                                }
                            }
                        }
                        label {
                            span { "Kategori" }
                            input #category type="text" name="category" value=(draft.kategori) maxlength="200";
                        }
                    }
                    label {
                        span { "Judul" }
                        input #judul type="text" name="judul" value=(draft.judul) maxlength="100" required;
                    }
                    label {
                        span { "Isi laporan" }
                        textarea #isi name="isi" rows="9" { (draft.isi) }
                    }
                    label {
                        span { "Lokasi" }
                        input #lokasi type="text" name="lokasi" value=[draft.lokasi.as_deref()] placeholder="mis. Jl. Veteran, Kel. Sungai Bilu" maxlength="200";
                    }
                    p.muted.small {
                        "Klasifikasi: " (draft.klasifikasi.as_str()) " · anonim: " @if draft.anonim { "ya" } @else { "tidak" }
                        @if let Some(d) = draft.tanggal_kejadian { " · tanggal kejadian: " (d.format("%d-%m-%Y")) }
                    }
                    div.actions {
                        button.primary #accept-button type="submit" { "Terima " kbd { "a" } }
                        span.muted { kbd { "e" } " sunting judul" }
                    }
                }
            }
            section.card.reject {
                h2 { "Tolak" }
                form #reject-form method="post" action=(f.url(&format!("{base}/reject"), &[])) {
                    (csrf_field(who))
                    div.row2 {
                        label {
                            span { "Alasan" }
                            select #reason name="reason" {
                                @for (code, label) in REJECT_REASONS {
                                    option value=(code) { (label) }
                                }
                            }
                        }
                        label {
                            span { "Catatan (opsional)" }
                            input type="text" name="note" maxlength="200";
                        }
                    }
                    div.actions {
                        button.danger #reject-button type="submit" { "Tolak " kbd { "r" } }
                    }
                }
            }
            section.card.merge {
                h2 { "Gabungkan ke laporan lain" }
                form #merge-form method="post" action=(f.url(&format!("{base}/merge"), &[])) {
                    (csrf_field(who))
                    div.row2 {
                        label {
                            span { "Unggahan serupa" }
                            select name="into" {
                                option value="" { "— pilih —" }
                                @for r in &targets {
                                    option value=(&*r.id) { (render::status_label(r.status)) ": " (visible(&r.snippet.chars().take(60).collect::<String>())) }
                                }
                            }
                        }
                        label {
                            span { "atau ID item" }
                            input type="text" name="into_other" placeholder="platform:id" maxlength="200";
                        }
                    }
                    div.actions { button type="submit" { "Gabungkan" } }
                }
            }
        } @else {
            @if let Some(r) = outbox { (outbox_card(r)) }
            section.card.draft {
                h2 { "Draf laporan LAPOR!" }
                dl {
                    dt { "Instansi" } dd { (draft.instansi) }
                    dt { "Kategori" } dd { (draft.kategori) }
                    dt { "Judul" } dd { (visible(&draft.judul)) }
                    dt { "Lokasi" } dd { (draft.lokasi.as_deref().map(visible).unwrap_or_else(|| "—".into())) }
                }
                pre.isi { (visible(&draft.isi)) }
            }
            @if who.can_decide() && matches!(item.status, Status::Accepted | Status::Rejected) {
                section.card {
                    form #undo-form method="post" action=(f.url(&format!("{base}/undo"), &[])) {
                        (csrf_field(who))
                        button #undo-button type="submit" { "Batalkan keputusan " kbd { "u" } }
                        span.muted { " Item kembali ke antrean." }
                    }
                }
            }
        }
    }
}

fn render_page(
    state: &AppState,
    who: &Identity,
    f: &Filter,
    item: &Item,
    audit: &[AuditEntry],
    outbox: Option<&OutboxRecord>,
    done: Option<(String, &str)>,
) -> Markup {
    let id = item.post.id().0;
    let (prev, next) = state.index.neighbours(&f.query, &id, None);
    let dups = item
        .prediction
        .as_ref()
        .and_then(|p| p.dup_group.as_deref())
        .map(|g| state.index.group_members(g, &id))
        .unwrap_or_default();
    let merged: Vec<Row> = state
        .index
        .merged_into(&id)
        .iter()
        .filter_map(|m| state.index.row(m))
        .collect();
    let content = html! {
        nav.itembar {
            a #back href=(f.url("/", &[])) { "← Antrean" }
            span.spacer {}
            @if let Some(p) = &prev {
                a.button.ghost #prev href=(f.url(&item_url(p), &[])) title="Sebelumnya (k)" { "← " kbd { "k" } }
            }
            @if let Some(n) = &next {
                a.button.ghost #next href=(f.url(&item_url(n), &[])) title="Berikutnya (j)" { kbd { "j" } " →" }
            }
        }
        @if let Some((done_id, label)) = &done {
            div.notice.good.undo-banner role="status" {
                "Item " code { (visible(done_id)) } " " (label) "."
                @if who.can_decide() && *label != "dikembalikan ke antrean" {
                    form.inline method="post" action=(f.url(&format!("{}/undo", item_url(done_id)), &[])) {
                        (csrf_field(who))
                        button.link #undo-last type="submit" { "Batalkan " kbd { "u" } }
                    }
                }
            }
        }
        div.item-grid {
            div.col-main {
                (post_card(state, item))
                (prediction_card(state, item))
                (related_card("Unggahan serupa", &dups, f))
                (related_card("Digabung ke item ini", &merged, f))
                (audit_card(audit))
            }
            div.col-side {
                (decision_forms(state, who, item, f, &dups, outbox))
            }
        }
    };
    layout("Item", who, Nav::Item, "item", content)
}

/// Where to go after deciding on `id`: the next item of the filtered flagged queue (counted from
/// where `id` was), else the queue.
fn after_decision(
    state: &AppState,
    f: &Filter,
    id: &str,
    before: Option<&Row>,
    act: &str,
) -> Response {
    let mut q = f.clone();
    q.query.status = Status::Flagged;
    let next = state
        .index
        .neighbours(&q.query, id, before)
        .1
        .or_else(|| state.index.first(&q.query, id));
    let url = match next {
        Some(n) => f.url(
            &item_url(&n),
            &[("done", id.to_string()), ("act", act.to_string())],
        ),
        None => f.url(
            "/",
            &[
                ("ok", act.to_string()),
                ("n", "1".into()),
                ("failed", "0".into()),
            ],
        ),
    };
    Redirect::to(&url).into_response()
}

/// Makes the decision `act` on `id` (`run`, off the async runtime) for the queue filtered by
/// `p`, then goes where [`after_decision`] says.
async fn decide(
    state: AppState,
    p: &FilterParams,
    id: String,
    act: &str,
    run: impl FnOnce(&AppState, &str) -> Result<Item, WebError> + Send + 'static,
) -> Result<Response, WebError> {
    state.index.refresh()?;
    let filter = Filter::parse(p, &state.catalog, state.config.page_size);
    let before = state.index.row(&id);
    let iid = id.clone();
    state.blocking(move |s| run(&s, &iid)).await?;
    Ok(after_decision(&state, &filter, &id, before.as_ref(), act))
}

/// `POST /item/{id}/accept`
pub async fn accept(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Query(p): Query<FilterParams>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, WebError> {
    let category = match (&form.category, &form.initial_category) {
        (Some(c), Some(init)) if c.trim() == init.trim() => None,
        (c, _) => c.clone(),
    };
    let input = AcceptInput {
        agency: form.agency,
        category,
        judul: form.judul,
        isi: form.isi,
        lokasi: form.lokasi,
    };
    decide(state, &p, id, "accept", move |s, id| {
        actions::accept(s, &who, id, &input)
    })
    .await
}

/// `POST /item/{id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Query(p): Query<FilterParams>,
    Form(form): Form<RejectForm>,
) -> Result<Response, WebError> {
    decide(state, &p, id, "reject", move |s, id| {
        actions::reject(s, &who, id, &form.reason, form.note.as_deref())
    })
    .await
}

/// `POST /item/{id}/merge`
pub async fn merge(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Query(p): Query<FilterParams>,
    Form(form): Form<MergeForm>,
) -> Result<Response, WebError> {
    let into = form
        .into_other
        .filter(|s| !s.trim().is_empty())
        .or(form.into)
        .unwrap_or_default();
    decide(state, &p, id, "merge", move |s, id| {
        actions::merge(s, &who, id, &into)
    })
    .await
}

/// `POST /item/{id}/undo`
pub async fn undo(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
    Query(p): Query<FilterParams>,
) -> Result<Response, WebError> {
    state.index.refresh()?;
    let filter = Filter::parse(&p, &state.catalog, state.config.page_size);
    let iid = id.clone();
    state
        .blocking(move |s| actions::undo(&s, &who, &iid))
        .await?;
    let url = filter.url(
        &item_url(&id),
        &[("done", id.clone()), ("act", "undo".to_string())],
    );
    Ok(Redirect::to(&url).into_response())
}
