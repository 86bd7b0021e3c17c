//! Tier 2: storage faults injected under the real app state in headless Chromium. Each case
//! checks that what was stored before is exactly what is stored after.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use field_ledger::domain::*;
use field_ledger::state::{AppState, EditOutcome, Persistence};
use field_ledger::storage::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod browser_support;
use browser_support::{local_storage, snapshot};

wasm_bindgen_test_configure!(run_in_browser);

/// localStorage with faults on demand: the n-th write from now throws (once), or every read
/// does.
#[derive(Clone)]
struct Faulty {
    inner: Rc<BrowserStorage>,
    writes_left: Rc<Cell<Option<usize>>>,
    reads_fail: Rc<Cell<bool>>,
}

impl Faulty {
    fn new() -> Self {
        Faulty {
            inner: Rc::new(BrowserStorage::open().unwrap()),
            writes_left: Rc::new(Cell::new(None)),
            reads_fail: Rc::new(Cell::new(false)),
        }
    }
    fn fail_write_after(&self, n: usize) {
        self.writes_left.set(Some(n));
    }
    fn write(&self) -> Result<(), StorageError> {
        match self.writes_left.get() {
            Some(0) => {
                self.writes_left.set(None);
                Err(StorageError::Browser("injected write fault".into()))
            }
            Some(n) => {
                self.writes_left.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        }
    }
    fn read(&self) -> Result<(), StorageError> {
        if self.reads_fail.get() {
            Err(StorageError::Browser("injected read fault".into()))
        } else {
            Ok(())
        }
    }
}

impl KeyValue for Faulty {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.read()?;
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.write()?;
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.write()?;
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.read()?;
        self.inner.keys()
    }
}

fn body(topic: &str) -> RecordBody {
    RecordBody::Training(
        TrainingInput {
            topic: topic.into(),
            attendance: "10".into(),
            ..TrainingInput::blank(time::macros::date!(2022 - 06 - 01))
        }
        .validate(time::macros::date!(2022 - 06 - 01))
        .unwrap(),
    )
}

fn seeded() -> (Faulty, AppState) {
    local_storage().clear().unwrap();
    let faulty = Faulty::new();
    let app = AppState::start_with(Box::new(faulty.clone()));
    for n in 0..3 {
        app.create(body(&format!("已有记录 {n}"))).unwrap();
    }
    (faulty, app)
}

fn report(case: &str) {
    web_sys::console::log_1(&format!("[fault case] {case}").into());
}

#[wasm_bindgen_test]
fn a_write_that_throws_on_save_changes_nothing() {
    let (faulty, app) = seeded();
    let before = snapshot();
    faulty.fail_write_after(0);
    assert!(app.create(body("写入失败")).is_err());
    assert!(snapshot() == before, "storage changed");
    assert_eq!(app.ledger.get_untracked().count(RecordKind::Training), 3);
    report(concat!(
        "write throws on save",
        ": records before = records after"
    ));
}

#[wasm_bindgen_test]
fn a_write_that_throws_in_the_middle_of_an_import_is_rolled_back() {
    let (faulty, app) = seeded();
    let other = Author {
        device_id: "other".into(),
        name: "李娜".into(),
    };
    let records: Vec<Record> = (0..50u128)
        .map(|n| {
            Record::create(
                uuid::Uuid::from_u128(1000 + n),
                body(&format!("导入 {n}")),
                &other,
                time::macros::datetime!(2022-06-01 0:00 UTC),
            )
        })
        .collect();
    let file = ExportEnvelope::new(
        records,
        "other",
        time::macros::datetime!(2022-06-02 0:00 UTC),
        None,
    );
    let before = snapshot();
    let ledger_before = app.ledger.get_untracked();
    faulty.fail_write_after(20);
    assert!(app.import(vec![file]).is_err());
    assert!(snapshot() == before, "storage changed");
    assert_eq!(app.ledger.get_untracked(), ledger_before);
    report(concat!(
        "write throws on the 21st record of an import",
        ": records before = records after"
    ));
}

#[wasm_bindgen_test]
fn storage_that_throws_on_read_at_start_leaves_the_app_working_in_memory() {
    let (faulty, _app) = seeded();
    let before = snapshot();
    faulty.reads_fail.set(true);
    let app = AppState::start_with(Box::new(faulty.clone()));
    assert!(matches!(
        app.persistence.get_untracked(),
        Persistence::MemoryOnly(_)
    ));
    app.create(body("只在内存中")).unwrap();
    assert_eq!(app.ledger.get_untracked().count(RecordKind::Training), 1);
    assert_eq!(
        app.export_draft(false, false).unwrap().record_count(),
        1,
        "it can still be exported"
    );
    faulty.reads_fail.set(false);
    assert!(snapshot() == before, "storage changed");
    report(concat!(
        "reads throw at start",
        ": records before = records after"
    ));
}

