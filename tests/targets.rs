//! Tier 1: a period's target lines (`domain::progress::target_lines`): the plan's three lines,
//! and demonstrations and visits when their targets are set; the percentage rounded down; what
//! the target asks for by the period's end (or today, while it runs) in whole units; and the
//! pace at its thresholds: Behind, OnPace, Ahead, Done, Closed. (How each kind of period is
//! judged by the year so far is in `tests/year_so_far.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::period::{Preset, Share};
use field_ledger::domain::progress::*;
use field_ledger::domain::totals::Totals;
use field_ledger::domain::*;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

use field_ledger_test_support as support;
use support::{nothing, preset, year};

fn totals(trainings: u32, attendance: u32, promoted: u32) -> Totals {
    Totals {
        trainings,
        attendance,
        technologies_promoted: promoted,
        ..nothing(year(2022))
    }
}

fn line(lines: &[TargetLine], measure: Measure) -> TargetLine {
    *lines
        .iter()
        .find(|l| l.measure == measure)
        .expect("line present")
}

/// The day of 2022 on which `elapsed` of its days are gone (0: the day before it starts).
fn day_of_2022(elapsed: u16) -> Date {
    date!(2021 - 12 - 31) + Duration::days(i64::from(elapsed))
}

/// The end of June 2022: day 181 of 365.
const END_OF_JUNE: Date = date!(2022 - 06 - 30);

/// The target lines of a period that starts on 1 January (its figures are the year's so far),
/// judged on `today`.
fn lines_of(totals: &Totals, targets: &YearTargets, today: Date) -> Vec<TargetLine> {
    target_lines(totals, Some(totals), Some(targets), today)
}

#[test]
fn the_plan_has_three_lines_and_more_when_their_targets_are_set() {
    let targets = YearTargets::defaults(2022);
    let lines = lines_of(&totals(4, 156, 2), &targets, END_OF_JUNE);
    assert_eq!(
        lines.iter().map(|l| l.measure).collect::<Vec<_>>(),
        [
            Measure::Trainings,
            Measure::Attendance,
            Measure::TechnologiesPromoted
        ]
    );
    let summary: Vec<(u32, u32, u32, u32, Pace)> = lines
        .iter()
        .map(|l| (l.done, l.target, l.percent, l.expected, l.pace))
        .collect();
    assert_eq!(
        summary,
        [
            // 10 × 181/365 = 4.96 → 5; 500 × 181/365 = 247.9 → 248; 20 × 181/365 = 9.9 → 10.
            (4, 10, 40, 5, Pace::Behind),
            (156, 500, 31, 248, Pace::Behind),
            (2, 20, 10, 10, Pace::Behind),
        ]
    );

    let more = YearTargets {
        demonstrations: Some(5),
        visits: Some(0),
        ..targets
    };
    let lines = lines_of(
        &Totals {
            technologies_demonstrated: 3,
            visits: 8,
            ..totals(4, 156, 2)
        },
        &more,
        END_OF_JUNE,
    );
    assert_eq!(lines.len(), 5);
    let demonstrations = line(&lines, Measure::Demonstrations);
    assert_eq!(
        (
            demonstrations.done,
            demonstrations.percent,
            demonstrations.expected
        ),
        (3, 60, 3),
        "5 × 181/365 = 2.48, asked as 3"
    );
    assert_eq!(demonstrations.pace, Pace::OnPace);
    let visits = line(&lines, Measure::Visits);
    assert_eq!(
        (visits.done, visits.percent, visits.expected, visits.pace),
        (8, 0, 0, Pace::Done),
        "a target of 0 is met, at 0%"
    );
    // Each line counts what its measure names.
    for l in &lines {
        assert_eq!(
            l.done,
            l.measure.of(&Totals {
                technologies_demonstrated: 3,
                visits: 8,
                ..totals(4, 156, 2)
            })
        );
        assert_eq!(Some(l.target), l.measure.target(&more));
    }
}

