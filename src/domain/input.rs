//! What the forms hold (text as typed) and the validation that turns it into a record body.
//!
//! Validation never loses what was typed: on error the input is left as it is and every
//! problem is reported against its field, so the form can show it beside the field.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::record::*;

/// Longest text accepted in any field, in characters. Generous on purpose: notes can be long,
/// and hostile-looking text is stored and shown as plain text, never rejected for its content.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Largest head count (人次, 户) accepted.
pub const MAX_COUNT: u32 = 1_000_000;
/// Largest area accepted, in 亩 (about 6 700 km², more than all of Yingkou).
pub const MAX_AREA_MU: f64 = 10_000_000.0;
/// Dates earlier than this are typing mistakes.
pub const EARLIEST_YEAR: i32 = 2000;
/// How far ahead of today a date may be before it is taken for a typing mistake.
pub const MAX_DAYS_AHEAD: i64 = 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Date,
    StartTime,
    EndTime,
    DurationHours,
    Topic,
    Trainers,
    Organiser,
    County,
    Township,
    Village,
    Attendance,
    Women,
    Households,
    Subjects,
    Notes,
    Name,
    Partners,
    Site,
    IntroducedOn,
    DemonstratedOn,
    PromotedOn,
    DemoArea,
    PromotedArea,
    Commissioners,
    TeamName,
    Host,
    Problems,
    Advice,
    Technologies,
    FollowUpBy,
    Latitude,
    Longitude,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    InvalidDate,
    InvalidTime,
    NotAWholeNumber,
    NotANumber,
    Negative,
    TooLarge,
    TooLong,
    EndNotAfterStart,
    TooFarInFuture,
    TooFarInPast,
    MoreThanAttendance,
    /// A stage date is given for a stage the technology has not reached.
    StageNotReached,
    /// Stage dates must not go backwards (introduced ≤ demonstrated ≤ promoted).
    StagesOutOfOrder,
    FollowUpBeforeVisit,
    /// A latitude outside −90…90 or a longitude outside −180…180.
    OutOfRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

pub type FieldErrors = Vec<FieldError>;

/// Collects problems while reading the fields of one form.
struct Checker {
    today: Date,
    errors: FieldErrors,
}

impl Checker {
    fn new(today: Date) -> Self {
        Checker {
            today,
            errors: Vec::new(),
        }
    }

    fn fail(&mut self, field: Field, problem: Problem) {
        self.errors.push(FieldError { field, problem });
    }

    fn text(&mut self, field: Field, value: &str, required: bool) -> String {
        let value = value.trim();
        if required && value.is_empty() {
            self.fail(field, Problem::Required);
        } else if value.chars().count() > MAX_TEXT_CHARS {
            self.fail(field, Problem::TooLong);
        }
        value.to_owned()
    }

    fn list(&mut self, field: Field, value: &str, required: bool) -> Vec<String> {
        let items = split_list(value);
        if required && items.is_empty() {
            self.fail(field, Problem::Required);
        } else if items.iter().map(|i| i.chars().count()).sum::<usize>() > MAX_TEXT_CHARS {
            self.fail(field, Problem::TooLong);
        }
        items
    }

