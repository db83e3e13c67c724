//! The in-memory review index that keeps the queue page fast at 100,000 items.
//!
//! One compact [`Row`] per classified item (every status but `new`), kept in review order
//! (status, urgent first, complaint probability descending, id — the store's queue-index order),
//! with lookups by id and by near-duplicate group. Filtering, folding duplicates and counting a
//! page is then a walk over memory instead of decoding every item's JSON from sled.
//!
//! It is built once from the store at startup and kept current two ways: the web's own actions
//! update it right after their transaction ([`QueueIndex::upsert`]), and before each read it
//! catches up with the audit log ([`QueueIndex::refresh`]) — every status change in the store
//! appends an audit entry naming the item, so changes made elsewhere in the process (the nightly
//! batch, a webhook) are picked up by re-reading just the items named since the last sequence
//! seen. Memory: about 0.5 KB per item (the search text is capped at [`SEARCH_CAP`] bytes).

use crate::model::{Item, Platform, Status};
use crate::store::{item_agency, Store, StoreError};
use chrono::{DateTime, Utc};
use memchr::memmem;
use std::collections::{btree_map, BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::{Arc, RwLock};

/// Longest snippet kept for the queue table, in characters.
pub const SNIPPET_CHARS: usize = 220;
/// Longest lowercased search text kept per item, in bytes.
pub const SEARCH_CAP: usize = 4096;
/// Audit entries re-read before the last sequence seen (see [`QueueIndex::refresh`]).
const RECHECK: u64 = 16;

/// Review-order key: `(status, not urgent, rank, id)`, as in the store's queue index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    status: u8,
    not_urgent: u8,
    rank: u32,
    id: Arc<str>,
}

impl RowKey {
    fn first_of(status: Status) -> RowKey {
        RowKey {
            status: status.code(),
            not_urgent: 0,
            rank: 0,
            id: Arc::from(""),
        }
    }
}

/// What the queue page and dashboard need of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: Arc<str>,
    pub status: Status,
    pub urgent: bool,
    pub urgency: f32,
    pub score: f32,
    /// Decided agency, else predicted.
    pub agency: Option<String>,
    pub platform: Platform,
    pub created_at: DateTime<Utc>,
    /// When the status last changed.
    pub updated_at: DateTime<Utc>,
    /// When a reviewer decided (kept after undo until the next decision).
    pub decided_at: Option<DateTime<Utc>>,
    pub author: String,
    /// The first [`SNIPPET_CHARS`] characters of the text, as written.
    pub snippet: String,
    /// Lowercased text, author handle and id, for search.
    search: String,
    pub dup_group: Option<String>,
    pub merged_into: Option<String>,
}

impl Row {
    /// The row of an item; `None` for unclassified (`new`) items.
    pub fn of(item: &Item) -> Option<Row> {
        if item.status == Status::New {
            return None;
        }
        let p = item.prediction.as_ref();
        let id: Arc<str> = Arc::from(item.post.id().as_str());
        let mut search = String::with_capacity(item.post.text.len().min(SEARCH_CAP) + 64);
        for c in item.post.text.chars().flat_map(char::to_lowercase) {
            if search.len() + c.len_utf8() > SEARCH_CAP {
                break;
            }
            search.push(c);
        }
        search.push('\n');
        search.push_str(&item.post.author_handle.to_lowercase());
        search.push('\n');
        search.push_str(&id.to_lowercase());
        Some(Row {
            status: item.status,
            urgent: p.is_some_and(|p| p.urgent),
            urgency: p.map(|p| p.urgency).unwrap_or(0.0),
            score: p.map(|p| p.complaint_score).unwrap_or(0.0),
            agency: item_agency(item).map(str::to_string),
            platform: item.post.platform,
            created_at: item.post.created_at,
            updated_at: item.updated_at,
            decided_at: item.decision.as_ref().and_then(|d| d.at),
            author: item.post.author_handle.clone(),
            snippet: item.post.text.chars().take(SNIPPET_CHARS).collect(),
            search,
            dup_group: p.and_then(|p| p.dup_group.clone()),
            // an undone merge keeps its old decision on record but no longer joins the report
            merged_into: matches!(
                item.status,
                Status::Accepted | Status::Reported | Status::Forwarded
            )
            .then(|| item.decision.as_ref().and_then(|d| d.merged_into.clone()))
            .flatten(),
            id,
        })
    }

