//! The network of stored links: an entity of a link schema (Payment, Message, Ownership,
//! Call…) becomes an edge between its two ends (payer → beneficiary, sender → recipient), one
//! per such entity; any other reference (`mentions`, `holder`, `suspect`…) is an edge from the
//! referring entity (or, for a link entity, from its source end) to the entity referred to,
//! weighted by the records that state it. Edge kinds are the schema or property names.

use std::collections::HashMap;

use lagesbild_model::model;

use crate::graph::EdgeList;

/// One reference between entities.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub src: &'a str,
    pub src_schema: &'a str,
    pub prop: &'a str,
    pub dst: &'a str,
    pub count: u64,
    /// When it was stated (seconds since the epoch; 0 when unknown).
    pub time: i64,
}

type Ends<'a> = (Vec<(&'a str, i64)>, Vec<(&'a str, i64)>, &'a str);

/// The edge list of the links.
pub fn edge_list<'a>(links: impl IntoIterator<Item = Link<'a>>) -> EdgeList {
    let mut list = EdgeList::new();
    let mut ends: HashMap<&str, Ends<'_>> = HashMap::new();
    let mut other: Vec<Link<'_>> = Vec::new();
    for r in links {
        let edge = model().get(r.src_schema).and_then(|s| s.edge.as_ref());
        match edge {
            Some(e) if r.prop == e.source || r.prop == e.target => {
                let entry = ends
                    .entry(r.src)
                    .or_insert_with(|| (Vec::new(), Vec::new(), r.src_schema));
                if r.prop == e.source {
                    entry.0.push((r.dst, r.time));
                } else {
                    entry.1.push((r.dst, r.time));
                }
            }
            _ => other.push(r),
        }
    }
    let mut ids: Vec<&str> = ends.keys().copied().collect();
    ids.sort_unstable();
    for id in &ids {
        let (sources, targets, schema) = &ends[id];
        for (s, ts) in sources {
            for (t, tt) in targets {
                list.add(s, t, 1.0, schema, (*ts).max(*tt));
            }
        }
    }
    for r in other {
        match ends.get(r.src) {
            Some((sources, _, _)) if !sources.is_empty() => {
                for (f, _) in sources.clone() {
                    list.add(f, r.dst, r.count as f64, r.prop, r.time);
                }
            }
            _ => list.add(r.src, r.dst, r.count as f64, r.prop, r.time),
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payments_become_edges_between_payer_and_beneficiary() {
        let links = [
            Link {
                src: "pay1",
                src_schema: "Payment",
                prop: "payer",
                dst: "a",
                count: 1,
                time: 0,
            },
            Link {
                src: "pay1",
                src_schema: "Payment",
                prop: "beneficiary",
                dst: "b",
                count: 1,
                time: 0,
            },
            Link {
                src: "pay2",
                src_schema: "Payment",
                prop: "payer",
                dst: "a",
                count: 1,
                time: 0,
            },
            Link {
                src: "pay2",
                src_schema: "Payment",
                prop: "beneficiary",
                dst: "b",
                count: 1,
                time: 0,
            },
            Link {
                src: "seizure",
                src_schema: "Seizure",
                prop: "suspect",
                dst: "a",
                count: 2,
                time: 0,
            },
        ];
        let list = edge_list(links);
        let g = list.graph(true, &crate::Filter::default());
        let (a, b) = (list.id("a").unwrap(), list.id("b").unwrap());
        assert_eq!(g.out.neighbours(a), &[b]);
        // two payments: weight 2
        assert_eq!(g.out.weights(a), Some(&[2.0][..]));
        assert_eq!(g.n(), 3);
        assert!(list.id("pay1").is_none());
    }
}
