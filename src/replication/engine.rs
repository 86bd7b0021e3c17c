//! The replicator: the part of CouchDB's replication protocol a document client needs,
//! between this device's ledger and one database (`src/docs/src/replication/protocol.rst` in
//! CouchDB's repository; PouchDB's replicator does the same steps).
//!
//! A sync is a pull, then a push:
//! - Pull: `_changes?style=all_docs` from the checkpoint, in batches; the leaf revisions this
//!   device does not have are fetched with `_bulk_get` (or one `GET ?open_revs=` per document
//!   on a server without it); a document's leaves are folded with the ledger's merge rule and
//!   stored, together with the new checkpoint, as one all-or-nothing write. Only then is the
//!   checkpoint written to the server's `_local` document.
//! - Push: every record whose content changed since its last synced revision (or that closes
//!   a conflict) is written as a child of that revision, with a revision id derived from the
//!   parent and the content ([`couch::child_rev`]); `_revs_diff` says which the server lacks,
//!   `_bulk_docs` with `new_edits: false` writes them, in requests limited in documents and in
//!   bytes. A refused record keeps its content and is flagged and tried again.
//!
//! A pull that fails for a reason of its own (storage full, a document or answer it cannot
//! take, a server error) does not stop the push: the tablet's work still goes up. Requests
//! that get no answer, or a 408, 429 or 5xx, are tried again after a pause that doubles, with
//! jitter ([`Retry`]); every request is safe to repeat (revision ids are derived, `_bulk_docs`
//! with `new_edits: false` stores a revision once).
//!
//! The HTTP part is the [`Transport`] trait and the ledger the [`Local`] trait, so that all of
//! this runs natively in tests against a fake server.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use thiserror::Error;
use time::Date;
use uuid::Uuid;

use super::couch::{self, Leaf, Unreadable, Write};
use super::state::{Checkpoint, Mark, Refusal, SyncState};
use crate::domain::merge::merge_record;
use crate::domain::photo::{PhotoMime, check_photo};
use crate::domain::{Ledger, Record, RecordBody, RecordKind};
use crate::storage::StorageError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
}

/// One request to the database: `path` is relative to the database's address (`""` is the
/// database itself), already encoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// The request did not get an answer (no network, server down, connection cut, timeout).
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{0}")]
pub struct Unreachable(pub String);

/// HTTP to one database, with the credentials: the browser's fetch in the app, a fake server
/// in the tests.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, request: Request) -> Result<Response, Unreachable>;
    /// A GET whose answer is bytes (an attachment): the status and the body.
    async fn get_bytes(&self, path: String) -> Result<(u16, Vec<u8>), Unreachable>;
    /// Waits before a request is tried again (a timer in the browser; the tests only note it).
    async fn pause(&self, delay: Duration);
}

/// How often a request that got no answer, or a 408, 429 or 5xx, is tried, and the pause
/// before the second try; each later pause doubles. The pause is drawn between half and all
/// of that from the sync's session and the request (tablets that lost the same server do not
/// come back at the same moment), so that the tests can predict it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    pub attempts: u32,
    pub first_pause: Duration,
}

impl Retry {
    /// What the app does: five tries over about four to eight seconds (500 ms, 1 s, 2 s, 4 s
    /// at most), about what PouchDB's replicator waits before it gives up a batch.
    pub const POOR_LINK: Retry = Retry {
        attempts: 5,
        first_pause: Duration::from_millis(500),
    };
    /// One try: a failure ends the sync at once.
    pub const NONE: Retry = Retry {
        attempts: 1,
        first_pause: Duration::ZERO,
    };

    /// The pause before try `attempt + 1` (`attempt` ≥ 1) of `path` in session `session`.
    pub fn pause(&self, session: &str, path: &str, attempt: u32) -> Duration {
        let full = self
            .first_pause
            .saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
        let draw = couch::hash_hex(&[session, path, &attempt.to_string()], 2);
        let fraction = u64::from_str_radix(&draw, 16).unwrap_or(0);
        let half = full / 2;
        half + half.mul_f64(fraction as f64 / f64::from(u16::MAX))
    }
}

/// An answer that says "try again later": a timeout, too many requests, a server or proxy
/// error.
pub fn is_transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Bytes of documents in one `_bulk_docs` request at most (before a 413 says less): a proxy's
/// default limit is often 1 MB, CouchDB's own 4 GB; a slow link is better with smaller ones.
pub const BULK_BYTES: usize = 256 * 1024;

/// This device's ledger and photos, as the replicator sees them.
#[allow(async_fn_in_trait)]
pub trait Local {
    fn with_ledger<R>(&self, f: impl FnOnce(&Ledger) -> R) -> R;
    /// Stores `records` (whole, as given) and `state` as one write: all of it, or nothing
    /// changed and the error returned. Then shows the records.
    fn store(&self, records: Vec<Record>, state: &SyncState) -> Result<(), StorageError>;
    /// The bytes of the photo stored here under `hash`, if any.
    async fn photo(&self, hash: &str) -> Option<Vec<u8>>;
    /// The hashes of the photos stored here, or why they cannot be read.
    async fn photo_hashes(&self) -> Result<BTreeSet<String>, String>;
    /// Stores a photo taken from the server (checked against its hash and type already).
    async fn store_photo(&self, hash: &str, mime: PhotoMime, bytes: Vec<u8>) -> Result<(), String>;
}

/// Who syncs: the server user, and whether they are a coordinator (who may write every
/// officer's records, and so closes conflicts on them too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub coordinator: bool,
}

impl Identity {
    /// Whether the server lets this user write `record` (see `server/validate_doc_update.js`).
    pub fn may_write(&self, record: &Record) -> bool {
        self.coordinator || record.owner() == self.user
    }
}

/// Documents received and sent so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub down: usize,
    pub up: usize,
}

/// What a sync did with photos.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhotoReport {
    /// Photos sent with their records' documents.
    pub up: usize,
    /// Photos of records held here taken from the server.
    pub down: usize,
    /// Photos of records held here that are still not on this tablet (the server has them
    /// not, or they could not be taken or stored).
    pub left: usize,
    /// Why photos were left, when it was more than "the server has them not".
    pub problem: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncReport {
    pub progress: Progress,
    /// Records the server refused in this sync (kept here, flagged, tried again next time).
    pub refused: usize,
    /// Documents on the server this app cannot take (another program's, or a newer app's).
    pub unreadable: Vec<Unreadable>,
    /// The server had lost this device's checkpoint (a new or recreated database): every
    /// record was offered to it again.
    pub resent: bool,
    /// Why the pull stopped, when it did and the push went on without it: what was pulled
    /// before is stored, the rest comes next time.
    pub pull_failed: Option<SyncError>,
    pub photos: PhotoReport,
}

