//! The report outbox: reports on their way to a receiver, with their state, history and the
//! receiver's follow-up statuses.
//!
//! Trees (opened through [`Store::tree`], so the core store layout is unchanged):
//! - `outbox`: report id → [`OutboxRecord`] as JSON;
//! - `outbox_items`: item id → report id, for every item in a report.
//!
//! A report's id is derived from its main item ([`Outbox::report_id`]), so drafting the same
//! accepted item again after a crash finds the record instead of making a second one, and the id
//! doubles as the idempotency key sent with every attempt. Every change is one transaction over
//! both trees; callers flush before and after a request leaves ([`Store::flush`]) so a crash can
//! at worst repeat a request, never lose a receipt.

use super::{Store, StoreError};
use crate::model::{OutboxEvent, OutboxRecord, RemoteStatus, ReportDraft, ReportState};
use chrono::Utc;
use sha2::{Digest, Sha256};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::{Transactional, Tree};
use std::collections::BTreeMap;

/// Tree names.
pub const OUTBOX_TREE: &str = "outbox";
pub const OUTBOX_ITEMS_TREE: &str = "outbox_items";

/// The outbox of one store.
#[derive(Clone)]
pub struct Outbox {
    records: Tree,
    by_item: Tree,
}

type TxError = ConflictableTransactionError<StoreError>;

fn unwrap_tx<T>(r: Result<T, TransactionError<StoreError>>) -> Result<T, StoreError> {
    r.map_err(|e| match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Sled(e),
    })
}

fn refuse(id: &str, message: impl Into<String>) -> TxError {
    ConflictableTransactionError::Abort(StoreError::Outbox {
        id: id.to_string(),
        message: message.into(),
    })
}

fn decode(id: &str, v: &[u8]) -> Result<OutboxRecord, TxError> {
    serde_json::from_slice(v).map_err(|e| {
        tracing::error!(report = id, "corrupt outbox record");
        ConflictableTransactionError::Abort(StoreError::Corrupt(e))
    })
}

fn encode(r: &OutboxRecord) -> Result<Vec<u8>, TxError> {
    serde_json::to_vec(r).map_err(|e| ConflictableTransactionError::Abort(StoreError::Corrupt(e)))
}

impl Store {
    /// The report outbox.
    pub fn outbox(&self) -> Result<Outbox, StoreError> {
        Ok(Outbox {
            records: self.tree(OUTBOX_TREE)?,
            by_item: self.tree(OUTBOX_ITEMS_TREE)?,
        })
    }

    /// The report an item belongs to, with its state, tracking id, receiver message and status
    /// history (for the item page and the dashboard).
    pub fn report_for_item(&self, item_id: &str) -> Result<Option<OutboxRecord>, StoreError> {
        self.outbox()?.for_item(item_id)
    }
}

impl Outbox {
    /// The stable report id of a main item: `dgr-` and 20 hex digits of a SHA-256.
    pub fn report_id(main_item: &str) -> String {
        let digest = Sha256::digest(format!("dengar-report:v1:{main_item}").as_bytes());
        let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
        format!("dgr-{hex}")
    }

    /// The record with this report id.
    pub fn get(&self, id: &str) -> Result<Option<OutboxRecord>, StoreError> {
        match self.records.get(id)? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }

    /// The record an item is part of.
    pub fn for_item(&self, item_id: &str) -> Result<Option<OutboxRecord>, StoreError> {
        match self.by_item.get(item_id)? {
            Some(id) => self.get(&String::from_utf8_lossy(&id)),
            None => Ok(None),
        }
    }

    /// Stores a new record in `ready` with its item index. Returns false (and changes nothing)
    /// when a record with this id exists already. An item already in another report is refused.
    pub fn insert_new(
        &self,
        id: &str,
        main_item: &str,
        items: &[String],
        draft: ReportDraft,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let rec = OutboxRecord {
            id: id.to_string(),
            main_item: main_item.to_string(),
            items: items.to_vec(),
            draft,
            state: ReportState::Ready,
            target: None,
            attempts: 0,
            created_at: now,
            updated_at: now,
            history: vec![OutboxEvent {
                at: now,
                state: "ready".into(),
                note: Some(format!("{} item(s)", items.len())),
            }],
            remote: Vec::new(),
        };
        let r = (&self.records, &self.by_item).transaction(|(records, by_item)| {
            if records.get(id)?.is_some() {
                return Ok(false);
            }
            for item in items {
                if let Some(other) = by_item.get(item.as_str())? {
                    if other.as_ref() != id.as_bytes() {
                        return Err(refuse(
                            id,
                            format!(
                                "item `{item}` is already in report `{}`",
                                String::from_utf8_lossy(&other)
                            ),
                        ));
                    }
                }
            }
            records.insert(id, encode(&rec)?)?;
            for item in items {
                by_item.insert(item.as_str(), id)?;
            }
            Ok(true)
        });
        unwrap_tx(r)
    }

