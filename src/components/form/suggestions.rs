//! Quick entry in the field: values typed before offered again on text fields, the picker
//! that links a training or visit to technology records, and the GPS position of a place.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::controls::{Bound, field_id};
use crate::browser;
use crate::components::labels;
use crate::domain::Field;
use crate::domain::form::{LIST_SEPARATORS, split_list};
use crate::domain::picklist::{self, Picklist, PicklistValue};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;

/// Most values a datalist offers: enough for any officer's own people and places, few
/// enough that opening a form stays quick on a ledger of many thousand records.
const DATALIST_LIMIT: usize = 200;

/// Suggestion chips shown under the field being typed in.
const CHIP_LIMIT: usize = 6;

/// The element id of a picklist's `<datalist>`.
pub fn datalist_id(list: Picklist) -> String {
    format!("picklist-{}", list.slug())
}

/// The picklists a form offers, each ranked from the ledger (most used first), shared by
/// the form's datalists and its suggestion chips.
#[derive(Clone, Copy)]
pub struct Picklists(StoredValue<Vec<(Picklist, Memo<Vec<PicklistValue>>)>>);

impl Picklists {
    pub fn values(&self, list: Picklist) -> Option<Memo<Vec<PicklistValue>>> {
        self.0
            .with_value(|lists| lists.iter().find(|(l, _)| *l == list).map(|(_, m)| *m))
    }
}

/// Makes the given picklists available to the fields of the form being built.
pub fn provide_picklists(lists: &[Picklist]) {
    let app = use_app();
    let memos = lists
        .iter()
        .map(|&list| {
            (
                list,
                Memo::new(move |_| app.records.ledger.with(|l| picklist::values(l, list))),
            )
        })
        .collect();
    provide_context(Picklists(StoredValue::new(memos)));
}

/// The field whose suggestions are showing: the last one that got the focus. It does not
/// change when the focus leaves for nowhere (a tap on a chip, on some tablets), so that the
/// chips stay until another field is chosen.
#[derive(Clone, Copy)]
pub struct ActiveField(pub RwSignal<Option<String>>);

/// For a form's `focusin`: the field being entered, from the `data-suggest-for` attribute of
/// the field around the focused element (none for a field without suggestions).
pub fn track_active_field(active: ActiveField, ev: &web_sys::Event) {
    let field = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("[data-suggest-for]").ok().flatten())
        .and_then(|e| e.get_attribute("data-suggest-for"));
    if active.0.get_untracked() != field {
        active.0.set(field);
    }
}

/// One `<datalist>` per picklist of the form, rendered once per form.
#[component]
pub fn PicklistDatalists() -> impl IntoView {
    let lists = use_context::<Picklists>()
        .map(|p| p.0.get_value())
        .unwrap_or_default();
    lists
        .into_iter()
        .map(|(list, values)| {
            view! {
                <datalist id=datalist_id(list)>
                    {move || {
                        values.with(|values| {
                            values
                                .iter()
                                .take(DATALIST_LIMIT)
                                .map(|v| view! { <option value=v.value.clone()></option> })
                                .collect_view()
                        })
                    }}
                </datalist>
            }
        })
        .collect_view()
}

/// Where the item being typed in a list field starts: after the last separator.
fn last_item_start(text: &str) -> usize {
    text.char_indices()
        .filter(|(_, c)| LIST_SEPARATORS.contains(c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0)
}

/// The field's text with `chosen` completing what is being typed: the whole value of a
/// one-value field, the last item of a list (followed by `separator`, ready for the next).
pub fn complete(text: &str, chosen: &str, many: bool, separator: &str) -> String {
    if many {
        let start = last_item_start(text);
        format!("{}{chosen}{separator}", &text[..start])
    } else {
        chosen.to_owned()
    }
}

/// Buttons under a field offering remembered values that fit what is being typed; a tap
/// completes the field (or, in a list field, the item being typed). Shown for the field
/// that has the focus.
#[component]
pub fn Suggestions(
    field: Field,
    list: Picklist,
    /// A list field (several names separated by 、): suggestions complete the last item.
    many: bool,
    bound: Bound<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let values = use_context::<Picklists>().and_then(|p| p.values(list));
    let active = use_context::<ActiveField>();
    let id = field_id(field);
    let chips = Memo::new({
        let id = id.clone();
        move |_| {
            let (Some(values), Some(active)) = (values, active) else {
                return Vec::new();
            };
            if active.0.with(|a| a.as_deref() != Some(id.as_str())) {
                return Vec::new();
            }
            bound.value.with(|text| {
                let (typed, earlier) = if many {
                    let start = last_item_start(text);
                    (&text[start..], split_list(&text[..start]))
                } else {
                    (text.as_str(), Vec::new())
                };
                values.with(|values| {
                    picklist::suggest(values, typed, CHIP_LIMIT + earlier.len())
                        .into_iter()
                        .filter(|v| !earlier.iter().any(|e| e == v))
                        .take(CHIP_LIMIT)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
            })
        }
    });
    let choose = move |value: String| {
        let separator = labels::list_separator(i18n.get_locale_untracked());
        let next = complete(&bound.value.get_untracked(), &value, many, separator);
        bound.set.run(next);
        if many {
            // Ready for the next name.
            browser::focus(&field_id(field));
        }
    };
    view! {
        <Show when=move || chips.with(|c| !c.is_empty())>
            <div class="suggestions" role="group" data-for=id.clone()
                aria-label=move || td_string!(i18n.get_locale(), entry.suggestions_for, field = labels::field(i18n.get_locale(), field)).to_string()>
                <For each=move || chips.get() key=|v| v.clone() let:value>
                    <button type="button" class="chip" on:click={
                        let value = value.clone();
                        move |_| choose(value.clone())
                    }>{value.clone()}</button>
                </For>
            </div>
        </Show>
    }
}
