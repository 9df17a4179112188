//! Place and time: events, Gi* hot spots, emerging hot spots, areas, trends, the suppressed
//! aggregate partners see, and the observation form.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use lagesbild_geo::emerging;
use lagesbild_geo::geojson::{self, num};
use lagesbild_geo::gistar;
use lagesbild_geo::points::Points;
use lagesbild_geo::time::Step;
use lagesbild_geo::trends::{self, Baseline};
use lagesbild_geo::{Binned, Lattice, Weights};
use lagesbild_model::{
    Context, Fragment, Grading, InfoGrade, Policy, Record, SourceGrade, SourceRef, SubjectCategory,
};
use lagesbild_store::{
    AggregateQuery, BatchMeta, EventRow, IngestFailure, IngestOutcome, MIN_CELL,
};

use crate::AppState;
use crate::auth::{Caller, random_hex};
use crate::problem::Problem;

use super::{J, Q, clamp, period, with_access, with_access_write};

#[derive(Debug, Deserialize)]
pub struct EventParams {
    schema: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u64>,
    h3: Option<u8>,
    step: Option<String>,
    area: Option<String>,
}

/// An event with its time in seconds.
struct Timed {
    row: EventRow,
    t: Option<i64>,
}

/// The events in scope that pass the filters, through the access path.
async fn load(
    state: &Arc<AppState>,
    caller: Caller,
    p: &EventParams,
) -> Result<Vec<Timed>, Problem> {
    let (from, to) = period(p.from.as_deref(), p.to.as_deref())?;
    let schemata: Vec<String> = p.schema.iter().filter(|s| !s.is_empty()).cloned().collect();
    let category = p.category.clone().filter(|c| !c.is_empty());
    let rows = with_access(state, caller, move |a| a.events(&schemata)).await?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            category
                .as_deref()
                .is_none_or(|c| r.category.eq_ignore_ascii_case(c))
        })
        .map(|row| {
            let t = row.date.as_deref().and_then(lagesbild_geo::time::parse);
            Timed { row, t }
        })
        .filter(|e| match (from, to, e.t) {
            (None, None, _) => true,
            (_, _, None) => false,
            (f, u, Some(t)) => f.is_none_or(|f| t >= f) && u.is_none_or(|u| t < u),
        })
        .collect())
}

fn points(events: &[Timed]) -> Points {
    let mut pts = Points::default();
    for e in events {
        pts.push(e.row.lat, e.row.lon, e.t, &e.row.category);
    }
    pts
}

fn lattice(h3: Option<u8>) -> Result<Lattice, Problem> {
    let res = h3.unwrap_or(8);
    if !(5..=10).contains(&res) {
        return Err(Problem::bad_request("h3: a resolution from 5 to 10"));
    }
    Lattice::h3(res).map_err(|e| Problem::bad_request(format!("h3: {e}")))
}

pub async fn events(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<EventParams>,
) -> Result<Json<Value>, Problem> {
    let limit = clamp(p.limit, 20_000, 200_000) as usize;
    let events = load(&state, caller, &p).await?;
    let truncated = events.len() > limit;
    let out: Vec<&EventRow> = events.iter().take(limit).map(|e| &e.row).collect();
    Ok(Json(
        json!({"events": out, "total": events.len(), "truncated": truncated}),
    ))
}

fn empty_collection() -> Value {
    geojson::collection(Vec::new())
}

pub async fn hotspots(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<EventParams>,
) -> Result<Json<Value>, Problem> {
    let lattice = lattice(p.h3)?;
    let events = load(&state, caller, &p).await?;
    if events.is_empty() {
        return Ok(Json(empty_collection()));
    }
    let pts = points(&events);
    let binned = Binned::new(lattice, &pts, 1);
    let w = Weights::k_ring(&binned, 1);
    let gi = gistar::gi_star(&binned.counts, &w, &gistar::Options::default());
    let fc = geojson::cells(&binned.lattice, &binned.cells, |i| {
        let mut m = Map::new();
        m.insert("cell".into(), json!(binned.lattice.name(binned.cells[i])));
        m.insert("count".into(), num(binned.counts[i]));
        m.insert("z".into(), num(gi.z[i]));
        m.insert("p".into(), num(gi.p[i]));
        m.insert("bin".into(), json!(gi.bin[i]));
        Some(m)
    });
    Ok(Json(fc))
}

