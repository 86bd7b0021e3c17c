//! Quick entry in the field: values typed before offered again on text fields, the picker
//! that links a training or visit to technology records, and the GPS position of a place.

use leptos::prelude::*;
use time::OffsetDateTime;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::components::fields::{Bound, TextInput, field_id};
use crate::components::labels;
use crate::domain::input::{LocationInput, format_coordinate, split_list};
use crate::domain::links::technology_choices;
use crate::domain::picklist::{self, Picklist, PicklistValue};
use crate::domain::{Field, RecordBody};
use crate::i18n::*;
use crate::state::use_app;

/// Most values a datalist offers: enough for any officer's own people and places, few
/// enough that opening a form stays quick on a ledger of many thousand records.
const DATALIST_LIMIT: usize = 200;

/// Suggestion chips shown under the field being typed in.
const CHIP_LIMIT: usize = 6;

/// The element id of a picklist's `<datalist>`.
pub fn datalist_id(list: Picklist) -> String {
    format!("picklist-{}", list.slug())
}

/// The picklists a form offers, each ranked from the ledger (most used first), shared by
/// the form's datalists and its suggestion chips.
#[derive(Clone, Copy)]
pub struct Picklists(StoredValue<Vec<(Picklist, Memo<Vec<PicklistValue>>)>>);

impl Picklists {
    pub fn values(&self, list: Picklist) -> Option<Memo<Vec<PicklistValue>>> {
        self.0
            .with_value(|lists| lists.iter().find(|(l, _)| *l == list).map(|(_, m)| *m))
    }
}

/// Makes the given picklists available to the fields of the form being built.
pub fn provide_picklists(lists: &[Picklist]) {
    let app = use_app();
    let memos = lists
        .iter()
        .map(|&list| {
            (
                list,
                Memo::new(move |_| app.ledger.with(|l| picklist::values(l, list))),
            )
        })
        .collect();
    provide_context(Picklists(StoredValue::new(memos)));
}

/// The field whose suggestions are showing: the last one that got the focus. It does not
/// change when the focus leaves for nowhere (a tap on a chip, on some tablets), so that the
/// chips stay until another field is chosen.
#[derive(Clone, Copy)]
pub struct ActiveField(pub RwSignal<Option<String>>);

/// For a form's `focusin`: the field being entered, from the `data-suggest-for` attribute of
/// the field around the focused element (none for a field without suggestions).
pub fn track_active_field(active: ActiveField, ev: &web_sys::Event) {
    let field = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("[data-suggest-for]").ok().flatten())
        .and_then(|e| e.get_attribute("data-suggest-for"));
    if active.0.get_untracked() != field {
        active.0.set(field);
    }
}

/// One `<datalist>` per picklist of the form, rendered once per form.
#[component]
pub fn PicklistDatalists() -> impl IntoView {
    let lists = use_context::<Picklists>()
        .map(|p| p.0.get_value())
        .unwrap_or_default();
    lists
        .into_iter()
        .map(|(list, values)| {
            view! {
                <datalist id=datalist_id(list)>
                    {move || {
                        values.with(|values| {
                            values
                                .iter()
                                .take(DATALIST_LIMIT)
                                .map(|v| view! { <option value=v.value.clone()></option> })
                                .collect_view()
                        })
                    }}
                </datalist>
            }
        })
        .collect_view()
}

/// Where the item being typed in a list field starts: after the last separator.
fn last_item_start(text: &str) -> usize {
    text.char_indices()
        .filter(|(_, c)| matches!(c, ',' | '，' | '、' | ';' | '；' | '\n'))
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0)
}

/// The field's text with `chosen` completing what is being typed: the whole value of a
/// one-value field, the last item of a list (followed by 、 ready for the next one).
pub fn complete(text: &str, chosen: &str, many: bool) -> String {
    if many {
        let start = last_item_start(text);
        format!("{}{chosen}、", &text[..start])
    } else {
        chosen.to_owned()
    }
}

