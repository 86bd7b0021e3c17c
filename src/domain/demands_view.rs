//! The demands the homes list: for the coordinator, those still waiting for a team (待对接),
//! waiting longest first; for an officer, the demands of their own team (the team record named
//! as in their profile) not solved yet.

use time::Date;
use uuid::Uuid;

use super::kinds::{Demand, DemandStatus, Urgency};
use super::ledger::Ledger;
use super::order;
use super::record::{Record, RecordBody};

/// One demand as a home lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingDemand {
    pub id: Uuid,
    pub collected_on: Date,
    pub host: String,
    pub need: String,
    pub status: DemandStatus,
    pub urgency: Urgency,
    /// Whole days since it was collected (0 on the day, never negative).
    pub days_waiting: i64,
}

/// Some of a list of demands, and how many the whole list has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemandList {
    /// Every demand of the list.
    pub count: usize,
    /// The first of them, waiting longest first.
    pub shown: Vec<WaitingDemand>,
}

impl DemandList {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The live demands `wanted` picks, waiting longest first (then by id, so the order is
/// stable), at most `limit` of them shown.
fn waiting_longest(
    ledger: &Ledger,
    today: Date,
    limit: usize,
    wanted: impl Fn(&Demand) -> bool,
) -> DemandList {
    let mut demands: Vec<(&Record, &Demand)> = ledger
        .all()
        .filter(|r| !r.deleted)
        .filter_map(|r| match &r.body {
            RecordBody::Demand(d) if wanted(d) => Some((r, d)),
            _ => None,
        })
        .collect();
    order::sort_by_key(&mut demands, |(r, d)| (d.collected_on, r.id));
    DemandList {
        count: demands.len(),
        shown: demands
            .into_iter()
            .take(limit)
            .map(|(r, d)| WaitingDemand {
                id: r.id,
                collected_on: d.collected_on,
                host: d.host.clone(),
                need: d.need.clone(),
                status: d.status,
                urgency: d.urgency,
                days_waiting: (today - d.collected_on).whole_days().max(0),
            })
            .collect(),
    }
}

fn is_open(demand: &Demand) -> bool {
    demand.status == DemandStatus::Open
}

/// 待对接需求: demands not matched to a team yet, waiting longest first.
pub fn open_demands(ledger: &Ledger, today: Date, limit: usize) -> DemandList {
    waiting_longest(ledger, today, limit, is_open)
}

/// Whether any live demand waits for a team (without gathering or sorting them).
pub fn any_open_demand(ledger: &Ledger) -> bool {
    ledger
        .all()
        .any(|r| !r.deleted && matches!(&r.body, RecordBody::Demand(d) if is_open(d)))
}

/// The live team records named `team_name` (trimmed; none for an empty name).
pub fn teams_named(ledger: &Ledger, team_name: &str) -> Vec<Uuid> {
    let team_name = team_name.trim();
    if team_name.is_empty() {
        return Vec::new();
    }
    ledger
        .all()
        .filter(|r| !r.deleted)
        .filter(|r| matches!(&r.body, RecordBody::Team(t) if t.name.trim() == team_name))
        .map(|r| r.id)
        .collect()
}

/// The demands of the team named `team_name` (any team record of that name) still waiting
/// for a solution, waiting longest first; `None` when no team record has that name.
pub fn team_open_demands(
    ledger: &Ledger,
    team_name: &str,
    today: Date,
    limit: usize,
) -> Option<DemandList> {
    let teams = teams_named(ledger, team_name);
    if teams.is_empty() {
        return None;
    }
    Some(waiting_longest(ledger, today, limit, |d| {
        d.status.is_pending() && d.team_id.is_some_and(|id| teams.contains(&id))
    }))
}
