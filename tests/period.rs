//! Tier 1: the periods a dashboard and a report cover (`domain::period`): the bureau's periods
//! of a year at their month, quarter and year ends, leap years, the year so far, any dates,
//! the address that keeps a period (and what an unreadable one falls back to), the same
//! period a year earlier, and the share of the year elapsed that "时间过半" and the pace of a
//! target are measured by, in whole units.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::period::{Period, Preset, Share};
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

use field_ledger_test_support as support;
use support::{TODAY, preset};

fn span(period: Period) -> (Date, Date) {
    (period.from, period.to)
}

/// What `Period::from_query` reads from `pairs`.
fn read(pairs: &[(&str, &str)], today: Date) -> Period {
    Period::from_query(pairs.iter().copied(), today)
}

/// The period's own query, read back.
fn round_trip(period: Period, today: Date) -> Period {
    let query = period.to_query();
    Period::from_query(query.iter().map(|(k, v)| (*k, v.as_str())), today)
}

// ---------------------------------------------------------------- the bureau's periods

#[test]
fn each_preset_runs_from_the_first_day_of_its_first_month_to_the_last_of_its_last() {
    for (which, from, to) in [
        (
            Preset::FirstHalf,
            date!(2022 - 01 - 01),
            date!(2022 - 06 - 30),
        ),
        (
            Preset::SecondHalf,
            date!(2022 - 07 - 01),
            date!(2022 - 12 - 31),
        ),
        (
            Preset::Quarter(1),
            date!(2022 - 01 - 01),
            date!(2022 - 03 - 31),
        ),
        (
            Preset::Quarter(2),
            date!(2022 - 04 - 01),
            date!(2022 - 06 - 30),
        ),
        (
            Preset::Quarter(3),
            date!(2022 - 07 - 01),
            date!(2022 - 09 - 30),
        ),
        (
            Preset::Quarter(4),
            date!(2022 - 10 - 01),
            date!(2022 - 12 - 31),
        ),
        (Preset::Year, date!(2022 - 01 - 01), date!(2022 - 12 - 31)),
    ] {
        let period = preset(2022, which);
        assert_eq!(span(period), (from, to), "{which:?}");
        assert_eq!(period.preset, Some((2022, which)));
        assert_eq!(period.year(), Some(2022));
        // Both ends are inside; the days next to them are not.
        assert!(period.contains(from) && period.contains(to), "{which:?}");
        assert!(!period.contains(from - Duration::days(1)), "{which:?}");
        assert!(!period.contains(to + Duration::days(1)), "{which:?}");
    }
    // Every day of a year is in exactly one half and exactly one quarter.
    let mut day = date!(2022 - 01 - 01);
    while day.year() == 2022 {
        let in_halves = [Preset::FirstHalf, Preset::SecondHalf]
            .into_iter()
            .filter(|p| preset(2022, *p).contains(day))
            .count();
        let in_quarters = (1..=4)
            .filter(|q| preset(2022, Preset::Quarter(*q)).contains(day))
            .count();
        assert_eq!((in_halves, in_quarters), (1, 1), "{day}");
        day = day.next_day().unwrap();
    }
}

#[test]
fn in_a_leap_year_29_february_is_in_the_first_quarter_and_half() {
    assert_eq!(
        span(preset(2024, Preset::Quarter(1))),
        (date!(2024 - 01 - 01), date!(2024 - 03 - 31))
    );
    for which in [Preset::Quarter(1), Preset::FirstHalf, Preset::Year] {
        assert!(
            preset(2024, which).contains(date!(2024 - 02 - 29)),
            "{which:?}"
        );
    }
    assert!(!preset(2024, Preset::Quarter(2)).contains(date!(2024 - 02 - 29)));
    // The same period a year earlier of one that ends on 29 February ends on the 28th.
    let february = Period::custom(date!(2024 - 02 - 01), date!(2024 - 02 - 29));
    assert_eq!(
        february.year_before(),
        Period::custom(date!(2023 - 02 - 01), date!(2023 - 02 - 28))
    );
    let so_far = Period::preset(2024, Preset::YearToDate, date!(2024 - 02 - 29)).unwrap();
    assert_eq!(
        so_far.year_before(),
        Period {
            from: date!(2023 - 01 - 01),
            to: date!(2023 - 02 - 28),
            preset: Some((2023, Preset::YearToDate)),
        }
    );
}

