//! Wastewater measurements: each municipality's treatment plant samples its inflow once a week
//! (a 24-hour composite), and the laboratory reports the concentration of each drug's residue
//! (benzoylecgonine for cocaine, THC-COOH for cannabis; amphetamine and MDMA themselves), with
//! the day's flow and the population served.
//!
//! The concentrations follow from what the simulated customers really consumed (the month's
//! pure grams per substance, shared between municipalities by population), through the
//! back-calculation of PRODUCT.md §5 run backwards: residue load (mg/day) = consumption (mg/day)
//! / correction factor, concentration (ng/L) = load / (flow × 1e-6), with 15 % measurement noise.
//! `truth.json` (`wastewater`) keeps the true consumption per plant and month, so that
//! back-calculation can be scored.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rng::Rng;
use crate::world::District;

/// The substance (as the simulator names it), its residue, and the correction factor from
/// residue load to consumed pure drug (molar-mass ratio over the excreted fraction), of the
/// order the literature uses.
pub const RESIDUES: [(&str, &str, f64); 4] = [
    ("kokain", "benzoylekgonin", 2.33),
    ("amfetamin", "amfetamin", 2.77),
    ("MDMA", "MDMA", 4.44),
    ("cannabis", "THC-COOH", 152.0),
];

/// Litres of inflow a day per inhabitant (before the day's variation).
const LITRES_PER_PERSON: f64 = 250.0;

/// One measurement: (month, day, plant index, residue index, concentration ng/L, flow L/day).
pub type Sample = (u32, u32, usize, usize, f64, f64);

#[derive(Debug, Clone, Serialize)]
pub struct Plant {
    pub name: String,
    pub municipality: String,
    pub population: u64,
}

/// What the plant's catchment really consumed in a month.
#[derive(Debug, Clone, Serialize)]
pub struct PlantTruth {
    pub plant: String,
    pub month: u32,
    pub substance: String,
    /// Pure drug consumed, mg per day.
    pub consumed_mg_per_day: f64,
    pub residue: String,
    pub correction_factor: f64,
}

/// The plants (one per municipality) and their weekly samples, with the truth.
pub fn simulate(
    rng: &mut Rng,
    districts: &[District],
    consumption: &[BTreeMap<String, f64>],
) -> (Vec<Plant>, Vec<Sample>, Vec<PlantTruth>) {
    let mut plants: Vec<Plant> = Vec::new();
    for d in districts {
        match plants.iter_mut().find(|p| p.municipality == d.municipality) {
            Some(p) => p.population += u64::from(d.population),
            None => plants.push(Plant {
                name: format!("{} reningsverk", d.municipality),
                municipality: d.municipality.clone(),
                population: u64::from(d.population),
            }),
        }
    }
    let total: u64 = plants.iter().map(|p| p.population).sum::<u64>().max(1);
    let mut samples = Vec::new();
    let mut truth = Vec::new();
    for (m, month) in consumption.iter().enumerate() {
        let m = m as u32;
        for (pi, plant) in plants.iter().enumerate() {
            let share = plant.population as f64 / total as f64;
            for (ri, (substance, residue, cf)) in RESIDUES.iter().enumerate() {
                let grams = month.get(*substance).copied().unwrap_or(0.0);
                // pure mg a day in the catchment (a month is taken as 30 days)
                let consumed = grams * 1000.0 * share / 30.0;
                truth.push(PlantTruth {
                    plant: plant.name.clone(),
                    month: m,
                    substance: (*substance).to_owned(),
                    consumed_mg_per_day: consumed,
                    residue: (*residue).to_owned(),
                    correction_factor: *cf,
                });
                for day in [3, 10, 17, 24] {
                    let flow = plant.population as f64
                        * LITRES_PER_PERSON
                        * (1.0 + 0.1 * rng.normal()).max(0.5);
                    let load = consumed / cf;
                    let noise = (0.15 * rng.normal()).exp();
                    let concentration = load / (flow * 1e-6) * noise;
                    samples.push((m, day, pi, ri, concentration, flow));
                }
            }
        }
    }
    (plants, samples, truth)
}
