//! The bureau's report in its own words: the opening paragraph written from a period's
//! figures (in Chinese in the register of the bureau's reports, and in English sentences of
//! its own), the rounding the bureau writes figures with, and the report as a document that
//! the page, the printout, the Word file and the plain-text copy all show alike.

use time::Date;

use super::kinds::TrainingType;
use super::period::{Period, Preset};
use super::settings::{Language, YearTargets};
use super::totals::{Counting, Totals};

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

fn training_type_zh(t: TrainingType) -> &'static str {
    match t {
        TrainingType::Farmer => "农民科技培训",
        TrainingType::Technician => "农民技术员培训",
        TrainingType::Other => "其他培训",
    }
}

fn training_type_en(t: TrainingType) -> &'static str {
    match t {
        TrainingType::Farmer => "farmer",
        TrainingType::Technician => "technician",
        TrainingType::Other => "other",
    }
}

/// What the opening paragraph is written from.
pub struct Narrative<'a> {
    pub totals: &'a Totals,
    /// The same period a year earlier, when that year has any records.
    pub year_before: Option<&'a Totals>,
    /// The targets of the period's year (none for a period across years).
    pub targets: Option<&'a YearTargets>,
    pub counting: &'a Counting,
    pub today: Date,
}

impl Narrative<'_> {
    fn period(&self) -> &Period {
        &self.totals.period
    }

    /// Percentages of the year's targets: trainings, attendance, technologies promoted.
    fn shares(&self) -> Option<(u32, u32, u32)> {
        let targets = self.targets?;
        let t = self.totals;
        Some((
            percent_of(t.trainings, targets.trainings)?,
            percent_of(t.attendance, targets.attendance).unwrap_or(0),
            percent_of(t.technologies_promoted, targets.technologies_promoted).unwrap_or(0),
        ))
    }

    pub fn text(&self, language: Language) -> String {
        match language {
            Language::Zh => self.zh(),
            Language::En => self.en(),
        }
    }

    /// 总体情况, in the bureau's register: "2022年上半年，组织农民技术员培训4场、150余人次，
    /// 完成全年培训目标的40%……"
    pub fn zh(&self) -> String {
        let t = self.totals;
        let mut clauses: Vec<String> = Vec::new();
        let held: Vec<String> = t
            .by_type
            .iter()
            .filter(|(_, s)| s.sessions > 0)
            .map(|(ty, s)| {
                format!(
                    "组织{}{}场、{}人次",
                    training_type_zh(*ty),
                    s.sessions,
                    approx_zh(u64::from(s.attendance))
                )
            })
            .collect();
        if held.is_empty() {
            clauses.push("暂未开展农民培训".to_owned());
        } else {
            let mut trainings = held.join("，");
            if let (Some(targets), Some((sessions, _, _))) = (self.targets, self.shares()) {
                trainings.push_str(&format!(
                    "，完成全年培训目标的{sessions}%（全年目标{}场、{}余人次）",
                    targets.trainings, targets.attendance
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
        let promotion_target = self.targets.map(|t| t.technologies_promoted);
        if t.technologies_promoted > 0 {
            let area = if t.promoted_area_mu > 0.0 {
                format!("，推广面积{}亩", area_zh(t.promoted_area_mu))
            } else {
                String::new()
            };
            let mut promoted = format!("推广应用新技术{}项{area}", t.technologies_promoted);
            if let Some(target) = promotion_target {
                let share = percent_of(t.technologies_promoted, target).unwrap_or(0);
                promoted.push_str(&format!("，完成全年{target}项以上目标的{share}%"));
            }
            technologies.push(promoted);
        } else if let Some(target) = promotion_target {
            technologies.push(format!("尚未推广应用新技术（全年目标{target}项以上）"));
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
        if let Some(before) = self.year_before {
            text.push_str(&format!(
                "与上年同期相比，培训{}，走访服务{}。",
                change_zh(t.trainings, before.trainings, "场"),
                change_zh(t.visits, before.visits, "次")
            ));
        }
        if let Some(pace) = self.pace_zh() {
            text.push_str(&pace);
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

    /// "时间过半、任务过半" for a half-year, the shares otherwise.
    fn pace_zh(&self) -> Option<String> {
        let (sessions, attendance, promoted) = self.shares()?;
        let time = self.period().elapsed_share(self.today)?.percent();
        let lowest = sessions.min(attendance).min(promoted);
        let first_half = matches!(self.period().preset, Some((_, Preset::FirstHalf)));
        Some(if first_half && lowest >= 50 {
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
        let mut sentences: Vec<String> = Vec::new();
        let period = period_en(self.period());
        let held: Vec<String> = t
            .by_type
            .iter()
            .filter(|(_, s)| s.sessions > 0)
            .map(|(ty, s)| {
                format!(
                    "{} {} training session{} with {} attendances",
                    s.sessions,
                    training_type_en(*ty),
                    plural(s.sessions),
                    approx_en(u64::from(s.attendance))
                )
            })
            .collect();
        let mut first = if held.is_empty() {
            format!("In {period}, no farmer training was held yet")
        } else {
            format!("In {period}, the bureau held {}", join_en(&held))
        };
        if let (Some(targets), Some((sessions, _, _)), false) =
            (self.targets, self.shares(), held.is_empty())
        {
            first.push_str(&format!(
                ", {sessions}% of the year's target of {} sessions and {}+ attendances",
                targets.trainings, targets.attendance
            ));
        }
        sentences.push(first);
        let any_technology =
            t.technologies_introduced + t.technologies_demonstrated + t.technologies_promoted > 0;
        if any_technology || self.targets.is_some() {
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
                0 => "none put into wide use yet".to_owned(),
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
            if let Some(targets) = self.targets {
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
        if let Some(before) = self.year_before {
            sentences.push(format!(
                "Compared with the same period last year, that is {} training sessions and {} visits",
                change_en(t.trainings, before.trainings),
                change_en(t.visits, before.visits)
            ));
        }
        if let (Some((sessions, attendance, promoted)), Some(time)) =
            (self.shares(), self.period().elapsed_share(self.today))
        {
            sentences.push(format!(
                "With {}% of the year gone, the year's targets stand at {sessions}% for sessions, {attendance}% for attendances and {promoted}% for technologies in wide use",
                time.percent()
            ));
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
    /// The closing line: who reports, and when (right-aligned).
    Closing(Vec<String>),
}

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
                Block::Closing(closing) => {
                    lines.push(String::new());
                    lines.extend(closing.iter().cloned());
                }
            }
        }
        lines.join("\n") + "\n"
    }
}
