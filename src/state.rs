//! The running app's state: the ledger and settings as signals, written through the store.
//! Every write goes to storage first; the signals change only when it succeeded, so what the
//! screen shows is what is stored.

use leptos::prelude::*;
use uuid::Uuid;

use crate::browser;
use crate::domain::{Author, ExportEnvelope, Ledger, Record, RecordBody, Settings};
use crate::storage::{
    BrowserStorage, KeyValue, Store, StorageError, StoredProblem,
};

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
}

impl AppState {
    /// Opens the browser's localStorage, or memory when it cannot be used.
    pub fn start() -> Self {
        match BrowserStorage::open() {
            Ok(storage) => Self::start_with(Box::new(storage)),
            Err(error) => Self::start_in_memory(error),
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
        let ledger = match store.load_records() {
            Ok(loaded) => {
                problems.extend(loaded.problems);
                Ledger::from_records(loaded.records)
            }
            Err(error) => {
                persistence = Persistence::MemoryOnly(error);
                Ledger::default()
            }
        };
        AppState {
            store: StoredValue::new_local(store),
            ledger: RwSignal::new(ledger),
            settings: RwSignal::new(settings),
            problems: RwSignal::new(problems),
            persistence: RwSignal::new(persistence),
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
        self.store.with_value(|store| store.save_record(&record))?;
        self.ledger.update(|ledger| ledger.put(record));
        Ok(())
    }

    /// Saves a new record, or a new revision of `existing`; returns the record's id.
    pub fn save(&self, existing: Option<Uuid>, body: RecordBody) -> Result<Uuid, StorageError> {
        let author = self.author();
        let now = browser::now();
        let previous = existing.and_then(|id| self.ledger.with_untracked(|l| l.get(&id).cloned()));
        let record = match previous {
            Some(previous) => previous.edited(body, &author, now),
            None => Record::create(browser::new_id(), body, &author, now),
        };
        let id = record.id;
        self.write(record)?;
        Ok(id)
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

    /// Every record, tombstones included, in the export envelope.
    pub fn export_envelope(&self) -> ExportEnvelope {
        let device_id = self.settings.with_untracked(|s| s.device_id.clone());
        let records = self.ledger.with_untracked(|l| l.all().cloned().collect());
        ExportEnvelope::new(records, &device_id, browser::now())
    }

    /// UTF-16 units used by this app in storage.
    pub fn used_units(&self) -> Result<usize, StorageError> {
        self.store.with_value(|store| store.used_units())
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
