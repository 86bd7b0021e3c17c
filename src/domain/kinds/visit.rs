//! 科技特派服务: a commissioner's visit to a host (village, cooperative, farm, enterprise,
//! 星创天地 or science park), what was found and advised, and whether to go back.

use serde::{Deserialize, Serialize};
use time::{Date, Time};
use uuid::Uuid;

use crate::domain::form::{Access, Checker, Field, FieldSpec, FormPart, Kind, Picklist, Problem};
use crate::domain::record::{RecordBody, RecordKind};
use crate::domain::values::{GeoPoint, Place, clock_time_opt, iso_date, iso_date_opt};
use crate::{access, choice, choices};

/// Fields in alphabetical order: see [`Record`](crate::domain::Record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub advice: String,
    pub commissioners: Vec<String>,
    #[serde(with = "iso_date")]
    pub date: Date,
    /// The demand record this visit answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_id: Option<Uuid>,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<Time>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub follow_up_by: Option<Date>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follow_up_needed: bool,
    /// The earlier visit this one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows_up: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<HelpKind>,
    pub host: String,
    pub host_type: HostType,
    /// Where the visit took place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Place::is_empty")]
    pub place: Place,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub problems: String,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<Time>,
    /// The team record the visit was made for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_level: Option<TeamLevel>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team_name: String,
    /// Technologies named in free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technologies: Vec<String>,
    /// Technology records this visit concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technology_ids: Vec<Uuid>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamLevel {
    /// 省级科技特派团
    ProvincialTeam,
    /// 科技特派组
    ProvincialGroup,
    /// 市级科技特派团
    MunicipalTeam,
}

