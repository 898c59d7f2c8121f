//! Conversions between stored values and the store's types: times in milliseconds, ids as
//! text, JSON columns, and database errors that mean "that name is taken".

use uuid::Uuid;

use crate::{StoreError, StoreResult};

/// Now, in milliseconds since the epoch.
pub(crate) fn now_millis() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

pub(crate) fn parse_uuid(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("bad id `{text}`: {e}")))
}

pub(crate) fn parse_opt_uuid(text: Option<String>) -> StoreResult<Option<Uuid>> {
    text.as_deref().map(parse_uuid).transpose()
}

pub(crate) fn parse_role(text: &str) -> StoreResult<crate::Role> {
    text.parse()
        .map_err(|e: crate::RoleError| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Unique-constraint violations become `Conflict` with `what`; other errors pass through.
pub(crate) fn conflict(error: sqlx::Error, what: impl Into<String>) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what.into()),
        _ => StoreError::Database(error),
    }
}
