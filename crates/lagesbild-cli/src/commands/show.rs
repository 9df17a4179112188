//! `lagesbild show`: an entity with every value, where it came from and how it is graded.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Global, ShowArgs};
use crate::context::{purpose, session};
use crate::output;

pub fn run(g: &Global, a: ShowArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let e = store.access(&who, &why).entity(&a.id)?;
    if g.json {
        output::json(&e)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} ({})", e.caption(), e.schema);
    println!("id: {}", e.id);
    if e.members.len() > 1 {
        println!("merged ids: {}", e.members.join(", "));
    }
    println!();
    let width = e
        .statements
        .iter()
        .map(|s| s.prop.chars().count())
        .max()
        .unwrap_or(0);
    for s in &e.statements {
        let mut value = s.value.clone();
        if let Some(o) = &s.original {
            value.push_str(&format!("  (read as {o:?})"));
        }
        if !s.valid {
            value.push_str("  [not valid for its type; kept as read]");
        }
        let p = &s.policy;
        println!(
            "  {:<width$}  {value}\n  {:<width$}    ← {}:{} · {} · {} · {} · {} · {}",
            s.prop,
            "",
            s.source,
            s.line,
            p.org,
            p.dataset,
            p.grading,
            p.handling,
            p.subject_category,
        );
        // the handling codes travel with the value
        match p.handling {
            lagesbild_model::Handling::H1 => {
                println!(
                    "  {:<width$}    H1: not to be used in court without the provider's permission",
                    ""
                );
            }
            lagesbild_model::Handling::H2 => {
                println!(
                    "  {:<width$}    H2: not to be passed on without the provider's permission",
                    ""
                );
            }
            lagesbild_model::Handling::H3 => println!(
                "  {:<width$}    H3 restriction: {}",
                "",
                p.handling_note.as_deref().unwrap_or("(not given)")
            ),
            lagesbild_model::Handling::H0 => {}
        }
    }
    if !e.referrers.is_empty() {
        println!("\nlinked from");
        for r in &e.referrers {
            println!("  {} {} (as {})", r.schema, r.entity_id, r.prop);
        }
    }
    if !e.shared_keys.is_empty() {
        println!("\nsharing an identifier");
        for r in &e.shared_keys {
            println!("  {} {} ({} {})", r.schema, r.entity_id, r.prop, r.target);
        }
    }
    Ok(ExitCode::SUCCESS)
}
