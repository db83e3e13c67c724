//! Model selection by time-forward cross-validation inside the training rows, Platt
//! calibration on the out-of-fold scores, and the decision threshold.
//!
//! Rows are in time order. Each fold trains on the rows before a cut and validates on the
//! next slice (complaint: tenths 6–10; agency: 55–70%, 70–85%, 85–100%), like the product
//! which always predicts posts newer than its training data. Validation rows that are near
//! duplicates (SimHash, [`super::dedup`]) of a training row of their fold are dropped: retweets
//! of a training post would flatter the score. Deterministic: no randomness at all.
//!
//! Each candidate (regularisation, IDF, class weights) is scored on the pooled out-of-fold
//! predictions of all folds:
//! - complaint: Platt scaling is fitted on the pooled logits; the threshold (0.20–0.80) and the
//!   candidate both maximise the mean per-fold F1 minus the excess of the false-alarm rate on
//!   optional *proxy negatives* (general texts, none a complaint) over `false_alarm_target`;
//! - agency: the mean of macro-F1, accuracy and top-3 accuracy.
//!
//! The best candidate's calibration and threshold are kept for the final model, which is then
//! trained on all rows.

use super::calibrate;
use super::dedup::{self, DupIndex, DupKey};
use super::features::Features;
use super::model::Platt;
use super::model::{LinearModel, Task};
use super::solver::{Csr, Solution};
use super::train::{self, ClassWeight, Example, TrainError, TrainParams};

/// The candidates to compare.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Grid {
    pub alphas: Vec<f32>,
    pub idf: Vec<bool>,
    pub block_norm: Vec<bool>,
    pub class_weight: Vec<ClassWeight>,
}

impl Grid {
    /// The default grid for the complaint task.
    pub fn complaint() -> Grid {
        Grid {
            alphas: vec![0.1, 0.2, 0.4, 0.8, 1.6, 3.2],
            idf: vec![false, true],
            block_norm: vec![false, true],
            class_weight: vec![ClassWeight::None, ClassWeight::Balanced],
        }
    }

    /// The default grid for the agency task.
    pub fn agency() -> Grid {
        Grid {
            alphas: vec![0.1, 0.3, 1.0, 3.0],
            idf: vec![true],
            block_norm: vec![false, true],
            class_weight: vec![ClassWeight::Balanced],
        }
    }
}

/// Validation slices, as fractions of the rows: fold `i` trains on `[0, cuts[i])` and
/// validates on `[cuts[i], cuts[i + 1])`.
pub fn complaint_cuts() -> Vec<f64> {
    vec![0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
}

/// Validation slices of the agency task.
pub fn agency_cuts() -> Vec<f64> {
    vec![0.55, 0.70, 0.85, 1.0]
}

/// One fold: train rows `0..train_end`, validation rows listed (near duplicates removed).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fold {
    pub train_end: usize,
    pub validate: Vec<usize>,
    /// Validation rows dropped as near duplicates of training rows.
    pub dropped: usize,
}

/// Builds the time-forward folds of `keys.len()` rows with their near-duplicate filtering. The
/// first `prefix` rows are extra training data (another source, such as the project corpus
/// beside a real split): every fold trains on them, none validates on them, and the cuts are
/// fractions of the rows after them.
pub fn folds(keys: &[DupKey], cuts: &[f64], prefix: usize) -> Vec<Fold> {
    let n = keys.len();
    let prefix = prefix.min(n);
    let at = |c: f64| (prefix + ((n - prefix) as f64 * c).floor() as usize).min(n);
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (at(w[0]), at(w[1]));
        if a == 0 || b <= a {
            continue;
        }
        let mut idx = DupIndex::new();
        for k in &keys[..a] {
            idx.assign(*k);
        }
        let validate: Vec<usize> = (a..b).filter(|&i| idx.find(keys[i]).is_none()).collect();
        out.push(Fold {
            train_end: a,
            dropped: (b - a) - validate.len(),
            validate,
        });
    }
    out
}