    fn key(&self) -> RowKey {
        let s = if self.score.is_nan() {
            0.0
        } else {
            self.score.clamp(0.0, 1.0)
        };
        RowKey {
            status: self.status.code(),
            not_urgent: if self.urgent { 0 } else { 1 },
            rank: u32::MAX - (s as f64 * u32::MAX as f64) as u32,
            id: self.id.clone(),
        }
    }

    /// Whether the text (or author or id) contains `needle` (already lowercased).
    pub fn matches_text(&self, needle: &str) -> bool {
        self.search.contains(needle)
    }
}

/// Which rows a queue page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub status: Status,
    pub agency: Option<String>,
    pub platform: Option<Platform>,
    /// Posted at or after.
    pub from: Option<DateTime<Utc>>,
    /// Posted before.
    pub to: Option<DateTime<Utc>>,
    /// Lowercased search text.
    pub text: Option<String>,
    /// 1-based page.
    pub page: usize,
    pub page_size: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            status: Status::Flagged,
            agency: None,
            platform: None,
            from: None,
            to: None,
            text: None,
            page: 1,
            page_size: 50,
        }
    }
}

impl Query {
    /// Whether a row passes every filter but the status.
    pub fn accepts(&self, r: &Row) -> bool {
        self.accepts_with(r, None)
    }

    /// [`Query::accepts`] with the search text's prebuilt SIMD substring finder.
    fn accepts_with(&self, r: &Row, finder: Option<&memmem::Finder<'_>>) -> bool {
        if let Some(a) = &self.agency {
            if r.agency.as_deref() != Some(a.as_str()) {
                return false;
            }
        }
        if let Some(p) = self.platform {
            if r.platform != p {
                return false;
            }
        }
        if let Some(f) = self.from {
            if r.created_at < f {
                return false;
            }
        }
        if let Some(t) = self.to {
            if r.created_at >= t {
                return false;
            }
        }
        if let Some(q) = &self.text {
            let found = match finder {
                Some(f) => f.find(r.search.as_bytes()).is_some(),
                None => r.matches_text(q),
            };
            if !found {
                return false;
            }
        }
        true
    }
}

/// One line of the queue: a row, or the best-ranked row of a near-duplicate group standing for
/// all of its members that pass the filter.
#[derive(Debug, Clone)]
pub struct Entry {
    pub row: Row,
    /// Ids of every member shown by this line, the row's own first.
    pub members: Vec<Arc<str>>,
}

/// A page of the queue.
#[derive(Debug, Clone)]
pub struct Page {
    pub entries: Vec<Entry>,
    /// Lines (after folding) matching the filter.
    pub total_entries: usize,
    /// Items matching the filter.
    pub total_items: usize,
    pub page: usize,
    pub pages: usize,
}

#[derive(Default)]
struct Inner {
    /// The sequence number after the last audit entry applied (0 before any).
    next_seq: u64,
    rows: BTreeMap<RowKey, Row>,
    by_id: HashMap<Arc<str>, RowKey>,
    groups: HashMap<String, BTreeSet<RowKey>>,
    /// Merge target id → ids merged into it.
    merged: HashMap<String, BTreeSet<Arc<str>>>,
    /// Item id → sequence numbers of its audit entries, oldest first.
    audit: HashMap<Arc<str>, Vec<u64>>,
}

impl Inner {
    fn remove(&mut self, id: &str) {
        let Some(key) = self.by_id.remove(id) else {
            return;
        };
        if let Some(row) = self.rows.remove(&key) {
            if let Some(g) = &row.dup_group {
                if let Some(set) = self.groups.get_mut(g) {
                    set.remove(&key);
                    if set.is_empty() {
                        self.groups.remove(g);
                    }
                }
            }
            if let Some(t) = &row.merged_into {
                if let Some(set) = self.merged.get_mut(t) {
                    set.remove(id);
                    if set.is_empty() {
                        self.merged.remove(t);
                    }
                }
            }
        }
    }

    fn insert(&mut self, row: Row) {
        self.remove(&row.id);
        let key = row.key();
        if let Some(g) = &row.dup_group {
            self.groups
                .entry(g.clone())
                .or_default()
                .insert(key.clone());
        }
        if let Some(t) = &row.merged_into {
            self.merged
                .entry(t.clone())
                .or_default()
                .insert(row.id.clone());
        }
        self.by_id.insert(row.id.clone(), key.clone());
        self.rows.insert(key, row);
    }

