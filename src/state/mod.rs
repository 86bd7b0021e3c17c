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
pub use records::{EditOutcome, Reading, Records};
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
                        app.follow_other_tab(key, value);
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
        match Store::open_unread(backend) {
            Ok(store) => Self::load(store, Persistence::Stored),
            Err(error) => Self::start_in_memory(error),
        }
    }

    fn start_in_memory(error: StorageError) -> Self {
        Self::load(Store::in_memory(), Persistence::MemoryOnly(error))
    }

    /// The services over an open store. The settings are read at once; the records (and a
    /// move from the old storage layout) by a part of the app of its own, fetched only when
    /// there are records: a first start fetches none of it.
    fn load(store: Store, persistence: Persistence) -> Self {
        let mut start = status::Start::new(persistence);
        let settings = start.settings(&store);
        let has_records = store.has_records();
        let store = StoredValue::new_local(store);
        let settings = DeviceSettings::new(store, settings);
        let records = Records::new(store, settings);
        let app = App {
            records,
            settings,
            drafts: Drafts::new(store),
            exchange: Exchange::new(store, records, settings),
            status: StorageStatus::new(store, start, records, settings),
            sync: LiveSync::new(store, records, settings),
        };
        match has_records {
            Ok(false) => records.show_read(Ledger::default()),
            Ok(true) => app.read_records(),
            Err(error) => {
                app.status.records_not_read.set(Some(error));
                records.show_read(Ledger::default());
            }
        }
        app
    }

    /// Reads the stored records through their part of the app: at once in a build without
    /// parts (the tests), after the part is fetched otherwise.
    fn read_records(self) {
        let store = self.status.store();
        #[cfg(feature = "split")]
        leptos::task::spawn_local(async move {
            match lazy::read_stored(store).await {
                Ok(read) => self.show_read(read),
                Err(_) => self.records.read_failed(),
            }
        });
        #[cfg(not(feature = "split"))]
        match lazy::read_stored(store) {
            Ok(read) => self.show_read(read),
            Err(_) => self.records.read_failed(),
        }
    }

    fn show_read(&self, read: lazy::Read) {
        self.status.migration_failed.set(read.migration_failed);
        match read.records {
            Ok((ledger, problems)) => {
                self.status.problems.update(|p| p.extend(problems));
                self.records.show_read(ledger);
            }
            Err(error) => {
                self.status.records_not_read.set(Some(error));
                self.records.show_read(Ledger::default());
            }
        }
        self.sync.records_read();
    }

    /// Another tab of the app wrote a record or the settings: show the same here (in the
    /// part that reads stored records). Before this tab has read its records there is
    /// nothing to follow (the reading sees it).
    fn follow_other_tab(&self, key: String, value: String) {
        if self.records.reading.get_untracked() != Reading::Done {
            return;
        }
        let app = *self;
        #[cfg(feature = "split")]
        leptos::task::spawn_local(async move {
            // A part that cannot be fetched leaves this tab as it was; a reload reads all.
            let _ = lazy::follow_change(app, key, value).await;
        });
        #[cfg(not(feature = "split"))]
        let _ = lazy::follow_change(app, key, value);
    }

    /// Shows here what another tab stored.
    fn show_change(&self, change: StoredChange) {
        match change {
            StoredChange::Record(record) => self.records.follow(*record),
            StoredChange::Settings(settings) => self.settings.follow(*settings),
        }
    }
}

/// Reading stored records: a part of the app of its own (`lazy_fn!`), fetched at start only
/// when there are records, and when another tab writes one.
mod lazy {
    use leptos::prelude::*;

    use super::{App, SharedStore};
    use crate::domain::Ledger;
    use crate::storage::{StorageError, StoredProblem};

    /// What reading the stored records found.
    pub struct Read {
        pub records: Result<(Ledger, Vec<StoredProblem>), StorageError>,
        pub migration_failed: Option<StorageError>,
    }

    lazy_fn!(
        stored,
        pub fn read_stored(store: SharedStore) -> Read {
            let moved = store
                .try_update_value(|s| s.migrate_if_needed())
                .unwrap_or(Ok(()));
            let records = moved.and_then(|()| {
                store
                    .try_with_value(|s| crate::browser::measured("fl:load", || s.load_records()))
                    .unwrap_or_else(|| Ok(Default::default()))
            });
            Read {
                records: records
                    .map(|loaded| (Ledger::from_records(loaded.records), loaded.problems)),
                migration_failed: store
                    .try_with_value(|s| s.migration_error().cloned())
                    .flatten(),
            }
        }
    );

    lazy_fn!(
        stored,
        pub fn follow_change(app: App, key: String, value: String) -> () {
            let change = app
                .status
                .store()
                .try_with_value(|s| s.decode_change(&key, &value))
                .flatten();
            if let Some(change) = change {
                app.show_change(change);
            }
        }
    );
}

/// The store every service writes through (one per app).
type SharedStore = StoredValue<Store, LocalStorage>;
