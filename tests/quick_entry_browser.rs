//! Tier 2: quick entry in the field (issue #10), mounted in headless Chromium: remembered
//! values offered on the forms, GPS positions (with a fake `navigator.geolocation`), copies,
//! links to technologies, follow-ups due and renaming remembered values.
#![cfg(target_arch = "wasm32")]

use field_ledger::components::follow_ups::FollowUpsPanel;
use field_ledger::components::picklists::PicklistManager;
use field_ledger::domain::followup::follow_ups;
use field_ledger::domain::form::format_date;
use field_ledger::domain::*;
use field_ledger::state::App;
use leptos::prelude::*;
use time::Date;
use time::macros::{date, time};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::*;
use support::{Fault, Faulty, in_county, strings};

wasm_bindgen_test_configure!(run_in_browser);

/// A visit by `commissioners` to `host`.
fn visit_to(date: Date, host: &str, commissioners: &[&str]) -> Visit {
    Visit {
        host: host.into(),
        commissioners: strings(commissioners),
        ..Visit::blank(date)
    }
}

fn visit(body: Visit) -> RecordBody {
    body.into_body()
}

fn technology(name: &str) -> RecordBody {
    support::technology(name).into_body()
}

fn training(topic: &str) -> RecordBody {
    Training {
        topic: topic.into(),
        trainers: strings(&["李明", "张华"]),
        place: Place {
            township: "九寨镇".into(),
            ..in_county("盖州市")
        },
        attendance: 45,
        start_time: Some(time!(9:00)),
        end_time: Some(time!(11:30)),
        ..Training::blank(date!(2022 - 06 - 15))
    }
    .into_body()
}

fn the_visit(app: App, id: Uuid) -> (Record, Visit) {
    let record = app
        .records
        .ledger
        .with_untracked(|l| l.get(&id).cloned())
        .unwrap();
    let RecordBody::Visit(v) = record.body.clone() else {
        panic!("a visit")
    };
    (record, v)
}

