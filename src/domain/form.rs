//! Record forms, described once per kind: each field's control, whether it is required, the
//! picklist it offers and how it reads from and writes to the record body. From that one
//! table come the form (input as typed, kept as a draft), its validation, the detail page, the
//! CSV columns, the picklists, search and the list filters.
//!
//! Validation never loses what was typed: on error the input is left as it is and every
//! problem is reported against its field, so the form can show it beside the field.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::datetime_text;
use super::order;
use super::record::{RecordBody, RecordKind};
use super::values::GeoPoint;

/// Longest text accepted in any field, in characters. Generous on purpose: notes can be long,
/// and hostile-looking text is stored and shown as plain text, never rejected for its content.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Largest head count (人次, 户) accepted.
pub const MAX_COUNT: u32 = 1_000_000;
/// Largest area accepted, in 亩 (about 6 700 km², more than all of Yingkou).
pub const MAX_AREA_MU: f64 = 10_000_000.0;
/// Most hours a training can last.
pub const MAX_HOURS: f64 = 24.0;
/// Dates earlier than this are typing mistakes.
pub const EARLIEST_YEAR: i32 = 2000;
/// How far ahead of today a date may be before it is taken for a typing mistake.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// Every field of every kind. The serde name is the field's name in a form draft; the
/// element id of its control is `field-` and the variant's name in lower case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Date,
    StartTime,
    EndTime,
    DurationHours,
    TrainingType,
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
    Category,
    Stage,
    Partners,
    Site,
    IntroducedOn,
    DemonstratedOn,
    PromotedOn,
    #[serde(rename = "demo_area_mu")]
    DemoArea,
    #[serde(rename = "promoted_area_mu")]
    PromotedArea,
    Commissioners,
    TeamLevel,
    TeamName,
    Host,
    HostType,
    Help,
    Problems,
    Advice,
    Technologies,
    TechnologyIds,
    FollowUpNeeded,
    FollowUpBy,
    FollowsUp,
    Location,
    SiteLocation,
    /// The two coordinates of a location; problems are reported against them.
    Latitude,
    Longitude,
    // Teams (科技特派团/组).
    Tier,
    TeamForm,
    Year,
    Institution,
    InstitutionType,
    Leader,
    Members,
    Counties,
    Townships,
    Industry,
    TeamStatus,
    DraftedOn,
    AppliedOn,
    ApprovedOn,
    ServingSince,
    ClosedOn,
    ProjectTitle,
    #[serde(rename = "support_wan_yuan")]
    Support,
    // Demands (技术需求).
    CollectedOn,
    Need,
    Expertise,
    Urgency,
    DemandStatus,
    MatchedOn,
    EndedOn,
    UnsolvedReason,
    // Links to a team or a demand record.
    TeamId,
    DemandId,
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
    /// A date is given for a status the team or demand has not reached.
    StatusNotReached,
    /// Status dates must not go backwards.
    StatusDatesOutOfOrder,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

pub type FieldErrors = Vec<FieldError>;

/// One field's value in the form, as typed or chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Input {
    /// Text, numbers, dates, times and lists as typed; a choice by its serde name.
    Text(String),
    Flag(bool),
    /// Several choices (serde names), or linked record ids.
    Items(Vec<String>),
    Location(LocationInput),
    /// Nothing chosen.
    Empty,
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

/// What a form holds, field by field; also kept as a draft while the officer types.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormInput(BTreeMap<Field, Input>);

impl FormInput {
    pub fn get(&self, field: Field) -> Option<&Input> {
        self.0.get(&field)
    }

    pub fn set(&mut self, field: Field, value: Input) {
        self.0.insert(field, value);
    }

    /// The text of a text field ("" when there is none).
    pub fn text(&self, field: Field) -> &str {
        match self.get(field) {
            Some(Input::Text(text)) => text,
            _ => "",
        }
    }

    pub fn flag(&self, field: Field) -> bool {
        matches!(self.get(field), Some(Input::Flag(true)))
    }

