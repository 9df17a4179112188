//! `lagesbild resolve|review|judge|judgements|undo`: entity resolution on the store. The
//! resolver reads the people the user may see (one audited consultation), scores pairs with
//! `lagesbild-resolve`, and stores the likely ones as proposals; every decision is a judgement
//! with who and when, audited, and undone exactly.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Result;

use lagesbild_resolve::{Record, Settings};
use lagesbild_store::{PersonFacts, Proposal};

use crate::cli::{Global, ResolveArgs, ReviewArgs};
use crate::context::{purpose, session, user_error};
use crate::output::{self, count};

/// What the store says about a person, as the resolver reads a record.
fn to_record(p: &PersonFacts) -> Record {
    let first = |v: &[String]| v.first().cloned().unwrap_or_default();
    let (first_name, last_name) = (first(&p.first_names), first(&p.last_names));
    let full_name = if first_name.is_empty() && last_name.is_empty() {
        first(&p.names)
    } else {
        String::new()
    };
    Record {
        id: p.id.clone(),
        first_name,
        last_name,
        full_name,
        birth_date: first(&p.birth_dates),
        personnummer: first(&p.id_numbers),
        phones: p.phones.clone(),
        emails: p.emails.clone(),
        street: first(&p.addresses),
        ..Record::default()
    }
}

/// The canonical id of `id`, from `seen` or looked up once.
fn canonical_of(
    access: &mut lagesbild_store::Access<'_>,
    seen: &mut HashMap<String, String>,
    id: &str,
) -> Result<String> {
    if let Some(c) = seen.get(id) {
        return Ok(c.clone());
    }
    let c = access.canonical(id)?;
    seen.insert(id.to_owned(), c.clone());
    Ok(c)
}

fn verdict(s: &str) -> Result<&'static str> {
    match s.trim().to_lowercase().replace('-', "_").as_str() {
        "same" | "s" | "samma" => Ok("same"),
        "not_same" | "n" | "inte_samma" => Ok("not_same"),
        "unsure" | "u" | "osäker" => Ok("unsure"),
        other => Err(user_error(format!(
            "unknown verdict {other:?}: same, not-same or unsure"
        ))),
    }
}

