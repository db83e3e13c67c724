//! Training with linfa: a pruned vocabulary, a dense f32 design matrix, `linfa-logistic`, then the
//! weights copied into our own [`LinearModel`].
//!
//! The dense matrix uses exactly the feature values sparse inference uses (binary presence,
//! L2-normalised over the known features of each post), so the exported model reproduces
//! linfa's own predictions; a test checks that.

use super::features::Features;
use super::model::{LinearModel, Task};
use linfa::prelude::*;
use linfa_logistic::{LogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// One labeled post for training.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    /// The watched account the post concerns.
    pub account: Option<String>,
    /// `"1"`/`"0"` for the complaint task, an agency code for the agency task.
    pub label: String,
}

/// Training settings, checked by [`TrainParams::check`] before any work.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrainParams {
    /// Keep features seen in at least this many posts.
    pub min_df: usize,
    /// Keep at most this many features (most frequent first).
    pub max_features: usize,
    /// L2 regularisation weight (linfa's `alpha`; larger = simpler model).
    pub alpha: f32,
    /// LBFGS iteration budget.
    pub max_iterations: u64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            min_df: 2,
            max_features: 40_000,
            alpha: 0.3,
            max_iterations: 300,
        }
    }
}

/// What can go wrong in training.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("invalid training setting: {0}")]
    Params(String),
    #[error("training data: {0}")]
    Data(String),
    #[error("linfa failed to fit: {0}")]
    Fit(#[from] linfa_logistic::error::Error),
}

impl TrainParams {
    /// Validates the settings.
    pub fn check(&self) -> Result<(), TrainError> {
        if self.min_df == 0 {
            return Err(TrainError::Params("min_df must be at least 1".into()));
        }
        if self.max_features == 0 {
            return Err(TrainError::Params("max_features must be at least 1".into()));
        }
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(TrainError::Params(format!(
                "alpha must be a finite number >= 0, got {}",
                self.alpha
            )));
        }
        Ok(())
    }
}

/// The vocabulary and dense design matrix of a set of examples.
pub struct Design {
    pub vocab: Vec<String>,
    pub x: Array2<f32>,
}

/// Builds the pruned vocabulary from `examples`.
pub fn vocabulary(features: &Features, examples: &[Example], p: &TrainParams) -> Vec<String> {
    let mut df: HashMap<String, usize> = HashMap::new();
    for e in examples {
        for f in features.distinct(&e.text, e.account.as_deref()) {
            *df.entry(f).or_default() += 1;
        }
    }
    let mut kept: Vec<(String, usize)> = df.into_iter().filter(|(_, n)| *n >= p.min_df).collect();
    kept.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kept.truncate(p.max_features);
    kept.into_iter().map(|(f, _)| f).collect()
}

/// The dense matrix of `examples` over `vocab`, with inference's feature values.
pub fn design(features: &Features, examples: &[Example], vocab: Vec<String>) -> Design {
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    let mut x = Array2::<f32>::zeros((examples.len(), vocab.len()));
    let mut cols = Vec::new();
    for (r, e) in examples.iter().enumerate() {
        cols.clear();
        features.for_each(&e.text, e.account.as_deref(), |f| {
            if let Some(&c) = index.get(f) {
                cols.push(c);
            }
        });
        cols.sort_unstable();
        cols.dedup();
        let v = LinearModel::value(cols.len());
        for &c in &cols {
            x[[r, c]] = v;
        }
    }
    Design { vocab, x }
}

fn model_id(task: Task, vocab: &[String], weights: &[f32], intercepts: &[f32]) -> String {
    let mut h = Sha256::new();
    h.update(format!("{task:?}"));
    for v in vocab {
        h.update(v.as_bytes());
        h.update([0]);
    }
    for w in weights.iter().chain(intercepts) {
        h.update(w.to_le_bytes());
    }
    let d = h.finalize();
    let hex: String = d.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{hex}",
        match task {
            Task::Complaint => "complaint",
            Task::Agency => "agency",
        }
    )
}

