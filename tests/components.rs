//! Tier 2: the record forms and pages, mounted in headless Chromium: the training form saves,
//! shows errors beside the fields, keeps a draft and follows the language setting; the
//! dashboard shows the sample's known figures; the list filter shows what the domain filter
//! finds and writes the URL; old addresses lead to their pages.
#![cfg(target_arch = "wasm32")]

use field_ledger::domain::*;
use leptos::prelude::*;
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_training_form_saves_a_valid_training() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/trainings/new", app).await;
    let parent = &mounted.1;
    type_into(parent, "#field-date", "2022-06-10").await;
    type_into(parent, "#field-topic", "设施蔬菜栽培").await;
    type_into(parent, "#field-attendance", "38").await;
    type_into(parent, "#field-trainers", "刘强，陈静").await;
    save(parent).await;

    let ledger = app.records.ledger.get_untracked();
    let trainings = ledger.list(RecordKind::Training);
    assert_eq!(trainings.len(), 1);
    let RecordBody::Training(training) = &trainings[0].body else {
        panic!("a training")
    };
    assert_eq!(training.topic, "设施蔬菜栽培");
    assert_eq!(training.attendance, 38);
    assert_eq!(training.trainers, ["刘强", "陈静"]);
    assert_eq!(trainings[0].author, "测试员");
    // After saving, the record's page is shown, and the draft is gone.
    assert_eq!(path(), format!("/trainings/{}", trainings[0].id));
    assert_eq!(app.drafts.load(RecordKind::Training, None), None);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn the_training_form_shows_errors_beside_fields_and_saves_nothing() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/trainings/new", app).await;
    let parent = &mounted.1;
    type_into(parent, "#field-attendance", "-5").await;
    save(parent).await;

    assert_eq!(app.records.ledger.get_untracked().len(), 0);
    assert_eq!(text(parent, "#field-topic-error"), "必须填写");
    assert_eq!(text(parent, "#field-attendance-error"), "不能小于 0");
    assert_eq!(
        query(parent, "#field-attendance")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        value(parent, "#field-attendance"),
        "-5",
        "what was typed is kept"
    );
    assert!(text(parent, ".error-summary").contains('2'));
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_draft_is_kept_once_typing_pauses_and_offered_back() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/visits/new", app).await;
    type_into(&mounted.1, "#field-host", "营口天域米业").await;
    type_into(&mounted.1, "#field-problems", "稻瘟病").await;
    let kept = || {
        app.drafts
            .load(RecordKind::Visit, None)
            .is_some_and(|d| d.text(Field::Problems) == "稻瘟病")
    };
    wait_until("the draft to be kept once typing pauses", kept).await;
    assert_eq!(
        app.records.ledger.get_untracked().len(),
        0,
        "a draft is no record"
    );
    unmount(mounted).await;

    // The form opened again (a reload, a crash) offers it back.
    let mounted = mount_app("/visits/new", app).await;
    let parent = &mounted.1;
    assert!(find(parent, ".draft-offer").is_some());
    assert_eq!(value(parent, "#field-host"), "");
    click(parent, "#restore-draft").await;
    assert_eq!(value(parent, "#field-host"), "营口天域米业");
    assert_eq!(value(parent, "#field-problems"), "稻瘟病");
    assert!(find(parent, ".draft-offer").is_none());
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn the_interface_follows_the_language_setting() {
    let mounted = mount_app("/visits/new", new_app(Language::En)).await;
    let label = text(&mounted.1, "label[for=field-host]");
    assert!(label.starts_with("Host"), "{label}");
    assert_eq!(
        support::browser::document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn the_exchange_page_is_found_at_its_old_address_too() {
    let mounted = mount_app("/sync", new_app(Language::Zh)).await;
    wait_until("/sync to lead to /exchange", || path() == "/exchange").await;
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn the_dashboard_shows_the_sample_year_against_its_targets() {
    use field_ledger::domain::period::{Period, Preset};
    use field_ledger::domain::totals::{self, Counting};

    use field_ledger::domain::settings::Role;

    // The dashboard is the coordinator's home.
    let app = new_app(Language::Zh);
    app.settings
        .update(|s| s.role = Some(Role::Coordinator))
        .unwrap();
    let mounted = mount_app("/?period=year&year=2022", app).await;
    let parent = &mounted.1;
    app.records.load_sample().unwrap();
    // The home's panels come after its first paint.
    wait_until("the dashboard's target cards", || {
        find(parent, ".target[data-measure=trainings]").is_some()
    })
    .await;

    // The page shows what the domain counts, and the domain counts the sample's known totals.
    let today = support::browser::today();
    let year = Period::preset(2022, Preset::Year, today).unwrap();
    let totals = totals::totals(
        &app.records.ledger.get_untracked(),
        year,
        &Counting::default(),
        today,
    );
    assert_eq!(
        (
            totals.trainings,
            totals.attendance,
            totals.technologies_introduced,
            totals.technologies_demonstrated,
            totals.demo_area_mu,
            totals.technologies_promoted,
            totals.promoted_area_mu
        ),
        (4, 156, 4, 3, 480.5, 2, 2800.0)
    );
    assert_eq!(
        (
            totals.visits,
            totals.commissioners,
            totals.hosts,
            totals.households
        ),
        (8, 6, 8, 257)
    );
    let target = |measure: &str, attribute: &str| {
        query(parent, &format!(".target[data-measure={measure}]"))
            .get_attribute(attribute)
            .unwrap()
    };
    assert_eq!(target("trainings", "data-done"), "4");
    assert_eq!(target("trainings", "data-target"), "10");
    assert_eq!(target("attendance", "data-done"), "156");
    assert_eq!(target("attendance", "data-target"), "500");
    assert_eq!(target("technologies-promoted", "data-done"), "2");
    assert_eq!(target("technologies-promoted", "data-target"), "20");
    // 2022 is over and no target was reached.
    assert_eq!(texts(parent, ".target .pace.closed").len(), 3);
    // The figures and breakdowns are further down: drawn when scrolled to.
    scroll_until("the dashboard's figures", || {
        find(parent, "#county-table").is_some()
    })
    .await;
    let figure = |key: &str| text(parent, &format!(".figure[data-figure={key}] .now"));
    assert_eq!(figure("visits"), "8");
    assert_eq!(figure("commissioners"), "6");
    assert_eq!(figure("hosts"), "8");
    assert_eq!(figure("demo-area"), "480.5");
    assert_eq!(figure("promoted-area"), "2800");
    assert_eq!(figure("households"), "257");
    // Every training type has its rows; the sample's trainings are technician trainings.
    assert_eq!(figure("technician-sessions"), "4");
    assert_eq!(figure("technician-attendance"), "156");
    assert_eq!(figure("farmer-sessions"), "0");
    assert_eq!(figure("other-attendance"), "0");
    // Every county of the list has its row, the sample's among them, and a total.
    let counties = attributes(parent, "#county-table tbody tr", "data-county");
    let listed = app.settings.settings.with_untracked(|s| s.counties());
    for county in ["鲅鱼圈区", "老边区", "盖州市", "大石桥市", "营口高新区"] {
        assert!(
            counties.iter().any(|c| c == county),
            "{county}: {counties:?}"
        );
    }
    assert_eq!(counties[..listed.len()], listed[..]);
    // The 合计 row adds up the columns: trainings, 人次, promoted, demonstrations, visits.
    assert_eq!(
        texts(parent, "#county-table tfoot tr.total td"),
        ["4", "156", "2", "3", "8"]
    );
    // The charts carry their figures as text for screen readers.
    let label = query(parent, "svg.chart.horizontal")
        .get_attribute("aria-label")
        .unwrap();
    assert!(label.contains("大石桥市 42"), "{label}");
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn the_list_filter_shows_what_the_domain_filter_finds() {
    use field_ledger::domain::filter::{ListFilter, matches};

    let app = new_app(Language::Zh);
    let mounted = mount_app("/visits?county=%E5%A4%A7%E7%9F%B3%E6%A1%A5%E5%B8%82", app).await;
    let parent = &mounted.1;
    app.records.load_sample().unwrap();
    settle().await;

    let expected = |filter: &ListFilter| -> Vec<String> {
        app.records.ledger.with_untracked(|l| {
            l.list(RecordKind::Visit)
                .into_iter()
                .filter(|r| matches(r, filter))
                .map(|r| match &r.body {
                    RecordBody::Visit(v) => v.host.clone(),
                    _ => unreachable!(),
                })
                .collect()
        })
    };
    let shown = || -> Vec<String> {
        texts(parent, ".record-list .row-title")
            .into_iter()
            .map(|t| t.trim_end_matches("示例").trim().to_owned())
            .collect()
    };
    let mut filter = ListFilter {
        county: "大石桥市".into(),
        ..Default::default()
    };
    let by_county = expected(&filter);
    assert_eq!(by_county.len(), 3, "the sample has three visits there");
    assert_eq!(shown(), by_county);
    assert_eq!(
        query(parent, "p.count")
            .get_attribute("data-count")
            .as_deref(),
        Some("3")
    );

    // Typing the start of one host's name narrows the list to what the domain finds, and the
    // words go into the URL once typing pauses.
    let word: String = by_county[0].chars().take(2).collect();
    type_into(parent, "#filter-text", &word).await;
    filter.text = word.clone();
    let by_text = expected(&filter);
    assert!(by_text.contains(&by_county[0]), "{by_text:?}");
    assert!(
        by_text.len() < by_county.len(),
        "{word} narrows {by_county:?} to {by_text:?}"
    );
    assert_eq!(shown(), by_text);
    assert!(
        !search().contains("q="),
        "not at every keystroke: {}",
        search()
    );
    wait_until("the URL to take the typed words", || {
        search().contains("q=")
    })
    .await;
    let query = String::from(js_sys::decode_uri_component(&search()).unwrap());
    let pairs: Vec<(&str, &str)> = query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let in_url = ListFilter::from_query(pairs);
    assert_eq!(in_url, filter);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_demand_matched_to_a_team_shows_its_visit_and_the_team_counts_it() {
    use time::macros::date;

    let app = new_app(Language::Zh);
    let team = app
        .records
        .create(support::team("水稻产业科技特派团").into_body())
        .unwrap();
    let demand = app
        .records
        .create(
            Demand {
                status: DemandStatus::Matched,
                matched_on: Some(date!(2022 - 06 - 25)),
                team_id: Some(team),
                ..support::demand("五美房村水稻合作社")
            }
            .into_body(),
        )
        .unwrap();
    app.records
        .create(
            Visit {
                team_id: Some(team),
                demand_id: Some(demand),
                ..support::visit_in("盖州市", date!(2022 - 06 - 30))
            }
            .into_body(),
        )
        .unwrap();

    // The demand's page: the visit that answered it, ten days after it was collected.
    let mounted = mount_app(&format!("/demands/{demand}"), app).await;
    let parent = &mounted.1;
    wait_until("the demand's answers", || {
        find(parent, "#demand-answers .related-link").is_some()
    })
    .await;
    assert_eq!(texts(parent, "#demand-answers .related-link").len(), 1);
    assert!(
        text(parent, "#demand-answers .days-to-first-visit").contains("10 天"),
        "{}",
        text(parent, "#demand-answers")
    );
    assert!(text(parent, "#linked-records").contains("水稻产业科技特派团"));
    unmount(mounted).await;

    // The team's page counts the matched demand and the visit.
    let mounted = mount_app(&format!("/teams/{team}"), app).await;
    let parent = &mounted.1;
    wait_until("the team's work", || {
        find(parent, "#team-work .team-figures").is_some()
    })
    .await;
    let figures = text(parent, "#team-work .team-figures");
    assert!(figures.contains("对接需求 1 项"), "{figures}");
    assert!(figures.contains("特派服务 1 次"), "{figures}");
    unmount(mounted).await;
}
