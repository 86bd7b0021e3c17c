//! The browser's APIs other than storage, wrapped once: clock, randomness, files, focus,
//! the tablet's position, timing marks and hashing. Components call these; nothing else in
//! the app touches `web_sys` for them.

use std::cell::Cell;
use std::rc::Rc;

use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

/// The current instant, from the browser's clock.
pub fn now() -> OffsetDateTime {
    let nanos = (js_sys::Date::now() * 1_000_000.0) as i128;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Today's date where the officer is (the tablet's time zone), which is the date they mean.
pub fn today() -> Date {
    let js = js_sys::Date::new_0();
    Month::try_from(js.get_month() as u8 + 1)
        .ok()
        .and_then(|month| {
            Date::from_calendar_date(js.get_full_year() as i32, month, js.get_date() as u8).ok()
        })
        .unwrap_or_else(|| now().date())
}

/// A random (version 4) UUID from the browser's cryptographic generator.
pub fn new_id() -> Uuid {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Only very old browsers lack crypto.getRandomValues; ids must still differ.
        for byte in bytes.iter_mut() {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Offers a file to the user as a download: its `parts` (UTF-8 text) one after the other.
/// Handed over as bytes: a copy, where a JavaScript string would be decoded and then encoded
/// again.
pub fn download(file_name: &str, mime: &str, parts: &[&[u8]]) -> Result<(), String> {
    let describe = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts: js_sys::Array = parts
        .iter()
        .map(|part| js_sys::Uint8Array::from(*part))
        .collect();
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Some browsers read the blob after the click returns; free it a little later.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// The text of a file the user picked or dropped.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| format!("{e:?}"))?;
    text.as_string().ok_or_else(|| "not text".to_owned())
}

/// Waits `delay` (a sync's pause before it tries a request again).
pub async fn sleep(delay: std::time::Duration) {
    let millis = i32::try_from(delay.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Lets the browser paint and handle input before long work continues.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The path the app is served under, from the `<base href>` trunk writes into index.html:
/// `""` at the root of a host, `"/field-ledger"` when built with `--public-url /field-ledger/`.
/// A page without a `<base>` element is served from the root.
pub fn base_path() -> String {
    let document = web_sys::window().and_then(|w| w.document());
    let declared = document
        .as_ref()
        .and_then(|d| d.query_selector("base[href]").ok().flatten())
        .is_some();
    if !declared {
        return String::new();
    }
    let base = document
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| url.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_owned()
}

thread_local! {
    static BASE_PATH: String = base_path();
}

/// The link to one of the app's own pages (`"/trainings"`), under the path it is served from.
/// Router navigation adds this prefix itself; links (`<A href>`) need it spelled out.
pub fn app_href(path: &str) -> String {
    BASE_PATH.with(|base| format!("{base}{path}"))
}

/// Runs `work` and records how long it took as a User Timing measure named `name`
/// (`performance.getEntriesByName(name)`), which the benchmarks read.
pub fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let timing = Timing::start(name);
    let result = work();
    timing.end();
    result
}

/// A User Timing measure around work that may wait (see [`measured`]).
pub struct Timing {
    name: String,
}

impl Timing {
    pub fn start(name: &str) -> Timing {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(&format!("{name}:start"));
        }
        Timing {
            name: name.to_owned(),
        }
    }

    pub fn end(self) {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ =
                performance.measure_with_start_mark(&self.name, &format!("{}:start", self.name));
        }
    }
}

/// The SHA-256 of `bytes` by the browser's `crypto.subtle`, many times faster than hashing
/// in WebAssembly; `None` where the browser offers none (a page served over plain HTTP from
/// another machine). The browser has the bytes copied when this returns, and the page can go
/// on working until it awaits the digest (`None` if hashing failed): a browser that hashes
/// in the background does so meanwhile. (Chromium 156 hashes before it returns.)
pub fn start_sha256(bytes: &[u8]) -> Option<impl Future<Output = Option<Vec<u8>>> + use<>> {
    let crypto = web_sys::window()?.crypto().ok()?;
    // `crypto.subtle` is undefined outside secure contexts.
    let subtle = js_sys::Reflect::get(&crypto, &"subtle".into()).ok()?;
    if subtle.is_undefined() {
        return None;
    }
    let subtle: web_sys::SubtleCrypto = subtle.unchecked_into();
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", bytes).ok()?;
    Some(async move {
        let digest = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        Some(js_sys::Uint8Array::new(&digest).to_vec())
    })
}

/// Moves the keyboard focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Puts the focus on the page's heading, so that keyboard and screen-reader users start at
/// the top of new content.
pub fn focus_heading() {
    let heading = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.set_attribute("tabindex", "-1");
        let _ = heading.focus();
    }
}

