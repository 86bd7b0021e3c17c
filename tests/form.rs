//! Tier 1: the record forms, natively. What each kind's form accepts and refuses, field by
//! field and across fields (a form is a `FormInput` validated with `FormInput::validate`), and
//! the machinery every kind shares: the field tables and layouts, every body read back
//! unchanged through its form, the choices offered, and drafts left by the previous version.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::form::{
    Access, Control, FieldSpec, FormPart, Input, LocationInput, MAX_TEXT_CHARS, Picklist,
    check_body, join_list, split_list,
};
use field_ledger::domain::sample::sample_records;
use field_ledger::domain::*;
use time::macros::{date, datetime, time};

use field_ledger_test_support as support;
use support::{
    TODAY, full_technology, full_training, full_visit, gps_point, id, in_county, officer, staged,
    strings,
};

/// A new record's form with these fields typed (a choice by its serde name).
fn typed<K: Kind>(values: &[(Field, &str)]) -> FormInput {
    retyped(&FormInput::new_record::<K>(TODAY, "、"), values)
}

/// The form with these fields typed over.
fn retyped(input: &FormInput, values: &[(Field, &str)]) -> FormInput {
    let mut input = input.clone();
    for (field, text) in values {
        input.set(*field, Input::Text((*text).to_owned()));
    }
    input
}

fn with(input: &FormInput, field: Field, value: Input) -> FormInput {
    let mut input = input.clone();
    input.set(field, value);
    input
}

