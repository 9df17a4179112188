//! Search latency over many indexed texts: p50 and p99 of `Access::search` (query parsing,
//! BM25 top-k, grouping by entity, snippets and the audit entry each search writes).
//!
//! `cargo bench -p lagesbild-store --bench search` — 1M texts by default; `BENCH_DOCS=100000`
//! for a quicker run. The store is built once in a temporary directory. Under `cargo test`
//! (which runs benchmarks without `--bench`) it only checks, on 2 000 texts, that it runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use lagesbild_model::{Context, Fragment, Policy, Principal, Purpose, Record, SourceRef};
use lagesbild_store::{BatchMeta, SearchQuery, Store};

const WORDS: &[&str] = &[
    "koks",
    "tjack",
    "gräs",
    "braj",
    "hasch",
    "leverans",
    "swish",
    "ikväll",
    "imorgon",
    "gram",
    "pris",
    "möte",
    "Malmö",
    "Lund",
    "Rosengård",
    "Seved",
    "Holma",
    "kontant",
    "plugg",
    "snö",
    "vitt",
    "grönt",
    "benzo",
    "tabletter",
    "knappar",
    "ring",
    "snap",
    "telegram",
    "direkt",
    "billigt",
    "kvalitet",
    "bästa",
    "jolle",
    "halvkilo",
    "hämta",
    "parkeringen",
    "skolan",
    "centrum",
    "stationen",
    "efter",
    "innan",
    "klockan",
    "tio",
    "elva",
    "tolv",
    "fredag",
    "lördag",
    "söndag",
    "bror",
    "kompis",
    "polisen",
    "lugnt",
    "stressa",
    "inte",
    "vi",
    "ses",
];

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn word(&mut self) -> &'static str {
        // a skewed choice, as word frequencies are
        let n = WORDS.len() as u64;
        let a = self.next() % n;
        let b = self.next() % n;
        WORDS[a.min(b) as usize]
    }
}

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let default_docs = if benchmarking { 1_000_000 } else { 2_000 };
    let docs: u64 = std::env::var("BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_docs);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut store = Store::init(dir.path()).expect("a new store");
    let who = Principal::operator("bench", "Bench");
    let why = Purpose::new("benchmark").expect("a purpose");
    let policy = Arc::new(Policy::new("Bench", "messages", "benchmark"));
    let ctx = Context::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    let start = Instant::now();
    let records = (0..docs).map(|i| {
        let mut f = Fragment::new(format!("m{i}"), "Message").expect("a known schema");
        let text: Vec<&str> = (0..12).map(|_| rng.word()).collect();
        f.add("bodyText", &text.join(" "), &ctx)
            .expect("a known property");
        f.add(
            "date",
            &format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            &ctx,
        )
        .expect("date");
        Ok::<_, String>(Record {
            source: SourceRef {
                file: "bench".into(),
                line: i + 1,
                offset: 0,
            },
            raw: String::new(),
            policy: policy.clone(),
            fragments: vec![f],
        })
    });
    let meta = BatchMeta {
        dataset: "messages".into(),
        source: "bench".into(),
        sha256: format!("bench-{docs}"),
        format: "bench".into(),
        org: "Bench".into(),
    };
    store
        .access(&who, &why)
        .ingest(meta, records)
        .expect("the ingest succeeds");
    eprintln!(
        "indexed {docs} texts in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let mut queries: Vec<SearchQuery> = Vec::new();
    for i in 0..1000 {
        let text = match i % 4 {
            0 => rng.word().to_owned(),
            1 => format!("{} {}", rng.word(), rng.word()),
            2 => format!("\"{} {}\"", rng.word(), rng.word()),
            _ => format!("{} OR {}", rng.word(), rng.word()),
        };
        let mut q = SearchQuery {
            text,
            limit: 20,
            ..SearchQuery::default()
        };
        if i % 5 == 0 {
            q.schema = Some("Message".into());
            q.date_from = Some("2026-03".into());
            q.date_to = Some("2026-06".into());
        }
        queries.push(q);
    }
    // warm the caches once
    for q in queries.iter().take(50) {
        store.access(&who, &why).search(q).expect("a search");
    }
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    for q in &queries {
        let t = Instant::now();
        let r = store.access(&who, &why).search(q).expect("a search");
        times.push(t.elapsed());
        hits += r.results.len();
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "search over {docs} texts, {} queries ({} results): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        hits,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        times.last().expect("queries ran").as_secs_f64() * 1e3,
    );
}
