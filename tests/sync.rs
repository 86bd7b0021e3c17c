//! Tier 1: the handoff between devices — merge laws (property tests), import checks, the
//! JSON Schema of the export, CSV, and a thousand hostile import files.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::csv_export;
use field_ledger::domain::merge::{MergeReport, merge_record};
use field_ledger::domain::*;
use field_ledger::storage::Store;
use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use field_ledger_test_support as support;
use support::schema::{export_schema_errors, export_validator};
use support::{Faulty, author, staged, strings, technology, training_about as body};

const TODAY: time::Date = date!(2022 - 06 - 30);

fn base(id: u128) -> Record {
    Record::create(
        Uuid::from_u128(id),
        body("水稻育秧"),
        &author("a"),
        datetime!(2022-06-01 00:00 UTC),
    )
}

fn at(hours: i64) -> OffsetDateTime {
    datetime!(2022-06-01 00:00 UTC) + Duration::hours(hours)
}

fn merged(files: &[&[Record]]) -> Ledger {
    let mut ledger = Ledger::default();
    for file in files {
        ledger.merge(file.iter().cloned());
    }
    ledger
}

// ---- merge rules by example -------------------------------------------------------------

#[test]
fn a_higher_revision_wins_and_the_older_one_is_kept_in_history() {
    let v1 = base(1);
    let v2 = v1.edited(body("水稻育秧（修订）"), &author("b"), at(5));
    let ledger = merged(&[std::slice::from_ref(&v1), std::slice::from_ref(&v2)]);
    let shown = ledger.get(&v1.id).unwrap();
    assert_eq!(shown.revision, 2);
    assert_eq!(shown.body, v2.body);
    assert_eq!(shown.history, vec![v1]);
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let file = vec![base(1), base(2), base(3).tombstone(&author("a"), at(1))];
    let mut ledger = Ledger::default();
    let (first, written) = ledger.merge(file.clone());
    assert_eq!((first.added, first.deleted), (2, 1));
    assert_eq!(written.len(), 3);
    let before = ledger.clone();
    let (second, written) = ledger.merge(file);
    assert_eq!(second.unchanged, 3);
    assert!(written.is_empty(), "nothing to write");
    assert_eq!(ledger, before);
}

#[test]
fn a_delete_wins_over_the_revision_it_deleted_and_a_later_edit_brings_it_back() {
    let v1 = base(1);
    let tomb = v1.tombstone(&author("a"), at(2));
    let ledger = merged(&[std::slice::from_ref(&tomb), std::slice::from_ref(&v1)]);
    assert!(ledger.get(&v1.id).unwrap().deleted);
    assert_eq!(ledger.count(RecordKind::Training), 0);

    let revived = tomb.edited(body("恢复的培训"), &author("b"), at(3));
    let mut ledger = ledger;
    let (report, _) = ledger.merge([revived.clone()]);
    assert_eq!(report.updated, 1);
    assert!(!ledger.get(&v1.id).unwrap().deleted);
    assert_eq!(ledger.count(RecordKind::Training), 1);
}

#[test]
fn two_edits_of_the_same_revision_conflict_and_both_are_kept() {
    let v1 = base(1);
    let on_a = v1.edited(body("A 的修改"), &author("a"), at(4));
    let on_b = v1.edited(body("B 的修改"), &author("b"), at(4));
    let mut ledger = merged(&[std::slice::from_ref(&v1), std::slice::from_ref(&on_a)]);
    let (report, written) = ledger.merge([on_b.clone()]);
    assert_eq!(report.conflicts, vec![v1.id]);
    assert_eq!(written.len(), 1);
    let shown = ledger.get(&v1.id).unwrap();
    // Deterministic winner: same revision and time, so the larger device id.
    assert_eq!(shown.body, on_b.body);
    assert!(shown.history.contains(&on_a), "the losing edit is kept");
    assert!(shown.history.contains(&v1));
    // The other order gives the same ledger.
    assert_eq!(merged(&[&[on_b], &[v1], &[on_a]]), ledger);
}

#[test]
fn restoring_a_version_from_history_makes_a_new_revision() {
    let v1 = base(1);
    let v2 = v1.edited(body("改错了"), &author("b"), at(1));
    let ledger = merged(&[&[v1.clone(), v2]]);
    let shown = ledger.get(&v1.id).unwrap();
    let restored = shown.restored(&shown.history[0], &author("c"), at(2));
    assert_eq!(restored.revision, 3);
    assert_eq!(restored.body, v1.body);
    assert_eq!(restored.device_id, "c");
    assert_eq!(restored.history, shown.history);
}

