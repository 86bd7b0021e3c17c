//! Tier 1: what officers add to the report beside the records' figures, and how it travels:
//! the problems and plans typed per period (`settings::ReportNotes`: kept per period key,
//! empty notes forgotten, carried by a full export and validated by the JSON Schema, taken on
//! import only for periods without any, never in an export of changes), the counted training
//! types and 报送单位 in the settings, and the typical-case mark on a record (written only when
//! true, through the export file and the stored layout 2, listed by `totals::typical_in`).
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::export::Carried;
use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::settings::{ReportNotes, notes_key};
use field_ledger::domain::totals::{Counting, typical_in};
use field_ledger::domain::*;
use field_ledger::storage::stored;
use time::macros::{date, datetime};

use field_ledger_test_support as support;
use support::schema::{export_schema_errors, export_validator};
use support::{
    NOW, TODAY, file_of, id, ledger_of, officer, preset, record, staged, technology, training,
    visit,
};

fn notes(period: &Period, problems: &str, plans: &str) -> ReportNotes {
    ReportNotes {
        period: notes_key(period),
        problems: problems.into(),
        plans: plans.into(),
    }
}

// ---------------------------------------------------------------- report notes

#[test]
fn a_periods_notes_are_kept_under_its_key() {
    let h1 = preset(2022, Preset::FirstHalf);
    let custom = Period::custom(date!(2022 - 05 - 31), date!(2022 - 03 - 01));
    assert_eq!(notes_key(&h1), "h1-2022");
    assert_eq!(notes_key(&preset(2021, Preset::Quarter(3))), "q3-2021");
    assert_eq!(notes_key(&preset(2022, Preset::Year)), "year-2022");
    assert_eq!(notes_key(&preset(2022, Preset::YearToDate)), "ytd-2022");
    assert_eq!(notes_key(&custom), "2022-03-01~2022-05-31");
    // The year so far keeps its notes as its last day moves on.
    assert_eq!(
        notes_key(&Period::preset(2022, Preset::YearToDate, date!(2022 - 07 - 01)).unwrap()),
        "ytd-2022"
    );

    let mut settings = Settings::new("device".into());
    assert_eq!(
        settings.notes_for(&h1),
        notes(&h1, "", ""),
        "none typed yet"
    );
    settings.set_notes(notes(&h1, "部分县区培训场次偏少", "下半年加强技术员培训"));
    settings.set_notes(notes(&custom, "春播期间走访不足", ""));
    assert_eq!(settings.notes_for(&h1).problems, "部分县区培训场次偏少");
    assert_eq!(settings.notes_for(&h1).plans, "下半年加强技术员培训");
    assert_eq!(settings.notes_for(&custom).problems, "春播期间走访不足");
    let h2 = preset(2022, Preset::SecondHalf);
    assert_eq!(settings.notes_for(&h2), notes(&h2, "", ""));
    assert_eq!(
        settings
            .notes_for(&preset(2021, Preset::FirstHalf))
            .problems,
        "",
        "the same half of another year"
    );
    // Typing again replaces the period's notes: one entry per period.
    settings.set_notes(notes(&h1, "部分县区培训场次偏少", "下半年每县至少一场"));
    assert_eq!(settings.report_notes.len(), 2);
    assert_eq!(settings.notes_for(&h1).plans, "下半年每县至少一场");
    // Notes emptied (blanks count as empty) are forgotten.
    settings.set_notes(notes(&h1, "  ", "\n"));
    assert_eq!(
        settings.report_notes,
        [notes(&custom, "春播期间走访不足", "")]
    );
    assert_eq!(settings.notes_for(&h1), notes(&h1, "", ""));
    // The settings keep them through their JSON.
    let json = serde_json::to_string(&settings).unwrap();
    assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
}