    /// Adds items (merged after the report was drafted) to a report that has not left yet, with
    /// the redrafted text.
    pub fn add_items(
        &self,
        id: &str,
        items: &[String],
        draft: ReportDraft,
    ) -> Result<OutboxRecord, StoreError> {
        let r = (&self.records, &self.by_item).transaction(|(records, by_item)| {
            let Some(v) = records.get(id)? else {
                return Err(refuse(id, "no such report"));
            };
            let mut rec = decode(id, &v)?;
            if rec.state != ReportState::Ready {
                return Err(refuse(
                    id,
                    format!(
                        "cannot add items to a report in state `{}`",
                        rec.state.name()
                    ),
                ));
            }
            for item in items {
                if !rec.items.contains(item) {
                    rec.items.push(item.clone());
                }
                by_item.insert(item.as_str(), id)?;
            }
            rec.draft = draft.clone();
            rec.updated_at = Utc::now();
            rec.history.push(OutboxEvent {
                at: rec.updated_at,
                state: "ready".into(),
                note: Some(format!("merged {}", items.join(", "))),
            });
            records.insert(id, encode(&rec)?)?;
            Ok(rec)
        });
        unwrap_tx(r)
    }

    /// Applies `f` to a record in one transaction and stores the result.
    fn update(
        &self,
        id: &str,
        f: impl Fn(&mut OutboxRecord) -> Result<(), String>,
    ) -> Result<OutboxRecord, StoreError> {
        let r = self.records.transaction(|records| {
            let Some(v) = records.get(id)? else {
                return Err(refuse(id, "no such report"));
            };
            let mut rec = decode(id, &v)?;
            f(&mut rec).map_err(|m| refuse(id, m))?;
            records.insert(id, encode(&rec)?)?;
            Ok(rec)
        });
        unwrap_tx(r)
    }

    /// Marks a request as leaving for `target`: the report is bound to that target from now on.
    /// Refused for a forwarded report, a permanent failure, or another target.
    pub fn mark_sending(&self, id: &str, target: &str) -> Result<OutboxRecord, StoreError> {
        self.update(id, |rec| {
            if !rec.state.due() {
                return Err(format!(
                    "cannot send a report in state `{}`",
                    rec.state.name()
                ));
            }
            if let Some(t) = &rec.target {
                if t != target {
                    return Err(format!("report is bound to `{t}`, not `{target}`"));
                }
            }
            let now = Utc::now();
            rec.attempts += 1;
            rec.target = Some(target.to_string());
            rec.state = ReportState::Sending {
                attempt: rec.attempts,
                since: now,
            };
            rec.updated_at = now;
            rec.history.push(OutboxEvent {
                at: now,
                state: "sending".into(),
                note: Some(format!("attempt {} to {target}", rec.attempts)),
            });
            Ok(())
        })
    }

    /// Counts one more request of a report already in `sending` (a retry within a run).
    pub fn count_attempt(&self, id: &str) -> Result<OutboxRecord, StoreError> {
        self.update(id, |rec| {
            let ReportState::Sending { .. } = rec.state else {
                return Err(format!("report is `{}`, not sending", rec.state.name()));
            };
            rec.attempts += 1;
            rec.state = ReportState::Sending {
                attempt: rec.attempts,
                since: Utc::now(),
            };
            Ok(())
        })
    }

    /// Records the receipt: the report is forwarded with the receiver's tracking id.
    pub fn mark_forwarded(
        &self,
        id: &str,
        tracking_id: &str,
        note: Option<String>,
    ) -> Result<OutboxRecord, StoreError> {
        if tracking_id.trim().is_empty() {
            return Err(StoreError::Outbox {
                id: id.to_string(),
                message: "a receipt needs a tracking id".into(),
            });
        }
        self.update(id, |rec| {
            if let ReportState::Forwarded { tracking_id: t, .. } = &rec.state {
                // the same receipt twice (a resend after a crash) is not a change
                return if t == tracking_id {
                    Ok(())
                } else {
                    Err(format!("already forwarded as `{t}`, not `{tracking_id}`"))
                };
            }
            let now = Utc::now();
            rec.state = ReportState::Forwarded {
                tracking_id: tracking_id.to_string(),
                at: now,
            };
            rec.updated_at = now;
            rec.history.push(OutboxEvent {
                at: now,
                state: "forwarded".into(),
                note: Some(match &note {
                    Some(n) => format!("tracking id {tracking_id}; {n}"),
                    None => format!("tracking id {tracking_id}"),
                }),
            });
            Ok(())
        })
    }

