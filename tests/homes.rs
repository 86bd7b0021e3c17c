#![cfg(not(target_arch = "wasm32"))]
//! Tier 1: what the two home screens (#19) stand on, natively. The coordinator's 报送情况
//! (`domain::submissions::submission_rows`): one row per device, under the newest name it
//! wrote, its live records and those dated in the period, the latest file it exported, and the
//! expected officers who sent nothing standing out. The dashboard's scope
//! (`domain::totals::Scope`): its address reads back, anything garbled is everything, and a
//! scope keeps exactly its county's, team's or device's records. The officer's own targets
//! (`domain::progress::personal_lines`) in whole units. The technology form's `adjust` hook:
//! a date typed for a later stage moves the stage there, and nothing else moves it.

use std::collections::BTreeSet;

use field_ledger::domain::form::Input;
use field_ledger::domain::period::{Period, Preset, Share};
use field_ledger::domain::progress::{Measure, Pace, TargetLine, personal_lines, target_lines};
use field_ledger::domain::settings::{PersonalTargets, Profile, Role};
use field_ledger::domain::submissions::{
    ExpectedOfficer, IMPORT_LOG_LEN, ImportLogEntry, SubmissionRow, missing_count, submission_rows,
};
use field_ledger::domain::totals::{Scope, Totals, scoped};
use field_ledger::domain::*;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use field_ledger_test_support as support;
use support::{IntoBody, NOW, TODAY, id, preset, staged, totals_in, training_in, visit_in, year};

// ---------------------------------------------------------------- helpers

/// An officer's tablet: its device id and the name written on its records.
#[derive(Clone, Copy)]
struct Tablet(&'static str, &'static str);

const LI_NA: Tablet = Tablet("dev-a", "李娜");
/// 李娜's tablet after she wrote her name another way.
const LI_RENAMED: Tablet = Tablet("dev-a", "李建华");
const WANG: Tablet = Tablet("dev-b", "王建国");
const ZHANG: Tablet = Tablet("dev-c", "张伟");
/// The coordinator's own device.
const COORDINATOR: Tablet = Tablet("dev-c0", "周汇总");

/// When the tablets wrote, unless a test says otherwise.
const SENT: OffsetDateTime = datetime!(2022-06-01 09:00 UTC);

impl Tablet {
    fn author(self) -> Author {
        Author {
            device_id: self.0.into(),
            name: self.1.into(),
        }
    }

    /// Record `n` written on this tablet at [`SENT`].
    fn wrote(self, n: u128, body: impl IntoBody) -> Record {
        self.wrote_at(n, body, SENT)
    }

    fn wrote_at(self, n: u128, body: impl IntoBody, at: OffsetDateTime) -> Record {
        Record::create(id(n), body.into_record_body(), &self.author(), at)
    }
}

/// A visit in `county` on `date` by the team `team`.
fn team_visit(county: &str, date: Date, team: &str) -> Visit {
    Visit {
        team_name: team.into(),
        ..visit_in(county, date)
    }
}

/// A technology in `county` promoted on `promoted` (introduced and demonstrated before).
fn promoted_in(county: &str, promoted: Date) -> Technology {
    staged(
        Technology {
            county: county.into(),
            ..support::technology("低成本可控生物降解地膜")
        },
        Some(date!(2021 - 09 - 01)),
        Some(date!(2021 - 10 - 01)),
        Some(promoted),
    )
}

fn h1() -> Period {
    preset(2022, Preset::FirstHalf)
}

fn expecting(name: &str, county: &str) -> ExpectedOfficer {
    ExpectedOfficer {
        name: name.into(),
        county: county.into(),
    }
}

fn file(device: &str, exported_at: OffsetDateTime, imported_at: OffsetDateTime) -> ImportLogEntry {
    ImportLogEntry {
        device_id: device.into(),
        exported_at,
        records: 3,
        imported_at,
    }
}

/// A device's row with the figures a test is about filled in over these.
fn row(device: &str, name: &str) -> SubmissionRow {
    SubmissionRow {
        device_id: Some(device.into()),
        name: name.into(),
        ..SubmissionRow::default()
    }
}

/// The row of a device (it must have one).
fn of_device<'a>(rows: &'a [SubmissionRow], device: &str) -> &'a SubmissionRow {
    rows.iter()
        .find(|r| r.device_id.as_deref() == Some(device))
        .unwrap_or_else(|| panic!("no row for {device} in {rows:#?}"))
}

/// A device's live records, and of them those dated in the period.
fn received(rows: &[SubmissionRow], device: &str) -> (usize, usize) {
    let row = of_device(rows, device);
    (row.records, row.in_period)
}

