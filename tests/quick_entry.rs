//! Tier 1: quick entry: remembered picklists (ranking, rename and merge as new revisions only
//! where the value occurs), links between records, copies and follow-ups due around month and
//! year ends.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::followup::{copy_body, follow_up_visit, follow_ups, mark_done, week_end};
use field_ledger::domain::links::{
    LinkCounts, LinkTarget, concerning, concerning_counts, linked_technologies, technology_choices,
};
use field_ledger::domain::picklist::{Picklist, PicklistValue, rename, suggest, values};
use field_ledger::domain::*;
use time::macros::{date, datetime, time};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const LATER: OffsetDateTime = datetime!(2022-07-02 09:00 UTC);

use field_ledger_test_support as support;
use support::{NOW, author, id, officer, record, strings, technology, training, visit};

fn colleague() -> Author {
    author("9b7d0c55-0000-4000-8000-000000000002")
}

fn due_visit(date: Date, due: Date) -> Visit {
    Visit {
        follow_up_needed: true,
        follow_up_by: Some(due),
        ..visit(date)
    }
}

fn value(value: &str, uses: usize) -> PicklistValue {
    PicklistValue {
        value: value.into(),
        uses,
    }
}

fn trainers_of(record: &Record) -> Vec<String> {
    match &record.body {
        RecordBody::Training(t) => t.trainers.clone(),
        other => panic!("training expected, got {other:?}"),
    }
}

// ---------------------------------------------------------------- picklists

#[test]
fn picklist_values_are_ranked_by_use_then_by_text() {
    let mut sample = record(
        4,
        RecordBody::Visit(Visit {
            commissioners: strings(&["张华"]),
            ..visit(date!(2022 - 06 - 12))
        }),
    );
    sample.sample = true;
    // Another officer's record, merged in from an export.
    let imported = Record::create(
        id(5),
        RecordBody::Visit(Visit {
            commissioners: strings(&["赵志强", "李明"]),
            ..visit(date!(2022 - 06 - 15))
        }),
        &colleague(),
        NOW,
    );
    let deleted = record(
        6,
        RecordBody::Training(Training {
            trainers: strings(&["王五", "李明"]),
            ..training(date!(2022 - 06 - 01))
        }),
    )
    .tombstone(&officer(), LATER);
    let ledger = Ledger::from_records([
        record(
            1,
            RecordBody::Training(Training {
                trainers: strings(&[" 李明 ", "张华", ""]),
                organiser: "盖州市科技局".into(),
                ..training(date!(2022 - 06 - 10))
            }),
        ),
        record(
            2,
            RecordBody::Training(Training {
                // The same name twice in one record is one use.
                trainers: strings(&["李明", "李明"]),
                ..training(date!(2022 - 06 - 11))
            }),
        ),
        record(
            3,
            RecordBody::Technology(Technology {
                partners: strings(&["辽宁东盛集团"]),
                site: "辽宁东盛集团示范基地".into(),
                ..technology("低成本可控生物降解地膜")
            }),
        ),
        sample,
        imported,
        deleted,
    ]);

    assert_eq!(
        values(&ledger, Picklist::People),
        vec![
            value("李明", 3),
            // Equal uses: code-point order (张 U+5F20 before 赵 U+8D75).
            value("张华", 2),
            value("赵志强", 1),
        ],
        "王五 is only in a deleted record"
    );
    assert_eq!(
        values(&ledger, Picklist::Partners),
        vec![value("盖州市科技局", 1), value("辽宁东盛集团", 1)]
    );
    assert_eq!(
        values(&ledger, Picklist::Hosts),
        vec![value("营口天域米业", 2), value("辽宁东盛集团示范基地", 1)]
    );
    assert_eq!(
        values(&ledger, Picklist::Technologies),
        vec![value("低成本可控生物降解地膜", 1)]
    );
    assert!(values(&ledger, Picklist::Teams).is_empty());
}