    /// Records a failed attempt.
    pub fn mark_failed(
        &self,
        id: &str,
        permanent: bool,
        reason: &str,
        http_status: Option<u16>,
    ) -> Result<OutboxRecord, StoreError> {
        self.update(id, |rec| {
            if let ReportState::Forwarded { .. } = rec.state {
                return Err("a forwarded report cannot fail".into());
            }
            let now = Utc::now();
            rec.state = ReportState::Failed {
                permanent,
                reason: reason.to_string(),
                http_status,
                at: now,
            };
            rec.updated_at = now;
            rec.history.push(OutboxEvent {
                at: now,
                state: rec.state.name().into(),
                note: Some(match http_status {
                    Some(s) => format!("HTTP {s}: {reason}"),
                    None => reason.to_string(),
                }),
            });
            Ok(())
        })
    }

    /// Puts a permanently failed report back to `ready` (after staff fixed it or the receiver's
    /// configuration), optionally with an edited draft. The target binding is released: the
    /// receiver refused the report, so it holds no copy.
    pub fn requeue(
        &self,
        id: &str,
        by: &str,
        draft: Option<ReportDraft>,
    ) -> Result<OutboxRecord, StoreError> {
        self.update(id, |rec| {
            match &rec.state {
                ReportState::Failed {
                    permanent: true, ..
                } => {}
                ReportState::Failed { .. } | ReportState::Ready => {
                    // retryable failures and ready reports go out anyway; only a new draft
                }
                s => return Err(format!("cannot requeue a report in state `{}`", s.name())),
            }
            if matches!(
                rec.state,
                ReportState::Failed {
                    permanent: true,
                    ..
                }
            ) {
                rec.target = None;
            }
            if let Some(d) = &draft {
                rec.draft = d.clone();
            }
            let now = Utc::now();
            rec.state = ReportState::Ready;
            rec.updated_at = now;
            rec.history.push(OutboxEvent {
                at: now,
                state: "ready".into(),
                note: Some(format!("requeued by {by}")),
            });
            Ok(())
        })
    }

    /// Records a status fetched from the receiver; returns whether it differs from the last one.
    pub fn record_remote(&self, id: &str, status: RemoteStatus) -> Result<bool, StoreError> {
        let changed = std::cell::Cell::new(false);
        self.update(id, |rec| {
            let same = rec
                .remote
                .last()
                .is_some_and(|last| last.status == status.status && last.note == status.note);
            changed.set(!same);
            if !same {
                rec.remote.push(status.clone());
                rec.updated_at = status.fetched_at;
            }
            Ok(())
        })?;
        Ok(changed.get())
    }

    /// Replaces the tracking id of a forwarded report (an Open311 token resolved to the request
    /// id), keeping the old one in the history.
    pub fn resolve_tracking(
        &self,
        id: &str,
        tracking_id: &str,
    ) -> Result<OutboxRecord, StoreError> {
        self.update(id, |rec| {
            let ReportState::Forwarded {
                tracking_id: old,
                at,
            } = &rec.state
            else {
                return Err("only a forwarded report has a tracking id".into());
            };
            let (old, at) = (old.clone(), *at);
            if old == tracking_id {
                return Ok(());
            }
            rec.state = ReportState::Forwarded {
                tracking_id: tracking_id.to_string(),
                at,
            };
            rec.history.push(OutboxEvent {
                at: Utc::now(),
                state: "forwarded".into(),
                note: Some(format!("token {old} resolved to {tracking_id}")),
            });
            Ok(())
        })
    }

    /// Every record, oldest first, optionally only those whose state matches a filter name
    /// (`ready`, `sending`, `forwarded`, `failed`, `failed-retryable`, `failed-permanent`).
    pub fn list(&self, filter: Option<&str>) -> Result<Vec<OutboxRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.records.iter() {
            let (_, v) = kv?;
            let rec: OutboxRecord = serde_json::from_slice(&v)?;
            if filter.is_none_or(|f| rec.state.matches(f)) {
                out.push(rec);
            }
        }
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Records a forward run should send: ready, interrupted (`sending`) and retryable failures.
    pub fn due(&self) -> Result<Vec<OutboxRecord>, StoreError> {
        Ok(self
            .list(None)?
            .into_iter()
            .filter(|r| r.state.due())
            .collect())
    }