/// Each row as (device, name), in the table's order.
fn names(rows: &[SubmissionRow]) -> Vec<(Option<&str>, &str)> {
    rows.iter()
        .map(|r| (r.device_id.as_deref(), r.name.as_str()))
        .collect()
}

// ---------------------------------------------------------------- 报送情况

#[test]
fn each_device_has_one_row_with_its_live_records_and_those_dated_in_the_period() {
    let mut records = vec![
        LI_NA.wrote(1, training_in("盖州市", date!(2022 - 03 - 10), 40)),
        LI_NA.wrote(
            2,
            team_visit("盖州市", date!(2022 - 05 - 01), "省级水稻科技特派团"),
        ),
        LI_NA.wrote(
            3,
            team_visit("老边区", date!(2022 - 05 - 02), "省级水稻科技特派团"),
        ),
        // Out of the half-year: received, not in the period.
        LI_NA.wrote(4, team_visit("盖州市", date!(2021 - 12 - 01), "市级特派团")),
        WANG.wrote(5, training_in("老边区", date!(2022 - 06 - 30), 12)),
    ];
    // Sample data exists to explore the app: its device is nobody to chase.
    records.extend(sample::sample_records(
        &Tablet("dev-sample", "样例").author(),
        NOW,
    ));
    let rows = submission_rows(&Ledger::from_records(records), &[], &[], &h1());
    assert_eq!(
        rows,
        [
            SubmissionRow {
                // The county and team named most on its records.
                county: "盖州市".into(),
                team: "省级水稻科技特派团".into(),
                records: 4,
                in_period: 3,
                ..row("dev-a", "李娜")
            },
            SubmissionRow {
                county: "老边区".into(),
                records: 1,
                // The period's last day is in it.
                in_period: 1,
                ..row("dev-b", "王建国")
            },
        ]
    );
}

#[test]
fn a_renamed_officer_keeps_one_row_under_the_newest_name_they_wrote() {
    // The newest name sits between two older ones in the ledger's order, so neither the first
    // nor the last record met decides.
    let ledger = Ledger::from_records([
        LI_NA.wrote_at(
            1,
            training_in("盖州市", date!(2022 - 02 - 01), 20),
            datetime!(2022-03-01 08:00 UTC),
        ),
        LI_RENAMED.wrote_at(
            2,
            training_in("盖州市", date!(2022 - 02 - 02), 20),
            datetime!(2022-05-01 08:00 UTC),
        ),
        LI_NA.wrote_at(
            3,
            training_in("盖州市", date!(2022 - 02 - 03), 20),
            datetime!(2022-04-01 08:00 UTC),
        ),
    ]);
    let rows = submission_rows(&ledger, &[], &[], &h1());
    assert_eq!(names(&rows), [(Some("dev-a"), "李建华")]);
    assert_eq!((rows[0].records, rows[0].in_period), (3, 3));
}

#[test]
fn a_rename_that_arrives_in_a_later_file_shows_and_the_older_version_does_not_count_twice() {
    // The coordinator imports the officer's first file, then a second one in which the
    // officer, renamed, edited the same record: the ledger keeps the first in its history.
    let first = LI_NA.wrote_at(
        1,
        training_in("盖州市", date!(2022 - 03 - 01), 20),
        datetime!(2022-03-02 08:00 UTC),
    );
    let edited = first.edited(
        training_in("盖州市", date!(2022 - 03 - 01), 25).into_body(),
        &LI_RENAMED.author(),
        datetime!(2022-04-02 08:00 UTC),
    );
    let mut ledger = Ledger::default();
    ledger.merge([first]);
    ledger.merge([edited]);
    assert_eq!(
        ledger.get(&id(1)).unwrap().history.len(),
        1,
        "the first version is kept"
    );
    let rows = submission_rows(&ledger, &[], &[], &h1());
    assert_eq!(names(&rows), [(Some("dev-a"), "李建华")]);
    assert_eq!((rows[0].records, rows[0].in_period), (1, 1));
}

#[test]
fn a_device_that_only_edited_someone_elses_record_still_shows() {
    // dev-b edited the record last, so it is dev-b's; dev-a is known from the history.
    let first = LI_NA.wrote_at(
        1,
        training_in("盖州市", date!(2022 - 03 - 01), 20),
        datetime!(2022-03-02 08:00 UTC),
    );
    let edited = first.edited(
        training_in("盖州市", date!(2022 - 03 - 01), 25).into_body(),
        &WANG.author(),
        datetime!(2022-04-02 08:00 UTC),
    );
    let mut ledger = Ledger::default();
    ledger.merge([first]);
    ledger.merge([edited]);
    let rows = submission_rows(&ledger, &[], &[], &h1());
    assert_eq!(
        names(&rows),
        [(Some("dev-a"), "李娜"), (Some("dev-b"), "王建国")]
    );
    assert_eq!(received(&rows, "dev-a"), (0, 0));
    assert_eq!(received(&rows, "dev-b"), (1, 1));
}

