//! 同步服务器: the live sync's settings, "sync now", and what the last sync did.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::errors::SaveError;
use crate::components::record_text;
use crate::components::sync_text::{address_problem, error_text, failure_text};
use crate::domain::datetime_text::parse_rfc3339;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::replication::{AddressProblem, SyncConfig};
use crate::routes::Page;
use crate::state::sync::SyncStatus;
use crate::state::use_app;
use crate::storage::StorageError;

#[component]
pub fn SyncServerPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let sync = app.sync;
    sync.refresh_summary();
    let config = sync.config();
    let stored = config.get_untracked();
    let configured = Memo::new(move |_| config.with(Option::is_some));
    let field = |get: fn(&SyncConfig) -> String| {
        RwSignal::new(stored.as_ref().map(get).unwrap_or_default())
    };
    let url = field(|c| c.url.clone());
    let database = field(|c| c.database.clone());
    let user = RwSignal::new(
        stored
            .as_ref()
            .map(|c| c.user.clone())
            .unwrap_or_else(|| app.settings.settings.with_untracked(|s| s.author.clone())),
    );
    let password = RwSignal::new(String::new());
    let automatic = RwSignal::new(stored.as_ref().is_some_and(|c| c.automatic));
    let problem = RwSignal::new(None::<AddressProblem>);
    let failed = RwSignal::new(None::<StorageError>);

    // Saves the settings and the password; then syncs, unless only the settings are wanted
    // (server mode reads the server's views without the records on this tablet).
    let save = move |then_sync: bool| {
        let config = SyncConfig {
            url: url.get_untracked().trim().to_owned(),
            database: database.get_untracked().trim().to_owned(),
            user: user.get_untracked().trim().to_owned(),
            automatic: automatic.get_untracked(),
        };
        if let Err(p) = config.database_url() {
            problem.set(Some(p));
            return;
        }
        problem.set(None);
        let typed = Some(password.get_untracked());
        match sync.configure(config, typed) {
            Ok(()) => {
                failed.set(None);
                password.set(String::new());
                if then_sync {
                    sync.sync_now();
                }
            }
            Err(error) => failed.set(Some(error)),
        }
    };
    let save_and_sync = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(true);
    };
    let forget = move |_| {
        if browser::confirm(td_string!(
            i18n.get_locale_untracked(),
            live_sync.forget_confirm
        )) {
            failed.set(sync.forget().err());
            password.set(String::new());
        }
    };

    view! {
        <h1>{tr!(i18n, live_sync.title)}</h1>
        <ul class="help">
            <li>{tr!(i18n, live_sync.help_optional)}</li>
            <li>{tr!(i18n, live_sync.help_conflicts)}</li>
            <li>{tr!(i18n, live_sync.help_owner)}</li>
            <li>{tr!(i18n, live_sync.help_password)}</li>
        </ul>
        <SaveError error=failed />
        <form class="card sync-form" on:submit=save_and_sync>
            <label for="sync-url">{tr!(i18n, live_sync.url)}</label>
            <input id="sync-url" type="text" inputmode="url" autocomplete="url" spellcheck="false"
                placeholder="https://couch.example.cn"
                prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev)) />
            <p class="hint">{tr!(i18n, live_sync.url_help)}</p>
            <label for="sync-database">{tr!(i18n, live_sync.database)}</label>
            <input id="sync-database" type="text" autocomplete="off" spellcheck="false"
                prop:value=move || database.get() on:input=move |ev| database.set(event_target_value(&ev)) />
            <label for="sync-user">{tr!(i18n, live_sync.user)}</label>
            <input id="sync-user" type="text" autocomplete="username"
                prop:value=move || user.get() on:input=move |ev| user.set(event_target_value(&ev)) />
            <label for="sync-password">{tr!(i18n, live_sync.password)}</label>
            <input id="sync-password" type="password" autocomplete="current-password"
                placeholder=move || sync.has_password().then(|| td_string!(i18n.get_locale(), live_sync.password_kept))
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            <label class="check">
                <input id="sync-automatic" type="checkbox" prop:checked=move || automatic.get()
                    on:change=move |ev| automatic.set(event_target_checked(&ev)) />
                <span>{tr!(i18n, live_sync.automatic)}</span>
            </label>
            <p class="hint">{tr!(i18n, live_sync.automatic_help)}</p>
            <p class="problem" role="alert">
                {move || problem.get().map(|p| address_problem(i18n.get_locale(), p))}
            </p>
            <p class="hint">{tr!(i18n, live_sync.save_only_help)}</p>
            <div class="actions">
                <button type="submit" class="primary" id="sync-save">{tr!(i18n, live_sync.save_and_sync)}</button>
                <button type="button" id="sync-save-only" on:click=move |_| save(false)>{tr!(i18n, live_sync.save_only)}</button>
                <Show when=move || configured.get()>
                    <button type="button" id="sync-now" on:click=move |_| sync.sync_now()
                        disabled=move || matches!(sync.status.get(), SyncStatus::Running(_))>
                        {tr!(i18n, live_sync.sync_now)}
                    </button>
                </Show>
            </div>
        </form>
        <section class="card" aria-labelledby="sync-status-title">
            <h2 id="sync-status-title">{tr!(i18n, live_sync.status_title)}</h2>
            <p id="sync-status" role="status" aria-live="polite">
                {move || status_text(i18n.get_locale(), &sync.status.get())}
            </p>
            <p id="sync-last">
                {move || {
                    let locale = i18n.get_locale();
                    match sync.summary.with(|s| s.last_success.clone()).as_deref().and_then(parse_rfc3339) {
                        Some(at) => td_string!(locale, live_sync.last_success, time = browser::local_time(at)),
                        None => td_string!(locale, live_sync.never).to_owned(),
                    }
                }}
            </p>
            <RefusedRecords failed=failed />
            <UnreadableRecords />
        </section>
        <Show when=move || configured.get()>
            <section class="card">
                <button type="button" id="sync-forget" class="danger" on:click=forget>
                    {tr!(i18n, live_sync.forget)}
                </button>
                <p class="hint">{tr!(i18n, live_sync.forget_help)}</p>
            </section>
        </Show>
    }
}