/// Asks the user a yes/no question (the browser's own dialog); yes when it cannot ask.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(true)
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// A position the browser reported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    pub captured_at: OffsetDateTime,
}

/// Why the tablet gave no position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoPosition {
    /// The officer (or the browser's settings) refused the app the position.
    Denied,
    /// No GPS, no signal, or a browser without geolocation.
    Unavailable,
    TimedOut,
}

/// How long the GPS may take, and how old a position it may reuse.
const GEO_TIMEOUT_MS: f64 = 20_000.0;
const GEO_MAXIMUM_AGE_MS: f64 = 60_000.0;

pub fn property(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn read_position(position: &JsValue) -> Option<Position> {
    let coords = property(position, "coords");
    let latitude = property(&coords, "latitude").as_f64()?;
    let longitude = property(&coords, "longitude").as_f64()?;
    let valid = latitude.is_finite()
        && longitude.is_finite()
        && (-90.0..=90.0).contains(&latitude)
        && (-180.0..=180.0).contains(&longitude);
    if !valid {
        return None;
    }
    let accuracy_m = property(&coords, "accuracy")
        .as_f64()
        .filter(|a| a.is_finite() && *a >= 0.0);
    let captured_at = property(position, "timestamp")
        .as_f64()
        .filter(|ms| ms.is_finite() && *ms > 0.0)
        .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos((ms * 1_000_000.0) as i128).ok())
        .unwrap_or_else(now);
    Some(Position {
        latitude,
        longitude,
        accuracy_m,
        captured_at,
    })
}

/// Asks `navigator.geolocation` (read when called, so that tests can put a fake in its place)
/// for the current position; `done` gets the position or why there is none, once.
pub fn locate(done: impl FnOnce(Result<Position, NoPosition>) + 'static) {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    type Done = Box<dyn FnOnce(Result<Position, NoPosition>)>;
    let done: Rc<RefCell<Option<Done>>> = Rc::new(RefCell::new(Some(Box::new(done))));
    let finish = move |result: Result<Position, NoPosition>| {
        // Only the first answer counts (a faulty fake might call both).
        if let Some(done) = done.borrow_mut().take() {
            done(result);
        }
    };
    let geolocation = web_sys::window()
        .map(|w| property(&w.navigator(), "geolocation"))
        .filter(|g| g.is_object());
    let Some(geolocation) = geolocation else {
        return finish(Err(NoPosition::Unavailable));
    };
    let Ok(get_current) =
        property(&geolocation, "getCurrentPosition").dyn_into::<js_sys::Function>()
    else {
        return finish(Err(NoPosition::Unavailable));
    };
    let on_success = Closure::once_into_js({
        let finish = finish.clone();
        move |position: JsValue| finish(read_position(&position).ok_or(NoPosition::Unavailable))
    });
    let on_error = Closure::once_into_js({
        let finish = finish.clone();
        move |error: JsValue| {
            finish(Err(match property(&error, "code").as_f64() {
                Some(1.0) => NoPosition::Denied,
                Some(3.0) => NoPosition::TimedOut,
                _ => NoPosition::Unavailable,
            }))
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"enableHighAccuracy".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&options, &"timeout".into(), &GEO_TIMEOUT_MS.into());
    let _ = js_sys::Reflect::set(&options, &"maximumAge".into(), &GEO_MAXIMUM_AGE_MS.into());
    if get_current
        .call3(&geolocation, &on_success, &on_error, &options)
        .is_err()
    {
        finish(Err(NoPosition::Unavailable));
    }
}

/// A date and clock time in the tablet's own time zone, as the officer reads it.
pub fn local_time(at: OffsetDateTime) -> String {
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let js = js_sys::Date::new(&JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        js.get_full_year(),
        js.get_month() + 1,
        js.get_date(),
        js.get_hours(),
        js.get_minutes()
    )
}

/// A listener on the window that runs in the capture phase, ahead of every other listener
/// (the router's link handling among them). It is removed when this is dropped.
pub struct CapturingListener {
    event: &'static str,
    closure: wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>,
}

impl Drop for CapturingListener {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback_and_bool(
                self.event,
                self.closure.as_ref().unchecked_ref(),
                true,
            );
        }
    }
}

