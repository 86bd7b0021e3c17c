//! Import for the coordinator: choose or drop officers' export files; each is checked in full
//! and merged, and a report says what every file brought. Used on the exchange page and the
//! coordinator's home.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::labels;
use crate::domain::export_zip::{PhotoFiles, is_zip, read_export_zip};
use crate::domain::merge::MergeReport;
use crate::domain::{ExportEnvelope, ImportProblem, parse_export};
use crate::i18n::*;
use crate::language::{I18n, use_i18n};
use crate::routes::Page;
use crate::state::{App, use_app};
use crate::storage::StorageError;
use crate::storage::photos::{PhotoStore, PhotoStoreError, StoredPhoto};

/// What happened to one imported file.
#[derive(Clone)]
struct FileResult {
    name: String,
    outcome: Result<MergeReport, Vec<ImportProblem>>,
    photos: PhotosKept,
}

/// What became of the photos a zip brought.
#[derive(Clone, Debug, PartialEq)]
enum PhotosKept {
    /// None came (a JSON file, or a zip without photos).
    None,
    Kept(usize),
    /// The tablet had no room for them: the records came alone.
    NoRoom(usize),
    Failed(String),
}

/// The import's work, a part of the app of its own (`lazy_fn!`).
mod lazy {
    use std::pin::Pin;

    use leptos::prelude::*;

    use super::FileResult;
    use crate::language::I18n;
    use crate::state::App;
    use crate::storage::StorageError;

    lazy_fn!(
        import,
        pub fn import_job(
            app: App,
            i18n: I18n,
            files: Vec<web_sys::File>,
            progress: RwSignal<Option<String>>,
        ) -> Pin<Box<dyn Future<Output = Result<Vec<FileResult>, StorageError>>>> {
            Box::pin(super::import_files(app, i18n, files, progress))
        }
    );

    // The report (with every problem's words) is only shown after an import: it comes with
    // the import's part, not with the page.
    lazy_fn!(
        import,
        pub fn import_report(results: Signal<Vec<FileResult>>) -> AnyView {
            view! { <super::ImportReport results /> }.into_any()
        }
    );
}

/// Reads and checks every file (saying which one it is at in `progress`), then merges the
/// valid ones in one all-or-nothing write; each file's outcome, in order.
async fn import_files(
    app: App,
    i18n: I18n,
    files: Vec<web_sys::File>,
    progress: RwSignal<Option<String>>,
) -> Result<Vec<FileResult>, StorageError> {
    let total = files.len();
    let today = browser::today();
    let store = PhotoStore::in_use();
    // Each file's outcome, in order; the valid files' contents move to the import.
    let mut checked = Vec::new();
    let mut valid = Vec::new();
    for (index, file) in files.iter().enumerate() {
        progress.set(Some(td_string!(
            i18n.get_locale(),
            sync.reading,
            n = index + 1,
            total,
            file = file.name()
        )));
        browser::yield_to_browser().await;
        let (parsed, photos) = read_file(file, today).await;
        // A zip's photos are kept before its records: a record never names a photo that a
        // full disk refused silently, and a photo no record names is harmless.
        let photos = match &parsed {
            Ok(_) => keep_photos(&store, photos).await,
            Err(_) => PhotosKept::None,
        };
        checked.push((
            file.name(),
            parsed.map(|envelope| valid.push(envelope)),
            photos,
        ));
    }
    let mut reports = app.exchange.import(valid)?.into_iter();
    Ok(checked
        .into_iter()
        .map(|(name, parsed, photos)| FileResult {
            name,
            outcome: match parsed {
                Ok(_) => Ok(reports.next().unwrap_or_default()),
                Err(problems) => Err(problems),
            },
            photos,
        })
        .collect())
}

/// Reads one chosen file, an export's JSON or its zip with photos, and checks it whole.
async fn read_file(
    file: &web_sys::File,
    today: time::Date,
) -> (Result<ExportEnvelope, Vec<ImportProblem>>, PhotoFiles) {
    let bytes = match browser::read_bytes(file).await {
        Ok(bytes) => bytes,
        Err(message) => {
            return (
                Err(vec![ImportProblem::NotJson(message)]),
                PhotoFiles::new(),
            );
        }
    };
    let (text, photos) = if is_zip(&bytes) {
        match read_export_zip(&bytes) {
            Ok(zip) => (zip.json, zip.photos),
            Err(problem) => return (Err(vec![ImportProblem::Zip(problem)]), PhotoFiles::new()),
        }
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => (text, PhotoFiles::new()),
            Err(_) => {
                let problem = ImportProblem::NotJson("not UTF-8 text".into());
                return (Err(vec![problem]), PhotoFiles::new());
            }
        }
    };
    let parsed = browser::measured("fl:import-parse", || parse_export(&text, today));
    (parsed, photos)
}

