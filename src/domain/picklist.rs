//! Remembered picklists: the values an officer typed before, most used first, and renaming a value everywhere.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::form::{Access, FieldSpec, Kind};
use super::ledger::Ledger;
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

/// The field of a body that feeds `list`, as its kind's form says.
fn slot(body: &RecordBody, list: Picklist) -> Option<Slot<'_>> {
    crate::with_body!(body, |b| slot_of(b, list))
}

fn slot_mut(body: &mut RecordBody, list: Picklist) -> Option<SlotMut<'_>> {
    crate::with_body!(body, |b| slot_of_mut(b, list))
}

fn spec_for<K: Kind>(list: Picklist) -> Option<&'static FieldSpec<K>> {
    K::FIELDS.iter().find(|spec| spec.picklist == Some(list))
}

fn slot_of<K: Kind>(body: &K, list: Picklist) -> Option<Slot<'_>> {
    match &spec_for::<K>(list)?.access {
        Access::Text(get, _) => Some(Slot::One(get(body))),
        Access::List(get, _) => Some(Slot::Many(get(body))),
        _ => None,
    }
}

fn slot_of_mut<K: Kind>(body: &mut K, list: Picklist) -> Option<SlotMut<'_>> {
    match &spec_for::<K>(list)?.access {
        Access::Text(_, set) => Some(SlotMut::One(set(body))),
        Access::List(_, set) => Some(SlotMut::Many(set(body))),
        _ => None,
    }
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
        match slot(&record.body, list) {
            Some(Slot::One(value)) => in_record.push(value.trim()),
            Some(Slot::Many(items)) => in_record.extend(items.iter().map(|i| i.trim())),
            None => continue,
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
    ranked.sort_by(|(ka, a), (kb, b)| {
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
        let changed = match slot_mut(&mut body, list) {
            Some(SlotMut::One(value)) if value.trim() == from => {
                *value = to.to_owned();
                true
            }
            Some(SlotMut::Many(items)) if items.iter().any(|i| i.trim() == from) => {
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
        };
        if changed {
            revisions.push(record.edited(body, author, now));
        }
    }
    revisions
}
