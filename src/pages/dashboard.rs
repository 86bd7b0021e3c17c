//! The year's progress against its targets, on the home screen. The counting itself is in
//! `domain::progress`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::browser;
use crate::components::charts::{Bar, Columns, HorizontalBars, describe, figure};
use crate::components::labels;
use crate::domain::progress::{
    self, CountyRow, Measure, MonthRow, Pace, TargetProgress, YearTotals,
};
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_app;

/// The year named by `?year=` in the URL, or the newest year with records (the current year
/// when there are none), so that a bookmark or printout keeps its year.
pub(crate) fn chosen_year() -> Memo<i32> {
    let app = use_app();
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()))
            .filter(|y| (2000..=9999).contains(y))
            .unwrap_or_else(|| {
                app.records
                    .ledger
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
        let mut years = app
            .records
            .ledger
            .with(|l| progress::years(l, browser::today()));
        if !years.contains(&year.get()) {
            years.push(year.get());
            years.sort_by(|a, b| b.cmp(a));
        }
        years
    });
    let totals = Memo::new(move |_| {
        app.records
            .ledger
            .with(|l| progress::year_totals(l, year.get()))
    });
    let lines = Memo::new(move |_| {
        let targets = app.settings.settings.with(|s| s.targets_for(year.get()));
        totals.with(|t| progress::target_progress(t, &targets, browser::today()))
    });
    let measure = RwSignal::new(Measure::Attendance);
    let pick_year = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        navigate(
            &Page::Home.path_with(&[("year", chosen)]),
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
                <h2 id="dashboard-title">{tr!(i18n, dashboard.title)}</h2>
                <label class="inline-label">
                    {tr!(i18n, dashboard.year)}
                    <select id="dashboard-year" on:change=pick_year>
                        <For each=move || years.get() key=|y| *y let:y>
                            <option value=y.to_string() selected=move || year.get() == y>{y}</option>
                        </For>
                    </select>
                </label>
                <A href=move || Page::Report.href_with(&[("year", year.get().to_string())]) attr:class="button" attr:id="open-report">
                    {tr!(i18n, dashboard.print)}
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
                {tr!(i18n, dashboard.chart_measure)}
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
pub(crate) fn county_table(
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
    let rows = Memo::new(move |_| {
        app.records
            .ledger
            .with(|l| progress::by_county(l, year.get()))
    });
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
        <h3>{tr!(i18n, dashboard.by_county)}</h3>
        <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! { <p class="empty">{tr!(i18n, dashboard.no_data)}</p> }>
            <HorizontalBars label bars />
            {move || rows.with(|r| county_table(i18n.get_locale(), r, "county-table"))}
        </Show>
    }
}

#[component]
fn MonthBreakdown(year: Memo<i32>, measure: RwSignal<Measure>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = Memo::new(move |_| {
        app.records
            .ledger
            .with(|l| progress::by_month(l, year.get()))
    });
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
        <h3>{tr!(i18n, dashboard.by_month)}</h3>
        <Columns label bars />
        <details class="chart-table">
            <summary>{tr!(i18n, dashboard.show_table)}</summary>
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
