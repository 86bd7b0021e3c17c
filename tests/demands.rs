#![cfg(not(target_arch = "wasm32"))]
//! Tier 1: technology demands (技术需求) as a kind of record — status transitions and their
//! dates, the team a match needs, the reason a closed demand needs, the visits and trainings
//! that answer a demand (time to the first visit), links to deleted records, storage, the
//! export, merging and tombstones.

use field_ledger::domain::form::{FormInput, Input, check_body};
use field_ledger::domain::links::{
    LinkTarget, answering_demand, days_to_first_visit, linked_record,
};
use field_ledger::domain::*;
use field_ledger::storage::stored;
use time::macros::{date, datetime};

use field_ledger_test_support as support;
use support::schema::export_schema_errors;
use support::{
    TODAY, author, demand, file_of, full_demand, id, officer, record, team, training, visit,
};

fn problems(demand: &Demand) -> Vec<(Field, Problem)> {
    match check_body(demand, TODAY) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
    }
}

/// The demand at each status, with what that status needs.
fn at_status(status: DemandStatus) -> Demand {
    let open = demand("盖州市九寨镇水稻合作社");
    let matched = Demand {
        status: DemandStatus::Matched,
        team_id: Some(id(1)),
        matched_on: Some(date!(2022 - 06 - 25)),
        ..open.clone()
    };
    let serving = Demand {
        status: DemandStatus::Serving,
        serving_since: Some(date!(2022 - 07 - 01)),
        ..matched.clone()
    };
    match status {
        DemandStatus::Open => open,
        DemandStatus::Matched => matched,
        DemandStatus::Serving => serving,
        DemandStatus::Solved => Demand {
            status: DemandStatus::Solved,
            ended_on: Some(date!(2022 - 09 - 01)),
            ..serving
        },
        DemandStatus::Closed => Demand {
            status: DemandStatus::Closed,
            ended_on: Some(date!(2022 - 09 - 01)),
            unsolved_reason: "缺少合适的品种".into(),
            ..serving
        },
    }
}

#[test]
fn each_status_with_what_it_needs_passes_the_form() {
    for status in DemandStatus::ALL {
        assert_eq!(problems(&at_status(status)), [], "{status:?}");
    }
    assert_eq!(problems(&full_demand()), []);
    assert_eq!(
        problems(&Demand::blank(TODAY)),
        [
            (Field::Host, Problem::Required),
            (Field::Need, Problem::Required)
        ]
    );
}

#[test]
fn a_status_needs_its_date() {
    let matched = Demand {
        matched_on: None,
        ..at_status(DemandStatus::Matched)
    };
    assert_eq!(problems(&matched), [(Field::MatchedOn, Problem::Required)]);
    let serving = Demand {
        serving_since: None,
        ..at_status(DemandStatus::Serving)
    };
    assert_eq!(
        problems(&serving),
        [(Field::ServingSince, Problem::Required)]
    );
    for status in [DemandStatus::Solved, DemandStatus::Closed] {
        let ended = Demand {
            ended_on: None,
            ..at_status(status)
        };
        assert_eq!(problems(&ended), [(Field::EndedOn, Problem::Required)]);
    }
}

#[test]
fn matching_needs_a_team_and_closing_unsolved_needs_a_reason() {
    for status in [
        DemandStatus::Matched,
        DemandStatus::Serving,
        DemandStatus::Solved,
    ] {
        let without_team = Demand {
            team_id: None,
            ..at_status(status)
        };
        assert_eq!(
            problems(&without_team),
            [(Field::TeamId, Problem::Required)],
            "{status:?}"
        );
    }
    let no_reason = Demand {
        unsolved_reason: String::new(),
        ..at_status(DemandStatus::Closed)
    };
    assert_eq!(
        problems(&no_reason),
        [(Field::UnsolvedReason, Problem::Required)]
    );
    // A demand no team could take is closed straight from open, with a reason.
    let closed_unmatched = Demand {
        status: DemandStatus::Closed,
        ended_on: Some(date!(2022 - 07 - 01)),
        unsolved_reason: "超出农业领域".into(),
        ..demand("营口某企业")
    };
    assert_eq!(problems(&closed_unmatched), []);
    assert!(!closed_unmatched.was_matched());
    assert!(at_status(DemandStatus::Closed).was_matched());
}

