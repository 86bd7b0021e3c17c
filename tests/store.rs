//! Tier 1: the storage layer's rules, natively, over an in-memory key-value store.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use field_ledger::domain::*;
use field_ledger::storage::*;
use time::macros::{date, datetime};
use uuid::Uuid;

use field_ledger_test_support as support;
use support::{Fault, Faulty, author};

/// Record `id`: a training written by 李娜 on device-1.
fn training(id: u128) -> Record {
    let body = Training {
        topic: "玉米密植高产技术".into(),
        attendance: 30,
        ..Training::blank(date!(2022 - 05 - 01))
    };
    Record::create(
        Uuid::from_u128(id),
        body.into_body(),
        &author("device-1"),
        datetime!(2022-05-01 02:00 UTC),
    )
}

#[test]
fn a_fresh_storage_is_marked_with_the_layout_version() {
    let kv = Faulty::memory();
    Store::open(kv.boxed()).unwrap();
    assert_eq!(kv.raw(keys::LAYOUT).as_deref(), Some("2"));
}

#[test]
fn storage_from_a_newer_layout_is_refused_and_left_alone() {
    let kv = Faulty::memory();
    kv.put(keys::LAYOUT, "3");
    assert_eq!(
        Store::open(kv.boxed()).err(),
        Some(StorageError::NewerLayout("3".into()))
    );
    assert!(kv.writes().is_empty());
}

#[test]
fn saving_a_record_writes_that_record_only() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    for id in 1..=50 {
        store.save_record(&training(id)).unwrap();
    }
    kv.forget();
    let record = training(7);
    store.save_record(&record).unwrap();
    assert_eq!(kv.writes(), vec![keys::record(&record.id)]);
}

#[test]
fn records_and_tombstones_round_trip() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let record = training(1);
    let author = Author {
        device_id: "device-1".into(),
        name: "李娜".into(),
    };
    let tomb = training(2).tombstone(&author, datetime!(2022-05-02 00:00 UTC));
    store.save_record(&record).unwrap();
    store.save_record(&tomb).unwrap();
    let mut loaded = Store::open(kv.boxed()).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records, vec![record, tomb]);
    assert!(loaded.problems.is_empty());
}

#[test]
fn unreadable_values_are_skipped_reported_and_kept() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let good = training(1);
    store.save_record(&good).unwrap();
    let truncated_key = keys::record(&Uuid::from_u128(2));
    let truncated = &stored::encode(&training(2), &stored::Devices::default()).unwrap()[..40];
    kv.put(&truncated_key, truncated);
    let wrong_type_key = keys::record(&Uuid::from_u128(3));
    kv.put(&wrong_type_key, "[1,2,3]");
    // A newer schema, whose body today's types cannot read.
    let future =
        r#"{"s":99,"c":1651370400000,"r":1,"d":"device-1","a":"李娜","tr":{"something":"new"}}"#;
    let future_key = keys::record(&Uuid::from_u128(4));
    kv.put(&future_key, future);
    // A layout-1 value left under the key of another id.
    let moved_key = keys::record_v1(&Uuid::from_u128(5));
    kv.put(&moved_key, &serde_json::to_string(&training(6)).unwrap());
    kv.forget();

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
    assert!(kv.writes().is_empty(), "loading never writes");
    assert_eq!(kv.raw(&truncated_key).as_deref(), Some(truncated));
}

#[test]
fn settings_persist_and_unreadable_settings_are_set_aside() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.load_settings().unwrap(), Ok(None));
    let mut settings = Settings::new("device-9".into());
    settings.author = "王建国".into();
    store.save_settings(&settings).unwrap();
    assert_eq!(store.load_settings().unwrap(), Ok(Some(settings)));

    kv.put(keys::SETTINGS, "{not json");
    let problem = store.load_settings().unwrap().unwrap_err();
    assert_eq!(problem.key, keys::SETTINGS);
    store.quarantine(keys::SETTINGS).unwrap();
    let aside = format!("{}{}", keys::QUARANTINE_PREFIX, keys::SETTINGS);
    assert_eq!(kv.raw(&aside).as_deref(), Some("{not json"));
    // A second quarantine never replaces the first copy.
    kv.put(keys::SETTINGS, "{also bad");
    store.quarantine(keys::SETTINGS).unwrap();
    assert_eq!(kv.raw(&aside).as_deref(), Some("{not json"));
}

