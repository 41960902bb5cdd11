use crate::router::use_query_map;
use crate::router::A;
use chrono::{NaiveDate, TimeDelta};
use leptos::prelude::*;
use tend_model::{week_end, week_start, Adherence, Agenda, Tally};

use crate::api;
use crate::components::{ErrorNotice, PatientNav};
use crate::format::{long_date, short_date, time_of_day};
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// A week of adherence, day by day and activity by activity, with done,
/// skipped and missed told apart, and the readings of the week.
#[component]
pub fn HistoryPage() -> impl IntoView {
    patient_page(|p| view! { <History patient_id=p /> })
}

/// The week asked for in `?week=YYYY-MM-DD` (any day of it), else none.
fn asked_week() -> Memo<Option<NaiveDate>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("week")
            .and_then(|w| w.parse::<NaiveDate>().ok())
            .map(week_start)
    })
}

#[component]
fn History(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let asked = asked_week();
    // Today's week comes from the patient's own today, which the server knows.
    let agenda = LocalResource::new(move || {
        let asked = asked.get();
        async move {
            let monday = match asked {
                Some(monday) => monday,
                None => week_start(api::agenda_today(patient_id).await?.today),
            };
            api::agenda_between(patient_id, monday, week_end(monday)).await
        }
    });
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().week_history_title}</h1>
            {move || match agenda.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(agenda)) => view! { <Week patient_id=patient_id agenda=agenda /> }.into_any(),
            }}
        </div>
    }
}

/// "5 done · 1 skipped · 1 missed", leaving out what is zero.
fn tally_words(tally: &Tally, t: &crate::i18n::Texts) -> String {
    let parts = [
        (tally.done, t.count_done as fn(usize) -> String),
        (tally.skipped, t.count_skipped),
        (tally.missed, t.count_missed),
        (tally.open, t.count_open),
        (tally.upcoming, t.count_upcoming),
    ];
    let words: Vec<String> = parts
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, f)| f(n))
        .collect();
    if words.is_empty() {
        t.nothing_planned.to_owned()
    } else {
        words.join(" · ")
    }
}

/// The stacked bar of one day: a picture of the words next to it.
fn day_bar(tally: Tally) -> impl IntoView {
    let total = tally.done + tally.skipped + tally.missed + tally.open + tally.upcoming;
    let width = move |n: usize| format!("width: {}%", (n * 100).checked_div(total).unwrap_or(0));
    view! {
        <div class="day-bar" aria-hidden="true">
            <span class="bar-done" style=width(tally.done)></span>
            <span class="bar-skipped" style=width(tally.skipped)></span>
            <span class="bar-missed" style=width(tally.missed)></span>
        </div>
    }
}

#[component]
fn Week(patient_id: i64, agenda: Agenda) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let monday = agenda.from;
    let week = Adherence::of(&agenda.items, monday, week_end(monday), agenda.today);
    let this_week = week_start(agenda.today);
    let link = move |d: NaiveDate| format!("/patients/{patient_id}/history?week={d}");
    let (previous, next) = (
        link(monday - TimeDelta::days(7)),
        link(monday + TimeDelta::days(7)),
    );
    let total = week.total;
    let days = week
        .days
        .into_iter()
        .map(|day| {
            let tally = day.tally;
            view! {
                <li class="card day" class:is-today=day.date == agenda.today>
                    <h3>{move || long_date(day.date, lang.get())}</h3>
                    {day_bar(tally)}
                    <p>{move || tally_words(&tally, t())}</p>
                </li>
            }
        })
        .collect_view();
    let rows = week
        .activities
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <th scope="row">{move || a.title.get(lang.get()).to_owned()}</th>
                    <td>{a.tally.done}</td>
                    <td>{a.tally.skipped}</td>
                    <td>{a.tally.missed}</td>
                </tr>
            }
        })
        .collect_view();
    let readings: Vec<_> = agenda
        .items
        .iter()
        .filter_map(|i| {
            let outcome = i.outcome.as_ref()?;
            let reading = outcome.reading?;
            Some((
                i.title.clone(),
                i.local,
                reading.display(),
                outcome.entered_by.clone(),
            ))
        })
        .collect();
    let has_readings = !readings.is_empty();
    let reading_rows = readings
        .into_iter()
        .map(|(title, local, value, by)| {
            view! {
                <tr>
                    <td>{move || format!("{}, {}", short_date(local.date(), lang.get()), time_of_day(local.time(), lang.get()))}</td>
                    <th scope="row">{move || title.get(lang.get()).to_owned()}</th>
                    <td>{value}</td>
                    <td>{by}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <nav class="week-nav" aria-label=move || t().weeks_nav>
            <A href=previous attr:class="button secondary">{move || t().previous_week}</A>
            <Show when=move || monday < this_week>
                <A href=next.clone() attr:class="button secondary">{move || t().next_week}</A>
            </Show>
        </nav>
        <h2>{move || (t().week_of)(&short_date(monday, lang.get()))}</h2>
        <p class="lead week-summary">
            {move || tally_words(&total, t())}
            {move || total.percent_done().map(|p| format!(" — {}", (t().percent_done)(p)))}
        </p>
        <ul class="days">{days}</ul>
        <h2>{move || t().by_activity}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || t().by_activity>
            <table>
                <caption class="visually-hidden">{move || t().by_activity}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().activity}</th>
                        <th scope="col">{move || t().status_done}</th>
                        <th scope="col">{move || t().status_skipped}</th>
                        <th scope="col">{move || t().status_missed}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <h2>{move || t().readings_of_week}</h2>
        {if has_readings {
            view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || t().readings_of_week>
                <table>
                    <caption class="visually-hidden">{move || t().readings_of_week}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t().col_date}</th>
                            <th scope="col">{move || t().measurement}</th>
                            <th scope="col">{move || t().value}</th>
                            <th scope="col">{move || t().entered_by_column}</th>
                        </tr>
                    </thead>
                    <tbody>{reading_rows}</tbody>
                </table>
            </div>
            }.into_any()
        } else {
            view! { <p>{move || t().no_readings_week}</p> }.into_any()
        }}
    }
}