#[test]
fn places_subjects_and_free_text_technologies_feed_their_lists() {
    let place = Place {
        county: "盖州市".into(),
        township: "九寨镇".into(),
        village: "五美房村".into(),
    };
    let ledger = Ledger::from_records([
        record(
            1,
            RecordBody::Training(Training {
                place: place.clone(),
                subjects: strings(&["水稻", "Rice"]),
                ..training(date!(2022 - 06 - 10))
            }),
        ),
        record(
            2,
            RecordBody::Visit(Visit {
                place: Place {
                    village: "西海村".into(),
                    ..place
                },
                team_name: "省级水稻科技特派团".into(),
                technologies: strings(&["稻田养蟹", "低成本可控生物降解地膜"]),
                ..visit(date!(2022 - 06 - 11))
            }),
        ),
        record(3, RecordBody::Technology(technology("稻田养蟹"))),
    ]);
    assert_eq!(
        values(&ledger, Picklist::Townships),
        vec![value("九寨镇", 2)]
    );
    assert_eq!(
        values(&ledger, Picklist::Villages),
        vec![value("五美房村", 1), value("西海村", 1)]
    );
    assert_eq!(
        values(&ledger, Picklist::Subjects),
        vec![value("Rice", 1), value("水稻", 1)]
    );
    assert_eq!(
        values(&ledger, Picklist::Technologies),
        vec![value("稻田养蟹", 2), value("低成本可控生物降解地膜", 1)]
    );
    assert_eq!(
        values(&ledger, Picklist::Teams),
        vec![value("省级水稻科技特派团", 1)]
    );
}

#[test]
fn suggestions_put_prefix_matches_first_and_leave_out_the_exact_value() {
    let list = vec![
        value("水稻", 9),
        value("优质水稻", 7),
        value("玉米", 6),
        value("水稻育秧", 4),
        value("Rice blast", 3),
        value("水稻插秧", 2),
        value("early rice", 1),
    ];
    assert_eq!(
        suggest(&list, "水稻", 10),
        vec!["水稻育秧", "水稻插秧", "优质水稻"]
    );
    assert_eq!(suggest(&list, " 水稻 ", 2), vec!["水稻育秧", "水稻插秧"]);
    assert_eq!(suggest(&list, "水稻", 0), Vec::<&str>::new());
    assert_eq!(suggest(&list, "RICE", 5), vec!["Rice blast", "early rice"]);
    assert_eq!(suggest(&list, "", 3), vec!["水稻", "优质水稻", "玉米"]);
    assert_eq!(suggest(&list, "小麦", 5), Vec::<&str>::new());
}