/// Buttons under a field offering remembered values that fit what is being typed; a tap
/// completes the field (or, in a list field, the item being typed). Shown for the field
/// that has the focus.
#[component]
pub fn Suggestions(
    field: Field,
    list: Picklist,
    /// A list field (several names separated by 、): suggestions complete the last item.
    many: bool,
    bound: Bound<String>,
    #[prop(into)] label: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let values = use_context::<Picklists>().and_then(|p| p.values(list));
    let active = use_context::<ActiveField>();
    let id = field_id(field);
    let chips = Memo::new({
        let id = id.clone();
        move |_| {
            let (Some(values), Some(active)) = (values, active) else {
                return Vec::new();
            };
            if active.0.with(|a| a.as_deref() != Some(id.as_str())) {
                return Vec::new();
            }
            bound.value.with(|text| {
                let (typed, earlier) = if many {
                    let start = last_item_start(text);
                    (&text[start..], split_list(&text[..start]))
                } else {
                    (text.as_str(), Vec::new())
                };
                values.with(|values| {
                    picklist::suggest(values, typed, CHIP_LIMIT + earlier.len())
                        .into_iter()
                        .filter(|v| !earlier.iter().any(|e| e == v))
                        .take(CHIP_LIMIT)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
            })
        }
    });
    let choose = move |value: String| {
        let next = complete(&bound.value.get_untracked(), &value, many);
        bound.set.run(next);
        if many {
            // Ready for the next name.
            let input = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&field_id(field)))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(input) = input {
                let _ = input.focus();
            }
        }
    };
    view! {
        <Show when=move || chips.with(|c| !c.is_empty())>
            <div class="suggestions" role="group" data-for=id.clone()
                aria-label=move || t_string!(i18n, entry.suggestions_for, field = label.get()).to_string()>
                <For each=move || chips.get() key=|v| v.clone() let:value>
                    <button type="button" class="chip" on:click={
                        let value = value.clone();
                        move |_| choose(value.clone())
                    }>{value.clone()}</button>
                </For>
            </div>
        </Show>
    }
}

/// The technologies a training or visit concerns: chosen ones as removable chips, and a
/// search over the technology records to add more.
#[component]
pub fn TechnologyPicker(bound: Bound<Vec<Uuid>>) -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let search = RwSignal::new(String::new());
    const SHOWN: usize = 12;
    let name_of = move |id: Uuid| -> Option<String> {
        app.ledger.with(|l| {
            l.live(&id).and_then(|r| match &r.body {
                RecordBody::Technology(t) => Some(t.name.clone()),
                _ => None,
            })
        })
    };
    let chosen = move || {
        bound
            .value
            .get()
            .into_iter()
            .map(|id| (id, name_of(id)))
            .collect::<Vec<_>>()
    };
    let toggle = move |id: Uuid, on: bool| {
        let mut next = bound.value.get_untracked();
        next.retain(|i| *i != id);
        if on {
            next.push(id);
        }
        bound.set.run(next);
    };
    let choices = Memo::new(move |_| {
        let typed = search.get();
        let locale = i18n.get_locale();
        app.ledger.with(|l| {
            let all = technology_choices(l, &typed);
            let total = all.len();
            let shown = all
                .into_iter()
                .take(SHOWN)
                .map(|r| {
                    let (_, name, context) = labels::summary(locale, r);
                    (r.id, name, context)
                })
                .collect::<Vec<_>>();
            (shown, total)
        })
    });
    let any_technology = move || app.ledger.with(|l| !technology_choices(l, "").is_empty());
    view! {
        <fieldset class="field group tech-picker" id="field-technologyids">
            <legend>{crate::tr(i18n, |l| td_string!(l, links.technologies))}</legend>
            <ul class="chips chosen-technologies" aria-live="polite">
                {move || chosen().into_iter().map(|(id, name)| {
                    let removed = name.is_none();
                    let shown = name.unwrap_or_else(|| t_string!(i18n, links.removed_technology).to_owned());
                    let for_label = shown.clone();
                    view! {
                        <li class:removed=removed>
                            <span class="chip-name">{shown}</span>
                            <button type="button" class="chip-remove" on:click=move |_| toggle(id, false)>
                                <span aria-hidden="true">"×"</span>
                                <span class="visually-hidden">
                                    {move || t_string!(i18n, links.remove, name = for_label.clone()).to_string()}
                                </span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=any_technology fallback=move || view! { <p class="hint">{crate::tr(i18n, |l| td_string!(l, links.no_technologies))}</p> }>
                <label for="tech-search" class="sub-label">{crate::tr(i18n, |l| td_string!(l, links.search))}</label>
                <input id="tech-search" type="search" autocomplete="off"
                    placeholder=move || t_string!(i18n, links.search_placeholder)
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev)) />
                <div class="tech-choices">
                    {move || choices.with(|(shown, _)| shown.iter().cloned().map(|(id, name, context)| {
                        let checked = move || bound.value.with(|v| v.contains(&id));
                        view! {
                            <label class="check tech-choice">
                                <input type="checkbox" name=format!("technology-{id}") prop:checked=checked
                                    on:change=move |ev| toggle(id, event_target_checked(&ev)) />
                                <span>{name}<span class="choice-context">{context}</span></span>
                            </label>
                        }
                    }).collect_view())}
                </div>
                {move || {
                    let (shown, total) = choices.with(|(s, t)| (s.len(), *t));
                    if total == 0 {
                        Some(t_string!(i18n, links.no_match).to_string())
                    } else if total > shown {
                        Some(t_string!(i18n, links.more, count = total - shown).to_string())
                    } else {
                        None
                    }
                }.map(|text| view! { <p class="hint">{text}</p> })}
            </Show>
        </fieldset>
    }
}

/// What came of asking the tablet for its position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GeoStatus {
    Idle,
    Locating,
    Found {
        accuracy_m: Option<f64>,
    },
    /// The officer (or the browser's settings) refused the app the position.
    Denied,
    /// No GPS, no signal, or a browser without geolocation.
    Unavailable,
    TimedOut,
}

