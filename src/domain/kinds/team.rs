//! 科技特派团 / 科技特派组: a team (or group) of commissioners led by an institution, serving
//! counties and townships in one leading or characteristic industry, from its application
//! (拟申报 → 已申报 → 已立项) through its service (服务中) to its close (已结题).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::datetime_text::parse_date;
use crate::domain::form::{
    Access, Checker, Field, FieldSpec, FormInput, FormPart, Input, Kind, Legend, Picklist,
    StatusStep, from_serde_name, serde_name,
};
use crate::domain::record::{RecordBody, RecordKind};
use crate::domain::values::iso_date_opt;
use crate::{access, choice};

/// Largest support amount accepted, in 万元 (ten billion yuan: a typing mistake beyond).
pub const MAX_SUPPORT_WAN_YUAN: f64 = 1_000_000.0;

/// Fields in alphabetical order: see [`Record`](crate::domain::Record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub applied_on: Option<Date>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub approved_on: Option<Date>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_on: Option<Date>,
    /// The counties (districts, parks) served.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counties: Vec<String>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub drafted_on: Option<Date>,
    pub form: TeamForm,
    /// The leading or characteristic industry served (主导产业/特色产业): rice, vegetables…
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub industry: String,
    /// The lead institution.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub institution: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_type: Option<InstitutionType>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub leader: String,
    pub level: TeamTier,
    /// Commissioners in the team (the leader may be listed too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub project_title: String,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub serving_since: Option<Date>,
    pub status: TeamStatus,
    /// Support granted, in 万元.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_wan_yuan: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub townships: Vec<String>,
    /// The year of the plan the team belongs to (required by the form).
    #[serde(default)]
    pub year: Option<u32>,
}

/// 省级 or 市级.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamTier {
    Provincial,
    Municipal,
}

impl TeamTier {
    pub const ALL: [TeamTier; 2] = [TeamTier::Provincial, TeamTier::Municipal];
}

/// 团 (a team) or 组 (a group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamForm {
    Team,
    Group,
}

impl TeamForm {
    pub const ALL: [TeamForm; 2] = [TeamForm::Team, TeamForm::Group];
}

/// What leads the team: 科研院所, a university, an enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionType {
    ResearchInstitute,
    University,
    Enterprise,
    Other,
}

impl InstitutionType {
    pub const ALL: [InstitutionType; 4] = [
        InstitutionType::ResearchInstitute,
        InstitutionType::University,
        InstitutionType::Enterprise,
        InstitutionType::Other,
    ];
}

/// 拟申报 → 已申报 → 已立项 → 服务中 → 已结题.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamStatus {
    Draft,
    Applied,
    Approved,
    Serving,
    Closed,
}

impl TeamStatus {
    pub const ALL: [TeamStatus; 5] = [
        TeamStatus::Draft,
        TeamStatus::Applied,
        TeamStatus::Approved,
        TeamStatus::Serving,
        TeamStatus::Closed,
    ];

    /// The field that holds the date this status was reached.
    pub fn date_field(self) -> Field {
        match self {
            TeamStatus::Draft => Field::DraftedOn,
            TeamStatus::Applied => Field::AppliedOn,
            TeamStatus::Approved => Field::ApprovedOn,
            TeamStatus::Serving => Field::ServingSince,
            TeamStatus::Closed => Field::ClosedOn,
        }
    }

    /// Approved and not closed: the team is (or is about to be) at work.
    pub fn is_active(self) -> bool {
        matches!(self, TeamStatus::Approved | TeamStatus::Serving)
    }
}

impl Team {
    pub fn status_date(&self, status: TeamStatus) -> Option<Date> {
        match status {
            TeamStatus::Draft => self.drafted_on,
            TeamStatus::Applied => self.applied_on,
            TeamStatus::Approved => self.approved_on,
            TeamStatus::Serving => self.serving_since,
            TeamStatus::Closed => self.closed_on,
        }
    }

    /// Leader first, then the members, each once.
    pub fn people(&self) -> Vec<&str> {
        let mut people: Vec<&str> = Vec::new();
        for name in std::iter::once(&self.leader).chain(&self.members) {
            let name = name.trim();
            if !name.is_empty() && !people.contains(&name) {
                people.push(name);
            }
        }
        people
    }
}

/// The kind of lead institution, "not given" (an empty name) first.
const INSTITUTION_TYPE: Access<Team> = Access::Choice(
    |t| {
        t.institution_type
            .as_ref()
            .map(serde_name)
            .unwrap_or_default()
    },
    |t, name| {
        t.institution_type = from_serde_name(&InstitutionType::ALL, name);
        t.institution_type.is_some() || name.is_empty()
    },
    || {
        std::iter::once(String::new())
            .chain(InstitutionType::ALL.iter().map(serde_name))
            .collect()
    },
);

/// One field of a team's form.
type Spec = FieldSpec<Team>;

