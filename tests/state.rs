//! Tier 2: the app's services (`state::App`: records, settings, drafts, exchange, status)
//! over a storage that fails on demand. Every change goes to storage first and a signal
//! changes only when storage succeeded: a failed write leaves what the app shows and what is
//! stored exactly as they were, and what the app shows is what a restart reads back.
//! (In the browser tier because the services take the clock and ids from the browser.)
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use field_ledger::domain::form::Input;
use field_ledger::domain::settings::ReportNotes;
use field_ledger::domain::*;
use field_ledger::state::{App, Persistence};
use field_ledger::storage::*;
use leptos::prelude::*;
use time::macros::{date, datetime};
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::report_fault_case;
use support::{Fault, Faulty, author, file_of, training_about, trainings_from};

wasm_bindgen_test_configure!(run_in_browser);

/// An app over memory with an officer and three records.
fn seeded() -> (Faulty, App) {
    let kv = Faulty::memory();
    let app = App::start_with(kv.boxed());
    app.settings.update(|s| s.author = "王建国".into()).unwrap();
    for n in 0..3 {
        app.records
            .create(training_about(&format!("已有记录 {n}")))
            .unwrap();
    }
    (kv, app)
}

/// What the app shows and what is stored.
#[derive(Debug, PartialEq)]
struct Seen {
    ledger: Ledger,
    settings: Settings,
    stored: BTreeMap<String, String>,
}

fn seen(kv: &Faulty, app: &App) -> Seen {
    Seen {
        ledger: app.records.ledger.get_untracked(),
        settings: app.settings.settings.get_untracked(),
        stored: kv.dump(),
    }
}

/// Runs `change` on a freshly seeded app (after `prepare`) with its n-th write failing, for
/// n = 0, 1, 2 … until the change goes through. Every failure must leave what the app shows
/// and what is stored as they were; once through, what the app shows must be what a restart
/// reads from storage.
fn fails_cleanly<T>(
    case: &str,
    prepare: impl Fn(&App) -> T,
    change: impl Fn(&App, &T) -> Result<(), StorageError>,
) {
    for n in 0..200 {
        let (kv, app) = seeded();
        let prepared = prepare(&app);
        let before = seen(&kv, &app);
        kv.fail_write(n, Fault::Thrown);
        match change(&app, &prepared) {
            Err(error) => {
                assert_eq!(error, Fault::Thrown.error(), "{case}: write {n}");
                assert_eq!(seen(&kv, &app), before, "{case}: write {n} failed");
            }
            Ok(()) => {
                assert!(n > 0, "{case} changed the app without writing");
                kv.heal();
                let after = seen(&kv, &app);
                assert_ne!(after, before, "{case} changed nothing");
                let restarted = App::start_with(kv.boxed());
                assert_eq!(
                    (
                        restarted.records.ledger.get_untracked(),
                        restarted.settings.settings.get_untracked()
                    ),
                    (after.ledger, after.settings),
                    "{case}: what the app shows is what is stored"
                );
                let writes = if n == 1 { "write" } else { "writes" };
                report_fault_case(&format!(
                    "{case} ({n} {writes}), failing at each: app and storage as before"
                ));
                return;
            }
        }
    }
    panic!("{case} never went through");
}

fn first(app: &App) -> uuid::Uuid {
    app.records
        .ledger
        .with_untracked(|l| l.list(RecordKind::Training)[0].id)
}

#[wasm_bindgen_test]
fn a_record_change_that_cannot_be_stored_changes_nothing() {
    fails_cleanly(
        "save of a new record",
        |_| (),
        |app, ()| app.records.create(training_about("新记录")).map(drop),
    );
    fails_cleanly("edit", first, |app, id| {
        app.records.update(*id, 1, training_about("修改")).map(drop)
    });
    fails_cleanly("delete", first, |app, id| app.records.delete(*id));
    fails_cleanly(
        "undo of a delete",
        |app| {
            let id = first(app);
            app.records.delete(id).unwrap();
            id
        },
        |app, id| app.records.undelete(*id),
    );
    fails_cleanly(
        "restore of an earlier version",
        |app| {
            let id = first(app);
            let earlier = app.records.ledger.with_untracked(|l| l.get(&id).cloned());
            app.records.update(id, 1, training_about("改错了")).unwrap();
            (id, earlier.unwrap())
        },
        |app, (id, earlier)| app.records.restore(*id, earlier),
    );
}

#[wasm_bindgen_test]
fn a_change_of_many_records_that_cannot_be_stored_changes_none() {
    fails_cleanly(
        "sample data loaded",
        |_| (),
        |app, ()| app.records.load_sample().map(drop),
    );
    fails_cleanly(
        "sample data removed",
        |app| app.records.load_sample().unwrap(),
        |app, _| app.records.remove_sample().map(drop),
    );
    fails_cleanly(
        "a rename in several records",
        |app| {
            app.records.ledger.with_untracked(|l| {
                l.all()
                    .map(|r| r.edited(training_about("改名"), &author("device-2"), r.updated_at))
                    .collect::<Vec<_>>()
            })
        },
        |app, revisions| app.records.write_all(revisions.clone()),
    );
}

