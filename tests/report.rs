//! Tier 1: the report's words (`domain::report`): figures rounded as the bureau writes them
//! ("150余", "over 150"), the period's name, the opening paragraph in Chinese and in English
//! (the sample's first half of 2022 is the acceptance test), the pace sentence
//! ("时间过半、任务过半"), the comparison with the same period last year, and how the change
//! is shown. (The report as a document and a Word file is in `tests/document.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::report::*;
use field_ledger::domain::totals::{self, Counting, Sessions, Totals};
use field_ledger::domain::*;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

use field_ledger_test_support as support;
use support::{
    column_sums, counties, county_figures, figures, ledger_of, nothing, paragraph_of, preset,
    sample_ledger, table_figures, totals_in,
};

/// Whether `text` has any Chinese character or full-width punctuation.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
    })
}

/// A period's totals with `sessions` farmer trainings of `attendance` 人次 and `promoted`
/// technologies promoted.
fn held(period: Period, sessions: u32, attendance: u32, promoted: u32) -> Totals {
    let mut totals = Totals {
        trainings: sessions,
        attendance,
        technologies_promoted: promoted,
        ..nothing(period)
    };
    totals.by_type[0] = (
        TrainingType::Farmer,
        Sessions {
            sessions,
            attendance,
        },
    );
    totals
}

/// The opening paragraph of `totals` (and of the same period a year earlier, when given),
/// against the year's default targets (none across years), judged on `today`.
fn words(totals: &Totals, year_before: Option<&Totals>, today: Date, language: Language) -> String {
    let targets = totals.period.year().map(YearTargets::defaults);
    // The periods here start on 1 January (or span two years): their own figures are the
    // year's so far. (Later starts are in tests/year_so_far.rs.)
    let year_so_far = totals.period.year_so_far().map(|so_far| {
        assert_eq!(so_far, totals.period, "a period starting on 1 January");
        totals
    });
    let narrative = Narrative {
        totals,
        year_so_far,
        year_before,
        targets: targets.as_ref(),
        today,
    };
    let text = narrative.text(language);
    let direct = match language {
        Language::Zh => narrative.zh(),
        Language::En => narrative.en(),
    };
    assert_eq!(text, direct, "text() is zh() or en()");
    text
}

/// The opening paragraph of `totals` alone, by the default counting.
fn paragraph(totals: &Totals, today: Date, language: Language) -> String {
    words(totals, None, today, language)
}

// ---------------------------------------------------------------- rounding

#[test]
fn figures_in_prose_are_rounded_down_as_the_bureau_writes_them() {
    for n in 0..20 {
        assert_eq!(approx_zh(n), n.to_string());
        assert_eq!(approx_en(n), n.to_string());
    }
    for (n, zh, en) in [
        (156, "150余", "over 150"),
        (150, "150", "150"),
        (57, "50余", "over 50"),
        (20, "20", "20"),
        (21, "20余", "over 20"),
        (99, "90余", "over 90"),
        (100, "100", "100"),
        (999, "990余", "over 990"),
        (1345, "1300余", "over 1300"),
        (1300, "1300", "1300"),
        (25_800, "25000余", "over 25000"),
    ] {
        assert_eq!(approx_zh(n), zh, "{n}");
        assert_eq!(approx_en(n), en, "{n}");
    }
}

/// The figure shown, and whether it is marked as rounded.
fn shown(text: &str) -> (u64, bool) {
    match text.strip_suffix('余') {
        Some(figure) => (figure.parse().unwrap(), true),
        None => (text.parse().unwrap(), false),
    }
}

