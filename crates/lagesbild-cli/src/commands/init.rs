//! `lagesbild init`: create an empty store.

use std::process::ExitCode;

use anyhow::{Context, Result};

use lagesbild_store::Store;

use crate::cli::Global;
use crate::output;

pub fn run(g: &Global) -> Result<ExitCode> {
    let store = Store::init(&g.data)
        .with_context(|| format!("cannot create a store at {}", g.data.display()))?;
    if g.json {
        output::json(&serde_json::json!({
            "store": g.data.display().to_string(),
            "version": store.version()?,
        }))?;
    } else {
        println!(
            "created an empty store at {} (schema version {})",
            g.data.display(),
            store.version()?
        );
    }
    Ok(ExitCode::SUCCESS)
}
