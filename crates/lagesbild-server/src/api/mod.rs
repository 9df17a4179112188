//! The routes under `/api/v1`. One table, [`ROUTES`], lists them with what the OpenAPI
//! document says of each; the router is built from the same table, so the document cannot
//! miss a route or name one that does not exist.

mod data;
mod meta;
mod network;
mod places;
mod report;
mod session;

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{MethodRouter, delete, get, post, put};
use serde::de::DeserializeOwned;

use lagesbild_store::{Access, StoreError};

use crate::AppState;
use crate::auth::Caller;
use crate::pool::blocking;
use crate::problem::Problem;

type Handler = fn() -> MethodRouter<Arc<AppState>>;

/// A parameter in the query string or the path.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    /// `string`, `integer`, `number` or `boolean`.
    pub kind: &'static str,
    pub about: &'static str,
    pub required: bool,
}

const fn p(name: &'static str, kind: &'static str, about: &'static str) -> Param {
    Param {
        name,
        kind,
        about,
        required: false,
    }
}

/// A parameter the route cannot do without.
const fn needed(name: &'static str, kind: &'static str, about: &'static str) -> Param {
    Param {
        name,
        kind,
        about,
        required: true,
    }
}

/// One route: where, what it does, and for whom.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    /// Under `/api/v1`, with `{name}` for path parameters.
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    /// Needs a login (session or token).
    pub login: bool,
    /// Needs a purpose (reads or writes data, logged with it).
    pub purpose: bool,
    pub query: &'static [Param],
    /// The request body's schema (a name in the document's components).
    pub body: Option<&'static str>,
    /// The success status and the answer's schema.
    pub ok: u16,
    pub answer: &'static str,
    pub handler: Handler,
}

const PERIOD: [Param; 2] = [
    p(
        "from",
        "string",
        "first date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive",
    ),
    p("to", "string", "last date, inclusive"),
];

