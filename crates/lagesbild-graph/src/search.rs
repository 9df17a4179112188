//! Single-source searches on CSR rows: breadth-first for hop counts, Dijkstra for weights as
//! lengths; with the number of shortest paths for Brandes. A workspace is reused between
//! searches: a stamp per node marks what the current search has seen, so nothing is cleared.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::graph::Csr;

/// Buffers of one search, reused for the next.
#[derive(Debug, Clone)]
pub struct Workspace {
    dist: Vec<f64>,
    /// Shortest paths from the source, after [`Workspace::distances_counted`].
    pub sigma: Vec<f64>,
    /// The nodes reached, in order of non-decreasing distance.
    pub order: Vec<u32>,
    stamp: Vec<u32>,
    done: Vec<u32>,
    cur: u32,
    queue: std::collections::VecDeque<u32>,
    heap: BinaryHeap<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Item(f64, u32);

impl Eq for Item {}

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Item {
    // smallest distance first
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

impl Workspace {
    pub fn new(n: usize) -> Workspace {
        Workspace {
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            order: Vec::with_capacity(n),
            stamp: vec![0; n],
            done: vec![0; n],
            cur: 0,
            queue: std::collections::VecDeque::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn start(&mut self) {
        self.cur = self.cur.wrapping_add(1);
        if self.cur == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.done.iter_mut().for_each(|s| *s = 0);
            self.cur = 1;
        }
        self.order.clear();
    }

    /// Whether the last search reached `v`.
    #[inline]
    pub fn seen(&self, v: u32) -> bool {
        self.stamp[v as usize] == self.cur
    }

    /// The distance of `v` in the last search, infinite when not reached.
    #[inline]
    pub fn d(&self, v: u32) -> f64 {
        if self.seen(v) {
            self.dist[v as usize]
        } else {
            f64::INFINITY
        }
    }

    #[inline]
    fn mark(&mut self, v: u32, d: f64) {
        self.stamp[v as usize] = self.cur;
        self.dist[v as usize] = d;
    }

    /// Distances from `s` along `adj` (hops, or weights as lengths when `weighted`).
    pub fn distances(&mut self, adj: &Csr, s: u32, weighted: bool) {
        self.search(adj, s, weighted, false);
    }

    /// Distances and numbers of shortest paths from `s`.
    pub fn distances_counted(&mut self, adj: &Csr, s: u32, weighted: bool) {
        self.search(adj, s, weighted, true);
    }

    fn search(&mut self, adj: &Csr, s: u32, weighted: bool, count: bool) {
        self.start();
        self.mark(s, 0.0);
        if count {
            self.sigma[s as usize] = 1.0;
        }
        if !weighted || adj.w.is_none() {
            self.queue.clear();
            self.queue.push_back(s);
            while let Some(v) = self.queue.pop_front() {
                self.order.push(v);
                let dv = self.dist[v as usize];
                for &w in adj.neighbours(v) {
                    if !self.seen(w) {
                        self.mark(w, dv + 1.0);
                        if count {
                            self.sigma[w as usize] = 0.0;
                        }
                        self.queue.push_back(w);
                    }
                    if count && self.dist[w as usize] == dv + 1.0 {
                        self.sigma[w as usize] += self.sigma[v as usize];
                    }
                }
            }
            return;
        }
        // Dijkstra with lazy deletion; `done` stamps the settled nodes
        self.heap.clear();
        self.heap.push(Item(0.0, s));
        while let Some(Item(dv, v)) = self.heap.pop() {
            if self.done[v as usize] == self.cur || dv > self.dist[v as usize] {
                continue;
            }
            self.done[v as usize] = self.cur;
            self.order.push(v);
            let ws = adj.weights(v).expect("a weighted graph has weights");
            for (k, &w) in adj.neighbours(v).iter().enumerate() {
                if self.done[w as usize] == self.cur {
                    continue;
                }
                let alt = dv + ws[k];
                let tie = 1e-12 * alt.abs().max(1.0);
                if !self.seen(w) || alt < self.dist[w as usize] - tie {
                    self.mark(w, alt);
                    if count {
                        self.sigma[w as usize] = self.sigma[v as usize];
                    }
                    self.heap.push(Item(alt, w));
                } else if count && (alt - self.dist[w as usize]).abs() <= tie {
                    self.sigma[w as usize] += self.sigma[v as usize];
                }
            }
        }
    }
}