/// The cross-validated result of one candidate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CandidateResult {
    pub alpha: f32,
    pub idf: bool,
    pub block_norm: bool,
    pub class_weight: ClassWeight,
    /// Complaint: mean per-fold F1 at the chosen threshold. Agency: macro-F1.
    pub f1: f64,
    /// Per-fold F1 (complaint) or macro-F1 (agency).
    pub per_fold: Vec<f64>,
    /// Complaint: false-alarm rate on the proxy negatives (mean over folds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_false_alarms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platt: Option<Platt>,
    /// Agency: accuracy and top-3 accuracy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top3: Option<f64>,
    /// Out-of-fold calibration error (complaint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ece: Option<f64>,
    /// The number the selection maximises.
    pub score: f64,
}

/// What selection found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Selection {
    pub best: CandidateResult,
    pub candidates: Vec<CandidateResult>,
    pub folds: Vec<FoldSummary>,
}

/// A fold's size, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FoldSummary {
    pub train_rows: usize,
    pub validate_rows: usize,
    pub dropped_near_duplicates: usize,
}

impl Selection {
    /// `base` with the selected candidate's settings.
    pub fn params(&self, base: &TrainParams) -> TrainParams {
        TrainParams {
            alpha: self.best.alpha,
            idf: self.best.idf,
            block_norm: self.best.block_norm,
            class_weight: self.best.class_weight,
            ..base.clone()
        }
    }
}

/// Selection options.
#[derive(Debug, Clone)]
pub struct Options {
    pub grid: Grid,
    pub cuts: Vec<f64>,
    /// Tolerated false-alarm rate on the proxy negatives before the score is penalised.
    pub false_alarm_target: f64,
    /// Leading examples that are extra training data: in every fold's training part, never
    /// validated on (see [`folds`]).
    pub prefix: usize,
}

/// One point of the grid besides the regularisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cand {
    idf: bool,
    block_norm: bool,
    class_weight: ClassWeight,
}

impl Grid {
    fn cands(&self) -> Vec<Cand> {
        let mut out = Vec::new();
        for &idf in &self.idf {
            for &block_norm in &self.block_norm {
                for &class_weight in &self.class_weight {
                    out.push(Cand {
                        idf,
                        block_norm,
                        class_weight,
                    });
                }
            }
        }
        out
    }

    /// The distinct feature representations (idf, block_norm) of the candidates.
    fn representations(&self) -> Vec<(bool, bool)> {
        let mut out = Vec::new();
        for &idf in &self.idf {
            for &b in &self.block_norm {
                out.push((idf, b));
            }
        }
        out
    }
}

fn params_for(base: &TrainParams, alpha: f32, c: Cand) -> TrainParams {
    TrainParams {
        alpha,
        idf: c.idf,
        block_norm: c.block_norm,
        class_weight: c.class_weight,
        max_iterations: base.max_iterations.min(300),
        // model selection compares candidates; it does not need the last digits
        tolerance: base.tolerance.max(1e-7),
        ..base.clone()
    }
}

struct FoldData {
    x_train: Csr,
    x_val: Csr,
    x_proxy: Option<Csr>,
}

fn fold_data(
    features: &Features,
    examples: &[Example],
    fold: &Fold,
    proxy: Option<&[Example]>,
    p: &TrainParams,
) -> FoldData {
    let train_rows = &examples[..fold.train_end];
    let vocab = train::vocabulary(features, train_rows, p);
    let val: Vec<Example> = fold.validate.iter().map(|&i| examples[i].clone()).collect();
    FoldData {
        x_train: train::encode(features, train_rows, &vocab),
        x_val: train::encode(features, &val, &vocab),
        x_proxy: proxy.map(|px| train::encode(features, px, &vocab)),
    }
}

/// One fold's out-of-fold result: (fold, validation logits, proxy logits).
type BinaryRun = (usize, Vec<f32>, Vec<f32>);
/// One fold's out-of-fold result: (fold, validation logits per class).
type MultiRun = (usize, Vec<Vec<f32>>);

fn logits(sol: &Solution, x: &Csr) -> Vec<Vec<f32>> {
    let mut out = vec![0.0; sol.k];
    (0..x.n_rows())
        .map(|i| {
            sol.logits(x, i, &mut out);
            out.iter().map(|v| *v as f32).collect()
        })
        .collect()
}