#[wasm_bindgen_test]
async fn earlier_values_are_offered_and_a_tap_completes_the_field() {
    let app = new_app(Language::Zh);
    for date in [date!(2022 - 06 - 01), date!(2022 - 06 - 08)] {
        app.records
            .create(visit(visit_to(date, "辽宁东盛集团", &["赵志强", "李明"])))
            .unwrap();
    }
    app.records
        .create(visit(visit_to(
            date!(2022 - 06 - 09),
            "营口天域米业",
            &["王芳"],
        )))
        .unwrap();
    let mounted = mount_app("/visits/new", app).await;
    let parent = &mounted.1;

    // A datalist per picklist, most used first, connected to the fields.
    let hosts: Vec<String> = {
        let options = parent
            .query_selector_all("datalist#picklist-hosts option")
            .unwrap();
        (0..options.length())
            .map(|i| {
                options
                    .item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::Element>()
                    .get_attribute("value")
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(hosts, ["辽宁东盛集团", "营口天域米业"]);
    assert_eq!(
        query(parent, "#field-host")
            .get_attribute("list")
            .as_deref(),
        Some("picklist-hosts")
    );
    assert_eq!(
        query(parent, "#field-commissioners")
            .get_attribute("list")
            .as_deref(),
        Some("picklist-people")
    );
    assert!(find(parent, "datalist#picklist-teams").is_some());

    // No chips until a field is being typed in.
    assert!(find(parent, ".suggestions").is_none());
    type_into(parent, "#field-host", "东盛").await;
    assert_eq!(
        texts(parent, ".suggestions[data-for=field-host] .chip"),
        ["辽宁东盛集团"]
    );
    button_with_text(parent, ".suggestions .chip", "辽宁东盛集团")
        .unwrap()
        .click();
    settle().await;
    assert_eq!(value(parent, "#field-host"), "辽宁东盛集团");

    // In a list field the chips complete the name being typed, never one already there.
    type_into(parent, "#field-commissioners", "赵志强、").await;
    let offered = texts(parent, ".suggestions[data-for=field-commissioners] .chip");
    assert!(offered.contains(&"李明".to_owned()), "{offered:?}");
    assert!(!offered.contains(&"赵志强".to_owned()), "{offered:?}");
    // Only the field being typed in shows chips.
    assert!(find(parent, ".suggestions[data-for=field-host]").is_none());
    button_with_text(parent, ".suggestions .chip", "李明")
        .unwrap()
        .click();
    settle().await;
    assert_eq!(value(parent, "#field-commissioners"), "赵志强、李明、");
    // A new name is always allowed.
    type_into(parent, "#field-teamname", "营口市水稻科技特派团").await;
    save(parent).await;

    let (_, saved) = the_visit(app, id_in_path());
    assert_eq!(saved.host, "辽宁东盛集团");
    assert_eq!(saved.commissioners, ["赵志强", "李明"]);
    assert_eq!(saved.team_name, "营口市水稻科技特派团");
    unmount(mounted).await;
}

/// Puts a fake `navigator.geolocation` in place (`None`: a browser without one). The fake
/// answers from a timer, as a real one does, and counts its answers in `__geoAnswers`.
fn fake_geolocation(get_current_position: Option<&str>) {
    let value = match get_current_position {
        Some(body) => format!(
            "{{ getCurrentPosition(ok, fail, options) {{ window.__geoCalls = (window.__geoCalls || 0) + 1; window.__geoOptions = options; const answer = (f) => (x) => {{ f(x); window.__geoAnswers = (window.__geoAnswers || 0) + 1; }}; ok = answer(ok); fail = answer(fail); {body} }} }}"
        ),
        None => "undefined".to_owned(),
    };
    js_sys::Function::new_no_args(&format!(
        "Object.defineProperty(navigator, 'geolocation', {{ configurable: true, value: {value} }});"
    ))
    .call0(&JsValue::NULL)
    .unwrap();
}

fn real_geolocation() {
    js_sys::Function::new_no_args(
        "delete navigator.geolocation; delete window.__geoOptions; delete window.__geoCalls; delete window.__geoAnswers;",
    )
    .call0(&JsValue::NULL)
    .unwrap();
}

/// The answers the fake GPS gave so far.
fn gps_answers() -> f64 {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"__geoAnswers".into())
        .unwrap()
        .as_f64()
        .unwrap_or(0.0)
}

/// Presses "record current position" and waits until the fake GPS has answered (a browser
/// without one answers at once).
async fn locate(parent: &web_sys::HtmlElement) {
    let faked = js_sys::Reflect::get(
        &web_sys::window().unwrap().navigator(),
        &"geolocation".into(),
    )
    .unwrap()
    .is_object();
    let before = gps_answers();
    click(parent, "#locate-position").await;
    if faked {
        wait_until("the GPS to answer", || gps_answers() > before).await;
        settle().await;
    }
}

const REFUSE: &str = "setTimeout(() => fail({ code: 1, PERMISSION_DENIED: 1, message: 'User denied Geolocation' }), 5);";
const NO_FIX: &str = "setTimeout(() => fail({ code: 2, POSITION_UNAVAILABLE: 2, message: 'Position unavailable' }), 5);";
const TIME_OUT: &str =
    "setTimeout(() => fail({ code: 3, TIMEOUT: 3, message: 'Timeout expired' }), 5);";
const FOUND: &str = "setTimeout(() => ok({ coords: { latitude: 40.6653, longitude: 122.2352, accuracy: 12.4 }, timestamp: Date.now() }), 5);";

#[wasm_bindgen_test]
async fn a_refused_position_says_so_and_the_visit_still_saves() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/visits/new", app).await;
    let parent = &mounted.1;
    fake_geolocation(Some(REFUSE));
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "营口天域米业").await;
    locate(parent).await;
    let status = text(parent, "#location-status");
    assert!(status.contains("未获准使用位置"), "{status}");
    assert!(status.contains("不填也可以保存"), "{status}");
    assert_eq!(value(parent, "#field-latitude"), "");
    save(parent).await;
    real_geolocation();

    let (_, saved) = the_visit(app, id_in_path());
    assert_eq!(saved.location, None);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn no_geolocation_no_fix_and_a_timeout_each_say_so_in_english_too() {
    let app = new_app(Language::En);
    let mounted = mount_app("/technologies/new", app).await;
    let parent = &mounted.1;
    for (fake, expected) in [
        (None, "cannot find its position"),
        (Some(NO_FIX), "cannot find its position"),
        (Some(TIME_OUT), "took too long"),
        (Some(REFUSE), "was refused"),
    ] {
        fake_geolocation(fake);
        locate(parent).await;
        let status = text(parent, "#location-status");
        assert!(status.contains(expected), "{fake:?}: {status}");
        assert!(
            query(parent, "#location-status")
                .class_list()
                .contains("failed")
        );
        // The button can be tried again.
        assert!(
            query(parent, "#locate-position")
                .get_attribute("disabled")
                .is_none()
        );
    }
    real_geolocation();
    // Nothing was filled, and the technology saves without a position.
    type_into(parent, "#field-name", "低成本可控生物降解地膜").await;
    save(parent).await;
    let record = app
        .records
        .ledger
        .with_untracked(|l| l.get(&id_in_path()).cloned())
        .unwrap();
    let RecordBody::Technology(t) = record.body else {
        panic!("a technology")
    };
    assert_eq!(t.site_location, None);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_position_from_the_gps_fills_the_fields_and_is_saved_with_map_links() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/visits/new", app).await;
    let parent = &mounted.1;
    fake_geolocation(Some(FOUND));
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "营口天域米业").await;
    locate(parent).await;

    // The GPS was asked for a precise, recent position with a time limit.
    let options =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"__geoOptions".into()).unwrap();
    let option = |key: &str| js_sys::Reflect::get(&options, &key.into()).unwrap();
    assert_eq!(option("enableHighAccuracy").as_bool(), Some(true));
    assert_eq!(option("timeout").as_f64(), Some(20_000.0));
    assert_eq!(option("maximumAge").as_f64(), Some(60_000.0));

    assert_eq!(value(parent, "#field-latitude"), "40.6653");
    assert_eq!(value(parent, "#field-longitude"), "122.2352");
    let status = text(parent, "#location-status");
    assert!(status.contains("12 米"), "{status}");
    assert!(text(parent, ".location-captured").contains("± 12 米"));
    save(parent).await;
    real_geolocation();

    let (_, saved) = the_visit(app, id_in_path());
    let point = saved.location.expect("a position");
    assert_eq!((point.latitude, point.longitude), (40.6653, 122.2352));
    assert_eq!(point.accuracy_m, Some(12.4));
    assert!(point.captured_at.is_some());

    // The record's page shows it, with links to map apps (nothing fetched).
    settle().await;
    assert!(text(parent, ".location-view .coordinates").contains("40.6653, 122.2352"));
    assert!(text(parent, ".location-view .coordinates").contains("± 12 米"));
    assert_eq!(
        query(parent, "#map-geo").get_attribute("href").unwrap(),
        "geo:40.6653,122.2352?q=40.6653,122.2352"
    );
    let amap = query(parent, "#map-amap").get_attribute("href").unwrap();
    assert!(
        amap.starts_with("https://uri.amap.com/marker?position=122.2352,40.6653"),
        "{amap}"
    );
    let osm = query(parent, "#map-osm").get_attribute("href").unwrap();
    assert!(osm.contains("mlat=40.6653&mlon=122.2352"), "{osm}");
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn typed_coordinates_are_checked_and_typing_over_a_gps_point_clears_its_accuracy() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/visits/new", app).await;
    let parent = &mounted.1;
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "营口天域米业").await;
    type_into(parent, "#field-latitude", "95").await;
    type_into(parent, "#field-longitude", "东经").await;
    save(parent).await;
    assert_eq!(app.records.ledger.with_untracked(|l| l.len()), 0);
    assert!(text(parent, "#field-latitude-error").starts_with("超出范围"));
    assert!(!text(parent, "#field-longitude-error").is_empty());
    assert_eq!(
        query(parent, "#field-latitude")
            .get_attribute("inputmode")
            .as_deref(),
        Some("decimal")
    );

    // A GPS point, then a hand correction: the point is kept as typed, without accuracy.
    fake_geolocation(Some(FOUND));
    locate(parent).await;
    real_geolocation();
    assert!(find(parent, ".location-captured").is_some());
    type_into(parent, "#field-latitude", "40.6660").await;
    assert!(find(parent, ".location-captured").is_none());
    save(parent).await;
    let (_, saved) = the_visit(app, id_in_path());
    let point = saved.location.unwrap();
    assert_eq!(point.latitude, 40.666);
    assert_eq!(point.accuracy_m, None);
    assert_eq!(point.captured_at, None);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn new_from_this_one_copies_a_training_dated_today_as_a_new_record() {
    let app = new_app(Language::Zh);
    let original = app
        .records
        .create(training("水稻病虫害绿色防控技术培训"))
        .unwrap();
    let mounted = mount_app(&format!("/trainings/{original}"), app).await;
    let parent = &mounted.1;
    assert_eq!(
        query(parent, "#copy-record").get_attribute("href").unwrap(),
        format!("/trainings/new?from={original}")
    );
    unmount(mounted).await;
    // The page the link opens. (A click is not used: in this shared test page it can be
    // taken by a router an earlier test mounted. The e2e test clicks it.)
    let mounted = mount_app(&format!("/trainings/new?from={original}"), app).await;
    let parent = &mounted.1;
    settle().await;
    assert_eq!(path(), "/trainings/new");
    assert!(text(parent, "#copied-from").contains("水稻病虫害绿色防控技术培训"));
    assert_eq!(value(parent, "#field-topic"), "水稻病虫害绿色防控技术培训");
    assert_eq!(value(parent, "#field-trainers"), "李明、张华");
    assert_eq!(value(parent, "#field-starttime"), "09:00");
    assert_eq!(value(parent, "#field-date"), format_date(today()));
    save(parent).await;

    let copy = id_in_path();
    assert_ne!(copy, original);
    let ledger = app.records.ledger.get_untracked();
    assert_eq!(ledger.list(RecordKind::Training).len(), 2);
    let record = ledger.get(&copy).unwrap();
    assert_eq!(record.revision, 1);
    assert_eq!(record.date(), Some(today()));
    assert_eq!(
        ledger.get(&original).unwrap().revision,
        1,
        "the original is untouched"
    );
    unmount(mounted).await;

    // A link to a record that is not there opens a blank form and says so.
    let mounted = mount_app(&format!("/trainings/new?from={}", Uuid::nil()), app).await;
    assert!(find(&mounted.1, ".prefill-note").is_some());
    assert_eq!(value(&mounted.1, "#field-topic"), "");
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_visit_links_technologies_and_both_pages_show_the_link() {
    let app = new_app(Language::Zh);
    let film = app
        .records
        .create(technology("低成本可控生物降解地膜"))
        .unwrap();
    let rice = app
        .records
        .create(technology("域稻17香味性状分子育种"))
        .unwrap();
    let mounted = mount_app("/visits/new", app).await;
    let parent = &mounted.1;
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "辽宁东盛集团").await;
    // Search narrows the choices; a check adds a chip, the chip's button removes it.
    type_into(parent, "#tech-search", "地膜").await;
    assert_eq!(texts(parent, ".tech-choice").len(), 1);
    click(parent, &format!("input[name='technology-{film}']")).await;
    assert_eq!(
        texts(parent, ".chosen-technologies .chip-name"),
        ["低成本可控生物降解地膜"]
    );
    type_into(parent, "#tech-search", "").await;
    click(parent, &format!("input[name='technology-{rice}']")).await;
    assert_eq!(texts(parent, ".chosen-technologies .chip-name").len(), 2);
    click(parent, ".chosen-technologies li:last-child .chip-remove").await;
    assert_eq!(texts(parent, ".chosen-technologies .chip-name").len(), 1);
    save(parent).await;

    let visit_id = id_in_path();
    let (_, saved) = the_visit(app, visit_id);
    assert_eq!(saved.technology_ids, [film]);
    assert_eq!(
        texts(parent, "#linked-technologies a"),
        ["低成本可控生物降解地膜"]
    );
    unmount(mounted).await;

    // The technology's page lists the visit, with counts.
    let mounted = mount_app(&format!("/technologies/{film}"), app).await;
    let parent = &mounted.1;
    assert!(text(parent, "#concerning .concerning-counts").contains("特派服务 1 次"));
    let rows = texts(parent, "#concerning a");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("辽宁东盛集团"), "{rows:?}");
    unmount(mounted).await;

    // A deleted technology is named as such, never a crash.
    app.records.delete(film).unwrap();
    let mounted = mount_app(&format!("/visits/{visit_id}"), app).await;
    assert_eq!(
        texts(&mounted.1, "#linked-technologies li"),
        ["已删除的技术记录"]
    );
    unmount(mounted).await;
}