pub static ROUTES: &[Route] = &[
    Route {
        method: "post",
        path: "/session",
        summary: "Log in with user name and password; sets the session cookie",
        tag: "session",
        login: false,
        purpose: false,
        query: &[],
        body: Some("Login"),
        ok: 200,
        answer: "Session",
        handler: || post(session::login),
    },
    Route {
        method: "get",
        path: "/session",
        summary: "The current session",
        tag: "session",
        login: true,
        purpose: false,
        query: &[],
        body: None,
        ok: 200,
        answer: "Session",
        handler: || get(session::current),
    },
    Route {
        method: "delete",
        path: "/session",
        summary: "Log out",
        tag: "session",
        login: true,
        purpose: false,
        query: &[],
        body: None,
        ok: 204,
        answer: "",
        handler: || delete(session::logout),
    },
    Route {
        method: "put",
        path: "/session/purpose",
        summary: "Set the purpose for the rest of the session",
        tag: "session",
        login: true,
        purpose: false,
        query: &[],
        body: Some("PurposeBody"),
        ok: 200,
        answer: "Session",
        handler: || put(session::set_purpose),
    },
    Route {
        method: "get",
        path: "/stats",
        summary: "Counts of what the caller may see",
        tag: "data",
        login: true,
        purpose: true,
        query: &[],
        body: None,
        ok: 200,
        answer: "Stats",
        handler: || get(data::stats),
    },
    Route {
        method: "get",
        path: "/search",
        summary: "Full-text search (BM25) with facets and highlighted snippets",
        tag: "data",
        login: true,
        purpose: true,
        query: &[
            needed("q", "string", "the query (words, \"phrases\", OR, -not)"),
            p(
                "schema",
                "string",
                "only entities of this schema or its descendants",
            ),
            p("dataset", "string", "only this dataset"),
            p("org", "string", "only records of this organisation"),
            PERIOD[0],
            PERIOD[1],
            p(
                "graded",
                "string",
                "only records graded at least this well (B2)",
            ),
            p(
                "limit",
                "integer",
                "at most this many entities (default 20, at most 200)",
            ),
        ],
        body: None,
        ok: 200,
        answer: "SearchAnswer",
        handler: || get(data::search),
    },
    Route {
        method: "get",
        path: "/entities/{id}",
        summary: "An entity: every value with its source, organisation, grading and handling code",
        tag: "data",
        login: true,
        purpose: true,
        query: &[p(
            "limit",
            "integer",
            "at most this many values (default 500); statements_total says how many there are",
        )],
        body: None,
        ok: 200,
        answer: "Entity",
        handler: || get(data::entity),
    },
    Route {
        method: "get",
        path: "/entities/{id}/neighbours",
        summary: "The entity and its neighbours in the network",
        tag: "network",
        login: true,
        purpose: true,
        query: &[
            p(
                "prop",
                "string",
                "only links of this kind (payer, Payment, Message…)",
            ),
            PERIOD[0],
            PERIOD[1],
            p(
                "limit",
                "integer",
                "neighbours drawn before the rest is summarised (default 50)",
            ),
        ],
        body: None,
        ok: 200,
        answer: "Graph",
        handler: || get(network::neighbours),
    },
    Route {
        method: "post",
        path: "/network",
        summary: "The links among some entities, with communities and PageRank",
        tag: "network",
        login: true,
        purpose: true,
        query: &[],
        body: Some("NetworkBody"),
        ok: 200,
        answer: "Graph",
        handler: || post(network::network),
    },
    Route {
        method: "get",
        path: "/path",
        summary: "A shortest path between two entities over the links in scope",
        tag: "network",
        login: true,
        purpose: true,
        query: &[
            needed("from", "string", "the first entity's id"),
            needed("to", "string", "the second entity's id"),
            p("prop", "string", "only links of this kind"),
        ],
        body: None,
        ok: 200,
        answer: "PathAnswer",
        handler: || get(network::path),
    },
    Route {
        method: "get",
        path: "/events",
        summary: "Events with a place (seizures, incidents, observations)",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p(
                "schema",
                "string",
                "only this schema (Seizure, Incident, Observation…)",
            ),
            p("category", "string", "only this category or substance"),
            PERIOD[0],
            PERIOD[1],
            p("limit", "integer", "at most this many (default 20000)"),
        ],
        body: None,
        ok: 200,
        answer: "Events",
        handler: || get(places::events),
    },
    Route {
        method: "get",
        path: "/hotspots",
        summary: "Getis–Ord Gi* hot and cold spots on H3 cells, as GeoJSON",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p("schema", "string", "only this schema"),
            p("category", "string", "only this category or substance"),
            PERIOD[0],
            PERIOD[1],
            p("h3", "integer", "H3 resolution, 5 to 10 (default 8)"),
        ],
        body: None,
        ok: 200,
        answer: "FeatureCollection",
        handler: || get(places::hotspots),
    },
    Route {
        method: "get",
        path: "/emerging",
        summary: "Emerging hot spot categories per H3 cell, as GeoJSON",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p("schema", "string", "only this schema"),
            p("category", "string", "only this category or substance"),
            p("h3", "integer", "H3 resolution, 5 to 10 (default 8)"),
            p("step", "string", "week or month (default month)"),
        ],
        body: None,
        ok: 200,
        answer: "FeatureCollection",
        handler: || get(places::emerging),
    },
    Route {
        method: "get",
        path: "/areas",
        summary: "The areas with their event counts, as GeoJSON",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p("schema", "string", "only this schema"),
            PERIOD[0],
            PERIOD[1],
        ],
        body: None,
        ok: 200,
        answer: "FeatureCollection",
        handler: || get(places::areas),
    },
    Route {
        method: "get",
        path: "/trends",
        summary: "Events per month and category, with alerts against a rolling baseline",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p("schema", "string", "only this schema"),
            p("area", "string", "only events inside this area"),
            PERIOD[0],
            PERIOD[1],
        ],
        body: None,
        ok: 200,
        answer: "Trends",
        handler: || get(places::trends),
    },
    Route {
        method: "get",
        path: "/aggregate",
        summary: "Events per area and month with small cells suppressed (what partners see)",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p("category", "string", "only this category or substance"),
            PERIOD[0],
            PERIOD[1],
        ],
        body: None,
        ok: 200,
        answer: "AggregateTable",
        handler: || get(places::aggregate),
    },
    Route {
        method: "post",
        path: "/observations",
        summary: "File an observation (partners, analysts) in the caller's organisation",
        tag: "places",
        login: true,
        purpose: true,
        query: &[],
        body: Some("ObservationBody"),
        ok: 201,
        answer: "Filed",
        handler: || post(places::observe),
    },
    Route {
        method: "get",
        path: "/report",
        summary: "The lägesbild report of an area and period as one self-contained HTML page \
                  (the partner version for partners)",
        tag: "places",
        login: true,
        purpose: true,
        query: &[
            p(
                "area",
                "string",
                "an area (of serve --areas) or a place the events name",
            ),
            p(
                "from",
                "string",
                "first day or month (YYYY-MM or YYYY-MM-DD)",
            ),
            p("to", "string", "last day or month"),
            p("lang", "string", "sv (default) or en"),
            p(
                "partner",
                "boolean",
                "the partner version (only suppressed counts)",
            ),
        ],
        body: None,
        ok: 200,
        answer: "",
        handler: || get(report::report),
    },
    Route {
        method: "get",
        path: "/review",
        summary: "The resolver's proposals of entities that may be the same",
        tag: "resolution",
        login: true,
        purpose: true,
        query: &[p("limit", "integer", "at most this many (default 50)")],
        body: None,
        ok: 200,
        answer: "Review",
        handler: || get(data::review),
    },
    Route {
        method: "post",
        path: "/review/judgements",
        summary: "Judge two entities the same, not the same, or unsure",
        tag: "resolution",
        login: true,
        purpose: true,
        query: &[],
        body: Some("JudgementBody"),
        ok: 201,
        answer: "Judged",
        handler: || post(data::judge),
    },
    Route {
        method: "post",
        path: "/judgements/{id}/undo",
        summary: "Undo a judgement (and the merge it made)",
        tag: "resolution",
        login: true,
        purpose: true,
        query: &[],
        body: None,
        ok: 204,
        answer: "",
        handler: || post(data::undo),
    },
    Route {
        method: "get",
        path: "/audit",
        summary: "The audit log: who saw what, when and why",
        tag: "audit",
        login: true,
        purpose: true,
        query: &[
            p("entity", "string", "entries that touched this entity id"),
            p("user", "string", "entries of this user"),
            p(
                "op",
                "string",
                "collect, alter, consult, disclose, combine or erase",
            ),
            p("since", "string", "entries at or after this time"),
            p("until", "string", "entries before this time"),
            p(
                "limit",
                "integer",
                "at most this many, newest first (default 200)",
            ),
        ],
        body: None,
        ok: 200,
        answer: "AuditEntries",
        handler: || get(data::audit),
    },
    Route {
        method: "get",
        path: "/audit/verify",
        summary: "Checks the audit log's hash chain",
        tag: "audit",
        login: true,
        purpose: true,
        query: &[],
        body: None,
        ok: 200,
        answer: "Verify",
        handler: || get(data::audit_verify),
    },
    Route {
        method: "get",
        path: "/config",
        summary: "What the app needs to know of this deployment (map style, version)",
        tag: "meta",
        login: false,
        purpose: false,
        query: &[],
        body: None,
        ok: 200,
        answer: "Config",
        handler: || get(meta::config),
    },
    Route {
        method: "get",
        path: "/healthz",
        summary: "Liveness: 200 while the process runs",
        tag: "meta",
        login: false,
        purpose: false,
        query: &[],
        body: None,
        ok: 200,
        answer: "Health",
        handler: || get(meta::healthz),
    },
    Route {
        method: "get",
        path: "/readyz",
        summary: "Readiness: 200 when the store answers, else 503",
        tag: "meta",
        login: false,
        purpose: false,
        query: &[],
        body: None,
        ok: 200,
        answer: "Health",
        handler: || get(meta::readyz),
    },
    Route {
        method: "get",
        path: "/openapi.json",
        summary: "This document",
        tag: "meta",
        login: false,
        purpose: false,
        query: &[],
        body: None,
        ok: 200,
        answer: "",
        handler: || get(meta::openapi),
    },
    Route {
        method: "get",
        path: "/docs",
        summary: "This document as a page, offline",
        tag: "meta",
        login: false,
        purpose: false,
        query: &[],
        body: None,
        ok: 200,
        answer: "",
        handler: || get(meta::docs),
    },
];

