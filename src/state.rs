//! The running app's state: the ledger and settings as signals, written through the store.
//! Every write goes to storage first; the signals change only when it succeeded, so what the
//! screen shows is what is stored.

use leptos::prelude::*;
use uuid::Uuid;

use crate::browser;
use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::merge::{self, MergeReport};
use crate::domain::{
    Author, ExportDraft, ExportEnvelope, ExportLogEntry, Ledger, Record, RecordBody, RecordKind,
    Settings,
};
use crate::storage::{
    self, BrowserStorage, KeyValue, StorageError, Store, StoredChange, StoredProblem,
};

/// How an edit was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditOutcome {
    Saved,
    /// Another tab had saved this record meanwhile; its version is in the history.
    KeptOtherVersion,
}

/// Whether what the user records is kept by the browser.
#[derive(Clone, Debug, PartialEq)]
pub enum Persistence {
    Stored,
    /// Storage could not be used; records live only as long as the page.
    MemoryOnly(StorageError),
}

#[derive(Clone, Copy)]
pub struct AppState {
    store: StoredValue<Store, LocalStorage>,
    pub ledger: RwSignal<Ledger>,
    pub settings: RwSignal<Settings>,
    /// Stored entries that could not be read (kept untouched).
    pub problems: RwSignal<Vec<StoredProblem>>,
    pub persistence: RwSignal<Persistence>,
    /// Something the user should know after a save, until dismissed.
    pub notice: RwSignal<Option<Notice>>,
    /// Why the stored data could not be moved to the current layout (it is unchanged, and
    /// the app keeps using the old layout until the next start).
    pub migration_failed: RwSignal<Option<StorageError>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Saved,
    /// A record was deleted; the notice offers to undo it.
    Deleted(Uuid),
    /// A deletion was undone.
    Restored,
    /// An edit was saved over a version another tab saved meanwhile; that one is in history.
    KeptOtherVersion,
}

impl AppState {
    /// Opens the browser's localStorage, or memory when it cannot be used.
    pub fn start() -> Self {
        match BrowserStorage::open() {
            Ok(storage) => {
                let state = Self::start_with(Box::new(storage));
                storage::watch_other_tabs(move |key, value| state.follow_other_tab(&key, value));
                state
            }
            Err(error) => Self::start_in_memory(error),
        }
    }

    /// Another tab of the app wrote a record or the settings: show the same here.
    fn follow_other_tab(&self, key: &str, value: Option<String>) {
        let Some(change) = value.and_then(|v| Store::decode_change(key, &v)) else {
            return;
        };
        match change {
            StoredChange::Record(record) => {
                if self
                    .ledger
                    .with_untracked(|l| l.get(&record.id) != Some(&*record))
                {
                    self.ledger.update(|l| l.put(*record));
                }
            }
            StoredChange::Settings(settings) => self.settings.set(settings),
        }
    }

    /// Opens the given storage (tests pass their own), falling back to memory when the
    /// storage refuses to open.
    pub fn start_with(backend: Box<dyn KeyValue>) -> Self {
        match Store::open(backend) {
            Ok(store) => Self::load(store, Persistence::Stored),
            Err(error) => Self::start_in_memory(error),
        }
    }

    fn start_in_memory(error: StorageError) -> Self {
        Self::load(Store::in_memory(), Persistence::MemoryOnly(error))
    }

