//! Progress in a period against the year's targets (on the coordinator's home): each target
//! with its pace at the period's end; below them (fetched when scrolled to) the figures with
//! the same period a year earlier, and the county and month breakdowns. The counting itself
//! is in `domain::totals`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::browser;
use crate::components::charts::{Bar, Columns, HorizontalBars, describe, figure};
use crate::components::labels;
use crate::components::period_picker::{PeriodPicker, period_name, use_period};
use crate::components::sync_text::SourcePicker;
use crate::components::when_visible::WhenVisible;
use crate::domain::RecordKind;
use crate::domain::kinds::TrainingType;
use crate::domain::order;
use crate::domain::period::Period;
use crate::domain::progress::{Measure, Pace, TargetLine, target_lines};
use crate::domain::report::change;
use crate::domain::totals::{
    self, Counting, CountyRow, DemandFigures, MonthRow, Scope, TeamRow, Totals,
};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::use_app;

fn month_value(row: &MonthRow, measure: Measure) -> f64 {
    f64::from(match measure {
        Measure::Trainings => row.trainings,
        Measure::Attendance => row.attendance,
        Measure::TechnologiesPromoted => row.technologies_promoted,
        Measure::Demonstrations => row.demonstrations,
        Measure::Visits => row.visits,
    })
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

/// Whose records the dashboard counts, as the address says (`?scope=county:盖州市`).
fn use_scope() -> Memo<Scope> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            q.get("scope")
                .map(|s| Scope::from_query(&s))
                .unwrap_or_default()
        })
    })
}

/// `work` over the ledger as `scope` sees it (the ledger itself for everything).
fn with_scoped<T>(scope: Scope, work: impl FnOnce(&crate::domain::Ledger) -> T) -> T {
    let app = use_app();
    if scope == Scope::All {
        return app.records.ledger.with(work);
    }
    let scoped = app.records.ledger.with(|l| totals::scoped(l, &scope));
    work(&scoped)
}

