//! The web app, embedded at build time from `web/dist`: files by path, the hashed ones cached
//! for a year, and `index.html` for every other path outside the API (the app routes in the
//! browser).

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Shown when the binary was built without the web app.
const NOT_BUILT: &str = "<!doctype html><html lang=\"sv\"><meta charset=\"utf-8\">\
<title>Lägesbild</title><body><h1>Lägesbild</h1>\
<p>Webbappen är inte byggd in i programmet: kör <code>make web</code> och bygg om. \
The web app is not built into this binary: run <code>make web</code> and rebuild.</p>\
<p><a href=\"/api/v1/docs\">API</a></p></body></html>";

/// What the pages may load: only this server (MapLibre's workers come as blobs).
pub const CSP: &str = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; \
child-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
form-action 'self'";

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "pbf" => "application/x-protobuf",
        _ => "application/octet-stream",
    }
}

fn find(path: &str) -> Option<&'static [u8]> {
    ASSETS
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| ASSETS[i].1)
}

pub fn security_headers(r: &mut Response) {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// Serves the app's files; `index.html` for the app's own paths; problems under `/api`.
pub async fn serve(req: Request) -> Response {
    let path = req.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return Problem::not_found(format!("no route {path}")).into_response();
    }
    let rel = path.trim_start_matches('/');
    let (rel, body, immutable) = match find(rel) {
        Some(body) if !rel.is_empty() => (rel, body, rel.starts_with("assets/")),
        _ => match find("index.html") {
            Some(body) => ("index.html", body, false),
            None => {
                let mut r = (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    NOT_BUILT,
                )
                    .into_response();
                security_headers(&mut r);
                return r;
            }
        },
    };
    let mut r = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type(rel))],
        body,
    )
        .into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    security_headers(&mut r);
    r
}