fn significant_digits(n: u64) -> usize {
    let digits = n.to_string();
    digits.trim_end_matches('0').len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The shown figure is never more than the count; from 20 on it is the largest figure of
    /// at most two significant digits and at least tens that is not; 余 ("over") is written
    /// exactly when it is less than the count.
    #[test]
    fn a_rounded_figure_never_overstates_and_says_when_it_is_rounded(
        n in prop_oneof![0u64..20, 20u64..10_000, any::<u64>()],
    ) {
        let zh = approx_zh(n);
        let (figure, rounded) = shown(&zh);
        prop_assert!(figure <= n, "{} shows {}", n, zh);
        prop_assert_eq!(rounded, figure != n, "{} shows {}", n, zh);
        if n >= 20 {
            prop_assert!(significant_digits(figure) <= 2, "{} shows {}", n, zh);
            prop_assert_eq!(figure % 10, 0, "{} shows {}", n, zh);
            // The largest such figure: the next one up (its second digit, or tens) is past n.
            let step = 10u128.pow((figure.to_string().len() as u32).saturating_sub(2).max(1));
            prop_assert!(u128::from(n) < u128::from(figure) + step, "{} shows {}", n, zh);
        } else {
            prop_assert_eq!(figure, n);
        }
        let en = approx_en(n);
        prop_assert_eq!(
            en,
            if rounded { format!("over {figure}") } else { figure.to_string() }
        );
    }
}

#[test]
fn percentages_of_a_target_are_whole_and_rounded_down() {
    assert_eq!(percent_of(4, 10), Some(40));
    assert_eq!(percent_of(156, 500), Some(31));
    assert_eq!(percent_of(12, 10), Some(120));
    assert_eq!(percent_of(1, 0), None);
    assert_eq!(percent_of(u32::MAX, 1), Some(u32::MAX));
}

// ---------------------------------------------------------------- the period's name

#[test]
fn periods_are_named_as_the_bureau_names_them() {
    let custom = Period::custom(date!(2022 - 03 - 01), date!(2022 - 05 - 31));
    let across = Period::custom(date!(2021 - 12 - 01), date!(2022 - 01 - 31));
    let so_far = Period::preset(2022, Preset::YearToDate, date!(2022 - 06 - 20)).unwrap();
    for (period, zh, en) in [
        (
            preset(2022, Preset::FirstHalf),
            "2022年上半年",
            "the first half of 2022",
        ),
        (
            preset(2022, Preset::SecondHalf),
            "2022年下半年",
            "the second half of 2022",
        ),
        (
            preset(2022, Preset::Quarter(1)),
            "2022年第一季度",
            "the first quarter of 2022",
        ),
        (
            preset(2022, Preset::Quarter(4)),
            "2022年第四季度",
            "the fourth quarter of 2022",
        ),
        (preset(2022, Preset::Year), "2022年", "2022"),
        (
            so_far,
            "2022年1月1日至6月20日",
            "1 January 2022 to 20 June 2022",
        ),
        (
            custom,
            "2022年3月1日至5月31日",
            "1 March 2022 to 31 May 2022",
        ),
        (
            across,
            "2021年12月1日至2022年1月31日",
            "1 December 2021 to 31 January 2022",
        ),
    ] {
        assert_eq!(period_zh(&period), zh);
        assert_eq!(period_en(&period), en);
    }
}

// ---------------------------------------------------------------- the acceptance test (#18)

