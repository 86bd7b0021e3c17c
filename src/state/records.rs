//! The ledger: every record, written through storage.

use leptos::prelude::*;
use uuid::Uuid;

use super::{DeviceSettings, SharedStore};
use crate::browser;
use crate::domain::merge;
use crate::domain::photo::PhotoRef;
use crate::domain::{Ledger, Record, RecordBody};
use crate::storage::StorageError;

/// The sample data, a part of the app of its own (`lazy_fn!`), fetched when it is loaded.
mod lazy {
    use time::OffsetDateTime;

    use crate::domain::{Author, Record};

    lazy_fn!(
        sample,
        pub fn sample_records(author: Author, now: OffsetDateTime) -> Vec<Record> {
            crate::domain::sample::sample_records(&author, now)
        }
    );
}

/// How an edit was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditOutcome {
    Saved,
    /// Another tab had saved this record meanwhile; its version is in the history.
    KeptOtherVersion,
}

/// Whether the stored records have been read (the app shows its pages only then: nothing is
/// shown, nor written, over records not read yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// The part of the app that reads records is on its way (there are records to read).
    Pending,
    Done,
    /// That part could not be fetched: nothing is shown (a reload tries again).
    Failed,
}

#[derive(Clone, Copy)]
pub struct Records {
    store: SharedStore,
    settings: DeviceSettings,
    /// What is stored; changed only through this service.
    pub ledger: ReadSignal<Ledger>,
    set: WriteSignal<Ledger>,
    pub reading: ReadSignal<Reading>,
    set_reading: WriteSignal<Reading>,
}

impl Records {
    pub(super) fn new(store: SharedStore, settings: DeviceSettings) -> Self {
        let (ledger, set) = signal(Ledger::default());
        let (reading, set_reading) = signal(Reading::Pending);
        Records {
            store,
            settings,
            ledger,
            set,
            reading,
            set_reading,
        }
    }

    /// The records read from storage at start.
    pub(super) fn show_read(&self, ledger: Ledger) {
        self.set.set(ledger);
        self.set_reading.set(Reading::Done);
    }

    pub(super) fn read_failed(&self) {
        self.set_reading.set(Reading::Failed);
    }

    fn write(&self, record: Record) -> Result<(), StorageError> {
        browser::measured("fl:save", || {
            self.store.with_value(|store| store.save_record(&record))
        })?;
        self.set.update(|ledger| ledger.put(record));
        Ok(())
    }

    /// Saves a new record; returns its id.
    pub fn create(&self, body: RecordBody) -> Result<Uuid, StorageError> {
        let record = Record::create(
            browser::new_id(),
            body,
            &self.settings.author(),
            browser::now(),
        );
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
        let mut record = current.edited(body, &self.settings.author(), browser::now());
        let outcome = if current.revision == base_revision {
            EditOutcome::Saved
        } else {
            record = merge::merge_record(&record, &current);
            EditOutcome::KeptOtherVersion
        };
        self.write(record)?;
        Ok(outcome)
    }

    /// Replaces a record by its tombstone.
    pub fn delete(&self, id: Uuid) -> Result<(), StorageError> {
        let Some(record) = self.ledger.with_untracked(|l| l.live(&id).cloned()) else {
            return Ok(());
        };
        self.write(record.tombstone(&self.settings.author(), browser::now()))
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
        self.write(tomb.edited(tomb.body.clone(), &self.settings.author(), browser::now()))
    }

    /// Makes an earlier version from a record's history the current one, as a new revision.
    pub fn restore(&self, id: Uuid, version: &Record) -> Result<(), StorageError> {
        let Some(record) = self.ledger.with_untracked(|l| l.get(&id).cloned()) else {
            return Ok(());
        };
        self.write(record.restored(version, &self.settings.author(), browser::now()))
    }

    /// Marks a record as a typical case for the report (or not), as a new revision.
    pub fn set_typical(&self, id: Uuid, typical: bool) -> Result<(), StorageError> {
        let Some(record) = self.ledger.with_untracked(|l| l.live(&id).cloned()) else {
            return Ok(());
        };
        if record.typical == typical {
            return Ok(());
        }
        let mut next = record.edited(record.body.clone(), &self.settings.author(), browser::now());
        next.typical = typical;
        self.write(next)
    }

    /// Replaces a record's photo list, as a new revision. The photos' bytes are stored
    /// before (apart from the record): the record is never held back by them.
    pub fn set_photos(&self, id: Uuid, photos: Vec<PhotoRef>) -> Result<(), StorageError> {
        let Some(record) = self.ledger.with_untracked(|l| l.live(&id).cloned()) else {
            return Ok(());
        };
        if record.photos == photos {
            return Ok(());
        }
        self.write(record.with_photos(photos, &self.settings.author(), browser::now()))
    }

    /// Stores several new revisions as one all-or-nothing write (renames, sample data).
    pub fn write_all(&self, records: Vec<Record>) -> Result<(), StorageError> {
        if records.is_empty() {
            return Ok(());
        }
        self.store
            .with_value(|store| store.save_records(&records))?;
        self.set.update(|ledger| {
            for record in records {
                ledger.put(record);
            }
        });
        Ok(())
    }

    /// The sample records for this device, built in a part of the app of their own (their
    /// text is large and most starts never need it); `None` when that part cannot be fetched.
    pub async fn sample(&self) -> Option<Vec<Record>> {
        lazy_await!(lazy::sample_records(self.settings.author(), browser::now())).ok()
    }

    /// Loads the sample data built from the bureau's report (offered on an empty ledger).
    pub fn load_sample(&self) -> Result<usize, StorageError> {
        let records =
            crate::domain::sample::sample_records(&self.settings.author(), browser::now());
        let count = records.len();
        self.write_all(records)?;
        Ok(count)
    }

    /// Removes every sample record, and nothing else, in one all-or-nothing step.
    pub fn remove_sample(&self) -> Result<usize, StorageError> {
        let ids = self.ledger.with_untracked(|l| l.sample_ids());
        self.store.with_value(|store| store.remove_records(&ids))?;
        self.set.update(|ledger| {
            for id in &ids {
                ledger.remove(id);
            }
        });
        Ok(ids.len())
    }

    /// A record another tab stored.
    pub(super) fn follow(&self, record: Record) {
        if self
            .ledger
            .with_untracked(|l| l.get(&record.id) != Some(&record))
        {
            self.set.update(|l| l.put(record));
        }
    }

    /// Records the live sync has stored.
    pub(super) fn show_synced(&self, records: Vec<Record>) {
        if records.is_empty() {
            return;
        }
        self.set.update(|ledger| {
            for record in records {
                ledger.put(record);
            }
        });
    }

    /// A ledger whose changed records the caller has stored (an import).
    pub(super) fn show_stored(&self, ledger: Ledger) {
        self.set.set(ledger);
    }
}
