//! Field Ledger (科技特派台账): an offline-first ledger for Yingkou's rural science-and-technology
//! commissioners. `domain` is pure Rust; `storage` is the only code that touches localStorage;
//! `components` and `pages` are thin Leptos views over both.

pub mod app;
pub mod browser;
pub mod components;
pub mod domain;
pub mod pages;
pub mod pwa;
pub mod state;
pub mod storage;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// A message that follows the interface language. One function for every message (rather
/// than `t!`, which compiles a separate view per message) keeps the wasm smaller.
pub fn tr(
    i18n: leptos_i18n::I18nContext<i18n::Locale>,
    message: fn(i18n::Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || message(i18n.get_locale())
}