    pub fn items(&self, field: Field) -> &[String] {
        match self.get(field) {
            Some(Input::Items(items)) => items,
            _ => &[],
        }
    }

    pub fn location(&self, field: Field) -> LocationInput {
        match self.get(field) {
            Some(Input::Location(location)) => location.clone(),
            _ => LocationInput::default(),
        }
    }

    /// A body's values as its form shows them; lists joined with `separator`.
    pub fn from_body<K: Kind>(body: &K, separator: &str) -> Self {
        FormInput(
            K::FIELDS
                .iter()
                .map(|spec| (spec.field, spec.to_input(body, separator)))
                .collect(),
        )
    }

    /// The form for a new record: the kind's blank, with required head counts left empty
    /// rather than showing 0.
    pub fn new_record<K: Kind>(today: Date, separator: &str) -> Self {
        let mut input = Self::from_body(&K::blank(today), separator);
        for spec in K::FIELDS {
            if matches!(spec.access, Access::Count(..)) {
                input.set(spec.field, Input::Text(String::new()));
            }
        }
        input
    }

    /// Reads every field into a body of kind `K`, checking each and then the rules across
    /// fields; every problem is reported, in the order the form shows the fields.
    pub fn validate<K: Kind>(&self, today: Date) -> Result<K, FieldErrors> {
        let mut body = K::blank(today);
        let mut checker = Checker::new(today);
        for spec in K::FIELDS {
            let shown = spec.shown_if.is_none_or(|flag| self.flag(flag));
            if shown {
                spec.read(self.get(spec.field), &mut body, &mut checker);
            }
        }
        body.check(&mut checker);
        // The rules across fields are checked last; the form shows (and focuses) the problems
        // in the order of their fields.
        checker.finish(body).map_err(|mut errors| {
            order::sort_by_key(&mut errors, |error| position::<K>(error.field));
            errors
        })
    }
}

/// Where a field stands in its kind's form; a coordinate stands where its location does.
fn position<K: Kind>(field: Field) -> usize {
    let coordinate = matches!(field, Field::Latitude | Field::Longitude);
    K::FIELDS
        .iter()
        .position(|spec| {
            spec.field == field || (coordinate && matches!(spec.access, Access::Location(..)))
        })
        .unwrap_or(usize::MAX)
}

/// A list of values the forms offer again once they have been typed (see
/// [`picklist`](super::picklist)); each field that offers one names it in its [`FieldSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Picklist {
    /// Trainers and commissioners.
    People,
    /// Commissioner team names.
    Teams,
    /// Visit hosts and technology demonstration sites.
    Hosts,
    /// Technology partners and training organisers (both are institutions).
    Partners,
    Townships,
    Villages,
    /// Crops and content of trainings.
    Subjects,
    /// Technology names and the technologies visits name in free text.
    Technologies,
    /// Leading or characteristic industries (主导产业/特色产业) of teams and demands.
    Industries,
}

impl Picklist {
    pub const ALL: [Picklist; 9] = [
        Picklist::People,
        Picklist::Teams,
        Picklist::Hosts,
        Picklist::Partners,
        Picklist::Townships,
        Picklist::Villages,
        Picklist::Subjects,
        Picklist::Technologies,
        Picklist::Industries,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Picklist::People => "people",
            Picklist::Teams => "teams",
            Picklist::Hosts => "hosts",
            Picklist::Partners => "partners",
            Picklist::Townships => "townships",
            Picklist::Villages => "villages",
            Picklist::Subjects => "subjects",
            Picklist::Technologies => "technologies",
            Picklist::Industries => "industries",
        }
    }
}

/// How a field is entered, as the form shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Text,
    LongText,
    /// Several names in one line, separated by 、 (or commas, semicolons, new lines).
    List,
    Date,
    Time,
    /// A whole number of heads (人次, 户).
    Count,
    Decimal,
    /// One of a fixed set of values.
    Choice,
    /// Any number of a fixed set of values.
    Choices,
    Flag,
    /// Links to technology records.
    Links,
    /// A link to one record of this kind (a team, a demand), chosen with a picker.
    Link(RecordKind),
    Location,
    /// Carried by the form, never shown (the visit a follow-up answers).
    Hidden,
}

