//! Review decisions, shared by the HTML forms, the bulk bar and the JSON API: accept (agency,
//! category, edited LAPOR draft), reject (one of four reasons), merge into another item's report,
//! and undo the last decision. Each is one store transition (status, decision and audit entry
//! together), flushed, then put in the review index.
//!
//! Roles are checked here as well as in the handlers, so no route can skip them.

use super::auth::Identity;
use super::error::WebError;
use super::render::{reason_label, strip_bidi, REJECT_REASONS};
use super::state::AppState;
use super::users::Role;
use crate::catalog::Agency;
use crate::model::{Decision, Item, ReportDraft, Status};
use crate::report::{self, MAX_TITLE};
use crate::store::{item_agency, Transition};
use serde::Deserialize;

/// Longest report body accepted, in characters.
pub const MAX_BODY: usize = 200_000;
/// Longest category, place or note accepted, in characters.
pub const MAX_FIELD: usize = 200;

/// What a reviewer sends on accept; empty fields take the draft's values.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AcceptInput {
    pub agency: Option<String>,
    pub category: Option<String>,
    pub judul: Option<String>,
    pub isi: Option<String>,
    pub lokasi: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn too_long(what: &str, max: usize) -> WebError {
    WebError::BadRequest(format!(
        "{what} terlalu panjang (paling banyak {max} karakter)."
    ))
}

fn load(state: &AppState, id: &str) -> Result<Item, WebError> {
    state
        .store
        .get(id)?
        .ok_or_else(|| WebError::NotFound(format!("item {id}")))
}

fn must_be_flagged(item: &Item, verb: &str) -> Result<(), WebError> {
    if item.status == Status::Flagged {
        Ok(())
    } else {
        Err(WebError::Conflict(format!(
            "Item ini berstatus “{}”; hanya item yang perlu ditinjau yang bisa {verb}.",
            super::render::status_label(item.status)
        )))
    }
}

/// The agency an item would go to: the predicted one, else its best-scored, else `lainnya`.
pub fn default_agency<'a>(state: &'a AppState, item: &Item) -> Option<&'a Agency> {
    let p = item.prediction.as_ref();
    item_agency(item)
        .and_then(|c| state.catalog.agency(c))
        .or_else(|| {
            p.and_then(|p| p.agency_scores.first())
                .and_then(|(c, _)| state.catalog.agency(c))
        })
        .or_else(|| state.catalog.agency("lainnya"))
        .or_else(|| state.catalog.agencies.first())
}

/// The report draft shown on the item page: the saved one when the item was accepted before,
/// otherwise a fresh draft from the item and the items merged into it.
pub fn draft_for(state: &AppState, item: &Item, agency: &Agency) -> ReportDraft {
    if let Some(d) = item.decision.as_ref().and_then(|d| d.report.clone()) {
        return d;
    }
    let id = item.post.id();
    let merged: Vec<Item> = state
        .index
        .merged_into(id.as_str())
        .iter()
        .filter_map(|m| state.store.get(m).ok().flatten())
        .collect();
    let mut all: Vec<&Item> = vec![item];
    all.extend(merged.iter());
    let mut d = report::draft(&all, agency);
    // Direction overrides never belong in an official report (and could disguise its text).
    d.judul = strip_bidi(&d.judul);
    d.isi = strip_bidi(&d.isi);
    d.lokasi = d.lokasi.map(|l| strip_bidi(&l));
    d
}

fn finish(state: &AppState, item: Item) -> Result<Item, WebError> {
    state.store.flush()?;
    state.index.upsert(&item);
    Ok(item)
}

