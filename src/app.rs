//! The root component: state, language and routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::browser;
use crate::components::layout::Shell;
use crate::domain::RecordKind;
use crate::i18n::*;
use crate::pages::*;
use crate::pwa::Offline;
use crate::state::AppState;

/// Which page of a record kind a route shows.
#[derive(Clone, Copy)]
#[repr(u8)]
pub enum RecordPage {
    List,
    New,
    Detail,
    Edit,
}

/// Pages whose code is split out of the first wasm with the `split` feature (`lazy_fn!`,
/// wasm-split): each is fetched on its first visit. Without the feature they are plain
/// functions and the app is one wasm, as the tests build it.
mod lazy {
    use super::RecordPage;
    use crate::domain::RecordKind;
    use crate::pages::*;
    use leptos::prelude::*;

    lazy_fn!(
        records,
        pub fn record(kind: RecordKind, page: RecordPage) -> AnyView {
            match page {
                RecordPage::List => view! { <ListPage kind /> }.into_any(),
                RecordPage::New => view! { <NewPage kind /> }.into_any(),
                RecordPage::Detail => view! { <DetailPage kind /> }.into_any(),
                RecordPage::Edit => view! { <EditPage kind /> }.into_any(),
            }
        }
    );

    lazy_fn!(
        report,
        pub fn report() -> AnyView {
            view! { <ReportPage /> }.into_any()
        }
    );

    lazy_fn!(
        sync,
        pub fn sync() -> AnyView {
            view! { <SyncPage /> }.into_any()
        }
    );

    lazy_fn!(
        settings,
        pub fn settings() -> AnyView {
            view! { <SettingsPage /> }.into_any()
        }
    );
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(AppState::start());
    provide_context(Offline::start());
    view! { <AppWith /> }
}

/// The app over state that is already provided (tests provide their own).
#[component]
pub fn AppWith() -> impl IntoView {
    use RecordKind::*;
    view! {
        <I18nContextProvider>
            <Router base=browser::base_path()>
                <Shell>
                    <Routes fallback=|| view! { <HomePage /> }>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/trainings") view=|| lazy_view!(lazy::record(Training, RecordPage::List)) />
                        <Route path=path!("/trainings/new") view=|| lazy_view!(lazy::record(Training, RecordPage::New)) />
                        <Route path=path!("/trainings/:id") view=|| lazy_view!(lazy::record(Training, RecordPage::Detail)) />
                        <Route path=path!("/trainings/:id/edit") view=|| lazy_view!(lazy::record(Training, RecordPage::Edit)) />
                        <Route path=path!("/technologies") view=|| lazy_view!(lazy::record(Technology, RecordPage::List)) />
                        <Route path=path!("/technologies/new") view=|| lazy_view!(lazy::record(Technology, RecordPage::New)) />
                        <Route path=path!("/technologies/:id") view=|| lazy_view!(lazy::record(Technology, RecordPage::Detail)) />
                        <Route path=path!("/technologies/:id/edit") view=|| lazy_view!(lazy::record(Technology, RecordPage::Edit)) />
                        <Route path=path!("/visits") view=|| lazy_view!(lazy::record(Visit, RecordPage::List)) />
                        <Route path=path!("/visits/new") view=|| lazy_view!(lazy::record(Visit, RecordPage::New)) />
                        <Route path=path!("/visits/:id") view=|| lazy_view!(lazy::record(Visit, RecordPage::Detail)) />
                        <Route path=path!("/visits/:id/edit") view=|| lazy_view!(lazy::record(Visit, RecordPage::Edit)) />
                        <Route path=path!("/report") view=|| lazy_view!(lazy::report()) />
                        <Route path=path!("/sync") view=|| lazy_view!(lazy::sync()) />
                        <Route path=path!("/settings") view=|| lazy_view!(lazy::settings()) />
                    </Routes>
                </Shell>
            </Router>
        </I18nContextProvider>
    }
}
