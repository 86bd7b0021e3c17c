//! An in-memory CouchDB-like database for the replication tests, written from CouchDB's
//! documented behaviour and independent of the client's code:
//!
//! - documents with revision trees (every revision with its parent, body and deletion; the
//!   leaves are the revisions no other one descends from), the winning leaf by CouchDB's rule;
//! - `_changes?style=all_docs` with integer sequences (as pouchdb-server) or opaque
//!   CouchDB-3-like strings ([`Seqs`]), `_revs_diff`, `_bulk_get` (which can be switched off),
//!   `GET <id>?open_revs=[…]`, `_bulk_docs` with `new_edits: false` checked by the real
//!   `server/validate_doc_update.js` (in QuickJS) given `oldDoc` as CouchDB gives it (the
//!   first stored revision along the new revision's path, `null` for a branch not joined to
//!   the tree), `_local/<id>` with `0-N` revisions, the database info;
//! - attachments: sent inline (`data`, base64) or as stubs, which CouchDB takes by name from
//!   the same first stored revision along the new revision's path (`missing_stub` when it has
//!   none of that name); served as stubs in documents and as bytes by `GET <id>/<name>`;
//! - users with passwords (a wrong one answers 401) and the coordinator role;
//! - faults: a request lost before or after the server applied it ([`When`]), canned answers,
//!   a hook that runs before a request (another device syncing at the same moment), and the
//!   database deleted and created again ([`FakeCouch::recreate`]);
//! - a log of every request, and of the pauses the client asked for before trying again.
//!
//! [`block_on`] runs the client's futures: the fake never pends, so one poll finishes them.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use field_ledger::replication::{Method, Request, Response, Transport, Unreachable};
use serde_json::{Map, Value, json};

use crate::server_js::Validator;

/// Runs a future that never waits (every transport of these tests answers at once).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future waited, but nothing here ever wakes it"),
    }
}

/// How the server writes its update sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seqs {
    /// `1`, `2`, … (pouchdb-server, CouchDB 1).
    Integer,
    /// `"5-g1AAAA…"` with a random-looking tail (CouchDB 2 and 3): only a sequence the server
    /// issued (or `0`) is accepted back.
    Opaque,
}

/// When an injected fault cuts the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// The request never reaches the server.
    Before,
    /// The server applies the request, the answer is lost.
    After,
}

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq)]
pub struct Logged {
    pub user: String,
    pub method: Method,
    pub path: String,
    pub body: Option<String>,
}

impl Logged {
    /// `"POST _bulk_docs"`: what assertions usually compare.
    pub fn line(&self) -> String {
        let method = match self.method {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        };
        format!("{method} {}", self.path)
    }
}

struct Revision {
    parent: Option<String>,
    /// `None` for an ancestor the server only knows by its id (from `_revisions`).
    body: Option<Map<String, Value>>,
    deleted: bool,
}

#[derive(Default)]
struct Doc {
    revs: BTreeMap<String, Revision>,
    seq: u64,
}

struct User {
    password: String,
    coordinator: bool,
}

/// Which requests a fault, canned answer or hook applies to.
enum Matcher {
    /// The request with this number (counted from the server's start).
    Nth(usize),
    /// The next one with this method (any, when `None`) whose path starts with the prefix,
    /// after letting the given number of such requests through.
    Next(Option<Method>, String, usize),
}

impl Matcher {
    /// Whether this request is the one; counts down the requests to let through.
    fn matches(&mut self, index: usize, request: &Request) -> bool {
        match self {
            Matcher::Nth(n) => *n == index,
            Matcher::Next(method, prefix, skip) => {
                let fits = method.is_none_or(|m| m == request.method)
                    && request.path.starts_with(prefix.as_str());
                if fits && *skip > 0 {
                    *skip -= 1;
                    return false;
                }
                fits
            }
        }
    }
}

type Hook = Box<dyn FnOnce()>;

struct Inner {
    docs: BTreeMap<String, Doc>,
    locals: BTreeMap<String, (u64, Map<String, Value>)>,
    seq: u64,
    /// Counts recreations of the database: opaque sequences of an older one are not taken.
    epoch: u64,
    seqs: Seqs,
    issued: BTreeMap<String, u64>,
    users: BTreeMap<String, User>,
    bulk_get: bool,
    faults: Vec<(Matcher, When)>,
    canned: Vec<(Matcher, Response)>,
    hooks: Vec<(Matcher, Hook)>,
    log: Vec<Logged>,
    pauses: Vec<Duration>,
    received: usize,
    /// Bodies larger than this are answered 413 (a proxy's limit), unread.
    body_limit: Option<usize>,
    validator: Validator,
    /// Attachment bytes by digest.
    attachments: BTreeMap<String, Vec<u8>>,
}

