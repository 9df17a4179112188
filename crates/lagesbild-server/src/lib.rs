//! The server of Lägesbild: the JSON API under `/api/v1` (described by an OpenAPI document at
//! `/api/v1/openapi.json`) and the web app, embedded in the binary, at `/`.
//!
//! Every route that reaches data takes a store from the [`pool::Pool`] and goes through the
//! store's one access path with the caller's principal and purpose, so that the policy engine
//! decides what it sees and the audit log records it, exactly as for the command line. The
//! server adds what a web service needs around that: sessions with CSRF protection, API tokens,
//! RFC 9457 problems, limits on body size and request rate, health and readiness, access logs
//! and graceful shutdown.

mod api;
mod assets;
mod auth;
mod limit;
pub mod openapi;
mod pool;
mod problem;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;

use lagesbild_geo::areas::Areas;

pub use api::ROUTES;
pub use pool::Pool;
pub use problem::Problem;

/// How the server runs.
#[derive(Debug)]
pub struct Config {
    /// The store directory.
    pub data: PathBuf,
    /// Areas (districts) as GeoJSON, for the map and the area statistics.
    pub areas: Option<Areas>,
    /// Mark the session cookie `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Requests per second each user (or address, before login) may make, as a sustained rate;
    /// bursts of twice as many pass.
    pub rate: u32,
    /// Stores (database connections and index readers) kept open for requests.
    pub pool: usize,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A map style URL for deployments with a tile server; the app draws its offline base map
    /// without one.
    pub map_style: Option<String>,
}

impl Config {
    pub fn new(data: PathBuf) -> Config {
        Config {
            data,
            areas: None,
            secure_cookies: false,
            rate: 50,
            pool: 4,
            session_idle: Duration::from_secs(8 * 3600),
            map_style: None,
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub(crate) config: Config,
    pub(crate) pool: Pool,
    pub(crate) sessions: auth::Sessions,
    pub(crate) limiter: limit::Limiter,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the store (as many handles as the pool holds).
    pub fn open(config: Config) -> Result<Arc<AppState>, lagesbild_store::StoreError> {
        let pool = Pool::open(&config.data, config.pool.max(1))?;
        let limiter = limit::Limiter::new(config.rate);
        Ok(Arc::new(AppState {
            sessions: auth::Sessions::new(config.session_idle),
            limiter,
            pool,
            config,
        }))
    }
}

/// Bodies larger than this are refused with 413.
pub const MAX_BODY: usize = 1 << 20;

/// The whole application: the API, the web app and the layers around them.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .nest("/api/v1", api::router())
        .fallback(assets::serve)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), access_log))
        .with_state(state)
}

/// One structured line per request: method, path (never the query, which may hold names),
/// status, time taken and who asked.
async fn access_log(State(_): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let slot = auth::LogSlot::default();
    req.extensions_mut().insert(slot.clone());
    let response = next.run(req).await;
    let user = slot.user().unwrap_or_else(|| "-".to_owned());
    tracing::info!(
        target: "lagesbild::access",
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        user,
        "request"
    );
    response
}

/// Serves until `shutdown` completes, then finishes the requests under way.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests under way");
}
