//! Areas (municipalities, districts, the police's vulnerable areas) read from GeoJSON
//! Polygons and MultiPolygons with holes, and point-in-polygon assignment through a grid index
//! of the areas' bounding boxes. A malformed file is an error naming the file, the feature and
//! what is wrong with it.

use serde_json::Value;

use crate::{GeoError, Result, sweref};

/// One polygon: the exterior ring first, then its holes; positions (lon, lat), closed.
pub type Polygon = Vec<Vec<[f64; 2]>>;

#[derive(Debug, Clone)]
pub struct Area {
    pub name: String,
    pub properties: serde_json::Map<String, Value>,
    pub polygons: Vec<Polygon>,
    /// (min lon, min lat, max lon, max lat).
    pub bbox: [f64; 4],
    /// The rings in SWEREF 99 TM metres, for distances.
    rings_m: Vec<Vec<(f64, f64)>>,
}

impl Area {
    pub fn new(name: String, polygons: Vec<Polygon>) -> Area {
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for r in polygons.iter().flatten() {
            for p in r {
                bbox[0] = bbox[0].min(p[0]);
                bbox[1] = bbox[1].min(p[1]);
                bbox[2] = bbox[2].max(p[0]);
                bbox[3] = bbox[3].max(p[1]);
            }
        }
        let rings_m = polygons
            .iter()
            .flatten()
            .map(|r| r.iter().map(|p| sweref::to_sweref(p[1], p[0])).collect())
            .collect();
        Area {
            name,
            properties: serde_json::Map::new(),
            polygons,
            bbox,
            rings_m,
        }
    }

    /// Whether the point lies inside (even–odd rule over the exterior ring and its holes).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        if lon < self.bbox[0] || lon > self.bbox[2] || lat < self.bbox[1] || lat > self.bbox[3] {
            return false;
        }
        self.polygons.iter().any(|poly| {
            let mut inside = false;
            for ring in poly {
                inside ^= in_ring(ring, lon, lat);
            }
            inside
        })
    }

    /// The distance in metres from a point outside to the area's boundary (0 inside).
    pub fn distance_m(&self, lat: f64, lon: f64) -> f64 {
        if self.contains(lat, lon) {
            return 0.0;
        }
        let (x, y) = sweref::to_sweref(lat, lon);
        let mut best = f64::INFINITY;
        for r in &self.rings_m {
            for s in r.windows(2) {
                best = best.min(segment_distance((x, y), s[0], s[1]));
            }
        }
        best
    }
}

