//! Emerging hotspots, after ArcGIS's *Emerging Hot Spot Analysis*: a space-time cube of counts
//! (locations × time steps); Gi* for every bin with the bins of the location's spatial
//! neighbours in the same time step and the `time_neighbours` steps before it, the mean and
//! standard deviation taken over the whole cube; a Mann–Kendall trend per location on its
//! series of z-scores; and one category per location from ArcGIS's definitions (see
//! [`classify`]).

use rayon::prelude::*;
use serde::Serialize;

use crate::gistar::{moments, z_of};
use crate::stats::{MannKendall, benjamini_hochberg, mann_kendall, two_sided_p};
use crate::weights::Weights;

/// ArcGIS's pattern categories (hot and cold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    NoPattern,
    NewHot,
    ConsecutiveHot,
    IntensifyingHot,
    PersistentHot,
    DiminishingHot,
    SporadicHot,
    OscillatingHot,
    HistoricalHot,
    NewCold,
    ConsecutiveCold,
    IntensifyingCold,
    PersistentCold,
    DiminishingCold,
    SporadicCold,
    OscillatingCold,
    HistoricalCold,
}

impl Category {
    pub fn label(self) -> &'static str {
        match self {
            Category::NoPattern => "no pattern",
            Category::NewHot => "new hot spot",
            Category::ConsecutiveHot => "consecutive hot spot",
            Category::IntensifyingHot => "intensifying hot spot",
            Category::PersistentHot => "persistent hot spot",
            Category::DiminishingHot => "diminishing hot spot",
            Category::SporadicHot => "sporadic hot spot",
            Category::OscillatingHot => "oscillating hot spot",
            Category::HistoricalHot => "historical hot spot",
            Category::NewCold => "new cold spot",
            Category::ConsecutiveCold => "consecutive cold spot",
            Category::IntensifyingCold => "intensifying cold spot",
            Category::PersistentCold => "persistent cold spot",
            Category::DiminishingCold => "diminishing cold spot",
            Category::SporadicCold => "sporadic cold spot",
            Category::OscillatingCold => "oscillating cold spot",
            Category::HistoricalCold => "historical cold spot",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many earlier time steps belong to a bin's neighbourhood (ArcGIS's default is 1).
    pub time_neighbours: u32,
    /// The significance level for hot and cold bins and for the trend.
    pub alpha: f64,
    /// Benjamini–Hochberg over all bins of the cube.
    pub fdr: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_neighbours: 1,
            alpha: 0.05,
            fdr: false,
        }
    }
}

/// The cube's result.
#[derive(Debug, Clone)]
pub struct Emerging {
    pub locations: usize,
    pub steps: usize,
    /// Gi* z per bin, `z[t * locations + i]`.
    pub z: Vec<f64>,
    /// The p-value per bin that decides significance (q-values with FDR).
    pub p: Vec<f64>,
    pub trend: Vec<MannKendall>,
    pub category: Vec<Category>,
}

/// Gi* per bin of a cube `counts[t * locations + i]` with spatial weights `w` (star).
pub fn cube_z(counts: &[f64], steps: usize, w: &Weights, time_neighbours: u32) -> Vec<f64> {
    let locs = w.n();
    assert_eq!(counts.len(), locs * steps);
    let n = counts.len() as f64;
    let (mean, sd) = moments(counts);
    // spatial sums per bin, then a window over time
    let spatial: Vec<f64> = (0..counts.len())
        .into_par_iter()
        .map(|b| {
            let (t, i) = (b / locs, b % locs);
            w.row(i)
                .iter()
                .map(|&j| counts[t * locs + j as usize])
                .sum()
        })
        .collect();
    let tn = time_neighbours as usize;
    (0..counts.len())
        .into_par_iter()
        .map(|b| {
            let (t, i) = (b / locs, b % locs);
            let first = t.saturating_sub(tn);
            let sum: f64 = (first..=t).map(|u| spatial[u * locs + i]).sum();
            let wi = (w.row(i).len() * (t - first + 1)) as f64;
            z_of(sum, wi, n, mean, sd)
        })
        .collect()
}

