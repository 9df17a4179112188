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
        let rows = a.links()?;
        let list = lagesbild_report::edge_list(&rows);
        let (Some(si), Some(ti)) = (list.id(&s), list.id(&t)) else {
            return Ok(None);
        };
        let g = list.graph(false, &f);
        let Some(path) = paths::shortest_path(&g, si, ti, false) else {
            return Ok(None);
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
        Ok(Some((names, labels, edges)))
    })
    .await?;
    let Some((names, labels, edges)) = found else {
        return Err(Problem::not_found(
            "no path between the two entities over the links you may see",
        ));
    };
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
