//! Tier 1: one definition of each count. `src/domain/totals.rs` is the definition; the sync
//! server's `facts` view (`server/views/facts.map.js`, which CouchDB runs) must agree with it.
//! This test runs that JavaScript file itself, in an embedded engine (QuickJS), over generated
//! ledgers: every record as the document the sync writes, its rows reduced as CouchDB's
//! `_sum` reduces them for the months of a period (group levels 4 and 5), read back by the
//! app's own `replication::views`, and compared with `Totals` for the same period: the
//! period's figures, the year's from 1 January to its end, and the county table. Sample
//! records are left out (they never reach a server); follow-ups and team records' rows need
//! one record read beside another and are not in the view.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use field_ledger::domain::kinds::*;
use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::totals::{self, Counting, Totals};
use field_ledger::domain::*;
use field_ledger::replication::couch::{canonical, document};
use field_ledger::replication::views::{
    FactRow, ServerTotals, judged_span, parse_facts, report_totals,
};
use proptest::prelude::*;
use rquickjs::{Context, Function, Runtime};
use serde_json::{Value, json};
use time::{Date, Duration, Month, macros::date};

use field_ledger_test_support as support;
use support::{NOW, counties, officer, record};

/// Every row the view emits for these documents: `(key, value)` as CouchDB indexes them.
fn emitted(documents: &[String]) -> Vec<(Value, Value)> {
    let runtime = Runtime::new().expect("QuickJS");
    let context = Context::full(&runtime).expect("a context");
    context.with(|ctx| {
        ctx.eval::<(), _>(format!(
            "var rows = []; function emit(key, value) {{ rows.push([key, value]); }} var map = ({});",
            support::server_js::function_source("server/views/facts.map.js")
        ))
        .expect("the view compiles");
        let run: Function = ctx
            .eval("(function (json) { map(JSON.parse(json)); })")
            .expect("a runner");
        for doc in documents {
            run.call::<_, ()>((doc.as_str(),))
                .unwrap_or_else(|e| panic!("the view throws on {doc}: {e:?}"));
        }
        let rows: String = ctx.eval("JSON.stringify(rows)").expect("the rows");
        let rows: Vec<(Value, Value)> = serde_json::from_str(&rows).expect("rows as JSON");
        rows
    })
}

/// The documents the sync writes for a ledger: each record's JSON with `_id`, `_rev` and
/// `_deleted` for a tombstone (which CouchDB does not index; the view is given it anyway).
fn documents(ledger: &Ledger) -> Vec<String> {
    ledger
        .all()
        .map(|r| {
            document(
                &field_ledger::replication::couch::doc_id(r),
                &canonical(r),
                "1-0123456789abcdef0123456789abcdef",
                None,
                r.deleted,
                &Default::default(),
            )
        })
        .collect()
}

/// The view's answer for the months from `from` to `to`, grouped to `level` (4 or 5) and
/// summed as `_sum` sums arrays, element by element.
fn answer(rows: &[(Value, Value)], from: Date, to: Date, level: usize) -> String {
    let month = |d: Date| (i64::from(d.year()), i64::from(u8::from(d.month())));
    let (first, last) = (month(from), month(to));
    let mut grouped: BTreeMap<String, (Value, [f64; 2])> = BTreeMap::new();
    for (key, value) in rows {
        let at = (
            key[0].as_i64().expect("a year"),
            key[1].as_i64().expect("a month"),
        );
        if at < first || at > last {
            continue;
        }
        let key = Value::Array(key.as_array().expect("an array key")[..level].to_vec());
        let entry = grouped.entry(key.to_string()).or_insert((key, [0.0; 2]));
        for (sum, v) in entry
            .1
            .iter_mut()
            .zip(value.as_array().expect("an array value"))
        {
            *sum += v.as_f64().expect("a number");
        }
    }
    let rows: Vec<Value> = grouped
        .into_values()
        .map(|(key, value)| json!({ "key": key, "value": value }))
        .collect();
    json!({ "rows": rows }).to_string()
}

fn read(body: &str) -> Vec<FactRow> {
    parse_facts(body).expect("the app reads the view's answer")
}

