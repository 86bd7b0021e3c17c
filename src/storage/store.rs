use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::domain::merge::{merge_record, version_order};
use crate::domain::{Record, Settings};

use super::stored::{self, Devices};
use super::{KeyValue, StorageError, StoredProblem, StoredProblemReason};

/// The storage layout this build writes (see the module documentation). Layout 1 is still
/// read, and migrated to this one when the store opens.
pub const LAYOUT_VERSION: u32 = 2;

pub mod keys {
    use uuid::Uuid;

    pub const LAYOUT: &str = "fl.layout";
    pub const SETTINGS: &str = "fl.v1.settings";
    /// Layout 2: one record per key, in the compact form.
    pub const RECORD_PREFIX: &str = "fl.r.";
    /// Layout 2: the device table, a JSON array of the device ids records refer to.
    pub const DEVICES: &str = "fl.dev";
    pub const QUARANTINE_PREFIX: &str = "fl.quarantine.";
    pub const DRAFT_PREFIX: &str = "fl.v1.draft.";
    /// Layout 1: one record per key, as the record's own JSON.
    pub const RECORD_PREFIX_V1: &str = "fl.v1.rec.";
    /// Every key of the app starts with this.
    pub const APP_PREFIX: &str = "fl.";
    /// Live sync: the server's address, database and user (no password).
    pub const SYNC_CONFIG: &str = "fl.sync.config";
    /// The photos an export has carried and this tablet still holds (their hashes, one a
    /// line):
    /// the changes since the last export leave them out. Read only by the export.
    pub const EXPORTED_PHOTOS: &str = "fl.photos.exported";
    /// The photos chosen for the report's typical cases (`domain::report::photo_choice_text`).
    /// Read only by the report page.
    pub const REPORT_PHOTOS: &str = "fl.report.photos";
    /// Live sync: the password, only when the officer lets the tablet remember it.
    pub const SYNC_SECRET: &str = "fl.sync.secret";
    /// Live sync: the checkpoint and each record's last synced revision, as of the last
    /// compaction of its journal.
    pub const SYNC_STATE: &str = "fl.sync.state";
    /// Live sync: what each stored step of a sync changed in the state since
    /// [`SYNC_STATE`] (see `replication::state::StateJournal`).
    pub const SYNC_JOURNAL_PREFIX: &str = "fl.sync.j.";

    /// The key of a record in the current layout.
    pub fn record(id: &Uuid) -> String {
        format!("{RECORD_PREFIX}{id}")
    }

    /// The key of a record in layout 1.
    pub fn record_v1(id: &Uuid) -> String {
        format!("{RECORD_PREFIX_V1}{id}")
    }
}

/// The typed view of the key-value store: records and settings in, errors out.
pub struct Store {
    backend: Box<dyn KeyValue>,
    /// The layout this store writes records in: [`LAYOUT_VERSION`], or 1 when the migration
    /// failed (it is tried again at the next start).
    layout: u32,
    migration_error: Option<StorageError>,
    /// Layout-1 records wait to be moved ([`Store::migrate_if_needed`]).
    migration_pending: bool,
    /// The device table as stored (layout 2).
    devices: RefCell<Devices>,
    /// Why the stored device table cannot be read, if so: it is then left alone (and
    /// reported), and records name their device in full.
    devices_unreadable: RefCell<Option<String>>,
    /// UTF-16 units (what browsers count against the quota) of each of this app's keys with
    /// its value, as read or written through this store; `used` is their sum.
    sizes: RefCell<HashMap<String, usize>>,
    used: Cell<usize>,
    /// Every key of the app has been seen (by `load_records`): a key missing from `sizes`
    /// is then known not to exist.
    scanned: Cell<bool>,
}

fn units(key: &str, value: &str) -> usize {
    key.encode_utf16().count() + value.encode_utf16().count()
}