#[test]
fn the_same_period_a_year_earlier_is_the_same_preset_of_the_year_before() {
    for year in [2021, 2022, 2024, 2025] {
        for which in Preset::ALL {
            if which == Preset::YearToDate {
                continue;
            }
            assert_eq!(
                preset(year, which).year_before(),
                preset(year - 1, which),
                "{which:?} {year}"
            );
        }
    }
    let custom = Period::custom(date!(2022 - 03 - 10), date!(2022 - 05 - 31));
    assert_eq!(
        custom.year_before(),
        Period::custom(date!(2021 - 03 - 10), date!(2021 - 05 - 31))
    );
}

#[test]
fn the_year_so_far_ends_today_while_the_year_runs_and_is_the_whole_year_once_it_is_over() {
    let today = date!(2022 - 06 - 20);
    let current = Period::preset(2022, Preset::YearToDate, today).unwrap();
    assert_eq!(span(current), (date!(2022 - 01 - 01), today));
    assert_eq!(current.preset, Some((2022, Preset::YearToDate)));
    assert!(!current.is_open(today), "it ends today");
    let past = Period::preset(2021, Preset::YearToDate, today).unwrap();
    assert_eq!(span(past), span(preset(2021, Preset::Year)));
    assert_eq!(past.preset, Some((2021, Preset::YearToDate)));
    // On 1 January it is one day long.
    let first = Period::preset(2023, Preset::YearToDate, date!(2023 - 01 - 01)).unwrap();
    assert_eq!(span(first), (date!(2023 - 01 - 01), date!(2023 - 01 - 01)));
}

#[test]
fn any_dates_make_a_period_and_dates_given_the_wrong_way_round_are_swapped() {
    let (early, late) = (date!(2022 - 03 - 01), date!(2022 - 05 - 31));
    let period = Period::custom(late, early);
    assert_eq!(period, Period::custom(early, late));
    assert_eq!(span(period), (early, late));
    assert_eq!(period.preset, None);
    assert_eq!(Period::custom(early, early).to, early);
    let across = Period::custom(date!(2021 - 12 - 01), date!(2022 - 01 - 31));
    assert_eq!(across.year(), None);
    assert!(across.contains(date!(2021 - 12 - 31)) && across.contains(date!(2022 - 01 - 01)));
}

#[test]
fn a_period_is_open_while_it_ends_after_today() {
    let first_half = preset(2022, Preset::FirstHalf);
    assert!(first_half.is_open(date!(2022 - 06 - 20)));
    assert!(first_half.is_open(date!(2022 - 06 - 29)));
    assert!(!first_half.is_open(date!(2022 - 06 - 30)));
    assert!(!first_half.is_open(date!(2022 - 07 - 01)));
}

#[test]
fn the_default_period_is_the_half_year_today_is_in() {
    for (today, expected) in [
        (date!(2022 - 01 - 01), Preset::FirstHalf),
        (date!(2022 - 06 - 30), Preset::FirstHalf),
        (date!(2022 - 07 - 01), Preset::SecondHalf),
        (date!(2022 - 12 - 31), Preset::SecondHalf),
    ] {
        assert_eq!(
            Period::current_half(today),
            Period::preset(2022, expected, today).unwrap(),
            "{today}"
        );
    }
}

// ---------------------------------------------------------------- the address

#[test]
fn every_preset_and_any_dates_read_back_from_their_address() {
    for which in Preset::ALL {
        let period = preset(2021, which);
        assert_eq!(round_trip(period, TODAY), period, "{which:?}");
        assert_eq!(Preset::from_slug(which.slug()), Some(which));
    }
    assert_eq!(
        preset(2022, Preset::FirstHalf).to_query(),
        [("period", "h1".to_owned()), ("year", "2022".to_owned())]
    );
    let custom = Period::custom(date!(2022 - 03 - 01), date!(2022 - 05 - 31));
    assert_eq!(
        custom.to_query(),
        [
            ("from", "2022-03-01".to_owned()),
            ("to", "2022-05-31".to_owned())
        ]
    );
    assert_eq!(round_trip(custom, TODAY), custom);
}

