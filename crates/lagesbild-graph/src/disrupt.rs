//! Disruption what-if: remove a set of nodes (the top k by a measure, or a given set) and see
//! how the network falls apart: components, the largest one, and global efficiency.

use rayon::prelude::*;

use crate::graph::Graph;
use crate::search::Workspace;
use crate::structure::weak_components;

/// How fragmented a network is.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Fragmentation {
    pub components: usize,
    pub largest: usize,
    /// Components of two nodes or more (removed nodes are left out).
    pub nontrivial: usize,
    /// Mean of 1 / d(u, v) over ordered pairs of distinct nodes (0 for unreachable pairs),
    /// from every source or a sample of them.
    pub efficiency: f64,
}

/// Fragmentation of `g` without the `removed` nodes. Efficiency is computed from every source
/// when the graph has at most `exact_up_to` nodes, else from that many sampled sources.
pub fn fragmentation(g: &Graph, removed: &[bool], exact_up_to: usize, seed: u64) -> Fragmentation {
    let h = g.without(removed).to_undirected();
    let comps = weak_components(&h);
    let sizes = comps.sizes();
    let mut in_removed = vec![0usize; comps.count];
    for (v, r) in removed.iter().enumerate() {
        if *r {
            in_removed[comps.label[v] as usize] += 1;
        }
    }
    let kept: Vec<usize> = (0..comps.count)
        .filter(|c| in_removed[*c] == 0)
        .map(|c| sizes[c])
        .collect();
    let alive: Vec<u32> = (0..h.n() as u32)
        .filter(|v| !removed[*v as usize])
        .collect();
    let n = alive.len();
    let sources: Vec<u32> = if n <= exact_up_to {
        alive.clone()
    } else {
        crate::rng::sample(n, exact_up_to, seed)
            .into_iter()
            .map(|i| alive[i as usize])
            .collect()
    };
    let total: f64 = sources
        .par_iter()
        .map_init(
            || Workspace::new(h.n()),
            |ws, s| {
                ws.distances(&h.out, *s, false);
                ws.order
                    .iter()
                    .map(|v| ws.d(*v))
                    .filter(|d| *d > 0.0)
                    .map(|d| 1.0 / d)
                    .sum::<f64>()
            },
        )
        .sum();
    let efficiency = if n > 1 && !sources.is_empty() {
        total / (sources.len() as f64 * (n as f64 - 1.0))
    } else {
        0.0
    };
    Fragmentation {
        components: kept.len(),
        largest: kept.iter().copied().max().unwrap_or(0),
        nontrivial: kept.iter().filter(|s| **s >= 2).count(),
        efficiency,
    }
}

/// The `k` nodes with the highest scores (ties by lower id).
pub fn top_k(scores: &[f64], k: usize) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..scores.len() as u32).collect();
    idx.sort_by(|a, b| {
        scores[*b as usize]
            .total_cmp(&scores[*a as usize])
            .then(a.cmp(b))
    });
    idx.truncate(k);
    idx
}
