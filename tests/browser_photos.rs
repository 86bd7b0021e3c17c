//! Tier 2: photos in headless Chromium. The IndexedDB store keeps, lists and removes photo
//! bytes by hash; a photo taken on a record's page is made smaller, stored and named by the
//! record; a photo store that is full or missing refuses the photo with a clear message
//! while the record itself still saves.
#![cfg(target_arch = "wasm32")]

use field_ledger::browser::{call, property};
use field_ledger::domain::photo::{PhotoMime, photo_hash, sniff_image};
use field_ledger::domain::*;
use field_ledger::storage::photos::{PhotoStore, PhotoStoreError, StoredPhoto};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::FaultyPhotos;
use support::browser::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A PNG "camera photo" of `width` × `height`, drawn on a canvas, as a picked file.
async fn camera_file(width: u32, height: u32) -> web_sys::File {
    let canvas: JsValue = support::browser::document()
        .create_element("canvas")
        .unwrap()
        .into();
    js_sys::Reflect::set(&canvas, &"width".into(), &width.into()).unwrap();
    js_sys::Reflect::set(&canvas, &"height".into(), &height.into()).unwrap();
    let context = call(&canvas, "getContext", &[&"2d".into()]).unwrap();
    for (i, colour) in ["#2f6b3a", "#c8a040", "#6a8fd0"].iter().enumerate() {
        js_sys::Reflect::set(&context, &"fillStyle".into(), &(*colour).into()).unwrap();
        let x = JsValue::from(i as u32 * width / 3);
        call(
            &context,
            "fillRect",
            &[&x, &0.into(), &(width / 3 + 1).into(), &height.into()],
        )
        .unwrap();
    }
    let blob = js_sys::Promise::new(&mut |resolve, _| {
        call(&canvas, "toBlob", &[&resolve, &"image/png".into()]).unwrap();
    });
    let blob = wasm_bindgen_futures::JsFuture::from(blob).await.unwrap();
    file_of(&blob, "field.png", "image/png")
}

/// Picks `files` in the photo input, as the camera or the gallery would hand them over.
fn pick(parent: &web_sys::HtmlElement, files: &[web_sys::File]) {
    let input = query(parent, "#photo-input");
    let transfer_type = property(&web_sys::window().unwrap().into(), "DataTransfer");
    let transfer = js_sys::Reflect::construct(
        transfer_type.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::new(),
    )
    .unwrap();
    let items = property(&transfer, "items");
    for file in files {
        call(&items, "add", &[file]).unwrap();
    }
    js_sys::Reflect::set(&input, &"files".into(), &property(&transfer, "files")).unwrap();
    fire(&input, "change");
}

/// The record `id` as the app holds it now.
fn stored_record(app: &field_ledger::state::App, id: uuid::Uuid) -> Record {
    app.records
        .ledger
        .with_untracked(|l| l.get(&id).cloned())
        .unwrap()
}

/// A `File` of `parts` (blobs or text) named `name`, of type `mime`.
fn file_of(parts: &JsValue, name: &str, mime: &str) -> web_sys::File {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"type".into(), &mime.into()).unwrap();
    let file_type = property(&web_sys::window().unwrap().into(), "File");
    js_sys::Reflect::construct(
        file_type.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::of3(&js_sys::Array::of1(parts), &name.into(), &options),
    )
    .unwrap()
    .unchecked_into()
}

/// A training's page in `language` over `photos`, once its photo section is there.
async fn training_page(
    language: Language,
    photos: &FaultyPhotos,
) -> (field_ledger::state::App, uuid::Uuid, Mounted) {
    let app = new_app(language);
    let id = app
        .records
        .create(support::training_about("设施蔬菜栽培"))
        .unwrap();
    let mounted = mount_app_with_photos(&format!("/trainings/{id}"), app, photos.store()).await;
    wait_until("the photo section", || {
        find(&mounted.1, "#photo-input").is_some()
    })
    .await;
    (app, id, mounted)
}