/// The router of [`ROUTES`]; anything else under `/api/v1` is a 404 problem, a known path
/// with another method a 405 problem.
pub fn router() -> Router<Arc<AppState>> {
    let mut paths: Vec<(&str, MethodRouter<Arc<AppState>>)> = Vec::new();
    for route in ROUTES {
        match paths.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, methods)) => {
                let before = std::mem::replace(methods, MethodRouter::new());
                *methods = before.merge((route.handler)());
            }
            None => paths.push((route.path, (route.handler)())),
        }
    }
    let mut r = Router::new();
    for (path, methods) in paths {
        r = r.route(path, methods.fallback(method_not_allowed));
    }
    r.fallback(|| async { Problem::not_found("no such route under /api/v1") })
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this route does not take that method",
    )
}

/// A query string, its errors as problems.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Q(q.0))
            .map_err(|e: QueryRejection| Problem::bad_request(e.body_text()))
    }
}

/// A JSON body, its errors as problems.
pub struct J<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for J<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| J(j.0))
            .map_err(|e: JsonRejection| Problem::new(e.status(), e.body_text()))
    }
}

/// Runs `f` through the access path with the caller's principal and purpose, on a store of
/// the pool, off the async threads.
pub async fn with_access<R: Send + 'static>(
    state: &Arc<AppState>,
    caller: Caller,
    f: impl FnOnce(&mut Access<'_>) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, Problem> {
    let purpose = caller.purpose()?;
    let st = state.clone();
    blocking(move || {
        st.pool
            .with(|s| f(&mut s.access(&caller.principal, &purpose)))
            .map_err(Problem::from)
    })
    .await
}

