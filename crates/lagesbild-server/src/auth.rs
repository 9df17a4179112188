//! Who is asking, and why: sessions (a random id in an `HttpOnly`, `SameSite=Strict` cookie,
//! with a CSRF token that every state-changing request must echo), API tokens for machines,
//! the purpose the law requires, and the per-user rate limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use sha2::{Digest, Sha256};

use lagesbild_model::{Principal, Purpose};

use crate::AppState;
use crate::pool::blocking;
use crate::problem::Problem;

pub const COOKIE: &str = "lgb_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const PURPOSE_HEADER: &str = "x-purpose";
/// How long a token's check is remembered (a revoked token stops working within this).
const TOKEN_CACHE: Duration = Duration::from_secs(60);

/// One logged-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub csrf: String,
    pub purpose: Option<String>,
    last_seen: Instant,
}

/// The sessions, by the SHA-256 of their id (the id itself is only in the cookie), and the
/// tokens checked lately.
#[derive(Debug)]
pub struct Sessions {
    idle: Duration,
    map: Mutex<HashMap<String, Session>>,
    tokens: Mutex<HashMap<String, (Principal, bool, Instant)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn digest(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// 32 random bytes as hex.
pub fn random_hex() -> Result<String, Problem> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| Problem::internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(b))
}

/// Equality that takes as long whatever the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Sessions {
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            idle,
            map: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// A new session: its id (for the cookie) and the session.
    pub fn create(&self, principal: Principal) -> Result<(String, Session), Problem> {
        let id = random_hex()?;
        let session = Session {
            principal,
            csrf: random_hex()?,
            purpose: None,
            last_seen: Instant::now(),
        };
        let mut map = lock(&self.map);
        let idle = self.idle;
        map.retain(|_, s| s.last_seen.elapsed() < idle);
        map.insert(digest(&id), session.clone());
        Ok((id, session))
    }

    /// The live session with this id, marked as seen now.
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut map = lock(&self.map);
        let key = digest(id);
        let s = map.get_mut(&key)?;
        if s.last_seen.elapsed() >= self.idle {
            map.remove(&key);
            return None;
        }
        s.last_seen = Instant::now();
        Some(s.clone())
    }

    pub fn remove(&self, id: &str) {
        lock(&self.map).remove(&digest(id));
    }

    pub fn set_purpose(&self, id: &str, purpose: Option<String>) -> Option<Session> {
        let mut map = lock(&self.map);
        let s = map.get_mut(&digest(id))?;
        s.purpose = purpose;
        Some(s.clone())
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    Session { id: String, session: Box<Session> },
    Token { write: bool },
}

/// The caller of a route: the principal, the purpose if one was given, and how they logged in.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub purpose: Option<Purpose>,
    pub via: Via,
}

impl Caller {
    /// The purpose, or 428 so that the app asks for one.
    pub fn purpose(&self) -> Result<Purpose, Problem> {
        self.purpose.clone().ok_or_else(Problem::purpose_required)
    }

    /// Refuses writes to read-only tokens.
    pub fn require_write(&self) -> Result<(), Problem> {
        match self.via {
            Via::Token { write: false } => Err(Problem::forbidden(
                "this API token may only read (make one with --scope read,write)",
            )),
            _ => Ok(()),
        }
    }
}

/// Where the access log learns who asked (the handler's extractor fills it in).
#[derive(Debug, Clone, Default)]
pub struct LogSlot(pub Arc<Mutex<Option<String>>>);

impl LogSlot {
    pub fn user(&self) -> Option<String> {
        lock(&self.0).clone()
    }
}

/// The value of the session cookie in the request, if any.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// Percent-decoded UTF-8 (the purpose travels in a header, which must be ASCII).
pub fn percent_decode(s: &str) -> Result<String, Problem> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    Problem::bad_request("X-Purpose: a % not followed by two hex digits")
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Problem::bad_request("X-Purpose: not percent-encoded UTF-8"))
}

fn header_purpose(parts: &Parts) -> Result<Option<String>, Problem> {
    match parts.headers.get(PURPOSE_HEADER) {
        None => Ok(None),
        Some(v) => {
            let v = v
                .to_str()
                .map_err(|_| Problem::bad_request("X-Purpose: percent-encode the text"))?;
            let text = percent_decode(v)?;
            Ok((!text.trim().is_empty()).then_some(text))
        }
    }
}

/// Whether the request changes state (and so needs the CSRF token with a cookie).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let (principal, via, session_purpose) = if let Some(token) = bearer {
            let (principal, write) = token_principal(state, token).await?;
            (principal, Via::Token { write }, None)
        } else {
            let id = session_cookie(parts)
                .ok_or_else(|| Problem::unauthorized("log in first (POST /api/v1/session)"))?;
            let session = state
                .sessions
                .get(&id)
                .ok_or_else(|| Problem::unauthorized("the session has ended; log in again"))?;
            if changes_state(&parts.method) {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if !same(sent, &session.csrf) {
                    return Err(Problem::forbidden(
                        "missing or wrong X-CSRF-Token (the session's csrf_token)",
                    ));
                }
            }
            let purpose = session.purpose.clone();
            (
                session.principal.clone(),
                Via::Session {
                    id,
                    session: Box::new(session),
                },
                purpose,
            )
        };
        if let Some(slot) = parts.extensions.get::<LogSlot>() {
            *lock(&slot.0) = Some(principal.user.clone());
        }
        if let Err(wait) = state.limiter.take(&format!("user:{}", principal.user)) {
            let mut p = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many requests; wait {wait} s"),
            );
            p.retry_after = Some(wait);
            return Err(p);
        }
        let purpose = match header_purpose(parts)?.or(session_purpose) {
            Some(p) => Some(Purpose::new(&p).map_err(Problem::bad_request)?),
            None => None,
        };
        Ok(Caller {
            principal,
            purpose,
            via,
        })
    }
}

/// The principal of an API token and whether it may write, remembered for a minute.
async fn token_principal(
    state: &Arc<AppState>,
    token: String,
) -> Result<(Principal, bool), Problem> {
    let key = digest(&token);
    if let Some((p, w, at)) = lock(&state.sessions.tokens).get(&key)
        && at.elapsed() < TOKEN_CACHE
    {
        return Ok((p.clone(), *w));
    }
    let st = state.clone();
    let (principal, scope) = blocking(move || {
        st.pool
            .with(|s| s.login_token(&token))
            .map_err(|_| Problem::unauthorized("invalid, expired or revoked token"))
    })
    .await?;
    let write = scope.split(',').any(|s| s.trim() == "write");
    lock(&state.sessions.tokens).insert(key, (principal.clone(), write, Instant::now()));
    Ok((principal, write))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_travel_percent_encoded() {
        assert_eq!(
            percent_decode("%C3%A4rende%205000-K1").unwrap(),
            "ärende 5000-K1"
        );
        assert!(percent_decode("%C3").is_err());
        assert!(percent_decode("%zz").is_err());
        assert!(percent_decode("50%").is_err());
    }

    #[test]
    fn constant_time_equality_is_equality() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}

/// The client's address, when the server knows it (not in tests without a socket).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
