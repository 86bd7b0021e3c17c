//! Tier 1: the storage layer's rules, natively, over an in-memory key-value store.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use field_ledger::domain::*;
use field_ledger::storage::*;
use time::macros::{date, datetime};
use uuid::Uuid;

/// A key-value store whose contents, reads and writes the test can see, and whose writes
/// can be made to fail: the n-th from now (once, or from then on), or past a quota.
#[derive(Clone, Default)]
struct Shared {
    inner: Rc<MemoryStorage>,
    writes: Rc<RefCell<Vec<String>>>,
    reads: Rc<RefCell<Vec<String>>>,
    /// Writes left before one fails.
    writes_left: Rc<Cell<Option<usize>>>,
    /// Once a write failed, every later one fails too (a crash, as far as storage can tell).
    sticky: Rc<Cell<bool>>,
    /// UTF-16 units the store may hold in all.
    quota: Rc<Cell<Option<usize>>>,
}

impl Shared {
    fn fail_write_after(&self, n: usize, sticky: bool) {
        self.writes_left.set(Some(n));
        self.sticky.set(sticky);
    }
    fn heal(&self) {
        self.writes_left.set(None);
        self.sticky.set(false);
        self.quota.set(None);
    }
    fn write(&self) -> Result<(), StorageError> {
        match self.writes_left.get() {
            Some(0) => {
                if !self.sticky.get() {
                    self.writes_left.set(None);
                }
                Err(StorageError::Browser("injected write fault".into()))
            }
            Some(n) => {
                self.writes_left.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        }
    }
    fn units_without(&self, key: &str) -> usize {
        dump(&*self.inner)
            .iter()
            .filter(|(k, _)| *k != key)
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum()
    }
}

impl KeyValue for Shared {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.reads.borrow_mut().push(key.to_owned());
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.write()?;
        if let Some(quota) = self.quota.get()
            && self.units_without(key) + key.encode_utf16().count() + value.encode_utf16().count()
                > quota
        {
            return Err(StorageError::QuotaExceeded);
        }
        self.writes.borrow_mut().push(key.to_owned());
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.write()?;
        self.writes.borrow_mut().push(format!("-{key}"));
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.inner.keys()
    }
}

/// Every key and value, to compare storage before and after.
fn dump(kv: &dyn KeyValue) -> BTreeMap<String, String> {
    kv.keys()
        .unwrap()
        .into_iter()
        .map(|k| {
            let v = kv.get(&k).unwrap().unwrap();
            (k, v)
        })
        .collect()
}

