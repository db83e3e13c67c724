//! `[forward.open311]`: an Open311 GeoReport v2 endpoint.
//!
//! ```toml
//! [forward.open311]
//! base_url = "https://311.example.go.id/georeport/v2"
//! api_key_env = "DENGAR_OPEN311_API_KEY"
//! default_service_code = "umum"
//! [forward.open311.service_codes]
//! dinas-pupr = "jalan-rusak"
//! dlh = "sampah"
//! ```

use super::super::config::check_url;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The Open311 receiver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open311Config {
    /// Endpoint base, without `/requests.json`. Required.
    pub base_url: String,
    /// Environment variable that holds the `api_key` (never the file). Default
    /// `DENGAR_OPEN311_API_KEY`; empty for an endpoint that takes no key.
    #[serde(default = "default_api_key_env")]
    pub api_key_env: String,
    /// `jurisdiction_id`, for endpoints that serve several cities. Default none.
    #[serde(default)]
    pub jurisdiction_id: Option<String>,
    /// Agency code → `service_code`.
    #[serde(default)]
    pub service_codes: BTreeMap<String, String>,
    /// `service_code` for agencies not in `service_codes`. Default none: their reports fail
    /// with a message naming the agency.
    #[serde(default)]
    pub default_service_code: Option<String>,
    /// Appended to the place in `address_string`, and sent alone when no place was found.
    /// Default `Kota Banjarmasin`.
    #[serde(default = "default_city")]
    pub city: String,
    /// Longest `description` sent (title and body); longer ones are cut. Default 4000.
    #[serde(default = "default_max_description")]
    pub max_description: usize,
    /// Request timeout. Default 30000 ms.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_api_key_env() -> String {
    "DENGAR_OPEN311_API_KEY".into()
}
fn default_city() -> String {
    "Kota Banjarmasin".into()
}
fn default_max_description() -> usize {
    4000
}
fn default_timeout_ms() -> u64 {
    30_000
}

impl Open311Config {
    /// A config with every default, this base URL and a default service code.
    pub fn with_base_url(base_url: &str, default_service_code: &str) -> Open311Config {
        Open311Config {
            base_url: base_url.to_string(),
            api_key_env: default_api_key_env(),
            jurisdiction_id: None,
            service_codes: BTreeMap::new(),
            default_service_code: Some(default_service_code.to_string()),
            city: default_city(),
            max_description: default_max_description(),
            timeout_ms: default_timeout_ms(),
        }
    }

    /// `base_url` without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The service code for an agency.
    pub fn service_code(&self, agency: &str) -> Option<&str> {
        self.service_codes
            .get(agency)
            .or(self.default_service_code.as_ref())
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    /// Problems as (key, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Err(m) = check_url(&self.base_url) {
            out.push(("base_url".into(), m));
        }
        if self.service_codes.is_empty() && self.default_service_code.is_none() {
            out.push((
                "service_codes".into(),
                "map at least one agency to a service_code, or set default_service_code".into(),
            ));
        }
        if !(100..=600_000).contains(&self.timeout_ms) {
            out.push((
                "timeout_ms".into(),
                format!("must be between 100 and 600000, got {}", self.timeout_ms),
            ));
        }
        if self.max_description < 100 {
            out.push((
                "max_description".into(),
                format!("at least 100, got {}", self.max_description),
            ));
        }
        out
    }
}
