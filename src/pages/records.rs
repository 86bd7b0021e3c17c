use crate::browser::app_href;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::browser;
use crate::components::forms::{TechnologyForm, TrainingForm, VisitForm};
use crate::components::labels;
use crate::domain::filter::{ListFilter, SearchIndex, SortOrder, serde_name};
use crate::domain::input::{format_date, parse_date};
use crate::domain::{Record, RecordKind};
use crate::i18n::*;
use crate::state::{Notice, use_app};

/// How many rows a list shows at first and adds per "show more": enough to fill a tablet
/// screen a few times, few enough that a keystroke in the filter re-renders in one frame.
const PAGE_ROWS: usize = 50;

/// Live records of one kind, filtered by what the URL's query says (so a filter survives a
/// reload and can be bookmarked), newest first unless asked otherwise.
#[component]
pub fn ListPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let query = use_query_map();
    let in_url = Memo::new(move |_| {
        query.with(|q| ListFilter::from_query(q.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    // What is typed in the search box runs ahead of the URL, which is written once typing
    // pauses: a history update per keystroke would cost more than the filtering itself.
    let typed = RwSignal::new(in_url.with_untracked(|f| f.text.clone()));
    Effect::new(move |_| {
        let text = in_url.with(|f| f.text.clone());
        if typed.with_untracked(|t| *t != text) {
            typed.set(text);
        }
    });
    let filter = Memo::new(move |_| ListFilter {
        text: typed.get(),
        ..in_url.get()
    });
    // Built once per change of the ledger (always a change: an index has no cheap equality);
    // each keystroke then only scans prepared text.
    let index = Memo::new_with_compare(
        move |_| app.ledger.with(|l| SearchIndex::new(l, kind)),
        |_, _| true,
    );
    let matches = Memo::new(move |_| {
        let filter = filter.get();
        index.with(|index| browser::measured("fl:filter", || index.filter(&filter)))
    });
    let shown = RwSignal::new(PAGE_ROWS);
    // A new filter starts again from the first page.
    Effect::new(move |_| {
        filter.track();
        shown.set(PAGE_ROWS);
    });
    let rows = move || {
        let locale = i18n.get_locale();
        let limit = shown.get();
        matches.with(|ids| {
            app.ledger.with(|ledger| {
                ids.iter()
                    .take(limit)
                    .filter_map(|id| ledger.get(id))
                    .map(|record| (record.id, record.sample, labels::summary(locale, record)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let count = move || index.with(|i| i.len());
    let matching = move || matches.with(Vec::len);
    view! {
        <div class="page-head">
            <h1>{move || labels::kind_title(i18n.get_locale(), kind)}</h1>
            <A href=app_href(&format!("/{}/new", kind.slug())) attr:class="button primary">
                {move || labels::kind_new(i18n.get_locale(), kind)}
            </A>
        </div>
        <Show when=move || { count() > 0 } fallback=move || view! { <p class="count empty" data-count="0">{crate::tr(i18n, |l| td_string!(l, list.empty))}</p> }>
            <ListFilters kind filter typed />
            <p class="count" data-count=matching data-total=count role="status" aria-live="polite">
                {move || if filter.with(ListFilter::is_active) {
                    t_string!(i18n, filter.matches, shown = matching(), count = count())
                } else {
                    t_string!(i18n, list.count, count = count())
                }}
            </p>
            <Show when=move || { matching() > 0 } fallback=move || view! { <p class="empty">{crate::tr(i18n, |l| td_string!(l, filter.no_match))}</p> }>
                <ul class="record-list">
                    <For each=rows key=|(id, _, summary)| (*id, summary.clone()) let:((id, sample, (date, title, context)))>
                        <li>
                            <A href=app_href(&format!("/{}/{id}", kind.slug())) attr:class="record-row">
                                <span class="row-date">{date}</span>
                                <span class="row-title">{title}{sample.then(|| view! { " " <span class="badge">{crate::tr(i18n, |l| td_string!(l, sample.badge))}</span> })}</span>
                                <span class="row-context">{context}</span>
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
            <Show when=move || { matching() > shown.get() }>
                <button id="show-more" on:click=move |_| shown.update(|n| *n += PAGE_ROWS)>
                    {move || t_string!(i18n, filter.show_more, n = matching() - shown.get())}
                </button>
            </Show>
        </Show>
    }
}

/// How long typing in the search box must pause before the URL is updated.
const URL_DELAY_MS: u64 = 300;

/// The filter controls of a list. Every change is written to the URL (replacing the current
/// history entry, so Back leaves the list rather than undoing keystrokes).
#[component]
fn ListFilters(
    kind: RecordKind,
    filter: Memo<ListFilter>,
    typed: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let set = StoredValue::new(move |change: &dyn Fn(&mut ListFilter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        let query: leptos_router::params::ParamsMap = next.to_query().into_iter().collect();
        navigate(
            &format!("/{}{}", kind.slug(), query.to_query_string()),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let update = move |change: &dyn Fn(&mut ListFilter)| set.with_value(|set| set(change));
    // Only the last keystroke of a burst writes the URL.
    let typing = StoredValue::new(0u64);
    let type_text = move |text: String| {
        typed.set(text);
        typing.update_value(|n| *n += 1);
        let mine = typing.get_value();
        set_timeout(
            move || {
                if typing.try_get_value() == Some(mine) {
                    update(&|_| {});
                }
            },
            std::time::Duration::from_millis(URL_DELAY_MS),
        );
    };
    let date_value = |date: Option<time::Date>| date.map(format_date).unwrap_or_default();
    view! {
        <form class="filters card" role="search" aria-label=move || t_string!(i18n, filter.title)
            on:submit=|ev| ev.prevent_default()>
            <div class="filter wide">
                <label for="filter-text">{crate::tr(i18n, |l| td_string!(l, filter.text))}</label>
                <input id="filter-text" type="search" autocomplete="off"
                    placeholder=move || t_string!(i18n, filter.text_placeholder)
                    prop:value=move || typed.get()
                    on:input=move |ev| type_text(event_target_value(&ev)) />
            </div>
            <div class="filter">
                <label for="filter-county">{crate::tr(i18n, |l| td_string!(l, filter.county))}</label>
                <select id="filter-county" prop:value=move || filter.with(|f| f.county.clone())
                    on:change=move |ev| { let county = event_target_value(&ev); update(&|f| f.county = county.clone()) }>
                    <option value="">{crate::tr(i18n, |l| td_string!(l, filter.any_county))}</option>
                    {move || {
                        let locale = i18n.get_locale();
                        app.settings.with(|s| s.counties()).into_iter().map(|name| {
                            let shown = labels::county(locale, &name);
                            view! { <option value=name.clone() selected=move || filter.with(|f| f.county == name)>{shown}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <div class="filter">
                <label for="filter-from">{crate::tr(i18n, |l| td_string!(l, filter.from))}</label>
                <input id="filter-from" type="date" prop:value=move || filter.with(|f| date_value(f.from))
                    on:change=move |ev| { let date = parse_date(&event_target_value(&ev)); update(&|f| f.from = date) } />
            </div>
            <div class="filter">
                <label for="filter-to">{crate::tr(i18n, |l| td_string!(l, filter.to))}</label>
                <input id="filter-to" type="date" prop:value=move || filter.with(|f| date_value(f.to))
                    on:change=move |ev| { let date = parse_date(&event_target_value(&ev)); update(&|f| f.to = date) } />
            </div>
            {kind_filters(kind, filter, update)}
            <div class="filter">
                <label for="filter-sort">{crate::tr(i18n, |l| td_string!(l, filter.sort))}</label>
                <select id="filter-sort"
                    on:change=move |ev| {
                        let sort = if event_target_value(&ev) == "oldest" { SortOrder::OldestFirst } else { SortOrder::NewestFirst };
                        update(&|f| f.sort = sort)
                    }>
                    <option value="newest" selected=move || filter.with(|f| f.sort == SortOrder::NewestFirst)>{crate::tr(i18n, |l| td_string!(l, filter.newest))}</option>
                    <option value="oldest" selected=move || filter.with(|f| f.sort == SortOrder::OldestFirst)>{crate::tr(i18n, |l| td_string!(l, filter.oldest))}</option>
                </select>
            </div>
            <Show when=move || filter.with(ListFilter::is_active)>
                <button type="button" id="filter-clear" on:click=move |_| update(&|f| *f = ListFilter::default())>
                    {crate::tr(i18n, |l| td_string!(l, filter.clear))}
                </button>
            </Show>
        </form>
    }
}

/// A select over one enum's values, with "all" first; `label_of` names a value.
fn enum_filter<T: Copy + PartialEq + serde::Serialize + Send + Sync + 'static>(
    id: &'static str,
    label: fn(Locale) -> &'static str,
    values: &'static [T],
    slug: fn(T) -> Option<String>,
    label_of: fn(Locale, T) -> &'static str,
    current: Signal<Option<T>>,
    set: impl Fn(Option<T>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="filter">
            <label for=id>{move || label(i18n.get_locale())}</label>
            <select id=id on:change=move |ev| {
                let chosen = event_target_value(&ev);
                set(values.iter().copied().find(|v| slug(*v).is_some_and(|s| s == chosen)));
            }>
                <option value="">{crate::tr(i18n, |l| td_string!(l, filter.any))}</option>
                {values.iter().copied().map(|value| view! {
                    <option value=slug(value).unwrap_or_default() selected=move || current.get() == Some(value)>
                        {move || label_of(i18n.get_locale(), value)}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

fn kind_filters(
    kind: RecordKind,
    filter: Memo<ListFilter>,
    update: impl Fn(&dyn Fn(&mut ListFilter)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    use crate::domain::{HostType, Stage, TechCategory, TrainingType};
    match kind {
        RecordKind::Training => enum_filter(
            "filter-type",
            |l| td_string!(l, filter.training_type),
            &TrainingType::ALL,
            serde_name,
            labels::training_type,
            Signal::derive(move || filter.with(|f| f.training_type)),
            move |v| update(&|f| f.training_type = v),
        )
        .into_any(),
        RecordKind::Technology => view! {
            {enum_filter(
                "filter-stage",
                |l| td_string!(l, filter.stage),
                &Stage::ALL,
                serde_name,
                labels::stage,
                Signal::derive(move || filter.with(|f| f.stage)),
                move |v| update(&|f| f.stage = v),
            )}
            {enum_filter(
                "filter-category",
                |l| td_string!(l, filter.category),
                &TechCategory::ALL,
                serde_name,
                labels::category,
                Signal::derive(move || filter.with(|f| f.category)),
                move |v| update(&|f| f.category = v),
            )}
        }
        .into_any(),
        RecordKind::Visit => enum_filter(
            "filter-host",
            |l| td_string!(l, filter.host_type),
            &HostType::ALL,
            serde_name,
            labels::host_type,
            Signal::derive(move || filter.with(|f| f.host_type)),
            move |v| update(&|f| f.host_type = v),
        )
        .into_any(),
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

use crate::components::related::{
    ConcerningRecords, FollowUpLinks, LinkedTechnologies, LocationView,
};
use crate::domain::RecordBody;
use crate::domain::followup;

fn record_form(
    kind: RecordKind,
    existing: Option<Record>,
    prefill: Option<RecordBody>,
) -> impl IntoView {
    match kind {
        RecordKind::Training => EitherOf3::A(view! { <TrainingForm existing prefill /> }),
        RecordKind::Technology => EitherOf3::B(view! { <TechnologyForm existing prefill /> }),
        RecordKind::Visit => EitherOf3::C(view! { <VisitForm existing prefill /> }),
    }
}

/// Where a new record's form starts from, as the URL says: `?from=<id>` copies a record of
/// the same kind (dated today), `?follow_up=<id>` starts the visit that follows up another.
#[derive(Clone, Debug, PartialEq)]
enum Start {
    Blank,
    Copy {
        body: RecordBody,
        title: String,
    },
    FollowUp {
        body: RecordBody,
        original: String,
    },
    /// The record named in the URL is not there (deleted, or never imported here).
    NotFound,
}

fn start_of(
    ledger: &crate::domain::Ledger,
    locale: Locale,
    kind: RecordKind,
    from: Option<String>,
    follow_up: Option<String>,
) -> Start {
    let today = browser::today();
    let find = |id: Option<String>| {
        id.and_then(|id| Uuid::parse_str(id.trim()).ok())
            .and_then(|id| ledger.live(&id))
    };
    if let Some(id) = follow_up.filter(|_| kind == RecordKind::Visit) {
        return match find(Some(id)).and_then(|r| Some((r, followup::follow_up_visit(r, today)?))) {
            Some((original, visit)) => {
                let (date, host, _) = labels::summary(locale, original);
                Start::FollowUp {
                    body: RecordBody::Visit(visit),
                    original: format!("{date} {host}"),
                }
            }
            None => Start::NotFound,
        };
    }
    if from.is_some() {
        return match find(from).filter(|r| r.kind() == kind) {
            Some(record) => Start::Copy {
                body: followup::copy_body(record, today),
                title: labels::summary(locale, record).1,
            },
            None => Start::NotFound,
        };
    }
    Start::Blank
}

#[component]
pub fn NewPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let query = use_query_map();
    let source = Memo::new(move |_| query.with(|q| (q.get("from"), q.get("follow_up"))));
    view! {
        <h1>{move || labels::kind_new(i18n.get_locale(), kind)}</h1>
        // Built again only when the URL names another starting point: saving (which changes
        // the ledger) must not reset what is being typed.
        {move || {
            let (from, follow_up) = source.get();
            let locale = i18n.get_locale_untracked();
            let start = app
                .ledger
                .with_untracked(|l| start_of(l, locale, kind, from, follow_up));
            let (note, prefill) = match start {
                Start::Blank => (None, None),
                Start::Copy { body, title } => (
                    Some(view! { <p class="banner info prefill-note" id="copied-from">{move || t_string!(i18n, entry.copied_from, title = title.clone()).to_string()}</p> }.into_any()),
                    Some(body),
                ),
                Start::FollowUp { body, original } => (
                    Some(view! { <p class="banner info prefill-note" id="following-up">{move || t_string!(i18n, followups.recording_for, original = original.clone()).to_string()}</p> }.into_any()),
                    Some(body),
                ),
                Start::NotFound => (
                    Some(view! { <p class="banner warning prefill-note" role="status">{crate::tr(i18n, |l| td_string!(l, entry.source_not_found))}</p> }.into_any()),
                    None,
                ),
            };
            view! { {note} {record_form(kind, None, prefill)} }
        }}
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
            Some(existing) => record_form(kind, Some(existing), None).into_any(),
            None => view! { <p class="empty">{crate::tr(i18n, |l| td_string!(l, detail.not_found))}</p> }.into_any(),
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
                <p class="empty">{crate::tr(i18n, |l| td_string!(l, detail.not_found))}</p>
                <A href=app_href(&format!("/{}", kind.slug())) attr:class="button">{crate::tr(i18n, |l| td_string!(l, action.back_to_list))}</A>
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
    let location = match &record.body {
        RecordBody::Visit(v) => v.location.clone(),
        RecordBody::Technology(t) => t.site_location.clone(),
        RecordBody::Training(_) => None,
    };
    let related = match kind {
        RecordKind::Technology => view! { <ConcerningRecords technology_id=id /> }.into_any(),
        RecordKind::Training => view! { <LinkedTechnologies record_id=id /> }.into_any(),
        RecordKind::Visit => {
            view! { <FollowUpLinks record_id=id /> <LinkedTechnologies record_id=id /> }.into_any()
        }
    };
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
        {location.map(|point| view! { <LocationView point /> })}
        {related}
        <div class="actions">
            <A href=app_href(&format!("/{}/{id}/edit", kind.slug())) attr:class="button primary">{crate::tr(i18n, |l| td_string!(l, action.edit))}</A>
            <A href=app_href(&format!("/{}/new?from={id}", kind.slug())) attr:class="button" attr:id="copy-record">{crate::tr(i18n, |l| td_string!(l, entry.copy_record))}</A>
            <button class="danger" on:click=move |_| confirming.set(true)>{crate::tr(i18n, |l| td_string!(l, action.delete))}</button>
            <A href=app_href(&format!("/{}", kind.slug())) attr:class="button">{crate::tr(i18n, |l| td_string!(l, action.back_to_list))}</A>
        </div>
        <Show when=move || confirming.get()>
            <div class="confirm card" role="alertdialog" aria-labelledby="delete-question">
                <p id="delete-question">{crate::tr(i18n, |l| td_string!(l, detail.delete_question))}</p>
                <div class="actions">
                    <button class="danger" id="confirm-delete" on:click=delete.clone()>{crate::tr(i18n, |l| td_string!(l, action.confirm_delete))}</button>
                    <button on:click=move |_| confirming.set(false)>{crate::tr(i18n, |l| td_string!(l, action.cancel))}</button>
                </div>
            </div>
        </Show>
        {move || delete_error.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, detail.delete_failed, reason)}</p> })}
        {(!history.is_empty()).then(|| view! { <VersionHistory id versions=history conflict /> })}
        <section class="provenance">
            <h2>{crate::tr(i18n, |l| td_string!(l, detail.provenance))}</h2>
            <dl class="details small">
                <dt>{crate::tr(i18n, |l| td_string!(l, detail.revision))}</dt> <dd class="revision">{record.revision}</dd>
                <dt>{crate::tr(i18n, |l| td_string!(l, detail.author))}</dt> <dd>{record.author.clone()}</dd>
                <dt>{crate::tr(i18n, |l| td_string!(l, detail.created))}</dt> <dd>{created}</dd>
                <dt>{crate::tr(i18n, |l| td_string!(l, detail.updated))}</dt> <dd>{updated}</dd>
                <dt>{crate::tr(i18n, |l| td_string!(l, detail.device))}</dt> <dd class="mono">{record.device_id.clone()}</dd>
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
            <h2 id="history-title">{crate::tr(i18n, |l| td_string!(l, detail.history))}</h2>
            {conflict.then(|| view! { <p class="conflict-note" role="note">{crate::tr(i18n, |l| td_string!(l, detail.conflict))}</p> })}
            <p class="hint">{crate::tr(i18n, |l| td_string!(l, detail.history_help))}</p>
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
                                    {deleted.then(|| view! { " " {crate::tr(i18n, |l| td_string!(l, detail.deleted_version))} })}
                                </p>
                                <p class="version-title">{title}</p>
                                <button class="restore" on:click=restore>{crate::tr(i18n, |l| td_string!(l, detail.restore))}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {move || failed.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, form.save_failed, reason)}</p> })}
        </section>
    }
}
