//! The stylesheet and script, embedded in the binary and served from memory.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

/// The stylesheet.
pub const APP_CSS: &str = include_str!("../../static/app.css");
/// The script (progressive enhancement only: every page works without it).
pub const APP_JS: &str = include_str!("../../static/app.js");

/// `/static/app.css` and `/static/app.js`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
}

fn asset(body: &'static str, media: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            // Pages link the assets with `?v=<version>`, so a new release is fetched anew.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn css() -> Response {
    asset(APP_CSS, "text/css; charset=utf-8")
}

async fn js() -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8")
}
