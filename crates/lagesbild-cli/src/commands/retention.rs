//! `lagesbild retention set|list|plan|run`: how long records are kept, what is due, erasure.

use std::process::ExitCode;

use anyhow::Result;

use lagesbild_store::retention::Reason;

use crate::cli::{Global, RetentionCommand};
use crate::context::{purpose, session};
use crate::output::{self, count};

fn today() -> String {
    let now = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

pub fn run(g: &Global, c: RetentionCommand) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut a = store.access(&who, &why);
    match c {
        RetentionCommand::Set { category, years } => {
            let e = a.set_retention(&category, years)?;
            if !g.quiet {
                eprintln!("{} (audit entry {})", e.detail, e.seq);
            }
        }
        RetentionCommand::List => {
            let rules = a.retention_rules()?;
            if g.json {
                output::json(&rules)?;
            } else if rules.is_empty() {
                println!(
                    "no periods set: every category comes up for review a year after its last relevant entry"
                );
            } else {
                for r in rules {
                    println!("{:<15} {} years", r.category, r.years);
                }
            }
        }
        RetentionCommand::Plan { as_of } => {
            let as_of = as_of.unwrap_or_else(today);
            let plan = a.retention_plan(&as_of)?;
            if g.json {
                output::json(&plan)?;
                return Ok(ExitCode::SUCCESS);
            }
            let erase = plan.iter().filter(|c| c.erase()).count();
            println!(
                "as of {as_of}: {} records to erase, {} to review",
                count(erase as u64),
                count((plan.len() - erase) as u64)
            );
            for c in plan.iter().take(50) {
                let why = match &c.reason {
                    Reason::Period { years } => format!(
                        "erase: {years} years since {}",
                        &c.last_relevant[..10.min(c.last_relevant.len())]
                    ),
                    Reason::DeleteBy { date } => format!("erase: due by {date}"),
                    Reason::Review => format!("review: no period for {}", c.category),
                };
                println!(
                    "  record {:>8}  {:<15} {:<12} {why}",
                    c.record_id, c.dataset, c.category
                );
            }
            if plan.len() > 50 {
                println!("  … and {} more (--json for all)", plan.len() - 50);
            }
        }
        RetentionCommand::Run { as_of } => {
            let as_of = as_of.unwrap_or_else(today);
            let r = a.retention_run(&as_of)?;
            if g.json {
                output::json(&r)?;
            } else {
                println!(
                    "erased {} records, {} entities, {} links, {} judgements; the file is compacted and the index rebuilt",
                    count(r.records),
                    count(r.entities),
                    count(r.links),
                    count(r.judgements)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
