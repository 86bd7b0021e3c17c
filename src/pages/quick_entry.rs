//! Quick, clean entry: the follow-ups due (for the home page) and the remembered values an
//! officer can rename or merge (for the settings page).

use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::browser::{self, app_href};
use crate::components::labels;
use crate::domain::RecordBody;
use crate::domain::followup::{follow_ups, mark_done};
use crate::domain::input::format_date;
use crate::domain::picklist::{self, Picklist};
use crate::i18n::*;
use crate::state::use_app;

/// One follow-up as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
struct DueItem {
    id: Uuid,
    revision: u32,
    host: String,
    commissioners: String,
    visited: String,
    due: String,
    overdue: bool,
}

/// Follow-ups that are overdue or due this week, oldest due first, each with the way to
/// record the follow-up visit or to mark it done. Nothing is shown when nothing is due.
#[component]
pub fn FollowUpsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<&'static str>);
    let items = Memo::new(move |_| {
        app.ledger.with(|l| {
            let due = follow_ups(l, browser::today());
            due.overdue
                .iter()
                .chain(due.this_week.iter())
                .filter_map(|f| match &f.visit.body {
                    RecordBody::Visit(v) => Some(DueItem {
                        id: f.visit.id,
                        revision: f.visit.revision,
                        host: v.host.clone(),
                        commissioners: v.commissioners.join("、"),
                        visited: format_date(v.date),
                        due: format_date(f.due),
                        overdue: f.overdue,
                    }),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let mark = move |id: Uuid, revision: u32| {
        failed.set(None);
        let Some(body) = app
            .ledger
            .with_untracked(|l| l.live(&id).and_then(mark_done))
        else {
            return;
        };
        if let Err(error) = app.update(id, revision, RecordBody::Visit(body)) {
            failed.set(Some(labels::storage_error(
                i18n.get_locale_untracked(),
                &error,
            )));
        }
    };
    view! {
        <Show when=move || items.with(|i| !i.is_empty()) || failed.get().is_some()>
            <section class="follow-ups card" id="follow-ups" aria-labelledby="follow-ups-title">
                <h2 id="follow-ups-title">{crate::tr(i18n, |l| td_string!(l, followups.title))}</h2>
                <ul class="follow-up-list">
                    <For each=move || items.get() key=|item| (item.id, item.revision) let:item>
                        {
                            let DueItem { id, revision, host, commissioners, visited, due, overdue } = item;
                            let due_text = {
                                let due = due.clone();
                                move || if overdue {
                                    t_string!(i18n, followups.overdue_since, date = due.clone()).to_string()
                                } else {
                                    t_string!(i18n, followups.due_on, date = due.clone()).to_string()
                                }
                            };
                            let visited_text = move || t_string!(i18n, followups.visited_on, date = visited.clone()).to_string();
                            let host_label = host.clone();
                            view! {
                                <li class="follow-up" class:overdue=overdue data-id=id.to_string()>
                                    <p class="follow-up-head">
                                        {overdue.then(|| view! { <span class="badge overdue-badge">{crate::tr(i18n, |l| td_string!(l, followups.overdue))}</span>" " })}
                                        <A href=app_href(&format!("/visits/{id}")) attr:class="follow-up-host">{host.clone()}</A>
                                    </p>
                                    <p class="follow-up-meta">
                                        <span class="follow-up-due">{due_text}</span>
                                        " · " <span>{commissioners}</span>
                                        " · " <span>{visited_text}</span>
                                    </p>
                                    <div class="actions">
                                        <A href=app_href(&format!("/visits/new?follow_up={id}")) attr:class="button primary record-follow-up">
                                            {crate::tr(i18n, |l| td_string!(l, followups.record_visit))}
                                        </A>
                                        <button type="button" class="mark-done"
                                            aria-label=move || t_string!(i18n, followups.mark_done_label, host = host_label.clone()).to_string()
                                            on:click=move |_| mark(id, revision)>{crate::tr(i18n, |l| td_string!(l, followups.mark_done))}</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
                {move || failed.get().map(|reason| view! { <p class="save-error" role="alert">{t_string!(i18n, form.save_failed, reason).to_string()}</p> })}
            </section>
        </Show>
    }
}

pub fn picklist_name(locale: Locale, list: Picklist) -> &'static str {
    match list {
        Picklist::People => td_string!(locale, picklists.people),
        Picklist::Teams => td_string!(locale, picklists.teams),
        Picklist::Hosts => td_string!(locale, picklists.hosts),
        Picklist::Partners => td_string!(locale, picklists.partners),
        Picklist::Townships => td_string!(locale, picklists.townships),
        Picklist::Villages => td_string!(locale, picklists.villages),
        Picklist::Subjects => td_string!(locale, picklists.subjects),
        Picklist::Technologies => td_string!(locale, picklists.technologies),
    }
}

/// How a rename or merge ended.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Changed {
        from: String,
        to: String,
        records: usize,
    },
    Failed(&'static str),
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
        app.ledger.with(|l| picklist::values(l, list))
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
        let revisions = app.ledger.with_untracked(|l| {
            picklist::rename(
                l,
                list.get_untracked(),
                &from,
                &to,
                &app.author(),
                browser::now(),
            )
        });
        let records = revisions.len();
        match app.write_all(revisions) {
            Ok(()) => {
                outcome.set(Some(Outcome::Changed { from, to, records }));
                editing.set(None);
            }
            Err(error) => outcome.set(Some(Outcome::Failed(labels::storage_error(
                i18n.get_locale_untracked(),
                &error,
            )))),
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
                    {t_string!(i18n, picklists.renamed, from, to, count = records).to_string()}
                </p>
            }
            .into_any(),
            Outcome::Failed(reason) => view! {
                <p class="save-error picklist-outcome" role="alert">{t_string!(i18n, picklists.rename_failed, reason).to_string()}</p>
            }
            .into_any(),
        })
    };
    view! {
        <section class="picklist-manager card" id="picklist-manager" aria-labelledby="picklist-manager-title">
            <h2 id="picklist-manager-title">{crate::tr(i18n, |l| td_string!(l, picklists.title))}</h2>
            <p class="hint">{crate::tr(i18n, |l| td_string!(l, picklists.help))}</p>
            <div class="form-grid">
                <div class="field">
                    <label for="picklist-choose">{crate::tr(i18n, |l| td_string!(l, picklists.choose))}</label>
                    <select id="picklist-choose" on:change=move |ev| {
                        let slug = event_target_value(&ev);
                        if let Some(chosen) = Picklist::ALL.into_iter().find(|l| l.slug() == slug) {
                            list.set(chosen);
                            editing.set(None);
                            outcome.set(None);
                        }
                    }>
                        {Picklist::ALL.into_iter().map(|l| view! {
                            <option value=l.slug() selected=move || list.get() == l>{move || picklist_name(i18n.get_locale(), l)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="picklist-filter">{crate::tr(i18n, |l| td_string!(l, picklists.filter))}</label>
                    <input id="picklist-filter" type="search" autocomplete="off"
                        prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
                </div>
            </div>
            {outcome_view}
            {move || {
                let (rows, total) = shown();
                if total == 0 {
                    return view! { <p class="empty">{crate::tr(i18n, |l| td_string!(l, picklists.empty))}</p> }.into_any();
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
                                move || t_string!(i18n, picklists.edit_label, value = value.clone()).to_string()
                            };
                            view! {
                                <li class="picklist-value">
                                    <div class="picklist-row">
                                        <span class="value-name">{value.clone()}</span>
                                        <span class="value-uses">{move || t_string!(i18n, picklists.uses, count = v.uses).to_string()}</span>
                                        <button type="button" class="edit-value" aria-label=edit_label
                                            on:click={
                                                let value = value.clone();
                                                move |_| start_edit(value.clone())
                                            }>{crate::tr(i18n, |l| td_string!(l, picklists.edit))}</button>
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
                    {(more > 0).then(|| view! { <p class="hint">{move || t_string!(i18n, picklists.more, count = more).to_string()}</p> })}
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
                <label for="rename-to">{move || t_string!(i18n, picklists.rename_to, value = value.clone()).to_string()}</label>
                <div class="inline">
                    <input id="rename-to" autocomplete="off" prop:value=move || new_name.get()
                        on:input=move |ev| new_name.set(event_target_value(&ev)) />
                    <button type="submit" class="primary" id="confirm-rename">{crate::tr(i18n, |l| td_string!(l, picklists.rename))}</button>
                </div>
            </form>
            <Show when={let others = others.clone(); move || !others().is_empty()}>
                <label for="merge-into">{crate::tr(i18n, |l| td_string!(l, picklists.merge_into))}</label>
                <div class="inline">
                    <select id="merge-into" on:change=move |ev| merge_into.set(event_target_value(&ev))>
                        <option value="" selected=move || merge_into.get().is_empty()>{crate::tr(i18n, |l| td_string!(l, picklists.merge_choose))}</option>
                        {let others = others.clone(); move || others().into_iter().map(|o| {
                            let selected = { let o = o.clone(); move || merge_into.with(|m| *m == o) };
                            view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="button" class="primary" id="confirm-merge" disabled=move || !can_merge() on:click=merge.clone()>
                        {crate::tr(i18n, |l| td_string!(l, picklists.merge))}
                    </button>
                </div>
            </Show>
            <button type="button" class="cancel-edit" on:click=move |_| cancel.run(())>{crate::tr(i18n, |l| td_string!(l, action.cancel))}</button>
        </div>
    }
}