/// Why a sync stopped. Whatever was stored before it stopped stays consistent: each pulled
/// batch is stored whole with its checkpoint, each pushed batch is marked only once the
/// server has it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum SyncError {
    #[error("server unreachable: {0}")]
    Unreachable(String),
    #[error("wrong user name or password")]
    WrongPassword,
    #[error("this user may not use this database")]
    NotAllowed,
    #[error("the database does not exist")]
    NoDatabase,
    /// A document (not the database) that is not on the server.
    #[error("no such document on the server")]
    Missing,
    #[error("server error {status}: {reason}")]
    Server { status: u16, reason: String },
    #[error("unexpected answer from the server: {0}")]
    BadAnswer(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<Unreachable> for SyncError {
    fn from(e: Unreachable) -> Self {
        SyncError::Unreachable(e.0)
    }
}

impl SyncError {
    /// Whether a push is still worth trying after a pull stopped with this error: not when
    /// the server cannot be reached or will not let this user in.
    fn leaves_push_possible(&self) -> bool {
        !matches!(
            self,
            SyncError::Unreachable(_)
                | SyncError::WrongPassword
                | SyncError::NotAllowed
                | SyncError::NoDatabase
        )
    }
}

/// The id of this device's replication with one database and scope: its checkpoint
/// document on the server is `_local/<id>`.
pub fn replication_id(device_id: &str, target: &str, scope: &Scope) -> String {
    let digest = scope.digest();
    let mut parts = vec![device_id, target];
    if !digest.is_empty() {
        parts.push(&digest);
    }
    format!("field-ledger-{}", couch::hash_hex(&parts, 16))
}

/// What a tablet pulls from the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// Every document (a coordinator).
    All,
    /// The documents a Mango selector matches (`_changes?filter=_selector`).
    Selected(Value),
}

impl Scope {
    /// What `me` pulls. An officer's tablet holds their own records, the shared kinds (teams
    /// and demands), the records of the teams they lead or belong to (as its ledger knows
    /// them), and hears of every deletion: one without fields matches nothing else, and one
    /// of a record not held here is passed over unread. A coordinator pulls everything.
    pub fn of(me: &Identity, ledger: &Ledger) -> Scope {
        if me.coordinator {
            return Scope::All;
        }
        let teams: Vec<String> = ledger
            .all()
            .filter(|r| !r.deleted && !r.sample)
            .filter(|r| match &r.body {
                RecordBody::Team(team) => {
                    team.leader.trim() == me.user
                        || team.members.iter().any(|m| m.trim() == me.user)
                }
                _ => false,
            })
            .map(|r| r.id.to_string())
            .collect();
        let shared = [RecordKind::Team.name(), RecordKind::Demand.name()];
        let mut any = vec![
            json!({"owner": me.user}),
            // A record made before owners existed belongs to its author.
            json!({"author": me.user, "owner": {"$exists": false}}),
            json!({"kind": {"$in": shared}}),
            json!({"_deleted": true}),
        ];
        if !teams.is_empty() {
            any.push(json!({"data.team_id": {"$in": teams}}));
        }
        Scope::Selected(json!({ "$or": any }))
    }

    /// A short fingerprint of the scope ("" for everything): a checkpoint belongs to one.
    pub fn digest(&self) -> String {
        match self {
            Scope::All => String::new(),
            Scope::Selected(selector) => couch::hash_hex(&[&selector.to_string()], 8),
        }
    }
}