fn author(device: &str) -> Author {
    Author {
        device_id: device.into(),
        name: "李娜".into(),
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
    assert_eq!(kv.get(keys::LAYOUT).unwrap().as_deref(), Some("2"));
}

#[test]
fn storage_from_a_newer_layout_is_refused_and_left_alone() {
    let kv = Shared::default();
    kv.inner.set(keys::LAYOUT, "3").unwrap();
    assert_eq!(
        Store::open(Box::new(kv.clone())).err(),
        Some(StorageError::NewerLayout("3".into()))
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
fn rehearsing_a_save_writes_nothing_and_counts_nothing() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    store.save_record(&training(1)).unwrap();
    let (before, used) = (dump(&kv), store.used_units());
    kv.writes.borrow_mut().clear();
    // A record of a device not yet in the table, and one that is stored already.
    let mut stranger = training(2);
    stranger.device_id = "another-tablet".into();
    store.rehearse_save(&stranger);
    store.rehearse_save(&training(1));
    assert!(kv.writes.borrow().is_empty());
    assert_eq!(dump(&kv), before);
    assert_eq!(store.used_units(), used);
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
    let truncated = &stored::encode(&training(2), &stored::Devices::default()).unwrap()[..40];
    kv.inner.set(&truncated_key, truncated).unwrap();
    let wrong_type_key = keys::record(&Uuid::from_u128(3));
    kv.inner.set(&wrong_type_key, "[1,2,3]").unwrap();
    // A newer schema, whose body today's types cannot read.
    let future =
        r#"{"s":99,"c":1651370400000,"r":1,"d":"device-1","a":"李娜","tr":{"something":"new"}}"#;
    let future_key = keys::record(&Uuid::from_u128(4));
    kv.inner.set(&future_key, future).unwrap();
    // A layout-1 value left under the key of another id.
    let moved_key = keys::record_v1(&Uuid::from_u128(5));
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
    assert_eq!(problems.len(), 4, "{problems:?}");
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
    let expected = |kv: &Shared| -> usize {
        kv.keys()
            .unwrap()
            .iter()
            .filter(|k| k.starts_with("fl."))
            .map(|k| k.encode_utf16().count() + kv.get(k).unwrap().unwrap().encode_utf16().count())
            .sum()
    };
    assert_eq!(after_first, expected(&kv));

    // Drafts, a new device, several records, removals: still exact, without reading old values.
    reopened
        .save_draft("trainings.new", r#"{"topic":"水稻"}"#)
        .unwrap();
    reopened
        .save_draft("trainings.new", r#"{"topic":"水稻育秧"}"#)
        .unwrap();
    let other = training(2).tombstone(&author("device-2"), datetime!(2022-05-02 00:00 UTC));
    reopened
        .save_records(&[other, training(3), training(1)])
        .unwrap();
    reopened.remove_records(&[Uuid::from_u128(3)]).unwrap();
    assert_eq!(reopened.used_units(), expected(&kv));
    let fresh = Store::open(Box::new(kv.clone())).unwrap();
    fresh.load_settings().unwrap().unwrap();
    fresh.load_records().unwrap();
    assert_eq!(
        fresh.used_units(),
        expected(&kv),
        "drafts are counted at start too"
    );
    reopened.remove_draft("trainings.new").unwrap();
    assert_eq!(reopened.used_units(), expected(&kv));
}

/// A record with everything the compact form treats specially: another device's history
/// entries (one under another id), a timestamp with an offset and one with nanoseconds, a
/// tombstone, sample data, an old schema version.
fn eventful() -> Vec<Record> {
    let at = datetime!(2022-05-01 02:00 UTC);
    let mut edited = training(110).edited(training(111).body, &author("device-2"), at);
    edited.history = vec![
        training(110),
        Record {
            created_at: datetime!(2022-05-01 10:00 +08:00),
            updated_at: datetime!(2022-05-01 10:00:00.123456789 +08:00),
            ..training(112).tombstone(&author("device-3"), at)
        },
    ];
    let mut sample = training(113);
    sample.sample = true;
    let mut old = training(114);
    old.schema_version = 0;
    let mut fine = training(115);
    fine.updated_at = datetime!(2022-05-01 02:00:00.5 UTC);
    vec![
        edited,
        training(116).tombstone(&author("device-2"), datetime!(2022-05-03 00:00 UTC)),
        sample,
        old,
        fine,
    ]
}

#[test]
fn the_compact_form_round_trips_every_field() {
    let mut devices = stored::Devices::default();
    devices.push("device-1".into());
    for record in eventful() {
        // With every device in the table, and with none (then written in full).
        for table in [devices.clone(), stored::Devices::default()] {
            let text = stored::encode(&record, &table).unwrap();
            let back = stored::decode(record.id, &text, &table).unwrap();
            assert_eq!(back, record, "{text}");
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                serde_json::to_string(&record).unwrap(),
                "written back exactly as before (offsets and fractions too)"
            );
        }
    }
}

#[test]
fn the_compact_form_leaves_out_what_the_key_and_the_table_hold() {
    let record = training(1);
    let mut devices = stored::Devices::default();
    devices.push("device-1".into());
    let text = stored::encode(&record, &devices).unwrap();
    assert_eq!(
        text,
        r#"{"c":1651370400000,"r":1,"d":0,"a":"李娜","tr":{"attendance":30,"date":"2022-05-01","topic":"玉米密植高产技术","training_type":"farmer"}}"#
    );
    let units =
        |key: String, value: &str| key.encode_utf16().count() + value.encode_utf16().count();
    let v1 = units(
        keys::record_v1(&record.id),
        &serde_json::to_string(&record).unwrap(),
    );
    let v2 = units(keys::record(&record.id), &text);
    assert!(v2 * 100 < v1 * 55, "{v2} UTF-16 units against {v1}");
}

#[test]
fn a_damaged_compact_value_is_reported_and_never_panics() {
    let devices = stored::Devices::default();
    let record = &eventful()[0];
    let text = stored::encode(record, &devices).unwrap();
    let id = record.id;
    for (cut, _) in text.char_indices().skip(1) {
        assert!(matches!(
            stored::decode(id, &text[..cut], &devices),
            Err(StoredProblemReason::Unreadable(_))
        ));
    }
    for bad in [
        "",
        "null",
        "17",
        "{}",
        r#"{"c":"yesterday","r":1,"d":"x","a":"","vi":{}}"#,
        r#"{"c":1e3,"r":1,"d":"x","a":"","tr":{}}"#,
        r#"{"c":99999999999999999999,"r":1,"d":"x","a":""}"#,
        r#"{"c":1,"r":-1,"d":"x","a":""}"#,
        r#"{"c":1,"r":1,"d":7,"a":"","tr":{"date":"2022-05-01","training_type":"farmer","topic":"t","attendance":1}}"#,
        r#"{"c":1,"r":1,"d":"x","a":"","tr":{"date":"2022-05-01","training_type":"farmer","topic":"t","attendance":1},"te":{}}"#,
        r#"{"c":1,"c":2,"r":1,"d":"x","a":""}"#,
        r#"{"c":1,"r":1,"d":"x","a":"","h":[{"s":9}]}"#,
        r#"{"c":1,"r":1,"d":"x","a":"","h":{}}"#,
        &format!(r#"{{"h":{}"#, "[".repeat(10_000)),
        r#"{"c":1,"r":1,"d":"x","a":"","tr":{"date":"2022-05-01","training_type":"farmer","topic":"t","attendance":1}} trailing"#,
    ] {
        assert!(
            matches!(
                stored::decode(id, bad, &devices),
                Err(StoredProblemReason::Unreadable(_))
            ),
            "{bad:.80}"
        );
    }
    // A newer schema is said so, whatever follows.
    assert_eq!(
        stored::decode(id, r#"{"s":2,"c":"?","tr":[1]}"#, &devices),
        Err(StoredProblemReason::FromNewerVersion(2))
    );
}

#[test]
fn a_device_is_added_to_the_table_by_its_first_save_only() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    store.load_records().unwrap();
    kv.writes.borrow_mut().clear();
    let first = training(1);
    store.save_record(&first).unwrap();
    assert_eq!(
        *kv.writes.borrow(),
        vec![keys::DEVICES.to_owned(), keys::record(&first.id)]
    );
    kv.writes.borrow_mut().clear();
    kv.reads.borrow_mut().clear();
    store.save_record(&training(2)).unwrap();
    assert_eq!(*kv.writes.borrow(), vec![keys::record(&Uuid::from_u128(2))]);
    assert!(kv.reads.borrow().is_empty(), "a save reads nothing");
    let other = training(3).tombstone(&author("device-2"), datetime!(2022-05-02 00:00 UTC));
    store.save_record(&other).unwrap();
    assert_eq!(
        kv.get(keys::DEVICES).unwrap().as_deref(),
        Some(r#"["device-1","device-2"]"#)
    );
    let mut loaded = Store::open(Box::new(kv)).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records, vec![first, training(2), other]);
}

#[test]
fn a_device_added_by_another_tab_is_kept() {
    let kv = Shared::default();
    let this_tab = Store::open(Box::new(kv.clone())).unwrap();
    this_tab.load_records().unwrap();
    let other_tab = Store::open(Box::new(kv.clone())).unwrap();
    let theirs = training(1).tombstone(&author("device-9"), datetime!(2022-05-02 00:00 UTC));
    other_tab.save_record(&theirs).unwrap();
    // This tab has not seen device-9: it reads the record all the same, and adds its own
    // device after it.
    assert_eq!(
        this_tab.load_record(&theirs.id).unwrap(),
        Some(theirs.clone())
    );
    let ours = training(2);
    this_tab.save_record(&ours).unwrap();
    assert_eq!(
        kv.get(keys::DEVICES).unwrap().as_deref(),
        Some(r#"["device-9","device-1"]"#)
    );
    let mut loaded = Store::open(Box::new(kv)).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records, vec![theirs, ours]);
}

#[test]
fn a_save_that_fails_puts_the_device_table_back() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    store.save_record(&training(1)).unwrap();
    store.load_records().unwrap();
    let before = dump(&kv);
    let used = store.used_units();
    let other = training(2).tombstone(&author("device-2"), datetime!(2022-05-02 00:00 UTC));
    // The table's write goes through, the record's fails.
    kv.fail_write_after(1, false);
    assert!(store.save_record(&other).is_err());
    assert_eq!(dump(&kv), before);
    assert_eq!(store.used_units(), used);
    // The same goes for a write of several records.
    kv.fail_write_after(3, false);
    let several = [training(5), other.clone(), training(6), training(7)];
    assert!(store.save_records(&several).is_err());
    assert_eq!(dump(&kv), before);
    assert_eq!(store.used_units(), used);
    // And the store still knows what the table holds: the next save adds the device again.
    store.save_records(&several).unwrap();
    let mut loaded = Store::open(Box::new(kv)).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records.len(), 5);
    assert!(loaded.problems.is_empty());
}

#[test]
fn a_write_of_several_records_reads_only_those_already_stored() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    for id in 1..=5 {
        store.save_record(&training(id)).unwrap();
    }
    let store = Store::open(Box::new(kv.clone())).unwrap();
    store.load_records().unwrap();
    kv.reads.borrow_mut().clear();
    let changed: Vec<Record> = (3..=10).map(training).collect();
    store.save_records(&changed).unwrap();
    let mut reads = kv.reads.borrow().clone();
    reads.sort();
    let expected: Vec<String> = (3..=5)
        .map(|id| keys::record(&Uuid::from_u128(id)))
        .collect();
    assert_eq!(reads, expected);
    // Failing at each write in turn, storage is put back exactly.
    let before = dump(&kv);
    let edits: Vec<Record> = (1..=12)
        .map(|id| {
            training(id).edited(
                training(id).body,
                &author("device-1"),
                datetime!(2022-06-01 00:00 UTC),
            )
        })
        .collect();
    for n in 0..edits.len() {
        kv.fail_write_after(n, false);
        assert!(store.save_records(&edits).is_err());
        assert_eq!(dump(&kv), before, "failing write {n}");
    }
    kv.heal();
}

#[test]
fn removing_records_can_be_undone_by_a_failure() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let records: Vec<Record> = (1..=6).map(training).collect();
    store.save_records(&records).unwrap();
    store.load_records().unwrap();
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let before = dump(&kv);
    kv.fail_write_after(3, false);
    assert!(store.remove_records(&ids).is_err());
    assert_eq!(dump(&kv), before);
    store.remove_records(&ids[..4]).unwrap();
    let loaded = Store::open(Box::new(kv)).unwrap().load_records().unwrap();
    assert_eq!(loaded.records.len(), 2);
}

