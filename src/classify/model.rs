//! Our versioned model file and sparse inference.
//!
//! A [`LinearModel`] is a vocabulary of feature names plus one weight per feature and output
//! (feature-major, so one post touches a few contiguous rows), and one intercept per output.
//! A post's feature vector is binary over the vocabulary and L2-normalised: every present
//! feature has value `1/sqrt(n)`, `n` being the number of distinct known features. Training
//! builds the same vector densely for linfa; inference sums the rows of the present features.
//! - binary task (`outputs = 1`): `p = sigmoid(b + Σ w)`, optionally Platt-calibrated;
//! - multiclass task: `p = softmax(b + Σ w)` over `labels`.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// Format name written into every model file.
pub const FORMAT: &str = "dengar-linear";
/// Current format version.
pub const VERSION: u32 = 1;

/// Which question a model answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Is it a public-service complaint? (binary)
    Complaint,
    /// Which agency should handle it? (multiclass)
    Agency,
}

impl Task {
    /// The file name of this task's model in a model directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Task::Complaint => "complaint.json",
            Task::Agency => "agency.json",
        }
    }

    /// Parses `complaint` / `agency`.
    pub fn parse(s: &str) -> Option<Task> {
        match s {
            "complaint" => Some(Task::Complaint),
            "agency" => Some(Task::Agency),
            _ => None,
        }
    }
}

/// Platt scaling of a binary logit: `p = sigmoid(a * logit + b)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f32,
    pub b: f32,
}

/// Errors loading a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read model {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("model {path} is not a dengar model file: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("model {path}: {message}")]
    Invalid { path: String, message: String },
}

/// A trained linear model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinearModel {
    /// Always [`FORMAT`].
    pub format: String,
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// Stable id of this training run (task, data and settings hash); recorded with predictions.
    pub id: String,
    pub task: Task,
    /// When it was trained (RFC 3339).
    pub created_at: String,
    /// What it was trained on and how.
    pub trained_on: String,
    /// Output labels: `["complaint"]` for the binary task, agency codes for the multiclass one.
    pub labels: Vec<String>,
    /// Feature names, index = row.
    pub vocab: Vec<String>,
    /// `vocab.len() * labels.len()` weights, feature-major.
    pub weights: Vec<f32>,
    /// One intercept per output.
    pub intercepts: Vec<f32>,
    /// Calibration of the binary output.
    #[serde(default)]
    pub calibration: Option<Platt>,
    /// Settings used in training (regularisation, vocabulary size, ...), for the model card.
    #[serde(default)]
    pub settings: serde_json::Value,
    #[serde(skip)]
    index: HashMap<String, u32>,
}

/// Reusable per-thread buffers for inference.
#[derive(Debug, Default)]
pub struct Scratch {
    rows: Vec<u32>,
    logits: Vec<f32>,
}

