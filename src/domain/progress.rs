//! Progress against the year's targets: what each target line measures, and the pace of a
//! period against the annual target ("时间过半、任务过半"). The counting is in
//! [`totals`](super::totals).
//!
//! As the bureau judges it, an annual target is measured by the year's total from 1 January
//! to the period's end (累计), whatever the period; the period's own figure is shown beside
//! it, never measured against the target. A period across two years has no annual
//! comparison.
//!
//! Pace: the target asks, by the end of the period (or by the end of today while the period
//! runs), for `target × the share of the year elapsed then`, rounded up to a whole unit (no
//! fractions of a 人次). A target reached is `Done`; otherwise, for a period ending a year
//! that is over, `Closed`; otherwise the count is `Behind`, `OnPace` or `Ahead` of what is
//! asked.

use time::Date;

use super::period::Period;
use super::settings::{PersonalTargets, YearTargets};
use super::totals::{CountyRow, Totals};

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
    /// Above what the target asks for by the end of the period (rounded up).
    Ahead,
    /// Exactly that.
    OnPace,
    /// Below it.
    Behind,
    /// The target is reached.
    Done,
    /// A past year whose target was not reached.
    Closed,
}

/// One target line of a period: the period's own figure beside the year's from 1 January to
/// the period's end (累计), which is what the year's target judges, and the pace at the
/// period's end (or today, while it runs), in whole units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetLine {
    pub measure: Measure,
    /// The period's own figure (本期).
    pub in_period: u32,
    /// The year's figure from 1 January to the period's end (累计).
    pub done: u32,
    pub target: u32,
    /// `done × 100 / target`, rounded down (may pass 100); 0 when the target is 0.
    pub percent: u32,
    /// What the target asks for by the period's end (rounded up to a whole unit).
    pub expected: u32,
    pub pace: Pace,
}

impl Measure {
    /// A period's count for this measure.
    pub fn of(self, totals: &Totals) -> u32 {
        match self {
            Measure::Trainings => totals.trainings,
            Measure::Attendance => totals.attendance,
            Measure::TechnologiesPromoted => totals.technologies_promoted,
            Measure::Demonstrations => totals.technologies_demonstrated,
            Measure::Visits => totals.visits,
        }
    }

    /// A county's (or the 合计 row's) count for this measure.
    pub fn of_county(self, row: &CountyRow) -> u32 {
        match self {
            Measure::Trainings => row.trainings,
            Measure::Attendance => row.attendance,
            Measure::TechnologiesPromoted => row.technologies_promoted,
            Measure::Demonstrations => row.demonstrations,
            Measure::Visits => row.visits,
        }
    }
}

/// The target lines of a period within one year (none across years, and none without
/// targets): trainings, attendance and technologies promoted always, demonstrations and
/// visits when the year's targets set them. `year_so_far` are the year's figures from
/// 1 January to the period's end ([`Period::year_so_far`]).
pub fn target_lines(
    totals: &Totals,
    year_so_far: Option<&Totals>,
    targets: Option<&YearTargets>,
    today: Date,
) -> Vec<TargetLine> {
    match (year_so_far, targets) {
        (Some(so_far), Some(targets)) => target_lines_of(
            totals.period,
            |m| m.of(totals),
            |m| m.of(so_far),
            targets,
            today,
        ),
        _ => Vec::new(),
    }
}

/// [`target_lines`] for figures from elsewhere (a sync server's views): `in_period` and
/// `year_so_far` give each measure's figure in the period and from 1 January to its end.
/// Judged at the period's end, or today while it runs; only a period that ends its year,
/// once that year is over, closes the targets that were not reached.
pub fn target_lines_of(
    period: Period,
    in_period: impl Fn(Measure) -> u32,
    year_so_far: impl Fn(Measure) -> u32,
    targets: &YearTargets,
    today: Date,
) -> Vec<TargetLine> {
    let Some(share) = period.elapsed_share(today) else {
        return Vec::new();
    };
    let closed = period.ends_year() && period.to < today;
    Measure::ALL
        .into_iter()
        .filter_map(|measure| {
            let target = measure.target(targets)?;
            let done = year_so_far(measure);
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
                in_period: in_period(measure),
                done,
                target,
                percent: super::report::percent_of(done, target).unwrap_or(0),
                expected,
                pace,
            })
        })
        .collect()
}

/// An officer's own target lines: only the measures they set a target for, judged as the
/// city's are.
pub fn personal_lines(
    totals: &Totals,
    year_so_far: &Totals,
    targets: &PersonalTargets,
    today: Date,
) -> Vec<TargetLine> {
    let as_year = YearTargets {
        year: targets.year,
        trainings: targets.trainings.unwrap_or(0),
        attendance: targets.attendance.unwrap_or(0),
        technologies_promoted: targets.technologies_promoted.unwrap_or(0),
        demonstrations: None,
        visits: targets.visits,
    };
    let set = |measure: Measure| match measure {
        Measure::Trainings => targets.trainings.is_some(),
        Measure::Attendance => targets.attendance.is_some(),
        Measure::TechnologiesPromoted => targets.technologies_promoted.is_some(),
        Measure::Demonstrations => false,
        Measure::Visits => targets.visits.is_some(),
    };
    target_lines(totals, Some(year_so_far), Some(&as_year), today)
        .into_iter()
        .filter(|line| set(line.measure))
        .collect()
}