/// Accepts a flagged item for `agency` with an (optionally edited) report draft.
pub fn accept(
    state: &AppState,
    who: &Identity,
    id: &str,
    input: &AcceptInput,
) -> Result<Item, WebError> {
    who.require(Role::Reviewer, "menerima item")?;
    let item = load(state, id)?;
    must_be_flagged(&item, "diterima")?;
    let predicted = item.prediction.as_ref().and_then(|p| p.agency.clone());
    let agency = match nonempty(&input.agency) {
        Some(code) => state
            .catalog
            .agency(code)
            .ok_or_else(|| WebError::BadRequest(format!("Instansi “{code}” tidak dikenal.")))?,
        None => default_agency(state, &item)
            .ok_or_else(|| WebError::BadRequest("Pilih instansi tujuan.".to_string()))?,
    };
    let generated = draft_for(state, &item, agency);
    let mut draft = generated.clone();
    draft.agency = agency.code.clone();
    draft.instansi = agency.lapor_instansi.clone();
    draft.kategori = agency.lapor_category.clone();
    let mut edits = Vec::new();
    if let Some(c) = nonempty(&input.category) {
        if c.chars().count() > MAX_FIELD {
            return Err(too_long("Kategori", MAX_FIELD));
        }
        if c != draft.kategori {
            edits.push("kategori");
        }
        draft.kategori = c.to_string();
    }
    if let Some(j) = nonempty(&input.judul) {
        if j.chars().count() > MAX_TITLE {
            return Err(too_long("Judul", MAX_TITLE));
        }
        if j != generated.judul {
            edits.push("judul");
        }
        draft.judul = j.to_string();
    }
    if let Some(isi) = input.isi.as_deref().filter(|s| !s.trim().is_empty()) {
        if isi.chars().count() > MAX_BODY {
            return Err(too_long("Isi laporan", MAX_BODY));
        }
        let isi = isi.replace("\r\n", "\n");
        if isi.trim() != generated.isi.trim() {
            edits.push("isi");
        }
        draft.isi = isi.trim().to_string();
    }
    if let Some(l) = input.lokasi.as_deref() {
        let l = l.trim();
        if l.chars().count() > MAX_FIELD {
            return Err(too_long("Lokasi", MAX_FIELD));
        }
        let l = (!l.is_empty()).then(|| l.to_string());
        if l != generated.lokasi {
            edits.push("lokasi");
        }
        draft.lokasi = l;
    }
    let mut why = format!("instansi {}", agency.code);
    match &predicted {
        Some(p) if *p != agency.code => why.push_str(&format!(" (koreksi dari prediksi {p})")),
        _ => {}
    }
    why.push_str(&format!(", kategori {}", draft.kategori));
    if !edits.is_empty() {
        why.push_str(&format!("; disunting: {}", edits.join(", ")));
    }
    let decision = Decision {
        by: who.user.clone(),
        at: None,
        agency: Some(agency.code.clone()),
        category: Some(draft.kategori.clone()),
        reason: None,
        report: Some(draft),
        merged_into: None,
    };
    let item = state.store.transition(
        id,
        Transition::new(Status::Accepted, &who.user, "accept")
            .why(why)
            .decision(decision),
    )?;
    finish(state, item)
}

/// Rejects a flagged item with one of the reject reasons and an optional note.
pub fn reject(
    state: &AppState,
    who: &Identity,
    id: &str,
    reason: &str,
    note: Option<&str>,
) -> Result<Item, WebError> {
    who.require(Role::Reviewer, "menolak item")?;
    let reason = reason.trim();
    if !REJECT_REASONS.iter().any(|(c, _)| *c == reason) {
        return Err(WebError::BadRequest(format!(
            "Alasan penolakan tidak dikenal; pilih salah satu: {}.",
            REJECT_REASONS.map(|(c, _)| c).join(", ")
        )));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_FIELD) {
        return Err(too_long("Catatan", MAX_FIELD));
    }
    let item = load(state, id)?;
    must_be_flagged(&item, "ditolak")?;
    let why = match note {
        Some(n) => format!("{} — {n}", reason_label(reason)),
        None => reason_label(reason).to_string(),
    };
    let item = state.store.transition(
        id,
        Transition::new(Status::Rejected, &who.user, "reject")
            .why(why)
            .decision(Decision {
                by: who.user.clone(),
                reason: Some(reason.to_string()),
                ..Decision::default()
            }),
    )?;
    finish(state, item)
}

