//! Persistence: one SQLite database (a file, or in memory) for both APIs.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

/// Why the sandbox cannot start or serve.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sp_subaccounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partner TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    compliance_status TEXT NOT NULL,
    ip_pool TEXT,
    deliverability INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sp_keys (
    hash TEXT PRIMARY KEY,
    subaccount_id INTEGER NOT NULL REFERENCES sp_subaccounts(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    short_key TEXT NOT NULL,
    grants TEXT NOT NULL,
    valid_ips TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cm_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partner TEXT NOT NULL,
    company_name TEXT NOT NULL,
    admin_email TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    suspended_at TEXT
);
CREATE TABLE IF NOT EXISTS cm_resources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partner TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cm_resources_scope ON cm_resources (partner, account_id, kind);
";

/// The database. Calls are short and never held across an `.await`.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// The database file `sandbox.sqlite3` in `dir` (created if needed).
    pub fn open_dir(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        Store::init(Connection::open(dir.join("sandbox.sqlite3"))?)
    }

    /// A database that lives as long as the process.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// The connection; a panic elsewhere while holding it does not poison the sandbox.
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The current time, as stored (RFC 3339, UTC, microseconds so that order is creation order).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A time as stored (RFC 3339), or `None` when it is not one.
pub fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}
