//! Tier 1: the sample data built from the bureau's 2022 report: the same on every call,
//! flagged, linked within itself, and adding up to its documented figures for 2022 and for
//! its first half (the report's own: 4 technician trainings, 150+ 人次). (That every sample
//! body reads back through its form is checked in `tests/form.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::period::Preset;
use field_ledger::domain::progress::{Measure, target_lines};
use field_ledger::domain::sample::{is_sample, sample_records};
use field_ledger::domain::totals::{self, Counting, FollowUpFigures, Sessions, by_month, years};
use field_ledger::domain::*;
use time::macros::date;
use uuid::Uuid;

mod support;
use support::{
    NOW, column_sums, county_figures, county_table, figures, officer, preset, record,
    sample_ledger, totals_in, training, year,
};

fn sample() -> Vec<Record> {
    sample_records(&officer(), NOW)
}

#[test]
fn the_sample_is_deterministic_flagged_and_has_distinct_ids() {
    let records = sample();
    assert_eq!(records, sample());
    assert_eq!(records.len(), 16);
    let mut ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 16);
    assert!(
        records
            .iter()
            .all(|r| r.sample && is_sample(r) && !r.deleted)
    );
    let count = |kind| records.iter().filter(|r| r.kind() == kind).count();
    assert_eq!(
        (
            count(RecordKind::Training),
            count(RecordKind::Technology),
            count(RecordKind::Visit)
        ),
        (4, 4, 8)
    );
    assert!(!is_sample(&record(1, training(date!(2022 - 03 - 15)))));
    // A sample record that lost its flag on the way through another tool is still known.
    assert!(is_sample(&Record {
        sample: false,
        ..records[0].clone()
    }));
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
    let share = h1.elapsed_share(date!(2022 - 07 - 01)).unwrap();
    let lines = target_lines(&totals, &YearTargets::defaults(2022), share, false);
    let of = |measure: Measure| {
        let line = lines.iter().find(|l| l.measure == measure).unwrap();
        (line.done, line.percent, line.expected)
    };
    assert_eq!(of(Measure::Trainings), (4, 40, 5));
    assert_eq!(of(Measure::Attendance), (156, 31, 248));
    assert_eq!(of(Measure::TechnologiesPromoted), (0, 0, 10));
}
