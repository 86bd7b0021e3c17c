//! What a form holds while the officer types, kept under its own key so that a reload, a
//! crash or a closed tab loses nothing. Drafts never count as records and are never exported.

use leptos::prelude::*;
use uuid::Uuid;

use super::SharedStore;
use crate::domain::order;
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
    let plural = earlier_prefix(kind);
    match id {
        Some(id) => format!("{plural}.{id}"),
        None => format!("{plural}.new"),
    }
}

fn earlier_prefix(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training => "trainings",
        RecordKind::Technology => "technologies",
        RecordKind::Visit => "visits",
        // Newer than that naming: never drafted under it.
        RecordKind::Team => "teams",
        RecordKind::Demand => "demands",
    }
}

/// The kind and record of a draft's storage name, in either form.
fn parse_name(name: &str, kind: RecordKind) -> Option<(RecordKind, Option<Uuid>)> {
    [kind.name(), earlier_prefix(kind)]
        .into_iter()
        .find_map(|prefix| {
            let rest = name.strip_prefix(prefix)?.strip_prefix('.')?;
            if rest == "new" {
                Some((kind, None))
            } else {
                Uuid::parse_str(rest).ok().map(|id| (kind, Some(id)))
            }
        })
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

    /// The forms with a draft left: each kind, and the record edited (`None`: a new one).
    pub fn pending(&self) -> Vec<(RecordKind, Option<Uuid>)> {
        let names = self
            .store
            .with_value(|store| store.draft_names())
            .unwrap_or_default();
        let mut pending = Vec::new();
        for name in names {
            let found = RecordKind::ALL
                .into_iter()
                .find_map(|kind| parse_name(&name, kind));
            if let Some(draft) = found
                && !pending.contains(&draft)
            {
                pending.push(draft);
            }
        }
        order::sort_by_key(&mut pending, |(kind, id)| (*kind, id.is_some()));
        pending
    }

    pub fn discard(&self, kind: RecordKind, id: Option<Uuid>) {
        // A draft that cannot be removed is offered again later; nothing is lost.
        self.store.with_value(|store| {
            let _ = store.remove_draft(&name(kind, id));
            let _ = store.remove_draft(&earlier_name(kind, id));
        });
    }
}
