//! What the counting tests look at: a year's or half-year's period, a period's totals by the
//! default counting, the settings' county list, and the column sums of a county table.

use super::build::TODAY;
use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::totals::{self, Counting, CountyRow, Totals};
use field_ledger::domain::*;

/// One of a year's periods, as of [`TODAY`].
pub fn preset(year: i32, preset: Preset) -> Period {
    Period::preset(year, preset, TODAY).expect("a year the calendar has")
}

/// The whole of `year`.
pub fn year(year: i32) -> Period {
    preset(year, Preset::Year)
}

/// The period's totals, every farmer and technician training counting, as of [`TODAY`].
pub fn totals_in(ledger: &Ledger, period: Period) -> Totals {
    totals::totals(ledger, period, &Counting::default(), TODAY)
}

/// The totals of a period in which nothing happened: what a test fills in with the figures
/// it is about (`Totals { trainings: 4, ..nothing(period) }`).
pub fn nothing(period: Period) -> Totals {
    totals_in(&Ledger::default(), period)
}

/// The county list of fresh settings: the default counties, in their order.
pub fn counties() -> Vec<String> {
    Settings::new("device".into()).counties()
}

/// The period's county table with the default counting and counties.
pub fn county_table(ledger: &Ledger, period: Period) -> (Vec<CountyRow>, CountyRow) {
    totals::by_county(ledger, period, &Counting::default(), &counties())
}

/// Every column of the rows added up (the county left empty): what the 合计 row must say.
pub fn column_sums(rows: &[CountyRow]) -> CountyRow {
    rows.iter()
        .fold(CountyRow::default(), |sum, row| CountyRow {
            county: String::new(),
            trainings: sum.trainings + row.trainings,
            attendance: sum.attendance + row.attendance,
            technologies_promoted: sum.technologies_promoted + row.technologies_promoted,
            demonstrations: sum.demonstrations + row.demonstrations,
            visits: sum.visits + row.visits,
        })
}

/// A row's figures in table order: trainings, 人次, promoted, demonstrations, visits.
pub fn figures(row: &CountyRow) -> [u32; 5] {
    [
        row.trainings,
        row.attendance,
        row.technologies_promoted,
        row.demonstrations,
        row.visits,
    ]
}

/// Every row's county with its figures, as the table lists them.
pub fn county_figures(rows: &[CountyRow]) -> Vec<(&str, [u32; 5])> {
    rows.iter()
        .map(|r| (r.county.as_str(), figures(r)))
        .collect()
}

/// The period's totals in the county table's columns: what its 合计 row must say.
pub fn table_figures(totals: &Totals) -> [u32; 5] {
    [
        totals.trainings,
        totals.attendance,
        totals.technologies_promoted,
        totals.technologies_demonstrated,
        totals.visits,
    ]
}

/// The report's opening paragraph for `period` of `ledger`, as the report writes it: the
/// period's figures, the year's from 1 January to its end, the same period a year earlier,
/// against the year's default targets, judged on `today`.
pub fn paragraph_of(
    ledger: &Ledger,
    period: Period,
    today: time::Date,
    language: Language,
) -> String {
    use field_ledger::domain::report::Narrative;
    let counting = Counting::default();
    let own = totals::totals(ledger, period, &counting, today);
    let year_so_far = totals::year_so_far(ledger, &own, &counting, today);
    let year_before = totals::same_period_last_year(ledger, period, &counting, today);
    let targets = period.year().map(YearTargets::defaults);
    Narrative {
        totals: &own,
        year_so_far: year_so_far.as_ref(),
        year_before: year_before.as_ref(),
        targets: targets.as_ref(),
        today,
    }
    .text(language)
}
