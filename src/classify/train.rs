//! Training: a pruned vocabulary, the design matrix, the fit, and the export into our own
//! [`LinearModel`].
//!
//! The vocabulary keeps features seen in at least `min_df` training posts, at most
//! `max_features` of them (most frequent first). Feature values are exactly those sparse
//! inference uses (presence, optionally IDF-scaled, L2-normalised per post), so the exported
//! model reproduces the fitted one; tests check that against linfa's own `predict`.
//!
//! Fitting: the sparse solver ([`super::solver`]) minimises linfa-logistic's objective; then,
//! when the dense `f32` matrix (replicated rows × vocabulary) fits in `dense_budget_mb`,
//! `linfa-logistic` itself refits on it, warm-started from the sparse solution, and its weights
//! are the ones exported. The model's `settings.trainer` says which one produced the weights.
//!
//! Class weights: linfa has no sample weights, so a class weight is an integer replication
//! count (`balanced`: `round(n_largest / n_class)`, capped at `weight_cap`). The sparse solver
//! takes the same counts as sample weights, which is the same objective without the copies.

use super::features::{fingerprint, FeatureBuf, FeatureOptions, Features, FEATURE_SET};
use super::model::{block_of, FpMap, LinearModel, Task};
use super::solver::{self, Csr, Solution, SolverParams, Targets};
use linfa::prelude::*;
use linfa_logistic::{LogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};
use sha2::{Digest, Sha256};

/// One labeled post for training.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    /// The watched account the post concerns.
    pub account: Option<String>,
    /// `"1"`/`"0"` for the complaint task, an agency code for the agency task.
    pub label: String,
}

/// How classes are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    /// Every row counts once.
    None,
    /// Rows of class `c` count `round(n_largest / n_c)` times, capped at `weight_cap`.
    Balanced,
}

/// When linfa refits the final model on the dense matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Linfa {
    /// When the dense matrix fits in the budget.
    Auto,
    /// Always (fails if the matrix exceeds the budget).
    Always,
    /// Never: the sparse solver's weights are exported.
    Never,
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
    /// Iteration budget of the solver (and of linfa's refit).
    pub max_iterations: u64,
    /// The solver stops when an iteration improves the objective by less than this fraction.
    pub tolerance: f64,
    /// Class weighting.
    pub class_weight: ClassWeight,
    /// Largest replication count of a balanced class weight.
    pub weight_cap: u32,
    /// Scale feature values by inverse document frequency.
    pub idf: bool,
    /// Normalise character n-grams and the other features as separate blocks.
    pub block_norm: bool,
    /// Optional feature families (inference reads them back from the model's settings).
    pub feature_options: FeatureOptions,
    /// Shortest and longest character n-grams kept in the vocabulary (padding spaces count,
    /// like scikit-learn's `char_wb`); the extractor makes 2–5.
    pub char_min: usize,
    pub char_max: usize,
    /// Multiclass: one binary logistic model per class (one-vs-rest) instead of the
    /// multinomial one (sparse solver only).
    pub one_vs_rest: bool,
    /// When linfa refits the final model.
    pub linfa: Linfa,
    /// Largest dense matrix (MiB) linfa may build.
    pub dense_budget_mb: usize,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            min_df: 2,
            max_features: 1 << 17,
            alpha: 0.3,
            max_iterations: 500,
            tolerance: 1e-9,
            class_weight: ClassWeight::None,
            weight_cap: 16,
            idf: false,
            block_norm: true,
            feature_options: FeatureOptions::default(),
            char_min: 2,
            char_max: 5,
            one_vs_rest: false,
            linfa: Linfa::Auto,
            dense_budget_mb: 1024,
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
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(TrainError::Params(format!(
                "alpha must be a finite number > 0, got {}",
                self.alpha
            )));
        }
        if self.weight_cap == 0 {
            return Err(TrainError::Params("weight_cap must be at least 1".into()));
        }
        if self.char_min > self.char_max {
            return Err(TrainError::Params(format!(
                "char_min {} is above char_max {}",
                self.char_min, self.char_max
            )));
        }
        if self.max_iterations == 0 {
            return Err(TrainError::Params(
                "max_iterations must be at least 1".into(),
            ));
        }
        Ok(())
    }

    fn solver(&self) -> SolverParams {
        SolverParams {
            alpha: self.alpha as f64,
            max_iterations: self.max_iterations as usize,
            ftol: self.tolerance,
        }
    }
}

