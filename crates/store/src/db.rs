//! The little the store's SQL needs from a database, so that every query is written once in
//! plain generic functions instead of inside a macro expanded per backend.
//!
//! sqlx's own generic API needs a long list of higher-ranked bounds on every function that
//! runs a query (`for<'c> &'c mut DB::Connection: Executor<'c>`, `String: Encode<DB>`, …), and
//! Rust does not carry such bounds from a trait to its users. So the queries go through three
//! small traits instead: a query is an [`Sql`] (text plus [`Arg`]s), a connection is a
//! [`Conn`], a row is read through [`Cols`]. They are implemented once for SQLite and once for
//! PostgreSQL by `conn_impl!`, which only instantiates the same few lines for each sqlx type.

use std::borrow::Cow;
use std::future::Future;

use uuid::Uuid;

use crate::{PageRequest, Paged, StoreResult};

/// One value bound to a placeholder. The four kinds are all the schema uses (ids are TEXT,
/// times and counts BIGINT); keeping `None`'s kind means PostgreSQL sees a typed NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

impl From<String> for Arg {
    fn from(value: String) -> Arg {
        Arg::Text(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Arg {
        Arg::Text(value.to_string())
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Arg {
        Arg::Text(value.clone())
    }
}

impl From<Uuid> for Arg {
    fn from(value: Uuid) -> Arg {
        Arg::Text(value.to_string())
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Arg {
        Arg::Int(value)
    }
}

impl From<Option<String>> for Arg {
    fn from(value: Option<String>) -> Arg {
        Arg::OptText(value)
    }
}

impl From<&Option<String>> for Arg {
    fn from(value: &Option<String>) -> Arg {
        Arg::OptText(value.clone())
    }
}

impl From<Option<&str>> for Arg {
    fn from(value: Option<&str>) -> Arg {
        Arg::OptText(value.map(str::to_string))
    }
}

impl From<Option<Uuid>> for Arg {
    fn from(value: Option<Uuid>) -> Arg {
        Arg::OptText(value.map(|v| v.to_string()))
    }
}

impl From<Option<i64>> for Arg {
    fn from(value: Option<i64>) -> Arg {
        Arg::OptInt(value)
    }
}

/// A statement with its arguments, run on a [`Conn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sql {
    pub(crate) text: Cow<'static, str>,
    pub(crate) args: Vec<Arg>,
}

/// A statement written in the source.
pub(crate) fn query(text: &'static str) -> Sql {
    Sql {
        text: Cow::Borrowed(text),
        args: Vec::new(),
    }
}

/// A statement assembled at run time. Only constants and placeholders may go into `text`,
/// never a caller's value (those are bound as arguments).
pub(crate) fn assembled(text: String) -> Sql {
    Sql {
        text: Cow::Owned(text),
        args: Vec::new(),
    }
}

impl Sql {
    /// Binds the next placeholder.
    pub(crate) fn bind(mut self, value: impl Into<Arg>) -> Sql {
        self.args.push(value.into());
        self
    }

    /// Binds `args` to the next placeholders.
    pub(crate) fn bind_all(mut self, args: &[Arg]) -> Sql {
        self.args.extend_from_slice(args);
        self
    }

    /// Runs the statement; returns how many rows it changed.
    pub(crate) async fn execute<E: Exec>(self, on: E) -> sqlx::Result<u64> {
        on.execute(self).await
    }

    /// The one row the statement returns (an error when there is none).
    pub(crate) async fn fetch_one<E: Exec>(self, on: E) -> sqlx::Result<E::Row> {
        on.fetch_one(self).await
    }

    /// The first row, if any.
    pub(crate) async fn fetch_optional<E: Exec>(self, on: E) -> sqlx::Result<Option<E::Row>> {
        on.fetch_optional(self).await
    }

    /// Every row.
    pub(crate) async fn fetch_all<E: Exec>(self, on: E) -> sqlx::Result<Vec<E::Row>> {
        on.fetch_all(self).await
    }

    /// The first row if any, read into a record by `from_row`.
    pub(crate) async fn fetch_maybe<E: Exec, T>(
        self,
        on: E,
        from_row: impl FnOnce(E::Row) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        on.fetch_optional(self).await?.map(from_row).transpose()
    }

    /// Every row, each read into a record by `from_row`: the one way lists are read.
    pub(crate) async fn fetch_each<E: Exec, T>(
        self,
        on: E,
        from_row: impl Fn(&E::Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        on.fetch_all(self).await?.iter().map(from_row).collect()
    }
}

/// One page of a list and the size of the whole list: `count` (`SELECT COUNT(*) AS n …`)
/// and `rows` share their leading arguments `args`; `rows` ends with `LIMIT $k OFFSET $k+1`,
/// its two placeholders after them.
pub(crate) async fn page_of<C: Conn, T>(
    conn: &mut C,
    count: Sql,
    rows: Sql,
    args: &[Arg],
    page: PageRequest,
    from_row: impl Fn(&C::Row) -> StoreResult<T>,
) -> StoreResult<Paged<T>> {
    let total: i64 = count.bind_all(args).fetch_one(&mut *conn).await?.get("n")?;
    let rows = rows
        .bind_all(args)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&mut *conn)
        .await?;
    let items = rows.iter().map(from_row).collect::<StoreResult<_>>()?;
    Ok(Paged { items, total })
}

/// Where a statement runs: a connection (`&mut conn`, `&mut *tx`) or a pool (`&pool`, which
/// lends a connection for the one statement).
pub(crate) trait Exec: Send {
    /// What a query returns.
    type Row: Cols + Send + Sync;
    /// Runs a statement; how many rows it changed.
    fn execute(self, sql: Sql) -> impl Future<Output = sqlx::Result<u64>> + Send;
    /// Exactly one row.
    fn fetch_one(self, sql: Sql) -> impl Future<Output = sqlx::Result<Self::Row>> + Send;
    /// At most one row.
    fn fetch_optional(
        self,
        sql: Sql,
    ) -> impl Future<Output = sqlx::Result<Option<Self::Row>>> + Send;
    /// All rows.
    fn fetch_all(self, sql: Sql) -> impl Future<Output = sqlx::Result<Vec<Self::Row>>> + Send;
}

impl<C: Conn> Exec for &mut C {
    type Row = C::Row;

    fn execute(self, sql: Sql) -> impl Future<Output = sqlx::Result<u64>> + Send {
        Conn::execute(self, sql)
    }

    fn fetch_one(self, sql: Sql) -> impl Future<Output = sqlx::Result<C::Row>> + Send {
        Conn::fetch_one(self, sql)
    }

    fn fetch_optional(self, sql: Sql) -> impl Future<Output = sqlx::Result<Option<C::Row>>> + Send {
        Conn::fetch_optional(self, sql)
    }

    fn fetch_all(self, sql: Sql) -> impl Future<Output = sqlx::Result<Vec<C::Row>>> + Send {
        Conn::fetch_all(self, sql)
    }
}

impl<DB> Exec for &sqlx::Pool<DB>
where
    DB: sqlx::Database<Connection: Conn>,
{
    type Row = <DB::Connection as Conn>::Row;

    async fn execute(self, sql: Sql) -> sqlx::Result<u64> {
        Conn::execute(&mut *self.acquire().await?, sql).await
    }

    async fn fetch_one(self, sql: Sql) -> sqlx::Result<Self::Row> {
        Conn::fetch_one(&mut *self.acquire().await?, sql).await
    }

    async fn fetch_optional(self, sql: Sql) -> sqlx::Result<Option<Self::Row>> {
        Conn::fetch_optional(&mut *self.acquire().await?, sql).await
    }

    async fn fetch_all(self, sql: Sql) -> sqlx::Result<Vec<Self::Row>> {
        Conn::fetch_all(&mut *self.acquire().await?, sql).await
    }
}

/// A database connection (or an open transaction's connection) the queries run on.
pub(crate) trait Conn: Send {
    /// What a query returns.
    type Row: Cols + Send + Sync;
    /// Runs a statement; how many rows it changed.
    fn execute(&mut self, sql: Sql) -> impl Future<Output = sqlx::Result<u64>> + Send;
    /// Exactly one row.
    fn fetch_one(&mut self, sql: Sql) -> impl Future<Output = sqlx::Result<Self::Row>> + Send;
    /// At most one row.
    fn fetch_optional(
        &mut self,
        sql: Sql,
    ) -> impl Future<Output = sqlx::Result<Option<Self::Row>>> + Send;
    /// All rows.
    fn fetch_all(&mut self, sql: Sql) -> impl Future<Output = sqlx::Result<Vec<Self::Row>>> + Send;
    /// Runs SQL without arguments, possibly several statements (migrations, locks).
    fn execute_raw(&mut self, sql: &'static str) -> impl Future<Output = sqlx::Result<()>> + Send;
}

/// Reading a row's columns by name.
pub(crate) trait Cols {
    /// A TEXT column.
    fn text(&self, name: &str) -> sqlx::Result<String>;
    /// A nullable TEXT column.
    fn opt_text(&self, name: &str) -> sqlx::Result<Option<String>>;
    /// A BIGINT column.
    fn int(&self, name: &str) -> sqlx::Result<i64>;
    /// A nullable BIGINT column.
    fn opt_int(&self, name: &str) -> sqlx::Result<Option<i64>>;

    /// A column of whichever of the four kinds the caller expects.
    fn get<T: Col>(&self, name: &str) -> sqlx::Result<T>
    where
        Self: Sized,
    {
        T::read(self, name)
    }
}

/// A Rust type a column is read into.
pub(crate) trait Col: Sized {
    /// Reads column `name` of `row`.
    fn read(row: &impl Cols, name: &str) -> sqlx::Result<Self>;
}

impl Col for String {
    fn read(row: &impl Cols, name: &str) -> sqlx::Result<String> {
        row.text(name)
    }
}

impl Col for Option<String> {
    fn read(row: &impl Cols, name: &str) -> sqlx::Result<Option<String>> {
        row.opt_text(name)
    }
}

impl Col for i64 {
    fn read(row: &impl Cols, name: &str) -> sqlx::Result<i64> {
        row.int(name)
    }
}

impl Col for Option<i64> {
    fn read(row: &impl Cols, name: &str) -> sqlx::Result<Option<i64>> {
        row.opt_int(name)
    }
}

/// Implements [`Conn`] and [`Cols`] for one sqlx backend: the same calls, typed for it.
macro_rules! conn_impl {
    ($db:ty, $conn:ty, $row:ty) => {
        /// The sqlx query for `sql`, its arguments bound.
        fn into_query(
            sql: $crate::db::Sql,
        ) -> sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments> {
            use $crate::db::Arg;
            let mut q = match sql.text {
                std::borrow::Cow::Borrowed(text) => sqlx::query(text),
                std::borrow::Cow::Owned(text) => sqlx::query(sqlx::AssertSqlSafe(text)),
            };
            for arg in sql.args {
                q = match arg {
                    Arg::Text(v) => q.bind(v),
                    Arg::OptText(v) => q.bind(v),
                    Arg::Int(v) => q.bind(v),
                    Arg::OptInt(v) => q.bind(v),
                };
            }
            q
        }

        impl $crate::db::Conn for $conn {
            type Row = $row;

            async fn execute(&mut self, sql: $crate::db::Sql) -> sqlx::Result<u64> {
                Ok(into_query(sql).execute(&mut *self).await?.rows_affected())
            }

            async fn fetch_one(&mut self, sql: $crate::db::Sql) -> sqlx::Result<$row> {
                into_query(sql).fetch_one(&mut *self).await
            }

            async fn fetch_optional(&mut self, sql: $crate::db::Sql) -> sqlx::Result<Option<$row>> {
                into_query(sql).fetch_optional(&mut *self).await
            }

            async fn fetch_all(&mut self, sql: $crate::db::Sql) -> sqlx::Result<Vec<$row>> {
                into_query(sql).fetch_all(&mut *self).await
            }

            async fn execute_raw(&mut self, sql: &'static str) -> sqlx::Result<()> {
                sqlx::Executor::execute(&mut *self, sqlx::raw_sql(sql)).await?;
                Ok(())
            }
        }

        impl $crate::db::Cols for $row {
            fn text(&self, name: &str) -> sqlx::Result<String> {
                sqlx::Row::try_get(self, name)
            }

            fn opt_text(&self, name: &str) -> sqlx::Result<Option<String>> {
                sqlx::Row::try_get(self, name)
            }

            fn int(&self, name: &str) -> sqlx::Result<i64> {
                sqlx::Row::try_get(self, name)
            }

            fn opt_int(&self, name: &str) -> sqlx::Result<Option<i64>> {
                sqlx::Row::try_get(self, name)
            }
        }
    };
}

pub(crate) use conn_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_bind_as_their_text_and_missing_values_keep_their_kind() {
        let id = Uuid::now_v7();
        let sql = query("SELECT $1, $2, $3, $4")
            .bind(id)
            .bind(None::<Uuid>)
            .bind(None::<i64>)
            .bind_all(&[Arg::Int(7)]);
        assert_eq!(
            sql.args,
            vec![
                Arg::Text(id.to_string()),
                Arg::OptText(None),
                Arg::OptInt(None),
                Arg::Int(7),
            ]
        );
    }
}
