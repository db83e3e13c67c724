//! Calibration of binary scores: Platt scaling fitted on out-of-fold logits, and the decision
//! threshold that maximises F1 on them.

use super::model::{sigmoid, Platt};

/// Fits `p = sigmoid(a·z + b)` to logits `z` and labels by Newton's method on the log loss,
/// with Platt's smoothed targets (`(n₊+1)/(n₊+2)`, `1/(n₋+2)`) so separable folds do not push
/// the slope to infinity.
pub fn platt(logits: &[f32], gold: &[bool]) -> Platt {
    let npos = gold.iter().filter(|g| **g).count() as f64;
    let nneg = gold.len() as f64 - npos;
    let hi = (npos + 1.0) / (npos + 2.0);
    let lo = 1.0 / (nneg + 2.0);
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let loss = |a: f64, b: f64| -> f64 {
        logits
            .iter()
            .zip(gold)
            .map(|(&z, &g)| {
                let t = if g { hi } else { lo };
                let m = a * z as f64 + b;
                // -t log σ(m) - (1-t) log(1-σ(m)) = log(1+e^m) - t m
                let lse = if m > 30.0 { m } else { m.exp().ln_1p() };
                lse - t * m
            })
            .sum()
    };
    let mut f = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&z, &g) in logits.iter().zip(gold) {
            let z = z as f64;
            let t = if g { hi } else { lo };
            let p = 1.0 / (1.0 + (-(a * z + b)).exp());
            let d = p - t;
            let w = (p * (1.0 - p)).max(1e-12);
            ga += d * z;
            gb += d;
            haa += w * z * z;
            hab += w * z;
            hbb += w;
        }
        haa += 1e-9;
        hbb += 1e-9;
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        let mut step = 1.0;
        let mut improved = false;
        while step > 1e-8 {
            let (na, nb) = (a - step * da, b - step * db);
            let nf = loss(na, nb);
            if nf <= f {
                improved = f - nf > 1e-12 * f.abs().max(1.0);
                a = na;
                b = nb;
                f = nf;
                break;
            }
            step *= 0.5;
        }
        if !improved {
            break;
        }
    }
    Platt {
        a: a as f32,
        b: b as f32,
    }
}

/// F1 of the positive class for scores `probs` at `threshold`.
pub fn f1_at(probs: &[f32], gold: &[bool], threshold: f32) -> f64 {
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (&p, &g) in probs.iter().zip(gold) {
        match (p >= threshold, g) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
    }
    if tp == 0 {
        0.0
    } else {
        2.0 * tp as f64 / (2 * tp + fp + fneg) as f64
    }
}

/// The threshold in `0.20..=0.80` (steps of 0.01) that maximises F1; ties go to the one nearest
/// 0.5, so flat regions do not drift to an extreme.
pub fn best_threshold(probs: &[f32], gold: &[bool]) -> (f32, f64) {
    let mut best = (0.5f32, f1_at(probs, gold, 0.5));
    for i in 20..=80 {
        let t = i as f32 / 100.0;
        let f = f1_at(probs, gold, t);
        if f > best.1 + 1e-12 || (f >= best.1 - 1e-12 && (t - 0.5).abs() < (best.0 - 0.5).abs()) {
            best = (t, f);
        }
    }
    best
}

/// Applies a Platt calibration to a logit.
pub fn apply(c: Platt, logit: f32) -> f32 {
    sigmoid(c.a * logit + c.b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_recovers_a_known_scaling() {
        // labels drawn from sigmoid(2z - 1) deterministically: for each z, 1000 draws split
        // by the true probability
        let mut z = Vec::new();
        let mut g = Vec::new();
        for i in -20..=20 {
            let zi = i as f32 / 10.0;
            let p = sigmoid(2.0 * zi - 1.0);
            let npos = (p * 200.0).round() as usize;
            for k in 0..200 {
                z.push(zi);
                g.push(k < npos);
            }
        }
        let c = platt(&z, &g);
        assert!((c.a - 2.0).abs() < 0.05, "{c:?}");
        assert!((c.b + 1.0).abs() < 0.05, "{c:?}");
    }

    #[test]
    fn threshold_maximises_f1() {
        let probs = [0.9, 0.8, 0.45, 0.42, 0.3, 0.1];
        let gold = [true, true, true, true, false, false];
        let (t, f) = best_threshold(&probs, &gold);
        assert!(t <= 0.42 && t > 0.3, "{t}");
        assert!((f - 1.0).abs() < 1e-9);
        assert_eq!(f1_at(&probs, &gold, 0.95), 0.0);
    }
}
