//! Retention policy (UU 27/2022: keep personal data only as long as its purpose needs it).
//!
//! After `retention.retention_days` counted from the decision (the item's last status change):
//! - dismissed and rejected items lose their text, author, link, raw JSON, the classifier's
//!   reasons and any draft ([`PurgeScope::Content`]); their id, platform, dates, status,
//!   prediction numbers and decision stay, so every count and chart stays right;
//! - forwarded items lose only their raw platform JSON ([`PurgeScope::Raw`]): their report was
//!   delivered and still cites the post's words and link;
//! - new, flagged, accepted and reported items are untouched: they are still being worked on;
//! - per-post comment cursors (`…/comments/<post>`: Facebook posts, Instagram media) whose
//!   newest seen comment is older than the cutoff, or that never saw one, are removed. Collectors
//!   only read the comments of recent posts, so these cursors would otherwise pile up for ever
//!   (one per post) holding comment ids; if such a post is read again, its comments come back
//!   as already known to the store, so nothing is lost or duplicated.
//!
//! The clock is a parameter (`now`), so tests control it. Every purge that is not a dry run
//! leaves one audit entry saying what was removed and from how many items, never the content.

use crate::collect::watermark::Watermark;
use crate::model::Status;
use crate::store::{strip, PurgeResult, PurgeScope, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// The action name of purge entries in the audit log.
pub const AUDIT_ACTION: &str = "purge";

/// What a purge did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PurgeReport {
    pub retention_days: u32,
    /// Items whose last status change is before this were due.
    pub cutoff: Option<DateTime<Utc>>,
    pub dry_run: bool,
    /// Dismissed items whose content was (or would be) removed.
    pub dismissed: usize,
    /// Rejected items whose content was (or would be) removed.
    pub rejected: usize,
    /// Forwarded items whose raw JSON was (or would be) removed.
    pub forwarded_raw: usize,
    /// Stale per-post comment cursors that were (or would be) removed.
    #[serde(default)]
    pub cursors: usize,
    /// Items that changed status between the scan and the purge (left alone).
    pub skipped: usize,
    /// Items that could not be purged.
    pub errors: Vec<String>,
}

impl PurgeReport {
    /// Items whose content was removed.
    pub fn content_purged(&self) -> usize {
        self.dismissed + self.rejected
    }

    /// The audit-log text: what and how many, never content.
    pub fn audit_text(&self) -> String {
        let mut s = format!(
            "retention {} days, cutoff {}: removed text, author, link and raw JSON of {} dismissed and {} rejected items; removed raw JSON of {} forwarded items",
            self.retention_days,
            self.cutoff.map(|c| c.to_rfc3339()).unwrap_or_default(),
            self.dismissed,
            self.rejected,
            self.forwarded_raw
        );
        if self.cursors > 0 {
            let _ = write!(s, "; removed {} stale comment cursors", self.cursors);
        }
        if self.skipped > 0 {
            let _ = write!(s, "; {} skipped (status changed)", self.skipped);
        }
        if !self.errors.is_empty() {
            let _ = write!(s, "; {} errors", self.errors.len());
        }
        s
    }

    /// The human summary.
    pub fn render(&self) -> String {
        format!(
            "  purge{}  content of {} dismissed + {} rejected, raw JSON of {} forwarded, {} stale comment cursors (older than {} days){}\n",
            if self.dry_run { " (dry run)" } else { "" },
            self.dismissed,
            self.rejected,
            self.forwarded_raw,
            self.cursors,
            self.retention_days,
            if self.errors.is_empty() {
                String::new()
            } else {
                format!(", {} errors", self.errors.len())
            }
        )
    }
}

/// Which statuses are purged, and how.
const POLICY: [(Status, PurgeScope); 3] = [
    (Status::Dismissed, PurgeScope::Content),
    (Status::Rejected, PurgeScope::Content),
    (Status::Forwarded, PurgeScope::Raw),
];