/// Where a field lives in its kind's body, by the type of value it holds.
pub enum Access<B: 'static> {
    Text(fn(&B) -> &String, fn(&mut B) -> &mut String),
    List(fn(&B) -> &Vec<String>, fn(&mut B) -> &mut Vec<String>),
    Date(fn(&B) -> &Date, fn(&mut B) -> &mut Date),
    OptDate(fn(&B) -> &Option<Date>, fn(&mut B) -> &mut Option<Date>),
    OptTime(fn(&B) -> &Option<Time>, fn(&mut B) -> &mut Option<Time>),
    Count(fn(&B) -> &u32, fn(&mut B) -> &mut u32),
    OptCount(fn(&B) -> &Option<u32>, fn(&mut B) -> &mut Option<u32>),
    /// With the largest value accepted.
    OptDecimal(fn(&B) -> &Option<f64>, fn(&mut B) -> &mut Option<f64>, f64),
    /// The value's serde name, setting it from one (false for an unknown name), and every
    /// value's name in the order offered.
    Choice(
        fn(&B) -> String,
        fn(&mut B, &str) -> bool,
        fn() -> Vec<String>,
    ),
    /// As `Choice`, for a set of values; setting keeps the order of the offered values.
    Choices(
        fn(&B) -> Vec<String>,
        fn(&mut B, &[String]),
        fn() -> Vec<String>,
    ),
    Flag(fn(&B) -> &bool, fn(&mut B) -> &mut bool),
    Ids(fn(&B) -> &Vec<Uuid>, fn(&mut B) -> &mut Vec<Uuid>),
    OptId(fn(&B) -> &Option<Uuid>, fn(&mut B) -> &mut Option<Uuid>),
    /// A link to one record of a kind, chosen with a picker.
    Link(
        fn(&B) -> &Option<Uuid>,
        fn(&mut B) -> &mut Option<Uuid>,
        RecordKind,
    ),
    Location(
        fn(&B) -> &Option<GeoPoint>,
        fn(&mut B) -> &mut Option<GeoPoint>,
    ),
}

/// `access!(Text, place.county)`: the [`Access`] of a field of a body, by its path.
#[macro_export]
macro_rules! access {
    ($variant:ident, $($path:ident).+) => {
        $crate::domain::form::Access::$variant(|b| &b.$($path).+, |b| &mut b.$($path).+)
    };
    (Link, $($path:ident).+, $kind:expr) => {
        $crate::domain::form::Access::Link(|b| &b.$($path).+, |b| &mut b.$($path).+, $kind)
    };
    (OptDecimal, $($path:ident).+, $max:expr) => {
        $crate::domain::form::Access::OptDecimal(|b| &b.$($path).+, |b| &mut b.$($path).+, $max)
    };
}

/// `choice!(training_type: TrainingType)`: the [`Access`] of a field holding one value of an
/// enum with an `ALL` list.
#[macro_export]
macro_rules! choice {
    ($field:ident: $ty:ty) => {
        $crate::domain::form::Access::Choice(
            |b| $crate::domain::form::serde_name(&b.$field),
            |b, name| match $crate::domain::form::from_serde_name(&<$ty>::ALL, name) {
                Some(value) => {
                    b.$field = value;
                    true
                }
                None => false,
            },
            || {
                <$ty>::ALL
                    .iter()
                    .map($crate::domain::form::serde_name)
                    .collect()
            },
        )
    };
}