/// A position the browser reported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    pub captured_at: OffsetDateTime,
}

/// How long the GPS may take, and how old a position it may reuse.
const GEO_TIMEOUT_MS: f64 = 20_000.0;
const GEO_MAXIMUM_AGE_MS: f64 = 60_000.0;

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn read_position(position: &JsValue) -> Option<Position> {
    let coords = get(position, "coords");
    let latitude = get(&coords, "latitude").as_f64()?;
    let longitude = get(&coords, "longitude").as_f64()?;
    let valid = latitude.is_finite()
        && longitude.is_finite()
        && (-90.0..=90.0).contains(&latitude)
        && (-180.0..=180.0).contains(&longitude);
    if !valid {
        return None;
    }
    let accuracy_m = get(&coords, "accuracy")
        .as_f64()
        .filter(|a| a.is_finite() && *a >= 0.0);
    let captured_at = get(position, "timestamp")
        .as_f64()
        .filter(|ms| ms.is_finite() && *ms > 0.0)
        .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos((ms * 1_000_000.0) as i128).ok())
        .unwrap_or_else(browser::now);
    Some(Position {
        latitude,
        longitude,
        accuracy_m,
        captured_at,
    })
}

/// Asks `navigator.geolocation` (read when called, so that tests can put a fake in its place)
/// for the current position; `done` gets the position or why there is none.
pub fn locate(done: impl FnOnce(Result<Position, GeoStatus>) + 'static) {
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(
        Box::new(done) as Box<dyn FnOnce(Result<Position, GeoStatus>)>
    )));
    let finish = {
        let done = done.clone();
        move |result: Result<Position, GeoStatus>| {
            // Only the first answer counts (a faulty fake might call both).
            if let Some(done) = done.borrow_mut().take() {
                done(result);
            }
        }
    };
    let geolocation = web_sys::window()
        .map(|w| get(&w.navigator(), "geolocation"))
        .filter(|g| g.is_object());
    let Some(geolocation) = geolocation else {
        return finish(Err(GeoStatus::Unavailable));
    };
    let Ok(get_current) = get(&geolocation, "getCurrentPosition").dyn_into::<js_sys::Function>()
    else {
        return finish(Err(GeoStatus::Unavailable));
    };
    let on_success = Closure::once_into_js({
        let finish = finish.clone();
        move |position: JsValue| {
            finish(read_position(&position).ok_or(GeoStatus::Unavailable));
        }
    });
    let on_error = Closure::once_into_js({
        let finish = finish.clone();
        move |error: JsValue| {
            let status = match get(&error, "code").as_f64() {
                Some(1.0) => GeoStatus::Denied,
                Some(3.0) => GeoStatus::TimedOut,
                _ => GeoStatus::Unavailable,
            };
            finish(Err(status));
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"enableHighAccuracy".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&options, &"timeout".into(), &GEO_TIMEOUT_MS.into());
    let _ = js_sys::Reflect::set(&options, &"maximumAge".into(), &GEO_MAXIMUM_AGE_MS.into());
    if get_current
        .call3(&geolocation, &on_success, &on_error, &options)
        .is_err()
    {
        finish(Err(GeoStatus::Unavailable));
    }
}

/// A date and clock time in the tablet's own time zone, as the officer reads it.
pub fn local_time(at: OffsetDateTime) -> String {
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let js = js_sys::Date::new(&JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        js.get_full_year(),
        js.get_month() + 1,
        js.get_date(),
        js.get_hours(),
        js.get_minutes()
    )
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
        locate(move |result| match result {
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
                let _ = status.try_set(why);
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
            GeoStatus::Locating => t_string!(i18n, location.locating).to_string(),
            GeoStatus::Found {
                accuracy_m: Some(a),
            } => t_string!(i18n, location.found_accuracy, metres = metres(a)).to_string(),
            GeoStatus::Found { accuracy_m: None } => t_string!(i18n, location.found).to_string(),
            GeoStatus::Denied => t_string!(i18n, location.denied).to_string(),
            GeoStatus::Unavailable => t_string!(i18n, location.unavailable).to_string(),
            GeoStatus::TimedOut => t_string!(i18n, location.timeout).to_string(),
        };
        Some(text)
    };
    let failed = move || {
        matches!(
            status.get(),
            GeoStatus::Denied | GeoStatus::Unavailable | GeoStatus::TimedOut
        )
    };
    let captured = move || {
        bound.value.with(|l| {
            let accuracy = l
                .accuracy_m
                .map(|a| t_string!(i18n, location.accuracy, metres = metres(a)).to_string());
            let when = l
                .captured_at
                .map(|at| t_string!(i18n, location.captured_at, time = local_time(at)).to_string());
            let parts: Vec<String> = accuracy.into_iter().chain(when).collect();
            (!parts.is_empty()).then(|| parts.join(" · "))
        })
    };
    view! {
        <fieldset class="group location">
            <legend>{crate::tr(i18n, |l| td_string!(l, location.title))}</legend>
            <div class="actions location-actions">
                <button type="button" id="locate-position" class="locate"
                    aria-describedby="location-status"
                    disabled=move || status.get() == GeoStatus::Locating
                    on:click=on_locate>{crate::tr(i18n, |l| td_string!(l, location.record_current))}</button>
                <Show when=has_point>
                    <button type="button" id="clear-position" on:click=clear>{crate::tr(i18n, |l| td_string!(l, location.clear))}</button>
                </Show>
            </div>
            <p id="location-status" class="location-status" class:failed=failed role="status" aria-live="polite">{message}</p>
            <div class="row">
                <TextInput field=Field::Latitude label=move || t_string!(i18n, field.latitude) bound=latitude inputmode="decimal"
                    hint=Signal::derive(move || t_string!(i18n, location.latitude_hint)) />
                <TextInput field=Field::Longitude label=move || t_string!(i18n, field.longitude) bound=longitude inputmode="decimal"
                    hint=Signal::derive(move || t_string!(i18n, location.longitude_hint)) />
            </div>
            {move || captured().map(|text| view! { <p class="hint location-captured">{text}</p> })}
        </fieldset>
    }
}
