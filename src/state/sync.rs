//! Live sync with a CouchDB server, as the running app does it: the server's address and
//! user (stored apart from the settings, so never in an export), signing in (CouchDB's cookie
//! session: the password typed is sent once to `/_session` and kept in memory for this tab
//! only, never stored; who the user is and whether a coordinator comes from the server), when
//! to sync, one tab at a time, and what the last sync did. The protocol itself is [`crate::replication`]; it is a part of the app of its
//! own, fetched the first time a sync runs.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;
use time::Date;
use uuid::Uuid;

use super::{DeviceSettings, Records, SharedStore};
use crate::browser;
use crate::domain::settings::Role;
use crate::domain::{Record, RecordKind};
use crate::replication::views::{Cursor, FactRow, Grouping, ListPage};
use crate::replication::{
    AddressProblem, Progress, Refusal, StateJournal, SyncConfig, SyncError, SyncReport, SyncState,
};
use crate::storage::photos::{PhotoStore, StoredPhoto};
use crate::storage::{StorageError, keys};

/// What the sync is doing, or how the last one ended.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncStatus {
    Idle,
    Running(Progress),
    Finished(SyncReport),
    Failed(SyncFailure),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SyncFailure {
    /// The tablet has no connection: nothing was tried.
    Offline,
    /// Another tab of the app is syncing.
    Busy,
    Address(AddressProblem),
    /// Not signed in on the server (never, or the session expired) and no password typed in
    /// this tab: the password is asked for.
    SignInNeeded,
    /// The sync's part of the app could not be fetched.
    NotLoaded,
    Sync(SyncError),
}

/// From the stored sync state: what the settings page shows between syncs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncSummary {
    pub last_success: Option<String>,
    /// Records the server refused: kept here, tried again at every sync.
    pub refused: Vec<(Uuid, Refusal)>,
    /// Documents on the server this version could not read: read again at every sync.
    pub unreadable: Vec<(String, String)>,
}

/// How often an automatic sync runs while the app is open (besides at start and when the
/// connection comes back).
const AUTOMATIC_EVERY: Duration = Duration::from_secs(300);

#[derive(Clone, Copy)]
pub struct LiveSync {
    store: SharedStore,
    records: Records,
    settings: DeviceSettings,
    /// Read from storage the first time it is asked for ([`LiveSync::config`]), so that the
    /// first load does not carry its reading; read again after each change.
    config: Memo<Option<SyncConfig>>,
    config_changed: Trigger,
    pub status: ReadSignal<SyncStatus>,
    set_status: WriteSignal<SyncStatus>,
    pub summary: ReadSignal<SyncSummary>,
    set_summary: WriteSignal<SyncSummary>,
    /// Typed in this tab (memory only): signs in again when the server's session expires.
    password: StoredValue<Option<String>, LocalStorage>,
    /// The automatic sync at start waits for the stored records to be read.
    run_when_read: StoredValue<bool, LocalStorage>,
    /// Where the coordinator's dashboard, report and lists take their records from, for this
    /// session (the tablet's records unless the coordinator picks the server).
    pub figures_from: RwSignal<FiguresFrom>,
}

/// Where figures are counted from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FiguresFrom {
    /// This browser's records (the default).
    #[default]
    Device,
    /// The sync server's views: every synced record, however many ("server mode").
    Server,
}

impl LiveSync {
    pub(super) fn new(store: SharedStore, records: Records, settings: DeviceSettings) -> Self {
        // A password an older version kept on the tablet goes (the session stands for it).
        store.with_value(|s| {
            if s.load_value(keys::SYNC_SECRET).ok().flatten().is_some() {
                let _ = s.remove_value(keys::SYNC_SECRET);
            }
        });
        let (status, set_status) = signal(SyncStatus::Idle);
        let (summary, set_summary) = signal(SyncSummary::default());
        let config_changed = Trigger::new();
        LiveSync {
            store,
            records,
            settings,
            config: Memo::new(move |_| {
                config_changed.track();
                // A stored value that does not read is as good as none (sync is set up again).
                store
                    .with_value(|s| s.load_value(keys::SYNC_CONFIG))
                    .ok()
                    .flatten()
                    .and_then(|raw| serde_json::from_str(&raw).ok())
            }),
            config_changed,
            status,
            set_status,
            summary,
            set_summary,
            password: StoredValue::new_local(None),
            run_when_read: StoredValue::new_local(false),
            figures_from: RwSignal::new(FiguresFrom::Device),
        }
    }

