//! The bureau's report for a period: written by the app from the records (see
//! `components::report_document`), with the problems and plans typed here, printed on A4,
//! downloaded as a Word file or copied as text.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::period_picker::{PeriodPicker, use_period};
use crate::components::report_document::{Figures, ReportInput, ServerFigures, build};
use crate::components::sync_text::ServerModeProblem;
use crate::domain::period::Period;
use crate::domain::report::{Block, Document};
use crate::domain::settings::{ReportNotes, notes_key};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::pages::dashboard::SourcePicker;
use crate::routes::Page;
use crate::state::sync::SyncFailure;
use crate::state::{App, use_app};
use crate::storage::StorageError;

/// The Word file of a report, from a part of the app of its own (docx-rs is large, and only
/// wanted when a report is downloaded).
mod lazy {
    use crate::domain::report::Document;

    lazy_fn!(
        docx,
        pub fn docx_file(document: Document) -> Result<Vec<u8>, String> {
            crate::domain::docx::docx(&document)
        }
    );
}

/// How long typing in the notes must pause before they are saved.
const NOTES_DELAY: Duration = Duration::from_millis(500);

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let period = use_period();
    let has_server = Memo::new(move |_| app.sync.offers_server_mode());
    let from_server = Memo::new(move |_| app.sync.server_mode());
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
        let build_from = |figures: Figures| {
            app.settings.settings.with(|settings| {
                build(
                    locale,
                    &ReportInput {
                        figures,
                        settings,
                        period: period.get(),
                        today: browser::today(),
                    },
                )
            })
        };
        if from_server.get() {
            let fetched = server_figures.get().flatten()?.ok()?;
            Some(build_from(Figures::Server(&fetched)))
        } else {
            Some(
                app.records
                    .ledger
                    .with(|ledger| build_from(Figures::Device(ledger))),
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

    let download = move |_| {
        let locale = i18n.get_locale_untracked();
        let file = format!(
            "field-ledger-report-{}.docx",
            notes_key(&period.get_untracked())
        );
        let Some(document) = document.get_untracked() else {
            return;
        };
        status.set(Some(td_string!(locale, report.preparing).to_owned()));
        leptos::task::spawn_local(async move {
            let written = match lazy_await!(lazy::docx_file(document)) {
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
        });
    };
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
                <button id="download-docx" disabled=not_ready on:click=download>{tr!(i18n, report.download_docx)}</button>
                <button id="copy-report" disabled=not_ready on:click=copy>{tr!(i18n, report.copy_text)}</button>
                <A href=move || Page::Home.href_with(&period.get().to_query()) attr:class="button">{tr!(i18n, report.back)}</A>
            </div>
            <p class="status" id="report-status" role="status" aria-live="polite">{move || status.get()}</p>
            {move || copy_fallback.get().map(|text| view! {
                <textarea class="copy-fallback" readonly rows="8" aria-label=move || td_string!(i18n.get_locale(), report.copy_by_hand)>{text}</textarea>
            })}
            <ReportNotesEditor failed />
            <SaveError error=failed />
        </div>
        <div class="no-print">{server_status}</div>
        <article class="report" id="report">
            {move || document.with(|d| d.as_ref().map(document_view))}
        </article>
    }
}

/// The report's figures from the sync server's `facts` view: the period's, with the names
/// behind the distinct counts, and the same period a year earlier.
async fn fetch_server_figures(app: App, period: Period) -> Result<ServerFigures, SyncFailure> {
    use crate::replication::views::{Grouping, county_rows, report_totals};
    let (counting, counties) = app
        .settings
        .settings
        .with_untracked(|s| (s.counting.clone(), s.counties()));
    let rows = app
        .sync
        .server_facts(period.from, period.to, Grouping::Details)
        .await?;
    let before = period.year_before();
    let rows_before = app
        .sync
        .server_facts(before.from, before.to, Grouping::Facts)
        .await?;
    let (counties, total) = county_rows(&rows, &counting, &counties);
    Ok(ServerFigures {
        totals: report_totals(&rows, period, &counting),
        year_before: (!rows_before.is_empty())
            .then(|| report_totals(&rows_before, before, &counting)),
        counties,
        total,
    })
}

/// A report document as the page shows (and prints) it.
fn document_view(document: &Document) -> impl IntoView + use<> {
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

/// 存在问题, 下步打算 and 报送单位, typed for the report and kept in the settings (per period
/// for the notes), saved once typing pauses.
#[component]
fn ReportNotesEditor(failed: RwSignal<Option<StorageError>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let period = use_period();
    let stored = move || {
        app.settings
            .settings
            .with_untracked(|s| s.notes_for(&period.get()))
    };
    // What is typed, shown as typed; filled again when another period is chosen.
    let problems = RwSignal::new(String::new());
    let plans = RwSignal::new(String::new());
    let organisation = RwSignal::new(
        app.settings
            .settings
            .with_untracked(|s| s.organisation.clone()),
    );
    Effect::new(move |_| {
        let notes = stored();
        problems.set(notes.problems);
        plans.set(notes.plans);
    });
    // Each save carries the period it was typed for.
    let save_notes = StoredValue::new_local(debounce(NOTES_DELAY, move |notes: ReportNotes| {
        failed.set(app.settings.update(|s| s.set_notes(notes)).err());
    }));
    let typed = move || {
        let notes = ReportNotes {
            period: notes_key(&period.get_untracked()),
            problems: problems.get_untracked(),
            plans: plans.get_untracked(),
        };
        save_notes.update_value(|save| save(notes));
    };
    let mut save_organisation = debounce(NOTES_DELAY, move |text: String| {
        failed.set(app.settings.update(|s| s.organisation = text).err());
    });
    view! {
        <details class="report-notes card" open>
            <summary>{tr!(i18n, report.notes_title)}</summary>
            <p class="hint">{tr!(i18n, report.notes_help)}</p>
            <div class="field">
                <label for="report-problems">{tr!(i18n, report.problems)}</label>
                <textarea id="report-problems" rows="4" prop:value=move || problems.get()
                    on:input=move |ev| { problems.set(event_target_value(&ev)); typed() }></textarea>
            </div>
            <div class="field">
                <label for="report-plans">{tr!(i18n, report.plans)}</label>
                <textarea id="report-plans" rows="4" prop:value=move || plans.get()
                    on:input=move |ev| { plans.set(event_target_value(&ev)); typed() }></textarea>
            </div>
            <div class="field">
                <label for="report-organisation">{tr!(i18n, report.organisation)}</label>
                <input id="report-organisation" autocomplete="organization" prop:value=move || organisation.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        organisation.set(text.clone());
                        save_organisation(text);
                    } />
            </div>
        </details>
    }
}
