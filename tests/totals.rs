//! Tier 1: what a period adds up to (`domain::totals`), on hand-made ledgers with known
//! answers: each kind counts by its own dates (a technology once per stage date); deletes
//! never count and samples do; an edit that moves a record to another period or county moves
//! its count; of merged conflicting versions only the winner counts; the training types that
//! count towards the targets are a setting, while every type is shown; the county table lists
//! every county of the settings with zeros, then others, then "not given", and its 合计 row
//! adds them up; the months of the period; commissioner work (hosts by type, kinds of help,
//! teams, follow-ups); the lists of technologies and trainings in a period; the years that
//! have records. A property ties the tables, the halves and the quarters to the totals. (The
//! sample's figures are in `tests/sample.rs`; the target lines in `tests/targets.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::totals::*;
use field_ledger::domain::*;
use proptest::prelude::*;
use time::macros::{date, datetime};
use time::{Date, Duration};

use field_ledger_test_support as support;
use support::{
    NOW, TODAY, author, column_sums, counties, county_figures, county_table, figures, id,
    ledger_of as ledger, nothing, officer, preset, record, staged, strings, table_figures,
    totals_in, year,
};

fn training(date: Date, county: &str, attendance: u32, households: Option<u32>) -> RecordBody {
    Training {
        households,
        ..support::training_in(county, date, attendance)
    }
    .into_body()
}

