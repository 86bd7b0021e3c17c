//! The record form of every kind, drawn from the kind's field table
//! ([`Kind`](crate::domain::Kind)): the fields in the kind's layout, a draft kept while the
//! officer types, validation in the domain on save with every problem shown beside its field,
//! and nothing typed lost.

mod controls;
mod location;
mod record_picker;
mod suggestions;
mod technology_picker;

pub use controls::{Bound, COUNTY_OPTIONS, field_id};
pub use location::metres;
pub use suggestions::complete;

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use time::Date;
use uuid::Uuid;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::labels;
use crate::components::notice::{Notice, use_notice};
use crate::domain::form::{Control, FieldInfo, FormPart, Input, Legend};
use crate::domain::*;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::{App, EditOutcome, use_app};
use crate::storage::StorageError;
use controls::{
    Choice, CountyOptions, FormErrors, MultiChoice, TextArea, TextInput, Toggle, text_of,
};
use location::LocationFields;
use suggestions::{ActiveField, PicklistDatalists, provide_picklists, track_active_field};
use technology_picker::TechnologyPicker;

/// How long typing must pause before the draft is written.
const DRAFT_DELAY: Duration = Duration::from_millis(400);

/// What a form needs from its draft: offering a left-over draft back, knowing whether there
/// are unsaved changes, and forgetting the draft once the record is saved.
#[derive(Clone, Copy)]
struct DraftState {
    offered: RwSignal<bool>,
    restore: Callback<()>,
    discard: Callback<()>,
    dirty: Signal<bool>,
}