    /// Whether the dashboard, report and lists offer their figures from the server: on a
    /// coordinator's tablet with a sync server set up.
    pub fn offers_server_mode(&self) -> bool {
        self.settings
            .settings
            .with(|s| s.role == Some(Role::Coordinator))
            && self.config().with(Option::is_some)
    }

    /// Whether figures are to come from the server: offered, and picked.
    pub fn server_mode(&self) -> bool {
        self.offers_server_mode() && self.figures_from.get() == FiguresFrom::Server
    }

    /// The server's settings, if the sync is set up.
    pub fn config(&self) -> Memo<Option<SyncConfig>> {
        self.config
    }

    pub fn has_password(&self) -> bool {
        self.password.with_value(Option::is_some)
    }

    /// Stores the server settings. A typed password replaces the one in use, in memory only.
    pub fn configure(
        &self,
        config: SyncConfig,
        password: Option<String>,
    ) -> Result<(), StorageError> {
        let json =
            serde_json::to_string(&config).map_err(|e| StorageError::Encode(e.to_string()))?;
        self.store
            .with_value(|s| s.save_value(keys::SYNC_CONFIG, &json))?;
        if let Some(password) = password.filter(|p| !p.is_empty()) {
            self.password.set_value(Some(password));
        }
        self.config_changed.notify();
        Ok(())
    }

    /// Forgets the server: its settings, the password and the sync state. The records stay.
    pub fn forget(&self) -> Result<(), StorageError> {
        self.store.with_value(|s| -> Result<(), StorageError> {
            s.remove_value(keys::SYNC_SECRET)?;
            s.remove_value(keys::SYNC_STATE)?;
            for (key, _) in s.load_values_under(keys::SYNC_JOURNAL_PREFIX)? {
                s.remove_value(&key)?;
            }
            s.remove_value(keys::SYNC_CONFIG)
        })?;
        self.password.set_value(None);
        self.config_changed.notify();
        self.set_status.set(SyncStatus::Idle);
        self.refresh_summary();
        Ok(())
    }

    /// Starts a sync unless one is running (its part of the app is fetched the first time).
    pub fn sync_now(&self) {
        if matches!(self.status.get_untracked(), SyncStatus::Running(_)) {
            return;
        }
        let sync = *self;
        self.set_status
            .set(SyncStatus::Running(Progress::default()));
        leptos::task::spawn_local(async move {
            match lazy_await!(lazy::sync_job(sync)) {
                Ok(job) => job.await,
                Err(_) => sync
                    .set_status
                    .set(SyncStatus::Failed(SyncFailure::NotLoaded)),
            }
        });
    }

    /// Syncs by itself when the officer chose so: at start, when the connection comes back,
    /// and every few minutes while the app is open; never when offline.
    pub(super) fn start_automatic(self) {
        // At start: now, or once the stored records are read.
        if self.records.reading.get_untracked() == super::Reading::Done {
            self.run_automatic();
        } else {
            self.run_when_read.set_value(true);
        }
        let online = window_event_listener(leptos::ev::online, move |_| self.run_automatic());
        let every = set_interval_with_handle(move || self.run_automatic(), AUTOMATIC_EVERY).ok();
        on_cleanup(move || {
            online.remove();
            if let Some(every) = every {
                every.clear();
            }
        });
    }

