//! Record list filters: what the list page shows, and how the filter reads from and writes to the URL.
//!
//! Matching rules: the county matches exactly (a record's county, or any of the counties a
//! team serves); a team applies to the kinds that link one (trainings, technologies, visits,
//! demands) and matches the team record they link; the date range is inclusive on [`Record::date`], and a record with
//! no date fails any date bound; a facet (a choice field its kind's form marks as one: stage
//! and category of technologies, the training type, the host type of visits) applies to the
//! kinds that have that field and is ignored by the others. The text is split on whitespace
//! and every term must occur, ignoring case, in the record's searchable text (see
//! [`searchable_fields`]).

use std::collections::{BTreeMap, HashMap};

use time::Date;
use uuid::Uuid;

use super::datetime_text::parse_date;
use super::form::{Field, Kind, Shown, format_date};
use super::ledger::Ledger;
use super::record::{Record, RecordBody, RecordKind};

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
    /// Exact county name; empty for any county. A team matches by any county it serves.
    pub county: String,
    /// The team record linked; applies to the kinds that link a team.
    pub team: Option<Uuid>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Chosen values of facet fields (serde names), in the order they were set.
    pub facets: Vec<(Field, String)>,
    pub sort: SortOrder,
}

/// The facet field a URL key names, in whichever kind has it.
fn facet_field(key: &str) -> Option<Field> {
    RecordKind::ALL
        .into_iter()
        .find_map(|kind| crate::with_kind!(kind, K => facet_of::<K>(key)))
}

fn facet_of<K: Kind>(key: &str) -> Option<Field> {
    K::FIELDS
        .iter()
        .find(|spec| spec.facet == Some(key))
        .map(|spec| spec.field)
}

/// The values a facet field offers (serde names), in whichever kind has it.
fn facet_options(field: Field) -> Vec<String> {
    RecordKind::ALL
        .into_iter()
        .find_map(
            |kind| crate::with_kind!(kind, K => K::spec(field).map(|spec| spec.info().options)),
        )
        .unwrap_or_default()
}

/// The URL key of a facet field.
fn facet_key(field: Field) -> Option<&'static str> {
    RecordKind::ALL
        .into_iter()
        .find_map(|kind| crate::with_kind!(kind, K => K::spec(field).and_then(|spec| spec.facet)))
}

