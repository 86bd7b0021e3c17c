//! The three record forms. Each holds what is typed in a domain `*Input`, validates it in the
//! domain on save, and shows every problem beside its field without losing what was typed.

use crate::browser::app_href;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::bind;
use crate::browser;
use crate::components::entry::{
    ActiveField, LocationFields, PicklistDatalists, TechnologyPicker, provide_picklists,
    track_active_field,
};
use crate::components::fields::*;
use crate::components::labels;
use crate::domain::picklist::Picklist;
use crate::domain::*;
use crate::i18n::*;
use crate::state::{AppState, EditOutcome, Notice, use_app};
use crate::storage::StorageError;

/// What a form needs from its draft: offering a left-over draft back, knowing whether there
/// are unsaved changes, and forgetting the draft once the record is saved.
#[derive(Clone, Copy)]
pub struct DraftState {
    offered: RwSignal<bool>,
    restore: Callback<()>,
    discard: Callback<()>,
    dirty: Signal<bool>,
}

/// The form's input as a signal, autosaved as a draft (debounced) while it differs from
/// what the form opened with. A draft left by a reload, a crash or a closed tab is offered
/// back; it never counts as a record and is never exported.
fn use_draft<I>(kind: RecordKind, id: Option<Uuid>, initial: I) -> (RwSignal<I>, DraftState)
where
    I: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    let app = use_app();
    let input = RwSignal::new(initial.clone());
    let left_over = app
        .load_draft::<I>(kind, id)
        .filter(|draft| *draft != initial);
    let offered = RwSignal::new(left_over.is_some());
    let left_over = StoredValue::new(left_over);
    let dirty = Memo::new(move |_| input.with(|i| *i != initial));
    // Each change starts a new wait; only the last one writes.
    let generation = StoredValue::new(0u64);
    Effect::new(move |first_run_done: Option<()>| {
        let snapshot = input.get();
        if first_run_done.is_none() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                // The form may be gone (saved, or left) by the time the wait is over.
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                if dirty.try_get_untracked() == Some(true) {
                    // A draft that does not fit is only a lost convenience; the form keeps it.
                    let _ = app.save_draft(kind, id, &snapshot);
                } else {
                    app.discard_draft(kind, id);
                }
            },
            Duration::from_millis(DRAFT_DELAY_MS),
        );
    });
    let restore = Callback::new(move |()| {
        if let Some(draft) = left_over.get_value() {
            input.set(draft);
        }
        offered.set(false);
    });
    let discard = Callback::new(move |()| {
        generation.update_value(|g| *g += 1);
        offered.set(false);
        app.discard_draft(kind, id);
    });
    (
        input,
        DraftState {
            offered,
            restore,
            discard,
            dirty: dirty.into(),
        },
    )
}

/// How long typing must pause before the draft is written.
const DRAFT_DELAY_MS: u64 = 400;

/// Asks before the page or the form is left with unsaved changes: closing the tab or
/// reloading (the browser's own prompt), and following any link (a confirmation).
fn guard_unsaved_changes(draft: DraftState, question: Signal<&'static str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_unload = Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
        move |ev: web_sys::BeforeUnloadEvent| {
            if draft.dirty.try_get_untracked() == Some(true) {
                ev.prevent_default();
                ev.set_return_value("");
            }
        },
    );
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if draft.dirty.try_get_untracked() != Some(true) {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if link.is_none() {
            return;
        }
        let leave = web_sys::window()
            .and_then(|w| w.confirm_with_message(question.get_untracked()).ok())
            .unwrap_or(true);
        if leave {
            draft.discard.run(());
        } else {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let _ =
        window.add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
    // Capture phase: ahead of the router, which follows links on the way back up.
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    let listeners = StoredValue::new_local(Some((on_unload, on_click)));
    on_cleanup(move || {
        let Some((on_unload, on_click)) = listeners.try_update_value(Option::take).flatten() else {
            return;
        };
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "beforeunload",
                on_unload.as_ref().unchecked_ref(),
            );
            let _ = window.remove_event_listener_with_callback_and_bool(
                "click",
                on_click.as_ref().unchecked_ref(),
                true,
            );
        }
    });
}

