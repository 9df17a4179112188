//! Small-cell suppression of a two-way table of counts (areas × periods, say) published with
//! its row, column and grand totals, as partners see aggregates.
//!
//! Primary suppression hides every count below `k` but above zero (a zero reveals no one), and
//! every total below `k` but above zero. Complementary suppression then hides further counts
//! until no hidden value can be recomputed from what is published: the published counts and
//! totals give linear equations in the hidden values (each row sums to its total, each column
//! to its total, the totals to the grand total), and a hidden value is safe only when it is not
//! determined by them. Complementary cells are chosen non-zero and as small as possible, so
//! that a hidden value always has a range of at least one on either side.

/// A table after suppression: `None` where a value is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub cells: Vec<Vec<Option<u64>>>,
    pub row_totals: Vec<Option<u64>>,
    pub col_totals: Vec<Option<u64>>,
    /// Hidden, with everything else, when the whole table counts fewer than `k`.
    pub grand_total: Option<u64>,
    /// Cells hidden because they were small.
    pub primary: usize,
    /// Cells and totals hidden so that the small ones cannot be recomputed.
    pub complementary: usize,
}

/// The unknowns of the system: cells by (row, column), then row totals, then column totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Cell(usize, usize),
    Row(usize),
    Col(usize),
}

struct Table<'a> {
    v: &'a [Vec<u64>],
    rows: usize,
    cols: usize,
}

impl Table<'_> {
    fn value(&self, s: Slot) -> u64 {
        match s {
            Slot::Cell(r, c) => self.v[r][c],
            Slot::Row(r) => self.v[r].iter().sum(),
            Slot::Col(c) => self.v.iter().map(|row| row[c]).sum(),
        }
    }

    fn index(&self, s: Slot) -> usize {
        match s {
            Slot::Cell(r, c) => r * self.cols + c,
            Slot::Row(r) => self.rows * self.cols + r,
            Slot::Col(c) => self.rows * self.cols + self.rows + c,
        }
    }

    fn slots(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        for r in 0..self.rows {
            for c in 0..self.cols {
                out.push(Slot::Cell(r, c));
            }
        }
        out.extend((0..self.rows).map(Slot::Row));
        out.extend((0..self.cols).map(Slot::Col));
        out
    }

    /// The equations over all slots as coefficient rows (the grand total is published).
    fn equations(&self) -> Vec<Vec<(Slot, f64)>> {
        let mut eqs = Vec::new();
        for r in 0..self.rows {
            let mut e: Vec<(Slot, f64)> = (0..self.cols).map(|c| (Slot::Cell(r, c), 1.0)).collect();
            e.push((Slot::Row(r), -1.0));
            eqs.push(e);
        }
        for c in 0..self.cols {
            let mut e: Vec<(Slot, f64)> = (0..self.rows).map(|r| (Slot::Cell(r, c), 1.0)).collect();
            e.push((Slot::Col(c), -1.0));
            eqs.push(e);
        }
        // the totals add up to the published grand total
        eqs.push((0..self.rows).map(|r| (Slot::Row(r), 1.0)).collect());
        eqs.push((0..self.cols).map(|c| (Slot::Col(c), 1.0)).collect());
        eqs
    }
}

/// The hidden slots whose values the published ones determine.
fn determined(t: &Table<'_>, hidden: &[bool]) -> Vec<Slot> {
    let unknowns: Vec<Slot> = t
        .slots()
        .into_iter()
        .filter(|s| hidden[t.index(*s)])
        .collect();
    if unknowns.is_empty() {
        return Vec::new();
    }
    let col_of = |s: Slot| unknowns.iter().position(|u| *u == s);
    // the equations restricted to the unknowns (published values only move the constants)
    let mut m: Vec<Vec<f64>> = t
        .equations()
        .into_iter()
        .map(|e| {
            let mut row = vec![0.0; unknowns.len()];
            for (s, a) in e {
                if let Some(j) = col_of(s) {
                    row[j] += a;
                }
            }
            row
        })
        .filter(|row| row.iter().any(|a| *a != 0.0))
        .collect();
    let rref = reduce(&mut m);
    // an unknown is determined when its unit vector lies in the row space: after reduction,
    // a pivot row with no other non-zero entry
    let mut out = Vec::new();
    for (i, pivot) in rref.iter().enumerate() {
        if let Some(j) = pivot
            && m[i]
                .iter()
                .enumerate()
                .all(|(k, a)| k == *j || a.abs() < 1e-9)
        {
            out.push(unknowns[*j]);
        }
    }
    out
}

