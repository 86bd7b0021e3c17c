//! Where a visit or a demonstration site is: latitude and longitude from the tablet's GPS
//! ("Record current position") or typed in. Whatever the GPS does, saving never waits for it.

use leptos::prelude::*;

use super::controls::{Bound, TextInput};
use crate::browser::{self, NoPosition};
use crate::domain::Field;
use crate::domain::form::{LocationInput, format_coordinate};
use crate::i18n::*;
use crate::language::use_i18n;

/// What came of asking the tablet for its position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GeoStatus {
    Idle,
    Locating,
    Found { accuracy_m: Option<f64> },
    Failed(NoPosition),
}

/// Metres, rounded for reading.
pub fn metres(accuracy: f64) -> String {
    format!("{}", accuracy.round() as i64)
}

/// Latitude and longitude of a place, from the tablet's GPS ("Record current position") or
/// typed in. Whatever the GPS does, saving never waits for it.
#[component]
pub fn LocationFields(bound: Bound<LocationInput>) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(GeoStatus::Idle);
    // Typing over a coordinate makes it a hand-entered point: the GPS accuracy and time go.
    let coordinate = move |pick: fn(&mut LocationInput) -> &mut String| Bound {
        value: Signal::derive(move || {
            bound.value.with(|l| {
                let mut l = l.clone();
                pick(&mut l).clone()
            })
        }),
        set: Callback::new(move |value: String| {
            let mut next = bound.value.get_untracked();
            *pick(&mut next) = value;
            next.accuracy_m = None;
            next.captured_at = None;
            bound.set.run(next);
        }),
    };
    let latitude = coordinate(|l| &mut l.latitude);
    let longitude = coordinate(|l| &mut l.longitude);
    let on_locate = move |_| {
        status.set(GeoStatus::Locating);
        browser::locate(move |result| match result {
            Ok(position) => {
                // The form may have been left meanwhile.
                if status
                    .try_set(GeoStatus::Found {
                        accuracy_m: position.accuracy_m,
                    })
                    .is_some()
                {
                    return;
                }
                bound.set.run(LocationInput {
                    latitude: format_coordinate(position.latitude),
                    longitude: format_coordinate(position.longitude),
                    accuracy_m: position.accuracy_m,
                    captured_at: Some(position.captured_at),
                });
            }
            Err(why) => {
                let _ = status.try_set(GeoStatus::Failed(why));
            }
        });
    };
    let clear = move |_| {
        bound.set.run(LocationInput::default());
        status.set(GeoStatus::Idle);
    };
    let has_point = move || {
        bound
            .value
            .with(|l| !l.latitude.trim().is_empty() || !l.longitude.trim().is_empty())
    };
    let message = move || {
        let text = match status.get() {
            GeoStatus::Idle => return None,
            GeoStatus::Locating => td_string!(i18n.get_locale(), location.locating).to_string(),
            GeoStatus::Found {
                accuracy_m: Some(a),
            } => td_string!(
                i18n.get_locale(),
                location.found_accuracy,
                metres = metres(a)
            )
            .to_string(),
            GeoStatus::Found { accuracy_m: None } => {
                td_string!(i18n.get_locale(), location.found).to_string()
            }
            GeoStatus::Failed(NoPosition::Denied) => {
                td_string!(i18n.get_locale(), location.denied).to_string()
            }
            GeoStatus::Failed(NoPosition::Unavailable) => {
                td_string!(i18n.get_locale(), location.unavailable).to_string()
            }
            GeoStatus::Failed(NoPosition::TimedOut) => {
                td_string!(i18n.get_locale(), location.timeout).to_string()
            }
        };
        Some(text)
    };
    let failed = move || matches!(status.get(), GeoStatus::Failed(_));
    let captured = move || {
        bound.value.with(|l| {
            let accuracy = l.accuracy_m.map(|a| {
                td_string!(i18n.get_locale(), location.accuracy, metres = metres(a)).to_string()
            });
            let when = l.captured_at.map(|at| {
                td_string!(
                    i18n.get_locale(),
                    location.captured_at,
                    time = browser::local_time(at)
                )
                .to_string()
            });
            let parts: Vec<String> = accuracy.into_iter().chain(when).collect();
            (!parts.is_empty()).then(|| parts.join(" · "))
        })
    };
    view! {
        <fieldset class="group location">
            <legend>{tr!(i18n, location.title)}</legend>
            <div class="actions location-actions">
                <button type="button" id="locate-position" class="locate"
                    aria-describedby="location-status"
                    disabled=move || status.get() == GeoStatus::Locating
                    on:click=on_locate>{tr!(i18n, location.record_current)}</button>
                <Show when=has_point>
                    <button type="button" id="clear-position" on:click=clear>{tr!(i18n, location.clear)}</button>
                </Show>
            </div>
            <p id="location-status" class="location-status" class:failed=failed role="status" aria-live="polite">{message}</p>
            <div class="row">
                <TextInput field=Field::Latitude bound=latitude inputmode="decimal"
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), location.latitude_hint)) />
                <TextInput field=Field::Longitude bound=longitude inputmode="decimal"
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), location.longitude_hint)) />
            </div>
            {move || captured().map(|text| view! { <p class="hint location-captured">{text}</p> })}
        </fieldset>
    }
}
