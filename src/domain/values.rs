//! Values that several record kinds share: a place, a GPS point, and how dates and clock
//! times are written in records.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// County (or park), township and village. Only the county is picked from a list.
/// Fields in alphabetical order: see [`Record`](super::Record).
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

/// A position from the tablet's GPS (or typed in), in WGS 84 degrees.
/// Fields in alphabetical order: see [`Record`](super::Record).
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

/// Serde for dates as exactly `"yyyy-mm-dd"` and clock times as exactly `"HH:MM"` (nothing
/// around them: what a form accepts with spaces is trimmed before it becomes a record).
/// Hand-written over `Option<String>` because records are read through serde's buffered
/// content (the flattened, adjacently tagged body), where `time`'s own option helpers do not
/// accept `null`.
pub(crate) mod text_value {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::{Date, Time};

    use crate::domain::datetime_text::{self, ShortText};

    /// How one kind of value reads and writes as text.
    pub struct Format<T> {
        pub parse: fn(&str) -> Option<T>,
        pub write: fn(T) -> ShortText,
        pub expected: &'static str,
    }

    pub const DATE: Format<Date> = Format {
        parse: datetime_text::parse_date,
        write: datetime_text::date_text,
        expected: "a yyyy-mm-dd date",
    };

    pub const TIME: Format<Time> = Format {
        parse: datetime_text::parse_time,
        write: datetime_text::time_text,
        expected: "an HH:MM time",
    };

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

pub(crate) mod iso_date {
    use serde::{Deserializer, Serializer, de::Error};
    use time::Date;

    use super::text_value;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        text_value::serialize(&Some(*date), s, text_value::DATE)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        text_value::deserialize(d, text_value::DATE)?
            .ok_or_else(|| D::Error::custom("a date is required"))
    }
}

pub(crate) mod iso_date_opt {
    use serde::{Deserializer, Serializer};
    use time::Date;

    use super::text_value;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        text_value::serialize(date, s, text_value::DATE)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        text_value::deserialize(d, text_value::DATE)
    }
}

pub(crate) mod clock_time_opt {
    use serde::{Deserializer, Serializer};
    use time::Time;

    use super::text_value;

    pub fn serialize<S: Serializer>(time: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        text_value::serialize(time, s, text_value::TIME)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        text_value::deserialize(d, text_value::TIME)
    }
}