/// As [`with_access`], for writes: refused to read-only tokens, one writer at a time.
pub async fn with_access_write<R: Send + 'static>(
    state: &Arc<AppState>,
    caller: Caller,
    f: impl FnOnce(&mut Access<'_>) -> Result<R, Problem> + Send + 'static,
) -> Result<R, Problem> {
    caller.require_write()?;
    let purpose = caller.purpose()?;
    let st = state.clone();
    blocking(move || {
        st.pool
            .write(|s| f(&mut s.access(&caller.principal, &purpose)))
    })
    .await
}

/// A limit from the query, within bounds.
pub fn clamp(limit: Option<u64>, default: u64, max: u64) -> u64 {
    limit.unwrap_or(default).clamp(1, max)
}

/// The bounds of a period in seconds: from the start of `from` to the end of `to` (each
/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`), as `from <= t < to`.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(Option<i64>, Option<i64>), Problem> {
    fn parts(s: &str, field: &str) -> Result<(i64, Option<u32>, Option<u32>), Problem> {
        let bad = || {
            Problem::bad_request(format!(
                "{field}: {s:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
            ))
        };
        let mut it = s.trim().splitn(3, '-');
        let y: i64 = it
            .next()
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(bad)?;
        let m: Option<u32> = it
            .next()
            .map(|m| {
                m.parse()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(bad)
            })
            .transpose()?;
        let d: Option<u32> = it
            .next()
            .map(|d| {
                d.get(..2)
                    .and_then(|d| d.parse().ok())
                    .filter(|d| (1..=31).contains(d))
                    .ok_or_else(bad)
            })
            .transpose()?;
        Ok((y, m, d))
    }
    use lagesbild_geo::time::days_from_civil;
    let start = |s: &str, f: &str| -> Result<i64, Problem> {
        let (y, m, d) = parts(s, f)?;
        Ok(days_from_civil(y, m.unwrap_or(1), d.unwrap_or(1)) * 86_400)
    };
    let end = |s: &str| -> Result<i64, Problem> {
        let (y, m, d) = parts(s, "to")?;
        Ok(match (m, d) {
            (None, _) => days_from_civil(y + 1, 1, 1) * 86_400,
            (Some(12), None) => days_from_civil(y + 1, 1, 1) * 86_400,
            (Some(m), None) => days_from_civil(y, m + 1, 1) * 86_400,
            (Some(m), Some(d)) => (days_from_civil(y, m, d) + 1) * 86_400,
        })
    };
    let from = from.filter(|s| !s.trim().is_empty());
    let to = to.filter(|s| !s.trim().is_empty());
    Ok((
        from.map(|s| start(s, "from")).transpose()?,
        to.map(end).transpose()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cover_whole_months_and_years() {
        let day = |y, m, d| lagesbild_geo::time::days_from_civil(y, m, d) * 86_400;
        assert_eq!(
            period(Some("2026-03"), Some("2026-03")).unwrap(),
            (Some(day(2026, 3, 1)), Some(day(2026, 4, 1)))
        );
        assert_eq!(
            period(Some("2026"), Some("2026-12")).unwrap(),
            (Some(day(2026, 1, 1)), Some(day(2027, 1, 1)))
        );
        assert_eq!(
            period(None, Some("2026-02-28")).unwrap(),
            (None, Some(day(2026, 3, 1)))
        );
        assert_eq!(period(Some(""), None).unwrap(), (None, None));
        for bad in ["26", "2026-13", "2026-1x", "soon", "2026-02-99"] {
            assert!(period(Some(bad), None).is_err(), "{bad}");
        }
    }
}
