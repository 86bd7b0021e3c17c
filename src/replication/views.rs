//! "Server mode": the dashboard's figures from the sync server's `facts` view
//! (`server/views/facts.map.js`), for a city whose records no longer fit one browser. The
//! view sums, by `[year, month, county, fact]`, exactly what the app's county table counts.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

use super::engine::{SyncError, encode_component};
use crate::domain::totals::{Counting, CountyRow, county_table, fact_figures};

/// The view's rows for the months from `from` to `to` (whole months: the view has no days),
/// one per year, month, county and fact.
pub fn facts_path(from: Date, to: Date) -> String {
    let start = format!("[{},{}]", from.year(), u8::from(from.month()));
    let end = format!("[{},{},{{}}]", to.year(), u8::from(to.month()));
    format!(
        "_design/field-ledger/_view/facts?group_level=4&startkey={}&endkey={}",
        encode_component(&start),
        encode_component(&end)
    )
}

/// Whether `from`..`to` is made of whole months (else the server's figures cover more).
pub fn whole_months(from: Date, to: Date) -> bool {
    from.day() == 1 && to.next_day().is_none_or(|next| next.day() == 1)
}

/// One row of the `facts` view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactRow {
    pub county: String,
    pub fact: String,
    pub count: u32,
    pub attendance: u32,
}

#[derive(Deserialize)]
struct ViewAnswer {
    rows: Vec<ViewRow>,
}

#[derive(Deserialize)]
struct ViewRow {
    key: (i64, i64, String, String),
    value: (f64, f64),
}

/// Reads the view's answer. Never panics on what a server sends: anything unexpected is a
/// [`SyncError::BadAnswer`].
pub fn parse_facts(body: &str) -> Result<Vec<FactRow>, SyncError> {
    let answer: ViewAnswer = serde_json::from_str(body)
        .map_err(|e| SyncError::BadAnswer(format!("facts view: {e}")))?;
    let whole = |v: f64| (v.is_finite() && v >= 0.0).then(|| v.min(f64::from(u32::MAX)) as u32);
    answer
        .rows
        .into_iter()
        .map(|row| {
            let (_, _, county, fact) = row.key;
            match (whole(row.value.0), whole(row.value.1)) {
                (Some(count), Some(attendance)) => Ok(FactRow {
                    county: county.trim().to_owned(),
                    fact,
                    count,
                    attendance,
                }),
                _ => Err(SyncError::BadAnswer("facts view: not a count".into())),
            }
        })
        .collect()
}

/// The county table (with its 合计 row) from the view's rows, counted as the app counts.
pub fn county_rows(
    rows: &[FactRow],
    counting: &Counting,
    counties: &[String],
) -> (Vec<CountyRow>, CountyRow) {
    let mut tallies: BTreeMap<&str, CountyRow> = BTreeMap::new();
    for row in rows {
        if let Some(figures) = fact_figures(&row.fact, row.count, row.attendance, counting) {
            tallies.entry(&row.county).or_default().add(&figures);
        }
    }
    county_table(tallies, counties)
}