/// Every problem the form reports, in its order.
fn problems<K: Kind + std::fmt::Debug>(input: &FormInput) -> Vec<(Field, Problem)> {
    input
        .validate::<K>(TODAY)
        .expect_err("the form must be refused")
        .iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

fn items(values: &[&str]) -> Input {
    Input::Items(strings(values))
}

fn training_form() -> FormInput {
    typed::<Training>(&[
        (Field::Topic, "水稻病虫害绿色防控"),
        (Field::Trainers, "李明、张华, 李明"),
        (Field::Organiser, "盖州市科技局"),
        (Field::County, "盖州市"),
        (Field::Township, "九寨镇"),
        (Field::Village, "五美房村"),
        (Field::Attendance, "45"),
        (Field::Women, "18"),
        (Field::Households, "30"),
        (Field::Subjects, "水稻；玉米"),
        (Field::StartTime, "09:00"),
        (Field::EndTime, "11:30"),
    ])
}

fn technology_form() -> FormInput {
    typed::<Technology>(&[
        (Field::Name, "低成本可控生物降解地膜"),
        (Field::Category, "technique"),
        (Field::Partners, "中科院长春应用化学研究所，辽宁东盛集团"),
        (Field::Site, "辽宁东盛集团示范基地"),
        (Field::County, "大石桥市"),
        (Field::Stage, "demonstrated"),
        (Field::IntroducedOn, "2022-03-01"),
        (Field::DemonstratedOn, "2022-05-10"),
        (Field::DemoArea, "120.5"),
        (Field::Households, "12"),
    ])
}

fn visit_form() -> FormInput {
    let input = typed::<Visit>(&[
        (Field::Commissioners, "赵志强"),
        (Field::TeamLevel, "provincial_team"),
        (Field::TeamName, "省级水稻科技特派团"),
        (Field::Host, "营口天域米业"),
        (Field::HostType, "enterprise"),
        (Field::County, "老边区"),
        (Field::Problems, "稻瘟病"),
        (Field::Advice, "及时喷药"),
        (Field::FollowUpBy, "2022-07-01"),
    ]);
    let input = with(&input, Field::Help, items(&["advice", "diagnosis"]));
    with(&input, Field::FollowUpNeeded, Input::Flag(true))
}

fn location(latitude: &str, longitude: &str) -> Input {
    Input::Location(LocationInput {
        latitude: latitude.into(),
        longitude: longitude.into(),
        ..LocationInput::default()
    })
}

// ---------------------------------------------------------------- a training

#[test]
fn a_complete_training_validates_into_typed_values() {
    let training = training_form().validate::<Training>(TODAY).expect("valid");
    assert_eq!(
        training,
        Training {
            topic: "水稻病虫害绿色防控".into(),
            trainers: strings(&["李明", "张华"]),
            organiser: "盖州市科技局".into(),
            place: Place {
                county: "盖州市".into(),
                township: "九寨镇".into(),
                village: "五美房村".into(),
            },
            attendance: 45,
            women: Some(18),
            households: Some(30),
            subjects: strings(&["水稻", "玉米"]),
            start_time: Some(time!(9:00)),
            end_time: Some(time!(11:30)),
            ..Training::blank(TODAY)
        },
        "repeated names dropped, lists split on 、 , and ；"
    );
}

#[test]
fn a_training_needs_date_topic_and_attendance() {
    let input = retyped(
        &training_form(),
        &[
            (Field::Date, ""),
            (Field::Topic, "   "),
            (Field::Attendance, ""),
        ],
    );
    assert_eq!(
        problems::<Training>(&input),
        [
            (Field::Date, Problem::Required),
            (Field::Topic, Problem::Required),
            (Field::Attendance, Problem::Required),
        ]
    );
}

#[test]
fn head_counts_are_whole_numbers_in_range() {
    for field in [Field::Attendance, Field::Women, Field::Households] {
        for (typed, problem) in [
            ("-3", Problem::Negative),
            ("4.5", Problem::NotAWholeNumber),
            ("many", Problem::NotAWholeNumber),
            ("99999999999999999999", Problem::TooLarge),
            ("1000001", Problem::TooLarge),
        ] {
            // No women typed, so that only the field itself is checked.
            let input = retyped(&training_form(), &[(Field::Women, ""), (field, typed)]);
            assert_eq!(
                problems::<Training>(&input),
                [(field, problem)],
                "{field:?} {typed:?}"
            );
        }
    }
    let zero = retyped(
        &training_form(),
        &[(Field::Attendance, "0"), (Field::Women, "")],
    );
    assert_eq!(zero.validate::<Training>(TODAY).unwrap().attendance, 0);
    let most = retyped(&training_form(), &[(Field::Attendance, "1000000")]);
    assert_eq!(
        most.validate::<Training>(TODAY).unwrap().attendance,
        1_000_000
    );
}

#[test]
fn full_width_digits_from_chinese_input_methods_are_read() {
    let input = retyped(
        &training_form(),
        &[
            (Field::Attendance, "１２０"),
            (Field::DurationHours, "２．５"),
        ],
    );
    let training = input.validate::<Training>(TODAY).unwrap();
    assert_eq!(
        (training.attendance, training.duration_hours),
        (120, Some(2.5))
    );
    let tech = retyped(&technology_form(), &[(Field::DemoArea, "３５．５")]);
    assert_eq!(
        tech.validate::<Technology>(TODAY).unwrap().demo_area_mu,
        Some(35.5)
    );
    let negative = retyped(&technology_form(), &[(Field::DemoArea, "－１")]);
    assert_eq!(
        problems::<Technology>(&negative),
        [(Field::DemoArea, Problem::Negative)]
    );
}

#[test]
fn women_cannot_outnumber_attendance() {
    let input = retyped(
        &training_form(),
        &[(Field::Attendance, "10"), (Field::Women, "11")],
    );
    assert_eq!(
        problems::<Training>(&input),
        [(Field::Women, Problem::MoreThanAttendance)]
    );
    let equal = retyped(
        &training_form(),
        &[(Field::Attendance, "10"), (Field::Women, "10")],
    );
    assert!(equal.validate::<Training>(TODAY).is_ok());
    // An attendance that cannot be read is its own problem, not the women's.
    let unread = retyped(
        &training_form(),
        &[(Field::Attendance, "ten"), (Field::Women, "11")],
    );
    assert_eq!(
        problems::<Training>(&unread),
        [(Field::Attendance, Problem::NotAWholeNumber)]
    );
}

#[test]
fn an_end_time_must_come_after_the_start_time() {
    fn check<K: Kind + std::fmt::Debug>(form: FormInput) {
        let before = retyped(
            &form,
            &[(Field::StartTime, "14:00"), (Field::EndTime, "13:59")],
        );
        let same = retyped(
            &form,
            &[(Field::StartTime, "14:00"), (Field::EndTime, "14:00")],
        );
        for input in [before, same] {
            assert_eq!(
                problems::<K>(&input),
                [(Field::EndTime, Problem::EndNotAfterStart)],
                "{:?}",
                K::KIND
            );
        }
        let garbled = retyped(&form, &[(Field::StartTime, "25:00")]);
        assert_eq!(
            problems::<K>(&garbled),
            [(Field::StartTime, Problem::InvalidTime)]
        );
        let only_end = retyped(&form, &[(Field::StartTime, ""), (Field::EndTime, "08:00")]);
        assert!(only_end.validate::<K>(TODAY).is_ok());
    }
    check::<Training>(training_form());
    check::<Visit>(visit_form());
}

#[test]
fn a_training_lasts_at_most_a_day() {
    let long = retyped(&training_form(), &[(Field::DurationHours, "24.5")]);
    assert_eq!(
        problems::<Training>(&long),
        [(Field::DurationHours, Problem::TooLarge)]
    );
    let day = retyped(&training_form(), &[(Field::DurationHours, "24")]);
    assert_eq!(
        day.validate::<Training>(TODAY).unwrap().duration_hours,
        Some(24.0)
    );
}

#[test]
fn dates_absurdly_far_away_are_refused() {
    for (typed, problem) in [
        ("2023-06-22", Problem::TooFarInFuture),
        ("1999-12-31", Problem::TooFarInPast),
        ("2022-02-30", Problem::InvalidDate),
        ("20/06/2022", Problem::InvalidDate),
        ("2022-6-20", Problem::InvalidDate),
    ] {
        let input = retyped(&training_form(), &[(Field::Date, typed)]);
        assert_eq!(
            problems::<Training>(&input),
            [(Field::Date, problem)],
            "date {typed:?}"
        );
    }
    for fine in ["2023-06-21", "2000-01-01", "2022-07-20"] {
        let input = retyped(&training_form(), &[(Field::Date, fine)]);
        assert!(input.validate::<Training>(TODAY).is_ok(), "{fine}");
    }
}

#[test]
fn a_typed_date_or_time_is_read_without_the_spaces_around_it() {
    let input = retyped(
        &training_form(),
        &[
            (Field::Date, " 2022-06-10 "),
            (Field::StartTime, " 09:00"),
            (Field::EndTime, "11:30 "),
        ],
    );
    let training = input.validate::<Training>(TODAY).unwrap();
    assert_eq!(training.date, date!(2022 - 06 - 10));
    assert_eq!(training.start_time, Some(time!(9:00)));
    assert_eq!(training.end_time, Some(time!(11:30)));
    let visit = retyped(&visit_form(), &[(Field::FollowUpBy, "\t2022-07-01\n")]);
    assert_eq!(
        visit.validate::<Visit>(TODAY).unwrap().follow_up_by,
        Some(date!(2022 - 07 - 01))
    );
}

#[test]
fn long_and_hostile_text_is_kept_as_typed() {
    let hostile = "<script>alert(1)</script>\u{202e}🌾 \"'&";
    let input = retyped(
        &training_form(),
        &[
            (Field::Topic, hostile),
            (Field::Notes, &"长".repeat(10_000)),
        ],
    );
    let training = input.validate::<Training>(TODAY).unwrap();
    assert_eq!(training.topic, hostile);
    assert_eq!(training.notes.chars().count(), 10_000);
    let trimmed = retyped(&training_form(), &[(Field::Topic, "  水稻  \n")]);
    assert_eq!(trimmed.validate::<Training>(TODAY).unwrap().topic, "水稻");
    let longest = "x".repeat(MAX_TEXT_CHARS);
    assert!(
        retyped(&training_form(), &[(Field::Notes, &longest)])
            .validate::<Training>(TODAY)
            .is_ok()
    );
    let too_long = "x".repeat(MAX_TEXT_CHARS + 1);
    assert_eq!(
        problems::<Training>(&retyped(&training_form(), &[(Field::Notes, &too_long)])),
        [(Field::Notes, Problem::TooLong)]
    );
    // A list counts its items together.
    let many = vec!["名字".repeat(1_000); 11].join("、");
    let many: String = many
        .split('、')
        .enumerate()
        .map(|(n, name)| format!("{name}{n}"))
        .collect::<Vec<_>>()
        .join("、");
    assert_eq!(
        problems::<Training>(&retyped(&training_form(), &[(Field::Trainers, &many)])),
        [(Field::Trainers, Problem::TooLong)]
    );
}

// ---------------------------------------------------------------- a technology

#[test]
fn a_technology_needs_its_name_and_the_date_of_its_stage() {
    let tech = technology_form().validate::<Technology>(TODAY).unwrap();
    assert_eq!(
        tech,
        Technology {
            name: "低成本可控生物降解地膜".into(),
            partners: strings(&["中科院长春应用化学研究所", "辽宁东盛集团"]),
            site: "辽宁东盛集团示范基地".into(),
            county: "大石桥市".into(),
            demo_area_mu: Some(120.5),
            households: Some(12),
            ..staged(
                Technology::blank(TODAY),
                Some(date!(2022 - 03 - 01)),
                Some(date!(2022 - 05 - 10)),
                None,
            )
        }
    );
    let missing = retyped(
        &technology_form(),
        &[(Field::Name, ""), (Field::DemonstratedOn, "")],
    );
    assert_eq!(
        problems::<Technology>(&missing),
        [
            (Field::Name, Problem::Required),
            (Field::DemonstratedOn, Problem::Required)
        ]
    );
    // Only the current stage's date is needed.
    let introduced = retyped(
        &technology_form(),
        &[
            (Field::Stage, "introduced"),
            (Field::IntroducedOn, ""),
            (Field::DemonstratedOn, ""),
        ],
    );
    assert_eq!(
        problems::<Technology>(&introduced),
        [(Field::IntroducedOn, Problem::Required)]
    );
    let promoted = retyped(
        &technology_form(),
        &[
            (Field::Stage, "promoted"),
            (Field::IntroducedOn, ""),
            (Field::DemonstratedOn, ""),
            (Field::PromotedOn, "2022-06-01"),
        ],
    );
    assert!(promoted.validate::<Technology>(TODAY).is_ok());
    // A date that cannot be read is that problem, not a missing one.
    let garbled = retyped(&technology_form(), &[(Field::DemonstratedOn, "五月")]);
    assert_eq!(
        problems::<Technology>(&garbled),
        [(Field::DemonstratedOn, Problem::InvalidDate)]
    );
}

#[test]
fn technology_stage_dates_must_be_reached_and_in_order() {
    let ahead = retyped(&technology_form(), &[(Field::PromotedOn, "2022-06-01")]);
    assert_eq!(
        problems::<Technology>(&ahead),
        [(Field::PromotedOn, Problem::StageNotReached)]
    );
    let backwards = retyped(&technology_form(), &[(Field::IntroducedOn, "2022-05-11")]);
    assert_eq!(
        problems::<Technology>(&backwards),
        [(Field::DemonstratedOn, Problem::StagesOutOfOrder)]
    );
    let same_day = retyped(&technology_form(), &[(Field::IntroducedOn, "2022-05-10")]);
    assert!(same_day.validate::<Technology>(TODAY).is_ok());
    // Order is checked over the dates given, skipping a stage without one.
    let skipped = retyped(
        &technology_form(),
        &[
            (Field::Stage, "promoted"),
            (Field::DemonstratedOn, ""),
            (Field::PromotedOn, "2022-02-01"),
        ],
    );
    assert_eq!(
        problems::<Technology>(&skipped),
        [(Field::PromotedOn, Problem::StagesOutOfOrder)]
    );
}

#[test]
fn areas_are_decimals_of_at_least_zero() {
    for field in [Field::DemoArea, Field::PromotedArea] {
        for (typed, problem) in [
            ("-1", Problem::Negative),
            ("abc", Problem::NotANumber),
            ("NaN", Problem::NotANumber),
            ("inf", Problem::NotANumber),
            ("1e12", Problem::TooLarge),
            ("10000000.5", Problem::TooLarge),
        ] {
            let input = retyped(&technology_form(), &[(field, typed)]);
            assert_eq!(
                problems::<Technology>(&input),
                [(field, problem)],
                "{field:?} {typed:?}"
            );
        }
    }
    let most = retyped(&technology_form(), &[(Field::PromotedArea, "10000000")]);
    assert_eq!(
        most.validate::<Technology>(TODAY).unwrap().promoted_area_mu,
        Some(10_000_000.0)
    );
}

// ---------------------------------------------------------------- a visit

#[test]
fn a_visit_needs_host_and_commissioner_and_a_follow_up_date_when_asked() {
    let visit = visit_form().validate::<Visit>(TODAY).unwrap();
    assert_eq!(
        visit,
        Visit {
            commissioners: strings(&["赵志强"]),
            team_level: Some(TeamLevel::ProvincialTeam),
            team_name: "省级水稻科技特派团".into(),
            host: "营口天域米业".into(),
            host_type: HostType::Enterprise,
            place: in_county("老边区"),
            help: vec![HelpKind::Diagnosis, HelpKind::Advice],
            problems: "稻瘟病".into(),
            advice: "及时喷药".into(),
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 07 - 01)),
            ..Visit::blank(TODAY)
        },
        "help kinds in their canonical order"
    );

    let missing = retyped(
        &visit_form(),
        &[
            (Field::Host, ""),
            (Field::Commissioners, " 、 "),
            (Field::FollowUpBy, ""),
        ],
    );
    assert_eq!(
        problems::<Visit>(&missing),
        [
            (Field::Commissioners, Problem::Required),
            (Field::Host, Problem::Required),
            (Field::FollowUpBy, Problem::Required)
        ]
    );
}

