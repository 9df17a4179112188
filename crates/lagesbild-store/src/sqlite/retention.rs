//! Retention's SQL: the periods, the records due, and their erasure with everything derived
//! from them.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, Transaction, params};

use lagesbild_model::{PropType, model};

use super::{facts, is_key, key_hash};
use crate::error::{Result, StoreError};
use crate::now_rfc3339;
use crate::retention::{Candidate, ErasureReport, RetentionRule, decide};

pub(super) fn rules(conn: &Connection) -> Result<Vec<RetentionRule>> {
    let mut stmt = conn.prepare("SELECT category, years FROM retention_rule ORDER BY category")?;
    let rows = stmt.query_map([], |r| {
        Ok(RetentionRule {
            category: r.get(0)?,
            years: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn set_rule(conn: &Connection, rule: &RetentionRule) -> Result<()> {
    conn.execute(
        "INSERT INTO retention_rule (category, years, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (category) DO UPDATE SET years = excluded.years",
        params![rule.category, rule.years, now_rfc3339()],
    )?;
    Ok(())
}

/// The records due for erasure or review on `as_of` (an ISO date).
pub(super) fn candidates(conn: &Connection, as_of: &str) -> Result<Vec<Candidate>> {
    let rules = rules(conn)?;
    struct Row {
        id: i64,
        registered_at: String,
        dataset: String,
        category: String,
        delete_by: Option<String>,
    }
    let mut stmt = conn.prepare(
        "SELECT r.id, r.registered_at, p.dataset, p.subject_category, p.delete_by
         FROM record r JOIN policy p ON p.id = r.policy_id ORDER BY r.id",
    )?;
    let records: Vec<Row> = stmt
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                registered_at: r.get(1)?,
                dataset: r.get(2)?,
                category: r.get(3)?,
                delete_by: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let at: HashMap<i64, usize> = records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    // the newest registration per entity, then per record over its entities
    let mut pairs = conn.prepare("SELECT entity, record FROM mention")?;
    let pairs: Vec<(i64, i64)> = pairs
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut newest: HashMap<i64, &str> = HashMap::new();
    for (e, r) in &pairs {
        if let Some(i) = at.get(r) {
            let t = records[*i].registered_at.as_str();
            let slot = newest.entry(*e).or_insert(t);
            if t > *slot {
                *slot = t;
            }
        }
    }
    let mut last: Vec<&str> = records.iter().map(|r| r.registered_at.as_str()).collect();
    for (e, r) in &pairs {
        if let (Some(i), Some(t)) = (at.get(r), newest.get(e))
            && *t > last[*i]
        {
            last[*i] = t;
        }
    }
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(reason) = decide(&rules, &r.category, r.delete_by.as_deref(), last[i], as_of) {
            out.push(Candidate {
                record_id: r.id,
                dataset: r.dataset.clone(),
                category: r.category.clone(),
                registered_at: r.registered_at.clone(),
                last_relevant: last[i].to_owned(),
                reason,
            });
        }
    }
    Ok(out)
}

fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Erases the records and what is derived from them, inside the caller's transaction: their
/// mentions and links; entities left with no record and no link (with their keys, merges and
/// the judgements only they supported); and the keys of the entities that remain, rebuilt from
/// the records that remain. Returns the ids of the erased entities too, for the clusters.
pub(super) fn erase(tx: &Transaction<'_>, records: &[i64]) -> Result<(ErasureReport, Vec<String>)> {
    let mut report = ErasureReport::default();
    if records.is_empty() {
        return Ok((report, Vec::new()));
    }
    let mut affected: HashSet<i64> = HashSet::new();
    for chunk in records.chunks(500) {
        let list = id_list(chunk.iter().copied());
        let mut stmt = tx.prepare(&format!(
            "SELECT entity FROM mention WHERE record IN ({list})
             UNION SELECT src FROM link WHERE record IN ({list})
             UNION SELECT dst FROM link WHERE record IN ({list})"
        ))?;
        for e in stmt.query_map([], |r| r.get::<_, i64>(0))? {
            affected.insert(e?);
        }
        tx.execute(&format!("DELETE FROM mention WHERE record IN ({list})"), [])?;
        tx.execute(&format!("DELETE FROM placed WHERE record IN ({list})"), [])?;
        report.links +=
            tx.execute(&format!("DELETE FROM link WHERE record IN ({list})"), [])? as u64;
        report.records +=
            tx.execute(&format!("DELETE FROM record WHERE id IN ({list})"), [])? as u64;
    }
    let mut orphans: Vec<(i64, String)> = Vec::new();
    let mut remaining: Vec<i64> = Vec::new();
    {
        let mut used = tx.prepare(
            "SELECT EXISTS (SELECT 1 FROM mention WHERE entity = ?1)
                 OR EXISTS (SELECT 1 FROM link WHERE dst = ?1)
                 OR EXISTS (SELECT 1 FROM link WHERE src = ?1)",
        )?;
        let mut eid = tx.prepare("SELECT eid FROM entity WHERE id = ?1")?;
        let mut sorted: Vec<i64> = affected.into_iter().collect();
        sorted.sort_unstable();
        for e in sorted {
            if used.query_row([e], |r| r.get::<_, bool>(0))? {
                remaining.push(e);
            } else {
                orphans.push((e, eid.query_row([e], |r| r.get(0))?));
            }
        }
    }
    let erased_ids: Vec<String> = orphans.iter().map(|(_, id)| id.clone()).collect();
    let mut del_key = tx.prepare(
        "DELETE FROM entity_key WHERE h = (SELECT h FROM entity WHERE id = ?1) AND id = ?1",
    )?;
    for chunk in orphans.chunks(500) {
        for (e, _) in chunk {
            del_key.execute([e])?;
        }
        let list = id_list(chunk.iter().map(|(e, _)| *e));
        tx.execute(&format!("DELETE FROM keyval WHERE entity IN ({list})"), [])?;
        report.entities +=
            tx.execute(&format!("DELETE FROM entity WHERE id IN ({list})"), [])? as u64;
    }
    {
        let mut del = tx.prepare("DELETE FROM judgement WHERE left_id = ?1 OR right_id = ?1")?;
        for id in &erased_ids {
            report.judgements += del.execute([id])? as u64;
        }
    }
    // the keys of the entities that remain, from the records that remain
    let mut facts_of = tx.prepare(
        "SELECT r.facts FROM mention m JOIN record r ON r.id = m.record WHERE m.entity = ?1",
    )?;
    let mut eid = tx.prepare("SELECT eid FROM entity WHERE id = ?1")?;
    let mut del_keys = tx.prepare("DELETE FROM keyval WHERE entity = ?1")?;
    let mut ins_key =
        tx.prepare("INSERT OR IGNORE INTO keyval (h, entity, prop) VALUES (?1, ?2, ?3)")?;
    for e in remaining {
        let id: String = eid.query_row([e], |r| r.get(0))?;
        del_keys.execute([e])?;
        let all: Vec<String> = facts_of
            .query_map([e], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut seen: HashSet<(String, String)> = HashSet::new();
        for f in all {
            let frags = facts::decode_about(&f, std::slice::from_ref(&id))
                .map_err(|err| StoreError::Other(format!("unreadable facts: {err}")))?;
            for frag in frags {
                let Some(schema) = model().get(frag.schema) else {
                    continue;
                };
                for v in frag.values {
                    let key = schema
                        .property(v.prop)
                        .map(|p| p.kind)
                        .is_some_and(|k: PropType| is_key(k));
                    if v.valid && key && seen.insert((v.prop.to_owned(), v.value.clone())) {
                        ins_key.execute(params![key_hash(&v.value), e, v.prop])?;
                    }
                }
            }
        }
    }
    Ok((report, erased_ids))
}
