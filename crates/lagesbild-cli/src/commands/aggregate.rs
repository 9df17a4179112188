//! `lagesbild aggregate`: counts of events per area and month with small cells suppressed.

use std::process::ExitCode;

use anyhow::Result;

use lagesbild_store::AggregateQuery;

use crate::cli::{AggregateArgs, Global};
use crate::context::{purpose, session};
use crate::output;

pub fn run(g: &Global, a: AggregateArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let t = store.access(&who, &why).aggregate(&AggregateQuery {
        category: a.category,
        from: a.from,
        to: a.to,
        k: a.k,
    })?;
    if g.json {
        output::json(&t)?;
        return Ok(ExitCode::SUCCESS);
    }
    let cell = |v: Option<u64>| v.map_or_else(|| "·".to_owned(), |n| n.to_string());
    let width = t
        .areas
        .iter()
        .map(|a| a.chars().count())
        .max()
        .unwrap_or(4)
        .max(8);
    print!("{:<width$}", "område");
    for m in &t.months {
        print!(" {m:>8}");
    }
    println!(" {:>8}", "totalt");
    for (i, area) in t.areas.iter().enumerate() {
        print!("{area:<width$}");
        for v in &t.table.cells[i] {
            print!(" {:>8}", cell(*v));
        }
        println!(" {:>8}", cell(t.table.row_totals[i]));
    }
    print!("{:<width$}", "totalt");
    for v in &t.table.col_totals {
        print!(" {:>8}", cell(*v));
    }
    println!(" {:>8}", cell(t.table.grand_total));
    println!(
        "· = suppressed: counts below {} and the counts that would give them away ({} + {})",
        t.k, t.table.primary, t.table.complementary
    );
    Ok(ExitCode::SUCCESS)
}
