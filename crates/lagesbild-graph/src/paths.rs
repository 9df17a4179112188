//! Paths and neighbourhoods: the shortest path between two nodes (hops or weights as lengths),
//! the k shortest simple paths (Yen), and ego networks that summarise nodes of very high degree
//! instead of drawing all their neighbours.

use std::collections::{BTreeSet, HashSet};

use crate::graph::Graph;

/// A path: its nodes from source to target, and its length.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Path {
    pub nodes: Vec<u32>,
    pub length: f64,
}

/// The shortest path from `s` to `t` avoiding `blocked` nodes and edges, or `None`.
fn shortest_avoiding(
    g: &Graph,
    s: u32,
    t: u32,
    weighted: bool,
    blocked: &[bool],
    blocked_edges: &HashSet<(u32, u32)>,
) -> Option<Path> {
    let n = g.n();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![u32::MAX; n];
    let mut heap = std::collections::BinaryHeap::new();
    dist[s as usize] = 0.0;
    // (negated distance as ordered bits, node): distances are non-negative
    heap.push((std::cmp::Reverse(0u64), s));
    while let Some((std::cmp::Reverse(dk), v)) = heap.pop() {
        let dv = f64::from_bits(dk);
        if dv > dist[v as usize] {
            continue;
        }
        if v == t {
            break;
        }
        let ws = g.out.weights(v);
        for (k, &u) in g.out.neighbours(v).iter().enumerate() {
            if blocked[u as usize] || blocked_edges.contains(&(v, u)) {
                continue;
            }
            let len = if weighted {
                ws.map_or(1.0, |w| w[k])
            } else {
                1.0
            };
            let alt = dv + len;
            if alt < dist[u as usize] {
                dist[u as usize] = alt;
                prev[u as usize] = v;
                heap.push((std::cmp::Reverse(alt.to_bits()), u));
            }
        }
    }
    if !dist[t as usize].is_finite() {
        return None;
    }
    let mut nodes = vec![t];
    let mut v = t;
    while v != s {
        v = prev[v as usize];
        nodes.push(v);
    }
    nodes.reverse();
    Some(Path {
        nodes,
        length: dist[t as usize],
    })
}

/// The shortest path from `s` to `t`.
pub fn shortest_path(g: &Graph, s: u32, t: u32, weighted: bool) -> Option<Path> {
    shortest_avoiding(g, s, t, weighted, &vec![false; g.n()], &HashSet::new())
}

/// The `k` shortest simple paths from `s` to `t`, shortest first (Yen's algorithm).
pub fn k_shortest_paths(g: &Graph, s: u32, t: u32, k: usize, weighted: bool) -> Vec<Path> {
    let Some(first) = shortest_path(g, s, t, weighted) else {
        return Vec::new();
    };
    let edge_len = |a: u32, b: u32| -> f64 {
        let nb = g.out.neighbours(a);
        match nb.binary_search(&b) {
            Ok(i) if weighted => g.out.weights(a).map_or(1.0, |w| w[i]),
            _ => 1.0,
        }
    };
    let mut found = vec![first];
    // candidates ordered by (length, nodes)
    let mut candidates: BTreeSet<(u64, Vec<u32>)> = BTreeSet::new();
    while found.len() < k {
        let last = found.last().expect("one path at least").clone();
        for i in 0..last.nodes.len() - 1 {
            let spur = last.nodes[i];
            let root = &last.nodes[..=i];
            let mut blocked_edges = HashSet::new();
            for p in &found {
                if p.nodes.len() > i && p.nodes[..=i] == *root {
                    let (a, b) = (p.nodes[i], p.nodes[i + 1]);
                    blocked_edges.insert((a, b));
                    if !g.directed {
                        blocked_edges.insert((b, a));
                    }
                }
            }
            let mut blocked = vec![false; g.n()];
            for v in &root[..i] {
                blocked[*v as usize] = true;
            }
            if let Some(sp) = shortest_avoiding(g, spur, t, weighted, &blocked, &blocked_edges) {
                let mut nodes = root[..i].to_vec();
                nodes.extend(&sp.nodes);
                let root_len: f64 = root.windows(2).map(|w| edge_len(w[0], w[1])).sum();
                candidates.insert(((root_len + sp.length).to_bits(), nodes));
            }
        }
        let Some(next) = candidates.iter().next().cloned() else {
            break;
        };
        candidates.remove(&next);
        if found.iter().any(|p| p.nodes == next.1) {
            continue;
        }
        found.push(Path {
            nodes: next.1,
            length: f64::from_bits(next.0),
        });
    }
    found
}

/// An ego network: the nodes within `radius` hops of the centre and the edges between them.
/// A node with more than `cap` neighbours is kept but not expanded; how many neighbours it hides
/// is in `hidden`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ego {
    /// (node, hops from the centre)
    pub nodes: Vec<(u32, u32)>,
    pub edges: Vec<(u32, u32, f64)>,
    /// (node, neighbours not drawn)
    pub hidden: Vec<(u32, usize)>,
}

pub fn ego(g: &Graph, centre: u32, radius: u32, cap: usize) -> Ego {
    let u = g.to_undirected();
    let mut inside = vec![false; u.n()];
    let mut nodes = Vec::new();
    let mut hidden = Vec::new();
    // breadth-first again, not expanding the nodes over the cap
    let mut frontier = vec![centre];
    inside[centre as usize] = true;
    nodes.push((centre, 0));
    for hop in 1..=radius {
        let mut next = Vec::new();
        for &v in &frontier {
            let nb = u.out.neighbours(v);
            if nb.len() > cap && v != centre {
                hidden.push((v, nb.iter().filter(|x| !inside[**x as usize]).count()));
                continue;
            }
            let shown = if nb.len() > cap { &nb[..cap] } else { nb };
            if nb.len() > cap {
                hidden.push((v, nb.len() - cap));
            }
            for &w in shown {
                if !inside[w as usize] {
                    inside[w as usize] = true;
                    nodes.push((w, hop));
                    next.push(w);
                }
            }
        }
        frontier = next;
    }
    let mut edges = Vec::new();
    for &(v, _) in &nodes {
        let ws = g.out.weights(v);
        for (k, &w) in g.out.neighbours(v).iter().enumerate() {
            if inside[w as usize] && (g.directed || v < w) {
                edges.push((v, w, ws.map_or(1.0, |x| x[k])));
            }
        }
    }
    Ego {
        nodes,
        edges,
        hidden,
    }
}
