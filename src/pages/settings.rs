//! Settings: the officer's name, language, counties, targets, remembered values, sample
//! data, and the state of storage.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::errors::SaveError;
use crate::components::labels;
use crate::components::layout::choose_language;
use crate::components::picklists::PicklistManager;
use crate::components::sample_data::SampleData;
use crate::components::team_links::TeamNameLinker;
use crate::domain::form::serde_name;
use crate::domain::order;
use crate::domain::photo::photo_usage;
use crate::domain::progress::Measure;
use crate::domain::settings::parse_target;
use crate::domain::settings::{PersonalTargets, Role};
use crate::domain::submissions::ExpectedOfficer;
use crate::domain::{Language, TrainingType, YearTargets};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::pages::home::RoleChoice;
use crate::routes::Page;
use crate::state::{Persistence, use_app};
use crate::storage::{StorageError, WARN_AT_SHARE};

/// Whether the browser promised to keep the data, how much the site uses, and a way to ask.
#[component]
pub fn PersistenceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_context::<crate::pwa::Offline>()?;
    Some(view! {
        <h3>{tr!(i18n, offline.persist_title)}</h3>
        <p id="persistence" class:warning=move || offline.persisted.get() != Some(true)>
            {move || match offline.persisted.get() {
                Some(true) => td_string!(i18n.get_locale(), offline.persist_granted),
                Some(false) => td_string!(i18n.get_locale(), offline.persist_denied),
                None => td_string!(i18n.get_locale(), offline.persist_unknown),
            }}
        </p>
        {move || offline.estimate.get().map(|(usage, quota)| view! {
            <p id="site-usage">{td_string!(i18n.get_locale(), offline.site_usage, usage = labels::size_text(usage), quota = labels::size_text(quota))}</p>
        })}
        <Show when=move || offline.persisted.get() != Some(true)>
            <button on:click=move |_| offline.request_persistence()>{tr!(i18n, offline.persist_request)}</button>
        </Show>
    })
}

