//! The Fellegi–Sunter model: for every comparison level, `m` (the probability of the level
//! among true matches) and `u` (among non-matches), and the prior `λ` (the share of all pairs of
//! records that match). A pair's match weight is `log2(λ/(1−λ)) + Σ log2(m/u)` plus the
//! term-frequency adjustments, its probability `2^w / (1 + 2^w)`.
//!
//! Training follows Splink: `u` is counted on random pairs of records (almost all of them
//! non-matches); `m` is estimated by expectation–maximisation on the pairs of each blocking rule
//! in turn, leaving out the comparisons that rule fixes (pairs that share a birth date say
//! nothing about how often matches share one), and averaged over the rules that estimated it;
//! `λ` is estimated by EM on all candidate pairs and scaled to all pairs.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::compare::{COMPARISONS, FIRST, K, LAST, Levels, MAX_LEVELS, compare, pack, unpack};
use crate::record::Dataset;
use crate::rng::SplitMix;
use crate::text::FxMap;

/// The parameters of the model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Params {
    /// The prior probability that two records drawn at random match.
    pub lambda: f64,
    /// `m[k][level]`; level 0 (null) is unused.
    pub m: Vec<Vec<f64>>,
    /// `u[k][level]`.
    pub u: Vec<Vec<f64>>,
    /// Whether the parameters were estimated from the data (otherwise they are the defaults).
    pub trained: bool,
    /// Term-frequency adjustment on exact first- and last-name agreement.
    pub tf_names: bool,
}

/// The smallest probability a level gets, so that no weight is infinite.
const FLOOR: f64 = 1e-9;

impl Default for Params {
    /// Hand-set parameters for data too small to train on, from the shape of Swedish registers:
    /// names agree exactly for most matches and rarely by chance; birth dates are rarely wrong;
    /// a shared personnummer, phone or e-mail is almost never chance.
    fn default() -> Self {
        let m = vec![
            vec![0.0, 0.80, 0.03, 0.06, 0.04, 0.03, 0.01, 0.01, 0.02],
            vec![0.0, 0.82, 0.05, 0.06, 0.03, 0.02, 0.005, 0.001, 0.014],
            vec![0.0, 0.90, 0.01, 0.04, 0.02, 0.02, 0.01],
            vec![0.0, 0.99, 0.01],
            vec![0.0, 0.85, 0.02, 0.13],
            vec![0.0, 0.85, 0.05, 0.10],
            vec![0.0, 0.60, 0.10, 0.10, 0.20],
            vec![0.0, 0.60, 0.40],
        ];
        let u = vec![
            vec![0.0, 0.02, 0.001, 0.001, 0.002, 0.01, 0.03, 0.01, 0.926],
            vec![0.0, 0.03, 0.001, 0.001, 0.002, 0.01, 0.03, 0.001, 0.925],
            vec![0.0, 0.0004, 0.00001, 0.0005, 0.004, 0.03, 0.96549],
            vec![0.0, 1e-7, 1.0 - 1e-7],
            vec![0.0, 0.00005, 0.0005, 0.99945],
            vec![0.0, 0.00005, 0.0005, 0.99945],
            vec![0.0, 0.0002, 0.002, 0.1, 0.8978],
            vec![0.0, 0.00001, 0.99999],
        ];
        Params {
            lambda: 1e-4,
            m,
            u,
            trained: false,
            // name frequencies in a small file say nothing; training turns this on
            tf_names: false,
        }
    }
}

impl Params {
    /// `log2(m/u)` of every level (0 for null).
    pub fn weights(&self) -> [[f64; MAX_LEVELS]; K] {
        let mut w = [[0.0; MAX_LEVELS]; K];
        for k in 0..K {
            for l in 1..COMPARISONS[k].levels.len() {
                w[k][l] = (self.m[k][l].max(FLOOR) / self.u[k][l].max(FLOOR)).log2();
            }
        }
        w
    }

    /// `log2(λ/(1−λ))`.
    pub fn prior_weight(&self) -> f64 {
        let l = self.lambda.clamp(FLOOR, 1.0 - FLOOR);
        (l / (1.0 - l)).log2()
    }
}

/// The probability of a match weight.
pub fn probability(weight: f64) -> f64 {
    let b = weight.exp2();
    if b.is_infinite() { 1.0 } else { b / (1.0 + b) }
}

/// The term-frequency adjustment of an exact name agreement on a name with share `tf`: the
/// level's `u` is the chance that two random records share *some* name; for this name it is
/// `tf`, so rare names weigh more and common ones (Andersson, Johansson) less.
pub fn tf_adjustment(u_exact: f64, tf: f64) -> f64 {
    (u_exact.max(FLOOR) / tf.max(FLOOR)).log2()
}

/// Pattern counts: distinct level vectors and how many pairs have each.
pub type Patterns = Vec<(Levels, f64)>;

