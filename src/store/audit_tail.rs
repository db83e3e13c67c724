//! Reading the audit log by sequence number instead of all at once: the newest sequence, the
//! entries after a known one (how an in-memory index catches up with changes) and pages backwards
//! from the newest (how the audit page lists a log of any length).
//!
//! Additive to [`Store::audit`]: nothing here writes.

use super::{Store, StoreError};
use crate::model::AuditEntry;

impl Store {
    /// The sequence number of the newest audit entry (`None` when the log is empty; the first
    /// entry may have number 0).
    pub fn last_audit_seq(&self) -> Result<Option<u64>, StoreError> {
        Ok(self.audit.last()?.map(|(k, _)| seq_of(&k)))
    }

    /// Audit entries with a sequence number of `seq` or more, oldest first.
    pub fn audit_since(&self, seq: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for kv in self.audit.range(seq.to_be_bytes()..) {
            let (_, v) = kv?;
            out.push(serde_json::from_slice(&v)?);
        }
        Ok(out)
    }

    /// The audit entry with this sequence number.
    pub fn audit_entry(&self, seq: u64) -> Result<Option<AuditEntry>, StoreError> {
        match self.audit.get(seq.to_be_bytes())? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }

    /// Up to `limit` audit entries older than `before` (all when `None`), newest first, that
    /// pass `keep`. Scans backwards and stops as soon as the page is full.
    pub fn audit_page(
        &self,
        before: Option<u64>,
        limit: usize,
        mut keep: impl FnMut(&AuditEntry) -> bool,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let iter = match before {
            Some(b) => self.audit.range(..b.to_be_bytes()),
            None => self.audit.range::<&[u8], _>(..),
        };
        let mut out = Vec::new();
        for kv in iter.rev() {
            if out.len() >= limit {
                break;
            }
            let (_, v) = kv?;
            let e: AuditEntry = serde_json::from_slice(&v)?;
            if keep(&e) {
                out.push(e);
            }
        }
        Ok(out)
    }
}

fn seq_of(k: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    if k.len() == 8 {
        b.copy_from_slice(k);
    }
    u64::from_be_bytes(b)
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn tail_and_pages_follow_sequence_order() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.last_audit_seq().unwrap(), None);
        for i in 0..5 {
            s.audit_note("rina", "note", None, Some(&format!("n{i}")))
                .unwrap();
        }
        let all = s.audit(None).unwrap();
        let last = s.last_audit_seq().unwrap().unwrap();
        assert_eq!(last, all[4].seq);
        let since = s.audit_since(all[3].seq).unwrap();
        assert_eq!(
            since
                .iter()
                .map(|e| e.why.clone().unwrap())
                .collect::<Vec<_>>(),
            ["n3", "n4"]
        );
        assert_eq!(s.audit_since(0).unwrap().len(), 5);
        assert!(s.audit_since(last + 1).unwrap().is_empty());
        assert_eq!(s.audit_entry(all[1].seq).unwrap().unwrap(), all[1]);
        assert!(s.audit_entry(last + 100).unwrap().is_none());
        let page = s.audit_page(None, 2, |_| true).unwrap();
        assert_eq!(page[0].why.as_deref(), Some("n4"));
        assert_eq!(page[1].why.as_deref(), Some("n3"));
        let next = s.audit_page(Some(page[1].seq), 10, |_| true).unwrap();
        assert_eq!(next.len(), 3);
        assert_eq!(next[0].why.as_deref(), Some("n2"));
        let only = s
            .audit_page(None, 10, |e| e.why.as_deref() == Some("n1"))
            .unwrap();
        assert_eq!(only.len(), 1);
    }
}