/// Cross-validates the complaint task over the grid. `log` receives progress lines.
pub fn select_binary(
    features: &Features,
    examples: &[Example],
    base: &TrainParams,
    opts: &Options,
    proxy: Option<&[Example]>,
    mut log: impl FnMut(&str),
) -> Selection {
    let features = &features.with_options(base.feature_options);
    let keys: Vec<DupKey> = examples
        .iter()
        .map(|e| dedup::key_of(features, &e.text))
        .collect();
    let y: Vec<bool> = examples.iter().map(|e| e.label == "1").collect();
    // a fold whose training rows hold one class only cannot train a model
    let folds: Vec<Fold> = folds(&keys, &opts.cuts, opts.prefix)
        .into_iter()
        .filter(|f| {
            let pos = y[..f.train_end].iter().filter(|b| **b).count();
            pos > 0 && pos < f.train_end && !f.validate.is_empty()
        })
        .collect();
    let mut alphas = opts.grid.alphas.clone();
    alphas.sort_by(|a, b| b.total_cmp(a)); // strongest first: warm starts go downhill
    let cands = opts.grid.cands();
    // oof[cand][alpha] = (fold, logits of validation rows, logits of proxy rows)
    let mut oof: Vec<Vec<Vec<BinaryRun>>> = vec![vec![Vec::new(); alphas.len()]; cands.len()];
    for (fi, fold) in folds.iter().enumerate() {
        let ytr = &y[..fold.train_end];
        for (idf, block_norm) in opts.grid.representations() {
            let rep = Cand {
                idf,
                block_norm,
                class_weight: ClassWeight::None,
            };
            let data = fold_data(features, examples, fold, proxy, &params_for(base, 1.0, rep));
            for (ci, &c) in cands.iter().enumerate() {
                if (c.idf, c.block_norm) != (idf, block_norm) {
                    continue;
                }
                let mut start: Option<Solution> = None;
                for (ai, &alpha) in alphas.iter().enumerate() {
                    let p = params_for(base, alpha, c);
                    let (sol, _) = train::fit_binary_sparse(&data.x_train, ytr, &p, start.as_ref());
                    let val: Vec<f32> = logits(&sol, &data.x_val).iter().map(|v| v[0]).collect();
                    let px: Vec<f32> = data
                        .x_proxy
                        .as_ref()
                        .map(|x| logits(&sol, x).iter().map(|v| v[0]).collect())
                        .unwrap_or_default();
                    log(&format!(
                        "fold {}/{} {c:?} alpha={alpha}: {} iterations",
                        fi + 1,
                        folds.len(),
                        sol.iterations
                    ));
                    oof[ci][ai].push((fi, val, px));
                    start = Some(sol);
                }
            }
        }
    }
    let mut results = Vec::new();
    for (ci, &c) in cands.iter().enumerate() {
        for (ai, &alpha) in alphas.iter().enumerate() {
            let runs = &oof[ci][ai];
            let mut z = Vec::new();
            let mut g = Vec::new();
            for (fi, val, _) in runs {
                z.extend_from_slice(val);
                g.extend(folds[*fi].validate.iter().map(|&i| y[i]));
            }
            let platt = calibrate::platt(&z, &g);
            let probs: Vec<f32> = z.iter().map(|&l| calibrate::apply(platt, l)).collect();
            // per fold: (validation probabilities, gold, proxy probabilities)
            let mut parts = Vec::new();
            let mut off = 0;
            for (_, val, px) in runs {
                let n = val.len();
                let pp: Vec<f32> = px.iter().map(|&l| calibrate::apply(platt, l)).collect();
                parts.push((&probs[off..off + n], &g[off..off + n], pp));
                off += n;
            }
            let has_proxy = parts.iter().any(|p| !p.2.is_empty());
            // the threshold and the score maximise the same objective: mean per-fold F1 minus
            // the excess of the proxy false-alarm rate over the target
            let eval_at = |t: f32| -> (f64, Vec<f64>, Option<f64>) {
                let per_fold: Vec<f64> = parts
                    .iter()
                    .map(|(p, g, _)| calibrate::f1_at(p, g, t))
                    .collect();
                let f1 = per_fold.iter().sum::<f64>() / per_fold.len().max(1) as f64;
                let fa = has_proxy.then(|| {
                    parts
                        .iter()
                        .map(|(_, _, px)| {
                            px.iter().filter(|&&p| p >= t).count() as f64 / px.len().max(1) as f64
                        })
                        .sum::<f64>()
                        / parts.len().max(1) as f64
                });
                (f1, per_fold, fa)
            };
            let objective = |f1: f64, fa: Option<f64>| {
                f1 - fa
                    .map(|f| (f - opts.false_alarm_target).max(0.0))
                    .unwrap_or(0.0)
            };
            let mut t = 0.5f32;
            let (f, _, fa) = eval_at(t);
            let mut best = objective(f, fa);
            for i in 20..=80 {
                let ti = i as f32 / 100.0;
                let (f, _, fa) = eval_at(ti);
                let o = objective(f, fa);
                if o > best + 1e-12 || (o >= best - 1e-12 && (ti - 0.5).abs() < (t - 0.5).abs()) {
                    best = o;
                    t = ti;
                }
            }
            let (f1, per_fold, proxy_fa) = eval_at(t);
            let ece = super::eval::calibration(&g, &probs, 10).ece;
            results.push(CandidateResult {
                alpha,
                idf: c.idf,
                block_norm: c.block_norm,
                class_weight: c.class_weight,
                f1,
                per_fold,
                proxy_false_alarms: proxy_fa,
                threshold: Some(t),
                platt: Some(platt),
                accuracy: None,
                top3: None,
                ece: Some(ece),
                score: objective(f1, proxy_fa),
            });
        }
    }
    finish(results, &folds)
}