#[test]
fn notes_from_an_import_are_taken_only_for_periods_without_any() {
    let (h1, h2, q1, q3) = (
        preset(2022, Preset::FirstHalf),
        preset(2022, Preset::SecondHalf),
        preset(2022, Preset::Quarter(1)),
        preset(2022, Preset::Quarter(3)),
    );
    let mut settings = Settings::new("device".into());
    settings.set_notes(notes(&h1, "本机的问题", "本机的打算"));
    let imported = [
        notes(&h1, "对方的问题", "对方的打算"),
        notes(&h2, "", "对方的下半年打算"),
        notes(&q1, " ", ""),
        notes(&q3, "对方的三季度问题", ""),
        notes(&q3, "同一期的第二份", ""),
    ];
    assert_eq!(settings.adopt_notes(&imported), 2);
    assert_eq!(
        settings.notes_for(&h1).problems,
        "本机的问题",
        "this device's own win"
    );
    assert_eq!(settings.notes_for(&h2).plans, "对方的下半年打算");
    assert_eq!(
        settings.notes_for(&q3).problems,
        "对方的三季度问题",
        "the first one"
    );
    assert!(
        !settings
            .report_notes
            .iter()
            .any(|n| n.period == notes_key(&q1)),
        "empty notes are not taken"
    );
    // A second import of the same file changes nothing.
    let before = settings.clone();
    assert_eq!(settings.adopt_notes(&imported), 0);
    assert_eq!(settings, before);
}

