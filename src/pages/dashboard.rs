//! The year's progress against its targets (on the home screen), the printable summary, and
//! the sample data offer. The counting itself is in `domain::progress`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::browser::{self, app_href};
use crate::components::charts::{Bar, Columns, HorizontalBars, describe, figure};
use crate::components::labels;
use crate::domain::input::format_date;
use crate::domain::progress::{
    self, CountyRow, Measure, MonthRow, Pace, TargetProgress, YearTotals,
};
use crate::domain::{Record, RecordBody};
use crate::i18n::*;
use crate::state::use_app;

/// The year named by `?year=` in the URL, or the newest year with records (the current year
/// when there are none), so that a bookmark or printout keeps its year.
fn chosen_year() -> Memo<i32> {
    let app = use_app();
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()))
            .filter(|y| (2000..=9999).contains(y))
            .unwrap_or_else(|| {
                app.ledger
                    .with(|l| progress::years(l, browser::today()).first().copied())
                    .unwrap_or_else(|| browser::today().year())
            })
    })
}

fn county_value(row: &CountyRow, measure: Measure) -> f64 {
    f64::from(match measure {
        Measure::Trainings => row.trainings,
        Measure::Attendance => row.attendance,
        Measure::TechnologiesPromoted => row.technologies_promoted,
        Measure::Demonstrations => row.demonstrations,
        Measure::Visits => row.visits,
    })
}

fn month_value(row: &MonthRow, measure: Measure) -> f64 {
    f64::from(match measure {
        Measure::Trainings => row.trainings,
        Measure::Attendance => row.attendance,
        Measure::TechnologiesPromoted => row.technologies_promoted,
        Measure::Demonstrations => row.demonstrations,
        Measure::Visits => row.visits,
    })
}

fn county_name(locale: Locale, county: &str) -> String {
    if county.is_empty() {
        td_string!(locale, dashboard.county_unset).to_owned()
    } else {
        labels::county(locale, county)
    }
}

fn pace_text(locale: Locale, line: &TargetProgress) -> String {
    let expected = figure((line.expected_by_now * 10.0).round() / 10.0);
    match line.pace {
        Pace::Ahead => td_string!(locale, dashboard.pace_ahead, expected),
        Pace::OnPace => td_string!(locale, dashboard.pace_on, expected),
        Pace::Behind => td_string!(locale, dashboard.pace_behind, expected),
        Pace::Done => td_string!(locale, dashboard.pace_done).to_owned(),
        Pace::Closed => td_string!(locale, dashboard.pace_closed).to_owned(),
    }
}

fn pace_class(pace: Pace) -> &'static str {
    match pace {
        Pace::Ahead => "ahead",
        Pace::OnPace => "on-pace",
        Pace::Behind => "behind",
        Pace::Done => "done",
        Pace::Closed => "closed",
    }
}

