//! Live sync with a CouchDB 3 database (optional; the file handoff stays as it is).
//!
//! - [`couch`]: a record as a CouchDB document, deterministic revision ids, the winning leaf.
//! - [`state`]: what a device remembers between syncs (server, checkpoint, per-record marks).
//! - [`views`]: the dashboard's figures from the server's views (server mode).
//! - [`engine`]: the replicator over two traits, [`Transport`] (HTTP) and [`Local`] (the
//!   ledger and its storage), so that it runs natively in tests.
//!
//! The browser's side (fetch, the lock that lets one tab sync at a time) is in
//! [`crate::browser`]; the running app's side in [`crate::state::sync`].

pub mod couch;
pub mod engine;
pub mod state;
pub mod views;

pub use engine::{
    Identity, Local, Method, PhotoReport, Progress, Replicator, Request, Response, Retry,
    SyncError, SyncReport, Transport, Unreachable,
};
pub use state::{AddressProblem, Checkpoint, Mark, Refusal, StateJournal, SyncConfig, SyncState};
