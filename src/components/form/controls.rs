//! Labelled form controls bound to one field of a form's input, each showing its own error.

use leptos::prelude::*;

use super::suggestions::{Suggestions, datalist_id};
use crate::components::labels;
use crate::domain::form::{Input, Picklist};
use crate::domain::{Field, FieldErrors, FormInput};
use crate::i18n::*;
use crate::language::use_i18n;

/// A value the form holds and the way to change it.
pub struct Bound<T: Send + Sync + 'static> {
    pub value: Signal<T>,
    pub set: Callback<T>,
}

impl<T: Send + Sync + 'static> Clone for Bound<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Bound<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Bound<T> {
    /// One field of the form's input: `read` takes it out (memoised, so that typing in one
    /// field does not re-run the others' views), `write` puts a new value in.
    pub fn field(
        input: RwSignal<FormInput>,
        read: impl Fn(&FormInput) -> T + Send + Sync + 'static,
        write: impl Fn(&mut FormInput, T) + Send + Sync + 'static,
    ) -> Self {
        Bound {
            value: Memo::new(move |_| input.with(&read)).into(),
            set: Callback::new(move |value| input.update(|i| write(i, value))),
        }
    }
}

/// The typed text of a field; `adjust` follows up the change (see `Kind::adjust`).
pub fn text_of(
    input: RwSignal<FormInput>,
    field: Field,
    adjust: fn(&mut FormInput, Field),
) -> Bound<String> {
    Bound::field(
        input,
        move |i| i.text(field).to_owned(),
        move |i, text| {
            i.set(field, Input::Text(text));
            adjust(i, field);
        },
    )
}

/// The errors of the form being edited, shared with its fields.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<FieldErrors>);

/// The element id of a field's control; error summaries focus it.
pub fn field_id(field: Field) -> String {
    format!("field-{field:?}").to_lowercase()
}

fn error_id(field: Field) -> String {
    format!("{}-error", field_id(field))
}

/// The message for a field's first problem, if it has one.
fn field_error(field: Field) -> Signal<Option<&'static str>> {
    let i18n = use_i18n();
    let errors = use_context::<FormErrors>();
    Signal::derive(move || {
        let errors = errors?;
        let problem = errors
            .0
            .with(|all| all.iter().find(|e| e.field == field).map(|e| e.problem))?;
        Some(labels::problem(i18n.get_locale(), problem))
    })
}