/// What the photos take, and a warning when the browser's storage for the site is 80 % used
/// (photos fill it; a full one refuses the next photo).
#[component]
fn PhotoUsage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let offline = use_context::<crate::pwa::Offline>();
    let near_full = move || {
        offline
            .and_then(|o| o.estimate.get())
            .is_some_and(|(usage, quota)| quota > 0.0 && usage >= quota * WARN_AT_SHARE)
    };
    view! {
        <p id="photo-usage" class:warning=near_full>
            {move || {
                let (count, bytes) = app.records.ledger.with(|l| photo_usage(l.all()));
                td_string!(i18n.get_locale(), photos.usage, count, size = labels::size_text(bytes as f64))
            }}
            {move || near_full().then(|| view! { " " {tr!(i18n, photos.near_full)} })}
        </p>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let saved = RwSignal::new(false);
    let failed = RwSignal::new(None::<StorageError>);
    let apply = move |change: Box<dyn FnOnce(&mut crate::domain::Settings)>| {
        let result = app.settings.update(change);
        saved.set(result.is_ok());
        failed.set(result.err());
    };

    let name = RwSignal::new(app.settings.settings.with_untracked(|s| s.author.clone()));
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_owned();
        apply(Box::new(move |s| s.author = typed));
    };

    let new_county = RwSignal::new(String::new());
    let add_county = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = new_county.get_untracked();
        apply(Box::new(move |s| {
            s.add_county(&typed);
        }));
        new_county.set(String::new());
    };

    let choose_language = move |ev| {
        let language = if event_target_value(&ev) == "en" {
            Language::En
        } else {
            Language::Zh
        };
        choose_language(app, i18n, language);
    };

    view! {
        <h1>{tr!(i18n, settings.title)}</h1>
        <p class="status" role="status" aria-live="polite">
            {move || saved.get().then(|| td_string!(i18n.get_locale(), settings.saved))}
        </p>
        <SaveError error=failed />
        <form class="card" on:submit=save_name>
            <label for="settings-name">{tr!(i18n, settings.name)}</label>
            <div class="inline">
                <input id="settings-name" autocomplete="name"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{tr!(i18n, action.save)}</button>
            </div>
        </form>
        <div class="card">
            <label for="settings-language">{tr!(i18n, settings.language)}</label>
            <select id="settings-language" on:change=choose_language
                prop:value=move || if i18n.get_locale() == Locale::en { "en" } else { "zh" }>
                <option value="zh" lang="zh">"简体中文"</option>
                <option value="en" lang="en">"English"</option>
            </select>
        </div>
        <form class="card" on:submit=add_county>
            <h2>{tr!(i18n, settings.counties)}</h2>
            <p class="hint">{tr!(i18n, settings.counties_help)}</p>
            <ul class="chips">
                {move || {
                    let locale = i18n.get_locale();
                    app.settings
                        .settings
                        .with(|s| s.counties())
                        .into_iter()
                        .map(|c| view! { <li>{labels::county(locale, &c)}</li> })
                        .collect_view()
                }}
            </ul>
            <label for="settings-county">{tr!(i18n, settings.new_county)}</label>
            <div class="inline">
                <input id="settings-county"
                    prop:value=move || new_county.get() on:input=move |ev| new_county.set(event_target_value(&ev)) />
                <button type="submit">{tr!(i18n, action.add)}</button>
            </div>
        </form>
        <RoleSettings />
        <SyncServerLink />
        <TargetsEditor />
        <PicklistManager />
        <TeamNameLinker />
        <SampleData />
        <section class="card">
            <h2>{tr!(i18n, settings.storage)}</h2>
            <p>
                {move || match app.status.persistence.get() {
                    Persistence::Stored => td_string!(i18n.get_locale(), settings.storage_ok, size = labels::size_text(app.status.stored_bytes() as f64)),
                    Persistence::MemoryOnly(error) => {
                        td_string!(i18n.get_locale(), storage.memory_only, reason = labels::storage_error(i18n.get_locale(), &error))
                    }
                }}
            </p>
            <p id="local-usage">
                {move || {
                    let used = app.status.stored_bytes();
                    td_string!(i18n.get_locale(), offline.local_usage, used = labels::size_text(used as f64), percent = labels::share_percent(used))
                }}
            </p>
            <PhotoUsage />
            <PersistenceStatus />
            <h3>{tr!(i18n, settings.device)}</h3>
            <p class="mono" id="device-id">{move || app.settings.settings.with(|s| s.device_id.clone())}</p>
            <h3>{tr!(i18n, settings.problems)}</h3>
            {move || {
                let locale = i18n.get_locale();
                let problems = app.status.problems.get();
                if problems.is_empty() {
                    view! { <p>{tr!(i18n, settings.no_problems)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="problems">
                            {problems
                                .into_iter()
                                .map(|p| {
                                    let key = p.key.clone();
                                    let download = move |_| {
                                        if let Some(raw) = app.status.raw_value(&key) {
                                            let name: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
                                            let _ = crate::browser::download(&format!("field-ledger-unreadable-{name}.txt"), "text/plain;charset=utf-8", &[raw.as_bytes()]);
                                        }
                                    };
                                    view! {
                                        <li>
                                            <code>{p.key.clone()}</code>": "{labels::stored_problem(locale, &p.reason)}" "
                                            <button class="download-raw" on:click=download>{tr!(i18n, settings.download_value)}</button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// The figures of one year's targets, as typed.
#[derive(Clone, Default)]
struct TargetsInput {
    trainings: String,
    attendance: String,
    technologies_promoted: String,
    demonstrations: String,
    visits: String,
}

impl TargetsInput {
    fn from_targets(t: &YearTargets) -> Self {
        let optional = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        TargetsInput {
            trainings: t.trainings.to_string(),
            attendance: t.attendance.to_string(),
            technologies_promoted: t.technologies_promoted.to_string(),
            demonstrations: optional(t.demonstrations),
            visits: optional(t.visits),
        }
    }
}

/// Per-year targets: the defaults from the 2022 plan until the user changes them.
#[component]
fn TargetsEditor() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let year = RwSignal::new(crate::browser::today().year());
    let stored = move |year: i32| {
        TargetsInput::from_targets(
            &app.settings
                .settings
                .with_untracked(|s| s.targets_for(year)),
        )
    };
    let input = RwSignal::new(stored(year.get_untracked()));
    let error = RwSignal::new(None::<String>);
    let not_saved = RwSignal::new(None::<StorageError>);
    let saved = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.get_locale_untracked();
        let typed = input.get_untracked();
        let year = year.get_untracked();
        let required = |text: &str| parse_target(text).map(|v| v.unwrap_or(0));
        let parsed = (|| {
            Ok::<_, crate::domain::Problem>(YearTargets {
                year,
                trainings: required(&typed.trainings)?,
                attendance: required(&typed.attendance)?,
                technologies_promoted: required(&typed.technologies_promoted)?,
                demonstrations: parse_target(&typed.demonstrations)?,
                visits: parse_target(&typed.visits)?,
            })
        })();
        saved.set(None);
        not_saved.set(None);
        match parsed {
            Err(problem) => error.set(Some(labels::problem(locale, problem).to_owned())),
            Ok(targets) => {
                error.set(None);
                match app.settings.update(|s| s.set_targets(targets)) {
                    Ok(()) => saved.set(Some(td_string!(locale, targets.saved, year))),
                    Err(e) => not_saved.set(Some(e)),
                }
            }
        }
    };
    let number = move |id: &'static str,
                       label: fn(Locale) -> &'static str,
                       optional: bool,
                       get: fn(&TargetsInput) -> String,
                       set: fn(&mut TargetsInput, String)| {
        view! {
            <div class="field">
                <label for=id>
                    {move || label(i18n.get_locale())}
                    {optional.then(|| view! { " " <span class="hint">{tr!(i18n, targets.optional)}</span> })}
                </label>
                <input id=id inputmode="numeric" autocomplete="off"
                    prop:value=move || input.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| set(i, v)) } />
            </div>
        }
    };
    view! {
        <form class="card targets-editor" on:submit=save>
            <h2>{tr!(i18n, targets.title)}</h2>
            <p class="hint">{tr!(i18n, targets.help)}</p>
            <div class="field">
                <label for="targets-year">{tr!(i18n, targets.year)}</label>
                <input id="targets-year" type="number" min="2000" max="9999" inputmode="numeric"
                    prop:value=move || year.get().to_string()
                    on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).trim().parse::<i32>() && (2000..=9999).contains(&y) {
                            // The chosen year's stored (or default) figures.
                            year.set(y);
                            input.set(stored(y));
                        }
                    } />
            </div>
            <div class="form-grid">
                {number("target-trainings", |l| td_string!(l, measure.trainings), false, |i| i.trainings.clone(), |i, v| i.trainings = v)}
                {number("target-attendance", |l| td_string!(l, measure.attendance), false, |i| i.attendance.clone(), |i, v| i.attendance = v)}
                {number("target-technologies", |l| td_string!(l, measure.technologies_promoted), false, |i| i.technologies_promoted.clone(), |i, v| i.technologies_promoted = v)}
                {number("target-demonstrations", |l| td_string!(l, measure.demonstrations), true, |i| i.demonstrations.clone(), |i, v| i.demonstrations = v)}
                {number("target-visits", |l| td_string!(l, measure.visits), true, |i| i.visits.clone(), |i, v| i.visits = v)}
            </div>
            <CountingEditor />
            <button type="submit" class="primary" id="save-targets">{tr!(i18n, targets.save)}</button>
            <p class="status" role="status" aria-live="polite">{move || saved.get()}</p>
            {move || error.get().map(|e| view! { <p class="save-error" role="alert">{e}</p> })}
            <SaveError error=not_saved />
        </form>
    }
}

/// Which training types count towards the training targets (saved at once).
#[component]
fn CountingEditor() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<StorageError>);
    let toggle = move |training_type: TrainingType, on: bool| {
        failed.set(
            app.settings
                .update(|s| {
                    let types = &mut s.counting.training_types;
                    types.retain(|t| *t != training_type);
                    if on {
                        types.push(training_type);
                        order::sort_by_key(types, |t| {
                            TrainingType::ALL.iter().position(|a| a == t)
                        });
                    }
                })
                .err(),
        );
    };
    view! {
        <fieldset class="field checks counting" id="counted-types">
            <legend>{tr!(i18n, targets.counted)}</legend>
            <p class="hint">{tr!(i18n, targets.counted_help)}</p>
            {TrainingType::ALL.into_iter().map(|ty| {
                let checked = move || app.settings.settings.with(|s| s.counting.counts(ty));
                view! {
                    <label class="check">
                        <input type="checkbox" name=format!("counted-{}", serde_name(&ty)) prop:checked=checked
                            on:change=move |ev| toggle(ty, event_target_checked(&ev)) />
                        <span>{move || labels::training_type(i18n.get_locale(), ty)}</span>
                    </label>
                }
            }).collect_view()}
            <SaveError error=failed />
        </fieldset>
    }
}

/// What the device is for, and what each job keeps: an officer's county, team and own
/// targets; a coordinator's list of expected officers.
#[component]
fn RoleSettings() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let failed = RwSignal::new(None::<StorageError>);
    let role = Memo::new(move |_| {
        app.settings
            .settings
            .with(|s| s.role.unwrap_or(Role::Officer))
    });
    let choose = Callback::new(move |chosen: Role| {
        failed.set(app.settings.update(|s| s.role = Some(chosen)).err());
    });
    let profile = app.settings.settings.with_untracked(|s| s.profile.clone());
    let county = RwSignal::new(profile.county);
    let team = RwSignal::new(profile.team);
    let save_profile = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (county, team) = (county.get_untracked(), team.get_untracked());
        failed.set(
            app.settings
                .update(|s| {
                    s.profile.county = county.trim().to_owned();
                    s.profile.team = team.trim().to_owned();
                })
                .err(),
        );
    };
    view! {
        <section class="card role-settings" id="role-settings">
            <h2>{tr!(i18n, settings.role_title)}</h2>
            <RoleChoice role=role.into() choose />
            <Show when=move || role.get() == Role::Officer>
                <form class="profile" on:submit=save_profile>
                    <div class="form-grid">
                        <div class="field">
                            <label for="profile-county">{tr!(i18n, settings.profile_county)}</label>
                            <input id="profile-county" list="settings-counties" prop:value=move || county.get()
                                on:input=move |ev| county.set(event_target_value(&ev)) />
                        </div>
                        <div class="field">
                            <label for="profile-team">{tr!(i18n, settings.profile_team)}</label>
                            <input id="profile-team" prop:value=move || team.get()
                                on:input=move |ev| team.set(event_target_value(&ev)) />
                        </div>
                    </div>
                    <button type="submit" id="save-profile">{tr!(i18n, action.save)}</button>
                </form>
                <PersonalTargetsEditor failed />
            </Show>
            <Show when=move || role.get() == Role::Coordinator>
                <ExpectedOfficers failed />
            </Show>
            <datalist id="settings-counties">
                {move || app.settings.settings.with(|s| s.counties()).into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
            </datalist>
            <SaveError error=failed />
        </section>
    }
}

/// An officer's own targets for the current year; each may be left blank.
#[component]
fn PersonalTargetsEditor(failed: RwSignal<Option<StorageError>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let year = crate::browser::today().year();
    let current = app
        .settings
        .settings
        .with_untracked(|s| s.personal_targets_for(year).cloned().unwrap_or_default());
    let text = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let fields = [
        (
            "my-target-trainings",
            RwSignal::new(text(current.trainings)),
            Measure::Trainings,
        ),
        (
            "my-target-attendance",
            RwSignal::new(text(current.attendance)),
            Measure::Attendance,
        ),
        (
            "my-target-technologies",
            RwSignal::new(text(current.technologies_promoted)),
            Measure::TechnologiesPromoted,
        ),
        (
            "my-target-visits",
            RwSignal::new(text(current.visits)),
            Measure::Visits,
        ),
    ];
    let problem = RwSignal::new(None::<&'static str>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let read = |i: usize| parse_target(&fields[i].1.get_untracked());
        let parsed = (|| {
            Ok::<_, crate::domain::Problem>(PersonalTargets {
                year,
                trainings: read(0)?,
                attendance: read(1)?,
                technologies_promoted: read(2)?,
                visits: read(3)?,
            })
        })();
        match parsed {
            Err(p) => problem.set(Some(labels::problem(i18n.get_locale_untracked(), p))),
            Ok(targets) => {
                problem.set(None);
                let result = app.settings.update(|s| s.set_personal_targets(targets));
                saved.set(result.is_ok());
                failed.set(result.err());
            }
        }
    };
    view! {
        <form class="personal-targets" on:submit=save>
            <h3>{move || td_string!(i18n.get_locale(), settings.personal_targets, year)}</h3>
            <p class="hint">{tr!(i18n, settings.personal_targets_help)}</p>
            <div class="form-grid">
                {fields.into_iter().map(|(id, value, measure)| view! {
                    <div class="field">
                        <label for=id>{move || labels::measure(i18n.get_locale(), measure)}</label>
                        <input id=id inputmode="numeric" autocomplete="off" prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev)) />
                    </div>
                }).collect_view()}
            </div>
            <button type="submit" id="save-personal-targets">{tr!(i18n, action.save)}</button>
            {move || problem.get().map(|p| view! { <p class="save-error" role="alert">{p}</p> })}
            {move || saved.get().then(|| view! { <p class="status" role="status">{tr!(i18n, settings.saved)}</p> })}
        </form>
    }
}

