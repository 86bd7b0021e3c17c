//! 技术需求: a technology demand collected from a host (village, cooperative, farm,
//! enterprise, 星创天地, park), in the host's words, and how it was handled: 待对接 open →
//! 已对接 matched to a team → 服务中 → 已解决 solved, or 无法解决 closed with a reason.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::domain::datetime_text::parse_date;
use crate::domain::form::{
    Checker, Field, FieldSpec, FormInput, FormPart, Input, Kind, Legend, Picklist, Problem,
    StatusStep, from_serde_name, serde_name,
};
use crate::domain::record::{RecordBody, RecordKind};
use crate::domain::values::{Place, iso_date, iso_date_opt};
use crate::{access, choice};

use super::visit::HostType;

/// Fields in alphabetical order: see [`Record`](crate::domain::Record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    #[serde(with = "iso_date")]
    pub collected_on: Date,
    /// Commissioners matched to the demand (optional; the team is what matching needs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commissioners: Vec<String>,
    /// When it was solved, or closed unsolved.
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ended_on: Option<Date>,
    /// The expertise wanted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub expertise: String,
    pub host: String,
    pub host_type: HostType,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub industry: String,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub matched_on: Option<Date>,
    /// The problem, in the host's words.
    pub need: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Place::is_empty")]
    pub place: Place,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub serving_since: Option<Date>,
    pub status: DemandStatus,
    /// The team record the demand is matched to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    /// Why it could not be solved (required when closed unsolved).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unsolved_reason: String,
    pub urgency: Urgency,
}

/// 待对接 → 已对接 → 服务中 → 已解决, or 无法解决 at any point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandStatus {
    Open,
    Matched,
    Serving,
    Solved,
    Closed,
}

impl DemandStatus {
    pub const ALL: [DemandStatus; 5] = [
        DemandStatus::Open,
        DemandStatus::Matched,
        DemandStatus::Serving,
        DemandStatus::Solved,
        DemandStatus::Closed,
    ];

    /// The field that holds the date this status was reached.
    pub fn date_field(self) -> Field {
        match self {
            DemandStatus::Open => Field::CollectedOn,
            DemandStatus::Matched => Field::MatchedOn,
            DemandStatus::Serving => Field::ServingSince,
            DemandStatus::Solved | DemandStatus::Closed => Field::EndedOn,
        }
    }

    /// Still waiting for a solution (open, matched or being served).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            DemandStatus::Open | DemandStatus::Matched | DemandStatus::Serving
        )
    }

    /// Matched to a team at some point, as the bureau counts 已对接: every status but open
    /// and closed unsolved (a demand closed after matching still has its team and date).
    pub fn needs_team(self) -> bool {
        matches!(
            self,
            DemandStatus::Matched | DemandStatus::Serving | DemandStatus::Solved
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    Normal,
    High,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Low, Urgency::Normal, Urgency::High];
}

impl Demand {
    pub fn status_date(&self, status: DemandStatus) -> Option<Date> {
        match status {
            DemandStatus::Open => Some(self.collected_on),
            DemandStatus::Matched => self.matched_on,
            DemandStatus::Serving => self.serving_since,
            DemandStatus::Solved | DemandStatus::Closed => self.ended_on,
        }
    }

    /// Matched to a team, whatever came after (a matched demand closed unsolved included).
    pub fn was_matched(&self) -> bool {
        self.status.needs_team() || (self.status == DemandStatus::Closed && self.team_id.is_some())
    }
}

/// The steps of a demand's handling in order, each with whether `status` has reached it.
fn steps(demand: &Demand) -> [StatusStep; 4] {
    use DemandStatus::*;
    let status = demand.status;
    let step = |field: Field, date: Option<Date>, reached: bool, current: bool| StatusStep {
        field,
        date,
        reached,
        current,
    };
    [
        // Its date is the record's own required date, checked as a field.
        step(Field::CollectedOn, Some(demand.collected_on), true, false),
        step(
            Field::MatchedOn,
            demand.matched_on,
            status != Open,
            status == Matched,
        ),
        // A demand closed unsolved may have been served before.
        step(
            Field::ServingSince,
            demand.serving_since,
            matches!(status, Serving | Solved | Closed),
            status == Serving,
        ),
        step(
            Field::EndedOn,
            demand.ended_on,
            matches!(status, Solved | Closed),
            matches!(status, Solved | Closed),
        ),
    ]
}

/// One field of a demand's form.
type Spec = FieldSpec<Demand>;

