#![cfg(not(target_arch = "wasm32"))]
//! Tier 1: live sync against an in-memory CouchDB-like server (`support::fake_couch`) and
//! against CouchDB 3's recorded answers (`tests/fixtures/couchdb3/`): devices that meet on the
//! server, conflicts, lost connections, a recreated database, refused writes, full storage,
//! hostile answers, and the revision ids the protocol rests on.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use field_ledger::domain::merge::MergeReport;
use field_ledger::domain::*;
use field_ledger::replication::couch::{self, Leaf, Write};
use field_ledger::replication::engine::encode_component;
use field_ledger::replication::{
    Checkpoint, Identity, Local, Mark, Method, PhotoReport, Progress, Replicator, Request,
    Response, Retry, StateJournal, SyncError, SyncReport, SyncState, Transport, Unreachable,
};
use field_ledger::storage::{StorageError, Store, keys};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use field_ledger::domain::photo::{PhotoMime, photo_hash};
use field_ledger_test_support as support;
use support::fake_couch::{FakeCouch, Seqs, When, block_on, query_params};
use support::{Faulty, NOW, TODAY, id, jpeg, photo_of, png, training_about};

const TARGET: &str = "https://couch.example.org/fieldledger";
const BATCH: usize = 3;

const WANG: &str = "wang";
const LI: &str = "li";
const ZHAO: &str = "zhao";

// ---- a device ----------------------------------------------------------------------------

/// One tablet: its storage (in memory, with faults on demand), its ledger as the app shows
/// it, and its sync state.
struct Device {
    author: Author,
    me: Identity,
    password: RefCell<String>,
    kv: Faulty,
    store: Store,
    ledger: RefCell<Ledger>,
    state: RefCell<SyncState>,
    /// The sync state as stored.
    journal: RefCell<StateJournal>,
    syncs: Cell<u32>,
    /// The app's retries, unless a test wants a failure to end the sync at once.
    retry: Cell<Retry>,
    /// Documents per request.
    batch: Cell<usize>,
    /// The photo store: bytes by hash, and whether it refuses to store more (a full disk).
    photos: RefCell<BTreeMap<String, Vec<u8>>>,
    photos_full: Cell<bool>,
}

impl Local for Device {
    fn with_ledger<R>(&self, f: impl FnOnce(&Ledger) -> R) -> R {
        f(&self.ledger.borrow())
    }

    fn store(&self, records: Vec<Record>, state: &SyncState) -> Result<(), StorageError> {
        let write = self.journal.borrow().write(state);
        self.store.save_records_and(&records, &write.values)?;
        *self.journal.borrow_mut() = write.then;
        let mut ledger = self.ledger.borrow_mut();
        for record in records {
            ledger.put(record);
        }
        Ok(())
    }

    async fn photo(&self, hash: &str) -> Option<Vec<u8>> {
        self.photos.borrow().get(hash).cloned()
    }

    async fn photo_hashes(&self) -> Result<BTreeSet<String>, String> {
        Ok(self.photos.borrow().keys().cloned().collect())
    }

    async fn store_photo(&self, hash: &str, _: PhotoMime, bytes: Vec<u8>) -> Result<(), String> {
        if self.photos_full.get() {
            return Err("there is no room left for photos".into());
        }
        self.photos.borrow_mut().insert(hash.to_owned(), bytes);
        Ok(())
    }
}

impl Device {
    fn new(device_id: &str, user: &str, coordinator: bool) -> Device {
        let kv = Faulty::memory();
        let store = Store::open(kv.boxed()).unwrap();
        Device {
            author: Author {
                device_id: device_id.into(),
                name: user.into(),
            },
            me: Identity {
                user: user.into(),
                coordinator,
            },
            password: RefCell::new(format!("{user}-secret")),
            kv,
            store,
            ledger: RefCell::default(),
            state: RefCell::new(SyncState::new(TARGET)),
            journal: RefCell::default(),
            syncs: Cell::new(0),
            retry: Cell::new(Retry::POOR_LINK),
            batch: Cell::new(BATCH),
            photos: RefCell::default(),
            photos_full: Cell::new(false),
        }
    }

    fn officer_a() -> Device {
        Device::new("tablet-a", WANG, false)
    }

    fn officer_b() -> Device {
        Device::new("tablet-b", LI, false)
    }

    fn coordinator() -> Device {
        Device::new("office-pc", ZHAO, true)
    }

    /// A device whose sync stops at the first failure: what any sync does once its retries
    /// are spent (these tests are about what is left behind then).
    fn without_retries(self) -> Device {
        self.retry.set(Retry::NONE);
        self
    }

    fn save(&self, record: Record) -> Record {
        self.store
            .save_records(std::slice::from_ref(&record))
            .unwrap();
        self.ledger.borrow_mut().put(record.clone());
        record
    }

    fn create(&self, n: u128, topic: &str) -> Record {
        self.save(Record::create(
            id(n),
            training_about(topic),
            &self.author,
            NOW,
        ))
    }

    /// Trainings `n` titled "培训 n", one for each `n`.
    fn create_trainings(&self, ns: impl IntoIterator<Item = u128>) {
        for n in ns {
            self.create(n, &format!("培训 {n}"));
        }
    }

    /// A demand numbered `n`: a shared kind, which every officer's tablet holds.
    fn create_demand(&self, n: u128, need: &str) -> Record {
        self.save(Record::create(id(n), demand_of(need), &self.author, NOW))
    }

    fn edit_demand(&self, n: u128, need: &str, hours: i64) -> Record {
        let current = self.record(n);
        self.save(current.edited(demand_of(need), &self.author, at(hours)))
    }

    fn edit(&self, n: u128, topic: &str, hours: i64) -> Record {
        let current = self.record(n);
        self.save(current.edited(training_about(topic), &self.author, at(hours)))
    }

    /// Record `n` with `photos` as its photo list (their bytes stored here first, as the app
    /// does).
    fn set_photos(&self, n: u128, photos: &[&[u8]], hours: i64) -> Record {
        let refs = photos
            .iter()
            .map(|bytes| {
                let photo = photo_of(bytes, "现场照片");
                self.photos
                    .borrow_mut()
                    .insert(photo.hash.clone(), bytes.to_vec());
                photo
            })
            .collect();
        let current = self.record(n);
        self.save(current.with_photos(refs, &self.author, at(hours)))
    }

    fn delete(&self, n: u128, hours: i64) -> Record {
        let current = self.record(n);
        self.save(current.tombstone(&self.author, at(hours)))
    }

    fn record(&self, n: u128) -> Record {
        self.ledger.borrow().get(&id(n)).cloned().unwrap()
    }

    fn ledger(&self) -> Ledger {
        self.ledger.borrow().clone()
    }

    fn ids(&self) -> BTreeSet<Uuid> {
        self.ledger.borrow().all().map(|r| r.id).collect()
    }

    /// An import of these records, as the app does it.
    fn import(&self, records: Vec<Record>) -> MergeReport {
        let (report, changed) = self.ledger.borrow_mut().merge(records);
        self.store.save_records(&changed).unwrap();
        report
    }

    /// The state as stored (what the app would find after a restart).
    fn stored_state(&self) -> SyncState {
        let journal = self
            .kv
            .dump()
            .into_iter()
            .filter(|(key, _)| key.starts_with(keys::SYNC_JOURNAL_PREFIX))
            .collect();
        StateJournal::load(self.kv.raw(keys::SYNC_STATE).as_deref(), journal, TARGET)
            .state()
            .clone()
    }

    /// The records as stored.
    fn stored_ledger(&self) -> Ledger {
        let loaded = self.store.load_records().unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        Ledger::from_records(loaded.records)
    }

    fn sync(&self, server: &FakeCouch) -> Result<SyncReport, SyncError> {
        let client = server.client(&self.me.user, &self.password.borrow());
        self.sync_over(&client)
    }

    fn sync_over(&self, transport: &impl Transport) -> Result<SyncReport, SyncError> {
        let n = self.syncs.get() + 1;
        self.syncs.set(n);
        let session = format!("{}-session-{n}", self.author.device_id);
        let progress = |_: Progress| {};
        let replicator = Replicator {
            transport,
            local: self,
            me: &self.me,
            device_id: &self.author.device_id,
            session_id: &session,
            today: TODAY,
            batch: self.batch.get(),
            retry: self.retry.get(),
            progress: &progress,
        };
        let mut state = self.state.borrow().clone();
        let result =
            block_on(replicator.run(&mut state, move || format!("2022-06-20T10:{n:02}:00Z")));
        *self.state.borrow_mut() = state;
        result
    }
}

fn at(hours: i64) -> OffsetDateTime {
    NOW + Duration::hours(hours)
}

fn demand_of(need: &str) -> RecordBody {
    Demand {
        need: need.into(),
        ..support::demand("五美房村水稻合作社")
    }
    .into_body()
}

fn server(seqs: Seqs) -> FakeCouch {
    let server = FakeCouch::new(seqs);
    server.add_user(WANG, "wang-secret", false);
    server.add_user(LI, "li-secret", false);
    server.add_user(ZHAO, "zhao-secret", true);
    server
}

/// The document id of record `n` on `server`, whoever owns it.
fn key_on(server: &FakeCouch, n: u128) -> String {
    server.doc_id_of(&id(n))
}

/// The document id of record `n` of `owner`.
fn key(owner: &str, n: u128) -> String {
    format!("{owner}:{}", id(n))
}

fn up_down(report: &SyncReport) -> (usize, usize) {
    (report.progress.up, report.progress.down)
}

/// Each of these documents holds exactly one revision and one (live or deleted) leaf.
fn assert_one_revision_each(server: &FakeCouch, ids: impl IntoIterator<Item = u128>) {
    for n in ids {
        assert_eq!(
            server.revisions(&key_on(server, n)).len(),
            1,
            "revisions of {n}"
        );
        assert_eq!(server.leaves(&key_on(server, n)).len(), 1, "leaves of {n}");
    }
}

// ---- 1 and 10: records meet on the coordinator --------------------------------------------

fn officers_meet_on_the_coordinator(seqs: Seqs) {
    let server = server(seqs);
    let (a, b, c) = (
        Device::officer_a(),
        Device::officer_b(),
        Device::coordinator(),
    );
    for n in 1..=4 {
        a.create(n, &format!("A 的培训 {n}"));
    }
    a.delete(4, 1);
    for n in 11..=15 {
        b.create(n, &format!("B 的培训 {n}"));
    }

    let (a_alone, b_alone) = (a.ledger(), b.ledger());
    assert_eq!(up_down(&a.sync(&server).unwrap()), (4, 0));
    // Each officer's tablet carries its own work: A's records (A's deletion included) are
    // not B's to hold.
    assert_eq!(up_down(&b.sync(&server).unwrap()), (5, 0));
    assert_eq!(up_down(&c.sync(&server).unwrap()), (0, 9));

    // The coordinator has exactly the union, tombstone included.
    let union: Vec<Record> = a.ledger().all().chain(b.ledger().all()).cloned().collect();
    assert_eq!(c.ledger(), Ledger::from_records(union));
    assert!(c.record(4).deleted);
    assert_eq!(c.stored_ledger(), c.ledger());
    assert_one_revision_each(&server, (1..=4).chain(11..=15));
    assert!(server.is_deleted(&key_on(&server, 4), &server.leaves(&key_on(&server, 4))[0]));
    // The rev on the server is the one each device marked.
    let mark = c.state.borrow().marks[&id(12)].clone();
    assert_eq!(
        server.leaves(&key_on(&server, 12)),
        vec![mark.rev().to_owned()]
    );

    assert_eq!(up_down(&a.sync(&server).unwrap()), (0, 0));
    assert_eq!(up_down(&b.sync(&server).unwrap()), (0, 0));
    assert_eq!(up_down(&c.sync(&server).unwrap()), (0, 0));

    // Now nothing moves, and the requests show it: the checkpoint and the marks hold.
    server.clear_log();
    for device in [&a, &b, &c] {
        let report = device.sync(&server).unwrap();
        assert_eq!(report.progress, Progress::default());
        assert!(!report.resent);
        assert!(report.unreadable.is_empty());
    }
    for line in server.lines() {
        assert!(
            line == "GET "
                || line.starts_with("GET _local/")
                || line.starts_with("GET _changes?")
                || line.starts_with("POST _changes?filter=_selector&"),
            "unexpected request {line}"
        );
    }
    assert_eq!(server.lines().len(), 9);
    assert_eq!(a.ledger(), a_alone);
    assert_eq!(b.ledger(), b_alone);
    assert_eq!(server.locals().len(), 3, "one checkpoint per device");
    for device in [&a, &b, &c] {
        assert_eq!(device.stored_state(), *device.state.borrow());
        assert!(device.stored_state().last_success.is_some());
    }
}

#[test]
fn officers_records_meet_on_the_coordinator_and_a_second_sync_moves_nothing() {
    officers_meet_on_the_coordinator(Seqs::Integer);
}

#[test]
fn opaque_couchdb3_sequences_work_the_same() {
    officers_meet_on_the_coordinator(Seqs::Opaque);
}

#[test]
fn the_fake_refuses_a_sequence_it_never_issued() {
    // The fake itself must hold the client to passing sequences back verbatim.
    let server = server(Seqs::Opaque);
    let client = server.client(WANG, "wang-secret");
    let ask = |since: &str| {
        block_on(client.send(Request {
            method: Method::Get,
            path: format!("_changes?style=all_docs&since={}", encode_component(since)),
            body: None,
        }))
        .unwrap()
        .status
    };
    assert_eq!(ask("0"), 200);
    assert_eq!(ask("3"), 400);
    assert_eq!(ask("\"0\""), 400);
}

// ---- 2: the same record edited on two devices ---------------------------------------------

#[test]
fn edits_of_one_revision_on_two_devices_end_identical_everywhere() {
    let server = server(Seqs::Integer);
    let a1 = Device::officer_a();
    let a2 = Device::new("phone-a", WANG, false);
    let c = Device::coordinator();
    let v1 = a1.create(1, "水稻育秧");
    a1.sync(&server).unwrap();
    a2.sync(&server).unwrap();
    assert_eq!(a2.record(1), v1);

    let on_a1 = a1.edit(1, "A1 的修改", 1);
    let on_a2 = a2.edit(1, "A2 的修改", 2);
    for device in [&a1, &a2, &c, &a1, &a2] {
        device.sync(&server).unwrap();
    }
    let shown = c.record(1);
    // The later edit wins by the merge rule; the other one and the first revision are kept.
    assert_eq!(shown.body, on_a2.body);
    assert!(shown.history.contains(&on_a1.without_history()));
    assert_eq!(shown.revision, v1.revision + 1);
    assert_eq!(a1.record(1), shown);
    assert_eq!(a2.record(1), shown);
    assert_eq!(server.live_leaves(&key_on(&server, 1)).len(), 1);
    assert_eq!(server.leaves(&key_on(&server, 1)).len(), 1);
}

