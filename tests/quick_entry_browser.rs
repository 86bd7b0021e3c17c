//! Tier 2: quick entry in the field (issue #10), mounted in headless Chromium: remembered
//! values offered on the forms, GPS positions (with a fake `navigator.geolocation`), copies,
//! links to technologies, follow-ups due and renaming remembered values.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use field_ledger::app::AppWith;
use field_ledger::components::layout::Shell;
use field_ledger::domain::followup::follow_ups;
use field_ledger::domain::*;
use field_ledger::i18n::I18nContextProvider;
use field_ledger::pages::{FollowUpsPanel, PicklistManager};
use field_ledger::state::AppState;
use field_ledger::storage::{KeyValue, MemoryStorage, StorageError};
use leptos::prelude::*;
use leptos_router::components::Router;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn today() -> time::Date {
    field_ledger::browser::today()
}

/// Memory storage whose writes can be made to fail, to see that nothing changes then.
#[derive(Clone, Default)]
struct Faulty {
    inner: Rc<MemoryStorage>,
    fail_writes: Rc<Cell<bool>>,
}

impl KeyValue for Faulty {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        if self.fail_writes.get() {
            return Err(StorageError::QuotaExceeded);
        }
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        if self.fail_writes.get() {
            return Err(StorageError::QuotaExceeded);
        }
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.inner.keys()
    }
}

fn new_state(language: Language) -> AppState {
    let state = AppState::start_with(Box::new(MemoryStorage::default()));
    signed_in(state, language)
}

fn signed_in(state: AppState, language: Language) -> AppState {
    state
        .update_settings(|s| {
            s.author = "测试员".into();
            s.language = language;
        })
        .unwrap();
    state
}

type Mounted = (Box<dyn std::any::Any>, web_sys::HtmlElement);

/// Mounts the whole app at `path` over the given state.
async fn mount_app(path: &str, state: AppState) -> Mounted {
    go_to(path);
    mount(move || {
        provide_context(state);
        view! { <AppWith /> }.into_any()
    })
    .await
}

/// Mounts one component inside the app's frame (language, router), as a page would hold it.
async fn mount_in_shell(state: AppState, component: fn() -> AnyView) -> Mounted {
    go_to("/");
    mount(move || {
        provide_context(state);
        view! {
            <I18nContextProvider>
                <Router>
                    <Shell>{component()}</Shell>
                </Router>
            </I18nContextProvider>
        }
        .into_any()
    })
    .await
}

fn go_to(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
}

async fn mount(view: impl FnOnce() -> AnyView + 'static) -> Mounted {
    let parent: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    let handle = leptos::mount::mount_to(parent.clone(), view);
    settle().await;
    (Box::new(handle), parent)
}

/// Unmounts and lets the disposal finish before the next test mounts its own router.
async fn unmount((handle, parent): Mounted) {
    settle().await;
    drop(handle);
    leptos::task::tick().await;
    parent.remove();
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

/// Waits for timers (a fake GPS answers from a timer, as a real one does).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    settle().await;
}

