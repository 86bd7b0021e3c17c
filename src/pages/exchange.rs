//! The handoff: export for the bureau (JSON, or CSV for spreadsheets) and import of officers'
//! files.

use leptos::prelude::*;

use crate::browser;
use crate::components::export_panel::ExportPanel;
use crate::components::import_panel::ImportPanel;
use crate::components::labels;
use crate::components::record_text::csv_rows;
use crate::domain::form::format_date;
use crate::domain::settings::Role;
use crate::domain::{RecordKind, csv_export};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;

/// Two jobs on one page: the officer sends records to the bureau, the coordinator gathers
/// every officer's files. The section of the device's own role comes first.
#[component]
pub fn ExchangePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let coordinator = app
        .settings
        .settings
        .with_untracked(|s| s.role == Some(Role::Coordinator));
    let send = view! {
        <section class="exchange-part" id="send" aria-labelledby="send-title">
            <h2 id="send-title">{tr!(i18n, exchange.send_title)}</h2>
            <ul class="help">
                <li>{tr!(i18n, exchange.send_what)}</li>
                <li>{tr!(i18n, exchange.send_how)}</li>
                <li>{tr!(i18n, exchange.send_twice)}</li>
            </ul>
            <ExportPanel />
            <CsvPanel />
        </section>
    };
    let gather = view! {
        <section class="exchange-part" id="gather" aria-labelledby="gather-title">
            <h2 id="gather-title">{tr!(i18n, exchange.gather_title)}</h2>
            <ul class="help">
                <li>{tr!(i18n, exchange.gather_what)}</li>
                <li>{tr!(i18n, exchange.gather_twice)}</li>
                <li>{tr!(i18n, exchange.gather_refused)}</li>
            </ul>
            <ImportPanel />
        </section>
    };
    view! {
        <h1>{tr!(i18n, sync.title)}</h1>
        <p class="intro">{tr!(i18n, exchange.intro)}</p>
        {if coordinator {
            view! { {gather} {send} }.into_any()
        } else {
            view! { {send} {gather} }.into_any()
        }}
    }
}

#[component]
fn CsvPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<Result<String, String>>);
    let export = move |kind: RecordKind| {
        let locale = i18n.get_locale_untracked();
        let (headers, rows) = app
            .records
            .ledger
            .with_untracked(|l| csv_rows(locale, kind, &l.list(kind)));
        let device = app
            .settings
            .settings
            .with_untracked(|s| s.device_id.chars().take(8).collect::<String>());
        let file = format!(
            "field-ledger-{device}-{}-{}.csv",
            kind.segment(),
            format_date(browser::today())
        );
        let result = csv_export::table(&headers, &rows)
            .map_err(|e| e.to_string())
            .and_then(|csv| browser::download(&file, "text/csv;charset=utf-8", &[csv.as_bytes()]))
            .map(|()| file);
        status.set(Some(result));
    };
    view! {
        <section class="card" aria-labelledby="csv-title">
            <h2 id="csv-title">{tr!(i18n, sync.csv_title)}</h2>
            <p class="hint">{tr!(i18n, sync.csv_help)}</p>
            <div class="actions">
                {RecordKind::ALL
                    .into_iter()
                    .map(|kind| view! {
                        <button id=format!("csv-{}", kind.segment()) on:click=move |_| export(kind)>
                            {move || labels::kind_title(i18n.get_locale(), kind)}
                        </button>
                    })
                    .collect_view()}
            </div>
            <p class="status" role="status" aria-live="polite">
                {move || match status.get() {
                    None => String::new(),
                    Some(Ok(file)) => td_string!(i18n.get_locale(), sync.csv_exported, file),
                    Some(Err(reason)) => td_string!(i18n.get_locale(), home.export_failed, reason),
                }}
            </p>
        </section>
    }
}
