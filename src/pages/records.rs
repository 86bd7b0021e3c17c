//! The pages of one record kind: its list (with filters), a new record, a record, and its
//! edit form.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::form::RecordForm;
use crate::components::labels;
use crate::components::notice::{Notice, use_notice};
use crate::components::photos::{PhotoPanel, takes_photos};
use crate::components::record_text::{detail_rows, summary};
use crate::components::related::{
    ConcerningRecords, DemandAnswers, FollowUpLinks, LinkedRecords, LinkedTechnologies,
    LocationView, TeamWork,
};
use crate::components::sync_text::SourcePicker;
use crate::domain::datetime_text::parse_date;
use crate::domain::filter::{ListFilter, SearchIndex, SortOrder};
use crate::domain::form::{Field, FieldInfo, format_date};
use crate::domain::order;
use crate::domain::{Kind, Record, RecordBody, RecordKind, followup};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::{self, Page};
use crate::state::use_app;
use crate::storage::StorageError;
use crate::storage::photos::PhotoStore;

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
    // pauses: a history update per keystroke would cost more than the filtering itself. The
    // typed text holds while the URL still has the text it was typed over; once the URL
    // changes (written, or another address opened) the URL's text is the filter's.
    let typed = RwSignal::new(None::<TypedText>);
    let filter = Memo::new(move |_| {
        let url = in_url.get();
        let ahead = typed.with(|t| {
            t.as_ref()
                .filter(|t| t.over == url.text)
                .map(|t| t.text.clone())
        });
        ListFilter {
            text: ahead.unwrap_or(url.text.clone()),
            ..url
        }
    });
    // Built once, then brought up to date with each change of the ledger (a save prepares
    // one record's text); each keystroke only scans prepared text.
    let index = StoredValue::new(None::<SearchIndex>);
    let matches = Memo::new(move |_| {
        let filter = filter.get();
        app.records.ledger.with(|ledger| {
            index.update_value(|index| match index {
                Some(index) => index.refresh(ledger),
                None => *index = Some(SearchIndex::new(ledger, kind)),
            })
        });
        index.with_value(|index| {
            browser::measured("fl:filter", || {
                index
                    .as_ref()
                    .map(|i| i.filter(&filter))
                    .unwrap_or_default()
            })
        })
    });
    // How many rows "show more" asked for, and for which filter: a new filter starts again
    // from the first page.
    let more = RwSignal::new(None::<(ListFilter, usize)>);
    let shown = Memo::new(move |_| {
        filter.with(|current| {
            more.with(|more| match more {
                Some((asked_for, rows)) if asked_for == current => *rows,
                _ => PAGE_ROWS,
            })
        })
    });
    let rows = move || {
        let locale = i18n.get_locale();
        let limit = shown.get();
        matches.with(|ids| {
            app.records.ledger.with(|ledger| {
                ids.iter()
                    .take(limit)
                    .filter_map(|id| ledger.get(id))
                    .map(|record| {
                        let thumb = record.photos.first().map(|p| (p.hash.clone(), p.mime));
                        (record.id, record.sample, summary(locale, record), thumb)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let count = move || app.records.ledger.with(|l| l.count(kind));
    let matching = move || matches.with(Vec::len);
    // Server mode: the coordinator reads the list from the sync server instead.
    let has_server = Memo::new(move |_| app.sync.offers_server_mode());
    let from_server = Memo::new(move |_| app.sync.server_mode());
    view! {
        <div class="page-head">
            <h1>{move || labels::kind_title(i18n.get_locale(), kind)}</h1>
            {move || has_server.get().then(|| view! { <SourcePicker id="list-source" /> })}
            <A href=Page::New(kind).href() attr:class="button primary">
                {move || labels::kind_new(i18n.get_locale(), kind)}
            </A>
        </div>
        <Show when=move || from_server.get()>
            <ServerList kind />
        </Show>
        <Show when=move || !from_server.get()>
        <Show when=move || { count() > 0 } fallback=move || view! { <p class="count empty" data-count="0">{tr!(i18n, list.empty)}</p> }>
            <ListFilters kind filter in_url typed />
            <p class="count" data-count=matching data-total=count role="status" aria-live="polite">
                {move || if filter.with(ListFilter::is_active) {
                    td_string!(i18n.get_locale(), filter.matches, shown = matching(), count = count())
                } else {
                    td_string!(i18n.get_locale(), list.count, count = count())
                }}
            </p>
            <Show when=move || { matching() > 0 } fallback=move || view! { <p class="empty">{tr!(i18n, filter.no_match)}</p> }>
                {move || rows().iter().any(|row| row.3.is_some()).then(|| view! {
                    <link rel="stylesheet" href=browser::app_href("/photos.css") />
                })}
                <ul class="record-list">
                    <For each=rows key=|(id, _, summary, thumb)| (*id, summary.clone(), thumb.clone()) let:((id, sample, (date, title, context), thumb))>
                        <li>
                            <A href=Page::Detail(kind, id).href() attr:class="record-row">
                                <span class="row-date">{date}</span>
                                <span class="row-title">{title}{sample.then(|| view! { " " <span class="badge">{tr!(i18n, sample.badge)}</span> })}</span>
                                <span class="row-context">{context}</span>
                                {thumb.map(|(hash, mime)| view! { <RowThumb hash mime /> })}
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
            <Show when=move || { matching() > shown.get() }>
                <button id="show-more" on:click=move |_| more.set(Some((filter.get_untracked(), shown.get_untracked() + PAGE_ROWS)))>
                    {move || td_string!(i18n.get_locale(), filter.show_more, n = matching() - shown.get())}
                </button>
            </Show>
        </Show>
        </Show>
    }
}

/// A record's first photo, small, in its list row: read from the photo store when the row
/// shows, nothing when this tablet does not have it.
#[component]
fn RowThumb(hash: String, mime: crate::domain::photo::PhotoMime) -> impl IntoView {
    let url = RwSignal::new(None::<String>);
    on_cleanup(move || {
        if let Some(url) = url.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let store = PhotoStore::in_use();
    leptos::task::spawn_local(async move {
        let Ok(Some(stored)) = store.get(&hash).await else {
            return;
        };
        let shown = browser::photo_url(&stored.bytes, mime.as_str());
        // The row may be gone meanwhile: then the URL is freed at once.
        if let Some(Some(gone)) = url.try_set(shown) {
            let _ = web_sys::Url::revoke_object_url(&gone);
        }
    });
    move || {
        url.get()
            .map(|src| view! { <img class="row-thumb" src=src alt="" /> })
    }
}

/// A kind's records on the sync server, a page at a time, the latest changed first (server
/// mode's list: a city's records need not be on this tablet). Each opens in place.
#[component]
fn ServerList(kind: RecordKind) -> impl IntoView {
    use crate::components::sync_text::ServerModeProblem;
    use crate::replication::views::{Cursor, LIST_PAGE};
    use crate::state::sync::SyncFailure;
    let i18n = use_i18n();
    let app = use_app();
    let records = RwSignal::new(Vec::<Record>::new());
    let unreadable = RwSignal::new(0_usize);
    // None once the last page is in.
    let next = RwSignal::new(Some(Cursor::default()));
    let failure = RwSignal::new(None::<SyncFailure>);
    let loading = RwSignal::new(false);
    let load = move || {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            // The list may be gone (another page opened) by the time the server answers.
            match app.sync.server_list(kind, cursor).await {
                Ok(page) => {
                    records.try_update(|r| r.extend(page.records));
                    unreadable.try_update(|n| *n += page.unreadable);
                    next.try_set(page.next);
                }
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
            loading.try_set(false);
        });
    };
    load();
    let rows = move || {
        let locale = i18n.get_locale();
        records.with(|records| {
            records
                .iter()
                .map(|record| {
                    let (date, title, context) = summary(locale, record);
                    let details = detail_rows(locale, &record.body);
                    view! {
                        <li>
                            <details class="server-record">
                                <summary class="record-row">
                                    <span class="row-date">{date}</span>
                                    <span class="row-title">{title}</span>
                                    <span class="row-context">{context}</span>
                                </summary>
                                <dl class="details">
                                    {details.into_iter().map(|(label, value)| view! { <dt>{label}</dt> <dd>{value}</dd> }).collect_view()}
                                    <dt>{tr!(i18n, detail.author)}</dt> <dd>{record.author.clone()}</dd>
                                    <dt>{tr!(i18n, detail.updated)}</dt> <dd>{format_date(record.updated_at.date())}</dd>
                                </dl>
                                {(!record.photos.is_empty()).then(|| view! {
                                    <ServerPhotos doc_id=crate::replication::couch::doc_id(record) photos=record.photos.clone() />
                                })}
                            </details>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section id="server-list" aria-live="polite">
            <p class="hint">{move || td_string!(i18n.get_locale(), list.server_note, n = LIST_PAGE)}</p>
            <p class="count" id="server-list-count" data-count=move || records.with(Vec::len)>
                {move || td_string!(i18n.get_locale(), list.server_shown, count = records.with(Vec::len))}
            </p>
            <ul class="record-list">{rows}</ul>
            {move || (unreadable.get() > 0).then(|| view! {
                <p class="hint" id="server-list-unreadable">{td_string!(i18n.get_locale(), list.server_unreadable, count = unreadable.get())}</p>
            })}
            {move || failure.get().map(|failure| view! { <ServerModeProblem id="server-list-error" failure /> })}
            {move || if loading.get() {
                view! { <p id="server-list-loading">{tr!(i18n, list.server_loading)}</p> }.into_any()
            } else if next.with(Option::is_some) {
                view! {
                    <button id="server-list-more" on:click=move |_| load()>
                        {move || td_string!(i18n.get_locale(), list.server_more, n = LIST_PAGE)}
                    </button>
                }
                .into_any()
            } else {
                view! { <p class="hint" id="server-list-end">{tr!(i18n, list.server_end)}</p> }.into_any()
            }}
        </section>
    }
}

/// A server record's photos (server mode): each fetched from the server only when asked for,
/// shown, and never stored on this tablet.
#[component]
fn ServerPhotos(doc_id: String, photos: Vec<crate::domain::photo::PhotoRef>) -> impl IntoView {
    use crate::components::sync_text::ServerModeProblem;
    use crate::state::sync::SyncFailure;
    let i18n = use_i18n();
    let app = use_app();
    let photos = photos
        .into_iter()
        .enumerate()
        .map(|(index, photo)| {
            let shown = RwSignal::new(None::<Result<String, SyncFailure>>);
            let loading = RwSignal::new(false);
            on_cleanup(move || {
                if let Some(Ok(url)) = shown.get_untracked() {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            });
            let caption = photo.caption.clone();
            let doc_id = doc_id.clone();
            let show = move |_| {
                let (doc_id, photo) = (doc_id.clone(), photo.clone());
                loading.set(true);
                leptos::task::spawn_local(async move {
                    let mime = photo.mime;
                    let fetched = app.sync.server_photo(doc_id, photo).await.and_then(|bytes| {
                        browser::photo_url(&bytes, mime.as_str()).ok_or(SyncFailure::NotLoaded)
                    });
                    loading.try_set(false);
                    // The list may be gone meanwhile: then the URL is freed at once.
                    if let Some(Some(Ok(url))) = shown.try_set(Some(fetched)) {
                        let _ = web_sys::Url::revoke_object_url(&url);
                    }
                });
            };
            view! {
                <div class="server-photo">
                    {move || match shown.get() {
                        Some(Ok(url)) => view! {
                            <figure>
                                <img src=url alt=caption.clone() />
                                <figcaption>{caption.clone()}</figcaption>
                            </figure>
                        }.into_any(),
                        other => view! {
                            <button type="button" class="server-photo-show" disabled=move || loading.get() on:click=show.clone()>
                                {move || if loading.get() {
                                    td_string!(i18n.get_locale(), photos.server_loading).to_string()
                                } else {
                                    td_string!(i18n.get_locale(), photos.server_show, n = index + 1).to_string()
                                }}
                            </button>
                            {other.and_then(Result::err).map(|failure| view! { <ServerModeProblem id="server-photo-error" failure /> })}
                        }.into_any(),
                    }}
                </div>
            }
        })
        .collect_view();
    view! {
        <link rel="stylesheet" href=browser::app_href("/photos.css") />
        {photos}
    }
}

/// Text typed into a list's search box, ahead of the URL: it holds while the URL's text is
/// still `over`, the text it was typed over.
#[derive(Clone, Debug, PartialEq)]
struct TypedText {
    text: String,
    over: String,
}

/// How long typing in the search box must pause before the URL is updated.
const URL_DELAY: Duration = Duration::from_millis(300);

/// The filter controls of a list. Every change is written to the URL (replacing the current
/// history entry, so Back leaves the list rather than undoing keystrokes).
#[component]
fn ListFilters(
    kind: RecordKind,
    filter: Memo<ListFilter>,
    in_url: Memo<ListFilter>,
    typed: RwSignal<Option<TypedText>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let set = StoredValue::new(move |change: &dyn Fn(&mut ListFilter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        navigate(
            &Page::List(kind).path_with(&next.to_query()),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let update = move |change: &dyn Fn(&mut ListFilter)| set.with_value(|set| set(change));
    // Only the last keystroke of a burst writes the URL.
    let mut write_url = debounce(URL_DELAY, move |()| update(&|_| {}));
    let mut type_text = move |text: String| {
        let over = in_url.with_untracked(|f| f.text.clone());
        typed.set(Some(TypedText { text, over }));
        write_url(());
    };
    let date_value = |date: Option<time::Date>| date.map(format_date).unwrap_or_default();
    view! {
        <form class="filters card" role="search" aria-label=move || td_string!(i18n.get_locale(), filter.title)
            on:submit=|ev| ev.prevent_default()>
            <div class="filter wide">
                <label for="filter-text">{tr!(i18n, filter.text)}</label>
                <input id="filter-text" type="search" autocomplete="off"
                    placeholder=move || td_string!(i18n.get_locale(), filter.text_placeholder)
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:input=move |ev| type_text(event_target_value(&ev)) />
            </div>
            <div class="filter">
                <label for="filter-county">{tr!(i18n, filter.county)}</label>
                <select id="filter-county" prop:value=move || filter.with(|f| f.county.clone())
                    on:change=move |ev| { let county = event_target_value(&ev); update(&|f| f.county = county.clone()) }>
                    <option value="">{tr!(i18n, filter.any_county)}</option>
                    {move || {
                        let locale = i18n.get_locale();
                        app.settings.settings.with(|s| s.counties()).into_iter().map(|name| {
                            let shown = labels::county(locale, &name);
                            view! { <option value=name.clone() selected=move || filter.with(|f| f.county == name)>{shown}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            {team_filter(kind, filter, update)}
            <div class="filter">
                <label for="filter-from">{tr!(i18n, filter.from)}</label>
                <input id="filter-from" type="date" prop:value=move || filter.with(|f| date_value(f.from))
                    on:change=move |ev| { let date = parse_date(&event_target_value(&ev)); update(&|f| f.from = date) } />
            </div>
            <div class="filter">
                <label for="filter-to">{tr!(i18n, filter.to)}</label>
                <input id="filter-to" type="date" prop:value=move || filter.with(|f| date_value(f.to))
                    on:change=move |ev| { let date = parse_date(&event_target_value(&ev)); update(&|f| f.to = date) } />
            </div>
            {facet_filters(kind, filter, update)}
            <div class="filter">
                <label for="filter-sort">{tr!(i18n, filter.sort)}</label>
                <select id="filter-sort"
                    on:change=move |ev| {
                        let sort = if event_target_value(&ev) == "oldest" { SortOrder::OldestFirst } else { SortOrder::NewestFirst };
                        update(&|f| f.sort = sort)
                    }>
                    <option value="newest" selected=move || filter.with(|f| f.sort == SortOrder::NewestFirst)>{tr!(i18n, filter.newest)}</option>
                    <option value="oldest" selected=move || filter.with(|f| f.sort == SortOrder::OldestFirst)>{tr!(i18n, filter.oldest)}</option>
                </select>
            </div>
            <Show when=move || filter.with(ListFilter::is_active)>
                <button type="button" id="filter-clear" on:click=move |_| update(&|f| *f = ListFilter::default())>
                    {tr!(i18n, filter.clear)}
                </button>
            </Show>
        </form>
    }
}

/// A select over the team records, for the kinds that link a team (none for teams).
fn team_filter(
    kind: RecordKind,
    filter: Memo<ListFilter>,
    update: impl Fn(&dyn Fn(&mut ListFilter)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let links_team = crate::with_kind!(kind, K => K::spec(Field::TeamId).is_some());
    let teams = Memo::new(move |_| {
        app.records.ledger.with(|l| {
            let mut teams: Vec<(Uuid, String)> = l
                .list(RecordKind::Team)
                .into_iter()
                .filter_map(|r| match &r.body {
                    RecordBody::Team(t) => Some((r.id, t.name.clone())),
                    _ => None,
                })
                .collect();
            order::sort_by(&mut teams, |a, b| a.1.cmp(&b.1));
            teams
        })
    });
    links_team.then(|| view! {
        <Show when=move || teams.with(|t| !t.is_empty())>
            <div class="filter">
                <label for="filter-team">{move || labels::field(i18n.get_locale(), Field::TeamId)}</label>
                <select id="filter-team" on:change=move |ev| {
                    let team = Uuid::parse_str(&event_target_value(&ev)).ok();
                    update(&|f| f.team = team)
                }>
                    <option value="">{tr!(i18n, filter.any)}</option>
                    {move || teams.get().into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=move || filter.with(|f| f.team == Some(id))>{name}</option>
                    }).collect_view()}
                </select>
            </div>
        </Show>
    })
}

/// A select over each choice field the kind's form marks as a facet, with "all" first.
fn facet_filters(
    kind: RecordKind,
    filter: Memo<ListFilter>,
    update: impl Fn(&dyn Fn(&mut ListFilter)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let facets: Vec<(FieldInfo, &'static str)> = crate::with_kind!(kind, K => K::FIELDS
        .iter()
        .filter_map(|spec| spec.facet.map(|key| (spec.info(), key)))
        .collect());
    facets
        .into_iter()
        .map(|(info, key)| {
            let field = info.field;
            let id = format!("filter-{key}");
            let current = move || filter.with(|f| f.facet(field).map(str::to_owned));
            view! {
                <div class="filter">
                    <label for=id.clone()>{move || labels::field(i18n.get_locale(), field)}</label>
                    <select id=id on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        update(&|f| f.set_facet(field, Some(chosen.clone())))
                    }>
                        <option value="">{tr!(i18n, filter.any)}</option>
                        {info.options.into_iter().map(|name| {
                            let selected = {
                                let name = name.clone();
                                move || current().as_deref() == Some(name.as_str())
                            };
                            let shown = name.clone();
                            view! {
                                <option value=name selected=selected>
                                    {move || labels::choice(i18n.get_locale(), field, &shown)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view()
}

/// The record named by the `:id` route parameter, if it exists, is live and of this kind.
fn routed_record(kind: RecordKind) -> impl Fn() -> Option<Record> + Copy + Send + Sync {
    let app = use_app();
    let params = use_params_map();
    move || {
        let id = params
            .with(|p| p.get(routes::ID))
            .and_then(|id| Uuid::parse_str(&id).ok())?;
        app.records
            .ledger
            .with(|l| l.live(&id).cloned())
            .filter(|r| r.kind() == kind)
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
                let (date, host, _) = summary(locale, original);
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
                title: summary(locale, record).1,
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
                .records
                .ledger
                .with_untracked(|l| start_of(l, locale, kind, from, follow_up));
            let (note, prefill) = match start {
                Start::Blank => (None, None),
                Start::Copy { body, title } => (
                    Some(view! { <p class="banner info prefill-note" id="copied-from">{move || td_string!(i18n.get_locale(), entry.copied_from, title = title.clone()).to_string()}</p> }.into_any()),
                    Some(body),
                ),
                Start::FollowUp { body, original } => (
                    Some(view! { <p class="banner info prefill-note" id="following-up">{move || td_string!(i18n.get_locale(), followups.recording_for, original = original.clone()).to_string()}</p> }.into_any()),
                    Some(body),
                ),
                Start::NotFound => (
                    Some(view! { <p class="banner warning prefill-note" role="status">{tr!(i18n, entry.source_not_found)}</p> }.into_any()),
                    None,
                ),
            };
            view! { {note} <RecordForm kind existing=None prefill /> }
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
            Some(existing) => view! { <RecordForm kind existing=Some(existing) prefill=None /> }.into_any(),
            None => view! { <p class="empty">{tr!(i18n, detail.not_found)}</p> }.into_any(),
        }}
    }
}

#[component]
pub fn DetailPage(kind: RecordKind) -> impl IntoView {
    let i18n = use_i18n();
    let record = routed_record(kind);
    // Kept while the page shows: the record's view is drawn again with each revision.
    let photos = PhotoPanel::new();
    view! {
        {move || match record() {
            Some(record) => view! { <RecordDetail record photos /> }.into_any(),
            None => view! {
                <p class="empty">{tr!(i18n, detail.not_found)}</p>
                <A href=Page::List(kind).href() attr:class="button">{tr!(i18n, action.back_to_list)}</A>
            }.into_any(),
        }}
    }
}

/// A record's photos: a part of the app of its own (the camera, IndexedDB, re-encoding).
mod lazy {
    use crate::components::photos::{PhotoPanel, RecordPhotos};
    use crate::domain::Record;
    use leptos::prelude::*;

    lazy_fn!(
        photos,
        pub fn record_photos(record: Record, panel: PhotoPanel) -> AnyView {
            view! { <RecordPhotos record panel /> }.into_any()
        }
    );
}

#[component]
fn RecordDetail(record: Record, photos: PhotoPanel) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let notice = use_notice();
    let navigate = use_navigate();
    let kind = record.kind();
    let id = record.id;
    let confirming = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<StorageError>);
    let title = summary(i18n.get_locale_untracked(), &record).1;
    let body = record.body.clone();
    let rows = move || detail_rows(i18n.get_locale(), &body);
    let delete = move |_| match app.records.delete(id) {
        Ok(()) => {
            notice.set(Some(Notice::Deleted(id)));
            navigate(&Page::List(kind).path(), Default::default())
        }
        Err(error) => delete_error.set(Some(error)),
    };
    let history = record.history.clone();
    let conflict = history.iter().any(|v| v.revision == record.revision);
    let created = record.created_at.date().to_string();
    let updated = format_date(record.updated_at.date());
    let location = record.body.location().cloned();
    let related = match kind {
        RecordKind::Technology => {
            view! { <LinkedRecords record_id=id /> <ConcerningRecords technology_id=id /> }
                .into_any()
        }
        RecordKind::Training => {
            view! { <LinkedRecords record_id=id /> <LinkedTechnologies record_id=id /> }.into_any()
        }
        RecordKind::Visit => view! {
            <LinkedRecords record_id=id />
            <FollowUpLinks record_id=id />
            <LinkedTechnologies record_id=id />
        }
        .into_any(),
        RecordKind::Team => view! { <TeamWork team_id=id /> }.into_any(),
        RecordKind::Demand => {
            view! { <LinkedRecords record_id=id /> <DemandAnswers demand_id=id /> }.into_any()
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
        <TypicalCase id typical=record.typical />
        {location.map(|point| view! { <LocationView point /> })}
        {takes_photos(&record.body).then(|| lazy_view!(lazy::record_photos(record.clone(), photos)))}
        {related}
        <div class="actions">
            <A href=Page::Edit(kind, id).href() attr:class="button primary">{tr!(i18n, action.edit)}</A>
            <A href=Page::New(kind).href_with(&[("from", id.to_string())]) attr:class="button" attr:id="copy-record">{tr!(i18n, entry.copy_record)}</A>
            <button class="danger" on:click=move |_| confirming.set(true)>{tr!(i18n, action.delete)}</button>
            <A href=Page::List(kind).href() attr:class="button">{tr!(i18n, action.back_to_list)}</A>
        </div>
        <Show when=move || confirming.get()>
            <div class="confirm card" role="alertdialog" aria-labelledby="delete-question">
                <p id="delete-question">{tr!(i18n, detail.delete_question)}</p>
                <div class="actions">
                    <button class="danger" id="confirm-delete" on:click=delete.clone()>{tr!(i18n, action.confirm_delete)}</button>
                    <button on:click=move |_| confirming.set(false)>{tr!(i18n, action.cancel)}</button>
                </div>
            </div>
        </Show>
        <SaveError error=delete_error />
        {(!history.is_empty()).then(|| view! { <VersionHistory id versions=history conflict /> })}
        <section class="provenance">
            <h2>{tr!(i18n, detail.provenance)}</h2>
            <dl class="details small">
                <dt>{tr!(i18n, detail.revision)}</dt> <dd class="revision">{record.revision}</dd>
                <dt>{tr!(i18n, detail.author)}</dt> <dd>{record.author.clone()}</dd>
                <dt>{tr!(i18n, detail.created)}</dt> <dd>{created}</dd>
                <dt>{tr!(i18n, detail.updated)}</dt> <dd>{updated}</dd>
                <dt>{tr!(i18n, detail.device)}</dt> <dd class="mono">{record.device_id.clone()}</dd>
            </dl>
        </section>
    }
}

/// Marks the record as a typical case (典型案例), which the bureau's report prints in full.
#[component]
fn TypicalCase(id: Uuid, typical: bool) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<StorageError>);
    view! {
        <div class="typical-case">
            <label class="check">
                <input type="checkbox" id="typical-case" prop:checked=typical
                    on:change=move |ev| failed.set(app.records.set_typical(id, event_target_checked(&ev)).err()) />
                <span>{tr!(i18n, detail.typical)}</span>
            </label>
            <p class="hint">{tr!(i18n, detail.typical_help)}</p>
            <SaveError error=failed />
        </div>
    }
}

/// The other versions of a record kept by merges, each restorable as a new revision.
#[component]
fn VersionHistory(id: Uuid, versions: Vec<Record>, conflict: bool) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<StorageError>);
    view! {
        <section class="history card" aria-labelledby="history-title">
            <h2 id="history-title">{tr!(i18n, detail.history)}</h2>
            {conflict.then(|| view! { <p class="conflict-note" role="note">{tr!(i18n, detail.conflict)}</p> })}
            <p class="hint">{tr!(i18n, detail.history_help)}</p>
            <ul class="versions">
                {versions
                    .into_iter()
                    .rev()
                    .map(|version| {
                        let when = format_date(version.updated_at.date());
                        let revision = version.revision;
                        let author = version.author.clone();
                        let deleted = version.deleted;
                        let title = summary(i18n.get_locale_untracked(), &version).1;
                        let restore = move |_| failed.set(app.records.restore(id, &version).err());
                        view! {
                            <li>
                                <p>
                                    {move || td_string!(i18n.get_locale(), detail.version_line, revision, author = author.clone(), when = when.clone())}
                                    {deleted.then(|| view! { " " {tr!(i18n, detail.deleted_version)} })}
                                </p>
                                <p class="version-title">{title}</p>
                                <button class="restore" on:click=restore>{tr!(i18n, detail.restore)}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <SaveError error=failed />
        </section>
    }
}