/// Areas are sums of decimals in another order: equal as the report shows them.
fn same_area(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// What the view counts of `Totals` (not follow-ups, nor team records' rows).
fn counted(t: &Totals) -> Totals {
    Totals {
        follow_ups: Default::default(),
        team_rows: Vec::new(),
        demo_area_mu: 0.0,
        promoted_area_mu: 0.0,
        ..t.clone()
    }
}

fn assert_agree(server: &Totals, app: &Totals) -> Result<(), TestCaseError> {
    prop_assert_eq!(counted(server), counted(app));
    prop_assert!(same_area(server.demo_area_mu, app.demo_area_mu));
    prop_assert!(same_area(server.promoted_area_mu, app.promoted_area_mu));
    Ok(())
}

// ---------------------------------------------------------------- generated ledgers

/// Names as officers type them: with spaces of several kinds around them (the ideographic
/// space of a Chinese input method, a no-break space, a next-line character, a byte order
/// mark), sometimes empty.
fn name() -> impl Strategy<Value = String> {
    let core = proptest::sample::select(vec!["周明", "孙丽", "王海", "营口天域米业", "某村"]);
    let pad = proptest::sample::select(vec![
        "", " ", "\u{3000}", "\u{a0}", "\u{85}", "\u{feff}", "\t",
    ]);
    prop_oneof![
        1 => Just(String::new()),
        8 => (pad.clone(), core, pad).prop_map(|(a, c, b)| format!("{a}{c}{b}")),
    ]
}

fn county() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "盖州市",
        "大石桥市",
        "北海新区",
        "",
        " 老边区",
        "老边区\u{3000}",
    ])
    .prop_map(str::to_owned)
}

/// A day between July 2021 and June 2023.
fn day() -> impl Strategy<Value = Date> {
    (0i64..730).prop_map(|d| date!(2021 - 07 - 01) + Duration::days(d))
}

fn place() -> impl Strategy<Value = field_ledger::domain::values::Place> {
    county().prop_map(|county| field_ledger::domain::values::Place {
        county,
        ..Default::default()
    })
}

fn any_body() -> impl Strategy<Value = RecordBody> {
    let training = (
        day(),
        place(),
        0u32..300,
        proptest::option::of(0u32..50),
        proptest::sample::select(TrainingType::ALL.to_vec()),
    )
        .prop_map(|(date, place, attendance, households, training_type)| {
            Training {
                place,
                attendance,
                households,
                training_type,
                topic: "水稻".into(),
                ..Training::blank(date)
            }
            .into_body()
        });
    let area = || proptest::option::of(prop_oneof![Just(0.0), 0.0f64..5000.0]);
    let technology = (
        county(),
        proptest::option::of(day()),
        proptest::option::of(day()),
        proptest::option::of(day()),
        area(),
        area(),
        proptest::option::of(0u32..80),
    )
        .prop_map(
            |(county, introduced, demonstrated, promoted, demo, wide, households)| {
                let technology = Technology {
                    name: "地膜".into(),
                    county,
                    demo_area_mu: demo,
                    promoted_area_mu: wide,
                    households,
                    ..Technology::blank(date!(2022 - 01 - 01))
                };
                support::staged(technology, introduced, demonstrated, promoted).into_body()
            },
        );
    let visit = (
        day(),
        place(),
        proptest::collection::vec(name(), 0..4),
        name(),
        proptest::sample::select(HostType::ALL.to_vec()),
        proptest::collection::vec(proptest::sample::select(HelpKind::ALL.to_vec()), 0..4),
        name(),
        proptest::option::of(proptest::sample::select(TeamLevel::ALL.to_vec())),
    )
        .prop_map(
            |(date, place, commissioners, host, host_type, help, team_name, team_level)| {
                Visit {
                    place,
                    commissioners,
                    host,
                    host_type,
                    help,
                    team_name,
                    team_level,
                    ..Visit::blank(date)
                }
                .into_body()
            },
        );
    let demand = (
        day(),
        place(),
        proptest::sample::select(DemandStatus::ALL.to_vec()),
        any::<bool>(),
    )
        .prop_map(|(collected_on, place, status, has_team)| {
            Demand {
                place,
                status,
                need: "盐碱地改良".into(),
                team_id: has_team.then(|| uuid::Uuid::from_u128(7)),
                ..Demand::blank(collected_on)
            }
            .into_body()
        });
    prop_oneof![training, technology, visit, demand]
}

fn any_ledger() -> impl Strategy<Value = Ledger> {
    proptest::collection::vec((any_body(), proptest::bool::weighted(0.15)), 0..40).prop_map(
        |bodies| {
            Ledger::from_records(bodies.into_iter().zip(1..).map(|((body, deleted), n)| {
                let r = record(n, body);
                if deleted {
                    r.tombstone(&officer(), NOW)
                } else {
                    r
                }
            }))
        },
    )
}

