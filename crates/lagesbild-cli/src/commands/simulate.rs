//! `lagesbild simulate`: write a simulated drug market and its ground truth.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};

use lagesbild_sim::{Config, Scale, simulate};

use crate::cli::{Global, SimulateArgs};
use crate::context::user_error;
use crate::output::{self, count};

pub fn run(g: &Global, a: SimulateArgs) -> Result<ExitCode> {
    let scale = a.scale.parse::<Scale>().map_err(user_error)?;
    let start = a
        .start
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(y, m)| (1990..=2100).contains(y) && (1..=12).contains(m))
        .ok_or_else(|| user_error(format!("--start {:?} is not a month as YYYY-MM", a.start)))?;
    let cfg = Config {
        seed: a.seed,
        scale,
        months: a.months,
        start,
    };
    let t = Instant::now();
    let summary = simulate(&cfg, &a.out)
        .with_context(|| format!("cannot simulate into {}", a.out.display()))?;
    let secs = t.elapsed().as_secs_f64();
    if g.json {
        output::json(&summary)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: u64 = summary.files.values().sum();
    println!(
        "simulated {} months of a {:?} market (seed {}): {} people in {} networks, {} records in {secs:.1} s",
        a.months,
        scale,
        a.seed,
        count(summary.people as u64),
        summary.networks,
        count(rows)
    );
    for (file, n) in &summary.files {
        println!("  {:<16} {:>10} rows", file, count(*n));
    }
    println!("  truth.json: who every name, phone and account belongs to");
    println!(
        "  texts.jsonl: every free text with the mentions it holds (lagesbild extract --eval)"
    );
    Ok(ExitCode::SUCCESS)
}
