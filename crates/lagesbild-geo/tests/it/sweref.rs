//! SWEREF 99 TM against PROJ (values from pyproj in `fixtures/sweref.json`): to the millimetre
//! both ways across Sweden.

use lagesbild_geo::sweref::{to_sweref, to_wgs84};

use crate::fixture;

#[test]
fn matches_proj_to_the_millimetre() {
    let f = fixture("sweref.json");
    let points = f["points"].as_array().unwrap();
    assert!(points.len() >= 10);
    for p in points {
        let (lat, lon) = (p["lat"].as_f64().unwrap(), p["lon"].as_f64().unwrap());
        let (e, n) = (
            p["easting"].as_f64().unwrap(),
            p["northing"].as_f64().unwrap(),
        );
        let (oe, on) = to_sweref(lat, lon);
        assert!(
            (oe - e).abs() < 1e-3 && (on - n).abs() < 1e-3,
            "{lat} {lon}: ours {oe} {on}, PROJ {e} {n}"
        );
        let (la, lo) = to_wgs84(e, n);
        // a millimetre is about 9e-9 degrees of latitude
        assert!(
            (la - lat).abs() < 1e-8 && (lo - lon).abs() < 2e-8,
            "{e} {n}: ours {la} {lo}"
        );
    }
}