#[test]
fn an_unreadable_address_gives_the_current_half_year() {
    let today = date!(2022 - 09 - 01);
    let second_half = Period::preset(2022, Preset::SecondHalf, today).unwrap();
    for pairs in [
        &[][..],
        &[("period", "h3")],
        &[("period", "")],
        &[("year", "abc")],
        &[("year", "1999")],
        &[("year", "10000")],
        &[("from", "2022-03-01")],
        &[("to", "2022-05-31")],
        &[("from", "2022-02-30"), ("to", "2022-05-31")],
        &[("from", "2022-03-01"), ("to", "31.05.2022")],
        &[("colour", "red")],
    ] {
        assert_eq!(read(pairs, today), second_half, "{pairs:?}");
    }
}

#[test]
fn an_address_with_part_of_a_period_takes_the_rest_from_today() {
    let today = date!(2022 - 09 - 01);
    // A preset without a readable year is of the current year.
    assert_eq!(
        read(&[("period", "q1")], today),
        preset(2022, Preset::Quarter(1))
    );
    assert_eq!(
        read(&[("period", "h1"), ("year", "x")], today),
        preset(2022, Preset::FirstHalf)
    );
    // A year alone (the dashboard's old `?year=2022`) is that whole year.
    assert_eq!(read(&[("year", "2021")], today), preset(2021, Preset::Year));
    // Dates with a year beside them are those dates.
    assert_eq!(
        read(
            &[
                ("from", "2022-03-01"),
                ("to", "2022-05-31"),
                ("year", "2021")
            ],
            today
        ),
        Period::custom(date!(2022 - 03 - 01), date!(2022 - 05 - 31))
    );
    // Unknown keys are ignored; a later value wins.
    assert_eq!(
        read(
            &[
                ("lang", "en"),
                ("period", "q2"),
                ("year", "2020"),
                ("year", "2021")
            ],
            today
        ),
        preset(2021, Preset::Quarter(2))
    );
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i64..36_500).prop_map(|days| date!(2000 - 01 - 01) + Duration::days(days))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A preset of any year, or any two dates, reads back from its address exactly, judged on
    /// any day.
    #[test]
    fn any_period_reads_back_from_its_address(
        year in 2000i32..=2099,
        which in proptest::sample::select(Preset::ALL.to_vec()),
        (a, b) in (any_date(), any_date()),
        today in any_date(),
    ) {
        let period = Period::preset(year, which, today).unwrap();
        prop_assert_eq!(round_trip(period, today), period);
        let custom = Period::custom(a, b);
        prop_assert!(custom.from <= custom.to);
        prop_assert_eq!(round_trip(custom, today), custom);
    }

    /// Whatever an address holds, reading it never panics and gives a period in order.
    #[test]
    fn any_address_gives_a_period(
        pairs in proptest::collection::vec(
            (
                prop_oneof![
                    Just("period".to_owned()),
                    Just("year".to_owned()),
                    Just("from".to_owned()),
                    Just("to".to_owned()),
                    "[a-z]{0,5}",
                ],
                prop_oneof!["h[0-9]|q[0-9]|year|ytd", "[0-9]{1,5}", "[0-9]{4}-[0-9]{2}-[0-9]{2}", ".{0,12}"],
            ),
            0..6,
        ),
        today in any_date(),
    ) {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let period = read(&pairs, today);
        prop_assert!(period.from <= period.to);
    }
}

// ---------------------------------------------------------------- the share of the year elapsed

#[test]
fn at_the_end_of_the_first_half_181_of_365_days_have_passed_and_182_of_366_in_a_leap_year() {
    let after = |year: i32| date!(2025 - 01 - 01).replace_year(year + 1).unwrap();
    let h1_2022 = preset(2022, Preset::FirstHalf).elapsed_share(after(2022));
    assert_eq!(
        h1_2022,
        Some(Share {
            elapsed: 181,
            of: 365
        })
    );
    assert_eq!(h1_2022.unwrap().percent(), 49);
    let h1_2024 = preset(2024, Preset::FirstHalf).elapsed_share(after(2024));
    assert_eq!(
        h1_2024,
        Some(Share {
            elapsed: 182,
            of: 366
        })
    );
    assert_eq!(h1_2024.unwrap().percent(), 49);
    // The other periods, judged once they are over.
    for (which, elapsed) in [
        (Preset::Quarter(1), 90),
        (Preset::Quarter(3), 273),
        (Preset::SecondHalf, 365),
        (Preset::Year, 365),
    ] {
        assert_eq!(
            preset(2022, which).elapsed_share(date!(2023 - 06 - 01)),
            Some(Share { elapsed, of: 365 }),
            "{which:?}"
        );
    }
    assert_eq!(
        preset(2022, Preset::Year)
            .elapsed_share(date!(2023 - 01 - 01))
            .unwrap()
            .percent(),
        100
    );
}

