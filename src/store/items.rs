//! Items (posts with review state), their queue index and the audit log.

use super::keys::{id_of_queue_key, queue_key};
use super::{Store, StoreError};
use crate::model::{AuditEntry, Decision, Item, Post, Prediction, Status};
use chrono::{DateTime, Utc};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;
use std::collections::BTreeMap;

/// One requested status change.
#[derive(Debug, Clone)]
pub struct Transition {
    /// Target status.
    pub to: Status,
    /// Who asks (user name or `dengar`).
    pub actor: String,
    /// What kind of change (`classify`, `accept`, `reject`, `undo`, ...).
    pub action: String,
    /// Why, for the audit log.
    pub why: Option<String>,
    /// A prediction to store with the change.
    pub prediction: Option<Prediction>,
    /// A decision to store with the change (replaces the previous one; `None` keeps it).
    pub decision: Option<Decision>,
    /// When; `None` means now.
    pub at: Option<DateTime<Utc>>,
}

impl Transition {
    /// A bare transition by `actor`.
    pub fn new(to: Status, actor: &str, action: &str) -> Transition {
        Transition {
            to,
            actor: actor.to_string(),
            action: action.to_string(),
            why: None,
            prediction: None,
            decision: None,
            at: None,
        }
    }

    /// Adds a reason.
    pub fn why(mut self, why: impl Into<String>) -> Transition {
        self.why = Some(why.into());
        self
    }

    /// Adds a prediction.
    pub fn prediction(mut self, p: Prediction) -> Transition {
        self.prediction = Some(p);
        self
    }

    /// Adds a decision.
    pub fn decision(mut self, d: Decision) -> Transition {
        self.decision = Some(d);
        self
    }
}

/// Which items to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this status (uses the queue index); `None` = every item.
    pub status: Option<Status>,
    /// Only items whose decided or predicted agency is this code.
    pub agency: Option<String>,
    /// Skip this many matches.
    pub offset: usize,
    /// At most this many (0 = no limit).
    pub limit: usize,
}

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

pub(super) fn unwrap_tx<T>(r: Result<T, TransactionError<StoreError>>) -> Result<T, StoreError> {
    r.map_err(|e| match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Sled(e),
    })
}

fn encode<T: serde::Serialize>(v: &T) -> TxResult<Vec<u8>> {
    serde_json::to_vec(v).or_else(|e| abort(StoreError::Corrupt(e)))
}

fn append_audit(audit: &TransactionalTree, mut entry: AuditEntry) -> TxResult<()> {
    let seq = audit.generate_id()?;
    entry.seq = seq;
    audit.insert(&seq.to_be_bytes(), encode(&entry)?)?;
    Ok(())
}

/// The agency an item is routed to: the reviewer's choice, else the prediction's.
pub fn item_agency(item: &Item) -> Option<&str> {
    item.decision
        .as_ref()
        .and_then(|d| d.agency.as_deref())
        .or_else(|| item.prediction.as_ref().and_then(|p| p.agency.as_deref()))
}

impl Store {
    /// Stores a post as a `new` item unless its id is already known. Returns whether it was new.
    pub fn insert_post(&self, post: &Post) -> Result<bool, StoreError> {
        let id = post.id();
        let item = Item {
            post: post.clone(),
            status: Status::New,
            updated_at: Utc::now(),
            prediction: None,
            decision: None,
        };
        let value = serde_json::to_vec(&item)?;
        let qkey = queue_key(&item);
        let r = (&self.items, &self.queue).transaction(|(items, queue)| {
            if items.get(id.as_str())?.is_some() {
                return Ok(false);
            }
            items.insert(id.as_str(), value.clone())?;
            queue.insert(qkey.clone(), &[][..])?;
            Ok(true)
        });
        unwrap_tx(r)
    }

    /// The item with this id.
    pub fn get(&self, id: &str) -> Result<Option<Item>, StoreError> {
        match self.items.get(id)? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }

