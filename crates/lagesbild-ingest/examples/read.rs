//! Reads a file through the readers without a store and prints records, statements and the
//! rate: the reader's share of ingest time. `cargo run --release -p lagesbild-ingest --example
//! read -- FILE [MAPPING]`
use std::path::Path;
use std::time::Instant;

use lagesbild_ingest::{Encoding, Options, open, parse_mapping};
use lagesbild_model::{Context, Policy};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file = Path::new(&args[1]);
    let mapping = args.get(2).map(|m| {
        let text = std::fs::read_to_string(m).expect("the mapping is readable");
        (
            m.clone(),
            parse_mapping(m, &text).expect("the mapping parses"),
        )
    });
    let opts = Options {
        format: None,
        mapping,
        encoding: Encoding::Utf8,
        delimiter: None,
        policy: Policy::new("bench", "bench", "bench"),
        dataset_given: false,
        ctx: Context::default(),
        extract: true,
    };
    let start = Instant::now();
    let opened = open(file, &opts).expect("the file opens");
    let (mut records, mut statements) = (0u64, 0u64);
    for r in opened.records {
        let r = r.expect("the file is valid");
        records += 1;
        statements += r
            .fragments
            .iter()
            .map(|f| f.values.len() as u64)
            .sum::<u64>();
    }
    let s = start.elapsed().as_secs_f64();
    println!(
        "{records} records, {statements} statements in {s:.2} s: {:.0} records/s",
        records as f64 / s
    );
}