#[test]
fn deleted_records_are_neither_received_nor_in_the_period() {
    let kept = LI_NA.wrote(1, training_in("盖州市", date!(2022 - 03 - 10), 40));
    let deleted_by_herself = LI_NA
        .wrote(2, training_in("盖州市", date!(2022 - 03 - 11), 40))
        .tombstone(&LI_NA.author(), datetime!(2022-06-02 09:00 UTC));
    // A duplicate the coordinator deleted: the tombstone is the coordinator's.
    let deleted_by_coordinator = LI_NA
        .wrote(3, training_in("盖州市", date!(2022 - 03 - 12), 40))
        .tombstone(&COORDINATOR.author(), datetime!(2022-06-03 09:00 UTC));
    let ledger = Ledger::from_records([kept, deleted_by_herself, deleted_by_coordinator]);
    let rows = submission_rows(&ledger, &[], &[], &h1());
    assert_eq!(received(&rows, "dev-a"), (1, 1));
    // Every row together: only the one live record counts anywhere.
    assert_eq!(rows.iter().map(|r| r.records).sum::<usize>(), 1);
    assert_eq!(rows.iter().map(|r| r.in_period).sum::<usize>(), 1);
}

#[test]
fn a_device_with_records_but_none_dated_in_the_period_shows_zero_in_it() {
    let ledger = Ledger::from_records([
        WANG.wrote(1, training_in("老边区", date!(2021 - 11 - 01), 30)),
        // The day after the half-year.
        WANG.wrote(2, visit_in("老边区", date!(2022 - 07 - 01))),
        // Introduced before the period only.
        WANG.wrote(
            3,
            staged(
                support::technology("域稻17"),
                Some(date!(2021 - 11 - 01)),
                None,
                None,
            ),
        ),
        // A technology counts in the period of any of its stage dates: promoted in it.
        ZHANG.wrote(4, promoted_in("盖州市", date!(2022 - 03 - 01))),
    ]);
    let rows = submission_rows(&ledger, &[], &[], &h1());
    assert_eq!(received(&rows, "dev-b"), (3, 0));
    assert!(
        !of_device(&rows, "dev-b").is_missing(),
        "not expected, so not missing"
    );
    assert_eq!(received(&rows, "dev-c"), (1, 1));
}

#[test]
fn expected_officers_who_sent_nothing_are_missing_and_those_who_sent_are_not() {
    let ledger = Ledger::from_records([
        LI_NA.wrote(1, training_in("盖州市", date!(2022 - 03 - 10), 40)),
        // Sent, but nothing of this half-year.
        WANG.wrote(2, training_in("老边区", date!(2021 - 11 - 01), 30)),
        // Not on the list: never missing.
        Tablet("dev-d", "赵六").wrote(3, training_in("站前区", date!(2021 - 11 - 01), 30)),
    ]);
    let expected = [
        // Matched by the trimmed name; the coordinator's county wins over the records'.
        expecting(" 李娜 ", "大石桥市"),
        expecting("王建国", ""),
        expecting("张伟", "站前区"),
    ];
    let rows = submission_rows(&ledger, &[], &expected, &h1());
    assert_eq!(
        rows,
        [
            SubmissionRow {
                county: "大石桥市".into(),
                records: 1,
                in_period: 1,
                expected: true,
                ..row("dev-a", "李娜")
            },
            SubmissionRow {
                county: "老边区".into(),
                records: 1,
                expected: true,
                missing: true,
                ..row("dev-b", "王建国")
            },
            SubmissionRow {
                county: "站前区".into(),
                records: 1,
                ..row("dev-d", "赵六")
            },
            // Never heard from: no device, the name and county from the list.
            SubmissionRow {
                device_id: None,
                name: "张伟".into(),
                county: "站前区".into(),
                expected: true,
                missing: true,
                ..SubmissionRow::default()
            },
        ]
    );
    let missing: Vec<&str> = rows
        .iter()
        .filter(|r| r.is_missing())
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(missing, ["王建国", "张伟"]);
    assert_eq!(missing_count(&rows), Some(2));
}

#[test]
fn with_no_list_of_officers_nobody_is_said_to_be_missing_or_not() {
    let ledger =
        Ledger::from_records([LI_NA.wrote(1, training_in("盖州市", date!(2022 - 03 - 10), 40))]);
    let rows = submission_rows(&ledger, &[], &[], &h1());
    assert_eq!(rows.len(), 1);
    assert_eq!(
        missing_count(&rows),
        None,
        "no list: neither missing nor all sent"
    );
    assert_eq!(missing_count(&[]), None);
    // A list whose every officer sent: none missing, which the home may say.
    let rows = submission_rows(&ledger, &[], &[expecting("李娜", "")], &h1());
    assert_eq!(missing_count(&rows), Some(0));
}

