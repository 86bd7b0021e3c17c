//! What a device remembers between syncs: which server, how far it has read the server's
//! changes, and for each record the server revision its content was last synced at. Kept in
//! storage under its own key, never in an export.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::order;

/// The server and database a device syncs with, as typed in Settings (never the password:
/// the server's session cookie stands for it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncConfig {
    /// `https://…`, `http://localhost…`/`http://127.0.0.1…`, or a path on the app's own
    /// server (`/couch`, behind a reverse proxy).
    pub url: String,
    pub database: String,
    pub user: String,
    /// Sync when the app starts, when the connection comes back and after saving.
    #[serde(default)]
    pub automatic: bool,
}

/// Why a server address is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressProblem {
    Empty,
    /// Plain `http://` to another machine: the password and the session would cross the
    /// network readable.
    NotHttps,
    Malformed,
}

impl SyncConfig {
    /// The server's session resource (`POST` signs in, `GET` says who is signed in).
    pub fn session_url(&self) -> Result<String, AddressProblem> {
        self.database_url()?;
        Ok(format!(
            "{}/_session",
            self.url.trim().trim_end_matches('/')
        ))
    }

    /// The database's address, without a trailing slash: what requests are made under.
    pub fn database_url(&self) -> Result<String, AddressProblem> {
        let url = self.url.trim().trim_end_matches('/');
        let database = self.database.trim();
        if url.is_empty() || database.is_empty() {
            return Err(AddressProblem::Empty);
        }
        // Plain http only to this machine (what the page's Content-Security-Policy allows).
        let local = ["http://localhost", "http://127.0.0.1"];
        let host_ok = url.starts_with("https://")
            || local.iter().any(|l| {
                url.strip_prefix(l)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
            });
        let path_ok = url.starts_with('/') && !url.starts_with("//");
        if url.starts_with("http://") && !host_ok {
            return Err(AddressProblem::NotHttps);
        }
        if !(host_ok || path_ok) || url.contains(['@', '?', '#', ' ']) {
            return Err(AddressProblem::Malformed);
        }
        Ok(format!(
            "{url}/{}",
            super::engine::encode_component(database)
        ))
    }
}

/// How far the server's changes have been read: CouchDB's sequence is opaque (a string in
/// CouchDB 3, a number in others) and is kept exactly as the server sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub session_id: String,
    pub last_seq: serde_json::Value,
    /// What the pull read ([`super::engine::Scope::digest`]; empty: every document): a
    /// checkpoint of another scope is not where this one stands.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
}

/// A record's sync mark: the server revision its content descends from, a fingerprint of
/// the content at that revision (see [`super::couch::content_sum`]: a different one means a
/// local change to push), other live leaves on the server this device will close when it
/// pushes the merged record, and the leaves this device closed (deleted leaves that stay in
/// the server's list of the document's leaves: known, so never fetched again).
///
/// Stored as `[rev, sum]`, `[rev, sum, [to close]]`, or `[rev, sum, [to close], [closed]]`:
/// a coordinator's tablet keeps one per record, so it is kept short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark(pub String, pub String, pub Vec<String>, pub Vec<String>);

impl Serialize for Mark {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let len = if !self.3.is_empty() {
            4
        } else if !self.2.is_empty() {
            3
        } else {
            2
        };
        let mut tuple = serializer.serialize_tuple(len)?;
        tuple.serialize_element(&self.0)?;
        tuple.serialize_element(&self.1)?;
        if len > 2 {
            tuple.serialize_element(&self.2)?;
        }
        if len > 3 {
            tuple.serialize_element(&self.3)?;
        }
        tuple.end()
    }
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MarkVisitor;
        impl<'de> serde::de::Visitor<'de> for MarkVisitor {
            type Value = Mark;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("[rev, sum], [rev, sum, [leaves]] or [rev, sum, [leaves], [closed]]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Mark, A::Error> {
                use serde::de::Error;
                let rev = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let sum = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let others = seq.next_element()?.unwrap_or_default();
                let closed = seq.next_element()?.unwrap_or_default();
                Ok(Mark(rev, sum, others, closed))
            }
        }
        deserializer.deserialize_seq(MarkVisitor)
    }
}

impl Mark {
    pub fn rev(&self) -> &str {
        &self.0
    }
    pub fn sum(&self) -> &str {
        &self.1
    }
    pub fn others(&self) -> &[String] {
        &self.2
    }
    pub fn closed(&self) -> &[String] {
        &self.3
    }
}

