//! The only code that touches the browser's localStorage.
//!
//! Layout (version 2), every key under the `fl.` prefix:
//! - `fl.layout`: the layout version, `"2"`. A newer value means a newer app wrote this
//!   storage: this build then writes nothing and says so.
//! - `fl.v1.settings`: the device's [`Settings`](crate::domain::Settings) as JSON.
//! - `fl.r.<uuid>`: one [`Record`](crate::domain::Record) per key, in the compact form of
//!   [`stored`] (short names, unix-millisecond timestamps, no id, the device as an index into
//!   `fl.dev`), so that saving a record writes that record only. Deletes are tombstones under
//!   the same key.
//! - `fl.dev`: the device table, a JSON array of the device ids that records refer to by
//!   index; written only when a record of a device new to it is saved.
//! - `fl.quarantine.<key>`: a copy of a value that could not be read, kept for the user.
//! - `fl.v1.draft.<kind>.<new|uuid>`: a form's unsaved input, never read as a record.
//!
//! Layout 1 stored each record as its own JSON (as in the export) under `fl.v1.rec.<uuid>`.
//! Opening a layout-1 storage migrates it (see [`Store::open`]); values under layout-1 keys
//! are still read, so that nothing a failed or interrupted migration left is hidden.
//!
//! Records are never removed from storage by the app (except sample data, on request); a bad
//! value is skipped, left where it is and reported, so one damaged entry never hides the rest
//! of the ledger.

/// localStorage holds about 5 MB per site in every major browser; past it, writes fail.
pub const BROWSER_LIMIT_BYTES: usize = 5 * 1024 * 1024;
/// Share of that limit from which the app warns the officer to export and clean up.
pub const WARN_AT_SHARE: f64 = 0.8;

mod backend;
mod error;
pub mod photos;
mod store;
pub mod stored;

pub use backend::{BrowserStorage, KeyValue, MemoryStorage};
pub use error::{StorageError, StoredProblem, StoredProblemReason};
pub use store::{LAYOUT_VERSION, LoadedRecords, Store, StoredChange, keys};
