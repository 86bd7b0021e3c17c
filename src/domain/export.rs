//! The JSON file that carries records off a tablet, and the checks an import makes before
//! anything is written.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use super::form::{FieldError, check_body, format_date};
use super::photo::PhotoMime;
use super::record::{OLDEST_SCHEMA_VERSION, Record, SCHEMA_VERSION};
use super::settings::{ReportNotes, YearTargets};

/// The `format` field of every export; an import checks it first.
pub const EXPORT_FORMAT: &str = "field-ledger-export";
/// Largest file an import reads, in bytes (10 000 records are about 10 MB).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// What an export file carries: a versioned envelope around the exported records
/// (tombstones included). The file also holds a `checksum`, written by [`ExportEnvelope::to_json`]
/// and checked by [`parse_export`]: `sha256:` and the hex SHA-256 of the `records` array as
/// canonical JSON (compact, object keys sorted), so that a truncated or edited file is detected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportEnvelope {
    pub format: String,
    pub schema_version: u32,
    pub app_version: String,
    pub device_id: String,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub exported_at: OffsetDateTime,
    /// For an export of the changes since an earlier export: when that export happened.
    #[serde(with = "crate::domain::datetime_text::rfc3339::option", default)]
    pub since: Option<OffsetDateTime>,
    pub records: Vec<Record>,
    /// The year targets set on the exporting device (full exports only). An import takes them
    /// for the years the importing device has not set itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<YearTargets>,
    /// The report's problems and plans typed on the exporting device, per period (full
    /// exports only). An import takes them for the periods the importing device has none for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report_notes: Vec<ReportNotes>,
}

/// The settings a full export carries beside its records (outside the checksum): an import
/// takes each only where the importing device has none of its own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Carried {
    pub targets: Vec<YearTargets>,
    pub report_notes: Vec<ReportNotes>,
}

/// The envelope's fields other than the records, in the order a file lists them.
#[derive(Serialize)]
struct Header<'a> {
    format: &'a str,
    schema_version: u32,
    app_version: &'a str,
    device_id: &'a str,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    exported_at: OffsetDateTime,
    #[serde(with = "crate::domain::datetime_text::rfc3339::option")]
    since: Option<OffsetDateTime>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    targets: &'a [YearTargets],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    report_notes: &'a [ReportNotes],
    checksum: &'a str,
}

/// An export file on its way to text, in two steps so that the checksum can be computed in
/// between by whatever hashes fastest: [`ExportDraft::sha256`] here, the browser's own
/// SHA-256 (`crypto.subtle`) in the app.
///
/// Each record is serialized once. serde writes a record as canonical JSON (see [`Record`]),
/// so the records' canonical JSON, which the checksum covers, is what the file holds, one
/// record per line.
pub struct ExportDraft {
    device_id: String,
    exported_at: OffsetDateTime,
    since: Option<OffsetDateTime>,
    carried: Carried,
    /// `[record,record,…]`, compact.
    canonical: Vec<u8>,
    /// Where each record starts in `canonical`.
    starts: Vec<usize>,
    /// The photos the records name (their versions in the history too), each once, in the
    /// order first named: what the export's zip carries.
    photos: Vec<(String, PhotoMime)>,
}

/// Room for a record's JSON: about 530 bytes for one of everyday length, so one allocation,
/// not a copy on the way.
const BYTES_PER_RECORD: usize = 600;

impl ExportDraft {
    /// Writes the records, oldest first so that two exports of the same ledger are identical.
    pub fn new(
        mut records: Vec<&Record>,
        device_id: &str,
        now: OffsetDateTime,
        since: Option<OffsetDateTime>,
        carried: Carried,
    ) -> Result<Self, serde_json::Error> {
        records.sort_by_cached_key(|r| export_order(r));
        let mut canonical = Vec::with_capacity(records.len() * BYTES_PER_RECORD + 2);
        let mut starts = Vec::with_capacity(records.len());
        let mut photos = Vec::new();
        let mut named = BTreeSet::new();
        canonical.push(b'[');
        for (n, record) in records.into_iter().enumerate() {
            for photo in std::iter::once(record)
                .chain(&record.history)
                .flat_map(|version| &version.photos)
            {
                if named.insert(photo.hash.as_str()) {
                    photos.push((photo.hash.clone(), photo.mime));
                }
            }
            if n > 0 {
                canonical.push(b',');
            }
            starts.push(canonical.len());
            write_record(&mut canonical, record)?;
        }
        canonical.push(b']');
        Ok(ExportDraft {
            device_id: device_id.to_owned(),
            exported_at: now,
            since,
            carried,
            canonical,
            starts,
            photos,
        })
    }