impl Kind for Demand {
    const KIND: RecordKind = RecordKind::Demand;
    const NAME: &'static str = "demand";
    const SEGMENT: &'static str = "demands";
    const STORED_TAG: &'static str = "de";
    const SINCE_SCHEMA: u32 = 2;
    const FIELDS: &'static [FieldSpec<Self>] = &[
        Spec::new(Field::CollectedOn, access!(Date, collected_on)).required(),
        Spec::new(Field::Host, access!(Text, host))
            .required()
            .picklist(Picklist::Hosts),
        Spec::new(Field::HostType, choice!(host_type: HostType)).facet("host"),
        Spec::new(Field::County, access!(Text, place.county)),
        Spec::new(Field::Township, access!(Text, place.township)).picklist(Picklist::Townships),
        Spec::new(Field::Village, access!(Text, place.village)).picklist(Picklist::Villages),
        Spec::new(Field::Industry, access!(Text, industry)).picklist(Picklist::Industries),
        Spec::new(Field::Need, access!(Text, need))
            .required()
            .long(),
        Spec::new(Field::Expertise, access!(Text, expertise)),
        Spec::new(Field::Urgency, choice!(urgency: Urgency)).facet("urgency"),
        Spec::new(Field::DemandStatus, choice!(status: DemandStatus)).facet("status"),
        Spec::new(Field::TeamId, access!(Link, team_id, RecordKind::Team)),
        Spec::new(Field::Commissioners, access!(List, commissioners)).picklist(Picklist::People),
        Spec::new(Field::MatchedOn, access!(OptDate, matched_on)),
        Spec::new(Field::ServingSince, access!(OptDate, serving_since)),
        Spec::new(Field::EndedOn, access!(OptDate, ended_on)),
        Spec::new(Field::UnsolvedReason, access!(Text, unsolved_reason)).long(),
        Spec::new(Field::Notes, access!(Text, notes)).long(),
    ];
    const LAYOUT: &'static [FormPart] = &[
        FormPart::Row(&[Field::CollectedOn]),
        FormPart::Row(&[Field::Host, Field::HostType]),
        FormPart::Row(&[Field::County, Field::Township, Field::Village]),
        FormPart::Row(&[Field::Industry]),
        FormPart::Row(&[Field::Need]),
        FormPart::Row(&[Field::Expertise, Field::Urgency]),
        FormPart::Group(
            Legend::StatusDates,
            &[
                Field::DemandStatus,
                Field::TeamId,
                Field::Commissioners,
                Field::MatchedOn,
                Field::ServingSince,
                Field::EndedOn,
                Field::UnsolvedReason,
            ],
        ),
        FormPart::Row(&[Field::Notes]),
    ];
    const TITLE: Field = Field::Host;
    const CONTEXT: &'static [&'static [Field]] = &[
        &[Field::DemandStatus],
        &[Field::Industry],
        &[Field::County, Field::Township, Field::Village],
    ];

    fn blank(today: Date) -> Self {
        Demand {
            collected_on: today,
            commissioners: Vec::new(),
            ended_on: None,
            expertise: String::new(),
            host: String::new(),
            host_type: HostType::Village,
            industry: String::new(),
            matched_on: None,
            need: String::new(),
            notes: String::new(),
            place: Place::default(),
            serving_since: None,
            status: DemandStatus::Open,
            team_id: None,
            unsolved_reason: String::new(),
            urgency: Urgency::Normal,
        }
    }

    /// The status's date is required and dates never go backwards; matching needs a team;
    /// closing unsolved needs a reason.
    fn check(&self, c: &mut Checker) {
        if c.failed(Field::CollectedOn) {
            // Without the collection date the order of the others cannot be judged.
            let mut later = steps(self);
            later[0].date = None;
            c.status_dates(&later);
        } else {
            c.status_dates(&steps(self));
        }
        if self.status.needs_team() && self.team_id.is_none() && !c.failed(Field::TeamId) {
            c.fail(Field::TeamId, Problem::Required);
        }
        if self.status == DemandStatus::Closed && self.unsolved_reason.is_empty() {
            c.fail(Field::UnsolvedReason, Problem::Required);
        }
    }

    /// A matching or service date typed moves the demand forward to that status.
    fn adjust(input: &mut FormInput, changed: Field) {
        let status = match changed {
            Field::MatchedOn => DemandStatus::Matched,
            Field::ServingSince => DemandStatus::Serving,
            _ => return,
        };
        let entered = parse_date(input.text(changed).trim());
        let current = from_serde_name(&DemandStatus::ALL, input.text(Field::DemandStatus))
            .unwrap_or(DemandStatus::Open);
        if entered.is_some() && current < status {
            input.set(Field::DemandStatus, Input::Text(serde_name(&status)));
        }
    }

    /// When it was collected.
    fn date(&self) -> Option<Date> {
        Some(self.collected_on)
    }

    fn into_body(self) -> RecordBody {
        RecordBody::Demand(self)
    }

    fn of_body(body: &RecordBody) -> Option<&Self> {
        match body {
            RecordBody::Demand(d) => Some(d),
            _ => None,
        }
    }
}