pub async fn emerging(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<EventParams>,
) -> Result<Json<Value>, Problem> {
    let lattice = lattice(p.h3)?;
    let step = Step::parse(p.step.as_deref().unwrap_or("month"))
        .filter(|s| matches!(s, Step::Weeks(_) | Step::Months(_)))
        .ok_or_else(|| Problem::bad_request("step: week or month"))?;
    let events: Vec<Timed> = load(&state, caller, &p)
        .await?
        .into_iter()
        .filter(|e| e.t.is_some())
        .collect();
    let times: Vec<i64> = events.iter().filter_map(|e| e.t).collect();
    let (Some(&t0), Some(&t1)) = (times.iter().min(), times.iter().max()) else {
        return Ok(Json(empty_collection()));
    };
    let steps = (step.index(t0, t1) + 1) as usize;
    if steps < 3 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the events span {steps} time step(s); the trend needs at least 3"),
        ));
    }
    let pts = points(&events);
    let binned = Binned::new(lattice, &pts, 1);
    let w = Weights::k_ring(&binned, 1);
    let locs = binned.len();
    let mut cube = vec![0.0; locs * steps];
    for (k, &t) in times.iter().enumerate() {
        let s = step.index(t0, t) as usize;
        cube[s * locs + binned.of_point[k] as usize] += 1.0;
    }
    let r = emerging::emerging(&cube, steps, &w, &emerging::Options::default());
    let fc = geojson::cells(&binned.lattice, &binned.cells, |i| {
        if r.category[i] == emerging::Category::NoPattern {
            return None;
        }
        let mut m = Map::new();
        m.insert("cell".into(), json!(binned.lattice.name(binned.cells[i])));
        m.insert("count".into(), num(binned.counts[i]));
        m.insert("category".into(), json!(r.category[i]));
        m.insert("label".into(), json!(r.category[i].label()));
        m.insert("trend_z".into(), num(r.trend[i].z));
        Some(m)
    });
    Ok(Json(fc))
}

pub async fn areas(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<EventParams>,
) -> Result<Json<Value>, Problem> {
    // through the access path even without areas, so that roles and purposes are checked
    let events = load(&state, caller, &p).await?;
    let Some(areas) = &state.config.areas else {
        return Ok(Json(empty_collection()));
    };
    let mut counts = vec![0u64; areas.len()];
    for e in &events {
        for k in areas.containing(e.row.lat, e.row.lon) {
            counts[k as usize] += 1;
        }
    }
    let features: Vec<Value> = areas
        .areas
        .iter()
        .zip(&counts)
        .map(|(a, n)| {
            let mut props = a.properties.clone();
            props.insert("name".into(), json!(a.name));
            props.insert("events".into(), json!(n));
            let geometry = if a.polygons.len() == 1 {
                geojson::polygon(&a.polygons[0])
            } else {
                json!({"type": "MultiPolygon", "coordinates": a.polygons})
            };
            geojson::feature(geometry, props)
        })
        .collect();
    Ok(Json(geojson::collection(features)))
}