    /// The photos the exported records name: see [`ExportDraft`]'s `photos`.
    pub fn photos(&self) -> &[(String, PhotoMime)] {
        &self.photos
    }

    /// The records' canonical JSON: what the checksum is the SHA-256 of.
    pub fn canonical_records(&self) -> &[u8] {
        &self.canonical
    }

    pub fn sha256(&self) -> Vec<u8> {
        Sha256::digest(&self.canonical).to_vec()
    }

    pub fn record_count(&self) -> usize {
        self.starts.len()
    }

    pub fn exported_at(&self) -> OffsetDateTime {
        self.exported_at
    }

    pub fn since(&self) -> Option<OffsetDateTime> {
        self.since
    }

    pub fn file_name(&self) -> String {
        file_name(&self.device_id, self.exported_at)
    }

    /// The file's records, one per line, and its end: the part of the file that does not
    /// depend on the checksum, so that it need not wait for it.
    /// The file is [`ExportDraft::head`] followed by this.
    pub fn records_part(&self) -> Vec<u8> {
        let mut text = Vec::with_capacity(self.canonical.len() + self.starts.len() * 6 + 8);
        let mut from = 1; // after `[`
        for &start in &self.starts {
            // Up to the record: the `,` after the one before it.
            text.extend_from_slice(&self.canonical[from..start]);
            text.extend_from_slice(b"\n    ");
            from = start;
        }
        let end = self.canonical.len() - 1; // before `]`
        text.extend_from_slice(&self.canonical[from..end]);
        text.extend_from_slice(if self.starts.is_empty() {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        });
        text
    }

    /// The start of the file, given the SHA-256 of [`ExportDraft::canonical_records`]: the
    /// envelope's fields indented, up to the `[` of the records. UTF-8, as is the rest:
    /// serde_json writes nothing else, and the pieces are cut at ASCII punctuation.
    pub fn head(&self, sha256: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
        let checksum = checksum_text(sha256);
        let header = serde_json::to_string_pretty(&Header {
            format: EXPORT_FORMAT,
            schema_version: SCHEMA_VERSION,
            app_version: env!("CARGO_PKG_VERSION"),
            device_id: &self.device_id,
            exported_at: self.exported_at,
            since: self.since,
            targets: &self.carried.targets,
            report_notes: &self.carried.report_notes,
            checksum: &checksum,
        })?;
        // `{ …fields… }` becomes `{ …fields…, "records": [` (and the records part ends it).
        let fields = header
            .trim_end()
            .strip_suffix('}')
            .unwrap_or(&header)
            .trim_end();
        let mut text = Vec::with_capacity(fields.len() + 16);
        text.extend_from_slice(fields.as_bytes());
        text.extend_from_slice(b",\n  \"records\": [");
        Ok(text)
    }

    /// The whole file: [`ExportDraft::head`] and [`ExportDraft::records_part`].
    pub fn finish(&self, sha256: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
        let mut text = self.head(sha256)?;
        text.extend_from_slice(&self.records_part());
        Ok(text)
    }
}

/// Where a record goes in an export: oldest first, then by id, so that two exports of the
/// same ledger are identical. Integers, because comparing two `OffsetDateTime`s converts
/// both to UTC.
fn export_order(record: &Record) -> (i64, u32, u128) {
    let at = record.created_at;
    (at.unix_timestamp(), at.nanosecond(), record.id.as_u128())
}

/// One record's canonical JSON.
fn write_record(out: &mut Vec<u8>, record: &Record) -> Result<(), serde_json::Error> {
    super::json_writer::write_json(out, record)
}

/// `field-ledger-<device>-<yyyy-mm-dd>.json`, with the first block of the device id:
/// short enough to read, long enough to tell the bureau's tablets apart.
fn file_name(device_id: &str, exported_at: OffsetDateTime) -> String {
    let device: String = device_id
        .chars()
        .take_while(|c| *c != '-')
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let device = if device.is_empty() {
        "device".to_owned()
    } else {
        device
    };
    format!(
        "field-ledger-{device}-{}.json",
        format_date(exported_at.date())
    )
}

