//! The envelope every record shares (identity, revisions, provenance, tombstones, history)
//! around one kind's body.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::form::{Field, Kind, Shown};
use super::kinds::{Demand, Team, Technology, Training, Visit};
use super::photo::PhotoRef;

/// Version of the record layout written by this build. Stored with every record and every
/// export so that later versions can migrate older data forward.
/// 2: teams and demands as kinds of their own; trainings, technologies and visits link a
/// team record (`team_id`), trainings and visits the demand they answer (`demand_id`).
/// 3: records carry a list of photos (`photos`).
pub const SCHEMA_VERSION: u32 = 3;

/// The first schema version with photos.
pub const PHOTOS_SINCE_SCHEMA: u32 = 3;

/// The oldest schema version this build still reads (version 1 files import unchanged: they
/// only lack what version 2 added).
pub const OLDEST_SCHEMA_VERSION: u32 = 1;

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
    /// The officer who created this record; it never changes. A sync server uses it to
    /// refuse writes to other officers' records. Records made before it existed have none:
    /// their owner is taken to be their author (see [`Record::owner`]) and is fixed at their
    /// next revision. Written only when known.
    #[serde(default)]
    pub owner: Option<String>,
    /// The record's photos (their bytes are kept apart, by hash). Written only when there
    /// are some.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    pub schema_version: u32,
    #[serde(default)]
    pub deleted: bool,
    /// Part of the sample data a user can load to explore the app: removable in one step and
    /// left out of exports unless asked for (written only when true).
    #[serde(default)]
    pub sample: bool,
    /// Marked as a typical case (典型案例) for the bureau's report (written only when true).
    #[serde(default)]
    pub typical: bool,
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

        let optional = usize::from(self.owner.is_some())
            + usize::from(self.sample)
            + usize::from(self.typical)
            + usize::from(!self.history.is_empty())
            + usize::from(!self.photos.is_empty());
        let mut out = serializer.serialize_struct("Record", 10 + optional)?;
        // Sorted by key.
        out.serialize_field("author", &self.author)?;
        out.serialize_field("created_at", &Rfc3339(self.created_at))?;
        crate::with_body!(&self.body, |data| out.serialize_field("data", data)?);
        out.serialize_field("deleted", &self.deleted)?;
        out.serialize_field("device_id", &self.device_id)?;
        if !self.history.is_empty() {
            out.serialize_field("history", &self.history)?;
        }
        out.serialize_field("id", &self.id)?;
        out.serialize_field("kind", &self.body.kind())?;
        if let Some(owner) = &self.owner {
            out.serialize_field("owner", owner)?;
        }
        if !self.photos.is_empty() {
            out.serialize_field("photos", &self.photos)?;
        }
        out.serialize_field("revision", &self.revision)?;
        if self.sample {
            out.serialize_field("sample", &true)?;
        }
        out.serialize_field("schema_version", &self.schema_version)?;
        if self.typical {
            out.serialize_field("typical", &true)?;
        }
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
            owner: Some(author.name.clone()),
            photos: Vec::new(),
            schema_version: SCHEMA_VERSION,
            deleted: false,
            sample: false,
            typical: false,
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

    /// The next revision of this record with `photos` as its photo list.
    pub fn with_photos(&self, photos: Vec<PhotoRef>, author: &Author, now: OffsetDateTime) -> Self {
        Record {
            photos,
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
            owner: Some(self.owner().to_owned()),
            schema_version: SCHEMA_VERSION,
            deleted: false,
            ..self.clone()
        }
    }

    pub fn kind(&self) -> RecordKind {
        self.body.kind()
    }

    /// The officer who created this record (its author, for a record older than owners).
    pub fn owner(&self) -> &str {
        self.owner.as_deref().unwrap_or(&self.author)
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
        crate::with_body!(&self.body, |b| b.date())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Training,
    Technology,
    Visit,
    Team,
    Demand,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Training,
        RecordKind::Technology,
        RecordKind::Visit,
        RecordKind::Team,
        RecordKind::Demand,
    ];

    /// The first schema version that has this kind: a file of an older version cannot hold it.
    pub const fn since_schema(self) -> u32 {
        crate::with_kind!(self, K => K::SINCE_SCHEMA)
    }

    /// The kind's name in records and exports (`kind`), and in storage keys.
    pub const fn name(self) -> &'static str {
        crate::with_kind!(self, K => K::NAME)
    }

    /// The address segment of the kind's pages.
    pub const fn segment(self) -> &'static str {
        crate::with_kind!(self, K => K::SEGMENT)
    }

    /// The short name the kind's fields are stored under.
    pub const fn stored_tag(self) -> &'static str {
        crate::with_kind!(self, K => K::STORED_TAG)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum RecordBody {
    Training(Training),
    Technology(Technology),
    Visit(Visit),
    Team(Team),
    Demand(Demand),
}

