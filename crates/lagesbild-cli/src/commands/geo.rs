//! `lagesbild hotspots | emerging | nearrepeat | trends | intervention`: the spatio-temporal
//! picture on a points file (CSV with lat,lon[,time][,category]), written as tables, as a
//! `--json` summary, and as RFC 7946 GeoJSON (`--out`).
//!
//! The store is not read yet: events with a place are reached only through the audited
//! `Access` API, which has no method that returns them (see `docs/geo.md`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{Map, Value, json};

use lagesbild_geo::areas::{self, Areas};
use lagesbild_geo::emerging::{self, Category};
use lagesbild_geo::geojson::{self, num};
use lagesbild_geo::gistar::{self, GiStar};
use lagesbild_geo::intervention::{self, Counts};
use lagesbild_geo::knox;
use lagesbild_geo::points::{Columns, Points, read_csv};
use lagesbild_geo::time::{self, Step};
use lagesbild_geo::trends::{self, Baseline};
use lagesbild_geo::{Binned, GeoError, Lattice, Weights, kde};

use crate::cli::Global;
use crate::context::user_error;
use crate::output;

/// Which events: the file (or the store), its columns and the filters.
#[derive(Debug, Args, Clone)]
pub struct PointsArgs {
    /// Events as CSV with a header: lat, lon, and optionally a time and a category column.
    /// Without it, the events with a place in the store that the user may see (seizures,
    /// incidents, observations; the access is logged)
    #[arg(long)]
    pub points: Option<PathBuf>,
    /// From the store: only entities of this schema (repeatable: Seizure, Incident...)
    #[arg(long = "schema")]
    pub schemata: Vec<String>,
    /// The time column, when not one of time, date, occurred_at, seized_at…
    #[arg(long)]
    pub time_column: Option<String>,
    /// The category column, when not one of category, type, kind, substance
    #[arg(long)]
    pub category_column: Option<String>,
    /// Only events of these categories (repeatable)
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// Only events on or after this date (YYYY-MM-DD)
    #[arg(long)]
    pub from: Option<String>,
    /// Only events before this date
    #[arg(long)]
    pub to: Option<String>,
    /// Areas as GeoJSON (Polygon/MultiPolygon features with a name)
    #[arg(long)]
    pub areas: Option<PathBuf>,
    /// Only events inside this area of --areas
    #[arg(long)]
    pub area: Option<String>,
}

/// How events become cells and which cells are neighbours.
#[derive(Debug, Args, Clone)]
pub struct CellArgs {
    /// H3 resolution of the hexagons (7: 5 km², 8: 0.7 km², 9: 0.1 km²)
    #[arg(long, default_value_t = 9, conflicts_with = "grid")]
    pub h3: u8,
    /// Square cells of this side in SWEREF 99 TM metres instead of hexagons
    #[arg(long)]
    pub grid: Option<f64>,
    /// Neighbours: the cells within this many steps (H3 k-ring, or the block of squares)
    #[arg(long, default_value_t = 1)]
    pub ring: u32,
    /// Neighbours: the cells whose centres lie within this many metres instead
    #[arg(long)]
    pub distance: Option<f64>,
    /// Add the empty cells within this many steps of an event (defaults to --ring)
    #[arg(long)]
    pub fill: Option<u32>,
}