/// `sha256:` and the hex digest.
fn checksum_text(digest: &[u8]) -> String {
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The checksum of a `records` array as read from a file.
fn checksum_of(records: &serde_json::Value) -> serde_json::Result<String> {
    let mut json = Vec::new();
    canonical_json(records, &mut json)?;
    Ok(checksum_text(&Sha256::digest(&json)))
}

/// Compact JSON with every object's keys in sorted order: the same text for the same data,
/// whatever wrote it, so that any tool can check a file.
fn canonical_json(value: &serde_json::Value, out: &mut Vec<u8>) -> serde_json::Result<()> {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (n, (key, value)) in entries.into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key)?;
                out.push(b':');
                canonical_json(value, out)?;
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                canonical_json(item, out)?;
            }
            out.push(b']');
        }
        scalar => serde_json::to_writer(&mut *out, scalar)?,
    }
    Ok(())
}

impl ExportEnvelope {
    /// The given records, oldest first so that two exports of the same ledger are identical.
    pub fn new(
        mut records: Vec<Record>,
        device_id: &str,
        now: OffsetDateTime,
        since: Option<OffsetDateTime>,
    ) -> Self {
        records.sort_by_cached_key(export_order);
        ExportEnvelope {
            format: EXPORT_FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            device_id: device_id.to_owned(),
            exported_at: now,
            since,
            records,
            targets: Vec::new(),
            report_notes: Vec::new(),
        }
    }

    /// The same export carrying the device's year targets.
    pub fn with_targets(self, targets: Vec<YearTargets>) -> Self {
        ExportEnvelope { targets, ..self }
    }

    /// The same export carrying the device's report notes.
    pub fn with_report_notes(self, report_notes: Vec<ReportNotes>) -> Self {
        ExportEnvelope {
            report_notes,
            ..self
        }
    }

    /// `field-ledger-<device>-<yyyy-mm-dd>.json`.
    pub fn file_name(&self) -> String {
        file_name(&self.device_id, self.exported_at)
    }

    /// The export file (see [`ExportDraft`]).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let draft = ExportDraft::new(
            self.records.iter().collect(),
            &self.device_id,
            self.exported_at,
            self.since,
            Carried {
                targets: self.targets.clone(),
                report_notes: self.report_notes.clone(),
            },
        )?;
        let sha256 = draft.sha256();
        let text = draft.finish(&sha256)?;
        // Checked here, where speed does not matter (tests, tools).
        String::from_utf8(text).map_err(serde::ser::Error::custom)
    }
}

/// Why an import file is refused. The file is then rejected whole; nothing is written.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportProblem {
    TooLarge,
    /// Not JSON at all (or cut off): the parser's message.
    NotJson(String),
    /// JSON, but not a Field Ledger export.
    NotAnExport,
    /// Written by a newer version of the app, which this one cannot read.
    NewerSchema(u32),
    /// A schema version that never existed.
    UnknownSchema(u64),
    /// The envelope's fields are missing or of the wrong type: the parser's message.
    BadEnvelope(String),
    ChecksumMismatch,
    /// One record cannot be read: its position in the file and the parser's message.
    BadRecord {
        index: usize,
        message: String,
    },
    /// One record breaks the rules a form would enforce.
    InvalidRecord {
        index: usize,
        errors: Vec<FieldError>,
    },
    /// One history entry does not belong to its record.
    BadHistory {
        index: usize,
    },
    /// Two records in one file share an id.
    DuplicateId {
        index: usize,
    },
    /// An export's zip (with photos) that is refused before its export is read.
    Zip(super::export_zip::ZipProblem),
}

