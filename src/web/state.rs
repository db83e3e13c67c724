//! What every handler shares: the store, the agency catalog, the validated `[web]` config, the
//! user and session trees, the login throttle and the in-memory review index.

use super::auth::Sessions;
use super::error::WebError;
use super::index::QueueIndex;
use super::throttle::Throttle;
use super::users::Users;
use crate::catalog::Catalog;
use crate::config::WebConfig;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared parts.
pub struct Inner {
    pub store: Store,
    pub catalog: Catalog,
    pub config: WebConfig,
    pub users: Users,
    pub sessions: Sessions,
    pub throttle: Throttle,
    pub index: QueueIndex,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the web's trees and builds the review index (reads every item once).
    pub fn new(store: Store, catalog: Catalog, config: WebConfig) -> Result<AppState, WebError> {
        let users = Users::open(&store).map_err(|e| WebError::Internal(e.to_string()))?;
        let sessions = Sessions::open(&store, config.session_ttl_secs)?;
        sessions.purge_expired()?;
        let throttle = Throttle::new(
            config.login_max_failures,
            Duration::from_secs(config.login_window_secs),
        );
        let index = QueueIndex::build(&store)?;
        Ok(AppState(Arc::new(Inner {
            store,
            catalog,
            config,
            users,
            sessions,
            throttle,
            index,
        })))
    }

    /// The short name of an agency code (the code itself when unknown).
    pub fn agency_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.catalog
            .agency(code)
            .map(|a| a.short.as_str())
            .unwrap_or(code)
    }

    /// Runs blocking store work (sled transactions, flushes, argon2) off the async workers.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(AppState) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let s = self.clone();
        tokio::task::spawn_blocking(move || f(s))
            .await
            .map_err(|e| WebError::Internal(format!("worker failed: {e}")))?
    }
}
