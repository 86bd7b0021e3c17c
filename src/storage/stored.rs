//! How a [`Record`] is written in localStorage: the compact form of layout 2, and the plain
//! record JSON of layout 1 (still read: for the migration, and for values left over).
//!
//! Layout 2 stores a record under `fl.r.<uuid>` as one JSON object with short names:
//!
//! | name | field | written |
//! | --- | --- | --- |
//! | `s` | `schema_version` | only when it is not 1 |
//! | `i` | `id` | only in a history entry whose id is not the record's (the key holds the id) |
//! | `c` | `created_at` | unix milliseconds; RFC 3339 text when that would lose something (an offset other than UTC, or a fraction of a millisecond) |
//! | `u` | `updated_at` | as `c`; left out when identical to `c` |
//! | `r` | `revision` | always |
//! | `d` | `device_id` | the device's index in the device table (`fl.dev`, a JSON array of ids), or the id as text when the table cannot be used |
//! | `a` | `author` | always |
//! | `o` | `owner` | only when known (records made before owners existed have none) |
//! | `x` | `deleted` | `true`, only for a tombstone |
//! | `e` | `sample` | `true`, only for sample data |
//! | `t` | `typical` | `true`, only for a record marked as a typical case |
//! | `p` | `photos` | the photo list as the export writes it, only when there are some |
//! | `tr`, `te`, `vi`, `tm`, `de` | `kind` and `data` | the body under the name of its kind (training, technology, visit, team, demand), exactly as serde writes `data` in the export |
//! | `h` | `history` | the other versions in this same form, only when there are some |
//!
//! The body is written as the domain's serde writes it, so the stored form never needs to
//! follow a change to the kinds' fields. Reading never panics: anything unexpected is an
//! error, which the store reports as a [`StoredProblemReason`]; unknown names are skipped
//! (a later version may add some).
//!
//! Layout 1's values (the record's own JSON, with `kind` and `data`) are read by the same
//! reader under their own names, so that reading the records at start carries one decoder
//! for each kind rather than two (serde's derived reader of a whole record buffers the
//! fields around its body and reads each kind a second way).

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

use crate::domain::datetime_text::{parse_rfc3339, rfc3339_text};
use crate::domain::{Kind, Record, RecordBody, RecordKind, SCHEMA_VERSION};

use super::StoredProblemReason;

/// The schema version of a stored record that does not say (`s` left out). Fixed, so that a
/// later schema version does not change the meaning of what is stored.
const DEFAULT_SCHEMA: u32 = 1;

const NANOS_PER_MILLI: i128 = 1_000_000;

/// The device table: every device id that wrote a stored record, each once, in the order
/// they first appeared. Only ever appended to, so an index keeps its meaning.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Devices {
    ids: Vec<String>,
    index: HashMap<String, u32>,
}

impl Devices {
    /// Reads the stored table (a JSON array of ids).
    pub fn parse(raw: &str) -> Result<Devices, String> {
        let ids: Vec<String> = serde_json::from_str(raw).map_err(|e| e.to_string())?;
        let mut devices = Devices::default();
        for id in ids {
            if devices.index.contains_key(&id) {
                return Err(format!("device {id:?} is listed twice"));
            }
            devices.push(id);
        }
        Ok(devices)
    }

    pub fn to_json(&self) -> String {
        // A list of strings always encodes.
        serde_json::to_string(&self.ids).unwrap_or_else(|_| "[]".to_owned())
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    pub fn get(&self, index: u64) -> Option<&str> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.ids.get(i))
            .map(String::as_str)
    }

    /// Adds a device (if new) and returns its index.
    pub fn push(&mut self, id: String) -> u32 {
        if let Some(index) = self.position(&id) {
            return index;
        }
        let index = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        self.index.insert(id.clone(), index);
        self.ids.push(id);
        index
    }

    /// True when `other` starts with every device of this table, in the same places.
    pub fn is_prefix_of(&self, other: &Devices) -> bool {
        other.ids.starts_with(&self.ids)
    }

    /// Adds every device that wrote one of these records or their history; true when one was new.
    pub fn add_writers<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) -> bool {
        let before = self.ids.len();
        for record in records {
            for version in std::iter::once(record).chain(&record.history) {
                if self.position(&version.device_id).is_none() {
                    self.push(version.device_id.clone());
                }
            }
        }
        self.ids.len() > before
    }

    /// True when a device of these records (or their history) is not in the table.
    pub fn misses_a_writer<'a>(&self, records: impl IntoIterator<Item = &'a Record>) -> bool {
        records.into_iter().any(|record| {
            std::iter::once(record)
                .chain(&record.history)
                .any(|version| self.position(&version.device_id).is_none())
        })
    }
}

