//! The `[forward]` configuration section: which receiver reports go to, the retry policy and
//! each receiver's own settings. Tokens and API keys are never in the file: each receiver names
//! the environment variable that holds its secret.
//!
//! ```toml
//! [forward]
//! target = "lapor"            # lapor | open311 | file (default file)
//!
//! [forward.retry]
//! max_attempts = 3
//! initial_backoff_ms = 1000
//! max_backoff_ms = 30000
//!
//! [forward.lapor]
//! url = "https://api.lapor.example/v1/laporan"
//! token_env = "DENGAR_LAPOR_TOKEN"
//! ```

use super::file::FileConfig;
use super::forwarder::Forwarder;
use super::lapor::LaporConfig;
use super::open311::Open311Config;
use super::retry::RetryPolicy;
use super::{AnyForwarder, FileForwarder, LaporForwarder, Open311Forwarder};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// The receivers dengar can forward to. A closed list: adding one is a code change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// The SP4N-LAPOR! integration API (HTTP JSON).
    Lapor,
    /// An Open311 GeoReport v2 endpoint.
    Open311,
    /// CSV and JSONL files for manual entry in LAPOR's admin panel.
    File,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Lapor, Target::Open311, Target::File];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Lapor => "lapor",
            Target::Open311 => "open311",
            Target::File => "file",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Errors building a forwarder from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum ForwardConfigError {
    #[error("forward target `{0}` is not configured: add a [forward.{0}] section")]
    Missing(Target),
    #[error("environment variable {var} (forward.{target}) is not set: it must hold the {what}")]
    MissingSecret {
        target: Target,
        var: String,
        what: &'static str,
    },
    #[error("forward.{target}: {message}")]
    Invalid { target: Target, message: String },
}

/// The `[forward]` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ForwardConfig {
    /// Where `forward` and `nightly` send reports unless `--target` says otherwise: `lapor`,
    /// `open311` or `file`. Default `file` (CSV/JSONL in the data directory), which needs no
    /// token.
    pub target: Target,
    /// Whether `nightly` forwards what staff accepted. Default true.
    pub nightly: bool,
    /// Retries within a run.
    pub retry: RetryConfig,
    /// The LAPOR integration API. Default none.
    pub lapor: Option<LaporConfig>,
    /// An Open311 GeoReport v2 endpoint. Default none.
    pub open311: Option<Open311Config>,
    /// CSV/JSONL files.
    pub file: FileConfig,
}

impl Default for ForwardConfig {
    fn default() -> Self {
        ForwardConfig {
            target: Target::File,
            nightly: true,
            retry: RetryConfig::default(),
            lapor: None,
            open311: None,
            file: FileConfig::default(),
        }
    }
}

/// `[forward.retry]`: capped exponential backoff with jitter within one run; what still fails
/// is tried again on the next run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Attempts per report per run, the first included. Default 3.
    pub max_attempts: u32,
    /// Wait before the second attempt, doubled for each later one. Default 1000 ms.
    pub initial_backoff_ms: u64,
    /// Longest wait between attempts. Default 30000 ms.
    pub max_backoff_ms: u64,
    /// Randomise waits (between half and all of each). Default true.
    pub jitter: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff_ms: 1000,
            max_backoff_ms: 30_000,
            jitter: true,
        }
    }
}

impl RetryConfig {
    /// The checked policy.
    pub fn policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            initial_backoff: Duration::from_millis(self.initial_backoff_ms),
            max_backoff: Duration::from_millis(self.max_backoff_ms),
            jitter: self.jitter,
        }
    }
}

