//! Persistence: the Store trait with SQLite and PostgreSQL implementations and their migrations.