    /// The stored records are read: the automatic sync waiting for them runs.
    pub(super) fn records_read(self) {
        if self.run_when_read.try_update_value(std::mem::take) == Some(true) {
            self.run_automatic();
        }
    }

    /// Syncs when automatic sync is on and can run; never before the stored records are
    /// read (a pull would take the tablet for empty).
    fn run_automatic(self) {
        let read = self.records.reading.get_untracked() == super::Reading::Done;
        let automatic = self
            .config
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.automatic));
        if read && automatic && browser::online() {
            self.sync_now();
        }
    }

    /// The sync state for database `target` as stored: read when a sync starts or the sync
    /// page shows it, never at start.
    fn stored_state(&self, target: &str) -> StoredSync {
        let (base, journal) = self.store.with_value(|s| {
            let base = s.load_value(keys::SYNC_STATE).ok().flatten();
            let journal = s
                .load_values_under(keys::SYNC_JOURNAL_PREFIX)
                .unwrap_or_default();
            (base, journal)
        });
        StoredSync {
            sync: *self,
            journal: RefCell::new(StateJournal::load(base.as_deref(), journal, target)),
        }
    }

    /// "Give up my edit" for a record the server refused: it leaves the list, is offered
    /// nothing, and the next sync (started now) takes the server's version for it.
    pub fn give_up(&self, id: uuid::Uuid) -> Result<(), StorageError> {
        let Some(target) = self
            .config()
            .with_untracked(|c| c.as_ref().and_then(|c| c.database_url().ok()))
        else {
            return Ok(());
        };
        let stored = self.stored_state(&target);
        let mut next = stored.state();
        next.refused.remove(&id);
        next.given_up.insert(id);
        crate::replication::Local::store(&stored, Vec::new(), &next)?;
        self.refresh_summary();
        self.sync_now();
        Ok(())
    }

    /// Reads the stored sync state for what the sync page shows (called by that page and
    /// after each sync, so that the state is not read at start).
    pub fn refresh_summary(&self) {
        let target = self
            .config()
            .with_untracked(|c| c.as_ref().and_then(|c| c.database_url().ok()));
        let summary = target
            .map(|target| {
                let state = self.stored_state(&target).state();
                SyncSummary {
                    last_success: state.last_success,
                    refused: state.refused.into_iter().collect(),
                    unreadable: state.unreadable.into_iter().collect(),
                }
            })
            .unwrap_or_default();
        self.set_summary.set(summary);
    }

    /// The server's `facts` view for the months from `from` to `to`: the dashboard's and the
    /// report's figures in server mode (fetched with the sync's part of the app).
    pub async fn server_facts(
        self,
        from: Date,
        to: Date,
        grouping: Grouping,
    ) -> Result<Vec<FactRow>, SyncFailure> {
        match lazy_await!(lazy::facts_job(self, from, to, grouping)) {
            Ok(job) => job.await,
            Err(_) => Err(SyncFailure::NotLoaded),
        }
    }

    async fn facts(
        self,
        from: Date,
        to: Date,
        grouping: Grouping,
    ) -> Result<Vec<FactRow>, SyncFailure> {
        use crate::replication::{Method, Request, views};
        let request = Request {
            method: Method::Get,
            path: views::facts_path(from, to, grouping),
            body: None,
        };
        let body = self.ask(request, VIEW_LIMIT).await?;
        views::parse_facts(&body).map_err(SyncFailure::Sync)
    }

    /// One page of a kind's records on the server, the latest changed first (server mode's
    /// lists; fetched with the sync's part of the app).
    pub async fn server_list(
        self,
        kind: RecordKind,
        cursor: Cursor,
    ) -> Result<ListPage, SyncFailure> {
        match lazy_await!(lazy::list_job(self, kind, cursor)) {
            Ok(job) => job.await,
            Err(_) => Err(SyncFailure::NotLoaded),
        }
    }

    async fn list(self, kind: RecordKind, cursor: Cursor) -> Result<ListPage, SyncFailure> {
        use crate::replication::{Method, Request, views};
        let request = Request {
            method: Method::Post,
            path: "_find".to_owned(),
            body: Some(views::find_body(kind, &cursor)),
        };
        let body = self.ask(request, REQUEST_LIMIT).await?;
        views::parse_find(&body, &cursor, browser::today()).map_err(SyncFailure::Sync)
    }

    /// One photo of a record on the server (server mode: the records are not on this tablet),
    /// fetched when the user asks for it: its bytes, checked against its name and type.
    pub async fn server_photo(
        self,
        doc_id: String,
        photo: crate::domain::photo::PhotoRef,
    ) -> Result<Vec<u8>, SyncFailure> {
        match lazy_await!(lazy::photo_job(self, doc_id, photo)) {
            Ok(job) => job.await,
            Err(_) => Err(SyncFailure::NotLoaded),
        }
    }

    async fn photo(
        self,
        doc_id: String,
        photo: crate::domain::photo::PhotoRef,
    ) -> Result<Vec<u8>, SyncFailure> {
        use crate::replication::{SyncError, Transport, engine};
        let (config, transport) = self.connection()?;
        self.sign_in(&config).await?;
        let path = format!("{}/{}", engine::encode_component(&doc_id), photo.hash);
        let (status, bytes) = transport
            .get_bytes(path)
            .await
            .map_err(|e| SyncFailure::Sync(e.into()))?;
        if status == 404 {
            return Err(SyncFailure::Sync(SyncError::Missing));
        }
        let answer = crate::replication::Response {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        engine::check(answer).map_err(signed_out)?;
        crate::domain::photo::check_photo(&photo.hash, photo.mime, &bytes)
            .map_err(|problem| SyncFailure::Sync(SyncError::BadAnswer(problem.to_string())))?;
        Ok(bytes)
    }

    /// One request of server mode (outside a sync), answered within `time_limit`: the body
    /// of a successful answer, or why there is none.
    async fn ask(
        self,
        request: crate::replication::Request,
        time_limit: Duration,
    ) -> Result<String, SyncFailure> {
        use crate::replication::{Transport, engine};
        let (config, mut transport) = self.connection()?;
        self.sign_in(&config).await?;
        transport.time_limit = time_limit;
        let response = transport
            .send(request)
            .await
            .map_err(|e| SyncFailure::Sync(e.into()))?;
        engine::check(response).map_err(signed_out)
    }

    /// The server's settings and the transport to its database; or why there is none.
    fn connection(&self) -> Result<(SyncConfig, FetchTransport), SyncFailure> {
        let config = self
            .config()
            .get_untracked()
            .ok_or(SyncFailure::Address(AddressProblem::Empty))?;
        let database = config.database_url().map_err(SyncFailure::Address)?;
        if !browser::online() {
            return Err(SyncFailure::Offline);
        }
        Ok((
            config,
            FetchTransport {
                database,
                time_limit: REQUEST_LIMIT,
            },
        ))
    }

    /// Signs in with the password typed in this tab, if any (`POST /_session`: the server
    /// sets its session cookie), then asks the server who is signed in: the user the sync
    /// writes as, a coordinator when the server gives them that role (or is an admin). No
    /// session and no password: [`SyncFailure::SignInNeeded`].
    async fn sign_in(
        &self,
        config: &SyncConfig,
    ) -> Result<crate::replication::Identity, SyncFailure> {
        use crate::replication::{Identity, Response, engine};
        let url = config.session_url().map_err(SyncFailure::Address)?;
        let ask = |method: &'static str, body: Option<String>| {
            let url = url.clone();
            async move {
                browser::fetch_json(method, &url, body.as_deref(), REQUEST_LIMIT)
                    .await
                    .map(|(status, body)| Response { status, body })
                    .map_err(|e| SyncFailure::Sync(SyncError::Unreachable(e)))
            }
        };
        if let Some(password) = self.password.get_value() {
            let body = serde_json::json!({"name": config.user.trim(), "password": password});
            engine::check(ask("POST", Some(body.to_string())).await?).map_err(SyncFailure::Sync)?;
        }
        let answer = engine::check(ask("GET", None).await?).map_err(SyncFailure::Sync)?;
        let session: serde_json::Value = serde_json::from_str(&answer)
            .map_err(|e| SyncFailure::Sync(SyncError::BadAnswer(format!("_session: {e}"))))?;
        let context = &session["userCtx"];
        let Some(user) = context["name"].as_str().filter(|n| !n.is_empty()) else {
            return Err(SyncFailure::SignInNeeded);
        };
        let roles: Vec<&str> = context["roles"]
            .as_array()
            .map(|r| r.iter().filter_map(|r| r.as_str()).collect())
            .unwrap_or_default();
        Ok(Identity {
            user: user.to_owned(),
            coordinator: roles.iter().any(|r| *r == "coordinator" || *r == "_admin"),
        })
    }

    /// One sync, start to end (in the sync's own part of the app).
    async fn run(self) {
        let signed_in = match self.connection() {
            Ok((config, transport)) => self.sign_in(&config).await.map(|me| (transport, me)),
            Err(failure) => Err(failure),
        };
        let (transport, me) = match signed_in {
            Ok(connection) => connection,
            Err(failure) => return self.set_status.set(SyncStatus::Failed(failure)),
        };
        let outcome = browser::with_lock("field-ledger-sync", self.replicate(transport, me)).await;
        self.refresh_summary();
        self.set_status.set(match outcome {
            None => SyncStatus::Failed(SyncFailure::Busy),
            Some(Ok(report)) => SyncStatus::Finished(report),
            Some(Err(error)) => SyncStatus::Failed(signed_out(error)),
        });
    }

    async fn replicate(
        self,
        transport: FetchTransport,
        me: crate::replication::Identity,
    ) -> Result<SyncReport, SyncError> {
        use crate::replication::Replicator;
        let stored = self.stored_state(&transport.database);
        let mut state = stored.state();
        let device_id = self
            .settings
            .settings
            .with_untracked(|s| s.device_id.clone());
        let session_id = browser::new_id().to_string();
        let progress = move |p| self.set_status.set(SyncStatus::Running(p));
        let replicator = Replicator {
            transport: &transport,
            local: &stored,
            me: &me,
            device_id: &device_id,
            session_id: &session_id,
            today: browser::today(),
            batch: SYNC_BATCH,
            retry: crate::replication::Retry::POOR_LINK,
            progress: &progress,
        };
        let finished_at = || {
            crate::domain::datetime_text::rfc3339_text(browser::now())
                .as_str()
                .to_owned()
        };
        replicator.run(&mut state, finished_at).await
    }
}

