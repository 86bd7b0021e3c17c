//! Tier 1: every kind of period judged as the bureau judges it (DOMAIN.md): an annual target
//! is measured by the year's total from 1 January to the period's end (累计), the period's own
//! figures beside it, and a period across two years has no annual comparison. Hand-counted
//! figures for H1, H2, each quarter, the whole year, the year to date, any dates inside one
//! year and dates across two; the target lines (本期 / 累计, what is asked by the period's end,
//! the pace) and the report's opening paragraph in both languages, the sample's second half
//! and third quarter of 2022 among them.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::progress::{Measure, Pace, TargetLine, target_lines};
use field_ledger::domain::report::year_so_far_words;
use field_ledger::domain::totals::{self, Counting, Totals};
use field_ledger::domain::*;
use time::Date;
use time::macros::date;

use field_ledger_test_support as support;
use support::{ledger_of, paragraph_of, sample_ledger, training_in, visit_in};

/// Long after 2022: every period of 2022 is over.
const LATER: Date = date!(2023 - 06 - 01);

/// 2022, by hand: farmer trainings on 10 Feb (30 人次), 20 May (40), 5 Aug (50) and 15 Nov
/// (60); technologies promoted on 1 Mar and 10 Sep; visits on 1 Apr, 1 Jul and 1 Oct; and a
/// training on 20 Dec 2021 (20) and on 10 Jan 2023 (30) on either side.
fn year_2022() -> Ledger {
    let training = |date: Date, attendance| training_in("盖州市", date, attendance).into_body();
    let promoted = |name: &str, on: Date| {
        support::staged(support::technology(name), None, None, Some(on)).into_body()
    };
    ledger_of(vec![
        training(date!(2021 - 12 - 20), 20),
        training(date!(2022 - 02 - 10), 30),
        training(date!(2022 - 05 - 20), 40),
        training(date!(2022 - 08 - 05), 50),
        training(date!(2022 - 11 - 15), 60),
        training(date!(2023 - 01 - 10), 30),
        promoted("地膜", date!(2022 - 03 - 01)),
        promoted("保鲜", date!(2022 - 09 - 10)),
        visit_in("老边区", date!(2022 - 04 - 01)).into_body(),
        visit_in("老边区", date!(2022 - 07 - 01)).into_body(),
        visit_in("老边区", date!(2022 - 10 - 01)).into_body(),
    ])
}

/// The period's totals, the year's so far, and its target lines against the 2022 plan (10
/// sessions, 500 人次, 20 technologies promoted), judged on `today`.
fn judged(
    ledger: &Ledger,
    period: Period,
    today: Date,
) -> (Totals, Option<Totals>, Vec<TargetLine>) {
    let counting = Counting::default();
    let own = totals::totals(ledger, period, &counting, today);
    let so_far = totals::year_so_far(ledger, &own, &counting, today);
    let targets = period.year().map(YearTargets::defaults);
    let lines = target_lines(&own, so_far.as_ref(), targets.as_ref(), today);
    (own, so_far, lines)
}

fn line(lines: &[TargetLine], measure: Measure) -> TargetLine {
    *lines
        .iter()
        .find(|l| l.measure == measure)
        .unwrap_or_else(|| panic!("no {measure:?} line in {lines:?}"))
}

/// (本期, 累计) of sessions, 人次 and technologies promoted.
fn own_and_so_far(lines: &[TargetLine]) -> [(u32, u32); 3] {
    [
        Measure::Trainings,
        Measure::Attendance,
        Measure::TechnologiesPromoted,
    ]
    .map(|m| {
        let l = line(lines, m);
        (l.in_period, l.done)
    })
}

fn period(preset: Preset) -> Period {
    Period::preset(2022, preset, LATER).expect("2022")
}

