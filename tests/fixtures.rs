//! Tier 1: every released storage layout and export format still loads, with every record
//! unchanged in meaning. The files in `tests/fixtures/` are frozen copies of what this app
//! wrote; a later version adds new fixtures and keeps these passing through its migrations.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use field_ledger::domain::*;
use field_ledger::storage::*;
use time::macros::{date, datetime};
use uuid::Uuid;

use field_ledger_test_support as support;
use support::{Fault, Faulty};

const TODAY: time::Date = date!(2022 - 06 - 30);

const LAYOUT_1: &str = include_str!("fixtures/storage-layout-1.json");
const LAYOUT_2: &str = include_str!("fixtures/storage-layout-2.json");

/// A storage holding what a fixture's dump holds.
fn storage(fixture: &str) -> Faulty {
    let dump: BTreeMap<String, String> = serde_json::from_str(fixture).unwrap();
    Faulty::holding(dump)
}

fn storage_layout_1() -> Faulty {
    storage(LAYOUT_1)
}

/// Every stored value as JSON: the same data whatever the order of an object's keys.
fn as_json(dump: BTreeMap<String, String>) -> BTreeMap<String, serde_json::Value> {
    dump.into_iter()
        .map(|(k, v)| {
            let value = serde_json::from_str(&v).unwrap_or_else(|_| panic!("{k} holds JSON"));
            (k, value)
        })
        .collect()
}

/// The record the layout-2 fixture holds beyond the migrated layout-1 records: what this
/// version writes for a device missing from the table, timestamps with an offset and a
/// fraction, and sample data.
const LAYOUT_2_EXTRA: &str = "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b";

/// What the fixture holds, checked field by field rather than by re-serialising it.
fn check_meaning(records: &[Record]) {
    let by_id: BTreeMap<Uuid, &Record> = records.iter().map(|r| (r.id, r)).collect();
    assert_eq!(by_id.len(), 3);

    let training = by_id[&Uuid::parse_str("5f0e4a3c-2b1d-4c8e-9f7a-6b5d4c3e2a10").unwrap()];
    let RecordBody::Training(t) = &training.body else {
        panic!("a training")
    };
    assert_eq!(
        (t.date, t.attendance, t.women, t.households),
        (date!(2022 - 05 - 12), 42, Some(17), Some(35))
    );
    assert_eq!(t.topic, "玉米密植高产技术培训");
    assert_eq!(t.trainers, vec!["刘强", "陈静"]);
    assert_eq!(t.place.village, "东窑村");
    assert_eq!(t.notes, "<b>不是</b>HTML");
    assert_eq!((training.revision, training.author.as_str()), (1, "王建国"));

    let technology = by_id[&Uuid::parse_str("8a9b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d").unwrap()];
    let RecordBody::Technology(k) = &technology.body else {
        panic!("a technology")
    };
    assert_eq!(technology.revision, 2);
    assert_eq!(technology.history.len(), 1, "the conflicting edit is kept");
    let versions: Vec<&Record> = std::iter::once(technology)
        .chain(&technology.history)
        .collect();
    assert!(versions.iter().any(|v| matches!(&v.body, RecordBody::Technology(t) if t.stage == Stage::Promoted && t.promoted_area_mu == Some(3000.0))));
    assert!(versions.iter().any(|v| matches!(&v.body, RecordBody::Technology(t) if t.demo_area_mu == Some(120.5) && t.partners.len() == 2)));
    assert_eq!(k.name, "低成本可控生物降解地膜");

    let visit = by_id[&Uuid::parse_str("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f").unwrap()];
    let RecordBody::Visit(v) = &visit.body else {
        panic!("a visit")
    };
    assert!(visit.deleted, "a tombstone stays a tombstone");
    assert_eq!(v.help, vec![HelpKind::Diagnosis, HelpKind::Advice]);
    assert_eq!(v.team_level, Some(TeamLevel::ProvincialTeam));
    assert_eq!(v.follow_up_by, Some(date!(2022 - 07 - 01)));
}

#[test]
fn storage_layout_1_loads_with_every_record_and_setting() {
    let store = Store::open(storage_layout_1().boxed()).unwrap();
    let settings = store.load_settings().unwrap().unwrap().unwrap();
    assert_eq!(settings.author, "王建国");
    assert_eq!(settings.language, Language::En);
    assert_eq!(settings.extra_counties, vec!["营口仙人岛能源化工区"]);
    assert_eq!(settings.exports.len(), 1);
    let loaded = store.load_records().unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    check_meaning(&loaded.records);
}