#[test]
fn the_size_count_follows_every_write_and_matches_a_fresh_load() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let start = store.used_units();
    kv.put("other-app", &"x".repeat(1000));
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

    let reopened = Store::open(kv.boxed()).unwrap();
    reopened.load_settings().unwrap().unwrap();
    reopened.load_records().unwrap();
    assert_eq!(
        reopened.used_units(),
        after_first,
        "other apps' keys are not counted"
    );
    let expected = |kv: &Faulty| kv.units_under(keys::APP_PREFIX);
    assert_eq!(after_first, expected(&kv));

    // Drafts, a new device, several records, removals: still exact, without reading old values.
    reopened
        .save_draft("training.new", r#"{"topic":"水稻"}"#)
        .unwrap();
    reopened
        .save_draft("training.new", r#"{"topic":"水稻育秧"}"#)
        .unwrap();
    let other = training(2).tombstone(&author("device-2"), datetime!(2022-05-02 00:00 UTC));
    reopened
        .save_records(&[other, training(3), training(1)])
        .unwrap();
    reopened.remove_records(&[Uuid::from_u128(3)]).unwrap();
    assert_eq!(reopened.used_units(), expected(&kv));
    let fresh = Store::open(kv.boxed()).unwrap();
    fresh.load_settings().unwrap().unwrap();
    fresh.load_records().unwrap();
    assert_eq!(
        fresh.used_units(),
        expected(&kv),
        "drafts are counted at start too"
    );
    reopened.remove_draft("training.new").unwrap();
    assert_eq!(reopened.used_units(), expected(&kv));
}

/// A record with everything the compact form treats specially: another device's history
/// entries (one under another id), a timestamp with an offset and one with nanoseconds, a
/// tombstone, sample data, a typical case, an old schema version.
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
    fine.typical = true;
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
        r#"{"s":3,"c":1651370400000,"r":1,"d":0,"a":"李娜","o":"李娜","tr":{"attendance":30,"date":"2022-05-01","topic":"玉米密植高产技术","training_type":"farmer"}}"#
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
        stored::decode(id, r#"{"s":4,"c":"?","tr":[1]}"#, &devices),
        Err(StoredProblemReason::FromNewerVersion(4))
    );
}