/// A value another tab of the app wrote.
#[derive(Debug)]
pub enum StoredChange {
    /// Boxed: a record is much larger than a pointer.
    Record(Box<Record>),
    Settings(Box<Settings>),
}

/// Everything that could be read, and what had to be skipped.
#[derive(Debug, Default)]
pub struct LoadedRecords {
    pub records: Vec<Record>,
    pub problems: Vec<StoredProblem>,
}

/// What a write of the device table changed, to put it back.
struct TableUndo {
    stored: Option<String>,
    devices: Devices,
}

impl Store {
    /// Opens the store, marking a fresh storage with the current layout and migrating a
    /// layout-1 storage to it (all or nothing; when that fails, the store keeps reading and
    /// writing layout 1, see [`Store::migration_error`]). Refuses storage written by a newer
    /// layout, so that this build never overwrites what it cannot read.
    pub fn open(backend: Box<dyn KeyValue>) -> Result<Self, StorageError> {
        let mut store = Self::open_unread(backend)?;
        store.migrate_if_needed()?;
        Ok(store)
    }

    /// [`Store::open`] without reading a record: a storage that holds layout-1 records is
    /// left to [`Store::migrate_if_needed`], which must run before any record is written
    /// (the app reads records in a part of its own, fetched only when there are some).
    pub fn open_unread(backend: Box<dyn KeyValue>) -> Result<Self, StorageError> {
        let found = backend.get(keys::LAYOUT)?;
        let (layout, mark, migration_pending) = match found.as_deref().map(str::trim) {
            Some("2") => (2, found.clone().unwrap_or_default(), false),
            None | Some("1") => {
                let old_records = backend
                    .keys()?
                    .iter()
                    .any(|key| key.starts_with(keys::RECORD_PREFIX_V1));
                if old_records {
                    (1, found.clone().unwrap_or_default(), true)
                } else {
                    // Nothing to move: the storage is marked with this layout at once.
                    let mark = LAYOUT_VERSION.to_string();
                    backend.set(keys::LAYOUT, &mark)?;
                    (2, mark, false)
                }
            }
            Some(_) => return Err(StorageError::NewerLayout(found.unwrap_or_default())),
        };
        let store = Store {
            backend,
            layout,
            migration_error: None,
            migration_pending,
            devices: RefCell::default(),
            devices_unreadable: RefCell::default(),
            sizes: RefCell::default(),
            used: Cell::new(0),
            scanned: Cell::new(false),
        };
        if !mark.is_empty() {
            store.count(keys::LAYOUT, Some(units(keys::LAYOUT, &mark)));
        }
        if let Some(raw) = store.backend.get(keys::DEVICES)? {
            store.count(keys::DEVICES, Some(units(keys::DEVICES, &raw)));
            match Devices::parse(&raw) {
                Ok(devices) => *store.devices.borrow_mut() = devices,
                Err(error) => *store.devices_unreadable.borrow_mut() = Some(error),
            }
        }
        Ok(store)
    }

    /// Moves layout-1 records to the current layout when [`Store::open_unread`] found some
    /// (all or nothing; when that fails, the store keeps reading and writing layout 1).
    pub fn migrate_if_needed(&mut self) -> Result<(), StorageError> {
        if !std::mem::take(&mut self.migration_pending) {
            return Ok(());
        }
        match migrate(&*self.backend) {
            Ok(()) => {
                self.layout = LAYOUT_VERSION;
                let mark = LAYOUT_VERSION.to_string();
                self.count(keys::LAYOUT, Some(units(keys::LAYOUT, &mark)));
                // The migration may have written the device table.
                if let Some(raw) = self.backend.get(keys::DEVICES)? {
                    self.count(keys::DEVICES, Some(units(keys::DEVICES, &raw)));
                    if let Ok(devices) = Devices::parse(&raw) {
                        *self.devices.borrow_mut() = devices;
                        *self.devices_unreadable.borrow_mut() = None;
                    }
                }
            }
            Err(error) => {
                if self.backend.get(keys::LAYOUT)?.is_none() {
                    // A storage without a mark keeps layout 1's, as before.
                    self.backend.set(keys::LAYOUT, "1")?;
                    self.count(keys::LAYOUT, Some(units(keys::LAYOUT, "1")));
                }
                self.migration_error = Some(error);
            }
        }
        Ok(())
    }

