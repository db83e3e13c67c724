//! The `[collect]` section: retry settings shared by every platform collector, and one
//! `[collect.<platform>]` section per platform (defined in the platform's own `config.rs`).
//!
//! Every platform section has the same core fields — `enabled`, `base_url` (default: the
//! official host), `token_env` (the *name* of the environment variable holding the token; the
//! token itself is read at run time and never stored), `accounts` (override of the watched
//! accounts), `max_pages`, `page_size`, `lookback_days`, `max_wait_secs` — plus its own. This
//! module checks the core fields ([`CoreFields::validate`]) and turns them into checked
//! [`Core`] settings; the platform's `build()` adds the rest.

use super::error::BuildError;
use super::retry::RetryPolicy;
use super::{facebook, instagram, mastodon, x, youtube};
use crate::catalog::Catalog;
use crate::model::Platform;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::time::Duration;

/// `[collect]`: the platform collectors.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectConfig {
    /// Retries of one request after a timeout, a 5xx or a rate limit. Default 5.
    pub max_retries: u32,
    /// First retry delay in milliseconds; it doubles per retry, with jitter. Default 500.
    pub retry_base_ms: u64,
    /// Largest retry delay in milliseconds. Default 60000.
    pub retry_max_ms: u64,
    /// Timeout of one HTTP request in seconds. Default 30.
    pub timeout_secs: u64,
    /// Longest a platform may harvest in one run, in seconds; then it stops with its cursors
    /// kept and resumes on the next run. Default 1800.
    pub time_budget_secs: u64,
    /// X API v2.
    pub x: x::XConfig,
    /// Instagram Graph API.
    pub instagram: instagram::InstagramConfig,
    /// Facebook Pages (Graph API).
    pub facebook: facebook::FacebookConfig,
    /// YouTube Data API v3.
    pub youtube: youtube::YoutubeConfig,
    /// Mastodon.
    pub mastodon: mastodon::MastodonConfig,
}

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            max_retries: 5,
            retry_base_ms: 500,
            retry_max_ms: 60_000,
            timeout_secs: 30,
            time_budget_secs: 1800,
            x: Default::default(),
            instagram: Default::default(),
            facebook: Default::default(),
            youtube: Default::default(),
            mastodon: Default::default(),
        }
    }
}

/// A config value that is out of range: the dotted key and why.
pub type Invalid = (String, String);

impl CollectConfig {
    /// Checks every value types cannot.
    pub fn validate(&self) -> Result<(), Invalid> {
        let bad = |k: &str, m: String| Err((format!("collect.{k}"), m));
        if self.max_retries > 20 {
            return bad(
                "max_retries",
                format!("at most 20, got {}", self.max_retries),
            );
        }
        if self.retry_base_ms == 0 || self.retry_base_ms > self.retry_max_ms {
            return bad(
                "retry_base_ms",
                format!(
                    "must be at least 1 and at most retry_max_ms ({}), got {}",
                    self.retry_max_ms, self.retry_base_ms
                ),
            );
        }
        if !(1..=600).contains(&self.timeout_secs) {
            return bad(
                "timeout_secs",
                format!("must be 1–600, got {}", self.timeout_secs),
            );
        }
        if !(1..=86_400).contains(&self.time_budget_secs) {
            return bad(
                "time_budget_secs",
                format!("must be 1–86400, got {}", self.time_budget_secs),
            );
        }
        self.x.core().validate("x", x::PAGE_SIZES)?;
        self.x.validate()?;
        self.instagram
            .core()
            .validate("instagram", instagram::PAGE_SIZES)?;
        self.instagram.validate()?;
        self.facebook
            .core()
            .validate("facebook", facebook::PAGE_SIZES)?;
        self.youtube
            .core()
            .validate("youtube", youtube::PAGE_SIZES)?;
        self.mastodon
            .core()
            .validate("mastodon", mastodon::PAGE_SIZES)?;
        self.mastodon.validate()?;
        Ok(())
    }

