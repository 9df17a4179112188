//! The graph: compressed sparse rows of u32 node ids, out-edges and (for directed graphs)
//! in-edges, with optional weights; built from an edge list with kinds and times, filtered by
//! kind and time window.

use std::collections::HashMap;

/// One edge of an edge list: endpoints, weight, kind (an index into `EdgeList::kinds`) and time
/// (seconds since the epoch, or 0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub src: u32,
    pub dst: u32,
    pub weight: f64,
    pub kind: u16,
    pub time: i64,
}

/// Named nodes and the edges between them, as read; graphs are built from it.
#[derive(Debug, Clone, Default)]
pub struct EdgeList {
    pub names: Vec<String>,
    pub kinds: Vec<String>,
    pub edges: Vec<Edge>,
    index: HashMap<String, u32>,
}

/// Which edges go into a graph.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these kinds (by name); all when empty.
    pub kinds: Vec<String>,
    /// Only edges with `from <= time < to`.
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl EdgeList {
    pub fn new() -> EdgeList {
        EdgeList::default()
    }

    /// The id of a node, added when new.
    pub fn node(&mut self, name: &str) -> u32 {
        if let Some(id) = self.index.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), id);
        id
    }

    pub fn id(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    fn kind(&mut self, kind: &str) -> u16 {
        match self.kinds.iter().position(|k| k == kind) {
            Some(k) => k as u16,
            None => {
                self.kinds.push(kind.to_owned());
                (self.kinds.len() - 1) as u16
            }
        }
    }

    /// Adds an edge between named nodes.
    pub fn add(&mut self, src: &str, dst: &str, weight: f64, kind: &str, time: i64) {
        let (s, d, k) = (self.node(src), self.node(dst), self.kind(kind));
        self.edges.push(Edge {
            src: s,
            dst: d,
            weight,
            kind: k,
            time,
        });
    }

    /// Adds an edge between node ids already known.
    pub fn add_ids(&mut self, src: u32, dst: u32, weight: f64) {
        self.edges.push(Edge {
            src,
            dst,
            weight,
            kind: 0,
            time: 0,
        });
    }

    /// A list of `n` unnamed nodes (named by their number).
    pub fn with_nodes(n: usize) -> EdgeList {
        let mut l = EdgeList::new();
        l.names = (0..n).map(|i| i.to_string()).collect();
        l.index = l
            .names
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as u32))
            .collect();
        l.kinds.push(String::new());
        l
    }

    /// The graph of the edges that pass `filter`; every node of the list is a node of it.
    pub fn graph(&self, directed: bool, filter: &Filter) -> Graph {
        let kinds: Vec<u16> = filter
            .kinds
            .iter()
            .filter_map(|k| self.kinds.iter().position(|x| x == k).map(|p| p as u16))
            .collect();
        let keep = |e: &Edge| {
            (filter.kinds.is_empty() || kinds.contains(&e.kind))
                && filter.from.is_none_or(|f| e.time >= f)
                && filter.to.is_none_or(|t| e.time < t)
        };
        Graph::from_edges(
            self.names.len(),
            self.edges
                .iter()
                .filter(|e| keep(e))
                .map(|e| (e.src, e.dst, e.weight)),
            directed,
        )
        .with_names(self.names.clone())
    }
}

/// Adjacency of one direction: `nbr[off[v]..off[v + 1]]` are the neighbours of `v`, sorted.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    pub off: Vec<usize>,
    pub nbr: Vec<u32>,
    /// Weights parallel to `nbr`; `None` when every weight is 1.
    pub w: Option<Vec<f64>>,
}

impl Csr {
    #[inline]
    pub fn neighbours(&self, v: u32) -> &[u32] {
        &self.nbr[self.off[v as usize]..self.off[v as usize + 1]]
    }

    #[inline]
    pub fn weights(&self, v: u32) -> Option<&[f64]> {
        self.w
            .as_ref()
            .map(|w| &w[self.off[v as usize]..self.off[v as usize + 1]])
    }

    #[inline]
    pub fn degree(&self, v: u32) -> usize {
        self.off[v as usize + 1] - self.off[v as usize]
    }

    /// The summed weight of `v`'s edges.
    pub fn strength(&self, v: u32) -> f64 {
        match self.weights(v) {
            Some(w) => w.iter().sum(),
            None => self.degree(v) as f64,
        }
    }

