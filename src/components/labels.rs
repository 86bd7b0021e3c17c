//! The words shown for domain values, in the current language. The messages themselves live
//! in `locales/*.json`; these functions only pick the key for a value.

use crate::domain::ImportProblem;
use crate::domain::input::{format_date, format_time};
use crate::domain::settings::county_romanised;
use crate::domain::*;
use crate::i18n::*;
use crate::storage::{BROWSER_LIMIT_BYTES, StorageError, StoredProblemReason};

pub fn training_type(locale: Locale, value: TrainingType) -> &'static str {
    match value {
        TrainingType::Farmer => td_string!(locale, training_type.farmer),
        TrainingType::Technician => td_string!(locale, training_type.technician),
        TrainingType::Other => td_string!(locale, training_type.other),
    }
}

pub fn category(locale: Locale, value: TechCategory) -> &'static str {
    match value {
        TechCategory::Variety => td_string!(locale, category.variety),
        TechCategory::Technique => td_string!(locale, category.technique),
        TechCategory::Machine => td_string!(locale, category.machine),
    }
}

pub fn stage(locale: Locale, value: Stage) -> &'static str {
    match value {
        Stage::Introduced => td_string!(locale, stage.introduced),
        Stage::Demonstrated => td_string!(locale, stage.demonstrated),
        Stage::Promoted => td_string!(locale, stage.promoted),
    }
}

pub fn team_level(locale: Locale, value: Option<TeamLevel>) -> &'static str {
    match value {
        None => td_string!(locale, team_level.none),
        Some(TeamLevel::ProvincialTeam) => td_string!(locale, team_level.provincial_team),
        Some(TeamLevel::ProvincialGroup) => td_string!(locale, team_level.provincial_group),
        Some(TeamLevel::MunicipalTeam) => td_string!(locale, team_level.municipal_team),
    }
}

pub fn host_type(locale: Locale, value: HostType) -> &'static str {
    match value {
        HostType::Village => td_string!(locale, host_type.village),
        HostType::Cooperative => td_string!(locale, host_type.cooperative),
        HostType::FamilyFarm => td_string!(locale, host_type.family_farm),
        HostType::Enterprise => td_string!(locale, host_type.enterprise),
        HostType::InnovationHub => td_string!(locale, host_type.innovation_hub),
        HostType::SciencePark => td_string!(locale, host_type.science_park),
    }
}

pub fn help(locale: Locale, value: HelpKind) -> &'static str {
    match value {
        HelpKind::Diagnosis => td_string!(locale, help.diagnosis),
        HelpKind::Advice => td_string!(locale, help.advice),
        HelpKind::Demonstration => td_string!(locale, help.demonstration),
        HelpKind::Training => td_string!(locale, help.training),
        HelpKind::FollowUp => td_string!(locale, help.follow_up),
        HelpKind::Other => td_string!(locale, help.other),
    }
}

pub fn measure(locale: Locale, value: crate::domain::progress::Measure) -> &'static str {
    use crate::domain::progress::Measure;
    match value {
        Measure::Trainings => td_string!(locale, measure.trainings),
        Measure::Attendance => td_string!(locale, measure.attendance),
        Measure::TechnologiesPromoted => td_string!(locale, measure.technologies_promoted),
        Measure::Demonstrations => td_string!(locale, measure.demonstrations),
        Measure::Visits => td_string!(locale, measure.visits),
    }
}

pub fn problem(locale: Locale, value: Problem) -> &'static str {
    match value {
        Problem::Required => td_string!(locale, problem.required),
        Problem::InvalidDate => td_string!(locale, problem.invalid_date),
        Problem::InvalidTime => td_string!(locale, problem.invalid_time),
        Problem::NotAWholeNumber => td_string!(locale, problem.not_whole),
        Problem::NotANumber => td_string!(locale, problem.not_number),
        Problem::Negative => td_string!(locale, problem.negative),
        Problem::TooLarge => td_string!(locale, problem.too_large),
        Problem::TooLong => td_string!(locale, problem.too_long),
        Problem::EndNotAfterStart => td_string!(locale, problem.end_not_after_start),
        Problem::TooFarInFuture => td_string!(locale, problem.too_far_future),
        Problem::TooFarInPast => td_string!(locale, problem.too_far_past),
        Problem::MoreThanAttendance => td_string!(locale, problem.more_than_attendance),
        Problem::StageNotReached => td_string!(locale, problem.stage_not_reached),
        Problem::StagesOutOfOrder => td_string!(locale, problem.stages_out_of_order),
        Problem::FollowUpBeforeVisit => td_string!(locale, problem.follow_up_before_visit),
        Problem::OutOfRange => td_string!(locale, problem.out_of_range),
    }
}