fn training_of(training_type: TrainingType, date: Date, attendance: u32) -> RecordBody {
    Training {
        training_type,
        ..support::training_in("盖州市", date, attendance)
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

/// The rows of a county table that have any figure, with their figures.
fn nonzero(rows: &[CountyRow]) -> Vec<(&str, [u32; 5])> {
    county_figures(rows)
        .into_iter()
        .filter(|(_, figures)| *figures != [0; 5])
        .collect()
}

fn months(ledger: &Ledger, period: Period) -> Vec<MonthRow> {
    by_month(ledger, period, &Counting::default())
}

// ---------------------------------------------------------------- what counts, and when

#[test]
fn each_kind_counts_by_its_own_dates() {
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
    let period = year(2022);
    assert_eq!(
        totals_in(&ledger, period),
        Totals {
            by_type: vec![
                (
                    TrainingType::Farmer,
                    Sessions {
                        sessions: 2,
                        attendance: 80
                    }
                ),
                (TrainingType::Technician, Sessions::default()),
                (TrainingType::Other, Sessions::default()),
            ],
            trainings: 2,
            attendance: 80,
            technologies_introduced: 2,
            technologies_demonstrated: 2,
            technologies_promoted: 1,
            demo_area_mu: 180.5,
            promoted_area_mu: 800.0,
            visits: 2,
            // Names trimmed, blanks left out.
            commissioners: 2,
            hosts: 1,
            hosts_by_type: vec![(HostType::Enterprise, 1)],
            help: vec![(HelpKind::Advice, 2)],
            // 30 trained + 46 from the promoted technology; the demonstrated one's 7 wait.
            households: 76,
            ..nothing(period)
        }
    );
    assert_eq!(totals_in(&ledger, year(2021)).attendance, 99);
    assert_eq!(totals_in(&ledger, year(2023)).visits, 1);
    assert_eq!(totals_in(&ledger, year(2020)), nothing(year(2020)));
    assert!(nothing(year(2020)).is_empty());
    // The halves split the year at the end of June.
    let first = totals_in(&ledger, preset(2022, Preset::FirstHalf));
    let second = totals_in(&ledger, preset(2022, Preset::SecondHalf));
    assert_eq!(
        (
            first.trainings,
            first.attendance,
            first.visits,
            first.demo_area_mu
        ),
        (1, 38, 2, 120.5)
    );
    assert_eq!(
        (
            second.trainings,
            second.technologies_demonstrated,
            second.technologies_promoted,
            second.promoted_area_mu
        ),
        (1, 1, 1, 800.0)
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
    let deleted_visit = record(4, visit(date!(2022 - 04 - 19), "盖州市", &["周明"], "某村"))
        .tombstone(&officer(), NOW);
    let deleted_technology = record(
        5,
        technology("大石桥市", None, Some(date!(2022 - 04 - 01)), None),
    )
    .tombstone(&officer(), NOW);
    let sample_visit = Record {
        sample: true,
        ..record(6, visit(date!(2022 - 05 - 19), "老边区", &["周明"], "某村"))
    };
    let ledger = Ledger::from_records([
        kept,
        deleted,
        sample,
        deleted_visit,
        deleted_technology,
        sample_visit,
    ]);
    let totals = totals_in(&ledger, year(2022));
    assert_eq!((totals.trainings, totals.attendance), (2, 73));
    assert_eq!((totals.visits, totals.technologies_demonstrated), (1, 0));
    let (rows, total) = county_table(&ledger, year(2022));
    assert_eq!(
        nonzero(&rows),
        [("老边区", [1, 35, 0, 0, 1]), ("盖州市", [1, 38, 0, 0, 0])]
    );
    assert_eq!(figures(&total), [2, 73, 0, 0, 1]);
    let april = months(&ledger, year(2022))[3];
    assert_eq!(
        (april.trainings, april.visits),
        (0, 0),
        "the deleted April records"
    );
    assert_eq!(
        trainings_in(&ledger, year(2022))
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        [id(1), id(3)]
    );
}

#[test]
fn an_edit_that_moves_a_training_to_another_period_or_county_moves_its_count() {
    let first = record(1, training(date!(2022 - 12 - 20), "盖州市", 40, None));
    let before = Ledger::from_records([first.clone()]);
    assert_eq!(totals_in(&before, year(2022)).trainings, 1);
    assert_eq!(totals_in(&before, year(2023)).trainings, 0);

    let moved_year = first.edited(
        training(date!(2023 - 01 - 05), "盖州市", 40, None),
        &officer(),
        NOW,
    );
    let mut after = before.clone();
    after.put(moved_year);
    assert_eq!(totals_in(&after, year(2022)).trainings, 0);
    assert_eq!(totals_in(&after, year(2023)).attendance, 40);
    let (rows, total) = county_table(&after, year(2022));
    assert!(nonzero(&rows).is_empty());
    assert_eq!(rows.len(), counties().len(), "every county, with zeros");
    assert_eq!(total, CountyRow::default());
    assert_eq!(months(&after, year(2023))[0].attendance, 40);

    let moved_county = first.edited(
        training(date!(2022 - 12 - 20), "大石桥市", 40, None),
        &officer(),
        NOW,
    );
    let mut after = before.clone();
    after.put(moved_county);
    let (rows, _) = county_table(&after, year(2022));
    assert_eq!(nonzero(&rows), [("大石桥市", [1, 40, 0, 0, 0])]);

    // From the last day of the first half to the first of the second.
    let june = record(2, training(date!(2022 - 06 - 30), "盖州市", 25, None));
    let mut ledger = Ledger::from_records([june.clone()]);
    let (h1, h2) = (
        preset(2022, Preset::FirstHalf),
        preset(2022, Preset::SecondHalf),
    );
    assert_eq!(
        (
            totals_in(&ledger, h1).trainings,
            totals_in(&ledger, h2).trainings
        ),
        (1, 0)
    );
    ledger.put(june.edited(
        training(date!(2022 - 07 - 01), "盖州市", 25, None),
        &officer(),
        NOW,
    ));
    assert_eq!(
        (
            totals_in(&ledger, h1).trainings,
            totals_in(&ledger, h2).trainings
        ),
        (0, 1)
    );
    assert_eq!(months(&ledger, h2)[0].attendance, 25, "July");
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
        let totals = totals_in(&ledger, year(2022));
        assert_eq!(
            (totals.trainings, totals.attendance),
            (1, 50),
            "the later edit wins"
        );
        let (rows, total) = county_table(&ledger, year(2022));
        assert_eq!(nonzero(&rows), [("大石桥市", [1, 50, 0, 0, 0])]);
        assert_eq!(figures(&total), [1, 50, 0, 0, 0]);
        assert_eq!(trainings_in(&ledger, year(2022)).len(), 1);
    }
}

#[test]
fn a_technology_counts_at_each_stage_in_the_period_of_that_stages_date() {
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
    let stages = |t: &Totals| {
        (
            t.technologies_introduced,
            t.technologies_demonstrated,
            t.technologies_promoted,
        )
    };
    let y2020 = totals_in(&ledger, year(2020));
    assert_eq!(stages(&y2020), (1, 0, 0));
    let y2021 = totals_in(&ledger, year(2021));
    assert_eq!(stages(&y2021), (0, 1, 0));
    assert_eq!(y2021.demo_area_mu, 50.0);
    let y2022 = totals_in(&ledger, year(2022));
    assert_eq!(stages(&y2022), (0, 0, 1));
    assert_eq!((y2022.promoted_area_mu, y2022.households), (900.0, 20));
    // Within 2022: the second quarter, April.
    assert_eq!(
        stages(&totals_in(&ledger, preset(2022, Preset::Quarter(1)))),
        (0, 0, 0)
    );
    assert_eq!(
        stages(&totals_in(&ledger, preset(2022, Preset::Quarter(2)))),
        (0, 0, 1)
    );
    assert_eq!(
        months(&ledger, year(2022))[3].technologies_promoted,
        1,
        "April"
    );
    // Introduced only: nothing in the county table.
    let (rows, total) = county_table(&ledger, year(2020));
    assert!(nonzero(&rows).is_empty());
    assert_eq!(total, CountyRow::default());
    let (rows, _) = county_table(&ledger, year(2021));
    assert_eq!(nonzero(&rows), [("老边区", [0, 0, 0, 1, 0])]);
}

// ---------------------------------------------------------------- the county table

fn county_ledger() -> Ledger {
    ledger(vec![
        visit(date!(2022 - 05 - 01), "", &["周明"], "某村"),
        visit(date!(2022 - 05 - 01), "大石桥市", &["周明"], "某村"),
        training(date!(2022 - 05 - 01), "仙人岛能源化工区", 10, None),
        training(date!(2022 - 05 - 01), "北海新区", 12, None),
        training(date!(2022 - 05 - 01), "鲅鱼圈区", 20, None),
        training(date!(2022 - 05 - 01), "站前区", 5, None),
        // Spaces around a county do not make another county; blanks are "not given".
        training(date!(2022 - 05 - 01), " 盖州市 ", 7, None),
        training(date!(2022 - 05 - 01), "  ", 3, None),
        RecordBody::Technology(technology(
            "大石桥市",
            Some(date!(2021 - 03 - 01)),
            Some(date!(2022 - 03 - 01)),
            None,
        )),
        // Another year: no row for 熊岳新区.
        training(date!(2021 - 05 - 01), "熊岳新区", 20, None),
    ])
}

#[test]
fn the_county_table_lists_every_county_then_others_then_not_given_and_adds_them_up() {
    let ledger = county_ledger();
    let (rows, total) = county_table(&ledger, year(2022));
    let listed: Vec<&str> = rows.iter().map(|r| r.county.as_str()).collect();
    let mut expected: Vec<String> = counties();
    expected.extend(strings(&["仙人岛能源化工区", "北海新区", ""]));
    assert_eq!(listed, expected);
    assert_eq!(
        listed[..7],
        [
            "站前区",
            "西市区",
            "鲅鱼圈区",
            "老边区",
            "盖州市",
            "大石桥市",
            "营口高新区"
        ]
    );
    assert_eq!(
        nonzero(&rows),
        [
            ("站前区", [1, 5, 0, 0, 0]),
            ("鲅鱼圈区", [1, 20, 0, 0, 0]),
            ("盖州市", [1, 7, 0, 0, 0]),
            ("大石桥市", [0, 0, 0, 1, 1]),
            ("仙人岛能源化工区", [1, 10, 0, 0, 0]),
            ("北海新区", [1, 12, 0, 0, 0]),
            ("", [1, 3, 0, 0, 1]),
        ]
    );
    // 合计 is the sum of every column, and the period's totals.
    assert_eq!(total, column_sums(&rows));
    assert_eq!(total.county, "");
    assert_eq!(
        figures(&total),
        table_figures(&totals_in(&ledger, year(2022)))
    );
    assert_eq!(figures(&total), [6, 57, 0, 1, 2]);
}

#[test]
fn a_county_added_in_the_settings_is_listed_in_their_order_with_zeros() {
    let ledger = county_ledger();
    let mut settings = Settings::new("device".into());
    assert!(settings.add_county("北海新区"));
    assert!(settings.add_county("营口港"));
    let (rows, total) = by_county(
        &ledger,
        year(2022),
        &Counting::default(),
        &settings.counties(),
    );
    let listed: Vec<&str> = rows.iter().map(|r| r.county.as_str()).collect();
    assert_eq!(listed[7..], ["北海新区", "营口港", "仙人岛能源化工区", ""]);
    assert_eq!(figures(&rows[7]), [1, 12, 0, 0, 0]);
    assert_eq!(figures(&rows[8]), [0; 5]);
    assert_eq!(total, column_sums(&rows));
    // With no county list, only the counties that have figures.
    let (rows, _) = by_county(&ledger, year(2022), &Counting::default(), &[]);
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| figures(r) != [0; 5]));
}

