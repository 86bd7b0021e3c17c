//! "Server mode": the dashboard's and the report's figures from the sync server's `facts`
//! view (`server/views/facts.map.js`), for a city whose records no longer fit one browser.
//! The view sums, by `[year, month, county, fact, detail]`, what the app's totals count.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

use super::couch::{Leaf, read_leaf};
use super::engine::{SyncError, encode_component};
use crate::domain::form::{from_serde_name, serde_name};
use crate::domain::kinds::{HelpKind, HostType, TeamLevel, TrainingType};
use crate::domain::period::Period;
use crate::domain::totals::{Counting, CountyRow, Totals, VisitTally, county_table, fact_figures};
use crate::domain::{Record, RecordKind};

/// How finely the view's rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// By year, month, county and fact: the dashboard's tables.
    Facts,
    /// And by the fact's detail (a commissioner's, host's or team's name): the report's
    /// distinct counts.
    Details,
}

/// The view's rows for the months from `from` to `to` (whole months: the view has no days).
pub fn facts_path(from: Date, to: Date, grouping: Grouping) -> String {
    let start = format!("[{},{}]", from.year(), u8::from(from.month()));
    let end = format!("[{},{},{{}}]", to.year(), u8::from(to.month()));
    let level = match grouping {
        Grouping::Facts => 4,
        Grouping::Details => 5,
    };
    format!(
        "_design/field-ledger/_view/facts?group_level={level}&startkey={}&endkey={}",
        encode_component(&start),
        encode_component(&end)
    )
}

/// Whether `from`..`to` is made of whole months (else the server's figures cover more).
pub fn whole_months(from: Date, to: Date) -> bool {
    from.day() == 1 && to.next_day().is_none_or(|next| next.day() == 1)
}

/// One row of the `facts` view.
#[derive(Clone, Debug, PartialEq)]
pub struct FactRow {
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    pub county: String,
    pub fact: String,
    /// A name the fact is about ("" when the rows are not grouped by it, or it has none).
    pub detail: String,
    pub count: u32,
    /// Attendance (人次) of trainings, area (亩) of technologies; 0 for the other facts.
    pub amount: f64,
}

#[derive(Deserialize)]
struct ViewAnswer {
    rows: Vec<ViewRow>,
}

/// `[year, month, county, fact]` or with the detail.
#[derive(Deserialize)]
#[serde(untagged)]
enum Key {
    Detailed(i32, u8, String, String, String),
    Grouped(i32, u8, String, String),
}

#[derive(Deserialize)]
struct ViewRow {
    key: Key,
    value: (f64, f64),
}

/// Reads the view's answer. Never panics on what a server sends: anything unexpected is a
/// [`SyncError::BadAnswer`].
pub fn parse_facts(body: &str) -> Result<Vec<FactRow>, SyncError> {
    let answer: ViewAnswer =
        serde_json::from_str(body).map_err(|e| SyncError::BadAnswer(format!("facts view: {e}")))?;
    let not_negative = |v: f64| v.is_finite() && v >= 0.0;
    answer
        .rows
        .into_iter()
        .map(|row| {
            let (year, month, county, fact, detail) = match row.key {
                Key::Detailed(year, month, county, fact, detail) => {
                    (year, month, county, fact, detail)
                }
                Key::Grouped(year, month, county, fact) => {
                    (year, month, county, fact, String::new())
                }
            };
            let (count, amount) = row.value;
            if !(not_negative(count) && not_negative(amount)) {
                return Err(SyncError::BadAnswer("facts view: not a count".into()));
            }
            if !(1..=12).contains(&month) {
                return Err(SyncError::BadAnswer("facts view: not a month".into()));
            }
            Ok(FactRow {
                year,
                month,
                county: county.trim().to_owned(),
                fact,
                detail: detail.trim().to_owned(),
                count: count.min(f64::from(u32::MAX)) as u32,
                amount,
            })
        })
        .collect()
}

