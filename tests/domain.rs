//! Tier 1: the pure domain, tested natively with `cargo test`.

use field_ledger::domain::input::{MAX_TEXT_CHARS, split_list};
use field_ledger::domain::settings::DEFAULT_COUNTIES;
use field_ledger::domain::*;
use time::macros::{date, datetime};
use uuid::Uuid;

const TODAY: time::Date = date!(2022 - 06 - 20);

fn officer() -> Author {
    Author {
        device_id: "3f2a9c1e-0000-4000-8000-000000000001".into(),
        name: "王建国".into(),
    }
}

fn training_input() -> TrainingInput {
    TrainingInput {
        topic: "水稻病虫害绿色防控".into(),
        trainers: "李明、张华, 李明".into(),
        organiser: "盖州市科技局".into(),
        county: "盖州市".into(),
        township: "九寨镇".into(),
        village: "五美房村".into(),
        attendance: "45".into(),
        women: "18".into(),
        households: "30".into(),
        subjects: "水稻；玉米".into(),
        start_time: "09:00".into(),
        end_time: "11:30".into(),
        ..TrainingInput::blank(TODAY)
    }
}

fn technology_input() -> TechnologyInput {
    TechnologyInput {
        name: "低成本可控生物降解地膜".into(),
        category: TechCategory::Technique,
        partners: "中科院长春应用化学研究所，辽宁东盛集团".into(),
        site: "辽宁东盛集团示范基地".into(),
        county: "大石桥市".into(),
        stage: Stage::Demonstrated,
        introduced_on: "2022-03-01".into(),
        demonstrated_on: "2022-05-10".into(),
        demo_area_mu: "120.5".into(),
        households: "12".into(),
        ..TechnologyInput::blank(TODAY)
    }
}

fn visit_input() -> VisitInput {
    VisitInput {
        commissioners: "赵志强".into(),
        team_level: Some(TeamLevel::ProvincialTeam),
        team_name: "省级水稻科技特派团".into(),
        host: "营口天域米业".into(),
        host_type: HostType::Enterprise,
        county: "老边区".into(),
        help: vec![HelpKind::Advice, HelpKind::Diagnosis],
        problems: "稻瘟病".into(),
        advice: "及时喷药".into(),
        follow_up_needed: true,
        follow_up_by: "2022-07-01".into(),
        ..VisitInput::blank(TODAY)
    }
}

fn problems_of(errors: &[FieldError]) -> Vec<(Field, Problem)> {
    errors.iter().map(|e| (e.field, e.problem)).collect()
}

#[test]
fn a_complete_training_validates_into_typed_values() {
    let training = training_input().validate(TODAY).expect("valid");
    assert_eq!(training.date, TODAY);
    assert_eq!(training.attendance, 45);
    assert_eq!(training.women, Some(18));
    assert_eq!(
        training.trainers,
        vec!["李明", "张华"],
        "repeated names are dropped"
    );
    assert_eq!(training.subjects, vec!["水稻", "玉米"]);
    assert_eq!(training.place.county, "盖州市");
    assert_eq!(training.start_time, Some(time::macros::time!(9:00)));
}

#[test]
fn a_training_needs_date_topic_and_attendance() {
    let input = TrainingInput {
        date: "".into(),
        topic: "   ".into(),
        attendance: "".into(),
        ..training_input()
    };
    let errors = input.validate(TODAY).unwrap_err();
    let problems = problems_of(&errors);
    assert!(problems.contains(&(Field::Date, Problem::Required)));
    assert!(problems.contains(&(Field::Topic, Problem::Required)));
    assert!(problems.contains(&(Field::Attendance, Problem::Required)));
    assert_eq!(problems.len(), 3, "{problems:?}");
}

#[test]
fn attendance_must_be_a_whole_number_in_range() {
    for (typed, problem) in [
        ("-3", Problem::Negative),
        ("4.5", Problem::NotAWholeNumber),
        ("many", Problem::NotAWholeNumber),
        ("99999999999999999999", Problem::TooLarge),
        ("1000001", Problem::TooLarge),
    ] {
        let input = TrainingInput {
            attendance: typed.into(),
            women: "".into(),
            ..training_input()
        };
        assert_eq!(
            problems_of(&input.validate(TODAY).unwrap_err()),
            vec![(Field::Attendance, problem)],
            "attendance {typed:?}"
        );
    }
    let zero = TrainingInput {
        attendance: "0".into(),
        women: "".into(),
        ..training_input()
    };
    assert_eq!(zero.validate(TODAY).unwrap().attendance, 0);
}