#[test]
fn a_conflict_on_the_server_is_closed_and_two_devices_close_it_alike() {
    let server = Rc::new(server(Seqs::Integer));
    let a1 = Rc::new(Device::officer_a());
    let a2 = Rc::new(Device::new("phone-a", WANG, false));
    let c = Device::coordinator();
    let v1 = a1.create(1, "水稻育秧");
    a1.sync(&server).unwrap();
    a2.sync(&server).unwrap();
    let r1 = server.leaves(&key_on(&server, 1))[0].clone();

    let on_a1 = a1.edit(1, "A1 的修改", 1);
    let on_a2 = a2.edit(1, "A2 的修改", 2);
    // A2 pushes while A1 is between its pull and its push: two leaves on the server.
    {
        let (server2, a2) = (Rc::clone(&server), Rc::clone(&a2));
        server.before_next(Some(Method::Post), "_revs_diff", move || {
            a2.sync(&server2).unwrap();
        });
    }
    a1.sync(&server).unwrap();
    let leaves = server.live_leaves(&key_on(&server, 1));
    assert_eq!(leaves.len(), 2, "a real conflict: {leaves:?}");
    for leaf in &leaves {
        assert_eq!(
            server.parent(&key_on(&server, 1), leaf).as_deref(),
            Some(r1.as_str())
        );
    }

    // The coordinator resolves it; A1 (the owner) resolves it at the same moment, between
    // the coordinator's pull and push.
    {
        let (server2, a1) = (Rc::clone(&server), Rc::clone(&a1));
        server.before_next(Some(Method::Post), "_revs_diff", move || {
            a1.sync(&server2).unwrap();
        });
    }
    server.clear_log();
    let report = c.sync(&server).unwrap();
    let log = server.log();
    let written_by_a1: Value = serde_json::from_str(
        log.iter()
            .find(|l| l.user == WANG && l.path == "_bulk_docs")
            .and_then(|l| l.body.as_deref())
            .expect("A1 closed the conflict"),
    )
    .unwrap();
    let revs_a1: BTreeSet<String> = written_by_a1["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["_rev"].as_str().unwrap().to_owned())
        .collect();
    let asked_by_c: Value = serde_json::from_str(
        log.iter()
            .find(|l| l.user == ZHAO && l.path == "_revs_diff")
            .and_then(|l| l.body.as_deref())
            .unwrap(),
    )
    .unwrap();
    let revs_c: BTreeSet<String> = asked_by_c[key_on(&server, 1)]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(revs_c, revs_a1, "the same resolution, the same revisions");
    assert_eq!(
        revs_c.len(),
        2,
        "the merged record and the closing of the loser"
    );
    assert!(
        !log.iter().any(|l| l.user == ZHAO && l.path == "_bulk_docs"),
        "the server had them: nothing for the coordinator to send"
    );
    assert_eq!(report.progress.up, 0);

    // One live leaf, a child of the winner; the loser got a deleted child.
    let live = server.live_leaves(&key_on(&server, 1));
    assert_eq!(live.len(), 1);
    let winner = server.parent(&key_on(&server, 1), &live[0]).unwrap();
    let loser = leaves.iter().find(|l| **l != winner).unwrap();
    let all_leaves = server.leaves(&key_on(&server, 1));
    assert_eq!(all_leaves.len(), 2);
    let closing = all_leaves.iter().find(|l| **l != live[0]).unwrap();
    assert!(server.is_deleted(&key_on(&server, 1), closing));
    assert_eq!(
        server.parent(&key_on(&server, 1), closing).as_ref(),
        Some(loser)
    );
    assert_eq!(
        server.revisions(&key_on(&server, 1)).len(),
        5,
        "r1, two edits, merge, closing"
    );

    a2.sync(&server).unwrap();
    a1.sync(&server).unwrap();
    let shown = c.record(1);
    assert_eq!(shown.body, on_a2.body);
    assert!(shown.history.contains(&on_a1.without_history()));
    assert_eq!(shown.revision, v1.revision + 1);
    for device in [&*a1, &*a2] {
        assert_eq!(device.record(1), shown);
        assert!(device.state.borrow().marks[&id(1)].others().is_empty());
    }
    assert_eq!(c.state.borrow().marks[&id(1)].rev(), live[0]);
    // And it stays closed: nobody writes again.
    for device in [&*a1, &*a2, &c] {
        assert_eq!(device.sync(&server).unwrap().progress.up, 0);
    }
    assert_eq!(server.revisions(&key_on(&server, 1)).len(), 5);
}

// ---- 3 and 4: lost connections ------------------------------------------------------------

#[test]
fn a_push_whose_answer_was_lost_is_retried_without_duplicates() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a().without_retries();
    a.create_trainings(1..=5);
    let before = a.ledger();
    server.fail_next(Some(Method::Post), "_bulk_docs", When::After);
    assert!(matches!(a.sync(&server), Err(SyncError::Unreachable(_))));
    // The first batch landed, its answer did not: nothing is marked.
    assert_eq!(server.doc_ids().len(), 3);
    assert!(a.state.borrow().marks.is_empty());
    assert!(a.stored_state().marks.is_empty());
    assert!(a.stored_state().last_success.is_none());

    let report = a.sync(&server).unwrap();
    // The three it finds are its own: taken as they are; the other two are sent.
    assert_eq!(up_down(&report), (2, 3));
    assert_eq!(a.ledger(), before);
    assert_one_revision_each(&server, 1..=5);
    assert_eq!(a.state.borrow().marks.len(), 5);

    // An edit whose push answer is lost: one new revision, not two.
    let edited = a.edit(2, "培训 2（修订）", 1);
    server.fail_next(Some(Method::Post), "_bulk_docs", When::After);
    assert!(a.sync(&server).is_err());
    assert_eq!(server.revisions(&key_on(&server, 2)).len(), 2);
    let report = a.sync(&server).unwrap();
    assert_eq!(report.progress.up, 0, "the server has it already");
    assert_eq!(server.revisions(&key_on(&server, 2)).len(), 2);
    assert_eq!(server.leaves(&key_on(&server, 2)).len(), 1);
    assert_eq!(a.record(2), edited);
    assert_eq!(
        a.state.borrow().marks[&id(2)].rev(),
        server.leaves(&key_on(&server, 2))[0]
    );
}

#[test]
fn a_push_lost_before_it_arrived_is_sent_next_time() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a().without_retries();
    a.create_trainings(1..=4);
    server.fail_next(Some(Method::Post), "_bulk_docs", When::Before);
    assert!(matches!(a.sync(&server), Err(SyncError::Unreachable(_))));
    assert!(server.doc_ids().is_empty());
    assert_eq!(up_down(&a.sync(&server).unwrap()), (4, 0));
    assert_one_revision_each(&server, 1..=4);
}

/// Every document the checkpoint covers is in the device's storage, and none past it.
fn assert_checkpoint_covers_exactly_what_is_stored(server: &FakeCouch, device: &Device) {
    let stored = device.stored_state();
    let upto = stored.checkpoint.as_ref().map_or(0, |c| {
        server
            .seq_number(&c.last_seq)
            .expect("a sequence the server issued")
    });
    let have = device.stored_ledger();
    for doc in server.doc_ids() {
        let covered = server.seq_of(&doc).unwrap() <= upto;
        let present = have.get(&couch::parse_doc_id(&doc).unwrap().1).is_some();
        assert_eq!(covered, present, "doc {doc}, checkpoint {upto}");
    }
}

#[test]
fn a_pull_cut_off_midway_keeps_what_was_stored_and_finishes_next_time() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=7);
    a.sync(&server).unwrap();

    let c = Device::coordinator().without_retries();
    // GET "", GET _local, then per batch: _changes, _bulk_get, PUT _local. The 7th request
    // is the second batch's _bulk_get.
    server.clear_log();
    server.fail_nth(6, When::Before);
    assert!(matches!(c.sync(&server), Err(SyncError::Unreachable(_))));
    let lines = server.lines();
    assert!(
        lines.last().unwrap().starts_with("POST _bulk_get"),
        "{lines:?}"
    );
    assert_eq!(c.ids().len(), 3, "the first batch is stored");
    assert_checkpoint_covers_exactly_what_is_stored(&server, &c);
    let checkpoint = c.stored_state().checkpoint.unwrap();
    let remote = server
        .locals()
        .into_iter()
        .map(|id| server.local(&id).unwrap())
        .find(|doc| doc["session_id"] == json!(checkpoint.session_id))
        .expect("the coordinator's checkpoint is on the server");
    assert_eq!(
        remote["last_seq"], checkpoint.last_seq,
        "the server's checkpoint is the stored one"
    );

    let report = c.sync(&server).unwrap();
    assert_eq!(report.progress.down, 4, "only what was missing");
    assert_eq!(c.ledger(), a.ledger());
    assert_eq!(c.stored_ledger(), a.ledger());
}

#[test]
fn a_lost_checkpoint_write_leaves_a_consistent_device() {
    for when in [When::Before, When::After] {
        let server = server(Seqs::Opaque);
        let a = Device::officer_a();
        for n in 1..=5 {
            a.create(n, &format!("培训 {n}"));
        }
        a.sync(&server).unwrap();

        let c = Device::coordinator().without_retries();
        server.fail_next(Some(Method::Put), "_local/", when);
        assert!(matches!(c.sync(&server), Err(SyncError::Unreachable(_))));
        // The first batch and its checkpoint were stored together.
        assert_eq!(c.ids().len(), 3);
        assert_checkpoint_covers_exactly_what_is_stored(&server, &c);
        // A's checkpoint (from its first sync, to the empty database), and the coordinator's
        // if its write landed.
        assert_eq!(server.locals().len(), 1 + usize::from(when == When::After));

        c.sync(&server).unwrap();
        assert_eq!(c.ledger(), a.ledger(), "{when:?}");
        assert_one_revision_each(&server, 1..=5);
        assert_eq!(c.sync(&server).unwrap().progress, Progress::default());
    }
}

// ---- 5: the database deleted and created again ---------------------------------------------

#[test]
fn a_recreated_database_gets_everything_again() {
    let server = server(Seqs::Opaque);
    let (a, b, c) = (
        Device::officer_a(),
        Device::officer_b(),
        Device::coordinator(),
    );
    for n in 1..=4 {
        a.create(n, &format!("A {n}"));
    }
    for n in 11..=12 {
        b.create(n, &format!("B {n}"));
    }
    for device in [&a, &b, &c, &a] {
        device.sync(&server).unwrap();
    }
    let revs_before: Vec<Vec<String>> = (1..=4)
        .chain(11..=12)
        .map(|n| server.leaves(&key_on(&server, n)))
        .collect();
    let coordinator_before = c.ledger();

    server.recreate();
    let report = a.sync(&server).unwrap();
    assert!(report.resent);
    assert_eq!(report.progress.up, 4, "its own records only");
    let report = b.sync(&server).unwrap();
    assert!(report.resent);
    assert_eq!(
        up_down(&report),
        (2, 0),
        "A's records came back as the revisions B has"
    );
    let report = c.sync(&server).unwrap();
    assert!(report.resent);
    assert_eq!(report.progress.up, 0, "everything is there already");
    assert_eq!(c.ledger(), coordinator_before);
    // The same revisions as before: nothing new was written.
    let revs_after: Vec<Vec<String>> = (1..=4)
        .chain(11..=12)
        .map(|n| server.leaves(&key_on(&server, n)))
        .collect();
    assert_eq!(revs_after, revs_before);
    assert_one_revision_each(&server, (1..=4).chain(11..=12));
    for device in [&a, &b, &c] {
        assert!(!device.stored_state().resend);
    }
}

#[test]
fn a_resend_cut_off_midway_goes_on_until_one_push_completes() {
    let server = server(Seqs::Integer);
    let (a, b) = (Device::officer_a().without_retries(), Device::officer_b());
    for n in 1..=7 {
        a.create(n, &format!("A {n}"));
    }
    b.create_demand(11, "B 11");
    a.sync(&server).unwrap();
    b.sync(&server).unwrap();
    a.sync(&server).unwrap();

    server.recreate();
    // B comes first, so that A's next pull finds something and writes a checkpoint.
    b.sync(&server).unwrap();
    // A's resend: the second batch is lost.
    server.clear_log();
    server.fail_later(Some(Method::Post), "_bulk_docs", 1, When::Before);
    let result = a.sync(&server);
    assert!(
        matches!(result, Err(SyncError::Unreachable(_))),
        "{result:?}"
    );
    assert_eq!(server.doc_ids().len(), 1 + 3);
    assert!(a.stored_state().resend, "the resend is remembered");
    let session = a.stored_state().checkpoint.map(|c| json!(c.session_id));
    assert!(
        server
            .locals()
            .iter()
            .any(|id| Some(server.local(id).unwrap()["session_id"].clone()) == session),
        "A's checkpoint is on the server again"
    );

    // The next sync knows of no lost checkpoint, and still offers everything.
    let report = a.sync(&server).unwrap();
    assert!(report.resent);
    assert_eq!(report.progress.up, 4);
    assert!(!a.stored_state().resend);
    assert_one_revision_each(&server, (1..=7).chain([11]));
    let c = Device::coordinator();
    c.sync(&server).unwrap();
    assert_eq!(c.ledger(), a.ledger());
}

// ---- 6: wrong password ---------------------------------------------------------------------

#[test]
fn a_wrong_password_changes_nothing_anywhere() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    a.sync(&server).unwrap();
    a.create(2, "培训 2");
    a.edit(1, "培训 1（修订）", 1);
    *a.password.borrow_mut() = "typo".into();
    let storage = a.kv.dump();
    let (ledger, state) = (a.ledger(), a.state.borrow().clone());
    server.clear_log();

    assert_eq!(a.sync(&server), Err(SyncError::WrongPassword));
    assert_eq!(a.kv.dump(), storage, "storage byte for byte");
    assert_eq!(a.ledger(), ledger);
    assert_eq!(*a.state.borrow(), state);
    assert_eq!(server.lines(), vec!["GET ".to_owned()]);
    assert_eq!(server.revisions(&key_on(&server, 1)).len(), 1);
    assert!(server.revisions(&key_on(&server, 2)).is_empty());

    *a.password.borrow_mut() = "wang-secret".into();
    assert_eq!(a.sync(&server).unwrap().progress.up, 2);
}

// ---- 7: refused writes ---------------------------------------------------------------------

