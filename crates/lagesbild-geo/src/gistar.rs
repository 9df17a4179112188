//! Getis-Ord Gi* with binary weights, the cell itself among its neighbours:
//!
//! z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n W_i − W_i²) / (n − 1))),
//!
//! x̄ the mean and S the population standard deviation over all n cells, W_i = Σ_j w_ij. This is
//! ArcGIS's Gi* and equals PySAL `esda.G_Local(star=True, transform="B")` (tested to 1e-9).
//! p-values are two-sided from the normal distribution; optional conditional-randomisation
//! inference (the cell's own value fixed, its W_i − 1 neighbours drawn without replacement
//! from the other cells, seeded per cell so the result does not depend on threads), an optional
//! Benjamini–Hochberg correction, and ArcGIS's confidence bins ±3/±2/±1 (99/95/90 %).

use rayon::prelude::*;

use crate::rng::Rng;
use crate::stats::{benjamini_hochberg, two_sided_p};
use crate::weights::Weights;

/// The options of a Gi* run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Conditional permutations per cell (0: none, the normal p-values only).
    pub permutations: u32,
    pub seed: u64,
    /// Benjamini–Hochberg correction of the p-values used for the bins.
    pub fdr: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            permutations: 0,
            seed: 1,
            fdr: false,
        }
    }
}

/// Gi* per cell.
#[derive(Debug, Clone)]
pub struct GiStar {
    pub z: Vec<f64>,
    /// Two-sided normal p-values of `z`.
    pub p: Vec<f64>,
    /// Pseudo p-values from the permutations (folded, one-sided as esda's `p_sim`), if any.
    pub p_sim: Option<Vec<f64>>,
    /// Benjamini–Hochberg q-values of the p-values the bins use, if asked for.
    pub q: Option<Vec<f64>>,
    /// −3…3: a hot (+) or cold (−) spot at 99 (3), 95 (2) or 90 % (1) confidence, else 0.
    pub bin: Vec<i8>,
}

/// Mean and population standard deviation.
pub fn moments(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| v * v).sum::<f64>() / n - mean * mean;
    (mean, var.max(0.0).sqrt())
}

/// The z-score of one cell from its neighbourhood sum and size.
#[inline]
pub fn z_of(sum: f64, wi: f64, n: f64, mean: f64, sd: f64) -> f64 {
    let den = sd * ((n * wi - wi * wi) / (n - 1.0)).sqrt();
    if den > 0.0 {
        (sum - mean * wi) / den
    } else {
        f64::NAN
    }
}

/// The z-scores alone (the part esda computes analytically).
pub fn z_scores(x: &[f64], w: &Weights) -> Vec<f64> {
    let n = x.len() as f64;
    let (mean, sd) = moments(x);
    (0..x.len())
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| {
            let row = w.row(i);
            let sum: f64 = row.iter().map(|&j| x[j as usize]).sum();
            z_of(sum, row.len() as f64, n, mean, sd)
        })
        .collect()
}

/// The confidence bin of a z-score and the p-value that decides it.
pub fn bin(z: f64, p: f64) -> i8 {
    let level = if p <= 0.01 {
        3
    } else if p <= 0.05 {
        2
    } else if p <= 0.10 {
        1
    } else {
        0
    };
    if z > 0.0 { level } else { -level }
}

pub fn gi_star(x: &[f64], w: &Weights, opts: &Options) -> GiStar {
    let z = z_scores(x, w);
    let p: Vec<f64> = z.iter().map(|&z| two_sided_p(z)).collect();
    let p_sim = (opts.permutations > 0).then(|| permutation_p(x, w, opts.permutations, opts.seed));
    // the p-value the bins use: two-sided permutation p when there are permutations
    let decide: Vec<f64> = match &p_sim {
        Some(ps) => ps.iter().map(|p| (2.0 * p).min(1.0)).collect(),
        None => p.clone(),
    };
    let q = opts.fdr.then(|| benjamini_hochberg(&decide));
    let used = q.as_ref().unwrap_or(&decide);
    let bin = z
        .iter()
        .zip(used)
        .map(|(&z, &p)| if p.is_nan() { 0 } else { bin(z, p) })
        .collect();
    GiStar {
        z,
        p,
        p_sim,
        q,
        bin,
    }
}

