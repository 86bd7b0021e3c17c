//! Small wrappers over browser APIs other than storage: clock, randomness, file download.

use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;
use wasm_bindgen::JsCast;

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