#[test]
fn another_tabs_writes_are_read_with_its_device_table() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let record = training(1).tombstone(&author("device-7"), datetime!(2022-05-02 00:00 UTC));
    store.save_record(&record).unwrap();
    let table = kv.get(keys::DEVICES).unwrap().unwrap();
    let value = kv.get(&keys::record(&record.id)).unwrap().unwrap();
    assert!(Store::decode_change(keys::DEVICES, &table).is_none());
    assert!(matches!(
        Store::decode_change(&keys::record(&record.id), &value),
        Some(StoredChange::Record(r)) if *r == record
    ));
    // A layout-1 value from a tab of an older version reads too.
    let old = serde_json::to_string(&training(2)).unwrap();
    assert!(matches!(
        Store::decode_change(&keys::record_v1(&Uuid::from_u128(2)), &old),
        Some(StoredChange::Record(r)) if *r == training(2)
    ));
    assert!(Store::decode_change(&format!("{}training.new", keys::DRAFT_PREFIX), "{}").is_none());
}

// ---------------------------------------------------------------------------------------
// Migration from layout 1.

/// A layout-1 storage as the previous version left it: records (a tombstone and a merged
/// conflict among them), values it could not read, settings, a draft, and another app's key.
fn layout_1() -> (Shared, Vec<Record>) {
    let kv = Shared::default();
    let mut records: Vec<Record> = (1..=20).map(training).collect();
    records.extend(eventful());
    for record in &records {
        kv.inner
            .set(
                &keys::record_v1(&record.id),
                &serde_json::to_string(record).unwrap(),
            )
            .unwrap();
    }
    kv.inner.set(keys::LAYOUT, "1").unwrap();
    kv.inner
        .set(
            keys::SETTINGS,
            &serde_json::to_string(&Settings::new("device-1".into())).unwrap(),
        )
        .unwrap();
    kv.inner
        .set(&keys::record_v1(&Uuid::from_u128(900)), "{\"id\": \"trunc")
        .unwrap();
    let mut future = serde_json::to_value(training(901)).unwrap();
    future["schema_version"] = 7.into();
    kv.inner
        .set(&keys::record_v1(&Uuid::from_u128(901)), &future.to_string())
        .unwrap();
    kv.inner
        .set(
            &format!("{}training.new", keys::DRAFT_PREFIX),
            r#"{"topic":"草稿"}"#,
        )
        .unwrap();
    kv.inner.set("other-app", "x").unwrap();
    records.sort_by_key(|r| r.id);
    (kv, records)
}

