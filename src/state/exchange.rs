//! The handoff by file: what an export carries, remembering exports, and merging imported
//! files into the ledger.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use uuid::Uuid;

use super::{DeviceSettings, Records, SharedStore};
use crate::browser;
use crate::domain::export::Carried;
use crate::domain::merge::MergeReport;
use crate::domain::submissions::ImportLogEntry;
use crate::domain::{ExportDraft, ExportEnvelope, ExportLogEntry, Record};
use crate::storage::{StorageError, keys};

#[derive(Clone, Copy)]
pub struct Exchange {
    store: SharedStore,
    records: Records,
    settings: DeviceSettings,
}

impl Exchange {
    pub(super) fn new(store: SharedStore, records: Records, settings: DeviceSettings) -> Self {
        Exchange {
            store,
            records,
            settings,
        }
    }

    /// The export file, before its checksum (see [`ExportDraft`]): every record (tombstones
    /// included), the year targets and the report notes, or with `changes_only` the records written on this
    /// device since its last export. Sample records go only with `include_sample`.
    pub fn export_draft(
        &self,
        changes_only: bool,
        include_sample: bool,
    ) -> Result<ExportDraft, serde_json::Error> {
        let (device_id, last, carried) = self.settings.settings.with_untracked(|s| {
            let carried = Carried {
                targets: s.targets.clone(),
                report_notes: s.report_notes.clone(),
            };
            (s.device_id.clone(), s.last_export_at(), carried)
        });
        let since = if changes_only { last } else { None };
        let carried = if changes_only {
            Carried::default()
        } else {
            carried
        };
        self.records.ledger.with_untracked(|l| {
            let mut records: Vec<&Record> = if changes_only {
                l.written_here_since(&device_id, since)
            } else {
                l.all().filter(|r| !r.sample).collect()
            };
            if include_sample {
                records.extend(l.all().filter(|r| r.sample));
            }
            ExportDraft::new(records, &device_id, browser::now(), since, carried)
        })
    }

    /// Remembers an export that was handed to the browser's download, and the photos it
    /// carried.
    pub fn log_export(
        &self,
        exported_at: time::OffsetDateTime,
        since: Option<time::OffsetDateTime>,
        records: usize,
        photos: &[String],
    ) -> Result<(), StorageError> {
        let entry = ExportLogEntry {
            at: exported_at,
            since,
            records,
        };
        self.settings.update(|s| s.log_export(entry))?;
        if photos.is_empty() {
            return Ok(());
        }
        let mut exported = self.exported_photos();
        exported.extend(photos.iter().cloned());
        self.save_exported_photos(&exported)
    }

    /// The photos an export has carried (see `keys::EXPORTED_PHOTOS`); none when the value
    /// cannot be read (the next changes then carry their photos again).
    pub fn exported_photos(&self) -> BTreeSet<String> {
        let text = self
            .store
            .with_value(|s| s.load_value(keys::EXPORTED_PHOTOS))
            .ok()
            .flatten()
            .unwrap_or_default();
        text.lines()
            .filter(|hash| crate::domain::photo::is_photo_hash(hash))
            .map(str::to_owned)
            .collect()
    }

    /// Photos removed from this tablet: no export will carry them again.
    pub fn forget_exported_photos(&self, removed: &[String]) -> Result<(), StorageError> {
        let mut exported = self.exported_photos();
        let before = exported.len();
        exported.retain(|hash| !removed.contains(hash));
        if exported.len() == before {
            return Ok(());
        }
        self.save_exported_photos(&exported)
    }

    fn save_exported_photos(&self, exported: &BTreeSet<String>) -> Result<(), StorageError> {
        let text: Vec<&str> = exported.iter().map(String::as_str).collect();
        let text = text.join("\n");
        self.store
            .with_value(|s| s.save_value(keys::EXPORTED_PHOTOS, &text))
    }

    /// Records written here since the last export: what the next handoff must carry.
    pub fn unexported_count(&self) -> usize {
        let (device_id, last) = self
            .settings
            .settings
            .with(|s| (s.device_id.clone(), s.last_export_at()));
        self.records
            .ledger
            .with(|l| l.written_here_since(&device_id, last).len())
    }

    /// Merges checked export files into the ledger and stores every changed record in one
    /// all-or-nothing write. Returns one report per file, in order; on a storage error the
    /// ledger, the settings and storage are as they were.
    pub fn import(&self, files: Vec<ExportEnvelope>) -> Result<Vec<MergeReport>, StorageError> {
        // What the files carry of the settings, and the log of files taken in, first (one
        // small write), so that a failed record write can put them back.
        let settings_before = self.settings.settings.get_untracked();
        let mut settings = settings_before.clone();
        let now = browser::now();
        for file in &files {
            settings.adopt_targets(&file.targets);
            settings.adopt_notes(&file.report_notes);
        }
        settings.log_imports(files.iter().map(|file| ImportLogEntry {
            device_id: file.device_id.clone(),
            exported_at: file.exported_at,
            records: file.records.len(),
            imported_at: now,
        }));
        let settings_changed = settings != settings_before;
        if settings_changed {
            self.store
                .with_value(|store| store.save_settings(&settings))?;
        }
        let (ledger, changed, reports) = browser::measured("fl:import-merge", || {
            let mut ledger = self.records.ledger.get_untracked();
            let mut changed: BTreeMap<Uuid, Record> = BTreeMap::new();
            let mut reports = Vec::with_capacity(files.len());
            for file in files {
                let (report, records) = ledger.merge(file.records);
                changed.extend(records.into_iter().map(|r| (r.id, r)));
                reports.push(report);
            }
            let changed: Vec<Record> = changed.into_values().collect();
            (ledger, changed, reports)
        });
        let saved = browser::measured("fl:import-save", || {
            self.store.with_value(|store| store.save_records(&changed))
        });
        if let Err(error) = saved {
            if settings_changed {
                let _ = self
                    .store
                    .with_value(|store| store.save_settings(&settings_before));
            }
            return Err(error);
        }
        browser::measured("fl:import-show", || self.records.show_stored(ledger));
        if settings_changed {
            self.settings.show_stored(settings);
        }
        Ok(reports)
    }
}

/// The export file, in parts to be handed to the download as they are (no copy of the whole):
/// the draft with its checksum, computed by the browser where it can (much faster; see
/// [`browser::start_sha256`]), else here.
pub async fn finish_export(draft: ExportDraft) -> Result<[Vec<u8>; 2], serde_json::Error> {
    let hashing = browser::measured("fl:export-hash-start", || {
        browser::start_sha256(draft.canonical_records())
    });
    let records = browser::measured("fl:export-records", || draft.records_part());
    let waiting = browser::Timing::start("fl:export-hash");
    let sha256 = match hashing {
        Some(hashing) => hashing.await,
        None => None,
    };
    let sha256 = sha256.unwrap_or_else(|| draft.sha256());
    waiting.end();
    let head = browser::measured("fl:export-finish", || draft.head(&sha256))?;
    Ok([head, records])
}