pub fn storage_error(locale: Locale, error: &StorageError) -> &'static str {
    match error {
        StorageError::Unavailable(_) => td_string!(locale, storage.unavailable),
        StorageError::QuotaExceeded => td_string!(locale, storage.quota),
        StorageError::Browser(_) => td_string!(locale, storage.browser),
        StorageError::Encode(_) => td_string!(locale, storage.encode),
        StorageError::NewerLayout(_) => td_string!(locale, storage.newer_layout),
    }
}

pub fn stored_problem(locale: Locale, reason: &StoredProblemReason) -> &'static str {
    match reason {
        StoredProblemReason::Unreadable(_) => td_string!(locale, settings.problem_unreadable),
        StoredProblemReason::FromNewerVersion(_) => td_string!(locale, settings.problem_newer),
        StoredProblemReason::IdMismatch => td_string!(locale, settings.problem_id_mismatch),
    }
}

pub fn kind_title(locale: Locale, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training => td_string!(locale, kind.trainings_title),
        RecordKind::Technology => td_string!(locale, kind.technologies_title),
        RecordKind::Visit => td_string!(locale, kind.visits_title),
    }
}

pub fn kind_new(locale: Locale, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training => td_string!(locale, kind.new_training),
        RecordKind::Technology => td_string!(locale, kind.new_technology),
        RecordKind::Visit => td_string!(locale, kind.new_visit),
    }
}

pub fn kind_edit(locale: Locale, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training => td_string!(locale, kind.edit_training),
        RecordKind::Technology => td_string!(locale, kind.edit_technology),
        RecordKind::Visit => td_string!(locale, kind.edit_visit),
    }
}

/// County names are stored in Chinese; the English interface adds the romanised name.
pub fn county(locale: Locale, name: &str) -> String {
    match (locale, county_romanised(name)) {
        (Locale::en, Some(en)) => format!("{name} ({en})"),
        _ => name.to_owned(),
    }
}

pub fn place(locale: Locale, place: &Place) -> String {
    let county = if place.county.is_empty() {
        String::new()
    } else {
        self::county(locale, &place.county)
    };
    join_present([county, place.township.clone(), place.village.clone()], " ")
}

