//! Gathering a [`Report`] through the audited access path: events, links, the names of key
//! members, aggregates and sources, each one `Access` call and one audit entry; then the
//! analytics (Gi* hotspots, emerging hotspots, monthly trends with alerts, Leiden communities
//! and betweenness, a Chapman estimate) on what was read.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use lagesbild_geo::areas::{Area, Areas};
use lagesbild_geo::emerging::{self, Category};
use lagesbild_geo::gistar;
use lagesbild_geo::points::Points;
use lagesbild_geo::time::{self as gtime, Step};
use lagesbild_geo::trends::{self, Alert, Baseline};
use lagesbild_geo::{Binned, Lattice, Weights, sweref};
use lagesbild_graph::community::{LeidenOptions, leiden};
use lagesbild_graph::links::Link;
use lagesbild_graph::{EdgeList, Filter, centrality};
use lagesbild_model::{Handling, InfoGrade, Role, SourceGrade};
use lagesbild_store::{
    Access, AggregateQuery, AggregateRows, AggregateWithin, EventRow, MIN_CELL, SourceCount,
    StoreError,
};

use crate::layout;
use crate::{
    AlertRow, AreaKind, Chart, Community, Drawing, Estimate, Estimates, Figure, HotCell, Hotspots,
    MapCell, MapData, MapPoint, Member, Meta, Networks, NoEstimate, Report, Series, Sources,
    Summary, Table, Trends,
};

/// The kinds of event the report counts, in the order it shows them.
pub const SCHEMATA: [&str; 3] = ["Seizure", "Incident", "Observation"];

/// How many categories a chart draws (the rest are summed as `*`).
const CHART_SERIES: usize = 6;
/// The rolling baseline of the monthly trends: the median of this many earlier months.
const WINDOW: usize = 6;
/// How far from the expected a count must lie to be reported as an alert.
const ALERT_MIN_GAP: f64 = 3.0;
/// The H3 resolution of the hotspot cells (about 0.1 km²).
const H3_RESOLUTION: u8 = 9;
/// How many active communities the report shows, and key members of each.
const COMMUNITIES: usize = 4;
const KEY_MEMBERS: usize = 5;
/// The network of the store's links as every reader of `Access::links` builds it (see
/// `lagesbild_graph::links`): a payment becomes an edge from payer to beneficiary, dated.
pub fn edge_list(rows: &[lagesbild_store::LinkRow]) -> lagesbild_graph::EdgeList {
    lagesbild_graph::links::edge_list(rows.iter().map(|r| {
        Link {
            src: &r.src,
            src_schema: &r.src_schema,
            prop: &r.prop,
            dst: &r.dst,
            count: r.count,
            time: r
                .at
                .as_deref()
                .and_then(lagesbild_graph::io::parse_time)
                .unwrap_or(0),
        }
    }))
}

/// The most nodes a network drawing shows.
const DRAWN: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no area {name:?}; the areas are: {}", known.join(", "))]
    UnknownArea { name: String, known: Vec<String> },
    #[error(
        "the partner version counts events by the place they name, and no event names {name:?} \
         as its place; the places are: {}", known.join(", ")
    )]
    NotAPlace { name: String, known: Vec<String> },
    #[error("{0}")]
    Period(String),
}

/// What the report is about and for whom.
#[derive(Debug, Clone)]
pub struct Options {
    /// An area of `areas`, or a place named by the events.
    pub area: String,
    /// First and last day of the period (`YYYY-MM-DD`, or `YYYY-MM` for a whole month).
    pub from: String,
    pub to: String,
    pub areas: Option<Areas>,
    /// The partner version even when the principal is not a partner.
    pub partner: bool,
    /// When the report is made (RFC 3339), as it is to be printed on the cover.
    pub generated_at: String,
}

/// The period as seconds: its first moment and the moment after its last day. `YYYY-MM` is
/// the first day of the month as `from` and the last as `to`.
pub fn parse_period(from: &str, to: &str) -> Result<(i64, i64), ReportError> {
    let start = gtime::parse(from).ok_or_else(|| {
        ReportError::Period(format!("--from {from:?} is not a date (YYYY-MM-DD)"))
    })?;
    let last = gtime::parse(to)
        .ok_or_else(|| ReportError::Period(format!("--to {to:?} is not a date (YYYY-MM-DD)")))?;
    let end = if to.trim().len() == 7 {
        Step::Months(1).start(last, 1)
    } else {
        Step::Days(1).floor(last) + 86_400
    };
    let start = Step::Days(1).floor(start);
    if end <= start {
        return Err(ReportError::Period(format!(
            "--to {to} lies before --from {from}"
        )));
    }
    Ok((start, end))
}

/// The start of the previous period of equal length: as many whole months before when the
/// period is whole months, else as many days.
fn previous_start(from: i64, end: i64) -> i64 {
    let month = Step::Months(1);
    if month.floor(from) == from && month.floor(end) == end {
        month.start(from, -month.index(from, end))
    } else {
        from - (end - from)
    }
}

fn month_of(secs: i64) -> String {
    gtime::format_date(secs)[..7].to_owned()
}

/// The months from the one holding `from` to the one holding `end - 1`.
fn months(from: i64, end: i64) -> Vec<String> {
    let n = Step::Months(1).index(from, end - 1) + 1;
    (0..n)
        .map(|k| month_of(Step::Months(1).start(from, k)))
        .collect()
}

