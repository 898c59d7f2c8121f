//! Who is calling, and may they: API tokens (`Authorization: Bearer fwt_…`), browser sessions
//! (an HttpOnly cookie plus a CSRF token on every unsafe request), argon2id passwords hashed
//! off the async threads, and a per-address rate limit for sign-in attempts.
//!
//! Secrets (session ids, tokens, the set-up token) are 256-bit random values; only their
//! SHA-256 is stored, so a copy of the database does not let anyone in.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use framewright_store::{Principal, Role};
use sha2::{Digest, Sha256};

use crate::problem::Problem;
use crate::state::{AppState, CachedCaller};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "fw_session";
/// Header that carries the CSRF token of a browser session.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Prefix of API tokens, so that a leaked token is recognisable.
pub const TOKEN_PREFIX: &str = "fwt_";

/// Milliseconds since the epoch.
pub fn now_millis() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// `bytes` random bytes from the operating system, as hex.
pub fn random_hex(bytes: usize) -> Result<String, Problem> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| {
        tracing::error!(error = %e, "no randomness");
        Problem::internal()
    })?;
    Ok(hex(&buffer))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 of `secret`, hex: what the store keeps of sessions and tokens.
pub fn sha256_hex(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with argon2id (default parameters) on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, Problem> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash: PasswordHash| hash.to_string())
    })
    .await
    .map_err(|_| Problem::internal())?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        Problem::internal()
    })
}

/// Checks a password against a stored PHC string on a blocking thread. With no stored hash
/// (unknown account) a dummy hash is checked, so the answer takes as long either way.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = match stored {
            Some(hash) => hash,
            None => dummy_hash().to_string(),
        };
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"framewright dummy password")
            .map(|hash: PasswordHash| hash.to_string())
            .unwrap_or_default()
    })
}

/// Checks a new password: long enough, not absurdly long, and not a commonly used one (NIST
/// SP 800-63B asks for the check; see [`is_common_password`]).
pub fn password_problem(password: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < 10 {
        Some("the password needs at least 10 characters")
    } else if length > 1024 {
        Some("the password must be shorter than 1,024 characters")
    } else if is_common_password(password) {
        Some(
            "this password is too common or too easy to guess (a well-known word with numbers, a keyboard row, a repeated character); choose another, for example a few unrelated words",
        )
    } else {
        None
    }
}

/// The common passwords of `data/passwords/common.txt` (bases, lowercase).
fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../../data/passwords/common.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Runs of keys or characters people use as passwords (`1234567890`, `qwertyuiop`), each also
/// read backwards.
const RUNS: [&str; 5] = [
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
];

/// Whether `password` is commonly used or easy to guess: one character or a short group
/// repeated, part of a keyboard row or of the alphabet or digits (forwards or backwards, going
/// round), or a base from `data/passwords/common.txt` with only digits and symbols around it.
pub fn is_common_password(password: &str) -> bool {
    let lower = password.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    for unit in 1..=4 {
        if chars.len() > unit && chars.iter().enumerate().all(|(i, c)| *c == chars[i % unit]) {
            return true;
        }
    }
    for run in RUNS {
        let forwards = run.repeat(3);
        let backwards: String = forwards.chars().rev().collect();
        if forwards.contains(&lower) || backwards.contains(&lower) {
            return true;
        }
    }
    let list = common_passwords();
    let not_letter = |c: char| !c.is_alphabetic();
    let stripped_end = lower.trim_end_matches(not_letter);
    let stripped_start = lower.trim_start_matches(not_letter);
    [
        lower.as_str(),
        stripped_end,
        stripped_start,
        stripped_start.trim_end_matches(not_letter),
    ]
    .iter()
    .any(|candidate| !candidate.is_empty() && list.contains(candidate))
}

