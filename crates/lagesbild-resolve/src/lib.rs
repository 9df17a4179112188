//! Entity resolution for Lägesbild: which mentions of people in one or two sources are the same
//! person.
//!
//! The pipeline ([`resolve`]): records are normalised into a compact form ([`record`]);
//! blocking rules choose the pairs worth comparing ([`block`]); every pair is compared property
//! by property ([`compare`]); a Fellegi–Sunter model trained on the data itself (`u` from random
//! pairs, `m` by EM, as Splink does; [`model`]) gives each pair a match weight and probability;
//! identifiers shared (personnummer, phone, e-mail, account, handle, plate) link at once unless
//! they are shared by many people or the pair conflicts; pairs above the threshold are
//! clustered with a guard against chaining ([`cluster`]); and every pair can be explained
//! comparison by comparison ([`explain`]). [`synth`] writes test data with its truth and
//! [`eval`] scores a clustering against it. See `docs/resolution.md`.

// comparisons and levels are small fixed index spaces; indexing reads more plainly there
#![allow(clippy::needless_range_loop)]

pub mod block;
pub mod cluster;
pub mod compare;
pub mod csvio;
pub mod eval;
pub mod explain;
pub mod model;
pub mod record;
pub mod rng;
pub mod synth;
pub mod text;

use std::collections::HashSet;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use block::{BlockingReport, Rule};
pub use compare::{COMPARISONS, Levels};
pub use explain::Explanation;
pub use model::Params;
pub use record::{Dataset, KeyKind, Record};

use crate::block::unpair;
use crate::compare::{FIRST, K, LAST, MAX_LEVELS, compare, conflict};
use crate::record::key_kind;
use crate::text::{FxBuild, Sym};

/// How a run matches and clusters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Pairs with a match probability at or above this are matches.
    pub threshold: f64,
    /// Matches at or above this probability are strong: the chaining guard never cuts them.
    pub strong: f64,
    /// Pairs kept in the result (for output and review) from this probability up.
    pub keep: f64,
    /// Blocking groups larger than this are skipped (and reported).
    pub max_group: usize,
    /// An identifier seen with more than this many different names is weak evidence: it does
    /// not link at once.
    pub weak_key_names: usize,
    /// Train the model on the data (`None`: when there are enough pairs to).
    pub train: Option<bool>,
    /// Random pairs counted for `u`.
    pub u_samples: usize,
    pub em_iterations: usize,
    /// Never link a pair whose first names, birth dates or personnummer disagree outright
    /// (see [`compare::conflict`]).
    pub conflicts: bool,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.9,
            strong: 0.99,
            keep: 0.01,
            max_group: 100,
            weak_key_names: 5,
            train: None,
            u_samples: 300_000,
            em_iterations: 20,
            conflicts: true,
            seed: 1,
        }
    }
}

/// A scored candidate pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scored {
    pub a: u32,
    pub b: u32,
    /// The Fellegi–Sunter match weight (log2 Bayes factor with the prior).
    pub weight: f32,
    /// The decision's probability: 1 when a strong identifier links the pair, 0 when it
    /// conflicts, otherwise the model's.
    pub probability: f32,
    /// The identifier that links the pair at once, if one does.
    pub key: Option<KeyKind>,
    pub conflict: bool,
}

