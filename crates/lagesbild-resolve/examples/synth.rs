//! Writes synthetic person records with their truth (`cluster` column) as CSV, for the
//! benchmark against Splink (`bench/resolve.py`) and for trying the commands.
//!
//! cargo run --release -p lagesbild-resolve --example synth -- dedupe 1000000 people.csv
//! cargo run --release -p lagesbild-resolve --example synth -- link 10000 left.csv right.csv

use std::path::Path;

use lagesbild_resolve::{csvio, synth};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synth dedupe N OUT.csv [SEED] | synth link N LEFT.csv RIGHT.csv [SEED]";
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).expect(usage);
    match args.first().map(String::as_str) {
        Some("dedupe") => {
            let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
            let data = synth::dedupe(&synth::Config {
                records: n,
                seed,
                ..synth::Config::default()
            });
            let out = args.get(2).expect(usage);
            csvio::write(Path::new(out), &data.records, Some(&data.truth)).expect("writes");
        }
        Some("link") => {
            let seed = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(7);
            let (l, r) = synth::linkage(n, seed);
            let (lo, ro) = (args.get(2).expect(usage), args.get(3).expect(usage));
            csvio::write(Path::new(lo), &l.records, Some(&l.truth)).expect("writes");
            csvio::write(Path::new(ro), &r.records, Some(&r.truth)).expect("writes");
        }
        _ => panic!("{usage}"),
    }
}