/// A pruned vocabulary with its fingerprint index and optional IDF scales.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    pub names: Vec<String>,
    pub index: FpMap<u32>,
    /// IDF per feature; empty without IDF.
    pub scale: Vec<f32>,
    /// Normalisation block per feature ([`super::model::block_of`]); all 0 without blocks.
    pub block: Vec<u8>,
}

/// Builds the pruned vocabulary from `examples`.
pub fn vocabulary(features: &Features, examples: &[Example], p: &TrainParams) -> Vocab {
    // fingerprint -> (document frequency, name, last post seen)
    let mut df: FpMap<(u32, String, u32)> = FpMap::default();
    let mut buf = FeatureBuf::default();
    for (i, e) in examples.iter().enumerate() {
        let post = i as u32 + 1;
        features.for_each(&e.text, e.account.as_deref(), &mut buf, |name, _, _, _| {
            let entry = df
                .entry(fingerprint(name.as_bytes()))
                .or_insert_with(|| (0, name.to_string(), 0));
            if entry.2 != post {
                entry.2 = post;
                entry.0 += 1;
            }
        });
    }
    let char_order_kept = |name: &str| match name.strip_prefix("c:") {
        Some(gram) => (p.char_min..=p.char_max).contains(&gram.chars().count()),
        None => true,
    };
    let mut kept: Vec<(u32, String)> = df
        .into_values()
        .filter(|(n, name, _)| *n as usize >= p.min_df && char_order_kept(name))
        .map(|(n, name, _)| (n, name))
        .collect();
    kept.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    kept.truncate(p.max_features);
    let n = examples.len() as f32;
    let scale = if p.idf {
        kept.iter()
            .map(|(d, _)| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0)
            .collect()
    } else {
        Vec::new()
    };
    let names: Vec<String> = kept.into_iter().map(|(_, f)| f).collect();
    let index = names
        .iter()
        .enumerate()
        .map(|(i, v)| (fingerprint(v.as_bytes()), i as u32))
        .collect();
    let block = names
        .iter()
        .map(|n| if p.block_norm { block_of(n) } else { 0 })
        .collect();
    Vocab {
        names,
        index,
        scale,
        block,
    }
}

/// The sparse design matrix of `examples` over `vocab`, with inference's feature values.
pub fn encode(features: &Features, examples: &[Example], vocab: &Vocab) -> Csr {
    let mut x = Csr::new(vocab.names.len());
    let mut cols: Vec<u32> = Vec::new();
    let mut vals: Vec<f32> = Vec::new();
    let mut buf = FeatureBuf::default();
    for e in examples {
        cols.clear();
        features.for_each(&e.text, e.account.as_deref(), &mut buf, |name, _, _, _| {
            if let Some(&c) = vocab.index.get(&fingerprint(name.as_bytes())) {
                cols.push(c);
            }
        });
        cols.sort_unstable();
        cols.dedup();
        vals.clear();
        let s = |c: u32| vocab.scale.get(c as usize).copied().unwrap_or(1.0);
        let b = |c: u32| vocab.block.get(c as usize).copied().unwrap_or(0) as usize;
        let mut ss = [0.0f32; 2];
        for &c in &cols {
            ss[b(c)] += s(c) * s(c);
        }
        let v = ss.map(|x| if x > 0.0 { 1.0 / x.sqrt() } else { 0.0 });
        vals.extend(cols.iter().map(|&c| v[b(c)] * s(c)));
        x.push_row(&cols, &vals);
    }
    x
}

/// Replication count per class (`counts[c]` rows of class `c`).
pub fn class_weights(counts: &[usize], p: &TrainParams) -> Vec<u32> {
    match p.class_weight {
        ClassWeight::None => vec![1; counts.len()],
        ClassWeight::Balanced => {
            let largest = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
            counts
                .iter()
                .map(|&n| {
                    if n == 0 {
                        1
                    } else {
                        ((largest / n as f64).round() as u32).clamp(1, p.weight_cap)
                    }
                })
                .collect()
        }
    }
}