/// All, a county, a team or one officer: the choice goes to the address.
#[component]
fn ScopePicker(scope: Memo<Scope>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let query = use_query_map();
    let navigate = leptos_router::hooks::use_navigate();
    let choices = Memo::new(move |_| {
        let locale = i18n.get_locale();
        let mut choices = vec![(
            String::new(),
            td_string!(locale, dashboard.scope_all).to_owned(),
        )];
        app.settings.settings.with(|s| {
            for county in s.counties() {
                let name = labels::county(locale, &county);
                choices.push((Scope::County(county).to_query().unwrap_or_default(), name));
            }
        });
        app.records.ledger.with(|l| {
            let mut teams: Vec<String> = l
                .all()
                .filter(|r| !r.deleted)
                .filter_map(|r| match &r.body {
                    crate::domain::RecordBody::Visit(v) if !v.team_name.trim().is_empty() => {
                        Some(v.team_name.trim().to_owned())
                    }
                    _ => None,
                })
                .collect();
            order::sort_by(&mut teams, Ord::cmp);
            teams.dedup();
            for team in teams {
                let name = td_string!(locale, dashboard.scope_team, team = team.clone());
                choices.push((Scope::Team(team).to_query().unwrap_or_default(), name));
            }
            app.settings.settings.with(|s| {
                let rows = crate::domain::submissions::submission_rows(
                    l,
                    &s.imports,
                    &[],
                    &crate::domain::period::Period::current_half(browser::today()),
                );
                for row in rows {
                    if let Some(device) = row.device_id {
                        let name = td_string!(locale, dashboard.scope_officer, name = row.name);
                        choices.push((Scope::Device(device).to_query().unwrap_or_default(), name));
                    }
                }
            });
        });
        choices
    });
    let choose = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let mut pairs: Vec<(String, String)> = query.with_untracked(|q| {
            q.into_iter()
                .filter(|(k, _)| k.as_ref() != "scope")
                .map(|(k, v)| (k.to_string(), v.to_owned()))
                .collect()
        });
        if !chosen.is_empty() {
            pairs.push(("scope".to_owned(), chosen));
        }
        let pairs: Vec<(&str, String)> =
            pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        navigate(
            &Page::Home.path_with(&pairs),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    view! {
        <label class="inline-label">
            {tr!(i18n, dashboard.scope)}
            <select id="dashboard-scope" on:change=choose>
                {move || {
                    let current = scope.get().to_query().unwrap_or_default();
                    choices.get().into_iter().map(|(value, name)| {
                        let selected = value == current;
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

/// The dashboard's figures from the sync server's `facts` view ("server mode"): the target
/// cards (the year from 1 January to the period's end) and the period's county table.
#[component]
fn ServerDashboard(period: Memo<Period>) -> impl IntoView {
    use crate::components::sync_text::ServerModeProblem;
    use crate::replication::views::{Grouping, ServerTotals, judged_span, whole_months};
    let i18n = use_i18n();
    let app = use_app();
    let facts = LocalResource::new(move || {
        let (from, to) = judged_span(period.get());
        async move { app.sync.server_facts(from, to, Grouping::Facts).await }
    });
    view! {
        <section class="server-figures" id="server-figures" aria-live="polite">
            <p class="hint">{tr!(i18n, dashboard.server_note)}</p>
            {move || {
                let p = period.get();
                (!whole_months(p.from, p.to))
                    .then(|| view! { <p class="hint" id="server-months">{tr!(i18n, dashboard.server_whole_months)}</p> })
            }}
            {move || {
                let locale = i18n.get_locale();
                match facts.get() {
                    None => view! { <p id="server-loading">{td_string!(locale, dashboard.server_loading)}</p> }.into_any(),
                    Some(Err(failure)) => view! { <ServerModeProblem id="server-figures-error" failure /> }.into_any(),
                    Some(Ok(rows)) => {
                        let p = period.get_untracked();
                        let (counting, counties, targets) = app.settings.settings.with(|s| {
                            (s.counting.clone(), s.counties(), p.year().map(|year| s.targets_for(year)))
                        });
                        let server = ServerTotals::from_rows(&rows, p, &counting, &counties);
                        let lines = target_lines(
                            &server.totals,
                            server.year_so_far.as_ref(),
                            targets.as_ref(),
                            browser::today(),
                        );
                        view! {
                            {target_cards(locale, p, lines)}
                            <h3>{td_string!(locale, dashboard.by_county)}</h3>
                            {county_table(locale, &server.counties, &server.total, "server-county-table")}
                        }
                        .into_any()
                    }
                }
            }}
        </section>
    }
}

/// Progress on the home screen for the chosen period.
#[component]
pub fn Dashboard(
    /// Offers to count one county, team or officer only (the coordinator's home).
    #[prop(optional)]
    scoped: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let period = use_period();
    let scope = use_scope();
    let counting = Memo::new(move |_| app.settings.settings.with(|s| s.counting.clone()));
    let totals = Memo::new(move |_| {
        let counting = counting.get();
        with_scoped(scope.get(), |l| {
            totals::totals(l, period.get(), &counting, browser::today())
        })
    });
    let year_so_far = Memo::new(move |_| {
        let counting = counting.get();
        totals.with(|t| {
            with_scoped(scope.get(), |l| {
                totals::year_so_far(l, t, &counting, browser::today())
            })
        })
    });
    let lines = Memo::new(move |_| {
        let targets = period
            .get()
            .year()
            .map(|year| app.settings.settings.with(|s| s.targets_for(year)));
        totals.with(|t| {
            year_so_far
                .with(|so_far| target_lines(t, so_far.as_ref(), targets.as_ref(), browser::today()))
        })
    });
    // Server mode is the coordinator's (on their home), once a sync server is set up.
    let has_server = Memo::new(move |_| scoped && app.sync.offers_server_mode());
    let from_server = move || scoped && app.sync.server_mode();

    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <div class="page-head">
                <h2 id="dashboard-title">{tr!(i18n, dashboard.title)}</h2>
                <PeriodPicker page=Page::Home period />
                {scoped.then(|| view! { <ScopePicker scope /> })}
                {move || has_server.get().then(|| view! { <SourcePicker id="dashboard-source" /> })}
                <A href=move || Page::Report.href_with(&period.get().to_query()) attr:class="button" attr:id="open-report">
                    {tr!(i18n, dashboard.print)}
                </A>
            </div>
            <p class="period-status" id="period-status">
                {move || {
                    let locale = i18n.get_locale();
                    let p = period.get();
                    let mut text = period_name(locale, &p);
                    if p.is_open(browser::today()) {
                        text.push_str(td_string!(locale, period.not_over));
                    }
                    text
                }}
            </p>
            <Show when=from_server>{lazy_view!(lazy::server_dashboard(period))}</Show>
            <Show when=move || !from_server()>
            {move || target_cards(i18n.get_locale(), period.get(), lines.get())}
            <WhenVisible>{lazy_view!(lazy::dashboard_below(period, scope, counting, totals))}</WhenVisible>
            </Show>
        </section>
    }
}

/// The dashboard's figures below its target cards (a part of the app of its own, fetched when
/// scrolled to): every figure against the same period a year earlier, the demands and teams,
/// and the county and month breakdowns with their charts. The server's figures come with the
/// live sync's part, which a device with a sync server has loaded.
mod lazy {
    use leptos::prelude::*;

    use crate::domain::period::Period;
    use crate::domain::totals::{Counting, Scope, Totals};

    lazy_fn!(
        coordinator_below,
        pub fn dashboard_below(
            period: Memo<Period>,
            scope: Memo<Scope>,
            counting: Memo<Counting>,
            totals: Memo<Totals>,
        ) -> AnyView {
            view! { <super::DashboardBelow period scope counting totals /> }.into_any()
        }
    );

    lazy_fn!(
        live_sync,
        pub fn server_dashboard(period: Memo<Period>) -> AnyView {
            view! { <super::ServerDashboard period /> }.into_any()
        }
    );
}

/// The figures table, the demands and teams, the chart's measure and the county and month
/// breakdowns, for the dashboard's period and scope.
#[component]
fn DashboardBelow(
    period: Memo<Period>,
    scope: Memo<Scope>,
    counting: Memo<Counting>,
    totals: Memo<Totals>,
) -> impl IntoView {
    let i18n = use_i18n();
    let year_before = Memo::new(move |_| {
        let counting = counting.get();
        with_scoped(scope.get(), |l| {
            totals::same_period_last_year(l, period.get(), &counting, browser::today())
        })
    });
    let measure = RwSignal::new(Measure::Attendance);
    view! {
        {move || {
            let locale = i18n.get_locale();
            totals.with(|t| year_before.with(|b| figures_table(locale, t, b.as_ref())))
        }}
        {move || {
            let locale = i18n.get_locale();
            totals.with(|t| view! { {demand_figures(locale, t.demands)} {team_table(locale, &t.team_rows)} })
        }}
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
        <CountyBreakdown period scope measure />
        <MonthBreakdown period scope measure />
    }
}

/// The target cards: each target against the year's figure from 1 January to the period's
/// end (累计), with the period's own figure beside it when the period starts later; a
/// period across years says that it has no annual comparison.
fn target_cards(locale: Locale, period: Period, lines: Vec<TargetLine>) -> impl IntoView {
    if period.year_so_far().is_none() {
        return view! { <p class="hint" id="across-years">{td_string!(locale, dashboard.across_years)}</p> }
            .into_any();
    }
    let so_far = labels::year_so_far_apart(locale, &period);
    view! {
        <ul class="targets">
            {lines.into_iter().map(|line| target_card(locale, line, so_far.clone())).collect_view()}
        </ul>
    }
    .into_any()
}

fn target_card(locale: Locale, line: TargetLine, so_far: Option<String>) -> impl IntoView {
    let name = labels::measure(locale, line.measure);
    let width = line.percent.min(100);
    let in_period = so_far.is_some().then(|| {
        view! { <span class="in-period">{td_string!(locale, dashboard.in_period, n = line.in_period)}</span> }
    });
    view! {
        <li class="target card" data-measure=line.measure.slug() data-done=line.done
            data-in-period=line.in_period data-target=line.target>
            <span class="target-name">{name}</span>
            {so_far.map(|span| view! { <span class="so-far">{span}</span> })}
            <span class="target-figure">
                <b class="done">{line.done}</b>" / "<span class="goal">{line.target}</span>
            </span>
            {in_period}
            <div class="progress" role="progressbar" aria-label=name
                aria-valuemin="0" aria-valuemax=line.target aria-valuenow=line.done>
                <span style:width=format!("{width}%")></span>
            </div>
            <span class="percent">{td_string!(locale, dashboard.percent, percent = line.percent)}</span>
            <span class=format!("pace {}", pace_class(line.pace))>{labels::pace(locale, &line)}</span>
        </li>
    }
}

/// Every figure of the period, each with the same period a year earlier and the change when
/// that year has records.
fn figures_table(locale: Locale, t: &Totals, before: Option<&Totals>) -> impl IntoView + use<> {
    type Get = fn(&Totals) -> f64;
    let by_type = |ty: TrainingType, sessions: bool| {
        let s = t.sessions_of(ty);
        (if sessions { s.sessions } else { s.attendance }) as f64
    };
    let mut rows: Vec<(String, String, f64, Option<f64>)> = Vec::new();
    for ty in TrainingType::ALL {
        let name = labels::training_type(locale, ty);
        for (sessions, key, label) in [
            (
                true,
                "sessions",
                td_string!(locale, dashboard.type_sessions, name),
            ),
            (
                false,
                "attendance",
                td_string!(locale, dashboard.type_attendance, name),
            ),
        ] {
            let of = |totals: &Totals| {
                let s = totals.sessions_of(ty);
                f64::from(if sessions { s.sessions } else { s.attendance })
            };
            rows.push((
                format!("{}-{key}", crate::domain::form::serde_name(&ty)),
                label,
                by_type(ty, sessions),
                before.map(of),
            ));
        }
    }
    let plain: [(&str, &str, Get); 9] = [
        (
            "introduced",
            td_string!(locale, dashboard.introduced),
            |t| f64::from(t.technologies_introduced),
        ),
        (
            "demonstrated",
            td_string!(locale, dashboard.demonstrated),
            |t| f64::from(t.technologies_demonstrated),
        ),
        ("promoted", td_string!(locale, dashboard.promoted), |t| {
            f64::from(t.technologies_promoted)
        }),
        ("demo-area", td_string!(locale, dashboard.demo_area), |t| {
            t.demo_area_mu
        }),
        (
            "promoted-area",
            td_string!(locale, dashboard.promoted_area),
            |t| t.promoted_area_mu,
        ),
        ("visits", td_string!(locale, dashboard.visits), |t| {
            f64::from(t.visits)
        }),
        (
            "commissioners",
            td_string!(locale, dashboard.commissioners),
            |t| f64::from(t.commissioners),
        ),
        ("hosts", td_string!(locale, dashboard.hosts), |t| {
            f64::from(t.hosts)
        }),
        (
            "households",
            td_string!(locale, dashboard.households),
            |t| f64::from(t.households),
        ),
    ];
    rows.extend(
        plain
            .into_iter()
            .map(|(key, label, get)| (key.to_owned(), label.to_owned(), get(t), before.map(get))),
    );
    let compare = before.is_some();
    view! {
        <h3>{td_string!(locale, dashboard.figures)}</h3>
        <div class="table-scroll">
        <table class="figures" id="figures">
            <thead><tr>
                <th scope="col">{td_string!(locale, dashboard.figure)}</th>
                <th scope="col">{td_string!(locale, dashboard.this_period)}</th>
                {compare.then(|| view! {
                    <th scope="col">{td_string!(locale, dashboard.year_before)}</th>
                    <th scope="col">{td_string!(locale, dashboard.change)}</th>
                })}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(key, label, now, was)| view! {
                    <tr class="figure" data-figure=key>
                        <th scope="row">{label}</th>
                        <td class="now">{figure(now)}</td>
                        {was.map(|was| view! { <td class="before">{figure(was)}</td><td class="change">{change(now, was)}</td> })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// 技术需求: the demands collected in the period and what became of them (nothing when none
/// was collected).
fn demand_figures(locale: Locale, d: DemandFigures) -> Option<impl IntoView + use<>> {
    (d.collected > 0).then(|| {
        let figures = [
            ("demands-collected", td_string!(locale, dashboard.demands_collected), d.collected),
            ("demands-matched", td_string!(locale, dashboard.demands_matched), d.matched),
            ("demands-solved", td_string!(locale, dashboard.demands_solved), d.solved),
            ("demands-pending", td_string!(locale, dashboard.demands_pending), d.pending),
        ];
        view! {
            <section class="demand-figures" id="demand-figures" aria-labelledby="demand-figures-title">
                <h3 id="demand-figures-title">{td_string!(locale, dashboard.demands_title)}</h3>
                <div class="table-scroll">
                <table class="figures" id="demand-figures-table">
                    <thead><tr>
                        <th scope="col">{td_string!(locale, dashboard.figure)}</th>
                        <th scope="col">{td_string!(locale, dashboard.this_period)}</th>
                    </tr></thead>
                    <tbody>
                        {figures.into_iter().map(|(key, label, n)| view! {
                            <tr class="figure" data-figure=key>
                                <th scope="row">{label}</th>
                                <td class="now">{n}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
        }
    })
}

/// 分特派团情况: one row per team record of the period, its name a link to its page (nothing
/// without teams).
fn team_table(locale: Locale, rows: &[TeamRow]) -> Option<impl IntoView + use<>> {
    (!rows.is_empty()).then(|| {
        let rows = rows.to_vec();
        view! {
            <section class="team-rows" id="team-rows" aria-labelledby="team-rows-title">
                <h3 id="team-rows-title">{td_string!(locale, dashboard.teams_title)}</h3>
                <div class="table-scroll">
                <table class="team-table" id="team-table">
                    <thead><tr>
                        {labels::team_header(locale).into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let cells = labels::team_cells(locale, &row);
                            let href = Page::Detail(RecordKind::Team, row.id).href();
                            let link_text = row.name.clone();
                            view! {
                                <tr data-team=row.name data-id=row.id.to_string()>
                                    <th scope="row">
                                        <A href=href attr:class="team-link">{link_text}</A>
                                    </th>
                                    {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
        }
    })
}

/// A table's header: what its rows are, then one column per measure.
fn measure_header(locale: Locale, rows_are: &'static str) -> impl IntoView + use<> {
    view! {
        <thead>
            <tr>
                <th scope="col">{rows_are}</th>
                {Measure::ALL.into_iter().map(|m| view! { <th scope="col">{labels::measure(locale, m)}</th> }).collect_view()}
            </tr>
        </thead>
    }
}

/// The county table: every county of the list (zeros included), then the 合计 row.
pub(crate) fn county_table(
    locale: Locale,
    rows: &[CountyRow],
    total: &CountyRow,
    table_id: &'static str,
) -> impl IntoView + use<> {
    let rows = rows.to_vec();
    let total = total.clone();
    view! {
        <div class="table-scroll">
        <table class="county-table" id=table_id>
            {measure_header(locale, td_string!(locale, dashboard.county))}
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| view! {
                        <tr data-county=row.county.clone()>
                            <th scope="row">{labels::county_or_unset(locale, &row.county)}</th>
                            {Measure::ALL.into_iter().map(|m| view! { <td>{m.of_county(&row)}</td> }).collect_view()}
                        </tr>
                    })
                    .collect_view()}
            </tbody>
            <tfoot>
                <tr class="total">
                    <th scope="row">{td_string!(locale, dashboard.total)}</th>
                    {Measure::ALL.into_iter().map(|m| view! { <td>{m.of_county(&total)}</td> }).collect_view()}
                </tr>
            </tfoot>
        </table>
        </div>
    }
}

#[component]
fn CountyBreakdown(
    period: Memo<Period>,
    scope: Memo<Scope>,
    measure: RwSignal<Measure>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let table = Memo::new(move |_| {
        let counties = app.settings.settings.with(|s| s.counties());
        let counting = app.settings.settings.with(|s| s.counting.clone());
        with_scoped(scope.get(), |l| {
            totals::by_county(l, period.get(), &counting, &counties)
        })
    });
    let bars = Signal::derive(move || {
        let locale = i18n.get_locale();
        let m = measure.get();
        table.with(|(rows, _)| {
            rows.iter()
                .map(|row| Bar {
                    label: labels::county_or_unset(locale, &row.county),
                    value: f64::from(m.of_county(row)),
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
        <HorizontalBars label bars />
        {move || table.with(|(rows, total)| county_table(i18n.get_locale(), rows, total, "county-table"))}
    }
}

#[component]
fn MonthBreakdown(
    period: Memo<Period>,
    scope: Memo<Scope>,
    measure: RwSignal<Measure>,
) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = Memo::new(move |_| {
        let counting = app.settings.settings.with(|s| s.counting.clone());
        with_scoped(scope.get(), |l| {
            totals::by_month(l, period.get(), &counting)
        })
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
                    <div class="table-scroll">
                    <table class="month-table">
                        {measure_header(locale, td_string!(locale, dashboard.month))}
                        <tbody>
                            {rows.get().into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row">{td_string!(locale, dashboard.year_month, year = row.year, n = row.month)}</th>
                                    {Measure::ALL.into_iter().map(|m| view! { <td>{figure(month_value(&row, m))}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }
            }}
        </details>
    }
}
