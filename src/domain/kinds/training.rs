//! 农民科技培训 / 农民技术员培训: a training session and its attendance in 人次.

use serde::{Deserialize, Serialize};
use time::{Date, Time};
use uuid::Uuid;

use crate::domain::form::{
    Checker, Field, FieldSpec, FormPart, Kind, MAX_HOURS, Picklist, Problem,
};
use crate::domain::record::{RecordBody, RecordKind};
use crate::domain::values::{Place, clock_time_opt, iso_date};
use crate::{access, choice};

/// Fields in alphabetical order: see [`Record`](crate::domain::Record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// Attendance in 人次 (person-times).
    pub attendance: u32,
    #[serde(with = "iso_date")]
    pub date: Date,
    /// The demand record this training answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_hours: Option<f64>,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organiser: String,
    #[serde(default, skip_serializing_if = "Place::is_empty")]
    pub place: Place,
    #[serde(
        with = "clock_time_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// The team record that gave the training.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    /// Technology records this training concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technology_ids: Vec<Uuid>,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trainers: Vec<String>,
    pub training_type: TrainingType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub women: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingType {
    /// 农民科技培训
    Farmer,
    /// 农民技术员培训
    Technician,
    Other,
}

impl TrainingType {
    pub const ALL: [TrainingType; 3] = [
        TrainingType::Farmer,
        TrainingType::Technician,
        TrainingType::Other,
    ];
}

/// One field of a training's form.
type Spec = FieldSpec<Training>;

impl Kind for Training {
    const KIND: RecordKind = RecordKind::Training;
    const NAME: &'static str = "training";
    const SEGMENT: &'static str = "trainings";
    const STORED_TAG: &'static str = "tr";
    const SINCE_SCHEMA: u32 = 1;
    const FIELDS: &'static [FieldSpec<Self>] = &[
        Spec::new(Field::Date, access!(Date, date)).required(),
        Spec::new(Field::TrainingType, choice!(training_type: TrainingType)).facet("type"),
        Spec::new(Field::Topic, access!(Text, topic)).required(),
        Spec::new(Field::StartTime, access!(OptTime, start_time)),
        Spec::new(Field::EndTime, access!(OptTime, end_time)),
        Spec::new(
            Field::DurationHours,
            access!(OptDecimal, duration_hours, MAX_HOURS),
        ),
        Spec::new(Field::Trainers, access!(List, trainers)).picklist(Picklist::People),
        Spec::new(Field::Organiser, access!(Text, organiser)).picklist(Picklist::Partners),
        Spec::new(Field::TeamId, access!(Link, team_id, RecordKind::Team)),
        Spec::new(
            Field::DemandId,
            access!(Link, demand_id, RecordKind::Demand),
        ),
        Spec::new(Field::County, access!(Text, place.county)),
        Spec::new(Field::Township, access!(Text, place.township)).picklist(Picklist::Townships),
        Spec::new(Field::Village, access!(Text, place.village)).picklist(Picklist::Villages),
        Spec::new(Field::Attendance, access!(Count, attendance)).required(),
        Spec::new(Field::Women, access!(OptCount, women)),
        Spec::new(Field::Households, access!(OptCount, households)),
        Spec::new(Field::Subjects, access!(List, subjects)).picklist(Picklist::Subjects),
        Spec::new(Field::TechnologyIds, access!(Ids, technology_ids)),
        Spec::new(Field::Notes, access!(Text, notes)).long(),
    ];
    const LAYOUT: &'static [FormPart] = &[
        FormPart::Row(&[Field::Date, Field::TrainingType]),
        FormPart::Row(&[Field::Topic]),
        FormPart::Row(&[Field::StartTime, Field::EndTime, Field::DurationHours]),
        FormPart::Row(&[Field::Trainers]),
        FormPart::Row(&[Field::Organiser]),
        FormPart::Row(&[Field::TeamId]),
        FormPart::Row(&[Field::DemandId]),
        FormPart::Row(&[Field::County, Field::Township, Field::Village]),
        FormPart::Row(&[Field::Attendance, Field::Women, Field::Households]),
        FormPart::Row(&[Field::Subjects]),
        FormPart::Row(&[Field::TechnologyIds]),
        FormPart::Row(&[Field::Notes]),
    ];
    const TITLE: Field = Field::Topic;
    const CONTEXT: &'static [&'static [Field]] = &[
        &[Field::TrainingType],
        &[Field::County, Field::Township, Field::Village],
        &[Field::Attendance],
    ];

    fn blank(today: Date) -> Self {
        Training {
            attendance: 0,
            date: today,
            demand_id: None,
            duration_hours: None,
            end_time: None,
            households: None,
            notes: String::new(),
            organiser: String::new(),
            place: Place::default(),
            start_time: None,
            subjects: Vec::new(),
            team_id: None,
            technology_ids: Vec::new(),
            topic: String::new(),
            trainers: Vec::new(),
            training_type: TrainingType::Farmer,
            women: None,
        }
    }

    fn check(&self, c: &mut Checker) {
        c.time_range(self.start_time, self.end_time);
        if let Some(women) = self.women
            && !c.failed(Field::Attendance)
            && women > self.attendance
        {
            c.fail(Field::Women, Problem::MoreThanAttendance);
        }
    }

    fn date(&self) -> Option<Date> {
        Some(self.date)
    }

    fn into_body(self) -> RecordBody {
        RecordBody::Training(self)
    }

    fn of_body(body: &RecordBody) -> Option<&Self> {
        match body {
            RecordBody::Training(t) => Some(t),
            _ => None,
        }
    }
}
