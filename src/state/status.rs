//! How storage is doing: whether records are kept at all, what could not be read or saved
//! at start, and how much room the app's data takes.

use leptos::prelude::*;

use super::{DeviceSettings, Records, SharedStore};
use crate::browser;
use crate::domain::Settings;
use crate::storage::{StorageError, Store, StoredProblem};

/// Whether what the user records is kept by the browser.
#[derive(Clone, Debug, PartialEq)]
pub enum Persistence {
    Stored,
    /// Storage could not be opened; records live only as long as the page.
    MemoryOnly(StorageError),
}

/// What opening storage found, before the services exist.
pub(super) struct Start {
    persistence: Persistence,
    pub problems: Vec<StoredProblem>,
    /// The device's first settings (its id) could not be saved; records are still stored.
    settings_not_saved: Option<StorageError>,
}

impl Start {
    pub fn new(persistence: Persistence) -> Self {
        Start {
            persistence,
            problems: Vec::new(),
            settings_not_saved: None,
        }
    }

    /// The stored settings, or new ones for a device seen for the first time (a new random
    /// device id), saved at once. Unreadable settings are copied aside first and reported.
    pub fn settings(&mut self, store: &Store) -> Settings {
        let first = |start: &mut Start| {
            let settings = Settings::new(browser::new_id().to_string());
            if let Err(error) = store.save_settings(&settings) {
                start.settings_not_saved = Some(error);
            }
            settings
        };
        match store.load_settings() {
            Ok(Ok(Some(settings))) => settings,
            Ok(Ok(None)) => first(self),
            Ok(Err(problem)) => {
                // Keep the unreadable settings aside before new ones take the key.
                let kept = store.quarantine(&problem.key);
                self.problems.push(problem);
                match kept {
                    Ok(()) => first(self),
                    Err(error) => {
                        // Nothing may overwrite what could not be copied aside.
                        self.settings_not_saved = Some(error);
                        Settings::new(browser::new_id().to_string())
                    }
                }
            }
            Err(error) => {
                self.settings_not_saved = Some(error);
                Settings::new(browser::new_id().to_string())
            }
        }
    }
}

#[derive(Clone, Copy)]
pub struct StorageStatus {
    store: SharedStore,
    records: Records,
    settings: DeviceSettings,
    pub persistence: Signal<Persistence>,
    /// Stored entries that could not be read (kept untouched).
    pub problems: RwSignal<Vec<StoredProblem>>,
    /// The device's settings could not be saved at start (its id will differ next time).
    pub settings_not_saved: Signal<Option<StorageError>>,
    /// Stored records could not be listed at start.
    pub records_not_read: RwSignal<Option<StorageError>>,
    /// Why the stored data could not be moved to the current layout (it is unchanged, and
    /// the app keeps using the old layout until the next start).
    pub migration_failed: RwSignal<Option<StorageError>>,
}

impl StorageStatus {
    pub(super) fn new(
        store: SharedStore,
        start: Start,
        records: Records,
        settings: DeviceSettings,
    ) -> Self {
        StorageStatus {
            store,
            records,
            settings,
            persistence: Signal::stored(start.persistence),
            problems: RwSignal::new(start.problems),
            settings_not_saved: Signal::stored(start.settings_not_saved),
            records_not_read: RwSignal::new(None),
            migration_failed: RwSignal::new(None),
        }
    }

    pub(super) fn store(&self) -> SharedStore {
        self.store
    }

    /// The stored text of a key, for the user to download when it cannot be read.
    pub fn raw_value(&self, key: &str) -> Option<String> {
        self.store.with_value(|store| store.raw(key)).ok().flatten()
    }

    /// Bytes this app's data takes in localStorage (two per UTF-16 unit), as of the last
    /// change to the ledger or settings.
    pub fn stored_bytes(&self) -> usize {
        self.records.ledger.track();
        self.settings.settings.track();
        self.store.with_value(|store| store.used_units()) * 2
    }
}
