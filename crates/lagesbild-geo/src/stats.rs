//! Small statistics shared by the analyses: the normal distribution, false-discovery-rate
//! correction, the Mann–Kendall trend test, medians and the MAD.

/// Φ(z), the standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The two-sided p-value of a z-score: 2 (1 − Φ(|z|)). NaN stays NaN.
pub fn two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Benjamini–Hochberg adjusted p-values (q-values): q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ · m / j, the
/// p-values sorted ascending, capped at 1. A cell is significant at level α under FDR control
/// when its q ≤ α. NaN p-values are left out of m and stay NaN.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let m = order.len() as f64;
    let mut q = vec![f64::NAN; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m / (rank as f64 + 1.0));
        q[i] = running;
    }
    q
}

/// The Mann–Kendall test of a monotone trend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    /// S = Σ_{i<j} sign(x_j − x_i).
    pub s: f64,
    /// Var(S) with the correction for ties.
    pub var: f64,
    /// (S − sign(S)) / √Var(S).
    pub z: f64,
    /// Two-sided p-value of z.
    pub p: f64,
    /// Kendall's τ = S / (n(n−1)/2).
    pub tau: f64,
}

pub fn mann_kendall(x: &[f64]) -> MannKendall {
    let n = x.len();
    let mut s = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            s += match x[j].partial_cmp(&x[i]) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
        }
    }
    let mut sorted: Vec<f64> = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && sorted[j] == sorted[i] {
            j += 1;
        }
        let t = (j - i) as f64;
        if t > 1.0 {
            ties += t * (t - 1.0) * (2.0 * t + 5.0);
        }
        i = j;
    }
    let nf = n as f64;
    let var = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let s = s as f64;
    let z = if var <= 0.0 || s == 0.0 {
        0.0
    } else {
        (s - s.signum()) / var.sqrt()
    };
    let pairs = nf * (nf - 1.0) / 2.0;
    MannKendall {
        s,
        var,
        z,
        p: two_sided_p(z),
        tau: if pairs > 0.0 { s / pairs } else { 0.0 },
    }
}

/// The median (the mean of the two middle values for an even count); NaN when empty.
pub fn median(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The median absolute deviation from the median (unscaled).
pub fn mad(x: &[f64]) -> f64 {
    let m = median(x);
    let d: Vec<f64> = x.iter().map(|v| (v - m).abs()).collect();
    median(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_values() {
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-15);
        assert!((two_sided_p(2.575_829_303_548_901) - 0.01).abs() < 1e-15);
        assert!((two_sided_p(-1.644_853_626_951_472_2) - 0.10).abs() < 1e-15);
    }

    #[test]
    fn bh_matches_hand_computation() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH")
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        let want = [0.025, 0.05, 0.05, 0.025, 0.5];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn mann_kendall_by_hand() {
        let mk = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(mk.s, 10.0);
        assert!((mk.var - 50.0 / 3.0 * 1.0).abs() < 1e-12); // 5·4·15/18
        assert!((mk.z - 9.0 / (50.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(mk.tau, 1.0);
        // ties: one pair of equal values → var = (5·4·15 − 2·1·9)/18
        let mk = mann_kendall(&[1.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(mk.s, 9.0);
        assert!((mk.var - (300.0 - 18.0) / 18.0).abs() < 1e-12);
        assert_eq!(mann_kendall(&[2.0, 2.0, 2.0]).z, 0.0);
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), 2.5);
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), 1.0);
    }
}