pub struct FakeCouch {
    inner: RefCell<Inner>,
}

/// One device's connection: the server and the credentials it sends.
pub struct Client<'a> {
    server: &'a FakeCouch,
    user: String,
    password: String,
}

impl Transport for Client<'_> {
    async fn send(&self, request: Request) -> Result<Response, Unreachable> {
        self.server.handle(&self.user, &self.password, request)
    }

    async fn get_bytes(&self, path: String) -> Result<(u16, Vec<u8>), Unreachable> {
        let request = Request {
            method: Method::Get,
            path,
            body: None,
        };
        self.server
            .handle_bytes(&self.user, &self.password, request)
    }

    async fn pause(&self, delay: Duration) {
        self.server.inner.borrow_mut().pauses.push(delay);
    }
}

fn response(status: u16, body: Value) -> Response {
    Response {
        status,
        body: body.to_string(),
    }
}

fn error(status: u16, error: &str, reason: &str) -> Response {
    response(status, json!({"error": error, "reason": reason}))
}

fn generation(rev: &str) -> u64 {
    rev.split_once('-')
        .and_then(|(g, _)| g.parse().ok())
        .unwrap_or(0)
}

/// Whether `doc` matches a Mango selector: the operators the app's selectors use (`$or`,
/// `$and`, `$eq`, `$in`, `$exists`) and fields by dotted path; any other panics.
pub fn mango_matches(doc: &Value, selector: &Value) -> bool {
    let Some(conditions) = selector.as_object() else {
        panic!("a selector is an object: {selector}");
    };
    conditions
        .iter()
        .all(|(key, condition)| match key.as_str() {
            "$or" => condition
                .as_array()
                .expect("$or takes a list")
                .iter()
                .any(|s| mango_matches(doc, s)),
            "$and" => condition
                .as_array()
                .expect("$and takes a list")
                .iter()
                .all(|s| mango_matches(doc, s)),
            field => {
                let value = field.split('.').try_fold(doc, |at, part| at.get(part));
                match condition.as_object() {
                    Some(ops) if ops.keys().all(|k| k.starts_with('$')) => {
                        ops.iter().all(|(op, arg)| match op.as_str() {
                            "$eq" => value == Some(arg),
                            "$in" => value.is_some_and(|v| {
                                arg.as_array().expect("$in takes a list").contains(v)
                            }),
                            "$exists" => value.is_some() == (arg == &json!(true)),
                            other => panic!("the fake has no Mango operator {other}"),
                        })
                    }
                    _ => value == Some(condition),
                }
            }
        })
}

/// Decodes `%XX` escapes (and `+` as a space, as forms do).
pub fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query parameters of a path, decoded.
pub fn query_params(path: &str) -> (String, BTreeMap<String, String>) {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (url_decode(k), url_decode(v))
        })
        .collect();
    (url_decode(base), params)
}

/// A random-looking base64url tail for an opaque sequence, derived from the database's
/// epoch and the sequence number.
fn opaque_tail(epoch: u64, n: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut x = epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.wrapping_add(0x1234_5678);
    (0..48)
        .map(|_| {
            // splitmix64
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ALPHABET[(z % 64) as usize] as char
        })
        .collect()
}

impl Doc {
    /// Revisions with a body that no other revision descends from.
    fn leaves(&self) -> Vec<&String> {
        let parents: BTreeSet<&String> = self
            .revs
            .values()
            .filter_map(|r| r.parent.as_ref())
            .collect();
        self.revs
            .iter()
            .filter(|(rev, r)| r.body.is_some() && !parents.contains(rev))
            .map(|(rev, _)| rev)
            .collect()
    }

    /// The leaves, the winner first: live before deleted, then the higher generation, then
    /// the greater revision id (CouchDB's rule).
    fn sorted_leaves(&self) -> Vec<String> {
        let mut leaves: Vec<String> = self.leaves().into_iter().cloned().collect();
        leaves.sort_by(|a, b| {
            let key = |rev: &String| (!self.revs[rev].deleted, generation(rev), rev.clone());
            key(b).cmp(&key(a))
        });
        leaves
    }

