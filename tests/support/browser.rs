//! The browser tier's helpers: the real localStorage, apps over memory, pages mounted into
//! the test page, their parts found and used as an officer would, and waiting for what the
//! page does later (timers, debounced writes, a fake GPS) without fixed sleeps.

use field_ledger::app::AppWith;
use field_ledger::components::layout::Shell;
use field_ledger::domain::Language;
use field_ledger::state::App;
use field_ledger::storage::MemoryStorage;
use leptos::prelude::*;
use leptos_router::components::Router;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Every key and value in localStorage, sorted: what "storage is unchanged" compares.
pub fn snapshot() -> Vec<(String, String)> {
    let storage = local_storage();
    let mut all: Vec<_> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .map(|k| {
            let v = storage.get_item(&k).unwrap().unwrap_or_default();
            (k, v)
        })
        .collect();
    all.sort();
    all
}

/// Writes a line the test script collects at the end of the run ("fault cases tried").
pub fn report_fault_case(case: &str) {
    web_sys::console::log_1(&format!("[fault case] {case}").into());
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Today where the browser is, as the forms take it.
pub fn today() -> time::Date {
    field_ledger::browser::today()
}

/// An app over memory, signed in as 测试员, in `language`.
pub fn new_app(language: Language) -> App {
    signed_in(
        App::start_with(Box::new(MemoryStorage::default())),
        language,
    )
}

pub fn signed_in(app: App, language: Language) -> App {
    app.settings
        .update(|s| {
            s.author = "测试员".into();
            s.language = language;
        })
        .unwrap();
    app
}

/// What keeps a mounted view alive, and the element it is mounted in.
pub type Mounted = (Box<dyn std::any::Any>, web_sys::HtmlElement);

/// Mounts the whole app at `path` over the given state.
pub async fn mount_app(path: &str, app: App) -> Mounted {
    go_to(path);
    mount(move || {
        provide_context(app);
        view! { <AppWith /> }.into_any()
    })
    .await
}

/// Mounts the whole app at `path` over the given state, with its photos in `photos`.
pub async fn mount_app_with_photos(
    path: &str,
    app: App,
    photos: field_ledger::storage::photos::PhotoStore,
) -> Mounted {
    go_to(path);
    mount(move || {
        provide_context(app);
        provide_context(photos);
        view! { <AppWith /> }.into_any()
    })
    .await
}

/// Mounts one component inside the app's frame (language, router), as a page would hold it.
pub async fn mount_in_shell(app: App, component: fn() -> AnyView) -> Mounted {
    go_to("/");
    mount(move || {
        provide_context(app);
        let settings = app.settings.settings;
        field_ledger::language::provide_i18n(Signal::derive(move || settings.with(|s| s.language)));
        view! {
            <Router>
                <Shell>{component()}</Shell>
            </Router>
        }
        .into_any()
    })
    .await
}

pub fn go_to(path: &str) {
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
pub async fn unmount((handle, parent): Mounted) {
    // Effects queued by the last navigation run while their owners are alive.
    settle().await;
    drop(handle);
    leptos::task::tick().await;
    parent.remove();
}

/// Lets the reactive system run what a change queued (effects, the DOM's update).
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

/// Gives the browser its turn for `ms` milliseconds (timers fire), then lets effects run.
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    settle().await;
}

/// How long [`wait_until`] waits at most: generous, for a slow machine under load. A test
/// that passes waits only as long as the page needs.
pub const DEADLINE_MS: f64 = 10_000.0;

/// Waits until `condition` holds, giving the browser its turn between looks, and fails
/// after [`DEADLINE_MS`] saying what did not happen.
pub async fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let started = js_sys::Date::now();
    loop {
        if condition() {
            return;
        }
        let waited = js_sys::Date::now() - started;
        assert!(waited < DEADLINE_MS, "waited {waited} ms for {what}");
        pause(10).await;
    }
}

/// Scrolls to the end of the page until `condition` holds, as a user scrolls down a home
/// screen whose lower parts are drawn only when scrolled to (`WhenVisible`).
pub async fn scroll_until(what: &str, mut condition: impl FnMut() -> bool) {
    wait_until(what, || {
        if let Some(window) = web_sys::window() {
            let end = window
                .document()
                .and_then(|d| d.document_element())
                .map_or(0, |e| e.scroll_height());
            window.scroll_to_with_x_and_y(0.0, f64::from(end));
        }
        condition()
    })
    .await;
}

pub fn find(parent: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    parent
        .query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

pub fn query(parent: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    find(parent, selector).unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// The trimmed text of every element matching `selector`, in order.
pub fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The value of `attribute` on every element matching `selector`, in order.
pub fn attributes(parent: &web_sys::HtmlElement, selector: &str, attribute: &str) -> Vec<String> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| {
            n.unchecked_into::<web_sys::Element>()
                .get_attribute(attribute)
        })
        .collect()
}

pub fn text(parent: &web_sys::HtmlElement, selector: &str) -> String {
    query(parent, selector).text_content().unwrap_or_default()
}

/// The value of an input.
pub fn value(parent: &web_sys::HtmlElement, selector: &str) -> String {
    query(parent, selector)
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

pub fn fire(target: &web_sys::EventTarget, name: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Focuses a field (as a tap does) and types its whole value.
pub async fn type_into(parent: &web_sys::HtmlElement, selector: &str, text: &str) {
    let input: web_sys::HtmlInputElement = query(parent, selector).unchecked_into();
    let _ = input.focus();
    fire(&input, "focusin");
    input.set_value(text);
    fire(&input, "input");
    settle().await;
}

/// Picks an option of a select by its value.
pub async fn choose(parent: &web_sys::HtmlElement, selector: &str, option: &str) {
    let select = query(parent, selector);
    js_sys::Reflect::set(&select, &"value".into(), &option.into()).unwrap();
    fire(&select, "change");
    settle().await;
}

pub async fn click(parent: &web_sys::HtmlElement, selector: &str) {
    query(parent, selector).click();
    settle().await;
}

/// The button among `selector` whose text is `label`.
pub fn button_with_text(
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

/// Presses the record form's save button.
pub async fn save(parent: &web_sys::HtmlElement) {
    click(parent, "form.record-form button[type=submit]").await;
}

pub fn path() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

pub fn search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

/// The id in the path of a record's page.
pub fn id_in_path() -> Uuid {
    Uuid::parse_str(path().rsplit('/').next().unwrap())
        .unwrap_or_else(|_| panic!("not a record's page: {}", path()))
}