/// Percent-encodes a query value (the opaque sequence, a JSON list of revisions) or a path
/// segment (the database's name): everything but the unreserved characters.
pub fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A sequence as the `since` parameter: a string as it is, anything else as its JSON.
fn seq_param(seq: &Value) -> String {
    match seq {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
struct Changes {
    results: Vec<Change>,
    last_seq: Value,
    #[serde(default)]
    pending: Option<u64>,
}

#[derive(Deserialize)]
struct Change {
    id: String,
    changes: Vec<RevOnly>,
    #[serde(default)]
    deleted: bool,
}

#[derive(Deserialize)]
struct RevOnly {
    rev: String,
}

#[derive(Deserialize)]
struct HistoryEntry {
    session_id: String,
    last_seq: Value,
}

/// The checkpoint document on the server.
#[derive(Deserialize)]
struct RemoteCheckpoint {
    #[serde(rename = "_rev")]
    rev: String,
    #[serde(default)]
    session_id: String,
    #[serde(default)]
    last_seq: Value,
    #[serde(default)]
    history: Vec<HistoryEntry>,
}

/// Where to read the server's changes from: the last sequence both sides agree on (the same
/// session, or one in the server's history), else from the start. A device with a
/// checkpoint whose server has none finds a new or recreated database (`true`).
fn start_from(local: Option<&Checkpoint>, remote: Option<&RemoteCheckpoint>) -> (Value, bool) {
    match (local, remote) {
        (Some(local), Some(remote)) if local.session_id == remote.session_id => {
            (remote.last_seq.clone(), false)
        }
        (Some(local), Some(remote)) => remote
            .history
            .iter()
            .find(|h| h.session_id == local.session_id)
            .map_or((json!(0), false), |h| (h.last_seq.clone(), false)),
        (Some(_), None) => (json!(0), true),
        (None, _) => (json!(0), false),
    }
}

/// The leaves of a document a pull fetches.
struct Wanted {
    doc_id: String,
    revs: Vec<String>,
}

/// A record to push: its documents (the record at its new revision, and the closing of
/// other leaves) and what its mark becomes once the server has them.
struct Outgoing {
    id: Uuid,
    doc_id: String,
    mark: Mark,
    docs: Vec<(String, String)>,
    /// What of the document the app does not write itself, once the server has it: another
    /// program's fields, and the attachments as stubs.
    kept: couch::Kept,
    /// Photos whose bytes go with the record's document.
    photos: Vec<(String, PhotoMime)>,
}

fn outgoing(
    record: &Record,
    mark: Option<&Mark>,
    kept: &couch::Kept,
    may_write: bool,
    resend: bool,
) -> Outgoing {
    let json = couch::canonical(record);
    let doc_id = couch::doc_id(record);
    let sum = sync_sum(record, may_write);
    let (rev, parent) = match mark {
        None => (couch::child_rev(None, &json, Write::Content), None),
        // Clean and nothing to close: offered again as the revision it already is (to a
        // server that lost it).
        Some(m) if m.sum() == sum && m.others().is_empty() => (m.rev().to_owned(), None),
        Some(m) => (
            couch::child_rev(Some(m.rev()), &json, Write::Content),
            Some(m.rev()),
        ),
    };
    // A server that lost this tablet's checkpoint may have lost the photos too.
    let (kept, needed) = couch::with_photo_stubs(record, kept, parent.is_some() && !resend);
    let photos = if record.deleted {
        Vec::new()
    } else {
        needed.iter().map(|p| (p.hash.clone(), p.mime)).collect()
    };
    let mut docs = vec![(
        rev.clone(),
        couch::document(&doc_id, &json, &rev, parent, record.deleted, &kept),
    )];
    let mut closed = mark.map(|m| m.closed().to_vec()).unwrap_or_default();
    for leaf in mark.map(Mark::others).unwrap_or_default() {
        let close = couch::child_rev(Some(leaf), &json, Write::CloseLeaf);
        let doc = couch::document(
            &doc_id,
            &json,
            &close,
            Some(leaf),
            true,
            &couch::Kept::new(),
        );
        docs.push((close.clone(), doc));
        closed.push(close);
    }
    Outgoing {
        id: record.id,
        doc_id,
        mark: Mark(rev, sum, Vec::new(), closed),
        docs,
        kept,
        photos,
    }
}

/// A pulled batch folded into the ledger: the records to store, and the state with their
/// new marks and kept fields.
fn fold_pulled(
    ledger: &Ledger,
    state: &SyncState,
    me: &Identity,
    fetched: BTreeMap<Uuid, Vec<Leaf>>,
) -> (Vec<Record>, SyncState) {
    let mut records = Vec::new();
    let mut next = state.clone();
    let marks = &mut next.marks;
    for (id, leaves) in fetched {
        let Some(winner) = couch::winner(&leaves) else {
            continue;
        };
        if winner.kept.is_empty() {
            next.kept.remove(&id);
        } else {
            next.kept.insert(id, winner.kept.clone());
        }
        // A deleted leaf holding a live record closed a conflict: whoever closed it wrote
        // what it held into the merge beside it, so it is not folded in again (that would
        // only grow the history and make a revision nobody asked for).
        let Some(server) = leaves
            .iter()
            .filter(|l| !l.deleted || l.record.as_ref().is_some_and(|r| r.deleted))
            .filter_map(|l| l.record.as_ref())
            .fold(None::<Record>, |acc, r| {
                Some(acc.map_or_else(|| r.clone(), |a| merge_record(&a, r)))
            })
        else {
            // Deleted by another program (Fauxton, PouchDB's `remove()`) without the record's
            // fields: deleted here too, unless it changed here since the last sync; then it is
            // kept, and the next push writes it over the deletion (or is refused and listed).
            let Some(local) = ledger.get(&id).filter(|r| !r.sample && !r.deleted) else {
                continue;
            };
            let may_write = me.may_write(local);
            let mark = state.marks.get(&id);
            let closed = mark.map(|m| m.closed().to_vec()).unwrap_or_default();
            match mark {
                Some(mark) if sync_sum(local, may_write) == mark.sum() => {
                    let deleted = local.tombstone(
                        &deleted_on_server(),
                        local.updated_at + time::Duration::SECOND,
                    );
                    let sum = sync_sum(&deleted, may_write);
                    marks.insert(id, Mark(winner.rev.clone(), sum, Vec::new(), closed));
                    records.push(deleted);
                }
                _ => {
                    let sum = mark.map(|m| m.sum().to_owned()).unwrap_or_default();
                    marks.insert(id, Mark(winner.rev.clone(), sum, Vec::new(), closed));
                }
            }
            continue;
        };
        let local = ledger.get(&id).filter(|r| !r.sample);
        let may_write = me.may_write(&server);
        let unchanged_here = match (local, state.marks.get(&id)) {
            (Some(local), Some(mark)) => sync_sum(local, may_write) == mark.sum(),
            (Some(_), None) => false,
            (None, _) => true,
        };
        // Nothing changed here since the last sync: the server's record replaces ours, as
        // its newer revision (keeping any other version only this tablet has). Otherwise both
        // are kept by the merge rule.
        let merged = match local {
            Some(local) if !unchanged_here => merge_record(local, &server),
            Some(local) => with_versions_of(&server, local),
            None => server.clone(),
        };
        // What the server shows is its winning leaf. When the leaves fold into something
        // else (a conflict, or a deleted leaf that wins by the merge rule), a tablet that may
        // write the record writes the fold back as the winner's child and closes the other
        // leaves; one that may not keeps the fold and leaves the server as it is.
        let (basis, others) = match &winner.record {
            Some(shown) if may_write => (
                shown,
                leaves
                    .iter()
                    .filter(|l| !l.deleted && l.rev != winner.rev)
                    .map(|l| l.rev.clone())
                    .collect(),
            ),
            _ => (&server, Vec::new()),
        };
        let closed = state
            .marks
            .get(&id)
            .map(|m| m.closed().to_vec())
            .unwrap_or_default();
        marks.insert(
            id,
            Mark(
                winner.rev.clone(),
                sync_sum(basis, may_write),
                others,
                closed,
            ),
        );
        if local != Some(&merged) {
            records.push(merged);
        }
    }
    (records, next)
}

/// The documents among `unreadable` that have a record's document id (others are not the
/// app's), by document id.
fn unreadable_records(unreadable: &[Unreadable]) -> Vec<(String, String)> {
    unreadable
        .iter()
        .filter(|u| couch::parse_doc_id(&u.id).is_some())
        .map(|u| (u.id.clone(), u.reason.clone()))
        .collect()
}

/// Who a deletion made on the server by another program is put down to (it names nobody).
pub fn deleted_on_server() -> crate::domain::Author {
    crate::domain::Author {
        device_id: "server".into(),
        name: "server".into(),
    }
}

/// `server` with the versions of `local` it lacks added to its history (none, usually).
fn with_versions_of(server: &Record, local: &Record) -> Record {
    let known: Vec<Record> = std::iter::once(server.without_history())
        .chain(server.history.iter().cloned())
        .collect();
    let mut extra = local.history.iter().filter(|v| !known.contains(v));
    let Some(first) = extra.next() else {
        return server.clone();
    };
    let carrier = Record {
        history: extra.cloned().collect(),
        ..first.clone()
    };
    merge_record(server, &carrier)
}

/// The fingerprint a record's mark keeps. For a record this tablet may not write (another
/// officer's), only its shown version counts: versions that reached its history from a file
/// are no reason to offer the server a record it will refuse.
fn sync_sum(record: &Record, may_write: bool) -> String {
    if may_write {
        couch::content_sum(record)
    } else {
        couch::content_sum(&record.without_history())
    }
}

pub struct Replicator<'a, T: Transport, L: Local> {
    pub transport: &'a T,
    pub local: &'a L,
    pub me: &'a Identity,
    pub device_id: &'a str,
    /// New for each sync: names this sync in the checkpoints.
    pub session_id: &'a str,
    pub today: Date,
    /// Documents per request.
    pub batch: usize,
    pub retry: Retry,
    pub progress: &'a dyn Fn(Progress),
}

/// What one sync learns about the server as it goes.
struct Link {
    /// `_bulk_get` is there (until a 400, 404, 405 or 501 says it is not).
    bulk_get: Cell<bool>,
    /// Bytes of documents per `_bulk_docs` request (halved by each 413).
    bulk_bytes: Cell<usize>,
}

impl<T: Transport, L: Local> Replicator<'_, T, L> {
    /// Pulls, then pushes (also when the pull stopped for a reason of its own, see
    /// [`SyncReport::pull_failed`]). `state` is kept up to date with what has been stored,
    /// whether the sync completes or not; `finished_at` gives its last success time if it
    /// completes.
    pub async fn run(
        &self,
        state: &mut SyncState,
        finished_at: impl FnOnce() -> String,
    ) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        let link = Link {
            bulk_get: Cell::new(true),
            bulk_bytes: Cell::new(BULK_BYTES),
        };
        self.request(Method::Get, String::new(), None).await?;
        let mut scope = self.local.with_ledger(|ledger| Scope::of(self.me, ledger));
        let mut pulled = self.pull(state, &scope, &link, &mut report).await;
        // Teams this officer joined, as the pull just told: their records come too.
        let widened = self.local.with_ledger(|ledger| Scope::of(self.me, ledger));
        if pulled.is_ok() && widened != scope {
            scope = widened;
            pulled = self.pull(state, &scope, &link, &mut report).await;
        }
        report.resent = state.resend;
        if pulled.is_ok() {
            pulled = self.read_unreadable_again(state, &mut report).await;
        }
        if pulled.is_ok() {
            pulled = self.take_back_given_up(state, &mut report).await;
        }
        if let Err(error) = pulled {
            if !error.leaves_push_possible() {
                return Err(error);
            }
            report.pull_failed = Some(error);
        }
        self.push(state, &link, &mut report).await?;
        state.resend = false;
        self.fetch_photos(state, &mut report).await;
        if report.pull_failed.is_none() {
            state.last_success = Some(finished_at());
        }
        self.local.store(Vec::new(), state)?;
        Ok(report)
    }

    /// Sends a request, and again after a pause while it gets no answer or a transient one
    /// (as [`Replicator::retry`] says); the last answer or failure.
    async fn send(&self, request: Request) -> Result<Response, SyncError> {
        let path = request.path.clone();
        self.retried(
            &path,
            |r: &Response| r.status,
            async || self.transport.send(request.clone()).await,
        )
        .await
    }

    /// [`Replicator::send`] for a GET whose answer is bytes.
    async fn get_bytes(&self, path: String) -> Result<(u16, Vec<u8>), SyncError> {
        self.retried(
            &path,
            |(status, _): &(u16, Vec<u8>)| *status,
            async || self.transport.get_bytes(path.clone()).await,
        )
        .await
    }

    /// Runs `once` (a request to `path`) and again after a pause while it gets no answer or
    /// a transient `status` (as [`Replicator::retry`] says); the last answer or failure.
    async fn retried<A>(
        &self,
        path: &str,
        status: impl Fn(&A) -> u16,
        mut once: impl AsyncFnMut() -> Result<A, Unreachable>,
    ) -> Result<A, SyncError> {
        let mut attempt = 1;
        loop {
            let outcome = once().await;
            let again = match &outcome {
                Ok(answer) => is_transient(status(answer)),
                Err(_) => true,
            };
            if !again || attempt >= self.retry.attempts {
                return Ok(outcome?);
            }
            let pause = self.retry.pause(self.session_id, path, attempt);
            self.transport.pause(pause).await;
            attempt += 1;
        }
    }

    async fn request(
        &self,
        method: Method,
        path: String,
        body: Option<String>,
    ) -> Result<String, SyncError> {
        check(self.send(Request { method, path, body }).await?)
    }

    async fn remote_checkpoint(&self, path: &str) -> Result<Option<RemoteCheckpoint>, SyncError> {
        let response = self
            .send(Request {
                method: Method::Get,
                path: path.to_owned(),
                body: None,
            })
            .await?;
        if response.status == 404 {
            return Ok(None);
        }
        let body = check(response)?;
        // A checkpoint that does not read is as good as none: start from the beginning.
        Ok(serde_json::from_str(&body).ok())
    }

    async fn put_checkpoint(
        &self,
        path: &str,
        rev: Option<String>,
        checkpoint: &Checkpoint,
        history: &mut Vec<Value>,
    ) -> Result<Option<String>, SyncError> {
        history.retain(|h| h["session_id"] != checkpoint.session_id.as_str());
        history.insert(
            0,
            json!({"session_id": checkpoint.session_id, "last_seq": checkpoint.last_seq}),
        );
        history.truncate(5);
        let mut rev = rev;
        for attempt in 0..2 {
            let mut doc = json!({
                "session_id": checkpoint.session_id,
                "last_seq": checkpoint.last_seq,
                "history": history,
                "replicator": "field-ledger",
                "version": 1,
            });
            if let Some(rev) = &rev {
                doc["_rev"] = json!(rev);
            }
            let response = self
                .send(Request {
                    method: Method::Put,
                    path: path.to_owned(),
                    body: Some(doc.to_string()),
                })
                .await?;
            if response.status == 409 && attempt == 0 {
                // Written meanwhile (another tab of an older version): take its revision.
                rev = self.remote_checkpoint(path).await?.map(|c| c.rev);
                continue;
            }
            let body = check(response)?;
            let written: Value = serde_json::from_str(&body)
                .map_err(|e| SyncError::BadAnswer(format!("checkpoint: {e}")))?;
            return Ok(written["rev"].as_str().map(str::to_owned));
        }
        Err(SyncError::BadAnswer("checkpoint keeps changing".into()))
    }

    /// Pulls what `scope` takes, from where this device's checkpoint for it stands.
    async fn pull(
        &self,
        state: &mut SyncState,
        scope: &Scope,
        link: &Link,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let id = replication_id(self.device_id, &state.target, scope);
        let checkpoint_path = &format!("_local/{id}");
        let remote = self.remote_checkpoint(checkpoint_path).await?;
        // A checkpoint of another scope says nothing of where this one stands.
        let local = state
            .checkpoint
            .as_ref()
            .filter(|c| c.scope == scope.digest());
        let (mut since, server_lost) = start_from(local, remote.as_ref());
        if server_lost {
            state.resend = true;
        }
        let mut remote_rev = remote.as_ref().map(|r| r.rev.clone());
        let mut history: Vec<Value> = remote
            .map(|r| {
                r.history
                    .into_iter()
                    .map(|h| json!({"session_id": h.session_id, "last_seq": h.last_seq}))
                    .collect()
            })
            .unwrap_or_default();
        loop {
            let query = format!(
                "style=all_docs&limit={}&since={}",
                self.batch,
                encode_component(&seq_param(&since))
            );
            let body = match scope {
                Scope::All => {
                    self.request(Method::Get, format!("_changes?{query}"), None)
                        .await?
                }
                Scope::Selected(selector) => {
                    let path = format!("_changes?filter=_selector&{query}");
                    let selector = json!({ "selector": selector }).to_string();
                    self.request(Method::Post, path, Some(selector)).await?
                }
            };
            let changes: Changes = serde_json::from_str(&body)
                .map_err(|e| SyncError::BadAnswer(format!("_changes: {e}")))?;
            if changes.results.is_empty() {
                if remote_rev.is_none() {
                    // A server without this tablet's checkpoint and without changes (a new,
                    // empty database): record where it stands, or the next sync would take it
                    // for a lost database again.
                    let checkpoint = Checkpoint {
                        session_id: self.session_id.to_owned(),
                        last_seq: changes.last_seq,
                        scope: scope.digest(),
                    };
                    state.checkpoint = Some(checkpoint.clone());
                    self.local.store(Vec::new(), state)?;
                    self.put_checkpoint(checkpoint_path, None, &checkpoint, &mut history)
                        .await?;
                }
                return Ok(());
            }
            let mut wanted: BTreeMap<Uuid, Wanted> = BTreeMap::new();
            for change in &changes.results {
                if change.id.starts_with(couch::DESIGN_PREFIX) {
                    continue;
                }
                let Some((owner, id)) = couch::parse_doc_id(&change.id) else {
                    report.unreadable.push(Unreadable {
                        id: change.id.clone(),
                        reason: "not a record id".into(),
                    });
                    continue;
                };
                // A record's owner never changes: another user's document naming the id of
                // a record held here is not that record.
                let (held, owner_differs) = self.local.with_ledger(|l| match l.get(&id) {
                    Some(r) => (true, r.owner() != owner),
                    None => (false, false),
                });
                // Every deletion reaches an officer's tablet; one of another's record it
                // never held is nothing to it.
                let others = owner != self.me.user;
                if change.deleted && !held && others && matches!(scope, Scope::Selected(_)) {
                    continue;
                }
                if owner_differs {
                    report.unreadable.push(Unreadable {
                        id: change.id.clone(),
                        reason: "another owner's document for a record held here".into(),
                    });
                    continue;
                }
                // Leaves this tablet closed stay listed (deleted); they are known already.
                let mark = state.marks.get(&id);
                let closed = mark.map(Mark::closed).unwrap_or_default();
                let leaves: Vec<String> = change
                    .changes
                    .iter()
                    .map(|c| c.rev.clone())
                    .filter(|rev| !closed.contains(rev))
                    .collect();
                let have = mark.map(Mark::rev);
                if leaves.is_empty() || (leaves.len() == 1 && have == Some(leaves[0].as_str())) {
                    continue;
                }
                wanted.insert(
                    id,
                    Wanted {
                        doc_id: change.id.clone(),
                        revs: leaves,
                    },
                );
            }
            let reported = report.unreadable.len();
            let fetched = self.fetch(&wanted, &link.bulk_get, report).await?;
            let received = fetched.len();
            let unreadable = unreadable_records(&report.unreadable[reported..]);
            let checkpoint = Checkpoint {
                session_id: self.session_id.to_owned(),
                last_seq: changes.last_seq.clone(),
                scope: scope.digest(),
            };
            // Folded and stored with no await in between: nothing else writes meanwhile.
            let (records, mut next) = self
                .local
                .with_ledger(|ledger| fold_pulled(ledger, state, self.me, fetched));
            for wanted in wanted.values() {
                next.unreadable.remove(&wanted.doc_id);
            }
            next.unreadable.extend(unreadable);
            next.checkpoint = Some(checkpoint.clone());
            self.local.store(records, &next)?;
            *state = next;
            report.progress.down += received;
            (self.progress)(report.progress);
            remote_rev = self
                .put_checkpoint(checkpoint_path, remote_rev, &checkpoint, &mut history)
                .await?;
            let more = match changes.pending {
                Some(pending) => pending > 0,
                None => changes.results.len() >= self.batch,
            };
            if !more {
                return Ok(());
            }
            since = changes.last_seq;
        }
    }

    /// Reads the documents this tablet could not read before once more (all their leaves):
    /// those that read now are taken as a pulled batch would be, the others stay listed.
    async fn read_unreadable_again(
        &self,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        // Not those found unreadable by this sync's pull a moment ago.
        let just_read: Vec<&str> = report.unreadable.iter().map(|u| u.id.as_str()).collect();
        let ids: Vec<(String, Uuid)> = state
            .unreadable
            .keys()
            .filter(|doc_id| !just_read.contains(&doc_id.as_str()))
            .filter_map(|doc_id| Some((doc_id.clone(), couch::parse_doc_id(doc_id)?.1)))
            .collect();
        for (doc_id, id) in ids {
            let answers = self.all_leaves(&doc_id).await?;
            let closed = state.marks.get(&id).map(Mark::closed).unwrap_or_default();
            let mut leaves = Vec::new();
            let mut problem = None;
            for doc in answers.iter().filter_map(|a| a.get("ok")) {
                match couch::read_leaf(&doc_id, doc, self.today) {
                    Ok(leaf) if closed.contains(&leaf.rev) => {}
                    Ok(leaf) => leaves.push(leaf),
                    Err(unreadable) => problem = Some(unreadable),
                }
            }
            let mut next = state.clone();
            let mut records = Vec::new();
            match problem {
                Some(unreadable) => {
                    next.unreadable
                        .insert(doc_id.clone(), unreadable.reason.clone());
                    report.unreadable.push(unreadable);
                }
                None => {
                    next.unreadable.remove(&doc_id);
                    if !leaves.is_empty() {
                        let fetched = BTreeMap::from([(id, leaves)]);
                        let (taken, folded) = self
                            .local
                            .with_ledger(|ledger| fold_pulled(ledger, state, self.me, fetched));
                        next.marks = folded.marks;
                        next.kept = folded.kept;
                        records = taken;
                        report.progress.down += 1;
                    }
                }
            }
            if next != *state {
                self.local.store(records, &next)?;
                *state = next;
            }
        }
        Ok(())
    }

    /// Every leaf of a document as the server answers `open_revs=all` (none for a document
    /// that is not there).
    async fn all_leaves(&self, doc_id: &str) -> Result<Vec<Value>, SyncError> {
        let path = format!("{}?open_revs=all", encode_component(doc_id));
        let body = match self.request(Method::Get, path, None).await {
            Err(SyncError::Missing) => return Ok(Vec::new()),
            other => other?,
        };
        serde_json::from_str(&body).map_err(|e| SyncError::BadAnswer(format!("open_revs: {e}")))
    }

    /// The records whose refused edits the user gave up take the server's version (as if
    /// unchanged here since the last sync); one the server has not is left as it is.
    async fn take_back_given_up(
        &self,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        for id in state.given_up.clone() {
            let Some(local) = self.local.with_ledger(|l| l.get(&id).cloned()) else {
                continue;
            };
            let doc_id = couch::doc_id(&local);
            let leaves: Vec<Leaf> = self
                .all_leaves(&doc_id)
                .await?
                .iter()
                .filter_map(|a| a.get("ok"))
                .filter_map(|doc| couch::read_leaf(&doc_id, doc, self.today).ok())
                .collect();
            let mut next = state.clone();
            next.given_up.remove(&id);
            let mut records = Vec::new();
            if let Some(winner) = couch::winner(&leaves) {
                // Folded as a record not changed here since the last sync (one never pulled,
                // only imported, included): the server's version replaces it.
                let mut as_if_unchanged = state.clone();
                let sum = sync_sum(&local, self.me.may_write(&local));
                let mark = match state.marks.get(&id) {
                    Some(Mark(rev, _, others, closed)) => {
                        Mark(rev.clone(), sum, others.clone(), closed.clone())
                    }
                    None => Mark(winner.rev.clone(), sum, Vec::new(), Vec::new()),
                };
                as_if_unchanged.marks.insert(id, mark);
                let fetched = BTreeMap::from([(id, leaves)]);
                let (taken, folded) = self
                    .local
                    .with_ledger(|ledger| fold_pulled(ledger, &as_if_unchanged, self.me, fetched));
                next.marks = folded.marks;
                next.kept = folded.kept;
                records = taken;
                report.progress.down += 1;
            }
            self.local.store(records, &next)?;
            *state = next;
        }
        Ok(())
    }

    /// The wanted leaf revisions, by document. A document with a leaf that cannot be read is
    /// left out whole (its winner could not be known) and reported.
    async fn fetch(
        &self,
        wanted: &BTreeMap<Uuid, Wanted>,
        bulk_get: &Cell<bool>,
        report: &mut SyncReport,
    ) -> Result<BTreeMap<Uuid, Vec<Leaf>>, SyncError> {
        let mut docs: Vec<(&str, Value)> = Vec::new();
        if wanted.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut fetched_all = false;
        if bulk_get.get() {
            let request: Vec<Value> = wanted
                .values()
                .flat_map(|w| w.revs.iter().map(|rev| json!({"id": w.doc_id, "rev": rev})))
                .collect();
            let response = self
                .send(Request {
                    method: Method::Post,
                    path: "_bulk_get?revs=false".into(),
                    body: Some(json!({ "docs": request }).to_string()),
                })
                .await?;
            match response.status {
                200..=299 => {
                    let body: Value = serde_json::from_str(&response.body)
                        .map_err(|e| SyncError::BadAnswer(format!("_bulk_get: {e}")))?;
                    let results = body["results"]
                        .as_array()
                        .ok_or_else(|| SyncError::BadAnswer("_bulk_get: no results".into()))?;
                    for result in results {
                        // Only what was asked for is taken.
                        let Some(asked) = result["id"].as_str().and_then(|doc_id| {
                            let (_, id) = couch::parse_doc_id(doc_id)?;
                            wanted.get(&id).filter(|w| w.doc_id == doc_id)
                        }) else {
                            continue;
                        };
                        for doc in result["docs"].as_array().into_iter().flatten() {
                            if let Some(ok) = doc.get("ok") {
                                docs.push((&asked.doc_id, ok.clone()));
                            }
                        }
                    }
                    fetched_all = true;
                }
                // No `_bulk_get` on this server (CouchDB 1 takes the name for a document id).
                400 | 404 | 405 | 501 => bulk_get.set(false),
                // Anything else (a refusal, a server still failing after the retries) is
                // what it is: `_bulk_get` stays on for the next sync.
                _ => {
                    check(response)?;
                }
            }
        }
        if !fetched_all {
            for w in wanted.values() {
                let revs = serde_json::to_string(&w.revs).unwrap_or_default();
                let path = format!(
                    "{}?open_revs={}",
                    encode_component(&w.doc_id),
                    encode_component(&revs)
                );
                let fetched = self.request(Method::Get, path, None).await;
                let body = match fetched {
                    // Gone since the list of changes was read (purged): nothing to take.
                    Err(SyncError::Missing) => continue,
                    other => other?,
                };
                let answers: Vec<Value> = serde_json::from_str(&body)
                    .map_err(|e| SyncError::BadAnswer(format!("open_revs: {e}")))?;
                for answer in answers {
                    if let Some(ok) = answer.get("ok") {
                        docs.push((&w.doc_id, ok.clone()));
                    }
                }
            }
        }
        let mut leaves: BTreeMap<Uuid, Vec<Leaf>> = BTreeMap::new();
        let mut bad: Vec<Uuid> = Vec::new();
        for (doc_id, doc) in docs {
            let Some((_, id)) = couch::parse_doc_id(doc_id) else {
                continue;
            };
            match couch::read_leaf(doc_id, &doc, self.today) {
                Ok(leaf) => leaves.entry(id).or_default().push(leaf),
                Err(unreadable) => {
                    bad.push(id);
                    report.unreadable.push(unreadable);
                }
            }
        }
        for id in bad {
            leaves.remove(&id);
        }
        Ok(leaves)
    }

    async fn push(
        &self,
        state: &mut SyncState,
        link: &Link,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let resend = state.resend;
        let me = self.me;
        let pending: Vec<Uuid> = self.local.with_ledger(|ledger| {
            ledger
                .all()
                .filter(|r| !r.sample)
                // Deleting a record this user may not write stays on this tablet: the server
                // would refuse it.
                .filter(|r| !r.deleted || me.may_write(r))
                // Given up: the server's version comes first.
                .filter(|r| !state.given_up.contains(&r.id))
                .filter(|r| match state.marks.get(&r.id) {
                    None => true,
                    Some(mark) => {
                        !mark.others().is_empty()
                            || sync_sum(r, me.may_write(r)) != mark.sum()
                            || (resend && me.may_write(r))
                    }
                })
                .map(|r| r.id)
                .collect()
        });
        // What the server refused before and is no longer offered (taken since, or deleted
        // here) leaves the list.
        let offered: BTreeSet<&Uuid> = pending.iter().collect();
        state.refused.retain(|id, _| offered.contains(id));
        for chunk in pending.chunks(self.batch.max(1)) {
            let mut outgoing: Vec<Outgoing> = self.local.with_ledger(|ledger| {
                chunk
                    .iter()
                    .filter_map(|id| ledger.get(id))
                    .map(|r| {
                        let kept = state.kept.get(&r.id).cloned().unwrap_or_default();
                        let mark = state.marks.get(&r.id);
                        outgoing(r, mark, &kept, me.may_write(r), resend)
                    })
                    .collect()
            });
            let asked: BTreeMap<&str, Vec<&str>> = outgoing
                .iter()
                .map(|o| {
                    (
                        o.doc_id.as_str(),
                        o.docs.iter().map(|(rev, _)| rev.as_str()).collect(),
                    )
                })
                .collect();
            let body = self
                .request(
                    Method::Post,
                    "_revs_diff".into(),
                    Some(serde_json::to_string(&asked).unwrap_or_default()),
                )
                .await?;
            let missing: BTreeMap<String, Value> = serde_json::from_str(&body)
                .map_err(|e| SyncError::BadAnswer(format!("_revs_diff: {e}")))?;
            let is_missing = |doc_id: &str, rev: &str| {
                missing
                    .get(doc_id)
                    .and_then(|m| m["missing"].as_array())
                    .is_some_and(|revs| revs.iter().any(|r| r.as_str() == Some(rev)))
            };
            for o in &mut outgoing {
                if is_missing(&o.doc_id, &o.docs[0].0) {
                    self.attach_photos(o).await;
                }
            }
            let docs: Vec<(&str, &str)> = outgoing
                .iter()
                .flat_map(|o| {
                    o.docs
                        .iter()
                        .filter(|(rev, _)| is_missing(&o.doc_id, rev))
                        .map(|(_, doc)| (o.doc_id.as_str(), doc.as_str()))
                })
                .collect();
            let mut refused = self.write_docs(&docs, link).await?;
            for o in outgoing {
                let sent = o.docs.iter().any(|(rev, _)| is_missing(&o.doc_id, rev));
                match refused.remove(&o.doc_id) {
                    Some(reason) => {
                        let refusal = match self.local.with_ledger(|l| l.get(&o.id).cloned()) {
                            Some(version) => Refusal::Version {
                                reason,
                                version: Box::new(version),
                            },
                            None => Refusal::Reason(reason),
                        };
                        // A photo the server no longer has at the parent revision (CouchDB's
                        // `missing_stub`): its bytes go with the next try.
                        if refusal.reason().starts_with("missing_stub")
                            && let Some(kept) = state.kept.get_mut(&o.id)
                        {
                            kept.fields.remove("_attachments");
                        }
                        state.refused.insert(o.id, refusal);
                        report.refused += 1;
                    }
                    None => {
                        state.refused.remove(&o.id);
                        state.marks.insert(o.id, o.mark);
                        if is_missing(&o.doc_id, &o.docs[0].0) {
                            report.photos.up += o.photos.len();
                            if o.kept.is_empty() {
                                state.kept.remove(&o.id);
                            } else {
                                state.kept.insert(o.id, o.kept);
                            }
                        }
                        report.progress.up += usize::from(sent);
                    }
                }
            }
            self.local.store(Vec::new(), state)?;
            (self.progress)(report.progress);
        }
        Ok(())
    }

    /// Puts the bytes of the photos `o`'s document needs into it (and their stubs into what is
    /// kept once the server has it). A photo not on this tablet is left out: the record's
    /// text goes up all the same.
    async fn attach_photos(&self, o: &mut Outgoing) {
        let mut attachments = serde_json::Map::new();
        let mut stubs = match o.kept.fields.remove("_attachments") {
            Some(Value::Object(stubs)) => stubs,
            _ => serde_json::Map::new(),
        };
        let mut sent = Vec::new();
        for (hash, mime) in std::mem::take(&mut o.photos) {
            let Some(bytes) = self.local.photo(&hash).await else {
                continue;
            };
            if check_photo(&hash, mime, &bytes).is_err() {
                continue;
            }
            let (data, stub) = couch::photo_attachment(mime.as_str(), &bytes);
            attachments.insert(hash.clone(), data);
            stubs.insert(hash.clone(), stub);
            sent.push((hash, mime));
        }
        if !stubs.is_empty() {
            o.kept
                .fields
                .insert("_attachments".into(), Value::Object(stubs));
        }
        if !attachments.is_empty() {
            o.docs[0].1 = couch::with_attachments(&o.docs[0].1, attachments);
        }
        o.photos = sent;
    }

    /// Takes from the server the photos of the records held here that this tablet has not,
    /// those their documents have as attachments (each checked against its name, its hash,
    /// and its type before it is stored). Never fails the sync: what is left is reported.
    async fn fetch_photos(&self, state: &SyncState, report: &mut SyncReport) {
        let have = match self.local.photo_hashes().await {
            Ok(have) => have,
            Err(problem) => {
                report.photos.problem = Some(problem);
                return;
            }
        };
        let wanted: Vec<(String, String, PhotoMime)> = self.local.with_ledger(|ledger| {
            ledger
                .all()
                .filter(|r| !r.sample && !r.deleted)
                .flat_map(|r| {
                    let on_server = state
                        .kept
                        .get(&r.id)
                        .and_then(|k| k.fields.get("_attachments"))
                        .and_then(Value::as_object);
                    r.photos
                        .iter()
                        .filter(|p| !have.contains(&p.hash))
                        .filter(move |p| on_server.is_some_and(|s| s.contains_key(&p.hash)))
                        .map(|p| (couch::doc_id(r), p.hash.clone(), p.mime))
                        .collect::<Vec<_>>()
                })
                .collect()
        });
        let mut stopped = false;
        for (doc_id, hash, mime) in wanted {
            if stopped {
                report.photos.left += 1;
                continue;
            }
            let path = format!("{}/{hash}", encode_component(&doc_id));
            match self.get_bytes(path).await {
                Ok((200, bytes)) => match check_photo(&hash, mime, &bytes) {
                    Ok(()) => match self.local.store_photo(&hash, mime, bytes).await {
                        Ok(()) => report.photos.down += 1,
                        Err(problem) => {
                            // The photo store refused (full, unavailable): so will the rest.
                            report.photos.left += 1;
                            report.photos.problem = Some(problem);
                            stopped = true;
                        }
                    },
                    Err(problem) => {
                        report.photos.left += 1;
                        report.photos.problem = Some(format!("{hash}: {problem}"));
                    }
                },
                Ok((status, _)) => {
                    report.photos.left += 1;
                    if status != 404 {
                        report.photos.problem = Some(format!("HTTP {status}"));
                    }
                }
                Err(SyncError::Unreachable(problem)) => {
                    report.photos.left += 1;
                    report.photos.problem = Some(problem);
                    stopped = true;
                }
                Err(other) => {
                    report.photos.left += 1;
                    report.photos.problem = Some(other.to_string());
                }
            }
        }
    }

    /// Writes `docs` with `_bulk_docs` (`new_edits: false`), as many to a request as fit in
    /// [`Link::bulk_bytes`]; a 413 halves the request and the limit, and a document too large
    /// alone is refused. The records the server refused, with its reasons.
    async fn write_docs(
        &self,
        docs: &[(&str, &str)],
        link: &Link,
    ) -> Result<BTreeMap<String, String>, SyncError> {
        let mut refused = BTreeMap::new();
        let mut queue: VecDeque<&[(&str, &str)]> = by_bytes(docs, link.bulk_bytes.get()).collect();
        while let Some(group) = queue.pop_front() {
            let joined: Vec<&str> = group.iter().map(|(_, doc)| *doc).collect();
            let body = format!("{{\"new_edits\":false,\"docs\":[{}]}}", joined.join(","));
            let response = self
                .send(Request {
                    method: Method::Post,
                    path: "_bulk_docs".into(),
                    body: Some(body),
                })
                .await?;
            if response.status == 413 {
                let bytes: usize = group.iter().map(|(_, doc)| doc.len()).sum();
                link.bulk_bytes
                    .set(link.bulk_bytes.get().min(bytes / 2).max(1));
                if let [(id, _)] = group {
                    refused.insert((*id).to_owned(), TOO_LARGE.to_owned());
                } else {
                    let (first, second) = group.split_at(group.len() / 2);
                    queue.push_front(second);
                    queue.push_front(first);
                }
                continue;
            }
            let answer = check(response)?;
            let results: Vec<Value> = serde_json::from_str(&answer)
                .map_err(|e| SyncError::BadAnswer(format!("_bulk_docs: {e}")))?;
            for result in results {
                if let (Some(id), Some(error)) = (result["id"].as_str(), result.get("error")) {
                    let reason = result["reason"].as_str().unwrap_or_default();
                    let error = error.as_str().unwrap_or("error");
                    refused.insert(id.to_owned(), format!("{error}: {reason}"));
                }
            }
        }
        Ok(refused)
    }
}

