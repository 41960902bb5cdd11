use crate::router::A;
use leptos::prelude::*;
use tend_model::PlanView;

use crate::api;
use crate::components::{ErrorNotice, GoalRequestList, PatientNav};
use crate::format::{date_time, short_date};
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// The care plan in plain language: by domain, what the patient does and
/// when, the goal each thing serves, and the goals.
#[component]
pub fn PlanPage() -> impl IntoView {
    patient_page(|p| view! { <Plan patient_id=p /> })
}

#[component]
fn Plan(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let session = use_session();
    let plan = LocalResource::new(move || api::plan(patient_id));
    let requests = LocalResource::new(move || api::goal_requests(patient_id));

    let show = move |plan: PlanView| {
        let summary = plan.summary.clone();
        let (updated_by, updated_at) = (plan.updated_by.clone(), plan.updated_at);
        let domains = plan
            .domains
            .into_iter()
            .map(|d| {
                let domain = d.domain.clone();
                view! {
                    <section class="card domain">
                        <h2>{move || (t().domain)(&domain)}</h2>
                        <p>{move || d.text.get(lang.get()).to_owned()}</p>
                    </section>
                }
            })
            .collect_view();
        let goals = plan.goals.clone();
        let activities = plan
            .activities
            .into_iter()
            .map(|a| {
                let goal = a.goal_id.and_then(|id| goals.iter().find(|g| g.id == id).map(|g| g.title.clone()));
                view! {
                    <li class="card plan-activity">
                        <h3>{move || a.title.get(lang.get()).to_owned()}</h3>
                        <p class="plan-schedule">{move || a.schedule.get(lang.get()).to_owned()}</p>
                        <p>{move || a.instructions.get(lang.get()).to_owned()}</p>
                        {goal.map(|g| view! { <p class="hint">{move || (t().serves_goal)(g.get(lang.get()))}</p> })}
                    </li>
                }
            })
            .collect_view();
        let goal_items = plan
            .goals
            .into_iter()
            .map(|g| {
                let status = g.status.clone();
                view! {
                    <li class="card goal">
                        <h3>{move || g.title.get(lang.get()).to_owned()}</h3>
                        <p class="hint">
                            {move || (t().goal_status)(&status).to_owned()}
                            {move || g.due_date.map(|d| format!(" · {}", (t().due_by)(&short_date(d, lang.get()))))}
                        </p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p class="lead">{move || summary.get(lang.get()).to_owned()}</p>
            <p class="hint">{move || (t().plan_updated)(&updated_by, &date_time(updated_at, lang.get()))}</p>
            <div class="domains">{domains}</div>
            <h2>{move || t().what_you_do}</h2>
            <ul class="plan-list">{activities}</ul>
            <h2>{move || t().goals_title}</h2>
            <ul class="plan-list">{goal_items}</ul>
        }
        .into_any()
    };

    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().plan_title}</h1>
            {move || match plan.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(plan)) => show(plan),
            }}
            <h2>{move || t().your_requests}</h2>
            {move || match requests.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(list)) => view! { <GoalRequestList patient_id=patient_id requests=list /> }.into_any(),
            }}
            <p>
                <A href=format!("/patients/{patient_id}/goals#taking-part")>{move || t().add_or_comment}</A>
            </p>
        </div>
    }
}
