//! Progress against the year's targets: the counting rules of the dashboard.
//!
//! Counting rules:
//! - Deleted records (tombstones) never count. Sample records do count (they exist to explore
//!   the dashboard); nothing else is special about them.
//! - A training counts in the year, month and county (`place.county`) of its date. Attendance
//!   sums its 人次; households sums the households where given.
//! - A technology counts as introduced, demonstrated or promoted in the year of its
//!   `introduced_on`, `demonstrated_on` or `promoted_on` date (the stage date, whatever its
//!   current stage), in its county, in the month of that date. "Technologies promoted" (the
//!   target) are the technologies promoted in the year; "demonstrations" are the technologies
//!   demonstrated in the year. Demo area (亩) sums the demo areas of the technologies
//!   demonstrated in the year; promoted area sums the promoted areas of those promoted in the
//!   year. A technology's households count in the year it was promoted.
//! - A visit counts in the year, month and county (`place.county`) of its date. Commissioners
//!   are the distinct names (trimmed, non-empty) across the year's visits; hosts likewise.
//! - Households reached = training households + households of the technologies promoted in
//!   the year.
//! - A record without a county counts in a bucket of its own ("not given"), listed last.
//!
//! Pace against a target: `expected_by_now = target × share of the year elapsed` (by the end
//! of today, leap years included). A target reached is `Done`; a past year not reached is
//! `Closed`; otherwise the count is `Behind` when below `expected_by_now`, `OnPace` when it
//! equals `expected_by_now` rounded up, and `Ahead` when above that.

use std::collections::{BTreeMap, BTreeSet};

use time::{Date, util::days_in_year};

use super::ledger::Ledger;
use super::record::{Record, RecordBody};
use super::settings::{DEFAULT_COUNTIES, YearTargets};

/// The year's figures for the whole ledger.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct YearTotals {
    pub year: i32,
    pub trainings: u32,
    /// 人次.
    pub attendance: u32,
    pub technologies_introduced: u32,
    pub technologies_demonstrated: u32,
    pub technologies_promoted: u32,
    /// 亩.
    pub demo_area_mu: f64,
    /// 亩.
    pub promoted_area_mu: f64,
    pub visits: u32,
    /// Distinct commissioner names across the year's visits.
    pub commissioners: u32,
    /// Distinct hosts across the year's visits.
    pub hosts: u32,
    /// 户: training households plus the households of technologies promoted in the year.
    pub households: u32,
}

/// One county's figures for a year. `county` is empty for records without one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountyRow {
    pub county: String,
    pub trainings: u32,
    pub attendance: u32,
    pub technologies_promoted: u32,
    pub demonstrations: u32,
    pub visits: u32,
}

/// One month's figures for a year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthRow {
    /// 1..=12.
    pub month: u8,
    pub trainings: u32,
    pub attendance: u32,
    pub technologies_promoted: u32,
    pub demonstrations: u32,
    pub visits: u32,
}

/// What one dated fact adds to a county or month row.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    trainings: u32,
    attendance: u32,
    technologies_promoted: u32,
    demonstrations: u32,
    visits: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.trainings = self.trainings.saturating_add(other.trainings);
        self.attendance = self.attendance.saturating_add(other.attendance);
        self.technologies_promoted = self
            .technologies_promoted
            .saturating_add(other.technologies_promoted);
        self.demonstrations = self.demonstrations.saturating_add(other.demonstrations);
        self.visits = self.visits.saturating_add(other.visits);
    }

    fn is_zero(&self) -> bool {
        self.trainings == 0
            && self.attendance == 0
            && self.technologies_promoted == 0
            && self.demonstrations == 0
            && self.visits == 0
    }
}

fn live(ledger: &Ledger) -> impl Iterator<Item = &Record> {
    ledger.all().filter(|r| !r.deleted)
}

/// An area that can be added up: imported files may carry anything, validation would not.
fn area(value: Option<f64>) -> f64 {
    value.filter(|a| a.is_finite() && *a >= 0.0).unwrap_or(0.0)
}

