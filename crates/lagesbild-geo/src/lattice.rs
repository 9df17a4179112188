//! Binning events into cells: H3 hexagons at a resolution, or squares of a side in SWEREF 99 TM
//! metres. A cell is a `u64` (the H3 index, or the square's column and row packed); cells have
//! a centre, a polygon in WGS84 (counter-clockwise) and neighbours (an H3 k-ring, or the
//! (2k+1)² block of squares).

use h3o::{CellIndex, LatLng, Resolution};
use rayon::prelude::*;

use crate::{GeoError, Points, Result, sweref};

/// How space is cut into cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lattice {
    /// H3 hexagons at this resolution (0–15).
    H3(Resolution),
    /// Squares of this side in SWEREF 99 TM metres, aligned on multiples of the side.
    Square(f64),
}

fn pack(i: i64, j: i64) -> u64 {
    ((i as i32 as u32 as u64) << 32) | (j as i32 as u32 as u64)
}

fn unpack(c: u64) -> (i64, i64) {
    (
        i64::from((c >> 32) as u32 as i32),
        i64::from(c as u32 as i32),
    )
}

impl Lattice {
    pub fn h3(resolution: u8) -> Result<Lattice> {
        Resolution::try_from(resolution)
            .map(Lattice::H3)
            .map_err(|_| GeoError::Invalid(format!("H3 resolution {resolution} is not 0–15")))
    }

    pub fn square(side_m: f64) -> Result<Lattice> {
        if !(side_m.is_finite() && side_m >= 1.0) {
            return Err(GeoError::Invalid(format!(
                "grid side {side_m} m: must be at least 1 m"
            )));
        }
        Ok(Lattice::Square(side_m))
    }

    /// The cell that holds a point.
    pub fn cell(&self, lat: f64, lon: f64) -> u64 {
        match *self {
            Lattice::H3(r) => LatLng::new(lat, lon)
                .map(|ll| u64::from(ll.to_cell(r)))
                .unwrap_or(0),
            Lattice::Square(s) => {
                let (e, n) = sweref::to_sweref(lat, lon);
                pack((e / s).floor() as i64, (n / s).floor() as i64)
            }
        }
    }

    /// The centre of a cell in WGS84 (lat, lon).
    pub fn centre(&self, cell: u64) -> (f64, f64) {
        match *self {
            Lattice::H3(_) => match CellIndex::try_from(cell) {
                Ok(c) => {
                    let ll = LatLng::from(c);
                    (ll.lat(), ll.lng())
                }
                Err(_) => (f64::NAN, f64::NAN),
            },
            Lattice::Square(_) => {
                let (e, n) = self.centre_m(cell);
                sweref::to_wgs84(e, n)
            }
        }
    }

    /// The centre of a cell in SWEREF 99 TM metres (easting, northing).
    pub fn centre_m(&self, cell: u64) -> (f64, f64) {
        match *self {
            Lattice::H3(_) => {
                let (la, lo) = self.centre(cell);
                sweref::to_sweref(la, lo)
            }
            Lattice::Square(s) => {
                let (i, j) = unpack(cell);
                ((i as f64 + 0.5) * s, (j as f64 + 0.5) * s)
            }
        }
    }

    /// The boundary of a cell as a closed ring of (lon, lat), counter-clockwise.
    pub fn polygon(&self, cell: u64) -> Vec<[f64; 2]> {
        let mut ring: Vec<[f64; 2]> = match *self {
            Lattice::H3(_) => match CellIndex::try_from(cell) {
                Ok(c) => c.boundary().iter().map(|ll| [ll.lng(), ll.lat()]).collect(),
                Err(_) => Vec::new(),
            },
            Lattice::Square(s) => {
                let (i, j) = unpack(cell);
                let (e, n) = (i as f64 * s, j as f64 * s);
                [(e, n), (e + s, n), (e + s, n + s), (e, n + s)]
                    .iter()
                    .map(|&(e, n)| {
                        let (la, lo) = sweref::to_wgs84(e, n);
                        [lo, la]
                    })
                    .collect()
            }
        };
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        crate::geojson::orient(&mut ring, true);
        ring
    }

    /// The cell and every cell within `k` steps (H3 grid disk; squares: the (2k+1)² block).
    pub fn disk(&self, cell: u64, k: u32) -> Vec<u64> {
        match *self {
            Lattice::H3(_) => match CellIndex::try_from(cell) {
                Ok(c) => c
                    .grid_disk::<Vec<_>>(k)
                    .into_iter()
                    .map(u64::from)
                    .collect(),
                Err(_) => vec![cell],
            },
            Lattice::Square(_) => {
                let (i, j) = unpack(cell);
                let k = i64::from(k);
                let mut out = Vec::with_capacity(((2 * k + 1) * (2 * k + 1)) as usize);
                for di in -k..=k {
                    for dj in -k..=k {
                        out.push(pack(i + di, j + dj));
                    }
                }
                out
            }
        }
    }