/// `choices!(help: HelpKind)`: the [`Access`] of a field holding a set of an enum's values.
#[macro_export]
macro_rules! choices {
    ($field:ident: $ty:ty) => {
        $crate::domain::form::Access::Choices(
            |b| {
                b.$field
                    .iter()
                    .map($crate::domain::form::serde_name)
                    .collect()
            },
            |b, names| {
                b.$field = <$ty>::ALL
                    .iter()
                    .copied()
                    .filter(|v| names.contains(&$crate::domain::form::serde_name(v)))
                    .collect()
            },
            || {
                <$ty>::ALL
                    .iter()
                    .map($crate::domain::form::serde_name)
                    .collect()
            },
        )
    };
}

/// One field of a kind: where it lives in the body and how the form treats it.
pub struct FieldSpec<B: 'static> {
    pub field: Field,
    pub access: Access<B>,
    pub required: bool,
    /// Several lines of text rather than one.
    pub long: bool,
    /// Values typed before are offered from this list.
    pub picklist: Option<Picklist>,
    /// Shown (and read) only while this check box is ticked.
    pub shown_if: Option<Field>,
    /// The list page filters by this choice, under this key in the URL.
    pub facet: Option<&'static str>,
}

impl<B: 'static> FieldSpec<B> {
    pub const fn new(field: Field, access: Access<B>) -> Self {
        FieldSpec {
            field,
            access,
            required: false,
            long: false,
            picklist: None,
            shown_if: None,
            facet: None,
        }
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn long(mut self) -> Self {
        self.long = true;
        self
    }

    pub const fn picklist(mut self, list: Picklist) -> Self {
        self.picklist = Some(list);
        self
    }

    pub const fn shown_if(mut self, flag: Field) -> Self {
        self.shown_if = Some(flag);
        self
    }

    pub const fn facet(mut self, url_key: &'static str) -> Self {
        self.facet = Some(url_key);
        self
    }

    /// What the form shows for this field, without the body's type.
    pub fn info(&self) -> FieldInfo {
        let control = match &self.access {
            Access::Text(..) if self.long => Control::LongText,
            Access::Text(..) => Control::Text,
            Access::List(..) => Control::List,
            Access::Date(..) | Access::OptDate(..) => Control::Date,
            Access::OptTime(..) => Control::Time,
            Access::Count(..) | Access::OptCount(..) => Control::Count,
            Access::OptDecimal(..) => Control::Decimal,
            Access::Choice(..) => Control::Choice,
            Access::Choices(..) => Control::Choices,
            Access::Flag(..) => Control::Flag,
            Access::Ids(..) => Control::Links,
            Access::OptId(..) => Control::Hidden,
            Access::Link(_, _, kind) => Control::Link(*kind),
            Access::Location(..) => Control::Location,
        };
        let options = match &self.access {
            Access::Choice(_, _, all) | Access::Choices(_, _, all) => all(),
            _ => Vec::new(),
        };
        FieldInfo {
            field: self.field,
            control,
            required: self.required,
            picklist: self.picklist,
            shown_if: self.shown_if,
            options,
        }
    }

    /// The field's value as the form holds it.
    pub fn to_input(&self, body: &B, separator: &str) -> Input {
        let text = Input::Text;
        match &self.access {
            Access::Text(get, _) => text(get(body).clone()),
            Access::List(get, _) => text(join_list(get(body), separator)),
            Access::Date(get, _) => text(format_date(*get(body))),
            Access::OptDate(get, _) => text(get(body).map(format_date).unwrap_or_default()),
            Access::OptTime(get, _) => text(get(body).map(format_time).unwrap_or_default()),
            Access::Count(get, _) => text(get(body).to_string()),
            Access::OptCount(get, _) => text(get(body).map(|n| n.to_string()).unwrap_or_default()),
            Access::OptDecimal(get, _, _) => {
                text(get(body).map(|n| n.to_string()).unwrap_or_default())
            }
            Access::Choice(get, _, _) => match get(body) {
                name if name.is_empty() => Input::Empty,
                name => text(name),
            },
            Access::Choices(get, _, _) => Input::Items(get(body)),
            Access::Flag(get, _) => Input::Flag(*get(body)),
            Access::Ids(get, _) => Input::Items(get(body).iter().map(Uuid::to_string).collect()),
            Access::OptId(get, _) | Access::Link(get, _, _) => match get(body) {
                Some(id) => text(id.to_string()),
                None => Input::Empty,
            },
            Access::Location(get, _) => {
                Input::Location(LocationInput::from_point(get(body).as_ref()))
            }
        }
    }

    /// Reads what was typed into `body`, noting every problem with it.
    fn read(&self, input: Option<&Input>, body: &mut B, c: &mut Checker) {
        let typed = match input {
            Some(Input::Text(text)) => text.as_str(),
            _ => "",
        };
        let items = match input {
            Some(Input::Items(items)) => items.as_slice(),
            _ => &[],
        };
        let (field, required) = (self.field, self.required);
        match &self.access {
            Access::Text(_, set) => *set(body) = c.text(field, typed, required),
            Access::List(_, set) => *set(body) = c.list(field, typed, required),
            Access::Date(_, set) => {
                if let Some(date) = c.date(field, typed, true) {
                    *set(body) = date;
                }
            }
            Access::OptDate(_, set) => *set(body) = c.date(field, typed, required),
            Access::OptTime(_, set) => *set(body) = c.time(field, typed),
            Access::Count(_, set) => *set(body) = c.count(field, typed, true).unwrap_or(0),
            Access::OptCount(_, set) => *set(body) = c.count(field, typed, required),
            Access::OptDecimal(_, set, max) => *set(body) = c.decimal(field, typed, *max),
            Access::Choice(_, set, _) => {
                // An unknown name (a draft of another version) keeps the kind's default.
                set(body, typed);
            }
            Access::Choices(_, set, _) => set(body, items),
            Access::Flag(_, set) => *set(body) = matches!(input, Some(Input::Flag(true))),
            Access::Ids(_, set) => {
                let mut ids: Vec<Uuid> = Vec::new();
                for id in items.iter().filter_map(|i| Uuid::parse_str(i).ok()) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                *set(body) = ids;
            }
            Access::OptId(_, set) | Access::Link(_, set, _) => {
                *set(body) = Uuid::parse_str(typed.trim()).ok();
                if required && set(body).is_none() {
                    c.fail(field, Problem::Required);
                }
            }
            Access::Location(_, set) => {
                let location = match input {
                    Some(Input::Location(location)) => location.clone(),
                    _ => LocationInput::default(),
                };
                *set(body) = c.location(&location);
            }
        }
    }

    /// The field's value for showing it (detail page, CSV, list rows).
    pub fn shown<'a>(&self, body: &'a B) -> Shown<'a> {
        match &self.access {
            Access::Text(get, _) => Shown::Text(get(body)),
            Access::List(get, _) => Shown::List(get(body)),
            Access::Date(get, _) => Shown::Date(Some(*get(body))),
            Access::OptDate(get, _) => Shown::Date(*get(body)),
            Access::OptTime(get, _) => Shown::Time(*get(body)),
            Access::Count(get, _) => Shown::Count(Some(*get(body))),
            Access::OptCount(get, _) => Shown::Count(*get(body)),
            Access::OptDecimal(get, _, _) => Shown::Decimal(*get(body)),
            Access::Choice(get, _, _) => Shown::Choice(get(body)),
            Access::Choices(get, _, _) => Shown::Choices(get(body)),
            Access::Flag(get, _) => Shown::Flag(*get(body)),
            Access::Ids(get, _) => Shown::Ids(get(body)),
            Access::OptId(get, _) | Access::Link(get, _, _) => Shown::Id(*get(body)),
            Access::Location(get, _) => Shown::Location(get(body).as_ref()),
        }
    }
}

