//! The handoff: export for the bureau (JSON, or CSV for spreadsheets) and import of officers'
//! files.

use crate::browser::app_href;
use leptos::prelude::*;
use leptos_router::components::A;
use time::OffsetDateTime;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::components::labels;
use crate::domain::merge::MergeReport;
use crate::domain::{ImportProblem, RecordKind, csv_export, parse_export};
use crate::i18n::*;
use crate::state::use_app;

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{crate::tr(i18n, |l| td_string!(l, sync.title))}</h1>
        <ExportPanel prepare=true />
        <CsvPanel />
        <ImportPanel />
    }
}

/// "3 days ago", or "just now".
fn elapsed(i18n: leptos_i18n::I18nContext<Locale>, then: OffsetDateTime) -> String {
    let minutes = (browser::now() - then).whole_minutes().max(0);
    match minutes {
        0 => t_string!(i18n, sync.just_now).to_owned(),
        1..60 => t_string!(i18n, sync.minutes_ago, n = minutes),
        60..1440 => t_string!(i18n, sync.hours_ago, n = minutes / 60),
        _ => t_string!(i18n, sync.days_ago, n = minutes / 1440),
    }
}

/// Export buttons and how much is still waiting to be handed over.
#[component]
pub fn ExportPanel(
    /// Prepare an export once the page is idle (the exchange page, where an export is what
    /// the officer came for; not the home screen, which should start light).
    #[prop(optional)]
    prepare: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<Result<(usize, String), String>>);
    let include_sample = RwSignal::new(false);
    let has_sample = move || app.ledger.with(|l| !l.sample_ids().is_empty());
    let export = move |changes_only: bool| {
        let timing = browser::Timing::start("fl:export");
        let draft = browser::measured("fl:export-draft", || {
            app.export_draft(changes_only, include_sample.get_untracked())
        });
        leptos::task::spawn_local(async move {
            let result = match draft {
                Err(error) => Err(error.to_string()),
                Ok(draft) => {
                    let (file_name, count) = (draft.file_name(), draft.record_count());
                    let (at, since) = (draft.exported_at(), draft.since());
                    let text = crate::state::finish_export(draft).await;
                    timing.end();
                    text.map_err(|e| e.to_string())
                        .and_then(|[head, records]| {
                            browser::download(&file_name, "application/json", &[&head, &records])
                        })
                        .map(|()| {
                            // The file is out; failing to note that only costs a larger next export.
                            let _ = app.log_export(at, since, count);
                            (count, file_name)
                        })
                }
            };
            status.set(Some(result));
        });
    };
    if prepare {
        // Once the page is idle, so that the tap on Export does not wait for code to compile.
        // Twice: the browser recompiles for speed what the first rehearsal ran most, and the
        // second runs that code and gets the rest recompiled (after one, the first export
        // still took 10–30 % longer than the next).
        request_idle_callback(move || {
            app.rehearse_export();
            request_idle_callback(move || app.rehearse_export());
        });
    }
    let unexported = move || app.unexported_count();
    let last_export = move || app.settings.with(|s| s.last_export_at());
    view! {
        <section class="export card" aria-labelledby="export-title">
            <h2 id="export-title">{crate::tr(i18n, |l| td_string!(l, home.export_title))}</h2>
            <p>{crate::tr(i18n, |l| td_string!(l, home.export_help))}</p>
            <p class="handoff" data-unexported=unexported>
                {move || match (unexported(), last_export()) {
                    (0, None) => t_string!(i18n, sync.never_exported).to_owned(),
                    (0, Some(at)) => format!(
                        "{} {}",
                        t_string!(i18n, sync.all_exported),
                        t_string!(i18n, sync.last_export, when = elapsed(i18n, at))
                    ),
                    (count, None) => format!(
                        "{} {}",
                        t_string!(i18n, sync.unexported, count),
                        t_string!(i18n, sync.never_exported)
                    ),
                    (count, Some(at)) => format!(
                        "{} {}",
                        t_string!(i18n, sync.unexported, count),
                        t_string!(i18n, sync.last_export, when = elapsed(i18n, at))
                    ),
                }}
            </p>
            <Show when=has_sample>
                <label class="check">
                    <input type="checkbox" id="export-include-sample"
                        prop:checked=move || include_sample.get()
                        on:change=move |ev| include_sample.set(event_target_checked(&ev)) />
                    {crate::tr(i18n, |l| td_string!(l, sample.include_in_export))}
                </label>
            </Show>
            <div class="actions">
                <button class="primary" id="export-json" on:click=move |_| export(false)>{crate::tr(i18n, |l| td_string!(l, sync.export_all))}</button>
                <button id="export-changes" on:click=move |_| export(true)>{crate::tr(i18n, |l| td_string!(l, sync.export_changes))}</button>
            </div>
            <p class="status" role="status" aria-live="polite">
                {move || match status.get() {
                    None => String::new(),
                    Some(Ok((count, file))) => t_string!(i18n, home.exported, count, file),
                    Some(Err(reason)) => t_string!(i18n, home.export_failed, reason),
                }}
            </p>
        </section>
    }
}

