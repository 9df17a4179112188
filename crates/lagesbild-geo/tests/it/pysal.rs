//! Gi* z-scores equal to esda's `G_Local(star=True, transform="B")` within 1e-9 on the cases of
//! `fixtures/gistar.json` (written by `bench/geo_reference.py`), and our weights builders give
//! libpysal's neighbour lists.

use lagesbild_geo::gistar::{self, Options};
use lagesbild_geo::{Binned, Lattice, Weights};

use crate::{fixture, floats};

fn lists(case: &serde_json::Value) -> Vec<Vec<u32>> {
    case["neighbours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as u32)
                .collect()
        })
        .collect()
}

#[test]
fn z_scores_equal_esda() {
    let f = fixture("gistar.json");
    let cases = f["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let y = floats(&case["y"]);
        let w = Weights::from_lists(&lists(case));
        let g = gistar::gi_star(&y, &w, &Options::default());
        let want = floats(&case["z"]);
        let p_norm = floats(&case["p_norm"]);
        let mut worst = 0.0f64;
        for i in 0..y.len() {
            worst = worst.max((g.z[i] - want[i]).abs());
            // esda's p_norm is one-sided: 1 − Φ(|z|)
            assert!((g.p[i] / 2.0 - p_norm[i]).abs() < 1e-9, "{name} {i}");
        }
        assert!(worst < 1e-9, "{name}: largest difference {worst}");
        assert!(g.bin.contains(&3), "{name}: no hot spot");
    }
}

#[test]
fn distance_band_and_k_ring_weights_equal_libpysal() {
    let f = fixture("gistar.json");
    let cases = f["cases"].as_array().unwrap();
    let band = &cases[0];
    let centres: Vec<(f64, f64)> = band["centres"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
        .collect();
    let ours = Weights::distance_band(&centres, band["threshold"].as_f64().unwrap());
    assert_eq!(ours, Weights::from_lists(&lists(band)));

    let hex = &cases[2];
    let cells: Vec<u64> = hex["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| u64::from_str_radix(c.as_str().unwrap(), 16).unwrap())
        .collect();
    let binned = Binned::from_cells(Lattice::h3(9).unwrap(), cells.clone());
    assert_eq!(binned.cells, cells, "the fixture's cells are sorted");
    let ours = Weights::k_ring(&binned, 1);
    assert_eq!(ours, Weights::from_lists(&lists(hex)));
}