    fn note_audit(&mut self, id: &str, seq: u64) -> bool {
        let v = self.audit.entry(Arc::from(id)).or_default();
        if v.contains(&seq) {
            return false;
        }
        let at = v.partition_point(|s| *s < seq);
        v.insert(at, seq);
        true
    }

    /// The key range `[lo, hi)` of a status.
    fn bounds(status: Status) -> (RowKey, Bound<RowKey>) {
        let lo = RowKey::first_of(status);
        let hi = match Status::ALL.iter().find(|s| s.code() == status.code() + 1) {
            Some(next) => Bound::Excluded(RowKey::first_of(*next)),
            None => Bound::Unbounded,
        };
        (lo, hi)
    }

    fn status_range(&self, status: Status) -> btree_map::Range<'_, RowKey, Row> {
        let (lo, hi) = Self::bounds(status);
        self.rows.range((Bound::Included(lo), hi))
    }

    /// Rows of `status` strictly before / after `key` (which may lie outside the status).
    fn around(
        &self,
        status: Status,
        key: &RowKey,
    ) -> (
        btree_map::Range<'_, RowKey, Row>,
        btree_map::Range<'_, RowKey, Row>,
    ) {
        let (lo, hi) = Self::bounds(status);
        let below_hi = match &hi {
            Bound::Excluded(h) => key < h,
            _ => true,
        };
        let empty = || {
            self.rows
                .range((Bound::Included(lo.clone()), Bound::Excluded(lo.clone())))
        };
        if *key < lo {
            (empty(), self.rows.range((Bound::Included(lo.clone()), hi)))
        } else if !below_hi {
            (self.rows.range((Bound::Included(lo.clone()), hi)), empty())
        } else {
            (
                self.rows
                    .range((Bound::Included(lo.clone()), Bound::Excluded(key.clone()))),
                self.rows.range((Bound::Excluded(key.clone()), hi)),
            )
        }
    }
}

/// The index, shared by every request.
pub struct QueueIndex {
    store: Store,
    inner: RwLock<Inner>,
}

