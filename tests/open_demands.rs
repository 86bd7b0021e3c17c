#![cfg(not(target_arch = "wasm32"))]
//! Tier 1: the demands the homes list (`domain::demands_view`): for the coordinator those
//! still waiting for a team (待对接), waiting longest first, five of them with the count of
//! all; for an officer the unsolved demands of the team their profile names.

use field_ledger::domain::demands_view::{
    any_open_demand, open_demands, team_open_demands, teams_named,
};
use field_ledger::domain::*;
use time::Date;
use time::macros::date;

use field_ledger_test_support as support;
use support::{demand, id, ledger_of, record, team};

const TODAY: Date = date!(2022 - 07 - 10);

fn collected(host: &str, on: Date) -> Demand {
    Demand {
        collected_on: on,
        ..demand(host)
    }
}

/// Matched to team record `team` (its id) on the day after collection.
fn matched(host: &str, on: Date, team: u128, status: DemandStatus) -> Demand {
    let next = on.next_day().unwrap_or(on);
    Demand {
        status,
        team_id: Some(id(team)),
        matched_on: Some(next),
        serving_since: (status != DemandStatus::Matched).then_some(next),
        ended_on: matches!(status, DemandStatus::Solved | DemandStatus::Closed).then_some(next),
        unsolved_reason: "缺少合适的品种".into(),
        ..collected(host, on)
    }
}

/// A demand waiting for a team, deleted: gone from every list.
fn deleted_demand() -> Record {
    let mut gone = record(50, collected("删村", date!(2021 - 01 - 01)));
    gone.deleted = true;
    gone
}

#[test]
fn the_coordinator_sees_demands_waiting_for_a_team_longest_first() {
    let mut records: Vec<Record> = [
        collected("甲村", date!(2022 - 06 - 20)),
        collected("乙村", date!(2022 - 05 - 01)),
        collected("丙村", date!(2022 - 07 - 10)),
        collected("丁村", date!(2022 - 06 - 01)),
        collected("戊村", date!(2022 - 06 - 01)),
        collected("己村", date!(2022 - 07 - 01)),
        collected("庚村", date!(2022 - 07 - 05)),
        matched("辛村", date!(2022 - 01 - 01), 100, DemandStatus::Matched),
    ]
    .into_iter()
    .enumerate()
    .map(|(n, d)| record(n as u128 + 1, d))
    .collect();
    records.push(deleted_demand());
    let ledger = Ledger::from_records(records);

    let list = open_demands(&ledger, TODAY, 5);
    assert_eq!(
        list.count, 7,
        "every open demand is counted, the matched one is not"
    );
    let hosts: Vec<&str> = list.shown.iter().map(|d| d.host.as_str()).collect();
    // Same day: by id.
    assert_eq!(hosts, ["乙村", "丁村", "戊村", "甲村", "己村"]);
    let days: Vec<i64> = list.shown.iter().map(|d| d.days_waiting).collect();
    assert_eq!(days, [70, 39, 39, 20, 9]);
    assert_eq!(list.shown[0].id, id(2));
    assert_eq!(list.shown[0].collected_on, date!(2022 - 05 - 01));

    // Collected today waits 0 days; a date after today (a tablet's clock) never less.
    let early = open_demands(&ledger, date!(2022 - 06 - 30), 10);
    assert!(early.shown.iter().all(|d| d.days_waiting >= 0));
    assert_eq!(
        early
            .shown
            .iter()
            .find(|d| d.host == "丙村")
            .map(|d| d.days_waiting),
        Some(0)
    );

    assert!(open_demands(&Ledger::default(), TODAY, 5).is_empty());

    // Whether the coordinator's panel shows at all: a waiting demand, not a matched or a
    // deleted one.
    assert!(any_open_demand(&ledger));
    assert!(!any_open_demand(&Ledger::default()));
    let not_waiting = Ledger::from_records([
        record(
            1,
            matched("辛村", date!(2022 - 01 - 01), 100, DemandStatus::Matched),
        ),
        deleted_demand(),
    ]);
    assert!(!any_open_demand(&not_waiting));
}

#[test]
fn an_officer_sees_the_unsolved_demands_of_the_team_their_profile_names() {
    let ledger = ledger_of([
        team("水稻产业科技特派团").into_body(),
        team("蔬菜科技特派组").into_body(),
        matched("甲村", date!(2022 - 06 - 01), 1, DemandStatus::Matched).into_body(),
        matched("乙村", date!(2022 - 05 - 01), 1, DemandStatus::Serving).into_body(),
        matched("丙村", date!(2022 - 04 - 01), 1, DemandStatus::Solved).into_body(),
        matched("丁村", date!(2022 - 04 - 01), 1, DemandStatus::Closed).into_body(),
        matched("戊村", date!(2022 - 03 - 01), 2, DemandStatus::Matched).into_body(),
        collected("己村", date!(2022 - 02 - 01)).into_body(),
    ]);
    assert_eq!(teams_named(&ledger, " 水稻产业科技特派团 "), [id(1)]);
    let list = team_open_demands(&ledger, "水稻产业科技特派团 ", TODAY, 5).expect("the team");
    let hosts: Vec<&str> = list.shown.iter().map(|d| d.host.as_str()).collect();
    assert_eq!(
        hosts,
        ["乙村", "甲村"],
        "solved, closed and other teams' are left out"
    );
    assert_eq!(list.count, 2);
    assert_eq!(list.shown[0].status, DemandStatus::Serving);

    // No team of that name, or no team given: nothing to show.
    assert_eq!(team_open_demands(&ledger, "果树科技特派团", TODAY, 5), None);
    assert_eq!(team_open_demands(&ledger, "  ", TODAY, 5), None);
    // A team with nothing waiting: an empty list.
    let empty = ledger_of([team("果树科技特派团").into_body()]);
    assert_eq!(
        team_open_demands(&empty, "果树科技特派团", TODAY, 5).map(|l| l.is_empty()),
        Some(true)
    );
}
