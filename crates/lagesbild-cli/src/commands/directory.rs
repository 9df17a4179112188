//! `lagesbild org|user|compartment|agreement|token`: the directory of the policy engine. Every
//! change is made by an administrator (or the local operator) with a purpose, and logged.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Result;

use lagesbild_model::{Agreement, Role};
use lagesbild_store::AuditEntry;

use crate::cli::{
    AgreementCommand, CompartmentCommand, Global, OrgCommand, TokenCommand, UserCommand,
};
use crate::context::{purpose, session, user_error};
use crate::output;

fn done(g: &Global, entry: &AuditEntry) -> Result<ExitCode> {
    if g.json {
        output::json(
            &serde_json::json!({"ok": true, "audit_seq": entry.seq, "detail": entry.detail}),
        )?;
    } else if !g.quiet {
        eprintln!("{} (audit entry {})", entry.detail, entry.seq);
    }
    Ok(ExitCode::SUCCESS)
}

fn list<T: serde::Serialize>(
    g: &Global,
    rows: &[T],
    line: impl Fn(&T) -> String,
) -> Result<ExitCode> {
    if g.json {
        output::json(&rows)?;
    } else {
        for r in rows {
            println!("{}", line(r));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A new password from LAGESBILD_NEW_PASSWORD or the first line of standard input.
fn new_password() -> Result<String> {
    if let Ok(p) = std::env::var("LAGESBILD_NEW_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_owned();
    if p.is_empty() {
        return Err(user_error(
            "no password: give it on the first line of standard input or in \
             LAGESBILD_NEW_PASSWORD",
        ));
    }
    Ok(p)
}

fn role(s: &str) -> Result<Role> {
    s.parse::<Role>().map_err(user_error)
}

pub fn org(g: &Global, c: OrgCommand) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut a = store.access(&who, &why);
    match c {
        OrgCommand::Add { name, kind } => done(g, &a.add_org(&name, &kind)?),
        OrgCommand::List => list(g, &a.orgs()?, |o| format!("{:<30} {}", o.name, o.kind)),
    }
}

pub fn user(g: &Global, c: UserCommand) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut a = store.access(&who, &why);
    let roles_of = |a: &mut lagesbild_store::Access<'_>, name: &str| -> Result<Vec<Role>> {
        a.users()?
            .into_iter()
            .find(|u| u.name == name)
            .map(|u| u.roles)
            .ok_or_else(|| user_error(format!("unknown user {name:?}")))
    };
    match c {
        UserCommand::Add { name, org, roles } => {
            let roles = roles.iter().map(|r| role(r)).collect::<Result<Vec<_>>>()?;
            let password = new_password()?;
            done(g, &a.add_user(&name, &org, &roles, &password)?)
        }
        UserCommand::List => list(g, &a.users()?, |u| {
            format!(
                "{:<20} {:<25} {:<30} {}{}{}",
                u.name,
                u.org,
                u.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                u.compartments.join(","),
                if u.disabled { " (disabled)" } else { "" },
                u.locked_until
                    .as_deref()
                    .map(|t| format!(" (locked until {t})"))
                    .unwrap_or_default()
            )
        }),
        UserCommand::Grant { name, role: r } => {
            let mut roles = roles_of(&mut a, &name)?;
            let r = role(&r)?;
            if !roles.contains(&r) {
                roles.push(r);
            }
            done(g, &a.set_roles(&name, &roles)?)
        }
        UserCommand::Revoke { name, role: r } => {
            let r = role(&r)?;
            let roles: Vec<Role> = roles_of(&mut a, &name)?
                .into_iter()
                .filter(|x| *x != r)
                .collect();
            done(g, &a.set_roles(&name, &roles)?)
        }
        UserCommand::Passwd { name } => {
            let password = new_password()?;
            done(g, &a.set_password(&name, &password)?)
        }
        UserCommand::Disable { name } => done(g, &a.set_disabled(&name, true)?),
        UserCommand::Enable { name } => done(g, &a.set_disabled(&name, false)?),
    }
}

pub fn compartment(g: &Global, c: CompartmentCommand) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut a = store.access(&who, &why);
    match c {
        CompartmentCommand::Add { name, description } => {
            done(g, &a.add_compartment(&name, &description)?)
        }
        CompartmentCommand::List => list(g, &a.compartments()?, |c| {
            format!(
                "{:<20} {:<40} {}",
                c.name,
                c.description,
                c.members.join(",")
            )
        }),
        CompartmentCommand::Grant {
            compartment,
            member,
        } => done(g, &a.grant_compartment(&compartment, &member)?),
        CompartmentCommand::Revoke {
            compartment,
            member,
        } => done(g, &a.revoke_compartment(&compartment, &member)?),
    }
}

pub fn agreement(g: &Global, c: AgreementCommand) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut a = store.access(&who, &why);
    match c {
        AgreementCommand::Add {
            from,
            to,
            datasets,
            h2_consent,
            aggregates_only,
        } => done(
            g,
            &a.add_agreement(&Agreement {
                id: 0,
                from_org: from,
                to_org: to,
                datasets,
                h2_consent,
                aggregates_only,
            })?,
        ),
        AgreementCommand::List => list(g, &a.agreements()?, |x| {
            format!(
                "{:>4}  {} → {}  datasets: {}{}{}",
                x.id,
                x.from_org,
                x.to_org,
                if x.datasets.is_empty() {
                    "all".to_owned()
                } else {
                    x.datasets.join(",")
                },
                if x.h2_consent { ", H2 consent" } else { "" },
                if x.aggregates_only {
                    ", aggregates only"
                } else {
                    ""
                }
            )
        }),
        AgreementCommand::Revoke { id } => done(g, &a.revoke_agreement(id)?),
    }
}

pub fn token(g: &Global, c: TokenCommand) -> Result<ExitCode> {
    let why = purpose(g)?;
    let (mut store, who, _) = session(g)?;
    let mut a = store.access(&who, &why);
    match c {
        TokenCommand::Create {
            owner,
            scope,
            expires,
        } => {
            let (token, entry) = a.create_token(&owner, &scope, &expires)?;
            if g.json {
                output::json(&serde_json::json!({"token": token, "audit_seq": entry.seq}))?;
            } else {
                // the token goes to standard output once; it is not stored and cannot be shown again
                println!("{token}");
                if !g.quiet {
                    eprintln!(
                        "{} (audit entry {}); keep the token now, it is not shown again",
                        entry.detail, entry.seq
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::List => list(g, &a.tokens()?, |t| {
            format!(
                "{:>4}  {:<20} {:<10} until {}{}",
                t.id,
                t.user,
                t.scope,
                t.expires_at,
                t.revoked_at
                    .as_deref()
                    .map(|r| format!(" (revoked {r})"))
                    .unwrap_or_default()
            )
        }),
        TokenCommand::Revoke { id } => done(g, &a.revoke_token(id)?),
    }
}
