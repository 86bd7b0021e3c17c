//! What a period adds up to, counted the way the bureau counts (the dashboard's and the
//! report's figures).
//!
//! Counting rules:
//! - Deleted records (tombstones) never count. Sample records do count (they exist to explore
//!   the dashboard); nothing else is special about them.
//! - A training counts in the period, month and county (`place.county`) of its date, under
//!   its type. Every type is shown; the trainings and 人次 that count towards the targets
//!   are those of the types the settings name ([`Counting`]; by default 农民科技培训 and
//!   农民技术员培训). Households sum where given.
//! - A technology counts as introduced, demonstrated or promoted in the period of that stage's
//!   date (引进 / 示范 / 推广应用 date), whatever its current stage, in its county.
//!   Demonstration area sums the 示范面积 of those demonstrated in the period; promoted area
//!   the 推广面积 of those promoted in it; a technology's households count when it is promoted.
//! - A visit counts in the period, month and county of its date. Commissioners and hosts are
//!   distinct names (trimmed, non-empty) across the period's visits; hosts by type count
//!   distinct hosts of each type; kinds of help count visits; teams are the team names
//!   recorded on visits.
//! - Follow-ups: opened are the period's visits that set a follow-up date; done are those a
//!   live visit follows up or that were marked done; overdue are the others due before today.
//! - Households reached = training households + households of technologies promoted.
//! - A record without a county counts in a row of its own ("not given"), listed last.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use super::kinds::{
    DemandStatus, HelpKind, HostType, TeamForm, TeamLevel, TeamStatus, TeamTier, TrainingType,
};
use super::ledger::{Ledger, sort_by_date};
use super::order;
use super::period::Period;
use super::record::{Record, RecordBody};

/// Which training types count towards the year's training and 人次 targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counting {
    pub training_types: Vec<TrainingType>,
}

impl Default for Counting {
    /// Farmer and technician trainings both count.
    fn default() -> Self {
        Counting {
            training_types: vec![TrainingType::Farmer, TrainingType::Technician],
        }
    }
}

impl Counting {
    pub fn counts(&self, training_type: TrainingType) -> bool {
        self.training_types.contains(&training_type)
    }
}

/// Sessions and 人次 of one training type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sessions {
    pub sessions: u32,
    pub attendance: u32,
}

/// A team (by the name recorded on visits) and what it did in the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamFigures {
    pub name: String,
    pub level: Option<TeamLevel>,
    pub visits: u32,
    /// Distinct commissioners on its visits.
    pub commissioners: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FollowUpFigures {
    pub opened: u32,
    pub done: u32,
    pub overdue: u32,
}

/// A period's figures for the whole ledger.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    pub period: Period,
    /// Every training type, in [`TrainingType::ALL`] order.
    pub by_type: Vec<(TrainingType, Sessions)>,
    /// Sessions of the counted types.
    pub trainings: u32,
    /// 人次 of the counted types.
    pub attendance: u32,
    pub technologies_introduced: u32,
    pub technologies_demonstrated: u32,
    pub technologies_promoted: u32,
    /// 亩.
    pub demo_area_mu: f64,
    /// 亩.
    pub promoted_area_mu: f64,
    pub visits: u32,
    pub commissioners: u32,
    pub hosts: u32,
    /// Distinct hosts of each type, in [`HostType::ALL`] order (types without any left out).
    pub hosts_by_type: Vec<(HostType, u32)>,
    /// Visits giving each kind of help, in [`HelpKind::ALL`] order (unused kinds left out).
    pub help: Vec<(HelpKind, u32)>,
    /// Teams by name, most visits first.
    pub teams: Vec<TeamFigures>,
    pub follow_ups: FollowUpFigures,
    /// 户: training households plus the households of technologies promoted.
    pub households: u32,
    /// Demands collected in the period and what became of them.
    pub demands: DemandFigures,
    /// 分特派团情况: every team record with work in the period (or of the period's year), by
    /// name.
    pub team_rows: Vec<TeamRow>,
}

