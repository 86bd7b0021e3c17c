//! Dates and times as text: `yyyy-mm-dd`, `HH:MM` and RFC 3339 timestamps, read and written
//! by hand. `time`'s general formatting and parsing machinery costs about 10 KB of
//! compressed wasm for these few fixed formats.
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A date or timestamp as text, on the stack: an export writes 30 000 of them, and a `String`
/// each would be as many heap allocations.
#[derive(Clone, Copy)]
pub struct ShortText {
    bytes: [u8; 35],
    len: usize,
}

impl ShortText {
    fn new() -> Self {
        ShortText {
            bytes: [0; 35],
            len: 0,
        }
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// `n` in decimal, zero-padded to `width` digits.
    fn push_num(&mut self, n: u32, width: u32) {
        let mut div = 10u32.pow(width - 1);
        while div > 0 {
            self.push(b'0' + ((n / div) % 10) as u8);
            div /= 10;
        }
    }

    fn push_date(&mut self, d: Date) {
        self.push_num(d.year().max(0) as u32, 4);
        self.push(b'-');
        self.push_num(u8::from(d.month()) as u32, 2);
        self.push(b'-');
        self.push_num(d.day() as u32, 2);
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and punctuation are ever pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// `yyyy-mm-dd`.
pub fn date_text(d: Date) -> ShortText {
    let mut s = ShortText::new();
    s.push_date(d);
    s
}

/// `HH:MM`.
pub fn time_text(t: Time) -> ShortText {
    let mut s = ShortText::new();
    s.push_num(t.hour() as u32, 2);
    s.push(b':');
    s.push_num(t.minute() as u32, 2);
    s
}

/// RFC 3339 with `Z` for UTC and the fraction of a second only when there is one, trailing
/// zeros dropped (as `time`'s own RFC 3339 formatter writes it).
pub fn rfc3339_text(dt: OffsetDateTime) -> ShortText {
    let mut s = ShortText::new();
    s.push_date(dt.date());
    s.push(b'T');
    let (h, m, sec, ns) = dt.to_hms_nano();
    s.push_num(h as u32, 2);
    s.push(b':');
    s.push_num(m as u32, 2);
    s.push(b':');
    s.push_num(sec as u32, 2);
    if ns != 0 {
        s.push(b'.');
        let (mut n, mut w) = (ns, 9);
        while n % 10 == 0 {
            n /= 10;
            w -= 1;
        }
        s.push_num(n, w);
    }
    let off = dt.offset();
    if off.is_utc() {
        s.push(b'Z');
    } else {
        let (oh, om, _) = off.as_hms();
        s.push(if off.is_negative() { b'-' } else { b'+' });
        s.push_num(oh.unsigned_abs() as u32, 2);
        s.push(b':');
        s.push_num(om.unsigned_abs() as u32, 2);
    }
    s
}

/// `yyyy-mm-dd`.
pub fn format_date(d: Date) -> String {
    date_text(d).as_str().to_owned()
}

/// `HH:MM`.
pub fn format_time(t: Time) -> String {
    time_text(t).as_str().to_owned()
}

/// See [`rfc3339_text`].
pub fn format_rfc3339(dt: OffsetDateTime) -> String {
    rfc3339_text(dt).as_str().to_owned()
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (c - b'0') as u32;
    }
    Some(n)
}

fn date_of(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let month = Month::try_from(num(&b[5..7])? as u8).ok()?;
    Date::from_calendar_date(num(&b[0..4])? as i32, month, num(&b[8..10])? as u8).ok()
}

/// `yyyy-mm-dd`, nothing else.
pub fn parse_date(s: &str) -> Option<Date> {
    date_of(s.as_bytes())
}

/// `HH:MM` or `HH:MM:SS`.
pub fn parse_time(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let sec = match b.len() {
        5 => 0,
        8 if b[5] == b':' => num(&b[6..8])?,
        _ => return None,
    };
    Time::from_hms(num(&b[0..2])? as u8, num(&b[3..5])? as u8, sec as u8).ok()
}

/// An RFC 3339 timestamp: `T` (or `t`, or a space) between date and time, an optional
/// fraction of a second (digits past the ninth ignored), `Z` or a `±hh:mm` offset.
pub fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = date_of(&b[..10])?;
    let (h, m, sec) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
    let mut i = 19;
    let mut ns = 0u32;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                ns = ns * 10 + (b[i] - b'0') as u32;
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        for _ in digits..9 {
            ns *= 10;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => UtcOffset::UTC,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (oh, om) = (num(&b[i + 1..i + 3])? as i8, num(&b[i + 4..i + 6])? as i8);
            let k = if *sign == b'-' { -1 } else { 1 };
            UtcOffset::from_hms(k * oh, k * om, 0).ok()?
        }
        _ => return None,
    };
    let time = Time::from_hms_nano(h as u8, m as u8, sec as u8, ns).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// Serde for `OffsetDateTime` as RFC 3339 text (`#[serde(with = "...::rfc3339")]`).
pub mod rfc3339 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::OffsetDateTime;
    pub fn serialize<S: Serializer>(v: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::rfc3339_text(*v).as_str())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_rfc3339(&text).ok_or_else(|| D::Error::custom("not an RFC 3339 date-time"))
    }
    /// The same for `Option<OffsetDateTime>`, `null` for none.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer, de::Error};
        use time::OffsetDateTime;
        pub fn serialize<S: Serializer>(
            v: &Option<OffsetDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => s.serialize_str(super::super::rfc3339_text(*v).as_str()),
                None => s.serialize_none(),
            }
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|t| {
                    super::super::parse_rfc3339(&t)
                        .ok_or_else(|| D::Error::custom("not an RFC 3339 date-time"))
                })
                .transpose()
        }
    }
}
