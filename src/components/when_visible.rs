//! A part of the page below the fold, drawn (and its code fetched) when it is scrolled to.

use leptos::prelude::*;

use crate::browser;

/// Shows `children` once its place on the page first comes into view
/// ([`browser::when_visible`]); until then an empty marker holds the place.
#[component]
pub fn WhenVisible(children: ChildrenFn) -> impl IntoView {
    let seen = RwSignal::new(false);
    let marker = NodeRef::<leptos::html::Div>::new();
    marker.on_load(move |element| browser::when_visible(&element, move || seen.set(true)));
    view! {
        <Show when=move || seen.get() fallback=move || view! { <div class="below-fold" node_ref=marker></div> }>
            {children()}
        </Show>
    }
}