#[component]
fn CsvPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<Result<String, String>>);
    let export = move |kind: RecordKind| {
        let locale = i18n.get_locale_untracked();
        let (headers, rows) = app
            .ledger
            .with_untracked(|l| labels::csv_rows(locale, kind, &l.list(kind)));
        let device = app
            .settings
            .with_untracked(|s| s.device_id.chars().take(8).collect::<String>());
        let file = format!(
            "field-ledger-{device}-{}-{}.csv",
            kind.slug(),
            crate::domain::input::format_date(browser::today())
        );
        let result = csv_export::table(&headers, &rows)
            .map_err(|e| e.to_string())
            .and_then(|csv| browser::download(&file, "text/csv;charset=utf-8", &[csv.as_bytes()]))
            .map(|()| file);
        status.set(Some(result));
    };
    view! {
        <section class="card" aria-labelledby="csv-title">
            <h2 id="csv-title">{crate::tr(i18n, |l| td_string!(l, sync.csv_title))}</h2>
            <p class="hint">{crate::tr(i18n, |l| td_string!(l, sync.csv_help))}</p>
            <div class="actions">
                {RecordKind::ALL
                    .into_iter()
                    .map(|kind| view! {
                        <button id=format!("csv-{}", kind.slug()) on:click=move |_| export(kind)>
                            {move || labels::kind_title(i18n.get_locale(), kind)}
                        </button>
                    })
                    .collect_view()}
            </div>
            <p class="status" role="status" aria-live="polite">
                {move || match status.get() {
                    None => String::new(),
                    Some(Ok(file)) => t_string!(i18n, sync.csv_exported, file),
                    Some(Err(reason)) => t_string!(i18n, home.export_failed, reason),
                }}
            </p>
        </section>
    }
}

/// What happened to one imported file.
#[derive(Clone)]
struct FileResult {
    name: String,
    outcome: Result<MergeReport, Vec<ImportProblem>>,
}