fn overdue_visit() -> RecordBody {
    visit(Visit {
        follow_up_needed: true,
        follow_up_by: Some(date!(2022 - 06 - 10)),
        technologies: strings(&["水稻侧深施肥"]),
        ..visit_to(date!(2022 - 06 - 01), "营口天域米业", &["赵志强", "李明"])
    })
}

#[wasm_bindgen_test]
async fn the_follow_up_visit_starts_from_the_original_and_resolves_it() {
    let app = new_app(Language::Zh);
    let original = app.records.create(overdue_visit()).unwrap();
    let mounted = mount_in_shell(app, || view! { <FollowUpsPanel /> }.into_any()).await;
    let parent = &mounted.1;
    assert!(
        query(parent, "#follow-ups .follow-up")
            .class_list()
            .contains("overdue")
    );
    assert!(text(parent, "#follow-ups").contains("营口天域米业"));
    assert!(text(parent, "#follow-ups").contains("2022-06-10"));
    assert!(text(parent, "#follow-ups").contains("已逾期"));
    assert_eq!(
        query(parent, "#follow-ups a.record-follow-up")
            .get_attribute("href")
            .unwrap(),
        format!("/visits/new?follow_up={original}")
    );
    unmount(mounted).await;

    let mounted = mount_app(&format!("/visits/new?follow_up={original}"), app).await;
    let parent = &mounted.1;
    assert!(text(parent, "#following-up").contains("营口天域米业"));
    assert_eq!(value(parent, "#field-host"), "营口天域米业");
    assert_eq!(value(parent, "#field-commissioners"), "赵志强、李明");
    type_into(parent, "#field-problems", "侧深施肥后长势良好").await;
    save(parent).await;
    let follow = id_in_path();
    let (_, saved) = the_visit(app, follow);
    assert_eq!(saved.follows_up, Some(original));
    assert_eq!(saved.help, [HelpKind::FollowUp]);
    // The visit's page leads back to the original.
    settle().await;
    assert_eq!(
        query(parent, "#follows-up a")
            .get_attribute("href")
            .unwrap(),
        format!("/visits/{original}")
    );
    let ledger = app.records.ledger.get_untracked();
    assert!(follow_ups(&ledger, today()).overdue.is_empty());
    unmount(mounted).await;

    // Nothing due: the panel is not there at all.
    let mounted = mount_in_shell(app, || view! { <FollowUpsPanel /> }.into_any()).await;
    assert!(find(&mounted.1, "#follow-ups").is_none());
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn mark_done_saves_a_new_revision_and_the_follow_up_leaves_the_panel() {
    let app = new_app(Language::Zh);
    let original = app.records.create(overdue_visit()).unwrap();
    let due_this_week = app
        .records
        .create(visit(Visit {
            follow_up_needed: true,
            follow_up_by: Some(today()),
            ..visit_to(date!(2022 - 06 - 02), "盖州市九寨镇五美房村", &["王芳"])
        }))
        .unwrap();
    let mounted = mount_in_shell(app, || view! { <FollowUpsPanel /> }.into_any()).await;
    let parent = &mounted.1;
    let items = parent.query_selector_all("#follow-ups .follow-up").unwrap();
    assert_eq!(items.length(), 2);
    // Overdue first.
    let first: web_sys::Element = items.item(0).unwrap().unchecked_into();
    assert_eq!(
        first.get_attribute("data-id").unwrap(),
        original.to_string()
    );
    assert!(
        !items
            .item(1)
            .unwrap()
            .unchecked_into::<web_sys::Element>()
            .class_list()
            .contains("overdue")
    );

    click(
        parent,
        &format!("li[data-id='{original}'] button.mark-done"),
    )
    .await;
    let (record, v) = the_visit(app, original);
    assert_eq!(record.revision, 2);
    assert!(!v.follow_up_needed);
    assert_eq!(v.follow_up_by, Some(time::macros::date!(2022 - 06 - 10)));
    assert_eq!(texts(parent, "#follow-ups .follow-up").len(), 1);
    click(
        parent,
        &format!("li[data-id='{due_this_week}'] button.mark-done"),
    )
    .await;
    assert!(find(parent, "#follow-ups").is_none());
    unmount(mounted).await;
}

fn host_visits(app: App) {
    for host in ["辽宁东盛集团", "辽宁东盛集团", "辽宁东盛集团公司"] {
        app.records
            .create(visit(visit_to(date!(2022 - 06 - 01), host, &["赵志强"])))
            .unwrap();
    }
}

fn hosts(app: App) -> Vec<String> {
    let mut hosts: Vec<String> = app.records.ledger.with_untracked(|l| {
        l.list(RecordKind::Visit)
            .into_iter()
            .map(|r| match &r.body {
                RecordBody::Visit(v) => v.host.clone(),
                _ => unreachable!(),
            })
            .collect()
    });
    hosts.sort();
    hosts
}

async fn edit_value(parent: &web_sys::HtmlElement, value: &str) {
    let button = parent
        .query_selector(&format!("button.edit-value[aria-label='改名或合并“{value}”'], button.edit-value[aria-label='Rename or merge “{value}”']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no edit button for {value}"))
        .unchecked_into::<web_sys::HtmlElement>();
    button.click();
    settle().await;
}

#[wasm_bindgen_test]
async fn remembered_values_are_merged_and_renamed_everywhere() {
    let app = new_app(Language::Zh);
    host_visits(app);
    let mounted = mount_in_shell(app, || view! { <PicklistManager /> }.into_any()).await;
    let parent = &mounted.1;
    choose(parent, "#picklist-choose", "hosts").await;
    assert_eq!(
        texts(parent, ".picklist-value .value-name"),
        ["辽宁东盛集团", "辽宁东盛集团公司"]
    );
    assert_eq!(
        texts(parent, ".picklist-value .value-uses"),
        ["2 条记录", "1 条记录"]
    );

    // Merge: pick the spelling to keep.
    edit_value(parent, "辽宁东盛集团公司").await;
    choose(parent, "#merge-into", "辽宁东盛集团").await;
    click(parent, "#confirm-merge").await;
    assert_eq!(hosts(app), ["辽宁东盛集团"; 3]);
    assert_eq!(
        text(parent, ".picklist-outcome"),
        "已在 1 条记录中把“辽宁东盛集团公司”改为“辽宁东盛集团”。"
    );
    let revisions: Vec<u32> = app.records.ledger.with_untracked(|l| {
        let mut r: Vec<u32> = l
            .list(RecordKind::Visit)
            .iter()
            .map(|r| r.revision)
            .collect();
        r.sort();
        r
    });
    assert_eq!(
        revisions,
        [1, 1, 2],
        "the merge is a new revision, for the next export"
    );

    // Rename: type the new name.
    edit_value(parent, "辽宁东盛集团").await;
    type_into(parent, "#rename-to", "辽宁东盛集团有限公司").await;
    click(parent, "#confirm-rename").await;
    assert_eq!(hosts(app), ["辽宁东盛集团有限公司"; 3]);
    assert!(text(parent, ".picklist-outcome").contains("已在 3 条记录中"));
    assert_eq!(
        texts(parent, ".picklist-value .value-name"),
        ["辽宁东盛集团有限公司"]
    );
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_rename_that_cannot_be_stored_changes_nothing_and_says_so_in_english() {
    let storage = Faulty::memory();
    let app = signed_in(App::start_with(storage.boxed()), Language::En);
    host_visits(app);
    let before = app.records.ledger.get_untracked();
    let mounted = mount_in_shell(app, || view! { <PicklistManager /> }.into_any()).await;
    let parent = &mounted.1;
    choose(parent, "#picklist-choose", "hosts").await;
    edit_value(parent, "辽宁东盛集团").await;
    type_into(parent, "#rename-to", "辽宁东盛集团有限公司").await;
    storage.fail_writes_from(0, Fault::Quota);
    click(parent, "#confirm-rename").await;
    // Said as every failed save is said: why, that nothing stored changed, what to do.
    let message = text(parent, "#picklist-manager .save-error");
    assert!(message.starts_with("Not saved:"), "{message}");
    assert!(message.contains("Nothing stored has changed"), "{message}");
    assert!(message.contains("Export your data first"), "{message}");
    assert_eq!(
        query(parent, "#picklist-manager .save-error")
            .get_attribute("role")
            .as_deref(),
        Some("alert")
    );
    assert!(find(parent, ".picklist-outcome").is_none());
    assert_eq!(app.records.ledger.get_untracked(), before);
    // Once storage works again the same rename goes through.
    storage.heal();
    click(parent, "#confirm-rename").await;
    assert_eq!(
        text(parent, ".picklist-outcome"),
        "Changed “辽宁东盛集团” to “辽宁东盛集团有限公司” in 2 records."
    );
    assert!(find(parent, "#picklist-manager .save-error").is_none());
    unmount(mounted).await;
}