#[test]
fn storage_layout_1_migrates_to_exactly_the_layout_2_fixture() {
    let kv = storage_layout_1();
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.layout(), 2);
    let mut expected: BTreeMap<String, String> = serde_json::from_str(LAYOUT_2).unwrap();
    expected.remove(&format!("{}{LAYOUT_2_EXTRA}", keys::RECORD_PREFIX));
    assert_eq!(as_json(kv.dump()), as_json(expected));
}

#[test]
fn a_full_quota_at_any_write_of_the_migration_leaves_layout_1_byte_for_byte() {
    let before = storage_layout_1().dump();
    // Every write a migration makes: the device table, each of the three records' new key,
    // the layout mark (removing an old key never needs room).
    let clean = storage_layout_1();
    Store::open(clean.boxed()).unwrap();
    let writes = clean
        .writes()
        .iter()
        .filter(|w| !w.starts_with('-'))
        .count();
    assert_eq!(writes, 5, "{:?}", clean.writes());
    for n in 0..writes {
        let kv = storage_layout_1();
        kv.fail_write(n, Fault::Quota);
        let store = Store::open(kv.boxed()).unwrap();
        assert_eq!(
            store.migration_error(),
            Some(&StorageError::QuotaExceeded),
            "write {n}"
        );
        assert_eq!(kv.dump(), before, "write {n}");
        // The app works on layout 1 meanwhile, with every record.
        let loaded = store.load_records().unwrap();
        assert!(loaded.problems.is_empty());
        check_meaning(&loaded.records);
    }
}

#[test]
fn storage_layout_2_loads_with_every_record_and_setting() {
    let kv = storage(LAYOUT_2);
    let store = Store::open(kv.boxed()).unwrap();
    assert_eq!(store.layout(), 2);
    let settings = store.load_settings().unwrap().unwrap().unwrap();
    assert_eq!(settings.author, "王建国");
    let loaded = store.load_records().unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let extra_id = Uuid::parse_str(LAYOUT_2_EXTRA).unwrap();
    let (extra, records): (Vec<Record>, Vec<Record>) =
        loaded.records.into_iter().partition(|r| r.id == extra_id);
    check_meaning(&records);
    // The same records as layout 1 held.
    let mut from_layout_1 = Store::open(storage_layout_1().boxed())
        .unwrap()
        .load_records()
        .unwrap()
        .records;
    from_layout_1.sort_by_key(|r| r.id);
    let mut records = records;
    records.sort_by_key(|r| r.id);
    assert_eq!(records, from_layout_1);

    let [extra] = &extra[..] else {
        panic!("the extra record")
    };
    assert_eq!(extra.device_id, "tablet-营口-07");
    assert_eq!(extra.created_at, datetime!(2022-04-02 09:30 +08:00));
    assert_eq!(extra.created_at.offset(), time::macros::offset!(+8));
    assert_eq!(extra.updated_at, datetime!(2022-04-02 09:45:10.5 +08:00));
    assert_eq!((extra.revision, extra.author.as_str()), (3, "张伟"));
    assert!(extra.sample && !extra.deleted);
    let RecordBody::Training(t) = &extra.body else {
        panic!("a training")
    };
    assert_eq!(
        (t.training_type, t.attendance),
        (TrainingType::Technician, 25)
    );
    // And this version writes the same back (the order of object keys aside).
    let devices = stored::Devices::parse(&kv.raw(keys::DEVICES).unwrap()).unwrap();
    let key = format!("{}{LAYOUT_2_EXTRA}", keys::RECORD_PREFIX);
    let written: serde_json::Value =
        serde_json::from_str(&stored::encode(extra, &devices).unwrap()).unwrap();
    let fixture: serde_json::Value = serde_json::from_str(&kv.raw(&key).unwrap()).unwrap();
    assert_eq!(written, fixture);
}

#[test]
fn export_schema_1_imports_with_every_record() {
    let envelope = parse_export(include_str!("fixtures/export-schema-1.json"), TODAY).unwrap();
    assert_eq!(envelope.schema_version, 1);
    check_meaning(&envelope.records);
    // The same records as the stored layout: what left the tablet is what it held.
    let store = Store::open(storage_layout_1().boxed()).unwrap();
    let mut stored = store.load_records().unwrap().records;
    stored.sort_by_key(|r| r.id);
    let mut exported = envelope.records;
    exported.sort_by_key(|r| r.id);
    assert_eq!(stored, exported);
}
