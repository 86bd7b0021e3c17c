//! Pure domain logic: record types, validation, the export envelope and the in-memory ledger.
//! Nothing here touches the browser, so all of it is tested with plain `cargo test`.

pub mod export;
pub mod input;
pub mod ledger;
pub mod record;
pub mod settings;

pub use export::{EXPORT_FORMAT, ExportEnvelope};
pub use input::{Field, FieldError, FieldErrors, Problem, TechnologyInput, TrainingInput, VisitInput};
pub use ledger::Ledger;
pub use record::*;
pub use settings::{Language, Settings};