/// A token bucket per key (a client address, or an account's email): `burst` attempts at once,
/// one more earned every `refill`.
#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    burst: f64,
    refill: Duration,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: std::hash::Hash + Eq> RateLimiter<K> {
    /// A limiter allowing `burst` attempts, then one per `refill`.
    pub fn new(burst: u32, refill: Duration) -> RateLimiter<K> {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            refill,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one attempt for `key`: `Ok` when allowed, otherwise the seconds to wait.
    pub fn check(&self, key: K) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > 100_000 {
            // Forget clients that have had time to refill completely.
            let full = self.refill.mul_f64(self.burst);
            buckets.retain(|_, (_, at)| now.duration_since(*at) < full);
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.burst, now));
        let earned = now.duration_since(*at).as_secs_f64() / self.refill.as_secs_f64().max(1e-9);
        *tokens = (*tokens + earned).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - *tokens) * self.refill.as_secs_f64();
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

/// The client's address (the TCP peer; the server does not trust forwarding headers).
pub fn client_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip())
}

/// A rate-limited answer.
pub fn too_many(retry_after: u64) -> Problem {
    let mut p = Problem::new(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "rate-limited",
        "Too many attempts",
        format!("too many sign-in attempts from this address; try again in {retry_after} s"),
    );
    p.retry_after = Some(retry_after);
    p
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `Set-Cookie` value for the session cookie (`max_age` 0 clears it).
pub fn session_cookie(value: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        max_age.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// How a caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// An API token.
    Token,
    /// A browser session (CSRF-checked for unsafe methods).
    Session,
}

/// A signed-in caller: who, in which organisation, with which role.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user, organisation and role.
    pub principal: Principal,
    /// Token or session.
    pub via: Via,
    /// The session's id hash and CSRF token, for browser sessions.
    pub session: Option<(String, String)>,
}

impl Caller {
    /// Refuses unless the role allows editing frameworks and catalogues.
    pub fn require_editor(&self) -> Result<(), Problem> {
        self.require(
            Role::can_edit,
            "create or change frameworks and catalogues",
            "designer or owner",
        )
    }

    /// Refuses unless the role allows commenting and approving.
    pub fn require_reviewer(&self) -> Result<(), Problem> {
        self.require(
            Role::can_review,
            "comment on or approve frameworks",
            "reviewer, designer or owner",
        )
    }

    /// Refuses unless the role is owner.
    pub fn require_owner(&self) -> Result<(), Problem> {
        self.require(
            Role::can_manage,
            "manage members or read the audit log",
            "owner",
        )
    }

    fn require(&self, allowed: fn(Role) -> bool, what: &str, roles: &str) -> Result<(), Problem> {
        if allowed(self.principal.role) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "your role here is {}; to {what} you need to be {roles}",
                self.principal.role
            )))
        }
    }
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let now = now_millis();
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let text = value
                .to_str()
                .map_err(|_| Problem::unauthorized("the Authorization header is not readable"))?;
            let token = text
                .strip_prefix("Bearer ")
                .or_else(|| text.strip_prefix("bearer "))
                .map(str::trim)
                .ok_or_else(|| {
                    Problem::unauthorized("use `Authorization: Bearer <token>` with an API token")
                })?;
            let found = token_caller(state, &sha256_hex(token), now).await?;
            return Ok(Caller {
                principal: found.principal,
                via: Via::Token,
                session: None,
            });
        }
        let Some(session_id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Problem::unauthorized(
                "sign in (POST /api/v1/session) or send an API token as `Authorization: Bearer <token>`",
            ));
        };
        let id_hash = sha256_hex(&session_id);
        let session = session_caller(state, &id_hash, now).await?;
        let csrf = session.csrf_token.unwrap_or_default();
        if is_unsafe(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if csrf.is_empty() || !constant_time_eq(sent, &csrf) {
                return Err(Problem::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "csrf",
                    "Missing or wrong CSRF token",
                    "requests that change data from a browser session must carry the session's CSRF token in the X-CSRF-Token header (see GET /api/v1/session)",
                ));
            }
        }
        Ok(Caller {
            principal: session.principal,
            via: Via::Session,
            session: Some((id_hash, csrf)),
        })
    }
}