#[derive(Debug, Args)]
pub struct HotspotsArgs {
    #[command(flatten)]
    pub points: PointsArgs,
    #[command(flatten)]
    pub cells: CellArgs,
    /// Conditional permutations per cell for pseudo p-values (0: normal p-values only)
    #[arg(long, default_value_t = 0)]
    pub permutations: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Benjamini–Hochberg false-discovery-rate correction of the bins
    #[arg(long)]
    pub fdr: bool,
    /// Kernel density instead: the quartic kernel's bandwidth in metres
    #[arg(long)]
    pub density: Option<f64>,
    /// The density grid's cell side in metres
    #[arg(long, default_value_t = 100.0)]
    pub density_cell: f64,
    /// How many cells to list
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Write the cells with their statistics as GeoJSON
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EmergingArgs {
    #[command(flatten)]
    pub points: PointsArgs,
    #[command(flatten)]
    pub cells: CellArgs,
    /// The time step: week, month, or Nd / Nw / Nm
    #[arg(long, default_value = "month")]
    pub step: String,
    /// Earlier time steps in a bin's neighbourhood
    #[arg(long, default_value_t = 1)]
    pub time_neighbours: u32,
    /// Significance level of hot and cold bins and of the trend
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Benjamini–Hochberg over all bins of the cube
    #[arg(long)]
    pub fdr: bool,
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NearRepeatArgs {
    #[command(flatten)]
    pub points: PointsArgs,
    /// Upper edges of the spatial bands in metres
    #[arg(long, value_delimiter = ',', default_value = "100,200,300,400,500")]
    pub space: Vec<f64>,
    /// Upper edges of the temporal bands in days
    #[arg(long, value_delimiter = ',', default_value = "7,14,21,28")]
    pub time: Vec<f64>,
    /// Monte-Carlo simulations (permutations of the times)
    #[arg(long, default_value_t = 999)]
    pub simulations: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub points: PointsArgs,
    /// week or month (or Nd / Nw / Nm)
    #[arg(long, default_value = "week")]
    pub by: String,
    /// rolling (median and MAD of the previous --window steps) or seasonal (the same steps of
    /// up to --years earlier years)
    #[arg(long, default_value = "rolling")]
    pub baseline: String,
    #[arg(long, default_value_t = 8)]
    pub window: usize,
    #[arg(long, default_value_t = 3)]
    pub years: usize,
    /// Width of the expected band in spreads
    #[arg(long, default_value_t = 2.0)]
    pub z: f64,
    /// One series per category as well as per area
    #[arg(long)]
    pub per_category: bool,
}

#[derive(Debug, Args)]
pub struct InterventionArgs {
    #[command(flatten)]
    pub points: PointsArgs,
    /// The target area (a name in --areas)
    #[arg(long)]
    pub target: String,
    /// Comparison areas (names in --areas; repeatable)
    #[arg(long = "comparison", required = true)]
    pub comparisons: Vec<String>,
    /// The day the intervention started (YYYY-MM-DD)
    #[arg(long)]
    pub date: String,
    /// Days before and after the start that are compared
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Width in metres of the buffer around the target (for displacement)
    #[arg(long, default_value_t = 500.0)]
    pub buffer: f64,
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
}

fn geo_err(e: GeoError) -> anyhow::Error {
    user_error(e.to_string())
}

fn date_arg(s: &Option<String>, flag: &str) -> Result<Option<i64>> {
    s.as_deref()
        .map(|d| {
            time::parse(d)
                .ok_or_else(|| user_error(format!("--{flag} {d:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

fn read_areas(path: &Path) -> Result<Areas> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    areas::parse(&path.display().to_string(), &text).map_err(geo_err)
}

/// The events after the filters, and the areas if given.
fn load(g: &Global, a: &PointsArgs) -> Result<(Points, Option<Areas>)> {
    let points = match &a.points {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))
                .map_err(|e| user_error(format!("{e:#}")))?;
            let columns = Columns {
                time: a.time_column.clone(),
                category: a.category_column.clone(),
            };
            read_csv(
                &path.display().to_string(),
                std::io::BufReader::new(file),
                &columns,
            )
            .map_err(geo_err)?
        }
        None => from_store(g, &a.schemata)?,
    };
    let from = date_arg(&a.from, "from")?;
    let to = date_arg(&a.to, "to")?;
    if (from.is_some() || to.is_some()) && points.time.is_none() {
        return Err(user_error(format!(
            "--from/--to need times, and {} has no time column",
            source_name(a)
        )));
    }
    let cats: Vec<u32> = a
        .categories
        .iter()
        .map(|c| {
            points.category_index(c).ok_or_else(|| {
                user_error(format!(
                    "no events of category {c:?}; the file has {}",
                    points.categories.join(", ")
                ))
            })
        })
        .collect::<Result<_>>()?;
    let areas = a.areas.as_deref().map(read_areas).transpose()?;
    let area = match (&a.area, &areas) {
        (Some(name), Some(ar)) => Some(
            ar.find(name)
                .ok_or_else(|| user_error(format!("no area {name:?} in the areas file")))?,
        ),
        (Some(_), None) => return Err(user_error("--area needs --areas FILE.geojson")),
        _ => None,
    };
    let t = points.time.clone();
    let filtered = points.filter(|i| {
        (cats.is_empty() || cats.contains(&points.category[i]))
            && from.is_none_or(|f| t.as_ref().is_some_and(|t| t[i] >= f))
            && to.is_none_or(|f| t.as_ref().is_some_and(|t| t[i] < f))
            && area.is_none_or(|k| {
                areas
                    .as_ref()
                    .is_some_and(|ar| ar.areas[k as usize].contains(points.lat[i], points.lon[i]))
            })
    });
    if filtered.is_empty() {
        return Err(user_error("no events left after the filters"));
    }
    tracing::info!(events = filtered.len(), "events read");
    Ok((filtered, areas))
}

fn cells(a: &CellArgs, points: &Points) -> Result<(Binned, Weights)> {
    let lattice = match a.grid {
        Some(side) => Lattice::square(side),
        None => Lattice::h3(a.h3),
    }
    .map_err(geo_err)?;
    let fill = a.fill.unwrap_or(match (a.distance, a.grid) {
        (Some(d), Some(side)) => (d / side).ceil() as u32,
        (Some(_), None) => 1,
        _ => a.ring,
    });
    let binned = Binned::new(lattice, points, fill);
    let w = match a.distance {
        Some(d) => Weights::distance_band(&binned.centres_m(), d),
        None => Weights::k_ring(&binned, a.ring),
    };
    Ok((binned, w))
}

fn write_geojson(path: &Path, value: &Value) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut out, value)?;
    use std::io::Write as _;
    out.flush()?;
    Ok(())
}

fn bin_label(b: i8) -> &'static str {
    match b {
        3 => "hot 99 %",
        2 => "hot 95 %",
        1 => "hot 90 %",
        -1 => "cold 90 %",
        -2 => "cold 95 %",
        -3 => "cold 99 %",
        _ => "",
    }
}

pub fn hotspots(g: &Global, a: HotspotsArgs) -> Result<ExitCode> {
    let (points, _) = load(g, &a.points)?;
    if let Some(h) = a.density {
        return density(g, &a, &points, h);
    }
    let (binned, w) = cells(&a.cells, &points)?;
    let opts = gistar::Options {
        permutations: a.permutations,
        seed: a.seed,
        fdr: a.fdr,
    };
    let gi: GiStar = gistar::gi_star(&binned.counts, &w, &opts);
    let lattice = binned.lattice;
    if let Some(out) = &a.out {
        let fc = geojson::cells(&lattice, &binned.cells, |i| {
            let mut p = Map::new();
            p.insert("count".into(), num(binned.counts[i]));
            p.insert("neighbours".into(), json!(w.row(i).len()));
            p.insert("z".into(), num(gi.z[i]));
            p.insert("p".into(), num(gi.p[i]));
            if let Some(ps) = &gi.p_sim {
                p.insert("p_sim".into(), num(ps[i]));
            }
            if let Some(q) = &gi.q {
                p.insert("q".into(), num(q[i]));
            }
            p.insert("bin".into(), json!(gi.bin[i]));
            Some(p)
        });
        write_geojson(out, &fc)?;
    }
    let mut order: Vec<usize> = (0..binned.len()).filter(|&i| gi.bin[i] != 0).collect();
    order.sort_by(|&x, &y| gi.z[y].total_cmp(&gi.z[x]));
    let count_bin = |b: i8| gi.bin.iter().filter(|&&v| v == b).count();
    if g.json {
        let top: Vec<Value> = order
            .iter()
            .take(a.top)
            .map(|&i| {
                let (lat, lon) = lattice.centre(binned.cells[i]);
                json!({"cell": lattice.name(binned.cells[i]), "lat": lat, "lon": lon,
                       "count": binned.counts[i], "z": num(gi.z[i]), "p": num(gi.p[i]), "bin": gi.bin[i]})
            })
            .collect();
        output::json(&json!({
            "events": points.len(), "cells": binned.len(),
            "bins": {"hot99": count_bin(3), "hot95": count_bin(2), "hot90": count_bin(1),
                     "cold90": count_bin(-1), "cold95": count_bin(-2), "cold99": count_bin(-3)},
            "permutations": a.permutations, "fdr": a.fdr, "hot": top,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} events in {} cells: hot spots {} (99 %) {} (95 %) {} (90 %), cold spots {} / {} / {}{}",
        points.len(),
        binned.len(),
        count_bin(3),
        count_bin(2),
        count_bin(1),
        count_bin(-3),
        count_bin(-2),
        count_bin(-1),
        if a.fdr { ", FDR-corrected" } else { "" }
    );
    println!(
        "{:<22} {:>10} {:>10} {:>7} {:>8} {:>10}  bin",
        "cell", "lat", "lon", "count", "z", "p"
    );
    for &i in order.iter().take(a.top) {
        let (lat, lon) = lattice.centre(binned.cells[i]);
        println!(
            "{:<22} {lat:>10.5} {lon:>10.5} {:>7} {:>8.2} {:>10.2e}  {}",
            lattice.name(binned.cells[i]),
            binned.counts[i],
            gi.z[i],
            gi.p[i],
            bin_label(gi.bin[i])
        );
    }
    if let Some(out) = &a.out {
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn density(g: &Global, a: &HotspotsArgs, points: &Points, h: f64) -> Result<ExitCode> {
    if !(h > 0.0 && a.density_cell >= 1.0) {
        return Err(user_error(
            "--density and --density-cell must be positive metres",
        ));
    }
    let (e, n) = points.sweref();
    let d = kde::density(&e, &n, a.density_cell, h);
    let lattice = Lattice::Square(a.density_cell);
    let cells: Vec<u64> = (0..d.values.len())
        .map(|i| {
            let (x, y) = d.centre(i);
            let (lat, lon) = lagesbild_geo::sweref::to_wgs84(x, y);
            lattice.cell(lat, lon)
        })
        .collect();
    if let Some(out) = &a.out {
        let fc = geojson::cells(&lattice, &cells, |i| {
            (d.values[i] > 0.0).then(|| {
                let mut p = Map::new();
                p.insert("density_km2".into(), num(d.per_km2(i)));
                p
            })
        });
        write_geojson(out, &fc)?;
    }
    let mut order: Vec<usize> = (0..d.values.len()).collect();
    order.sort_by(|&x, &y| d.values[y].total_cmp(&d.values[x]));
    let top: Vec<(String, f64, f64, f64)> = order
        .iter()
        .take(a.top)
        .map(|&i| {
            let (x, y) = d.centre(i);
            let (lat, lon) = lagesbild_geo::sweref::to_wgs84(x, y);
            (lattice.name(cells[i]), lat, lon, d.per_km2(i))
        })
        .collect();
    if g.json {
        output::json(&json!({
            "events": points.len(), "bandwidth_m": h, "cell_m": a.density_cell,
            "cols": d.cols, "rows": d.rows,
            "peaks": top.iter().map(|(c, la, lo, v)| json!({"cell": c, "lat": la, "lon": lo, "density_km2": v})).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "kernel density of {} events (quartic, bandwidth {h} m) on {} × {} cells of {} m; densest:",
        points.len(),
        d.cols,
        d.rows,
        a.density_cell
    );
    println!(
        "{:<26} {:>10} {:>10} {:>14}",
        "cell", "lat", "lon", "events/km²"
    );
    for (c, la, lo, v) in top {
        println!("{c:<26} {la:>10.5} {lo:>10.5} {v:>14.2}");
    }
    Ok(ExitCode::SUCCESS)
}

fn step_arg(s: &str, flag: &str) -> Result<Step> {
    Step::parse(s).ok_or_else(|| {
        user_error(format!(
            "--{flag} {s:?}: use week, month, or a count with d, w or m (14d)"
        ))
    })
}

fn need_times(points: &Points, a: &PointsArgs) -> Result<Vec<i64>> {
    points.time.clone().ok_or_else(|| {
        user_error(format!(
            "{} has no time column (time, date, occurred_at…; or name it with --time-column)",
            source_name(a)
        ))
    })
}

fn source_name(a: &PointsArgs) -> String {
    a.points
        .as_ref()
        .map_or_else(|| "the store".to_owned(), |p| p.display().to_string())
}

/// The events with a place in the store that the user may see; events without a readable
/// date are left out when any has one (times are all or nothing).
fn from_store(g: &Global, schemata: &[String]) -> Result<Points> {
    let why = crate::context::purpose(g)?;
    let (mut store, who, _) = crate::context::session(g)?;
    let rows = store.access(&who, &why).events(schemata)?;
    let timed: Vec<Option<i64>> = rows
        .iter()
        .map(|r| r.date.as_deref().and_then(lagesbild_geo::time::parse))
        .collect();
    let with_time = timed.iter().any(Option::is_some);
    let mut points = Points::default();
    for (r, t) in rows.iter().zip(&timed) {
        if with_time && t.is_none() {
            continue;
        }
        points.push(r.lat, r.lon, *t, &r.category);
    }
    if points.is_empty() {
        return Err(user_error(
            "the store has no events with a place that you may see (seizures, incidents, \
             observations with latitude and longitude)",
        ));
    }
    Ok(points)
}

pub fn emerging(g: &Global, a: EmergingArgs) -> Result<ExitCode> {
    let (points, _) = load(g, &a.points)?;
    let times = need_times(&points, &a.points)?;
    let step = step_arg(&a.step, "step")?;
    let (binned, w) = cells(&a.cells, &points)?;
    let t0 = *times.iter().min().unwrap_or(&0);
    let t1 = *times.iter().max().unwrap_or(&0);
    let steps = (step.index(t0, t1) + 1) as usize;
    if steps < 3 {
        return Err(user_error(format!(
            "the events span {steps} time step(s); the trend needs at least 3 (a shorter --step?)"
        )));
    }
    let locs = binned.len();
    let mut cube = vec![0.0; locs * steps];
    for (k, &t) in times.iter().enumerate() {
        let s = step.index(t0, t) as usize;
        cube[s * locs + binned.of_point[k] as usize] += 1.0;
    }
    let opts = emerging::Options {
        time_neighbours: a.time_neighbours,
        alpha: a.alpha,
        fdr: a.fdr,
    };
    let r = emerging::emerging(&cube, steps, &w, &opts);
    let lattice = binned.lattice;
    if let Some(out) = &a.out {
        let fc = geojson::cells(&lattice, &binned.cells, |i| {
            let mut p = Map::new();
            p.insert("count".into(), num(binned.counts[i]));
            p.insert("pattern".into(), json!(r.category[i].label()));
            p.insert("trend_z".into(), num(r.trend[i].z));
            p.insert("trend_p".into(), num(r.trend[i].p));
            p.insert(
                "z".into(),
                json!(
                    (0..steps)
                        .map(|t| num(r.z[t * locs + i]))
                        .collect::<Vec<_>>()
                ),
            );
            Some(p)
        });
        write_geojson(out, &fc)?;
    }
    let mut tally: Vec<(Category, usize)> = Vec::new();
    for c in &r.category {
        match tally.iter_mut().find(|(k, _)| k == c) {
            Some((_, n)) => *n += 1,
            None => tally.push((*c, 1)),
        }
    }
    tally.sort_by_key(|(c, _)| *c as u8);
    if g.json {
        let cells: Vec<Value> = (0..locs)
            .filter(|&i| r.category[i] != Category::NoPattern)
            .map(|i| {
                let (lat, lon) = lattice.centre(binned.cells[i]);
                json!({"cell": lattice.name(binned.cells[i]), "lat": lat, "lon": lon,
                       "pattern": r.category[i], "count": binned.counts[i],
                       "trend_z": num(r.trend[i].z), "trend_p": num(r.trend[i].p)})
            })
            .collect();
        output::json(&json!({
            "events": points.len(), "cells": locs, "steps": steps,
            "first_step": time::format_date(step.start(t0, 0)),
            "patterns": tally.iter().map(|(c, n)| (c.label().to_owned(), json!(n))).collect::<Map<_, _>>(),
            "cells_with_pattern": cells,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} events in {} cells × {} steps from {} ({} time neighbour(s), α {}{})",
        points.len(),
        locs,
        steps,
        time::format_date(step.start(t0, 0)),
        a.time_neighbours,
        a.alpha,
        if a.fdr { ", FDR" } else { "" }
    );
    for (c, n) in &tally {
        println!("{:<26} {n:>8}", c.label());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn nearrepeat(g: &Global, a: NearRepeatArgs) -> Result<ExitCode> {
    let (points, _) = load(g, &a.points)?;
    let times = need_times(&points, &a.points)?;
    for (edges, flag) in [(&a.space, "space"), (&a.time, "time")] {
        if edges.is_empty() || edges.windows(2).any(|w| w[0] >= w[1]) || edges[0] <= 0.0 {
            return Err(user_error(format!(
                "--{flag}: give ascending positive band edges, e.g. 100,200,300"
            )));
        }
    }
    let (e, n) = points.sweref();
    let days: Vec<f64> = times.iter().map(|&t| t as f64 / 86_400.0).collect();
    let k = knox::knox(
        &e,
        &n,
        &days,
        &knox::Options {
            space: a.space.clone(),
            time: a.time.clone(),
            simulations: a.simulations,
            seed: a.seed,
        },
    );
    if g.json {
        output::json(&k)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Knox test: {} events, {} pairs, {} simulations; Knox ratio (p-value) per band",
        k.events, k.pairs, k.simulations
    );
    let label = |(lo, hi): (f64, Option<f64>), unit: &str| match hi {
        Some(h) => format!("{lo}–{h} {unit}"),
        None => format!("≥ {lo} {unit}"),
    };
    print!("{:<16}", "");
    for t in 0..k.time_bands {
        print!("{:>18}", label(k.band(0, t).time, "d"));
    }
    println!();
    for s in 0..k.space_bands {
        print!("{:<16}", label(k.band(s, 0).space, "m"));
        for t in 0..k.time_bands {
            let b = k.band(s, t);
            let mark = if b.p <= 0.01 {
                "**"
            } else if b.p <= 0.05 {
                "*"
            } else {
                ""
            };
            print!("{:>18}", format!("{:.2} ({:.3}){mark:<2}", b.ratio, b.p));
        }
        println!();
    }
    println!("* p ≤ 0.05, ** p ≤ 0.01: more pairs this close in space and time than chance gives");
    Ok(ExitCode::SUCCESS)
}

pub fn trends(g: &Global, a: TrendsArgs) -> Result<ExitCode> {
    let (points, areas) = load(g, &a.points)?;
    let times = need_times(&points, &a.points)?;
    let step = step_arg(&a.by, "by")?;
    let baseline = match a.baseline.as_str() {
        "rolling" => Baseline::Rolling {
            window: a.window.max(1),
        },
        "seasonal" => {
            if step.per_year().is_none() {
                return Err(user_error("--baseline seasonal needs --by week or month"));
            }
            Baseline::Seasonal {
                years: a.years.max(1),
            }
        }
        other => {
            return Err(user_error(format!(
                "--baseline {other:?}: rolling or seasonal"
            )));
        }
    };
    let t0 = *times.iter().min().unwrap_or(&0);
    let t1 = *times.iter().max().unwrap_or(&0);
    // groups: all, each area, each category (and area × category with --per-category)
    let mut groups: Vec<(String, Vec<i64>)> = vec![("all".into(), times.clone())];
    if let Some(ar) = &areas {
        for (k, area) in ar.areas.iter().enumerate() {
            let t: Vec<i64> = (0..points.len())
                .filter(|&i| {
                    ar.containing(points.lat[i], points.lon[i])
                        .any(|x| x as usize == k)
                })
                .map(|i| times[i])
                .collect();
            groups.push((area.name.clone(), t));
        }
    }
    if a.per_category {
        for (c, name) in points.categories.iter().enumerate() {
            let t: Vec<i64> = (0..points.len())
                .filter(|&i| points.category[i] as usize == c)
                .map(|i| times[i])
                .collect();
            groups.push((format!("category {name}"), t));
        }
    }
    let mut out = Vec::new();
    for (name, t) in &groups {
        let counts = trends::series(t, step, t0, t1);
        let series = trends::bands(&counts, step, t0, baseline, a.z);
        out.push((name.clone(), series));
    }
    if g.json {
        let v: Vec<Value> = out
            .iter()
            .map(|(name, s)| json!({"group": name, "series": s}))
            .collect();
        output::json(
            &json!({"events": points.len(), "step": a.by, "baseline": a.baseline, "groups": v}),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<28} {:>6} {:>8} {:>8} {:>10}  last step",
        "group", "events", "steps", "alerts", "last"
    );
    for (name, s) in &out {
        let events: f64 = s.iter().map(|p| p.count).sum();
        let alerts = s.iter().filter(|p| p.alert.is_some()).count();
        let last = s.last();
        println!(
            "{name:<28} {events:>6} {:>8} {alerts:>8} {:>10}  {}",
            s.len(),
            last.map(|p| p.start.clone()).unwrap_or_default(),
            last.map(|p| match (p.expected, p.low, p.high) {
                (Some(e), Some(l), Some(h)) => format!(
                    "{} (expected {e:.1}, band {l:.1}–{h:.1}){}",
                    p.count,
                    match p.alert {
                        Some(trends::Alert::Above) => " ABOVE",
                        Some(trends::Alert::Below) => " BELOW",
                        None => "",
                    }
                ),
                _ => format!("{} (no baseline yet)", p.count),
            })
            .unwrap_or_default()
        );
    }
    let mut any = false;
    for (name, s) in &out {
        for p in s.iter().filter(|p| p.alert.is_some()) {
            if !any {
                println!("\nalerts:");
                any = true;
            }
            println!(
                "  {name:<26} {}  {} events, expected {:.1} (band {:.1}–{:.1}) {}",
                p.start,
                p.count,
                p.expected.unwrap_or(f64::NAN),
                p.low.unwrap_or(f64::NAN),
                p.high.unwrap_or(f64::NAN),
                if p.alert == Some(trends::Alert::Above) {
                    "above"
                } else {
                    "below"
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn intervention(g: &Global, a: InterventionArgs) -> Result<ExitCode> {
    let (points, areas) = load(g, &a.points)?;
    let times = need_times(&points, &a.points)?;
    let ar = areas.ok_or_else(|| user_error("intervention needs --areas FILE.geojson"))?;
    let find = |name: &str| {
        ar.find(name)
            .ok_or_else(|| user_error(format!("no area {name:?} in the areas file")))
    };
    let target = find(&a.target)? as usize;
    let comps: Vec<usize> = a
        .comparisons
        .iter()
        .map(|c| find(c).map(|k| k as usize))
        .collect::<Result<_>>()?;
    let start = time::parse(&a.date)
        .ok_or_else(|| user_error(format!("--date {:?} is not a date (YYYY-MM-DD)", a.date)))?;
    let span = i64::from(a.days) * 86_400;
    if !(0.5..1.0).contains(&a.confidence) {
        return Err(user_error(
            "--confidence must lie between 0.5 and 1 (e.g. 0.95)",
        ));
    }
    let mut c = Counts::default();
    let tgt = &ar.areas[target];
    for (i, &t) in times.iter().enumerate() {
        let period = if (start - span..start).contains(&t) {
            0
        } else if (start..start + span).contains(&t) {
            1
        } else {
            continue;
        };
        let (lat, lon) = (points.lat[i], points.lon[i]);
        if tgt.contains(lat, lon) {
            c.target[period] += 1.0;
        } else if tgt.distance_m(lat, lon) <= a.buffer {
            c.buffer[period] += 1.0;
        } else if comps.iter().any(|&k| ar.areas[k].contains(lat, lon)) {
            c.comparison[period] += 1.0;
        }
    }
    let e = intervention::effect(&c, a.confidence);
    if g.json {
        output::json(&json!({
            "target": tgt.name, "comparison": a.comparisons, "date": a.date, "days": a.days,
            "buffer_m": a.buffer, "effect": e,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let pct = (a.confidence * 100.0).round();
    println!(
        "{} from {} ({} days before and after), buffer {} m",
        tgt.name, a.date, a.days, a.buffer
    );
    println!("{:<12} {:>8} {:>8}", "", "before", "after");
    println!("{:<12} {:>8} {:>8}", "target", c.target[0], c.target[1]);
    println!("{:<12} {:>8} {:>8}", "buffer", c.buffer[0], c.buffer[1]);
    println!(
        "{:<12} {:>8} {:>8}",
        "comparison", c.comparison[0], c.comparison[1]
    );
    println!(
        "difference in differences: {:+.1} events ({pct} % CI {:+.1} to {:+.1})",
        e.did, e.did_ci.0, e.did_ci.1
    );
    println!(
        "relative effect (T1/T0)/(C1/C0): {:.2} ({pct} % CI {:.2}–{:.2}, p {:.3})",
        e.rr, e.rr_ci.0, e.rr_ci.1, e.p
    );
    let reading = if e.success >= 0.0 {
        "the target did not improve against the comparison, so WDQ is not read"
    } else if e.wdq > 0.0 {
        "diffusion of benefits into the buffer"
    } else if e.wdq < -1.0 {
        "displacement larger than the direct effect"
    } else if e.wdq < 0.0 {
        "some displacement into the buffer, less than the direct effect"
    } else {
        "no displacement"
    };
    println!(
        "weighted displacement quotient: {:.2} ({reading}); total net effect {:+.1} events",
        e.wdq, e.net_effect
    );
    Ok(ExitCode::SUCCESS)
}