/// Applies the retention policy at time `now`. With `dry_run` nothing changes and nothing is
/// logged. `actor` is written to the audit log (`dengar` for the nightly run, a user name
/// otherwise).
pub fn purge(
    store: &Store,
    retention_days: u32,
    now: DateTime<Utc>,
    dry_run: bool,
    actor: &str,
) -> Result<PurgeReport, StoreError> {
    let cutoff = now - chrono::Duration::days(i64::from(retention_days));
    let mut report = PurgeReport {
        retention_days,
        cutoff: Some(cutoff),
        dry_run,
        ..PurgeReport::default()
    };
    for (status, scope) in POLICY {
        for id in store.ids_with_status(status)? {
            let item = match store.get(&id) {
                Ok(Some(item)) => item,
                Ok(None) => continue,
                Err(e) => {
                    report.errors.push(format!("{id}: {e}"));
                    continue;
                }
            };
            if item.updated_at > cutoff {
                continue;
            }
            let due = if dry_run {
                strip(&mut item.clone(), scope)
            } else {
                match store.purge_item(&id, status, scope, now) {
                    Ok(PurgeResult::Purged) => true,
                    Ok(PurgeResult::AlreadyPurged) => false,
                    Ok(PurgeResult::StatusChanged) => {
                        report.skipped += 1;
                        false
                    }
                    Err(e) => {
                        report.errors.push(format!("{id}: {e}"));
                        false
                    }
                }
            };
            if due {
                match status {
                    Status::Dismissed => report.dismissed += 1,
                    Status::Rejected => report.rejected += 1,
                    _ => report.forwarded_raw += 1,
                }
            }
        }
    }
    for (key, value) in store.cursors()? {
        if stale_comment_cursor(&key, &value, cutoff) {
            if !dry_run {
                store.remove_cursor(&key)?;
            }
            report.cursors += 1;
        }
    }
    if !dry_run {
        store.flush()?;
        store.audit_note(actor, AUDIT_ACTION, None, Some(&report.audit_text()))?;
        store.flush()?;
        tracing::info!(
            dismissed = report.dismissed,
            rejected = report.rejected,
            forwarded_raw = report.forwarded_raw,
            errors = report.errors.len(),
            "retention purge"
        );
    }
    Ok(report)
}

/// Whether a cursor is a per-post comment cursor that is no longer needed: its newest seen
/// comment is before `cutoff`, or it never saw one. Unreadable cursors are left alone (the
/// collector reports them).
fn stale_comment_cursor(key: &str, value: &str, cutoff: DateTime<Utc>) -> bool {
    if !key.contains("/comments/") {
        return false;
    }
    let Ok(wm) = Watermark::load(Some(value)) else {
        return false;
    };
    let newest = [wm.high, wm.pass].into_iter().flatten().map(|m| m.at).max();
    newest.is_none_or(|at| at < cutoff)
}

