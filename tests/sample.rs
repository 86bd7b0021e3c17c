//! Tier 1: the sample data built from the bureau's 2022 report: the same on every call,
//! flagged, linked within itself, and adding up to the report's figures. (That every sample
//! body reads back through its form is checked in `tests/form.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::progress::*;
use field_ledger::domain::sample::{SAMPLE_TOTALS_2022, is_sample, sample_records};
use field_ledger::domain::*;
use time::macros::date;
use uuid::Uuid;

mod support;
use support::{NOW, officer, record, training};

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
    let ledger = Ledger::from_records(sample());
    let totals = year_totals(&ledger, 2022);
    assert_eq!(totals, SAMPLE_TOTALS_2022);
    assert_eq!((totals.trainings, totals.attendance), (4, 156));

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
    let mut counties: Vec<&str> = trainings.iter().map(|t| t.place.county.as_str()).collect();
    counties.dedup();
    assert_eq!(counties.len(), 4);

    let rows = by_county(&ledger, 2022);
    let summary: Vec<(&str, u32, u32, u32, u32, u32)> = rows
        .iter()
        .map(|r| {
            (
                r.county.as_str(),
                r.trainings,
                r.attendance,
                r.technologies_promoted,
                r.demonstrations,
                r.visits,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("鲅鱼圈区", 1, 41, 0, 0, 1),
            ("老边区", 1, 35, 1, 1, 1),
            ("盖州市", 1, 38, 0, 0, 2),
            ("大石桥市", 1, 42, 1, 2, 3),
            ("营口高新区", 0, 0, 0, 0, 1),
        ]
    );
    let months = by_month(&ledger, 2022);
    assert_eq!(months.iter().map(|m| m.attendance).sum::<u32>(), 156);
    assert_eq!(months.iter().map(|m| m.visits).sum::<u32>(), 8);
    assert_eq!(months.iter().filter(|m| m.trainings > 0).count(), 4);
    assert_eq!(years(&ledger, date!(2022 - 12 - 31)), [2022]);

    // Against the 2022 plan at the end of June: the report's "4 sessions, 150+ person-times".
    let lines = target_progress(&totals, &YearTargets::defaults(2022), date!(2022 - 06 - 30));
    assert_eq!((lines[0].done, lines[0].percent), (4, 40));
    assert_eq!((lines[1].done, lines[1].percent), (156, 31));
}
