//! Bar charts drawn as inline SVG: no chart library to download, sharp when printed, and
//! described in text for screen readers (the figures are also in a table beside each chart).

use leptos::prelude::*;

/// One bar: its label and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 150.0;
const ROW_HEIGHT: f64 = 30.0;
const COLUMN_AREA_HEIGHT: f64 = 180.0;

/// A value as a short figure: whole numbers without decimals, others with one.
pub fn figure(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The text a screen reader reads for a chart: what it shows and every bar's figure.
pub fn describe(bars: &[Bar]) -> String {
    bars.iter()
        .map(|bar| format!("{} {}", bar.label, figure(bar.value)))
        .collect::<Vec<_>>()
        .join("，")
}

/// Horizontal bars, one row per label (long labels such as county names fit on the left).
#[component]
pub fn HorizontalBars(
    #[prop(into)] label: Signal<String>,
    bars: Signal<Vec<Bar>>,
) -> impl IntoView {
    let height = move || bars.with(|b| (b.len().max(1) as f64) * ROW_HEIGHT + 10.0);
    let max = move || bars.with(|b| b.iter().map(|bar| bar.value).fold(0.0, f64::max));
    view! {
        <svg class="chart horizontal" role="img" aria-label=label
            viewBox=move || format!("0 0 {WIDTH} {}", height())
            preserveAspectRatio="xMinYMin meet">
            {move || {
                let max = max();
                bars.get()
                    .into_iter()
                    .enumerate()
                    .map(|(n, bar)| {
                        let y = n as f64 * ROW_HEIGHT + 5.0;
                        let room = WIDTH - LABEL_WIDTH - 60.0;
                        let length = if max > 0.0 { bar.value / max * room } else { 0.0 };
                        view! {
                            <g class="bar">
                                <text x=LABEL_WIDTH - 8.0 y=y + ROW_HEIGHT * 0.6 text-anchor="end">{bar.label.clone()}</text>
                                <rect x=LABEL_WIDTH y=y + 4.0 width=length height=ROW_HEIGHT - 8.0 rx="3"></rect>
                                <text class="value" x=LABEL_WIDTH + length + 6.0 y=y + ROW_HEIGHT * 0.6>{figure(bar.value)}</text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </svg>
    }
}

/// Vertical columns in a row (twelve months fit across a tablet).
#[component]
pub fn Columns(#[prop(into)] label: Signal<String>, bars: Signal<Vec<Bar>>) -> impl IntoView {
    let max = move || bars.with(|b| b.iter().map(|bar| bar.value).fold(0.0, f64::max));
    let total_height = COLUMN_AREA_HEIGHT + 50.0;
    view! {
        <svg class="chart columns" role="img" aria-label=label
            viewBox=format!("0 0 {WIDTH} {total_height}") preserveAspectRatio="xMinYMin meet">
            <line class="axis" x1="0" x2=WIDTH y1=COLUMN_AREA_HEIGHT + 20.0 y2=COLUMN_AREA_HEIGHT + 20.0></line>
            {move || {
                let max = max();
                let bars = bars.get();
                let slot = WIDTH / bars.len().max(1) as f64;
                bars.into_iter()
                    .enumerate()
                    .map(|(n, bar)| {
                        let height = if max > 0.0 { bar.value / max * COLUMN_AREA_HEIGHT } else { 0.0 };
                        let x = n as f64 * slot;
                        let top = COLUMN_AREA_HEIGHT + 20.0 - height;
                        view! {
                            <g class="bar">
                                <rect x=x + slot * 0.2 y=top width=slot * 0.6 height=height rx="3"></rect>
                                <text class="value" x=x + slot / 2.0 y=top - 4.0 text-anchor="middle">
                                    {(bar.value > 0.0).then(|| figure(bar.value))}
                                </text>
                                <text x=x + slot / 2.0 y=COLUMN_AREA_HEIGHT + 40.0 text-anchor="middle">{bar.label.clone()}</text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </svg>
    }
}