/// Runs the analysis on a cube.
pub fn emerging(counts: &[f64], steps: usize, w: &Weights, opts: &Options) -> Emerging {
    let locs = w.n();
    let z = cube_z(counts, steps, w, opts.time_neighbours);
    let p: Vec<f64> = z.iter().map(|&z| two_sided_p(z)).collect();
    let p = if opts.fdr { benjamini_hochberg(&p) } else { p };
    let (trend, category) = (0..locs)
        .into_par_iter()
        .map(|i| {
            let series: Vec<f64> = (0..steps)
                .map(|t| z[t * locs + i])
                .map(|z| if z.is_nan() { 0.0 } else { z })
                .collect();
            let sig: Vec<i8> = (0..steps)
                .map(|t| {
                    let (z, p) = (z[t * locs + i], p[t * locs + i]);
                    if p <= opts.alpha && z > 0.0 {
                        1
                    } else if p <= opts.alpha && z < 0.0 {
                        -1
                    } else {
                        0
                    }
                })
                .collect();
            let mk = mann_kendall(&series);
            let c = classify(&sig, &mk, opts.alpha);
            (mk, c)
        })
        .unzip();
    Emerging {
        locations: locs,
        steps,
        z,
        p,
        trend,
        category,
    }
}

/// The category of a location from its significant bins (`1` hot, `-1` cold, `0` neither, in
/// time order) and the Mann–Kendall trend of its z-scores, checked in ArcGIS's order:
///
/// - **new**: hot in the final step and never before;
/// - **consecutive**: a single run of at least two hot steps ending in the final step, never
///   hot before the run, and less than 90 % of the steps hot;
/// - **intensifying** / **persistent** / **diminishing**: hot in at least 90 % of the steps
///   including the final one, with a significant upward trend / no significant trend / a
///   significant downward trend of the z-scores;
/// - **sporadic**: hot in the final step, less than 90 % hot, never cold;
/// - **oscillating**: hot in the final step, less than 90 % hot, cold in some earlier step;
/// - **historical**: not hot in the final step, but hot in at least 90 % of the steps.
///
/// Cold spots mirror these with the trend's sign reversed (an intensifying cold spot's z-scores
/// fall).
pub fn classify(sig: &[i8], trend: &MannKendall, alpha: f64) -> Category {
    use Category::*;
    let hot = pattern(sig, 1, trend.z, trend.p, alpha);
    if let Some(h) = hot {
        return [
            NewHot,
            ConsecutiveHot,
            IntensifyingHot,
            PersistentHot,
            DiminishingHot,
            SporadicHot,
            OscillatingHot,
            HistoricalHot,
        ][h];
    }
    match pattern(sig, -1, -trend.z, trend.p, alpha) {
        Some(c) => [
            NewCold,
            ConsecutiveCold,
            IntensifyingCold,
            PersistentCold,
            DiminishingCold,
            SporadicCold,
            OscillatingCold,
            HistoricalCold,
        ][c],
        None => NoPattern,
    }
}

/// The index of the pattern (new, consecutive, intensifying, persistent, diminishing, sporadic,
/// oscillating, historical) for spots of sign `s`; `z` is the trend's z turned so that positive
/// means "more of this kind of spot".
fn pattern(sig: &[i8], s: i8, z: f64, p: f64, alpha: f64) -> Option<usize> {
    let n = sig.len();
    if n == 0 {
        return None;
    }
    let count = sig.iter().filter(|&&v| v == s).count();
    let share = count as f64 / n as f64;
    let last = sig[n - 1] == s;
    if !last {
        return (share >= 0.9).then_some(7);
    }
    if count == 1 {
        return Some(0);
    }
    if share >= 0.9 {
        return Some(if p <= alpha && z > 0.0 {
            2
        } else if p <= alpha && z < 0.0 {
            4
        } else {
            3
        });
    }
    let run = sig.iter().rev().take_while(|&&v| v == s).count();
    if run >= 2 && run == count {
        return Some(1);
    }
    if sig.iter().any(|&v| v == -s) {
        Some(6)
    } else {
        Some(5)
    }
}
