//! `lagesbild audit log|verify`: read the audit log and check its hash chain.

use std::process::ExitCode;

use anyhow::Result;

use lagesbild_store::AuditFilter;

use crate::cli::{AuditLogArgs, Global};
use crate::context::{purpose, session};
use crate::output;

pub fn log(g: &Global, a: AuditLogArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let filter = AuditFilter {
        user: a.by_user,
        op: a.op,
        id: a.entity,
        since: a.since,
        until: a.until,
        limit: Some(a.limit),
    };
    let entries = store.access(&who, &why).audit_log(&filter)?;
    if g.json {
        output::json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &entries {
        let ids = match e.ids.len() {
            0 => String::new(),
            1..=3 => e.ids.join(", "),
            n => format!("{}, … ({n} ids)", e.ids[..3].join(", ")),
        };
        println!(
            "{:>6}  {}  {:<8} {}@{}  {:?}  {}  {}",
            e.seq, e.at, e.op, e.user, e.org, e.purpose, e.detail, ids
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(g: &Global) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let r = store.access(&who, &why).audit_verify()?;
    if g.json {
        output::json(&r)?;
    }
    match &r.broken {
        None => {
            if !g.json {
                println!(
                    "the audit log is intact: {} entries, head {}",
                    r.entries, r.head
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            eprintln!(
                "error: the audit log is broken at entry {}: {} ({} entries before it are intact)",
                b.seq, b.reason, r.entries
            );
            Ok(ExitCode::from(1))
        }
    }
}