#[test]
fn a_layout_1_value_reads_every_field_in_either_order_and_a_damaged_one_is_reported() {
    for record in eventful() {
        let id = record.id.to_string();
        let text = stored::encode_v1(&record).unwrap();
        assert_eq!(stored::decode_v1(&id, &text), Ok(record.clone()), "{text}");
        // Written with sorted keys (`data` before `kind`); read the other way round too.
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let kind = value.as_object_mut().unwrap().remove("kind").unwrap();
        let rest = serde_json::to_string(&value).unwrap();
        let kind_first = format!(r#"{{"kind":{kind},{}"#, &rest[1..]);
        assert_eq!(
            stored::decode_v1(&id, &kind_first),
            Ok(record.clone()),
            "{kind_first}"
        );
        for (cut, _) in text.char_indices().skip(1) {
            assert!(matches!(
                stored::decode_v1(&id, &text[..cut]),
                Err(StoredProblemReason::Unreadable(_))
            ));
        }
    }
    let record = training(1);
    let id = record.id.to_string();
    let text = stored::encode_v1(&record).unwrap();
    let without = |name: &str| {
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value.as_object_mut().unwrap().remove(name);
        serde_json::to_string(&value).unwrap()
    };
    let data = r#"{"attendance":30,"date":"2022-05-01","topic":"玉米密植高产技术","training_type":"farmer"}"#;
    for bad in [
        without("kind"),
        without("data"),
        without("id"),
        without("author"),
        text.replace(r#""kind":"training""#, r#""kind":"harvest""#),
        text.replace(r#""kind":"training""#, r#""kind":"visit""#),
        text.replacen('{', &format!(r#"{{"tr":{data},"#), 1),
        text.replacen('{', &format!(r#"{{"data":{data},"#), 1),
    ] {
        assert!(
            matches!(
                stored::decode_v1(&id, &bad),
                Err(StoredProblemReason::Unreadable(_))
            ),
            "{bad}"
        );
    }
    assert_eq!(
        stored::decode_v1(&training(2).id.to_string(), &text),
        Err(StoredProblemReason::IdMismatch)
    );
    // A newer schema is said so, even with a kind this version does not know.
    assert_eq!(
        stored::decode_v1(
            &id,
            r#"{"data":{"acres":[1]},"kind":"harvest","schema_version":9}"#
        ),
        Err(StoredProblemReason::FromNewerVersion(9))
    );
}

#[test]
fn a_device_is_added_to_the_table_by_its_first_save_only() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    store.load_records().unwrap();
    kv.forget();
    let first = training(1);
    store.save_record(&first).unwrap();
    assert_eq!(
        kv.writes(),
        vec![keys::DEVICES.to_owned(), keys::record(&first.id)]
    );
    kv.forget();
    store.save_record(&training(2)).unwrap();
    assert_eq!(kv.writes(), vec![keys::record(&Uuid::from_u128(2))]);
    assert!(kv.reads().is_empty(), "a save reads nothing");
    let other = training(3).tombstone(&author("device-2"), datetime!(2022-05-02 00:00 UTC));
    store.save_record(&other).unwrap();
    assert_eq!(
        kv.raw(keys::DEVICES).as_deref(),
        Some(r#"["device-1","device-2"]"#)
    );
    let mut loaded = Store::open(kv.boxed()).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records, vec![first, training(2), other]);
}

#[test]
fn a_device_added_by_another_tab_is_kept() {
    let kv = Faulty::memory();
    let this_tab = Store::open(kv.boxed()).unwrap();
    this_tab.load_records().unwrap();
    let other_tab = Store::open(kv.boxed()).unwrap();
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
        kv.raw(keys::DEVICES).as_deref(),
        Some(r#"["device-9","device-1"]"#)
    );
    let mut loaded = Store::open(kv.boxed()).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records, vec![theirs, ours]);
}

#[test]
fn a_save_that_fails_puts_the_device_table_back() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    store.save_record(&training(1)).unwrap();
    store.load_records().unwrap();
    let before = kv.dump();
    let used = store.used_units();
    let other = training(2).tombstone(&author("device-2"), datetime!(2022-05-02 00:00 UTC));
    // The table's write goes through, the record's fails.
    kv.fail_write(1, Fault::Thrown);
    assert!(store.save_record(&other).is_err());
    assert_eq!(kv.dump(), before);
    assert_eq!(store.used_units(), used);
    // The same goes for a write of several records.
    kv.fail_write(3, Fault::Thrown);
    let several = [training(5), other.clone(), training(6), training(7)];
    assert!(store.save_records(&several).is_err());
    assert_eq!(kv.dump(), before);
    assert_eq!(store.used_units(), used);
    // And the store still knows what the table holds: the next save adds the device again.
    store.save_records(&several).unwrap();
    let mut loaded = Store::open(kv.boxed()).unwrap().load_records().unwrap();
    loaded.records.sort_by_key(|r| r.id);
    assert_eq!(loaded.records.len(), 5);
    assert!(loaded.problems.is_empty());
}

#[test]
fn a_write_of_several_records_reads_only_those_already_stored() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    for id in 1..=5 {
        store.save_record(&training(id)).unwrap();
    }
    let store = Store::open(kv.boxed()).unwrap();
    store.load_records().unwrap();
    kv.forget();
    let changed: Vec<Record> = (3..=10).map(training).collect();
    store.save_records(&changed).unwrap();
    let mut reads = kv.reads();
    reads.sort();
    let expected: Vec<String> = (3..=5)
        .map(|id| keys::record(&Uuid::from_u128(id)))
        .collect();
    assert_eq!(reads, expected);
    // Failing at each write in turn, storage is put back exactly.
    let before = kv.dump();
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
        kv.fail_write(n, Fault::Thrown);
        assert!(store.save_records(&edits).is_err());
        assert_eq!(kv.dump(), before, "failing write {n}");
    }
    kv.heal();
}

#[test]
fn removing_records_can_be_undone_by_a_failure() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let records: Vec<Record> = (1..=6).map(training).collect();
    store.save_records(&records).unwrap();
    store.load_records().unwrap();
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let before = kv.dump();
    kv.fail_write(3, Fault::Thrown);
    assert!(store.remove_records(&ids).is_err());
    assert_eq!(kv.dump(), before);
    store.remove_records(&ids[..4]).unwrap();
    let loaded = Store::open(kv.boxed()).unwrap().load_records().unwrap();
    assert_eq!(loaded.records.len(), 2);
}

#[test]
fn another_tabs_record_of_a_new_device_is_decoded_with_the_table_read_from_this_stores_backend() {
    let kv = Faulty::memory();
    let this_tab = Store::open(kv.boxed()).unwrap();
    this_tab.load_records().unwrap();
    let other_tab = Store::open(kv.boxed()).unwrap();
    // The other tab saves a record of a device neither tab has seen: it adds the device to the
    // table first, then writes the record. The browser tells this tab of both keys.
    let record = training(1).tombstone(&author("device-7"), datetime!(2022-05-02 00:00 UTC));
    kv.forget();
    other_tab.save_record(&record).unwrap();
    let key = keys::record(&record.id);
    assert_eq!(kv.writes(), vec![keys::DEVICES.to_owned(), key.clone()]);
    let table = kv.raw(keys::DEVICES).unwrap();
    let value = kv.raw(&key).unwrap();

    kv.forget();
    assert!(this_tab.decode_change(keys::DEVICES, &table).is_none());
    assert!(matches!(
        this_tab.decode_change(&key, &value),
        Some(StoredChange::Record(r)) if *r == record
    ));
    assert_eq!(
        kv.reads(),
        vec![keys::DEVICES.to_owned()],
        "the device table is read again, from the storage this store was given"
    );
    assert!(
        kv.writes().is_empty(),
        "following another tab writes nothing"
    );

    // The table is known now: the device's next record is read without reading it again.
    let later = record.edited(
        training(1).body,
        &author("device-7"),
        datetime!(2022-05-03 00:00 UTC),
    );
    other_tab.save_record(&later).unwrap();
    let value = kv.raw(&key).unwrap();
    kv.forget();
    assert!(matches!(
        this_tab.decode_change(&key, &value),
        Some(StoredChange::Record(r)) if *r == later
    ));
    assert!(kv.reads().is_empty(), "{:?}", kv.reads());

    // A record naming a device that no stored table holds is not followed.
    let mut devices = stored::Devices::default();
    for n in 0..6 {
        devices.push(format!("device-{n}"));
    }
    let stranger = training(2).tombstone(&author("device-5"), datetime!(2022-05-02 00:00 UTC));
    let dangling = stored::encode(&stranger, &devices).unwrap();
    assert!(
        this_tab
            .decode_change(&keys::record(&stranger.id), &dangling)
            .is_none()
    );
}

#[test]
fn another_tabs_settings_and_layout_1_records_are_followed_and_its_drafts_are_not() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let mut settings = Settings::new("device-1".into());
    settings.author = "王建国".into();
    assert!(matches!(
        store.decode_change(keys::SETTINGS, &serde_json::to_string(&settings).unwrap()),
        Some(StoredChange::Settings(s)) if *s == settings
    ));
    // A layout-1 value from a tab of an older version reads too.
    let old = serde_json::to_string(&training(2)).unwrap();
    assert!(matches!(
        store.decode_change(&keys::record_v1(&Uuid::from_u128(2)), &old),
        Some(StoredChange::Record(r)) if *r == training(2)
    ));
    let draft = format!("{}training.new", keys::DRAFT_PREFIX);
    assert!(store.decode_change(&draft, "{}").is_none());
    assert!(store.decode_change(keys::SETTINGS, "{not json").is_none());
    assert!(
        store
            .decode_change(&keys::record(&Uuid::from_u128(3)), "{\"c\":")
            .is_none()
    );
}

