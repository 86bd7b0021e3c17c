//! One component per route.

mod dashboard;
mod home;
mod records;
mod settings;
pub mod sync;

pub use dashboard::ReportPage;
pub use home::HomePage;
pub use records::{DetailPage, EditPage, ListPage, NewPage};
pub use settings::SettingsPage;
pub use sync::SyncPage;
pub mod quick_entry;
pub use quick_entry::{FollowUpsPanel, PicklistManager};