/// The area of an event: the first part of its place (as `Access::aggregate` counts it).
fn place_of(e: &EventRow) -> Option<&str> {
    e.place
        .as_deref()
        .and_then(|p| p.split(',').next())
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

fn schema_of(e: &EventRow) -> &'static str {
    let model = lagesbild_model::model();
    model
        .get(&e.schema)
        .and_then(|s| SCHEMATA.into_iter().find(|want| s.is_a(want)))
        .unwrap_or("Other")
}

/// One event of the area, read for the report.
struct Ev<'a> {
    row: &'a EventRow,
    t: i64,
    schema: &'static str,
}

/// The area: its polygon when the areas file has it, its events' test otherwise.
struct Chosen {
    name: String,
    kind: AreaKind,
    polygon: Option<Area>,
}

impl Chosen {
    fn contains(&self, e: &EventRow) -> bool {
        match &self.polygon {
            Some(a) if self.kind == AreaKind::Polygon => a.contains(e.lat, e.lon),
            _ => place_of(e).is_some_and(|p| same_name(p, &self.name)),
        }
    }
}

/// Whether two names are the same, whatever their case (Ö and ö too).
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The index of an area of the file by its name, whatever its case.
fn find_area(areas: &Areas, name: &str) -> Option<usize> {
    areas.areas.iter().position(|a| same_name(&a.name, name))
}

fn choose_area(opts: &Options, places: &BTreeSet<String>) -> Result<Chosen, ReportError> {
    let name = opts.area.trim();
    if let Some(ar) = &opts.areas
        && let Some(k) = find_area(ar, name)
    {
        let a = ar.areas[k].clone();
        return Ok(Chosen {
            name: a.name.clone(),
            kind: AreaKind::Polygon,
            polygon: Some(a),
        });
    }
    if let Some(p) = places.iter().find(|p| same_name(p, name)) {
        return Ok(Chosen {
            name: p.clone(),
            kind: AreaKind::Place,
            polygon: None,
        });
    }
    let mut known: Vec<String> = opts
        .areas
        .iter()
        .flat_map(|a| a.areas.iter().map(|x| x.name.clone()))
        .chain(places.iter().cloned())
        .collect();
    known.sort();
    known.dedup();
    Err(ReportError::UnknownArea {
        name: name.to_owned(),
        known,
    })
}

/// Reads what the report needs through `access` and builds it.
pub fn gather(access: &mut Access<'_>, opts: &Options) -> Result<Report, ReportError> {
    let (from, end) = parse_period(&opts.from, &opts.to)?;
    let prev_from = previous_start(from, end);
    let principal = access.principal().clone();
    let partner = opts.partner || principal.has_role(Role::Partner);
    let meta = Meta {
        area: String::new(),
        area_kind: AreaKind::Place,
        from: gtime::format_date(from),
        to: gtime::format_date(end - 86_400),
        previous_from: gtime::format_date(prev_from),
        previous_to: gtime::format_date(from - 86_400),
        generated_at: opts.generated_at.clone(),
        user: principal.user.clone(),
        org: principal.org.clone(),
        roles: principal
            .roles
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        purpose: access.purpose().as_str().to_owned(),
        classification: None,
        handling_notes: Vec::new(),
        partner,
        k: if partner { MIN_CELL } else { 1 },
    };
    let period = Period {
        prev_from,
        from,
        end,
    };
    if partner {
        partner_report(access, opts, meta, &period)
    } else {
        full_report(access, opts, meta, &period)
    }
}

#[derive(Debug, Clone, Copy)]
struct Period {
    prev_from: i64,
    from: i64,
    end: i64,
}

impl Period {
    fn current(&self, t: i64) -> bool {
        (self.from..self.end).contains(&t)
    }
    fn previous(&self, t: i64) -> bool {
        (self.prev_from..self.from).contains(&t)
    }
}