/// Calls `f` with (date, county, tally) for every fact of a live record that the county and
/// month tables count. Technologies that were only introduced add nothing to these tables.
fn for_each_fact<'a>(ledger: &'a Ledger, mut f: impl FnMut(Date, &'a str, Tally)) {
    for record in live(ledger) {
        match &record.body {
            RecordBody::Training(t) => f(
                t.date,
                &t.place.county,
                Tally {
                    trainings: 1,
                    attendance: t.attendance,
                    ..Tally::default()
                },
            ),
            RecordBody::Technology(t) => {
                if let Some(date) = t.demonstrated_on {
                    let tally = Tally {
                        demonstrations: 1,
                        ..Tally::default()
                    };
                    f(date, &t.county, tally);
                }
                if let Some(date) = t.promoted_on {
                    let tally = Tally {
                        technologies_promoted: 1,
                        ..Tally::default()
                    };
                    f(date, &t.county, tally);
                }
            }
            RecordBody::Visit(v) => f(
                v.date,
                &v.place.county,
                Tally {
                    visits: 1,
                    ..Tally::default()
                },
            ),
        }
    }
}

pub fn year_totals(ledger: &Ledger, year: i32) -> YearTotals {
    let in_year = |date: Option<Date>| date.is_some_and(|d| d.year() == year);
    let mut totals = YearTotals {
        year,
        ..YearTotals::default()
    };
    let mut commissioners = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    for record in live(ledger) {
        match &record.body {
            RecordBody::Training(t) if t.date.year() == year => {
                totals.trainings = totals.trainings.saturating_add(1);
                totals.attendance = totals.attendance.saturating_add(t.attendance);
                totals.households = totals.households.saturating_add(t.households.unwrap_or(0));
            }
            RecordBody::Technology(t) => {
                if in_year(t.introduced_on) {
                    totals.technologies_introduced =
                        totals.technologies_introduced.saturating_add(1);
                }
                if in_year(t.demonstrated_on) {
                    totals.technologies_demonstrated =
                        totals.technologies_demonstrated.saturating_add(1);
                    totals.demo_area_mu += area(t.demo_area_mu);
                }
                if in_year(t.promoted_on) {
                    totals.technologies_promoted = totals.technologies_promoted.saturating_add(1);
                    totals.promoted_area_mu += area(t.promoted_area_mu);
                    totals.households = totals.households.saturating_add(t.households.unwrap_or(0));
                }
            }
            RecordBody::Visit(v) if v.date.year() == year => {
                totals.visits = totals.visits.saturating_add(1);
                commissioners.extend(
                    v.commissioners
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty()),
                );
                let host = v.host.trim();
                if !host.is_empty() {
                    hosts.insert(host);
                }
            }
            _ => {}
        }
    }
    totals.commissioners = u32::try_from(commissioners.len()).unwrap_or(u32::MAX);
    totals.hosts = u32::try_from(hosts.len()).unwrap_or(u32::MAX);
    totals
}

/// Where a county sorts: default counties in their list order, then other names
/// alphabetically, then "not given".
fn county_rank(county: &str) -> (u8, usize, &str) {
    if county.is_empty() {
        return (2, 0, county);
    }
    match DEFAULT_COUNTIES
        .iter()
        .position(|(name, _)| *name == county)
    {
        Some(i) => (0, i, ""),
        None => (1, 0, county),
    }
}

/// Counties in this order: the default counties (settings::DEFAULT_COUNTIES order) that have
/// any figure, then other names alphabetically, then "" (not given) last. Only counties with a
/// non-zero figure.
pub fn by_county(ledger: &Ledger, year: i32) -> Vec<CountyRow> {
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for_each_fact(ledger, |date, county, tally| {
        if date.year() == year {
            tallies.entry(county).or_default().add(tally);
        }
    });
    let mut rows: Vec<(&str, Tally)> = tallies.into_iter().filter(|(_, t)| !t.is_zero()).collect();
    rows.sort_by(|a, b| county_rank(a.0).cmp(&county_rank(b.0)));
    rows.into_iter()
        .map(|(county, t)| CountyRow {
            county: county.to_owned(),
            trainings: t.trainings,
            attendance: t.attendance,
            technologies_promoted: t.technologies_promoted,
            demonstrations: t.demonstrations,
            visits: t.visits,
        })
        .collect()
}

