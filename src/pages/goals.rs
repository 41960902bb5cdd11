use crate::router::use_params_map;
use crate::router::A;
use leptos::prelude::*;
use tend_model::{GoalTarget, GoalView};

use crate::api;
use crate::components::{ErrorNotice, GoalRequestList, PatientNav, RequestForm, TrendChart};
use crate::format::short_date;
use crate::i18n::{use_lang, use_texts, Texts};
use crate::pages::not_found::NotFoundPage;
use crate::pages::{patient_page, use_patient_param};
use crate::session::{may_see_check_ins, may_take_part, use_session};

/// The periods a goal's chart can show, in days.
const PERIODS: [i64; 3] = [14, 91, 366];

fn format_value(value: f64, unit: &str) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

fn progress_words(goal: &GoalView, t: &Texts) -> String {
    let latest = goal.progress.latest.map(|v| {
        let words = format_value(v, &goal.unit);
        if matches!(goal.target, GoalTarget::PerWeek { .. }) {
            (t.this_week)(&words)
        } else {
            (t.latest)(&words)
        }
    });
    let state = match goal.progress.on_track {
        Some(true) => t.on_track,
        Some(false) => t.not_yet,
        None if goal.target == GoalTarget::Milestone => "",
        None => t.no_measure,
    };
    [latest.unwrap_or_default(), state.to_owned()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Goals with their progress, derived from readings.
#[component]
pub fn GoalsPage() -> impl IntoView {
    patient_page(|p| view! { <Goals patient_id=p /> })
}

#[component]
fn Goals(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let may_take_part = may_take_part(session, patient_id);
    let goals = LocalResource::new(move || api::goals(patient_id));
    let requests = LocalResource::new(move || api::goal_requests(patient_id));
    // A request sent shows at once in the list, and a proposal among the goals.
    let refresh = Callback::new(move |()| {
        goals.refetch();
        requests.refetch();
    });
    let card = move |goal: GoalView| {
        let title = goal.title.clone();
        let title_link = StoredValue::new(goal.title.clone());
        let href = StoredValue::new(format!("/patients/{patient_id}/goals/{}", goal.id));
        let has_points = !goal.points.is_empty();
        let goal_words = goal.clone();
        let (target, unit) = (goal.target, goal.unit.clone());
        let (goal_id, status) = (goal.id, goal.status.clone());
        let proposed = status == "proposed";
        view! {
            <li class="card goal" class:is-on-track=goal.progress.on_track == Some(true)>
                <h2>{move || title.get(lang.get()).to_owned()}</h2>
                <Show when=move || proposed>
                    <p class="goal-status">{move || t().proposed_waiting}</p>
                </Show>
                <p class="hint">{move || (t().target_words)(&target, &unit)}</p>
                <p class="goal-progress">{move || progress_words(&goal_words, t())}</p>
                <Show when=move || has_points>
                    <A href=move || href.get_value() attr:class="button secondary">
                        {move || (t().see_goal)(title_link.with_value(|l| l.get(lang.get()).to_owned()).as_str())}
                    </A>
                </Show>
                <Show when=move || may_take_part.get() && !proposed>
                    <details class="goal-talk">
                        <summary>
                            {move || t().comment_or_change}
                            <span class="visually-hidden">
                                {move || format!(": {}", title_link.with_value(|l| l.get(lang.get()).to_owned()))}
                            </span>
                        </summary>
                        <RequestForm patient_id=patient_id goal_id=goal_id on_sent=refresh />
                    </details>
                </Show>
            </li>
        }
    };
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().goals_page_title}</h1>
            {move || match goals.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) => {
                    // A declined proposal is cancelled: it stays in the requests below, with why.
                    let shown = list.into_iter().filter(|g| g.status != "cancelled");
                    view! { <ul class="plan-list">{shown.map(card).collect_view()}</ul> }.into_any()
                }
            }}
            <section class="taking-part" aria-labelledby="taking-part">
                <h2 id="taking-part">{move || t().taking_part_title}</h2>
                <p>{move || t().taking_part_intro}</p>
                <Show when=move || may_take_part.get()>
                    <RequestForm patient_id=patient_id on_sent=refresh />
                </Show>
                <h3>{move || t().your_requests}</h3>
                {move || match requests.get() {
                    None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                    Some(Ok(list)) => view! { <GoalRequestList patient_id=patient_id requests=list /> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// One goal: its readings against the target band over 2 weeks, 3 months or a year.
#[component]
pub fn GoalPage() -> impl IntoView {
    let patient = use_patient_param();
    let params = use_params_map();
    let goal_id = Memo::new(move |_| params.read().get("g").and_then(|g| g.parse::<i64>().ok()));
    move || match (patient.get(), goal_id.get()) {
        (Some(p), Some(g)) => view! { <Goal patient_id=p goal_id=g /> }.into_any(),
        _ => view! { <NotFoundPage /> }.into_any(),
    }
}

#[component]
fn Goal(patient_id: i64, goal_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let goals = LocalResource::new(move || api::goals(patient_id));
    let period = RwSignal::new(PERIODS[0]);
    let show = move |goal: GoalView| {
        let title = goal.title.clone();
        let chart_goal = goal.clone();
        let chart = move || {
            let days = period.get();
            let last = chart_goal.points.last().map(|p| p.date);
            let points: Vec<_> = chart_goal
                .points
                .iter()
                .copied()
                .filter(|p| last.is_some_and(|l| (l - p.date).num_days() < days))
                .collect();
            if points.is_empty() {
                return view! { <p>{move || t().no_points}</p> }.into_any();
            }
            let count = points.len();
            let unit = chart_goal.unit.clone();
            let rows = points
                .iter()
                .rev()
                .map(|p| {
                    let (date, value) = (p.date, format_value(p.value, &unit));
                    view! {
                        <tr>
                            <td>{move || short_date(date, lang.get())}</td>
                            <td>{value}</td>
                        </tr>
                    }
                })
                .collect_view();
            let target = chart_goal.target;
            let target_unit = chart_goal.unit.clone();
            let title_text = chart_goal.title.clone();
            view! {
                <TrendChart
                    points=points
                    band=target.band()
                    title=Signal::derive(move || title_text.get(lang.get()).to_owned())
                    description=Signal::derive(move || (t().chart_desc)(count, &(t().target_words)(&target, &target_unit)))
                />
                <div class="table-wrap">
                    <table>
                        <caption>{move || t().history_table_caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || t().col_date}</th>
                                <th scope="col">{move || t().col_value}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
                .into_any()
        };
        let periods = PERIODS
            .into_iter()
            .map(|days| {
                view! {
                    <button
                        type="button"
                        class="button secondary"
                        aria-pressed=move || (period.get() == days).to_string()
                        on:click=move |_| period.set(days)
                    >
                        {move || (t().period)(days)}
                    </button>
                }
            })
            .collect_view();
        view! {
            <h1>{move || title.get(lang.get()).to_owned()}</h1>
            <p class="hint">
                {
                    let (target, unit) = (goal.target, goal.unit.clone());
                    move || (t().target_words)(&target, &unit)
                }
            </p>
            <p class="goal-progress">{move || progress_words(&goal, t())}</p>
            <div class="periods" role="group" aria-label=move || t().period_label>
                {periods}
            </div>
            {chart}
        }
        .into_any()
    };
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            {move || match goals.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) => match list.into_iter().find(|g| g.id == goal_id) {
                    Some(goal) => show(goal),
                    None => view! { <NotFoundPage /> }.into_any(),
                },
            }}
            <p>
                <A href=format!("/patients/{patient_id}/goals")>{move || t().back_to_goals}</A>
            </p>
        </div>
    }
}
