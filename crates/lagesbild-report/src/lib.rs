//! The lägesbild report: the situation picture of one area and period for a cooperation
//! meeting, as one self-contained HTML file (inline CSS and SVG, no scripts, no fonts or
//! images from anywhere).
//!
//! Two steps, kept apart so that each can be tested on its own:
//!
//! - [`gather`] reads what the report needs through the audited access path (`Access`: events,
//!   links, entities, aggregates, sources; each read one audit entry) and runs the analytics
//!   of `lagesbild-geo` and `lagesbild-graph` on it, giving a [`Report`]: plain data, nothing
//!   more than the report shows;
//! - [`render_html`] turns a [`Report`] into HTML, in Swedish or English, without reading
//!   anything.
//!
//! The partner version ([`Options::partner`], or a principal with the partner role) is built
//! from suppressed aggregates only (`Access::aggregate_in`, k at least `MIN_CELL`): no
//! networks, no names, no event points, hotspot cells only where they hold at least k events.
//! Since the [`Report`] of a partner version never holds more than that, the renderer cannot
//! leak what it was never given.

mod gather;
mod layout;
mod render;
mod svg;
mod text;

pub use gather::{Options, ReportError, edge_list, gather, parse_period};
pub use render::{escape, render_html};

use serde::Serialize;

use lagesbild_model::Handling;
pub use lagesbild_store::SourceCount;

/// The language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sv" | "se" | "svenska" | "swedish" => Some(Lang::Sv),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Everything the report shows, and nothing more.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub meta: Meta,
    pub summary: Summary,
    pub map: MapData,
    pub trends: Trends,
    /// `None` in the partner version.
    pub networks: Option<Networks>,
    pub hotspots: Hotspots,
    /// Partners' observations per category and month of the period.
    pub observations: Table,
    pub estimates: Estimates,
    pub sources: Sources,
}

/// How the area was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// A polygon of the areas file: the events inside it.
    Polygon,
    /// A place named by the events (the first part of their `place`).
    Place,
}

/// Who made the report, when, why, for what and how it must be handled.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub area: String,
    pub area_kind: AreaKind,
    /// The period, both days included (YYYY-MM-DD).
    pub from: String,
    pub to: String,
    /// The previous period of equal length, just before.
    pub previous_from: String,
    pub previous_to: String,
    pub generated_at: String,
    pub user: String,
    pub org: String,
    pub roles: Vec<String>,
    pub purpose: String,
    /// The highest handling code of the material used (`None`: no material).
    pub classification: Option<Handling>,
    /// The H3 restrictions in words.
    pub handling_notes: Vec<String>,
    /// The partner version: suppressed aggregates only.
    pub partner: bool,
    /// The smallest count shown in the partner version.
    pub k: u64,
}

/// A count in the period and in the previous one; `None` where suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub label: String,
    pub current: Option<u64>,
    pub previous: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// All events of the area.
    pub total: Figure,
    /// Per kind of event (Seizure, Incident, Observation).
    pub by_schema: Vec<Figure>,
    /// Per category (substance, kind of incident or observation), largest first.
    pub by_category: Vec<Figure>,
    /// Significant hot cells (Gi*, 95 % or more) in the period.
    pub hot_cells: usize,
    pub alerts: usize,
    /// Networks active in the area (not in the partner version).
    pub communities: Option<usize>,
}

/// Monthly counts of one category (`None`: suppressed).
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub label: String,
    pub counts: Vec<Option<u64>>,
}

/// The series of one kind of event.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub schema: String,
    pub series: Vec<Series>,
}

/// A month whose count left the expected band.
#[derive(Debug, Clone, Serialize)]
pub struct AlertRow {
    pub schema: String,
    pub category: String,
    pub month: String,
    pub count: f64,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    pub above: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trends {
    /// The months of the previous and the current period (YYYY-MM).
    pub months: Vec<String>,
    /// The index of the first month of the current period.
    pub first_current: usize,
    pub charts: Vec<Chart>,
    pub alerts: Vec<AlertRow>,
    /// The rolling baseline's window in months.
    pub window: usize,
}

/// A point of the map in SWEREF 99 TM metres.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MapPoint {
    pub x: f64,
    pub y: f64,
    /// Index into [`MapData::legend`].
    pub kind: usize,
}

/// A hotspot cell on the map: its outline in SWEREF 99 TM and its confidence bin (3: hot
/// 99 %, 2: 95 %, 1: 90 %, negative: cold).
#[derive(Debug, Clone, Serialize)]
pub struct MapCell {
    pub ring: Vec<(f64, f64)>,
    pub bin: i8,
}

