//! The home screen, one per job. Its first paint is what every start needs at once (the
//! name and role, the buttons to record and the counts, a draft left unsaved); the panels
//! below it are a part of the app per role, fetched right after (once the device has a name):
//! - the field officer's: follow-ups due, what is not sent yet and which export to send,
//!   the unsolved demands of the officer's own team, "my work" in the current period (paced
//!   only against the officer's own targets);
//! - the coordinator's: who has sent what (报送情况), the demands waiting for a team
//!   (待对接需求), the dashboard for a period and scope with the city's targets, and the
//!   import.
//!
//! What is further down (the officer's team demands and "my work", the dashboard's figures
//! and breakdowns, the coordinator's import) is in parts of their own, fetched when scrolled
//! to (`WhenVisible`).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::errors::SaveError;
use crate::components::export_panel::ExportPanel;
use crate::components::follow_ups::FollowUpsPanel;
use crate::components::labels;
use crate::components::open_demands::OpenDemandsPanel;
use crate::components::submissions::SubmissionStatus;
use crate::components::when_visible::WhenVisible;
use crate::domain::RecordKind;
use crate::domain::settings::Role;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::pages::Dashboard;
use crate::routes::Page;
use crate::state::use_app;
use crate::storage::StorageError;

/// The role the home screen serves: the officer's until the device says otherwise.
fn role() -> Memo<Role> {
    let app = use_app();
    Memo::new(move |_| {
        app.settings
            .settings
            .with(|s| s.role.unwrap_or(Role::Officer))
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let has_name = move || app.settings.settings.with(|s| !s.author.trim().is_empty());
    let role = role();
    // The panels' part is fetched once the first paint is on the screen: on a slow link the
    // name, the buttons and the counts come first, not after the panels' files.
    let painted = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(
            move || {
                let _ = painted.try_set(true);
            },
            std::time::Duration::ZERO,
        )
    });
    view! {
        <h1>{tr!(i18n, home.welcome)}</h1>
        <Show when=has_name fallback=|| view! { <NamePrompt /> }>
            <p class="signed-in">
                {move || {
                    let locale = i18n.get_locale();
                    let name = app.settings.settings.with(|s| s.author.clone());
                    td_string!(locale, home.signed_in_as_role, name, role = labels::role(locale, role.get()))
                }}
                " "
                <A href=Page::Settings.href() attr:class="change-role">{tr!(i18n, home.change_role)}</A>
            </p>
        </Show>
        {move || match role.get() {
            Role::Officer => view! { <RecordButtons /> <PendingDrafts /> }.into_any(),
            Role::Coordinator => view! { <Counts /> }.into_any(),
        }}
        // The panels (a part of their own) once the device has a name, after the first paint:
        // the first start shows only the prompt and what is in the first wasm.
        <Show when=move || has_name() && painted.get()>{move || crate::app::home_panels(role.get())}</Show>
    }
}

/// What an officer records in a village: teams are the bureau's to keep.
const RECORDED_IN_THE_FIELD: [RecordKind; 4] = [
    RecordKind::Training,
    RecordKind::Technology,
    RecordKind::Visit,
    RecordKind::Demand,
];

