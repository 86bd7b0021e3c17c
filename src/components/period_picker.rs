//! The period the dashboard and the report cover, kept in the address (`?period=h1&year=2022`
//! or `?from=…&to=…`) so that a link or a bookmark shows the same figures.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::browser;
use crate::domain::datetime_text::{format_date, parse_date};
use crate::domain::order;
use crate::domain::period::{Period, Preset};
use crate::domain::totals;
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::use_app;

/// The period the address names; without one, the current half-year, or (when that has no
/// records yet) the latest half-year that has some.
pub fn use_period() -> Memo<Period> {
    let app = use_app();
    let query = use_query_map();
    Memo::new(move |_| {
        let today = browser::today();
        let named = query.with(|q| {
            let pairs: Vec<(String, String)> = q
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_owned()))
                .collect();
            let named = pairs
                .iter()
                .any(|(k, _)| matches!(k.as_str(), "period" | "year" | "from" | "to"));
            named.then(|| {
                Period::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), today)
            })
        });
        named.unwrap_or_else(|| app.records.ledger.with(|l| default_period(l, today)))
    })
}

/// The seed report's half-year for a ledger holding only sample data; else the current
/// half-year, unless it has no records and an earlier half-year has.
fn default_period(ledger: &crate::domain::Ledger, today: time::Date) -> Period {
    let mut live = ledger.all().filter(|r| !r.deleted).peekable();
    if live.peek().is_some() && live.all(|r| r.sample) {
        let (year, half) = crate::domain::sample::SEED_PERIOD;
        if let Some(seed) = Period::preset(year, half, today) {
            return seed;
        }
    }
    let current = Period::current_half(today);
    if totals::any_in(ledger, current) {
        return current;
    }
    totals::years(ledger, today)
        .into_iter()
        .flat_map(|year| {
            [Preset::SecondHalf, Preset::FirstHalf]
                .into_iter()
                .filter_map(move |half| Period::preset(year, half, today))
        })
        .filter(|p| p.from <= today)
        .find(|p| totals::any_in(ledger, *p))
        .unwrap_or(current)
}

pub fn preset_name(locale: Locale, preset: Preset) -> &'static str {
    match preset {
        Preset::FirstHalf => td_string!(locale, period.first_half),
        Preset::SecondHalf => td_string!(locale, period.second_half),
        Preset::Quarter(1) => td_string!(locale, period.q1),
        Preset::Quarter(2) => td_string!(locale, period.q2),
        Preset::Quarter(3) => td_string!(locale, period.q3),
        Preset::Quarter(_) => td_string!(locale, period.q4),
        Preset::Year => td_string!(locale, period.year),
        Preset::YearToDate => td_string!(locale, period.year_to_date),
    }
}

/// The period in words: "2022 上半年", or the dates.
pub fn period_name(locale: Locale, period: &Period) -> String {
    match period.preset {
        Some((year, preset)) => td_string!(
            locale,
            period.named,
            year,
            name = preset_name(locale, preset)
        ),
        None => td_string!(
            locale,
            period.dates,
            from = format_date(period.from),
            to = format_date(period.to)
        ),
    }
}

/// Year, period of the year, or any dates; every choice goes to the address of `page`
/// (replacing the history entry, so Back leaves the page).
#[component]
pub fn PeriodPicker(page: Page, period: Memo<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let navigate = use_navigate();
    let go = StoredValue::new(move |next: Period| {
        navigate(
            &page.path_with(&next.to_query()),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let go = move |next: Period| go.with_value(|go| go(next));
    let years = Memo::new(move |_| {
        let mut years = app
            .records
            .ledger
            .with(|l| totals::years(l, browser::today()));
        if let Some(year) = period.with(|p| p.year())
            && !years.contains(&year)
        {
            years.push(year);
            order::sort_by(&mut years, |a, b| b.cmp(a));
        }
        years
    });
    let year = move || period.with(|p| p.preset.map(|(y, _)| y).unwrap_or(p.to.year()));
    let preset = move || period.with(|p| p.preset.map(|(_, p)| p.slug()).unwrap_or("custom"));
    let choose_preset = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let today = browser::today();
        match Preset::from_slug(&chosen) {
            Some(p) => {
                if let Some(next) = Period::preset(year(), p, today) {
                    go(next);
                }
            }
            // Any dates: start from the period shown.
            None => go(Period::custom(
                period.get_untracked().from,
                period.get_untracked().to,
            )),
        }
    };
    let choose_year = move |ev: leptos::ev::Event| {
        let Ok(chosen) = event_target_value(&ev).parse::<i32>() else {
            return;
        };
        let p = period
            .get_untracked()
            .preset
            .map(|(_, p)| p)
            .unwrap_or(Preset::Year);
        if let Some(next) = Period::preset(chosen, p, browser::today()) {
            go(next);
        }
    };
    let set_date = move |from: bool, text: String| {
        let Some(date) = parse_date(&text) else {
            return;
        };
        let current = period.get_untracked();
        go(if from {
            Period::custom(date, current.to.max(date))
        } else {
            Period::custom(current.from.min(date), date)
        });
    };
    view! {
        <div class="period-picker" role="group" aria-label=move || td_string!(i18n.get_locale(), period.label)>
            <label class="inline-label">
                {tr!(i18n, period.period)}
                <select id="period-preset" on:change=choose_preset>
                    {Preset::ALL.into_iter().map(|p| view! {
                        <option value=p.slug() selected=move || preset() == p.slug()>
                            {move || preset_name(i18n.get_locale(), p)}
                        </option>
                    }).collect_view()}
                    <option value="custom" selected=move || preset() == "custom">{tr!(i18n, period.custom)}</option>
                </select>
            </label>
            <Show when=move || preset() != "custom">
                <label class="inline-label">
                    {tr!(i18n, period.year_label)}
                    <select id="period-year" on:change=choose_year>
                        <For each=move || years.get() key=|y| *y let:y>
                            <option value=y.to_string() selected=move || year() == y>{y}</option>
                        </For>
                    </select>
                </label>
            </Show>
            <Show when=move || preset() == "custom">
                <label class="inline-label">
                    {tr!(i18n, filter.from)}
                    <input id="period-from" type="date" prop:value=move || format_date(period.get().from)
                        on:change=move |ev| set_date(true, event_target_value(&ev)) />
                </label>
                <label class="inline-label">
                    {tr!(i18n, filter.to)}
                    <input id="period-to" type="date" prop:value=move || format_date(period.get().to)
                        on:change=move |ev| set_date(false, event_target_value(&ev)) />
                </label>
            </Show>
        </div>
    }
}
