//! `[collect.facebook]`: settings of the Facebook Pages collector, defaults and `build()`.

use super::collector::FacebookCollector;
use crate::catalog::Catalog;
use crate::collect::config::{CollectConfig, CoreFields};
use crate::collect::http::Secret;
use crate::collect::BuildError;
use crate::model::Platform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Allowed `page_size` (`limit`).
pub const PAGE_SIZES: RangeInclusive<u32> = 1..=100;

/// The default Graph API version in `base_url`.
pub const GRAPH_BASE: &str = "https://graph.facebook.com/v21.0";

/// `[collect.facebook]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FacebookConfig {
    /// Harvest Facebook on `harvest` and `nightly`. Default false.
    pub enabled: bool,
    /// Graph API base URL, with its version. Default `https://graph.facebook.com/v21.0`.
    pub base_url: String,
    /// Name of the environment variable holding a Page access token (with
    /// `pages_read_engagement`, `pages_read_user_content` and the MODERATE task, so comment ids
    /// are returned). Default `DENGAR_FACEBOOK_TOKEN`.
    pub token_env: String,
    /// Watched Pages, handle → Page id. Default: the accounts file's accounts with `facebook` in
    /// `platforms` and an `ids.facebook`.
    pub accounts: BTreeMap<String, String>,
    /// Most pages read per stream (feed, tagged, one post's comments) per run. Default 10.
    pub max_pages: u32,
    /// Items per page (`limit`, 1–100). Default 50.
    pub page_size: u32,
    /// Posts younger than this many days have their comments harvested; also how far back the
    /// first run reaches. Default 7.
    pub lookback_days: u32,
    /// Longest wait after a throttling error in seconds; longer stops Facebook until the next
    /// run. Default 300.
    pub max_wait_secs: u64,
    /// Harvest `/{page-id}/tagged` besides the feed. Default true.
    pub tagged: bool,
    /// Harvest the comments of recent posts. Default true.
    pub comments: bool,
}

impl Default for FacebookConfig {
    fn default() -> Self {
        FacebookConfig {
            enabled: false,
            base_url: GRAPH_BASE.to_string(),
            token_env: "DENGAR_FACEBOOK_TOKEN".to_string(),
            accounts: BTreeMap::new(),
            max_pages: 10,
            page_size: 50,
            lookback_days: 7,
            max_wait_secs: 300,
            tagged: true,
            comments: true,
        }
    }
}

impl FacebookConfig {
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

    /// The collector, with the token read from `token_env` now.
    pub fn build(
        &self,
        collect: &CollectConfig,
        catalog: &Catalog,
    ) -> Result<FacebookCollector, BuildError> {
        let core = self.core().build(Platform::Facebook, collect, catalog)?;
        let pages = core.accounts_with_ids("facebook")?;
        let token = Secret::from_env(&core.token_env)?;
        FacebookCollector::new(core, token, pages, self.tagged, self.comments)
    }
}
