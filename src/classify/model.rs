//! Our versioned model file and sparse inference.
//!
//! A [`LinearModel`] is a vocabulary of feature names plus one weight per feature and output
//! (feature-major, so one post touches a few contiguous rows), one intercept per output and an
//! optional per-feature scale (inverse document frequency). A post's feature vector has, for
//! each distinct known feature `j`, the value `s_j / sqrt(Σ s_k²)` over its known features
//! (`s = 1` without scales: binary presence, L2-normalised). Training builds the same vector
//! densely for linfa; inference sums the weighted rows of the present features.
//! - binary task (`outputs = 1`): `p = sigmoid(b + Σ w)`, optionally Platt-calibrated, and a
//!   decision threshold chosen in training;
//! - multiclass task: `p = softmax(b + Σ w)` over `labels`.
//!
//! The vocabulary is indexed by [`fingerprint`] of the feature name, so looking a feature up
//! never builds a `String`.

use super::features::{fingerprint, FEATURE_SET};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

/// Format name written into every model file.
pub const FORMAT: &str = "dengar-linear";
/// Current format version (2: fingerprint-indexed feature set 2, scales, threshold).
pub const VERSION: u32 = 2;

/// A hasher for keys that already are well-mixed 64-bit fingerprints: passes them through.
#[derive(Debug, Default, Clone, Copy)]
pub struct FpHasher(u64);

impl Hasher for FpHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // only u64 keys are hashed through this hasher; fold anything else
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// Map from fingerprint.
pub type FpMap<V> = HashMap<u64, V, BuildHasherDefault<FpHasher>>;
/// Set of fingerprints.
pub type FpSet = HashSet<u64, BuildHasherDefault<FpHasher>>;

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
    /// The feature set the vocabulary names come from ([`FEATURE_SET`]).
    pub features: String,
    /// Output labels: `["complaint"]` for the binary task, agency codes for the multiclass one.
    pub labels: Vec<String>,
    /// Feature names, index = row.
    pub vocab: Vec<String>,
    /// `vocab.len() * labels.len()` weights, feature-major.
    pub weights: Vec<f32>,
    /// One intercept per output.
    pub intercepts: Vec<f32>,
    /// Per-feature value scale (inverse document frequency); empty = binary presence.
    #[serde(default)]
    pub scale: Vec<f32>,
    /// Normalise character n-grams (`c:`) and all other features as two separate blocks, each
    /// to unit length (like stacking a word and a character vectoriser), instead of together.
    #[serde(default)]
    pub block_norm: bool,
    /// Calibration of the binary output.
    #[serde(default)]
    pub calibration: Option<Platt>,
    /// Binary task: the (calibrated) probability at or above which a post is positive, chosen
    /// by cross-validation in training. `None` means 0.5.
    #[serde(default)]
    pub threshold: Option<f32>,
    /// Settings used in training (regularisation, vocabulary size, ...), for the model card.
    #[serde(default)]
    pub settings: serde_json::Value,
    #[serde(skip)]
    index: FpMap<u32>,
    /// Block of each row (0 = words and the rest, 1 = character n-grams).
    #[serde(skip)]
    block: Vec<u8>,
}

