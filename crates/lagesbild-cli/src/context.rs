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

/// The local operator principal: the user named by --user, LAGESBILD_USER or the login.
pub fn principal(g: &Global) -> Result<Principal> {
    let user = g
        .user
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| user_error("who is acting? pass --user NAME or set LAGESBILD_USER"))?;
    Ok(Principal::operator(user.trim(), g.user_org.trim()))
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