#[test]
fn a_follow_up_cannot_be_due_before_the_visit_and_counts_only_when_asked_for() {
    let early = retyped(&visit_form(), &[(Field::FollowUpBy, "2022-06-19")]);
    assert_eq!(
        problems::<Visit>(&early),
        [(Field::FollowUpBy, Problem::FollowUpBeforeVisit)]
    );
    let same_day = retyped(&visit_form(), &[(Field::FollowUpBy, "2022-06-20")]);
    assert!(same_day.validate::<Visit>(TODAY).is_ok());
    // A visit date that cannot be read is not compared with.
    let unread = retyped(
        &visit_form(),
        &[
            (Field::Date, "yesterday"),
            (Field::FollowUpBy, "2022-06-19"),
        ],
    );
    assert_eq!(
        problems::<Visit>(&unread),
        [(Field::Date, Problem::InvalidDate)]
    );
    // Without the box ticked, whatever the hidden date field holds is left out.
    let not_asked = with(
        &retyped(&visit_form(), &[(Field::FollowUpBy, "garbage")]),
        Field::FollowUpNeeded,
        Input::Flag(false),
    );
    let visit = not_asked.validate::<Visit>(TODAY).unwrap();
    assert_eq!((visit.follow_up_needed, visit.follow_up_by), (false, None));
}

