//! `lagesbild simulate`: write a simulated drug market and its ground truth.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};

use lagesbild_sim::{Config, Scale, simulate_with_progress};

use crate::cli::{Global, SimulateArgs};
use crate::context::user_error;
use crate::output::{self, count};
use crate::resolve::Bar;
use lagesbild_resolve::Progress as _;

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
    let summary = {
        let bar = Bar::new(g.quiet || scale != Scale::Nation);
        bar.stage("regions", lagesbild_sim::NATION_REGIONS as u64);
        let bar = std::sync::Mutex::new(bar);
        simulate_with_progress(&cfg, &a.out, |_, _| {
            if let Ok(b) = bar.lock() {
                b.advance(1);
            }
        })
        .with_context(|| format!("cannot simulate into {}", a.out.display()))?
    };
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
    // a nation's files are summed by kind over its regions
    let mut kinds = std::collections::BTreeMap::new();
    for (file, n) in &summary.files {
        let name = file.rsplit('/').next().unwrap_or(file);
        let kind = if file.contains('/') {
            match name.split_once(['-', '.']) {
                Some((k, _)) if !name.ends_with(".csv") => format!("*/{k}-*"),
                _ => format!("*/{name}"),
            }
        } else {
            file.clone()
        };
        *kinds.entry(kind).or_insert(0u64) += n;
    }
    for (file, n) in &kinds {
        println!("  {:<16} {:>10} rows", file, count(*n));
    }
    println!("  truth.json: who every name, phone and account belongs to");
    println!(
        "  texts.jsonl: every free text with the mentions it holds (lagesbild extract --eval)"
    );
    Ok(ExitCode::SUCCESS)
}