impl ForwardConfig {
    /// Problems types cannot catch, as (key below `forward.`, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let r = &self.retry;
        if !(1..=20).contains(&r.max_attempts) {
            out.push((
                "retry.max_attempts".into(),
                format!("must be between 1 and 20, got {}", r.max_attempts),
            ));
        }
        if r.initial_backoff_ms > r.max_backoff_ms {
            out.push((
                "retry.initial_backoff_ms".into(),
                format!(
                    "must not exceed retry.max_backoff_ms ({} > {})",
                    r.initial_backoff_ms, r.max_backoff_ms
                ),
            ));
        }
        if r.max_backoff_ms > 600_000 {
            out.push((
                "retry.max_backoff_ms".into(),
                format!("at most 600000 (10 minutes), got {}", r.max_backoff_ms),
            ));
        }
        match self.target {
            Target::Lapor if self.lapor.is_none() => out.push((
                "target".into(),
                "is `lapor` but there is no [forward.lapor] section".into(),
            )),
            Target::Open311 if self.open311.is_none() => out.push((
                "target".into(),
                "is `open311` but there is no [forward.open311] section".into(),
            )),
            _ => {}
        }
        if let Some(l) = &self.lapor {
            out.extend(
                l.problems()
                    .into_iter()
                    .map(|(k, m)| (format!("lapor.{k}"), m)),
            );
        }
        if let Some(o) = &self.open311 {
            out.extend(
                o.problems()
                    .into_iter()
                    .map(|(k, m)| (format!("open311.{k}"), m)),
            );
        }
        out.extend(
            self.file
                .problems()
                .into_iter()
                .map(|(k, m)| (format!("file.{k}"), m)),
        );
        out
    }

    /// Builds the forwarder for `target`, reading its secret from the environment.
    /// `data_dir` is where the file target writes by default.
    pub fn build(
        &self,
        target: Target,
        data_dir: &Path,
    ) -> Result<AnyForwarder, ForwardConfigError> {
        let policy = self.retry.policy();
        let f = match target {
            Target::Lapor => {
                let c = self
                    .lapor
                    .as_ref()
                    .ok_or(ForwardConfigError::Missing(target))?;
                AnyForwarder::Lapor(Box::new(LaporForwarder::build(c, policy)?))
            }
            Target::Open311 => {
                let c = self
                    .open311
                    .as_ref()
                    .ok_or(ForwardConfigError::Missing(target))?;
                AnyForwarder::Open311(Open311Forwarder::build(c, policy)?)
            }
            Target::File => AnyForwarder::File(FileForwarder::build(&self.file, data_dir, policy)),
        };
        debug_assert_eq!(f.name(), target.as_str());
        Ok(f)
    }
}

impl ForwardConfig {
    /// Builds the forwarder for a dry run: like [`ForwardConfig::build`], but a secret that is
    /// not set does not matter, since nothing is sent.
    pub fn build_for_preview(
        &self,
        target: Target,
        data_dir: &Path,
    ) -> Result<AnyForwarder, ForwardConfigError> {
        match self.build(target, data_dir) {
            Err(ForwardConfigError::MissingSecret { .. }) => {
                let policy = self.retry.policy();
                let none = super::http::Secret::new("");
                Ok(match target {
                    Target::Lapor => {
                        let c = self
                            .lapor
                            .as_ref()
                            .ok_or(ForwardConfigError::Missing(target))?;
                        AnyForwarder::Lapor(Box::new(LaporForwarder::with_token(c, none, policy)?))
                    }
                    Target::Open311 => {
                        let c = self
                            .open311
                            .as_ref()
                            .ok_or(ForwardConfigError::Missing(target))?;
                        AnyForwarder::Open311(Open311Forwarder::with_key(c, Some(none), policy)?)
                    }
                    Target::File => {
                        AnyForwarder::File(FileForwarder::build(&self.file, data_dir, policy))
                    }
                })
            }
            other => other,
        }
    }
}

/// Whether a URL is absolute http(s).
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        Ok(u) => Err(format!(
            "`{url}` must be an http or https URL, not {}",
            u.scheme()
        )),
        Err(e) => Err(format!("`{url}` is not a URL: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_file_and_valid() {
        let c = ForwardConfig::default();
        assert_eq!(c.target, Target::File);
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        let f = c.build(Target::File, Path::new("/tmp/x")).unwrap();
        assert_eq!(f.name(), "file");
        let err = c.build(Target::Lapor, Path::new("/tmp/x")).unwrap_err();
        assert!(err.to_string().contains("[forward.lapor]"), "{err}");
    }

    #[test]
    fn retry_values_are_checked() {
        let mut c = ForwardConfig::default();
        c.retry.max_attempts = 0;
        c.retry.initial_backoff_ms = 50_000;
        let keys: Vec<String> = c.problems().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["retry.max_attempts", "retry.initial_backoff_ms"]);
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://lapor.example/api").is_ok());
        assert!(check_url("ftp://x").is_err());
        assert!(check_url("lapor.example").is_err());
    }
}