fn whole(amount: f64) -> u32 {
    amount.round().min(f64::from(u32::MAX)) as u32
}

impl FactRow {
    /// Whether the row's month lies in the months `period` touches.
    pub fn within(&self, period: Period) -> bool {
        let month = |d: Date| (d.year(), u8::from(d.month()));
        (month(period.from)..=month(period.to)).contains(&(self.year, self.month))
    }
}

/// The first and last day whose months a period's figures are fetched for: from 1 January
/// (the year so far, which the targets judge) to the period's end; across years only the
/// period's own.
pub fn judged_span(period: Period) -> (Date, Date) {
    let from = period
        .year_so_far()
        .map_or(period.from, |so_far| so_far.from);
    (from, period.to)
}

/// A period's figures from the server's view, counted as the app counts a ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerTotals {
    pub totals: Totals,
    /// From 1 January to the period's end (累计); `None` across years.
    pub year_so_far: Option<Totals>,
    /// The same period a year earlier, when the server has any figures for it.
    pub year_before: Option<Totals>,
    pub counties: Vec<CountyRow>,
    pub total: CountyRow,
}

impl ServerTotals {
    /// From the rows of the months of [`judged_span`]: the period's own figures are those of
    /// its months, the year so far all of them.
    pub fn from_rows(
        rows: &[FactRow],
        period: Period,
        counting: &Counting,
        counties: &[String],
    ) -> Self {
        let own: Vec<FactRow> = rows.iter().filter(|r| r.within(period)).cloned().collect();
        let (counties, total) = county_rows(&own, counting, counties);
        ServerTotals {
            totals: report_totals(&own, period, counting),
            year_so_far: period
                .year_so_far()
                .map(|so_far| report_totals(rows, so_far, counting)),
            year_before: None,
            counties,
            total,
        }
    }
}

/// The county table (with its 合计 row) from the view's rows, counted as the app counts.
pub fn county_rows(
    rows: &[FactRow],
    counting: &Counting,
    counties: &[String],
) -> (Vec<CountyRow>, CountyRow) {
    let mut tallies: BTreeMap<&str, CountyRow> = BTreeMap::new();
    for row in rows {
        if let Some(figures) = fact_figures(&row.fact, row.count, whole(row.amount), counting) {
            tallies.entry(&row.county).or_default().add(&figures);
        }
    }
    county_table(tallies, counties)
}

/// The report's figures for `period` from the view's rows grouped by [`Grouping::Details`],
/// counted as [`crate::domain::totals::totals`] counts a ledger. What needs one record
/// read beside another is not in the view and stays empty: follow-ups (which visit followed
/// up which) and the rows of team records.
pub fn report_totals(rows: &[FactRow], period: Period, counting: &Counting) -> Totals {
    let mut totals = Totals::empty(period);
    let mut tally = VisitTally::default();
    let add = |sum: &mut u32, n: u32| *sum = sum.saturating_add(n);
    for row in rows {
        let n = row.count;
        let detail = row.detail.as_str();
        let (fact, kind) = row.fact.split_once(':').unwrap_or((row.fact.as_str(), ""));
        match (fact, kind) {
            ("training", kind) => {
                if let Some(ty) = from_serde_name(&TrainingType::ALL, kind) {
                    totals.add_trainings(ty, n, whole(row.amount), counting);
                }
            }
            ("households", _) => add(&mut totals.households, n),
            ("technology", "introduced") => add(&mut totals.technologies_introduced, n),
            ("technology", "demonstrated") => {
                add(&mut totals.technologies_demonstrated, n);
                totals.demo_area_mu += row.amount;
            }
            ("technology", "promoted") => {
                add(&mut totals.technologies_promoted, n);
                totals.promoted_area_mu += row.amount;
            }
            ("visit", _) => add(&mut totals.visits, n),
            // The names behind the distinct counts: "" when the rows are not grouped by them.
            ("commissioner", _) if !detail.is_empty() => tally.commissioner(detail),
            ("host", kind) if !detail.is_empty() => {
                if let Some(ty) = from_serde_name(&HostType::ALL, kind) {
                    tally.host(detail, ty);
                }
            }
            ("help", kind) => {
                if let Some(help) = from_serde_name(&HelpKind::ALL, kind) {
                    tally.help(help, n);
                }
            }
            ("team", _) if !detail.is_empty() => tally.team_visits(detail, n),
            ("team-level", level) if !detail.is_empty() => {
                tally.team_level(detail, from_serde_name(&TeamLevel::ALL, level));
            }
            ("team-commissioner", team) if !detail.is_empty() => {
                tally.team_commissioner(team, detail);
            }
            ("demand", "") => add(&mut totals.demands.collected, n),
            ("demand", "matched") => add(&mut totals.demands.matched, n),
            ("demand", "solved") => add(&mut totals.demands.solved, n),
            ("demand", "pending") => add(&mut totals.demands.pending, n),
            _ => {}
        }
    }
    tally.finish(&mut totals);
    totals
}

