//! Tier 1: records and what holds them, natively: serde round trips, revisions and
//! tombstones, the export envelope and its JSON writer against serde_json, dates and times as
//! text, settings. (What a form accepts is in `tests/form.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::settings::DEFAULT_COUNTIES;
use field_ledger::domain::*;
use time::macros::{date, datetime};
use uuid::Uuid;

use field_ledger_test_support as support;
use support::{
    TODAY, full_demand, full_team, full_technology, full_training, full_visit, officer, strings,
};

fn sample_records() -> Vec<Record> {
    let now = datetime!(2022-06-20 08:30 UTC);
    let training = Training {
        topic: "水稻病虫害绿色防控".into(),
        trainers: strings(&["李明", "张华"]),
        place: Place {
            county: "盖州市".into(),
            township: "九寨镇".into(),
            village: "五美房村".into(),
        },
        attendance: 45,
        start_time: Some(time::macros::time!(9:00)),
        end_time: Some(time::macros::time!(11:30)),
        ..Training::blank(TODAY)
    };
    let bodies = [
        training.into_body(),
        support::technology("低成本可控生物降解地膜").into_body(),
        support::visit(TODAY).into_body(),
    ];
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| Record::create(Uuid::from_u128(i as u128 + 1), body, &officer(), now))
        .collect()
}

#[test]
fn every_kind_survives_a_serde_round_trip() {
    for record in sample_records() {
        let json = serde_json::to_string(&record).unwrap();
        let back: Record = serde_json::from_str(&json).unwrap();
        assert_eq!(back, record);
    }
}

#[test]
fn records_serialise_with_their_kind_and_provenance_at_the_top() {
    let record = &sample_records()[0];
    let value = serde_json::to_value(record).unwrap();
    assert_eq!(value["kind"], "training");
    assert_eq!(value["revision"], 1);
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    assert_eq!(value["author"], "王建国");
    assert_eq!(value["created_at"], "2022-06-20T08:30:00Z");
    assert_eq!(value["data"]["date"], "2022-06-20");
    assert_eq!(value["data"]["start_time"], "09:00");
    assert_eq!(value["data"]["attendance"], 45);
    assert_eq!(value["deleted"], false);
}

#[test]
fn an_edit_raises_the_revision_and_keeps_the_identity() {
    let original = sample_records().remove(0);
    let later = datetime!(2022-06-21 10:00 UTC);
    let other = Author {
        device_id: "other-device".into(),
        name: "李娜".into(),
    };
    let RecordBody::Training(mut training) = original.body.clone() else {
        panic!("training expected")
    };
    training.attendance = 50;
    let edited = original.edited(RecordBody::Training(training), &other, later);
    assert_eq!(edited.id, original.id);
    assert_eq!(edited.revision, 2);
    assert_eq!(edited.created_at, original.created_at);
    assert_eq!(edited.updated_at, later);
    assert_eq!(edited.device_id, "other-device");
    assert_eq!(edited.author, "李娜");
    let again = edited.edited(edited.body.clone(), &other, later);
    assert_eq!(again.revision, 3);
}

#[test]
fn a_delete_is_a_tombstone_that_keeps_the_body() {
    let original = sample_records().remove(1);
    let tomb = original.tombstone(&officer(), datetime!(2022-06-22 00:00 UTC));
    assert!(tomb.deleted);
    assert_eq!(tomb.revision, 2);
    assert_eq!(tomb.body, original.body);
    let json = serde_json::to_string(&tomb).unwrap();
    assert!(serde_json::from_str::<Record>(&json).unwrap().deleted);

    let ledger = Ledger::from_records(vec![tomb.clone()]);
    assert_eq!(ledger.count(RecordKind::Technology), 0);
    assert!(ledger.list(RecordKind::Technology).is_empty());
    assert!(ledger.live(&tomb.id).is_none());
    assert_eq!(ledger.all().count(), 1, "the tombstone still travels");
}

#[test]
fn lists_show_newest_first_and_count_live_records_per_kind() {
    let mut records = sample_records();
    let mut older = records[0].clone();
    older.id = Uuid::from_u128(99);
    if let RecordBody::Training(t) = &mut older.body {
        t.date = date!(2022 - 03 - 01);
    }
    records.push(older.clone());
    let ledger = Ledger::from_records(records.clone());
    let trainings = ledger.list(RecordKind::Training);
    assert_eq!(
        trainings.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![records[0].id, older.id]
    );
    assert_eq!(ledger.count(RecordKind::Training), 2);
    assert_eq!(ledger.count(RecordKind::Technology), 1);
    assert_eq!(ledger.count(RecordKind::Visit), 1);
}