/// The acceptance test: the sample's first half of 2022, judged once it is over,
/// against the 2022 plan, reads as the bureau's own report did — "农民技术员培训4场、
/// 150余人次", 40% of the year's trainings — and its county table adds up to its totals.
#[test]
fn the_samples_first_half_of_2022_reads_as_the_bureaus_report() {
    let ledger = sample_ledger();
    let today = date!(2022 - 07 - 10);
    let period = Period::preset(2022, Preset::FirstHalf, today).unwrap();
    let counting = Counting::default();
    let totals = totals::totals(&ledger, period, &counting, today);
    // 2021 has no records, so there is nothing to compare with (as the report page decides).
    let last_year = Period::preset(2021, Preset::Year, today).unwrap();
    assert!(!totals::any_in(&ledger, last_year));
    // Against YearTargets::defaults(2022): 10 sessions, 500 人次, 20 technologies.
    let zh = paragraph(&totals, today, Language::Zh);
    let en = paragraph(&totals, today, Language::En);
    println!("H1 2022 (zh): {zh}");
    println!("H1 2022 (en): {en}");

    assert!(zh.contains("农民技术员培训4场、150余人次"), "{zh}");
    assert!(zh.contains("完成全年培训目标的40%"), "{zh}");
    assert!(zh.starts_with("2022年上半年，"), "{zh}");
    assert!(zh.contains("示范面积420余亩"), "{zh}");
    assert!(
        zh.contains("走访服务4次，参与特派员5人，服务对象4个"),
        "{zh}"
    );
    assert!(zh.contains("任务尚未过半"), "{zh}");
    assert!(!zh.contains("本期尚未结束"), "the period is over: {zh}");
    assert!(
        !zh.contains("农民科技培训"),
        "no farmer trainings in the sample: {zh}"
    );

    assert!(en.contains("4 sessions of technician training"), "{en}");
    assert!(en.contains("over 150"), "{en}");
    assert!(en.starts_with("In the first half of 2022, "), "{en}");
    assert!(!has_chinese(&en), "{en}");
    assert!(!en.contains("150余") && en.ends_with('.'), "{en}");

    // The county table: every county of the list (the sample's are all in it) and 合计.
    let (rows, total) = totals::by_county(&ledger, period, &counting, &counties());
    assert_eq!(
        county_figures(&rows),
        [
            ("站前区", [0, 0, 0, 0, 0]),
            ("西市区", [0, 0, 0, 0, 0]),
            ("鲅鱼圈区", [1, 41, 0, 0, 1]),
            ("老边区", [1, 35, 0, 1, 1]),
            ("盖州市", [1, 38, 0, 0, 1]),
            ("大石桥市", [1, 42, 0, 1, 1]),
            ("营口高新区", [0, 0, 0, 0, 0]),
        ]
    );
    assert_eq!(total, column_sums(&rows));
    assert_eq!((total.trainings, total.attendance), (4, 156));
    assert_eq!(figures(&total), table_figures(&totals));
}

// ---------------------------------------------------------------- the pace sentence

#[test]
fn a_half_year_with_every_target_at_half_says_time_and_task_are_both_past_half() {
    let h1 = preset(2022, Preset::FirstHalf);
    let after = date!(2022 - 07 - 10);
    // 5 of 10 sessions, 250 of 500 人次, 10 of 20 technologies: each 50%.
    let half = paragraph(&held(h1, 5, 250, 10), after, Language::Zh);
    assert!(half.contains("时间过半、任务过半。"), "{half}");
    assert!(!half.contains("任务尚未过半"), "{half}");
    // One share below half is enough to say the task is not yet past half.
    let short = paragraph(&held(h1, 5, 250, 9), after, Language::Zh);
    assert!(
        short.contains(
            "时间过半，培训场次完成50%、培训人次完成50%、新技术推广完成45%，任务尚未过半。"
        ),
        "{short}"
    );
    let short = paragraph(&held(h1, 4, 260, 12), after, Language::Zh);
    assert!(short.contains("任务尚未过半"), "{short}");
    assert!(!short.contains("时间过半、任务过半"), "{short}");
    // Other periods give the year's time elapsed and the shares.
    let q1 = paragraph(
        &held(preset(2022, Preset::Quarter(1)), 5, 250, 10),
        after,
        Language::Zh,
    );
    assert!(
        q1.contains("全年时间进度24%，培训场次完成50%、培训人次完成50%、新技术推广完成50%。"),
        "{q1}"
    );
    assert!(!q1.contains("时间过半"), "{q1}");
    let en = paragraph(&held(h1, 5, 250, 10), after, Language::En);
    assert!(
        en.contains("With 49% of the year gone, the year's targets stand at 50% for sessions, 50% for attendances and 50% for technologies in wide use."),
        "{en}"
    );
}

#[test]
fn a_period_not_over_yet_says_so_with_the_day_its_figures_run_to() {
    let h1 = preset(2022, Preset::FirstHalf);
    let totals = held(h1, 3, 120, 1);
    let open = date!(2022 - 06 - 20);
    let zh = paragraph(&totals, open, Language::Zh);
    assert!(zh.ends_with("（本期尚未结束，数据截至6月20日。）"), "{zh}");
    let en = paragraph(&totals, open, Language::En);
    assert!(
        en.ends_with("The period is not over yet: figures as of 20 June 2022."),
        "{en}"
    );
    for closed in [date!(2022 - 06 - 30), date!(2023 - 01 - 01)] {
        assert!(!paragraph(&totals, closed, Language::Zh).contains("本期尚未结束"));
        assert!(!paragraph(&totals, closed, Language::En).contains("not over yet"));
    }
}

