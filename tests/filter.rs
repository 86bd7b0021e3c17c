//! Tier 1: the list filters: reading and writing them in the URL, the matching rules per kind,
//! and the prepared index against the plain rule (as a property, and on 10 000 records).
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::filter::{ListFilter, SearchIndex, SortOrder, matches};
use field_ledger::domain::form::serde_name;
use field_ledger::domain::*;
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use field_ledger_test_support as support;
use support::{
    NOW, demand, id, ledger_of, officer, record, staged, strings, team, technology, training_about,
    training_in, visit_in,
};

fn facet(field: Field, value: &str) -> (Field, String) {
    (field, value.to_owned())
}

#[test]
fn a_filter_reads_from_the_url_and_ignores_what_it_cannot_read() {
    let filter = ListFilter::from_query([
        ("q", "水稻 育秧"),
        ("county", "大石桥市"),
        ("county", "盖州市"),
        ("from", "2022-03-01"),
        ("to", "2022-02-30"),
        ("stage", "promoted"),
        ("type", "technician"),
        ("host", "cooperative"),
        ("category", ""),
        ("sort", "oldest"),
        ("page", "3"),
    ]);
    assert_eq!(
        filter,
        ListFilter {
            text: "水稻 育秧".into(),
            county: "盖州市".into(),
            team: None,
            from: Some(date!(2022 - 03 - 01)),
            to: None,
            facets: vec![
                facet(Field::Stage, "promoted"),
                facet(Field::TrainingType, "technician"),
                facet(Field::HostType, "cooperative"),
            ],
            sort: SortOrder::OldestFirst,
        },
        "a repeated key keeps its last value; a bad date, an empty choice, an unknown key go"
    );
    assert_eq!(
        filter.to_query(),
        [
            ("q", "水稻 育秧".to_owned()),
            ("county", "盖州市".to_owned()),
            ("from", "2022-03-01".to_owned()),
            ("stage", "promoted".to_owned()),
            ("type", "technician".to_owned()),
            ("host", "cooperative".to_owned()),
            ("sort", "oldest".to_owned()),
        ]
    );
    assert!(filter.is_active());
    assert_eq!(filter.facet(Field::Stage), Some("promoted"));
    assert_eq!(filter.facet(Field::Category), None);
    assert!(!ListFilter::from_query([("sort", "newest"), ("x", "y")]).is_active());
    assert!(ListFilter::default().to_query().is_empty());
}

#[test]
fn choosing_any_value_of_a_facet_removes_it() {
    let mut filter = ListFilter::from_query([("stage", "promoted"), ("host", "village")]);
    filter.set_facet(Field::Stage, Some("introduced".into()));
    assert_eq!(
        filter.facets,
        [
            facet(Field::HostType, "village"),
            facet(Field::Stage, "introduced")
        ]
    );
    filter.set_facet(Field::HostType, None);
    filter.set_facet(Field::Stage, Some(String::new()));
    assert!(!filter.is_active());
}

#[test]
fn a_facet_value_that_no_choice_offers_is_ignored() {
    let filter = ListFilter::from_query([
        ("category", "Variety"),
        ("stage", "harvested"),
        ("type", "<script>"),
    ]);
    assert_eq!(filter, ListFilter::default());
    // So a bookmarked URL with an old or mistyped value still shows the list.
    let ledger = ledger_of([technology("低成本可控生物降解地膜").into_body()]);
    let index = SearchIndex::new(&ledger, RecordKind::Technology);
    assert_eq!(index.filter(&filter), [id(1)]);
}

