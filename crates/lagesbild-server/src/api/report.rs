//! The lägesbild report of an area and period, as the self-contained HTML page that
//! `lagesbild report` writes (the partner version for partners), gathered through the access
//! path.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use lagesbild_report::{Lang, Options, ReportError};

use crate::AppState;
use crate::auth::Caller;
use crate::pool::blocking;
use crate::problem::Problem;

use super::Q;

#[derive(Debug, Deserialize)]
pub struct ReportParams {
    area: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    partner: Option<bool>,
}

pub async fn report(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<ReportParams>,
) -> Result<Response, Problem> {
    let need = |v: Option<String>, what: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Problem::bad_request(format!("{what}: required")))
    };
    let area = need(p.area, "area")?;
    let from = need(p.from, "from")?;
    let to = need(p.to, "to")?;
    let lang = Lang::parse(p.lang.as_deref().unwrap_or("sv"))
        .ok_or_else(|| Problem::bad_request("lang: sv or en"))?;
    let purpose = caller.purpose()?;
    let now = time::OffsetDateTime::now_utc();
    let opts = Options {
        area,
        from,
        to,
        areas: state.config.areas.clone(),
        partner: p.partner.unwrap_or(false),
        generated_at: now
            .replace_nanosecond(0)
            .unwrap_or(now)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    };
    let st = state.clone();
    let report = blocking(move || {
        st.pool.with(|s| {
            let mut access = s.access(&caller.principal, &purpose);
            lagesbild_report::gather(&mut access, &opts).map_err(|e| match e {
                ReportError::Store(e) => Problem::from(e),
                ReportError::UnknownArea { .. } | ReportError::NotAPlace { .. } => {
                    Problem::not_found(e.to_string())
                }
                ReportError::Period(_) => Problem::bad_request(e.to_string()),
            })
        })
    })
    .await?;
    let html = lagesbild_report::render_html(&report, lang);
    let mut r = (StatusCode::OK, html).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    crate::assets::security_headers(&mut r);
    Ok(r)
}
