//! Everything sled: posts with their review state, the queue index, collector cursors and the
//! append-only audit log.
//!
//! Layout (one sled `Db`, one tree per role):
//! - `items`: `platform:native_id` → [`Item`] as JSON;
//! - `queue`: index `[status][urgent?][rank][id]` → `()`, so listing a status in review order is a
//!   range scan;
//! - `audit`: big-endian sequence → [`AuditEntry`] as JSON (append only);
//! - `cursors`: source name → opaque cursor string;
//! - `meta`: small named values (schema version);
//! - `purged`: id → when and how a retention purge stripped the item (see `purge.rs`);
//! - `outbox`, `outbox_items`: the report outbox ([`Outbox`]), opened on demand.
//!
//! Every logical change (insert, classify, review) is one sled transaction over the trees it
//! touches, so a crash leaves either all of it or none. Callers flush at the end of a batch and
//! after each review action ([`Store::flush`]).

mod audit_tail;
mod error;
mod items;
mod keys;
mod outbox;
mod purge;

pub use error::StoreError;
pub use items::{item_agency, ListFilter, Transition};
pub use outbox::{Outbox, OUTBOX_ITEMS_TREE, OUTBOX_TREE};
pub use purge::{strip, PurgeMark, PurgeResult, PurgeScope, PURGED_TREE};

use sled::{Db, Tree};
use std::path::{Path, PathBuf};

/// Schema version written into `meta` on first open.
pub const SCHEMA_VERSION: u32 = 1;

/// How long [`open_retrying`] waits for a lock this process (or a run that just ended) still
/// holds.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens a sled database, waiting up to [`LOCK_WAIT`] while the directory lock is held. sled
/// releases the lock from background threads a moment after the last handle is dropped, so a
/// store reopened right after it was closed (a backup restore, a test, `serve` restarted right
/// after `nightly`) can still be locked for a few milliseconds. A store held by a long-running
/// process still fails, after the wait, with sled's "could not acquire lock".
pub fn open_retrying(config: sled::Config) -> Result<Db, sled::Error> {
    let start = std::time::Instant::now();
    loop {
        match config.open() {
            Err(e)
                if e.to_string().contains("could not acquire lock")
                    && start.elapsed() < LOCK_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// The store of one data directory.
#[derive(Clone)]
pub struct Store {
    db: Db,
    dir: PathBuf,
    pub(crate) items: Tree,
    pub(crate) queue: Tree,
    pub(crate) audit: Tree,
    pub(crate) cursors: Tree,
    pub(crate) meta: Tree,
}

impl Store {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
        let db = open_retrying(
            sled::Config::new()
                .path(dir.join("db"))
                .flush_every_ms(Some(500)),
        )
        .map_err(|e| StoreError::Open {
            path: dir.to_path_buf(),
            source: e,
        })?;
        let store = Store {
            items: db.open_tree("items")?,
            queue: db.open_tree("queue")?,
            audit: db.open_tree("audit")?,
            cursors: db.open_tree("cursors")?,
            meta: db.open_tree("meta")?,
            dir: dir.to_path_buf(),
            db,
        };
        match store.meta.get("schema")? {
            None => {
                store
                    .meta
                    .insert("schema", SCHEMA_VERSION.to_be_bytes().to_vec())?;
            }
            Some(v) => {
                let found = u32::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 4]));
                if found != SCHEMA_VERSION {
                    return Err(StoreError::Schema {
                        found,
                        expected: SCHEMA_VERSION,
                    });
                }
            }
        }
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying database, for modules that keep their own trees (users, outbox, runs).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Opens (or creates) a named tree owned by another module.
    pub fn tree(&self, name: &str) -> Result<Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    /// The saved cursor of a source (a collector, an import file).
    pub fn cursor(&self, source: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .cursors
            .get(source.as_bytes())?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Saves a source's cursor and flushes, so it is never ahead of what it covers on disk.
    pub fn set_cursor(&self, source: &str, value: &str) -> Result<(), StoreError> {
        self.cursors.insert(source.as_bytes(), value.as_bytes())?;
        self.flush()
    }

    /// Removes a source's cursor (the next read of that source starts from its beginning).
    pub fn remove_cursor(&self, source: &str) -> Result<(), StoreError> {
        self.cursors.remove(source.as_bytes())?;
        Ok(())
    }

    /// All cursors, by source.
    pub fn cursors(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        for kv in self.cursors.iter() {
            let (k, v) = kv?;
            out.push((
                String::from_utf8_lossy(&k).into_owned(),
                String::from_utf8_lossy(&v).into_owned(),
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
