//! The running app's state, split by job into services that share one [`Store`]: records,
//! settings, drafts, the exchange of files, and the health of storage. Pages read each
//! service's signals (read-only) and change data only through the service's methods, which
//! write to storage first: a signal changes only when storage succeeded, so what the screen
//! shows is what is stored.

mod drafts;
mod exchange;
mod records;
mod settings;
mod status;
pub mod sync;

pub use drafts::Drafts;
pub use exchange::{Exchange, finish_export};
pub use records::{EditOutcome, Records};
pub use settings::DeviceSettings;
pub use status::{Persistence, StorageStatus};
pub use sync::{FiguresFrom, LiveSync};

use leptos::prelude::*;

use crate::domain::Ledger;
use crate::storage::{BrowserStorage, KeyValue, StorageError, Store, StoredChange};

/// Every service, as one context.
#[derive(Clone, Copy)]
pub struct App {
    pub records: Records,
    pub settings: DeviceSettings,
    pub drafts: Drafts,
    pub exchange: Exchange,
    pub status: StorageStatus,
    pub sync: LiveSync,
}

pub fn use_app() -> App {
    expect_context::<App>()
}

impl App {
    /// Opens the browser's localStorage (memory when it cannot be used), and follows what
    /// other tabs of the app write, for as long as the calling owner lives.
    pub fn start() -> Self {
        match BrowserStorage::open() {
            Ok(storage) => {
                let app = Self::start_with(Box::new(storage));
                app.sync.start_automatic();
                let handle = window_event_listener(leptos::ev::storage, move |event| {
                    if let (Some(key), Some(value)) = (event.key(), event.new_value()) {
                        app.follow_other_tab(&key, &value);
                    }
                });
                on_cleanup(move || handle.remove());
                app
            }
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
        let mut start = status::Start::new(persistence);
        let settings = start.settings(&store);
        let ledger = match crate::browser::measured("fl:load", || store.load_records()) {
            Ok(loaded) => {
                start.problems.extend(loaded.problems);
                Ledger::from_records(loaded.records)
            }
            Err(error) => {
                start.records_not_read = Some(error);
                Ledger::default()
            }
        };
        start.migration_failed = store.migration_error().cloned();
        let store = StoredValue::new_local(store);
        let settings = DeviceSettings::new(store, settings);
        let records = Records::new(store, settings, ledger);
        App {
            records,
            settings,
            drafts: Drafts::new(store),
            exchange: Exchange::new(store, records, settings),
            status: StorageStatus::new(store, start, records, settings),
            sync: LiveSync::new(store, records, settings),
        }
    }

    /// Another tab of the app wrote a record or the settings: show the same here.
    fn follow_other_tab(&self, key: &str, value: &str) {
        let change = self
            .status
            .store()
            .with_value(|store| store.decode_change(key, value));
        match change {
            Some(StoredChange::Record(record)) => self.records.follow(*record),
            Some(StoredChange::Settings(settings)) => self.settings.follow(*settings),
            None => {}
        }
    }
}

/// The store every service writes through (one per app).
type SharedStore = StoredValue<Store, LocalStorage>;