// ---- merge laws as properties ------------------------------------------------------------

fn arb_version() -> impl Strategy<Value = Record> {
    (
        0u128..3,
        1u32..4,
        0i64..3,
        prop::sample::select(vec!["a", "b", "c"]),
        any::<bool>(),
        0usize..3,
    )
        .prop_map(|(id, revision, hours, device, deleted, topic)| {
            let mut record = base(id);
            record.revision = revision;
            record.updated_at = at(hours);
            record.device_id = device.into();
            record.author = format!("officer {device}");
            record.deleted = deleted;
            record.body = body(["玉米", "大豆", "水稻"][topic]);
            record
        })
}

/// A file as a device would export it: versions, some carrying histories from earlier merges.
fn arb_file() -> impl Strategy<Value = Vec<Record>> {
    prop::collection::vec(
        (arb_version(), prop::collection::vec(arb_version(), 0..3)),
        0..6,
    )
    .prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(version, others)| {
                others
                    .into_iter()
                    .filter(|o| o.id == version.id)
                    .fold(version.clone(), |acc, o| merge_record(&acc, &o))
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn merging_is_commutative(a in arb_file(), b in arb_file()) {
        prop_assert_eq!(merged(&[&a, &b]), merged(&[&b, &a]));
    }

    #[test]
    fn merging_is_associative(a in arb_file(), b in arb_file(), c in arb_file()) {
        let bc: Vec<Record> = merged(&[&b, &c]).all().cloned().collect();
        let ab: Vec<Record> = merged(&[&a, &b]).all().cloned().collect();
        prop_assert_eq!(merged(&[&a, &bc]), merged(&[&ab, &c]));
        prop_assert_eq!(merged(&[&a, &b, &c]), merged(&[&a, &bc]));
    }

    #[test]
    fn merging_is_idempotent(a in arb_file(), b in arb_file()) {
        let mut ledger = merged(&[&a, &b]);
        let before = ledger.clone();
        let (report, written) = ledger.merge(a.clone());
        prop_assert_eq!(&ledger, &before);
        prop_assert!(written.is_empty());
        prop_assert_eq!(report.unchanged, a.len());
    }

    #[test]
    fn a_new_record_is_stored_as_its_merge_with_itself(file in arb_file()) {
        // The ledger takes a new record without history as it is (no copy): that must be
        // what merging it with itself gives, history or not.
        let mut ledger = Ledger::default();
        for record in &file {
            if ledger.get(&record.id).is_none() {
                let (_, written) = ledger.merge([record.clone()]);
                prop_assert_eq!(ledger.get(&record.id), Some(&merge_record(record, record)));
                prop_assert_eq!(written, vec![merge_record(record, record)]);
            }
        }
    }

    #[test]
    fn no_version_is_ever_lost(a in arb_file(), b in arb_file()) {
        let ledger = merged(&[&a, &b]);
        for version in a.iter().chain(&b).flat_map(|r| std::iter::once(r).chain(&r.history)) {
            let kept = ledger.get(&version.id).unwrap();
            let plain = version.without_history();
            prop_assert!(kept.without_history() == plain || kept.history.contains(&plain));
        }
    }
}

// ---- the export file and its checks ------------------------------------------------------

fn sample_envelope() -> ExportEnvelope {
    let technology = Record::create(
        Uuid::from_u128(7),
        Technology {
            name: "滨海重盐碱地加速改良培育与产能提升".into(),
            partners: strings(&["营口国丰生态农业", "中科院南京土壤研究所"]),
            promoted_area_mu: Some(3000.0),
            ..staged(
                technology(""),
                Some(date!(2022 - 02 - 01)),
                Some(date!(2022 - 04 - 01)),
                Some(date!(2022 - 06 - 01)),
            )
        }
        .into_body(),
        &author("a"),
        at(1),
    );
    let v1 = base(1);
    let conflicted = merge_record(
        &v1.edited(body("甲"), &author("a"), at(2)),
        &v1.edited(body("乙"), &author("b"), at(2)),
    );
    let records = vec![
        Record {
            typical: true,
            ..conflicted
        },
        base(2).tombstone(&author("a"), at(3)),
        technology,
    ];
    ExportEnvelope::new(
        records,
        "3f2a9c1e-1111-4000-8000-000000000001",
        at(10),
        None,
    )
}

#[test]
fn an_export_reads_back_exactly() {
    let envelope = sample_envelope();
    let json = envelope.to_json().unwrap();
    assert_eq!(parse_export(&json, TODAY).unwrap(), envelope);
}

#[test]
fn exports_match_the_json_schema_in_the_repo() {
    let validator = export_validator();
    let export: serde_json::Value =
        serde_json::from_str(&sample_envelope().to_json().unwrap()).unwrap();
    let errors = export_schema_errors(&export);
    assert!(errors.is_empty(), "{errors:?}");
    // The schema is not a rubber stamp.
    let mut broken = export.clone();
    broken["records"][0]["data"]["attendance"] = (-1).into();
    assert!(!validator.is_valid(&broken));
    let mut broken = export;
    broken["records"][0]["kind"] = "harvest".into();
    assert!(!validator.is_valid(&broken));
}

fn rejection(text: &str) -> Vec<ImportProblem> {
    parse_export(text, TODAY).expect_err("must be rejected")
}

#[test]
fn each_reason_to_reject_a_file_is_reported() {
    let good: serde_json::Value =
        serde_json::from_str(&sample_envelope().to_json().unwrap()).unwrap();
    let edit = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut value = good.clone();
        change(&mut value);
        value.to_string()
    };

    assert!(matches!(
        rejection("{\"format\": \"field-le")[0],
        ImportProblem::NotJson(_)
    ));
    assert_eq!(rejection("[1, 2]"), vec![ImportProblem::NotAnExport]);
    assert_eq!(
        rejection(&edit(&|v| v["format"] = "other-app".into())),
        vec![ImportProblem::NotAnExport]
    );
    assert_eq!(
        rejection(&edit(&|v| v["schema_version"] = 4.into())),
        vec![ImportProblem::NewerSchema(4)]
    );
    assert_eq!(
        rejection(&edit(&|v| v["schema_version"] = 0.into())),
        vec![ImportProblem::UnknownSchema(0)]
    );
    assert!(matches!(
        rejection(&edit(&|v| v["records"] = "none".into()))[0],
        ImportProblem::BadEnvelope(_)
    ));
    assert!(matches!(
        rejection(&edit(&|v| v["exported_at"] = 5.into()))[0],
        ImportProblem::BadEnvelope(_)
    ));
    assert_eq!(
        rejection(&edit(
            &|v| v["records"][2]["data"]["promoted_area_mu"] = 3001.into()
        )),
        vec![ImportProblem::ChecksumMismatch],
        "an edited value"
    );
    assert_eq!(
        rejection(&edit(&|v| {
            v["records"].as_array_mut().unwrap().pop();
        })),
        vec![ImportProblem::ChecksumMismatch],
        "a record cut off"
    );
    assert!(matches!(
        rejection(&edit(&|v| v["records"][1]["kind"] = "harvest".into()))[0],
        ImportProblem::BadRecord { index: 1, .. }
    ));
    assert!(matches!(
        rejection(&edit(
            &|v| v["records"][0]["data"]["attendance"] = (-3).into()
        ))[0],
        ImportProblem::BadRecord { index: 0, .. }
    ));
    assert!(matches!(
        rejection(&edit(&|v| v["records"][0]["data"]["topic"] = "".into()))[0],
        ImportProblem::InvalidRecord { index: 0, .. }
    ));
    assert_eq!(
        rejection(&edit(
            &|v| v["records"][1]["id"] = v["records"][0]["id"].clone()
        )),
        vec![ImportProblem::DuplicateId { index: 1 }]
    );
    assert_eq!(
        rejection(&edit(
            &|v| v["records"][0]["history"][0]["id"] = Uuid::from_u128(9).to_string().into()
        )),
        vec![ImportProblem::BadHistory { index: 0 }]
    );
}