/// Reusable per-thread buffers for inference.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Distinct known rows of the current post.
    pub rows: Vec<u32>,
    /// Span of each row's first occurrence (parallel to `rows`).
    pub spans: Vec<(u32, u32)>,
    pub(crate) logits: Vec<f32>,
    pub(crate) seen: FpSet,
    pub(crate) feats: super::features::FeatureBuf,
    pub(crate) ranked: Vec<(u32, f32)>,
    pub(crate) reasons: Vec<super::RawReason>,
    pub(crate) sim: super::dedup::DupHasher,
    /// (scale, weight, block) of each complaint row in `rows`.
    pub(crate) cvals: Vec<(f32, f32, u32)>,
    /// The agency model's per-block accumulators.
    pub(crate) aacc: Vec<f32>,
    /// Per joint row, the generation of the last post that had it.
    pub(crate) stamp: Vec<u32>,
    pub(crate) generation: u32,
    pub(crate) words: super::joint::WordCache,
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
            features: FEATURE_SET.to_string(),
            labels,
            vocab,
            weights,
            intercepts,
            scale: Vec::new(),
            block_norm: false,
            calibration: None,
            threshold: None,
            settings,
            index: FpMap::default(),
            block: Vec::new(),
        };
        m.build_index();
        m
    }

    /// (Re)builds the fingerprint index of the vocabulary.
    pub fn build_index(&mut self) {
        self.index = self
            .vocab
            .iter()
            .enumerate()
            .map(|(i, v)| (fingerprint(v.as_bytes()), i as u32))
            .collect();
        self.block = self.vocab.iter().map(|v| block_of(v)).collect();
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
        if m.features != FEATURE_SET {
            return Err(invalid(format!(
                "feature set is `{}`, this dengar extracts `{FEATURE_SET}`: retrain the model",
                m.features
            )));
        }
        if !m.scale.is_empty() && m.scale.len() != m.vocab.len() {
            return Err(invalid(format!(
                "{} scales for {} features",
                m.scale.len(),
                m.vocab.len()
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
        if m.index.len() != m.vocab.len() {
            return Err(invalid("duplicate feature names in the vocabulary".into()));
        }
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
        self.row_fp(fingerprint(feature.as_bytes()))
    }

    /// The row of a feature fingerprint.
    #[inline]
    pub fn row_fp(&self, fp: u64) -> Option<u32> {
        self.index.get(&fp).copied()
    }

    /// The value scale of a row (1 without scales).
    #[inline]
    pub fn scale_of(&self, row: u32) -> f32 {
        self.scale.get(row as usize).copied().unwrap_or(1.0)
    }

    /// Collects the distinct known rows of a post's features into `scratch.rows` (first
    /// occurrence order) with their spans in `scratch.spans`.
    pub fn collect(
        &self,
        features: &super::features::Features,
        text: &str,
        account: Option<&str>,
        scratch: &mut Scratch,
    ) {
        let Scratch {
            rows,
            spans,
            seen,
            feats,
            ..
        } = scratch;
        rows.clear();
        spans.clear();
        seen.clear();
        features.for_each(text, account, feats, |name, _, s, e| {
            let fp = fingerprint(name.as_bytes());
            if seen.insert(fp) {
                if let Some(&r) = self.index.get(&fp) {
                    rows.push(r);
                    spans.push((s, e));
                }
            }
        });
    }

    /// The normalisers of a set of rows, per block: `1 / sqrt(Σ s²)` over the block's rows
    /// (0 for an empty block). Without block normalisation both entries are the overall one.
    pub fn norms(&self, rows: &[u32]) -> [f32; 2] {
        let mut ss = [0.0f32; 2];
        for &r in rows {
            let s = self.scale_of(r);
            ss[self.block_index(r)] += s * s;
        }
        self.normalisers(ss)
    }

    #[inline]
    fn block_index(&self, row: u32) -> usize {
        if self.block_norm {
            self.block.get(row as usize).copied().unwrap_or(0) as usize
        } else {
            0
        }
    }

    /// The value of row `r` in a post whose normalisers are `v`.
    #[inline]
    pub fn value(&self, v: [f32; 2], r: u32) -> f32 {
        v[self.block_index(r)] * self.scale_of(r)
    }

    /// Raw logits of a set of distinct rows into `out`.
    pub fn logits_of(&self, rows: &[u32], out: &mut Vec<f32>) {
        let outs = self.outputs();
        out.clear();
        out.extend_from_slice(&self.intercepts);
        // one pass: per block, the scale-weighted row sums and the sum of squared scales;
        // the per-block normalisers are applied at the end
        let mut ss = [0.0f32; 2];
        if outs == 1 {
            let mut sum = [0.0f32; 2];
            for &r in rows {
                let b = self.block_index(r);
                let s = self.scale_of(r);
                ss[b] += s * s;
                sum[b] += s * self.weights[r as usize];
            }
            let v = self.normalisers(ss);
            out[0] += v[0] * sum[0] + v[1] * sum[1];
            return;
        }
        // two blocks of accumulators: on the stack for up to 32 outputs
        let mut stack = [0.0f32; 64];
        let mut heap = Vec::new();
        let acc: &mut [f32] = if outs <= 32 {
            &mut stack[..2 * outs]
        } else {
            heap.resize(2 * outs, 0.0);
            &mut heap
        };
        for &r in rows {
            let b = self.block_index(r);
            let s = self.scale_of(r);
            ss[b] += s * s;
            let row = &self.weights[r as usize * outs..(r as usize + 1) * outs];
            for (a, w) in acc[b * outs..(b + 1) * outs].iter_mut().zip(row) {
                *a += s * w;
            }
        }
        let v = self.normalisers(ss);
        for (k, l) in out.iter_mut().enumerate() {
            *l += v[0] * acc[k] + v[1] * acc[outs + k];
        }
    }

    /// Per-block normalisers from the per-block sums of squared scales.
    pub(crate) fn normalisers(&self, ss: [f32; 2]) -> [f32; 2] {
        let inv = |x: f32| if x > 0.0 { 1.0 / x.sqrt() } else { 0.0 };
        if self.block_norm {
            [inv(ss[0]), inv(ss[1])]
        } else {
            let v = inv(ss[0] + ss[1]);
            [v, v]
        }
    }

    /// Raw logits for the rows in `scratch` (after [`collect`](Self::collect)).
    pub fn logits<'s>(&self, scratch: &'s mut Scratch) -> &'s [f32] {
        let mut out = std::mem::take(&mut scratch.logits);
        self.logits_of(&scratch.rows, &mut out);
        scratch.logits = out;
        &scratch.logits
    }

    /// Binary probability from a logit, calibrated when the model carries a calibration.
    pub fn probability(&self, logit: f32) -> f32 {
        match self.calibration {
            Some(Platt { a, b }) => sigmoid(a * logit + b),
            None => sigmoid(logit),
        }
    }

    /// The binary decision threshold on [`probability`](Self::probability).
    pub fn decision_threshold(&self) -> f32 {
        self.threshold.unwrap_or(0.5)
    }

    /// The contribution of each present row to output `out`, in `rows` order.
    pub fn contributions<'a>(
        &'a self,
        rows: &'a [u32],
        out: usize,
    ) -> impl Iterator<Item = f32> + 'a {
        let outs = self.outputs();
        let v = self.norms(rows);
        rows.iter()
            .map(move |&r| self.value(v, r) * self.weights[r as usize * outs + out])
    }
}

