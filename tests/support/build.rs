//! Records as the tests want them. Every body starts from its kind's own blank
//! (`Training::blank`, `Technology::blank`, `Visit::blank`), and a test changes only what it is
//! about with struct-update syntax (`Visit { host: …, ..visit(date) }`), so that a field added
//! to a kind never has to be added to a test.

use field_ledger::domain::*;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The day the tests are run "on", unless one says otherwise.
pub const TODAY: Date = date!(2022 - 06 - 20);
/// The instant records are written at, unless a test says otherwise.
pub const NOW: OffsetDateTime = datetime!(2022-06-20 08:30 UTC);

/// The officer of this tablet.
pub fn officer() -> Author {
    Author {
        device_id: "3f2a9c1e-0000-4000-8000-000000000001".into(),
        name: "王建国".into(),
    }
}

/// A colleague, writing on the device `device`.
pub fn author(device: &str) -> Author {
    Author {
        device_id: device.into(),
        name: "李娜".into(),
    }
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A place given by its county alone.
pub fn in_county(county: &str) -> Place {
    Place {
        county: county.into(),
        ..Place::default()
    }
}

/// A farmer training on `date`: a topic, one trainer, 40 attending.
pub fn training(date: Date) -> Training {
    Training {
        topic: "水稻育秧技术".into(),
        trainers: strings(&["李明"]),
        attendance: 40,
        ..Training::blank(date)
    }
}

/// A training in `county` with `attendance`: what counting and filtering vary.
pub fn training_in(county: &str, date: Date, attendance: u32) -> Training {
    Training {
        place: in_county(county),
        attendance,
        ..training(date)
    }
}

/// A training on 1 June 2022 about `topic`, as a record holds it.
pub fn training_about(topic: &str) -> RecordBody {
    Training {
        topic: topic.into(),
        ..training(date!(2022 - 06 - 01))
    }
    .into_body()
}

/// A technique introduced on 1 March 2022 in 大石桥市.
pub fn technology(name: &str) -> Technology {
    Technology {
        name: name.into(),
        county: "大石桥市".into(),
        ..Technology::blank(date!(2022 - 03 - 01))
    }
}

/// `technology` with these stage dates, at the last stage that has one (introduced when none
/// has).
pub fn staged(
    technology: Technology,
    introduced: Option<Date>,
    demonstrated: Option<Date>,
    promoted: Option<Date>,
) -> Technology {
    let stage = if promoted.is_some() {
        Stage::Promoted
    } else if demonstrated.is_some() {
        Stage::Demonstrated
    } else {
        Stage::Introduced
    };
    Technology {
        stage,
        introduced_on: introduced,
        demonstrated_on: demonstrated,
        promoted_on: promoted,
        ..technology
    }
}

/// 赵志强's visit to an enterprise on `date`, to advise.
pub fn visit(date: Date) -> Visit {
    Visit {
        commissioners: strings(&["赵志强"]),
        host: "营口天域米业".into(),
        host_type: HostType::Enterprise,
        help: vec![HelpKind::Advice],
        ..Visit::blank(date)
    }
}

/// A visit in `county`: what counting and filtering vary.
pub fn visit_in(county: &str, date: Date) -> Visit {
    Visit {
        place: in_county(county),
        ..visit(date)
    }
}

/// A body of any kind, as a record holds it.
pub trait IntoBody {
    fn into_record_body(self) -> RecordBody;
}

impl IntoBody for RecordBody {
    fn into_record_body(self) -> RecordBody {
        self
    }
}

impl IntoBody for Training {
    fn into_record_body(self) -> RecordBody {
        self.into_body()
    }
}

impl IntoBody for Technology {
    fn into_record_body(self) -> RecordBody {
        self.into_body()
    }
}

impl IntoBody for Visit {
    fn into_record_body(self) -> RecordBody {
        self.into_body()
    }
}

/// Record `n` (its id is `n`), written by the officer at [`NOW`].
pub fn record(n: u128, body: impl IntoBody) -> Record {
    Record::create(id(n), body.into_record_body(), &officer(), NOW)
}

/// A ledger of these bodies, as records 1, 2, 3 … in order.
pub fn ledger_of(bodies: impl IntoIterator<Item = RecordBody>) -> Ledger {
    Ledger::from_records(bodies.into_iter().zip(1..).map(|(body, n)| record(n, body)))
}

/// The sample data (`domain::sample`), as loaded by the officer at [`NOW`].
pub fn sample_ledger() -> Ledger {
    Ledger::from_records(field_ledger::domain::sample::sample_records(
        &officer(),
        NOW,
    ))
}

/// The technology record the full training and visit name.
pub const FULL_TECHNOLOGY: u128 = 7;
/// The team record the full records name.
pub const FULL_TEAM: u128 = 11;
/// The demand record the full training and visit answer.
pub const FULL_DEMAND: u128 = 12;

/// A GPS point with everything a tablet gives: accuracy, and a time with an offset and a
/// fraction of a second.
pub fn gps_point() -> GeoPoint {
    GeoPoint {
        latitude: 40.6651,
        longitude: 122.2351,
        accuracy_m: Some(12.5),
        captured_at: Some(datetime!(2022-06-10 10:05:30.25 +08:00)),
    }
}

/// A training with every field of its form filled, some with text that needs escaping.
/// (`tests/domain.rs` checks that every field is filled, so a new field must be added here.)
pub fn full_training() -> Training {
    Training {
        start_time: Some(time::macros::time!(14:00)),
        end_time: Some(time::macros::time!(16:30)),
        duration_hours: Some(2.5),
        training_type: TrainingType::Technician,
        topic: "水稻 \"绿色\" 防控\n<b>第二期</b>".into(),
        trainers: strings(&["刘强", "陈静"]),
        organiser: "大石桥市农业农村局".into(),
        place: Place {
            county: "大石桥市".into(),
            township: "高坎镇".into(),
            village: "西沟村".into(),
        },
        attendance: 52,
        women: Some(20),
        households: Some(33),
        subjects: strings(&["设施蔬菜"]),
        technology_ids: vec![id(FULL_TECHNOLOGY)],
        team_id: Some(id(FULL_TEAM)),
        demand_id: Some(id(FULL_DEMAND)),
        notes: "\u{202e}备注\t😀".into(),
        ..Training::blank(date!(2022 - 06 - 10))
    }
}

/// A technology with every field of its form filled.
pub fn full_technology() -> Technology {
    Technology {
        category: TechCategory::Machine,
        partners: strings(&["中科院"]),
        site: "示范基地".into(),
        demo_area_mu: Some(120.5),
        promoted_area_mu: Some(3000.0),
        households: Some(12),
        site_location: Some(gps_point()),
        notes: "增产约8%".into(),
        team_id: Some(id(FULL_TEAM)),
        ..staged(
            technology("低成本可控生物降解地膜"),
            Some(date!(2022 - 03 - 01)),
            Some(date!(2022 - 04 - 01)),
            Some(date!(2022 - 05 - 01)),
        )
    }
}

/// A visit with every field of its form filled.
pub fn full_visit() -> Visit {
    Visit {
        start_time: Some(time::macros::time!(14:00)),
        end_time: Some(time::macros::time!(16:30)),
        commissioners: strings(&["赵志强", "孙丽"]),
        team_level: Some(TeamLevel::ProvincialTeam),
        team_name: "省级水稻科技特派团".into(),
        host_type: HostType::Cooperative,
        place: Place {
            county: "老边区".into(),
            township: "柳树镇".into(),
            village: "西海村".into(),
        },
        help: HelpKind::ALL.to_vec(),
        problems: "稻瘟病".into(),
        advice: "及时喷药".into(),
        technologies: strings(&["域稻17"]),
        technology_ids: vec![id(FULL_TECHNOLOGY)],
        follow_up_needed: true,
        follow_up_by: Some(date!(2022 - 07 - 01)),
        follows_up: Some(id(9)),
        team_id: Some(id(FULL_TEAM)),
        demand_id: Some(id(FULL_DEMAND)),
        location: Some(gps_point()),
        notes: "再访".into(),
        ..visit(date!(2022 - 06 - 12))
    }
}

/// Trainings another tablet wrote, about `topics`, with ids from `first_id` on.
pub fn trainings_from(
    device: &str,
    first_id: u128,
    topics: impl IntoIterator<Item = String>,
) -> Vec<Record> {
    topics
        .into_iter()
        .zip(first_id..)
        .map(|(topic, n)| {
            Record::create(
                id(n),
                training_about(&topic),
                &author(device),
                datetime!(2022-06-01 00:00 UTC),
            )
        })
        .collect()
}

/// The export file of the tablet `device` with these records, as an import reads it.
pub fn file_of(device: &str, records: Vec<Record>) -> ExportEnvelope {
    ExportEnvelope::new(records, device, datetime!(2022-06-02 00:00 UTC), None)
}

impl IntoBody for Team {
    fn into_record_body(self) -> RecordBody {
        self.into_body()
    }
}

impl IntoBody for Demand {
    fn into_record_body(self) -> RecordBody {
        self.into_body()
    }
}

/// A municipal team for the rice industry of 大石桥市, approved on 1 July 2022 and serving
/// since 15 July.
pub fn team(name: &str) -> Team {
    Team {
        name: name.into(),
        level: TeamTier::Municipal,
        form: TeamForm::Team,
        year: Some(2022),
        institution: "辽宁省水稻研究所".into(),
        institution_type: Some(InstitutionType::ResearchInstitute),
        leader: "赵志强".into(),
        members: strings(&["孙丽", "刘海峰"]),
        counties: strings(&["大石桥市"]),
        townships: strings(&["高坎镇"]),
        industry: "水稻".into(),
        status: TeamStatus::Serving,
        drafted_on: Some(date!(2022 - 06 - 01)),
        applied_on: Some(date!(2022 - 06 - 10)),
        approved_on: Some(date!(2022 - 07 - 01)),
        serving_since: Some(date!(2022 - 07 - 15)),
        ..Team::blank(date!(2022 - 06 - 01))
    }
}

/// An open demand a cooperative of 盖州市 gave on 20 June 2022.
pub fn demand(host: &str) -> Demand {
    Demand {
        host: host.into(),
        host_type: HostType::Cooperative,
        place: Place {
            county: "盖州市".into(),
            township: "九寨镇".into(),
            village: "五美房村".into(),
        },
        industry: "水稻".into(),
        need: "稻田盐碱重，秧苗返青慢".into(),
        expertise: "盐碱地改良".into(),
        urgency: Urgency::High,
        ..Demand::blank(date!(2022 - 06 - 20))
    }
}

/// A team with every field of its form filled, closed after its service.
pub fn full_team() -> Team {
    Team {
        form: TeamForm::Group,
        level: TeamTier::Provincial,
        project_title: "水稻盐碱地改良科技特派项目".into(),
        support_wan_yuan: Some(30.0),
        status: TeamStatus::Closed,
        closed_on: Some(date!(2022 - 12 - 20)),
        notes: "<i>结题</i> \"优秀\"".into(),
        ..team("省级水稻科技特派组")
    }
}

/// A demand with every field of its form filled, closed unsolved after its service.
pub fn full_demand() -> Demand {
    Demand {
        status: DemandStatus::Closed,
        team_id: Some(id(FULL_TEAM)),
        commissioners: strings(&["赵志强"]),
        matched_on: Some(date!(2022 - 06 - 25)),
        serving_since: Some(date!(2022 - 07 - 01)),
        ended_on: Some(date!(2022 - 09 - 30)),
        unsolved_reason: "需要的改良剂当地买不到".into(),
        notes: "再议".into(),
        ..demand("盖州市九寨镇水稻合作社")
    }
}