/// Documents per request: large enough that a coordinator's first pull of thousands of
/// records takes few round trips (each stores the sync state once).
const SYNC_BATCH: usize = 500;

mod lazy {
    use std::future::Future;
    use std::pin::Pin;

    use time::Date;

    use super::{Cursor, FactRow, Grouping, ListPage, LiveSync, SyncFailure};
    use crate::domain::RecordKind;

    lazy_fn!(
        live_sync,
        pub fn sync_job(sync: LiveSync) -> Pin<Box<dyn Future<Output = ()>>> {
            Box::pin(sync.run())
        }
    );

    lazy_fn!(
        live_sync,
        pub fn facts_job(
            sync: LiveSync,
            from: Date,
            to: Date,
            grouping: Grouping,
        ) -> Pin<Box<dyn Future<Output = Result<Vec<FactRow>, SyncFailure>>>> {
            Box::pin(sync.facts(from, to, grouping))
        }
    );

    lazy_fn!(
        live_sync,
        pub fn photo_job(
            sync: LiveSync,
            doc_id: String,
            photo: crate::domain::photo::PhotoRef,
        ) -> Pin<Box<dyn Future<Output = Result<Vec<u8>, SyncFailure>>>> {
            Box::pin(sync.photo(doc_id, photo))
        }
    );