/// The year month by month: always 12 rows, January first.
pub fn by_month(ledger: &Ledger, year: i32) -> Vec<MonthRow> {
    let mut tallies = [Tally::default(); 12];
    for_each_fact(ledger, |date, _, tally| {
        if date.year() == year {
            // Month numbers are 1..=12, so the index is always in range.
            if let Some(slot) = tallies.get_mut(usize::from(u8::from(date.month())) - 1) {
                slot.add(tally);
            }
        }
    });
    (1u8..=12)
        .zip(tallies)
        .map(|(month, t)| MonthRow {
            month,
            trainings: t.trainings,
            attendance: t.attendance,
            technologies_promoted: t.technologies_promoted,
            demonstrations: t.demonstrations,
            visits: t.visits,
        })
        .collect()
}

/// What a target line measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    Trainings,
    Attendance,
    TechnologiesPromoted,
    Demonstrations,
    Visits,
}

impl Measure {
    /// The name used in page markup and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Measure::Trainings => "trainings",
            Measure::Attendance => "attendance",
            Measure::TechnologiesPromoted => "technologies-promoted",
            Measure::Demonstrations => "demonstrations",
            Measure::Visits => "visits",
        }
    }

    pub const ALL: [Measure; 5] = [
        Measure::Trainings,
        Measure::Attendance,
        Measure::TechnologiesPromoted,
        Measure::Demonstrations,
        Measure::Visits,
    ];

    /// The year's count for this measure.
    pub fn done(self, totals: &YearTotals) -> u32 {
        match self {
            Measure::Trainings => totals.trainings,
            Measure::Attendance => totals.attendance,
            Measure::TechnologiesPromoted => totals.technologies_promoted,
            Measure::Demonstrations => totals.technologies_demonstrated,
            Measure::Visits => totals.visits,
        }
    }

    /// The year's target for this measure, if one is set.
    pub fn target(self, targets: &YearTargets) -> Option<u32> {
        match self {
            Measure::Trainings => Some(targets.trainings),
            Measure::Attendance => Some(targets.attendance),
            Measure::TechnologiesPromoted => Some(targets.technologies_promoted),
            Measure::Demonstrations => targets.demonstrations,
            Measure::Visits => targets.visits,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Above the pro-rata figure for today (rounded up).
    Ahead,
    /// Exactly the pro-rata figure for today, rounded up.
    OnPace,
    /// Below the pro-rata figure for today.
    Behind,
    /// The target is reached.
    Done,
    /// A past year whose target was not reached.
    Closed,
}

/// One target line: done vs target and the pro-rata pace for `today`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetProgress {
    pub measure: Measure,
    pub done: u32,
    pub target: u32,
    /// `done × 100 / target`, rounded down (may pass 100); 0 when the target is 0.
    pub percent: u32,
    /// `target × pace_fraction(year, today)`.
    pub expected_by_now: f64,
    pub pace: Pace,
}

/// Days of `year` elapsed by the end of `today`, and the days in the year.
fn elapsed_days(year: i32, today: Date) -> (u16, u16) {
    let days = days_in_year(year);
    let elapsed = match today.year().cmp(&year) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Equal => today.ordinal(),
        std::cmp::Ordering::Greater => days,
    };
    (elapsed, days)
}

/// Share of the year elapsed by the END of `today`: 0.0 before the year, 1.0 after it;
/// day-of-year / days-in-year (366 in leap years).
pub fn pace_fraction(year: i32, today: Date) -> f64 {
    let (elapsed, days) = elapsed_days(year, today);
    f64::from(elapsed) / f64::from(days)
}

fn line(measure: Measure, done: u32, target: u32, year: i32, today: Date) -> TargetProgress {
    let (elapsed, days) = elapsed_days(year, today);
    let percent = if target == 0 {
        0
    } else {
        u32::try_from(u64::from(done) * 100 / u64::from(target)).unwrap_or(u32::MAX)
    };
    // Whole-number arithmetic for the threshold, so 10 × 73/365 is exactly 2, not 2.0000001.
    let scaled = u64::from(target) * u64::from(elapsed);
    let needed = scaled.div_ceil(u64::from(days));
    let pace = if done >= target {
        Pace::Done
    } else if today.year() > year {
        Pace::Closed
    } else {
        match u64::from(done).cmp(&needed) {
            std::cmp::Ordering::Less => Pace::Behind,
            std::cmp::Ordering::Equal => Pace::OnPace,
            std::cmp::Ordering::Greater => Pace::Ahead,
        }
    };
    TargetProgress {
        measure,
        done,
        target,
        percent,
        expected_by_now: scaled as f64 / f64::from(days),
        pace,
    }
}

