use leptos::prelude::*;
use tend_model::Band;

/// Scores over time as an inline SVG: the severity bands shaded behind a line
/// of points. Described by a title and a description; the page puts a data
/// table beside it for anyone who cannot see the chart.
#[component]
pub fn ScoreChart(
    /// Scores oldest first.
    scores: Vec<u8>,
    max: u8,
    /// Score ranges of the bands, lowest first.
    bands: Vec<(u8, u8, Band)>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
) -> impl IntoView {
    const LEFT: f64 = 34.0;
    const RIGHT: f64 = 312.0;
    const TOP: f64 = 8.0;
    const BOTTOM: f64 = 150.0;
    let max = f64::from(max.max(1));
    let y = move |score: f64| BOTTOM - score / max * (BOTTOM - TOP);
    let count = scores.len();
    let x = move |i: usize| {
        if count <= 1 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + i as f64 * (RIGHT - LEFT) / (count - 1) as f64
        }
    };
    let band_count = bands.len();
    let shades = bands
        .into_iter()
        .enumerate()
        .map(|(i, (from, to, _))| {
            let top = y(f64::from(to) + if i + 1 == band_count { 0.0 } else { 1.0 });
            let bottom = y(f64::from(from));
            view! {
                <rect
                    class=format!("band band-{i}")
                    x=LEFT
                    y=top
                    width=RIGHT - LEFT
                    height=(bottom - top).max(0.0)
                ></rect>
            }
        })
        .collect_view();
    let points: Vec<(f64, f64)> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| (x(i), y(f64::from(*s))))
        .collect();
    let line = points
        .iter()
        .map(|(px, py)| format!("{px:.1},{py:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .into_iter()
        .map(|(cx, cy)| view! { <circle class="point" cx=cx cy=cy r="4"></circle> })
        .collect_view();
    view! {
        <svg
            class="score-chart"
            viewBox="0 0 320 170"
            role="img"
            aria-labelledby="chart-title chart-desc"
        >
            <title id="chart-title">{title}</title>
            <desc id="chart-desc">{description}</desc>
            {shades}
            <line class="axis" x1=LEFT y1=BOTTOM x2=RIGHT y2=BOTTOM></line>
            <text class="tick" x=LEFT - 6.0 y=BOTTOM + 4.0 text-anchor="end">
                "0"
            </text>
            <text class="tick" x=LEFT - 6.0 y=TOP + 8.0 text-anchor="end">
                {max.to_string()}
            </text>
            <polyline class="trend" points=line></polyline>
            {dots}
        </svg>
    }
}