#[test]
fn the_export_envelope_holds_every_record_and_names_its_file() {
    let mut records = sample_records();
    let tomb = records[2].tombstone(&officer(), datetime!(2022-06-21 00:00 UTC));
    records[2] = tomb;
    let envelope = ExportEnvelope::new(
        records.clone(),
        &officer().device_id,
        datetime!(2022-06-22 09:15 UTC),
        None,
    );
    assert_eq!(
        envelope.file_name(),
        "field-ledger-3f2a9c1e-2022-06-22.json"
    );
    let json = envelope.to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], EXPORT_FORMAT);
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    assert_eq!(value["app_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(value["device_id"], officer().device_id);
    assert_eq!(value["exported_at"], "2022-06-22T09:15:00Z");
    let back: ExportEnvelope = serde_json::from_str(&json).unwrap();
    assert_eq!(back.records.len(), 3);
    assert!(
        back.records.iter().any(|r| r.deleted),
        "tombstones included"
    );
    for record in &records {
        assert!(back.records.contains(record));
    }
}

#[test]
fn settings_offer_default_counties_and_user_additions() {
    let mut settings = Settings::new("dev".into());
    assert_eq!(settings.counties().len(), DEFAULT_COUNTIES.len());
    assert_eq!(settings.counties()[0], "站前区");
    assert!(settings.add_county(" 营口仙人岛能源化工区 "));
    assert!(!settings.add_county("盖州市"), "already a default");
    assert!(!settings.add_county("  "));
    assert_eq!(settings.counties().last().unwrap(), "营口仙人岛能源化工区");
    let json = serde_json::to_string(&settings).unwrap();
    assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
    // A settings value from before a field existed still loads.
    let old: Settings = serde_json::from_str(r#"{"device_id":"d"}"#).unwrap();
    assert_eq!(old.language, Language::Zh);
}

mod order {
    use field_ledger::domain::order;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The app's sort puts items in the same order as the standard library's stable sort,
        /// ties (same key, different tag) included.
        #[test]
        fn sorts_as_the_standard_stable_sort(items in prop::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut expected = items.clone();
            expected.sort_by_key(|(key, _)| *key);
            let mut sorted = items.clone();
            order::sort_by_key(&mut sorted, |(key, _)| *key);
            prop_assert_eq!(&sorted, &expected);
            let mut descending = items;
            order::sort_by(&mut descending, |a, b| b.0.cmp(&a.0));
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            prop_assert_eq!(descending, expected);
        }
    }
}

mod datetime_text {
    use field_ledger::domain::datetime_text::*;
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, UtcOffset};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The hand-written RFC 3339 text is exactly what `time` writes and reads back.
        #[test]
        fn rfc3339_matches_the_time_crate(
            seconds in 946_684_800i64..4_102_444_800,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|m| m * 1_000_000)],
            offset_minutes in prop_oneof![Just(0i32), -720i32..=840],
        ) {
            let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
            let at = OffsetDateTime::from_unix_timestamp(seconds).unwrap()
                .replace_nanosecond(nanos).unwrap()
                .to_offset(offset);
            let expected = at.format(&Rfc3339).unwrap();
            prop_assert_eq!(format_rfc3339(at), expected.clone());
            prop_assert_eq!(parse_rfc3339(&expected), Some(at));
            prop_assert_eq!(parse_date(&format_date(at.date())), Some(at.date()));
        }

        /// Whatever is typed or imported, the readers never panic, and what they do read is
        /// the text they write (nothing around it, no other spelling), but for a time's
        /// seconds and the letter case and precision of a timestamp.
        #[test]
        fn readers_take_only_the_text_they_write(
            text in prop_oneof![
                ".{0,40}",
                "[ ]?[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?[ ]?",
                "[ ]?[0-9]{2}:[0-9]{2}(:[0-9]{2})?[ ]?",
            ],
        ) {
            if let Some(date) = parse_date(&text) {
                prop_assert_eq!(format_date(date), text.clone());
            }
            if let Some(time) = parse_time(&text) {
                let written = format_time(time);
                prop_assert!(
                    text == written || (text.starts_with(&written) && text.len() == 8),
                    "{:?} read as {}", text, written
                );
            }
            if let Some(at) = parse_rfc3339(&text) {
                prop_assert_eq!(parse_rfc3339(&format_rfc3339(at)), Some(at));
                prop_assert!(!text.starts_with(' ') && !text.ends_with(' '), "{:?}", text);
            }
        }
    }

    #[test]
    fn only_the_fixed_formats_are_read() {
        assert_eq!(format_time(parse_time("08:05").unwrap()), "08:05");
        assert!(parse_time("08:05:30").is_some());
        for bad in ["8:05", "08-05", "24:00", "08:60", "0805", "０８:05"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        for bad in [
            "2022-6-1",
            "2022/06/01",
            "2022-02-30",
            "22-06-01",
            "2022-06-01T00:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for bad in [
            "2022-06-01",
            "2022-06-01T08:00:00",
            "2022-06-01T08:00:00+0800",
            "2022-06-01T08:00:00.Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert!(parse_rfc3339("2022-06-01t08:00:00z").is_some());
    }
}

/// Compact JSON with every object's keys sorted, written independently of the app's code.
fn canonical(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let fields: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), canonical(v)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// Records of every kind with every field filled, a history, a typical case, a tombstone and
/// a sample: all the shapes a record's JSON can take.
fn records_with_every_field() -> Vec<Record> {
    let at = datetime!(2022-06-12 08:00:00.5 +08:00);
    let trained = Record::create(
        Uuid::from_u128(1),
        full_training().into_body(),
        &officer(),
        at,
    );
    let mut edited = trained.edited(trained.body.clone(), &officer(), at + time::Duration::HOUR);
    edited.history = vec![trained.clone()];
    edited.typical = true;
    let sample = Record {
        sample: true,
        ..Record::create(
            Uuid::from_u128(support::FULL_TECHNOLOGY),
            full_technology().into_body(),
            &officer(),
            at,
        )
    };
    let visited = Record::create(Uuid::from_u128(3), full_visit().into_body(), &officer(), at);
    let deleted = visited.tombstone(&officer(), at + time::Duration::DAY);
    let team = Record::create(
        Uuid::from_u128(support::FULL_TEAM),
        full_team().into_body(),
        &officer(),
        at,
    );
    let demand = Record::create(
        Uuid::from_u128(support::FULL_DEMAND),
        full_demand().into_body(),
        &officer(),
        at,
    );
    vec![edited, sample, deleted, team, demand]
}

/// The fields of a body that hold nothing.
fn empty_fields<K: Kind>(body: &K) -> Vec<Field> {
    K::FIELDS
        .iter()
        .filter(|spec| spec.shown(body).is_empty())
        .map(|spec| spec.field)
        .collect()
}

#[test]
fn the_records_with_every_field_do_fill_every_field_of_every_kind() {
    assert_eq!(empty_fields(&full_training()), []);
    assert_eq!(empty_fields(&full_technology()), []);
    assert_eq!(empty_fields(&full_visit()), []);
    assert_eq!(empty_fields(&full_team()), []);
    assert_eq!(empty_fields(&full_demand()), []);
    let kinds: Vec<RecordKind> = records_with_every_field()
        .iter()
        .map(Record::kind)
        .collect();
    for kind in RecordKind::ALL {
        assert!(kinds.contains(&kind), "{kind:?}");
    }
    // The check is no rubber stamp: a blank body leaves most fields empty.
    assert!(empty_fields(&Visit::blank(TODAY)).contains(&Field::Host));
    assert!(empty_fields(&Training::blank(TODAY)).contains(&Field::Topic));
    assert!(empty_fields(&Technology::blank(TODAY)).contains(&Field::Name));
}

#[test]
fn a_date_with_anything_around_it_is_refused_in_a_stored_or_imported_record() {
    let record = &sample_records()[0];
    let json = serde_json::to_value(record).unwrap();
    assert!(serde_json::from_value::<Record>(json.clone()).is_ok());
    for bad in [
        " 2022-06-20",
        "2022-06-20 ",
        "2022-6-20",
        "２０２２-06-20",
        "2022-06-20T00:00",
    ] {
        let mut edited = json.clone();
        edited["data"]["date"] = bad.into();
        assert!(
            serde_json::from_value::<Record>(edited).is_err(),
            "{bad:?} read as a date"
        );
    }
    let mut edited = json.clone();
    edited["data"]["start_time"] = " 09:00".into();
    assert!(serde_json::from_value::<Record>(edited).is_err());
    let technology = serde_json::to_value(&sample_records()[1]).unwrap();
    let mut edited = technology.clone();
    edited["data"]["introduced_on"] = "2022-03-01 ".into();
    assert!(serde_json::from_value::<Record>(edited).is_err());
    // An import is read the same way: the file is refused, with the record named.
    let envelope = ExportEnvelope::new(
        vec![record.clone()],
        &officer().device_id,
        datetime!(2022-06-22 09:15 UTC),
        None,
    );
    let json = envelope.to_json().unwrap();
    assert!(json.contains("\"date\":\"2022-06-20\""));
    let file = json.replace("\"date\":\"2022-06-20\"", "\"date\":\" 2022-06-20\"");
    assert!(matches!(
        parse_export(&file, TODAY).unwrap_err()[..],
        [ImportProblem::BadRecord { index: 0, .. }]
    ));
}

#[test]
fn a_record_is_written_as_canonical_json_so_the_export_checksum_needs_one_pass() {
    for record in records_with_every_field() {
        let written = serde_json::to_string(&record).unwrap();
        let value: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(written, canonical(&value), "keys out of order");
        let back: Record = serde_json::from_str(&written).unwrap();
        assert_eq!(back, record);
    }
}

#[test]
fn an_export_with_every_field_passes_the_import_checks_and_reads_back() {
    let envelope = ExportEnvelope::new(
        records_with_every_field(),
        &officer().device_id,
        datetime!(2022-06-22 09:15 UTC),
        Some(datetime!(2022-06-01 00:00 UTC)),
    );
    let json = envelope.to_json().unwrap();
    assert_eq!(parse_export(&json, TODAY), Ok(envelope.clone()));
    // One record per line, so that a person can read (and diff) the file.
    let record_lines = json
        .lines()
        .filter(|l| l.trim_start().starts_with("{\"author\""))
        .count();
    assert_eq!(record_lines, envelope.records.len());
    // The checksum is that of the records' canonical JSON, as any tool would compute it.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let stated = value["checksum"].as_str().unwrap();
    let records = canonical(&value["records"]);
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(records.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stated, format!("sha256:{digest}"));
}

mod json_writer {
    use super::records_with_every_field;
    use field_ledger::domain::json_writer::write_json;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn written<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write_json(&mut out, value).unwrap();
        out
    }

    #[test]
    fn records_are_written_as_serde_json_writes_them() {
        for record in records_with_every_field() {
            assert_eq!(
                String::from_utf8(written(&record)).unwrap(),
                serde_json::to_string(&record).unwrap()
            );
        }
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(String),
        Tuple(u8, String),
        Struct { text: String, n: f64 },
    }

    #[derive(Serialize)]
    struct Everything {
        text: String,
        list: Vec<String>,
        maybe: Option<String>,
        none: Option<u32>,
        flag: bool,
        numbers: (i64, u64, f64, f32),
        letter: char,
        shapes: Vec<Shape>,
        by_name: BTreeMap<String, u32>,
        by_number: BTreeMap<u32, bool>,
        unit: (),
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any text (control characters, quotes, backslashes, Chinese, emoji) and every kind
        /// of value come out exactly as serde_json writes them.
        #[test]
        fn any_value_is_written_as_serde_json_writes_it(
            text in "(?s).{0,40}",
            list in proptest::collection::vec("[\"\\\\\\x00-\\x1f水稻a-z ]{0,12}", 0..4),
            float in proptest::num::f64::ANY,
            small in proptest::num::f32::ANY,
            int in any::<i64>(),
            letter in any::<char>(),
        ) {
            let value = Everything {
                text: text.clone(),
                list: list.clone(),
                maybe: Some(text.clone()),
                none: None,
                flag: int % 2 == 0,
                numbers: (int, int.unsigned_abs(), float, small),
                letter,
                shapes: vec![
                    Shape::Unit,
                    Shape::Newtype(text.clone()),
                    Shape::Tuple(7, text.clone()),
                    Shape::Struct { text: text.clone(), n: float },
                ],
                by_name: list.iter().cloned().zip(0..).collect(),
                by_number: [(1, true), (20, false)].into(),
                unit: (),
            };
            prop_assert_eq!(written(&value), serde_json::to_vec(&value).unwrap());
            prop_assert_eq!(written(&text), serde_json::to_vec(&text).unwrap());
        }
    }

    #[test]
    fn a_map_key_that_is_not_text_is_refused_as_serde_json_refuses_it() {
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(serde_json::to_vec(&map).is_err());
        assert!(write_json(&mut Vec::new(), &map).is_err());
    }
}

#[test]
fn each_kind_names_itself_once_and_its_names_do_not_clash() {
    use std::collections::BTreeSet;
    for kind in RecordKind::ALL {
        // The name in records and exports is the kind's serde name.
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        assert!(kind.since_schema() >= 1 && kind.since_schema() <= SCHEMA_VERSION);
    }
    let distinct = |names: Vec<&str>| names.iter().collect::<BTreeSet<_>>().len() == names.len();
    assert!(distinct(RecordKind::ALL.map(RecordKind::name).to_vec()));
    assert!(distinct(RecordKind::ALL.map(RecordKind::segment).to_vec()));
    // A kind's stored tag is none of the stored form's other names.
    let mut stored: Vec<&str> = RecordKind::ALL.map(RecordKind::stored_tag).to_vec();
    stored.extend(["s", "i", "c", "u", "r", "d", "a", "o", "x", "e", "t", "h"]);
    assert!(distinct(stored));
}
