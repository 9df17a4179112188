//! Clustering matched pairs into entities: connected components over the pairs above the
//! threshold, with two guards against chaining.
//!
//! First, **cannot-link**: pairs that were compared and conflict (different first names,
//! birth dates or personnummer; see `compare::conflict`) are never put in one cluster. Edges
//! are taken strongest first (strong before weak, then by match weight, then by record
//! indices) and an edge that would join two groups holding a conflicting pair is skipped — so
//! `Karl Eriksson` cannot end up with his twin `Viktor` through a chain of plausible pairs.
//!
//! Second, a *weak* edge (above the threshold but below the strong threshold, and not a
//! deterministic key) that is a **bridge** of its component — the only path between two parts —
//! and has at least two records on each side is cut. One doubtful pair cannot then join two
//! groups that are each well established; a lone record still joins a group through a single
//! weak pair (that is an ordinary uncertain match, shown as such). Bridges and the sizes of
//! their sides depend only on the set of edges, never on their order, so the clusters are the
//! same whatever order the pairs come in.

/// An edge between two records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    /// Above the strong threshold or a deterministic key.
    pub strong: bool,
    /// The match weight: stronger edges are taken first.
    pub weight: f32,
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        // the smaller root wins, so roots do not depend on the order of unions
        if ra < rb {
            self.parent[rb as usize] = ra;
        } else if rb < ra {
            self.parent[ra as usize] = rb;
        }
    }
}

/// The cluster of every record (the smallest record index in it) and the number of edges the
/// guards left out (skipped for a conflict, or cut as weak bridges).
pub fn cluster(n: usize, edges: &[Edge], conflicts: &[(u32, u32)]) -> (Vec<u32>, usize) {
    // one edge per pair, the strongest copy
    let mut all: Vec<Edge> = edges
        .iter()
        .filter(|e| e.a != e.b)
        .map(|e| Edge {
            a: e.a.min(e.b),
            b: e.a.max(e.b),
            ..*e
        })
        .collect();
    all.sort_unstable_by(|x, y| {
        (x.a, x.b)
            .cmp(&(y.a, y.b))
            .then(y.strong.cmp(&x.strong))
            .then(y.weight.total_cmp(&x.weight))
    });
    all.dedup_by(|later, first| later.a == first.a && later.b == first.b);
    // strongest first
    all.sort_unstable_by(|x, y| {
        y.strong
            .cmp(&x.strong)
            .then(y.weight.total_cmp(&x.weight))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });

    // cannot-link: conflict partners per record
    let mut cdeg = vec![0u32; n + 1];
    for &(a, b) in conflicts {
        cdeg[a as usize + 1] += 1;
        cdeg[b as usize + 1] += 1;
    }
    for i in 0..n {
        cdeg[i + 1] += cdeg[i];
    }
    let mut cfill = cdeg.clone();
    let mut cadj = vec![0u32; cdeg[n] as usize];
    for &(a, b) in conflicts {
        cadj[cfill[a as usize] as usize] = b;
        cfill[a as usize] += 1;
        cadj[cfill[b as usize] as usize] = a;
        cfill[b as usize] += 1;
    }
    let mut uf = UnionFind::new(n);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut skipped = 0usize;
    let mut e: Vec<(u32, u32, bool)> = Vec::with_capacity(all.len());
    for edge in &all {
        let (ra, rb) = (uf.find(edge.a), uf.find(edge.b));
        if ra == rb {
            e.push((edge.a, edge.b, edge.strong));
            continue;
        }
        let list = |r: u32, m: &Vec<Vec<u32>>| -> Vec<u32> {
            if m[r as usize].is_empty() {
                vec![r]
            } else {
                m[r as usize].clone()
            }
        };
        let (ma, mb) = (list(ra, &members), list(rb, &members));
        let (small, other) = if ma.len() <= mb.len() {
            (&ma, rb)
        } else {
            (&mb, ra)
        };
        let blocked = small.iter().any(|x| {
            cadj[cdeg[*x as usize] as usize..cdeg[*x as usize + 1] as usize]
                .iter()
                .any(|y| uf.find(*y) == other)
        });
        if blocked {
            skipped += 1;
            continue;
        }
        uf.union(ra, rb);
        let root = uf.find(ra);
        let mut merged = ma;
        merged.extend(mb);
        members[ra as usize] = Vec::new();
        members[rb as usize] = Vec::new();
        members[root as usize] = merged;
        e.push((edge.a, edge.b, edge.strong));
    }
    e.sort_unstable();
    let cut = weak_bridges(n, &e, &mut uf);
    let mut uf = UnionFind::new(n);
    for (i, &(a, b, _)) in e.iter().enumerate() {
        if !cut[i] {
            uf.union(a, b);
        }
    }
    let clusters = (0..n as u32).map(|i| uf.find(i)).collect();
    (clusters, skipped + cut.iter().filter(|c| **c).count())
}