    /// Builds rows from (row, column, weight) triples by counting sort; parallel entries are
    /// merged by adding their weights.
    fn build(n: usize, triples: &[(u32, u32, f64)], weighted: bool) -> Csr {
        let mut count = vec![0usize; n + 1];
        for (s, _, _) in triples {
            count[*s as usize + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut pos = count.clone();
        let mut cols = vec![0u32; triples.len()];
        let mut ws = if weighted {
            vec![0f64; triples.len()]
        } else {
            Vec::new()
        };
        for (s, d, w) in triples {
            let p = &mut pos[*s as usize];
            cols[*p] = *d;
            if weighted {
                ws[*p] = *w;
            }
            *p += 1;
        }
        // sort each row and merge duplicates
        let mut off = vec![0usize; n + 1];
        let mut nbr = Vec::with_capacity(cols.len());
        let mut wout = Vec::with_capacity(if weighted { cols.len() } else { 0 });
        let mut row: Vec<(u32, f64)> = Vec::new();
        for v in 0..n {
            let (a, b) = (count[v], count[v + 1]);
            row.clear();
            row.extend((a..b).map(|i| (cols[i], if weighted { ws[i] } else { 1.0 })));
            row.sort_unstable_by_key(|x| x.0);
            let mut last: Option<u32> = None;
            for (c, w) in &row {
                if last == Some(*c) {
                    if weighted {
                        *wout.last_mut().expect("a weight was pushed") += *w;
                    }
                    continue;
                }
                nbr.push(*c);
                if weighted {
                    wout.push(*w);
                }
                last = Some(*c);
            }
            off[v + 1] = nbr.len();
        }
        Csr {
            off,
            nbr,
            w: weighted.then_some(wout),
        }
    }
}

/// A graph on nodes `0..n`. An undirected graph keeps each edge in both rows, and its `inc`
/// is its `out`.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub directed: bool,
    pub out: Csr,
    /// In-edges of a directed graph (empty for an undirected one: use [`Graph::inc`]).
    in_: Csr,
    pub names: Vec<String>,
}

impl Graph {
    /// Builds a graph from (source, target, weight) edges over `n` nodes. Self-loops are
    /// dropped; repeated edges are merged with their weights added. The graph is weighted
    /// when some weight is not 1.
    pub fn from_edges(
        n: usize,
        edges: impl IntoIterator<Item = (u32, u32, f64)>,
        directed: bool,
    ) -> Graph {
        let mut triples: Vec<(u32, u32, f64)> = Vec::new();
        let mut weighted = false;
        for (s, d, w) in edges {
            if s == d || s as usize >= n || d as usize >= n {
                continue;
            }
            weighted |= w != 1.0;
            triples.push((s, d, w));
            if !directed {
                triples.push((d, s, w));
            }
        }
        let out = Csr::build(n, &triples, weighted);
        let in_ = if directed {
            for t in &mut triples {
                *t = (t.1, t.0, t.2);
            }
            Csr::build(n, &triples, weighted)
        } else {
            Csr::default()
        };
        Graph {
            directed,
            out,
            in_,
            names: (0..n).map(|i| i.to_string()).collect(),
        }
    }

    pub fn with_names(mut self, names: Vec<String>) -> Graph {
        if names.len() == self.n() {
            self.names = names;
        }
        self
    }

    pub fn n(&self) -> usize {
        self.out.off.len().saturating_sub(1)
    }

    /// Edges, each undirected edge counted once.
    pub fn m(&self) -> usize {
        if self.directed {
            self.out.nbr.len()
        } else {
            self.out.nbr.len() / 2
        }
    }

    pub fn weighted(&self) -> bool {
        self.out.w.is_some()
    }

    /// In-edges: the reverse rows of a directed graph, the rows of an undirected one.
    pub fn inc(&self) -> &Csr {
        if self.directed { &self.in_ } else { &self.out }
    }

    /// The undirected graph with the same edges (weights of both directions added).
    pub fn to_undirected(&self) -> Graph {
        if !self.directed {
            return self.clone();
        }
        let n = self.n();
        let mut edges = Vec::with_capacity(self.out.nbr.len());
        for v in 0..n as u32 {
            let ws = self.out.weights(v);
            for (k, u) in self.out.neighbours(v).iter().enumerate() {
                edges.push((v, *u, ws.map_or(1.0, |w| w[k])));
            }
        }
        let mut g = Graph::from_edges(n, edges, false);
        g.names = self.names.clone();
        g
    }

    /// The graph without the given nodes (they stay, isolated, so ids keep their meaning).
    pub fn without(&self, removed: &[bool]) -> Graph {
        let n = self.n();
        let mut edges = Vec::new();
        for v in 0..n as u32 {
            if removed[v as usize] {
                continue;
            }
            let ws = self.out.weights(v);
            for (k, u) in self.out.neighbours(v).iter().enumerate() {
                if removed[*u as usize] || (!self.directed && *u < v) {
                    continue;
                }
                edges.push((v, *u, ws.map_or(1.0, |w| w[k])));
            }
        }
        let mut g = Graph::from_edges(n, edges, self.directed);
        g.names = self.names.clone();
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_rows_merging_repeats_and_dropping_loops() {
        let g = Graph::from_edges(
            4,
            [(0, 1, 1.0), (1, 0, 1.0), (1, 2, 2.0), (2, 2, 1.0)],
            false,
        );
        assert_eq!(g.out.neighbours(0), &[1]);
        assert_eq!(g.out.neighbours(1), &[0, 2]);
        assert_eq!(g.out.weights(1), Some(&[2.0, 2.0][..]));
        assert_eq!(g.m(), 2);
        let d = Graph::from_edges(3, [(0, 1, 1.0), (2, 1, 1.0)], true);
        assert_eq!(d.inc().neighbours(1), &[0, 2]);
        assert_eq!(d.out.neighbours(1), &[] as &[u32]);
    }
}