// ---------------------------------------------------------------------------------------
// Migration from layout 1.

/// A layout-1 storage as the previous version left it: records (a tombstone and a merged
/// conflict among them), values it could not read, settings, a draft, and another app's key.
fn layout_1() -> (Faulty, Vec<Record>) {
    let kv = Faulty::memory();
    let mut records: Vec<Record> = (1..=20).map(training).collect();
    records.extend(eventful());
    for record in &records {
        kv.put(
            &keys::record_v1(&record.id),
            &serde_json::to_string(record).unwrap(),
        );
    }
    kv.put(keys::LAYOUT, "1");
    kv.put(
        keys::SETTINGS,
        &serde_json::to_string(&Settings::new("device-1".into())).unwrap(),
    );
    kv.put(&keys::record_v1(&Uuid::from_u128(900)), "{\"id\": \"trunc");
    let mut future = serde_json::to_value(training(901)).unwrap();
    future["schema_version"] = 7.into();
    kv.put(&keys::record_v1(&Uuid::from_u128(901)), &future.to_string());
    kv.put(
        &format!("{}training.new", keys::DRAFT_PREFIX),
        r#"{"topic":"草稿"}"#,
    );
    kv.put("other-app", "x");
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
    let before = kv.dump();
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!((store.layout(), store.migration_error()), (2, None));
    let after = kv.dump();
    assert_eq!(after[keys::LAYOUT], "2");
    assert_eq!(
        kv.writes().last().map(String::as_str),
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
    kv.forget();
    let again = Store::open(kv.boxed()).unwrap();
    assert!(kv.writes().is_empty());
    assert_eq!(sorted(again.load_records().unwrap()).0, records);
}

#[test]
fn a_failure_anywhere_in_the_migration_leaves_storage_exactly_as_it_was() {
    let (kv, records) = layout_1();
    let before = kv.dump();
    // One device table, then two writes a record (new key, old key removed), then the mark.
    let writes = 1 + 2 * records.len() + 1;
    for n in 0..writes {
        kv.fail_write(n, Fault::Thrown);
        let store = Store::open(kv.boxed()).unwrap();
        assert_eq!(store.layout(), 1, "failing write {n}");
        assert!(store.migration_error().is_some());
        assert_eq!(kv.dump(), before, "failing write {n}");
        // The app keeps working on layout 1.
        let (loaded, problems) = sorted(store.load_records().unwrap());
        assert_eq!(loaded, records);
        assert_eq!(problems, unreadable_keys());
    }
    kv.heal();
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.layout(), 2);
    assert_eq!(sorted(store.load_records().unwrap()).0, records);
}

