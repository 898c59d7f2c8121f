//! The OpenAPI 3.1 document, built from the same router the server runs (utoipa-axum), so
//! routes and documentation cannot drift. The model's documents (framework, catalogue,
//! competency, diff) are described by the model's own JSON Schema (schemars), placed in
//! `components/schemas` under the names the API's placeholders reference.

use serde_json::{Map, Value, json};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

use crate::dto::MODEL_SCHEMAS;

/// Why the document could not be built (a defect caught by the tests).
#[derive(Debug, thiserror::Error)]
pub enum OpenApiError {
    /// Serialisation failed.
    #[error("cannot serialise the OpenAPI document: {0}")]
    Json(#[from] serde_json::Error),
    /// Two schemas with one name.
    #[error("schema name `{0}` is used both by the API and by the model")]
    Collision(String),
    /// A placeholder has no model schema.
    #[error("no model schema named `{0}`")]
    Missing(String),
}

/// The document's frame: title, version, description.
pub fn base() -> OpenApi {
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Framewright API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Competency frameworks, catalogues, revisions, releases and review.\n\n\
                     Authenticate with an API token (`Authorization: Bearer fwt_…`, created with \
                     POST /api/v1/tokens) or a browser session (POST /api/v1/session sets an \
                     HttpOnly cookie; unsafe requests then carry `X-CSRF-Token`). Errors are \
                     RFC 9457 `application/problem+json`; `errors[].pointer` names the wrong \
                     field. Frameworks have an `ETag` (the revision); writes to them need \
                     `If-Match`. Lists are paginated with `page` and `per_page`.",
                ))
                .build(),
        )
        .build()
}

/// Completes the document produced by the router: model schemas, security schemes, the
/// anonymous sign-in operation.
pub fn finish(api: &OpenApi) -> Result<Value, OpenApiError> {
    let mut doc = serde_json::to_value(api)?;
    let model = model_schemas()?;
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut);
    let Some(schemas) = schemas else {
        return Err(OpenApiError::Missing("components".into()));
    };
    for name in MODEL_SCHEMAS {
        if !model.contains_key(name) {
            return Err(OpenApiError::Missing(name.into()));
        }
    }
    for (name, schema) in model {
        if schemas.contains_key(&name) && !MODEL_SCHEMAS.contains(&name.as_str()) {
            return Err(OpenApiError::Collision(name));
        }
        schemas.insert(name, schema);
    }
    if let Some(components) = doc
        .pointer_mut("/components")
        .and_then(Value::as_object_mut)
    {
        components.insert(
            "securitySchemes".into(),
            json!({
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token created with POST /api/v1/tokens (`fwt_…`)."
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": crate::auth::SESSION_COOKIE,
                    "description": "Browser session from POST /api/v1/session. Unsafe methods also need the X-CSRF-Token header."
                }
            }),
        );
    }
    if let Some(root) = doc.as_object_mut() {
        root.insert(
            "security".into(),
            json!([{ "token": [] }, { "session": [] }]),
        );
        root.insert(
            "tags".into(),
            json!([
                { "name": "catalogues", "description": "Built-in and imported catalogues; competency search" },
                { "name": "frameworks", "description": "Frameworks: create, read, update, delete" },
                { "name": "revisions", "description": "Immutable revisions, diff and revert" },
                { "name": "releases", "description": "Publishing releases and review dates" },
                { "name": "lint", "description": "Quality findings" },
                { "name": "review", "description": "Comments, approvals and change requests" },
                { "name": "accounts", "description": "Sign-in, API tokens, members and roles, audit log" },
                { "name": "stats", "description": "Statistics: reliability, agreement, factor analysis, IRT, fairness, cut scores (nothing is stored)" },
                { "name": "case", "description": "CASE 1.1 provider (1EdTech) for the organisation's published frameworks, under /ims/case/v1p1" }
            ]),
        );
    }
    // Signing in needs no credentials.
    if let Some(op) = doc
        .pointer_mut("/paths/~1api~1v1~1session/post")
        .and_then(Value::as_object_mut)
    {
        op.insert("security".into(), json!([]));
    }
    Ok(doc)
}

/// The model's JSON Schemas (2020-12, as OpenAPI 3.1 uses) with references into
/// `#/components/schemas`.
fn model_schemas() -> Result<Map<String, Value>, OpenApiError> {
    use schemars::generate::SchemaSettings;
    let settings = |serialize: bool| {
        let s = SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
        });
        if serialize {
            s.for_serialize()
        } else {
            s.for_deserialize()
        }
    };
    let mut input = settings(false).into_generator();
    input.subschema_for::<framewright_model::Framework>();
    input.subschema_for::<framewright_model::Catalogue>();
    input.subschema_for::<framewright_model::Competency>();
    input.subschema_for::<framewright_model::Role>();
    let mut out = input.take_definitions(true);
    // The diff is only ever sent, so its schema follows serialisation.
    let mut output = settings(true).into_generator();
    output.subschema_for::<framewright_model::diff::FrameworkDiff>();
    for (name, schema) in output.take_definitions(true) {
        out.entry(name).or_insert(schema);
    }
    Ok(out)
}
