//! `lagesbild search`: full-text search with filters, one line per entity with a snippet.

use std::process::ExitCode;

use anyhow::Result;

use lagesbild_store::SearchQuery;

use crate::cli::{Global, SearchArgs};
use crate::context::{purpose, session};
use crate::output::{self, highlight};

pub fn run(g: &Global, a: SearchArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let q =
        SearchQuery {
            text: a.query,
            schema: a.schema,
            dataset: a.dataset,
            date_from: a.from,
            date_to: a.to,
            min_grading: a.graded.as_deref().map(str::parse).transpose().map_err(
                |e: lagesbild_model::PolicyError| crate::context::user_error(e.to_string()),
            )?,
            limit: a.limit,
        };
    let results = store.access(&who, &why).search(&q)?;
    if g.json {
        output::json(&results)?;
        return Ok(ExitCode::SUCCESS);
    }
    if results.results.is_empty() {
        eprintln!("no matches");
        return Ok(ExitCode::SUCCESS);
    }
    for r in &results.results {
        println!(
            "{:>6.2}  {:<12} {}  {}",
            r.hit.score, r.hit.schema, r.id, r.hit.title
        );
        println!("        {}", highlight(&r.hit.snippet, &r.hit.highlights));
    }
    eprintln!(
        "{} entities shown ({} matching documents)",
        results.results.len(),
        results.total_documents
    );
    Ok(ExitCode::SUCCESS)
}