// ---------------------------------------------------------------- months and years

#[test]
fn the_month_table_has_a_row_for_every_month_of_the_period() {
    let ledger = ledger(vec![
        training(date!(2022 - 01 - 01), "盖州市", 10, None),
        training(date!(2022 - 12 - 31), "盖州市", 20, None),
        visit(date!(2022 - 12 - 01), "盖州市", &["周明"], "某村"),
        visit(date!(2023 - 12 - 01), "盖州市", &["周明"], "某村"),
        training(date!(2021 - 11 - 01), "盖州市", 1, None),
        training(date!(2021 - 11 - 20), "盖州市", 2, None),
        training(date!(2022 - 02 - 11), "盖州市", 4, None),
    ]);
    let whole = months(&ledger, year(2022));
    assert_eq!(
        whole.iter().map(|m| (m.year, m.month)).collect::<Vec<_>>(),
        (1..=12).map(|m| (2022, m)).collect::<Vec<_>>()
    );
    assert_eq!((whole[0].trainings, whole[0].attendance), (1, 10));
    assert_eq!(
        (whole[11].trainings, whole[11].attendance, whole[11].visits),
        (1, 20, 1)
    );
    assert_eq!(
        whole[5],
        MonthRow {
            year: 2022,
            month: 6,
            ..MonthRow::default()
        }
    );
    let of = |p: Preset| -> Vec<u8> {
        months(&ledger, preset(2022, p))
            .iter()
            .map(|m| m.month)
            .collect()
    };
    assert_eq!(of(Preset::FirstHalf), [1, 2, 3, 4, 5, 6]);
    assert_eq!(of(Preset::SecondHalf), [7, 8, 9, 10, 11, 12]);
    assert_eq!(of(Preset::Quarter(3)), [7, 8, 9]);
    // Any dates: every month they touch, across the new year, counting only the days inside.
    let custom = Period::custom(date!(2021 - 11 - 15), date!(2022 - 02 - 10));
    let rows = months(&ledger, custom);
    assert_eq!(
        rows.iter()
            .map(|m| (m.year, m.month, m.attendance))
            .collect::<Vec<_>>(),
        [(2021, 11, 2), (2021, 12, 0), (2022, 1, 10), (2022, 2, 0)]
    );
    assert_eq!(months(&Ledger::default(), year(2022)).len(), 12);
    assert_eq!(
        months(
            &ledger,
            Period::custom(date!(2022 - 03 - 05), date!(2022 - 03 - 09))
        )
        .len(),
        1
    );
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
    assert!(any_in(&ledger, year(2018)));
    assert!(!any_in(&ledger, year(2015)), "deleted");
    assert!(!any_in(&ledger, year(2017)));
}

