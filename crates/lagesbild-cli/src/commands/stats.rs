//! `lagesbild stats`: counts over the store.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Global;
use crate::context::{open_store, principal, purpose};
use crate::output::{self, count};

pub fn run(g: &Global) -> Result<ExitCode> {
    let (who, why) = (principal(g)?, purpose(g)?);
    let mut store = open_store(g)?;
    let s = store.access(&who, &why).stats()?;
    if g.json {
        output::json(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("batches         {}", count(s.batches));
    println!("records         {}", count(s.records));
    println!("entities        {}", count(s.entities));
    println!("statements      {}", count(s.statements));
    println!(
        "invalid values  {} (kept as raw text, flagged)",
        count(s.invalid_values)
    );
    println!("merged ids      {}", count(s.merged_ids));
    println!("audit entries   {}", count(s.audit_entries));
    if !s.by_schema.is_empty() {
        println!("\nentities by schema");
        for (schema, n) in &s.by_schema {
            println!("  {schema:<20} {:>12}", count(*n));
        }
    }
    if !s.by_dataset.is_empty() {
        println!("\nrecords by dataset");
        for (ds, n) in &s.by_dataset {
            println!("  {ds:<20} {:>12}", count(*n));
        }
    }
    Ok(ExitCode::SUCCESS)
}
