//! The JSON file that carries records off a tablet, and the checks an import makes before
//! anything is written.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use super::input::{FieldError, TechnologyInput, TrainingInput, VisitInput, format_date};
use super::record::{Record, RecordBody, SCHEMA_VERSION};
use super::settings::YearTargets;

/// The `format` field of every export; an import checks it first.
pub const EXPORT_FORMAT: &str = "field-ledger-export";
/// Largest file an import reads, in bytes (10 000 records are about 10 MB).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Versioned envelope around the exported records (tombstones included).
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
    /// `sha256:` and the hex SHA-256 of the `records` array as canonical JSON (compact, object
    /// keys sorted), so that a truncated or edited file is detected.
    pub checksum: String,
    pub records: Vec<Record>,
    /// The year targets set on the exporting device (full exports only). An import takes them
    /// for the years the importing device has not set itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<YearTargets>,
}

/// `sha256:` and the hex SHA-256 of the records' canonical JSON.
pub fn records_checksum(records: &[Record]) -> String {
    checksum_of(&serde_json::to_value(records).unwrap_or_default())
}

/// The checksum of a `records` array as read from a file.
fn checksum_of(records: &serde_json::Value) -> String {
    let mut json = String::new();
    canonical_json(records, &mut json);
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Compact JSON with every object's keys in sorted order: the same text for the same data,
/// whatever wrote it, so that any tool can check a file.
fn canonical_json(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (n, key) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical_json(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

impl ExportEnvelope {
    /// The given records, oldest first so that two exports of the same ledger are identical.
    pub fn new(
        mut records: Vec<Record>,
        device_id: &str,
        now: OffsetDateTime,
        since: Option<OffsetDateTime>,
    ) -> Self {
        records.sort_by_key(|a| (a.created_at, a.id));
        ExportEnvelope {
            format: EXPORT_FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            device_id: device_id.to_owned(),
            exported_at: now,
            since,
            checksum: records_checksum(&records),
            records,
            targets: Vec::new(),
        }
    }

    /// The same export carrying the device's year targets.
    pub fn with_targets(self, targets: Vec<YearTargets>) -> Self {
        ExportEnvelope { targets, ..self }
    }

    /// `field-ledger-<device>-<yyyy-mm-dd>.json`, with the first block of the device id:
    /// short enough to read, long enough to tell the bureau's tablets apart.
    pub fn file_name(&self) -> String {
        let device: String = self
            .device_id
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
            format_date(self.exported_at.date())
        )
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
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
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) if v > u64::from(SCHEMA_VERSION) && v <= u64::from(u32::MAX) => {
            return Err(vec![ImportProblem::NewerSchema(v as u32)]);
        }
        Some(v) => return Err(vec![ImportProblem::UnknownSchema(v)]),
        None => return Err(vec![ImportProblem::BadEnvelope("schema_version".into())]),
    }
    let Some(raw_records) = value.get("records").and_then(|r| r.as_array()) else {
        return Err(vec![ImportProblem::BadEnvelope("records".into())]);
    };

    let mut problems = Vec::new();
    let mut records = Vec::with_capacity(raw_records.len());
    let mut ids = BTreeSet::new();
    for (index, raw) in raw_records.iter().enumerate() {
        match serde_json::from_value::<Record>(raw.clone()) {
            Err(e) => problems.push(ImportProblem::BadRecord {
                index,
                message: e.to_string(),
            }),
            Ok(record) => {
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

    let checksum = checksum_of(&value["records"]);
    let mut envelope_value = value;
    if let Some(object) = envelope_value.as_object_mut() {
        object.insert("records".into(), serde_json::Value::Array(Vec::new()));
    }
    let mut envelope: ExportEnvelope = serde_json::from_value(envelope_value)
        .map_err(|e| vec![ImportProblem::BadEnvelope(e.to_string())])?;
    if checksum != envelope.checksum {
        return Err(vec![ImportProblem::ChecksumMismatch]);
    }
    envelope.records = records;
    Ok(envelope)
}

/// The rules a form would enforce, applied to a record from a file.
fn check_record(index: usize, record: &Record, today: Date) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    let versions = std::iter::once(record).chain(record.history.iter());
    for version in versions {
        if let Err(errors) = check_body(&version.body, today) {
            problems.push(ImportProblem::InvalidRecord { index, errors });
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

fn check_body(body: &RecordBody, today: Date) -> Result<(), Vec<FieldError>> {
    match body {
        RecordBody::Training(t) => TrainingInput::from_training(t).validate(today).map(drop),
        RecordBody::Technology(t) => TechnologyInput::from_technology(t)
            .validate(today)
            .map(drop),
        RecordBody::Visit(v) => VisitInput::from_visit(v).validate(today).map(drop),
    }
}