fn find(parent: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    parent
        .query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn query(parent: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    find(parent, selector).unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

fn text(parent: &web_sys::HtmlElement, selector: &str) -> String {
    query(parent, selector).text_content().unwrap_or_default()
}

fn value(parent: &web_sys::HtmlElement, selector: &str) -> String {
    query(parent, selector)
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn fire(target: &web_sys::EventTarget, name: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Focuses a field (as a tap does) and types its whole value.
async fn type_into(parent: &web_sys::HtmlElement, selector: &str, text: &str) {
    let input: web_sys::HtmlInputElement = query(parent, selector).unchecked_into();
    let _ = input.focus();
    fire(&input, "focusin");
    input.set_value(text);
    fire(&input, "input");
    settle().await;
}

/// Picks an option of a select by its value.
async fn choose(parent: &web_sys::HtmlElement, selector: &str, option: &str) {
    let select = query(parent, selector);
    js_sys::Reflect::set(&select, &"value".into(), &option.into()).unwrap();
    fire(&select, "change");
    settle().await;
}

async fn click(parent: &web_sys::HtmlElement, selector: &str) {
    query(parent, selector).click();
    settle().await;
}

/// The button among `selector` whose text is `label`.
fn button_with_text(
    parent: &web_sys::HtmlElement,
    selector: &str,
    label: &str,
) -> Option<web_sys::HtmlElement> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.unchecked_into::<web_sys::HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
}

async fn save(parent: &web_sys::HtmlElement) {
    click(parent, "form.record-form button[type=submit]").await;
}

fn path() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

fn visit_body(date: &str, host: &str, commissioners: &str) -> VisitInput {
    VisitInput {
        date: date.into(),
        host: host.into(),
        commissioners: commissioners.into(),
        ..VisitInput::blank(today())
    }
}

fn visit(input: VisitInput) -> RecordBody {
    RecordBody::Visit(input.validate(today()).unwrap())
}

fn technology(name: &str) -> RecordBody {
    RecordBody::Technology(
        TechnologyInput {
            name: name.into(),
            introduced_on: "2022-03-01".into(),
            ..TechnologyInput::blank(today())
        }
        .validate(today())
        .unwrap(),
    )
}

fn training(topic: &str) -> RecordBody {
    RecordBody::Training(
        TrainingInput {
            date: "2022-06-15".into(),
            topic: topic.into(),
            trainers: "李明、张华".into(),
            county: "盖州市".into(),
            township: "九寨镇".into(),
            attendance: "45".into(),
            start_time: "09:00".into(),
            end_time: "11:30".into(),
            ..TrainingInput::blank(today())
        }
        .validate(today())
        .unwrap(),
    )
}

fn the_visit(state: AppState, id: Uuid) -> (Record, Visit) {
    let record = state
        .ledger
        .with_untracked(|l| l.get(&id).cloned())
        .unwrap();
    let RecordBody::Visit(v) = record.body.clone() else {
        panic!("a visit")
    };
    (record, v)
}

/// The id in the path of a record's page.
fn id_in_path() -> Uuid {
    Uuid::parse_str(path().rsplit('/').next().unwrap()).unwrap()
}

#[wasm_bindgen_test]
async fn earlier_values_are_offered_and_a_tap_completes_the_field() {
    let state = new_state(Language::Zh);
    for date in ["2022-06-01", "2022-06-08"] {
        state
            .create(visit(visit_body(date, "辽宁东盛集团", "赵志强、李明")))
            .unwrap();
    }
    state
        .create(visit(visit_body("2022-06-09", "营口天域米业", "王芳")))
        .unwrap();
    let mounted = mount_app("/visits/new", state).await;
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

    let (_, saved) = the_visit(state, id_in_path());
    assert_eq!(saved.host, "辽宁东盛集团");
    assert_eq!(saved.commissioners, ["赵志强", "李明"]);
    assert_eq!(saved.team_name, "营口市水稻科技特派团");
    unmount(mounted).await;
}

/// Puts a fake `navigator.geolocation` in place (`None`: a browser without one).
fn fake_geolocation(get_current_position: Option<&str>) {
    let value = match get_current_position {
        Some(body) => format!(
            "{{ getCurrentPosition(ok, fail, options) {{ window.__geoCalls = (window.__geoCalls || 0) + 1; window.__geoOptions = options; {body} }} }}"
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
        "delete navigator.geolocation; delete window.__geoOptions; delete window.__geoCalls;",
    )
    .call0(&JsValue::NULL)
    .unwrap();
}

const REFUSE: &str = "setTimeout(() => fail({ code: 1, PERMISSION_DENIED: 1, message: 'User denied Geolocation' }), 5);";
const NO_FIX: &str = "setTimeout(() => fail({ code: 2, POSITION_UNAVAILABLE: 2, message: 'Position unavailable' }), 5);";
const TIME_OUT: &str =
    "setTimeout(() => fail({ code: 3, TIMEOUT: 3, message: 'Timeout expired' }), 5);";
const FOUND: &str = "setTimeout(() => ok({ coords: { latitude: 40.6653, longitude: 122.2352, accuracy: 12.4 }, timestamp: Date.now() }), 5);";

#[wasm_bindgen_test]
async fn a_refused_position_says_so_and_the_visit_still_saves() {
    let state = new_state(Language::Zh);
    let mounted = mount_app("/visits/new", state).await;
    let parent = &mounted.1;
    fake_geolocation(Some(REFUSE));
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "营口天域米业").await;
    click(parent, "#locate-position").await;
    sleep(30).await;
    let status = text(parent, "#location-status");
    assert!(status.contains("未获准使用位置"), "{status}");
    assert!(status.contains("不填也可以保存"), "{status}");
    assert_eq!(value(parent, "#field-latitude"), "");
    save(parent).await;
    real_geolocation();

    let (_, saved) = the_visit(state, id_in_path());
    assert_eq!(saved.location, None);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn no_geolocation_no_fix_and_a_timeout_each_say_so_in_english_too() {
    let state = new_state(Language::En);
    let mounted = mount_app("/technologies/new", state).await;
    let parent = &mounted.1;
    for (fake, expected) in [
        (None, "cannot find its position"),
        (Some(NO_FIX), "cannot find its position"),
        (Some(TIME_OUT), "took too long"),
        (Some(REFUSE), "was refused"),
    ] {
        fake_geolocation(fake);
        click(parent, "#locate-position").await;
        sleep(30).await;
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
    let record = state
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
    let state = new_state(Language::Zh);
    let mounted = mount_app("/visits/new", state).await;
    let parent = &mounted.1;
    fake_geolocation(Some(FOUND));
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "营口天域米业").await;
    click(parent, "#locate-position").await;
    sleep(30).await;

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

    let (_, saved) = the_visit(state, id_in_path());
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
    let state = new_state(Language::Zh);
    let mounted = mount_app("/visits/new", state).await;
    let parent = &mounted.1;
    type_into(parent, "#field-commissioners", "赵志强").await;
    type_into(parent, "#field-host", "营口天域米业").await;
    type_into(parent, "#field-latitude", "95").await;
    type_into(parent, "#field-longitude", "东经").await;
    save(parent).await;
    assert_eq!(state.ledger.with_untracked(|l| l.len()), 0);
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
    click(parent, "#locate-position").await;
    sleep(30).await;
    real_geolocation();
    assert!(find(parent, ".location-captured").is_some());
    type_into(parent, "#field-latitude", "40.6660").await;
    assert!(find(parent, ".location-captured").is_none());
    save(parent).await;
    let (_, saved) = the_visit(state, id_in_path());
    let point = saved.location.unwrap();
    assert_eq!(point.latitude, 40.666);
    assert_eq!(point.accuracy_m, None);
    assert_eq!(point.captured_at, None);
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn new_from_this_one_copies_a_training_dated_today_as_a_new_record() {
    let state = new_state(Language::Zh);
    let original = state
        .create(training("水稻病虫害绿色防控技术培训"))
        .unwrap();
    let mounted = mount_app(&format!("/trainings/{original}"), state).await;
    let parent = &mounted.1;
    assert_eq!(
        query(parent, "#copy-record").get_attribute("href").unwrap(),
        format!("/trainings/new?from={original}")
    );
    unmount(mounted).await;
    // The page the link opens. (A click is not used: in this shared test page it can be
    // taken by a router an earlier test mounted. The e2e test clicks it.)
    let mounted = mount_app(&format!("/trainings/new?from={original}"), state).await;
    let parent = &mounted.1;
    settle().await;
    assert_eq!(path(), "/trainings/new");
    assert!(text(parent, "#copied-from").contains("水稻病虫害绿色防控技术培训"));
    assert_eq!(value(parent, "#field-topic"), "水稻病虫害绿色防控技术培训");
    assert_eq!(value(parent, "#field-trainers"), "李明、张华");
    assert_eq!(value(parent, "#field-starttime"), "09:00");
    assert_eq!(
        value(parent, "#field-date"),
        field_ledger::domain::input::format_date(today())
    );
    save(parent).await;

    let copy = id_in_path();
    assert_ne!(copy, original);
    let ledger = state.ledger.get_untracked();
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
    let mounted = mount_app(&format!("/trainings/new?from={}", Uuid::nil()), state).await;
    assert!(find(&mounted.1, ".prefill-note").is_some());
    assert_eq!(value(&mounted.1, "#field-topic"), "");
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_visit_links_technologies_and_both_pages_show_the_link() {
    let state = new_state(Language::Zh);
    let film = state.create(technology("低成本可控生物降解地膜")).unwrap();
    let rice = state.create(technology("域稻17香味性状分子育种")).unwrap();
    let mounted = mount_app("/visits/new", state).await;
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
    let (_, saved) = the_visit(state, visit_id);
    assert_eq!(saved.technology_ids, [film]);
    assert_eq!(
        texts(parent, "#linked-technologies a"),
        ["低成本可控生物降解地膜"]
    );
    unmount(mounted).await;

    // The technology's page lists the visit, with counts.
    let mounted = mount_app(&format!("/technologies/{film}"), state).await;
    let parent = &mounted.1;
    assert!(text(parent, "#concerning .concerning-counts").contains("特派服务 1 次"));
    let rows = texts(parent, "#concerning a");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("辽宁东盛集团"), "{rows:?}");
    unmount(mounted).await;

    // A deleted technology is named as such, never a crash.
    state.delete(film).unwrap();
    let mounted = mount_app(&format!("/visits/{visit_id}"), state).await;
    assert_eq!(
        texts(&mounted.1, "#linked-technologies li"),
        ["已删除的技术记录"]
    );
    unmount(mounted).await;
}

fn overdue_visit() -> RecordBody {
    visit(VisitInput {
        follow_up_needed: true,
        follow_up_by: "2022-06-10".into(),
        technologies: "水稻侧深施肥".into(),
        ..visit_body("2022-06-01", "营口天域米业", "赵志强、李明")
    })
}

#[wasm_bindgen_test]
async fn the_follow_up_visit_starts_from_the_original_and_resolves_it() {
    let state = new_state(Language::Zh);
    let original = state.create(overdue_visit()).unwrap();
    let mounted = mount_in_shell(state, || view! { <FollowUpsPanel /> }.into_any()).await;
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

    let mounted = mount_app(&format!("/visits/new?follow_up={original}"), state).await;
    let parent = &mounted.1;
    assert!(text(parent, "#following-up").contains("营口天域米业"));
    assert_eq!(value(parent, "#field-host"), "营口天域米业");
    assert_eq!(value(parent, "#field-commissioners"), "赵志强、李明");
    type_into(parent, "#field-problems", "侧深施肥后长势良好").await;
    save(parent).await;
    let follow = id_in_path();
    let (_, saved) = the_visit(state, follow);
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
    let ledger = state.ledger.get_untracked();
    assert!(follow_ups(&ledger, today()).overdue.is_empty());
    unmount(mounted).await;

    // Nothing due: the panel is not there at all.
    let mounted = mount_in_shell(state, || view! { <FollowUpsPanel /> }.into_any()).await;
    assert!(find(&mounted.1, "#follow-ups").is_none());
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn mark_done_saves_a_new_revision_and_the_follow_up_leaves_the_panel() {
    let state = new_state(Language::Zh);
    let original = state.create(overdue_visit()).unwrap();
    let due_this_week = state
        .create(visit(VisitInput {
            follow_up_needed: true,
            follow_up_by: field_ledger::domain::input::format_date(today()),
            ..visit_body("2022-06-02", "盖州市九寨镇五美房村", "王芳")
        }))
        .unwrap();
    let mounted = mount_in_shell(state, || view! { <FollowUpsPanel /> }.into_any()).await;
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
    let (record, v) = the_visit(state, original);
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

fn host_visits(state: AppState) {
    for host in ["辽宁东盛集团", "辽宁东盛集团", "辽宁东盛集团公司"] {
        state
            .create(visit(visit_body("2022-06-01", host, "赵志强")))
            .unwrap();
    }
}

fn hosts(state: AppState) -> Vec<String> {
    let mut hosts: Vec<String> = state.ledger.with_untracked(|l| {
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
    let state = new_state(Language::Zh);
    host_visits(state);
    let mounted = mount_in_shell(state, || view! { <PicklistManager /> }.into_any()).await;
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
    assert_eq!(hosts(state), ["辽宁东盛集团"; 3]);
    assert_eq!(
        text(parent, ".picklist-outcome"),
        "已在 1 条记录中把“辽宁东盛集团公司”改为“辽宁东盛集团”。"
    );
    let revisions: Vec<u32> = state.ledger.with_untracked(|l| {
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
    assert_eq!(hosts(state), ["辽宁东盛集团有限公司"; 3]);
    assert!(text(parent, ".picklist-outcome").contains("已在 3 条记录中"));
    assert_eq!(
        texts(parent, ".picklist-value .value-name"),
        ["辽宁东盛集团有限公司"]
    );
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_rename_that_cannot_be_stored_changes_nothing_and_says_so_in_english() {
    let storage = Faulty::default();
    let state = signed_in(
        AppState::start_with(Box::new(storage.clone())),
        Language::En,
    );
    host_visits(state);
    let before = state.ledger.get_untracked();
    let mounted = mount_in_shell(state, || view! { <PicklistManager /> }.into_any()).await;
    let parent = &mounted.1;
    choose(parent, "#picklist-choose", "hosts").await;
    edit_value(parent, "辽宁东盛集团").await;
    type_into(parent, "#rename-to", "辽宁东盛集团有限公司").await;
    storage.fail_writes.set(true);
    click(parent, "#confirm-rename").await;
    let message = text(parent, ".picklist-outcome");
    assert!(message.starts_with("Not saved:"), "{message}");
    assert!(message.contains("No record was changed"), "{message}");
    assert_eq!(
        query(parent, ".picklist-outcome")
            .get_attribute("role")
            .as_deref(),
        Some("alert")
    );
    assert_eq!(state.ledger.get_untracked(), before);
    // Once storage works again the same rename goes through.
    storage.fail_writes.set(false);
    click(parent, "#confirm-rename").await;
    assert_eq!(
        text(parent, ".picklist-outcome"),
        "Changed “辽宁东盛集团” to “辽宁东盛集团有限公司” in 2 records."
    );
    unmount(mounted).await;
}
