//! A small force-directed layout (Fruchterman–Reingold) for the network drawings: a few dozen
//! nodes, deterministic for a seed, positions scaled into the unit square.

/// Positions in [0, 1]² of `n` nodes joined by `edges`.
pub fn force(n: usize, edges: &[(u32, u32)], seed: u64) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.5, 0.5)];
    }
    // start on a circle, turned by the seed, so that the same input gives the same picture
    let turn = (seed % 360) as f64 * std::f64::consts::PI / 180.0;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = turn + i as f64 * std::f64::consts::TAU / n as f64;
            (a.cos() * 0.5, a.sin() * 0.5)
        })
        .collect();
    let k = (1.0 / n as f64).sqrt();
    let mut temperature = 0.1;
    for _ in 0..300 {
        let mut disp = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(1e-9);
                let f = k * k / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b) in edges {
            let (a, b) = (a as usize, b as usize);
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-9);
            let f = d / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for i in 0..n {
            // a weak pull to the centre keeps loose parts in the picture
            disp[i].0 -= pos[i].0 * 0.3;
            disp[i].1 -= pos[i].1 * 0.3;
            let len = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                pos[i].0 += disp[i].0 / len * step;
                pos[i].1 += disp[i].1 / len * step;
            }
        }
        temperature *= 0.985;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &pos {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let span = (x1 - x0).max(y1 - y0).max(1e-9);
    pos.iter()
        .map(|&(x, y)| {
            (
                (x - x0) / span + (1.0 - (x1 - x0) / span) / 2.0,
                (y - y0) / span + (1.0 - (y1 - y0) / span) / 2.0,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_lie_in_the_unit_square_and_repeat() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)];
        let a = force(5, &edges, 7);
        assert_eq!(a, force(5, &edges, 7));
        assert!(
            a.iter()
                .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y))
        );
        // joined nodes end up nearer each other than the ends of the chain
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 4), "{a:?}");
    }
}