#[wasm_bindgen_test]
async fn the_indexeddb_store_keeps_lists_and_removes_photos_by_hash() {
    let store = PhotoStore::browser();
    let bytes = b"\xff\xd8\xff\xe0 a tiny jpeg \xff\xd9".to_vec();
    let hash = photo_hash(&bytes);
    let photo = StoredPhoto {
        mime: PhotoMime::Jpeg,
        bytes,
    };
    store.put(&hash, &photo).await.unwrap();
    assert_eq!(store.get(&hash).await.unwrap(), Some(photo.clone()));
    assert!(store.hashes().await.unwrap().contains(&hash));
    // Stored twice under its hash: still one.
    store.put(&hash, &photo).await.unwrap();
    let count = store
        .hashes()
        .await
        .unwrap()
        .iter()
        .filter(|h| **h == hash)
        .count();
    assert_eq!(count, 1);
    store.delete(&hash).await.unwrap();
    assert_eq!(store.get(&hash).await.unwrap(), None);
    assert!(!store.hashes().await.unwrap().contains(&hash));
}

#[wasm_bindgen_test]
async fn a_photo_taken_on_a_record_is_scaled_stored_and_named_by_the_record() {
    let photos = FaultyPhotos::default();
    let (app, id, mounted) = training_page(Language::Zh, &photos).await;
    let parent = &mounted.1;
    pick(parent, &[camera_file(2400, 1800).await]);
    wait_until("the photo in the record", || {
        app.records
            .ledger
            .with_untracked(|l| l.get(&id).is_some_and(|r| r.photos.len() == 1))
    })
    .await;
    let record = stored_record(&app, id);
    assert_eq!(record.revision, 2);
    let photo = &record.photos[0];
    assert_eq!((photo.width, photo.height), (1600, 1200));
    // The bytes stored are the ones named: a real image, of the type the record says.
    assert_eq!(photos.hashes(), vec![photo.hash.clone()]);
    let stored = photos.store().get(&photo.hash).await.unwrap().unwrap();
    assert_eq!(photo_hash(&stored.bytes), photo.hash);
    assert_eq!(sniff_image(&stored.bytes), Ok(photo.mime));
    assert_eq!(stored.bytes.len() as u32, photo.bytes);
    wait_until("the thumbnail", || {
        find(parent, "img.photo-thumb").is_some()
    })
    .await;
    assert_eq!(text(parent, ".photo-outcome"), "已添加照片 1 张。");
    // The full view opens and closes.
    query(parent, ".photo-open").click();
    wait_until("the full view", || {
        find(parent, ".photo-viewer img.photo-full").is_some()
    })
    .await;
    query(parent, ".photo-close").click();
    wait_until("the full view closed", || {
        find(parent, ".photo-viewer").is_none()
    })
    .await;
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_full_or_missing_photo_store_refuses_the_photo_and_the_record_still_saves() {
    for (fault, message) in [
        (PhotoStoreError::Full, "本机存储空间已满"),
        (
            PhotoStoreError::Unavailable("private window".into()),
            "此浏览器无法保存照片",
        ),
    ] {
        let photos = FaultyPhotos::default();
        photos.fail_with(Some(fault));
        let (app, id, mounted) = training_page(Language::Zh, &photos).await;
        let parent = &mounted.1;
        pick(parent, &[camera_file(800, 600).await]);
        wait_until("the refusal", || {
            find(parent, ".photo-outcome")
                .is_some_and(|p| p.text_content().unwrap_or_default().contains(message))
        })
        .await;
        let record = stored_record(&app, id);
        assert_eq!((record.revision, record.photos.len()), (1, 0));
        assert!(photos.hashes().is_empty());
        // The record itself still saves (marked as a typical case here).
        app.records.set_typical(id, true).unwrap();
        assert_eq!(
            app.records
                .ledger
                .get_untracked()
                .get(&id)
                .unwrap()
                .revision,
            2
        );
        unmount(mounted).await;
    }
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_an_image_is_said_so_and_adds_nothing() {
    let photos = FaultyPhotos::default();
    let (app, id, mounted) = training_page(Language::En, &photos).await;
    let parent = &mounted.1;
    let renamed = file_of(&"just notes".into(), "notes.jpg", "image/jpeg");
    pick(parent, &[renamed]);
    wait_until("the message", || {
        find(parent, ".photo-outcome").is_some_and(|p| {
            p.text_content()
                .unwrap_or_default()
                .contains("“notes.jpg” is not an image")
        })
    })
    .await;
    assert_eq!(
        app.records
            .ledger
            .get_untracked()
            .get(&id)
            .unwrap()
            .revision,
        1
    );
    assert!(photos.hashes().is_empty());
    unmount(mounted).await;
}
