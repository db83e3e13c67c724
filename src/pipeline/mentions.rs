//! The Instagram mention inbox in sled (tree `instagram_mentions`): the webhook pushes the ids
//! Meta announces, the next harvest fetches them and forgets each once its post is stored.

use crate::collect::instagram::webhook::MentionInbox;
use crate::collect::Mention;
use crate::store::{Store, StoreError};

/// Name of the sled tree.
pub const TREE: &str = "instagram_mentions";

/// The inbox over a store.
#[derive(Clone)]
pub struct StoreInbox {
    tree: sled::Tree,
    store: Store,
}

impl StoreInbox {
    /// Opens the inbox tree of a store.
    pub fn open(store: &Store) -> Result<StoreInbox, StoreError> {
        Ok(StoreInbox {
            tree: store.tree(TREE)?,
            store: store.clone(),
        })
    }

    /// Every mention not fetched yet, in key order.
    pub fn pending(&self) -> Result<Vec<Mention>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree.iter() {
            let (_, v) = kv?;
            out.push(serde_json::from_slice(&v)?);
        }
        Ok(out)
    }

    /// Forgets a fetched mention.
    pub fn forget(&self, m: &Mention) -> Result<(), StoreError> {
        self.tree.remove(m.key().as_bytes())?;
        Ok(())
    }
}

impl MentionInbox for StoreInbox {
    fn push(&self, m: &Mention) -> Result<(), String> {
        let value = serde_json::to_vec(m).map_err(|e| e.to_string())?;
        self.tree
            .insert(m.key().as_bytes(), value)
            .map_err(|e| e.to_string())?;
        self.store.flush().map_err(|e| e.to_string())
    }
}
