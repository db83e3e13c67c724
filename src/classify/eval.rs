//! Evaluation metrics: precision / recall / F1 of the complaint class, macro-F1, accuracy,
//! top-3 accuracy and confusion matrices, computed the way `../shared/eval/README.md` fixes them.

use serde::Serialize;
use std::collections::BTreeMap;

/// Binary metrics with label 1 as the positive class.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BinaryMetrics {
    pub n: usize,
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    pub r#fn: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Unweighted mean of F1(label 0) and F1(label 1).
    pub macro_f1: f64,
    pub accuracy: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores binary predictions against gold labels.
pub fn binary(gold: &[bool], pred: &[bool]) -> BinaryMetrics {
    let (mut tp, mut fp, mut tn, mut fneg) = (0, 0, 0, 0);
    for (g, p) in gold.iter().zip(pred) {
        match (g, p) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (false, false) => tn += 1,
            (true, false) => fneg += 1,
        }
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fneg);
    let f1_pos = f1(precision, recall);
    let f1_neg = f1(ratio(tn, tn + fneg), ratio(tn, tn + fp));
    BinaryMetrics {
        n: gold.len(),
        tp,
        fp,
        tn,
        r#fn: fneg,
        precision,
        recall,
        f1: f1_pos,
        macro_f1: (f1_pos + f1_neg) / 2.0,
        accuracy: ratio(tp + tn, gold.len()),
    }
}

/// Multiclass metrics.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MultiMetrics {
    pub n: usize,
    pub accuracy: f64,
    /// Mean per-class F1 over the classes present in gold.
    pub macro_f1: f64,
    /// Share of rows whose gold class is among the 3 best-ranked.
    pub top3: f64,
    /// Per-class F1 (classes present in gold).
    pub per_class_f1: BTreeMap<String, f64>,
    /// `confusion[gold][pred]` counts.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

/// Scores ranked multiclass predictions: `ranked[i]` lists classes best first.
pub fn multiclass(gold: &[String], ranked: &[Vec<String>]) -> MultiMetrics {
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut correct = 0;
    let mut top3 = 0;
    for (g, r) in gold.iter().zip(ranked) {
        let p = r.first().cloned().unwrap_or_default();
        if &p == g {
            correct += 1;
        }
        if r.iter().take(3).any(|c| c == g) {
            top3 += 1;
        }
        *confusion
            .entry(g.clone())
            .or_default()
            .entry(p)
            .or_default() += 1;
    }
    let mut per_class_f1 = BTreeMap::new();
    for class in confusion.keys() {
        let tp = confusion[class].get(class).copied().unwrap_or(0);
        let gold_n: usize = confusion[class].values().sum();
        let pred_n: usize = confusion
            .values()
            .map(|row| row.get(class).copied().unwrap_or(0))
            .sum();
        per_class_f1.insert(class.clone(), f1(ratio(tp, pred_n), ratio(tp, gold_n)));
    }
    let macro_f1 = if per_class_f1.is_empty() {
        0.0
    } else {
        per_class_f1.values().sum::<f64>() / per_class_f1.len() as f64
    };
    MultiMetrics {
        n: gold.len(),
        accuracy: ratio(correct, gold.len()),
        macro_f1,
        top3: ratio(top3, gold.len()),
        per_class_f1,
        confusion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_metrics_by_hand() {
        let gold = [true, true, false, false, true];
        let pred = [true, false, true, false, true];
        let m = binary(&gold, &pred);
        assert_eq!((m.tp, m.fp, m.tn, m.r#fn), (2, 1, 1, 1));
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((m.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((m.macro_f1 - (2.0 / 3.0 + 0.5) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn multiclass_metrics_by_hand() {
        let s = |x: &str| x.to_string();
        let gold = vec![s("a"), s("a"), s("b"), s("c")];
        let ranked = vec![
            vec![s("a"), s("b"), s("c")],
            vec![s("b"), s("a"), s("c")],
            vec![s("b"), s("a"), s("c")],
            vec![s("a"), s("b"), s("d")],
        ];
        let m = multiclass(&gold, &ranked);
        assert_eq!(m.accuracy, 0.5);
        assert_eq!(m.top3, 0.75);
        // a: p=1/2 r=1/2 -> .5 ; b: p=1/2 r=1 -> .667 ; c: 0
        assert!((m.macro_f1 - (0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-9);
        assert_eq!(m.confusion["a"]["b"], 1);
    }
}

/// One bin of a reliability table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
    /// Mean predicted probability in the bin.
    pub mean_p: f64,
    /// Share of positives in the bin.
    pub observed: f64,
}

/// Expected calibration error with its reliability table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Calibration {
    pub ece: f64,
    pub bins: Vec<Bin>,
}

/// Reliability table over `n_bins` equal-width bins and the expected calibration error
/// (bin-size-weighted mean |observed − predicted|).
pub fn calibration(gold: &[bool], probs: &[f32], n_bins: usize) -> Calibration {
    let mut sums = vec![(0usize, 0f64, 0usize); n_bins];
    for (g, p) in gold.iter().zip(probs) {
        let b = ((*p as f64 * n_bins as f64) as usize).min(n_bins - 1);
        sums[b].0 += 1;
        sums[b].1 += *p as f64;
        sums[b].2 += *g as usize;
    }
    let total = gold.len().max(1) as f64;
    let mut ece = 0.0;
    let bins = sums
        .iter()
        .enumerate()
        .map(|(i, &(n, sp, pos))| {
            let mean_p = if n > 0 { sp / n as f64 } else { 0.0 };
            let observed = ratio(pos, n);
            ece += n as f64 / total * (observed - mean_p).abs();
            Bin {
                lo: i as f64 / n_bins as f64,
                hi: (i + 1) as f64 / n_bins as f64,
                n,
                mean_p,
                observed,
            }
        })
        .collect();
    Calibration { ece, bins }
}

#[cfg(test)]
mod calibration_tests {
    use super::*;

    #[test]
    fn perfectly_calibrated_bins_have_zero_error() {
        let gold = [true, false, true, false];
        let probs = [0.5, 0.5, 0.5, 0.5];
        let c = calibration(&gold, &probs, 10);
        assert!(c.ece.abs() < 1e-9);
        let overconfident = calibration(&[false, false], &[0.95, 0.95], 10);
        assert!((overconfident.ece - 0.95).abs() < 1e-6);
    }
}