#[test]
fn dates_go_forward_and_a_status_not_reached_has_none() {
    let before_collection = Demand {
        matched_on: Some(date!(2022 - 06 - 10)),
        ..at_status(DemandStatus::Matched)
    };
    assert_eq!(
        problems(&before_collection),
        [(Field::MatchedOn, Problem::StatusDatesOutOfOrder)]
    );
    let solved_before_service = Demand {
        ended_on: Some(date!(2022 - 06 - 28)),
        ..at_status(DemandStatus::Solved)
    };
    assert_eq!(
        problems(&solved_before_service),
        [(Field::EndedOn, Problem::StatusDatesOutOfOrder)]
    );
    let open_with_a_match_date = Demand {
        matched_on: Some(date!(2022 - 06 - 25)),
        ..at_status(DemandStatus::Open)
    };
    assert_eq!(
        problems(&open_with_a_match_date),
        [(Field::MatchedOn, Problem::StatusNotReached)]
    );
    let matched_with_an_end = Demand {
        ended_on: Some(date!(2022 - 09 - 01)),
        ..at_status(DemandStatus::Matched)
    };
    assert_eq!(
        problems(&matched_with_an_end),
        [(Field::EndedOn, Problem::StatusNotReached)]
    );
}

#[test]
fn typing_a_match_or_service_date_moves_the_status_forward() {
    let mut input = FormInput::from_body(&demand("合作社"), "、");
    input.set(Field::MatchedOn, Input::Text("2022-06-25".into()));
    Demand::adjust(&mut input, Field::MatchedOn);
    assert_eq!(input.text(Field::DemandStatus), "matched");
    input.set(Field::ServingSince, Input::Text("2022-07-01".into()));
    Demand::adjust(&mut input, Field::ServingSince);
    assert_eq!(input.text(Field::DemandStatus), "serving");
    // The form then asks for the team.
    let errors = input.validate::<Demand>(TODAY).unwrap_err();
    assert_eq!(errors[0].field, Field::TeamId);
}

#[test]
fn a_demand_shows_the_visits_answering_it_and_the_days_to_the_first() {
    let collected = record(1, demand("合作社"));
    let answer = |n, day| {
        record(
            n,
            Visit {
                demand_id: Some(id(1)),
                ..visit(day)
            },
        )
    };
    let second = answer(3, date!(2022 - 07 - 08));
    let first = answer(2, date!(2022 - 06 - 30));
    let trained = record(
        4,
        Training {
            demand_id: Some(id(1)),
            ..training(date!(2022 - 07 - 10))
        },
    );
    let mut ledger = Ledger::from_records([
        collected.clone(),
        first.clone(),
        second.clone(),
        trained,
        record(5, visit(date!(2022 - 06 - 21))),
    ]);
    assert_eq!(days_to_first_visit(&ledger, &collected), Some(10));
    let answering: Vec<_> = answering_demand(&ledger, id(1))
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(answering, [id(4), id(3), id(2)]);

    // A deleted visit no longer answers it: the next one is the first.
    ledger.put(first.tombstone(&officer(), datetime!(2022-07-09 0:00 UTC)));
    assert_eq!(days_to_first_visit(&ledger, &collected), Some(18));
    ledger.put(second.tombstone(&officer(), datetime!(2022-07-09 0:00 UTC)));
    assert_eq!(
        days_to_first_visit(&ledger, &collected),
        None,
        "a training is no visit"
    );

    // The demand deleted: a visit's link to it shows as removed.
    ledger.put(collected.tombstone(&officer(), datetime!(2022-07-10 0:00 UTC)));
    assert_eq!(
        linked_record(&ledger, first.body.demand_id(), RecordKind::Demand),
        Some(LinkTarget::Removed(id(1)))
    );
}

#[test]
fn a_demand_matched_to_a_deleted_team_keeps_its_link() {
    let the_team = record(1, team("市级水稻科技特派团"));
    let matched = record(2, at_status(DemandStatus::Matched));
    let mut ledger = Ledger::from_records([the_team.clone(), matched.clone()]);
    assert!(matches!(
        linked_record(&ledger, matched.body.team_id(), RecordKind::Team),
        Some(LinkTarget::Live(_))
    ));
    ledger.put(the_team.tombstone(&officer(), datetime!(2022-07-01 0:00 UTC)));
    assert_eq!(
        linked_record(&ledger, matched.body.team_id(), RecordKind::Team),
        Some(LinkTarget::Removed(id(1)))
    );
    // Still a valid record: the form checks that a team is named, not that it lives.
    assert_eq!(problems(&at_status(DemandStatus::Matched)), []);
}

