//! Small-cell suppression against an attacker who solves the linear system: on random tables,
//! every small count is hidden and no hidden count is determined by the published counts and
//! totals. The attacker's solver here is exact (integer elimination), written independently
//! of the suppression code.

use lagesbild_model::suppress::suppress;

/// A small deterministic generator (xorshift), so the test needs no crate and always runs the
/// same tables.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The rank of an integer matrix, by fraction-free elimination in i128.
fn rank(mut m: Vec<Vec<i128>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..m.len()).find(|i| m[*i][c] != 0) else {
            continue;
        };
        m.swap(r, p);
        let pivot = m[r].clone();
        for (i, row) in m.iter_mut().enumerate() {
            if i != r && row[c] != 0 {
                let (a, b) = (pivot[c], row[c]);
                for (x, p) in row.iter_mut().zip(&pivot) {
                    *x = *x * a - p * b;
                }
                let g = row.iter().fold(0i128, |g, x| gcd(g, x.abs()));
                if g > 1 {
                    for x in row.iter_mut() {
                        *x /= g;
                    }
                }
            }
        }
        r += 1;
    }
    r
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The attacker's equations over the hidden values: each row sums to its total, each column to
/// its total, and the row and column totals to the published grand total.
fn equations(rows: usize, cols: usize, unknowns: &[(char, usize, usize)]) -> Vec<Vec<i128>> {
    let at = |u: (char, usize, usize)| unknowns.iter().position(|x| *x == u);
    let mut a: Vec<Vec<i128>> = Vec::new();
    for r in 0..rows {
        let mut e = vec![0i128; unknowns.len()];
        for c in 0..cols {
            if let Some(j) = at(('x', r, c)) {
                e[j] = 1;
            }
        }
        if let Some(j) = at(('r', r, 0)) {
            e[j] = -1;
        }
        a.push(e);
    }
    for c in 0..cols {
        let mut e = vec![0i128; unknowns.len()];
        for r in 0..rows {
            if let Some(j) = at(('x', r, c)) {
                e[j] = 1;
            }
        }
        if let Some(j) = at(('c', 0, c)) {
            e[j] = -1;
        }
        a.push(e);
    }
    let mut rows_sum = vec![0i128; unknowns.len()];
    let mut cols_sum = vec![0i128; unknowns.len()];
    for (j, u) in unknowns.iter().enumerate() {
        match u.0 {
            'r' => rows_sum[j] = 1,
            'c' => cols_sum[j] = 1,
            _ => {}
        }
    }
    a.push(rows_sum);
    a.push(cols_sum);
    a
}

#[test]
fn no_suppressed_value_can_be_recomputed_from_the_published_totals() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let k = 5;
    let mut tables_with_suppression = 0;
    for _ in 0..300 {
        let rows = 2 + rng.below(5) as usize;
        let cols = 2 + rng.below(5) as usize;
        let t: Vec<Vec<u64>> = (0..rows)
            .map(|_| {
                (0..cols)
                    .map(|_| match rng.below(4) {
                        0 => 0,
                        1 => 1 + rng.below(4),
                        _ => 5 + rng.below(60),
                    })
                    .collect()
            })
            .collect();
        let s = suppress(&t, k);
        // every small count and small total is hidden; what is shown is true
        for r in 0..rows {
            for c in 0..cols {
                let v = t[r][c];
                if v > 0 && v < k {
                    assert_eq!(s.cells[r][c], None, "{t:?}");
                }
                if let Some(shown) = s.cells[r][c] {
                    assert_eq!(shown, v);
                }
            }
            let total: u64 = t[r].iter().sum();
            if total > 0 && total < k {
                assert_eq!(s.row_totals[r], None);
            }
        }
        let mut unknowns: Vec<(char, usize, usize)> = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                if s.cells[r][c].is_none() {
                    unknowns.push(('x', r, c));
                }
            }
        }
        unknowns.extend(
            (0..rows)
                .filter(|r| s.row_totals[*r].is_none())
                .map(|r| ('r', r, 0)),
        );
        unknowns.extend(
            (0..cols)
                .filter(|c| s.col_totals[*c].is_none())
                .map(|c| ('c', 0, c)),
        );
        if unknowns.is_empty() {
            continue;
        }
        tables_with_suppression += 1;
        let a = equations(rows, cols, &unknowns);
        let base = rank(a.clone());
        for (j, u) in unknowns.iter().enumerate() {
            let mut with = a.clone();
            let mut unit = vec![0i128; unknowns.len()];
            unit[j] = 1;
            with.push(unit);
            assert_eq!(
                rank(with),
                base + 1,
                "hidden {u:?} of {t:?} is determined by what is published: {s:?}"
            );
        }
    }
    assert!(tables_with_suppression > 200, "{tables_with_suppression}");
}

#[test]
fn the_attacker_does_recompute_a_lone_hidden_cell() {
    // the check is not vacuous: hiding only the small cell leaves it determined
    let unknowns = [('x', 0, 1)];
    let a = equations(2, 2, &unknowns);
    let base = rank(a.clone());
    let mut with = a;
    with.push(vec![1]);
    assert_eq!(rank(with), base);
}