#[test]
fn a_refused_record_is_kept_flagged_retried_and_cleared_once_permitted() {
    let server = server(Seqs::Integer);
    let (a, b) = (Device::officer_a(), Device::officer_b());
    b.create_demand(11, "B 的需求");
    b.sync(&server).unwrap();
    a.sync(&server).unwrap();
    let edited = a.edit_demand(11, "A 改了 B 的需求", 1);
    assert_eq!(edited.owner(), LI);
    let for_b = a.save(Record::create(
        id(12),
        training_about("替 B 录入"),
        &Author {
            device_id: "tablet-a".into(),
            name: LI.into(),
        },
        NOW,
    ));
    a.create(1, "A 自己的");

    let report = a.sync(&server).unwrap();
    assert_eq!(report.refused, 2);
    assert_eq!(report.progress.up, 1, "its own record went through");
    let refused: BTreeSet<Uuid> = a.state.borrow().refused.keys().copied().collect();
    assert_eq!(refused, BTreeSet::from([id(11), id(12)]));
    assert!(
        a.state.borrow().refused[&id(11)]
            .reason()
            .contains("forbidden")
    );
    assert_eq!(a.state.borrow().refused[&id(11)].version(), Some(&edited));
    assert_eq!(a.stored_state().refused, a.state.borrow().refused);
    assert_eq!(a.record(11), edited, "kept as written");
    assert_eq!(a.record(12), for_b);
    assert_eq!(server.revisions(&key_on(&server, 11)).len(), 1);
    assert!(server.revisions(&key_on(&server, 12)).is_empty());

    // Tried again at the next sync.
    server.clear_log();
    let report = a.sync(&server).unwrap();
    assert_eq!(report.refused, 2);
    let sent = server
        .log()
        .into_iter()
        .find(|l| l.path == "_bulk_docs")
        .and_then(|l| l.body)
        .expect("sent again");
    assert!(sent.contains(&key(LI, 11)) && sent.contains(&key(LI, 12)));

    // Edited again: the list shows the version the last push refused. The record made for B
    // and deleted here is not offered (the server would refuse it) and leaves the list.
    let edited = a.edit_demand(11, "A 又改了 B 的需求", 2);
    a.delete(12, 3);
    let report = a.sync(&server).unwrap();
    assert_eq!(report.refused, 1);
    let refused = a.stored_state().refused;
    assert_eq!(refused.keys().copied().collect::<Vec<_>>(), vec![id(11)]);
    assert_eq!(refused[&id(11)].version(), Some(&edited));
    assert!(server.revisions(&key_on(&server, 12)).is_empty());
    // A state stored by an older version (the reason alone) still reads.
    let old = a.stored_state().to_json().replace(
        &serde_json::to_string(&refused[&id(11)]).unwrap(),
        r#""forbidden: no""#,
    );
    let read = SyncState::from_stored(Some(&old), TARGET);
    assert_eq!(read.refused[&id(11)].reason(), "forbidden: no");
    assert_eq!(read.refused[&id(11)].version(), None);

    // Once the server permits it, it goes through and the flag clears.
    server.set_coordinator(WANG, true);
    let report = a.sync(&server).unwrap();
    assert_eq!((report.refused, report.progress.up), (0, 1));
    assert!(a.state.borrow().refused.is_empty());
    assert!(a.stored_state().refused.is_empty());
    b.sync(&server).unwrap();
    assert_eq!(b.record(11), edited);
    assert!(b.ledger().get(&id(12)).is_none());
}

#[test]
fn giving_up_a_refused_edit_takes_the_servers_version_at_the_next_sync() {
    let server = server(Seqs::Integer);
    let (a, b) = (Device::officer_a(), Device::officer_b());
    b.create_demand(11, "B 的需求");
    b.sync(&server).unwrap();
    a.sync(&server).unwrap();
    a.edit_demand(11, "A 改了 B 的需求", 1);
    a.edit_demand(11, "A 又改了一次", 2);
    assert_eq!(a.sync(&server).unwrap().refused, 1);
    // Meanwhile B edits it too: the version to go back to is the server's latest.
    let latest = b.edit_demand(11, "B 补充的需求", 3);
    b.sync(&server).unwrap();
    // As the sync page does it: out of the list, onto the given-up list, stored at once.
    let mut next = a.state.borrow().clone();
    next.refused.remove(&id(11));
    next.given_up.insert(id(11));
    a.store(Vec::new(), &next).unwrap();
    *a.state.borrow_mut() = next;
    let report = a.sync(&server).unwrap();
    assert_eq!((report.refused, report.progress.up), (0, 0));
    assert_eq!(a.record(11), latest);
    assert_eq!(a.stored_ledger().get(&id(11)), Some(&latest));
    let stored = a.stored_state();
    assert!(stored.refused.is_empty() && stored.given_up.is_empty());
    assert_eq!(server.live_leaves(&key(LI, 11)).len(), 1, "nothing written");
    assert_eq!(a.sync(&server).unwrap().progress, Progress::default());
}

// ---- 8: full storage -----------------------------------------------------------------------

#[test]
fn a_full_storage_during_a_pull_changes_nothing_and_the_next_sync_completes() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=2);
    a.sync(&server).unwrap();
    let c = Device::coordinator();
    c.sync(&server).unwrap();
    a.create_trainings(3..=8);
    a.sync(&server).unwrap();

    let storage = c.kv.dump();
    let ledger = c.ledger();
    let remote_checkpoint = server.local(
        &server
            .locals()
            .into_iter()
            .find(|l| {
                server.local(l).unwrap()["session_id"]
                    .as_str()
                    .unwrap()
                    .starts_with("office-pc")
            })
            .unwrap(),
    );
    c.kv.set_quota(Some(c.kv.units() + 10));
    let report = c.sync(&server).unwrap();
    assert_eq!(
        report.pull_failed,
        Some(SyncError::Storage(StorageError::QuotaExceeded))
    );
    assert_eq!(c.kv.dump(), storage, "nothing half-written");
    assert_eq!(c.ledger(), ledger);
    assert_eq!(c.state.borrow().checkpoint, c.stored_state().checkpoint);
    let after = server.locals().into_iter().find(|l| {
        server.local(l).unwrap()["session_id"]
            .as_str()
            .unwrap()
            .starts_with("office-pc")
    });
    assert_eq!(
        server.local(&after.unwrap()),
        remote_checkpoint,
        "not advanced"
    );
    assert_checkpoint_covers_exactly_what_is_stored(&server, &c);

    c.kv.heal();
    let report = c.sync(&server).unwrap();
    assert_eq!(report.progress.down, 6);
    assert_eq!(c.ledger(), a.ledger());
}

// ---- 9: a file made before any sync --------------------------------------------------------

#[test]
fn an_export_from_before_the_sync_adds_nothing_and_makes_no_revisions() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=3);
    let file = ExportEnvelope::new(a.ledger().all().cloned().collect(), "tablet-a", NOW, None)
        .to_json()
        .unwrap();
    a.sync(&server).unwrap();
    let revisions: Vec<_> = (1..=3)
        .map(|n| server.revisions(&key_on(&server, n)))
        .collect();

    // Imported after the coordinator pulled the same records.
    let c = Device::coordinator();
    c.sync(&server).unwrap();
    let before = c.ledger();
    let report = c.import(parse_export(&file, TODAY).unwrap().records);
    assert_eq!((report.added, report.updated, report.unchanged), (0, 0, 3));
    assert_eq!(c.ledger(), before);
    assert_eq!(c.sync(&server).unwrap().progress, Progress::default());

    // Imported before another coordinator's first sync.
    let c2 = Device::new("office-laptop", ZHAO, true);
    let report = c2.import(parse_export(&file, TODAY).unwrap().records);
    assert_eq!(report.added, 3);
    let report = c2.sync(&server).unwrap();
    assert_eq!(up_down(&report), (0, 3));
    assert_eq!(c2.ledger(), a.ledger());
    assert_eq!(c2.sync(&server).unwrap().progress, Progress::default());
    let after: Vec<_> = (1..=3)
        .map(|n| server.revisions(&key_on(&server, n)))
        .collect();
    assert_eq!(after, revisions, "no new revisions");
}

// ---- 10: CouchDB 3's own answers -----------------------------------------------------------

const RECORD_A: &str = "3f2b8c1e-9d4a-4e7b-8f61-2c5d0a9b7e14";
const RECORD_B: &str = "b71e6d20-4c3f-4a89-9e2d-5f8a1c0b3d67";
const DOC_A: &str = "zhou:3f2b8c1e-9d4a-4e7b-8f61-2c5d0a9b7e14";
const DOC_B: &str = "zhou:b71e6d20-4c3f-4a89-9e2d-5f8a1c0b3d67";
const A_WINNER: &str = "3-9d607a663f3e9b0a90c3c8d4426640dc";
const A_CONFLICT: &str = "2-53f1ce1310367adfe34e70e39c454d88";
const B_DELETED: &str = "4-3dfe563103ab11bec75bb5081e7a1dbe";
const FIXTURE_SESSION: &str = "7c1e2f9a-4b3d-4e8f-9a26-0d5b8c3e1f74";
const OLDER_SESSION: &str = "2a9d6e0b-83f1-4c57-b6e2-9f4a1d7c3b08";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/couchdb3/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// A transport that answers from a function and keeps every request.
struct Replay<F: Fn(&Request) -> Response> {
    answer: F,
    log: RefCell<Vec<Request>>,
}

impl<F: Fn(&Request) -> Response> Transport for Replay<F> {
    async fn send(&self, request: Request) -> Result<Response, Unreachable> {
        self.log.borrow_mut().push(request.clone());
        Ok((self.answer)(&request))
    }

    async fn get_bytes(&self, path: String) -> Result<(u16, Vec<u8>), Unreachable> {
        let request = Request {
            method: field_ledger::replication::Method::Get,
            path,
            body: None,
        };
        self.log.borrow_mut().push(request.clone());
        let answer = (self.answer)(&request);
        Ok((answer.status, answer.body.into_bytes()))
    }

    async fn pause(&self, _: std::time::Duration) {}
}

fn replay<F: Fn(&Request) -> Response>(answer: F) -> Replay<F> {
    Replay {
        answer,
        log: RefCell::default(),
    }
}

fn ok(status: u16, body: impl Into<String>) -> Response {
    Response {
        status,
        body: body.into(),
    }
}

/// A record of doc A's as a document at `rev`.
fn record_doc(record: &Record, rev: &str, deleted: bool) -> Value {
    let mut doc = serde_json::to_value(record).unwrap();
    doc["_id"] = json!(couch::doc_id(record));
    doc["_rev"] = json!(rev);
    if deleted {
        doc["_deleted"] = json!(true);
    }
    doc
}

fn doc_a_versions() -> (Record, Record) {
    let other = Author {
        device_id: "tablet-x".into(),
        name: "zhou".into(),
    };
    let v1 = Record::create(
        Uuid::parse_str(RECORD_A).unwrap(),
        training_about("第一版"),
        &other,
        NOW,
    );
    let v2 = v1.edited(training_about("冲突的修改"), &other, at(1));
    let v3 = v2.edited(training_about("第三版"), &other, at(2)).edited(
        training_about("第三版"),
        &other,
        at(3),
    );
    (v3, v2)
}