    lazy_fn!(
        live_sync,
        pub fn list_job(
            sync: LiveSync,
            kind: RecordKind,
            cursor: Cursor,
        ) -> Pin<Box<dyn Future<Output = Result<ListPage, SyncFailure>>>> {
            Box::pin(sync.list(kind, cursor))
        }
    );
}

/// The tablet as a sync sees it: its records, and the sync state as stored (kept up to date
/// with each write, so that the next writes only what changed).
struct StoredSync {
    sync: LiveSync,
    journal: RefCell<StateJournal>,
}

impl StoredSync {
    fn state(&self) -> SyncState {
        self.journal.borrow().state().clone()
    }
}

impl crate::replication::Local for StoredSync {
    fn with_ledger<R>(&self, f: impl FnOnce(&crate::domain::Ledger) -> R) -> R {
        self.sync.records.ledger.with_untracked(f)
    }

    fn store(&self, records: Vec<Record>, state: &SyncState) -> Result<(), StorageError> {
        let write = self.journal.borrow().write(state);
        self.sync
            .store
            .with_value(|s| s.save_records_and(&records, &write.values))?;
        *self.journal.borrow_mut() = write.then;
        self.sync.records.show_synced(records);
        Ok(())
    }
    async fn photo(&self, hash: &str) -> Option<Vec<u8>> {
        let stored = PhotoStore::browser().get(hash).await.ok().flatten();
        stored.map(|photo| photo.bytes)
    }