#[wasm_bindgen_test]
fn a_settings_change_that_cannot_be_stored_changes_nothing() {
    fails_cleanly(
        "settings changed",
        |_| (),
        |app, ()| {
            app.settings.update(|s| {
                s.language = Language::En;
                s.add_county("营口仙人岛能源化工区");
            })
        },
    );
    fails_cleanly(
        "an export remembered",
        |_| (),
        |app, ()| {
            app.exchange
                .log_export(datetime!(2022-06-02 00:00 UTC), None, 3, &[])
        },
    );
}

/// A file from another tablet: records new here, one edit of a record here, and targets for
/// a year this device has not set.
fn file_for(app: &App) -> ExportEnvelope {
    let theirs = author("other-tablet");
    let mut records = trainings_from("other-tablet", 1000, (0..5).map(|n| format!("导入 {n}")));
    let ours = app
        .records
        .ledger
        .with_untracked(|l| l.list(RecordKind::Training)[0].clone());
    records.push(ours.edited(training_about("对方的修改"), &theirs, ours.updated_at));
    file_of("other-tablet", records)
        .with_targets(vec![YearTargets {
            trainings: 12,
            ..YearTargets::defaults(2021)
        }])
        .with_report_notes(vec![h1_notes("对方的问题")])
}

/// Report notes for the first half of 2022.
fn h1_notes(problems: &str) -> ReportNotes {
    ReportNotes {
        period: "h1-2022".into(),
        problems: problems.into(),
        plans: String::new(),
    }
}

#[wasm_bindgen_test]
fn an_import_that_cannot_be_stored_changes_neither_records_nor_targets_nor_notes() {
    fails_cleanly("import with targets and notes", file_for, |app, file| {
        app.exchange.import(vec![file.clone()]).map(drop)
    });
    let (_, app) = seeded();
    let reports = app.exchange.import(vec![file_for(&app)]).unwrap();
    assert_eq!((reports[0].added, reports[0].updated), (5, 1));
    let settings = app.settings.settings.get_untracked();
    assert_eq!(settings.targets_for(2021).trainings, 12);
    assert_eq!(settings.report_notes, [h1_notes("对方的问题")]);
}

#[wasm_bindgen_test]
fn a_full_export_carries_the_report_notes_an_export_of_changes_none() {
    let (_, app) = seeded();
    app.settings
        .update(|s| s.set_notes(h1_notes("本机的问题")))
        .unwrap();
    let exported = |changes_only: bool| {
        let draft = app.exchange.export_draft(changes_only, false).unwrap();
        let text = String::from_utf8(draft.finish(&draft.sha256()).unwrap()).unwrap();
        parse_export(&text, support::browser::today()).unwrap()
    };
    let full = exported(false);
    assert_eq!(full.report_notes, [h1_notes("本机的问题")]);
    let changes = exported(true);
    assert_eq!(changes.records.len(), 3);
    assert!(changes.report_notes.is_empty() && changes.targets.is_empty());
    // Another device's notes for the same period do not replace this device's own.
    let (_, other) = seeded();
    other
        .settings
        .update(|s| s.set_notes(h1_notes("那台设备的问题")))
        .unwrap();
    other.exchange.import(vec![full]).unwrap();
    assert_eq!(
        other.settings.settings.get_untracked().report_notes,
        [h1_notes("那台设备的问题")]
    );
}

#[wasm_bindgen_test]
fn the_first_settings_that_cannot_be_saved_are_reported_and_records_are_still_stored() {
    // Which write of a first start stores the settings.
    let probe = Faulty::memory();
    App::start_with(probe.boxed());
    let n = probe
        .writes()
        .iter()
        .position(|key| key == keys::SETTINGS)
        .expect("a first start saves its settings");

    let kv = Faulty::memory();
    kv.fail_write(n, Fault::Quota);
    let app = App::start_with(kv.boxed());
    assert_eq!(app.status.persistence.get_untracked(), Persistence::Stored);
    assert_eq!(
        app.status.settings_not_saved.get_untracked(),
        Some(StorageError::QuotaExceeded)
    );
    assert_eq!(kv.raw(keys::SETTINGS), None);
    let device = app.settings.settings.get_untracked().device_id;
    assert!(!device.is_empty(), "the device has an id for this session");
    // Records are kept all the same.
    let id = app.records.create(training_about("照常保存")).unwrap();
    assert!(kv.raw(&keys::record(&id)).is_some());

    // The next start saves settings again, and finds the record.
    let again = App::start_with(kv.boxed());
    assert_eq!(again.status.settings_not_saved.get_untracked(), None);
    assert!(kv.raw(keys::SETTINGS).is_some());
    assert_eq!(
        again.records.ledger.get_untracked().get(&id),
        app.records.ledger.get_untracked().get(&id)
    );
    report_fault_case("first settings not saved at start: reported, records still stored");
}