/// The server side of the fixtures' scenario: `_changes` from the files, `_bulk_get` as
/// given, the checkpoint as given (or missing), pushes accepted.
fn fixture_server(
    checkpoint: Option<String>,
    bulk_get: impl Fn(&Value) -> String,
) -> impl Fn(&Request) -> Response {
    let page1 = fixture_json("changes-page1.json");
    let last_seq = page1["last_seq"].as_str().unwrap().to_owned();
    let older_seq = page1["results"][0]["seq"].as_str().unwrap().to_owned();
    move |request| {
        let (base, params) = query_params(&request.path);
        match (request.method, base.as_str()) {
            (Method::Get, "") => ok(200, r#"{"db_name":"db","update_seq":"8-g1AAAA"}"#),
            (Method::Get, local) if local.starts_with("_local/") => match &checkpoint {
                Some(doc) => ok(200, doc.clone()),
                None => ok(404, r#"{"error":"not_found","reason":"missing"}"#),
            },
            (Method::Put, local) if local.starts_with("_local/") => ok(
                201,
                json!({"ok": true, "id": local, "rev": "0-3"}).to_string(),
            ),
            (Method::Get, "_changes") => {
                assert_eq!(params["style"], "all_docs");
                let since = &params["since"];
                if since == "0" {
                    ok(200, fixture("changes-page1.json"))
                } else if *since == last_seq || *since == older_seq {
                    ok(200, fixture("changes-page2.json"))
                } else {
                    ok(
                        400,
                        r#"{"error":"bad_request","reason":"Malformed sequence supplied in 'since' parameter."}"#,
                    )
                }
            }
            (Method::Post, "_bulk_get") => {
                let asked: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
                ok(200, bulk_get(&asked))
            }
            (Method::Post, "_revs_diff") => {
                // Everything asked is missing.
                let asked: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
                let answer: serde_json::Map<String, Value> = asked
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(id, revs)| (id.clone(), json!({ "missing": revs })))
                    .collect();
                ok(200, Value::Object(answer).to_string())
            }
            (Method::Post, "_bulk_docs") => ok(201, fixture("bulk_docs-new_edits_false-ok.json")),
            _ => panic!("unexpected request {request:?}"),
        }
    }
}

#[test]
fn couchdb3_changes_with_a_conflict_and_a_deletion_are_pulled_and_the_conflict_closed() {
    let (v3, v2) = doc_a_versions();
    let (winner_doc, conflict_doc) = (
        record_doc(&v3, A_WINNER, false),
        record_doc(&v2, A_CONFLICT, false),
    );
    let transport = replay(fixture_server(None, move |asked| {
        // The client asks for every leaf of A and the deleted leaf of B.
        let asked: BTreeSet<(String, String)> = asked["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_owned(),
                    d["rev"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            asked,
            BTreeSet::from([
                (DOC_A.to_owned(), A_WINNER.to_owned()),
                (DOC_A.to_owned(), A_CONFLICT.to_owned()),
                (DOC_B.to_owned(), B_DELETED.to_owned()),
            ])
        );
        json!({"results": [
            {"id": DOC_A, "docs": [{"ok": winner_doc}, {"ok": conflict_doc}]},
            // Deleted with a plain DELETE: no record in it.
            {"id": DOC_B, "docs": [{"ok": {"_id": DOC_B, "_rev": B_DELETED, "_deleted": true}}]},
        ]})
        .to_string()
    }));
    let c = Device::new("office-pc", ZHAO, true);
    let report = c.sync_over(&transport).unwrap();
    assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
    assert_eq!(report.progress.down, 2);

    let a = c
        .ledger()
        .get(&Uuid::parse_str(RECORD_A).unwrap())
        .cloned()
        .unwrap();
    assert_eq!(a.body, v3.body);
    assert!(
        a.history.contains(&v2),
        "the conflicting leaf is kept in the history"
    );
    assert!(
        c.ledger()
            .get(&Uuid::parse_str(RECORD_B).unwrap())
            .is_none()
    );

    let log = transport.log.borrow();
    // The checkpoint holds the opaque sequence exactly as sent.
    let page1 = fixture_json("changes-page1.json");
    let put = log.iter().find(|r| r.method == Method::Put).unwrap();
    let put: Value = serde_json::from_str(put.body.as_deref().unwrap()).unwrap();
    assert_eq!(put["last_seq"], page1["last_seq"]);
    assert_eq!(
        c.stored_state().checkpoint.unwrap().last_seq,
        page1["last_seq"]
    );
    // The coordinator closes the conflict: the merged record as a child of the winner, and
    // a deleted child of the other leaf.
    let pushed = log.iter().find(|r| r.path == "_bulk_docs").unwrap();
    let pushed: Value = serde_json::from_str(pushed.body.as_deref().unwrap()).unwrap();
    assert_eq!(pushed["new_edits"], json!(false));
    let docs = pushed["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["_revisions"]["start"], json!(4));
    assert_eq!(
        docs[0]["_revisions"]["ids"][1],
        json!(couch::rev_hash(A_WINNER))
    );
    assert_eq!(docs[0].get("_deleted"), None);
    assert_eq!(docs[1]["_revisions"]["start"], json!(3));
    assert_eq!(
        docs[1]["_revisions"]["ids"][1],
        json!(couch::rev_hash(A_CONFLICT))
    );
    assert_eq!(docs[1]["_deleted"], json!(true));
}

#[test]
fn couchdb3_bulk_get_fixture_reports_the_incomplete_doc_and_skips_the_missing_one() {
    let transport = replay(fixture_server(None, |_| fixture("bulk_get.json")));
    let c = Device::new("office-pc", ZHAO, true);
    let report = c.sync_over(&transport).unwrap();
    // The fixture's doc A is no complete record; doc C was not asked for and is an error.
    assert_eq!(report.unreadable.len(), 1);
    assert_eq!(report.unreadable[0].id, DOC_A);
    assert!(c.ledger().is_empty());
    assert_eq!(report.progress, Progress::default());
}

#[test]
fn couchdb3_checkpoints_give_the_since_sequence_verbatim() {
    let page1 = fixture_json("changes-page1.json");
    for (session, seq) in [
        (FIXTURE_SESSION, page1["last_seq"].clone()),
        (OLDER_SESSION, page1["results"][0]["seq"].clone()),
    ] {
        let transport = replay(fixture_server(
            Some(fixture("local-checkpoint.json")),
            |_| panic!("nothing to fetch"),
        ));
        let c = Device::new("office-pc", ZHAO, true);
        c.state.borrow_mut().checkpoint = Some(Checkpoint {
            session_id: session.into(),
            last_seq: json!("8-whatever this device had"),
            scope: String::new(),
        });
        let report = c.sync_over(&transport).unwrap();
        assert!(!report.resent);
        let log = transport.log.borrow();
        let changes = log.iter().find(|r| r.path.starts_with("_changes")).unwrap();
        let since = seq.as_str().unwrap();
        // These sequences hold only characters that need no escaping.
        assert_eq!(
            changes.path,
            format!("_changes?style=all_docs&limit={BATCH}&since={since}")
        );
        assert_eq!(query_params(&changes.path).1["since"], since);
    }
}

#[test]
fn a_since_with_reserved_characters_is_url_encoded() {
    let seq = "12-g1AAAA+b/c=d&e?f";
    let transport = replay(move |request| {
        let (base, params) = query_params(&request.path);
        match base.as_str() {
            "" => ok(200, "{}"),
            l if l.starts_with("_local/") => ok(
                200,
                json!({"_rev": "0-1", "session_id": "s", "last_seq": seq}).to_string(),
            ),
            "_changes" => {
                assert_eq!(params["since"], seq, "decoded back to the same sequence");
                assert!(
                    request.path.contains("since=12-g1AAAA%2Bb%2Fc%3Dd%26e%3Ff"),
                    "{}",
                    request.path
                );
                ok(
                    200,
                    json!({"results": [], "last_seq": seq, "pending": 0}).to_string(),
                )
            }
            _ => panic!("unexpected {request:?}"),
        }
    });
    let c = Device::new("office-pc", ZHAO, true);
    c.state.borrow_mut().checkpoint = Some(Checkpoint {
        session_id: "s".into(),
        last_seq: json!(seq),
        scope: String::new(),
    });
    c.sync_over(&transport).unwrap();
}

#[test]
fn couchdb3_revs_diff_and_a_forbidden_bulk_docs_answer() {
    let (v3, _) = doc_a_versions();
    let other = Author {
        device_id: "tablet-x".into(),
        name: "zhou".into(),
    };
    let b = Record::create(
        Uuid::parse_str(RECORD_B).unwrap(),
        training_about("删掉的"),
        &other,
        NOW,
    )
    .tombstone(&other, at(1));
    let c = Device::new("office-pc", ZHAO, true);
    c.save(v3.clone());
    c.save(b.clone());
    {
        let mut state = c.state.borrow_mut();
        state.checkpoint = Some(Checkpoint {
            session_id: FIXTURE_SESSION.into(),
            last_seq: fixture_json("changes-page1.json")["last_seq"].clone(),
            scope: String::new(),
        });
        state.marks.insert(
            v3.id,
            Mark(A_WINNER.into(), couch::content_sum(&v3), vec![], vec![]),
        );
        state.marks.insert(
            b.id,
            Mark(B_DELETED.into(), couch::content_sum(&b), vec![], vec![]),
        );
        state.resend = true;
    }
    let inner = fixture_server(Some(fixture("local-checkpoint.json")), |_| unreachable!());
    let transport = replay(move |request| match request.path.as_str() {
        "_revs_diff" => {
            let asked: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
            assert_eq!(asked, json!({DOC_A: [A_WINNER], DOC_B: [B_DELETED]}));
            ok(200, fixture("revs_diff.json"))
        }
        "_bulk_docs" => ok(201, fixture("bulk_docs-forbidden.json")),
        _ => inner(request),
    });
    let report = c.sync_over(&transport).unwrap();
    assert!(report.resent);
    assert_eq!(report.refused, 1);
    assert_eq!(report.progress.up, 1);
    let state = c.state.borrow();
    assert_eq!(
        state.refused.get(&v3.id).map(|r| r.reason()),
        Some("forbidden: Only team members may write visit records.")
    );
    assert!(!state.refused.contains_key(&b.id));
    let log = transport.log.borrow();
    let pushed: Value = serde_json::from_str(
        log.iter()
            .find(|r| r.path == "_bulk_docs")
            .unwrap()
            .body
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    let docs = pushed["docs"].as_array().unwrap();
    let revs: Vec<&str> = docs.iter().map(|d| d["_rev"].as_str().unwrap()).collect();
    assert_eq!(
        revs,
        vec![A_WINNER, B_DELETED],
        "offered as the revisions they are"
    );
    assert_eq!(docs[1]["_deleted"], json!(true));
    assert_eq!(
        docs[0]["_revisions"],
        json!({"start": 3, "ids": [couch::rev_hash(A_WINNER)]})
    );
}

#[test]
fn couchdb3_error_bodies_become_clear_errors() {
    for (status, file, expected) in [
        (401, "unauthorized.json", SyncError::WrongPassword),
        (404, "db-not-found.json", SyncError::NoDatabase),
    ] {
        let transport = replay(move |_| ok(status, fixture(file)));
        let c = Device::coordinator();
        assert_eq!(c.sync_over(&transport), Err(expected));
        assert_eq!(c.stored_state(), SyncState::new(TARGET));
    }
}

// ---- 11: no _bulk_get ----------------------------------------------------------------------

#[test]
fn without_bulk_get_each_document_is_fetched_with_open_revs() {
    let server = server(Seqs::Integer);
    server.set_bulk_get(false);
    let a = Device::officer_a();
    a.create_trainings(1..=4);
    a.sync(&server).unwrap();
    let v1 = a.record(1);
    let r1 = server.leaves(&key_on(&server, 1))[0].clone();
    a.edit(1, "培训 1（修订）", 2);
    a.sync(&server).unwrap();
    // Another device's edit of the first revision: a second leaf.
    let sibling = v1.edited(
        training_about("另一台设备的修改"),
        &Author {
            device_id: "tablet-z".into(),
            name: WANG.into(),
        },
        at(1),
    );
    let sibling_rev = "2-00000000000000000000000000000000";
    server.put_raw(
        &key_on(&server, 1),
        sibling_rev,
        Some(&r1),
        serde_json::to_value(&sibling).unwrap(),
        false,
    );

    let c = Device::coordinator();
    server.clear_log();
    let report = c.sync(&server).unwrap();
    assert_eq!(report.progress.down, 4);
    let lines = server.lines();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("POST _bulk_get"))
            .count(),
        1,
        "tried once, then not again in later batches: {lines:?}"
    );
    let open_revs: Vec<&String> = lines.iter().filter(|l| l.contains("?open_revs=")).collect();
    assert_eq!(open_revs.len(), 4);
    let first = open_revs
        .iter()
        .find(|l| l.contains(&encode_component(&key_on(&server, 1))))
        .unwrap();
    let asked: Vec<String> =
        serde_json::from_str(&query_params(first.strip_prefix("GET ").unwrap()).1["open_revs"])
            .unwrap();
    assert_eq!(asked.len(), 2, "both leaves of record 1");
    assert!(c.record(1).history.contains(&sibling));
    let mut expected = a.ledger();
    expected.merge([sibling]);
    assert_eq!(c.ledger(), expected);
}

// ---- 12: a hostile server ------------------------------------------------------------------

#[test]
fn garbage_from_the_server_is_a_clear_error_and_changes_nothing() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=4);
    a.sync(&server).unwrap();
    let c = Device::coordinator().without_retries();
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let cases: Vec<(Option<Method>, &str, u16, &str)> = vec![
        (Some(Method::Get), "_changes", 200, "{\"results\": [tru"),
        (Some(Method::Get), "_changes", 200, "[]"),
        (Some(Method::Get), "_changes", 500, html),
        (Some(Method::Get), "", 500, html),
        (Some(Method::Post), "_bulk_get", 200, "not json at all"),
        (Some(Method::Post), "_bulk_get", 200, "{\"results\": 5}"),
        (Some(Method::Post), "_revs_diff", 200, "{{{{"),
        (Some(Method::Post), "_bulk_docs", 200, "{\"ok\": true"),
        (Some(Method::Put), "_local/", 200, "<html>"),
    ];
    for (n, (method, prefix, status, body)) in (100..).zip(cases) {
        // Something new to pull and to push each time, so that every step is reached.
        a.create(n, &format!("培训 {n}"));
        a.sync(&server).unwrap();
        let mine = c.create(n + 50, "协调员的").id;
        let ledger = c.ledger();
        let checkpoint = c.stored_state().checkpoint;
        // A prefix "" matches the first request: the database info.
        server.answer_next(method, prefix, status, body);
        let result = c.sync(&server);
        // Garbage while pulling stops the pull, and the push goes on without it; garbage
        // before the pull or while pushing stops the sync.
        let pulling = matches!(prefix, "_changes" | "_bulk_get" | "_local/");
        let error = if pulling {
            let report = result.unwrap_or_else(|e| panic!("{prefix} answered {body}: {e:?}"));
            assert!(report.progress.up >= 1, "{prefix}: pushed all the same");
            report.pull_failed.expect("the pull stopped")
        } else {
            result.expect_err(&format!("{prefix} answered {body}"))
        };
        match status {
            500 => assert!(
                matches!(error, SyncError::Server { status: 500, ref reason } if reason.is_empty()),
                "{prefix}: {error:?}"
            ),
            _ => assert!(
                matches!(error, SyncError::BadAnswer(_)),
                "{prefix}: {error:?}"
            ),
        }
        if pulling && prefix != "_local/" || prefix.is_empty() {
            assert!(c.ledger() == ledger, "{prefix} {body}: nothing taken");
            assert_eq!(c.stored_state().checkpoint, checkpoint, "{prefix} {body}");
        }
        // Marked as sent exactly when the push went through.
        assert_eq!(
            c.stored_state().marks.contains_key(&mine),
            pulling,
            "{prefix} {body}"
        );
        assert_eq!(
            server.doc_ids().contains(&key(ZHAO, n + 50)),
            pulling,
            "{prefix} {body}"
        );
        assert!(
            c.stored_state().last_success.is_none(),
            "{prefix}: not a complete sync"
        );
        assert_eq!(server.unused(), 0, "the garbage answer was given");
    }
    // A `_bulk_get` the server does not know (404, as CouchDB 1 answers) is taken for a
    // server without it: the documents are fetched one by one instead.
    a.create_trainings(200..=203);
    a.sync(&server).unwrap();
    server.answer_next(
        Some(Method::Post),
        "_bulk_get",
        404,
        r#"{"error":"not_found","reason":"missing"}"#,
    );
    server.clear_log();
    let report = c.sync(&server).unwrap();
    assert_eq!(report.progress.down, 4);
    assert!(server.lines().iter().any(|l| l.contains("?open_revs=")));
    // The server is fine again: everything goes through.
    c.sync(&server).unwrap();
    let mut expected = a.ledger();
    for n in 150..159 {
        expected.put(c.record(n));
    }
    assert_eq!(c.ledger(), expected);
    assert_one_revision_each(
        &server,
        (1..=4).chain(100..109).chain(200..=203).chain(150..159),
    );
}