// ---------------------------------------------------------------------------------------
// Layout 2: writing.

/// The stored text of a record in layout 2. A device missing from `devices` is written in full.
pub fn encode(record: &Record, devices: &Devices) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Compact {
        record,
        parent: None,
        devices,
    })
}

struct Compact<'a> {
    record: &'a Record,
    /// The id of the record whose history holds this version.
    parent: Option<Uuid>,
    devices: &'a Devices,
}

impl Serialize for Compact<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.record;
        let mut map = s.serialize_map(None)?;
        if r.schema_version != DEFAULT_SCHEMA {
            map.serialize_entry("s", &r.schema_version)?;
        }
        if self.parent.is_some_and(|parent| parent != r.id) {
            map.serialize_entry("i", &r.id)?;
        }
        map.serialize_entry("c", &Stamp(r.created_at))?;
        if !identical(r.updated_at, r.created_at) {
            map.serialize_entry("u", &Stamp(r.updated_at))?;
        }
        map.serialize_entry("r", &r.revision)?;
        match self.devices.position(&r.device_id) {
            Some(index) => map.serialize_entry("d", &index)?,
            None => map.serialize_entry("d", &r.device_id)?,
        }
        map.serialize_entry("a", &r.author)?;
        if let Some(owner) = &r.owner {
            map.serialize_entry("o", owner)?;
        }
        if r.deleted {
            map.serialize_entry("x", &true)?;
        }
        if r.sample {
            map.serialize_entry("e", &true)?;
        }
        if r.typical {
            map.serialize_entry("t", &true)?;
        }
        if !r.photos.is_empty() {
            map.serialize_entry("p", &r.photos)?;
        }
        let tag = r.body.kind().stored_tag();
        crate::with_body!(&r.body, |body| map.serialize_entry(tag, body)?);
        if !r.history.is_empty() {
            map.serialize_entry(
                "h",
                &History {
                    versions: &r.history,
                    parent: r.id,
                    devices: self.devices,
                },
            )?;
        }
        map.end()
    }
}

struct History<'a> {
    versions: &'a [Record],
    parent: Uuid,
    devices: &'a Devices,
}

impl Serialize for History<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.versions.len()))?;
        for record in self.versions {
            seq.serialize_element(&Compact {
                record,
                parent: Some(self.parent),
                devices: self.devices,
            })?;
        }
        seq.end()
    }
}

/// The same instant written the same way (the offset too).
fn identical(a: OffsetDateTime, b: OffsetDateTime) -> bool {
    a == b && a.offset() == b.offset()
}

/// A timestamp: unix milliseconds when that keeps all of it, else RFC 3339 text.
struct Stamp(OffsetDateTime);

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let nanos = self.0.unix_timestamp_nanos();
        if self.0.offset() == UtcOffset::UTC
            && nanos % NANOS_PER_MILLI == 0
            && let Ok(millis) = i64::try_from(nanos / NANOS_PER_MILLI)
        {
            return s.serialize_i64(millis);
        }
        s.serialize_str(rfc3339_text(self.0).as_str())
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        struct StampVisitor;
        impl Visitor<'_> for StampVisitor {
            type Value = Stamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("unix milliseconds or an RFC 3339 timestamp")
            }
            fn visit_i64<E: de::Error>(self, millis: i64) -> Result<Stamp, E> {
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * NANOS_PER_MILLI)
                    .map(Stamp)
                    .map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, millis: u64) -> Result<Stamp, E> {
                let millis = i64::try_from(millis).map_err(E::custom)?;
                self.visit_i64(millis)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Stamp, E> {
                parse_rfc3339(text)
                    .map(Stamp)
                    .ok_or_else(|| E::custom("not an RFC 3339 timestamp"))
            }
        }
        d.deserialize_any(StampVisitor)
    }
}

