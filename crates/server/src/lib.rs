//! The workspace server: REST API with OpenAPI, accounts and organisations, and the
//! server-rendered pages of the web interface.
//!
//! - `/ims/case/v1p1/…`: the CASE 1.1 provider for published frameworks
//!   ([`routes::case_provider`]);
//! - `/api/v1/…`: the REST API ([`routes`]), documented at `/api/openapi.json` (OpenAPI 3.1,
//!   built from the router itself, see [`openapi`]) and browsable at `/api/docs/`;
//! - `/setup`: the first-start page reached through the one-time link printed at start-up;
//! - `/`, `/login`, …: the web interface ([`web`]); `/healthz`: health check.
//!
//! Errors are RFC 9457 problem details ([`problem`]); authentication and roles are in
//! [`auth`]; request bodies, `If-Match` and pagination in [`extract`].

// Handlers return `Result<_, Problem>`; a problem is built only on the error path, so its
// size does not matter there and boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod cache;
pub mod dto;
pub mod extract;
pub mod heavy;
pub mod openapi;
pub mod problem;
pub mod routes;
pub mod serve;
pub mod state;
pub mod web;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use framewright_model::lint::LintLimits;
use framewright_store::{SharedStore, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use serve::{ConnectionLimits, serve};
pub use state::{AppState, Settings};

use crate::state::Inner;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Built-in data is damaged (a defect of the build).
    #[error(transparent)]
    BuiltIn(#[from] framewright_catalog::BuiltInDataError),
    /// The OpenAPI document could not be built (a defect of the build).
    #[error(transparent)]
    OpenApi(#[from] openapi::OpenApiError),
    /// The generator's built-in data is damaged (a defect of the build).
    #[error(transparent)]
    Generator(#[from] framewright_app::generate::KitError),
    /// No randomness for the set-up token.
    #[error("cannot create the set-up token: {0}")]
    Random(String),
    /// The network failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A server ready to run.
#[derive(Debug)]
pub struct App {
    /// The routes, with state.
    pub router: Router,
    /// The OpenAPI document served at `/api/openapi.json`.
    pub openapi: serde_json::Value,
    /// The one-time set-up token, when no account exists yet (print the link with it).
    pub setup_token: Option<String>,
    /// The state handlers share.
    pub state: AppState,
}

/// The `/api/v1` router with its documentation, and the OpenAPI document completed.
pub fn api(settings: &Settings) -> Result<(Router<AppState>, serde_json::Value), ServerError> {
    let (router, api) = OpenApiRouter::with_openapi(openapi::base())
        .nest("/api/v1", routes::api_v1(settings))
        .nest(
            routes::case_provider::BASE_PATH,
            routes::case_provider::router(),
        )
        .split_for_parts();
    let document = openapi::finish(&api)?;
    Ok((router, document))
}

/// Builds the server on `store`: loads the built-in catalogues, creates the set-up token
/// when there is no account, assembles the routes.
pub async fn build(store: SharedStore, settings: Settings) -> Result<App, ServerError> {
    let opm = framewright_catalog::opm_ai_2024()?;
    store.upsert_builtin_catalogue(&opm.catalogue).await?;
    let setup_token = if store.count_users().await? == 0 {
        Some(auth::random_hex(32).map_err(|p| ServerError::Random(p.detail))?)
    } else {
        None
    };
    let mut generator = framewright_app::generate::Kit::builtin()?;
    generator.set_onet_ratings(settings.onet_ratings.clone());
    let state = AppState {
        inner: Arc::new(Inner {
            store,
            setup_token_hash: Mutex::new(setup_token.as_deref().map(auth::sha256_hex)),
            login_limiter: auth::RateLimiter::new(settings.login_burst, settings.login_refill),
            account_limiter: auth::RateLimiter::new(settings.login_burst, settings.login_refill),
            vocabulary: framewright_catalog::vocabulary::builtin_vocabulary()?,
            lint_limits: LintLimits::default(),
            heavy: heavy::HeavyPool::new(settings.heavy.clone()),
            callers: cache::TtlCache::new(settings.read_cache_ttl, 100_000),
            frameworks: cache::TtlCache::new(settings.read_cache_ttl, 10_000),
            generator: Arc::new(generator),
            #[cfg(feature = "semantic")]
            semantic: load_semantic(settings.semantic, &opm.catalogue).await,
            settings: settings.clone(),
        }),
    };
    let (api_router, document) = api(&settings)?;
    let router = Router::new()
        .merge(api_router)
        .merge(web::router())
        .route(
            "/setup",
            get(routes::pages::setup_page).post(routes::pages::setup_submit),
        )
        .route("/healthz", get(routes::pages::health))
        .layer(DefaultBodyLimit::max(settings.body_limit))
        .fallback(web::fallback)
        .method_not_allowed_fallback(web::method_not_allowed)
        .with_state(state.clone())
        .merge(
            SwaggerUi::new("/api/docs")
                .external_url_unchecked("/api/openapi.json", document.clone()),
        );
    Ok(App {
        router,
        openapi: document,
        setup_token,
        state,
    })
}

/// The installed sentence-embedding model with the built-in catalogue's vectors, when `on` and a
/// model is installed. A model that cannot be loaded is logged and the server matches by words.
#[cfg(feature = "semantic")]
async fn load_semantic(
    on: bool,
    builtin: &framewright_model::Catalogue,
) -> Option<Arc<framewright_semantic::Semantic>> {
    if !on {
        return None;
    }
    let builtin = builtin.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let semantic = framewright_semantic::Semantic::load_default()?;
        if let Some(s) = &semantic {
            s.prepare(&builtin)?;
        }
        Ok::<_, framewright_semantic::SemanticError>(semantic)
    })
    .await;
    match loaded {
        Ok(Ok(Some(semantic))) => {
            tracing::info!(
                "matching competencies by words and by meaning ({})",
                semantic.model()
            );
            Some(Arc::new(semantic))
        }
        Ok(Ok(None)) => {
            tracing::info!(
                "no sentence-embedding model is installed: matching by words only (see `framewright models`)"
            );
            None
        }
        Ok(Err(e)) => {
            tracing::error!(
                "the sentence-embedding model cannot be used ({e}): matching by words only"
            );
            None
        }
        Err(e) => {
            tracing::error!(
                "loading the sentence-embedding model failed ({e}): matching by words only"
            );
            None
        }
    }
}