/// Listens to `event` on the window in the capture phase until the returned listener is
/// dropped (keep it in the component's owner).
pub fn listen_capturing<E: JsCast + 'static>(
    event: &'static str,
    handler: impl Fn(E) + 'static,
) -> CapturingListener {
    let closure =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            handler(ev.unchecked_into())
        });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback_and_bool(
            event,
            closure.as_ref().unchecked_ref(),
            true,
        );
    }
    CapturingListener { event, closure }
}

/// Whether a click landed on a link (or inside one).
pub fn is_on_link(ev: &web_sys::MouseEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .is_some()
}

/// Puts text on the clipboard (`navigator.clipboard`, which a page served over plain HTTP
/// from another machine does not have); false when it could not.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = property(&window.navigator(), "clipboard");
    let Ok(write) = property(&clipboard, "writeText").dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The `lang` of the page (`<html lang>`), which screen readers and fonts follow.
pub fn set_page_language(lang: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang);
    }
}

/// Prints only the element with this id (the print styles hide the rest while the page's
/// `data-print-only` names it).
pub fn print_only(id: &str) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = &root {
        let _ = root.set_attribute("data-print-only", id);
    }
    print();
    if let Some(root) = &root {
        let _ = root.remove_attribute("data-print-only");
    }
}

/// Whether the browser believes it has a network connection (a `false` is reliable, a `true`
/// only means "maybe").
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// One HTTP request of the live sync, with JSON in and out: the status and the body, or why
/// there was no answer (none within `time_limit` counts as none). It carries the server's
/// session cookie (CouchDB's `AuthSession`, which the browser keeps and scripts cannot read);
/// the password goes only in the body of the sign-in, never in an address, and nothing of a
/// request is logged. No HTTP cache.
pub async fn fetch_json(
    method: &str,
    url: &str,
    body: Option<&str>,
    time_limit: std::time::Duration,
) -> Result<(u16, String), String> {
    let (status, text) = fetch(method, url, body, "application/json", time_limit, "text").await?;
    Ok((status, text.as_string().unwrap_or_default()))
}

/// A GET of the live sync whose answer is bytes (a photo), as [`fetch_json`] does.
pub async fn fetch_bytes(
    url: &str,
    time_limit: std::time::Duration,
) -> Result<(u16, Vec<u8>), String> {
    let (status, buffer) = fetch("GET", url, None, "*/*", time_limit, "arrayBuffer").await?;
    Ok((status, js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// A request, and its answer's body read by `read` (`text` or `arrayBuffer`).
async fn fetch(
    method: &str,
    url: &str,
    body: Option<&str>,
    accept: &str,
    time_limit: std::time::Duration,
    read: &str,
) -> Result<(u16, JsValue), String> {
    use wasm_bindgen_futures::JsFuture;
    let describe = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "no answer".to_owned())
    };
    let headers = web_sys::Headers::new().map_err(describe)?;
    headers.set("Accept", accept).map_err(describe)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(describe)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_credentials(web_sys::RequestCredentials::Include);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    // AbortSignal.timeout is missing from older tablets' browsers: no time limit there.
    let has_timeout = js_sys::Reflect::get(&js_sys::global(), &"AbortSignal".into())
        .and_then(|a| js_sys::Reflect::get(&a, &"timeout".into()))
        .is_ok_and(|t| t.is_function());
    if has_timeout {
        let limit = u32::try_from(time_limit.as_millis()).unwrap_or(u32::MAX);
        init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(limit)));
    }
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(describe)?;
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    let status = response.status();
    let body = settled(call(&response, read, &[]))
        .await
        .map_err(describe)?;
    Ok((status, body))
}