// ---------------------------------------------------------------------------------------
// Layout 2: reading, in one pass over the text.

/// Reads the layout-2 text of record `id`. Devices are looked up in `devices`.
pub fn decode(id: Uuid, raw: &str, devices: &Devices) -> Result<Record, StoredProblemReason> {
    let seed = CompactSeed {
        id: Some(id),
        devices,
        top: true,
        kind: None,
    };
    read(seed, raw)
}

/// Reads a stored record of either layout.
fn read(seed: CompactSeed, raw: &str) -> Result<Record, StoredProblemReason> {
    let unreadable = |e: serde_json::Error| StoredProblemReason::Unreadable(e.to_string());
    let mut de = serde_json::Deserializer::from_str(raw);
    let decoded = seed.deserialize(&mut de).map_err(unreadable)?;
    de.end().map_err(unreadable)?;
    match decoded {
        Decoded::Record(record) => Ok(record),
        Decoded::Newer(version) => Err(StoredProblemReason::FromNewerVersion(version)),
    }
}

// Built once per stored value and taken apart at once: boxing the record would only add an
// allocation.
#[allow(clippy::large_enum_variant)]
enum Decoded {
    Record(Record),
    /// Written with a newer schema: not read further.
    Newer(u32),
}

struct CompactSeed<'a> {
    /// The record's id (a history entry's unless it says otherwise); `None` when the value
    /// must name it (layout 1).
    id: Option<Uuid>,
    devices: &'a Devices,
    /// The record itself, not a version in its history: only here does a newer schema
    /// version stop the reading.
    top: bool,
    /// Layout 1: the record's kind, read ahead, for a `data` written before its `kind`.
    kind: Option<RecordKind>,
}

/// The names of the stored form.
enum Name {
    Schema,
    Id,
    Created,
    Updated,
    Revision,
    Device,
    Author,
    Owner,
    Deleted,
    Sample,
    Typical,
    Photos,
    /// A kind's fields, under its stored tag (`tr`, `te`, `vi`, `tm`, `de`).
    Body(RecordKind),
    History,
    /// Layout 1's body: the kind's name and, apart from it, its fields.
    Kind,
    Data,
    Other,
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        struct NameVisitor;
        impl Visitor<'_> for NameVisitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Name, E> {
                Ok(match name {
                    "s" => Name::Schema,
                    "i" => Name::Id,
                    "c" => Name::Created,
                    "u" => Name::Updated,
                    "r" => Name::Revision,
                    "d" => Name::Device,
                    "a" => Name::Author,
                    "o" => Name::Owner,
                    "x" => Name::Deleted,
                    "e" => Name::Sample,
                    "t" => Name::Typical,
                    "p" => Name::Photos,
                    "h" => Name::History,
                    // Layout 1.
                    "schema_version" => Name::Schema,
                    "id" => Name::Id,
                    "created_at" => Name::Created,
                    "updated_at" => Name::Updated,
                    "revision" => Name::Revision,
                    "device_id" => Name::Device,
                    "author" => Name::Author,
                    "owner" => Name::Owner,
                    "deleted" => Name::Deleted,
                    "sample" => Name::Sample,
                    "typical" => Name::Typical,
                    "photos" => Name::Photos,
                    "history" => Name::History,
                    "kind" => Name::Kind,
                    "data" => Name::Data,
                    // Each kind under a name of its own (schema version 2's kinds too: new
                    // names, so that the layout stays 2).
                    tag => RecordKind::ALL
                        .into_iter()
                        .find(|kind| kind.stored_tag() == tag)
                        .map_or(Name::Other, Name::Body),
                })
            }
        }
        d.deserialize_identifier(NameVisitor)
    }
}

/// `d`: an index into the device table, or the device id itself.
enum DeviceRef {
    Index(u64),
    Id(String),
}

