//! What every handler shares: the store, the settings, the one-time set-up token, the login
//! rate limiter and the lint vocabulary.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use framewright_model::lint::{LintLimits, Vocabulary};
use framewright_store::SharedStore;

use crate::auth::RateLimiter;
use crate::cache::TtlCache;

/// A caller as cached: who, and until when the credential is valid.
#[derive(Debug, Clone)]
pub(crate) struct CachedCaller {
    pub principal: framewright_store::Principal,
    /// The token's id, for tokens.
    pub token_id: Option<uuid::Uuid>,
    /// When the token was last recorded as used.
    pub last_used_at: Option<i64>,
    /// The session's CSRF token, for sessions.
    pub csrf_token: Option<String>,
    /// Expiry of the token or session.
    pub expires_at: Option<i64>,
}

/// A framework's current revision as cached.
#[derive(Debug, Clone)]
pub(crate) struct CachedFramework {
    pub org: uuid::Uuid,
    pub revision: i64,
    pub content: axum::body::Bytes,
}

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest request body accepted by most routes, in bytes.
    pub body_limit: usize,
    /// Largest catalogue import accepted, in bytes.
    pub import_limit: usize,
    /// What imports may unpack to, and how large catalogues and frameworks may be (see
    /// "Limits" in docs/server.md).
    pub limits: framewright_model::Limits,
    /// The address people reach the server at (`https://frameworks.example.org`): the CASE
    /// provider's `uri`s are built from it, never from the request's `Host` or
    /// `X-Forwarded-Proto`. `framewright serve` sets it from `--public-url` (or the address it
    /// listens on).
    pub public_url: Option<String>,
    /// Mark cookies `Secure` (set when the server is reached over HTTPS, for example behind a
    /// TLS-terminating proxy).
    pub secure_cookies: bool,
    /// How long a browser session lasts.
    pub session_lifetime: Duration,
    /// Login attempts allowed per client address in a burst, and the time to earn one back.
    pub login_burst: u32,
    /// See `login_burst`.
    pub login_refill: Duration,
    /// Years between thorough updates, for new review dates.
    pub major_update_years: i32,
    /// How long callers and framework documents are cached in memory (zero: not at all).
    pub read_cache_ttl: Duration,
    /// O*NET importance ratings installed with `framewright onet install`, used as evidence by
    /// the generator (none: the closest O*NET occupations are only named).
    pub onet_ratings: Option<framewright_catalog::onet::OnetRatings>,
    /// Match by meaning too: load the installed sentence-embedding model at start-up (from
    /// FRAMEWRIGHT_MODEL_DIR or the platform's data folder) for generation and catalogue
    /// search. Off by default here so that embedding the server gives the same results
    /// everywhere; `framewright serve` turns it on unless --no-semantic. Builds without the
    /// `semantic` feature ignore it.
    pub semantic: bool,
    /// The pool for CPU-heavy work (lint, imports, statistics, exports, generation).
    pub heavy: crate::heavy::HeavyLimits,
    /// Timeouts and the cap on open connections, for [`crate::serve`].
    pub connections: crate::serve::ConnectionLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            body_limit: 2 * 1024 * 1024,
            import_limit: 64 * 1024 * 1024,
            limits: framewright_model::Limits::default(),
            public_url: None,
            secure_cookies: false,
            session_lifetime: Duration::from_secs(12 * 60 * 60),
            login_burst: 10,
            login_refill: Duration::from_secs(6),
            major_update_years: 3,
            read_cache_ttl: Duration::from_secs(2),
            onet_ratings: None,
            semantic: false,
            heavy: crate::heavy::HeavyLimits::default(),
            connections: crate::serve::ConnectionLimits::default(),
        }
    }
}

/// Shared state of the server.
#[derive(Debug, Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub store: SharedStore,
    pub settings: Settings,
    /// SHA-256 of the one-time set-up token while no account exists.
    pub setup_token_hash: Mutex<Option<String>>,
    pub login_limiter: RateLimiter,
    /// Sign-in attempts per account (lowercased email), whatever the address: behind a proxy
    /// every client shares one address, and one address must not try many passwords on one
    /// account from many places either.
    pub account_limiter: RateLimiter<String>,
    pub vocabulary: Vocabulary,
    pub lint_limits: LintLimits,
    /// The pool for CPU-heavy work.
    pub heavy: crate::heavy::HeavyPool,
    /// Token and session lookups (`t:<hash>`, `s:<hash>`).
    pub callers: TtlCache<CachedCaller>,
    /// Current framework documents by framework id.
    pub frameworks: TtlCache<CachedFramework>,
    /// The generator's built-in inputs.
    pub generator: Arc<framewright_app::generate::Kit>,
    /// The sentence-embedding model, when one is installed and semantic matching is on.
    #[cfg(feature = "semantic")]
    pub semantic: Option<Arc<framewright_semantic::Semantic>>,
}

impl AppState {
    pub(crate) fn store(&self) -> &dyn framewright_store::Store {
        &*self.inner.store
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The pool every CPU-heavy handler runs its work on.
    pub fn heavy(&self) -> &crate::heavy::HeavyPool {
        &self.inner.heavy
    }

    /// Forgets the cached copy of framework `id` (after any change to it).
    pub(crate) fn forget_framework(&self, id: uuid::Uuid) {
        self.inner.frameworks.remove(&id.to_string());
    }

    /// Forgets every cached caller (after a revocation or a change of membership).
    pub(crate) fn forget_callers(&self) {
        self.inner.callers.clear();
    }
}