// ---------------------------------------------------------------- training types

#[test]
fn the_types_that_count_towards_the_targets_are_a_setting_and_every_type_is_shown() {
    let ledger = ledger(vec![
        training_of(TrainingType::Farmer, date!(2022 - 03 - 01), 40),
        training_of(TrainingType::Farmer, date!(2022 - 04 - 01), 30),
        training_of(TrainingType::Technician, date!(2022 - 05 - 01), 50),
        training_of(TrainingType::Other, date!(2022 - 05 - 02), 20),
        training_of(TrainingType::Other, date!(2021 - 05 - 02), 99),
    ]);
    let by_type = vec![
        (
            TrainingType::Farmer,
            Sessions {
                sessions: 2,
                attendance: 70,
            },
        ),
        (
            TrainingType::Technician,
            Sessions {
                sessions: 1,
                attendance: 50,
            },
        ),
        (
            TrainingType::Other,
            Sessions {
                sessions: 1,
                attendance: 20,
            },
        ),
    ];
    let only = |types: &[TrainingType]| Counting {
        training_types: types.to_vec(),
    };
    for (counting, counted) in [
        (Counting::default(), (3, 120)),
        (only(&[TrainingType::Farmer]), (2, 70)),
        (only(&[TrainingType::Technician]), (1, 50)),
        (only(&TrainingType::ALL), (4, 140)),
        (only(&[]), (0, 0)),
    ] {
        let totals = totals(&ledger, year(2022), &counting, TODAY);
        assert_eq!(
            (totals.trainings, totals.attendance),
            counted,
            "{counting:?}"
        );
        assert_eq!(totals.by_type, by_type, "every type, whatever counts");
        assert_eq!(totals.sessions_of(TrainingType::Other).attendance, 20);
        // The tables count what the targets count.
        let (_, total) = by_county(&ledger, year(2022), &counting, &counties());
        assert_eq!((total.trainings, total.attendance), counted, "{counting:?}");
        let months = by_month(&ledger, year(2022), &counting);
        assert_eq!(
            months.iter().map(|m| m.attendance).sum::<u32>(),
            counted.1,
            "{counting:?}"
        );
        // The list of trainings is every training.
        assert_eq!(trainings_in(&ledger, year(2022)).len(), 4);
    }
    assert_eq!(
        Counting::default().training_types,
        [TrainingType::Farmer, TrainingType::Technician]
    );
    assert!(!Counting::default().counts(TrainingType::Other));
    // A period of no training still shows every type.
    assert_eq!(
        nothing(year(2020))
            .by_type
            .iter()
            .map(|(t, _)| *t)
            .collect::<Vec<_>>(),
        TrainingType::ALL
    );
}