    fn load(store: Store, persistence: Persistence) -> Self {
        let mut problems = Vec::new();
        let mut persistence = persistence;
        let settings = match store.load_settings() {
            Ok(Ok(Some(settings))) => settings,
            Ok(Ok(None)) => Self::first_settings(&store, &mut persistence),
            Ok(Err(problem)) => {
                // Keep the unreadable settings aside before new ones take the key.
                if let Err(error) = store.quarantine(&problem.key) {
                    persistence = Persistence::MemoryOnly(error);
                }
                problems.push(problem);
                Self::first_settings(&store, &mut persistence)
            }
            Err(error) => {
                persistence = Persistence::MemoryOnly(error);
                Settings::new(browser::new_id().to_string())
            }
        };
        let ledger = match browser::measured("fl:load", || store.load_records()) {
            Ok(loaded) => {
                problems.extend(loaded.problems);
                Ledger::from_records(loaded.records)
            }
            Err(error) => {
                persistence = Persistence::MemoryOnly(error);
                Ledger::default()
            }
        };
        let migration_failed = store.migration_error().cloned();
        AppState {
            migration_failed: RwSignal::new(migration_failed),
            store: StoredValue::new_local(store),
            ledger: RwSignal::new(ledger),
            settings: RwSignal::new(settings),
            problems: RwSignal::new(problems),
            persistence: RwSignal::new(persistence),
            notice: RwSignal::new(None),
        }
    }

    /// Settings for a device seen for the first time: a new random device id.
    fn first_settings(store: &Store, persistence: &mut Persistence) -> Settings {
        let settings = Settings::new(browser::new_id().to_string());
        if let Err(error) = store.save_settings(&settings) {
            *persistence = Persistence::MemoryOnly(error);
        }
        settings
    }

    pub fn author(&self) -> Author {
        self.settings.with_untracked(|s| Author {
            device_id: s.device_id.clone(),
            name: s.author.clone(),
        })
    }

    fn write(&self, record: Record) -> Result<(), StorageError> {
        browser::measured("fl:save", || {
            self.store.with_value(|store| store.save_record(&record))
        })?;
        self.ledger.update(|ledger| ledger.put(record));
        Ok(())
    }

    /// Rehearses the save of a record of `kind` (see [`Store::rehearse_save`]) with a record
    /// of the sample data; nothing is written.
    pub fn rehearse_save(&self, kind: RecordKind) {
        let sample = crate::domain::sample::sample_records(&self.author(), browser::now());
        if let Some(record) = sample.iter().find(|r| r.kind() == kind) {
            self.store.with_value(|store| store.rehearse_save(record));
        }
    }

    /// Saves a new record; returns its id.
    pub fn create(&self, body: RecordBody) -> Result<Uuid, StorageError> {
        let record = Record::create(browser::new_id(), body, &self.author(), browser::now());
        let id = record.id;
        self.write(record)?;
        Ok(id)
    }

    /// Saves an edit of record `id`, made from its revision `base_revision`. When another tab
    /// saved the record meanwhile, the edit still becomes the new revision and the other
    /// tab's version is kept in the record's history, so neither is lost.
    pub fn update(
        &self,
        id: Uuid,
        base_revision: u32,
        body: RecordBody,
    ) -> Result<EditOutcome, StorageError> {
        // Storage, not the signal, is the truth: another tab may have written since.
        let stored = self.store.with_value(|store| store.load_record(&id))?;
        let Some(current) = stored.or_else(|| self.ledger.with_untracked(|l| l.get(&id).cloned()))
        else {
            return self.create(body).map(|_| EditOutcome::Saved);
        };
        let mut record = current.edited(body, &self.author(), browser::now());
        let outcome = if current.revision == base_revision {
            EditOutcome::Saved
        } else {
            record = merge::merge_record(&record, &current);
            EditOutcome::KeptOtherVersion
        };
        self.write(record)?;
        Ok(outcome)
    }

    /// The storage name of a form's draft: per kind, and per record for an edit.
    fn draft_name(kind: RecordKind, id: Option<Uuid>) -> String {
        match id {
            Some(id) => format!("{}.{id}", kind.slug()),
            None => format!("{}.new", kind.slug()),
        }
    }

    pub fn save_draft<T: Serialize>(
        &self,
        kind: RecordKind,
        id: Option<Uuid>,
        input: &T,
    ) -> Result<(), StorageError> {
        let json = serde_json::to_string(input).map_err(|e| StorageError::Encode(e.to_string()))?;
        self.store
            .with_value(|store| store.save_draft(&Self::draft_name(kind, id), &json))
    }

