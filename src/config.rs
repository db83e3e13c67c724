//! The TOML configuration: every field documented and defaulted, the whole file validated before
//! any work starts.
//!
//! Raw TOML is deserialised with unknown keys refused (`deny_unknown_fields`) and the path of a
//! bad key reported (`serde_path_to_error`), then [`Config::validate`] checks values that types
//! cannot (ranges, files that must exist). Only a validated config is handed to the pipeline.
//! With no file, [`Config::default`] is the embedded default: import the demo feed, use the
//! shipped models and the shipped agency and account lists.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Errors reading or validating the configuration. Each names the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid TOML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("config file {path}: key `{key}`: {message}")]
    Key {
        path: PathBuf,
        key: String,
        message: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the store lives; the `--data-dir` flag overrides it. Default `./dengar-data`.
    pub data_dir: Option<PathBuf>,
    /// Reference data: agencies and watched accounts.
    pub data: DataConfig,
    /// Files `nightly` imports besides the platform collectors, and the demo-feed fallback.
    pub harvest: HarvestConfig,
    /// The classifier.
    pub classify: ClassifyConfig,
    /// The text analyzer.
    pub text: TextConfig,
    /// The review web page (`dengar serve`).
    pub web: WebConfig,
    /// How long citizens' data is kept (UU 27/2022 on personal data protection).
    pub retention: RetentionConfig,
    /// When the nightly run starts and when a run counts as stuck or overdue.
    pub schedule: ScheduleConfig,
    /// Where accepted reports are forwarded (`[forward]`, `[forward.lapor]`, ...).
    pub forward: crate::forward::ForwardConfig,
    /// Platform collectors (`[collect]`, `[collect.x]`, `[collect.instagram]`, …).
    pub collect: crate::collect::CollectConfig,
}

/// Reference data files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// Agency taxonomy (TOML, like `data/agencies.toml`). Default: the shipped Banjarmasin list.
    pub agencies: Option<PathBuf>,
    /// Watched accounts (TOML, like `data/accounts.toml`). Default: the shipped Banjarmasin list.
    pub accounts: Option<PathBuf>,
}

/// File harvesting for runs without platform tokens.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HarvestConfig {
    /// Import the embedded demo feed (`data/demo/`) when no file and no platform
    /// (`[collect.<platform>] enabled`) is configured. Default true.
    pub demo: bool,
    /// Files (JSONL, CSV or twarc2 JSONL) imported on every `nightly` run. Default none.
    pub files: Vec<PathBuf>,
}

impl Default for HarvestConfig {
    fn default() -> Self {
        HarvestConfig {
            demo: true,
            files: Vec::new(),
        }
    }
}

/// Classifier settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassifyConfig {
    /// Directory with model files that override the shipped ones (per task). Default none.
    pub model_dir: Option<PathBuf>,
    /// Complaint probability at or above which a post is flagged for review. Default: the
    /// threshold chosen by cross-validation in training and stored in the model (0.5 if none).
    pub complaint_threshold: Option<f32>,
}

/// Text analyzer settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TextConfig {
    /// Root-word list for the stemmer (one word per line). Default: the shipped Kateglo list
    /// (`data/lexicons/kata-dasar-kateglo.txt`, CC BY-NC-SA 3.0); point this at another list to
    /// avoid it.
    pub root_words: Option<PathBuf>,
}

/// The review web page served by `dengar serve`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebConfig {
    /// Address and port to listen on; `--bind` overrides it. Default `127.0.0.1:8080` (put a
    /// TLS-terminating reverse proxy in front to serve staff on the network).
    pub bind: String,
    /// Mark cookies `Secure` (sent over HTTPS only). Turn on whenever the page is served over
    /// HTTPS, which it should be outside localhost. Default false.
    pub secure_cookies: bool,
    /// How long a login lasts, in seconds. Default 43200 (12 hours: one working day).
    pub session_ttl_secs: u64,
    /// Failed logins allowed per account, and four times this per client address, within
    /// `login_window_secs` before further attempts are refused. Default 5.
    pub login_max_failures: u32,
    /// The window (and lockout) for counting failed logins, in seconds. Default 900.
    pub login_window_secs: u64,
    /// Rows per queue page. Default 50.
    pub page_size: usize,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a reverse
    /// proxy that sets it; otherwise clients could forge it). Default false.
    pub trust_forwarded_for: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            bind: "127.0.0.1:8080".to_string(),
            secure_cookies: false,
            session_ttl_secs: 43_200,
            login_max_failures: 5,
            login_window_secs: 900,
            page_size: 50,
            trust_forwarded_for: false,
        }
    }
}