    /// The document at `rev`, as CouchDB sends it.
    fn json(&self, id: &str, rev: &str, with_revisions: bool) -> Option<Value> {
        let revision = self.revs.get(rev)?;
        let mut body = revision.body.clone()?;
        body.insert("_id".into(), json!(id));
        body.insert("_rev".into(), json!(rev));
        if revision.deleted {
            body.insert("_deleted".into(), json!(true));
        }
        if with_revisions {
            let mut ids = Vec::new();
            let mut at = Some(rev.to_owned());
            while let Some(r) = at {
                ids.push(json!(r.split_once('-').map_or(r.as_str(), |(_, h)| h)));
                at = self.revs.get(&r).and_then(|x| x.parent.clone());
            }
            body.insert(
                "_revisions".into(),
                json!({"start": generation(rev), "ids": ids}),
            );
        }
        Some(Value::Object(body))
    }
}

impl Inner {
    fn encode_seq(&mut self, n: u64) -> Value {
        match self.seqs {
            Seqs::Integer => json!(n),
            Seqs::Opaque => {
                let text = format!("{n}-g1AAAA{}", opaque_tail(self.epoch, n));
                self.issued.insert(text.clone(), n);
                json!(text)
            }
        }
    }

    fn decode_since(&self, raw: &str) -> Option<u64> {
        if raw == "0" {
            return Some(0);
        }
        match self.seqs {
            Seqs::Integer => raw.parse().ok(),
            Seqs::Opaque => self.issued.get(raw).copied(),
        }
    }

    fn answer(&mut self, user: &str, password: &str, request: &Request) -> Response {
        match self.users.get(user) {
            Some(u) if u.password == password => {}
            _ => {
                return error(401, "unauthorized", "Name or password is incorrect.");
            }
        }
        let coordinator = self.users[user].coordinator;
        let (base, params) = query_params(&request.path);
        let body: Option<Value> = match &request.body {
            None => None,
            Some(text) => match serde_json::from_str(text) {
                Ok(v) => Some(v),
                Err(_) => return error(400, "bad_request", "invalid UTF-8 JSON"),
            },
        };
        match (request.method, base.as_str()) {
            (Method::Get, "") => {
                let update_seq = self.encode_seq(self.seq);
                response(
                    200,
                    json!({"db_name": "fieldledger", "doc_count": self.docs.len(), "update_seq": update_seq}),
                )
            }
            (Method::Get, "_changes") => self.changes(&params, None),
            (Method::Post, "_changes")
                if params.get("filter").map(String::as_str) == Some("_selector") =>
            {
                match body.as_ref().and_then(|b| b.get("selector")) {
                    Some(selector) if selector.is_object() => self.changes(&params, Some(selector)),
                    _ => error(
                        400,
                        "bad_request",
                        "Selector must be specified in POST payload",
                    ),
                }
            }
            (Method::Post, "_bulk_get") if !self.bulk_get => error(404, "not_found", "missing"),
            (Method::Post, "_bulk_get") => self.bulk_get(&params, body),
            (Method::Post, "_revs_diff") => self.revs_diff(body),
            (Method::Post, "_bulk_docs") => self.bulk_docs(user, coordinator, body),
            (Method::Get, local) if local.starts_with("_local/") => match self.locals.get(local) {
                None => error(404, "not_found", "missing"),
                Some((n, doc)) => {
                    let mut doc = doc.clone();
                    doc.insert("_id".into(), json!(local));
                    doc.insert("_rev".into(), json!(format!("0-{n}")));
                    response(200, Value::Object(doc))
                }
            },
            (Method::Put, local) if local.starts_with("_local/") => {
                let Some(Value::Object(mut doc)) = body else {
                    return error(400, "bad_request", "Document must be a JSON object");
                };
                let given = doc.remove("_rev");
                doc.remove("_id");
                let next = match self.locals.get(local) {
                    Some((n, _)) if given != Some(json!(format!("0-{n}"))) => {
                        return error(409, "conflict", "Document update conflict.");
                    }
                    Some((n, _)) => n + 1,
                    None => 1,
                };
                self.locals.insert(local.to_owned(), (next, doc));
                response(
                    201,
                    json!({"ok": true, "id": local, "rev": format!("0-{next}")}),
                )
            }
            (Method::Get, id) if !id.starts_with('_') && !id.is_empty() => {
                self.get_doc(id, &params)
            }
            _ => error(405, "method_not_allowed", "not supported by the fake"),
        }
    }