#[test]
fn matching_follows_the_rules_per_kind() {
    let t = record(1, training_in("盖州市", date!(2022 - 03 - 15), 38));
    let tech = record(
        2,
        Technology {
            partners: strings(&["辽宁东盛集团"]),
            ..staged(technology("低成本可控生物降解地膜"), None, None, None)
        },
    );
    let text = |text: &str| ListFilter {
        text: text.into(),
        ..Default::default()
    };
    // Text: every term, any field, ignoring case.
    assert!(matches(&t, &text(" 育秧  李明 ")));
    assert!(!matches(&t, &text("育秧 王")));
    assert!(matches(&tech, &text("东盛")));
    assert!(
        matches(&tech, &text("大石桥")),
        "the county is searched too"
    );
    // County and dates.
    let county = |county: &str| ListFilter {
        county: county.into(),
        ..Default::default()
    };
    assert!(matches(&t, &county("盖州市")));
    assert!(!matches(&t, &county("盖州")), "the county matches exactly");
    let march = ListFilter {
        from: Some(date!(2022 - 03 - 15)),
        to: Some(date!(2022 - 03 - 15)),
        ..Default::default()
    };
    assert!(matches(&t, &march), "the range is inclusive");
    assert!(
        !matches(&tech, &march),
        "no date, no match on a date filter"
    );
    // A facet of another kind is ignored.
    let stage = ListFilter {
        facets: vec![
            facet(Field::Stage, "promoted"),
            facet(Field::HostType, "enterprise"),
        ],
        ..Default::default()
    };
    assert!(matches(&t, &stage));
    assert!(!matches(&tech, &stage));
    let introduced = ListFilter {
        facets: vec![facet(Field::Stage, "introduced")],
        ..stage
    };
    assert!(matches(&tech, &introduced));
}

#[test]
fn a_team_matches_by_any_county_it_serves_and_links_filter_by_team() {
    let rice = record(10, team("水稻产业科技特派团"));
    let rice_id = rice.id;
    let other_id = record(11, team("果树科技特派组")).id;
    let for_rice = record(
        12,
        Visit {
            team_id: Some(rice_id),
            ..visit_in("盖州市", date!(2022 - 07 - 20))
        },
    );
    let unlinked = record(13, visit_in("盖州市", date!(2022 - 07 - 21)));
    let asked = record(
        14,
        Demand {
            team_id: Some(rice_id),
            ..demand("西海村水稻合作社")
        },
    );
    let county = |county: &str| ListFilter {
        county: county.into(),
        ..Default::default()
    };
    assert!(
        matches(&rice, &county("大石桥市")),
        "a county the team serves"
    );
    assert!(!matches(&rice, &county("盖州市")));
    let by_team = |team: Uuid| ListFilter {
        team: Some(team),
        ..Default::default()
    };
    assert!(matches(&for_rice, &by_team(rice_id)));
    assert!(matches(&asked, &by_team(rice_id)));
    assert!(!matches(&for_rice, &by_team(other_id)));
    assert!(!matches(&unlinked, &by_team(rice_id)), "no team linked");
    assert!(
        matches(&rice, &by_team(other_id)),
        "teams do not link a team: the choice does not apply to them"
    );
    // Through the URL and the index alike.
    let filter = ListFilter::from_query([("team", rice_id.to_string().as_str())]);
    assert_eq!(filter, by_team(rice_id));
    assert_eq!(
        ListFilter::from_query([("team", "not-an-id")]),
        ListFilter::default()
    );
    let ledger = Ledger::from_records([for_rice.clone(), unlinked]);
    assert_eq!(
        SearchIndex::new(&ledger, RecordKind::Visit).filter(&filter),
        [for_rice.id]
    );
}

#[test]
fn the_index_sorts_newest_first_and_reverses_for_oldest_first() {
    let ledger = ledger_of([
        training_in("盖州市", date!(2022 - 03 - 15), 1).into_body(),
        training_in("盖州市", date!(2022 - 05 - 15), 2).into_body(),
        training_in("老边区", date!(2022 - 04 - 15), 3).into_body(),
        visit_in("老边区", date!(2022 - 04 - 15)).into_body(),
    ]);
    let index = SearchIndex::new(&ledger, RecordKind::Training);
    assert_eq!(index.len(), 3);
    let ids = |n: &[u128]| n.iter().map(|n| id(*n)).collect::<Vec<_>>();
    assert_eq!(index.filter(&ListFilter::default()), ids(&[2, 3, 1]));
    let oldest = ListFilter {
        county: "盖州市".into(),
        sort: SortOrder::OldestFirst,
        ..Default::default()
    };
    assert_eq!(index.filter(&oldest), ids(&[1, 2]));
    assert!(SearchIndex::new(&Ledger::default(), RecordKind::Visit).is_empty());
}

