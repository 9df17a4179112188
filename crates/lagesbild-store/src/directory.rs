//! The directory of the policy engine: organisations, users (each of one organisation, with
//! roles and compartment memberships), compartments, sharing agreements and API tokens; and
//! the authentication of users by password (Argon2id) or token (SHA-256 of 32 random bytes).
//!
//! Neither a password nor a token is ever stored, logged or put into an error message: the
//! store keeps the Argon2id hash of the one and the SHA-256 of the other. Failed logins slow the
//! next attempt: after [`FREE_ATTEMPTS`] failures the user is locked for a time that doubles
//! with every further failure, up to an hour.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::Serialize;
use sha2::{Digest, Sha256};

use lagesbild_model::{Agreement, Role};

use crate::error::{Result, StoreError};

/// Failed logins allowed before the lockout starts.
pub const FREE_ATTEMPTS: i64 = 5;
/// The longest lockout, in seconds.
const MAX_LOCK_SECS: i64 = 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgInfo {
    pub name: String,
    /// What kind of organisation: police, customs, municipality, school, housing, europol...
    pub kind: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub name: String,
    pub org: String,
    pub roles: Vec<Role>,
    pub compartments: Vec<String>,
    pub disabled: bool,
    pub locked_until: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompartmentInfo {
    pub name: String,
    pub description: String,
    pub members: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub user: String,
    /// What the token may be used for: `read`, or `read,write`.
    pub scope: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// A change to the directory, written with its audit entry in one transaction.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    AddOrg {
        name: String,
        kind: String,
    },
    AddUser {
        name: String,
        org: String,
        roles: Vec<Role>,
        password_hash: String,
    },
    SetRoles {
        user: String,
        roles: Vec<Role>,
    },
    SetPassword {
        user: String,
        password_hash: String,
    },
    SetDisabled {
        user: String,
        disabled: bool,
    },
    AddCompartment {
        name: String,
        description: String,
    },
    Grant {
        compartment: String,
        user: String,
    },
    Revoke {
        compartment: String,
        user: String,
    },
    AddAgreement(Agreement),
    RevokeAgreement(i64),
    AddToken {
        user: String,
        hash: String,
        scope: String,
        expires_at: String,
    },
    RevokeToken(i64),
}

/// What the store keeps about a user for logging in.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub info: UserInfo,
    pub password_hash: String,
    pub failed: i64,
}

/// The outcome of a login attempt, recorded without the password.
#[derive(Debug, Clone)]
pub(crate) enum LoginEvent {
    Failed {
        user: String,
        failed: i64,
        locked_until: Option<String>,
    },
    Succeeded {
        user: String,
    },
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes: OWASP's recommendation) and a random
/// salt.
pub(crate) fn hash_password(password: &str) -> Result<String> {
    check_password_strength(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::Other(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|_| StoreError::Other("cannot encode a salt".into()))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| StoreError::Other("cannot hash the password".into()))?
        .to_string())
}

fn check_password_strength(password: &str) -> Result<()> {
    if password.chars().count() < 12 {
        return Err(StoreError::Denied(
            "a password needs at least 12 characters".into(),
        ));
    }
    Ok(())
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new token: `lgb_` and 64 hex digits of randomness; with the hash that is stored.
pub(crate) fn new_token() -> Result<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Other(format!("no randomness: {e}")))?;
    let token = format!("lgb_{}", hex::encode(bytes));
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// How long a user is locked after `failed` failed logins, in seconds.
pub(crate) fn lock_seconds(failed: i64) -> i64 {
    if failed < FREE_ATTEMPTS {
        return 0;
    }
    let doublings = (failed - FREE_ATTEMPTS).min(12) as u32;
    (30i64 << doublings).min(MAX_LOCK_SECS)
}

pub(crate) fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn parse_roles(s: &str) -> Vec<Role> {
    s.split(',').filter_map(|r| r.parse().ok()).collect()
}

/// A name for the directory: printable, no control characters, at most 100 characters.
pub(crate) fn check_name(what: &str, name: &str) -> Result<()> {
    let t = name.trim();
    if t.is_empty() || t.chars().count() > 100 || t.chars().any(char::is_control) || t != name {
        return Err(StoreError::Query(format!(
            "invalid {what} name {name:?}: 1–100 printable characters without leading or \
             trailing space"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("correct horse"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, ha) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(token_hash(&a), ha);
        assert!(!ha.contains(&a[4..]));
    }

    #[test]
    fn the_dummy_hash_parses_so_unknown_users_cost_as_much_as_known_ones() {
        assert!(PasswordHash::new(crate::DUMMY_HASH).is_ok());
    }

    #[test]
    fn lockout_grows_and_is_capped() {
        assert_eq!(lock_seconds(4), 0);
        assert_eq!(lock_seconds(5), 30);
        assert_eq!(lock_seconds(6), 60);
        assert_eq!(lock_seconds(100), 3600);
    }
}
