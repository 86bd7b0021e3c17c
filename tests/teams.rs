#![cfg(not(target_arch = "wasm32"))]
//! Tier 1: teams (科技特派团/组) as a kind of record — their form's rules, the status and its
//! dates, the links other records make to them, picklists, storage, the export of schema
//! version 2 (and version 1 files still importing), merging and tombstones.

use field_ledger::domain::form::{FormInput, Input, check_body};
use field_ledger::domain::links::{LinkTarget, linked_record, linking_team};
use field_ledger::domain::picklist::{Picklist, rename, values};
use field_ledger::domain::*;
use field_ledger::storage::stored;
use time::macros::{date, datetime};
use uuid::Uuid;

use field_ledger_test_support as support;
use support::schema::{export_schema_errors, export_v1_validator};
use support::{
    NOW, TODAY, author, demand, file_of, full_team, id, officer, record, team, training, visit,
    visit_in,
};

/// The problems the form finds in a team, in the order of its fields.
fn problems(team: &Team) -> Vec<(Field, Problem)> {
    match check_body(team, TODAY) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
    }
}

#[test]
fn a_team_with_every_field_and_a_blank_one_pass_their_form() {
    assert_eq!(problems(&full_team()), []);
    assert_eq!(problems(&team("市级水稻科技特派团")), []);
    // A blank team only lacks its name: it starts as a draft dated today, this year.
    assert_eq!(
        problems(&Team::blank(TODAY)),
        [(Field::Name, Problem::Required)]
    );
}

#[test]
fn each_status_needs_its_date() {
    for status in TeamStatus::ALL {
        let mut t = Team {
            status,
            ..team("团")
        };
        // Dates up to this status, none after.
        for later in TeamStatus::ALL.into_iter().filter(|s| *s > status) {
            match later {
                TeamStatus::Draft => t.drafted_on = None,
                TeamStatus::Applied => t.applied_on = None,
                TeamStatus::Approved => t.approved_on = None,
                TeamStatus::Serving => t.serving_since = None,
                TeamStatus::Closed => t.closed_on = None,
            }
        }
        if status == TeamStatus::Closed {
            t.closed_on = Some(date!(2022 - 12 - 01));
        }
        assert_eq!(problems(&t), [], "{status:?} with its dates");
        let without = match status {
            TeamStatus::Draft => Team {
                drafted_on: None,
                ..t
            },
            TeamStatus::Applied => Team {
                applied_on: None,
                ..t
            },
            TeamStatus::Approved => Team {
                approved_on: None,
                ..t
            },
            TeamStatus::Serving => Team {
                serving_since: None,
                ..t
            },
            TeamStatus::Closed => Team {
                closed_on: None,
                ..t
            },
        };
        assert_eq!(
            problems(&without),
            [(status.date_field(), Problem::Required)],
            "{status:?} without its date"
        );
    }
}

#[test]
fn a_date_for_a_status_not_reached_and_dates_going_backwards_are_refused() {
    let applied = Team {
        status: TeamStatus::Applied,
        approved_on: Some(date!(2022 - 07 - 01)),
        serving_since: None,
        ..team("团")
    };
    assert_eq!(
        problems(&applied),
        [(Field::ApprovedOn, Problem::StatusNotReached)]
    );
    let backwards = Team {
        approved_on: Some(date!(2022 - 06 - 05)),
        ..team("团")
    };
    assert_eq!(
        problems(&backwards),
        [(Field::ApprovedOn, Problem::StatusDatesOutOfOrder)]
    );
    // Earlier steps may be left without a date (a team entered once it was approved).
    let approved_only = Team {
        status: TeamStatus::Approved,
        drafted_on: None,
        applied_on: None,
        serving_since: None,
        ..team("团")
    };
    assert_eq!(problems(&approved_only), []);
}

#[test]
fn the_year_is_required_and_plausible() {
    assert_eq!(
        problems(&Team {
            year: None,
            ..team("团")
        }),
        [(Field::Year, Problem::Required)]
    );
    assert_eq!(
        problems(&Team {
            year: Some(1999),
            ..team("团")
        }),
        [(Field::Year, Problem::TooFarInPast)]
    );
    assert_eq!(
        problems(&Team {
            year: Some(2024),
            ..team("团")
        }),
        [(Field::Year, Problem::TooFarInFuture)]
    );
}

#[test]
fn typing_a_later_status_date_moves_the_status_there() {
    let mut input = FormInput::from_body(&Team::blank(TODAY), "、");
    input.set(Field::ApprovedOn, Input::Text("2022-06-18".into()));
    Team::adjust(&mut input, Field::ApprovedOn);
    assert_eq!(input.text(Field::TeamStatus), "approved");
    // An earlier date never moves it back.
    input.set(Field::DraftedOn, Input::Text("2022-06-01".into()));
    Team::adjust(&mut input, Field::DraftedOn);
    assert_eq!(input.text(Field::TeamStatus), "approved");
}