/// Progress on the home screen: a year picker, each target with its bar and pace, the other
/// figures, and the county and month breakdowns as charts with tables.
#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let year = chosen_year();
    let navigate = leptos_router::hooks::use_navigate();
    let years = Memo::new(move |_| {
        let mut years = app.ledger.with(|l| progress::years(l, browser::today()));
        if !years.contains(&year.get()) {
            years.push(year.get());
            years.sort_by(|a, b| b.cmp(a));
        }
        years
    });
    let totals = Memo::new(move |_| app.ledger.with(|l| progress::year_totals(l, year.get())));
    let lines = Memo::new(move |_| {
        let targets = app.settings.with(|s| s.targets_for(year.get()));
        totals.with(|t| progress::target_progress(t, &targets, browser::today()))
    });
    let measure = RwSignal::new(Measure::Attendance);
    let pick_year = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        navigate(
            &format!("/?year={chosen}"),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };

    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <div class="page-head">
                <h2 id="dashboard-title">{crate::tr(i18n, |l| td_string!(l, dashboard.title))}</h2>
                <label class="inline-label">
                    {crate::tr(i18n, |l| td_string!(l, dashboard.year))}
                    <select id="dashboard-year" on:change=pick_year>
                        <For each=move || years.get() key=|y| *y let:y>
                            <option value=y.to_string() selected=move || year.get() == y>{y}</option>
                        </For>
                    </select>
                </label>
                <A href=move || app_href(&format!("/report?year={}", year.get())) attr:class="button" attr:id="open-report">
                    {crate::tr(i18n, |l| td_string!(l, dashboard.print))}
                </A>
            </div>
            <ul class="targets">
                {move || {
                    let locale = i18n.get_locale();
                    lines
                        .get()
                        .into_iter()
                        .map(|line| target_card(locale, line))
                        .collect_view()
                }}
            </ul>
            {move || totals.with(|t| other_figures(i18n.get_locale(), t))}
            <label class="inline-label">
                {crate::tr(i18n, |l| td_string!(l, dashboard.chart_measure))}
                <select id="chart-measure" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(m) = Measure::ALL.into_iter().find(|m| m.slug() == chosen) {
                        measure.set(m);
                    }
                }>
                    {Measure::ALL
                        .into_iter()
                        .map(|m| view! {
                            <option value=m.slug() selected=move || measure.get() == m>
                                {move || labels::measure(i18n.get_locale(), m)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
            <CountyBreakdown year measure />
            <MonthBreakdown year measure />
        </section>
    }
}

fn target_card(locale: Locale, line: TargetProgress) -> impl IntoView {
    let name = labels::measure(locale, line.measure);
    let width = line.percent.min(100);
    view! {
        <li class="target card" data-measure=line.measure.slug() data-done=line.done data-target=line.target>
            <span class="target-name">{name}</span>
            <span class="target-figure">
                <b class="done">{line.done}</b>" / "<span class="goal">{line.target}</span>
            </span>
            <div class="progress" role="progressbar" aria-label=name
                aria-valuemin="0" aria-valuemax=line.target aria-valuenow=line.done>
                <span style:width=format!("{width}%")></span>
            </div>
            <span class="percent">{td_string!(locale, dashboard.percent, percent = line.percent)}</span>
            <span class=format!("pace {}", pace_class(line.pace))>{pace_text(locale, &line)}</span>
        </li>
    }
}

fn other_figures(locale: Locale, t: &YearTotals) -> impl IntoView + use<> {
    let rows: Vec<(&'static str, &'static str, String)> = vec![
        (
            "visits",
            td_string!(locale, dashboard.visits),
            t.visits.to_string(),
        ),
        (
            "commissioners",
            td_string!(locale, dashboard.commissioners),
            t.commissioners.to_string(),
        ),
        (
            "hosts",
            td_string!(locale, dashboard.hosts),
            t.hosts.to_string(),
        ),
        (
            "introduced",
            td_string!(locale, dashboard.introduced),
            t.technologies_introduced.to_string(),
        ),
        (
            "demonstrated",
            td_string!(locale, dashboard.demonstrated),
            t.technologies_demonstrated.to_string(),
        ),
        (
            "promoted",
            td_string!(locale, dashboard.promoted),
            t.technologies_promoted.to_string(),
        ),
        (
            "demo-area",
            td_string!(locale, dashboard.demo_area),
            figure(t.demo_area_mu),
        ),
        (
            "promoted-area",
            td_string!(locale, dashboard.promoted_area),
            figure(t.promoted_area_mu),
        ),
        (
            "households",
            td_string!(locale, dashboard.households),
            t.households.to_string(),
        ),
    ];
    view! {
        <h3>{td_string!(locale, dashboard.figures)}</h3>
        <dl class="figures">
            {rows
                .into_iter()
                .map(|(key, label, value)| view! {
                    <div class="figure" data-figure=key><dt>{label}</dt><dd>{value}</dd></div>
                })
                .collect_view()}
        </dl>
    }
}

/// The county table in the order the domain gives (default counties first, unset last).
fn county_table(
    locale: Locale,
    rows: &[CountyRow],
    table_id: &'static str,
) -> impl IntoView + use<> {
    let rows = rows.to_vec();
    view! {
        <table class="county-table" id=table_id>
            <thead>
                <tr>
                    <th scope="col">{td_string!(locale, dashboard.county)}</th>
                    {Measure::ALL.into_iter().map(|m| view! { <th scope="col">{labels::measure(locale, m)}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| view! {
                        <tr data-county=row.county.clone()>
                            <th scope="row">{county_name(locale, &row.county)}</th>
                            {Measure::ALL.into_iter().map(|m| view! { <td>{figure(county_value(&row, m))}</td> }).collect_view()}
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn CountyBreakdown(year: Memo<i32>, measure: RwSignal<Measure>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = Memo::new(move |_| app.ledger.with(|l| progress::by_county(l, year.get())));
    let bars = Signal::derive(move || {
        let locale = i18n.get_locale();
        let m = measure.get();
        rows.with(|rows| {
            rows.iter()
                .map(|row| Bar {
                    label: county_name(locale, &row.county),
                    value: county_value(row, m),
                })
                .collect()
        })
    });
    let label = Signal::derive(move || {
        let locale = i18n.get_locale();
        td_string!(
            locale,
            dashboard.chart_label,
            measure = labels::measure(locale, measure.get()),
            scope = td_string!(locale, dashboard.by_county),
            values = bars.with(|b: &Vec<Bar>| describe(b))
        )
    });
    view! {
        <h3>{crate::tr(i18n, |l| td_string!(l, dashboard.by_county))}</h3>
        <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! { <p class="empty">{crate::tr(i18n, |l| td_string!(l, dashboard.no_data))}</p> }>
            <HorizontalBars label bars />
            {move || rows.with(|r| county_table(i18n.get_locale(), r, "county-table"))}
        </Show>
    }
}

#[component]
fn MonthBreakdown(year: Memo<i32>, measure: RwSignal<Measure>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = Memo::new(move |_| app.ledger.with(|l| progress::by_month(l, year.get())));
    let bars = Signal::derive(move || {
        let m = measure.get();
        rows.with(|rows| {
            rows.iter()
                .map(|row| Bar {
                    label: row.month.to_string(),
                    value: month_value(row, m),
                })
                .collect()
        })
    });
    let label = Signal::derive(move || {
        let locale = i18n.get_locale();
        let described: Vec<Bar> = rows.with(|rows| {
            rows.iter()
                .map(|row| Bar {
                    label: td_string!(locale, dashboard.month_n, n = row.month),
                    value: month_value(row, measure.get()),
                })
                .collect()
        });
        td_string!(
            locale,
            dashboard.chart_label,
            measure = labels::measure(locale, measure.get()),
            scope = td_string!(locale, dashboard.by_month),
            values = describe(&described)
        )
    });
    view! {
        <h3>{crate::tr(i18n, |l| td_string!(l, dashboard.by_month))}</h3>
        <Columns label bars />
        <details class="chart-table">
            <summary>{crate::tr(i18n, |l| td_string!(l, dashboard.show_table))}</summary>
            {move || {
                let locale = i18n.get_locale();
                view! {
                    <table class="month-table">
                        <thead>
                            <tr>
                                <th scope="col">{td_string!(locale, dashboard.month)}</th>
                                {Measure::ALL.into_iter().map(|m| view! { <th scope="col">{labels::measure(locale, m)}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows.get().into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row">{td_string!(locale, dashboard.month_n, n = row.month)}</th>
                                    {Measure::ALL.into_iter().map(|m| view! { <td>{figure(month_value(&row, m))}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }}
        </details>
    }
}

/// The printable summary of a year, in the style of the bureau's report: A4, dates as
/// yyyy-mm-dd, the targets with their figures, the county table, and the lists of
/// technologies promoted and trainings held.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let year = chosen_year();
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <article class="report">
            <div class="no-print actions">
                <button class="primary" id="print-report" on:click=print>{crate::tr(i18n, |l| td_string!(l, report.print))}</button>
                <A href=move || app_href(&format!("/?year={}", year.get())) attr:class="button">{crate::tr(i18n, |l| td_string!(l, report.back))}</A>
            </div>
            {move || {
                let locale = i18n.get_locale();
                let year = year.get();
                let today = browser::today();
                let (totals, counties, promoted, trainings) = app.ledger.with(|l| {
                    let totals = progress::year_totals(l, year);
                    let counties = progress::by_county(l, year);
                    let promoted: Vec<Record> = progress::technologies_promoted_in(l, year).into_iter().cloned().collect();
                    let trainings: Vec<Record> = progress::trainings_in(l, year).into_iter().cloned().collect();
                    (totals, counties, promoted, trainings)
                });
                let targets = app.settings.with(|s| s.targets_for(year));
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
                            <td>{t.partners.join("、")}</td>
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

/// Loading the sample data on an empty ledger, and removing it again in one step.
#[component]
pub fn SampleData() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let status = RwSignal::new(None::<String>);
    let sample_count = move || app.ledger.with(|l| l.sample_ids().len());
    let offer = move || app.ledger.with(|l| !l.has_real_records()) && sample_count() == 0;
    let load = move |_| {
        let locale = i18n.get_locale_untracked();
        status.set(Some(match app.load_sample() {
            Ok(count) => td_string!(locale, sample.loaded, count),
            Err(error) => td_string!(
                locale,
                sample.failed,
                reason = labels::storage_error(locale, &error)
            ),
        }));
    };
    let remove = move |_| {
        let locale = i18n.get_locale_untracked();
        status.set(Some(match app.remove_sample() {
            Ok(count) => td_string!(locale, sample.removed, count),
            Err(error) => td_string!(
                locale,
                sample.failed,
                reason = labels::storage_error(locale, &error)
            ),
        }));
    };
    view! {
        <Show when=move || offer() || { sample_count() > 0 } || status.with(Option::is_some)>
            <section class="sample card" aria-labelledby="sample-title">
                <h2 id="sample-title">{crate::tr(i18n, |l| td_string!(l, sample.title))}</h2>
                <Show when=offer>
                    <p>{crate::tr(i18n, |l| td_string!(l, sample.offer))}</p>
                    <button class="primary" id="load-sample" on:click=load>{crate::tr(i18n, |l| td_string!(l, sample.load))}</button>
                </Show>
                <Show when=move || { sample_count() > 0 }>
                    <p>{move || t_string!(i18n, sample.present, count = sample_count())}</p>
                    <button id="remove-sample" on:click=remove>{crate::tr(i18n, |l| td_string!(l, sample.remove))}</button>
                </Show>
                <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
            </section>
        </Show>
    }
}
