//! Tier 2: nothing typed is lost, in headless Chromium. Text typed into the report's notes and
//! a record form is saved once typing pauses, and at once when the page is left before that
//! (its view disposed: a click on 首页), hidden (`visibilitychange`: a switch of app, a closed
//! tab) or unloaded (`pagehide`); what the report shows, prints and downloads is what is on
//! the screen; a form saved as a record leaves no draft behind.
#![cfg(target_arch = "wasm32")]

use field_ledger::domain::*;
use leptos::prelude::{GetUntracked, WithUntracked};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use field_ledger_test_support as support;
use support::browser::*;

wasm_bindgen_test_configure!(run_in_browser);

const REPORT: &str = "/report?period=h1&year=2022";

fn stored_notes(app: &field_ledger::state::App) -> (String, String, String) {
    use field_ledger::domain::period::{Period, Preset};
    let h1 = Period::preset(2022, Preset::FirstHalf, today()).unwrap();
    app.settings.settings.with_untracked(|s| {
        let notes = s.notes_for(&h1);
        (notes.problems, notes.plans, s.organisation.clone())
    })
}

#[wasm_bindgen_test]
async fn notes_typed_and_left_at_once_are_kept() {
    let app = new_app(Language::Zh);
    let mounted = mount_app(REPORT, app).await;
    let parent = &mounted.1;
    type_into(parent, "#report-problems", "部分县区培训场次偏少").await;
    type_into(parent, "#report-plans", "下半年每县至少一场").await;
    type_into(parent, "#report-organisation", "营口市科学技术局").await;
    // Nothing saved yet: typing has not paused.
    assert_eq!(stored_notes(&app), Default::default());
    // The report shows what is on the screen already (print, Word and copy use it).
    let report = text(parent, "#report");
    assert!(report.contains("部分县区培训场次偏少"), "{report}");
    assert!(report.contains("营口市科学技术局"), "{report}");
    // Leaving at once (a click on 首页 disposes the page) saves what was typed.
    unmount(mounted).await;
    assert_eq!(
        stored_notes(&app),
        (
            "部分县区培训场次偏少".into(),
            "下半年每县至少一场".into(),
            "营口市科学技术局".into()
        )
    );
}

#[wasm_bindgen_test]
async fn notes_are_saved_at_once_when_the_page_is_hidden_or_unloaded() {
    let app = new_app(Language::Zh);
    let mounted = mount_app(REPORT, app).await;
    let parent = &mounted.1;

    type_into(parent, "#report-problems", "技术员不足").await;
    assert_eq!(stored_notes(&app).0, "");
    fire(&web_sys::window().unwrap(), "pagehide");
    assert_eq!(stored_notes(&app).0, "技术员不足", "saved on pagehide");

    type_into(parent, "#report-plans", "增加培训").await;
    assert_eq!(stored_notes(&app).1, "");
    // The browser says the page is hidden (another app, the tab closed).
    let document = support::browser::document();
    let hidden = js_sys::Object::new();
    js_sys::Reflect::set(&hidden, &"value".into(), &"hidden".into()).unwrap();
    js_sys::Reflect::set(&hidden, &"configurable".into(), &JsValue::TRUE).unwrap();
    js_sys::Object::define_property(&document, &"visibilityState".into(), &hidden);
    fire(&document, "visibilitychange");
    js_sys::Reflect::delete_property(&document, &"visibilityState".into()).unwrap();
    assert_eq!(stored_notes(&app).1, "增加培训", "saved when hidden");

    // A page shown again saves nothing early: the next words wait for the pause.
    type_into(parent, "#report-plans", "增加培训场次").await;
    fire(&document, "visibilitychange");
    assert_eq!(stored_notes(&app).1, "增加培训");
    wait_until("the notes to be saved once typing pauses", || {
        stored_notes(&app).1 == "增加培训场次"
    })
    .await;
    unmount(mounted).await;
}

#[wasm_bindgen_test]
async fn a_form_left_at_once_keeps_its_draft_and_a_saved_one_leaves_none() {
    let app = new_app(Language::Zh);
    let mounted = mount_app("/visits/new", app).await;
    type_into(&mounted.1, "#field-host", "营口天域米业").await;
    type_into(&mounted.1, "#field-problems", "稻瘟病").await;
    assert_eq!(app.drafts.load(RecordKind::Visit, None), None, "not yet");
    unmount(mounted).await;
    let draft = app.drafts.load(RecordKind::Visit, None).expect("the draft");
    assert_eq!(draft.text(Field::Problems), "稻瘟病");

    // A form saved as a record, left at once, writes no draft after it.
    let mounted = mount_app("/trainings/new", app).await;
    let parent = &mounted.1;
    type_into(parent, "#field-date", "2022-06-10").await;
    type_into(parent, "#field-topic", "设施蔬菜栽培").await;
    type_into(parent, "#field-attendance", "38").await;
    save(parent).await;
    assert_eq!(app.records.ledger.get_untracked().len(), 1);
    unmount(mounted).await;
    assert_eq!(app.drafts.load(RecordKind::Training, None), None);
}