/// Retention of citizens' data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    /// Days a dismissed or rejected post keeps its text, author, link and raw JSON after the
    /// decision; then only its id, platform, dates, status and prediction numbers remain, so
    /// counts stay right. Forwarded posts lose only their raw JSON after this time. Default 30
    /// (1 to 3650).
    pub retention_days: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig { retention_days: 30 }
    }
}

/// The nightly schedule (used by `dengar schedule install`, `status` and `/healthz`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleConfig {
    /// Local time the nightly run starts, `HH:MM` (24 hours). Default "02:00".
    pub at: String,
    /// Time zone of `at`, an IANA name. Default "Asia/Makassar" (WITA, UTC+8).
    pub timezone: String,
    /// Hours after which a nightly lock is taken over even if its process still seems alive
    /// (a hung run, or a process id reused by another program). Default 12.
    pub lock_max_age_hours: u32,
    /// Hours since the last finished run after which `status` and `/healthz` call it overdue.
    /// Default 36.
    pub overdue_after_hours: u32,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            at: "02:00".to_string(),
            timezone: "Asia/Makassar".to_string(),
            lock_max_age_hours: 12,
            overdue_after_hours: 36,
        }
    }
}

impl ScheduleConfig {
    /// The start time as (hour, minute), when `at` is well formed.
    pub fn hour_minute(&self) -> Option<(u32, u32)> {
        parse_hour_minute(&self.at)
    }
}

/// Parses `HH:MM` (24 hours).
pub fn parse_hour_minute(s: &str) -> Option<(u32, u32)> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some((h, m))
}

