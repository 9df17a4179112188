//! Statistics, search, entity pages, the review queue and the audit log.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use lagesbild_model::Grading;
use lagesbild_store::{AuditFilter, SearchQuery};

use crate::AppState;
use crate::auth::Caller;
use crate::problem::Problem;

use super::{J, Q, clamp, with_access, with_access_write};

pub async fn stats(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, Problem> {
    let s = with_access(&state, caller, |a| a.stats()).await?;
    Ok(Json(json!(s)))
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    schema: Option<String>,
    dataset: Option<String>,
    org: Option<String>,
    from: Option<String>,
    to: Option<String>,
    graded: Option<String>,
    limit: Option<u64>,
}

/// Values counted, most first.
fn facet<'a>(values: impl Iterator<Item = &'a str>) -> Vec<(String, u64)> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let mut v: Vec<(String, u64)> = counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<SearchParams>,
) -> Result<Json<Value>, Problem> {
    let text = p.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(Problem::bad_request("q: say what to search for"));
    }
    if text.len() > 1000 {
        return Err(Problem::bad_request("q: longer than 1000 bytes"));
    }
    let limit = clamp(p.limit, 20, 200) as usize;
    let min_grading = p
        .graded
        .as_deref()
        .filter(|g| !g.trim().is_empty())
        .map(|g| g.parse::<Grading>())
        .transpose()
        .map_err(|e| Problem::bad_request(format!("graded: {e}")))?;
    // the facets count the first hundred or so entities found, the page shows `limit`
    let q = SearchQuery {
        text,
        schema: p.schema.filter(|s| !s.is_empty()),
        dataset: p.dataset.filter(|s| !s.is_empty()),
        date_from: p.from.filter(|s| !s.is_empty()),
        date_to: p.to.filter(|s| !s.is_empty()),
        min_grading,
        limit: limit.max(100),
    };
    let org = p.org.filter(|s| !s.is_empty());
    let found = with_access(&state, caller, move |a| a.search(&q)).await?;
    let results: Vec<_> = found
        .results
        .into_iter()
        .filter(|r| org.as_deref().is_none_or(|o| r.hit.org == o))
        .collect();
    let facets = json!({
        "schema": facet(results.iter().map(|r| r.hit.schema.as_str())),
        "dataset": facet(results.iter().map(|r| r.hit.dataset.as_str())),
        "org": facet(results.iter().map(|r| r.hit.org.as_str())),
    });
    let counted = results.len();
    let page: Vec<_> = results.into_iter().take(limit).collect();
    Ok(Json(json!({
        "total_documents": found.total_documents,
        "results": page,
        "facets": facets,
        "facets_over": counted,
    })))
}

#[derive(Debug, Deserialize)]
pub struct EntityParams {
    limit: Option<u64>,
}

pub async fn entity(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Q(p): Q<EntityParams>,
) -> Result<Json<Value>, Problem> {
    let limit = clamp(p.limit, 500, 20_000) as usize;
    // a payer named by thousands of payments states its name thousands of times: the page
    // shows the first `limit` values with their sources and says how many there are
    let (view, total) = with_access(&state, caller, move |a| a.entity_page(&id, limit)).await?;
    let caption = view.caption().to_owned();
    let mut v = json!(view);
    if let Some(o) = v.as_object_mut() {
        o.insert("caption".into(), json!(caption));
        o.insert("statements_total".into(), json!(total));
    }
    Ok(Json(v))
}

#[derive(Debug, Deserialize)]
pub struct Limit {
    limit: Option<u64>,
}

pub async fn review(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<Limit>,
) -> Result<Json<Value>, Problem> {
    let limit = clamp(p.limit, 50, 500);
    let (proposals, labels) = with_access(&state, caller, move |a| {
        let proposals = a.proposals(limit)?;
        let ids: Vec<String> = proposals
            .iter()
            .flat_map(|p| [p.left_id.clone(), p.right_id.clone()])
            .collect();
        let labels = a.labels(&ids)?;
        Ok((proposals, labels))
    })
    .await?;
    let label = |id: &str| {
        labels.iter().find(|l| l.id == id).map_or_else(
            || json!({"id": id, "schema": "", "caption": id}),
            |l| json!(l),
        )
    };
    let out: Vec<Value> = proposals
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "left": label(&p.left_id),
                "right": label(&p.right_id),
                "probability": p.probability,
                "weight": p.weight,
                "explanation": serde_json::from_str::<Value>(&p.explanation)
                    .unwrap_or_else(|_| json!(p.explanation)),
                "created_at": p.created_at,
            })
        })
        .collect();
    Ok(Json(json!({ "proposals": out })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgementBody {
    left: String,
    right: String,
    verdict: String,
}

pub async fn judge(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    J(body): J<JudgementBody>,
) -> Result<Response, Problem> {
    if !matches!(body.verdict.as_str(), "same" | "not_same" | "unsure") {
        return Err(Problem::bad_request(
            "verdict: one of same, not_same, unsure",
        ));
    }
    let (judgement, canonical) = with_access_write(&state, caller, move |a| {
        a.judge(&body.left, &body.right, &body.verdict)
            .map_err(Problem::from)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"judgement": judgement, "canonical": canonical})),
    )
        .into_response())
}

pub async fn undo(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let id: i64 = id
        .parse()
        .map_err(|_| Problem::bad_request("the judgement id is a number"))?;
    with_access_write(&state, caller, move |a| a.undo(id).map_err(Problem::from)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct AuditParams {
    entity: Option<String>,
    user: Option<String>,
    op: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<u64>,
}

pub async fn audit(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<AuditParams>,
) -> Result<Json<Value>, Problem> {
    let filter = AuditFilter {
        user: p.user.filter(|s| !s.is_empty()),
        op: p.op.filter(|s| !s.is_empty()),
        id: p.entity.filter(|s| !s.is_empty()),
        since: p.since.filter(|s| !s.is_empty()),
        until: p.until.filter(|s| !s.is_empty()),
        limit: Some(clamp(p.limit, 200, 5000)),
    };
    let entries = with_access(&state, caller, move |a| a.audit_log(&filter)).await?;
    Ok(Json(json!({ "entries": entries })))
}

pub async fn audit_verify(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, Problem> {
    let r = with_access(&state, caller, |a| a.audit_verify()).await?;
    Ok(Json(json!({
        "ok": r.broken.is_none(),
        "entries": r.entries,
        "head": r.head,
        "broken": r.broken,
    })))
}