#[test]
fn unreadable_documents_are_reported_and_the_rest_taken() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=3);
    a.sync(&server).unwrap();
    // Another program's documents: an unknown kind, a record whose id is not the document's,
    // an id that is no record id, and a design document.
    let mut unknown = serde_json::to_value(a.record(1)).unwrap();
    unknown["id"] = json!(id(31).to_string());
    unknown["kind"] = json!("harvest");
    server.put_raw(&key(WANG, 31), "1-aaaa", None, unknown, false);
    let mut other_id = serde_json::to_value(a.record(2)).unwrap();
    other_id["id"] = json!(id(99).to_string());
    server.put_raw(&key(WANG, 32), "1-bbbb", None, other_id, false);
    server.put_raw(
        "not-a-uuid",
        "1-cccc",
        None,
        json!({"hello": "world"}),
        false,
    );
    server.put_raw(
        "_design/validate",
        "1-dddd",
        None,
        json!({"validate_doc_update": "function(){}"}),
        false,
    );

    let c = Device::coordinator();
    let report = c.sync(&server).unwrap();
    let mut reported: Vec<String> = report.unreadable.iter().map(|u| u.id.clone()).collect();
    reported.sort();
    let mut expected = vec![key(WANG, 31), key(WANG, 32), "not-a-uuid".to_owned()];
    expected.sort();
    assert_eq!(reported, expected);
    assert_eq!(c.ledger(), a.ledger(), "the readable records only");

    // A `_bulk_get` answer whose document names another id than asked: left out, reported.
    let d = Device::new("office-laptop", ZHAO, true);
    let doc3 = server
        .doc(&key_on(&server, 3), &server.leaves(&key_on(&server, 3))[0])
        .unwrap();
    let mut wrong = doc3.clone();
    wrong["_id"] = json!(key(WANG, 1));
    let body = json!({"results": [
        {"id": key(WANG, 1), "docs": [{"ok": wrong}]},
        {"id": key(WANG, 2), "docs": [{"ok": server.doc(&key_on(&server, 2), &server.leaves(&key_on(&server, 2))[0]).unwrap()}]},
        {"id": key(WANG, 3), "docs": [{"ok": doc3}]},
    ]});
    server.answer_next(Some(Method::Post), "_bulk_get", 200, &body.to_string());
    let report = d.sync(&server).unwrap();
    assert!(
        report.unreadable.iter().any(|u| u.id == key(WANG, 1)),
        "{:?}",
        report.unreadable
    );
    assert!(d.ledger().get(&id(1)).is_none());
    assert_eq!(d.record(2), a.record(2));
    assert_eq!(d.record(3), a.record(3));
    // Nothing is lost for good: record 1 is not marked, and remembered as unreadable; the
    // next sync reads it again (it is no longer in the list of changes) and takes it.
    assert!(!d.state.borrow().marks.contains_key(&id(1)));
    assert!(d.stored_state().unreadable.contains_key(&key(WANG, 1)));
    server.clear_log();
    let report = d.sync(&server).unwrap();
    assert!(server.lines().contains(&format!(
        "GET {}?open_revs=all",
        encode_component(&key(WANG, 1))
    )));
    assert_eq!(report.progress.down, 1);
    assert_eq!(d.record(1), a.record(1));
    assert!(d.stored_state().marks.contains_key(&id(1)));
    // The coordinator's unknown kind stays listed at every sync (a record's id: remembered);
    // a document that is no record is reported, not remembered.
    let report = c.sync(&server).unwrap();
    assert_eq!(
        report
            .unreadable
            .iter()
            .map(|u| u.id.clone())
            .collect::<Vec<_>>(),
        vec![key(WANG, 31), key(WANG, 32)]
    );
    assert_eq!(
        c.stored_state()
            .unreadable
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        vec![key(WANG, 31), key(WANG, 32)]
    );
    // Once another program fixes it, it is taken.
    let mut fixed = serde_json::to_value(a.record(1)).unwrap();
    fixed["id"] = json!(id(31).to_string());
    server.put_raw(&key(WANG, 31), "2-eeee", Some("1-aaaa"), fixed, false);
    c.sync(&server).unwrap();
    assert!(c.ledger().get(&id(31)).is_some());
    assert_eq!(
        c.stored_state()
            .unreadable
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        vec![key(WANG, 32)]
    );
}

// ---- 14: poor links -------------------------------------------------------------------------

/// A 502 from a proxy.
const BAD_GATEWAY: &str = r#"{"error":"bad_gateway","reason":"upstream did not answer"}"#;

#[test]
fn lost_connections_and_transient_answers_are_tried_again_after_growing_pauses() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=5);
    // On the way: the database info lost, a 503 for the list of changes, a 429 and a 502
    // for the writes, and a write whose answer is lost after it landed.
    server.fail_next(Some(Method::Get), "", When::Before);
    server.answer_next(Some(Method::Post), "_changes", 503, BAD_GATEWAY);
    server.answer_next(Some(Method::Post), "_bulk_docs", 429, BAD_GATEWAY);
    server.answer_next(Some(Method::Post), "_bulk_docs", 502, BAD_GATEWAY);
    server.fail_later(Some(Method::Post), "_bulk_docs", 2, When::After);
    let report = a.sync(&server).unwrap();
    assert_eq!(report.progress.up, 5);
    assert_eq!(server.unused(), 0, "every fault was met");
    assert_one_revision_each(&server, 1..=5);
    assert!(a.stored_state().last_success.is_some());
    // Five retries, each after a pause between half and all of 500 ms, 1 s, 2 s… for its
    // request's try.
    let pauses = server.pauses();
    assert_eq!(pauses.len(), 5, "{pauses:?}");
    let first = Retry::POOR_LINK.first_pause;
    assert!(
        pauses.iter().all(|p| *p >= first / 2 && *p <= first * 4),
        "{pauses:?}"
    );
    // The four tries of the first batch's write: the pauses grew.
    assert!(pauses[4] > first, "{pauses:?}");
    // Pauses differ between sessions (jitter), and are repeatable for one.
    let retry = Retry::POOR_LINK;
    assert_eq!(
        retry.pause("s1", "_bulk_docs", 2),
        retry.pause("s1", "_bulk_docs", 2)
    );
    let drawn: BTreeSet<_> = (0..20)
        .map(|n| retry.pause(&format!("s{n}"), "_bulk_docs", 1))
        .collect();
    assert!(drawn.len() > 10, "{drawn:?}");
}

#[test]
fn a_server_failing_past_the_retries_stops_the_sync_and_the_next_one_completes() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=2);
    for _ in 0..Retry::POOR_LINK.attempts {
        server.answer_next(Some(Method::Post), "_bulk_docs", 503, BAD_GATEWAY);
    }
    assert!(matches!(
        a.sync(&server),
        Err(SyncError::Server { status: 503, .. })
    ));
    assert_eq!(
        server.pauses().len(),
        Retry::POOR_LINK.attempts as usize - 1
    );
    assert!(a.stored_state().marks.is_empty());
    assert_eq!(up_down(&a.sync(&server).unwrap()), (2, 0));
    assert_one_revision_each(&server, 1..=2);
}

#[test]
fn a_transient_bulk_get_failure_keeps_bulk_get() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=3);
    a.sync(&server).unwrap();
    let c = Device::coordinator();
    server.answer_next(Some(Method::Post), "_bulk_get", 502, BAD_GATEWAY);
    server.clear_log();
    assert_eq!(c.sync(&server).unwrap().progress.down, 3);
    let lines = server.lines();
    assert!(!lines.iter().any(|l| l.contains("open_revs")), "{lines:?}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("POST _bulk_get"))
            .count(),
        2
    );
    // Without retries a 502 stops the pull as it is, and `_bulk_get` is not given up either.
    let d = Device::new("office-laptop", ZHAO, true).without_retries();
    server.answer_next(Some(Method::Post), "_bulk_get", 502, BAD_GATEWAY);
    assert!(matches!(
        d.sync(&server).unwrap().pull_failed,
        Some(SyncError::Server { status: 502, .. })
    ));
    server.clear_log();
    d.sync(&server).unwrap();
    assert!(!server.lines().iter().any(|l| l.contains("open_revs")));
    assert_eq!(d.ledger(), a.ledger());
}

#[test]
fn writes_too_large_for_the_server_are_split_and_a_record_too_large_alone_is_refused() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=3);
    // A proxy in front of the database takes about one record a request.
    let one = a.record(1);
    let doc_bytes = couch::canonical(&one).len() + 200;
    server.limit_bodies(Some(doc_bytes + 100));
    server.clear_log();
    let report = a.sync(&server).unwrap();
    assert_eq!(report.progress.up, 3);
    assert_eq!(report.refused, 0);
    assert_one_revision_each(&server, 1..=3);
    let writes = server
        .lines()
        .into_iter()
        .filter(|l| l == "POST _bulk_docs")
        .count();
    // One of three refused (413), halves of one and two, the two halved again: 5, and the
    // next batch starts at the smaller size.
    assert!((3..=6).contains(&writes), "{writes}");

    // A record larger than anything the server takes is refused, kept, and tried again.
    let mut big = training_about("大棚蔬菜");
    if let RecordBody::Training(t) = &mut big {
        t.notes = "温室管理要点。".repeat(400);
    }
    let big = a.save(Record::create(id(9), big, &a.author, NOW));
    a.create(10, "培训 10");
    let report = a.sync(&server).unwrap();
    assert_eq!(report.refused, 1);
    assert_eq!(report.progress.up, 1, "the other record went");
    assert_eq!(
        a.stored_state().refused.get(&big.id).map(|r| r.reason()),
        Some(field_ledger::replication::engine::TOO_LARGE)
    );
    assert!(!server.doc_ids().contains(&key(WANG, 9)));
    server.limit_bodies(None);
    let report = a.sync(&server).unwrap();
    assert_eq!((report.progress.up, report.refused), (1, 0));
    assert!(a.stored_state().refused.is_empty());
}

#[test]
fn a_document_gone_between_the_list_and_its_fetch_is_skipped() {
    let server = server(Seqs::Integer);
    server.set_bulk_get(false);
    let a = Device::officer_a();
    a.create_trainings(1..=3);
    a.sync(&server).unwrap();
    let c = Device::coordinator();
    // Purged after the list of changes was read: the fetch of document 2 finds nothing.
    server.answer_next(
        Some(Method::Get),
        &encode_component(&key(WANG, 2)),
        404,
        r#"{"error":"not_found","reason":"missing"}"#,
    );
    let report = c.sync(&server).unwrap();
    assert_eq!(report.progress.down, 2);
    assert!(c.ledger().get(&id(2)).is_none());
    // The words for a missing document are not those of a missing database.
    let missing = Response {
        status: 404,
        body: r#"{"error":"not_found","reason":"deleted"}"#.into(),
    };
    assert_eq!(
        field_ledger::replication::engine::check(missing),
        Err(SyncError::Missing)
    );
    let no_db = Response {
        status: 404,
        body: r#"{"error":"not_found","reason":"Database does not exist."}"#.into(),
    };
    assert_eq!(
        field_ledger::replication::engine::check(no_db),
        Err(SyncError::NoDatabase)
    );
}

#[test]
fn a_pull_that_fails_on_full_storage_does_not_stop_the_uploads() {
    let server = server(Seqs::Integer);
    let b = Device::officer_b();
    for n in 11..=19 {
        // Demands: every officer's tablet holds them.
        let need = format!("李收集的需求 {n}：{}", "需求说明。".repeat(200));
        b.create_demand(n, &need);
    }
    b.sync(&server).unwrap();
    let a = Device::officer_a();
    for n in 1..=2 {
        a.create(n, &format!("王的培训 {n}"));
    }
    // Room for the sync marks of a few records, not for other officers' records.
    a.kv.set_quota(Some(a.kv.units() + 1000));
    let records = a.kv.dump();
    let report = a.sync(&server).unwrap();
    assert_eq!(
        report.pull_failed,
        Some(SyncError::Storage(StorageError::QuotaExceeded))
    );
    assert_eq!(report.progress.up, 2, "its own work went up");
    assert_one_revision_each(&server, (1..=2).chain(11..=19));
    assert!(a.ledger().get(&id(11)).is_none());
    assert!(
        records
            .iter()
            .filter(|(k, _)| k.starts_with("fl.r."))
            .all(|(k, v)| a.kv.raw(k).as_deref() == Some(v.as_str())),
        "no record written or lost"
    );
    assert!(a.stored_state().last_success.is_none());
    assert!(a.stored_state().marks.contains_key(&id(1)));
    a.kv.heal();
    let report = a.sync(&server).unwrap();
    assert_eq!(up_down(&report), (0, 9));
    assert!(report.pull_failed.is_none());
}

// ---- 15: conflict leaves stay closed --------------------------------------------------------

#[test]
fn a_closed_conflict_is_not_fetched_again_and_a_later_deletion_writes_once() {
    let server = Rc::new(server(Seqs::Integer));
    let a1 = Rc::new(Device::officer_a());
    let a2 = Rc::new(Device::new("phone-a", WANG, false));
    a1.create(1, "水稻育秧");
    a1.sync(&server).unwrap();
    a2.sync(&server).unwrap();
    a1.edit(1, "A1 的修改", 1);
    a2.edit(1, "A2 的修改", 2);
    {
        let (server2, a2) = (Rc::clone(&server), Rc::clone(&a2));
        server.before_next(Some(Method::Post), "_revs_diff", move || {
            a2.sync(&server2).unwrap();
        });
    }
    a1.sync(&server).unwrap();
    assert_eq!(
        server.live_leaves(&key_on(&server, 1)).len(),
        2,
        "a conflict"
    );
    // A1 folds it: the merged record, and the loser closed.
    assert_eq!(a1.sync(&server).unwrap().progress.up, 1);
    assert_eq!(server.live_leaves(&key_on(&server, 1)).len(), 1);
    assert_eq!(
        server.leaves(&key_on(&server, 1)).len(),
        2,
        "the closed leaf stays listed"
    );
    // Its own two revisions are not downloaded again.
    assert_eq!(up_down(&a1.sync(&server).unwrap()), (0, 0));
    assert_eq!(a2.sync(&server).unwrap().progress.down, 1);
    assert_eq!(up_down(&a2.sync(&server).unwrap()), (0, 0));

    // A deletion afterwards: one deleted revision, and nothing more at the next syncs.
    let revisions = server.revisions(&key_on(&server, 1)).len();
    a1.delete(1, 5);
    assert_eq!(up_down(&a1.sync(&server).unwrap()), (1, 0));
    assert_eq!(server.revisions(&key_on(&server, 1)).len(), revisions + 1);
    for device in [&*a1, &*a2, &*a1, &*a2] {
        device.sync(&server).unwrap();
    }
    assert_eq!(server.revisions(&key_on(&server, 1)).len(), revisions + 1);
    assert!(a2.record(1).deleted);
    assert_eq!(up_down(&a1.sync(&server).unwrap()), (0, 0));
}

// ---- 16: deletions by other programs -------------------------------------------------------

