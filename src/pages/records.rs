use crate::browser::app_href;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::components::forms::{TechnologyForm, TrainingForm, VisitForm};
use crate::components::labels;
use crate::domain::{Record, RecordKind};
use crate::i18n::*;
use crate::state::{Notice, use_app};

/// Live records of one kind, newest first.
#[component]
pub fn ListPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = move || {
        let locale = i18n.get_locale();
        app.ledger.with(|ledger| {
            ledger
                .list(kind)
                .into_iter()
                .map(|record| (record.id, labels::summary(locale, record)))
                .collect::<Vec<_>>()
        })
    };
    let count = move || app.ledger.with(|l| l.count(kind));
    view! {
        <div class="page-head">
            <h1>{move || labels::kind_title(i18n.get_locale(), kind)}</h1>
            <A href=app_href(&format!("/{}/new", kind.slug())) attr:class="button primary">
                {move || labels::kind_new(i18n.get_locale(), kind)}
            </A>
        </div>
        <p class="count" data-count=count>{move || t_string!(i18n, list.count, count = count())}</p>
        <Show when=move || { count() > 0 } fallback=move || view! { <p class="empty">{t!(i18n, list.empty)}</p> }>
            <ul class="record-list">
                <For each=rows key=|(id, summary)| (*id, summary.clone()) let:((id, (date, title, context)))>
                    <li>
                        <A href=app_href(&format!("/{}/{id}", kind.slug())) attr:class="record-row">
                            <span class="row-date">{date}</span>
                            <span class="row-title">{title}</span>
                            <span class="row-context">{context}</span>
                        </A>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

/// The record named by the `:id` route parameter, if it exists, is live and of this kind.
fn routed_record(kind: RecordKind) -> impl Fn() -> Option<Record> + Copy + Send + Sync {
    let app = use_app();
    let params = use_params_map();
    move || {
        let id = params
            .with(|p| p.get("id"))
            .and_then(|id| Uuid::parse_str(&id).ok())?;
        app.ledger
            .with(|l| l.live(&id).cloned())
            .filter(|r| r.kind() == kind)
    }
}

fn record_form(kind: RecordKind, existing: Option<Record>) -> impl IntoView {
    match kind {
        RecordKind::Training => EitherOf3::A(view! { <TrainingForm existing /> }),
        RecordKind::Technology => EitherOf3::B(view! { <TechnologyForm existing /> }),
        RecordKind::Visit => EitherOf3::C(view! { <VisitForm existing /> }),
    }
}

#[component]
pub fn NewPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || labels::kind_new(i18n.get_locale(), kind)}</h1>
        {record_form(kind, None)}
    }
}

#[component]
pub fn EditPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let record = routed_record(kind);
    // The form is built once from the record as it was when the page opened, so that a save
    // (which changes the ledger) does not reset what is being typed.
    let existing = untrack(record);
    view! {
        <h1>{move || labels::kind_edit(i18n.get_locale(), kind)}</h1>
        {match existing {
            Some(existing) => record_form(kind, Some(existing)).into_any(),
            None => view! { <p class="empty">{t!(i18n, detail.not_found)}</p> }.into_any(),
        }}
    }
}

#[component]
pub fn DetailPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let record = routed_record(kind);
    view! {
        {move || match record() {
            Some(record) => view! { <RecordDetail record /> }.into_any(),
            None => view! {
                <p class="empty">{t!(i18n, detail.not_found)}</p>
                <A href=app_href(&format!("/{}", kind.slug())) attr:class="button">{t!(i18n, action.back_to_list)}</A>
            }.into_any(),
        }}
    }
}

