//! GeoJSON output per RFC 7946: WGS84 longitude–latitude positions (seven decimals, about a
//! centimetre), closed rings, exterior rings counter-clockwise and holes clockwise (the
//! right-hand rule), cells as Polygons with their statistics as properties.

use serde_json::{Map, Value, json};

use crate::Lattice;

/// Twice the signed area of a closed ring in the plane (positive: counter-clockwise).
pub fn signed_area2(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum()
}

/// Turns a closed ring counter-clockwise (`ccw`) or clockwise.
pub fn orient(ring: &mut [[f64; 2]], ccw: bool) {
    let a = signed_area2(ring);
    if (a < 0.0 && ccw) || (a > 0.0 && !ccw) {
        ring.reverse();
    }
}

fn round(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// A Polygon geometry from rings (exterior first), oriented by the right-hand rule.
pub fn polygon(rings: &[Vec<[f64; 2]>]) -> Value {
    let coords: Vec<Value> = rings
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut r = r.clone();
            if r.first() != r.last()
                && let Some(&f) = r.first()
            {
                r.push(f);
            }
            orient(&mut r, i == 0);
            Value::Array(
                r.iter()
                    .map(|p| json!([round(p[0]), round(p[1])]))
                    .collect(),
            )
        })
        .collect();
    json!({"type": "Polygon", "coordinates": coords})
}

pub fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

/// A FeatureCollection of cells: `props(i)` gives the properties of the i-th cell; the cell's
/// name (`cell`) is added first.
pub fn cells(
    lattice: &Lattice,
    cells: &[u64],
    mut props: impl FnMut(usize) -> Option<Map<String, Value>>,
) -> Value {
    let features: Vec<Value> = cells
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| {
            let p = props(i)?;
            let mut all = Map::new();
            all.insert("cell".into(), Value::String(lattice.name(c)));
            all.extend(p);
            Some(feature(polygon(&[lattice.polygon(c)]), all))
        })
        .collect();
    collection(features)
}

pub fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

/// A finite number, or null (JSON has no NaN).
pub fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_hand_rule() {
        // a clockwise exterior and a counter-clockwise hole are both turned
        let ext = vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]];
        let hole = vec![[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.4]];
        let g = polygon(&[ext, hole]);
        let rings: Vec<Vec<[f64; 2]>> = serde_json::from_value(g["coordinates"].clone()).unwrap();
        assert!(signed_area2(&rings[0]) > 0.0);
        assert!(signed_area2(&rings[1]) < 0.0);
        assert_eq!(rings[1].first(), rings[1].last());
        assert_eq!(rings[1].len(), 5);
    }

    #[test]
    fn hexagon_cells_are_counter_clockwise() {
        let l = Lattice::h3(8).unwrap();
        let c = l.cell(55.6, 13.0);
        let fc = cells(&l, &[c], |_| Some(Map::new()));
        let ring: Vec<[f64; 2]> =
            serde_json::from_value(fc["features"][0]["geometry"]["coordinates"][0].clone())
                .unwrap();
        assert_eq!(ring.len(), 7);
        assert!(signed_area2(&ring) > 0.0);
        assert_eq!(fc["features"][0]["properties"]["cell"], format!("{c:x}"));
    }
}