/// 征集需求X项、已对接Y项、已解决Z项: demands collected in the period, those of them
/// matched to a team (whatever came after) and those solved, as they stand now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemandFigures {
    pub collected: u32,
    pub matched: u32,
    pub solved: u32,
    /// Still waiting for a solution (open, matched or being served).
    pub pending: u32,
}

/// One team record's work in a period: what links it, counted like the period's totals.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamRow {
    pub id: Uuid,
    pub name: String,
    pub level: TeamTier,
    pub form: TeamForm,
    pub status: TeamStatus,
    pub visits: u32,
    pub trainings: u32,
    pub attendance: u32,
    pub demands_matched: u32,
    pub technologies_demonstrated: u32,
    pub technologies_promoted: u32,
}

impl TeamRow {
    fn has_work(&self) -> bool {
        self.visits + self.trainings + self.demands_matched > 0
            || self.technologies_demonstrated + self.technologies_promoted > 0
    }
}

/// The demands collected in the period.
pub fn demand_figures(ledger: &Ledger, period: Period) -> DemandFigures {
    let mut figures = DemandFigures::default();
    for record in live(ledger) {
        if let RecordBody::Demand(d) = &record.body
            && period.contains(d.collected_on)
        {
            figures.collected += 1;
            figures.matched += u32::from(d.was_matched());
            figures.solved += u32::from(d.status == DemandStatus::Solved);
            figures.pending += u32::from(d.status.is_pending());
        }
    }
    figures
}

/// Every live team with work in the period, or belonging to the period's year, by name.
pub fn team_rows(ledger: &Ledger, period: Period) -> Vec<TeamRow> {
    let mut rows: Vec<TeamRow> = live(ledger)
        .filter_map(|record| match &record.body {
            RecordBody::Team(t) => Some(TeamRow {
                id: record.id,
                name: t.name.clone(),
                level: t.level,
                form: t.form,
                status: t.status,
                visits: 0,
                trainings: 0,
                attendance: 0,
                demands_matched: 0,
                technologies_demonstrated: 0,
                technologies_promoted: 0,
            }),
            _ => None,
        })
        .collect();
    for record in live(ledger) {
        let Some(team_id) = record.body.team_id() else {
            continue;
        };
        let Some(row) = rows.iter_mut().find(|r| r.id == team_id) else {
            continue;
        };
        match &record.body {
            RecordBody::Visit(v) if period.contains(v.date) => row.visits += 1,
            RecordBody::Training(t) if period.contains(t.date) => {
                row.trainings += 1;
                row.attendance = row.attendance.saturating_add(t.attendance);
            }
            RecordBody::Technology(t) => {
                row.technologies_demonstrated +=
                    u32::from(t.demonstrated_on.is_some_and(|d| period.contains(d)));
                row.technologies_promoted +=
                    u32::from(t.promoted_on.is_some_and(|d| period.contains(d)));
            }
            RecordBody::Demand(d) if period.contains(d.collected_on) => {
                row.demands_matched += u32::from(d.was_matched());
            }
            _ => {}
        }
    }
    let of_the_year = |row: &TeamRow| {
        ledger.get(&row.id).is_some_and(|r| match &r.body {
            RecordBody::Team(t) => t
                .year
                .and_then(|y| i32::try_from(y).ok())
                .is_some_and(|y| (period.from.year()..=period.to.year()).contains(&y)),
            _ => false,
        })
    };
    rows.retain(|row| row.has_work() || of_the_year(row));
    order::sort_by(&mut rows, |a, b| {
        a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id))
    });
    rows
}

impl Totals {
    /// Whether anything at all happened in the period.
    pub fn is_empty(&self) -> bool {
        self.by_type.iter().all(|(_, s)| s.sessions == 0)
            && self.technologies_introduced == 0
            && self.technologies_demonstrated == 0
            && self.technologies_promoted == 0
            && self.visits == 0
            && self.demands.collected == 0
            && self.team_rows.iter().all(|row| !row.has_work())
    }

