//! The period a dashboard or report covers: the bureau's own periods of a year (上半年,
//! 下半年, the quarters, the whole year, the year so far) or any dates, as an address keeps it
//! (`?period=h1&year=2022`, or `?from=2022-03-01&to=2022-05-31`).

use time::{Date, Month, util::days_in_year};

use super::datetime_text::{format_date, parse_date};

/// The periods of a year the bureau reports on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// 上半年: January to June.
    FirstHalf,
    /// 下半年: July to December.
    SecondHalf,
    /// 第一季度 … 第四季度 (1 to 4).
    Quarter(u8),
    /// 全年.
    Year,
    /// 截至今日: from 1 January to today (the whole year once it is over).
    YearToDate,
}

impl Preset {
    pub const ALL: [Preset; 8] = [
        Preset::FirstHalf,
        Preset::SecondHalf,
        Preset::Quarter(1),
        Preset::Quarter(2),
        Preset::Quarter(3),
        Preset::Quarter(4),
        Preset::Year,
        Preset::YearToDate,
    ];

    /// The name in an address.
    pub fn slug(self) -> &'static str {
        match self {
            Preset::FirstHalf => "h1",
            Preset::SecondHalf => "h2",
            Preset::Quarter(1) => "q1",
            Preset::Quarter(2) => "q2",
            Preset::Quarter(3) => "q3",
            Preset::Quarter(_) => "q4",
            Preset::Year => "year",
            Preset::YearToDate => "ytd",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.slug() == slug)
    }

    /// First and last month.
    fn months(self) -> (u8, u8) {
        match self {
            Preset::FirstHalf => (1, 6),
            Preset::SecondHalf => (7, 12),
            Preset::Quarter(q) => {
                let q = q.clamp(1, 4);
                (q * 3 - 2, q * 3)
            }
            Preset::Year | Preset::YearToDate => (1, 12),
        }
    }
}

/// A span of days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    /// The bureau's name for it, when it is one of a year's periods.
    pub preset: Option<(i32, Preset)>,
}

fn first_of(year: i32, month: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, 1).ok()
}

fn last_of(year: i32, month: u8) -> Option<Date> {
    let month = Month::try_from(month).ok()?;
    Date::from_calendar_date(year, month, month.length(year)).ok()
}

impl Period {
    /// One of a year's periods; `today` only matters for the year so far.
    pub fn preset(year: i32, preset: Preset, today: Date) -> Option<Period> {
        let (first, last) = preset.months();
        let from = first_of(year, first)?;
        let mut to = last_of(year, last)?;
        if preset == Preset::YearToDate && today.year() == year {
            to = today;
        }
        Some(Period {
            from,
            to,
            preset: Some((year, preset)),
        })
    }

    /// Any dates (swapped if given the wrong way round).
    pub fn custom(from: Date, to: Date) -> Period {
        Period {
            from: from.min(to),
            to: from.max(to),
            preset: None,
        }
    }

    /// The half-year `today` is in: the default period.
    pub fn current_half(today: Date) -> Period {
        let preset = if u8::from(today.month()) <= 6 {
            Preset::FirstHalf
        } else {
            Preset::SecondHalf
        };
        Period::preset(today.year(), preset, today).unwrap_or(Period::custom(today, today))
    }

    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// The year the period belongs to, when it lies within one.
    pub fn year(&self) -> Option<i32> {
        (self.from.year() == self.to.year()).then_some(self.to.year())
    }

    /// The year's span from 1 January to the period's end (累计): what the bureau judges an
    /// annual target by, whatever the period. The period itself when it starts on 1 January;
    /// `None` across years (no annual comparison).
    pub fn year_so_far(&self) -> Option<Period> {
        let from = first_of(self.year()?, 1)?;
        Some(if self.from == from {
            *self
        } else {
            Period {
                from,
                to: self.to,
                preset: None,
            }
        })
    }

    /// Whether the period ends on 31 December: its year's targets are then judged in full.
    pub fn ends_year(&self) -> bool {
        u8::from(self.to.month()) == 12 && self.to.day() == 31
    }

    /// Whether the period runs past `today` (its figures are still growing).
    pub fn is_open(&self, today: Date) -> bool {
        self.to > today
    }

    /// The same period one year earlier (29 February becomes the 28th), with its name.
    pub fn year_before(&self) -> Period {
        let back = |d: Date| {
            Date::from_calendar_date(d.year() - 1, d.month(), d.day())
                .or_else(|_| Date::from_calendar_date(d.year() - 1, d.month(), 28))
                .unwrap_or(d)
        };
        Period {
            from: back(self.from),
            to: back(self.to),
            preset: self.preset.map(|(year, preset)| (year - 1, preset)),
        }
    }

    /// The share of the year elapsed at the end of the period, or at the end of `today` while
    /// the period is open: what "时间过半" measures. `None` across years.
    pub fn elapsed_share(&self, today: Date) -> Option<Share> {
        let year = self.year()?;
        let end = self.to.min(today);
        let days = days_in_year(year);
        let elapsed = if end.year() < year { 0 } else { end.ordinal() };
        Some(Share { elapsed, of: days })
    }

    /// The address's query for this period.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        match self.preset {
            Some((year, preset)) => vec![
                ("period", preset.slug().to_owned()),
                ("year", year.to_string()),
            ],
            None => vec![
                ("from", format_date(self.from)),
                ("to", format_date(self.to)),
            ],
        }
    }

    /// Reads `period` + `year`, or `from` + `to`; anything missing or unreadable gives the
    /// current half-year (a bookmark never breaks the page).
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        today: Date,
    ) -> Period {
        let (mut preset, mut year, mut from, mut to) = (None, None, None, None);
        for (key, value) in pairs {
            match key {
                "period" => preset = Preset::from_slug(value),
                "year" => {
                    year = value
                        .parse::<i32>()
                        .ok()
                        .filter(|y| (2000..=9999).contains(y))
                }
                "from" => from = parse_date(value),
                "to" => to = parse_date(value),
                _ => {}
            }
        }
        match (preset, year, from, to) {
            (Some(preset), year, _, _) => {
                Period::preset(year.unwrap_or(today.year()), preset, today)
            }
            (None, Some(year), None, None) => Period::preset(year, Preset::Year, today),
            (None, _, Some(from), Some(to)) => Some(Period::custom(from, to)),
            _ => None,
        }
        .unwrap_or_else(|| Period::current_half(today))
    }
}

/// Days of a year elapsed, of all its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub elapsed: u16,
    pub of: u16,
}

impl Share {
    /// In whole percent, rounded down.
    pub fn percent(self) -> u32 {
        u32::from(self.elapsed) * 100 / u32::from(self.of.max(1))
    }

    /// What `target` asks for by now, rounded up to a whole unit (no fractions of a 人次).
    pub fn expected(self, target: u32) -> u32 {
        let scaled = u64::from(target) * u64::from(self.elapsed);
        u32::try_from(scaled.div_ceil(u64::from(self.of.max(1)))).unwrap_or(u32::MAX)
    }
}
