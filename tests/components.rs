//! Tier 2: the record forms and pages, mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use field_ledger::app::AppWith;
use field_ledger::domain::*;
use field_ledger::state::AppState;
use field_ledger::storage::MemoryStorage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the whole app at `path` over an in-memory store; returns the state and the
/// handle that keeps it mounted.
async fn mount_at(
    path: &str,
    language: Language,
) -> (AppState, Box<dyn std::any::Any>, web_sys::HtmlElement) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
    let state = AppState::start_with(Box::new(MemoryStorage::default()));
    state
        .update_settings(|s| {
            s.author = "测试员".into();
            s.language = language;
        })
        .unwrap();
    let parent: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        provide_context(state);
        view! { <AppWith /> }
    });
    leptos::task::tick().await;
    (state, Box::new(handle), parent)
}

/// Unmounts and lets the disposal finish before the next test mounts its own router.
async fn unmount(handle: Box<dyn std::any::Any>) {
    // Let effects queued by the last navigation run while their owners are alive.
    for _ in 0..3 {
        leptos::task::tick().await;
    }
    drop(handle);
    leptos::task::tick().await;
}

fn query(parent: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    parent
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into()
}

fn type_into(parent: &web_sys::HtmlElement, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = query(parent, selector).unchecked_into();
    input.set_value(value);
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    input.dispatch_event(&event).unwrap();
}

async fn submit(parent: &web_sys::HtmlElement) {
    query(parent, "form.record-form button[type=submit]").click();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn the_training_form_saves_a_valid_training() {
    let (state, handle, parent) = mount_at("/trainings/new", Language::Zh).await;
    type_into(&parent, "#field-date", "2022-06-10");
    type_into(&parent, "#field-topic", "设施蔬菜栽培");
    type_into(&parent, "#field-attendance", "38");
    type_into(&parent, "#field-trainers", "刘强，陈静");
    submit(&parent).await;

    let ledger = state.ledger.get_untracked();
    let trainings = ledger.list(RecordKind::Training);
    assert_eq!(trainings.len(), 1);
    let RecordBody::Training(training) = &trainings[0].body else {
        panic!("a training")
    };
    assert_eq!(training.topic, "设施蔬菜栽培");
    assert_eq!(training.attendance, 38);
    assert_eq!(training.trainers, vec!["刘强", "陈静"]);
    assert_eq!(trainings[0].author, "测试员");
    // After saving, the record's page is shown.
    leptos::task::tick().await;
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(path, format!("/trainings/{}", trainings[0].id));
    unmount(handle).await;
}

#[wasm_bindgen_test]
async fn the_training_form_shows_errors_beside_fields_and_saves_nothing() {
    let (state, handle, parent) = mount_at("/trainings/new", Language::Zh).await;
    type_into(&parent, "#field-attendance", "-5");
    submit(&parent).await;

    assert_eq!(state.ledger.get_untracked().len(), 0);
    assert_eq!(
        query(&parent, "#field-topic-error").text_content().unwrap(),
        "必须填写"
    );
    assert_eq!(
        query(&parent, "#field-attendance-error")
            .text_content()
            .unwrap(),
        "不能小于 0"
    );
    assert_eq!(
        query(&parent, "#field-attendance")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    let input: web_sys::HtmlInputElement = query(&parent, "#field-attendance").unchecked_into();
    assert_eq!(input.value(), "-5", "what was typed is kept");
    assert!(
        query(&parent, ".error-summary")
            .text_content()
            .unwrap()
            .contains('2')
    );
    unmount(handle).await;
}

#[wasm_bindgen_test]
async fn the_interface_follows_the_language_setting() {
    let (_state, handle, parent) = mount_at("/visits/new", Language::En).await;
    leptos::task::tick().await;
    let label = query(&parent, "label[for=field-host]")
        .text_content()
        .unwrap();
    assert!(label.starts_with("Host"), "{label}");
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    unmount(handle).await;
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn the_dashboard_shows_the_sample_year_against_its_targets() {
    use field_ledger::domain::progress;
    use field_ledger::domain::sample::SAMPLE_TOTALS_2022;

    let (state, handle, parent) = mount_at("/?year=2022", Language::Zh).await;
    state.load_sample().unwrap();
    leptos::task::tick().await;

    // The page shows what the domain counts, and the domain counts the sample's known totals.
    let totals = progress::year_totals(&state.ledger.get_untracked(), 2022);
    assert_eq!(totals, SAMPLE_TOTALS_2022);
    let target = |measure: &str, attribute: &str| {
        query(&parent, &format!(".target[data-measure={measure}]"))
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
    assert_eq!(texts(&parent, ".target .pace.closed").len(), 3);
    let figure = |key: &str| {
        query(&parent, &format!(".figure[data-figure={key}] dd"))
            .text_content()
            .unwrap()
    };
    assert_eq!(figure("visits"), "8");
    assert_eq!(figure("commissioners"), "6");
    assert_eq!(figure("hosts"), "8");
    assert_eq!(figure("demo-area"), "480.5");
    assert_eq!(figure("promoted-area"), "2800");
    assert_eq!(figure("households"), "257");
    // Counties in the report's order, each with its attendance.
    let counties: Vec<String> = {
        let rows = parent.query_selector_all("#county-table tbody tr").unwrap();
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .map(|n| {
                n.unchecked_into::<web_sys::Element>()
                    .get_attribute("data-county")
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(
        counties,
        ["鲅鱼圈区", "老边区", "盖州市", "大石桥市", "营口高新区"]
    );
    // The charts carry their figures as text for screen readers.
    let label = query(&parent, "svg.chart.horizontal")
        .get_attribute("aria-label")
        .unwrap();
    assert!(label.contains("大石桥市 42"), "{label}");
    unmount(handle).await;
}

#[wasm_bindgen_test]
async fn the_list_filter_shows_what_the_domain_filter_finds() {
    use field_ledger::domain::filter::{ListFilter, matches};

    let (state, handle, parent) = mount_at(
        "/visits?county=%E5%A4%A7%E7%9F%B3%E6%A1%A5%E5%B8%82",
        Language::Zh,
    )
    .await;
    state.load_sample().unwrap();
    leptos::task::tick().await;

    let expected = |filter: &ListFilter| -> Vec<String> {
        state.ledger.with_untracked(|l| {
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
        texts(&parent, ".record-list .row-title")
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
        query(&parent, "p.count")
            .get_attribute("data-count")
            .as_deref(),
        Some("3")
    );

    // Typing narrows the list, and the words go into the URL.
    let word: String = by_county[0].chars().take(2).collect();
    type_into(&parent, "#filter-text", &word);
    for _ in 0..3 {
        leptos::task::tick().await;
    }
    filter.text = word.clone();
    let by_text = expected(&filter);
    assert!(!by_text.is_empty() && by_text.len() < by_county.len() + 1);
    assert_eq!(shown(), by_text);
    // The URL follows once typing pauses.
    let search = || web_sys::window().unwrap().location().search().unwrap();
    assert!(!search().contains("q="), "{}", search());
    sleep_ms(500).await;
    assert!(search().contains("q="), "{}", search());
    unmount(handle).await;
}