    /// A cell's name: the H3 index in hex, or `{side}m-{easting}-{northing}` of its
    /// south-west corner.
    pub fn name(&self, cell: u64) -> String {
        match *self {
            Lattice::H3(_) => format!("{cell:x}"),
            Lattice::Square(s) => {
                let (i, j) = unpack(cell);
                format!("{s}m-{}-{}", i as f64 * s, j as f64 * s)
            }
        }
    }

    /// A cell's area in square metres (H3: on the sphere; squares: in the projection).
    pub fn area_m2(&self, cell: u64) -> f64 {
        match *self {
            Lattice::H3(_) => CellIndex::try_from(cell)
                .map(|c| c.area_m2())
                .unwrap_or(f64::NAN),
            Lattice::Square(s) => s * s,
        }
    }
}

/// Events binned into cells: the cells (sorted), their counts and each event's cell.
#[derive(Debug, Clone)]
pub struct Binned {
    pub lattice: Lattice,
    pub cells: Vec<u64>,
    pub counts: Vec<f64>,
    /// The index into `cells` of each event.
    pub of_point: Vec<u32>,
}

impl Binned {
    /// Bins the events; with `ring` > 0 the cells within `ring` steps of an occupied cell are
    /// added with a count of zero (so that a hotspot's surroundings take part in the analysis).
    pub fn new(lattice: Lattice, points: &Points, ring: u32) -> Binned {
        let ids: Vec<u64> = points
            .lat
            .par_iter()
            .zip(&points.lon)
            .map(|(&la, &lo)| lattice.cell(la, lo))
            .collect();
        let mut cells = ids.clone();
        cells.par_sort_unstable();
        cells.dedup();
        if ring > 0 {
            let extra: Vec<u64> = cells
                .par_iter()
                .flat_map_iter(|&c| lattice.disk(c, ring))
                .collect();
            cells.extend(extra);
            cells.par_sort_unstable();
            cells.dedup();
        }
        let of_point: Vec<u32> = ids
            .par_iter()
            .map(|c| cells.binary_search(c).unwrap_or(0) as u32)
            .collect();
        let mut counts = vec![0.0; cells.len()];
        for &c in &of_point {
            counts[c as usize] += 1.0;
        }
        Binned {
            lattice,
            cells,
            counts,
            of_point,
        }
    }

    /// Cells given directly (their counts zero), e.g. a study area's cells.
    pub fn from_cells(lattice: Lattice, mut cells: Vec<u64>) -> Binned {
        cells.sort_unstable();
        cells.dedup();
        Binned {
            lattice,
            counts: vec![0.0; cells.len()],
            cells,
            of_point: Vec::new(),
        }
    }

    pub fn index(&self, cell: u64) -> Option<u32> {
        self.cells.binary_search(&cell).ok().map(|i| i as u32)
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Cell centres in SWEREF 99 TM metres.
    pub fn centres_m(&self) -> Vec<(f64, f64)> {
        self.cells
            .par_iter()
            .map(|&c| self.lattice.centre_m(c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_are_aligned_in_sweref() {
        let l = Lattice::square(250.0).unwrap();
        let (la, lo) = sweref::to_wgs84(371_010.0, 6_163_260.0);
        let c = l.cell(la, lo);
        assert_eq!(l.name(c), "250m-371000-6163250");
        let (e, n) = l.centre_m(c);
        assert_eq!((e, n), (371_125.0, 6_163_375.0));
        assert_eq!(l.disk(c, 1).len(), 9);
        let ring = l.polygon(c);
        assert_eq!(ring.len(), 5);
        assert_eq!(ring[0], ring[4]);
    }

    #[test]
    fn hexagons_bin_and_fill() {
        let l = Lattice::h3(9).unwrap();
        let mut p = Points::default();
        for i in 0..10 {
            p.push(55.6 + f64::from(i) * 1e-5, 13.0, None, "");
        }
        p.push(55.7, 13.2, None, "");
        let b = Binned::new(l, &p, 0);
        assert_eq!(b.counts.iter().sum::<f64>(), 11.0);
        assert!(b.len() <= 3);
        let filled = Binned::new(l, &p, 1);
        assert!(filled.len() >= 14);
        assert_eq!(filled.counts.iter().sum::<f64>(), 11.0);
        let c = filled.cells[filled.of_point[10] as usize];
        assert_eq!(filled.counts[filled.index(c).unwrap() as usize], 1.0);
        assert_eq!(l.polygon(c).len(), 7);
    }
}
