//! Every page of the app and its address, in one place: the router's table is built from
//! these segments and every link and navigation from [`Page`].

use uuid::Uuid;

use crate::browser::app_href;
use crate::domain::RecordKind;

pub const REPORT: &str = "report";
pub const EXCHANGE: &str = "exchange";
/// The exchange page's address before live sync took the word "sync".
pub const EXCHANGE_BEFORE: &str = "sync";
pub const SETTINGS: &str = "settings";
pub const SYNC_SERVER: &str = "server";
pub const NEW: &str = "new";
pub const EDIT: &str = "edit";
/// The route parameter naming a record.
pub const ID: &str = "id";

/// A page of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    List(RecordKind),
    New(RecordKind),
    Detail(RecordKind, Uuid),
    Edit(RecordKind, Uuid),
    Report,
    Exchange,
    Settings,
    SyncServer,
}

impl Page {
    /// The address within the app (what router navigation takes).
    pub fn path(self) -> String {
        match self {
            Page::Home => "/".to_owned(),
            Page::List(kind) => format!("/{}", kind.segment()),
            Page::New(kind) => format!("/{}/{NEW}", kind.segment()),
            Page::Detail(kind, id) => format!("/{}/{id}", kind.segment()),
            Page::Edit(kind, id) => format!("/{}/{id}/{EDIT}", kind.segment()),
            Page::Report => format!("/{REPORT}"),
            Page::Exchange => format!("/{EXCHANGE}"),
            Page::Settings => format!("/{SETTINGS}"),
            Page::SyncServer => format!("/{SYNC_SERVER}"),
        }
    }

    /// The address with a query (`pairs` already made of plain text; they are encoded here).
    pub fn path_with(self, pairs: &[(&str, String)]) -> String {
        let query: leptos_router::params::ParamsMap = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        format!("{}{}", self.path(), query.to_query_string())
    }

    /// The link to the page, under the path the app is served from (for `<A href>`).
    pub fn href(self) -> String {
        app_href(&self.path())
    }

    pub fn href_with(self, pairs: &[(&str, String)]) -> String {
        app_href(&self.path_with(pairs))
    }
}
