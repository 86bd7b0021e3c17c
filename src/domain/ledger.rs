//! The set of records in memory, keyed by id, with the views the pages need.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use uuid::Uuid;

use super::merge::{MergeReport, merge_record, outcome};
use super::record::{Record, RecordKind};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    records: BTreeMap<Uuid, Record>,
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
        self.records.insert(record.id, record);
    }

    /// Forgets a record entirely (only sample data is ever removed this way).
    pub fn remove(&mut self, id: &Uuid) -> Option<Record> {
        self.records.remove(id)
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
        list.sort_by_key(|r| std::cmp::Reverse((r.date(), r.updated_at, r.id)));
        list
    }

    pub fn count(&self, kind: RecordKind) -> usize {
        self.records
            .values()
            .filter(|r| !r.deleted && r.kind() == kind)
            .count()
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
