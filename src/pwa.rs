//! Working offline: the service worker that keeps the app's files, the "new version ready"
//! prompt, the browser's persistent-storage grant, and an honest online/offline indicator.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::browser;

/// What the page knows about its offline life, as signals.
#[derive(Clone, Copy)]
pub struct Offline {
    /// A new deployment is installed and waits for the user to reload into it.
    pub update_ready: RwSignal<bool>,
    /// Whether the browser has a network connection (an export can be sent now).
    pub online: RwSignal<bool>,
    /// Whether the browser promised not to evict this site's data; `None` until known or
    /// when the browser cannot tell.
    pub persisted: RwSignal<Option<bool>>,
    /// Bytes used and available for this site, as the browser estimates them.
    pub estimate: RwSignal<Option<(f64, f64)>>,
    registration: StoredValue<Option<web_sys::ServiceWorkerRegistration>, LocalStorage>,
}

impl Offline {
    /// Starts the service worker, watches the connection and asks for persistent storage.
    pub fn start() -> Self {
        let navigator = web_sys::window().map(|w| w.navigator());
        let offline = Offline {
            update_ready: RwSignal::new(false),
            online: RwSignal::new(navigator.as_ref().is_none_or(|n| n.on_line())),
            persisted: RwSignal::new(None),
            estimate: RwSignal::new(None),
            registration: StoredValue::new_local(None),
        };
        offline.watch_connection();
        offline.register_worker();
        offline.request_persistence();
        offline
    }

    /// Follows the connection for as long as the calling owner (the app) lives.
    fn watch_connection(self) {
        let online = window_event_listener(leptos::ev::online, move |_| self.online.set(true));
        let offline = window_event_listener(leptos::ev::offline, move |_| self.online.set(false));
        on_cleanup(move || {
            online.remove();
            offline.remove();
        });
    }

    fn register_worker(self) {
        let Some(container) = web_sys::window().map(|w| w.navigator().service_worker()) else {
            return;
        };
        let base = browser::base_path();
        let options = web_sys::RegistrationOptions::new();
        options.set_scope(&format!("{base}/"));
        let promise = container.register_with_options(&format!("{base}/sw.js"), &options);
        leptos::task::spawn_local(async move {
            // Anything but a registration (a browser or test harness that blocks service
            // workers may resolve with nothing): the app runs without one.
            let Some(registration) = JsFuture::from(promise)
                .await
                .ok()
                .and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok())
            else {
                return;
            };
            let has_controller = move || {
                web_sys::window()
                    .is_some_and(|w| w.navigator().service_worker().controller().is_some())
            };
            // An update that finished installing while the page was closed.
            if registration.waiting().is_some() && has_controller() {
                self.update_ready.set(true);
            }
            let watched = registration.clone();
            let on_update = Closure::<dyn Fn()>::new(move || {
                let Some(worker) = watched.installing() else {
                    return;
                };
                let installed = worker.clone();
                let on_state = Closure::<dyn Fn()>::new(move || {
                    // Installed beside a running version: ready, but the user decides when.
                    if installed.state() == web_sys::ServiceWorkerState::Installed
                        && has_controller()
                    {
                        self.update_ready.set(true);
                    }
                });
                // Handed to the worker: collected with it.
                worker.set_onstatechange(Some(on_state.into_js_value().unchecked_ref()));
            });
            registration.set_onupdatefound(Some(on_update.into_js_value().unchecked_ref()));
            self.registration.set_value(Some(registration));
        });
    }

    /// Switches to the waiting version; the page reloads once it has taken over.
    pub fn apply_update(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let container = window.navigator().service_worker();
        let reload = Closure::<dyn Fn()>::new(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(reload.into_js_value().unchecked_ref()));
        let waiting = self
            .registration
            .with_value(|r| r.as_ref().and_then(|r| r.waiting()));
        if let Some(worker) = waiting {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
            let _ = worker.post_message(&message);
        }
    }

    /// Asks the browser to keep this site's data (first start, and from settings).
    pub fn request_persistence(self) {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let granted = match storage.persist() {
                Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
                Err(_) => None,
            };
            self.persisted.set(granted);
            self.refresh_estimate();
        });
    }

    pub fn refresh_estimate(self) {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Ok(promise) = storage.estimate() else {
                return;
            };
            let Ok(estimate) = JsFuture::from(promise).await else {
                return;
            };
            let estimate: web_sys::StorageEstimate = estimate.unchecked_into();
            if let (Some(usage), Some(quota)) = (estimate.get_usage(), estimate.get_quota()) {
                self.estimate.set(Some((usage, quota)));
            }
        });
    }
}