fn finish(results: Vec<CandidateResult>, folds: &[Fold]) -> Selection {
    // best score; ties (within 1e-9) go to the stronger regularisation
    let best = results
        .iter()
        .max_by(|a, b| {
            a.score
                .partial_cmp(&b.score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.alpha.total_cmp(&b.alpha))
        })
        .cloned()
        .unwrap_or_else(|| CandidateResult {
            alpha: TrainParams::default().alpha,
            idf: false,
            block_norm: TrainParams::default().block_norm,
            class_weight: ClassWeight::None,
            f1: 0.0,
            per_fold: Vec::new(),
            proxy_false_alarms: None,
            threshold: None,
            platt: None,
            accuracy: None,
            top3: None,
            ece: None,
            score: 0.0,
        });
    Selection {
        best,
        candidates: results,
        folds: folds
            .iter()
            .map(|f| FoldSummary {
                train_rows: f.train_end,
                validate_rows: f.validate.len(),
                dropped_near_duplicates: f.dropped,
            })
            .collect(),
    }
}

/// Cross-validates the agency task over the grid.
pub fn select_multi(
    features: &Features,
    examples: &[Example],
    base: &TrainParams,
    opts: &Options,
    mut log: impl FnMut(&str),
) -> Selection {
    let features = &features.with_options(base.feature_options);
    let keys: Vec<DupKey> = examples
        .iter()
        .map(|e| dedup::key_of(features, &e.text))
        .collect();
    let (labels, y) = train::label_index(examples);
    let folds: Vec<Fold> = folds(&keys, &opts.cuts, opts.prefix)
        .into_iter()
        .filter(|f| {
            let first = y.first().copied();
            y[..f.train_end].iter().any(|c| Some(*c) != first) && !f.validate.is_empty()
        })
        .collect();
    let k = labels.len();
    let mut alphas = opts.grid.alphas.clone();
    alphas.sort_by(|a, b| b.total_cmp(a));
    let cands = opts.grid.cands();
    let mut oof: Vec<Vec<Vec<MultiRun>>> = vec![vec![Vec::new(); alphas.len()]; cands.len()];
    for (fi, fold) in folds.iter().enumerate() {
        let ytr = &y[..fold.train_end];
        for (idf, block_norm) in opts.grid.representations() {
            let rep = Cand {
                idf,
                block_norm,
                class_weight: ClassWeight::None,
            };
            let data = fold_data(features, examples, fold, None, &params_for(base, 1.0, rep));
            for (ci, &c) in cands.iter().enumerate() {
                if (c.idf, c.block_norm) != (idf, block_norm) {
                    continue;
                }
                let mut start: Option<Solution> = None;
                for (ai, &alpha) in alphas.iter().enumerate() {
                    let p = params_for(base, alpha, c);
                    let (sol, _) =
                        train::fit_multi_sparse(&data.x_train, ytr, k, &p, start.as_ref());
                    log(&format!(
                        "fold {}/{} {c:?} alpha={alpha}: {} iterations",
                        fi + 1,
                        folds.len(),
                        sol.iterations
                    ));
                    oof[ci][ai].push((fi, logits(&sol, &data.x_val)));
                    start = Some(sol);
                }
            }
        }
    }
    let mut results = Vec::new();
    for (ci, &c) in cands.iter().enumerate() {
        for (ai, &alpha) in alphas.iter().enumerate() {
            let mut gold = Vec::new();
            let mut ranked = Vec::new();
            let mut per_fold = Vec::new();
            for (fi, val) in &oof[ci][ai] {
                let mut fg = Vec::new();
                let mut fr = Vec::new();
                for (&i, l) in folds[*fi].validate.iter().zip(val) {
                    let mut order: Vec<usize> = (0..l.len()).collect();
                    order.sort_by(|a, b| l[*b].total_cmp(&l[*a]));
                    fg.push(labels[y[i]].clone());
                    fr.push(order.iter().take(3).map(|&c| labels[c].clone()).collect());
                }
                per_fold.push(super::eval::multiclass(&fg, &fr).macro_f1);
                gold.extend(fg);
                ranked.extend(fr);
            }
            let m = super::eval::multiclass(&gold, &ranked);
            results.push(CandidateResult {
                alpha,
                idf: c.idf,
                block_norm: c.block_norm,
                class_weight: c.class_weight,
                f1: m.macro_f1,
                per_fold,
                proxy_false_alarms: None,
                threshold: None,
                platt: None,
                accuracy: Some(m.accuracy),
                top3: Some(m.top3),
                ece: None,
                score: (m.macro_f1 + m.accuracy + m.top3) / 3.0,
            });
        }
    }
    finish(results, &folds)
}