    /// Number of records per state name.
    pub fn counts(&self) -> Result<BTreeMap<String, usize>, StoreError> {
        let mut m = BTreeMap::new();
        for r in self.list(None)? {
            *m.entry(r.state.name().to_string()).or_default() += 1;
        }
        Ok(m)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the outbox is empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Klasifikasi;

    fn draft() -> ReportDraft {
        ReportDraft {
            judul: "Jalan berlubang".into(),
            isi: "isi".into(),
            klasifikasi: Klasifikasi::Pengaduan,
            kategori: "Infrastruktur".into(),
            agency: "dinas-pupr".into(),
            instansi: "Dinas PUPR".into(),
            lokasi: None,
            tanggal_kejadian: None,
            anonim: true,
            rahasia: false,
            sources: vec!["x:1".into()],
            created_at: Utc::now(),
        }
    }

    #[test]
    fn report_ids_are_stable_and_distinct() {
        assert_eq!(Outbox::report_id("x:1"), Outbox::report_id("x:1"));
        assert_ne!(Outbox::report_id("x:1"), Outbox::report_id("x:2"));
        assert_eq!(Outbox::report_id("x:1").len(), 24);
    }

    #[test]
    fn life_of_a_report() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let o = s.outbox().unwrap();
        let id = Outbox::report_id("x:1");
        let items = vec!["x:1".to_string(), "x:2".to_string()];
        assert!(o.insert_new(&id, "x:1", &items, draft()).unwrap());
        assert!(!o.insert_new(&id, "x:1", &items, draft()).unwrap());
        assert_eq!(o.len(), 1);
        assert_eq!(s.report_for_item("x:2").unwrap().unwrap().id, id);

        let rec = o.mark_sending(&id, "lapor").unwrap();
        assert_eq!(rec.attempts, 1);
        let err = o.mark_sending(&id, "open311").unwrap_err();
        assert!(err.to_string().contains("bound to `lapor`"), "{err}");
        o.mark_failed(&id, false, "HTTP 503", Some(503)).unwrap();
        assert_eq!(o.due().unwrap().len(), 1);
        o.mark_sending(&id, "lapor").unwrap();
        assert!(o.mark_forwarded(&id, "  ", None).is_err());
        let rec = o.mark_forwarded(&id, "LAP-1", None).unwrap();
        assert_eq!(rec.tracking_id(), Some("LAP-1"));
        // the same receipt again is fine, another one is not
        o.mark_forwarded(&id, "LAP-1", None).unwrap();
        assert!(o.mark_forwarded(&id, "LAP-2", None).is_err());
        assert!(o.mark_failed(&id, true, "x", None).is_err());
        assert!(o.due().unwrap().is_empty());

        let st = |s: &str| RemoteStatus {
            fetched_at: Utc::now(),
            status: s.into(),
            note: None,
            updated_at: None,
        };
        assert!(o.record_remote(&id, st("proses")).unwrap());
        assert!(!o.record_remote(&id, st("proses")).unwrap());
        assert!(o.record_remote(&id, st("selesai")).unwrap());
        let rec = s.report_for_item("x:1").unwrap().unwrap();
        assert_eq!(rec.remote.len(), 2);
        assert_eq!(rec.remote_status().unwrap().status, "selesai");
        assert_eq!(o.counts().unwrap()["forwarded"], 1);
    }

    #[test]
    fn an_item_cannot_be_in_two_reports_and_permanent_failures_wait_for_staff() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let o = s.outbox().unwrap();
        let a = Outbox::report_id("x:1");
        let b = Outbox::report_id("x:9");
        o.insert_new(&a, "x:1", &["x:1".into()], draft()).unwrap();
        let err = o
            .insert_new(&b, "x:9", &["x:9".into(), "x:1".into()], draft())
            .unwrap_err();
        assert!(err.to_string().contains("already in report"), "{err}");
        assert!(o.get(&b).unwrap().is_none());
        assert!(s.report_for_item("x:9").unwrap().is_none());

        o.mark_sending(&a, "lapor").unwrap();
        o.mark_failed(&a, true, "judul terlalu panjang", Some(422))
            .unwrap();
        assert!(o.due().unwrap().is_empty());
        assert!(o.mark_sending(&a, "lapor").is_err());
        assert_eq!(
            o.get(&a).unwrap().unwrap().receiver_message(),
            Some("judul terlalu panjang")
        );
        let rec = o.requeue(&a, "rina", None).unwrap();
        assert_eq!(rec.state, ReportState::Ready);
        assert_eq!(rec.target, None);
        assert_eq!(o.list(Some("ready")).unwrap().len(), 1);
    }
}
