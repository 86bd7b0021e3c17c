//! The words shown for domain values, in the interface language. The messages themselves
//! live in `locales/*.json`; these functions only pick the message for a value.

use crate::domain::export_zip::ZipProblem;
use crate::domain::form::{Shown, format_coordinate, format_date, format_time, from_serde_name};
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

pub fn tier(locale: Locale, value: TeamTier) -> &'static str {
    match value {
        TeamTier::Provincial => td_string!(locale, tier.provincial),
        TeamTier::Municipal => td_string!(locale, tier.municipal),
    }
}

pub fn team_form(locale: Locale, value: TeamForm) -> &'static str {
    match value {
        TeamForm::Team => td_string!(locale, team_form.team),
        TeamForm::Group => td_string!(locale, team_form.group),
    }
}

pub fn institution_type(locale: Locale, value: Option<InstitutionType>) -> &'static str {
    match value {
        None => td_string!(locale, institution_type.none),
        Some(InstitutionType::ResearchInstitute) => {
            td_string!(locale, institution_type.research_institute)
        }
        Some(InstitutionType::University) => td_string!(locale, institution_type.university),
        Some(InstitutionType::Enterprise) => td_string!(locale, institution_type.enterprise),
        Some(InstitutionType::Other) => td_string!(locale, institution_type.other),
    }
}

pub fn team_status(locale: Locale, value: TeamStatus) -> &'static str {
    match value {
        TeamStatus::Draft => td_string!(locale, team_status.draft),
        TeamStatus::Applied => td_string!(locale, team_status.applied),
        TeamStatus::Approved => td_string!(locale, team_status.approved),
        TeamStatus::Serving => td_string!(locale, team_status.serving),
        TeamStatus::Closed => td_string!(locale, team_status.closed),
    }
}

pub fn demand_status(locale: Locale, value: DemandStatus) -> &'static str {
    match value {
        DemandStatus::Open => td_string!(locale, demand_status.open),
        DemandStatus::Matched => td_string!(locale, demand_status.matched),
        DemandStatus::Serving => td_string!(locale, demand_status.serving),
        DemandStatus::Solved => td_string!(locale, demand_status.solved),
        DemandStatus::Closed => td_string!(locale, demand_status.closed),
    }
}

pub fn urgency(locale: Locale, value: Urgency) -> &'static str {
    match value {
        Urgency::Low => td_string!(locale, urgency.low),
        Urgency::Normal => td_string!(locale, urgency.normal),
        Urgency::High => td_string!(locale, urgency.high),
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
        Problem::StatusNotReached => td_string!(locale, problem.status_not_reached),
        Problem::StatusDatesOutOfOrder => td_string!(locale, problem.status_dates_out_of_order),
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
        RecordKind::Team => td_string!(locale, kind.teams_title),
        RecordKind::Demand => td_string!(locale, kind.demands_title),
    }
}

pub fn kind_new(locale: Locale, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training => td_string!(locale, kind.new_training),
        RecordKind::Technology => td_string!(locale, kind.new_technology),
        RecordKind::Visit => td_string!(locale, kind.new_visit),
        RecordKind::Team => td_string!(locale, kind.new_team),
        RecordKind::Demand => td_string!(locale, kind.new_demand),
    }
}

pub fn kind_edit(locale: Locale, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Training => td_string!(locale, kind.edit_training),
        RecordKind::Technology => td_string!(locale, kind.edit_technology),
        RecordKind::Visit => td_string!(locale, kind.edit_visit),
        RecordKind::Team => td_string!(locale, kind.edit_team),
        RecordKind::Demand => td_string!(locale, kind.edit_demand),
    }
}

/// The name of a remembered list of values.
pub fn picklist(locale: Locale, list: crate::domain::picklist::Picklist) -> &'static str {
    match list {
        crate::domain::picklist::Picklist::People => td_string!(locale, picklists.people),
        crate::domain::picklist::Picklist::Teams => td_string!(locale, picklists.teams),
        crate::domain::picklist::Picklist::Hosts => td_string!(locale, picklists.hosts),
        crate::domain::picklist::Picklist::Partners => td_string!(locale, picklists.partners),
        crate::domain::picklist::Picklist::Townships => td_string!(locale, picklists.townships),
        crate::domain::picklist::Picklist::Villages => td_string!(locale, picklists.villages),
        crate::domain::picklist::Picklist::Subjects => td_string!(locale, picklists.subjects),
        crate::domain::picklist::Picklist::Technologies => {
            td_string!(locale, picklists.technologies)
        }
        crate::domain::picklist::Picklist::Industries => td_string!(locale, picklists.industries),
    }
}

