//! Sample data built from the bureau's report, to explore the app with.
//!
//! The technologies and their partners are the real examples from the report on the first
//! half of 2022 (sections 二.11 and 三.(七)); the trainings match its "农民技术员培训4场、
//! 150余人次" (4 technician trainings, 150+ person-times); dates, areas, places, people and
//! visits are made up for the demonstration.
//! Every record carries `sample = true` and an id from a fixed block, so loading the sample
//! twice changes nothing and removing it is one step.

use time::{Date, OffsetDateTime, Time, macros::date, macros::time};
use uuid::Uuid;

use super::form::Kind;
use super::kinds::*;
use super::record::*;
use super::values::Place;

/// The high 64 bits every sample id shares ("5a4d" for sample, then a fixed pattern).
const SAMPLE_ID_PREFIX: u64 = 0x5a4d_1e00_0000_4000;

// What the sample adds up to in 2022, by the rules of [`super::totals`]: 4 technician
// trainings with 156 人次 (all in the first half); 4 technologies introduced, 3 demonstrated
// (480.5 亩), 2 promoted (2 800 亩); 8 visits by 6 commissioners to 8 hosts; 257 households
// (126 trained + 131 reached by the promoted technologies).

/// The id of sample record `n` of a kind (1 = trainings, 2 = technologies, 3 = visits).
fn sample_id(kind: u16, n: u16) -> Uuid {
    let low = 0x8000_0000_0000_0000_u64 | (u64::from(kind) << 16) | u64::from(n);
    Uuid::from_u64_pair(SAMPLE_ID_PREFIX, low)
}

/// Whether an id is one the sample uses.
pub fn is_sample_id(id: &Uuid) -> bool {
    id.as_u64_pair().0 == SAMPLE_ID_PREFIX
}

/// A record from the sample: flagged as such, or carrying a sample id (the flag is what the
/// app sets; the id catches a sample record that lost it on the way through some other tool).
pub fn is_sample(record: &Record) -> bool {
    record.sample || is_sample_id(&record.id)
}

fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn place(county: &str, township: &str, village: &str) -> Place {
    Place {
        county: county.to_owned(),
        township: township.to_owned(),
        village: village.to_owned(),
    }
}

struct TrainingSeed {
    date: Date,
    hours: (Time, Time),
    topic: &'static str,
    trainers: &'static [&'static str],
    organiser: &'static str,
    place: [&'static str; 3],
    attendance: u32,
    women: u32,
    households: u32,
    subjects: &'static [&'static str],
}

/// Four technician trainings (农民技术员培训) in the first half of 2022: 38 + 42 + 35 + 41 = 156 人次.
const TRAININGS: [TrainingSeed; 4] = [
    TrainingSeed {
        date: date!(2022 - 03 - 15),
        hours: (time!(9:00), time!(11:30)),
        topic: "水稻工厂化育秧技术",
        trainers: &["赵志强"],
        organiser: "盖州市科技局",
        place: ["盖州市", "九寨镇", "五美房村"],
        attendance: 38,
        women: 12,
        households: 30,
        subjects: &["水稻", "育秧"],
    },
    TrainingSeed {
        date: date!(2022 - 04 - 12),
        hours: (time!(13:30), time!(16:00)),
        topic: "设施蔬菜病虫害绿色防控",
        trainers: &["刘海峰", "孙丽"],
        organiser: "大石桥市科技局",
        place: ["大石桥市", "高坎镇", "高坎村"],
        attendance: 42,
        women: 19,
        households: 35,
        subjects: &["设施蔬菜", "病虫害防控"],
    },
    TrainingSeed {
        date: date!(2022 - 05 - 18),
        hours: (time!(9:00), time!(11:00)),
        topic: "盐碱地改良与水稻高产栽培",
        trainers: &["陈国栋"],
        organiser: "老边区农业农村局",
        place: ["老边区", "柳树镇", "南王村"],
        attendance: 35,
        women: 9,
        households: 28,
        subjects: &["盐碱地改良", "水稻"],
    },
    TrainingSeed {
        date: date!(2022 - 06 - 08),
        hours: (time!(14:00), time!(16:30)),
        topic: "苹果园春季管理与腐烂病防治",
        trainers: &["周明"],
        organiser: "鲅鱼圈区科技局",
        place: ["鲅鱼圈区", "熊岳镇", "望儿山村"],
        attendance: 41,
        women: 15,
        households: 33,
        subjects: &["果树", "苹果"],
    },
];