impl RecordBody {
    pub fn kind(&self) -> RecordKind {
        crate::with_body!(self, |b| kind_of(b))
    }
}

fn kind_of<K: Kind>(_: &K) -> RecordKind {
    K::KIND
}

/// `with_body!(body, |b| expr)`: `expr` with `b` bound to the body of whatever kind it is
/// (`b` is a [`Kind`]).
#[macro_export]
macro_rules! with_body {
    ($body:expr, |$b:ident| $e:expr) => {
        match $body {
            $crate::domain::RecordBody::Training($b) => $e,
            $crate::domain::RecordBody::Technology($b) => $e,
            $crate::domain::RecordBody::Visit($b) => $e,
            $crate::domain::RecordBody::Team($b) => $e,
            $crate::domain::RecordBody::Demand($b) => $e,
        }
    };
}

/// `with_kind!(kind, K => expr)`: `expr` with the type `K` standing for the kind's body type.
#[macro_export]
macro_rules! with_kind {
    ($kind:expr, $K:ident => $e:expr) => {
        match $kind {
            $crate::domain::RecordKind::Training => {
                type $K = $crate::domain::Training;
                $e
            }
            $crate::domain::RecordKind::Technology => {
                type $K = $crate::domain::Technology;
                $e
            }
            $crate::domain::RecordKind::Visit => {
                type $K = $crate::domain::Visit;
                $e
            }
            $crate::domain::RecordKind::Team => {
                type $K = $crate::domain::Team;
                $e
            }
            $crate::domain::RecordKind::Demand => {
                type $K = $crate::domain::Demand;
                $e
            }
        }
    };
}

impl RecordBody {
    /// A field's value, when this kind has the field.
    pub fn shown(&self, field: Field) -> Option<Shown<'_>> {
        crate::with_body!(self, |b| shown_of(b, field))
    }

    /// The county the record counts in ("" when not given).
    pub fn county(&self) -> &str {
        match self.shown(Field::County) {
            Some(Shown::Text(county)) => county,
            _ => "",
        }
    }

    /// The team record a training, technology, visit or demand links.
    pub fn team_id(&self) -> Option<Uuid> {
        match self.shown(Field::TeamId) {
            Some(Shown::Id(id)) => id,
            _ => None,
        }
    }

    /// The demand record a training or visit answers.
    pub fn demand_id(&self) -> Option<Uuid> {
        match self.shown(Field::DemandId) {
            Some(Shown::Id(id)) => id,
            _ => None,
        }
    }

    /// The technology records a training or visit concerns.
    pub fn technology_ids(&self) -> &[Uuid] {
        match self.shown(Field::TechnologyIds) {
            Some(Shown::Ids(ids)) => ids,
            _ => &[],
        }
    }
}

fn shown_of<K: Kind>(body: &K, field: Field) -> Option<Shown<'_>> {
    K::spec(field).map(|spec| spec.shown(body))
}

impl RecordBody {
    /// Where the record took place, for kinds that have a location.
    pub fn location(&self) -> Option<&crate::domain::GeoPoint> {
        [Field::Location, Field::SiteLocation]
            .into_iter()
            .find_map(|field| match self.shown(field) {
                Some(Shown::Location(point)) => point,
                _ => None,
            })
    }
}
