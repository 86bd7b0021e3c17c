//! 新品种 / 新技术 / 新机具: an agricultural technology on its way from introduction (引进)
//! through demonstration (示范) to promotion (推广应用).

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::domain::form::{
    Checker, Field, FieldSpec, FormInput, FormPart, Input, Kind, Legend, MAX_AREA_MU, Picklist,
    Problem, from_serde_name, serde_name,
};
use crate::domain::record::{RecordBody, RecordKind};
use crate::domain::values::{GeoPoint, iso_date_opt};
use crate::{access, choice};

/// Fields in alphabetical order: see [`Record`](crate::domain::Record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Technology {
    pub category: TechCategory,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub county: String,
    /// 示范面积, in 亩.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_area_mu: Option<f64>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub demonstrated_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<u32>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub introduced_on: Option<Date>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    /// 推广面积, in 亩.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promoted_area_mu: Option<f64>,
    #[serde(
        with = "iso_date_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub promoted_on: Option<Date>,
    /// Host or demonstration site.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub site: String,
    /// Where the demonstration site is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_location: Option<GeoPoint>,
    pub stage: Stage,
    /// The team record that demonstrates or promotes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
}

impl Technology {
    pub fn stage_date(&self, stage: Stage) -> Option<Date> {
        match stage {
            Stage::Introduced => self.introduced_on,
            Stage::Demonstrated => self.demonstrated_on,
            Stage::Promoted => self.promoted_on,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechCategory {
    Variety,
    Technique,
    Machine,
}

impl TechCategory {
    pub const ALL: [TechCategory; 3] = [
        TechCategory::Variety,
        TechCategory::Technique,
        TechCategory::Machine,
    ];
}

/// 引进 → 示范 → 推广应用.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Introduced,
    Demonstrated,
    Promoted,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Introduced, Stage::Demonstrated, Stage::Promoted];

    /// The field that holds the date this stage was reached.
    pub fn date_field(self) -> Field {
        match self {
            Stage::Introduced => Field::IntroducedOn,
            Stage::Demonstrated => Field::DemonstratedOn,
            Stage::Promoted => Field::PromotedOn,
        }
    }
}

/// One field of a technology's form.
type Spec = FieldSpec<Technology>;

impl Kind for Technology {
    const KIND: RecordKind = RecordKind::Technology;
    const NAME: &'static str = "technology";
    const SEGMENT: &'static str = "technologies";
    const STORED_TAG: &'static str = "te";
    const SINCE_SCHEMA: u32 = 1;
    const FIELDS: &'static [FieldSpec<Self>] = &[
        Spec::new(Field::Name, access!(Text, name))
            .required()
            .picklist(Picklist::Technologies),
        Spec::new(Field::Category, choice!(category: TechCategory)).facet("category"),
        Spec::new(Field::Stage, choice!(stage: Stage)).facet("stage"),
        Spec::new(Field::IntroducedOn, access!(OptDate, introduced_on)),
        Spec::new(Field::DemonstratedOn, access!(OptDate, demonstrated_on)),
        Spec::new(Field::PromotedOn, access!(OptDate, promoted_on)),
        Spec::new(Field::Partners, access!(List, partners)).picklist(Picklist::Partners),
        Spec::new(Field::TeamId, access!(Link, team_id, RecordKind::Team)),
        Spec::new(Field::Site, access!(Text, site)).picklist(Picklist::Hosts),
        Spec::new(Field::County, access!(Text, county)),
        Spec::new(
            Field::DemoArea,
            access!(OptDecimal, demo_area_mu, MAX_AREA_MU),
        ),
        Spec::new(
            Field::PromotedArea,
            access!(OptDecimal, promoted_area_mu, MAX_AREA_MU),
        ),
        Spec::new(Field::Households, access!(OptCount, households)),
        Spec::new(Field::SiteLocation, access!(Location, site_location)),
        Spec::new(Field::Notes, access!(Text, notes)).long(),
    ];
    const LAYOUT: &'static [FormPart] = &[
        FormPart::Row(&[Field::Name]),
        FormPart::Row(&[Field::Category, Field::Stage]),
        FormPart::Group(
            Legend::StageDates,
            &[
                Field::IntroducedOn,
                Field::DemonstratedOn,
                Field::PromotedOn,
            ],
        ),
        FormPart::Row(&[Field::Partners]),
        FormPart::Row(&[Field::TeamId]),
        FormPart::Row(&[Field::Site, Field::County]),
        FormPart::Row(&[Field::DemoArea, Field::PromotedArea, Field::Households]),
        FormPart::Row(&[Field::SiteLocation]),
        FormPart::Row(&[Field::Notes]),
    ];
    const TITLE: Field = Field::Name;
    const CONTEXT: &'static [&'static [Field]] =
        &[&[Field::Category], &[Field::Stage], &[Field::Site]];

    fn blank(today: Date) -> Self {
        Technology {
            category: TechCategory::Technique,
            county: String::new(),
            demo_area_mu: None,
            demonstrated_on: None,
            households: None,
            introduced_on: Some(today),
            name: String::new(),
            notes: String::new(),
            partners: Vec::new(),
            promoted_area_mu: None,
            promoted_on: None,
            site: String::new(),
            site_location: None,
            stage: Stage::Introduced,
            team_id: None,
        }
    }

    /// The current stage's date is required; no date for a stage not reached yet; stage
    /// dates never go backwards.
    fn check(&self, c: &mut Checker) {
        let mut latest: Option<Date> = None;
        for stage in Stage::ALL {
            let field = stage.date_field();
            let date = self.stage_date(stage);
            if stage == self.stage && date.is_none() && !c.failed(field) {
                c.fail(field, Problem::Required);
            }
            if date.is_some() && stage > self.stage {
                c.fail(field, Problem::StageNotReached);
            }
            if let Some(date) = date {
                if latest.is_some_and(|l| date < l) {
                    c.fail(field, Problem::StagesOutOfOrder);
                }
                latest = Some(date);
            }
        }
    }

    /// A date typed for a stage beyond the current one moves the stage there: entering the
    /// promotion date says the technology is promoted.
    fn adjust(input: &mut FormInput, changed: Field) {
        let Some(stage) = Stage::ALL.into_iter().find(|s| s.date_field() == changed) else {
            return;
        };
        let entered = crate::domain::datetime_text::parse_date(input.text(changed).trim());
        let current =
            from_serde_name(&Stage::ALL, input.text(Field::Stage)).unwrap_or(Stage::Introduced);
        if entered.is_some() && stage > current {
            input.set(Field::Stage, Input::Text(serde_name(&stage)));
        }
    }

    /// When it reached its current stage.
    fn date(&self) -> Option<Date> {
        self.stage_date(self.stage)
    }

    fn into_body(self) -> RecordBody {
        RecordBody::Technology(self)
    }

    fn of_body(body: &RecordBody) -> Option<&Self> {
        match body {
            RecordBody::Technology(t) => Some(t),
            _ => None,
        }
    }
}
