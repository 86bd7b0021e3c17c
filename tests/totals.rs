//! Tier 1: the dashboard's counting rules on hand-made ledgers with known answers (deletes,
//! edits that move a record between years and counties, merged conflicts, pace in leap
//! years). The list filters are in `tests/filter.rs`, the sample data in `tests/sample.rs`.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::progress::*;
use field_ledger::domain::*;
use time::Date;
use time::macros::{date, datetime};

mod support;
use support::{NOW, author, ledger_of as ledger, officer, record, staged, strings};

fn training(date: Date, county: &str, attendance: u32, households: Option<u32>) -> RecordBody {
    Training {
        households,
        ..support::training_in(county, date, attendance)
    }
    .into_body()
}

/// A technology with its three stage dates; the stage is the last one given.
fn technology(
    county: &str,
    introduced: Option<Date>,
    demonstrated: Option<Date>,
    promoted: Option<Date>,
) -> Technology {
    let technology = Technology {
        county: county.into(),
        ..support::technology("低成本可控生物降解地膜")
    };
    staged(technology, introduced, demonstrated, promoted)
}

fn visit(date: Date, county: &str, commissioners: &[&str], host: &str) -> RecordBody {
    Visit {
        commissioners: strings(commissioners),
        host: host.into(),
        ..support::visit_in(county, date)
    }
    .into_body()
}

// ---------------------------------------------------------------- year totals

#[test]
fn year_totals_count_each_kind_by_its_own_dates() {
    let ledger = ledger(vec![
        training(date!(2022 - 03 - 15), "盖州市", 38, Some(30)),
        training(date!(2022 - 11 - 02), "大石桥市", 42, None),
        training(date!(2021 - 12 - 30), "盖州市", 99, Some(99)),
        RecordBody::Technology(Technology {
            demo_area_mu: Some(120.5),
            promoted_area_mu: Some(800.0),
            households: Some(46),
            ..technology(
                "大石桥市",
                Some(date!(2022 - 03 - 01)),
                Some(date!(2022 - 05 - 10)),
                Some(date!(2022 - 09 - 20)),
            )
        }),
        RecordBody::Technology(Technology {
            demo_area_mu: Some(60.0),
            households: Some(7),
            ..technology(
                "老边区",
                Some(date!(2022 - 04 - 06)),
                Some(date!(2022 - 07 - 15)),
                None,
            )
        }),
        visit(
            date!(2022 - 04 - 19),
            "盖州市",
            &["赵志强", " 刘海峰 "],
            "九寨镇合作社",
        ),
        visit(
            date!(2022 - 05 - 24),
            "老边区",
            &["刘海峰", ""],
            " 九寨镇合作社",
        ),
        visit(date!(2023 - 01 - 04), "老边区", &["孙丽"], "望儿山村"),
    ]);
    assert_eq!(
        year_totals(&ledger, 2022),
        YearTotals {
            year: 2022,
            trainings: 2,
            attendance: 80,
            technologies_introduced: 2,
            technologies_demonstrated: 2,
            technologies_promoted: 1,
            demo_area_mu: 180.5,
            promoted_area_mu: 800.0,
            visits: 2,
            commissioners: 2,
            hosts: 1,
            // 30 trained + 46 from the promoted technology; the demonstrated one's 7 wait.
            households: 76,
        }
    );
    assert_eq!(year_totals(&ledger, 2021).attendance, 99);
    assert_eq!(year_totals(&ledger, 2023).visits, 1);
    assert_eq!(
        year_totals(&ledger, 2020),
        YearTotals {
            year: 2020,
            ..YearTotals::default()
        }
    );
}

#[test]
fn deleted_records_never_count_and_sample_records_do() {
    let kept = record(1, training(date!(2022 - 03 - 15), "盖州市", 38, None));
    let deleted =
        record(2, training(date!(2022 - 04 - 15), "盖州市", 42, None)).tombstone(&officer(), NOW);
    let sample = Record {
        sample: true,
        ..record(3, training(date!(2022 - 05 - 15), "老边区", 35, None))
    };
    let ledger = Ledger::from_records([kept, deleted, sample]);
    let totals = year_totals(&ledger, 2022);
    assert_eq!((totals.trainings, totals.attendance), (2, 73));
    let counties: Vec<String> = by_county(&ledger, 2022)
        .into_iter()
        .map(|r| r.county)
        .collect();
    assert_eq!(counties, ["老边区", "盖州市"]);
    assert_eq!(
        by_month(&ledger, 2022)[3].trainings,
        0,
        "the deleted April training"
    );
}

