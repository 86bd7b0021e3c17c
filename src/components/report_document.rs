//! The bureau's report for a period, as a [`Document`] in the interface language: built once,
//! shown on the page, printed, written to Word and copied as text alike. Structured like the
//! bureau's own report; a section without content is left out.

use time::Date;

use crate::components::labels;
use crate::components::record_text::{detail_rows, summary};
use crate::domain::form::format_date;
use crate::domain::kinds::{HostType, Stage};
use crate::domain::period::Period;
use crate::domain::progress::{Measure, target_lines};
use crate::domain::report::{
    Block, Document, Narrative, PhotoChoice, ReportPhoto, Table, change, report_photos,
    trim_figure, year_so_far_words,
};
use crate::domain::settings::ReportNotes;
use crate::domain::totals::{self, DemandFigures, TeamRow, Totals};
use crate::domain::{Language, Ledger, Record, RecordBody, Settings};
use crate::i18n::*;
use crate::replication::views::ServerTotals;

/// Where a report's figures come from.
#[derive(Clone, Copy)]
pub enum ReportSource<'a> {
    /// This tablet's records: every section.
    Device(&'a Ledger),
    /// The sync server's views ("server mode"): the figures and tables, without the sections
    /// that list records one by one.
    Server(&'a ServerTotals),
}

/// What a report is built from.
pub struct ReportInput<'a> {
    pub source: ReportSource<'a>,
    pub settings: &'a Settings,
    pub period: Period,
    pub today: Date,
    /// 存在问题 and 下步打算 as typed for the period (the settings keep them).
    pub notes: &'a ReportNotes,
    /// 报送单位 as typed.
    pub organisation: &'a str,
    /// The photos chosen for the typical cases.
    pub photos: &'a PhotoChoice,
}

const SECTION_NUMBERS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// Section headings numbered as the bureau numbers them (一、… in Chinese, 1. … in English).
struct Sections {
    locale: Locale,
    count: usize,
}

impl Sections {
    fn next(&mut self, title: &str) -> Block {
        let n = self.count;
        self.count += 1;
        Block::Heading(match self.locale {
            Locale::zh => format!("{}、{title}", SECTION_NUMBERS.get(n).copied().unwrap_or("")),
            Locale::en => format!("{}. {title}", n + 1),
        })
    }
}

fn table(
    id: &str,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    total: Option<Vec<String>>,
) -> Block {
    Block::Table(Table {
        id: id.to_owned(),
        header,
        rows,
        total,
    })
}

fn number(n: u32) -> String {
    n.to_string()
}

fn area(mu: Option<f64>) -> String {
    mu.map(trim_figure).unwrap_or_default()
}

