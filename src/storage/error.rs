use thiserror::Error;

/// Why a storage operation failed. Every variant leaves the stored data as it was.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StorageError {
    /// localStorage cannot be used at all (disabled, private mode, blocked by policy).
    #[error("browser storage is not available: {0}")]
    Unavailable(String),
    /// The browser refused a write because its storage quota is used up.
    #[error("browser storage is full")]
    QuotaExceeded,
    /// The browser threw on a read or write for another reason.
    #[error("browser storage failed: {0}")]
    Browser(String),
    /// A value could not be turned into JSON (should not happen for our own types).
    #[error("could not encode data for storage: {0}")]
    Encode(String),
    /// The stored layout was written by a newer version of the app.
    #[error("stored data uses layout {0}, newer than this app understands")]
    NewerLayout(String),
}

/// A stored value that was skipped while loading, left untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredProblem {
    pub key: String,
    pub reason: StoredProblemReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredProblemReason {
    /// Not valid JSON, or JSON that is not a record of a known kind.
    Unreadable(String),
    /// Written by a newer version of the app (its schema version is given).
    FromNewerVersion(u32),
    /// The key names one id, the record inside another.
    IdMismatch,
}
