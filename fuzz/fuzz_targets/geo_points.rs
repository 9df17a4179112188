//! Fuzz target: the points CSV reader of lagesbild-geo, and binning what it reads.
#![no_main]

use lagesbild_geo::points::{Columns, read_csv};
use lagesbild_geo::{Binned, Lattice};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(points) = read_csv("points.csv", data, &Columns::default()) {
        if let Ok(l) = Lattice::h3(9) {
            let _ = Binned::new(l, &points, 1);
        }
        if let Ok(l) = Lattice::square(250.0) {
            let _ = Binned::new(l, &points, 0);
        }
    }
});
