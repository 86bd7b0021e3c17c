//! The follow-ups due, for the home page: overdue or due this week, each with the way to
//! record the follow-up visit or to mark it done.
//!
//! The list is a part of the app of its own (`follow_ups`), fetched when something is due:
//! most days, and on every device without visits, nothing is, and the home's panels stay
//! without it.
//!
//! Marking one done saves an edit, which reads the stored record first; the code that
//! decodes stored records is in the part that reads them at start (`stored`, fetched then
//! whenever there are records), so the home's panels, which a device with no records
//! fetches too, do not carry it.

use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::labels;
use crate::domain::RecordBody;
use crate::domain::RecordKind;
use crate::domain::followup::{follow_ups, mark_done};
use crate::domain::form::format_date;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::use_app;
use crate::storage::StorageError;

mod lazy {
    use leptos::prelude::*;
    use uuid::Uuid;

    use crate::domain::RecordBody;
    use crate::state::{App, EditOutcome};
    use crate::storage::StorageError;

    lazy_fn!(
        follow_ups,
        pub fn due_list() -> AnyView {
            view! { <super::DueList /> }.into_any()
        }
    );

    lazy_fn!(
        stored,
        pub fn save_edit(
            app: App,
            id: Uuid,
            revision: u32,
            body: RecordBody,
        ) -> Result<EditOutcome, StorageError> {
            app.records.update(id, revision, body)
        }
    );
}

/// One follow-up as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
struct DueItem {
    id: Uuid,
    revision: u32,
    host: String,
    commissioners: String,
    visited: String,
    due: String,
    overdue: bool,
}

/// Follow-ups that are overdue or due this week, oldest due first, each with the way to
/// record the follow-up visit or to mark it done. Nothing is shown (nor fetched) when
/// nothing is due.
#[component]
pub fn FollowUpsPanel() -> impl IntoView {
    let app = use_app();
    let any_due = Memo::new(move |_| {
        app.records
            .ledger
            .with(|l| !follow_ups(l, browser::today()).is_empty())
    });
    view! { <Show when=move || any_due.get()>{move || lazy_view!(lazy::due_list())}</Show> }
}

/// The follow-ups due, a card each.
#[component]
fn DueList() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<StorageError>);
    let not_loaded = RwSignal::new(false);
    let items = Memo::new(move |_| {
        app.records.ledger.with(|l| {
            let due = follow_ups(l, browser::today());
            due.overdue
                .iter()
                .chain(due.this_week.iter())
                .filter_map(|f| match &f.visit.body {
                    RecordBody::Visit(v) => Some(DueItem {
                        id: f.visit.id,
                        revision: f.visit.revision,
                        host: v.host.clone(),
                        commissioners: labels::list(i18n.get_locale(), &v.commissioners),
                        visited: format_date(v.date),
                        due: format_date(f.due),
                        overdue: f.overdue,
                    }),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let mark = move |id: Uuid, revision: u32| {
        failed.set(None);
        not_loaded.set(false);
        let Some(body) = app
            .records
            .ledger
            .with_untracked(|l| l.live(&id).and_then(mark_done))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match lazy_await!(lazy::save_edit(app, id, revision, RecordBody::Visit(body))) {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => _ = failed.try_set(Some(error)),
                Err(_) => _ = not_loaded.try_set(true),
            }
        });
    };
    view! {
        <Show when=move || items.with(|i| !i.is_empty()) || failed.get().is_some() || not_loaded.get()>
            <section class="follow-ups card" id="follow-ups" aria-labelledby="follow-ups-title">
                <h2 id="follow-ups-title">{tr!(i18n, followups.title)}</h2>
                <ul class="follow-up-list">
                    <For each=move || items.get() key=|item| (item.id, item.revision) let:item>
                        {
                            let DueItem { id, revision, host, commissioners, visited, due, overdue } = item;
                            let due_text = {
                                let due = due.clone();
                                move || if overdue {
                                    td_string!(i18n.get_locale(), followups.overdue_since, date = due.clone()).to_string()
                                } else {
                                    td_string!(i18n.get_locale(), followups.due_on, date = due.clone()).to_string()
                                }
                            };
                            let visited_text = move || td_string!(i18n.get_locale(), followups.visited_on, date = visited.clone()).to_string();
                            let host_label = host.clone();
                            view! {
                                <li class="follow-up" class:overdue=overdue data-id=id.to_string()>
                                    <p class="follow-up-head">
                                        {overdue.then(|| view! { <span class="badge overdue-badge">{tr!(i18n, followups.overdue)}</span>" " })}
                                        <A href=Page::Detail(RecordKind::Visit, id).href() attr:class="follow-up-host">{host.clone()}</A>
                                    </p>
                                    <p class="follow-up-meta">
                                        <span class="follow-up-due">{due_text}</span>
                                        " · " <span>{commissioners}</span>
                                        " · " <span>{visited_text}</span>
                                    </p>
                                    <div class="actions">
                                        <A href=Page::New(RecordKind::Visit).href_with(&[("follow_up", id.to_string())]) attr:class="button primary record-follow-up">
                                            {tr!(i18n, followups.record_visit)}
                                        </A>
                                        <button type="button" class="mark-done"
                                            aria-label=move || td_string!(i18n.get_locale(), followups.mark_done_label, host = host_label.clone()).to_string()
                                            on:click=move |_| mark(id, revision)>{tr!(i18n, followups.mark_done)}</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <SaveError error=failed />
                {move || not_loaded.get().then(|| crate::load_failed(i18n))}
            </section>
        </Show>
    }
}