/// Whether `tz` looks like an IANA time zone name (`Asia/Makassar`, `UTC`), and names a file of
/// the system's zone database when that database is installed.
pub fn valid_timezone(tz: &str) -> bool {
    let shape = !tz.is_empty()
        && tz.len() <= 64
        && !tz.starts_with('/')
        && !tz.contains("..")
        && tz
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    if !shape {
        return false;
    }
    let db = Path::new("/usr/share/zoneinfo");
    !db.is_dir() || db.join(tz).is_file()
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let de = toml::Deserializer::new(text);
        let config: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let key = e.path().to_string();
            let inner = e.into_inner();
            let message = inner.message().to_string();
            if key == "." || key.is_empty() {
                ConfigError::Syntax {
                    path: path.to_path_buf(),
                    message: inner.to_string(),
                }
            } else {
                ConfigError::Key {
                    path: path.to_path_buf(),
                    key,
                    message,
                }
            }
        })?;
        config.validate(path)?;
        Ok(config)
    }

    /// Checks what types cannot: ranges and referenced files.
    pub fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| ConfigError::Key {
            path: path.to_path_buf(),
            key: key.to_string(),
            message,
        };
        if let Some(t) = self
            .classify
            .complaint_threshold
            .filter(|t| !(0.0..=1.0).contains(t))
        {
            return Err(bad(
                "classify.complaint_threshold",
                format!("must be between 0 and 1, got {t}"),
            ));
        }
        let w = &self.web;
        if w.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(bad(
                "web.bind",
                format!("`{}` is not an address:port such as 127.0.0.1:8080", w.bind),
            ));
        }
        if !(60..=30 * 86_400).contains(&w.session_ttl_secs) {
            return Err(bad(
                "web.session_ttl_secs",
                format!(
                    "must be between 60 and 2592000 (30 days), got {}",
                    w.session_ttl_secs
                ),
            ));
        }
        if !(1..=1000).contains(&w.login_max_failures) {
            return Err(bad(
                "web.login_max_failures",
                format!("must be between 1 and 1000, got {}", w.login_max_failures),
            ));
        }
        if !(1..=86_400).contains(&w.login_window_secs) {
            return Err(bad(
                "web.login_window_secs",
                format!("must be between 1 and 86400, got {}", w.login_window_secs),
            ));
        }
        if !(5..=500).contains(&w.page_size) {
            return Err(bad(
                "web.page_size",
                format!("must be between 5 and 500, got {}", w.page_size),
            ));
        }
        let days = self.retention.retention_days;
        if !(1..=3650).contains(&days) {
            return Err(bad(
                "retention.retention_days",
                format!("must be between 1 and 3650 days, got {days}"),
            ));
        }
        if self.schedule.hour_minute().is_none() {
            return Err(bad(
                "schedule.at",
                format!("must be a time HH:MM, got {:?}", self.schedule.at),
            ));
        }
        if !valid_timezone(&self.schedule.timezone) {
            return Err(bad(
                "schedule.timezone",
                format!(
                    "unknown time zone {:?} (use an IANA name such as Asia/Makassar)",
                    self.schedule.timezone
                ),
            ));
        }
        for (key, hours) in [
            (
                "schedule.lock_max_age_hours",
                self.schedule.lock_max_age_hours,
            ),
            (
                "schedule.overdue_after_hours",
                self.schedule.overdue_after_hours,
            ),
        ] {
            if hours == 0 {
                return Err(bad(key, "must be at least 1 hour".to_string()));
            }
        }
        if let Err((key, message)) = self.collect.validate() {
            return Err(bad(&key, message));
        }
        for (i, f) in self.harvest.files.iter().enumerate() {
            if !f.exists() {
                return Err(bad(
                    &format!("harvest.files[{i}]"),
                    format!("file {} does not exist", f.display()),
                ));
            }
        }
        if let Some((key, message)) = self.forward.problems().into_iter().next() {
            return Err(bad(&format!("forward.{key}"), message));
        }
        for (key, p) in [
            ("data.agencies", &self.data.agencies),
            ("data.accounts", &self.data.accounts),
            ("text.root_words", &self.text.root_words),
            ("classify.model_dir", &self.classify.model_dir),
        ] {
            if let Some(p) = p {
                if !p.exists() {
                    return Err(bad(key, format!("{} does not exist", p.display())));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("test.toml"))
    }

    #[test]
    fn empty_file_is_the_default() {
        let c = parse("").unwrap();
        assert!(c.harvest.demo);
        assert_eq!(c.classify.complaint_threshold, None);
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse("[classify]\ncomplaint_treshold = 0.4\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("complaint_treshold"), "{msg}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let err = parse("[classify]\ncomplaint_threshold = \"high\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("classify.complaint_threshold"), "{msg}");
    }

    #[test]
    fn out_of_range_value_names_the_key() {
        let err = parse("[classify]\ncomplaint_threshold = 1.5\n").unwrap_err();
        assert!(err.to_string().contains("classify.complaint_threshold"));
    }

    #[test]
    fn missing_file_names_the_key() {
        let err = parse("[harvest]\nfiles = [\"/nonexistent/x.jsonl\"]\n").unwrap_err();
        assert!(err.to_string().contains("harvest.files[0]"), "{err}");
    }

    #[test]
    fn web_section_is_defaulted_and_checked() {
        let c = parse("[web]\nsecure_cookies = true\n").unwrap();
        assert!(c.web.secure_cookies);
        assert_eq!(c.web.bind, "127.0.0.1:8080");
        assert_eq!(c.web.session_ttl_secs, 43_200);
        let err = parse("[web]\nbind = \"localhost\"\n").unwrap_err();
        assert!(err.to_string().contains("web.bind"), "{err}");
        let err = parse("[web]\nsession_ttl_secs = 5\n").unwrap_err();
        assert!(err.to_string().contains("web.session_ttl_secs"), "{err}");
        let err = parse("[web]\npage_size = 0\n").unwrap_err();
        assert!(err.to_string().contains("web.page_size"), "{err}");
    }

    #[test]
    fn retention_and_schedule_have_defaults_and_are_checked() {
        let c = parse("").unwrap();
        assert_eq!(c.retention.retention_days, 30);
        assert_eq!(c.schedule.timezone, "Asia/Makassar");
        assert_eq!(c.schedule.hour_minute(), Some((2, 0)));
        let c = parse("[retention]\nretention_days = 90\n[schedule]\nat = \"23:30\"\n").unwrap();
        assert_eq!(c.retention.retention_days, 90);
        assert_eq!(c.schedule.hour_minute(), Some((23, 30)));
        let err = parse("[retention]\nretention_days = 0\n").unwrap_err();
        assert!(
            err.to_string().contains("retention.retention_days"),
            "{err}"
        );
        let err = parse("[schedule]\nat = \"25:00\"\n").unwrap_err();
        assert!(err.to_string().contains("schedule.at"), "{err}");
        let err = parse("[schedule]\ntimezone = \"../etc/passwd\"\n").unwrap_err();
        assert!(err.to_string().contains("schedule.timezone"), "{err}");
        let err = parse("[schedule]\nlock_max_age_hours = 0\n").unwrap_err();
        assert!(
            err.to_string().contains("schedule.lock_max_age_hours"),
            "{err}"
        );
    }

    #[test]
    fn hour_minute_parsing() {
        assert_eq!(parse_hour_minute("2:05"), Some((2, 5)));
        assert_eq!(parse_hour_minute("02:00"), Some((2, 0)));
        assert_eq!(parse_hour_minute("24:00"), None);
        assert_eq!(parse_hour_minute("02:0"), None);
        assert_eq!(parse_hour_minute("0200"), None);
    }

    #[test]
    fn forward_section_is_checked() {
        let c = parse("").unwrap();
        assert_eq!(c.forward.target, crate::forward::Target::File);
        let err = parse("[forward]\ntarget = \"lapor\"\n").unwrap_err();
        assert!(err.to_string().contains("forward.target"), "{err}");
        let err = parse(
            "[forward.lapor]\nurl = \"https://lapor.example/api\"\ntraking_pointer = \"/id\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("traking_pointer"), "{err}");
        let err = parse("[forward.lapor]\nurl = \"ftp://x\"\n").unwrap_err();
        assert!(err.to_string().contains("forward.lapor.url"), "{err}");
        let c = parse(
            "[forward]\ntarget = \"open311\"\n[forward.open311]\nbase_url = \"https://311.example/v2\"\ndefault_service_code = \"umum\"\n",
        )
        .unwrap();
        assert_eq!(c.forward.target, crate::forward::Target::Open311);
        let err = parse("[forward]\ntarget = \"email\"\n").unwrap_err();
        assert!(err.to_string().contains("forward.target"), "{err}");
    }

    #[test]
    fn collect_sections_are_parsed_and_checked() {
        let c = parse("[collect]\nretry_base_ms = 10\n[collect.x]\nenabled = true\nbase_url = \"http://127.0.0.1:9\"\n[collect.mastodon]\nhashtags = [\"banjirbjm\"]\n").unwrap();
        assert!(c.collect.x.enabled);
        assert_eq!(c.collect.retry_base_ms, 10);
        assert_eq!(c.collect.enabled(), [crate::model::Platform::X]);
        let err = parse("[collect.youtube]\nmax_pages = 0\n").unwrap_err();
        assert!(
            err.to_string().contains("collect.youtube.max_pages"),
            "{err}"
        );
        let err = parse("[collect.facebook]\ntoken = \"EAAB\"\n").unwrap_err();
        assert!(err.to_string().contains("token"), "{err}");
        let err = parse("[collect.x]\ntoken_env = \"AAAA-real-token\"\n").unwrap_err();
        assert!(err.to_string().contains("collect.x.token_env"), "{err}");
    }

    #[test]
    fn broken_toml_is_a_syntax_error() {
        let err = parse("[classify\n").unwrap_err();
        assert!(matches!(err, ConfigError::Syntax { .. }), "{err}");
    }
}