impl ListFilter {
    /// Reads the query string pairs (already percent-decoded): q, county, from, to
    /// (yyyy-mm-dd), the facets' keys (stage, category, type for the training type, host for
    /// the host type) and sort ("oldest"); choices by their serde snake_case names. Unknown keys and unreadable values are
    /// ignored (a bookmarked URL never breaks the page); a repeated key keeps its last value.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut filter = ListFilter::default();
        for (key, value) in pairs {
            match key {
                "q" => filter.text = value.to_owned(),
                "county" => filter.county = value.to_owned(),
                "team" => filter.team = Uuid::parse_str(value).ok(),
                "from" => filter.from = parse_date(value),
                "to" => filter.to = parse_date(value),
                "sort" => {
                    filter.sort = match value {
                        "oldest" => SortOrder::OldestFirst,
                        _ => SortOrder::NewestFirst,
                    }
                }
                key => {
                    // A value no choice offers (an old or mistyped address) is ignored.
                    if let Some(field) = facet_field(key)
                        && facet_options(field).iter().any(|option| option == value)
                    {
                        filter.set_facet(field, Some(value.to_owned()));
                    }
                }
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
        if let Some(team) = self.team {
            pairs.push(("team", team.to_string()));
        }
        if let Some(from) = self.from {
            pairs.push(("from", format_date(from)));
        }
        if let Some(to) = self.to {
            pairs.push(("to", format_date(to)));
        }
        for (field, value) in &self.facets {
            if let Some(key) = facet_key(*field) {
                pairs.push((key, value.clone()));
            }
        }
        if self.sort == SortOrder::OldestFirst {
            pairs.push(("sort", "oldest".to_owned()));
        }
        pairs
    }

    /// The value chosen for a facet, if any.
    pub fn facet(&self, field: Field) -> Option<&str> {
        self.facets
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    /// Chooses a facet's value (`None`, or an empty name: any value).
    pub fn set_facet(&mut self, field: Field, value: Option<String>) {
        self.facets.retain(|(f, _)| *f != field);
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.facets.push((field, value));
        }
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

/// The facet values of a record: every facet field its kind has, with the record's value.
fn facets(body: &RecordBody) -> Vec<(Field, String)> {
    crate::with_body!(body, |b| facets_of(b))
}

fn facets_of<K: Kind>(body: &K) -> Vec<(Field, String)> {
    K::FIELDS
        .iter()
        .filter(|spec| spec.facet.is_some())
        .filter_map(|spec| match spec.shown(body) {
            Shown::Choice(name) => Some((spec.field, name)),
            _ => None,
        })
        .collect()
}

/// Every text a search looks in: every text and list field of the record's kind.
pub fn searchable_fields(record: &Record) -> Vec<&str> {
    crate::with_body!(&record.body, |b| texts_of(b))
}

fn texts_of<K: Kind>(body: &K) -> Vec<&str> {
    let mut fields = Vec::new();
    for spec in K::FIELDS {
        match spec.shown(body) {
            Shown::Text(text) => fields.push(text),
            Shown::List(items) => fields.extend(items.iter().map(String::as_str)),
            _ => {}
        }
    }
    fields
}

/// What the filter's choices look at in a record (everything but the text).
#[derive(Clone, Debug)]
struct Facts {
    /// Its county, or the counties a team serves.
    counties: Vec<String>,
    date: Option<Date>,
    facets: Vec<(Field, String)>,
    /// The team linked, for the kinds that can link one.
    team: Option<Option<Uuid>>,
}

impl Facts {
    fn of(record: &Record) -> Self {
        let body = &record.body;
        let counties = match body.shown(Field::Counties) {
            Some(Shown::List(items)) => items.iter().map(|c| c.trim().to_owned()).collect(),
            _ => vec![body.county().to_owned()],
        };
        let links_team = crate::with_kind!(body.kind(), K => K::spec(Field::TeamId).is_some());
        Facts {
            counties,
            date: record.date(),
            facets: facets(body),
            team: links_team.then(|| body.team_id()),
        }
    }
}

/// Everything but the text.
fn matches_facts(filter: &ListFilter, facts: &Facts) -> bool {
    if !filter.county.is_empty() && !facts.counties.contains(&filter.county) {
        return false;
    }
    if let (Some(wanted), Some(linked)) = (filter.team, facts.team)
        && linked != Some(wanted)
    {
        return false;
    }
    if filter.from.is_some() || filter.to.is_some() {
        let Some(date) = facts.date else {
            return false;
        };
        if filter.from.is_some_and(|from| date < from) || filter.to.is_some_and(|to| date > to) {
            return false;
        }
    }
    // A facet the record's kind does not have is ignored.
    filter.facets.iter().all(|(field, wanted)| {
        facts
            .facets
            .iter()
            .find(|(f, _)| f == field)
            .is_none_or(|(_, value)| value == wanted)
    })
}

/// The plain, unindexed rule (used by tests as the reference): whether one record matches.
pub fn matches(record: &Record, filter: &ListFilter) -> bool {
    if !matches_facts(filter, &Facts::of(record)) {
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
    facts: Facts,
    /// The searchable fields, lowercased, one per line. Terms hold no whitespace, so a term
    /// found here lies within one field.
    haystack: String,
}

/// Where a record stands in a list: newest first, as [`Ledger::list`] orders.
type ListKey = std::cmp::Reverse<(Option<time::Date>, time::OffsetDateTime, Uuid)>;

fn list_key(record: &Record) -> ListKey {
    std::cmp::Reverse((record.date(), record.updated_at, record.id))
}

/// A prepared list for fast filtering: live records of one kind, sorted newest first (same
/// order as [`Ledger::list`]), each with a lowercase search text built once. It follows the
/// ledger change by change ([`SearchIndex::refresh`]): a save prepares one record's text.
#[derive(Clone, Debug)]
pub struct SearchIndex {
    kind: RecordKind,
    /// The ledger's generation this index is up to.
    generation: u64,
    entries: BTreeMap<ListKey, Entry>,
    /// Where each record is in `entries`.
    keys: HashMap<Uuid, ListKey>,
}

impl SearchIndex {
    pub fn new(ledger: &Ledger, kind: RecordKind) -> Self {
        let mut index = SearchIndex {
            kind,
            generation: ledger.generation(),
            entries: BTreeMap::new(),
            keys: HashMap::new(),
        };
        for record in ledger.all() {
            index.insert(record);
        }
        index
    }

    /// Takes in what changed in the ledger since the index was last brought up to date: the
    /// records changed since, one by one, or all of them when the ledger no longer remembers
    /// that far back.
    pub fn refresh(&mut self, ledger: &Ledger) {
        if ledger.generation() == self.generation {
            return;
        }
        let Some(changed) = ledger.changed_since(self.generation) else {
            *self = SearchIndex::new(ledger, self.kind);
            return;
        };
        for id in changed {
            if let Some(key) = self.keys.remove(id) {
                self.entries.remove(&key);
            }
            if let Some(record) = ledger.get(id) {
                self.insert(record);
            }
        }
        self.generation = ledger.generation();
    }

    /// Adds a record when it is a live one of the index's kind.
    fn insert(&mut self, record: &Record) {
        if record.deleted || record.kind() != self.kind {
            return;
        }
        let key = list_key(record);
        self.keys.insert(record.id, key);
        self.entries.insert(
            key,
            Entry {
                id: record.id,
                facts: Facts::of(record),
                haystack: searchable_fields(record).join("\n").to_lowercase(),
            },
        );
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
            matches_facts(filter, &entry.facts)
                && terms
                    .iter()
                    .all(|term| entry.haystack.contains(term.as_str()))
        };
        match filter.sort {
            SortOrder::NewestFirst => self.entries.values().filter(keep).map(|e| e.id).collect(),
            SortOrder::OldestFirst => self
                .entries
                .values()
                .rev()
                .filter(keep)
                .map(|e| e.id)
                .collect(),
        }
    }
}