#[test]
fn an_edit_that_moves_a_training_to_another_year_or_county_moves_its_count() {
    let first = record(1, training(date!(2022 - 12 - 20), "盖州市", 40, None));
    let before = Ledger::from_records([first.clone()]);
    assert_eq!(year_totals(&before, 2022).trainings, 1);
    assert_eq!(year_totals(&before, 2023).trainings, 0);

    let moved_year = first.edited(
        training(date!(2023 - 01 - 05), "盖州市", 40, None),
        &officer(),
        NOW,
    );
    let mut after = before.clone();
    after.put(moved_year);
    assert_eq!(year_totals(&after, 2022).trainings, 0);
    assert_eq!(year_totals(&after, 2023).attendance, 40);
    assert!(by_county(&after, 2022).is_empty());

    let moved_county = first.edited(
        training(date!(2022 - 12 - 20), "大石桥市", 40, None),
        &officer(),
        NOW,
    );
    let mut after = before.clone();
    after.put(moved_county);
    let rows = by_county(&after, 2022);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].county, "大石桥市");
    assert_eq!(rows[0].attendance, 40);
}

#[test]
fn of_two_conflicting_versions_only_the_winner_counts() {
    let original = record(1, training(date!(2022 - 03 - 01), "盖州市", 30, None));
    let here = original.edited(
        training(date!(2022 - 03 - 01), "盖州市", 40, None),
        &officer(),
        datetime!(2022-06-21 09:00 UTC),
    );
    let there = original.edited(
        training(date!(2022 - 03 - 01), "大石桥市", 50, None),
        &author("device-b"),
        datetime!(2022-06-21 10:00 UTC),
    );
    for (mine, theirs) in [(&here, &there), (&there, &here)] {
        let mut ledger = Ledger::from_records([mine.clone()]);
        let (report, _) = ledger.merge([theirs.clone()]);
        assert_eq!(report.conflicts, vec![original.id]);
        let totals = year_totals(&ledger, 2022);
        assert_eq!(
            (totals.trainings, totals.attendance),
            (1, 50),
            "the later edit wins"
        );
        let rows = by_county(&ledger, 2022);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].county, "大石桥市");
    }
}

#[test]
fn a_technology_counts_as_promoted_in_the_year_of_its_promoted_on() {
    let ledger = ledger(vec![RecordBody::Technology(Technology {
        demo_area_mu: Some(50.0),
        promoted_area_mu: Some(900.0),
        households: Some(20),
        ..technology(
            "老边区",
            Some(date!(2020 - 10 - 01)),
            Some(date!(2021 - 05 - 01)),
            Some(date!(2022 - 04 - 01)),
        )
    })]);
    let y2020 = year_totals(&ledger, 2020);
    assert_eq!(
        (
            y2020.technologies_introduced,
            y2020.technologies_demonstrated,
            y2020.technologies_promoted
        ),
        (1, 0, 0)
    );
    let y2021 = year_totals(&ledger, 2021);
    assert_eq!(
        (
            y2021.technologies_demonstrated,
            y2021.demo_area_mu,
            y2021.technologies_promoted
        ),
        (1, 50.0, 0)
    );
    let y2022 = year_totals(&ledger, 2022);
    assert_eq!(
        (
            y2022.technologies_introduced,
            y2022.technologies_promoted,
            y2022.promoted_area_mu,
            y2022.households
        ),
        (0, 1, 900.0, 20)
    );
    assert_eq!(by_month(&ledger, 2022)[3].technologies_promoted, 1, "April");
    assert_eq!(
        by_county(&ledger, 2020),
        vec![],
        "introduced only: no county figure"
    );
}