/// Big buttons to record what is recorded in the field, with how many there are.
#[component]
fn RecordButtons() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="kinds" aria-labelledby="counts-title">
            <h2 id="counts-title">{tr!(i18n, home.record_title)}</h2>
            <ul class="kind-cards">
                {RECORDED_IN_THE_FIELD
                    .into_iter()
                    .map(|kind| view! {
                        <li class="kind-card" data-kind=kind.segment()>
                            <A href=Page::New(kind).href() attr:class="button primary big record-new">
                                {move || labels::kind_new(i18n.get_locale(), kind)}
                            </A>
                            <KindLink kind />
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A kind's name and how many records of it there are, as a link to its list.
#[component]
fn KindLink(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let count = move || app.records.ledger.with(|l| l.count(kind));
    view! {
        <A href=Page::List(kind).href() attr:class="kind-link">
            <span class="kind-name">{move || labels::kind_title(i18n.get_locale(), kind)}</span>
            <span class="kind-count">{move || td_string!(i18n.get_locale(), home.count, count = count())}</span>
        </A>
    }
}

/// How many records of each kind the ledger holds, each a link to its list.
#[component]
fn Counts() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="kind-counts" aria-label=move || td_string!(i18n.get_locale(), home.counts_title)>
            {RecordKind::ALL
                .into_iter()
                .map(|kind| view! {
                    <li class="kind-card" data-kind=kind.segment()>
                        <KindLink kind />
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

/// Forms left with typing not saved: each a link back to it (the form offers the draft).
#[component]
fn PendingDrafts() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let drafts = app.drafts.pending();
    (!drafts.is_empty()).then(|| {
        view! {
            <section class="drafts card" id="pending-drafts" aria-labelledby="drafts-title">
                <h2 id="drafts-title">{tr!(i18n, home.drafts_title)}</h2>
                <ul>
                    {drafts.into_iter().map(|(kind, id)| {
                        let page = match id {
                            Some(id) => Page::Edit(kind, id),
                            None => Page::New(kind),
                        };
                        let editing = id.is_some();
                        view! {
                            <li><A href=page.href() attr:class="draft-link">
                                {move || {
                                    let locale = i18n.get_locale();
                                    let name = if editing { labels::kind_edit(locale, kind) } else { labels::kind_new(locale, kind) };
                                    td_string!(locale, home.draft_continue, name)
                                }}
                            </A></li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The panels further down each home, a part of the app per role, fetched when they are
/// scrolled to (`WhenVisible`): the officer's team demands, "my work" and the sample data;
/// the coordinator's import and sample data (with the dashboard's figures and breakdowns,
/// `pages::dashboard`).
mod lazy {
    use leptos::prelude::*;

    use crate::components::import_panel::ImportPanel;
    use crate::components::my_work::MyWork;
    use crate::components::open_demands::TeamDemandsPanel;
    use crate::components::sample_data::SampleData;

    lazy_fn!(
        officer_below,
        pub fn officer_below() -> AnyView {
            view! { <TeamDemandsPanel /> <MyWork /> <SampleData /> }.into_any()
        }
    );

    lazy_fn!(
        coordinator_below,
        pub fn coordinator_below() -> AnyView {
            view! { <ImportPanel /> <SampleData /> }.into_any()
        }
    );
}

/// Everything below the field officer's home's first paint (a part of its own).
#[component]
pub fn OfficerPanels() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FollowUpsPanel />
        <ExportPanel />
        <WhenVisible>{lazy_view!(lazy::officer_below())}</WhenVisible>
        <PersistenceWarning />
        <p><A href=Page::Exchange.href() attr:class="button">{tr!(i18n, home.handoff)}</A></p>
    }
}

/// Everything below the coordinator's home's first paint (a part of its own).
#[component]
pub fn CoordinatorPanels() -> impl IntoView {
    view! {
        <SubmissionStatus />
        <OpenDemandsPanel />
        <Dashboard scoped=true />
        <WhenVisible>{lazy_view!(lazy::coordinator_below())}</WhenVisible>
        <PersistenceWarning />
    }
}

/// Asks once for the name (stored in the settings and put on every record) and what the
/// device is for.
#[component]
fn NamePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Officer);
    let failed = RwSignal::new(None::<StorageError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        if typed.is_empty() {
            return;
        }
        let chosen = role.get_untracked();
        failed.set(
            app.settings
                .update(|s| {
                    s.author = typed;
                    s.role = Some(chosen);
                })
                .err(),
        );
    };
    view! {
        <form class="name-prompt card" on:submit=save>
            <p>{tr!(i18n, home.name_prompt)}</p>
            <label for="author-name">{tr!(i18n, home.name_label)}</label>
            <input id="author-name" autocomplete="name" required
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            <RoleChoice role=role.into() choose=Callback::new(move |r| role.set(r)) />
            <button type="submit" class="primary">{tr!(i18n, home.name_save)}</button>
            <SaveError error=failed />
        </form>
    }
}

/// 外业人员 or 汇总人员, with what each home shows.
#[component]
pub fn RoleChoice(role: Signal<Role>, choose: Callback<Role>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field role-choice">
            <legend>{tr!(i18n, home.role_question)}</legend>
            {[Role::Officer, Role::Coordinator].into_iter().map(|r| {
                let id = match r { Role::Officer => "role-officer", Role::Coordinator => "role-coordinator" };
                view! {
                    <label class="check" for=id>
                        <input type="radio" name="role" id=id prop:checked=move || role.get() == r
                            on:change=move |_| choose.run(r) />
                        <span>
                            <strong>{move || labels::role(i18n.get_locale(), r)}</strong>
                            " "
                            <span class="hint">{move || labels::role_help(i18n.get_locale(), r)}</span>
                        </span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
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
