use crate::router::A;
use leptos::prelude::*;
use tend_model::{ChecklistItem, ChecklistState, TransitionView};

use crate::api;
use crate::components::{CareTeamMemberCard, ErrorNotice, PatientNav};
use crate::format::short_date;
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// The first 30 days home after a hospital stay: a checklist (follow-up
/// visit, medicine review, warning signs), the warning signs and who to call.
#[component]
pub fn TransitionPage() -> impl IntoView {
    patient_page(|p| view! { <Transition patient_id=p /> })
}

#[component]
fn Transition(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let transition = LocalResource::new(move || api::transition(patient_id));
    let team = LocalResource::new(move || api::care_team(patient_id));
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().transition_title}</h1>
            {move || match transition.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(None)) => view! { <p>{move || t().no_transition}</p> }.into_any(),
                Some(Ok(Some(view))) => view! { <Checklist view=view /> }.into_any(),
            }}
            <h2>{move || t().who_to_call}</h2>
            {move || match team.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(members)) => {
                    view! { <ul class="plan-list">{members.into_iter().map(|m| view! { <CareTeamMemberCard member=m /> }).collect_view()}</ul> }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn Checklist(view: TransitionView) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let (day, days, today) = (view.day(), view.days, view.today);
    let (done, total) = (view.done_count(), view.checklist.len());
    let home_since = view.discharged_on;
    let item = move |item: ChecklistItem| {
        let state = item.state(today);
        let (due, done_on) = (item.due_on, item.done_on);
        let (title, instructions) = (item.title, item.instructions);
        let words = move || {
            let date =
                |d: Option<chrono::NaiveDate>| d.map(|d| short_date(d, lang.get())).unwrap_or_default();
            match state {
                ChecklistState::Done => (t().checklist_done_on)(&date(done_on)),
                ChecklistState::ToDo if due.is_some() => (t().checklist_due_by)(&date(due)),
                ChecklistState::ToDo => t().checklist_to_do.to_owned(),
                ChecklistState::Overdue => (t().checklist_overdue)(&date(due)),
            }
        };
        view! {
            <li
                class="card check-item"
                class:is-done=state == ChecklistState::Done
                class:is-overdue=state == ChecklistState::Overdue
            >
                <span class="check-mark" aria-hidden="true">
                    {match state {
                        ChecklistState::Done => "✓",
                        ChecklistState::ToDo => "",
                        ChecklistState::Overdue => "!",
                    }}
                </span>
                <div>
                    <h3>{move || title.get(lang.get()).to_owned()}</h3>
                    <p>{move || instructions.get(lang.get()).to_owned()}</p>
                    <p class="check-state">
                        <strong>{words}</strong>
                    </p>
                </div>
            </li>
        }
    };
    let signs = view
        .warning_signs
        .into_iter()
        .map(|s| view! { <li>{move || s.get(lang.get()).to_owned()}</li> })
        .collect_view();
    view! {
        <p class="lead">
            {move || (t().transition_day)(day, days, &short_date(home_since, lang.get()))}
        </p>
        <h2>{move || t().checklist_title}</h2>
        <p>{move || (t().checklist_progress)(done, total)}</p>
        <ul class="checklist">{view.checklist.into_iter().map(item).collect_view()}</ul>
        <section class="card warning-signs" aria-labelledby="warning-signs">
            <h2 id="warning-signs">{move || t().warning_signs_title}</h2>
            <ul>{signs}</ul>
        </section>
    }
}

/// On Today, while the first weeks at home last: the day and the checklist's progress.
#[component]
pub fn TransitionBanner(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let transition = LocalResource::new(move || api::transition(patient_id));
    move || {
        let view = transition
            .get()?
            .ok()
            .flatten()
            .filter(TransitionView::is_current)?;
        let (day, days, done, total) = (view.day(), view.days, view.done_count(), view.checklist.len());
        Some(view! {
            <aside class="card transition-banner" aria-labelledby="transition-banner">
                <h2 id="transition-banner">{move || t().transition_title}</h2>
                <p>{move || (t().transition_short)(day, days, done, total)}</p>
                <A href=format!("/patients/{patient_id}/first-30-days") attr:class="button secondary">
                    {move || t().open_checklist}
                </A>
            </aside>
        })
    }
}
