//! The bureau's report in its own words: the opening paragraph written from a period's
//! figures (in Chinese in the register of the bureau's reports, and in English sentences of
//! its own), the rounding the bureau writes figures with, and the report as a document that
//! the page, the printout, the Word file and the plain-text copy all show alike.

use std::collections::BTreeMap;

use time::Date;
use uuid::Uuid;

use super::Record;
use super::kinds::TrainingType;
use super::period::{Period, Preset};
use super::photo::{PhotoMime, PhotoRef};
use super::settings::{Language, YearTargets};
use super::totals::Totals;
use crate::i18n::{Locale, td_string};

/// A figure as the bureau writes it in prose: exact below 20 or when round, else rounded
/// down to its two leading digits (at least to tens) with 余 — 156 is "150余", 1 345 is
/// "1300余", 57 is "50余", 150 is "150".
pub fn approx_zh(n: u64) -> String {
    match round_down(n) {
        (shown, false) => shown.to_string(),
        (shown, true) => format!("{shown}余"),
    }
}

/// The same rounding in English: "over 150", or the exact figure.
pub fn approx_en(n: u64) -> String {
    match round_down(n) {
        (shown, false) => shown.to_string(),
        (shown, true) => format!("over {shown}"),
    }
}

/// The figure rounded down as the bureau rounds, and whether anything was dropped.
fn round_down(n: u64) -> (u64, bool) {
    if n < 20 {
        return (n, false);
    }
    let digits = n.ilog10() + 1;
    let unit = 10u64.pow(digits.saturating_sub(2).max(1));
    let shown = n / unit * unit;
    (shown, shown != n)
}

/// An area in 亩 for prose: whole 亩, rounded as [`approx_zh`] (480.5 is "480余").
fn area_zh(mu: f64) -> String {
    match round_area(mu) {
        (shown, false) => shown.to_string(),
        (shown, true) => format!("{shown}余"),
    }
}

fn area_en(mu: f64) -> String {
    match round_area(mu) {
        (shown, false) => shown.to_string(),
        (shown, true) => format!("over {shown}"),
    }
}

fn round_area(mu: f64) -> (u64, bool) {
    let mu = mu.max(0.0);
    let whole = mu.floor();
    let (shown, dropped) = round_down(whole as u64);
    (shown, dropped || mu > whole)
}

/// `done` as a whole percentage of `target` (rounded down); `None` without a target.
pub fn percent_of(done: u32, target: u32) -> Option<u32> {
    (target > 0)
        .then(|| u32::try_from(u64::from(done) * 100 / u64::from(target)).unwrap_or(u32::MAX))
}

const CHINESE_DIGITS: [&str; 5] = ["", "一", "二", "三", "四"];