impl QueueIndex {
    /// Builds the index from every item in the store.
    pub fn build(store: &Store) -> Result<QueueIndex, StoreError> {
        let mut inner = Inner {
            next_seq: store.last_audit_seq()?.map_or(0, |s| s + 1),
            ..Inner::default()
        };
        store.for_each_item(|item| {
            if let Some(row) = Row::of(&item) {
                inner.insert(row);
            }
        })?;
        for e in store.audit(None)? {
            if e.seq >= inner.next_seq {
                break;
            }
            if let Some(id) = &e.item {
                inner.note_audit(id, e.seq);
            }
        }
        Ok(QueueIndex {
            store: store.clone(),
            inner: RwLock::new(inner),
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Catches up with changes recorded in the audit log since the last refresh.
    ///
    /// Re-reads a few entries before the last one seen: concurrent transactions may commit
    /// out of sequence order, and re-applying an entry is harmless.
    pub fn refresh(&self) -> Result<(), StoreError> {
        let next = self.store.last_audit_seq()?.map_or(0, |s| s + 1);
        if next == self.read().next_seq {
            return Ok(());
        }
        let mut inner = self.write();
        let entries = self
            .store
            .audit_since(inner.next_seq.saturating_sub(RECHECK))?;
        let mut seen = std::collections::HashSet::new();
        for e in &entries {
            inner.next_seq = inner.next_seq.max(e.seq + 1);
            let Some(id) = &e.item else { continue };
            let fresh = inner.note_audit(id, e.seq);
            if !fresh || !seen.insert(id.clone()) {
                continue;
            }
            match self.store.get(id)? {
                Some(item) => match Row::of(&item) {
                    Some(row) => inner.insert(row),
                    None => inner.remove(id),
                },
                None => inner.remove(id),
            }
        }
        Ok(())
    }

    /// Puts an item's current state in the index (after a change made by this process).
    pub fn upsert(&self, item: &Item) {
        let mut inner = self.write();
        match Row::of(item) {
            Some(row) => inner.insert(row),
            None => inner.remove(item.post.id().as_str()),
        }
    }

    /// The row of an item.
    pub fn row(&self, id: &str) -> Option<Row> {
        let inner = self.read();
        inner.by_id.get(id).and_then(|k| inner.rows.get(k)).cloned()
    }

    /// Number of indexed items.
    pub fn len(&self) -> usize {
        self.read().rows.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One page of the queue: filter, fold near-duplicates, count and slice.
    pub fn page(&self, q: &Query) -> Page {
        let inner = self.read();
        let page_size = q.page_size.max(1);
        let first = (q.page.max(1) - 1) * page_size;
        // (row, count) per line; groups fold into their first (best-ranked) member.
        let mut lines: Vec<(&Row, u32)> = Vec::new();
        let mut group_line: HashMap<&str, usize> = HashMap::new();
        let mut total_items = 0;
        let finder = q.text.as_deref().map(memmem::Finder::new);
        for (_, row) in inner.status_range(q.status) {
            if !q.accepts_with(row, finder.as_ref()) {
                continue;
            }
            total_items += 1;
            match &row.dup_group {
                Some(g) => match group_line.get(g.as_str()) {
                    Some(&i) => lines[i].1 += 1,
                    None => {
                        group_line.insert(g.as_str(), lines.len());
                        lines.push((row, 1));
                    }
                },
                None => lines.push((row, 1)),
            }
        }
        let total_entries = lines.len();
        let entries = lines
            .iter()
            .skip(first)
            .take(page_size)
            .map(|(row, count)| {
                let members = match (&row.dup_group, count) {
                    (Some(g), n) if *n > 1 => inner
                        .groups
                        .get(g)
                        .map(|keys| {
                            let mut ids = vec![row.id.clone()];
                            ids.extend(
                                keys.iter()
                                    .filter_map(|k| inner.rows.get(k))
                                    .filter(|r| {
                                        r.id != row.id && r.status == q.status && q.accepts(r)
                                    })
                                    .map(|r| r.id.clone()),
                            );
                            ids
                        })
                        .unwrap_or_else(|| vec![row.id.clone()]),
                    _ => vec![row.id.clone()],
                };
                Entry {
                    row: (*row).clone(),
                    members,
                }
            })
            .collect();
        Page {
            entries,
            total_entries,
            total_items,
            page: q.page.max(1),
            pages: total_entries.div_ceil(page_size).max(1),
        }
    }

    /// The items before and after `id` in review order among rows matching `q` in `q.status`.
    /// `id` need not be in that status any more: its position is taken from `at` (its key before
    /// a decision), so "next" after accepting is the item that followed it in the queue.
    pub fn neighbours(
        &self,
        q: &Query,
        id: &str,
        at: Option<&Row>,
    ) -> (Option<String>, Option<String>) {
        let inner = self.read();
        let key = match at {
            Some(r) => r.key(),
            None => match inner.by_id.get(id) {
                Some(k) => k.clone(),
                None => return (None, None),
            },
        };
        let (before, mut after) = inner.around(q.status, &key);
        let keep = |r: &Row| r.id.as_ref() != id && q.accepts(r);
        let prev = before
            .rev()
            .find(|(_, r)| keep(r))
            .map(|(_, r)| r.id.to_string());
        let next = after.find(|(_, r)| keep(r)).map(|(_, r)| r.id.to_string());
        (prev, next)
    }

    /// The first item of the queue matching `q` other than `except`.
    pub fn first(&self, q: &Query, except: &str) -> Option<String> {
        let inner = self.read();
        let found = inner
            .status_range(q.status)
            .find(|(_, r)| r.id.as_ref() != except && q.accepts(r))
            .map(|(_, r)| r.id.to_string());
        found
    }

    /// Other items in the same near-duplicate group, in review order across statuses.
    pub fn group_members(&self, group: &str, except: &str) -> Vec<Row> {
        let inner = self.read();
        inner
            .groups
            .get(group)
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| inner.rows.get(k))
                    .filter(|r| r.id.as_ref() != except)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sequence numbers of an item's audit entries, oldest first.
    pub fn audit_seqs(&self, id: &str) -> Vec<u64> {
        self.read().audit.get(id).cloned().unwrap_or_default()
    }

    /// Items merged into `id`.
    pub fn merged_into(&self, id: &str) -> Vec<String> {
        self.read()
            .merged
            .get(id)
            .map(|s| s.iter().map(|i| i.to_string()).collect())
            .unwrap_or_default()
    }

    /// Runs `f` over every row (for the dashboard), under one read lock.
    pub fn with_rows<T>(&self, f: impl FnOnce(&mut dyn Iterator<Item = &Row>) -> T) -> T {
        let inner = self.read();
        let mut it = inner.rows.values();
        f(&mut it)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Post, Prediction};
    use crate::store::Transition;
    use chrono::TimeZone;

    fn flag(s: &Store, id: &str, text: &str, score: f32, urgent: bool, group: Option<&str>) {
        let post = Post {
            platform: Platform::X,
            native_id: id.to_string(),
            author_id: "1".into(),
            author_handle: "warga".into(),
            text: text.into(),
            created_at: Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap(),
            url: None,
            reply_to: None,
            account: None,
            raw: None,
        };
        s.insert_post(&post).unwrap();
        let p = Prediction {
            model_id: "t".into(),
            complaint: true,
            complaint_score: score,
            agency: Some("dlh".into()),
            agency_scores: vec![("dlh".into(), 0.8)],
            urgency: if urgent { 0.9 } else { 0.0 },
            urgent,
            dup_group: group.map(str::to_string),
            reasons: vec![],
        };
        s.transition(
            &format!("x:{id}"),
            Transition::new(Status::Flagged, "dengar", "classify").prediction(p),
        )
        .unwrap();
    }

    #[test]
    fn pages_follow_review_order_and_fold_groups() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        flag(&s, "1", "sampah menumpuk", 0.7, false, Some("g1"));
        flag(&s, "2", "sampah menumpuk lagi", 0.6, false, Some("g1"));
        flag(&s, "3", "banjir rob", 0.55, true, None);
        flag(&s, "4", "jalan rusak", 0.9, false, None);
        let idx = QueueIndex::build(&s).unwrap();
        let page = idx.page(&Query::default());
        let ids: Vec<&str> = page.entries.iter().map(|e| e.row.id.as_ref()).collect();
        assert_eq!(ids, ["x:3", "x:4", "x:1"]);
        assert_eq!(page.total_items, 4);
        assert_eq!(page.total_entries, 3);
        assert_eq!(page.entries[2].members.len(), 2);
        let q = Query {
            text: Some("sampah".into()),
            ..Query::default()
        };
        assert_eq!(idx.page(&q).total_items, 2);
        let q = Query {
            page_size: 2,
            page: 2,
            ..Query::default()
        };
        let p2 = idx.page(&q);
        assert_eq!(p2.pages, 2);
        assert_eq!(p2.entries.len(), 1);
    }

    #[test]
    fn refresh_picks_up_changes_from_the_audit_log() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        flag(&s, "1", "sampah", 0.7, false, None);
        let idx = QueueIndex::build(&s).unwrap();
        flag(&s, "2", "jalan", 0.8, false, None);
        assert_eq!(idx.len(), 1);
        idx.refresh().unwrap();
        assert_eq!(idx.len(), 2);
        s.transition("x:2", Transition::new(Status::Rejected, "rina", "reject"))
            .unwrap();
        idx.refresh().unwrap();
        assert_eq!(idx.audit_seqs("x:2").len(), 2);
        assert_eq!(idx.audit_seqs("x:1").len(), 1);
        assert_eq!(idx.page(&Query::default()).total_items, 1);
        let rejected = Query {
            status: Status::Rejected,
            ..Query::default()
        };
        assert_eq!(idx.page(&rejected).total_items, 1);
    }

    #[test]
    fn neighbours_use_the_old_position_after_a_decision() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        flag(&s, "1", "a", 0.9, false, None);
        flag(&s, "2", "b", 0.8, false, None);
        flag(&s, "3", "c", 0.7, false, None);
        let idx = QueueIndex::build(&s).unwrap();
        let q = Query::default();
        assert_eq!(
            idx.neighbours(&q, "x:2", None),
            (Some("x:1".into()), Some("x:3".into()))
        );
        let before = idx.row("x:2").unwrap();
        let item = s
            .transition("x:2", Transition::new(Status::Rejected, "rina", "reject"))
            .unwrap();
        idx.upsert(&item);
        assert_eq!(
            idx.neighbours(&q, "x:2", Some(&before)).1.as_deref(),
            Some("x:3")
        );
        assert_eq!(idx.first(&q, "x:1").as_deref(), Some("x:3"));
    }
}
