//! Retention purges: rewrite an item in place, without a status change, so that citizens' words
//! and identity leave the store while the counts (id, platform, dates, status, prediction
//! numbers) stay.
//!
//! The policy (which items, after how long) lives in `ops::retention`; this file only knows how
//! to strip one item atomically and remember that it did. A purge is one transaction over
//! `items`, `queue` and `purged`: the queue key is recomputed from the rewritten record (it does
//! not change, since status and scores are kept), and `purged` maps the id to when and how the
//! item was purged, so a second pass skips it and readers can tell a purged record from an
//! empty post.

use super::items::unwrap_tx;
use super::keys::queue_key;
use super::{Store, StoreError};
use crate::model::{Item, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

/// Name of the tree that records purged items.
pub const PURGED_TREE: &str = "purged";

/// What a purge removes from an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurgeScope {
    /// Text, author id and handle, link, raw JSON, the classifier's reasons (words of the text)
    /// and any report draft: for dismissed and rejected items.
    Content,
    /// Only the raw platform JSON: for forwarded items, whose report still cites the post.
    Raw,
}

/// The record kept in the `purged` tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurgeMark {
    /// When the purge ran.
    pub at: DateTime<Utc>,
    /// What it removed.
    pub scope: PurgeScope,
}

/// What [`Store::purge_item`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeResult {
    /// The item was rewritten.
    Purged,
    /// Nothing was left to remove (already purged with this or a wider scope).
    AlreadyPurged,
    /// The item's status is no longer the one the caller decided on; nothing changed.
    StatusChanged,
}

/// Strips what `scope` removes from an item. Returns whether anything changed.
pub fn strip(item: &mut Item, scope: PurgeScope) -> bool {
    let before = item.clone();
    item.post.raw = None;
    if scope == PurgeScope::Content {
        item.post.text.clear();
        item.post.author_id.clear();
        item.post.author_handle.clear();
        item.post.url = None;
        if let Some(p) = &mut item.prediction {
            p.reasons.clear();
        }
        if let Some(d) = &mut item.decision {
            d.report = None;
        }
    }
    *item != before
}

impl Store {
    /// Purges one item in place if it still has status `expect`: see [`strip`]. The status,
    /// `updated_at`, prediction numbers and decision (who, when, agency, reason) stay, and the
    /// queue index stays consistent. Records the purge in the `purged` tree.
    pub fn purge_item(
        &self,
        id: &str,
        expect: Status,
        scope: PurgeScope,
        at: DateTime<Utc>,
    ) -> Result<PurgeResult, StoreError> {
        let purged = self.tree(PURGED_TREE)?;
        let mark = serde_json::to_vec(&PurgeMark { at, scope })?;
        let r = (&self.items, &self.queue, &purged).transaction(|(items, queue, purged)| {
            let Some(raw) = items.get(id)? else {
                return Err(ConflictableTransactionError::Abort(StoreError::NotFound(
                    id.to_string(),
                )));
            };
            let mut item: Item = serde_json::from_slice(&raw)
                .map_err(|e| ConflictableTransactionError::Abort(StoreError::Corrupt(e)))?;
            if item.status != expect {
                return Ok(PurgeResult::StatusChanged);
            }
            let old_key = queue_key(&item);
            if !strip(&mut item, scope) {
                return Ok(PurgeResult::AlreadyPurged);
            }
            let value = serde_json::to_vec(&item)
                .map_err(|e| ConflictableTransactionError::Abort(StoreError::Corrupt(e)))?;
            queue.remove(old_key)?;
            items.insert(id, value)?;
            queue.insert(queue_key(&item), &[][..])?;
            purged.insert(id, mark.clone())?;
            Ok(PurgeResult::Purged)
        });
        unwrap_tx(r)
    }

    /// When and how an item was purged, if it was.
    pub fn purge_mark(&self, id: &str) -> Result<Option<PurgeMark>, StoreError> {
        match self.tree(PURGED_TREE)?.get(id)? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Decision, Platform, Post, Prediction, Reason};
    use crate::store::Transition;
    use chrono::TimeZone;

    fn post(id: &str) -> Post {
        Post {
            platform: Platform::X,
            native_id: id.to_string(),
            author_id: "42".into(),
            author_handle: "warga_bjm".into(),
            text: "lampu jalan mati di Jl. Veteran".into(),
            created_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            url: Some(format!("https://x.com/warga_bjm/status/{id}")),
            reply_to: None,
            account: Some("pemkot_bjm".into()),
            raw: Some(serde_json::json!({"id": id, "user": "warga_bjm"})),
        }
    }

