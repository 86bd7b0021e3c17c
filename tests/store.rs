//! Tier 1: the storage layer's rules, natively, over an in-memory key-value store.

use std::cell::RefCell;
use std::rc::Rc;

use field_ledger::domain::*;
use field_ledger::storage::*;
use time::macros::{date, datetime};
use uuid::Uuid;

/// A key-value store whose contents and writes the test can see.
#[derive(Clone, Default)]
struct Shared {
    inner: Rc<MemoryStorage>,
    writes: Rc<RefCell<Vec<String>>>,
}

impl KeyValue for Shared {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.writes.borrow_mut().push(key.to_owned());
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.writes.borrow_mut().push(format!("-{key}"));
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.inner.keys()
    }
}

fn training(id: u128) -> Record {
    let body = RecordBody::Training(
        TrainingInput {
            topic: "玉米密植高产技术".into(),
            attendance: "30".into(),
            ..TrainingInput::blank(date!(2022 - 05 - 01))
        }
        .validate(date!(2022 - 05 - 01))
        .unwrap(),
    );
    let author = Author {
        device_id: "device-1".into(),
        name: "李娜".into(),
    };
    Record::create(
        Uuid::from_u128(id),
        body,
        &author,
        datetime!(2022-05-01 02:00 UTC),
    )
}

#[test]
fn a_fresh_storage_is_marked_with_the_layout_version() {
    let kv = Shared::default();
    Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!(kv.get(keys::LAYOUT).unwrap().as_deref(), Some("1"));
}

#[test]
fn storage_from_a_newer_layout_is_refused_and_left_alone() {
    let kv = Shared::default();
    kv.inner.set(keys::LAYOUT, "2").unwrap();
    assert_eq!(
        Store::open(Box::new(kv.clone())).err(),
        Some(StorageError::NewerLayout("2".into()))
    );
    assert!(kv.writes.borrow().is_empty());
}

#[test]
fn saving_a_record_writes_that_record_only() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    for id in 1..=50 {
        store.save_record(&training(id)).unwrap();
    }
    kv.writes.borrow_mut().clear();
    let record = training(7);
    store.save_record(&record).unwrap();
    assert_eq!(*kv.writes.borrow(), vec![keys::record(&record.id)]);
}

#[test]
fn records_and_tombstones_round_trip() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let record = training(1);
    let author = Author {
        device_id: "device-1".into(),
        name: "李娜".into(),
    };
    let tomb = training(2).tombstone(&author, datetime!(2022-05-02 00:00 UTC));
    store.save_record(&record).unwrap();
    store.save_record(&tomb).unwrap();
    let mut loaded = Store::open(Box::new(kv)).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records, vec![record, tomb]);
    assert!(loaded.problems.is_empty());
}

#[test]
fn unreadable_values_are_skipped_reported_and_kept() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let good = training(1);
    store.save_record(&good).unwrap();
    let truncated_key = keys::record(&Uuid::from_u128(2));
    let truncated = &serde_json::to_string(&training(2)).unwrap()[..40];
    kv.inner.set(&truncated_key, truncated).unwrap();
    let wrong_type_key = keys::record(&Uuid::from_u128(3));
    kv.inner.set(&wrong_type_key, "[1,2,3]").unwrap();
    let mut future = serde_json::to_value(training(4)).unwrap();
    future["schema_version"] = 99.into();
    future["data"] = serde_json::json!({"something": "new"});
    let future_key = keys::record(&Uuid::from_u128(4));
    kv.inner.set(&future_key, &future.to_string()).unwrap();
    let moved_key = keys::record(&Uuid::from_u128(5));
    kv.inner
        .set(&moved_key, &serde_json::to_string(&training(6)).unwrap())
        .unwrap();
    kv.writes.borrow_mut().clear();

    let loaded = store.load_records().unwrap();
    assert_eq!(loaded.records, vec![good]);
    let problems: Vec<_> = loaded
        .problems
        .iter()
        .map(|p| (p.key.clone(), p.reason.clone()))
        .collect();
    assert_eq!(problems.len(), 4);
    assert!(problems.contains(&(future_key, StoredProblemReason::FromNewerVersion(99))));
    assert!(problems.contains(&(moved_key, StoredProblemReason::IdMismatch)));
    assert!(
        problems
            .iter()
            .any(|(k, r)| *k == truncated_key && matches!(r, StoredProblemReason::Unreadable(_)))
    );
    assert!(
        problems
            .iter()
            .any(|(k, r)| *k == wrong_type_key && matches!(r, StoredProblemReason::Unreadable(_)))
    );
    assert!(kv.writes.borrow().is_empty(), "loading never writes");
    assert_eq!(kv.get(&truncated_key).unwrap().as_deref(), Some(truncated));
}

#[test]
fn settings_persist_and_unreadable_settings_are_set_aside() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!(store.load_settings().unwrap(), Ok(None));
    let mut settings = Settings::new("device-9".into());
    settings.author = "王建国".into();
    store.save_settings(&settings).unwrap();
    assert_eq!(store.load_settings().unwrap(), Ok(Some(settings)));

    kv.inner.set(keys::SETTINGS, "{not json").unwrap();
    let problem = store.load_settings().unwrap().unwrap_err();
    assert_eq!(problem.key, keys::SETTINGS);
    store.quarantine(keys::SETTINGS).unwrap();
    let aside = format!("{}{}", keys::QUARANTINE_PREFIX, keys::SETTINGS);
    assert_eq!(kv.get(&aside).unwrap().as_deref(), Some("{not json"));
    // A second quarantine never replaces the first copy.
    kv.inner.set(keys::SETTINGS, "{also bad").unwrap();
    store.quarantine(keys::SETTINGS).unwrap();
    assert_eq!(kv.get(&aside).unwrap().as_deref(), Some("{not json"));
}

#[test]
fn the_size_count_follows_every_write_and_matches_a_fresh_load() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let start = store.used_units();
    kv.inner.set("other-app", &"x".repeat(1000)).unwrap();
    store
        .save_settings(&Settings::new("device-1".into()))
        .unwrap();
    let record = training(1);
    store.save_record(&record).unwrap();
    let after_first = store.used_units();
    assert!(after_first > start);
    store.save_record(&record).unwrap();
    assert_eq!(
        store.used_units(),
        after_first,
        "rewriting the same value adds nothing"
    );

    let reopened = Store::open(Box::new(kv.clone())).unwrap();
    reopened.load_settings().unwrap().unwrap();
    reopened.load_records().unwrap();
    assert_eq!(
        reopened.used_units(),
        after_first,
        "other apps' keys are not counted"
    );
    let expected: usize = kv
        .keys()
        .unwrap()
        .iter()
        .filter(|k| k.starts_with("fl."))
        .map(|k| k.encode_utf16().count() + kv.get(k).unwrap().unwrap().encode_utf16().count())
        .sum();
    assert_eq!(after_first, expected);
}