#[test]
fn while_a_period_runs_its_share_is_judged_at_the_end_of_today() {
    let h1 = preset(2022, Preset::FirstHalf);
    // 20 June is day 171.
    assert_eq!(
        h1.elapsed_share(date!(2022 - 06 - 20)),
        Some(Share {
            elapsed: 171,
            of: 365
        })
    );
    assert_eq!(
        h1.elapsed_share(date!(2022 - 06 - 30)),
        Some(Share {
            elapsed: 181,
            of: 365
        })
    );
    // Before its year begins nothing has elapsed.
    assert_eq!(
        preset(2023, Preset::FirstHalf).elapsed_share(date!(2022 - 06 - 20)),
        Some(Share {
            elapsed: 0,
            of: 365
        })
    );
    // 29 February 2024 is day 60 of 366.
    assert_eq!(
        preset(2024, Preset::Year).elapsed_share(date!(2024 - 02 - 29)),
        Some(Share {
            elapsed: 60,
            of: 366
        })
    );
    // Dates across two years have no share of one year.
    let across = Period::custom(date!(2021 - 12 - 01), date!(2022 - 01 - 31));
    assert_eq!(across.elapsed_share(TODAY), None);
}

#[test]
fn what_a_target_asks_for_by_then_is_rounded_up_to_a_whole_unit() {
    let end_of_june = Share {
        elapsed: 181,
        of: 365,
    };
    // 10 × 181/365 = 4.96; 500 × 181/365 = 247.9; 20 × 181/365 = 9.9.
    assert_eq!(end_of_june.expected(10), 5);
    assert_eq!(end_of_june.expected(500), 248);
    assert_eq!(end_of_june.expected(20), 10);
    // 14 March is day 73: exactly a fifth of the year, so exactly 2 of 10; a day later, 3.
    assert_eq!(
        Share {
            elapsed: 73,
            of: 365
        }
        .expected(10),
        2
    );
    assert_eq!(
        Share {
            elapsed: 74,
            of: 365
        }
        .expected(10),
        3
    );
    assert_eq!(
        Share {
            elapsed: 0,
            of: 365
        }
        .expected(500),
        0
    );
    assert_eq!(
        Share {
            elapsed: 366,
            of: 366
        }
        .expected(500),
        500
    );
    assert_eq!(
        Share {
            elapsed: 1,
            of: 365
        }
        .expected(1),
        1,
        "a part of one is one"
    );
    assert_eq!(
        Share {
            elapsed: 365,
            of: 365
        }
        .expected(u32::MAX),
        u32::MAX
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// `expected` is the smallest whole number at or above `target × elapsed / of`, never more
    /// than the target.
    #[test]
    fn expected_is_the_pro_rata_target_rounded_up(
        target in prop_oneof![0u32..1000, any::<u32>()],
        of in prop_oneof![Just(365u16), Just(366u16), 1u16..400],
        elapsed_per_mille in 0u32..=1000,
    ) {
        let elapsed = u16::try_from(u32::from(of) * elapsed_per_mille / 1000).unwrap();
        let share = Share { elapsed, of };
        let expected = u64::from(share.expected(target));
        let asked = u64::from(target) * u64::from(elapsed);
        prop_assert!(expected * u64::from(of) >= asked, "{} < {}/{}", expected, asked, of);
        prop_assert!(expected == 0 || (expected - 1) * u64::from(of) < asked, "{} is one too many", expected);
        prop_assert!(expected <= u64::from(target));
        prop_assert!(share.percent() <= 100);
    }
}
