//! What a form holds while the officer types, kept under its own key so that a reload, a
//! crash or a closed tab loses nothing. Drafts never count as records and are never exported.

use leptos::prelude::*;
use uuid::Uuid;

use super::SharedStore;
use crate::domain::{FormInput, RecordKind};
use crate::storage::StorageError;

#[derive(Clone, Copy)]
pub struct Drafts {
    store: SharedStore,
}

/// The storage name of a form's draft: per kind, and per record for an edit.
fn name(kind: RecordKind, id: Option<Uuid>) -> String {
    match id {
        Some(id) => format!("{}.{id}", kind.name()),
        None => format!("{}.new", kind.name()),
    }
}

/// Where earlier versions kept a draft (under the address of the kind's pages): read once
/// after an update, so that a draft left by the old version is still offered.
fn earlier_name(kind: RecordKind, id: Option<Uuid>) -> String {
    let plural = match kind {
        RecordKind::Training => "trainings",
        RecordKind::Technology => "technologies",
        RecordKind::Visit => "visits",
    };
    match id {
        Some(id) => format!("{plural}.{id}"),
        None => format!("{plural}.new"),
    }
}

impl Drafts {
    pub(super) fn new(store: SharedStore) -> Self {
        Drafts { store }
    }

    pub fn save(
        &self,
        kind: RecordKind,
        id: Option<Uuid>,
        input: &FormInput,
    ) -> Result<(), StorageError> {
        let json = serde_json::to_string(input).map_err(|e| StorageError::Encode(e.to_string()))?;
        self.store
            .with_value(|store| store.save_draft(&name(kind, id), &json))
    }

    /// The draft of a form, if one was left and still reads.
    pub fn load(&self, kind: RecordKind, id: Option<Uuid>) -> Option<FormInput> {
        let read = |name: String| {
            self.store
                .with_value(|store| store.load_draft(&name))
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str(&json).ok())
        };
        read(name(kind, id)).or_else(|| read(earlier_name(kind, id)))
    }

    pub fn discard(&self, kind: RecordKind, id: Option<Uuid>) {
        // A draft that cannot be removed is offered again later; nothing is lost.
        self.store.with_value(|store| {
            let _ = store.remove_draft(&name(kind, id));
            let _ = store.remove_draft(&earlier_name(kind, id));
        });
    }
}