// ---------------------------------------------------------------- commissioner work

#[test]
fn commissioner_work_counts_hosts_by_type_help_teams_and_follow_ups() {
    let v = |date: Date, host: &str, host_type: HostType, commissioners: &[&str]| Visit {
        host: host.into(),
        host_type,
        commissioners: strings(commissioners),
        ..support::visit(date)
    };
    let rice_team = "省级水稻科技特派团";
    let bodies = vec![
        // 1: followed up by visit 3.
        Visit {
            team_name: rice_team.into(),
            team_level: Some(TeamLevel::ProvincialTeam),
            help: vec![HelpKind::Diagnosis, HelpKind::Advice],
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 04 - 01)),
            ..v(
                date!(2022 - 03 - 01),
                "九寨镇合作社",
                HostType::Cooperative,
                &["赵志强", "刘海峰"],
            )
        },
        // 2: due 1 May, followed up only by a deleted visit: overdue.
        Visit {
            team_name: format!(" {rice_team} "),
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 05 - 01)),
            ..v(
                date!(2022 - 03 - 10),
                " 九寨镇合作社 ",
                HostType::Cooperative,
                &["赵志强"],
            )
        },
        // 3: the follow-up of visit 1.
        Visit {
            help: vec![HelpKind::FollowUp],
            follows_up: Some(id(1)),
            ..v(
                date!(2022 - 04 - 02),
                "九寨镇合作社",
                HostType::Cooperative,
                &["孙丽"],
            )
        },
        // 4: due after today: open, not overdue.
        Visit {
            team_name: "省级果树科技特派组".into(),
            team_level: Some(TeamLevel::ProvincialGroup),
            help: vec![HelpKind::Training, HelpKind::Advice],
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 06 - 25)),
            ..v(
                date!(2022 - 05 - 05),
                "望儿山村",
                HostType::Village,
                &["周明", " 孙丽 "],
            )
        },
        // 5: marked done (the due date stays).
        Visit {
            follow_up_needed: false,
            follow_up_by: Some(date!(2022 - 06 - 01)),
            ..v(
                date!(2022 - 05 - 20),
                "营口天域米业",
                HostType::Enterprise,
                &["赵志强"],
            )
        },
        // 6: in the second half.
        Visit {
            team_name: rice_team.into(),
            ..v(
                date!(2022 - 08 - 01),
                "高坎镇合作社",
                HostType::Cooperative,
                &["吴晓燕"],
            )
        },
        // 7: names itself as what it follows up, a slip that does not close it: overdue.
        Visit {
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 06 - 12)),
            follows_up: Some(id(7)),
            ..v(
                date!(2022 - 06 - 10),
                "营口天域米业",
                HostType::Enterprise,
                &["赵志强"],
            )
        },
    ];
    let mut ledger = ledger(bodies.into_iter().map(Visit::into_body));
    let deleted_follow_up = record(
        8,
        Visit {
            follows_up: Some(id(2)),
            ..support::visit(date!(2022 - 05 - 02))
        },
    )
    .tombstone(&officer(), NOW);
    ledger.put(deleted_follow_up);

    let today = date!(2022 - 06 - 20);
    let period = Period::preset(2022, Preset::FirstHalf, today).unwrap();
    let t = totals(&ledger, period, &Counting::default(), today);
    assert_eq!(t.visits, 6);
    assert_eq!(t.commissioners, 4, "赵志强, 刘海峰, 孙丽, 周明");
    assert_eq!(t.hosts, 3);
    assert_eq!(
        t.hosts_by_type,
        [
            (HostType::Village, 1),
            (HostType::Cooperative, 1),
            (HostType::Enterprise, 1)
        ],
        "distinct hosts, in the order of the types"
    );
    assert_eq!(
        t.help,
        [
            (HelpKind::Diagnosis, 1),
            (HelpKind::Advice, 5),
            (HelpKind::Training, 1),
            (HelpKind::FollowUp, 1)
        ],
        "visits giving each kind of help"
    );
    assert_eq!(
        t.teams,
        [
            TeamFigures {
                name: rice_team.into(),
                level: Some(TeamLevel::ProvincialTeam),
                visits: 2,
                commissioners: 2,
            },
            TeamFigures {
                name: "省级果树科技特派组".into(),
                level: Some(TeamLevel::ProvincialGroup),
                visits: 1,
                commissioners: 2,
            },
        ]
    );
    assert_eq!(
        t.follow_ups,
        FollowUpFigures {
            opened: 5,
            done: 2,
            overdue: 2,
        }
    );
    // Judged earlier, fewer are overdue; once visit 4's day has passed, it is too.
    let early = totals(&ledger, period, &Counting::default(), date!(2022 - 05 - 01));
    assert_eq!(early.follow_ups.overdue, 0, "due on the day is not overdue");
    let late = totals(&ledger, period, &Counting::default(), date!(2022 - 07 - 01));
    assert_eq!(late.follow_ups.overdue, 3);
    // The whole year adds the second half's visit to the rice team.
    let whole = totals(&ledger, year(2022), &Counting::default(), today);
    assert_eq!(
        (whole.teams[0].visits, whole.teams[0].commissioners),
        (3, 3)
    );
    assert_eq!(whole.hosts_by_type[1], (HostType::Cooperative, 2));
}

