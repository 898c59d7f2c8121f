//! Schema migrations, one list per backend, compiled into the binary. A small runner (in
//! `sql.rs`) applies the ones a database lacks, each in its own transaction, and refuses to
//! start when a migration applied earlier has been edited since (its checksum differs).

/// One schema change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    /// Order and identity (1, 2, …).
    pub version: i64,
    /// What it does.
    pub description: &'static str,
    /// The SQL, possibly several statements.
    pub sql: &'static str,
}

/// Migrations for SQLite.
pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        description: "initial schema",
        sql: include_str!("../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        description: "job analysis",
        sql: include_str!("../migrations/sqlite/0002_job_analysis.sql"),
    },
];

/// Migrations for PostgreSQL.
pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        description: "initial schema",
        sql: include_str!("../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        description: "job analysis",
        sql: include_str!("../migrations/postgres/0002_job_analysis.sql"),
    },
];

/// FNV-1a (64-bit) of the text, hex: enough to notice an edited migration.
pub(crate) fn checksum(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations_in_order() {
        assert_eq!(SQLITE.len(), POSTGRES.len());
        for (i, (a, b)) in SQLITE.iter().zip(POSTGRES).enumerate() {
            assert_eq!(a.version, i as i64 + 1);
            assert_eq!(a.version, b.version);
            assert_eq!(a.description, b.description);
        }
    }

    #[test]
    fn checksums_differ_when_text_differs() {
        assert_ne!(checksum("a"), checksum("b"));
        assert_eq!(checksum("abc"), checksum("abc"));
        assert_eq!(checksum(""), "cbf29ce484222325");
    }
}
