//! What an intervention did: counts in the target area, a buffer around it and comparison
//! areas, before and after the start.
//!
//! - **Difference in differences** on counts: the absolute effect
//!   (T₁ − T₀) − (C₁ − C₀) · T₀/C₀ (the comparison's change scaled to the target's level), and
//!   the relative effect RR = (T₁/T₀) / (C₁/C₀) with a confidence interval from
//!   Var(ln RR) ≈ 1/T₀ + 1/T₁ + 1/C₀ + 1/C₁ (counts as Poisson); RR < 1 means the target fell
//!   more (or rose less) than the comparison.
//! - **Weighted displacement quotient** (Bowers & Johnson 2003), A target, B buffer, C control:
//!   WDQ = (B₁/C₁ − B₀/C₀) / (A₁/C₁ − A₀/C₀). With a success measure A₁/C₁ − A₀/C₀ < 0, WDQ > 0
//!   means a diffusion of benefits into the buffer, WDQ < 0 displacement into it, WDQ < −1
//!   more displaced than prevented.

use serde::Serialize;

use crate::stats::normal_cdf;

/// Counts before (0) and after (1) in the target, the buffer and the comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub target: [f64; 2],
    pub buffer: [f64; 2],
    pub comparison: [f64; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub counts: Counts,
    /// (T₁ − T₀) − (C₁ − C₀) · T₀ / C₀: events prevented (negative) or added in the target.
    pub did: f64,
    /// Its confidence interval (Poisson variances, delta method).
    pub did_ci: (f64, f64),
    /// The ratio of ratios (T₁/T₀) / (C₁/C₀).
    pub rr: f64,
    pub rr_ci: (f64, f64),
    /// p-value of ln RR = 0 (two-sided).
    pub p: f64,
    /// A₁/C₁ − A₀/C₀.
    pub success: f64,
    /// B₁/C₁ − B₀/C₀.
    pub displacement: f64,
    /// The weighted displacement quotient (NaN when the success measure is 0).
    pub wdq: f64,
    /// The total net effect in events: (A₀ C₁/C₀ − A₁) + (B₀ C₁/C₀ − B₁); positive is good.
    pub net_effect: f64,
    pub confidence: f64,
}

/// The effect at a confidence level (e.g. 0.95). Zero counts get half an event in the ratios.
pub fn effect(c: &Counts, confidence: f64) -> Effect {
    let z = inverse_normal(0.5 + confidence / 2.0);
    let [t0, t1] = c.target.map(|v| v.max(0.5));
    let [c0, c1] = c.comparison.map(|v| v.max(0.5));
    let rr = (t1 / t0) / (c1 / c0);
    let se = (1.0 / t0 + 1.0 / t1 + 1.0 / c0 + 1.0 / c1).sqrt();
    let lr = rr.ln();
    let scale = t0 / c0;
    let did = (c.target[1] - c.target[0]) - (c.comparison[1] - c.comparison[0]) * scale;
    // Var = T₁ + T₀ + scale² (C₁ + C₀), ignoring the variance of the scale itself
    let did_se = (t1 + t0 + scale * scale * (c1 + c0)).sqrt();
    let [a0, a1] = c.target;
    let [b0, b1] = c.buffer;
    let success = a1 / c1 - a0 / c0;
    let displacement = b1 / c1 - b0 / c0;
    Effect {
        counts: *c,
        did,
        did_ci: (did - z * did_se, did + z * did_se),
        rr,
        rr_ci: ((lr - z * se).exp(), (lr + z * se).exp()),
        p: 2.0 * (1.0 - normal_cdf((lr / se).abs())),
        success,
        displacement,
        wdq: if success != 0.0 {
            displacement / success
        } else {
            f64::NAN
        },
        net_effect: (a0 * c1 / c0 - a1) + (b0 * c1 / c0 - b1),
        confidence,
    }
}

/// Φ⁻¹(p) by bisection on Φ (accurate to 1e-12; called a few times per run).
pub fn inverse_normal(p: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0f64, 40.0f64);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if normal_cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let c = Counts {
            target: [100.0, 60.0],
            buffer: [50.0, 55.0],
            comparison: [200.0, 200.0],
        };
        let e = effect(&c, 0.95);
        assert!((e.rr - 0.6).abs() < 1e-12);
        assert!((e.did + 40.0).abs() < 1e-12);
        assert!((e.success + 0.2).abs() < 1e-12);
        assert!((e.displacement - 0.025).abs() < 1e-12);
        assert!((e.wdq + 0.125).abs() < 1e-12);
        assert!((e.net_effect - (40.0 - 5.0)).abs() < 1e-12);
        assert!(e.rr_ci.0 < 0.6 && e.rr_ci.1 < 1.0);
        assert!((inverse_normal(0.975) - 1.959_963_984_540_054).abs() < 1e-9);
    }
}