// ---------------------------------------------------------------- what happened, listed

#[test]
fn technologies_are_listed_under_the_furthest_stage_they_reached_in_the_period() {
    let tech = |i, d, p| RecordBody::Technology(technology("老边区", i, d, p));
    let mut ledger = ledger(vec![
        // 1: every stage inside: promoted (1 May).
        tech(
            Some(date!(2022 - 01 - 10)),
            Some(date!(2022 - 03 - 01)),
            Some(date!(2022 - 05 - 01)),
        ),
        // 2: demonstrated inside, promoted after it.
        tech(
            Some(date!(2021 - 05 - 01)),
            Some(date!(2022 - 02 - 01)),
            Some(date!(2022 - 09 - 01)),
        ),
        // 3: introduced only.
        tech(Some(date!(2022 - 04 - 01)), None, None),
        // 4: promoted on 15 March, earlier than 1.
        tech(
            Some(date!(2022 - 02 - 01)),
            None,
            Some(date!(2022 - 03 - 15)),
        ),
        // 5: all before.
        tech(
            Some(date!(2021 - 01 - 01)),
            Some(date!(2021 - 02 - 01)),
            Some(date!(2021 - 03 - 01)),
        ),
        // 6: demonstrated on the last day, promoted (its current stage) after.
        tech(
            None,
            Some(date!(2022 - 06 - 30)),
            Some(date!(2022 - 08 - 01)),
        ),
    ]);
    ledger.put(
        record(
            7,
            technology("老边区", Some(date!(2022 - 03 - 01)), None, None),
        )
        .tombstone(&officer(), NOW),
    );
    let listed: Vec<(Stage, Vec<uuid::Uuid>)> =
        technologies_in(&ledger, preset(2022, Preset::FirstHalf))
            .into_iter()
            .map(|(stage, records)| (stage, records.iter().map(|r| r.id).collect()))
            .collect();
    assert_eq!(
        listed,
        [
            (Stage::Promoted, vec![id(4), id(1)]),
            (Stage::Demonstrated, vec![id(2), id(6)]),
            (Stage::Introduced, vec![id(3)]),
        ]
    );
    assert!(technologies_in(&ledger, year(2020)).is_empty());
}