#[test]
fn ten_thousand_visits_filter_to_exactly_the_matching_ones() {
    let ledger = ledger_of((0..10_000).map(|i| {
        Visit {
            commissioners: strings(&["赵志强", "Liu Haifeng"]),
            host: format!("合作社{i}"),
            ..visit_in(
                ["盖州市", "大石桥市", "老边区"][i % 3],
                date!(2022 - 01 - 01) + Duration::days(i as i64 % 365),
            )
        }
        .into_body()
    }));
    let index = SearchIndex::new(&ledger, RecordKind::Visit);
    let filter = ListFilter {
        text: "haifeng 合作社12".into(),
        county: "老边区".into(),
        ..Default::default()
    };
    let found = index.filter(&filter);
    // 合作社12x (122, 125, 128) and 合作社12xx (1202 … 1298) whose number is 2 mod 3.
    assert_eq!(found.len(), 36);
    let expected: Vec<Uuid> = ledger
        .list(RecordKind::Visit)
        .into_iter()
        .filter(|r| matches(r, &filter))
        .map(|r| r.id)
        .collect();
    assert_eq!(found, expected);
}

// ---------------------------------------------------------------- the index against the plain rule

const WORDS: [&str; 12] = [
    "水稻",
    "稻",
    "Rice",
    "rice",
    "RICE",
    "Ærø",
    "ærø",
    "ΑΣ",
    "ας",
    "盖州市",
    "合作社",
    "x",
];
const COUNTIES: [&str; 4] = ["盖州市", "大石桥市", "老边区", ""];

fn arb_date() -> impl Strategy<Value = Date> {
    (0i64..40).prop_map(|d| date!(2022 - 05 - 01) + Duration::days(d))
}

fn arb_words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::sample::select(WORDS.to_vec()).prop_map(String::from),
        0..3,
    )
}

fn arb_body() -> impl Strategy<Value = RecordBody> {
    (
        0..3u8,
        arb_date(),
        prop::sample::select(COUNTIES.to_vec()),
        arb_words(),
        arb_words(),
        (0..6usize, 0..3usize, 0..3usize),
        (
            prop::option::of(arb_date()),
            prop::option::of(arb_date()),
            prop::option::of(arb_date()),
        ),
    )
        .prop_map(
            |(kind, date, county, a, b, (v6, v3, s3), (i, d, p))| match kind {
                0 => Training {
                    training_type: TrainingType::ALL[v3],
                    topic: a.concat(),
                    subjects: b.clone(),
                    notes: b.join(" "),
                    ..training_in(county, date, 1)
                }
                .into_body(),
                1 => Technology {
                    name: a.concat(),
                    partners: b,
                    category: TechCategory::ALL[v3],
                    county: county.into(),
                    stage: Stage::ALL[s3],
                    ..staged(technology(""), i, d, p)
                }
                .into_body(),
                _ => Visit {
                    host_type: HostType::ALL[v6],
                    team_name: a.join(" "),
                    technologies: b,
                    ..visit_in(county, date)
                }
                .into_body(),
            },
        )
}

fn arb_ledger() -> impl Strategy<Value = Ledger> {
    prop::collection::vec((arb_body(), 0..3i64, any::<bool>()), 0..40).prop_map(|items| {
        Ledger::from_records(
            items
                .into_iter()
                .zip(1..)
                .map(|((body, minutes, deleted), n)| {
                    // Few distinct change times, so sorting has ties to break by id.
                    let r = Record {
                        updated_at: NOW + Duration::minutes(minutes),
                        ..record(n, body)
                    };
                    if deleted && n % 4 == 0 {
                        r.tombstone(&officer(), NOW)
                    } else {
                        r
                    }
                }),
        )
    })
}

/// A facet of `field` with one of the values `all` offers, or none.
fn arb_facet<T: serde::Serialize + Clone + std::fmt::Debug + 'static>(
    field: Field,
    all: &[T],
) -> impl Strategy<Value = Option<(Field, String)>> {
    prop::option::of(prop::sample::select(all.to_vec()))
        .prop_map(move |value| value.map(|v| (field, serde_name(&v))))
}