/// A record the server refused: why, and the version it refused (what the list shows, even
/// after the record changes here). Stored by older versions as the reason alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Refusal {
    Version {
        reason: String,
        version: Box<crate::domain::Record>,
    },
    Reason(String),
}

impl Refusal {
    pub fn reason(&self) -> &str {
        match self {
            Refusal::Version { reason, .. } | Refusal::Reason(reason) => reason,
        }
    }

    /// The version refused, when it was kept.
    pub fn version(&self) -> Option<&crate::domain::Record> {
        match self {
            Refusal::Version { version, .. } => Some(version),
            Refusal::Reason(_) => None,
        }
    }
}

/// The form of a record's document id: `"<owner>:<record id>"` ([`super::couch::doc_id`]).
pub const DOC_IDS: u32 = 2;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// The database this state is about ([`SyncConfig::database_url`]); another one starts
    /// afresh.
    pub target: String,
    /// The form of document id the marks refer to ([`DOC_IDS`]): a state kept by an older
    /// version (bare record ids, 0) starts afresh, and its records go up as documents of
    /// the present form.
    #[serde(default)]
    pub doc_ids: u32,
    #[serde(default)]
    pub checkpoint: Option<Checkpoint>,
    #[serde(default)]
    pub marks: BTreeMap<Uuid, Mark>,
    /// Records the server refused at the last push, with its reason and the version it
    /// refused; kept, shown and tried again.
    #[serde(default)]
    pub refused: BTreeMap<Uuid, Refusal>,
    /// Fields and attachments of a record's document on the server that this version does
    /// not know (another program's), written back with the record's next revision.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept: BTreeMap<Uuid, super::couch::Kept>,
    /// Documents with a record's document id that this version could not read, by document
    /// id, with the reason: listed, and read again at every sync.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unreadable: BTreeMap<String, String>,
    /// Refused records whose edits the user gave up: the next sync takes the server's
    /// version for them (and offers them nothing meanwhile).
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub given_up: std::collections::BTreeSet<Uuid>,
    /// The server lost this device's checkpoint (a new or recreated database): every record
    /// is offered to it again, until one push has gone through completely.
    #[serde(default)]
    pub resend: bool,
    /// When the last sync finished without error (RFC 3339).
    #[serde(default)]
    pub last_success: Option<String>,
}

impl SyncState {
    pub fn new(target: &str) -> Self {
        SyncState {
            target: target.to_owned(),
            doc_ids: DOC_IDS,
            ..SyncState::default()
        }
    }

    /// Reads a stored state; one for another database, of an older form or unreadable starts
    /// afresh, which only costs a full comparison with the server.
    pub fn from_stored(raw: Option<&str>, target: &str) -> Self {
        raw.and_then(|raw| serde_json::from_str::<SyncState>(raw).ok())
            .filter(|state| state.target == target && state.doc_ids == DOC_IDS)
            .unwrap_or_else(|| SyncState::new(target))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The base value: the whole state, and which journal entries follow it.
#[derive(Serialize, Deserialize)]
struct Base {
    #[serde(flatten)]
    state: SyncState,
    #[serde(default)]
    generation: u64,
}

/// How many journal entries are written before the state is written whole again.
const COMPACT_AFTER: u32 = 32;

/// One journal entry: the state's small parts whole, and the marks that changed (`marks`)
/// or went (`gone`) since the entry before.
#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    state: SyncState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gone: Vec<Uuid>,
}

/// The sync state as storage keeps it, so that each stored step of a sync writes in
/// proportion to what it changed: a base value (the whole state, `fl.sync.state`) and a
/// journal of entries after it (`fl.sync.j.<generation>.<n>`), each with the marks that
/// step changed. Every [`COMPACT_AFTER`] entries the state is written whole again, with the
/// next generation, and the journal removed in the same all-or-nothing change; entries of
/// another generation (left by a change that did not finish) are never read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StateJournal {
    /// The state as storage holds it (the base with its entries).
    stored: SyncState,
    /// The base's generation: the journal entries that follow it are `<generation>.<n>`.
    generation: u64,
    /// The journal's keys in storage (stale ones included: removed at the next compaction).
    keys: Vec<String>,
    /// Entries written after the base.
    entries: u32,
}

