//! The frame around every page: title, navigation, language switch and storage warnings.

use crate::browser::app_href;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::fields::CountyOptions;
use crate::components::labels;
use crate::domain::Language;
use crate::i18n::*;
use crate::pwa::Offline;
use crate::state::{AppState, Notice, Persistence, use_app};
use crate::storage::{BROWSER_LIMIT_BYTES, WARN_AT_SHARE};

/// Keeps the interface language and the stored setting in step.
pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::Zh => Locale::zh,
        Language::En => Locale::en,
    }
}

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    // The stored language setting decides, not the browser's languages: Chinese unless the
    // user chose English. Set now for the first render, and again in an effect that runs
    // after the i18n context's own start-up effect (which applies the browser's languages).
    let stored = move || locale_of(app.settings.with(|s| s.language));
    i18n.set_locale(untrack(stored));
    Effect::new(move |_| i18n.set_locale(stored()));

    // After moving to another page, put the focus on its heading, so that keyboard and
    // screen-reader users start at the top of the new content.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            set_timeout(focus_heading, std::time::Duration::ZERO);
        }
        path
    });

    let switch_language = move |_| {
        let next = match i18n.get_locale_untracked() {
            Locale::zh => Language::En,
            Locale::en => Language::Zh,
        };
        choose_language(app, i18n, next);
    };

    view! {
        <header class="app-header">
            <A href=app_href("/") attr:class="app-title">
                <span>{crate::tr(i18n, |l| td_string!(l, app.title))}</span>
            </A>
            <ConnectionBadge />
            <button
                class="language"
                lang=move || if i18n.get_locale() == Locale::zh { "en" } else { "zh" }
                aria-label=move || t_string!(i18n, nav.switch_language_label)
                on:click=switch_language
            >
                {crate::tr(i18n, |l| td_string!(l, nav.switch_language))}
            </button>
        </header>
        <nav class="app-nav" aria-label=move || t_string!(i18n, nav.label)>
            <A href=app_href("/") exact=true>{crate::tr(i18n, |l| td_string!(l, nav.home))}</A>
            <A href=app_href("/trainings")>{crate::tr(i18n, |l| td_string!(l, nav.trainings))}</A>
            <A href=app_href("/technologies")>{crate::tr(i18n, |l| td_string!(l, nav.technologies))}</A>
            <A href=app_href("/visits")>{crate::tr(i18n, |l| td_string!(l, nav.visits))}</A>
            <A href=app_href("/sync")>{crate::tr(i18n, |l| td_string!(l, nav.sync))}</A>
            <A href=app_href("/settings")>{crate::tr(i18n, |l| td_string!(l, nav.settings))}</A>
        </nav>
        <UpdateBanner />
        <StorageBanners />
        <NoticeBanner />
        <main class="page">{children()}</main>
        <CountyOptions />
    }
}

/// Switches the interface language and remembers the choice; when it cannot be stored, the
/// switch still holds for this session.
pub fn choose_language(app: AppState, i18n: leptos_i18n::I18nContext<Locale>, language: Language) {
    if app.update_settings(|s| s.language = language).is_err() {
        i18n.set_locale(locale_of(language));
    }
}

/// Says plainly when records are not being kept, or when stored entries were skipped.
#[component]
fn StorageBanners() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let memory_only = move || match app.persistence.get() {
        Persistence::Stored => None,
        Persistence::MemoryOnly(error) => {
            let reason = labels::storage_error(i18n.get_locale(), &error);
            Some(view! {
                <p class="banner danger" role="alert">{t_string!(i18n, storage.memory_only, reason)}</p>
            })
        }
    };
    let skipped = move || {
        let count = app.problems.with(|p| p.len());
        (count > 0).then(|| {
            view! {
                <p class="banner warning" role="status">
                    <A href=app_href("/settings")>{t_string!(i18n, storage.problems_banner, count)}</A>
                </p>
            }
        })
    };
    let near_full = move || {
        let used = app.stored_bytes();
        let percent = labels::share_percent(used);
        (used as f64 >= BROWSER_LIMIT_BYTES as f64 * WARN_AT_SHARE).then(|| {
            view! { <p class="banner warning" role="alert">{t_string!(i18n, offline.near_full, percent)}</p> }
        })
    };
    let migration = move || {
        app.migration_failed.get().map(|error| {
            let reason = labels::storage_error(i18n.get_locale(), &error);
            view! { <p class="banner warning" role="alert" id="migration-failed">{t_string!(i18n, storage.migration_failed, reason)}</p> }
        })
    };
    view! {
        {memory_only}
        {migration}
        {near_full}
        {skipped}
    }
}

/// Says whether the tablet has a network right now: the app needs none, but sending an
/// export file does.
#[component]
fn ConnectionBadge() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_context::<Offline>()?;
    let online = move || offline.online.get();
    Some(view! {
        <span
            class="connection"
            class:offline=move || !online()
            role="status"
            title=move || if online() { t_string!(i18n, offline.online_hint) } else { t_string!(i18n, offline.offline_hint) }
        >
            {move || if online() { t_string!(i18n, offline.online) } else { t_string!(i18n, offline.offline) }}
        </span>
    })
}

/// Offers the new version once it is installed; the user chooses when to reload.
#[component]
fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_context::<Offline>()?;
    Some(view! {
        <Show when=move || offline.update_ready.get()>
            <p class="banner info" id="update-ready" role="status">
                {crate::tr(i18n, |l| td_string!(l, offline.update_ready))}" "
                <button id="apply-update" on:click=move |_| offline.apply_update()>{crate::tr(i18n, |l| td_string!(l, offline.reload))}</button>
            </p>
        </Show>
    })
}

/// What happened after a save or delete, with undo for a delete. Short confirmations go
/// away by themselves; a conflict stays until dismissed.
#[component]
fn NoticeBanner() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    // Each notice gets a number; a timer only clears the notice it was started for.
    let shown = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(notice) = app.notice.get() else {
            return;
        };
        shown.update_value(|n| *n += 1);
        let mine = shown.get_value();
        let linger = match notice {
            Notice::Saved | Notice::Restored => 6,
            Notice::Deleted(_) => 20,
            Notice::KeptOtherVersion => return,
        };
        set_timeout(
            move || {
                if shown.try_get_value() == Some(mine) {
                    app.notice.set(None);
                }
            },
            std::time::Duration::from_secs(linger),
        );
    });
    move || {
        app.notice.get().map(|notice| {
            let (text, undo) = match notice {
                Notice::Saved => (t_string!(i18n, notice.saved), None),
                Notice::Deleted(id) => (t_string!(i18n, notice.deleted), Some(id)),
                Notice::Restored => (t_string!(i18n, notice.restored), None),
                Notice::KeptOtherVersion => (t_string!(i18n, notice.kept_other_version), None),
            };
            let warning = notice == Notice::KeptOtherVersion;
            view! {
                <div class="banner notice" class:warning=warning class:info=!warning role="status" aria-live="polite">
                    <span>{text}</span>
                    {undo.map(|id| view! {
                        <button id="undo-delete" on:click=move |_| {
                            let next = app.undelete(id).ok().map(|()| Notice::Restored);
                            app.notice.set(next);
                        }>{crate::tr(i18n, |l| td_string!(l, notice.undo))}</button>
                    })}
                    <button class="dismiss" on:click=move |_| app.notice.set(None)>{crate::tr(i18n, |l| td_string!(l, notice.dismiss))}</button>
                </div>
            }
        })
    }
}

fn focus_heading() {
    use wasm_bindgen::JsCast;
    let heading = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.set_attribute("tabindex", "-1");
        let _ = heading.focus();
    }
}