    fn date(&mut self, field: Field, value: &str, required: bool) -> Option<Date> {
        let value = value.trim();
        if value.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return None;
        }
        let Some(date) = parse_date(value) else {
            self.fail(field, Problem::InvalidDate);
            return None;
        };
        if date.year() < EARLIEST_YEAR {
            self.fail(field, Problem::TooFarInPast);
        } else if date > self.today + Duration::days(MAX_DAYS_AHEAD) {
            self.fail(field, Problem::TooFarInFuture);
        }
        Some(date)
    }

    fn time(&mut self, field: Field, value: &str) -> Option<Time> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let parsed = parse_time(value);
        if parsed.is_none() {
            self.fail(field, Problem::InvalidTime);
        }
        parsed
    }

    fn count(&mut self, field: Field, value: &str, required: bool) -> Option<u32> {
        let value = normalise_digits(value);
        if value.is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return None;
        }
        if value.starts_with('-') {
            self.fail(field, Problem::Negative);
            return None;
        }
        match value.parse::<u64>() {
            Ok(n) if n > u64::from(MAX_COUNT) => {
                self.fail(field, Problem::TooLarge);
                None
            }
            Ok(n) => u32::try_from(n).ok(),
            Err(_) if value.chars().all(|c| c.is_ascii_digit()) => {
                self.fail(field, Problem::TooLarge);
                None
            }
            Err(_) => {
                self.fail(field, Problem::NotAWholeNumber);
                None
            }
        }
    }

    fn decimal(&mut self, field: Field, value: &str, max: f64) -> Option<f64> {
        let value = normalise_digits(value);
        if value.is_empty() {
            return None;
        }
        match value.parse::<f64>() {
            Ok(n) if !n.is_finite() => {
                self.fail(field, Problem::NotANumber);
                None
            }
            Ok(n) if n < 0.0 => {
                self.fail(field, Problem::Negative);
                None
            }
            Ok(n) if n > max => {
                self.fail(field, Problem::TooLarge);
                None
            }
            Ok(n) => Some(n),
            Err(_) => {
                self.fail(field, Problem::NotANumber);
                None
            }
        }
    }

    /// Both coordinates or neither; degrees on the globe.
    fn location(&mut self, input: &LocationInput) -> Option<GeoPoint> {
        let latitude = self.coordinate(Field::Latitude, &input.latitude, 90.0);
        let longitude = self.coordinate(Field::Longitude, &input.longitude, 180.0);
        match (latitude, longitude) {
            (Some(latitude), Some(longitude)) => Some(GeoPoint {
                latitude,
                longitude,
                accuracy_m: input.accuracy_m.filter(|a| a.is_finite() && *a >= 0.0),
                captured_at: input.captured_at,
            }),
            (Some(_), None) if input.longitude.trim().is_empty() => {
                self.fail(Field::Longitude, Problem::Required);
                None
            }
            (None, Some(_)) if input.latitude.trim().is_empty() => {
                self.fail(Field::Latitude, Problem::Required);
                None
            }
            _ => None,
        }
    }

    fn coordinate(&mut self, field: Field, value: &str, limit: f64) -> Option<f64> {
        let value = normalise_digits(value);
        if value.is_empty() {
            return None;
        }
        match value.parse::<f64>() {
            Ok(n) if n.is_finite() && (-limit..=limit).contains(&n) => Some(n),
            Ok(n) if n.is_finite() => {
                self.fail(field, Problem::OutOfRange);
                None
            }
            _ => {
                self.fail(field, Problem::NotANumber);
                None
            }
        }
    }

    fn time_range(&mut self, start: Option<Time>, end: Option<Time>) {
        if let (Some(start), Some(end)) = (start, end)
            && end <= start
        {
            self.fail(Field::EndTime, Problem::EndNotAfterStart);
        }
    }

    fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() {
            Ok(value())
        } else {
            Err(self.errors)
        }
    }
}

/// Splits a list typed into one field: commas, Chinese enumeration commas, semicolons or
/// new lines separate items. Blank and repeated items are dropped, order is kept.
pub fn split_list(value: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in value.split([',', '，', '、', ';', '；', '\n']) {
        let item = item.trim();
        if !item.is_empty() && !items.iter().any(|i| i == item) {
            items.push(item.to_owned());
        }
    }
    items
}

/// The way a list is shown in its form field, so that `split_list` reads it back unchanged.
pub fn join_list(items: &[String]) -> String {
    items.join("、")
}

/// Chinese input methods often type full-width digits (１２３．５); read them as ASCII.
fn normalise_digits(value: &str) -> String {
    value
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' => '-',
            other => other,
        })
        .collect()
}

pub fn parse_date(value: &str) -> Option<Date> {
    super::datetime_text::parse_date(value.trim())
}

pub fn format_date(date: Date) -> String {
    super::datetime_text::format_date(date)
}

pub fn parse_time(value: &str) -> Option<Time> {
    super::datetime_text::parse_time(value)
}

pub fn format_time(time: Time) -> String {
    super::datetime_text::format_time(time)
}

fn opt_date(date: Option<Date>) -> String {
    date.map(format_date).unwrap_or_default()
}

