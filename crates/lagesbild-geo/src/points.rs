//! Events as a struct of arrays (latitude, longitude, optional time, optional category), and
//! the reader of a points CSV: a header with `lat` and `lon` (or `latitude`/`longitude`/`lng`)
//! and optionally a time (`time`, `date`, `occurred_at`, `seized_at`…) and a category column.
//! A bad row is an error that names the file, the line and the column.

use std::collections::HashMap;
use std::io::Read;

use crate::{GeoError, Result, sweref, time};

/// Events: place in WGS84, time in seconds since 1970 (when the file has times), and a
/// category index into `categories` (0 when the file has none).
#[derive(Debug, Clone, Default)]
pub struct Points {
    pub lat: Vec<f64>,
    pub lon: Vec<f64>,
    pub time: Option<Vec<i64>>,
    pub category: Vec<u32>,
    pub categories: Vec<String>,
}

/// Which columns hold what; `None` means "find it by its usual names".
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub time: Option<String>,
    pub category: Option<String>,
}

const LAT: &[&str] = &["lat", "latitude", "y_wgs84"];
const LON: &[&str] = &["lon", "lng", "long", "longitude", "x_wgs84"];
const TIME: &[&str] = &[
    "time",
    "date",
    "datetime",
    "timestamp",
    "occurred_at",
    "seized_at",
    "observed_at",
    "reported_at",
];
const CATEGORY: &[&str] = &["category", "type", "kind", "substance"];

impl Points {
    pub fn len(&self) -> usize {
        self.lat.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lat.is_empty()
    }

    /// Adds an event; `category` is interned.
    pub fn push(&mut self, lat: f64, lon: f64, time: Option<i64>, category: &str) {
        self.lat.push(lat);
        self.lon.push(lon);
        if let Some(t) = time {
            self.time.get_or_insert_with(Vec::new).push(t);
        }
        let c = match self.categories.iter().position(|c| c == category) {
            Some(c) => c,
            None => {
                self.categories.push(category.to_owned());
                self.categories.len() - 1
            }
        };
        self.category.push(c as u32);
    }

    /// SWEREF 99 TM easting and northing of every event.
    pub fn sweref(&self) -> (Vec<f64>, Vec<f64>) {
        self.lat
            .iter()
            .zip(&self.lon)
            .map(|(&la, &lo)| sweref::to_sweref(la, lo))
            .unzip()
    }

    /// The events for which `keep` holds, in order.
    pub fn filter(&self, mut keep: impl FnMut(usize) -> bool) -> Points {
        let idx: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        Points {
            lat: idx.iter().map(|&i| self.lat[i]).collect(),
            lon: idx.iter().map(|&i| self.lon[i]).collect(),
            time: self
                .time
                .as_ref()
                .map(|t| idx.iter().map(|&i| t[i]).collect()),
            category: idx.iter().map(|&i| self.category[i]).collect(),
            categories: self.categories.clone(),
        }
    }

    /// The category index of a name (case-insensitive).
    pub fn category_index(&self, name: &str) -> Option<u32> {
        self.categories
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .map(|i| i as u32)
    }
}

fn find(header: &HashMap<String, usize>, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| header.get(*n).copied())
}

/// Reads a points CSV (comma, semicolon or tab, guessed from the header line). `name` is the
/// file name used in errors.
pub fn read_csv<R: Read>(name: &str, reader: R, columns: &Columns) -> Result<Points> {
    let mut text = String::new();
    let mut reader = reader;
    reader
        .read_to_string(&mut text)
        .map_err(|source| GeoError::Io {
            path: name.to_owned(),
            source,
        })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let err = |line: u64, message: String| GeoError::Csv {
        path: name.to_owned(),
        line,
        message,
    };
    let header: HashMap<String, usize> = csv
        .headers()
        .map_err(|e| err(1, e.to_string()))?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    if header.is_empty() || (header.len() == 1 && header.contains_key("")) {
        return Err(err(
            1,
            "the file is empty; a header with lat,lon is needed".into(),
        ));
    }
    let lat = find(&header, LAT).ok_or_else(|| {
        err(
            1,
            "no latitude column (lat or latitude) in the header".into(),
        )
    })?;
    let lon = find(&header, LON).ok_or_else(|| {
        err(
            1,
            "no longitude column (lon, lng or longitude) in the header".into(),
        )
    })?;
    let named = |given: &Option<String>, usual: &[&str], what: &str| -> Result<Option<usize>> {
        match given {
            Some(c) => header
                .get(&c.to_lowercase())
                .copied()
                .map(Some)
                .ok_or_else(|| err(1, format!("no {what} column {c:?} in the header"))),
            None => Ok(find(&header, usual)),
        }
    };
    let time_col = named(&columns.time, TIME, "time")?;
    let cat_col = named(&columns.category, CATEGORY, "category")?;
    let mut points = Points::default();
    if time_col.is_some() {
        points.time = Some(Vec::new());
    }
    for row in csv.records() {
        let row = row.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            err(line, e.to_string())
        })?;
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| row.get(i).unwrap_or("").trim();
        let coord = |i: usize, what: &str, lo: f64, hi: f64| -> Result<f64> {
            let raw = field(i);
            let v: f64 = raw
                .replace(',', ".")
                .parse()
                .map_err(|_| err(line, format!("{what} {raw:?} is not a number")))?;
            if !(lo..=hi).contains(&v) {
                return Err(err(line, format!("{what} {v} is outside {lo}..{hi}")));
            }
            Ok(v)
        };
        let la = coord(lat, "latitude", -90.0, 90.0)?;
        let lo = coord(lon, "longitude", -180.0, 180.0)?;
        let t = match time_col {
            Some(c) => Some(time::parse(field(c)).ok_or_else(|| {
                err(
                    line,
                    format!(
                        "time {:?} is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or DD.MM.YYYY)",
                        field(c)
                    ),
                )
            })?),
            None => None,
        };
        let cat = cat_col.map(field).unwrap_or("");
        points.push(la, lo, t, cat);
    }
    if points.time.is_none() && time_col.is_some() {
        points.time = Some(Vec::new());
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Points> {
        read_csv("p.csv", text.as_bytes(), &Columns::default())
    }

    #[test]
    fn reads_points_with_times_and_categories() {
        let p = read("id;Lat;Lon;seized_at;substance\n1;55.6;13,0;2026-01-02;kokain\n2;55.7;13.1;03.01.2026;cannabis\n3;55.8;13.2;2026-01-04T10:00;kokain\n").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p.lon[0], 13.0);
        assert_eq!(p.categories, ["kokain", "cannabis"]);
        assert_eq!(p.category, [0, 1, 0]);
        let t = p.time.unwrap();
        assert_eq!(t[1] - t[0], 86_400);
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let e = read("lat,lon\n55.6,13.0\n55.6,east\n")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "p.csv, line 3: longitude \"east\" is not a number");
        let e = read("lat,lon,date\n55.6,13.0,2026-02-30\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("p.csv, line 2: time \"2026-02-30\" is not a date"),
            "{e}"
        );
        let e = read("x,y\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("no latitude column"), "{e}");
        let e = read("lat,lon\n95,13\n").unwrap_err().to_string();
        assert!(e.contains("line 2: latitude 95 is outside"), "{e}");
        let e = read("lat,lon\n55,13,4\n").unwrap_err().to_string();
        assert!(e.starts_with("p.csv, line 2:"), "{e}");
        assert!(read("").is_err());
    }
}