    /// The draft of a form, if one was left and still reads.
    pub fn load_draft<T: DeserializeOwned>(&self, kind: RecordKind, id: Option<Uuid>) -> Option<T> {
        let raw = self
            .store
            .with_value(|store| store.load_draft(&Self::draft_name(kind, id)));
        raw.ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
    }

    pub fn discard_draft(&self, kind: RecordKind, id: Option<Uuid>) {
        // A draft that cannot be removed is offered again later; nothing is lost.
        let _ = self
            .store
            .with_value(|store| store.remove_draft(&Self::draft_name(kind, id)));
    }

    /// The stored text of a key, for the user to download when it cannot be read.
    pub fn raw_value(&self, key: &str) -> Option<String> {
        self.store.with_value(|store| store.raw(key)).ok().flatten()
    }

    /// Replaces a record by its tombstone.
    pub fn delete(&self, id: Uuid) -> Result<(), StorageError> {
        let Some(record) = self.ledger.with_untracked(|l| l.live(&id).cloned()) else {
            return Ok(());
        };
        self.write(record.tombstone(&self.author(), browser::now()))
    }

    /// Changes the settings and stores them; on failure nothing changes.
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> Result<(), StorageError> {
        let mut next = self.settings.get_untracked();
        change(&mut next);
        self.store.with_value(|store| store.save_settings(&next))?;
        self.settings.set(next);
        Ok(())
    }

    /// The export file, before its checksum (see [`ExportDraft`]): every record (tombstones
    /// included) and the year targets, or with `changes_only` the records written on this
    /// device since its last export. Sample records go only with `include_sample`.
    pub fn export_draft(
        &self,
        changes_only: bool,
        include_sample: bool,
    ) -> Result<ExportDraft, serde_json::Error> {
        let (device_id, last, targets) = self
            .settings
            .with_untracked(|s| (s.device_id.clone(), s.last_export_at(), s.targets.clone()));
        let since = if changes_only { last } else { None };
        let targets = if changes_only { Vec::new() } else { targets };
        self.ledger.with_untracked(|l| {
            let mut records: Vec<&Record> = if changes_only {
                l.written_here_since(&device_id, since)
            } else {
                l.all().filter(|r| !r.sample).collect()
            };
            if include_sample {
                records.extend(l.all().filter(|r| r.sample));
            }
            ExportDraft::new(records, &device_id, browser::now(), since, targets)
        })
    }

    /// Rehearses an export of the ledger (see [`ExportDraft::rehearse`]); nothing is kept.
    pub fn rehearse_export(&self) {
        browser::measured("fl:export-rehearsal", || {
            self.ledger
                .with_untracked(|l| ExportDraft::rehearse(l.all(), l.len()))
        });
    }

    /// Remembers an export that was handed to the browser's download.
    pub fn log_export(
        &self,
        exported_at: time::OffsetDateTime,
        since: Option<time::OffsetDateTime>,
        records: usize,
    ) -> Result<(), StorageError> {
        let entry = ExportLogEntry {
            at: exported_at,
            since,
            records,
        };
        self.update_settings(|s| s.log_export(entry))
    }

    /// Records written here since the last export: what the next handoff must carry.
    pub fn unexported_count(&self) -> usize {
        let (device_id, last) = self
            .settings
            .with(|s| (s.device_id.clone(), s.last_export_at()));
        self.ledger
            .with(|l| l.written_here_since(&device_id, last).len())
    }

