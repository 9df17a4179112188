//! The network canvas: an entity's neighbours (the many summarised), the links among a set of
//! entities with their communities and PageRank, and the shortest path between two.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use lagesbild_graph::centrality::{Iteration, pagerank};
use lagesbild_graph::community::{LeidenOptions, leiden};
use lagesbild_graph::{EdgeList, Filter, paths};
use lagesbild_store::Label;

use crate::AppState;
use crate::auth::Caller;
use crate::problem::Problem;

use super::{J, Q, clamp, period, with_access};

/// Which edges count: of a kind, in a period.
fn filter(prop: Option<String>, from: Option<&str>, to: Option<&str>) -> Result<Filter, Problem> {
    let (from, to) = period(from, to)?;
    Ok(Filter {
        kinds: prop.filter(|p| !p.is_empty()).into_iter().collect(),
        from,
        to,
    })
}

fn passes(list: &EdgeList, f: &Filter, e: &lagesbild_graph::Edge) -> bool {
    (f.kinds.is_empty() || f.kinds.iter().any(|k| list.kinds[e.kind as usize] == *k))
        && f.from.is_none_or(|t| e.time >= t)
        && f.to.is_none_or(|t| e.time < t)
}

fn date(t: i64) -> Option<String> {
    (t != 0).then(|| lagesbild_geo::time::format_date(t))
}

/// The edges between two nodes, merged: their kinds, how many, first and last date.
#[derive(Default)]
struct Merged {
    kinds: Vec<String>,
    count: f64,
    first: i64,
    last: i64,
}

impl Merged {
    fn add(&mut self, kind: &str, weight: f64, time: i64) {
        if !self.kinds.iter().any(|k| k == kind) {
            self.kinds.push(kind.to_owned());
        }
        self.count += weight;
        if time != 0 {
            self.first = if self.first == 0 {
                time
            } else {
                self.first.min(time)
            };
            self.last = self.last.max(time);
        }
    }

    fn json(&self, src: &str, dst: &str) -> Value {
        json!({
            "src": src, "dst": dst, "prop": self.kinds.join(", "),
            "count": self.count, "first": date(self.first), "last": date(self.last),
        })
    }
}

fn node(label: &Label, degree: usize) -> Value {
    json!({"id": label.id, "schema": label.schema, "caption": label.caption, "degree": degree})
}

#[derive(Debug, Deserialize)]
pub struct NeighbourParams {
    prop: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u64>,
}