#[test]
fn visits_trainings_technologies_and_demands_link_a_team_and_a_deleted_team_shows_as_removed() {
    let the_team = record(1, team("市级水稻科技特派团"));
    let linked_visit = record(
        2,
        Visit {
            team_id: Some(id(1)),
            ..visit(date!(2022 - 07 - 20))
        },
    );
    let linked_training = record(
        3,
        Training {
            team_id: Some(id(1)),
            ..training(date!(2022 - 07 - 25))
        },
    );
    let other_visit = record(4, visit(date!(2022 - 07 - 21)));
    let matched = record(
        5,
        Demand {
            status: DemandStatus::Matched,
            team_id: Some(id(1)),
            matched_on: Some(date!(2022 - 06 - 30)),
            ..demand("合作社")
        },
    );
    let mut ledger = Ledger::from_records([
        the_team.clone(),
        linked_visit.clone(),
        linked_training.clone(),
        other_visit,
        matched.clone(),
    ]);
    let ids: Vec<Uuid> = linking_team(&ledger, id(1)).iter().map(|r| r.id).collect();
    assert_eq!(ids, [id(3), id(2), id(5)], "newest first");
    assert!(matches!(
        linked_record(&ledger, linked_visit.body.team_id(), RecordKind::Team),
        Some(LinkTarget::Live(r)) if r.id == id(1)
    ));

    // Deleted: the link stays, shown as removed, and nothing is dropped.
    ledger.put(the_team.tombstone(&officer(), datetime!(2022-08-01 0:00 UTC)));
    assert_eq!(
        linked_record(&ledger, linked_visit.body.team_id(), RecordKind::Team),
        Some(LinkTarget::Removed(id(1)))
    );
    // A link to a record of another kind is no team.
    assert_eq!(
        linked_record(&ledger, Some(id(4)), RecordKind::Team),
        Some(LinkTarget::Removed(id(4)))
    );
    assert_eq!(linked_record(&ledger, None, RecordKind::Team), None);
    // The records that link it still say so.
    assert_eq!(ledger.get(&id(2)).unwrap().body.team_id(), Some(id(1)));
}

#[test]
fn leader_and_members_both_feed_the_people_picklist_and_a_rename_reaches_both() {
    let ledger = Ledger::from_records([
        record(1, team("甲团")),
        record(
            2,
            Team {
                leader: "孙丽".into(),
                members: vec!["赵志强".into()],
                ..team("乙团")
            },
        ),
    ]);
    let people = values(&ledger, Picklist::People);
    let uses = |name: &str| people.iter().find(|v| v.value == name).map(|v| v.uses);
    assert_eq!(uses("赵志强"), Some(2));
    assert_eq!(uses("孙丽"), Some(2));
    assert_eq!(uses("刘海峰"), Some(1));
    assert_eq!(
        values(&ledger, Picklist::Industries)[0].value,
        "水稻",
        "the industry is remembered"
    );
    let renamed = rename(
        &ledger,
        Picklist::People,
        "孙丽",
        "孙 丽",
        &officer(),
        datetime!(2022-08-01 0:00 UTC),
    );
    assert_eq!(renamed.len(), 2);
    for revision in &renamed {
        let RecordBody::Team(t) = &revision.body else {
            panic!("a team")
        };
        assert!(t.people().contains(&"孙 丽"), "{t:?}");
        assert!(!t.people().contains(&"孙丽"));
        assert_eq!(revision.revision, 2);
    }
}