/// The frame every record form shares: draft offer, error summary, save and cancel.
/// `validate` turns the form's input into a record body or a list of field problems.
#[component]
fn RecordForm(
    kind: RecordKind,
    /// The record being edited and the revision the form opened with; `None` for a new one.
    existing: Option<(Uuid, u32)>,
    draft: DraftState,
    validate: Callback<(), Result<RecordBody, FieldErrors>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let errors = RwSignal::new(FieldErrors::new());
    let save_error = RwSignal::new(None::<StorageError>);
    provide_context(FormErrors(errors));
    let active = ActiveField(RwSignal::new(None));
    provide_context(active);
    guard_unsaved_changes(
        draft,
        Signal::derive(move || t_string!(i18n, form.leave_question)),
    );

    // Once the page is idle, so that the tap on Save does not wait for code to compile.
    request_idle_callback(move || app.rehearse_save(kind));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_error.set(None);
        match validate.run(()) {
            Err(problems) => {
                if let Some(first) = problems.first() {
                    focus(&field_id(first.field));
                }
                errors.set(problems);
            }
            Ok(body) => {
                errors.set(FieldErrors::new());
                let saved = match existing {
                    Some((id, revision)) => app.update(id, revision, body.clone()).map(|outcome| {
                        let notice = match outcome {
                            EditOutcome::Saved => Notice::Saved,
                            EditOutcome::KeptOtherVersion => Notice::KeptOtherVersion,
                        };
                        (id, notice)
                    }),
                    None => app.create(body.clone()).map(|id| (id, Notice::Saved)),
                };
                match saved {
                    Ok((id, notice)) => {
                        app.notice.set(Some(notice));
                        draft.discard.run(());
                        remember_county(app, &body);
                        navigate(&format!("/{}/{id}", kind.slug()), Default::default());
                    }
                    Err(error) => save_error.set(Some(error)),
                }
            }
        }
    };

    let cancel_href = match existing {
        Some((id, _)) => format!("/{}/{id}", kind.slug()),
        None => format!("/{}", kind.slug()),
    };
    let error_count = move || errors.with(|e| e.len());

    view! {
        <Show when=move || draft.offered.get()>
            <div class="banner info draft-offer" role="status">
                <span>{crate::tr(i18n, |l| td_string!(l, form.draft_found))}</span>
                <button id="restore-draft" class="primary" on:click=move |_| draft.restore.run(())>{crate::tr(i18n, |l| td_string!(l, form.draft_restore))}</button>
                <button id="discard-draft" on:click=move |_| draft.discard.run(())>{crate::tr(i18n, |l| td_string!(l, form.draft_discard))}</button>
            </div>
        </Show>
        <form class="record-form" novalidate on:submit=on_submit
            on:focusin=move |ev| track_active_field(active, &ev)>
            {children()}
            <PicklistDatalists />
            <div class="form-status" role="status" aria-live="polite">
                <Show when=move || { error_count() > 0 }>
                    <p class="error-summary">{move || t_string!(i18n, form.has_errors, count = error_count())}</p>
                </Show>
                {move || {
                    save_error
                        .get()
                        .map(|error| {
                            let reason = labels::storage_error(i18n.get_locale(), &error);
                            let advice = if error == StorageError::QuotaExceeded {
                                t_string!(i18n, form.quota_advice)
                            } else {
                                ""
                            };
                            view! { <p class="save-error" role="alert">{t_string!(i18n, form.save_failed, reason)}" "{advice}</p> }
                        })
                }}
            </div>
            <div class="actions">
                <button type="submit" class="primary">{crate::tr(i18n, |l| td_string!(l, action.save))}</button>
                <A href=app_href(&cancel_href) attr:class="button">{crate::tr(i18n, |l| td_string!(l, action.cancel))}</A>
            </div>
        </form>
    }
}

/// A county typed into a form that is not in the list yet joins the user's list.
fn remember_county(app: AppState, body: &RecordBody) {
    let county = match body {
        RecordBody::Training(t) => &t.place.county,
        RecordBody::Technology(t) => &t.county,
        RecordBody::Visit(v) => &v.place.county,
    };
    if !app
        .settings
        .with_untracked(|s| county.is_empty() || s.counties().contains(county))
    {
        // The record is saved; a county list that fails to save only costs a suggestion.
        let _ = app.update_settings(|s| {
            s.add_county(county);
        });
    }
}

fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Place fields shared by trainings and visits.
macro_rules! place_fields {
    ($i18n:ident, $input:ident) => {
        view! {
            <TextInput field=Field::County label=move || t_string!($i18n, field.county) bound=bind!($input, county)
                list="county-options" hint=Signal::derive(move || t_string!($i18n, form.county_hint)) />
            <TextInput field=Field::Township label=move || t_string!($i18n, field.township) bound=bind!($input, township)
                picklist=Picklist::Townships />
            <TextInput field=Field::Village label=move || t_string!($i18n, field.village) bound=bind!($input, village)
                picklist=Picklist::Villages />
        }
    };
}

/// The picklists each form offers.
const TRAINING_LISTS: [Picklist; 5] = [
    Picklist::People,
    Picklist::Partners,
    Picklist::Townships,
    Picklist::Villages,
    Picklist::Subjects,
];
const TECHNOLOGY_LISTS: [Picklist; 3] =
    [Picklist::Technologies, Picklist::Partners, Picklist::Hosts];
const VISIT_LISTS: [Picklist; 6] = [
    Picklist::People,
    Picklist::Teams,
    Picklist::Hosts,
    Picklist::Townships,
    Picklist::Villages,
    Picklist::Technologies,
];

/// A form for a new training, or for editing `existing`. A new one may start from `prefill`
/// (a copy of another training).
#[component]
pub fn TrainingForm(
    existing: Option<Record>,
    #[prop(optional_no_strip)] prefill: Option<RecordBody>,
) -> impl IntoView {
    let i18n = use_i18n();
    provide_picklists(&TRAINING_LISTS);
    let initial = match existing.as_ref().map(|r| &r.body).or(prefill.as_ref()) {
        Some(RecordBody::Training(t)) => TrainingInput::from_training(t),
        _ => TrainingInput::blank(browser::today()),
    };
    let opened = existing.as_ref().map(|r| (r.id, r.revision));
    let (input, draft) = use_draft(RecordKind::Training, opened.map(|(id, _)| id), initial);
    let validate = Callback::new(move |()| {
        input
            .with_untracked(|i| i.validate(browser::today()))
            .map(RecordBody::Training)
    });
    let list_hint = Signal::derive(move || t_string!(i18n, form.list_hint));
    view! {
        <RecordForm kind=RecordKind::Training existing=opened draft validate>
            <div class="row">
                <TextInput field=Field::Date label=move || t_string!(i18n, field.date) bound=bind!(input, date) input_type="date" required=true />
                <Choice id="field-trainingtype" label=move || t_string!(i18n, field.training_type)
                    options=&TrainingType::ALL bound=bind!(input, training_type) name_of=labels::training_type />
            </div>
            <TextInput field=Field::Topic label=move || t_string!(i18n, field.topic) bound=bind!(input, topic) required=true />
            <div class="row">
                <TextInput field=Field::StartTime label=move || t_string!(i18n, field.start_time) bound=bind!(input, start_time) input_type="time" />
                <TextInput field=Field::EndTime label=move || t_string!(i18n, field.end_time) bound=bind!(input, end_time) input_type="time" />
                <TextInput field=Field::DurationHours label=move || t_string!(i18n, field.duration_hours) bound=bind!(input, duration_hours) inputmode="decimal" />
            </div>
            <TextInput field=Field::Trainers label=move || t_string!(i18n, field.trainers) bound=bind!(input, trainers) hint=list_hint
                picklist=Picklist::People many=true />
            <TextInput field=Field::Organiser label=move || t_string!(i18n, field.organiser) bound=bind!(input, organiser)
                picklist=Picklist::Partners />
            <div class="row">{place_fields!(i18n, input)}</div>
            <div class="row">
                <TextInput field=Field::Attendance label=move || t_string!(i18n, field.attendance) bound=bind!(input, attendance) inputmode="numeric" stepper=true required=true />
                <TextInput field=Field::Women label=move || t_string!(i18n, field.women) bound=bind!(input, women) inputmode="numeric" stepper=true />
                <TextInput field=Field::Households label=move || t_string!(i18n, field.households) bound=bind!(input, households) inputmode="numeric" stepper=true />
            </div>
            <TextInput field=Field::Subjects label=move || t_string!(i18n, field.subjects) bound=bind!(input, subjects) hint=list_hint
                picklist=Picklist::Subjects many=true />
            <TechnologyPicker bound=bind!(input, technology_ids) />
            <TextArea field=Field::Notes label=move || t_string!(i18n, field.notes) bound=bind!(input, notes) />
        </RecordForm>
    }
}

