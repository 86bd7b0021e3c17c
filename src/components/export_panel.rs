//! Export for the bureau: the buttons, and how much is still waiting to be handed over.

use leptos::prelude::*;
use time::OffsetDateTime;

use crate::browser;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::{App, finish_export, use_app};

/// "3 days ago", or "just now".
fn elapsed(i18n: crate::language::I18n, then: OffsetDateTime) -> String {
    let minutes = (browser::now() - then).whole_minutes().max(0);
    match minutes {
        0 => td_string!(i18n.get_locale(), sync.just_now).to_owned(),
        1..60 => td_string!(i18n.get_locale(), sync.minutes_ago, n = minutes),
        60..1440 => td_string!(i18n.get_locale(), sync.hours_ago, n = minutes / 60),
        _ => td_string!(i18n.get_locale(), sync.days_ago, n = minutes / 1440),
    }
}

/// The export's work, a part of the app of its own (`lazy_fn!`).
mod lazy {
    use std::pin::Pin;

    use crate::state::App;

    lazy_fn!(
        export,
        pub fn export_job(
            app: App,
            changes_only: bool,
            include_sample: bool,
            include_photos: bool,
        ) -> Pin<Box<dyn Future<Output = Result<(usize, String), String>>>> {
            Box::pin(super::export_file(
                app,
                changes_only,
                include_sample,
                include_photos,
            ))
        }
    );
}

/// Writes the export file (everything, or the changes since the last export) and downloads
/// it; the number of records and the file's name. With `include_photos`, and photos named by
/// the records, the file is a zip of the same JSON and the photos this tablet holds.
async fn export_file(
    app: App,
    changes_only: bool,
    include_sample: bool,
    include_photos: bool,
) -> Result<(usize, String), String> {
    let timing = browser::Timing::start("fl:export");
    let draft = browser::measured("fl:export-draft", || {
        app.exchange.export_draft(changes_only, include_sample)
    })
    .map_err(|error| error.to_string())?;
    let (file_name, count) = (draft.file_name(), draft.record_count());
    let (at, since) = (draft.exported_at(), draft.since());
    let named = !draft.photos().is_empty();
    let photos = crate::domain::photo::photos_to_carry(
        draft.photos().to_vec(),
        &app.exchange.exported_photos(),
        changes_only,
    );
    let text = finish_export(draft).await;
    timing.end();
    let [head, records] = text.map_err(|e| e.to_string())?;
    let mut carried = Vec::new();
    let file_name = if include_photos && named {
        let zip_name = file_name.replace(".json", ".zip");
        let zip;
        (zip, carried) = photo_zip(&file_name, &[&head, &records], &photos).await?;
        browser::download(&zip_name, "application/zip", &[&zip])?;
        if !changes_only {
            remove_unneeded_photos(app, at).await;
        }
        zip_name
    } else {
        browser::download(&file_name, "application/json", &[&head, &records])?;
        file_name
    };
    // The file is out; failing to note that only costs a larger next export.
    let _ = app.exchange.log_export(at, since, count, &carried);
    Ok((count, file_name))
}

/// The zip of an export with its photos: the JSON as `json_name`, and each photo this tablet
/// holds (one it never had, as a coordinator's record from a JSON file, is left out); and
/// the hashes of the photos it holds.
async fn photo_zip(
    json_name: &str,
    json: &[&[u8]],
    photos: &[(String, crate::domain::photo::PhotoMime)],
) -> Result<(Vec<u8>, Vec<String>), String> {
    use crate::storage::photos::PhotoStore;
    let store = PhotoStore::in_use();
    let mut held = Vec::with_capacity(photos.len());
    for (hash, _) in photos {
        if let Some(photo) = store.get(hash).await.map_err(|e| e.to_string())? {
            held.push((hash.as_str(), photo));
        }
    }
    let zip = crate::domain::export_zip::write_export_zip(
        json_name,
        &json.concat(),
        held.iter()
            .map(|(hash, photo)| (*hash, photo.mime, photo.bytes.as_slice())),
    )
    .map_err(|e| e.to_string())?;
    Ok((
        zip,
        held.iter().map(|(hash, _)| (*hash).to_owned()).collect(),
    ))
}

/// After a full export with photos: removes the photos no record names any more, and those of
/// deleted records, which that export carried. A failure only leaves them for the next time.
async fn remove_unneeded_photos(app: App, exported_at: OffsetDateTime) {
    use crate::storage::photos::PhotoStore;
    let store = PhotoStore::in_use();
    let Ok(stored) = store.hashes().await else {
        return;
    };
    let unneeded = app
        .records
        .ledger
        .with_untracked(|l| crate::domain::photo::unneeded_photos(l.all(), &stored, exported_at));
    let mut removed = Vec::new();
    for hash in unneeded {
        if store.delete(&hash).await.is_ok() {
            removed.push(hash);
        }
    }
    let _ = app.exchange.forget_exported_photos(&removed);
}