fn sorted(mut loaded: LoadedRecords) -> (Vec<Record>, Vec<String>) {
    loaded.records.sort_by_key(|r| r.id);
    let mut problems: Vec<String> = loaded.problems.into_iter().map(|p| p.key).collect();
    problems.sort();
    (loaded.records, problems)
}

fn unreadable_keys() -> Vec<String> {
    vec![
        keys::record_v1(&Uuid::from_u128(900)),
        keys::record_v1(&Uuid::from_u128(901)),
    ]
}

#[test]
fn a_layout_1_storage_is_migrated_record_by_record_and_reads_the_same() {
    let (kv, records) = layout_1();
    let before = dump(&kv);
    let store = Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!((store.layout(), store.migration_error()), (2, None));
    let after = dump(&kv);
    assert_eq!(after[keys::LAYOUT], "2");
    assert_eq!(
        kv.writes.borrow().last().map(String::as_str),
        Some(keys::LAYOUT),
        "the mark goes last"
    );
    // What could not be read, the settings, the draft and the other app's key are untouched.
    for key in unreadable_keys().into_iter().chain([
        keys::SETTINGS.to_owned(),
        format!("{}training.new", keys::DRAFT_PREFIX),
        "other-app".to_owned(),
    ]) {
        assert_eq!(after.get(&key), before.get(&key), "{key}");
    }
    assert_eq!(
        after
            .keys()
            .filter(|k| k.starts_with(keys::RECORD_PREFIX_V1))
            .count(),
        2,
        "only the unreadable layout-1 values are left"
    );
    assert_eq!(
        after
            .keys()
            .filter(|k| k.starts_with(keys::RECORD_PREFIX))
            .count(),
        records.len()
    );
    let (loaded, problems) = sorted(store.load_records().unwrap());
    assert_eq!(loaded, records);
    assert_eq!(problems, unreadable_keys());
    let size = |d: &BTreeMap<String, String>| -> usize {
        d.iter()
            .filter(|(k, _)| k.starts_with("fl."))
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum()
    };
    assert_eq!(store.used_units(), size(&after));
    assert!(
        size(&after) * 10 < size(&before) * 7,
        "{} units, were {}",
        size(&after),
        size(&before)
    );
    // Opened again, nothing more happens.
    kv.writes.borrow_mut().clear();
    let again = Store::open(Box::new(kv.clone())).unwrap();
    assert!(kv.writes.borrow().is_empty());
    assert_eq!(sorted(again.load_records().unwrap()).0, records);
}