/// A fitted binary model together with linfa's own fitted object (kept for agreement tests).
pub struct BinaryFit {
    pub model: LinearModel,
    pub linfa: linfa_logistic::FittedLogisticRegression<f32, bool>,
    pub design: Design,
}

/// Trains the binary complaint model (`label == "1"` is a complaint).
pub fn train_binary(
    features: &Features,
    examples: &[Example],
    p: &TrainParams,
    trained_on: &str,
) -> Result<BinaryFit, TrainError> {
    p.check()?;
    let y: Array1<bool> = examples.iter().map(|e| e.label == "1").collect();
    let pos = y.iter().filter(|b| **b).count();
    if pos == 0 || pos == y.len() {
        return Err(TrainError::Data(
            "the complaint task needs both complaints (label 1) and non-complaints (label 0)"
                .into(),
        ));
    }
    let vocab = vocabulary(features, examples, p);
    let d = design(features, examples, vocab);
    let ds = Dataset::new(d.x.clone(), y);
    let fit = LogisticRegression::default()
        .alpha(p.alpha)
        .max_iterations(p.max_iterations)
        .fit(&ds)?;
    // linfa's positive class is the larger one: flip so our logit always means "complaint".
    let sign = if fit.labels().pos.class { 1.0 } else { -1.0 };
    let weights: Vec<f32> = fit.params().iter().map(|w| sign * w).collect();
    let intercepts = vec![sign * fit.intercept()];
    let id = model_id(Task::Complaint, &d.vocab, &weights, &intercepts);
    let model = LinearModel::new(
        id,
        Task::Complaint,
        trained_on.to_string(),
        vec!["complaint".into()],
        d.vocab.clone(),
        weights,
        intercepts,
        serde_json::to_value(p).unwrap_or_default(),
    );
    Ok(BinaryFit {
        model,
        linfa: fit,
        design: d,
    })
}

/// A fitted multiclass model together with linfa's own fitted object.
pub struct MultiFit {
    pub model: LinearModel,
    pub linfa: linfa_logistic::MultiFittedLogisticRegression<f32, usize>,
    pub design: Design,
}