fn training(seed: &TrainingSeed) -> Training {
    let [county, township, village] = seed.place;
    Training {
        start_time: Some(seed.hours.0),
        end_time: Some(seed.hours.1),
        topic: seed.topic.to_owned(),
        trainers: texts(seed.trainers),
        organiser: seed.organiser.to_owned(),
        place: place(county, township, village),
        attendance: seed.attendance,
        women: Some(seed.women),
        households: Some(seed.households),
        subjects: texts(seed.subjects),
        // The report's four first-half trainings were 农民技术员培训.
        training_type: TrainingType::Technician,
        ..Training::blank(seed.date)
    }
}

/// The four technologies from the report, at different stages of 2022.
fn technologies() -> [Technology; 4] {
    let blank = Technology::blank(date!(2022 - 01 - 01));
    [
        Technology {
            name: "低成本可控生物降解地膜".into(),
            partners: texts(&["中科院长春应用化学研究所", "辽宁东盛集团"]),
            site: "辽宁东盛集团示范基地".into(),
            county: "大石桥市".into(),
            stage: Stage::Promoted,
            introduced_on: Some(date!(2022 - 03 - 01)),
            demonstrated_on: Some(date!(2022 - 05 - 10)),
            promoted_on: Some(date!(2022 - 09 - 20)),
            demo_area_mu: Some(120.5),
            promoted_area_mu: Some(800.0),
            households: Some(46),
            notes: "替代普通地膜，减少残膜污染".into(),
            ..blank.clone()
        },
        Technology {
            name: "几种大宗蔬菜供应链保鲜关键技术".into(),
            partners: texts(&["国家农产品保鲜工程技术研究中心", "辽宁东盛集团"]),
            site: "大石桥市蔬菜冷链物流园".into(),
            county: "大石桥市".into(),
            stage: Stage::Demonstrated,
            introduced_on: Some(date!(2022 - 04 - 06)),
            demonstrated_on: Some(date!(2022 - 07 - 15)),
            demo_area_mu: Some(60.0),
            ..blank.clone()
        },
        Technology {
            name: "滨海重盐碱地加速改良培育与产能提升技术集成与示范".into(),
            partners: texts(&["中国科学院南京土壤研究所", "中国科学院盐碱地资源实验室"]),
            site: "营口国丰生态农业发展有限公司".into(),
            county: "老边区".into(),
            stage: Stage::Promoted,
            introduced_on: Some(date!(2022 - 02 - 21)),
            demonstrated_on: Some(date!(2022 - 04 - 25)),
            promoted_on: Some(date!(2022 - 10 - 10)),
            demo_area_mu: Some(300.0),
            promoted_area_mu: Some(2000.0),
            households: Some(85),
            ..blank.clone()
        },
        Technology {
            name: "利用分子育种技术改良域稻17等品种的香味性状".into(),
            category: TechCategory::Variety,
            partners: texts(&["山东省农业科学院水稻研究所"]),
            site: "营口天域稻业有限公司".into(),
            county: "大石桥市".into(),
            stage: Stage::Introduced,
            introduced_on: Some(date!(2022 - 05 - 30)),
            ..blank
        },
    ]
}