impl<'de> Deserialize<'de> for DeviceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DeviceRef, D::Error> {
        struct DeviceVisitor;
        impl Visitor<'_> for DeviceVisitor {
            type Value = DeviceRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a device index or id")
            }
            fn visit_u64<E: de::Error>(self, index: u64) -> Result<DeviceRef, E> {
                Ok(DeviceRef::Index(index))
            }
            fn visit_str<E: de::Error>(self, id: &str) -> Result<DeviceRef, E> {
                Ok(DeviceRef::Id(id.to_owned()))
            }
            fn visit_string<E: de::Error>(self, id: String) -> Result<DeviceRef, E> {
                Ok(DeviceRef::Id(id))
            }
        }
        d.deserialize_any(DeviceVisitor)
    }
}

/// Sets a field once; a name given twice makes the value unreadable.
fn once<T, E: de::Error>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de> DeserializeSeed<'de> for CompactSeed<'_> {
    type Value = Decoded;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decoded, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CompactSeed<'_> {
    type Value = Decoded;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a stored record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded, A::Error> {
        let mut schema: Option<u32> = None;
        let mut id: Option<Uuid> = None;
        let mut created: Option<Stamp> = None;
        let mut updated: Option<Stamp> = None;
        let mut revision: Option<u32> = None;
        let mut device: Option<DeviceRef> = None;
        let mut author: Option<String> = None;
        let mut owner: Option<String> = None;
        let mut deleted: Option<bool> = None;
        let mut sample: Option<bool> = None;
        let mut typical: Option<bool> = None;
        let mut photos: Option<Vec<crate::domain::photo::PhotoRef>> = None;
        let mut body: Option<RecordBody> = None;
        // Layout 1: the kind named, and the kind `data` was read as.
        let mut kind: Option<RecordKind> = None;
        let mut data: Option<RecordKind> = None;
        let mut history: Option<Vec<Record>> = None;
        let mut newer: Option<u32> = None;
        while let Some(name) = map.next_key::<Name>()? {
            if newer.is_some() {
                // A newer record: what follows may not read with today's types.
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match name {
                Name::Schema => {
                    let version: u64 = map.next_value()?;
                    let version = u32::try_from(version).unwrap_or(u32::MAX);
                    if self.top && version > SCHEMA_VERSION {
                        newer = Some(version);
                    }
                    once(&mut schema, version, "s")?;
                }
                Name::Id => once(&mut id, map.next_value()?, "i")?,
                Name::Created => once(&mut created, map.next_value()?, "c")?,
                Name::Updated => once(&mut updated, map.next_value()?, "u")?,
                Name::Revision => once(&mut revision, map.next_value()?, "r")?,
                Name::Device => once(&mut device, map.next_value()?, "d")?,
                Name::Author => once(&mut author, map.next_value()?, "a")?,
                Name::Owner => once(&mut owner, map.next_value()?, "o")?,
                Name::Deleted => once(&mut deleted, map.next_value()?, "x")?,
                Name::Sample => once(&mut sample, map.next_value()?, "e")?,
                Name::Typical => once(&mut typical, map.next_value()?, "t")?,
                Name::Photos => once(&mut photos, map.next_value()?, "p")?,
                Name::Body(kind) => once(
                    &mut body,
                    crate::with_kind!(kind, K => map.next_value::<K>()?.into_body()),
                    "a body",
                )?,
                Name::Kind => {
                    let name: String = map.next_value()?;
                    let named = kind_named(&name)
                        .ok_or_else(|| de::Error::unknown_variant(&name, &["a record kind"]))?;
                    once(&mut kind, named, "kind")?;
                }
                Name::Data => {
                    let as_kind = kind
                        .or(self.kind)
                        .ok_or_else(|| de::Error::missing_field("kind"))?;
                    once(&mut data, as_kind, "data")?;
                    once(
                        &mut body,
                        crate::with_kind!(as_kind, K => map.next_value::<K>()?.into_body()),
                        "a body",
                    )?;
                }
                Name::History => {
                    let seed = HistorySeed {
                        parent: id.or(self.id),
                        devices: self.devices,
                        kind: self.kind,
                    };
                    once(&mut history, map.next_value_seed(seed)?, "h")?;
                }
                Name::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(version) = newer {
            return Ok(Decoded::Newer(version));
        }
        if data.is_some() && kind != data {
            return Err(de::Error::custom("`kind` does not name the kind of `data`"));
        }
        let created = created.ok_or_else(|| de::Error::missing_field("c"))?.0;
        let device_id = match device.ok_or_else(|| de::Error::missing_field("d"))? {
            DeviceRef::Id(id) => id,
            DeviceRef::Index(index) => self
                .devices
                .get(index)
                .ok_or_else(|| {
                    de::Error::custom(format!("device {index} is not in the device table"))
                })?
                .to_owned(),
        };
        Ok(Decoded::Record(Record {
            id: id
                .or(self.id)
                .ok_or_else(|| de::Error::missing_field("id"))?,
            created_at: created,
            updated_at: updated.map_or(created, |u| u.0),
            revision: revision.ok_or_else(|| de::Error::missing_field("r"))?,
            device_id,
            author: author.ok_or_else(|| de::Error::missing_field("a"))?,
            owner,
            photos: photos.unwrap_or_default(),
            schema_version: schema.unwrap_or(DEFAULT_SCHEMA),
            deleted: deleted.unwrap_or(false),
            sample: sample.unwrap_or(false),
            typical: typical.unwrap_or(false),
            body: body.ok_or_else(|| de::Error::missing_field("tr, te, vi, tm or de"))?,
            history: history.unwrap_or_default(),
        }))
    }
}

struct HistorySeed<'a> {
    parent: Option<Uuid>,
    devices: &'a Devices,
    kind: Option<RecordKind>,
}

impl<'de> DeserializeSeed<'de> for HistorySeed<'_> {
    type Value = Vec<Record>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Record>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for HistorySeed<'_> {
    type Value = Vec<Record>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of versions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Record>, A::Error> {
        let mut versions = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        let seed = || CompactSeed {
            id: self.parent,
            devices: self.devices,
            top: false,
            kind: self.kind,
        };
        while let Some(decoded) = seq.next_element_seed(seed())? {
            match decoded {
                Decoded::Record(record) => versions.push(record),
                // Only the record itself stops at a newer schema version.
                Decoded::Newer(_) => return Err(de::Error::custom("a newer version in history")),
            }
        }
        Ok(versions)
    }
}

// ---------------------------------------------------------------------------------------
// Layout 1.

/// The layout-1 text of a record: the record's own JSON, as in the export.
pub fn encode_v1(record: &Record) -> Result<String, serde_json::Error> {
    serde_json::to_string(record)
}

/// Reads a layout-1 value stored under the key of id `id_in_key` (by layout 2's reader, which
/// knows layout 1's names).
pub fn decode_v1(id_in_key: &str, raw: &str) -> Result<Record, StoredProblemReason> {
    // Look at the schema version first: a newer record may not parse with today's types,
    // and must be reported as newer rather than as damaged; and at the kind, which may be
    // written after the kind's fields. (A quick scan: nothing else of the value is kept.)
    #[derive(Default, Deserialize)]
    struct Peek {
        #[serde(default)]
        schema_version: Option<u64>,
        #[serde(default)]
        kind: Option<String>,
    }
    let peek = raw
        .trim_start()
        .starts_with('{')
        .then(|| serde_json::from_str::<Peek>(raw).ok())
        .flatten()
        .unwrap_or_default();
    if let Some(version) = peek.schema_version
        && version > u64::from(SCHEMA_VERSION)
    {
        return Err(StoredProblemReason::FromNewerVersion(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let seed = CompactSeed {
        id: None,
        // Layout 1 has no device table: devices are named in full.
        devices: &Devices::default(),
        top: true,
        kind: peek.kind.as_deref().and_then(kind_named),
    };
    let record = read(seed, raw)?;
    if record.id.to_string() != id_in_key {
        return Err(StoredProblemReason::IdMismatch);
    }
    Ok(record)
}

/// The kind of this name in layout 1 (`kind`).
fn kind_named(name: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|kind| kind.name() == name)
}

/// The id in a record key's tail, when it is one written by this app (lower-case, hyphenated).
pub fn key_id(tail: &str) -> Option<Uuid> {
    Uuid::parse_str(tail)
        .ok()
        .filter(|id| id.hyphenated().to_string() == tail)
}
