//! What the test files share, each through `use field_ledger_test_support as support;`: one
//! key-value store that fails on demand and shows what was read and written ([`faulty`]), the records every test starts
//! from ([`build`]), small images and their photo entries ([`images`]), the periods and totals the counting tests look at ([`figures`]), natively
//! the export files' JSON Schema ([`schema`]), the fake CouchDB ([`fake_couch`]) and the
//! server's JavaScript run in QuickJS ([`server_js`]), and in the browser tier the helpers that mount
//! pages, find their parts and wait for them ([`browser`]).
//!
//! A library of its own (tests/support/Cargo.toml): built once, and each test file uses the
//! part it needs.

pub mod build;
#[cfg(not(target_arch = "wasm32"))]
pub mod fake_couch;
pub mod faulty;
pub mod figures;
pub mod images;

#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod server_js;

#[cfg(target_arch = "wasm32")]
pub mod browser;

pub use build::*;
pub use faulty::{Fault, Faulty, FaultyPhotos};
pub use figures::*;
pub use images::*;
