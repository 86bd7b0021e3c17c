//! The one fault-injecting storage of the tests. Over any inner [`KeyValue`] (memory natively,
//! the browser's localStorage in the browser tier) it can:
//!
//! - fail the n-th write from now, once ([`Faulty::fail_write`]) or from then on
//!   ([`Faulty::fail_writes_from`]: a tab closed mid-way, as far as storage can tell), as a full
//!   quota or as an exception ([`Fault`]);
//! - fail every read ([`Faulty::fail_reads`]);
//! - hold no more than a quota of UTF-16 units, as browsers count ([`Faulty::set_quota`]);
//! - log the keys it read and wrote ([`Faulty::reads`], [`Faulty::writes`]) and show
//!   everything it holds ([`Faulty::dump`]).
//!
//! Clones share the inner store, the faults and the logs: the test keeps one, the store under
//! test gets another ([`Faulty::boxed`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use field_ledger::storage::{KeyValue, MemoryStorage, StorageError};

/// How an injected write fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// As a browser whose quota is used up (`QuotaExceededError`). Removing a value only frees
    /// room, so removals neither fail this way nor count as writes towards the failing one.
    Quota,
    /// As a browser that throws for another reason: removals count and fail too.
    Thrown,
}

impl Fault {
    /// The error the store sees.
    pub fn error(self) -> StorageError {
        match self {
            Fault::Quota => StorageError::QuotaExceeded,
            Fault::Thrown => StorageError::Browser("injected write fault".into()),
        }
    }
}

/// The error of every read while reads fail.
pub fn read_fault() -> StorageError {
    StorageError::Browser("injected read fault".into())
}

#[derive(Default)]
struct Knobs {
    /// Writes still let through before one fails, and how it fails.
    countdown: Option<(usize, Fault)>,
    /// Once a write failed, every later one fails too.
    sticky: bool,
    reads_fail: bool,
    /// UTF-16 units all keys and values may take together.
    quota: Option<usize>,
    /// Keys read with `get`, in order.
    reads: Vec<String>,
    /// Keys written, in order; a removal as `-key`. Only writes that happened.
    writes: Vec<String>,
}

pub struct Faulty<K: KeyValue = MemoryStorage> {
    inner: Rc<K>,
    knobs: Rc<RefCell<Knobs>>,
}

impl<K: KeyValue> Clone for Faulty<K> {
    fn clone(&self) -> Self {
        Faulty {
            inner: Rc::clone(&self.inner),
            knobs: Rc::clone(&self.knobs),
        }
    }
}

impl Default for Faulty<MemoryStorage> {
    fn default() -> Self {
        Faulty::over(MemoryStorage::default())
    }
}

impl Faulty<MemoryStorage> {
    /// An empty store in memory.
    pub fn memory() -> Self {
        Faulty::default()
    }

    /// A store in memory that holds `entries` already (as a dump of storage would restore).
    pub fn holding<S: Into<String>>(entries: impl IntoIterator<Item = (S, S)>) -> Self {
        let kv = Faulty::memory();
        for (key, value) in entries {
            kv.put(&key.into(), &value.into());
        }
        kv
    }
}

#[cfg(target_arch = "wasm32")]
impl Faulty<field_ledger::storage::BrowserStorage> {
    /// Over the browser's localStorage (as it is: clear it first where a test needs that).
    pub fn browser() -> Self {
        Faulty::over(field_ledger::storage::BrowserStorage::open().unwrap())
    }
}

