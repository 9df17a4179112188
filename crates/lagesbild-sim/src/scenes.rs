//! Open drug scenes as partners see them, and a police intervention that moves them.
//!
//! Municipal staff, schools, housing companies and shops report what they observe (open
//! dealing, people under the influence, loitering around a known spot) to the joint picture:
//! `observations.csv`. How often depends on the district's scene: most in the particularly
//! vulnerable areas, least where there is none. Halfway through the simulated period the
//! police start a sustained intervention in the busiest scene: from then on observations there
//! fall by [`REDUCTION`], and [`DISPLACED`] of what no longer happens there moves round the
//! corner, into a ring just outside the district ([`RING_M`]). `districts.geojson` gives each
//! district's area (the box its events are drawn in), so that the intervention can be measured
//! with the comparison districts and the displacement buffer; `truth.json` holds the true
//! effect.

use serde::Serialize;

use crate::rng::Rng;
use crate::world::{AreaCategory, District};

/// The true relative reduction in the target district once the intervention starts.
pub const REDUCTION: f64 = 0.5;
/// The share of the prevented observations that move to the ring around the target.
pub const DISPLACED: f64 = 0.3;
/// How far outside the target's box displaced scenes settle, in metres.
pub const RING_M: f64 = 400.0;
/// Half the height and width of a district's box, in degrees (the box events are drawn in).
pub const HALF_LAT: f64 = 0.005;
pub const HALF_LON: f64 = 0.01;

/// Observations a month by the district's category.
fn rate(c: AreaCategory) -> f64 {
    match c {
        AreaCategory::Particularly => 30.0,
        AreaCategory::Vulnerable => 18.0,
        AreaCategory::Risk => 12.0,
        AreaCategory::None => 1.0,
    }
}

/// The intervention as it really was.
#[derive(Debug, Clone, Serialize)]
pub struct InterventionTruth {
    pub district: String,
    /// The first day of the intervention (ISO date).
    pub start: String,
    pub start_month: u32,
    /// The true relative reduction in the target (0.5: half the observations).
    pub reduction: f64,
    /// The share of prevented observations displaced into the ring.
    pub displaced_share: f64,
    pub ring_m: f64,
    /// Observations a month in the target before, in expectation.
    pub rate_before: f64,
    /// Observations that happened in the ring because of the displacement.
    pub displaced: u64,
    /// The districts of the same category not touched by the intervention (the natural
    /// comparison areas).
    pub comparisons: Vec<String>,
}

/// One observation: (month, day, hour, lat, lon, district index, category, observer).
pub type Observation = (u32, u32, u32, f64, f64, usize, &'static str, &'static str);

const WHAT: [&str; 4] = [
    "öppen försäljning",
    "öppen försäljning",
    "påverkade personer",
    "samlingsplats",
];
const WHO: [&str; 4] = [
    "Havsstads kommun, fältassistenter",
    "Bostadsbolaget Hem",
    "Skola",
    "Butik",
];

/// Every observation of the period, with the intervention's truth.
pub fn simulate(
    rng: &mut Rng,
    districts: &[District],
    months: u32,
    start_date: impl Fn(u32) -> String,
) -> (Vec<Observation>, Option<InterventionTruth>) {
    let target = districts
        .iter()
        .enumerate()
        .max_by(|a, b| {
            rate(a.1.category)
                .total_cmp(&rate(b.1.category))
                .then(b.0.cmp(&a.0))
        })
        .map(|(i, _)| i);
    let start_month = months / 2;
    let mut out: Vec<Observation> = Vec::new();
    let mut displaced = 0u64;
    for m in 0..months {
        for (i, d) in districts.iter().enumerate() {
            let base = rate(d.category);
            let active = Some(i) == target && m >= start_month && months >= 2;
            let lambda = if active {
                base * (1.0 - REDUCTION)
            } else {
                base
            };
            for _ in 0..rng.poisson(lambda) {
                let lat = d.lat + (rng.unit() - 0.5) * 2.0 * HALF_LAT;
                let lon = d.lon + (rng.unit() - 0.5) * 2.0 * HALF_LON;
                out.push((
                    m,
                    rng.range(1, 28) as u32,
                    rng.range(8, 23) as u32,
                    lat,
                    lon,
                    i,
                    *rng.pick(&WHAT),
                    *rng.pick(&WHO),
                ));
            }
            if active {
                for _ in 0..rng.poisson(base * REDUCTION * DISPLACED) {
                    let (lat, lon) = ring_point(rng, d);
                    displaced += 1;
                    out.push((
                        m,
                        rng.range(1, 28) as u32,
                        rng.range(8, 23) as u32,
                        lat,
                        lon,
                        i,
                        "öppen försäljning",
                        *rng.pick(&WHO),
                    ));
                }
            }
        }
    }
    let truth = target.filter(|_| months >= 2).map(|t| {
        let d = &districts[t];
        InterventionTruth {
            district: d.name.clone(),
            start: start_date(start_month),
            start_month,
            reduction: REDUCTION,
            displaced_share: DISPLACED,
            ring_m: RING_M,
            rate_before: rate(d.category),
            displaced,
            comparisons: districts
                .iter()
                .enumerate()
                .filter(|(i, x)| *i != t && x.category == d.category)
                .map(|(_, x)| x.name.clone())
                .collect(),
        }
    });
    (out, truth)
}

/// A point in the ring of width [`RING_M`] just outside the district's box.
fn ring_point(rng: &mut Rng, d: &District) -> (f64, f64) {
    let m_lat = 1.0 / 111_320.0;
    let m_lon = 1.0 / (111_320.0 * d.lat.to_radians().cos());
    let out_lat = rng.unit() * RING_M * m_lat;
    let out_lon = rng.unit() * RING_M * m_lon;
    // one of the four sides, along its length
    match rng.below(4) {
        0 => (
            d.lat + HALF_LAT + out_lat,
            d.lon + (rng.unit() - 0.5) * 2.0 * HALF_LON,
        ),
        1 => (
            d.lat - HALF_LAT - out_lat,
            d.lon + (rng.unit() - 0.5) * 2.0 * HALF_LON,
        ),
        2 => (
            d.lat + (rng.unit() - 0.5) * 2.0 * HALF_LAT,
            d.lon + HALF_LON + out_lon,
        ),
        _ => (
            d.lat + (rng.unit() - 0.5) * 2.0 * HALF_LAT,
            d.lon - HALF_LON - out_lon,
        ),
    }
}

/// The districts as GeoJSON (RFC 7946): each its box, the exterior ring counter-clockwise.
pub fn districts_geojson(districts: &[District]) -> String {
    let features: Vec<serde_json::Value> = districts
        .iter()
        .map(|d| {
            let (s, n) = (d.lat - HALF_LAT, d.lat + HALF_LAT);
            let (w, e) = (d.lon - HALF_LON, d.lon + HALF_LON);
            serde_json::json!({
                "type": "Feature",
                "properties": {
                    "name": d.name,
                    "municipality": d.municipality,
                    "category": match d.category {
                        AreaCategory::Particularly => "särskilt utsatt område",
                        AreaCategory::Vulnerable => "utsatt område",
                        AreaCategory::Risk => "riskområde",
                        AreaCategory::None => "",
                    },
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
                },
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}