    /// The platforms whose section says `enabled = true`, in [`super::PLATFORMS`] order.
    pub fn enabled(&self) -> Vec<Platform> {
        super::PLATFORMS
            .into_iter()
            .filter(|p| match p {
                Platform::X => self.x.enabled,
                Platform::Instagram => self.instagram.enabled,
                Platform::Facebook => self.facebook.enabled,
                Platform::Youtube => self.youtube.enabled,
                Platform::Mastodon => self.mastodon.enabled,
                Platform::File => false,
            })
            .collect()
    }

    /// The retry policy of a platform with this `max_wait_secs`.
    pub fn policy(&self, max_wait_secs: u64) -> RetryPolicy {
        RetryPolicy {
            max_retries: self.max_retries,
            base_delay: Duration::from_millis(self.retry_base_ms),
            max_delay: Duration::from_millis(self.retry_max_ms),
            max_wait: Duration::from_secs(max_wait_secs),
            timeout: Duration::from_secs(self.timeout_secs),
        }
    }
}

/// The core fields of a platform section, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct CoreFields<'a> {
    pub base_url: &'a str,
    pub token_env: &'a str,
    pub accounts: &'a BTreeMap<String, String>,
    pub max_pages: u32,
    pub page_size: u32,
    pub lookback_days: u32,
    pub max_wait_secs: u64,
}

/// A watched account on one platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// Handle without `@`, lowercase: the `account` of the posts harvested for it.
    pub handle: String,
    /// The platform's id of the account, when known.
    pub id: Option<String>,
}

/// Checked core settings.
#[derive(Debug, Clone)]
pub struct Core {
    pub base_url: Url,
    pub token_env: String,
    pub accounts: Vec<Watched>,
    pub max_pages: u32,
    pub page_size: u32,
    pub lookback: chrono::Duration,
    pub policy: RetryPolicy,
}

impl CoreFields<'_> {
    /// Checks the core fields of `[collect.<name>]`.
    pub fn validate(&self, name: &str, page_sizes: RangeInclusive<u32>) -> Result<(), Invalid> {
        let key = |k: &str| format!("collect.{name}.{k}");
        match Url::parse(self.base_url) {
            Ok(u) if (u.scheme() == "https" || u.scheme() == "http") && u.host().is_some() => {}
            _ => {
                return Err((
                    key("base_url"),
                    format!("`{}` is not an http(s) URL", self.base_url),
                ))
            }
        }
        let env_ok = !self.token_env.is_empty()
            && self
                .token_env
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !self.token_env.starts_with(|c: char| c.is_ascii_digit());
        if !env_ok {
            return Err((
                key("token_env"),
                format!(
                    "`{}` is not an environment variable name (the variable's name goes here, not the token)",
                    self.token_env
                ),
            ));
        }
        if !(1..=1000).contains(&self.max_pages) {
            return Err((
                key("max_pages"),
                format!("must be 1–1000, got {}", self.max_pages),
            ));
        }
        if !page_sizes.contains(&self.page_size) {
            return Err((
                key("page_size"),
                format!(
                    "must be {}–{}, got {}",
                    page_sizes.start(),
                    page_sizes.end(),
                    self.page_size
                ),
            ));
        }
        if !(1..=3650).contains(&self.lookback_days) {
            return Err((
                key("lookback_days"),
                format!("must be 1–3650, got {}", self.lookback_days),
            ));
        }
        if self.max_wait_secs > 86_400 {
            return Err((
                key("max_wait_secs"),
                format!("at most 86400, got {}", self.max_wait_secs),
            ));
        }
        for handle in self.accounts.keys() {
            if handle.trim_start_matches('@').is_empty() {
                return Err((key("accounts"), "an account handle is empty".to_string()));
            }
        }
        Ok(())
    }

    /// Checked core settings; the watched accounts come from `accounts` when it is not empty,
    /// else from the catalog's accounts listed on `platform`.
    pub fn build(
        &self,
        platform: Platform,
        collect: &CollectConfig,
        catalog: &Catalog,
    ) -> Result<Core, BuildError> {
        let accounts: Vec<Watched> = if self.accounts.is_empty() {
            catalog
                .accounts
                .iter()
                .filter(|a| {
                    a.platforms
                        .iter()
                        .any(|p| Platform::parse(p) == Some(platform))
                })
                .map(|a| Watched {
                    handle: a.handle.trim_start_matches('@').to_lowercase(),
                    id: a
                        .ids
                        .get(platform.as_str())
                        .filter(|i| !i.trim().is_empty())
                        .map(|i| i.trim().to_string()),
                })
                .collect()
        } else {
            self.accounts
                .iter()
                .map(|(h, id)| Watched {
                    handle: h.trim_start_matches('@').to_lowercase(),
                    id: Some(id.trim().to_string()).filter(|i| !i.is_empty()),
                })
                .collect()
        };
        Ok(Core {
            base_url: Url::parse(self.base_url)
                .map_err(|e| BuildError::Client(format!("base_url: {e}")))?,
            token_env: self.token_env.to_string(),
            accounts,
            max_pages: self.max_pages,
            page_size: self.page_size,
            lookback: chrono::Duration::days(i64::from(self.lookback_days)),
            policy: collect.policy(self.max_wait_secs),
        })
    }
}