/// The period as the bureau names it: "2022年上半年", "2022年第一季度", "2022年",
/// "2022年3月1日至5月31日".
pub fn period_zh(period: &Period) -> String {
    let day = |d: Date| format!("{}月{}日", u8::from(d.month()), d.day());
    match period.preset {
        Some((year, Preset::FirstHalf)) => format!("{year}年上半年"),
        Some((year, Preset::SecondHalf)) => format!("{year}年下半年"),
        Some((year, Preset::Quarter(q))) => format!(
            "{year}年第{}季度",
            CHINESE_DIGITS
                .get(usize::from(q))
                .copied()
                .unwrap_or_default()
        ),
        Some((year, Preset::Year)) => format!("{year}年"),
        Some((year, Preset::YearToDate)) => format!("{year}年1月1日至{}", day(period.to)),
        None if period.from.year() == period.to.year() => {
            format!(
                "{}年{}至{}",
                period.from.year(),
                day(period.from),
                day(period.to)
            )
        }
        None => format!(
            "{}年{}至{}年{}",
            period.from.year(),
            day(period.from),
            period.to.year(),
            day(period.to)
        ),
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn day_en(d: Date) -> String {
    let month = MONTHS_EN
        .get(usize::from(u8::from(d.month())) - 1)
        .copied()
        .unwrap_or_default();
    format!("{} {month} {}", d.day(), d.year())
}

/// "the first half of 2022", "the second quarter of 2022", "2022", "1 January to 31 May 2022".
pub fn period_en(period: &Period) -> String {
    const ORDINALS: [&str; 5] = ["", "first", "second", "third", "fourth"];
    match period.preset {
        Some((year, Preset::FirstHalf)) => format!("the first half of {year}"),
        Some((year, Preset::SecondHalf)) => format!("the second half of {year}"),
        Some((year, Preset::Quarter(q))) => format!(
            "the {} quarter of {year}",
            ORDINALS.get(usize::from(q)).copied().unwrap_or_default()
        ),
        Some((year, Preset::Year)) => year.to_string(),
        Some((_, Preset::YearToDate)) | None => {
            format!("{} to {}", day_en(period.from), day_en(period.to))
        }
    }
}

/// A training type's name: the interface's own words (`locales/*.json`), in English lower
/// case for the middle of a sentence.
fn type_name(language: Language, t: TrainingType) -> String {
    let locale = match language {
        Language::Zh => Locale::zh,
        Language::En => Locale::en,
    };
    let name = match t {
        TrainingType::Farmer => td_string!(locale, training_type.farmer),
        TrainingType::Technician => td_string!(locale, training_type.technician),
        TrainingType::Other => td_string!(locale, training_type.other),
    };
    match language {
        Language::Zh => name.to_owned(),
        Language::En => name.to_lowercase(),
    }
}

/// The span from 1 January to a period's end, as the bureau writes it before 累计: "全年",
/// "1—9月", "1月1日至9月15日"; in English "the whole year", "January–September",
/// "1 January–15 September".
pub fn year_so_far_words(language: Language, to: Date) -> String {
    let month = u8::from(to.month());
    let month_end = to.next_day().is_none_or(|next| next.day() == 1);
    let name = MONTHS_EN
        .get(usize::from(month) - 1)
        .copied()
        .unwrap_or_default();
    match (language, month, month_end) {
        (Language::Zh, 12, true) => "全年".to_owned(),
        (Language::Zh, 1, true) => "1月".to_owned(),
        (Language::Zh, _, true) => format!("1—{month}月"),
        (Language::Zh, _, false) => format!("1月1日至{month}月{}日", to.day()),
        (Language::En, 12, true) => "the whole year".to_owned(),
        (Language::En, 1, true) => "January".to_owned(),
        (Language::En, _, true) => format!("January–{name}"),
        (Language::En, _, false) => format!("1 January–{} {name}", to.day()),
    }
}

/// The same span opening an English sentence: "Over the whole year", "From 1 January to
/// 30 September 2022".
fn year_so_far_en(to: Date) -> String {
    if u8::from(to.month()) == 12 && to.day() == 31 {
        "Over the whole year".to_owned()
    } else {
        format!("From 1 January to {}", day_en(to))
    }
}

/// What the opening paragraph is written from.
pub struct Narrative<'a> {
    pub totals: &'a Totals,
    /// The year's figures from 1 January to the period's end (累计,
    /// [`Period::year_so_far`]): what the year's targets are judged by. `None` across years.
    pub year_so_far: Option<&'a Totals>,
    /// The same period a year earlier, when that year has any records.
    pub year_before: Option<&'a Totals>,
    /// The targets of the period's year (none for a period across years).
    pub targets: Option<&'a YearTargets>,
    pub today: Date,
}

/// How far the year's three headline targets are: trainings, attendance, technologies
/// promoted, in whole percent of each.
#[derive(Clone, Copy)]
struct Shares {
    sessions: u32,
    attendance: u32,
    promoted: u32,
}

impl Shares {
    fn lowest(self) -> u32 {
        self.sessions.min(self.attendance).min(self.promoted)
    }
}

impl Narrative<'_> {
    fn period(&self) -> &Period {
        &self.totals.period
    }

    /// The year's figures up to the period's end, when the year's targets judge them.
    fn judged(&self) -> Option<(&Totals, &YearTargets)> {
        Some((self.year_so_far?, self.targets?))
    }

    /// Whether the year so far is a span of its own (the period does not start on
    /// 1 January), so that its figures need a sentence beside the period's.
    fn so_far_apart(&self) -> bool {
        self.year_so_far
            .is_some_and(|so_far| so_far.period.from != self.period().from)
    }

    fn shares(&self) -> Option<Shares> {
        let (so_far, targets) = self.judged()?;
        Some(Shares {
            sessions: percent_of(so_far.trainings, targets.trainings).unwrap_or(0),
            attendance: percent_of(so_far.attendance, targets.attendance).unwrap_or(0),
            promoted: percent_of(so_far.technologies_promoted, targets.technologies_promoted)
                .unwrap_or(0),
        })
    }

    /// Whether the period ends a year that is over: its targets are then met or not.
    fn year_is_over(&self) -> bool {
        self.period().ends_year() && self.period().to < self.today
    }

    pub fn text(&self, language: Language) -> String {
        match language {
            Language::Zh => self.zh(),
            Language::En => self.en(),
        }
    }

    /// 总体情况, in the bureau's register: "2022年上半年，组织农民技术员培训4场、150余人次，
    /// 完成全年培训目标的40%……"; for a period that does not start the year, its own figures,
    /// then "1—9月累计完成培训X场……，完成全年目标的W%".
    pub fn zh(&self) -> String {
        let t = self.totals;
        // The targets go with the period's own figures when they are the year's so far.
        let inline = self.judged().filter(|_| !self.so_far_apart());
        let mut clauses: Vec<String> = Vec::new();
        let held: Vec<String> = t
            .by_type
            .iter()
            .filter(|(_, s)| s.sessions > 0)
            .map(|(ty, s)| {
                format!(
                    "组织{}{}场、{}人次",
                    type_name(Language::Zh, *ty),
                    s.sessions,
                    approx_zh(u64::from(s.attendance))
                )
            })
            .collect();
        if held.is_empty() {
            let not_yet = if self.period().is_open(self.today) {
                "暂未"
            } else {
                "未"
            };
            clauses.push(format!("{not_yet}开展农民培训"));
        } else {
            let mut trainings = held.join("，");
            if let Some((so_far, targets)) = inline {
                trainings.push_str(&format!(
                    "，{}",
                    training_share_zh(so_far.trainings, targets)
                ));
            }
            clauses.push(trainings);
        }
        let mut technologies: Vec<String> = Vec::new();
        if t.technologies_introduced > 0 {
            technologies.push(format!(
                "引进农业新技术、新品种、新机具{}项",
                t.technologies_introduced
            ));
        }
        if t.technologies_demonstrated > 0 {
            let area = if t.demo_area_mu > 0.0 {
                format!("，示范面积{}亩", area_zh(t.demo_area_mu))
            } else {
                String::new()
            };
            technologies.push(format!("开展示范{}项{area}", t.technologies_demonstrated));
        }
        if t.technologies_promoted > 0 {
            let mut promoted = format!(
                "推广应用新技术{}项{}",
                t.technologies_promoted,
                promoted_area_zh(t.promoted_area_mu)
            );
            if let Some((so_far, targets)) = inline {
                promoted.push_str(&format!(
                    "，{}",
                    promotion_share_zh(so_far.technologies_promoted, targets)
                ));
            }
            technologies.push(promoted);
        } else if let Some((_, targets)) = inline {
            technologies.push(format!(
                "尚未推广应用新技术（全年目标{}项以上）",
                targets.technologies_promoted
            ));
        }
        if !technologies.is_empty() {
            clauses.push(technologies.join("，"));
        }
        if t.visits > 0 {
            let mut visits = format!(
                "科技特派员开展走访服务{}次，参与特派员{}人，服务对象{}个",
                t.visits, t.commissioners, t.hosts
            );
            if !t.teams.is_empty() {
                visits.push_str(&format!("，涉及特派团（组）{}个", t.teams.len()));
            }
            clauses.push(visits);
        }
        let d = t.demands;
        if d.collected > 0 {
            clauses.push(format!(
                "征集农村科技需求{}项、已对接{}项、已解决{}项",
                d.collected, d.matched, d.solved
            ));
        }
        let mut text = format!("{}，{}。", period_zh(self.period()), clauses.join("；"));
        if let Some((so_far, targets)) = self.judged().filter(|_| self.so_far_apart()) {
            text.push_str(&self.so_far_zh(so_far, targets));
        }
        if let Some(before) = self.year_before {
            text.push_str(&format!(
                "与上年同期相比，培训{}，走访服务{}。",
                change_zh(t.trainings, before.trainings, "场"),
                change_zh(t.visits, before.visits, "次")
            ));
        }
        match self.pace_zh() {
            Some(pace) => text.push_str(&pace),
            None if self.year_so_far.is_none() => text.push_str("本期跨年度，不与年度目标比较。"),
            None => {}
        }
        if self.period().is_open(self.today) {
            text.push_str(&format!(
                "（本期尚未结束，数据截至{}月{}日。）",
                u8::from(self.today.month()),
                self.today.day()
            ));
        }
        text
    }

    /// "1—9月累计完成培训4场、150余人次，完成全年培训目标的40%（全年目标10场、500余人次）；
    /// 累计推广应用新技术1项，完成全年20项以上目标的5%。"
    fn so_far_zh(&self, so_far: &Totals, targets: &YearTargets) -> String {
        let trainings = if so_far.trainings > 0 {
            format!(
                "累计完成培训{}场、{}人次，{}",
                so_far.trainings,
                approx_zh(u64::from(so_far.attendance)),
                training_share_zh(so_far.trainings, targets)
            )
        } else {
            format!(
                "累计尚未开展农民培训（全年目标{}场、{}余人次）",
                targets.trainings, targets.attendance
            )
        };
        let promoted = if so_far.technologies_promoted > 0 {
            format!(
                "累计推广应用新技术{}项{}，{}",
                so_far.technologies_promoted,
                promoted_area_zh(so_far.promoted_area_mu),
                promotion_share_zh(so_far.technologies_promoted, targets)
            )
        } else {
            format!(
                "累计尚未推广应用新技术（全年目标{}项以上）",
                targets.technologies_promoted
            )
        };
        format!(
            "{}{trainings}；{promoted}。",
            year_so_far_words(Language::Zh, self.period().to)
        )
    }

    /// "时间过半、任务过半" for a first half, which targets were met for a year that is over,
    /// the shares against the share of the year gone otherwise.
    fn pace_zh(&self) -> Option<String> {
        let shares = self.shares()?;
        let time = self.period().elapsed_share(self.today)?.percent();
        let first_half = matches!(self.period().preset, Some((_, Preset::FirstHalf)));
        let Shares {
            sessions,
            attendance,
            promoted,
        } = shares;
        Some(if self.year_is_over() {
            year_end_zh(shares)
        } else if first_half && shares.lowest() >= 50 {
            "时间过半、任务过半。".to_owned()
        } else if first_half {
            format!(
                "时间过半，培训场次完成{sessions}%、培训人次完成{attendance}%、新技术推广完成{promoted}%，任务尚未过半。"
            )
        } else {
            format!(
                "全年时间进度{time}%，培训场次完成{sessions}%、培训人次完成{attendance}%、新技术推广完成{promoted}%。"
            )
        })
    }

    /// The opening paragraph in English: its own sentences, not a translation.
    pub fn en(&self) -> String {
        let t = self.totals;
        let inline = self.judged().filter(|_| !self.so_far_apart());
        let mut sentences: Vec<String> = Vec::new();
        let period = period_en(self.period());
        let held: Vec<String> = t
            .by_type
            .iter()
            .filter(|(_, s)| s.sessions > 0)
            .map(|(ty, s)| {
                format!(
                    "{} session{} of {} with {} attendances",
                    s.sessions,
                    plural(s.sessions),
                    type_name(Language::En, *ty),
                    approx_en(u64::from(s.attendance))
                )
            })
            .collect();
        let mut first = if held.is_empty() {
            let yet = if self.period().is_open(self.today) {
                " yet"
            } else {
                ""
            };
            format!("In {period}, no farmer training was held{yet}")
        } else {
            format!("In {period}, the bureau held {}", join_en(&held))
        };
        if let (Some((so_far, targets)), false) = (inline, held.is_empty()) {
            first.push_str(&format!(
                ", {}% of the year's target of {} sessions and {}+ attendances",
                percent_of(so_far.trainings, targets.trainings).unwrap_or(0),
                targets.trainings,
                targets.attendance
            ));
        }
        sentences.push(first);
        let any_technology =
            t.technologies_introduced + t.technologies_demonstrated + t.technologies_promoted > 0;
        if any_technology || inline.is_some() {
            let demonstrated = if t.demo_area_mu > 0.0 {
                format!(
                    "{} demonstrated on {} mu",
                    t.technologies_demonstrated,
                    area_en(t.demo_area_mu)
                )
            } else {
                format!("{} demonstrated", t.technologies_demonstrated)
            };
            let promoted = match t.technologies_promoted {
                0 => "none put into wide use".to_owned(),
                n if t.promoted_area_mu > 0.0 => {
                    format!(
                        "{n} put into wide use over {} mu",
                        area_en(t.promoted_area_mu)
                    )
                }
                n => format!("{n} put into wide use"),
            };
            let mut sentence = format!(
                "New technologies, varieties and machines: {} introduced, {demonstrated} and {promoted}",
                t.technologies_introduced
            );
            if let Some((_, targets)) = inline {
                sentence.push_str(&format!(
                    " (the year's goal: at least {} in wide use)",
                    targets.technologies_promoted
                ));
            }
            sentences.push(sentence);
        }
        if t.visits > 0 {
            sentences.push(format!(
                "{} commissioner{} made {} service visit{} to {} host{}",
                t.commissioners,
                plural(t.commissioners),
                t.visits,
                plural(t.visits),
                t.hosts,
                plural(t.hosts)
            ));
        }
        let d = t.demands;
        if d.collected > 0 {
            sentences.push(format!(
                "Of the {} rural technology demand{} collected, {} {} been matched to a commissioner team and {} solved",
                d.collected,
                plural(d.collected),
                d.matched,
                if d.matched == 1 { "has" } else { "have" },
                d.solved
            ));
        }
        if let Some((so_far, targets)) = self.judged().filter(|_| self.so_far_apart()) {
            sentences.push(self.so_far_en(so_far, targets));
        }
        if let Some(before) = self.year_before {
            sentences.push(format!(
                "Compared with the same period last year, that is {} training sessions and {} visits",
                change_en(t.trainings, before.trainings),
                change_en(t.visits, before.visits)
            ));
        }
        match (self.shares(), self.period().elapsed_share(self.today)) {
            (Some(shares), _) if self.year_is_over() => sentences.push(year_end_en(shares)),
            (Some(Shares { sessions, attendance, promoted }), Some(time)) => sentences.push(format!(
                "With {}% of the year gone, the year's targets stand at {sessions}% for sessions, {attendance}% for attendances and {promoted}% for technologies in wide use",
                time.percent()
            )),
            _ if self.year_so_far.is_none() => sentences.push(
                "The period spans two years, so it is not measured against a year's targets"
                    .to_owned(),
            ),
            _ => {}
        }
        if self.period().is_open(self.today) {
            sentences.push(format!(
                "The period is not over yet: figures as of {}",
                day_en(self.today)
            ));
        }
        sentences
            .into_iter()
            .map(|s| format!("{s}."))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "From 1 January to 30 September 2022, 4 training sessions with over 150 attendances
    /// were held in all, 40% of the year's target …"
    fn so_far_en(&self, so_far: &Totals, targets: &YearTargets) -> String {
        let span = year_so_far_en(self.period().to);
        format!(
            "{span}, {} training session{} with {} attendances {} held in all, {}% of the year's target of {} sessions and {}+ attendances, and {} technolog{} put into wide use, {}% of the goal of at least {}",
            so_far.trainings,
            plural(so_far.trainings),
            approx_en(u64::from(so_far.attendance)),
            if so_far.trainings == 1 { "was" } else { "were" },
            percent_of(so_far.trainings, targets.trainings).unwrap_or(0),
            targets.trainings,
            targets.attendance,
            so_far.technologies_promoted,
            if so_far.technologies_promoted == 1 {
                "y was"
            } else {
                "ies were"
            },
            percent_of(so_far.technologies_promoted, targets.technologies_promoted).unwrap_or(0),
            targets.technologies_promoted
        )
    }
}

/// "完成全年培训目标的40%（全年目标10场、500余人次）".
fn training_share_zh(sessions: u32, targets: &YearTargets) -> String {
    format!(
        "完成全年培训目标的{}%（全年目标{}场、{}余人次）",
        percent_of(sessions, targets.trainings).unwrap_or(0),
        targets.trainings,
        targets.attendance
    )
}

/// "完成全年20项以上目标的10%".
fn promotion_share_zh(promoted: u32, targets: &YearTargets) -> String {
    format!(
        "完成全年{}项以上目标的{}%",
        targets.technologies_promoted,
        percent_of(promoted, targets.technologies_promoted).unwrap_or(0)
    )
}

/// "，推广面积480余亩", or nothing without an area.
fn promoted_area_zh(mu: f64) -> String {
    if mu > 0.0 {
        format!("，推广面积{}亩", area_zh(mu))
    } else {
        String::new()
    }
}

/// The three headline targets with their names, for a year that is over.
fn headline(shares: Shares, names: [&'static str; 3]) -> [(&'static str, u32); 3] {
    [
        (names[0], shares.sessions),
        (names[1], shares.attendance),
        (names[2], shares.promoted),
    ]
}

/// Which of the year's targets were met: "全年培训场次目标已完成；培训人次、新技术推广目标未完成，
/// 分别完成95%、10%。"
fn year_end_zh(shares: Shares) -> String {
    let lines = headline(shares, ["培训场次", "培训人次", "新技术推广"]);
    let met: Vec<&str> = lines
        .iter()
        .filter(|(_, p)| *p >= 100)
        .map(|(n, _)| *n)
        .collect();
    let missed: Vec<(&str, u32)> = lines.iter().copied().filter(|(_, p)| *p < 100).collect();
    let names = |list: &[&str]| list.join("、");
    let missed_names: Vec<&str> = missed.iter().map(|(n, _)| *n).collect();
    let percents: Vec<String> = missed.iter().map(|(_, p)| format!("{p}%")).collect();
    match (met.is_empty(), missed.len()) {
        (_, 0) => format!("全年{}目标均已完成。", names(&met)),
        (true, 1) => format!(
            "全年{}目标未完成，完成{}。",
            names(&missed_names),
            percents.join("")
        ),
        (true, _) => format!(
            "全年{}目标均未完成，分别完成{}。",
            names(&missed_names),
            percents.join("、")
        ),
        (false, 1) => format!(
            "全年{}目标已完成；{}目标未完成，完成{}。",
            names(&met),
            names(&missed_names),
            percents.join("")
        ),
        (false, _) => format!(
            "全年{}目标已完成；{}目标未完成，分别完成{}。",
            names(&met),
            names(&missed_names),
            percents.join("、")
        ),
    }
}

/// The same in English: "The year's targets for sessions and attendances were met; the
/// target for technologies in wide use was not (10% reached)".
fn year_end_en(shares: Shares) -> String {
    let lines = headline(
        shares,
        ["sessions", "attendances", "technologies in wide use"],
    );
    let met: Vec<String> = lines
        .iter()
        .filter(|(_, p)| *p >= 100)
        .map(|(n, _)| (*n).to_owned())
        .collect();
    let missed: Vec<String> = lines
        .iter()
        .filter(|(_, p)| *p < 100)
        .map(|(n, p)| format!("{n} ({p}% reached)"))
        .collect();
    let targets = |n: usize| if n == 1 { "target" } else { "targets" };
    match (met.len(), missed.len()) {
        (_, 0) => format!("All of the year's targets were met: {}", join_en(&met)),
        (0, n) => format!(
            "The year's {} for {} {} not met",
            targets(n),
            join_en(&missed),
            if n == 1 { "was" } else { "were" }
        ),
        (m, n) => format!(
            "The year's {} for {} {} met; the {} for {} {} not",
            targets(m),
            join_en(&met),
            if m == 1 { "was" } else { "were" },
            targets(n),
            join_en(&missed),
            if n == 1 { "was" } else { "were" }
        ),
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "a, b and c".
fn join_en(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "增加2场" / "减少1场" / "持平" (no unit: nothing to count).
fn change_zh(now: u32, before: u32, unit: &str) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("增加{}{unit}", now - before),
        std::cmp::Ordering::Less => format!("减少{}{unit}", before - now),
        std::cmp::Ordering::Equal => "持平".to_owned(),
    }
}

/// "2 more" / "1 fewer" / "the same number of".
fn change_en(now: u32, before: u32) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("{} more", now - before),
        std::cmp::Ordering::Less => format!("{} fewer", before - now),
        std::cmp::Ordering::Equal => "the same number of".to_owned(),
    }
}

