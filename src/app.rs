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
                        <Route path=path!("/trainings") view=|| view! { <ListPage kind=Training /> } />
                        <Route path=path!("/trainings/new") view=|| view! { <NewPage kind=Training /> } />
                        <Route path=path!("/trainings/:id") view=|| view! { <DetailPage kind=Training /> } />
                        <Route path=path!("/trainings/:id/edit") view=|| view! { <EditPage kind=Training /> } />
                        <Route path=path!("/technologies") view=|| view! { <ListPage kind=Technology /> } />
                        <Route path=path!("/technologies/new") view=|| view! { <NewPage kind=Technology /> } />
                        <Route path=path!("/technologies/:id") view=|| view! { <DetailPage kind=Technology /> } />
                        <Route path=path!("/technologies/:id/edit") view=|| view! { <EditPage kind=Technology /> } />
                        <Route path=path!("/visits") view=|| view! { <ListPage kind=Visit /> } />
                        <Route path=path!("/visits/new") view=|| view! { <NewPage kind=Visit /> } />
                        <Route path=path!("/visits/:id") view=|| view! { <DetailPage kind=Visit /> } />
                        <Route path=path!("/visits/:id/edit") view=|| view! { <EditPage kind=Visit /> } />
                        <Route path=path!("/report") view=ReportPage />
                        <Route path=path!("/sync") view=SyncPage />
                        <Route path=path!("/settings") view=SettingsPage />
                    </Routes>
                </Shell>
            </Router>
        </I18nContextProvider>
    }
}