/// The name of a job the app serves.
pub fn role(locale: Locale, role: crate::domain::settings::Role) -> &'static str {
    use crate::domain::settings::Role;
    match role {
        Role::Officer => td_string!(locale, role.officer),
        Role::Coordinator => td_string!(locale, role.coordinator),
    }
}

/// What a job's home screen offers, in a line.
pub fn role_help(locale: Locale, role: crate::domain::settings::Role) -> &'static str {
    use crate::domain::settings::Role;
    match role {
        Role::Officer => td_string!(locale, role.officer_help),
        Role::Coordinator => td_string!(locale, role.coordinator_help),
    }
}

/// County names are stored in Chinese; the English interface adds the romanised name.
pub fn county(locale: Locale, name: &str) -> String {
    match (locale, county_romanised(name)) {
        (Locale::en, Some(en)) => format!("{name} ({en})"),
        _ => name.to_owned(),
    }
}

/// How a target line stands at the period's end.
pub fn pace(locale: Locale, line: &crate::domain::progress::TargetLine) -> String {
    use crate::domain::progress::Pace;
    let expected = line.expected;
    match line.pace {
        Pace::Ahead => td_string!(locale, dashboard.pace_ahead, expected),
        Pace::OnPace => td_string!(locale, dashboard.pace_on, expected),
        Pace::Behind => td_string!(locale, dashboard.pace_behind, expected),
        Pace::Done => td_string!(locale, dashboard.pace_done).to_owned(),
        Pace::Closed => td_string!(locale, dashboard.pace_closed).to_owned(),
    }
}

/// "1—9月累计" / "Year so far (January–September)": what the targets of a period that does
/// not start on 1 January are judged by; `None` when the period's own figures are that (or
/// across years).
pub fn year_so_far_apart(locale: Locale, period: &crate::domain::period::Period) -> Option<String> {
    let so_far = period.year_so_far().filter(|so_far| so_far != period)?;
    let language = match locale {
        Locale::zh => Language::Zh,
        Locale::en => Language::En,
    };
    Some(td_string!(
        locale,
        report.so_far,
        span = crate::domain::report::year_so_far_words(language, so_far.to)
    ))
}

/// A county as a table row names it: "not given" for the records without one.
pub fn county_or_unset(locale: Locale, name: &str) -> String {
    if name.is_empty() {
        td_string!(locale, dashboard.county_unset).to_owned()
    } else {
        county(locale, name)
    }
}

