//! Record list filters: what the list page shows, and how the filter reads from and writes to the URL.
//!
//! Matching rules: the county matches exactly (a training's or visit's `place.county`, a
//! technology's `county`); the date range is inclusive on [`Record::date`], and a record with
//! no date fails any date bound; stage and category apply to technologies only, the training
//! type to trainings only, the host type to visits only (a field that does not apply to the
//! kind is ignored). The text is split on whitespace and every term must occur, ignoring case,
//! in the record's searchable text (see [`searchable_fields`]).

use serde::{Serialize, de::DeserializeOwned};
use time::Date;
use uuid::Uuid;

use super::input::{format_date, parse_date};
use super::ledger::Ledger;
use super::record::{HostType, Record, RecordBody, RecordKind, Stage, TechCategory, TrainingType};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    #[default]
    NewestFirst,
    /// The exact reverse of newest first.
    OldestFirst,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Search text as typed; whitespace separates terms.
    pub text: String,
    /// Exact county name; empty for any county.
    pub county: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub stage: Option<Stage>,
    pub category: Option<TechCategory>,
    pub training_type: Option<TrainingType>,
    pub host_type: Option<HostType>,
    pub sort: SortOrder,
}

/// An enum value's serde name (the snake_case name used in records), for the URL.
pub fn serde_name<T: Serialize>(value: T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Some(name),
        _ => None,
    }
}

/// The enum value with this serde name, if any.
fn from_serde_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

impl ListFilter {
    /// Reads the query string pairs (already percent-decoded): q, county, from, to
    /// (yyyy-mm-dd), stage, category, type (training type), host (host type), sort ("oldest");
    /// the enum values are their serde snake_case names. Unknown keys and unreadable values are
    /// ignored (a bookmarked URL never breaks the page); a repeated key keeps its last value.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut filter = ListFilter::default();
        for (key, value) in pairs {
            match key {
                "q" => filter.text = value.to_owned(),
                "county" => filter.county = value.to_owned(),
                "from" => filter.from = parse_date(value),
                "to" => filter.to = parse_date(value),
                "stage" => filter.stage = from_serde_name(value),
                "category" => filter.category = from_serde_name(value),
                "type" => filter.training_type = from_serde_name(value),
                "host" => filter.host_type = from_serde_name(value),
                "sort" => {
                    filter.sort = match value {
                        "oldest" => SortOrder::OldestFirst,
                        _ => SortOrder::NewestFirst,
                    }
                }
                _ => {}
            }
        }
        filter
    }

    /// The non-default fields as (key, value) pairs in a fixed order, for the URL.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if !self.county.is_empty() {
            pairs.push(("county", self.county.clone()));
        }
        if let Some(from) = self.from {
            pairs.push(("from", format_date(from)));
        }
        if let Some(to) = self.to {
            pairs.push(("to", format_date(to)));
        }
        let enums = [
            ("stage", self.stage.and_then(serde_name)),
            ("category", self.category.and_then(serde_name)),
            ("type", self.training_type.and_then(serde_name)),
            ("host", self.host_type.and_then(serde_name)),
        ];
        for (key, value) in enums {
            if let Some(value) = value {
                pairs.push((key, value));
            }
        }
        if self.sort == SortOrder::OldestFirst {
            pairs.push(("sort", "oldest".to_owned()));
        }
        pairs
    }

    /// Anything other than the default (which shows every record, newest first).
    pub fn is_active(&self) -> bool {
        *self != ListFilter::default()
    }

    /// The search terms, lowercased.
    fn terms(&self) -> Vec<String> {
        self.text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }
}

/// The fields of a record that decide the non-text part of a match.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Facets {
    Training(TrainingType),
    Technology(Stage, TechCategory),
    Visit(HostType),
}

fn facets(record: &Record) -> Facets {
    match &record.body {
        RecordBody::Training(t) => Facets::Training(t.training_type),
        RecordBody::Technology(t) => Facets::Technology(t.stage, t.category),
        RecordBody::Visit(v) => Facets::Visit(v.host_type),
    }
}

fn county(record: &Record) -> &str {
    match &record.body {
        RecordBody::Training(t) => &t.place.county,
        RecordBody::Technology(t) => &t.county,
        RecordBody::Visit(v) => &v.place.county,
    }
}

