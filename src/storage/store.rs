use std::cell::Cell;

use crate::domain::{Record, SCHEMA_VERSION, Settings};

use super::{KeyValue, StorageError, StoredProblem, StoredProblemReason};

/// The storage layout this build reads and writes (see the module documentation).
pub const LAYOUT_VERSION: u32 = 1;

pub mod keys {
    use uuid::Uuid;

    pub const LAYOUT: &str = "fl.layout";
    pub const SETTINGS: &str = "fl.v1.settings";
    pub const RECORD_PREFIX: &str = "fl.v1.rec.";
    pub const QUARANTINE_PREFIX: &str = "fl.quarantine.";
    pub const DRAFT_PREFIX: &str = "fl.v1.draft.";

    pub fn record(id: &Uuid) -> String {
        format!("{RECORD_PREFIX}{id}")
    }
}

/// The typed view of the key-value store: records and settings in, errors out.
pub struct Store {
    backend: Box<dyn KeyValue>,
    /// UTF-16 units (what browsers count against the quota) of this app's keys and values,
    /// counted while loading and kept up to date by every write.
    used: Cell<usize>,
}

fn units(key: &str, value: &str) -> usize {
    key.encode_utf16().count() + value.encode_utf16().count()
}

/// A value another tab of the app wrote.
#[derive(Debug)]
pub enum StoredChange {
    Record(Record),
    Settings(Settings),
}

/// Everything that could be read, and what had to be skipped.
#[derive(Debug, Default)]
pub struct LoadedRecords {
    pub records: Vec<Record>,
    pub problems: Vec<StoredProblem>,
}

impl Store {
    /// Opens the store, marking a fresh storage with the current layout. Refuses storage
    /// written by a newer layout, so that this build never overwrites what it cannot read.
    pub fn open(backend: Box<dyn KeyValue>) -> Result<Self, StorageError> {
        let layout = LAYOUT_VERSION.to_string();
        match backend.get(keys::LAYOUT)? {
            None => backend.set(keys::LAYOUT, &layout)?,
            Some(found) if found.trim() == layout => {}
            Some(found) => return Err(StorageError::NewerLayout(found)),
        }
        Ok(Store {
            backend,
            used: Cell::new(units(keys::LAYOUT, &layout)),
        })
    }

    /// Writes one value and keeps the size count.
    fn put(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let old = self.backend.get(key)?.map_or(0, |old| units(key, &old));
        self.backend.set(key, value)?;
        self.used.set(self.used.get() + units(key, value) - old);
        Ok(())
    }

    /// A store kept in memory only, for when the browser's storage cannot be used.
    pub fn in_memory() -> Self {
        Store {
            backend: Box::new(super::MemoryStorage::default()),
            used: Cell::new(0),
        }
    }

    pub fn load_settings(&self) -> Result<Result<Option<Settings>, StoredProblem>, StorageError> {
        let Some(raw) = self.backend.get(keys::SETTINGS)? else {
            return Ok(Ok(None));
        };
        self.used.set(self.used.get() + units(keys::SETTINGS, &raw));
        Ok(serde_json::from_str::<Settings>(&raw)
            .map(Some)
            .map_err(|e| StoredProblem {
                key: keys::SETTINGS.to_owned(),
                reason: StoredProblemReason::Unreadable(e.to_string()),
            }))
    }

    pub fn save_settings(&self, settings: &Settings) -> Result<(), StorageError> {
        let json =
            serde_json::to_string(settings).map_err(|e| StorageError::Encode(e.to_string()))?;
        self.put(keys::SETTINGS, &json)
    }

    /// Copies an unreadable value aside (once) before anything may overwrite its key.
    pub fn quarantine(&self, key: &str) -> Result<(), StorageError> {
        let aside = format!("{}{key}", keys::QUARANTINE_PREFIX);
        if self.backend.get(&aside)?.is_none()
            && let Some(raw) = self.backend.get(key)?
        {
            self.put(&aside, &raw)?;
        }
        Ok(())
    }

    /// Reads every record key. A value that does not parse is skipped and reported, never
    /// changed or removed.
    pub fn load_records(&self) -> Result<LoadedRecords, StorageError> {
        let mut loaded = LoadedRecords::default();
        for key in self.backend.keys()? {
            let Some(id) = key.strip_prefix(keys::RECORD_PREFIX) else {
                continue;
            };
            let Some(raw) = self.backend.get(&key)? else {
                continue;
            };
            self.used.set(self.used.get() + units(&key, &raw));
            match decode_record(id, &raw) {
                Ok(record) => loaded.records.push(record),
                Err(reason) => loaded.problems.push(StoredProblem { key, reason }),
            }
        }
        Ok(loaded)
    }

