//! The home screen. Its first paint is what every start needs at once (the officer's name,
//! the counts and the buttons to record); the panels below it (follow-ups, sample data,
//! progress, export) are a part of the app of their own, fetched right after.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::errors::SaveError;
use crate::components::export_panel::ExportPanel;
use crate::components::follow_ups::FollowUpsPanel;
use crate::components::labels;
use crate::components::sample_data::SampleData;
use crate::domain::RecordKind;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::pages::Dashboard;
use crate::routes::Page;
use crate::state::use_app;
use crate::storage::StorageError;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let has_name = move || app.settings.settings.with(|s| !s.author.trim().is_empty());

    view! {
        <h1>{tr!(i18n, home.welcome)}</h1>
        <Show when=has_name fallback=|| view! { <NamePrompt /> }>
            <p class="signed-in">
                {move || td_string!(i18n.get_locale(), home.signed_in_as, name = app.settings.settings.with(|s| s.author.clone()))}
            </p>
        </Show>
        <section class="kinds" aria-labelledby="counts-title">
            <h2 id="counts-title">{tr!(i18n, home.counts_title)}</h2>
            <ul class="kind-cards">
                {RecordKind::ALL
                    .into_iter()
                    .map(|kind| {
                        let count = move || app.records.ledger.with(|l| l.count(kind));
                        view! {
                            <li class="kind-card" data-kind=crate::routes::kind_segment(kind)>
                                <A href=Page::List(kind).href() attr:class="kind-link">
                                    <span class="kind-name">{move || labels::kind_title(i18n.get_locale(), kind)}</span>
                                    <span class="kind-count">{move || td_string!(i18n.get_locale(), home.count, count = count())}</span>
                                </A>
                                <A href=Page::New(kind).href() attr:class="button primary">
                                    {move || labels::kind_new(i18n.get_locale(), kind)}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        {crate::app::home_panels()}
    }
}

/// Everything below the home screen's first paint.
#[component]
pub fn HomePanels() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FollowUpsPanel />
        <SampleData />
        <Dashboard />
        <ExportPanel />
        <PersistenceWarning />
        <p><A href=Page::Exchange.href() attr:class="button">{tr!(i18n, home.handoff)}</A></p>
    }
}

/// Asks for the officer's name once; it is stored in the settings and put on every record.
#[component]
fn NamePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let name = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<StorageError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        if typed.is_empty() {
            return;
        }
        failed.set(app.settings.update(|s| s.author = typed).err());
    };
    view! {
        <form class="name-prompt card" on:submit=save>
            <p>{tr!(i18n, home.name_prompt)}</p>
            <label for="author-name">{tr!(i18n, home.name_label)}</label>
            <div class="inline">
                <input id="author-name" autocomplete="name" required
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{tr!(i18n, home.name_save)}</button>
            </div>
            <SaveError error=failed />
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
            <p class="banner warning" id="persistence-warning">{tr!(i18n, offline.persist_denied)}</p>
        </Show>
    })
}