    /// `_changes`, of the documents whose winning revision `selector` matches when given.
    fn changes(&mut self, params: &BTreeMap<String, String>, selector: Option<&Value>) -> Response {
        let since = params.get("since").map_or("0", String::as_str);
        let Some(since) = self.decode_since(since) else {
            return error(
                400,
                "bad_request",
                "Malformed sequence supplied in 'since' parameter.",
            );
        };
        let limit = params
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(usize::MAX);
        let all_docs = params.get("style").map(String::as_str) == Some("all_docs");
        let mut rows: Vec<(u64, String)> = self
            .docs
            .iter()
            .filter(|(_, d)| d.seq > since)
            .filter(|(id, d)| {
                selector.is_none_or(|selector| {
                    let winner = &d.sorted_leaves()[0];
                    d.json(id, winner, false)
                        .is_some_and(|doc| mango_matches(&doc, selector))
                })
            })
            .map(|(id, d)| (d.seq, id.clone()))
            .collect();
        rows.sort();
        let total = rows.len();
        let rows: Vec<(u64, String)> = rows.into_iter().take(limit).collect();
        let pending = total - rows.len();
        let last = rows.last().map_or(since, |(seq, _)| *seq);
        let mut results = Vec::new();
        for (seq, id) in rows {
            let doc = &self.docs[&id];
            let mut leaves = doc.sorted_leaves();
            if !all_docs {
                leaves.truncate(1);
            }
            let deleted = doc.revs[&leaves[0]].deleted;
            let changes: Vec<Value> = leaves.iter().map(|r| json!({"rev": r})).collect();
            let mut row = json!({"seq": self.encode_seq(seq), "id": id, "changes": changes});
            if deleted {
                row["deleted"] = json!(true);
            }
            results.push(row);
        }
        let last_seq = self.encode_seq(last);
        response(
            200,
            json!({"results": results, "last_seq": last_seq, "pending": pending}),
        )
    }

    fn bulk_get(&self, params: &BTreeMap<String, String>, body: Option<Value>) -> Response {
        let with_revisions = params.get("revs").map(String::as_str) == Some("true");
        let Some(asked) = body.as_ref().and_then(|b| b["docs"].as_array()) else {
            return error(400, "bad_request", "Missing JSON list of 'docs'.");
        };
        let mut results: Vec<(String, Vec<Value>)> = Vec::new();
        for item in asked {
            let id = item["id"].as_str().unwrap_or_default().to_owned();
            let doc = self.docs.get(&id);
            let rev = item["rev"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| doc.map(|d| d.sorted_leaves()[0].clone()))
                .unwrap_or_default();
            let answer = match doc.and_then(|d| d.json(&id, &rev, with_revisions)) {
                Some(found) => json!({"ok": found}),
                None => {
                    json!({"error": {"id": id, "rev": rev, "error": "not_found", "reason": "missing"}})
                }
            };
            match results.iter_mut().find(|(i, _)| *i == id) {
                Some((_, docs)) => docs.push(answer),
                None => results.push((id, vec![answer])),
            }
        }
        let results: Vec<Value> = results
            .into_iter()
            .map(|(id, docs)| json!({"id": id, "docs": docs}))
            .collect();
        response(200, json!({ "results": results }))
    }

    fn has(&self, id: &str, rev: &str) -> bool {
        self.docs
            .get(id)
            .and_then(|d| d.revs.get(rev))
            .is_some_and(|r| r.body.is_some())
    }