#[test]
fn the_trainings_of_a_period_are_listed_in_date_order() {
    let ledger = ledger(vec![
        training(date!(2022 - 05 - 01), "盖州市", 10, None),
        training(date!(2022 - 01 - 01), "盖州市", 10, None),
        training(date!(2022 - 07 - 01), "盖州市", 10, None),
        training_of(TrainingType::Other, date!(2022 - 03 - 01), 5),
        visit(date!(2022 - 02 - 01), "盖州市", &["周明"], "某村"),
    ]);
    let listed: Vec<uuid::Uuid> = trainings_in(&ledger, preset(2022, Preset::FirstHalf))
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, [id(2), id(4), id(1)]);
}

// ---------------------------------------------------------------- the tables agree

/// A record of any kind on a day between July 2021 and June 2023, in one of a few counties.
fn any_body() -> impl Strategy<Value = RecordBody> {
    let day = || (0i64..730).prop_map(|d| date!(2021 - 07 - 01) + Duration::days(d));
    let county = || proptest::sample::select(vec!["盖州市", "大石桥市", "北海新区", "", " 老边区"]);
    prop_oneof![
        (
            day(),
            county(),
            0u32..200,
            proptest::sample::select(TrainingType::ALL.to_vec())
        )
            .prop_map(|(date, county, attendance, training_type)| Training {
                training_type,
                ..support::training_in(county, date, attendance)
            }
            .into_body()),
        (
            county(),
            proptest::option::of(day()),
            proptest::option::of(day()),
            proptest::option::of(day()),
            proptest::option::of(0.0f64..1000.0),
        )
            .prop_map(|(county, i, d, p, area)| Technology {
                demo_area_mu: area,
                promoted_area_mu: area,
                ..technology(county, i, d, p)
            }
            .into_body()),
        (
            day(),
            county(),
            proptest::sample::select(vec!["周明", "孙丽"])
        )
            .prop_map(|(date, county, who)| visit(date, county, &[who], "某村")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// For any ledger and any counted types: the 合计 row is the column sums and the
    /// period's totals, the months add up to them too, the settings' counties come first in
    /// their order, and a year is its two halves and its four quarters.
    #[test]
    fn the_tables_the_halves_and_the_quarters_add_up_to_the_totals(
        bodies in proptest::collection::vec((any_body(), any::<bool>()), 0..40),
        types in proptest::sample::subsequence(TrainingType::ALL.to_vec(), 0..=3),
        (a, b) in (0i64..730, 0i64..730),
    ) {
        let ledger = Ledger::from_records(bodies.into_iter().zip(1..).map(|((body, deleted), n)| {
            let r = record(n, body);
            if deleted { r.tombstone(&officer(), NOW) } else { r }
        }));
        let counting = Counting { training_types: types };
        let of = |period: Period| totals(&ledger, period, &counting, TODAY);
        let custom = Period::custom(
            date!(2021 - 07 - 01) + Duration::days(a),
            date!(2021 - 07 - 01) + Duration::days(b),
        );
        let mut periods: Vec<Period> = Preset::ALL.iter().map(|p| preset(2022, *p)).collect();
        periods.push(custom);
        for period in periods {
            let t = of(period);
            let (rows, total) = by_county(&ledger, period, &counting, &counties());
            prop_assert_eq!(&total, &column_sums(&rows));
            prop_assert_eq!(figures(&total), table_figures(&t));
            let names: Vec<String> = rows.iter().take(7).map(|r| r.county.clone()).collect();
            prop_assert_eq!(names, counties());
            let months = by_month(&ledger, period, &counting);
            prop_assert_eq!(months.iter().fold(CountyRow::default(), |sum, m| column_sums(&[
                sum,
                CountyRow {
                    county: String::new(),
                    trainings: m.trainings,
                    attendance: m.attendance,
                    technologies_promoted: m.technologies_promoted,
                    demonstrations: m.demonstrations,
                    visits: m.visits,
                },
            ])), total);
            let shown: u32 = t
                .by_type
                .iter()
                .filter(|(ty, _)| counting.counts(*ty))
                .map(|(_, s)| s.sessions)
                .sum();
            prop_assert_eq!(shown, t.trainings);
            prop_assert_eq!(t.trainings, trainings_in(&ledger, period)
                .iter()
                .filter(|r| matches!(&r.body, RecordBody::Training(x) if counting.counts(x.training_type)))
                .count() as u32);
        }
        let additive = |t: &Totals| {
            let mut all = table_figures(t).to_vec();
            all.push(t.technologies_introduced);
            all.extend(t.by_type.iter().map(|(_, s)| s.sessions));
            all
        };
        let sum = |parts: &[Preset]| {
            parts.iter().map(|p| additive(&of(preset(2022, *p)))).fold(
                vec![0; additive(&of(year(2022))).len()],
                |acc, x| acc.iter().zip(x).map(|(a, b)| a + b).collect(),
            )
        };
        let whole = additive(&of(year(2022)));
        prop_assert_eq!(&sum(&[Preset::FirstHalf, Preset::SecondHalf]), &whole);
        prop_assert_eq!(
            &sum(&[Preset::Quarter(1), Preset::Quarter(2), Preset::Quarter(3), Preset::Quarter(4)]),
            &whole
        );
    }
}
