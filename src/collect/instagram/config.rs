//! `[collect.instagram]`: settings of the Instagram collector and of its mentions webhook,
//! defaults, checks and `build()`.

use super::collector::InstagramCollector;
use crate::catalog::Catalog;
use crate::collect::config::{CollectConfig, CoreFields, Invalid};
use crate::collect::facebook::PAGE_SIZES as GRAPH_PAGE_SIZES;
use crate::collect::http::Secret;
use crate::collect::BuildError;
use crate::model::Platform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Allowed `page_size` (`limit`).
pub const PAGE_SIZES: RangeInclusive<u32> = GRAPH_PAGE_SIZES;

/// `[collect.instagram]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstagramConfig {
    /// Harvest Instagram on `harvest` and `nightly`. Default false.
    pub enabled: bool,
    /// Graph API base URL, with its version. Default `https://graph.facebook.com/v21.0`.
    pub base_url: String,
    /// Name of the environment variable holding the access token (a Page or system-user token
    /// with `instagram_basic`, `instagram_manage_comments`, `pages_read_engagement`).
    /// Default `DENGAR_INSTAGRAM_TOKEN`.
    pub token_env: String,
    /// Watched accounts, handle → Instagram professional account id (`1784…`). Default: the
    /// accounts file's accounts with `instagram` in `platforms` and an `ids.instagram`.
    pub accounts: BTreeMap<String, String>,
    /// Most pages read per stream (media list, one media's comments, tags) per run. Default 10.
    pub max_pages: u32,
    /// Items per page (`limit`, 1–100). Default 50.
    pub page_size: u32,
    /// Media younger than this many days have their comments harvested; also how far back the
    /// first run reaches for tagged media. Default 7.
    pub lookback_days: u32,
    /// Longest wait after a throttling error in seconds; longer stops Instagram until the next
    /// run. Default 300.
    pub max_wait_secs: u64,
    /// Harvest comments and replies on the accounts' own media. Default true.
    pub comments: bool,
    /// Harvest media where the accounts are photo-tagged. Default true.
    pub tags: bool,
    /// Fetch the @mentions announced by the webhook. Default true.
    pub mentions: bool,
    /// Name of the environment variable holding the webhook verify token (the string you type
    /// in the app dashboard's webhook settings). Default `DENGAR_INSTAGRAM_VERIFY_TOKEN`.
    pub verify_token_env: String,
    /// Name of the environment variable holding the Meta app secret, which signs webhook
    /// deliveries (`X-Hub-Signature-256`). Default `DENGAR_INSTAGRAM_APP_SECRET`.
    pub app_secret_env: String,
}

impl Default for InstagramConfig {
    fn default() -> Self {
        InstagramConfig {
            enabled: false,
            base_url: crate::collect::facebook::GRAPH_BASE.to_string(),
            token_env: "DENGAR_INSTAGRAM_TOKEN".to_string(),
            accounts: BTreeMap::new(),
            max_pages: 10,
            page_size: 50,
            lookback_days: 7,
            max_wait_secs: 300,
            comments: true,
            tags: true,
            mentions: true,
            verify_token_env: "DENGAR_INSTAGRAM_VERIFY_TOKEN".to_string(),
            app_secret_env: "DENGAR_INSTAGRAM_APP_SECRET".to_string(),
        }
    }
}

impl InstagramConfig {
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

    /// Checks the Instagram-specific fields.
    pub fn validate(&self) -> Result<(), Invalid> {
        for (key, v) in [
            ("verify_token_env", &self.verify_token_env),
            ("app_secret_env", &self.app_secret_env),
        ] {
            if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err((
                    format!("collect.instagram.{key}"),
                    format!("`{v}` is not an environment variable name"),
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
    ) -> Result<InstagramCollector, BuildError> {
        let core = self.core().build(Platform::Instagram, collect, catalog)?;
        let accounts = core.accounts_with_ids("instagram")?;
        let token = Secret::from_env(&core.token_env)?;
        InstagramCollector::new(
            core,
            token,
            accounts,
            self.comments,
            self.tags,
            self.mentions,
        )
    }
}