/// The officers a coordinator expects files from, so that those who send nothing stand out.
#[component]
fn ExpectedOfficers(failed: RwSignal<Option<StorageError>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let name = RwSignal::new(String::new());
    let county = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let officer = ExpectedOfficer {
            name: name.get_untracked().trim().to_owned(),
            county: county.get_untracked().trim().to_owned(),
        };
        if officer.name.is_empty() {
            return;
        }
        let result = app.settings.update(|s| {
            s.expected_officers.retain(|o| o.name != officer.name);
            s.expected_officers.push(officer);
        });
        if result.is_ok() {
            name.set(String::new());
            county.set(String::new());
        }
        failed.set(result.err());
    };
    let remove = move |who: String| {
        failed.set(
            app.settings
                .update(|s| s.expected_officers.retain(|o| o.name != who))
                .err(),
        );
    };
    view! {
        <form class="expected-officers" on:submit=add>
            <h3>{tr!(i18n, settings.expected_title)}</h3>
            <p class="hint">{tr!(i18n, settings.expected_help)}</p>
            <ul class="expected-list">
                {move || app.settings.settings.with(|s| s.expected_officers.clone()).into_iter().map(|o| {
                    let who = o.name.clone();
                    let county = if o.county.is_empty() { String::new() } else { labels::county(i18n.get_locale(), &o.county) };
                    view! {
                        <li>
                            <span>{o.name.clone()}" "<span class="hint">{county}</span></span>
                            <button type="button" class="remove-expected" on:click=move |_| remove(who.clone())>{tr!(i18n, action.remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="form-grid">
                <div class="field">
                    <label for="expected-name">{tr!(i18n, settings.expected_name)}</label>
                    <input id="expected-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="expected-county">{tr!(i18n, settings.profile_county)}</label>
                    <input id="expected-county" list="settings-counties" prop:value=move || county.get() on:input=move |ev| county.set(event_target_value(&ev)) />
                </div>
            </div>
            <button type="submit" id="add-expected">{tr!(i18n, action.add)}</button>
        </form>
    }
}

/// Where the live sync is set up (a page of its own, loaded when opened).
#[component]
fn SyncServerLink() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_app().sync.config();
    view! {
        <section class="card" id="sync-server-settings">
            <h2>{tr!(i18n, live_sync.title)}</h2>
            <p>
                {move || {
                    let locale = i18n.get_locale();
                    match config.get() {
                        Some(c) => td_string!(locale, live_sync.settings_set, url = c.url, user = c.user),
                        None => td_string!(locale, live_sync.settings_none).to_owned(),
                    }
                }}
            </p>
            <A href=Page::SyncServer.href() attr:class="button">{tr!(i18n, live_sync.settings_link)}</A>
        </section>
    }
}