    fn revs_diff(&self, body: Option<Value>) -> Response {
        let Some(Value::Object(asked)) = body else {
            return error(400, "bad_request", "Request body must be a JSON object");
        };
        let mut answer = Map::new();
        for (id, revs) in asked {
            let missing: Vec<Value> = revs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|rev| !self.has(&id, rev))
                .map(|rev| json!(rev))
                .collect();
            if !missing.is_empty() {
                answer.insert(id, json!({ "missing": missing }));
            }
        }
        response(200, Value::Object(answer))
    }

    fn bulk_docs(&mut self, user: &str, coordinator: bool, body: Option<Value>) -> Response {
        let Some(body) = body else {
            return error(400, "bad_request", "no body");
        };
        if body["new_edits"] != json!(false) {
            return error(400, "bad_request", "the fake only takes new_edits: false");
        }
        let Some(docs) = body["docs"].as_array() else {
            return error(
                400,
                "bad_request",
                "POST body must include `docs` parameter.",
            );
        };
        let mut errors = Vec::new();
        for doc in docs {
            let id = doc["_id"].as_str().unwrap_or_default().to_owned();
            let rev = doc["_rev"].as_str().unwrap_or_default().to_owned();
            if id.is_empty() || generation(&rev) == 0 {
                errors.push(json!({"id": id, "rev": rev, "error": "bad_request", "reason": "no _id or _rev"}));
                continue;
            }
            // The revision and its ancestry, newest first.
            let mut chain: Vec<String> = vec![rev.clone()];
            if let (Some(start), Some(ids)) = (
                doc["_revisions"]["start"].as_u64(),
                doc["_revisions"]["ids"].as_array(),
            ) {
                let listed: Vec<String> = ids
                    .iter()
                    .enumerate()
                    .map(|(i, h)| format!("{}-{}", start - i as u64, h.as_str().unwrap_or("")))
                    .collect();
                if listed.first() != Some(&rev) {
                    errors.push(json!({"id": id, "rev": rev, "error": "bad_request", "reason": "_revisions does not start at _rev"}));
                    continue;
                }
                chain = listed;
            }
            if self.has(&id, &rev) {
                continue;
            }
            let roles = if coordinator {
                json!(["coordinator"])
            } else {
                json!([])
            };
            let user_ctx = json!({"db": "fieldledger", "name": user, "roles": roles});
            let old_doc = self.old_doc(&id, &chain);
            // The attachments as stored (and as `validate_doc_update` sees them): stubs.
            let mut doc = doc.clone();
            let mut new_bytes = Vec::new();
            if let Some(given) = doc.get("_attachments").and_then(Value::as_object) {
                let on_disk = old_doc.as_ref().and_then(|d| d["_attachments"].as_object());
                let mut stored = Map::new();
                for (name, att) in given {
                    if att["stub"] == json!(true) {
                        match on_disk.and_then(|d| d.get(name)) {
                            Some(found) => stored.insert(name.clone(), found.clone()),
                            None => {
                                errors.push(json!({"id": id, "rev": rev, "error": "missing_stub",
                                    "reason": format!("Invalid attachment stub in {id} for {name}")}));
                                break;
                            }
                        };
                        continue;
                    }
                    use base64::Engine;
                    let data = att["data"].as_str().unwrap_or_default();
                    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data) else {
                        errors.push(json!({"id": id, "rev": rev, "error": "bad_request",
                            "reason": "Invalid attachment data"}));
                        break;
                    };
                    use md5::Digest;
                    let digest = format!(
                        "md5-{}",
                        base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&bytes))
                    );
                    stored.insert(
                        name.clone(),
                        json!({"content_type": att["content_type"], "digest": digest,
                               "length": bytes.len(), "revpos": generation(&rev), "stub": true}),
                    );
                    new_bytes.push((digest, bytes));
                }
                if stored.len() < given.len() {
                    continue;
                }
                doc["_attachments"] = Value::Object(stored);
            }
            if let Err(refused) = self.validator.check(&doc, old_doc.as_ref(), &user_ctx) {
                errors.push(
                    json!({"id": id, "rev": rev, "error": refused.error, "reason": refused.reason}),
                );
                continue;
            }
            let mut fields = doc.as_object().cloned().unwrap_or_default();
            let deleted = fields.get("_deleted") == Some(&json!(true));
            fields.retain(|k, _| !k.starts_with('_') || k == "_attachments");
            if !self.graft(&id, &chain, fields, deleted) {
                continue;
            }
            self.attachments.extend(new_bytes);
        }
        response(201, Value::Array(errors))
    }

    /// What CouchDB passes `validate_doc_update` as `oldDoc` for a replicated revision whose
    /// path is `chain` (newest first): the first revision along the path that it has stored,
    /// with its body; `None` when the path does not join the stored tree.
    fn old_doc(&self, id: &str, chain: &[String]) -> Option<Value> {
        let doc = self.docs.get(id)?;
        chain[1..]
            .iter()
            .find(|rev| doc.revs.get(*rev).is_some_and(|r| r.body.is_some()))
            .and_then(|rev| doc.json(id, rev, true))
    }

    /// Places `chain` (newest first) in the document's tree with `fields` as the newest
    /// revision's body. Returns whether anything changed.
    fn graft(
        &mut self,
        id: &str,
        chain: &[String],
        fields: Map<String, Value>,
        deleted: bool,
    ) -> bool {
        if self.has(id, &chain[0]) {
            return false;
        }
        let doc = self.docs.entry(id.to_owned()).or_default();
        for (i, rev) in chain.iter().enumerate().rev() {
            let parent = chain.get(i + 1).cloned();
            let entry = doc.revs.entry(rev.clone()).or_insert(Revision {
                parent: parent.clone(),
                body: None,
                deleted: false,
            });
            if entry.parent.is_none() {
                entry.parent = parent;
            }
            if i == 0 {
                entry.body = Some(fields.clone());
                entry.deleted = deleted;
            }
        }
        self.seq += 1;
        doc.seq = self.seq;
        true
    }

    fn get_doc(&self, id: &str, params: &BTreeMap<String, String>) -> Response {
        let Some(doc) = self.docs.get(id) else {
            return error(404, "not_found", "missing");
        };
        match params.get("open_revs") {
            None => {
                let winner = &doc.sorted_leaves()[0];
                if doc.revs[winner].deleted {
                    return error(404, "not_found", "deleted");
                }
                response(200, doc.json(id, winner, false).unwrap_or_default())
            }
            Some(list) => {
                let revs: Vec<String> = if list == "all" {
                    doc.sorted_leaves()
                } else {
                    match serde_json::from_str(list) {
                        Ok(revs) => revs,
                        Err(_) => return error(400, "bad_request", "Invalid rev format"),
                    }
                };
                let answers: Vec<Value> = revs
                    .iter()
                    .map(|rev| match doc.json(id, rev, false) {
                        Some(found) => json!({ "ok": found }),
                        None => json!({ "missing": rev }),
                    })
                    .collect();
                response(200, Value::Array(answers))
            }
        }
    }
}

