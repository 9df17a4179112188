//! The same numbers as networkx (values in `fixtures/networkx.json`, written by
//! `bench/graph_reference.py` with networkx 3.4.2): PageRank, eigenvector, closeness, harmonic
//! and betweenness centrality to 1e-9; core numbers, components, articulation points, bridges
//! and efficiency exactly or to 1e-12.

use lagesbild_graph::centrality::{self, Iteration};
use lagesbild_graph::{Graph, disrupt, structure};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/networkx.json"
    ))
    .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn graph(c: &Value) -> Graph {
    let n = c["n"].as_u64().unwrap() as usize;
    let edges = c["edges"].as_array().unwrap().iter().map(|e| {
        (
            e[0].as_u64().unwrap() as u32,
            e[1].as_u64().unwrap() as u32,
            e[2].as_f64().unwrap(),
        )
    });
    Graph::from_edges(n, edges, c["directed"].as_bool().unwrap())
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(name: &str, what: &str, ours: &[f64], theirs: &[f64], tol: f64) {
    assert_eq!(ours.len(), theirs.len());
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!(
            (a - b).abs() <= tol,
            "{name} {what}: node {i}: ours {a}, networkx {b}"
        );
    }
}

#[test]
fn centralities_match_networkx() {
    let tight = Iteration {
        tol: 1e-15,
        max_iter: 100_000,
    };
    for c in cases() {
        let name = c["name"].as_str().unwrap();
        let g = graph(&c);
        let weighted = c["weighted"].as_bool().unwrap();
        let v = &c["values"];
        let (pr, _) = centrality::pagerank(&g, 0.85, tight);
        close(name, "pagerank", &pr, &floats(&v["pagerank"]), 1e-9);
        if !v["eigenvector"].is_null() {
            let ev = centrality::eigenvector(&g, tight).expect("it converges");
            close(name, "eigenvector", &ev, &floats(&v["eigenvector"]), 1e-9);
        }
        close(
            name,
            "closeness",
            &centrality::closeness(&g, weighted),
            &floats(&v["closeness"]),
            1e-9,
        );
        close(
            name,
            "harmonic",
            &centrality::harmonic(&g, weighted),
            &floats(&v["harmonic"]),
            1e-9,
        );
        let bc = centrality::betweenness(&g, weighted, None, 1, &|_| {});
        close(
            name,
            "betweenness",
            &bc.values,
            &floats(&v["betweenness"]),
            1e-9,
        );
    }
}

#[test]
fn structure_matches_networkx() {
    for c in cases() {
        let name = c["name"].as_str().unwrap();
        let g = graph(&c);
        let v = &c["values"];
        if g.directed {
            assert_eq!(
                structure::strong_components(&g).count as u64,
                v["strong_components"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(
                structure::weak_components(&g).count as u64,
                v["weak_components"].as_u64().unwrap(),
                "{name}"
            );
            continue;
        }
        let core: Vec<u32> = structure::core_numbers(&g);
        let theirs: Vec<u32> = v["core"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(core, theirs, "{name} core numbers");
        assert_eq!(
            structure::weak_components(&g).count as u64,
            v["components"].as_u64().unwrap(),
            "{name}"
        );
        let (cuts, bridges) = structure::cut_points(&g);
        let their_cuts: Vec<u32> = v["articulation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(cuts, their_cuts, "{name} articulation points");
        let their_bridges: Vec<(u32, u32)> = v["bridges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b[0].as_u64().unwrap() as u32, b[1].as_u64().unwrap() as u32))
            .collect();
        assert_eq!(bridges, their_bridges, "{name} bridges");
        let f = disrupt::fragmentation(&g, &vec![false; g.n()], usize::MAX, 1);
        assert!(
            (f.efficiency - v["efficiency"].as_f64().unwrap()).abs() < 1e-12,
            "{name} efficiency {} vs {}",
            f.efficiency,
            v["efficiency"]
        );
    }
}
