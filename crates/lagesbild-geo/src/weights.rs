//! Binary spatial weights as neighbour lists in compressed rows: row `i` lists the cells that
//! are neighbours of cell `i`, the cell itself included (Gi*'s "star"). Built from H3 k-rings
//! (or blocks of squares), from a distance band between cell centres, or from explicit lists.

use rayon::prelude::*;

use crate::Binned;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    /// Row `i` is `neighbours[offsets[i]..offsets[i + 1]]`.
    pub offsets: Vec<u32>,
    pub neighbours: Vec<u32>,
}

impl Weights {
    pub fn n(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn row(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn from_rows(rows: Vec<Vec<u32>>) -> Weights {
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0u32);
        let mut neighbours = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for r in rows {
            neighbours.extend_from_slice(&r);
            offsets.push(neighbours.len() as u32);
        }
        Weights {
            offsets,
            neighbours,
        }
    }

    /// From neighbour lists (without the cell itself, as libpysal writes them); each row gets
    /// the cell itself, sorted and without duplicates.
    pub fn from_lists(lists: &[Vec<u32>]) -> Weights {
        Weights::from_rows(
            lists
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut r = l.clone();
                    r.push(i as u32);
                    r.sort_unstable();
                    r.dedup();
                    r
                })
                .collect(),
        )
    }

    /// Every cell within `k` steps on the lattice (H3 grid disk; for squares the (2k+1)² block),
    /// among the binned cells.
    pub fn k_ring(binned: &Binned, k: u32) -> Weights {
        let rows = binned
            .cells
            .par_iter()
            .map(|&c| {
                let mut r: Vec<u32> = binned
                    .lattice
                    .disk(c, k)
                    .into_iter()
                    .filter_map(|d| binned.index(d))
                    .collect();
                r.sort_unstable();
                r.dedup();
                r
            })
            .collect();
        Weights::from_rows(rows)
    }

    /// Every cell whose centre lies within `d` metres of the cell's centre (SWEREF 99 TM).
    pub fn distance_band(centres: &[(f64, f64)], d: f64) -> Weights {
        let d = d.max(f64::MIN_POSITIVE);
        let key = |&(e, n): &(f64, f64)| ((e / d).floor() as i64, (n / d).floor() as i64);
        let mut order: Vec<u32> = (0..centres.len() as u32).collect();
        order.sort_unstable_by_key(|&i| key(&centres[i as usize]));
        let keys: Vec<(i64, i64)> = order.iter().map(|&i| key(&centres[i as usize])).collect();
        let d2 = d * d;
        let rows = centres
            .par_iter()
            .map(|p| {
                let (bx, by) = key(p);
                let mut r = Vec::new();
                for dx in -1..=1 {
                    for dy in -1..=1 {
                        let k = (bx + dx, by + dy);
                        let start = keys.partition_point(|x| *x < k);
                        for (pos, kk) in keys[start..].iter().enumerate() {
                            if *kk != k {
                                break;
                            }
                            let j = order[start + pos];
                            let q = centres[j as usize];
                            if (q.0 - p.0).powi(2) + (q.1 - p.1).powi(2) <= d2 {
                                r.push(j);
                            }
                        }
                    }
                }
                r.sort_unstable();
                r
            })
            .collect();
        Weights::from_rows(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_band_includes_self_and_is_symmetric() {
        let c = [(0.0, 0.0), (100.0, 0.0), (250.0, 0.0), (100.0, 99.0)];
        let w = Weights::distance_band(&c, 150.0);
        assert_eq!(w.row(0), [0, 1, 3]);
        assert_eq!(w.row(1), [0, 1, 2, 3]);
        assert_eq!(w.row(2), [1, 2]);
        assert_eq!(w.row(3), [0, 1, 3]);
        let l = Weights::from_lists(&[vec![1], vec![0, 0]]);
        assert_eq!(l.row(1), [0, 1]);
    }
}
