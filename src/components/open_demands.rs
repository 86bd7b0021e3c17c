//! The demands the homes list (the selection is `domain::demands_view`): for the
//! coordinator, those waiting for a team (待对接需求) with the five waiting longest; for an
//! officer, the unsolved demands of the team their profile names. Each panel shows only when
//! it has a demand to list.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::labels;
use crate::domain::RecordKind;
use crate::domain::demands_view::{
    DemandList, WaitingDemand, any_open_demand, open_demands, team_open_demands,
};
use crate::domain::form::format_date;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::use_app;

/// How many demands a panel lists.
const SHOWN: usize = 5;

/// The coordinator's list of waiting demands, a part of the app of its own: fetched when a
/// demand waits, which on a coordinator's first days, before any file is imported, none does.
mod lazy {
    use leptos::prelude::*;

    lazy_fn!(
        waiting,
        pub fn waiting_demands() -> AnyView {
            view! { <super::WaitingDemands /> }.into_any()
        }
    );
}

/// 待对接需求, on the coordinator's home: how many, and the five waiting longest. Nothing is
/// shown (nor fetched) when no demand waits.
#[component]
pub fn OpenDemandsPanel() -> impl IntoView {
    let app = use_app();
    let any_waiting = Memo::new(move |_| app.records.ledger.with(any_open_demand));
    view! { <Show when=move || any_waiting.get()>{move || lazy_view!(lazy::waiting_demands())}</Show> }
}

/// How many demands wait for a team, and the five waiting longest.
#[component]
fn WaitingDemands() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let list = Memo::new(move |_| {
        app.records
            .ledger
            .with(|l| open_demands(l, browser::today(), SHOWN))
    });
    move || {
        let list = list.get();
        (!list.is_empty()).then(|| {
            let locale = i18n.get_locale();
            view! {
                <section class="open-demands card" id="open-demands" aria-labelledby="open-demands-title">
                    <h2 id="open-demands-title">{td_string!(locale, open_demands.title)}</h2>
                    <p class="open-demands-count" data-count=list.count>
                        {td_string!(locale, open_demands.count, count = list.count)}
                    </p>
                    <h3>{td_string!(locale, open_demands.longest)}</h3>
                    {demand_table(locale, "open-demands-table", list, false)}
                </section>
            }
        })
    }
}

/// The demands of the officer's own team (the team record named as in their profile) not
/// solved yet, on the officer's home.
#[component]
pub fn TeamDemandsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let team = Memo::new(move |_| {
        app.settings
            .settings
            .with(|s| s.profile.team.trim().to_owned())
    });
    let list = Memo::new(move |_| {
        team.with(|team| {
            app.records
                .ledger
                .with(|l| team_open_demands(l, team, browser::today(), SHOWN))
        })
    });
    move || {
        let list = list.get().filter(|l| !l.is_empty())?;
        let locale = i18n.get_locale();
        let team = team.get();
        Some(view! {
            <section class="open-demands card" id="team-demands" aria-labelledby="team-demands-title">
                <h2 id="team-demands-title">{td_string!(locale, open_demands.team_title, team)}</h2>
                <p class="open-demands-count" data-count=list.count>
                    {td_string!(locale, open_demands.team_count, count = list.count)}
                </p>
                {demand_table(locale, "team-demands-table", list, true)}
            </section>
        })
    }
}

/// The listed demands, each a link to its page, then a link to every demand.
fn demand_table(
    locale: Locale,
    table_id: &'static str,
    list: DemandList,
    with_status: bool,
) -> impl IntoView + use<> {
    view! {
        <div class="table-scroll">
        <table class="open-demands-table" id=table_id>
            <thead><tr>
                <th scope="col">{td_string!(locale, field.collected_on)}</th>
                <th scope="col">{td_string!(locale, field.host)}</th>
                {with_status.then(|| view! { <th scope="col">{td_string!(locale, field.demand_status)}</th> })}
                <th scope="col">{td_string!(locale, open_demands.days_waiting)}</th>
            </tr></thead>
            <tbody>
                {list.shown.into_iter().map(|demand| demand_row(locale, demand, with_status)).collect_view()}
            </tbody>
        </table>
        </div>
        <p><A href=Page::List(RecordKind::Demand).href() attr:class="all-demands">{td_string!(locale, open_demands.all)}</A></p>
    }
}

fn demand_row(locale: Locale, demand: WaitingDemand, with_status: bool) -> impl IntoView + use<> {
    let WaitingDemand {
        id,
        collected_on,
        host,
        need,
        status,
        days_waiting,
        ..
    } = demand;
    view! {
        <tr class="open-demand" data-id=id.to_string() data-days=days_waiting>
            <td>{format_date(collected_on)}</td>
            <th scope="row">
                <A href=Page::Detail(RecordKind::Demand, id).href() attr:class="demand-link" attr:title=need>{host}</A>
            </th>
            {with_status.then(|| view! { <td>{labels::demand_status(locale, status)}</td> })}
            <td class="days-waiting">{td_string!(locale, open_demands.days, days = days_waiting)}</td>
        </tr>
    }
}