/// What to write to store a state: values to set (`Some`) or remove (`None`), and the
/// journal as it is once they are written.
pub struct StateWrite {
    pub values: Vec<(String, Option<String>)>,
    pub then: StateJournal,
}

impl StateJournal {
    /// The stored state for database `target` from the base value and the journal's
    /// entries (`(key, value)` in any order). A base for another database, of an older
    /// form or unreadable starts afresh; an entry that does not read ends the journal there.
    pub fn load(base: Option<&str>, journal: Vec<(String, String)>, target: &str) -> Self {
        let mut stored = SyncState::from_stored(base, target);
        let generation = base
            .and_then(|raw| serde_json::from_str::<Base>(raw).ok())
            .filter(|b| b.state == stored)
            .map_or(0, |b| b.generation);
        let prefix = format!("{}{generation}.", crate::storage::keys::SYNC_JOURNAL_PREFIX);
        let mut entries: Vec<(u32, &str)> = journal
            .iter()
            .filter_map(|(key, value)| {
                Some((key.strip_prefix(&prefix)?.parse().ok()?, value.as_str()))
            })
            .collect();
        order::sort_by_key(&mut entries, |(n, _)| *n);
        let mut applied = 0;
        for (n, value) in entries {
            let Some(entry) = serde_json::from_str::<Entry>(value)
                .ok()
                .filter(|e| n == applied + 1 && e.state.target == target)
            else {
                break;
            };
            stored = entry.apply_to(stored);
            applied = n;
        }
        StateJournal {
            stored,
            generation,
            keys: journal.into_iter().map(|(key, _)| key).collect(),
            entries: applied,
        }
    }

    /// The state as stored.
    pub fn state(&self) -> &SyncState {
        &self.stored
    }

    /// The writes that store `next`: one journal entry with what changed since the state
    /// stored, or the whole state (a new generation) and the journal's removal.
    pub fn write(&self, next: &SyncState) -> StateWrite {
        let base_key = crate::storage::keys::SYNC_STATE;
        if *next == self.stored {
            return StateWrite {
                values: Vec::new(),
                then: self.clone(),
            };
        }
        if self.entries >= COMPACT_AFTER {
            let base = Base {
                state: next.clone(),
                generation: self.generation + 1,
            };
            let mut values = vec![(base_key.to_owned(), serde_json::to_string(&base).ok())];
            values.extend(self.keys.iter().map(|key| (key.clone(), None)));
            return StateWrite {
                values,
                then: StateJournal {
                    stored: base.state,
                    generation: base.generation,
                    keys: Vec::new(),
                    entries: 0,
                },
            };
        }
        let changed = next
            .marks
            .iter()
            .filter(|(id, mark)| self.stored.marks.get(id) != Some(mark))
            .map(|(id, mark)| (*id, mark.clone()))
            .collect();
        let gone = self
            .stored
            .marks
            .keys()
            .filter(|id| !next.marks.contains_key(id))
            .copied()
            .collect();
        let entry = Entry {
            state: SyncState {
                marks: changed,
                ..next.without_marks()
            },
            gone,
        };
        let n = self.entries + 1;
        let key = format!(
            "{}{}.{n}",
            crate::storage::keys::SYNC_JOURNAL_PREFIX,
            self.generation
        );
        let mut keys = self.keys.clone();
        keys.push(key.clone());
        StateWrite {
            values: vec![(key, serde_json::to_string(&entry).ok())],
            then: StateJournal {
                stored: next.clone(),
                generation: self.generation,
                keys,
                entries: n,
            },
        }
    }
}

impl Entry {
    fn apply_to(self, stored: SyncState) -> SyncState {
        let mut marks = stored.marks;
        marks.extend(self.state.marks);
        for id in self.gone {
            marks.remove(&id);
        }
        SyncState {
            marks,
            ..self.state
        }
    }
}

impl SyncState {
    /// This state without its marks (the rest is small).
    fn without_marks(&self) -> SyncState {
        SyncState {
            target: self.target.clone(),
            doc_ids: self.doc_ids,
            checkpoint: self.checkpoint.clone(),
            marks: BTreeMap::new(),
            refused: self.refused.clone(),
            given_up: self.given_up.clone(),
            kept: self.kept.clone(),
            unreadable: self.unreadable.clone(),
            resend: self.resend,
            last_success: self.last_success.clone(),
        }
    }
}
