//! Tier 1: the sample data built from the bureau's 2022 report: the same on every call,
//! flagged, linked within itself, and adding up to its documented figures for 2022 and for
//! its first half (the report's own: 4 technician trainings, 150+ 人次), and holding the
//! report's 8 teams and 4 groups applying for 2022 and the demands of its June call. (That every
//! sample body, teams and demands included, reads back through its form and passes its checks
//! is `every_body_reads_back_unchanged_through_its_form_in_both_languages` in `tests/form.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::links::{days_to_first_visit, team_activity};
use field_ledger::domain::period::Preset;
use field_ledger::domain::progress::{Measure, target_lines};
use field_ledger::domain::sample::sample_records;
use field_ledger::domain::totals::{
    self, Counting, DemandFigures, FollowUpFigures, Sessions, by_month, years,
};
use field_ledger::domain::*;
use time::macros::date;
use uuid::Uuid;

use field_ledger_test_support as support;
use support::{
    NOW, column_sums, county_figures, county_table, figures, officer, preset, sample_ledger,
    totals_in, year,
};

fn sample() -> Vec<Record> {
    sample_records(&officer(), NOW)
}

#[test]
fn the_sample_is_deterministic_flagged_and_has_distinct_ids() {
    let records = sample();
    assert_eq!(records, sample());
    assert_eq!(records.len(), 36);
    let mut ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 36);
    assert!(records.iter().all(|r| r.sample && !r.deleted));
    let count = |kind| records.iter().filter(|r| r.kind() == kind).count();
    assert_eq!(
        (
            count(RecordKind::Training),
            count(RecordKind::Technology),
            count(RecordKind::Visit),
            count(RecordKind::Team),
            count(RecordKind::Demand)
        ),
        (4, 4, 8, 12, 8)
    );
    // The links point at sample technologies.
    let ledger = Ledger::from_records(records.clone());
    let links: Vec<&Uuid> = records
        .iter()
        .flat_map(|r| r.body.technology_ids())
        .collect();
    assert!(!links.is_empty());
    for id in links {
        assert_eq!(
            ledger.live(id).map(Record::kind),
            Some(RecordKind::Technology)
        );
    }
    // Team links (two trainings, two visits, a technology, five demands) point at sample
    // teams, and the one demand link (a visit) at a sample demand.
    let team_links: Vec<(RecordKind, Uuid)> = records
        .iter()
        .filter_map(|r| Some((r.kind(), r.body.team_id()?)))
        .collect();
    let linking = |kind| team_links.iter().filter(|(k, _)| *k == kind).count();
    assert_eq!(
        [
            RecordKind::Training,
            RecordKind::Visit,
            RecordKind::Technology,
            RecordKind::Demand
        ]
        .map(linking),
        [2, 2, 1, 5]
    );
    for (_, id) in &team_links {
        assert_eq!(ledger.live(id).map(Record::kind), Some(RecordKind::Team));
    }
    let demand_links: Vec<(RecordKind, Uuid)> = records
        .iter()
        .filter_map(|r| Some((r.kind(), r.body.demand_id()?)))
        .collect();
    assert_eq!(demand_links.len(), 1);
    assert_eq!(demand_links[0].0, RecordKind::Visit);
    assert_eq!(
        ledger.live(&demand_links[0].1).map(Record::kind),
        Some(RecordKind::Demand)
    );
}

fn teams(records: &[Record]) -> Vec<&Team> {
    records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Team(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn demands(records: &[Record]) -> Vec<&Demand> {
    records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Demand(d) => Some(d),
            _ => None,
        })
        .collect()
}

