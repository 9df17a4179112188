//! The directory's SQL: organisations, users, compartments, agreements, tokens.

use rusqlite::{Connection, OptionalExtension, params};

use lagesbild_model::Agreement;

use crate::directory::{
    Change, CompartmentInfo, Credentials, LoginEvent, OrgInfo, TokenInfo, UserInfo, parse_roles,
    roles_text,
};
use crate::error::{Result, StoreError};
use crate::now_rfc3339;

fn exists(conn: &Connection, sql: &str, key: &str) -> Result<bool> {
    Ok(conn.query_row(sql, [key], |_| Ok(())).optional()?.is_some())
}

fn require(conn: &Connection, kind: &'static str, sql: &str, key: &str) -> Result<()> {
    if exists(conn, sql, key)? {
        Ok(())
    } else {
        Err(StoreError::NotFound {
            kind,
            id: key.to_owned(),
        })
    }
}

const ORG: &str = "SELECT 1 FROM org WHERE name = ?1";
const USER: &str = "SELECT 1 FROM user WHERE name = ?1";
const COMPARTMENT: &str = "SELECT 1 FROM compartment WHERE name = ?1";

fn duplicate(kind: &str, name: &str) -> StoreError {
    StoreError::Query(format!("the {kind} {name:?} exists already"))
}

/// Applies one change inside the caller's transaction.
pub(super) fn apply(conn: &Connection, change: &Change) -> Result<()> {
    let now = now_rfc3339();
    match change {
        Change::AddOrg { name, kind } => {
            if exists(conn, ORG, name)? {
                return Err(duplicate("organisation", name));
            }
            conn.execute(
                "INSERT INTO org (name, kind, created_at) VALUES (?1, ?2, ?3)",
                params![name, kind, now],
            )?;
        }
        Change::AddUser {
            name,
            org,
            roles,
            password_hash,
        } => {
            require(conn, "organisation", ORG, org)?;
            if exists(conn, USER, name)? {
                return Err(duplicate("user", name));
            }
            conn.execute(
                "INSERT INTO user (name, org, roles, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, org, roles_text(roles), password_hash, now],
            )?;
        }
        Change::SetRoles { user, roles } => {
            require(conn, "user", USER, user)?;
            conn.execute(
                "UPDATE user SET roles = ?2 WHERE name = ?1",
                params![user, roles_text(roles)],
            )?;
        }
        Change::SetPassword {
            user,
            password_hash,
        } => {
            require(conn, "user", USER, user)?;
            conn.execute(
                "UPDATE user SET password_hash = ?2, failed = 0, locked_until = NULL
                 WHERE name = ?1",
                params![user, password_hash],
            )?;
        }
        Change::SetDisabled { user, disabled } => {
            require(conn, "user", USER, user)?;
            conn.execute(
                "UPDATE user SET disabled = ?2 WHERE name = ?1",
                params![user, disabled],
            )?;
        }
        Change::AddCompartment { name, description } => {
            if exists(conn, COMPARTMENT, name)? {
                return Err(duplicate("compartment", name));
            }
            conn.execute(
                "INSERT INTO compartment (name, description, created_at) VALUES (?1, ?2, ?3)",
                params![name, description, now],
            )?;
        }
        Change::Grant { compartment, user } => {
            require(conn, "compartment", COMPARTMENT, compartment)?;
            require(conn, "user", USER, user)?;
            conn.execute(
                "INSERT OR IGNORE INTO member (compartment, user_name) VALUES (?1, ?2)",
                params![compartment, user],
            )?;
        }
        Change::Revoke { compartment, user } => {
            require(conn, "compartment", COMPARTMENT, compartment)?;
            conn.execute(
                "DELETE FROM member WHERE compartment = ?1 AND user_name = ?2",
                params![compartment, user],
            )?;
        }
        Change::AddAgreement(a) => {
            require(conn, "organisation", ORG, &a.from_org)?;
            require(conn, "organisation", ORG, &a.to_org)?;
            conn.execute(
                "INSERT INTO agreement (from_org, to_org, datasets, h2_consent, aggregates_only,
                                        created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '', ?6)",
                params![
                    a.from_org,
                    a.to_org,
                    serde_json::to_string(&a.datasets).expect("strings serialise"),
                    a.h2_consent,
                    a.aggregates_only,
                    now
                ],
            )?;
        }
        Change::RevokeAgreement(id) => {
            let n = conn.execute(
                "UPDATE agreement SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, now],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    kind: "agreement in force",
                    id: id.to_string(),
                });
            }
        }
        Change::AddToken {
            user,
            hash,
            scope,
            expires_at,
        } => {
            require(conn, "user", USER, user)?;
            conn.execute(
                "INSERT INTO token (user_name, hash, scope, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![user, hash, scope, now, expires_at],
            )?;
        }
        Change::RevokeToken(id) => {
            let n = conn.execute(
                "UPDATE token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, now],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound {
                    kind: "token in force",
                    id: id.to_string(),
                });
            }
        }
    }
    Ok(())
}