#[test]
fn a_position_needs_both_coordinates_on_the_globe() {
    let at = |latitude: &str, longitude: &str| {
        with(
            &visit_form(),
            Field::Location,
            location(latitude, longitude),
        )
    };
    let visit = at(" 40.6651", "１２２．２３５１")
        .validate::<Visit>(TODAY)
        .unwrap();
    let point = visit.location.unwrap();
    assert_eq!((point.latitude, point.longitude), (40.6651, 122.2351));
    assert_eq!((point.accuracy_m, point.captured_at), (None, None));
    assert_eq!(
        at("", "").validate::<Visit>(TODAY).unwrap().location,
        None,
        "neither is no position"
    );
    assert_eq!(
        problems::<Visit>(&at("40.6651", "")),
        [(Field::Longitude, Problem::Required)]
    );
    assert_eq!(
        problems::<Visit>(&at(" ", "122.2351")),
        [(Field::Latitude, Problem::Required)]
    );
    assert_eq!(
        problems::<Visit>(&at("90.5", "-180.5")),
        [
            (Field::Latitude, Problem::OutOfRange),
            (Field::Longitude, Problem::OutOfRange)
        ]
    );
    assert_eq!(
        problems::<Visit>(&at("北纬40", "122")),
        [(Field::Latitude, Problem::NotANumber)]
    );
    assert_eq!(
        problems::<Visit>(&at("inf", "122")),
        [(Field::Latitude, Problem::NotANumber)]
    );
    let edges = at("-90", "180").validate::<Visit>(TODAY).unwrap();
    assert!(edges.location.is_some());
    // What the GPS gave is kept with the point; an accuracy it could not have given is not.
    let from_gps = |accuracy_m: f64| {
        with(
            &technology_form(),
            Field::SiteLocation,
            Input::Location(LocationInput {
                accuracy_m: Some(accuracy_m),
                ..LocationInput::from_point(Some(&gps_point()))
            }),
        )
        .validate::<Technology>(TODAY)
        .unwrap()
        .site_location
        .unwrap()
    };
    assert_eq!(from_gps(12.5), gps_point());
    assert_eq!(from_gps(-1.0).accuracy_m, None);
    assert_eq!(from_gps(f64::NAN).accuracy_m, None);
}

