//! One component per page (see [`routes`](crate::routes)); the home screen's panels below the
//! first paint.

pub(crate) mod dashboard;
mod exchange;
pub(crate) mod home;
mod records;
mod report;
mod settings;
mod sync_server;

pub use dashboard::Dashboard;
pub use exchange::ExchangePage;
pub use home::{CoordinatorPanels, HomePage, OfficerPanels};
pub use records::{DetailPage, EditPage, ListPage, NewPage};
pub use report::ReportPage;
pub use settings::SettingsPage;
pub use sync_server::SyncServerPage;
