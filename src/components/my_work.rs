//! "My work" on the officer's home: what this device recorded in the period, paced only
//! against the officer's own targets (the city's targets are not one officer's).

use leptos::prelude::*;

use crate::browser;
use crate::components::labels;
use crate::components::period_picker::{period_name, use_period};
use crate::domain::progress::personal_lines;
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
            let today = browser::today();
            // A technology counts once, however many of its stages fell in the period.
            let technologies = totals::technologies_in(&own, period)
                .iter()
                .map(|(_, records)| records.len() as u32)
                .sum::<u32>();
            let mine = totals::totals(&own, period, &counting, today);
            let year_so_far = totals::year_so_far(&own, &mine, &counting, today);
            (mine, year_so_far, technologies)
        })
    });
    let technologies = move || counted.with(|(_, _, technologies)| *technologies);
    let mine = Memo::new(move |_| counted.with(|(totals, _, _)| totals.clone()));
    // Personal targets are judged as the city's: by the year from 1 January to the period's
    // end.
    let lines = Memo::new(move |_| {
        let year = period.with(|p| p.year())?;
        app.settings.settings.with(|s| {
            let targets = s.personal_targets_for(year)?;
            counted.with(|(mine, so_far, _)| {
                Some(personal_lines(
                    mine,
                    so_far.as_ref()?,
                    targets,
                    browser::today(),
                ))
            })
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
                let lines = lines.get().unwrap_or_default();
                if lines.is_empty() {
                    return view! {
                        <p class="hint">
                            {td_string!(locale, home.my_targets_none)}" "
                            <a class="button" href=Page::Settings.href()>{td_string!(locale, home.my_targets_set)}</a>
                        </p>
                    }.into_any();
                }
                let so_far = labels::year_so_far_apart(locale, &period.get());
                view! {
                    <ul class="my-targets">
                        {so_far.map(|span| view! { <li class="so-far">{span}</li> })}
                        {lines.into_iter().map(|line| view! {
                            <li class="my-target" data-measure=line.measure.slug()
                                data-done=line.done data-in-period=line.in_period>
                                {labels::measure(locale, line.measure)}": "
                                <strong>{line.done}</strong>" / "{line.target}" · "{labels::pace(locale, &line)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
