//! Kernel density on a square SWEREF 99 TM grid with the quartic (biweight) kernel, as ArcGIS's
//! *Kernel Density*: the density at a cell centre is Σ 3/(π h²) (1 − d²/h²)² over the events
//! within the bandwidth h (metres), in events per square metre; [`Density::per_km2`] scales it.

use rayon::prelude::*;

/// Densities on a grid; cell (c, r) has its south-west corner at
/// (`origin.0 + c · cell`, `origin.1 + r · cell`).
#[derive(Debug, Clone)]
pub struct Density {
    pub origin: (f64, f64),
    pub cell: f64,
    pub cols: usize,
    pub rows: usize,
    /// Row-major, `values[r * cols + c]`, events per m².
    pub values: Vec<f64>,
}

impl Density {
    pub fn per_km2(&self, i: usize) -> f64 {
        self.values[i] * 1e6
    }

    /// The centre of cell `i` in SWEREF metres.
    pub fn centre(&self, i: usize) -> (f64, f64) {
        let (r, c) = (i / self.cols, i % self.cols);
        (
            self.origin.0 + (c as f64 + 0.5) * self.cell,
            self.origin.1 + (r as f64 + 0.5) * self.cell,
        )
    }
}

/// The quartic kernel at squared distance `d2` for bandwidth `h`.
#[inline]
pub fn quartic(d2: f64, h: f64) -> f64 {
    let u = d2 / (h * h);
    if u >= 1.0 {
        0.0
    } else {
        3.0 / (std::f64::consts::PI * h * h) * (1.0 - u) * (1.0 - u)
    }
}

/// Density of events at (easting, northing) on a grid of `cell` metres covering the events and
/// a bandwidth around them. Rows are computed in parallel.
pub fn density(e: &[f64], n: &[f64], cell: f64, h: f64) -> Density {
    if e.is_empty() {
        return Density {
            origin: (0.0, 0.0),
            cell,
            cols: 0,
            rows: 0,
            values: Vec::new(),
        };
    }
    let min_e = e.iter().copied().fold(f64::INFINITY, f64::min) - h;
    let max_e = e.iter().copied().fold(f64::NEG_INFINITY, f64::max) + h;
    let min_n = n.iter().copied().fold(f64::INFINITY, f64::min) - h;
    let max_n = n.iter().copied().fold(f64::NEG_INFINITY, f64::max) + h;
    let origin = ((min_e / cell).floor() * cell, (min_n / cell).floor() * cell);
    let cols = ((max_e - origin.0) / cell).ceil() as usize + 1;
    let rows = ((max_n - origin.1) / cell).ceil() as usize + 1;
    // events sorted by row band so each row visits only the events within h of it
    let mut order: Vec<usize> = (0..e.len()).collect();
    order.sort_unstable_by(|&a, &b| n[a].total_cmp(&n[b]));
    let ns: Vec<f64> = order.iter().map(|&i| n[i]).collect();
    let mut values = vec![0.0; rows * cols];
    values
        .par_chunks_mut(cols)
        .enumerate()
        .for_each(|(r, row)| {
            let yc = origin.1 + (r as f64 + 0.5) * cell;
            let lo = ns.partition_point(|&v| v < yc - h);
            let hi = ns.partition_point(|&v| v <= yc + h);
            for &i in &order[lo..hi] {
                let dy2 = (n[i] - yc).powi(2);
                let c0 = (((e[i] - h - origin.0) / cell - 0.5).floor().max(0.0)) as usize;
                let c1 = ((((e[i] + h - origin.0) / cell) - 0.5).ceil() as usize).min(cols - 1);
                for (c, v) in row.iter_mut().enumerate().take(c1 + 1).skip(c0) {
                    let xc = origin.0 + (c as f64 + 0.5) * cell;
                    *v += quartic((e[i] - xc).powi(2) + dy2, h);
                }
            }
        });
    Density {
        origin,
        cell,
        cols,
        rows,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_integrates_to_one_event() {
        let d = density(&[500_000.0], &[6_200_000.0], 10.0, 300.0);
        let total: f64 = d.values.iter().sum::<f64>() * 100.0;
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        let peak = d.values.iter().copied().fold(0.0, f64::max);
        assert!(peak <= 3.0 / (std::f64::consts::PI * 300.0 * 300.0) + 1e-15);
    }
}
