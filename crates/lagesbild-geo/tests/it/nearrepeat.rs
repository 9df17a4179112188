//! The Knox test finds the simulator's near-repeat contagion (incidents within about 200 m and
//! two weeks of an earlier one) and, on Poisson processes, flags the same band about as often as
//! its level says.

use lagesbild_geo::knox::{Options, knox};
use lagesbild_geo::points::{Columns, read_csv};
use lagesbild_geo::rng::Rng;

fn bands() -> (Vec<f64>, Vec<f64>) {
    (vec![200.0, 400.0, 800.0, 1600.0], vec![14.0, 28.0, 56.0])
}

/// The simulator's incidents (all categories) as SWEREF metres and days.
pub fn incidents(
    scale: lagesbild_sim::Scale,
    months: u32,
    seed: u64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>, usize) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = lagesbild_sim::Config {
        seed,
        scale,
        months,
        start: (2026, 1),
    };
    lagesbild_sim::simulate(&cfg, dir.path()).unwrap();
    let file = std::fs::File::open(dir.path().join("incidents.csv")).unwrap();
    let p = read_csv("incidents.csv", file, &Columns::default()).unwrap();
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("truth.json")).unwrap())
            .unwrap();
    let repeats = truth["near_repeat_incidents"].as_array().unwrap().len();
    let (e, n) = p.sweref();
    let days = p
        .time
        .unwrap()
        .iter()
        .map(|&t| t as f64 / 86_400.0)
        .collect();
    (e, n, days, repeats)
}

#[test]
fn finds_the_simulators_near_repeats() {
    let (space, time) = bands();
    // the simulator's city over a year: a few dozen incidents, a handful of them near repeats
    let (scale, months) = (lagesbild_sim::Scale::City, 12);
    let (e, n, days, repeats) = incidents(scale, months, 1);
    let k = knox(
        &e,
        &n,
        &days,
        &Options {
            space,
            time,
            simulations: 999,
            seed: 1,
        },
    );
    let close = k.band(0, 0);
    eprintln!(
        "{scale:?} {months} months: {} incidents, {repeats} near repeats; 0–200 m × 0–14 d: observed {}, expected {:.2}, ratio {:.2}, p {:.4}",
        k.events, close.observed, close.expected, close.ratio, close.p
    );
    assert!(close.ratio > 2.0 && close.p < 0.05, "{scale:?}: {close:?}");
    // the far bands are not elevated
    let far = k.band(4, 3);
    assert!(far.ratio < 1.5, "{far:?}");
}

#[test]
fn poisson_processes_are_flagged_about_as_often_as_alpha() {
    let (space, time) = bands();
    let seeds = 200;
    let mut flagged = 0;
    for s in 0..seeds {
        let mut rng = Rng::new(1000 + s);
        let m = 300;
        let e: Vec<f64> = (0..m).map(|_| 400_000.0 + rng.unit() * 5_000.0).collect();
        let n: Vec<f64> = (0..m).map(|_| 6_160_000.0 + rng.unit() * 5_000.0).collect();
        let d: Vec<f64> = (0..m).map(|_| rng.unit() * 365.0).collect();
        let k = knox(
            &e,
            &n,
            &d,
            &Options {
                space: space.clone(),
                time: time.clone(),
                simulations: 99,
                seed: s,
            },
        );
        if k.band(0, 0).p <= 0.05 {
            flagged += 1;
        }
    }
    let rate = f64::from(flagged) / seeds as f64;
    eprintln!(
        "Poisson: 0–200 m × 0–14 d flagged at p ≤ 0.05 in {flagged} of {seeds} runs ({rate:.3})"
    );
    // binomial(200, 0.05): mean 10, sd 3.1
    assert!(rate <= 0.10, "false-positive rate {rate}");
    assert!(
        rate >= 0.01,
        "false-positive rate {rate}: the test never fires"
    );
}