#[test]
fn a_period_without_trainings_or_targets_says_what_there_is() {
    let empty = paragraph(
        &nothing(preset(2022, Preset::Quarter(1))),
        date!(2022 - 07 - 10),
        Language::Zh,
    );
    assert!(
        empty.starts_with("2022年第一季度，未开展农民培训；"),
        "a period that is over: {empty}"
    );
    let open = paragraph(
        &nothing(preset(2022, Preset::Quarter(1))),
        date!(2022 - 03 - 10),
        Language::Zh,
    );
    assert!(
        open.starts_with("2022年第一季度，暂未开展农民培训；"),
        "a period that runs: {open}"
    );
    assert!(
        empty.contains("尚未推广应用新技术（全年目标20项以上）"),
        "{empty}"
    );
    assert!(!empty.contains("完成全年培训目标"), "{empty}");
    let en = paragraph(
        &nothing(preset(2022, Preset::Quarter(1))),
        date!(2022 - 07 - 10),
        Language::En,
    );
    assert!(
        en.starts_with("In the first quarter of 2022, no farmer training was held."),
        "{en}"
    );
    // Dates across two years have no year's targets: no shares, no pace.
    let across = Period::custom(date!(2021 - 12 - 01), date!(2022 - 01 - 31));
    let zh = paragraph(&held(across, 2, 80, 0), date!(2022 - 07 - 10), Language::Zh);
    assert_eq!(
        zh,
        "2021年12月1日至2022年1月31日，组织农民科技培训2场、80人次。本期跨年度，不与年度目标比较。"
    );
    let en = paragraph(&held(across, 2, 80, 0), date!(2022 - 07 - 10), Language::En);
    assert!(!en.contains('%') && !has_chinese(&en), "{en}");
    assert!(
        en.ends_with("The period spans two years, so it is not measured against a year's targets."),
        "{en}"
    );
}

// ---------------------------------------------------------------- training types in the words

#[test]
fn the_paragraph_names_every_type_held_and_counts_the_counted_ones_against_the_target() {
    let training = |training_type, attendance| {
        Training {
            training_type,
            ..support::training_in("盖州市", date!(2022 - 03 - 01), attendance)
        }
        .into_body()
    };
    let ledger = ledger_of(vec![
        training(TrainingType::Farmer, 40),
        training(TrainingType::Farmer, 30),
        training(TrainingType::Technician, 50),
        training(TrainingType::Other, 20),
    ]);
    let today = date!(2022 - 07 - 10);
    let period = preset(2022, Preset::FirstHalf);
    let farmers_only = Counting {
        training_types: vec![TrainingType::Farmer],
    };
    for (counting, share) in [(Counting::default(), "30%"), (farmers_only, "20%")] {
        let totals = totals::totals(&ledger, period, &counting, today);
        let zh = words(&totals, None, today, Language::Zh);
        assert!(
            zh.contains(&format!(
                "组织农民科技培训2场、70人次，组织农民技术员培训1场、50人次，组织其他培训1场、20人次，完成全年培训目标的{share}"
            )),
            "{zh}"
        );
        let en = words(&totals, None, today, Language::En);
        assert!(
            en.contains(&format!(
                "2 sessions of farmer training with 70 attendances, 1 session of technician training with 50 attendances and 1 session of other training with 20 attendances, {share} of the year's target"
            )),
            "{en}"
        );
    }
}

// ---------------------------------------------------------------- the same period last year

fn two_first_halves() -> Ledger {
    let training = |date| support::training(date).into_body();
    let visit = |date| support::visit(date).into_body();
    ledger_of(vec![
        training(date!(2021 - 03 - 01)),
        training(date!(2021 - 09 - 01)),
        visit(date!(2021 - 02 - 01)),
        visit(date!(2021 - 03 - 01)),
        visit(date!(2021 - 04 - 01)),
        training(date!(2022 - 01 - 10)),
        training(date!(2022 - 02 - 10)),
        training(date!(2022 - 06 - 30)),
        visit(date!(2022 - 05 - 01)),
        visit(date!(2022 - 06 - 01)),
    ])
}