/// The live token with this hash, from the cache or the store; records its use at most once
/// a minute, off the request path.
async fn token_caller(state: &AppState, hash: &str, now: i64) -> Result<CachedCaller, Problem> {
    let key = format!("t:{hash}");
    let cache = &state.inner.callers;
    let mut found = match cache
        .get(&key)
        .filter(|c| c.expires_at.is_none_or(|e| now < e))
    {
        Some(cached) => cached,
        None => {
            let generation = cache.generation();
            let stored = state.store().token(hash, now).await?.ok_or_else(|| {
                Problem::unauthorized("the API token is unknown, expired or revoked")
            })?;
            let fresh = CachedCaller {
                principal: stored.principal,
                token_id: Some(stored.token_id),
                last_used_at: stored.last_used_at,
                csrf_token: None,
                expires_at: stored.expires_at,
            };
            cache.insert_if_unchanged(generation, key.clone(), fresh.clone());
            fresh
        }
    };
    if let Some(id) = found.token_id
        && found.last_used_at.is_none_or(|t| now - t > 60_000)
    {
        found.last_used_at = Some(now);
        cache.insert(key, found.clone());
        let store = state.inner.store.clone();
        tokio::spawn(async move {
            if let Err(e) = store.touch_token(id, now).await {
                tracing::warn!(error = %e, "could not record token use");
            }
        });
    }
    Ok(found)
}

/// The live session with this id hash, from the cache or the store.
async fn session_caller(
    state: &AppState,
    id_hash: &str,
    now: i64,
) -> Result<CachedCaller, Problem> {
    let key = format!("s:{id_hash}");
    let cache = &state.inner.callers;
    if let Some(cached) = cache
        .get(&key)
        .filter(|c| c.expires_at.is_none_or(|e| now < e))
    {
        return Ok(cached);
    }
    let generation = cache.generation();
    let session = state
        .store()
        .session(id_hash, now)
        .await?
        .ok_or_else(|| Problem::unauthorized("the session has ended; sign in again"))?;
    let fresh = CachedCaller {
        principal: session.principal,
        token_id: None,
        last_used_at: None,
        csrf_token: Some(session.csrf_token),
        expires_at: Some(session.expires_at),
    };
    cache.insert_if_unchanged(generation, key, fresh.clone());
    Ok(fresh)
}

/// A browser session for server-rendered pages: signed in by cookie, with the CSRF check left
/// to the handler, which reads the token from the form's `csrf_token` field
/// ([`SessionCaller::check_csrf`]). Pages answer a missing session by sending people to sign
/// in; API routes use [`Caller`].
#[derive(Debug, Clone)]
pub struct SessionCaller {
    /// Who.
    pub principal: Principal,
    /// The session's id hash.
    pub id_hash: String,
    /// The CSRF token forms of this session carry.
    pub csrf_token: String,
}

impl SessionCaller {
    /// Refuses a form whose `csrf_token` field is not this session's token.
    pub fn check_csrf(&self, sent: &str) -> Result<(), Problem> {
        if constant_time_eq(sent, &self.csrf_token) {
            Ok(())
        } else {
            Err(Problem::forbidden(
                "the form's CSRF token is missing or stale; reload the page",
            ))
        }
    }
}

impl FromRequestParts<AppState> for SessionCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let id = cookie(&parts.headers, SESSION_COOKIE)
            .ok_or_else(|| Problem::unauthorized("sign in first"))?;
        let id_hash = sha256_hex(&id);
        let session = session_caller(state, &id_hash, now_millis()).await?;
        Ok(SessionCaller {
            principal: session.principal,
            id_hash,
            csrf_token: session.csrf_token.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limiter_allows_a_burst_then_refuses() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let ip = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..3 {
            assert!(limiter.check(ip).is_ok());
        }
        let wait = limiter.check(ip).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check(IpAddr::from([10, 0, 0, 2])).is_ok());
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; fw_session=abc ; b=2".parse().unwrap());
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn secrets_compare_and_hash() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(random_hex(32).unwrap().len(), 64);
    }
}