#[test]
fn the_pace_compares_with_what_is_asked_by_then_in_whole_units() {
    let targets = YearTargets::defaults(2022);
    // 14 March is day 73 of 365: exactly a fifth of the year, so 2 of 10 trainings.
    let fifth = date!(2022 - 03 - 14);
    for (done, pace) in [
        (0, Pace::Behind),
        (1, Pace::Behind),
        (2, Pace::OnPace),
        (3, Pace::Ahead),
        (9, Pace::Ahead),
        (10, Pace::Done),
        (12, Pace::Done),
    ] {
        let trainings = line(
            &lines_of(&totals(done, 0, 0), &targets, fifth),
            Measure::Trainings,
        );
        assert_eq!(trainings.pace, pace, "{done} trainings");
        assert_eq!(trainings.expected, 2);
    }
    // The next day 2 is no longer enough: 10 × 74/365 = 2.03, asked as 3.
    let next_day = date!(2022 - 03 - 15);
    let trainings = line(
        &lines_of(&totals(2, 0, 0), &targets, next_day),
        Measure::Trainings,
    );
    assert_eq!((trainings.expected, trainings.pace), (3, Pace::Behind));
    // Before the year starts nothing is asked yet.
    let lines = lines_of(&totals(0, 1, 0), &targets, day_of_2022(0));
    assert_eq!(line(&lines, Measure::Trainings).pace, Pace::OnPace);
    assert_eq!(line(&lines, Measure::Attendance).pace, Pace::Ahead);
    assert_eq!(
        line(&lines, Measure::Attendance).percent,
        0,
        "1 of 500, rounded down"
    );
}

#[test]
fn once_the_year_is_over_a_target_is_done_or_closed() {
    let targets = YearTargets::defaults(2022);
    let lines = lines_of(&totals(12, 480, 20), &targets, date!(2023 - 01 - 15));
    assert_eq!(
        (
            line(&lines, Measure::Trainings).pace,
            line(&lines, Measure::Trainings).percent
        ),
        (Pace::Done, 120)
    );
    let attendance = line(&lines, Measure::Attendance);
    assert_eq!(
        (attendance.pace, attendance.expected, attendance.percent),
        (Pace::Closed, 500, 96)
    );
    assert_eq!(line(&lines, Measure::TechnologiesPromoted).pace, Pace::Done);
    // The last day of the year, not yet over: behind, not closed.
    let lines = lines_of(&totals(12, 480, 20), &targets, date!(2022 - 12 - 31));
    assert_eq!(line(&lines, Measure::Attendance).pace, Pace::Behind);
}

#[test]
fn a_leap_years_first_half_asks_for_182_of_366() {
    let first_half = Totals {
        period: preset(2024, Preset::FirstHalf),
        ..totals(5, 249, 0)
    };
    let share = first_half
        .period
        .elapsed_share(date!(2024 - 07 - 01))
        .unwrap();
    assert_eq!(
        share,
        Share {
            elapsed: 182,
            of: 366
        }
    );
    let lines = lines_of(
        &first_half,
        &YearTargets::defaults(2024),
        date!(2024 - 07 - 01),
    );
    // 10 × 182/366 = 4.97 → 5; 500 × 182/366 = 248.6 → 249.
    assert_eq!(
        (
            line(&lines, Measure::Trainings).expected,
            line(&lines, Measure::Trainings).pace
        ),
        (5, Pace::OnPace)
    );
    assert_eq!(
        (
            line(&lines, Measure::Attendance).expected,
            line(&lines, Measure::Attendance).pace
        ),
        (249, Pace::OnPace)
    );
}

#[test]
fn measures_have_names_for_pages_and_addresses() {
    let slugs: Vec<&str> = Measure::ALL.iter().map(|m| m.slug()).collect();
    assert_eq!(
        slugs,
        [
            "trainings",
            "attendance",
            "technologies-promoted",
            "demonstrations",
            "visits"
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Every line asks for `share.expected(target)`, and its pace follows from the figures
    /// alone: Done once the target is reached, else Closed once the year is over, else the
    /// count against what is asked.
    #[test]
    fn each_lines_pace_follows_from_its_figures(
        trainings in 0u32..30,
        attendance in 0u32..1000,
        promoted in 0u32..40,
        target in 0u32..30,
        elapsed in 0u16..=365,
        closed in any::<bool>(),
    ) {
        let share = Share { elapsed: if closed { 365 } else { elapsed }, of: 365 };
        let today = if closed { date!(2023 - 01 - 01) } else { day_of_2022(elapsed) };
        let targets = YearTargets { trainings: target, ..YearTargets::defaults(2022) };
        for l in lines_of(&totals(trainings, attendance, promoted), &targets, today) {
            prop_assert_eq!(l.expected, share.expected(l.target));
            prop_assert!(l.expected <= l.target);
            let pace = if l.done >= l.target {
                Pace::Done
            } else if closed {
                Pace::Closed
            } else if l.done < l.expected {
                Pace::Behind
            } else if l.done == l.expected {
                Pace::OnPace
            } else {
                Pace::Ahead
            };
            prop_assert_eq!(l.pace, pace);
            if let Some(percent) = (l.done * 100).checked_div(l.target) {
                prop_assert_eq!(l.percent, percent);
            }
        }
    }
}
