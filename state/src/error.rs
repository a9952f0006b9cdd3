//! Errors of the storage layer. All of them are node faults, never contract results.

use std::path::PathBuf;

use thiserror::Error;

/// A storage fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    /// The database directory could not be opened.
    #[error("cannot open database at {path}: {reason}")]
    Open {
        /// The directory.
        path: PathBuf,
        /// What the database reported.
        reason: String,
    },
    /// Another process (or another handle in this one) holds the database's lock.
    #[error("database at {path} is in use by another process (its LOCK file is held): {reason}")]
    Locked {
        /// The directory.
        path: PathBuf,
        /// What the database reported.
        reason: String,
    },
    /// A read, write or iteration failed.
    #[error("database I/O error at {path} during {op}: {reason}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The failed operation.
        op: &'static str,
        /// What the database reported.
        reason: String,
    },
    /// A write to, or a kind of read from, a view that does not allow it (e.g. a pinned read view).
    #[error("{0} does not allow this operation")]
    Unsupported(&'static str),
    /// Stored bytes are not what this version of Weft wrote.
    #[error("corrupt {what} in the database: {reason}")]
    Corrupt {
        /// The value that is corrupt.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}