#[test]
fn renaming_a_person_makes_new_revisions_only_where_the_name_occurs() {
    let a = record(
        1,
        RecordBody::Training(Training {
            trainers: strings(&["李明", "张华"]),
            ..training(date!(2022 - 06 - 10))
        }),
    );
    let b = record(
        2,
        RecordBody::Training(Training {
            // A longer name containing the old one is a different person.
            trainers: strings(&["李明华"]),
            ..training(date!(2022 - 06 - 11))
        }),
    );
    let c = record(
        3,
        RecordBody::Visit(Visit {
            commissioners: strings(&["张华", "李明 "]),
            ..visit(date!(2022 - 06 - 12))
        }),
    );
    let d = record(
        4,
        RecordBody::Training(Training {
            trainers: strings(&["李明"]),
            ..training(date!(2022 - 06 - 01))
        }),
    )
    .tombstone(&officer(), NOW);
    let ledger = Ledger::from_records([a.clone(), b, c.clone(), d]);

    let revisions = rename(
        &ledger,
        Picklist::People,
        "李明",
        "李明明",
        &colleague(),
        LATER,
    );
    assert_eq!(
        revisions.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a.id, c.id]
    );
    assert_eq!(trainers_of(&revisions[0]), strings(&["李明明", "张华"]));
    let RecordBody::Visit(v) = &revisions[1].body else {
        panic!("visit expected")
    };
    assert_eq!(v.commissioners, strings(&["张华", "李明明"]));
    for (revision, before) in revisions.iter().zip([&a, &c]) {
        assert_eq!(revision.revision, 2);
        assert_eq!(revision.updated_at, LATER);
        assert_eq!(revision.created_at, before.created_at);
        assert_eq!(revision.author, "李娜");
        assert!(!revision.deleted);
    }
    // Only the People fields changed: the rest of the body is the same.
    let RecordBody::Visit(old) = &c.body else {
        panic!("visit expected")
    };
    assert_eq!(
        *v,
        Visit {
            commissioners: strings(&["张华", "李明明"]),
            ..old.clone()
        }
    );

    // The name is not a host, so renaming it as a host changes nothing.
    assert!(
        rename(
            &ledger,
            Picklist::Hosts,
            "李明",
            "李明明",
            &officer(),
            LATER
        )
        .is_empty()
    );
    assert!(
        rename(
            &ledger,
            Picklist::People,
            "李明",
            " 李明 ",
            &officer(),
            LATER
        )
        .is_empty()
    );
    assert!(rename(&ledger, Picklist::People, "李明", "  ", &officer(), LATER).is_empty());
    assert!(rename(&ledger, Picklist::People, "", "李明", &officer(), LATER).is_empty());
}

#[test]
fn merging_two_spellings_leaves_one_entry_and_keeps_the_order() {
    let mulch = record(
        1,
        RecordBody::Technology(Technology {
            partners: strings(&["东盛集团", "中科院长春应用化学研究所", "辽宁东盛集团"]),
            site: "东盛集团".into(),
            ..technology("低成本可控生物降解地膜")
        }),
    );
    let organised = record(
        2,
        RecordBody::Training(Training {
            organiser: " 东盛集团".into(),
            ..training(date!(2022 - 06 - 10))
        }),
    );
    let spelled_right = record(
        3,
        RecordBody::Technology(Technology {
            partners: strings(&["辽宁东盛集团"]),
            ..technology("地膜覆盖")
        }),
    );
    let mut ledger = Ledger::from_records([mulch.clone(), organised.clone(), spelled_right]);
    assert_eq!(
        values(&ledger, Picklist::Partners),
        vec![
            value("东盛集团", 2),
            value("辽宁东盛集团", 2),
            value("中科院长春应用化学研究所", 1)
        ]
    );

    let revisions = rename(
        &ledger,
        Picklist::Partners,
        "东盛集团",
        "辽宁东盛集团",
        &officer(),
        LATER,
    );
    assert_eq!(
        revisions
            .iter()
            .map(|r| (r.id, r.revision))
            .collect::<Vec<_>>(),
        vec![(mulch.id, 2), (organised.id, 2)]
    );
    let RecordBody::Technology(t) = &revisions[0].body else {
        panic!("technology expected")
    };
    assert_eq!(
        t.partners,
        strings(&["中科院长春应用化学研究所", "辽宁东盛集团"]),
        "merged without a duplicate, order kept"
    );
    assert_eq!(t.site, "东盛集团", "the site is a host, not a partner");
    let RecordBody::Training(tr) = &revisions[1].body else {
        panic!("training expected")
    };
    assert_eq!(tr.organiser, "辽宁东盛集团");

    for revision in revisions {
        ledger.put(revision);
    }
    assert_eq!(
        values(&ledger, Picklist::Partners),
        vec![
            value("辽宁东盛集团", 3),
            value("中科院长春应用化学研究所", 1)
        ]
    );
    assert!(
        rename(
            &ledger,
            Picklist::Partners,
            "东盛集团",
            "辽宁东盛集团",
            &officer(),
            LATER
        )
        .is_empty(),
        "nothing left to merge"
    );
}

// ---------------------------------------------------------------- links

