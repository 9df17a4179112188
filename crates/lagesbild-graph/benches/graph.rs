//! Graph benchmark on an edge list: load, PageRank, components, Leiden, and exact betweenness,
//! each timed, printed as one JSON line for `bench/graph.py`, which runs igraph on the same
//! file in the same run. Without arguments (as under `cargo test`), a smoke run on a small
//! generated graph.
//!
//! cargo bench -p lagesbild-graph -- EDGES.csv [--betweenness EDGES.csv] [--pagerank-out FILE]
//! cargo bench -p lagesbild-graph -- --memory NODES EDGES_PER_NODE

use std::time::Instant;

use lagesbild_graph::centrality::{self, Iteration};
use lagesbild_graph::community::{LeidenOptions, leiden};
use lagesbild_graph::rng::Rng;
use lagesbild_graph::{Graph, structure};

/// A Barabási–Albert graph: each new node links to `m` existing ones chosen by degree.
fn barabasi_albert(n: usize, m: usize, seed: u64) -> Vec<(u32, u32, f64)> {
    let mut rng = Rng::new(seed);
    let mut ends: Vec<u32> = Vec::with_capacity(2 * n * m);
    let mut edges = Vec::with_capacity(n * m);
    for v in 0..n as u32 {
        let k = m.min(v as usize);
        let mut chosen: Vec<u32> = Vec::with_capacity(k);
        while chosen.len() < k {
            let u = if ends.is_empty() {
                rng.below(v as usize) as u32
            } else {
                ends[rng.below(ends.len())]
            };
            if !chosen.contains(&u) {
                chosen.push(u);
            }
        }
        for u in chosen {
            edges.push((v, u, 1.0));
            ends.push(v);
            ends.push(u);
        }
    }
    edges
}

fn read(path: &str) -> (usize, Vec<(u32, u32, f64)>) {
    let text = std::fs::read_to_string(path).expect("the edge list reads");
    let mut n = 0usize;
    let mut edges = Vec::new();
    for line in text.lines() {
        let mut it = line.split(',');
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>()) else {
            continue;
        };
        n = n.max(a as usize + 1).max(b as usize + 1);
        edges.push((a, b, 1.0));
    }
    (n, edges)
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let full = args.iter().any(|a| a == "--bench");
    if let (Some(n), Some(m)) = (
        arg("--memory"),
        args.iter()
            .position(|a| a == "--memory")
            .and_then(|i| args.get(i + 2)),
    ) {
        // a graph of n nodes and about n·m edges, PageRank on it; the caller measures peak RSS
        let (n, m): (usize, usize) = (n.parse().unwrap(), m.parse().unwrap());
        let t = Instant::now();
        let g = Graph::from_edges(n, barabasi_albert(n, m, 5), false);
        let load = secs(t);
        let t = Instant::now();
        let (_, iters) = centrality::pagerank(
            &g,
            0.85,
            Iteration {
                tol: 1e-12,
                max_iter: 200,
            },
        );
        println!(
            "{{\"memory_nodes\":{n},\"edges\":{},\"build_s\":{load:.2},\"pagerank_s\":{:.2},\"iterations\":{iters}}}",
            g.m(),
            secs(t)
        );
        return;
    }
    let file = args.iter().skip(1).find(|a| a.ends_with(".csv")).cloned();
    let (n, edges) = match (&file, full) {
        (Some(f), true) => read(f),
        _ => (20_000, barabasi_albert(20_000, 5, 1)),
    };
    let t = Instant::now();
    let g = Graph::from_edges(n, edges, false);
    let build = secs(t);
    let t = Instant::now();
    let (pr, iters) = centrality::pagerank(
        &g,
        0.85,
        Iteration {
            tol: 1e-9,
            max_iter: 1000,
        },
    );
    let pagerank = secs(t);
    if let Some(out) = arg("--pagerank-out") {
        let text: String = pr.iter().map(|x| format!("{x:.17e}\n")).collect();
        std::fs::write(out, text).expect("the PageRank values are written");
    }
    let t = Instant::now();
    let comps = structure::weak_components(&g);
    let components = secs(t);
    let t = Instant::now();
    // the default: runs until one gains less than 0.001; --leiden-iterations N: exactly N runs
    let mut opts = LeidenOptions::default();
    if let Some(n) = arg("--leiden-iterations").and_then(|v| v.parse().ok()) {
        opts.iterations = n;
        opts.min_gain = 0.0;
    }
    if let Some(s) = arg("--leiden-seed").and_then(|v| v.parse().ok()) {
        opts.seed = s;
    }
    let part = leiden(&g, opts);
    let leiden_s = secs(t);
    print!(
        "{{\"nodes\":{},\"edges\":{},\"build_s\":{build:.3},\"pagerank_s\":{pagerank:.3},\"pagerank_iterations\":{iters},\"pagerank_sum\":{:.6},\"components_s\":{components:.3},\"components\":{},\"leiden_s\":{leiden_s:.3},\"leiden_communities\":{},\"leiden_modularity\":{:.6}",
        g.n(),
        g.m(),
        pr.iter().sum::<f64>(),
        comps.count,
        part.count,
        part.modularity
    );
    if args.iter().any(|a| a == "--no-betweenness") {
        println!("}}");
        return;
    }
    let bfile = arg("--betweenness");
    let (bn, bedges) = match (&bfile, full) {
        (Some(f), true) => read(f),
        _ => (2_000, barabasi_albert(2_000, 5, 2)),
    };
    let bg = Graph::from_edges(bn, bedges, false);
    let t = Instant::now();
    let bc = centrality::betweenness(&bg, false, None, 1, &|_| {});
    let betweenness = secs(t);
    let max = bc.values.iter().copied().fold(0.0, f64::max);
    println!(
        ",\"betweenness_nodes\":{},\"betweenness_edges\":{},\"betweenness_s\":{betweenness:.3},\"betweenness_max\":{max:.9}}}",
        bg.n(),
        bg.m()
    );
}