#[test]
fn linked_technologies_are_kept_once_each_and_unreadable_ids_dropped() {
    let input = with(
        &training_form(),
        Field::TechnologyIds,
        items(&[
            &id(7).to_string(),
            "not-an-id",
            &id(8).to_string(),
            &id(7).to_string(),
        ]),
    );
    assert_eq!(
        input.validate::<Training>(TODAY).unwrap().technology_ids,
        [id(7), id(8)]
    );
}

#[test]
fn list_fields_split_on_chinese_and_latin_separators() {
    assert_eq!(
        split_list("甲、乙，丙,丁;戊；己\n庚 , ,甲"),
        ["甲", "乙", "丙", "丁", "戊", "己", "庚"]
    );
    assert!(split_list("  ").is_empty());
    // A list shown in either language's way reads back the same.
    let names = strings(&["李明", "张华", "Liu Haifeng"]);
    for separator in ["、", ", "] {
        assert_eq!(split_list(&join_list(&names, separator)), names);
    }
}

// ---------------------------------------------------------------- what every kind shares

/// Every kind's field table, as the shared tests look at it.
fn every_kind() -> [(RecordKind, Vec<FieldInfoOf>); 5] {
    [
        (RecordKind::Training, infos::<Training>()),
        (RecordKind::Technology, infos::<Technology>()),
        (RecordKind::Visit, infos::<Visit>()),
        (RecordKind::Team, infos::<Team>()),
        (RecordKind::Demand, infos::<Demand>()),
    ]
}

/// What the shared tests look at in one field of a kind.
struct FieldInfoOf {
    field: Field,
    control: Control,
    required: bool,
    picklist: Option<Picklist>,
    shown_if: Option<Field>,
    facet: Option<&'static str>,
    text_slot: bool,
}

fn infos<K: Kind>() -> Vec<FieldInfoOf> {
    K::FIELDS
        .iter()
        .map(|spec: &FieldSpec<K>| {
            let info = spec.info();
            FieldInfoOf {
                field: spec.field,
                control: info.control,
                required: info.required,
                picklist: info.picklist,
                shown_if: info.shown_if,
                facet: spec.facet,
                text_slot: matches!(spec.access, Access::Text(..) | Access::List(..)),
            }
        })
        .collect()
}

fn layout_fields(layout: &[FormPart]) -> Vec<Field> {
    layout
        .iter()
        .flat_map(|block| match block {
            FormPart::Row(fields) | FormPart::Group(_, fields) => fields.iter().copied(),
        })
        .collect()
}

#[test]
fn every_layout_shows_each_field_of_its_kind_once_in_the_order_of_the_table() {
    fn check<K: Kind>() {
        let shown: Vec<Field> = K::FIELDS
            .iter()
            .filter(|spec| spec.info().control != Control::Hidden)
            .map(|spec| spec.field)
            .collect();
        assert_eq!(layout_fields(K::LAYOUT), shown, "{:?}", K::KIND);
    }
    check::<Training>();
    check::<Technology>();
    check::<Visit>();
}