#[test]
fn an_expected_officer_who_sent_from_a_new_tablet_is_not_missing() {
    // 王建国's old tablet sent last year's work; this half-year he sends from a new one (a new
    // device id, e.g. after the browser's data was cleared).
    let ledger = Ledger::from_records([
        Tablet("old-tablet", "王建国").wrote_at(
            1,
            training_in("老边区", date!(2021 - 11 - 01), 30),
            datetime!(2021-11-02 09:00 UTC),
        ),
        Tablet("new-tablet", "王建国").wrote_at(
            2,
            training_in("老边区", date!(2022 - 04 - 01), 30),
            datetime!(2022-04-02 09:00 UTC),
        ),
    ]);
    let rows = submission_rows(&ledger, &[], &[expecting("王建国", "老边区")], &h1());
    let missing: Vec<&SubmissionRow> = rows.iter().filter(|r| r.is_missing()).collect();
    assert!(
        missing.is_empty(),
        "王建国 sent this half-year's work, yet is shown as missing: {missing:#?}"
    );
}

#[test]
fn a_devices_latest_export_shows_even_when_an_older_file_was_imported_later() {
    let ledger = Ledger::from_records([
        LI_NA.wrote(1, training_in("盖州市", date!(2022 - 03 - 10), 40)),
        WANG.wrote(2, training_in("老边区", date!(2022 - 03 - 10), 40)),
    ]);
    let imports = [
        file(
            "dev-a",
            datetime!(2022-06-01 18:00 +08:00),
            datetime!(2022-06-02 09:00 UTC),
        ),
        // An old file sent again: imported last, exported earliest.
        file(
            "dev-a",
            datetime!(2022-05-01 18:00 +08:00),
            datetime!(2022-06-10 09:00 UTC),
        ),
        file(
            "dev-a",
            datetime!(2022-05-15 18:00 +08:00),
            datetime!(2022-06-03 09:00 UTC),
        ),
        // A file whose records the ledger does not hold (empty, or all sample data).
        file(
            "dev-e",
            datetime!(2022-06-05 12:00 UTC),
            datetime!(2022-06-06 09:00 UTC),
        ),
    ];
    let rows = submission_rows(&ledger, &imports, &[], &h1());
    assert_eq!(
        of_device(&rows, "dev-a").last_file,
        Some(datetime!(2022-06-01 18:00 +08:00))
    );
    // Never sent a file (its records came some other way).
    assert_eq!(of_device(&rows, "dev-b").last_file, None);
    let e = of_device(&rows, "dev-e");
    assert_eq!(
        (e.last_file, e.records, e.in_period),
        (Some(datetime!(2022-06-05 12:00 UTC)), 0, 0)
    );
}

#[test]
fn the_import_log_keeps_the_newest_files() {
    let mut settings = Settings::new("coordinator".into());
    let at = |n: i64| datetime!(2022-01-01 00:00 UTC) + time::Duration::minutes(n);
    settings.log_imports((0..IMPORT_LOG_LEN as i64).map(|n| file("dev-a", at(n), at(n))));
    settings.log_imports([file("dev-b", at(10_000), at(10_000))]);
    assert_eq!(settings.imports.len(), IMPORT_LOG_LEN);
    assert_eq!(
        settings.imports.first().unwrap().exported_at,
        at(1),
        "the oldest goes"
    );
    assert_eq!(settings.imports.last().unwrap().device_id, "dev-b");
}

#[test]
fn rows_go_by_name_then_device_and_the_never_heard_from_last_in_list_order() {
    let ledger = Ledger::from_records([
        Tablet("dev-2", "王建国").wrote(1, training_in("老边区", date!(2022 - 03 - 10), 40)),
        Tablet("dev-1", "王建国").wrote(2, training_in("老边区", date!(2022 - 03 - 10), 40)),
        Tablet("dev-9", "李娜").wrote(3, training_in("盖州市", date!(2022 - 03 - 10), 40)),
    ]);
    let expected = [
        expecting("赵志强", ""),
        expecting("王建国", ""),
        expecting("陈静", ""),
    ];
    let rows = submission_rows(&ledger, &[], &expected, &h1());
    assert_eq!(
        names(&rows),
        [
            (Some("dev-9"), "李娜"),
            (Some("dev-1"), "王建国"),
            (Some("dev-2"), "王建国"),
            (None, "赵志强"),
            (None, "陈静"),
        ]
    );
}

// ---------------------------------------------------------------- the dashboard's scope