#[test]
fn links_to_a_deleted_or_unknown_technology_show_as_removed() {
    let mulch = record(
        1,
        RecordBody::Technology(technology("低成本可控生物降解地膜")),
    );
    let rice = record(2, RecordBody::Technology(technology("域稻17香味改良")));
    let unknown = id(77);
    let course = record(
        10,
        RecordBody::Training(Training {
            technology_ids: vec![rice.id, mulch.id, unknown, rice.id],
            ..training(date!(2022 - 06 - 10))
        }),
    );
    let ledger = Ledger::from_records([
        mulch.clone(),
        rice.tombstone(&officer(), LATER),
        course.clone(),
    ]);
    let links = linked_technologies(&ledger, &course);
    assert_eq!(
        links,
        vec![
            LinkTarget::Removed(rice.id),
            LinkTarget::Live(ledger.get(&mulch.id).expect("stored")),
            LinkTarget::Removed(unknown),
        ]
    );
    // A link to a record of another kind is not a technology.
    let odd = record(
        11,
        RecordBody::Visit(Visit {
            technology_ids: vec![course.id],
            ..visit(date!(2022 - 06 - 11))
        }),
    );
    assert_eq!(
        linked_technologies(&ledger, &odd),
        vec![LinkTarget::Removed(course.id)]
    );
    assert!(linked_technologies(&ledger, &mulch).is_empty());
}

#[test]
fn a_technology_lists_the_live_trainings_and_visits_that_concern_it() {
    let mulch = record(
        1,
        RecordBody::Technology(technology("低成本可控生物降解地膜")),
    );
    let other = record(2, RecordBody::Technology(technology("稻田养蟹")));
    let old_course = record(
        10,
        RecordBody::Training(Training {
            technology_ids: vec![mulch.id],
            ..training(date!(2022 - 05 - 10))
        }),
    );
    let field_visit = record(
        11,
        RecordBody::Visit(Visit {
            technology_ids: vec![other.id, mulch.id],
            ..visit(date!(2022 - 06 - 20))
        }),
    );
    let same_day = Record::create(
        id(12),
        RecordBody::Visit(Visit {
            technology_ids: vec![mulch.id],
            ..visit(date!(2022 - 06 - 20))
        }),
        &officer(),
        LATER,
    );
    let deleted_visit = record(
        13,
        RecordBody::Visit(Visit {
            technology_ids: vec![mulch.id],
            ..visit(date!(2022 - 07 - 01))
        }),
    )
    .tombstone(&officer(), LATER);
    let unrelated = record(14, RecordBody::Training(training(date!(2022 - 06 - 25))));
    let ledger = Ledger::from_records([
        mulch.clone(),
        other.clone(),
        old_course.clone(),
        field_visit.clone(),
        same_day.clone(),
        deleted_visit,
        unrelated,
    ]);

    assert_eq!(
        concerning(&ledger, mulch.id)
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![same_day.id, field_visit.id, old_course.id],
        "newest first; the later change wins a tie on date"
    );
    assert_eq!(
        concerning_counts(&ledger, mulch.id),
        LinkCounts {
            trainings: 1,
            visits: 2
        }
    );
    assert_eq!(
        concerning(&ledger, other.id)
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![field_visit.id]
    );
    assert_eq!(concerning_counts(&ledger, id(999)), LinkCounts::default());
}

#[test]
fn the_link_picker_offers_live_technologies_by_name() {
    let mulch = record(
        1,
        RecordBody::Technology(technology("低成本可控生物降解地膜")),
    );
    let film = record(2, RecordBody::Technology(technology("Biodegradable film")));
    let crab = record(3, RecordBody::Technology(technology("稻田养蟹")));
    let gone =
        record(4, RecordBody::Technology(technology("旧式地膜"))).tombstone(&officer(), LATER);
    let ledger = Ledger::from_records([
        mulch.clone(),
        film.clone(),
        crab.clone(),
        gone,
        record(5, RecordBody::Training(training(date!(2022 - 06 - 10)))),
    ]);
    let ids = |typed: &str| {
        technology_choices(&ledger, typed)
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("地膜"), vec![mulch.id]);
    assert_eq!(ids("FILM"), vec![film.id]);
    assert_eq!(ids("  "), vec![film.id, mulch.id, crab.id]);
    assert!(ids("玉米").is_empty());
}