/// Reads and checks an export file completely. Returns the envelope only if every check
/// passes: format, schema version, checksum, and every record's fields.
pub fn parse_export(text: &str, today: Date) -> Result<ExportEnvelope, Vec<ImportProblem>> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(vec![ImportProblem::TooLarge]);
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| vec![ImportProblem::NotJson(e.to_string())])?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(EXPORT_FORMAT) {
        return Err(vec![ImportProblem::NotAnExport]);
    }
    // Every version from the oldest on still imports: a later version only adds kinds and
    // optional fields.
    let file_version = match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if (u64::from(OLDEST_SCHEMA_VERSION)..=u64::from(SCHEMA_VERSION)).contains(&v) => {
            v as u32
        }
        Some(v) if v > u64::from(SCHEMA_VERSION) && v <= u64::from(u32::MAX) => {
            return Err(vec![ImportProblem::NewerSchema(v as u32)]);
        }
        Some(v) => return Err(vec![ImportProblem::UnknownSchema(v)]),
        None => return Err(vec![ImportProblem::BadEnvelope("schema_version".into())]),
    };
    let Some(raw_records) = value.get("records").and_then(|r| r.as_array()) else {
        return Err(vec![ImportProblem::BadEnvelope("records".into())]);
    };

    let mut problems = Vec::new();
    let mut records = Vec::with_capacity(raw_records.len());
    let mut ids = BTreeSet::new();
    for (index, raw) in raw_records.iter().enumerate() {
        match Record::deserialize(raw) {
            Err(e) => problems.push(ImportProblem::BadRecord {
                index,
                message: e.to_string(),
            }),
            Ok(record) => {
                if let Some(kind) = std::iter::once(&record)
                    .chain(&record.history)
                    .map(Record::kind)
                    .find(|kind| kind.since_schema() > file_version)
                {
                    // A kind the file's version did not have: the file is not what it says.
                    problems.push(ImportProblem::BadRecord {
                        index,
                        message: format!(
                            "kind {} needs schema version {}",
                            kind.name(),
                            kind.since_schema()
                        ),
                    });
                }
                if file_version < super::record::PHOTOS_SINCE_SCHEMA
                    && std::iter::once(&record)
                        .chain(&record.history)
                        .any(|v| !v.photos.is_empty())
                {
                    problems.push(ImportProblem::BadRecord {
                        index,
                        message: format!(
                            "photos need schema version {}",
                            super::record::PHOTOS_SINCE_SCHEMA
                        ),
                    });
                }
                if !ids.insert(record.id) {
                    problems.push(ImportProblem::DuplicateId { index });
                }
                problems.extend(check_record(index, &record, today));
                records.push(record);
            }
        }
        if problems.len() >= 20 {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let checksum = checksum_of(&value["records"])
        .map_err(|e| vec![ImportProblem::BadEnvelope(e.to_string())])?;
    let stated = value.get("checksum").cloned();
    let mut envelope_value = value;
    if let Some(object) = envelope_value.as_object_mut() {
        object.insert("records".into(), serde_json::Value::Array(Vec::new()));
    }
    let mut envelope: ExportEnvelope = serde_json::from_value(envelope_value)
        .map_err(|e| vec![ImportProblem::BadEnvelope(e.to_string())])?;
    match stated {
        Some(serde_json::Value::String(stated)) if stated == checksum => {}
        Some(serde_json::Value::String(_)) => return Err(vec![ImportProblem::ChecksumMismatch]),
        _ => return Err(vec![ImportProblem::BadEnvelope("checksum".into())]),
    }
    envelope.records = records;
    Ok(envelope)
}

/// Why a record from elsewhere (a sync server) would not be accepted from a file, if it
/// would not: the same checks as an import's, for one record.
pub fn record_problem(record: &Record, today: Date) -> Option<String> {
    check_record(0, record, today)
        .first()
        .map(|problem| format!("{problem:?}"))
}

/// The rules a form would enforce, applied to a record from a file.
fn check_record(index: usize, record: &Record, today: Date) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    let versions = std::iter::once(record).chain(record.history.iter());
    for version in versions {
        if let Err(errors) = crate::with_body!(&version.body, |b| check_body(b, today)) {
            problems.push(ImportProblem::InvalidRecord { index, errors });
        }
    }
    for version in std::iter::once(record).chain(record.history.iter()) {
        if let Some(message) = super::photo::photos_problem(&version.photos) {
            problems.push(ImportProblem::BadRecord { index, message });
        }
    }
    let history_fits = record
        .history
        .iter()
        .all(|v| v.id == record.id && v.history.is_empty() && v.kind() == record.kind());
    if !history_fits {
        problems.push(ImportProblem::BadHistory { index });
    }
    problems
}