    /// Whether any record is stored (under either layout's keys): whether there is anything
    /// for [`Store::load_records`] to read.
    pub fn has_records(&self) -> Result<bool, StorageError> {
        Ok(self.migration_pending
            || self.backend.keys()?.iter().any(|key| {
                key.starts_with(keys::RECORD_PREFIX) || key.starts_with(keys::RECORD_PREFIX_V1)
            }))
    }

    /// A store kept in memory only, for when the browser's storage cannot be used.
    pub fn in_memory() -> Self {
        Store {
            backend: Box::new(super::MemoryStorage::default()),
            layout: LAYOUT_VERSION,
            migration_error: None,
            migration_pending: false,
            devices: RefCell::default(),
            devices_unreadable: RefCell::default(),
            sizes: RefCell::default(),
            used: Cell::new(0),
            scanned: Cell::new(true),
        }
    }

    /// The layout records are written in: [`LAYOUT_VERSION`], or 1 after a failed migration.
    pub fn layout(&self) -> u32 {
        self.layout
    }

    /// Why the migration to the current layout failed at this start, if it did. Storage was
    /// then put back exactly as it was and the store works on layout 1.
    pub fn migration_error(&self) -> Option<&StorageError> {
        self.migration_error.as_ref()
    }

    /// Notes the size of a key (`None`: it is gone) and keeps the total.
    fn count(&self, key: &str, size: Option<usize>) {
        let mut sizes = self.sizes.borrow_mut();
        let old = match size {
            Some(size) => match sizes.get_mut(key) {
                Some(slot) => std::mem::replace(slot, size),
                None => {
                    sizes.insert(key.to_owned(), size);
                    0
                }
            },
            None => sizes.remove(key).unwrap_or(0),
        };
        self.used
            .set((self.used.get() + size.unwrap_or(0)).saturating_sub(old));
    }

    /// Writes one value and keeps the size count (without reading the old value).
    fn put(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.backend.set(key, value)?;
        self.count(key, Some(units(key, value)));
        Ok(())
    }

