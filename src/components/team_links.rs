//! Settings: link the visits that name their team in free text to the team record of that
//! name, in one step (for the settings page).

use leptos::prelude::*;

use crate::browser;
use crate::components::errors::SaveError;
use crate::domain::links;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;
use crate::storage::StorageError;

/// How the last linking ended.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Linked(usize),
    Failed(StorageError),
}

/// How many visits can be linked, and a button that links them all as new revisions (one
/// all-or-nothing write, so the links travel in the next export). Shown only while there is
/// something to link or an outcome to report.
#[component]
pub fn TeamNameLinker() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let outcome = RwSignal::new(None::<Outcome>);
    let linkable = Memo::new(move |_| {
        app.records
            .ledger
            .with(|l| links::link_team_names(l, &app.settings.author(), browser::now()).len())
    });
    let link_all = move |_| {
        let revisions = app
            .records
            .ledger
            .with_untracked(|l| links::link_team_names(l, &app.settings.author(), browser::now()));
        let count = revisions.len();
        outcome.set(Some(match app.records.write_all(revisions) {
            Ok(()) => Outcome::Linked(count),
            Err(error) => Outcome::Failed(error),
        }));
    };
    let any_linkable = move || linkable.get() != 0;
    let shown = move || any_linkable() || outcome.with(Option::is_some);
    view! {
        <Show when=shown>
            <section class="card" id="team-name-links" aria-labelledby="team-name-links-title">
                <h2 id="team-name-links-title">{tr!(i18n, team_links.title)}</h2>
                <p class="hint">{tr!(i18n, team_links.help)}</p>
                <Show when=any_linkable>
                    <p>{move || td_string!(i18n.get_locale(), team_links.linkable, count = linkable.get()).to_string()}</p>
                    <button type="button" class="primary" id="link-team-names" on:click=link_all>
                        {tr!(i18n, team_links.link_all)}
                    </button>
                </Show>
                {move || outcome.get().map(|o| match o {
                    Outcome::Linked(count) => view! {
                        <p class="team-links-outcome" role="status">
                            {td_string!(i18n.get_locale(), team_links.linked, count = count).to_string()}
                        </p>
                    }.into_any(),
                    Outcome::Failed(error) => view! { <SaveError error=Signal::stored(Some(error)) /> }.into_any(),
                })}
            </section>
        </Show>
    }
}
