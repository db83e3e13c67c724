//! Store errors.

use crate::model::TransitionError;
use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create data directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the store in {path}: {source} (is another dengar process using it?)")]
    Open { path: PathBuf, source: sled::Error },
    #[error("store error: {0}")]
    Sled(#[from] sled::Error),
    #[error("corrupt record in the store: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("store schema version {found} is not the supported version {expected}")]
    Schema { found: u32, expected: u32 },
    #[error("no item with id `{0}`")]
    NotFound(String),
    #[error("item `{id}`: {source}")]
    Transition { id: String, source: TransitionError },
    #[error(
        "item `{id}` was purged on {date} under the retention policy: its text is gone, so it \
         cannot be reviewed again"
    )]
    Purged { id: String, date: String },
    #[error("report `{id}`: {message}")]
    Outbox { id: String, message: String },
}
