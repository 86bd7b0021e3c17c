//! A record's fields as labelled text in the interface language, from its kind's form: the
//! rows of its detail page, the line of its list row, and the columns of its CSV table.

use crate::components::labels;
use crate::domain::form::format_coordinate;
use crate::domain::form::{Control, Shown};
use crate::domain::{Field, Kind, Record, RecordBody, RecordKind};
use crate::i18n::*;

/// One line of a record's detail view: label and value as plain text.
pub type DetailRow = (&'static str, String);

/// Plain numbers (for a spreadsheet, which adds them up) or figures with their unit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Figures {
    Plain,
    WithUnit,
}

/// The columns of a record's page and of its table, in the form's order, each with the field
/// that labels it: all fields but links and check boxes (shown otherwise: a linked team or
/// demand in its own section, by its name), a location as its two coordinates.
fn cells<K: Kind>(locale: Locale, body: &K, figures: Figures) -> Vec<(Field, String)> {
    let mut cells = Vec::new();
    for spec in K::FIELDS {
        let value = spec.shown(body);
        match (spec.info().control, value) {
            (Control::Links | Control::Link(_) | Control::Flag | Control::Hidden, _) => {}
            (_, Shown::Location(point)) => {
                let coordinate = |degrees: Option<f64>| match figures {
                    Figures::Plain => degrees.map(|d| d.to_string()).unwrap_or_default(),
                    Figures::WithUnit => degrees.map(format_coordinate).unwrap_or_default(),
                };
                cells.push((Field::Latitude, coordinate(point.map(|p| p.latitude))));
                cells.push((Field::Longitude, coordinate(point.map(|p| p.longitude))));
            }
            (_, Shown::Count(n)) if figures == Figures::Plain => {
                cells.push((spec.field, n.map(|n| n.to_string()).unwrap_or_default()))
            }
            (_, Shown::Decimal(n)) if figures == Figures::Plain => {
                cells.push((spec.field, n.map(|n| n.to_string()).unwrap_or_default()))
            }
            (_, value) => cells.push((spec.field, labels::shown(locale, spec.field, &value))),
        }
    }
    cells
}

/// Every field of a record body that has a value, labelled, for the detail page.
pub fn detail_rows(locale: Locale, body: &RecordBody) -> Vec<DetailRow> {
    crate::with_body!(body, |b| cells(locale, b, Figures::WithUnit))
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(field, value)| (labels::field(locale, field), value))
        .collect()
}

/// What identifies a record at a glance in a list: its date, a title and a line of context.
pub fn summary(locale: Locale, record: &Record) -> (String, String, String) {
    let date = record
        .date()
        .map(crate::domain::form::format_date)
        .unwrap_or_default();
    let (title, context) = crate::with_body!(&record.body, |b| summary_of(locale, b));
    (date, title, context)
}

fn summary_of<K: Kind>(locale: Locale, body: &K) -> (String, String) {
    let text = |field: Field| {
        K::spec(field)
            .map(|spec| labels::shown(locale, field, &spec.shown(body)))
            .unwrap_or_default()
    };
    let present = |parts: Vec<String>, separator: &str| {
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let context = K::CONTEXT
        .iter()
        .map(|group| present(group.iter().map(|f| text(*f)).collect(), " "))
        .collect();
    (text(K::TITLE), present(context, " · "))
}

/// Header and rows of the CSV table of one kind: the fields as on the detail page (figures
/// as plain numbers, so that a spreadsheet can add them up; the unit is in the header), then
/// the record's id, revision and author.
pub fn csv_rows(
    locale: Locale,
    kind: RecordKind,
    records: &[&Record],
) -> (Vec<String>, Vec<Vec<String>>) {
    crate::with_kind!(kind, K => csv_of::<K>(locale, records))
}

fn csv_of<K: Kind>(locale: Locale, records: &[&Record]) -> (Vec<String>, Vec<Vec<String>>) {
    let blank = K::blank(time::Date::MIN);
    let mut headers: Vec<String> = cells(locale, &blank, Figures::Plain)
        .into_iter()
        .map(|(field, _)| labels::field(locale, field).to_owned())
        .collect();
    headers.extend([
        "ID".to_owned(),
        td_string!(locale, detail.revision).to_owned(),
        td_string!(locale, detail.author).to_owned(),
    ]);
    let rows = records
        .iter()
        .filter_map(|record| K::of_body(&record.body).map(|body| (record, body)))
        .map(|(record, body)| {
            let mut row: Vec<String> = cells(locale, body, Figures::Plain)
                .into_iter()
                .map(|(_, value)| value)
                .collect();
            row.extend([
                record.id.to_string(),
                record.revision.to_string(),
                record.author.clone(),
            ]);
            row
        })
        .collect();
    (headers, rows)
}
