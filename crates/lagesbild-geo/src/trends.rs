//! Counts per area and category as weekly or monthly series, an expected band per step, and
//! alerts when a count leaves it.
//!
//! Two baselines:
//!
//! - **rolling**: the median of the previous `window` steps, with a spread of
//!   max(1.4826 · MAD, √median) (the MAD of the window, but never narrower than a Poisson count
//!   of that mean): band = median ± z · spread;
//! - **seasonal**: the same step of earlier years and its neighbours (the step before and
//!   after: three values a year, as the historical-limits method of public-health
//!   surveillance); band = mean ± z · max(sd, √mean).
//!
//! A step without enough history has no band and raises no alert.

use serde::Serialize;

use crate::stats::{mad, median};
use crate::time::Step;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Baseline {
    Rolling { window: usize },
    Seasonal { years: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alert {
    Above,
    Below,
}

/// One step of a series.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// The first day of the step (YYYY-MM-DD).
    pub start: String,
    pub count: f64,
    pub expected: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub alert: Option<Alert>,
}

/// Counts per step of events at times `t` (seconds), from the step holding `from` to the step
/// holding `to`.
pub fn series(t: &[i64], step: Step, from: i64, to: i64) -> Vec<f64> {
    let len = (step.index(from, to) + 1).max(0) as usize;
    let mut out = vec![0.0; len];
    for &x in t {
        let k = step.index(from, x);
        if k >= 0 && (k as usize) < len {
            out[k as usize] += 1.0;
        }
    }
    out
}

/// The expected band and alerts of a series of counts.
pub fn bands(counts: &[f64], step: Step, origin: i64, baseline: Baseline, z: f64) -> Vec<Point> {
    (0..counts.len())
        .map(|k| {
            let band = match baseline {
                Baseline::Rolling { window } => (k >= window.max(1)).then(|| {
                    let w = &counts[k - window..k];
                    let m = median(w);
                    let spread = (1.4826 * mad(w)).max(m.sqrt()).max(0.5);
                    (m, m - z * spread, m + z * spread)
                }),
                Baseline::Seasonal { years } => step.per_year().and_then(|per| {
                    let mut v = Vec::new();
                    for y in 1..=years {
                        let Some(c) = k.checked_sub(y * per) else {
                            break;
                        };
                        for d in [c.wrapping_sub(1), c, c + 1] {
                            if let Some(&x) = counts.get(d).filter(|_| d < k) {
                                v.push(x);
                            }
                        }
                    }
                    (v.len() >= 3).then(|| {
                        let mean = v.iter().sum::<f64>() / v.len() as f64;
                        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
                            / (v.len() - 1) as f64;
                        let spread = var.sqrt().max(mean.sqrt()).max(0.5);
                        (mean, mean - z * spread, mean + z * spread)
                    })
                }),
            };
            let count = counts[k];
            Point {
                start: crate::time::format_date(step.start(origin, k as i64)),
                count,
                expected: band.map(|b| b.0),
                low: band.map(|b| b.1.max(0.0)),
                high: band.map(|b| b.2),
                alert: band.and_then(|(_, lo, hi)| {
                    if count > hi {
                        Some(Alert::Above)
                    } else if count < lo {
                        Some(Alert::Below)
                    } else {
                        None
                    }
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse;

    #[test]
    fn a_jump_raises_an_alert() {
        let from = parse("2026-01-05").unwrap();
        let mut t = Vec::new();
        for w in 0..20i64 {
            let n = if w == 15 { 20 } else { 3 + w % 2 };
            for k in 0..n {
                t.push(from + w * 7 * 86_400 + k * 3600);
            }
        }
        let s = series(&t, Step::Weeks(1), from, from + 19 * 7 * 86_400);
        assert_eq!(s.len(), 20);
        assert_eq!(s[15], 20.0);
        let b = bands(
            &s,
            Step::Weeks(1),
            from,
            Baseline::Rolling { window: 8 },
            2.0,
        );
        assert!(b[3].alert.is_none() && b[3].expected.is_none());
        assert_eq!(b[15].alert, Some(Alert::Above));
        assert_eq!(b.iter().filter(|p| p.alert.is_some()).count(), 1);
        assert_eq!(b[15].start, "2026-04-20");
    }

    #[test]
    fn seasonal_uses_earlier_years() {
        let mut s = vec![5.0; 36];
        s[30] = 15.0;
        let b = bands(&s, Step::Months(1), 0, Baseline::Seasonal { years: 2 }, 2.0);
        assert!(b[11].expected.is_none());
        assert_eq!(b[13].expected, Some(5.0));
        assert_eq!(b[30].alert, Some(Alert::Above));
    }
}
