//! Who the command acts for and why, and the store it acts on.

use anyhow::{Context as _, Result};

use lagesbild_model::{Principal, Purpose};
use lagesbild_store::Store;

use crate::cli::Global;

/// A mistake the user can fix: a missing flag, a bad value.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

pub fn user_error(msg: impl Into<String>) -> anyhow::Error {
    UserError(msg.into()).into()
}

/// The user named by --user, LAGESBILD_USER or the login.
fn user_name(g: &Global) -> Result<String> {
    let user = g
        .user
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| user_error("who is acting? pass --user NAME or set LAGESBILD_USER"))?;
    Ok(user.trim().to_owned())
}

/// The store and who acts on it.
///
/// With `LAGESBILD_TOKEN` set, the token's user (a token of scope `read` cannot add data).
/// A user of the store's directory logs in with `LAGESBILD_PASSWORD` and acts with the roles,
/// organisation and compartments the directory gives. Anyone else is the store's local
/// operator: whoever holds the store's files can read them, so the operator sees everything
/// (and is logged as such); a deployment serves directory users only.
pub fn session(g: &Global) -> Result<(Store, Principal, bool)> {
    let user = user_name(g)?;
    let mut store = open_store(g)?;
    if let Ok(token) = std::env::var("LAGESBILD_TOKEN")
        && !token.trim().is_empty()
    {
        let (who, scope) = store
            .login_token(&token)
            .map_err(|e| user_error(e.to_string()))?;
        let writable = scope.split(',').any(|s| s == "write");
        return Ok((store, who, writable));
    }
    if store.is_user(&user)? {
        let password = std::env::var("LAGESBILD_PASSWORD").map_err(|_| {
            user_error(format!(
                "{user} is a user of the store's directory: set LAGESBILD_PASSWORD (or \
                 LAGESBILD_TOKEN) to log in"
            ))
        })?;
        let who = store
            .login(&user, &password)
            .map_err(|e| user_error(e.to_string()))?;
        return Ok((store, who, true));
    }
    Ok((store, Principal::operator(&user, g.user_org.trim()), true))
}

/// The purpose of this access; the law requires one for every consultation.
pub fn purpose(g: &Global) -> Result<Purpose> {
    let text = g.purpose.as_deref().ok_or_else(|| {
        user_error(
            "why? pass --purpose TEXT or set LAGESBILD_PURPOSE (every access to the data is \
             logged with its justification, e.g. a case number)",
        )
    })?;
    Purpose::new(text).map_err(user_error)
}

pub fn open_store(g: &Global) -> Result<Store> {
    Store::open(&g.data).with_context(|| format!("cannot open the store at {}", g.data.display()))
}