#[test]
fn the_year_so_far_runs_from_the_first_of_january_to_the_periods_end() {
    let so_far = |p: Period| p.year_so_far().map(|s| (s.from, s.to));
    for (preset, to) in [
        (Preset::FirstHalf, date!(2022 - 06 - 30)),
        (Preset::SecondHalf, date!(2022 - 12 - 31)),
        (Preset::Quarter(1), date!(2022 - 03 - 31)),
        (Preset::Quarter(2), date!(2022 - 06 - 30)),
        (Preset::Quarter(3), date!(2022 - 09 - 30)),
        (Preset::Quarter(4), date!(2022 - 12 - 31)),
        (Preset::Year, date!(2022 - 12 - 31)),
    ] {
        assert_eq!(
            so_far(period(preset)),
            Some((date!(2022 - 01 - 01), to)),
            "{preset:?}"
        );
    }
    // A period that starts the year is its own year so far.
    for preset in [Preset::FirstHalf, Preset::Quarter(1), Preset::Year] {
        assert_eq!(period(preset).year_so_far(), Some(period(preset)));
    }
    let ytd = Period::preset(2022, Preset::YearToDate, date!(2022 - 08 - 20)).unwrap();
    assert_eq!(ytd.year_so_far(), Some(ytd));
    let dates = Period::custom(date!(2022 - 03 - 01), date!(2022 - 08 - 31));
    assert_eq!(
        so_far(dates),
        Some((date!(2022 - 01 - 01), date!(2022 - 08 - 31)))
    );
    let across = Period::custom(date!(2022 - 11 - 01), date!(2023 - 01 - 31));
    assert_eq!(across.year_so_far(), None, "no annual comparison");
}

#[test]
fn every_kind_of_period_is_judged_by_the_year_so_far_with_its_own_figures_beside() {
    let ledger = year_2022();
    // (period, today, [(本期, 累计) of sessions, 人次, promoted], what each target asks for
    // by the period's end, the pace of sessions).
    type Case = (Period, Date, [(u32, u32); 3], [u32; 3], Pace);
    let cases: Vec<Case> = vec![
        // Jan–Jun, day 181: 10 × 181/365 = 4.96 → 5.
        (
            period(Preset::FirstHalf),
            LATER,
            [(2, 2), (70, 70), (1, 1)],
            [5, 248, 10],
            Pace::Behind,
        ),
        // Jul–Dec: the whole year is judged, and it is over.
        (
            period(Preset::SecondHalf),
            LATER,
            [(2, 4), (110, 180), (1, 2)],
            [10, 500, 20],
            Pace::Closed,
        ),
        (
            period(Preset::Quarter(1)),
            LATER,
            [(1, 1), (30, 30), (1, 1)],
            [3, 124, 5],
            Pace::Behind,
        ),
        // Apr–Jun: its own one training beside Jan–Jun's two.
        (
            period(Preset::Quarter(2)),
            LATER,
            [(1, 2), (40, 70), (0, 1)],
            [5, 248, 10],
            Pace::Behind,
        ),
        // Jul–Sep, judged on Jan–Sep (day 273: 10 × 273/365 = 7.48 → 8).
        (
            period(Preset::Quarter(3)),
            LATER,
            [(1, 3), (50, 120), (1, 2)],
            [8, 374, 15],
            Pace::Behind,
        ),
        (
            period(Preset::Quarter(4)),
            LATER,
            [(1, 4), (60, 180), (0, 2)],
            [10, 500, 20],
            Pace::Closed,
        ),
        (
            period(Preset::Year),
            LATER,
            [(4, 4), (180, 180), (2, 2)],
            [10, 500, 20],
            Pace::Closed,
        ),
        // The year to 20 August, day 232, while it runs: 10 × 232/365 = 6.36 → 7.
        (
            Period::preset(2022, Preset::YearToDate, date!(2022 - 08 - 20)).unwrap(),
            date!(2022 - 08 - 20),
            [(3, 3), (120, 120), (1, 1)],
            [7, 318, 13],
            Pace::Behind,
        ),
        // Any dates inside one year: 1 March to 31 August, judged on 1 January to 31 August
        // (day 243: 500 × 243/365 = 332.9 → 333).
        (
            Period::custom(date!(2022 - 03 - 01), date!(2022 - 08 - 31)),
            LATER,
            [(2, 3), (90, 120), (1, 1)],
            [7, 333, 14],
            Pace::Behind,
        ),
    ];
    for (p, today, figures, expected, pace) in cases {
        let (_, so_far, lines) = judged(&ledger, p, today);
        let so_far = so_far.expect("a period inside one year");
        assert_eq!(so_far.period.from, date!(2022 - 01 - 01), "{p:?}");
        assert_eq!(own_and_so_far(&lines), figures, "{p:?}");
        assert_eq!(
            [
                Measure::Trainings,
                Measure::Attendance,
                Measure::TechnologiesPromoted
            ]
            .map(|m| line(&lines, m).expected),
            expected,
            "{p:?}"
        );
        assert_eq!(line(&lines, Measure::Trainings).pace, pace, "{p:?}");
        // The percentage is of the year so far, never of the period's own figure.
        let trainings = line(&lines, Measure::Trainings);
        assert_eq!(trainings.percent, trainings.done * 10, "{p:?}");
    }
    // Across two years: the period's own figures, and no annual comparison at all.
    let across = Period::custom(date!(2022 - 11 - 01), date!(2023 - 01 - 31));
    let (own, so_far, lines) = judged(&ledger, across, LATER);
    assert_eq!((own.trainings, own.attendance), (2, 90));
    assert!(so_far.is_none() && lines.is_empty());
}

