//! Conversions between stored values and the store's types: times in milliseconds, ids as
//! text, JSON columns, and database errors that mean "that name is taken".

use uuid::Uuid;

use crate::{StoreError, StoreResult};

/// `NotFound` unless a write changed exactly one row: the one it named, which must exist.
pub(crate) fn found_one(rows: u64) -> StoreResult<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// Now, in milliseconds since the epoch.
pub(crate) fn now_millis() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// An id read back from a TEXT column.
pub(crate) fn parse_uuid(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("bad id `{text}`: {e}")))
}

/// An optional id read back from a TEXT column.
pub(crate) fn parse_opt_uuid(text: Option<String>) -> StoreResult<Option<Uuid>> {
    text.as_deref().map(parse_uuid).transpose()
}

/// A role read back from its column.
pub(crate) fn parse_role(text: &str) -> StoreResult<crate::Role> {
    text.parse()
        .map_err(|e: crate::RoleError| StoreError::Corrupt(e.to_string()))
}

/// A value as the JSON text a column stores.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A value from the JSON text of a column.
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