    /// Whether an item with this id exists.
    pub fn contains(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.items.contains_key(id)?)
    }

    /// Moves an item to another status in one transaction: checks the transition table, updates
    /// the record and the queue index, and appends to the audit log. Returns the updated item.
    pub fn transition(&self, id: &str, t: Transition) -> Result<Item, StoreError> {
        let at = t.at.unwrap_or_else(Utc::now);
        let purged_tree = self.tree(super::purge::PURGED_TREE)?;
        let r = (&self.items, &self.queue, &self.audit, &purged_tree).transaction(
            |(items, queue, audit, purged)| {
                let Some(raw) = items.get(id)? else {
                    return abort(StoreError::NotFound(id.to_string()));
                };
                // a content-purged item has no text left to review: it stays where the purge found it
                if let Some(mark) = purged.get(id)? {
                    if let Ok(mark) = serde_json::from_slice::<super::purge::PurgeMark>(&mark) {
                        if mark.scope == super::purge::PurgeScope::Content {
                            return abort(StoreError::Purged {
                                id: id.to_string(),
                                date: mark.at.format("%Y-%m-%d").to_string(),
                            });
                        }
                    }
                }
                let mut item: Item = match serde_json::from_slice(&raw) {
                    Ok(i) => i,
                    Err(e) => return abort(StoreError::Corrupt(e)),
                };
                let from = item.status;
                if let Err(source) = from.check(t.to) {
                    return abort(StoreError::Transition {
                        id: id.to_string(),
                        source,
                    });
                }
                queue.remove(queue_key(&item))?;
                item.status = t.to;
                item.updated_at = at;
                if let Some(p) = &t.prediction {
                    item.prediction = Some(p.clone());
                }
                if let Some(d) = &t.decision {
                    let mut d = d.clone();
                    d.at.get_or_insert(at);
                    item.decision = Some(d);
                }
                items.insert(id, encode(&item)?)?;
                queue.insert(queue_key(&item), &[][..])?;
                append_audit(
                    audit,
                    AuditEntry {
                        seq: 0,
                        at,
                        actor: t.actor.clone(),
                        action: t.action.clone(),
                        item: Some(id.to_string()),
                        from: Some(from),
                        to: Some(t.to),
                        why: t.why.clone(),
                    },
                )?;
                Ok(item)
            },
        );
        unwrap_tx(r)
    }

    /// Appends an audit entry that concerns no single item transition (a purge, a user change).
    pub fn audit_note(
        &self,
        actor: &str,
        action: &str,
        item: Option<&str>,
        why: Option<&str>,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            seq: 0,
            at: Utc::now(),
            actor: actor.to_string(),
            action: action.to_string(),
            item: item.map(str::to_string),
            from: None,
            to: None,
            why: why.map(str::to_string),
        };
        let r = self
            .audit
            .transaction(|audit| append_audit(audit, entry.clone()));
        unwrap_tx(r)
    }

    /// Ids of items in a status, in review order.
    pub fn ids_with_status(&self, status: Status) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for kv in self.queue.scan_prefix([status.code()]) {
            let (k, _) = kv?;
            out.push(id_of_queue_key(&k));
        }
        Ok(out)
    }

    /// Items matching a filter: by status in review order, otherwise in id order.
    pub fn list(&self, f: &ListFilter) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut skipped = 0;
        let mut consider = |item: Item| -> bool {
            if let Some(a) = &f.agency {
                if item_agency(&item) != Some(a.as_str()) {
                    return true;
                }
            }
            if skipped < f.offset {
                skipped += 1;
                return true;
            }
            out.push(item);
            f.limit == 0 || out.len() < f.limit
        };
        match f.status {
            Some(s) => {
                for kv in self.queue.scan_prefix([s.code()]) {
                    let (k, _) = kv?;
                    let id = id_of_queue_key(&k);
                    if let Some(item) = self.get(&id)? {
                        if !consider(item) {
                            break;
                        }
                    }
                }
            }
            None => {
                for kv in self.items.iter() {
                    let (_, v) = kv?;
                    if !consider(serde_json::from_slice(&v)?) {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Calls `f` on every item, in id order.
    pub fn for_each_item(&self, mut f: impl FnMut(Item)) -> Result<(), StoreError> {
        for kv in self.items.iter() {
            let (_, v) = kv?;
            f(serde_json::from_slice(&v)?);
        }
        Ok(())
    }

    /// Number of items per status (every status present, zero included).
    pub fn count_by_status(&self) -> Result<BTreeMap<Status, usize>, StoreError> {
        let mut counts: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        for kv in self.queue.iter() {
            let (k, _) = kv?;
            if let Some(s) = Status::ALL.iter().find(|s| s.code() == k[0]) {
                *counts.entry(*s).or_default() += 1;
            }
        }
        Ok(counts)
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the store holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The audit log, oldest first, optionally only for one item.
    pub fn audit(&self, item: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for kv in self.audit.iter() {
            let (_, v) = kv?;
            let e: AuditEntry = serde_json::from_slice(&v)?;
            if item.is_none() || e.item.as_deref() == item {
                out.push(e);
            }
        }
        Ok(out)
    }
}
