//! Follow-ups due: visits marked for a follow-up, sorted into overdue and due this week.

use std::collections::HashSet;

use time::{Date, Duration};
use uuid::Uuid;

use super::form::Kind;
use super::kinds::{HelpKind, Visit};
use super::ledger::Ledger;
use super::order;
use super::record::{Record, RecordBody};

/// A visit whose follow-up is still to be done.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FollowUp<'a> {
    pub visit: &'a Record,
    pub due: Date,
    pub overdue: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FollowUps<'a> {
    pub overdue: Vec<FollowUp<'a>>,
    pub this_week: Vec<FollowUp<'a>>,
}

impl FollowUps<'_> {
    /// Nothing overdue and nothing due this week.
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty() && self.this_week.is_empty()
    }
}

/// Open follow-ups: live visits with `follow_up_needed` and a `follow_up_by` date that no live
/// visit follows up. Overdue when due before today; this week when due from today to the
/// Sunday ending today's ISO week. Later ones are left out. Both sorted by due date, then visit
/// date, then id.
pub fn follow_ups(ledger: &Ledger, today: Date) -> FollowUps<'_> {
    let live_visits = || {
        ledger
            .all()
            .filter(|r| !r.deleted)
            .filter_map(|r| match &r.body {
                RecordBody::Visit(v) => Some((r, v)),
                _ => None,
            })
    };
    // A visit naming itself is a data slip, not a done follow-up.
    let followed: HashSet<Uuid> = live_visits()
        .filter_map(|(r, v)| v.follows_up.filter(|id| *id != r.id))
        .collect();
    let end = week_end(today);
    let mut open = FollowUps::default();
    for (record, visit) in live_visits() {
        let Some(due) = visit.follow_up_by else {
            continue;
        };
        if !visit.follow_up_needed || due > end || followed.contains(&record.id) {
            continue;
        }
        let overdue = due < today;
        let item = FollowUp {
            visit: record,
            due,
            overdue,
        };
        if overdue {
            open.overdue.push(item);
        } else {
            open.this_week.push(item);
        }
    }
    for list in [&mut open.overdue, &mut open.this_week] {
        order::sort_by_key(list, |f| (f.due, f.visit.date(), f.visit.id));
    }
    open
}

/// The Sunday ending today's ISO week (today when it is a Sunday).
pub fn week_end(today: Date) -> Date {
    let days_left = 6 - i64::from(today.weekday().number_days_from_monday());
    // Saturating: the last representable week has no Sunday to reach.
    today.saturating_add(Duration::days(days_left))
}

/// A body for "new from this one": the same content dated today. A visit copy loses its
/// follow-up flag, date and link and its GPS point, which belong to the original visit.
/// Trainings keep their times and attendance (a weekly session often repeats them);
/// a technology or a team is copied as it is; a demand copy is a new, open demand collected
/// today (the handling belongs to the original).
pub fn copy_body(record: &Record, today: Date) -> RecordBody {
    match &record.body {
        RecordBody::Training(t) => {
            let mut t = t.clone();
            t.date = today;
            RecordBody::Training(t)
        }
        RecordBody::Technology(t) => RecordBody::Technology(t.clone()),
        RecordBody::Visit(v) => {
            let mut v = v.clone();
            v.date = today;
            v.follow_up_needed = false;
            v.follow_up_by = None;
            v.follows_up = None;
            v.location = None;
            RecordBody::Visit(v)
        }
        RecordBody::Team(t) => RecordBody::Team(t.clone()),
        RecordBody::Demand(d) => RecordBody::Demand(crate::domain::Demand {
            host: d.host.clone(),
            host_type: d.host_type,
            place: d.place.clone(),
            industry: d.industry.clone(),
            need: d.need.clone(),
            expertise: d.expertise.clone(),
            urgency: d.urgency,
            ..<crate::domain::Demand as crate::domain::Kind>::blank(today)
        }),
    }
}

/// The body of the visit that follows up `original`: same people, host, place and
/// technologies, dated today, help = follow-up, nothing yet written about it, linked back by
/// `follows_up`. None when the record is not a visit.
pub fn follow_up_visit(original: &Record, today: Date) -> Option<Visit> {
    let RecordBody::Visit(v) = &original.body else {
        return None;
    };
    // Who and where carry over; what happens on this visit is still to be written.
    Some(Visit {
        commissioners: v.commissioners.clone(),
        team_level: v.team_level,
        team_name: v.team_name.clone(),
        host: v.host.clone(),
        host_type: v.host_type,
        place: v.place.clone(),
        help: vec![HelpKind::FollowUp],
        technologies: v.technologies.clone(),
        technology_ids: v.technology_ids.clone(),
        follows_up: Some(original.id),
        ..Visit::blank(today)
    })
}

/// The original visit with its follow-up marked done, as the body of its next revision. The
/// due date stays as a record of what was planned. None when the record is not a visit.
pub fn mark_done(original: &Record) -> Option<Visit> {
    let RecordBody::Visit(v) = &original.body else {
        return None;
    };
    Some(Visit {
        follow_up_needed: false,
        ..v.clone()
    })
}
