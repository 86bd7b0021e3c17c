//! Why a change could not be stored, said the same way on every page.

use leptos::prelude::*;

use crate::components::labels;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::storage::StorageError;

/// The failed save's reason, that nothing stored changed and nothing typed was lost, and
/// what to do when storage is full. The error goes through Leptos' `ErrorBoundary`, as any
/// error a view returns.
#[component]
pub fn SaveError(#[prop(into)] error: Signal<Option<StorageError>>) -> impl IntoView {
    let i18n = use_i18n();
    let fallback = move |errors: ArcRwSignal<Errors>| {
        move || {
            let locale = i18n.get_locale();
            errors.with(|errors| {
                errors
                    .iter()
                    .filter_map(|(_, error)| error.downcast_ref::<StorageError>().cloned())
                    .map(|error| {
                        let reason = labels::storage_error(locale, &error);
                        let advice = (error == StorageError::QuotaExceeded)
                            .then(|| td_string!(locale, errors.quota_advice));
                        view! {
                            <p class="save-error" role="alert">
                                {td_string!(locale, errors.not_saved, reason)}
                                {advice.map(|advice| view! { " " {advice} })}
                            </p>
                        }
                    })
                    .collect_view()
            })
        }
    };
    view! {
        <ErrorBoundary fallback>
            // The page around it may be gone by the time a change is seen.
            {move || error.try_get().flatten().map_or(Ok(()), Err)}
        </ErrorBoundary>
    }
}