/// The 分特派团情况 table's header: the team, then what it did (the dashboard's and the
/// report's table alike).
pub fn team_header(locale: Locale) -> Vec<String> {
    [
        td_string!(locale, field.team_name),
        td_string!(locale, field.tier),
        td_string!(locale, field.team_form),
        td_string!(locale, dashboard.team_status),
        td_string!(locale, dashboard.team_visits),
        td_string!(locale, dashboard.team_trainings),
        td_string!(locale, dashboard.team_attendance),
        td_string!(locale, dashboard.team_demands_matched),
        td_string!(locale, dashboard.demonstrated),
        td_string!(locale, dashboard.promoted),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// A team's row after its name, in [`team_header`]'s order.
pub fn team_cells(locale: Locale, row: &crate::domain::totals::TeamRow) -> Vec<String> {
    let mut cells = vec![
        tier(locale, row.level).to_owned(),
        team_form(locale, row.form).to_owned(),
        team_status(locale, row.status).to_owned(),
    ];
    cells.extend(
        [
            row.visits,
            row.trainings,
            row.attendance,
            row.demands_matched,
            row.technologies_demonstrated,
            row.technologies_promoted,
        ]
        .map(|n| n.to_string()),
    );
    cells
}

/// A place as one line: county (named for the interface language), township, village.
pub fn place(locale: Locale, place: &Place) -> String {
    let county = if place.county.is_empty() {
        String::new()
    } else {
        self::county(locale, &place.county)
    };
    [county, place.township.clone(), place.village.clone()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What separates the items of a list in the interface language (、 or a comma).
pub fn list_separator(locale: Locale) -> &'static str {
    td_string!(locale, words.list_separator)
}

/// Items as one line of text.
pub fn list(locale: Locale, items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.as_ref().to_owned()).collect();
    items.join(list_separator(locale))
}

/// A message followed by its detail in brackets: "…（…）" or "… (…)".
pub fn with_detail(locale: Locale, text: &str, detail: &str) -> String {
    td_string!(locale, words.with_detail, text, detail)
}

/// The label of a field, as its form shows it.
pub fn field(locale: Locale, field: Field) -> &'static str {
    match field {
        Field::Date => td_string!(locale, field.date),
        Field::StartTime => td_string!(locale, field.start_time),
        Field::EndTime => td_string!(locale, field.end_time),
        Field::DurationHours => td_string!(locale, field.duration_hours),
        Field::TrainingType => td_string!(locale, field.training_type),
        Field::Topic => td_string!(locale, field.topic),
        Field::Trainers => td_string!(locale, field.trainers),
        Field::Organiser => td_string!(locale, field.organiser),
        Field::County => td_string!(locale, field.county),
        Field::Township => td_string!(locale, field.township),
        Field::Village => td_string!(locale, field.village),
        Field::Attendance => td_string!(locale, field.attendance),
        Field::Women => td_string!(locale, field.women),
        Field::Households => td_string!(locale, field.households),
        Field::Subjects => td_string!(locale, field.subjects),
        Field::Notes => td_string!(locale, field.notes),
        Field::Name => td_string!(locale, field.name),
        Field::Category => td_string!(locale, field.category),
        Field::Stage => td_string!(locale, field.stage),
        Field::Partners => td_string!(locale, field.partners),
        Field::Site => td_string!(locale, field.site),
        Field::IntroducedOn => td_string!(locale, field.introduced_on),
        Field::DemonstratedOn => td_string!(locale, field.demonstrated_on),
        Field::PromotedOn => td_string!(locale, field.promoted_on),
        Field::DemoArea => td_string!(locale, field.demo_area),
        Field::PromotedArea => td_string!(locale, field.promoted_area),
        Field::Commissioners => td_string!(locale, field.commissioners),
        Field::TeamLevel => td_string!(locale, field.team_level),
        Field::TeamName => td_string!(locale, field.team_name),
        Field::Host => td_string!(locale, field.host),
        Field::HostType => td_string!(locale, field.host_type),
        Field::Help => td_string!(locale, field.help),
        Field::Problems => td_string!(locale, field.problems),
        Field::Advice => td_string!(locale, field.advice),
        Field::Technologies => td_string!(locale, field.technologies),
        Field::TechnologyIds => td_string!(locale, links.technologies),
        Field::FollowUpNeeded => td_string!(locale, field.follow_up_needed),
        Field::FollowUpBy => td_string!(locale, field.follow_up_by),
        Field::FollowsUp => td_string!(locale, field.follows_up),
        Field::Location | Field::SiteLocation => td_string!(locale, location.title),
        Field::Latitude => td_string!(locale, field.latitude),
        Field::Longitude => td_string!(locale, field.longitude),
        Field::Tier => td_string!(locale, field.tier),
        Field::TeamForm => td_string!(locale, field.team_form),
        Field::Year => td_string!(locale, field.year),
        Field::Institution => td_string!(locale, field.institution),
        Field::InstitutionType => td_string!(locale, field.institution_type),
        Field::Leader => td_string!(locale, field.leader),
        Field::Members => td_string!(locale, field.members),
        Field::Counties => td_string!(locale, field.counties),
        Field::Townships => td_string!(locale, field.townships),
        Field::Industry => td_string!(locale, field.industry),
        Field::TeamStatus => td_string!(locale, field.team_status),
        Field::DraftedOn => td_string!(locale, field.drafted_on),
        Field::AppliedOn => td_string!(locale, field.applied_on),
        Field::ApprovedOn => td_string!(locale, field.approved_on),
        Field::ServingSince => td_string!(locale, field.serving_since),
        Field::ClosedOn => td_string!(locale, field.closed_on),
        Field::ProjectTitle => td_string!(locale, field.project_title),
        Field::Support => td_string!(locale, field.support),
        Field::CollectedOn => td_string!(locale, field.collected_on),
        Field::Need => td_string!(locale, field.need),
        Field::Expertise => td_string!(locale, field.expertise),
        Field::Urgency => td_string!(locale, field.urgency),
        Field::DemandStatus => td_string!(locale, field.demand_status),
        Field::MatchedOn => td_string!(locale, field.matched_on),
        Field::EndedOn => td_string!(locale, field.ended_on),
        Field::UnsolvedReason => td_string!(locale, field.unsolved_reason),
        Field::TeamId => td_string!(locale, field.team_id),
        Field::DemandId => td_string!(locale, field.demand_id),
    }
}

/// The unit a field's figure is counted in, if any.
pub fn unit(locale: Locale, field: Field) -> Option<&'static str> {
    match field {
        Field::Attendance | Field::Women => Some(td_string!(locale, unit.person_times)),
        Field::Households => Some(td_string!(locale, unit.households)),
        Field::DemoArea | Field::PromotedArea => Some(td_string!(locale, unit.mu)),
        Field::DurationHours => Some(td_string!(locale, unit.hours)),
        Field::Support => Some(td_string!(locale, unit.wan_yuan)),
        _ => None,
    }
}