/// The dense matrix of `x` with row `i` repeated `reps[i]` times.
pub fn dense(x: &Csr, reps: &[u32]) -> Array2<f32> {
    let rows: usize = reps.iter().map(|&r| r as usize).sum();
    let mut d = Array2::<f32>::zeros((rows, x.n_cols));
    let mut r = 0;
    for (i, &k) in reps.iter().enumerate() {
        let (cols, vals) = x.row(i);
        for _ in 0..k {
            for (&c, &v) in cols.iter().zip(vals) {
                d[[r, c as usize]] = v;
            }
            r += 1;
        }
    }
    d
}

fn repeat<T: Clone>(v: &[T], reps: &[u32]) -> Vec<T> {
    v.iter()
        .zip(reps)
        .flat_map(|(x, &k)| std::iter::repeat_n(x.clone(), k as usize))
        .collect()
}

fn dense_fits(x: &Csr, reps: &[u32], p: &TrainParams) -> Result<bool, TrainError> {
    let rows: usize = reps.iter().map(|&r| r as usize).sum();
    let bytes = rows.saturating_mul(x.n_cols).saturating_mul(4);
    let fits = bytes <= p.dense_budget_mb.saturating_mul(1 << 20);
    match p.linfa {
        Linfa::Never => Ok(false),
        Linfa::Auto => Ok(fits),
        Linfa::Always if fits => Ok(true),
        Linfa::Always => Err(TrainError::Params(format!(
            "linfa's dense matrix would take {} MiB ({rows} rows x {} features), over the \
             budget of {} MiB",
            bytes >> 20,
            x.n_cols,
            p.dense_budget_mb
        ))),
    }
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

fn settings(p: &TrainParams, trainer: &str, sol: &Solution) -> serde_json::Value {
    let mut v = serde_json::to_value(p).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("trainer".into(), trainer.into());
        o.insert("solver_iterations".into(), sol.iterations.into());
        o.insert("feature_set".into(), FEATURE_SET.into());
    }
    v
}

/// A fitted binary model, with linfa's fitted object and dense matrix when linfa refit it.
pub struct BinaryFit {
    pub model: LinearModel,
    pub linfa: Option<linfa_logistic::FittedLogisticRegression<f32, bool>>,
    /// The dense matrix linfa saw (rows replicated by class weight).
    pub dense: Option<Array2<f32>>,
    pub solution: Solution,
}

/// The sparse fit of the binary task on an encoded matrix (used by cross-validation too).
pub fn fit_binary_sparse(
    x: &Csr,
    y: &[bool],
    p: &TrainParams,
    start: Option<&Solution>,
) -> (Solution, Vec<u32>) {
    let counts = [
        y.iter().filter(|b| !**b).count(),
        y.iter().filter(|b| **b).count(),
    ];
    let cw = class_weights(&counts, p);
    let reps: Vec<u32> = y.iter().map(|b| cw[*b as usize]).collect();
    let sw: Vec<f64> = reps.iter().map(|&r| r as f64).collect();
    let sol = solver::fit(x, Targets::Binary(y), Some(&sw), p.solver(), start);
    (sol, reps)
}