#[test]
fn by_county_orders_default_counties_then_others_then_not_given() {
    let ledger = ledger(vec![
        visit(date!(2022 - 05 - 01), "", &["周明"], "某村"),
        visit(date!(2022 - 05 - 01), "大石桥市", &["周明"], "某村"),
        training(date!(2022 - 05 - 01), "仙人岛能源化工区", 10, None),
        training(date!(2022 - 05 - 01), "北海新区", 12, None),
        training(date!(2022 - 05 - 01), "鲅鱼圈区", 20, None),
        training(date!(2022 - 05 - 01), "站前区", 5, None),
        RecordBody::Technology(technology(
            "大石桥市",
            Some(date!(2021 - 03 - 01)),
            Some(date!(2022 - 03 - 01)),
            None,
        )),
        // Another year: no row for 西市区.
        training(date!(2021 - 05 - 01), "西市区", 20, None),
    ]);
    let rows = by_county(&ledger, 2022);
    let counties: Vec<&str> = rows.iter().map(|r| r.county.as_str()).collect();
    assert_eq!(
        counties,
        [
            "站前区",
            "鲅鱼圈区",
            "大石桥市",
            "仙人岛能源化工区",
            "北海新区",
            ""
        ]
    );
    assert_eq!(
        rows[2],
        CountyRow {
            county: "大石桥市".into(),
            trainings: 0,
            attendance: 0,
            technologies_promoted: 0,
            demonstrations: 1,
            visits: 1,
        }
    );
    assert_eq!(rows[5].visits, 1);
}

#[test]
fn by_month_always_has_twelve_rows() {
    let ledger = ledger(vec![
        training(date!(2022 - 01 - 01), "盖州市", 10, None),
        training(date!(2022 - 12 - 31), "盖州市", 20, None),
        visit(date!(2022 - 12 - 01), "盖州市", &["周明"], "某村"),
        visit(date!(2023 - 12 - 01), "盖州市", &["周明"], "某村"),
    ]);
    let months = by_month(&ledger, 2022);
    assert_eq!(months.len(), 12);
    assert_eq!(
        months.iter().map(|m| m.month).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<u8>>()
    );
    assert_eq!((months[0].trainings, months[0].attendance), (1, 10));
    assert_eq!(
        (
            months[11].trainings,
            months[11].attendance,
            months[11].visits
        ),
        (1, 20, 1)
    );
    assert_eq!(
        months[5],
        MonthRow {
            month: 6,
            ..MonthRow::default()
        }
    );
    assert_eq!(by_month(&Ledger::default(), 2022).len(), 12);
}

// ---------------------------------------------------------------- pace and targets

#[test]
fn pace_fraction_is_the_share_of_the_year_elapsed_by_the_end_of_today() {
    assert_eq!(pace_fraction(2022, date!(2021 - 12 - 31)), 0.0);
    assert_eq!(pace_fraction(2022, date!(2022 - 01 - 01)), 1.0 / 365.0);
    assert_eq!(pace_fraction(2022, date!(2022 - 07 - 02)), 183.0 / 365.0);
    assert_eq!(pace_fraction(2022, date!(2022 - 12 - 31)), 1.0);
    assert_eq!(pace_fraction(2022, date!(2023 - 01 - 01)), 1.0);
    // 2024 is a leap year: 29 February is day 60 of 366, 1 July is day 183.
    assert_eq!(pace_fraction(2024, date!(2024 - 02 - 29)), 60.0 / 366.0);
    assert_eq!(pace_fraction(2024, date!(2024 - 07 - 01)), 0.5);
    assert_eq!(pace_fraction(2024, date!(2024 - 12 - 31)), 1.0);
}

fn totals(trainings: u32, attendance: u32, promoted: u32) -> YearTotals {
    YearTotals {
        year: 2022,
        trainings,
        attendance,
        technologies_promoted: promoted,
        ..YearTotals::default()
    }
}

fn pace_of(lines: &[TargetProgress], measure: Measure) -> Pace {
    lines
        .iter()
        .find(|l| l.measure == measure)
        .map(|l| l.pace)
        .expect("line present")
}