/// Every text a search looks in: training topic, trainers, organiser, place, subjects, notes;
/// technology name, partners, site, county, notes; visit host, commissioners, team name,
/// place, problems, advice, technologies named, notes.
pub fn searchable_fields(record: &Record) -> Vec<&str> {
    let mut fields: Vec<&str> = Vec::new();
    match &record.body {
        RecordBody::Training(t) => {
            fields.push(&t.topic);
            fields.extend(t.trainers.iter().map(String::as_str));
            fields.push(&t.organiser);
            fields
                .extend([&t.place.county, &t.place.township, &t.place.village].map(String::as_str));
            fields.extend(t.subjects.iter().map(String::as_str));
            fields.push(&t.notes);
        }
        RecordBody::Technology(t) => {
            fields.push(&t.name);
            fields.extend(t.partners.iter().map(String::as_str));
            fields.extend([&t.site, &t.county, &t.notes].map(String::as_str));
        }
        RecordBody::Visit(v) => {
            fields.push(&v.host);
            fields.extend(v.commissioners.iter().map(String::as_str));
            fields.push(&v.team_name);
            fields
                .extend([&v.place.county, &v.place.township, &v.place.village].map(String::as_str));
            fields.extend([&v.problems, &v.advice].map(String::as_str));
            fields.extend(v.technologies.iter().map(String::as_str));
            fields.push(&v.notes);
        }
    }
    fields
}

/// Everything but the text.
fn matches_facets(
    filter: &ListFilter,
    record_county: &str,
    date: Option<Date>,
    facets: Facets,
) -> bool {
    if !filter.county.is_empty() && record_county != filter.county {
        return false;
    }
    if filter.from.is_some() || filter.to.is_some() {
        let Some(date) = date else {
            return false;
        };
        if filter.from.is_some_and(|from| date < from) || filter.to.is_some_and(|to| date > to) {
            return false;
        }
    }
    match facets {
        Facets::Training(kind) => filter.training_type.is_none_or(|t| t == kind),
        Facets::Technology(stage, category) => {
            filter.stage.is_none_or(|s| s == stage) && filter.category.is_none_or(|c| c == category)
        }
        Facets::Visit(host_type) => filter.host_type.is_none_or(|h| h == host_type),
    }
}

/// The plain, unindexed rule (used by tests as the reference): whether one record matches.
pub fn matches(record: &Record, filter: &ListFilter) -> bool {
    if !matches_facets(filter, county(record), record.date(), facets(record)) {
        return false;
    }
    let fields: Vec<String> = searchable_fields(record)
        .into_iter()
        .map(str::to_lowercase)
        .collect();
    filter
        .terms()
        .iter()
        .all(|term| fields.iter().any(|field| field.contains(term.as_str())))
}

/// One record as the index keeps it.
#[derive(Clone, Debug)]
struct Entry {
    id: Uuid,
    date: Option<Date>,
    county: String,
    facets: Facets,
    /// The searchable fields, lowercased, one per line. Terms hold no whitespace, so a term
    /// found here lies within one field.
    haystack: String,
}

/// A prepared list for fast filtering: live records of one kind, sorted newest first (same
/// order as [`Ledger::list`]), each with a lowercase search text built once.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

impl SearchIndex {
    pub fn new(ledger: &Ledger, kind: RecordKind) -> Self {
        let entries = ledger
            .list(kind)
            .into_iter()
            .map(|record| Entry {
                id: record.id,
                date: record.date(),
                county: county(record).to_owned(),
                facets: facets(record),
                haystack: searchable_fields(record).join("\n").to_lowercase(),
            })
            .collect();
        SearchIndex { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Ids of the matching records in the filter's sort order.
    pub fn filter(&self, filter: &ListFilter) -> Vec<Uuid> {
        let terms = filter.terms();
        let keep = |entry: &&Entry| {
            matches_facets(filter, &entry.county, entry.date, entry.facets)
                && terms
                    .iter()
                    .all(|term| entry.haystack.contains(term.as_str()))
        };
        match filter.sort {
            SortOrder::NewestFirst => self.entries.iter().filter(keep).map(|e| e.id).collect(),
            SortOrder::OldestFirst => self
                .entries
                .iter()
                .rev()
                .filter(keep)
                .map(|e| e.id)
                .collect(),
        }
    }
}