#[test]
fn the_sample_teams_are_the_reports_8_teams_and_4_groups_applying_for_2022() {
    let records = sample();
    let teams = teams(&records);
    let of_form = |form| teams.iter().filter(|t| t.form == form).count();
    assert_eq!((of_form(TeamForm::Team), of_form(TeamForm::Group)), (8, 4));
    assert!(teams.iter().all(|t| t.level == TeamTier::Provincial
        && t.year == Some(2022)
        && !t.institution.is_empty()
        && !t.industry.is_empty()
        && !t.counties.is_empty()));
    let mut names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 12);
    // All applied online in spring; five approved in May, four of them serving.
    assert!(teams.iter().all(|t| {
        t.applied_on
            .is_some_and(|d| (date!(2022 - 03 - 01)..=date!(2022 - 05 - 31)).contains(&d))
    }));
    let of_status = |status| teams.iter().filter(|t| t.status == status).count();
    assert_eq!(
        TeamStatus::ALL.map(of_status),
        [0, 7, 1, 4, 0],
        "draft, applied, approved, serving, closed"
    );
    // Led and staffed by the sample's own commissioners and trainers.
    let people: Vec<String> = records
        .iter()
        .flat_map(|r| match &r.body {
            RecordBody::Visit(v) => v.commissioners.clone(),
            RecordBody::Training(t) => t.trainers.clone(),
            _ => Vec::new(),
        })
        .collect();
    for team in &teams {
        for person in team.people() {
            assert!(
                people.iter().any(|p| p == person),
                "{}: {person}",
                team.name
            );
        }
    }
    // The teams the visits name by name are among them.
    let named: Vec<&str> = records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Visit(v) if v.team_name.starts_with("省级") => Some(v.team_name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(named.len(), 4);
    assert!(named.iter().all(|n| names.contains(n)), "{named:?}");
}

#[test]
fn the_sample_demands_are_the_june_call_with_every_outcome() {
    let records = sample();
    let demands = demands(&records);
    assert_eq!(demands.len(), 8);
    assert!(
        demands
            .iter()
            .all(|d| (date!(2022 - 06 - 01)..=date!(2022 - 06 - 30)).contains(&d.collected_on))
    );
    let of_status = |status| demands.iter().filter(|d| d.status == status).count();
    assert_eq!(
        DemandStatus::ALL.map(of_status),
        [3, 2, 1, 1, 1],
        "open, matched, serving, solved, closed"
    );
    let closed = demands
        .iter()
        .find(|d| d.status == DemandStatus::Closed)
        .unwrap();
    assert!(!closed.unsolved_reason.is_empty() && closed.was_matched());
    // Hosts of every type, in five counties.
    let mut host_types: Vec<HostType> = demands.iter().map(|d| d.host_type).collect();
    host_types.sort();
    host_types.dedup();
    assert_eq!(host_types, HostType::ALL);
    let mut counties: Vec<&str> = demands.iter().map(|d| d.place.county.as_str()).collect();
    counties.sort();
    counties.dedup();
    assert_eq!(counties.len(), 5);

    // 征集需求8项、已对接5项、已解决1项, all in the first half; nothing in the second.
    let ledger = sample_ledger();
    let june_call = DemandFigures {
        collected: 8,
        matched: 5,
        solved: 1,
        pending: 6,
    };
    let h1 = preset(2022, Preset::FirstHalf);
    assert_eq!(totals::demand_figures(&ledger, h1), june_call);
    assert_eq!(totals::demand_figures(&ledger, year(2022)), june_call);
    assert_eq!(totals_in(&ledger, h1).demands, june_call);
    assert_eq!(
        totals::demand_figures(&ledger, preset(2022, Preset::SecondHalf)),
        DemandFigures::default()
    );

    // The orchard's demand was collected on 9 June and first visited on the 14th.
    let answered: Vec<&Record> = ledger
        .list(RecordKind::Demand)
        .into_iter()
        .filter(|r| days_to_first_visit(&ledger, r).is_some())
        .collect();
    assert_eq!(answered.len(), 1);
    assert_eq!(days_to_first_visit(&ledger, answered[0]), Some(5));
}

