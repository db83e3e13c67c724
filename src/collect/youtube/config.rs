//! `[collect.youtube]`: settings of the YouTube collector, their defaults, checks and `build()`.

use super::collector::YoutubeCollector;
use crate::catalog::Catalog;
use crate::collect::config::{CollectConfig, CoreFields};
use crate::collect::http::{Auth, Secret};
use crate::collect::BuildError;
use crate::model::Platform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Allowed `page_size` (`maxResults`, 1–100).
pub const PAGE_SIZES: RangeInclusive<u32> = 1..=100;

/// `[collect.youtube]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct YoutubeConfig {
    /// Harvest YouTube on `harvest` and `nightly`. Default false.
    pub enabled: bool,
    /// API base URL. Default `https://www.googleapis.com/youtube/v3`.
    pub base_url: String,
    /// Name of the environment variable holding the API key (or the OAuth access token when
    /// `oauth = true`). Default `DENGAR_YOUTUBE_KEY`.
    pub token_env: String,
    /// Watched channels, handle → channel id (`UC…`). Default: the accounts file's accounts with
    /// `youtube` in `platforms` and an `ids.youtube`.
    pub accounts: BTreeMap<String, String>,
    /// Most comment-thread pages read per channel per run. Default 10.
    pub max_pages: u32,
    /// Threads per page (`maxResults`, 1–100). Default 100.
    pub page_size: u32,
    /// How far back the first run reaches, in days. Default 7.
    pub lookback_days: u32,
    /// Longest wait after `rateLimitExceeded` in seconds (an exhausted daily quota always stops
    /// YouTube until the next run). Default 60.
    pub max_wait_secs: u64,
    /// Send the token as `Authorization: Bearer` (OAuth) instead of `key=` (API key).
    /// Default false.
    pub oauth: bool,
    /// Fetch every reply of a thread with `comments.list` when the thread carries only some.
    /// Default true.
    pub all_replies: bool,
}

impl Default for YoutubeConfig {
    fn default() -> Self {
        YoutubeConfig {
            enabled: false,
            base_url: "https://www.googleapis.com/youtube/v3".to_string(),
            token_env: "DENGAR_YOUTUBE_KEY".to_string(),
            accounts: BTreeMap::new(),
            max_pages: 10,
            page_size: 100,
            lookback_days: 7,
            max_wait_secs: 60,
            oauth: false,
            all_replies: true,
        }
    }
}

impl YoutubeConfig {
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

    /// The collector, with the key read from `token_env` now.
    pub fn build(
        &self,
        collect: &CollectConfig,
        catalog: &Catalog,
    ) -> Result<YoutubeCollector, BuildError> {
        let core = self.core().build(Platform::Youtube, collect, catalog)?;
        let channels = core.accounts_with_ids("youtube")?;
        let token = Secret::from_env(&core.token_env)?;
        let auth = if self.oauth {
            Auth::Bearer(token)
        } else {
            Auth::Query { name: "key", token }
        };
        YoutubeCollector::new(core, auth, channels, self.all_replies)
    }
}
