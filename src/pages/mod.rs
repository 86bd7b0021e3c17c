//! One component per route.

mod home;
mod records;
mod settings;

pub use home::HomePage;
pub use records::{DetailPage, EditPage, ListPage, NewPage};
pub use settings::SettingsPage;
