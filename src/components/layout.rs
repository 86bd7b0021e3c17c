//! The frame around every page: title, navigation, language switch and storage warnings.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::labels;
use crate::components::notice::{NoticeBanner, provide_notice};
use crate::domain::{Language, RecordKind};
use crate::i18n::*;
use crate::language::{I18n, use_i18n};
use crate::pwa::Offline;
use crate::routes::Page;
use crate::state::{App, Persistence, use_app};
use crate::storage::{BROWSER_LIMIT_BYTES, WARN_AT_SHARE};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    provide_notice();
    // After moving to another page, put the focus on its heading, so that keyboard and
    // screen-reader users start at the top of the new content.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            set_timeout(browser::focus_heading, std::time::Duration::ZERO);
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
            <A href=Page::Home.href() attr:class="app-title">
                <span>{tr!(i18n, app.title)}</span>
            </A>
            <ConnectionBadge />
            <button
                class="language"
                lang=move || if i18n.get_locale() == Locale::zh { "en" } else { "zh" }
                aria-label=move || td_string!(i18n.get_locale(), nav.switch_language_label)
                on:click=switch_language
            >
                {tr!(i18n, nav.switch_language)}
            </button>
        </header>
        <nav class="app-nav" aria-label=move || td_string!(i18n.get_locale(), nav.label)>
            <A href=Page::Home.href() exact=true>{tr!(i18n, nav.home)}</A>
            <A href=Page::List(RecordKind::Training).href()>{tr!(i18n, nav.trainings)}</A>
            <A href=Page::List(RecordKind::Technology).href()>{tr!(i18n, nav.technologies)}</A>
            <A href=Page::List(RecordKind::Visit).href()>{tr!(i18n, nav.visits)}</A>
            <A href=Page::List(RecordKind::Team).href()>{tr!(i18n, nav.teams)}</A>
            <A href=Page::List(RecordKind::Demand).href()>{tr!(i18n, nav.demands)}</A>
            <A href=Page::Exchange.href()>{tr!(i18n, nav.sync)}</A>
            <A href=Page::Settings.href()>{tr!(i18n, nav.settings)}</A>
        </nav>
        <UpdateBanner />
        <StorageBanners />
        <NoticeBanner />
        <main class="page">{children()}</main>
    }
}

/// Switches the interface language and remembers the choice; when it cannot be stored, the
/// switch still holds for this session.
pub fn choose_language(app: App, i18n: I18n, language: Language) {
    if app.settings.update(|s| s.language = language).is_err() {
        i18n.choose_unsaved(language);
    }
}

/// Says plainly when records are not being kept, when something could not be read or saved
/// at start, and when storage is nearly full.
#[component]
fn StorageBanners() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = app.status;
    let alert = move |message: String| {
        view! { <p class="banner danger" role="alert">{message}</p> }
    };
    let reason =
        move |error: &crate::storage::StorageError| labels::storage_error(i18n.get_locale(), error);
    let memory_only = move || match status.persistence.get() {
        Persistence::Stored => None,
        Persistence::MemoryOnly(error) => Some(alert(
            td_string!(
                i18n.get_locale(),
                storage.memory_only,
                reason = reason(&error)
            )
            .to_string(),
        )),
    };
    let records_not_read = move || {
        status.records_not_read.get().map(|error| {
            alert(
                td_string!(
                    i18n.get_locale(),
                    storage.records_not_read,
                    reason = reason(&error)
                )
                .to_string(),
            )
        })
    };
    let settings_not_saved = move || {
        status.settings_not_saved.get().map(|error| {
            view! {
                <p class="banner warning" role="alert" id="settings-not-saved">
                    {td_string!(i18n.get_locale(), storage.settings_not_saved, reason = reason(&error)).to_string()}
                </p>
            }
        })
    };
    let skipped = move || {
        let count = status.problems.with(|p| p.len());
        (count > 0).then(|| {
            view! {
                <p class="banner warning" role="status">
                    <A href=Page::Settings.href()>{td_string!(i18n.get_locale(), storage.problems_banner, count)}</A>
                </p>
            }
        })
    };
    let near_full = move || {
        let used = status.stored_bytes();
        let percent = labels::share_percent(used);
        (used as f64 >= BROWSER_LIMIT_BYTES as f64 * WARN_AT_SHARE).then(|| {
            view! { <p class="banner warning" role="alert">{td_string!(i18n.get_locale(), offline.near_full, percent)}</p> }
        })
    };
    let migration = move || {
        status.migration_failed.get().map(|error| {
            view! { <p class="banner warning" role="alert" id="migration-failed">{td_string!(i18n.get_locale(), storage.migration_failed, reason = reason(&error))}</p> }
        })
    };
    view! {
        {memory_only}
        {records_not_read}
        {settings_not_saved}
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
            title=move || if online() { td_string!(i18n.get_locale(), offline.online_hint) } else { td_string!(i18n.get_locale(), offline.offline_hint) }
        >
            {move || if online() { td_string!(i18n.get_locale(), offline.online) } else { td_string!(i18n.get_locale(), offline.offline) }}
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
                {tr!(i18n, offline.update_ready)}" "
                <button id="apply-update" on:click=move |_| offline.apply_update()>{tr!(i18n, offline.reload)}</button>
            </p>
        </Show>
    })
}
