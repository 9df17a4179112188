//! Logging in and out, and the session's purpose.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::{COOKIE, Caller, ClientAddr, Session, Via};
use crate::pool::blocking;
use crate::problem::Problem;

use super::J;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    user: String,
    password: String,
}

#[derive(Debug, Serialize)]
pub struct SessionView {
    user: String,
    org: String,
    roles: Vec<&'static str>,
    compartments: Vec<String>,
    csrf_token: Option<String>,
    purpose: Option<String>,
}

fn view(s: &Session) -> SessionView {
    SessionView {
        user: s.principal.user.clone(),
        org: s.principal.org.clone(),
        roles: s.principal.roles.iter().map(|r| r.as_str()).collect(),
        compartments: s.principal.compartments.clone(),
        csrf_token: Some(s.csrf.clone()),
        purpose: s.purpose.clone(),
    }
}

fn cookie(value: &str, secure: bool, max_age: Option<u64>) -> Result<HeaderValue, Problem> {
    let mut c = format!("{COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).map_err(Problem::internal)
}

/// Behind TLS: configured so, or told so by the proxy.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    J(body): J<Login>,
) -> Result<Response, Problem> {
    let who = addr.map_or_else(|| "local".to_owned(), |a| a.to_string());
    if let Err(wait) = state.limiter.take(&format!("addr:{who}")) {
        let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, "too many login attempts");
        p.retry_after = Some(wait);
        return Err(p);
    }
    if body.user.len() > 200 || body.password.len() > 1000 {
        return Err(Problem::unauthorized("wrong user name or password"));
    }
    let st = state.clone();
    let principal = blocking(move || {
        st.pool
            .with(|s| s.login(&body.user, &body.password))
            .map_err(|e| match e {
                lagesbild_store::StoreError::Denied(d) => Problem::unauthorized(d),
                other => Problem::from(other),
            })
    })
    .await?;
    tracing::info!(user = principal.user, "logged in");
    let (id, session) = state.sessions.create(principal)?;
    let mut r = axum::Json(view(&session)).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        cookie(&id, secure(&state, &headers), None)?,
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

pub async fn current(caller: Caller) -> Result<Response, Problem> {
    match caller.via {
        Via::Session { session, .. } => Ok(axum::Json(view(&session)).into_response()),
        Via::Token { .. } => Ok(axum::Json(SessionView {
            user: caller.principal.user.clone(),
            org: caller.principal.org.clone(),
            roles: caller.principal.roles.iter().map(|r| r.as_str()).collect(),
            compartments: caller.principal.compartments.clone(),
            csrf_token: None,
            purpose: caller.purpose.map(|p| p.as_str().to_owned()),
        })
        .into_response()),
    }
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Response, Problem> {
    if let Via::Session { id, .. } = &caller.via {
        state.sessions.remove(id);
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        cookie("", secure(&state, &headers), Some(0))?,
    );
    Ok(r)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeBody {
    purpose: Option<String>,
}

pub async fn set_purpose(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    J(body): J<PurposeBody>,
) -> Result<Response, Problem> {
    let Via::Session { id, .. } = &caller.via else {
        return Err(Problem::bad_request(
            "a token has no session: send the purpose with each request (X-Purpose)",
        ));
    };
    let purpose = match body.purpose {
        Some(p) if p.trim().is_empty() => return Err(Problem::bad_request("the purpose is empty")),
        Some(p) if p.chars().count() > 500 => {
            return Err(Problem::bad_request(
                "the purpose is longer than 500 characters",
            ));
        }
        Some(p) => Some(p.trim().to_owned()),
        None => None,
    };
    let session = state
        .sessions
        .set_purpose(id, purpose)
        .ok_or_else(|| Problem::unauthorized("the session has ended; log in again"))?;
    Ok(axum::Json(view(&session)).into_response())
}