#[test]
fn a_quarter_says_its_own_figures_then_the_year_so_far_and_the_pace() {
    let ledger = year_2022();
    let zh = paragraph_of(&ledger, period(Preset::Quarter(3)), LATER, Language::Zh);
    assert!(
        zh.starts_with("2022年第三季度，组织农民科技培训1场、50人次；推广应用新技术1项；科技特派员开展走访服务1次"),
        "{zh}"
    );
    assert!(
        zh.contains("1—9月累计完成培训3场、120人次，完成全年培训目标的30%（全年目标10场、500余人次）；累计推广应用新技术2项，完成全年20项以上目标的10%。"),
        "{zh}"
    );
    assert!(
        zh.contains("全年时间进度74%，培训场次完成30%、培训人次完成24%、新技术推广完成10%。"),
        "{zh}"
    );
    // The quarter's own 50 人次 are never a share of the year's target.
    assert!(!zh.contains("完成全年培训目标的10%"), "{zh}");
    let en = paragraph_of(&ledger, period(Preset::Quarter(3)), LATER, Language::En);
    assert!(
        en.contains("From 1 January to 30 September 2022, 3 training sessions with 120 attendances were held in all, 30% of the year's target of 10 sessions and 500+ attendances, and 2 technologies were put into wide use, 10% of the goal of at least 20."),
        "{en}"
    );
    assert!(
        en.contains("With 74% of the year gone, the year's targets stand at 30% for sessions, 24% for attendances and 10% for technologies in wide use."),
        "{en}"
    );
}

#[test]
fn a_year_that_is_over_says_which_targets_were_met() {
    let ledger = year_2022();
    let zh = paragraph_of(&ledger, period(Preset::SecondHalf), LATER, Language::Zh);
    assert!(
        zh.contains("全年累计完成培训4场、180人次，完成全年培训目标的40%"),
        "{zh}"
    );
    assert!(
        zh.ends_with("全年培训场次、培训人次、新技术推广目标均未完成，分别完成40%、36%、10%。"),
        "{zh}"
    );
    assert!(!zh.contains("时间进度"), "{zh}");
    // Ten trainings of 60 人次 meet two of the three targets.
    let mut bodies: Vec<RecordBody> = (1..=10)
        .map(|day| {
            training_in(
                "盖州市",
                Date::from_ordinal_date(2022, day * 30).unwrap(),
                60,
            )
            .into_body()
        })
        .collect();
    bodies.push(
        support::staged(
            support::technology("地膜"),
            None,
            None,
            Some(date!(2022 - 03 - 01)),
        )
        .into_body(),
    );
    let busy = ledger_of(bodies);
    let zh = paragraph_of(&busy, period(Preset::Year), LATER, Language::Zh);
    assert!(
        zh.ends_with("全年培训场次、培训人次目标已完成；新技术推广目标未完成，完成5%。"),
        "{zh}"
    );
    let en = paragraph_of(&busy, period(Preset::Year), LATER, Language::En);
    assert!(
        en.contains("The year's targets for sessions and attendances were met; the target for technologies in wide use (5% reached) was not."),
        "{en}"
    );
    // A year that is not over yet is still a pace, not a verdict.
    let zh = paragraph_of(
        &busy,
        period(Preset::Year),
        date!(2022 - 12 - 01),
        Language::Zh,
    );
    assert!(zh.contains("全年时间进度91%"), "{zh}");
}