#[test]
fn every_scope_reads_back_from_its_address() {
    let scopes = [
        Scope::All,
        Scope::County("盖州市".into()),
        Scope::County("营口高新区".into()),
        // Spaces are kept as given; `includes` trims.
        Scope::County(" 鲅鱼圈区 ".into()),
        Scope::Team("省级水稻科技特派团".into()),
        // What an address treats specially, and a colon after the first.
        Scope::Team("A&B=C?#%20 / 第2队: 水稻".into()),
        Scope::Team("😀\u{202e}".into()),
        Scope::Device("3f2a9c1e-0000-4000-8000-000000000001".into()),
        Scope::Device("device:with:colons".into()),
    ];
    for scope in scopes {
        let query = scope.to_query();
        let back = query.as_deref().map(Scope::from_query).unwrap_or_default();
        assert_eq!(back, scope, "through {query:?}");
    }
    assert_eq!(Scope::All.to_query(), None);
    assert_eq!(
        Scope::County("盖州市".into()).to_query().as_deref(),
        Some("county:盖州市")
    );
}

#[test]
fn an_unknown_or_garbled_scope_counts_everything() {
    for query in [
        "",
        "county",
        "county:",
        "team:",
        "device:",
        ":盖州市",
        "County:盖州市",
        " county:盖州市",
        "officer:王建国",
        "盖州市",
        "scope=county:盖州市",
        "\u{0}",
    ] {
        assert_eq!(Scope::from_query(query), Scope::All, "{query:?}");
    }
}

/// Records of three officers in several counties and teams, with a deleted one.
fn mixed_ledger() -> Ledger {
    Ledger::from_records([
        LI_NA.wrote(1, training_in("盖州市", date!(2022 - 03 - 10), 40)),
        LI_NA.wrote(2, training_in("盖州市", date!(2022 - 04 - 10), 25)),
        LI_NA.wrote(
            3,
            team_visit("盖州市", date!(2022 - 05 - 01), "省级水稻科技特派团"),
        ),
        LI_NA.wrote(4, promoted_in("大石桥市", date!(2022 - 05 - 20))),
        // The same team with spaces around its name.
        WANG.wrote(
            5,
            team_visit("老边区", date!(2022 - 02 - 01), " 省级水稻科技特派团 "),
        ),
        WANG.wrote(6, team_visit("老边区", date!(2022 - 02 - 02), "市级特派团")),
        WANG.wrote(7, training_in("老边区", date!(2022 - 06 - 01), 30)),
        WANG.wrote(8, promoted_in("盖州市", date!(2022 - 06 - 05))),
        WANG.wrote(9, training_in("盖州市", date!(2022 - 06 - 06), 99))
            .tombstone(&WANG.author(), SENT),
        // A county typed with a space after it.
        ZHANG.wrote(10, training_in("盖州市 ", date!(2022 - 01 - 15), 10)),
        ZHANG.wrote(11, visit_in("站前区", date!(2022 - 03 - 03))),
    ])
}

/// The live records a ledger holds, by number.
fn live_ids(ledger: &Ledger) -> BTreeSet<u128> {
    ledger
        .all()
        .filter(|r| !r.deleted)
        .map(|r| r.id.as_u128())
        .collect()
}

#[test]
fn a_scope_keeps_exactly_the_records_of_its_county_team_or_device() {
    let ledger = mixed_ledger();
    let cases: [(Scope, &[u128]); 7] = [
        (Scope::All, &[1, 2, 3, 4, 5, 6, 7, 8, 10, 11]),
        // Trainings and visits by their place, technologies by their own county.
        (Scope::County("盖州市".into()), &[1, 2, 3, 8, 10]),
        (Scope::County("大石桥市".into()), &[4]),
        // Only visits name a team.
        (Scope::Team("省级水稻科技特派团".into()), &[3, 5]),
        (Scope::Device("dev-b".into()), &[5, 6, 7, 8]),
        // Nobody's: nothing, not everything.
        (Scope::County("西市区".into()), &[]),
        (Scope::Device("dev-nobody".into()), &[]),
    ];
    for (scope, ids) in cases {
        let kept = scoped(&ledger, &scope);
        assert_eq!(
            live_ids(&kept),
            ids.iter().copied().collect::<BTreeSet<_>>(),
            "{scope:?}"
        );
        for record in kept.all() {
            assert!(scope.includes(record), "{scope:?} kept {:?}", record.id);
        }
    }
    assert_eq!(scoped(&ledger, &Scope::All), ledger);
}

/// (trainings, 人次, technologies promoted, visits) of the first half of 2022.
fn counted(totals: &Totals) -> (u32, u32, u32, u32) {
    (
        totals.trainings,
        totals.attendance,
        totals.technologies_promoted,
        totals.visits,
    )
}

