//! Property tests of the pure parts: normalisation is idempotent, an explanation's steps sum
//! to its weight, and clustering does not depend on the order of the pairs.

use lagesbild_resolve::cluster::{Edge, cluster};
use lagesbild_resolve::text::{fold_name, lower_name};
use lagesbild_resolve::{Record, Settings, dedupe};
use proptest::prelude::*;

proptest! {
    #[test]
    fn name_folding_is_idempotent(s in "[A-Za-zÅÄÖåäöÉéÜü' .,-]{0,30}") {
        let once = fold_name(&s);
        prop_assert_eq!(fold_name(&once), once.clone());
        let lower = lower_name(&s);
        prop_assert_eq!(lower_name(&lower), lower);
        prop_assert!(!once.contains("aa") && !once.contains("oe") && !once.contains("ae"));
    }

    #[test]
    fn explanation_steps_sum_to_the_weight(
        names in proptest::collection::vec(("[A-ZÅÄÖ][a-zåäö]{1,8}", "[A-ZÅÄÖ][a-zåäö]{1,10}", 1950u32..2005, 1u32..13, 1u32..29, proptest::option::of(0u32..100)), 2..8)
    ) {
        let records: Vec<Record> = names
            .iter()
            .enumerate()
            .map(|(i, (f, l, y, m, d, phone))| Record {
                id: i.to_string(),
                first_name: f.clone(),
                last_name: l.clone(),
                birth_date: format!("{y:04}-{m:02}-{d:02}"),
                phones: phone.map(|p| vec![format!("070-12345{p:02}")]).unwrap_or_default(),
                ..Record::default()
            })
            .collect();
        let res = dedupe(&records, &Settings::default());
        for i in 0..records.len() {
            for j in i + 1..records.len() {
                let e = res.explain(i, j, ("a", "b"));
                let sum: f64 = e.prior_weight + e.contributions.iter().map(|c| c.weight).sum::<f64>();
                prop_assert!((sum - e.match_weight).abs() < 1e-9);
                // and the same weight as the scored pair, when it was a candidate
                if let Some(p) = res.pairs.iter().find(|p| (p.a, p.b) == (i as u32, j as u32)) {
                    prop_assert!((f64::from(p.weight) - e.match_weight).abs() < 1e-3);
                }
            }
        }
    }

    #[test]
    fn clustering_does_not_depend_on_pair_order(
        edges in proptest::collection::vec((0u32..30, 0u32..30, any::<bool>(), -5i32..30), 0..80),
        conflicts in proptest::collection::vec((0u32..30, 0u32..30), 0..10),
        seed in any::<u64>(),
    ) {
        let edges: Vec<Edge> = edges
            .into_iter()
            .map(|(a, b, strong, w)| Edge { a, b, strong, weight: w as f32 })
            .collect();
        let conflicts: Vec<(u32, u32)> = conflicts.into_iter().filter(|(a, b)| a != b).collect();
        let (first, _) = cluster(30, &edges, &conflicts);
        let mut shuffled = edges.clone();
        // a seeded Fisher–Yates, with the pairs' ends swapped too
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (s >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
            let e = &mut shuffled[i];
            (e.a, e.b) = (e.b, e.a);
        }
        let mut conflicts2 = conflicts.clone();
        conflicts2.reverse();
        let (second, _) = cluster(30, &shuffled, &conflicts2);
        prop_assert_eq!(first, second);
    }
}
