//! A record's photos (现场照片) on its page: taken with the camera or picked from the gallery,
//! made smaller in the browser, kept in IndexedDB by hash ([`PhotoStore`]), and named in the
//! record's photo list. A part of the app of its own (see `pages::records`).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::browser;
use crate::components::labels;
use crate::domain::photo::{MAX_PHOTOS, PhotoRef, photo_hash};
use crate::domain::{Record, RecordBody, Stage};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::{App, use_app};
use crate::storage::StorageError;
use crate::storage::photos::{PhotoStore, PhotoStoreError, StoredPhoto};

/// What the last step with photos did, for the message under them.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Added(usize),
    TooMany(usize),
    NotImage { name: String, reason: String },
    Store(PhotoStoreError),
    Save(StorageError),
}

/// How a photo's bytes are shown: an object URL, or not on this tablet.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    Url(String),
    Missing,
}

/// The photo panel's state, kept by the record's page while it shows one record (the panel
/// itself is drawn again with each revision): messages, and each photo's object URL, freed
/// when the page goes.
#[derive(Clone, Copy)]
pub struct PhotoPanel {
    outcomes: RwSignal<Vec<Outcome>>,
    working: RwSignal<bool>,
    shown: RwSignal<HashMap<String, Shown>>,
    viewing: RwSignal<Option<usize>>,
}

impl PhotoPanel {
    pub fn new() -> Self {
        let shown = RwSignal::new(HashMap::<String, Shown>::new());
        on_cleanup(move || {
            for entry in shown.get_untracked().into_values() {
                if let Shown::Url(url) = entry {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            }
        });
        PhotoPanel {
            outcomes: RwSignal::new(Vec::new()),
            working: RwSignal::new(false),
            shown,
            viewing: RwSignal::new(None),
        }
    }
}

impl Default for PhotoPanel {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a record of this body takes photos (teams do not).
pub fn takes_photos(body: &RecordBody) -> bool {
    !matches!(body, RecordBody::Team(_))
}

#[component]
pub fn RecordPhotos(record: Record, panel: PhotoPanel) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let store = PhotoStore::in_use();
    let id = record.id;
    let photos = record.photos.clone();
    let technology = matches!(record.body, RecordBody::Technology(_));
    let current_stage = match &record.body {
        RecordBody::Technology(t) => Some(t.stage),
        _ => None,
    };

