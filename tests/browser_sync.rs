//! Tier 2: the live sync's browser side in headless Chromium: one tab syncs at a time (Web
//! Locks), the server settings and the password are kept where they belong and forgotten on
//! request, and the sync page refuses an address that would send the password in clear.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use field_ledger::browser;
use field_ledger::domain::*;
use field_ledger::replication::SyncConfig;
use field_ledger::state::App;
use field_ledger::storage::keys;
use leptos::prelude::*;
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A lock of this test's own: the page test below starts a real sync, which takes the app's.
const LOCK: &str = "field-ledger-test-lock";

#[wasm_bindgen_test]
async fn one_tab_syncs_at_a_time() {
    let (holding, release) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let first = Rc::new(Cell::new(None::<Option<u8>>));
    {
        let (holding, release, first) = (holding.clone(), release.clone(), first.clone());
        leptos::task::spawn_local(async move {
            let done = browser::with_lock(LOCK, async move {
                holding.set(true);
                while !release.get() {
                    browser::yield_to_browser().await;
                }
                1
            })
            .await;
            first.set(Some(done));
        });
    }
    wait_until("the first holds the lock", || holding.get()).await;
    // Another "tab" asking meanwhile does not wait: it is told the sync is busy.
    assert_eq!(browser::with_lock(LOCK, async { 2 }).await, None);
    release.set(true);
    wait_until("the first finished", || first.get().is_some()).await;
    assert_eq!(first.get(), Some(Some(1)));
    assert_eq!(browser::with_lock(LOCK, async { 3 }).await, Some(3));
}

#[wasm_bindgen_test]
fn the_password_is_never_stored_and_forgetting_removes_every_sync_key() {
    local_storage().clear().unwrap();
    // A password an older version kept on the tablet is removed at start.
    local_storage()
        .set_item(keys::SYNC_SECRET, "old-s3cret")
        .unwrap();
    let app = signed_in(App::start(), Language::Zh);
    let stored = |key: &str| local_storage().get_item(key).unwrap();
    assert_eq!(stored(keys::SYNC_SECRET), None);
    app.records
        .create(support::training_about("水稻育秧"))
        .unwrap();
    let config = SyncConfig {
        url: "/couch".into(),
        database: "ledger".into(),
        user: "测试员".into(),
        automatic: true,
    };
    app.sync
        .configure(config.clone(), Some("s3cret-Pw".into()))
        .unwrap();
    // Automatic sync or not, the password is in this tab's memory only.
    let everything: Vec<String> = (0..local_storage().length().unwrap())
        .filter_map(|i| local_storage().key(i).unwrap())
        .filter_map(|key| stored(&key))
        .collect();
    assert!(
        everything.iter().all(|value| !value.contains("s3cret")),
        "{everything:?}"
    );
    let kept = stored(keys::SYNC_CONFIG).unwrap();
    assert!(kept.contains("/couch"), "{kept}");
    // Not part of the settings, so never in an export.
    let settings = stored(keys::SETTINGS).unwrap();
    assert!(!settings.contains("/couch"), "{settings}");
    assert!(app.sync.has_password(), "usable in this tab");
    // Saving again without typing it keeps the one typed.
    app.sync.configure(config, None).unwrap();
    assert!(app.sync.has_password());
    let again = App::start();
    assert!(!again.sync.has_password(), "gone with the tab");
    assert!(again.sync.config().get_untracked().is_some());

    // A sync state's journal entry (as a sync writes it) goes with the rest.
    let entry = format!("{}0.1", keys::SYNC_JOURNAL_PREFIX);
    local_storage().set_item(&entry, "{}").unwrap();
    again.sync.forget().unwrap();
    for key in [
        keys::SYNC_CONFIG,
        keys::SYNC_SECRET,
        keys::SYNC_STATE,
        &entry,
    ] {
        assert_eq!(stored(key), None, "{key}");
    }
    assert_eq!(
        again
            .records
            .ledger
            .get_untracked()
            .count(RecordKind::Training),
        1,
        "records stay"
    );
}

#[wasm_bindgen_test]
async fn the_sync_page_refuses_plain_http_to_another_machine_and_stores_nothing() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/server", app).await;
    let parent = &mounted.1;
    wait_until("the page", || find(parent, "#sync-url").is_some()).await;
    type_into(parent, "#sync-url", "http://192.168.1.5:5984").await;
    type_into(parent, "#sync-database", "ledger").await;
    type_into(parent, "#sync-password", "s3cret-Pw").await;
    click(parent, "#sync-save").await;
    assert!(
        text(parent, ".problem").contains("https://"),
        "{}",
        text(parent, ".problem")
    );
    assert_eq!(app.sync.config().get_untracked(), None, "nothing stored");
    assert!(!app.sync.has_password());

    // A path on the app's own site is fine (a same-origin reverse proxy).
    type_into(parent, "#sync-url", "/couch").await;
    click(parent, "#sync-save").await;
    wait_until("stored", || app.sync.config().get_untracked().is_some()).await;
    assert_eq!(text(parent, ".problem"), "");
    unmount(mounted).await;
}