/// Runs `work` while holding the browser-wide lock `name` (the Web Locks API), so that one
/// tab at a time does it: `None`, without running it, when another tab holds the lock. A
/// browser without Web Locks runs it.
pub async fn with_lock<T: 'static>(
    name: &str,
    work: impl Future<Output = T> + 'static,
) -> Option<T> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok())
        .and_then(|r| r.dyn_into::<js_sys::Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        return Some(work.await);
    };
    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let output = result.clone();
    let callback = Closure::once(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            return js_sys::Promise::resolve(&JsValue::FALSE).into();
        }
        wasm_bindgen_futures::future_to_promise(async move {
            let value = work.await;
            *output.borrow_mut() = Some(value);
            Ok(JsValue::TRUE)
        })
        .into()
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let args = js_sys::Array::of3(&JsValue::from_str(name), &options, callback.as_ref());
    let promise = request
        .apply(&locks, &args)
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())?;
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    drop(callback);
    result.borrow_mut().take()
}

/// A save that waits for typing to pause, as Leptos' `debounce` does, but is never dropped:
/// `debounce` clears its timer when its owner goes, and the last words typed with it. A
/// pending save is made at once when its owner is disposed (the page or form left), when the
/// page is hidden (`visibilitychange`: a switch to another app, a closed tab) or unloaded
/// (`pagehide`), and when [`Debounced::flush`] is called.
pub struct Debounced<T: Send + Sync + 'static> {
    inner: std::sync::Arc<DebouncedInner<T>>,
}

struct DebouncedInner<T> {
    pending: std::sync::Mutex<(Option<T>, Option<leptos::prelude::TimeoutHandle>)>,
    save: Box<dyn Fn(T) + Send + Sync>,
    delay: std::time::Duration,
}

impl<T: Send + Sync + 'static> Clone for Debounced<T> {
    fn clone(&self) -> Self {
        Debounced {
            inner: std::sync::Arc::clone(&self.inner),
        }
    }
}

impl<T: Send + Sync + 'static> Debounced<T> {
    /// Saves with `save` once `delay` passed without a new value (or at once, as above).
    pub fn new(delay: std::time::Duration, save: impl Fn(T) + Send + Sync + 'static) -> Self {
        use leptos::prelude::*;
        let debounced = Debounced {
            inner: std::sync::Arc::new(DebouncedInner {
                pending: std::sync::Mutex::new((None, None)),
                save: Box::new(save),
                delay,
            }),
        };
        let on_hide = {
            let debounced = debounced.clone();
            window_event_listener(leptos::ev::visibilitychange, move |_| {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
                if hidden {
                    debounced.flush();
                }
            })
        };
        let on_page_hide = {
            let debounced = debounced.clone();
            window_event_listener(leptos::ev::pagehide, move |_| debounced.flush())
        };
        let on_dispose = debounced.clone();
        on_cleanup(move || {
            on_hide.remove();
            on_page_hide.remove();
            on_dispose.flush();
        });
        debounced
    }

    /// The latest value to save; it replaces one still waiting.
    pub fn push(&self, value: T) {
        let waiting = {
            let Ok(mut pending) = self.inner.pending.lock() else {
                return;
            };
            pending.0 = Some(value);
            pending.1.take()
        };
        if let Some(timer) = waiting {
            timer.clear();
        }
        let later = self.clone();
        if let Ok(timer) =
            leptos::prelude::set_timeout_with_handle(move || later.flush(), self.inner.delay)
            && let Ok(mut pending) = self.inner.pending.lock()
        {
            pending.1 = Some(timer);
        }
    }

    /// Forgets the value waiting, if any (what it would have saved is gone or saved).
    pub fn cancel(&self) {
        let timer = match self.inner.pending.lock() {
            Ok(mut pending) => {
                pending.0 = None;
                pending.1.take()
            }
            Err(_) => return,
        };
        if let Some(timer) = timer {
            timer.clear();
        }
    }

    /// Saves the value waiting, if any, now.
    pub fn flush(&self) {
        let (value, timer) = match self.inner.pending.lock() {
            Ok(mut pending) => (pending.0.take(), pending.1.take()),
            Err(_) => return,
        };
        if let Some(timer) = timer {
            timer.clear();
        }
        if let Some(value) = value {
            (self.inner.save)(value);
        }
    }
}