/// A form for a new technology, or for editing `existing`; a new one may start from `prefill`.
#[component]
pub fn TechnologyForm(
    existing: Option<Record>,
    #[prop(optional_no_strip)] prefill: Option<RecordBody>,
) -> impl IntoView {
    let i18n = use_i18n();
    provide_picklists(&TECHNOLOGY_LISTS);
    let initial = match existing.as_ref().map(|r| &r.body).or(prefill.as_ref()) {
        Some(RecordBody::Technology(t)) => TechnologyInput::from_technology(t),
        _ => TechnologyInput::blank(browser::today()),
    };
    let opened = existing.as_ref().map(|r| (r.id, r.revision));
    let (input, draft) = use_draft(RecordKind::Technology, opened.map(|(id, _)| id), initial);
    let validate = Callback::new(move |()| {
        input
            .with_untracked(|i| i.validate(browser::today()))
            .map(RecordBody::Technology)
    });
    let list_hint = Signal::derive(move || t_string!(i18n, form.list_hint));
    view! {
        <RecordForm kind=RecordKind::Technology existing=opened draft validate>
            <TextInput field=Field::Name label=move || t_string!(i18n, field.name) bound=bind!(input, name) required=true
                picklist=Picklist::Technologies />
            <div class="row">
                <Choice id="field-category" label=move || t_string!(i18n, field.category)
                    options=&TechCategory::ALL bound=bind!(input, category) name_of=labels::category />
                <Choice id="field-stage" label=move || t_string!(i18n, field.stage)
                    options=&Stage::ALL bound=bind!(input, stage) name_of=labels::stage />
            </div>
            <fieldset class="group">
                <legend>{crate::tr(i18n, |l| td_string!(l, form.stage_dates))}</legend>
                <div class="row">
                    <TextInput field=Field::IntroducedOn label=move || t_string!(i18n, field.introduced_on) bound=bind!(input, introduced_on) input_type="date" />
                    <TextInput field=Field::DemonstratedOn label=move || t_string!(i18n, field.demonstrated_on) bound=bind!(input, demonstrated_on) input_type="date" />
                    <TextInput field=Field::PromotedOn label=move || t_string!(i18n, field.promoted_on) bound=bind!(input, promoted_on) input_type="date" />
                </div>
            </fieldset>
            <TextInput field=Field::Partners label=move || t_string!(i18n, field.partners) bound=bind!(input, partners) hint=list_hint
                picklist=Picklist::Partners many=true />
            <div class="row">
                <TextInput field=Field::Site label=move || t_string!(i18n, field.site) bound=bind!(input, site)
                    picklist=Picklist::Hosts />
                <TextInput field=Field::County label=move || t_string!(i18n, field.county) bound=bind!(input, county)
                    list="county-options" hint=Signal::derive(move || t_string!(i18n, form.county_hint)) />
            </div>
            <div class="row">
                <TextInput field=Field::DemoArea label=move || t_string!(i18n, field.demo_area) bound=bind!(input, demo_area_mu) inputmode="decimal" />
                <TextInput field=Field::PromotedArea label=move || t_string!(i18n, field.promoted_area) bound=bind!(input, promoted_area_mu) inputmode="decimal" />
                <TextInput field=Field::Households label=move || t_string!(i18n, field.households) bound=bind!(input, households) inputmode="numeric" stepper=true />
            </div>
            <LocationFields bound=bind!(input, site_location) />
            <TextArea field=Field::Notes label=move || t_string!(i18n, field.notes) bound=bind!(input, notes) />
        </RecordForm>
    }
}

