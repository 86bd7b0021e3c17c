//! Links between records: which trainings and visits concern a technology.

use std::cmp::Reverse;

use uuid::Uuid;

use super::ledger::Ledger;
use super::record::{Record, RecordBody, RecordKind};

/// Where a link leads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LinkTarget<'a> {
    Live(&'a Record),
    /// Deleted, not (yet) imported, or not a technology: shown as removed, never dropped.
    Removed(Uuid),
}

/// The technologies a training or visit names, in its order (a repeated id once).
pub fn linked_technologies<'a>(ledger: &'a Ledger, record: &Record) -> Vec<LinkTarget<'a>> {
    let mut seen: Vec<Uuid> = Vec::new();
    let mut links = Vec::new();
    for id in record.body.technology_ids() {
        if seen.contains(id) {
            continue;
        }
        seen.push(*id);
        links.push(
            match ledger
                .live(id)
                .filter(|r| r.kind() == RecordKind::Technology)
            {
                Some(technology) => LinkTarget::Live(technology),
                None => LinkTarget::Removed(*id),
            },
        );
    }
    links
}

/// Live trainings and visits that name technology `id`, newest first (by date, then last change).
pub fn concerning(ledger: &Ledger, id: Uuid) -> Vec<&Record> {
    let mut records: Vec<&Record> = ledger
        .all()
        .filter(|r| !r.deleted && r.body.technology_ids().contains(&id))
        .collect();
    records.sort_by_key(|r| Reverse((r.date(), r.updated_at, r.id)));
    records
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkCounts {
    pub trainings: usize,
    pub visits: usize,
}

pub fn concerning_counts(ledger: &Ledger, id: Uuid) -> LinkCounts {
    let mut counts = LinkCounts::default();
    for record in ledger
        .all()
        .filter(|r| !r.deleted && r.body.technology_ids().contains(&id))
    {
        match record.kind() {
            RecordKind::Training => counts.trainings += 1,
            RecordKind::Visit => counts.visits += 1,
            RecordKind::Technology => {}
        }
    }
    counts
}

/// Live technologies whose name contains `typed` (case-insensitive), for the link picker,
/// sorted by name; all of them when `typed` is blank.
pub fn technology_choices<'a>(ledger: &'a Ledger, typed: &str) -> Vec<&'a Record> {
    let needle = typed.trim().to_lowercase();
    let mut choices: Vec<(&str, &Record)> = ledger
        .all()
        .filter(|r| !r.deleted)
        .filter_map(|r| match &r.body {
            RecordBody::Technology(t) if t.name.to_lowercase().contains(&needle) => {
                Some((t.name.as_str(), r))
            }
            _ => None,
        })
        .collect();
    choices.sort_by(|(a, ra), (b, rb)| a.cmp(b).then_with(|| ra.id.cmp(&rb.id)));
    choices.into_iter().map(|(_, r)| r).collect()
}
