//! The spatio-temporal picture: where events cluster, where clusters grow, whether violence
//! repeats nearby, how counts move against their usual level, and what an intervention did.
//!
//! Everything works on compact arrays (struct-of-arrays points, CSR neighbour lists, dense
//! cubes) with no storage and no HTTP:
//!
//! - [`sweref`]: WGS84 ↔ SWEREF 99 TM (EPSG:3006) with Lantmäteriet's Gauss–Krüger formulas;
//! - [`points`]: events (place, time, category) and the points CSV reader;
//! - [`lattice`]: binning into H3 cells or square SWEREF grids, cell polygons and neighbours;
//! - [`weights`]: binary neighbour lists (k-ring, distance band) in compressed rows;
//! - [`gistar`]: Getis-Ord Gi* with analytical and permutation inference, FDR and bins;
//! - [`emerging`]: Gi* on a space-time cube, Mann–Kendall trends and ArcGIS's categories;
//! - [`kde`]: quartic kernel density on a SWEREF grid;
//! - [`knox`]: the near-repeat Knox test with Monte-Carlo significance;
//! - [`trends`]: weekly and monthly series, baselines and alerts;
//! - [`intervention`]: difference-in-differences and the weighted displacement quotient;
//! - [`areas`]: polygons from GeoJSON and point-in-polygon assignment;
//! - [`geojson`]: RFC 7946 output.
//!
//! Definitions follow PySAL's `esda` and ArcGIS's documentation; `docs/geo.md` gives the
//! formulas and how to read the outputs.

pub mod areas;
pub mod emerging;
pub mod geojson;
pub mod gistar;
pub mod intervention;
pub mod kde;
pub mod knox;
pub mod lattice;
pub mod points;
pub mod rng;
pub mod stats;
pub mod sweref;
pub mod time;
pub mod trends;
pub mod weights;

pub use lattice::{Binned, Lattice};
pub use points::Points;
pub use weights::Weights;

/// An error in outside data or in a request: each names the file and the line or feature.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Csv {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    GeoJson { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = GeoError> = std::result::Result<T, E>;
