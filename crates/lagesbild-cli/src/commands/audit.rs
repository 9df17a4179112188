//! `lagesbild audit log|verify|keygen|anchor`: read the audit log, check its hash chain, and
//! anchor its head with an Ed25519 signature kept outside the store.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use lagesbild_store::AuditFilter;

use crate::cli::{AuditLogArgs, AuditVerifyArgs, Global};
use crate::context::{purpose, session, user_error};
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

fn read_seed(path: &Path) -> Result<[u8; 32]> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| user_error(format!("cannot read the key {}: {e}", path.display())))?;
    let bytes = hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| {
            user_error(format!(
                "{} is not a key from `lagesbild audit keygen` (64 hex digits)",
                path.display()
            ))
        })?;
    Ok(bytes)
}

pub fn export(
    g: &Global,
    out: &Path,
    since: Option<String>,
    by_user: Option<String>,
) -> Result<ExitCode> {
    use std::io::Write;
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut access = store.access(&who, &why);
    let report = access.audit_verify()?;
    let entries = access.audit_log(&AuditFilter {
        user: by_user,
        since,
        limit: None,
        ..AuditFilter::default()
    })?;
    let file = std::fs::File::create(out)
        .map_err(|e| user_error(format!("cannot write {}: {e}", out.display())))?;
    let mut w = std::io::BufWriter::new(file);
    for e in &entries {
        serde_json::to_writer(&mut w, e)?;
        w.write_all(b"\n")?;
    }
    serde_json::to_writer(
        &mut w,
        &serde_json::json!({"summary": {"entries": entries.len(), "chain": report}}),
    )?;
    w.write_all(b"\n")?;
    w.flush()?;
    if !g.quiet {
        eprintln!(
            "{} entries to {}; the chain {} (head {})",
            entries.len(),
            out.display(),
            if report.broken.is_none() {
                "is intact"
            } else {
                "is BROKEN"
            },
            report.head
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn keygen(g: &Global, out: &Path) -> Result<ExitCode> {
    if out.exists() {
        return Err(user_error(format!(
            "{} exists; a key is never overwritten",
            out.display()
        )));
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(out)
        .map_err(|e| user_error(format!("cannot write {}: {e}", out.display())))?;
    std::io::Write::write_all(&mut f, format!("{}\n", hex::encode(seed)).as_bytes())?;
    let public = lagesbild_store::audit::public_key(&seed);
    if g.json {
        output::json(&serde_json::json!({"public_key": public}))?;
    } else {
        println!("{public}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn anchor(g: &Global, key: &Path) -> Result<ExitCode> {
    let seed = read_seed(key)?;
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let a = store.access(&who, &why).audit_anchor(&seed)?;
    output::json(&a)?;
    Ok(ExitCode::SUCCESS)
}

pub fn verify(g: &Global, a: AuditVerifyArgs) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let (r, problem) = match &a.anchor {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| user_error(format!("cannot read {}: {e}", path.display())))?;
            let anchor: lagesbild_store::Anchor = serde_json::from_str(&text)
                .map_err(|e| user_error(format!("{} is not an anchor: {e}", path.display())))?;
            store
                .access(&who, &why)
                .audit_verify_anchor(&anchor, a.public_key.as_deref())?
        }
        None => (store.access(&who, &why).audit_verify()?, None),
    };
    if g.json {
        output::json(&serde_json::json!({"report": r, "anchor_problem": problem}))?;
    }
    if let Some(p) = &problem {
        eprintln!("error: {p}");
        return Ok(ExitCode::from(1));
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