impl FakeCouch {
    pub fn new(seqs: Seqs) -> Self {
        FakeCouch {
            inner: RefCell::new(Inner {
                docs: BTreeMap::new(),
                locals: BTreeMap::new(),
                seq: 0,
                epoch: 0,
                seqs,
                issued: BTreeMap::new(),
                users: BTreeMap::new(),
                bulk_get: true,
                faults: Vec::new(),
                canned: Vec::new(),
                hooks: Vec::new(),
                log: Vec::new(),
                pauses: Vec::new(),
                received: 0,
                body_limit: None,
                validator: Validator::new(),
                attachments: BTreeMap::new(),
            }),
        }
    }

    /// A user of the database (a coordinator may write every record).
    pub fn add_user(&self, name: &str, password: &str, coordinator: bool) {
        self.inner.borrow_mut().users.insert(
            name.to_owned(),
            User {
                password: password.to_owned(),
                coordinator,
            },
        );
    }

    pub fn set_password(&self, name: &str, password: &str) {
        if let Some(user) = self.inner.borrow_mut().users.get_mut(name) {
            user.password = password.to_owned();
        }
    }

    pub fn set_coordinator(&self, name: &str, coordinator: bool) {
        if let Some(user) = self.inner.borrow_mut().users.get_mut(name) {
            user.coordinator = coordinator;
        }
    }

    /// Answers `_bulk_get` (true, as CouchDB 2.3 and later) or 404 (as older servers).
    pub fn set_bulk_get(&self, on: bool) {
        self.inner.borrow_mut().bulk_get = on;
    }

