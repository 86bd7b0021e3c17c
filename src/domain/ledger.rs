//! The set of records in memory, keyed by id, with the views the pages need. A change costs
//! in proportion to the records it changes: the counts per kind are kept as records come and
//! go, and the ids of the latest changes are remembered, so that an index over the ledger
//! (a list's search index) follows it change by change instead of being built again.

use std::collections::{BTreeMap, VecDeque};

use time::OffsetDateTime;
use uuid::Uuid;

use super::merge::{MergeReport, merge_record, outcome};
use super::order;
use super::record::{Record, RecordKind};

/// How many of the latest changes the ledger remembers for the indexes that follow it; an
/// index further behind is built again.
const REMEMBERED_CHANGES: usize = 512;

#[derive(Clone, Debug, Default)]
pub struct Ledger {
    records: BTreeMap<Uuid, Record>,
    /// Live records of each kind, by the kind's place in [`RecordKind::ALL`].
    live: [usize; RecordKind::ALL.len()],
    /// How many changes the ledger has seen.
    generation: u64,
    /// The ids of the latest changes, oldest first (at most [`REMEMBERED_CHANGES`]).
    recent: VecDeque<Uuid>,
}

/// Two ledgers are equal when they hold the same records, however they came to.
impl PartialEq for Ledger {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records
    }
}

fn kind_index(kind: RecordKind) -> usize {
    RecordKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

impl Ledger {
    pub fn from_records(records: impl IntoIterator<Item = Record>) -> Self {
        let mut ledger = Ledger::default();
        for record in records {
            ledger.put(record);
        }
        ledger
    }

    /// Stores a record, replacing any earlier revision with the same id.
    pub fn put(&mut self, record: Record) {
        let id = record.id;
        self.count_live(&record, 1);
        if let Some(earlier) = self.records.insert(id, record) {
            self.count_live(&earlier, -1);
        }
        self.changed(id);
    }

    /// Forgets a record entirely (only sample data is ever removed this way).
    pub fn remove(&mut self, id: &Uuid) -> Option<Record> {
        let removed = self.records.remove(id)?;
        self.count_live(&removed, -1);
        self.changed(*id);
        Some(removed)
    }

    fn count_live(&mut self, record: &Record, by: isize) {
        if !record.deleted {
            let count = &mut self.live[kind_index(record.kind())];
            *count = count.saturating_add_signed(by);
        }
    }

    fn changed(&mut self, id: Uuid) {
        self.generation += 1;
        if self.recent.len() == REMEMBERED_CHANGES {
            self.recent.pop_front();
        }
        self.recent.push_back(id);
    }

    /// How many changes the ledger has seen: what an index that follows it remembers.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The ids changed (put or removed) since `generation`, oldest first and possibly more
    /// than once; `None` when the ledger no longer remembers that far back.
    pub fn changed_since(&self, generation: u64) -> Option<impl Iterator<Item = &Uuid>> {
        let behind = usize::try_from(self.generation.checked_sub(generation)?).ok()?;
        let skip = self.recent.len().checked_sub(behind)?;
        Some(self.recent.iter().skip(skip))
    }

    pub fn get(&self, id: &Uuid) -> Option<&Record> {
        self.records.get(id)
    }

    /// A live (not deleted) record by id.
    pub fn live(&self, id: &Uuid) -> Option<&Record> {
        self.get(id).filter(|r| !r.deleted)
    }

    /// Every record, tombstones included: what a full export carries.
    pub fn all(&self) -> impl Iterator<Item = &Record> {
        self.records.values()
    }

    /// Live records of one kind, newest first (by their date, then by last change).
    pub fn list(&self, kind: RecordKind) -> Vec<&Record> {
        let mut list: Vec<&Record> = self
            .records
            .values()
            .filter(|r| !r.deleted && r.kind() == kind)
            .collect();
        sort_newest_first(&mut list);
        list
    }

    /// Live records of one kind.
    pub fn count(&self, kind: RecordKind) -> usize {
        self.live[kind_index(kind)]
    }

    /// Records this device wrote (created, edited or deleted) after `since`; all of them
    /// when it never exported. This is what an export of changes carries. Sample data is
    /// never part of it.
    pub fn written_here_since(
        &self,
        device_id: &str,
        since: Option<OffsetDateTime>,
    ) -> Vec<&Record> {
        self.records
            .values()
            .filter(|r| {
                !r.sample
                    && r.device_id == device_id
                    && since.is_none_or(|since| r.updated_at > since)
            })
            .collect()
    }

    /// Ids of the sample records (live or not).
    pub fn sample_ids(&self) -> Vec<Uuid> {
        self.records
            .values()
            .filter(|r| r.sample)
            .map(|r| r.id)
            .collect()
    }

    /// Whether any live record is real (not sample data).
    pub fn has_real_records(&self) -> bool {
        self.records.values().any(|r| !r.sample && !r.deleted)
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Merges incoming records into the ledger. Returns what happened and the records whose
    /// stored form changed (those, and only those, must be written).
    pub fn merge(
        &mut self,
        incoming: impl IntoIterator<Item = Record>,
    ) -> (MergeReport, Vec<Record>) {
        let mut report = MergeReport::default();
        let mut changed: BTreeMap<Uuid, Record> = BTreeMap::new();
        for record in incoming {
            let id = record.id;
            let current = self.get(&id);
            let merged = match current {
                Some(current) => merge_record(current, &record),
                // What merge_record(&record, &record) gives, without copying it.
                None if record.history.is_empty() => record,
                None => merge_record(&record, &record),
            };
            report.count(id, outcome(current, &merged));
            if current != Some(&merged) {
                changed.insert(merged.id, merged.clone());
                self.put(merged);
            }
        }
        (report, changed.into_values().collect())
    }
}

/// Newest first: by date, then by last change, then by id, so that every device shows the
/// same order. One function for every list in this order, so that the lists of every page
/// agree.
pub fn sort_newest_first(records: &mut [&Record]) {
    order::sort_by_key(records, |r| {
        std::cmp::Reverse((r.date(), r.updated_at, r.id))
    });
}

/// In date order, then by id.
pub fn sort_by_date(records: &mut [&Record]) {
    order::sort_by_key(records, |r| (r.date(), r.id));
}
