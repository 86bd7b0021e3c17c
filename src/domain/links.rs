//! Links between records: which trainings and visits concern a technology.

use std::cmp::Reverse;

use uuid::Uuid;

use super::ledger::{Ledger, sort_newest_first};
use super::order;
use super::record::{Record, RecordBody, RecordKind};

/// Where a link leads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LinkTarget<'a> {
    Live(&'a Record),
    /// Deleted, not (yet) imported, or not a technology: shown as removed, never dropped.
    Removed(Uuid),
}

/// The technologies a training or visit names, in its order (a repeated id once).
pub fn linked_technologies<'a>(ledger: &'a Ledger, record: &Record) -> Vec<LinkTarget<'a>> {
    let mut seen: Vec<Uuid> = Vec::new();
    let mut links = Vec::new();
    for id in record.body.technology_ids() {
        if seen.contains(id) {
            continue;
        }
        seen.push(*id);
        links.push(
            match ledger
                .live(id)
                .filter(|r| r.kind() == RecordKind::Technology)
            {
                Some(technology) => LinkTarget::Live(technology),
                None => LinkTarget::Removed(*id),
            },
        );
    }
    links
}

/// Live trainings and visits that name technology `id`, newest first (by date, then last change).
pub fn concerning(ledger: &Ledger, id: Uuid) -> Vec<&Record> {
    let mut records: Vec<&Record> = ledger
        .all()
        .filter(|r| !r.deleted && r.body.technology_ids().contains(&id))
        .collect();
    sort_newest_first(&mut records);
    records
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkCounts {
    pub trainings: usize,
    pub visits: usize,
}

pub fn concerning_counts(ledger: &Ledger, id: Uuid) -> LinkCounts {
    let mut counts = LinkCounts::default();
    for record in ledger
        .all()
        .filter(|r| !r.deleted && r.body.technology_ids().contains(&id))
    {
        match record.kind() {
            RecordKind::Training => counts.trainings += 1,
            RecordKind::Visit => counts.visits += 1,
            RecordKind::Technology | RecordKind::Team | RecordKind::Demand => {}
        }
    }
    counts
}

/// Live technologies whose name contains `typed` (case-insensitive), for the link picker,
/// sorted by name; all of them when `typed` is blank.
pub fn technology_choices<'a>(ledger: &'a Ledger, typed: &str) -> Vec<&'a Record> {
    let needle = typed.trim().to_lowercase();
    let mut choices: Vec<(&str, &Record)> = ledger
        .all()
        .filter(|r| !r.deleted)
        .filter_map(|r| match &r.body {
            RecordBody::Technology(t) if t.name.to_lowercase().contains(&needle) => {
                Some((t.name.as_str(), r))
            }
            _ => None,
        })
        .collect();
    order::sort_by(&mut choices, |(a, ra), (b, rb)| {
        a.cmp(b).then_with(|| ra.id.cmp(&rb.id))
    });
    choices.into_iter().map(|(_, r)| r).collect()
}

/// What a single link (a team, a demand) leads to: the live record of that kind, or a removed
/// one; `None` when nothing is linked.
pub fn linked_record<'a>(
    ledger: &'a Ledger,
    id: Option<Uuid>,
    kind: RecordKind,
) -> Option<LinkTarget<'a>> {
    let id = id?;
    Some(match ledger.live(&id).filter(|r| r.kind() == kind) {
        Some(record) => LinkTarget::Live(record),
        None => LinkTarget::Removed(id),
    })
}

/// The words a record of a kind is picked by: a team's name; a demand's host and need.
pub fn link_title(record: &Record) -> String {
    match &record.body {
        RecordBody::Demand(d) => format!("{} {}", d.host, d.need),
        body => match body.shown(crate::domain::form::Field::Name) {
            Some(crate::domain::form::Shown::Text(name)) => name.to_owned(),
            _ => String::new(),
        },
    }
}

/// Live records of `kind` whose title contains `typed` (case-insensitive), for a single-link
/// picker: teams by name, demands newest first; all of them when `typed` is blank.
pub fn link_choices<'a>(ledger: &'a Ledger, kind: RecordKind, typed: &str) -> Vec<&'a Record> {
    let needle = typed.trim().to_lowercase();
    let mut choices: Vec<(String, &Record)> = ledger
        .all()
        .filter(|r| !r.deleted && r.kind() == kind)
        .map(|r| (link_title(r), r))
        .filter(|(title, _)| title.to_lowercase().contains(&needle))
        .collect();
    match kind {
        RecordKind::Demand => {
            order::sort_by_key(&mut choices, |(_, r)| {
                Reverse((r.date(), r.updated_at, r.id))
            });
        }
        _ => order::sort_by(&mut choices, |(a, ra), (b, rb)| {
            a.cmp(b).then_with(|| ra.id.cmp(&rb.id))
        }),
    }
    choices.into_iter().map(|(_, r)| r).collect()
}