/// The change from the same period a year earlier, as a table shows it: "+2", "−1", "0".
pub fn change(now: f64, before: f64) -> String {
    // Compared as shown (one decimal), so sums with float noise read as no change.
    let difference = ((now - before) * 10.0).round() / 10.0;
    if difference > 0.0 {
        format!("+{}", trim_figure(difference))
    } else if difference < 0.0 {
        format!("−{}", trim_figure(-difference))
    } else {
        "0".to_owned()
    }
}

/// A figure with at most one decimal, without a trailing ".0".
pub fn trim_figure(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// A report as blocks of text and tables, in the order shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub title: String,
    /// Lines under the title (the period, when it was made).
    pub subtitle: Vec<String>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A section heading (一、总体情况 …).
    Heading(String),
    /// A smaller heading inside a section.
    Subheading(String),
    Paragraph(String),
    Table(Table),
    /// A photo of a typical case, under it.
    Photo(ReportPhoto),
    /// The closing line: who reports, and when (right-aligned).
    Closing(Vec<String>),
}

/// A photo in a report: the stored photo (by hash) and what is printed with it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportPhoto {
    pub hash: String,
    pub mime: PhotoMime,
    pub width: u32,
    pub height: u32,
    pub caption: String,
}

/// At most this many photos of each typical case go into a report.
pub const PHOTOS_PER_CASE: usize = 2;

