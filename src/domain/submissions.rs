//! Who has sent what (报送情况), for the coordinator: one row per officer's device known from
//! imported files and records, and the officers the coordinator expects who have sent
//! nothing for the period.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ledger::Ledger;
use super::order;
use super::period::Period;
use super::record::RecordBody;

/// An officer the coordinator expects files from (kept in the settings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedOfficer {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub county: String,
}

/// One file taken in by an import (kept in the settings, newest last).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLogEntry {
    /// The device that exported the file.
    pub device_id: String,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub exported_at: OffsetDateTime,
    /// Records in the file.
    pub records: usize,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub imported_at: OffsetDateTime,
}

/// How many imported files the settings remember.
pub const IMPORT_LOG_LEN: usize = 500;

/// One row of 报送情况.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubmissionRow {
    /// The officer's device; `None` for an expected officer never heard from.
    pub device_id: Option<String>,
    /// The name on the device's latest record (or the expected officer's).
    pub name: String,
    pub county: String,
    /// The team named most on the device's visits.
    pub team: String,
    /// When the device's latest imported file was exported.
    pub last_file: Option<OffsetDateTime>,
    /// Live records the device wrote last.
    pub records: usize,
    /// Of those, the ones dated in the period.
    pub in_period: usize,
    /// On the coordinator's list of expected officers.
    pub expected: bool,
    /// Expected, and nothing for the period from any device under this name (an officer who
    /// changed tablets is not missing because of the old one).
    pub missing: bool,
}

impl SubmissionRow {
    /// An expected officer with nothing for the period: the row that must stand out.
    pub fn is_missing(&self) -> bool {
        self.missing
    }
}

/// How many expected officers sent nothing for the period; `None` when no officer is
/// expected (every one on the list has a row), so that nobody is said to be missing or not.
pub fn missing_count(rows: &[SubmissionRow]) -> Option<usize> {
    rows.iter()
        .any(|r| r.expected)
        .then(|| rows.iter().filter(|r| r.is_missing()).count())
}

/// The most frequent of some names (ties: the first in alphabetical order); "" for none.
fn most_named<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names.map(str::trim).filter(|n| !n.is_empty()) {
        *counts.entry(name).or_default() += 1;
    }
    let best = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(name, _)| name.to_owned())
        .unwrap_or_default()
}

/// What the records say of one device.
#[derive(Default)]
struct Seen<'a> {
    records: usize,
    in_period: usize,
    counties: Vec<&'a str>,
    teams: Vec<&'a str>,
    /// The newest name the device wrote under, and when.
    name: Option<(OffsetDateTime, &'a str)>,
}

impl<'a> Seen<'a> {
    fn note_name(&mut self, at: OffsetDateTime, name: &'a str) {
        if !name.trim().is_empty() && self.name.is_none_or(|(t, _)| at > t) {
            self.name = Some((at, name));
        }
    }
}

/// 报送情况 for a period: every device that wrote a record or sent a file (sample data left
/// out), with the expected officers matched by name; then the expected officers not heard from
/// at all. Devices first by name, then the missing ones.
pub fn submission_rows(
    ledger: &Ledger,
    imports: &[ImportLogEntry],
    expected: &[ExpectedOfficer],
    period: &Period,
) -> Vec<SubmissionRow> {
    let mut devices: HashMap<&str, Seen> = HashMap::new();
    for record in ledger.all().filter(|r| !r.sample) {
        // Every version names its writer: a device that only edited still sent something.
        for version in std::iter::once(record).chain(&record.history) {
            devices
                .entry(&version.device_id)
                .or_default()
                .note_name(version.updated_at, &version.author);
        }
        if record.deleted {
            continue;
        }
        let entry = devices.entry(&record.device_id).or_default();
        entry.records += 1;
        if super::totals::any_date_in(record, *period) {
            entry.in_period += 1;
        }
        entry.counties.push(record.body.county());
        if let RecordBody::Visit(v) = &record.body {
            entry.teams.push(&v.team_name);
        }
    }
    let mut last_files: HashMap<&str, OffsetDateTime> = HashMap::new();
    for file in imports {
        let last = last_files
            .entry(&file.device_id)
            .or_insert(file.exported_at);
        *last = (*last).max(file.exported_at);
        devices.entry(&file.device_id).or_default();
    }
    let expected_named = |name: &str| expected.iter().find(|e| e.name.trim() == name.trim());
    let mut rows: Vec<SubmissionRow> = devices
        .into_iter()
        .map(|(device, seen)| {
            let name = seen
                .name
                .map(|(_, n)| n.trim().to_owned())
                .unwrap_or_default();
            let listed = expected_named(&name);
            let county = listed
                .map(|e| e.county.clone())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| most_named(seen.counties.into_iter()));
            SubmissionRow {
                device_id: Some(device.to_owned()),
                name,
                county,
                team: most_named(seen.teams.into_iter()),
                last_file: last_files.get(device).copied(),
                records: seen.records,
                in_period: seen.in_period,
                expected: listed.is_some(),
                missing: false,
            }
        })
        .collect();
    order::sort_by(&mut rows, |a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.device_id.cmp(&b.device_id))
    });
    let sent_in_period: HashSet<String> = rows
        .iter()
        .filter(|r| r.in_period > 0)
        .map(|r| r.name.clone())
        .collect();
    for row in &mut rows {
        row.missing = row.expected && !sent_in_period.contains(&row.name);
    }
    for officer in expected {
        if !rows.iter().any(|r| r.name.trim() == officer.name.trim()) {
            rows.push(SubmissionRow {
                name: officer.name.trim().to_owned(),
                county: officer.county.clone(),
                expected: true,
                missing: true,
                ..SubmissionRow::default()
            });
        }
    }
    rows
}