#[component]
fn ImportPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let progress = RwSignal::new(None::<String>);
    let results = RwSignal::new(Vec::<FileResult>::new());
    let failure = RwSignal::new(None::<&'static str>);
    let dragging = RwSignal::new(false);

    let import = move |files: Vec<web_sys::File>| {
        leptos::task::spawn_local(async move {
            results.set(Vec::new());
            failure.set(None);
            let total = files.len();
            let today = browser::today();
            // Each file's outcome, in order; the valid files' contents move to the import.
            let mut checked = Vec::new();
            let mut valid = Vec::new();
            for (index, file) in files.iter().enumerate() {
                progress.set(Some(t_string!(
                    i18n,
                    sync.reading,
                    n = index + 1,
                    total,
                    file = file.name()
                )));
                browser::yield_to_browser().await;
                let parsed = match browser::read_text(file).await {
                    Ok(text) => browser::measured("fl:import-parse", || parse_export(&text, today)),
                    Err(message) => Err(vec![ImportProblem::NotJson(message)]),
                };
                checked.push((file.name(), parsed.map(|envelope| valid.push(envelope))));
            }
            match app.import(valid) {
                Ok(reports) => {
                    let mut reports = reports.into_iter();
                    let shown = checked
                        .into_iter()
                        .map(|(name, parsed)| FileResult {
                            name,
                            outcome: match parsed {
                                Ok(_) => Ok(reports.next().unwrap_or_default()),
                                Err(problems) => Err(problems),
                            },
                        })
                        .collect();
                    results.set(shown);
                    progress.set(Some(t_string!(i18n, sync.import_done).to_owned()));
                }
                Err(error) => {
                    failure.set(Some(labels::storage_error(
                        i18n.get_locale_untracked(),
                        &error,
                    )));
                    progress.set(None);
                }
            }
        });
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(list) = input.files() {
            import(file_list(&list));
        }
        // Picking the same files again must import again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            import(file_list(&list));
        }
    };

    view! {
        <section class="card import" aria-labelledby="import-title">
            <h2 id="import-title">{crate::tr(i18n, |l| td_string!(l, sync.import_title))}</h2>
            <p class="hint">{crate::tr(i18n, |l| td_string!(l, sync.import_help))}</p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label class="button primary" for="import-files">{crate::tr(i18n, |l| td_string!(l, sync.choose_files))}</label>
                <input id="import-files" class="visually-hidden" type="file" multiple accept=".json,application/json" on:change=on_pick />
                <span>{crate::tr(i18n, |l| td_string!(l, sync.drop_here))}</span>
            </div>
            <p class="status" id="import-status" role="status" aria-live="polite">{move || progress.get()}</p>
            {move || failure.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, sync.import_failed, reason)}</p> })}
            <Show when=move || results.with(|r| !r.is_empty())>
                <ImportReport results />
            </Show>
        </section>
    }
}

fn file_list(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[component]
fn ImportReport(results: RwSignal<Vec<FileResult>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let conflict_link = move |id: uuid::Uuid| {
        let kind = app.ledger.with_untracked(|l| l.get(&id).map(|r| r.kind()));
        let href = kind
            .map(|k| format!("/{}/{id}", k.slug()))
            .unwrap_or_default();
        let short: String = id.to_string().chars().take(8).collect();
        view! { <A href=app_href(&href) attr:class="conflict-link">{short}</A>" " }
    };
    view! {
        <table class="import-report">
            <thead>
                <tr>
                    <th scope="col">{crate::tr(i18n, |l| td_string!(l, sync.report_file))}</th>
                    <th scope="col">{crate::tr(i18n, |l| td_string!(l, sync.report_added))}</th>
                    <th scope="col">{crate::tr(i18n, |l| td_string!(l, sync.report_updated))}</th>
                    <th scope="col">{crate::tr(i18n, |l| td_string!(l, sync.report_unchanged))}</th>
                    <th scope="col">{crate::tr(i18n, |l| td_string!(l, sync.report_conflicts))}</th>
                    <th scope="col">{crate::tr(i18n, |l| td_string!(l, sync.report_deleted))}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let locale = i18n.get_locale();
                    results
                        .get()
                        .into_iter()
                        .map(|result| match result.outcome {
                            Ok(report) => view! {
                                <tr class="accepted">
                                    <th scope="row">{result.name}</th>
                                    <td class="added">{report.added}</td>
                                    <td class="updated">{report.updated}</td>
                                    <td class="unchanged">{report.unchanged}</td>
                                    <td class="conflicts" data-count=report.conflicts.len()>
                                        {report.conflicts.len()}" "
                                        {report.conflicts.iter().copied().map(conflict_link).collect_view()}
                                    </td>
                                    <td class="deleted">{report.deleted}</td>
                                </tr>
                            }
                            .into_any(),
                            Err(problems) => {
                                let reason = labels::import_problems(locale, &problems);
                                view! {
                                    <tr class="rejected">
                                        <th scope="row">{result.name}</th>
                                        <td colspan="5">{t_string!(i18n, sync.report_rejected, reason)}</td>
                                    </tr>
                                }
                                .into_any()
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