fn full_report(
    access: &mut Access<'_>,
    opts: &Options,
    mut meta: Meta,
    period: &Period,
) -> Result<Report, ReportError> {
    let rows = access.events(&[])?;
    let places: BTreeSet<String> = rows
        .iter()
        .filter_map(place_of)
        .map(str::to_owned)
        .collect();
    let area = choose_area(opts, &places)?;
    meta.area = area.name.clone();
    meta.area_kind = area.kind;
    // every event of the area with a date, at most two years before the period
    let history_from = Step::Months(1).start(period.from, -24);
    let events: Vec<Ev<'_>> = rows
        .iter()
        .filter(|e| area.contains(e))
        .filter_map(|e| {
            let t = e.date.as_deref().and_then(gtime::parse)?;
            (history_from..period.end).contains(&t).then(|| Ev {
                row: e,
                t,
                schema: schema_of(e),
            })
        })
        .collect();
    let current: Vec<&Ev<'_>> = events.iter().filter(|e| period.current(e.t)).collect();
    let previous: Vec<&Ev<'_>> = events.iter().filter(|e| period.previous(e.t)).collect();

    // summary
    let count_by = |set: &[&Ev<'_>], f: &dyn Fn(&Ev<'_>) -> String| {
        let mut m: BTreeMap<String, u64> = BTreeMap::new();
        for e in set {
            *m.entry(f(e)).or_default() += 1;
        }
        m
    };
    let schema_now = count_by(&current, &|e| e.schema.to_owned());
    let schema_before = count_by(&previous, &|e| e.schema.to_owned());
    let cat_now = count_by(&current, &|e| e.row.category.clone());
    let cat_before = count_by(&previous, &|e| e.row.category.clone());
    let by_schema = SCHEMATA
        .iter()
        .chain(std::iter::once(&"Other"))
        .filter(|s| {
            schema_now.contains_key(**s) || schema_before.contains_key(**s) || **s != "Other"
        })
        .map(|s| Figure {
            label: (*s).to_owned(),
            current: Some(schema_now.get(*s).copied().unwrap_or(0)),
            previous: Some(schema_before.get(*s).copied().unwrap_or(0)),
        })
        .collect();
    let mut by_category: Vec<Figure> = cat_now
        .keys()
        .chain(cat_before.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|c| Figure {
            label: c.clone(),
            current: Some(cat_now.get(c).copied().unwrap_or(0)),
            previous: Some(cat_before.get(c).copied().unwrap_or(0)),
        })
        .collect();
    by_category.sort_by(|a, b| b.current.cmp(&a.current).then(a.label.cmp(&b.label)));

    // trends: monthly series per kind and category over both periods, alerts from the history
    let shown = months(period.prev_from, period.end);
    let first_current = Step::Months(1).index(period.prev_from, period.from) as usize;
    let mut charts = Vec::new();
    let mut alerts = Vec::new();
    // the baseline's history starts with the area's first event (before it, zeros say nothing)
    let origin = events
        .iter()
        .map(|e| e.t)
        .min()
        .map_or(period.prev_from, |t| Step::Months(1).floor(t))
        .min(period.prev_from);
    for schema in SCHEMATA {
        let of_kind: Vec<&Ev<'_>> = events.iter().filter(|e| e.schema == schema).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
        for e in of_kind.iter().filter(|e| e.t >= period.prev_from) {
            *totals.entry(e.row.category.as_str()).or_default() += 1;
        }
        let mut cats: Vec<(&str, usize)> = totals.into_iter().collect();
        cats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top: Vec<&str> = cats.iter().take(CHART_SERIES).map(|c| c.0).collect();
        let mut series = Vec::new();
        let mut groups: Vec<(String, Vec<i64>)> = top
            .iter()
            .map(|c| {
                (
                    (*c).to_owned(),
                    of_kind
                        .iter()
                        .filter(|e| e.row.category == *c)
                        .map(|e| e.t)
                        .collect(),
                )
            })
            .collect();
        if cats.len() > top.len() {
            groups.push((
                "*".to_owned(),
                of_kind
                    .iter()
                    .filter(|e| !top.contains(&e.row.category.as_str()))
                    .map(|e| e.t)
                    .collect(),
            ));
        }
        for (label, times) in &groups {
            let counts = trends::series(times, Step::Months(1), origin, period.end - 1);
            let offset = Step::Months(1).index(origin, period.prev_from) as usize;
            let points = trends::bands(
                &counts,
                Step::Months(1),
                origin,
                Baseline::Rolling { window: WINDOW },
                2.0,
            );
            push_alerts(&mut alerts, schema, label, &points, offset);
            series.push(crate::Series {
                label: label.clone(),
                counts: counts
                    .iter()
                    .skip(offset)
                    .take(shown.len())
                    .map(|c| Some(*c as u64))
                    .collect(),
            });
        }
        charts.push(Chart {
            schema: schema.to_owned(),
            series,
        });
    }
    alerts.sort_by(|a, b| a.month.cmp(&b.month).then(a.category.cmp(&b.category)));

    // hotspots and the map
    let mut points = Points::default();
    for e in &current {
        points.push(e.row.lat, e.row.lon, Some(e.t), &e.row.category);
    }
    let (hotspots, cells, _) = hotspots(&points, period, None);
    let map_points: Vec<MapPoint> = current
        .iter()
        .map(|e| {
            let (x, y) = sweref::to_sweref(e.row.lat, e.row.lon);
            MapPoint {
                x,
                y,
                kind: SCHEMATA.iter().position(|s| *s == e.schema).unwrap_or(0),
            }
        })
        .collect();
    let map = map_data(&area, opts.areas.as_ref(), &map_points, cells);

    // networks
    let area_entities: HashSet<&str> = current.iter().map(|e| e.row.entity_id.as_str()).collect();
    let links = access.links()?;
    let (networks, members) = networks(access, &links, &area_entities, period)?;

    // observations
    let observations = table_from_events(
        current
            .iter()
            .filter(|e| e.schema == "Observation")
            .copied(),
        &months(period.from, period.end),
    );

    // estimates: Chapman on seizure suspects in the two halves of the period
    let estimates = chapman_estimate(&links, &current, period);

    // sources of everything counted or named
    let records: Vec<i64> = current
        .iter()
        .chain(previous.iter())
        .map(|e| e.row.record_id)
        .collect();
    let source_rows = access.sources(&records, &members)?;
    let sources = sources(source_rows);
    classify(&mut meta, &sources);

    let summary = Summary {
        total: Figure {
            label: "all".to_owned(),
            current: Some(current.len() as u64),
            previous: Some(previous.len() as u64),
        },
        by_schema,
        by_category,
        hot_cells: hotspots.bins[0] + hotspots.bins[1],
        alerts: alerts.len(),
        communities: networks.as_ref().map(|n| n.active_total),
    };
    Ok(Report {
        meta,
        summary,
        map,
        trends: Trends {
            months: shown,
            first_current,
            charts,
            alerts,
            window: WINDOW,
        },
        networks,
        hotspots,
        observations,
        estimates,
        sources,
    })
}

