use leptos::prelude::*;

use crate::components::labels;
use crate::components::layout::choose_language;
use crate::domain::Language;
use crate::i18n::*;
use crate::state::{Persistence, use_app};

/// Whether the browser promised to keep the data, how much the site uses, and a way to ask.
#[component]
pub fn PersistenceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_context::<crate::pwa::Offline>()?;
    Some(view! {
        <h3>{t!(i18n, offline.persist_title)}</h3>
        <p id="persistence" class:warning=move || offline.persisted.get() != Some(true)>
            {move || match offline.persisted.get() {
                Some(true) => t_string!(i18n, offline.persist_granted),
                Some(false) => t_string!(i18n, offline.persist_denied),
                None => t_string!(i18n, offline.persist_unknown),
            }}
        </p>
        {move || offline.estimate.get().map(|(usage, quota)| view! {
            <p id="site-usage">{t_string!(i18n, offline.site_usage, usage = labels::size_text(usage), quota = labels::size_text(quota))}</p>
        })}
        <Show when=move || offline.persisted.get() != Some(true)>
            <button on:click=move |_| offline.request_persistence()>{t!(i18n, offline.persist_request)}</button>
        </Show>
    })
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<Result<(), &'static str>>);
    let apply = move |change: Box<dyn FnOnce(&mut crate::domain::Settings)>| {
        let result = app
            .update_settings(change)
            .map_err(|error| labels::storage_error(i18n.get_locale_untracked(), &error));
        status.set(Some(result));
    };

    let name = RwSignal::new(app.settings.with_untracked(|s| s.author.clone()));
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        apply(Box::new(move |s| s.author = typed));
    };

    let new_county = RwSignal::new(String::new());
    let add_county = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = new_county.get_untracked();
        apply(Box::new(move |s| {
            s.add_county(&typed);
        }));
        new_county.set(String::new());
    };

    let choose_language = move |ev| {
        let language = if event_target_value(&ev) == "en" {
            Language::En
        } else {
            Language::Zh
        };
        choose_language(app, i18n, language);
    };

    view! {
        <h1>{t!(i18n, settings.title)}</h1>
        <p class="status" role="status" aria-live="polite">
            {move || match status.get() {
                None => String::new(),
                Some(Ok(())) => t_string!(i18n, settings.saved).to_owned(),
                Some(Err(reason)) => t_string!(i18n, settings.save_failed, reason),
            }}
        </p>
        <form class="card" on:submit=save_name>
            <label for="settings-name">{t!(i18n, settings.name)}</label>
            <div class="inline">
                <input id="settings-name" autocomplete="name"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{t!(i18n, action.save)}</button>
            </div>
        </form>
        <div class="card">
            <label for="settings-language">{t!(i18n, settings.language)}</label>
            <select id="settings-language" on:change=choose_language
                prop:value=move || if i18n.get_locale() == Locale::en { "en" } else { "zh" }>
                <option value="zh" lang="zh">"简体中文"</option>
                <option value="en" lang="en">"English"</option>
            </select>
        </div>
        <form class="card" on:submit=add_county>
            <h2>{t!(i18n, settings.counties)}</h2>
            <p class="hint">{t!(i18n, settings.counties_help)}</p>
            <ul class="chips">
                {move || {
                    let locale = i18n.get_locale();
                    app.settings
                        .with(|s| s.counties())
                        .into_iter()
                        .map(|c| view! { <li>{labels::county(locale, &c)}</li> })
                        .collect_view()
                }}
            </ul>
            <label for="settings-county">{t!(i18n, settings.new_county)}</label>
            <div class="inline">
                <input id="settings-county"
                    prop:value=move || new_county.get() on:input=move |ev| new_county.set(event_target_value(&ev)) />
                <button type="submit">{t!(i18n, action.add)}</button>
            </div>
        </form>
        <section class="card">
            <h2>{t!(i18n, settings.storage)}</h2>
            <p>
                {move || match app.persistence.get() {
                    Persistence::Stored => t_string!(i18n, settings.storage_ok, size = labels::size_text(app.stored_bytes() as f64)),
                    Persistence::MemoryOnly(error) => {
                        t_string!(i18n, storage.memory_only, reason = labels::storage_error(i18n.get_locale(), &error))
                    }
                }}
            </p>
            <p id="local-usage">
                {move || {
                    let used = app.stored_bytes();
                    t_string!(i18n, offline.local_usage, used = labels::size_text(used as f64), percent = labels::share_percent(used))
                }}
            </p>
            <PersistenceStatus />
            <h3>{t!(i18n, settings.device)}</h3>
            <p class="mono" id="device-id">{move || app.settings.with(|s| s.device_id.clone())}</p>
            <h3>{t!(i18n, settings.problems)}</h3>
            {move || {
                let locale = i18n.get_locale();
                let problems = app.problems.get();
                if problems.is_empty() {
                    view! { <p>{t!(i18n, settings.no_problems)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="problems">
                            {problems
                                .into_iter()
                                .map(|p| {
                                    let key = p.key.clone();
                                    let download = move |_| {
                                        if let Some(raw) = app.raw_value(&key) {
                                            let name: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
                                            let _ = crate::browser::download(&format!("field-ledger-unreadable-{name}.txt"), "text/plain;charset=utf-8", &raw);
                                        }
                                    };
                                    view! {
                                        <li>
                                            <code>{p.key.clone()}</code>": "{labels::stored_problem(locale, &p.reason)}" "
                                            <button class="download-raw" on:click=download>{t!(i18n, settings.download_value)}</button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
