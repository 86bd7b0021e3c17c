//! Sections of a record's page that lead elsewhere: where it took place (map links), the
//! technologies it concerns or the trainings and visits concerning it, and follow-ups.

use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::browser::local_time;
use crate::components::form::metres;
use crate::components::labels;
use crate::components::record_text::summary;
use crate::domain::form::format_coordinate;
use crate::domain::form::format_date;
use crate::domain::links::{
    LinkTarget, answering_demand, concerning, concerning_counts, days_to_first_visit, link_title,
    linked_record, linked_technologies, linking_team, team_activity,
};
use crate::domain::{Field, GeoPoint, RecordBody, RecordKind};
use crate::i18n::*;
use crate::language::use_i18n;
use crate::routes::Page;
use crate::state::use_app;

/// Links that open a position in a map: the tablet's map app (`geo:`), AMap (what Chinese
/// tablets have) and OpenStreetMap. Only links: nothing is fetched to show or save a record.
pub fn map_links(point: &GeoPoint) -> [(&'static str, String); 3] {
    let lat = format_coordinate(point.latitude);
    let lon = format_coordinate(point.longitude);
    [
        ("geo", format!("geo:{lat},{lon}?q={lat},{lon}")),
        (
            "amap",
            format!(
                "https://uri.amap.com/marker?position={lon},{lat}&coordinate=wgs84&callnative=1"
            ),
        ),
        (
            "osm",
            format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"),
        ),
    ]
}

/// The position of a visit or a demonstration site, with links to see it on a map.
#[component]
pub fn LocationView(point: GeoPoint) -> impl IntoView {
    let i18n = use_i18n();
    let coordinates = format!(
        "{}, {}",
        format_coordinate(point.latitude),
        format_coordinate(point.longitude)
    );
    let accuracy = point.accuracy_m;
    let captured = point.captured_at.map(local_time);
    let [geo, amap, osm] = map_links(&point);
    view! {
        <section class="location-view card" aria-labelledby="location-title">
            <h2 id="location-title">{tr!(i18n, location.title)}</h2>
            <p class="coordinates">
                <span class="mono">{coordinates}</span>
                {accuracy.map(|a| view! { " " <span class="accuracy">{move || td_string!(i18n.get_locale(), location.accuracy, metres = metres(a)).to_string()}</span> })}
            </p>
            {captured.map(|time| view! { <p class="hint">{move || td_string!(i18n.get_locale(), location.captured_at, time = time.clone()).to_string()}</p> })}
            <div class="actions map-links">
                <a class="button" id="map-geo" href=geo.1>{tr!(i18n, location.open_map_app)}</a>
                <a class="button" id="map-amap" href=amap.1 target="_blank" rel="noopener noreferrer">{tr!(i18n, location.open_amap)}</a>
                <a class="button" id="map-osm" href=osm.1 target="_blank" rel="noopener noreferrer">{tr!(i18n, location.open_osm)}</a>
            </div>
            <p class="hint">{tr!(i18n, location.map_needs_network)}</p>
        </section>
    }
}

/// The technology records a training or visit concerns, each a link; one that was deleted
/// (or not imported yet) is named as such.
#[component]
pub fn LinkedTechnologies(record_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let links = move || {
        app.records.ledger.with(|l| {
            let Some(record) = l.get(&record_id) else {
                return Vec::new();
            };
            linked_technologies(l, record)
                .into_iter()
                .map(|target| match target {
                    LinkTarget::Live(r) => {
                        let name = match &r.body {
                            RecordBody::Technology(t) => t.name.clone(),
                            _ => String::new(),
                        };
                        (r.id, Some(name))
                    }
                    LinkTarget::Removed(id) => (id, None),
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !links().is_empty()>
            <section class="related card" id="linked-technologies" aria-labelledby="linked-technologies-title">
                <h2 id="linked-technologies-title">{tr!(i18n, links.technologies)}</h2>
                <ul class="related-list">
                    {move || links().into_iter().map(|(id, name)| match name {
                        Some(name) => view! {
                            <li><A href=Page::Detail(RecordKind::Technology, id).href() attr:class="related-link">{name}</A></li>
                        }.into_any(),
                        None => view! {
                            <li class="removed">{tr!(i18n, links.removed_technology)}</li>
                        }.into_any(),
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// The trainings and visits that concern a technology, newest first, with their numbers.
#[component]
pub fn ConcerningRecords(technology_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let rows = move || {
        let locale = i18n.get_locale();
        app.records.ledger.with(|l| {
            concerning(l, technology_id)
                .into_iter()
                .map(|r| (r.kind(), r.id, summary(locale, r)))
                .collect::<Vec<_>>()
        })
    };
    let counts = move || {
        app.records
            .ledger
            .with(|l| concerning_counts(l, technology_id))
    };
    view! {
        <section class="related card" id="concerning" aria-labelledby="concerning-title">
            <h2 id="concerning-title">{tr!(i18n, links.concerning)}</h2>
            <p class="concerning-counts">
                {move || {
                    let c = counts();
                    td_string!(i18n.get_locale(), links.counts, trainings = c.trainings, visits = c.visits).to_string()
                }}
            </p>
            {move || linked_list(rows())}
        </section>
    }
}

/// For a visit: the visit it follows up, the visits that follow it up, and (while its
/// follow-up is open) the way to record it.
#[component]
pub fn FollowUpLinks(record_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let visit_line = move |id: Uuid| {
        let locale = i18n.get_locale();
        app.records.ledger.with(|l| {
            l.live(&id)
                .filter(|r| r.kind() == RecordKind::Visit)
                .map(|r| {
                    let (date, host, _) = summary(locale, r);
                    format!("{date} {host}")
                })
        })
    };
    let original = move || {
        app.records
            .ledger
            .with(|l| match l.get(&record_id).map(|r| &r.body) {
                Some(RecordBody::Visit(v)) => v.follows_up.filter(|id| *id != record_id),
                _ => None,
            })
    };
    let followed_by = move || {
        app.records.ledger.with(|l| {
            l.all()
                .filter(|r| !r.deleted && r.id != record_id)
                .filter(
                    |r| matches!(&r.body, RecordBody::Visit(v) if v.follows_up == Some(record_id)),
                )
                .map(|r| r.id)
                .collect::<Vec<_>>()
        })
    };
    // Open while it asks for a follow-up that no live visit has done yet.
    let open = move || {
        let asks = app
            .records
            .ledger
            .with(|l| match l.live(&record_id).map(|r| &r.body) {
                Some(RecordBody::Visit(v)) => v.follow_up_needed && v.follow_up_by.is_some(),
                _ => false,
            });
        asks && followed_by().is_empty()
    };
    view! {
        {move || original().map(|id| {
            let line = visit_line(id);
            view! {
                <p class="follows-up" id="follows-up">
                    <span class="follows-up-label">{tr!(i18n, followups.follows_up)}</span>" "
                    {match line {
                        Some(line) => view! { <A href=Page::Detail(RecordKind::Visit, id).href() attr:class="related-link">{line}</A> }.into_any(),
                        None => view! { <span class="removed">{tr!(i18n, followups.original_removed)}</span> }.into_any(),
                    }}
                </p>
            }
        })}
        {move || {
            let later = followed_by();
            (!later.is_empty()).then(|| view! {
                <section class="related card" id="followed-up-by" aria-labelledby="followed-up-by-title">
                    <h2 id="followed-up-by-title">{tr!(i18n, followups.followed_up_by)}</h2>
                    <ul class="related-list">
                        {later.into_iter().map(|id| {
                            let line = visit_line(id).unwrap_or_default();
                            view! { <li><A href=Page::Detail(RecordKind::Visit, id).href() attr:class="related-link">{line}</A></li> }
                        }).collect_view()}
                    </ul>
                </section>
            })
        }}
        <Show when=open>
            <p>
                <A href=Page::New(RecordKind::Visit).href_with(&[("follow_up", record_id.to_string())]) attr:class="button primary" attr:id="record-follow-up">
                    {tr!(i18n, followups.record_visit)}
                </A>
            </p>
        </Show>
    }
}

/// A list of linked records, newest first, each a link to its page.
fn linked_list(records: Vec<(RecordKind, Uuid, (String, String, String))>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="related-list">
            {records.into_iter().map(|(kind, id, (date, title, _))| view! {
                <li>
                    <A href=Page::Detail(kind, id).href() attr:class="related-link">
                        <span class="related-kind">{move || labels::kind_title(i18n.get_locale(), kind)}</span>
                        <span class="related-date">{date}</span>
                        <span class="related-title">{title}</span>
                    </A>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The team or demand a record links, as a link to its page (or said removed).
#[component]
pub fn LinkedRecords(record_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let links = move || {
        app.records.ledger.with(|l| {
            let Some(record) = l.get(&record_id) else {
                return Vec::new();
            };
            [
                (Field::TeamId, RecordKind::Team, record.body.team_id()),
                (Field::DemandId, RecordKind::Demand, record.body.demand_id()),
            ]
            .into_iter()
            .filter_map(|(field, kind, id)| {
                linked_record(l, id, kind).map(|target| match target {
                    LinkTarget::Live(r) => (field, Some((kind, r.id)), link_title(r)),
                    LinkTarget::Removed(_) => (field, None, String::new()),
                })
            })
            .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !links().is_empty()>
            <section class="related card" id="linked-records" aria-labelledby="linked-records-title">
                <h2 id="linked-records-title">{tr!(i18n, record_link.linked)}</h2>
                <dl class="details">
                    {move || links().into_iter().map(|(field, target, title)| view! {
                        <dt>{move || labels::field(i18n.get_locale(), field)}</dt>
                        <dd>{match target {
                            Some((kind, id)) => view! { <A href=Page::Detail(kind, id).href() attr:class="related-link">{title}</A> }.into_any(),
                            None => view! { <span class="removed">{tr!(i18n, record_link.removed)}</span> }.into_any(),
                        }}</dd>
                    }).collect_view()}
                </dl>
            </section>
        </Show>
    }
}

/// A team's page: its figures, last activity, and every record linking it.
#[component]
pub fn TeamWork(team_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let activity = move || app.records.ledger.with(|l| team_activity(l, team_id));
    let rows = move || {
        let locale = i18n.get_locale();
        app.records.ledger.with(|l| {
            linking_team(l, team_id)
                .into_iter()
                .map(|r| (r.kind(), r.id, summary(locale, r)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="related card" id="team-work" aria-labelledby="team-work-title">
            <h2 id="team-work-title">{tr!(i18n, record_link.team_work)}</h2>
            <p class="team-figures">
                {move || {
                    let a = activity();
                    td_string!(i18n.get_locale(), record_link.team_figures,
                        matched = a.demands_matched, solved = a.demands_solved, visits = a.visits,
                        trainings = a.trainings, attendance = a.attendance,
                        demonstrated = a.technologies_demonstrated, promoted = a.technologies_promoted).to_string()
                }}
            </p>
            {move || match activity().last_activity {
                Some(date) => view! { <p class="last-activity">{td_string!(i18n.get_locale(), record_link.last_activity, date = format_date(date)).to_string()}</p> }.into_any(),
                None => view! { <p class="hint">{tr!(i18n, record_link.no_activity)}</p> }.into_any(),
            }}
            {move || linked_list(rows())}
        </section>
    }
}

/// A demand's page: the visits and trainings answering it and the days to the first visit.
#[component]
pub fn DemandAnswers(demand_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let days = move || {
        app.records.ledger.with(|l| {
            l.get(&demand_id)
                .and_then(|demand| days_to_first_visit(l, demand))
        })
    };
    let rows = move || {
        let locale = i18n.get_locale();
        app.records.ledger.with(|l| {
            answering_demand(l, demand_id)
                .into_iter()
                .map(|r| (r.kind(), r.id, summary(locale, r)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="related card" id="demand-answers" aria-labelledby="demand-answers-title">
            <h2 id="demand-answers-title">{tr!(i18n, record_link.answers)}</h2>
            <p class="days-to-first-visit">
                {move || match days() {
                    Some(days) => td_string!(i18n.get_locale(), record_link.days_to_first_visit, days = days).to_string(),
                    None => td_string!(i18n.get_locale(), record_link.no_visit_yet).to_owned(),
                }}
            </p>
            {move || linked_list(rows())}
        </section>
    }
}
