//! Tier 2: the storage layer and app state against the real localStorage of headless Chromium.
#![cfg(target_arch = "wasm32")]

use field_ledger::domain::*;
use field_ledger::state::{App, Persistence};
use field_ledger::storage::*;
use leptos::prelude::*;
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::{local_storage, report_fault_case, snapshot};
use support::{file_of, training_about as training_body, trainings_from};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh() -> App {
    local_storage().clear().unwrap();
    App::start()
}

#[wasm_bindgen_test]
fn records_survive_a_restart_and_deletes_stay_as_tombstones() {
    let app = fresh();
    assert_eq!(app.status.persistence.get_untracked(), Persistence::Stored);
    let kept = app.records.create(training_body("水稻育秧")).unwrap();
    let gone = app.records.create(training_body("大豆播种")).unwrap();
    app.records
        .update(kept, 1, training_body("水稻育秧（第二期）"))
        .unwrap();
    app.records.delete(gone).unwrap();

    let again = App::start();
    let ledger = again.records.ledger.get_untracked();
    assert_eq!(ledger.count(RecordKind::Training), 1);
    let record = ledger.live(&kept).unwrap();
    assert_eq!(record.revision, 2);
    assert!(matches!(&record.body, RecordBody::Training(t) if t.topic == "水稻育秧（第二期）"));
    let tomb = ledger.get(&gone).unwrap();
    assert!(tomb.deleted);
    assert_eq!(tomb.revision, 2);
}

#[wasm_bindgen_test]
fn a_save_changes_only_its_own_key() {
    let app = fresh();
    for n in 0..20 {
        app.records
            .create(training_body(&format!("培训 {n}")))
            .unwrap();
    }
    let before = snapshot();
    let id = app.records.create(training_body("新的一次")).unwrap();
    let after = snapshot();
    let changed: Vec<_> = after.iter().filter(|kv| !before.contains(kv)).collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, keys::record(&id));
    assert_eq!(after.len(), before.len() + 1);
}

#[wasm_bindgen_test]
fn a_corrupt_value_is_skipped_reported_and_left_untouched() {
    let app = fresh();
    let good = app.records.create(training_body("果树修剪")).unwrap();
    let bad_key = format!(
        "{}00000000-0000-4000-8000-000000000042",
        keys::RECORD_PREFIX
    );
    local_storage()
        .set_item(&bad_key, "{\"id\": \"trunc")
        .unwrap();

    let again = App::start();
    assert!(again.records.ledger.get_untracked().live(&good).is_some());
    let problems = again.status.problems.get_untracked();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].key, bad_key);
    assert_eq!(
        local_storage().get_item(&bad_key).unwrap().as_deref(),
        Some("{\"id\": \"trunc")
    );
    report_fault_case(
        "corrupt record value: skipped, kept, reported; records before = records after",
    );
}

#[wasm_bindgen_test]
fn settings_and_the_device_id_persist() {
    let app = fresh();
    let device = app.settings.settings.get_untracked().device_id;
    assert_eq!(device.len(), 36, "a UUID: {device}");
    app.settings
        .update(|s| {
            s.author = "王建国".into();
            s.language = Language::En;
        })
        .unwrap();
    let again = App::start();
    let settings = again.settings.settings.get_untracked();
    assert_eq!(settings.device_id, device);
    assert_eq!(settings.author, "王建国");
    assert_eq!(settings.language, Language::En);
    // Records carry the device and author.
    let id = again.records.create(training_body("蔬菜保鲜")).unwrap();
    let record = again
        .records
        .ledger
        .with_untracked(|l| l.get(&id).cloned())
        .expect("the new record");
    assert_eq!(record.device_id, device);
    assert_eq!(record.author, "王建国");
}

#[wasm_bindgen_test]
fn storage_from_a_newer_app_is_not_touched() {
    local_storage().clear().unwrap();
    local_storage().set_item(keys::LAYOUT, "3").unwrap();
    local_storage()
        .set_item("fl.v3.something", "future data")
        .unwrap();
    let before = snapshot();
    let app = App::start();
    assert!(matches!(
        app.status.persistence.get_untracked(),
        Persistence::MemoryOnly(StorageError::NewerLayout(_))
    ));
    // The officer can still record (in memory), and storage stays exactly as it was.
    app.records.create(training_body("在内存中")).unwrap();
    assert_eq!(
        app.records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        1
    );
    assert!(snapshot() == before, "storage changed");
    report_fault_case("storage from a newer layout: untouched, app runs in memory");
}

/// Fills the origin's quota with a filler key, as a full tablet would be, leaving less than
/// `room` UTF-16 units free.
fn fill_quota(room: usize) {
    let storage = local_storage();
    let mut filler = String::new();
    let mut chunk = "x".repeat(1 << 20);
    loop {
        let attempt = format!("{filler}{chunk}");
        if storage.set_item("filler", &attempt).is_ok() {
            filler = attempt;
        } else if chunk.len() > 1024 {
            chunk.truncate(chunk.len() / 2);
        } else {
            break;
        }
    }
    // Give back some room, so that small writes fit and large ones do not.
    filler.truncate(filler.len().saturating_sub(room));
    storage.set_item("filler", &filler).unwrap();
}