/// Merges a flagged item into another item's report (the target's root when it was merged too).
pub fn merge(state: &AppState, who: &Identity, id: &str, into: &str) -> Result<Item, WebError> {
    who.require(Role::Reviewer, "menggabungkan item")?;
    let into = into.trim();
    if into.is_empty() {
        return Err(WebError::BadRequest(
            "Pilih item tujuan penggabungan.".to_string(),
        ));
    }
    let item = load(state, id)?;
    must_be_flagged(&item, "digabungkan")?;
    let mut target = state
        .store
        .get(into)?
        .ok_or_else(|| WebError::BadRequest(format!("Item tujuan “{into}” tidak ada.")))?;
    for _ in 0..8 {
        match target.decision.as_ref().and_then(|d| d.merged_into.clone()) {
            Some(root) if target.status != Status::Flagged => match state.store.get(&root)? {
                Some(t) => target = t,
                None => break,
            },
            _ => break,
        }
    }
    let target_id = target.post.id().0;
    if target_id == id {
        return Err(WebError::BadRequest(
            "Item tidak bisa digabungkan ke dirinya sendiri.".to_string(),
        ));
    }
    if !matches!(
        target.status,
        Status::Flagged | Status::Accepted | Status::Reported | Status::Forwarded
    ) {
        return Err(WebError::Conflict(format!(
            "Item tujuan berstatus “{}”; gabungkan hanya ke item yang ditinjau atau diterima.",
            super::render::status_label(target.status)
        )));
    }
    let agency = item_agency(&target).map(str::to_string);
    let category = target.decision.as_ref().and_then(|d| d.category.clone());
    let item = state.store.transition(
        id,
        Transition::new(Status::Accepted, &who.user, "merge")
            .why(format!("digabung ke {target_id}"))
            .decision(Decision {
                by: who.user.clone(),
                agency,
                category,
                merged_into: Some(target_id),
                ..Decision::default()
            }),
    )?;
    finish(state, item)
}

/// Undoes the last decision on an item (accepted or rejected → flagged). Reviewers may undo
/// their own decisions; admins anyone's.
pub fn undo(state: &AppState, who: &Identity, id: &str) -> Result<Item, WebError> {
    who.require(Role::Reviewer, "membatalkan keputusan")?;
    let item = load(state, id)?;
    if !matches!(item.status, Status::Accepted | Status::Rejected) {
        return Err(WebError::Conflict(format!(
            "Item ini berstatus “{}”; hanya keputusan terima/tolak yang belum dilaporkan yang bisa dibatalkan.",
            super::render::status_label(item.status)
        )));
    }
    let last = state
        .store
        .audit_page(None, 1, |e| {
            e.item.as_deref() == Some(id) && e.to == Some(item.status)
        })?
        .into_iter()
        .next();
    let (actor, action) = last
        .map(|e| (e.actor, e.action))
        .unwrap_or_else(|| ("?".to_string(), "keputusan".to_string()));
    if actor != who.user && who.role < Role::Admin {
        return Err(WebError::Forbidden(format!(
            "membatalkan keputusan {actor} (hanya admin yang boleh membatalkan keputusan orang lain)"
        )));
    }
    let item = state.store.transition(
        id,
        Transition::new(Status::Flagged, &who.user, "undo")
            .why(format!("membatalkan {action} oleh {actor}")),
    )?;
    finish(state, item)
}

/// What a bulk action did.
#[derive(Debug, Clone, Default)]
pub struct BulkOutcome {
    pub done: usize,
    pub failed: Vec<String>,
}

/// Accepts or rejects queue lines. A line stands for its near-duplicate group: on accept the
/// other flagged members are merged into the line's item first (so its report quotes them all),
/// then it is accepted for its predicted agency; on reject every member is rejected.
pub fn bulk(
    state: &AppState,
    who: &Identity,
    accept_them: bool,
    ids: &[String],
    reason: &str,
) -> Result<BulkOutcome, WebError> {
    who.require(Role::Reviewer, "memutuskan item")?;
    let mut out = BulkOutcome::default();
    for id in ids {
        let members: Vec<String> = match state.index.row(id).and_then(|r| r.dup_group) {
            Some(g) => state
                .index
                .group_members(&g, id)
                .into_iter()
                .filter(|r| r.status == Status::Flagged)
                .map(|r| r.id.to_string())
                .collect(),
            None => Vec::new(),
        };
        let mut record = |id: &str, r: Result<Item, WebError>| match r {
            Ok(_) => out.done += 1,
            Err(e) => out.failed.push(format!("{id}: {}", e.public_message())),
        };
        if accept_them {
            for m in &members {
                record(m, merge(state, who, m, id));
            }
            record(id, accept(state, who, id, &AcceptInput::default()));
        } else {
            record(id, reject(state, who, id, reason, None));
            for m in &members {
                record(m, reject(state, who, m, reason, None));
            }
        }
    }
    Ok(out)
}