#[wasm_bindgen_test]
fn storage_that_cannot_be_read_at_start_leaves_the_app_working_in_memory() {
    let (kv, _) = seeded();
    let before = kv.dump();
    kv.fail_reads(true);
    let app = App::start_with(kv.boxed());
    assert!(matches!(
        app.status.persistence.get_untracked(),
        Persistence::MemoryOnly(_)
    ));
    assert!(app.records.ledger.get_untracked().is_empty());
    app.records.create(training_about("只在内存中")).unwrap();
    assert_eq!(app.records.ledger.get_untracked().len(), 1);
    assert_eq!(
        app.exchange
            .export_draft(false, false)
            .unwrap()
            .record_count(),
        1
    );
    kv.heal();
    assert_eq!(kv.dump(), before);
}

// ---------------------------------------------------------------- drafts

fn draft() -> FormInput {
    let mut input = FormInput::new_record::<Training>(date!(2022 - 06 - 01), "、");
    input.set(Field::Topic, Input::Text("未完成的草稿".into()));
    input
}

#[wasm_bindgen_test]
fn drafts_are_kept_apart_never_records_and_never_exported() {
    let (kv, app) = seeded();
    app.drafts
        .save(RecordKind::Training, None, &draft())
        .unwrap();
    let edit = first(&app);
    app.drafts
        .save(RecordKind::Training, Some(edit), &draft())
        .unwrap();
    assert!(kv.raw("fl.v1.draft.training.new").is_some());
    assert!(kv.raw(&format!("fl.v1.draft.training.{edit}")).is_some());

    let again = App::start_with(kv.boxed());
    assert_eq!(again.records.ledger.get_untracked().len(), 3);
    assert!(again.status.problems.get_untracked().is_empty());
    assert_eq!(
        again
            .exchange
            .export_draft(false, true)
            .unwrap()
            .record_count(),
        3
    );
    assert_eq!(again.drafts.load(RecordKind::Training, None), Some(draft()));
    assert_eq!(again.drafts.load(RecordKind::Visit, None), None, "per kind");
    again.drafts.discard(RecordKind::Training, None);
    assert_eq!(again.drafts.load(RecordKind::Training, None), None);
    assert_eq!(
        again.drafts.load(RecordKind::Training, Some(edit)),
        Some(draft()),
        "per record"
    );
}

#[wasm_bindgen_test]
fn a_draft_that_cannot_be_stored_leaves_none_behind() {
    let (kv, app) = seeded();
    let before = kv.dump();
    kv.fail_write(0, Fault::Quota);
    assert_eq!(
        app.drafts.save(RecordKind::Visit, None, &draft()),
        Err(StorageError::QuotaExceeded)
    );
    assert_eq!(kv.dump(), before);
    assert_eq!(app.drafts.load(RecordKind::Visit, None), None);
}

/// A new visit's draft as the previous version kept it: under the kind's page address and
/// with the fields of its `VisitInput`.
const PREVIOUS_VERSIONS_DRAFT: (&str, &str) = (
    "fl.v1.draft.visits.new",
    r#"{"date":"2022-06-12","start_time":"","end_time":"","commissioners":"赵志强、孙丽","team_level":null,"team_name":"","host":"营口天域米业","host_type":"enterprise","county":"老边区","township":"","village":"","help":["advice"],"problems":"稻瘟病","advice":"","technologies":"","technology_ids":[],"follow_up_needed":false,"follow_up_by":"","follows_up":null,"location":{"latitude":"40.5","longitude":"122.25","accuracy_m":null,"captured_at":null},"notes":""}"#,
);

#[wasm_bindgen_test]
fn a_draft_left_by_the_previous_version_is_offered_and_saves_the_same() {
    let (kv, app) = seeded();
    let (key, json) = PREVIOUS_VERSIONS_DRAFT;
    kv.put(key, json);
    let offered = app
        .drafts
        .load(RecordKind::Visit, None)
        .expect("the previous version's draft is offered");
    let visit = offered.validate::<Visit>(date!(2022 - 06 - 20)).unwrap();
    assert_eq!(
        visit,
        Visit {
            commissioners: support::strings(&["赵志强", "孙丽"]),
            host: "营口天域米业".into(),
            host_type: HostType::Enterprise,
            place: support::in_county("老边区"),
            help: vec![HelpKind::Advice],
            problems: "稻瘟病".into(),
            location: Some(GeoPoint {
                latitude: 40.5,
                longitude: 122.25,
                accuracy_m: None,
                captured_at: None,
            }),
            ..Visit::blank(date!(2022 - 06 - 12))
        }
    );
    // Typing on writes the draft under this version's name; saving or leaving the form
    // discards both.
    app.drafts.save(RecordKind::Visit, None, &offered).unwrap();
    assert!(kv.raw("fl.v1.draft.visit.new").is_some());
    app.drafts.discard(RecordKind::Visit, None);
    assert_eq!(kv.raw("fl.v1.draft.visit.new"), None);
    assert_eq!(kv.raw(key), None);
    assert_eq!(app.drafts.load(RecordKind::Visit, None), None);
}