#[wasm_bindgen_test]
fn drafts_are_never_records_and_never_exported() {
    let (_faulty, app) = seeded();
    let draft = TrainingInput {
        topic: "未完成的草稿".into(),
        ..TrainingInput::blank(time::macros::date!(2022 - 06 - 01))
    };
    app.save_draft(RecordKind::Training, None, &draft).unwrap();
    let again = AppState::start();
    assert_eq!(again.ledger.get_untracked().count(RecordKind::Training), 3);
    assert_eq!(again.export_draft(false, false).unwrap().record_count(), 3);
    assert_eq!(
        again.load_draft::<TrainingInput>(RecordKind::Training, None),
        Some(draft)
    );
    again.discard_draft(RecordKind::Training, None);
    assert_eq!(
        again.load_draft::<TrainingInput>(RecordKind::Training, None),
        None
    );
}

#[wasm_bindgen_test]
fn a_record_saved_in_another_tab_appears_in_this_one() {
    local_storage().clear().unwrap();
    let this_tab = AppState::start();
    // The other tab writes a record; the browser tells this tab with a `storage` event.
    let other = Author {
        device_id: this_tab.settings.get_untracked().device_id,
        name: "王建国".into(),
    };
    let record = Record::create(
        uuid::Uuid::from_u128(77),
        body("另一个标签页"),
        &other,
        time::macros::datetime!(2022-06-01 0:00 UTC),
    );
    let other_tab = Store::open(Box::new(BrowserStorage::open().unwrap())).unwrap();
    other_tab.save_record(&record).unwrap();
    // The browser tells of each key the other tab wrote, in order: the device table (the
    // record's device is new to it), then the record.
    let key = keys::record(&record.id);
    for key in [keys::DEVICES, key.as_str()] {
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
    assert_eq!(
        this_tab.ledger.get_untracked().get(&record.id),
        Some(&record)
    );
}

#[wasm_bindgen_test]
fn an_edit_over_a_version_saved_in_another_tab_keeps_both() {
    local_storage().clear().unwrap();
    let tab_a = AppState::start();
    let id = tab_a.create(body("原始")).unwrap();
    let tab_b = AppState::start();
    assert_eq!(
        tab_b.update(id, 1, body("B 标签页的修改")).unwrap(),
        EditOutcome::Saved
    );
    // Tab A still shows revision 1 and saves its own edit of it.
    assert_eq!(
        tab_a.update(id, 1, body("A 标签页的修改")).unwrap(),
        EditOutcome::KeptOtherVersion
    );
    let stored = AppState::start()
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
    let other = Author {
        device_id: "old-tablet".into(),
        name: "李娜".into(),
    };
    // A layout-1 storage with 10 records.
    local_storage().set_item(keys::LAYOUT, "1").unwrap();
    local_storage()
        .set_item(
            keys::SETTINGS,
            &serde_json::to_string(&Settings::new("old-tablet".into())).unwrap(),
        )
        .unwrap();
    let records: Vec<Record> = (0..10u128)
        .map(|n| {
            Record::create(
                uuid::Uuid::from_u128(500 + n),
                body(&format!("旧布局 {n}")),
                &other,
                time::macros::datetime!(2022-06-01 0:00 UTC),
            )
        })
        .collect();
    for record in &records {
        local_storage()
            .set_item(
                &keys::record_v1(&record.id),
                &serde_json::to_string(record).unwrap(),
            )
            .unwrap();
    }
    let before = snapshot();
    let faulty = Faulty::new();
    // The table, then the 5th record's new key: the old keys of four records are gone by then.
    faulty.fail_write_after(9);
    let app = AppState::start_with(Box::new(faulty.clone()));
    assert!(snapshot() == before, "storage changed");
    assert_eq!(app.persistence.get_untracked(), Persistence::Stored);
    assert_eq!(app.ledger.get_untracked().count(RecordKind::Training), 10);
    // The next start migrates.
    let again = AppState::start();
    assert_eq!(again.ledger.get_untracked().count(RecordKind::Training), 10);
    assert_eq!(
        local_storage().get_item(keys::LAYOUT).unwrap().as_deref(),
        Some("2")
    );
    report(concat!(
        "write throws in the middle of the migration to layout 2",
        ": records before = records after"
    ));
}