#[test]
fn target_progress_has_the_three_plan_lines_unless_more_targets_are_set() {
    let targets = YearTargets::defaults(2022);
    let lines = target_progress(&totals(4, 156, 2), &targets, date!(2022 - 06 - 30));
    assert_eq!(
        lines.iter().map(|l| l.measure).collect::<Vec<_>>(),
        [
            Measure::Trainings,
            Measure::Attendance,
            Measure::TechnologiesPromoted
        ]
    );
    assert_eq!(
        (lines[0].done, lines[0].target, lines[0].percent),
        (4, 10, 40)
    );
    assert_eq!(
        (lines[1].done, lines[1].target, lines[1].percent),
        (156, 500, 31)
    );
    assert_eq!(
        (lines[2].done, lines[2].target, lines[2].percent),
        (2, 20, 10)
    );
    // 30 June is day 181 of 365.
    assert!((lines[0].expected_by_now - 10.0 * 181.0 / 365.0).abs() < 1e-9);
    assert_eq!(lines[0].pace, Pace::Behind);

    let more = YearTargets {
        demonstrations: Some(5),
        visits: Some(0),
        ..targets
    };
    let lines = target_progress(
        &YearTotals {
            technologies_demonstrated: 3,
            visits: 8,
            ..totals(4, 156, 2)
        },
        &more,
        date!(2022 - 06 - 30),
    );
    assert_eq!(lines.len(), 5);
    assert_eq!(
        (lines[3].measure, lines[3].done, lines[3].percent),
        (Measure::Demonstrations, 3, 60)
    );
    assert_eq!(
        lines[3].pace,
        Pace::OnPace,
        "3 = 5 × 181/365 (2.48) rounded up"
    );
    assert_eq!(
        (lines[4].measure, lines[4].percent, lines[4].pace),
        (Measure::Visits, 0, Pace::Done),
        "a target of 0 is met"
    );
}

#[test]
fn pace_compares_with_the_pro_rata_figure_rounded_up() {
    let targets = YearTargets::defaults(2022);
    // 14 March is day 73 of 365: exactly a fifth of the year, so 2 of 10 trainings.
    let on = date!(2022 - 03 - 14);
    for (done, pace) in [
        (1, Pace::Behind),
        (2, Pace::OnPace),
        (3, Pace::Ahead),
        (10, Pace::Done),
    ] {
        let lines = target_progress(&totals(done, 0, 0), &targets, on);
        assert_eq!(
            pace_of(&lines, Measure::Trainings),
            pace,
            "{done} trainings"
        );
        assert!((lines[0].expected_by_now - 2.0).abs() < 1e-9);
    }
    // The next day 2 is no longer enough: 10 × 74/365 = 2.03 rounds up to 3.
    let lines = target_progress(&totals(2, 0, 0), &targets, date!(2022 - 03 - 15));
    assert_eq!(pace_of(&lines, Measure::Trainings), Pace::Behind);
    // Before the year starts nothing is expected yet.
    let lines = target_progress(&totals(0, 0, 0), &targets, date!(2021 - 12 - 01));
    assert_eq!(pace_of(&lines, Measure::Trainings), Pace::OnPace);
}

#[test]
fn a_past_year_is_done_or_closed() {
    let targets = YearTargets::defaults(2022);
    let lines = target_progress(&totals(12, 480, 20), &targets, date!(2023 - 01 - 01));
    assert_eq!(pace_of(&lines, Measure::Trainings), Pace::Done);
    assert_eq!(lines[0].percent, 120);
    assert_eq!(pace_of(&lines, Measure::Attendance), Pace::Closed);
    assert_eq!(lines[1].expected_by_now, 500.0);
    assert_eq!(pace_of(&lines, Measure::TechnologiesPromoted), Pace::Done);
    // On 31 December the year is not over yet: behind, not closed.
    let lines = target_progress(&totals(12, 480, 20), &targets, date!(2022 - 12 - 31));
    assert_eq!(pace_of(&lines, Measure::Attendance), Pace::Behind);
}

#[test]
fn years_lists_every_dated_year_and_the_current_one_newest_first() {
    let deleted =
        record(9, training(date!(2015 - 01 - 01), "盖州市", 1, None)).tombstone(&officer(), NOW);
    let mut ledger = ledger(vec![
        training(date!(2021 - 03 - 01), "盖州市", 10, None),
        visit(date!(2019 - 03 - 01), "盖州市", &["周明"], "某村"),
        RecordBody::Technology(technology(
            "老边区",
            Some(date!(2018 - 03 - 01)),
            None,
            Some(date!(2020 - 03 - 01)),
        )),
        RecordBody::Technology(technology("老边区", None, None, None)),
    ]);
    ledger.put(deleted);
    assert_eq!(
        years(&ledger, date!(2022 - 06 - 20)),
        [2022, 2021, 2020, 2019, 2018]
    );
    assert_eq!(years(&Ledger::default(), date!(2022 - 06 - 20)), [2022]);
}