/// Stores a zip's photos; on a full disk, says how much room they need.
async fn keep_photos(store: &PhotoStore, photos: PhotoFiles) -> PhotosKept {
    if photos.is_empty() {
        return PhotosKept::None;
    }
    let needed: usize = photos.values().map(|(_, bytes)| bytes.len()).sum();
    let count = photos.len();
    for (hash, (mime, bytes)) in photos {
        match store.put(&hash, &StoredPhoto { mime, bytes }).await {
            Ok(()) => {}
            Err(PhotoStoreError::Full) => return PhotosKept::NoRoom(needed),
            Err(error) => return PhotosKept::Failed(error.to_string()),
        }
    }
    PhotosKept::Kept(count)
}

#[component]
pub fn ImportPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let progress = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);

    // Reading, checking and merging come from a part of the app of their own, fetched when
    // files are first chosen (`None`: it could not be). While one import runs no other
    // starts, so that each file's report says what that file brought.
    let import = Action::new_local(move |files: &Vec<web_sys::File>| {
        progress.set(None);
        let job = lazy::import_job(app, i18n, files.clone(), progress);
        async move { Some(lazy_await!(job).ok()?.await) }
    });
    let importing = import.pending();
    let ended = move || (!importing.get()).then(|| import.value().get()).flatten();
    let status = move || match ended() {
        None => progress.get(),
        Some(None) => Some(td_string!(i18n.get_locale(), app.load_failed).to_owned()),
        Some(Some(Ok(_))) => Some(td_string!(i18n.get_locale(), sync.import_done).to_owned()),
        Some(Some(Err(_))) => None,
    };
    let failure = Signal::derive(move || ended().flatten().and_then(Result::err));
    let results =
        Signal::derive(move || ended().flatten().and_then(Result::ok).unwrap_or_default());

    let on_pick = move |ev: leptos::ev::Event| {
        let files = browser::picked_files(&ev);
        if !files.is_empty() {
            import.dispatch_local(files);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files = ev.data_transfer().and_then(|d| d.files());
        if let Some(list) = files.filter(|_| !importing.get_untracked()) {
            import.dispatch_local(browser::files_of(&list));
        }
    };

    view! {
        <section class="card import" aria-labelledby="import-title">
            <h2 id="import-title">{tr!(i18n, sync.import_title)}</h2>
            <p class="hint">{tr!(i18n, sync.import_help)}</p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label class="button primary" for="import-files">{tr!(i18n, sync.choose_files)}</label>
                <input id="import-files" class="visually-hidden" type="file" multiple accept=".json,application/json,.zip,application/zip"
                    disabled=importing on:change=on_pick />
                <span>{tr!(i18n, sync.drop_here)}</span>
            </div>
            <p class="status" id="import-status" role="status" aria-live="polite">{status}</p>
            <SaveError error=failure />
            <Show when=move || results.with(|r| !r.is_empty())>
                {move || lazy_view!(lazy::import_report(results))}
            </Show>
        </section>
    }
}

/// What became of a zip's photos, under its file's name.
fn photos_note(locale: Locale, photos: &PhotosKept) -> Option<impl IntoView + use<>> {
    let (text, class) = match photos {
        PhotosKept::None => return None,
        PhotosKept::Kept(count) => (
            td_string!(locale, photos.imported, count = *count),
            "photos-kept",
        ),
        PhotosKept::NoRoom(bytes) => (
            td_string!(
                locale,
                photos.no_room,
                size = labels::size_text(*bytes as f64)
            ),
            "photos-not-kept save-error",
        ),
        PhotosKept::Failed(reason) => (
            td_string!(locale, photos.not_kept, reason = reason),
            "photos-not-kept save-error",
        ),
    };
    Some(view! { <span class=class>" "{text.to_string()}</span> })
}

#[component]
fn ImportReport(results: Signal<Vec<FileResult>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let conflict_link = move |id: uuid::Uuid| {
        let kind = app
            .records
            .ledger
            .with_untracked(|l| l.get(&id).map(|r| r.kind()));
        let href = kind.map(|k| Page::Detail(k, id).href()).unwrap_or_default();
        let short: String = id.to_string().chars().take(8).collect();
        view! { <A href=href attr:class="conflict-link">{short}</A>" " }
    };
    view! {
        <table class="import-report">
            <thead>
                <tr>
                    <th scope="col">{tr!(i18n, sync.report_file)}</th>
                    <th scope="col">{tr!(i18n, sync.report_added)}</th>
                    <th scope="col">{tr!(i18n, sync.report_updated)}</th>
                    <th scope="col">{tr!(i18n, sync.report_unchanged)}</th>
                    <th scope="col">{tr!(i18n, sync.report_conflicts)}</th>
                    <th scope="col">{tr!(i18n, sync.report_deleted)}</th>
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
                                    <th scope="row">{result.name}{photos_note(locale, &result.photos)}</th>
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
                                        <td colspan="5">{td_string!(i18n.get_locale(), sync.report_rejected, reason)}</td>
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