#[test]
fn full_width_digits_from_chinese_input_methods_are_read() {
    let input = TrainingInput {
        attendance: "１２０".into(),
        ..training_input()
    };
    assert_eq!(input.validate(TODAY).unwrap().attendance, 120);
    let tech = TechnologyInput {
        demo_area_mu: "３５．５".into(),
        ..technology_input()
    };
    assert_eq!(tech.validate(TODAY).unwrap().demo_area_mu, Some(35.5));
}

#[test]
fn women_cannot_outnumber_attendance() {
    let input = TrainingInput {
        attendance: "10".into(),
        women: "11".into(),
        ..training_input()
    };
    assert_eq!(
        problems_of(&input.validate(TODAY).unwrap_err()),
        vec![(Field::Women, Problem::MoreThanAttendance)]
    );
}

#[test]
fn end_time_must_come_after_start_time() {
    let input = TrainingInput {
        start_time: "14:00".into(),
        end_time: "13:59".into(),
        ..training_input()
    };
    assert_eq!(
        problems_of(&input.validate(TODAY).unwrap_err()),
        vec![(Field::EndTime, Problem::EndNotAfterStart)]
    );
    let garbled = TrainingInput {
        start_time: "25:00".into(),
        ..training_input()
    };
    assert_eq!(
        problems_of(&garbled.validate(TODAY).unwrap_err()),
        vec![(Field::StartTime, Problem::InvalidTime)]
    );
}

#[test]
fn dates_absurdly_far_away_are_refused() {
    for (typed, problem) in [
        ("2023-06-22", Problem::TooFarInFuture),
        ("1999-12-31", Problem::TooFarInPast),
        ("2022-02-30", Problem::InvalidDate),
        ("20/06/2022", Problem::InvalidDate),
    ] {
        let input = TrainingInput {
            date: typed.into(),
            ..training_input()
        };
        assert_eq!(
            problems_of(&input.validate(TODAY).unwrap_err()),
            vec![(Field::Date, problem)],
            "date {typed:?}"
        );
    }
    let next_month = TrainingInput {
        date: "2022-07-20".into(),
        ..training_input()
    };
    assert!(next_month.validate(TODAY).is_ok());
}

#[test]
fn long_and_hostile_text_is_kept_as_typed() {
    let hostile = "<script>alert(1)</script>\u{202e}🌾 \"'&".to_owned();
    let input = TrainingInput {
        topic: hostile.clone(),
        notes: "长".repeat(10_000),
        ..training_input()
    };
    let training = input.validate(TODAY).unwrap();
    assert_eq!(training.topic, hostile);
    assert_eq!(training.notes.chars().count(), 10_000);
    let too_long = TrainingInput {
        notes: "x".repeat(MAX_TEXT_CHARS + 1),
        ..training_input()
    };
    assert_eq!(
        problems_of(&too_long.validate(TODAY).unwrap_err()),
        vec![(Field::Notes, Problem::TooLong)]
    );
}

#[test]
fn a_technology_needs_name_and_the_date_of_its_stage() {
    let tech = technology_input().validate(TODAY).unwrap();
    assert_eq!(
        tech.partners,
        vec!["中科院长春应用化学研究所", "辽宁东盛集团"]
    );
    assert_eq!(tech.demo_area_mu, Some(120.5));
    assert_eq!(tech.demonstrated_on, Some(date!(2022 - 05 - 10)));

    let missing = TechnologyInput {
        name: "".into(),
        demonstrated_on: "".into(),
        ..technology_input()
    };
    assert_eq!(
        problems_of(&missing.validate(TODAY).unwrap_err()),
        vec![
            (Field::Name, Problem::Required),
            (Field::DemonstratedOn, Problem::Required)
        ]
    );
}

