//! A record as a CouchDB document: the document's JSON, revision ids, and which of several
//! leaf revisions CouchDB shows (its "winning revision").

use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::Date;
use uuid::Uuid;

use crate::domain::Record;

/// Documents under this prefix are the server's (views, validation), never records.
pub const DESIGN_PREFIX: &str = "_design/";

/// A record's document id: `"<owner>:<record id>"`. The owner is part of the id so that the
/// server's `validate_doc_update` knows whose a document is from the id alone: CouchDB gives
/// it no stored revision (`oldDoc` null) for a branch not joined to the document's tree, so
/// a rule resting on `oldDoc` could be passed by a forged history. It also lets an officer's
/// pull select their own documents by id, deletions without fields included.
pub fn doc_id(record: &Record) -> String {
    format!("{}:{}", record.owner(), record.id)
}

/// The owner and the record id of a record's document id (see [`doc_id`]); `None` for any
/// other document (a design document, another program's, an older version's bare UUID).
pub fn parse_doc_id(doc_id: &str) -> Option<(&str, Uuid)> {
    let (owner, id) = doc_id.rsplit_once(':')?;
    let uuid = Uuid::parse_str(id).ok()?;
    // Exactly the lowercase hyphenated form the app writes.
    (!owner.is_empty() && uuid.hyphenated().to_string() == id).then_some((owner, uuid))
}

/// Lowercase hex of the first `bytes` bytes of SHA-256 of `parts`.
pub(crate) fn hash_hex(parts: &[&str], bytes: usize) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize()[..bytes]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A record's canonical JSON: sorted keys, history included (what the export writes).
pub fn canonical(record: &Record) -> String {
    serde_json::to_string(record).unwrap_or_default()
}

/// A short fingerprint of a record's content: whether it changed since it was last synced
/// (64 bits: a tablet keeps one per record).
pub fn content_sum(record: &Record) -> String {
    hash_hex(&[&canonical(record)], 8)
}

/// The generation of a revision id (`"3-abc…"` → 3).
pub fn generation(rev: &str) -> Option<u64> {
    rev.split_once('-').and_then(|(g, _)| g.parse().ok())
}

/// The hash part of a revision id (`"3-abc…"` → `"abc…"`).
pub fn rev_hash(rev: &str) -> &str {
    rev.split_once('-').map_or(rev, |(_, h)| h)
}

/// What a new revision is: the record's content, or the deletion of a losing leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    Content,
    CloseLeaf,
}

/// The revision id of `canonical` written as a child of `parent` (a first revision without).
/// Derived from the parent and the content only (32 lowercase hex of SHA-256), so that a
/// retried push, and two devices resolving the same conflict alike, write the same
/// revision: the server then has it already and nothing is duplicated.
pub fn child_rev(parent: Option<&str>, canonical: &str, write: Write) -> String {
    let next = parent.and_then(generation).unwrap_or(0) + 1;
    let tag = match write {
        Write::Content => "content",
        Write::CloseLeaf => "close",
    };
    format!(
        "{next}-{}",
        hash_hex(&[parent.unwrap_or(""), tag, canonical], 16)
    )
}

/// Every top-level field a record's document has (see `Record`'s `Serialize`): any other is
/// another program's, kept as it is.
const RECORD_FIELDS: [&str; 15] = [
    "author",
    "created_at",
    "data",
    "deleted",
    "device_id",
    "history",
    "id",
    "kind",
    "owner",
    "photos",
    "revision",
    "sample",
    "schema_version",
    "typical",
    "updated_at",
];

type Fields = serde_json::Map<String, serde_json::Value>;

/// A document's fields this app does not know (another program's, or a newer version's):
/// top-level ones, its attachments (as stubs), and fields of the record's `data` this version
/// does not read. Written back unchanged with the app's next revision.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, Deserialize)]
pub struct Kept {
    /// Top-level fields (attachments as stubs).
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
    /// Fields inside `data`.
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    pub data: Fields,
}

impl Kept {
    pub fn new() -> Self {
        Kept::default()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.data.is_empty()
    }
}

