//! Extraction throughput: MB of text per second on one core, over the simulator's messages
//! (`texts.jsonl` of a simulated city) and the annotated fixture, repeated up to 200 MB.
//! `cargo bench -p lagesbild-extract`. Under `cargo test` (which runs benches without
//! `--bench`) a short smoke run on a town.

use std::time::Instant;

use lagesbild_extract::{Extractor, eval};

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/annotated.jsonl"
    );
    let texts: Vec<String> = eval::read_fixture(std::path::Path::new(fixture))
        .map(|v| v.into_iter().map(|a| a.text).collect())
        .unwrap_or_default();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = lagesbild_sim::Config {
        seed: 7,
        scale: if full {
            lagesbild_sim::Scale::City
        } else {
            lagesbild_sim::Scale::Town
        },
        months: 12,
        start: (2025, 1),
    };
    lagesbild_sim::simulate(&cfg, dir.path()).expect("the simulation runs");
    let sim: Vec<String> = eval::read_fixture(&dir.path().join("texts.jsonl"))
        .expect("the simulator writes texts.jsonl")
        .into_iter()
        .map(|a| a.text)
        .collect();
    assert!(!sim.is_empty(), "the simulator wrote no texts");
    let target = if full { 200 << 20 } else { 2 << 20 };
    let mut corpus: Vec<&str> = Vec::new();
    let mut bytes = 0;
    'fill: loop {
        for t in texts
            .iter()
            .map(String::as_str)
            .chain(sim.iter().map(String::as_str))
        {
            corpus.push(t);
            bytes += t.len();
            if bytes >= target {
                break 'fill;
            }
        }
    }
    let ex = Extractor::default();
    let _ = ex.extract("warm up 070-123 45 67");
    // three runs over the corpus; the median is the figure (the machine is shared)
    let mut runs: Vec<(f64, usize)> = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let mut mentions = 0usize;
        let mut found = Vec::new();
        for t in &corpus {
            ex.extract_into(t, &mut found);
            mentions += found.len();
        }
        runs.push((start.elapsed().as_secs_f64(), mentions));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (secs, mentions) = runs[1];
    let mb = bytes as f64 / 1e6;
    println!(
        "extract: {} texts, {:.1} MB, {} mentions in {:.2} s (median of 3; best {:.2} s) = {:.1} MB/s on one core",
        corpus.len(),
        mb,
        mentions,
        secs,
        runs[0].0,
        mb / secs
    );
}