/// Trainings, attendance and technologies promoted always; demonstrations and visits only when
/// the year's targets set them. The pace is reckoned for the totals' year.
pub fn target_progress(
    totals: &YearTotals,
    targets: &YearTargets,
    today: Date,
) -> Vec<TargetProgress> {
    Measure::ALL
        .into_iter()
        .filter_map(|measure| {
            let target = measure.target(targets)?;
            Some(line(
                measure,
                measure.done(totals),
                target,
                totals.year,
                today,
            ))
        })
        .collect()
}

/// Years that have any dated record (live), plus the current year, newest first — for the
/// year picker. A technology brings the years of all its stage dates.
pub fn years(ledger: &Ledger, today: Date) -> Vec<i32> {
    let mut years = BTreeSet::from([today.year()]);
    for record in live(ledger) {
        match &record.body {
            RecordBody::Training(t) => {
                years.insert(t.date.year());
            }
            RecordBody::Technology(t) => {
                years.extend(
                    [t.introduced_on, t.demonstrated_on, t.promoted_on]
                        .into_iter()
                        .flatten()
                        .map(|d| d.year()),
                );
            }
            RecordBody::Visit(v) => {
                years.insert(v.date.year());
            }
        }
    }
    years.into_iter().rev().collect()
}

/// The technologies promoted in `year` (by their 推广应用 date), in date order: the
/// summary's list.
pub fn technologies_promoted_in(ledger: &Ledger, year: i32) -> Vec<&Record> {
    let mut list: Vec<&Record> = live(ledger)
        .filter(|r| match &r.body {
            RecordBody::Technology(t) => t.promoted_on.is_some_and(|d| d.year() == year),
            _ => false,
        })
        .collect();
    list.sort_by_key(|r| (r.date(), r.id));
    list
}

/// The trainings held in `year`, in date order: the summary's list.
pub fn trainings_in(ledger: &Ledger, year: i32) -> Vec<&Record> {
    let mut list: Vec<&Record> = live(ledger)
        .filter(|r| match &r.body {
            RecordBody::Training(t) => t.date.year() == year,
            _ => false,
        })
        .collect();
    list.sort_by_key(|r| (r.date(), r.id));
    list
}

/// One target line of a period: what the period did against the year's target, and the
/// pace at the period's end (or today, while it runs), in whole units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetLine {
    pub measure: Measure,
    pub done: u32,
    pub target: u32,
    /// `done × 100 / target`, rounded down (may pass 100); 0 when the target is 0.
    pub percent: u32,
    /// What the target asks for by the period's end (rounded up to a whole unit).
    pub expected: u32,
    pub pace: Pace,
}

impl Measure {
    /// The period's count for this measure.
    pub fn of(self, totals: &super::totals::Totals) -> u32 {
        match self {
            Measure::Trainings => totals.trainings,
            Measure::Attendance => totals.attendance,
            Measure::TechnologiesPromoted => totals.technologies_promoted,
            Measure::Demonstrations => totals.technologies_demonstrated,
            Measure::Visits => totals.visits,
        }
    }
}

/// The target lines of a period within one year: trainings, attendance and technologies
/// promoted always, demonstrations and visits when the year's targets set them. `closed`
/// says the period's year is over (a target not reached then is [`Pace::Closed`]).
pub fn target_lines(
    totals: &super::totals::Totals,
    targets: &YearTargets,
    share: super::period::Share,
    closed: bool,
) -> Vec<TargetLine> {
    Measure::ALL
        .into_iter()
        .filter_map(|measure| {
            let target = measure.target(targets)?;
            let done = measure.of(totals);
            let expected = share.expected(target);
            let pace = if done >= target {
                Pace::Done
            } else if closed {
                Pace::Closed
            } else {
                match done.cmp(&expected) {
                    std::cmp::Ordering::Less => Pace::Behind,
                    std::cmp::Ordering::Equal => Pace::OnPace,
                    std::cmp::Ordering::Greater => Pace::Ahead,
                }
            };
            Some(TargetLine {
                measure,
                done,
                target,
                percent: super::report::percent_of(done, target).unwrap_or(0),
                expected,
                pace,
            })
        })
        .collect()
}
