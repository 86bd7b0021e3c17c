//! Sample data built from the bureau's report, to explore the app with.
//!
//! The technologies and their partners are the real examples from the report on the first
//! half of 2022 (sections 二.11 and 三.(七)); the trainings match its "农民技术员培训4场、
//! 150余人次" (4 technician trainings, 150+ person-times); dates, areas, places, people and
//! visits are made up for the demonstration.
//! The teams are the report's "组织8个特派团、4个特派组进行网上申报" (8 provincial teams and 4
//! groups applying online for 2022, a few of them approved and serving since), and the demands
//! its June call for the municipal plan ("6月份发布了2022年市级科技特派计划需求征集的通知");
//! their names, institutions, hosts and dates are made up too. A few trainings and visits link
//! the team that gave them and one visit the demand it answered: links only, so the figures
//! below are the same as without them.
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
// (126 trained + 131 reached by the promoted technologies). 12 teams of 2022 (8 团 and 4 组,
// all provincial: 7 applied, 1 approved, 4 serving). 8 demands collected in June, all in the
// first half: 5 matched to a team (one of them closed unsolved after), 1 solved, 6 pending
// (3 open, 2 matched, 1 served).

/// The id of sample record `n` of a kind (1 = trainings, 2 = technologies, 3 = visits,
/// 4 = teams, 5 = demands).
fn sample_id(kind: u16, n: u16) -> Uuid {
    let low = 0x8000_0000_0000_0000_u64 | (u64::from(kind) << 16) | u64::from(n);
    Uuid::from_u64_pair(SAMPLE_ID_PREFIX, low)
}

/// The half-year the seed report covers: a ledger holding only sample data opens on it, so
/// that the dashboard first shows what the report says (4 / 10 trainings, 156 / 500 人次).
/// The sample also holds the second half of 2022 (technologies promoted, visits), to show
/// how a later period is judged by the year so far.
pub const SEED_PERIOD: (i32, super::period::Preset) = (2022, super::period::Preset::FirstHalf);

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
    /// The sample team (numbered as in [`TEAMS`]) that gave the training.
    team: Option<u16>,
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
        team: None,
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
        team: None,
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
        team: Some(SALINE_GROUP),
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
        team: Some(FRUIT_GROUP),
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
        team_id: seed.team.map(|n| sample_id(4, n)),
        ..Training::blank(seed.date)
    }
}

/// The four technologies from the report, at different stages of 2022 (the saline-alkali one
/// demonstrated by the serving 盐碱地改良 group).
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
            team_id: Some(sample_id(4, SALINE_GROUP)),
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

/// Eight commissioner visits across 2022; the fourth still needs its follow-up. The third and
/// fourth link their (serving) group, the fourth the June demand it answered.
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
            team_id: Some(sample_id(4, SALINE_GROUP)),
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
            team_id: Some(sample_id(4, FRUIT_GROUP)),
            demand_id: Some(sample_id(5, ORCHARD_DEMAND)),
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

/// Sample teams the other records link, by their number in [`TEAMS`].
const RICE_TEAM: u16 = 1;
const VEGETABLE_TEAM: u16 = 2;
const MAIZE_TEAM: u16 = 4;
const SALINE_GROUP: u16 = 9;
const FRUIT_GROUP: u16 = 10;
/// The sample demand a visit answers, by its number in [`demands`].
const ORCHARD_DEMAND: u16 = 1;

struct TeamSeed {
    name: &'static str,
    form: TeamForm,
    industry: &'static str,
    institution: &'static str,
    institution_type: InstitutionType,
    leader: &'static str,
    members: &'static [&'static str],
    counties: &'static [&'static str],
    townships: &'static [&'static str],
    applied_on: Date,
    /// Approved: the project's title and support in 万元, and whether it is serving yet.
    approved: Option<(&'static str, f64, bool)>,
}

/// Drafted before the online application opened.
const DRAFTED_ON: Date = date!(2022 - 02 - 28);
/// The province's approval of the first teams, and when they started serving.
const APPROVED_ON: Date = date!(2022 - 05 - 10);
const SERVING_SINCE: Date = date!(2022 - 05 - 16);