#[test]
fn the_settings_keep_the_counted_types_and_the_reporting_unit() {
    let mut settings = Settings::new("device".into());
    assert_eq!(settings.counting, Counting::default());
    assert_eq!(settings.organisation, "");
    settings.counting = Counting {
        training_types: vec![TrainingType::Farmer],
    };
    settings.organisation = "营口市科学技术局".into();
    let json = serde_json::to_string(&settings).unwrap();
    assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
    // Settings from before the report load with the defaults.
    let old: Settings = serde_json::from_str(r#"{"device_id":"d","author":"王建国"}"#).unwrap();
    assert_eq!(
        (old.counting, old.report_notes, old.organisation),
        (Counting::default(), Vec::new(), String::new())
    );
}

fn full_export() -> ExportEnvelope {
    let h1 = preset(2022, Preset::FirstHalf);
    let custom = Period::custom(date!(2022 - 03 - 01), date!(2022 - 05 - 31));
    file_of(
        "3f2a9c1e-0000-4000-8000-000000000001",
        vec![record(1, training(TODAY))],
    )
    .with_targets(vec![YearTargets {
        trainings: 12,
        ..YearTargets::defaults(2022)
    }])
    .with_report_notes(vec![
        notes(&h1, "部分县区培训场次偏少", "下半年加强技术员培训"),
        notes(&custom, "", "\"引号\" <与> 换行\n第二行"),
    ])
}

#[test]
fn a_full_export_carries_the_notes_and_reads_back_with_them() {
    let envelope = full_export();
    let json = envelope.to_json().unwrap();
    let back = parse_export(&json, TODAY).unwrap();
    assert_eq!(back, envelope);
    assert_eq!(back.report_notes.len(), 2);
    assert_eq!(back.report_notes[1].plans, "\"引号\" <与> 换行\n第二行");
    // The schema knows them, and is not a rubber stamp for them.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let errors = export_schema_errors(&value);
    assert!(errors.is_empty(), "{errors:?}");
    let validator = export_validator();
    let mut broken = value.clone();
    broken["report_notes"][0]
        .as_object_mut()
        .unwrap()
        .remove("period");
    assert!(!validator.is_valid(&broken), "a note names its period");
    let mut broken = value.clone();
    broken["report_notes"][0]["problems"] = 7.into();
    assert!(!validator.is_valid(&broken));
    // Like the targets, the notes are outside the records' checksum.
    let mut edited = value;
    edited["report_notes"][0]["problems"] = "改过的问题".into();
    let back = parse_export(&edited.to_string(), TODAY).unwrap();
    assert_eq!(back.report_notes[0].problems, "改过的问题");
    assert_eq!(back.records, envelope.records);
    // An importing device takes them as it takes any notes.
    let mut settings = Settings::new("other".into());
    assert_eq!(settings.adopt_notes(&back.report_notes), 2);
}

#[test]
fn an_export_of_changes_carries_no_notes_and_no_targets() {
    let record = record(1, training(TODAY));
    let since = datetime!(2022-06-19 18:00 UTC);
    let draft = ExportDraft::new(
        vec![&record],
        "3f2a9c1e-0000-4000-8000-000000000001",
        NOW,
        Some(since),
        Carried::default(),
    )
    .unwrap();
    let text = String::from_utf8(draft.finish(&draft.sha256()).unwrap()).unwrap();
    assert!(!text.contains("report_notes"), "{text}");
    assert!(!text.contains("\"targets\""), "{text}");
    let back = parse_export(&text, TODAY).unwrap();
    assert_eq!(back.since, Some(since));
    assert!(back.report_notes.is_empty() && back.targets.is_empty());
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors = export_schema_errors(&value);
    assert!(errors.is_empty(), "{errors:?}");
}

// ---------------------------------------------------------------- typical cases

#[test]
fn the_typical_mark_is_written_only_when_true_and_survives_the_export_file() {
    let plain = record(1, training(TODAY));
    let typical = Record {
        typical: true,
        ..record(2, visit(TODAY))
    };
    let written = |r: &Record| serde_json::to_value(r).unwrap();
    assert_eq!(written(&typical)["typical"], true);
    assert!(written(&plain).get("typical").is_none());
    // An edit keeps the mark.
    let edited = typical.edited(visit(date!(2022 - 06 - 18)).into_body(), &officer(), NOW);
    assert!(edited.typical);

    let envelope = file_of("tablet", vec![plain.clone(), typical.clone()]);
    let json = envelope.to_json().unwrap();
    assert_eq!(json.matches("\"typical\"").count(), 1, "{json}");
    let back = parse_export(&json, TODAY).unwrap();
    assert_eq!(back, envelope);
    let by_id = |n| back.records.iter().find(|r| r.id == id(n)).unwrap();
    assert!(!by_id(1).typical && by_id(2).typical);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(export_schema_errors(&value).is_empty());
}

#[test]
fn the_typical_mark_is_stored_only_when_true_and_read_back() {
    let devices = stored::Devices::default();
    let plain = record(1, training(TODAY));
    let typical = Record {
        typical: true,
        ..record(2, technology("域稻17"))
    };
    let text = stored::encode(&typical, &devices).unwrap();
    assert!(text.contains("\"t\":true"), "{text}");
    assert_eq!(
        stored::decode(typical.id, &text, &devices).unwrap(),
        typical
    );
    let text = stored::encode(&plain, &devices).unwrap();
    assert!(!text.contains("\"t\""), "{text}");
    assert!(!stored::decode(plain.id, &text, &devices).unwrap().typical);
    // In a record's history too.
    let with_history = Record {
        history: vec![typical.edited(technology("域稻18").into_body(), &officer(), NOW)],
        ..typical.clone()
    };
    let text = stored::encode(&with_history, &devices).unwrap();
    assert_eq!(text.matches("\"t\":true").count(), 2, "{text}");
    assert_eq!(
        stored::decode(with_history.id, &text, &devices).unwrap(),
        with_history
    );
}

#[test]
fn typical_cases_of_a_period_are_the_live_marked_records_dated_in_it_in_date_order() {
    let mark = |r: Record| Record { typical: true, ..r };
    let h1 = preset(2022, Preset::FirstHalf);
    let mut ledger = ledger_of(vec![
        // 1, 2: marked, in the first half (listed by date: 2 before 1).
        visit(date!(2022 - 05 - 10)).into_body(),
        training(date!(2022 - 03 - 15)).into_body(),
        // 3: not marked.
        training(date!(2022 - 04 - 01)).into_body(),
        // 4: marked, in the second half.
        training(date!(2022 - 08 - 01)).into_body(),
        // 5: marked, promoted after the period but demonstrated in it.
        staged(
            technology("低成本可控生物降解地膜"),
            Some(date!(2021 - 11 - 01)),
            Some(date!(2022 - 04 - 20)),
            Some(date!(2022 - 09 - 20)),
        )
        .into_body(),
    ]);
    for n in [1, 2, 4, 5] {
        let marked = mark(ledger.get(&id(n)).unwrap().clone());
        ledger.put(marked);
    }
    // 6: marked, then deleted.
    ledger.put(mark(record(6, training(date!(2022 - 02 - 01)))).tombstone(&officer(), NOW));
    let listed: Vec<uuid::Uuid> = typical_in(&ledger, h1).iter().map(|r| r.id).collect();
    assert_eq!(listed, [id(2), id(1), id(5)]);
    let listed: Vec<uuid::Uuid> = typical_in(&ledger, preset(2022, Preset::SecondHalf))
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, [id(4), id(5)]);
    assert!(typical_in(&ledger, preset(2020, Preset::Year)).is_empty());
}
