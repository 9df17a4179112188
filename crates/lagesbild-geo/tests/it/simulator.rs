//! Hotspots against the simulator's truth: the districts the police class as vulnerable are
//! where the networks sell and fight, so Gi* hotspots of seizures and incidents should sit on
//! them. Reports the hit rate (share of vulnerable districts whose centre lies within 1 km of a
//! hot cell) and the PAI (share of events in hot cells over share of area).

use lagesbild_geo::gistar::{self, Options};
use lagesbild_geo::points::{Columns, read_csv};
use lagesbild_geo::{Binned, Lattice, Points, Weights, sweref};

fn load(dir: &std::path::Path, file: &str) -> Points {
    let f = std::fs::File::open(dir.join(file)).unwrap();
    read_csv(file, f, &Columns::default()).unwrap()
}

/// Hit rate and PAI of the hotspots of one simulated city.
fn one_city(seed: u64) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = lagesbild_sim::Config {
        seed,
        scale: lagesbild_sim::Scale::City,
        months: 12,
        start: (2026, 1),
    };
    lagesbild_sim::simulate(&cfg, dir.path()).unwrap();
    let mut events = load(dir.path(), "seizures.csv");
    let inc = load(dir.path(), "incidents.csv");
    for i in 0..inc.len() {
        events.push(inc.lat[i], inc.lon[i], None, "incident");
    }
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("truth.json")).unwrap())
            .unwrap();
    let districts = truth["districts"].as_array().unwrap();
    let scenes: Vec<(f64, f64)> = districts
        .iter()
        .filter(|d| d["category"] != "none")
        .map(|d| sweref::to_sweref(d["lat"].as_f64().unwrap(), d["lon"].as_f64().unwrap()))
        .collect();
    let lattice = Lattice::h3(8).unwrap();
    let binned = Binned::new(lattice, &events, 2);
    let w = Weights::k_ring(&binned, 1);
    let g = gistar::gi_star(
        &binned.counts,
        &w,
        &Options {
            fdr: true,
            ..Options::default()
        },
    );
    let hot: Vec<usize> = (0..binned.len()).filter(|&i| g.bin[i] >= 2).collect();
    assert!(!hot.is_empty());
    let centres = binned.centres_m();
    let hit = scenes
        .iter()
        .filter(|s| {
            hot.iter().any(|&i| {
                let c = centres[i];
                ((c.0 - s.0).powi(2) + (c.1 - s.1).powi(2)).sqrt() <= 1_000.0
            })
        })
        .count();
    let hit_rate = hit as f64 / scenes.len() as f64;
    let in_hot: f64 = hot.iter().map(|&i| binned.counts[i]).sum();
    let total: f64 = binned.counts.iter().sum();
    let hot_area: f64 = hot.iter().map(|&i| lattice.area_m2(binned.cells[i])).sum();
    let area: f64 = binned.cells.iter().map(|&c| lattice.area_m2(c)).sum();
    let pai = (in_hot / total) / (hot_area / area);
    eprintln!(
        "city (seed {seed}), 12 months, {} events in {} H3 r8 cells: {} hot cells (95 %, FDR), hit rate {hit}/{} = {hit_rate:.2}, {:.1} % of events in {:.1} % of the area, PAI {pai:.2}",
        total,
        binned.len(),
        hot.len(),
        scenes.len(),
        100.0 * in_hot / total,
        100.0 * hot_area / area
    );
    // and how many hot cells are far from every true scene
    let far = hot
        .iter()
        .filter(|&&i| {
            scenes.iter().all(|s| {
                let c = centres[i];
                ((c.0 - s.0).powi(2) + (c.1 - s.1).powi(2)).sqrt() > 3_000.0
            })
        })
        .count();
    eprintln!("hot cells more than 3 km from any vulnerable district: {far}");
    (hit_rate, pai)
}

#[test]
fn hotspots_sit_on_the_true_scenes() {
    // three cities, so that the bar is about the method and not one draw
    let runs: Vec<(f64, f64)> = [1, 2, 3].into_iter().map(one_city).collect();
    let hit = runs.iter().map(|r| r.0).sum::<f64>() / runs.len() as f64;
    eprintln!("mean hit rate {hit:.2}");
    assert!(hit >= 0.5, "mean hit rate {hit}");
    for (h, pai) in runs {
        assert!(
            h > 0.0,
            "a city whose hotspots miss every vulnerable district"
        );
        assert!(pai > 2.0, "PAI {pai}");
    }
}