/// Records per page of a list read from the server.
pub const LIST_PAGE: usize = 25;

/// Where the next page of a list read from the server starts: CouchDB's bookmark, or, from
/// a server that gives none (pouchdb-server), how many records came before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub bookmark: Option<String>,
    pub skip: usize,
}

/// One page of a list read from the server.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub records: Vec<Record>,
    /// Documents on the page that are not readable records (left out, counted).
    pub unreadable: usize,
    /// None on the last page.
    pub next: Option<Cursor>,
}

/// The body of a Mango `_find` for one page of a kind's live records, the latest changed
/// first: the index `[kind, updated_at]` made by `scripts/couchdb-setup.sh` serves it.
pub fn find_body(kind: RecordKind, cursor: &Cursor) -> String {
    let mut query = serde_json::json!({
        "selector": { "kind": serde_name(&kind), "updated_at": { "$gt": null } },
        "sort": [{ "kind": "desc" }, { "updated_at": "desc" }],
        "limit": LIST_PAGE,
    });
    match &cursor.bookmark {
        Some(bookmark) => query["bookmark"] = bookmark.as_str().into(),
        None if cursor.skip > 0 => query["skip"] = cursor.skip.into(),
        None => {}
    }
    query.to_string()
}

#[derive(Deserialize)]
struct FindAnswer {
    docs: Vec<serde_json::Value>,
    bookmark: Option<String>,
}

/// Reads a `_find` answer for the page that started at `cursor`. Each document is checked as
/// a synced one is; one that is not a readable record is left out and counted. Never panics
/// on what a server sends.
pub fn parse_find(body: &str, cursor: &Cursor, today: Date) -> Result<ListPage, SyncError> {
    let answer: FindAnswer =
        serde_json::from_str(body).map_err(|e| SyncError::BadAnswer(format!("_find: {e}")))?;
    let found = answer.docs.len();
    let mut records = Vec::with_capacity(found);
    let mut unreadable = 0;
    for doc in &answer.docs {
        let doc_id = doc.get("_id").and_then(|id| id.as_str());
        match doc_id.map(|doc_id| read_leaf(doc_id, doc, today)) {
            Some(Ok(Leaf {
                record: Some(record),
                ..
            })) => records.push(record),
            _ => unreadable += 1,
        }
    }
    let next = (found >= LIST_PAGE).then(|| match answer.bookmark {
        // CouchDB says "nil" when there is nothing after.
        Some(bookmark) if !bookmark.is_empty() && bookmark != "nil" => Cursor {
            bookmark: Some(bookmark),
            skip: 0,
        },
        _ => Cursor {
            bookmark: None,
            skip: cursor.skip + found,
        },
    });
    Ok(ListPage {
        records,
        unreadable,
        next,
    })
}