#[test]
fn every_field_table_is_consistent() {
    let mut facets: Vec<(&str, Field)> = Vec::new();
    for (kind, fields) in every_kind() {
        for (n, info) in fields.iter().enumerate() {
            assert!(
                !fields[..n].iter().any(|f| f.field == info.field),
                "{kind:?}: {:?} twice",
                info.field
            );
            if let Some(flag) = info.shown_if {
                assert!(
                    fields
                        .iter()
                        .any(|f| f.field == flag && f.control == Control::Flag),
                    "{kind:?}: {:?} is shown by {flag:?}, which is no check box",
                    info.field
                );
            }
            if info.picklist.is_some() {
                assert!(
                    info.text_slot,
                    "{kind:?}: {:?} offers a picklist",
                    info.field
                );
            }
            if let Some(key) = info.facet {
                assert_eq!(info.control, Control::Choice, "{kind:?}: {:?}", info.field);
                facets.push((key, info.field));
            }
            if info.required {
                assert_ne!(info.control, Control::Hidden, "{kind:?}: {:?}", info.field);
            }
        }
    }
    // A facet's URL key names one field, whichever kind's list it is on.
    for (key, field) in &facets {
        assert!(
            facets.iter().all(|(k, f)| k != key || f == field),
            "the URL key {key} names two fields"
        );
    }
    fn titled<K: Kind>() {
        let has = |field: Field| K::spec(field).is_some();
        assert!(has(K::TITLE), "{:?}", K::KIND);
        for field in K::CONTEXT.iter().flat_map(|group| group.iter()) {
            assert!(has(*field), "{:?}: {field:?}", K::KIND);
        }
    }
    titled::<Training>();
    titled::<Technology>();
    titled::<Visit>();
    titled::<Team>();
    titled::<Demand>();
}

#[test]
fn every_picklist_is_fed_by_a_field_and_has_its_own_slug() {
    let fed: Vec<Picklist> = every_kind()
        .iter()
        .flat_map(|(_, fields)| fields.iter().filter_map(|f| f.picklist))
        .collect();
    for list in Picklist::ALL {
        assert!(fed.contains(&list), "{list:?} is offered by no field");
        let slug = list.slug();
        assert!(
            !slug.is_empty() && slug.chars().all(|c| c.is_ascii_lowercase()),
            "{slug} goes into element ids and option values"
        );
        let same = Picklist::ALL.iter().filter(|l| l.slug() == slug).count();
        assert_eq!(same, 1, "{slug} names two picklists");
    }
}

#[test]
fn a_new_records_form_asks_for_exactly_its_required_fields_that_start_empty() {
    fn check<K: Kind + std::fmt::Debug>() {
        let input = FormInput::new_record::<K>(TODAY, "、");
        let required: Vec<(Field, Problem)> = K::FIELDS
            .iter()
            .filter(|spec| spec.required && spec.shown_if.is_none())
            .filter(|spec| input.text(spec.field).is_empty())
            .map(|spec| (spec.field, Problem::Required))
            .collect();
        assert!(!required.is_empty(), "{:?}", K::KIND);
        assert_eq!(problems::<K>(&input), required, "{:?}", K::KIND);
        // Head counts start empty rather than showing 0.
        for spec in K::FIELDS {
            if spec.info().control == Control::Count {
                assert_eq!(input.text(spec.field), "", "{:?}", spec.field);
            }
        }
    }
    check::<Training>();
    check::<Technology>();
    check::<Visit>();
}

/// A technology's form with a date for each stage reached, and none for the others.
fn dated_for_its_stage(input: &FormInput) -> FormInput {
    let reached = |stage: &str| match input.text(Field::Stage) {
        "promoted" => true,
        "demonstrated" => stage != "promoted",
        _ => stage == "introduced",
    };
    let date = |stage, date| if reached(stage) { date } else { "" };
    retyped(
        input,
        &[
            (Field::IntroducedOn, date("introduced", "2022-03-01")),
            (Field::DemonstratedOn, date("demonstrated", "2022-04-01")),
            (Field::PromotedOn, date("promoted", "2022-05-01")),
        ],
    )
}

#[test]
fn every_choice_offered_is_read_back_as_chosen() {
    fn check<K: Kind>(complete: FormInput) {
        for spec in K::FIELDS {
            let info = spec.info();
            match info.control {
                Control::Choice => {
                    for option in &info.options {
                        let input = retyped(&complete, &[(spec.field, option.as_str())]);
                        let input = if K::KIND == RecordKind::Technology {
                            dated_for_its_stage(&input)
                        } else {
                            input
                        };
                        let body = input.validate::<K>(TODAY).unwrap();
                        let shown = FormInput::from_body(&body, "、");
                        let expected = if option.is_empty() {
                            Input::Empty
                        } else {
                            Input::Text(option.clone())
                        };
                        assert_eq!(shown.get(spec.field), Some(&expected), "{:?}", spec.field);
                    }
                }
                Control::Choices => {
                    let all = Input::Items(info.options.clone());
                    let body = with(&complete, spec.field, all.clone())
                        .validate::<K>(TODAY)
                        .unwrap();
                    let shown = FormInput::from_body(&body, "、");
                    assert_eq!(shown.get(spec.field), Some(&all), "{:?}", spec.field);
                }
                _ => assert!(info.options.is_empty(), "{:?}", spec.field),
            }
        }
    }
    check::<Training>(training_form());
    check::<Technology>(technology_form());
    check::<Visit>(visit_form());
}