pub fn build(locale: Locale, input: &ReportInput) -> Document {
    let ReportInput {
        source,
        settings,
        period,
        today,
        notes,
        organisation,
        photos,
    } = *input;
    let counting = &settings.counting;
    let (totals, year_so_far, year_before, ledger) = match source {
        ReportSource::Device(ledger) => {
            let totals = totals::totals(ledger, period, counting, today);
            let year_so_far = totals::year_so_far(ledger, &totals, counting, today);
            (
                totals,
                year_so_far,
                totals::same_period_last_year(ledger, period, counting, today),
                Some(ledger),
            )
        }
        ReportSource::Server(server) => (
            server.totals.clone(),
            server.year_so_far.clone(),
            server.year_before.clone(),
            None,
        ),
    };
    let targets = period.year().map(|year| settings.targets_for(year));
    let language = match locale {
        Locale::zh => Language::Zh,
        Locale::en => Language::En,
    };
    let period_words = match language {
        Language::Zh => crate::domain::report::period_zh(&period),
        Language::En => crate::domain::report::period_en(&period),
    };
    let mut subtitle = vec![td_string!(
        locale,
        report.period,
        from = format_date(period.from),
        to = format_date(period.to)
    )];
    if period.is_open(today) {
        subtitle.push(td_string!(
            locale,
            report.not_over,
            date = format_date(today)
        ));
    }
    if let ReportSource::Server(_) = source {
        subtitle.push(td_string!(locale, report.from_server).to_owned());
    }
    let mut document = Document {
        title: td_string!(locale, report.title, period = period_words),
        subtitle,
        blocks: Vec::new(),
    };
    let blocks = &mut document.blocks;
    let mut sections = Sections { locale, count: 0 };

    // 总体情况
    blocks.push(sections.next(td_string!(locale, report.overview)));
    let narrative = Narrative {
        totals: &totals,
        year_so_far: year_so_far.as_ref(),
        year_before: year_before.as_ref(),
        targets: targets.as_ref(),
        today,
    };
    blocks.push(Block::Paragraph(narrative.text(language)));
    let lines = target_lines(&totals, year_so_far.as_ref(), targets.as_ref(), today);
    if !lines.is_empty() {
        let so_far = td_string!(
            locale,
            report.so_far,
            span = year_so_far_words(language, period.to)
        );
        let mut header = vec![
            td_string!(locale, report.measure).to_owned(),
            td_string!(locale, report.in_period).to_owned(),
            so_far,
            td_string!(locale, report.target).to_owned(),
            td_string!(locale, report.rate).to_owned(),
        ];
        if year_before.is_some() {
            header.push(td_string!(locale, report.year_before).to_owned());
            header.push(td_string!(locale, report.change).to_owned());
        }
        let rows = lines
            .iter()
            .map(|line| {
                let mut row = vec![
                    labels::measure(locale, line.measure).to_owned(),
                    number(line.in_period),
                    number(line.done),
                    number(line.target),
                    format!("{}%", line.percent),
                ];
                // 同期: the period against the same period a year earlier.
                if let Some(before) = &year_before {
                    let was = line.measure.of(before);
                    row.push(number(was));
                    row.push(change(f64::from(line.in_period), f64::from(was)));
                }
                row
            })
            .collect();
        blocks.push(table("report-targets", header, rows, None));
    }
    // Trainings by type, always split.
    let type_rows: Vec<Vec<String>> = totals
        .by_type
        .iter()
        .map(|(ty, s)| {
            let counted = if counting.counts(*ty) {
                td_string!(locale, report.counted_yes)
            } else {
                td_string!(locale, report.counted_no)
            };
            vec![
                labels::training_type(locale, *ty).to_owned(),
                number(s.sessions),
                number(s.attendance),
                counted.to_owned(),
            ]
        })
        .collect();
    blocks.push(table(
        "report-training-types",
        vec![
            td_string!(locale, report.training_type).to_owned(),
            td_string!(locale, report.sessions).to_owned(),
            td_string!(locale, report.attendance).to_owned(),
            td_string!(locale, report.counted).to_owned(),
        ],
        type_rows,
        None,
    ));

    // 科技特派服务
    if totals.visits > 0 || totals.demands.collected > 0 {
        blocks.push(sections.next(td_string!(locale, report.commissioners)));
        blocks.extend(commissioner_work(locale, &totals));
    }

    // 分特派团情况
    if !totals.team_rows.is_empty() {
        blocks.push(sections.next(td_string!(locale, report.teams_section)));
        blocks.push(team_rows_table(locale, &totals.team_rows));
    }

    // 新技术、新品种、新机具示范推广
    let technologies = ledger.map_or_else(Vec::new, |l| totals::technologies_in(l, period));
    if !technologies.is_empty() {
        blocks.push(sections.next(td_string!(locale, report.technologies)));
        for (stage, records) in technologies {
            blocks.push(Block::Subheading(labels::stage(locale, stage).to_owned()));
            blocks.push(technology_table(locale, stage, &records));
        }
    }

    // 农民培训
    let trainings = ledger.map_or_else(Vec::new, |l| totals::trainings_in(l, period));
    if !trainings.is_empty() {
        blocks.push(sections.next(td_string!(locale, report.trainings)));
        blocks.push(training_table(locale, &trainings));
    }

    // 分县区情况
    let (counties, total) = match source {
        ReportSource::Device(ledger) => {
            totals::by_county(ledger, period, counting, &settings.counties())
        }
        ReportSource::Server(server) => (server.counties.clone(), server.total.clone()),
    };
    blocks.push(sections.next(td_string!(locale, report.counties)));
    let mut header = vec![td_string!(locale, dashboard.county).to_owned()];
    header.extend(Measure::ALL.map(|m| labels::measure(locale, m).to_owned()));
    let row = |name: String, row: &totals::CountyRow| {
        let mut cells = vec![name];
        cells.extend(Measure::ALL.map(|m| m.of_county(row).to_string()));
        cells
    };
    blocks.push(table(
        "report-counties",
        header,
        counties
            .iter()
            .map(|c| row(labels::county_or_unset(locale, &c.county), c))
            .collect(),
        Some(row(td_string!(locale, dashboard.total).to_owned(), &total)),
    ));

    // 典型案例
    let typical = ledger.map_or_else(Vec::new, |l| totals::typical_in(l, period));
    if !typical.is_empty() {
        blocks.push(sections.next(td_string!(locale, report.typical)));
        for record in typical {
            blocks.extend(typical_case(locale, record, photos));
        }
    }

    // 存在问题, 下步打算
    for (title, text) in [
        (td_string!(locale, report.problems), &notes.problems),
        (td_string!(locale, report.plans), &notes.plans),
    ] {
        let paragraphs: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !paragraphs.is_empty() {
            blocks.push(sections.next(title));
            blocks.extend(
                paragraphs
                    .into_iter()
                    .map(|p| Block::Paragraph(p.to_owned())),
            );
        }
    }

    // 报送单位 and the date.
    let mut closing = Vec::new();
    if !organisation.trim().is_empty() {
        closing.push(td_string!(
            locale,
            report.organisation_line,
            name = organisation.trim()
        ));
    }
    closing.push(td_string!(
        locale,
        report.date_line,
        date = long_date(locale, today)
    ));
    blocks.push(Block::Closing(closing));
    document
}