fn arb_filter() -> impl Strategy<Value = ListFilter> {
    (
        (
            prop::collection::vec(prop::sample::select(WORDS.to_vec()), 0..3),
            prop::sample::select(vec![" ", "  ", "\t"]),
            prop::sample::select(COUNTIES.to_vec()),
            prop::option::of(arb_date()),
            prop::option::of(arb_date()),
        ),
        (
            arb_facet(Field::Stage, &Stage::ALL),
            arb_facet(Field::Category, &TechCategory::ALL),
            arb_facet(Field::TrainingType, &TrainingType::ALL),
            arb_facet(Field::HostType, &HostType::ALL),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (words, sep, county, from, to),
                (stage, category, training_type, host_type, oldest),
            )| {
                ListFilter {
                    text: words.join(sep),
                    county: county.into(),
                    team: None,
                    from,
                    to,
                    facets: [stage, category, training_type, host_type]
                        .into_iter()
                        .flatten()
                        .collect(),
                    sort: if oldest {
                        SortOrder::OldestFirst
                    } else {
                        SortOrder::NewestFirst
                    },
                }
            },
        )
}

fn arb_any_filter() -> impl Strategy<Value = ListFilter> {
    (
        arb_filter(),
        "\\PC{0,12}",
        "\\PC{0,8}",
        prop::option::of(any::<u128>()),
    )
        .prop_map(|(filter, text, county, team)| ListFilter {
            text,
            county,
            team: team.map(Uuid::from_u128),
            ..filter
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_index_agrees_with_the_plain_rule(ledger in arb_ledger(), filters in prop::collection::vec(arb_filter(), 1..8)) {
        for kind in RecordKind::ALL {
            let index = SearchIndex::new(&ledger, kind);
            prop_assert_eq!(index.len(), ledger.count(kind));
            for filter in &filters {
                let mut expected: Vec<Uuid> = ledger
                    .list(kind)
                    .into_iter()
                    .filter(|r| matches(r, filter))
                    .map(|r| r.id)
                    .collect();
                if filter.sort == SortOrder::OldestFirst {
                    expected.reverse();
                }
                prop_assert_eq!(index.filter(filter), expected, "{:?}", filter);
            }
        }
    }

    /// An index built once and brought up to date change by change (saves, edits, deletions,
    /// sample data removed) finds what an index built afresh finds, and the ledger's counts
    /// per kind follow as well.
    #[test]
    fn an_index_kept_up_to_date_finds_what_a_new_one_finds(
        start in arb_ledger(),
        changes in prop::collection::vec((arb_ledger(), 0..3u8), 1..6),
        filters in prop::collection::vec(arb_filter(), 1..4),
    ) {
        let mut ledger = start;
        let mut kept: Vec<SearchIndex> =
            RecordKind::ALL.iter().map(|kind| SearchIndex::new(&ledger, *kind)).collect();
        for (batch, how) in changes {
            for record in batch.all() {
                match how {
                    // A record removed, whatever it was.
                    0 => {
                        ledger.remove(&record.id);
                    }
                    // Saved or edited over what was there.
                    1 => ledger.put(record.clone()),
                    // Saved, then deleted.
                    _ => ledger.put(record.clone().tombstone(&officer(), NOW)),
                }
            }
            for (kind, index) in RecordKind::ALL.iter().zip(kept.iter_mut()) {
                index.refresh(&ledger);
                let fresh = SearchIndex::new(&ledger, *kind);
                prop_assert_eq!(index.len(), fresh.len());
                prop_assert_eq!(index.len(), ledger.count(*kind));
                prop_assert_eq!(ledger.count(*kind), ledger.list(*kind).len());
                for filter in &filters {
                    prop_assert_eq!(index.filter(filter), fresh.filter(filter));
                }
            }
        }
    }

    #[test]
    fn a_filter_survives_the_url(filter in arb_any_filter()) {
        let query = filter.to_query();
        let back = ListFilter::from_query(query.iter().map(|(k, v)| (*k, v.as_str())));
        prop_assert_eq!(back, filter);
    }
}

#[test]
fn an_index_far_behind_the_ledger_is_built_again() {
    let ledger_of_n = |n: u128| {
        Ledger::from_records((1..=n).map(|i| record(i, training_about(&format!("第{i}场")))))
    };
    let mut ledger = ledger_of_n(3);
    let mut index = SearchIndex::new(&ledger, RecordKind::Training);
    // More changes than the ledger remembers: the index starts over, and still agrees.
    for record in ledger_of_n(2000).all() {
        ledger.put(record.clone());
    }
    assert!(ledger.changed_since(0).is_none());
    index.refresh(&ledger);
    assert_eq!(index.len(), 2000);
    let all = ListFilter::default();
    assert_eq!(
        index.filter(&all),
        SearchIndex::new(&ledger, RecordKind::Training).filter(&all)
    );
}