    // Reads the bytes of each photo not shown yet.
    for photo in &photos {
        if panel.shown.with_untracked(|s| s.contains_key(&photo.hash)) {
            continue;
        }
        let hash = photo.hash.clone();
        let store = store.clone();
        panel.shown.update(|s| {
            s.insert(hash.clone(), Shown::Missing);
        });
        spawn_local(async move {
            let shown = match store.get(&hash).await {
                Ok(Some(stored)) => browser::photo_url(&stored.bytes, stored.mime.as_str())
                    .map_or(Shown::Missing, Shown::Url),
                _ => Shown::Missing,
            };
            // The page may be gone: then the URL is freed at once.
            let gone = panel
                .shown
                .try_update(|s| s.insert(hash, shown.clone()))
                .is_none();
            if let (true, Shown::Url(url)) = (gone, shown) {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        });
    }

    let add = {
        let store = store.clone();
        move |files: Vec<web_sys::File>| {
            let store = store.clone();
            panel.outcomes.set(Vec::new());
            panel.working.set(true);
            spawn_local(async move {
                let outcomes = add_photos(app, id, current_stage, files, &store).await;
                panel.outcomes.set(outcomes);
                panel.working.set(false);
            });
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let files = browser::picked_files(&ev);
        if !files.is_empty() {
            add(files);
        }
    };

    let full = photos.len() >= MAX_PHOTOS;
    let count = photos.len();
    let save_list = move |photos: Vec<PhotoRef>| {
        if let Err(error) = app.records.set_photos(id, photos) {
            panel.outcomes.set(vec![Outcome::Save(error)]);
        }
    };
    let items = photos
        .iter()
        .enumerate()
        .map(|(index, photo)| {
            let hash = photo.hash.clone();
            let caption = photo.caption.clone();
            let all = photos.clone();
            let edit_caption = {
                let all = all.clone();
                move |ev| {
                    let mut next = all.clone();
                    next[index].caption = event_target_value(&ev).trim().to_owned();
                    save_list(next);
                }
            };
            let edit_stage = {
                let all = all.clone();
                move |ev| {
                    let mut next = all.clone();
                    next[index].stage = event_target_value(&ev)
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| Stage::ALL.get(i).copied());
                    save_list(next);
                }
            };
            let remove = move |_| {
                let mut next = all.clone();
                next.remove(index);
                save_list(next);
            };
            let shown = {
                let hash = hash.clone();
                move || panel.shown.with(|s| s.get(&hash).cloned())
            };
            let stage = photo.stage;
            let alt = if caption.is_empty() {
                None
            } else {
                Some(caption.clone())
            };
            view! {
                <li class="photo" data-hash=hash.clone()>
                    {move || match shown() {
                        Some(Shown::Url(url)) => view! {
                            <button type="button" class="photo-open"
                                aria-label=move || td_string!(i18n.get_locale(), photos.open, n = index + 1).to_string()
                                on:click=move |_| panel.viewing.set(Some(index))>
                                <img class="photo-thumb" src=url alt=alt.clone().unwrap_or_default() loading="lazy" />
                            </button>
                        }.into_any(),
                        _ => view! { <p class="photo-missing">{tr!(i18n, photos.missing)}</p> }.into_any(),
                    }}
                    <label class="photo-caption">
                        <span>{tr!(i18n, photos.caption)}</span>
                        <input type="text" maxlength="200" prop:value=caption on:change=edit_caption />
                    </label>
                    {technology.then(|| view! {
                        <label class="photo-stage">
                            <span>{tr!(i18n, photos.stage)}</span>
                            <select on:change=edit_stage>
                                <option value="" selected=stage.is_none()>"—"</option>
                                {Stage::ALL.into_iter().enumerate().map(|(i, s)| view! {
                                    <option value=i.to_string() selected=stage == Some(s)>
                                        {move || labels::stage(i18n.get_locale(), s)}
                                    </option>
                                }).collect_view()}
                            </select>
                        </label>
                    })}
                    <button type="button" class="photo-remove" on:click=remove>{tr!(i18n, photos.remove)}</button>
                </li>
            }
        })
        .collect_view();

    let viewer_photos = photos.clone();
    view! {
        <link rel="stylesheet" href=browser::app_href("/photos.css") />
        <section class="photos card" aria-labelledby="photos-title">
            <h2 id="photos-title">{tr!(i18n, photos.title)}</h2>
            <ul class="photo-list">{items}</ul>
            <label class="button photo-add" class:disabled=full>
                {tr!(i18n, photos.add)}
                <input type="file" id="photo-input" accept="image/*" capture="environment" multiple
                    disabled=full on:change=on_pick />
            </label>
            <p class="hint">{tr!(i18n, photos.hint)} " (" {count} "/" {MAX_PHOTOS} ")"</p>
            <Show when=move || panel.working.get()>
                <p class="photo-working" role="status">{tr!(i18n, photos.working)}</p>
            </Show>
            <div class="photo-outcomes" role="status">
                {move || panel.outcomes.get().into_iter().map(|outcome| {
                    let locale = i18n.get_locale();
                    let text = outcome_text(locale, &outcome);
                    let class = if matches!(outcome, Outcome::Added(_)) { "photo-outcome" } else { "photo-outcome save-error" };
                    view! { <p class=class>{text}</p> }
                }).collect_view()}
            </div>
            <PhotoViewer photos=viewer_photos panel />
        </section>
    }
}

/// Re-encodes, stores and names the picked files; the record gets one new revision with all
/// of them. A file that is not an image is passed over and said so; a store that fails stops
/// there, and what was stored before it is still added.
async fn add_photos(
    app: App,
    id: Uuid,
    stage: Option<Stage>,
    files: Vec<web_sys::File>,
    store: &PhotoStore,
) -> Vec<Outcome> {
    let mut photos = app
        .records
        .ledger
        .with_untracked(|l| l.live(&id).map(|r| r.photos.clone()))
        .unwrap_or_default();
    let mut outcomes = Vec::new();
    let room = MAX_PHOTOS.saturating_sub(photos.len());
    if files.len() > room {
        outcomes.push(Outcome::TooMany(files.len() - room));
    }
    let mut added = 0;
    for file in files.into_iter().take(room) {
        let encoded = match browser::encode_photo(&file).await {
            Ok(encoded) => encoded,
            Err(reason) => {
                outcomes.push(Outcome::NotImage {
                    name: file.name(),
                    reason,
                });
                continue;
            }
        };
        let hash = photo_hash(&encoded.bytes);
        if photos.iter().any(|p| p.hash == hash) {
            continue;
        }
        let stored = StoredPhoto {
            mime: encoded.mime,
            bytes: encoded.bytes,
        };
        if let Err(error) = store.put(&hash, &stored).await {
            outcomes.push(Outcome::Store(error));
            break;
        }
        let now = browser::now();
        // The file's time: when the camera took it, or when the gallery's copy was made.
        let taken_at = browser::property(&file, "lastModified")
            .as_f64()
            .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos((ms * 1e6) as i128).ok())
            .unwrap_or(now);
        photos.push(PhotoRef {
            bytes: stored.bytes.len() as u32,
            caption: String::new(),
            hash,
            height: encoded.height,
            mime: stored.mime,
            stage,
            taken_at,
            width: encoded.width,
        });
        added += 1;
    }
    if added > 0 {
        match app.records.set_photos(id, photos) {
            Ok(()) => outcomes.insert(0, Outcome::Added(added)),
            Err(error) => outcomes.push(Outcome::Save(error)),
        }
    }
    outcomes
}

fn outcome_text(locale: Locale, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Added(count) => td_string!(locale, photos.added, count = *count).to_string(),
        Outcome::TooMany(count) => td_string!(locale, photos.too_many, count = *count).to_string(),
        Outcome::NotImage { name, reason } => {
            td_string!(locale, photos.not_image, name = name, reason = reason).to_string()
        }
        Outcome::Store(PhotoStoreError::Full) => td_string!(locale, photos.full).to_owned(),
        Outcome::Store(PhotoStoreError::Unavailable(_)) => {
            td_string!(locale, photos.unavailable).to_owned()
        }
        Outcome::Store(error) => {
            td_string!(locale, photos.failed, reason = error.to_string()).to_string()
        }
        Outcome::Save(error) => {
            let reason = labels::storage_error(locale, error);
            td_string!(locale, errors.not_saved, reason).to_string()
        }
    }
}

