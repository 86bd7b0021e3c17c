//! Merging records from other devices. Pure functions; the laws they keep (commutative,
//! associative, idempotent) are checked by property tests in `tests/merge.rs`.
//!
//! A record is treated as the set of every version of it seen so far: the current one (the
//! winner) and its history. Merging two copies takes the union of their versions; the winner
//! is the greatest version by (revision, updated-at, device id, content), the rest become the
//! history. Set union and maximum do not depend on order or grouping, which is what makes
//! importing A then B give the same ledger as B then A, and importing a file twice a no-op.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::order;
use super::record::Record;

/// The content of one version as canonical JSON, used to compare versions and break ties.
fn canonical(version: &Record) -> String {
    serde_json::to_string(&version.without_history()).unwrap_or_default()
}

/// Total order on versions of one record: later revision, then later change, then device id,
/// then content. The greatest version is the one shown.
pub fn version_order(a: &Record, b: &Record) -> Ordering {
    (a.revision, a.updated_at, &a.device_id)
        .cmp(&(b.revision, b.updated_at, &b.device_id))
        .then_with(|| canonical(a).cmp(&canonical(b)))
}

/// Merges two copies of the same record (same id).
pub fn merge_record(a: &Record, b: &Record) -> Record {
    let mut versions: BTreeMap<String, Record> = BTreeMap::new();
    for version in [a, b]
        .into_iter()
        .flat_map(|r| std::iter::once(r).chain(r.history.iter()))
    {
        let version = version.without_history();
        versions.insert(canonical(&version), version);
    }
    let mut versions: Vec<Record> = versions.into_values().collect();
    order::sort_by(&mut versions, version_order);
    let mut winner = versions.pop().unwrap_or_else(|| a.without_history());
    winner.history = versions;
    winner
}

/// What merging one incoming record did to the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    /// A record this ledger did not have.
    Added,
    /// A newer revision replaced the one shown.
    Updated,
    /// Nothing changed (the same version, or an older one already in the history).
    Unchanged,
    /// Two different versions with the same revision met; one is shown, the other kept in
    /// the history.
    Conflict,
    /// The incoming version deleted the record.
    Deleted,
}

/// Per-file counts, as shown after an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub deleted: usize,
    /// Ids of the records that now have a conflict.
    pub conflicts: Vec<Uuid>,
}

impl MergeReport {
    pub(super) fn count(&mut self, id: Uuid, outcome: MergeOutcome) {
        match outcome {
            MergeOutcome::Added => self.added += 1,
            MergeOutcome::Updated => self.updated += 1,
            MergeOutcome::Unchanged => self.unchanged += 1,
            MergeOutcome::Deleted => self.deleted += 1,
            MergeOutcome::Conflict => self.conflicts.push(id),
        }
    }
}

/// How `incoming` changes `current` (or the lack of it) once merged into `merged`.
pub(super) fn outcome(current: Option<&Record>, merged: &Record) -> MergeOutcome {
    let Some(current) = current else {
        return if merged.deleted {
            MergeOutcome::Deleted
        } else {
            MergeOutcome::Added
        };
    };
    if current == merged {
        return MergeOutcome::Unchanged;
    }
    // Siblings: other versions with the winner's revision. New ones mean a new conflict.
    let siblings = |r: &Record| -> BTreeSet<String> {
        r.history
            .iter()
            .filter(|v| v.revision == r.revision)
            .map(canonical)
            .collect()
    };
    let merged_siblings = siblings(merged);
    let new_conflict = !merged_siblings.is_empty()
        && (merged.revision != current.revision || merged_siblings != siblings(current));
    if new_conflict {
        MergeOutcome::Conflict
    } else if merged.deleted && !current.deleted {
        MergeOutcome::Deleted
    } else if version_order(merged, current) == Ordering::Greater {
        MergeOutcome::Updated
    } else {
        // Only the history grew: an older or losing version was added to it.
        MergeOutcome::Unchanged
    }
}