/// A field's value, typed, for display.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown<'a> {
    Text(&'a str),
    List(&'a [String]),
    Date(Option<Date>),
    Time(Option<Time>),
    Count(Option<u32>),
    Decimal(Option<f64>),
    /// A serde name; empty for nothing chosen.
    Choice(String),
    Choices(Vec<String>),
    Flag(bool),
    Ids(&'a [Uuid]),
    Id(Option<Uuid>),
    Location(Option<&'a GeoPoint>),
}

impl Shown<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Shown::Text(text) => text.is_empty(),
            Shown::List(items) => items.is_empty(),
            Shown::Date(d) => d.is_none(),
            Shown::Time(t) => t.is_none(),
            Shown::Count(n) => n.is_none(),
            Shown::Decimal(n) => n.is_none(),
            Shown::Choice(name) => name.is_empty(),
            Shown::Choices(names) => names.is_empty(),
            Shown::Flag(on) => !on,
            Shown::Ids(ids) => ids.is_empty(),
            Shown::Id(id) => id.is_none(),
            Shown::Location(point) => point.is_none(),
        }
    }
}

/// A field as the form renders it, whatever the kind.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldInfo {
    pub field: Field,
    pub control: Control,
    pub required: bool,
    pub picklist: Option<Picklist>,
    pub shown_if: Option<Field>,
    /// The serde names of a choice's values, in the order offered.
    pub options: Vec<String>,
}

