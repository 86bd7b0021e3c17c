//! Tier 2: storage faults injected under the real app state in headless Chromium. Each case
//! checks that what was stored before is exactly what is stored after.
#![cfg(target_arch = "wasm32")]

use field_ledger::domain::*;
use field_ledger::state::{App, EditOutcome, Persistence};
use field_ledger::storage::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::{local_storage, report_fault_case as report, snapshot};
use support::{Fault, Faulty, author, file_of, training_about as body, trainings_from};

wasm_bindgen_test_configure!(run_in_browser);

/// localStorage, emptied, with faults on demand; an app over it with three records.
fn seeded() -> (Faulty<BrowserStorage>, App) {
    local_storage().clear().unwrap();
    let faulty = Faulty::browser();
    let app = App::start_with(faulty.boxed());
    for n in 0..3 {
        app.records.create(body(&format!("已有记录 {n}"))).unwrap();
    }
    (faulty, app)
}

#[wasm_bindgen_test]
fn a_write_that_throws_on_save_changes_nothing() {
    let (faulty, app) = seeded();
    let before = snapshot();
    faulty.fail_write(0, Fault::Thrown);
    assert!(app.records.create(body("写入失败")).is_err());
    assert!(snapshot() == before, "storage changed");
    assert_eq!(
        app.records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        3
    );
    report(concat!(
        "write throws on save",
        ": records before = records after"
    ));
}

#[wasm_bindgen_test]
fn a_write_that_throws_in_the_middle_of_an_import_is_rolled_back() {
    let (faulty, app) = seeded();
    let file = file_of(
        "other",
        trainings_from("other", 1000, (0..50).map(|n| format!("导入 {n}"))),
    );
    let before = snapshot();
    let ledger_before = app.records.ledger.get_untracked();
    faulty.fail_write(20, Fault::Thrown);
    assert!(app.exchange.import(vec![file]).is_err());
    assert!(snapshot() == before, "storage changed");
    assert_eq!(app.records.ledger.get_untracked(), ledger_before);
    report(concat!(
        "write throws in the middle of an import (its 21st write)",
        ": records before = records after"
    ));
}

#[wasm_bindgen_test]
fn storage_that_throws_on_read_at_start_leaves_the_app_working_in_memory() {
    let (faulty, _app) = seeded();
    let before = snapshot();
    faulty.fail_reads(true);
    let app = App::start_with(faulty.boxed());
    assert!(matches!(
        app.status.persistence.get_untracked(),
        Persistence::MemoryOnly(_)
    ));
    app.records.create(body("只在内存中")).unwrap();
    assert_eq!(
        app.records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        1
    );
    assert_eq!(
        app.exchange
            .export_draft(false, false)
            .unwrap()
            .record_count(),
        1,
        "it can still be exported"
    );
    faulty.fail_reads(false);
    assert!(snapshot() == before, "storage changed");
    report(concat!(
        "reads throw at start",
        ": records before = records after"
    ));
}

/// What the browser does when another tab writes `key`: a `storage` event with its new value.
fn storage_event(key: &str) {
    let value = local_storage().get_item(key).unwrap().unwrap();
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(key));
    init.set_new_value(Some(&value));
    let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    web_sys::window()
        .unwrap()
        .dispatch_event(event.unchecked_ref())
        .unwrap();
}

#[wasm_bindgen_test]
fn a_record_saved_in_another_tab_appears_in_this_one() {
    local_storage().clear().unwrap();
    let this_tab = App::start();
    let record = Record::create(
        uuid::Uuid::from_u128(77),
        body("另一个标签页"),
        &this_tab.settings.author(),
        time::macros::datetime!(2022-06-01 0:00 UTC),
    );
    let other_tab = Store::open(Box::new(BrowserStorage::open().unwrap())).unwrap();
    other_tab.save_record(&record).unwrap();
    // The browser tells of each key the other tab wrote, in order: the device table (the
    // record's device is new to it), then the record.
    storage_event(keys::DEVICES);
    storage_event(&keys::record(&record.id));
    assert_eq!(
        this_tab.records.ledger.get_untracked().get(&record.id),
        Some(&record)
    );
}