#[component]
fn FieldShell(
    field: Field,
    #[prop(optional)] required: bool,
    hint: Option<Signal<&'static str>>,
    /// Marks a field that offers suggestions while it is being typed in.
    #[prop(optional)]
    suggests: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = field_error(field);
    view! {
        <div class="field" class:invalid=move || error.get().is_some()
            data-suggest-for=suggests.then(|| field_id(field))>
            <label for=field_id(field)>
                {move || labels::field(i18n.get_locale(), field)}
                {required.then(|| view! { <span class="required" title=move || td_string!(i18n.get_locale(), form.required)>" *"</span> })}
            </label>
            {children()}
            {hint.map(|hint| view! { <p class="hint">{move || hint.get()}</p> })}
            <p class="error" id=error_id(field) aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A one-line text, number, date or time input.
#[component]
pub fn TextInput(
    field: Field,
    bound: Bound<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
    #[prop(optional)] list: Option<&'static str>,
    /// − and + buttons beside a whole-number field, for counting heads in a hurry.
    #[prop(optional)]
    stepper: bool,
    /// Values typed before in this kind of field, offered in a datalist and as chips.
    #[prop(optional_no_strip)]
    picklist: Option<Picklist>,
    /// Several values separated by 、: suggestions complete the one being typed.
    #[prop(optional)]
    many: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = field_error(field);
    let step = move |by: i64| {
        let current = bound
            .value
            .get_untracked()
            .trim()
            .parse::<i64>()
            .unwrap_or(0);
        bound.set.run((current + by).max(0).to_string());
    };
    let steppers = move || {
        stepper.then(|| {
            view! {
                <button type="button" class="step" aria-label=move || td_string!(i18n.get_locale(), form.decrease) aria-controls=field_id(field)
                    on:click=move |_| step(-1)>"−"</button>
                <button type="button" class="step" aria-label=move || td_string!(i18n.get_locale(), form.increase) aria-controls=field_id(field)
                    on:click=move |_| step(1)>"+"</button>
            }
        })
    };
    let list = list
        .map(str::to_owned)
        .or_else(|| picklist.map(datalist_id));
    let suggestions = picklist.map(|picklist| {
        view! { <Suggestions field list=picklist many bound /> }
    });
    view! {
        <FieldShell field required hint suggests=picklist.is_some()>
            <div class="control" class:stepper=stepper>
            <input
                id=field_id(field)
                name=field_id(field)
                type=input_type
                inputmode=inputmode
                list=list
                autocomplete=picklist.map(|_| "off")
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id(field)
                prop:value=move || bound.value.get()
                on:input=move |ev| bound.set.run(event_target_value(&ev))
            />
            {steppers}
            </div>
            {suggestions}
        </FieldShell>
    }
}

/// A multi-line text input.
#[component]
pub fn TextArea(
    field: Field,
    bound: Bound<String>,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let error = field_error(field);
    view! {
        <FieldShell field hint>
            <textarea
                id=field_id(field)
                name=field_id(field)
                rows="3"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id(field)
                prop:value=move || bound.value.get()
                on:input=move |ev| bound.set.run(event_target_value(&ev))
            ></textarea>
        </FieldShell>
    }
}

/// A choice among a fixed set of values, given by their serde names and shown by their
/// translated names.
#[component]
pub fn Choice(field: Field, options: Vec<String>, bound: Bound<String>) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(field);
    view! {
        <div class="field">
            <label for=id.clone()>{move || labels::field(i18n.get_locale(), field)}</label>
            <select
                id=id.clone()
                name=id
                prop:value=move || bound.value.get()
                on:change=move |ev| bound.set.run(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|option| {
                        let name = option.clone();
                        let selected = move || bound.value.with(|v| *v == name);
                        let shown = option.clone();
                        view! {
                            <option value=option selected=selected>
                                {move || {
                                    let locale = i18n.get_locale();
                                    match labels::choice(locale, field, &shown) {
                                        "" => td_string!(locale, form.choose),
                                        name => name,
                                    }
                                }}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Any number of a fixed set of values, as check boxes (serde names, as [`Choice`]).
#[component]
pub fn MultiChoice(field: Field, options: Vec<String>, bound: Bound<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(field);
    view! {
        <fieldset class="field checks" id=id.clone()>
            <legend>{move || labels::field(i18n.get_locale(), field)}</legend>
            {options
                .into_iter()
                .enumerate()
                .map(|(index, option)| {
                    let checked = {
                        let option = option.clone();
                        move || bound.value.with(|v| v.contains(&option))
                    };
                    let shown = option.clone();
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                name=format!("{id}-{index}")
                                prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let mut next = bound.value.get_untracked();
                                    next.retain(|v| *v != option);
                                    if on {
                                        next.push(option.clone());
                                    }
                                    bound.set.run(next);
                                }
                            />
                            <span>{move || labels::choice(i18n.get_locale(), field, &shown)}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A yes/no check box.
#[component]
pub fn Toggle(field: Field, bound: Bound<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(field);
    view! {
        <div class="field">
            <label class="check">
                <input
                    id=id.clone()
                    name=id
                    type="checkbox"
                    prop:checked=move || bound.value.get()
                    on:change=move |ev| bound.set.run(event_target_checked(&ev))
                />
                <span>{move || labels::field(i18n.get_locale(), field)}</span>
            </label>
        </div>
    }
}

/// The id of the county list's `<datalist>`.
pub const COUNTY_OPTIONS: &str = "county-options";

/// The county list offered by county inputs (defaults plus the user's own additions).
#[component]
pub fn CountyOptions() -> impl IntoView {
    let app = crate::state::use_app();
    let i18n = use_i18n();
    view! {
        <datalist id=COUNTY_OPTIONS>
            {move || {
                app.settings
                    .settings
                    .with(|s| s.counties())
                    .into_iter()
                    .map(|name| {
                        let shown = labels::county(i18n.get_locale(), &name);
                        view! { <option value=name>{shown}</option> }
                    })
                    .collect_view()
            }}
        </datalist>
    }
}