pub async fn neighbours(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<String>,
    Q(p): Q<NeighbourParams>,
) -> Result<Json<Value>, Problem> {
    let f = filter(p.prop, p.from.as_deref(), p.to.as_deref())?;
    let limit = clamp(p.limit, 50, 500) as usize;
    let answer = with_access(&state, caller, move |a| {
        let centre = a.canonical(&id)?;
        let rows = a.neighbourhood(std::slice::from_ref(&id))?;
        let list = lagesbild_report::edge_list(&rows);
        let mut around: BTreeMap<String, Merged> = BTreeMap::new();
        for e in &list.edges {
            if !passes(&list, &f, e) {
                continue;
            }
            let (s, d) = (&list.names[e.src as usize], &list.names[e.dst as usize]);
            let other = if *s == centre {
                d
            } else if *d == centre {
                s
            } else {
                continue;
            };
            if *other == centre {
                continue;
            }
            around.entry(other.clone()).or_default().add(
                &list.kinds[e.kind as usize],
                e.weight,
                e.time,
            );
        }
        let mut order: Vec<(&String, &Merged)> = around.iter().collect();
        order.sort_by(|a, b| b.1.count.total_cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        let hidden = order.len().saturating_sub(limit);
        order.truncate(limit);
        let mut ids = vec![centre.clone()];
        ids.extend(order.iter().map(|(n, _)| (*n).clone()));
        let labels = a.labels(&ids)?;
        let edges = order_json(&order, &centre);
        Ok((centre, edges, labels, hidden, around.len()))
    })
    .await?;
    let (centre, edges, labels, hidden, total) = answer;
    let Some(me) = labels.iter().find(|l| l.id == centre) else {
        return Err(Problem::not_found(format!(
            "no entity {centre:?} (or you may not see it)"
        )));
    };
    let shown: HashSet<&str> = labels.iter().map(|l| l.id.as_str()).collect();
    let mut nodes = vec![node(me, total)];
    nodes.extend(labels.iter().filter(|l| l.id != centre).map(|l| node(l, 1)));
    // neighbours known only by an id in a record one may see keep the id as their caption
    for e in &edges {
        let other = e["dst"].as_str().unwrap_or_default();
        if !shown.contains(other) {
            nodes.push(json!({"id": other, "schema": "", "caption": other, "degree": 1}));
        }
    }
    let summarised: Vec<Value> = if hidden > 0 {
        vec![json!({"id": centre, "hidden_neighbours": hidden})]
    } else {
        Vec::new()
    };
    Ok(Json(
        json!({"nodes": nodes, "edges": edges, "summarised": summarised}),
    ))
}

fn order_json(order: &[(&String, &Merged)], centre: &str) -> Vec<Value> {
    order.iter().map(|(n, m)| m.json(centre, n)).collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkBody {
    ids: Vec<String>,
    prop: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn network(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    J(body): J<NetworkBody>,
) -> Result<Json<Value>, Problem> {
    if body.ids.is_empty() || body.ids.len() > 1000 {
        return Err(Problem::bad_request("ids: between 1 and 1000 entity ids"));
    }
    let f = filter(body.prop, body.from.as_deref(), body.to.as_deref())?;
    let ids = body.ids;
    let (labels, merged) = with_access(&state, caller, move |a| {
        let mut wanted = HashSet::new();
        for id in &ids {
            wanted.insert(a.canonical(id)?);
        }
        let rows = a.neighbourhood(&ids)?;
        let list = lagesbild_report::edge_list(&rows);
        let mut merged: BTreeMap<(String, String), Merged> = BTreeMap::new();
        for e in &list.edges {
            let (s, d) = (&list.names[e.src as usize], &list.names[e.dst as usize]);
            if s == d || !wanted.contains(s) || !wanted.contains(d) || !passes(&list, &f, e) {
                continue;
            }
            let key = if s < d {
                (s.clone(), d.clone())
            } else {
                (d.clone(), s.clone())
            };
            merged
                .entry(key)
                .or_default()
                .add(&list.kinds[e.kind as usize], e.weight, e.time);
        }
        let wanted: Vec<String> = wanted.into_iter().collect();
        Ok((a.labels(&wanted)?, merged))
    })
    .await?;
    // the subgraph: communities and PageRank over the merged edges among the visible nodes
    let mut sub = EdgeList::new();
    for l in &labels {
        sub.node(&l.id);
    }
    for ((s, d), m) in &merged {
        if sub.id(s).is_some() && sub.id(d).is_some() {
            sub.add(s, d, m.count, "", 0);
        }
    }
    let g = sub.graph(false, &Filter::default());
    let part = leiden(&g, LeidenOptions::default());
    let (rank, _) = pagerank(&g, 0.85, Iteration::default());
    let nodes: Vec<Value> = labels
        .iter()
        .map(|l| {
            let v = sub.id(&l.id).expect("added above") as usize;
            let mut n = node(l, g.inc().degree(v as u32));
            n["community"] = json!(part.community[v]);
            n["pagerank"] = json!(rank[v]);
            n
        })
        .collect();
    let edges: Vec<Value> = merged
        .iter()
        .filter(|((s, d), _)| sub.id(s).is_some() && sub.id(d).is_some())
        .map(|((s, d), m)| m.json(s, d))
        .collect();
    Ok(Json(json!({
        "nodes": nodes, "edges": edges, "summarised": [],
        "communities": part.count, "modularity": part.modularity,
    })))
}

const NO_PATH: &str = "no path between the two entities over the links you may see";

/// How many entities a path search reaches before it gives up.
const PATH_REACH: usize = 200_000;

/// What a path search between two entities read.
#[derive(Debug, PartialEq)]
enum Between {
    /// Links that hold every shortest path between the two.
    Links(Vec<lagesbild_store::LinkRow>),
    /// The two are not connected over the links that pass the filter.
    Unconnected,
    /// No path among the first entities reached from the two ends (as many as the search may
    /// reach, [`PATH_REACH`] for the API).
    TooFar,
}

/// The links that hold every shortest path from `s` to `t` over the links that pass `f`. A
/// breadth-first search from both ends that reads the neighbourhood of the smaller frontier
/// at each step, so that a path is found without loading the whole network: the links read
/// are those of every entity within the distance searched from either end, and a path in
/// them is a shortest path in the whole network. Each step's reading is logged by
/// `Access::neighbourhood`.
fn links_between(
    a: &mut lagesbild_store::Access<'_>,
    s: &str,
    t: &str,
    f: &Filter,
    reach: usize,
) -> Result<Between, lagesbild_store::StoreError> {
    if s == t {
        // a path of one entity, when it is in the network at all
        return Ok(Between::Links(a.neighbourhood(&[s.to_owned()])?));
    }
    let mut rows: Vec<lagesbild_store::LinkRow> = Vec::new();
    let mut have = HashSet::new();
    // for each end: the entities reached and those reached last
    let mut reached: [HashSet<String>; 2] =
        [HashSet::from([s.to_owned()]), HashSet::from([t.to_owned()])];
    let mut frontier: [Vec<String>; 2] = [vec![s.to_owned()], vec![t.to_owned()]];
    let mut met = false;
    // each step reaches at least one entity more, or ends the search
    while !met && frontier.iter().all(|f| !f.is_empty()) {
        if reached[0].len() + reached[1].len() > reach {
            return Ok(Between::TooFar);
        }
        let side = usize::from(frontier[1].len() < frontier[0].len());
        let around = a.neighbourhood(&frontier[side])?;
        let list = lagesbild_report::edge_list(&around);
        let g = list.graph(false, f);
        let mut next = Vec::new();
        for v in frontier[side].iter().filter_map(|v| list.id(v)) {
            for &u in g.out.neighbours(v) {
                let name = &list.names[u as usize];
                if reached[1 - side].contains(name) {
                    met = true;
                }
                if reached[side].insert(name.clone()) {
                    next.push(name.clone());
                }
            }
        }
        for r in around {
            if have.insert(r.key()) {
                rows.push(r);
            }
        }
        frontier[side] = next;
    }
    Ok(if met {
        Between::Links(rows)
    } else {
        Between::Unconnected
    })
}

#[derive(Debug, Deserialize)]
pub struct PathParams {
    from: Option<String>,
    to: Option<String>,
    prop: Option<String>,
}

pub async fn path(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Q(p): Q<PathParams>,
) -> Result<Json<Value>, Problem> {
    let (Some(from), Some(to)) = (
        p.from.filter(|s| !s.is_empty()),
        p.to.filter(|s| !s.is_empty()),
    ) else {
        return Err(Problem::bad_request("from and to: the two entities' ids"));
    };
    let f = filter(p.prop, None, None)?;
    let found = with_access(&state, caller, move |a| {
        let (s, t) = (a.canonical(&from)?, a.canonical(&to)?);
        let rows = match links_between(a, &s, &t, &f, PATH_REACH)? {
            Between::Links(rows) => rows,
            Between::Unconnected => return Ok(Err(NO_PATH.to_owned())),
            Between::TooFar => {
                return Ok(Err(format!(
                    "no path among the first {PATH_REACH} entities reached from the two; \
                     a kind of link (prop) narrows the search"
                )));
            }
        };
        let list = lagesbild_report::edge_list(&rows);
        let (Some(si), Some(ti)) = (list.id(&s), list.id(&t)) else {
            return Ok(Err(NO_PATH.to_owned()));
        };
        let g = list.graph(false, &f);
        let Some(path) = paths::shortest_path(&g, si, ti, false) else {
            return Ok(Err(NO_PATH.to_owned()));
        };
        let names: Vec<String> = path
            .nodes
            .iter()
            .map(|v| list.names[*v as usize].clone())
            .collect();
        // the edges along the path, merged per step
        let mut steps: HashMap<(u32, u32), Merged> = HashMap::new();
        for e in &list.edges {
            if !passes(&list, &f, e) {
                continue;
            }
            for w in path.nodes.windows(2) {
                if (e.src, e.dst) == (w[0], w[1]) || (e.src, e.dst) == (w[1], w[0]) {
                    steps.entry((w[0], w[1])).or_default().add(
                        &list.kinds[e.kind as usize],
                        e.weight,
                        e.time,
                    );
                }
            }
        }
        let edges: Vec<Value> = path
            .nodes
            .windows(2)
            .filter_map(|w| {
                steps
                    .get(&(w[0], w[1]))
                    .map(|m| m.json(&list.names[w[0] as usize], &list.names[w[1] as usize]))
            })
            .collect();
        let labels = a.labels(&names)?;
        Ok(Ok((names, labels, edges)))
    })
    .await?;
    let (names, labels, edges) = found.map_err(Problem::not_found)?;
    let nodes: Vec<Value> = names
        .iter()
        .map(|n| {
            labels.iter().find(|l| l.id == *n).map_or_else(
                || json!({"id": n, "schema": "", "caption": n, "degree": 0}),
                |l| node(l, 0),
            )
        })
        .collect();
    Ok(Json(json!({"path": nodes, "edges": edges})))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use lagesbild_model::{Context, Fragment, Policy, Principal, Purpose, Record, SourceRef};
    use lagesbild_store::{BatchMeta, Store};

    use super::*;

    /// A network of people paying each other within four blocks of a hundred and owning
    /// accounts, some held by people of two blocks; some people have no links at all.
    fn store(dir: &std::path::Path) -> Store {
        let mut store = Store::init(dir).unwrap();
        let (op, why) = (
            Principal::operator("test", "Polisen"),
            Purpose::new("test").unwrap(),
        );
        let ctx = Context::default();
        let policy = Arc::new(Policy::new("Polisen", "register", "test"));
        let mut state: u64 = 7;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % n
        };
        let mut records = Vec::new();
        let mut add = |fragments: Vec<Fragment>| {
            let line = records.len() as u64 + 1;
            records.push(Record {
                source: SourceRef {
                    file: "net.csv".into(),
                    line,
                    offset: line * 10,
                },
                raw: format!("row {line}"),
                policy: policy.clone(),
                fragments,
            });
        };
        for i in 0..400 {
            let mut p = Fragment::new(format!("p{i}"), "Person").unwrap();
            p.add("name", &format!("Person {i}"), &ctx).unwrap();
            add(vec![p]);
        }
        for k in 0..330 {
            // payments within four blocks of people, so that there are components
            let block = next(4) * 100;
            let (a, b) = (block + next(100), block + next(100));
            let mut pay = Fragment::new(format!("pay{k}"), "Payment").unwrap();
            pay.add("payer", &format!("p{a}"), &ctx).unwrap();
            pay.add("beneficiary", &format!("p{b}"), &ctx).unwrap();
            pay.add("date", "2026-03-01", &ctx).unwrap();
            add(vec![pay]);
        }
        for k in 0..60 {
            let (a, acc) = (next(399), next(30));
            let mut own = Fragment::new(format!("own{k}"), "Ownership").unwrap();
            own.add("owner", &format!("p{a}"), &ctx).unwrap();
            own.add("asset", &format!("acc{acc}"), &ctx).unwrap();
            add(vec![own]);
        }
        let meta = BatchMeta {
            dataset: "register".into(),
            source: "net.csv".into(),
            sha256: "net".into(),
            format: "test".into(),
            org: "Polisen".into(),
        };
        store
            .access(&op, &why)
            .ingest(
                meta,
                records.into_iter().map(Ok::<_, std::convert::Infallible>),
            )
            .unwrap();
        store
    }

    fn hops(rows: &[lagesbild_store::LinkRow], s: &str, t: &str, f: &Filter) -> Option<usize> {
        let list = lagesbild_report::edge_list(rows);
        let (si, ti) = (list.id(s)?, list.id(t)?);
        paths::shortest_path(&list.graph(false, f), si, ti, false).map(|p| p.nodes.len() - 1)
    }

    /// The search from both ends finds a path exactly when the whole network has one, and one
    /// as short, with and without a filter on the kind of link; it reads less than the whole.
    #[test]
    fn a_path_found_from_both_ends_is_a_shortest_path_of_the_whole_network() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let (op, why) = (
            Principal::operator("test", "Polisen"),
            Purpose::new("test").unwrap(),
        );
        let mut a = store.access(&op, &why);
        let all = a.links().unwrap();
        let mut found = 0;
        for f in [
            Filter::default(),
            Filter {
                kinds: vec!["Payment".into()],
                ..Filter::default()
            },
        ] {
            for (i, j) in (0..60).map(|k| ((k * 37) % 400, (k * 53 + 11) % 400)) {
                let (s, t) = (format!("p{i}"), format!("p{j}"));
                let whole = hops(&all, &s, &t, &f);
                let rows = match links_between(&mut a, &s, &t, &f, PATH_REACH).unwrap() {
                    Between::Links(rows) => Some(rows),
                    Between::Unconnected => None,
                    Between::TooFar => panic!("{s} to {t}: the test network is small"),
                };
                let near = rows.as_deref().and_then(|r| hops(r, &s, &t, &f));
                assert_eq!(near, whole, "{s} to {t}");
                if let Some(rows) = rows
                    && whole.is_some_and(|h| h > 1)
                {
                    found += 1;
                    assert!(rows.len() < all.len(), "{s} to {t} read every link");
                }
            }
        }
        assert!(
            found > 10,
            "the cases hold paths longer than one step: {found}"
        );
        // an unknown id has no path; a known one has a path of one entity to itself
        assert_eq!(
            links_between(&mut a, "nobody", "p1", &Filter::default(), PATH_REACH).unwrap(),
            Between::Unconnected
        );
        assert!(matches!(
            links_between(&mut a, "p1", "p1", &Filter::default(), PATH_REACH).unwrap(),
            Between::Links(_)
        ));
        // a search that may reach only a few entities gives up on a long path, and says so
        let list = lagesbild_report::edge_list(&all);
        let g = list.graph(false, &Filter::default());
        let (s, t) = (0..400)
            .flat_map(|i| (0..400).map(move |j| (format!("p{i}"), format!("p{j}"))))
            .find(|(s, t)| {
                let (Some(si), Some(ti)) = (list.id(s), list.id(t)) else {
                    return false;
                };
                paths::shortest_path(&g, si, ti, false).is_some_and(|p| p.nodes.len() > 6)
            })
            .expect("a path of six steps");
        assert_eq!(
            links_between(&mut a, &s, &t, &Filter::default(), 4).unwrap(),
            Between::TooFar
        );
    }
}
