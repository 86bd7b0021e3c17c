//! The technology records a training or visit concerns: chosen ones as removable chips, and a
//! search over the technology records to add more.

use leptos::prelude::*;
use uuid::Uuid;

use super::controls::Bound;
use crate::components::record_text::summary;
use crate::domain::RecordBody;
use crate::domain::links::technology_choices;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;

/// The technologies a training or visit concerns: chosen ones as removable chips, and a
/// search over the technology records to add more.
#[component]
pub fn TechnologyPicker(bound: Bound<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let search = RwSignal::new(String::new());
    const SHOWN: usize = 12;
    let name_of = move |id: &str| -> Option<String> {
        let id = Uuid::parse_str(id).ok()?;
        app.records.ledger.with(|l| {
            l.live(&id).and_then(|r| match &r.body {
                RecordBody::Technology(t) => Some(t.name.clone()),
                _ => None,
            })
        })
    };
    let chosen = move || {
        bound
            .value
            .get()
            .into_iter()
            .map(|id| {
                let name = name_of(&id);
                (id, name)
            })
            .collect::<Vec<_>>()
    };
    let toggle = move |id: String, on: bool| {
        let mut next = bound.value.get_untracked();
        next.retain(|i| *i != id);
        if on {
            next.push(id);
        }
        bound.set.run(next);
    };
    let choices = Memo::new(move |_| {
        let typed = search.get();
        let locale = i18n.get_locale();
        app.records.ledger.with(|l| {
            let all = technology_choices(l, &typed);
            let total = all.len();
            let shown = all
                .into_iter()
                .take(SHOWN)
                .map(|r| {
                    let (_, name, context) = summary(locale, r);
                    (r.id.to_string(), name, context)
                })
                .collect::<Vec<_>>();
            (shown, total)
        })
    });
    let any_technology = move || {
        app.records
            .ledger
            .with(|l| !technology_choices(l, "").is_empty())
    };
    view! {
        <fieldset class="field group tech-picker" id="field-technologyids">
            <legend>{tr!(i18n, links.technologies)}</legend>
            <ul class="chips chosen-technologies" aria-live="polite">
                {move || chosen().into_iter().map(|(id, name)| {
                    let removed = name.is_none();
                    let shown = name.unwrap_or_else(|| td_string!(i18n.get_locale(), links.removed_technology).to_owned());
                    let for_label = shown.clone();
                    view! {
                        <li class:removed=removed>
                            <span class="chip-name">{shown}</span>
                            <button type="button" class="chip-remove" on:click=move |_| toggle(id.clone(), false)>
                                <span aria-hidden="true">"×"</span>
                                <span class="visually-hidden">
                                    {move || td_string!(i18n.get_locale(), links.remove, name = for_label.clone()).to_string()}
                                </span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=any_technology fallback=move || view! { <p class="hint">{tr!(i18n, links.no_technologies)}</p> }>
                <label for="tech-search" class="sub-label">{tr!(i18n, links.search)}</label>
                <input id="tech-search" type="search" autocomplete="off"
                    placeholder=move || td_string!(i18n.get_locale(), links.search_placeholder)
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev)) />
                <div class="tech-choices">
                    {move || choices.with(|(shown, _)| shown.iter().cloned().map(|(id, name, context)| {
                        let checked = {
                            let id = id.clone();
                            move || bound.value.with(|v| v.contains(&id))
                        };
                        view! {
                            <label class="check tech-choice">
                                <input type="checkbox" name=format!("technology-{id}") prop:checked=checked
                                    on:change=move |ev| toggle(id.clone(), event_target_checked(&ev)) />
                                <span>{name}<span class="choice-context">{context}</span></span>
                            </label>
                        }
                    }).collect_view())}
                </div>
                {move || {
                    let (shown, total) = choices.with(|(s, t)| (s.len(), *t));
                    if total == 0 {
                        Some(td_string!(i18n.get_locale(), links.no_match).to_string())
                    } else if total > shown {
                        Some(td_string!(i18n.get_locale(), links.more, count = total - shown).to_string())
                    } else {
                        None
                    }
                }.map(|text| view! { <p class="hint">{text}</p> })}
            </Show>
        </fieldset>
    }
}