/// Whole months (the view has no days) from July 2021 to June 2023, in one year or across
/// two, or one of 2022's named periods.
fn any_period() -> impl Strategy<Value = Period> {
    let month = (0i32..24).prop_map(|m| (2021 + (m + 6) / 12, ((m + 6) % 12 + 1) as u8));
    prop_oneof![
        (month.clone(), month).prop_map(|(a, b)| {
            let (from, to) = if a <= b { (a, b) } else { (b, a) };
            let first =
                Date::from_calendar_date(from.0, Month::try_from(from.1).unwrap(), 1).unwrap();
            let last_month = Month::try_from(to.1).unwrap();
            let last = Date::from_calendar_date(to.0, last_month, last_month.length(to.0)).unwrap();
            Period::custom(first, last)
        }),
        proptest::sample::select(Preset::ALL[..7].to_vec()).prop_map(|preset| Period::preset(
            2022,
            preset,
            date!(2023 - 06 - 30)
        )
        .unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// For any ledger, any counted training types and any period of whole months, the view's
    /// rows (read by the app, grouped by detail) give the period's totals, the year's from
    /// 1 January to its end, and the county table, exactly as the app counts its own records.
    #[test]
    fn the_servers_view_counts_as_the_app_counts(
        ledger in any_ledger(),
        types in proptest::sample::subsequence(TrainingType::ALL.to_vec(), 0..=3),
        period in any_period(),
    ) {
        let counting = Counting { training_types: types };
        let today = date!(2023 - 07 - 15);
        let rows = emitted(&documents(&ledger));

        // The report: one query from 1 January (or the period's start, across years) to the
        // period's end, grouped by detail.
        let (from, to) = judged_span(period);
        let fetched = read(&answer(&rows, from, to, 5));
        let server = ServerTotals::from_rows(&fetched, period, &counting, &counties());
        let app = totals::totals(&ledger, period, &counting, today);
        assert_agree(&server.totals, &app)?;
        let app_so_far = totals::year_so_far(&ledger, &app, &counting, today);
        prop_assert_eq!(server.year_so_far.is_some(), app_so_far.is_some());
        if let (Some(server), Some(app)) = (&server.year_so_far, &app_so_far) {
            assert_agree(server, app)?;
        }
        let (app_counties, app_total) = totals::by_county(&ledger, period, &counting, &counties());
        prop_assert_eq!(&server.counties, &app_counties);
        prop_assert_eq!(&server.total, &app_total);

        // The dashboard: the same, grouped without the detail (the counts, not the names).
        let dashboard = read(&answer(&rows, from, to, 4));
        let server = ServerTotals::from_rows(&dashboard, period, &counting, &counties());
        prop_assert_eq!(&server.total, &app_total);
        let measures = |t: &Totals| (t.trainings, t.attendance, t.technologies_promoted, t.technologies_demonstrated, t.visits);
        prop_assert_eq!(measures(&server.totals), measures(&app));
        if let (Some(server), Some(app)) = (&server.year_so_far, &app_so_far) {
            prop_assert_eq!(measures(server), measures(app));
        }
        // The period's own rows alone are the period's totals too.
        let own = read(&answer(&rows, period.from, period.to, 5));
        assert_agree(&report_totals(&own, period, &counting), &app)?;
    }
}

#[test]
fn a_document_that_is_not_a_record_emits_nothing_and_never_throws() {
    let odd = [
        r#"{"_id":"_design/field-ledger","views":{}}"#,
        r#"{"_id":"x","kind":"training"}"#,
        r#"{"_id":"x","kind":"training","data":null}"#,
        r#"{"_id":"x","kind":"training","data":{"date":"2022-13"}}"#,
        r#"{"_id":"x","kind":"visit","data":{"date":"2022-05-01","commissioners":"周明","help":7}}"#,
        r#"{"_id":"x","kind":"technology","data":{"promoted_on":20220501}}"#,
        r#"{"_id":"x","kind":"demand","data":{"collected_on":"2022-05-01","place":7}}"#,
        r#"{"_id":"x","kind":"whatever","data":{"date":"2022-05-01"}}"#,
        r#"{"_id":"x","kind":"training","sample":true,"data":{"date":"2022-05-01","training_type":"farmer"}}"#,
        r#"{"_id":"x","kind":"training","deleted":true,"data":{"date":"2022-05-01","training_type":"farmer"}}"#,
    ]
    .map(str::to_owned);
    let rows = emitted(&odd);
    // Only what has a date counts: the visit (its odd lists are no lists) and the demand (a
    // place that is no place gives no county). Sample, deleted and design documents nothing.
    assert_eq!(
        rows,
        [
            (json!([2022, 5, "", "visit", ""]), json!([1, 0])),
            (json!([2022, 5, "", "demand", ""]), json!([1, 0]))
        ],
        "{rows:?}"
    );
}

#[test]
fn the_samples_first_half_from_the_view_is_the_reports() {
    // The sample never syncs; as ordinary records, the view counts its first half as the
    // report does: 4 technician trainings, 156 人次.
    let ledger = Ledger::from_records(
        support::sample_ledger()
            .all()
            .cloned()
            .map(|r| Record { sample: false, ..r }),
    );
    let counting = Counting::default();
    let h1 = Period::preset(2022, Preset::FirstHalf, date!(2022 - 07 - 10)).unwrap();
    let rows = emitted(&documents(&ledger));
    let server = report_totals(&read(&answer(&rows, h1.from, h1.to, 5)), h1, &counting);
    assert_eq!((server.trainings, server.attendance), (4, 156));
    let app = totals::totals(&ledger, h1, &counting, date!(2022 - 07 - 10));
    assert_eq!(counted(&server), counted(&app));
}