/// Whether an alert of the baseline is worth reporting: the baseline has at least half its
/// window of history, and the count lies at least [`ALERT_MIN_GAP`] events from the expected
/// (a rare category's median of 0 would otherwise raise an alert on every single event).
fn worth_an_alert(step: usize, count: f64, expected: f64) -> bool {
    step >= WINDOW / 2 && (count - expected).abs() >= ALERT_MIN_GAP
}

/// The alerts worth showing among a series' points, from step `skip` on.
fn push_alerts(
    alerts: &mut Vec<AlertRow>,
    schema: &str,
    label: &str,
    points: &[trends::Point],
    skip: usize,
) {
    for (i, p) in points.iter().enumerate().skip(skip) {
        if let (Some(a), Some(e), Some(l), Some(h)) = (p.alert, p.expected, p.low, p.high)
            && worth_an_alert(i, p.count, e)
        {
            alerts.push(AlertRow {
                schema: schema.to_owned(),
                category: label.to_owned(),
                month: p.start[..7].to_owned(),
                count: p.count,
                expected: e,
                low: l,
                high: h,
                above: a == Alert::Above,
            });
        }
    }
}

/// Counts per category and month of the events.
fn table_from_events<'a, 'b: 'a>(
    events: impl Iterator<Item = &'a Ev<'b>>,
    months: &[String],
) -> Table {
    let mut counts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for e in events {
        let m = month_of(e.t);
        let Some(k) = months.iter().position(|x| *x == m) else {
            continue;
        };
        counts
            .entry(e.row.category.clone())
            .or_insert_with(|| vec![0; months.len()])[k] += 1;
    }
    let rows: Vec<String> = counts.keys().cloned().collect();
    let cells: Vec<Vec<u64>> = counts.into_values().collect();
    let col_totals: Vec<u64> = (0..months.len())
        .map(|k| cells.iter().map(|r| r[k]).sum())
        .collect();
    Table {
        rows,
        months: months.to_vec(),
        row_totals: cells.iter().map(|r| Some(r.iter().sum())).collect(),
        grand_total: Some(col_totals.iter().sum()),
        col_totals: col_totals.into_iter().map(Some).collect(),
        cells: cells
            .into_iter()
            .map(|r| r.into_iter().map(Some).collect())
            .collect(),
        suppressed: 0,
    }
}

/// Gi* on H3 cells of the period's events (with FDR), emerging hotspots on monthly steps; with
/// `min_count`, only cells holding at least that many events are kept (the others are counted
/// as withheld). Also the indices of the points in the kept cells.
fn hotspots(
    points: &Points,
    period: &Period,
    min_count: Option<u64>,
) -> (Hotspots, Vec<MapCell>, Vec<usize>) {
    let partner = min_count.is_some();
    let empty = Hotspots {
        events: (!partner).then_some(points.len()),
        cells: (!partner).then_some(0),
        resolution: H3_RESOLUTION,
        bins: [0; 6],
        top: Vec::new(),
        patterns: None,
        withheld: 0,
    };
    if points.is_empty() {
        return (empty, Vec::new(), Vec::new());
    }
    let Ok(lattice) = Lattice::h3(H3_RESOLUTION) else {
        return (empty, Vec::new(), Vec::new());
    };
    let binned = Binned::new(lattice, points, 1);
    let w = Weights::k_ring(&binned, 1);
    let gi = gistar::gi_star(
        &binned.counts,
        &w,
        &gistar::Options {
            permutations: 0,
            seed: 1,
            fdr: true,
        },
    );
    let keep = |i: usize| min_count.is_none_or(|k| binned.counts[i] >= k as f64);
    // emerging hotspots over the months of the period
    let steps = (Step::Months(1).index(period.from, period.end - 1) + 1) as usize;
    let mut pattern: Vec<Option<Category>> = vec![None; binned.len()];
    let times = points.time.as_ref();
    if steps >= 3
        && let Some(times) = times
    {
        let locs = binned.len();
        let mut cube = vec![0.0; locs * steps];
        for (k, &t) in times.iter().enumerate() {
            let s = Step::Months(1).index(period.from, t);
            if (0..steps as i64).contains(&s) {
                cube[s as usize * locs + binned.of_point[k] as usize] += 1.0;
            }
        }
        let r = emerging::emerging(
            &cube,
            steps,
            &w,
            &emerging::Options {
                time_neighbours: 1,
                alpha: 0.05,
                fdr: false,
            },
        );
        for (i, c) in r.category.iter().enumerate() {
            pattern[i] = Some(*c);
        }
    }
    let patterns = (steps >= 3).then(|| {
        let mut tally: BTreeMap<u8, (String, usize)> = BTreeMap::new();
        for (i, p) in pattern.iter().enumerate() {
            if let Some(c) = p
                && *c != Category::NoPattern
                && keep(i)
            {
                tally
                    .entry(*c as u8)
                    .or_insert_with(|| (c.label().to_owned(), 0))
                    .1 += 1;
            }
        }
        tally.into_values().collect()
    });
    let mut bins = [0usize; 6];
    let mut withheld = 0;
    let mut cells = Vec::new();
    for i in 0..binned.len() {
        if binned.counts[i] > 0.0 && !keep(i) {
            withheld += 1;
        }
        if !keep(i) || gi.bin[i] == 0 {
            continue;
        }
        let slot = match gi.bin[i] {
            3 => 0,
            2 => 1,
            1 => 2,
            -1 => 3,
            -2 => 4,
            _ => 5,
        };
        bins[slot] += 1;
        let ring = lattice
            .polygon(binned.cells[i])
            .iter()
            .map(|p| sweref::to_sweref(p[1], p[0]))
            .collect();
        cells.push(MapCell {
            ring,
            bin: gi.bin[i],
        });
    }
    let mut order: Vec<usize> = (0..binned.len())
        .filter(|&i| gi.bin[i] > 0 && keep(i))
        .collect();
    order.sort_by(|&x, &y| gi.z[y].total_cmp(&gi.z[x]));
    let top = order
        .iter()
        .take(10)
        .map(|&i| {
            let (lat, lon) = lattice.centre(binned.cells[i]);
            HotCell {
                cell: lattice.name(binned.cells[i]),
                lat,
                lon,
                count: binned.counts[i] as u64,
                z: gi.z[i],
                p: gi.p[i],
                bin: gi.bin[i],
                pattern: pattern[i].map(|c| c.label().to_owned()),
            }
        })
        .collect();
    let kept_points = (0..points.len())
        .filter(|&k| keep(binned.of_point[k] as usize))
        .collect();
    (
        Hotspots {
            events: (!partner).then_some(points.len()),
            cells: (!partner).then(|| binned.counts.iter().filter(|c| **c > 0.0).count()),
            resolution: H3_RESOLUTION,
            bins,
            top,
            patterns,
            withheld,
        },
        cells,
        kept_points,
    )
}