#[test]
fn the_same_period_last_year_is_compared_figure_by_figure() {
    let ledger = two_first_halves();
    let period = preset(2022, Preset::FirstHalf);
    let now = totals_in(&ledger, period);
    let before = totals_in(&ledger, period.year_before());
    assert_eq!(before.period, preset(2021, Preset::FirstHalf));
    assert_eq!(
        (now.trainings, before.trainings),
        (3, 1),
        "September 2021 is not in it"
    );
    assert_eq!((now.visits, before.visits), (2, 3));
    let change_of = |get: fn(&Totals) -> u32| change(f64::from(get(&now)), f64::from(get(&before)));
    assert_eq!(change_of(|t| t.trainings), "+2");
    assert_eq!(change_of(|t| t.visits), "−1");
    assert_eq!(change_of(|t| t.technologies_promoted), "0");

    let narrative = |language| words(&now, Some(&before), date!(2022 - 07 - 10), language);
    let zh = narrative(Language::Zh);
    assert!(
        zh.contains("与上年同期相比，培训增加2场，走访服务减少1次。"),
        "{zh}"
    );
    let en = narrative(Language::En);
    assert!(
        en.contains("Compared with the same period last year, that is 2 more training sessions and 1 fewer visits."),
        "{en}"
    );
}

#[test]
fn an_unchanged_figure_reads_as_unchanged_in_chinese() {
    let ledger = two_first_halves();
    let period = preset(2022, Preset::FirstHalf);
    let now = Totals {
        trainings: 1,
        visits: 3,
        ..totals_in(&ledger, period)
    };
    let before = totals_in(&ledger, period.year_before());
    let zh = words(&now, Some(&before), date!(2022 - 07 - 10), Language::Zh);
    assert!(
        zh.contains("与上年同期相比，培训持平，走访服务持平。"),
        "{zh}"
    );
}

#[test]
fn a_change_is_shown_with_its_sign_and_at_most_one_decimal() {
    assert_eq!(change(3.0, 1.0), "+2");
    assert_eq!(change(2.0, 3.0), "−1", "a real minus sign");
    assert_eq!(change(5.0, 5.0), "0");
    assert_eq!(change(480.5, 420.5), "+60");
    assert_eq!(change(420.5, 480.0), "−59.5");
    assert_eq!(change(0.0, 2800.0), "−2800");
    assert_eq!(trim_figure(480.5), "480.5");
    assert_eq!(trim_figure(2800.0), "2800");
    assert_eq!(trim_figure(1.04), "1");
    assert_eq!(trim_figure(0.06), "0.1");
}

#[test]
fn areas_that_add_up_to_the_same_show_no_change() {
    // 10.1 + 20.2 is 30.299999999999997 in floating point: the same 30.3 亩 on the page.
    let this_year = [10.1, 20.2].iter().sum::<f64>();
    assert_eq!(trim_figure(this_year), trim_figure(30.3));
    assert_eq!(change(this_year, 30.3), "0");
    assert_eq!(change(30.3, this_year), "0");
}

#[test]
fn names_of_the_sample_are_not_in_the_english_paragraph() {
    // The English paragraph is its own sentences with figures only: no Chinese name of a
    // team, host or county slips in, whatever the records hold.
    let ledger = sample_ledger();
    for which in Preset::ALL {
        let period = Period::preset(2022, which, date!(2022 - 12 - 31)).unwrap();
        let en = paragraph_of(&ledger, period, date!(2023 - 01 - 05), Language::En);
        assert!(!has_chinese(&en), "{which:?}: {en}");
        let zh = paragraph_of(&ledger, period, date!(2023 - 01 - 05), Language::Zh);
        assert!(zh.starts_with(&period_zh(&period)), "{which:?}: {zh}");
        assert!(zh.ends_with('。'), "{which:?}: {zh}");
    }
}