#[test]
fn a_choice_no_kind_offers_keeps_the_forms_own_value() {
    // A draft from another version may name a value this one does not know.
    let input = retyped(&training_form(), &[(Field::TrainingType, "webinar")]);
    assert_eq!(
        input.validate::<Training>(TODAY).unwrap().training_type,
        Training::blank(TODAY).training_type
    );
    let input = with(&visit_form(), Field::Help, items(&["advice", "prayer"]));
    assert_eq!(
        input.validate::<Visit>(TODAY).unwrap().help,
        [HelpKind::Advice]
    );
}

/// `body` shown in its form (lists joined with `separator`) and read back.
fn through_the_form<K: Kind>(body: &K, separator: &str) -> Result<K, FieldErrors> {
    FormInput::from_body(body, separator).validate::<K>(date!(2022 - 12 - 31))
}

#[test]
fn every_body_reads_back_unchanged_through_its_form_in_both_languages() {
    let mut bodies: Vec<RecordBody> = sample_records(&officer(), datetime!(2022-12-31 0:00 UTC))
        .into_iter()
        .map(|r| r.body)
        .collect();
    bodies.extend([
        full_training().into_body(),
        full_technology().into_body(),
        full_visit().into_body(),
        support::full_team().into_body(),
        support::full_demand().into_body(),
    ]);
    let mut kinds = Vec::new();
    for body in &bodies {
        for separator in ["、", ", "] {
            let back = field_ledger::with_body!(body, |b| through_the_form(b, separator)
                .map(Kind::into_body));
            assert_eq!(
                back.as_ref(),
                Ok(body),
                "through a form joined by {separator:?}"
            );
        }
        kinds.push(body.kind());
        // What an import checks is what the form would refuse: nothing here.
        let checked = field_ledger::with_body!(body, |b| check_body(b, TODAY));
        assert_eq!(checked, Ok(()));
    }
    for kind in RecordKind::ALL {
        assert!(kinds.contains(&kind), "no sample of {kind:?}");
    }
}

#[test]
fn an_imported_body_is_held_to_the_rules_of_its_form() {
    let crowded = Training {
        women: Some(50),
        ..support::training(TODAY)
    };
    assert_eq!(
        check_body(&crowded, TODAY)
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.problem))
            .collect::<Vec<_>>(),
        [(Field::Women, Problem::MoreThanAttendance)]
    );
    let nameless = Visit {
        commissioners: Vec::new(),
        ..support::visit(TODAY)
    };
    assert!(check_body(&nameless, TODAY).is_err());
}

// ---------------------------------------------------------------- drafts of the previous version

/// Drafts exactly as the previous version's `TrainingInput`, `TechnologyInput` and
/// `VisitInput` serialised them (`git show d012da3~1:src/domain/input.rs`). Frozen: drafts
/// left on a tablet by that version must still open.
const OLD_TRAINING_DRAFT: &str = r#"{"date":"2022-06-10","start_time":"09:00","end_time":"11:30","duration_hours":"2.5","training_type":"technician","topic":"水稻病虫害绿色防控","trainers":"李明、张华","organiser":"盖州市科技局","county":"盖州市","township":"九寨镇","village":"五美房村","attendance":"45","women":"18","households":"","subjects":"水稻；玉米","technology_ids":["00000000-0000-0000-0000-000000000007"],"notes":"第二期"}"#;
const OLD_TECHNOLOGY_DRAFT: &str = r#"{"name":"低成本可控生物降解地膜","category":"machine","partners":"中科院、辽宁东盛集团","site":"示范基地","county":"大石桥市","stage":"demonstrated","introduced_on":"2022-03-01","demonstrated_on":"2022-04-01","promoted_on":"","demo_area_mu":"120.5","promoted_area_mu":"","households":"12","site_location":{"latitude":"40.6651","longitude":"122.2351","accuracy_m":12.5,"captured_at":"2022-06-10T10:05:30.25+08:00"},"notes":""}"#;
const OLD_VISIT_DRAFT: &str = r#"{"date":"2022-06-12","start_time":"14:00","end_time":"","commissioners":"赵志强、孙丽","team_level":"provincial_team","team_name":"省级水稻科技特派团","host":"营口天域米业","host_type":"cooperative","county":"老边区","township":"","village":"","help":["training","diagnosis"],"problems":"稻瘟病","advice":"","technologies":"域稻17","technology_ids":[],"follow_up_needed":true,"follow_up_by":"2022-07-01","follows_up":"00000000-0000-0000-0000-000000000009","location":{"latitude":"","longitude":"","accuracy_m":null,"captured_at":null},"notes":""}"#;
/// An older draft still: no team level chosen, no follow-up, fields added later missing.
const OLDER_VISIT_DRAFT: &str = r#"{"date":"2022-06-12","start_time":"","end_time":"","commissioners":"赵志强","team_level":null,"team_name":"","host":"营口天域米业","host_type":"village","county":"","township":"","village":"","help":[],"problems":"","advice":"","technologies":"","technology_ids":[],"follow_up_needed":false,"follow_up_by":"","notes":""}"#;

