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
    /// What `nightly` harvests when no platform collector is configured.
    pub harvest: HarvestConfig,
    /// The classifier.
    pub classify: ClassifyConfig,
    /// The text analyzer.
    pub text: TextConfig,
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
    /// Import the embedded demo feed (`data/demo/`) when no file is configured. Default true.
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
        for (i, f) in self.harvest.files.iter().enumerate() {
            if !f.exists() {
                return Err(bad(
                    &format!("harvest.files[{i}]"),
                    format!("file {} does not exist", f.display()),
                ));
            }
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
    fn broken_toml_is_a_syntax_error() {
        let err = parse("[classify\n").unwrap_err();
        assert!(matches!(err, ConfigError::Syntax { .. }), "{err}");
    }
}