fn opt_time(time: Option<Time>) -> String {
    time.map(format_time).unwrap_or_default()
}

fn opt_number<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A position as the form holds it: typed (or filled in from the GPS) coordinates, plus the
/// accuracy and time the GPS gave, which are cleared when the officer types over them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationInput {
    pub latitude: String,
    pub longitude: String,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    #[serde(with = "crate::domain::datetime_text::rfc3339::option", default)]
    pub captured_at: Option<OffsetDateTime>,
}

impl LocationInput {
    pub fn from_point(point: Option<&GeoPoint>) -> Self {
        match point {
            Some(p) => LocationInput {
                latitude: format_coordinate(p.latitude),
                longitude: format_coordinate(p.longitude),
                accuracy_m: p.accuracy_m,
                captured_at: p.captured_at,
            },
            None => LocationInput::default(),
        }
    }
}

/// Six decimals: about 0.1 m, finer than any tablet's GPS.
pub fn format_coordinate(degrees: f64) -> String {
    let text = format!("{degrees:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// What the form holds, also kept as a draft while the officer types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingInput {
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub duration_hours: String,
    pub training_type: TrainingType,
    pub topic: String,
    pub trainers: String,
    pub organiser: String,
    pub county: String,
    pub township: String,
    pub village: String,
    pub attendance: String,
    pub women: String,
    pub households: String,
    pub subjects: String,
    /// Technology records this training concerns.
    #[serde(default)]
    pub technology_ids: Vec<Uuid>,
    pub notes: String,
}

impl TrainingInput {
    pub fn blank(today: Date) -> Self {
        TrainingInput {
            date: format_date(today),
            start_time: String::new(),
            end_time: String::new(),
            duration_hours: String::new(),
            training_type: TrainingType::Farmer,
            topic: String::new(),
            trainers: String::new(),
            organiser: String::new(),
            county: String::new(),
            township: String::new(),
            village: String::new(),
            attendance: String::new(),
            women: String::new(),
            households: String::new(),
            subjects: String::new(),
            technology_ids: Vec::new(),
            notes: String::new(),
        }
    }

    pub fn from_training(t: &Training) -> Self {
        TrainingInput {
            date: format_date(t.date),
            start_time: opt_time(t.start_time),
            end_time: opt_time(t.end_time),
            duration_hours: opt_number(t.duration_hours),
            training_type: t.training_type,
            topic: t.topic.clone(),
            trainers: join_list(&t.trainers),
            organiser: t.organiser.clone(),
            county: t.place.county.clone(),
            township: t.place.township.clone(),
            village: t.place.village.clone(),
            attendance: t.attendance.to_string(),
            women: opt_number(t.women),
            households: opt_number(t.households),
            subjects: join_list(&t.subjects),
            technology_ids: t.technology_ids.clone(),
            notes: t.notes.clone(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<Training, FieldErrors> {
        let mut c = Checker::new(today);
        let date = c.date(Field::Date, &self.date, true);
        let start_time = c.time(Field::StartTime, &self.start_time);
        let end_time = c.time(Field::EndTime, &self.end_time);
        c.time_range(start_time, end_time);
        let duration_hours = c.decimal(Field::DurationHours, &self.duration_hours, 24.0);
        let topic = c.text(Field::Topic, &self.topic, true);
        let trainers = c.list(Field::Trainers, &self.trainers, false);
        let organiser = c.text(Field::Organiser, &self.organiser, false);
        let place = Place {
            county: c.text(Field::County, &self.county, false),
            township: c.text(Field::Township, &self.township, false),
            village: c.text(Field::Village, &self.village, false),
        };
        let attendance = c.count(Field::Attendance, &self.attendance, true);
        let women = c.count(Field::Women, &self.women, false);
        let households = c.count(Field::Households, &self.households, false);
        if let (Some(women), Some(attendance)) = (women, attendance)
            && women > attendance
        {
            c.fail(Field::Women, Problem::MoreThanAttendance);
        }
        let subjects = c.list(Field::Subjects, &self.subjects, false);
        let notes = c.text(Field::Notes, &self.notes, false);
        // Required values are present whenever the checker found no problem.
        c.finish(|| Training {
            date: date.unwrap_or(today),
            start_time,
            end_time,
            duration_hours,
            training_type: self.training_type,
            topic,
            trainers,
            organiser,
            place,
            attendance: attendance.unwrap_or_default(),
            women,
            households,
            subjects,
            technology_ids: self.technology_ids.clone(),
            notes,
        })
    }
}

/// What the form holds, also kept as a draft while the officer types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TechnologyInput {
    pub name: String,
    pub category: TechCategory,
    pub partners: String,
    pub site: String,
    pub county: String,
    pub stage: Stage,
    pub introduced_on: String,
    pub demonstrated_on: String,
    pub promoted_on: String,
    pub demo_area_mu: String,
    pub promoted_area_mu: String,
    pub households: String,
    #[serde(default)]
    pub site_location: LocationInput,
    pub notes: String,
}

impl TechnologyInput {
    pub fn blank(today: Date) -> Self {
        TechnologyInput {
            name: String::new(),
            category: TechCategory::Technique,
            partners: String::new(),
            site: String::new(),
            county: String::new(),
            stage: Stage::Introduced,
            introduced_on: format_date(today),
            demonstrated_on: String::new(),
            promoted_on: String::new(),
            demo_area_mu: String::new(),
            promoted_area_mu: String::new(),
            households: String::new(),
            site_location: LocationInput::default(),
            notes: String::new(),
        }
    }

    pub fn from_technology(t: &Technology) -> Self {
        TechnologyInput {
            name: t.name.clone(),
            category: t.category,
            partners: join_list(&t.partners),
            site: t.site.clone(),
            county: t.county.clone(),
            stage: t.stage,
            introduced_on: opt_date(t.introduced_on),
            demonstrated_on: opt_date(t.demonstrated_on),
            promoted_on: opt_date(t.promoted_on),
            demo_area_mu: opt_number(t.demo_area_mu),
            promoted_area_mu: opt_number(t.promoted_area_mu),
            households: opt_number(t.households),
            site_location: LocationInput::from_point(t.site_location.as_ref()),
            notes: t.notes.clone(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<Technology, FieldErrors> {
        let mut c = Checker::new(today);
        let name = c.text(Field::Name, &self.name, true);
        let partners = c.list(Field::Partners, &self.partners, false);
        let site = c.text(Field::Site, &self.site, false);
        let county = c.text(Field::County, &self.county, false);
        let stage_dates = [
            (Stage::Introduced, Field::IntroducedOn, &self.introduced_on),
            (
                Stage::Demonstrated,
                Field::DemonstratedOn,
                &self.demonstrated_on,
            ),
            (Stage::Promoted, Field::PromotedOn, &self.promoted_on),
        ]
        .map(|(stage, field, value)| {
            let date = c.date(field, value, stage == self.stage);
            if date.is_some() && stage > self.stage {
                c.fail(field, Problem::StageNotReached);
            }
            (field, date)
        });
        // Each stage date must not be earlier than the one before it.
        let mut latest: Option<Date> = None;
        for (field, date) in stage_dates {
            if let Some(date) = date {
                if latest.is_some_and(|l| date < l) {
                    c.fail(field, Problem::StagesOutOfOrder);
                }
                latest = Some(date);
            }
        }
        let demo_area_mu = c.decimal(Field::DemoArea, &self.demo_area_mu, MAX_AREA_MU);
        let promoted_area_mu = c.decimal(Field::PromotedArea, &self.promoted_area_mu, MAX_AREA_MU);
        let households = c.count(Field::Households, &self.households, false);
        let site_location = c.location(&self.site_location);
        let notes = c.text(Field::Notes, &self.notes, false);
        let [(_, introduced_on), (_, demonstrated_on), (_, promoted_on)] = stage_dates;
        c.finish(|| Technology {
            name,
            category: self.category,
            partners,
            site,
            county,
            stage: self.stage,
            introduced_on,
            demonstrated_on,
            promoted_on,
            demo_area_mu,
            promoted_area_mu,
            households,
            site_location,
            notes,
        })
    }
}

/// What the form holds, also kept as a draft while the officer types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitInput {
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub commissioners: String,
    pub team_level: Option<TeamLevel>,
    pub team_name: String,
    pub host: String,
    pub host_type: HostType,
    pub county: String,
    pub township: String,
    pub village: String,
    pub help: Vec<HelpKind>,
    pub problems: String,
    pub advice: String,
    pub technologies: String,
    pub technology_ids: Vec<Uuid>,
    pub follow_up_needed: bool,
    pub follow_up_by: String,
    /// The earlier visit this one follows up.
    #[serde(default)]
    pub follows_up: Option<Uuid>,
    #[serde(default)]
    pub location: LocationInput,
    pub notes: String,
}

impl VisitInput {
    pub fn blank(today: Date) -> Self {
        VisitInput {
            date: format_date(today),
            start_time: String::new(),
            end_time: String::new(),
            commissioners: String::new(),
            team_level: None,
            team_name: String::new(),
            host: String::new(),
            host_type: HostType::Village,
            county: String::new(),
            township: String::new(),
            village: String::new(),
            help: Vec::new(),
            problems: String::new(),
            advice: String::new(),
            technologies: String::new(),
            technology_ids: Vec::new(),
            follow_up_needed: false,
            follow_up_by: String::new(),
            follows_up: None,
            location: LocationInput::default(),
            notes: String::new(),
        }
    }

    pub fn from_visit(v: &Visit) -> Self {
        VisitInput {
            date: format_date(v.date),
            start_time: opt_time(v.start_time),
            end_time: opt_time(v.end_time),
            commissioners: join_list(&v.commissioners),
            team_level: v.team_level,
            team_name: v.team_name.clone(),
            host: v.host.clone(),
            host_type: v.host_type,
            county: v.place.county.clone(),
            township: v.place.township.clone(),
            village: v.place.village.clone(),
            help: v.help.clone(),
            problems: v.problems.clone(),
            advice: v.advice.clone(),
            technologies: join_list(&v.technologies),
            technology_ids: v.technology_ids.clone(),
            follow_up_needed: v.follow_up_needed,
            follow_up_by: opt_date(v.follow_up_by),
            follows_up: v.follows_up,
            location: LocationInput::from_point(v.location.as_ref()),
            notes: v.notes.clone(),
        }
    }

    pub fn validate(&self, today: Date) -> Result<Visit, FieldErrors> {
        let mut c = Checker::new(today);
        let date = c.date(Field::Date, &self.date, true);
        let start_time = c.time(Field::StartTime, &self.start_time);
        let end_time = c.time(Field::EndTime, &self.end_time);
        c.time_range(start_time, end_time);
        let commissioners = c.list(Field::Commissioners, &self.commissioners, true);
        let team_name = c.text(Field::TeamName, &self.team_name, false);
        let host = c.text(Field::Host, &self.host, true);
        let place = Place {
            county: c.text(Field::County, &self.county, false),
            township: c.text(Field::Township, &self.township, false),
            village: c.text(Field::Village, &self.village, false),
        };
        let problems = c.text(Field::Problems, &self.problems, false);
        let advice = c.text(Field::Advice, &self.advice, false);
        let technologies = c.list(Field::Technologies, &self.technologies, false);
        let follow_up_by = if self.follow_up_needed {
            let by = c.date(Field::FollowUpBy, &self.follow_up_by, true);
            if let (Some(by), Some(date)) = (by, date)
                && by < date
            {
                c.fail(Field::FollowUpBy, Problem::FollowUpBeforeVisit);
            }
            by
        } else {
            None
        };
        let location = c.location(&self.location);
        let notes = c.text(Field::Notes, &self.notes, false);
        let mut help = Vec::new();
        for kind in HelpKind::ALL {
            if self.help.contains(&kind) {
                help.push(kind);
            }
        }
        c.finish(|| Visit {
            date: date.unwrap_or(today),
            start_time,
            end_time,
            commissioners,
            team_level: self.team_level,
            team_name,
            host,
            host_type: self.host_type,
            place,
            help,
            problems,
            advice,
            technologies,
            technology_ids: self.technology_ids.clone(),
            follow_up_needed: self.follow_up_needed,
            follow_up_by,
            follows_up: self.follows_up,
            location,
            notes,
        })
    }
}
