//! Hand-made cases: communities, brokers, paths, ego networks and disruption on graphs whose
//! answer is known by construction.

use lagesbild_graph::community::{LeidenOptions, leiden, modularity};
use lagesbild_graph::{Graph, centrality, disrupt, paths, structure};

/// Two cliques of `k` joined by one edge between node 0 and node k.
fn barbell(k: u32) -> Graph {
    let mut e = Vec::new();
    for side in 0..2 {
        for a in 0..k {
            for b in a + 1..k {
                e.push((side * k + a, side * k + b, 1.0));
            }
        }
    }
    e.push((0, k, 1.0));
    Graph::from_edges(2 * k as usize, e, false)
}

#[test]
fn leiden_splits_a_barbell_into_its_cliques() {
    let g = barbell(6);
    let p = leiden(&g, LeidenOptions::default());
    assert_eq!(p.count, 2);
    for v in 0..6 {
        assert_eq!(p.community[v], p.community[0]);
        assert_eq!(p.community[v + 6], p.community[6]);
    }
    assert_ne!(p.community[0], p.community[6]);
    assert!((p.modularity - modularity(&g, &p.community, 1.0)).abs() < 1e-12);
}

#[test]
fn leiden_on_the_karate_club_reaches_the_known_optimum_region() {
    // Zachary's karate club; the best modularity known is 0.4198 (Brandes et al. 2008)
    let edges: Vec<(u32, u32, f64)> = KARATE.iter().map(|(a, b)| (*a, *b, 1.0)).collect();
    let g = Graph::from_edges(34, edges, false);
    let mut best = 0.0f64;
    for seed in 1..=5 {
        let p = leiden(
            &g,
            LeidenOptions {
                seed,
                ..LeidenOptions::default()
            },
        );
        assert!(p.modularity > 0.40, "seed {seed}: {}", p.modularity);
        // every community is connected (Leiden's guarantee)
        for c in 0..p.count as u32 {
            let removed: Vec<bool> = p.community.iter().map(|x| *x != c).collect();
            let h = g.without(&removed);
            let comps = structure::weak_components(&h);
            let members: Vec<usize> = (0..34).filter(|v| !removed[*v]).collect();
            let first = comps.label[members[0]];
            assert!(
                members.iter().all(|v| comps.label[*v] == first),
                "community {c} is split"
            );
        }
        best = best.max(p.modularity);
    }
    assert!(best > 0.415, "best {best}");
    // a higher resolution finds more communities
    let fine = leiden(
        &g,
        LeidenOptions {
            resolution: 2.0,
            ..LeidenOptions::default()
        },
    );
    let coarse = leiden(
        &g,
        LeidenOptions {
            resolution: 0.5,
            ..LeidenOptions::default()
        },
    );
    assert!(
        fine.count > coarse.count,
        "{} vs {}",
        fine.count,
        coarse.count
    );
}

#[test]
fn the_bridge_of_a_barbell_is_its_broker() {
    let g = barbell(5);
    let (cuts, bridges) = structure::cut_points(&g);
    assert_eq!(cuts, vec![0, 5]);
    assert_eq!(bridges, vec![(0, 5)]);
    let bc = centrality::betweenness(&g, false, None, 1, &|_| {});
    let top = disrupt::top_k(&bc.values, 2);
    assert_eq!(
        {
            let mut t = top.clone();
            t.sort();
            t
        },
        vec![0, 5]
    );
    // removing the brokers cuts the network in two; removing two others does not
    let mut removed = vec![false; 10];
    removed[0] = true;
    let broken = disrupt::fragmentation(&g, &removed, usize::MAX, 1);
    assert_eq!(broken.components, 2);
    let mut other = vec![false; 10];
    other[3] = true;
    let intact = disrupt::fragmentation(&g, &other, usize::MAX, 1);
    assert_eq!(intact.components, 1);
    assert!(broken.efficiency < intact.efficiency);
}

#[test]
fn sampled_betweenness_is_within_its_bound() {
    let g = barbell(8);
    let exact = centrality::betweenness(&g, false, None, 1, &|_| {});
    let sampled = centrality::betweenness(&g, false, Some(8), 3, &|_| {});
    let bound = sampled.error_bound.expect("a sample has a bound");
    for (a, b) in exact.values.iter().zip(&sampled.values) {
        assert!((a - b).abs() <= bound, "{a} vs {b}, bound {bound}");
    }
}

#[test]
fn paths_shortest_and_k_shortest() {
    // a square with a diagonal: 0-1-2-3-0 and 0-2 (weight 5)
    let g = Graph::from_edges(
        4,
        [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (2, 3, 1.0),
            (3, 0, 1.0),
            (0, 2, 5.0),
        ],
        false,
    );
    let hop = paths::shortest_path(&g, 0, 2, false).unwrap();
    assert_eq!(hop.nodes, vec![0, 2]);
    let w = paths::shortest_path(&g, 0, 2, true).unwrap();
    assert_eq!(w.length, 2.0);
    let k = paths::k_shortest_paths(&g, 0, 2, 3, true);
    let lengths: Vec<f64> = k.iter().map(|p| p.length).collect();
    assert_eq!(lengths, vec![2.0, 2.0, 5.0]);
    assert!(
        paths::shortest_path(&Graph::from_edges(3, [(0, 1, 1.0)], false), 0, 2, false).is_none()
    );
}

#[test]
fn ego_networks_summarise_hubs() {
    // a hub 0 with 50 leaves, one of which (1) knows 2
    let mut e: Vec<(u32, u32, f64)> = (1..=50).map(|v| (0, v, 1.0)).collect();
    e.push((1, 51, 1.0));
    let g = Graph::from_edges(52, e, false);
    let ego = paths::ego(&g, 51, 3, 10);
    let nodes: Vec<u32> = ego.nodes.iter().map(|n| n.0).collect();
    assert_eq!(nodes, vec![51, 1, 0]);
    assert_eq!(ego.hidden, vec![(0, 49)]);
}

#[test]
fn strong_components_of_a_cycle_and_a_tail() {
    let g = Graph::from_edges(
        5,
        [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (2, 0, 1.0),
            (2, 3, 1.0),
            (3, 4, 1.0),
        ],
        true,
    );
    let s = structure::strong_components(&g);
    assert_eq!(s.count, 3);
    assert_eq!(s.label[0], s.label[1]);
    assert_eq!(s.label[1], s.label[2]);
    assert_ne!(s.label[3], s.label[4]);
    assert_eq!(structure::weak_components(&g).count, 1);
}

const KARATE: &[(u32, u32)] = &[
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];
