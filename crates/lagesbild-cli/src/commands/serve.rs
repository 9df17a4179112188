//! `lagesbild serve`: the API and the web app over the store (see `docs/api.md`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;

use lagesbild_server::{AppState, Config};

use crate::cli::Global;
use crate::context::user_error;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Areas (districts) as GeoJSON, for the map, the trends per area and the dashboards
    #[arg(long)]
    pub areas: Option<PathBuf>,
    /// Mark the session cookie Secure (when a TLS proxy is in front; X-Forwarded-Proto: https
    /// does the same per request)
    #[arg(long)]
    pub secure_cookies: bool,
    /// Requests per second per user (bursts of twice as many); 0: no limit
    #[arg(long, default_value_t = 50)]
    pub rate: u32,
    /// Store handles kept open for requests (parallel readers)
    #[arg(long, default_value_t = 4)]
    pub pool: usize,
    /// Minutes without a request before a session ends
    #[arg(long, default_value_t = 480)]
    pub session_minutes: u64,
    /// A MapLibre style URL for deployments with a tile server (the app's base map is offline
    /// without one)
    #[arg(long)]
    pub map_style: Option<String>,
}

pub fn run(g: &Global, a: ServeArgs) -> Result<ExitCode> {
    let mut config = Config::new(g.data.clone());
    if let Some(path) = &a.areas {
        let text = std::fs::read_to_string(path)
            .map_err(|e| user_error(format!("cannot read {}: {e}", path.display())))?;
        let areas = lagesbild_geo::areas::parse(&path.display().to_string(), &text)
            .map_err(|e| user_error(e.to_string()))?;
        config.areas = Some(areas);
    }
    config.secure_cookies = a.secure_cookies;
    config.rate = a.rate;
    config.pool = a.pool.clamp(1, 64);
    config.session_idle = Duration::from_secs(a.session_minutes.max(1) * 60);
    config.map_style = a.map_style;
    let state = AppState::open(config)
        .with_context(|| format!("cannot open the store at {}", g.data.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&a.addr)
            .await
            .map_err(|e| user_error(format!("cannot listen on {}: {e}", a.addr)))?;
        let local = listener.local_addr()?;
        if !g.quiet {
            eprintln!("Lägesbild serves http://{local}/ (the API at /api/v1, its description at /api/v1/docs); Ctrl-C stops it");
        }
        lagesbild_server::serve(listener, state, lagesbild_server::shutdown_signal())
            .await
            .context("the server failed")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
