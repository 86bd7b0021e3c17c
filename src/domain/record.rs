//! The three kinds of record and the envelope every record shares.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

/// Version of the record layout written by this build. Stored with every record and every
/// export so that later versions can migrate older data forward.
pub const SCHEMA_VERSION: u32 = 1;

/// Serde for dates as `"yyyy-mm-dd"` and clock times as `"HH:MM"`. Hand-written over
/// `Option<String>` because records are read through serde's buffered content (the flattened,
/// adjacently tagged body), where `time`'s own option helpers do not accept `null`.
mod text_value {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// How one kind of value reads and writes as text.
    pub struct Format<T> {
        pub parse: fn(&str) -> Option<T>,
        pub write: fn(T) -> crate::domain::datetime_text::ShortText,
        pub expected: &'static str,
    }

    pub fn serialize<S: Serializer, T: Copy>(
        value: &Option<T>,
        s: S,
        format: Format<T>,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => s.serialize_str((format.write)(*value).as_str()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T>(
        d: D,
        format: Format<T>,
    ) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                (format.parse)(&text)
                    .ok_or_else(|| D::Error::custom(format!("not {}: {text:?}", format.expected)))
            })
            .transpose()
    }
}

const DATE_FORMAT: text_value::Format<Date> = text_value::Format {
    parse: crate::domain::input::parse_date,
    write: crate::domain::datetime_text::date_text,
    expected: "a yyyy-mm-dd date",
};

const TIME_FORMAT: text_value::Format<Time> = text_value::Format {
    parse: crate::domain::input::parse_time,
    write: crate::domain::datetime_text::time_text,
    expected: "an HH:MM time",
};

pub(crate) mod iso_date {
    use serde::{Deserializer, Serializer, de::Error};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        super::text_value::serialize(&Some(*date), s, super::DATE_FORMAT)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        super::text_value::deserialize(d, super::DATE_FORMAT)?
            .ok_or_else(|| D::Error::custom("a date is required"))
    }
}

pub(crate) mod iso_date_opt {
    use serde::{Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        super::text_value::serialize(date, s, super::DATE_FORMAT)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        super::text_value::deserialize(d, super::DATE_FORMAT)
    }
}

pub(crate) mod clock_time_opt {
    use serde::{Deserializer, Serializer};
    use time::Time;

    pub fn serialize<S: Serializer>(time: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        super::text_value::serialize(time, s, super::TIME_FORMAT)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        super::text_value::deserialize(d, super::TIME_FORMAT)
    }
}

/// One ledger entry: identity and provenance, plus the kind-specific body.
/// A deleted record is kept as a tombstone (`deleted: true`) so the delete can travel in exports.
///
/// Written by the `Serialize` impl below with its keys in sorted order, like every struct in
/// a record (their fields are declared in alphabetical order for this): serde's own output
/// is then canonical JSON, which the export's checksum is computed over without another pass.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Record {
    pub id: Uuid,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Starts at 1 and goes up by one on every edit or delete.
    pub revision: u32,
    /// The device that last wrote this record.
    pub device_id: String,
    /// The officer who last wrote this record.
    pub author: String,
    pub schema_version: u32,
    #[serde(default)]
    pub deleted: bool,
    /// Part of the sample data a user can load to explore the app: removable in one step and
    /// left out of exports unless asked for (written only when true).
    #[serde(default)]
    pub sample: bool,
    /// Written as `kind` and `data`.
    #[serde(flatten)]
    pub body: RecordBody,
    /// Other versions of this record met while merging imports (conflicting edits and
    /// superseded revisions), oldest first, each without a history of its own. Kept so that
    /// nothing an officer typed is lost; any of them can be restored as a new revision.
    /// Written only when there are some.
    #[serde(default)]
    pub history: Vec<Record>,
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::domain::datetime_text::rfc3339;
        use serde::ser::SerializeStruct;

        /// A date-time field written as RFC 3339 text.
        struct Rfc3339(OffsetDateTime);
        impl Serialize for Rfc3339 {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                rfc3339::serialize(&self.0, s)
            }
        }

        let optional = usize::from(self.sample) + usize::from(!self.history.is_empty());
        let mut out = serializer.serialize_struct("Record", 10 + optional)?;
        // Sorted by key.
        out.serialize_field("author", &self.author)?;
        out.serialize_field("created_at", &Rfc3339(self.created_at))?;
        match &self.body {
            RecordBody::Training(data) => out.serialize_field("data", data)?,
            RecordBody::Technology(data) => out.serialize_field("data", data)?,
            RecordBody::Visit(data) => out.serialize_field("data", data)?,
        }
        out.serialize_field("deleted", &self.deleted)?;
        out.serialize_field("device_id", &self.device_id)?;
        if !self.history.is_empty() {
            out.serialize_field("history", &self.history)?;
        }
        out.serialize_field("id", &self.id)?;
        out.serialize_field("kind", &self.body.kind())?;
        out.serialize_field("revision", &self.revision)?;
        if self.sample {
            out.serialize_field("sample", &true)?;
        }
        out.serialize_field("schema_version", &self.schema_version)?;
        out.serialize_field("updated_at", &Rfc3339(self.updated_at))?;
        out.end()
    }
}

