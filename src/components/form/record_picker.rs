//! A link to one record of a kind (the team a visit was made for, the demand it answers):
//! the chosen record, and a search over that kind's records to choose another.

use leptos::prelude::*;
use uuid::Uuid;

use super::controls::Bound;
use crate::components::labels;
use crate::domain::links::{LinkTarget, link_choices, link_title, linked_record};
use crate::domain::{Field, RecordKind};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;

/// How many matches the picker lists before asking for more letters.
const SHOWN: usize = 12;

#[component]
pub fn RecordPicker(field: Field, kind: RecordKind, bound: Bound<String>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let search = RwSignal::new(String::new());
    let id = format!("field-{}", format!("{field:?}").to_lowercase());
    let search_id = format!("{id}-search");
    let chosen = move || {
        let typed = bound.value.get();
        let chosen = Uuid::parse_str(typed.trim()).ok();
        app.records
            .ledger
            .with(|l| match linked_record(l, chosen, kind) {
                None => None,
                Some(LinkTarget::Live(record)) => Some((link_title(record), false)),
                Some(LinkTarget::Removed(_)) => Some((
                    td_string!(i18n.get_locale(), record_link.removed).to_owned(),
                    true,
                )),
            })
    };
    let choices = Memo::new(move |_| {
        let typed = search.get();
        app.records.ledger.with(|l| {
            let all = link_choices(l, kind, &typed);
            let total = all.len();
            let shown: Vec<(String, String)> = all
                .into_iter()
                .take(SHOWN)
                .map(|r| (r.id.to_string(), link_title(r)))
                .collect();
            (shown, total)
        })
    });
    let any_record = move || {
        app.records
            .ledger
            .with(|l| l.all().any(|r| !r.deleted && r.kind() == kind))
    };
    let name = format!("{id}-choice");
    view! {
        <fieldset class="field group record-picker" id=id.clone()>
            <legend>{move || labels::field(i18n.get_locale(), field)}</legend>
            <p class="chosen-record" aria-live="polite">
                {move || match chosen() {
                    None => view! { <span class="hint">{tr!(i18n, record_link.none)}</span> }.into_any(),
                    Some((title, removed)) => view! {
                        <span class:removed=removed class="chip-name">{title}</span>
                        " "
                        <button type="button" class="chip-remove" on:click=move |_| bound.set.run(String::new())>
                            {tr!(i18n, record_link.clear)}
                        </button>
                    }.into_any(),
                }}
            </p>
            <Show when=any_record fallback=move || view! { <p class="hint">{tr!(i18n, record_link.no_records)}</p> }>
                <label for=search_id.clone() class="sub-label">{tr!(i18n, record_link.search)}</label>
                <input id=search_id.clone() type="search" autocomplete="off"
                    placeholder=move || td_string!(i18n.get_locale(), record_link.search_placeholder)
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev)) />
                <div class="tech-choices">
                    {
                        let name = name.clone();
                        move || choices.with(|(shown, _)| shown.iter().cloned().map(|(record_id, title)| {
                            let checked = {
                                let record_id = record_id.clone();
                                move || bound.value.with(|v| v.trim() == record_id)
                            };
                            view! {
                                <label class="check tech-choice">
                                    <input type="radio" name=name.clone() prop:checked=checked
                                        on:change=move |_| bound.set.run(record_id.clone()) />
                                    <span>{title}</span>
                                </label>
                            }
                        }).collect_view())
                    }
                </div>
                {move || {
                    let (shown, total) = choices.with(|(s, t)| (s.len(), *t));
                    if total == 0 {
                        Some(td_string!(i18n.get_locale(), record_link.no_match).to_string())
                    } else if total > shown {
                        Some(td_string!(i18n.get_locale(), record_link.more, count = total - shown).to_string())
                    } else {
                        None
                    }
                }.map(|text| view! { <p class="hint">{text}</p> })}
            </Show>
        </fieldset>
    }
}
