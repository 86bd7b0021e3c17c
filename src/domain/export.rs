//! The JSON file that carries records off a tablet.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::input::format_date;
use super::record::{Record, SCHEMA_VERSION};

/// The `format` field of every export; an import checks it first.
pub const EXPORT_FORMAT: &str = "field-ledger-export";

/// Versioned envelope around the exported records (tombstones included).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportEnvelope {
    pub format: String,
    pub schema_version: u32,
    pub app_version: String,
    pub device_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: OffsetDateTime,
    pub records: Vec<Record>,
}

impl ExportEnvelope {
    /// Every given record, oldest first so that two exports of the same ledger are identical.
    pub fn new(mut records: Vec<Record>, device_id: &str, now: OffsetDateTime) -> Self {
        records.sort_by(|a, b| (a.created_at, a.id).cmp(&(b.created_at, b.id)));
        ExportEnvelope {
            format: EXPORT_FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            device_id: device_id.to_owned(),
            exported_at: now,
            records,
        }
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
        let device = if device.is_empty() { "device".to_owned() } else { device };
        format!(
            "field-ledger-{device}-{}.json",
            format_date(self.exported_at.date())
        )
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}
