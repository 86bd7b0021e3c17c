//! The root component: state, language and the router's table (addresses from
//! [`routes`](crate::routes)).

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

use crate::browser;
use crate::components::layout::Shell;
use crate::domain::RecordKind;
use crate::domain::settings::Role;
use crate::pages::*;
use crate::pwa::Offline;
use crate::routes::{
    EDIT, EXCHANGE, EXCHANGE_BEFORE, ID, NEW, Page, REPORT, SETTINGS, SYNC_SERVER,
};
use crate::state::{App, Reading};

/// Which page of a record kind a route shows.
#[derive(Clone, Copy)]
#[repr(u8)]
pub enum RecordPage {
    List,
    New,
    Detail,
    Edit,
}

/// Parts of the app split out of the first wasm with the `split` feature (`lazy_fn!`,
/// wasm-split): each is fetched the first time it is shown, and kept by the service worker
/// for offline use. Without the feature they are plain functions and the app is one wasm,
/// as the tests build it.
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

    // The home screen's panels, a part per role: each home fetches only its own.
    lazy_fn!(
        officer_panels,
        pub fn officer_panels() -> AnyView {
            view! { <OfficerPanels /> }.into_any()
        }
    );

    lazy_fn!(
        coordinator_panels,
        pub fn coordinator_panels() -> AnyView {
            view! { <CoordinatorPanels /> }.into_any()
        }
    );

    lazy_fn!(
        report,
        pub fn report() -> AnyView {
            view! { <ReportPage /> }.into_any()
        }
    );

    lazy_fn!(
        exchange,
        pub fn exchange() -> AnyView {
            view! { <ExchangePage /> }.into_any()
        }
    );

    lazy_fn!(
        settings,
        pub fn settings() -> AnyView {
            view! { <SettingsPage /> }.into_any()
        }
    );

    // In the live sync's part (src/state/sync.rs): the page and the protocol load together,
    // which keeps the chunks that parts share few.
    lazy_fn!(
        live_sync,
        pub fn sync_server() -> AnyView {
            view! { <SyncServerPage /> }.into_any()
        }
    );
}

/// The home screen's panels below its first paint for `role` (a part of their own per role).
pub fn home_panels(role: Role) -> AnyView {
    match role {
        Role::Officer => lazy_view!(lazy::officer_panels()),
        Role::Coordinator => lazy_view!(lazy::coordinator_panels()),
    }
}

fn record_page(kind: RecordKind, page: RecordPage) -> AnyView {
    lazy_view!(lazy::record(kind, page))
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(App::start());
    provide_context(Offline::start());
    view! { <AppWith /> }
}

/// The app over state that is already provided (tests provide their own), shown once the
/// stored records are read: nothing is shown, nor written, over records not read yet.
#[component]
pub fn AppWith() -> impl IntoView {
    let app = crate::state::use_app();
    let settings = app.settings.settings;
    let i18n = crate::language::provide_i18n(Signal::derive(move || settings.with(|s| s.language)));
    let reading = Memo::new(move |_| app.records.reading.get());
    move || match reading.get() {
        Reading::Pending => ().into_any(),
        Reading::Failed => crate::load_failed(i18n),
        Reading::Done => routes().into_any(),
    }
}

/// Every page at its address.
fn routes() -> impl IntoView {
    use RecordKind::*;
    let list = |kind: RecordKind| StaticSegment(kind.segment());
    view! {
            <Router base=browser::base_path()>
                <Shell>
                    <Routes fallback=|| view! { <HomePage /> }>
                        <Route path=StaticSegment("") view=HomePage />
                        // Each kind's pages under routes of their own: leaving a page of one kind
                        // for a page of another disposes the first page whole.
                        <Route path=list(Training) view=|| record_page(Training, RecordPage::List) />
                        <Route path=(list(Training), StaticSegment(NEW)) view=|| record_page(Training, RecordPage::New) />
                        <Route path=(list(Training), ParamSegment(ID)) view=|| record_page(Training, RecordPage::Detail) />
                        <Route path=(list(Training), ParamSegment(ID), StaticSegment(EDIT)) view=|| record_page(Training, RecordPage::Edit) />
                        <Route path=list(Technology) view=|| record_page(Technology, RecordPage::List) />
                        <Route path=(list(Technology), StaticSegment(NEW)) view=|| record_page(Technology, RecordPage::New) />
                        <Route path=(list(Technology), ParamSegment(ID)) view=|| record_page(Technology, RecordPage::Detail) />
                        <Route path=(list(Technology), ParamSegment(ID), StaticSegment(EDIT)) view=|| record_page(Technology, RecordPage::Edit) />
                        <Route path=list(Visit) view=|| record_page(Visit, RecordPage::List) />
                        <Route path=(list(Visit), StaticSegment(NEW)) view=|| record_page(Visit, RecordPage::New) />
                        <Route path=(list(Visit), ParamSegment(ID)) view=|| record_page(Visit, RecordPage::Detail) />
                        <Route path=(list(Visit), ParamSegment(ID), StaticSegment(EDIT)) view=|| record_page(Visit, RecordPage::Edit) />
                        <Route path=list(Team) view=|| record_page(Team, RecordPage::List) />
                        <Route path=(list(Team), StaticSegment(NEW)) view=|| record_page(Team, RecordPage::New) />
                        <Route path=(list(Team), ParamSegment(ID)) view=|| record_page(Team, RecordPage::Detail) />
                        <Route path=(list(Team), ParamSegment(ID), StaticSegment(EDIT)) view=|| record_page(Team, RecordPage::Edit) />
                        <Route path=list(Demand) view=|| record_page(Demand, RecordPage::List) />
                        <Route path=(list(Demand), StaticSegment(NEW)) view=|| record_page(Demand, RecordPage::New) />
                        <Route path=(list(Demand), ParamSegment(ID)) view=|| record_page(Demand, RecordPage::Detail) />
                        <Route path=(list(Demand), ParamSegment(ID), StaticSegment(EDIT)) view=|| record_page(Demand, RecordPage::Edit) />
                        <Route path=StaticSegment(REPORT) view=|| lazy_view!(lazy::report()) />
                        <Route path=StaticSegment(EXCHANGE) view=|| lazy_view!(lazy::exchange()) />
                        <Route path=StaticSegment(EXCHANGE_BEFORE) view=|| view! { <Redirect path=Page::Exchange.path() /> } />
                        <Route path=StaticSegment(SETTINGS) view=|| lazy_view!(lazy::settings()) />
                        <Route path=StaticSegment(SYNC_SERVER) view=|| lazy_view!(lazy::sync_server()) />
                    </Routes>
                </Shell>
            </Router>
    }
}