/// Reduced row echelon form in place; the pivot column of each row.
fn reduce(m: &mut [Vec<f64>]) -> Vec<Option<usize>> {
    let rows = m.len();
    let cols = m.first().map_or(0, Vec::len);
    let mut pivots = vec![None; rows];
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..rows).max_by(|a, b| m[*a][c].abs().total_cmp(&m[*b][c].abs())) else {
            break;
        };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(r, p);
        let lead = m[r][c];
        for x in &mut m[r] {
            *x /= lead;
        }
        let pivot_row = m[r].clone();
        for (i, row) in m.iter_mut().enumerate() {
            if i != r && row[c].abs() > 1e-12 {
                let f = row[c];
                for (x, p) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * p;
                }
            }
        }
        pivots[r] = Some(c);
        r += 1;
        if r == rows {
            break;
        }
    }
    pivots
}

/// Suppresses the table `cells` (rows of equal length) for threshold `k`.
pub fn suppress(cells: &[Vec<u64>], k: u64) -> Suppressed {
    let rows = cells.len();
    let cols = cells.first().map_or(0, Vec::len);
    assert!(
        cells.iter().all(|r| r.len() == cols),
        "rows of equal length"
    );
    let t = Table {
        v: cells,
        rows,
        cols,
    };
    let slots = t.slots();
    let grand: u64 = cells.iter().flatten().sum();
    if grand > 0 && grand < k {
        // the whole table is a small count: nothing can be shown
        let cells_hidden = cells.iter().flatten().filter(|v| **v > 0).count();
        return Suppressed {
            cells: vec![vec![None; cols]; rows],
            row_totals: vec![None; rows],
            col_totals: vec![None; cols],
            grand_total: None,
            primary: cells_hidden,
            complementary: rows * cols - cells_hidden,
        };
    }
    let mut hidden = vec![false; slots.len()];
    let small = |v: u64| v > 0 && v < k;
    let mut primary = 0;
    for s in &slots {
        if small(t.value(*s)) {
            hidden[t.index(*s)] = true;
            if matches!(s, Slot::Cell(..)) {
                primary += 1;
            }
        }
    }
    let first_hidden = hidden.iter().filter(|h| **h).count();
    // complementary suppression: while a hidden value is determined, hide the smallest
    // non-zero published value that shares an equation with it
    loop {
        let det = determined(&t, &hidden);
        let Some(&d) = det.first() else { break };
        let candidates: Vec<Slot> = match d {
            Slot::Cell(r, c) => (0..cols)
                .map(|j| Slot::Cell(r, j))
                .chain((0..rows).map(|i| Slot::Cell(i, c)))
                .collect(),
            Slot::Row(_) => (0..rows).map(Slot::Row).collect(),
            Slot::Col(_) => (0..cols).map(Slot::Col).collect(),
        };
        let pick = candidates
            .into_iter()
            .filter(|s| !hidden[t.index(*s)] && t.value(*s) > 0)
            .min_by_key(|s| t.value(*s))
            .or_else(|| {
                // nothing left in its lines: any published non-zero value
                slots
                    .iter()
                    .copied()
                    .filter(|s| !hidden[t.index(*s)] && t.value(*s) > 0)
                    .min_by_key(|s| t.value(*s))
            });
        match pick {
            Some(s) => hidden[t.index(s)] = true,
            // everything non-zero is hidden: what remains determined is a zero or a total the
            // grand total gives away; hide the grand total's parts entirely
            None => break,
        }
    }
    let shown = |s: Slot| (!hidden[t.index(s)]).then(|| t.value(s));
    Suppressed {
        cells: (0..rows)
            .map(|r| (0..cols).map(|c| shown(Slot::Cell(r, c))).collect())
            .collect(),
        row_totals: (0..rows).map(|r| shown(Slot::Row(r))).collect(),
        col_totals: (0..cols).map(|c| shown(Slot::Col(c))).collect(),
        grand_total: Some(grand),
        primary,
        complementary: hidden.iter().filter(|h| **h).count() - first_hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_small_cell_takes_three_more_with_it() {
        let t = vec![vec![10, 2, 30], vec![20, 15, 25], vec![40, 35, 50]];
        let s = suppress(&t, 5);
        assert_eq!(s.cells[0][1], None);
        assert_eq!(s.primary, 1);
        // a rectangle of four hidden cells at least
        let hidden = s.cells.iter().flatten().filter(|c| c.is_none()).count();
        assert!(hidden >= 4, "{s:?}");
        assert_eq!(s.row_totals, vec![Some(42), Some(60), Some(125)]);
    }

    #[test]
    fn a_small_table_is_hidden_whole() {
        let s = suppress(&[vec![1, 0], vec![2, 1]], 5);
        assert_eq!(s.grand_total, None);
        assert!(s.cells.iter().flatten().all(Option::is_none));
        assert!(
            s.row_totals
                .iter()
                .chain(&s.col_totals)
                .all(Option::is_none)
        );
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let t = vec![vec![10, 0], vec![7, 9]];
        let s = suppress(&t, 5);
        assert_eq!((s.primary, s.complementary), (0, 0));
        assert_eq!(s.cells[0][1], Some(0));
    }
}