#[component]
fn RecordDetail(record: Record) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let kind = record.kind();
    let id = record.id;
    let confirming = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<&'static str>);
    let title = labels::summary(i18n.get_locale_untracked(), &record).1;
    let body = record.body.clone();
    let rows = move || labels::detail_rows(i18n.get_locale(), &body);
    let delete = move |_| match app.delete(id) {
        Ok(()) => {
            app.notice.set(Some(Notice::Deleted(id)));
            navigate(&format!("/{}", kind.slug()), Default::default())
        }
        Err(error) => delete_error.set(Some(labels::storage_error(
            i18n.get_locale_untracked(),
            &error,
        ))),
    };
    let history = record.history.clone();
    let conflict = history.iter().any(|v| v.revision == record.revision);
    let created = record.created_at.date().to_string();
    let updated = crate::domain::input::format_date(record.updated_at.date());
    view! {
        <p class="kind-label">{move || labels::kind_title(i18n.get_locale(), kind)}</p>
        <h1 class="record-title">{title}</h1>
        <dl class="details">
            {move || {
                rows()
                    .into_iter()
                    .map(|(label, value)| view! { <dt>{label}</dt> <dd>{value}</dd> })
                    .collect_view()
            }}
        </dl>
        <div class="actions">
            <A href=app_href(&format!("/{}/{id}/edit", kind.slug())) attr:class="button primary">{t!(i18n, action.edit)}</A>
            <button class="danger" on:click=move |_| confirming.set(true)>{t!(i18n, action.delete)}</button>
            <A href=app_href(&format!("/{}", kind.slug())) attr:class="button">{t!(i18n, action.back_to_list)}</A>
        </div>
        <Show when=move || confirming.get()>
            <div class="confirm card" role="alertdialog" aria-labelledby="delete-question">
                <p id="delete-question">{t!(i18n, detail.delete_question)}</p>
                <div class="actions">
                    <button class="danger" id="confirm-delete" on:click=delete.clone()>{t!(i18n, action.confirm_delete)}</button>
                    <button on:click=move |_| confirming.set(false)>{t!(i18n, action.cancel)}</button>
                </div>
            </div>
        </Show>
        {move || delete_error.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, detail.delete_failed, reason)}</p> })}
        {(!history.is_empty()).then(|| view! { <VersionHistory id versions=history conflict /> })}
        <section class="provenance">
            <h2>{t!(i18n, detail.provenance)}</h2>
            <dl class="details small">
                <dt>{t!(i18n, detail.revision)}</dt> <dd class="revision">{record.revision}</dd>
                <dt>{t!(i18n, detail.author)}</dt> <dd>{record.author.clone()}</dd>
                <dt>{t!(i18n, detail.created)}</dt> <dd>{created}</dd>
                <dt>{t!(i18n, detail.updated)}</dt> <dd>{updated}</dd>
                <dt>{t!(i18n, detail.device)}</dt> <dd class="mono">{record.device_id.clone()}</dd>
            </dl>
        </section>
    }
}

/// The other versions of a record kept by merges, each restorable as a new revision.
#[component]
fn VersionHistory(id: Uuid, versions: Vec<Record>, conflict: bool) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<&'static str>);
    view! {
        <section class="history card" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, detail.history)}</h2>
            {conflict.then(|| view! { <p class="conflict-note" role="note">{t!(i18n, detail.conflict)}</p> })}
            <p class="hint">{t!(i18n, detail.history_help)}</p>
            <ul class="versions">
                {versions
                    .into_iter()
                    .rev()
                    .map(|version| {
                        let when = crate::domain::input::format_date(version.updated_at.date());
                        let revision = version.revision;
                        let author = version.author.clone();
                        let deleted = version.deleted;
                        let title = labels::summary(i18n.get_locale_untracked(), &version).1;
                        let restore = move |_| {
                            if let Err(error) = app.restore(id, &version) {
                                failed.set(Some(labels::storage_error(i18n.get_locale_untracked(), &error)));
                            }
                        };
                        view! {
                            <li>
                                <p>
                                    {move || t_string!(i18n, detail.version_line, revision, author = author.clone(), when = when.clone())}
                                    {deleted.then(|| view! { " " {t!(i18n, detail.deleted_version)} })}
                                </p>
                                <p class="version-title">{title}</p>
                                <button class="restore" on:click=restore>{t!(i18n, detail.restore)}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {move || failed.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, form.save_failed, reason)}</p> })}
        </section>
    }
}
