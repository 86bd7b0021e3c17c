//! Pure domain logic: record types, validation, the export envelope and the in-memory ledger.
//! Nothing here touches the browser, so all of it is tested with plain `cargo test`.

pub mod csv_export;
pub mod datetime_text;
pub mod export;
pub mod filter;
pub mod followup;
pub mod input;
pub mod json_writer;
pub mod ledger;
pub mod links;
pub mod merge;
pub mod picklist;
pub mod progress;
pub mod record;
pub mod sample;
pub mod settings;

pub use export::{EXPORT_FORMAT, ExportDraft, ExportEnvelope, ImportProblem, parse_export};
pub use input::{
    Field, FieldError, FieldErrors, Problem, TechnologyInput, TrainingInput, VisitInput,
};
pub use ledger::Ledger;
pub use record::*;
pub use settings::{ExportLogEntry, Language, Settings, YearTargets};