    pub fn sessions_of(&self, training_type: TrainingType) -> Sessions {
        self.by_type
            .iter()
            .find(|(t, _)| *t == training_type)
            .map(|(_, s)| *s)
            .unwrap_or_default()
    }
}

fn live(ledger: &Ledger) -> impl Iterator<Item = &Record> {
    ledger.all().filter(|r| !r.deleted)
}

/// An area that can be added up: imported files may carry anything, validation would not.
fn area(value: Option<f64>) -> f64 {
    value.filter(|a| a.is_finite() && *a >= 0.0).unwrap_or(0.0)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Trimmed, non-empty.
fn name(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

impl Totals {
    /// A period's figures before anything is counted (every training type listed).
    pub fn empty(period: Period) -> Self {
        Totals {
            period,
            by_type: TrainingType::ALL
                .iter()
                .map(|t| (*t, Sessions::default()))
                .collect(),
            trainings: 0,
            attendance: 0,
            technologies_introduced: 0,
            technologies_demonstrated: 0,
            technologies_promoted: 0,
            demo_area_mu: 0.0,
            promoted_area_mu: 0.0,
            visits: 0,
            commissioners: 0,
            hosts: 0,
            hosts_by_type: Vec::new(),
            help: Vec::new(),
            teams: Vec::new(),
            follow_ups: FollowUpFigures::default(),
            households: 0,
            demands: DemandFigures::default(),
            team_rows: Vec::new(),
        }
    }

    /// Adds trainings of one type: to its row always, to the counted figures when the type
    /// counts.
    pub fn add_trainings(
        &mut self,
        training_type: TrainingType,
        sessions: u32,
        attendance: u32,
        counting: &Counting,
    ) {
        if let Some((_, s)) = self.by_type.iter_mut().find(|(t, _)| *t == training_type) {
            s.sessions = s.sessions.saturating_add(sessions);
            s.attendance = s.attendance.saturating_add(attendance);
        }
        if counting.counts(training_type) {
            self.trainings = self.trainings.saturating_add(sessions);
            self.attendance = self.attendance.saturating_add(attendance);
        }
    }
}

/// What a period's visits add up to beside their number: the distinct commissioners and
/// hosts, the kinds of help, and the teams with their visits and distinct commissioners.
/// Filled from a ledger's visits ([`totals`]) or from the rows of the sync server's view.
#[derive(Default)]
pub struct VisitTally<'a> {
    commissioners: BTreeSet<&'a str>,
    hosts: BTreeSet<(&'a str, HostType)>,
    /// Visits per kind of help, by its place in [`HelpKind::ALL`].
    help: BTreeMap<usize, u32>,
    /// Level, visits and commissioners of each team by name.
    teams: BTreeMap<&'a str, (Option<TeamLevel>, u32, BTreeSet<&'a str>)>,
}

impl<'a> VisitTally<'a> {
    pub fn commissioner(&mut self, name: &'a str) {
        self.commissioners.insert(name);
    }

    pub fn host(&mut self, name: &'a str, host_type: HostType) {
        self.hosts.insert((name, host_type));
    }

    pub fn help(&mut self, kind: HelpKind, visits: u32) {
        if let Some(i) = HelpKind::ALL.iter().position(|k| *k == kind) {
            let n = self.help.entry(i).or_default();
            *n = n.saturating_add(visits);
        }
    }

    pub fn team_visits(&mut self, team: &'a str, visits: u32) {
        let entry = self.teams.entry(team).or_default();
        entry.1 = entry.1.saturating_add(visits);
    }

    /// A level the team's visits name. Where they name several, the team is shown with the
    /// first of [`TeamLevel::ALL`] among them, whatever order the visits come in (the
    /// server's rows come sorted otherwise than the tablet's records).
    pub fn team_level(&mut self, team: &'a str, level: Option<TeamLevel>) {
        let rank = |level: &Option<TeamLevel>| {
            level.and_then(|l| TeamLevel::ALL.iter().position(|a| *a == l))
        };
        let entry = self.teams.entry(team).or_default();
        entry.0 = match (rank(&entry.0), rank(&level)) {
            (Some(kept), Some(new)) if new < kept => level,
            (None, Some(_)) => level,
            _ => entry.0,
        };
    }

    pub fn team_commissioner(&mut self, team: &'a str, name: &'a str) {
        self.teams.entry(team).or_default().2.insert(name);
    }

    /// Writes the tallies into `totals`: commissioners, hosts (and by type), help, and the
    /// teams with visits, most visits first.
    pub fn finish(self, totals: &mut Totals) {
        totals.commissioners = count(self.commissioners.len());
        let distinct_hosts: BTreeSet<&str> = self.hosts.iter().map(|(h, _)| *h).collect();
        totals.hosts = count(distinct_hosts.len());
        totals.hosts_by_type = HostType::ALL
            .iter()
            .map(|ty| {
                (
                    *ty,
                    count(self.hosts.iter().filter(|(_, t)| t == ty).count()),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        totals.help = self
            .help
            .into_iter()
            .filter_map(|(i, n)| HelpKind::ALL.get(i).map(|k| (*k, n)))
            .collect();
        let mut teams: Vec<TeamFigures> = self
            .teams
            .into_iter()
            .filter(|(_, (_, visits, _))| *visits > 0)
            .map(|(name, (level, visits, people))| TeamFigures {
                name: name.to_owned(),
                level,
                visits,
                commissioners: count(people.len()),
            })
            .collect();
        order::sort_by(&mut teams, |a, b| {
            b.visits.cmp(&a.visits).then_with(|| a.name.cmp(&b.name))
        });
        totals.teams = teams;
    }
}

pub fn totals(ledger: &Ledger, period: Period, counting: &Counting, today: Date) -> Totals {
    let inside = |date: Option<Date>| date.is_some_and(|d| period.contains(d));
    let mut totals = Totals::empty(period);
    let mut tally = VisitTally::default();
    let followed: HashSet<Uuid> = live(ledger)
        .filter_map(|r| match &r.body {
            RecordBody::Visit(v) => v.follows_up.filter(|id| *id != r.id),
            _ => None,
        })
        .collect();
    for record in live(ledger) {
        match &record.body {
            RecordBody::Training(t) if period.contains(t.date) => {
                totals.add_trainings(t.training_type, 1, t.attendance, counting);
                totals.households = totals.households.saturating_add(t.households.unwrap_or(0));
            }
            RecordBody::Technology(t) => {
                if inside(t.introduced_on) {
                    totals.technologies_introduced += 1;
                }
                if inside(t.demonstrated_on) {
                    totals.technologies_demonstrated += 1;
                    totals.demo_area_mu += area(t.demo_area_mu);
                }
                if inside(t.promoted_on) {
                    totals.technologies_promoted += 1;
                    totals.promoted_area_mu += area(t.promoted_area_mu);
                    totals.households = totals.households.saturating_add(t.households.unwrap_or(0));
                }
            }
            RecordBody::Visit(v) if period.contains(v.date) => {
                totals.visits = totals.visits.saturating_add(1);
                let people: Vec<&str> = v.commissioners.iter().filter_map(|c| name(c)).collect();
                for person in &people {
                    tally.commissioner(person);
                }
                if let Some(host) = name(&v.host) {
                    tally.host(host, v.host_type);
                }
                // A visit counts once under each kind of help it gave, however often listed.
                for (i, kind) in v.help.iter().enumerate() {
                    if !v.help[..i].contains(kind) {
                        tally.help(*kind, 1);
                    }
                }
                if let Some(team) = name(&v.team_name) {
                    tally.team_level(team, v.team_level);
                    tally.team_visits(team, 1);
                    for person in &people {
                        tally.team_commissioner(team, person);
                    }
                }
                if let Some(due) = v.follow_up_by {
                    totals.follow_ups.opened += 1;
                    if followed.contains(&record.id) || !v.follow_up_needed {
                        totals.follow_ups.done += 1;
                    } else if due < today {
                        totals.follow_ups.overdue += 1;
                    }
                }
            }
            _ => {}
        }
    }
    tally.finish(&mut totals);
    totals.demands = demand_figures(ledger, period);
    totals.team_rows = team_rows(ledger, period);
    totals
}

/// The year's figures from 1 January to the period's end (累计, [`Period::year_so_far`]),
/// which the year's targets judge; the period's own when it starts on 1 January. `None`
/// for a period across years.
pub fn year_so_far(
    ledger: &Ledger,
    period_totals: &Totals,
    counting: &Counting,
    today: Date,
) -> Option<Totals> {
    let so_far = period_totals.period.year_so_far()?;
    Some(if so_far == period_totals.period {
        period_totals.clone()
    } else {
        totals(ledger, so_far, counting, today)
    })
}

/// The same period a year earlier, when that year has any records at all.
pub fn same_period_last_year(
    ledger: &Ledger,
    period: Period,
    counting: &Counting,
    today: Date,
) -> Option<Totals> {
    let before = period.year_before();
    let any = (before.from.year()..=before.to.year())
        .filter_map(|year| Period::preset(year, super::period::Preset::Year, today))
        .any(|year| any_in(ledger, year));
    any.then(|| totals(ledger, before, counting, today))
}

/// One county's figures for a period. `county` is empty for records without one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountyRow {
    pub county: String,
    /// Sessions of the counted training types.
    pub trainings: u32,
    pub attendance: u32,
    pub technologies_promoted: u32,
    pub demonstrations: u32,
    pub visits: u32,
}

impl CountyRow {
    pub fn add(&mut self, other: &CountyRow) {
        self.trainings = self.trainings.saturating_add(other.trainings);
        self.attendance = self.attendance.saturating_add(other.attendance);
        self.technologies_promoted = self
            .technologies_promoted
            .saturating_add(other.technologies_promoted);
        self.demonstrations = self.demonstrations.saturating_add(other.demonstrations);
        self.visits = self.visits.saturating_add(other.visits);
    }
}

/// Calls `f` with (date, county, row) for every fact of a live record that the county and
/// month tables count. Technologies that were only introduced add nothing to these tables.
fn for_each_fact<'a>(
    ledger: &'a Ledger,
    counting: &Counting,
    mut f: impl FnMut(Date, &'a str, CountyRow),
) {
    let one = CountyRow::default;
    for record in live(ledger) {
        match &record.body {
            RecordBody::Training(t) if counting.counts(t.training_type) => f(
                t.date,
                &t.place.county,
                CountyRow {
                    trainings: 1,
                    attendance: t.attendance,
                    ..one()
                },
            ),
            RecordBody::Training(_) => {}
            RecordBody::Technology(t) => {
                if let Some(date) = t.demonstrated_on {
                    f(
                        date,
                        &t.county,
                        CountyRow {
                            demonstrations: 1,
                            ..one()
                        },
                    );
                }
                if let Some(date) = t.promoted_on {
                    f(
                        date,
                        &t.county,
                        CountyRow {
                            technologies_promoted: 1,
                            ..one()
                        },
                    );
                }
            }
            RecordBody::Visit(v) => f(v.date, &v.place.county, CountyRow { visits: 1, ..one() }),
            // Teams and demands have figures of their own, not by county and month.
            RecordBody::Team(_) | RecordBody::Demand(_) => {}
        }
    }
}

/// Every county of `counties` (the settings' list, in its order), zeros included, then any
/// other county the period's records name (alphabetically), then "not given" when some
/// record has no county; and the 合计 row, which adds them all up.
pub fn by_county(
    ledger: &Ledger,
    period: Period,
    counting: &Counting,
    counties: &[String],
) -> (Vec<CountyRow>, CountyRow) {
    let mut tallies: BTreeMap<&str, CountyRow> = BTreeMap::new();
    for_each_fact(ledger, counting, |date, county, row| {
        if period.contains(date) {
            tallies.entry(county.trim()).or_default().add(&row);
        }
    });
    county_table(tallies, counties)
}

/// One fact of a sync server's `facts` view (`server/views/facts.map.js`, which emits what
/// [`for_each_fact`] counts) as a county row's figures: `None` for a training type that is
/// not counted, or a fact this build does not know.
pub fn fact_figures(
    fact: &str,
    count: u32,
    attendance: u32,
    counting: &Counting,
) -> Option<CountyRow> {
    let one = CountyRow::default;
    let row = match fact.split_once(':') {
        Some(("training", kind)) => {
            let counted = TrainingType::ALL
                .into_iter()
                .any(|t| crate::domain::form::serde_name(&t) == kind && counting.counts(t));
            if !counted {
                return None;
            }
            CountyRow {
                trainings: count,
                attendance,
                ..one()
            }
        }
        Some(("technology", "demonstrated")) => CountyRow {
            demonstrations: count,
            ..one()
        },
        Some(("technology", "promoted")) => CountyRow {
            technologies_promoted: count,
            ..one()
        },
        None if fact == "visit" => CountyRow {
            visits: count,
            ..one()
        },
        _ => return None,
    };
    Some(row)
}

/// The county table from figures per county: every county of the list (zeros included),
/// then the others by name, then the records without a county; and the 合计 row.
pub fn county_table<K: AsRef<str>>(
    tallies: BTreeMap<K, CountyRow>,
    counties: &[String],
) -> (Vec<CountyRow>, CountyRow) {
    let mut tallies: BTreeMap<String, CountyRow> = tallies
        .into_iter()
        .map(|(county, row)| (county.as_ref().to_owned(), row))
        .collect();
    let mut rows: Vec<CountyRow> = counties
        .iter()
        .map(|county| CountyRow {
            county: county.clone(),
            ..tallies.remove(county.as_str()).unwrap_or_default()
        })
        .collect();
    let unset = tallies.remove("");
    rows.extend(tallies.into_iter().map(|(county, row)| CountyRow {
        county: county.to_owned(),
        ..row
    }));
    rows.extend(unset);
    let mut total = CountyRow::default();
    for row in &rows {
        total.add(row);
    }
    (rows, total)
}

/// One month's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthRow {
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    pub trainings: u32,
    pub attendance: u32,
    pub technologies_promoted: u32,
    pub demonstrations: u32,
    pub visits: u32,
}

/// The period month by month: a row for every month it touches, earliest first.
pub fn by_month(ledger: &Ledger, period: Period, counting: &Counting) -> Vec<MonthRow> {
    let key = |d: Date| (d.year(), u8::from(d.month()));
    let mut months: BTreeMap<(i32, u8), CountyRow> = BTreeMap::new();
    let (mut at, last) = (key(period.from), key(period.to));
    while at <= last {
        months.insert(at, CountyRow::default());
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    for_each_fact(ledger, counting, |date, _, row| {
        if period.contains(date)
            && let Some(month) = months.get_mut(&key(date))
        {
            month.add(&row);
        }
    });
    months
        .into_iter()
        .map(|((year, month), t)| MonthRow {
            year,
            month,
            trainings: t.trainings,
            attendance: t.attendance,
            technologies_promoted: t.technologies_promoted,
            demonstrations: t.demonstrations,
            visits: t.visits,
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
            RecordBody::Team(t) => {
                years.extend(t.year.and_then(|y| i32::try_from(y).ok()));
            }
            RecordBody::Demand(d) => {
                years.insert(d.collected_on.year());
            }
        }
    }
    years.into_iter().rev().collect()
}

/// Whether any live record has a date in the period.
pub fn any_in(ledger: &Ledger, period: Period) -> bool {
    live(ledger).any(|r| any_date_in(r, period))
}

/// Technologies active in the period (a stage date inside it), grouped by the furthest stage
/// reached within the period (promoted first), each group in date order.
pub fn technologies_in(
    ledger: &Ledger,
    period: Period,
) -> Vec<(super::kinds::Stage, Vec<&Record>)> {
    use super::kinds::Stage;
    let mut groups: BTreeMap<std::cmp::Reverse<Stage>, Vec<(Date, &Record)>> = BTreeMap::new();
    for record in live(ledger) {
        let RecordBody::Technology(t) = &record.body else {
            continue;
        };
        let reached = Stage::ALL.iter().rev().find_map(|s| {
            t.stage_date(*s)
                .filter(|d| period.contains(*d))
                .map(|d| (*s, d))
        });
        if let Some((stage, date)) = reached {
            groups
                .entry(std::cmp::Reverse(stage))
                .or_default()
                .push((date, record));
        }
    }
    groups
        .into_iter()
        .map(|(stage, mut list)| {
            order::sort_by_key(&mut list, |(d, r)| (*d, r.id));
            (stage.0, list.into_iter().map(|(_, r)| r).collect())
        })
        .collect()
}

/// The trainings held in the period, in date order.
pub fn trainings_in(ledger: &Ledger, period: Period) -> Vec<&Record> {
    let mut list: Vec<&Record> = live(ledger)
        .filter(|r| matches!(&r.body, RecordBody::Training(t) if period.contains(t.date)))
        .collect();
    sort_by_date(&mut list);
    list
}

/// Live records marked as typical cases with a date in the period, in date order.
pub fn typical_in(ledger: &Ledger, period: Period) -> Vec<&Record> {
    let mut list: Vec<&Record> = live(ledger)
        .filter(|r| r.typical && any_date_in(r, period))
        .collect();
    sort_by_date(&mut list);
    list
}

/// Whether a record is dated in the period (a technology by any of its stage dates).
pub fn any_date_in(record: &Record, period: Period) -> bool {
    match &record.body {
        RecordBody::Technology(t) => [t.introduced_on, t.demonstrated_on, t.promoted_on]
            .into_iter()
            .flatten()
            .any(|d| period.contains(d)),
        _ => record.date().is_some_and(|d| period.contains(d)),
    }
}

/// Whose records a dashboard counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    All,
    County(String),
    /// A team, by the name recorded on visits.
    Team(String),
    /// One officer's device: the records it wrote last.
    Device(String),
}

impl Scope {
    /// The address's form: `county:盖州市`, `team:…`, `device:…`; nothing for all.
    pub fn to_query(&self) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::County(c) => Some(format!("county:{c}")),
            Scope::Team(t) => Some(format!("team:{t}")),
            Scope::Device(d) => Some(format!("device:{d}")),
        }
    }

    /// Reads the address's form; anything else is everything.
    pub fn from_query(text: &str) -> Scope {
        match text.split_once(':') {
            Some(("county", c)) if !c.is_empty() => Scope::County(c.to_owned()),
            Some(("team", t)) if !t.is_empty() => Scope::Team(t.to_owned()),
            Some(("device", d)) if !d.is_empty() => Scope::Device(d.to_owned()),
            _ => Scope::All,
        }
    }

    pub fn includes(&self, record: &Record) -> bool {
        match self {
            Scope::All => true,
            Scope::County(county) => record.body.county().trim() == county.trim(),
            Scope::Team(team) => {
                matches!(&record.body, RecordBody::Visit(v) if v.team_name.trim() == team.trim())
            }
            Scope::Device(device) => record.device_id == *device,
        }
    }
}

/// The ledger as a scope sees it (everything, for [`Scope::All`]).
pub fn scoped(ledger: &Ledger, scope: &Scope) -> Ledger {
    if *scope == Scope::All {
        return ledger.clone();
    }
    Ledger::from_records(ledger.all().filter(|r| scope.includes(r)).cloned())
}