#[test]
fn every_sample_team_has_its_row_in_2022_and_the_serving_groups_have_work() {
    let ledger = sample_ledger();
    let rows = totals::team_rows(&ledger, year(2022));
    assert_eq!(rows.len(), 12);
    assert_eq!(totals_in(&ledger, year(2022)).team_rows, rows);
    let row = |name: &str| rows.iter().find(|r| r.name == name).unwrap();
    let work = |r: &totals::TeamRow| {
        [
            r.visits,
            r.trainings,
            r.attendance,
            r.demands_matched,
            r.technologies_demonstrated,
            r.technologies_promoted,
        ]
    };
    // Visits, trainings, 人次, demands matched, technologies demonstrated and promoted.
    assert_eq!(work(row("省级盐碱地改良科技特派组")), [1, 1, 35, 1, 1, 1]);
    assert_eq!(work(row("省级果树科技特派组")), [1, 1, 41, 1, 0, 0]);
    assert_eq!(work(row("省级设施蔬菜科技特派团")), [0, 0, 0, 1, 0, 0]);
    assert_eq!(rows.iter().filter(|r| r.demands_matched > 0).count(), 5);
    assert!(rows.iter().all(|r| r.level == TeamTier::Provincial));
    // The first half: the same teams, the technology not yet promoted.
    let h1 = totals::team_rows(&ledger, preset(2022, Preset::FirstHalf));
    assert_eq!(h1.len(), 12);
    let saline = h1
        .iter()
        .find(|r| r.name == "省级盐碱地改良科技特派组")
        .unwrap();
    assert_eq!(work(saline), [1, 1, 35, 1, 1, 0]);
    // The team's page: its work over all time, the latest the technology promoted in October.
    let activity = team_activity(&ledger, saline.id);
    assert_eq!(
        (
            activity.visits,
            activity.trainings,
            activity.attendance,
            activity.demands_matched,
            activity.demands_solved,
            activity.last_activity
        ),
        (1, 1, 35, 1, 0, Some(date!(2022 - 10 - 10)))
    );
}

