//! The sample data built from the bureau's report: offered on an empty ledger, removed
//! again in one step.

use leptos::prelude::*;

use crate::components::errors::SaveError;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;
use crate::storage::StorageError;

/// Loading the sample data on an empty ledger, and removing it again in one step.
#[component]
pub fn SampleData() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<StorageError>);
    let sample_count = move || app.records.ledger.with(|l| l.sample_ids().len());
    let offer = move || app.records.ledger.with(|l| !l.has_real_records()) && sample_count() == 0;
    // The sample's records come from a part of the app of their own, fetched on this click.
    let load = move |_| {
        let locale = i18n.get_locale_untracked();
        leptos::task::spawn_local(async move {
            let Some(records) = app.records.sample().await else {
                status.set(Some(td_string!(locale, app.load_failed).to_owned()));
                return;
            };
            let count = records.len();
            let result = app.records.write_all(records).map(|()| count);
            status.set(
                result
                    .as_ref()
                    .ok()
                    .map(|count| td_string!(locale, sample.loaded, count)),
            );
            failed.set(result.err());
        });
    };
    let remove = move |_| {
        let locale = i18n.get_locale_untracked();
        let result = app.records.remove_sample();
        status.set(
            result
                .as_ref()
                .ok()
                .map(|count| td_string!(locale, sample.removed, count)),
        );
        failed.set(result.err());
    };
    view! {
        <Show when=move || offer() || { sample_count() > 0 } || status.with(Option::is_some) || failed.with(Option::is_some)>
            <section class="sample card" aria-labelledby="sample-title">
                <h2 id="sample-title">{tr!(i18n, sample.title)}</h2>
                <Show when=offer>
                    <p>{tr!(i18n, sample.offer)}</p>
                    <button class="primary" id="load-sample" on:click=load>{tr!(i18n, sample.load)}</button>
                </Show>
                <Show when=move || { sample_count() > 0 }>
                    <p>{move || td_string!(i18n.get_locale(), sample.present, count = sample_count())}</p>
                    <button id="remove-sample" on:click=remove>{tr!(i18n, sample.remove)}</button>
                </Show>
                <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
                <SaveError error=failed />
            </section>
        </Show>
    }
}
