//! The live sync's failures in plain words, for the sync page and server mode (the
//! dashboard, report and lists from the server): what happened, and what it means for the
//! records on the tablet.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::language::use_i18n;
use crate::replication::{AddressProblem, SyncError};
use crate::routes::Page;
use crate::state::sync::SyncFailure;
use crate::state::use_app;
use crate::storage::StorageError;

pub fn address_problem(locale: Locale, problem: AddressProblem) -> &'static str {
    match problem {
        AddressProblem::Empty => td_string!(locale, live_sync.address_empty),
        AddressProblem::NotHttps => td_string!(locale, live_sync.address_not_https),
        AddressProblem::Malformed => td_string!(locale, live_sync.address_malformed),
    }
}

pub fn failure_text(locale: Locale, failure: &SyncFailure) -> String {
    match failure {
        SyncFailure::Offline => td_string!(locale, live_sync.offline).to_owned(),
        SyncFailure::Busy => td_string!(locale, live_sync.busy).to_owned(),
        SyncFailure::Address(p) => address_problem(locale, *p).to_owned(),
        SyncFailure::SignInNeeded => td_string!(locale, live_sync.sign_in_needed).to_owned(),
        SyncFailure::NotLoaded => td_string!(locale, app.load_failed).to_owned(),
        SyncFailure::Sync(error) => error_text(locale, error),
    }
}

/// A sync error in plain words.
pub fn error_text(locale: Locale, error: &SyncError) -> String {
    match error {
        SyncError::Unreachable(_) => td_string!(locale, live_sync.unreachable).to_owned(),
        SyncError::WrongPassword => td_string!(locale, live_sync.wrong_password).to_owned(),
        SyncError::NotAllowed => td_string!(locale, live_sync.not_allowed).to_owned(),
        SyncError::NoDatabase => td_string!(locale, live_sync.no_database).to_owned(),
        SyncError::Missing => td_string!(locale, live_sync.missing).to_owned(),
        SyncError::Server { status, .. } => {
            td_string!(locale, live_sync.server_error, status = *status)
        }
        SyncError::BadAnswer(_) => td_string!(locale, live_sync.bad_answer).to_owned(),
        SyncError::Storage(StorageError::QuotaExceeded) => {
            td_string!(locale, live_sync.storage_full).to_owned()
        }
        SyncError::Storage(_) => td_string!(locale, live_sync.storage_failed).to_owned(),
    }
}

/// Why figures or a list could not be had from the server (server mode); when signing in is
/// what is missing (no session, no password typed in this tab), the way to the sync page.
#[component]
pub fn ServerModeProblem(id: &'static str, failure: SyncFailure) -> impl IntoView {
    let i18n = use_i18n();
    let no_password = failure == SyncFailure::SignInNeeded;
    view! {
        <p class="problem" role="alert" id=id>
            {move || {
                let locale = i18n.get_locale();
                if no_password {
                    td_string!(locale, live_sync.server_mode_password).to_owned()
                } else {
                    failure_text(locale, &failure)
                }
            }}
            {no_password.then(|| view! {
                " "
                <A href=Page::SyncServer.href()>{tr!(i18n, live_sync.open_server_page)}</A>
            })}
        </p>
    }
}

/// Picks where the coordinator's dashboard, report and lists take their records' figures
/// from (shown where [`crate::state::LiveSync::offers_server_mode`]).
#[component]
pub fn SourcePicker(id: &'static str) -> impl IntoView {
    use crate::state::FiguresFrom;
    let i18n = use_i18n();
    let source = use_app().sync.figures_from;
    view! {
        <label class="inline-label">
            {tr!(i18n, dashboard.source)}
            <select id=id on:change=move |ev| {
                source.set(if event_target_value(&ev) == "server" { FiguresFrom::Server } else { FiguresFrom::Device });
            }>
                <option value="device" selected=move || source.get() == FiguresFrom::Device>{tr!(i18n, dashboard.source_device)}</option>
                <option value="server" selected=move || source.get() == FiguresFrom::Server>{tr!(i18n, dashboard.source_server)}</option>
            </select>
        </label>
    }
}