/// The team types offered for a visit, "not given" first.
const TEAM_LEVELS: [Option<TeamLevel>; 4] = [
    None,
    Some(TeamLevel::ProvincialTeam),
    Some(TeamLevel::ProvincialGroup),
    Some(TeamLevel::MunicipalTeam),
];

/// A form for a new visit, or for editing `existing`; a new one may start from `prefill` (a
/// copy of another visit, or the follow-up of one).
#[component]
pub fn VisitForm(
    existing: Option<Record>,
    #[prop(optional_no_strip)] prefill: Option<RecordBody>,
) -> impl IntoView {
    let i18n = use_i18n();
    provide_picklists(&VISIT_LISTS);
    let initial = match existing.as_ref().map(|r| &r.body).or(prefill.as_ref()) {
        Some(RecordBody::Visit(v)) => VisitInput::from_visit(v),
        _ => VisitInput::blank(browser::today()),
    };
    let opened = existing.as_ref().map(|r| (r.id, r.revision));
    let (input, draft) = use_draft(RecordKind::Visit, opened.map(|(id, _)| id), initial);
    let validate = Callback::new(move |()| {
        input
            .with_untracked(|i| i.validate(browser::today()))
            .map(RecordBody::Visit)
    });
    let list_hint = Signal::derive(move || t_string!(i18n, form.list_hint));
    let follow_up = move || input.with(|i| i.follow_up_needed);
    view! {
        <RecordForm kind=RecordKind::Visit existing=opened draft validate>
            <div class="row">
                <TextInput field=Field::Date label=move || t_string!(i18n, field.date) bound=bind!(input, date) input_type="date" required=true />
                <TextInput field=Field::StartTime label=move || t_string!(i18n, field.start_time) bound=bind!(input, start_time) input_type="time" />
                <TextInput field=Field::EndTime label=move || t_string!(i18n, field.end_time) bound=bind!(input, end_time) input_type="time" />
            </div>
            <TextInput field=Field::Commissioners label=move || t_string!(i18n, field.commissioners) bound=bind!(input, commissioners) required=true hint=list_hint
                picklist=Picklist::People many=true />
            <div class="row">
                <Choice id="field-teamlevel" label=move || t_string!(i18n, field.team_level)
                    options=&TEAM_LEVELS bound=bind!(input, team_level) name_of=labels::team_level />
                <TextInput field=Field::TeamName label=move || t_string!(i18n, field.team_name) bound=bind!(input, team_name)
                    picklist=Picklist::Teams />
            </div>
            <div class="row">
                <TextInput field=Field::Host label=move || t_string!(i18n, field.host) bound=bind!(input, host) required=true
                    picklist=Picklist::Hosts />
                <Choice id="field-hosttype" label=move || t_string!(i18n, field.host_type)
                    options=&HostType::ALL bound=bind!(input, host_type) name_of=labels::host_type />
            </div>
            <div class="row">{place_fields!(i18n, input)}</div>
            <MultiChoice id="field-help" label=move || t_string!(i18n, field.help)
                options=&HelpKind::ALL bound=bind!(input, help) name_of=labels::help />
            <TextArea field=Field::Problems label=move || t_string!(i18n, field.problems) bound=bind!(input, problems) />
            <TextArea field=Field::Advice label=move || t_string!(i18n, field.advice) bound=bind!(input, advice) />
            <TextInput field=Field::Technologies label=move || t_string!(i18n, field.technologies) bound=bind!(input, technologies) hint=list_hint
                picklist=Picklist::Technologies many=true />
            <TechnologyPicker bound=bind!(input, technology_ids) />
            <div class="row">
                <Toggle id="field-followupneeded" label=move || t_string!(i18n, field.follow_up_needed) bound=bind!(input, follow_up_needed) />
                <Show when=follow_up>
                    <TextInput field=Field::FollowUpBy label=move || t_string!(i18n, field.follow_up_by) bound=bind!(input, follow_up_by) input_type="date" required=true />
                </Show>
            </div>
            <LocationFields bound=bind!(input, location) />
            <TextArea field=Field::Notes label=move || t_string!(i18n, field.notes) bound=bind!(input, notes) />
        </RecordForm>
    }
}