impl Kind for Team {
    const KIND: RecordKind = RecordKind::Team;
    const NAME: &'static str = "team";
    const SEGMENT: &'static str = "teams";
    const STORED_TAG: &'static str = "tm";
    const SINCE_SCHEMA: u32 = 2;
    const FIELDS: &'static [FieldSpec<Self>] = &[
        Spec::new(Field::Name, access!(Text, name))
            .required()
            .picklist(Picklist::Teams),
        Spec::new(Field::Tier, choice!(level: TeamTier)).facet("level"),
        Spec::new(Field::TeamForm, choice!(form: TeamForm)).facet("form"),
        Spec::new(Field::Year, access!(OptCount, year)).required(),
        Spec::new(Field::Institution, access!(Text, institution)).picklist(Picklist::Partners),
        Spec::new(Field::InstitutionType, INSTITUTION_TYPE),
        Spec::new(Field::Leader, access!(Text, leader)).picklist(Picklist::People),
        Spec::new(Field::Members, access!(List, members)).picklist(Picklist::People),
        Spec::new(Field::Counties, access!(List, counties)),
        Spec::new(Field::Townships, access!(List, townships)).picklist(Picklist::Townships),
        Spec::new(Field::Industry, access!(Text, industry)).picklist(Picklist::Industries),
        Spec::new(Field::TeamStatus, choice!(status: TeamStatus)).facet("application"),
        Spec::new(Field::DraftedOn, access!(OptDate, drafted_on)),
        Spec::new(Field::AppliedOn, access!(OptDate, applied_on)),
        Spec::new(Field::ApprovedOn, access!(OptDate, approved_on)),
        Spec::new(Field::ServingSince, access!(OptDate, serving_since)),
        Spec::new(Field::ClosedOn, access!(OptDate, closed_on)),
        Spec::new(Field::ProjectTitle, access!(Text, project_title)),
        Spec::new(
            Field::Support,
            access!(OptDecimal, support_wan_yuan, MAX_SUPPORT_WAN_YUAN),
        ),
        Spec::new(Field::Notes, access!(Text, notes)).long(),
    ];
    const LAYOUT: &'static [FormPart] = &[
        FormPart::Row(&[Field::Name]),
        FormPart::Row(&[Field::Tier, Field::TeamForm, Field::Year]),
        FormPart::Row(&[Field::Institution, Field::InstitutionType]),
        FormPart::Row(&[Field::Leader]),
        FormPart::Row(&[Field::Members]),
        FormPart::Row(&[Field::Counties]),
        FormPart::Row(&[Field::Townships]),
        FormPart::Row(&[Field::Industry]),
        FormPart::Group(
            Legend::StatusDates,
            &[
                Field::TeamStatus,
                Field::DraftedOn,
                Field::AppliedOn,
                Field::ApprovedOn,
                Field::ServingSince,
                Field::ClosedOn,
            ],
        ),
        FormPart::Row(&[Field::ProjectTitle, Field::Support]),
        FormPart::Row(&[Field::Notes]),
    ];
    const TITLE: Field = Field::Name;
    const CONTEXT: &'static [&'static [Field]] = &[
        &[Field::Tier, Field::TeamForm],
        &[Field::TeamStatus],
        &[Field::Industry],
    ];

    fn blank(today: Date) -> Self {
        Team {
            applied_on: None,
            approved_on: None,
            closed_on: None,
            counties: Vec::new(),
            drafted_on: Some(today),
            form: TeamForm::Team,
            industry: String::new(),
            institution: String::new(),
            institution_type: None,
            leader: String::new(),
            level: TeamTier::Municipal,
            members: Vec::new(),
            name: String::new(),
            notes: String::new(),
            project_title: String::new(),
            serving_since: None,
            status: TeamStatus::Draft,
            support_wan_yuan: None,
            townships: Vec::new(),
            year: u32::try_from(today.year()).ok(),
        }
    }

    /// The current status's date is required; no date for a status not reached yet; the
    /// dates never go backwards.
    fn check(&self, c: &mut Checker) {
        c.year(Field::Year, self.year);
        let steps = TeamStatus::ALL.map(|status| StatusStep {
            field: status.date_field(),
            date: self.status_date(status),
            reached: status <= self.status,
            current: status == self.status,
        });
        c.status_dates(&steps);
    }

    /// A date typed for a later status moves the team there: entering the approval date
    /// says the team is approved.
    fn adjust(input: &mut FormInput, changed: Field) {
        let Some(status) = TeamStatus::ALL
            .into_iter()
            .find(|s| s.date_field() == changed)
        else {
            return;
        };
        let entered = parse_date(input.text(changed).trim());
        let current = from_serde_name(&TeamStatus::ALL, input.text(Field::TeamStatus))
            .unwrap_or(TeamStatus::Draft);
        if entered.is_some() && status > current {
            input.set(Field::TeamStatus, Input::Text(serde_name(&status)));
        }
    }

    /// When it reached its current status.
    fn date(&self) -> Option<Date> {
        self.status_date(self.status)
    }

    fn into_body(self) -> RecordBody {
        RecordBody::Team(self)
    }

    fn of_body(body: &RecordBody) -> Option<&Self> {
        match body {
            RecordBody::Team(t) => Some(t),
            _ => None,
        }
    }
}