/// A part of a form, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormPart {
    /// Fields side by side (one field: a line of its own).
    Row(&'static [Field]),
    /// Fields under a common heading.
    Group(Legend, &'static [Field]),
}

/// The headings of field groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legend {
    StageDates,
    /// A team's or a demand's status and the date it reached each one.
    StatusDates,
}

/// What makes a record kind a kind: its body type, the fields of its form and the rules
/// between them. Everything the app does with one kind's fields goes through this.
pub trait Kind: Clone + PartialEq + Serialize + DeserializeOwned + Sized + 'static {
    const KIND: RecordKind;
    /// The kind's name in records and exports (`kind`) and in draft keys; the same as
    /// [`RecordKind`]'s serde name (a test holds them together).
    const NAME: &'static str;
    /// Its pages' address segment (`/trainings`).
    const SEGMENT: &'static str;
    /// The short name its fields are stored under (`src/storage/stored.rs`).
    const STORED_TAG: &'static str;
    /// The first export schema version that has this kind: a file of an older version
    /// cannot hold it.
    const SINCE_SCHEMA: u32;
    /// Every field, in the order the form shows them.
    const FIELDS: &'static [FieldSpec<Self>];
    /// The form's layout over [`Kind::FIELDS`] (each shown field exactly once, in order).
    const LAYOUT: &'static [FormPart];
    /// What a list row names the record by.
    const TITLE: Field;
    /// The rest of a list row: groups of fields, the groups separated, a group's fields
    /// joined (a place's county, township and village).
    const CONTEXT: &'static [&'static [Field]];

    /// A record of this kind with nothing filled in but what a form starts with.
    fn blank(today: Date) -> Self;
    /// The rules between fields, once each field has been read.
    fn check(&self, c: &mut Checker);
    /// Follows up a change the officer made to one field of the form (by default nothing):
    /// entering what happened should be enough.
    fn adjust(_input: &mut FormInput, _changed: Field) {}
    /// The date a list sorts by.
    fn date(&self) -> Option<Date>;
    fn into_body(self) -> RecordBody;
    fn of_body(body: &RecordBody) -> Option<&Self>;

    fn spec(field: Field) -> Option<&'static FieldSpec<Self>> {
        Self::FIELDS.iter().find(|spec| spec.field == field)
    }
}

/// The rules a form enforces, applied to a body that did not come through one (an import):
/// the body is put into a form and read back.
pub fn check_body<K: Kind>(body: &K, today: Date) -> Result<(), FieldErrors> {
    FormInput::from_body(body, "、")
        .validate::<K>(today)
        .map(drop)
}

/// Collects problems while reading the fields of one form.
pub struct Checker {
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

    pub fn fail(&mut self, field: Field, problem: Problem) {
        self.errors.push(FieldError { field, problem });
    }