impl<K: KeyValue + 'static> Faulty<K> {
    pub fn over(inner: K) -> Self {
        Faulty {
            inner: Rc::new(inner),
            knobs: Rc::default(),
        }
    }

    /// A handle for the store or the app under test.
    pub fn boxed(&self) -> Box<dyn KeyValue> {
        Box::new(self.clone())
    }

    /// The write `n` writes from now (0: the next one) fails, once.
    pub fn fail_write(&self, n: usize, fault: Fault) {
        let mut knobs = self.knobs.borrow_mut();
        knobs.countdown = Some((n, fault));
        knobs.sticky = false;
    }

    /// The write `n` writes from now fails, and every one after it.
    pub fn fail_writes_from(&self, n: usize, fault: Fault) {
        let mut knobs = self.knobs.borrow_mut();
        knobs.countdown = Some((n, fault));
        knobs.sticky = true;
    }

    /// Every read (`get` and `keys`) fails while `on`.
    pub fn fail_reads(&self, on: bool) {
        self.knobs.borrow_mut().reads_fail = on;
    }

    /// Writes that would make everything stored take more than `units` UTF-16 units fail
    /// with a full quota (`None`: no limit).
    pub fn set_quota(&self, units: Option<usize>) {
        self.knobs.borrow_mut().quota = units;
    }

    /// No more faults and no quota (the logs are kept).
    pub fn heal(&self) {
        let mut knobs = self.knobs.borrow_mut();
        knobs.countdown = None;
        knobs.sticky = false;
        knobs.reads_fail = false;
        knobs.quota = None;
    }

    /// The keys read since the last [`Faulty::forget`].
    pub fn reads(&self) -> Vec<String> {
        self.knobs.borrow().reads.clone()
    }

    /// The keys written since the last [`Faulty::forget`] (`-key` for a removal).
    pub fn writes(&self) -> Vec<String> {
        self.knobs.borrow().writes.clone()
    }

    /// Empties both logs.
    pub fn forget(&self) {
        let mut knobs = self.knobs.borrow_mut();
        knobs.reads.clear();
        knobs.writes.clear();
    }

    /// Every key and value stored, read past the faults and the logs.
    pub fn dump(&self) -> BTreeMap<String, String> {
        self.inner
            .keys()
            .unwrap()
            .into_iter()
            .filter_map(|k| self.inner.get(&k).unwrap().map(|v| (k, v)))
            .collect()
    }

    /// The value of a key, read past the faults and the logs.
    pub fn raw(&self, key: &str) -> Option<String> {
        self.inner.get(key).unwrap()
    }

    /// Writes a value behind the back of the store under test (another tab, an older
    /// version, a damaged value): no fault, no log.
    pub fn put(&self, key: &str, value: &str) {
        self.inner.set(key, value).unwrap();
    }

    /// UTF-16 units everything stored takes (what browsers count against the quota).
    pub fn units(&self) -> usize {
        self.units_without(None)
    }

    /// UTF-16 units of the keys whose name starts with `prefix`, with their values.
    pub fn units_under(&self, prefix: &str) -> usize {
        self.dump()
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| units(k, v))
            .sum()
    }

    fn units_without(&self, key: Option<&str>) -> usize {
        self.dump()
            .iter()
            .filter(|(k, _)| Some(k.as_str()) != key)
            .map(|(k, v)| units(k, v))
            .sum()
    }

    /// Counts one write against the injected fault, if any.
    fn count_write(&self, removal: bool) -> Result<(), StorageError> {
        let mut knobs = self.knobs.borrow_mut();
        let Some((left, fault)) = knobs.countdown else {
            return Ok(());
        };
        if removal && fault == Fault::Quota {
            return Ok(());
        }
        if left > 0 {
            knobs.countdown = Some((left - 1, fault));
            return Ok(());
        }
        if !knobs.sticky {
            knobs.countdown = None;
        }
        Err(fault.error())
    }

    fn count_read(&self) -> Result<(), StorageError> {
        if self.knobs.borrow().reads_fail {
            Err(read_fault())
        } else {
            Ok(())
        }
    }
}

/// UTF-16 units of a key and its value.
pub fn units(key: &str, value: &str) -> usize {
    key.encode_utf16().count() + value.encode_utf16().count()
}

impl<K: KeyValue + 'static> KeyValue for Faulty<K> {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.count_read()?;
        self.knobs.borrow_mut().reads.push(key.to_owned());
        self.inner.get(key)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.count_write(false)?;
        let quota = self.knobs.borrow().quota;
        if let Some(quota) = quota
            && self.units_without(Some(key)) + units(key, value) > quota
        {
            return Err(StorageError::QuotaExceeded);
        }
        self.inner.set(key, value)?;
        self.knobs.borrow_mut().writes.push(key.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.count_write(true)?;
        self.inner.remove(key)?;
        self.knobs.borrow_mut().writes.push(format!("-{key}"));
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.count_read()?;
        self.inner.keys()
    }
}

/// A photo store in memory that can be made to fail, as a full disk or as a browser that
/// keeps no photos (a private window): the photo half of the fault injection. Clones share
/// the photos and the fault.
#[derive(Clone, Default)]
pub struct FaultyPhotos {
    photos: Rc<RefCell<BTreeMap<String, field_ledger::storage::photos::StoredPhoto>>>,
    fault: Rc<RefCell<Option<field_ledger::storage::photos::PhotoStoreError>>>,
}

impl FaultyPhotos {
    /// Every step fails with `error` from now on (`None`: none does).
    pub fn fail_with(&self, error: Option<field_ledger::storage::photos::PhotoStoreError>) {
        *self.fault.borrow_mut() = error;
    }

    pub fn hashes(&self) -> Vec<String> {
        self.photos.borrow().keys().cloned().collect()
    }

    pub fn store(&self) -> field_ledger::storage::photos::PhotoStore {
        field_ledger::storage::photos::PhotoStore::with_backend(Rc::new(self.clone()))
    }

    fn step<T: 'static>(
        &self,
        then: impl FnOnce() -> T,
    ) -> field_ledger::storage::photos::LocalFuture<T> {
        let result = match self.fault.borrow().clone() {
            Some(error) => Err(error),
            None => Ok(then()),
        };
        Box::pin(async move { result })
    }
}

impl field_ledger::storage::photos::PhotoBackend for FaultyPhotos {
    fn put(
        &self,
        hash: &str,
        photo: &field_ledger::storage::photos::StoredPhoto,
    ) -> field_ledger::storage::photos::LocalFuture<()> {
        let photos = self.photos.clone();
        let (hash, photo) = (hash.to_owned(), photo.clone());
        self.step(move || {
            photos.borrow_mut().insert(hash, photo);
        })
    }

    fn get(
        &self,
        hash: &str,
    ) -> field_ledger::storage::photos::LocalFuture<
        Option<field_ledger::storage::photos::StoredPhoto>,
    > {
        let found = self.photos.borrow().get(hash).cloned();
        self.step(move || found)
    }

    fn delete(&self, hash: &str) -> field_ledger::storage::photos::LocalFuture<()> {
        let photos = self.photos.clone();
        let hash = hash.to_owned();
        self.step(move || {
            photos.borrow_mut().remove(&hash);
        })
    }

    fn hashes(&self) -> field_ledger::storage::photos::LocalFuture<Vec<String>> {
        let hashes = self.hashes();
        self.step(move || hashes)
    }
}