/// Selects by cross-validation, then trains the final model on all `examples` with the
/// selected settings, its calibration and threshold. `log` receives progress lines.
#[allow(clippy::too_many_arguments)]
pub fn train_selected(
    task: Task,
    features: &Features,
    examples: &[Example],
    base: &TrainParams,
    opts: &Options,
    proxy: Option<&[Example]>,
    trained_on: &str,
    mut log: impl FnMut(&str),
) -> Result<(LinearModel, Selection), TrainError> {
    base.check()?;
    let sel = match task {
        Task::Complaint => select_binary(features, examples, base, opts, proxy, &mut log),
        Task::Agency => select_multi(features, examples, base, opts, &mut log),
    };
    let p = sel.params(base);
    log(&format!(
        "selected alpha={} idf={} block_norm={} class_weight={:?} (CV score {:.4}); training on \
         all {} rows",
        p.alpha,
        p.idf,
        p.block_norm,
        p.class_weight,
        sel.best.score,
        examples.len()
    ));
    let mut m = match task {
        Task::Complaint => train::train_binary(features, examples, &p, trained_on)?.model,
        Task::Agency => train::train_multi(features, examples, &p, trained_on)?.model,
    };
    m.calibration = sel.best.platt;
    m.threshold = sel.best.threshold;
    if let Some(o) = m.settings.as_object_mut() {
        let mut handles: Vec<&String> = features.gov_handles().iter().collect();
        handles.sort();
        o.insert(
            "watched_handles".into(),
            serde_json::to_value(handles).unwrap_or_default(),
        );
        o.insert(
            "selection".into(),
            serde_json::json!({
                "cv": "time-forward",
                "cuts": opts.cuts,
                "grid": opts.grid,
                "cv_score": sel.best.score,
                "cv_f1": sel.best.f1,
                "cv_accuracy": sel.best.accuracy,
                "cv_top3": sel.best.top3,
                "cv_proxy_false_alarms": sel.best.proxy_false_alarms,
                "cv_ece": sel.best.ece,
            }),
        );
    }
    Ok((m, sel))
}

