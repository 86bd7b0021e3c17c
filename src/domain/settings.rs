//! Per-device settings, stored beside the records.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::form::{MAX_COUNT, Problem};
use super::order;
use super::period::Period;
use super::submissions::{ExpectedOfficer, IMPORT_LOG_LEN, ImportLogEntry};
use super::totals::Counting;

/// Yingkou's county-level divisions and the parks that report like counties (DOMAIN.md),
/// with their romanised names for the English interface. Users can add more in settings.
pub const DEFAULT_COUNTIES: [(&str, &str); 7] = [
    ("站前区", "Zhanqian"),
    ("西市区", "Xishi"),
    ("鲅鱼圈区", "Bayuquan"),
    ("老边区", "Laobian"),
    ("盖州市", "Gaizhou"),
    ("大石桥市", "Dashiqiao"),
    ("营口高新区", "Yingkou High-tech Zone"),
];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Zh,
    En,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Random id given to this browser on first start; every record it writes carries it.
    pub device_id: String,
    /// The officer's name, asked once; every record written here carries it.
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub language: Language,
    /// Counties, parks or zones the user added to the default list.
    #[serde(default)]
    pub extra_counties: Vec<String>,
    /// The exports made from this device, newest last (at most [`EXPORT_LOG_LEN`]).
    #[serde(default)]
    pub exports: Vec<ExportLogEntry>,
    /// Targets the user set, one entry per year; years without one use [`YearTargets::defaults`].
    #[serde(default)]
    pub targets: Vec<YearTargets>,
    /// Which training types count towards the training targets.
    #[serde(default)]
    pub counting: Counting,
    /// What the report says of problems and plans, per period.
    #[serde(default)]
    pub report_notes: Vec<ReportNotes>,
    /// 报送单位: who signs the report.
    #[serde(default)]
    pub organisation: String,
    /// What this device is used for; asked once at first start.
    #[serde(default)]
    pub role: Option<Role>,
    /// An officer's own county and team (optional).
    #[serde(default)]
    pub profile: Profile,
    /// An officer's own targets, per year (optional; the city's targets are not theirs).
    #[serde(default)]
    pub personal_targets: Vec<PersonalTargets>,
    /// The officers a coordinator expects files from.
    #[serde(default)]
    pub expected_officers: Vec<ExpectedOfficer>,
    /// The files this device imported, newest last (at most [`IMPORT_LOG_LEN`]).
    #[serde(default)]
    pub imports: Vec<ImportLogEntry>,
}

/// The two jobs the app serves, each with a home screen of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 外业人员: records in the field and sends files to the bureau.
    Officer,
    /// 汇总人员: gathers every officer's files and reports for the bureau.
    Coordinator,
}

/// An officer's county and team, as they give them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub county: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team: String,
}

/// An officer's own targets for a year; each is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalTargets {
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainings: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technologies_promoted: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<u32>,
}

/// The report's 存在问题 and 下步打算 for one period, as typed on the report page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportNotes {
    /// The period, as its address names it (`h1-2022`, `2022-03-01~2022-05-31`).
    pub period: String,
    #[serde(default)]
    pub problems: String,
    #[serde(default)]
    pub plans: String,
}

impl ReportNotes {
    pub fn is_empty(&self) -> bool {
        self.problems.trim().is_empty() && self.plans.trim().is_empty()
    }
}

/// The key a period's notes are kept under.
pub fn notes_key(period: &Period) -> String {
    match period.preset {
        Some((year, preset)) => format!("{}-{year}", preset.slug()),
        None => format!(
            "{}~{}",
            super::datetime_text::format_date(period.from),
            super::datetime_text::format_date(period.to)
        ),
    }
}

/// One year's targets. The defaults are the 2022 plan's figures (DOMAIN.md); targets for
/// demonstrations and visits are optional because the plan sets none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTargets {
    pub year: i32,
    /// Farmer training sessions.
    pub trainings: u32,
    /// Training attendance, in 人次.
    pub attendance: u32,
    /// New technologies promoted and applied (推广应用).
    pub technologies_promoted: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demonstrations: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<u32>,
}

/// Reads one target figure as typed: a whole number from 0 to [`MAX_COUNT`]; blank is `None`.
pub fn parse_target(text: &str) -> Result<Option<u32>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(n) if n > u64::from(MAX_COUNT) => Err(Problem::TooLarge),
        Ok(n) => Ok(u32::try_from(n).ok()),
        Err(_) if text.starts_with('-') => Err(Problem::Negative),
        Err(_) => Err(Problem::NotAWholeNumber),
    }
}

impl YearTargets {
    pub fn defaults(year: i32) -> Self {
        YearTargets {
            year,
            trainings: 10,
            attendance: 500,
            technologies_promoted: 20,
            demonstrations: None,
            visits: None,
        }
    }
}

/// How many past exports the settings remember.
pub const EXPORT_LOG_LEN: usize = 50;

/// One successful export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLogEntry {
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub at: OffsetDateTime,
    /// For an export of changes only: the export it continued from.
    #[serde(with = "crate::domain::datetime_text::rfc3339::option", default)]
    pub since: Option<OffsetDateTime>,
    pub records: usize,
}