/// Rings of a polygon in SWEREF 99 TM metres (easting, northing).
pub type Rings = Vec<Vec<(f64, f64)>>;

/// The map, in SWEREF 99 TM metres (easting, northing).
#[derive(Debug, Clone, Serialize)]
pub struct MapData {
    /// min x, min y, max x, max y.
    pub bounds: [f64; 4],
    /// The area's outline (rings), when it is a polygon.
    pub outline: Rings,
    /// The districts of the areas file that reach into the map.
    pub districts: Vec<(String, Rings)>,
    /// Events of the period (empty in the partner version).
    pub points: Vec<MapPoint>,
    /// The kinds of the points (schema names).
    pub legend: Vec<String>,
    pub cells: Vec<MapCell>,
}

/// A cell of the hotspot table.
#[derive(Debug, Clone, Serialize)]
pub struct HotCell {
    pub cell: String,
    pub lat: f64,
    pub lon: f64,
    pub count: u64,
    pub z: f64,
    pub p: f64,
    pub bin: i8,
    /// Its emerging-hotspot pattern (`lagesbild_geo::emerging::Category::label`).
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hotspots {
    /// Events and cells with events (`None` in the partner version: with the published
    /// counts they could give a suppressed one away).
    pub events: Option<usize>,
    pub cells: Option<usize>,
    /// The H3 resolution of the cells.
    pub resolution: u8,
    /// Cells per bin: hot 99, 95, 90, cold 90, 95, 99.
    pub bins: [usize; 6],
    pub top: Vec<HotCell>,
    /// Emerging-hotspot patterns and how many cells have each (`None`: too few months).
    pub patterns: Option<Vec<(String, usize)>>,
    /// Cells left out of the partner version because they hold fewer than k events.
    pub withheld: usize,
}

/// A member of a network with its measure.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub schema: String,
    pub score: f64,
}

/// A small drawing of a network: positions in the unit square.
#[derive(Debug, Clone, Serialize)]
pub struct Drawing {
    pub nodes: Vec<(f64, f64)>,
    /// Which nodes are key members (index into [`Community::key`]).
    pub key: Vec<Option<usize>>,
    /// Which nodes are events of the area.
    pub event: Vec<bool>,
    pub edges: Vec<(u32, u32)>,
    /// How many of the community's nodes the drawing leaves out.
    pub hidden: usize,
}

/// A community (Leiden) active in the area and period.
#[derive(Debug, Clone, Serialize)]
pub struct Community {
    pub id: u32,
    pub size: usize,
    pub edges: usize,
    /// Events of the area and period in it.
    pub events: usize,
    pub key: Vec<Member>,
    pub drawing: Drawing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Networks {
    pub nodes: usize,
    pub edges: usize,
    pub communities: usize,
    pub modularity: f64,
    /// Communities with events of the area and period, most events first.
    pub active: Vec<Community>,
    /// How many active communities there are in all (`active` holds the first few).
    pub active_total: usize,
}

/// A table of counts with margins (`None`: suppressed).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub rows: Vec<String>,
    pub months: Vec<String>,
    pub cells: Vec<Vec<Option<u64>>>,
    pub row_totals: Vec<Option<u64>>,
    pub col_totals: Vec<Option<u64>>,
    pub grand_total: Option<u64>,
    pub suppressed: usize,
}

/// An estimate with its interval.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    /// What is estimated (`suspects`: the people active as seizure suspects).
    pub what: String,
    /// How (`chapman`).
    pub method: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// The inputs: n1, n2, m.
    pub inputs: Vec<(String, u64)>,
}

/// Why an estimate could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoEstimate {
    /// Estimates rest on identities: not in the partner version.
    Partner,
    /// Too few people seen in both halves of the period.
    TooFewRecaptures { m: u64 },
    /// Wastewater samples are per treatment plant and have no place in the area.
    WastewaterNotPerArea,
}

#[derive(Debug, Clone, Serialize)]
pub struct Estimates {
    pub items: Vec<Estimate>,
    pub not_made: Vec<NoEstimate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    pub rows: Vec<SourceCount>,
    /// Records per source grade (A, B, C, X) and information grade (1–4); `None` where a
    /// suppressed count contributes.
    pub grading: [[Option<u64>; 4]; 4],
    /// Records per handling code H0–H3.
    pub handling: [Option<u64>; 4],
}