/// Eight commissioner visits across 2022; the fourth still needs its follow-up.
fn visits() -> [Visit; 8] {
    let tech = |n| sample_id(2, n);
    let blank = Visit::blank(date!(2022 - 01 - 01));
    [
        Visit {
            date: date!(2022 - 03 - 22),
            start_time: Some(time!(9:30)),
            end_time: Some(time!(11:30)),
            commissioners: texts(&["赵志强", "刘海峰"]),
            team_level: Some(TeamLevel::ProvincialTeam),
            team_name: "省级农业新材料科技特派团".into(),
            host: "辽宁东盛集团".into(),
            host_type: HostType::Enterprise,
            place: place("大石桥市", "", ""),
            help: vec![HelpKind::Advice, HelpKind::Demonstration],
            advice: "地膜覆盖前精细整地，铺膜后压实膜边".into(),
            technologies: texts(&["低成本可控生物降解地膜"]),
            technology_ids: vec![tech(1)],
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 04 - 19),
            commissioners: texts(&["赵志强"]),
            team_level: Some(TeamLevel::ProvincialTeam),
            team_name: "省级水稻科技特派团".into(),
            host: "九寨镇水稻种植专业合作社".into(),
            host_type: HostType::Cooperative,
            place: place("盖州市", "九寨镇", ""),
            help: vec![HelpKind::Diagnosis, HelpKind::Advice],
            problems: "育秧棚内秧苗出现立枯病".into(),
            advice: "控制苗床湿度，加强通风炼苗".into(),
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 05 - 24),
            commissioners: texts(&["孙丽", "陈国栋"]),
            team_level: Some(TeamLevel::ProvincialGroup),
            team_name: "省级盐碱地改良科技特派组".into(),
            host: "营口国丰生态农业发展有限公司".into(),
            host_type: HostType::Enterprise,
            place: place("老边区", "柳树镇", ""),
            help: vec![HelpKind::Demonstration],
            technologies: texts(&["滨海重盐碱地加速改良培育与产能提升技术集成与示范"]),
            technology_ids: vec![tech(3)],
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 06 - 14),
            commissioners: texts(&["周明"]),
            team_level: Some(TeamLevel::ProvincialGroup),
            team_name: "省级果树科技特派组".into(),
            host: "望儿山村".into(),
            host_type: HostType::Village,
            place: place("鲅鱼圈区", "熊岳镇", "望儿山村"),
            help: vec![HelpKind::Diagnosis, HelpKind::Advice, HelpKind::Training],
            problems: "部分苹果树腐烂病复发".into(),
            advice: "刮除病斑后涂药，秋季复查".into(),
            follow_up_needed: true,
            follow_up_by: Some(date!(2022 - 09 - 30)),
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 07 - 12),
            commissioners: texts(&["吴晓燕", "赵志强"]),
            team_level: Some(TeamLevel::MunicipalTeam),
            team_name: "市级水稻科技特派团".into(),
            host: "营口天域稻业有限公司".into(),
            host_type: HostType::Enterprise,
            place: place("大石桥市", "", ""),
            help: vec![HelpKind::Advice],
            advice: "香稻品系田间鉴定与原种繁育同步开展".into(),
            technologies: texts(&["域稻17"]),
            technology_ids: vec![tech(4)],
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 08 - 23),
            commissioners: texts(&["刘海峰"]),
            team_level: Some(TeamLevel::MunicipalTeam),
            team_name: "市级设施农业科技特派团".into(),
            host: "营口高新区星创天地".into(),
            host_type: HostType::InnovationHub,
            place: place("营口高新区", "", ""),
            help: vec![HelpKind::Advice, HelpKind::Training],
            advice: "组织入驻农业企业对接科研院所".into(),
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 09 - 27),
            commissioners: texts(&["陈国栋"]),
            host: "双台镇绿源家庭农场".into(),
            host_type: HostType::FamilyFarm,
            place: place("盖州市", "双台镇", ""),
            help: vec![HelpKind::Diagnosis],
            problems: "玉米大斑病".into(),
            ..blank.clone()
        },
        Visit {
            date: date!(2022 - 11 - 08),
            commissioners: texts(&["孙丽"]),
            team_level: Some(TeamLevel::MunicipalTeam),
            team_name: "市级设施农业科技特派团".into(),
            host: "高坎镇设施蔬菜专业合作社".into(),
            host_type: HostType::Cooperative,
            place: place("大石桥市", "高坎镇", ""),
            help: vec![HelpKind::Advice, HelpKind::Demonstration],
            advice: "蔬菜采收后先预冷，再进入冷链运输".into(),
            technologies: texts(&["几种大宗蔬菜供应链保鲜关键技术"]),
            technology_ids: vec![tech(2)],
            ..blank
        },
    ]
}

/// The sample: 4 trainings, 4 technologies and 8 visits, the same on every call.
pub fn sample_records(author: &Author, now: OffsetDateTime) -> Vec<Record> {
    let trainings = (1u16..)
        .zip(TRAININGS.iter())
        .map(|(n, seed)| (sample_id(1, n), RecordBody::Training(training(seed))));
    let technologies = (1u16..)
        .zip(technologies())
        .map(|(n, t)| (sample_id(2, n), RecordBody::Technology(t)));
    let visits = (1u16..)
        .zip(visits())
        .map(|(n, v)| (sample_id(3, n), RecordBody::Visit(v)));
    trainings
        .chain(technologies)
        .chain(visits)
        .map(|(id, body)| Record {
            sample: true,
            ..Record::create(id, body, author, now)
        })
        .collect()
}
