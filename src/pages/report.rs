//! The bureau's report for a period: written by the app from the records (see
//! `components::report_document`), with the problems and plans typed here, printed on A4,
//! downloaded as a Word file or copied as text.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::period_picker::{PeriodPicker, use_period};
use crate::components::report_document::{ReportInput, ReportSource, build};
use crate::components::sync_text::ServerModeProblem;
use crate::components::sync_text::SourcePicker;
use crate::domain::Record;
use crate::domain::period::Period;
use crate::domain::photo::PhotoMime;
use crate::domain::report::{
    Block, Document, PHOTOS_PER_CASE, PhotoBytes, PhotoChoice, report_photos,
};
use crate::domain::settings::{ReportNotes, notes_key};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::replication::views::ServerTotals;
use crate::routes::Page;
use crate::state::sync::SyncFailure;
use crate::state::{App, use_app};
use crate::storage::StorageError;
use crate::storage::photos::PhotoStore;

/// The Word file of a report, from a part of the app of its own (docx-rs is large, and only
/// wanted when a report is downloaded).
mod lazy {
    use crate::domain::report::Document;

    lazy_fn!(
        docx,
        pub fn docx_file(
            document: Document,
            photos: crate::domain::report::PhotoBytes,
        ) -> Result<Vec<u8>, String> {
            crate::domain::docx::docx(&document, &photos)
        }
    );
}

/// How long typing in the notes must pause before they are saved.
const NOTES_DELAY: Duration = Duration::from_millis(500);