/// The name of one value of a choice field, by its serde name ("" for none, or unknown).
pub fn choice(locale: Locale, field: Field, name: &str) -> &'static str {
    fn named<T: serde::Serialize + Copy>(
        all: &[T],
        name: &str,
        label: impl Fn(T) -> &'static str,
    ) -> &'static str {
        from_serde_name(all, name).map(label).unwrap_or_default()
    }
    match field {
        Field::TrainingType => named(&TrainingType::ALL, name, |v| training_type(locale, v)),
        Field::Category => named(&TechCategory::ALL, name, |v| category(locale, v)),
        Field::Stage => named(&Stage::ALL, name, |v| stage(locale, v)),
        Field::HostType => named(&HostType::ALL, name, |v| host_type(locale, v)),
        Field::Help => named(&HelpKind::ALL, name, |v| help(locale, v)),
        Field::TeamLevel => team_level(locale, from_serde_name(&TeamLevel::ALL, name)),
        Field::Tier => named(&TeamTier::ALL, name, |v| tier(locale, v)),
        Field::TeamForm => named(&TeamForm::ALL, name, |v| team_form(locale, v)),
        Field::InstitutionType => {
            institution_type(locale, from_serde_name(&InstitutionType::ALL, name))
        }
        Field::TeamStatus => named(&TeamStatus::ALL, name, |v| team_status(locale, v)),
        Field::DemandStatus => named(&DemandStatus::ALL, name, |v| demand_status(locale, v)),
        Field::Urgency => named(&Urgency::ALL, name, |v| urgency(locale, v)),
        // Every other field holds no choice; listed so that a new field must be placed here
        // or above, never shown blank by accident.
        Field::Date
        | Field::StartTime
        | Field::EndTime
        | Field::DurationHours
        | Field::Topic
        | Field::Trainers
        | Field::Organiser
        | Field::County
        | Field::Township
        | Field::Village
        | Field::Attendance
        | Field::Women
        | Field::Households
        | Field::Subjects
        | Field::Notes
        | Field::Name
        | Field::Partners
        | Field::Site
        | Field::IntroducedOn
        | Field::DemonstratedOn
        | Field::PromotedOn
        | Field::DemoArea
        | Field::PromotedArea
        | Field::Commissioners
        | Field::TeamName
        | Field::Host
        | Field::Problems
        | Field::Advice
        | Field::Technologies
        | Field::TechnologyIds
        | Field::FollowUpNeeded
        | Field::FollowUpBy
        | Field::FollowsUp
        | Field::Location
        | Field::SiteLocation
        | Field::Latitude
        | Field::Longitude
        | Field::Year
        | Field::Institution
        | Field::Leader
        | Field::Members
        | Field::Counties
        | Field::Townships
        | Field::Industry
        | Field::DraftedOn
        | Field::AppliedOn
        | Field::ApprovedOn
        | Field::ServingSince
        | Field::ClosedOn
        | Field::ProjectTitle
        | Field::Support
        | Field::CollectedOn
        | Field::Need
        | Field::Expertise
        | Field::MatchedOn
        | Field::EndedOn
        | Field::UnsolvedReason
        | Field::TeamId
        | Field::DemandId => "",
    }
}