/// The reason kept for a record whose document alone is more than the server takes.
pub const TOO_LARGE: &str = "too_large: the server takes no request this large (HTTP 413)";

/// `docs` in consecutive groups of at most `limit` bytes (a larger document alone).
fn by_bytes<'d, 'a>(
    docs: &'d [(&'a str, &'a str)],
    limit: usize,
) -> impl Iterator<Item = &'d [(&'a str, &'a str)]> {
    let mut rest = docs;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let take = rest
            .iter()
            .position(|(_, doc)| {
                bytes += doc.len();
                bytes > limit
            })
            .unwrap_or(rest.len())
            .max(1);
        let (group, tail) = rest.split_at(take);
        rest = tail;
        Some(group)
    })
}

/// The body of a successful answer, or what went wrong.
pub fn check(response: Response) -> Result<String, SyncError> {
    let reason = || {
        serde_json::from_str::<Value>(&response.body)
            .ok()
            .and_then(|v| v["reason"].as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    match response.status {
        200..=299 => Ok(response.body),
        401 => Err(SyncError::WrongPassword),
        403 => Err(SyncError::NotAllowed),
        // A missing document says "missing" or "deleted"; a missing database "Database does
        // not exist." (CouchDB) or "no_db_file" (older servers).
        404 if matches!(reason().as_str(), "missing" | "deleted") => Err(SyncError::Missing),
        404 => Err(SyncError::NoDatabase),
        status => Err(SyncError::Server {
            status,
            reason: reason().chars().take(200).collect(),
        }),
    }
}