/// Trains the binary complaint model (`label == "1"` is a complaint).
pub fn train_binary(
    features: &Features,
    examples: &[Example],
    p: &TrainParams,
    trained_on: &str,
) -> Result<BinaryFit, TrainError> {
    p.check()?;
    let y: Vec<bool> = examples.iter().map(|e| e.label == "1").collect();
    let pos = y.iter().filter(|b| **b).count();
    if pos == 0 || pos == y.len() {
        return Err(TrainError::Data(
            "the complaint task needs both complaints (label 1) and non-complaints (label 0)"
                .into(),
        ));
    }
    let features = &features.with_options(p.feature_options);
    let vocab = vocabulary(features, examples, p);
    let x = encode(features, examples, &vocab);
    let (sol, reps) = fit_binary_sparse(&x, &y, p, None);
    let mut weights: Vec<f32> = sol.weights.iter().map(|w| *w as f32).collect();
    let mut intercepts = vec![sol.intercepts[0] as f32];
    let mut trainer = "sparse-lbfgs".to_string();
    let (mut linfa_fit, mut dense_x) = (None, None);
    if dense_fits(&x, &reps, p)? {
        let d = dense(&x, &reps);
        let yy = Array1::from(repeat(&y, &reps));
        let mut init = Array1::<f32>::zeros(x.n_cols + 1);
        for (i, w) in weights.iter().enumerate() {
            init[i] = *w;
        }
        init[x.n_cols] = intercepts[0];
        let ds = Dataset::new(d, yy);
        let fit = LogisticRegression::default()
            .alpha(p.alpha)
            .max_iterations(p.max_iterations)
            .initial_params(init)
            .fit(&ds)?;
        // linfa's positive class is the larger label (`true`); flip defensively anyway so our
        // logit always means "complaint"
        let sign = if fit.labels().pos.class { 1.0 } else { -1.0 };
        weights = fit.params().iter().map(|w| sign * w).collect();
        intercepts = vec![sign * fit.intercept()];
        trainer = "linfa-logistic (warm-started from sparse-lbfgs)".into();
        dense_x = Some(ds.records().to_owned());
        linfa_fit = Some(fit);
    }
    let id = model_id(Task::Complaint, &vocab.names, &weights, &intercepts);
    let mut model = LinearModel::new(
        id,
        Task::Complaint,
        trained_on.to_string(),
        vec!["complaint".into()],
        vocab.names,
        weights,
        intercepts,
        settings(p, &trainer, &sol),
    );
    model.scale = vocab.scale;
    model.block_norm = p.block_norm;
    model.build_index();
    Ok(BinaryFit {
        model,
        linfa: linfa_fit,
        dense: dense_x,
        solution: sol,
    })
}

/// A fitted multiclass model, with linfa's fitted object and dense matrix when linfa refit it.
pub struct MultiFit {
    pub model: LinearModel,
    pub linfa: Option<linfa_logistic::MultiFittedLogisticRegression<f32, usize>>,
    pub dense: Option<Array2<f32>>,
    pub solution: Solution,
}

/// The sparse fit of the multiclass task; `y` indexes `k` classes.
pub fn fit_multi_sparse(
    x: &Csr,
    y: &[usize],
    k: usize,
    p: &TrainParams,
    start: Option<&Solution>,
) -> (Solution, Vec<u32>) {
    let mut counts = vec![0usize; k];
    for &c in y {
        counts[c] += 1;
    }
    let cw = class_weights(&counts, p);
    let reps: Vec<u32> = y.iter().map(|&c| cw[c]).collect();
    let sw: Vec<f64> = reps.iter().map(|&r| r as f64).collect();
    if !p.one_vs_rest {
        let sol = solver::fit(x, Targets::Multi(y, k), Some(&sw), p.solver(), start);
        return (sol, reps);
    }
    // one binary model per class, each row weighted as in the multinomial fit; the columns
    // of the warm start seed the classes' fits
    let mut sol = Solution {
        k,
        weights: vec![0.0; x.n_cols * k],
        intercepts: vec![0.0; k],
        iterations: 0,
        objective: 0.0,
    };
    for c in 0..k {
        let yc: Vec<bool> = y.iter().map(|&l| l == c).collect();
        let seed = start.filter(|s| s.k == k).map(|s| Solution {
            k: 1,
            weights: (0..x.n_cols).map(|j| s.weights[j * k + c]).collect(),
            intercepts: vec![s.intercepts[c]],
            iterations: 0,
            objective: 0.0,
        });
        let one = solver::fit(
            x,
            Targets::Binary(&yc),
            Some(&sw),
            p.solver(),
            seed.as_ref(),
        );
        for j in 0..x.n_cols {
            sol.weights[j * k + c] = one.weights[j];
        }
        sol.intercepts[c] = one.intercepts[0];
        sol.iterations = sol.iterations.max(one.iterations);
        sol.objective += one.objective;
    }
    (sol, reps)
}

/// The sorted distinct labels of `examples` and each example's index into them.
pub fn label_index(examples: &[Example]) -> (Vec<String>, Vec<usize>) {
    let mut labels: Vec<String> = examples.iter().map(|e| e.label.clone()).collect();
    labels.sort();
    labels.dedup();
    let y = examples
        .iter()
        .map(|e| labels.binary_search(&e.label).unwrap_or(0))
        .collect();
    (labels, y)
}