/// The form's input as a signal, kept as a draft (once typing pauses) while it differs from
/// what the form opened with. A draft left by a reload, a crash or a closed tab is offered
/// back; it never counts as a record and is never exported.
fn use_draft(
    kind: RecordKind,
    id: Option<Uuid>,
    initial: FormInput,
) -> (RwSignal<FormInput>, DraftState) {
    let app = use_app();
    let input = RwSignal::new(initial.clone());
    let left_over = app.drafts.load(kind, id).filter(|draft| *draft != initial);
    let offered = RwSignal::new(left_over.is_some());
    let left_over = StoredValue::new(left_over);
    let dirty = Memo::new(move |_| input.with(|i| *i != initial));
    // Only the last change of a burst is written, and a pending write is made when the form
    // is left or the page hidden (a draft forgotten or saved as a record is not).
    let keep = browser::Debounced::new(
        DRAFT_DELAY,
        move |(snapshot, changed): (FormInput, bool)| {
            if changed {
                // A draft that does not fit is only a lost convenience; the form keeps it.
                let _ = app.drafts.save(kind, id, &snapshot);
            } else {
                app.drafts.discard(kind, id);
            }
        },
    );
    let pending = keep.clone();
    Effect::new(move |first_run_done: Option<()>| {
        let snapshot = input.get();
        if first_run_done.is_some() {
            let changed = dirty.get_untracked();
            pending.push((snapshot, changed));
        }
    });
    let restore = Callback::new(move |()| {
        if let Some(draft) = left_over.get_value() {
            input.set(draft);
        }
        offered.set(false);
    });
    let discard = Callback::new(move |()| {
        offered.set(false);
        keep.cancel();
        app.drafts.discard(kind, id);
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

/// Asks before the page or the form is left with unsaved changes: closing the tab or
/// reloading (the browser's own prompt), and following any link (a confirmation).
fn guard_unsaved_changes(draft: DraftState, question: Signal<&'static str>) {
    let on_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if draft.dirty.try_get_untracked() == Some(true) {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    // Ahead of the router, which follows links on the way back up.
    let on_click = browser::listen_capturing("click", move |ev: web_sys::MouseEvent| {
        if draft.dirty.try_get_untracked() != Some(true) || !browser::is_on_link(&ev) {
            return;
        }
        if browser::confirm(question.get_untracked()) {
            draft.discard.run(());
        } else {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let on_click = StoredValue::new_local(Some(on_click));
    on_cleanup(move || {
        on_unload.remove();
        on_click.try_update_value(Option::take);
    });
}

/// What a form shows for one kind, whatever the kind.
struct FormPlan {
    fields: Vec<FieldInfo>,
    layout: &'static [FormPart],
    validate: fn(&FormInput, Date) -> Result<RecordBody, FieldErrors>,
    adjust: fn(&mut FormInput, Field),
}

fn plan(kind: RecordKind) -> FormPlan {
    crate::with_kind!(kind, K => FormPlan {
        fields: K::FIELDS.iter().map(|spec| spec.info()).collect(),
        layout: K::LAYOUT,
        validate: |input, today| input.validate::<K>(today).map(K::into_body),
        adjust: K::adjust,
    })
}

/// What the form opens with: the record being edited, a copy to start from, or a blank.
fn initial_input(kind: RecordKind, start: Option<&RecordBody>, separator: &str) -> FormInput {
    match start.filter(|body| body.kind() == kind) {
        Some(body) => crate::with_body!(body, |b| FormInput::from_body(b, separator)),
        None => {
            crate::with_kind!(kind, K => FormInput::new_record::<K>(browser::today(), separator))
        }
    }
}

/// A form for a new record of `kind`, or for editing `existing`. A new one may start from
/// `prefill` (a copy of another record, or the follow-up of a visit).
#[component]
pub fn RecordForm(
    kind: RecordKind,
    existing: Option<Record>,
    #[prop(optional_no_strip)] prefill: Option<RecordBody>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let notice = use_notice();
    let navigate = use_navigate();
    let FormPlan {
        fields,
        layout,
        validate,
        adjust,
    } = plan(kind);
    provide_picklists(&fields.iter().filter_map(|f| f.picklist).collect::<Vec<_>>());
    let separator = labels::list_separator(i18n.get_locale_untracked());
    let start = existing.as_ref().map(|r| &r.body).or(prefill.as_ref());
    let opened = existing.as_ref().map(|r| (r.id, r.revision));
    let (input, draft) = use_draft(
        kind,
        opened.map(|(id, _)| id),
        initial_input(kind, start, separator),
    );
    let errors = RwSignal::new(FieldErrors::new());
    let save_error = RwSignal::new(None::<StorageError>);
    provide_context(FormErrors(errors));
    let active = ActiveField(RwSignal::new(None));
    provide_context(active);
    guard_unsaved_changes(
        draft,
        Signal::derive(move || td_string!(i18n.get_locale(), form.leave_question)),
    );

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_error.set(None);
        let body = match input.with_untracked(|i| validate(i, browser::today())) {
            Err(problems) => {
                if let Some(first) = problems.first() {
                    browser::focus(&field_id(first.field));
                }
                errors.set(problems);
                return;
            }
            Ok(body) => body,
        };
        errors.set(FieldErrors::new());
        let saved = match opened {
            Some((id, revision)) => app
                .records
                .update(id, revision, body.clone())
                .map(|outcome| match outcome {
                    EditOutcome::Saved => (id, Notice::Saved),
                    EditOutcome::KeptOtherVersion => (id, Notice::KeptOtherVersion),
                }),
            None => app
                .records
                .create(body.clone())
                .map(|id| (id, Notice::Saved)),
        };
        match saved {
            Ok((id, shown)) => {
                notice.set(Some(shown));
                draft.discard.run(());
                remember_county(app, &body);
                navigate(&Page::Detail(kind, id).path(), Default::default());
            }
            Err(error) => save_error.set(Some(error)),
        }
    };

    let cancel = match opened {
        Some((id, _)) => Page::Detail(kind, id),
        None => Page::List(kind),
    };
    let error_count = move || errors.with(|e| e.len());
    let fields = StoredValue::new(fields);
    let control = move |field: Field| {
        fields
            .with_value(|all| all.iter().find(|f| f.field == field).cloned())
            .map(|info| field_control(input, info, adjust))
    };
    let blocks = layout
        .iter()
        .map(|block| match *block {
            FormPart::Row([field]) => control(*field).into_any(),
            FormPart::Row(row) => {
                view! { <div class="row">{row.iter().map(|f| control(*f)).collect_view()}</div> }
                    .into_any()
            }
            FormPart::Group(legend, row) => view! {
                <fieldset class="group">
                    <legend>{move || legend_text(i18n.get_locale(), legend)}</legend>
                    <div class="row">{row.iter().map(|f| control(*f)).collect_view()}</div>
                </fieldset>
            }
            .into_any(),
        })
        .collect_view();

    view! {
        <Show when=move || draft.offered.get()>
            <div class="banner info draft-offer" role="status">
                <span>{tr!(i18n, form.draft_found)}</span>
                <button id="restore-draft" class="primary" on:click=move |_| draft.restore.run(())>{tr!(i18n, form.draft_restore)}</button>
                <button id="discard-draft" on:click=move |_| draft.discard.run(())>{tr!(i18n, form.draft_discard)}</button>
            </div>
        </Show>
        <form class="record-form" novalidate on:submit=on_submit
            on:focusin=move |ev| track_active_field(active, &ev)>
            {blocks}
            <PicklistDatalists />
            <CountyOptions />
            <div class="form-status" role="status" aria-live="polite">
                <Show when=move || { error_count() > 0 }>
                    <p class="error-summary">{move || td_string!(i18n.get_locale(), form.has_errors, count = error_count())}</p>
                </Show>
                <SaveError error=save_error />
            </div>
            <div class="actions">
                <button type="submit" class="primary">{tr!(i18n, action.save)}</button>
                <A href=cancel.href() attr:class="button">{tr!(i18n, action.cancel)}</A>
            </div>
        </form>
    }
}

fn legend_text(locale: Locale, legend: Legend) -> &'static str {
    match legend {
        Legend::StageDates => td_string!(locale, form.stage_dates),
        Legend::StatusDates => td_string!(locale, form.status_dates),
    }
}

/// The control of one field, bound to the form's input; a field shown only while a box is
/// ticked comes and goes with it.
fn field_control(
    input: RwSignal<FormInput>,
    info: FieldInfo,
    adjust: fn(&mut FormInput, Field),
) -> AnyView {
    match info.shown_if {
        Some(flag) => {
            let shown = Memo::new(move |_| input.with(|i| i.flag(flag)));
            let info = StoredValue::new(info);
            view! {
                <Show when=move || shown.get()>
                    {move || control_view(input, info.get_value(), adjust)}
                </Show>
            }
            .into_any()
        }
        None => control_view(input, info, adjust),
    }
}

fn control_view(
    input: RwSignal<FormInput>,
    info: FieldInfo,
    adjust: fn(&mut FormInput, Field),
) -> AnyView {
    let i18n = use_i18n();
    let FieldInfo {
        field,
        control,
        required,
        picklist,
        options,
        ..
    } = info;
    let text = || text_of(input, field, adjust);
    match control {
        Control::Text if field == Field::County => view! {
            <TextInput field bound=text() list=COUNTY_OPTIONS
                hint=Signal::derive(move || td_string!(i18n.get_locale(), form.county_hint)) />
        }
        .into_any(),
        Control::Text => view! { <TextInput field bound=text() required picklist /> }.into_any(),
        Control::LongText => view! { <TextArea field bound=text() /> }.into_any(),
        Control::List => view! {
            <TextInput field bound=text() required picklist many=true
                hint=Signal::derive(move || td_string!(i18n.get_locale(), form.list_hint)) />
        }
        .into_any(),
        Control::Date => {
            view! { <TextInput field bound=text() input_type="date" required /> }.into_any()
        }
        Control::Time => view! { <TextInput field bound=text() input_type="time" /> }.into_any(),
        Control::Count => view! {
            <TextInput field bound=text() inputmode="numeric" stepper=true required />
        }
        .into_any(),
        Control::Decimal => {
            view! { <TextInput field bound=text() inputmode="decimal" /> }.into_any()
        }
        Control::Choice => view! { <Choice field options bound=text() /> }.into_any(),
        Control::Choices => {
            let bound = Bound::field(
                input,
                move |i| i.items(field).to_vec(),
                move |i, items| i.set(field, Input::Items(items)),
            );
            view! { <MultiChoice field options bound /> }.into_any()
        }
        Control::Flag => {
            let bound = Bound::field(
                input,
                move |i| i.flag(field),
                move |i, on| i.set(field, Input::Flag(on)),
            );
            view! { <Toggle field bound /> }.into_any()
        }
        Control::Links => {
            let bound = Bound::field(
                input,
                move |i| i.items(field).to_vec(),
                move |i, ids| i.set(field, Input::Items(ids)),
            );
            view! { <TechnologyPicker bound /> }.into_any()
        }
        Control::Link(kind) => {
            let bound = Bound::field(
                input,
                move |i| i.text(field).to_owned(),
                move |i, id: String| {
                    let value = if id.is_empty() {
                        Input::Empty
                    } else {
                        Input::Text(id)
                    };
                    i.set(field, value)
                },
            );
            view! { <record_picker::RecordPicker field kind bound /> }.into_any()
        }
        Control::Location => {
            let bound = Bound::field(
                input,
                move |i| i.location(field),
                move |i, location| i.set(field, Input::Location(location)),
            );
            view! { <LocationFields bound /> }.into_any()
        }
        Control::Hidden => ().into_any(),
    }
}

/// A county typed into a form that is not in the list yet joins the user's list.
fn remember_county(app: App, body: &RecordBody) {
    let county = body.county();
    if !app
        .settings
        .settings
        .with_untracked(|s| county.is_empty() || s.counties().iter().any(|c| c == county))
    {
        // The record is saved; a county list that fails to save only costs a suggestion.
        let _ = app.settings.update(|s| {
            s.add_county(county);
        });
    }
}