/// Conditional randomisation: for each cell, `perms` draws of its W_i − 1 neighbours from the
/// other n − 1 values, its own value kept; p = (min(k, perms − k) + 1) / (perms + 1), k the
/// number of draws whose sum reaches the observed one (esda's folded `p_sim`).
pub fn permutation_p(x: &[f64], w: &Weights, perms: u32, seed: u64) -> Vec<f64> {
    let n = x.len();
    (0..n)
        .into_par_iter()
        .map(|i| {
            let row = w.row(i);
            let observed: f64 = row.iter().map(|&j| x[j as usize]).sum();
            let k = row.len().saturating_sub(1);
            if n < 2 || k == 0 || k >= n {
                return f64::NAN;
            }
            let mut rng = Rng::stream(seed, i as u64);
            let mut drawn: Vec<u32> = Vec::with_capacity(k);
            let mut larger = 0u32;
            for _ in 0..perms {
                drawn.clear();
                let mut sum = x[i];
                if k * 2 < n {
                    // rejection: k is small against n
                    while drawn.len() < k {
                        let mut j = rng.below(n as u64 - 1) as u32;
                        if j as usize >= i {
                            j += 1;
                        }
                        if !drawn.contains(&j) {
                            drawn.push(j);
                            sum += x[j as usize];
                        }
                    }
                } else {
                    let mut pool: Vec<u32> = (0..n as u32).filter(|&j| j as usize != i).collect();
                    for t in 0..k {
                        let r = t + rng.below((pool.len() - t) as u64) as usize;
                        pool.swap(t, r);
                        sum += x[pool[t] as usize];
                    }
                }
                if sum >= observed - 1e-9 * observed.abs().max(1.0) {
                    larger += 1;
                }
            }
            let folded = larger.min(perms - larger);
            (f64::from(folded) + 1.0) / (f64::from(perms) + 1.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5×5 lattice with queen neighbours and a hot centre.
    fn lattice() -> (Vec<f64>, Weights) {
        let mut lists = vec![Vec::new(); 25];
        for i in 0..5i32 {
            for j in 0..5i32 {
                for di in -1..=1 {
                    for dj in -1..=1 {
                        let (a, b) = (i + di, j + dj);
                        if (di, dj) != (0, 0) && (0..5).contains(&a) && (0..5).contains(&b) {
                            lists[(i * 5 + j) as usize].push((a * 5 + b) as u32);
                        }
                    }
                }
            }
        }
        let mut x = vec![1.0; 25];
        for c in [6, 7, 8, 11, 12, 13, 16, 17, 18] {
            x[c] = 6.0;
        }
        x[12] = 10.0;
        (x, Weights::from_lists(&lists))
    }

    #[test]
    fn hot_centre_by_hand() {
        let (x, w) = lattice();
        let g = gi_star(&x, &w, &Options::default());
        // the centre: all nine cells of the block, sum 58; mean 74/25, S by hand
        let mean: f64 = 74.0 / 25.0;
        let sq: f64 = 16.0 + 8.0 * 36.0 + 100.0;
        let sd = (sq / 25.0 - mean * mean).sqrt();
        let want = (58.0 - mean * 9.0) / (sd * ((25.0 * 9.0 - 81.0) / 24.0f64).sqrt());
        assert!((g.z[12] - want).abs() < 1e-12);
        assert_eq!(g.bin[12], 3);
        assert!(g.z[0] < 0.0);
    }

    #[test]
    fn permutations_agree_with_the_normal_approximation_on_the_hot_centre() {
        let (x, w) = lattice();
        let opts = Options {
            permutations: 999,
            seed: 7,
            fdr: true,
        };
        let g = gi_star(&x, &w, &opts);
        let ps = g.p_sim.as_ref().unwrap();
        assert!(ps[12] < 0.01, "{}", ps[12]);
        assert!(ps[2] > 0.05);
        // the same seed gives the same result
        assert_eq!(gi_star(&x, &w, &opts).p_sim.unwrap(), *ps);
        let q = g.q.unwrap();
        assert!(
            q.iter()
                .zip(ps)
                .all(|(q, p)| *q >= (2.0 * p).min(1.0) - 1e-15)
        );
    }
}
