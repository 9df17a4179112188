//! `lagesbild graph`: network analysis on the store's links (read through the audited access
//! path, logged as one consultation of the network) or on an edge list.
//!
//! From the store, an entity of a link schema (Payment, Message, Ownership, Call…) becomes an
//! edge between its two ends (payer → beneficiary, sender → recipient), weighted by how many
//! there are; any other reference (`mentions`, `holder`, `suspect`…) is an edge from the
//! referring entity (or, for a link entity, from its source end) to the entity referred to.

use std::process::ExitCode;

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use lagesbild_graph::centrality::{self, Iteration};
use lagesbild_graph::community::{LeidenOptions, leiden};
use lagesbild_graph::io::{
    Column, parse_time, read_edges, write_gexf, write_graphml, write_i2_csv,
};
use lagesbild_graph::{EdgeList, Filter, Graph, disrupt, paths, structure};

use crate::cli::{Global, GraphCommand, GraphSource};
use crate::context::{purpose, session, user_error};
use crate::output;

fn time_arg(s: &Option<String>, flag: &str) -> Result<Option<i64>> {
    s.as_deref()
        .map(|t| {
            parse_time(t)
                .ok_or_else(|| user_error(format!("--{flag} {t:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// The graph the command works on.
fn load(g: &Global, src: &GraphSource) -> Result<Graph> {
    let (list, filter) = load_list(g, src)?;
    Ok(list.graph(src.directed, &filter))
}

/// The edge list and the filter of the command line.
fn load_list(g: &Global, src: &GraphSource) -> Result<(EdgeList, Filter)> {
    if src.edges.is_some() && (src.for_court || src.disclose_to.is_some()) {
        return Err(user_error(
            "--for-court and --disclose-to apply to the store's links, not to an edge list",
        ));
    }
    let list = match &src.edges {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            read_edges(&path.display().to_string(), std::io::BufReader::new(file))
                .map_err(|e| user_error(e.to_string()))?
        }
        None => {
            let why = purpose(g)?;
            let (mut store, who, _) = session(g)?;
            let mut access = store.access(&who, &why);
            let purpose_use = match (&src.disclose_to, src.for_court) {
                (Some(org), _) => lagesbild_model::Use::Disclosure {
                    recipient: org.clone(),
                },
                (None, true) => lagesbild_model::Use::Court,
                (None, false) => lagesbild_model::Use::Analysis,
            };
            lagesbild_report::edge_list(&access.links_for(&purpose_use)?)
        }
    };
    let filter = Filter {
        kinds: src.kinds.clone(),
        from: time_arg(&src.from, "from")?,
        to: time_arg(&src.to, "to")?,
    };
    Ok((list, filter))
}

fn node(graph: &Graph, name: &str) -> Result<u32> {
    graph
        .names
        .iter()
        .position(|n| n == name)
        .map(|i| i as u32)
        .ok_or_else(|| user_error(format!("{name:?} is not a node of the network")))
}

fn progress(g: &Global, total: usize, what: &str) -> ProgressBar {
    let bar = if g.quiet || total < 20_000 {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(total as u64)
    };
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ETA {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

fn ranked(values: &[f64], k: usize) -> Vec<u32> {
    disrupt::top_k(values, k)
}

pub fn run(g: &Global, c: GraphCommand) -> Result<ExitCode> {
    match c {
        GraphCommand::Metrics(a) => metrics(g, &a.source, a.top, a.sample, a.closeness),
        GraphCommand::Communities(a) => communities(g, &a.source, a.resolution, a.seed, a.top),
        GraphCommand::Path(a) => path(g, &a.source, &a.from_node, &a.to_node, a.k),
        GraphCommand::Ego(a) => ego(g, &a.source, &a.node, a.radius, a.cap),
        GraphCommand::Disrupt(a) => disruption(g, &a),
        GraphCommand::Export(a) => export(g, &a.source, &a.format, &a.out),
        GraphCommand::Change(a) => change(g, &a.source, &a.split, a.top),
    }
}

struct Measures {
    pagerank: Vec<f64>,
    betweenness: Vec<f64>,
    degree: Vec<f64>,
    core: Vec<u32>,
    components: structure::Components,
    broker: Vec<bool>,
    bridges: usize,
}

fn measures(g: &Global, graph: &Graph, weighted: bool, sample: Option<usize>) -> Measures {
    let (pagerank, _) = centrality::pagerank(graph, 0.85, Iteration::default());
    let bar = progress(g, sample.unwrap_or(graph.n()), "betweenness");
    let bc = centrality::betweenness(graph, weighted, sample, 1, &|d| bar.set_position(d as u64));
    bar.finish_and_clear();
    let degree = (0..graph.n() as u32)
        .map(|v| {
            (graph.out.degree(v)
                + if graph.directed {
                    graph.inc().degree(v)
                } else {
                    0
                }) as f64
        })
        .collect();
    let (cuts, bridges) = structure::cut_points(graph);
    let mut broker = vec![false; graph.n()];
    for c in cuts {
        broker[c as usize] = true;
    }
    Measures {
        pagerank,
        betweenness: bc.values,
        degree,
        core: structure::core_numbers(graph),
        components: structure::weak_components(graph),
        broker,
        bridges: bridges.len(),
    }
}

fn metrics(
    g: &Global,
    src: &GraphSource,
    top: usize,
    sample: Option<usize>,
    closeness: bool,
) -> Result<ExitCode> {
    let graph = load(g, src)?;
    let m = measures(g, &graph, src.weighted, sample);
    let comps = &m.components;
    let cuts = m.broker.iter().filter(|b| **b).count();
    let (close, harm) = if closeness {
        (
            Some(centrality::closeness(&graph, src.weighted)),
            Some(centrality::harmonic(&graph, src.weighted)),
        )
    } else {
        (None, None)
    };
    if g.json {
        let nodes: Vec<serde_json::Value> = (0..graph.n())
            .map(|v| {
                let mut o = json!({
                    "id": graph.names[v],
                    "degree": m.degree[v],
                    "pagerank": m.pagerank[v],
                    "betweenness": m.betweenness[v],
                    "core": m.core[v],
                    "component": m.components.label[v],
                    "articulation_point": m.broker[v],
                });
                if let (Some(c), Some(h)) = (&close, &harm) {
                    o["closeness"] = json!(c[v]);
                    o["harmonic"] = json!(h[v]);
                }
                o
            })
            .collect();
        output::json(&json!({
            "nodes": graph.n(),
            "edges": graph.m(),
            "directed": graph.directed,
            "components": comps.count,
            "largest_component": comps.largest(),
            "articulation_points": cuts,
            "bridges": m.bridges,
            "betweenness_sampled": sample,
            "measures": nodes,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} nodes, {} edges ({}), {} components (largest {}), {} articulation points, {} bridges",
        graph.n(),
        graph.m(),
        if graph.directed {
            "directed"
        } else {
            "undirected"
        },
        comps.count,
        comps.largest(),
        cuts,
        m.bridges
    );
    for (title, values) in [
        ("PageRank", &m.pagerank),
        ("betweenness", &m.betweenness),
        ("degree", &m.degree),
    ] {
        println!("\ntop {top} by {title}");
        for v in ranked(values, top) {
            let v = v as usize;
            println!(
                "  {:<44} {:>12.6}  core {:>3}{}",
                graph.names[v],
                values[v],
                m.core[v],
                if m.broker[v] { "  broker" } else { "" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn communities(
    g: &Global,
    src: &GraphSource,
    resolution: f64,
    seed: u64,
    top: usize,
) -> Result<ExitCode> {
    let graph = load(g, src)?;
    let p = leiden(
        &graph,
        LeidenOptions {
            resolution,
            seed,
            ..LeidenOptions::default()
        },
    );
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); p.count];
    for (v, c) in p.community.iter().enumerate() {
        members[*c as usize].push(v);
    }
    if g.json {
        output::json(&json!({
            "communities": p.count,
            "modularity": p.modularity,
            "resolution": resolution,
            "membership": (0..graph.n()).map(|v| json!({"id": graph.names[v], "community": p.community[v]})).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} communities, modularity {:.4} (resolution {resolution})",
        p.count, p.modularity
    );
    for (c, ms) in members.iter().enumerate().take(top) {
        let shown: Vec<&str> = ms
            .iter()
            .take(6)
            .map(|v| graph.names[*v].as_str())
            .collect();
        println!(
            "  {c:>4}: {:>6} members  {}{}",
            ms.len(),
            shown.join(", "),
            if ms.len() > 6 { ", …" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn path(g: &Global, src: &GraphSource, a: &str, b: &str, k: usize) -> Result<ExitCode> {
    let graph = load(g, src)?;
    let (s, t) = (node(&graph, a)?, node(&graph, b)?);
    let found = paths::k_shortest_paths(&graph, s, t, k.max(1), src.weighted);
    if g.json {
        let out: Vec<serde_json::Value> = found
            .iter()
            .map(|p| json!({"length": p.length, "nodes": p.nodes.iter().map(|v| &graph.names[*v as usize]).collect::<Vec<_>>()}))
            .collect();
        output::json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        println!("no path from {a} to {b}");
        return Ok(ExitCode::SUCCESS);
    }
    for p in &found {
        let names: Vec<&str> = p
            .nodes
            .iter()
            .map(|v| graph.names[*v as usize].as_str())
            .collect();
        println!("{:>6}  {}", p.length, names.join(" → "));
    }
    Ok(ExitCode::SUCCESS)
}

fn ego(g: &Global, src: &GraphSource, name: &str, radius: u32, cap: usize) -> Result<ExitCode> {
    let graph = load(g, src)?;
    let centre = node(&graph, name)?;
    let e = paths::ego(&graph, centre, radius, cap);
    let label = |v: u32| graph.names[v as usize].clone();
    if g.json {
        output::json(&json!({
            "centre": name,
            "nodes": e.nodes.iter().map(|(v, h)| json!({"id": label(*v), "hops": h})).collect::<Vec<_>>(),
            "edges": e.edges.iter().map(|(a, b, w)| json!({"source": label(*a), "target": label(*b), "weight": w})).collect::<Vec<_>>(),
            "hidden": e.hidden.iter().map(|(v, n)| json!({"id": label(*v), "neighbours_not_shown": n})).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} nodes and {} edges within {radius} hops of {name}",
        e.nodes.len(),
        e.edges.len()
    );
    for (v, h) in &e.nodes {
        println!("  {h}  {}", label(*v));
    }
    for (v, n) in &e.hidden {
        println!(
            "  {} has {n} more neighbours, not shown (over the cap of {cap})",
            label(*v)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn disruption(g: &Global, a: &crate::cli::GraphDisruptArgs) -> Result<ExitCode> {
    let graph = load(g, &a.source)?;
    let n = graph.n();
    let targets: Vec<u32> = if a.nodes.is_empty() {
        let scores: Vec<f64> = match a.by.as_str() {
            "betweenness" => {
                centrality::betweenness(&graph, false, (n > 20_000).then_some(2_000), 1, &|_| {})
                    .values
            }
            "pagerank" => centrality::pagerank(&graph, 0.85, Iteration::default()).0,
            "degree" => (0..n as u32).map(|v| graph.out.degree(v) as f64).collect(),
            other => {
                return Err(user_error(format!(
                    "--by {other:?}: betweenness, pagerank or degree"
                )));
            }
        };
        ranked(&scores, a.top)
    } else {
        a.nodes
            .iter()
            .map(|x| node(&graph, x))
            .collect::<Result<_>>()?
    };
    let exact = 2_000;
    let mark = |set: &[u32]| {
        let mut r = vec![false; n];
        for v in set {
            r[*v as usize] = true;
        }
        r
    };
    let before = disrupt::fragmentation(&graph, &vec![false; n], exact, a.seed);
    let after = disrupt::fragmentation(&graph, &mark(&targets), exact, a.seed);
    let mut rng = lagesbild_graph::rng::Rng::new(a.seed);
    let mut random = Vec::new();
    for _ in 0..a.trials {
        let set = lagesbild_graph::rng::sample(n, targets.len(), rng.next_u64());
        random.push(disrupt::fragmentation(&graph, &mark(&set), exact, a.seed));
    }
    let mean = |f: &dyn Fn(&disrupt::Fragmentation) -> f64| {
        if random.is_empty() {
            0.0
        } else {
            random.iter().map(f).sum::<f64>() / random.len() as f64
        }
    };
    let rand_largest = mean(&|f| f.largest as f64);
    let rand_components = mean(&|f| f.components as f64);
    let rand_eff = mean(&|f| f.efficiency);
    let removed: Vec<&str> = targets
        .iter()
        .map(|v| graph.names[*v as usize].as_str())
        .collect();
    if g.json {
        output::json(&json!({
            "removed": removed,
            "by": if a.nodes.is_empty() { a.by.as_str() } else { "given" },
            "before": before,
            "after": after,
            "random": {"trials": a.trials, "largest": rand_largest, "components": rand_components, "efficiency": rand_eff},
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "removing {} nodes ({}): {}",
        targets.len(),
        if a.nodes.is_empty() {
            a.by.as_str()
        } else {
            "given"
        },
        removed.join(", ")
    );
    println!("                 components  largest  efficiency");
    println!(
        "  before         {:>10}  {:>7}  {:>10.4}",
        before.components, before.largest, before.efficiency
    );
    println!(
        "  after          {:>10}  {:>7}  {:>10.4}",
        after.components, after.largest, after.efficiency
    );
    println!(
        "  random (mean of {:>2}) {:>5.1}  {:>7.1}  {:>10.4}",
        a.trials, rand_components, rand_largest, rand_eff
    );
    Ok(ExitCode::SUCCESS)
}

fn export(g: &Global, src: &GraphSource, format: &str, out: &std::path::Path) -> Result<ExitCode> {
    let graph = load(g, src)?;
    let m = measures(
        g,
        &graph,
        src.weighted,
        (graph.n() > 50_000).then_some(2_000),
    );
    let p = leiden(&graph, LeidenOptions::default());
    let attrs = vec![
        ("degree".to_owned(), Column::Float(m.degree)),
        ("pagerank".to_owned(), Column::Float(m.pagerank)),
        ("betweenness".to_owned(), Column::Float(m.betweenness)),
        (
            "core".to_owned(),
            Column::Int(m.core.iter().map(|x| i64::from(*x)).collect()),
        ),
        (
            "community".to_owned(),
            Column::Int(p.community.iter().map(|x| i64::from(*x)).collect()),
        ),
        (
            "component".to_owned(),
            Column::Int(m.components.label.iter().map(|x| i64::from(*x)).collect()),
        ),
        (
            "broker".to_owned(),
            Column::Text(m.broker.iter().map(|b| b.to_string()).collect()),
        ),
    ];
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot write {}", out.display()))?;
    let mut w = std::io::BufWriter::new(file);
    match format {
        "gexf" => write_gexf(&graph, &attrs, &mut w)?,
        "graphml" => write_graphml(&graph, &attrs, &mut w)?,
        "i2" | "csv" => write_i2_csv(&graph, &attrs, &mut w)?,
        other => {
            return Err(user_error(format!(
                "--format {other:?}: gexf, graphml or i2"
            )));
        }
    }
    std::io::Write::flush(&mut w)?;
    if !g.quiet {
        eprintln!(
            "wrote {} nodes and {} edges with degree, PageRank, betweenness, core, community, component and broker to {}",
            graph.n(),
            graph.m(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Two time slices of the same network: nodes and edges that appeared and vanished, and the
/// nodes whose degree rose or fell most.
fn change(g: &Global, src: &GraphSource, split: &str, top: usize) -> Result<ExitCode> {
    let (list, filter) = load_list(g, src)?;
    let at =
        parse_time(split).ok_or_else(|| user_error(format!("--split {split:?} is not a date")))?;
    if list.edges.iter().all(|e| e.time == 0) {
        return Err(user_error(
            "the edges have no times: slices need an edge list with a time column",
        ));
    }
    let before = list.graph(
        src.directed,
        &Filter {
            to: Some(at),
            ..filter.clone()
        },
    );
    let after = list.graph(
        src.directed,
        &Filter {
            from: Some(at),
            ..filter
        },
    );
    let n = list.names.len();
    let deg =
        |gr: &Graph, v: u32| gr.out.degree(v) + if gr.directed { gr.inc().degree(v) } else { 0 };
    let edges = |gr: &Graph| -> std::collections::HashSet<(u32, u32)> {
        (0..n as u32)
            .flat_map(|v| gr.out.neighbours(v).iter().map(move |u| (v, *u)))
            .filter(|(v, u)| gr.directed || v < u)
            .collect()
    };
    let (e0, e1) = (edges(&before), edges(&after));
    let active = |gr: &Graph| {
        (0..n as u32)
            .filter(|v| deg(gr, *v) > 0)
            .collect::<std::collections::HashSet<u32>>()
    };
    let (a0, a1) = (active(&before), active(&after));
    let mut delta: Vec<(i64, u32)> = (0..n as u32)
        .map(|v| (deg(&after, v) as i64 - deg(&before, v) as i64, v))
        .filter(|(d, _)| *d != 0)
        .collect();
    delta.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let risers: Vec<(i64, u32)> = delta
        .iter()
        .take(top)
        .copied()
        .filter(|d| d.0 > 0)
        .collect();
    let fallers: Vec<(i64, u32)> = delta
        .iter()
        .rev()
        .take(top)
        .copied()
        .filter(|d| d.0 < 0)
        .collect();
    let name = |v: u32| list.names[v as usize].clone();
    let new_nodes = a1.difference(&a0).count();
    let gone_nodes = a0.difference(&a1).count();
    let new_edges = e1.difference(&e0).count();
    let gone_edges = e0.difference(&e1).count();
    let c0 = structure::weak_components(&before);
    let c1 = structure::weak_components(&after);
    if g.json {
        output::json(&json!({
            "split": split,
            "before": {"active_nodes": a0.len(), "edges": e0.len(), "largest_component": c0.largest()},
            "after": {"active_nodes": a1.len(), "edges": e1.len(), "largest_component": c1.largest()},
            "new_nodes": new_nodes, "vanished_nodes": gone_nodes,
            "new_edges": new_edges, "vanished_edges": gone_edges,
            "risers": risers.iter().map(|(d, v)| json!({"id": name(*v), "degree_change": d})).collect::<Vec<_>>(),
            "fallers": fallers.iter().map(|(d, v)| json!({"id": name(*v), "degree_change": d})).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "before {split}: {} active nodes, {} edges, largest component {}",
        a0.len(),
        e0.len(),
        c0.largest()
    );
    println!(
        "from {split}:   {} active nodes, {} edges, largest component {}",
        a1.len(),
        e1.len(),
        c1.largest()
    );
    println!(
        "{new_nodes} nodes appeared, {gone_nodes} vanished; {new_edges} edges appeared, {gone_edges} vanished"
    );
    for (title, list) in [("risers", &risers), ("fallers", &fallers)] {
        if !list.is_empty() {
            println!("\n{title} (degree change)");
            for (d, v) in list {
                println!("  {:+6}  {}", d, name(*v));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
