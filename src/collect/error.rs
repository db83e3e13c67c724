//! Collector errors: what ends a platform's run ([`CollectError`]) and what stops a collector
//! from being built from its config ([`BuildError`]). Messages never carry tokens or full URLs
//! (only paths), because Meta and YouTube put the token in the query string.

use super::sink::{RunStats, SinkError};

/// Why a platform's run ended early. The cursors saved so far are kept.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// Rate limited and the reset is further away than `max_wait_secs`.
    #[error("rate limited on {path}: {why}; stopped until the next run")]
    RateLimited { path: String, why: String },
    /// A quota that resets later (YouTube `quotaExceeded`).
    #[error("quota exhausted on {path}: {why}; stopped until the next run")]
    Quota { path: String, why: String },
    /// Transient failures (timeouts, 5xx) outlasted every retry.
    #[error("{path}: {why} (gave up after {attempts} attempts)")]
    Unavailable {
        path: String,
        why: String,
        attempts: u32,
    },
    /// The platform refused the request (bad token, missing permission, unknown id).
    #[error("{path}: HTTP {status}: {why}")]
    Refused {
        path: String,
        status: u16,
        why: String,
    },
    /// The token was rejected (missing, expired, revoked).
    #[error("{path}: the token was rejected: {why}")]
    Unauthorized { path: String, why: String },
    /// The answer was not the JSON we expect.
    #[error("{path}: malformed response: {why}")]
    Malformed { path: String, why: String },
    /// A pagination link pointed somewhere else than the configured base URL.
    #[error("refusing to follow a link to another host: {0}")]
    ForeignLink(String),
    /// The run's time budget ran out.
    #[error("time budget of {0} s used up; stopped until the next run")]
    Budget(u64),
    /// The sink could not store a page.
    #[error("cannot store a page: {0}")]
    Sink(#[from] SinkError),
}

impl CollectError {
    /// Whether this error concerns the whole platform (stop it) rather than one stream (skip
    /// the stream and go on). A rejected token concerns every stream.
    pub fn stops_platform(&self) -> bool {
        !matches!(
            self,
            CollectError::Refused { .. }
                | CollectError::Malformed { .. }
                | CollectError::ForeignLink(_)
        )
    }
}

/// Why a collector could not be built from its config.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("environment variable {0} (the platform token) is not set or empty")]
    MissingToken(String),
    #[error("no watched account on this platform (add it to data/accounts.toml or to `accounts`)")]
    NoAccounts,
    #[error("account `{handle}` has no {platform} id (set `ids.{platform}` in the accounts file or `accounts.{handle}` in the config)")]
    MissingId {
        handle: String,
        platform: &'static str,
    },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// Records a stream's failure in `stats` and goes on, unless it concerns the whole platform.
pub fn settle(
    r: Result<(), CollectError>,
    platform: &str,
    what: &str,
    stats: &mut RunStats,
) -> Result<(), CollectError> {
    match r {
        Err(e) if e.stops_platform() => Err(e),
        Err(e) => {
            stats.error(platform, format!("{what}: {e}"));
            Ok(())
        }
        Ok(()) => Ok(()),
    }
}