/// Calls `then` once, when `element` is first within the viewport (IntersectionObserver), or at
/// once where the browser has no IntersectionObserver: a part of the page below the fold is
/// fetched when it is scrolled to.
pub fn when_visible(element: &web_sys::Element, then: impl FnOnce() + 'static) {
    /// What is called once, taken out when it is.
    type Once = Cell<Option<Box<dyn FnOnce()>>>;
    let then: Rc<Once> = Rc::new(Cell::new(Some(Box::new(then))));
    let run = |then: &Once| {
        if let Some(then) = then.take() {
            then();
        }
    };
    let callback = {
        let then = Rc::clone(&then);
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array, JsValue)>::new(
            move |entries: js_sys::Array, observer: JsValue| {
                if entries
                    .iter()
                    .any(|entry| property(&entry, "isIntersecting").as_bool() == Some(true))
                {
                    let _ = call_method(&observer, "disconnect", &[]);
                    run(&then);
                }
            },
        )
    };
    let observed = web_sys::window()
        .map(|w| property(&w, "IntersectionObserver"))
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
        .and_then(|c| js_sys::Reflect::construct(&c, &js_sys::Array::of1(callback.as_ref())).ok())
        .and_then(|observer| call_method(&observer, "observe", &[element.into()]));
    match observed {
        // The observer holds the callback for as long as the element is observed.
        Some(()) => callback.forget(),
        None => run(&then),
    }
}

/// `target.name(args…)`; `None` when it is not a function or throws.
fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Option<()> {
    let function = property(target, name).dyn_into::<js_sys::Function>().ok()?;
    function
        .apply(target, &args.iter().collect::<js_sys::Array>())
        .ok()
        .map(drop)
}

/// `target.name(args…)` and what it returns, or what it threw. The photo code calls the
/// browser this way: each typed web-sys method would add a shim to the JavaScript and an
/// import to the wasm that every first screen fetches, for code that runs in a part of its own.
pub fn call(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let function = property(target, name)
        .dyn_into::<js_sys::Function>()
        .map_err(|_| JsValue::from_str(&format!("{name} is not a function")))?;
    function.apply(target, &args.iter().copied().collect::<js_sys::Array>())
}

/// Waits for a promise that `call` returned.
pub async fn settled(value: Result<JsValue, JsValue>) -> Result<JsValue, JsValue> {
    let promise = value?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| JsValue::from_str("not a promise"))?;
    wasm_bindgen_futures::JsFuture::from(promise).await
}

/// A JavaScript error's message, for the user.
pub fn error_text(error: &JsValue) -> String {
    property(error, "message")
        .as_string()
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// A photo as the browser re-encoded it for storing.
pub struct EncodedPhoto {
    pub bytes: Vec<u8>,
    pub mime: crate::domain::photo::PhotoMime,
    pub width: u32,
    pub height: u32,
}

/// Decodes an image file with its orientation applied, scales it to at most
/// [`MAX_PHOTO_SIDE`](crate::domain::photo::MAX_PHOTO_SIDE) on the long side and encodes it
/// again (WebP where the browser encodes it, else JPEG). Drawing to a canvas keeps the
/// pixels only: the EXIF block, and the location in it, is not carried over.
pub async fn encode_photo(file: &web_sys::File) -> Result<EncodedPhoto, String> {
    use crate::domain::photo::{PhotoMime, scaled_size};
    let bitmap = image_bitmap(file).await?;
    let side = |name: &str| property(&bitmap, name).as_f64().unwrap_or(0.0) as u32;
    let (width, height) = scaled_size(side("width"), side("height"));
    let canvas = drawn(&bitmap, width, height)?;
    // About 200–300 KB at 1600 px.
    for mime in [PhotoMime::Webp, PhotoMime::Jpeg] {
        if let Some(bytes) = canvas_bytes(&canvas, mime, 0.8).await? {
            return Ok(EncodedPhoto {
                bytes,
                mime,
                width,
                height,
            });
        }
    }
    Err("the browser cannot encode the photo".into())
}

/// A stored photo as a JPEG of the same size (Word before Microsoft 365, 2016 and 2019,
/// shows a WebP picture as an empty frame); `None` when the browser cannot draw or write it.
pub async fn photo_as_jpeg(bytes: &[u8], mime: crate::domain::photo::PhotoMime) -> Option<Vec<u8>> {
    use crate::domain::photo::PhotoMime;
    let blob = blob_of(bytes, mime.as_str())?;
    let bitmap = image_bitmap(&blob).await.ok()?;
    let side = |name: &str| property(&bitmap, name).as_f64().unwrap_or(0.0) as u32;
    let canvas = drawn(&bitmap, side("width"), side("height")).ok()?;
    canvas_bytes(&canvas, PhotoMime::Jpeg, 0.9).await.ok()?
}

/// The decoded image of a file or blob, turned as its EXIF orientation says.
async fn image_bitmap(source: &JsValue) -> Result<JsValue, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"imageOrientation".into(), &"from-image".into());
    settled(call(&window, "createImageBitmap", &[source, &options]))
        .await
        .map_err(|e| error_text(&e))
}