#[test]
fn the_sample_adds_up_to_its_documented_2022_totals() {
    let ledger = sample_ledger();
    let totals = totals_in(&ledger, year(2022));
    // As documented in `domain::sample`.
    assert_eq!(
        totals.sessions_of(TrainingType::Technician),
        Sessions {
            sessions: 4,
            attendance: 156
        }
    );
    assert_eq!((totals.trainings, totals.attendance), (4, 156));
    assert_eq!(
        (
            totals.technologies_introduced,
            totals.technologies_demonstrated,
            totals.demo_area_mu,
            totals.technologies_promoted,
            totals.promoted_area_mu
        ),
        (4, 3, 480.5, 2, 2800.0)
    );
    assert_eq!(
        (
            totals.visits,
            totals.commissioners,
            totals.hosts,
            totals.households
        ),
        (8, 6, 8, 257)
    );
    assert_eq!(
        totals.hosts_by_type,
        [
            (HostType::Village, 1),
            (HostType::Cooperative, 2),
            (HostType::FamilyFarm, 1),
            (HostType::Enterprise, 3),
            (HostType::InnovationHub, 1),
        ]
    );
    assert_eq!(
        totals.help,
        [
            (HelpKind::Diagnosis, 3),
            (HelpKind::Advice, 6),
            (HelpKind::Demonstration, 3),
            (HelpKind::Training, 2),
        ]
    );
    assert_eq!(totals.teams.len(), 6);
    assert_eq!(
        (
            totals.teams[0].name.as_str(),
            totals.teams[0].visits,
            totals.teams[0].commissioners
        ),
        ("市级设施农业科技特派团", 2, 2)
    );
    // The fourth visit's follow-up, due 30 September, is still to be done.
    let end_of_year = totals::totals(
        &ledger,
        year(2022),
        &Counting::default(),
        date!(2022 - 12 - 31),
    );
    assert_eq!(
        end_of_year.follow_ups,
        FollowUpFigures {
            opened: 1,
            done: 0,
            overdue: 1
        }
    );

    // Four trainings in the first half, each in its own county and month.
    let trainings: Vec<&Training> = ledger
        .list(RecordKind::Training)
        .into_iter()
        .filter_map(|r| match &r.body {
            RecordBody::Training(t) => Some(t),
            _ => None,
        })
        .collect();
    assert!(trainings.iter().all(|t| t.date < date!(2022 - 07 - 01)));
    assert!(
        trainings
            .iter()
            .all(|t| t.training_type == TrainingType::Technician)
    );
    let mut counties: Vec<&str> = trainings.iter().map(|t| t.place.county.as_str()).collect();
    counties.sort();
    counties.dedup();
    assert_eq!(counties.len(), 4);

    // Every county of the list, the sample's with their figures, and 合计.
    let (rows, total) = county_table(&ledger, year(2022));
    assert_eq!(
        county_figures(&rows),
        [
            ("站前区", [0, 0, 0, 0, 0]),
            ("西市区", [0, 0, 0, 0, 0]),
            ("鲅鱼圈区", [1, 41, 0, 0, 1]),
            ("老边区", [1, 35, 1, 1, 1]),
            ("盖州市", [1, 38, 0, 0, 2]),
            ("大石桥市", [1, 42, 1, 2, 3]),
            ("营口高新区", [0, 0, 0, 0, 1]),
        ]
    );
    assert_eq!(total, column_sums(&rows));
    assert_eq!(figures(&total), [4, 156, 2, 3, 8]);
    let months = by_month(&ledger, year(2022), &Counting::default());
    assert_eq!(months.len(), 12);
    assert_eq!(months.iter().map(|m| m.attendance).sum::<u32>(), 156);
    assert_eq!(months.iter().map(|m| m.visits).sum::<u32>(), 8);
    assert_eq!(months.iter().filter(|m| m.trainings > 0).count(), 4);
    assert_eq!(years(&ledger, date!(2022 - 12 - 31)), [2022]);
}

#[test]
fn the_samples_first_half_is_the_reports_4_trainings_of_150_odd_against_the_plan() {
    let ledger = sample_ledger();
    let h1 = preset(2022, Preset::FirstHalf);
    let totals = totals_in(&ledger, h1);
    assert_eq!((totals.trainings, totals.attendance), (4, 156));
    assert_eq!(
        (
            totals.technologies_introduced,
            totals.technologies_demonstrated,
            totals.demo_area_mu,
            totals.technologies_promoted
        ),
        (4, 2, 420.5, 0)
    );
    assert_eq!(
        (
            totals.visits,
            totals.commissioners,
            totals.hosts,
            totals.teams.len()
        ),
        (4, 5, 4, 4)
    );
    // Farmer trainings alone count none of it.
    let farmers_only = Counting {
        training_types: vec![TrainingType::Farmer],
    };
    let counted = totals::totals(&ledger, h1, &farmers_only, date!(2022 - 07 - 01));
    assert_eq!((counted.trainings, counted.attendance), (0, 0));
    assert_eq!(
        counted.sessions_of(TrainingType::Technician).attendance,
        156
    );

    // Against the 2022 plan at the end of June: 40% of the sessions, 31% of the 人次.
    let lines = target_lines(
        &totals,
        Some(&totals),
        Some(&YearTargets::defaults(2022)),
        date!(2022 - 07 - 01),
    );
    let of = |measure: Measure| {
        let line = lines.iter().find(|l| l.measure == measure).unwrap();
        (line.done, line.percent, line.expected)
    };
    assert_eq!(of(Measure::Trainings), (4, 40, 5));
    assert_eq!(of(Measure::Attendance), (156, 31, 248));
    assert_eq!(of(Measure::TechnologiesPromoted), (0, 0, 10));
}