/// Trains the multiclass agency model.
pub fn train_multi(
    features: &Features,
    examples: &[Example],
    p: &TrainParams,
    trained_on: &str,
) -> Result<MultiFit, TrainError> {
    p.check()?;
    let mut labels: Vec<String> = examples.iter().map(|e| e.label.clone()).collect();
    labels.sort();
    labels.dedup();
    if labels.len() < 2 {
        return Err(TrainError::Data(
            "the agency task needs at least two agencies".into(),
        ));
    }
    let y: Array1<usize> = examples
        .iter()
        .map(|e| labels.binary_search(&e.label).unwrap_or(0))
        .collect();
    let vocab = vocabulary(features, examples, p);
    let d = design(features, examples, vocab);
    let ds = Dataset::new(d.x.clone(), y);
    let fit = MultiLogisticRegression::default()
        .alpha(p.alpha)
        .max_iterations(p.max_iterations)
        .fit(&ds)?;
    let classes: Vec<String> = fit.classes().iter().map(|&c| labels[c].clone()).collect();
    let params = fit.params();
    let mut weights = Vec::with_capacity(params.len());
    for row in params.rows() {
        weights.extend(row.iter().copied());
    }
    let intercepts: Vec<f32> = fit.intercept().to_vec();
    let id = model_id(Task::Agency, &d.vocab, &weights, &intercepts);
    let model = LinearModel::new(
        id,
        Task::Agency,
        trained_on.to_string(),
        classes,
        d.vocab.clone(),
        weights,
        intercepts,
        serde_json::to_value(p).unwrap_or_default(),
    );
    Ok(MultiFit {
        model,
        linfa: fit,
        design: d,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::model::Scratch;

    fn ex(text: &str, label: &str) -> Example {
        Example {
            text: text.into(),
            account: Some("pemkot_bjm".into()),
            label: label.into(),
        }
    }

    fn complaint_examples() -> Vec<Example> {
        vec![
            ex("jalan rusak parah tolong diperbaiki", "1"),
            ex("lampu jalan mati sudah seminggu", "1"),
            ex("sampah menumpuk di tps bau sekali", "1"),
            ex("air ledeng mati dari subuh tolong", "1"),
            ex("jalan berlubang bahaya tolong", "1"),
            ex("selamat pagi pak wali semangat", "0"),
            ex("terima kasih pak wali jalan sudah mulus", "0"),
            ex("mantap acaranya seru sekali", "0"),
            ex("selamat hari jadi kota banjarmasin", "0"),
            ex("info lowongan kerja kah pak", "0"),
            ex("semangat pagi warga banjarmasin", "0"),
        ]
    }

    #[test]
    fn sparse_inference_agrees_with_linfa_binary() {
        let f = Features::new(Vec::<String>::new());
        let p = TrainParams {
            min_df: 1,
            ..TrainParams::default()
        };
        let ex = complaint_examples();
        let fit = train_binary(&f, &ex, &p, "test").unwrap();
        let linfa_p = fit.linfa.predict_probabilities(&fit.design.x);
        let linfa_labels = fit.linfa.predict(&fit.design.x);
        let mut s = Scratch::default();
        for (i, e) in ex.iter().enumerate() {
            fit.model.collect_rows(&mut s, |emit| {
                f.for_each(&e.text, e.account.as_deref(), emit)
            });
            let ours = fit.model.probability(fit.model.logits(&mut s)[0]);
            let theirs = if fit.linfa.labels().pos.class {
                linfa_p[i]
            } else {
                1.0 - linfa_p[i]
            };
            assert!((ours - theirs).abs() < 1e-4, "{i}: {ours} vs {theirs}");
            assert_eq!(ours >= 0.5, linfa_labels[i], "{i}");
        }
        // and it learned something
        assert!(
            linfa_labels
                .iter()
                .zip(&ex)
                .filter(|(p, e)| **p == (e.label == "1"))
                .count()
                >= 10
        );
    }

    #[test]
    fn sparse_inference_agrees_with_linfa_multiclass() {
        let f = Features::new(Vec::<String>::new());
        let p = TrainParams {
            min_df: 1,
            ..TrainParams::default()
        };
        let ex = vec![
            ex("jalan rusak berlubang", "dinas-pupr"),
            ex("jalan berlubang parah", "dinas-pupr"),
            ex("sampah menumpuk bau", "dlh"),
            ex("sampah tidak diangkut", "dlh"),
            ex("air ledeng mati", "pdam"),
            ex("air keruh bau", "pdam"),
        ];
        let fit = train_multi(&f, &ex, &p, "test").unwrap();
        let linfa_p = fit.linfa.predict_probabilities(&fit.design.x);
        let linfa_labels = fit.linfa.predict(&fit.design.x);
        let mut s = Scratch::default();
        for (i, e) in ex.iter().enumerate() {
            fit.model.collect_rows(&mut s, |emit| {
                f.for_each(&e.text, e.account.as_deref(), emit)
            });
            let mut probs = fit.model.logits(&mut s).to_vec();
            crate::classify::model::softmax(&mut probs);
            for (c, p) in probs.iter().enumerate() {
                assert!((p - linfa_p[[i, c]]).abs() < 1e-4);
            }
            let best = probs
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .unwrap()
                .0;
            assert_eq!(fit.model.labels[best], fit.model.labels[linfa_labels[i]]);
            assert_eq!(fit.model.labels[best], e.label);
        }
    }

    #[test]
    fn bad_params_are_refused_before_work() {
        let f = Features::new(Vec::<String>::new());
        let p = TrainParams {
            alpha: f32::NAN,
            ..TrainParams::default()
        };
        assert!(matches!(
            train_binary(&f, &complaint_examples(), &p, "t"),
            Err(TrainError::Params(_))
        ));
        let one_class = vec![ex("a", "1"), ex("b", "1")];
        assert!(matches!(
            train_binary(&f, &one_class, &TrainParams::default(), "t"),
            Err(TrainError::Data(_))
        ));
    }
}
