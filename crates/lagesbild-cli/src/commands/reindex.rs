//! `lagesbild reindex`: rebuild the full-text index from the store.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::Global;
use crate::context::{purpose, session};
use crate::output::{self, count};

pub fn run(g: &Global) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let bar = if g.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    bar.set_style(ProgressStyle::with_template(
        "{spinner} reindexing: {pos} records ({per_sec})",
    )?);
    let start = Instant::now();
    let n = store
        .access(&who, &why)
        .reindex(&mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    let secs = start.elapsed().as_secs_f64();
    if g.json {
        output::json(&serde_json::json!({ "records": n, "seconds": secs }))?;
    } else {
        println!("reindexed {} records in {secs:.1} s", count(n));
    }
    Ok(ExitCode::SUCCESS)
}
