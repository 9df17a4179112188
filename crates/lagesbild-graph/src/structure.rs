//! Structure: weakly and strongly connected components, core numbers, articulation points and
//! bridges (the brokers whose removal cuts a network apart).

use crate::graph::Graph;

/// A component label per node (0, 1, … by first node) and the number of components.
#[derive(Debug, Clone)]
pub struct Components {
    pub label: Vec<u32>,
    pub count: usize,
}

impl Components {
    /// Component sizes, indexed by label.
    pub fn sizes(&self) -> Vec<usize> {
        let mut s = vec![0; self.count];
        for l in &self.label {
            s[*l as usize] += 1;
        }
        s
    }

    pub fn largest(&self) -> usize {
        self.sizes().into_iter().max().unwrap_or(0)
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Weakly connected components (edge direction ignored), by union–find.
pub fn weak_components(g: &Graph) -> Components {
    let n = g.n();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for v in 0..n as u32 {
        for &u in g.out.neighbours(v) {
            let (a, b) = (find(&mut parent, v), find(&mut parent, u));
            if a != b {
                // the smaller root wins, so labels follow the first node
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                parent[hi as usize] = lo;
            }
        }
    }
    relabel(n, |v| find(&mut parent, v))
}

/// Labels 0, 1, … in order of each component's first node.
fn relabel(n: usize, mut root: impl FnMut(u32) -> u32) -> Components {
    let mut map = vec![u32::MAX; n];
    let mut label = vec![0u32; n];
    let mut count = 0u32;
    for v in 0..n as u32 {
        let r = root(v) as usize;
        if map[r] == u32::MAX {
            map[r] = count;
            count += 1;
        }
        label[v as usize] = map[r];
    }
    Components {
        label,
        count: count as usize,
    }
}

/// Strongly connected components of a directed graph (Tarjan, without recursion); the weak
/// components of an undirected one.
pub fn strong_components(g: &Graph) -> Components {
    if !g.directed {
        return weak_components(g);
    }
    let n = g.n();
    const NONE: u32 = u32::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut comp = vec![NONE; n];
    let mut next_index = 0u32;
    let mut count = 0u32;
    // call stack of (node, next neighbour position)
    let mut calls: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        calls.push((root, 0));
        while let Some(&mut (v, ref mut pos)) = calls.last_mut() {
            if *pos == 0 && index[v as usize] == NONE {
                index[v as usize] = next_index;
                low[v as usize] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v as usize] = true;
            }
            let nb = g.out.neighbours(v);
            if *pos < nb.len() {
                let w = nb[*pos];
                *pos += 1;
                if index[w as usize] == NONE {
                    calls.push((w, 0));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    // component numbers are below n, so they serve as representatives
    relabel(n, |v| comp[v as usize])
}

/// Core numbers (Batagelj–Zaversnik, O(m)); the degree of a directed graph is in + out, as in
/// networkx.
pub fn core_numbers(g: &Graph) -> Vec<u32> {
    let u = g.to_undirected();
    let n = u.n();
    let mut deg: Vec<usize> = (0..n as u32).map(|v| u.out.degree(v)).collect();
    let maxd = deg.iter().copied().max().unwrap_or(0);
    let mut bin = vec![0usize; maxd + 2];
    for d in &deg {
        bin[*d] += 1;
    }
    let mut start = 0;
    for b in bin.iter_mut() {
        let c = *b;
        *b = start;
        start += c;
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0u32; n];
    for v in 0..n {
        pos[v] = bin[deg[v]];
        vert[pos[v]] = v as u32;
        bin[deg[v]] += 1;
    }
    for d in (1..=maxd + 1).rev() {
        bin[d] = bin[d - 1];
    }
    if !bin.is_empty() {
        bin[0] = 0;
    }
    for i in 0..n {
        let v = vert[i];
        for &w in u.out.neighbours(v) {
            let (w, dv) = (w as usize, deg[v as usize]);
            if deg[w] > dv {
                let dw = deg[w];
                let pw = pos[w];
                let pu = bin[dw];
                let uu = vert[pu] as usize;
                if uu != w {
                    pos[w] = pu;
                    vert[pu] = w as u32;
                    pos[uu] = pw;
                    vert[pw] = uu as u32;
                }
                bin[dw] += 1;
                deg[w] -= 1;
            }
        }
    }
    deg.into_iter().map(|d| d as u32).collect()
}

/// Articulation points (nodes whose removal disconnects their component) and bridges (edges
/// whose removal does), of the undirected graph; bridges as (lower id, higher id), sorted.
pub fn cut_points(g: &Graph) -> (Vec<u32>, Vec<(u32, u32)>) {
    let u = g.to_undirected();
    let n = u.n();
    const NONE: u32 = u32::MAX;
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut is_cut = vec![false; n];
    let mut bridges = Vec::new();
    let mut time = 0u32;
    // (node, parent, next neighbour position, children)
    let mut calls: Vec<(u32, u32, usize, u32)> = Vec::new();
    for root in 0..n as u32 {
        if disc[root as usize] != NONE {
            continue;
        }
        disc[root as usize] = time;
        low[root as usize] = time;
        time += 1;
        calls.push((root, NONE, 0, 0));
        while let Some(top) = calls.last_mut() {
            let (v, parent) = (top.0, top.1);
            let nb = u.out.neighbours(v);
            if top.2 < nb.len() {
                let w = nb[top.2];
                top.2 += 1;
                if disc[w as usize] == NONE {
                    top.3 += 1;
                    disc[w as usize] = time;
                    low[w as usize] = time;
                    time += 1;
                    calls.push((w, v, 0, 0));
                } else if w != parent {
                    low[v as usize] = low[v as usize].min(disc[w as usize]);
                }
                continue;
            }
            let (_, _, _, children) = calls.pop().expect("the top was just read");
            if parent == NONE {
                if children > 1 {
                    is_cut[v as usize] = true;
                }
                continue;
            }
            let p = parent as usize;
            low[p] = low[p].min(low[v as usize]);
            if low[v as usize] > disc[p] {
                bridges.push((parent.min(v), parent.max(v)));
            }
            let p_is_root = calls.last().is_some_and(|t| t.1 == NONE && t.0 == parent);
            if !p_is_root && low[v as usize] >= disc[p] {
                is_cut[p] = true;
            }
        }
    }
    bridges.sort_unstable();
    let cuts = (0..n as u32).filter(|v| is_cut[*v as usize]).collect();
    (cuts, bridges)
}
