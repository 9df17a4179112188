//! Centralities: degree, PageRank, eigenvector, closeness, harmonic and betweenness (exact
//! Brandes in parallel over sources, or sampled with an error bound). Definitions and
//! normalisations are networkx's, so the numbers are the same (tested to 1e-9).

use rayon::prelude::*;

use crate::graph::{Csr, Graph};
use crate::search::Workspace;

/// Degrees of every node: (out, in, weighted out, weighted in). Undirected: both are the degree.
pub fn degrees(g: &Graph) -> Vec<(usize, usize, f64, f64)> {
    (0..g.n() as u32)
        .map(|v| {
            (
                g.out.degree(v),
                g.inc().degree(v),
                g.out.strength(v),
                g.inc().strength(v),
            )
        })
        .collect()
}

/// Options of the iterative measures.
#[derive(Debug, Clone, Copy)]
pub struct Iteration {
    /// Stop when the summed change over all nodes is below `n * tol` (networkx's rule).
    pub tol: f64,
    pub max_iter: usize,
}

impl Default for Iteration {
    fn default() -> Self {
        Iteration {
            tol: 1e-10,
            max_iter: 1000,
        }
    }
}

/// PageRank with damping `alpha`, dangling nodes spread evenly, edge weights used; the
/// iterations it took.
pub fn pagerank(g: &Graph, alpha: f64, it: Iteration) -> (Vec<f64>, usize) {
    let n = g.n();
    if n == 0 {
        return (Vec::new(), 0);
    }
    let out_w: Vec<f64> = (0..n as u32).map(|v| g.out.strength(v)).collect();
    let inc = g.inc();
    let mut x = vec![1.0 / n as f64; n];
    let mut share = vec![0.0; n];
    let mut next = vec![0.0; n];
    for round in 1..=it.max_iter {
        let dangling: f64 = (0..n).filter(|v| out_w[*v] == 0.0).map(|v| x[v]).sum();
        share
            .par_iter_mut()
            .enumerate()
            .for_each(|(v, s)| *s = if out_w[v] > 0.0 { x[v] / out_w[v] } else { 0.0 });
        let base = (1.0 - alpha) / n as f64 + alpha * dangling / n as f64;
        pull(inc, &share, &mut next, |_, sum| base + alpha * sum);
        let err: f64 = next
            .par_iter()
            .zip(x.par_iter())
            .map(|(a, b)| (a - b).abs())
            .sum();
        std::mem::swap(&mut x, &mut next);
        if err < n as f64 * it.tol {
            return (x, round);
        }
    }
    (x, it.max_iter)
}

/// `next[v] = f(v, Σ_{u ∈ in(v)} share[u] · w(u, v))`, in parallel over `v`.
fn pull(inc: &Csr, share: &[f64], next: &mut [f64], f: impl Fn(usize, f64) -> f64 + Sync) {
    next.par_iter_mut().enumerate().for_each(|(v, out)| {
        let nb = inc.neighbours(v as u32);
        let sum: f64 = match inc.weights(v as u32) {
            Some(w) => nb.iter().zip(w).map(|(u, w)| share[*u as usize] * w).sum(),
            None => nb.iter().map(|u| share[*u as usize]).sum(),
        };
        *out = f(v, sum);
    });
}

/// Eigenvector centrality by power iteration on `A + I` (networkx's iteration; the same
/// eigenvector as `A`), normalised to unit length; `None` when it does not converge.
pub fn eigenvector(g: &Graph, it: Iteration) -> Option<Vec<f64>> {
    let n = g.n();
    if n == 0 {
        return Some(Vec::new());
    }
    let inc = g.inc();
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..it.max_iter {
        pull(inc, &x, &mut next, |v, sum| x[v] + sum);
        let norm = next.iter().map(|z| z * z).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        next.par_iter_mut().for_each(|z| *z /= norm);
        let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < n as f64 * it.tol {
            return Some(x);
        }
    }
    None
}

/// Closeness (Wasserman–Faust for graphs that are not connected, as networkx): for `u`,
/// `(r − 1) / Σ d(v, u) · (r − 1) / (n − 1)` over the `r` nodes that reach `u`. Distances are
/// hop counts, or edge weights taken as lengths when `weighted`.
pub fn closeness(g: &Graph, weighted: bool) -> Vec<f64> {
    let n = g.n();
    let rev = g.inc();
    per_source(n, |ws, u| {
        ws.distances(rev, u, weighted);
        let (mut total, mut reached) = (0.0, 0usize);
        for v in &ws.order {
            total += ws.d(*v);
            reached += 1;
        }
        if total > 0.0 && n > 1 {
            let r = reached as f64;
            (r - 1.0) / total * ((r - 1.0) / (n as f64 - 1.0))
        } else {
            0.0
        }
    })
}

/// Harmonic centrality: for `u`, `Σ 1 / d(v, u)` over the other nodes that reach it.
pub fn harmonic(g: &Graph, weighted: bool) -> Vec<f64> {
    let n = g.n();
    let rev = g.inc();
    per_source(n, |ws, u| {
        ws.distances(rev, u, weighted);
        ws.order
            .iter()
            .map(|v| ws.d(*v))
            .filter(|x| *x > 0.0)
            .map(|x| 1.0 / x)
            .sum()
    })
}

/// One value per node, each computed from a search of its own, in parallel.
fn per_source(n: usize, f: impl Fn(&mut Workspace, u32) -> f64 + Sync) -> Vec<f64> {
    (0..n as u32)
        .into_par_iter()
        .map_init(|| Workspace::new(n), |ws, u| f(ws, u))
        .collect()
}