fn old_draft(json: &str) -> FormInput {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("a draft of the last version: {e}"))
}

#[test]
fn drafts_left_by_the_previous_version_still_open_and_save_the_same() {
    assert_eq!(
        old_draft(OLD_TRAINING_DRAFT).validate::<Training>(TODAY),
        Ok(Training {
            start_time: Some(time!(9:00)),
            end_time: Some(time!(11:30)),
            duration_hours: Some(2.5),
            training_type: TrainingType::Technician,
            topic: "水稻病虫害绿色防控".into(),
            trainers: strings(&["李明", "张华"]),
            organiser: "盖州市科技局".into(),
            place: Place {
                county: "盖州市".into(),
                township: "九寨镇".into(),
                village: "五美房村".into(),
            },
            attendance: 45,
            women: Some(18),
            subjects: strings(&["水稻", "玉米"]),
            technology_ids: vec![id(7)],
            notes: "第二期".into(),
            ..Training::blank(date!(2022 - 06 - 10))
        })
    );
    assert_eq!(
        old_draft(OLD_TECHNOLOGY_DRAFT).validate::<Technology>(TODAY),
        Ok(Technology {
            name: "低成本可控生物降解地膜".into(),
            category: TechCategory::Machine,
            partners: strings(&["中科院", "辽宁东盛集团"]),
            site: "示范基地".into(),
            county: "大石桥市".into(),
            demo_area_mu: Some(120.5),
            households: Some(12),
            site_location: Some(gps_point()),
            ..staged(
                Technology::blank(TODAY),
                Some(date!(2022 - 03 - 01)),
                Some(date!(2022 - 04 - 01)),
                None,
            )
        })
    );
    assert_eq!(
        old_draft(OLD_VISIT_DRAFT).validate::<Visit>(TODAY),
        Ok(Visit {
            start_time: Some(time!(14:00)),
            commissioners: strings(&["赵志强", "孙丽"]),
            team_level: Some(TeamLevel::ProvincialTeam),
            team_name: "省级水稻科技特派团".into(),
            host: "营口天域米业".into(),
            host_type: HostType::Cooperative,
            place: in_county("老边区"),
            help: vec![HelpKind::Diagnosis, HelpKind::Training],
            problems: "稻瘟病".into(),
            technologies: strings(&["域稻17"]),
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 07 - 01)),
            follows_up: Some(id(9)),
            ..Visit::blank(date!(2022 - 06 - 12))
        })
    );
    assert_eq!(
        old_draft(OLDER_VISIT_DRAFT).validate::<Visit>(TODAY),
        Ok(Visit {
            commissioners: strings(&["赵志强"]),
            host: "营口天域米业".into(),
            ..Visit::blank(date!(2022 - 06 - 12))
        })
    );
}

#[test]
fn a_draft_survives_being_kept_and_read_again() {
    for input in [training_form(), technology_form(), visit_form()] {
        let json = serde_json::to_string(&input).unwrap();
        assert_eq!(serde_json::from_str::<FormInput>(&json).unwrap(), input);
    }
    // A half-typed form too, with what does not read yet.
    let half = retyped(
        &with(&visit_form(), Field::Location, location("40.", "")),
        &[(Field::Date, "2022-06-3"), (Field::Host, "")],
    );
    let json = serde_json::to_string(&half).unwrap();
    assert_eq!(serde_json::from_str::<FormInput>(&json).unwrap(), half);
}

// ---------------------------------------------------------------- the order problems are shown in

/// Where a problem's field stands in its kind's form (a coordinate where its location does).
fn position<K: Kind>(field: Field) -> usize {
    K::FIELDS
        .iter()
        .position(|spec| {
            spec.field == field
                || (matches!(field, Field::Latitude | Field::Longitude)
                    && spec.info().control == Control::Location)
        })
        .unwrap_or_else(|| panic!("{field:?} is not on the form"))
}

fn in_form_order<K: Kind + std::fmt::Debug>(input: &FormInput) {
    let found = problems::<K>(input);
    let mut sorted = found.clone();
    sorted.sort_by_key(|(field, _)| position::<K>(*field));
    assert_eq!(found, sorted, "the form focuses the first problem");
}

#[test]
fn problems_are_reported_in_the_order_the_form_shows_their_fields() {
    // The end time is checked against the start once every field is read.
    in_form_order::<Training>(&retyped(
        &training_form(),
        &[
            (Field::StartTime, "14:00"),
            (Field::EndTime, "13:00"),
            (Field::Attendance, ""),
        ],
    ));
    in_form_order::<Technology>(&retyped(
        &technology_form(),
        &[(Field::DemonstratedOn, ""), (Field::PromotedArea, "abc")],
    ));
    in_form_order::<Visit>(&with(
        &retyped(&visit_form(), &[(Field::FollowUpBy, "2022-06-01")]),
        Field::Location,
        location("95", "x"),
    ));
}
