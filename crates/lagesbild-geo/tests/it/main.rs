//! Integration tests of lagesbild-geo: Gi* against PySAL's esda, SWEREF 99 TM against PROJ,
//! emerging-hotspot categories on hand-built cubes, the Knox test on the simulator's violence
//! and on Poisson processes, and hotspots against the simulator's truth.

mod emerging;
mod nearrepeat;
mod pysal;
mod simulator;
mod sweref;

use serde_json::Value;

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}