    /// Whether a field already has a problem (rules across fields then leave it alone).
    pub fn failed(&self, field: Field) -> bool {
        self.errors.iter().any(|e| e.field == field)
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
        let Some(date) = datetime_text::parse_date(value) else {
            self.fail(field, Problem::InvalidDate);
            return None;
        };
        if date.year() < EARLIEST_YEAR {
            self.fail(field, Problem::TooFarInPast);
        } else if date > self.today.saturating_add(Duration::days(MAX_DAYS_AHEAD)) {
            self.fail(field, Problem::TooFarInFuture);
        }
        Some(date)
    }

    fn time(&mut self, field: Field, value: &str) -> Option<Time> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let parsed = datetime_text::parse_time(value);
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

    /// A year (a team's) from [`EARLIEST_YEAR`] to next year.
    pub fn year(&mut self, field: Field, year: Option<u32>) {
        let Some(year) = year else { return };
        if i64::from(year) < i64::from(EARLIEST_YEAR) {
            self.fail(field, Problem::TooFarInPast);
        } else if i64::from(year) > i64::from(self.today.year()) + 1 {
            self.fail(field, Problem::TooFarInFuture);
        }
    }

    /// The dates of a status that only moves forward (a team's application, a demand's
    /// handling), step by step: the current step's date is required, a step not reached has
    /// no date, and the dates given never go backwards.
    pub fn status_dates(&mut self, steps: &[StatusStep]) {
        let mut latest: Option<Date> = None;
        for step in steps {
            if step.current && step.date.is_none() && !self.failed(step.field) {
                self.fail(step.field, Problem::Required);
            }
            if step.date.is_some() && !step.reached && !self.failed(step.field) {
                self.fail(step.field, Problem::StatusNotReached);
            }
            if let Some(date) = step.date {
                if latest.is_some_and(|l| date < l) && !self.failed(step.field) {
                    self.fail(step.field, Problem::StatusDatesOutOfOrder);
                }
                latest = Some(latest.map_or(date, |l| l.max(date)));
            }
        }
    }

    /// An end time, when both are given, must come after the start.
    pub fn time_range(&mut self, start: Option<Time>, end: Option<Time>) {
        if let (Some(start), Some(end)) = (start, end)
            && end <= start
        {
            self.fail(Field::EndTime, Problem::EndNotAfterStart);
        }
    }

    fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// One step of a status that moves forward, for [`Checker::status_dates`].
#[derive(Clone, Copy, Debug)]
pub struct StatusStep {
    /// The field holding the date the step was reached.
    pub field: Field,
    pub date: Option<Date>,
    /// Whether the current status has reached this step.
    pub reached: bool,
    /// Whether this is the current status's step.
    pub current: bool,
}

/// Splits a list typed into one field: commas, Chinese enumeration commas, semicolons or
/// new lines separate items. Blank and repeated items are dropped, order is kept.
pub fn split_list(value: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in value.split(LIST_SEPARATORS) {
        let item = item.trim();
        if !item.is_empty() && !items.iter().any(|i| i == item) {
            items.push(item.to_owned());
        }
    }
    items
}

/// What separates the items of a list typed into one field.
pub const LIST_SEPARATORS: [char; 6] = [',', '，', '、', ';', '；', '\n'];

/// A list as its form field shows it, so that [`split_list`] reads it back unchanged
/// (`separator` is the interface language's: 、 or a comma).
pub fn join_list(items: &[String], separator: &str) -> String {
    items.join(separator)
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

pub fn format_date(date: Date) -> String {
    datetime_text::format_date(date)
}

pub fn format_time(time: Time) -> String {
    datetime_text::format_time(time)
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

/// An enum value's serde name (the snake_case name used in records and URLs); empty for
/// anything that is not written as a string (`None`).
pub fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The value of `all` (an enum's `ALL`) with this serde name, if any. Found by writing each
/// value's name rather than by serde's reader: views that show a choice then carry no enum
/// readers (one per enum, compiled again for each kind of input).
pub fn from_serde_name<T: Serialize + Copy>(all: &[T], name: &str) -> Option<T> {
    all.iter().copied().find(|value| serde_name(value) == name)
}
