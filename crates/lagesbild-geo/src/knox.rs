//! The near-repeat Knox test, as the Near Repeat Calculator reports it: every pair of events is
//! counted in a spatial band × temporal band table (the last band of each open: "further" /
//! "later"); the times are permuted among the events (the places kept) to get the expected
//! table under no space-time interaction; the Knox ratio is observed / mean of the
//! simulations, and the p-value (k + 1) / (s + 1) with k the simulations whose count reaches the
//! observed one.
//!
//! Only pairs closer than the last spatial edge are recounted per simulation: the open spatial
//! band is the total per temporal band (which permuting times does not change) minus the
//! close pairs.

use rayon::prelude::*;
use serde::Serialize;

use crate::rng::Rng;

#[derive(Debug, Clone)]
pub struct Options {
    /// Upper edges of the spatial bands in metres, ascending (e.g. 100, 200, 300, 400); a last
    /// open band holds the pairs further apart.
    pub space: Vec<f64>,
    /// Upper edges of the temporal bands in days, ascending (e.g. 7, 14, 21, 28).
    pub time: Vec<f64>,
    pub simulations: u32,
    pub seed: u64,
}

/// One cell of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// [from, to) metres; `to` is null for the open band.
    pub space: (f64, Option<f64>),
    /// [from, to) days.
    pub time: (f64, Option<f64>),
    pub observed: u64,
    pub expected: f64,
    pub ratio: f64,
    pub p: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Knox {
    pub events: usize,
    pub pairs: u64,
    pub simulations: u32,
    pub space_bands: usize,
    pub time_bands: usize,
    /// Row-major: spatial band, then temporal band.
    pub bands: Vec<Band>,
}

impl Knox {
    pub fn band(&self, s: usize, t: usize) -> &Band {
        &self.bands[s * self.time_bands + t]
    }
}

#[inline]
fn band_of(edges: &[f64], v: f64) -> usize {
    edges.iter().position(|&e| v < e).unwrap_or(edges.len())
}

/// The pairs closer than `max` metres: (i, j, spatial band).
fn close_pairs(e: &[f64], n: &[f64], edges: &[f64]) -> Vec<(u32, u32, u8)> {
    let max = *edges.last().unwrap_or(&0.0);
    if max <= 0.0 {
        return Vec::new();
    }
    let key = |i: usize| ((e[i] / max).floor() as i64, (n[i] / max).floor() as i64);
    let mut order: Vec<u32> = (0..e.len() as u32).collect();
    order.sort_unstable_by_key(|&i| key(i as usize));
    let keys: Vec<(i64, i64)> = order.iter().map(|&i| key(i as usize)).collect();
    let m2 = max * max;
    (0..e.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let (bx, by) = key(i);
            let mut out = Vec::new();
            for dx in -1..=1 {
                for dy in -1..=1 {
                    let k = (bx + dx, by + dy);
                    let start = keys.partition_point(|x| *x < k);
                    for (pos, kk) in keys[start..].iter().enumerate() {
                        if *kk != k {
                            break;
                        }
                        let j = order[start + pos] as usize;
                        if j <= i {
                            continue;
                        }
                        let d2 = (e[i] - e[j]).powi(2) + (n[i] - n[j]).powi(2);
                        if d2 < m2 {
                            out.push((i as u32, j as u32, band_of(edges, d2.sqrt()) as u8));
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// Knox test of events at (easting, northing) in metres with times in days.
pub fn knox(e: &[f64], n: &[f64], days: &[f64], opts: &Options) -> Knox {
    let ns = opts.space.len() + 1;
    let nt = opts.time.len() + 1;
    let pairs = close_pairs(e, n, &opts.space);
    // all pairs per temporal band, from sorted times
    let mut sorted = days.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut total_t = vec![0u64; nt];
    let mut below = vec![0u64; opts.time.len()];
    for (i, &t) in sorted.iter().enumerate() {
        for (k, &edge) in opts.time.iter().enumerate() {
            // later events j > i with t_j − t_i < edge
            let hi = sorted.partition_point(|&v| v < t + edge);
            below[k] += (hi.max(i + 1) - (i + 1)) as u64;
        }
    }
    let all = (days.len() as u64) * (days.len() as u64).saturating_sub(1) / 2;
    for k in 0..nt {
        let upto = if k < opts.time.len() { below[k] } else { all };
        let prev = if k == 0 { 0 } else { below[k - 1] };
        total_t[k] = upto - prev;
    }
    let count = |t: &[f64]| -> Vec<u64> {
        let mut table = vec![0u64; ns * nt];
        for &(i, j, s) in &pairs {
            let dt = (t[i as usize] - t[j as usize]).abs();
            table[s as usize * nt + band_of(&opts.time, dt)] += 1;
        }
        for k in 0..nt {
            let close: u64 = (0..ns - 1).map(|s| table[s * nt + k]).sum();
            table[(ns - 1) * nt + k] = total_t[k] - close;
        }
        table
    };
    let observed = count(days);
    let sims: Vec<Vec<u64>> = (0..opts.simulations)
        .into_par_iter()
        .map(|s| {
            let mut rng = Rng::stream(opts.seed, u64::from(s));
            let mut t = days.to_vec();
            rng.shuffle(&mut t);
            count(&t)
        })
        .collect();
    let sims_f = f64::from(opts.simulations.max(1));
    let edge = |edges: &[f64], k: usize| -> (f64, Option<f64>) {
        (
            if k == 0 { 0.0 } else { edges[k - 1] },
            edges.get(k).copied(),
        )
    };
    let bands = (0..ns * nt)
        .map(|b| {
            let expected = sims.iter().map(|s| s[b] as f64).sum::<f64>() / sims_f;
            let reach = sims.iter().filter(|s| s[b] >= observed[b]).count();
            Band {
                space: edge(&opts.space, b / nt),
                time: edge(&opts.time, b % nt),
                observed: observed[b],
                expected,
                ratio: if expected > 0.0 {
                    observed[b] as f64 / expected
                } else {
                    f64::NAN
                },
                p: (reach as f64 + 1.0) / (f64::from(opts.simulations) + 1.0),
            }
        })
        .collect();
    Knox {
        events: days.len(),
        pairs: all,
        simulations: opts.simulations,
        space_bands: ns,
        time_bands: nt,
        bands,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_by_hand() {
        // three events: 0 and 1 are 50 m and 2 days apart, 2 is far away and late
        let e = [0.0, 50.0, 5_000.0];
        let n = [0.0, 0.0, 0.0];
        let t = [0.0, 2.0, 40.0];
        let k = knox(
            &e,
            &n,
            &t,
            &Options {
                space: vec![100.0],
                time: vec![7.0],
                simulations: 19,
                seed: 1,
            },
        );
        assert_eq!(k.pairs, 3);
        assert_eq!(k.band(0, 0).observed, 1);
        assert_eq!(k.band(0, 1).observed, 0);
        assert_eq!(k.band(1, 0).observed, 0);
        assert_eq!(k.band(1, 1).observed, 2);
        let total: u64 = k.bands.iter().map(|b| b.observed).sum();
        assert_eq!(total, 3);
        // the close pair keeps 2 days apart in a third of the permutations
        assert!(k.band(0, 0).expected > 0.0 && k.band(0, 0).expected < 1.0);
    }
}
