use crate::browser::app_href;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::labels;
use crate::domain::RecordKind;
use crate::i18n::*;
use crate::pages::dashboard::{Dashboard, SampleData};
use crate::pages::quick_entry::FollowUpsPanel;
use crate::pages::sync::ExportPanel;
use crate::state::use_app;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let has_name = move || app.settings.with(|s| !s.author.trim().is_empty());

    view! {
        <h1>{crate::tr(i18n, |l| td_string!(l, home.welcome))}</h1>
        <Show when=has_name fallback=|| view! { <NamePrompt /> }>
            <p class="signed-in">
                {move || t_string!(i18n, home.signed_in_as, name = app.settings.with(|s| s.author.clone()))}
            </p>
        </Show>
        <FollowUpsPanel />
        <section class="kinds" aria-labelledby="counts-title">
            <h2 id="counts-title">{crate::tr(i18n, |l| td_string!(l, home.counts_title))}</h2>
            <ul class="kind-cards">
                {RecordKind::ALL
                    .into_iter()
                    .map(|kind| {
                        let count = move || app.ledger.with(|l| l.count(kind));
                        view! {
                            <li class="kind-card" data-kind=kind.slug()>
                                <A href=app_href(&format!("/{}", kind.slug())) attr:class="kind-link">
                                    <span class="kind-name">{move || labels::kind_title(i18n.get_locale(), kind)}</span>
                                    <span class="kind-count">{move || t_string!(i18n, home.count, count = count())}</span>
                                </A>
                                <A href=app_href(&format!("/{}/new", kind.slug())) attr:class="button primary">
                                    {move || labels::kind_new(i18n.get_locale(), kind)}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <SampleData />
        <Dashboard />
        <ExportPanel />
        <PersistenceWarning />
        <p><A href=app_href("/sync") attr:class="button">{crate::tr(i18n, |l| td_string!(l, home.handoff))}</A></p>
    }
}

/// Asks for the officer's name once; it is stored in the settings and put on every record.
#[component]
fn NamePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let name = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<&'static str>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        if typed.is_empty() {
            return;
        }
        if let Err(error) = app.update_settings(|s| s.author = typed) {
            failed.set(Some(labels::storage_error(
                i18n.get_locale_untracked(),
                &error,
            )));
        }
    };
    view! {
        <form class="name-prompt card" on:submit=save>
            <p>{crate::tr(i18n, |l| td_string!(l, home.name_prompt))}</p>
            <label for="author-name">{crate::tr(i18n, |l| td_string!(l, home.name_label))}</label>
            <div class="inline">
                <input id="author-name" autocomplete="name" required
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{crate::tr(i18n, |l| td_string!(l, home.name_save))}</button>
            </div>
            {move || failed.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, settings.save_failed, reason)}</p> })}
        </form>
    }
}

/// Tells the officer to export often when the browser may clear the data.
#[component]
fn PersistenceWarning() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_context::<crate::pwa::Offline>()?;
    Some(view! {
        <Show when=move || offline.persisted.get() == Some(false)>
            <p class="banner warning" id="persistence-warning">{crate::tr(i18n, |l| td_string!(l, offline.persist_denied))}</p>
        </Show>
    })
}