impl Core {
    /// The watched accounts, each with its id, or an error naming the first one without.
    pub fn accounts_with_ids(
        &self,
        platform: &'static str,
    ) -> Result<Vec<(String, String)>, BuildError> {
        if self.accounts.is_empty() {
            return Err(BuildError::NoAccounts);
        }
        self.accounts
            .iter()
            .map(|a| match &a.id {
                Some(id) => Ok((a.handle.clone(), id.clone())),
                None => Err(BuildError::MissingId {
                    handle: a.handle.clone(),
                    platform,
                }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_disabled() {
        let c = CollectConfig::default();
        c.validate().unwrap();
        assert!(c.enabled().is_empty());
    }

    #[test]
    fn core_fields_are_checked() {
        let accounts = BTreeMap::new();
        let ok = CoreFields {
            base_url: "https://api.x.com",
            token_env: "DENGAR_X_TOKEN",
            accounts: &accounts,
            max_pages: 10,
            page_size: 100,
            lookback_days: 7,
            max_wait_secs: 900,
        };
        ok.validate("x", 10..=100).unwrap();
        let cases = [
            (
                CoreFields {
                    base_url: "api.x.com",
                    ..ok
                },
                "collect.x.base_url",
            ),
            (
                CoreFields {
                    token_env: "AAAA-BBB.token",
                    ..ok
                },
                "collect.x.token_env",
            ),
            (CoreFields { max_pages: 0, ..ok }, "collect.x.max_pages"),
            (
                CoreFields {
                    page_size: 500,
                    ..ok
                },
                "collect.x.page_size",
            ),
            (
                CoreFields {
                    lookback_days: 0,
                    ..ok
                },
                "collect.x.lookback_days",
            ),
            (
                CoreFields {
                    max_wait_secs: 100_000,
                    ..ok
                },
                "collect.x.max_wait_secs",
            ),
        ];
        for (fields, key) in cases {
            assert_eq!(fields.validate("x", 10..=100).unwrap_err().0, key);
        }
    }

    #[test]
    fn accounts_come_from_the_catalog_unless_overridden() {
        let catalog = Catalog::embedded();
        let collect = CollectConfig::default();
        let none = BTreeMap::new();
        let fields = CoreFields {
            base_url: "https://graph.facebook.com/v21.0",
            token_env: "T",
            accounts: &none,
            max_pages: 1,
            page_size: 10,
            lookback_days: 7,
            max_wait_secs: 0,
        };
        let core = fields.build(Platform::Youtube, &collect, &catalog).unwrap();
        let handles: Vec<_> = core.accounts.iter().map(|a| a.handle.as_str()).collect();
        assert_eq!(handles, ["pemkot_bjm", "diskominfotik_bjm"]);
        assert!(matches!(
            core.accounts_with_ids("youtube"),
            Err(BuildError::MissingId { .. })
        ));
        let mut over = BTreeMap::new();
        over.insert("@PemKot_BJM".to_string(), "UC123".to_string());
        let core = CoreFields {
            accounts: &over,
            ..fields
        }
        .build(Platform::Youtube, &collect, &catalog)
        .unwrap();
        assert_eq!(
            core.accounts_with_ids("youtube").unwrap(),
            [("pemkot_bjm".to_string(), "UC123".to_string())]
        );
    }
}
