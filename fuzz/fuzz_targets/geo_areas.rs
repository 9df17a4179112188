//! Fuzz target: the GeoJSON areas reader of lagesbild-geo, and point-in-polygon on what it
//! reads.
#![no_main]

use lagesbild_geo::areas;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(a) = areas::parse("areas.geojson", text) {
        for area in &a.areas {
            let (lat, lon) = (
                (area.bbox[1] + area.bbox[3]) / 2.0,
                (area.bbox[0] + area.bbox[2]) / 2.0,
            );
            let _ = a.assign(lat, lon);
            let _ = area.distance_m(lat, lon);
        }
    }
});