/// Joins the non-empty parts.
fn join_present(parts: impl IntoIterator<Item = String>, separator: &str) -> String {
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

fn list(items: &[String]) -> String {
    items.join("、")
}

fn amount<T: ToString>(value: Option<T>, unit: &str) -> String {
    value
        .map(|v| format!("{} {unit}", v.to_string()))
        .unwrap_or_default()
}

fn coordinate(value: Option<f64>) -> String {
    value
        .map(crate::domain::input::format_coordinate)
        .unwrap_or_default()
}

fn date(value: Option<time::Date>) -> String {
    value.map(format_date).unwrap_or_default()
}

fn time_span(start: Option<time::Time>, end: Option<time::Time>) -> String {
    match (start, end) {
        (None, None) => String::new(),
        (start, end) => format!(
            "{} – {}",
            start.map(format_time).unwrap_or_default(),
            end.map(format_time).unwrap_or_default()
        ),
    }
}

/// One line of a record's detail view: label and value as plain text.
pub type DetailRow = (&'static str, String);

/// Every field of a record body, labelled, for the detail page. Empty values are left out.
pub fn detail_rows(locale: Locale, body: &RecordBody) -> Vec<DetailRow> {
    all_fields(locale, body)
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// Every field of a record body, labelled, empty ones included, in a fixed order per kind.
fn all_fields(locale: Locale, body: &RecordBody) -> Vec<DetailRow> {
    match body {
        RecordBody::Training(t) => vec![
            (td_string!(locale, field.date), format_date(t.date)),
            (
                td_string!(locale, field.start_time),
                time_span(t.start_time, t.end_time),
            ),
            (
                td_string!(locale, field.duration_hours),
                amount(t.duration_hours, td_string!(locale, unit.hours)),
            ),
            (
                td_string!(locale, field.training_type),
                training_type(locale, t.training_type).to_owned(),
            ),
            (td_string!(locale, field.topic), t.topic.clone()),
            (td_string!(locale, field.trainers), list(&t.trainers)),
            (td_string!(locale, field.organiser), t.organiser.clone()),
            (td_string!(locale, field.county), place(locale, &t.place)),
            (
                td_string!(locale, field.attendance),
                amount(Some(t.attendance), td_string!(locale, unit.person_times)),
            ),
            (
                td_string!(locale, field.women),
                amount(t.women, td_string!(locale, unit.person_times)),
            ),
            (
                td_string!(locale, field.households),
                amount(t.households, td_string!(locale, unit.households)),
            ),
            (td_string!(locale, field.subjects), list(&t.subjects)),
            (td_string!(locale, field.notes), t.notes.clone()),
        ],
        RecordBody::Technology(t) => vec![
            (td_string!(locale, field.name), t.name.clone()),
            (
                td_string!(locale, field.category),
                category(locale, t.category).to_owned(),
            ),
            (
                td_string!(locale, field.stage),
                stage(locale, t.stage).to_owned(),
            ),
            (
                td_string!(locale, field.introduced_on),
                date(t.introduced_on),
            ),
            (
                td_string!(locale, field.demonstrated_on),
                date(t.demonstrated_on),
            ),
            (td_string!(locale, field.promoted_on), date(t.promoted_on)),
            (td_string!(locale, field.partners), list(&t.partners)),
            (td_string!(locale, field.site), t.site.clone()),
            (
                td_string!(locale, field.county),
                if t.county.is_empty() {
                    String::new()
                } else {
                    county(locale, &t.county)
                },
            ),
            (
                td_string!(locale, field.demo_area),
                amount(t.demo_area_mu, td_string!(locale, unit.mu)),
            ),
            (
                td_string!(locale, field.promoted_area),
                amount(t.promoted_area_mu, td_string!(locale, unit.mu)),
            ),
            (
                td_string!(locale, field.households),
                amount(t.households, td_string!(locale, unit.households)),
            ),
            (
                td_string!(locale, field.latitude),
                coordinate(t.site_location.as_ref().map(|p| p.latitude)),
            ),
            (
                td_string!(locale, field.longitude),
                coordinate(t.site_location.as_ref().map(|p| p.longitude)),
            ),
            (td_string!(locale, field.notes), t.notes.clone()),
        ],
        RecordBody::Visit(v) => vec![
            (td_string!(locale, field.date), format_date(v.date)),
            (
                td_string!(locale, field.start_time),
                time_span(v.start_time, v.end_time),
            ),
            (
                td_string!(locale, field.commissioners),
                list(&v.commissioners),
            ),
            (
                td_string!(locale, field.team_level),
                v.team_level
                    .map(|l| team_level(locale, Some(l)).to_owned())
                    .unwrap_or_default(),
            ),
            (td_string!(locale, field.team_name), v.team_name.clone()),
            (td_string!(locale, field.host), v.host.clone()),
            (
                td_string!(locale, field.host_type),
                host_type(locale, v.host_type).to_owned(),
            ),
            (td_string!(locale, field.county), place(locale, &v.place)),
            (
                td_string!(locale, field.help),
                v.help
                    .iter()
                    .map(|h| help(locale, *h))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            (td_string!(locale, field.problems), v.problems.clone()),
            (td_string!(locale, field.advice), v.advice.clone()),
            (
                td_string!(locale, field.technologies),
                list(&v.technologies),
            ),
            (td_string!(locale, field.follow_up_by), date(v.follow_up_by)),
            (
                td_string!(locale, field.latitude),
                coordinate(v.location.as_ref().map(|p| p.latitude)),
            ),
            (
                td_string!(locale, field.longitude),
                coordinate(v.location.as_ref().map(|p| p.longitude)),
            ),
            (td_string!(locale, field.notes), v.notes.clone()),
        ],
    }
}

/// What identifies a record at a glance in a list: its date, a title and a line of context.
pub fn summary(locale: Locale, record: &Record) -> (String, String, String) {
    let date = date(record.date());
    match &record.body {
        RecordBody::Training(t) => (
            date,
            t.topic.clone(),
            join_present(
                [
                    training_type(locale, t.training_type).to_owned(),
                    place(locale, &t.place),
                    format!("{} {}", t.attendance, td_string!(locale, unit.person_times)),
                ],
                " · ",
            ),
        ),
        RecordBody::Technology(t) => (
            date,
            t.name.clone(),
            join_present(
                [
                    category(locale, t.category).to_owned(),
                    stage(locale, t.stage).to_owned(),
                    t.site.clone(),
                ],
                " · ",
            ),
        ),
        RecordBody::Visit(v) => (
            date,
            v.host.clone(),
            join_present([list(&v.commissioners), place(locale, &v.place)], " · "),
        ),
    }
}

/// The first problems of a rejected import file, in words (at most three).
pub fn import_problems(locale: Locale, problems: &[ImportProblem]) -> String {
    problems
        .iter()
        .take(3)
        .map(|import_problem| match import_problem {
            ImportProblem::TooLarge => td_string!(locale, import_problem.too_large).to_owned(),
            ImportProblem::NotJson(_) => td_string!(locale, import_problem.not_json).to_owned(),
            ImportProblem::NotAnExport => td_string!(locale, import_problem.not_export).to_owned(),
            ImportProblem::NewerSchema(_) => {
                td_string!(locale, import_problem.newer_schema).to_owned()
            }
            ImportProblem::UnknownSchema(_) => {
                td_string!(locale, import_problem.unknown_schema).to_owned()
            }
            ImportProblem::BadEnvelope(_) => {
                td_string!(locale, import_problem.bad_envelope).to_owned()
            }
            ImportProblem::ChecksumMismatch => {
                td_string!(locale, import_problem.checksum).to_owned()
            }
            ImportProblem::BadRecord { index, .. } => {
                td_string!(locale, import_problem.bad_record, n = index + 1)
            }
            ImportProblem::InvalidRecord { index, errors } => {
                let detail = errors
                    .first()
                    .map(|e| problem(locale, e.problem))
                    .unwrap_or_default();
                format!(
                    "{}（{detail}）",
                    td_string!(locale, import_problem.invalid_record, n = index + 1)
                )
            }
            ImportProblem::BadHistory { index } => {
                td_string!(locale, import_problem.bad_history, n = index + 1)
            }
            ImportProblem::DuplicateId { index } => {
                td_string!(locale, import_problem.duplicate_id, n = index + 1)
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Header and rows of the CSV table of one kind: the same labels and values as the detail
/// page, one column per field, then the record's id, revision and author.
pub fn csv_rows(
    locale: Locale,
    kind: RecordKind,
    records: &[&Record],
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut headers: Vec<&'static str> = Vec::new();
    let rows = records
        .iter()
        .map(|record| {
            let fields = all_fields(locale, &record.body);
            if headers.is_empty() {
                headers = fields.iter().map(|(label, _)| *label).collect();
            }
            let mut row: Vec<String> = fields.into_iter().map(|(_, value)| value).collect();
            row.extend([
                record.id.to_string(),
                record.revision.to_string(),
                record.author.clone(),
            ]);
            row
        })
        .collect();
    if headers.is_empty() {
        headers = all_fields(locale, &blank_body(kind))
            .iter()
            .map(|(label, _)| *label)
            .collect();
    }
    headers.extend([
        "ID",
        td_string!(locale, detail.revision),
        td_string!(locale, detail.author),
    ]);
    (headers, rows)
}

/// A body of the given kind, only for its field labels.
fn blank_body(kind: RecordKind) -> RecordBody {
    let day = time::Date::MIN;
    match kind {
        RecordKind::Training => RecordBody::Training(Training {
            date: day,
            start_time: None,
            end_time: None,
            duration_hours: None,
            training_type: TrainingType::Farmer,
            topic: String::new(),
            trainers: Vec::new(),
            organiser: String::new(),
            place: Place::default(),
            attendance: 0,
            women: None,
            households: None,
            subjects: Vec::new(),
            technology_ids: Vec::new(),
            notes: String::new(),
        }),
        RecordKind::Technology => RecordBody::Technology(Technology {
            name: String::new(),
            category: TechCategory::Technique,
            partners: Vec::new(),
            site: String::new(),
            county: String::new(),
            stage: Stage::Introduced,
            introduced_on: None,
            demonstrated_on: None,
            promoted_on: None,
            demo_area_mu: None,
            promoted_area_mu: None,
            households: None,
            site_location: None,
            notes: String::new(),
        }),
        RecordKind::Visit => RecordBody::Visit(Visit {
            date: day,
            start_time: None,
            end_time: None,
            commissioners: Vec::new(),
            team_level: None,
            team_name: String::new(),
            host: String::new(),
            host_type: HostType::Village,
            place: Place::default(),
            help: Vec::new(),
            problems: String::new(),
            advice: String::new(),
            technologies: Vec::new(),
            technology_ids: Vec::new(),
            follow_up_needed: false,
            follow_up_by: None,
            follows_up: None,
            location: None,
            notes: String::new(),
        }),
    }
}

/// "12.3 KB" or "4.2 MB".
pub fn size_text(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", bytes / 1024.0)
    }
}

/// Share of the browser's localStorage limit, in whole percent.
pub fn share_percent(bytes: usize) -> usize {
    bytes * 100 / BROWSER_LIMIT_BYTES
}