#[test]
fn a_scopes_totals_are_the_hand_count_of_its_records() {
    let ledger = mixed_ledger();
    let of = |scope: Scope| counted(&totals_in(&scoped(&ledger, &scope), h1()));
    // Record 9 (deleted, 99 人次) counts nowhere.
    assert_eq!(of(Scope::All), (4, 105, 2, 4));
    assert_eq!(of(Scope::County("盖州市".into())), (3, 75, 1, 1));
    assert_eq!(of(Scope::Team("省级水稻科技特派团".into())), (0, 0, 0, 2));
    assert_eq!(of(Scope::Device("dev-a".into())), (2, 65, 1, 1));
    assert_eq!(of(Scope::Device("dev-b".into())), (1, 30, 1, 2));
    assert_eq!(of(Scope::Device("dev-c".into())), (1, 10, 0, 1));
    // The officers' devices split the ledger: their figures add up to everything's.
    let sum = ["dev-a", "dev-b", "dev-c"]
        .map(|d| of(Scope::Device(d.into())))
        .into_iter()
        .fold((0, 0, 0, 0), |s, f| {
            (s.0 + f.0, s.1 + f.1, s.2 + f.2, s.3 + f.3)
        });
    assert_eq!(sum, of(Scope::All));
}

// ---------------------------------------------------------------- targets in whole units

/// Day 182 of 2022's 365: the 1st of July.
const FIRST_OF_JULY: Date = date!(2022 - 07 - 01);

fn line(lines: &[TargetLine], measure: Measure) -> TargetLine {
    *lines
        .iter()
        .find(|l| l.measure == measure)
        .unwrap_or_else(|| panic!("no {measure:?} line in {lines:?}"))
}

fn attendance_of(attendance: u32) -> Totals {
    Totals {
        attendance,
        ..totals_in(&Ledger::default(), year(2022))
    }
}

#[test]
fn five_hundred_attendance_by_day_182_asks_for_250_not_249_point_3() {
    let share = year(2022).elapsed_share(FIRST_OF_JULY).unwrap();
    assert_eq!(
        share,
        Share {
            elapsed: 182,
            of: 365
        }
    );
    let mine = PersonalTargets {
        year: 2022,
        attendance: Some(500),
        ..PersonalTargets::default()
    };
    // 500 × 182 / 365 = 249.3…: 249 falls short of it, 250 is it.
    for (done, pace) in [(249, Pace::Behind), (250, Pace::OnPace), (251, Pace::Ahead)] {
        let totals = attendance_of(done);
        let personal = line(
            &personal_lines(&totals, &totals, &mine, FIRST_OF_JULY),
            Measure::Attendance,
        );
        assert_eq!(
            (personal.expected, personal.pace),
            (250, pace),
            "{done} done"
        );
        let city = line(
            &target_lines(
                &totals,
                Some(&totals),
                Some(&YearTargets::defaults(2022)),
                FIRST_OF_JULY,
            ),
            Measure::Attendance,
        );
        assert_eq!((city.expected, city.pace), (250, pace), "{done} done");
    }
    // The plan's other figures are rounded up too: 10 × 182/365 = 4.99, 20 × 182/365 = 9.97.
    let nothing = attendance_of(0);
    let city = target_lines(
        &nothing,
        Some(&nothing),
        Some(&YearTargets::defaults(2022)),
        FIRST_OF_JULY,
    );
    assert_eq!(line(&city, Measure::Trainings).expected, 5);
    assert_eq!(line(&city, Measure::TechnologiesPromoted).expected, 10);
}

#[test]
fn what_a_target_asks_for_is_always_the_smallest_whole_number_covering_the_share() {
    for of in [365u16, 366] {
        for elapsed in 0..=of {
            let share = Share { elapsed, of };
            for target in [0u32, 1, 3, 7, 10, 20, 500, 999_999] {
                let exact = u64::from(target) * u64::from(elapsed);
                let expected = u64::from(share.expected(target));
                assert!(
                    expected * u64::from(of) >= exact,
                    "{target} at {elapsed}/{of}"
                );
                assert!(
                    expected == 0 || (expected - 1) * u64::from(of) < exact,
                    "{target} at {elapsed}/{of}: {expected} is more than a whole unit over"
                );
            }
        }
    }
}

#[test]
fn an_officer_without_targets_of_their_own_gets_no_lines() {
    let mut settings = Settings::new("dev-a".into());
    assert_eq!(settings.personal_targets_for(2022), None);
    // Saving the form with every figure blank keeps nothing.
    settings.set_personal_targets(PersonalTargets {
        year: 2022,
        ..PersonalTargets::default()
    });
    assert_eq!(settings.personal_targets_for(2022), None);
    assert!(settings.personal_targets.is_empty());
    // Even handed a year with none set, there is no line (not the city's three).
    let none = PersonalTargets {
        year: 2022,
        ..PersonalTargets::default()
    };
    let done = attendance_of(300);
    assert_eq!(personal_lines(&done, &done, &none, FIRST_OF_JULY), []);
}