/// What of `doc` is not `record` nor CouchDB's own bookkeeping: see [`Kept`].
pub fn kept_fields(doc: &serde_json::Value, record: &Record) -> Kept {
    let Some(fields) = doc.as_object() else {
        return Kept::new();
    };
    // What `data` holds that the record, as this version writes it, does not.
    let known = serde_json::to_value(record).unwrap_or_default();
    let data = match (doc.get("data"), known.get("data")) {
        (Some(serde_json::Value::Object(given)), Some(serde_json::Value::Object(read))) => given
            .iter()
            .filter(|(key, _)| !read.contains_key(*key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
        _ => Fields::new(),
    };
    let fields = fields
        .iter()
        .filter(|(key, _)| match key.strip_prefix('_') {
            Some(own) => own == "attachments",
            None => !RECORD_FIELDS.contains(&key.as_str()),
        })
        .map(|(key, value)| {
            // An attachment goes back as a stub: the server has its bytes already.
            let value = if key == "_attachments" {
                attachment_stubs(value)
            } else {
                value.clone()
            };
            (key.clone(), value)
        })
        .collect();
    Kept { fields, data }
}

fn attachment_stubs(attachments: &serde_json::Value) -> serde_json::Value {
    let Some(all) = attachments.as_object() else {
        return serde_json::Value::Object(Fields::new());
    };
    all.iter()
        .map(|(name, meta)| {
            let mut stub = Fields::new();
            for key in ["content_type", "digest", "length", "revpos"] {
                if let Some(value) = meta.get(key) {
                    stub.insert(key.to_owned(), value.clone());
                }
            }
            stub.insert("stub".to_owned(), serde_json::Value::Bool(true));
            (name.clone(), serde_json::Value::Object(stub))
        })
        .collect::<Fields>()
        .into()
}

/// The document for a record at revision `rev`: the record's own JSON (`record_json`, as
/// [`canonical`] writes it) with `_id` (`doc_id`, see [`doc_id`]), `_rev`, `_revisions` (the revision and, when it
/// has one, its parent: enough for the server to place it in the document's tree),
/// `_deleted` for a tombstone, and the fields `kept` from the server's document.
pub fn document(
    doc_id: &str,
    record_json: &str,
    rev: &str,
    parent: Option<&str>,
    deleted: bool,
    kept: &Kept,
) -> String {
    let start = generation(rev).unwrap_or(1);
    let mut ids = format!("\"{}\"", rev_hash(rev));
    if let Some(parent) = parent {
        ids.push_str(&format!(",\"{}\"", rev_hash(parent)));
    }
    let deleted = if deleted { "\"_deleted\":true," } else { "" };
    // Fields of `data` a newer version wrote go back into it (rarely: the JSON is rebuilt).
    let with_data;
    let record_json = if kept.data.is_empty() {
        record_json
    } else {
        let mut record: serde_json::Value = serde_json::from_str(record_json).unwrap_or_default();
        if let Some(data) = record.get_mut("data").and_then(|d| d.as_object_mut()) {
            for (key, value) in &kept.data {
                data.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        with_data = record.to_string();
        &with_data
    };
    // The record's JSON is an object with at least one key: its own fields follow ours.
    let fields = record_json.strip_prefix('{').unwrap_or("}");
    let kept: String = kept
        .fields
        .iter()
        .map(|(key, value)| format!("{}:{},", serde_json::Value::from(key.as_str()), value))
        .collect();
    let id = serde_json::Value::from(doc_id);
    format!(
        "{{\"_id\":{id},\"_rev\":\"{rev}\",\"_revisions\":{{\"start\":{start},\"ids\":[{ids}]}},{deleted}{kept}{fields}"
    )
}

/// One leaf revision of a document as the server sent it.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    pub rev: String,
    pub deleted: bool,
    /// The record in it; `None` for a deletion without a record (written by another client).
    pub record: Option<Record>,
    /// Fields and attachments of the document the app does not know.
    pub kept: Kept,
}

/// Why a document from the server is not taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    pub id: String,
    pub reason: String,
}

/// Reads one document (a leaf) from the server. A record must be one this app would accept
/// from a file: the id and owner its document id names, readable kind and fields, and
/// within the form's rules. Never panics on what a server sends.
pub fn read_leaf(doc_id: &str, doc: &serde_json::Value, today: Date) -> Result<Leaf, Unreadable> {
    let unreadable = |reason: String| Unreadable {
        id: doc_id.to_owned(),
        reason,
    };
    let (owner, id) =
        parse_doc_id(doc_id).ok_or_else(|| unreadable("not a record's document id".into()))?;
    let rev = doc
        .get("_rev")
        .and_then(|r| r.as_str())
        .filter(|r| generation(r).is_some())
        .ok_or_else(|| unreadable("no revision".into()))?
        .to_owned();
    if doc.get("_id").and_then(|i| i.as_str()) != Some(doc_id) {
        return Err(unreadable("document id does not match".into()));
    }
    let deleted = doc
        .get("_deleted")
        .and_then(|d| d.as_bool())
        .unwrap_or(false);
    if deleted && doc.get("kind").is_none() {
        return Ok(Leaf {
            rev,
            deleted,
            record: None,
            kept: Kept::new(),
        });
    }
    let record = Record::deserialize(doc).map_err(|e| unreadable(e.to_string()))?;
    if record.id != id {
        return Err(unreadable("record id does not match the document".into()));
    }
    if record.owner() != owner {
        return Err(unreadable("owner does not match the document".into()));
    }
    if record.sample {
        return Err(unreadable("sample data is never synced".into()));
    }
    if let Some(problem) = crate::domain::export::record_problem(&record, today) {
        return Err(unreadable(problem));
    }
    Ok(Leaf {
        rev,
        deleted,
        kept: kept_fields(doc, &record),
        record: Some(record),
    })
}

/// The leaf CouchDB shows: a live one before a deleted one, then the higher generation, then
/// the greater revision id as text (CouchDB's `couch_doc:to_doc_info_path`, PouchDB's
/// `winningRev`). The server picks it; every device must pick the same.
pub fn winner(leaves: &[Leaf]) -> Option<&Leaf> {
    leaves.iter().max_by(|a, b| {
        let key = |l: &Leaf| (!l.deleted, generation(&l.rev).unwrap_or(0));
        key(a)
            .cmp(&key(b))
            .then_with(|| rev_hash(&a.rev).cmp(rev_hash(&b.rev)))
    })
}

/// A record's photos travel as attachments of its document, each named by its hash (the
/// photo's SHA-256, 64 lowercase hex) and typed by its image type.
///
/// The attachments of a record's next document, from the stubs `kept` from its synced
/// revision: another program's stay; a photo the record no longer names goes; a photo the
/// server has stays a stub when `stubs_hold` (the new revision is a child of the revision
/// the stubs were read from: CouchDB takes a stub from the first stored revision along the
/// new one's path). Returns `kept` with those attachments, and the photos whose bytes the
/// server still needs.
pub fn with_photo_stubs<'r>(
    record: &'r Record,
    kept: &Kept,
    stubs_hold: bool,
) -> (Kept, Vec<&'r crate::domain::photo::PhotoRef>) {
    use crate::domain::photo::is_photo_hash;
    let named = |name: &str| record.photos.iter().any(|p| p.hash == name);
    let mut next = kept.clone();
    let stubs: Fields = match kept.fields.get("_attachments") {
        Some(serde_json::Value::Object(all)) if stubs_hold => all
            .iter()
            .filter(|(name, _)| !is_photo_hash(name) || named(name))
            .map(|(name, stub)| (name.clone(), stub.clone()))
            .collect(),
        _ => Fields::new(),
    };
    let needed = record
        .photos
        .iter()
        .filter(|photo| !stubs.contains_key(&photo.hash))
        .collect();
    if stubs.is_empty() {
        next.fields.remove("_attachments");
    } else {
        next.fields.insert("_attachments".into(), stubs.into());
    }
    (next, needed)
}

/// A photo's bytes for its document: the attachment sent with the bytes, and the stub that
/// stands for it once the server has them (CouchDB's and PouchDB's digest: MD5, base64).
pub fn photo_attachment(mime: &str, bytes: &[u8]) -> (serde_json::Value, serde_json::Value) {
    use base64::Engine;
    use md5::Md5;
    let base64 = base64::engine::general_purpose::STANDARD;
    let digest = format!("md5-{}", base64.encode(Md5::digest(bytes)));
    (
        serde_json::json!({"content_type": mime, "data": base64.encode(bytes)}),
        serde_json::json!({"content_type": mime, "digest": digest, "length": bytes.len(), "stub": true}),
    )
}

/// `doc` (a document as [`document`] writes it) with `attachments` added to its
/// `_attachments`.
pub fn with_attachments(doc: &str, attachments: Fields) -> String {
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str(doc) else {
        return doc.to_owned();
    };
    let all = fields
        .entry("_attachments")
        .or_insert_with(|| serde_json::Value::Object(Fields::new()));
    if let Some(all) = all.as_object_mut() {
        all.extend(attachments);
    }
    serde_json::Value::Object(fields).to_string()
}