pub async fn trends(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<EventParams>,
) -> Result<Json<Value>, Problem> {
    let area = match p.area.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(name) => {
            let Some(areas) = &state.config.areas else {
                return Err(Problem::bad_request(
                    "area: the server has no areas (start it with --areas)",
                ));
            };
            let k = areas.find(name).ok_or_else(|| {
                Problem::not_found(format!(
                    "no area {name:?}; the areas are {}",
                    areas
                        .areas
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            Some(k)
        }
    };
    let events = load(&state, caller, &p).await?;
    let step = Step::Months(1);
    let mut by_cat: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    let mut all = Vec::new();
    for e in &events {
        let Some(t) = e.t else { continue };
        if let (Some(k), Some(areas)) = (area, &state.config.areas)
            && !areas.containing(e.row.lat, e.row.lon).any(|x| x == k)
        {
            continue;
        }
        by_cat.entry(e.row.category.as_str()).or_default().push(t);
        all.push(t);
    }
    let (Some(&t0), Some(&t1)) = (all.iter().min(), all.iter().max()) else {
        return Ok(Json(json!({"months": [], "series": [], "alerts": []})));
    };
    let months: Vec<String> = trends::series(&all, step, t0, t1)
        .iter()
        .enumerate()
        .map(|(k, _)| {
            let (y, m, _) = lagesbild_geo::time::civil_from_days(t0.div_euclid(86_400));
            let total = y * 12 + i64::from(m) - 1 + k as i64;
            format!(
                "{:04}-{:02}",
                total.div_euclid(12),
                total.rem_euclid(12) + 1
            )
        })
        .collect();
    let mut series = Vec::new();
    let mut alerts = Vec::new();
    for (cat, t) in &by_cat {
        let counts = trends::series(t, step, t0, t1);
        let band = trends::bands(&counts, step, t0, Baseline::Rolling { window: 3 }, 2.0);
        for (k, pt) in band.iter().enumerate() {
            if let Some(alert) = pt.alert {
                alerts.push(json!({
                    "category": cat, "month": months[k], "count": pt.count,
                    "expected": pt.expected, "direction": alert,
                }));
            }
        }
        series.push(json!({"category": cat, "counts": counts}));
    }
    Ok(Json(
        json!({"months": months, "series": series, "alerts": alerts}),
    ))
}

#[derive(Debug, Deserialize)]
pub struct AggregateParams {
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn aggregate(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<AggregateParams>,
) -> Result<Json<Value>, Problem> {
    period(p.from.as_deref(), p.to.as_deref())?;
    let q = AggregateQuery {
        category: p.category.filter(|c| !c.is_empty()),
        from: p.from.filter(|c| !c.is_empty()),
        to: p.to.filter(|c| !c.is_empty()),
        k: MIN_CELL,
    };
    let t = with_access(&state, caller, move |a| a.aggregate(&q)).await?;
    Ok(Json(json!(t)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationBody {
    category: String,
    #[serde(default)]
    description: String,
    lat: f64,
    lon: f64,
    observed_at: String,
    certainty: String,
    place: Option<String>,
}

/// What a partner's certainty says in the 4x4 information grade: seen oneself is known to
/// the source; the source (an organisation not assessed) is graded X.
fn grading(certainty: &str) -> Option<Grading> {
    let info = match certainty {
        "sure" => InfoGrade::KnownToSource,
        "probable" => InfoGrade::Corroborated,
        "possible" => InfoGrade::Uncorroborated,
        _ => return None,
    };
    Some(Grading {
        source: SourceGrade::X,
        info,
    })
}

pub async fn observe(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    J(b): J<ObservationBody>,
) -> Result<Response, Problem> {
    let bad = |f: &str, why: &str| Err(Problem::bad_request(format!("{f}: {why}")));
    let category = b.category.trim().to_owned();
    if category.is_empty() || category.chars().count() > 100 {
        return bad("category", "say what was seen, in at most 100 characters");
    }
    if b.description.chars().count() > 4000 {
        return bad("description", "at most 4000 characters");
    }
    if !(-90.0..=90.0).contains(&b.lat) || !(-180.0..=180.0).contains(&b.lon) {
        return bad("lat/lon", "a place in WGS84 degrees");
    }
    let Some(t) = lagesbild_geo::time::parse(&b.observed_at) else {
        return bad("observed_at", "a date and time (YYYY-MM-DDTHH:MM)");
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if t > now + 86_400 {
        return bad("observed_at", "in the future");
    }
    let Some(grading) = grading(&b.certainty) else {
        return bad("certainty", "sure, probable or possible");
    };
    let place = b.place.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if place.is_some_and(|p| p.chars().count() > 200) {
        return bad("place", "at most 200 characters");
    }
    let purpose = caller.purpose()?;
    let principal = caller.principal.clone();
    let id = format!("obs-web-{}", &random_hex()?[..24]);
    let raw = serde_json::to_string(&json!({
        "category": category, "description": b.description, "lat": b.lat, "lon": b.lon,
        "observed_at": b.observed_at, "certainty": b.certainty, "place": place,
        "by": principal.user,
    }))
    .map_err(Problem::internal)?;
    let mut policy = Policy::new(&principal.org, "observations-web", purpose.as_str());
    policy.grading = grading;
    policy.subject_category = SubjectCategory::None;
    let ctx = Context::default();
    let mut f = Fragment::new(id.clone(), "Observation").map_err(Problem::internal)?;
    let name = match place {
        Some(p) => format!("{category}, {p}"),
        None => category.clone(),
    };
    let mut put = |prop: &str, v: &str| f.add(prop, v, &ctx).map_err(Problem::internal);
    put("name", &name)?;
    put("category", &category)?;
    if !b.description.trim().is_empty() {
        put("description", b.description.trim())?;
    }
    put("date", &b.observed_at)?;
    put("latitude", &b.lat.to_string())?;
    put("longitude", &b.lon.to_string())?;
    put("confidence", &b.certainty)?;
    if let Some(p) = place {
        put("place", p)?;
        put("area", p)?;
    }
    let record = Record {
        source: SourceRef {
            file: "web form".to_owned(),
            line: 1,
            offset: 0,
        },
        raw,
        policy: Arc::new(policy),
        fragments: vec![f],
    };
    let meta = BatchMeta {
        dataset: "observations-web".to_owned(),
        source: format!("web form: {id}"),
        sha256: batch_sha(&record.raw, &id),
        format: "web-form".to_owned(),
        org: principal.org.clone(),
    };
    let outcome = with_access_write(&state, caller, move |a| {
        a.ingest(meta, [Ok::<Record, std::convert::Infallible>(record)])
            .map_err(|e| match e {
                IngestFailure::Store(s) => Problem::from(s),
                IngestFailure::Input(never) => match never {},
            })
    })
    .await?;
    let batch = match outcome {
        IngestOutcome::Added(b) | IngestOutcome::AlreadyIngested(b) => b,
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({"entity_id": id, "batch_id": batch.id})),
    )
        .into_response())
}

/// The batch's identity: the SHA-256 of the observation and its id (each is new).
fn batch_sha(raw: &str, id: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(raw.as_bytes());
    h.update(id.as_bytes());
    hex::encode(h.finalize())
}
