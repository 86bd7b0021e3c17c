//! "My work" on the officer's home: what this device recorded in the period, paced only
//! against the officer's own targets (the city's targets are not one officer's).

use leptos::prelude::*;

use crate::browser;
use crate::components::labels;
use crate::components::period_picker::{period_name, use_period};
use crate::domain::progress::{Pace, personal_lines};
use crate::domain::totals::{self, Scope};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::use_app;

#[component]
pub fn MyWork() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let period = use_period();
    let counted = Memo::new(move |_| {
        let (device, counting) = app
            .settings
            .settings
            .with(|s| (s.device_id.clone(), s.counting.clone()));
        app.records.ledger.with(|l| {
            let own = totals::scoped(l, &Scope::Device(device));
            let period = period.get();
            // A technology counts once, however many of its stages fell in the period.
            let technologies = totals::technologies_in(&own, period)
                .iter()
                .map(|(_, records)| records.len() as u32)
                .sum::<u32>();
            (
                totals::totals(&own, period, &counting, browser::today()),
                technologies,
            )
        })
    });
    let technologies = move || counted.with(|(_, technologies)| *technologies);
    let mine = Memo::new(move |_| counted.with(|(totals, _)| totals.clone()));
    let lines = Memo::new(move |_| {
        let today = browser::today();
        let p = period.get();
        let (Some(year), Some(share)) = (p.year(), p.elapsed_share(today)) else {
            return Vec::new();
        };
        let year_end = u8::from(p.to.month()) == 12 && p.to.day() == 31;
        app.settings.settings.with(|s| {
            s.personal_targets_for(year)
                .map(|targets| {
                    mine.with(|t| personal_lines(t, targets, share, year_end && p.to < today))
                })
                .unwrap_or_default()
        })
    });
    let figure = move |key: &'static str,
                       label: fn(Locale) -> &'static str,
                       value: fn(&totals::Totals) -> u32| {
        view! {
            <div class="figure" data-figure=key>
                <dt>{move || label(i18n.get_locale())}</dt>
                <dd>{move || mine.with(value)}</dd>
            </div>
        }
    };
    view! {
        <section class="my-work card" id="my-work" aria-labelledby="my-work-title">
            <h2 id="my-work-title">{tr!(i18n, home.my_work)}</h2>
            <p class="period-status">{move || period_name(i18n.get_locale(), &period.get())}</p>
            <dl class="my-figures">
                {figure("trainings", |l| td_string!(l, home.my_trainings), |t| t.by_type.iter().map(|(_, s)| s.sessions).sum())}
                {figure("attendance", |l| td_string!(l, home.my_attendance), |t| t.by_type.iter().map(|(_, s)| s.attendance).sum())}
                <div class="figure" data-figure="technologies">
                    <dt>{move || td_string!(i18n.get_locale(), home.my_technologies)}</dt>
                    <dd>{technologies}</dd>
                </div>
                {figure("visits", |l| td_string!(l, home.my_visits), |t| t.visits)}
            </dl>
            {move || {
                let locale = i18n.get_locale();
                let lines = lines.get();
                if lines.is_empty() {
                    return view! {
                        <p class="hint">
                            {td_string!(locale, home.my_targets_none)}" "
                            <a class="button" href=Page::Settings.href()>{td_string!(locale, home.my_targets_set)}</a>
                        </p>
                    }.into_any();
                }
                view! {
                    <ul class="my-targets">
                        {lines.into_iter().map(|line| {
                            let pace = match line.pace {
                                Pace::Done => td_string!(locale, dashboard.pace_done).to_owned(),
                                Pace::Closed => td_string!(locale, dashboard.pace_closed).to_owned(),
                                Pace::Ahead => td_string!(locale, dashboard.pace_ahead, expected = line.expected),
                                Pace::OnPace => td_string!(locale, dashboard.pace_on, expected = line.expected),
                                Pace::Behind => td_string!(locale, dashboard.pace_behind, expected = line.expected),
                            };
                            view! {
                                <li class="my-target" data-measure=line.measure.slug()>
                                    {labels::measure(locale, line.measure)}": "
                                    <strong>{line.done}</strong>" / "{line.target}" · "{pace}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
