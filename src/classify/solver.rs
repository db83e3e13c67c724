//! A sparse solver for the exact objective `linfa-logistic` minimises, with sample weights.
//!
//! Binary: `Σ_i s_i · log(1 + exp(-y_i z_i)) + α/2 ‖w‖²` with `y ∈ {-1, 1}`;
//! multinomial: `Σ_i s_i · (logsumexp(z_i) − z_i,y_i) + α/2 ‖W‖²`; `z = X·W + b`, the intercept
//! not penalised. With every `s_i = 1` this is linfa's objective (`linfa-logistic` 0.8:
//! `logistic_loss`, `multi_logistic_loss`); an integer `s_i` equals replicating row `i` `s_i`
//! times, which is how class weights reach linfa (it has no sample weights).
//!
//! Why a second solver: linfa works on a dense matrix, `rows × features` floats. On the
//! evaluation sets with character n-grams that is gigabytes, and model selection needs dozens
//! of fits; the sparse solver does each fit in seconds. linfa still fits the final models when
//! the dense matrix fits in memory (see [`super::train`]), warm-started from this solution, and
//! tests check that both reach the same optimum.
//!
//! Method: L-BFGS (memory 10) with a backtracking Armijo line search, in f64.

/// A compressed sparse row matrix of f32 values.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    pub n_cols: usize,
    /// Row `i` holds entries `indptr[i]..indptr[i + 1]`.
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Csr {
    /// An empty matrix with `n_cols` columns.
    pub fn new(n_cols: usize) -> Csr {
        Csr {
            n_cols,
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push_row(&mut self, cols: &[u32], vals: &[f32]) {
        self.indices.extend_from_slice(cols);
        self.values.extend_from_slice(vals);
        self.indptr.push(self.indices.len());
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Entries of row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// The rows listed in `which`, in that order.
    pub fn select(&self, which: &[usize]) -> Csr {
        let mut m = Csr::new(self.n_cols);
        for &i in which {
            let (c, v) = self.row(i);
            m.push_row(c, v);
        }
        m
    }
}

/// Solver settings.
#[derive(Debug, Clone, Copy)]
pub struct SolverParams {
    /// L2 weight (linfa's `alpha`).
    pub alpha: f64,
    pub max_iterations: usize,
    /// Stop when the objective improves by less than this fraction over an iteration.
    pub ftol: f64,
}

impl Default for SolverParams {
    fn default() -> Self {
        SolverParams {
            alpha: 1.0,
            max_iterations: 500,
            ftol: 1e-9,
        }
    }
}

/// A fitted model: weights feature-major (`n_cols × k`), intercepts (`k`).
#[derive(Debug, Clone)]
pub struct Solution {
    pub k: usize,
    pub weights: Vec<f64>,
    pub intercepts: Vec<f64>,
    pub iterations: usize,
    pub objective: f64,
}

impl Solution {
    /// Logits of row `i` of `x` into `out` (length `k`).
    pub fn logits(&self, x: &Csr, i: usize, out: &mut [f64]) {
        let k = self.k;
        out.copy_from_slice(&self.intercepts);
        let (cols, vals) = x.row(i);
        for (&c, &v) in cols.iter().zip(vals) {
            let w = &self.weights[c as usize * k..(c as usize + 1) * k];
            for (o, wk) in out.iter_mut().zip(w) {
                *o += v as f64 * wk;
            }
        }
    }
}

/// The training targets.
#[derive(Debug, Clone, Copy)]
pub enum Targets<'a> {
    /// Positive class or not.
    Binary(&'a [bool]),
    /// Class index per row, `k` classes.
    Multi(&'a [usize], usize),
}

impl Targets<'_> {
    fn k(&self) -> usize {
        match self {
            Targets::Binary(_) => 1,
            Targets::Multi(_, k) => *k,
        }
    }
}

struct Problem<'a> {
    x: &'a Csr,
    y: Targets<'a>,
    weights: &'a [f64],
    alpha: f64,
    k: usize,
}

impl Problem<'_> {
    fn dim(&self) -> usize {
        self.x.n_cols * self.k + self.k
    }

    /// Objective and gradient at `theta` (weights then intercepts). The per-row loops run on
    /// f32 copies (`w32`, `g32`): half the memory traffic of f64, which is what bounds them;
    /// losses and the regulariser are summed in f64.
    fn eval(&self, theta: &[f64], grad: &mut [f64], z: &mut [f64], work: &mut Work) -> f64 {
        let k = self.k;
        let nw = self.x.n_cols * k;
        let (w, b) = theta.split_at(nw);
        work.w32.clear();
        work.w32.extend(w.iter().map(|v| *v as f32));
        work.g32.clear();
        work.g32.resize(nw, 0.0);
        work.z32.clear();
        work.z32.resize(k, 0.0);
        let (w32, g32, z32) = (&work.w32, &mut work.g32, &mut work.z32);
        let mut gb = vec![0.0f64; k];
        let mut f = 0.0;
        for i in 0..self.x.n_rows() {
            let s = self.weights[i];
            if s == 0.0 {
                continue;
            }
            let (cols, vals) = self.x.row(i);
            z32.iter_mut().for_each(|v| *v = 0.0);
            for (&c, &v) in cols.iter().zip(vals) {
                let row = &w32[c as usize * k..(c as usize + 1) * k];
                for (zk, wk) in z32.iter_mut().zip(row) {
                    *zk += v * wk;
                }
            }
            for ((zk, z3), bk) in z.iter_mut().zip(z32.iter()).zip(b) {
                *zk = *z3 as f64 + bk;
            }
            // z becomes dLoss/dz
            match self.y {
                Targets::Binary(y) => {
                    let yi = if y[i] { 1.0 } else { -1.0 };
                    let m = yi * z[0];
                    f += s * log1p_exp(-m);
                    z[0] = -s * yi * sigmoid(-m);
                }
                Targets::Multi(y, _) => {
                    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for zk in z.iter_mut() {
                        *zk = (*zk - max).exp();
                        sum += *zk;
                    }
                    let yi = y[i];
                    f += s * (-(z[yi] / sum).ln());
                    for (c, zk) in z.iter_mut().enumerate() {
                        *zk = s * (*zk / sum - if c == yi { 1.0 } else { 0.0 });
                    }
                }
            }
            for (gbk, dk) in gb.iter_mut().zip(z.iter()) {
                *gbk += dk;
            }
            for (z3, zk) in z32.iter_mut().zip(z.iter()) {
                *z3 = *zk as f32;
            }
            for (&c, &v) in cols.iter().zip(vals) {
                let row = &mut g32[c as usize * k..(c as usize + 1) * k];
                for (g, dk) in row.iter_mut().zip(z32.iter()) {
                    *g += v * dk;
                }
            }
        }
        let mut reg = 0.0;
        for ((g, g3), wj) in grad[..nw].iter_mut().zip(g32.iter()).zip(w) {
            *g = *g3 as f64 + self.alpha * wj;
            reg += wj * wj;
        }
        grad[nw..].copy_from_slice(&gb);
        f + 0.5 * self.alpha * reg
    }
}

/// Reused f32 buffers of [`Problem::eval`].
#[derive(Default)]
struct Work {
    w32: Vec<f32>,
    g32: Vec<f32>,
    z32: Vec<f32>,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `log(1 + exp(x))` without overflow.
fn log1p_exp(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fits the weighted L2-regularised logistic model. `sample_weights` defaults to all ones;
/// `start` warm-starts from an earlier solution of the same shape.
pub fn fit(
    x: &Csr,
    y: Targets<'_>,
    sample_weights: Option<&[f64]>,
    p: SolverParams,
    start: Option<&Solution>,
) -> Solution {
    let ones;
    let weights = match sample_weights {
        Some(w) => w,
        None => {
            ones = vec![1.0; x.n_rows()];
            &ones
        }
    };
    let k = y.k();
    let prob = Problem {
        x,
        y,
        weights,
        alpha: p.alpha,
        k,
    };
    let n = prob.dim();
    let mut theta = vec![0.0; n];
    if let Some(s) = start {
        if s.k == k && s.weights.len() + s.intercepts.len() == n {
            theta[..s.weights.len()].copy_from_slice(&s.weights);
            theta[s.weights.len()..].copy_from_slice(&s.intercepts);
        }
    }
    let mut z = vec![0.0; k];
    let mut g = vec![0.0; n];
    let mut work = Work::default();
    let mut f = prob.eval(&theta, &mut g, &mut z, &mut work);
    const M: usize = 10;
    let mut s_hist: Vec<Vec<f64>> = Vec::with_capacity(M);
    let mut y_hist: Vec<Vec<f64>> = Vec::with_capacity(M);
    let mut rho: Vec<f64> = Vec::with_capacity(M);
    let mut d = vec![0.0; n];
    let mut theta_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut alpha_buf = [0.0; M];
    let mut iterations = 0;
    let g0 = dot(&g, &g).sqrt().max(1e-300);
    while iterations < p.max_iterations {
        iterations += 1;
        // two-loop recursion: d = -H g
        d.copy_from_slice(&g);
        let h = s_hist.len();
        for j in (0..h).rev() {
            let a = rho[j] * dot(&s_hist[j], &d);
            alpha_buf[j] = a;
            for (di, yi) in d.iter_mut().zip(&y_hist[j]) {
                *di -= a * yi;
            }
        }
        let gamma = if h > 0 {
            dot(&s_hist[h - 1], &y_hist[h - 1]) / dot(&y_hist[h - 1], &y_hist[h - 1])
        } else {
            1.0 / g0.max(1.0)
        };
        d.iter_mut().for_each(|di| *di *= gamma);
        for j in 0..h {
            let b = rho[j] * dot(&y_hist[j], &d);
            for (di, si) in d.iter_mut().zip(&s_hist[j]) {
                *di += si * (alpha_buf[j] - b);
            }
        }
        d.iter_mut().for_each(|di| *di = -*di);
        let mut gd = dot(&g, &d);
        if gd >= 0.0 {
            // not a descent direction: restart from steepest descent
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            for (di, gi) in d.iter_mut().zip(&g) {
                *di = -gi / g0.max(1.0);
            }
            gd = dot(&g, &d);
        }
        // backtracking Armijo line search
        let mut step = 1.0;
        let mut f_new;
        let mut accepted = false;
        loop {
            for ((t, th), di) in theta_new.iter_mut().zip(&theta).zip(&d) {
                *t = th + step * di;
            }
            f_new = prob.eval(&theta_new, &mut g_new, &mut z, &mut work);
            if f_new.is_finite() && f_new <= f + 1e-4 * step * gd {
                accepted = true;
                break;
            }
            step *= 0.5;
            if step < 1e-12 {
                break;
            }
        }
        if !accepted {
            break;
        }
        let s_vec: Vec<f64> = theta_new.iter().zip(&theta).map(|(a, b)| a - b).collect();
        let y_vec: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s_vec, &y_vec);
        if sy > 1e-12 {
            if s_hist.len() == M {
                s_hist.remove(0);
                y_hist.remove(0);
                rho.remove(0);
            }
            s_hist.push(s_vec);
            y_hist.push(y_vec);
            rho.push(1.0 / sy);
        }
        std::mem::swap(&mut theta, &mut theta_new);
        std::mem::swap(&mut g, &mut g_new);
        let improvement = f - f_new;
        f = f_new;
        if improvement <= p.ftol * f.abs().max(1.0) || dot(&g, &g).sqrt() <= 1e-7 * g0 {
            break;
        }
    }
    let nw = x.n_cols * k;
    Solution {
        k,
        weights: theta[..nw].to_vec(),
        intercepts: theta[nw..].to_vec(),
        iterations,
        objective: f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Csr, Vec<bool>) {
        // 3 features; feature 0 marks positives, 1 negatives, 2 is noise
        let mut x = Csr::new(3);
        let mut y = Vec::new();
        for i in 0..40 {
            let pos = i % 3 != 0;
            let c0 = if pos { 0 } else { 1 };
            if i % 5 == 0 {
                x.push_row(&[c0, 2], &[0.7, 0.7]);
            } else {
                x.push_row(&[c0], &[1.0]);
            }
            y.push(pos);
        }
        (x, y)
    }

    /// Central finite differences agree with the analytic gradient.
    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y) = toy();
        let cls: Vec<usize> = y
            .iter()
            .enumerate()
            .map(|(i, b)| if *b { i % 2 } else { 2 })
            .collect();
        let w: Vec<f64> = (0..40).map(|i| 1.0 + (i % 3) as f64).collect();
        for targets in [Targets::Binary(&y), Targets::Multi(&cls, 3)] {
            let k = targets.k();
            let prob = Problem {
                x: &x,
                y: targets,
                weights: &w,
                alpha: 0.7,
                k,
            };
            let n = prob.dim();
            let theta: Vec<f64> = (0..n).map(|i| 0.1 * i as f64 - 0.3).collect();
            let mut g = vec![0.0; n];
            let mut z = vec![0.0; k];
            let mut work = Work::default();
            prob.eval(&theta, &mut g, &mut z, &mut work);
            for j in 0..n {
                let mut a = theta.clone();
                let mut b = theta.clone();
                a[j] += 1e-2;
                b[j] -= 1e-2;
                let mut tmp = vec![0.0; n];
                let fd = (prob.eval(&a, &mut tmp, &mut z, &mut work)
                    - prob.eval(&b, &mut tmp, &mut z, &mut work))
                    / 2e-2;
                assert!(
                    (fd - g[j]).abs() < 1e-3 * (1.0 + fd.abs()),
                    "{j}: {fd} vs {}",
                    g[j]
                );
            }
        }
    }

    #[test]
    fn integer_weights_equal_replicated_rows() {
        let (x, y) = toy();
        let w: Vec<f64> = y.iter().map(|b| if *b { 1.0 } else { 3.0 }).collect();
        let a = fit(
            &x,
            Targets::Binary(&y),
            Some(&w),
            SolverParams::default(),
            None,
        );
        let mut rows = Vec::new();
        let mut yy = Vec::new();
        for (i, b) in y.iter().enumerate() {
            for _ in 0..(w[i] as usize) {
                rows.push(i);
                yy.push(*b);
            }
        }
        let xr = x.select(&rows);
        let b = fit(
            &xr,
            Targets::Binary(&yy),
            None,
            SolverParams::default(),
            None,
        );
        for (p, q) in a.weights.iter().zip(&b.weights) {
            assert!((p - q).abs() < 1e-3, "{p} vs {q}");
        }
        assert!((a.objective - b.objective).abs() < 1e-5 * a.objective.abs().max(1.0));
        assert!(a.weights[0] > 0.0 && a.weights[1] < 0.0);
    }
}