/// Deterministic pseudo-random numbers (xorshift), so every run tries the same inputs.
struct Dice(u64);
impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Malformed and hostile variations of a valid export.
fn hostile_inputs(count: usize) -> Vec<String> {
    let good = sample_envelope().to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&good).unwrap();
    let payloads: Vec<serde_json::Value> = vec![
        serde_json::Value::Null,
        (-1).into(),
        1e300.into(),
        "<script>alert(1)</script>".into(),
        "\u{202e}evil".into(),
        "长".repeat(30_000).into(),
        serde_json::json!({"nested": [1, {"deep": true}]}),
        serde_json::json!([]),
        true.into(),
        u64::MAX.into(),
    ];
    let paths: Vec<Vec<&str>> = vec![
        vec!["format"],
        vec!["schema_version"],
        vec!["exported_at"],
        vec!["checksum"],
        vec!["records"],
        vec!["records", "0"],
        vec!["records", "0", "id"],
        vec!["records", "0", "kind"],
        vec!["records", "0", "revision"],
        vec!["records", "0", "data"],
        vec!["records", "0", "data", "attendance"],
        vec!["records", "0", "data", "topic"],
        vec!["records", "0", "data", "date"],
        vec!["records", "2", "data", "stage"],
        vec!["records", "2", "data", "promoted_area_mu"],
        vec!["records", "1", "deleted"],
        vec!["records", "0", "history"],
    ];
    let mut dice = Dice(0x5eed_f1e1_d1ed_9e55);
    let mut inputs = Vec::with_capacity(count);
    while inputs.len() < count {
        let input = match dice.below(4) {
            // Cut off anywhere (a file copied to a USB stick that was pulled too early).
            0 => {
                let mut cut = dice.below(good.len());
                while !good.is_char_boundary(cut) {
                    cut -= 1;
                }
                good[..cut].to_owned()
            }
            // One value replaced by something of the wrong type or hostile content.
            1 | 2 => {
                let mut v = value.clone();
                let path = &paths[dice.below(paths.len())];
                let mut slot = &mut v;
                for step in path {
                    slot = match step.parse::<usize>() {
                        Ok(i) => &mut slot[i],
                        Err(_) => &mut slot[*step],
                    };
                }
                *slot = payloads[dice.below(payloads.len())].clone();
                v.to_string()
            }
            // Bytes flipped.
            _ => {
                let mut bytes = good.clone().into_bytes();
                for _ in 0..1 + dice.below(4) {
                    let i = dice.below(bytes.len());
                    bytes[i] = b"{}[],:\"0a\\"[dice.below(10)];
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        if input != good {
            inputs.push(input);
        }
    }
    inputs
}

#[test]
fn a_thousand_hostile_files_are_refused_without_panic_and_change_nothing() {
    let kv = Faulty::memory();
    let store = Store::open(kv.boxed()).unwrap();
    let mut ledger = Ledger::from_records([base(100), base(101)]);
    store
        .save_records(&ledger.all().cloned().collect::<Vec<_>>())
        .unwrap();
    let before_store = kv.dump();
    let before_ledger = ledger.clone();
    let sample = sample_envelope();

    let inputs = hostile_inputs(1_000);
    let mut refused = 0;
    for input in &inputs {
        // The import path: check the file in full; only a file that passes is merged and written.
        match parse_export(input, TODAY) {
            Err(problems) => {
                assert!(!problems.is_empty());
                refused += 1;
            }
            Ok(envelope) => {
                // A mutation the checks accept can only have touched the envelope's own text
                // fields (a flipped byte in the device id, say): the checksum guards the records.
                assert_eq!(envelope.records, sample.records);
                let (_, written) = ledger.merge(envelope.records);
                store.save_records(&written).unwrap();
            }
        }
    }
    println!(
        "hostile import inputs tried: {}, refused: {refused}",
        inputs.len()
    );
    assert!(refused >= 950, "only {refused} of {} refused", inputs.len());
    // What is stored is what was there, plus at most the sample's own records, unchanged.
    let mut expected = before_ledger;
    if refused < inputs.len() {
        expected.merge(sample.records.clone());
    }
    assert_eq!(ledger, expected);
    let mut stored = Store::open(kv.boxed())
        .unwrap()
        .load_records()
        .unwrap()
        .records;
    stored.sort_by_key(|r| r.id);
    assert_eq!(stored, expected.all().cloned().collect::<Vec<_>>());
    if refused == inputs.len() {
        assert_eq!(kv.dump(), before_store);
    }
}

// ---- CSV ---------------------------------------------------------------------------------

/// A CSV file's header and rows, read back as a spreadsheet would split them.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

#[test]
fn csv_tables_round_trip_and_neutralise_formulas_but_not_numbers() {
    let headers = ["日期", "主题", "备注"];
    let rows = vec![
        vec![
            "2022-06-01".to_owned(),
            "水稻,育秧 \"高产\"".to_owned(),
            "第一行\n第二行".to_owned(),
        ],
        vec![
            "2022-06-02".to_owned(),
            "=HYPERLINK(\"http://x\")".to_owned(),
            "+1".to_owned(),
        ],
        vec![
            "2022-06-03".to_owned(),
            "-x".to_owned(),
            "@SUM(A1)".to_owned(),
        ],
        vec![
            "2022-06-04".to_owned(),
            "\tTAB".to_owned(),
            "\rCR".to_owned(),
        ],
        vec!["-33.5".to_owned(), "-5".to_owned(), "-1-1".to_owned()],
    ];
    let (read_headers, read) = read_csv(&csv_export::table(&headers, &rows).unwrap());
    assert_eq!(read_headers, headers);
    assert_eq!(
        read[0], rows[0],
        "Chinese, commas, quotes and new lines survive"
    );
    assert_eq!(read[1][1], "'=HYPERLINK(\"http://x\")");
    assert_eq!(
        read[1][2], "'+1",
        "a plus sign starts a formula, even before digits"
    );
    assert_eq!(read[2][1], "'-x");
    assert_eq!(read[2][2], "'@SUM(A1)");
    assert_eq!(read[3][1], "'\tTAB");
    assert_eq!(read[3][2], "'\rCR");
    assert_eq!(
        read[4],
        ["-33.5", "-5", "'-1-1"],
        "negative numbers stay numbers; a sum is not one"
    );
}

#[test]
fn a_records_csv_row_keeps_numbers_as_numbers_and_neutralises_typed_formulas() {
    use field_ledger::components::labels;
    use field_ledger::components::record_text::csv_rows;
    use field_ledger::i18n::Locale;

    let visit = Record::create(
        Uuid::from_u128(1),
        Visit {
            host: "@x".into(),
            problems: "=1+1".into(),
            advice: "+x".into(),
            notes: "-x".into(),
            location: Some(GeoPoint {
                latitude: -12.25,
                longitude: -33.5,
                accuracy_m: Some(5.0),
                captured_at: None,
            }),
            ..support::visit(date!(2022 - 06 - 01))
        }
        .into_body(),
        &author("a"),
        at(0),
    );
    for locale in [Locale::zh, Locale::en] {
        let (headers, rows) = csv_rows(locale, RecordKind::Visit, &[&visit]);
        let (read_headers, read) = read_csv(&csv_export::table(&headers, &rows).unwrap());
        assert_eq!(read.len(), 1);
        let cell = |field: Field| {
            let label = labels::field(locale, field);
            let column = read_headers
                .iter()
                .position(|h| h == label)
                .unwrap_or_else(|| panic!("no column {label}"));
            read[0][column].clone()
        };
        assert_eq!(cell(Field::Latitude), "-12.25");
        assert_eq!(cell(Field::Longitude), "-33.5");
        assert_eq!(cell(Field::Host), "'@x");
        assert_eq!(cell(Field::Problems), "'=1+1");
        assert_eq!(cell(Field::Advice), "'+x");
        assert_eq!(cell(Field::Notes), "'-x");
        assert_eq!(cell(Field::Date), "2022-06-01");
    }
}

// ---- export of changes ---------------------------------------------------------------------

#[test]
fn an_export_of_changes_carries_what_this_device_wrote_since_its_last_export() {
    let mine = base(1);
    let theirs = Record::create(Uuid::from_u128(2), body("外来"), &author("b"), at(1));
    let older = base(3);
    let mut ledger = Ledger::from_records([mine.clone(), theirs, older.clone()]);
    let last_export = at(3);
    let edited = older.edited(body("导出后修改"), &author("a"), at(4));
    ledger.put(edited.clone());
    let deleted = mine.tombstone(&author("a"), at(5));
    ledger.put(deleted.clone());
    let mut ids: Vec<Uuid> = ledger
        .written_here_since("a", Some(last_export))
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    assert_eq!(ids, vec![deleted.id, edited.id]);
    assert_eq!(
        ledger.written_here_since("a", None).len(),
        2,
        "never exported: all of this device's records"
    );

    let mut settings = Settings::new("a".into());
    assert_eq!(settings.last_export_at(), None);
    for n in 0..60 {
        settings.log_export(ExportLogEntry {
            at: at(n),
            since: None,
            records: 1,
        });
    }
    assert_eq!(settings.exports.len(), 50);
    assert_eq!(settings.last_export_at(), Some(at(59)));
}

#[test]
fn merge_reports_count_every_incoming_record() {
    let mut ledger = Ledger::from_records([base(1)]);
    let (report, _) = ledger.merge([base(1), base(2), base(3).tombstone(&author("a"), at(1))]);
    assert_eq!(
        report,
        MergeReport {
            added: 1,
            updated: 0,
            unchanged: 1,
            deleted: 1,
            conflicts: vec![]
        }
    );
}