#[test]
fn dates_across_two_years_say_there_is_no_annual_comparison() {
    let ledger = year_2022();
    let across = Period::custom(date!(2022 - 11 - 01), date!(2023 - 01 - 31));
    let zh = paragraph_of(&ledger, across, LATER, Language::Zh);
    assert_eq!(
        zh,
        "2022年11月1日至2023年1月31日，组织农民科技培训2场、90人次。与上年同期相比，培训增加1场，走访服务持平。本期跨年度，不与年度目标比较。"
    );
    assert!(!zh.contains('%'), "{zh}");
}

#[test]
fn the_samples_second_half_and_third_quarter_are_judged_by_the_whole_year_so_far() {
    let ledger = sample_ledger();
    let h2 = period(Preset::SecondHalf);
    let zh = paragraph_of(&ledger, h2, LATER, Language::Zh);
    println!("H2 2022 (zh): {zh}");
    // The complaint: "暂未开展农民培训……培训场次完成0%". The year held 4 of its 10.
    assert!(zh.starts_with("2022年下半年，未开展农民培训；"), "{zh}");
    assert!(
        zh.contains("全年累计完成培训4场、150余人次，完成全年培训目标的40%（全年目标10场、500余人次）；累计推广应用新技术2项，推广面积2800亩，完成全年20项以上目标的10%。"),
        "{zh}"
    );
    assert!(
        zh.ends_with("全年培训场次、培训人次、新技术推广目标均未完成，分别完成40%、31%、10%。"),
        "{zh}"
    );
    assert!(!zh.contains("完成0%"), "{zh}");
    let en = paragraph_of(&ledger, h2, LATER, Language::En);
    println!("H2 2022 (en): {en}");
    assert!(
        en.contains("Over the whole year, 4 training sessions with over 150 attendances were held in all, 40% of the year's target"),
        "{en}"
    );

    let q3 = period(Preset::Quarter(3));
    let zh = paragraph_of(&ledger, q3, LATER, Language::Zh);
    println!("Q3 2022 (zh): {zh}");
    assert!(
        zh.contains("1—9月累计完成培训4场、150余人次，完成全年培训目标的40%"),
        "{zh}"
    );
    assert!(
        zh.contains("全年时间进度74%，培训场次完成40%、培训人次完成31%、新技术推广完成5%。"),
        "{zh}"
    );
    // The dashboard's cards: 4 / 10 judged by 30 September (8 asked), the quarter's own 0.
    let (_, _, lines) = judged(&ledger, q3, LATER);
    let trainings = line(&lines, Measure::Trainings);
    assert_eq!(
        (
            trainings.in_period,
            trainings.done,
            trainings.target,
            trainings.expected,
            trainings.pace
        ),
        (0, 4, 10, 8, Pace::Behind)
    );
    let (_, _, lines) = judged(&ledger, h2, LATER);
    assert_eq!(
        own_and_so_far(&lines),
        [(0, 4), (0, 156), (2, 2)],
        "H2: 4 / 10 and 156 / 500 for the year, not 0"
    );
}

#[test]
fn the_span_before_lei_ji_is_named_as_the_bureau_names_it() {
    for (to, zh, en) in [
        (date!(2022 - 12 - 31), "全年", "the whole year"),
        (date!(2022 - 09 - 30), "1—9月", "January–September"),
        (date!(2022 - 06 - 30), "1—6月", "January–June"),
        (date!(2022 - 01 - 31), "1月", "January"),
        (date!(2022 - 02 - 28), "1—2月", "January–February"),
        (
            date!(2022 - 09 - 15),
            "1月1日至9月15日",
            "1 January–15 September",
        ),
    ] {
        assert_eq!(year_so_far_words(Language::Zh, to), zh);
        assert_eq!(year_so_far_words(Language::En, to), en);
    }
}