// ---------------------------------------------------------------- follow-ups

fn due_ids(list: &[field_ledger::domain::followup::FollowUp<'_>]) -> Vec<(Uuid, Date, bool)> {
    list.iter()
        .map(|f| (f.visit.id, f.due, f.overdue))
        .collect()
}

#[test]
fn the_week_ends_on_sunday_across_month_and_year_ends() {
    assert_eq!(week_end(date!(2022 - 12 - 30)), date!(2023 - 01 - 01));
    assert_eq!(week_end(date!(2023 - 01 - 01)), date!(2023 - 01 - 01));
    assert_eq!(week_end(date!(2023 - 01 - 02)), date!(2023 - 01 - 08));
    assert_eq!(week_end(date!(2024 - 02 - 26)), date!(2024 - 03 - 03));
    assert_eq!(week_end(date!(2024 - 02 - 29)), date!(2024 - 03 - 03));
    assert_eq!(
        week_end(Date::MAX),
        Date::MAX,
        "no overflow at the end of time"
    );
}

#[test]
fn follow_ups_around_the_year_end() {
    let today = date!(2022 - 12 - 30); // a Friday
    let visited = date!(2022 - 12 - 01);
    let ledger = Ledger::from_records([
        record(
            1,
            RecordBody::Visit(due_visit(visited, date!(2022 - 12 - 29))),
        ),
        record(
            2,
            RecordBody::Visit(due_visit(visited, date!(2023 - 01 - 01))),
        ),
        record(
            3,
            RecordBody::Visit(due_visit(visited, date!(2022 - 12 - 31))),
        ),
        record(
            4,
            RecordBody::Visit(due_visit(visited, date!(2023 - 01 - 02))),
        ),
        record(
            5,
            RecordBody::Visit(due_visit(visited, date!(2022 - 12 - 30))),
        ),
        // Due the same day as 3 but visited earlier: listed before it.
        record(
            6,
            RecordBody::Visit(due_visit(date!(2022 - 11 - 20), date!(2022 - 12 - 31))),
        ),
        // A date but no follow-up asked for.
        record(
            7,
            RecordBody::Visit(Visit {
                follow_up_needed: false,
                ..due_visit(visited, date!(2022 - 12 - 29))
            }),
        ),
        // Asked for but never dated: nothing to sort it by.
        record(
            8,
            RecordBody::Visit(Visit {
                follow_up_by: None,
                ..due_visit(visited, date!(2022 - 12 - 29))
            }),
        ),
        record(
            9,
            RecordBody::Visit(due_visit(visited, date!(2022 - 12 - 28))),
        )
        .tombstone(&officer(), LATER),
    ]);
    let due = follow_ups(&ledger, today);
    assert_eq!(
        due_ids(&due.overdue),
        vec![(id(1), date!(2022 - 12 - 29), true)]
    );
    assert_eq!(
        due_ids(&due.this_week),
        vec![
            (id(5), date!(2022 - 12 - 30), false),
            (id(6), date!(2022 - 12 - 31), false),
            (id(3), date!(2022 - 12 - 31), false),
            (id(2), date!(2023 - 01 - 01), false),
        ],
        "2023-01-01 is the Sunday of the same ISO week; 2023-01-02 is next week"
    );
}

#[test]
fn follow_ups_in_a_leap_february() {
    let today = date!(2024 - 02 - 28); // a Wednesday
    let visited = date!(2024 - 02 - 01);
    let ledger = Ledger::from_records([
        record(
            1,
            RecordBody::Visit(due_visit(visited, date!(2024 - 03 - 04))),
        ),
        record(
            2,
            RecordBody::Visit(due_visit(visited, date!(2024 - 03 - 03))),
        ),
        record(
            3,
            RecordBody::Visit(due_visit(visited, date!(2024 - 02 - 29))),
        ),
        record(
            4,
            RecordBody::Visit(due_visit(visited, date!(2024 - 02 - 28))),
        ),
        record(
            5,
            RecordBody::Visit(due_visit(visited, date!(2024 - 02 - 27))),
        ),
        record(
            6,
            RecordBody::Visit(due_visit(visited, date!(2023 - 12 - 31))),
        ),
    ]);
    let due = follow_ups(&ledger, today);
    assert_eq!(
        due_ids(&due.overdue),
        vec![
            (id(6), date!(2023 - 12 - 31), true),
            (id(5), date!(2024 - 02 - 27), true),
        ]
    );
    assert_eq!(
        due_ids(&due.this_week),
        vec![
            (id(4), date!(2024 - 02 - 28), false),
            (id(3), date!(2024 - 02 - 29), false),
            (id(2), date!(2024 - 03 - 03), false),
        ]
    );
}

#[test]
fn a_follow_up_visit_closes_it_and_deleting_that_visit_reopens_it() {
    let today = date!(2022 - 07 - 01);
    let original = record(
        1,
        RecordBody::Visit(due_visit(date!(2022 - 06 - 20), today)),
    );
    let mut ledger = Ledger::from_records([original.clone()]);
    assert_eq!(
        due_ids(&follow_ups(&ledger, today).this_week),
        vec![(id(1), today, false)]
    );
    // What decides whether the home fetches the follow-ups' list.
    assert!(!follow_ups(&ledger, today).is_empty());
    assert!(
        follow_ups(&ledger, date!(2022 - 06 - 20)).is_empty(),
        "due next week"
    );

    let body = follow_up_visit(&original, today).expect("a visit");
    let follow = Record::create(id(2), RecordBody::Visit(body), &officer(), LATER);
    ledger.put(follow.clone());
    let due = follow_ups(&ledger, today);
    assert!(due.is_empty(), "{due:?}");
    // The follow-up visit asks for no follow-up of its own.
    assert_eq!(
        follow_ups(&ledger, date!(2022 - 07 - 30)),
        Default::default()
    );

    ledger.put(follow.tombstone(&officer(), LATER));
    assert_eq!(
        due_ids(&follow_ups(&ledger, date!(2022 - 07 - 05)).overdue),
        vec![(id(1), today, true)],
        "the deleted follow-up no longer counts"
    );
}

#[test]
fn marking_a_follow_up_done_closes_it_and_keeps_its_date() {
    let today = date!(2022 - 07 - 04);
    let original = record(
        1,
        RecordBody::Visit(due_visit(date!(2022 - 06 - 20), date!(2022 - 07 - 01))),
    );
    let mut ledger = Ledger::from_records([original.clone()]);
    assert_eq!(follow_ups(&ledger, today).overdue.len(), 1);

    let done = mark_done(&original).expect("a visit");
    assert!(!done.follow_up_needed);
    assert_eq!(done.follow_up_by, Some(date!(2022 - 07 - 01)));
    assert_eq!(
        done,
        Visit {
            follow_up_needed: false,
            ..due_visit(date!(2022 - 06 - 20), date!(2022 - 07 - 01))
        }
    );
    let revision = original.edited(RecordBody::Visit(done), &officer(), LATER);
    assert_eq!(revision.revision, 2);
    ledger.put(revision);
    assert_eq!(follow_ups(&ledger, today), Default::default());

    let course = record(2, RecordBody::Training(training(today)));
    assert_eq!(mark_done(&course), None);
    assert_eq!(follow_up_visit(&course, today), None);
}

#[test]
fn a_follow_up_visit_copies_who_where_and_what_and_links_back() {
    let mulch = record(
        1,
        RecordBody::Technology(technology("低成本可控生物降解地膜")),
    );
    let place = Place {
        county: "大石桥市".into(),
        township: "高坎镇".into(),
        village: "西沟村".into(),
    };
    let original = record(
        2,
        RecordBody::Visit(Visit {
            start_time: Some(time!(9:00)),
            commissioners: strings(&["赵志强", "孙丽"]),
            team_level: Some(TeamLevel::ProvincialTeam),
            team_name: "省级设施农业科技特派团".into(),
            host: "高坎镇西沟村".into(),
            host_type: HostType::Village,
            place: place.clone(),
            help: vec![HelpKind::Diagnosis, HelpKind::Demonstration],
            problems: "地膜降解过快".into(),
            advice: "调整配方".into(),
            technologies: strings(&["生物降解地膜"]),
            technology_ids: vec![mulch.id],
            location: Some(GeoPoint {
                latitude: 40.65,
                longitude: 122.5,
                accuracy_m: Some(8.0),
                captured_at: None,
            }),
            notes: "农户反映良好".into(),
            ..due_visit(date!(2022 - 06 - 20), date!(2022 - 07 - 01))
        }),
    );
    let today = date!(2022 - 07 - 01);
    let copy = follow_up_visit(&original, today).expect("a visit");
    // Who, where and which technologies carry over, linked back; the rest is a new visit's.
    assert_eq!(
        copy,
        Visit {
            commissioners: strings(&["赵志强", "孙丽"]),
            team_level: Some(TeamLevel::ProvincialTeam),
            team_name: "省级设施农业科技特派团".into(),
            host: "高坎镇西沟村".into(),
            host_type: HostType::Village,
            place,
            help: vec![HelpKind::FollowUp],
            technologies: strings(&["生物降解地膜"]),
            technology_ids: vec![mulch.id],
            follows_up: Some(original.id),
            ..Visit::blank(today)
        }
    );
    let ledger = Ledger::from_records([mulch.clone(), original.clone()]);
    let follow = record(3, RecordBody::Visit(copy));
    assert_eq!(
        linked_technologies(&ledger, &follow),
        vec![LinkTarget::Live(ledger.get(&mulch.id).expect("stored"))]
    );
}

#[test]
fn new_from_this_one_dates_the_copy_today() {
    let today = date!(2022 - 06 - 27);
    let weekly = record(
        1,
        RecordBody::Training(Training {
            start_time: Some(time!(9:00)),
            end_time: Some(time!(11:30)),
            trainers: strings(&["李明"]),
            attendance: 45,
            ..training(date!(2022 - 06 - 20))
        }),
    );
    let RecordBody::Training(copied) = copy_body(&weekly, today) else {
        panic!("training expected")
    };
    assert_eq!(copied.date, today);
    assert_eq!(copied.start_time, Some(time!(9:00)));
    assert_eq!(copied.attendance, 45);
    assert_eq!(copied.trainers, strings(&["李明"]));

    let trip = record(
        2,
        RecordBody::Visit(Visit {
            follows_up: Some(id(9)),
            problems: "稻瘟病".into(),
            location: Some(GeoPoint {
                latitude: 40.1,
                longitude: 122.3,
                accuracy_m: None,
                captured_at: None,
            }),
            ..due_visit(date!(2022 - 06 - 20), date!(2022 - 07 - 01))
        }),
    );
    let RecordBody::Visit(copied) = copy_body(&trip, today) else {
        panic!("visit expected")
    };
    assert_eq!(
        copied,
        Visit {
            problems: "稻瘟病".into(),
            ..visit(today)
        }
    );

    let mulch = record(
        3,
        RecordBody::Technology(technology("低成本可控生物降解地膜")),
    );
    assert_eq!(copy_body(&mulch, today), mulch.body);
}