/// Who is writing, and when: everything a new revision takes from its surroundings.
#[derive(Clone, Debug, PartialEq)]
pub struct Author {
    pub device_id: String,
    pub name: String,
}

impl Record {
    /// A brand-new record at revision 1.
    pub fn create(id: Uuid, body: RecordBody, author: &Author, now: OffsetDateTime) -> Self {
        Record {
            id,
            created_at: now,
            updated_at: now,
            revision: 1,
            device_id: author.device_id.clone(),
            author: author.name.clone(),
            schema_version: SCHEMA_VERSION,
            deleted: false,
            sample: false,
            body,
            history: Vec::new(),
        }
    }

    /// The next revision of this record with a new body.
    pub fn edited(&self, body: RecordBody, author: &Author, now: OffsetDateTime) -> Self {
        Record {
            body,
            ..self.next_revision(author, now)
        }
    }

    /// The tombstone that replaces this record when it is deleted; it keeps the last body so
    /// that nothing is lost if a later edit brings the record back.
    pub fn tombstone(&self, author: &Author, now: OffsetDateTime) -> Self {
        Record {
            deleted: true,
            ..self.next_revision(author, now)
        }
    }

    fn next_revision(&self, author: &Author, now: OffsetDateTime) -> Self {
        Record {
            updated_at: now,
            revision: self.revision.saturating_add(1),
            device_id: author.device_id.clone(),
            author: author.name.clone(),
            schema_version: SCHEMA_VERSION,
            deleted: false,
            ..self.clone()
        }
    }

    pub fn kind(&self) -> RecordKind {
        self.body.kind()
    }

    /// A new revision whose content is an earlier version from the history.
    pub fn restored(&self, version: &Record, author: &Author, now: OffsetDateTime) -> Self {
        Record {
            deleted: version.deleted,
            body: version.body.clone(),
            ..self.next_revision(author, now)
        }
    }

    /// This version alone, as it is kept in a history.
    pub fn without_history(&self) -> Record {
        Record {
            history: Vec::new(),
            ..self.clone()
        }
    }

    /// The date a list sorts by: when the training or visit happened, or when the technology
    /// reached its current stage.
    pub fn date(&self) -> Option<Date> {
        match &self.body {
            RecordBody::Training(t) => Some(t.date),
            RecordBody::Technology(t) => t.stage_date(t.stage),
            RecordBody::Visit(v) => Some(v.date),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Training,
    Technology,
    Visit,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Training,
        RecordKind::Technology,
        RecordKind::Visit,
    ];

    /// The URL segment of this kind's pages.
    pub fn slug(self) -> &'static str {
        match self {
            RecordKind::Training => "trainings",
            RecordKind::Technology => "technologies",
            RecordKind::Visit => "visits",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum RecordBody {
    Training(Training),
    Technology(Technology),
    Visit(Visit),
}

impl RecordBody {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordBody::Training(_) => RecordKind::Training,
            RecordBody::Technology(_) => RecordKind::Technology,
            RecordBody::Visit(_) => RecordKind::Visit,
        }
    }
}

/// County (or park), township and village. Only the county is picked from a list.
/// Fields in alphabetical order: see [`Record`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub county: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub township: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub village: String,
}

impl Place {
    pub fn is_empty(&self) -> bool {
        self.county.is_empty() && self.township.is_empty() && self.village.is_empty()
    }
}

/// 农民科技培训 / 农民技术员培训.
/// Fields in alphabetical order: see [`Record`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// Attendance in 人次 (person-times).
    pub attendance: u32,
    #[serde(with = "iso_date")]
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_hours: Option<f64>,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organiser: String,
    #[serde(default, skip_serializing_if = "Place::is_empty")]
    pub place: Place,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Technology records this training concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technology_ids: Vec<Uuid>,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trainers: Vec<String>,
    pub training_type: TrainingType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub women: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingType {
    /// 农民科技培训
    Farmer,
    /// 农民技术员培训
    Technician,
    Other,
}