/// Export buttons and how much is still waiting to be handed over.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<Result<(usize, String), String>>);
    let include_sample = RwSignal::new(false);
    let include_photos = RwSignal::new(true);
    let has_sample = move || app.records.ledger.with(|l| !l.sample_ids().is_empty());
    let has_photos = move || {
        app.records
            .ledger
            .with(|l| l.all().any(|r| !r.photos.is_empty()))
    };
    // Writing the file comes from a part of the app of its own, fetched on the first export.
    // A tap while one is written starts nothing (it would download a second file). Not an
    // `Action` with its `pending()`: this panel is on the officer's first screen, which an
    // `Action` made 3.9 KB larger, and disabling the buttons 0.5 KB.
    let exporting = RwSignal::new(false);
    let export = move |changes_only: bool| {
        if exporting.get_untracked() {
            return;
        }
        let include_sample = include_sample.get_untracked();
        let include_photos = include_photos.get_untracked();
        exporting.set(true);
        leptos::task::spawn_local(async move {
            let job = lazy::export_job(app, changes_only, include_sample, include_photos);
            let result = match lazy_await!(job) {
                Ok(job) => job.await,
                Err(_) => Err(td_string!(i18n.get_locale_untracked(), app.load_failed).to_owned()),
            };
            status.set(Some(result));
            exporting.set(false);
        });
    };
    let unexported = move || app.exchange.unexported_count();
    let last_export = move || app.settings.settings.with(|s| s.last_export_at());
    view! {
        <section class="export card" aria-labelledby="export-title">
            <h2 id="export-title">{tr!(i18n, home.export_title)}</h2>
            <p>{tr!(i18n, home.export_help)}</p>
            <p class="handoff" data-unexported=unexported>
                {move || match (unexported(), last_export()) {
                    (0, None) => td_string!(i18n.get_locale(), sync.never_exported).to_owned(),
                    (0, Some(at)) => format!(
                        "{} {}",
                        td_string!(i18n.get_locale(), sync.all_exported),
                        td_string!(i18n.get_locale(), sync.last_export, when = elapsed(i18n, at))
                    ),
                    (count, None) => format!(
                        "{} {}",
                        td_string!(i18n.get_locale(), sync.unexported, count),
                        td_string!(i18n.get_locale(), sync.never_exported)
                    ),
                    (count, Some(at)) => format!(
                        "{} {}",
                        td_string!(i18n.get_locale(), sync.unexported, count),
                        td_string!(i18n.get_locale(), sync.last_export, when = elapsed(i18n, at))
                    ),
                }}
            </p>
            // Inline rather than a component of their own: a component's props cost the
            // officer's first screen about a kilobyte more.
            <Show when=has_sample>
                <label class="check">
                    <input type="checkbox" id="export-include-sample"
                        prop:checked=move || include_sample.get()
                        on:change=move |ev| include_sample.set(event_target_checked(&ev)) />
                    {tr!(i18n, sample.include_in_export)}
                </label>
            </Show>
            <Show when=has_photos>
                <label class="check">
                    <input type="checkbox" id="export-include-photos"
                        prop:checked=move || include_photos.get()
                        on:change=move |ev| include_photos.set(event_target_checked(&ev)) />
                    {tr!(i18n, photos.include_in_export)}
                </label>
            </Show>
            <p class="recommendation" id="export-recommendation">
                {move || {
                    let locale = i18n.get_locale();
                    match (unexported(), last_export()) {
                        (_, None) => td_string!(locale, sync.recommend_all).to_owned(),
                        (0, Some(_)) => td_string!(locale, sync.recommend_nothing).to_owned(),
                        (count, Some(_)) => td_string!(locale, sync.recommend_changes, count),
                    }
                }}
            </p>
            // The recommended export comes first: everything the first time, the changes after.
            <div class="actions">
                <button id="export-changes" class:primary=move || last_export().is_some()
                    on:click=move |_| export(true)>{tr!(i18n, sync.export_changes)}</button>
                <button id="export-json" class:primary=move || last_export().is_none()
                    on:click=move |_| export(false)>{tr!(i18n, sync.export_all)}</button>
            </div>
            <p class="status" role="status" aria-live="polite">
                {move || match status.get() {
                    None => String::new(),
                    Some(Ok((count, file))) => td_string!(i18n.get_locale(), home.exported, count, file),
                    Some(Err(reason)) => td_string!(i18n.get_locale(), home.export_failed, reason),
                }}
            </p>
        </section>
    }
}
