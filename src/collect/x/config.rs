//! `[collect.x]`: settings of the X collector, their defaults, checks and `build()`.

use super::collector::XCollector;
use crate::catalog::Catalog;
use crate::collect::config::{CollectConfig, CoreFields, Invalid};
use crate::collect::http::Secret;
use crate::collect::BuildError;
use crate::model::Platform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Allowed `page_size` (the API's `max_results`: 5–100 for mentions, 10–100 for search).
pub const PAGE_SIZES: RangeInclusive<u32> = 10..=100;

/// Longest search query the rate-limit table allows.
pub const MAX_QUERY_CHARS: usize = 512;

/// `[collect.x]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct XConfig {
    /// Harvest X on `harvest` and `nightly`. Default false.
    pub enabled: bool,
    /// API base URL. Default `https://api.x.com`.
    pub base_url: String,
    /// Name of the environment variable holding the Bearer token (app-only or user token).
    /// Default `DENGAR_X_TOKEN`.
    pub token_env: String,
    /// Watched accounts, handle → numeric user id (`""` to resolve it from the handle).
    /// Default: the accounts file's accounts with `x` in `platforms`.
    pub accounts: BTreeMap<String, String>,
    /// Most pages read per stream (one account's mentions, one search query) per run. Default 10.
    pub max_pages: u32,
    /// Posts per page (`max_results`, 10–100). Default 100.
    pub page_size: u32,
    /// How far back the first run reaches, in days (recent search covers at most 7). Default 7.
    pub lookback_days: u32,
    /// Longest wait for a rate-limit reset in seconds; a later reset stops X until the next run.
    /// Default 900 (one 15-minute window).
    pub max_wait_secs: u64,
    /// Read each watched account's mentions timeline. Default true.
    pub mentions: bool,
    /// Run the recent search. Default true.
    pub search: bool,
    /// Search query. Default: `(@h OR to:h …) -is:retweet` over every watched handle, split into
    /// several queries when longer than 512 characters.
    pub query: Option<String>,
}

impl Default for XConfig {
    fn default() -> Self {
        XConfig {
            enabled: false,
            base_url: "https://api.x.com".to_string(),
            token_env: "DENGAR_X_TOKEN".to_string(),
            accounts: BTreeMap::new(),
            max_pages: 10,
            page_size: 100,
            lookback_days: 7,
            max_wait_secs: 900,
            mentions: true,
            search: true,
            query: None,
        }
    }
}

impl XConfig {
    /// The core fields.
    pub fn core(&self) -> CoreFields<'_> {
        CoreFields {
            base_url: &self.base_url,
            token_env: &self.token_env,
            accounts: &self.accounts,
            max_pages: self.max_pages,
            page_size: self.page_size,
            lookback_days: self.lookback_days,
            max_wait_secs: self.max_wait_secs,
        }
    }

    /// Checks the X-specific fields.
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(q) = &self.query {
            let n = q.chars().count();
            if q.trim().is_empty() || n > MAX_QUERY_CHARS {
                return Err((
                    "collect.x.query".into(),
                    format!("must be 1–{MAX_QUERY_CHARS} characters, got {n}"),
                ));
            }
        }
        for (h, id) in &self.accounts {
            if !id.is_empty() && !id.chars().all(|c| c.is_ascii_digit()) {
                return Err((
                    format!("collect.x.accounts.{h}"),
                    format!("`{id}` is not a numeric X user id (leave it \"\" to resolve it)"),
                ));
            }
        }
        Ok(())
    }

    /// The collector, with the token read from `token_env` now.
    pub fn build(
        &self,
        collect: &CollectConfig,
        catalog: &Catalog,
    ) -> Result<XCollector, BuildError> {
        let core = self.core().build(Platform::X, collect, catalog)?;
        if core.accounts.is_empty() {
            return Err(BuildError::NoAccounts);
        }
        let token = Secret::from_env(&core.token_env)?;
        XCollector::new(core, token, self.mentions, self.search, self.query.clone())
    }
}

/// The default search queries: `(@a OR to:a OR @b OR to:b …) -is:retweet`, split so each stays
/// within [`MAX_QUERY_CHARS`].
pub fn default_queries(handles: &[String]) -> Vec<String> {
    const TAIL: &str = " -is:retweet";
    let mut out = Vec::new();
    let mut terms: Vec<String> = Vec::new();
    let render = |terms: &[String]| format!("({}){TAIL}", terms.join(" OR "));
    for h in handles {
        let pair = [format!("@{h}"), format!("to:{h}")];
        let mut next = terms.clone();
        next.extend(pair.iter().cloned());
        if !terms.is_empty() && render(&next).chars().count() > MAX_QUERY_CHARS {
            out.push(render(&terms));
            terms = pair.to_vec();
        } else {
            terms = next;
        }
    }
    if !terms.is_empty() {
        out.push(render(&terms));
    }
    out
}