#[test]
fn personal_lines_measure_the_officers_own_targets_not_the_citys() {
    let mut settings = Settings::new("dev-a".into());
    settings.set_targets(YearTargets {
        trainings: 100,
        attendance: 5_000,
        technologies_promoted: 40,
        visits: Some(300),
        ..YearTargets::defaults(2022)
    });
    settings.set_personal_targets(PersonalTargets {
        year: 2022,
        attendance: Some(200),
        visits: Some(12),
        ..PersonalTargets::default()
    });
    // Another year's targets of the officer's are not this year's.
    assert_eq!(settings.personal_targets_for(2023), None);
    let done = Totals {
        trainings: 3,
        attendance: 150,
        visits: 12,
        ..totals_in(&Ledger::default(), year(2022))
    };
    let lines = personal_lines(
        &done,
        &done,
        settings.personal_targets_for(2022).unwrap(),
        FIRST_OF_JULY,
    );
    assert_eq!(
        lines,
        [
            TargetLine {
                measure: Measure::Attendance,
                in_period: 150,
                done: 150,
                target: 200,
                percent: 75,
                // 200 × 182 / 365 = 99.7.
                expected: 100,
                pace: Pace::Ahead,
            },
            TargetLine {
                measure: Measure::Visits,
                in_period: 12,
                done: 12,
                target: 12,
                percent: 100,
                expected: 6,
                pace: Pace::Done,
            },
        ]
    );
    // A year over: what was not reached is closed, what was stays done.
    let closed = personal_lines(
        &done,
        &done,
        settings.personal_targets_for(2022).unwrap(),
        date!(2023 - 01 - 15),
    );
    assert_eq!(
        closed.iter().map(|l| l.pace).collect::<Vec<_>>(),
        [Pace::Closed, Pace::Done]
    );
}