fn in_ring(ring: &[[f64; 2]], x: f64, y: f64) -> bool {
    let mut inside = false;
    let n = ring.len();
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        let (xi, yi) = (ring[i][0], ring[i][1]);
        let (xj, yj) = (ring[j][0], ring[j][1]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// Areas with a grid index for assignment.
#[derive(Debug, Clone)]
pub struct Areas {
    pub areas: Vec<Area>,
    extent: [f64; 4],
    size: usize,
    grid: Vec<Vec<u32>>,
}

impl Areas {
    pub fn new(areas: Vec<Area>) -> Areas {
        let mut extent = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for a in &areas {
            extent[0] = extent[0].min(a.bbox[0]);
            extent[1] = extent[1].min(a.bbox[1]);
            extent[2] = extent[2].max(a.bbox[2]);
            extent[3] = extent[3].max(a.bbox[3]);
        }
        let size = 64usize;
        let mut grid = vec![Vec::new(); size * size];
        if !areas.is_empty() {
            for (k, a) in areas.iter().enumerate() {
                let (c0, r0) = Self::slot(&extent, size, a.bbox[1], a.bbox[0]);
                let (c1, r1) = Self::slot(&extent, size, a.bbox[3], a.bbox[2]);
                for r in r0..=r1 {
                    for c in c0..=c1 {
                        grid[r * size + c].push(k as u32);
                    }
                }
            }
        }
        Areas {
            areas,
            extent,
            size,
            grid,
        }
    }

    fn slot(extent: &[f64; 4], size: usize, lat: f64, lon: f64) -> (usize, usize) {
        let f = |v: f64, lo: f64, hi: f64| {
            if hi > lo {
                (((v - lo) / (hi - lo) * size as f64) as usize).min(size - 1)
            } else {
                0
            }
        };
        (f(lon, extent[0], extent[2]), f(lat, extent[1], extent[3]))
    }

    /// The areas that contain the point, in file order.
    pub fn containing(&self, lat: f64, lon: f64) -> impl Iterator<Item = u32> + '_ {
        let outside = self.areas.is_empty()
            || lon < self.extent[0]
            || lon > self.extent[2]
            || lat < self.extent[1]
            || lat > self.extent[3];
        let cands: &[u32] = if outside {
            &[]
        } else {
            let (c, r) = Self::slot(&self.extent, self.size, lat, lon);
            &self.grid[r * self.size + c]
        };
        cands
            .iter()
            .copied()
            .filter(move |&k| self.areas[k as usize].contains(lat, lon))
    }

    /// The first area that contains the point.
    pub fn assign(&self, lat: f64, lon: f64) -> Option<u32> {
        self.containing(lat, lon).next()
    }

    pub fn find(&self, name: &str) -> Option<u32> {
        self.areas
            .iter()
            .position(|a| a.name.eq_ignore_ascii_case(name))
            .map(|i| i as u32)
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }
}

/// Reads areas from GeoJSON text (a FeatureCollection, a Feature or a bare geometry); `path`
/// names the file in errors. Features without a polygon geometry are an error; rings that are
/// not closed are closed.
pub fn parse(path: &str, text: &str) -> Result<Areas> {
    let err = |message: String| GeoError::GeoJson {
        path: path.to_owned(),
        message,
    };
    let v: Value = serde_json::from_str(text).map_err(|e| {
        err(format!(
            "not JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let features: Vec<&Value> = match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => v
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| err("a FeatureCollection without a \"features\" array".into()))?
            .iter()
            .collect(),
        Some("Feature") | Some("Polygon") | Some("MultiPolygon") => vec![&v],
        Some(other) => {
            return Err(err(format!(
                "type {other:?}: expected a FeatureCollection, a Feature, a Polygon or a MultiPolygon"
            )));
        }
        None => return Err(err("no \"type\" member: not GeoJSON".into())),
    };
    let mut areas = Vec::with_capacity(features.len());
    for (k, f) in features.iter().enumerate() {
        let (geometry, properties) = if f.get("type").and_then(Value::as_str) == Some("Feature") {
            (
                f.get("geometry").filter(|g| !g.is_null()),
                f.get("properties").and_then(Value::as_object).cloned(),
            )
        } else {
            (Some(*f), None)
        };
        let properties = properties.unwrap_or_default();
        let name = ["name", "namn", "NAMN", "Name", "NAME", "id"]
            .iter()
            .find_map(|p| match properties.get(*p) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
            .or_else(|| match f.get("id") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| format!("feature {}", k + 1));
        let ferr = |m: String| err(format!("feature {} ({name:?}): {m}", k + 1));
        let geometry = geometry.ok_or_else(|| ferr("no geometry".into()))?;
        let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
        let coords = geometry
            .get("coordinates")
            .ok_or_else(|| ferr(format!("a {kind} without \"coordinates\"")))?;
        let polygons = match kind {
            "Polygon" => vec![polygon(coords).map_err(&ferr)?],
            "MultiPolygon" => coords
                .as_array()
                .ok_or_else(|| ferr("MultiPolygon coordinates are not an array".into()))?
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p).map_err(|m| ferr(format!("polygon {}: {m}", i + 1))))
                .collect::<Result<Vec<_>>>()?,
            other => {
                return Err(ferr(format!(
                    "geometry {other:?}: areas must be Polygons or MultiPolygons"
                )));
            }
        };
        let mut area = Area::new(name, polygons);
        area.properties = properties;
        areas.push(area);
    }
    Ok(Areas::new(areas))
}

fn polygon(v: &Value) -> std::result::Result<Polygon, String> {
    let rings = v
        .as_array()
        .ok_or("polygon coordinates are not an array of rings")?;
    if rings.is_empty() {
        return Err("a polygon without rings".into());
    }
    rings
        .iter()
        .enumerate()
        .map(|(r, ring)| {
            let pos = ring
                .as_array()
                .ok_or_else(|| format!("ring {r} is not an array of positions"))?;
            let mut out = Vec::with_capacity(pos.len() + 1);
            for (i, p) in pos.iter().enumerate() {
                let xy = p.as_array().filter(|a| a.len() >= 2).ok_or_else(|| {
                    format!("ring {r}, position {i}: not a [longitude, latitude] pair")
                })?;
                let lon = xy[0].as_f64().filter(|v| (-180.0..=180.0).contains(v));
                let lat = xy[1].as_f64().filter(|v| (-90.0..=90.0).contains(v));
                match (lon, lat) {
                    (Some(lon), Some(lat)) => out.push([lon, lat]),
                    _ => {
                        return Err(format!(
                            "ring {r}, position {i}: {p} is not a longitude and latitude in degrees"
                        ));
                    }
                }
            }
            if out.first() != out.last() {
                let first = out[0];
                out.push(first);
            }
            if out.len() < 4 {
                return Err(format!(
                    "ring {r} has {} positions; a ring needs at least four (closed)",
                    pos.len()
                ));
            }
            Ok(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE_WITH_HOLE: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Ring"},"geometry":{"type":"Polygon","coordinates":[
        [[13.0,55.0],[13.1,55.0],[13.1,55.1],[13.0,55.1],[13.0,55.0]],
        [[13.04,55.04],[13.04,55.06],[13.06,55.06],[13.06,55.04],[13.04,55.04]]]}},
      {"type":"Feature","properties":{"namn":"Två"},"geometry":{"type":"MultiPolygon","coordinates":[
        [[[14.0,56.0],[14.1,56.0],[14.1,56.1],[14.0,56.0]]],
        [[[15.0,57.0],[15.1,57.0],[15.1,57.1],[15.0,57.0]]]]}}]}"#;

    #[test]
    fn holes_and_multipolygons() {
        let a = parse("a.geojson", SQUARE_WITH_HOLE).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a.assign(55.02, 13.02), Some(0));
        assert_eq!(a.assign(55.05, 13.05), None); // in the hole
        assert_eq!(a.assign(57.01, 15.09), Some(1));
        assert_eq!(a.assign(57.09, 15.01), None);
        assert_eq!(a.find("två"), Some(1));
        // 0.01° of latitude north of the square is about 1 113 m
        let d = a.areas[0].distance_m(55.11, 13.05);
        assert!((d - 1113.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn errors_name_the_feature() {
        let e = parse("a.geojson", r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#).unwrap_err().to_string();
        assert_eq!(
            e,
            "a.geojson: feature 1 (\"X\"): geometry \"Point\": areas must be Polygons or MultiPolygons"
        );
        let e = parse(
            "a.geojson",
            r#"{"type":"Polygon","coordinates":[[[1,2],[3,"x"],[1,2]]]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("ring 0, position 1"), "{e}");
        let e = parse("a.geojson", "{\"type\":").unwrap_err().to_string();
        assert!(e.contains("not JSON at line 1"), "{e}");
        let e = parse(
            "a.geojson",
            r#"{"type":"Polygon","coordinates":[[[1,2],[3,4],[1,2]]]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("at least four"), "{e}");
    }
}
