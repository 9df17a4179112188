//! Errors as RFC 9457 problem details: a type URI, a title, the status and a detail written
//! for the user. Internal errors keep their details in the server's log, never in the answer.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use lagesbild_store::StoreError;

/// The base of the problem type URIs.
pub const TYPE_BASE: &str = "https://lagesbild.example/problems/";

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        let (slug, title) = match status.as_u16() {
            400 => ("bad-request", "Bad request"),
            401 => ("unauthorized", "Not logged in"),
            403 => ("forbidden", "Forbidden"),
            404 => ("not-found", "Not found"),
            405 => ("method-not-allowed", "Method not allowed"),
            409 => ("conflict", "Conflict"),
            413 => ("payload-too-large", "Payload too large"),
            415 => ("unsupported-media-type", "Unsupported media type"),
            422 => ("unprocessable", "Unprocessable content"),
            428 => ("purpose-required", "Purpose required"),
            429 => ("rate-limited", "Too many requests"),
            503 => ("unavailable", "Service unavailable"),
            _ => ("internal", "Internal error"),
        };
        Problem {
            kind: format!("{TYPE_BASE}{slug}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }

    pub fn purpose_required() -> Problem {
        Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "say why you are looking: send the purpose (X-Purpose) or set it for the session",
        )
    }

    /// An error whose details belong in the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %detail, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server could not complete the request; the error is logged",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::Denied(d) => Problem::forbidden(d),
            StoreError::NotFound { kind, id } => {
                Problem::not_found(format!("no {kind} {id:?} (or you may not see it)"))
            }
            StoreError::Query(q) => Problem::bad_request(q),
            StoreError::Policy(p) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, p.to_string()),
            other => Problem::internal(other),
        }
    }
}