impl LinearModel {
    /// Builds a model and its lookup index.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        task: Task,
        trained_on: String,
        labels: Vec<String>,
        vocab: Vec<String>,
        weights: Vec<f32>,
        intercepts: Vec<f32>,
        settings: serde_json::Value,
    ) -> LinearModel {
        let mut m = LinearModel {
            format: FORMAT.to_string(),
            version: VERSION,
            id,
            task,
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            trained_on,
            labels,
            vocab,
            weights,
            intercepts,
            calibration: None,
            settings,
            index: HashMap::new(),
        };
        m.build_index();
        m
    }

    fn build_index(&mut self) {
        self.index = self
            .vocab
            .iter()
            .enumerate()
            .map(|(i, v)| (v.clone(), i as u32))
            .collect();
    }

    /// Number of outputs (1 for binary).
    pub fn outputs(&self) -> usize {
        self.intercepts.len()
    }

    /// Parses a model file's text; `name` is used in messages.
    pub fn from_json(text: &str, name: &str) -> Result<LinearModel, ModelError> {
        let mut m: LinearModel =
            serde_json::from_str(text).map_err(|source| ModelError::Parse {
                path: name.to_string(),
                source,
            })?;
        let invalid = |message: String| ModelError::Invalid {
            path: name.to_string(),
            message,
        };
        if m.format != FORMAT {
            return Err(invalid(format!(
                "format is `{}`, expected `{FORMAT}`",
                m.format
            )));
        }
        if m.version != VERSION {
            return Err(invalid(format!(
                "format version {} is not supported (this dengar reads {VERSION})",
                m.version
            )));
        }
        let outs = m.intercepts.len();
        if outs == 0 || m.labels.len() != outs.max(1) && !(outs == 1 && m.labels.len() == 1) {
            return Err(invalid("labels and intercepts disagree".into()));
        }
        if m.weights.len() != m.vocab.len() * outs {
            return Err(invalid(format!(
                "{} weights for {} features x {} outputs",
                m.weights.len(),
                m.vocab.len(),
                outs
            )));
        }
        m.build_index();
        Ok(m)
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<LinearModel, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Read {
            path: path.display().to_string(),
            source,
        })?;
        LinearModel::from_json(&text, &path.display().to_string())
    }

    /// Writes the model file (pretty enough to diff the header, compact weights).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut rounded = self.clone();
        for w in rounded
            .weights
            .iter_mut()
            .chain(rounded.intercepts.iter_mut())
        {
            *w = (*w * 1e6).round() / 1e6;
        }
        let text = serde_json::to_string(&rounded).map_err(std::io::Error::other)?;
        std::fs::write(path, text)
    }

    /// The row of a feature name.
    pub fn row(&self, feature: &str) -> Option<u32> {
        self.index.get(feature).copied()
    }

    /// Collects the distinct known rows of a post into `scratch.rows` (sorted).
    pub fn collect_rows(&self, scratch: &mut Scratch, each: impl FnOnce(&mut dyn FnMut(&str))) {
        scratch.rows.clear();
        let index = &self.index;
        let rows = &mut scratch.rows;
        each(&mut |name: &str| {
            if let Some(&r) = index.get(name) {
                rows.push(r);
            }
        });
        rows.sort_unstable();
        rows.dedup();
    }

    /// The feature value every present feature gets (`1/sqrt(n)`).
    pub fn value(n: usize) -> f32 {
        if n == 0 {
            0.0
        } else {
            1.0 / (n as f32).sqrt()
        }
    }

    /// Raw logits for the rows in `scratch` (after [`collect_rows`](Self::collect_rows)).
    pub fn logits<'s>(&self, scratch: &'s mut Scratch) -> &'s [f32] {
        let outs = self.outputs();
        scratch.logits.clear();
        scratch.logits.extend_from_slice(&self.intercepts);
        let v = Self::value(scratch.rows.len());
        for &r in &scratch.rows {
            let row = &self.weights[r as usize * outs..(r as usize + 1) * outs];
            for (l, w) in scratch.logits.iter_mut().zip(row) {
                *l += v * w;
            }
        }
        &scratch.logits
    }

    /// Binary probability from a logit, calibrated when the model carries a calibration.
    pub fn probability(&self, logit: f32) -> f32 {
        match self.calibration {
            Some(Platt { a, b }) => sigmoid(a * logit + b),
            None => sigmoid(logit),
        }
    }

    /// The contribution of each present row to output `out`, largest magnitude first.
    pub fn contributions(&self, scratch: &Scratch, out: usize) -> Vec<(u32, f32)> {
        let outs = self.outputs();
        let v = Self::value(scratch.rows.len());
        let mut c: Vec<(u32, f32)> = scratch
            .rows
            .iter()
            .map(|&r| (r, v * self.weights[r as usize * outs + out]))
            .collect();
        c.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        c
    }
}

/// The logistic function.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Softmax in place.
pub fn softmax(v: &mut [f32]) {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for x in v.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    if sum > 0.0 {
        for x in v.iter_mut() {
            *x /= sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> LinearModel {
        LinearModel::new(
            "t".into(),
            Task::Agency,
            "test".into(),
            vec!["a".into(), "b".into()],
            vec!["w:x".into(), "w:y".into()],
            vec![1.0, -1.0, 0.0, 2.0],
            vec![0.5, 0.0],
            serde_json::Value::Null,
        )
    }

    #[test]
    fn sparse_logits_are_the_normalised_row_sum() {
        let m = tiny();
        let mut s = Scratch::default();
        m.collect_rows(&mut s, |f| {
            f("w:x");
            f("w:y");
            f("w:x");
            f("w:unknown");
        });
        let v = 1.0 / 2f32.sqrt();
        let l = m.logits(&mut s).to_vec();
        assert!((l[0] - (0.5 + v * 1.0)).abs() < 1e-6);
        assert!((l[1] - (v * (-1.0 + 2.0))).abs() < 1e-6);
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("agency.json");
        tiny().save(&p).unwrap();
        let m = LinearModel::load(&p).unwrap();
        assert_eq!(m.row("w:y"), Some(1));
        assert_eq!(m.weights, vec![1.0, -1.0, 0.0, 2.0]);
    }

    #[test]
    fn wrong_version_is_refused() {
        let mut m = tiny();
        m.version = 99;
        let text = serde_json::to_string(&m).unwrap();
        let err = LinearModel::from_json(&text, "m.json").unwrap_err();
        assert!(err.to_string().contains("version 99"));
    }
}
