//! Tier 1: every released storage layout and export format still loads, with every record
//! unchanged in meaning. The files in `tests/fixtures/` are frozen copies of what this app
//! wrote; a later version adds new fixtures and keeps these passing through its migrations.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use field_ledger::domain::*;
use field_ledger::storage::*;
use time::macros::date;
use uuid::Uuid;

const TODAY: time::Date = date!(2022 - 06 - 30);

fn storage_layout_1() -> MemoryStorage {
    let dump: BTreeMap<String, String> =
        serde_json::from_str(include_str!("fixtures/storage-layout-1.json")).unwrap();
    let storage = MemoryStorage::default();
    for (key, value) in dump {
        storage.set(&key, &value).unwrap();
    }
    storage
}

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
    let store = Store::open(Box::new(storage_layout_1())).unwrap();
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
fn export_schema_1_imports_with_every_record() {
    let envelope = parse_export(include_str!("fixtures/export-schema-1.json"), TODAY).unwrap();
    assert_eq!(envelope.schema_version, 1);
    check_meaning(&envelope.records);
    // The same records as the stored layout: what left the tablet is what it held.
    let store = Store::open(Box::new(storage_layout_1())).unwrap();
    let mut stored = store.load_records().unwrap().records;
    stored.sort_by_key(|r| r.id);
    let mut exported = envelope.records;
    exported.sort_by_key(|r| r.id);
    assert_eq!(stored, exported);
}