#[wasm_bindgen_test]
fn a_save_that_does_not_fit_fails_cleanly_and_keeps_earlier_records() {
    let app = fresh();
    let earlier = app.records.create(training_body("早先的记录")).unwrap();
    fill_quota(0);
    let storage = local_storage();
    let before = snapshot();
    let long_notes = "备注".repeat(5_000);
    let mut body = training_body("放不下的记录");
    if let RecordBody::Training(t) = &mut body {
        t.notes = long_notes;
    }
    let result = app.records.create(body);
    assert_eq!(result, Err(StorageError::QuotaExceeded));
    assert!(
        snapshot() == before,
        "a failed save leaves storage as it was"
    );
    assert_eq!(
        app.records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        1
    );
    assert!(app.records.ledger.get_untracked().live(&earlier).is_some());
    storage.remove_item("filler").unwrap();
    report_fault_case("quota full on save: records before = records after");
}

#[wasm_bindgen_test]
fn an_import_that_does_not_fit_changes_nothing() {
    let app = fresh();
    let earlier = app.records.create(training_body("本机记录")).unwrap();
    // A file from another tablet with many records; storage has room for only some.
    let file = file_of(
        "other-tablet",
        trainings_from(
            "other-tablet",
            1,
            (0..200).map(|n| format!("外来培训 {n} {}", "说明".repeat(200))),
        ),
    );
    fill_quota(20_000);
    let before = snapshot();
    let ledger_before = app.records.ledger.get_untracked();

    assert_eq!(
        app.exchange.import(vec![file]),
        Err(StorageError::QuotaExceeded)
    );
    assert!(
        snapshot() == before,
        "storage is exactly as before the import"
    );
    assert_eq!(app.records.ledger.get_untracked(), ledger_before);
    assert!(app.records.ledger.get_untracked().live(&earlier).is_some());
    local_storage().remove_item("filler").unwrap();
    report_fault_case("quota full in the middle of an import: records before = records after");
}

/// The frozen layout-1 fixture, written into localStorage as the previous version left it.
fn seed_layout_1() -> Vec<(String, String)> {
    local_storage().clear().unwrap();
    let dump: std::collections::BTreeMap<String, String> =
        serde_json::from_str(include_str!("fixtures/storage-layout-1.json")).unwrap();
    for (key, value) in &dump {
        local_storage().set_item(key, value).unwrap();
    }
    snapshot()
}

#[wasm_bindgen_test]
fn a_layout_1_storage_is_migrated_at_start() {
    let before = seed_layout_1();
    let v1_units: usize = before
        .iter()
        .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
        .sum();
    let app = App::start();
    assert_eq!(app.status.persistence.get_untracked(), Persistence::Stored);
    assert!(app.status.problems.get_untracked().is_empty());
    let ledger = app.records.ledger.get_untracked();
    assert_eq!(ledger.all().count(), 3);
    assert_eq!(app.settings.settings.get_untracked().author, "王建国");
    let after = snapshot();
    assert!(after.contains(&(keys::LAYOUT.to_owned(), "2".to_owned())));
    assert!(
        !after
            .iter()
            .any(|(k, _)| k.starts_with(keys::RECORD_PREFIX_V1))
    );
    assert_eq!(
        after
            .iter()
            .filter(|(k, _)| k.starts_with(keys::RECORD_PREFIX))
            .count(),
        3
    );
    let v2_units: usize = after
        .iter()
        .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
        .sum();
    assert_eq!(app.status.stored_bytes(), 2 * v2_units);
    assert!(v2_units < v1_units, "{v2_units} units, were {v1_units}");
    // The same records after a restart, and the app saves on layout 2.
    let again = App::start();
    assert_eq!(again.records.ledger.get_untracked(), ledger);
    let id = again.records.create(training_body("迁移之后")).unwrap();
    assert!(
        local_storage()
            .get_item(&keys::record(&id))
            .unwrap()
            .is_some()
    );
    report_fault_case("layout-1 storage at start: migrated, every record and setting kept");
}

#[wasm_bindgen_test]
fn a_migration_that_does_not_fit_changes_nothing_and_the_app_works_on_layout_1() {
    let _ = seed_layout_1();
    // Full to the last unit: not even the device table fits.
    fill_quota(0);
    let mut rest = String::new();
    let mut chunk = 1024;
    while chunk > 0 {
        let attempt = format!("{rest}{}", "x".repeat(chunk));
        if local_storage().set_item("filler-rest", &attempt).is_ok() {
            rest = attempt;
        } else {
            chunk /= 2;
        }
    }
    let before = snapshot();
    let app = App::start();
    assert!(
        snapshot() == before,
        "a failed migration leaves storage as it was"
    );
    assert_eq!(app.status.persistence.get_untracked(), Persistence::Stored);
    assert_eq!(app.records.ledger.get_untracked().all().count(), 3);
    // The user is told (a banner), with the reason.
    assert_eq!(
        app.status.migration_failed.get_untracked(),
        Some(StorageError::QuotaExceeded)
    );
    // With room again, the app saves on layout 1 until the next start migrates.
    local_storage().remove_item("filler").unwrap();
    local_storage().remove_item("filler-rest").unwrap();
    let id = app.records.create(training_body("仍是第一版布局")).unwrap();
    assert!(
        local_storage()
            .get_item(&keys::record_v1(&id))
            .unwrap()
            .is_some()
    );
    let again = App::start();
    assert_eq!(again.records.ledger.get_untracked().all().count(), 4);
    assert_eq!(again.status.migration_failed.get_untracked(), None);
    assert_eq!(
        local_storage().get_item(keys::LAYOUT).unwrap().as_deref(),
        Some("2")
    );
    assert!(
        local_storage()
            .get_item(&keys::record(&id))
            .unwrap()
            .is_some()
    );
    report_fault_case(
        "quota full during the migration: storage as it was, app works on layout 1, migrated at the next start",
    );
}