/// Counts the level patterns of the pairs selected by `pick`.
pub fn count_patterns(levels: &[Levels], pick: impl Fn(usize) -> bool + Sync) -> Patterns {
    let map = levels
        .par_iter()
        .enumerate()
        .filter(|(i, _)| pick(*i))
        .fold(FxMap::<u64, f64>::default, |mut m, (_, l)| {
            *m.entry(pack(l)).or_default() += 1.0;
            m
        })
        .reduce(FxMap::default, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    let mut v: Patterns = map.into_iter().map(|(k, c)| (unpack(k), c)).collect();
    v.sort_by_key(|(l, _)| pack(l));
    v
}

/// `u` from `samples` random pairs of records (left × right in a linkage), with add-one
/// smoothing.
pub fn estimate_u(data: &Dataset, samples: usize, seed: u64) -> Vec<Vec<f64>> {
    let n = data.len();
    let left: Vec<u32> = (0..n as u32)
        .filter(|i| data.records[*i as usize].side == 0)
        .collect();
    let right: Vec<u32> = (0..n as u32)
        .filter(|i| data.records[*i as usize].side == 1)
        .collect();
    let linking = !right.is_empty();
    let total = if linking {
        left.len() as f64 * right.len() as f64
    } else {
        n as f64 * (n as f64 - 1.0) / 2.0
    };
    let samples = (samples as f64).min(total).max(0.0) as usize;
    let chunks = 64usize;
    let per = samples.div_ceil(chunks);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = SplitMix::new(seed ^ (c as u64).wrapping_mul(0x9e37_79b9));
            let mut counts = [[0f64; MAX_LEVELS]; K];
            for _ in 0..per {
                let (i, j) = if linking {
                    (
                        left[rng.below(left.len() as u64) as usize] as usize,
                        right[rng.below(right.len() as u64) as usize] as usize,
                    )
                } else {
                    let i = rng.below(n as u64) as usize;
                    let mut j = rng.below(n as u64 - 1) as usize;
                    if j >= i {
                        j += 1;
                    }
                    (i, j)
                };
                let (_, l) = compare(data, i, j);
                for k in 0..K {
                    counts[k][l[k] as usize] += 1.0;
                }
            }
            counts
        })
        .reduce(
            || [[0f64; MAX_LEVELS]; K],
            |mut a, b| {
                for k in 0..K {
                    for l in 0..MAX_LEVELS {
                        a[k][l] += b[k][l];
                    }
                }
                a
            },
        );
    let defaults = Params::default();
    (0..K)
        .map(|k| {
            let levels = COMPARISONS[k].levels.len();
            let seen: f64 = counts[k][1..levels].iter().sum();
            if seen < 1000.0 {
                // too few non-null comparisons to count: keep the defaults
                return defaults.u[k].clone();
            }
            let mut u = vec![0.0; levels];
            for l in 1..levels {
                u[l] = (counts[k][l] + 1.0) / (seen + levels as f64);
            }
            u
        })
        .collect()
}

/// One EM session on `patterns` with `u` fixed: estimates `λ` (within these pairs) and, with
/// `fit_m`, `m` of the comparisons in `active`; the others are left out of the likelihood. Returns the `m`
/// estimates and the within-session `λ`.
pub fn em(
    patterns: &Patterns,
    params: &Params,
    active: [bool; K],
    iterations: usize,
    fit_m: bool,
) -> (Vec<Vec<f64>>, f64) {
    let mut m = params.m.clone();
    let mut lambda = 0.1f64;
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    if total == 0.0 {
        return (m, lambda);
    }
    for _ in 0..iterations {
        let mut mass = vec![[0f64; MAX_LEVELS]; K];
        let mut matched = 0.0;
        for (levels, count) in patterns {
            let (mut pm, mut pu) = (lambda.ln(), (1.0 - lambda).ln());
            for k in 0..K {
                let l = levels[k] as usize;
                if !active[k] || l == 0 {
                    continue;
                }
                pm += m[k][l].max(FLOOR).ln();
                pu += params.u[k][l].max(FLOOR).ln();
            }
            let post = 1.0 / (1.0 + (pu - pm).exp());
            let w = post * count;
            matched += w;
            for k in 0..K {
                mass[k][levels[k] as usize] += w;
            }
        }
        lambda = (matched / total).clamp(1e-6, 1.0 - 1e-6);
        for k in 0..K {
            if !active[k] || !fit_m {
                continue;
            }
            let levels = COMPARISONS[k].levels.len();
            let seen: f64 = mass[k][1..levels].iter().sum();
            if seen <= 0.0 {
                continue;
            }
            for l in 1..levels {
                m[k][l] = (mass[k][l] / seen).max(1e-6);
            }
        }
    }
    (m, lambda)
}

/// Whether a comparison's level counts as a name agreement for term frequency.
pub fn tf_comparison(k: usize) -> bool {
    k == FIRST || k == LAST
}