/// 存在问题, 下步打算 and 报送单位 as typed on the page (until something is typed, as kept in
/// the settings): what the report shows, prints, downloads and copies.
#[derive(Clone, Copy)]
struct TypedNotes {
    /// The notes of the period they were typed for.
    notes: RwSignal<Option<ReportNotes>>,
    organisation: RwSignal<Option<String>>,
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let period = use_period();
    let has_server = Memo::new(move |_| app.sync.offers_server_mode());
    let from_server = Memo::new(move |_| app.sync.server_mode());
    let typed = TypedNotes {
        notes: RwSignal::new(None),
        organisation: RwSignal::new(None),
    };
    let photos = ReportPhotos::new(app);
    // The typical cases of the period that have photos (server mode lists no cases).
    let cases = Memo::new(move |_| {
        if from_server.get() {
            return Vec::new();
        }
        let period = period.get();
        app.records.ledger.with(|ledger| {
            crate::domain::totals::typical_in(ledger, period)
                .into_iter()
                .filter(|r| !r.photos.is_empty())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    Effect::new(move |_| cases.with(|cases| photos.show(cases)));
    let server_figures = LocalResource::new(move || {
        let (period, wanted) = (period.get(), from_server.get());
        async move {
            if wanted {
                Some(fetch_server_figures(app, period).await)
            } else {
                None
            }
        }
    });
    // None while the server's figures are on their way, or could not be had.
    let document = Memo::new(move |_| {
        let locale = i18n.get_locale();
        let period = period.get();
        let chosen = photos.choice.get();
        let build_from = |source: ReportSource| {
            app.settings.settings.with(|settings| {
                let key = notes_key(&period);
                let notes = typed
                    .notes
                    .get()
                    .filter(|n| n.period == key)
                    .unwrap_or_else(|| settings.notes_for(&period));
                let organisation = typed
                    .organisation
                    .get()
                    .unwrap_or_else(|| settings.organisation.clone());
                build(
                    locale,
                    &ReportInput {
                        source,
                        settings,
                        period,
                        today: browser::today(),
                        notes: &notes,
                        organisation: &organisation,
                        photos: &chosen,
                    },
                )
            })
        };
        if from_server.get() {
            let fetched = server_figures.get().flatten()?.ok()?;
            Some(build_from(ReportSource::Server(&fetched)))
        } else {
            Some(
                app.records
                    .ledger
                    .with(|ledger| build_from(ReportSource::Device(ledger))),
            )
        }
    });
    let server_status = move || {
        let locale = i18n.get_locale();
        if !from_server.get() {
            return None;
        }
        Some(match server_figures.get().flatten() {
            None => {
                view! { <p id="server-loading">{td_string!(locale, dashboard.server_loading)}</p> }
                    .into_any()
            }
            Some(Err(failure)) => {
                view! { <ServerModeProblem id="server-figures-error" failure /> }.into_any()
            }
            Some(Ok(_)) => ().into_any(),
        })
    };
    let status = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<StorageError>);
    let copy_fallback = RwSignal::new(None::<String>);

    // The Word file comes from a part of its own; while it is written the button waits.
    let download = Action::new_local(move |_: &()| {
        let locale = i18n.get_locale_untracked();
        let file = format!(
            "field-ledger-report-{}.docx",
            notes_key(&period.get_untracked())
        );
        let document = document.get_untracked();
        async move {
            let Some(document) = document else {
                return;
            };
            status.set(Some(td_string!(locale, report.preparing).to_owned()));
            let bytes = photo_bytes(&document).await;
            let written = match lazy_await!(lazy::docx_file(document, bytes)) {
                Ok(written) => written,
                Err(_) => Err(td_string!(locale, app.load_failed).to_owned()),
            };
            let result = written.and_then(|bytes| {
                browser::download(
                    &file,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    &[&bytes],
                )
            });
            status.set(Some(match result {
                Ok(()) => td_string!(locale, report.downloaded, file),
                Err(reason) => td_string!(locale, report.download_failed, reason),
            }));
        }
    });
    let copy = move |_| {
        let locale = i18n.get_locale_untracked();
        let Some(text) = document.with_untracked(|d| d.as_ref().map(Document::to_text)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if browser::copy_text(&text).await {
                copy_fallback.set(None);
                status.set(Some(td_string!(locale, report.copied).to_owned()));
            } else {
                status.set(Some(td_string!(locale, report.copy_by_hand).to_owned()));
                copy_fallback.set(Some(text));
            }
        });
    };

    let not_ready = move || document.with(Option::is_none);

    view! {
        <div class="no-print report-controls">
            <PeriodPicker page=Page::Report period />
            {move || has_server.get().then(|| view! { <SourcePicker id="report-source" /> })}
            <div class="actions">
                <button class="primary" id="print-report" disabled=not_ready on:click=move |_| browser::print()>{tr!(i18n, report.print)}</button>
                <button id="download-docx" disabled=move || not_ready() || download.pending().get()
                    on:click=move |_| { download.dispatch_local(()); }>{tr!(i18n, report.download_docx)}</button>
                <button id="copy-report" disabled=not_ready on:click=copy>{tr!(i18n, report.copy_text)}</button>
                <A href=move || Page::Home.href_with(&period.get().to_query()) attr:class="button">{tr!(i18n, report.back)}</A>
            </div>
            <p class="status" id="report-status" role="status" aria-live="polite">{move || status.get()}</p>
            {move || copy_fallback.get().map(|text| view! {
                <textarea class="copy-fallback" readonly rows="8" aria-label=move || td_string!(i18n.get_locale(), report.copy_by_hand)>{text}</textarea>
            })}
            // A new editor for each period: the one left saves what it still holds.
            {move || {
                let period = period.get();
                view! { <ReportNotesEditor period typed failed /> }
            }}
            <SaveError error=failed />
            <Show when=move || cases.with(|c| !c.is_empty())>
                <ReportPhotoChooser cases photos failed />
            </Show>
        </div>
        <div class="no-print">{server_status}</div>
        <article class="report" id="report">
            {move || {
                let urls = photos.urls.get();
                document.with(|d| d.as_ref().map(|d| document_view(d, &urls)))
            }}
        </article>
    }
}

/// The report's figures from the sync server's `facts` view: the period's and the year's
/// from 1 January to its end, with the names behind the distinct counts, and the same period
/// a year earlier.
async fn fetch_server_figures(app: App, period: Period) -> Result<ServerTotals, SyncFailure> {
    use crate::replication::views::{Grouping, judged_span, report_totals};
    let (counting, counties) = app
        .settings
        .settings
        .with_untracked(|s| (s.counting.clone(), s.counties()));
    let (from, to) = judged_span(period);
    let rows = app.sync.server_facts(from, to, Grouping::Details).await?;
    let before = period.year_before();
    let rows_before = app
        .sync
        .server_facts(before.from, before.to, Grouping::Facts)
        .await?;
    Ok(ServerTotals {
        year_before: (!rows_before.is_empty())
            .then(|| report_totals(&rows_before, before, &counting)),
        ..ServerTotals::from_rows(&rows, period, &counting, &counties)
    })
}

/// The typical cases' photos on the report page: which are chosen, and the object URL of
/// each one shown (freed when the page goes).
#[derive(Clone, Copy)]
struct ReportPhotos {
    choice: RwSignal<PhotoChoice>,
    urls: RwSignal<HashMap<String, String>>,
}

impl ReportPhotos {
    /// With the choice this tablet keeps.
    fn new(app: App) -> Self {
        let urls = RwSignal::new(HashMap::<String, String>::new());
        on_cleanup(move || {
            for url in urls.get_untracked().into_values() {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        });
        ReportPhotos {
            choice: RwSignal::new(app.settings.report_photos()),
            urls,
        }
    }

    /// Reads the bytes of each photo of `cases` not shown yet (one this tablet has not is
    /// left out of the report).
    fn show(self, cases: &[Record]) {
        let store = PhotoStore::in_use();
        for photo in cases.iter().flat_map(|r| &r.photos) {
            if self.urls.with_untracked(|u| u.contains_key(&photo.hash)) {
                continue;
            }
            let (store, hash, mime) = (store.clone(), photo.hash.clone(), photo.mime);
            leptos::task::spawn_local(async move {
                let Ok(Some(stored)) = store.get(&hash).await else {
                    return;
                };
                let Some(url) = browser::photo_url(&stored.bytes, mime.as_str()) else {
                    return;
                };
                // The page may be gone: then the URL is freed at once.
                if self
                    .urls
                    .try_update(|u| u.insert(hash, url.clone()))
                    .is_none()
                {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            });
        }
    }
}

/// The bytes of the photos in `document`, those this tablet has.
async fn photo_bytes(document: &Document) -> PhotoBytes {
    let store = PhotoStore::in_use();
    let mut bytes = PhotoBytes::new();
    for block in &document.blocks {
        if let Block::Photo(photo) = block
            && let Ok(Some(stored)) = store.get(&photo.hash).await
        {
            // A WebP goes in as a JPEG, which every Word shows (if the browser cannot draw
            // it again, as it is: Microsoft 365 shows it).
            let converted = match stored.mime {
                PhotoMime::Webp => browser::photo_as_jpeg(&stored.bytes, stored.mime).await,
                PhotoMime::Jpeg | PhotoMime::Png => None,
            };
            bytes.insert(photo.hash.clone(), converted.unwrap_or(stored.bytes));
        }
    }
    bytes
}

/// Picks the photos of each typical case that go into the report (at most
/// [`PHOTOS_PER_CASE`]); the choice is kept on this tablet for the next report.
#[component]
fn ReportPhotoChooser(
    cases: Memo<Vec<Record>>,
    photos: ReportPhotos,
    failed: RwSignal<Option<StorageError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let case_view = move |record: Record| {
        let locale = i18n.get_locale_untracked();
        let (date, title, _) = crate::components::record_text::summary(locale, &record);
        let id = record.id;
        let items = record
            .photos
            .iter()
            .map(|photo| {
                let hash = photo.hash.clone();
                let record = record.clone();
                let chosen = {
                    let (record, hash) = (record.clone(), hash.clone());
                    Memo::new(move |_| {
                        photos.choice.with(|c| {
                            let shown = report_photos(&record, c);
                            (shown.iter().any(|p| p.hash == hash), shown.len())
                        })
                    })
                };
                let toggle = {
                    let hash = hash.clone();
                    move |_| {
                        photos.choice.update(|c| {
                            let mut now: Vec<String> = report_photos(&record, c)
                                .into_iter()
                                .map(|p| p.hash.clone())
                                .collect();
                            match now.iter().position(|h| *h == hash) {
                                Some(at) => {
                                    now.remove(at);
                                }
                                None => now.push(hash.clone()),
                            }
                            c.insert(id, now);
                        });
                        let kept = photos.choice.with_untracked(|c| app.settings.choose_report_photos(c));
                        failed.set(kept.err());
                    }
                };
                let url = {
                    let hash = hash.clone();
                    move || photos.urls.with(|u| u.get(&hash).cloned())
                };
                view! {
                    <label class="report-photo-pick">
                        {move || url().map(|src| view! { <img src=src alt="" /> })}
                        <input type="checkbox" data-hash=hash.clone()
                            prop:checked=move || chosen.get().0
                            disabled=move || { let (on, count) = chosen.get(); !on && count >= PHOTOS_PER_CASE }
                            on:change=toggle />
                        {tr!(i18n, report.photo_pick)}
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset>
                <legend>{crate::components::labels::with_detail(locale, &title, &date)}</legend>
                {items}
            </fieldset>
        }
    };
    view! {
        <link rel="stylesheet" href=browser::app_href("/photos.css") />
        <details class="report-photos card" open>
            <summary>{tr!(i18n, report.photos_title)}</summary>
            <p class="hint">{tr!(i18n, report.photos_help)}</p>
            {move || cases.get().into_iter().map(case_view).collect_view()}
        </details>
    }
}

/// A report document as the page shows (and prints) it.
fn document_view(document: &Document, urls: &HashMap<String, String>) -> impl IntoView + use<> {
    let blocks = document
        .blocks
        .iter()
        .map(|block| match block {
            Block::Heading(text) => view! { <h2>{text.clone()}</h2> }.into_any(),
            Block::Subheading(text) => view! { <h3>{text.clone()}</h3> }.into_any(),
            Block::Paragraph(text) => view! { <p class="report-text">{text.clone()}</p> }.into_any(),
            Block::Table(table) => {
                let total = table.total.clone().map(|total| {
                    view! {
                        <tfoot><tr class="total">
                            {total.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}
                        </tr></tfoot>
                    }
                });
                view! {
                    <div class="table-scroll">
                    <table id=table.id.clone() class="report-table">
                        <thead><tr>
                            {table.header.iter().cloned().map(|cell| view! { <th scope="col">{cell}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {table.rows.iter().cloned().map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                        {total}
                    </table>
                    </div>
                }
                .into_any()
            }
            Block::Photo(photo) => urls.get(&photo.hash).cloned().map(|src| view! {
                <figure class="report-photo" data-hash=photo.hash.clone()>
                    <img src=src alt=photo.caption.clone() />
                    <figcaption>{photo.caption.clone()}</figcaption>
                </figure>
            })
            .into_any(),
            Block::Closing(lines) => view! {
                <div class="closing">
                    {lines.iter().cloned().map(|line| view! { <p>{line}</p> }).collect_view()}
                </div>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <h1>{document.title.clone()}</h1>
        {document.subtitle.iter().cloned().map(|line| view! { <p class="period">{line}</p> }).collect_view()}
        {blocks}
    }
}

/// 存在问题, 下步打算 and 报送单位 of one period, typed for the report and kept in the settings
/// (per period for the notes) once typing pauses, and at once when the page is left or
/// hidden: nothing typed is lost.
#[component]
fn ReportNotesEditor(
    period: Period,
    typed: TypedNotes,
    failed: RwSignal<Option<StorageError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let (stored, organisation) = app
        .settings
        .settings
        .with_untracked(|s| (s.notes_for(&period), s.organisation.clone()));
    let problems = RwSignal::new(stored.problems);
    let plans = RwSignal::new(stored.plans);
    let organisation = RwSignal::new(organisation);
    let save_notes = browser::Debounced::new(NOTES_DELAY, move |notes: ReportNotes| {
        failed.set(app.settings.update(|s| s.set_notes(notes)).err());
    });
    let save_organisation = browser::Debounced::new(NOTES_DELAY, move |text: String| {
        failed.set(app.settings.update(|s| s.organisation = text).err());
    });
    let notes_typed = move || {
        let notes = ReportNotes {
            period: notes_key(&period),
            problems: problems.get_untracked(),
            plans: plans.get_untracked(),
        };
        typed.notes.set(Some(notes.clone()));
        save_notes.push(notes);
    };
    let notes_typed = StoredValue::new(notes_typed);
    let type_into = move |text: RwSignal<String>, ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        notes_typed.with_value(|typed| typed());
    };
    view! {
        <details class="report-notes card" open>
            <summary>{tr!(i18n, report.notes_title)}</summary>
            <p class="hint">{tr!(i18n, report.notes_help)}</p>
            <div class="field">
                <label for="report-problems">{tr!(i18n, report.problems)}</label>
                <textarea id="report-problems" rows="4" prop:value=move || problems.get()
                    on:input=move |ev| type_into(problems, ev)></textarea>
            </div>
            <div class="field">
                <label for="report-plans">{tr!(i18n, report.plans)}</label>
                <textarea id="report-plans" rows="4" prop:value=move || plans.get()
                    on:input=move |ev| type_into(plans, ev)></textarea>
            </div>
            <div class="field">
                <label for="report-organisation">{tr!(i18n, report.organisation)}</label>
                <input id="report-organisation" autocomplete="organization" prop:value=move || organisation.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        organisation.set(text.clone());
                        typed.organisation.set(Some(text.clone()));
                        save_organisation.push(text);
                    } />
            </div>
        </details>
    }
}
