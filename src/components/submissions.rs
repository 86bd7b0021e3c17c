//! 报送情况, on the coordinator's home: one row per officer known from imported files and
//! records, and the expected officers (Settings) who have sent nothing for the period, who
//! stand out. Sortable by any column, printable on its own.

use std::cmp::Ordering;

use leptos::prelude::*;

use crate::browser;
use crate::components::labels;
use crate::components::period_picker::{period_name, use_period};
use crate::domain::order;
use crate::domain::submissions::{SubmissionRow, missing_count, submission_rows};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;

/// The columns a table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    County,
    Team,
    LastFile,
    Records,
    InPeriod,
}

impl Column {
    const ALL: [Column; 6] = [
        Column::Name,
        Column::County,
        Column::Team,
        Column::LastFile,
        Column::Records,
        Column::InPeriod,
    ];

    fn title(self, locale: Locale) -> &'static str {
        match self {
            Column::Name => td_string!(locale, submissions.name),
            Column::County => td_string!(locale, submissions.county),
            Column::Team => td_string!(locale, submissions.team),
            Column::LastFile => td_string!(locale, submissions.last_file),
            Column::Records => td_string!(locale, submissions.records),
            Column::InPeriod => td_string!(locale, submissions.in_period),
        }
    }

    /// How two rows compare by this column.
    fn compare(self, a: &SubmissionRow, b: &SubmissionRow) -> Ordering {
        match self {
            Column::Name => a.name.cmp(&b.name),
            Column::County => a.county.cmp(&b.county),
            Column::Team => a.team.cmp(&b.team),
            Column::LastFile => a.last_file.cmp(&b.last_file),
            Column::Records => a.records.cmp(&b.records),
            Column::InPeriod => a.in_period.cmp(&b.in_period),
        }
    }
}

#[component]
pub fn SubmissionStatus() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let period = use_period();
    let sort = RwSignal::new((Column::Name, false));
    let rows = Memo::new(move |_| {
        let mut rows = app.settings.settings.with(|s| {
            app.records
                .ledger
                .with(|l| submission_rows(l, &s.imports, &s.expected_officers, &period.get()))
        });
        let (column, descending) = sort.get();
        // The officers who sent nothing stand out at the top, whatever the order; rows the
        // column does not tell apart keep theirs (by name).
        order::sort_by(&mut rows, |a, b| {
            let by_column = column.compare(a, b);
            b.is_missing().cmp(&a.is_missing()).then(if descending {
                by_column.reverse()
            } else {
                by_column
            })
        });
        rows
    });
    let missing = move || rows.with(|r| missing_count(r));
    let sort_by = move |column: Column| {
        sort.update(|(current, descending)| {
            *descending = *current == column && !*descending;
            *current = column;
        })
    };
    view! {
        <section class="submissions card" id="submissions" aria-labelledby="submissions-title">
            <div class="page-head">
                <h2 id="submissions-title">{tr!(i18n, submissions.title)}</h2>
                <button class="no-print" id="print-submissions" on:click=move |_| browser::print_only("submissions")>
                    {tr!(i18n, submissions.print)}
                </button>
            </div>
            <p class="period-status">{move || period_name(i18n.get_locale(), &period.get())}</p>
            <p class="hint" id="submissions-missing">
                // With no list, "everyone on it has sent" would be true and misleading.
                {move || match missing() {
                    None => String::new(),
                    Some(0) => td_string!(i18n.get_locale(), submissions.none_missing).to_owned(),
                    Some(n) => td_string!(i18n.get_locale(), submissions.some_missing, count = n),
                }}
            </p>
            <Show when=move || rows.with(|r| !r.is_empty())
                fallback=move || view! { <p class="empty">{tr!(i18n, submissions.empty)}</p> }>
                <div class="table-scroll">
                    <table class="submission-table" id="submission-table">
                        <thead><tr>
                            {Column::ALL.into_iter().map(|column| {
                                let ordered = move || {
                                    let (current, descending) = sort.get();
                                    match (current == column, descending) {
                                        (false, _) => "none",
                                        (true, false) => "ascending",
                                        (true, true) => "descending",
                                    }
                                };
                                view! {
                                    <th scope="col" aria-sort=ordered>
                                        <button class="sort" on:click=move |_| sort_by(column)>
                                            {move || column.title(i18n.get_locale())}
                                        </button>
                                    </th>
                                }
                            }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {move || {
                                let locale = i18n.get_locale();
                                rows.get().into_iter().map(|row| {
                                    let missing = row.is_missing();
                                    let last = row
                                        .last_file
                                        .map(browser::local_time)
                                        .unwrap_or_else(|| td_string!(locale, submissions.no_file).to_owned());
                                    let county = if row.county.is_empty() { String::new() } else { labels::county(locale, &row.county) };
                                    view! {
                                        <tr class:missing=missing data-name=row.name.clone()>
                                            <th scope="row">
                                                {row.name.clone()}
                                                {missing.then(|| view! { " " <span class="badge missing-badge">{td_string!(locale, submissions.missing)}</span> })}
                                            </th>
                                            <td>{county}</td>
                                            <td>{row.team}</td>
                                            <td>{last}</td>
                                            <td class="records">{row.records}</td>
                                            <td class="in-period">{row.in_period}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