#[test]
fn a_failure_anywhere_in_the_migration_leaves_storage_exactly_as_it_was() {
    let (kv, records) = layout_1();
    let before = dump(&kv);
    // One device table, then two writes a record (new key, old key removed), then the mark.
    let writes = 1 + 2 * records.len() + 1;
    for n in 0..writes {
        kv.fail_write_after(n, false);
        let store = Store::open(Box::new(kv.clone())).unwrap();
        assert_eq!(store.layout(), 1, "failing write {n}");
        assert!(store.migration_error().is_some());
        assert_eq!(dump(&kv), before, "failing write {n}");
        // The app keeps working on layout 1.
        let (loaded, problems) = sorted(store.load_records().unwrap());
        assert_eq!(loaded, records);
        assert_eq!(problems, unreadable_keys());
    }
    kv.heal();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!(store.layout(), 2);
    assert_eq!(sorted(store.load_records().unwrap()).0, records);
}

#[test]
fn a_full_storage_is_not_migrated_and_keeps_working_on_layout_1() {
    let (kv, records) = layout_1();
    let before = dump(&kv);
    kv.quota.set(Some(kv.units_without("")));
    let store = Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!(store.migration_error(), Some(&StorageError::QuotaExceeded));
    assert_eq!(dump(&kv), before);
    let (loaded, _) = sorted(store.load_records().unwrap());
    assert_eq!(loaded, records);
    // Saves in layout 1 still fail or succeed as before: a tombstone is as long as its record.
    kv.quota.set(None);
    let edit = records[0].tombstone(&author("device-1"), datetime!(2022-06-01 00:00 UTC));
    store.save_record(&edit).unwrap();
    assert!(
        kv.get(&keys::record_v1(&edit.id))
            .unwrap()
            .unwrap()
            .contains("\"deleted\":true")
    );
    // With room again, the next start migrates.
    let store = Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!(store.layout(), 2);
    let (loaded, _) = sorted(store.load_records().unwrap());
    assert_eq!(loaded.iter().find(|r| r.id == edit.id), Some(&edit));
}