#[test]
fn technology_stage_dates_must_be_reached_and_in_order() {
    let ahead = TechnologyInput {
        promoted_on: "2022-06-01".into(),
        ..technology_input()
    };
    assert_eq!(
        problems_of(&ahead.validate(TODAY).unwrap_err()),
        vec![(Field::PromotedOn, Problem::StageNotReached)]
    );
    let backwards = TechnologyInput {
        introduced_on: "2022-05-11".into(),
        ..technology_input()
    };
    assert_eq!(
        problems_of(&backwards.validate(TODAY).unwrap_err()),
        vec![(Field::DemonstratedOn, Problem::StagesOutOfOrder)]
    );
}

#[test]
fn areas_are_decimals_of_at_least_zero() {
    for (typed, problem) in [
        ("-1", Problem::Negative),
        ("abc", Problem::NotANumber),
        ("NaN", Problem::NotANumber),
        ("inf", Problem::NotANumber),
        ("1e12", Problem::TooLarge),
    ] {
        let input = TechnologyInput {
            promoted_area_mu: typed.into(),
            ..technology_input()
        };
        assert_eq!(
            problems_of(&input.validate(TODAY).unwrap_err()),
            vec![(Field::PromotedArea, problem)],
            "area {typed:?}"
        );
    }
}

#[test]
fn a_visit_needs_host_and_commissioner_and_a_follow_up_date_when_asked() {
    let visit = visit_input().validate(TODAY).unwrap();
    assert_eq!(visit.commissioners, vec!["赵志强"]);
    assert_eq!(
        visit.help,
        vec![HelpKind::Diagnosis, HelpKind::Advice],
        "help kinds in canonical order"
    );
    assert_eq!(visit.follow_up_by, Some(date!(2022 - 07 - 01)));

    let missing = VisitInput {
        host: "".into(),
        commissioners: " 、 ".into(),
        follow_up_by: "".into(),
        ..visit_input()
    };
    assert_eq!(
        problems_of(&missing.validate(TODAY).unwrap_err()),
        vec![
            (Field::Commissioners, Problem::Required),
            (Field::Host, Problem::Required),
            (Field::FollowUpBy, Problem::Required)
        ]
    );

    let early = VisitInput {
        follow_up_by: "2022-06-19".into(),
        ..visit_input()
    };
    assert_eq!(
        problems_of(&early.validate(TODAY).unwrap_err()),
        vec![(Field::FollowUpBy, Problem::FollowUpBeforeVisit)]
    );

    let no_follow_up = VisitInput {
        follow_up_needed: false,
        follow_up_by: "garbage".into(),
        ..visit_input()
    };
    assert_eq!(no_follow_up.validate(TODAY).unwrap().follow_up_by, None);
}

#[test]
fn forms_read_back_what_a_record_holds() {
    let training = training_input().validate(TODAY).unwrap();
    assert_eq!(
        TrainingInput::from_training(&training)
            .validate(TODAY)
            .unwrap(),
        training
    );
    let tech = technology_input().validate(TODAY).unwrap();
    assert_eq!(
        TechnologyInput::from_technology(&tech)
            .validate(TODAY)
            .unwrap(),
        tech
    );
    let visit = visit_input().validate(TODAY).unwrap();
    assert_eq!(
        VisitInput::from_visit(&visit).validate(TODAY).unwrap(),
        visit
    );
}

#[test]
fn list_fields_split_on_chinese_and_latin_separators() {
    assert_eq!(
        split_list("甲、乙，丙,丁;戊；己\n庚 , ,甲"),
        vec!["甲", "乙", "丙", "丁", "戊", "己", "庚"]
    );
    assert!(split_list("  ").is_empty());
}

