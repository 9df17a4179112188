//! Deduplication and linkage of synthetic records: time per stage, pairs per blocking rule,
//! pairwise precision, recall and F1 against the truth, and peak memory (VmHWM).
//!
//! cargo bench -p lagesbild-resolve --bench resolve                    # 1M-record dedupe, 10k×10k link
//! cargo bench -p lagesbild-resolve --bench resolve -- --records 100000 --link 0
//!
//! Under `cargo test` (no `--bench`) it runs on 20 000 records.

use std::time::Instant;

use lagesbild_resolve::{Settings, dedupe, eval, link, synth};

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or_else(
            || "n/a".into(),
            |kb| format!("{:.2} GiB", kb / 1024.0 / 1024.0),
        )
}

fn arg(args: &[String], name: &str) -> Option<usize> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let records = arg(&args, "--records").unwrap_or(if full { 1_000_000 } else { 20_000 });
    let link_n = arg(&args, "--link").unwrap_or(if full { 10_000 } else { 2_000 });
    let threshold = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(Settings::default().threshold);
    let settings = Settings {
        threshold,
        ..Settings::default()
    };
    println!("threads: {}", rayon::current_num_threads());

    if link_n > 0 {
        let (l, r) = synth::linkage(link_n, 7);
        let t = Instant::now();
        let res = link(&l.records, &r.records, &settings);
        let secs = t.elapsed().as_secs_f64();
        let truth: Vec<Option<u64>> = l.truth.iter().chain(&r.truth).map(|t| Some(*t)).collect();
        let sides: Vec<u8> = res.data.records.iter().map(|r| r.side).collect();
        let matched: Vec<(u32, u32)> = res.matches().map(|p| (p.a, p.b)).collect();
        let score = eval::pair_list(&matched, &truth, Some(&sides));
        println!(
            "link {}×{}: {:.3} s, {} candidate pairs; pairs {}",
            l.records.len(),
            r.records.len(),
            secs,
            res.blocking.pairs,
            score
        );
        for (stage, s) in &res.timings {
            println!("  {stage:<10} {s:.3} s");
        }
    }

    let gen_t = Instant::now();
    let data = synth::dedupe(&synth::Config {
        records,
        ..synth::Config::default()
    });
    println!(
        "generated {} records of {} people in {:.1} s",
        data.records.len(),
        data.truth.iter().max().map_or(0, |m| m + 1),
        gen_t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let res = dedupe(&data.records, &settings);
    let secs = t.elapsed().as_secs_f64();
    let truth: Vec<Option<u64>> = data.truth.iter().map(|t| Some(*t)).collect();
    println!(
        "dedupe {} records: {:.2} s, peak RSS {}",
        data.records.len(),
        secs,
        peak_rss()
    );
    for (stage, s) in &res.timings {
        println!("  {stage:<10} {s:.3} s");
    }
    println!(
        "  blocking: {} pairs ({:.1} per record)",
        res.blocking.pairs, res.blocking.pairs_per_record
    );
    for r in &res.blocking.rules {
        println!(
            "    {:<58} {:>10} pairs {:>10} new  {} large groups",
            r.description, r.pairs, r.new_pairs, r.large_groups
        );
    }
    println!(
        "  model: trained {}, λ {:.3e}, {} weak bridges cut",
        res.params.trained, res.params.lambda, res.cut_bridges
    );
    if args.iter().any(|a| a == "--params") {
        for (k, c) in lagesbild_resolve::COMPARISONS.iter().enumerate() {
            println!("    {}", c.name);
            for (l, name) in c.levels.iter().enumerate().skip(1) {
                println!(
                    "      {:<42} m {:.5} u {:.6}",
                    name, res.params.m[k][l], res.params.u[k][l]
                );
            }
        }
    }
    println!("  clusters {}", eval::clusters(&res.clusters, &truth));
    let matched: Vec<(u32, u32)> = res.matches().map(|p| (p.a, p.b)).collect();
    println!("  pairs    {}", eval::pair_list(&matched, &truth, None));
    if let Some(n) = arg(&args, "--misses") {
        show_misses(&res, &data, n);
    }
}

/// Prints explanations of pairs wrongly put in one cluster and of true pairs left apart.
fn show_misses(res: &lagesbild_resolve::Resolution, data: &synth::Synthetic, n: usize) {
    let id = |i: u32| data.records[i as usize].id.as_str();
    let show = |a: u32, b: u32| {
        println!(
            "{:?}\n{:?}",
            data.records[a as usize], data.records[b as usize]
        );
        println!("{}\n", res.explain(a as usize, b as usize, (id(a), id(b))));
    };
    println!("--- false positives (matched, different people)");
    for p in res
        .matches()
        .filter(|p| data.truth[p.a as usize] != data.truth[p.b as usize])
        .take(n)
    {
        show(p.a, p.b);
    }
    println!("--- same cluster, different people, not a direct match");
    let mut shown = 0;
    for i in 1..data.records.len() {
        if shown >= n {
            break;
        }
        let c = res.clusters[i] as usize;
        if c != i && data.truth[c] != data.truth[i] {
            show(c as u32, i as u32);
            shown += 1;
        }
    }
    println!("--- false negatives (same person, not matched)");
    shown = 0;
    for i in 1..data.records.len() {
        if shown >= n {
            break;
        }
        if data.truth[i] == data.truth[i - 1] && res.clusters[i] != res.clusters[i - 1] {
            show(i as u32 - 1, i as u32);
            shown += 1;
        }
    }
}