    fn prediction() -> Prediction {
        Prediction {
            model_id: "m1".into(),
            complaint: false,
            complaint_score: 0.2,
            agency: Some("disperkim".into()),
            agency_scores: vec![("disperkim".into(), 0.7)],
            urgency: 0.0,
            urgent: false,
            dup_group: None,
            reasons: vec![Reason {
                feature: "lampu".into(),
                weight: 0.4,
                span: Some((0, 5)),
            }],
        }
    }

    /// Stores post `id` and moves it to `to` as the classifier would.
    fn classified(s: &Store, id: &str, to: Status) {
        s.insert_post(&post(id)).unwrap();
        s.transition(
            &format!("x:{id}"),
            Transition::new(to, "dengar", "classify").prediction(prediction()),
        )
        .unwrap();
    }

    #[test]
    fn purge_strips_content_and_keeps_counts_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        classified(&s, "1", Status::Dismissed);
        let before = s.get("x:1").unwrap().unwrap();
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(
            s.purge_item("x:1", Status::Dismissed, PurgeScope::Content, at)
                .unwrap(),
            PurgeResult::Purged
        );
        let after = s.get("x:1").unwrap().unwrap();
        assert!(after.post.text.is_empty());
        assert!(after.post.author_handle.is_empty() && after.post.author_id.is_empty());
        assert!(after.post.url.is_none() && after.post.raw.is_none());
        assert!(after.prediction.as_ref().unwrap().reasons.is_empty());
        assert_eq!(after.status, Status::Dismissed);
        assert_eq!(after.updated_at, before.updated_at);
        assert_eq!(after.post.created_at, before.post.created_at);
        assert_eq!(after.prediction.as_ref().unwrap().complaint_score, 0.2);
        assert_eq!(s.ids_with_status(Status::Dismissed).unwrap(), vec!["x:1"]);
        assert_eq!(s.count_by_status().unwrap()[&Status::Dismissed], 1);
        assert_eq!(
            s.purge_mark("x:1").unwrap(),
            Some(PurgeMark {
                at,
                scope: PurgeScope::Content
            })
        );
        assert_eq!(
            s.purge_item("x:1", Status::Dismissed, PurgeScope::Content, at)
                .unwrap(),
            PurgeResult::AlreadyPurged
        );
    }

    #[test]
    fn a_content_purged_item_cannot_be_undone_back_into_review() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        for id in ["1", "2"] {
            classified(&s, id, Status::Flagged);
            s.transition(
                &format!("x:{id}"),
                Transition::new(Status::Rejected, "rina", "reject"),
            )
            .unwrap();
        }
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        s.purge_item("x:1", Status::Rejected, PurgeScope::Content, at)
            .unwrap();
        let err = s
            .transition("x:1", Transition::new(Status::Flagged, "rina", "undo"))
            .unwrap_err();
        assert!(matches!(err, StoreError::Purged { .. }), "{err}");
        assert!(err.to_string().contains("2026-03-01"), "{err}");
        assert_eq!(s.get("x:1").unwrap().unwrap().status, Status::Rejected);
        // an item that was not purged can still be undone
        s.transition("x:2", Transition::new(Status::Flagged, "rina", "undo"))
            .unwrap();
    }

    #[test]
    fn purge_refuses_an_item_whose_status_moved() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        classified(&s, "1", Status::Flagged);
        let r = s
            .purge_item("x:1", Status::Rejected, PurgeScope::Content, Utc::now())
            .unwrap();
        assert_eq!(r, PurgeResult::StatusChanged);
        assert_eq!(s.get("x:1").unwrap().unwrap().post.text, post("1").text);
        assert!(s.purge_mark("x:1").unwrap().is_none());
        assert!(matches!(
            s.purge_item("x:9", Status::Rejected, PurgeScope::Content, Utc::now()),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn raw_scope_keeps_what_the_report_cites() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        classified(&s, "1", Status::Flagged);
        s.transition(
            "x:1",
            Transition::new(Status::Accepted, "rina", "accept").decision(Decision {
                by: "rina".into(),
                agency: Some("disperkim".into()),
                ..Decision::default()
            }),
        )
        .unwrap();
        let r = s
            .purge_item("x:1", Status::Accepted, PurgeScope::Raw, Utc::now())
            .unwrap();
        assert_eq!(r, PurgeResult::Purged);
        let item = s.get("x:1").unwrap().unwrap();
        assert!(item.post.raw.is_none());
        assert_eq!(item.post.text, post("1").text);
        assert_eq!(item.post.author_handle, "warga_bjm");
        assert_eq!(item.decision.unwrap().agency.as_deref(), Some("disperkim"));
    }
}