    /// Writes one record under its own key, and nothing else.
    pub fn save_record(&self, record: &Record) -> Result<(), StorageError> {
        let json =
            serde_json::to_string(record).map_err(|e| StorageError::Encode(e.to_string()))?;
        self.put(&keys::record(&record.id), &json)
    }

    /// The stored text under a key, as it is (to hand an unreadable value to the user).
    pub fn raw(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.backend.get(key)
    }

    /// Reads one record straight from storage (another tab may have written it).
    pub fn load_record(&self, id: &uuid::Uuid) -> Result<Option<Record>, StorageError> {
        let key = keys::record(id);
        Ok(self
            .backend
            .get(&key)?
            .and_then(|raw| decode_record(&id.to_string(), &raw).ok()))
    }

    /// A form's unsaved input, kept while the officer types. Drafts live under their own
    /// prefix: they are never read as records and never exported.
    pub fn save_draft(&self, name: &str, json: &str) -> Result<(), StorageError> {
        self.put(&format!("{}{name}", keys::DRAFT_PREFIX), json)
    }

    pub fn load_draft(&self, name: &str) -> Result<Option<String>, StorageError> {
        self.backend.get(&format!("{}{name}", keys::DRAFT_PREFIX))
    }

    pub fn remove_draft(&self, name: &str) -> Result<(), StorageError> {
        self.delete(&format!("{}{name}", keys::DRAFT_PREFIX))
    }

    /// Removes one value and keeps the size count.
    fn delete(&self, key: &str) -> Result<(), StorageError> {
        let current = self.backend.get(key)?;
        self.backend.remove(key)?;
        let freed = current.map_or(0, |c| units(key, &c));
        self.used.set(self.used.get().saturating_sub(freed));
        Ok(())
    }

    /// What another tab's write means for this one: a record or the settings, read from the
    /// new value; `None` for keys this tab need not follow (drafts, unreadable values).
    pub fn decode_change(key: &str, value: &str) -> Option<StoredChange> {
        if key == keys::SETTINGS {
            return serde_json::from_str(value).ok().map(StoredChange::Settings);
        }
        let id = key.strip_prefix(keys::RECORD_PREFIX)?;
        decode_record(id, value).ok().map(StoredChange::Record)
    }

    /// Writes several records as one change: either all are stored, or storage is put back
    /// exactly as it was and the error returned (an import that does not fit changes nothing).
    pub fn save_records(&self, records: &[Record]) -> Result<(), StorageError> {
        let mut written: Vec<(String, Option<String>)> = Vec::with_capacity(records.len());
        for record in records {
            let key = keys::record(&record.id);
            let result = serde_json::to_string(record)
                .map_err(|e| StorageError::Encode(e.to_string()))
                .and_then(|json| {
                    let previous = self.backend.get(&key)?;
                    self.put(&key, &json)?;
                    written.push((key, previous));
                    Ok(())
                });
            if let Err(error) = result {
                self.roll_back(written);
                return Err(error);
            }
        }
        Ok(())
    }

    /// Removes several records as one change: either all are gone, or storage is put back
    /// exactly as it was and the error returned.
    pub fn remove_records(&self, ids: &[uuid::Uuid]) -> Result<(), StorageError> {
        let mut removed: Vec<(String, Option<String>)> = Vec::with_capacity(ids.len());
        for id in ids {
            let key = keys::record(id);
            let result = self.backend.get(&key).and_then(|previous| {
                self.delete(&key)?;
                removed.push((key, previous));
                Ok(())
            });
            if let Err(error) = result {
                self.roll_back(removed);
                return Err(error);
            }
        }
        Ok(())
    }

    /// Puts back what `save_records` or `remove_records` had changed, newest first. Each restored value was
    /// stored before, so it fits again once the newer values are gone.
    fn roll_back(&self, written: Vec<(String, Option<String>)>) {
        for (key, previous) in written.into_iter().rev() {
            let _ = match previous {
                Some(value) => self.put(&key, &value),
                None => self.delete(&key),
            };
        }
    }

    /// Size in UTF-16 code units (what browsers count against the quota) of this app's
    /// keys and values: those loaded or written through this store.
    pub fn used_units(&self) -> usize {
        self.used.get()
    }
}

fn decode_record(id_in_key: &str, raw: &str) -> Result<Record, StoredProblemReason> {
    // Look at the schema version first: a newer record may not parse with today's types,
    // and must be reported as newer rather than as damaged.
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| StoredProblemReason::Unreadable(e.to_string()))?;
    if let Some(version) = value.get("schema_version").and_then(|v| v.as_u64())
        && version > u64::from(SCHEMA_VERSION)
    {
        return Err(StoredProblemReason::FromNewerVersion(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let record: Record = serde_json::from_value(value)
        .map_err(|e| StoredProblemReason::Unreadable(e.to_string()))?;
    if record.id.to_string() != id_in_key {
        return Err(StoredProblemReason::IdMismatch);
    }
    Ok(record)
}
