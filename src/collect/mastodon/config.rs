//! `[collect.mastodon]`: settings of the Mastodon collector, their defaults, checks and `build()`.

use super::collector::MastodonCollector;
use crate::catalog::Catalog;
use crate::collect::config::{CollectConfig, CoreFields, Invalid};
use crate::collect::http::{Auth, Secret};
use crate::collect::BuildError;
use crate::model::Platform;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Allowed `page_size` (`limit`: notifications take up to 80, tag timelines 40, so 1–40).
pub const PAGE_SIZES: RangeInclusive<u32> = 1..=40;

/// `[collect.mastodon]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MastodonConfig {
    /// Harvest Mastodon on `harvest` and `nightly`. Default false.
    pub enabled: bool,
    /// The instance where the city's account lives. Default `https://mastodon.social`.
    pub base_url: String,
    /// Name of the environment variable holding the account's access token (scope
    /// `read:notifications read:statuses`). Default `DENGAR_MASTODON_TOKEN`.
    pub token_env: String,
    /// The watched account, handle → `""` (Mastodon needs no id: the token says whose
    /// notifications these are). Default: the accounts file's first account with `mastodon`.
    pub accounts: BTreeMap<String, String>,
    /// Most pages read per stream per run. Default 10.
    pub max_pages: u32,
    /// Items per page (`limit`, 1–40). Default 40.
    pub page_size: u32,
    /// How far back the first run reaches, in days. Default 7.
    pub lookback_days: u32,
    /// Longest wait for a rate-limit reset in seconds (Mastodon windows are 5 minutes).
    /// Default 300.
    pub max_wait_secs: u64,
    /// Read the account's mention notifications. Default true.
    pub notifications: bool,
    /// Hashtags (without `#`) whose public timelines are harvested. Default none.
    pub hashtags: Vec<String>,
}

impl Default for MastodonConfig {
    fn default() -> Self {
        MastodonConfig {
            enabled: false,
            base_url: "https://mastodon.social".to_string(),
            token_env: "DENGAR_MASTODON_TOKEN".to_string(),
            accounts: BTreeMap::new(),
            max_pages: 10,
            page_size: 40,
            lookback_days: 7,
            max_wait_secs: 300,
            notifications: true,
            hashtags: Vec::new(),
        }
    }
}

impl MastodonConfig {
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

    /// Checks the Mastodon-specific fields.
    pub fn validate(&self) -> Result<(), Invalid> {
        for (i, t) in self.hashtags.iter().enumerate() {
            let t = t.trim_start_matches('#');
            if t.is_empty() || !t.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err((
                    format!("collect.mastodon.hashtags[{i}]"),
                    format!("`{t}` is not a hashtag (letters, digits and _ only)"),
                ));
            }
        }
        Ok(())
    }

    /// The collector, with the token read from `token_env` now (optional when only public
    /// hashtag timelines are harvested).
    pub fn build(
        &self,
        collect: &CollectConfig,
        catalog: &Catalog,
    ) -> Result<MastodonCollector, BuildError> {
        let core = self.core().build(Platform::Mastodon, collect, catalog)?;
        let owner = core
            .accounts
            .first()
            .map(|a| a.handle.clone())
            .ok_or(BuildError::NoAccounts)?;
        let auth = match Secret::from_env(&core.token_env) {
            Ok(t) => Auth::Bearer(t),
            Err(e) if self.notifications => return Err(e),
            Err(_) => Auth::None,
        };
        let hashtags = self
            .hashtags
            .iter()
            .map(|t| t.trim_start_matches('#').to_string())
            .collect();
        MastodonCollector::new(core, auth, owner, self.notifications, hashtags)
    }
}