    /// Removes one value and keeps the size count.
    fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.backend.remove(key)?;
        self.count(key, None);
        Ok(())
    }

    /// Whether a key may hold a value: always, unless every key has been seen and this one
    /// was not among them (nor written since).
    fn may_exist(&self, key: &str) -> bool {
        !self.scanned.get() || self.sizes.borrow().contains_key(key)
    }

    pub fn load_settings(&self) -> Result<Result<Option<Settings>, StoredProblem>, StorageError> {
        let Some(raw) = self.backend.get(keys::SETTINGS)? else {
            return Ok(Ok(None));
        };
        self.count(keys::SETTINGS, Some(units(keys::SETTINGS, &raw)));
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

    /// Reads every record key (of both layouts: a failed or interrupted migration, or a tab
    /// of the previous version, may have left some of the other), and counts every key of the
    /// app. A value that does not read is skipped and reported, never changed or removed. A
    /// record under both layouts' keys is taken from this store's layout, unless the other
    /// holds a newer version: then the two are merged (the newer shown, the other in its
    /// history).
    pub fn load_records(&self) -> Result<LoadedRecords, StorageError> {
        let mut problems = Vec::new();
        let mut compact = Vec::new();
        let mut plain = Vec::new();
        let devices = self.devices.borrow().clone();
        for key in self.backend.keys()? {
            if !key.starts_with(keys::APP_PREFIX) {
                continue;
            }
            let is_record =
                key.starts_with(keys::RECORD_PREFIX) || key.starts_with(keys::RECORD_PREFIX_V1);
            if !is_record && self.sizes.borrow().contains_key(&key) {
                continue;
            }
            let Some(raw) = self.backend.get(&key)? else {
                continue;
            };
            self.count(&key, Some(units(&key, &raw)));
            let decoded = if let Some(tail) = key.strip_prefix(keys::RECORD_PREFIX) {
                match stored::key_id(tail) {
                    Some(id) => stored::decode(id, &raw, &devices).map(|r| compact.push(r)),
                    None => Err(StoredProblemReason::Unreadable(
                        "the key does not hold a record id".to_owned(),
                    )),
                }
            } else if let Some(tail) = key.strip_prefix(keys::RECORD_PREFIX_V1) {
                stored::decode_v1(tail, &raw).map(|r| plain.push(r))
            } else {
                Ok(())
            };
            if let Err(reason) = decoded {
                problems.push(StoredProblem { key, reason });
            }
        }
        self.scanned.set(true);
        if let Some(error) = self.devices_unreadable.borrow().clone() {
            problems.push(StoredProblem {
                key: keys::DEVICES.to_owned(),
                reason: StoredProblemReason::Unreadable(error),
            });
        }
        let (mut records, others) = if self.layout == 1 {
            (plain, compact)
        } else {
            (compact, plain)
        };
        if !others.is_empty() {
            let mut index: HashMap<Uuid, usize> =
                records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
            for other in others {
                match index.get(&other.id) {
                    None => {
                        index.insert(other.id, records.len());
                        records.push(other);
                    }
                    // Newer under the other layout's key: written by a tab of the previous
                    // version after the migration. Both versions are kept, as in a merge.
                    Some(&i) if version_order(&other, &records[i]).is_gt() => {
                        records[i] = merge_record(&records[i], &other);
                    }
                    // A copy left by a migration.
                    Some(_) => {}
                }
            }
        }
        Ok(LoadedRecords { records, problems })
    }

    /// The key a record is written under by this store.
    fn record_key(&self, id: &Uuid) -> String {
        if self.layout == 1 {
            keys::record_v1(id)
        } else {
            keys::record(id)
        }
    }

    fn encode(&self, record: &Record) -> Result<String, StorageError> {
        let json = if self.layout == 1 {
            stored::encode_v1(record)
        } else {
            stored::encode(record, &self.devices.borrow())
        };
        json.map_err(|e| StorageError::Encode(e.to_string()))
    }

    /// Adds the devices of these records to the device table when one is new (a second
    /// write, rare: the own device is added by its first save). Returns what to put back
    /// should the records' own writes fail.
    fn add_devices(&self, records: &[Record]) -> Result<Option<TableUndo>, StorageError> {
        if self.layout == 1
            || self.devices_unreadable.borrow().is_some()
            || !self.devices.borrow().misses_a_writer(records)
        {
            return Ok(None);
        }
        // Another tab may have added devices since: the stored table is the truth.
        let stored = self.backend.get(keys::DEVICES)?;
        let theirs = match stored.as_deref().map(Devices::parse) {
            None => None,
            Some(Ok(theirs)) => Some(theirs),
            Some(Err(error)) => {
                // Damaged since it was read: left alone; these records name their devices in full.
                *self.devices_unreadable.borrow_mut() = Some(error);
                return Ok(None);
            }
        };
        let ours = self.devices.borrow().clone();
        let base = match &theirs {
            // Longer, or (two tabs adding at once) different: follow storage.
            Some(theirs) if !theirs.is_prefix_of(&ours) => theirs.clone(),
            _ => ours,
        };
        let mut devices = base.clone();
        if !devices.add_writers(records) && theirs.as_ref() == Some(&base) {
            *self.devices.borrow_mut() = base;
            return Ok(None);
        }
        self.put(keys::DEVICES, &devices.to_json())?;
        *self.devices.borrow_mut() = devices;
        Ok(Some(TableUndo {
            stored,
            devices: base,
        }))
    }

    /// Puts the device table back as it was before `add_devices` (best effort, as `roll_back`).
    fn undo_devices(&self, undo: Option<TableUndo>) {
        let Some(undo) = undo else { return };
        let _ = match &undo.stored {
            Some(raw) => self.put(keys::DEVICES, raw),
            None => self.delete(keys::DEVICES),
        };
        *self.devices.borrow_mut() = undo.devices;
    }

    /// Reads the stored device table again, in case another tab added to it. True when it grew.
    fn refresh_devices(&self) -> Result<bool, StorageError> {
        let Some(raw) = self.backend.get(keys::DEVICES)? else {
            return Ok(false);
        };
        let Ok(theirs) = Devices::parse(&raw) else {
            return Ok(false);
        };
        let grew = {
            let ours = self.devices.borrow();
            ours.is_prefix_of(&theirs) && theirs.len() > ours.len()
        };
        if grew {
            self.count(keys::DEVICES, Some(units(keys::DEVICES, &raw)));
            *self.devices.borrow_mut() = theirs;
        }
        Ok(grew)
    }

    /// Writes one record under its own key, and nothing else (the device table too when the
    /// record's device is new to it).
    pub fn save_record(&self, record: &Record) -> Result<(), StorageError> {
        let table = self.add_devices(std::slice::from_ref(record))?;
        let result = self
            .encode(record)
            .and_then(|json| self.put(&self.record_key(&record.id), &json));
        if result.is_err() {
            self.undo_devices(table);
        }
        result
    }

    /// The stored text under a key, as it is (to hand an unreadable value to the user).
    pub fn raw(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.backend.get(key)
    }

    /// Reads one record straight from storage (another tab may have written it).
    pub fn load_record(&self, id: &Uuid) -> Result<Option<Record>, StorageError> {
        let (first, second) = if self.layout == 1 {
            (keys::record_v1(id), keys::record(id))
        } else {
            (keys::record(id), keys::record_v1(id))
        };
        for key in [first, second] {
            let Some(raw) = self.backend.get(&key)? else {
                continue;
            };
            if key.starts_with(keys::RECORD_PREFIX_V1) {
                return Ok(stored::decode_v1(&id.to_string(), &raw).ok());
            }
            let decoded = stored::decode(*id, &raw, &self.devices.borrow());
            return Ok(match decoded {
                Ok(record) => Some(record),
                // Written by another tab with a device this one has not seen yet?
                Err(_) if self.refresh_devices()? => {
                    stored::decode(*id, &raw, &self.devices.borrow()).ok()
                }
                Err(_) => None,
            });
        }
        Ok(None)
    }

    /// A form's unsaved input, kept while the officer types. Drafts live under their own
    /// prefix: they are never read as records and never exported.
    pub fn save_draft(&self, name: &str, json: &str) -> Result<(), StorageError> {
        self.put(&format!("{}{name}", keys::DRAFT_PREFIX), json)
    }

    pub fn load_draft(&self, name: &str) -> Result<Option<String>, StorageError> {
        self.backend.get(&format!("{}{name}", keys::DRAFT_PREFIX))
    }

    /// The names of the drafts kept (as given to [`Store::save_draft`]).
    pub fn draft_names(&self) -> Result<Vec<String>, StorageError> {
        Ok(self
            .backend
            .keys()?
            .into_iter()
            .filter_map(|key| key.strip_prefix(keys::DRAFT_PREFIX).map(str::to_owned))
            .collect())
    }

    pub fn remove_draft(&self, name: &str) -> Result<(), StorageError> {
        self.delete(&format!("{}{name}", keys::DRAFT_PREFIX))
    }

    /// What another tab's write means for this one: a record or the settings, read from the
    /// new value; `None` for keys this tab need not follow (drafts, the device table,
    /// unreadable values). A record naming a device this store has not seen yet is read
    /// after the stored device table is read again (the other tab adds a device before it
    /// writes a record that refers to it).
    pub fn decode_change(&self, key: &str, value: &str) -> Option<StoredChange> {
        if key == keys::SETTINGS {
            return serde_json::from_str(value)
                .ok()
                .map(|settings| StoredChange::Settings(Box::new(settings)));
        }
        if let Some(tail) = key.strip_prefix(keys::RECORD_PREFIX_V1) {
            return stored::decode_v1(tail, value)
                .ok()
                .map(|r| StoredChange::Record(Box::new(r)));
        }
        let id = stored::key_id(key.strip_prefix(keys::RECORD_PREFIX)?)?;
        let decoded = stored::decode(id, value, &self.devices.borrow());
        let record = match decoded {
            Ok(record) => record,
            Err(_) if self.refresh_devices().ok()? => {
                stored::decode(id, value, &self.devices.borrow()).ok()?
            }
            Err(_) => return None,
        };
        Some(StoredChange::Record(Box::new(record)))
    }

    /// Writes several records as one change: either all are stored, or storage is put back
    /// exactly as it was and the error returned (an import that does not fit changes nothing).
    /// Only records that are already stored are read first (to put them back).
    pub fn save_records(&self, records: &[Record]) -> Result<(), StorageError> {
        self.save_records_and(records, &[])
    }

    /// As [`Store::save_records`], with other values written (`Some`) or removed (`None`) in
    /// the same change: a pulled batch and the sync state that says it was pulled are stored
    /// together or not at all.
    pub fn save_records_and(
        &self,
        records: &[Record],
        also: &[(String, Option<String>)],
    ) -> Result<(), StorageError> {
        let table = self.add_devices(records)?;
        let mut written: Vec<(String, Option<String>)> = Vec::with_capacity(records.len());
        for record in records {
            let key = self.record_key(&record.id);
            let result = self.encode(record).and_then(|json| {
                let previous = if self.may_exist(&key) {
                    self.backend.get(&key)?
                } else {
                    None
                };
                self.put(&key, &json)?;
                written.push((key, previous));
                Ok(())
            });
            if let Err(error) = result {
                self.roll_back(written);
                self.undo_devices(table);
                return Err(error);
            }
        }
        for (key, value) in also {
            let result = self.backend.get(key).and_then(|previous| {
                match value {
                    Some(value) => self.put(key, value)?,
                    None if previous.is_some() => self.delete(key)?,
                    None => return Ok(()),
                }
                written.push((key.to_owned(), previous));
                Ok(())
            });
            if let Err(error) = result {
                self.roll_back(written);
                self.undo_devices(table);
                return Err(error);
            }
        }
        Ok(())
    }

    /// The live-sync values whose key starts with `prefix` (the sync state's journal), as
    /// stored.
    pub fn load_values_under(&self, prefix: &str) -> Result<Vec<(String, String)>, StorageError> {
        let mut found = Vec::new();
        for key in self.backend.keys()? {
            if key.starts_with(prefix)
                && let Some(value) = self.backend.get(&key)?
            {
                self.count(&key, Some(units(&key, &value)));
                found.push((key, value));
            }
        }
        Ok(found)
    }

    /// One of the live-sync values ([`keys::SYNC_CONFIG`], [`keys::SYNC_SECRET`],
    /// [`keys::SYNC_STATE`]), as stored: the sync module reads it and starts afresh from
    /// anything it cannot read.
    pub fn load_value(&self, key: &str) -> Result<Option<String>, StorageError> {
        let value = self.backend.get(key)?;
        self.count(key, value.as_deref().map(|v| units(key, v)));
        Ok(value)
    }

    pub fn save_value(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.put(key, value)
    }

    pub fn remove_value(&self, key: &str) -> Result<(), StorageError> {
        self.delete(key)
    }

    /// Removes several records as one change: either all are gone, or storage is put back
    /// exactly as it was and the error returned.
    pub fn remove_records(&self, ids: &[Uuid]) -> Result<(), StorageError> {
        let mut removed: Vec<(String, Option<String>)> = Vec::with_capacity(ids.len());
        for id in ids {
            // A record of the other layout (left by a migration) goes too.
            for key in [keys::record(id), keys::record_v1(id)] {
                if !self.may_exist(&key) {
                    continue;
                }
                let result = self.backend.get(&key).and_then(|previous| {
                    if previous.is_some() {
                        self.delete(&key)?;
                        removed.push((key, previous));
                    }
                    Ok(())
                });
                if let Err(error) = result {
                    self.roll_back(removed);
                    return Err(error);
                }
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
    /// keys and values: every one seen at start (`load_records`) or written since.
    pub fn used_units(&self) -> usize {
        self.used.get()
    }
}

/// Moves every readable layout-1 record to layout 2, then sets `fl.layout` to 2, last.
/// Record by record, the new key is written before the old one is removed, so storage never
/// needs room for much more than it holds, and an interruption loses nothing (layout 1 stays
/// marked; the next start reads both and migrates again). Unreadable values stay where they
/// are (they are reported when loading). On any failure every write is undone, newest
/// first, and storage is exactly as it was.
fn migrate(backend: &dyn KeyValue) -> Result<(), StorageError> {
    // Everything is read before anything is written.
    let all_keys = backend.keys()?;
    let present: HashSet<&str> = all_keys.iter().map(String::as_str).collect();
    let mut moves: Vec<(String, String, Record)> = Vec::new();
    for key in &all_keys {
        let Some(tail) = key.strip_prefix(keys::RECORD_PREFIX_V1) else {
            continue;
        };
        let Some(raw) = backend.get(key)? else {
            continue;
        };
        if let Ok(record) = stored::decode_v1(tail, &raw) {
            moves.push((key.clone(), raw, record));
        }
    }
    // A table left by an interrupted migration is kept (its records refer to it).
    let table_before = if present.contains(keys::DEVICES) {
        backend.get(keys::DEVICES)?
    } else {
        None
    };
    let (mut devices, table_usable) = match table_before.as_deref().map(Devices::parse) {
        None => (Devices::default(), true),
        Some(Ok(devices)) => (devices, true),
        Some(Err(_)) => (Devices::default(), false),
    };
    let table_grew = table_usable && devices.add_writers(moves.iter().map(|(_, _, r)| r));
    let mut plan: Vec<(String, Option<String>, String)> = Vec::with_capacity(moves.len());
    for (_, _, record) in &moves {
        let key = keys::record(&record.id);
        let previous = if present.contains(key.as_str()) {
            backend.get(&key)?
        } else {
            None
        };
        let json =
            stored::encode(record, &devices).map_err(|e| StorageError::Encode(e.to_string()))?;
        plan.push((key, previous, json));
    }

    let mut journal: Vec<(String, Option<String>)> = Vec::with_capacity(2 * moves.len() + 1);
    let result = (|| {
        if table_grew {
            backend.set(keys::DEVICES, &devices.to_json())?;
            journal.push((keys::DEVICES.to_owned(), table_before));
        }
        for ((old_key, old_raw, _), (new_key, previous, json)) in moves.into_iter().zip(plan) {
            backend.set(&new_key, &json)?;
            journal.push((new_key, previous));
            backend.remove(&old_key)?;
            journal.push((old_key, Some(old_raw)));
        }
        backend.set(keys::LAYOUT, &LAYOUT_VERSION.to_string())
    })();
    if let Err(error) = result {
        for (key, previous) in journal.into_iter().rev() {
            let _ = match previous {
                Some(value) => backend.set(&key, &value),
                None => backend.remove(&key),
            };
        }
        return Err(error);
    }
    Ok(())
}