/// Reports how far a run is; the CLI shows it as a progress bar.
pub trait Progress: Sync {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// No progress reporting.
#[derive(Debug, Clone, Copy)]
pub struct Silent;
impl Progress for Silent {}

/// The outcome of a run: the model, what blocking did, the pairs, the clusters.
#[derive(Debug)]
pub struct Resolution {
    pub data: Dataset,
    pub settings: Settings,
    pub params: Params,
    pub weak_keys: HashSet<u64, FxBuild>,
    pub blocking: BlockingReport,
    /// Candidate pairs with a probability of at least `settings.keep`, sorted by records.
    pub pairs: Vec<Scored>,
    /// The cluster of every record: the index of its first record.
    pub clusters: Vec<u32>,
    /// Matches the clustering guards left out (conflicts within a group, weak bridges).
    pub cut_bridges: usize,
    /// Seconds per stage.
    pub timings: Vec<(&'static str, f64)>,
}

/// Deduplicates `records`.
pub fn dedupe(records: &[Record], settings: &Settings) -> Resolution {
    resolve(records, None, settings, &Silent)
}

/// Links `left` to `right`: only pairs across the two are compared (record indices in the
/// result run over `left` and then `right`).
pub fn link(left: &[Record], right: &[Record], settings: &Settings) -> Resolution {
    let mut all = left.to_vec();
    all.extend_from_slice(right);
    let mut sides = vec![0u8; left.len()];
    sides.resize(all.len(), 1);
    resolve(&all, Some(&sides), settings, &Silent)
}

/// Identifier keys seen with more than `max_names` different names (counted by the pair of
/// initials, so spelling variants of one name count once).
fn weak_keys(data: &Dataset, max_names: usize) -> HashSet<u64, FxBuild> {
    let initial = |s: Sym| data.strings.get(s).as_bytes().first().copied().unwrap_or(0);
    let mut seen: Vec<(u64, u16)> = data
        .records
        .par_iter()
        .flat_map_iter(|r| {
            let (x, y) = (initial(r.first), initial(r.last));
            let name = u16::from(x.min(y)) << 8 | u16::from(x.max(y));
            r.keys.iter().map(move |k| (*k, name))
        })
        .collect();
    seen.par_sort_unstable();
    seen.dedup();
    let mut weak = HashSet::default();
    let mut i = 0;
    while i < seen.len() {
        let mut j = i;
        while j < seen.len() && seen[j].0 == seen[i].0 {
            j += 1;
        }
        if j - i > max_names {
            weak.insert(seen[i].0);
        }
        i = j;
    }
    weak
}

/// The first strong identifier the two records share.
fn shared_key(
    a: &record::Prepared,
    b: &record::Prepared,
    weak: &HashSet<u64, FxBuild>,
) -> Option<KeyKind> {
    a.keys
        .iter()
        .find(|k| b.keys.binary_search(k).is_ok() && !weak.contains(*k))
        .map(|k| key_kind(*k))
}

/// Whether a shared identifier may link the pair at once: a personnummer always; a phone,
/// e-mail, account, handle or plate only when the names and birth dates do not point to two
/// people (first names no more than a Jaro–Winkler 0.80 apart, birth dates equal, swapped or a
/// digit off when both are known): family members share phones and accounts.
pub fn key_compatible(kind: KeyKind, levels: &Levels) -> bool {
    use crate::compare::DOB;
    kind == KeyKind::Personnummer || (levels[FIRST] <= 5 && levels[DOB] <= 3)
}

/// The symbols whose exact agreement gets a term-frequency adjustment (0 for none).
fn tf_syms(pairing: &compare::NamePairing, levels: &Levels) -> (Sym, Sym) {
    (
        if levels[FIRST] == 1 {
            pairing.first.0
        } else {
            0
        },
        if levels[LAST] == 1 { pairing.last.0 } else { 0 },
    )
}

/// Runs the whole pipeline. `sides` (one per record: 0 left, 1 right) makes it a linkage.
pub fn resolve(
    records: &[Record],
    sides: Option<&[u8]>,
    settings: &Settings,
    progress: &dyn Progress,
) -> Resolution {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, t: &mut Instant| {
        timings.push((name, t.elapsed().as_secs_f64()));
        *t = Instant::now();
    };
    progress.stage("preparing records", records.len() as u64);
    let data = Dataset::prepare(records, sides);
    progress.advance(records.len() as u64);
    lap("prepare", &mut t);

    progress.stage("blocking", 0);
    let (cand, blocking) = block::block(&data, settings.max_group);
    let weak = weak_keys(&data, settings.weak_key_names);
    lap("block", &mut t);

    progress.stage("comparing pairs", cand.pairs.len() as u64);
    let compared: Vec<(Levels, (Sym, Sym))> = cand
        .pairs
        .par_chunks(1 << 14)
        .flat_map_iter(|chunk| {
            let out: Vec<_> = chunk
                .iter()
                .map(|p| {
                    let (i, j) = unpair(*p);
                    let (pairing, levels) = compare(&data, i, j);
                    (levels, tf_syms(&pairing, &levels))
                })
                .collect();
            progress.advance(chunk.len() as u64);
            out
        })
        .collect();
    lap("compare", &mut t);

    progress.stage("training the model", 0);
    let params = train(&data, &cand, &compared, settings);
    lap("train", &mut t);

    progress.stage("scoring", cand.pairs.len() as u64);
    let w = params.weights();
    let prior = params.prior_weight();
    let scored: Vec<Scored> = cand
        .pairs
        .par_iter()
        .zip(compared.par_iter())
        .filter_map(|(p, (levels, tf))| {
            let (i, j) = unpair(*p);
            let mut weight = prior;
            for k in 0..K {
                weight += w[k][levels[k] as usize];
            }
            if params.tf_names {
                for (k, sym) in [(FIRST, tf.0), (LAST, tf.1)] {
                    if sym != 0 {
                        weight += model::tf_adjustment(params.u[k][1], data.tf(sym));
                    }
                }
            }
            let is_conflict = settings.conflicts && conflict(levels);
            let key = if is_conflict {
                None
            } else {
                shared_key(&data.records[i], &data.records[j], &weak)
                    .filter(|k| key_compatible(*k, levels))
            };
            let probability = if is_conflict {
                0.0
            } else if key.is_some() {
                1.0
            } else {
                model::probability(weight)
            };
            (probability >= settings.keep || key.is_some() || is_conflict).then_some(Scored {
                a: i as u32,
                b: j as u32,
                weight: weight as f32,
                probability: probability as f32,
                key,
                conflict: is_conflict,
            })
        })
        .collect();
    drop(compared);
    // conflicts are kept apart for clustering (cannot-link), and out of the result
    let conflicts: Vec<(u32, u32)> = scored
        .iter()
        .filter(|p| p.conflict)
        .map(|p| (p.a, p.b))
        .collect();
    let pairs: Vec<Scored> = scored
        .into_iter()
        .filter(|p| !p.conflict || f64::from(p.weight) > 0.0)
        .collect();
    lap("score", &mut t);

    progress.stage("clustering", 0);
    let edges: Vec<cluster::Edge> = pairs
        .iter()
        .filter(|p| f64::from(p.probability) >= settings.threshold)
        .map(|p| cluster::Edge {
            a: p.a,
            b: p.b,
            strong: p.key.is_some() || f64::from(p.probability) >= settings.strong,
            weight: p.weight,
        })
        .collect();
    let (clusters, cut_bridges) = cluster::cluster(data.len(), &edges, &conflicts);
    lap("cluster", &mut t);

    Resolution {
        data,
        settings: settings.clone(),
        params,
        weak_keys: weak,
        blocking,
        pairs,
        clusters,
        cut_bridges,
        timings,
    }
}

/// Trains the model on the candidate pairs (or keeps the defaults when there are too few).
fn train(
    data: &Dataset,
    cand: &block::Candidates,
    compared: &[(Levels, (Sym, Sym))],
    settings: &Settings,
) -> Params {
    let mut params = Params::default();
    let enough = data.len() >= 1000 && cand.pairs.len() >= 2000;
    if !settings.train.unwrap_or(enough) {
        return params;
    }
    params.u = model::estimate_u(data, settings.u_samples, settings.seed);
    let levels: Vec<Levels> = compared.iter().map(|(l, _)| *l).collect();
    let mut sum = vec![vec![0.0; MAX_LEVELS]; K];
    let mut sessions = [0u32; K];
    for (bit, rule) in Rule::ALL.into_iter().enumerate() {
        let patterns = model::count_patterns(&levels, |i| cand.rules[i] & (1 << bit) != 0);
        let pairs: f64 = patterns.iter().map(|(_, c)| c).sum();
        if pairs < 1000.0 {
            continue;
        }
        let fixed = rule.fixes();
        let active: [bool; K] = std::array::from_fn(|k| !fixed[k]);
        let (m, _) = model::em(&patterns, &params, active, settings.em_iterations, true);
        for k in 0..K {
            if active[k] {
                for (s, v) in sum[k].iter_mut().zip(&m[k]) {
                    *s += v;
                }
                sessions[k] += 1;
            }
        }
    }
    for k in 0..K {
        if sessions[k] > 0 {
            params.m[k] = sum[k][..COMPARISONS[k].levels.len()]
                .iter()
                .map(|s| s / f64::from(sessions[k]))
                .collect();
        }
    }
    // λ over all pairs: the fixed point of λ = Σ P(match | pattern, λ) / all pairs, where pairs
    // that no rule found count as non-matches. (EM for λ on the candidates alone would take
    // them for a random sample; they are not, and λ would come out far too high.)
    let patterns = model::count_patterns(&levels, |_| true);
    let n = data.len() as f64;
    let right = data.records.iter().filter(|r| r.side == 1).count() as f64;
    let all_pairs = if right > 0.0 {
        (n - right) * right
    } else {
        n * (n - 1.0) / 2.0
    };
    let w = params.weights();
    let bayes: Vec<(f64, f64)> = patterns
        .iter()
        .map(|(l, c)| ((0..K).map(|k| w[k][l[k] as usize]).sum::<f64>(), *c))
        .collect();
    let mut lambda = (1.0 / n.max(2.0)).min(0.5);
    for _ in 0..50 {
        let prior = (lambda / (1.0 - lambda)).log2();
        let expected: f64 = bayes
            .iter()
            .map(|(b, c)| c * model::probability(prior + b))
            .sum();
        let next = (expected / all_pairs).clamp(1e-12, 0.5);
        if (next - lambda).abs() <= lambda * 1e-4 {
            lambda = next;
            break;
        }
        lambda = next;
    }
    params.lambda = lambda;
    params.trained = true;
    params.tf_names = true;
    params
}

impl Resolution {
    /// The explanation of the pair of records `i` and `j` (indices into the input).
    pub fn explain(&self, i: usize, j: usize, ids: (&str, &str)) -> Explanation {
        explain::explain(self, i, j, ids)
    }

    /// The pairs at or above the threshold.
    pub fn matches(&self) -> impl Iterator<Item = &Scored> {
        self.pairs
            .iter()
            .filter(|p| f64::from(p.probability) >= self.settings.threshold)
    }
}