    /// A connection with these credentials.
    pub fn client(&self, user: &str, password: &str) -> Client<'_> {
        Client {
            server: self,
            user: user.to_owned(),
            password: password.to_owned(),
        }
    }

    /// The request `n` requests from now (0: the next one) is lost, once.
    pub fn fail_nth(&self, n: usize, when: When) {
        let mut inner = self.inner.borrow_mut();
        let at = inner.received + n;
        inner.faults.push((Matcher::Nth(at), when));
    }

    /// The next request with `method` (any: `None`) whose path starts with `prefix` is lost,
    /// once.
    pub fn fail_next(&self, method: Option<Method>, prefix: &str, when: When) {
        self.fail_later(method, prefix, 0, when);
    }

    /// As [`FakeCouch::fail_next`], after letting `skip` such requests through.
    pub fn fail_later(&self, method: Option<Method>, prefix: &str, skip: usize, when: When) {
        self.inner
            .borrow_mut()
            .faults
            .push((Matcher::Next(method, prefix.to_owned(), skip), when));
    }

    /// The next matching request is answered with `status` and `body` instead (the server
    /// does nothing).
    pub fn answer_next(&self, method: Option<Method>, prefix: &str, status: u16, body: &str) {
        self.inner.borrow_mut().canned.push((
            Matcher::Next(method, prefix.to_owned(), 0),
            Response {
                status,
                body: body.to_owned(),
            },
        ));
    }

    /// Runs `hook` when the next matching request arrives, before it is handled (the server
    /// can be used from the hook).
    pub fn before_next(&self, method: Option<Method>, prefix: &str, hook: impl FnOnce() + 'static) {
        self.inner
            .borrow_mut()
            .hooks
            .push((Matcher::Next(method, prefix.to_owned(), 0), Box::new(hook)));
    }

    /// The database deleted and created again: no documents, no `_local` documents, the
    /// sequences start again (and opaque ones from before are not taken).
    pub fn recreate(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.docs.clear();
        inner.attachments.clear();
        inner.locals.clear();
        inner.issued.clear();
        inner.seq = 0;
        inner.epoch += 1;
    }

    /// Logs a request: its number, counted from 0.
    fn received(&self, user: &str, request: &Request) -> usize {
        let mut inner = self.inner.borrow_mut();
        let index = inner.received;
        inner.received += 1;
        inner.log.push(Logged {
            user: user.to_owned(),
            method: request.method,
            path: request.path.clone(),
            body: request.body.clone(),
        });
        index
    }

    pub fn handle(
        &self,
        user: &str,
        password: &str,
        request: Request,
    ) -> Result<Response, Unreachable> {
        let index = self.received(user, &request);
        let hook = take(&mut self.inner.borrow_mut().hooks, index, &request);
        if let Some(hook) = hook {
            hook();
        }
        let fault = take(&mut self.inner.borrow_mut().faults, index, &request);
        if fault == Some(When::Before) {
            return Err(Unreachable(format!(
                "connection lost before {}",
                request.path
            )));
        }
        let canned = take(&mut self.inner.borrow_mut().canned, index, &request);
        let limit = self.inner.borrow().body_limit;
        let too_large = request
            .body
            .as_ref()
            .is_some_and(|body| limit.is_some_and(|limit| body.len() > limit));
        let answer = match canned {
            Some(answer) => answer,
            None if too_large => error(413, "too_large", "the request entity is too large"),
            None => self.inner.borrow_mut().answer(user, password, &request),
        };
        if fault == Some(When::After) {
            return Err(Unreachable(format!(
                "connection lost after {}",
                request.path
            )));
        }
        Ok(answer)
    }

    /// `GET <id>/<name>`: an attachment of the document's winning revision, as bytes. Logged
    /// and checked for credentials as any request; faults cut it as they do the others.
    pub fn handle_bytes(
        &self,
        user: &str,
        password: &str,
        request: Request,
    ) -> Result<(u16, Vec<u8>), Unreachable> {
        let index = self.received(user, &request);
        if take(&mut self.inner.borrow_mut().faults, index, &request).is_some() {
            return Err(Unreachable(format!("connection lost at {}", request.path)));
        }
        if let Some(canned) = take(&mut self.inner.borrow_mut().canned, index, &request) {
            return Ok((canned.status, canned.body.into_bytes()));
        }
        let inner = self.inner.borrow();
        if inner.users.get(user).is_none_or(|u| u.password != password) {
            return Ok((401, Vec::new()));
        }
        let Some((id, name)) = request.path.rsplit_once('/') else {
            return Ok((400, Vec::new()));
        };
        let (id, name) = (url_decode(id), url_decode(name));
        let bytes = inner.docs.get(&id).and_then(|doc| {
            let winner = doc.sorted_leaves().into_iter().next()?;
            let body = doc.revs[&winner].body.as_ref()?;
            let digest = body.get("_attachments")?.get(&name)?["digest"].as_str()?;
            inner.attachments.get(digest).cloned()
        });
        Ok(bytes.map_or((404, Vec::new()), |bytes| (200, bytes)))
    }

    /// Replaces the bytes the server keeps under `digest` (a disk that went bad).
    pub fn corrupt_attachment(&self, digest: &str, bytes: Vec<u8>) {
        self.inner
            .borrow_mut()
            .attachments
            .insert(digest.to_owned(), bytes);
    }

    /// Faults, canned answers and hooks still waiting for their request.
    pub fn unused(&self) -> usize {
        let inner = self.inner.borrow();
        inner.faults.len() + inner.canned.len() + inner.hooks.len()
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Logged> {
        self.inner.borrow().log.clone()
    }

    /// Every request so far as `"METHOD path"`.
    pub fn lines(&self) -> Vec<String> {
        self.inner.borrow().log.iter().map(Logged::line).collect()
    }

    /// Answers 413 to every request whose body is over `bytes`, as a proxy in front of the
    /// database does.
    pub fn limit_bodies(&self, bytes: Option<usize>) {
        self.inner.borrow_mut().body_limit = bytes;
    }

    /// The pauses clients took before trying a request again, in order.
    pub fn pauses(&self) -> Vec<Duration> {
        self.inner.borrow().pauses.clone()
    }

    pub fn clear_log(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.log.clear();
        inner.pauses.clear();
    }

    /// Ids of the documents (deleted ones included).
    pub fn doc_ids(&self) -> Vec<String> {
        self.inner.borrow().docs.keys().cloned().collect()
    }

    /// The id of the document of record `record_id` (`"<owner>:<record id>"`); for a record
    /// the server does not have, an id no document has.
    pub fn doc_id_of(&self, record_id: &uuid::Uuid) -> String {
        let tail = format!(":{record_id}");
        self.doc_ids()
            .into_iter()
            .find(|doc_id| doc_id.ends_with(&tail))
            .unwrap_or_else(|| format!("(none){tail}"))
    }

    /// A document's leaf revisions, the winner first.
    pub fn leaves(&self, id: &str) -> Vec<String> {
        self.inner
            .borrow()
            .docs
            .get(id)
            .map(Doc::sorted_leaves)
            .unwrap_or_default()
    }

    /// The leaves that are not deleted.
    pub fn live_leaves(&self, id: &str) -> Vec<String> {
        let inner = self.inner.borrow();
        let Some(doc) = inner.docs.get(id) else {
            return Vec::new();
        };
        doc.sorted_leaves()
            .into_iter()
            .filter(|rev| !doc.revs[rev].deleted)
            .collect()
    }

    /// Every revision of a document the server holds a body of.
    pub fn revisions(&self, id: &str) -> BTreeSet<String> {
        self.inner
            .borrow()
            .docs
            .get(id)
            .map(|d| {
                d.revs
                    .iter()
                    .filter(|(_, r)| r.body.is_some())
                    .map(|(rev, _)| rev.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The parent of a revision, as the server placed it.
    pub fn parent(&self, id: &str, rev: &str) -> Option<String> {
        self.inner
            .borrow()
            .docs
            .get(id)?
            .revs
            .get(rev)?
            .parent
            .clone()
    }

    /// Whether a revision is a deletion.
    pub fn is_deleted(&self, id: &str, rev: &str) -> bool {
        self.inner
            .borrow()
            .docs
            .get(id)
            .and_then(|d| d.revs.get(rev))
            .is_some_and(|r| r.deleted)
    }

    /// A document at one revision as the server would send it.
    pub fn doc(&self, id: &str, rev: &str) -> Option<Value> {
        self.inner.borrow().docs.get(id)?.json(id, rev, false)
    }

    /// The sequence of a document's last change.
    pub fn seq_of(&self, id: &str) -> Option<u64> {
        self.inner.borrow().docs.get(id).map(|d| d.seq)
    }

    /// The number a sequence the server sent stands for.
    pub fn seq_number(&self, seq: &Value) -> Option<u64> {
        match seq {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => self.inner.borrow().decode_since(s),
            _ => None,
        }
    }

    /// A `_local` document (with its `_rev`), if any.
    pub fn local(&self, id: &str) -> Option<Value> {
        let inner = self.inner.borrow();
        let (n, doc) = inner.locals.get(id)?;
        let mut doc = doc.clone();
        doc.insert("_rev".into(), json!(format!("0-{n}")));
        Some(Value::Object(doc))
    }

    /// The ids of the `_local` documents (`_local/…`).
    pub fn locals(&self) -> Vec<String> {
        self.inner.borrow().locals.keys().cloned().collect()
    }

    /// Stores a revision as another program would (no validation): `body` without `_id` and
    /// `_rev`.
    pub fn put_raw(&self, id: &str, rev: &str, parent: Option<&str>, body: Value, deleted: bool) {
        let mut chain = vec![rev.to_owned()];
        chain.extend(parent.map(str::to_owned));
        let fields = body.as_object().cloned().unwrap_or_default();
        self.inner.borrow_mut().graft(id, &chain, fields, deleted);
    }
}

/// Takes out the first entry matching request number `index`.
fn take<T>(entries: &mut Vec<(Matcher, T)>, index: usize, request: &Request) -> Option<T> {
    let at = entries
        .iter_mut()
        .position(|(m, _)| m.matches(index, request))?;
    Some(entries.remove(at).1)
}