pub fn resolve(g: &Global, a: ResolveArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut access = store.access(&who, &why);
    let people = access.people()?;
    let records: Vec<Record> = people.iter().map(to_record).collect();
    let settings = Settings {
        keep: a.propose_above.min(Settings::default().keep),
        ..Settings::default()
    };
    let bar = crate::resolve::Bar::new(g.quiet);
    let res = lagesbild_resolve::resolve(&records, None, &settings, &bar);
    drop(bar);
    let mut merged = 0u64;
    let mut refused = 0u64;
    let mut proposals = Vec::new();
    // each person is in many pairs: its canonical id is looked up once
    let mut canonical: HashMap<String, String> = HashMap::new();
    for p in &res.pairs {
        if f64::from(p.probability) < a.propose_above || p.conflict {
            continue;
        }
        let (i, j) = (p.a as usize, p.b as usize);
        let (l, r) = (&records[i].id, &records[j].id);
        // pairs already in one cluster need nothing
        if canonical_of(&mut access, &mut canonical, l)?
            == canonical_of(&mut access, &mut canonical, r)?
        {
            continue;
        }
        if a.merge_above
            .is_some_and(|m| p.key.is_some() && f64::from(p.probability) >= m)
        {
            match access.merge(l, r) {
                Ok(_) => {
                    merged += 1;
                    // the merge changed both clusters' canonical ids
                    canonical.clear();
                }
                // a standing "not the same" keeps them apart
                Err(_) => refused += 1,
            }
            continue;
        }
        let e = res.explain(i, j, (l, r));
        proposals.push(Proposal {
            id: 0,
            left_id: l.clone(),
            right_id: r.clone(),
            probability: f64::from(p.probability),
            weight: f64::from(p.weight),
            explanation: serde_json::json!({"text": e.to_string(), "detail": e}).to_string(),
            created_at: String::new(),
        });
    }
    // stored in groups, so that an interrupted run keeps what it found; a new run adds only
    // the pairs not proposed before
    let mut added = 0;
    for chunk in proposals.chunks(1000) {
        added += access.propose(chunk)?;
    }
    let summary = serde_json::json!({
        "people": records.len(),
        "pairs_scored": res.pairs.len(),
        "blocking": res.blocking,
        "merged": merged,
        "merges_refused": refused,
        "proposed": proposals.len(),
        "new_proposals": added,
    });
    if g.json {
        output::json(&summary)?;
    } else {
        println!(
            "{} people, {} pairs scored; {} merged at once{}, {} proposed ({} new): `lagesbild review` walks them",
            count(records.len() as u64),
            count(res.pairs.len() as u64),
            count(merged),
            if refused > 0 {
                format!(" ({refused} kept apart by a judgement)")
            } else {
                String::new()
            },
            count(proposals.len() as u64),
            count(added)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn caption(v: &lagesbild_store::EntityView) -> String {
    let mut parts: Vec<String> = Vec::new();
    for prop in ["name", "birthDate", "idNumber", "phone", "email", "address"] {
        let values: Vec<&str> = v
            .statements
            .iter()
            .filter(|s| s.prop == prop)
            .map(|s| s.value.as_str())
            .collect();
        if !values.is_empty() {
            let mut values = values;
            values.dedup();
            parts.push(format!("{prop}: {}", values.join(", ")));
        }
    }
    let sources: Vec<String> = {
        let mut s: Vec<String> = v
            .statements
            .iter()
            .map(|s| format!("{} ({}, {})", s.source, s.policy.org, s.policy.grading))
            .collect();
        s.dedup();
        s
    };
    format!(
        "{} [{}]\n    {}\n    from {}",
        v.id,
        v.schema,
        parts.join("; "),
        sources.join(", ")
    )
}

pub fn review(g: &Global, a: ReviewArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut access = store.access(&who, &why);
    let open = access.proposals(a.limit)?;
    if g.json {
        let rows: Vec<serde_json::Value> = open
            .iter()
            .map(|p| {
                let mut v = serde_json::to_value(p).unwrap_or_default();
                v["explanation"] = serde_json::from_str::<serde_json::Value>(&p.explanation)
                    .map(|e| e["detail"].clone())
                    .unwrap_or_default();
                v
            })
            .collect();
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if open.is_empty() {
        println!("nothing to review");
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let (mut judged, mut skipped) = (0, 0);
    for p in &open {
        let left = access.entity(&p.left_id)?;
        let right = access.entity(&p.right_id)?;
        println!("\n— proposal {} (probability {:.3}) —", p.id, p.probability);
        println!("  {}", caption(&left));
        println!("  {}", caption(&right));
        let text = serde_json::from_str::<serde_json::Value>(&p.explanation)
            .ok()
            .and_then(|v| v["text"].as_str().map(str::to_owned))
            .unwrap_or_default();
        print!("{text}");
        print!("[s]ame, [n]ot the same, [u]nsure, [k] skip, [q]uit: ");
        std::io::stdout().flush()?;
        let Some(line) = lines.next().transpose()? else {
            break;
        };
        match line.trim() {
            "q" => break,
            "k" | "" => skipped += 1,
            answer => {
                let v = verdict(answer)?;
                match access.judge(&p.left_id, &p.right_id, v) {
                    Ok((id, _)) => {
                        judged += 1;
                        println!("judgement {id}: {v}");
                    }
                    Err(e) => println!("not recorded: {e}"),
                }
            }
        }
    }
    println!("{judged} judged, {skipped} skipped");
    Ok(ExitCode::SUCCESS)
}

pub fn judge(g: &Global, a: &str, b: &str, v: &str) -> Result<ExitCode> {
    let v = verdict(v)?;
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let (id, canonical) = store.access(&who, &why).judge(a, b, v)?;
    if g.json {
        output::json(&serde_json::json!({"judgement": id, "verdict": v, "canonical": canonical}))?;
    } else {
        println!("judgement {id}: {a} and {b} {v}; {a} is now {canonical}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn judgements(g: &Global, limit: u64) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let rows = store.access(&who, &why).judgements(limit)?;
    if g.json {
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    for j in rows {
        println!(
            "{:>6}  {:<9} {} ~ {}  by {} at {}{}",
            j.id,
            j.verdict,
            j.left_id,
            j.right_id,
            j.user,
            j.at,
            j.undone_at
                .map(|u| format!(" (undone {u})"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn undo(g: &Global, judgement: i64) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    store.access(&who, &why).undo(judgement)?;
    if !g.quiet {
        eprintln!("judgement {judgement} undone");
    }
    Ok(ExitCode::SUCCESS)
}
