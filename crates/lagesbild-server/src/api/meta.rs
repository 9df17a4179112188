//! Health, readiness, the deployment's settings for the app, and the API's description.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::AppState;
use crate::pool::blocking;
use crate::problem::Problem;

pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when a store of the pool answers a trivial query in time.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let st = state.clone();
    let check = blocking(move || st.pool.with(|s| s.version()).map_err(Problem::internal));
    match tokio::time::timeout(std::time::Duration::from_secs(5), check).await {
        Ok(Ok(version)) => {
            Json(json!({"status": "ready", "store_version": version})).into_response()
        }
        Ok(Err(_)) | Err(_) => {
            Problem::new(StatusCode::SERVICE_UNAVAILABLE, "the store does not answer")
                .into_response()
        }
    }
}

pub async fn config(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "map_style": state.config.map_style,
        "areas": state.config.areas.as_ref().map_or(0, |a| a.len()),
        "min_cell": lagesbild_store::MIN_CELL,
    }))
}

pub async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

pub async fn docs() -> Response {
    let mut r = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        crate::openapi::page(),
    )
        .into_response();
    crate::assets::security_headers(&mut r);
    r
}