fn rings_m(area: &Area) -> Vec<Vec<(f64, f64)>> {
    area.polygons
        .iter()
        .flatten()
        .map(|r| r.iter().map(|p| sweref::to_sweref(p[1], p[0])).collect())
        .collect()
}

/// The map's layers and extent: the area's outline (or its events) with a margin.
fn map_data(
    area: &Chosen,
    areas: Option<&Areas>,
    points: &[MapPoint],
    cells: Vec<MapCell>,
) -> MapData {
    let outline = area.polygon.as_ref().map(rings_m).unwrap_or_default();
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    fn grow(b: &mut [f64; 4], x: f64, y: f64) {
        b[0] = b[0].min(x);
        b[1] = b[1].min(y);
        b[2] = b[2].max(x);
        b[3] = b[3].max(y);
    }
    if outline.is_empty() {
        for p in points {
            grow(&mut b, p.x, p.y);
        }
        for c in &cells {
            for &(x, y) in &c.ring {
                grow(&mut b, x, y);
            }
        }
    } else {
        for &(x, y) in outline.iter().flatten() {
            grow(&mut b, x, y);
        }
    }
    if !b[0].is_finite() {
        // nothing to place: an empty square where the area's district would be
        if let Some(a) = areas.and_then(|ar| find_area(ar, &area.name).map(|k| &ar.areas[k])) {
            for &(x, y) in rings_m(a).iter().flatten() {
                grow(&mut b, x, y);
            }
        }
        if !b[0].is_finite() {
            b = [0.0, 0.0, 1000.0, 1000.0];
        }
    }
    // a margin, and at least 1 km across
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    let pad = (w.max(h) * 0.08).max(300.0);
    b = [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad];
    let districts = areas
        .map(|ar| {
            ar.areas
                .iter()
                .filter(|a| a.name != area.name || area.kind != AreaKind::Polygon)
                .map(|a| (a.name.clone(), rings_m(a)))
                .filter(|(_, rings)| {
                    rings.iter().flatten().any(|&(x, y)| {
                        x >= b[0] - 5000.0
                            && x <= b[2] + 5000.0
                            && y >= b[1] - 5000.0
                            && y <= b[3] + 5000.0
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    MapData {
        bounds: b,
        outline,
        districts,
        points: points.to_vec(),
        legend: SCHEMATA.iter().map(|s| (*s).to_owned()).collect(),
        cells,
    }
}

/// The communities of the period's network that hold events of the area, with their key
/// members (betweenness within the community) named through `Access::labels`. Also every
/// member of the communities shown, for the sources.
fn networks(
    access: &mut Access<'_>,
    links: &[lagesbild_store::LinkRow],
    area_entities: &HashSet<&str>,
    period: &Period,
) -> Result<(Option<Networks>, Vec<String>), ReportError> {
    let list = edge_list(links);
    let graph = list.graph(
        false,
        &Filter {
            kinds: Vec::new(),
            from: Some(period.from),
            to: Some(period.end),
        },
    );
    if graph.m() == 0 {
        return Ok((None, Vec::new()));
    }
    let p = leiden(&graph, LeidenOptions::default());
    let mut events_in: HashMap<u32, usize> = HashMap::new();
    let mut members: HashMap<u32, Vec<u32>> = HashMap::new();
    for v in 0..graph.n() {
        let c = p.community[v];
        members.entry(c).or_default().push(v as u32);
        if area_entities.contains(graph.names[v].as_str()) {
            *events_in.entry(c).or_default() += 1;
        }
    }
    let mut active: Vec<(u32, usize)> = events_in.into_iter().collect();
    active.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut shown = Vec::new();
    let mut named: Vec<String> = Vec::new();
    // a community of one or two nodes is an event with its suspect at most: not a network
    active.retain(|(c, _)| members[c].len() >= 3);
    let active_total = active.len();
    for &(c, events) in active.iter().take(COMMUNITIES) {
        let nodes = &members[&c];
        // the community on its own
        let index: HashMap<u32, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, i as u32))
            .collect();
        let mut sub = EdgeList::with_nodes(nodes.len());
        sub.names = nodes
            .iter()
            .map(|v| graph.names[*v as usize].clone())
            .collect();
        let mut edges = Vec::new();
        for (i, v) in nodes.iter().enumerate() {
            for w in graph.out.neighbours(*v) {
                if let Some(&j) = index.get(w)
                    && (i as u32) < j
                {
                    sub.add_ids(i as u32, j, 1.0);
                    edges.push((i as u32, j));
                }
            }
        }
        let g = sub.graph(false, &Filter::default());
        let bc = centrality::betweenness(&g, false, None, 1, &|_| ()).values;
        // key members are people, phones, accounts…: not the events themselves
        let mut order: Vec<usize> = (0..nodes.len())
            .filter(|&i| !area_entities.contains(sub.names[i].as_str()))
            .collect();
        order.sort_by(|&x, &y| bc[y].total_cmp(&bc[x]).then(x.cmp(&y)));
        let mut key = Vec::new();
        for &i in order.iter().take(KEY_MEMBERS) {
            let id = &sub.names[i];
            // captioned from its first statements: key members are hubs, and reading every
            // record that names a hub only to caption it costs seconds on a city
            let (name, schema) = access
                .labels(std::slice::from_ref(id))?
                .pop()
                .map_or_else(|| (id.clone(), String::new()), |l| (l.caption, l.schema));
            key.push(Member {
                id: id.clone(),
                name,
                schema,
                score: bc[i],
            });
        }
        named.extend(sub.names.iter().cloned());
        // the drawing: the key members, the area's events and their neighbourhood first
        let mut pick: Vec<usize> = order.iter().take(KEY_MEMBERS).copied().collect();
        for i in 0..nodes.len() {
            if area_entities.contains(sub.names[i].as_str()) && !pick.contains(&i) {
                pick.push(i);
            }
        }
        // then their neighbourhood, breadth first from the events, a few neighbours of each
        // node, so that what is drawn hangs together and no hub fills the picture alone
        let mut queue: std::collections::VecDeque<usize> = pick.iter().rev().copied().collect();
        while let Some(v) = queue.pop_front() {
            if pick.len() >= DRAWN {
                break;
            }
            let mut added = 0;
            for &w in g.out.neighbours(v as u32) {
                let w = w as usize;
                if added < 4 && pick.len() < DRAWN && !pick.contains(&w) {
                    pick.push(w);
                    queue.push_back(w);
                    added += 1;
                }
            }
        }
        pick.truncate(DRAWN);
        let at: HashMap<usize, u32> = pick
            .iter()
            .enumerate()
            .map(|(k, i)| (*i, k as u32))
            .collect();
        let drawn_edges: Vec<(u32, u32)> = edges
            .iter()
            .filter_map(|(a, b)| Some((*at.get(&(*a as usize))?, *at.get(&(*b as usize))?)))
            .collect();
        let positions = layout::force(pick.len(), &drawn_edges, u64::from(c) + 1);
        shown.push(Community {
            id: c,
            size: nodes.len(),
            edges: edges.len(),
            events,
            key: key.clone(),
            drawing: Drawing {
                nodes: positions,
                key: pick
                    .iter()
                    .map(|i| order.iter().take(KEY_MEMBERS).position(|k| k == i))
                    .collect(),
                event: pick
                    .iter()
                    .map(|i| area_entities.contains(sub.names[*i].as_str()))
                    .collect(),
                edges: drawn_edges,
                hidden: nodes.len() - pick.len(),
            },
        });
    }
    Ok((
        Some(Networks {
            // the nodes with a link in the period, and the communities they form
            nodes: (0..graph.n() as u32)
                .filter(|&v| graph.out.degree(v) > 0)
                .count(),
            edges: graph.m(),
            communities: members
                .values()
                .filter(|m| m.iter().any(|&v| graph.out.degree(v) > 0))
                .count(),
            modularity: p.modularity,
            active: shown,
            active_total,
        }),
        named,
    ))
}

/// Chapman's two-sample estimate of the people active as seizure suspects in the area: the
/// suspects of the first half of the period against those of the second.
fn chapman_estimate(
    links: &[lagesbild_store::LinkRow],
    current: &[&Ev<'_>],
    period: &Period,
) -> Estimates {
    let mid = period.from + (period.end - period.from) / 2;
    let half: HashMap<&str, usize> = current
        .iter()
        .filter(|e| e.schema == "Seizure")
        .map(|e| (e.row.entity_id.as_str(), usize::from(e.t >= mid)))
        .collect();
    let mut seen: [BTreeSet<&str>; 2] = [BTreeSet::new(), BTreeSet::new()];
    for l in links {
        if l.prop == "suspect"
            && let Some(&h) = half.get(l.src.as_str())
        {
            seen[h].insert(l.dst.as_str());
        }
    }
    let n1 = seen[0].len() as u64;
    let n2 = seen[1].len() as u64;
    let m = seen[0].intersection(&seen[1]).count() as u64;
    let mut out = Estimates {
        items: Vec::new(),
        not_made: vec![NoEstimate::WastewaterNotPerArea],
    };
    if m < 3 {
        out.not_made.insert(0, NoEstimate::TooFewRecaptures { m });
        return out;
    }
    let (a, b, c) = (n1 as f64 + 1.0, n2 as f64 + 1.0, m as f64 + 1.0);
    let n = a * b / c - 1.0;
    let var = a * b * (n1 - m) as f64 * (n2 - m) as f64 / (c * c * (m as f64 + 2.0));
    let seen_total = (n1 + n2 - m) as f64;
    // a log-normal interval (Chao), which never falls below the people seen
    let f0 = (n - seen_total).max(0.0);
    let (low, high) = if f0 > 0.0 && var > 0.0 {
        let cc = (1.0 + var / (f0 * f0)).ln().sqrt().mul_add(1.96, 0.0).exp();
        (seen_total + f0 / cc, seen_total + f0 * cc)
    } else {
        (n, n)
    };
    out.items.push(Estimate {
        what: "suspects".to_owned(),
        method: "chapman".to_owned(),
        value: n,
        low,
        high,
        inputs: vec![
            ("n1".to_owned(), n1),
            ("n2".to_owned(), n2),
            ("m".to_owned(), m),
        ],
    });
    out
}

/// The sources with their 4x4 grading and handling codes summed.
fn sources(rows: Vec<SourceCount>) -> Sources {
    let mut grading = [[Some(0u64); 4]; 4];
    let mut handling = [Some(0u64); 4];
    let add = |slot: &mut Option<u64>, n: Option<u64>| {
        *slot = match (*slot, n) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    };
    for r in &rows {
        let s = match r.grading.source {
            SourceGrade::A => 0,
            SourceGrade::B => 1,
            SourceGrade::C => 2,
            SourceGrade::X => 3,
        };
        let i = match r.grading.info {
            InfoGrade::Known => 0,
            InfoGrade::KnownToSource => 1,
            InfoGrade::Corroborated => 2,
            InfoGrade::Uncorroborated => 3,
        };
        add(&mut grading[s][i], r.records);
        add(&mut handling[handling_index(r.handling)], r.records);
    }
    Sources {
        rows,
        grading,
        handling,
    }
}

fn handling_index(h: Handling) -> usize {
    match h {
        Handling::H0 => 0,
        Handling::H1 => 1,
        Handling::H2 => 2,
        Handling::H3 => 3,
    }
}

/// The classification: the highest handling code of the material, and H3's words.
fn classify(meta: &mut Meta, sources: &Sources) {
    meta.classification = sources
        .rows
        .iter()
        .map(|r| r.handling)
        .max_by_key(|h| handling_index(*h));
    let mut notes: Vec<String> = sources
        .rows
        .iter()
        .filter_map(|r| r.handling_note.clone())
        .collect();
    notes.sort();
    notes.dedup();
    meta.handling_notes = notes;
}

/// The partner version: suppressed aggregates per kind of event, category and month; hotspot
/// cells that hold at least k events; no names, no points, no networks.
fn partner_report(
    access: &mut Access<'_>,
    opts: &Options,
    mut meta: Meta,
    period: &Period,
) -> Result<Report, ReportError> {
    let k = meta.k;
    let month = Step::Months(1);
    if month.floor(period.from) != period.from || month.floor(period.end) != period.end {
        return Err(ReportError::Period(
            "the partner version counts whole months: give --from and --to as YYYY-MM (or the \
             first and the last day of months)"
                .to_owned(),
        ));
    }
    let shown = months(period.prev_from, period.end);
    let first_current = Step::Months(1).index(period.prev_from, period.from) as usize;
    // which places the aggregates know (names only: their counts are not used)
    let (places_table, _) = access.aggregate_in(
        &AggregateQuery {
            k,
            ..AggregateQuery::default()
        },
        &AggregateWithin::default(),
    )?;
    let places: BTreeSet<String> = places_table.areas.iter().cloned().collect();
    let Some(place) = places.iter().find(|p| same_name(p, &opts.area)).cloned() else {
        let in_file = opts
            .areas
            .as_ref()
            .is_some_and(|a| find_area(a, &opts.area).is_some());
        let known: Vec<String> = places.into_iter().collect();
        return Err(if in_file {
            ReportError::NotAPlace {
                name: opts.area.trim().to_owned(),
                known,
            }
        } else {
            ReportError::UnknownArea {
                name: opts.area.trim().to_owned(),
                known,
            }
        });
    };
    let polygon = opts
        .areas
        .as_ref()
        .and_then(|ar| find_area(ar, &place).map(|i| ar.areas[i].clone()));
    let area = Chosen {
        name: place.clone(),
        kind: if polygon.is_some() {
            AreaKind::Polygon
        } else {
            AreaKind::Place
        },
        polygon,
    };
    meta.area = place.clone();
    meta.area_kind = AreaKind::Place;

    // one table per kind of event and period: disjoint sets of events, so that no published
    // figure can be taken from another's to uncover a suppressed one
    let mut source_rows: Vec<SourceCount> = Vec::new();
    let mut by_schema = Vec::new();
    let mut by_category = Vec::new();
    let mut charts = Vec::new();
    let mut alerts = Vec::new();
    let mut observations = Table::default();
    let cur_months = &shown[first_current..];
    for schema in SCHEMATA {
        let mut halves = Vec::new();
        for months in [&shown[..first_current], cur_months] {
            let (t, s) = access.aggregate_in(
                &AggregateQuery {
                    category: None,
                    from: months.first().cloned(),
                    to: months.last().cloned(),
                    k,
                },
                &AggregateWithin {
                    area: Some(place.clone()),
                    schema: Some(schema.to_owned()),
                    rows: AggregateRows::Category,
                    sources: true,
                },
            )?;
            source_rows.extend(s);
            halves.push(t);
        }
        let (prev, cur) = (&halves[0], &halves[1]);
        // a table without events of a month or a category has a published 0 there
        let total = |t: &lagesbild_store::AggregateTable| {
            if t.areas.is_empty() {
                Some(0)
            } else {
                t.table.grand_total
            }
        };
        by_schema.push(Figure {
            label: schema.to_owned(),
            current: total(cur),
            previous: total(prev),
        });
        let labels: BTreeSet<&String> = prev.areas.iter().chain(cur.areas.iter()).collect();
        let row_total = |t: &lagesbild_store::AggregateTable, label: &str| {
            t.areas
                .iter()
                .position(|a| a == label)
                .map_or(Some(0), |r| t.table.row_totals[r])
        };
        let cell = |t: &lagesbild_store::AggregateTable, label: &str, month: &str| match (
            t.areas.iter().position(|a| a == label),
            t.months.iter().position(|m| m == month),
        ) {
            (Some(r), Some(c)) => t.table.cells[r][c],
            _ => Some(0),
        };
        let mut series = Vec::new();
        for label in labels {
            by_category.push(Figure {
                label: label.clone(),
                current: row_total(cur, label),
                previous: row_total(prev, label),
            });
            let counts: Vec<Option<u64>> = shown
                .iter()
                .enumerate()
                .map(|(i, m)| cell(if i < first_current { prev } else { cur }, label, m))
                .collect();
            // alerts only on series with every month published
            if counts.iter().all(Option::is_some) {
                let values: Vec<f64> = counts.iter().map(|c| c.unwrap_or(0) as f64).collect();
                let points = trends::bands(
                    &values,
                    Step::Months(1),
                    period.prev_from,
                    Baseline::Rolling { window: WINDOW },
                    2.0,
                );
                push_alerts(&mut alerts, schema, label, &points, 0);
            }
            series.push(Series {
                label: label.clone(),
                counts,
            });
        }
        if !series.is_empty() {
            charts.push(Chart {
                schema: schema.to_owned(),
                series,
            });
        }
        if schema == "Observation" {
            // the current period's table as published
            let cells: Vec<Vec<Option<u64>>> = cur
                .areas
                .iter()
                .map(|label| cur_months.iter().map(|m| cell(cur, label, m)).collect())
                .collect();
            observations = Table {
                rows: cur.areas.clone(),
                months: cur_months.to_vec(),
                row_totals: cur.table.row_totals.clone(),
                col_totals: cur_months
                    .iter()
                    .map(|m| {
                        cur.months
                            .iter()
                            .position(|x| x == m)
                            .map_or(Some(0), |j| cur.table.col_totals[j])
                    })
                    .collect(),
                grand_total: cur.table.grand_total,
                suppressed: cur.table.primary + cur.table.complementary,
                cells,
            };
        }
    }
    by_category.sort_by(|a, b| {
        b.current
            .unwrap_or(0)
            .cmp(&a.current.unwrap_or(0))
            .then(a.label.cmp(&b.label))
    });
    let total = Figure {
        label: "all".to_owned(),
        current: by_schema
            .iter()
            .try_fold(0u64, |a, f| f.current.map(|c| a + c)),
        previous: by_schema
            .iter()
            .try_fold(0u64, |a, f| f.previous.map(|c| a + c)),
    };

    // hotspot cells with at least k events, from the events the principal may see
    let rows = access.events(&[])?;
    let mut points = Points::default();
    let mut point_records = Vec::new();
    for e in rows.iter().filter(|e| area.contains(e)) {
        if let Some(t) = e.date.as_deref().and_then(gtime::parse)
            && period.current(t)
        {
            points.push(e.lat, e.lon, Some(t), &e.category);
            point_records.push(e.record_id);
        }
    }
    let (hotspots, cells, kept) = hotspots(&points, period, Some(k));
    let map = map_data(&area, opts.areas.as_ref(), &[], cells);
    let records: Vec<i64> = kept.iter().map(|&i| point_records[i]).collect();
    let cell_sources = if records.is_empty() {
        Vec::new()
    } else {
        access.sources(&records, &[])?
    };
    // one row per source: the aggregates count disjoint kinds of event, so their rows add
    // up (unknown where a part is suppressed); the hotspot cells' events are among those
    // counted, so their sources only add rows the aggregates did not have
    type Key = (String, String, String, String, Option<String>);
    let key = |r: &SourceCount| -> Key {
        (
            r.org.clone(),
            r.dataset.clone(),
            r.grading.to_string(),
            r.handling.to_string(),
            r.handling_note.clone(),
        )
    };
    let mut merged: BTreeMap<Key, SourceCount> = BTreeMap::new();
    for r in source_rows {
        match merged.get_mut(&key(&r)) {
            Some(m) => {
                m.records = match (m.records, r.records) {
                    (Some(a), Some(b)) => Some(a + b),
                    _ => None,
                }
            }
            None => {
                merged.insert(key(&r), r);
            }
        }
    }
    for r in cell_sources {
        merged.entry(key(&r)).or_insert(r);
    }
    let rows: Vec<SourceCount> = merged
        .into_values()
        .map(|mut r| {
            if r.records.is_some_and(|n| n < k) {
                r.records = None;
            }
            r
        })
        .collect();
    let sources = sources(rows);
    classify(&mut meta, &sources);
    let summary = Summary {
        total,
        by_schema,
        by_category,
        hot_cells: hotspots.bins[0] + hotspots.bins[1],
        alerts: alerts.len(),
        communities: None,
    };
    Ok(Report {
        meta,
        summary,
        map,
        trends: Trends {
            months: shown,
            first_current,
            charts,
            alerts,
            window: WINDOW,
        },
        networks: None,
        hotspots,
        observations,
        estimates: Estimates {
            items: Vec::new(),
            not_made: vec![NoEstimate::Partner],
        },
        sources,
    })
}