    async fn photo_hashes(&self) -> Result<BTreeSet<String>, String> {
        let hashes = PhotoStore::browser().hashes().await;
        hashes.map(BTreeSet::from_iter).map_err(|e| e.to_string())
    }

    async fn store_photo(
        &self,
        hash: &str,
        mime: crate::domain::photo::PhotoMime,
        bytes: Vec<u8>,
    ) -> Result<(), String> {
        let photo = StoredPhoto { mime, bytes };
        PhotoStore::browser()
            .put(hash, &photo)
            .await
            .map_err(|e| e.to_string())
    }
}

/// A request refused for want of a session (401: it expired meanwhile) asks for the password;
/// any other failure is what it is.
fn signed_out(error: SyncError) -> SyncFailure {
    match error {
        SyncError::WrongPassword => SyncFailure::SignInNeeded,
        other => SyncFailure::Sync(other),
    }
}

/// How long a sync request may take before it counts as unanswered.
const REQUEST_LIMIT: Duration = Duration::from_secs(60);
/// The same for a view: its first query after many changes builds the view's index over
/// every record first (minutes for a city's database).
const VIEW_LIMIT: Duration = Duration::from_secs(15 * 60);

/// The replicator's HTTP: the browser's fetch to one database, with the session cookie.
struct FetchTransport {
    database: String,
    time_limit: Duration,
}

impl crate::replication::Transport for FetchTransport {
    async fn send(
        &self,
        request: crate::replication::Request,
    ) -> Result<crate::replication::Response, crate::replication::Unreachable> {
        use crate::replication::{Method, Response, Unreachable};
        let url = if request.path.is_empty() {
            self.database.clone()
        } else {
            format!("{}/{}", self.database, request.path)
        };
        let method = match request.method {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        };
        browser::fetch_json(method, &url, request.body.as_deref(), self.time_limit)
            .await
            .map(|(status, body)| Response { status, body })
            .map_err(Unreachable)
    }

    async fn get_bytes(
        &self,
        path: String,
    ) -> Result<(u16, Vec<u8>), crate::replication::Unreachable> {
        let url = format!("{}/{path}", self.database);
        browser::fetch_bytes(&url, self.time_limit)
            .await
            .map_err(crate::replication::Unreachable)
    }

    async fn pause(&self, delay: Duration) {
        browser::sleep(delay).await;
    }
}