#[test]
fn a_team_is_stored_under_a_name_of_its_own_and_reads_back() {
    let mut devices = stored::Devices::default();
    devices.push(officer().device_id);
    let stored_team = record(1, full_team());
    let text = stored::encode(&stored_team, &devices).unwrap();
    assert!(text.contains(r#""tm":{"#), "{text}");
    assert!(text.starts_with(r#"{"s":3,"#), "{text}");
    assert_eq!(stored::decode(id(1), &text, &devices), Ok(stored_team));
}

#[test]
fn an_export_with_teams_follows_the_schema_and_imports_whole() {
    let records = vec![
        record(1, full_team()),
        record(2, team("市级设施蔬菜科技特派团"))
            .tombstone(&officer(), datetime!(2022-06-21 0:00 UTC)),
        record(
            3,
            Visit {
                team_id: Some(id(1)),
                ..visit(date!(2022 - 06 - 12))
            },
        ),
    ];
    let text = file_of("device-b", records.clone()).to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["schema_version"], 3);
    assert_eq!(export_schema_errors(&value), Vec::<String>::new());
    let imported = parse_export(&text, TODAY).unwrap();
    let mut expected = records;
    expected.sort_by_key(|r| (r.created_at, r.id));
    assert_eq!(imported.records, expected);
    // The schema checks a team's data.
    let mut broken = value.clone();
    broken["records"][0]["data"]["status"] = "dissolved".into();
    assert!(!export_schema_errors(&broken).is_empty());
}

#[test]
fn a_version_1_file_still_imports_and_follows_the_version_1_schema() {
    let text = include_str!("fixtures/export-schema-1.json");
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert!(export_v1_validator().is_valid(&value));
    let envelope = parse_export(text, TODAY).unwrap();
    assert_eq!(envelope.schema_version, 1);
    assert!(!envelope.records.is_empty());
    // What a version 1 file holds keeps version 1.
    assert!(envelope.records.iter().all(|r| r.schema_version == 1));
}

#[test]
fn a_version_1_file_cannot_hold_a_team() {
    let mut value: serde_json::Value = serde_json::from_str(
        &file_of("device-b", vec![record(1, team("团"))])
            .to_json()
            .unwrap(),
    )
    .unwrap();
    value["schema_version"] = 1.into();
    // The checksum covers only the records, so the file is otherwise sound.
    let problems = parse_export(&value.to_string(), TODAY).unwrap_err();
    assert!(
        matches!(&problems[..], [ImportProblem::BadRecord { index: 0, message }] if message.contains("team")),
        "{problems:?}"
    );
}

#[test]
fn team_edits_merge_like_every_record_with_conflicts_kept_and_tombstones_winning() {
    let original = record(1, team("市级水稻科技特派团"));
    let at = datetime!(2022-07-01 0:00 UTC);
    let ours = original.edited(
        Team {
            notes: "我们的".into(),
            ..team("市级水稻科技特派团")
        }
        .into_body(),
        &officer(),
        at,
    );
    let theirs = original.edited(
        Team {
            notes: "他们的".into(),
            ..team("市级水稻科技特派团")
        }
        .into_body(),
        &author("device-b"),
        at,
    );
    let mut ledger = Ledger::from_records([ours.clone()]);
    let (report, _) = ledger.merge([original.clone(), theirs.clone()]);
    assert_eq!(report.conflicts, vec![id(1)]);
    let shown = ledger.get(&id(1)).unwrap();
    assert_eq!(shown.revision, 2);
    let versions: Vec<&Record> = std::iter::once(shown).chain(&shown.history).collect();
    assert!(versions.iter().any(|v| v.body == ours.body));
    assert!(versions.iter().any(|v| v.body == theirs.body));

    // The same merge in the other order gives the same ledger.
    let mut other = Ledger::from_records([theirs.clone()]);
    other.merge([ours.clone(), original.clone()]);
    assert_eq!(other, ledger);

    // A delete one revision up wins, and travels.
    let deleted = shown.tombstone(&author("device-b"), datetime!(2022-07-02 0:00 UTC));
    let (report, _) = ledger.merge([deleted]);
    assert_eq!(report.deleted, 1);
    assert_eq!(ledger.count(RecordKind::Team), 0);
    assert!(ledger.get(&id(1)).unwrap().deleted);
}

#[test]
fn an_import_checks_a_team_by_its_form() {
    let bad = record(
        1,
        Team {
            status: TeamStatus::Approved,
            approved_on: None,
            serving_since: None,
            ..team("团")
        },
    );
    let text = file_of("device-b", vec![bad]).to_json().unwrap();
    let problems = parse_export(&text, TODAY).unwrap_err();
    assert!(
        matches!(&problems[..], [ImportProblem::InvalidRecord { index: 0, errors }]
            if errors[0].field == Field::ApprovedOn),
        "{problems:?}"
    );
}

#[test]
fn visits_naming_a_team_in_text_are_linked_to_the_team_record_of_that_name_in_one_step() {
    use field_ledger::domain::links::link_team_names;
    let rice = record(1, team("水稻产业科技特派团"));
    let fruit = record(2, team("果树科技特派组"));
    // Two team records of one name: which was meant is not known.
    let twin_a = record(3, team("蔬菜科技特派团"));
    let twin_b = record(4, team("蔬菜科技特派团"));
    let named = |n: u128, name: &str| {
        record(
            n,
            Visit {
                team_name: name.into(),
                ..visit_in("盖州市", date!(2022 - 07 - 20))
            },
        )
    };
    let spaced = named(10, " 水稻产业科技特派团 ");
    let already = record(
        11,
        Visit {
            team_name: "水稻产业科技特派团".into(),
            team_id: Some(fruit.id),
            ..visit_in("盖州市", date!(2022 - 07 - 21))
        },
    );
    let unknown = named(12, "不存在的团");
    let twin = named(13, "蔬菜科技特派团");
    let blank = named(14, "");
    let deleted = named(15, "果树科技特派组").tombstone(&officer(), NOW);
    let ledger = Ledger::from_records([
        rice.clone(),
        fruit,
        twin_a,
        twin_b,
        spaced.clone(),
        already,
        unknown,
        twin,
        blank,
        deleted,
    ]);
    let revisions = link_team_names(&ledger, &officer(), NOW);
    assert_eq!(revisions.len(), 1, "{revisions:#?}");
    let linked = &revisions[0];
    assert_eq!(linked.id, spaced.id);
    assert_eq!(linked.revision, spaced.revision + 1, "a new revision");
    assert_eq!(linked.body.team_id(), Some(rice.id));
    match &linked.body {
        RecordBody::Visit(v) => assert_eq!(v.team_name, " 水稻产业科技特派团 ", "the text is kept"),
        other => panic!("{other:?}"),
    }
}