/// Dismissed and rejected items past the retention time that still hold content (a purge is
/// overdue), at time `now`.
pub fn overdue(
    store: &Store,
    retention_days: u32,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let r = purge(store, retention_days, now, true, "")?;
    Ok(r.content_purged())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Decision, Platform, Post, Prediction};
    use crate::store::Transition;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, d, 12, 0, 0).unwrap()
    }

    fn post(n: u32) -> Post {
        Post {
            platform: Platform::Instagram,
            native_id: n.to_string(),
            author_id: format!("u{n}"),
            author_handle: format!("warga{n}"),
            text: format!("sampah menumpuk di TPS nomor {n}"),
            created_at: day(1),
            url: Some(format!("https://instagram.com/p/{n}")),
            reply_to: None,
            account: Some("pemkot_bjm".into()),
            raw: Some(serde_json::json!({"id": n})),
        }
    }

    fn prediction(score: f32) -> Prediction {
        Prediction {
            model_id: "m".into(),
            complaint: score >= 0.5,
            complaint_score: score,
            agency: Some("dlh".into()),
            agency_scores: vec![("dlh".into(), 0.8)],
            urgency: 0.0,
            urgent: false,
            dup_group: None,
            reasons: vec![],
        }
    }

    fn at(to: Status, action: &str, when: DateTime<Utc>) -> Transition {
        let mut t = Transition::new(to, "rina", action);
        t.at = Some(when);
        t
    }

    /// Builds: 1 dismissed on day 1, 2 rejected on day 2, 3 flagged, 4 forwarded on day 3,
    /// 5 dismissed on day 25.
    fn fixture(s: &Store) {
        for n in 1..=5 {
            s.insert_post(&post(n)).unwrap();
        }
        let id = |n: u32| format!("instagram:{n}");
        s.transition(
            &id(1),
            at(Status::Dismissed, "classify", day(1)).prediction(prediction(0.1)),
        )
        .unwrap();
        for n in [2, 3, 4] {
            s.transition(
                &id(n),
                at(Status::Flagged, "classify", day(1)).prediction(prediction(0.9)),
            )
            .unwrap();
        }
        s.transition(
            &id(2),
            at(Status::Rejected, "reject", day(2)).decision(Decision {
                by: "rina".into(),
                reason: Some("spam".into()),
                ..Decision::default()
            }),
        )
        .unwrap();
        s.transition(&id(4), at(Status::Accepted, "accept", day(2)))
            .unwrap();
        s.transition(&id(4), at(Status::Reported, "report", day(3)))
            .unwrap();
        s.transition(&id(4), at(Status::Forwarded, "forward", day(3)))
            .unwrap();
        s.transition(
            &id(5),
            at(Status::Dismissed, "classify", day(25)).prediction(prediction(0.2)),
        )
        .unwrap();
    }

    #[test]
    fn purge_after_retention_keeps_counts_and_removes_text() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        fixture(&s);
        let counts_before = s.count_by_status().unwrap();
        // day 20 with 30 days: nothing is due yet
        let r = purge(&s, 30, day(20), false, "dengar").unwrap();
        assert_eq!(r.content_purged() + r.forwarded_raw, 0);
        // day 31 + 12h: day 1 and day 2 decisions (and the day 3 forward) are past 28 days
        let dry = purge(&s, 28, day(31), true, "dengar").unwrap();
        assert_eq!((dry.dismissed, dry.rejected, dry.forwarded_raw), (1, 1, 1));
        assert_eq!(
            s.get("instagram:1").unwrap().unwrap().post.text,
            post(1).text
        );
        let audit_before = s.audit(None).unwrap().len();
        let r = purge(&s, 28, day(31), false, "dengar").unwrap();
        assert_eq!((r.dismissed, r.rejected, r.forwarded_raw), (1, 1, 1));
        assert_eq!(s.count_by_status().unwrap(), counts_before);
        assert_eq!(s.len(), 5);
        for n in [1, 2] {
            let i = s.get(&format!("instagram:{n}")).unwrap().unwrap();
            assert!(i.post.text.is_empty() && i.post.author_handle.is_empty());
            assert!(i.post.url.is_none() && i.post.raw.is_none());
            assert_eq!(i.post.created_at, day(1));
            assert!(i.prediction.is_some());
        }
        let rejected = s.get("instagram:2").unwrap().unwrap();
        assert_eq!(rejected.decision.unwrap().reason.as_deref(), Some("spam"));
        let forwarded = s.get("instagram:4").unwrap().unwrap();
        assert_eq!(forwarded.post.text, post(4).text);
        assert!(forwarded.post.raw.is_none());
        assert_eq!(s.get("instagram:3").unwrap().unwrap().post, post(3));
        assert_eq!(s.get("instagram:5").unwrap().unwrap().post, post(5));
        // one audit entry, no content in it
        let audit = s.audit(None).unwrap();
        assert_eq!(audit.len(), audit_before + 1);
        let note = audit.last().unwrap();
        assert_eq!(note.action, AUDIT_ACTION);
        let why = note.why.clone().unwrap();
        assert!(why.contains("1 dismissed and 1 rejected"), "{why}");
        assert!(!why.contains("sampah") && !why.contains("warga"), "{why}");
        // a second pass finds nothing left
        let again = purge(&s, 28, day(31), false, "dengar").unwrap();
        assert_eq!(again.content_purged() + again.forwarded_raw, 0);
        assert_eq!(overdue(&s, 28, day(31)).unwrap(), 0);
    }

    #[test]
    fn stale_comment_cursors_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let mark = |d: u32| {
            let mut w = Watermark::default();
            w.see(day(d), "c1");
            w.finish();
            w.save()
        };
        s.set_cursor("facebook/1/comments/old", &mark(1)).unwrap();
        s.set_cursor("instagram/9/comments/recent", &mark(25))
            .unwrap();
        s.set_cursor("facebook/1/comments/never", &Watermark::default().save())
            .unwrap();
        s.set_cursor("facebook/1/feed", &mark(1)).unwrap();
        s.set_cursor("facebook/1/comments/broken", "not json")
            .unwrap();
        let dry = purge(&s, 10, day(30), true, "dengar").unwrap();
        assert_eq!(dry.cursors, 2);
        assert_eq!(s.cursors().unwrap().len(), 5);
        let r = purge(&s, 10, day(30), false, "dengar").unwrap();
        assert_eq!(r.cursors, 2);
        let left: Vec<String> = s.cursors().unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            left,
            [
                "facebook/1/comments/broken",
                "facebook/1/feed",
                "instagram/9/comments/recent"
            ]
        );
        assert!(r.audit_text().contains("2 stale comment cursors"));
    }

    #[test]
    fn dry_run_changes_nothing_and_logs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        fixture(&s);
        let audit_before = s.audit(None).unwrap().len();
        assert_eq!(overdue(&s, 1, day(30)).unwrap(), 3);
        assert_eq!(s.audit(None).unwrap().len(), audit_before);
        assert_eq!(s.get("instagram:5").unwrap().unwrap().post, post(5));
    }
}