pub(super) fn record_login(conn: &Connection, event: &LoginEvent) -> Result<()> {
    match event {
        LoginEvent::Failed {
            user,
            failed,
            locked_until,
        } => conn.execute(
            "UPDATE user SET failed = ?2, locked_until = ?3 WHERE name = ?1",
            params![user, failed, locked_until],
        )?,
        LoginEvent::Succeeded { user } => conn.execute(
            "UPDATE user SET failed = 0, locked_until = NULL WHERE name = ?1",
            params![user],
        )?,
    };
    Ok(())
}

pub(super) fn orgs(conn: &Connection) -> Result<Vec<OrgInfo>> {
    let mut stmt = conn.prepare("SELECT name, kind, created_at FROM org ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok(OrgInfo {
            name: r.get(0)?,
            kind: r.get(1)?,
            created_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn memberships(conn: &Connection, user: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT compartment FROM member WHERE user_name = ?1 ORDER BY compartment",
    )?;
    let rows = stmt.query_map([user], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const USER_COLUMNS: &str =
    "name, org, roles, disabled, locked_until, created_at, password_hash, failed";

fn read_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<(UserInfo, String, i64)> {
    let roles: String = r.get(2)?;
    Ok((
        UserInfo {
            name: r.get(0)?,
            org: r.get(1)?,
            roles: parse_roles(&roles),
            compartments: Vec::new(),
            disabled: r.get(3)?,
            locked_until: r.get(4)?,
            created_at: r.get(5)?,
        },
        r.get(6)?,
        r.get(7)?,
    ))
}

pub(super) fn users(conn: &Connection) -> Result<Vec<UserInfo>> {
    let mut stmt = conn.prepare(&format!("SELECT {USER_COLUMNS} FROM user ORDER BY name"))?;
    let rows: Vec<(UserInfo, String, i64)> = stmt
        .query_map([], read_user)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (mut u, _, _) in rows {
        u.compartments = memberships(conn, &u.name)?;
        out.push(u);
    }
    Ok(out)
}

pub(super) fn credentials(conn: &Connection, user: &str) -> Result<Option<Credentials>> {
    let row = conn
        .query_row(
            &format!("SELECT {USER_COLUMNS} FROM user WHERE name = ?1"),
            [user],
            read_user,
        )
        .optional()?;
    let Some((mut info, password_hash, failed)) = row else {
        return Ok(None);
    };
    info.compartments = memberships(conn, user)?;
    Ok(Some(Credentials {
        info,
        password_hash,
        failed,
    }))
}

pub(super) fn compartments(conn: &Connection) -> Result<Vec<CompartmentInfo>> {
    let mut stmt =
        conn.prepare("SELECT name, description, created_at FROM compartment ORDER BY name")?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut members =
        conn.prepare("SELECT user_name FROM member WHERE compartment = ?1 ORDER BY user_name")?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, description, created_at) in rows {
        let m: Vec<String> = members
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(CompartmentInfo {
            name,
            description,
            members: m,
            created_at,
        });
    }
    Ok(out)
}

/// The agreements in force.
pub(super) fn agreements(conn: &Connection) -> Result<Vec<Agreement>> {
    let mut stmt = conn.prepare(
        "SELECT id, from_org, to_org, datasets, h2_consent, aggregates_only FROM agreement
         WHERE revoked_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        let datasets: String = r.get(3)?;
        Ok(Agreement {
            id: r.get(0)?,
            from_org: r.get(1)?,
            to_org: r.get(2)?,
            datasets: serde_json::from_str(&datasets).unwrap_or_default(),
            h2_consent: r.get(4)?,
            aggregates_only: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const TOKEN_COLUMNS: &str = "id, user_name, scope, created_at, expires_at, revoked_at";

fn read_token(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.get(0)?,
        user: r.get(1)?,
        scope: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

pub(super) fn tokens(conn: &Connection) -> Result<Vec<TokenInfo>> {
    let mut stmt = conn.prepare(&format!("SELECT {TOKEN_COLUMNS} FROM token ORDER BY id"))?;
    let rows = stmt.query_map([], read_token)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn token_by_hash(conn: &Connection, hash: &str) -> Result<Option<TokenInfo>> {
    Ok(conn
        .query_row(
            &format!("SELECT {TOKEN_COLUMNS} FROM token WHERE hash = ?1"),
            [hash],
            read_token,
        )
        .optional()?)
}