/// The photos chosen for the report, by record; a typical case not listed shows its first.
pub type PhotoChoice = BTreeMap<Uuid, Vec<String>>;

/// The photos of a typical case the report shows: those chosen that it still has (at most
/// [`PHOTOS_PER_CASE`]), or its first when none was chosen.
pub fn report_photos<'r>(record: &'r Record, choice: &PhotoChoice) -> Vec<&'r PhotoRef> {
    match choice.get(&record.id) {
        Some(chosen) => record
            .photos
            .iter()
            .filter(|p| chosen.contains(&p.hash))
            .take(PHOTOS_PER_CASE)
            .collect(),
        None => record.photos.iter().take(1).collect(),
    }
}

/// [`PhotoChoice`] as this tablet keeps it: a line a typical case, its id and the hashes of
/// the photos chosen, separated by spaces (the id alone when none is chosen).
pub fn photo_choice_text(choice: &PhotoChoice) -> String {
    let mut text = String::new();
    for (id, hashes) in choice {
        text.push_str(&id.to_string());
        for hash in hashes {
            text.push(' ');
            text.push_str(hash);
        }
        text.push('\n');
    }
    text
}

/// Reads [`photo_choice_text`]; a line whose id or a hash is not one is left out (that case
/// shows its first photo again).
pub fn photo_choice_from_text(text: &str) -> PhotoChoice {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split(' ');
            let id = Uuid::parse_str(words.next()?).ok()?;
            let hashes: Vec<String> = words.map(str::to_owned).collect();
            hashes
                .iter()
                .all(|h| super::photo::is_photo_hash(h))
                .then_some((id, hashes))
        })
        .collect()
}

/// Photo bytes by hash, for a report written to a file.
pub type PhotoBytes = BTreeMap<String, Vec<u8>>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The element id on the page (tests and styles find the table by it).
    pub id: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The 合计 row, when the table adds up.
    pub total: Option<Vec<String>>,
}

impl Document {
    /// The report as plain text, for pasting: tables as tab-separated lines.
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = vec![self.title.clone()];
        lines.extend(self.subtitle.iter().cloned());
        for block in &self.blocks {
            match block {
                Block::Heading(text) | Block::Subheading(text) => {
                    lines.push(String::new());
                    lines.push(text.clone());
                }
                Block::Paragraph(text) => lines.push(text.clone()),
                Block::Table(table) => {
                    lines.push(table.header.join("\t"));
                    lines.extend(table.rows.iter().map(|row| row.join("\t")));
                    if let Some(total) = &table.total {
                        lines.push(total.join("\t"));
                    }
                }
                Block::Photo(_) => {}
                Block::Closing(closing) => {
                    lines.push(String::new());
                    lines.extend(closing.iter().cloned());
                }
            }
        }
        lines.join("\n") + "\n"
    }
}
