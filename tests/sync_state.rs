#![cfg(not(target_arch = "wasm32"))]
//! Tier 1: the sync state as storage keeps it (`replication::state::StateJournal`): each
//! stored step writes in proportion to what it changed, the whole state is written again
//! now and then, and what a change left half done is never read.

use std::collections::BTreeMap;

use field_ledger::replication::{Checkpoint, Mark, StateJournal, SyncState};
use field_ledger::storage::keys;
use serde_json::json;

use field_ledger_test_support::id;

const TARGET: &str = "https://couch.example.org/fieldledger";

fn mark(n: u128, generation: u32) -> Mark {
    Mark(
        format!("{generation}-{n:032x}"),
        format!("{:016x}", n * 7 + u128::from(generation)),
        Vec::new(),
        Vec::new(),
    )
}

/// A state with marks for records `1..=records`, at `seq`.
fn state(records: u128, seq: u64) -> SyncState {
    SyncState {
        checkpoint: Some(Checkpoint {
            session_id: "s".into(),
            last_seq: json!(seq),
            scope: String::new(),
        }),
        marks: (1..=records).map(|n| (id(n), mark(n, 1))).collect(),
        ..SyncState::new(TARGET)
    }
}

/// A key-value store in memory the writes go to, as `Store::save_records_and` writes them.
#[derive(Default)]
struct Storage(BTreeMap<String, String>);

impl Storage {
    fn apply(&mut self, values: Vec<(String, Option<String>)>) -> usize {
        let mut written = 0;
        for (key, value) in values {
            match value {
                Some(value) => {
                    written += key.len() + value.len();
                    self.0.insert(key, value);
                }
                None => {
                    self.0.remove(&key);
                }
            }
        }
        written
    }

    fn load(&self) -> StateJournal {
        let journal = self
            .0
            .iter()
            .filter(|(k, _)| k.starts_with(keys::SYNC_JOURNAL_PREFIX))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        StateJournal::load(
            self.0.get(keys::SYNC_STATE).map(String::as_str),
            journal,
            TARGET,
        )
    }

    fn journal_keys(&self) -> usize {
        self.0
            .keys()
            .filter(|k| k.starts_with(keys::SYNC_JOURNAL_PREFIX))
            .count()
    }
}

/// Stores `next` as a sync does: the journal's writes, then the journal as it is after them.
fn store(storage: &mut Storage, journal: &mut StateJournal, next: &SyncState) -> usize {
    let write = journal.write(next);
    let written = storage.apply(write.values);
    *journal = write.then;
    written
}

#[test]
fn each_step_writes_in_proportion_to_what_it_changed() {
    let mut storage = Storage::default();
    let mut journal = storage.load();
    let mut current = state(2_000, 1);
    let whole = current.to_json().len();
    assert!(whole > 100_000, "{whole}");
    // The first step writes all 2 000 marks (they are all new).
    assert!(store(&mut storage, &mut journal, &current) >= whole);
    // A batch of three: three marks, the checkpoint and the small parts.
    for step in 0..5u128 {
        for n in 1..=3 {
            current.marks.insert(id(10_000 + 3 * step + n), mark(n, 1));
        }
        current.marks.insert(id(1 + step), mark(1 + step, 2));
        current.checkpoint.as_mut().unwrap().last_seq = json!(10 + step);
        let written = store(&mut storage, &mut journal, &current);
        assert!(written < 1_000, "step {step}: {written} bytes");
        assert_eq!(storage.load().state(), &current);
    }
    // Nothing changed: nothing written.
    assert_eq!(store(&mut storage, &mut journal, &current), 0);
    // A mark that goes.
    current.marks.remove(&id(7));
    store(&mut storage, &mut journal, &current);
    assert_eq!(storage.load().state(), &current);
    assert_eq!(storage.load(), journal);
}

#[test]
fn the_whole_state_is_written_again_every_32_steps_and_the_journal_removed() {
    let mut storage = Storage::default();
    let mut journal = storage.load();
    let mut current = state(100, 0);
    let mut wholes = 0;
    for step in 1..=70u64 {
        current.checkpoint.as_mut().unwrap().last_seq = json!(step);
        current
            .marks
            .insert(id(1_000 + u128::from(step)), mark(u128::from(step), 1));
        let before = storage.journal_keys();
        store(&mut storage, &mut journal, &current);
        if storage.journal_keys() < before {
            wholes += 1;
            assert_eq!(storage.journal_keys(), 0, "step {step}");
        }
        assert!(storage.journal_keys() <= 32);
        assert_eq!(storage.load().state(), &current, "step {step}");
    }
    assert_eq!(wholes, 2);
}

#[test]
fn a_change_left_half_done_or_an_unreadable_entry_is_not_read() {
    let mut storage = Storage::default();
    let mut journal = storage.load();
    let mut current = state(10, 0);
    for step in 1..=32u64 {
        current.checkpoint.as_mut().unwrap().last_seq = json!(step);
        store(&mut storage, &mut journal, &current);
    }
    // The next write is a compaction; it is cut off after the new base (the browser closed
    // between two writes): the old generation's entries stay, and are not read.
    let settled = storage.load().state().clone();
    current.checkpoint.as_mut().unwrap().last_seq = json!(99);
    let write = journal.write(&current);
    assert!(write.values.len() > 1, "a compaction");
    let mut torn = Storage(storage.0.clone());
    torn.apply(write.values[..1].to_vec());
    assert!(torn.journal_keys() > 0);
    assert_eq!(torn.load().state(), &current);
    assert_ne!(storage.load().state(), &current);
    assert_eq!(storage.load().state(), &settled);

    // An entry that does not read ends the journal there: what came before it stands.
    let mut storage = Storage::default();
    let mut journal = storage.load();
    let first = state(5, 1);
    store(&mut storage, &mut journal, &first);
    let second = state(6, 2);
    store(&mut storage, &mut journal, &second);
    let third = state(7, 3);
    store(&mut storage, &mut journal, &third);
    let second_key = storage
        .0
        .keys()
        .filter(|k| k.starts_with(keys::SYNC_JOURNAL_PREFIX))
        .nth(1)
        .unwrap()
        .clone();
    storage.0.insert(second_key, "{not json".into());
    assert_eq!(storage.load().state(), &first);

    // Another database's journal is not this one's.
    let other = StateJournal::load(
        None,
        storage
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        "https://other.example.org/db",
    );
    assert!(other.state().marks.is_empty());
}