/// A canvas of `width` × `height` on white (a JPEG has no transparency) with `bitmap` drawn
/// to fill it; the bitmap is closed.
fn drawn(bitmap: &JsValue, width: u32, height: u32) -> Result<JsValue, String> {
    let text = |e: JsValue| error_text(&e);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas: JsValue = document.create_element("canvas").map_err(text)?.into();
    let _ = js_sys::Reflect::set(&canvas, &"width".into(), &width.into());
    let _ = js_sys::Reflect::set(&canvas, &"height".into(), &height.into());
    let context = call(&canvas, "getContext", &[&"2d".into()]).map_err(text)?;
    let zero = JsValue::from_f64(0.0);
    let (w, h) = (JsValue::from(width), JsValue::from(height));
    let _ = js_sys::Reflect::set(&context, &"fillStyle".into(), &"#fff".into());
    call(&context, "fillRect", &[&zero, &zero, &w, &h]).map_err(text)?;
    call(&context, "drawImage", &[bitmap, &zero, &zero, &w, &h]).map_err(text)?;
    let _ = call(bitmap, "close", &[]);
    Ok(canvas)
}

/// The canvas encoded as `mime` at `quality` (0–1); `None` when the browser cannot write
/// that type (it gives a PNG instead).
async fn canvas_bytes(
    canvas: &JsValue,
    mime: crate::domain::photo::PhotoMime,
    quality: f64,
) -> Result<Option<Vec<u8>>, String> {
    let encoded = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = call(
            canvas,
            "toBlob",
            &[&resolve, &mime.as_str().into(), &JsValue::from_f64(quality)],
        );
    });
    let Ok(blob) = wasm_bindgen_futures::JsFuture::from(encoded).await else {
        return Ok(None);
    };
    if blob.is_null() || property(&blob, "type").as_string().as_deref() != Some(mime.as_str()) {
        return Ok(None);
    }
    let buffer = settled(call(&blob, "arrayBuffer", &[]))
        .await
        .map_err(|e| error_text(&e))?;
    Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// An object URL for showing photo bytes in an `<img>`; revoke it when the image goes.
pub fn photo_url(bytes: &[u8], mime: &str) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(&blob_of(bytes, mime)?).ok()
}

/// Bytes as a `Blob` of type `mime`.
fn blob_of(bytes: &[u8], mime: &str) -> Option<web_sys::Blob> {
    let parts: js_sys::Array = std::iter::once(js_sys::Uint8Array::from(bytes)).collect();
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// The files a file input's `change` event brings; the input is emptied, so that picking
/// the same files again is a change too.
pub fn picked_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input.files().map_or_else(Vec::new, |list| files_of(&list));
    input.set_value("");
    files
}

/// The files of a file list (picked, or dropped).
pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The bytes of a file the user picked or dropped.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = settled(call(file, "arrayBuffer", &[]))
        .await
        .map_err(|e| error_text(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