#[test]
fn a_demand_is_stored_under_a_name_of_its_own_and_travels_in_the_export() {
    let mut devices = stored::Devices::default();
    devices.push(officer().device_id);
    let full = record(1, full_demand());
    let text = stored::encode(&full, &devices).unwrap();
    assert!(text.contains(r#""de":{"#), "{text}");
    assert_eq!(stored::decode(id(1), &text, &devices), Ok(full.clone()));

    let records = vec![
        full.clone(),
        record(2, demand("村委会")).tombstone(&officer(), datetime!(2022-06-21 0:00 UTC)),
    ];
    let file = file_of("device-b", records).to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(export_schema_errors(&value), Vec::<String>::new());
    let imported = parse_export(&file, TODAY).unwrap();
    assert_eq!(imported.records.len(), 2);
    assert!(imported.records.contains(&full));
    let mut broken = value;
    broken["records"][0]["data"]["urgency"] = "yesterday".into();
    assert!(!export_schema_errors(&broken).is_empty());
}

#[test]
fn an_import_refuses_a_demand_that_breaks_its_rules() {
    let bad = record(
        1,
        Demand {
            team_id: None,
            ..at_status(DemandStatus::Solved)
        },
    );
    let text = file_of("device-b", vec![bad]).to_json().unwrap();
    let problems = parse_export(&text, TODAY).unwrap_err();
    assert!(
        matches!(&problems[..], [ImportProblem::InvalidRecord { index: 0, errors }]
            if errors[0].field == Field::TeamId),
        "{problems:?}"
    );
}

#[test]
fn demand_status_changes_merge_with_conflicts_kept_and_a_later_edit_reviving_a_delete() {
    let collected = record(1, demand("合作社"));
    let at = datetime!(2022-07-01 0:00 UTC);
    let matched_here =
        collected.edited(at_status(DemandStatus::Matched).into_body(), &officer(), at);
    let closed_there = collected.edited(
        at_status(DemandStatus::Closed).into_body(),
        &author("device-b"),
        at,
    );
    let mut ledger = Ledger::from_records([matched_here.clone()]);
    let (report, _) = ledger.merge([closed_there.clone()]);
    assert_eq!(report.conflicts, vec![id(1)]);
    let shown = ledger.get(&id(1)).unwrap().clone();
    assert_eq!(shown.history.len(), 1, "the other version is kept");

    let deleted = shown.tombstone(&officer(), datetime!(2022-07-02 0:00 UTC));
    ledger.merge([deleted.clone()]);
    assert_eq!(ledger.count(RecordKind::Demand), 0);
    let revived = deleted.edited(
        at_status(DemandStatus::Solved).into_body(),
        &author("device-b"),
        datetime!(2022-07-03 0:00 UTC),
    );
    let (report, _) = ledger.merge([revived]);
    assert_eq!(report.updated, 1);
    assert_eq!(ledger.count(RecordKind::Demand), 1);
}

#[test]
fn the_period_counts_demands_collected_matched_and_solved_and_the_report_says_so() {
    use field_ledger::domain::period::{Period, Preset};
    use field_ledger::domain::report::Narrative;
    use field_ledger::domain::totals::{Counting, demand_figures, team_rows, totals};

    let ledger = Ledger::from_records([
        record(1, team("市级水稻科技特派团")),
        record(2, at_status(DemandStatus::Open)),
        record(3, at_status(DemandStatus::Matched)),
        record(4, at_status(DemandStatus::Solved)),
        record(5, at_status(DemandStatus::Closed)),
        // Collected in the second half: another period.
        record(
            6,
            Demand {
                collected_on: date!(2022 - 07 - 02),
                ..demand("村委会")
            },
        ),
        record(7, at_status(DemandStatus::Open))
            .tombstone(&officer(), datetime!(2022-06-21 0:00 UTC)),
        record(
            8,
            Visit {
                team_id: Some(id(1)),
                ..visit(date!(2022 - 06 - 22))
            },
        ),
    ]);
    let today = date!(2022 - 12 - 31);
    let first_half = Period::preset(2022, Preset::FirstHalf, today).unwrap();
    let figures = demand_figures(&ledger, first_half);
    assert_eq!(
        (
            figures.collected,
            figures.matched,
            figures.solved,
            figures.pending
        ),
        (4, 3, 1, 2)
    );
    let rows = team_rows(&ledger, first_half);
    assert_eq!(rows.len(), 1);
    // The demands at status matched, solved and closed (after matching) all name team 1.
    assert_eq!((rows[0].visits, rows[0].demands_matched), (1, 3));

    let counting = Counting::default();
    let all = totals(&ledger, first_half, &counting, today);
    assert_eq!(all.demands, figures);
    let narrative = Narrative {
        totals: &all,
        year_so_far: Some(&all),
        year_before: None,
        targets: None,
        today,
    };
    assert!(
        narrative
            .zh()
            .contains("征集农村科技需求4项、已对接3项、已解决1项"),
        "{}",
        narrative.zh()
    );
    assert!(
        narrative
            .en()
            .contains("Of the 4 rural technology demands collected, 3 have been matched to a commissioner team and 1 solved"),
        "{}",
        narrative.en()
    );
}
