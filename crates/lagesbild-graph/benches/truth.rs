//! Network analysis against the simulator's truth. A simulated city (a town under `cargo
//! test`) is read through the real readers (CSV through the mappings, Telegram and WhatsApp
//! exports, with text extraction), its links become the network exactly as `lagesbild graph`
//! builds it from the store, and the entities are traced to the simulated people by their
//! identifiers (phone, IBAN, Swish number, personnummer, Telegram id). Entities are not
//! resolved into people (that is entity resolution's work), so one person may be several nodes.
//!
//! Reports: Leiden communities against the true networks (NMI, ARI) over the nodes traced to
//! network members; precision at k of PageRank and betweenness for the upper levels (leaders,
//! importers, wholesalers) against their base rate; and disruption: the network members'
//! subgraph after removing the top 10 by betweenness against 10 random nodes.
//!
//! cargo bench -p lagesbild-graph --bench truth

use std::collections::HashMap;
use std::path::Path;

use lagesbild_graph::centrality::{self, Iteration};
use lagesbild_graph::community::{LeidenOptions, leiden};
use lagesbild_graph::links::{Link, edge_list};
use lagesbild_graph::{Filter, disrupt, rng, structure};
use lagesbild_ingest::{Encoding, Options, open};
use lagesbild_model::{Context, Policy, PropType, model};

/// Normalised mutual information (arithmetic mean normalisation, as scikit-learn's default).
fn nmi(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len() as f64;
    let mut joint: HashMap<(u32, u32), f64> = HashMap::new();
    let mut pa: HashMap<u32, f64> = HashMap::new();
    let mut pb: HashMap<u32, f64> = HashMap::new();
    for (x, y) in a.iter().zip(b) {
        *joint.entry((*x, *y)).or_default() += 1.0;
        *pa.entry(*x).or_default() += 1.0;
        *pb.entry(*y).or_default() += 1.0;
    }
    let h = |p: &HashMap<u32, f64>| -p.values().map(|c| c / n * (c / n).ln()).sum::<f64>();
    let mi: f64 = joint
        .iter()
        .map(|((x, y), c)| c / n * ((c / n) / ((pa[x] / n) * (pb[y] / n))).ln())
        .sum();
    let (ha, hb) = (h(&pa), h(&pb));
    if ha + hb == 0.0 {
        1.0
    } else {
        2.0 * mi / (ha + hb)
    }
}

/// Adjusted Rand index.
fn ari(a: &[u32], b: &[u32]) -> f64 {
    let c2 = |x: f64| x * (x - 1.0) / 2.0;
    let mut joint: HashMap<(u32, u32), f64> = HashMap::new();
    let mut pa: HashMap<u32, f64> = HashMap::new();
    let mut pb: HashMap<u32, f64> = HashMap::new();
    for (x, y) in a.iter().zip(b) {
        *joint.entry((*x, *y)).or_default() += 1.0;
        *pa.entry(*x).or_default() += 1.0;
        *pb.entry(*y).or_default() += 1.0;
    }
    let index: f64 = joint.values().map(|c| c2(*c)).sum();
    let sa: f64 = pa.values().map(|c| c2(*c)).sum();
    let sb: f64 = pb.values().map(|c| c2(*c)).sum();
    let expected = sa * sb / c2(a.len() as f64);
    let max = (sa + sb) / 2.0;
    if max == expected {
        1.0
    } else {
        (index - expected) / (max - expected)
    }
}