/// Documents on the server this version cannot read: read again at every sync.
#[component]
fn UnreadableRecords() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    move || {
        let locale = i18n.get_locale();
        let unreadable = app.sync.summary.with(|s| s.unreadable.clone());
        (!unreadable.is_empty()).then(|| {
            view! {
                <div id="sync-unreadable" class="problem-list">
                    <h3>{td_string!(locale, live_sync.unreadable_title, count = unreadable.len())}</h3>
                    <p class="hint">{td_string!(locale, live_sync.unreadable_help)}</p>
                    <ul>
                        {unreadable
                            .into_iter()
                            .map(|(id, reason)| view! {
                                <li>{id.to_string()}<span class="hint">{format!(" ({reason})")}</span></li>
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// Records the server refused: still here, tried again at every sync, or given up (back to
/// the server's version) by choice. A failure to store that choice shows in `failed`.
#[component]
fn RefusedRecords(failed: RwSignal<Option<StorageError>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    move || {
        let locale = i18n.get_locale();
        let refused = app.sync.summary.with(|s| s.refused.clone());
        (!refused.is_empty()).then(|| {
            let items = app.records.ledger.with(|ledger| {
                refused
                    .iter()
                    .map(|(id, refusal)| {
                        // The version the server refused, as it was sent (the record may
                        // have changed here since); the record's page for the rest.
                        let (href, title) =
                            refusal.version().or_else(|| ledger.get(id)).map_or_else(
                                || (String::new(), id.to_string()),
                                |record| {
                                    let (date, title, _) = record_text::summary(locale, record);
                                    (
                                        Page::Detail(record.kind(), *id).href(),
                                        format!("{date} {title}"),
                                    )
                                },
                            );
                        let reason = refusal.reason().to_owned();
                        let id = *id;
                        let give_up = move |_| {
                            let question =
                                td_string!(i18n.get_locale_untracked(), live_sync.give_up_help);
                            if browser::confirm(question) {
                                failed.set(app.sync.give_up(id).err());
                            }
                        };
                        view! {
                            <li>
                                <A href=href attr:class="button">{title}</A>
                                <span class="hint">{format!(" ({reason})")}</span>
                                <button
                                    class="give-up"
                                    title=td_string!(locale, live_sync.give_up_help)
                                    on:click=give_up
                                >
                                    {td_string!(locale, live_sync.give_up)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            });
            view! {
                <div id="sync-refused" class="problem-list">
                    <h3>{td_string!(locale, live_sync.refused_title, count = refused.len())}</h3>
                    <p class="hint">{td_string!(locale, live_sync.refused_help)}</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// The status in plain words: what happened, and what it means for the records here.
fn status_text(locale: Locale, status: &SyncStatus) -> String {
    match status {
        SyncStatus::Idle => String::new(),
        SyncStatus::Running(p) => td_string!(locale, live_sync.running, down = p.down, up = p.up),
        SyncStatus::Finished(report) => {
            let mut text = match &report.pull_failed {
                None => td_string!(
                    locale,
                    live_sync.finished,
                    down = report.progress.down,
                    up = report.progress.up
                ),
                Some(error) => {
                    let mut text = td_string!(
                        locale,
                        live_sync.pull_stopped,
                        down = report.progress.down,
                        up = report.progress.up
                    );
                    text.push_str(&error_text(locale, error));
                    text
                }
            };
            if report.refused > 0 {
                text.push_str(&td_string!(
                    locale,
                    live_sync.finished_refused,
                    count = report.refused
                ));
            }
            if !report.unreadable.is_empty() {
                text.push_str(&td_string!(
                    locale,
                    live_sync.finished_unreadable,
                    count = report.unreadable.len()
                ));
            }
            if report.resent {
                text.push_str(td_string!(locale, live_sync.finished_resent));
            }
            let photos = &report.photos;
            if photos.up + photos.down > 0 {
                text.push_str(&td_string!(
                    locale,
                    live_sync.finished_photos,
                    up = photos.up,
                    down = photos.down
                ));
            }
            if photos.left > 0 {
                text.push_str(&td_string!(
                    locale,
                    live_sync.finished_photos_left,
                    count = photos.left
                ));
            }
            if let Some(reason) = &photos.problem {
                text.push_str(&td_string!(
                    locale,
                    live_sync.finished_photos_problem,
                    reason = reason
                ));
            }
            text
        }
        SyncStatus::Failed(failure) => failure_text(locale, failure),
    }
}