fn sample_records() -> Vec<Record> {
    let now = datetime!(2022-06-20 08:30 UTC);
    let bodies = [
        RecordBody::Training(training_input().validate(TODAY).unwrap()),
        RecordBody::Technology(technology_input().validate(TODAY).unwrap()),
        RecordBody::Visit(visit_input().validate(TODAY).unwrap()),
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

        /// Nothing typed or imported makes the readers panic.
        #[test]
        fn readers_never_panic(text in ".{0,40}") {
            let _ = parse_rfc3339(&text);
            let _ = parse_date(&text);
            let _ = parse_time(&text);
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

/// Records of every kind with every optional field filled, a history, a tombstone and a
/// sample: all the shapes a record's JSON can take.
fn records_with_every_field() -> Vec<Record> {
    let here = GeoPoint {
        latitude: 40.6651,
        longitude: 122.2351,
        accuracy_m: Some(12.5),
        captured_at: Some(datetime!(2022-06-10 10:05:30.25 +08:00)),
    };
    let technology_id = Uuid::from_u128(7);
    let training = Training {
        date: date!(2022 - 06 - 10),
        start_time: Some(time::macros::time!(9:00)),
        end_time: Some(time::macros::time!(11:30)),
        duration_hours: Some(2.5),
        training_type: TrainingType::Technician,
        topic: "水稻 \"绿色\" 防控\n<b>第二期</b>".into(),
        trainers: vec!["李明".into(), "张华".into()],
        organiser: "盖州市科技局".into(),
        place: Place {
            county: "盖州市".into(),
            township: "九寨镇".into(),
            village: "五美房村".into(),
        },
        attendance: 45,
        women: Some(18),
        households: Some(30),
        subjects: vec!["水稻".into()],
        technology_ids: vec![technology_id],
        notes: "\u{202e}备注\t😀".into(),
    };
    let technology = Technology {
        name: "低成本可控生物降解地膜".into(),
        category: TechCategory::Machine,
        partners: vec!["中科院".into()],
        site: "示范基地".into(),
        county: "大石桥市".into(),
        stage: Stage::Promoted,
        introduced_on: Some(date!(2022 - 03 - 01)),
        demonstrated_on: Some(date!(2022 - 04 - 01)),
        promoted_on: Some(date!(2022 - 05 - 01)),
        demo_area_mu: Some(120.5),
        promoted_area_mu: Some(3000.0),
        households: Some(12),
        site_location: Some(here.clone()),
        notes: "增产约8%".into(),
    };
    let visit = Visit {
        date: date!(2022 - 06 - 12),
        start_time: Some(time::macros::time!(14:00)),
        end_time: Some(time::macros::time!(16:30)),
        commissioners: vec!["赵志强".into(), "孙丽".into()],
        team_level: Some(TeamLevel::ALL[0]),
        team_name: "省级水稻科技特派团".into(),
        host: "营口天域米业".into(),
        host_type: HostType::ALL[1],
        place: Place {
            county: "老边区".into(),
            ..Place::default()
        },
        help: HelpKind::ALL.to_vec(),
        problems: "稻瘟病".into(),
        advice: "及时喷药".into(),
        technologies: vec!["域稻17".into()],
        technology_ids: vec![technology_id],
        follow_up_needed: true,
        follow_up_by: Some(date!(2022 - 07 - 01)),
        follows_up: Some(Uuid::from_u128(9)),
        location: Some(here),
        notes: "再访".into(),
    };
    let at = datetime!(2022-06-12 08:00:00.5 +08:00);
    let trained = Record::create(
        Uuid::from_u128(1),
        RecordBody::Training(training),
        &officer(),
        at,
    );
    let mut edited = trained.edited(trained.body.clone(), &officer(), at + time::Duration::HOUR);
    edited.history = vec![trained.clone()];
    let mut sample = Record::create(
        technology_id,
        RecordBody::Technology(technology),
        &officer(),
        at,
    );
    sample.sample = true;
    let visited = Record::create(Uuid::from_u128(3), RecordBody::Visit(visit), &officer(), at);
    let deleted = visited.tombstone(&officer(), at + time::Duration::DAY);
    vec![edited, sample, deleted]
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
fn an_export_rehearsal_never_aborts_whatever_the_ledger_size() {
    let records = records_with_every_field();
    ExportDraft::rehearse(records.iter(), records.len());
    // More memory than there is: the rehearsal goes without it instead of aborting.
    ExportDraft::rehearse(records.iter(), usize::MAX / 3);
    ExportDraft::rehearse(std::iter::empty(), 0);
}