struct Person {
    network: Option<u32>,
    upper: bool,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = lagesbild_sim::Config {
        seed: 1,
        scale: if full {
            lagesbild_sim::Scale::City
        } else {
            lagesbild_sim::Scale::Town
        },
        months: 12,
        start: (2025, 1),
    };
    lagesbild_sim::simulate(&cfg, dir.path()).expect("the simulation runs");
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("truth.json")).unwrap()).unwrap();

    // identifiers → person
    let mut people: Vec<Person> = Vec::new();
    let mut owner: HashMap<String, usize> = HashMap::new();
    for p in truth["people"].as_array().unwrap() {
        let i = people.len();
        let role = p["role"].as_str().unwrap_or("");
        people.push(Person {
            network: p["network"].as_u64().map(|n| n as u32),
            upper: matches!(role, "leader" | "importer" | "wholesaler"),
        });
        let mut keys: Vec<String> = Vec::new();
        for f in ["phones", "accounts", "handles"] {
            for v in p[f].as_array().into_iter().flatten() {
                keys.push(v.as_str().unwrap().to_owned());
            }
        }
        for v in p["phones"].as_array().into_iter().flatten() {
            keys.push(format!("wa-{}", &v.as_str().unwrap()[1..]));
        }
        if let Some(s) = p["swish_business"].as_str() {
            keys.push(s.to_owned());
        }
        if let Some(s) = p["personnummer"].as_str() {
            keys.push(s.to_owned());
        }
        if let Some(t) = p["telegram_id"].as_u64() {
            keys.push(format!("tg-user{t}"));
        }
        for k in keys {
            owner.entry(k).or_insert(i);
        }
    }

    // read every file as the store would, keeping links and each entity's identifiers
    let mut links: Vec<(String, &'static str, String, String)> = Vec::new();
    let mut traced: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".csv") || n.starts_with("telegram-") || n.starts_with("whatsapp-")
        })
        .collect();
    files.sort();
    for path in &files {
        let opts = Options {
            format: None,
            mapping: None,
            encoding: Encoding::Utf8,
            delimiter: None,
            policy: Policy::new("Polisen", "sim", "evaluation"),
            dataset_given: false,
            ctx: Context::default(),
            extract: true,
        };
        let opened = open(Path::new(path), &opts).expect("the file opens");
        for r in opened.records {
            let r = r.expect("the simulated files are valid");
            for f in &r.fragments {
                let schema = f.schema();
                if let Some(p) = owner.get(&f.id) {
                    traced.entry(f.id.clone()).or_insert(*p);
                }
                for v in &f.values {
                    let Some(prop) = schema.property(v.prop) else {
                        continue;
                    };
                    match prop.kind {
                        PropType::Entity => links.push((
                            f.id.clone(),
                            model().get(f.schema).map_or("Thing", |s| s.name.as_str()),
                            v.prop.to_owned(),
                            v.value.clone(),
                        )),
                        PropType::Phone
                        | PropType::Iban
                        | PropType::Identifier
                        | PropType::Crypto => {
                            if let Some(p) = owner.get(&v.value) {
                                traced.entry(f.id.clone()).or_insert(*p);
                            }
                            keys.push((f.id.clone(), v.value.clone()));
                        }
                        PropType::String if v.prop == "username" => {
                            if let Some(p) = owner.get(&v.value) {
                                traced.entry(f.id.clone()).or_insert(*p);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    evaluate(
        full,
        "entities as read",
        &links,
        &traced,
        &people,
        &|id: &str| id.to_owned(),
    );
    // deterministic keys: entities that share an identifier (a phone, IBAN, Swish number,
    // personnummer, wallet) are one, unless the identifier is on more than 20 entities (a
    // shared phone or a family account is weak evidence, not proof)
    let mut by_value: HashMap<&str, Vec<&str>> = HashMap::new();
    for (e, v) in &keys {
        by_value.entry(v.as_str()).or_default().push(e.as_str());
    }
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut ids: Vec<&str> = Vec::new();
    for (e, _) in &keys {
        if !names.contains_key(e.as_str()) {
            names.insert(e.as_str(), ids.len());
            ids.push(e.as_str());
        }
    }
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for es in by_value.values() {
        if es.len() < 2 || es.len() > 20 {
            continue;
        }
        let a = root(&mut parent, names[es[0]]);
        for e in &es[1..] {
            let b = root(&mut parent, names[*e]);
            if a != b {
                parent[b] = a;
            }
        }
    }
    let canonical: HashMap<String, String> = ids
        .iter()
        .map(|e| {
            let r = root(&mut parent, names[e]);
            ((*e).to_owned(), ids[r].to_owned())
        })
        .collect();
    let canon = |id: &str| canonical.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let mut traced_c: HashMap<String, usize> = HashMap::new();
    for (e, p) in &traced {
        traced_c.entry(canon(e)).or_insert(*p);
    }
    evaluate(
        full,
        "entities sharing an identifier merged",
        &links,
        &traced_c,
        &people,
        &canon,
    );
}

fn evaluate(
    full: bool,
    title: &str,
    links: &[(String, &'static str, String, String)],
    traced: &HashMap<String, usize>,
    people: &[Person],
    canon: &dyn Fn(&str) -> String,
) {
    let mapped: Vec<(String, &'static str, String, String)> = links
        .iter()
        .map(|(s, sc, p, d)| {
            // a link entity keeps its own id; its ends are merged
            let src = if model().get(sc).is_some_and(|x| x.edge.is_some()) {
                s.clone()
            } else {
                canon(s)
            };
            (src, *sc, p.clone(), canon(d))
        })
        .collect();
    let links = &mapped;
    println!("\n== {title} ==");
    let list = edge_list(links.iter().map(|(s, sc, p, d)| Link {
        src: s,
        src_schema: sc,
        prop: p,
        dst: d,
        count: 1,
        time: 0,
    }));
    let g = list.graph(false, &Filter::default());
    let person_of: Vec<Option<usize>> = g.names.iter().map(|n| traced.get(n).copied()).collect();
    let members: Vec<usize> = (0..g.n())
        .filter(|v| person_of[*v].is_some_and(|p| people[p].network.is_some()))
        .collect();
    println!(
        "network of {} (12 months, seed 1): {} nodes, {} edges; {} nodes traced to people, {} to network members",
        if full { "a city" } else { "a town" },
        g.n(),
        g.m(),
        person_of.iter().filter(|p| p.is_some()).count(),
        members.len()
    );

    // communities against the true networks
    let part = leiden(&g, LeidenOptions::default());
    let found: Vec<u32> = members.iter().map(|v| part.community[*v]).collect();
    let truth_net: Vec<u32> = members
        .iter()
        .map(|v| people[person_of[*v].unwrap()].network.unwrap())
        .collect();
    println!(
        "Leiden: {} communities, modularity {:.3}; against the true networks over their members' nodes: NMI {:.3}, ARI {:.3}",
        part.count,
        part.modularity,
        nmi(&found, &truth_net),
        ari(&found, &truth_net)
    );

    // precision at k for the upper levels
    let (pr, _) = centrality::pagerank(&g, 0.85, Iteration::default());
    let bc = centrality::betweenness(&g, false, (g.n() > 30_000).then_some(3_000), 1, &|_| {});
    let traced_nodes: Vec<usize> = (0..g.n()).filter(|v| person_of[*v].is_some()).collect();
    let base = traced_nodes
        .iter()
        .filter(|v| people[person_of[**v].unwrap()].upper)
        .count() as f64
        / traced_nodes.len().max(1) as f64;
    for k in [10usize, 25, 50] {
        let at = |scores: &[f64]| {
            let mut idx: Vec<usize> = traced_nodes.clone();
            idx.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
            idx.iter()
                .take(k)
                .filter(|v| people[person_of[**v].unwrap()].upper)
                .count() as f64
                / k as f64
        };
        println!(
            "upper levels (leaders, importers, wholesalers) in the top {k} traced nodes: PageRank {:.2}, betweenness {:.2} (base rate {:.3})",
            at(&pr),
            at(&bc.values),
            base
        );
    }

    // within each true network as an analyst would delimit it (its members' nodes and the
    // links among them): do betweenness and PageRank rank the upper levels first?
    let mut hits = (0usize, 0usize, 0usize, 0usize);
    let nets: std::collections::BTreeSet<u32> = members
        .iter()
        .map(|v| people[person_of[*v].unwrap()].network.unwrap())
        .collect();
    for net in nets {
        let keep: Vec<bool> = (0..g.n())
            .map(|v| person_of[v].is_some_and(|p| people[p].network == Some(net)))
            .collect();
        let removed: Vec<bool> = keep.iter().map(|k| !k).collect();
        let sub = g.without(&removed);
        let uppers: usize = (0..g.n())
            .filter(|v| keep[*v] && people[person_of[*v].unwrap()].upper)
            .count();
        if uppers == 0 {
            continue;
        }
        let sbc = centrality::betweenness(&sub, false, None, 1, &|_| {}).values;
        let (spr, _) = centrality::pagerank(&sub, 0.85, Iteration::default());
        let k = uppers;
        let rank = |scores: &[f64]| {
            let mut idx: Vec<usize> = (0..g.n()).filter(|v| keep[*v]).collect();
            idx.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
            idx.iter()
                .take(k)
                .filter(|v| people[person_of[**v].unwrap()].upper)
                .count()
        };
        hits.0 += rank(&sbc);
        hits.1 += rank(&spr);
        hits.2 += k;
        hits.3 += keep.iter().filter(|x| **x).count();
    }
    println!(
        "within each true network's members ({} nodes in all): upper levels in the top k (k = their number, {} in all): betweenness {:.2}, PageRank {:.2} (base rate {:.2})",
        hits.3,
        hits.2,
        hits.0 as f64 / hits.2.max(1) as f64,
        hits.1 as f64 / hits.2.max(1) as f64,
        hits.2 as f64 / hits.3.max(1) as f64
    );

    // disruption: the members' subgraph after removing top-10 by betweenness vs 10 random nodes
    let mut member_set = vec![false; g.n()];
    for v in &members {
        member_set[*v] = true;
    }
    let members_after = |removed: &[bool]| {
        let h = g.without(removed);
        // components among the remaining member nodes, through any remaining node
        let comps = structure::weak_components(&h);
        let mut sizes: HashMap<u32, usize> = HashMap::new();
        for v in 0..g.n() {
            if member_set[v] && !removed[v] {
                *sizes.entry(comps.label[v]).or_default() += 1;
            }
        }
        (sizes.len(), sizes.values().copied().max().unwrap_or(0))
    };
    let none = vec![false; g.n()];
    let (c0, l0) = members_after(&none);
    let top = disrupt::top_k(&bc.values, 10);
    let mut removed = vec![false; g.n()];
    for v in &top {
        removed[*v as usize] = true;
    }
    let (c1, l1) = members_after(&removed);
    let mut rsum = (0.0, 0.0);
    let trials = 20;
    for t in 0..trials {
        let mut r = vec![false; g.n()];
        for v in rng::sample(g.n(), 10, 100 + t) {
            r[v as usize] = true;
        }
        let (c, l) = members_after(&r);
        rsum.0 += c as f64;
        rsum.1 += l as f64;
    }
    println!(
        "disruption of the networks' members: before {c0} groups (largest {l0}); without the top 10 by betweenness {c1} (largest {l1}); without 10 random nodes {:.1} (largest {:.1}, mean of {trials})",
        rsum.0 / trials as f64,
        rsum.1 / trials as f64
    );
}
