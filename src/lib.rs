//! Field Ledger (科技特派台账): an offline-first ledger for Yingkou's rural science-and-technology
//! commissioners. `domain` is pure Rust; `storage` is the only code that touches localStorage;
//! `state` holds the running app's data as services over storage; `browser` wraps the other
//! browser APIs; `components` and `pages` are thin Leptos views over them; `routes` names
//! every page.

/// `tr!(i18n, key)`: a message in the interface language, following it when it changes.
/// Every message of the interface is `td_string!(locale, key, args…)` (leptos_i18n, checked
/// at compile time in both languages) with the locale of [`language::I18n`]; `tr!` is that,
/// for a message without arguments in a view. One function for all messages, rather than
/// `t!`'s view per message, keeps the wasm small.
macro_rules! tr {
    ($i18n:expr, $($key:tt)+) => {
        $crate::tr($i18n, |locale| $crate::i18n::td_string!(locale, $($key)+))
    };
}

/// A function whose code is split out of the first wasm with the `split` feature (wasm-split,
/// as leptos's `#[lazy]`, but `fallible`: a part that cannot be fetched is an `Err`, where
/// `#[lazy]` panics and so stops the whole app). `$module` names the part's file. With the
/// feature the function is async (its part is fetched first): call it with [`lazy_await!`]
/// or, for a view, [`lazy_view!`].
macro_rules! lazy_fn {
    ($module:ident, $(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$attr])*
        #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible))]
        $vis fn $name($($arg: $ty),*) -> Result<$ret, leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }
    };
}

/// The result of a `lazy_fn!` function, inside an async block: awaited with the `split`
/// feature, as it is without.
#[cfg(feature = "split")]
macro_rules! lazy_await {
    ($call:expr) => {
        $call.await
    };
}
#[cfg(not(feature = "split"))]
macro_rules! lazy_await {
    ($call:expr) => {
        $call
    };
}

/// The view returned by a `lazy_fn!` function: with the `split` feature the call is async
/// (its wasm is fetched first), so the view shows once it has loaded, or says that it could
/// not be loaded (the next visit tries again).
#[cfg(feature = "split")]
macro_rules! lazy_view {
    ($call:expr) => {{
        let i18n = $crate::language::use_i18n();
        let page = leptos::__reexports::send_wrapper::SendWrapper::new($call);
        view! { <Suspense>{Suspend::new(async move { page.await.unwrap_or_else(|_| $crate::load_failed(i18n)) })}</Suspense> }.into_any()
    }};
}
#[cfg(not(feature = "split"))]
macro_rules! lazy_view {
    ($call:expr) => {{
        let i18n = $crate::language::use_i18n();
        $call.unwrap_or_else(|_| $crate::load_failed(i18n))
    }};
}

/// What shows in place of a part of the app whose code could not be fetched.
pub fn load_failed(i18n: crate::language::I18n) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! {
        <p class="banner warning load-failed" role="alert">
            {tr!(i18n, app.load_failed)}
        </p>
    }
    .into_any()
}

pub mod app;
pub mod browser;
pub mod components;
pub mod domain;
pub mod language;
pub mod pages;
pub mod pwa;
pub mod replication;
pub mod routes;
pub mod state;
pub mod storage;

/// The messages of `locales/*.json`, compiled by leptos_i18n (build.rs) into `crate::i18n`.
#[allow(clippy::new_ret_no_self)] // in the generated code: a message key named `new`
mod generated_i18n {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated_i18n::i18n;

/// A message that follows the interface language. One function for every message (rather
/// than `t!`, which compiles a separate view per message) keeps the wasm smaller.
pub fn tr(
    i18n: crate::language::I18n,
    message: fn(i18n::Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || message(i18n.get_locale())
}