/// A deterministic shuffle (SplitMix64-driven Fisher–Yates) for corpora without a time order.
pub fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str, label: &str) -> Example {
        Example {
            text: text.into(),
            account: None,
            label: label.into(),
        }
    }

    #[test]
    fn folds_are_time_forward_and_drop_near_duplicates_of_training_rows() {
        let f = Features::default();
        let texts: Vec<String> = (0..20)
            .map(|i| format!("kata{i}a kata{i}b kata{i}c kata{i}d kata{i}e"))
            .collect();
        let mut keys: Vec<DupKey> = texts.iter().map(|t| dedup::key_of(&f, t)).collect();
        // row 15 is a retweet of row 2
        keys[15] = dedup::key_of(&f, &format!("RT @x: {}", texts[2]));
        let fs = folds(&keys, &[0.5, 0.75, 1.0], 0);
        assert_eq!(fs.len(), 2);
        assert_eq!(fs[0].train_end, 10);
        assert_eq!(fs[0].validate, (10..15).collect::<Vec<_>>());
        assert_eq!(fs[1].train_end, 15);
        assert_eq!(fs[1].validate, (16..20).collect::<Vec<_>>());
        assert_eq!(fs[1].dropped, 1);
    }

    #[test]
    fn extra_rows_in_front_train_every_fold_and_are_never_validated() {
        let f = Features::default();
        let keys: Vec<DupKey> = (0..28)
            .map(|i| dedup::key_of(&f, &format!("kata{i}a kata{i}b kata{i}c kata{i}d")))
            .collect();
        // 8 extra rows, then 20 rows of the split: cuts are fractions of those 20
        let fs = folds(&keys, &[0.5, 0.75, 1.0], 8);
        assert_eq!(fs.len(), 2);
        assert_eq!(fs[0].train_end, 18);
        assert_eq!(fs[0].validate, (18..23).collect::<Vec<_>>());
        assert_eq!(fs[1].train_end, 23);
        assert_eq!(fs[1].validate, (23..28).collect::<Vec<_>>());
        assert!(fs.iter().all(|f| f.validate.iter().all(|&i| i >= 8)));
    }

    #[test]
    fn selection_is_deterministic_and_prefers_a_model_that_learns() {
        let f = Features::default();
        let mut ex_all = Vec::new();
        let bad = [
            "jalan rusak",
            "lampu mati",
            "sampah menumpuk",
            "air keruh",
            "got mampet",
        ];
        let good = [
            "terima kasih",
            "selamat pagi",
            "mantap sekali",
            "semangat pak",
            "keren acaranya",
        ];
        for i in 0..60 {
            let (t, l) = if i % 2 == 0 {
                let k = format!("k{i}a k{i}b k{i}c k{i}d k{i}e");
                (format!("{} di gang {k} tolong", bad[i % 5]), "1")
            } else {
                let k = format!("k{i}a k{i}b k{i}c k{i}d k{i}e");
                (format!("{} warga {k}", good[i % 5]), "0")
            };
            ex_all.push(ex(&t, l));
        }
        let opts = Options {
            grid: Grid {
                alphas: vec![0.1, 1.0],
                idf: vec![false],
                block_norm: vec![true],
                class_weight: vec![ClassWeight::None],
            },
            cuts: vec![0.5, 0.75, 1.0],
            false_alarm_target: 0.1,
            prefix: 0,
        };
        let proxy = vec![ex("resep kue enak sekali", "0"), ex("film bagus", "0")];
        let base = TrainParams {
            min_df: 1,
            ..TrainParams::default()
        };
        let a = select_binary(&f, &ex_all, &base, &opts, Some(&proxy), |_| {});
        let b = select_binary(&f, &ex_all, &base, &opts, Some(&proxy), |_| {});
        assert_eq!(a.candidates.len(), 2);
        assert!(a.best.f1 > 0.9, "{:?}", a.best);
        assert_eq!(a.best.alpha, b.best.alpha);
        assert_eq!(a.best.threshold, b.best.threshold);
        assert!(a.best.proxy_false_alarms.is_some());
        let multi: Vec<Example> = ex_all
            .iter()
            .enumerate()
            .map(|(i, e)| ex(&e.text, ["dinas-pupr", "dlh", "pdam"][i % 3]))
            .collect();
        let m = select_multi(&f, &multi, &base, &opts, |_| {});
        assert_eq!(m.candidates.len(), 2);
        assert!(m.best.accuracy.is_some());
    }
}