/// The normalisation block of a feature name: 1 for character n-grams, 0 for the rest.
pub fn block_of(name: &str) -> u8 {
    name.starts_with("c:") as u8
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
        let f = crate::classify::features::Features::default();
        m.collect(&f, "x y x unknown", None, &mut s);
        assert_eq!(s.rows, vec![0, 1]);
        let v = 1.0 / 2f32.sqrt();
        let l = m.logits(&mut s).to_vec();
        assert!((l[0] - (0.5 + v * 1.0)).abs() < 1e-6);
        assert!((l[1] - (v * (-1.0 + 2.0))).abs() < 1e-6);
        // with scales: values s_j / sqrt(sum s^2)
        let mut m2 = tiny();
        m2.scale = vec![3.0, 4.0];
        let mut out = Vec::new();
        m2.logits_of(&[0, 1], &mut out);
        assert!((out[0] - (0.5 + 0.6 * 1.0)).abs() < 1e-6);
        assert!((out[1] - (-0.6 + 0.8 * 2.0)).abs() < 1e-6);
        let c: Vec<f32> = m2.contributions(&[0, 1], 1).collect();
        assert!((c[0] + 0.6).abs() < 1e-6 && (c[1] - 1.6).abs() < 1e-6);
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
        let mut m = tiny();
        m.features = "dengar-features-1".into();
        let text = serde_json::to_string(&m).unwrap();
        let err = LinearModel::from_json(&text, "m.json").unwrap_err();
        assert!(err.to_string().contains("retrain"), "{err}");
    }
}