    /// Merges checked export files into the ledger and stores every changed record in one
    /// all-or-nothing write. Returns one report per file, in order; on a storage error the
    /// ledger and storage are as they were.
    pub fn import(&self, files: Vec<ExportEnvelope>) -> Result<Vec<MergeReport>, StorageError> {
        // Targets first (one small write), so that a failed record write can put them back.
        let settings_before = self.settings.get_untracked();
        let mut settings = settings_before.clone();
        let adopted: usize = files
            .iter()
            .map(|file| settings.adopt_targets(&file.targets))
            .sum();
        if adopted > 0 {
            self.store
                .with_value(|store| store.save_settings(&settings))?;
        }
        let (ledger, changed, reports) = browser::measured("fl:import-merge", || {
            let mut ledger = self.ledger.get_untracked();
            let mut changed: BTreeMap<Uuid, Record> = BTreeMap::new();
            let mut reports = Vec::with_capacity(files.len());
            for file in files {
                let (report, records) = ledger.merge(file.records);
                changed.extend(records.into_iter().map(|r| (r.id, r)));
                reports.push(report);
            }
            let changed: Vec<Record> = changed.into_values().collect();
            (ledger, changed, reports)
        });
        let saved = browser::measured("fl:import-save", || {
            self.store.with_value(|store| store.save_records(&changed))
        });
        if let Err(error) = saved {
            if adopted > 0 {
                let _ = self
                    .store
                    .with_value(|store| store.save_settings(&settings_before));
            }
            return Err(error);
        }
        browser::measured("fl:import-show", || self.ledger.set(ledger));
        if adopted > 0 {
            self.settings.set(settings);
        }
        Ok(reports)
    }

    /// Stores several new revisions as one all-or-nothing write (renames, sample data).
    pub fn write_all(&self, records: Vec<Record>) -> Result<(), StorageError> {
        if records.is_empty() {
            return Ok(());
        }
        self.store
            .with_value(|store| store.save_records(&records))?;
        self.ledger.update(|ledger| {
            for record in records {
                ledger.put(record);
            }
        });
        Ok(())
    }

    /// Loads the sample data built from the bureau's report (offered on an empty ledger).
    pub fn load_sample(&self) -> Result<usize, StorageError> {
        let records = crate::domain::sample::sample_records(&self.author(), browser::now());
        let count = records.len();
        self.write_all(records)?;
        Ok(count)
    }

    /// Removes every sample record, and nothing else, in one all-or-nothing step.
    pub fn remove_sample(&self) -> Result<usize, StorageError> {
        let ids = self.ledger.with_untracked(|l| l.sample_ids());
        self.store.with_value(|store| store.remove_records(&ids))?;
        self.ledger.update(|ledger| {
            for id in &ids {
                ledger.remove(id);
            }
        });
        Ok(ids.len())
    }

    /// Undoes a delete: the record comes back, as a new revision.
    pub fn undelete(&self, id: Uuid) -> Result<(), StorageError> {
        let Some(tomb) = self
            .ledger
            .with_untracked(|l| l.get(&id).cloned())
            .filter(|r| r.deleted)
        else {
            return Ok(());
        };
        self.write(tomb.edited(tomb.body.clone(), &self.author(), browser::now()))
    }

    /// Makes an earlier version from a record's history the current one, as a new revision.
    pub fn restore(&self, id: Uuid, version: &Record) -> Result<(), StorageError> {
        let Some(record) = self.ledger.with_untracked(|l| l.get(&id).cloned()) else {
            return Ok(());
        };
        self.write(record.restored(version, &self.author(), browser::now()))
    }

    /// Bytes this app's data takes in localStorage (two per UTF-16 unit), as of the last
    /// change to the ledger or settings.
    pub fn stored_bytes(&self) -> usize {
        self.ledger.track();
        self.settings.track();
        self.store.with_value(|store| store.used_units()) * 2
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// The export file, in parts to be handed to the download as they are (no copy of the whole):
/// the draft with its checksum, computed by the browser where it can (much faster; see
/// [`browser::start_sha256`]), else here.
pub async fn finish_export(draft: ExportDraft) -> Result<[Vec<u8>; 2], serde_json::Error> {
    let hashing = browser::measured("fl:export-hash-start", || {
        browser::start_sha256(draft.canonical_records())
    });
    let records = browser::measured("fl:export-records", || draft.records_part());
    let waiting = browser::Timing::start("fl:export-hash");
    let sha256 = match hashing {
        Some(hashing) => hashing.await,
        None => None,
    };
    let sha256 = sha256.unwrap_or_else(|| draft.sha256());
    waiting.end();
    let head = browser::measured("fl:export-finish", || draft.head(&sha256))?;
    Ok([head, records])
}
