//! Emerging-hotspot categories against a reference worked out by hand: first the decision
//! rules on significance sequences, then whole cubes built so that each block of cells has a
//! known history (the Gi* of a block centre is decided by its own 3×3 block).

use lagesbild_geo::Weights;
use lagesbild_geo::emerging::{Category, Options, classify, cube_z, emerging};
use lagesbild_geo::gistar::{moments, z_of};
use lagesbild_geo::stats::mann_kendall;

use Category::*;

fn seq(s: &str) -> Vec<i8> {
    s.bytes()
        .map(|b| match b {
            b'H' => 1,
            b'C' => -1,
            _ => 0,
        })
        .collect()
}

/// A trend of the given sign, significant or not.
fn trend(z: f64) -> lagesbild_geo::stats::MannKendall {
    let mut mk = mann_kendall(&[0.0, 1.0]);
    mk.z = z;
    mk.p = lagesbild_geo::stats::two_sided_p(z);
    mk
}

#[test]
fn decision_rules_by_hand() {
    let flat = trend(0.0);
    let up = trend(3.0);
    let down = trend(-3.0);
    let check = |s: &str, t: &lagesbild_geo::stats::MannKendall, want: Category| {
        assert_eq!(classify(&seq(s), t, 0.05), want, "{s}");
    };
    check("..........", &flat, NoPattern);
    check(".........H", &flat, NewHot);
    check("C........H", &flat, NewHot); // never hot before: new, even after a cold spot
    check(".......HHH", &flat, ConsecutiveHot);
    check("HHHHHHHHHH", &up, IntensifyingHot);
    check("HHHHHHHHHH", &flat, PersistentHot);
    check(".HHHHHHHHH", &flat, PersistentHot); // 90 %
    check("HHHHHHHHHH", &down, DiminishingHot);
    check("H...H....H", &flat, SporadicHot);
    check("H.....HHHH", &flat, SporadicHot); // hot before the final run: not consecutive
    check("..C.H....H", &flat, OscillatingHot);
    check("HHHHHHHHH.", &flat, HistoricalHot);
    check("HHHHHHHH..", &flat, NoPattern); // 80 % and not hot at the end
    check(".........C", &flat, NewCold);
    check(".......CCC", &flat, ConsecutiveCold);
    check("CCCCCCCCCC", &down, IntensifyingCold);
    check("CCCCCCCCCC", &flat, PersistentCold);
    check("CCCCCCCCCC", &up, DiminishingCold);
    check("C...C....C", &flat, SporadicCold);
    check("..H.C....C", &flat, OscillatingCold);
    check("CCCCCCCCC.", &flat, HistoricalCold);
}

/// A side × side lattice with queen neighbours.
fn lattice(side: usize) -> Weights {
    let mut lists = vec![Vec::new(); side * side];
    for r in 0..side as i64 {
        for c in 0..side as i64 {
            for dr in -1..=1 {
                for dc in -1..=1 {
                    let (a, b) = (r + dr, c + dc);
                    if (dr, dc) != (0, 0)
                        && (0..side as i64).contains(&a)
                        && (0..side as i64).contains(&b)
                    {
                        lists[(r * side as i64 + c) as usize].push((a * side as i64 + b) as u32);
                    }
                }
            }
        }
    }
    Weights::from_lists(&lists)
}

#[test]
fn space_time_window_by_brute_force() {
    let side = 6;
    let w = lattice(side);
    let steps = 5;
    let counts: Vec<f64> = (0..side * side * steps)
        .map(|b| ((b * 7919) % 11) as f64)
        .collect();
    let z = cube_z(&counts, steps, &w, 2);
    let (mean, sd) = moments(&counts);
    let n = counts.len() as f64;
    let locs = side * side;
    for t in 0..steps {
        for i in 0..locs {
            let mut sum = 0.0;
            let mut wi = 0.0;
            for u in t.saturating_sub(2)..=t {
                for &j in w.row(i) {
                    sum += counts[u * locs + j as usize];
                    wi += 1.0;
                }
            }
            let want = z_of(sum, wi, n, mean, sd);
            assert!((z[t * locs + i] - want).abs() < 1e-12);
        }
    }
}

#[test]
fn synthetic_cube_covers_every_category() {
    // 20 × 20 locations in 4 × 4 blocks of 3 × 3 cells (centres at 2 + 5k), 10 steps,
    // background 3; each block's history by hand, the Gi* window the step itself.
    let side = 20;
    let steps = 10;
    let locs = side * side;
    let w = lattice(side);
    let mut counts = vec![3.0; locs * steps];
    let histories: [(Category, [f64; 10]); 15] = [
        (NewHot, [3., 3., 3., 3., 3., 3., 3., 3., 3., 15.]),
        (ConsecutiveHot, [3., 3., 3., 3., 3., 3., 3., 12., 12., 12.]),
        (
            IntensifyingHot,
            [9., 10., 11., 12., 13., 14., 15., 16., 17., 18.],
        ),
        (PersistentHot, [12.; 10]),
        (
            DiminishingHot,
            [18., 17., 16., 15., 14., 13., 12., 11., 10., 9.],
        ),
        (SporadicHot, [3., 12., 3., 3., 12., 3., 3., 3., 3., 12.]),
        (OscillatingHot, [3., 3., 0., 3., 12., 3., 3., 3., 3., 12.]),
        (
            HistoricalHot,
            [12., 12., 12., 12., 12., 12., 12., 12., 12., 3.],
        ),
        (NewCold, [3., 3., 3., 3., 3., 3., 3., 3., 3., 0.]),
        (ConsecutiveCold, [3., 3., 3., 3., 3., 3., 3., 0., 0., 0.]),
        (IntensifyingCold, [1., 1., 1., 1., 1., 0., 0., 0., 0., 0.]),
        (PersistentCold, [0.; 10]),
        (SporadicCold, [0., 3., 3., 0., 3., 3., 3., 3., 3., 0.]),
        (HistoricalCold, [0., 0., 0., 0., 0., 0., 0., 0., 0., 3.]),
        (NoPattern, [3.; 10]),
    ];
    let centre = |k: usize| {
        let (br, bc) = (k / 4, k % 4);
        (2 + 5 * br) * side + 2 + 5 * bc
    };
    for (k, (_, h)) in histories.iter().enumerate() {
        let c = centre(k);
        for t in 0..steps {
            for dr in -1i64..=1 {
                for dc in -1i64..=1 {
                    let cell = (c as i64 + dr * side as i64 + dc) as usize;
                    counts[t * locs + cell] = h[t];
                }
            }
        }
    }
    let opts = Options {
        time_neighbours: 0,
        alpha: 0.05,
        fdr: false,
    };
    let r = emerging(&counts, steps, &w, &opts);
    for (k, (want, _)) in histories.iter().enumerate() {
        assert_eq!(r.category[centre(k)], *want, "block {k}");
    }
    // with FDR over the cube the strong patterns stay
    let r = emerging(&counts, steps, &w, &Options { fdr: true, ..opts });
    assert_eq!(r.category[centre(3)], PersistentHot);
    assert_eq!(r.category[centre(2)], IntensifyingHot);
}
