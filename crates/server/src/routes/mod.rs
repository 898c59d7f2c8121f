//! Route handlers. API handlers live in `catalogues`, `frameworks` and `accounts`, each with
//! its `#[utoipa::path]` so the OpenAPI document is built from the same functions the router
//! calls; `pages` holds the server-rendered pages (for now the first-start set-up page).

pub mod accounts;
pub mod case_provider;
pub mod catalogue_import;
pub mod catalogues;
pub mod frameworks;
pub mod pages;
pub mod produce;
pub mod stats;

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::client_ip;
use crate::problem::Problem;
use crate::state::AppState;

/// The client's address (for rate limits).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        Ok(Peer(client_ip(parts)))
    }
}

/// Every `/api/v1` route with its OpenAPI operation. Handlers sharing a path go in one
/// `routes!`.
/// Catalogue imports may be larger than other bodies (`Settings::import_limit`).
pub fn api_v1(settings: &crate::Settings) -> OpenApiRouter<AppState> {
    use accounts as a;
    use catalogues as c;
    use frameworks as f;
    let imports = OpenApiRouter::new()
        .routes(routes!(c::list_catalogues, c::import_catalogue))
        .routes(routes!(catalogue_import::import_catalogue_file))
        .layer(axum::extract::DefaultBodyLimit::max(settings.import_limit));
    OpenApiRouter::new()
        .merge(imports)
        .routes(routes!(c::get_catalogue, c::delete_catalogue))
        .routes(routes!(c::get_competency))
        .routes(routes!(c::search_competencies))
        .routes(routes!(f::list_frameworks, f::create_framework))
        .routes(routes!(produce::generate_framework))
        .routes(routes!(produce::export_framework))
        .routes(routes!(
            f::get_framework,
            f::update_framework,
            f::delete_framework
        ))
        .routes(routes!(f::framework_summary))
        .routes(routes!(f::list_revisions))
        .routes(routes!(f::get_revision))
        .routes(routes!(f::diff_revisions))
        .routes(routes!(f::revert_framework))
        .routes(routes!(f::publish_framework))
        .routes(routes!(f::list_releases))
        .routes(routes!(f::record_review))
        .routes(routes!(f::lint_framework))
        .routes(routes!(f::lint_document))
        .routes(routes!(a::list_comments, a::add_comment))
        .routes(routes!(a::login, a::current_session, a::logout))
        .routes(routes!(a::list_tokens, a::create_token))
        .routes(routes!(a::revoke_token))
        .routes(routes!(a::list_members, a::add_member))
        .routes(routes!(a::set_member_role, a::remove_member))
        .routes(routes!(a::list_audit))
        .merge(stats::router())
}