/// "2022年7月6日" or "6 July 2022".
fn long_date(locale: Locale, date: Date) -> String {
    match locale {
        Locale::zh => format!(
            "{}年{}月{}日",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
        Locale::en => crate::domain::report::period_en(&Period::custom(date, date))
            .split(" to ")
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// One row per team record of the period, as on the dashboard.
fn team_rows_table(locale: Locale, rows: &[TeamRow]) -> Block {
    table(
        "report-team-rows",
        labels::team_header(locale),
        rows.iter()
            .map(|row| {
                let mut cells = vec![row.name.clone()];
                cells.extend(labels::team_cells(locale, row));
                cells
            })
            .collect(),
        None,
    )
}

/// 征集农村科技需求X项、已对接Y项、已解决Z项，尚待解决W项 (nothing when none was collected).
fn demands_line(locale: Locale, d: DemandFigures) -> Option<Block> {
    (d.collected > 0).then(|| {
        Block::Paragraph(td_string!(
            locale,
            report.demands_line,
            collected = d.collected,
            matched = d.matched,
            solved = d.solved,
            pending = d.pending
        ))
    })
}

/// 科技特派服务: the visits, whom they served and how, the follow-ups, and the demands.
fn commissioner_work(locale: Locale, t: &Totals) -> Vec<Block> {
    let mut blocks = Vec::new();
    if t.visits > 0 {
        blocks.push(Block::Paragraph(td_string!(
            locale,
            report.visits_line,
            visits = t.visits,
            commissioners = t.commissioners,
            hosts = t.hosts
        )));
    }
    blocks.extend(demands_line(locale, t.demands));
    if !t.hosts_by_type.is_empty() {
        blocks.push(table(
            "report-hosts",
            vec![
                td_string!(locale, field.host_type).to_owned(),
                td_string!(locale, report.hosts).to_owned(),
            ],
            HostType::ALL
                .iter()
                .map(|ty| {
                    let n = t
                        .hosts_by_type
                        .iter()
                        .find(|(h, _)| h == ty)
                        .map(|(_, n)| *n)
                        .unwrap_or(0);
                    vec![labels::host_type(locale, *ty).to_owned(), number(n)]
                })
                .collect(),
            None,
        ));
    }
    if !t.help.is_empty() {
        blocks.push(table(
            "report-help",
            vec![
                td_string!(locale, field.help).to_owned(),
                td_string!(locale, report.visit_count).to_owned(),
            ],
            t.help
                .iter()
                .map(|(kind, n)| vec![labels::help(locale, *kind).to_owned(), number(*n)])
                .collect(),
            None,
        ));
    }
    if !t.teams.is_empty() {
        blocks.push(table(
            "report-teams",
            vec![
                td_string!(locale, field.team_name).to_owned(),
                td_string!(locale, field.team_level).to_owned(),
                td_string!(locale, report.visit_count).to_owned(),
                td_string!(locale, report.commissioner_count).to_owned(),
            ],
            t.teams
                .iter()
                .map(|team| {
                    vec![
                        team.name.clone(),
                        team.level
                            .map(|l| labels::team_level(locale, Some(l)).to_owned())
                            .unwrap_or_default(),
                        number(team.visits),
                        number(team.commissioners),
                    ]
                })
                .collect(),
            None,
        ));
    }
    let f = t.follow_ups;
    if f.opened > 0 {
        blocks.push(Block::Paragraph(td_string!(
            locale,
            report.follow_ups_line,
            opened = f.opened,
            done = f.done,
            overdue = f.overdue
        )));
    }
    blocks
}

fn technology_table(locale: Locale, stage: Stage, records: &[&Record]) -> Block {
    let rows = records
        .iter()
        .filter_map(|record| match &record.body {
            RecordBody::Technology(t) => Some(vec![
                t.name.clone(),
                labels::category(locale, t.category).to_owned(),
                labels::list(locale, &t.partners),
                t.site.clone(),
                if t.county.is_empty() {
                    String::new()
                } else {
                    labels::county(locale, &t.county)
                },
                t.stage_date(stage).map(format_date).unwrap_or_default(),
                area(t.demo_area_mu),
                area(t.promoted_area_mu),
                t.households.map(number).unwrap_or_default(),
            ]),
            _ => None,
        })
        .collect();
    let id = match stage {
        Stage::Promoted => "report-technologies-promoted",
        Stage::Demonstrated => "report-technologies-demonstrated",
        Stage::Introduced => "report-technologies-introduced",
    };
    table(
        id,
        vec![
            td_string!(locale, field.name).to_owned(),
            td_string!(locale, field.category).to_owned(),
            td_string!(locale, report.partners).to_owned(),
            td_string!(locale, field.site).to_owned(),
            td_string!(locale, field.county).to_owned(),
            td_string!(locale, report.reached_on).to_owned(),
            td_string!(locale, field.demo_area).to_owned(),
            td_string!(locale, field.promoted_area).to_owned(),
            td_string!(locale, field.households).to_owned(),
        ],
        rows,
        None,
    )
}

fn training_table(locale: Locale, records: &[&Record]) -> Block {
    let mut sessions = 0u32;
    let mut attendance = 0u32;
    let rows = records
        .iter()
        .filter_map(|record| match &record.body {
            RecordBody::Training(t) => {
                sessions += 1;
                attendance = attendance.saturating_add(t.attendance);
                Some(vec![
                    format_date(t.date),
                    labels::training_type(locale, t.training_type).to_owned(),
                    labels::place(locale, &t.place),
                    t.topic.clone(),
                    labels::list(locale, &t.trainers),
                    number(t.attendance),
                ])
            }
            _ => None,
        })
        .collect();
    table(
        "report-trainings",
        vec![
            td_string!(locale, field.date).to_owned(),
            td_string!(locale, field.training_type).to_owned(),
            td_string!(locale, report.place).to_owned(),
            td_string!(locale, field.topic).to_owned(),
            td_string!(locale, field.trainers).to_owned(),
            td_string!(locale, field.attendance).to_owned(),
        ],
        rows,
        Some(vec![
            td_string!(locale, dashboard.total).to_owned(),
            td_string!(locale, report.sessions_count, n = sessions),
            String::new(),
            String::new(),
            String::new(),
            number(attendance),
        ]),
    )
}

/// A typical case: its title, then every field it has, as one paragraph, and its photos.
fn typical_case(locale: Locale, record: &Record, photos: &PhotoChoice) -> Vec<Block> {
    let (date, title, _) = summary(locale, record);
    let details: Vec<String> = detail_rows(locale, &record.body)
        .into_iter()
        .map(|(label, value)| td_string!(locale, report.detail, label, value))
        .collect();
    let mut blocks = vec![
        Block::Subheading(labels::with_detail(locale, &title, &date)),
        Block::Paragraph(details.join(td_string!(locale, words.clause_separator))),
    ];
    blocks.extend(report_photos(record, photos).into_iter().map(|photo| {
        Block::Photo(ReportPhoto {
            hash: photo.hash.clone(),
            mime: photo.mime,
            width: photo.width,
            height: photo.height,
            caption: photo.caption.clone(),
        })
    }));
    blocks
}