#[wasm_bindgen_test]
fn a_record_of_a_device_new_to_this_tab_is_followed_before_the_tables_own_event() {
    local_storage().clear().unwrap();
    let this_tab = App::start();
    this_tab.records.create(body("本机记录")).unwrap();
    // Another tab saves what it imported from another tablet: the device is new to the table,
    // and this tab hears of the record first.
    let record = Record::create(
        uuid::Uuid::from_u128(78),
        body("另一台平板的记录"),
        &author("tablet-营口-07"),
        time::macros::datetime!(2022-06-01 0:00 UTC),
    );
    let other_tab = Store::open(Box::new(BrowserStorage::open().unwrap())).unwrap();
    other_tab.save_record(&record).unwrap();
    storage_event(&keys::record(&record.id));
    assert_eq!(
        this_tab.records.ledger.get_untracked().get(&record.id),
        Some(&record)
    );
    // And this tab's next save keeps the other tab's device in the table.
    let own = this_tab.records.create(body("本机第二条")).unwrap();
    let again = App::start();
    let ledger = again.records.ledger.get_untracked();
    assert_eq!(ledger.get(&record.id), Some(&record));
    assert!(ledger.get(&own).is_some());
    assert!(again.status.problems.get_untracked().is_empty());
}

#[wasm_bindgen_test]
fn an_edit_over_a_version_saved_in_another_tab_keeps_both() {
    local_storage().clear().unwrap();
    let tab_a = App::start();
    let id = tab_a.records.create(body("原始")).unwrap();
    let tab_b = App::start();
    assert_eq!(
        tab_b.records.update(id, 1, body("B 标签页的修改")).unwrap(),
        EditOutcome::Saved
    );
    // Tab A still shows revision 1 and saves its own edit of it.
    assert_eq!(
        tab_a.records.update(id, 1, body("A 标签页的修改")).unwrap(),
        EditOutcome::KeptOtherVersion
    );
    let stored = App::start()
        .records
        .ledger
        .get_untracked()
        .get(&id)
        .cloned()
        .unwrap();
    assert_eq!(stored.revision, 3);
    assert!(matches!(&stored.body, RecordBody::Training(t) if t.topic == "A 标签页的修改"));
    assert!(
        stored
            .history
            .iter()
            .any(|v| matches!(&v.body, RecordBody::Training(t) if t.topic == "B 标签页的修改")),
        "the other tab's version is kept"
    );
    report("edit over another tab's save: both versions kept");
}

#[wasm_bindgen_test]
fn a_write_that_throws_in_the_middle_of_the_migration_is_rolled_back() {
    local_storage().clear().unwrap();
    // A layout-1 storage with 10 records.
    local_storage().set_item(keys::LAYOUT, "1").unwrap();
    local_storage()
        .set_item(
            keys::SETTINGS,
            &serde_json::to_string(&Settings::new("old-tablet".into())).unwrap(),
        )
        .unwrap();
    let records = trainings_from("old-tablet", 500, (0..10).map(|n| format!("旧布局 {n}")));
    for record in &records {
        local_storage()
            .set_item(
                &keys::record_v1(&record.id),
                &serde_json::to_string(record).unwrap(),
            )
            .unwrap();
    }
    let before = snapshot();
    let faulty = Faulty::browser();
    // The table, then the 5th record's new key: the old keys of four records are gone by then.
    faulty.fail_write(9, Fault::Thrown);
    let app = App::start_with(faulty.boxed());
    assert!(snapshot() == before, "storage changed");
    assert_eq!(app.status.persistence.get_untracked(), Persistence::Stored);
    assert_eq!(
        app.records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        10
    );
    // The next start migrates.
    let again = App::start();
    assert_eq!(
        again
            .records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        10
    );
    assert_eq!(
        local_storage().get_item(keys::LAYOUT).unwrap().as_deref(),
        Some("2")
    );
    report(concat!(
        "write throws in the middle of the migration to layout 2",
        ": records before = records after"
    ));
}