/// Trains the multiclass agency model.
pub fn train_multi(
    features: &Features,
    examples: &[Example],
    p: &TrainParams,
    trained_on: &str,
) -> Result<MultiFit, TrainError> {
    p.check()?;
    let (labels, y) = label_index(examples);
    if labels.len() < 2 {
        return Err(TrainError::Data(
            "the agency task needs at least two agencies".into(),
        ));
    }
    let k = labels.len();
    let features = &features.with_options(p.feature_options);
    let vocab = vocabulary(features, examples, p);
    let x = encode(features, examples, &vocab);
    let (sol, reps) = fit_multi_sparse(&x, &y, k, p, None);
    let mut weights: Vec<f32> = sol.weights.iter().map(|w| *w as f32).collect();
    let mut intercepts: Vec<f32> = sol.intercepts.iter().map(|w| *w as f32).collect();
    let mut trainer = "sparse-lbfgs".to_string();
    let (mut linfa_fit, mut dense_x) = (None, None);
    // linfa fits the multinomial model only
    if !p.one_vs_rest && dense_fits(&x, &reps, p)? {
        let d = dense(&x, &reps);
        let yy = Array1::from(repeat(&y, &reps));
        let mut init = Array2::<f32>::zeros((x.n_cols + 1, k));
        for j in 0..x.n_cols {
            for c in 0..k {
                init[[j, c]] = weights[j * k + c];
            }
        }
        for c in 0..k {
            init[[x.n_cols, c]] = intercepts[c];
        }
        let ds = Dataset::new(d, yy);
        let fit = MultiLogisticRegression::default()
            .alpha(p.alpha)
            .max_iterations(p.max_iterations)
            .initial_params(init)
            .fit(&ds)?;
        // linfa's classes are the sorted distinct indices: all of 0..k, in order
        if fit.classes().iter().copied().eq(0..k) {
            weights = fit.params().iter().copied().collect();
            intercepts = fit.intercept().to_vec();
            trainer = "linfa-logistic (warm-started from sparse-lbfgs)".into();
        }
        dense_x = Some(ds.records().to_owned());
        linfa_fit = Some(fit);
    }
    let id = model_id(Task::Agency, &vocab.names, &weights, &intercepts);
    let mut model = LinearModel::new(
        id,
        Task::Agency,
        trained_on.to_string(),
        labels,
        vocab.names,
        weights,
        intercepts,
        settings(p, &trainer, &sol),
    );
    model.scale = vocab.scale;
    model.block_norm = p.block_norm;
    model.build_index();
    Ok(MultiFit {
        model,
        linfa: linfa_fit,
        dense: dense_x,
        solution: sol,
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

    fn params() -> TrainParams {
        TrainParams {
            min_df: 1,
            linfa: Linfa::Always,
            ..TrainParams::default()
        }
    }

    #[test]
    fn sparse_inference_agrees_with_linfa_binary() {
        let f = Features::new(Vec::<String>::new());
        for (idf, cw) in [(false, ClassWeight::None), (true, ClassWeight::Balanced)] {
            let p = TrainParams {
                idf,
                class_weight: cw,
                block_norm: idf,
                ..params()
            };
            let ex = complaint_examples();
            let fit = train_binary(&f, &ex, &p, "test").unwrap();
            let linfa = fit.linfa.as_ref().expect("linfa refit within budget");
            let d = fit.dense.as_ref().unwrap();
            let linfa_p = linfa.predict_probabilities(d);
            let linfa_labels = linfa.predict(d);
            let mut s = Scratch::default();
            // rows of `d` are the examples, replicated by class weight, in order
            let pos = ex.iter().filter(|e| e.label == "1").count();
            let cwt = class_weights(&[ex.len() - pos, pos], &p);
            let reps: Vec<usize> = ex
                .iter()
                .map(|e| cwt[(e.label == "1") as usize] as usize)
                .collect();
            assert_eq!(d.nrows(), reps.iter().sum::<usize>());
            let mut row = 0;
            for (i, e) in ex.iter().enumerate() {
                fit.model.collect(&f, &e.text, e.account.as_deref(), &mut s);
                let ours = fit.model.probability(fit.model.logits(&mut s)[0]);
                let theirs = if linfa.labels().pos.class {
                    linfa_p[row]
                } else {
                    1.0 - linfa_p[row]
                };
                assert!((ours - theirs).abs() < 1e-4, "{i}: {ours} vs {theirs}");
                assert_eq!(ours >= 0.5, linfa_labels[row], "{i}");
                assert_eq!(ours >= 0.5, e.label == "1", "learned example {i}");
                row += reps[i];
            }
            // the sparse solver reached linfa's optimum
            for (a, b) in fit.solution.weights.iter().zip(&fit.model.weights) {
                assert!((*a as f32 - b).abs() < 2e-2, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn sparse_inference_agrees_with_linfa_multiclass() {
        let f = Features::new(Vec::<String>::new());
        let ex = vec![
            ex("jalan rusak berlubang", "dinas-pupr"),
            ex("jalan berlubang parah", "dinas-pupr"),
            ex("jalan amblas parah", "dinas-pupr"),
            ex("sampah menumpuk bau", "dlh"),
            ex("sampah tidak diangkut", "dlh"),
            ex("air ledeng mati", "pdam"),
            ex("air keruh bau", "pdam"),
        ];
        for cw in [ClassWeight::None, ClassWeight::Balanced] {
            let p = TrainParams {
                class_weight: cw,
                ..params()
            };
            let fit = train_multi(&f, &ex, &p, "test").unwrap();
            assert!(fit.model.settings["trainer"]
                .as_str()
                .unwrap()
                .starts_with("linfa"));
            let linfa = fit.linfa.as_ref().unwrap();
            let d = fit.dense.as_ref().unwrap();
            // balanced: round(3/3) = 1 for dinas-pupr, round(3/2) = 2 for the others
            assert_eq!(d.nrows(), if cw == ClassWeight::Balanced { 11 } else { 7 });
            let linfa_p = linfa.predict_probabilities(d);
            let linfa_labels = linfa.predict(d);
            let mut s = Scratch::default();
            let mut row = 0;
            for e in &ex {
                fit.model.collect(&f, &e.text, e.account.as_deref(), &mut s);
                let mut probs = fit.model.logits(&mut s).to_vec();
                crate::classify::model::softmax(&mut probs);
                for (c, p) in probs.iter().enumerate() {
                    assert!((p - linfa_p[[row, c]]).abs() < 1e-4);
                }
                let best = probs
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .unwrap()
                    .0;
                assert_eq!(fit.model.labels[best], fit.model.labels[linfa_labels[row]]);
                assert_eq!(fit.model.labels[best], e.label);
                row += if cw == ClassWeight::Balanced && e.label != "dinas-pupr" {
                    2
                } else {
                    1
                };
            }
        }
    }

    #[test]
    fn sparse_only_training_exports_the_solver_weights() {
        let f = Features::default();
        let p = TrainParams {
            linfa: Linfa::Never,
            ..params()
        };
        let fit = train_binary(&f, &complaint_examples(), &p, "t").unwrap();
        assert!(fit.linfa.is_none());
        assert_eq!(fit.model.settings["trainer"], "sparse-lbfgs");
        let p = TrainParams {
            dense_budget_mb: 0,
            ..params()
        };
        assert!(matches!(
            train_binary(&f, &complaint_examples(), &p, "t"),
            Err(TrainError::Params(m)) if m.contains("budget")
        ));
    }

    #[test]
    fn vocabulary_prunes_by_document_frequency() {
        let f = Features::default();
        let ex = vec![ex("jalan jalan rusak", "1"), ex("jalan bagus", "0")];
        let p = TrainParams {
            min_df: 2,
            max_features: 1000,
            ..TrainParams::default()
        };
        let v = vocabulary(&f, &ex, &p);
        assert!(v.names.contains(&"w:jalan".to_string()));
        assert!(!v.names.contains(&"w:rusak".to_string()));
        // most frequent first, ties by name
        let p = TrainParams {
            min_df: 1,
            max_features: 1,
            ..TrainParams::default()
        };
        assert_eq!(
            vocabulary(&f, &ex, &p).names,
            vec!["a:pemkot_bjm".to_string()]
        );
        let counts = [90, 10, 3];
        let p = TrainParams {
            class_weight: ClassWeight::Balanced,
            weight_cap: 16,
            ..TrainParams::default()
        };
        assert_eq!(class_weights(&counts, &p), vec![1, 9, 16]);
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