impl TeamLevel {
    pub const ALL: [TeamLevel; 3] = [
        TeamLevel::ProvincialTeam,
        TeamLevel::ProvincialGroup,
        TeamLevel::MunicipalTeam,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostType {
    Village,
    Cooperative,
    FamilyFarm,
    Enterprise,
    InnovationHub,
    SciencePark,
}

impl HostType {
    pub const ALL: [HostType; 6] = [
        HostType::Village,
        HostType::Cooperative,
        HostType::FamilyFarm,
        HostType::Enterprise,
        HostType::InnovationHub,
        HostType::SciencePark,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpKind {
    Diagnosis,
    Advice,
    Demonstration,
    Training,
    FollowUp,
    Other,
}

impl HelpKind {
    pub const ALL: [HelpKind; 6] = [
        HelpKind::Diagnosis,
        HelpKind::Advice,
        HelpKind::Demonstration,
        HelpKind::Training,
        HelpKind::FollowUp,
        HelpKind::Other,
    ];
}

/// The team level, "not given" (an empty name) first.
const TEAM_LEVEL: Access<Visit> = Access::Choice(
    |v| {
        v.team_level
            .as_ref()
            .map(crate::domain::form::serde_name)
            .unwrap_or_default()
    },
    |v, name| {
        v.team_level = crate::domain::form::from_serde_name(&TeamLevel::ALL, name);
        v.team_level.is_some() || name.is_empty()
    },
    || {
        std::iter::once(String::new())
            .chain(TeamLevel::ALL.iter().map(crate::domain::form::serde_name))
            .collect()
    },
);

/// One field of a visit's form.
type Spec = FieldSpec<Visit>;

impl Kind for Visit {
    const KIND: RecordKind = RecordKind::Visit;
    const NAME: &'static str = "visit";
    const SEGMENT: &'static str = "visits";
    const STORED_TAG: &'static str = "vi";
    const SINCE_SCHEMA: u32 = 1;
    const FIELDS: &'static [FieldSpec<Self>] = &[
        Spec::new(Field::Date, access!(Date, date)).required(),
        Spec::new(Field::StartTime, access!(OptTime, start_time)),
        Spec::new(Field::EndTime, access!(OptTime, end_time)),
        Spec::new(Field::Commissioners, access!(List, commissioners))
            .required()
            .picklist(Picklist::People),
        Spec::new(Field::TeamId, access!(Link, team_id, RecordKind::Team)),
        Spec::new(Field::TeamLevel, TEAM_LEVEL),
        Spec::new(Field::TeamName, access!(Text, team_name)).picklist(Picklist::Teams),
        Spec::new(Field::Host, access!(Text, host))
            .required()
            .picklist(Picklist::Hosts),
        Spec::new(Field::HostType, choice!(host_type: HostType)).facet("host"),
        Spec::new(Field::County, access!(Text, place.county)),
        Spec::new(Field::Township, access!(Text, place.township)).picklist(Picklist::Townships),
        Spec::new(Field::Village, access!(Text, place.village)).picklist(Picklist::Villages),
        Spec::new(
            Field::DemandId,
            access!(Link, demand_id, RecordKind::Demand),
        ),
        Spec::new(Field::Help, choices!(help: HelpKind)),
        Spec::new(Field::Problems, access!(Text, problems)).long(),
        Spec::new(Field::Advice, access!(Text, advice)).long(),
        Spec::new(Field::Technologies, access!(List, technologies))
            .picklist(Picklist::Technologies),
        Spec::new(Field::TechnologyIds, access!(Ids, technology_ids)),
        Spec::new(Field::FollowUpNeeded, access!(Flag, follow_up_needed)),
        Spec::new(Field::FollowUpBy, access!(OptDate, follow_up_by))
            .required()
            .shown_if(Field::FollowUpNeeded),
        Spec::new(Field::FollowsUp, access!(OptId, follows_up)),
        Spec::new(Field::Location, access!(Location, location)),
        Spec::new(Field::Notes, access!(Text, notes)).long(),
    ];
    const LAYOUT: &'static [FormPart] = &[
        FormPart::Row(&[Field::Date, Field::StartTime, Field::EndTime]),
        FormPart::Row(&[Field::Commissioners]),
        FormPart::Row(&[Field::TeamId]),
        FormPart::Row(&[Field::TeamLevel, Field::TeamName]),
        FormPart::Row(&[Field::Host, Field::HostType]),
        FormPart::Row(&[Field::County, Field::Township, Field::Village]),
        FormPart::Row(&[Field::DemandId]),
        FormPart::Row(&[Field::Help]),
        FormPart::Row(&[Field::Problems]),
        FormPart::Row(&[Field::Advice]),
        FormPart::Row(&[Field::Technologies]),
        FormPart::Row(&[Field::TechnologyIds]),
        FormPart::Row(&[Field::FollowUpNeeded, Field::FollowUpBy]),
        FormPart::Row(&[Field::Location]),
        FormPart::Row(&[Field::Notes]),
    ];
    const TITLE: Field = Field::Host;
    const CONTEXT: &'static [&'static [Field]] = &[
        &[Field::Commissioners],
        &[Field::County, Field::Township, Field::Village],
    ];

    fn blank(today: Date) -> Self {
        Visit {
            advice: String::new(),
            commissioners: Vec::new(),
            date: today,
            demand_id: None,
            end_time: None,
            follow_up_by: None,
            follow_up_needed: false,
            follows_up: None,
            help: Vec::new(),
            host: String::new(),
            host_type: HostType::Village,
            location: None,
            notes: String::new(),
            place: Place::default(),
            problems: String::new(),
            start_time: None,
            team_id: None,
            team_level: None,
            team_name: String::new(),
            technologies: Vec::new(),
            technology_ids: Vec::new(),
        }
    }

    fn check(&self, c: &mut Checker) {
        c.time_range(self.start_time, self.end_time);
        if let Some(by) = self.follow_up_by
            && !c.failed(Field::Date)
            && by < self.date
        {
            c.fail(Field::FollowUpBy, Problem::FollowUpBeforeVisit);
        }
    }

    fn date(&self) -> Option<Date> {
        Some(self.date)
    }

    fn into_body(self) -> RecordBody {
        RecordBody::Visit(self)
    }

    fn of_body(body: &RecordBody) -> Option<&Self> {
        match body {
            RecordBody::Visit(v) => Some(v),
            _ => None,
        }
    }
}