#[test]
fn a_deletion_by_another_program_deletes_the_record_and_a_later_edit_here_is_kept() {
    let server = server(Seqs::Integer);
    let a1 = Device::officer_a();
    let a2 = Device::new("phone-a", WANG, false);
    let c = Device::coordinator();
    a1.create(1, "培训 1");
    a1.create(2, "培训 2");
    for device in [&a1, &a2, &c] {
        device.sync(&server).unwrap();
    }
    // Deleted in Fauxton (or with PouchDB's remove()): bare tombstones, no record fields.
    for n in 1..=2 {
        let leaf = server.leaves(&key_on(&server, n))[0].clone();
        server.put_raw(
            &key_on(&server, n),
            &format!("2-bare{n}"),
            Some(&leaf),
            json!({}),
            true,
        );
    }
    // Meanwhile record 2 was edited on the phone.
    let edited = a2.edit(2, "培训 2（手机上改的）", 1);

    let report = a1.sync(&server).unwrap();
    assert_eq!(up_down(&report), (0, 2));
    assert!(a1.record(1).deleted && a1.record(2).deleted);
    assert!(a1.stored_ledger().get(&id(1)).is_some_and(|r| r.deleted));
    c.sync(&server).unwrap();
    assert!(c.record(1).deleted && c.record(2).deleted);

    // The phone: record 1 deleted, record 2 kept with its edit and written over the deletion.
    let report = a2.sync(&server).unwrap();
    assert_eq!(report.progress.up, 1);
    assert!(a2.record(1).deleted);
    assert_eq!(a2.record(2), edited);
    assert_eq!(server.live_leaves(&key_on(&server, 2)).len(), 1);
    assert_eq!(
        server
            .parent(
                &key_on(&server, 2),
                &server.live_leaves(&key_on(&server, 2))[0]
            )
            .as_deref(),
        Some("2-bare2")
    );
    a1.sync(&server).unwrap();
    assert_eq!(a1.record(2).body, edited.body);
    assert!(!a1.record(2).deleted);
    // Nobody writes again.
    let revisions =
        server.revisions(&key_on(&server, 1)).len() + server.revisions(&key_on(&server, 2)).len();
    for device in [&a1, &a2, &c, &a1] {
        assert_eq!(device.sync(&server).unwrap().progress.up, 0);
    }
    assert_eq!(
        server.revisions(&key_on(&server, 1)).len() + server.revisions(&key_on(&server, 2)).len(),
        revisions
    );
}

#[test]
fn fields_and_attachments_of_another_program_survive_the_next_revision() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    a.sync(&server).unwrap();
    // Another program adds a field of its own and a photo to the document.
    let leaf = server.leaves(&key_on(&server, 1))[0].clone();
    let mut doc = server.doc(&key_on(&server, 1), &leaf).unwrap();
    doc["reviewed_by"] = json!({"name": "县局", "at": "2022-06-21"});
    // And a newer version of the app a field of the training this version does not know.
    doc["data"]["livestream_viewers"] = json!(120);
    doc["_attachments"] = json!({"现场.jpg": {
        "content_type": "image/jpeg", "digest": "md5-abc", "length": 1234, "revpos": 2,
        "data": "aGVsbG8="
    }});
    server.put_raw(&key_on(&server, 1), "2-other", Some(&leaf), doc, false);
    assert_eq!(a.sync(&server).unwrap().progress.down, 1);
    assert!(a.stored_state().kept.contains_key(&id(1)));

    // The officer edits the record: the new revision carries them, the photo as a stub.
    a.edit(1, "培训 1（修订）", 1);
    server.clear_log();
    assert_eq!(a.sync(&server).unwrap().progress.up, 1);
    let sent: Value = serde_json::from_str(
        &server
            .log()
            .into_iter()
            .find(|l| l.path == "_bulk_docs")
            .and_then(|l| l.body)
            .unwrap(),
    )
    .unwrap();
    let sent = &sent["docs"][0];
    assert_eq!(sent["reviewed_by"]["name"], json!("县局"));
    assert_eq!(
        sent["_attachments"]["现场.jpg"],
        json!({"content_type": "image/jpeg", "digest": "md5-abc", "length": 1234,
               "revpos": 2, "stub": true})
    );
    assert_eq!(sent["data"]["topic"], json!("培训 1（修订）"));
    assert_eq!(sent["data"]["livestream_viewers"], json!(120));
    let live = server.live_leaves(&key_on(&server, 1));
    assert_eq!(
        server.doc(&key_on(&server, 1), &live[0]).unwrap()["reviewed_by"]["name"],
        json!("县局")
    );
    // The record itself is read as before.
    let c = Device::coordinator();
    c.sync(&server).unwrap();
    assert_eq!(c.record(1), a.record(1));
}

// ---- 17: ownership the server enforces, whatever the revision path ------------------------

/// Posts `docs` with `_bulk_docs` and `new_edits: false` as `user`: the server's answer.
fn post_replicated(server: &FakeCouch, user: &str, docs: Value) -> Value {
    let client = server.client(user, &format!("{user}-secret"));
    let body = json!({"new_edits": false, "docs": docs}).to_string();
    let response = block_on(client.send(Request {
        method: Method::Post,
        path: "_bulk_docs".into(),
        body: Some(body),
    }))
    .unwrap();
    assert_eq!(response.status, 201);
    serde_json::from_str(&response.body).unwrap()
}

#[test]
fn a_forged_branch_or_a_resurrected_tombstone_is_refused_whatever_the_old_doc() {
    // The fake gives validate_doc_update the oldDoc CouchDB gives: null for a branch that
    // does not join the stored tree. The rule rests on the document id instead.
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create_trainings(1..=2);
    a.delete(2, 1);
    a.sync(&server).unwrap();
    let winner = |n| server.leaves(&key(WANG, n))[0].clone();
    let (live, tombstone) = (winner(1), winner(2));
    let forged = |n: u128, owner: &str, hash: &str| {
        let mut doc = serde_json::to_value(a.record(n).edited(
            training_about("冒名修改"),
            &a.author,
            at(5),
        ))
        .unwrap();
        doc["owner"] = json!(owner);
        doc["deleted"] = json!(false);
        doc["_id"] = json!(key(WANG, n));
        doc["_rev"] = json!(format!("999-{hash}"));
        doc["_revisions"] = json!({"start": 999, "ids": [hash]});
        doc
    };
    let answer = post_replicated(
        &server,
        LI,
        json!([
            // Claimed as her own on Wang's document, on a branch of its own (oldDoc null).
            forged(1, LI, "f00d"),
            // Wang's owner kept, written by Li.
            forged(1, WANG, "beef"),
            // Wang's deleted record brought back by a branch of its own.
            forged(2, WANG, "dead"),
            // A deletion without fields of Wang's record.
            {"_id": key(WANG, 1), "_rev": "999-cafe", "_deleted": true,
             "_revisions": {"start": 999, "ids": ["cafe"]}},
        ]),
    );
    let errors = answer.as_array().unwrap();
    assert_eq!(errors.len(), 4, "{answer}");
    assert!(errors.iter().all(|e| e["error"] == "forbidden"), "{answer}");
    assert_eq!(server.leaves(&key(WANG, 1)), vec![live]);
    assert_eq!(server.leaves(&key(WANG, 2)), vec![tombstone]);
    // A document of Li's naming Wang's record id is hers to write, but no tablet holding
    // Wang's record takes it for his.
    let mut shadow = forged(1, LI, "abcd");
    shadow["_id"] = json!(key(LI, 1));
    assert_eq!(post_replicated(&server, LI, json!([shadow])), json!([]));
    let c = Device::coordinator();
    c.import(vec![a.record(1)]);
    let report = c.sync(&server).unwrap();
    assert!(
        report.unreadable.iter().any(|u| u.id == key(LI, 1)),
        "{:?}",
        report.unreadable
    );
    assert_eq!(c.record(1).owner(), WANG);
    assert_eq!(c.record(1), a.record(1));
    // Wang, and the coordinator, still write his record.
    a.edit(1, "王的修改", 6);
    assert_eq!(a.sync(&server).unwrap().refused, 0);
    assert_eq!(server.live_leaves(&key(WANG, 1)).len(), 1);
}

// ---- 18: each tablet carries its own work ------------------------------------------------

/// A record of `owner` as the server holds it (its document id, body and first revision).
fn put_record(server: &FakeCouch, record: &Record) {
    let rev = couch::child_rev(None, &couch::canonical(record), Write::Content);
    let doc = serde_json::to_value(record).unwrap();
    server.put_raw(&couch::doc_id(record), &rev, None, doc, record.deleted);
}

fn author_named(name: &str) -> Author {
    Author {
        device_id: format!("tablet-{name}"),
        name: name.into(),
    }
}