impl Settings {
    pub fn new(device_id: String) -> Self {
        Settings {
            device_id,
            author: String::new(),
            language: Language::default(),
            extra_counties: Vec::new(),
            exports: Vec::new(),
            targets: Vec::new(),
            counting: Counting::default(),
            report_notes: Vec::new(),
            organisation: String::new(),
            role: None,
            profile: Profile::default(),
            personal_targets: Vec::new(),
            expected_officers: Vec::new(),
            imports: Vec::new(),
        }
    }

    /// The targets for a year: the user's own, or the defaults.
    pub fn targets_for(&self, year: i32) -> YearTargets {
        self.targets
            .iter()
            .find(|t| t.year == year)
            .cloned()
            .unwrap_or_else(|| YearTargets::defaults(year))
    }

    /// Sets a year's targets, replacing any earlier figures for that year.
    pub fn set_targets(&mut self, targets: YearTargets) {
        self.targets.retain(|t| t.year != targets.year);
        self.targets.push(targets);
        order::sort_by_key(&mut self.targets, |t| t.year);
    }

    /// Takes targets that came with an import for the years this device has not set itself;
    /// returns how many years were taken. The user's own figures always win.
    pub fn adopt_targets(&mut self, imported: &[YearTargets]) -> usize {
        let mut adopted = 0;
        for targets in imported {
            if !self.targets.iter().any(|t| t.year == targets.year) {
                self.set_targets(targets.clone());
                adopted += 1;
            }
        }
        adopted
    }

    /// The report notes of a period (empty when none were typed).
    pub fn notes_for(&self, period: &Period) -> ReportNotes {
        let key = notes_key(period);
        self.report_notes
            .iter()
            .find(|n| n.period == key)
            .cloned()
            .unwrap_or(ReportNotes {
                period: key,
                ..ReportNotes::default()
            })
    }

    /// Keeps a period's notes (empty notes are forgotten).
    pub fn set_notes(&mut self, notes: ReportNotes) {
        self.report_notes.retain(|n| n.period != notes.period);
        if !notes.is_empty() {
            self.report_notes.push(notes);
            order::sort_by(&mut self.report_notes, |a, b| a.period.cmp(&b.period));
        }
    }

    /// Takes report notes that came with an import for periods this device has none for;
    /// returns how many were taken.
    pub fn adopt_notes(&mut self, imported: &[ReportNotes]) -> usize {
        let mut adopted = 0;
        for notes in imported {
            if !notes.is_empty() && !self.report_notes.iter().any(|n| n.period == notes.period) {
                self.set_notes(notes.clone());
                adopted += 1;
            }
        }
        adopted
    }

    /// An officer's own targets for a year, if they set any.
    pub fn personal_targets_for(&self, year: i32) -> Option<&PersonalTargets> {
        self.personal_targets.iter().find(|t| t.year == year)
    }

    /// Sets an officer's targets for a year (none set: forgotten).
    pub fn set_personal_targets(&mut self, targets: PersonalTargets) {
        self.personal_targets.retain(|t| t.year != targets.year);
        let any = targets.trainings.is_some()
            || targets.attendance.is_some()
            || targets.technologies_promoted.is_some()
            || targets.visits.is_some();
        if any {
            self.personal_targets.push(targets);
            order::sort_by_key(&mut self.personal_targets, |t| t.year);
        }
    }

    /// Remembers files taken in by an import.
    pub fn log_imports(&mut self, entries: impl IntoIterator<Item = ImportLogEntry>) {
        self.imports.extend(entries);
        let excess = self.imports.len().saturating_sub(IMPORT_LOG_LEN);
        self.imports.drain(..excess);
    }

    /// When this device last exported, if it ever did.
    pub fn last_export_at(&self) -> Option<OffsetDateTime> {
        self.exports.last().map(|e| e.at)
    }

    /// Remembers a successful export.
    pub fn log_export(&mut self, entry: ExportLogEntry) {
        self.exports.push(entry);
        let excess = self.exports.len().saturating_sub(EXPORT_LOG_LEN);
        self.exports.drain(..excess);
    }

    /// The county list offered in forms: the defaults, then the user's own.
    pub fn counties(&self) -> Vec<String> {
        DEFAULT_COUNTIES
            .iter()
            .map(|(name, _)| (*name).to_owned())
            .chain(self.extra_counties.iter().cloned())
            .collect()
    }

    /// Adds a county to the user's list; returns false when it is blank or already known.
    pub fn add_county(&mut self, name: &str) -> bool {
        let name = name.trim();
        if name.is_empty() || self.counties().iter().any(|c| c == name) {
            return false;
        }
        self.extra_counties.push(name.to_owned());
        true
    }
}

/// The English name of a default county, for display; user-added names show as typed.
pub fn county_romanised(name: &str) -> Option<&'static str> {
    DEFAULT_COUNTIES
        .iter()
        .find(|(zh, _)| *zh == name)
        .map(|(_, en)| *en)
}
