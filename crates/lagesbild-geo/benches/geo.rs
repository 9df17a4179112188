//! Timings of lagesbild-geo on generated events (clusters over a background in southern
//! Sweden): binning into H3 cells, k-ring weights, Gi* (analytical and with permutations),
//! emerging hotspots, kernel density and the Knox test.
//!
//! `cargo bench -p lagesbild-geo --bench geo -- [N] [--export DIR]`: N events (default
//! 1 000 000); with `--export`, the cells' counts, neighbour lists and our z-scores are written
//! to DIR for `bench/geo.py`, which times esda on the same cells and weights.

use std::io::Write as _;
use std::time::Instant;

use lagesbild_geo::rng::Rng;
use lagesbild_geo::{Binned, Lattice, Points, Weights, emerging, gistar, kde, knox};

fn events(n: usize, seed: u64) -> Points {
    let mut rng = Rng::new(seed);
    let centres: Vec<(f64, f64)> = (0..40)
        .map(|_| (55.4 + rng.unit() * 1.2, 12.6 + rng.unit() * 1.6))
        .collect();
    let mut p = Points::default();
    let t0 = 1_767_225_600; // 2026-01-01
    for i in 0..n {
        let (lat, lon) = if i % 3 == 0 {
            (55.4 + rng.unit() * 1.2, 12.6 + rng.unit() * 1.6)
        } else {
            let c = centres[rng.below(centres.len() as u64) as usize];
            // a roughly normal offset of a few hundred metres
            let g = |r: &mut Rng| (r.unit() + r.unit() + r.unit() - 1.5) * 0.01;
            (c.0 + g(&mut rng), c.1 + 1.7 * g(&mut rng))
        };
        let t = t0 + (rng.unit() * 365.0 * 86_400.0) as i64;
        p.push(lat, lon, Some(t), "");
    }
    p
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    let s = t.elapsed().as_secs_f64();
    println!("{what:<44} {s:>9.3} s");
    (v, s)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let n: usize = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let export = args
        .iter()
        .position(|a| a == "--export")
        .and_then(|i| args.get(i + 1).cloned());
    println!("{n} events, {} threads", rayon::current_num_threads());
    let (points, _) = time("generate", || events(n, 1));
    let lattice = Lattice::h3(9).unwrap();
    let (binned, t_bin) = time("bin into H3 r9 (+ empty ring 1)", || {
        Binned::new(lattice, &points, 1)
    });
    println!("  {} cells", binned.len());
    let (w, t_w) = time("k-ring weights (k = 1)", || Weights::k_ring(&binned, 1));
    let (z, t_z) = time("Gi* z-scores", || gistar::z_scores(&binned.counts, &w));
    let (_, t_full) = time("Gi* with p, bins and FDR", || {
        gistar::gi_star(
            &binned.counts,
            &w,
            &gistar::Options {
                fdr: true,
                ..Default::default()
            },
        )
    });
    let (_, t_perm) = time("Gi* with 99 permutations", || {
        gistar::permutation_p(&binned.counts, &w, 99, 1)
    });
    // a monthly cube
    let times = points.time.as_ref().unwrap();
    let step = lagesbild_geo::time::Step::Months(1);
    let t0 = *times.iter().min().unwrap();
    let steps = (step.index(t0, *times.iter().max().unwrap()) + 1) as usize;
    let mut cube = vec![0.0; binned.len() * steps];
    for (k, &t) in times.iter().enumerate() {
        cube[step.index(t0, t) as usize * binned.len() + binned.of_point[k] as usize] += 1.0;
    }
    time(&format!("emerging hotspots ({steps} months)"), || {
        emerging::emerging(&cube, steps, &w, &emerging::Options::default())
    });
    let (e, nn) = points.sweref();
    time("kernel density (quartic, h 500 m, 100 m cells)", || {
        kde::density(&e, &nn, 100.0, 500.0)
    });
    let m = 20_000.min(n);
    time(&format!("Knox, {m} events, 999 simulations"), || {
        let days: Vec<f64> = times[..m].iter().map(|&t| t as f64 / 86_400.0).collect();
        knox::knox(
            &e[..m],
            &nn[..m],
            &days,
            &knox::Options {
                space: vec![100.0, 200.0, 300.0, 400.0],
                time: vec![7.0, 14.0, 21.0, 28.0],
                simulations: 999,
                seed: 1,
            },
        )
    });
    if let Some(dir) = export {
        std::fs::create_dir_all(&dir).unwrap();
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(format!("{dir}/counts.txt")).unwrap());
        for c in &binned.counts {
            writeln!(f, "{c}").unwrap();
        }
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(format!("{dir}/offsets.txt")).unwrap());
        for o in &w.offsets {
            writeln!(f, "{o}").unwrap();
        }
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(format!("{dir}/neighbours.txt")).unwrap(),
        );
        for j in &w.neighbours {
            writeln!(f, "{j}").unwrap();
        }
        let mut f = std::io::BufWriter::new(std::fs::File::create(format!("{dir}/z.txt")).unwrap());
        for v in &z {
            writeln!(f, "{v:.17e}").unwrap();
        }
        let timings = format!(
            "{{\"events\":{n},\"cells\":{},\"bin_s\":{t_bin},\"weights_s\":{t_w},\"gistar_z_s\":{t_z},\"gistar_full_s\":{t_full},\"permutations99_s\":{t_perm}}}\n",
            binned.len()
        );
        std::fs::write(format!("{dir}/ours.json"), timings).unwrap();
        println!("exported to {dir}");
    }
}
