//! Reading the audit log by sequence number instead of all at once: the newest sequence, the
//! entries after a known one (how an in-memory index catches up with changes) and pages backwards
//! from the newest (how the audit page lists a log of any length).
//!
//! Additive to [`Store::audit`]: nothing here writes.

use super::{Store, StoreError};
use crate::model::AuditEntry;

impl Store {
    /// The sequence number of the newest audit entry, or 0 when the log is empty.
    pub fn last_audit_seq(&self) -> Result<u64, StoreError> {
        Ok(match self.audit.last()? {
            Some((k, _)) => seq_of(&k),
            None => 0,
        })
    }

    /// Audit entries with a sequence number strictly greater than `seq`, oldest first.
    pub fn audit_after(&self, seq: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let start = seq.saturating_add(1).to_be_bytes();
        let mut out = Vec::new();
        for kv in self.audit.range(start..) {
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
        assert_eq!(s.last_audit_seq().unwrap(), 0);
        for i in 0..5 {
            s.audit_note("rina", "note", None, Some(&format!("n{i}")))
                .unwrap();
        }
        let all = s.audit(None).unwrap();
        let last = s.last_audit_seq().unwrap();
        assert_eq!(last, all[4].seq);
        let after = s.audit_after(all[2].seq).unwrap();
        assert_eq!(
            after.iter().map(|e| e.why.clone().unwrap()).collect::<Vec<_>>(),
            ["n3", "n4"]
        );
        assert!(s.audit_after(last).unwrap().is_empty());
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
