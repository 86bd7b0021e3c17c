//! The printable summary of a year, in the style of the bureau's report.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::components::charts::figure;
use crate::components::labels;
use crate::domain::form::format_date;
use crate::domain::progress;
use crate::domain::{Record, RecordBody};
use crate::i18n::*;
use crate::pages::dashboard::{chosen_year, county_table};
use crate::routes::Page;
use crate::state::use_app;

/// The printable summary of a year, in the style of the bureau's report: A4, dates as
/// yyyy-mm-dd, the targets with their figures, the county table, and the lists of
/// technologies promoted and trainings held.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let year = chosen_year();
    let print = move |_| browser::print();
    view! {
        <article class="report">
            <div class="no-print actions">
                <button class="primary" id="print-report" on:click=print>{tr!(i18n, report.print)}</button>
                <A href=move || Page::Home.href_with(&[("year", year.get().to_string())]) attr:class="button">{tr!(i18n, report.back)}</A>
            </div>
            {move || {
                let locale = i18n.get_locale();
                let year = year.get();
                let today = browser::today();
                let (totals, counties, promoted, trainings) = app.records.ledger.with(|l| {
                    let totals = progress::year_totals(l, year);
                    let counties = progress::by_county(l, year);
                    let promoted: Vec<Record> = progress::technologies_promoted_in(l, year).into_iter().cloned().collect();
                    let trainings: Vec<Record> = progress::trainings_in(l, year).into_iter().cloned().collect();
                    (totals, counties, promoted, trainings)
                });
                let targets = app.settings.settings.with(|s| s.targets_for(year));
                let lines = progress::target_progress(&totals, &targets, today);
                let first = time::Date::from_ordinal_date(year, 1).map(format_date).unwrap_or_default();
                let last = time::Date::from_calendar_date(year, time::Month::December, 31).map(format_date).unwrap_or_default();
                view! {
                    <h1>{td_string!(locale, report.title, year)}</h1>
                    <p class="period">
                        {td_string!(locale, report.period, from = first, to = last)}
                        "　"
                        {td_string!(locale, report.made, date = format_date(today))}
                    </p>
                    <h2>{td_string!(locale, report.targets)}</h2>
                    <table class="report-targets">
                        <thead><tr>
                            <th scope="col">{td_string!(locale, report.measure)}</th>
                            <th scope="col">{td_string!(locale, report.target)}</th>
                            <th scope="col">{td_string!(locale, report.done)}</th>
                            <th scope="col">{td_string!(locale, report.rate)}</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|line| view! {
                                <tr data-measure=line.measure.slug()>
                                    <th scope="row">{labels::measure(locale, line.measure)}</th>
                                    <td>{line.target}</td>
                                    <td class="done">{line.done}</td>
                                    <td>{format!("{}%", line.percent)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>{td_string!(locale, report.counties)}</h2>
                    {if counties.is_empty() {
                        view! { <p>{td_string!(locale, report.none)}</p> }.into_any()
                    } else {
                        county_table(locale, &counties, "report-counties").into_any()
                    }}
                    <h2>{td_string!(locale, report.technologies)}</h2>
                    {technology_list(locale, promoted)}
                    <h2>{td_string!(locale, report.trainings)}</h2>
                    {training_list(locale, trainings)}
                }
            }}
        </article>
    }
}

fn technology_list(locale: Locale, records: Vec<Record>) -> impl IntoView {
    if records.is_empty() {
        return view! { <p>{td_string!(locale, report.none)}</p> }.into_any();
    }
    view! {
        <table class="report-technologies">
            <thead><tr>
                <th scope="col">{td_string!(locale, field.name)}</th>
                <th scope="col">{td_string!(locale, field.category)}</th>
                <th scope="col">{td_string!(locale, report.partners)}</th>
                <th scope="col">{td_string!(locale, field.county)}</th>
                <th scope="col">{td_string!(locale, report.promoted_on)}</th>
                <th scope="col">{td_string!(locale, field.promoted_area)}</th>
            </tr></thead>
            <tbody>
                {records.into_iter().filter_map(|record| match record.body {
                    RecordBody::Technology(t) => Some(view! {
                        <tr>
                            <td>{t.name}</td>
                            <td>{labels::category(locale, t.category)}</td>
                            <td>{labels::list(locale, &t.partners)}</td>
                            <td>{labels::county(locale, &t.county)}</td>
                            <td>{t.promoted_on.map(format_date).unwrap_or_default()}</td>
                            <td>{t.promoted_area_mu.map(figure).unwrap_or_default()}</td>
                        </tr>
                    }),
                    _ => None,
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn training_list(locale: Locale, records: Vec<Record>) -> impl IntoView {
    if records.is_empty() {
        return view! { <p>{td_string!(locale, report.none)}</p> }.into_any();
    }
    view! {
        <table class="report-trainings">
            <thead><tr>
                <th scope="col">{td_string!(locale, field.date)}</th>
                <th scope="col">{td_string!(locale, field.topic)}</th>
                <th scope="col">{td_string!(locale, report.place)}</th>
                <th scope="col">{td_string!(locale, field.attendance)}</th>
            </tr></thead>
            <tbody>
                {records.into_iter().filter_map(|record| match record.body {
                    RecordBody::Training(t) => Some(view! {
                        <tr>
                            <td>{format_date(t.date)}</td>
                            <td>{t.topic}</td>
                            <td>{labels::place(locale, &t.place)}</td>
                            <td>{t.attendance}</td>
                        </tr>
                    }),
                    _ => None,
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
