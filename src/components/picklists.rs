//! The values the forms offer again, per list, with how many records use each: a value can
//! be renamed everywhere, or merged into another spelling (for the settings page).

use leptos::prelude::*;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::labels;
use crate::domain::picklist::{self, Picklist};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;
use crate::storage::StorageError;

/// How a rename or merge ended.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Changed {
        from: String,
        to: String,
        records: usize,
    },
    Failed(StorageError),
}

/// Most values listed at once; a filter finds the others.
const VALUES_SHOWN: usize = 100;

/// The values the forms offer again, per list, with how many records use each: a value can
/// be renamed everywhere, or merged into another spelling. Either is one all-or-nothing write
/// of new revisions, so the change travels in the next export.
#[component]
pub fn PicklistManager() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let list = RwSignal::new(Picklist::People);
    let filter = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let merge_into = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let values = Memo::new(move |_| {
        let list = list.get();
        app.records.ledger.with(|l| picklist::values(l, list))
    });
    let shown = move || {
        let needle = filter.get().trim().to_lowercase();
        values.with(|values| {
            let matching: Vec<_> = values
                .iter()
                .filter(|v| needle.is_empty() || v.value.to_lowercase().contains(&needle))
                .cloned()
                .collect();
            let total = matching.len();
            (
                matching.into_iter().take(VALUES_SHOWN).collect::<Vec<_>>(),
                total,
            )
        })
    };
    let apply = move |from: String, to: String| {
        let to = to.trim().to_owned();
        if to.is_empty() || to == from {
            return;
        }
        let revisions = app.records.ledger.with_untracked(|l| {
            picklist::rename(
                l,
                list.get_untracked(),
                &from,
                &to,
                &app.settings.author(),
                browser::now(),
            )
        });
        let records = revisions.len();
        match app.records.write_all(revisions) {
            Ok(()) => {
                outcome.set(Some(Outcome::Changed { from, to, records }));
                editing.set(None);
            }
            Err(error) => outcome.set(Some(Outcome::Failed(error))),
        }
    };
    let start_edit = move |value: String| {
        new_name.set(value.clone());
        merge_into.set(String::new());
        outcome.set(None);
        editing.set(Some(value));
    };
    let outcome_view = move || {
        outcome.get().map(|o| match o {
            Outcome::Changed { from, to, records } => view! {
                <p class="picklist-outcome" role="status">
                    {td_string!(i18n.get_locale(), picklists.renamed, from, to, count = records).to_string()}
                </p>
            }
            .into_any(),
            Outcome::Failed(error) => {
                view! { <SaveError error=Signal::stored(Some(error)) /> }.into_any()
            }
        })
    };
    view! {
        <section class="picklist-manager card" id="picklist-manager" aria-labelledby="picklist-manager-title">
            <h2 id="picklist-manager-title">{tr!(i18n, picklists.title)}</h2>
            <p class="hint">{tr!(i18n, picklists.help)}</p>
            <div class="form-grid">
                <div class="field">
                    <label for="picklist-choose">{tr!(i18n, picklists.choose)}</label>
                    <select id="picklist-choose" on:change=move |ev| {
                        let slug = event_target_value(&ev);
                        if let Some(chosen) = Picklist::ALL.into_iter().find(|l| l.slug() == slug) {
                            list.set(chosen);
                            editing.set(None);
                            outcome.set(None);
                        }
                    }>
                        {Picklist::ALL.into_iter().map(|l| view! {
                            <option value=l.slug() selected=move || list.get() == l>{move || labels::picklist(i18n.get_locale(), l)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="picklist-filter">{tr!(i18n, picklists.filter)}</label>
                    <input id="picklist-filter" type="search" autocomplete="off"
                        prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
                </div>
            </div>
            {outcome_view}
            {move || {
                let (rows, total) = shown();
                if total == 0 {
                    return view! { <p class="empty">{tr!(i18n, picklists.empty)}</p> }.into_any();
                }
                let more = total.saturating_sub(rows.len());
                view! {
                    <ul class="picklist-values">
                        {rows.into_iter().map(|v| {
                            let value = v.value.clone();
                            let is_editing = {
                                let value = value.clone();
                                move || editing.with(|e| e.as_deref() == Some(value.as_str()))
                            };
                            let edit_label = {
                                let value = value.clone();
                                move || td_string!(i18n.get_locale(), picklists.edit_label, value = value.clone()).to_string()
                            };
                            view! {
                                <li class="picklist-value">
                                    <div class="picklist-row">
                                        <span class="value-name">{value.clone()}</span>
                                        <span class="value-uses">{move || td_string!(i18n.get_locale(), picklists.uses, count = v.uses).to_string()}</span>
                                        <button type="button" class="edit-value" aria-label=edit_label
                                            on:click={
                                                let value = value.clone();
                                                move |_| start_edit(value.clone())
                                            }>{tr!(i18n, picklists.edit)}</button>
                                    </div>
                                    <Show when=is_editing.clone()>
                                        <ValueEditor value=value.clone() values new_name merge_into
                                            apply=Callback::new(move |(from, to): (String, String)| apply(from, to))
                                            cancel=Callback::new(move |()| editing.set(None)) />
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! { <p class="hint">{move || td_string!(i18n.get_locale(), picklists.more, count = more).to_string()}</p> })}
                }
                .into_any()
            }}
        </section>
    }
}

/// Renaming one value (typing the new name) or merging it into another spelling (picking
/// the one to keep).
#[component]
fn ValueEditor(
    value: String,
    values: Memo<Vec<picklist::PicklistValue>>,
    new_name: RwSignal<String>,
    merge_into: RwSignal<String>,
    apply: Callback<(String, String)>,
    cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let others = {
        let value = value.clone();
        move || {
            values.with(|vs| {
                vs.iter()
                    .filter(|v| v.value != value)
                    .map(|v| v.value.clone())
                    .collect::<Vec<_>>()
            })
        }
    };
    let rename = {
        let value = value.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            apply.run((value.clone(), new_name.get_untracked()));
        }
    };
    let merge = {
        let value = value.clone();
        move |_| {
            let keep = merge_into.get_untracked();
            if !keep.is_empty() {
                apply.run((value.clone(), keep));
            }
        }
    };
    let can_merge = move || !merge_into.get().is_empty();
    view! {
        <div class="value-editor">
            <form class="rename-form" on:submit=rename>
                <label for="rename-to">{move || td_string!(i18n.get_locale(), picklists.rename_to, value = value.clone()).to_string()}</label>
                <div class="inline">
                    <input id="rename-to" autocomplete="off" prop:value=move || new_name.get()
                        on:input=move |ev| new_name.set(event_target_value(&ev)) />
                    <button type="submit" class="primary" id="confirm-rename">{tr!(i18n, picklists.rename)}</button>
                </div>
            </form>
            <Show when={let others = others.clone(); move || !others().is_empty()}>
                <label for="merge-into">{tr!(i18n, picklists.merge_into)}</label>
                <div class="inline">
                    <select id="merge-into" on:change=move |ev| merge_into.set(event_target_value(&ev))>
                        <option value="" selected=move || merge_into.get().is_empty()>{tr!(i18n, picklists.merge_choose)}</option>
                        {let others = others.clone(); move || others().into_iter().map(|o| {
                            let selected = { let o = o.clone(); move || merge_into.with(|m| *m == o) };
                            view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="button" class="primary" id="confirm-merge" disabled=move || !can_merge() on:click=merge.clone()>
                        {tr!(i18n, picklists.merge)}
                    </button>
                </div>
            </Show>
            <button type="button" class="cancel-edit" on:click=move |_| cancel.run(())>{tr!(i18n, action.cancel)}</button>
        </div>
    }
}