/// A team record numbered `n` whose members are `members`.
fn team_record(n: u128, members: &[&str], by: &Author) -> Record {
    let team = Team {
        name: format!("第{n}科技特派团"),
        leader: String::new(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
        ..support::team("团")
    };
    Record::create(id(n), team.into_body(), by, NOW)
}

/// A training numbered `n` for team record `team` (none when `None`).
fn training_for(n: u128, team: Option<u128>, by: &Author) -> Record {
    let mut body = training_about(&format!("培训 {n}"));
    if let RecordBody::Training(t) = &mut body {
        t.team_id = team.map(id);
    }
    Record::create(id(n), body, by, NOW)
}

#[test]
fn an_officers_tablet_holds_their_work_their_teams_and_the_shared_kinds_of_50000_records() {
    // 40 officers with 1 240 trainings each (49 600), ten teams of four, 200 demands and 200
    // deletions: 50 000 documents.
    const OFFICERS: u128 = 40;
    const EACH: u128 = 1_240;
    let server = server(Seqs::Opaque);
    let name = |k: u128| format!("officer-{k:02}");
    let office = author_named(ZHAO);
    for t in 0..10 {
        let members: Vec<String> = (4 * t..4 * t + 4).map(name).collect();
        let members: Vec<&str> = members.iter().map(String::as_str).collect();
        put_record(&server, &team_record(1_000_000 + t, &members, &office));
    }
    for k in 0..OFFICERS {
        let officer = author_named(&name(k));
        for i in 0..EACH {
            let n = 10_000 * (k + 1) + i;
            // Every tenth for the officer's team; the last few deleted since.
            let team = (i % 10 == 0).then_some(1_000_000 + k / 4);
            let record = training_for(n, team, &officer);
            let record = if i >= EACH - 5 {
                record.tombstone(&officer, at(1))
            } else {
                record
            };
            put_record(&server, &record);
        }
        for i in 0..5 {
            put_record(
                &server,
                &Record::create(id(2_000_000 + 10 * k + i), demand_of("需求"), &officer, NOW),
            );
        }
    }
    assert_eq!(server.doc_ids().len(), 10 + 40 * 1_240 + 200);

    let me = name(7);
    server.add_user(&me, &format!("{me}-secret"), false);
    let tablet = Device::new("tablet-7", &me, false);
    tablet.batch.set(500);
    let report = tablet.sync(&server).unwrap();
    let ledger = tablet.ledger();
    let of = |kind: RecordKind| ledger.all().filter(|r| r.kind() == kind).count();
    // Own 1 240 (5 of them deleted), the three team mates' trainings for the team (124
    // each), 10 teams, 200 demands; not the other 36 officers' deletions.
    assert_eq!(of(RecordKind::Team), 10);
    assert_eq!(of(RecordKind::Demand), 200);
    let trainings: Vec<&Record> = ledger
        .all()
        .filter(|r| r.kind() == RecordKind::Training)
        .collect();
    let own = trainings.iter().filter(|r| r.owner() == me).count();
    let mates = trainings.len() - own;
    assert_eq!(own, 1_240);
    assert_eq!(mates, 3 * 124);
    assert!(
        trainings
            .iter()
            .all(|r| r.owner() == me || r.body.team_id() == Some(id(1_000_001))),
        "another team's or another officer's own record"
    );
    assert_eq!(report.progress.down, ledger.len());
    // Well under the browser's 5 MiB of localStorage (5 242 880 UTF-16 units).
    let units = tablet.kv.units();
    assert!(units < 5_242_880 / 4, "{units} units");
    eprintln!(
        "officer tablet: {} records, {units} units of storage",
        ledger.len()
    );

    // Nothing moves at the next sync; a training handed to this officer's team reaches her.
    assert_eq!(tablet.sync(&server).unwrap().progress, Progress::default());
    let other = author_named(&name(30));
    let before = training_for(10_000 * 31 + 1, None, &other);
    let handed = before.edited(training_for(0, Some(1_000_001), &other).body, &other, at(2));
    let doc_id = couch::doc_id(&handed);
    let parent = server.leaves(&doc_id)[0].clone();
    let rev = couch::child_rev(Some(&parent), &couch::canonical(&handed), Write::Content);
    let doc = serde_json::to_value(&handed).unwrap();
    server.put_raw(&doc_id, &rev, Some(&parent), doc, false);
    let report = tablet.sync(&server).unwrap();
    assert_eq!(report.progress.down, 1);
    assert!(tablet.ledger().get(&handed.id).is_some());
}

#[test]
fn a_team_joined_brings_its_records_in_the_same_sync() {
    let server = server(Seqs::Integer);
    let (a, b, c) = (
        Device::officer_a(),
        Device::officer_b(),
        Device::coordinator(),
    );
    c.save(team_record(900, &[LI], &c.author));
    c.sync(&server).unwrap();
    b.save(training_for(11, Some(900), &b.author));
    b.save(training_for(12, None, &b.author));
    b.sync(&server).unwrap();
    a.sync(&server).unwrap();
    assert!(a.ledger().get(&id(11)).is_none(), "not Wang's team yet");
    assert!(a.ledger().get(&id(900)).is_some(), "teams are shared");

    // The coordinator adds Wang to the team: his next sync brings the team's training.
    let team = c.record(900);
    let RecordBody::Team(mut body) = team.body.clone() else {
        unreachable!()
    };
    body.members.push(WANG.into());
    c.save(team.edited(body.into_body(), &c.author, at(1)));
    c.sync(&server).unwrap();
    a.sync(&server).unwrap();
    assert_eq!(a.record(11), b.record(11));
    assert!(
        a.ledger().get(&id(12)).is_none(),
        "Li's own work stays hers"
    );
    assert_eq!(a.sync(&server).unwrap().progress, Progress::default());
}

// ---- 13: revision ids and the winner -------------------------------------------------------

#[test]
fn child_revisions_are_deterministic() {
    let record = Record::create(
        id(1),
        training_about("培训"),
        &Author {
            device_id: "d".into(),
            name: "n".into(),
        },
        NOW,
    );
    let json = couch::canonical(&record);
    let first = couch::child_rev(None, &json, Write::Content);
    assert_eq!(first, couch::child_rev(None, &json, Write::Content));
    assert!(first.starts_with("1-"));
    let hash = couch::rev_hash(&first);
    assert_eq!(hash.len(), 32);
    assert!(
        hash.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{hash}"
    );

    let child = couch::child_rev(Some(&first), &json, Write::Content);
    assert!(child.starts_with("2-"));
    assert_ne!(couch::rev_hash(&child), hash);
    assert_eq!(child, couch::child_rev(Some(&first), &json, Write::Content));
    // A different parent, content, or kind of write: a different revision.
    let other_parent = couch::child_rev(
        Some("1-ffffffffffffffffffffffffffffffff"),
        &json,
        Write::Content,
    );
    assert_ne!(other_parent, child);
    let edited = record.edited(
        training_about("培训（改）"),
        &Author {
            device_id: "d".into(),
            name: "n".into(),
        },
        at(1),
    );
    assert_ne!(
        couch::child_rev(Some(&first), &couch::canonical(&edited), Write::Content),
        child
    );
    let close = couch::child_rev(Some(&first), &json, Write::CloseLeaf);
    assert_ne!(close, child);
    assert!(close.starts_with("2-"));
    assert_eq!(
        couch::child_rev(Some("9-abc"), &json, Write::Content)
            .split_once('-')
            .unwrap()
            .0,
        "10"
    );
}

#[test]
fn the_winner_is_couchdbs() {
    let leaf = |rev: &str, deleted: bool| Leaf {
        rev: rev.into(),
        deleted,
        record: None,
        kept: Default::default(),
    };
    let winner = |leaves: &[Leaf]| couch::winner(leaves).map(|l| l.rev.clone());
    assert_eq!(winner(&[]), None);
    // Live before deleted, whatever the generation.
    assert_eq!(
        winner(&[leaf("5-ff", true), leaf("2-aa", false)]).as_deref(),
        Some("2-aa")
    );
    // Then the higher generation, compared as a number (10 > 9).
    assert_eq!(
        winner(&[leaf("9-ff", false), leaf("10-00", false)]).as_deref(),
        Some("10-00")
    );
    // Then the greater revision id as text.
    assert_eq!(
        winner(&[
            leaf("3-ab", false),
            leaf("3-b0", false),
            leaf("3-a9", false)
        ])
        .as_deref(),
        Some("3-b0")
    );
    // All deleted: the same order among them.
    assert_eq!(
        winner(&[leaf("2-aa", true), leaf("3-00", true)]).as_deref(),
        Some("3-00")
    );
    // The order given does not matter.
    let leaves = [leaf("3-ab", false), leaf("4-00", true), leaf("3-b0", false)];
    let mut reversed = leaves.clone();
    reversed.reverse();
    assert_eq!(winner(&leaves), winner(&reversed));
    assert_eq!(winner(&leaves).as_deref(), Some("3-b0"));
}

// ---- what a tablet may write, conflicts with deletions, a new database -------------------

#[test]
fn another_officers_shared_record_with_an_older_version_from_a_file_is_not_offered() {
    let server = server(Seqs::Integer);
    let (a, b) = (Device::officer_a(), Device::officer_b());
    let first = a.create_demand(1, "A 的需求");
    a.sync(&server).unwrap();
    let second = a.edit_demand(1, "A 的需求（修订）", 1);
    a.sync(&server).unwrap();
    b.sync(&server).unwrap();
    assert_eq!(b.record(1), second);

    // B imports A's file from before the edit: the older version joins the history.
    b.import(vec![first.clone()]);
    assert_eq!(b.record(1).history, vec![first.clone()]);
    server.clear_log();
    let report = b.sync(&server).unwrap();
    assert_eq!(
        (report.refused, report.progress.up),
        (0, 0),
        "nothing to offer"
    );
    assert!(b.state.borrow().refused.is_empty());
    assert!(!server.lines().iter().any(|l| l.contains("_bulk_docs")));

    // A's next edit reaches B, and B keeps the version only it has.
    let third = a.edit_demand(1, "A 的需求（再修订）", 2);
    a.sync(&server).unwrap();
    b.sync(&server).unwrap();
    assert_eq!(b.record(1).without_history(), third.without_history());
    assert!(
        b.record(1).history.contains(&first),
        "nothing B had is lost"
    );
    assert_eq!(b.sync(&server).unwrap().refused, 0);
}

#[test]
fn a_deletion_that_wins_by_the_merge_rule_is_what_the_server_shows_too() {
    let server = Rc::new(server(Seqs::Opaque));
    let a = Device::officer_a();
    let c = Rc::new(Device::coordinator());
    a.create(1, "A 的培训");
    a.sync(&server).unwrap();
    c.sync(&server).unwrap();
    // Both from revision 1: the coordinator edits (earlier), the owner deletes (later).
    c.edit(1, "汇总人员改的", 1);
    let deleted = a.delete(1, 2);
    // The coordinator pushes while A is between its pull and its push: two leaves.
    {
        let (server2, c) = (Rc::clone(&server), Rc::clone(&c));
        server.before_next(Some(Method::Post), "_revs_diff", move || {
            c.sync(&server2).unwrap();
        });
    }
    a.sync(&server).unwrap();
    assert_eq!(
        server.live_leaves(&key_on(&server, 1)).len(),
        1,
        "CouchDB shows the live leaf"
    );
    assert_eq!(
        server.leaves(&key_on(&server, 1)).len(),
        2,
        "a conflict with the deletion"
    );
    // The merge rule shows the later deletion; the owner writes it back.
    c.sync(&server).unwrap();
    a.sync(&server).unwrap();
    for device in [&a, &*c] {
        let record = device.record(1);
        assert!(record.deleted);
        assert_eq!(record.without_history(), deleted.without_history());
    }
    assert!(
        server.live_leaves(&key_on(&server, 1)).is_empty(),
        "the server shows the deletion too: {:?}",
        server.leaves(&key_on(&server, 1))
    );
    assert_eq!(a.record(1), c.record(1));
    // The coordinator reads its own write-back once more (its checkpoint was taken before
    // it wrote, and the document has two leaves); nobody writes again, and then all is quiet.
    for device in [&a, &*c] {
        assert_eq!(device.sync(&server).unwrap().progress.up, 0);
    }
    for device in [&a, &*c] {
        assert_eq!(up_down(&device.sync(&server).unwrap()), (0, 0));
    }
    assert_eq!(a.record(1), c.record(1));
}

#[test]
fn a_new_empty_database_is_not_taken_for_a_lost_one() {
    let server = server(Seqs::Opaque);
    let a = Device::officer_a();
    let report = a.sync(&server).unwrap();
    assert!(!report.resent);
    assert_eq!(server.locals().len(), 1, "the checkpoint is written");
    let report = a.sync(&server).unwrap();
    assert!(!report.resent, "the second sync finds its checkpoint");
}

#[test]
fn marks_are_stored_short() {
    let mut state = SyncState::new(TARGET);
    state.marks.insert(
        id(1),
        Mark("2-abc".into(), "0123456789abcdef".into(), vec![], vec![]),
    );
    state.marks.insert(
        id(2),
        Mark(
            "3-def".into(),
            "fedcba9876543210".into(),
            vec!["3-aaa".into()],
            vec![],
        ),
    );
    state.marks.insert(
        id(3),
        Mark(
            "4-fed".into(),
            "00112233aabbccdd".into(),
            vec![],
            vec!["4-bbb".into()],
        ),
    );
    let json = state.to_json();
    assert!(json.contains(r#"["2-abc","0123456789abcdef"]"#), "{json}");
    assert!(
        json.contains(r#"["3-def","fedcba9876543210",["3-aaa"]]"#),
        "{json}"
    );
    assert!(
        json.contains(r#"["4-fed","00112233aabbccdd",[],["4-bbb"]]"#),
        "{json}"
    );
    assert_eq!(SyncState::from_stored(Some(&json), TARGET), state);
    // A mark that does not read starts the state afresh rather than failing.
    let broken = json.replace(r#"["2-abc","0123456789abcdef"]"#, r#"["2-abc"]"#);
    assert_eq!(
        SyncState::from_stored(Some(&broken), TARGET),
        SyncState::new(TARGET)
    );
}

// ---- server mode: the dashboard's figures from the facts view ------------------------------

#[test]
fn the_facts_view_becomes_the_county_table_as_the_app_counts() {
    use field_ledger::domain::totals::{Counting, CountyRow};
    use field_ledger::replication::views::{
        Grouping, county_rows, facts_path, parse_facts, whole_months,
    };
    use time::macros::date;

    let path = facts_path(
        date!(2022 - 01 - 01),
        date!(2022 - 06 - 30),
        Grouping::Facts,
    );
    assert_eq!(
        path,
        "_design/field-ledger/_view/facts?group_level=4&startkey=%5B2022%2C1%5D&endkey=%5B2022%2C6%2C%7B%7D%5D"
    );
    assert!(
        facts_path(
            date!(2022 - 01 - 01),
            date!(2022 - 06 - 30),
            Grouping::Details
        )
        .contains("group_level=5&")
    );
    assert!(whole_months(date!(2022 - 01 - 01), date!(2022 - 06 - 30)));
    assert!(whole_months(date!(2022 - 02 - 01), date!(2022 - 02 - 28)));
    assert!(!whole_months(date!(2022 - 05 - 10), date!(2022 - 06 - 30)));
    assert!(!whole_months(date!(2022 - 05 - 01), date!(2022 - 06 - 29)));

    // As pouchdb-server and CouchDB answer with group_level=4.
    let body = r#"{"rows":[
        {"key":[2022,5,"大石桥市","training:farmer"],"value":[2,65]},
        {"key":[2022,5,"大石桥市","training:other"],"value":[1,12]},
        {"key":[2022,5,"大石桥市","visit"],"value":[3,0]},
        {"key":[2022,6,"盖州市","training:technician"],"value":[1,25]},
        {"key":[2022,6,"盖州市","technology:promoted"],"value":[1,0]},
        {"key":[2022,6," 盖州市 ","technology:demonstrated"],"value":[2,0]},
        {"key":[2022,6,"","visit"],"value":[1,0]},
        {"key":[2022,6,"大石桥市","something:new"],"value":[9,9]}
    ]}"#;
    let rows = parse_facts(body).unwrap();
    let counties = vec![
        "营口市区".to_owned(),
        "盖州市".to_owned(),
        "大石桥市".to_owned(),
    ];
    let (table, total) = county_rows(&rows, &Counting::default(), &counties);
    let line = |c: &str| table.iter().find(|r| r.county == c).cloned().unwrap();
    assert_eq!(
        table.iter().map(|r| r.county.as_str()).collect::<Vec<_>>(),
        ["营口市区", "盖州市", "大石桥市", ""],
        "the list's counties first (zeros included), no county last"
    );
    assert_eq!(
        (line("大石桥市").trainings, line("大石桥市").attendance),
        (2, 65),
        "other trainings do not count"
    );
    assert_eq!(line("大石桥市").visits, 3);
    assert_eq!(
        (
            line("盖州市").trainings,
            line("盖州市").technologies_promoted,
            line("盖州市").demonstrations
        ),
        (1, 1, 2)
    );
    assert_eq!(
        line("营口市区"),
        CountyRow {
            county: "营口市区".into(),
            ..CountyRow::default()
        }
    );
    assert_eq!(
        (total.trainings, total.attendance, total.visits),
        (3, 90, 4)
    );

    // Garbage is a clear error, never a panic.
    for bad in [
        "<html>",
        r#"{"rows":[{"key":[2022,5],"value":[1,2]}]}"#,
        r#"{"rows":[{"key":[2022,5,"x","visit"],"value":[-1,0]}]}"#,
        r#"{"rows":[{"key":[2022,5,"x","visit"],"value":"many"}]}"#,
        r#"{"rows":[{"key":[2022,5,"x","visit"],"value":[1,-3]}]}"#,
        r#"{"rows":[{"key":["2022",5,"x","visit"],"value":[1,0]}]}"#,
    ] {
        assert!(
            matches!(parse_facts(bad), Err(SyncError::BadAnswer(_))),
            "{bad}"
        );
    }
}

#[test]
fn the_facts_view_with_details_becomes_the_reports_figures_as_the_app_counts() {
    use field_ledger::domain::kinds::{HelpKind, HostType, TeamLevel, TrainingType};
    use field_ledger::domain::period::{Period, Preset};
    use field_ledger::domain::totals::Counting;
    use field_ledger::replication::views::{parse_facts, report_totals};
    use time::macros::date;

    // As the view answers with group_level=5 for two months and two counties.
    let body = r#"{"rows":[
        {"key":[2022,5,"大石桥市","training:farmer",""],"value":[2,65]},
        {"key":[2022,5,"大石桥市","training:other",""],"value":[1,12]},
        {"key":[2022,5,"大石桥市","households",""],"value":[40,0]},
        {"key":[2022,5,"大石桥市","visit",""],"value":[3,0]},
        {"key":[2022,5,"大石桥市","commissioner","王海"],"value":[2,0]},
        {"key":[2022,5,"大石桥市","commissioner","李娜"],"value":[1,0]},
        {"key":[2022,5,"大石桥市","host:cooperative","红旗合作社"],"value":[2,0]},
        {"key":[2022,5,"大石桥市","help:diagnosis",""],"value":[3,0]},
        {"key":[2022,5,"大石桥市","team","水稻团"],"value":[2,0]},
        {"key":[2022,5,"大石桥市","team-level:municipal_team","水稻团"],"value":[2,0]},
        {"key":[2022,5,"大石桥市","team-commissioner:水稻团","王海"],"value":[2,0]},
        {"key":[2022,6,"盖州市","training:technician",""],"value":[1,25]},
        {"key":[2022,6,"盖州市","technology:introduced",""],"value":[2,0]},
        {"key":[2022,6,"盖州市","technology:demonstrated",""],"value":[1,120.5]},
        {"key":[2022,6,"盖州市","technology:promoted",""],"value":[1,300]},
        {"key":[2022,6,"盖州市","visit",""],"value":[1,0]},
        {"key":[2022,6,"盖州市","commissioner","王海"],"value":[1,0]},
        {"key":[2022,6,"盖州市","host:cooperative","红旗合作社"],"value":[1,0]},
        {"key":[2022,6,"盖州市","host:village","北海村"],"value":[1,0]},
        {"key":[2022,6,"盖州市","help:advice",""],"value":[1,0]},
        {"key":[2022,6,"盖州市","team","水稻团"],"value":[1,0]},
        {"key":[2022,6,"盖州市","team-commissioner:水稻团","王海"],"value":[1,0]},
        {"key":[2022,6,"盖州市","demand",""],"value":[4,0]},
        {"key":[2022,6,"盖州市","demand:matched",""],"value":[2,0]},
        {"key":[2022,6,"盖州市","demand:solved",""],"value":[1,0]},
        {"key":[2022,6,"盖州市","demand:pending",""],"value":[2,0]},
        {"key":[2022,6,"盖州市","help:not-a-kind",""],"value":[9,0]},
        {"key":[2022,6,"盖州市","something:new","x"],"value":[9,9]}
    ]}"#;
    let rows = parse_facts(body).unwrap();
    let today = date!(2023 - 01 - 15);
    let period = Period::preset(2022, Preset::FirstHalf, today).unwrap();
    let t = report_totals(&rows, period, &Counting::default());
    let sessions = |ty| {
        t.by_type
            .iter()
            .find(|(t, _)| *t == ty)
            .map(|(_, s)| (s.sessions, s.attendance))
    };
    assert_eq!(sessions(TrainingType::Farmer), Some((2, 65)));
    assert_eq!(
        sessions(TrainingType::Other),
        Some((1, 12)),
        "every type is listed"
    );
    assert_eq!(
        (t.trainings, t.attendance),
        (3, 90),
        "only the counted types count"
    );
    assert_eq!(t.households, 40);
    assert_eq!(
        (
            t.technologies_introduced,
            t.technologies_demonstrated,
            t.technologies_promoted
        ),
        (2, 1, 1)
    );
    assert_eq!((t.demo_area_mu, t.promoted_area_mu), (120.5, 300.0));
    assert_eq!(t.visits, 4);
    assert_eq!(
        t.commissioners, 2,
        "王海 in both months and counties counts once"
    );
    assert_eq!(t.hosts, 2);
    assert_eq!(
        t.hosts_by_type,
        vec![(HostType::Village, 1), (HostType::Cooperative, 1)]
    );
    assert_eq!(
        t.help,
        vec![(HelpKind::Diagnosis, 3), (HelpKind::Advice, 1)]
    );
    assert_eq!(t.teams.len(), 1);
    let team = &t.teams[0];
    assert_eq!(
        (
            team.name.as_str(),
            team.level,
            team.visits,
            team.commissioners
        ),
        ("水稻团", Some(TeamLevel::MunicipalTeam), 3, 1)
    );
    assert_eq!(
        (
            t.demands.collected,
            t.demands.matched,
            t.demands.solved,
            t.demands.pending
        ),
        (4, 2, 1, 2)
    );
    assert_eq!(t.follow_ups.opened, 0, "follow-ups are not in the view");
    assert!(t.team_rows.is_empty());
}

// ---- server mode: lists paged through Mango _find ----------------------------------------------

#[test]
fn lists_page_through_find_with_couchdbs_bookmark_or_by_skipping() {
    use field_ledger::domain::RecordKind;
    use field_ledger::replication::views::{Cursor, LIST_PAGE, find_body, parse_find};

    let author = Author {
        device_id: "tablet-w".into(),
        name: "王海".into(),
    };
    let docs: Vec<Value> = (0..LIST_PAGE as u128)
        .map(|n| {
            let record = Record::create(
                id(n + 1),
                training_about(&format!("培训{n}")),
                &author,
                at(n as i64),
            );
            record_doc(&record, "1-abc", false)
        })
        .collect();

    // The first page: the kind, newest first, no cursor yet.
    let first: Value =
        serde_json::from_str(&find_body(RecordKind::Training, &Cursor::default())).unwrap();
    assert_eq!(first["selector"]["kind"], "training");
    assert_eq!(
        first["sort"],
        json!([{ "kind": "desc" }, { "updated_at": "desc" }])
    );
    assert_eq!(first["limit"], LIST_PAGE);
    assert!(first.get("bookmark").is_none() && first.get("skip").is_none());

    // CouchDB 3 answers with a bookmark (its documented shape), which the next page sends.
    let couch = json!({ "docs": docs, "bookmark": "g1AAAABweJzLYWBgYMpgSmHgKy5JLCrJTq2MT8lPzkzJBYqz5qXm5BckA_XmgfRywfUWJ-bkZwMAwhsVuQ" });
    let page = parse_find(&couch.to_string(), &Cursor::default(), TODAY).unwrap();
    assert_eq!(page.records.len(), LIST_PAGE);
    assert_eq!(page.records[3].id, id(4));
    let next = page.next.expect("a full page has a next one");
    assert_eq!(
        next.bookmark.as_deref(),
        Some("g1AAAABweJzLYWBgYMpgSmHgKy5JLCrJTq2MT8lPzkzJBYqz5qXm5BckA_XmgfRywfUWJ-bkZwMAwhsVuQ")
    );
    let second: Value = serde_json::from_str(&find_body(RecordKind::Training, &next)).unwrap();
    assert_eq!(second["bookmark"], next.bookmark.clone().unwrap());
    assert!(second.get("skip").is_none());

    // pouchdb-server gives no bookmark: the next page skips what came before.
    let pouch = json!({ "docs": docs });
    let at_50 = Cursor {
        bookmark: None,
        skip: 50,
    };
    let page = parse_find(&pouch.to_string(), &at_50, TODAY).unwrap();
    let next = page.next.unwrap();
    assert_eq!(
        next,
        Cursor {
            bookmark: None,
            skip: 50 + LIST_PAGE
        }
    );
    let body: Value = serde_json::from_str(&find_body(RecordKind::Visit, &next)).unwrap();
    assert_eq!(
        (body["selector"]["kind"].clone(), body["skip"].clone()),
        (json!("visit"), json!(75))
    );

    // A short page is the last one, whatever the bookmark ("nil" when CouchDB has nothing).
    let last = json!({ "docs": docs[..3], "bookmark": "g1AAAA" });
    assert_eq!(
        parse_find(&last.to_string(), &Cursor::default(), TODAY)
            .unwrap()
            .next,
        None
    );
    let empty = json!({ "docs": [], "bookmark": "nil" });
    let page = parse_find(&empty.to_string(), &next, TODAY).unwrap();
    assert!(page.records.is_empty() && page.next.is_none());

    // A document that is not a readable record is counted and left out; the rest are shown.
    let mut hostile = docs.clone();
    hostile[0] = json!({ "_id": "not-a-uuid", "_rev": "1-x", "kind": "training" });
    hostile[1]["data"] = json!("<script>alert(1)</script>");
    hostile[2]["_id"] = json!(id(999).to_string());
    let page = parse_find(
        &json!({ "docs": hostile }).to_string(),
        &Cursor::default(),
        TODAY,
    )
    .unwrap();
    assert_eq!((page.records.len(), page.unreadable), (LIST_PAGE - 3, 3));
    assert!(
        page.next.is_some(),
        "a page of unreadable documents is still a full page"
    );

    // Garbage is a clear error, never a panic.
    for bad in [
        "<html>",
        "{}",
        r#"{"docs":"many"}"#,
        r#"{"docs":[],"bookmark":7}"#,
    ] {
        assert!(
            matches!(
                parse_find(bad, &Cursor::default(), TODAY),
                Err(SyncError::BadAnswer(_))
            ),
            "{bad}"
        );
    }
}

/// The `_bulk_docs` requests of the log, as JSON.
fn bulk_docs_sent(server: &FakeCouch) -> Vec<Value> {
    server
        .log()
        .into_iter()
        .filter(|l| l.path == "_bulk_docs")
        .filter_map(|l| serde_json::from_str(&l.body?).ok())
        .collect()
}

/// The paths of the attachments asked for in the log.
fn photos_fetched(server: &FakeCouch) -> Vec<String> {
    server
        .log()
        .into_iter()
        .map(|l| l.path)
        .filter(|p| p.contains('/') && !p.starts_with('_'))
        .collect()
}

#[test]
fn a_photo_goes_up_once_with_its_record_and_down_to_a_tablet_that_holds_the_record() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    a.set_photos(1, &[&jpeg(1), &png()], 1);
    let report = a.sync(&server).unwrap();
    assert_eq!((report.photos.up, report.photos.down), (2, 0));

    // On the server: the record's document with both photos, named by hash, typed, with
    // the digest CouchDB gives them.
    let doc_id = key(WANG, 1);
    let doc = server.doc(&doc_id, &server.leaves(&doc_id)[0]).unwrap();
    let stub = &doc["_attachments"][photo_hash(&jpeg(1))];
    assert_eq!(stub["content_type"], json!("image/jpeg"));
    assert_eq!(stub["length"], json!(jpeg(1).len()));
    let (_, expected) = couch::photo_attachment("image/jpeg", &jpeg(1));
    assert_eq!(stub["digest"], expected["digest"]);
    assert_eq!(
        doc["_attachments"][photo_hash(&png())]["content_type"],
        json!("image/png")
    );

    // The coordinator's tablet holds the record: it takes both photos, bytes intact.
    let c = Device::coordinator();
    let report = c.sync(&server).unwrap();
    assert_eq!((report.photos.down, report.photos.left), (2, 0));
    assert_eq!(c.photos.borrow()[&photo_hash(&jpeg(1))], jpeg(1));
    assert_eq!(c.photos.borrow()[&photo_hash(&png())], png());
    // And asks for none again.
    server.clear_log();
    let again = c.sync(&server).unwrap();
    assert_eq!(again.photos, PhotoReport::default());
    assert!(photos_fetched(&server).is_empty());

    // Another officer does not hold the record: no photo of it is fetched.
    let b = Device::officer_b();
    server.clear_log();
    b.sync(&server).unwrap();
    assert!(photos_fetched(&server).is_empty());
    assert!(b.photos.borrow().is_empty());
}

#[test]
fn an_edit_sends_a_photo_the_server_has_as_a_stub_and_a_removed_one_goes() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    a.set_photos(1, &[&jpeg(1)], 1);
    a.sync(&server).unwrap();
    let doc_id = key(WANG, 1);

    // A second photo: only its bytes are sent, the first goes as a stub.
    a.set_photos(1, &[&jpeg(1), &jpeg(2)], 2);
    server.clear_log();
    assert_eq!(a.sync(&server).unwrap().photos.up, 1);
    let sent = &bulk_docs_sent(&server)[0]["docs"][0]["_attachments"];
    assert_eq!(sent[photo_hash(&jpeg(1))]["stub"], json!(true));
    assert!(sent[photo_hash(&jpeg(1))].get("data").is_none());
    assert!(sent[photo_hash(&jpeg(2))]["data"].is_string());

    // A text edit: no bytes at all, and the server keeps both.
    a.edit(1, "培训 1（修订）", 3);
    server.clear_log();
    assert_eq!(a.sync(&server).unwrap().photos.up, 0);
    let sent = &bulk_docs_sent(&server)[0]["docs"][0]["_attachments"];
    assert!(
        sent.as_object()
            .unwrap()
            .values()
            .all(|a| a["stub"] == json!(true))
    );
    let live = server.doc(&doc_id, &server.leaves(&doc_id)[0]).unwrap();
    assert_eq!(live["_attachments"].as_object().unwrap().len(), 2);

    // The first photo removed: the next revision has only the second.
    a.set_photos(1, &[&jpeg(2)], 4);
    a.sync(&server).unwrap();
    let live = server.doc(&doc_id, &server.leaves(&doc_id)[0]).unwrap();
    let names: Vec<&String> = live["_attachments"].as_object().unwrap().keys().collect();
    assert_eq!(names, vec![&photo_hash(&jpeg(2))]);
}

