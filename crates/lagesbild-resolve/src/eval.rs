//! Scoring against the truth: pairwise precision, recall and F1 of a clustering (every pair of
//! records put in one cluster is a predicted match) or of a list of matched pairs.

use std::collections::HashMap;

use serde::Serialize;

/// Precision, recall and F1 with the counts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    pub true_positives: u64,
    pub predicted: u64,
    pub actual: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    pub fn new(true_positives: u64, predicted: u64, actual: u64) -> Score {
        let precision = if predicted == 0 {
            1.0
        } else {
            true_positives as f64 / predicted as f64
        };
        let recall = if actual == 0 {
            1.0
        } else {
            true_positives as f64 / actual as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Score {
            true_positives,
            predicted,
            actual,
            precision,
            recall,
            f1,
        }
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.4}  R {:.4}  F1 {:.4}  ({} of {} predicted pairs true, {} true pairs)",
            self.precision, self.recall, self.f1, self.true_positives, self.predicted, self.actual
        )
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Pairwise scores of `predicted` clusters against `truth` (one label per record; records with
/// the truth label `None` are left out).
pub fn clusters<P: Eq + std::hash::Hash, T: Eq + std::hash::Hash>(
    predicted: &[P],
    truth: &[Option<T>],
) -> Score {
    let mut joint: HashMap<(&P, &T), u64> = HashMap::new();
    let mut pred: HashMap<&P, u64> = HashMap::new();
    let mut act: HashMap<&T, u64> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        let Some(t) = t else { continue };
        *joint.entry((p, t)).or_default() += 1;
        *pred.entry(p).or_default() += 1;
        *act.entry(t).or_default() += 1;
    }
    Score::new(
        joint.values().map(|c| pairs(*c)).sum(),
        pred.values().map(|c| pairs(*c)).sum(),
        act.values().map(|c| pairs(*c)).sum(),
    )
}

/// Scores of matched pairs (record indices) against `truth`; `cross` limits the true pairs to
/// those across the two sides of a linkage (`side[i]`).
pub fn pair_list<T: Eq + std::hash::Hash>(
    matched: &[(u32, u32)],
    truth: &[Option<T>],
    side: Option<&[u8]>,
) -> Score {
    let mut tp = 0;
    let mut predicted = 0;
    for &(a, b) in matched {
        let (Some(x), Some(y)) = (&truth[a as usize], &truth[b as usize]) else {
            continue;
        };
        predicted += 1;
        if x == y {
            tp += 1;
        }
    }
    let actual = match side {
        None => {
            let mut act: HashMap<&T, u64> = HashMap::new();
            for t in truth.iter().flatten() {
                *act.entry(t).or_default() += 1;
            }
            act.values().map(|c| pairs(*c)).sum()
        }
        Some(side) => {
            let mut act: HashMap<&T, [u64; 2]> = HashMap::new();
            for (t, s) in truth.iter().zip(side) {
                if let Some(t) = t {
                    act.entry(t).or_default()[usize::from(*s).min(1)] += 1;
                }
            }
            act.values().map(|c| c[0] * c[1]).sum()
        }
    };
    Score::new(tp, predicted, actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_counts() {
        let truth = [Some(1), Some(1), Some(1), Some(2), None];
        let s = clusters(&[0, 0, 5, 5, 5], &truth);
        // predicted pairs: (0,1) and (2,3); true: (0,1), (0,2), (1,2)
        assert_eq!((s.true_positives, s.predicted, s.actual), (1, 2, 3));
        let s = pair_list(&[(0, 1), (2, 3)], &truth, None);
        assert_eq!((s.true_positives, s.predicted, s.actual), (1, 2, 3));
        let s = pair_list(&[(0, 2)], &truth, Some(&[0, 0, 1, 1, 1]));
        assert_eq!((s.true_positives, s.predicted, s.actual), (1, 1, 2));
    }
}