/// Live records that link team `id` (trainings, technologies, visits, demands), newest first.
pub fn linking_team(ledger: &Ledger, id: Uuid) -> Vec<&Record> {
    linking(ledger, |r| r.body.team_id() == Some(id))
}

/// Live trainings and visits that answer demand `id`, newest first.
pub fn answering_demand(ledger: &Ledger, id: Uuid) -> Vec<&Record> {
    linking(ledger, |r| r.body.demand_id() == Some(id))
}

fn linking(ledger: &Ledger, links: impl Fn(&Record) -> bool) -> Vec<&Record> {
    let mut records: Vec<&Record> = ledger.all().filter(|r| !r.deleted && links(r)).collect();
    sort_newest_first(&mut records);
    records
}

/// Days from a demand's collection to the first live visit that answers it (0 for the same
/// day); `None` before any visit. A visit dated before the collection counts as day 0.
pub fn days_to_first_visit(ledger: &Ledger, demand: &Record) -> Option<i64> {
    let RecordBody::Demand(d) = &demand.body else {
        return None;
    };
    answering_demand(ledger, demand.id)
        .into_iter()
        .filter_map(|r| match &r.body {
            RecordBody::Visit(v) => Some(v.date),
            _ => None,
        })
        .min()
        .map(|first| (first - d.collected_on).whole_days().max(0))
}

/// What a team's page shows of its work: everything live that links it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamActivity {
    pub demands_matched: usize,
    pub demands_solved: usize,
    pub visits: usize,
    pub trainings: usize,
    /// 人次 over the trainings.
    pub attendance: u32,
    pub technologies_demonstrated: usize,
    pub technologies_promoted: usize,
    /// The latest date of a visit, training or technology stage linking the team.
    pub last_activity: Option<time::Date>,
}

pub fn team_activity(ledger: &Ledger, team_id: Uuid) -> TeamActivity {
    let mut activity = TeamActivity::default();
    let mut seen = |date: Option<time::Date>| {
        if date > activity.last_activity {
            activity.last_activity = date;
        }
    };
    let mut figures = TeamActivity::default();
    for record in linking_team(ledger, team_id) {
        match &record.body {
            RecordBody::Visit(v) => {
                figures.visits += 1;
                seen(Some(v.date));
            }
            RecordBody::Training(t) => {
                figures.trainings += 1;
                figures.attendance = figures.attendance.saturating_add(t.attendance);
                seen(Some(t.date));
            }
            RecordBody::Technology(t) => {
                figures.technologies_demonstrated += usize::from(t.demonstrated_on.is_some());
                figures.technologies_promoted += usize::from(t.promoted_on.is_some());
                seen(t.stage_date(t.stage));
            }
            RecordBody::Demand(d) => {
                figures.demands_matched += usize::from(d.was_matched());
                figures.demands_solved +=
                    usize::from(d.status == crate::domain::DemandStatus::Solved);
            }
            RecordBody::Team(_) => {}
        }
    }
    TeamActivity {
        last_activity: activity.last_activity,
        ..figures
    }
}

/// Visits from before team records existed name their team in free text. These are the new
/// revisions of the live visits whose team name (trimmed) is the name of exactly one live team
/// record and that link no team yet, now linking it. A name two teams share is left alone:
/// which one was meant is not known.
pub fn link_team_names(
    ledger: &Ledger,
    author: &super::record::Author,
    now: time::OffsetDateTime,
) -> Vec<Record> {
    let mut teams: std::collections::HashMap<&str, Option<Uuid>> = std::collections::HashMap::new();
    for record in ledger.list(RecordKind::Team) {
        if let RecordBody::Team(t) = &record.body {
            teams
                .entry(t.name.trim())
                .and_modify(|id| *id = None)
                .or_insert(Some(record.id));
        }
    }
    ledger
        .list(RecordKind::Visit)
        .into_iter()
        .filter_map(|record| match &record.body {
            RecordBody::Visit(v) if v.team_id.is_none() => {
                let team = teams.get(v.team_name.trim()).copied().flatten()?;
                let mut visit = v.clone();
                visit.team_id = Some(team);
                Some(record.edited(RecordBody::Visit(visit), author, now))
            }
            _ => None,
        })
        .collect()
}