impl TrainingType {
    pub const ALL: [TrainingType; 3] = [
        TrainingType::Farmer,
        TrainingType::Technician,
        TrainingType::Other,
    ];
}

/// 新品种 / 新技术 / 新机具 and its way from introduction to wide use.
/// Fields in alphabetical order: see [`Record`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Technology {
    pub category: TechCategory,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub county: String,
    /// 示范面积, in 亩.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_area_mu: Option<f64>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub demonstrated_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub introduced_on: Option<Date>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    /// 推广面积, in 亩.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promoted_area_mu: Option<f64>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub promoted_on: Option<Date>,
    /// Host or demonstration site.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub site: String,
    /// Where the demonstration site is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_location: Option<GeoPoint>,
    pub stage: Stage,
}

impl Technology {
    pub fn stage_date(&self, stage: Stage) -> Option<Date> {
        match stage {
            Stage::Introduced => self.introduced_on,
            Stage::Demonstrated => self.demonstrated_on,
            Stage::Promoted => self.promoted_on,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechCategory {
    Variety,
    Technique,
    Machine,
}

impl TechCategory {
    pub const ALL: [TechCategory; 3] = [
        TechCategory::Variety,
        TechCategory::Technique,
        TechCategory::Machine,
    ];
}

/// 引进 → 示范 → 推广应用.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Introduced,
    Demonstrated,
    Promoted,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Introduced, Stage::Demonstrated, Stage::Promoted];
}

/// 科技特派服务: a commissioner's visit to a host.
/// Fields in alphabetical order: see [`Record`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub advice: String,
    pub commissioners: Vec<String>,
    #[serde(with = "iso_date")]
    pub date: Date,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<Time>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub follow_up_by: Option<Date>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up_needed: bool,
    /// The earlier visit this one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows_up: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<HelpKind>,
    pub host: String,
    pub host_type: HostType,
    /// Where the visit took place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Place::is_empty")]
    pub place: Place,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub problems: String,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_level: Option<TeamLevel>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team_name: String,
    /// Technologies named in free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technologies: Vec<String>,
    /// Technology records this visit concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technology_ids: Vec<Uuid>,
}

/// A position from the tablet's GPS (or typed in), in WGS 84 degrees.
/// Fields in alphabetical order: see [`Record`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Radius of the 68 % confidence circle, in metres, as the device reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    /// When the position was taken; empty when typed in by hand.
    #[serde(
        with = "crate::domain::datetime_text::rfc3339::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub captured_at: Option<OffsetDateTime>,
    pub latitude: f64,
    pub longitude: f64,
}

impl GeoPoint {
    /// True when both coordinates are finite and on the globe.
    pub fn is_valid(&self) -> bool {
        self.latitude.is_finite()
            && self.longitude.is_finite()
            && (-90.0..=90.0).contains(&self.latitude)
            && (-180.0..=180.0).contains(&self.longitude)
            && self.accuracy_m.is_none_or(|a| a.is_finite() && a >= 0.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamLevel {
    /// 省级科技特派团
    ProvincialTeam,
    /// 科技特派组
    ProvincialGroup,
    /// 市级科技特派团
    MunicipalTeam,
}

impl TeamLevel {
    pub const ALL: [TeamLevel; 3] = [
        TeamLevel::ProvincialTeam,
        TeamLevel::ProvincialGroup,
        TeamLevel::MunicipalTeam,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostType {
    Village,
    Cooperative,
    FamilyFarm,
    Enterprise,
    InnovationHub,
    SciencePark,
}

impl HostType {
    pub const ALL: [HostType; 6] = [
        HostType::Village,
        HostType::Cooperative,
        HostType::FamilyFarm,
        HostType::Enterprise,
        HostType::InnovationHub,
        HostType::SciencePark,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpKind {
    Diagnosis,
    Advice,
    Demonstration,
    Training,
    FollowUp,
    Other,
}

impl HelpKind {
    pub const ALL: [HelpKind; 6] = [
        HelpKind::Diagnosis,
        HelpKind::Advice,
        HelpKind::Demonstration,
        HelpKind::Training,
        HelpKind::FollowUp,
        HelpKind::Other,
    ];
}