#[test]
fn settings_from_before_the_two_homes_open_with_no_role_and_the_new_ones_read_back() {
    let old: Settings = serde_json::from_str(r#"{"device_id":"dev-a","author":"李娜"}"#).unwrap();
    assert_eq!(old.role, None, "the first start asks");
    assert_eq!(old.profile, Profile::default());
    assert!(
        old.personal_targets.is_empty()
            && old.expected_officers.is_empty()
            && old.imports.is_empty()
    );

    let mut settings = Settings::new("dev-c".into());
    settings.role = Some(Role::Coordinator);
    settings.profile = Profile {
        county: "盖州市".into(),
        team: "省级水稻科技特派团".into(),
    };
    settings.set_personal_targets(PersonalTargets {
        year: 2022,
        trainings: Some(4),
        ..PersonalTargets::default()
    });
    settings.expected_officers = vec![expecting("王建国", "老边区"), expecting("张伟", "")];
    settings.log_imports([file("dev-a", datetime!(2022-06-01 18:00 +08:00), NOW)]);
    let json = serde_json::to_string(&settings).unwrap();
    assert!(json.contains(r#""role":"coordinator""#), "{json}");
    assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
}

// ---------------------------------------------------------------- a technology's stage

/// A technology's form at the demonstration stage, as the officer filled it.
fn demonstrated_form() -> FormInput {
    typed(
        FormInput::new_record::<Technology>(TODAY, "、"),
        &[
            (Field::Name, "低成本可控生物降解地膜"),
            (Field::County, "大石桥市"),
            (Field::Stage, "demonstrated"),
            (Field::IntroducedOn, "2022-03-01"),
            (Field::DemonstratedOn, "2022-05-10"),
        ],
    )
}

fn typed(mut input: FormInput, values: &[(Field, &str)]) -> FormInput {
    for (field, text) in values {
        input.set(*field, Input::Text((*text).to_owned()));
    }
    input
}

/// The officer types into one field, and the form follows up.
fn type_into(input: &mut FormInput, field: Field, text: &str) {
    input.set(field, Input::Text(text.to_owned()));
    Technology::adjust(input, field);
}

#[test]
fn entering_the_promotion_date_moves_a_demonstrated_technology_to_promotion() {
    let form = demonstrated_form();
    assert!(form.validate::<Technology>(TODAY).is_ok());
    // Without the follow-up, the date alone is refused: the stage was not reached.
    let unadjusted = typed(form.clone(), &[(Field::PromotedOn, "2022-06-01")]);
    assert_eq!(
        unadjusted.validate::<Technology>(TODAY).unwrap_err()[0].problem,
        Problem::StageNotReached
    );

    let mut input = form;
    type_into(&mut input, Field::PromotedOn, "2022-06-01");
    assert_eq!(input.text(Field::Stage), "promoted");
    let tech = input.validate::<Technology>(TODAY).unwrap();
    assert_eq!(
        (tech.stage, tech.promoted_on),
        (Stage::Promoted, Some(date!(2022 - 06 - 01)))
    );
}

#[test]
fn a_new_technologys_stage_jumps_to_the_furthest_date_entered() {
    let mut input = typed(
        FormInput::new_record::<Technology>(TODAY, "、"),
        // The form starts with today as the introduction date; this one came earlier.
        &[(Field::Name, "域稻17"), (Field::IntroducedOn, "2022-03-01")],
    );
    assert_eq!(input.text(Field::Stage), "introduced");
    // Spaces around a typed date do not hide it.
    type_into(&mut input, Field::DemonstratedOn, " 2022-05-01 ");
    assert_eq!(input.text(Field::Stage), "demonstrated");
    type_into(&mut input, Field::PromotedOn, "2022-06-01");
    assert_eq!(input.text(Field::Stage), "promoted");
    assert_eq!(
        input.validate::<Technology>(TODAY).unwrap().stage,
        Stage::Promoted
    );
}

#[test]
fn an_earlier_stages_date_never_moves_the_stage_back() {
    let mut promoted = demonstrated_form();
    type_into(&mut promoted, Field::PromotedOn, "2022-06-01");
    type_into(&mut promoted, Field::IntroducedOn, "2022-02-01");
    type_into(&mut promoted, Field::DemonstratedOn, "2022-04-01");
    assert_eq!(promoted.text(Field::Stage), "promoted");
    assert_eq!(
        promoted.validate::<Technology>(TODAY).unwrap().stage,
        Stage::Promoted
    );

    let mut demonstrated = demonstrated_form();
    type_into(&mut demonstrated, Field::IntroducedOn, "2022-02-15");
    assert_eq!(demonstrated.text(Field::Stage), "demonstrated");
}

#[test]
fn only_a_readable_date_in_a_stage_date_field_moves_the_stage() {
    for text in ["五月", "2022-6-1", "2022-13-01", "", "   "] {
        let mut input = demonstrated_form();
        type_into(&mut input, Field::PromotedOn, text);
        assert_eq!(input.text(Field::Stage), "demonstrated", "{text:?}");
    }
    // Other fields leave the stage alone, even text that reads as a date.
    let mut input = demonstrated_form();
    type_into(&mut input, Field::Notes, "2022-06-01");
    type_into(&mut input, Field::Name, "2022-06-01");
    assert_eq!(input.text(Field::Stage), "demonstrated");
    // The officer choosing the stage is followed, not overruled by the dates.
    let mut input = demonstrated_form();
    type_into(&mut input, Field::PromotedOn, "2022-06-01");
    type_into(&mut input, Field::Stage, "demonstrated");
    assert_eq!(input.text(Field::Stage), "demonstrated");
}

#[test]
fn clearing_a_date_never_moves_the_stage_and_never_saves_a_stage_without_its_date() {
    // The promotion date typed by mistake and cleared: the stage stays where the date took
    // it, and the form asks for the date rather than saving a promotion without one.
    let mut input = demonstrated_form();
    type_into(&mut input, Field::PromotedOn, "2022-06-01");
    type_into(&mut input, Field::PromotedOn, "");
    assert_eq!(input.text(Field::Stage), "promoted");
    let errors = input.validate::<Technology>(TODAY).unwrap_err();
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.field, e.problem))
            .collect::<Vec<_>>(),
        [(Field::PromotedOn, Problem::Required)]
    );
    // Clearing an earlier stage's date changes nothing, and is allowed: only the current
    // stage's date is needed.
    let mut input = demonstrated_form();
    type_into(&mut input, Field::IntroducedOn, "");
    assert_eq!(input.text(Field::Stage), "demonstrated");
    let tech = input.validate::<Technology>(TODAY).unwrap();
    assert_eq!(
        (tech.stage, tech.introduced_on),
        (Stage::Demonstrated, None)
    );
}

#[test]
fn an_existing_technology_opened_for_editing_moves_on_the_same_way() {
    let body = staged(
        support::technology("域稻17"),
        Some(date!(2022 - 03 - 01)),
        None,
        None,
    );
    let mut input = FormInput::from_body(&body, "、");
    type_into(&mut input, Field::DemonstratedOn, "2022-04-15");
    let tech = input.validate::<Technology>(TODAY).unwrap();
    assert_eq!(
        tech,
        Technology {
            stage: Stage::Demonstrated,
            demonstrated_on: Some(date!(2022 - 04 - 15)),
            ..body
        }
    );
}
