use leptos::prelude::*;
use tend_model::Point;

/// Values over time as an inline SVG, with the target band shaded. Titled and
/// described for screen readers; pages put a data table beside it.
#[component]
pub fn TrendChart(
    /// Points oldest first.
    points: Vec<Point>,
    /// The target band (low, high); open ends are clipped to the chart.
    band: Option<(f64, f64)>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
) -> impl IntoView {
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 312.0;
    const TOP: f64 = 8.0;
    const BOTTOM: f64 = 150.0;
    let values = points.iter().map(|p| p.value);
    let (mut low, mut high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if let Some((band_low, band_high)) = band {
        if band_low > f64::MIN / 2.0 {
            low = low.min(band_low);
        }
        if band_high < f64::MAX / 2.0 {
            high = high.max(band_high);
        }
    }
    if low > high {
        (low, high) = (0.0, 1.0);
    }
    let margin = ((high - low) * 0.1).max(1.0);
    let (low, high) = (low - margin, high + margin);
    let y = move |v: f64| BOTTOM - (v.clamp(low, high) - low) / (high - low) * (BOTTOM - TOP);
    let first = points.first().map(|p| p.date);
    let span = match (points.first(), points.last()) {
        (Some(a), Some(b)) => ((b.date - a.date).num_days()).max(1) as f64,
        _ => 1.0,
    };
    let single = points.len() == 1;
    let x = move |date: chrono::NaiveDate| {
        let days = first.map(|f| (date - f).num_days() as f64).unwrap_or(0.0);
        if single {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + days / span * (RIGHT - LEFT)
        }
    };
    let shade = band.map(|(band_low, band_high)| {
        let top = y(band_high.min(high));
        let bottom = y(band_low.max(low));
        view! { <rect class="band band-0" x=LEFT y=top width=RIGHT - LEFT height=(bottom - top).max(0.0)></rect> }
    });
    let line = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.value)))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .iter()
        .map(|p| view! { <circle class="point" cx=x(p.date) cy=y(p.value) r="3"></circle> })
        .collect_view();
    view! {
        <svg class="score-chart" viewBox="0 0 320 170" role="img" aria-labelledby="trend-title trend-desc">
            <title id="trend-title">{title}</title>
            <desc id="trend-desc">{description}</desc>
            {shade}
            <line class="axis" x1=LEFT y1=BOTTOM x2=RIGHT y2=BOTTOM></line>
            <text class="tick" x=LEFT - 4.0 y=BOTTOM + 4.0 text-anchor="end">
                {format!("{low:.0}")}
            </text>
            <text class="tick" x=LEFT - 4.0 y=TOP + 8.0 text-anchor="end">
                {format!("{high:.0}")}
            </text>
            <polyline class="trend" points=line></polyline>
            {dots}
        </svg>
    }
}