/// A field's value as text in the interface language: figures with their unit, choices by
/// name, lists joined. Empty for nothing, and for values shown otherwise (links, a place's
/// coordinates, flags).
pub fn shown(locale: Locale, field: Field, value: &Shown) -> String {
    let with_unit = |figure: String| match unit(locale, field) {
        Some(unit) => format!("{figure} {unit}"),
        None => figure,
    };
    match value {
        Shown::Text(text) if field == Field::County && !text.is_empty() => county(locale, text),
        Shown::Text(text) => (*text).to_owned(),
        Shown::List(items) if field == Field::Counties => {
            list(locale, items.iter().map(|c| county(locale, c)))
        }
        Shown::List(items) => list(locale, items.iter()),
        Shown::Date(date) => date.map(format_date).unwrap_or_default(),
        Shown::Time(time) => time.map(format_time).unwrap_or_default(),
        Shown::Count(n) => n.map(|n| with_unit(n.to_string())).unwrap_or_default(),
        Shown::Decimal(n) => n.map(|n| with_unit(n.to_string())).unwrap_or_default(),
        Shown::Choice(name) if name.is_empty() => String::new(),
        Shown::Choice(name) => choice(locale, field, name).to_owned(),
        Shown::Choices(names) => list(locale, names.iter().map(|n| choice(locale, field, n))),
        Shown::Flag(_) | Shown::Ids(_) | Shown::Id(_) => String::new(),
        Shown::Location(point) => point
            .map(|p| {
                format!(
                    "{}, {}",
                    format_coordinate(p.latitude),
                    format_coordinate(p.longitude)
                )
            })
            .unwrap_or_default(),
    }
}

/// The first problems of a rejected import file, in words (at most three).
pub fn import_problems(locale: Locale, problems: &[ImportProblem]) -> String {
    let words: Vec<String> = problems
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
                    .map(|e| format!("{}: {}", field(locale, e.field), problem(locale, e.problem)))
                    .unwrap_or_default();
                with_detail(
                    locale,
                    &td_string!(locale, import_problem.invalid_record, n = index + 1),
                    &detail,
                )
            }
            ImportProblem::BadHistory { index } => {
                td_string!(locale, import_problem.bad_history, n = index + 1)
            }
            ImportProblem::DuplicateId { index } => {
                td_string!(locale, import_problem.duplicate_id, n = index + 1)
            }
            ImportProblem::Zip(zip) => zip_problem(locale, zip),
        })
        .collect();
    words.join(td_string!(locale, words.clause_separator))
}

/// Why an export's zip was refused, with the entry it concerns.
fn zip_problem(locale: Locale, zip: &ZipProblem) -> String {
    use crate::domain::photo::PhotoProblem;
    let (words, entry) = match zip {
        ZipProblem::NotAZip(_) | ZipProblem::TooLarge => {
            (td_string!(locale, import_problem.zip_unreadable), None)
        }
        ZipProblem::UnsafeName(name) => (
            td_string!(locale, import_problem.zip_unsafe_name),
            Some(name),
        ),
        ZipProblem::DuplicateName(name) => {
            (td_string!(locale, import_problem.zip_duplicate), Some(name))
        }
        ZipProblem::UnexpectedEntry(name) => (
            td_string!(locale, import_problem.zip_unexpected),
            Some(name),
        ),
        ZipProblem::NoExport => (td_string!(locale, import_problem.zip_no_export), None),
        ZipProblem::SeveralExports => {
            (td_string!(locale, import_problem.zip_several_exports), None)
        }
        ZipProblem::Photo { name, problem } => (
            match problem {
                PhotoProblem::Empty | PhotoProblem::NotAnImage => {
                    td_string!(locale, import_problem.photo_not_image)
                }
                PhotoProblem::Truncated => td_string!(locale, import_problem.photo_cut_off),
                PhotoProblem::TooLarge(_) => td_string!(locale, import_problem.photo_too_large),
                PhotoProblem::WrongType { .. } => {
                    td_string!(locale, import_problem.photo_wrong_type)
                }
                PhotoProblem::HashMismatch => td_string!(locale, import_problem.photo_hash),
            },
            Some(name),
        ),
    };
    match entry {
        Some(entry) => with_detail(locale, words, entry),
        None => words.to_owned(),
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
