//! Progress against the year's targets: what each target line measures, and the pace of a
//! period against the annual target ("时间过半、任务过半"). The counting is in
//! [`totals`](super::totals).
//!
//! Pace: the target asks, by the end of the period (or by the end of today while the period
//! runs), for `target × the share of the year elapsed then`, rounded up to a whole unit (no
//! fractions of a 人次). A target reached is `Done`; otherwise a past year is `Closed`;
//! otherwise the count is `Behind`, `OnPace` or `Ahead` of what is asked.

use super::settings::YearTargets;

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
    target_lines_of(|measure| measure.of(totals), targets, share, closed)
}

/// [`target_lines`] for figures from elsewhere (a sync server's views): `done` gives each
/// measure's figure.
pub fn target_lines_of(
    done: impl Fn(Measure) -> u32,
    targets: &YearTargets,
    share: super::period::Share,
    closed: bool,
) -> Vec<TargetLine> {
    Measure::ALL
        .into_iter()
        .filter_map(|measure| {
            let target = measure.target(targets)?;
            let done = done(measure);
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

/// An officer's own target lines: only the measures they set a target for.
pub fn personal_lines(
    totals: &super::totals::Totals,
    targets: &super::settings::PersonalTargets,
    share: super::period::Share,
    closed: bool,
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
    target_lines(totals, &as_year, share, closed)
        .into_iter()
        .filter(|line| set(line.measure))
        .collect()
}
