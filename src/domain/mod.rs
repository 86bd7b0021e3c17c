//! Pure domain logic: record types, forms and validation, the export envelope, merging and
//! the in-memory ledger. Nothing here touches the browser, so all of it is tested with plain
//! `cargo test`.

pub mod csv_export;
pub mod datetime_text;
pub mod demands_view;
pub mod docx;
pub mod export;
pub mod export_zip;
pub mod filter;
pub mod followup;
pub mod form;
pub mod json_writer;
pub mod kinds;
pub mod ledger;
pub mod links;
pub mod merge;
pub mod order;
pub mod period;
pub mod photo;
pub mod picklist;
pub mod progress;
pub mod record;
pub mod report;
pub mod sample;
pub mod settings;
pub mod submissions;
pub mod totals;
pub mod values;

pub use export::{EXPORT_FORMAT, ExportDraft, ExportEnvelope, ImportProblem, parse_export};
pub use form::{Field, FieldError, FieldErrors, FormInput, Kind, Problem};
pub use kinds::*;
pub use ledger::Ledger;
pub use record::*;
pub use settings::{ExportLogEntry, Language, Settings, YearTargets};
pub use values::{GeoPoint, Place};