#[test]
fn an_interrupted_migration_is_finished_at_the_next_start() {
    for n in [1, 2, 3, 10, 25] {
        let (kv, records) = layout_1();
        // From write n on, nothing is written, not even the undo: the tab was closed.
        kv.fail_write_after(n, true);
        let _ = Store::open(Box::new(kv.clone()));
        kv.heal();
        let half = dump(&kv);
        assert_eq!(half[keys::LAYOUT], "1");
        // The next start finishes the move.
        let store = Store::open(Box::new(kv.clone())).unwrap();
        assert_eq!(store.layout(), 2, "interrupted at write {n}");
        let (loaded, problems) = sorted(store.load_records().unwrap());
        assert_eq!(loaded, records, "interrupted at write {n}");
        assert_eq!(problems, unreadable_keys());
        assert_eq!(
            dump(&kv)
                .keys()
                .filter(|k| k.starts_with(keys::RECORD_PREFIX_V1))
                .count(),
            2
        );
    }
}

#[test]
fn a_half_migrated_storage_read_on_layout_1_hides_nothing() {
    let (kv, records) = layout_1();
    // Interrupted after 7 writes (the table and three records moved); then a failure
    // again at the next start, so that the store works on layout 1 over both layouts' keys.
    kv.fail_write_after(7, true);
    let _ = Store::open(Box::new(kv.clone()));
    kv.heal();
    kv.fail_write_after(0, false);
    let store = Store::open(Box::new(kv.clone())).unwrap();
    assert_eq!(store.layout(), 1);
    let (loaded, problems) = sorted(store.load_records().unwrap());
    assert_eq!(loaded, records);
    assert_eq!(problems, unreadable_keys());
}

#[test]
fn records_left_under_layout_1_keys_still_load_after_the_migration() {
    let kv = Shared::default();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let current = training(1).tombstone(&author("device-1"), datetime!(2022-05-02 00:00 UTC));
    store.save_record(&current).unwrap();
    // An older tab, still open, wrote layout-1 values: one of a record saved since, one new.
    kv.inner
        .set(
            &keys::record_v1(&current.id),
            &serde_json::to_string(&training(1)).unwrap(),
        )
        .unwrap();
    kv.inner
        .set(
            &keys::record_v1(&Uuid::from_u128(2)),
            &serde_json::to_string(&training(2)).unwrap(),
        )
        .unwrap();
    let store = Store::open(Box::new(kv.clone())).unwrap();
    let (loaded, problems) = sorted(store.load_records().unwrap());
    assert_eq!(
        loaded,
        vec![current.clone(), training(2)],
        "an older copy is ignored"
    );
    assert!(problems.is_empty());
    // An edit the older tab saved after the migration is shown, and nothing is lost.
    let later = current.edited(
        training(1).body,
        &author("device-1"),
        datetime!(2022-05-03 00:00 UTC),
    );
    kv.inner
        .set(
            &keys::record_v1(&current.id),
            &serde_json::to_string(&later).unwrap(),
        )
        .unwrap();
    let (loaded, _) = sorted(
        Store::open(Box::new(kv.clone()))
            .unwrap()
            .load_records()
            .unwrap(),
    );
    assert_eq!(loaded[0].without_history(), later);
    assert_eq!(loaded[0].history, vec![current.clone()]);
    assert_eq!(
        store.load_record(&Uuid::from_u128(2)).unwrap(),
        Some(training(2))
    );
    // Removing a record removes it under both keys.
    store.remove_records(&[current.id]).unwrap();
    assert_eq!(kv.get(&keys::record_v1(&current.id)).unwrap(), None);
}