/// The 8 teams and 4 groups that applied online in March 2022 for provincial support; five
/// approved in May, four of them serving since.
const TEAMS: [TeamSeed; 12] = [
    TeamSeed {
        name: "省级水稻科技特派团",
        form: TeamForm::Team,
        industry: "水稻",
        institution: "辽宁省农业科学院",
        institution_type: InstitutionType::ResearchInstitute,
        leader: "赵志强",
        members: &["吴晓燕", "陈国栋"],
        counties: &["盖州市", "大石桥市"],
        townships: &["九寨镇"],
        applied_on: date!(2022 - 03 - 10),
        approved: Some(("营口水稻绿色高质高效生产技术集成与示范", 30.0, true)),
    },
    TeamSeed {
        name: "省级设施蔬菜科技特派团",
        form: TeamForm::Team,
        industry: "设施蔬菜",
        institution: "沈阳农业大学",
        institution_type: InstitutionType::University,
        leader: "刘海峰",
        members: &["孙丽"],
        counties: &["大石桥市"],
        townships: &["高坎镇"],
        applied_on: date!(2022 - 03 - 11),
        approved: Some(("设施蔬菜连作障碍治理与绿色防控技术示范", 30.0, true)),
    },
    TeamSeed {
        name: "省级农业新材料科技特派团",
        form: TeamForm::Team,
        industry: "生物降解地膜",
        institution: "辽宁东盛集团",
        institution_type: InstitutionType::Enterprise,
        leader: "刘海峰",
        members: &["赵志强"],
        counties: &["大石桥市", "营口高新区"],
        townships: &[],
        applied_on: date!(2022 - 03 - 14),
        approved: None,
    },
    TeamSeed {
        name: "省级玉米科技特派团",
        form: TeamForm::Team,
        industry: "玉米",
        institution: "沈阳农业大学",
        institution_type: InstitutionType::University,
        leader: "陈国栋",
        members: &["孙丽"],
        counties: &["盖州市"],
        townships: &["双台镇"],
        applied_on: date!(2022 - 03 - 15),
        approved: Some(("玉米病害绿色防控与密植高产技术示范", 20.0, false)),
    },
    TeamSeed {
        name: "省级水产养殖科技特派团",
        form: TeamForm::Team,
        industry: "水产养殖",
        institution: "大连海洋大学",
        institution_type: InstitutionType::University,
        leader: "吴晓燕",
        members: &["周明"],
        counties: &["盖州市", "鲅鱼圈区", "老边区"],
        townships: &[],
        applied_on: date!(2022 - 03 - 16),
        approved: None,
    },
    TeamSeed {
        name: "省级食用菌科技特派团",
        form: TeamForm::Team,
        industry: "食用菌",
        institution: "辽宁省微生物科学研究院",
        institution_type: InstitutionType::ResearchInstitute,
        leader: "孙丽",
        members: &["刘海峰"],
        counties: &["大石桥市", "盖州市"],
        townships: &[],
        applied_on: date!(2022 - 03 - 17),
        approved: None,
    },
    TeamSeed {
        name: "省级畜禽养殖科技特派团",
        form: TeamForm::Team,
        industry: "畜禽养殖",
        institution: "辽宁农业职业技术学院",
        institution_type: InstitutionType::University,
        leader: "陈国栋",
        members: &["吴晓燕"],
        counties: &["大石桥市", "盖州市"],
        townships: &[],
        applied_on: date!(2022 - 03 - 18),
        approved: None,
    },
    TeamSeed {
        name: "省级农产品保鲜科技特派团",
        form: TeamForm::Team,
        industry: "农产品保鲜",
        institution: "国家农产品保鲜工程技术研究中心",
        institution_type: InstitutionType::ResearchInstitute,
        leader: "孙丽",
        members: &["刘海峰", "吴晓燕"],
        counties: &["大石桥市"],
        townships: &["高坎镇"],
        applied_on: date!(2022 - 03 - 18),
        approved: None,
    },
    TeamSeed {
        name: "省级盐碱地改良科技特派组",
        form: TeamForm::Group,
        industry: "盐碱地改良",
        institution: "辽宁省盐碱地利用研究所",
        institution_type: InstitutionType::ResearchInstitute,
        leader: "陈国栋",
        members: &["孙丽"],
        counties: &["老边区"],
        townships: &["柳树镇"],
        applied_on: date!(2022 - 03 - 09),
        approved: Some(("滨海盐碱地改良与水稻提质增效技术示范", 15.0, true)),
    },
    TeamSeed {
        name: "省级果树科技特派组",
        form: TeamForm::Group,
        industry: "果树",
        institution: "辽宁省果树科学研究所",
        institution_type: InstitutionType::ResearchInstitute,
        leader: "周明",
        members: &["吴晓燕"],
        counties: &["鲅鱼圈区", "盖州市"],
        townships: &["熊岳镇"],
        applied_on: date!(2022 - 03 - 09),
        approved: Some(("苹果腐烂病综合防控与优质高效栽培技术示范", 15.0, true)),
    },
    TeamSeed {
        name: "省级中药材科技特派组",
        form: TeamForm::Group,
        industry: "中药材",
        institution: "辽宁中医药大学",
        institution_type: InstitutionType::University,
        leader: "吴晓燕",
        members: &["陈国栋"],
        counties: &["盖州市"],
        townships: &[],
        applied_on: date!(2022 - 03 - 21),
        approved: None,
    },
    TeamSeed {
        name: "省级柞蚕科技特派组",
        form: TeamForm::Group,
        industry: "柞蚕",
        institution: "辽宁省蚕业科学研究所",
        institution_type: InstitutionType::ResearchInstitute,
        leader: "周明",
        members: &["赵志强"],
        counties: &["盖州市"],
        townships: &[],
        applied_on: date!(2022 - 03 - 22),
        approved: None,
    },
];