/// Marks the weak bridges with at least two records on each side.
fn weak_bridges(n: usize, e: &[(u32, u32, bool)], uf: &mut UnionFind) -> Vec<bool> {
    let mut cut = vec![false; e.len()];
    if !e.iter().any(|x| !x.2) {
        return cut;
    }
    // component sizes
    let mut size = vec![0u32; n];
    for i in 0..n as u32 {
        size[uf.find(i) as usize] += 1;
    }
    // adjacency (CSR) of the records that have edges
    let mut deg = vec![0u32; n + 1];
    for &(a, b, _) in e {
        deg[a as usize + 1] += 1;
        deg[b as usize + 1] += 1;
    }
    for i in 0..n {
        deg[i + 1] += deg[i];
    }
    let mut fill = deg.clone();
    let mut adj = vec![(0u32, 0u32); deg[n] as usize];
    for (id, &(a, b, _)) in e.iter().enumerate() {
        adj[fill[a as usize] as usize] = (b, id as u32);
        fill[a as usize] += 1;
        adj[fill[b as usize] as usize] = (a, id as u32);
        fill[b as usize] += 1;
    }
    // iterative DFS with low-links and subtree sizes, only in components with a weak edge
    let mut weak_comp = vec![false; n];
    for &(a, _, strong) in e {
        if !strong {
            let r = uf.find(a);
            weak_comp[r as usize] = true;
        }
    }
    const NONE: u32 = u32::MAX;
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut sub = vec![1u32; n];
    let mut time = 0u32;
    // stack of (node, parent edge, next adjacency position)
    let mut stack: Vec<(u32, u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if disc[root as usize] != NONE
            || deg[root as usize] == deg[root as usize + 1]
            || !weak_comp[uf.find(root) as usize]
        {
            continue;
        }
        let comp = size[uf.find(root) as usize];
        disc[root as usize] = time;
        low[root as usize] = time;
        time += 1;
        stack.push((root, NONE, deg[root as usize]));
        while let Some(top) = stack.last_mut() {
            let (v, pe, next) = *top;
            if next < deg[v as usize + 1] {
                top.2 += 1;
                let (w, id) = adj[next as usize];
                if id == pe {
                    continue;
                }
                if disc[w as usize] == NONE {
                    disc[w as usize] = time;
                    low[w as usize] = time;
                    time += 1;
                    stack.push((w, id, deg[w as usize]));
                } else {
                    low[v as usize] = low[v as usize].min(disc[w as usize]);
                }
            } else {
                stack.pop();
                if let Some(&(p, _, _)) = stack.last() {
                    low[p as usize] = low[p as usize].min(low[v as usize]);
                    sub[p as usize] += sub[v as usize];
                    let below = sub[v as usize];
                    if low[v as usize] > disc[p as usize]
                        && !e[pe as usize].2
                        && below >= 2
                        && comp - below >= 2
                    {
                        cut[pe as usize] = true;
                    }
                }
            }
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: u32, b: u32, strong: bool) -> Edge {
        Edge {
            a,
            b,
            strong,
            weight: if strong { 20.0 } else { 5.0 },
        }
    }

    #[test]
    fn conflicting_records_never_share_a_cluster() {
        // 0-1 and 1-2 match, but 0 and 2 conflict: the weaker edge is left out
        let mut weak = edge(1, 2, false);
        weak.weight = 4.0;
        let (c, skipped) = cluster(3, &[edge(0, 1, false), weak], &[(0, 2)]);
        assert_eq!(c, vec![0, 0, 2]);
        assert_eq!(skipped, 1);
    }

    #[test]
    fn a_weak_bridge_between_two_groups_is_cut() {
        // 0=1 strong, 2=3 strong, 1-2 weak
        let (c, cut) = cluster(
            4,
            &[edge(0, 1, true), edge(2, 3, true), edge(1, 2, false)],
            &[],
        );
        assert_eq!(c, vec![0, 0, 2, 2]);
        assert_eq!(cut, 1);
        // the same bridge, strong, joins them
        let (c, _) = cluster(
            4,
            &[edge(0, 1, true), edge(2, 3, true), edge(1, 2, true)],
            &[],
        );
        assert_eq!(c, vec![0, 0, 0, 0]);
    }

    #[test]
    fn a_lone_record_joins_through_a_weak_pair_and_cycles_hold() {
        let (c, _) = cluster(3, &[edge(0, 1, true), edge(1, 2, false)], &[]);
        assert_eq!(c, vec![0, 0, 0]);
        // a weak edge inside a cycle is not a bridge
        let (c, cut) = cluster(
            4,
            &[
                edge(0, 1, true),
                edge(2, 3, true),
                edge(1, 2, false),
                edge(0, 3, false),
            ],
            &[],
        );
        assert_eq!(c, vec![0, 0, 0, 0]);
        assert_eq!(cut, 0);
    }
}