/// One photo at full size over the page, with the previous and next by button, arrow keys
/// or a swipe; Escape or the close button goes back.
#[component]
fn PhotoViewer(photos: Vec<PhotoRef>, panel: PhotoPanel) -> impl IntoView {
    let i18n = use_i18n();
    let total = photos.len();
    let step = move |by: isize| {
        panel.viewing.update(|v| {
            if let Some(index) = v {
                *index = (*index as isize + by).rem_euclid(total.max(1) as isize) as usize;
            }
        })
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if panel.viewing.get_untracked().is_none() {
            return;
        }
        match browser::property(&ev, "key")
            .as_string()
            .as_deref()
            .unwrap_or_default()
        {
            "Escape" => panel.viewing.set(None),
            "ArrowLeft" => step(-1),
            "ArrowRight" => step(1),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    let swipe_from = StoredValue::new(None::<f64>);
    let client_x = |ev: &leptos::ev::PointerEvent| browser::property(ev, "clientX").as_f64();
    move || {
        let index = panel.viewing.get()?;
        let photo = photos.get(index)?.clone();
        let url = panel.shown.with(|s| match s.get(&photo.hash) {
            Some(Shown::Url(url)) => Some(url.clone()),
            _ => None,
        });
        Some(view! {
            <div class="photo-viewer" role="dialog" aria-modal="true" aria-labelledby="photo-viewer-caption">
                {url.map(|url| view! {
                    <img class="photo-full" src=url alt=photo.caption.clone()
                        on:pointerdown=move |ev| swipe_from.set_value(client_x(&ev))
                        on:pointerup=move |ev| {
                            if let (Some(from), Some(to)) = (swipe_from.get_value(), client_x(&ev)) {
                                let moved = to - from;
                                if moved.abs() > 40.0 { step(if moved < 0.0 { 1 } else { -1 }) }
                            }
                            swipe_from.set_value(None);
                        } />
                })}
                <p id="photo-viewer-caption">
                    {photo.caption.clone()} " "
                    <span class="hint">{move || td_string!(i18n.get_locale(), photos.position, n = index + 1, total = total).to_string()}</span>
                </p>
                <div class="actions">
                    <button type="button" on:click=move |_| step(-1)>{tr!(i18n, photos.previous)}</button>
                    <button type="button" on:click=move |_| step(1)>{tr!(i18n, photos.next)}</button>
                    <button type="button" class="primary photo-close" on:click=move |_| panel.viewing.set(None)>{tr!(i18n, photos.close)}</button>
                </div>
            </div>
        })
    }
}