fn team(seed: &TeamSeed) -> Team {
    let applied = Team {
        name: seed.name.to_owned(),
        level: TeamTier::Provincial,
        form: seed.form,
        year: Some(2022),
        institution: seed.institution.to_owned(),
        institution_type: Some(seed.institution_type),
        leader: seed.leader.to_owned(),
        members: texts(seed.members),
        counties: texts(seed.counties),
        townships: texts(seed.townships),
        industry: seed.industry.to_owned(),
        status: TeamStatus::Applied,
        drafted_on: Some(DRAFTED_ON),
        applied_on: Some(seed.applied_on),
        ..Team::blank(DRAFTED_ON)
    };
    match seed.approved {
        None => applied,
        Some((title, support, serving)) => Team {
            status: if serving {
                TeamStatus::Serving
            } else {
                TeamStatus::Approved
            },
            approved_on: Some(APPROVED_ON),
            serving_since: serving.then_some(SERVING_SINCE),
            project_title: title.to_owned(),
            support_wan_yuan: Some(support),
            ..applied
        },
    }
}

/// Eight demands collected in June 2022 after the call for the municipal plan: three open,
/// two matched, one served, one solved, one closed unsolved (after matching).
fn demands() -> [Demand; 8] {
    let team = |n| Some(sample_id(4, n));
    [
        Demand {
            host: "望儿山村".into(),
            host_type: HostType::Village,
            place: place("鲅鱼圈区", "熊岳镇", "望儿山村"),
            industry: "果树".into(),
            need: "村里苹果园腐烂病近两年复发严重，刮治后仍不断出现新病斑，希望专家到园里指导综合防治。"
                .into(),
            expertise: "果树病害防治".into(),
            urgency: Urgency::High,
            status: DemandStatus::Serving,
            team_id: team(FRUIT_GROUP),
            commissioners: texts(&["周明"]),
            matched_on: Some(date!(2022 - 06 - 13)),
            serving_since: Some(date!(2022 - 06 - 14)),
            ..Demand::blank(date!(2022 - 06 - 09))
        },
        Demand {
            host: "高坎镇设施蔬菜专业合作社".into(),
            host_type: HostType::Cooperative,
            place: place("大石桥市", "高坎镇", ""),
            industry: "设施蔬菜".into(),
            need: "日光温室黄瓜连作多年，土壤盐渍化、根结线虫严重，产量逐年下降。".into(),
            expertise: "设施土壤改良与线虫防治".into(),
            status: DemandStatus::Solved,
            team_id: team(VEGETABLE_TEAM),
            commissioners: texts(&["刘海峰", "孙丽"]),
            matched_on: Some(date!(2022 - 06 - 17)),
            serving_since: Some(date!(2022 - 07 - 05)),
            ended_on: Some(date!(2022 - 10 - 28)),
            notes: "高温闷棚加秸秆还田改土，秋茬黄瓜根结线虫明显减轻".into(),
            ..Demand::blank(date!(2022 - 06 - 10))
        },
        Demand {
            host: "营口天域稻业有限公司".into(),
            host_type: HostType::Enterprise,
            place: place("大石桥市", "", ""),
            industry: "水稻".into(),
            need: "自繁香稻种子纯度下降、香味变淡，希望开展提纯复壮并建立良种繁育基地。".into(),
            expertise: "水稻育种与良种繁育".into(),
            status: DemandStatus::Matched,
            team_id: team(RICE_TEAM),
            commissioners: texts(&["赵志强", "吴晓燕"]),
            matched_on: Some(date!(2022 - 06 - 24)),
            ..Demand::blank(date!(2022 - 06 - 15))
        },
        Demand {
            host: "西海街道海水养殖专业合作社".into(),
            host_type: HostType::Cooperative,
            place: place("盖州市", "西海街道", ""),
            industry: "水产养殖".into(),
            need: "夏季高温期海参池塘溶氧不足，去年度夏期间死亡较多，急需度夏管理技术。".into(),
            expertise: "海参池塘养殖".into(),
            urgency: Urgency::High,
            ..Demand::blank(date!(2022 - 06 - 16))
        },
        Demand {
            host: "熊岳镇农业科技示范园区".into(),
            host_type: HostType::SciencePark,
            place: place("鲅鱼圈区", "熊岳镇", ""),
            industry: "果树".into(),
            need: "园区想发展设施葡萄延后栽培，缺少品种选择和棚室温控管理技术。".into(),
            expertise: "设施葡萄栽培".into(),
            urgency: Urgency::Low,
            ..Demand::blank(date!(2022 - 06 - 20))
        },
        Demand {
            host: "南王村".into(),
            host_type: HostType::Village,
            place: place("老边区", "柳树镇", "南王村"),
            industry: "盐碱地改良".into(),
            need: "村里低洼地块返盐严重，想在撂荒地上种植耐盐经济作物并配套建设加工厂。".into(),
            expertise: "耐盐作物种植".into(),
            status: DemandStatus::Closed,
            team_id: team(SALINE_GROUP),
            commissioners: texts(&["陈国栋"]),
            matched_on: Some(date!(2022 - 06 - 27)),
            ended_on: Some(date!(2022 - 08 - 26)),
            unsolved_reason: "经特派组现场测土，地块含盐量过高且无灌排条件，近期不具备种植条件；加工厂投资超出技术服务范围，已转区农业农村局跟进。"
                .into(),
            ..Demand::blank(date!(2022 - 06 - 22))
        },
        Demand {
            host: "双台镇绿源家庭农场".into(),
            host_type: HostType::FamilyFarm,
            place: place("盖州市", "双台镇", ""),
            industry: "玉米".into(),
            need: "去年玉米大斑病发生较重，今年想提前预防，不知道选什么抗病品种、什么时候用药。"
                .into(),
            expertise: "玉米病害防治".into(),
            status: DemandStatus::Matched,
            team_id: team(MAIZE_TEAM),
            commissioners: texts(&["陈国栋"]),
            matched_on: Some(date!(2022 - 06 - 29)),
            ..Demand::blank(date!(2022 - 06 - 24))
        },
        Demand {
            host: "营口高新区星创天地".into(),
            host_type: HostType::InnovationHub,
            place: place("营口高新区", "", ""),
            industry: "农产品保鲜".into(),
            need: "入驻的农产品电商创业团队缺少果蔬分级包装和冷链保鲜技术指导。".into(),
            expertise: "农产品保鲜与冷链".into(),
            urgency: Urgency::Low,
            ..Demand::blank(date!(2022 - 06 - 28))
        },
    ]
}

/// The sample: 4 trainings, 4 technologies, 8 visits, 12 teams and 8 demands, the same on
/// every call.
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
    let teams = (1u16..)
        .zip(TEAMS.iter())
        .map(|(n, seed)| (sample_id(4, n), RecordBody::Team(team(seed))));
    let demands = (1u16..)
        .zip(demands())
        .map(|(n, d)| (sample_id(5, n), RecordBody::Demand(d)));
    trainings
        .chain(technologies)
        .chain(visits)
        .chain(teams)
        .chain(demands)
        .map(|(id, body)| Record {
            sample: true,
            ..Record::create(id, body, author, now)
        })
        .collect()
}