#[test]
fn photos_the_server_lost_are_sent_again_with_the_records() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    a.set_photos(1, &[&jpeg(1)], 1);
    a.sync(&server).unwrap();
    server.recreate();
    let report = a.sync(&server).unwrap();
    assert!(report.resent);
    assert_eq!(report.refused, 0);
    let doc_id = key(WANG, 1);
    let c = Device::coordinator();
    assert_eq!(c.sync(&server).unwrap().photos.down, 1);
    assert_eq!(c.photos.borrow()[&photo_hash(&jpeg(1))], jpeg(1));
    assert!(server.leaves(&doc_id).len() == 1);

    // A stub the server cannot place (it lost the photo's revision some other way) is
    // refused once; the bytes go with the next try.
    a.set_photos(1, &[&jpeg(1), &jpeg(2)], 2);
    server.answer_next(
        Some(Method::Post),
        "_bulk_docs",
        201,
        &json!([{"id": doc_id, "rev": "x", "error": "missing_stub", "reason": "Invalid attachment stub"}]).to_string(),
    );
    assert_eq!(a.sync(&server).unwrap().refused, 1);
    server.clear_log();
    assert_eq!(a.sync(&server).unwrap().refused, 0);
    let sent = &bulk_docs_sent(&server)[0]["docs"][0]["_attachments"];
    assert!(sent[photo_hash(&jpeg(1))]["data"].is_string());
}

#[test]
fn a_photo_that_is_not_what_its_name_says_or_finds_no_room_is_left_and_the_records_are_taken() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    a.set_photos(1, &[&jpeg(1)], 1);
    a.create(2, "培训 2");
    a.set_photos(2, &[&jpeg(2)], 1);
    a.sync(&server).unwrap();
    let doc = server
        .doc(&key(WANG, 1), &server.leaves(&key(WANG, 1))[0])
        .unwrap();
    let digest = doc["_attachments"][photo_hash(&jpeg(1))]["digest"]
        .as_str()
        .unwrap()
        .to_owned();
    // The server's copy of the first photo went bad: other bytes, still a JPEG.
    server.corrupt_attachment(&digest, jpeg(9));

    let c = Device::coordinator();
    c.photos_full.set(true);
    let report = c.sync(&server).unwrap();
    assert_eq!(c.ids(), BTreeSet::from([id(1), id(2)]));
    assert_eq!((report.photos.down, report.photos.left), (0, 2));
    assert!(report.photos.problem.is_some());
    assert!(c.photos.borrow().is_empty());

    // Room again: the good photo comes; the bad one never is stored.
    c.photos_full.set(false);
    let report = c.sync(&server).unwrap();
    assert_eq!((report.photos.down, report.photos.left), (1, 1));
    assert!(
        report
            .photos
            .problem
            .unwrap()
            .contains(&photo_hash(&jpeg(1)))
    );
    assert_eq!(
        c.photos.borrow().keys().collect::<Vec<_>>(),
        vec![&photo_hash(&jpeg(2))]
    );
}

#[test]
fn the_server_refuses_a_photo_that_is_no_image_or_too_large() {
    let server = server(Seqs::Integer);
    let a = Device::officer_a();
    a.create(1, "培训 1");
    let record = a.set_photos(1, &[&jpeg(1)], 1);
    let doc = |name: &str, mime: &str, bytes: &[u8], rev: &str| {
        let mut doc = serde_json::to_value(&record).unwrap();
        doc["_id"] = json!(key(WANG, 1));
        doc["_rev"] = json!(rev);
        let (mut data, _) = couch::photo_attachment(mime, bytes);
        data["content_type"] = json!(mime);
        doc["_attachments"] = json!({ name: data });
        doc
    };
    let hash = photo_hash(&jpeg(1));
    let big = vec![0u8; 5 * 1024 * 1024 + 1];
    let answer = post_replicated(
        &server,
        WANG,
        json!([
            doc(&hash, "text/html", b"<script>alert(1)</script>", "1-aa"),
            doc(&hash, "image/svg+xml", b"<svg/>", "1-bb"),
            doc("notes.bin", "application/octet-stream", &big, "1-cc"),
        ]),
    );
    let errors = answer.as_array().unwrap();
    assert_eq!(errors.len(), 3, "{answer}");
    assert!(errors.iter().all(|e| e["error"] == "forbidden"), "{answer}");
    assert!(server.leaves(&key(WANG, 1)).is_empty());
    // The photo as the app sends it is taken.
    let answer = post_replicated(
        &server,
        WANG,
        json!([doc(&hash, "image/jpeg", &jpeg(1), "1-dd")]),
    );
    assert_eq!(answer, json!([]));
}
