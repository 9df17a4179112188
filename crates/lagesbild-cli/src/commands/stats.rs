//! `lagesbild stats`: counts over the store.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Global;
use crate::context::{purpose, session};
use crate::output::{self, count};

pub fn run(g: &Global) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let s = store.access(&who, &why).stats()?;
    if g.json {
        output::json(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("batches         {}", count(s.batches));
    println!("records         {}", count(s.records));
    println!("entities        {}", count(s.entities));
    // the store-wide counts are the operator's only: they cannot be limited to what a user sees
    if let Some(n) = s.statements {
        println!("statements      {}", count(n));
    }
    if let Some(n) = s.invalid_values {
        println!("invalid values  {} (kept as raw text, flagged)", count(n));
    }
    println!("merged ids      {}", count(s.merged_ids));
    if let Some(n) = s.audit_entries {
        println!("audit entries   {}", count(n));
    }
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
