use leptos::prelude::*;
use tend_model::{CareEvent, CareEventStatus};

use crate::api;
use crate::components::{ErrorNotice, PatientNav};
use crate::format::{date_time, long_date, time_of_day};
use crate::i18n::{use_lang, use_texts};
use crate::pages::patient_page;
use crate::session::{may_see_check_ins, use_session};

/// Appointments and referrals, each followed along ordered → scheduled →
/// attended → closed until its loop closes.
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    patient_page(|p| view! { <Appointments patient_id=p /> })
}

#[component]
fn Appointments(patient_id: i64) -> impl IntoView {
    let t = use_texts();
    let session = use_session();
    let events = LocalResource::new(move || api::appointments(patient_id));
    view! {
        <div class="page">
            <PatientNav patient_id=patient_id show_check_ins=may_see_check_ins(session, patient_id) />
            <h1>{move || t().appointments_title}</h1>
            <p class="lead">{move || t().appointments_intro}</p>
            {move || match events.get() {
                None => view! { <p class="loading">{t().loading}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error /> }.into_any(),
                Some(Ok(events)) if events.is_empty() => view! { <p>{move || t().no_appointments}</p> }.into_any(),
                Some(Ok(events)) => {
                    view! { <ul class="plan-list">{events.into_iter().map(|e| view! { <CareEventCard event=e /> }).collect_view()}</ul> }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn CareEventCard(event: CareEvent) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let status = event.status();
    let kind = event.kind;
    let title = StoredValue::new(event.title.clone());
    let title_text = move || title.with_value(|t| t.get(lang.get()).to_owned());
    let steps = event
        .timeline()
        .into_iter()
        .map(|(step_status, step)| {
            let reached = step.is_some();
            let at = step.map(|s| s.at);
            let note = step.and_then(|s| s.note.clone());
            view! {
                <li
                    class="step"
                    class:is-reached=reached
                    aria-current=(step_status == status).then_some("step")
                >
                    <span class="step-name">{move || (t().care_event_status)(step_status)}</span>
                    <span class="step-when">
                        {move || match at {
                            Some(at) => date_time(at, lang.get()),
                            None => t().step_not_yet.to_owned(),
                        }}
                    </span>
                    {note.map(|n| view! { <span class="step-note">{move || n.get(lang.get()).to_owned()}</span> })}
                </li>
            }
        })
        .collect_view();
    let when = event.when;
    let (place, bring, instructions) = (event.place, event.bring, event.instructions);
    view! {
        <li class="card care-event" class:is-closed=!event.steps.is_empty() && status == CareEventStatus::Closed>
            <p class="hint">{move || format!("{} · {}", (t().kind)(kind), (t().care_event_status)(status))}</p>
            <h2>{title_text}</h2>
            {when.map(|w| view! {
                <p class="care-event-when">
                    {move || format!("{}, {}", long_date(w.date(), lang.get()), time_of_day(w.time(), lang.get()))}
                </p>
            })}
            {place.map(|p| view! { <p><strong>{move || t().where_label}</strong>" "{move || p.get(lang.get()).to_owned()}</p> })}
            {bring.map(|b| view! { <p><strong>{move || t().bring_label}</strong>" "{move || b.get(lang.get()).to_owned()}</p> })}
            <p>{move || instructions.get(lang.get()).to_owned()}</p>
            <ol class="timeline" aria-label=move || (t().timeline_of)(&title_text())>
                {steps}
            </ol>
        </li>
    }
}