/// Betweenness and how it was computed.
#[derive(Debug, Clone)]
pub struct Betweenness {
    pub values: Vec<f64>,
    /// The sources searched: all nodes, or a sample.
    pub sources: usize,
    /// For a sample: with probability 1 − `delta`, each value is within this of the exact one
    /// (Hoeffding's bound; each source contributes at most n / (n − 1) to a normalised value).
    pub error_bound: Option<f64>,
    pub delta: f64,
}

/// Betweenness centrality by Brandes' algorithm, normalised as networkx does (by
/// `1 / ((n − 1)(n − 2))`), from every source or from `sample` sources chosen by `seed`.
pub fn betweenness(
    g: &Graph,
    weighted: bool,
    sample: Option<usize>,
    seed: u64,
    progress: &(dyn Fn(usize) + Sync),
) -> Betweenness {
    let n = g.n();
    let sources: Vec<u32> = match sample {
        Some(k) if k < n => crate::rng::sample(n, k, seed),
        _ => (0..n as u32).collect(),
    };
    let k = sources.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let weighted = weighted && g.weighted();
    let raw = sources
        .par_iter()
        .fold(
            || {
                (
                    vec![0.0f64; n],
                    Workspace::new(if weighted { n } else { 0 }),
                    Hops::new(n),
                )
            },
            |(mut bc, mut ws, mut hops), s| {
                if weighted {
                    brandes(g, *s, true, &mut ws, &mut hops.delta, &mut bc);
                } else {
                    hops.brandes(g, *s, &mut bc);
                }
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if d.is_multiple_of(256) {
                    progress(d);
                }
                (bc, ws, hops)
            },
        )
        .map(|(bc, _, _)| bc)
        .reduce(
            || vec![0.0; n],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    let mut scale = if n > 2 {
        1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0))
    } else {
        1.0
    };
    if k < n && k > 0 {
        scale *= n as f64 / k as f64;
    }
    let values = raw.into_iter().map(|x| x * scale).collect();
    let delta = 0.05;
    let error_bound = (k < n && k > 0)
        .then(|| (n as f64 / (n as f64 - 1.0)) * ((2.0f64 / delta).ln() / (2.0 * k as f64)).sqrt());
    Betweenness {
        values,
        sources: k,
        error_bound,
        delta,
    }
}

/// Adds the dependencies of source `s` to `bc`.
fn brandes(
    g: &Graph,
    s: u32,
    weighted: bool,
    ws: &mut Workspace,
    delta: &mut [f64],
    bc: &mut [f64],
) {
    ws.distances_counted(&g.out, s, weighted);
    let inc = g.inc();
    for v in &ws.order {
        delta[*v as usize] = 0.0;
    }
    // nodes in order of non-increasing distance: predecessors are the in-neighbours one step
    // (or one edge length) closer with a shortest path through them
    for i in (0..ws.order.len()).rev() {
        let w = ws.order[i];
        let dw = ws.d(w);
        let coeff = (1.0 + delta[w as usize]) / ws.sigma[w as usize];
        let ns = inc.neighbours(w);
        let wts = inc.weights(w);
        for (k, v) in ns.iter().enumerate() {
            let len = if weighted {
                wts.map_or(1.0, |x| x[k])
            } else {
                1.0
            };
            if ws.seen(*v) && is_pred(ws.d(*v), len, dw) {
                delta[*v as usize] += ws.sigma[*v as usize] * coeff;
            }
        }
        if w != s {
            bc[w as usize] += delta[w as usize];
        }
    }
}

#[inline]
fn is_pred(dv: f64, len: f64, dw: f64) -> bool {
    let via = dv + len;
    (via - dw).abs() <= 1e-12 * dw.abs().max(1.0)
}

/// Buffers of Brandes' algorithm on hop counts: per node its distance (`u32::MAX` unseen),
/// number of shortest paths and dependency side by side (one cache line read per neighbour),
/// reset after each source over the nodes it reached only.
struct Hops {
    node: Vec<HopNode>,
    delta: Vec<f64>,
    order: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct HopNode {
    dist: u32,
    sigma: f64,
    delta: f64,
}

impl Hops {
    fn new(n: usize) -> Hops {
        Hops {
            node: vec![
                HopNode {
                    dist: u32::MAX,
                    sigma: 0.0,
                    delta: 0.0
                };
                n
            ],
            // the weighted search's dependencies
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Adds the dependencies of source `s` to `bc`.
    fn brandes(&mut self, g: &Graph, s: u32, bc: &mut [f64]) {
        let (node, order) = (&mut self.node, &mut self.order);
        order.clear();
        order.push(s);
        node[s as usize].dist = 0;
        node[s as usize].sigma = 1.0;
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            let HopNode {
                dist: dv,
                sigma: sv,
                ..
            } = node[v as usize];
            for &w in g.out.neighbours(v) {
                let x = &mut node[w as usize];
                if x.dist == u32::MAX {
                    x.dist = dv + 1;
                    x.sigma = 0.0;
                    order.push(w);
                }
                if x.dist == dv + 1 {
                    x.sigma += sv;
                }
            }
        }
        let inc = g.inc();
        for &w in order.iter().rev() {
            let HopNode {
                dist: dw,
                sigma: sw,
                delta: deltaw,
            } = node[w as usize];
            if dw == 0 {
                continue;
            }
            let coeff = (1.0 + deltaw) / sw;
            for &v in inc.neighbours(w) {
                let x = &mut node[v as usize];
                if x.dist == dw - 1 {
                    x.delta += x.sigma * coeff;
                }
            }
            bc[w as usize] += deltaw;
        }
        for &v in order.iter() {
            node[v as usize] = HopNode {
                dist: u32::MAX,
                sigma: 0.0,
                delta: 0.0,
            };
        }
    }
}
