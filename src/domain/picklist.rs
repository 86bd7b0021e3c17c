//! Remembered picklists: the values an officer typed before, most used first, and renaming a value everywhere.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::form::{Access, FieldSpec, Kind};
use super::ledger::Ledger;
use super::order;
use super::record::{Author, Record, RecordBody};

pub use super::form::Picklist;

/// One remembered value and the number of live records that use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PicklistValue {
    pub value: String,
    pub uses: usize,
}

/// The field a list reads in one record body.
enum Slot<'a> {
    One(&'a String),
    Many(&'a Vec<String>),
}

enum SlotMut<'a> {
    One(&'a mut String),
    Many(&'a mut Vec<String>),
}

/// Every field of a body that feeds `list`, as its kind's form says (a team's leader and
/// members both feed the people list).
fn slots(body: &RecordBody, list: Picklist) -> Vec<Slot<'_>> {
    crate::with_body!(body, |b| slots_of(b, list))
}

fn specs_for<K: Kind>(list: Picklist) -> impl Iterator<Item = &'static FieldSpec<K>> {
    K::FIELDS
        .iter()
        .filter(move |spec| spec.picklist == Some(list))
}

fn slots_of<K: Kind>(body: &K, list: Picklist) -> Vec<Slot<'_>> {
    specs_for::<K>(list)
        .filter_map(|spec| match &spec.access {
            Access::Text(get, _) => Some(Slot::One(get(body))),
            Access::List(get, _) => Some(Slot::Many(get(body))),
            _ => None,
        })
        .collect()
}

/// Renames `from` to `to` in every field of `body` that feeds `list`; true when one changed.
fn rename_in(body: &mut RecordBody, list: Picklist, from: &str, to: &str) -> bool {
    crate::with_body!(body, |b| rename_in_kind(b, list, from, to))
}

fn rename_in_kind<K: Kind>(body: &mut K, list: Picklist, from: &str, to: &str) -> bool {
    let mut changed = false;
    for spec in specs_for::<K>(list) {
        let slot = match &spec.access {
            Access::Text(_, set) => SlotMut::One(set(body)),
            Access::List(_, set) => SlotMut::Many(set(body)),
            _ => continue,
        };
        changed |= rename_slot(slot, from, to);
    }
    changed
}

/// Sort key among equally used values: case folded so "Rice" and "rice" sit together.
/// Plain code-point order otherwise; pinyin order would need a large table.
fn collation_key(value: &str) -> String {
    value.to_lowercase()
}

/// Values used in live records (deleted never; sample records do count), trimmed, non-empty;
/// most used first, then in collation order, then by the value itself. `uses` counts records,
/// so a name repeated inside one record counts once.
pub fn values(ledger: &Ledger, list: Picklist) -> Vec<PicklistValue> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    let mut in_record: Vec<&str> = Vec::new();
    for record in ledger.all().filter(|r| !r.deleted) {
        in_record.clear();
        for slot in slots(&record.body, list) {
            match slot {
                Slot::One(value) => in_record.push(value.trim()),
                Slot::Many(items) => in_record.extend(items.iter().map(|i| i.trim())),
            }
        }
        in_record.retain(|v| !v.is_empty());
        in_record.sort_unstable();
        in_record.dedup();
        for value in &in_record {
            *uses.entry(value).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, PicklistValue)> = uses
        .into_iter()
        .map(|(value, uses)| {
            let value = PicklistValue {
                value: value.to_owned(),
                uses,
            };
            (collation_key(&value.value), value)
        })
        .collect();
    order::sort_by(&mut ranked, |(ka, a), (kb, b)| {
        b.uses
            .cmp(&a.uses)
            .then_with(|| ka.cmp(kb))
            .then_with(|| a.value.cmp(&b.value))
    });
    ranked.into_iter().map(|(_, value)| value).collect()
}

/// Suggestions for what is being typed: values containing `typed` (case-insensitive), those
/// starting with it first, rank order otherwise; at most `limit`. The exact typed value is left
/// out (nothing to complete). Blank `typed` gives the most used values.
pub fn suggest<'a>(values: &'a [PicklistValue], typed: &str, limit: usize) -> Vec<&'a str> {
    let typed = typed.trim();
    let needle = typed.to_lowercase();
    let mut starting = Vec::new();
    let mut containing = Vec::new();
    for value in values.iter().map(|v| v.value.as_str()) {
        if value == typed {
            continue;
        }
        let folded = value.to_lowercase();
        if folded.starts_with(&needle) {
            starting.push(value);
        } else if folded.contains(&needle) {
            containing.push(value);
        }
        // Enough prefix matches already: the rest could only rank below them.
        if starting.len() >= limit {
            break;
        }
    }
    starting.into_iter().chain(containing).take(limit).collect()
}

/// Renames `from` to `to` in every field list `list` reads; returns the new revisions of
/// exactly the live records where `from` occurs. In a list field the item becomes `to`, or is
/// dropped when `to` is already there, which is how two spellings merge into one. Comparison is
/// on trimmed, whole values. Nothing is returned when `from` or `to` is blank or they are equal.
pub fn rename(
    ledger: &Ledger,
    list: Picklist,
    from: &str,
    to: &str,
    author: &Author,
    now: OffsetDateTime,
) -> Vec<Record> {
    let (from, to) = (from.trim(), to.trim());
    // A blank `from` would match every empty field.
    if from.is_empty() || to.is_empty() || from == to {
        return Vec::new();
    }
    let mut revisions = Vec::new();
    for record in ledger.all().filter(|r| !r.deleted) {
        let mut body = record.body.clone();
        let changed = rename_in(&mut body, list, from, to);
        if changed {
            revisions.push(record.edited(body, author, now));
        }
    }
    revisions
}

/// Renames `from` to `to` in one field; true when it occurs there.
fn rename_slot(slot: SlotMut<'_>, from: &str, to: &str) -> bool {
    match slot {
        SlotMut::One(value) if value.trim() == from => {
            *value = to.to_owned();
            true
        }
        SlotMut::Many(items) if items.iter().any(|i| i.trim() == from) => {
            let mut keep_to = !items.iter().any(|i| i.trim() == to);
            items.retain_mut(|item| {
                if item.trim() != from {
                    return true;
                }
                // Only the first `from` takes the new name, and only if it is not there yet.
                let keep = keep_to;
                if keep {
                    *item = to.to_owned();
                    keep_to = false;
                }
                keep
            });
            true
        }
        _ => false,
    }
}