#[test]
fn a_full_storage_is_not_migrated_and_keeps_working_on_layout_1() {
    let (kv, records) = layout_1();
    let before = kv.dump();
    kv.set_quota(Some(kv.units()));
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.migration_error(), Some(&StorageError::QuotaExceeded));
    assert_eq!(kv.dump(), before);
    let (loaded, _) = sorted(store.load_records().unwrap());
    assert_eq!(loaded, records);
    // Saves in layout 1 still fail or succeed as before: a tombstone is as long as its record.
    kv.set_quota(None);
    let edit = records[0].tombstone(&author("device-1"), datetime!(2022-06-01 00:00 UTC));
    store.save_record(&edit).unwrap();
    assert!(
        kv.raw(&keys::record_v1(&edit.id))
            .unwrap()
            .contains("\"deleted\":true")
    );
    // With room again, the next start migrates.
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.layout(), 2);
    let (loaded, _) = sorted(store.load_records().unwrap());
    assert_eq!(loaded.iter().find(|r| r.id == edit.id), Some(&edit));
}

#[test]
fn an_interrupted_migration_is_finished_at_the_next_start() {
    for n in [1, 2, 3, 10, 25] {
        let (kv, records) = layout_1();
        // From write n on, nothing is written, not even the undo: the tab was closed.
        kv.fail_writes_from(n, Fault::Thrown);
        let _ = Store::open(kv.boxed());
        kv.heal();
        let half = kv.dump();
        assert_eq!(half[keys::LAYOUT], "1");
        // The next start finishes the move.
        let store = Store::open(kv.boxed()).unwrap();
        assert_eq!(store.layout(), 2, "interrupted at write {n}");
        let (loaded, problems) = sorted(store.load_records().unwrap());
        assert_eq!(loaded, records, "interrupted at write {n}");
        assert_eq!(problems, unreadable_keys());
        assert_eq!(
            kv.dump()
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
    kv.fail_writes_from(7, Fault::Thrown);
    let _ = Store::open(kv.boxed());
    kv.heal();
    kv.fail_write(0, Fault::Thrown);
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.layout(), 1);
    let (loaded, problems) = sorted(store.load_records().unwrap());
    assert_eq!(loaded, records);
    assert_eq!(problems, unreadable_keys());
}

#[test]
fn records_left_under_layout_1_keys_still_load_after_the_migration() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let current = training(1).tombstone(&author("device-1"), datetime!(2022-05-02 00:00 UTC));
    store.save_record(&current).unwrap();
    // An older tab, still open, wrote layout-1 values: one of a record saved since, one new.
    kv.put(
        &keys::record_v1(&current.id),
        &serde_json::to_string(&training(1)).unwrap(),
    );
    kv.put(
        &keys::record_v1(&Uuid::from_u128(2)),
        &serde_json::to_string(&training(2)).unwrap(),
    );
    let store = Store::open(kv.boxed()).unwrap();
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
    kv.put(
        &keys::record_v1(&current.id),
        &serde_json::to_string(&later).unwrap(),
    );
    let (loaded, _) = sorted(Store::open(kv.boxed()).unwrap().load_records().unwrap());
    assert_eq!(loaded[0].without_history(), later);
    assert_eq!(loaded[0].history, vec![current.clone()]);
    assert_eq!(
        store.load_record(&Uuid::from_u128(2)).unwrap(),
        Some(training(2))
    );
    // Removing a record removes it under both keys.
    store.remove_records(&[current.id]).unwrap();
    assert_eq!(kv.raw(&keys::record_v1(&current.id)), None);
}
